/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The `check` command line: its options, the configuration file under
 * them, and their validation into check_options. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "cli.h"
#include "config.h"
#include "diag.h"

typedef struct {
    gchar *format, *fail_on, *filter, *max_conn, *idle, *color, *interface, *count,
        *connections, *config, *output, *jobs;
    gchar **select, **ignore, **severity;
    gboolean no_progress, help, quiet, no_config;
    gchar **files;
} check_cli;

static void check_cli_free(check_cli *c)
{
    g_free(c->format);
    g_free(c->fail_on);
    g_free(c->filter);
    g_free(c->max_conn);
    g_free(c->idle);
    g_free(c->color);
    g_free(c->interface);
    g_free(c->count);
    g_free(c->connections);
    g_free(c->config);
    g_free(c->output);
    g_free(c->jobs);
    g_strfreev(c->select);
    g_strfreev(c->ignore);
    g_strfreev(c->severity);
    g_strfreev(c->files);
}

static bool parse_format(const char *s, out_format *out)
{
    static const char *const names[] = {"text", "json", "junit"};
    for (unsigned i = 0; i < G_N_ELEMENTS(names); i++) {
        if (g_ascii_strcasecmp(s, names[i]) == 0) {
            *out = (out_format)i;
            return true;
        }
    }
    return false;
}

static bool parse_list(const char *s, list_choice *out)
{
    static const char *const names[] = {"all", "eno", "findings"};
    for (unsigned i = 0; i < G_N_ELEMENTS(names); i++) {
        if (g_ascii_strcasecmp(s, names[i]) == 0) {
            *out = (list_choice)i;
            return true;
        }
    }
    return false;
}

/* A setting's value and where it came from: the command line wins. */
typedef struct {
    const char *value;
    const char *what;     /* "--fail-on" or "fail-on in FILE" */
    gchar *owned;
} setting;

static setting pick(const char *flag, const char *given, const char *key,
                    const char *from_file, const check_config *cfg)
{
    if (given || !from_file)
        return (setting){given, flag, NULL};
    gchar *what = g_strdup_printf("%s in %s", key, cfg->path);
    return (setting){from_file, what, what};
}

static int bad_value(setting *s, const char *kind, const char *choices)
{
    char msg[512];
    snprintf(msg, sizeof msg, "unknown %s \"%s\" for %s (use %s)", kind, s->value, s->what,
             choices);
    g_free(s->owned);
    return cli_usage_error("check", msg);
}

/* Checks one list of rule patterns; says where it came from when it fails. */
static int check_patterns(char **list, bool from_file, const check_config *cfg)
{
    rule_policy tmp;
    char bad[128];
    if (policy_select(&tmp, list, NULL, bad, sizeof bad))
        return EXIT_CLEAN;
    char msg[512];
    snprintf(msg, sizeof msg, "unknown rule or area \"%s\"%s%s (enoscope rules lists them)",
             bad, from_file ? " in " : "", from_file ? cfg->path : "");
    return cli_usage_error("check", msg);
}

static int rule_options(check_cli *c, const check_config *cfg, check_options *opt)
{
    policy_init(&opt->policy);
    char bad[128];
    char **select = c->select ? c->select : cfg->select;
    char **ignore = c->ignore ? c->ignore : cfg->ignore;
    if (check_patterns(select, !c->select, cfg) != EXIT_CLEAN ||
        check_patterns(ignore, !c->ignore, cfg) != EXIT_CLEAN ||
        !policy_select(&opt->policy, select, ignore, bad, sizeof bad))
        return EXIT_TROUBLE;
    char err[512];
    for (gchar **s = cfg->severity; s && *s; s++) {
        if (!policy_regrade(&opt->policy, *s, err, sizeof err)) {
            diag(cfg->path, DIAG_ERROR, "[severity]: %s", err);
            return EXIT_TROUBLE;
        }
    }
    for (gchar **s = c->severity; s && *s; s++)
        if (!policy_regrade(&opt->policy, *s, err, sizeof err))
            return cli_usage_error("check", err);
    return EXIT_CLEAN;
}

