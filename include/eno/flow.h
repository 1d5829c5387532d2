/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * How segments become connections, for the front ends' connection tables.
 * The tables themselves (their storage, recency, expiry and caps) stay in
 * the front ends; the policy and the hash that keys them live here, so
 * that the analyzer and the plugin agree.
 */
#ifndef ENO_FLOW_H
#define ENO_FLOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "eno/engine.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A keyed hash of a flow key of n 64-bit words.  Each front end picks the
 * seed at random once per process: a capture crafted so that its flows
 * collide under one seed does not collide under another, so it cannot
 * turn a table into a list.  Every input bit reaches every output bit. */
uint64_t eno_flow_hash(const uint64_t *words, size_t n, uint64_t seed);

/* A flow is two addresses and ports; a front end numbers its two ends 0
 * and 1 (its key sides) and keeps, beside the flow's current connection
 * (an eno_conn, only while it can change), this state of the flow. */
typedef struct {
    int client;               /* key side of endpoint 0, the client */
    bool settled;             /* the connection takes no more segments: it
                                 settled, or the front end let it go (idle
                                 expiry, a cap) and freed its eno_conn */
    bool syn_isn_known[2];    /* per endpoint: the ISN of its first SYN-only */
    uint32_t syn_isn[2];
} eno_flow_state;

typedef enum {
    ENO_FLOW_SKIP = 0,        /* no connection takes the segment: a flow first
                                 seen without SYN (mid-stream), or a settled
                                 connection's late segment or retransmitted SYN */
    ENO_FLOW_START,           /* start a connection (eno_flow_begin) and feed it */
    ENO_FLOW_FEED,            /* feed the flow's current connection */
} eno_flow_verdict;

/* Where a segment goes.  f: the flow's state, NULL when the front end has
 * none for it.  sender: key side of the segment's sender.  self: both ends
 * of the flow are the same address and port (one endpoint, 0).  Only a SYN
 * starts a connection; on a settled flow only a SYN-only with an ISN other
 * than its sender's first one does (port reuse). */
eno_flow_verdict eno_flow_classify(const eno_flow_state *f, int sender, bool self,
                                   const eno_segment *seg);

/* Starts a new connection on the flow with seg: the client is the sender
 * of a SYN-only, the receiver of a SYN-ACK (the handshake began before
 * the capture).  The front end gives it a fresh eno_conn. */
void eno_flow_begin(eno_flow_state *f, int sender, const eno_segment *seg);

/* The endpoint (0: the client) of a segment's sender. */
int eno_flow_dir(const eno_flow_state *f, int sender, bool self);

typedef enum {
    ENO_FEED_TAKEN = 0,       /* the connection took the segment */
    ENO_FEED_IGNORED,         /* the connection had no use for it */
    ENO_FEED_RESTART,         /* a SYN-only with a new ISN on a connection that
                                 had not settled (port reuse): not taken.  The
                                 front end judges the connection, then calls
                                 eno_flow_begin and eno_flow_feed again with a
                                 fresh eno_conn */
} eno_feed_result;

/* Feeds seg (its dir is set here) to the flow's connection c, records the
 * first SYN-only ISN of each direction, and sets f->settled once no
 * segment can change c's outcome any more. */
eno_feed_result eno_flow_feed(eno_flow_state *f, eno_conn *c, int sender, bool self,
                              eno_segment *seg);

#ifdef __cplusplus
}
#endif
#endif
