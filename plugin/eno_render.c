/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Drawing the connection analysis: the generated "TCP-ENO analysis" items,
 * as of a frame (one pass) or for the whole connection (later passes),
 * with the findings as expert infos.  Expert infos are added even without
 * a tree, as every dissector's are, so that the expert tap sees them.
 */
#include <stdio.h>
#include <string.h>

#include "eno_conn.h"

static void add_string(proto_tree *tree, int hf, tvbuff_t *tvb, const char *s)
{
    proto_item_set_generated(proto_tree_add_string(tree, hf, tvb, 0, 0, s));
}

/* A link to a frame, named for what it points to. */
static void add_frame(proto_tree *tree, int hf, tvbuff_t *tvb, guint32 frame, const char *what,
                      const char *who)
{
    if (!frame)
        return;
    proto_item *it = proto_tree_add_uint_format(tree, hf, tvb, 0, 0, frame, "%s (%s): frame %u",
                                                what, who, frame);
    proto_item_set_generated(it);
}

/* Where this frame's syntax findings go: the TCP header's first ENO option,
 * looked up only when a finding needs it. */
typedef struct {
    tvbuff_t *tcp;
    gboolean looked;
    gint eno_pos;
} option_place;

/* Syntax findings of this frame that the option dissector could not show
 * (the TCP dissector does not hand over an option whose length is below 2
 * or runs past the header) go to the option's bytes. */
static gboolean syntax_at_bytes(proto_tree *st, packet_info *pinfo, const eno_finding *f,
                                option_place *place)
{
    if (!place->tcp || f->offset < 0 || !f->n_frames || f->frames[0] != pinfo->num ||
        eno_rule_get(f->rule)->area != ENO_AREA_SYNTAX)
        return FALSE;
    if (!place->looked) {
        place->eno_pos = eno_tcp_eno_offset(place->tcp);
        place->looked = TRUE;
    }
    if (place->eno_pos < 0)
        return FALSE;
    gint pos = place->eno_pos + f->offset;
    if (pos >= (gint)tvb_captured_length(place->tcp))
        return FALSE;
    proto_item *it = proto_tree_add_expert_format(st, pinfo, eno_expert_for(f->rule, f->severity),
                                                  place->tcp, pos, 1, "%s: %s",
                                                  eno_rule_get(f->rule)->id, f->message);
    proto_item_set_generated(it);
    return TRUE;
}

static void render_status(proto_tree *st, proto_item *top, tvbuff_t *tvb, const eno_conn_hf *hf,
                          const eno_snapshot *v, const char *const who[2])
{
    const char *reason = eno_reason_name(v->o.reason);
    proto_item_append_text(top, ": %s", eno_status_name(v->o.status));
    add_string(st, hf->profile, tvb, eno_profile_name(v->o.profile));
    add_string(st, hf->open, tvb, eno_open_type_name(v->o.open));
    add_string(st, hf->status, tvb, eno_status_name(v->o.status));
    if (reason) {
        add_string(st, hf->reason, tvb, reason);
        proto_item_append_text(top, " (%s)", reason);
    }
    if (v->o.detail)
        add_string(st, hf->detail, tvb, v->o.detail);
    if (v->o.tep_valid) {
        const char *name = eno_tep_lookup(v->o.tep)->name;
        proto_item *it = proto_tree_add_uint_format_value(st, hf->tep, tvb, 0, 0, v->o.tep,
                                                          "0x%02x (%s)", v->o.tep, name);
        proto_item_set_generated(it);
        it = proto_tree_add_string(st, hf->tep_name, tvb, 0, 0, name);
        proto_item_set_generated(it);
        proto_item_set_hidden(it);
        proto_item_set_generated(proto_tree_add_boolean(st, hf->tep_v, tvb, 0, 0, v->o.tep_v));
        proto_item_append_text(top, ", TEP 0x%02x %s", v->o.tep, name);
    }
    if (v->o.syn_tep_valid) {
        proto_item *it = proto_tree_add_uint(st, hf->syn_tep, tvb, 0, 0, v->o.syn_tep);
        proto_item_append_text(it, " (%s; the last TEP in A's SYN, the one that may give "
                               "meaning to data in that SYN)", eno_tep_lookup(v->o.syn_tep)->name);
        proto_item_set_generated(it);
    }
    if (v->o.transcript_len)
        proto_item_set_generated(proto_tree_add_bytes_with_length(
            st, hf->transcript, tvb, 0, 0, v->o.transcript, (gint)v->o.transcript_len));
    for (int d = 0; d < 2; d++)
        add_frame(st, hf->syn_frame, tvb, v->o.syn_frame[d], "SYN", who[d]);
    for (int d = 0; d < 2; d++)
        add_frame(st, hf->synack_frame, tvb, v->o.synack_frame[d], "SYN-ACK", who[d]);
    /* Host A's first non-SYN segment completes the handshake. */
    for (int d = 0; d < 2; d++)
        add_frame(st, hf->ack_frame, tvb, v->o.ack_frame[d],
                  v->o.host_a == d ? "Completing ACK" : "First non-SYN segment", who[d]);
}

/* Under a finding shown on another frame than the one it concerns: that
 * frame, as a field (a link in the GUI). */
