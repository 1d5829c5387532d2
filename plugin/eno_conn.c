/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Connection analysis.  The TCP hook (eno_tcp_hook.c) hands over each
 * frame's first TCP header; on the first pass a post-dissector feeds the
 * segment to its connection's engine at the end of the frame.  Endpoint 0
 * is the client: the sender of the SYN-only, or the receiver of a
 * first-seen SYN-ACK.  A flow whose first captured segment has no SYN is
 * not analysed (as in the analyzer: no handshake, no connection).
 *
 * Only connections with ENO in some segment, or with a finding, get items,
 * in a "TCP-ENO analysis" subtree of the TCP tree.  What a frame shows
 * depends on what is known when it is drawn:
 * - on the first pass (one-pass tshark), the analysis as of this frame,
 *   drawn as the frame is fed and not kept; a finding goes on the frame
 *   where it became known, naming the frame it concerns;
 * - on later passes (two-pass tshark, the GUI), every frame of the
 *   connection shows its outcome over the whole capture, and each finding
 *   sits on the frame it concerns (the engine's first frame of the finding,
 *   the frame the analyzer names).
 */
#include <stddef.h>
#include <string.h>

#include "eno_conn.h"

#include <epan/column-info.h>
#include <epan/proto_data.h>
#include <epan/tap.h>

static dissector_handle_t analysis_handle;
static protocol_t *analysis_protocol;
static wmem_map_t *details; /* engine's detail sentence -> file-scope copy */
static wmem_map_t *placed;  /* frame -> frame_findings: what concerns it */
static guint n_eno;         /* connections with ENO items */
static guint n_unjudged;    /* connections with unjudged set */
int eno_tap = -1;
static int expert_tap = -2; /* Wireshark's (-1: none), found at first use */

/* First pass: the frame's TCP segment, from the hook to the post-dissector
 * that feeds it to the engine once the frame is dissected (by then the
 * flow's place in the table has been fetched into the cache).  The
 * post-dissector runs even after an exception in the frame; should it not
 * run (an exception in another post-dissector), the frame number tells the
 * stale segment apart, as the first pass dissects each frame once. */
static struct {
    guint32 frame; /* 0: none */
    tvbuff_t *tcp;
    eno_tcp_seg seg;
    eno_flow_id flow;
} pending;

/* Per frame, in its dissection's scope (pinfo->pool): where the TCP tree
 * is (the hook records the top tree's last item before TCP adds its own),
 * and on later passes the connection the frame belongs to. */
typedef struct {
    proto_tree *top;
    proto_node *before;
    tvbuff_t *tcp;
    eno_track *track;   /* later passes: a connection with ENO items, or NULL */
    int dir;
    eno_track *started; /* later passes: the connection this frame began, when
                           the statistics tap has a listener */
} frame_note;

static frame_note *note_of(packet_info *pinfo)
{
    return (frame_note *)p_get_proto_data(pinfo->pool, pinfo, proto_eno_analysis, 0);
}

/* The item TCP added to the top tree in this frame, or NULL (no tree, or
 * a tree Wireshark fakes because no field of TCP's is wanted). */
static proto_tree *tcp_tree(const frame_note *n)
{
    if (!n || !n->top)
        return NULL;
    static int proto_tcp = -1;
    if (proto_tcp < 0)
        proto_tcp = proto_get_id_by_filter_name("tcp");
    for (proto_node *p = n->before ? n->before->next : n->top->first_child; p; p = p->next) {
        field_info *fi = PNODE_FINFO(p);
        if (fi && fi->hfinfo && fi->hfinfo->id == proto_tcp)
            return p;
    }
    return NULL;
}

static eno_outcome_key key_of(const eno_result *r)
{
    eno_outcome_key k;
    memset(&k, 0, sizeof k);
    k.status = r->status;
    k.reason = r->reason;
    k.tep_valid = r->tep_valid;
    k.tep = r->tep_valid ? r->tep : 0;
    return k;
}

static gboolean same_key(const eno_outcome_key *a, const eno_outcome_key *b)
{
    return a->status == b->status && a->reason == b->reason && a->tep_valid == b->tep_valid &&
           a->tep == b->tep;
}

/* The detail sentences are few and repeat for every connection: one
 * file-scope copy of each.  The engine's are string constants, so they are
 * looked up by address, and the text is checked in case one is not. */
