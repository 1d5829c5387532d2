/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ENO option codec: decoding (zero-copy, allocation-free, bounds-checked)
 * and encoding, for kind 69 and the draft-era experimental option
 * (kind 253/254 with ExID 0x454E); docs/protocol.md describes both.
 */
#ifndef ENO_OPTION_H
#define ENO_OPTION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "eno/rules.h"

#ifdef __cplusplus
extern "C" {
#endif

#define ENO_KIND 69
#define ENO_KIND_EXP1 253
#define ENO_KIND_EXP2 254
#define ENO_EXID 0x454E
#define ENO_KIND_TFO 34         /* TCP Fast Open */
#define ENO_EXID_TFO 0xF989     /* TCP Fast Open in the experimental option */
#define ENO_OPT_MAX 40          /* TCP option space */

/* TCP option kinds without a length byte. */
#define ENO_TCP_OPT_EOL 0       /* end of the option list */
#define ENO_TCP_OPT_NOP 1

/* The first byte of a suboption falls in one of four ranges
 * (docs/protocol.md, suboptions). */
#define ENO_SUB_GLOBAL_MAX 0x1f   /* 0x00-0x1f: the global suboption */
#define ENO_SUB_TEP_MAX 0x7f      /* 0x20-0x7f: a TEP identifier without data */
#define ENO_SUB_LENGTH_MAX 0x9f   /* 0x80-0x9f: a suboption-length byte 100nnnnn */
#define ENO_SUB_TEP_DATA_MIN 0xa0 /* 0xa0-0xff: a TEP identifier with v=1 */
#define ENO_SUB_LENGTH_BIT 0x80   /* marks a suboption-length byte */
#define ENO_SUB_LENGTH_MASK 0x1f  /* its nnnnn: data bytes minus one */
#define ENO_TEP_V 0x80            /* the v bit of a TEP identifier byte */
#define ENO_TEP_GLT 0x7f          /* the identifier (glt) without the v bit */
#define ENO_TEP_RESERVED_MIN 0x70 /* 0x70-0x7f: reserved for extended values */
/* The bits of the global suboption. */
#define ENO_GLOBAL_B 0x01         /* passive role bit */
#define ENO_GLOBAL_A 0x02         /* application-aware bit */
#define ENO_GLOBAL_Z 0x1c         /* reserved z1..z3 */
#define ENO_MAX_SUBOPTS 40
#define ENO_MAX_ISSUES 48

typedef enum {
    ENO_ENC_KIND69 = 0,
    ENO_ENC_EXID,               /* draft-era experimental option */
} eno_encoding;

typedef enum {
    ENO_FORM_SYN = 0,           /* suboption list */
    ENO_FORM_NONSYN,            /* opaque contents for the TEP */
} eno_form;

typedef enum {
    ENO_SUB_GLOBAL = 0,         /* 0x00-0x1f */
    ENO_SUB_TEP,                /* TEP identifier, maybe with data */
} eno_subopt_kind;

typedef struct {
    eno_subopt_kind kind;
    uint8_t offset;       /* offset in the option of the suboption's first byte
                             (its length byte when it has one) */
    uint8_t size;         /* bytes the suboption occupies, length byte included */
    uint8_t byte;         /* the global byte, or the TEP byte with its v bit */
    /* global suboption */
    bool a, b;
    uint8_t z;            /* z1..z3 as they stand in the byte (ENO_GLOBAL_Z) */
    /* TEP identifier */
    uint8_t tep;          /* glt: byte & ENO_TEP_GLT */
    bool v;
    bool has_length_byte;
    uint8_t length_byte;
    uint8_t data_offset;  /* offset in the option of the first data byte */
    uint8_t data_len;
} eno_subopt;

typedef struct {
    eno_rule_id rule;     /* one of the syntax.* rules */
    uint8_t offset;       /* offset in the option of the offending byte */
    uint8_t length;       /* bytes concerned (at least 1) */
    uint16_t value;       /* rule-specific detail: the byte, a count, ... */
    uint16_t value2;      /* second detail (e.g. bytes remaining) */
} eno_syntax_issue;

typedef struct {
    const uint8_t *bytes; /* the option, kind byte first (not copied) */
    size_t avail;         /* bytes available from bytes[0] */
    uint8_t kind;         /* 69, 253 or 254 */
    uint8_t len;          /* the option's length byte */
    uint8_t span;         /* bytes decoded: min(len, avail), at least the header */
    eno_encoding encoding;
    eno_form form;
    uint8_t contents_offset; /* 2, or 4 for the ExID form */
    bool malformed;       /* receivers treat the option as absent */

    size_t n_subopts;
    eno_subopt subopts[ENO_MAX_SUBOPTS]; /* entries past n_subopts: unspecified */

    /* derived from the SYN form */
    unsigned n_global;    /* global suboptions present */
    unsigned n_tep;       /* TEP identifier suboptions */
    bool has_global;      /* an explicit global suboption exists */
    uint8_t global;       /* the first global byte, or the implicit 0x00 */
    bool a, b;            /* from the first global suboption */

    size_t n_issues;
    size_t issues_dropped;
    eno_syntax_issue issues[ENO_MAX_ISSUES]; /* past n_issues: unspecified */
} eno_option;

/* True when the option at p (avail bytes, kind first) is ENO: kind 69, or
 * kind 253/254 whose bytes 2-3 are the ExID 0x454E.  The ExID test looks at
 * the bytes even when the length byte is below 4, so a too-short ExID form
 * is still recognised as ENO. */
bool eno_option_is_eno(const uint8_t *p, size_t avail);

/* Decodes the ENO option at p.  avail is the number of bytes from p to the
 * end of the TCP option space (it may be larger than the option).  syn_form
 * selects the SYN form (the segment has SYN set).  Returns false when p is
 * not an ENO option at all; otherwise fills out (issues included) and
 * returns true.  Never reads outside p[0..avail). */
bool eno_option_decode(const uint8_t *p, size_t avail, bool syn_form, eno_option *out);

/* The sentence explaining issue is of option o ("TEP identifier 0x75 at
 * offset 4 is reserved for extended values"), as the analyzer prints it
 * after the segment's name. */
void eno_syntax_message(char *buf, size_t cap, const eno_option *o, const eno_syntax_issue *is);

/* The rule profile that judges an option: the draft profile for the
 * experimental form, RFC 8547's for kind 69. */
eno_profile eno_option_profile(const eno_option *opt);

/* First TEP suboption whose identifier (v ignored) is tep, or NULL. */
const eno_subopt *eno_option_find_tep(const eno_option *opt, uint8_t tep);
/* Last TEP suboption of a SYN-form option, or NULL. */
const eno_subopt *eno_option_last_tep(const eno_option *opt);

/* ---- encoding ---- */

typedef struct {
    uint8_t buf[64];      /* room past 40 so hostile options can be built */
    size_t len;
    bool overflow;
    eno_encoding encoding;
} eno_builder;

/* kind is 253 or 254 for ENO_ENC_EXID (0 picks 253); ignored for kind 69. */
void eno_builder_init(eno_builder *b, eno_encoding enc, uint8_t kind);
void eno_builder_global(eno_builder *b, bool a_bit, bool b_bit, uint8_t z_bits);
/* A TEP suboption.  With data (n > 0) the v bit is forced on; with
 * length_byte a suboption-length byte is written in front (n must be 1..32). */
void eno_builder_tep(eno_builder *b, uint8_t tep, bool v, const uint8_t *data, size_t n,
                     bool length_byte);
void eno_builder_raw(eno_builder *b, const uint8_t *bytes, size_t n);
/* Writes the length byte; returns the option's size, or 0 on overflow. */
size_t eno_builder_finish(eno_builder *b);

/* ---- scanning a TCP option list ---- */

typedef struct {
    const uint8_t *eno;    /* first ENO option, or NULL */
    size_t eno_avail;      /* bytes from eno to the end of the option space */
    unsigned eno_count;    /* ENO options found */
    size_t second_offset;  /* offset of the second ENO option in the list */
    bool walk_stopped;     /* a malformed option length ended the walk early */
    const uint8_t *tfo;    /* first TCP Fast Open option (kind 34 or ExID 0xF989), or NULL */
    uint16_t other_exid;   /* ExID of the first experimental option that is not ENO, or 0 */
} eno_tcp_options;

/* Walks a TCP option list (the bytes after the fixed 20-byte header) as a
 * receiver would: EOL ends it, NOP is one byte, every other option has a
 * length byte; a length below 2 or past the end stops the walk. */
void eno_tcp_options_scan(const uint8_t *opts, size_t len, eno_tcp_options *out);

#ifdef __cplusplus
}
#endif
#endif
