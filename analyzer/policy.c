/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Rule selection and re-grading (policy.h). */
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "policy.h"

void policy_init(rule_policy *p)
{
    memset(p, 0, sizeof *p);
}

bool policy_parse_severity(const char *name, bool allow_none, eno_severity *out)
{
    gchar *low = g_ascii_strdown(name, -1);
    g_strstrip(low);
    bool ok = eno_severity_parse(low, out) && (allow_none || *out != ENO_SEV_NONE);
    g_free(low);
    return ok;
}

bool policy_match(const char *pattern, bool set[ENO_RULE_COUNT])
{
    gchar *low = g_ascii_strdown(pattern, -1);
    g_strstrip(low);
    bool any = false;
    for (int i = 0; i < ENO_RULE_COUNT; i++) {
        const eno_rule_info *r = eno_rule_get((eno_rule_id)i);
        if (strcmp(low, r->id) == 0 || g_strcmp0(low, eno_area_name(r->area)) == 0) {
            set[i] = true;
            any = true;
        }
    }
    g_free(low);
    return any;
}

/* Marks every rule the comma-separated patterns of list name. */
static bool mark(char **list, bool set[ENO_RULE_COUNT], bool *given, char *bad, size_t n)
{
    for (char **l = list; l && *l; l++) {
        gchar **parts = g_strsplit(*l, ",", -1);
        for (gchar **p = parts; *p; p++) {
            if (!*g_strstrip(*p))
                continue;
            *given = true;
            if (!policy_match(*p, set)) {
                g_strlcpy(bad, *p, n);
                g_strfreev(parts);
                return false;
            }
        }
        g_strfreev(parts);
    }
    return true;
}

bool policy_select(rule_policy *p, char **select, char **ignore, char *bad, size_t n)
{
    bool chosen[ENO_RULE_COUNT] = {false}, dropped[ENO_RULE_COUNT] = {false};
    bool any_select = false, any_ignore = false;
    if (!mark(select, chosen, &any_select, bad, n) ||
        !mark(ignore, dropped, &any_ignore, bad, n))
        return false;
    for (int i = 0; i < ENO_RULE_COUNT; i++)
        p->ignored[i] = (any_select && !chosen[i]) || dropped[i];
    return true;
}

bool policy_regrade(rule_policy *p, const char *spec, char *err, size_t n)
{
    const char *eq = strchr(spec, '=');
    if (!eq) {
        snprintf(err, n, "--severity needs RULE=LEVEL, not \"%s\"", spec);
        return false;
    }
    gchar *rule = g_strndup(spec, (gsize)(eq - spec));
    bool set[ENO_RULE_COUNT] = {false};
    eno_severity sev;
    bool ok = false;
    if (!policy_match(rule, set))
        snprintf(err, n, "unknown rule or area \"%s\" (enoscope rules lists them)", rule);
    else if (!policy_parse_severity(eq + 1, false, &sev))
        snprintf(err, n, "unknown severity \"%s\" for %s (use note, warning or error)", eq + 1,
                 rule);
    else
        ok = true;
    if (ok) {
        for (int i = 0; i < ENO_RULE_COUNT; i++)
            if (set[i])
                p->severity[i] = sev;
    }
    g_free(rule);
    return ok;
}
