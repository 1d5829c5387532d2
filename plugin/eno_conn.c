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
 *   kept (file scope) for the frames that show something; a finding goes
 *   on the frame where it became known, naming the frame it concerns;
 * - on later passes (two-pass tshark, the GUI), every frame of the
 *   connection shows its outcome over the whole capture, and each finding
 *   sits on the frame it concerns (the engine's first frame of the finding,
 *   the frame the analyzer names).
 */
#include <string.h>

#include "eno_conn.h"

#include <epan/proto_data.h>
#include <epan/tap.h>

static dissector_handle_t analysis_handle;
static protocol_t *analysis_protocol;
static wmem_map_t *details; /* engine's detail sentence -> file-scope copy */
static wmem_map_t *placed;  /* frame -> frame_findings: what concerns it */
static guint n_eno;         /* connections with ENO items */
int eno_tap = -1;

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
    eno_track *track; /* later passes: a connection with ENO items, or NULL */
    int dir;
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
    if (!t->shown)
        t->shown = wmem_alloc_array(wmem_file_scope(), finding_key, ENO_MAX_FINDINGS);
    if (t->n_shown < ENO_MAX_FINDINGS)
        t->shown[t->n_shown++] = k;
    return FALSE;
}

static void mark_eno(eno_track *t)
{
    if (!t->eno)
        n_eno++;
    t->eno = TRUE;
}

/* The frame a finding concerns: the one the analyzer names. */
static guint32 finding_frame(const eno_track *t, const eno_finding *f)
{
    return f->n_frames ? f->frames[0] : t->first_frame;
}

/* Files a finding (file-scope copy) under the frame it concerns. */
static void place(const eno_track *t, const eno_finding *f)
{
    gpointer key = GUINT_TO_POINTER(finding_frame(t, f));
    frame_findings *ff = (frame_findings *)wmem_map_lookup(placed, key);
    if (!ff) {
        ff = wmem_new0(wmem_file_scope(), frame_findings);
        wmem_map_insert(placed, key, ff);
    }
    if (ff->n < ENO_MAX_FINDINGS)
        ff->items[ff->n++] = f;
}

/* Evaluations for the segments taken: reused, not allocated (dissection is
 * single-threaded). */
static eno_result scratch;

/* Keeps the connection's final outcome and frees its engine state. */
static void finalize(eno_track *t, const eno_result *r)
{
    eno_snapshot *o = wmem_new0(wmem_file_scope(), eno_snapshot);
    o->o = r->outcome;
    o->o.detail = intern_detail(r->detail);
    if (r->n_findings) {
        o->findings = (const eno_finding *)wmem_memdup(wmem_file_scope(), r->findings,
                                                       r->n_findings * sizeof *r->findings);
        o->n_findings = r->n_findings;
    }
    t->outcome = o;
    g_free(t->conn);
    t->conn = NULL;
}

const eno_snapshot *eno_track_outcome(eno_track *t, eno_snapshot *s, eno_result *r)
{
    if (!t->conn)
        return t->outcome;
    /* The capture ended before the connection settled. */
    eno_conn_evaluate(t->conn, r);
    memset(s, 0, sizeof *s);
    s->o = r->outcome;
    s->o.detail = r->detail;
    s->n_findings = r->n_findings;
    s->findings = r->findings;
    return s;
}

/* The segment's flow after feeding the segment to its connection, or NULL
 * when no connection took it.  Which segments start a connection is the
 * engine's policy (eno_flow_classify), as in the analyzer. */
static eno_flow *take(eno_tcp_seg *s, const eno_flow_id *id)
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
    eno_feed_result fed = eno_flow_feed(&t->flow, t->conn, id->sender, id->same, &s->seg);
    if (fed == ENO_FEED_RESTART) {
        eno_conn_evaluate(t->conn, &scratch);
        finalize(t, &scratch);
        f = eno_flow_start(id, &s->seg);
        t = f->track;
        fed = eno_flow_feed(&t->flow, t->conn, id->sender, id->same, &s->seg);
    }
    if (fed != ENO_FEED_TAKEN)
        return NULL;
    if (s->seg.eno)
        mark_eno(t);
    if (t->flow.settled)
        eno_flow_settle(f);
    return f;
}

/* First pass: feeds the segment, returns the frame's view or NULL. */
static frame_view *feed(packet_info *pinfo, eno_tcp_seg *s, const eno_flow_id *id)
{
    const eno_result *r = &scratch;
    eno_flow *f = take(s, id);
    if (!f)
        return NULL;
    eno_track *t = f->track;
    eno_conn_evaluate(t->conn, &scratch);
    int dir = s->seg.dir;
    guint8 fl = s->seg.flags & (ENO_TCP_SYN | ENO_TCP_ACK);
    gboolean synack = fl == (ENO_TCP_SYN | ENO_TCP_ACK);
    gboolean syn_only = fl == ENO_TCP_SYN;
    gboolean first_nonsyn = r->ack_frame[dir] == pinfo->num;
    eno_outcome_key key = key_of(r);
    gboolean changed = !t->have_last || !same_key(&t->last, &key);

    size_t fresh[ENO_MAX_FINDINGS], n_fresh = 0;
    for (size_t i = 0; i < r->n_findings && i < ENO_MAX_FINDINGS; i++)
        if (!finding_seen(t, &r->findings[i]))
            fresh[n_fresh++] = i;

    frame_view *v = NULL;
    if (synack || first_nonsyn || changed || n_fresh) {
        v = wmem_new0(wmem_file_scope(), frame_view);
        v->track = t;
        v->dir = dir;
        v->full = synack || first_nonsyn || (changed && !syn_only && t->have_last);
        v->counted = changed;
        v->event.has_prev = t->have_last;
        v->event.prev = t->last;
        v->event.now = key;
        t->last = key;
        t->have_last = TRUE;
        if (v->full || n_fresh) {
            eno_snapshot *snap = wmem_new0(wmem_file_scope(), eno_snapshot);
            snap->o = r->outcome;
            snap->o.detail = intern_detail(r->detail);
            if (n_fresh) {
                eno_finding *found = wmem_alloc_array(wmem_file_scope(), eno_finding, n_fresh);
                for (size_t i = 0; i < n_fresh; i++)
                    found[i] = r->findings[fresh[i]];
                snap->findings = found;
                snap->n_findings = n_fresh;
                mark_eno(t);
                for (size_t i = 0; i < n_fresh; i++)
                    place(t, &found[i]);
            }
            v->snap = snap;
        }
        p_add_proto_data(wmem_file_scope(), pinfo, proto_eno_analysis, 0, v);
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
     * its outcome; captures without one skip the lookup. */
    eno_tcp_seg seg;
    if (n_eno && eno_tcp_read_header(tcp, pinfo, &seg)) {
        eno_track *t = eno_flow_lookup(pinfo, &seg, &n->dir);
        if (t && t->eno)
            n->track = t;
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
            v = feed(pinfo, &pending.seg, &pending.flow);
        }
        if (!v)
            return 0;
        n = note_of(pinfo);
    } else {
        if (!proto_is_protocol_enabled(analysis_protocol))
            return 0;
        v = (frame_view *)p_get_proto_data(wmem_file_scope(), pinfo, proto_eno_analysis, 0);
        n = note_of(pinfo);
        if (!v && !(n && n->track))
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
        if (v && v->track->first_frame == pinfo->num)
            tap_final(pinfo, v->track);
        if (n && n->track)
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
