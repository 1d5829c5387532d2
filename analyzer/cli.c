/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Command-line helpers shared by the subcommands (cli.h). */
#include <stdio.h>

#include "cli.h"
#include "diag.h"

int cli_usage_error(const char *command, const char *msg)
{
    diag(NULL, DIAG_ERROR, "%s", msg);
    fprintf(stderr, "enoscope: try 'enoscope %s%s--help' for more information\n",
            command ? command : "", command ? " " : "");
    return EXIT_TROUBLE;
}

void cli_print_help(GOptionContext *ctx)
{
    gchar *help = g_option_context_get_help(ctx, TRUE, NULL);
    fputs(help, stdout);
    g_free(help);
}

bool cli_parse_count(const char *s, guint64 min, guint64 max, guint64 *out)
{
    return g_ascii_string_to_unsigned(s, 10, min, max, out, NULL);
}

const char cli_check_description[] =
    "Exit status: 0 when no finding reaches the --fail-on severity, 1 when one does, 2 for "
    "usage errors and unreadable, empty, truncated or corrupt input.\nSee enoscope(1).";

GOptionContext *cli_parse(const char *name, const char *params, const char *summary,
                          const char *description, const GOptionEntry *entries, int *argc,
                          char ***argv, bool *ok)
{
    gchar *prgname = g_strdup_printf("enoscope %s", name);
    g_set_prgname(prgname);
    g_free(prgname);
    GOptionContext *ctx = g_option_context_new(params);
    g_option_context_set_help_enabled(ctx, FALSE);
    g_option_context_set_summary(ctx, summary);
    g_option_context_set_description(ctx, description);
    g_option_context_add_main_entries(ctx, entries, NULL);
    GError *err = NULL;
    *ok = g_option_context_parse(ctx, argc, argv, &err);
    if (!*ok) {
        cli_usage_error(name, err->message);
        g_error_free(err);
    }
    return ctx;
}
