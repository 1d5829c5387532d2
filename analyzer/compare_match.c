/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Matching two points' captures.  Connections pair up by what a path
 * leaves alone more often than not: the 4-tuple (not across NAT), each
 * side's ISN (not across ISN rewriting), the first TCP timestamp, IP ID and
 * payload of each side.  Each match_signal adds to a score and the best-scoring
 * pairs win; time plays no part, so a clock offset cannot mislead it.
 * Within a pair, segments match by sequence number (through the ISN
 * mapping found), acknowledgment, flags and length, checked by IP ID and
 * TSval, so that retransmissions and reordering pair each copy with its
 * own; looser passes then catch segments whose numbers or payload the
 * path rewrote.  The clock offset comes last, from the matched segments.
 */
#include <stdlib.h>
#include <string.h>

#include "compare.h"

#define SCORE_MIN 3           /* a tuple alone (2) does not make a match */
#define BUCKET_MAX 16         /* a match_signal shared by more connections tells nothing */

typedef struct {
    uint64_t sig;
    int weight;
} match_signal;

static uint64_t mix(uint64_t tag, uint64_t v)
{
    uint64_t x = tag * UINT64_C(0x9e3779b97f4a7c15) ^ v;
    x ^= x >> 31;
    x *= UINT64_C(0xbf58476d1ce4e5b9);
    x ^= x >> 29;
    return x;
}

/* The signals of a connection; returns how many (at most 9). */
static size_t signals(const cmp_conn *c, match_signal *out)
{
    size_t n = 0;
    uint64_t t = mix(1, c->key.family);
    for (size_t i = 0; i < 16; i++)
        t = mix(t, (uint64_t)c->key.addr[c->client_side][i] << 8 | c->key.addr[!c->client_side][i]);
    t = mix(t, (uint64_t)c->key.port[c->client_side] << 16 | c->key.port[!c->client_side]);
    out[n++] = (match_signal){t, 2};
    for (int d = 0; d < 2; d++)
        if (c->isn_known[d])
            out[n++] = (match_signal){mix(2 + d, c->isn[d]), 3};
    bool ts[2] = {false, false}, id[2] = {false, false}, data[2] = {false, false};
    for (guint i = 0; i < c->segs->len; i++) {
        const cmp_seg *s = &g_array_index(c->segs, cmp_seg, i);
        int d = s->dir;
        if (!ts[d] && s->has_ts && s->tsval) {
            ts[d] = true;
            out[n++] = (match_signal){mix(4 + d, s->tsval), 2};
        }
        if (!id[d] && s->ip_id) {
            id[d] = true;
            out[n++] = (match_signal){mix(6 + d, s->ip_id), 1};
        }
        if (!data[d] && s->payload_cap) {
            data[d] = true;
            out[n++] = (match_signal){mix(8 + d, s->payload_hash ^ s->payload_len), 2};
        }
    }
    return n;
}

typedef struct {
    int score;
    guint i, j;
} candidate;

static int by_score(const void *a, const void *b)
{
    const candidate *x = a, *y = b;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    if (x->i != y->i)
        return x->i < y->i ? -1 : 1;
    return x->j < y->j ? -1 : x->j > y->j;
}

static void array_free(gpointer a)
{
    g_array_free(a, TRUE);
}

