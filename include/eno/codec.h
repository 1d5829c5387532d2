/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * From the bytes of a TCP header to an eno_segment, for both front ends.
 * Two calls, so that a front end can leave out the options of the many
 * segments it does not track: the fixed header first (what a connection
 * table needs), then the options and the payload head.
 */
#ifndef ENO_CODEC_H
#define ENO_CODEC_H

#include <stddef.h>
#include <stdint.h>

#include "eno/engine.h"

#ifdef __cplusplus
extern "C" {
#endif

#define ENO_TCP_MIN_HEADER 20

typedef enum {
    ENO_TCP_OK = 0,
    ENO_TCP_SHORT,            /* fewer than 20 bytes captured */
    ENO_TCP_BAD_LENGTH,       /* data offset below 20 bytes, or past the segment's end */
} eno_tcp_status;

/* A TCP header as eno_tcp_parse_header read it. */
typedef struct {
    const uint8_t *bytes;     /* the header's first byte (not copied) */
    size_t caplen;            /* bytes captured from there, within the segment */
    size_t hlen;              /* header length from the data offset */
    uint16_t sport, dport;
} eno_tcp_header;

/* Reads the fixed header of the segment whose first caplen bytes were
 * captured at tcp; seg_len is its length (header and payload) as the IP
 * layer states it.  Clears seg and sets its flags (ENO_TCP_* only), seq,
 * ack and payload_len; frame and dir are the caller's.  h and seg are
 * left unspecified unless it returns ENO_TCP_OK. */
eno_tcp_status eno_tcp_parse_header(const uint8_t *tcp, size_t caplen, size_t seg_len,
                                    eno_tcp_header *h, eno_segment *seg);

/* Completes seg from its header: the ENO option of the option list (the
 * part captured; options_truncated when the snapshot length cut it) and
 * the first ENO_PAYLOAD_HEAD captured payload bytes. */
void eno_tcp_parse_options(const eno_tcp_header *h, eno_segment *seg);

#ifdef __cplusplus
}
#endif
#endif
