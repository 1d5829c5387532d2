/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The reference negotiation engine.  It knows nothing of pcap or Wireshark:
 * a front end feeds it one connection's segments from both directions in
 * capture order and reads back the outcome and the findings.
 *
 * Endpoints are numbered 0 and 1 by the caller (the analyzer uses 0 for the
 * sender of the first segment it saw).  Host roles A and B are derived.
 */
#ifndef ENO_ENGINE_H
#define ENO_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "eno/option.h"
#include "eno/rules.h"
#include "eno/tep.h"

#ifdef __cplusplus
extern "C" {
#endif

#define ENO_TCP_FIN 0x01
#define ENO_TCP_SYN 0x02
#define ENO_TCP_RST 0x04
#define ENO_TCP_PSH 0x08
#define ENO_TCP_ACK 0x10

#define ENO_PAYLOAD_HEAD 16     /* payload bytes the engine keeps and needs */
#define ENO_MAX_FINDINGS 32
#define ENO_MSG_MAX 256
#define ENO_MAX_FINDING_FRAMES 3
#define ENO_TRANSCRIPT_MAX (2 * ENO_OPT_MAX)

/* One TCP segment as the engine sees it. */
typedef struct {
    uint32_t frame;           /* 1-based frame number */
    int dir;                  /* sending endpoint: 0 or 1 */
    uint8_t flags;            /* ENO_TCP_* */
    uint32_t seq, ack;
    uint32_t payload_len;     /* on-wire payload length */
    const uint8_t *payload;   /* first captured payload bytes (may be NULL) */
    size_t payload_caplen;    /* how many of them are available */

    /* ENO: the first ENO option (kind byte first) with the bytes left to the
     * end of the option space, or NULL when the segment has none. */
    const uint8_t *eno;
    size_t eno_avail;
    unsigned eno_count;       /* ENO options in the segment (0 when eno is NULL) */
    bool options_truncated;   /* the snapshot length cut the TCP options */

    /* TCP Fast Open: the first TFO option's kind (34, or 253/254 with ExID
     * 0xF989; 0 when none) and its length byte (the bare header: a cookie
     * request). */
    uint8_t tfo_kind, tfo_len;
    /* ExID of the first experimental option (kind 253/254) that is not ENO,
     * 0 when none: what may stand where a middlebox replaced ENO. */
    uint16_t other_exid;
} eno_segment;

/* Fills the ENO fields of seg from a TCP option list. */
void eno_segment_set_options(eno_segment *seg, const uint8_t *opts, size_t len, bool truncated);

typedef enum {
    ENO_OPEN_UNKNOWN = 0,
    ENO_OPEN_THREE_WAY,
    ENO_OPEN_SIMULTANEOUS,
} eno_open_type;

/* Statuses and reasons: see outcomes.def.  INCOMPLETE and NONE are 0, so
 * a zeroed result is undecided. */
typedef enum {
#define ENO_STATUS(sym, name, rank, tone) ENO_STATUS_##sym,
#define ENO_REASON(sym, name)
#include "eno/outcomes.def"
#undef ENO_STATUS
#undef ENO_REASON
    ENO_STATUS_COUNT
} eno_status;

typedef enum {
#define ENO_STATUS(sym, name, rank, tone)
#define ENO_REASON(sym, name) ENO_REASON_##sym,
#include "eno/outcomes.def"
#undef ENO_STATUS
#undef ENO_REASON
    ENO_REASON_COUNT
} eno_reason;

/* How a status should strike a reader; a front end picks its colours. */
typedef enum {
    ENO_TONE_GOOD = 0,
    ENO_TONE_CAUTION,
    ENO_TONE_QUIET,
    ENO_TONE_PENDING,
} eno_tone;

const char *eno_open_type_name(eno_open_type t);   /* "three-way", "simultaneous", "unknown" */
const char *eno_status_name(eno_status s);         /* "encrypted", "disabled", ... */
const char *eno_reason_name(eno_reason r);         /* "peer-no-eno", ...; NULL for NONE */
/* The status summaries list at place rank (0 .. ENO_STATUS_COUNT-1). */
eno_status eno_status_at_rank(unsigned rank);
eno_tone eno_status_tone(eno_status s);

typedef struct {
    eno_rule_id rule;
    eno_severity severity;    /* for the connection's profile */
    int dir;                  /* endpoint at fault, -1 when not one side's */
    uint32_t frames[ENO_MAX_FINDING_FRAMES]; /* the frame judged first */
    unsigned n_frames;
    int offset;               /* byte offset in the ENO option, -1 if none */
    char message[ENO_MSG_MAX];
} eno_finding;

/* What one endpoint showed in its SYN-form option. */
typedef struct {
    bool eno;                 /* a usable SYN-form ENO option */
    bool malformed;           /* it sent one that was malformed */
    bool a, b;
    bool b_explicit;          /* b came from an explicit global suboption */
    uint8_t z;
    bool is_active;           /* sent a SYN-only */
} eno_host_bits;

/* The outcome of a connection: every scalar the engine decides.  Written
 * once as a macro so that eno_result can hold it both as one member
 * (outcome, for a front end that keeps outcomes) and as direct members
 * (r->status).  A field added here needs no copying code anywhere. */
#define ENO_OUTCOME_FIELDS                                                                    \
    eno_open_type open;                                                                       \
    eno_profile profile;                                                                      \
    eno_status status;                                                                        \
    eno_reason reason;                                                                        \
    const char *detail;       /* one sentence explaining the status (static storage) */       \
                                                                                              \
    int host_a;               /* endpoint that is host A, -1 when undecided */                \
    int active;               /* the active opener of a three-way handshake, else -1 */       \
    eno_host_bits host[2];    /* per endpoint */                                              \
                                                                                              \
    bool tep_valid;           /* a TEP was negotiated */                                      \
    uint8_t tep;              /* its identifier (glt) */                                      \
    uint8_t tep_byte_b;       /* the byte as B sent it, v bit included */                     \
    bool tep_v;               /* v bit as B sent it */                                        \
    uint8_t tep_data[2][ENO_OPT_MAX]; /* per endpoint, the negotiated TEP's data */           \
    uint8_t tep_data_len[2];                                                                  \
    bool tep_data_present[2];                                                                 \
                                                                                              \
    bool syn_tep_valid;       /* the last TEP in A's SYN */                                   \
    uint8_t syn_tep;                                                                          \
                                                                                              \
    uint8_t transcript[ENO_TRANSCRIPT_MAX]; /* A's SYN-form option, then B's */               \
    size_t transcript_len;                                                                    \
                                                                                              \
    uint32_t syn_frame[2];    /* per endpoint: first SYN-only, 0 when none */                 \
    uint32_t synack_frame[2]; /* per endpoint: first SYN-ACK, 0 when none */                  \
    uint32_t ack_frame[2];    /* per endpoint: first non-SYN segment, 0 when none */

typedef struct {
    ENO_OUTCOME_FIELDS
} eno_outcome;

/* What eno_conn_evaluate returns: the outcome, then the findings. */
typedef struct {
    union {
        eno_outcome outcome;
        struct {
            ENO_OUTCOME_FIELDS
        };
    };
    size_t n_findings;
    size_t findings_dropped;
    eno_finding findings[ENO_MAX_FINDINGS];
} eno_result;

/* Per-connection state: opaque, of fixed size (eno_conn_size()), never
 * allocating: a front end may keep many of them in memory of its own. */
typedef struct eno_conn eno_conn;

size_t eno_conn_size(void);

typedef enum {
    ENO_ADD_OK = 0,
    ENO_ADD_NEW_CONNECTION,   /* a SYN-only with a new ISN: port reuse; the
                                 segment was not taken, start a new eno_conn */
    ENO_ADD_IGNORED,          /* irrelevant (after the conn settled) */
} eno_add_result;

void eno_conn_init(eno_conn *c);
eno_add_result eno_conn_add(eno_conn *c, const eno_segment *seg);
/* True once no further segment can change the outcome or the findings. */
bool eno_conn_settled(const eno_conn *c);
/* Computes the outcome and findings from what the connection has seen so
 * far.  Missing segments give status incomplete, never a false finding.
 * Only the first n_findings entries of out->findings are written. */
void eno_conn_evaluate(const eno_conn *c, eno_result *out);

/* The compact form of a connection that has taken only its first segment,
 * a SYN-only or a SYN-ACK (as every connection of a SYN flood): at most
 * ENO_CONN_PACK_MAX bytes, 10 for a SYN without ENO or TFO, against
 * eno_conn_size() for the whole state.  eno_conn_pack writes it to buf and
 * returns its length, or returns 0 when c is in any other state or cap is
 * too small (keep the eno_conn then).  eno_conn_unpack rebuilds the
 * eno_conn it came from, which evaluates and takes further segments as the
 * original would; false when the bytes are not such a form. */
#define ENO_CONN_PACK_MAX (1 + 4 + 1 + 4 + 4 + 4 + 2 + 2 + 2 + ENO_OPT_MAX)
size_t eno_conn_pack(const eno_conn *c, uint8_t *buf, size_t cap);
bool eno_conn_unpack(eno_conn *c, const uint8_t *buf, size_t len);

/* Convenience: a whole handshake at once. */
void eno_negotiate(const eno_segment *segs, size_t n, eno_result *out);

/* The library's version string, "MAJOR.MINOR.PATCH". */
const char *eno_version(void);

#ifdef __cplusplus
}
#endif
#endif
