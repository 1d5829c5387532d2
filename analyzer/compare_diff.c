/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What changed between the points, segment by segment.  A change has a
 * direction: a segment travels from the point nearer its sender (upstream)
 * to the other, so an option present upstream and absent downstream was
 * removed, never added.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"

#define TCP_OPT_MSS 2
#define TCP_OPT_WS 3
#define TCP_OPT_SACKOK 4
#define TCP_OPT_TS 8
#define MAX_LIST (ENO_OPT_MAX / 2)

const char *cmp_change_name(cmp_change c)
{
    static const char *const names[CHANGE_COUNT] = {
        [CHANGE_ENO_REMOVED] = "eno-removed",       [CHANGE_ENO_CHANGED] = "eno-changed",
        [CHANGE_ENO_REPLACED] = "eno-replaced",     [CHANGE_ENO_ADDED] = "eno-added",
        [CHANGE_OPTION_REMOVED] = "option-removed", [CHANGE_OPTION_CHANGED] = "option-changed",
        [CHANGE_SEQ_REWRITTEN] = "seq-rewritten",   [CHANGE_PAYLOAD_CHANGED] = "payload-changed",
        [CHANGE_LOST] = "lost",
    };
    return (unsigned)c < CHANGE_COUNT ? names[c] : "?";
}

static void hex(char *buf, size_t cap, const uint8_t *p, size_t n)
{
    size_t at = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n && at + 4 < cap; i++)
        at += (size_t)snprintf(buf + at, cap - at, i ? " %02x" : "%02x", p[i]);
}

static const char *option_name(uint8_t kind)
{
    switch (kind) {
    case TCP_OPT_MSS: return "MSS";
    case TCP_OPT_WS: return "window scale";
    case TCP_OPT_SACKOK: return "SACK-permitted";
    case 5: return "SACK";
    case TCP_OPT_TS: return "timestamps";
    case ENO_KIND_TFO: return "TCP Fast Open";
    case 19: return "MD5 signature";
    case 29: return "TCP-AO";
    case 30: return "MPTCP";
    case ENO_KIND_EXP1:
    case ENO_KIND_EXP2: return "experimental option";
    default: return NULL;
    }
}

static void describe_option(char *buf, size_t cap, const uint8_t *o, uint8_t len)
{
    const char *name = option_name(o[0]);
    char bytes[3 * ENO_OPT_MAX];
    hex(bytes, sizeof bytes, o, len);
    if (name)
        snprintf(buf, cap, "%s (%s)", name, bytes);
    else
        snprintf(buf, cap, "option kind %u (%s)", o[0], bytes);
}

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

typedef struct {
    cmp_result *r;
    const cmp_file *f;
    const cmp_clock *clock;
    const cmp_seg *s[2];      /* per point, NULL when absent */
    int up, down;             /* points, for the segment's direction */
    char who[96];             /* "the client's completing ACK" */
    bool isn_told[2];         /* per endpoint: its ISN mapping was reported */
} ctx;

static cmp_diff *add(ctx *x, cmp_change change, bool eno)
{
    cmp_diff d = {.change = change, .eno = eno};
    for (int p = 0; p < 2; p++)
        d.frame[p] = x->s[p] ? x->s[p]->frame : 0;
    d.dir = x->s[0] ? x->s[0]->dir : x->s[1]->dir;
    d.when = x->s[0] ? x->s[0]->ts
                     : x->s[1]->ts - (x->clock->offset_known ? x->clock->clock_offset : 0);
    g_array_append_val(x->r->diffs, d);
    if (eno)
        x->r->eno_diffs++;
    return &g_array_index(x->r->diffs, cmp_diff, x->r->diffs->len - 1);
}

static void set_opt(cmp_diff *d, int point, const cmp_seg *s, const cmp_opt *o)
{
    if (!o || !s)
        return;
    d->opt_present[point] = true;
    d->opt_len[point] = o->len;
    memcpy(d->opt[point], s->opts + o->off, o->len);
}

