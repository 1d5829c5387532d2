/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Protocol, header-field and subtree registration. */
#include <epan/proto.h>

#include "eno_plugin.h"

int proto_eno = -1;
int proto_eno_analysis = -1;
eno_hf_ids eno_hf;
int ett_eno = -1, ett_eno_subopt = -1, ett_eno_global = -1, ett_eno_analysis = -1,
    ett_eno_outcome = -1, ett_eno_finding = -1;

static const value_string encoding_vals[] = {
    {ENO_ENC_KIND69, "kind 69 (RFC 8547)"},
    {ENO_ENC_EXID, "draft form: experimental option with ExID 0x454E"},
    {0, NULL},
};

/* Named as Wireshark names the other option kinds ("Kind: Maximum Segment
 * Size (2)"). */
static const value_string kind_vals[] = {
    {ENO_KIND, "Encryption Negotiation"},
    {ENO_KIND_EXP1, "RFC3692-style Experiment 1"},
    {ENO_KIND_EXP2, "RFC3692-style Experiment 2"},
    {0, NULL},
};

static const value_string form_vals[] = {
    {ENO_FORM_SYN, "SYN form (suboptions)"},
    {ENO_FORM_NONSYN, "non-SYN form (contents for the TEP)"},
    {0, NULL},
};

#define HF(id, name, abbrev, type, disp, strings, mask, blurb)                                 \
    {&(id), {name, abbrev, type, disp, strings, mask, blurb, HFILL}}

static hf_register_info option_fields[] = {
    HF(eno_hf.kind, "Kind", "tcp.options.eno.kind", FT_UINT8, BASE_DEC, VALS(kind_vals), 0,
       NULL),
    HF(eno_hf.len, "Length", "tcp.options.eno.len", FT_UINT8, BASE_DEC, NULL, 0, NULL),
    HF(eno_hf.exid, "Experiment identifier", "tcp.options.eno.exid", FT_UINT16, BASE_HEX, NULL,
       0, "ExID 0x454E of the draft-era experimental encoding"),
    HF(eno_hf.encoding, "Encoding", "tcp.options.eno.encoding", FT_UINT8, BASE_DEC,
       VALS(encoding_vals), 0, NULL),
    HF(eno_hf.form, "Form", "tcp.options.eno.form", FT_UINT8, BASE_DEC, VALS(form_vals), 0,
       "SYN form in segments with SYN set, non-SYN form otherwise"),
    HF(eno_hf.suboption, "Suboption", "tcp.options.eno.suboption", FT_BYTES, BASE_NONE, NULL,
       0, NULL),
    HF(eno_hf.global, "Global suboption", "tcp.options.eno.global", FT_UINT8, BASE_HEX, NULL,
       0, NULL),
    HF(eno_hf.global_b, "b (passive role)", "tcp.options.eno.global.b", FT_BOOLEAN, 8, NULL,
       ENO_GLOBAL_B, "Set by host B"),
    HF(eno_hf.global_a, "a (application-aware)", "tcp.options.eno.global.a", FT_BOOLEAN, 8,
       NULL, ENO_GLOBAL_A, NULL),
    HF(eno_hf.global_z, "z1..z3 (reserved)", "tcp.options.eno.global.z", FT_UINT8, BASE_HEX,
       NULL, ENO_GLOBAL_Z, NULL),
    HF(eno_hf.global_implicit, "Implicit global suboption", "tcp.options.eno.global.implicit",
       FT_UINT8, BASE_HEX, NULL, 0, "No global suboption: b=0 and a=0 are implied"),
    HF(eno_hf.tep, "TEP identifier", "tcp.options.eno.tep", FT_UINT8, BASE_HEX, NULL,
       ENO_TEP_GLT, NULL),
    HF(eno_hf.tep_name, "TEP name", "tcp.options.eno.tep.name", FT_STRING, BASE_NONE, NULL, 0,
       NULL),
    HF(eno_hf.tep_v, "v (suboption data follows)", "tcp.options.eno.tep.v", FT_BOOLEAN, 8,
       NULL, ENO_TEP_V, NULL),
    HF(eno_hf.length_byte, "Suboption length byte", "tcp.options.eno.length_byte", FT_UINT8,
       BASE_HEX, NULL, 0, "100nnnnn: nnnnn+1 data bytes follow the TEP identifier"),
    HF(eno_hf.data_len, "Suboption data length", "tcp.options.eno.data_len", FT_UINT8,
       BASE_DEC, NULL, 0, NULL),
    HF(eno_hf.data, "Suboption data", "tcp.options.eno.data", FT_BYTES, BASE_NONE, NULL, 0,
       NULL),
    HF(eno_hf.nonsyn, "Non-SYN contents", "tcp.options.eno.nonsyn", FT_BYTES, BASE_NONE, NULL,
       0, "Contents of a non-SYN ENO option, for the negotiated TEP"),
    HF(eno_hf.extra, "Ignored ENO option", "tcp.options.eno.ignored", FT_BYTES, BASE_NONE, NULL,
       0, "A further ENO option in the same segment; only the first is used"),
};

/* The two sets of connection items differ only in their prefix. */
typedef struct {
    size_t off; /* offsetof in eno_conn_hf */
    const char *suffix, *name;
    enum ftenum type;
    int display;
    const void *strings;
    const char *blurb;
} conn_field;

