/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Replaying a connection's stored handshake through the negotiation rules
 * (docs/protocol.md, negotiation): open type, profile, roles, negotiated
 * TEP, status.  The per-rule checks are in checks_segment.c and
 * checks_outcome.c.
 */
#include <stddef.h>
#include <string.h>

#include "checks.h"
#include "conn_internal.h"
#include "findings.h"
#include "option_internal.h"

bool enoi_conn_no_eno_at_all(const eno_conn *c)
{
    for (int d = 0; d < 2; d++) {
        const eno_endpoint_state *e = &c->ep[d];
        if ((e->syn_seen && e->syn.opt_len) || (e->synack_seen && e->synack.opt_len) ||
            e->syn_dropped || e->syn_changed || e->synack_changed)
            return false;
    }
    return true;
}

/* Which stored record holds each endpoint's SYN-form negotiation option. */
static void pick_records(const eno_conn *c, eno_eval *ev)
{
    const eno_endpoint_state *e0 = &c->ep[0], *e1 = &c->ep[1];
    eno_result *r = ev->r;
    r->active = -1;
    if (e0->syn_seen && e1->syn_seen) {
        r->open = ENO_OPEN_SIMULTANEOUS;
        ev->rec[0] = &e0->syn;
        ev->rec[1] = &e1->syn;
        return;
    }
    for (int d = 0; d < 2; d++) {
        if (c->ep[d].syn_seen) {
            r->active = d;
            ev->rec[d] = &c->ep[d].syn;
            if (c->ep[!d].synack_seen) {
                r->open = ENO_OPEN_THREE_WAY;
                ev->rec[!d] = &c->ep[!d].synack;
            }
            return;
        }
    }
    for (int d = 0; d < 2; d++)
        if (c->ep[d].synack_seen)
            ev->rec[d] = &c->ep[d].synack;
}

static void decode_records(const eno_conn *c, eno_eval *ev)
{
    for (int d = 0; d < 2; d++) {
        eno_neg *n = &ev->neg[d];
        const eno_seg_record *rec = ev->rec[d];
        if (!rec)
            continue;
        n->seen = true;
        n->truncated = rec->truncated;
        if (rec->opt_len == 0 || rec->truncated)
            continue;
        if (!eno_option_decode(rec->opt, rec->opt_avail, true, &n->opt))
            continue;
        n->present = true;
        n->multiple = rec->eno_count > 1;
        n->malformed = n->opt.malformed || n->multiple;
        /* An active opener that dropped ENO from a retransmitted SYN-only
         * runs plain TCP from then on. */
        if (c->ep[d].syn_dropped && rec == &c->ep[d].syn)
            n->dropped = true;
    }
}

static void note_encoding(const eno_seg_record *rec, bool seen, bool *kind69, bool *exid)
{
    if (!seen || !rec->opt_len)
        return;
    if (rec->opt[0] == ENO_KIND)
        *kind69 = true;
    else
        *exid = true;
}

/* The profile follows the encoding of the SYN-form options that negotiate;
 * non-SYN options count only when no SYN segment carried ENO, so that a
 * later segment cannot change an outcome already decided. */
static void pick_profile(const eno_conn *c, eno_result *r)
{
    bool kind69 = false, exid = false;
    for (int d = 0; d < 2; d++) {
        note_encoding(&c->ep[d].syn, c->ep[d].syn_seen, &kind69, &exid);
        note_encoding(&c->ep[d].synack, c->ep[d].synack_seen, &kind69, &exid);
    }
    for (int d = 0; d < 2 && !kind69 && !exid; d++)
        note_encoding(&c->ep[d].nonsyn, c->ep[d].nonsyn_seen, &kind69, &exid);
    r->profile = (exid && !kind69) ? ENO_PROFILE_DRAFT : ENO_PROFILE_RFC8547;
}

static void fill_hosts(const eno_conn *c, eno_eval *ev)
{
    for (int d = 0; d < 2; d++) {
        eno_host_bits *h = &ev->r->host[d];
        const eno_neg *n = &ev->neg[d];
        h->is_active = c->ep[d].syn_seen;
        h->malformed = n->present && n->malformed;
        h->eno = n->present && !n->malformed && !n->dropped;
        if (n->present && !n->malformed) {
            h->a = n->opt.a;
            h->b = n->opt.b;
            h->b_explicit = n->opt.has_global;
            h->z = n->opt.global & ENO_GLOBAL_Z;
        }
    }
}

static void set_status(eno_result *r, eno_status s, eno_reason why, const char *detail)
{
    r->status = s;
    r->reason = why;
    r->detail = detail;
}

