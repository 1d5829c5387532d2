/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Rule checks that follow from the negotiated outcome: the passive
 * opener's b bit and TEP list, the completing ACK, payload after
 * enablement and data in SYN segments.
 */
#include <stdio.h>
#include <string.h>

#include "checks.h"
#include "findings.h"

static bool usable(const eno_neg *n)
{
    return n->present && !n->malformed && !n->truncated;
}

static void passive_opener(eno_eval *ev)
{
    eno_result *r = ev->r;
    if (r->open != ENO_OPEN_THREE_WAY)
        return;
    int p = !r->active;
    const eno_neg *np = &ev->neg[p];
    const eno_seg_record *rec = ev->rec[p];
    if (!usable(np) || np->opt.b)
        return;
    int at = -1; /* the first global suboption, the one receivers use */
    for (size_t i = 0; i < np->opt.n_subopts && at < 0; i++)
        if (np->opt.subopts[i].kind == ENO_SUB_GLOBAL)
            at = np->opt.subopts[i].offset;
    if (np->opt.has_global)
        enoi_add_finding(r, ENO_RULE_ROLE_PASSIVE_B_UNSET, p, rec->frame, 0, at,
                        "the passive opener's SYN-ACK option has b=0 in its global suboption "
                        "0x%02x; a passive opener must send b=1",
                        np->opt.global);
    else
        enoi_add_finding(r, ENO_RULE_ROLE_PASSIVE_B_UNSET, p, rec->frame, 0, -1,
                        "the passive opener's SYN-ACK option has no global suboption, so b=0 "
                        "implicitly; a passive opener must send an explicit b=1");
}

static void passive_b_teps(eno_eval *ev)
{
    eno_result *r = ev->r;
    if (r->open != ENO_OPEN_THREE_WAY || r->host_a < 0 || r->host_a != r->active)
        return;
    int a = r->host_a, b = !a;
    const eno_option *oa = &ev->neg[a].opt, *ob = &ev->neg[b].opt;
    uint32_t frame = ev->rec[b]->frame;
    char offered[3 * ENO_OPT_MAX + 1] = "";
    size_t at = 0;
    for (size_t i = 0; i < oa->n_subopts; i++)
        if (oa->subopts[i].kind == ENO_SUB_TEP && at + 6 < sizeof offered)
            at += (size_t)snprintf(offered + at, sizeof offered - at, at ? " 0x%02x" : "0x%02x",
                                   oa->subopts[i].tep);
    for (size_t i = 0; i < ob->n_subopts; i++) {
        const eno_subopt *s = &ob->subopts[i];
        if (s->kind != ENO_SUB_TEP || eno_option_find_tep(oa, s->tep))
            continue;
        enoi_add_finding(r, ENO_RULE_TEP_UNOFFERED, b, frame, ev->rec[a]->frame,
                        s->has_length_byte ? s->offset + 1 : s->offset,
                        "passive host B lists TEP 0x%02x (%s), which host A did not offer "
                        "(A offered: %s)",
                        s->tep, eno_tep_lookup(s->tep)->name, at ? offered : "none");
    }
    if (ob->n_tep > 1)
        enoi_add_finding(r, ENO_RULE_TEP_PASSIVE_MULTIPLE, b, frame, 0, -1,
                        "passive host B lists %u TEPs; having seen A's list it normally lists "
                        "only the one it picked",
                        ob->n_tep);
}

static void tep_data(eno_eval *ev)
{
    for (int d = 0; d < 2; d++) {
        const eno_neg *n = &ev->neg[d];
        if (!usable(n))
            continue;
        for (size_t i = 0; i < n->opt.n_subopts; i++) {
            const eno_subopt *s = &n->opt.subopts[i];
            if (s->kind != ENO_SUB_TEP || s->data_len == 0)
                continue;
            const eno_tep_info *t = eno_tep_lookup(s->tep);
            if (!t->resume_data_len || s->data_len == t->resume_data_len)
                continue;
            enoi_add_finding(ev->r, ENO_RULE_TEP_DATA_INVALID, d, ev->rec[d]->frame, 0,
                            s->data_offset,
                            "TEP 0x%02x (%s) carries %u bytes of suboption data; it allows %zu "
                            "(a resumption identifier; size unconfirmed)",
                            s->tep, t->name, s->data_len, t->resume_data_len);
        }
    }
}

