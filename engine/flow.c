/* SPDX-License-Identifier: GPL-2.0-or-later */
/* How segments become connections: the flow policy and the flow hash. */
#include <string.h>

#include "eno/flow.h"

/* The finaliser of SplitMix64: every input bit reaches every output bit. */
static uint64_t mix64(uint64_t x)
{
    x ^= x >> 30;
    x *= UINT64_C(0xbf58476d1ce4e5b9);
    x ^= x >> 27;
    x *= UINT64_C(0x94d049bb133111eb);
    x ^= x >> 31;
    return x;
}

uint64_t eno_flow_hash(const uint64_t *words, size_t n, uint64_t seed)
{
    uint64_t h = seed;
    for (size_t i = 0; i < n; i++)
        h = mix64(h ^ words[i]) + UINT64_C(0x9e3779b97f4a7c15);
    return mix64(h);
}

static bool syn_only(const eno_segment *seg)
{
    return (seg->flags & (ENO_TCP_SYN | ENO_TCP_ACK)) == ENO_TCP_SYN;
}

int eno_flow_dir(const eno_flow_state *f, int sender, bool self)
{
    return self || sender == f->client ? 0 : 1;
}

eno_flow_verdict eno_flow_classify(const eno_flow_state *f, int sender, bool self,
                                   const eno_segment *seg)
{
    if (!f)
        return (seg->flags & ENO_TCP_SYN) ? ENO_FLOW_START : ENO_FLOW_SKIP;
    if (!f->settled)
        return ENO_FLOW_FEED;
    /* A settled connection's state is gone; nothing but a new SYN-only
     * changes anything on its flow. */
    int dir = eno_flow_dir(f, sender, self);
    if (!syn_only(seg) || (f->syn_isn_known[dir] && f->syn_isn[dir] == seg->seq))
        return ENO_FLOW_SKIP;
    return ENO_FLOW_START;
}

void eno_flow_begin(eno_flow_state *f, int sender, const eno_segment *seg)
{
    memset(f, 0, sizeof *f);
    f->client = syn_only(seg) ? sender : !sender;
}

eno_feed_result eno_flow_feed(eno_flow_state *f, eno_conn *c, int sender, bool self,
                              eno_segment *seg)
{
    seg->dir = eno_flow_dir(f, sender, self);
    eno_add_result res = eno_conn_add(c, seg);
    if (res == ENO_ADD_NEW_CONNECTION)
        return ENO_FEED_RESTART;
    if (res != ENO_ADD_OK) {
        f->settled = eno_conn_settled(c);
        return ENO_FEED_IGNORED;
    }
    if (syn_only(seg) && !f->syn_isn_known[seg->dir]) {
        f->syn_isn_known[seg->dir] = true;
        f->syn_isn[seg->dir] = seg->seq;
    }
    f->settled = eno_conn_settled(c);
    return ENO_FEED_TAKEN;
}
