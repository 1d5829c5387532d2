/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ENO option decoder (docs/protocol.md: the option on the wire, the draft
 * encoding).  One pass over the option, bounds
 * checked at every step, no allocation: suboptions point into the caller's
 * bytes by offset.
 */
#include <string.h>

#include "eno/option.h"
#include "option_internal.h"

static void issue(eno_option *o, eno_rule_id rule, size_t offset, size_t length,
                  unsigned value, unsigned value2)
{
    if (o->n_issues >= ENO_MAX_ISSUES) {
        o->issues_dropped++;
        return;
    }
    eno_syntax_issue *is = &o->issues[o->n_issues++];
    memset(is, 0, sizeof *is);
    is->rule = rule;
    is->offset = (uint8_t)offset;
    is->length = (uint8_t)(length ? length : 1);
    is->value = (uint16_t)value;
    is->value2 = (uint16_t)value2;
}

bool eno_option_is_eno(const uint8_t *p, size_t avail)
{
    if (!p || avail < 1)
        return false;
    if (p[0] == ENO_KIND)
        return true;
    if ((p[0] == ENO_KIND_EXP1 || p[0] == ENO_KIND_EXP2) && avail >= 4 &&
        p[2] == (ENO_EXID >> 8) && p[3] == (ENO_EXID & 0xff))
        return true;
    return false;
}

static void add_global(eno_option *o, const uint8_t *p, size_t i)
{
    uint8_t c = p[i];
    eno_subopt *s = &o->subopts[o->n_subopts++];
    memset(s, 0, sizeof *s);
    s->kind = ENO_SUB_GLOBAL;
    s->offset = (uint8_t)i;
    s->size = 1;
    s->byte = c;
    s->a = (c & ENO_GLOBAL_A) != 0;
    s->b = (c & ENO_GLOBAL_B) != 0;
    s->z = c & ENO_GLOBAL_Z;
    o->n_global++;
    if (o->n_global == 1) {
        o->has_global = true;
        o->global = c;
        o->a = s->a;
        o->b = s->b;
    } else {
        issue(o, ENO_RULE_SYNTAX_MULTIPLE_GLOBAL, i, 1, c, o->global);
    }
    if (s->z)
        issue(o, ENO_RULE_SYNTAX_RESERVED_BITS, i, 1, c, s->z);
}

static eno_subopt *add_tep(eno_option *o, size_t i, uint8_t byte)
{
    eno_subopt *s = &o->subopts[o->n_subopts++];
    memset(s, 0, sizeof *s);
    s->kind = ENO_SUB_TEP;
    s->offset = (uint8_t)i;
    s->size = 1;
    s->byte = byte;
    s->tep = byte & ENO_TEP_GLT;
    s->v = (byte & ENO_TEP_V) != 0;
    o->n_tep++;
    return s;
}

static void check_teps(eno_option *o)
{
    for (size_t i = 0; i < o->n_subopts; i++) {
        const eno_subopt *s = &o->subopts[i];
        if (s->kind != ENO_SUB_TEP)
            continue;
        size_t at = s->has_length_byte ? s->offset + 1u : s->offset;
        if (s->tep >= ENO_TEP_RESERVED_MIN)
            issue(o, ENO_RULE_SYNTAX_RESERVED_TEP, at, 1, s->tep, 0);
        for (size_t j = 0; j < i; j++) {
            if (o->subopts[j].kind == ENO_SUB_TEP && o->subopts[j].tep == s->tep) {
                size_t first = o->subopts[j].has_length_byte ? o->subopts[j].offset + 1u
                                                             : o->subopts[j].offset;
                issue(o, ENO_RULE_SYNTAX_DUPLICATE_TEP, at, 1, s->tep, (unsigned)first);
                break;
            }
        }
    }
}