static const char *intern_detail(const char *detail)
{
    if (!detail)
        return NULL;
    const char *copy = (const char *)wmem_map_lookup(details, detail);
    if (!copy || strcmp(copy, detail) != 0) {
        copy = wmem_strdup(wmem_file_scope(), detail);
        wmem_map_insert(details, detail, (void *)copy);
    }
    return copy;
}

static gboolean finding_seen(eno_track *t, const eno_finding *f)
{
    finding_key k = {f->rule, f->n_frames ? f->frames[0] : 0, f->dir, f->offset};
    for (guint i = 0; i < t->n_shown; i++)
        if (t->shown[i].rule == k.rule && t->shown[i].frame == k.frame &&
            t->shown[i].dir == k.dir && t->shown[i].offset == k.offset)
            return TRUE;
    if (t->n_shown >= ENO_MAX_FINDINGS)
        return FALSE;
    /* Slots for a power of two of them, from 2: most connections with a
     * finding have one or two. */
    guint n = t->n_shown;
    if (n == 0)
        t->shown = wmem_alloc_array(wmem_file_scope(), finding_key, 2);
    else if (n >= 2 && (n & (n - 1)) == 0)
        t->shown = (finding_key *)wmem_realloc(wmem_file_scope(), t->shown,
                                               2 * n * sizeof *t->shown);
    t->shown[t->n_shown++] = k;
    return FALSE;
}

static void mark_eno(eno_track *t)
{
    if (!t->eno)
        n_eno++;
    t->eno = 1;
}

static eno_outcome_key last_key(const eno_track *t)
{
    eno_outcome_key k;
    memset(&k, 0, sizeof k);
    k.status = (eno_status)t->last_status;
    k.reason = (eno_reason)t->last_reason;
    k.tep_valid = t->last_tep_valid;
    k.tep = t->last_tep;
    return k;
}

static void set_last(eno_track *t, const eno_outcome_key *k)
{
    t->last_status = (guint8)k->status;
    t->last_reason = (guint8)k->reason;
    t->last_tep_valid = k->tep_valid ? 1 : 0;
    t->last_tep = k->tep;
    t->have_last = 1;
}

/* The frame a finding concerns: the one the analyzer names. */
static guint32 finding_frame(const eno_track *t, const eno_finding *f)
{
    return f->n_frames ? f->frames[0] : t->first_frame;
}

void eno_kept_finding_expand(const eno_kept_finding *k, eno_finding *f)
{
    memset(f, 0, sizeof *f);
    f->rule = k->rule;
    f->severity = k->severity;
    f->dir = k->dir;
    f->offset = k->offset;
    memcpy(f->frames, k->frames, sizeof f->frames);
    f->n_frames = k->n_frames;
    g_strlcpy(f->message, k->message, sizeof f->message);
}

static const eno_kept_finding *keep_finding(const eno_finding *f)
{
    const char *end = (const char *)memchr(f->message, '\0', sizeof f->message);
    size_t len = end ? (size_t)(end - f->message) : sizeof f->message - 1;
    eno_kept_finding *k =
        (eno_kept_finding *)wmem_alloc(wmem_file_scope(), sizeof *k + len + 1);
    k->rule = f->rule;
    k->severity = f->severity;
    k->dir = f->dir;
    k->offset = f->offset;
    memcpy(k->frames, f->frames, sizeof k->frames);
    k->n_frames = f->n_frames;
    memcpy(k->message, f->message, len);
    k->message[len] = '\0';
    return k;
}

/* Files a finding (a file-scope copy) under the frame it concerns. */
static void place(const eno_track *t, const eno_finding *f)
{
    gpointer key = GUINT_TO_POINTER(finding_frame(t, f));
    frame_findings *ff = (frame_findings *)wmem_map_lookup(placed, key);
    if (!ff || ff->n == ff->size) {
        /* Grown as needed: most frames with a finding have one. */
        if (ff && ff->size >= ENO_MAX_FINDINGS)
            return;
        guint size = ff ? MIN(2 * ff->size, ENO_MAX_FINDINGS) : 1;
        size_t bytes = sizeof *ff + size * sizeof ff->items[0];
        ff = ff ? (frame_findings *)wmem_realloc(wmem_file_scope(), ff, bytes)
                : (frame_findings *)wmem_alloc0(wmem_file_scope(), bytes);
        ff->size = size;
        wmem_map_insert(placed, key, ff);
    }
    ff->items[ff->n++] = keep_finding(f);
}

