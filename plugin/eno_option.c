/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Option dissection: the fields of one ENO option, from the engine's
 * decoder.  Kind 69 has its own handle; kinds 253 and 254 are shared with
 * every other experiment (TCP Fast Open, AccECN, ...), so the handles that
 * Wireshark registered for them are kept and get every option whose ExID is
 * not 0x454E, unchanged.
 */
#include <string.h>

#include "eno_plugin.h"

#include <epan/dissectors/packet-tcp.h>
#include <epan/proto_data.h>

static dissector_handle_t orig_exp_handle[2]; /* kinds 253, 254 */

/* Per-packet bookkeeping shared with the analysis: ENO options counted in
 * the segment, syntax rules shown at their bytes in the frame. */
typedef struct {
    unsigned options;
    guint8 shown[(ENO_RULE_COUNT + 7) / 8];
} packet_note;

/* For a TCP header that came through the TCP hook, the note lives here
 * rather than in pinfo's proto data: that is a list which every lookup in
 * the frame walks, TCP's own included, and the note would lengthen it on
 * every SYN with ENO.  The hook opens the segment before TCP dissects its
 * options (eno_option_segment_begin); frame numbers tell a later
 * dissection apart, and each dissection of a frame passes the hook first. */
static struct {
    guint32 frame;   /* the frame of the notes below; 0 none */
    gboolean open;   /* TCP is dissecting a hooked header of that frame */
    packet_note note;
} hooked;

eno_option_segment eno_option_segment_begin(packet_info *pinfo, gboolean first_header)
{
    eno_option_segment outer = {hooked.open && hooked.frame == pinfo->num,
                                hooked.note.options};
    if (first_header || hooked.frame != pinfo->num)
        memset(&hooked.note, 0, sizeof hooked.note);
    hooked.frame = pinfo->num;
    hooked.open = TRUE;
    hooked.note.options = 0;
    return outer;
}

void eno_option_segment_end(eno_option_segment outer)
{
    /* A header inside a hooked one (TCP over TCP) gives back its outer
     * header's count, which later options of the outer header would
     * continue (they precede its payload, so none do). */
    hooked.open = outer.open;
    hooked.note.options = outer.options;
}

/* Cleared with each file: frame numbers start again. */
void eno_option_cleanup(void)
{
    memset(&hooked, 0, sizeof hooked);
}

static packet_note *note_for(packet_info *pinfo)
{
    if (hooked.open && hooked.frame == pinfo->num)
        return &hooked.note;
    /* TCP called without the hook (by a dissector that holds TCP's own
     * handle): the note goes with the packet. */
    packet_note *n = (packet_note *)p_get_proto_data(pinfo->pool, pinfo, proto_eno, 0);
    if (!n) {
        n = wmem_new0(pinfo->pool, packet_note);
        p_add_proto_data(pinfo->pool, pinfo, proto_eno, 0, n);
    }
    return n;
}

void eno_note_syntax_shown(packet_info *pinfo, eno_rule_id rule)
{
    note_for(pinfo)->shown[rule / 8] |= (guint8)(1u << (rule % 8));
}

static gboolean note_has(const packet_note *n, eno_rule_id rule)
{
    return n && (n->shown[rule / 8] & (1u << (rule % 8))) != 0;
}

gboolean eno_syntax_was_shown(packet_info *pinfo, eno_rule_id rule)
{
    if (hooked.frame == pinfo->num && note_has(&hooked.note, rule))
        return TRUE;
    return note_has((const packet_note *)p_get_proto_data(pinfo->pool, pinfo, proto_eno, 0),
                    rule);
}

unsigned eno_count_option(packet_info *pinfo)
{
    return ++note_for(pinfo)->options;
}

/* The analyzer's sentence: the segment, then the engine's words for the
 * issue. */
