/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The `merge` command: reads the JSON Lines of any number of `check`
 * runs and adds their summaries up: counts are summed member by member,
 * the inputs lists joined.  The result is itself a summary (with "runs"
 * counting the runs in it), so that merged results merge again: a batch
 * sharded over many machines is reduced in any order and any grouping.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <json-glib/json-glib.h>

#include "cli.h"
#include "color.h"
#include "diag.h"
#include "policy.h"
#include "report.h"

/* Adds from into acc: numbers sum, objects merge, arrays join; a member
 * acc lacks is copied.  Strings keep acc's value. */
static void add_object(JsonObject *acc, JsonObject *from)
{
    /* In from's order (a hash table iteration would shuffle new members). */
    GList *names = json_object_get_members(from);
    for (GList *l = names; l; l = l->next) {
        const char *name = l->data;
        JsonNode *v = json_object_get_member(from, name);
        JsonNode *a = json_object_get_member(acc, name);
        if (!a || JSON_NODE_HOLDS_NULL(a)) {
            json_object_set_member(acc, name, json_node_copy(v));
        } else if (JSON_NODE_HOLDS_OBJECT(a) && JSON_NODE_HOLDS_OBJECT(v)) {
            add_object(json_node_get_object(a), json_node_get_object(v));
        } else if (JSON_NODE_HOLDS_ARRAY(a) && JSON_NODE_HOLDS_ARRAY(v)) {
            JsonArray *to = json_node_get_array(a);
            JsonArray *more = json_node_get_array(v);
            for (guint i = 0; i < json_array_get_length(more); i++)
                json_array_add_element(to, json_node_copy(json_array_get_element(more, i)));
        } else if (JSON_NODE_HOLDS_VALUE(a) && JSON_NODE_HOLDS_VALUE(v) &&
                   json_node_get_value_type(a) == G_TYPE_INT64 &&
                   json_node_get_value_type(v) == G_TYPE_INT64) {
            json_node_set_int(a, json_node_get_int(a) + json_node_get_int(v));
        }
    }
    g_list_free(names);
}

typedef struct {
    JsonObject *acc;     /* the sum so far, NULL before the first summary */
    guint64 summaries;
    bool trouble;
} merge_state;

/* Reads one stream of JSON Lines; false after a message when it is not
 * the output of a finished run. */
static bool read_stream(FILE *in, const char *name, merge_state *ms)
{
    JsonParser *parser = json_parser_new();
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    guint64 no = 0, summaries = 0, after_summary = 0;
    bool ok = true;
    while (ok && (len = getline(&line, &cap, in)) != -1) {
        no++;
        if (len <= 1 && (len == 0 || line[0] == '\n'))
            continue;
        GError *err = NULL;
        if (!json_parser_load_from_data(parser, line, len, &err)) {
            diag(name, DIAG_ERROR, "line %" G_GUINT64_FORMAT " is not JSON: %s", no,
                 err->message);
            g_error_free(err);
            ok = false;
            break;
        }
        JsonNode *root = json_parser_get_root(parser);
        JsonObject *obj = root && JSON_NODE_HOLDS_OBJECT(root) ? json_node_get_object(root) : NULL;
        const char *type = obj ? json_object_get_string_member_with_default(obj, "type", NULL)
                               : NULL;
        if (!type) {
            diag(name, DIAG_ERROR, "line %" G_GUINT64_FORMAT " is not a record of enoscope "
                                   "check --format json (no \"type\")", no);
            ok = false;
            break;
        }
        if (strcmp(type, "summary") != 0) {
            after_summary++;
            continue;
        }
        summaries++;
        after_summary = 0;
        if (!ms->acc)
            ms->acc = json_object_ref(obj);
        else
            add_object(ms->acc, obj);
    }
    if (ok && ferror(in)) {
        diag(name, DIAG_ERROR, "cannot read: %s", g_strerror(errno));
        ok = false;
    }
    if (ok && summaries == 0) {
        diag(name, DIAG_ERROR, "no summary record: not the JSON output of enoscope check, or "
                               "the run did not finish");
        ok = false;
    } else if (ok && after_summary) {
        diag(name, DIAG_ERROR, "%" G_GUINT64_FORMAT " records after the last summary: a run "
                               "did not finish", after_summary);
        ok = false;
    }
    ms->summaries += summaries;
    free(line);
    g_object_unref(parser);
    return ok;
}

