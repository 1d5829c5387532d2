/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The ENO option codec: decoding of both encodings and forms, every
 * syntax rule with its offset, the encoder, the TCP option walk, and a
 * bounded exhaustive plus random decode of hostile byte strings.
 */
#include <glib.h>
#include <string.h>

#include "helpers.h"

/* A decoded option whose bytes live in a heap block of exactly avail
 * bytes, so that the sanitizer catches any read past avail.  Option space
 * after the option is part of the hex. */
typedef struct {
    uint8_t *mem;
    const uint8_t *p;
    size_t n;
    eno_option o;
    bool ok;
} dec;

static void dec_hex(dec *d, const char *hex, bool syn)
{
    uint8_t tmp[256];
    d->n = t_hex(hex, tmp, sizeof tmp);
    d->mem = g_malloc(d->n ? d->n : 1);
    memcpy(d->mem, tmp, d->n);
    d->p = d->mem;
    d->ok = eno_option_decode(d->p, d->n, syn, &d->o);
}

static void dec_free(dec *d)
{
    g_free(d->mem);
}

static unsigned issues_of(const eno_option *o, eno_rule_id rule)
{
    unsigned n = 0;
    for (size_t i = 0; i < o->n_issues; i++)
        n += o->issues[i].rule == rule;
    return n;
}

static const eno_syntax_issue *issue_of(const eno_option *o, eno_rule_id rule)
{
    for (size_t i = 0; i < o->n_issues; i++)
        if (o->issues[i].rule == rule)
            return &o->issues[i];
    return NULL;
}

/* ---- well-formed options ---- */

static void test_kind69_syn(void)
{
    dec d;
    dec_hex(&d, "45 04 21 22", true);
    g_assert_true(d.ok);
    g_assert_cmpuint(d.o.kind, ==, 69);
    g_assert_cmpuint(d.o.len, ==, 4);
    g_assert_cmpuint(d.o.span, ==, 4);
    g_assert_cmpint(d.o.encoding, ==, ENO_ENC_KIND69);
    g_assert_cmpint(d.o.form, ==, ENO_FORM_SYN);
    g_assert_cmpuint(d.o.contents_offset, ==, 2);
    g_assert_false(d.o.malformed);
    g_assert_cmpuint(d.o.n_subopts, ==, 2);
    g_assert_cmpuint(d.o.n_tep, ==, 2);
    g_assert_cmpuint(d.o.n_global, ==, 0);
    g_assert_cmpuint(d.o.n_issues, ==, 0);
    g_assert_cmpint(d.o.subopts[0].kind, ==, ENO_SUB_TEP);
    g_assert_cmpuint(d.o.subopts[0].tep, ==, 0x21);
    g_assert_cmpuint(d.o.subopts[0].offset, ==, 2);
    g_assert_cmpuint(d.o.subopts[0].size, ==, 1);
    g_assert_false(d.o.subopts[0].v);
    g_assert_cmpuint(d.o.subopts[1].tep, ==, 0x22);
    g_assert_cmpuint(d.o.subopts[1].offset, ==, 3);
    g_assert_true(eno_option_find_tep(&d.o, 0x22) == &d.o.subopts[1]);
    g_assert_true(eno_option_find_tep(&d.o, 0xa2) == &d.o.subopts[1]);
    g_assert_null(eno_option_find_tep(&d.o, 0x23));
    g_assert_true(eno_option_last_tep(&d.o) == &d.o.subopts[1]);
    dec_free(&d);
}

static void test_exid_syn(void)
{
    static const char *const forms[] = {"fd 07 45 4e 01 21 22", "fe 07 45 4e 01 21 22"};
    for (size_t k = 0; k < G_N_ELEMENTS(forms); k++) {
        dec d;
        dec_hex(&d, forms[k], true);
        g_assert_true(d.ok);
        g_assert_cmpuint(d.o.kind, ==, k ? 254 : 253);
        g_assert_cmpint(d.o.encoding, ==, ENO_ENC_EXID);
        g_assert_cmpuint(d.o.contents_offset, ==, 4);
        g_assert_cmpuint(d.o.len, ==, 7);
        g_assert_false(d.o.malformed);
        g_assert_cmpuint(d.o.n_subopts, ==, 3);
        g_assert_cmpint(d.o.subopts[0].kind, ==, ENO_SUB_GLOBAL);
        g_assert_cmpuint(d.o.subopts[0].offset, ==, 4);
        g_assert_true(d.o.b && d.o.has_global);
        g_assert_cmpuint(d.o.subopts[1].tep, ==, 0x21);
        g_assert_cmpuint(d.o.subopts[1].offset, ==, 5);
        g_assert_cmpuint(d.o.subopts[2].tep, ==, 0x22);
        g_assert_cmpuint(d.o.n_issues, ==, 0);
        dec_free(&d);
    }
}

