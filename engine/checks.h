/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Evaluation state shared by evaluate.c and the rule checks; internal. */
#ifndef ENO_CHECKS_H
#define ENO_CHECKS_H

#include "conn_internal.h"
#include "eno/engine.h"

/* One endpoint's SYN-form negotiation option, decoded. */
typedef struct {
    bool seen;           /* the SYN segment it comes from was captured */
    bool present;        /* it carried an ENO option */
    bool malformed;      /* malformed, or one of several ENO options: the
                            receiver treats the SYN as carrying none */
    bool multiple;       /* the SYN carried several ENO options */
    bool truncated;      /* its options were cut: not judged */
    bool dropped;        /* a retransmitted SYN-only dropped it */
    eno_option opt;
} eno_neg;

typedef struct {
    const eno_conn *c;
    eno_result *r;
    const eno_seg_record *rec[2]; /* the segment each eno_neg comes from */
    eno_neg neg[2];
} eno_eval;

/* Findings that depend on single segments: syntax, capture, legacy,
 * retransmissions and simultaneous-open consistency. */
void enoi_check_segments(eno_eval *ev);
/* Findings that depend on the negotiated outcome: roles, TEP choice,
 * completing ACK, enablement and SYN data. */
void enoi_check_outcome(eno_eval *ev);

#endif
