/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The connection table.  Live entries hold an eno_conn and sit on the live
 * queue, least recently active first; the cap evicts from its head and
 * idle expiry judges from it.  Once a connection is judged (or dropped) its
 * eno_conn is freed and a small record of its ISNs stays on the judged
 * queue until it has been idle for the idle timeout, so its late segments
 * and retransmitted SYN-ACKs are not taken for new connections, while a
 * SYN-only with a new ISN (port reuse) still starts one.
 */
#include <string.h>

#include "eno/eno.h"
#include "flow.h"
#include "track.h"

typedef struct {
    flow_key key;
    guint quick;              /* flow_key_quick_hash of key */
    eno_flow_state flow;      /* settled once judged or dropped */
    uint32_t first_frame;
    gint64 last_seen;
    gint64 queued;            /* judged: last_seen when put at the queue's tail */
    GList link;               /* in live or judged, data = the entry */
    eno_conn *conn;           /* NULL once judged or dropped */
    uint8_t opening;          /* OPEN_* bits seen: the three-way handshake */
} entry;

#define OPEN_SYN 1            /* the client's SYN-only */
#define OPEN_SYNACK 2
#define OPEN_ACK 4            /* a segment without SYN from the client */
#define OPEN_DONE (OPEN_SYN | OPEN_SYNACK | OPEN_ACK)

/* A direct-mapped cache of entries in front of the table: nearly every
 * segment belongs to a connection seen moments before, and finding it here
 * costs a fraction of a GHashTable look-up (a keyed hash, a division by a
 * prime and a call back to compare). */
#define RECENT_SLOTS 4096

struct track {
    const char *file;
    guint max;
    gint64 idle;
    judged_sink sink;
    void *sink_ctx;
    scan_stats *st;
    GHashTable *table;        /* flow_key -> entry (owned) */
    entry *recent[RECENT_SLOTS]; /* by hash: entries looked up lately */
    GQueue live, judged;
    eno_result result;        /* scratch for judging, reused */
};

static entry *lookup(track *t, const flow_key *key, guint quick)
{
    entry **slot = &t->recent[quick & (RECENT_SLOTS - 1)];
    if (*slot && flow_key_same(&(*slot)->key, key))
        return *slot;
    entry *e = g_hash_table_lookup(t->table, key);
    if (e)
        *slot = e;
    return e;
}

/* Before an entry leaves the table. */
static void forget(track *t, const entry *e)
{
    entry **slot = &t->recent[e->quick & (RECENT_SLOTS - 1)];
    if (*slot == e)
        *slot = NULL;
}

static void entry_free(gpointer p)
{
    entry *e = p;
    g_free(e->conn);
    g_free(e);
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
    t->table = g_hash_table_new_full(flow_key_hash, flow_key_equal, NULL, entry_free);
    g_queue_init(&t->live);
    g_queue_init(&t->judged);
    return t;
}

void track_free(track *t)
{
    if (!t)
        return;
    g_hash_table_destroy(t->table);
    g_free(t);
}

static void judge(track *t, entry *e)
{
    eno_result *r = &t->result;
    conn_info ci = {.file = t->file, .first_frame = e->first_frame};
    eno_conn_evaluate(e->conn, r);
    flow_key_endpoint(&e->key, e->flow.client, ci.client, sizeof ci.client);
    flow_key_endpoint(&e->key, !e->flow.client, ci.server, sizeof ci.server);
    flow_key_tunnel(&e->key, ci.tunnel, sizeof ci.tunnel);
    t->sink(t->sink_ctx, &ci, r);
}

/* Turns a live entry into a judged record (the connection was reported or
 * dropped before). */
static void retire(track *t, entry *e)
{
    g_queue_unlink(&t->live, &e->link);
    g_clear_pointer(&e->conn, g_free);
    e->flow.settled = true;
    e->queued = e->last_seen;
    g_queue_push_tail_link(&t->judged, &e->link);
    while (t->judged.length > t->max) {
        entry *old = g_queue_peek_head(&t->judged);
        g_queue_unlink(&t->judged, &old->link);
        forget(t, old);
        g_hash_table_remove(t->table, &old->key);
    }
}

static void remove_entry(track *t, entry *e)
{
    g_queue_unlink(e->conn ? &t->live : &t->judged, &e->link);
    forget(t, e);
    g_hash_table_remove(t->table, &e->key);
}

static void expire(track *t, gint64 now)
{
    entry *e;
    while ((e = g_queue_peek_head(&t->live)) && now - e->last_seen > t->idle) {
        judge(t, e);
        t->st->expired++;
        retire(t, e);
    }
    /* Segments of a judged connection only move its last_seen (most
     * segments are such, and moving the record in the queue each time was
     * the tracker's largest cost): one found idle by its queue position is
     * put back at the tail if it was seen since, so it lasts at least the
     * idle timeout after its last segment. */
    while ((e = g_queue_peek_head(&t->judged)) && now - e->queued > t->idle) {
        if (now - e->last_seen > t->idle) {
            remove_entry(t, e);
        } else {
            g_queue_unlink(&t->judged, &e->link);
            e->queued = e->last_seen;
            g_queue_push_tail_link(&t->judged, &e->link);
        }
    }
}