static void test_nonsyn_form(void)
{
    /* Non-SYN contents are opaque: bytes that would be malformed
     * suboptions are not parsed. */
    static const struct {
        const char *hex;
        uint8_t len, off;
    } v[] = {{"45 02", 2, 2},
             {"45 05 80 70 01", 5, 2},
             {"fd 04 45 4e", 4, 4},
             {"fe 07 45 4e 9f 00 1c", 7, 4},
             {"fd 08 45 4e 81 a1 00 21", 8, 4}};
    for (size_t k = 0; k < G_N_ELEMENTS(v); k++) {
        dec d;
        dec_hex(&d, v[k].hex, false);
        g_assert_true(d.ok);
        g_assert_cmpint(d.o.form, ==, ENO_FORM_NONSYN);
        g_assert_cmpuint(d.o.len, ==, v[k].len);
        g_assert_cmpuint(d.o.contents_offset, ==, v[k].off);
        g_assert_false(d.o.malformed);
        g_assert_cmpuint(d.o.n_subopts, ==, 0);
        g_assert_cmpuint(d.o.n_issues, ==, 0);
        dec_free(&d);
    }
}

static void test_global_bits(void)
{
    static const struct {
        const char *hex;
        bool a, b;
        uint8_t z;
    } v[] = {{"45 04 00 21", false, false, 0},
             {"45 04 01 21", false, true, 0},
             {"45 04 02 21", true, false, 0},
             {"45 04 03 21", true, true, 0},
             {"45 04 21 1f", true, true, 0x1c},
             {"45 04 14 21", false, false, 0x14}};
    for (size_t k = 0; k < G_N_ELEMENTS(v); k++) {
        dec d;
        dec_hex(&d, v[k].hex, true);
        g_assert_true(d.ok);
        g_assert_false(d.o.malformed);
        g_assert_true(d.o.has_global);
        g_assert_cmpuint(d.o.n_global, ==, 1);
        g_assert_cmpint(d.o.a, ==, v[k].a);
        g_assert_cmpint(d.o.b, ==, v[k].b);
        const eno_subopt *g = d.o.subopts[0].kind == ENO_SUB_GLOBAL ? &d.o.subopts[0]
                                                                      : &d.o.subopts[1];
        g_assert_cmpint(g->kind, ==, ENO_SUB_GLOBAL);
        g_assert_cmpuint(g->z, ==, v[k].z);
        g_assert_cmpuint(g->byte, ==, d.o.global);
        g_assert_cmpuint(issues_of(&d.o, ENO_RULE_SYNTAX_RESERVED_BITS), ==, v[k].z ? 1 : 0);
        if (v[k].z)
            g_assert_cmpuint(issue_of(&d.o, ENO_RULE_SYNTAX_RESERVED_BITS)->offset, ==,
                             g->offset);
        dec_free(&d);
    }
}

static void test_implicit_global(void)
{
    dec d;
    dec_hex(&d, "45 03 21", true);
    g_assert_false(d.o.has_global);
    g_assert_cmpuint(d.o.global, ==, 0);
    g_assert_false(d.o.a);
    g_assert_false(d.o.b);
    g_assert_cmpuint(d.o.n_issues, ==, 0);
    dec_free(&d);
}

static void test_tep_v_bit(void)
{
    /* v=1 without a length byte: data to the end of the option (none here). */
    dec d;
    dec_hex(&d, "45 04 01 a1", true);
    g_assert_false(d.o.malformed);
    const eno_subopt *s = &d.o.subopts[1];
    g_assert_cmpint(s->kind, ==, ENO_SUB_TEP);
    g_assert_true(s->v);
    g_assert_cmpuint(s->tep, ==, 0x21);
    g_assert_cmpuint(s->byte, ==, 0xa1);
    g_assert_false(s->has_length_byte);
    g_assert_cmpuint(s->data_len, ==, 0);
    g_assert_cmpuint(s->size, ==, 1);
    dec_free(&d);
}

static void test_data_without_length_byte(void)
{
    dec d;
    dec_hex(&d, "45 07 01 21 a2 aa bb", true);
    g_assert_false(d.o.malformed);
    g_assert_cmpuint(d.o.n_subopts, ==, 3);
    const eno_subopt *s = &d.o.subopts[2];
    g_assert_true(s->v);
    g_assert_cmpuint(s->tep, ==, 0x22);
    g_assert_false(s->has_length_byte);
    g_assert_cmpuint(s->offset, ==, 4);
    g_assert_cmpuint(s->size, ==, 3);
    g_assert_cmpuint(s->data_offset, ==, 5);
    g_assert_cmpuint(s->data_len, ==, 2);
    g_assert_cmpmem(d.p + s->data_offset, s->data_len, "\xaa\xbb", 2);
    g_assert_cmpuint(d.o.n_issues, ==, 0);
    dec_free(&d);
}

static void test_data_with_length_byte(void)
{
    dec d;
    dec_hex(&d, "45 08 81 a2 aa bb 01 21", true);
    g_assert_false(d.o.malformed);
    g_assert_cmpuint(d.o.n_subopts, ==, 3);
    const eno_subopt *s = &d.o.subopts[0];
    g_assert_true(s->v);
    g_assert_cmpuint(s->tep, ==, 0x22);
    g_assert_true(s->has_length_byte);
    g_assert_cmpuint(s->length_byte, ==, 0x81);
    g_assert_cmpuint(s->offset, ==, 2);
    g_assert_cmpuint(s->size, ==, 4);
    g_assert_cmpuint(s->data_offset, ==, 4);
    g_assert_cmpuint(s->data_len, ==, 2);
    g_assert_cmpint(d.o.subopts[1].kind, ==, ENO_SUB_GLOBAL);
    g_assert_cmpuint(d.o.subopts[1].offset, ==, 6);
    g_assert_cmpuint(d.o.subopts[2].tep, ==, 0x21);
    g_assert_true(eno_option_last_tep(&d.o) == &d.o.subopts[2]);
    g_assert_cmpuint(d.o.n_issues, ==, 0);
    dec_free(&d);
    /* The largest length byte: 32 data bytes. */
    dec_hex(&d, "45 24 9f a0 00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 10 11 12 13 14 15 16 "
                "17 18 19 1a 1b 1c 1d 1e 1f",
            true);
    g_assert_false(d.o.malformed);
    g_assert_cmpuint(d.o.n_subopts, ==, 1);
    g_assert_cmpuint(d.o.subopts[0].data_len, ==, 32);
    g_assert_cmpuint(d.o.subopts[0].tep, ==, 0x20);
    dec_free(&d);
}