static const cmp_opt *find_kind(const cmp_opt *l, size_t n, uint8_t kind, int skip)
{
    for (size_t i = 0; i < n; i++)
        if (l[i].kind == kind && (int)i != skip)
            return &l[i];
    return NULL;
}

static void name_segment(ctx *x)
{
    int p = x->s[x->up] ? x->up : x->down;
    const cmp_seg *s = x->s[p];
    const cmp_conn *c = x->r->c[p];
    snprintf(x->who, sizeof x->who, "%s's %s", cmp_host_name(x->r, s->dir), cmp_seg_name(c, s));
}

static void diff_eno(ctx *x, const cmp_opt *l[2], const size_t n[2], const int e[2],
                     int *replacement)
{
    const int u = x->up, d = x->down;
    const cmp_seg *su = x->s[u], *sd = x->s[d];
    char a[3 * ENO_OPT_MAX], b[160];
    *replacement = -1;
    if (e[u] >= 0 && e[d] < 0) {
        const cmp_opt *eu = &l[u][e[u]];
        hex(a, sizeof a, su->opts + eu->off, eu->len);
        /* Another option standing where ENO stood, absent upstream: ENO
         * was overwritten, not cut out. */
        for (size_t i = 0; i < n[d]; i++) {
            const cmp_opt *o = &l[d][i];
            bool overlaps = o->off < eu->off + eu->len && eu->off < o->off + o->len;
            bool known = false;
            for (size_t k = 0; k < n[u]; k++)
                known |= l[u][k].len == o->len &&
                         memcmp(su->opts + l[u][k].off, sd->opts + o->off, o->len) == 0;
            if (overlaps && !known) {
                *replacement = (int)i;
                break;
            }
        }
        cmp_diff *df = add(x, *replacement >= 0 ? CHANGE_ENO_REPLACED : CHANGE_ENO_REMOVED, true);
        set_opt(df, u, su, eu);
        if (*replacement >= 0) {
            const cmp_opt *o = &l[d][*replacement];
            set_opt(df, d, sd, o);
            describe_option(b, sizeof b, sd->opts + o->off, o->len);
            snprintf(df->message, sizeof df->message, "%s carried ENO (%s) at point %d and "
                     "arrived at point %d with %s in its place: replaced on the path", x->who, a,
                     u + 1, d + 1, b);
        } else {
            snprintf(df->message, sizeof df->message, "%s carried ENO (%s) at point %d and "
                     "arrived at point %d without it: removed on the path", x->who, a, u + 1,
                     d + 1);
        }
    } else if (e[u] < 0 && e[d] >= 0) {
        const cmp_opt *ed = &l[d][e[d]];
        cmp_diff *df = add(x, CHANGE_ENO_ADDED, true);
        set_opt(df, d, sd, ed);
        hex(a, sizeof a, sd->opts + ed->off, ed->len);
        snprintf(df->message, sizeof df->message, "%s had no ENO at point %d and carries ENO "
                 "(%s) at point %d: added on the path", x->who, u + 1, a, d + 1);
    } else if (e[u] >= 0 && e[d] >= 0) {
        const cmp_opt *eu = &l[u][e[u]], *ed = &l[d][e[d]];
        const uint8_t *pu = su->opts + eu->off, *pd = sd->opts + ed->off;
        if (eu->len == ed->len && memcmp(pu, pd, eu->len) == 0)
            return;
        cmp_diff *df = add(x, CHANGE_ENO_CHANGED, true);
        set_opt(df, u, su, eu);
        set_opt(df, d, sd, ed);
        char what[200] = "";
        size_t at = 0, common = eu->len < ed->len ? eu->len : ed->len;
        for (size_t i = 0; i < common && at + 24 < sizeof what; i++)
            if (pu[i] != pd[i])
                at += (size_t)snprintf(what + at, sizeof what - at, "%sbyte %zu %02x -> %02x",
                                       at ? ", " : "", i, pu[i], pd[i]);
        if (eu->len != ed->len)
            snprintf(what + at, sizeof what - at, "%slength %u -> %u", at ? ", " : "", eu->len,
                     ed->len);
        hex(a, sizeof a, pu, eu->len);
        char c[3 * ENO_OPT_MAX];
        hex(c, sizeof c, pd, ed->len);
        snprintf(df->message, sizeof df->message, "%s: ENO changed between point %d (%s) and "
                 "point %d (%s): %s", x->who, u + 1, a, d + 1, c, what);
    }
}

