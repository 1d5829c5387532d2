/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The run's counters (scan_stats.h). */
#include "scan_stats.h"

#define CACHE_LINE 64

scan_stats *scan_stats_new_aligned(void)
{
    size_t size = (sizeof(scan_stats) + CACHE_LINE - 1) / CACHE_LINE * CACHE_LINE;
    return g_aligned_alloc0(1, size, CACHE_LINE);
}

void scan_stats_free_aligned(scan_stats *st)
{
    g_aligned_free(st);
}

void scan_stats_add(scan_stats *to, const scan_stats *from)
{
    to->files += from->files;
    to->packets += from->packets;
    to->filtered += from->filtered;
    to->tcp += from->tcp;
    to->not_tcp += from->not_tcp;
    to->fragments += from->fragments;
    to->first_fragments += from->first_fragments;
    to->truncated += from->truncated;
    to->malformed += from->malformed;
    to->unsupported_link += from->unsupported_link;
    to->midstream += from->midstream;
    to->late += from->late;
    to->expired += from->expired;
    to->dropped += from->dropped;
}