/* ---- malformations ---- */

typedef struct {
    const char *hex;
    bool syn;
    eno_rule_id rule;
    uint8_t offset;
    bool malformed;
} bad_case;

static const bad_case bad[] = {
    {"45 00", true, ENO_RULE_SYNTAX_OPTION_TOO_SHORT, 1, true},
    {"45 01 21 22", true, ENO_RULE_SYNTAX_OPTION_TOO_SHORT, 1, true},
    {"45 01", false, ENO_RULE_SYNTAX_OPTION_TOO_SHORT, 1, true},
    {"fd 03 45 4e", true, ENO_RULE_SYNTAX_OPTION_TOO_SHORT, 1, true},
    {"fe 02 45 4e 21", true, ENO_RULE_SYNTAX_OPTION_TOO_SHORT, 1, true},
    {"fd 03 45 4e", false, ENO_RULE_SYNTAX_OPTION_TOO_SHORT, 1, true},
    {"45", true, ENO_RULE_SYNTAX_OPTION_OVERRUN, 0, true},
    {"45 05 21 22", true, ENO_RULE_SYNTAX_OPTION_OVERRUN, 1, true},
    {"45 05 21 22", false, ENO_RULE_SYNTAX_OPTION_OVERRUN, 1, true},
    {"fd 07 45 4e 21 22", true, ENO_RULE_SYNTAX_OPTION_OVERRUN, 1, true},
    {"45 04 21 80", true, ENO_RULE_SYNTAX_LENGTH_BYTE_DANGLING, 3, true},
    {"fd 06 45 4e 21 9f", true, ENO_RULE_SYNTAX_LENGTH_BYTE_DANGLING, 5, true},
    {"45 05 80 21 22", true, ENO_RULE_SYNTAX_LENGTH_BYTE_DANGLING, 2, true},
    {"45 06 21 80 80 a1", true, ENO_RULE_SYNTAX_LENGTH_BYTE_DANGLING, 3, true},
    {"45 05 80 01 a1", true, ENO_RULE_SYNTAX_LENGTH_BYTE_DANGLING, 2, true},
    {"45 05 82 a1 00", true, ENO_RULE_SYNTAX_DATA_OVERRUN, 2, true},
    {"45 05 21 80 a2", true, ENO_RULE_SYNTAX_DATA_OVERRUN, 3, true},
    {"45 05 01 21 00", true, ENO_RULE_SYNTAX_MULTIPLE_GLOBAL, 4, false},
    {"45 05 21 00 01", true, ENO_RULE_SYNTAX_MULTIPLE_GLOBAL, 4, false},
    {"45 04 1c 21", true, ENO_RULE_SYNTAX_RESERVED_BITS, 2, false},
    {"45 05 21 22 05", true, ENO_RULE_SYNTAX_RESERVED_BITS, 4, false},
    {"45 02", true, ENO_RULE_SYNTAX_NO_TEP, 0, false},
    {"45 03 01", true, ENO_RULE_SYNTAX_NO_TEP, 0, false},
    {"fd 04 45 4e", true, ENO_RULE_SYNTAX_NO_TEP, 0, false},
    {"45 05 21 22 21", true, ENO_RULE_SYNTAX_DUPLICATE_TEP, 4, false},
    {"45 09 21 22 01 81 a1 aa bb", true, ENO_RULE_SYNTAX_DUPLICATE_TEP, 6, false},
    {"45 04 22 a2", true, ENO_RULE_SYNTAX_DUPLICATE_TEP, 3, false},
    {"45 04 21 70", true, ENO_RULE_SYNTAX_RESERVED_TEP, 3, false},
    {"45 03 7f", true, ENO_RULE_SYNTAX_RESERVED_TEP, 2, false},
    {"45 04 f0 aa", true, ENO_RULE_SYNTAX_RESERVED_TEP, 2, false},
    {"45 06 80 ff aa 21", true, ENO_RULE_SYNTAX_RESERVED_TEP, 3, false},
};

static bool hard_rule(eno_rule_id r)
{
    return r == ENO_RULE_SYNTAX_OPTION_TOO_SHORT || r == ENO_RULE_SYNTAX_OPTION_OVERRUN ||
           r == ENO_RULE_SYNTAX_LENGTH_BYTE_DANGLING || r == ENO_RULE_SYNTAX_DATA_OVERRUN;
}