static int validate(check_cli *c, const check_config *cfg, check_options *opt)
{
    *opt = (check_options){.fail_on = ENO_SEV_ERROR, .filter = c->filter,
                           .max_connections = DEFAULT_MAX_CONNECTIONS,
                           .idle_usec = (gint64)DEFAULT_IDLE_SECONDS * G_USEC_PER_SEC,
                           .color = COLOR_AUTO, .progress = !c->no_progress,
                           .quiet = c->quiet, .output = c->output};
    setting s = pick("--format", c->format, "format", cfg->format, cfg);
    if (s.value && !parse_format(s.value, &opt->format))
        return bad_value(&s, "output format", "text, json or junit");
    g_free(s.owned);
    opt->list = opt->format == FORMAT_JSON ? LIST_ALL : LIST_ENO;
    s = pick("--connections", c->connections, "connections", cfg->connections, cfg);
    if (s.value && !parse_list(s.value, &opt->list))
        return bad_value(&s, "value", "all, eno or findings");
    g_free(s.owned);
    if (opt->quiet)
        opt->list = LIST_FINDINGS;
    s = pick("--fail-on", c->fail_on, "fail-on", cfg->fail_on, cfg);
    if (s.value && !policy_parse_severity(s.value, true, &opt->fail_on))
        return bad_value(&s, "severity",
                         "note, warning, error or none");
    g_free(s.owned);
    s = pick("--color", c->color, "color", cfg->color, cfg);
    if (s.value && !color_mode_parse(s.value, &opt->color))
        return bad_value(&s, "value", "auto, always or never");
    g_free(s.owned);
    int rc = rule_options(c, cfg, opt);
    if (rc != EXIT_CLEAN)
        return rc;

    char msg[256];
    guint64 n;
    if (c->max_conn) {
        if (!cli_parse_count(c->max_conn, 1, G_MAXUINT32, &n)) {
            snprintf(msg, sizeof msg, "--max-connections needs a positive number, not \"%s\"",
                     c->max_conn);
            return cli_usage_error("check", msg);
        }
        opt->max_connections = (guint)n;
    }
    if (c->idle) {
        if (!cli_parse_count(c->idle, 1, G_MAXINT32, &n)) {
            snprintf(msg, sizeof msg, "--idle-timeout needs a positive number of seconds, "
                                      "not \"%s\"", c->idle);
            return cli_usage_error("check", msg);
        }
        opt->idle_usec = (gint64)n * G_USEC_PER_SEC;
    }
    if (c->count) {
        if (!cli_parse_count(c->count, 1, G_MAXUINT64, &n)) {
            snprintf(msg, sizeof msg, "-c needs a positive number of packets, not \"%s\"",
                     c->count);
            return cli_usage_error("check", msg);
        }
        opt->count = n;
    }
    opt->jobs = 1;
    if (c->jobs) {
        if (!cli_parse_count(c->jobs, 1, MAX_JOBS, &n)) {
            snprintf(msg, sizeof msg, "-j needs a number of inputs from 1 to %d, not \"%s\"",
                     MAX_JOBS, c->jobs);
            return cli_usage_error("check", msg);
        }
        opt->jobs = (guint)n;
    }
    if (c->output && !*c->output)
        return cli_usage_error("check", "-o needs a file name");
    if (c->interface) {
        if (c->files && c->files[0])
            return cli_usage_error("check", "give either an interface (-i) or files, not both");
        if (opt->jobs > 1)
            return cli_usage_error("check", "-j reads files at once; it does not apply to a "
                                            "live capture (-i)");
        opt->interface = c->interface;
        opt->progress = false;
        return EXIT_CLEAN;
    }
    if (!c->files || !c->files[0])
        return cli_usage_error("check", "no input file (give one or more, - for stdin, or -i "
                                        "INTERFACE)");
    int stdin_uses = 0;
    for (gchar **f = c->files; *f; f++)
        stdin_uses += strcmp(*f, "-") == 0;
    if (stdin_uses > 1)
        return cli_usage_error("check", "standard input (-) can be read only once");
    /* One bar per input at once would garble the terminal line. */
    opt->progress = opt->progress && isatty(STDERR_FILENO) == 1 && opt->jobs == 1;
    return EXIT_CLEAN;
}

