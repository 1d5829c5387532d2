/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The connection table.  Live entries hold their connection's engine
 * state and sit on the live queue, least recently active first; the cap
 * evicts from its head and idle expiry judges from it.  Once a connection
 * is judged (or dropped) its state is freed and a small record of its
 * ISNs stays on the judged queue until it has been idle for the idle
 * timeout, so its late segments and retransmitted SYN-ACKs are not taken
 * for new connections, while a SYN-only with a new ISN (port reuse) still
 * starts one.
 *
 * A connection that has taken only its first segment, as every one of a
 * SYN flood, keeps the engine's compact form of its state in the entry
 * (track_store.h); the whole eno_conn is made when a second segment comes.
 * A new connection's first segment goes to a scratch eno_conn, packed
 * after it.
 */
#include <stdlib.h>
#include <string.h>

#include "eno/eno.h"
#include "flow.h"
#include "track.h"
#include "track_store.h"

typedef track_entry entry;

#define OPEN_SYN 1            /* the client's SYN-only */
#define OPEN_SYNACK 2
#define OPEN_ACK 4            /* a segment without SYN from the client */
#define OPEN_DONE (OPEN_SYN | OPEN_SYNACK | OPEN_ACK)

/* A direct-mapped cache of entries in front of the index: nearly every
 * segment belongs to a connection seen moments before, and finding it here
 * costs a cheap hash and one key comparison instead of the keyed hash and
 * the probe. */
#define RECENT_BITS 12
#define RECENT_SLOTS (1u << RECENT_BITS)

struct track {
    const char *file;
    guint max;
    gint64 idle;
    judged_sink sink;
    void *sink_ctx;
    scan_stats *st;
    track_store store;
    uint32_t recent[RECENT_SLOTS]; /* by quick hash: entries looked up lately */
    track_queue live, judged;
    eno_conn *scratch;        /* a new or compact connection's state while in use */
    eno_result result;        /* scratch for judging, reused */
};

static entry *at(const track *t, uint32_t i)
{
    return track_store_at(&t->store, i);
}

static uint32_t slot_of(const flow_key *key)
{
    return flow_key_quick_hash(key) >> (32 - RECENT_BITS);
}

/* A segment's key, where the cache keeps its entry, and its keyed hash
 * once computed. */
typedef struct {
    flow_key key;
    uint32_t slot;
    bool hashed;
    uint64_t hash;
} probe;

static uint64_t probe_hash(track *t, probe *p)
{
    if (!p->hashed) {
        p->hash = track_store_hash(&t->store, &p->key);
        p->hashed = true;
    }
    return p->hash;
}

static uint32_t lookup(track *t, probe *p)
{
    uint32_t i = t->recent[p->slot];
    if (i && flow_key_same(&at(t, i)->key, &p->key))
        return i;
    i = track_store_find(&t->store, &p->key, probe_hash(t, p));
    if (i)
        t->recent[p->slot] = i;
    return i;
}

/* The entry's flow state, unpacked for the engine, and back. */
static eno_flow_state flow_get(const entry *e)
{
    return (eno_flow_state){
        .client = (e->flow & FLOW_CLIENT) != 0,
        .settled = (e->flow & FLOW_SETTLED) != 0,
        .syn_isn_known = {(e->flow & FLOW_ISN0) != 0, (e->flow & FLOW_ISN1) != 0},
        .syn_isn = {e->syn_isn[0], e->syn_isn[1]},
    };
}

static void flow_put(entry *e, const eno_flow_state *f)
{
    e->flow = (uint8_t)((f->client ? FLOW_CLIENT : 0) | (f->settled ? FLOW_SETTLED : 0) |
                        (f->syn_isn_known[0] ? FLOW_ISN0 : 0) |
                        (f->syn_isn_known[1] ? FLOW_ISN1 : 0));
    e->syn_isn[0] = f->syn_isn[0];
    e->syn_isn[1] = f->syn_isn[1];
}

/* Frees the entry's engine state, whatever its form. */
static void drop_conn(entry *e)
{
    if (e->form == CONN_FULL)
        g_free(e->u.conn);
    else if (e->form == CONN_PACKED)
        g_free(e->u.heap);
    e->form = CONN_NONE;
    memset(&e->u, 0, sizeof e->u);
}

/* The live entry's eno_conn, for a segment.  A compact one becomes an
 * eno_conn of its own: the segment is its second (or one it ignores), and
 * most connections that get one get more. */
static eno_conn *conn_open(entry *e)
{
    if (e->form == CONN_FULL)
        return e->u.conn;
    if (e->form != CONN_INLINE && e->form != CONN_PACKED)
        g_error("connection table: a live entry without a connection");
    eno_conn *c = g_malloc(eno_conn_size());
    uint8_t *bytes = e->form == CONN_INLINE ? e->u.packed : e->u.heap;
    if (!eno_conn_unpack(c, bytes, e->packed_len))
        g_error("connection table: a compact connection does not unpack");
    if (e->form == CONN_PACKED)
        g_free(e->u.heap);
    e->u.conn = c;
    e->form = CONN_FULL;
    return c;
}

