/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Reading a capture from an open stream (the fuzz targets and replay driver),
 * and what the capture readers share. */
#ifndef ENOSCOPE_READER_H
#define ENOSCOPE_READER_H

#include <stdio.h>
#include <sys/time.h>

#include "check.h"

/* As reader_run, but reads the capture from `in` (e.g. an fmemopen
 * stream), naming it `name` in messages.  Takes ownership of `in`. */
bool reader_run_stream(FILE *in, const char *name, const check_options *opt, report *rp,
                       scan_stats *st, bool *usage);

/* Reports a fault of the input named path on stderr ("enoscope: PATH:
 * error: ..."), after flushing what was reported before it. */
void reader_fault(const char *path, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

/* A frame's time in microseconds, clamped so that no arithmetic on it
 * overflows (a corrupt record can hold any time). */
gint64 reader_stamp_usec(const struct timeval *tv);

#endif