static void add_issue(proto_tree *tree, packet_info *pinfo, tvbuff_t *tvb,
                      const eno_option *opt, const eno_syntax_issue *is, const char *what)
{
    eno_profile profile = eno_option_profile(opt);
    expert_field *ei = eno_expert_for(is->rule, eno_rule_severity(is->rule, profile));
    gint avail = (gint)tvb_captured_length(tvb);
    gint off = is->offset < avail ? is->offset : 0;
    gint len = is->length ? is->length : 1;
    if (off + len > avail)
        len = avail - off;
    char msg[ENO_MSG_MAX];
    eno_syntax_message(msg, sizeof msg, opt, is);
    proto_tree_add_expert_format(tree, pinfo, ei, tvb, off, len, "%s: %s: %s",
                                 eno_rule_get(is->rule)->id, what, msg);
    eno_note_syntax_shown(pinfo, is->rule);
}

static void add_global(proto_tree *tree, tvbuff_t *tvb, const eno_subopt *s)
{
    static int *const bits[] = {&eno_hf.global_b, &eno_hf.global_a, &eno_hf.global_z, NULL};
    proto_item *it = proto_tree_add_item(tree, eno_hf.suboption, tvb, s->offset, 1, ENC_NA);
    proto_item_set_text(it, "Global suboption 0x%02x: b=%u, a=%u%s", s->byte, s->b, s->a,
                        s->z ? ", reserved bits set" : "");
    proto_tree *st = proto_item_add_subtree(it, ett_eno_subopt);
    proto_tree_add_bitmask(st, tvb, s->offset, eno_hf.global, ett_eno_global, bits,
                           ENC_BIG_ENDIAN);
}

/* The TEP's name appears once: in the suboption's line (the name field is
 * there for filters, hidden). */
static void add_tep(proto_tree *tree, tvbuff_t *tvb, const eno_subopt *s)
{
    const eno_tep_info *t = eno_tep_lookup(s->tep);
    proto_item *it = proto_tree_add_item(tree, eno_hf.suboption, tvb, s->offset, s->size,
                                         ENC_NA);
    proto_item_set_text(it, "TEP 0x%02x (%s)%s%s", s->tep, t->name, s->v ? ", v=1" : "",
                        s->data_len ? ", with data" : "");
    proto_tree *st = proto_item_add_subtree(it, ett_eno_subopt);
    int at = s->offset;
    if (s->has_length_byte) {
        proto_tree_add_item(st, eno_hf.length_byte, tvb, at, 1, ENC_BIG_ENDIAN);
        at++;
    }
    proto_tree_add_item(st, eno_hf.tep, tvb, at, 1, ENC_BIG_ENDIAN);
    proto_item *gi = proto_tree_add_string(st, eno_hf.tep_name, tvb, at, 1, t->name);
    proto_item_set_generated(gi);
    proto_item_set_hidden(gi);
    proto_tree_add_item(st, eno_hf.tep_v, tvb, at, 1, ENC_BIG_ENDIAN);
    if (s->data_len) {
        gi = proto_tree_add_uint(st, eno_hf.data_len, tvb, s->data_offset, s->data_len,
                                 s->data_len);
        proto_item_set_generated(gi);
        proto_tree_add_item(st, eno_hf.data, tvb, s->data_offset, s->data_len, ENC_NA);
    }
}

static void add_summary(proto_item *top, const eno_option *opt)
{
    if (opt->encoding == ENO_ENC_EXID)
        proto_item_append_text(top, ", draft form (ExID 0x454E)");
    if (opt->form == ENO_FORM_NONSYN) {
        proto_item_append_text(top, ": non-SYN form, %u byte%s of contents",
                               opt->span - opt->contents_offset,
                               opt->span - opt->contents_offset == 1 ? "" : "s");
    } else {
        proto_item_append_text(top, ": b=%u, TEPs", opt->b);
        for (size_t i = 0; i < opt->n_subopts; i++)
            if (opt->subopts[i].kind == ENO_SUB_TEP)
                proto_item_append_text(top, " 0x%02x", opt->subopts[i].tep);
        if (!opt->n_tep)
            proto_item_append_text(top, " none");
    }
    if (opt->malformed)
        proto_item_append_text(top, " [malformed]");
}

/* Appends to the Info column.  col_append_str walks the column's text a
 * byte at a time to find its end (g_strlcat), about 600 instructions on
 * the long Info of a SYN; col_append_lstr finds it with strlen. */