/* Evaluations for the segments taken, and the engine state of a
 * connection that has none of its own: reused, not allocated (dissection
 * is single-threaded). */
static eno_result scratch;
static eno_conn *scratch_conn;

static eno_conn *fresh_scratch_conn(void)
{
    if (!scratch_conn)
        scratch_conn = (eno_conn *)g_malloc(eno_conn_size());
    eno_conn_init(scratch_conn);
    return scratch_conn;
}

/* The compact form of a new connection's state after its first segment
 * (eno_track.held.first), or NULL when the engine has none for it (the
 * state is then kept whole). */
static const guint8 *keep_first(const eno_conn *c)
{
    guint8 buf[ENO_CONN_PACK_MAX];
    G_STATIC_ASSERT(ENO_CONN_PACK_MAX <= G_MAXUINT8);
    size_t n = eno_conn_pack(c, buf, sizeof buf);
    if (!n)
        return NULL;
    guint8 *r = (guint8 *)wmem_alloc(wmem_file_scope(), 1 + n);
    r[0] = (guint8)n;
    memcpy(r + 1, buf, n);
    return r;
}

/* The state a connection had after its first segment, made again. */
static void replay_first(const eno_track *t, eno_conn *c)
{
    const guint8 *r = t->held.first;
    if (!eno_conn_unpack(c, r + 1, r[0]))
        g_error("TCP-ENO analysis: a connection's compact state does not unpack");
}

/* The engine's state of a connection: its own, or when it has none, one
 * made again from its first segment in scratch space (which the next call
 * may reuse), or NULL once the outcome is final. */
static const eno_conn *track_conn(const eno_track *t)
{
    switch ((eno_held)t->holds) {
    case ENO_HELD_CONN:
        return t->held.conn;
    case ENO_HELD_OUTCOME:
    case ENO_HELD_KEY:
        return NULL;
    case ENO_HELD_FIRST:
        replay_first(t, fresh_scratch_conn());
        return scratch_conn;
    case ENO_HELD_NOTHING:
        break;
    }
    return fresh_scratch_conn(); /* it took no segment */
}

/* The engine state to feed a connection's next segment to: its own, made
 * from its first segment when it has none yet.  A new connection is fed
 * in scratch, and keeps its first segment unless that settles it. */
static eno_conn *engine_of(eno_track *t)
{
    if (t->holds == ENO_HELD_CONN)
        return t->held.conn;
    if (t->holds != ENO_HELD_FIRST)
        return fresh_scratch_conn();
    eno_conn *c = (eno_conn *)g_malloc(eno_conn_size());
    replay_first(t, c);
    wmem_free(wmem_file_scope(), (void *)t->held.first);
    t->held.conn = c;
    t->holds = ENO_HELD_CONN;
    return c;
}

/* The final outcome of a connection with ENO items, as kept: the outcome
 * without the unused parts of its two arrays (TEP data and transcript,
 * two thirds of it and mostly empty), then its findings. */
#define TEP_DATA_AT offsetof(eno_outcome, tep_data)
#define TEP_DATA_END (TEP_DATA_AT + sizeof(((eno_outcome *)NULL)->tep_data))
#define TRANSCRIPT_AT offsetof(eno_outcome, transcript)
#define TRANSCRIPT_END (TRANSCRIPT_AT + sizeof(((eno_outcome *)NULL)->transcript))
#define PACKED_FIXED (TEP_DATA_AT + (TRANSCRIPT_AT - TEP_DATA_END) + \
                      (sizeof(eno_outcome) - TRANSCRIPT_END))
G_STATIC_ASSERT(TEP_DATA_END <= TRANSCRIPT_AT);

struct eno_packed_outcome_s {
    const eno_finding *findings;
    size_t n_findings;
    guint8 bytes[]; /* PACKED_FIXED bytes of the outcome, then the TEP data
                       of each endpoint and the transcript, as long as the
                       outcome says */
};

static size_t tep_data_len(const eno_outcome *o, int d)
{
    return MIN(o->tep_data_len[d], sizeof o->tep_data[d]);
}

static size_t transcript_len(const eno_outcome *o)
{
    return MIN(o->transcript_len, sizeof o->transcript);
}