static void test_malformed(gconstpointer data)
{
    const bad_case *c = data;
    dec d;
    dec_hex(&d, c->hex, c->syn);
    g_assert_true(d.ok);
    g_assert_cmpint(d.o.malformed, ==, c->malformed);
    const eno_syntax_issue *is = issue_of(&d.o, c->rule);
    if (!is)
        g_test_message("%s: no %s", c->hex, eno_rule_get(c->rule)->id);
    g_assert_nonnull(is);
    g_assert_cmpuint(is->offset, ==, c->offset);
    g_assert_cmpuint(is->length, >=, 1);
    g_assert_cmpuint(issues_of(&d.o, c->rule), ==, 1);
    /* Hard malformations end decoding: exactly one of them. */
    unsigned hard = 0;
    for (size_t i = 0; i < d.o.n_issues; i++)
        hard += hard_rule(d.o.issues[i].rule);
    g_assert_cmpuint(hard, ==, c->malformed ? 1 : 0);
    dec_free(&d);
}

static void test_first_global_wins(void)
{
    dec d;
    dec_hex(&d, "45 06 21 01 02 00", true);
    g_assert_true(d.o.b);
    g_assert_false(d.o.a);
    g_assert_cmpuint(d.o.global, ==, 0x01);
    g_assert_cmpuint(d.o.n_global, ==, 3);
    g_assert_cmpuint(issues_of(&d.o, ENO_RULE_SYNTAX_MULTIPLE_GLOBAL), ==, 2);
    dec_free(&d);
}

/* ---- not ENO ---- */

static void test_not_eno(void)
{
    static const char *const others[] = {
        "fd 06 f9 89 01 02",    /* TCP Fast Open, experimental */
        "fe 04 f9 89",
        "fd 04 45 4f",          /* ExID one off */
        "fd 04 44 4e",
        "fc 04 45 4e",          /* not an experimental kind */
        "46 04 21 22",          /* kind 70 (tcpcrypt MAC) */
        "47 04 21 22",          /* kind 71 (2015 drafts) */
        "02 04 05 b4",          /* MSS */
        "fd 03 45",             /* ExID cut by the option space */
        "fd",
        "01",
        "00",
    };
    for (size_t k = 0; k < G_N_ELEMENTS(others); k++) {
        dec d;
        dec_hex(&d, others[k], true);
        g_assert_false(d.ok);
        g_assert_false(eno_option_is_eno(d.p, d.n));
        dec_free(&d);
        dec_hex(&d, others[k], false);
        g_assert_false(d.ok);
        dec_free(&d);
    }
    eno_option o;
    g_assert_false(eno_option_decode(NULL, 4, true, &o));
    g_assert_false(eno_option_is_eno(NULL, 4));
    static const uint8_t eno[] = {0x45, 0x02};
    g_assert_false(eno_option_decode(eno, 0, true, &o));
    g_assert_false(eno_option_decode(eno, 2, true, NULL));
}

/* ---- encoder ---- */

/* 38 global suboptions with reserved bits: one issue for the first, two
 * for each other (another global, reserved bits), more than the decoder
 * keeps.  The rest are counted, not lost. */
static void test_issues_beyond_max_counted(void)
{
    char hex[3 * 40 + 1];
    size_t at = (size_t)g_snprintf(hex, sizeof hex, "45 28");
    for (int i = 0; i < 38; i++)
        at += (size_t)g_snprintf(hex + at, sizeof hex - at, " 1c");
    dec d;
    dec_hex(&d, hex, true);
    g_assert_true(d.ok);
    g_assert_cmpuint(d.o.n_issues, ==, ENO_MAX_ISSUES);
    g_assert_cmpuint(d.o.n_issues + d.o.issues_dropped, ==, 1 + 37 * 2 + 1 /* no TEP */);
    dec_free(&d);

    /* One fewer issue than the room: nothing dropped. */
    at = (size_t)g_snprintf(hex, sizeof hex, "45 1b");
    for (int i = 0; i < 24; i++)
        at += (size_t)g_snprintf(hex + at, sizeof hex - at, " 1c");
    g_snprintf(hex + at, sizeof hex - at, " 21");
    dec_hex(&d, hex, true);
    g_assert_cmpuint(d.o.n_issues, ==, 1 + 23 * 2);
    g_assert_cmpuint(d.o.n_issues, <, ENO_MAX_ISSUES);
    g_assert_cmpuint(d.o.issues_dropped, ==, 0);
    dec_free(&d);
}

