/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Capturing live from a network interface with libpcap (check -i). */
#ifndef ENOSCOPE_INPUT_LIVE_H
#define ENOSCOPE_INPUT_LIVE_H

#include "check.h"

/* Captures on opt->interface until a signal (SIGINT, SIGTERM) stops it or
 * opt->count packets were read (0: no limit); each connection is reported
 * as soon as it is judged.  Returns false after a message when the
 * capture cannot start (no such interface, no permission) or fails;
 * *usage is set for a bad filter. */
bool input_live_run(const check_options *opt, report *rp, scan_stats *st, bool *usage);

#endif