static const eno_packed_outcome *pack_outcome(const eno_outcome *o, const eno_finding *findings,
                                              size_t n_findings)
{
    size_t n0 = tep_data_len(o, 0), n1 = tep_data_len(o, 1), nt = transcript_len(o);
    eno_packed_outcome *p = (eno_packed_outcome *)wmem_alloc(
        wmem_file_scope(), sizeof *p + PACKED_FIXED + n0 + n1 + nt);
    const guint8 *from = (const guint8 *)o;
    guint8 *to = p->bytes;
    memcpy(to, from, TEP_DATA_AT);
    to += TEP_DATA_AT;
    memcpy(to, from + TEP_DATA_END, TRANSCRIPT_AT - TEP_DATA_END);
    to += TRANSCRIPT_AT - TEP_DATA_END;
    memcpy(to, from + TRANSCRIPT_END, sizeof *o - TRANSCRIPT_END);
    to += sizeof *o - TRANSCRIPT_END;
    memcpy(to, o->tep_data[0], n0);
    memcpy(to + n0, o->tep_data[1], n1);
    memcpy(to + n0 + n1, o->transcript, nt);
    p->findings = n_findings ? (const eno_finding *)wmem_memdup(
                                   wmem_file_scope(), findings, n_findings * sizeof *findings)
                             : NULL;
    p->n_findings = n_findings;
    return p;
}

static void unpack_outcome(const eno_packed_outcome *p, eno_snapshot *s)
{
    memset(s, 0, sizeof *s);
    guint8 *to = (guint8 *)&s->o;
    const guint8 *from = p->bytes;
    memcpy(to, from, TEP_DATA_AT);
    from += TEP_DATA_AT;
    memcpy(to + TEP_DATA_END, from, TRANSCRIPT_AT - TEP_DATA_END);
    from += TRANSCRIPT_AT - TEP_DATA_END;
    memcpy(to + TRANSCRIPT_END, from, sizeof s->o - TRANSCRIPT_END);
    from += sizeof s->o - TRANSCRIPT_END;
    size_t n0 = tep_data_len(&s->o, 0), n1 = tep_data_len(&s->o, 1);
    memcpy(s->o.tep_data[0], from, n0);
    memcpy(s->o.tep_data[1], from + n0, n1);
    memcpy(s->o.transcript, from + n0 + n1, transcript_len(&s->o));
    s->findings = p->findings;
    s->n_findings = p->n_findings;
}

/* Keeps the connection's final outcome and frees its engine state. */
static void finalize(eno_track *t, const eno_result *r)
{
    if (t->holds == ENO_HELD_CONN)
        g_free(t->held.conn);
    else if (t->holds == ENO_HELD_FIRST)
        wmem_free(wmem_file_scope(), (void *)t->held.first);
    /* A connection without ENO items is only counted in the statistics,
     * for which the outcome's key is enough: most connections of a
     * capture keep no more. */
    if (!t->eno) {
        eno_outcome_key k = key_of(r);
        set_last(t, &k);
        t->holds = ENO_HELD_KEY;
        return;
    }
    eno_outcome o = r->outcome;
    o.detail = intern_detail(r->detail);
    t->held.outcome = pack_outcome(&o, r->findings, r->n_findings);
    t->holds = ENO_HELD_OUTCOME;
}

const eno_snapshot *eno_track_outcome(eno_track *t, eno_snapshot *s, eno_result *r)
{
    if (t->holds == ENO_HELD_OUTCOME) {
        unpack_outcome(t->held.outcome, s);
        return s;
    }
    if (t->holds == ENO_HELD_KEY) {
        memset(s, 0, sizeof *s);
        s->o.status = (eno_status)t->last_status;
        s->o.reason = (eno_reason)t->last_reason;
        s->o.tep_valid = t->last_tep_valid;
        s->o.tep = t->last_tep;
        s->o.host_a = s->o.active = -1;
        return s;
    }
    const eno_conn *c = track_conn(t);
    /* The capture ended before the connection settled. */
    eno_conn_evaluate(c, r);
    memset(s, 0, sizeof *s);
    s->o = r->outcome;
    s->o.detail = r->detail;
    s->n_findings = r->n_findings;
    s->findings = r->findings;
    return s;
}