static void info_append(packet_info *pinfo, const char *text)
{
    col_append_lstr(pinfo->cinfo, COL_INFO, text, COL_ADD_LSTR_TERMINATOR);
}

/* The Info column of a SYN segment: what TCP shows for an experimental
 * option (its ExID), then a short summary of the ENO option.  The summary
 * is put together here and appended once: col_append_fstr formats through
 * printf, a cost of its own on every SYN with ENO. */
static void add_info(packet_info *pinfo, const eno_option *opt, unsigned nth)
{
    if (opt->encoding == ENO_ENC_EXID)
        info_append(pinfo, " ExID=454E");
    if (opt->form != ENO_FORM_SYN || nth > 1)
        return;
    if (opt->malformed) {
        info_append(pinfo, " ENO=malformed");
        return;
    }
    static const char hex[] = "0123456789abcdef";
    char text[sizeof " ENO=b1:" + 3 * ENO_MAX_SUBOPTS + sizeof "none"];
    size_t n = 0;
    memcpy(text, " ENO=b", 6);
    n = 6;
    text[n++] = opt->b ? '1' : '0';
    text[n++] = ':';
    gboolean first = TRUE;
    for (size_t i = 0; i < opt->n_subopts; i++)
        if (opt->subopts[i].kind == ENO_SUB_TEP) {
            if (!first)
                text[n++] = ',';
            first = FALSE;
            text[n++] = hex[opt->subopts[i].tep >> 4];
            text[n++] = hex[opt->subopts[i].tep & 0xf];
        }
    if (!opt->n_tep) {
        memcpy(text + n, "none", 4);
        n += 4;
    }
    text[n] = '\0';
    info_append(pinfo, text);
}

static const char *segment_name(const struct tcpheader *tcph)
{
    if (!tcph)
        return "segment";
    if (!(tcph->th_flags & TH_SYN))
        return "non-SYN segment";
    return (tcph->th_flags & TH_ACK) ? "SYN-ACK" : "SYN";
}

