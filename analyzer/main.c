/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * enoscope: the top-level command line and dispatch to the subcommands
 * (each in its own file; cli.h declares them).
 *
 *   enoscope check [OPTION...] FILE...    check TCP-ENO handshakes in captures
 *   enoscope rules [OPTION...] [RULE...]  print the rule catalog, or explain rules
 *   enoscope merge [OPTION...] FILE...    add up the JSON output of check runs
 *   enoscope compare [OPTION...] F1 F2    compare captures from two points of a path
 */
#include <stdio.h>
#include <string.h>

#include <glib.h>
#include <pcap/pcap.h>

#include "eno/eno.h"

#include "cli.h"
#include "compare.h"

static const char top_usage[] =
    "Usage: enoscope COMMAND [OPTION...] [ARG...]\n"
    "\n"
    "Check TCP-ENO (RFC 8547) encryption negotiation in packet captures.\n"
    "\n"
    "Commands:\n"
    "  check [OPTION...] FILE...   check the handshakes in captures (- for stdin; a\n"
    "                              directory is walked for capture files)\n"
    "  rules [OPTION...] [RULE...] print the rule catalog, or explain the rules given\n"
    "  merge [OPTION...] FILE...   add up the JSON Lines of check runs (- for stdin)\n"
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

int main(int argc, char **argv)
{
    if (argc < 2)
        return cli_usage_error(NULL, "no command given (check, rules, merge or compare)");
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
    if (strcmp(cmd, "merge") == 0)
        return cmd_merge(argc - 1, argv + 1);
    if (strcmp(cmd, "compare") == 0)
        return compare_main(argc - 1, argv + 1);
    char msg[256];
    snprintf(msg, sizeof msg, "unknown command \"%s\" (use check, rules, merge or compare)", cmd);
    return cli_usage_error(NULL, msg);
}