static void match_conns(cmp_file f[2])
{
    /* match_signal -> indices of point 2's connections */
    GHashTable *index = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, array_free);
    match_signal sig[9];
    for (guint j = 0; j < f[1].conns->len; j++) {
        size_t n = signals(g_ptr_array_index(f[1].conns, j), sig);
        for (size_t k = 0; k < n; k++) {
            GArray *a = g_hash_table_lookup(index, &sig[k].sig);
            if (!a) {
                a = g_array_new(FALSE, FALSE, sizeof(guint));
                g_hash_table_insert(index, g_memdup2(&sig[k].sig, sizeof(uint64_t)), a);
            }
            if (a->len <= BUCKET_MAX)
                g_array_append_val(a, j);
        }
    }
    GArray *cands = g_array_new(FALSE, FALSE, sizeof(candidate));
    GArray *local = g_array_new(FALSE, FALSE, sizeof(candidate));
    for (guint i = 0; i < f[0].conns->len; i++) {
        size_t n = signals(g_ptr_array_index(f[0].conns, i), sig);
        g_array_set_size(local, 0);
        for (size_t k = 0; k < n; k++) {
            GArray *a = g_hash_table_lookup(index, &sig[k].sig);
            if (!a || a->len > BUCKET_MAX)
                continue;
            for (guint m = 0; m < a->len; m++) {
                guint j = g_array_index(a, guint, m);
                guint c;
                for (c = 0; c < local->len; c++)
                    if (g_array_index(local, candidate, c).j == j)
                        break;
                if (c == local->len) {
                    candidate z = {0, i, j};
                    g_array_append_val(local, z);
                }
                g_array_index(local, candidate, c).score += sig[k].weight;
            }
        }
        for (guint c = 0; c < local->len; c++)
            if (g_array_index(local, candidate, c).score >= SCORE_MIN)
                g_array_append_val(cands, g_array_index(local, candidate, c));
    }
    if (cands->len > 1)
        qsort(cands->data, cands->len, sizeof(candidate), by_score);
    for (guint k = 0; k < cands->len; k++) {
        const candidate *z = &g_array_index(cands, candidate, k);
        cmp_conn *a = g_ptr_array_index(f[0].conns, z->i), *b = g_ptr_array_index(f[1].conns, z->j);
        if (a->peer < 0 && b->peer < 0) {
            a->peer = (int32_t)z->j;
            b->peer = (int32_t)z->i;
        }
    }
    g_array_free(local, TRUE);
    g_array_free(cands, TRUE);
    g_hash_table_destroy(index);
}

static cmp_seg *seg_at(const cmp_conn *c, guint i)
{
    return &g_array_index(c->segs, cmp_seg, i);
}

/* Each endpoint's sequence number mapping: from its SYN at both points,
 * else from a segment both saw with the same IP ID or TSval. */
static void find_mapping(const cmp_conn *a, const cmp_conn *b, cmp_mapping *m)
{
    for (int d = 0; d < 2; d++) {
        m->nat[d] = strcmp(d ? a->server : a->client, d ? b->server : b->client) != 0;
        if (a->isn_known[d] && b->isn_known[d]) {
            m->seq_known[d] = true;
            m->seq_delta[d] = (int64_t)(uint32_t)(b->isn[d] - a->isn[d]);
            continue;
        }
        for (guint i = 0; i < a->segs->len && !m->seq_known[d]; i++) {
            const cmp_seg *x = seg_at(a, i);
            if (x->dir != d || (!x->ip_id && !x->has_ts))
                continue;
            for (guint j = 0; j < b->segs->len; j++) {
                const cmp_seg *y = seg_at(b, j);
                if (y->dir == d && y->payload_len == x->payload_len &&
                    (x->ip_id ? y->ip_id == x->ip_id : y->has_ts && y->tsval == x->tsval)) {
                    m->seq_known[d] = true;
                    m->seq_delta[d] = (int64_t)(uint32_t)(y->seq - x->seq);
                    break;
                }
            }
        }
    }
}

#define FLAG_MASK (ENO_TCP_FIN | ENO_TCP_SYN | ENO_TCP_RST | ENO_TCP_ACK)

/* Passes from the strictest to the loosest. */
static bool same(const cmp_seg *x, const cmp_seg *y, const cmp_mapping *m, int pass)
{
    if (x->dir != y->dir || (x->flags & FLAG_MASK) != (y->flags & FLAG_MASK))
        return false;
    bool seq = (uint32_t)(y->seq - x->seq) == (uint32_t)m->seq_delta[x->dir];
    bool ack = !(x->flags & ENO_TCP_ACK) ||
               (uint32_t)(y->ack - x->ack) == (uint32_t)m->seq_delta[!x->dir];
    bool len = x->payload_len == y->payload_len;
    bool id = x->ip_id && x->ip_id == y->ip_id;
    bool ts = x->has_ts && y->has_ts && x->tsval == y->tsval;
    bool id_ok = !x->ip_id || !y->ip_id || x->ip_id == y->ip_id;
    switch (pass) {
    case 0: return seq && ack && len && (id || ts);
    case 1: return seq && ack && len && id_ok;
    case 2: return seq && len && id_ok;             /* acknowledgment rewritten */
    case 3: return seq && ack && len;               /* IP ID rewritten (some NATs do) */
    case 4: return len && (id || ts);               /* sequence number rewritten */
    default: return seq && (id || ts);              /* payload length changed */
    }
}

