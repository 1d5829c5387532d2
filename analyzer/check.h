/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The `check` subcommand: options and the run over every input file. */
#ifndef ENOSCOPE_CHECK_H
#define ENOSCOPE_CHECK_H

#include <stdbool.h>

#include <glib.h>

#include "cli.h"
#include "color.h"
#include "policy.h"
#include "report.h"

#define DEFAULT_MAX_CONNECTIONS 100000
#define DEFAULT_IDLE_SECONDS 300
#define MAX_JOBS 256

typedef struct {
    out_format format;
    eno_severity fail_on;     /* ENO_SEV_NONE: never fail on findings */
    const char *filter;       /* BPF expression or NULL */
    guint max_connections;
    gint64 idle_usec;
    color_mode color;
    bool progress;
    const char *interface;    /* -i: capture live here instead of reading files */
    guint64 count;            /* -c: stop after this many packets (0: never) */
    list_choice list;         /* --connections */
    bool quiet;               /* -q */
    rule_policy policy;       /* --select, --ignore, --severity */
    const char *output;       /* -o: write here instead of standard output */
    guint jobs;               /* -j: inputs read at once (1: one after another) */
} check_options;

/* Reads every file, prints the report; returns the exit code. */
int check_run(const check_options *opt, char **files, int n_files);

#endif
