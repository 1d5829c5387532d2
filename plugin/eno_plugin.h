/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Shared declarations of the TCP-ENO Wireshark plugin: protocol, field and
 * subtree ids (eno_fields.c), expert infos (eno_expert.c), the option
 * dissector (eno_option.c), the connection analysis (eno_conn.c and the
 * files of eno_conn.h), the hook that feeds it (eno_tcp_hook.c) and the
 * statistics tap (eno_stats.c).
 */
#ifndef ENO_PLUGIN_H
#define ENO_PLUGIN_H

#include <epan/expert.h>
#include <epan/packet.h>

#include "eno_ws_compat.h"

#include "eno/eno.h"

/* Protocols: the option (a TCP option protocol in name only, filter
 * "tcp.options.eno") and the analysis post-dissector. */
extern int proto_eno;
extern int proto_eno_analysis;

/* Generated per-connection items: one set for "as of this frame" (one
 * pass), one for the connection's outcome (on every frame of the connection
 * once the capture has been read: two-pass tshark, or the Wireshark GUI).
 * A frame's sender, role and findings use the first set in both. */
typedef struct {
    int tree, first_frame, sender, role, profile, open, status, reason, detail;
    int tep, tep_name, tep_v, syn_tep, transcript;
    int syn_frame, synack_frame, ack_frame, finding, finding_frame;
} eno_conn_hf;

typedef struct {
    /* option */
    int kind, len, exid, encoding, form, suboption, global, global_b, global_a, global_z,
        global_implicit, tep, tep_name, tep_v, length_byte, data_len, data, nonsyn, extra;
    eno_conn_hf now, outcome;
} eno_hf_ids;

extern eno_hf_ids eno_hf;
extern int ett_eno, ett_eno_subopt, ett_eno_global, ett_eno_analysis, ett_eno_outcome,
    ett_eno_finding;

void eno_register_fields(void);

/* Expert infos: one per catalog rule, with the rfc8547 severity; rules whose
 * draft-profile severity differs get a second field of the same name. */
void eno_register_experts(void);
expert_field *eno_expert_for(eno_rule_id rule, eno_severity severity);

/* Option dissector: kind 69, and kind 253/254 with ExID 0x454E; other
 * experimental options go to the handle Wireshark had registered. */
void eno_option_handoff(void);

/* Per-packet note from the option dissector to the analysis: syntax rules
 * already shown at the option's bytes in this frame. */
void eno_note_syntax_shown(packet_info *pinfo, eno_rule_id rule);
gboolean eno_syntax_was_shown(packet_info *pinfo, eno_rule_id rule);
unsigned eno_count_option(packet_info *pinfo);
/* The TCP hook opens each TCP header it hands to TCP (first_header: the
 * frame's first) and closes it when TCP returns, with what begin gave. */
typedef struct {
    gboolean open;
    unsigned options;
} eno_option_segment;
eno_option_segment eno_option_segment_begin(packet_info *pinfo, gboolean first_header);
void eno_option_segment_end(eno_option_segment outer);
void eno_option_cleanup(void);

/* Connection analysis: handed the tvb of each frame's first TCP header
 * (ICMP-quoted ones excluded) by the TCP hook before TCP dissects it; a
 * post-dissector feeds the engine and draws the analysis. */
void eno_conn_register(void);
void eno_conn_segment(tvbuff_t *tcp, packet_info *pinfo, proto_tree *top);
/* ENO options in the frame's TCP header (0 when it is not at hand). */
unsigned eno_conn_eno_options(packet_info *pinfo);

/* The TCP hook: wraps TCP's handle in the "ip.proto" table. */
void eno_tcp_hook_register(void);
void eno_tcp_hook_handoff(void);

/* What the statistics tap receives: one connection's outcome moving from
 * one state (prev, absent for a new connection) to another. */
typedef struct {
    eno_status status;
    eno_reason reason;
    gboolean tep_valid;
    guint8 tep;
} eno_outcome_key;

typedef struct {
    gboolean has_prev;
    eno_outcome_key prev, now;
} eno_stats_event;

extern int eno_tap;
void eno_stats_register(void);

#endif