static void decode_syn_form(eno_option *o)
{
    const uint8_t *p = o->bytes;
    size_t len = o->len;
    size_t i = o->contents_offset;

    while (i < len && o->n_subopts < ENO_MAX_SUBOPTS) {
        uint8_t c = p[i];
        if (c <= ENO_SUB_GLOBAL_MAX) {
            add_global(o, p, i);
            i += 1;
        } else if (c <= ENO_SUB_TEP_MAX) {
            add_tep(o, i, c);
            i += 1;
        } else if (c <= ENO_SUB_LENGTH_MAX) {
            size_t n = (size_t)(c & ENO_SUB_LENGTH_MASK) + 1;
            if (i + 1 >= len) {
                issue(o, ENO_RULE_SYNTAX_LENGTH_BYTE_DANGLING, i, 1, c, 0x100);
                o->malformed = true;
                return;
            }
            if (p[i + 1] < ENO_SUB_TEP_DATA_MIN) {
                issue(o, ENO_RULE_SYNTAX_LENGTH_BYTE_DANGLING, i, 2, c, p[i + 1]);
                o->malformed = true;
                return;
            }
            if (i + 2 + n > len) {
                issue(o, ENO_RULE_SYNTAX_DATA_OVERRUN, i, len - i, (unsigned)n,
                      (unsigned)(len - i - 2));
                o->malformed = true;
                return;
            }
            eno_subopt *s = add_tep(o, i, p[i + 1]);
            s->has_length_byte = true;
            s->length_byte = c;
            s->data_offset = (uint8_t)(i + 2);
            s->data_len = (uint8_t)n;
            s->size = (uint8_t)(2 + n);
            i += 2 + n;
        } else {
            eno_subopt *s = add_tep(o, i, c);
            s->data_offset = (uint8_t)(i + 1);
            s->data_len = (uint8_t)(len - i - 1);
            s->size = (uint8_t)(len - i);
            i = len;
        }
    }
    check_teps(o);
    if (o->n_tep == 0)
        issue(o, ENO_RULE_SYNTAX_NO_TEP, 0, len, 0, 0);
}

bool eno_option_decode(const uint8_t *p, size_t avail, bool syn_form, eno_option *out)
{
    if (!out || !eno_option_is_eno(p, avail))
        return false;
    enoi_option_reset(out);
    out->bytes = p;
    out->avail = avail;
    out->kind = p[0];
    out->encoding = p[0] == ENO_KIND ? ENO_ENC_KIND69 : ENO_ENC_EXID;
    out->contents_offset = out->encoding == ENO_ENC_KIND69 ? 2 : 4;
    out->form = syn_form ? ENO_FORM_SYN : ENO_FORM_NONSYN;

    if (avail < 2) {
        /* The length byte itself lies outside the option space. */
        out->span = 1;
        out->malformed = true;
        issue(out, ENO_RULE_SYNTAX_OPTION_OVERRUN, 0, 1, 2, (unsigned)avail);
        return true;
    }
    out->len = p[1];
    if (out->len < out->contents_offset) {
        out->span = 2;
        out->malformed = true;
        issue(out, ENO_RULE_SYNTAX_OPTION_TOO_SHORT, 1, 1, out->len, out->contents_offset);
        return true;
    }
    if (out->len > avail) {
        out->span = (uint8_t)(avail > 255 ? 255 : avail);
        out->malformed = true;
        issue(out, ENO_RULE_SYNTAX_OPTION_OVERRUN, 1, 1, out->len, (unsigned)avail);
        return true;
    }
    out->span = out->len;
    if (syn_form)
        decode_syn_form(out);
    return true;
}

const eno_subopt *eno_option_find_tep(const eno_option *opt, uint8_t tep)
{
    tep &= ENO_TEP_GLT;
    for (size_t i = 0; i < opt->n_subopts; i++)
        if (opt->subopts[i].kind == ENO_SUB_TEP && opt->subopts[i].tep == tep)
            return &opt->subopts[i];
    return NULL;
}

const eno_subopt *eno_option_last_tep(const eno_option *opt)
{
    for (size_t i = opt->n_subopts; i-- > 0;)
        if (opt->subopts[i].kind == ENO_SUB_TEP)
            return &opt->subopts[i];
    return NULL;
}

eno_profile eno_option_profile(const eno_option *opt)
{
    return opt->encoding == ENO_ENC_EXID ? ENO_PROFILE_DRAFT : ENO_PROFILE_RFC8547;
}
