/* SPDX-License-Identifier: GPL-2.0-or-later */
/* TEP identifier registry (docs/protocol.md, TEP identifiers). */
#ifndef ENO_TEP_H
#define ENO_TEP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    ENO_TEP_ASSIGNED = 0,
    ENO_TEP_EXPERIMENTAL,     /* 0x20 */
    ENO_TEP_UNREGISTERED,     /* used by prototypes, never registered (0x30) */
    ENO_TEP_UNASSIGNED,
    ENO_TEP_RESERVED,         /* 0x70-0x7f */
} eno_tep_class;

typedef enum {
    ENO_SYNDATA_UNKNOWN = 0,  /* the registry cannot tell */
    ENO_SYNDATA_NONE,         /* the TEP defines no data in SYN segments */
    ENO_SYNDATA_DEFINED,
} eno_syndata;

typedef struct {
    const uint8_t *bytes;
    size_t len;
} eno_magic;

typedef struct {
    uint8_t id;               /* 0x20-0x7f */
    const char *name;         /* "TCPCRYPT_ECDHE_P256", "unassigned", ... */
    const char *reference;    /* "RFC 8548", or "" */
    eno_tep_class cls;
    eno_syndata syn_data;
    /* Opening messages of a fresh session (v=0), when known: host A's and
     * host B's first payload must start with these bytes.  len 0: unknown. */
    eno_magic open_a, open_b;
    const char *open_a_name, *open_b_name; /* "tcpcrypt INIT1", ... */
    /* Whether the opening messages are specific to this TEP (tcpcrypt's
     * magics are; a TLS record header is not), so seeing one on a
     * connection where ENO is disabled means the hosts disagree. */
    bool open_distinctive;
    /* Size of the suboption data that offers resumption (tcpcrypt: 9,
     * unconfirmed); 0 when the TEP defines no suboption data rules. */
    size_t resume_data_len;
} eno_tep_info;

/* Information about glt (v bit ignored).  Never NULL: identifiers outside
 * the table get a generic "unassigned" or "reserved" entry; values below
 * 0x20 are not TEP identifiers and get a "not a TEP" entry. */
const eno_tep_info *eno_tep_lookup(uint8_t glt);

/* The TEP whose distinctive opening message (see open_distinctive) starts
 * the payload bytes p[0..n), or NULL.  *host_a tells whether it is host A's
 * message (tcpcrypt INIT1) or host B's (INIT2). */
const eno_tep_info *eno_tep_find_opening(const uint8_t *p, size_t n, bool *host_a);

#ifdef __cplusplus
}
#endif
#endif
