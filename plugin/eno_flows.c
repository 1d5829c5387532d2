/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The connection table: flows keyed by their two IP addresses and ports, as
 * the analyzer keys them, each holding its current connection.  A SYN-only
 * with a new ISN on a flow (port reuse, ENO_ADD_NEW_CONNECTION) starts a
 * new connection that replaces the old one in the table; the old one lives
 * on in the frames that show it.  TCP's own stream index is not used: it
 * can only be read from TCP's protocol tree.
 *
 * Every TCP segment of the capture comes through here, so the table is
 * built for that: open addressing with small slots (16 bytes), so that it
 * stays in the CPU's caches.  Most segments belong to connections that
 * have settled; a small array of counters by hash, of the flows whose
 * connection has not, lets those segments skip the table altogether.  It
 * all lives while a file is open.
 */
#include <stddef.h>
#include <string.h>

#include "eno_conn.h"

#define ADDR_MAX 16   /* IPv6 */
#define MIN_SLOTS 1024
#define ACTIVE_BITS 16 /* 64 KB of counters: stays in the CPU's caches */

/* A flow's key (eno_flow_id.key): two ports, address type and length,
 * then both addresses back to back, zero-filled after them; the lower
 * (address, port) endpoint comes first, so that both directions of a flow
 * have the same key.  Hashed and compared as words. */
#define KEY_WORDS ENO_FLOW_KEY_WORDS
G_STATIC_ASSERT(KEY_WORDS * 8 >= 8 + 2 * ADDR_MAX);

#if defined(__GNUC__)
#define PREFETCH(p) __builtin_prefetch(p)
#else
#define PREFETCH(p) ((void)(p))
#endif

/* A connection with the key of its flow, which the table's slots do not
 * hold: small slots keep the table in the CPU's caches, and the key is
 * only read when the hash matches, where the connection is read anyway.
 * Only the key's words that the addresses need are held (IPv4: two of
 * five), as every connection pays for them. */
typedef struct {
    eno_track track;
    guint64 key[];
} keyed_track;

static const keyed_track *keyed(const eno_track *t)
{
    return (const keyed_track *)(const void *)t;
}

/* Words of a key that its addresses need: ports, type and length, then
 * both addresses. */
static size_t key_words(const guint64 *key)
{
    return (8 + 2 * (size_t)((const guint8 *)key)[5] + 7) / 8;
}

static eno_flow *slots;       /* track NULL: a free slot */
static guint n_slots, n_used; /* n_slots: a power of two, or 0 */
/* Per hash bucket (the hash's high bits), the flows whose connection has
 * not settled; 0: a segment without SYN there cannot change anything.  A
 * counter that reaches the maximum stays there (the flows of that bucket
 * are then always looked up). */
static guint8 *active;

static guint8 *active_count(guint32 hash)
{
    return &active[hash >> (32 - ACTIVE_BITS)];
}

/* Chosen at random once per process, as the analyzer's: flows crafted to
 * collide under one seed spread out under another, so a capture cannot
 * turn the table into a list. */
static guint64 seed;

static guint32 hash_key(const guint64 *key, size_t words)
{
    guint64 h = eno_flow_hash(key, words, seed);
    return (guint32)(h ^ (h >> 32));
}

/* a: a held key; b: a full one.  The first word holds the address
 * length, so when it matches both have as many words. */
static gboolean same_key(const guint64 *a, const guint64 *b)
{
    if (a[0] != b[0])
        return FALSE;
    guint64 d = 0;
    for (size_t i = 1, n = key_words(b); i < n; i++)
        d |= a[i] ^ b[i];
    return d == 0;
}

/* Orders and copies IP addresses; the two lengths IP gives are spelled out
 * so that the compiler inlines them: every segment goes through here. */
static int addr_cmp(const guint8 *a, const guint8 *b, size_t len)
{
    if (len == 4)
        return memcmp(a, b, 4);
    if (len == 16)
        return memcmp(a, b, 16);
    return memcmp(a, b, len);
}

static void addr_copy(guint8 *to, const guint8 *from, size_t len)
{
    if (len == 4)
        memcpy(to, from, 4);
    else if (len == 16)
        memcpy(to, from, 16);
    else
        memcpy(to, from, len);
}

/* The flow's key and hash, and which side sent the segment. */
static gboolean flow_key(packet_info *pinfo, const eno_tcp_seg *s, eno_flow_id *id)
{
    const address *src = &pinfo->src, *dst = &pinfo->dst;
    if (src->type != dst->type || src->len != dst->len || src->len <= 0 ||
        src->len > ADDR_MAX || src->type > G_MAXUINT8)
        return FALSE;
    size_t len = (size_t)src->len;
    const guint8 *sa = (const guint8 *)src->data, *da = (const guint8 *)dst->data;
    int c = addr_cmp(sa, da, len);
    if (c == 0)
        c = (s->h.sport > s->h.dport) - (s->h.sport < s->h.dport);
    int sender = c > 0;
    for (int i = 0; i < KEY_WORDS; i++)
        id->key[i] = 0;
    guint8 *b = (guint8 *)id->key;
    guint16 port[2];
    port[sender] = s->h.sport;
    port[!sender] = s->h.dport;
    memcpy(b, port, sizeof port);
    b[4] = (guint8)src->type;
    b[5] = (guint8)len;
    addr_copy(b + 8 + (sender ? len : 0), sa, len);
    addr_copy(b + 8 + (sender ? 0 : len), da, len);
    id->hash = hash_key(id->key, key_words(id->key));
    id->sender = sender;
    id->same = c == 0;
    return TRUE;
}

