/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A progress bar on stderr while a large file is read. */
#ifndef ENOSCOPE_PROGRESS_H
#define ENOSCOPE_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>

typedef struct {
    bool active;
    const char *name;
    int64_t total;
    int64_t last_update;   /* monotonic time of the last drawing, us */
    int last_permille;
} progress;

/* Files at least this large get a bar (when stderr is a terminal). */
#define PROGRESS_MIN_BYTES (8 * 1024 * 1024)

/* Starts a bar for a file of total bytes when enabled and worth it. */
void progress_start(progress *pg, bool enabled, const char *name, int64_t total);
/* Redraws, at most a few times a second, for done bytes read. */
void progress_update(progress *pg, int64_t done);
/* Erases the bar. */
void progress_end(progress *pg);

#endif