int cmd_check(int argc, char **argv)
{
    check_cli c = {0};
    const GOptionEntry entries[] = {
        {"format", 0, 0, G_OPTION_ARG_STRING, &c.format, "Output format: text (default), "
         "json (JSON Lines) or junit (JUnit XML)", "FORMAT"},
        {"connections", 0, 0, G_OPTION_ARG_STRING, &c.connections, "Which connections get a "
         "line or a record: all, eno (ENO in a SYN, or a finding; the default for text and "
         "junit) or findings; all is the default for json. The others are counted in the "
         "totals", "WHICH"},
        {"quiet", 'q', 0, G_OPTION_ARG_NONE, &c.quiet, "Print only the findings and the totals",
         NULL},
        {"fail-on", 0, 0, G_OPTION_ARG_STRING, &c.fail_on, "Exit with status 1 when a finding "
         "has this severity or a higher one: note, warning, error (default) or none", "SEVERITY"},
        {"select", 0, 0, G_OPTION_ARG_STRING_ARRAY, &c.select, "Report only these rules (ids "
         "or areas such as syntax, comma-separated; repeatable)", "RULES"},
        {"ignore", 0, 0, G_OPTION_ARG_STRING_ARRAY, &c.ignore, "Do not report these rules (ids "
         "or areas; counted as ignored in the totals)", "RULES"},
        {"severity", 0, 0, G_OPTION_ARG_STRING_ARRAY, &c.severity, "Report a rule (or an area) "
         "at this severity: note, warning or error (repeatable)", "RULE=LEVEL"},
        {"config", 0, 0, G_OPTION_ARG_FILENAME, &c.config, "Read settings from this key file "
         "(default: .enoscope.conf in the current directory, when there is one)", "FILE"},
        {"no-config", 0, 0, G_OPTION_ARG_NONE, &c.no_config, "Read no configuration file",
         NULL},
        {"output", 'o', 0, G_OPTION_ARG_FILENAME, &c.output, "Write the report to this file "
         "instead of standard output", "FILE"},
        {"filter", 'f', 0, G_OPTION_ARG_STRING, &c.filter, "Read only the packets this BPF "
         "expression (tcpdump syntax) accepts", "EXPRESSION"},
        {"interface", 'i', 0, G_OPTION_ARG_STRING, &c.interface, "Capture live on this "
         "network interface (as tcpdump -i) instead of reading files", "INTERFACE"},
        {"jobs", 'j', 0, G_OPTION_ARG_STRING, &c.jobs, "Read N input files at once; the "
         "output is the same as read one after another", "N"},
        {"count", 'c', 0, G_OPTION_ARG_STRING, &c.count, "Stop after this many packets",
         "COUNT"},
        {"max-connections", 0, 0, G_OPTION_ARG_STRING, &c.max_conn, "Track at most N "
         "connections at once; more are dropped and counted (default 100000)", "N"},
        {"idle-timeout", 0, 0, G_OPTION_ARG_STRING, &c.idle, "Judge a connection idle for this "
         "long in capture time (default 300)", "SECONDS"},
        {"color", 0, 0, G_OPTION_ARG_STRING, &c.color, "Colour the text output: auto "
         "(default: on a terminal, unless NO_COLOR is set), always or never", "WHEN"},
        {"no-progress", 0, 0, G_OPTION_ARG_NONE, &c.no_progress, "Never show the progress bar",
         NULL},
        {"help", 'h', 0, G_OPTION_ARG_NONE, &c.help, "Show this help", NULL},
        {G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &c.files, NULL, "FILE..."},
        {NULL, 0, 0, 0, NULL, NULL, NULL},
    };
    bool ok;
    GOptionContext *ctx = cli_parse("check", NULL,
                                    "Check the TCP-ENO handshakes in pcap and pcapng files (- "
                                    "reads standard input; a directory is walked for captures).",
                                    cli_check_description, entries, &argc, &argv, &ok);
    int rc = ok ? EXIT_CLEAN : EXIT_TROUBLE;
    if (ok && c.help) {
        cli_print_help(ctx);
    } else if (ok && c.config && c.no_config) {
        rc = cli_usage_error("check", "give either --config or --no-config, not both");
    } else if (ok) {
        check_config cfg = {0};
        if (!c.no_config && !config_load(c.config, &cfg)) {
            rc = EXIT_TROUBLE;
        } else {
            check_options opt;
            rc = validate(&c, &cfg, &opt);
            if (rc == EXIT_CLEAN)
                rc = check_run(&opt, c.files, c.files ? (int)g_strv_length(c.files) : 0);
        }
        config_free(&cfg);
    }
    g_option_context_free(ctx);
    check_cli_free(&c);
    return rc;
}
