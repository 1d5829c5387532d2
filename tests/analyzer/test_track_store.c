/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The connection table's storage: entries that grow by doubling, the
 * open-addressing index (growth, removal, keys that share a home slot)
 * and the queues, checked against GLib's hash table as a model.
 */
#include <string.h>

#include <glib.h>

#include "flow.h"
#include "track_store.h"

static flow_key key4(uint32_t n)
{
    flow_key k;
    memset(&k, 0, sizeof k);
    k.family = 4;
    k.addr[0][0] = 10;
    k.addr[0][1] = (uint8_t)(n >> 16);
    k.addr[0][2] = (uint8_t)(n >> 8);
    k.addr[0][3] = (uint8_t)n;
    k.addr[1][0] = 10;
    k.addr[1][3] = 1;
    k.port[0] = (uint16_t)(1024 + (n >> 24));
    k.port[1] = 443;
    return k;
}

static uint32_t find(const track_store *s, const flow_key *k)
{
    return track_store_find(s, k, track_store_hash(s, k));
}

static uint32_t add(track_store *s, const flow_key *k)
{
    uint32_t i = track_store_alloc(s);
    track_store_at(s, i)->key = *k;
    track_store_insert(s, i, track_store_hash(s, k));
    return i;
}

/* Many entries: the array and the index grow, every key is found at its
 * entry, absent keys are not, and the index stays at most half full. */
static void test_growth(void)
{
    track_store s;
    track_store_init(&s, 12345);
    const uint32_t n = 100000;
    for (uint32_t k = 0; k < n; k++) {
        flow_key key = key4(k);
        g_assert_cmpuint(find(&s, &key), ==, 0);
        uint32_t i = add(&s, &key);
        g_assert_cmpuint(i, ==, k + 1);
        track_store_at(&s, i)->first_frame = k;
    }
    g_assert_cmpuint(s.count, ==, n);
    g_assert_cmpuint(s.cap, >=, n + 1);
    g_assert_cmpuint(s.count * 2, <=, s.mask + 1);
    for (uint32_t k = 0; k < n; k++) {
        flow_key key = key4(k);
        uint32_t i = find(&s, &key);
        g_assert_cmpuint(i, !=, 0);
        g_assert_cmpuint(track_store_at(&s, i)->first_frame, ==, k);
    }
    flow_key absent = key4(n + 7);
    g_assert_cmpuint(find(&s, &absent), ==, 0);
    track_store_clear(&s);
    g_assert_cmpuint(find(&s, &absent), ==, 0);
}

/* Random inserts and removals against a model: removal keeps every other
 * key findable (backward shift), and freed entries are reused. */
static void test_removal_against_model(void)
{
    track_store s;
    track_store_init(&s, 99);
    GHashTable *model = g_hash_table_new(g_direct_hash, g_direct_equal);
    GRand *rnd = g_rand_new_with_seed(7);
    const uint32_t keys = 3000;
    uint32_t most = 0;
    for (int step = 0; step < 200000; step++) {
        uint32_t k = g_rand_int_range(rnd, 0, (gint32)keys);
        flow_key key = key4(k);
        uint32_t i = find(&s, &key);
        gpointer want = g_hash_table_lookup(model, GUINT_TO_POINTER(k + 1));
        g_assert_cmpuint(i, ==, GPOINTER_TO_UINT(want));
        if (i) {
            track_store_remove(&s, i);
            track_store_release(&s, i);
            g_hash_table_remove(model, GUINT_TO_POINTER(k + 1));
        } else {
            i = add(&s, &key);
            g_hash_table_insert(model, GUINT_TO_POINTER(k + 1), GUINT_TO_POINTER(i));
        }
        g_assert_cmpuint(s.count, ==, g_hash_table_size(model));
        if (s.used > most)
            most = s.used;
    }
    /* Entries are reused: never more than the keys (and e[0]). */
    g_assert_cmpuint(most, <=, keys + 1);
    for (uint32_t k = 0; k < keys; k++) {
        flow_key key = key4(k);
        g_assert_cmpuint(find(&s, &key), ==,
                         GPOINTER_TO_UINT(g_hash_table_lookup(model, GUINT_TO_POINTER(k + 1))));
    }
    g_rand_free(rnd);
    g_hash_table_destroy(model);
    track_store_clear(&s);
}

static uint32_t home_of(const track_store *s, const flow_key *k)
{
    return (uint32_t)track_store_hash(s, k) & s->mask;
}

/* Keys that share one home slot (found under the store's seed, as an
 * attacker who knew it would craft them) form one run; removing from its
 * front, middle and end leaves the rest findable.  Keys of a neighbouring
 * home slot are in the same run. */
