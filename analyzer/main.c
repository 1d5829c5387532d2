/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * enoscope: command line (GOption) and subcommands.
 *
 *   enoscope check [OPTION...] FILE...    check TCP-ENO handshakes in captures
 *   enoscope rules [OPTION...]            print the rule catalog
 *   enoscope compare [OPTION...] F1 F2    compare captures from two points of a path
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>
#include <pcap/pcap.h>

#include "check.h"
#include "compare.h"
#include "diag.h"
#include "rules_cmd.h"

static const char top_usage[] =
    "Usage: enoscope COMMAND [OPTION...] [ARG...]\n"
    "\n"
    "Check TCP-ENO (RFC 8547) encryption negotiation in packet captures.\n"
    "\n"
    "Commands:\n"
    "  check [OPTION...] FILE...   check the handshakes in captures (- for stdin; a\n"
    "                              directory is walked for capture files)\n"
    "  rules [OPTION...]           print the rule catalog\n"
    "  compare [OPTION...] FILE1 FILE2\n"
    "                              compare captures taken at two points of a path\n"
    "\n"
    "Options:\n"
    "  -h, --help                  show this help\n"
    "  -V, --version               show the version\n"
    "\n"
    "Run 'enoscope COMMAND --help' for a command's options. Exit status: 0 when no\n"
    "finding reaches the --fail-on severity, 1 when one does, 2 for usage errors and\n"
    "unreadable, empty, truncated or corrupt input.\n";

static int usage_error(const char *command, const char *msg)
{
    diag(NULL, DIAG_ERROR, "%s", msg);
    fprintf(stderr, "Try 'enoscope %s--help' for more information.\n", command ? command : "");
    return EXIT_TROUBLE;
}

static void print_help(GOptionContext *ctx)
{
    gchar *help = g_option_context_get_help(ctx, TRUE, NULL);
    fputs(help, stdout);
    g_free(help);
}

static bool parse_count(const char *s, guint64 min, guint64 max, guint64 *out)
{
    return g_ascii_string_to_unsigned(s, 10, min, max, out, NULL);
}

typedef struct {
    gchar *format, *fail_on, *filter, *max_conn, *idle, *color, *interface, *count;
    gboolean no_progress, help, long_form;
    gchar **files;
} cli;

static void cli_free(cli *c)
{
    g_free(c->format);
    g_free(c->fail_on);
    g_free(c->filter);
    g_free(c->max_conn);
    g_free(c->idle);
    g_free(c->color);
    g_free(c->interface);
    g_free(c->count);
    g_strfreev(c->files);
}

static bool parse_format(const char *s, out_format *out)
{
    if (!s || strcmp(s, "text") == 0)
        *out = FORMAT_TEXT;
    else if (strcmp(s, "json") == 0)
        *out = FORMAT_JSON;
    else
        return false;
    return true;
}

/* Parses argv with entries; on failure prints the message and returns
 * false.  The context is returned for --help. */
static GOptionContext *parse(const char *name, const char *params, const char *summary,
                             const GOptionEntry *entries, int *argc, char ***argv, bool *ok)
{
    gchar *prgname = g_strdup_printf("enoscope %s", name);
    g_set_prgname(prgname);
    g_free(prgname);
    GOptionContext *ctx = g_option_context_new(params);
    g_option_context_set_help_enabled(ctx, FALSE);
    g_option_context_set_summary(ctx, summary);
    g_option_context_set_description(ctx, "Exit status: 0 when no finding reaches the --fail-on "
                                          "severity, 1 when one does, 2 for usage errors and "
                                          "unreadable, empty, truncated or corrupt input.\n"
                                          "See enoscope(1).");
    g_option_context_add_main_entries(ctx, entries, NULL);
    GError *err = NULL;
    *ok = g_option_context_parse(ctx, argc, argv, &err);
    if (!*ok) {
        gchar *cmd = g_strdup_printf("%s ", name);
        usage_error(cmd, err->message);
        g_free(cmd);
        g_error_free(err);
    }
    return ctx;
}

