/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Internal declarations of the connection analysis: the TCP segment as read
 * from its header (eno_segment.c), the connection table (eno_flows.c), what
 * one frame shows (eno_conn.c) and how it is drawn (eno_render.c).
 */
#ifndef ENO_CONN_H
#define ENO_CONN_H

#include "eno_plugin.h"

/* One TCP segment as read from the TCP header at the start of a tvb. */
typedef struct {
    eno_tcp_header h;    /* ports, header length, the captured bytes */
    gint eno_offset;     /* of the first ENO option in the tvb, -1 if none
                            (set by eno_tcp_read_options) */
    eno_segment seg;     /* dir is left for the caller */
} eno_tcp_seg;

/* The fixed header: ports, seq, ack, flags, payload length.  FALSE when
 * the header is not one the analysis takes: shorter than 20 bytes, a bogus
 * data offset, or a segment whose length is unknown (an IP fragment that
 * was not reassembled, a header quoted by ICMP); TCP itself computes no
 * segment length (tcp.len) for those either. */
gboolean eno_tcp_read_header(tvbuff_t *tvb, packet_info *pinfo, eno_tcp_seg *out);
/* The option list and the first payload bytes, after eno_tcp_read_header
 * (while the frame's data is there). */
void eno_tcp_read_options(eno_tcp_seg *s);
/* Offset of the first ENO option in a header eno_tcp_read_header took,
 * -1 when it has none. */
gint eno_tcp_eno_offset(tvbuff_t *tvb);

/* The analysis at one point: as of a frame, or for the whole capture (the
 * outcome).  The engine's outcome is kept whole. */
typedef struct {
    eno_outcome o;
    size_t n_findings;      /* the findings shown (in a frame: the new ones) */
    const eno_finding *findings;
} eno_snapshot;

typedef struct {
    eno_rule_id rule;
    guint32 frame;
    int dir, offset;
} finding_key;

/* One connection: the engine's state and what has been shown of it.
 * Memory per connection is what a SYN flood costs, so it is kept small:
 * - the engine's state (about 1 KB) exists only while a connection that
 *   has had a second segment can still change.  Until then (a SYN that
 *   nothing answers, most of a flood) the engine's compact form of it is
 *   kept instead (eno_conn_pack: 10 bytes for a SYN without ENO, plus the
 *   option space of an ENO option), from which the state is rebuilt when
 *   another segment comes, or for the outcome;
 * - once the connection settles, or a new one replaces it on its flow, the
 *   state is freed and its final outcome kept instead: in full for a
 *   connection with ENO items, else only what the statistics count (the
 *   outcome's key, in last_*).
 * The flow's state (flow: its client and the ISNs of the SYN-only
 * segments, for port reuse) stays. */
typedef struct eno_packed_outcome_s eno_packed_outcome;

typedef enum {
    ENO_HELD_NOTHING = 0, /* a new connection, before its first segment */
    ENO_HELD_FIRST,       /* held.first */
    ENO_HELD_CONN,        /* held.conn */
    ENO_HELD_OUTCOME,     /* held.outcome */
    ENO_HELD_KEY,         /* final, without ENO items: only the outcome's key,
                             in last_* (held unused) */
} eno_held;

typedef struct eno_track_s {
    union {
        const guint8 *first;         /* the compact form of its state after its
                                        first segment: a length byte, then
                                        the form, until conn is made */
        eno_conn *conn;              /* the engine's state (g_malloc) */
        const eno_packed_outcome *outcome; /* the final outcome, once
                                        settled (with ENO items; eno_conn.c) */
    } held;
    struct eno_track_s *prev;    /* the flow's previous connection, for frames
                                    shown after it was replaced */
    finding_key *shown;          /* findings already shown (n_shown, up to
                                    ENO_MAX_FINDINGS) */
    eno_flow_state flow;         /* the engine's view of the flow: client, ISNs */
    guint32 first_frame;
    guint8 n_shown;
    unsigned eno : 1;            /* ENO in some segment, or a finding: only
                                    such connections get ENO items */
    unsigned have_last : 1;
    unsigned holds : 3;          /* eno_held: what held is */
    unsigned last_tep_valid : 1;
    unsigned unjudged : 1;       /* its lone first segment not evaluated yet:
                                    its findings are not placed (eno_conn.c) */
    /* with last_tep_valid: the outcome last reported to the tap
     * (eno_outcome_key, packed) */
    guint8 last_status, last_reason, last_tep;
} eno_track;