static void start(entry *e, uint32_t frame, int sender, const eno_segment *seg)
{
    if (!e->conn)
        e->conn = g_malloc(eno_conn_size());
    eno_conn_init(e->conn);
    eno_flow_begin(&e->flow, sender, seg);
    e->first_frame = frame;
    e->opening = 0;
}

static entry *new_entry(track *t, const flow_key *key, guint quick)
{
    if (t->live.length >= t->max) {
        entry *victim = g_queue_peek_head(&t->live);
        t->st->dropped++;
        retire(t, victim);
    }
    entry *e = g_new0(entry, 1);
    e->key = *key;
    e->quick = quick;
    e->link.data = e;
    g_hash_table_insert(t->table, &e->key, e);
    t->recent[quick & (RECENT_SLOTS - 1)] = e;
    g_queue_push_tail_link(&t->live, &e->link);
    return e;
}

/* A live connection moves to the tail of the live queue, which is kept in
 * order of activity for idle expiry and the cap. */
static void touch_live(track *t, entry *e, gint64 ts)
{
    e->last_seen = ts;
    g_queue_unlink(&t->live, &e->link);
    g_queue_push_tail_link(&t->live, &e->link);
}

static void feed(track *t, entry *e, eno_segment *seg, int sender)
{
    eno_feed_result res = eno_flow_feed(&e->flow, e->conn, sender, false, seg);
    if (res == ENO_FEED_RESTART) {
        /* Port reuse: judge the old connection, start anew with this SYN. */
        judge(t, e);
        start(e, seg->frame, sender, seg);
        res = eno_flow_feed(&e->flow, e->conn, sender, false, seg);
    }
    if (res == ENO_FEED_TAKEN) {
        int dir = eno_flow_dir(&e->flow, sender, false);
        bool syn = (seg->flags & ENO_TCP_SYN) != 0, ack = (seg->flags & ENO_TCP_ACK) != 0;
        e->opening |= syn && !ack && dir == 0 ? OPEN_SYN
                      : syn && ack && dir == 1 ? OPEN_SYNACK
                      : !syn && dir == 0       ? OPEN_ACK
                                               : 0;
    }
    if (e->flow.settled) {
        judge(t, e);
        retire(t, e);
    }
}

void track_segment(track *t, uint32_t frame, gint64 ts, const tcp_packet *p)
{
    flow_key key;
    int sender = flow_key_from_packet(p, &key);
    guint quick = flow_key_quick_hash(&key);
    expire(t, ts);
    entry *e = lookup(t, &key, quick);
    switch (eno_flow_classify(e ? &e->flow : NULL, sender, false, &p->seg)) {
    case ENO_FLOW_SKIP:
        if (e) {
            /* A connection already judged or dropped. */
            t->st->late++;
            e->last_seen = ts;
        } else {
            t->st->midstream++;
        }
        return;
    case ENO_FLOW_START:
        if (e)
            remove_entry(t, e);
        e = new_entry(t, &key, quick);
        start(e, frame, sender, &p->seg);
        break;
    case ENO_FLOW_FEED:
        break;
    }
    touch_live(t, e, ts);
    eno_segment seg = p->seg;
    seg.frame = frame;
    eno_tcp_parse_options(&p->tcp, &seg);
    feed(t, e, &seg, sender);
}

void track_tick(track *t, gint64 now, gint64 quiet)
{
    expire(t, now);
    if (quiet <= 0)
        return;
    /* The live queue is in order of last activity: the quiet ones lead. */
    for (GList *l = t->live.head; l;) {
        entry *e = l->data;
        l = l->next;
        if (now - e->last_seen < quiet)
            break;
        if ((e->opening & OPEN_DONE) == OPEN_DONE) {
            judge(t, e);
            retire(t, e);
        }
    }
}

static gint by_first_frame(gconstpointer a, gconstpointer b)
{
    const entry *x = *(entry *const *)a, *y = *(entry *const *)b;
    return x->first_frame < y->first_frame ? -1 : x->first_frame > y->first_frame;
}

void track_finish(track *t)
{
    GPtrArray *left = g_ptr_array_sized_new(t->live.length);
    for (GList *l = t->live.head; l; l = l->next)
        g_ptr_array_add(left, l->data);
    g_ptr_array_sort(left, by_first_frame);
    for (guint i = 0; i < left->len; i++)
        judge(t, g_ptr_array_index(left, i));
    g_ptr_array_free(left, TRUE);
    memset(t->recent, 0, sizeof t->recent);
    g_hash_table_remove_all(t->table);
    g_queue_init(&t->live);
    g_queue_init(&t->judged);
}