static int validate_check(cli *c, check_options *opt)
{
    *opt = (check_options){.fail_on = ENO_SEV_ERROR, .filter = c->filter,
                           .max_connections = DEFAULT_MAX_CONNECTIONS,
                           .idle_usec = (gint64)DEFAULT_IDLE_SECONDS * G_USEC_PER_SEC,
                           .color = COLOR_AUTO, .progress = !c->no_progress};
    char msg[256];
    if (!parse_format(c->format, &opt->format)) {
        snprintf(msg, sizeof msg, "unknown output format \"%s\" (use text or json)", c->format);
        return usage_error("check ", msg);
    }
    if (c->fail_on && !eno_severity_parse(c->fail_on, &opt->fail_on)) {
        snprintf(msg, sizeof msg, "unknown severity \"%s\" for --fail-on (use note, warning, "
                                  "error or none)", c->fail_on);
        return usage_error("check ", msg);
    }
    guint64 n;
    if (c->max_conn) {
        if (!parse_count(c->max_conn, 1, G_MAXUINT32, &n)) {
            snprintf(msg, sizeof msg, "--max-connections needs a positive number, not \"%s\"",
                     c->max_conn);
            return usage_error("check ", msg);
        }
        opt->max_connections = (guint)n;
    }
    if (c->idle) {
        if (!parse_count(c->idle, 1, G_MAXINT32, &n)) {
            snprintf(msg, sizeof msg, "--idle-timeout needs a positive number of seconds, "
                                      "not \"%s\"", c->idle);
            return usage_error("check ", msg);
        }
        opt->idle_usec = (gint64)n * G_USEC_PER_SEC;
    }
    if (c->color && !color_mode_parse(c->color, &opt->color)) {
        snprintf(msg, sizeof msg, "unknown --color value \"%s\" (use auto, always or never)",
                 c->color);
        return usage_error("check ", msg);
    }
    if (c->count) {
        if (!parse_count(c->count, 1, G_MAXUINT64, &n)) {
            snprintf(msg, sizeof msg, "-c needs a positive number of packets, not \"%s\"",
                     c->count);
            return usage_error("check ", msg);
        }
        if (!c->interface)
            return usage_error("check ", "-c (a packet count) applies to live capture (-i)");
        opt->count = n;
    }
    if (c->interface) {
        if (c->files && c->files[0])
            return usage_error("check ", "give either an interface (-i) or files, not both");
        opt->interface = c->interface;
        opt->progress = false;
        return EXIT_CLEAN;
    }
    if (!c->files || !c->files[0])
        return usage_error("check ", "no input file (give one or more, - for stdin, or -i "
                                     "INTERFACE)");
    int stdin_uses = 0;
    for (gchar **f = c->files; *f; f++)
        stdin_uses += strcmp(*f, "-") == 0;
    if (stdin_uses > 1)
        return usage_error("check ", "standard input (-) can be read only once");
    opt->progress = opt->progress && isatty(STDERR_FILENO) == 1;
    return EXIT_CLEAN;
}