/* Finds the negotiated TEP: the last TEP in B's list that A also lists. */
static void negotiate_tep(eno_eval *ev)
{
    eno_result *r = ev->r;
    int a = r->host_a, b = !r->host_a;
    const eno_option *oa = &ev->neg[a].opt, *ob = &ev->neg[b].opt;
    for (size_t i = ob->n_subopts; i-- > 0;) {
        const eno_subopt *sb = &ob->subopts[i];
        if (sb->kind != ENO_SUB_TEP)
            continue;
        const eno_subopt *sa = eno_option_find_tep(oa, sb->tep);
        if (!sa)
            continue;
        r->tep_valid = true;
        r->tep = sb->tep;
        r->tep_byte_b = sb->byte;
        r->tep_v = sb->v;
        const eno_subopt *per[2];
        per[a] = sa;
        per[b] = sb;
        for (int d = 0; d < 2; d++) {
            const eno_option *o = &ev->neg[d].opt;
            r->tep_data_present[d] = per[d]->v && per[d]->data_offset > 0;
            r->tep_data_len[d] = per[d]->data_len;
            memcpy(r->tep_data[d], o->bytes + per[d]->data_offset, per[d]->data_len);
        }
        return;
    }
}

static void build_transcript(eno_eval *ev)
{
    eno_result *r = ev->r;
    int order[2] = {r->host_a, !r->host_a};
    for (int i = 0; i < 2; i++) {
        const eno_option *o = &ev->neg[order[i]].opt;
        memcpy(r->transcript + r->transcript_len, o->bytes, o->len);
        r->transcript_len += o->len;
    }
}

/* Host A's first ACK segment carries ENO (docs/protocol.md, negotiation,
 * items 3 and 4). */
static void completing_ack(const eno_conn *c, eno_eval *ev)
{
    eno_result *r = ev->r;
    int a = r->host_a, b = !a;
    if (r->open == ENO_OPEN_SIMULTANEOUS) {
        if (!c->ep[0].synack_seen || !c->ep[1].synack_seen) {
            set_status(r, ENO_STATUS_INCOMPLETE, ENO_REASON_NONE,
                       "a SYN-ACK of the simultaneous open has not been seen");
            return;
        }
        if (c->ep[0].synack.truncated || c->ep[1].synack.truncated) {
            set_status(r, ENO_STATUS_INCOMPLETE, ENO_REASON_NONE,
                       "the snapshot length cut the options of a SYN-ACK");
            return;
        }
        if (!c->ep[0].synack.opt_len || !c->ep[1].synack.opt_len) {
            set_status(r, ENO_STATUS_DISABLED, ENO_REASON_ACK_MISSING_ENO,
                       "a host omitted ENO from its SYN-ACK, so it disabled ENO");
            return;
        }
        if (c->ep[0].synack.eno_count > 1 || c->ep[1].synack.eno_count > 1) {
            set_status(r, ENO_STATUS_DISABLED, ENO_REASON_INVALID_OPTION,
                       "a SYN-ACK carries several ENO options, so the receiver treats it as "
                       "carrying none");
            return;
        }
        set_status(r, ENO_STATUS_ENCRYPTED, ENO_REASON_NONE,
                   "both SYN-ACKs carry ENO: encryption is enabled");
        return;
    }
    /* Three-way: the active opener's first ACK segment is its completing
     * ACK; the passive opener's is its SYN-ACK, which carries ENO. */
    int opener = r->active;
    const eno_endpoint_state *eo = &c->ep[opener];
    if (!eo->nonsyn_seen) {
        set_status(r, ENO_STATUS_INCOMPLETE, ENO_REASON_NONE,
                   "the active opener's completing ACK has not been seen");
        return;
    }
    if (eo->nonsyn.flags & ENO_TCP_RST) {
        set_status(r, ENO_STATUS_INCOMPLETE, ENO_REASON_NONE,
                   "the active opener reset the connection instead of completing the handshake");
        return;
    }
    if (eo->nonsyn.truncated) {
        set_status(r, ENO_STATUS_INCOMPLETE, ENO_REASON_NONE,
                   "the snapshot length cut the completing ACK's options");
        return;
    }
    if (eo->nonsyn.opt_len) {
        set_status(r, ENO_STATUS_ENCRYPTED, ENO_REASON_NONE,
                   "the SYNs negotiated a TEP and host A's completing ACK carries ENO");
        return;
    }
    if (opener == b) {
        set_status(r, ENO_STATUS_DISABLED, ENO_REASON_ACK_MISSING_ENO,
                   "host B opened actively and its completing ACK carries no ENO, so host A "
                   "never receives an ACK segment with ENO");
        return;
    }
    const char *name = eno_tep_lookup(r->tep)->name;
    if (eo->nonsyn.other_exid)
        enoi_add_finding(r, ENO_RULE_ACK_MISSING, a, eo->nonsyn.frame, 0, -1,
                        "the SYNs negotiated TEP 0x%02x (%s), but host A's completing ACK carries "
                        "no ENO option, only an experimental option with ExID 0x%04X; a "
                        "middlebox on the path may have replaced ENO with it, or host A omitted "
                        "ENO",
                        r->tep, name, eo->nonsyn.other_exid);
    else
        enoi_add_finding(r, ENO_RULE_ACK_MISSING, a, eo->nonsyn.frame, 0, -1,
                        "the SYNs negotiated TEP 0x%02x (%s), but host A's completing ACK carries "
                        "no ENO option; host A omitted it, or a middlebox on the path stripped or "
                        "replaced it",
                        r->tep, name);
    /* Draft hosts keep encryption without ENO in that ACK only after B
     * accepted a session resumption (v=1 on B's negotiated TEP). */
    if (r->profile == ENO_PROFILE_DRAFT && r->tep_v)
        set_status(r, ENO_STATUS_ENCRYPTED, ENO_REASON_NONE,
                   "draft profile: host B accepted a session resumption (v=1), after which the "
                   "draft hosts keep encryption although the completing ACK carries no ENO");
    else if (r->profile == ENO_PROFILE_DRAFT)
        set_status(r, ENO_STATUS_DISABLED, ENO_REASON_ACK_MISSING_ENO,
                   "draft profile: host B asked for a fresh key exchange (v=0) and host A's "
                   "completing ACK carries no ENO, so host B disables encryption");
    else
        set_status(r, ENO_STATUS_DISABLED, ENO_REASON_ACK_MISSING_ENO,
                   "host A's completing ACK carries no ENO, so host B disables encryption");
}

