/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The `rules` command: the rule catalog, derived from the engine's
 * registry (rules.def), or what given rules mean. */
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "color.h"
#include "jsonw.h"
#include "policy.h"
#include "report.h"

static void wrapped(FILE *out, const char *text, const char *indent, size_t width)
{
    gchar **words = g_strsplit(text, " ", -1);
    size_t col = 0;
    for (gchar **w = words; *w; w++) {
        size_t n = strlen(*w);
        if (col && col + 1 + n > width) {
            fputc('\n', out);
            col = 0;
        }
        if (col == 0) {
            fputs(indent, out);
            col = strlen(indent);
        } else {
            fputc(' ', out);
            col++;
        }
        fputs(*w, out);
        col += n;
    }
    fputc('\n', out);
    g_strfreev(words);
}

static void text_rule(FILE *out, const eno_rule_info *r, bool long_form, bool color)
{
    const char *sev = color ? color_severity(r->severity) : "";
    const char *reset = color ? color_reset : "";
    fprintf(out, "%-28s %s%-7s%s draft:%-7s %-4s %s%s\n", r->id, sev,
            eno_severity_name(r->severity), reset, eno_severity_name(r->draft_severity),
            r->section, r->title, r->unconfirmed ? " (unconfirmed)" : "");
    if (long_form) {
        wrapped(out, r->description, "    ", 78);
        fputc('\n', out);
    }
}

static void json_rule(FILE *out, const eno_rule_info *r)
{
    jsonw w;
    jw_init(&w, out);
    jw_begin_object(&w);
    jw_member_string(&w, "type", "rule");
    jw_member_string(&w, "id", r->id);
    jw_member_string(&w, "area", eno_area_name(r->area));
    jw_member_string(&w, "severity", eno_severity_name(r->severity));
    jw_member_string(&w, "draft_severity", eno_severity_name(r->draft_severity));
    jw_member_string(&w, "section", strcmp(r->section, "-") != 0 ? r->section : NULL);
    jw_key(&w, "unconfirmed");
    jw_bool(&w, r->unconfirmed);
    jw_member_string(&w, "title", r->title);
    jw_member_string(&w, "description", r->description);
    jw_end_object(&w);
    jw_end_line(&w);
}

/* One rule explained, for `enoscope rules RULE`. */
static void explain_rule(FILE *out, const eno_rule_info *r, bool color)
{
    const char *bold = color ? color_bold : "", *reset = color ? color_reset : "";
    fprintf(out, "%s%s%s: %s\n", bold, r->id, reset, r->title);
    fprintf(out, "  severity:    %s%s%s (RFC 8547 profile), %s%s%s (draft profile)\n",
            color ? color_severity(r->severity) : "", eno_severity_name(r->severity), reset,
            color ? color_severity(r->draft_severity) : "", eno_severity_name(r->draft_severity),
            reset);
    if (strcmp(r->section, "-") != 0)
        fprintf(out, "  section:     RFC 8547 section %s\n", r->section);
    else
        fputs("  section:     none (not a requirement of one section)\n", out);
    fprintf(out, "  area:        %s\n", eno_area_name(r->area));
    fprintf(out, "  unconfirmed: %s\n", r->unconfirmed ? "yes (its detail could not be checked "
                                                      "against the RFC text)" : "no");
    wrapped(out, r->description, "  ", 78);
}

static void rules_print(FILE *out, out_format format, bool long_form, bool color,
                        const bool *chosen, bool explain)
{
    bool first = true;
    for (int i = 0; i < ENO_RULE_COUNT; i++) {
        const eno_rule_info *r = eno_rule_get((eno_rule_id)i);
        if (chosen && !chosen[i])
            continue;
        if (format == FORMAT_JSON) {
            json_rule(out, r);
        } else if (explain) {
            if (!first)
                fputc('\n', out);
            explain_rule(out, r, color);
        } else {
            text_rule(out, r, long_form, color);
        }
        first = false;
    }
}

int cmd_rules(int argc, char **argv)
{
    gchar *format = NULL, *color_s = NULL;
    gboolean long_form = FALSE, help = FALSE;
    gchar **args = NULL;
    const GOptionEntry entries[] = {
        {"format", 0, 0, G_OPTION_ARG_STRING, &format, "Output format: text (default) or "
         "json (JSON Lines)", "FORMAT"},
        {"long", 'l', 0, G_OPTION_ARG_NONE, &long_form, "Also print each rule's description",
         NULL},
        {"color", 0, 0, G_OPTION_ARG_STRING, &color_s, "Colour the text output: auto, always or "
         "never", "WHEN"},
        {"help", 'h', 0, G_OPTION_ARG_NONE, &help, "Show this help", NULL},
        {G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &args, NULL, "[RULE...]"},
        {NULL, 0, 0, 0, NULL, NULL, NULL},
    };
    bool ok;
    GOptionContext *ctx = cli_parse("rules", NULL,
                                    "Print the rule catalog: id, severity (RFC 8547 and draft "
                                    "profiles), RFC 8547 section, title. Given rule ids or "
                                    "areas (such as syntax), explain each of those rules: its "
                                    "severities, section, whether it is unconfirmed, and its "
                                    "description.",
                                    "Exit status: 0, or 2 for usage errors (such as an unknown "
                                    "rule).\nSee enoscope(1).",
                                    entries, &argc, &argv, &ok);
    int rc = ok ? EXIT_CLEAN : EXIT_TROUBLE;
    out_format fmt = FORMAT_TEXT;
    color_mode color = COLOR_AUTO;
    bool chosen[ENO_RULE_COUNT] = {false};
    if (ok && help) {
        cli_print_help(ctx);
        goto done;
    }
    if (!ok)
        goto done;
    if (format && g_ascii_strcasecmp(format, "json") == 0) {
        fmt = FORMAT_JSON;
    } else if (format && g_ascii_strcasecmp(format, "text") != 0) {
        rc = cli_usage_error("rules", "unknown output format (use text or json)");
        goto done;
    }
    if (color_s && !color_mode_parse(color_s, &color)) {
        rc = cli_usage_error("rules", "unknown --color value (use auto, always or never)");
        goto done;
    }
    for (gchar **a = args; a && *a; a++) {
        if (!policy_match(*a, chosen)) {
            gchar *msg = g_strdup_printf("unknown rule or area \"%s\" (enoscope rules lists "
                                         "them)", *a);
            rc = cli_usage_error("rules", msg);
            g_free(msg);
            goto done;
        }
    }
    bool explain = args && args[0];
    rules_print(stdout, fmt, long_form, color_enabled(color, STDOUT_FILENO),
                explain ? chosen : NULL, explain);
done:
    g_option_context_free(ctx);
    g_free(format);
    g_free(color_s);
    g_strfreev(args);
    return rc;
}
