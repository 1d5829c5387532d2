/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What the subcommands share on the command line: option parsing (GOption),
 * help, usage errors and the exit codes. */
#ifndef ENOSCOPE_CLI_H
#define ENOSCOPE_CLI_H

#include <stdbool.h>

#include <glib.h>

#define EXIT_CLEAN 0
#define EXIT_FINDINGS 1
#define EXIT_TROUBLE 2

/* Prints the message and the hint to --help; returns EXIT_TROUBLE.
 * command: "check", ..., or NULL for the top level. */
int cli_usage_error(const char *command, const char *msg);

/* Parses argv for `enoscope name`; on failure prints the message and sets
 * *ok false.  The context is returned for --help (the caller frees it). */
GOptionContext *cli_parse(const char *name, const char *params, const char *summary,
                          const char *description, const GOptionEntry *entries, int *argc,
                          char ***argv, bool *ok);

/* The help's closing words for check (the exit codes). */
extern const char cli_check_description[];
void cli_print_help(GOptionContext *ctx);

bool cli_parse_count(const char *s, guint64 min, guint64 max, guint64 *out);

/* The subcommands (argc/argv start at the command's name). */
int cmd_check(int argc, char **argv);
int cmd_rules(int argc, char **argv);
int cmd_merge(int argc, char **argv);

#endif
