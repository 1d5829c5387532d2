/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A judged connection, as tracking hands it to the output. */
#ifndef ENOSCOPE_JUDGED_H
#define ENOSCOPE_JUDGED_H

#include <stdint.h>

#include "eno/eno.h"
#include "flow.h"

/* What identifies a connection in the output.  Its endpoints are kept as
 * the flow's key and put into words only for the connections that are
 * printed (conn_info_names): most are only counted. */
typedef struct {
    const char *file;
    uint32_t first_frame;
    int client_side;   /* the key side of endpoint 0, the SYN-only's sender */
    flow_key key;
} conn_info;

typedef struct {
    char client[64];   /* endpoint 0 */
    char server[64];
    char tunnel[48];   /* the tunnel it was carried in, "" for none */
} conn_names;

void conn_info_names(const conn_info *ci, conn_names *out);

/* Receives each judged connection (ctx: the receiver's own). */
typedef void (*judged_sink)(void *ctx, const conn_info *ci, const eno_result *r);

#endif
