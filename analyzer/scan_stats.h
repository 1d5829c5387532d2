/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What a run counts besides connections: frames, segments, drops. */
#ifndef ENOSCOPE_SCAN_STATS_H
#define ENOSCOPE_SCAN_STATS_H

#include <glib.h>

/* Counters over every file of the run. */
typedef struct {
    guint files;
    guint64 packets;          /* frames read */
    guint64 filtered;         /* frames the BPF filter rejected */
    guint64 tcp;              /* TCP segments decoded */
    guint64 not_tcp;          /* frames that carry no TCP */
    guint64 fragments;        /* IP fragments that do not start their datagram */
    guint64 first_fragments;  /* TCP segments read from a first fragment */
    guint64 truncated;        /* snapshot length cut the IP or TCP header */
    guint64 malformed;        /* headers contradict the packet's length */
    guint64 unsupported_link; /* frames of unsupported link types */
    guint64 midstream;        /* segments of connections whose SYN was not seen */
    guint64 late;             /* segments of connections already judged or dropped */
    guint64 expired;          /* connections judged after the idle timeout */
    guint64 dropped;          /* connections dropped by the cap on tracked ones */
} scan_stats;

/* A zeroed scan_stats on cache lines of its own (for counting in one
 * thread while another counts elsewhere), and its release. */
scan_stats *scan_stats_new_aligned(void);
void scan_stats_free_aligned(scan_stats *st);
/* Adds every counter of from to to. */
void scan_stats_add(scan_stats *to, const scan_stats *from);

#endif