/* After a new connection's first segment: its state goes from the scratch
 * eno_conn to its compact form (or, should it have none, to an eno_conn
 * of its own). */
static void conn_close(track *t, entry *e)
{
    if (e->form != CONN_SCRATCH)
        return;
    uint8_t buf[ENO_CONN_PACK_MAX];
    size_t n = eno_conn_pack(t->scratch, buf, sizeof buf);
    memset(&e->u, 0, sizeof e->u);
    if (n && n <= ENTRY_INLINE) {
        memcpy(e->u.packed, buf, n);
        e->packed_len = (uint8_t)n;
        e->form = CONN_INLINE;
    } else if (n) {
        e->u.heap = g_memdup2(buf, n);
        e->packed_len = (uint8_t)n;
        e->form = CONN_PACKED;
    } else {
        e->u.conn = g_memdup2(t->scratch, eno_conn_size());
        e->form = CONN_FULL;
    }
}

/* Before an entry leaves the index. */
static void forget(track *t, uint32_t i)
{
    uint32_t *slot = &t->recent[slot_of(&at(t, i)->key)];
    if (*slot == i)
        *slot = 0;
}

track *track_new(const char *file, guint max_connections, gint64 idle_usec, judged_sink sink,
                 void *sink_ctx, scan_stats *st)
{
    track *t = g_new0(track, 1);
    t->file = file;
    t->max = max_connections ? max_connections : 1;
    t->idle = idle_usec;
    t->sink = sink;
    t->sink_ctx = sink_ctx;
    t->st = st;
    track_store_init(&t->store, flow_key_seed());
    t->scratch = g_malloc(eno_conn_size());
    return t;
}

static void clear(track *t)
{
    for (uint32_t i = t->live.head; i; i = at(t, i)->next)
        drop_conn(at(t, i));
    track_store_clear(&t->store);
    memset(t->recent, 0, sizeof t->recent);
    memset(&t->live, 0, sizeof t->live);
    memset(&t->judged, 0, sizeof t->judged);
}

void track_free(track *t)
{
    if (!t)
        return;
    clear(t);
    g_free(t->scratch);
    g_free(t);
}

static void judge(track *t, uint32_t i, const eno_conn *c)
{
    const entry *e = at(t, i);
    eno_result *r = &t->result;
    int client = (e->flow & FLOW_CLIENT) != 0;
    conn_info ci = {.file = t->file, .first_frame = e->first_frame, .client_side = client,
                    .key = e->key};
    eno_conn_evaluate(c, r);
    t->sink(t->sink_ctx, &ci, r);
}

/* Judges a live entry not being fed. */
static void judge_live(track *t, uint32_t i)
{
    entry *e = at(t, i);
    if (e->form == CONN_FULL) {
        judge(t, i, e->u.conn);
        return;
    }
    const uint8_t *bytes = e->form == CONN_INLINE ? e->u.packed : e->u.heap;
    if (!eno_conn_unpack(t->scratch, bytes, e->packed_len))
        g_error("connection table: a compact connection does not unpack");
    judge(t, i, t->scratch);
}

/* Takes an entry out of its queue and the index, and frees it. */
static void remove_entry(track *t, uint32_t i)
{
    entry *e = at(t, i);
    track_queue_unlink(&t->store, e->form != CONN_NONE ? &t->live : &t->judged, i);
    drop_conn(e);
    forget(t, i);
    track_store_remove(&t->store, i);
    track_store_release(&t->store, i);
}

/* Turns a live entry into a judged record (the connection was reported or
 * dropped before). */
static void retire(track *t, uint32_t i)
{
    entry *e = at(t, i);
    track_queue_unlink(&t->store, &t->live, i);
    drop_conn(e);
    e->flow |= FLOW_SETTLED;
    e->u.queued = e->last_seen;
    track_queue_push_tail(&t->store, &t->judged, i);
    while (t->judged.length > t->max)
        remove_entry(t, t->judged.head);
}

/* Whether expire has anything to do: asked for every segment, seldom so. */
static inline bool expiry_due(const track *t, gint64 now)
{
    uint32_t l = t->live.head, j = t->judged.head;
    return (l && now - at(t, l)->last_seen > t->idle) ||
           (j && now - at(t, j)->u.queued > t->idle);
}

static void expire(track *t, gint64 now)
{
    uint32_t i;
    while ((i = t->live.head) && now - at(t, i)->last_seen > t->idle) {
        judge_live(t, i);
        t->st->expired++;
        retire(t, i);
    }
    /* Segments of a judged connection only move its last_seen (most
     * segments are such, and moving the record in the queue each time was
     * the tracker's largest cost): one found idle by its queue position is
     * put back at the tail if it was seen since, so it lasts at least the
     * idle timeout after its last segment. */
    while ((i = t->judged.head) && now - at(t, i)->u.queued > t->idle) {
        entry *e = at(t, i);
        if (now - e->last_seen > t->idle) {
            remove_entry(t, i);
        } else {
            track_queue_unlink(&t->store, &t->judged, i);
            e->u.queued = e->last_seen;
            track_queue_push_tail(&t->store, &t->judged, i);
        }
    }
}

