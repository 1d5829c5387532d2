/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ENO option encoder: builds options byte by byte, hostile ones included. */
#include <string.h>

#include "eno/option.h"

static void put(eno_builder *b, uint8_t byte)
{
    if (b->len >= sizeof b->buf) {
        b->overflow = true;
        return;
    }
    b->buf[b->len++] = byte;
}

void eno_builder_init(eno_builder *b, eno_encoding enc, uint8_t kind)
{
    memset(b, 0, sizeof *b);
    b->encoding = enc;
    if (enc == ENO_ENC_EXID) {
        put(b, kind ? kind : ENO_KIND_EXP1);
        put(b, 0);
        put(b, ENO_EXID >> 8);
        put(b, ENO_EXID & 0xff);
    } else {
        put(b, ENO_KIND);
        put(b, 0);
    }
}

void eno_builder_global(eno_builder *b, bool a_bit, bool b_bit, uint8_t z_bits)
{
    put(b, (uint8_t)((z_bits & ENO_GLOBAL_Z) | (a_bit ? ENO_GLOBAL_A : 0) |
                     (b_bit ? ENO_GLOBAL_B : 0)));
}

void eno_builder_tep(eno_builder *b, uint8_t tep, bool v, const uint8_t *data, size_t n,
                     bool length_byte)
{
    if (n > 0)
        v = true;
    if (length_byte) {
        if (n < 1 || n > 32) {
            b->overflow = true;
            return;
        }
        put(b, (uint8_t)(ENO_SUB_LENGTH_BIT | (n - 1)));
    }
    put(b, (uint8_t)((tep & ENO_TEP_GLT) | (v ? ENO_TEP_V : 0)));
    for (size_t i = 0; i < n; i++)
        put(b, data[i]);
}

void eno_builder_raw(eno_builder *b, const uint8_t *bytes, size_t n)
{
    for (size_t i = 0; i < n; i++)
        put(b, bytes[i]);
}

size_t eno_builder_finish(eno_builder *b)
{
    /* put() keeps len within buf (64 bytes), so it always fits the
     * length byte. */
    _Static_assert(sizeof b->buf <= 255, "an option's length fits its length byte");
    if (b->overflow)
        return 0;
    b->buf[1] = (uint8_t)b->len;
    return b->len;
}