static void diff_other(ctx *x, const cmp_opt *l[2], const size_t n[2], const int e[2],
                       int replacement)
{
    const int u = x->up, d = x->down;
    const cmp_seg *su = x->s[u], *sd = x->s[d];
    char a[160], b[160];
    for (size_t i = 0; i < n[u]; i++) {
        const cmp_opt *ou = &l[u][i];
        if ((int)i == e[u] || eno_option_is_eno(su->opts + ou->off, ou->len))
            continue;
        const cmp_opt *od = find_kind(l[d], n[d], ou->kind, replacement);
        if (od && eno_option_is_eno(sd->opts + od->off, od->len))
            od = NULL;
        const uint8_t *pu = su->opts + ou->off;
        describe_option(a, sizeof a, pu, ou->len);
        if (!od) {
            cmp_diff *df = add(x, CHANGE_OPTION_REMOVED, false);
            set_opt(df, u, su, ou);
            snprintf(df->message, sizeof df->message, "%s: %s removed between point %d and "
                     "point %d", x->who, a, u + 1, d + 1);
            continue;
        }
        const uint8_t *pd = sd->opts + od->off;
        if (od->len == ou->len && memcmp(pu, pd, ou->len) == 0)
            continue;
        cmp_diff *df = add(x, CHANGE_OPTION_CHANGED, false);
        set_opt(df, u, su, ou);
        set_opt(df, d, sd, od);
        if (ou->kind == TCP_OPT_MSS && ou->len == 4 && od->len == 4) {
            unsigned mu = (unsigned)pu[2] << 8 | pu[3], md = (unsigned)pd[2] << 8 | pd[3];
            snprintf(df->message, sizeof df->message, "%s: MSS %s from %u at point %d to %u at "
                     "point %d", x->who, md < mu ? "clamped" : "raised", mu, u + 1, md, d + 1);
        } else if (ou->kind == TCP_OPT_TS && ou->len == 10 && od->len == 10) {
            snprintf(df->message, sizeof df->message, "%s: timestamps rewritten between point "
                     "%d and point %d: TSval %u -> %u, TSecr %u -> %u", x->who, u + 1, d + 1,
                     get32(pu + 2), get32(pd + 2), get32(pu + 6), get32(pd + 6));
        } else {
            describe_option(b, sizeof b, pd, od->len);
            snprintf(df->message, sizeof df->message, "%s: %s at point %d became %s at point "
                     "%d", x->who, a, u + 1, b, d + 1);
        }
    }
    for (size_t i = 0; i < n[d]; i++) {
        const cmp_opt *od = &l[d][i];
        if ((int)i == e[d] || (int)i == replacement ||
            eno_option_is_eno(sd->opts + od->off, od->len) || find_kind(l[u], n[u], od->kind, e[u]))
            continue;
        cmp_diff *df = add(x, CHANGE_OPTION_CHANGED, false);
        set_opt(df, d, sd, od);
        describe_option(b, sizeof b, sd->opts + od->off, od->len);
        snprintf(df->message, sizeof df->message, "%s: %s added between point %d and point %d",
                 x->who, b, u + 1, d + 1);
    }
}