static int dissect_eno(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data)
{
    const struct tcpheader *tcph = (const struct tcpheader *)data;
    guint caplen = tvb_captured_length(tvb);
    proto_item *top = proto_tree_add_item(tree, proto_eno, tvb, 0, -1, ENC_NA);
    proto_tree *ot = proto_item_add_subtree(top, ett_eno);
    proto_item *kind = proto_tree_add_item(ot, eno_hf.kind, tvb, 0, 1, ENC_BIG_ENDIAN);
    proto_tree_add_item(ot, eno_hf.len, tvb, 1, 1, ENC_BIG_ENDIAN);

    /* Only a SYN segment carries the SYN form; without the TCP header
     * (not called by the TCP dissector) the SYN form is assumed. */
    gboolean syn_form = tcph ? (tcph->th_flags & TH_SYN) != 0 : TRUE;
    unsigned nth = eno_count_option(pinfo);

    if (caplen < tvb_reported_length(tvb)) {
        proto_item_append_text(top, ": cut by the capture's snapshot length");
        return caplen;
    }
    eno_option decoded;
    eno_option *opt = &decoded;
    const guint8 *p = tvb_get_ptr(tvb, 0, caplen);
    if (!eno_option_decode(p, caplen, syn_form, opt))
        return 0;

    /* Without a tree (most frames of a one-pass tshark) only the Info
     * column and the expert infos remain: the fields are skipped, as each
     * costs a call even then.  The items above stay, so that a cut option
     * raises the same exception either way; the ones below lie within the
     * bytes the decoder read. */
    if (tree) {
        if (opt->encoding == ENO_ENC_EXID && caplen >= 4)
            proto_tree_add_item(ot, eno_hf.exid, tvb, 2, 2, ENC_BIG_ENDIAN);
        proto_item *gi = proto_tree_add_uint(ot, eno_hf.encoding, tvb, 0, 1, opt->encoding);
        proto_item_set_generated(gi);
        gi = proto_tree_add_uint(ot, eno_hf.form, tvb, 0, 0, opt->form);
        proto_item_set_generated(gi);
        add_summary(top, opt);
        if (opt->encoding == ENO_ENC_EXID)
            proto_item_append_text(kind, ", draft form of ENO");
    }
    add_info(pinfo, opt, nth);

    if (nth > 1 && syn_form) {
        /* A SYN segment with several ENO options counts as carrying none;
         * in a non-SYN segment several mean the same as one. */
        eno_profile profile = eno_option_profile(opt);
        if (tree)
            proto_tree_add_item(ot, eno_hf.extra, tvb, 0, caplen, ENC_NA);
        if (nth == 2) {
            /* Once per segment, in the analyzer's words. */
            unsigned count = eno_conn_eno_options(pinfo);
            proto_tree_add_expert_format(
                ot, pinfo,
                eno_expert_for(ENO_RULE_SYNTAX_MULTIPLE_ENO,
                               eno_rule_severity(ENO_RULE_SYNTAX_MULTIPLE_ENO, profile)),
                tvb, 0, caplen, "%s: %s carries %u ENO options; a receiver treats it as "
                "carrying none, so ENO is disabled", eno_rule_get(ENO_RULE_SYNTAX_MULTIPLE_ENO)->id,
                segment_name(tcph), count > nth ? count : nth);
        }
        eno_note_syntax_shown(pinfo, ENO_RULE_SYNTAX_MULTIPLE_ENO);
        return caplen;
    }

    if (tree && opt->form == ENO_FORM_SYN) {
        if (!opt->has_global) {
            proto_item *gi = proto_tree_add_uint_format_value(
                ot, eno_hf.global_implicit, tvb, 0, 0, 0,
                "0x00 (no global suboption sent: b=0 and a=0 are implied)");
            proto_item_set_generated(gi);
        }
        for (size_t i = 0; i < opt->n_subopts; i++) {
            const eno_subopt *s = &opt->subopts[i];
            if (s->kind == ENO_SUB_GLOBAL)
                add_global(ot, tvb, s);
            else
                add_tep(ot, tvb, s);
        }
    } else if (tree && opt->form != ENO_FORM_SYN && opt->span > opt->contents_offset) {
        proto_tree_add_item(ot, eno_hf.nonsyn, tvb, opt->contents_offset,
                            opt->span - opt->contents_offset, ENC_NA);
    }
    for (size_t i = 0; i < opt->n_issues; i++)
        add_issue(ot, pinfo, tvb, opt, &opt->issues[i], segment_name(tcph));
    if (opt->issues_dropped)
        proto_item_append_text(top, " [%zu more issues not shown]", opt->issues_dropped);
    return caplen;
}

/* Kinds 253 and 254: ENO when the ExID is 0x454E, else Wireshark's own. */
static int dissect_experimental(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data)
{
    if (tvb_captured_length(tvb) >= 4 && tvb_get_ntohs(tvb, 2) == ENO_EXID)
        return dissect_eno(tvb, pinfo, tree, data);
    dissector_handle_t orig = orig_exp_handle[tvb_get_uint8(tvb, 0) == ENO_KIND_EXP1 ? 0 : 1];
    if (orig)
        return call_dissector_only(orig, tvb, pinfo, tree, data);
    return 0;
}

void eno_option_handoff(void)
{
    dissector_table_t table = find_dissector_table("tcp.option");
    const guint kinds[2] = {ENO_KIND_EXP1, ENO_KIND_EXP2};

    dissector_add_uint("tcp.option", ENO_KIND, create_dissector_handle(dissect_eno, proto_eno));
    for (int i = 0; i < 2; i++) {
        orig_exp_handle[i] = dissector_get_uint_handle(table, kinds[i]);
        /* Keep the protocol of the handle we replace, so the option list
         * summary ("Experimental") and protocol accounting stay as they were. */
        int proto = orig_exp_handle[i] ? dissector_handle_get_protocol_index(orig_exp_handle[i])
                                       : proto_eno;
        dissector_add_uint("tcp.option", kinds[i],
                           create_dissector_handle(dissect_experimental, proto));
    }
}