static int cmd_check(int argc, char **argv)
{
    cli c = {0};
    const GOptionEntry entries[] = {
        {"format", 0, 0, G_OPTION_ARG_STRING, &c.format, "Output format: text (default) or "
         "json (JSON Lines)", "FORMAT"},
        {"fail-on", 0, 0, G_OPTION_ARG_STRING, &c.fail_on, "Exit with status 1 when a finding "
         "has this severity or a higher one: note, warning, error (default) or none", "SEVERITY"},
        {"filter", 'f', 0, G_OPTION_ARG_STRING, &c.filter, "Read only the packets this BPF "
         "expression (tcpdump syntax) accepts", "EXPRESSION"},
        {"interface", 'i', 0, G_OPTION_ARG_STRING, &c.interface, "Capture live on this "
         "network interface (as tcpdump -i) instead of reading files", "INTERFACE"},
        {"count", 'c', 0, G_OPTION_ARG_STRING, &c.count, "With -i: stop after this many "
         "packets", "COUNT"},
        {"max-connections", 0, 0, G_OPTION_ARG_STRING, &c.max_conn, "Track at most N "
         "connections at once; more are dropped and counted (default 100000)", "N"},
        {"idle-timeout", 0, 0, G_OPTION_ARG_STRING, &c.idle, "Judge a connection idle for this "
         "long in capture time (default 300)", "SECONDS"},
        {"color", 0, 0, G_OPTION_ARG_STRING, &c.color, "Colour the text output: auto "
         "(default: on a terminal), always or never; NO_COLOR turns it off", "WHEN"},
        {"no-progress", 0, 0, G_OPTION_ARG_NONE, &c.no_progress, "Never show the progress bar",
         NULL},
        {"help", 'h', 0, G_OPTION_ARG_NONE, &c.help, "Show this help", NULL},
        {G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &c.files, NULL, "FILE..."},
        {NULL, 0, 0, 0, NULL, NULL, NULL},
    };
    bool ok;
    GOptionContext *ctx = parse("check", NULL,
                                "Check the TCP-ENO handshakes in pcap and pcapng files (- reads "
                                "standard input; a directory is walked for captures).",
                                entries, &argc, &argv, &ok);
    int rc = ok ? EXIT_CLEAN : EXIT_TROUBLE;
    if (ok && c.help) {
        print_help(ctx);
    } else if (ok) {
        check_options opt;
        rc = validate_check(&c, &opt);
        if (rc == EXIT_CLEAN)
            rc = check_run(&opt, c.files, c.files ? (int)g_strv_length(c.files) : 0);
    }
    g_option_context_free(ctx);
    cli_free(&c);
    return rc;
}

static int cmd_rules(int argc, char **argv)
{
    cli c = {0};
    const GOptionEntry entries[] = {
        {"format", 0, 0, G_OPTION_ARG_STRING, &c.format, "Output format: text (default) or "
         "json (JSON Lines)", "FORMAT"},
        {"long", 'l', 0, G_OPTION_ARG_NONE, &c.long_form, "Also print each rule's description",
         NULL},
        {"color", 0, 0, G_OPTION_ARG_STRING, &c.color, "Colour the text output: auto, always or "
         "never", "WHEN"},
        {"help", 'h', 0, G_OPTION_ARG_NONE, &c.help, "Show this help", NULL},
        {G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &c.files, NULL, NULL},
        {NULL, 0, 0, 0, NULL, NULL, NULL},
    };
    bool ok;
    GOptionContext *ctx = parse("rules", "", "Print the rule catalog: id, severity (RFC 8547 "
                                "and draft profiles), RFC 8547 section, title.",
                                entries, &argc, &argv, &ok);
    int rc = ok ? EXIT_CLEAN : EXIT_TROUBLE;
    out_format format = FORMAT_TEXT;
    color_mode color = COLOR_AUTO;
    if (ok && c.help) {
        print_help(ctx);
    } else if (ok && c.files && c.files[0]) {
        rc = usage_error("rules ", "the rules command takes no arguments");
    } else if (ok && !parse_format(c.format, &format)) {
        rc = usage_error("rules ", "unknown output format (use text or json)");
    } else if (ok && c.color && !color_mode_parse(c.color, &color)) {
        rc = usage_error("rules ", "unknown --color value (use auto, always or never)");
    } else if (ok) {
        rules_print(stdout, format, c.long_form, color_enabled(color, STDOUT_FILENO));
    }
    g_option_context_free(ctx);
    cli_free(&c);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return usage_error(NULL, "no command given (check, rules or compare)");
    const char *cmd = argv[1];
    if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0) {
        fputs(top_usage, stdout);
        return EXIT_CLEAN;
    }
    if (strcmp(cmd, "-V") == 0 || strcmp(cmd, "--version") == 0) {
        printf("enoscope %s (engine %s, %s)\n", ENOSCOPE_VERSION, eno_version(),
               pcap_lib_version());
        return EXIT_CLEAN;
    }
    if (strcmp(cmd, "check") == 0)
        return cmd_check(argc - 1, argv + 1);
    if (strcmp(cmd, "rules") == 0)
        return cmd_rules(argc - 1, argv + 1);
    if (strcmp(cmd, "compare") == 0)
        return compare_main(argc - 1, argv + 1);
    char msg[256];
    snprintf(msg, sizeof msg, "unknown command \"%s\" (use check, rules or compare)", cmd);
    return usage_error(NULL, msg);
}