static void diff_numbers(ctx *x)
{
    const cmp_seg *a = x->s[0], *b = x->s[1];
    const cmp_mapping *m = &x->r->map;
    int dir = a->dir;
    uint32_t dseq = (uint32_t)m->seq_delta[dir], dack = (uint32_t)m->seq_delta[!dir];
    bool syn = (a->flags & ENO_TCP_SYN) != 0, mapped = b->seq - a->seq == dseq;
    if (syn && dseq != 0 && mapped && !x->isn_told[dir]) {
        /* Reported once, at the first SYN: the mapping holds for the rest. */
        x->isn_told[dir] = true;
        cmp_diff *df = add(x, CHANGE_SEQ_REWRITTEN, false);
        int32_t delta = (int32_t)dseq;
        snprintf(df->message, sizeof df->message, "%s: ISN %u at point 1 is %u at point 2: the "
                 "path shifts %s sequence numbers by %+d (and the acknowledgments that answer "
                 "them)", x->who, a->seq, b->seq, dir ? "the server's" : "the client's", delta);
    } else if (!mapped) {
        cmp_diff *df = add(x, CHANGE_SEQ_REWRITTEN, false);
        snprintf(df->message, sizeof df->message, "%s: sequence number %u at point 1 is %u at "
                 "point 2, not %u as the connection's mapping gives", x->who, a->seq, b->seq,
                 a->seq + dseq);
    }
    if ((a->flags & ENO_TCP_ACK) && b->ack - a->ack != dack) {
        cmp_diff *df = add(x, CHANGE_SEQ_REWRITTEN, false);
        snprintf(df->message, sizeof df->message, "%s: acknowledgment number %u at point 1 is "
                 "%u at point 2, not %u as the connection's mapping gives", x->who, a->ack,
                 b->ack, a->ack + dack);
    }
}

static bool carries_eno(const cmp_seg *s)
{
    cmp_opt l[MAX_LIST];
    size_t n = cmp_opts_list(s, l, MAX_LIST);
    return cmp_opts_eno(s, l, n) >= 0;
}

static void diff_payload(ctx *x)
{
    const cmp_seg *a = x->s[0], *b = x->s[1];
    bool eno = carries_eno(a) || carries_eno(b);
    if (a->payload_len != b->payload_len) {
        cmp_diff *df = add(x, CHANGE_PAYLOAD_CHANGED, eno);
        snprintf(df->message, sizeof df->message, "%s: payload of %u bytes at point 1, %u at "
                 "point 2", x->who, a->payload_len, b->payload_len);
        return;
    }
    bool differ;
    if (a->payload_cap == b->payload_cap)
        differ = a->payload_hash != b->payload_hash;
    else /* cut by different snapshot lengths: compare what both kept of the head */
        differ = memcmp(a->head, b->head, a->head_len < b->head_len ? a->head_len
                                                                     : b->head_len) != 0;
    if (differ) {
        cmp_diff *df = add(x, CHANGE_PAYLOAD_CHANGED, eno);
        snprintf(df->message, sizeof df->message, "%s: payload bytes rewritten between point "
                 "%d and point %d (%u bytes)", x->who, x->up + 1, x->down + 1, a->payload_len);
    }
}

static void diff_pair(ctx *x)
{
    cmp_opt list[2][MAX_LIST];
    const cmp_opt *l[2] = {list[0], list[1]};
    size_t n[2];
    int e[2];
    for (int p = 0; p < 2; p++) {
        n[p] = cmp_opts_list(x->s[p], list[p], MAX_LIST);
        e[p] = cmp_opts_eno(x->s[p], list[p], n[p]);
    }
    diff_numbers(x);
    if (!x->s[0]->opts_truncated && !x->s[1]->opts_truncated) {
        int replacement;
        diff_eno(x, l, n, e, &replacement);
        diff_other(x, l, n, e, replacement);
    }
    diff_payload(x);
}

/* The last kept segment's time of a connection whose later segments were
 * only counted: past it, a missing copy proves nothing. */
static gint64 kept_until(const cmp_conn *c)
{
    if (!c || !c->segs_dropped || !c->segs->len)
        return G_MAXINT64;
    return g_array_index(c->segs, cmp_seg, c->segs->len - 1).ts;
}

