/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Storage for the connection table: entries in one growing array, named by
 * 32-bit indices (0 is none), an open-addressing index of them by key, and
 * queues linked through the entries.  A SYN flood fills the table to its
 * cap with half-open connections and as many records of dropped ones; a
 * pointer-linked hash table and list cost several times the entry itself.
 */
#ifndef ENOSCOPE_TRACK_STORE_H
#define ENOSCOPE_TRACK_STORE_H

#include <stdint.h>

#include <glib.h>

#include "eno/eno.h"
#include "flow.h"

/* How an entry holds its connection's engine state. */
enum {
    CONN_NONE = 0,            /* judged or dropped: none */
    CONN_INLINE,              /* compact form (eno_conn_pack) in u.packed */
    CONN_PACKED,              /* compact form in u.heap, packed_len bytes */
    CONN_FULL,                /* an eno_conn at u.conn */
    CONN_SCRATCH,             /* new, in the tracker's scratch eno_conn */
};

/* Flow state bits (eno_flow_state, packed; see track.c). */
#define FLOW_CLIENT 0x01
#define FLOW_SETTLED 0x02
#define FLOW_ISN0 0x04
#define FLOW_ISN1 0x08

#define ENTRY_INLINE 16       /* compact forms up to this long stay in the entry */

typedef struct {
    flow_key key;
    gint64 last_seen;
    uint32_t prev, next;      /* queue links; next chains free entries */
    uint32_t syn_isn[2];
    uint32_t first_frame;
    uint8_t flow;             /* FLOW_* */
    uint8_t opening;          /* the handshake's segments seen (track.c) */
    uint8_t form;             /* CONN_* */
    uint8_t packed_len;
    union {
        gint64 queued;        /* CONN_NONE: last_seen when put at the judged tail */
        eno_conn *conn;       /* CONN_FULL */
        uint8_t *heap;        /* CONN_PACKED */
        uint8_t packed[ENTRY_INLINE]; /* CONN_INLINE */
    } u;
} track_entry;

typedef struct {
    uint32_t head, tail, length;
} track_queue;

typedef struct {
    track_entry *e;           /* e[0] unused: index 0 is none */
    uint32_t cap;             /* entries allocated, e[0] included */
    uint32_t used;            /* entries handed out or freed, e[0] included */
    uint32_t free;            /* chain of freed entries */
    uint32_t *slot;           /* the index: entry numbers, 0 empty */
    uint32_t mask;            /* slots - 1 */
    uint32_t count;           /* entries in the index */
    uint64_t seed;            /* of the keyed hash */
} track_store;

void track_store_init(track_store *s, uint64_t seed);
void track_store_clear(track_store *s);
/* A zeroed entry, not yet in the index; may move the entries (pointers to
 * entries taken before it are stale). */
uint32_t track_store_alloc(track_store *s);
/* Gives back an entry that is in no queue and not in the index. */
void track_store_release(track_store *s, uint32_t i);
/* The keyed hash of a key, which find and insert take: a new key's is
 * computed once for both. */
uint64_t track_store_hash(const track_store *s, const flow_key *key);
/* The entry with this key in the index, or 0. */
uint32_t track_store_find(const track_store *s, const flow_key *key, uint64_t hash);
/* Puts entry i (its key set, no entry with that key indexed) in the index. */
void track_store_insert(track_store *s, uint32_t i, uint64_t hash);
void track_store_remove(track_store *s, uint32_t i);

static inline track_entry *track_store_at(const track_store *s, uint32_t i)
{
    return &s->e[i];
}

void track_queue_push_tail(track_store *s, track_queue *q, uint32_t i);
void track_queue_unlink(track_store *s, track_queue *q, uint32_t i);

#endif