static void match_segments(cmp_conn *a, cmp_conn *b, const cmp_mapping *m)
{
    guint left = b->segs->len; /* point 2's segments still unmatched */
    for (int pass = 0; pass < 6 && left; pass++) {
        guint from = 0;
        for (guint i = 0; i < a->segs->len && left; i++) {
            cmp_seg *x = seg_at(a, i);
            if (x->peer >= 0)
                continue;
            /* In order: the n-th copy of a retransmission pairs with the
             * n-th; a reordered segment is found further on or back. */
            for (guint k = 0; k < b->segs->len; k++) {
                guint j = (from + k) % b->segs->len;
                cmp_seg *y = seg_at(b, j);
                if (y->peer < 0 && same(x, y, m, pass)) {
                    x->peer = (int32_t)j;
                    y->peer = (int32_t)i;
                    from = j + 1;
                    left--;
                    break;
                }
            }
        }
    }
}

static int by_value(const void *a, const void *b)
{
    gint64 x = *(const gint64 *)a, y = *(const gint64 *)b;
    return x < y ? -1 : x > y;
}

static bool median(GArray *v, gint64 *out)
{
    if (v->len == 0)
        return false;
    qsort(v->data, v->len, sizeof(gint64), by_value);
    *out = g_array_index(v, gint64, v->len / 2);
    return true;
}

/* Point 2's clock minus point 1's: a segment crosses from the point nearer
 * its sender to the other, so the median time difference of each
 * direction is the offset plus or minus the one-way time between the
 * points; their mean is the offset and their sign tells which point is
 * nearer the clients. */
static void estimate_clock(cmp_file f[2], cmp_clock *clock)
{
    GArray *dt[2] = {g_array_new(FALSE, FALSE, sizeof(gint64)),
                     g_array_new(FALSE, FALSE, sizeof(gint64))};
    for (guint i = 0; i < f[0].conns->len; i++) {
        cmp_conn *a = g_ptr_array_index(f[0].conns, i);
        if (a->peer < 0)
            continue;
        cmp_conn *b = g_ptr_array_index(f[1].conns, a->peer);
        for (guint k = 0; k < a->segs->len; k++) {
            cmp_seg *x = seg_at(a, k);
            if (x->peer < 0)
                continue;
            gint64 d = seg_at(b, (guint)x->peer)->ts - x->ts;
            g_array_append_val(dt[x->dir], d);
            clock->matched_segments++;
        }
    }
    gint64 m[2];
    bool have[2] = {median(dt[0], &m[0]), median(dt[1], &m[1])};
    clock->client_point = -1;
    if (have[0] && have[1]) {
        clock->offset_known = true;
        clock->clock_offset = (m[0] + m[1]) / 2;
        clock->latency = (m[0] - m[1]) / 2;
        if (clock->latency != 0)
            clock->client_point = clock->latency > 0 ? 0 : 1;
        if (clock->latency < 0)
            clock->latency = -clock->latency;
    } else if (have[0] || have[1]) {
        clock->offset_known = true;
        clock->clock_offset = have[0] ? m[0] : m[1];
    }
    g_array_free(dt[0], TRUE);
    g_array_free(dt[1], TRUE);
}

void cmp_result_free(gpointer p)
{
    cmp_result *r = p;
    if (!r)
        return;
    if (r->diffs)
        g_array_free(r->diffs, TRUE);
    g_free(r);
}

static cmp_result *result_new(cmp_conn *a, cmp_conn *b)
{
    cmp_result *r = g_new0(cmp_result, 1);
    r->c[0] = a;
    r->c[1] = b;
    r->diffs = g_array_new(FALSE, FALSE, sizeof(cmp_diff));
    return r;
}

GPtrArray *cmp_match(cmp_file f[2], cmp_clock *clock)
{
    memset(clock, 0, sizeof *clock);
    match_conns(f);
    GPtrArray *res = g_ptr_array_new_with_free_func(cmp_result_free);
    for (guint i = 0; i < f[0].conns->len; i++) {
        cmp_conn *a = g_ptr_array_index(f[0].conns, i);
        cmp_conn *b = a->peer >= 0 ? g_ptr_array_index(f[1].conns, a->peer) : NULL;
        cmp_result *r = result_new(a, b);
        if (b) {
            find_mapping(a, b, &r->map);
            match_segments(a, b, &r->map);
        }
        g_ptr_array_add(res, r);
    }
    for (guint j = 0; j < f[1].conns->len; j++) {
        cmp_conn *b = g_ptr_array_index(f[1].conns, j);
        if (b->peer < 0)
            g_ptr_array_add(res, result_new(NULL, b));
    }
    estimate_clock(f, clock);
    return res;
}
