/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Reading a capture from an open stream (the fuzz targets and replay driver). */
#ifndef ENOSCOPE_READER_H
#define ENOSCOPE_READER_H

#include <stdio.h>

#include "check.h"

/* As reader_run, but reads the capture from `in` (e.g. an fmemopen
 * stream), naming it `name` in messages.  Takes ownership of `in`. */
bool reader_run_stream(FILE *in, const char *name, const check_options *opt, report *rp,
                       scan_stats *st, bool *usage);

#endif