/* Whether nothing can see what the analysis adds to this frame: no tree,
 * nobody listening to the statistics or the expert infos, no column of
 * expert severities.  Then a connection's first segment (a SYN, or a
 * SYN-ACK whose SYN was not captured), while it is all the connection has
 * seen (most SYNs of a flood), is not evaluated until something needs it:
 * its next segment, a new connection replacing it on its flow, or a later
 * pass (judge_late).  A finding of that segment then shows on the next
 * one, naming its frame, as any finding found late; later passes place it
 * on its own frame as always. */
static gboolean unobserved(packet_info *pinfo, proto_tree *tree)
{
    if (expert_tap == -2)
        expert_tap = find_tap_id("expert");
    /* Without the expert tap's id, nothing tells that nobody listens. */
    if (tree || expert_tap < 0 || have_tap_listener(expert_tap) || have_tap_listener(eno_tap))
        return FALSE;
    const column_info *ci = pinfo->cinfo;
    return !(ci && ci->col_first && ci->col_first[COL_EXPERT] >= 0);
}

static void set_unjudged(eno_track *t, gboolean on)
{
    if (t->unjudged == (on ? 1u : 0u))
        return;
    t->unjudged = on ? 1 : 0;
    if (on)
        n_unjudged++;
    else
        n_unjudged--;
}

/* The findings of r not shown before for the connection: marks them
 * shown, files them under the frames they concern, and returns how many
 * there are, their indices in r in fresh. */
static size_t file_fresh(eno_track *t, const eno_result *r, size_t fresh[ENO_MAX_FINDINGS])
{
    size_t n = 0;
    for (size_t i = 0; i < r->n_findings && i < ENO_MAX_FINDINGS; i++)
        if (!finding_seen(t, &r->findings[i]))
            fresh[n++] = i;
    if (n)
        mark_eno(t);
    for (size_t k = 0; k < n; k++)
        place(t, &r->findings[fresh[k]]);
    return n;
}

/* A connection judged after its first segment was left unjudged: files
 * the findings not filed yet under the frames they concern. */
static void judge_now(eno_track *t, const eno_result *r)
{
    if (!t->unjudged)
        return;
    set_unjudged(t, FALSE);
    size_t fresh[ENO_MAX_FINDINGS];
    file_fresh(t, r, fresh);
}

/* The segment's flow after feeding the segment to its connection, or NULL
 * when no connection took it; *engine: the state it was fed to.  Which
 * segments start a connection is the engine's policy (eno_flow_classify),
 * as in the analyzer. */
static eno_flow *take(eno_tcp_seg *s, const eno_flow_id *id, const eno_conn **engine)
{
    eno_flow *f = eno_flow_find(id);
    switch (eno_flow_classify(f ? &f->track->flow : NULL, id->sender, id->same, &s->seg)) {
    case ENO_FLOW_SKIP:
        return NULL;
    case ENO_FLOW_START:
        f = eno_flow_start(id, &s->seg);
        break;
    case ENO_FLOW_FEED:
        break;
    }
    eno_tcp_read_options(s);
    eno_track *t = f->track;
    eno_conn *c = engine_of(t);
    eno_feed_result fed = eno_flow_feed(&t->flow, c, id->sender, id->same, &s->seg);
    if (fed == ENO_FEED_RESTART) {
        eno_conn_evaluate(c, &scratch);
        judge_now(t, &scratch);
        finalize(t, &scratch);
        f = eno_flow_start(id, &s->seg);
        t = f->track;
        c = engine_of(t);
        fed = eno_flow_feed(&t->flow, c, id->sender, id->same, &s->seg);
    }
    /* A connection without a state of its own was new: it keeps its first
     * segment, from which the state is made again when needed. */
    if (c == scratch_conn && !t->flow.settled) {
        const guint8 *first = keep_first(c);
        if (first) {
            t->held.first = first;
            t->holds = ENO_HELD_FIRST;
        } else {
            t->held.conn = (eno_conn *)g_malloc(eno_conn_size());
            memcpy(t->held.conn, c, eno_conn_size());
            t->holds = ENO_HELD_CONN;
        }
    }
    *engine = c;
    if (fed != ENO_FEED_TAKEN)
        return NULL;
    if (s->seg.eno)
        mark_eno(t);
    if (t->flow.settled)
        eno_flow_settle(f);
    return f;
}

/* Later passes: an unjudged connection is judged when a frame of it is
 * dissected (its SYN, the only frame it has), before the frame is drawn. */
