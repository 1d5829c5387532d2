/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Connection analysis: a post-dissector that feeds every TCP segment (with
 * or without ENO) to the engine on the first pass, keeps one eno_conn per
 * TCP stream (file scope) and stores for each frame that shows something a
 * snapshot of the analysis as of that frame, so that later passes (two-pass
 * tshark, the GUI) show the same items.  Endpoint 0 is the client: the
 * sender of the SYN-only, or the receiver of a first-seen SYN-ACK.  A flow
 * whose first captured segment has no SYN is not analysed (as in the
 * analyzer: no handshake, no connection).
 */
#include <string.h>

#include "eno_plugin.h"

#include <epan/address.h>
#include <epan/proto_data.h>
#include <epan/tap.h>

static int hf_tcp = -1, hf_tcp_len = -1, hf_tcp_stream = -1;
static dissector_handle_t analysis_handle;
static wmem_map_t *streams; /* tcp.stream -> current track */
int eno_tap = -1;

typedef struct {
    eno_rule_id rule;
    guint32 frame;
    int dir, offset;
} finding_key;

typedef struct {
    eno_conn conn;
    guint32 first_frame;
    address addr[2];
    guint16 port[2];
    gboolean have_last;
    eno_outcome_key last;
    guint n_shown;
    finding_key shown[ENO_MAX_FINDINGS];
} eno_track;

/* What one frame shows; also what the outcome view shows. */
typedef struct {
    eno_track *track;
    int dir;
    gboolean full;    /* status items (SYN-ACK, first non-SYN, status changes) */
    gboolean counted; /* a stats event */
    eno_stats_event event;
    eno_open_type open;
    eno_profile profile;
    eno_status status;
    eno_reason reason;
    const char *detail;
    int host_a;
    gboolean tep_valid, tep_v, syn_tep_valid;
    guint8 tep, syn_tep;
    guint32 syn_frame[2], synack_frame[2], ack_frame[2];
    const guint8 *transcript;
    size_t transcript_len;
    size_t n_findings;
    const eno_finding *findings;
} frame_view;

/* One TCP segment as read from the TCP header in the packet. */
typedef struct {
    guint32 stream;
    guint16 sport, dport;
    eno_segment seg;
    tvbuff_t *ds;   /* data source of the TCP header */
    gint eno_pos;   /* offset of the first ENO option in ds, -1 if none */
} seg_info;

/* A generated TCP field that belongs to the header at tcp: same data
 * source, placed inside the fixed header. */
static const field_info *match_field(proto_tree *tree, int hf, const field_info *tcp)
{
    GPtrArray *arr = proto_get_finfo_ptr_array(tree, hf);
    for (guint i = 0; arr && i < arr->len; i++) {
        const field_info *fi = (const field_info *)g_ptr_array_index(arr, i);
        if (fi->ds_tvb == tcp->ds_tvb && fi->start >= tcp->start && fi->start < tcp->start + 20)
            return fi;
    }
    return NULL;
}

/* The outermost TCP header of the frame, its stream index and segment
 * length; FALSE when there is none or it is not a complete header (an
 * ICMP-quoted header, a fragment). */
static gboolean read_segment(proto_tree *tree, packet_info *pinfo, seg_info *out)
{
    if (!tree)
        return FALSE;
    GPtrArray *tcps = proto_get_finfo_ptr_array(tree, hf_tcp);
    if (!tcps || tcps->len == 0)
        return FALSE;
    const field_info *tcp = (const field_info *)g_ptr_array_index(tcps, 0);
    const field_info *len = match_field(tree, hf_tcp_len, tcp);
    const field_info *stream = match_field(tree, hf_tcp_stream, tcp);
    if (!len || !stream)
        return FALSE;
    tvbuff_t *ds = tcp->ds_tvb;
    gint start = tcp->start;
    gint cap = tvb_captured_length_remaining(ds, start);
    if (cap < 20)
        return FALSE;
    guint hlen = (guint)(tvb_get_guint8(ds, start + 12) >> 4) * 4;
    if (hlen < 20)
        return FALSE;

    memset(out, 0, sizeof *out);
    out->stream = fvalue_get_uinteger((fvalue_t *)&stream->value);
    out->sport = tvb_get_ntohs(ds, start);
    out->dport = tvb_get_ntohs(ds, start + 2);
    eno_segment *s = &out->seg;
    s->frame = pinfo->num;
    s->seq = tvb_get_ntohl(ds, start + 4);
    s->ack = tvb_get_ntohl(ds, start + 8);
    s->flags = tvb_get_guint8(ds, start + 13) &
               (ENO_TCP_FIN | ENO_TCP_SYN | ENO_TCP_RST | ENO_TCP_PSH | ENO_TCP_ACK);
    s->payload_len = fvalue_get_uinteger((fvalue_t *)&len->value);

    guint optlen = hlen - 20;
    guint optcap = (guint)cap - 20 < optlen ? (guint)cap - 20 : optlen;
    const guint8 *opts = optcap ? tvb_get_ptr(ds, start + 20, optcap) : NULL;
    eno_segment_set_options(s, opts, optcap, optcap < optlen);
    out->ds = ds;
    out->eno_pos = s->eno ? start + 20 + (gint)(s->eno - opts) : -1;

    if (s->payload_len && (guint)cap > hlen) {
        guint n = (guint)cap - hlen;
        if (n > s->payload_len)
            n = s->payload_len;
        if (n > ENO_PAYLOAD_HEAD)
            n = ENO_PAYLOAD_HEAD;
        s->payload = tvb_get_ptr(ds, start + (gint)hlen, n);
        s->payload_caplen = n;
    }
    return TRUE;
}

