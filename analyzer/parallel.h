/* SPDX-License-Identifier: GPL-2.0-or-later */
/* -j: reading several inputs at once, reported in the order given. */
#ifndef ENOSCOPE_PARALLEL_H
#define ENOSCOPE_PARALLEL_H

#include <stdbool.h>

#include <glib.h>

#include "check.h"

/* Reads the inputs (paths) with opt->jobs threads and gives the report
 * what a serial run would have given it, input by input, in order: the
 * same output and totals.  *trouble is set when an input could not be
 * read, *usage when the fault was the command line's (then the inputs
 * after it are not reported, as in a serial run).  Inputs a stop (a signal)
 * kept from being read are reported as skipped.  False, after a warning,
 * when no temporary file can be made: nothing was read then. */
bool parallel_read(const check_options *opt, GPtrArray *inputs, report *rp, scan_stats *st,
                   bool *trouble, bool *usage);

#endif