gboolean eno_flow_identify(packet_info *pinfo, const eno_tcp_seg *s, eno_flow_id *id)
{
    if (!flow_key(pinfo, s, id))
        return FALSE;
    /* Segments that cannot change a connection are left out here, before
     * they are held for the frame's end and looked up in the table. */
    gboolean syn = (s->seg.flags & ENO_TCP_SYN) != 0;
    if (!n_slots)
        return syn;
    if (!syn && *active_count(id->hash) == 0)
        return FALSE;
    PREFETCH(&slots[id->hash & (n_slots - 1)]);
    return TRUE;
}

/* The slot of key, or the free slot where it belongs. */
static eno_flow *probe(const guint64 *key, guint32 hash)
{
    guint mask = n_slots - 1;
    for (guint i = hash & mask;; i = (i + 1) & mask) {
        eno_flow *e = &slots[i];
        if (!e->track || (e->hash == hash && same_key(keyed(e->track)->key, key)))
            return e;
    }
}

/* The free slot for a hash, when rehashing (all keys differ). */
static eno_flow *free_slot(guint32 hash)
{
    guint mask = n_slots - 1;
    guint i = hash & mask;
    while (slots[i].track)
        i = (i + 1) & mask;
    return &slots[i];
}

/* Keeps the load at most two thirds, so that probes stay short; each
 * slot is memory every connection pays for. */
static void grow(void)
{
    eno_flow *old = slots;
    guint old_n = n_slots;
    n_slots = old_n ? 2 * old_n : MIN_SLOTS;
    slots = g_new0(eno_flow, n_slots);
    for (guint i = 0; i < old_n; i++)
        if (old[i].track)
            *free_slot(old[i].hash) = old[i];
    g_free(old);
}

eno_flow *eno_flow_find(const eno_flow_id *id)
{
    if (!n_slots)
        return NULL;
    eno_flow *e = probe(id->key, id->hash);
    return e->track ? e : NULL;
}

eno_flow *eno_flow_start(const eno_flow_id *id, const eno_segment *seg)
{
    if (3 * ((guint64)n_used + 1) > 2 * (guint64)n_slots)
        grow();
    if (!active)
        active = g_new0(guint8, 1u << ACTIVE_BITS);
    eno_flow *e = probe(id->key, id->hash);
    if (!e->track) {
        e->hash = id->hash;
        n_used++;
    }
    guint8 *count = active_count(id->hash);
    if ((!e->track || e->settled) && *count < G_MAXUINT8)
        (*count)++;
    size_t words = key_words(id->key);
    keyed_track *kt = (keyed_track *)wmem_alloc0(wmem_file_scope(),
                                                 sizeof *kt + words * sizeof kt->key[0]);
    memcpy(kt->key, id->key, words * sizeof kt->key[0]);
    eno_track *t = &kt->track;
    eno_flow_begin(&t->flow, id->sender, seg);
    t->prev = e->track;
    t->first_frame = seg->frame;
    e->track = t;
    e->settled = FALSE;
    return e;
}

eno_track *eno_flow_lookup(packet_info *pinfo, const eno_tcp_seg *s, int *dir)
{
    eno_flow_id id;
    if (!n_slots || !flow_key(pinfo, s, &id))
        return NULL;
    eno_flow *f = eno_flow_find(&id);
    eno_track *t = f ? f->track : NULL;
    /* The connection of the flow that had begun by this frame. */
    while (t && t->first_frame > s->seg.frame)
        t = t->prev;
    if (t)
        *dir = eno_flow_dir(&t->flow, id.sender, id.same);
    return t;
}

void eno_flow_settle(eno_flow *f)
{
    guint8 *count = active_count(f->hash);
    f->settled = TRUE;
    if (*count < G_MAXUINT8)
        (*count)--;
}

/* The tracks are in file scope; the table goes with them, and the engine
 * states still held (only a flow's current connection can hold one). */
static void flows_cleanup(void)
{
    for (guint i = 0; i < n_slots; i++)
        if (slots[i].track)
            if (slots[i].track->holds == ENO_HELD_CONN)
                g_free(slots[i].track->held.conn);
    g_free(slots);
    g_free(active);
    slots = NULL;
    active = NULL;
    n_slots = n_used = 0;
}

void eno_flows_register(void)
{
    seed = (guint64)g_random_int() << 32 | g_random_int();
    register_cleanup_routine(flows_cleanup);
}