static void test_builder_round_trip(void)
{
    static const uint8_t data3[] = {0xaa, 0xbb, 0xcc};
    static const uint8_t data9[] = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    for (int enc = 0; enc < 2; enc++) {
        eno_builder b;
        eno_builder_init(&b, enc ? ENO_ENC_EXID : ENO_ENC_KIND69, 0);
        eno_builder_tep(&b, 0x21, false, NULL, 0, false);
        eno_builder_tep(&b, 0x22, false, data3, 3, true);
        eno_builder_global(&b, true, true, 0);
        eno_builder_tep(&b, 0x23, false, NULL, 0, false);
        eno_builder_tep(&b, 0x24, false, data9, 9, false); /* v forced on, runs to the end */
        size_t n = eno_builder_finish(&b);
        size_t off = enc ? 4 : 2;
        g_assert_cmpuint(n, ==, off + 1 + 5 + 1 + 1 + 10);
        g_assert_cmpuint(b.buf[0], ==, enc ? 253 : 69);
        g_assert_cmpuint(b.buf[1], ==, n);
        eno_option o;
        g_assert_true(eno_option_decode(b.buf, n, true, &o));
        g_assert_false(o.malformed);
        g_assert_cmpuint(o.n_issues, ==, 0);
        g_assert_cmpint(o.encoding, ==, enc ? ENO_ENC_EXID : ENO_ENC_KIND69);
        g_assert_cmpuint(o.n_subopts, ==, 5);
        g_assert_cmpuint(o.subopts[0].tep, ==, 0x21);
        g_assert_false(o.subopts[0].v);
        g_assert_cmpuint(o.subopts[1].tep, ==, 0x22);
        g_assert_true(o.subopts[1].v);
        g_assert_true(o.subopts[1].has_length_byte);
        g_assert_cmpmem(o.bytes + o.subopts[1].data_offset, o.subopts[1].data_len, data3, 3);
        g_assert_cmpint(o.subopts[2].kind, ==, ENO_SUB_GLOBAL);
        g_assert_true(o.a && o.b);
        g_assert_false(o.subopts[3].v);
        g_assert_cmpuint(o.subopts[3].tep, ==, 0x23);
        g_assert_cmpuint(o.subopts[4].tep, ==, 0x24);
        g_assert_true(o.subopts[4].v);
        g_assert_false(o.subopts[4].has_length_byte);
        g_assert_cmpmem(o.bytes + o.subopts[4].data_offset, o.subopts[4].data_len, data9, 9);
    }
}

static void test_builder_kinds_and_z(void)
{
    eno_builder b;
    eno_builder_init(&b, ENO_ENC_EXID, 254);
    eno_builder_global(&b, false, false, 0xff);
    size_t n = eno_builder_finish(&b);
    g_assert_cmpuint(n, ==, 5);
    static const uint8_t want[] = {0xfe, 0x05, 0x45, 0x4e, 0x1c};
    g_assert_cmpmem(b.buf, n, want, sizeof want);
    eno_option o;
    g_assert_true(eno_option_decode(b.buf, n, true, &o));
    g_assert_cmpuint(issues_of(&o, ENO_RULE_SYNTAX_RESERVED_BITS), ==, 1);
    g_assert_cmpuint(issues_of(&o, ENO_RULE_SYNTAX_NO_TEP), ==, 1);

    eno_builder_init(&b, ENO_ENC_KIND69, 253); /* kind ignored for kind 69 */
    n = eno_builder_finish(&b);
    static const uint8_t empty[] = {0x45, 0x02};
    g_assert_cmpmem(b.buf, n, empty, sizeof empty);
}

static void test_builder_hostile_and_overflow(void)
{
    eno_builder b;
    static const uint8_t raw[] = {0x21, 0x83, 0xa2};
    eno_builder_init(&b, ENO_ENC_KIND69, 0);
    eno_builder_raw(&b, raw, sizeof raw);
    size_t n = eno_builder_finish(&b);
    g_assert_cmpuint(n, ==, 5);
    eno_option o;
    g_assert_true(eno_option_decode(b.buf, n, true, &o));
    g_assert_true(o.malformed);
    g_assert_cmpuint(issues_of(&o, ENO_RULE_SYNTAX_DATA_OVERRUN), ==, 1);

    /* Beyond 40 bytes the builder still builds (for overrun tests)... */
    uint8_t many[50];
    memset(many, 0x21, sizeof many);
    eno_builder_init(&b, ENO_ENC_KIND69, 0);
    eno_builder_raw(&b, many, 50);
    g_assert_cmpuint(eno_builder_finish(&b), ==, 52);
    /* ...but not past its buffer. */
    eno_builder_raw(&b, many, 50);
    g_assert_true(b.overflow);
    g_assert_cmpuint(eno_builder_finish(&b), ==, 0);

    /* A length byte covers 1..32 data bytes. */
    eno_builder_init(&b, ENO_ENC_KIND69, 0);
    eno_builder_tep(&b, 0x21, true, NULL, 0, true);
    g_assert_cmpuint(eno_builder_finish(&b), ==, 0);
    eno_builder_init(&b, ENO_ENC_KIND69, 0);
    uint8_t d33[33] = {0};
    eno_builder_tep(&b, 0x21, true, d33, 33, true);
    g_assert_cmpuint(eno_builder_finish(&b), ==, 0);
    eno_builder_init(&b, ENO_ENC_KIND69, 0);
    eno_builder_tep(&b, 0x21, true, d33, 32, true);
    n = eno_builder_finish(&b);
    g_assert_cmpuint(n, ==, 36);
    g_assert_cmpuint(b.buf[2], ==, 0x9f);
    g_assert_cmpuint(b.buf[3], ==, 0xa1);
}

/* ---- TCP option list walk ---- */

static void scan_hex(const char *hex, eno_tcp_options *sc, uint8_t *buf, size_t cap, size_t *n)
{
    *n = t_hex(hex, buf, cap);
    eno_tcp_options_scan(buf, *n, sc);
}

