/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The connection table's storage.  The index is linear probing over a
 * power-of-two array of entry numbers, at most half full, with backward
 * shift on removal (no tombstones, so look-ups stay short however many
 * connections come and go).  Its hash is the engine's keyed flow hash with
 * the tracker's random seed: a capture cannot be crafted to fill one run
 * of slots.
 */
#include <string.h>

#include "eno/flow.h"

#include "track_store.h"

/* Two entries per half-open connection at the cap in a flood (its own and
 * the record of one dropped before it): their size is most of its cost. */
G_STATIC_ASSERT(sizeof(track_entry) <= 96);

#define MIN_SLOTS 1024u
#define MIN_ENTRIES 1024u

uint64_t track_store_hash(const track_store *s, const flow_key *key)
{
    return flow_key_hash64(key, s->seed);
}

static uint32_t home(const track_store *s, const flow_key *key)
{
    return (uint32_t)track_store_hash(s, key) & s->mask;
}

void track_store_init(track_store *s, uint64_t seed)
{
    memset(s, 0, sizeof *s);
    s->seed = seed;
    s->used = 1;
}

void track_store_clear(track_store *s)
{
    g_free(s->e);
    g_free(s->slot);
    track_store_init(s, s->seed);
}

uint32_t track_store_alloc(track_store *s)
{
    uint32_t i = s->free;
    if (i) {
        s->free = s->e[i].next;
    } else {
        if (s->used >= s->cap) {
            /* Doubling: a large block grows in place or by remapping, and
             * pages never used stay untouched. */
            if (s->cap >= UINT32_MAX / 2)
                g_error("connection table: too many entries");
            s->cap = s->cap ? s->cap * 2 : MIN_ENTRIES;
            s->e = g_renew(track_entry, s->e, s->cap);
        }
        i = s->used++;
    }
    memset(&s->e[i], 0, sizeof s->e[i]);
    return i;
}

void track_store_release(track_store *s, uint32_t i)
{
    s->e[i].next = s->free;
    s->free = i;
}

uint32_t track_store_find(const track_store *s, const flow_key *key, uint64_t hash)
{
    if (!s->slot)
        return 0;
    for (uint32_t h = (uint32_t)hash & s->mask;; h = (h + 1) & s->mask) {
        uint32_t i = s->slot[h];
        if (!i || flow_key_same(&s->e[i].key, key))
            return i;
    }
}

static void place(track_store *s, uint32_t i, uint64_t hash)
{
    uint32_t h = (uint32_t)hash & s->mask;
    while (s->slot[h])
        h = (h + 1) & s->mask;
    s->slot[h] = i;
}

static void grow_index(track_store *s)
{
    uint32_t *old = s->slot, old_n = s->slot ? s->mask + 1 : 0;
    uint32_t n = old_n ? old_n * 2 : MIN_SLOTS;
    if (n == 0)
        g_error("connection table: index too large");
    s->slot = g_new0(uint32_t, n);
    s->mask = n - 1;
    for (uint32_t k = 0; k < old_n; k++)
        if (old[k])
            place(s, old[k], track_store_hash(s, &s->e[old[k]].key));
    g_free(old);
}

void track_store_insert(track_store *s, uint32_t i, uint64_t hash)
{
    if (!s->slot || (s->count + 1) * 2 > s->mask + 1)
        grow_index(s);
    place(s, i, hash);
    s->count++;
}

void track_store_remove(track_store *s, uint32_t i)
{
    uint32_t h = home(s, &s->e[i].key);
    while (s->slot[h] != i) {
        g_assert(s->slot[h]);
        h = (h + 1) & s->mask;
    }
    /* Backward shift: each later entry of the run whose home is not
     * between the hole and itself moves into the hole. */
    uint32_t hole = h;
    for (uint32_t k = (h + 1) & s->mask; s->slot[k]; k = (k + 1) & s->mask) {
        uint32_t want = home(s, &s->e[s->slot[k]].key);
        if (((k - want) & s->mask) >= ((k - hole) & s->mask)) {
            s->slot[hole] = s->slot[k];
            hole = k;
        }
    }
    s->slot[hole] = 0;
    s->count--;
}

void track_queue_push_tail(track_store *s, track_queue *q, uint32_t i)
{
    track_entry *e = &s->e[i];
    e->prev = q->tail;
    e->next = 0;
    if (q->tail)
        s->e[q->tail].next = i;
    else
        q->head = i;
    q->tail = i;
    q->length++;
}

void track_queue_unlink(track_store *s, track_queue *q, uint32_t i)
{
    track_entry *e = &s->e[i];
    if (e->prev)
        s->e[e->prev].next = e->next;
    else
        q->head = e->next;
    if (e->next)
        s->e[e->next].prev = e->prev;
    else
        q->tail = e->prev;
    e->prev = e->next = 0;
    q->length--;
}
