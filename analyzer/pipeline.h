/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The hand-over between the thread that reads a capture and the thread
 * that decodes its frames and tracks connections, so that reading the file
 * and judging handshakes run side by side.  Frames travel in a fixed
 * number of batches: memory does not depend on the file, and a reader that
 * runs ahead waits for a free batch.
 */
#ifndef ENOSCOPE_PIPELINE_H
#define ENOSCOPE_PIPELINE_H

#include <stdbool.h>
#include <stdint.h>

#include <glib.h>

#include "decode.h"
#include "scan_stats.h"
#include "track.h"

typedef struct pipeline pipeline;

/* Prepares the hand-over to the tracking thread, which decodes every frame
 * (each by its own link type), counts it in st (the decoding counters) and feeds TCP
 * segments to t.  The thread starts once a first batch is full.  With
 * live set (a capture that may arrive slowly: a pipe, an interface), every
 * frame is decoded and tracked at once in the calling thread instead, so
 * that each connection is reported as soon as its segments are read, and a
 * ticker thread lets the capture clock run on while no frame comes: idle
 * connections expire, and when the frames' stamps follow the wall clock
 * (live traffic, not a file replayed through a pipe) a connection whose
 * three-way handshake was seen is judged once it has been quiet for a
 * second. */
pipeline *pipeline_start(track *t, scan_stats *st, bool live);

/* Queues one frame of link type dlt (caplen bytes of data, wirelen on the
 * wire).  Only the bytes decoding needs are copied: data need not outlive
 * the call. */
void pipeline_push(pipeline *pl, int dlt, uint32_t frame, gint64 ts, const uint8_t *data,
                   size_t caplen, size_t wirelen);

/* What the tracking side does with each frame, for a reader that tracks
 * in its own thread too: decodes it, counts it in st and feeds a TCP
 * segment to t.  Inline: it runs for every frame. */
static inline void pipeline_track_frame(track *t, scan_stats *st, int dlt, uint32_t frame,
                                        gint64 ts, const uint8_t *data, size_t caplen,
                                        size_t wirelen)
{
    tcp_packet pkt;
    switch (decode_packet(dlt, data, caplen, wirelen, &pkt)) {
    case DECODE_TCP:
        st->tcp++;
        if (pkt.first_fragment)
            st->first_fragments++;
        track_segment(t, frame, ts, &pkt);
        break;
    case DECODE_NOT_TCP: st->not_tcp++; break;
    case DECODE_FRAGMENT: st->fragments++; break;
    case DECODE_TRUNCATED: st->truncated++; break;
    case DECODE_MALFORMED: st->malformed++; break;
    }
}

/* Moves the calling thread, started on CPU cpu by a thread it will hand
 * work to or take work from, to another CPU once (see pipeline.c). */
void pipeline_leave_cpu(int cpu);

/* Hands over what is queued, waits until the tracking thread has fed it
 * all, and frees the pipeline.  The track is then the caller's again. */
void pipeline_finish(pipeline *pl);

#endif