static gint64 get(JsonObject *o, const char *path)
{
    gchar **parts = g_strsplit(path, ".", -1);
    gint64 v = 0;
    for (gchar **p = parts; o && *p; p++) {
        JsonNode *n = json_object_get_member(o, *p);
        if (!n)
            break;
        if (p[1]) {
            o = JSON_NODE_HOLDS_OBJECT(n) ? json_node_get_object(n) : NULL;
        } else if (JSON_NODE_HOLDS_VALUE(n)) {
            v = json_node_get_int(n);
        }
    }
    g_strfreev(parts);
    return v;
}

static void plural(FILE *out, const char *sep, gint64 n, const char *one, const char *many)
{
    fprintf(out, "%s%" G_GINT64_FORMAT " %s", sep, n, n == 1 ? one : many);
}

static void print_text(FILE *out, JsonObject *s)
{
    fputs("enoscope: ", out);
    plural(out, "", get(s, "runs"), "run", "runs");
    plural(out, ", ", get(s, "files"), "file", "files");
    plural(out, ", ", get(s, "packets"), "packet", "packets");
    plural(out, ", ", get(s, "connections"), "connection", "connections");
    fputs(":", out);
    for (unsigned i = 0; i < ENO_STATUS_COUNT; i++) {
        const char *name = eno_status_name(eno_status_at_rank(i));
        gchar *key = g_strdup_printf("status.%s", name);
        fprintf(out, "%s %" G_GINT64_FORMAT " %s", i ? "," : "", get(s, key), name);
        g_free(key);
    }
    JsonObject *reasons = json_object_has_member(s, "reasons")
                          ? json_object_get_object_member(s, "reasons") : NULL;
    if (reasons && get(s, "status.disabled")) {
        const char *sep = " (disabled:";
        for (int i = 0; i < ENO_REASON_COUNT; i++) {
            const char *name = eno_reason_name((eno_reason)i);
            if (name && get(reasons, name) > 0) {
                fprintf(out, "%s %" G_GINT64_FORMAT " %s", sep, get(reasons, name), name);
                sep = ",";
            }
        }
        if (sep[0] == ',')
            fputc(')', out);
    }
    fputs("; findings:", out);
    plural(out, " ", get(s, "findings.error"), "error", "errors");
    plural(out, ", ", get(s, "findings.warning"), "warning", "warnings");
    plural(out, ", ", get(s, "findings.note"), "note", "notes");
    plural(out, ", ", get(s, "findings.ignored"), "ignored", "ignored");
    fputc('\n', out);
    JsonObject *rules = json_object_has_member(s, "rules")
                        ? json_object_get_object_member(s, "rules") : NULL;
    if (rules && json_object_get_size(rules)) {
        fputs("enoscope: findings by rule (reported, ignored):\n", out);
        /* In catalog order, as check lists them. */
        for (int i = 0; i < ENO_RULE_COUNT; i++) {
            const char *id = eno_rule_get((eno_rule_id)i)->id;
            JsonObject *r = json_object_has_member(rules, id)
                            ? json_object_get_object_member(rules, id) : NULL;
            if (r)
                fprintf(out, "  %-32s %8" G_GINT64_FORMAT " %8" G_GINT64_FORMAT "\n", id,
                        get(r, "reported"), get(r, "ignored"));
        }
    }
    JsonArray *inputs = json_object_has_member(s, "inputs")
                        ? json_object_get_array_member(s, "inputs") : NULL;
    for (guint i = 0; inputs && i < json_array_get_length(inputs); i++) {
        JsonObject *in = json_array_get_object_element(inputs, i);
        const char *st = json_object_get_string_member_with_default(in, "status", "");
        if (strcmp(st, "read") == 0)
            continue;
        fprintf(out, "enoscope: %s: %s", json_object_get_string_member_with_default(in, "file",
                                                                                  "?"), st);
        const char *e = json_object_get_string_member_with_default(in, "error", NULL);
        if (e)
            fprintf(out, ": %s", e);
        if (get(in, "stopped_after_frame"))
            fprintf(out, " (stopped after frame %" G_GINT64_FORMAT ")",
                    get(in, "stopped_after_frame"));
        fputc('\n', out);
    }
}

