/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A judged connection, as tracking hands it to the output. */
#ifndef ENOSCOPE_JUDGED_H
#define ENOSCOPE_JUDGED_H

#include <stdint.h>

#include "eno/eno.h"

/* What identifies a connection in the output. */
typedef struct {
    const char *file;
    uint32_t first_frame;
    char client[64];   /* endpoint 0: sender of the SYN-only */
    char server[64];
    char tunnel[48];   /* the tunnel it was carried in, "" for none */
} conn_info;

/* Receives each judged connection (ctx: the receiver's own). */
typedef void (*judged_sink)(void *ctx, const conn_info *ci, const eno_result *r);

#endif