static eno_track *new_track(packet_info *pinfo, const seg_info *si)
{
    eno_track *t = wmem_new0(wmem_file_scope(), eno_track);
    eno_conn_init(&t->conn);
    t->first_frame = pinfo->num;
    /* A first-seen SYN-ACK was sent by the server. */
    gboolean from_server = (si->seg.flags & (ENO_TCP_SYN | ENO_TCP_ACK)) ==
                           (ENO_TCP_SYN | ENO_TCP_ACK);
    copy_address_wmem(wmem_file_scope(), &t->addr[from_server ? 1 : 0], &pinfo->src);
    copy_address_wmem(wmem_file_scope(), &t->addr[from_server ? 0 : 1], &pinfo->dst);
    t->port[from_server ? 1 : 0] = si->sport;
    t->port[from_server ? 0 : 1] = si->dport;
    wmem_map_insert(streams, GUINT_TO_POINTER(si->stream), t);
    return t;
}

static int direction(const eno_track *t, packet_info *pinfo, const seg_info *si)
{
    if (t->port[0] != t->port[1])
        return si->sport == t->port[0] ? 0 : 1;
    return addresses_equal(&pinfo->src, &t->addr[0]) ? 0 : 1;
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

/* Fills the summary part of v from r (findings excluded). */
static void summarize(frame_view *v, const eno_result *r, wmem_allocator_t *scope)
{
    v->open = r->open;
    v->profile = r->profile;
    v->status = r->status;
    v->reason = r->reason;
    v->detail = r->detail ? wmem_strdup(scope, r->detail) : NULL;
    v->host_a = r->host_a;
    v->tep_valid = r->tep_valid;
    v->tep = r->tep;
    v->tep_v = r->tep_v;
    v->syn_tep_valid = r->syn_tep_valid;
    v->syn_tep = r->syn_tep;
    memcpy(v->syn_frame, r->syn_frame, sizeof v->syn_frame);
    memcpy(v->synack_frame, r->synack_frame, sizeof v->synack_frame);
    memcpy(v->ack_frame, r->ack_frame, sizeof v->ack_frame);
    v->transcript_len = r->transcript_len;
    v->transcript = r->transcript_len
                        ? (const guint8 *)wmem_memdup(scope, r->transcript, r->transcript_len)
                        : NULL;
}

static gboolean finding_seen(eno_track *t, const eno_finding *f)
{
    finding_key k = {f->rule, f->n_frames ? f->frames[0] : 0, f->dir, f->offset};
    for (guint i = 0; i < t->n_shown; i++)
        if (t->shown[i].rule == k.rule && t->shown[i].frame == k.frame &&
            t->shown[i].dir == k.dir && t->shown[i].offset == k.offset)
            return TRUE;
    if (t->n_shown < ENO_MAX_FINDINGS)
        t->shown[t->n_shown++] = k;
    return FALSE;
}

/* First pass: feeds the segment, returns the frame's view or NULL. */
static frame_view *feed(packet_info *pinfo, seg_info *si)
{
    eno_track *t = (eno_track *)wmem_map_lookup(streams, GUINT_TO_POINTER(si->stream));
    if (!t) {
        /* A flow first seen mid-stream is not a connection in its
         * handshake: only a SYN segment starts one. */
        if (!(si->seg.flags & ENO_TCP_SYN))
            return NULL;
        t = new_track(pinfo, si);
    }
    si->seg.dir = direction(t, pinfo, si);
    eno_add_result added = eno_conn_add(&t->conn, &si->seg);
    if (added == ENO_ADD_NEW_CONNECTION) {
        t = new_track(pinfo, si);
        si->seg.dir = 0;
        added = eno_conn_add(&t->conn, &si->seg);
    }
    if (added != ENO_ADD_OK)
        return NULL;

    eno_result *r = wmem_new(pinfo->pool, eno_result);
    eno_conn_evaluate(&t->conn, r);
    int dir = si->seg.dir;
    guint8 fl = si->seg.flags & (ENO_TCP_SYN | ENO_TCP_ACK);
    gboolean synack = fl == (ENO_TCP_SYN | ENO_TCP_ACK);
    gboolean syn_only = fl == ENO_TCP_SYN;
    gboolean first_nonsyn = r->ack_frame[dir] == pinfo->num;
    eno_outcome_key key = key_of(r);
    gboolean changed = !t->have_last || !same_key(&t->last, &key);

    eno_finding *fresh = wmem_alloc_array(pinfo->pool, eno_finding, r->n_findings + 1);
    size_t n_fresh = 0;
    for (size_t i = 0; i < r->n_findings; i++)
        if (!finding_seen(t, &r->findings[i]))
            fresh[n_fresh++] = r->findings[i];

    if (!(synack || first_nonsyn || changed || n_fresh))
        return NULL;
    frame_view *v = wmem_new0(wmem_file_scope(), frame_view);
    v->track = t;
    v->dir = dir;
    v->full = synack || first_nonsyn || (changed && !syn_only && t->have_last);
    v->counted = changed;
    v->event.has_prev = t->have_last;
    v->event.prev = t->last;
    v->event.now = key;
    t->last = key;
    t->have_last = TRUE;
    summarize(v, r, wmem_file_scope());
    v->n_findings = n_fresh;
    v->findings = n_fresh ? (const eno_finding *)wmem_memdup(wmem_file_scope(), fresh,
                                                             n_fresh * sizeof *fresh)
                          : NULL;
    p_add_proto_data(wmem_file_scope(), pinfo, proto_eno_analysis, 0, v);
    return v;
}

static void add_string(proto_tree *tree, int hf, tvbuff_t *tvb, const char *s)
{
    proto_item_set_generated(proto_tree_add_string(tree, hf, tvb, 0, 0, s));
}

static void add_frame(proto_tree *tree, int hf, tvbuff_t *tvb, guint32 frame, const char *who)
{
    if (!frame)
        return;
    proto_item *it = proto_tree_add_uint(tree, hf, tvb, 0, 0, frame);
    proto_item_append_text(it, " (%s)", who);
    proto_item_set_generated(it);
}

/* Syntax findings of this frame that the option dissector could not show
 * (the TCP dissector does not hand over an option whose length is below 2
 * or runs past the header) go to the option's bytes. */
static gboolean syntax_at_bytes(proto_tree *st, packet_info *pinfo, const eno_finding *f,
                                const seg_info *loc)
{
    if (!loc || loc->eno_pos < 0 || f->offset < 0 || !f->n_frames ||
        f->frames[0] != pinfo->num || !g_str_has_prefix(eno_rule_get(f->rule)->id, "syntax."))
        return FALSE;
    gint pos = loc->eno_pos + f->offset;
    if (pos >= (gint)tvb_captured_length(loc->ds))
        return FALSE;
    proto_item *it = proto_tree_add_expert_format(st, pinfo, eno_expert_for(f->rule, f->severity),
                                                  loc->ds, pos, 1, "%s", f->message);
    proto_item_set_generated(it);
    return TRUE;
}

static void render(proto_tree *tree, tvbuff_t *tvb, packet_info *pinfo, const eno_conn_hf *hf,
                   int ett, const frame_view *v, gboolean status, gboolean experts,
                   const seg_info *loc)
{
    static const char *const who[2] = {"client", "server"};
    proto_item *top = proto_tree_add_item(tree, hf->tree, tvb, 0, 0, ENC_NA);
    proto_item_set_generated(top);
    proto_tree *st = proto_item_add_subtree(top, ett);
    proto_item *it = proto_tree_add_uint(st, hf->first_frame, tvb, 0, 0, v->track->first_frame);
    proto_item_set_generated(it);
    if (v->dir >= 0) {
        add_string(st, hf->sender, tvb, who[v->dir]);
        add_string(st, hf->role, tvb,
                   v->host_a < 0 ? "undecided" : v->host_a == v->dir ? "A" : "B");
    }
    if (status) {
        const char *reason = eno_reason_name(v->reason);
        proto_item_append_text(top, ": %s", eno_status_name(v->status));
        add_string(st, hf->profile, tvb, eno_profile_name(v->profile));
        add_string(st, hf->open, tvb, eno_open_type_name(v->open));
        add_string(st, hf->status, tvb, eno_status_name(v->status));
        if (reason) {
            add_string(st, hf->reason, tvb, reason);
            proto_item_append_text(top, " (%s)", reason);
        }
        if (v->detail)
            add_string(st, hf->detail, tvb, v->detail);
        if (v->tep_valid) {
            const char *name = eno_tep_lookup(v->tep)->name;
            it = proto_tree_add_uint_format_value(st, hf->tep, tvb, 0, 0, v->tep, "0x%02x (%s)",
                                                  v->tep, name);
            proto_item_set_generated(it);
            add_string(st, hf->tep_name, tvb, name);
            proto_item_set_generated(proto_tree_add_boolean(st, hf->tep_v, tvb, 0, 0, v->tep_v));
            proto_item_append_text(top, ", TEP 0x%02x %s", v->tep, name);
        }
        if (v->syn_tep_valid)
            proto_item_set_generated(proto_tree_add_uint(st, hf->syn_tep, tvb, 0, 0, v->syn_tep));
        if (v->transcript_len)
            proto_item_set_generated(proto_tree_add_bytes_with_length(
                st, hf->transcript, tvb, 0, 0, v->transcript, (gint)v->transcript_len));
        for (int d = 0; d < 2; d++) {
            add_frame(st, hf->syn_frame, tvb, v->syn_frame[d], who[d]);
            add_frame(st, hf->synack_frame, tvb, v->synack_frame[d], who[d]);
            add_frame(st, hf->ack_frame, tvb, v->ack_frame[d], who[d]);
        }
    }
    for (size_t i = 0; i < v->n_findings; i++) {
        const eno_finding *f = &v->findings[i];
        const eno_rule_info *info = eno_rule_get(f->rule);
        it = proto_tree_add_string_format_value(st, hf->finding, tvb, 0, 0, info->id,
                                                "%s (%s): %s", info->id,
                                                eno_severity_name(f->severity), f->message);
        proto_item_set_generated(it);
        /* Syntax issues the option dissector showed at their bytes are not
         * repeated. */
        gboolean shown = strncmp(info->id, "syntax.", 7) == 0 && f->n_frames &&
                         f->frames[0] == pinfo->num && eno_syntax_was_shown(pinfo, f->rule);
        if (experts && !shown && !syntax_at_bytes(st, pinfo, f, loc))
            expert_add_info_format(pinfo, it, eno_expert_for(f->rule, f->severity), "%s",
                                   f->message);
    }
}

/* The connection as the whole capture shows it (later passes only). */
static void render_outcome(proto_tree *tree, tvbuff_t *tvb, packet_info *pinfo, eno_track *t)
{
    eno_result *r = wmem_new(pinfo->pool, eno_result);
    eno_conn_evaluate(&t->conn, r);
    frame_view v;
    memset(&v, 0, sizeof v);
    v.track = t;
    v.dir = -1;
    summarize(&v, r, pinfo->pool);
    v.n_findings = r->n_findings;
    v.findings = r->findings;
    render(tree, tvb, pinfo, &eno_hf.outcome, ett_eno_outcome, &v, TRUE, FALSE, NULL);
}

static int dissect_analysis(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data _U_)
{
    frame_view *v = NULL;
    seg_info si;
    gboolean have = read_segment(tree, pinfo, &si);
    if (!PINFO_FD_VISITED(pinfo)) {
        if (have)
            v = feed(pinfo, &si);
    } else {
        v = (frame_view *)p_get_proto_data(wmem_file_scope(), pinfo, proto_eno_analysis, 0);
    }
    if (!v)
        return 0;
    if (v->counted)
        tap_queue_packet(eno_tap, pinfo, &v->event);
    if (PINFO_FD_VISITED(pinfo) && v->track->first_frame == pinfo->num)
        render_outcome(tree, tvb, pinfo, v->track);
    if (v->full || v->n_findings)
        render(tree, tvb, pinfo, &eno_hf.now, ett_eno_analysis, v, v->full, TRUE, have ? &si : NULL);
    return 0;
}

void eno_conn_register(void)
{
    streams = wmem_map_new_autoreset(wmem_epan_scope(), wmem_file_scope(), g_direct_hash,
                                     g_direct_equal);
    analysis_handle = create_dissector_handle(dissect_analysis, proto_eno_analysis);
    register_postdissector(analysis_handle);
    eno_tap = register_tap("eno");
}

void eno_conn_handoff(void)
{
    hf_tcp = proto_get_id_by_filter_name("tcp");
    hf_tcp_len = proto_registrar_get_id_byname("tcp.len");
    hf_tcp_stream = proto_registrar_get_id_byname("tcp.stream");
    GArray *wanted = g_array_new(FALSE, FALSE, (guint)sizeof(int));
    g_array_append_val(wanted, hf_tcp);
    g_array_append_val(wanted, hf_tcp_len);
    g_array_append_val(wanted, hf_tcp_stream);
    set_postdissector_wanted_hfids(analysis_handle, wanted);
}