/* True when an input of the merged runs could not be read. */
static bool input_errors(JsonObject *s)
{
    JsonArray *inputs = json_object_has_member(s, "inputs")
                        ? json_object_get_array_member(s, "inputs") : NULL;
    for (guint i = 0; inputs && i < json_array_get_length(inputs); i++) {
        JsonObject *in = json_array_get_object_element(inputs, i);
        if (g_strcmp0(json_object_get_string_member_with_default(in, "status", ""),
                      "error") == 0)
            return true;
    }
    return false;
}

int cmd_merge(int argc, char **argv)
{
    gchar *format = NULL, *fail_on_s = NULL;
    gboolean help = FALSE;
    gchar **files = NULL;
    const GOptionEntry entries[] = {
        {"format", 0, 0, G_OPTION_ARG_STRING, &format, "Output format: text (default) or json "
         "(one summary record, which merge reads again)", "FORMAT"},
        {"fail-on", 0, 0, G_OPTION_ARG_STRING, &fail_on_s, "Exit with status 1 when the runs "
         "reported a finding of this severity or a higher one: note, warning, error (default) "
         "or none", "SEVERITY"},
        {"help", 'h', 0, G_OPTION_ARG_NONE, &help, "Show this help", NULL},
        {G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, "FILE..."},
        {NULL, 0, 0, 0, NULL, NULL, NULL},
    };
    bool ok;
    GOptionContext *ctx = cli_parse("merge", NULL,
                                    "Add up the JSON Lines output (--format json) of any number "
                                    "of enoscope check runs (- reads standard input): totals, "
                                    "counts per outcome, per severity and per rule, and every "
                                    "input file.",
                                    "Exit status: 0 when no merged finding reaches the --fail-on "
                                    "severity, 1 when one does, 2 for usage errors, input that "
                                    "is not the output of finished runs, and runs that could "
                                    "not read an input.\nSee enoscope(1).",
                                    entries, &argc, &argv, &ok);
    int rc = ok ? EXIT_CLEAN : EXIT_TROUBLE;
    eno_severity fail_on = ENO_SEV_ERROR;
    bool json = false;
    merge_state ms = {0};
    if (!ok)
        goto done;
    if (help) {
        cli_print_help(ctx);
        goto done;
    }
    if (format && g_ascii_strcasecmp(format, "json") == 0) {
        json = true;
    } else if (format && g_ascii_strcasecmp(format, "text") != 0) {
        rc = cli_usage_error("merge", "unknown output format (use text or json)");
        goto done;
    }
    if (fail_on_s && !policy_parse_severity(fail_on_s, true, &fail_on)) {
        gchar *msg = g_strdup_printf("unknown severity \"%s\" for --fail-on (use note, "
                                     "warning, error or none)", fail_on_s);
        rc = cli_usage_error("merge", msg);
        g_free(msg);
        goto done;
    }
    if (!files || !files[0]) {
        rc = cli_usage_error("merge", "no input file (give one or more, - for stdin)");
        goto done;
    }
    for (gchar **f = files; *f; f++) {
        bool is_stdin = strcmp(*f, "-") == 0;
        FILE *in = is_stdin ? stdin : fopen(*f, "r");
        if (!in) {
            diag(*f, DIAG_ERROR, "cannot open: %s", g_strerror(errno));
            ms.trouble = true;
            continue;
        }
        if (!read_stream(in, *f, &ms))
            ms.trouble = true;
        if (!is_stdin)
            fclose(in);
    }
    if (ms.acc) {
        if (json) {
            JsonNode *root = json_node_new(JSON_NODE_OBJECT);
            json_node_set_object(root, ms.acc);
            gchar *text = json_to_string(root, FALSE);
            printf("%s\n", text);
            g_free(text);
            json_node_unref(root);
        } else {
            print_text(stdout, ms.acc);
        }
        fflush(stdout);
        if (input_errors(ms.acc))
            ms.trouble = true;
    }
    if (ms.trouble) {
        rc = EXIT_TROUBLE;
    } else if (ms.acc && fail_on != ENO_SEV_NONE) {
        static const char *const keys[] = {"", "findings.note", "findings.warning",
                                           "findings.error"};
        for (int s = fail_on; s < ENO_SEV_COUNT; s++)
            if (get(ms.acc, keys[s]) > 0)
                rc = EXIT_FINDINGS;
    }
done:
    if (ms.acc)
        json_object_unref(ms.acc);
    g_option_context_free(ctx);
    g_free(format);
    g_free(fail_on_s);
    g_strfreev(files);
    return rc;
}
