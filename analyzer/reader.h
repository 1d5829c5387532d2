/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Reading one capture, from a file or an open stream, into the report, and
 * what the capture readers share. */
#ifndef ENOSCOPE_READER_H
#define ENOSCOPE_READER_H

#include <stdio.h>
#include <sys/time.h>

#include "check.h"

/* Reads one file ("-" for stdin) into the report.  Returns false after
 * printing a message naming the file when it is unreadable or corrupt;
 * *usage is set when the fault is the command line's (a bad filter). */
bool reader_run(const char *path, const check_options *opt, report *rp, scan_stats *st,
                bool *usage);

/* As reader_run, but reads the capture from `in` (e.g. an fmemopen
 * stream), naming it `name` in messages.  Takes ownership of `in`. */
bool reader_run_stream(FILE *in, const char *name, const check_options *opt, report *rp,
                       scan_stats *st, bool *usage);

/* The judged_sink of every capture reader: judged connections go to the
 * report (ctx). */
void reader_sink_report(void *rp, const conn_info *ci, const eno_result *r);

/* A frame's time in microseconds, clamped so that no arithmetic on it
 * overflows (a corrupt record can hold any time). */
gint64 reader_stamp_usec(const struct timeval *tv);

#endif
