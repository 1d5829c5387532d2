/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Per connection: the engine's judgement of each point's view, and the
 * verdict one capture could not give -- what the path did to ENO and
 * whether the hosts on either side of it were left with different
 * outcomes.  The point nearer a host sees what that host saw.
 */
#include <stdio.h>
#include <string.h>

#include "compare.h"

void cmp_judge(cmp_conn *c)
{
    eno_conn *e = g_malloc(eno_conn_size());
    eno_result *r = g_new(eno_result, 1);
    eno_conn_init(e);
    for (guint i = 0; i < c->segs->len; i++) {
        const cmp_seg *s = &g_array_index(c->segs, cmp_seg, i);
        eno_segment seg = {
            .frame = s->frame, .dir = s->dir,
            .flags = s->flags & (ENO_TCP_FIN | ENO_TCP_SYN | ENO_TCP_RST | ENO_TCP_PSH |
                                 ENO_TCP_ACK),
            .seq = s->seq, .ack = s->ack, .payload_len = s->payload_len,
            .payload = s->head_len ? s->head : NULL, .payload_caplen = s->head_len,
        };
        eno_segment_set_options(&seg, s->opts, s->opts_len, s->opts_truncated);
        if (eno_conn_add(e, &seg) == ENO_ADD_NEW_CONNECTION)
            break;
    }
    eno_conn_evaluate(e, r);
    c->outcome = r->outcome;
    g_free(r);
    g_free(e);
}

static const eno_outcome *some_outcome(const cmp_result *r)
{
    if (r->c[0] && r->c[0]->outcome.host_a >= 0)
        return &r->c[0]->outcome;
    if (r->c[1] && r->c[1]->outcome.host_a >= 0)
        return &r->c[1]->outcome;
    return NULL;
}

const char *cmp_host_name(const cmp_result *r, int dir)
{
    const eno_outcome *o = some_outcome(r);
    if (!o)
        return dir ? "the server" : "the client";
    if (dir == 0)
        return o->host_a == 0 ? "the client (A)" : "the client (B)";
    return o->host_a == 1 ? "the server (A)" : "the server (B)";
}

const char *cmp_seg_name(const cmp_conn *c, const cmp_seg *s)
{
    bool syn = s->flags & ENO_TCP_SYN, ack = s->flags & ENO_TCP_ACK;
    if (syn)
        return ack ? "SYN-ACK" : "SYN";
    if (s->flags & ENO_TCP_RST)
        return "RST";
    if (c->outcome.ack_frame[s->dir] == s->frame)
        return s->dir == 0 && c->outcome.open != ENO_OPEN_SIMULTANEOUS ? "completing ACK"
                                                                        : "first ACK";
    if (s->flags & ENO_TCP_FIN)
        return "FIN";
    return s->payload_len ? "data segment" : "ACK";
}

/* "encrypted with TEP 0x21", "disabled (ack-missing-eno)" */
static void outcome_text(char *buf, size_t cap, const eno_outcome *o)
{
    const char *reason = eno_reason_name(o->reason);
    if (o->status == ENO_STATUS_ENCRYPTED && o->tep_valid)
        snprintf(buf, cap, "encrypted with TEP 0x%02x", o->tep);
    else if (reason)
        snprintf(buf, cap, "%s (%s)", eno_status_name(o->status), reason);
    else
        snprintf(buf, cap, "%s", eno_status_name(o->status));
}

static bool same_outcome(const eno_outcome *a, const eno_outcome *b)
{
    return a->status == b->status && a->reason == b->reason && a->tep_valid == b->tep_valid &&
           (!a->tep_valid || a->tep == b->tep);
}

bool cmp_same_outcome(const cmp_result *r)
{
    return r->c[0] && r->c[1] && same_outcome(&r->c[0]->outcome, &r->c[1]->outcome);
}

static void single(cmp_result *r)
{
    int p = r->c[0] ? 0 : 1;
    bool all_outside = r->diffs->len > 0;
    for (guint i = 0; i < r->diffs->len; i++)
        all_outside &= g_array_index(r->diffs, cmp_diff, i).outside_span;
    char o[96], why[96];
    outcome_text(o, sizeof o, &r->c[p]->outcome);
    if (all_outside)
        snprintf(why, sizeof why, "point %d's capture does not cover its time", 2 - p);
    else
        snprintf(why, sizeof why, "none of its segments was seen at point %d", 2 - p);
    snprintf(r->verdict, sizeof r->verdict, "seen at point %d only: %s; point %d's view: %s",
             p + 1, why, p + 1, o);
}

void cmp_verdict(cmp_result *r, const cmp_clock *clock)
{
    (void)clock;
    if (!r->c[0] || !r->c[1]) {
        single(r);
        return;
    }
    const eno_outcome *o[2] = {&r->c[0]->outcome, &r->c[1]->outcome};
    char t[2][96];
    outcome_text(t[0], sizeof t[0], o[0]);
    outcome_text(t[1], sizeof t[1], o[1]);
    bool same = same_outcome(o[0], o[1]);
    const char *side[2];
    side[r->client_point] = "the client's side";
    side[!r->client_point] = "the server's side";
    char views[320];
    if (same)
        snprintf(views, sizeof views, "both points' views give the same outcome: %s", t[0]);
    else
        snprintf(views, sizeof views, "each host then saw a different outcome: point 1 (%s) "
                 "gives %s, point 2 (%s) gives %s", side[0], t[0], side[1], t[1]);
    const cmp_diff *first = NULL;
    for (guint i = 0; i < r->diffs->len && !first; i++) {
        const cmp_diff *d = &g_array_index(r->diffs, cmp_diff, i);
        if (d->eno && d->change <= CHANGE_ENO_ADDED)
            first = d;
    }
    for (guint i = 0; i < r->diffs->len && !first; i++) {
        const cmp_diff *d = &g_array_index(r->diffs, cmp_diff, i);
        if (d->eno)
            first = d;
    }
    if (first)
        snprintf(r->verdict, sizeof r->verdict, "%s; %s", first->message, views);
    else if (r->diffs->len)
        snprintf(r->verdict, sizeof r->verdict, "ENO unchanged between the points (%u other "
                 "difference%s); %s", r->diffs->len, r->diffs->len == 1 ? "" : "s", views);
    else
        snprintf(r->verdict, sizeof r->verdict, "no difference between the points; %s", views);
}
