/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Connection tracking for one capture file: a table keyed by the canonical
 * 5-tuple, bounded by a cap, with idle expiry by capture time.  Each
 * connection is judged and reported once its handshake settles, when it
 * expires, when its port is reused, or at the end of the file.
 */
#ifndef ENOSCOPE_TRACK_H
#define ENOSCOPE_TRACK_H

#include <stdint.h>

#include <glib.h>

#include "decode.h"
#include "judged.h"
#include "scan_stats.h"

typedef struct track track;

/* Each judged connection goes to sink(sink_ctx, ...). */
track *track_new(const char *file, guint max_connections, gint64 idle_usec, judged_sink sink,
                 void *sink_ctx, scan_stats *st);
/* Feeds one decoded TCP segment (frame: 1-based; ts: capture time, us). */
void track_segment(track *t, uint32_t frame, gint64 ts, const tcp_packet *p);
/* Time passes without segments (live input): at capture time now, judges
 * the connections idle for the idle timeout and, when quiet > 0, those
 * whose three-way handshake was seen and that have been quiet that long. */
void track_tick(track *t, gint64 now, gint64 quiet);
/* Judges and reports every connection still tracked, by first frame. */
void track_finish(track *t);
void track_free(track *t);

#endif