static void test_colliding_keys(void)
{
    track_store s;
    track_store_init(&s, 4242);
    /* The first insert makes the index (1024 slots); keys for slot 5 and 6
     * are then picked by their hash. */
    flow_key first = key4(0xffffff);
    add(&s, &first);
    g_assert_cmpuint(s.mask, ==, 1023);
    flow_key same[40], next[10];
    size_t n_same = 0, n_next = 0;
    for (uint32_t k = 0; n_same < G_N_ELEMENTS(same) || n_next < G_N_ELEMENTS(next); k++) {
        g_assert_cmpuint(k, <, 1u << 22);
        flow_key key = key4(k);
        uint32_t h = home_of(&s, &key);
        if (h == 5 && n_same < G_N_ELEMENTS(same))
            same[n_same++] = key;
        else if (h == 6 && n_next < G_N_ELEMENTS(next))
            next[n_next++] = key;
    }
    uint32_t idx_same[40], idx_next[10];
    for (size_t k = 0; k < 10; k++) {
        idx_same[k] = add(&s, &same[k]);
        idx_next[k] = add(&s, &next[k]);
    }
    for (size_t k = 10; k < 40; k++)
        idx_same[k] = add(&s, &same[k]);
    g_assert_cmpuint(s.mask, ==, 1023);
    for (size_t k = 0; k < 40; k++)
        g_assert_cmpuint(find(&s, &same[k]), ==, idx_same[k]);
    for (size_t k = 0; k < 10; k++)
        g_assert_cmpuint(find(&s, &next[k]), ==, idx_next[k]);
    static const size_t gone[] = {0, 20, 39, 1, 38, 10};
    for (size_t g = 0; g < G_N_ELEMENTS(gone); g++) {
        track_store_remove(&s, idx_same[gone[g]]);
        track_store_release(&s, idx_same[gone[g]]);
        idx_same[gone[g]] = 0;
        for (size_t k = 0; k < 40; k++)
            g_assert_cmpuint(find(&s, &same[k]), ==, idx_same[k]);
        for (size_t k = 0; k < 10; k++)
            g_assert_cmpuint(find(&s, &next[k]), ==, idx_next[k]);
    }
    /* The other seed spreads the same keys over many slots. */
    track_store t;
    track_store_init(&t, 4243);
    add(&t, &first);
    GHashTable *homes = g_hash_table_new(g_direct_hash, g_direct_equal);
    for (size_t k = 0; k < 40; k++)
        g_hash_table_add(homes, GUINT_TO_POINTER(home_of(&t, &same[k]) + 1));
    g_assert_cmpuint(g_hash_table_size(homes), >=, 30);
    g_hash_table_destroy(homes);
    track_store_clear(&t);
    track_store_clear(&s);
}

/* The queues: order, unlinking at the head, middle and tail, and moving
 * an entry between queues as the tracker retires it. */
static void test_queues(void)
{
    track_store s;
    track_store_init(&s, 1);
    track_queue a = {0}, b = {0};
    uint32_t e[6];
    for (int k = 0; k < 6; k++) {
        e[k] = track_store_alloc(&s);
        track_queue_push_tail(&s, &a, e[k]);
    }
    g_assert_cmpuint(a.length, ==, 6);
    track_queue_unlink(&s, &a, e[0]);
    track_queue_unlink(&s, &a, e[3]);
    track_queue_unlink(&s, &a, e[5]);
    track_queue_push_tail(&s, &b, e[3]);
    track_queue_push_tail(&s, &a, e[0]);
    const uint32_t want_a[] = {e[1], e[2], e[4], e[0]};
    uint32_t k = 0;
    for (uint32_t i = a.head; i; i = track_store_at(&s, i)->next, k++)
        g_assert_cmpuint(i, ==, want_a[k]);
    g_assert_cmpuint(k, ==, a.length);
    k = G_N_ELEMENTS(want_a);
    for (uint32_t i = a.tail; i; i = track_store_at(&s, i)->prev)
        g_assert_cmpuint(i, ==, want_a[--k]);
    g_assert_cmpuint(b.head, ==, e[3]);
    g_assert_cmpuint(b.tail, ==, e[3]);
    g_assert_cmpuint(b.length, ==, 1);
    track_store_clear(&s);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/track-store/growth", test_growth);
    g_test_add_func("/track-store/removal-against-model", test_removal_against_model);
    g_test_add_func("/track-store/colliding-keys", test_colliding_keys);
    g_test_add_func("/track-store/queues", test_queues);
    return g_test_run();
}