/* A flow (two addresses and ports) in the connection table (eno_flows.c):
 * its current connection.  The pointer is good until the next
 * eno_flow_start(). */
typedef struct {
    eno_track *track;
    gboolean settled; /* the connection has settled (eno_flow_settle) */
    guint32 hash;     /* the table's */
} eno_flow;

/* Which flow a segment belongs to, and which end sent it. */
#define ENO_FLOW_KEY_WORDS 5
typedef struct {
    guint64 key[ENO_FLOW_KEY_WORDS]; /* addresses and ports (eno_flows.c) */
    guint32 hash;
    int sender;       /* key side of the sender */
    gboolean same;    /* both ends identical: a connection to itself */
} eno_flow_id;

/* The table lives while a file is open. */
void eno_flows_register(void);
/* The segment's flow, from the IP addresses in pinfo->src and dst (set
 * them aside before protocols above TCP can change them); FALSE when they
 * cannot be keyed, or when the segment cannot change any connection: it
 * has no SYN, and no flow of its hash bucket has a connection that has not
 * settled (most segments, which the analysis then skips at once).  Starts
 * fetching the flow's place in the table, so that it is in the CPU's cache
 * when looked up after the frame's dissection. */
gboolean eno_flow_identify(packet_info *pinfo, const eno_tcp_seg *s, eno_flow_id *id);
/* The flow of a segment eno_flow_identify() took, or NULL when the flow
 * has no connection. */
eno_flow *eno_flow_find(const eno_flow_id *id);
/* Starts a new connection on the flow with seg, replacing the flow's
 * current one (eno_flow_begin); it has no engine state yet. */
eno_flow *eno_flow_start(const eno_flow_id *id, const eno_segment *seg);
/* Marks the flow's connection settled (eno_conn_settled()). */
void eno_flow_settle(eno_flow *f);
/* Later passes: the connection a segment belongs to, whatever its flags,
 * and its sender's endpoint (0: client), or NULL. */
eno_track *eno_flow_lookup(packet_info *pinfo, const eno_tcp_seg *s, int *dir);

/* What one frame shows on the first pass, for its own dissection only
 * (pinfo->pool): later passes show the connection's outcome instead.
 * Most frames with a view only count for the statistics (a connection's
 * SYN): they carry no snapshot. */
typedef struct {
    eno_track *track;
    int dir;                  /* sender: 0 client, 1 server */
    gboolean full;            /* status items (SYN-ACK, first non-SYN, status changes) */
    gboolean counted;         /* a stats event */
    eno_stats_event event;
    const eno_snapshot *snap; /* NULL when nothing is drawn */
} frame_view;

/* Draws a frame's view (items as of this frame, with expert infos) and a
 * connection's outcome.  tcp is the frame's TCP header, where syntax
 * findings are placed, or NULL. */
void eno_render_view(proto_tree *tree, tvbuff_t *tvb, packet_info *pinfo, const frame_view *v,
                     tvbuff_t *tcp);
/* Later passes: the connection's outcome with this frame's part in it (its
 * sender, and the findings that concern it). */
/* A finding as kept for later passes: an eno_finding whose message takes
 * only its own length (most are a fraction of ENO_MSG_MAX). */
typedef struct {
    eno_rule_id rule;
    eno_severity severity;
    int dir, offset;
    guint32 frames[ENO_MAX_FINDING_FRAMES];
    unsigned n_frames;
    char message[];
} eno_kept_finding;
/* The eno_finding a kept one stands for. */
void eno_kept_finding_expand(const eno_kept_finding *k, eno_finding *f);

typedef struct {
    guint n, size;                /* items, slots (ENO_MAX_FINDINGS at most) */
    const eno_kept_finding *items[];
} frame_findings;
void eno_render_connection(proto_tree *tree, tvbuff_t *tvb, packet_info *pinfo, eno_track *t,
                           int dir, const frame_findings *ff, tvbuff_t *tcp);
/* The whole-capture outcome of a connection (its engine state evaluated
 * when the capture ended before it settled); s and r are scratch space. */
const eno_snapshot *eno_track_outcome(eno_track *t, eno_snapshot *s, eno_result *r);

#endif