static void decide(const eno_conn *c, eno_eval *ev)
{
    eno_result *r = ev->r;
    const eno_neg *n0 = &ev->neg[0], *n1 = &ev->neg[1];

    if (r->open == ENO_OPEN_UNKNOWN) {
        const char *why = "the handshake began before the capture started";
        if (r->active >= 0)
            why = c->ep[!r->active].rst_frame ? "the passive opener reset the connection"
                                              : "no answer to the SYN has been seen";
        set_status(r, ENO_STATUS_INCOMPLETE, ENO_REASON_NONE, why);
        return;
    }
    if (n0->truncated || n1->truncated) {
        set_status(r, ENO_STATUS_INCOMPLETE, ENO_REASON_NONE,
                   "the snapshot length cut the options of a SYN segment");
        return;
    }
    bool p0 = n0->present && !n0->dropped, p1 = n1->present && !n1->dropped;
    if (!n0->present && !n1->present) {
        set_status(r, ENO_STATUS_NO_ENO, ENO_REASON_NONE, "neither SYN carries ENO");
        return;
    }
    if ((p0 && n0->malformed) || (p1 && n1->malformed)) {
        bool multiple = (p0 && n0->multiple) || (p1 && n1->multiple);
        set_status(r, ENO_STATUS_DISABLED, ENO_REASON_INVALID_OPTION,
                   multiple ? "a SYN segment carries several ENO options, so the receiver treats "
                              "it as carrying none"
                            : "a SYN-form ENO option is malformed, so the receiver treats it as "
                              "absent");
        return;
    }
    if (!p0 || !p1) {
        set_status(r, ENO_STATUS_DISABLED, ENO_REASON_PEER_NO_ENO,
                   (n0->dropped || n1->dropped)
                       ? "the active opener dropped ENO from a retransmitted SYN"
                       : "only one host sent ENO in its SYN segment");
        return;
    }
    if (r->profile == ENO_PROFILE_DRAFT && r->open == ENO_OPEN_THREE_WAY) {
        r->host_a = r->active; /* draft: roles follow who opened */
    } else if (n0->opt.b == n1->opt.b) {
        set_status(r, ENO_STATUS_DISABLED, ENO_REASON_ROLE_CONFLICT,
                   n0->opt.b ? "both hosts sent b=1, so neither is host A"
                             : "both hosts sent b=0, so neither is host B");
        return;
    } else {
        r->host_a = n0->opt.b ? 1 : 0;
    }
    const eno_subopt *st = eno_option_last_tep(&ev->neg[r->host_a].opt);
    if (st) {
        r->syn_tep_valid = true;
        r->syn_tep = st->tep;
    }
    negotiate_tep(ev);
    build_transcript(ev);
    if (!r->tep_valid) {
        set_status(r, ENO_STATUS_DISABLED, ENO_REASON_NO_COMMON_TEP,
                   "B lists no TEP that A also lists");
        return;
    }
    completing_ack(c, ev);
}

void eno_conn_evaluate(const eno_conn *c, eno_result *r)
{
    eno_eval ev;
    /* The findings are cleared one by one as they are added: clearing the
     * whole array would cost more than the rest of the evaluation. */
    memset(r, 0, offsetof(eno_result, findings));
    /* Likewise the options' arrays (2.5 KB). */
    memset(&ev, 0, offsetof(eno_eval, neg));
    for (int d = 0; d < 2; d++) {
        memset(&ev.neg[d], 0, offsetof(eno_neg, opt));
        enoi_option_reset(&ev.neg[d].opt);
    }
    ev.r = r;
    ev.c = c;
    r->host_a = -1;
    r->active = -1;
    for (int d = 0; d < 2; d++) {
        const eno_endpoint_state *e = &c->ep[d];
        r->syn_frame[d] = e->syn_seen ? e->syn.frame : 0;
        r->synack_frame[d] = e->synack_seen ? e->synack.frame : 0;
        r->ack_frame[d] = e->nonsyn_seen ? e->nonsyn.frame : 0;
    }
    pick_records(c, &ev);
    decode_records(c, &ev);
    pick_profile(c, r);
    fill_hosts(c, &ev);
    enoi_check_segments(&ev);
    decide(c, &ev);
    enoi_check_outcome(&ev);
}