static void ack_unexpected(eno_eval *ev)
{
    eno_result *r = ev->r;
    if (r->open != ENO_OPEN_THREE_WAY || r->status != ENO_STATUS_DISABLED ||
        r->reason == ENO_REASON_ACK_MISSING_ENO)
        return;
    int a = r->host_a >= 0 ? r->host_a : r->active;
    const eno_endpoint_state *e = &ev->c->ep[a];
    if (a != r->active || !e->nonsyn_seen || !e->nonsyn.opt_len || e->nonsyn.truncated)
        return;
    enoi_add_finding(r, ENO_RULE_ACK_UNEXPECTED, a, e->nonsyn.frame, 0, -1,
                    "negotiation failed (%s), yet host A's completing ACK carries an ENO option",
                    eno_reason_name(r->reason));
}

static bool fresh_session(const eno_result *r)
{
    /* v=1 on either side's negotiated suboption may mean resumption, after
     * which no opening messages are sent. */
    return !r->tep_v && !r->tep_data_present[0] && !r->tep_data_present[1];
}

static void enable_checks(eno_eval *ev)
{
    eno_result *r = ev->r;
    const eno_conn *c = ev->c;
    static const char *const who[2] = {"host B", "host A"};
    if (r->status == ENO_STATUS_ENCRYPTED && r->host_a >= 0 && fresh_session(r)) {
        const eno_tep_info *t = eno_tep_lookup(r->tep);
        for (int d = 0; d < 2; d++) {
            const eno_endpoint_state *e = &c->ep[d];
            bool is_a = d == r->host_a;
            eno_magic m = is_a ? t->open_a : t->open_b;
            if (!m.len || !e->payload_seen)
                continue;
            size_t n = e->payload_head_len < m.len ? e->payload_head_len : m.len;
            /* Only bytes seen to differ count: a first payload shorter
             * than the magic may be the start of a split message. */
            bool differs = n > 0 && memcmp(e->payload_head, m.bytes, n) != 0;
            if (!differs)
                continue;
            char seen[3 * ENO_PAYLOAD_HEAD + 1];
            enoi_hex(seen, sizeof seen, e->payload_head, n);
            enoi_add_finding(r, ENO_RULE_ENABLE_PLAINTEXT, d, e->payload_frame, 0, -1,
                            "encryption is enabled with TEP 0x%02x (%s), but %s's first payload "
                            "starts %s instead of its %s",
                            r->tep, t->name, who[is_a], n ? seen : "(empty)",
                            is_a ? t->open_a_name : t->open_b_name);
        }
    }
    if (r->status == ENO_STATUS_DISABLED) {
        for (int d = 0; d < 2; d++) {
            const eno_endpoint_state *e = &c->ep[d];
            bool msg_a = false;
            const eno_tep_info *t =
                e->payload_seen ? eno_tep_find_opening(e->payload_head, e->payload_head_len, &msg_a)
                                : NULL;
            if (!t)
                continue;
            /* Once roles are known, only a host's own opening message
             * counts: host B echoing host A's INIT1 bytes back as plain
             * data after disabling ENO is what a correct B does. */
            if (r->host_a >= 0 && msg_a != (d == r->host_a))
                continue;
            enoi_add_finding(r, ENO_RULE_ENABLE_TEP_AFTER_DISABLE, d, e->payload_frame, 0, -1,
                            "ENO is disabled (%s), yet this host's first payload starts with a "
                            "%s: the hosts disagree on the outcome",
                            eno_reason_name(r->reason), msg_a ? t->open_a_name : t->open_b_name);
        }
    }
}

/* Host A for the SYN-data rules: the decided one, else the active opener
 * of a three-way handshake that presented itself as A.  A SYN-only whose
 * answer is not in the capture may still turn out to be half of a
 * simultaneous open in which its sender is not A: no verdict then. */
static int syn_data_host_a(const eno_eval *ev)
{
    const eno_result *r = ev->r;
    if (r->host_a >= 0)
        return r->host_a;
    if (r->open != ENO_OPEN_THREE_WAY || r->active < 0 || !usable(&ev->neg[r->active]))
        return -1;
    if (r->profile == ENO_PROFILE_DRAFT || !ev->neg[r->active].opt.b)
        return r->active;
    return -1;
}