#define CF(m, suffix, name, type, disp, blurb)                                                 \
    {offsetof(eno_conn_hf, m), suffix, name, type, disp, NULL, blurb}
#define CF_FRAME(m, suffix, name, kind)                                                        \
    {offsetof(eno_conn_hf, m), suffix, name, FT_FRAMENUM, BASE_NONE, FRAMENUM_TYPE(kind), NULL}

static const conn_field conn_fields[] = {
    CF(tree, "", "TCP-ENO connection", FT_NONE, BASE_NONE, NULL),
    CF(first_frame, ".first_frame", "Connection's first frame", FT_FRAMENUM, BASE_NONE, NULL),
    CF(sender, ".sender", "Sender", FT_STRING, BASE_NONE, "client or server"),
    CF(role, ".role", "Sender's role", FT_STRING, BASE_NONE,
       "Host A or host B (B is the host that sets the b bit), or undecided"),
    CF(profile, ".profile", "Rule profile", FT_STRING, BASE_NONE, "rfc8547 or draft"),
    CF(open, ".open", "Open", FT_STRING, BASE_NONE, "three-way, simultaneous or unknown"),
    CF(status, ".status", "Status", FT_STRING, BASE_NONE, NULL),
    CF(reason, ".reason", "Reason", FT_STRING, BASE_NONE, "Why ENO is disabled"),
    CF(detail, ".detail", "Detail", FT_STRING, BASE_NONE, NULL),
    CF(tep, ".tep", "Negotiated TEP", FT_UINT8, BASE_HEX, NULL),
    CF(tep_name, ".tep_name", "Negotiated TEP name", FT_STRING, BASE_NONE, NULL),
    CF(tep_v, ".tep_v", "Negotiated TEP v bit (as B sent it)", FT_BOOLEAN, BASE_NONE, NULL),
    CF(syn_tep, ".syn_tep", "SYN TEP", FT_UINT8, BASE_HEX,
       "The last TEP in A's SYN: the only TEP that may give meaning to data in that SYN"),
    CF(transcript, ".transcript", "Negotiation transcript", FT_BYTES, BASE_NONE,
       "A's SYN-form ENO option followed by B's"),
    CF_FRAME(syn_frame, ".syn_frame", "SYN", FT_FRAMENUM_REQUEST),
    CF_FRAME(synack_frame, ".synack_frame", "SYN-ACK", FT_FRAMENUM_RESPONSE),
    CF_FRAME(ack_frame, ".ack_frame", "First non-SYN segment (host A's: the completing ACK)",
             FT_FRAMENUM_ACK),
    CF(finding, ".finding", "Finding", FT_STRING, BASE_NONE, "Rule id of a finding"),
    CF(finding_frame, ".finding_frame", "Frame of the finding", FT_FRAMENUM, BASE_NONE,
       "The frame a finding shown on another frame concerns"),
};

#define N_CONN_FIELDS (sizeof conn_fields / sizeof conn_fields[0])

static void fill_conn_fields(hf_register_info *out, eno_conn_hf *ids, const char *prefix,
                             const char *title)
{
    for (size_t i = 0; i < N_CONN_FIELDS; i++) {
        const conn_field *f = &conn_fields[i];
        int *id = (int *)((char *)ids + f->off);
        *id = -1;
        out[i].p_id = id;
        out[i].hfinfo.name = f->suffix[0] ? f->name : title;
        out[i].hfinfo.abbrev = g_strconcat(prefix, f->suffix, NULL);
        out[i].hfinfo.type = f->type;
        out[i].hfinfo.display = f->display;
        out[i].hfinfo.strings = f->strings;
        out[i].hfinfo.bitmask = 0;
        out[i].hfinfo.blurb = f->blurb;
        out[i].hfinfo.id = -1;
        out[i].hfinfo.parent = 0;
        out[i].hfinfo.ref_type = HF_REF_TYPE_NONE;
        out[i].hfinfo.same_name_prev_id = -1;
        out[i].hfinfo.same_name_next = NULL;
    }
}

void eno_register_fields(void)
{
    int proto_tcp = proto_get_id_by_filter_name("tcp");
    static hf_register_info conn_hf[2 * N_CONN_FIELDS];
    static gint *ett[] = {&ett_eno, &ett_eno_subopt, &ett_eno_global, &ett_eno_analysis,
                          &ett_eno_outcome, &ett_eno_finding};

    proto_eno = proto_register_protocol_in_name_only(
        "TCP Option - Encryption Negotiation (TCP-ENO)", "TCP-ENO", "tcp.options.eno",
        proto_tcp, FT_BYTES);
    proto_eno_analysis = proto_register_protocol("TCP-ENO connection analysis",
                                                 "TCP-ENO analysis", "enoscope");

    proto_register_field_array(proto_eno_analysis, option_fields, array_length(option_fields));
    fill_conn_fields(conn_hf, &eno_hf.now, "tcp.options.eno.analysis",
                     "TCP-ENO analysis (as of this frame)");
    fill_conn_fields(conn_hf + N_CONN_FIELDS, &eno_hf.outcome, "tcp.options.eno.outcome",
                     "TCP-ENO analysis (whole capture)");
    proto_register_field_array(proto_eno_analysis, conn_hf, array_length(conn_hf));
    proto_register_subtree_array(ett, array_length(ett));
}