static void test_scan(void)
{
    uint8_t b[64];
    size_t n;
    eno_tcp_options sc;

    /* MSS, NOP, window scale, SACK permitted, ENO. */
    scan_hex("02 04 05 b4 01 03 03 07 04 02 45 04 21 22", &sc, b, sizeof b, &n);
    g_assert_true(sc.eno == b + 10);
    g_assert_cmpuint(sc.eno_avail, ==, 4);
    g_assert_cmpuint(sc.eno_count, ==, 1);
    g_assert_false(sc.walk_stopped);

    /* EOL ends the list: what follows is padding. */
    scan_hex("01 01 00 45 04 21 22", &sc, b, sizeof b, &n);
    g_assert_null(sc.eno);
    g_assert_cmpuint(sc.eno_count, ==, 0);
    g_assert_false(sc.walk_stopped);

    /* ENO first, then EOL and padding: avail runs to the end of the space. */
    scan_hex("45 03 21 00 00 00", &sc, b, sizeof b, &n);
    g_assert_true(sc.eno == b);
    g_assert_cmpuint(sc.eno_avail, ==, 6);

    /* Several ENO options, both encodings. */
    scan_hex("45 03 21 01 fd 05 45 4e 22 45 02", &sc, b, sizeof b, &n);
    g_assert_true(sc.eno == b);
    g_assert_cmpuint(sc.eno_count, ==, 3);
    g_assert_cmpuint(sc.second_offset, ==, 4);

    /* Fast Open (other ExID) is not ENO. */
    scan_hex("fd 06 f9 89 01 02 fd 04 45 4e", &sc, b, sizeof b, &n);
    g_assert_true(sc.eno == b + 6);
    g_assert_cmpuint(sc.eno_count, ==, 1);

    /* Bad lengths stop the walk. */
    scan_hex("02 01 45 03 21", &sc, b, sizeof b, &n);
    g_assert_true(sc.walk_stopped);
    g_assert_cmpuint(sc.eno_count, ==, 0);
    scan_hex("02 00 45 03 21", &sc, b, sizeof b, &n);
    g_assert_true(sc.walk_stopped);
    g_assert_null(sc.eno);
    scan_hex("02 09 45 03 21", &sc, b, sizeof b, &n);
    g_assert_true(sc.walk_stopped);
    g_assert_null(sc.eno);
    scan_hex("01 02", &sc, b, sizeof b, &n);
    g_assert_true(sc.walk_stopped);

    /* A malformed ENO option is found (so it can be judged), then ends the walk. */
    scan_hex("45 01 21 45 02", &sc, b, sizeof b, &n);
    g_assert_true(sc.eno == b);
    g_assert_cmpuint(sc.eno_count, ==, 1);
    g_assert_true(sc.walk_stopped);
    scan_hex("01 45 09 21", &sc, b, sizeof b, &n);
    g_assert_true(sc.eno == b + 1);
    g_assert_cmpuint(sc.eno_avail, ==, 3);
    g_assert_true(sc.walk_stopped);
    scan_hex("01 01 01 45", &sc, b, sizeof b, &n);
    g_assert_true(sc.eno == b + 3);
    g_assert_cmpuint(sc.eno_avail, ==, 1);
    g_assert_true(sc.walk_stopped);

    /* Empty lists. */
    eno_tcp_options_scan(NULL, 0, &sc);
    g_assert_null(sc.eno);
    eno_tcp_options_scan(b, 0, &sc);
    g_assert_null(sc.eno);
    g_assert_false(sc.walk_stopped);

    /* eno_segment_set_options fills the segment. */
    eno_segment seg;
    memset(&seg, 0, sizeof seg);
    n = t_hex("01 01 45 02 45 02", b, sizeof b);
    eno_segment_set_options(&seg, b, n, true);
    g_assert_true(seg.eno == b + 2);
    g_assert_cmpuint(seg.eno_avail, ==, 4);
    g_assert_cmpuint(seg.eno_count, ==, 2);
    g_assert_true(seg.options_truncated);
}

/* ---- hostile input ---- */

/* The one-pass parse loop of docs/protocol.md (suboptions), written
 * independently. */
typedef struct {
    bool malformed;
    unsigned n_tep, n_global;
    uint8_t tep[ENO_OPT_MAX * 8];
} ref_parse;

static void reference(const uint8_t *opt, size_t len, size_t first, ref_parse *out)
{
    memset(out, 0, sizeof *out);
    size_t i = first;
    while (i < len) {
        uint8_t c = opt[i];
        if (c <= 0x1f) {
            out->n_global++;
            i += 1;
        } else if (c <= 0x7f) {
            out->tep[out->n_tep++] = c;
            i += 1;
        } else if (c <= 0x9f) {
            size_t n = (size_t)(c & 0x1f) + 1;
            if (i + 1 >= len || opt[i + 1] < 0xa0 || i + 2 + n > len) {
                out->malformed = true;
                return;
            }
            out->tep[out->n_tep++] = opt[i + 1] & 0x7f;
            i += 2 + n;
        } else {
            out->tep[out->n_tep++] = c & 0x7f;
            i = len;
        }
    }
}