static void add_finding_frame(proto_item *finding, int hf, tvbuff_t *tvb, guint32 frame)
{
    proto_tree *t = proto_item_add_subtree(finding, ett_eno_finding);
    proto_item_set_generated(proto_tree_add_uint(t, hf, tvb, 0, 0, frame));
}

/* Expert text: the rule id and the analyzer's sentence; on the first pass,
 * a finding that concerns an earlier frame names it. */
static void add_finding(proto_tree *st, tvbuff_t *tvb, packet_info *pinfo, int hf,
                        const eno_finding *f, guint32 concerns, option_place *place)
{
    const eno_rule_info *info = eno_rule_get(f->rule);
    char where[48] = "";
    if (concerns != pinfo->num)
        snprintf(where, sizeof where, " (in frame %u)", concerns);
    proto_item *it = proto_tree_add_string_format_value(
        st, hf, tvb, 0, 0, info->id, "%s (%s)%s: %s", info->id, eno_severity_name(f->severity),
        where, f->message);
    proto_item_set_generated(it);
    if (concerns != pinfo->num)
        add_finding_frame(it, eno_hf.now.finding_frame, tvb, concerns);
    /* Syntax issues the option dissector showed at their bytes are not
     * repeated. */
    gboolean shown = info->area == ENO_AREA_SYNTAX && concerns == pinfo->num &&
                     eno_syntax_was_shown(pinfo, f->rule);
    if (!shown && !(concerns == pinfo->num && syntax_at_bytes(st, pinfo, f, place)))
        expert_add_info_format(pinfo, it, eno_expert_for(f->rule, f->severity), "%s: %s%s",
                               info->id, f->message, where);
}

static const char *const who[2] = {"client", "server"};

static const char *role_of(const eno_snapshot *v, int dir)
{
    return v->o.host_a < 0 ? "undecided" : v->o.host_a == dir ? "A" : "B";
}

/* One pass: the analysis as of this frame. */
void eno_render_view(proto_tree *tree, tvbuff_t *tvb, packet_info *pinfo, const frame_view *v,
                     tvbuff_t *tcp)
{
    const eno_snapshot *snap = v->snap;
    if (!snap)
        return;
    const eno_conn_hf *hf = &eno_hf.now;
    proto_item *top = proto_tree_add_item(tree, hf->tree, tvb, 0, 0, ENC_NA);
    proto_item_set_generated(top);
    proto_tree *st = proto_item_add_subtree(top, ett_eno_analysis);
    if (tree) {
        proto_item_set_generated(
            proto_tree_add_uint(st, hf->first_frame, tvb, 0, 0, v->track->first_frame));
        add_string(st, hf->sender, tvb, who[v->dir]);
        add_string(st, hf->role, tvb, role_of(snap, v->dir));
        if (v->full)
            render_status(st, top, tvb, hf, snap, who);
    }
    option_place place = {tcp, FALSE, -1};
    for (size_t i = 0; i < snap->n_findings; i++) {
        const eno_finding *f = &snap->findings[i];
        add_finding(st, tvb, pinfo, hf->finding, f, f->n_frames ? f->frames[0] :
                    v->track->first_frame, &place);
    }
}

/* Later passes: the whole connection, with this frame's part in it. */
void eno_render_connection(proto_tree *tree, tvbuff_t *tvb, packet_info *pinfo, eno_track *t,
                           int dir, const frame_findings *ff, tvbuff_t *tcp)
{
    const eno_conn_hf *hf = &eno_hf.outcome;
    proto_tree *st = NULL;
    if (tree) {
        eno_snapshot s;
        eno_result *r = wmem_new(pinfo->pool, eno_result);
        const eno_snapshot *o = eno_track_outcome(t, &s, r);
        proto_item *top = proto_tree_add_item(tree, hf->tree, tvb, 0, 0, ENC_NA);
        proto_item_set_generated(top);
        st = proto_item_add_subtree(top, ett_eno_outcome);
        proto_item_set_generated(
            proto_tree_add_uint(st, hf->first_frame, tvb, 0, 0, t->first_frame));
        /* This frame's sender, and its role as the whole capture shows it. */
        add_string(st, eno_hf.now.sender, tvb, who[dir]);
        add_string(st, eno_hf.now.role, tvb, role_of(o, dir));
        render_status(st, top, tvb, hf, o, who);
        /* The connection's other findings, by name and frame; this frame's
         * follow in full. */
        for (size_t i = 0; i < o->n_findings; i++) {
            const eno_finding *f = &o->findings[i];
            const eno_rule_info *info = eno_rule_get(f->rule);
            guint32 at = f->n_frames ? f->frames[0] : t->first_frame;
            if (at == pinfo->num)
                continue;
            proto_item *it = proto_tree_add_string_format_value(
                st, hf->finding, tvb, 0, 0, info->id, "%s (%s) in frame %u", info->id,
                eno_severity_name(f->severity), at);
            proto_item_set_generated(it);
            add_finding_frame(it, hf->finding_frame, tvb, at);
        }
    }
    if (!ff)
        return;
    option_place place = {tcp, FALSE, -1};
    eno_finding *f = wmem_new(pinfo->pool, eno_finding);
    for (size_t i = 0; i < ff->n; i++) {
        eno_kept_finding_expand(ff->items[i], f);
        add_finding(st, tvb, pinfo, eno_hf.now.finding, f, pinfo->num, &place);
    }
}
