/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Helpers shared by the engine's connection files; not public. */
#ifndef ENO_CONN_INTERNAL_H
#define ENO_CONN_INTERNAL_H

#include <stdbool.h>

#include "eno/engine.h"

/* The connection state behind eno_conn (engine.h). */
typedef struct {
    uint32_t frame;
    uint8_t flags;
    uint32_t seq, ack, payload_len;
    uint8_t opt_len;          /* bytes of opt held (0: no ENO option) */
    uint8_t opt_avail;        /* eno_avail, clamped */
    uint8_t eno_count;
    bool truncated;
    uint8_t tfo_kind, tfo_len;
    uint16_t other_exid;
    uint8_t opt[ENO_OPT_MAX];
} eno_seg_record;

typedef struct {
    bool syn_seen, synack_seen, nonsyn_seen, payload_seen, fin_or_rst;
    eno_seg_record syn, synack, nonsyn;
    /* first retransmission that changed the option, per SYN kind */
    bool syn_changed, synack_changed;
    eno_seg_record syn_change, synack_change;
    bool syn_dropped;         /* a retransmitted SYN-only dropped ENO */
    uint32_t syn_dropped_frame;
    uint32_t payload_frame, payload_len;
    uint8_t payload_head_len;
    uint8_t payload_head[ENO_PAYLOAD_HEAD];
    uint32_t bad_nonsyn_frame;/* a malformed non-SYN ENO option (first) */
    uint8_t bad_nonsyn_len, bad_nonsyn_avail;
    uint8_t bad_nonsyn_opt[4];
    uint32_t truncated_frame; /* first segment whose options were cut */
    uint32_t rst_frame;
} eno_endpoint_state;

struct eno_conn {
    eno_endpoint_state ep[2];
    uint32_t segments;        /* segments accepted */
    uint32_t after_handshake; /* non-SYN segments after both SYN exchanges */
};

bool enoi_record_same_option(const eno_seg_record *x, const eno_seg_record *y);
/* Both SYN exchanges (SYN-only and SYN-ACK, or both pairs) were seen. */
bool enoi_handshake_seen(const eno_conn *c);
/* No SYN or SYN-ACK of the connection carried an ENO option. */
bool enoi_conn_no_eno_at_all(const eno_conn *c);

#endif
