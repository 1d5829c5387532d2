/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `enoscope compare FILE1 FILE2`: options, the run and its exit code. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "compare.h"
#include "diag.h"
#include "stop.h"

static int usage_error(const char *msg)
{
    diag(NULL, DIAG_ERROR, "%s", msg);
    fprintf(stderr, "Try 'enoscope compare --help' for more information.\n");
    return EXIT_TROUBLE;
}

static bool parse_positive(const char *s, guint *out)
{
    guint64 n;
    if (!g_ascii_string_to_unsigned(s, 10, 1, G_MAXUINT32, &n, NULL))
        return false;
    *out = (guint)n;
    return true;
}

static int run(const compare_options *opt, char **files)
{
    stop_install();
    cmp_file f[2];
    bool partial[2] = {false, false}, ok[2];
    memset(f, 0, sizeof f);
    ok[0] = cmp_read(files[0], opt, &f[0], &partial[0]);
    ok[1] = ok[0] || partial[0] ? cmp_read(files[1], opt, &f[1], &partial[1]) : false;
    /* A file that could not be opened leaves nothing to compare; one cut
     * short is compared as far as it goes, and the run still fails. */
    if ((!ok[0] && !partial[0]) || (!ok[1] && !partial[1])) {
        cmp_file_clear(&f[0]);
        cmp_file_clear(&f[1]);
        return EXIT_TROUBLE;
    }
    for (int p = 0; p < 2; p++)
        for (guint i = 0; i < f[p].conns->len; i++)
            cmp_judge(g_ptr_array_index(f[p].conns, i));
    cmp_clock clock;
    GPtrArray *res = cmp_match(f, &clock);
    cmp_out *out = cmp_out_new(opt->format);
    cmp_out_header(out, f, &clock);
    cmp_totals totals = {0};
    for (guint i = 0; i < res->len && !stop_output_is_closed(); i++) {
        if (ferror(stdout)) {
            stop_output_closed(); /* a closed pipe: nobody reads the rest */
            break;
        }
        cmp_result *r = g_ptr_array_index(res, i);
        cmp_diff_result(r, f, &clock);
        cmp_verdict(r, &clock);
        cmp_out_result(out, r, &totals);
        /* Printed: only the totals keep what it found. */
        cmp_result_free(r);
        g_ptr_array_index(res, i) = NULL;
    }
    cmp_out_summary(out, f, &clock, &totals);
    if (fflush(stdout) != 0)
        stop_output_closed();
    cmp_out_free(out);
    g_ptr_array_unref(res);
    cmp_file_clear(&f[0]);
    cmp_file_clear(&f[1]);
    if (!ok[0] || !ok[1])
        return EXIT_TROUBLE;
    return totals.eno_differences ? EXIT_FINDINGS : EXIT_CLEAN;
}

int compare_main(int argc, char **argv)
{
    gchar *format = NULL, *max_conn = NULL, *max_segs = NULL;
    gboolean help = FALSE;
    gchar **files = NULL;
    const GOptionEntry entries[] = {
        {"format", 0, 0, G_OPTION_ARG_STRING, &format, "Output format: text (default) or json "
         "(JSON Lines)", "FORMAT"},
        {"max-connections", 0, 0, G_OPTION_ARG_STRING, &max_conn, "Compare at most N "
         "connections of each file; later ones are counted (default 100000)", "N"},
        {"max-segments", 0, 0, G_OPTION_ARG_STRING, &max_segs, "Keep at most N segments of "
         "each connection; later ones are counted (default 256)", "N"},
        {"help", 'h', 0, G_OPTION_ARG_NONE, &help, "Show this help", NULL},
        {G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, "FILE1 FILE2"},
        {NULL, 0, 0, 0, NULL, NULL, NULL},
    };
    g_set_prgname("enoscope compare");
    GOptionContext *ctx = g_option_context_new(NULL);
    g_option_context_set_help_enabled(ctx, FALSE);
    g_option_context_set_summary(ctx, "Compare two captures of the same traffic taken at two "
                                      "points of its path (at the client and at the server, or "
                                      "before and after a middlebox): what the path changed in "
                                      "each segment, and what that did to ENO.");
    g_option_context_set_description(ctx, "Exit status: 0 when no difference touches ENO, 1 "
                                           "when one does, 2 for usage errors and unreadable, "
                                           "empty, truncated or corrupt input.\n"
                                           "See enoscope(1).");
    g_option_context_add_main_entries(ctx, entries, NULL);
    GError *err = NULL;
    int rc = EXIT_CLEAN;
    compare_options opt = {.format = FORMAT_TEXT, .max_connections = DEFAULT_MAX_CONNECTIONS,
                           .max_segments = COMPARE_DEFAULT_SEGMENTS};
    char msg[256];
    if (!g_option_context_parse(ctx, &argc, &argv, &err)) {
        rc = usage_error(err->message);
        g_error_free(err);
    } else if (help) {
        gchar *text = g_option_context_get_help(ctx, TRUE, NULL);
        fputs(text, stdout);
        g_free(text);
    } else if (format && strcmp(format, "text") != 0 && strcmp(format, "json") != 0) {
        snprintf(msg, sizeof msg, "unknown output format \"%s\" (use text or json)", format);
        rc = usage_error(msg);
    } else if (max_conn && !parse_positive(max_conn, &opt.max_connections)) {
        snprintf(msg, sizeof msg, "--max-connections needs a positive number, not \"%s\"",
                 max_conn);
        rc = usage_error(msg);
    } else if (max_segs && !parse_positive(max_segs, &opt.max_segments)) {
        snprintf(msg, sizeof msg, "--max-segments needs a positive number, not \"%s\"",
                 max_segs);
        rc = usage_error(msg);
    } else if (!files || g_strv_length(files) != 2) {
        rc = usage_error("compare takes two capture files (FILE1 FILE2)");
    } else if (strcmp(files[0], "-") == 0 && strcmp(files[1], "-") == 0) {
        rc = usage_error("standard input (-) can be read only once");
    } else {
        if (format && strcmp(format, "json") == 0)
            opt.format = FORMAT_JSON;
        rc = run(&opt, files);
    }
    g_option_context_free(ctx);
    g_free(format);
    g_free(max_conn);
    g_free(max_segs);
    g_strfreev(files);
    return rc;
}
