/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The progress bar: one line on stderr, redrawn in place with \r. */
#include <stdio.h>

#include <glib.h>

#include "progress.h"

#define BAR_WIDTH 40
#define REDRAW_USEC 100000

void progress_start(progress *pg, bool enabled, const char *name, int64_t total)
{
    *pg = (progress){.active = enabled && total >= PROGRESS_MIN_BYTES, .name = name,
                     .total = total, .last_permille = -1};
}

void progress_update(progress *pg, int64_t done)
{
    if (!pg->active)
        return;
    int64_t now = g_get_monotonic_time();
    if (now - pg->last_update < REDRAW_USEC)
        return;
    pg->last_update = now;
    if (done > pg->total)
        done = pg->total;
    int permille = (int)(done * 1000 / pg->total);
    if (permille == pg->last_permille)
        return;
    pg->last_permille = permille;
    char bar[BAR_WIDTH + 1];
    int full = permille * BAR_WIDTH / 1000;
    for (int i = 0; i < BAR_WIDTH; i++)
        bar[i] = i < full ? '#' : '-';
    bar[BAR_WIDTH] = '\0';
    fprintf(stderr, "\r[%s] %3d.%d%% %s", bar, permille / 10, permille % 10, pg->name);
    fflush(stderr);
}

void progress_end(progress *pg)
{
    if (!pg->active || pg->last_permille < 0)
        return;
    fputs("\r\033[K", stderr);
    fflush(stderr);
    pg->active = false;
}