static void diff_lone(ctx *x, int p)
{
    const cmp_seg *s = x->s[p];
    const cmp_file *other = &x->f[!p];
    gint64 offset = x->clock->offset_known ? x->clock->clock_offset : 0;
    gint64 there = p == 0 ? s->ts + offset : s->ts - offset;
    gint64 slack = 2 * x->clock->latency + 1000;
    if (there > kept_until(x->r->c[!p]) - slack)
        return;
    bool outside = other->first_ts > other->last_ts || there < other->first_ts - slack ||
                   there > other->last_ts + slack;
    /* A copy the other point was not capturing tells nothing of the path. */
    cmp_diff *df = add(x, CHANGE_LOST, !outside && carries_eno(s));
    df->outside_span = outside;
    cmp_opt l[MAX_LIST];
    size_t n = cmp_opts_list(s, l, MAX_LIST);
    int e = cmp_opts_eno(s, l, n);
    if (e >= 0)
        set_opt(df, p, s, &l[e]);
    if (df->outside_span)
        snprintf(df->message, sizeof df->message, "%s seen at point %d only: point %d was not "
                 "capturing then (outside its capture's time span)", x->who, p + 1, 2 - p);
    else if (p == x->up)
        snprintf(df->message, sizeof df->message, "%s seen at point %d only: lost between "
                 "the points", x->who, p + 1);
    else
        snprintf(df->message, sizeof df->message, "%s seen at point %d only: missing at "
                 "point %d, where it should have passed first (a capture drop, or sent by "
                 "the path)", x->who, p + 1, 2 - p);
}

static int by_when(const void *a, const void *b)
{
    const cmp_diff *x = a, *y = b;
    if (x->when != y->when)
        return x->when < y->when ? -1 : 1;
    return x->change < y->change ? -1 : x->change > y->change;
}

/* Which point is nearer the client: this connection's own times when both
 * directions crossed, else the whole run's, else point 1. */
static void locate(cmp_result *r, const cmp_clock *clock)
{
    r->client_point = 0;
    r->client_point_known = false;
    if (r->c[0] && r->c[1]) {
        gint64 sum[2] = {0, 0};
        guint cnt[2] = {0, 0};
        for (guint i = 0; i < r->c[0]->segs->len; i++) {
            const cmp_seg *a = &g_array_index(r->c[0]->segs, cmp_seg, i);
            if (a->peer < 0)
                continue;
            const cmp_seg *b = &g_array_index(r->c[1]->segs, cmp_seg, (guint)a->peer);
            sum[a->dir] += b->ts - a->ts;
            cnt[a->dir]++;
        }
        if (cnt[0] && cnt[1]) {
            gint64 l = sum[0] / cnt[0] - sum[1] / cnt[1];
            if (l != 0) {
                r->client_point = l > 0 ? 0 : 1;
                r->client_point_known = true;
                return;
            }
        }
    }
    if (clock->client_point >= 0) {
        r->client_point = clock->client_point;
        r->client_point_known = true;
    }
}

void cmp_diff_result(cmp_result *r, const cmp_file f[2], const cmp_clock *clock)
{
    locate(r, clock);
    ctx x = {.r = r, .f = f, .clock = clock};
    for (int p = 0; p < 2; p++) {
        const cmp_conn *c = r->c[p];
        if (!c)
            continue;
        for (guint i = 0; i < c->segs->len; i++) {
            const cmp_seg *s = &g_array_index(c->segs, cmp_seg, i);
            if (p == 1 && s->peer >= 0)
                continue; /* done from point 1 */
            x.s[p] = s;
            x.s[!p] = s->peer >= 0 ? &g_array_index(r->c[!p]->segs, cmp_seg, (guint)s->peer)
                                   : NULL;
            x.up = s->dir == 0 ? r->client_point : !r->client_point;
            x.down = !x.up;
            name_segment(&x);
            if (x.s[!p])
                diff_pair(&x);
            else
                diff_lone(&x, p);
        }
        x.s[0] = x.s[1] = NULL;
    }
    if (r->diffs->len > 1)
        qsort(r->diffs->data, r->diffs->len, sizeof(cmp_diff), by_when);
}
