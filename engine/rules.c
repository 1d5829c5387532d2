/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The rule catalog table, built from rules.def. */
#include <string.h>

#include "eno/rules.h"

static const eno_rule_info catalog[ENO_RULE_COUNT] = {
#define ENO_RULE(sym, id, area, group, sev, dsev, sec, unc, title, desc)                 \
    {ENO_RULE_##sym, id, ENO_AREA_##area, ENO_GROUP_##group, ENO_SEV_##sev, ENO_SEV_##dsev, \
     sec, unc, title, desc},
#include "eno/rules.def"
#undef ENO_RULE
};

const eno_rule_info *eno_rule_get(eno_rule_id rule)
{
    if ((unsigned)rule >= ENO_RULE_COUNT)
        return NULL;
    return &catalog[rule];
}

const eno_rule_info *eno_rule_find(const char *id)
{
    if (!id)
        return NULL;
    for (size_t i = 0; i < ENO_RULE_COUNT; i++)
        if (strcmp(catalog[i].id, id) == 0)
            return &catalog[i];
    return NULL;
}

eno_severity eno_rule_severity(eno_rule_id rule, eno_profile profile)
{
    const eno_rule_info *r = eno_rule_get(rule);
    if (!r)
        return ENO_SEV_NONE;
    return profile == ENO_PROFILE_DRAFT ? r->draft_severity : r->severity;
}

static const char *const severity_names[ENO_SEV_COUNT] = {"none", "note", "warning", "error"};

const char *eno_severity_name(eno_severity sev)
{
    if ((unsigned)sev >= ENO_SEV_COUNT)
        return "unknown";
    return severity_names[sev];
}

bool eno_severity_parse(const char *name, eno_severity *out)
{
    if (!name)
        return false;
    for (unsigned i = 0; i < ENO_SEV_COUNT; i++) {
        if (strcmp(name, severity_names[i]) == 0) {
            *out = (eno_severity)i;
            return true;
        }
    }
    return false;
}

const char *eno_profile_name(eno_profile profile)
{
    return profile == ENO_PROFILE_DRAFT ? "draft" : "rfc8547";
}

static const char *const area_names[ENO_AREA_COUNT] = {
    [ENO_AREA_SYNTAX] = "syntax",         [ENO_AREA_ROLE] = "role",
    [ENO_AREA_TEP] = "tep",               [ENO_AREA_RETRANSMIT] = "retransmit",
    [ENO_AREA_SIMOPEN] = "simopen",       [ENO_AREA_ACK] = "ack",
    [ENO_AREA_ENABLE] = "enable",         [ENO_AREA_SYNDATA] = "syndata",
    [ENO_AREA_SYNACKDATA] = "synackdata", [ENO_AREA_LEGACY] = "legacy",
    [ENO_AREA_CAPTURE] = "capture",
};

const char *eno_area_name(eno_rule_area area)
{
    if ((unsigned)area >= ENO_AREA_COUNT)
        return NULL;
    return area_names[area];
}