static void check_invariants(const uint8_t *p, size_t avail, bool syn)
{
    eno_option o;
    bool ok = eno_option_decode(p, avail, syn, &o);
    g_assert_cmpint(ok, ==, eno_option_is_eno(p, avail));
    if (!ok)
        return;
    g_assert_true(o.bytes == p);
    g_assert_cmpuint(o.avail, ==, avail);
    g_assert_cmpuint(o.span, <=, avail);
    g_assert_cmpuint(o.span, >=, 1);
    g_assert_cmpuint(o.contents_offset, ==, p[0] == ENO_KIND ? 2 : 4);
    bool hard = false;
    for (size_t i = 0; i < o.n_issues; i++) {
        const eno_syntax_issue *is = &o.issues[i];
        const char *id = eno_rule_get(is->rule)->id;
        g_assert_true(g_str_has_prefix(id, "syntax."));
        g_assert_true(is->rule != ENO_RULE_SYNTAX_MULTIPLE_ENO);
        g_assert_cmpuint(is->offset, <, o.span > 1 ? o.span : 2);
        g_assert_cmpuint(is->length, >=, 1);
        hard = hard || hard_rule(is->rule);
    }
    g_assert_cmpint(o.malformed, ==, hard);
    if (o.span >= 2 && o.len >= o.contents_offset && o.len <= avail) {
        g_assert_cmpuint(o.span, ==, o.len);
    } else {
        g_assert_true(o.malformed);
        g_assert_cmpuint(o.n_subopts, ==, 0);
    }
    if (!syn) {
        g_assert_cmpuint(o.n_subopts, ==, 0);
        return;
    }
    /* Suboptions follow each other inside the option, in order. */
    size_t at = o.contents_offset;
    unsigned teps = 0, globals = 0;
    for (size_t i = 0; i < o.n_subopts; i++) {
        const eno_subopt *s = &o.subopts[i];
        g_assert_cmpuint(s->offset, ==, at);
        g_assert_cmpuint(s->size, >=, 1);
        g_assert_cmpuint(s->offset + s->size, <=, o.len);
        if (s->kind == ENO_SUB_GLOBAL) {
            globals++;
            g_assert_cmpuint(s->size, ==, 1);
            g_assert_cmpuint(s->byte, <=, 0x1f);
            g_assert_cmpuint(s->byte, ==, p[s->offset]);
        } else {
            teps++;
            g_assert_cmpuint(s->tep, >=, 0x20);
            g_assert_cmpuint(s->tep, ==, (s->byte & 0x7f));
            g_assert_cmpint(s->v, ==, (s->byte & 0x80) != 0);
            if (s->data_len) {
                g_assert_true(s->v);
                g_assert_cmpuint(s->data_offset, >, s->offset);
                g_assert_cmpuint(s->data_offset + s->data_len, ==, s->offset + s->size);
            }
            if (s->has_length_byte) {
                g_assert_cmpuint(s->length_byte, ==, p[s->offset]);
                g_assert_cmpuint(s->data_len, ==, (s->length_byte & 0x1f) + 1u);
                g_assert_cmpuint(s->byte, ==, p[s->offset + 1]);
            } else {
                g_assert_cmpuint(s->byte, ==, p[s->offset]);
            }
        }
        at = s->offset + s->size;
    }
    g_assert_cmpuint(teps, ==, o.n_tep);
    g_assert_cmpuint(globals, ==, o.n_global);
    g_assert_cmpint(o.has_global, ==, globals > 0);
    if (!o.has_global)
        g_assert_cmpuint(o.global, ==, 0);
    if (o.span == o.len && o.len >= o.contents_offset) {
        ref_parse ref;
        reference(p, o.len, o.contents_offset, &ref);
        g_assert_cmpint(ref.malformed, ==, o.malformed);
        if (!o.malformed) {
            g_assert_cmpuint(at, ==, o.len);
            g_assert_cmpuint(ref.n_tep, ==, o.n_tep);
            g_assert_cmpuint(ref.n_global, ==, o.n_global);
            for (size_t i = 0, k = 0; i < o.n_subopts; i++)
                if (o.subopts[i].kind == ENO_SUB_TEP)
                    g_assert_cmpuint(o.subopts[i].tep, ==, ref.tep[k++]);
            g_assert_cmpuint(issues_of(&o, ENO_RULE_SYNTAX_NO_TEP), ==, o.n_tep == 0);
            g_assert_cmpuint(issues_of(&o, ENO_RULE_SYNTAX_MULTIPLE_GLOBAL), ==,
                             o.n_global > 1 ? o.n_global - 1 : 0);
        }
    }
}

/* Decodes bytes placed at the end of a heap block: reading past avail is
 * a sanitizer error. */
static void check_bytes(const uint8_t *bytes, size_t n)
{
    uint8_t *m = g_malloc(n ? n : 1);
    if (n)
        memcpy(m, bytes, n);
    check_invariants(m, n, true);
    check_invariants(m, n, false);
    eno_tcp_options sc;
    eno_tcp_options_scan(m, n, &sc);
    if (sc.eno) {
        g_assert_true(sc.eno >= m && sc.eno < m + n);
        g_assert_cmpuint(sc.eno_avail, ==, (size_t)(m + n - sc.eno));
        g_assert_true(eno_option_is_eno(sc.eno, sc.eno_avail));
        check_invariants(sc.eno, sc.eno_avail, true);
    }
    g_free(m);
}

static const uint8_t alphabet[] = {0x00, 0x01, 0x02, 0x05, 0x1c, 0x1f, 0x20, 0x21, 0x22, 0x45,
                                   0x4e, 0x6f, 0x70, 0x7f, 0x80, 0x81, 0x82, 0x9f, 0xa0, 0xa1,
                                   0xa2, 0xf0, 0xfd, 0xff};