static void judge_late(eno_track *t)
{
    eno_conn_evaluate(track_conn(t), &scratch);
    judge_now(t, &scratch);
}

/* First pass: feeds the segment, returns the frame's view or NULL. */
static frame_view *feed(packet_info *pinfo, proto_tree *tree, eno_tcp_seg *s,
                        const eno_flow_id *id)
{
    const eno_result *r = &scratch;
    const eno_conn *c;
    eno_flow *f = take(s, id, &c);
    if (!f)
        return NULL;
    eno_track *t = f->track;
    if (t->holds == ENO_HELD_FIRST && t->first_frame == pinfo->num &&
        unobserved(pinfo, tree)) {
        set_unjudged(t, TRUE);
        return NULL;
    }
    eno_conn_evaluate(c, &scratch);
    /* The findings the first SYN had are among the fresh ones below. */
    set_unjudged(t, FALSE);
    int dir = s->seg.dir;
    guint8 fl = s->seg.flags & (ENO_TCP_SYN | ENO_TCP_ACK);
    gboolean synack = fl == (ENO_TCP_SYN | ENO_TCP_ACK);
    gboolean syn_only = fl == ENO_TCP_SYN;
    gboolean first_nonsyn = r->ack_frame[dir] == pinfo->num;
    eno_outcome_key key = key_of(r);
    eno_outcome_key last = last_key(t);
    gboolean changed = !t->have_last || !same_key(&last, &key);

    size_t fresh[ENO_MAX_FINDINGS];
    size_t n_fresh = file_fresh(t, r, fresh);

    frame_view *v = NULL;
    if (synack || first_nonsyn || changed || n_fresh) {
        v = wmem_new0(pinfo->pool, frame_view);
        v->track = t;
        v->dir = dir;
        v->full = synack || first_nonsyn || (changed && !syn_only && t->have_last);
        v->counted = changed;
        v->event.has_prev = t->have_last;
        v->event.prev = last;
        v->event.now = key;
        set_last(t, &key);
        if (v->full || n_fresh) {
            eno_snapshot *snap = wmem_new0(pinfo->pool, eno_snapshot);
            snap->o = r->outcome;
            snap->o.detail = r->detail; /* static storage */
            if (n_fresh) {
                eno_finding *found = wmem_alloc_array(pinfo->pool, eno_finding, n_fresh);
                for (size_t i = 0; i < n_fresh; i++)
                    found[i] = r->findings[fresh[i]];
                snap->findings = found;
                snap->n_findings = n_fresh;
            }
            v->snap = snap;
        }
    }
    if (f->settled)
        finalize(t, r);
    return v;
}

void eno_conn_segment(tvbuff_t *tcp, packet_info *pinfo, proto_tree *top)
{
    /* Disabling the analysis stops it here too, not only the drawing. */
    if (!proto_is_protocol_enabled(analysis_protocol))
        return;
    /* Only frames that draw need the note: most first-pass frames are
     * dissected without a tree. */
    frame_note *n = NULL;
    if (top || PINFO_FD_VISITED(pinfo)) {
        n = wmem_new0(pinfo->pool, frame_note);
        n->top = top;
        n->before = top ? top->last_child : NULL;
        n->tcp = tcp;
        p_add_proto_data(pinfo->pool, pinfo, proto_eno_analysis, 0, n);
    }
    if (!PINFO_FD_VISITED(pinfo)) {
        pending.frame = 0;
        if (eno_tcp_read_header(tcp, pinfo, &pending.seg) &&
            eno_flow_identify(pinfo, &pending.seg, &pending.flow)) {
            pending.frame = pinfo->num;
            pending.tcp = tcp;
        }
        return;
    }
    /* Later passes: every segment of a connection with ENO items shows
     * its outcome, and the statistics count each connection once, on the
     * frame that began it (a SYN); captures without ENO skip the lookup
     * unless the statistics are wanted. */
    gboolean counting = have_tap_listener(eno_tap);
    eno_tcp_seg seg;
    if ((n_eno || n_unjudged || counting) && eno_tcp_read_header(tcp, pinfo, &seg) &&
        (n_eno || (seg.seg.flags & ENO_TCP_SYN))) {
        eno_track *t = eno_flow_lookup(pinfo, &seg, &n->dir);
        if (t && t->unjudged)
            judge_late(t);
        if (t && t->eno)
            n->track = t;
        if (t && counting && t->first_frame == pinfo->num)
            n->started = t;
    }
}