static void syn_data(eno_eval *ev)
{
    eno_result *r = ev->r;
    const eno_conn *c = ev->c;
    int a = syn_data_host_a(ev);
    if (a < 0 || !c->ep[a].syn_seen)
        return;
    int b = !a;
    const eno_seg_record *syn = &c->ep[a].syn;
    const eno_neg *na = &ev->neg[a];
    if (!usable(na) || ev->rec[a] != syn)
        return;
    const eno_subopt *st = eno_option_last_tep(&na->opt);
    const eno_tep_info *t = st ? eno_tep_lookup(st->tep) : NULL;
    bool syn_tep_none = !st || t->syn_data == ENO_SYNDATA_NONE;

    if (syn->payload_len > 0 && syn_tep_none) {
        if (st)
            enoi_add_finding(r, ENO_RULE_SYNDATA_NOT_ALLOWED, a, syn->frame, 0, -1,
                            "host A's SYN carries %u bytes of data, but its SYN TEP 0x%02x (%s) "
                            "defines no SYN data",
                            syn->payload_len, st->tep, t->name);
        else
            enoi_add_finding(r, ENO_RULE_SYNDATA_NOT_ALLOWED, a, syn->frame, 0, -1,
                            "host A's SYN carries %u bytes of data, but its ENO option lists no "
                            "TEP that could give them meaning",
                            syn->payload_len);
    }
    /* A's SYN above was sent with ENO; a retransmission that dropped ENO
     * makes the rest plain TCP. */
    if (na->dropped)
        return;

    const eno_endpoint_state *eb = &c->ep[b];
    if (syn->payload_len > 0 && eb->synack_seen) {
        uint32_t acked = eb->synack.ack - syn->seq - 1u;
        bool syn_failed = r->status == ENO_STATUS_DISABLED && r->reason != ENO_REASON_ACK_MISSING_ENO;
        bool other_tep = r->tep_valid && (!r->syn_tep_valid || r->tep != r->syn_tep);
        bool decided = syn_failed || r->tep_valid;
        if (acked > 0 && acked <= syn->payload_len && decided) {
            if (eb->synack.opt_len && (syn_tep_none || syn_failed || other_tep))
                enoi_add_finding(r, ENO_RULE_SYNDATA_ACKED, b, eb->synack.frame, syn->frame, -1,
                                "host B's SYN-ACK acknowledges %u bytes of SYN data that it had "
                                "to discard (%s); it must acknowledge ISN+1 only",
                                acked,
                                syn_failed ? "ENO is disabled"
                                : other_tep ? "the negotiated TEP is not the SYN TEP"
                                            : "the SYN TEP defines no SYN data");
            const eno_endpoint_state *ea = &c->ep[a];
            if ((syn_failed || other_tep) && ea->nonsyn_seen && !(ea->nonsyn.flags & ENO_TCP_RST))
                enoi_add_finding(r, ENO_RULE_SYNDATA_NO_RESET, a, ea->nonsyn.frame,
                                eb->synack.frame,
                                -1, "host B acknowledged host A's SYN data although %s, but host "
                                    "A continued instead of resetting the connection",
                                syn_failed ? "ENO is disabled"
                                           : "the negotiated TEP is not the SYN TEP");
        }
    }

    if (r->tep_valid && eb->synack_seen && eb->synack.payload_len > 0 &&
        eno_tep_lookup(r->tep)->syn_data == ENO_SYNDATA_NONE)
        enoi_add_finding(r, ENO_RULE_SYNACKDATA_NOT_ALLOWED, b, eb->synack.frame, 0, -1,
                        "host B's SYN-ACK carries %u bytes of data, but the negotiated TEP 0x%02x "
                        "(%s) defines no SYN data",
                        eb->synack.payload_len, r->tep, eno_tep_lookup(r->tep)->name);

    if (r->open == ENO_OPEN_SIMULTANEOUS && r->host_a >= 0 && eb->syn_seen &&
        eb->syn.payload_len > 0)
        enoi_add_finding(r, ENO_RULE_SYNDATA_SIMOPEN, b, eb->syn.frame, 0, -1,
                        "host B's SYN-only carries %u bytes of data in a simultaneous open",
                        eb->syn.payload_len);
}

void enoi_check_outcome(eno_eval *ev)
{
    passive_opener(ev);
    passive_b_teps(ev);
    tep_data(ev);
    ack_unexpected(ev);
    enable_checks(ev);
    syn_data(ev);
}