/* Every string of up to 2 bytes, small options exhaustively, and every
 * option of up to 4 content bytes over an alphabet of boundary values,
 * with a length byte off by up to 2. */
static void test_exhaustive(void)
{
    uint8_t b[16] = {0};
    check_bytes(b, 0);
    for (unsigned x = 0; x < 256; x++) {
        b[0] = (uint8_t)x;
        check_bytes(b, 1);
        for (unsigned y = 0; y < 256; y++) {
            b[1] = (uint8_t)y;
            check_bytes(b, 2);
        }
    }
    /* Every 3-byte string that starts with an ENO kind, and every 4-byte
     * kind-69 string whose length byte is at most 6. */
    static const uint8_t kinds[] = {0x45, 0xfd, 0xfe};
    for (size_t k = 0; k < sizeof kinds; k++) {
        b[0] = kinds[k];
        for (unsigned x = 0; x < 65536; x++) {
            b[1] = (uint8_t)(x >> 8);
            b[2] = (uint8_t)x;
            check_bytes(b, 3);
        }
    }
    b[0] = 0x45;
    for (unsigned l = 0; l <= 6; l++) {
        b[1] = (uint8_t)l;
        for (unsigned x = 0; x < 65536; x++) {
            b[2] = (uint8_t)(x >> 8);
            b[3] = (uint8_t)x;
            check_bytes(b, 4);
        }
    }
    static const uint8_t heads[][4] = {{0x45}, {0xfd, 0, 0x45, 0x4e}, {0xfe, 0, 0x45, 0x4e}};
    const size_t na = sizeof alphabet;
    unsigned long count = 0;
    for (size_t h = 0; h < G_N_ELEMENTS(heads); h++) {
        size_t hl = h ? 4 : 2;
        memcpy(b, heads[h], hl);
        for (size_t k = 0; k <= (h ? 3u : 4u); k++) {
            size_t total = 1;
            for (size_t i = 0; i < k; i++)
                total *= na;
            for (size_t idx = 0; idx < total; idx++) {
                size_t v = idx;
                for (size_t i = 0; i < k; i++) {
                    b[hl + i] = alphabet[v % na];
                    v /= na;
                }
                for (int d = -2; d <= 2; d++) {
                    int len = (int)(hl + k) + d;
                    b[1] = (uint8_t)(len < 0 ? 0 : len);
                    check_bytes(b, hl + k);
                    count++;
                }
            }
        }
    }
    g_test_message("%lu options decoded", count);
}

static void test_random(void)
{
    uint8_t b[ENO_OPT_MAX];
    for (int iter = 0; iter < 200000; iter++) {
        size_t n = (size_t)g_test_rand_int_range(0, ENO_OPT_MAX + 1);
        for (size_t i = 0; i < n; i++)
            b[i] = (uint8_t)g_test_rand_int_range(0, 256);
        int shape = g_test_rand_int_range(0, 4);
        if (n >= 1 && shape > 0)
            b[0] = shape == 1 ? 0x45 : shape == 2 ? 0xfd : 0xfe;
        if (n >= 4 && shape >= 2) {
            b[2] = 0x45;
            b[3] = 0x4e;
        }
        if (n >= 2 && g_test_rand_bit())
            b[1] = (uint8_t)g_test_rand_int_range(0, (int)n + 1);
        /* Suboption bytes biased to the interesting classes. */
        for (size_t i = 4; i < n; i++)
            if (g_test_rand_int_range(0, 3) == 0)
                b[i] = alphabet[g_test_rand_int_range(0, (int)sizeof alphabet)];
        check_bytes(b, n);
    }
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/option/decode/kind69-syn", test_kind69_syn);
    g_test_add_func("/option/decode/exid-syn", test_exid_syn);
    g_test_add_func("/option/decode/nonsyn-form", test_nonsyn_form);
    g_test_add_func("/option/decode/global-bits", test_global_bits);
    g_test_add_func("/option/decode/implicit-global", test_implicit_global);
    g_test_add_func("/option/decode/first-global-wins", test_first_global_wins);
    g_test_add_func("/option/decode/tep-v-bit", test_tep_v_bit);
    g_test_add_func("/option/decode/data-without-length-byte", test_data_without_length_byte);
    g_test_add_func("/option/decode/data-with-length-byte", test_data_with_length_byte);
    for (size_t k = 0; k < G_N_ELEMENTS(bad); k++) {
        char *path = g_strdup_printf("/option/malformed/%s/%zu",
                                     eno_rule_get(bad[k].rule)->id + strlen("syntax."), k);
        g_test_add_data_func(path, &bad[k], test_malformed);
        g_free(path);
    }
    g_test_add_func("/option/not-eno", test_not_eno);
    g_test_add_func("/option/builder/round-trip", test_builder_round_trip);
    g_test_add_func("/option/builder/kinds-and-z", test_builder_kinds_and_z);
    g_test_add_func("/option/builder/hostile-and-overflow", test_builder_hostile_and_overflow);
    g_test_add_func("/option/scan", test_scan);
    g_test_add_func("/option/issues-beyond-max-counted", test_issues_beyond_max_counted);
    g_test_add_func("/option/hostile/exhaustive", test_exhaustive);
    g_test_add_func("/option/hostile/random", test_random);
    return g_test_run();
}