unsigned eno_conn_eno_options(packet_info *pinfo)
{
    const frame_note *n = note_of(pinfo);
    tvbuff_t *tcp = n ? n->tcp : pending.frame == pinfo->num ? pending.tcp : NULL;
    eno_tcp_seg seg;
    if (!tcp || !eno_tcp_read_header(tcp, pinfo, &seg))
        return 0;
    eno_tcp_read_options(&seg);
    return seg.seg.eno_count;
}

/* Later passes: a connection's final outcome, once per connection (on its
 * first frame), so that the statistics count each under its outcome and
 * show no rows that fell back to zero. */
static void tap_final(packet_info *pinfo, eno_track *t)
{
    eno_snapshot s;
    eno_result *r = wmem_new(pinfo->pool, eno_result);
    const eno_snapshot *o = eno_track_outcome(t, &s, r);
    eno_stats_event *ev = wmem_new0(pinfo->pool, eno_stats_event);
    ev->now.status = o->o.status;
    ev->now.reason = o->o.reason;
    ev->now.tep_valid = o->o.tep_valid;
    ev->now.tep = o->o.tep_valid ? o->o.tep : 0;
    tap_queue_packet(eno_tap, pinfo, ev);
}

static int dissect_analysis(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data _U_)
{
    frame_view *v = NULL;
    frame_note *n = NULL;
    tvbuff_t *tcp = NULL;
    gboolean visited = PINFO_FD_VISITED(pinfo);
    if (!visited) {
        gboolean mine = pending.frame == pinfo->num;
        pending.frame = 0;
        if (mine) {
            tcp = pending.tcp;
            v = feed(pinfo, tree, &pending.seg, &pending.flow);
        }
        if (!v)
            return 0;
        /* Only a frame with a tree has a note (eno_conn_segment). */
        n = tree ? note_of(pinfo) : NULL;
    } else {
        if (!proto_is_protocol_enabled(analysis_protocol))
            return 0;
        n = note_of(pinfo);
        if (!n || !(n->track || n->started))
            return 0;
    }
    /* What Wireshark would have set for a handle of the analysis protocol:
     * expert infos record it as their protocol. */
    const char *saved_proto = pinfo->current_proto;
    pinfo->current_proto = proto_get_protocol_short_name(analysis_protocol);
    proto_tree *where = tcp_tree(n);
    if (!where)
        where = tree;
    if (!visited) {
        if (v->counted)
            tap_queue_packet(eno_tap, pinfo, &v->event);
        if (v->track->eno)
            eno_render_view(where, tvb, pinfo, v, tcp);
    } else {
        if (n->started)
            tap_final(pinfo, n->started);
        if (n->track)
            eno_render_connection(where, tvb, pinfo, n->track, n->dir,
                                  (const frame_findings *)wmem_map_lookup(
                                      placed, GUINT_TO_POINTER(pinfo->num)),
                                  n->tcp);
    }
    pinfo->current_proto = saved_proto;
    return 0;
}

/* Frame numbers start again with the next file. */
static void conn_cleanup(void)
{
    pending.frame = 0;
    n_eno = 0;
    n_unjudged = 0;
    eno_option_cleanup();
    g_free(scratch_conn);
    scratch_conn = NULL;
}

void eno_conn_register(void)
{
    eno_flows_register();
    register_cleanup_routine(conn_cleanup);
    details = wmem_map_new_autoreset(wmem_epan_scope(), wmem_file_scope(), g_direct_hash,
                                     g_direct_equal);
    placed = wmem_map_new_autoreset(wmem_epan_scope(), wmem_file_scope(), g_direct_hash,
                                    g_direct_equal);
    analysis_protocol = find_protocol_by_id(proto_eno_analysis);
    /* The post-dissector runs for every frame.  With a handle of the
     * analysis protocol Wireshark would add a protocol layer for each call
     * and remove it again (the post-dissector returns 0, so that
     * frame.protocols stays as it was), a cost of its own on every frame
     * (bench/README.md).  The option's protocol is one in name only, for which
     * no layer is added; its enabled state is TCP's, so the analysis' own
     * is checked in dissect_analysis(). */
    analysis_handle = create_dissector_handle(dissect_analysis, proto_eno);
    register_postdissector(analysis_handle);
    eno_tap = register_tap("eno");
}