/* Starts the entry's connection anew with its first segment: the state
 * goes to the scratch eno_conn. */
static eno_conn *start(track *t, entry *e, uint32_t frame, int sender, const eno_segment *seg,
                       eno_flow_state *f)
{
    drop_conn(e);
    eno_conn_init(t->scratch);
    e->form = CONN_SCRATCH;
    eno_flow_begin(f, sender, seg);
    e->first_frame = frame;
    e->opening = 0;
    return t->scratch;
}

static uint32_t new_entry(track *t, probe *p)
{
    if (t->live.length >= t->max) {
        t->st->dropped++;
        retire(t, t->live.head);
    }
    uint32_t i = track_store_alloc(&t->store);
    at(t, i)->key = p->key;
    track_store_insert(&t->store, i, probe_hash(t, p));
    t->recent[p->slot] = i;
    track_queue_push_tail(&t->store, &t->live, i);
    return i;
}

/* A live connection moves to the tail of the live queue, which is kept in
 * order of activity for idle expiry and the cap. */
static void touch_live(track *t, uint32_t i, gint64 ts)
{
    at(t, i)->last_seen = ts;
    if (t->live.tail != i) {
        track_queue_unlink(&t->store, &t->live, i);
        track_queue_push_tail(&t->store, &t->live, i);
    }
}

static void feed(track *t, uint32_t i, eno_conn *c, eno_flow_state *f, eno_segment *seg,
                 int sender)
{
    entry *e = at(t, i);
    eno_feed_result res = eno_flow_feed(f, c, sender, false, seg);
    if (res == ENO_FEED_RESTART) {
        /* Port reuse: judge the old connection, start anew with this SYN. */
        flow_put(e, f);
        judge(t, i, c);
        c = start(t, e, seg->frame, sender, seg, f);
        res = eno_flow_feed(f, c, sender, false, seg);
    }
    if (res == ENO_FEED_TAKEN) {
        int dir = eno_flow_dir(f, sender, false);
        bool syn = (seg->flags & ENO_TCP_SYN) != 0, ack = (seg->flags & ENO_TCP_ACK) != 0;
        e->opening |= syn && !ack && dir == 0 ? OPEN_SYN
                      : syn && ack && dir == 1 ? OPEN_SYNACK
                      : !syn && dir == 0       ? OPEN_ACK
                                               : 0;
    }
    flow_put(e, f);
    if (f->settled) {
        judge(t, i, c);
        retire(t, i);
    } else {
        conn_close(t, e);
    }
}

void track_segment(track *t, uint32_t frame, gint64 ts, const tcp_packet *p)
{
    probe pr;
    int sender = flow_key_from_packet(p, &pr.key);
    pr.slot = slot_of(&pr.key);
    pr.hashed = false;
    if (expiry_due(t, ts))
        expire(t, ts);
    uint32_t i = lookup(t, &pr);
    eno_flow_state f = {0};
    if (i)
        f = flow_get(at(t, i));
    eno_conn *c;
    switch (eno_flow_classify(i ? &f : NULL, sender, false, &p->seg)) {
    case ENO_FLOW_SKIP:
        if (i) {
            /* A connection already judged or dropped. */
            t->st->late++;
            at(t, i)->last_seen = ts;
        } else {
            t->st->midstream++;
        }
        return;
    case ENO_FLOW_START:
        if (i)
            remove_entry(t, i);
        i = new_entry(t, &pr);
        c = start(t, at(t, i), frame, sender, &p->seg, &f);
        break;
    case ENO_FLOW_FEED:
    default:
        c = conn_open(at(t, i));
        break;
    }
    touch_live(t, i, ts);
    eno_segment seg = p->seg;
    seg.frame = frame;
    eno_tcp_parse_options(&p->tcp, &seg);
    feed(t, i, c, &f, &seg, sender);
}

void track_tick(track *t, gint64 now, gint64 quiet)
{
    expire(t, now);
    if (quiet <= 0)
        return;
    /* The live queue is in order of last activity: the quiet ones lead. */
    for (uint32_t i = t->live.head; i;) {
        entry *e = at(t, i);
        uint32_t next = e->next;
        if (now - e->last_seen < quiet)
            break;
        if ((e->opening & OPEN_DONE) == OPEN_DONE) {
            judge_live(t, i);
            retire(t, i);
        }
        i = next;
    }
}

static int by_value(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

void track_finish(track *t)
{
    /* Sorted as first frame and entry number in one word: frames differ
     * from one connection to another. */
    uint32_t n = t->live.length, k = 0;
    uint64_t *left = g_new(uint64_t, n ? n : 1);
    for (uint32_t i = t->live.head; i; i = at(t, i)->next)
        left[k++] = (uint64_t)at(t, i)->first_frame << 32 | i;
    qsort(left, n, sizeof *left, by_value);
    for (k = 0; k < n; k++)
        judge_live(t, (uint32_t)left[k]);
    g_free(left);
    clear(t);
}
