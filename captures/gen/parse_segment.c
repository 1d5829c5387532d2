/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Segment lines: "A|B FLAGS word...", see captures/README.md. */
#include <stdlib.h>
#include <string.h>

#include "eno/option.h"
#include "parse.h"

static bool parse_num(const char *s, gen_num *out)
{
    out->set = true;
    out->relative = *s == '+';
    return gen_parse_u32(out->relative ? s + 1 : s, UINT32_MAX, &out->value);
}

static bool parse_flags(const char *s, uint8_t *flags)
{
    static const struct { const char *name; uint8_t bit; } names[] = {
        {"FIN", 0x01}, {"SYN", 0x02}, {"RST", 0x04}, {"PSH", 0x08},
        {"ACK", 0x10}, {"URG", 0x20}, {"ECE", 0x40}, {"CWR", 0x80},
    };
    char buf[64];
    *flags = 0;
    if (strcmp(s, "-") == 0)
        return true;
    if (strlen(s) >= sizeof buf)
        return false;
    strcpy(buf, s);
    for (char *save = NULL, *t = strtok_r(buf, ",+", &save); t; t = strtok_r(NULL, ",+", &save)) {
        size_t i;
        for (i = 0; i < sizeof names / sizeof names[0]; i++)
            if (strcmp(t, names[i].name) == 0)
                break;
        if (i == sizeof names / sizeof names[0])
            return false;
        *flags |= names[i].bit;
    }
    return true;
}

static bool add_opt(gen_line *l, const uint8_t *bytes, size_t n, const char **why)
{
    if (l->opts_len + n > GEN_MAX_OPTS) {
        *why = "TCP options exceed 40 bytes";
        return false;
    }
    memcpy(l->opts + l->opts_len, bytes, n);
    l->opts_len += n;
    return true;
}

/* eno=, exid=, exid254=: suboption bytes (or non-SYN contents) encoded by
 * the engine's option builder. */
static bool add_eno(gen_line *l, eno_encoding enc, uint8_t kind, const char *hex,
                    const char **why)
{
    uint8_t sub[GEN_MAX_OPTS];
    size_t n;
    eno_builder b;
    if (!gen_parse_hex(hex, sub, sizeof sub, &n)) {
        *why = "bad hex, or more than 40 bytes";
        return false;
    }
    eno_builder_init(&b, enc, kind);
    eno_builder_raw(&b, sub, n);
    size_t len = eno_builder_finish(&b);
    if (len == 0) {
        *why = "the option builder failed";
        return false;
    }
    return add_opt(l, b.buf, len, why);
}

static bool parse_segment_token(gen_line *l, const char *tok, const char **why)
{
    const char *eq = strchr(tok, '=');
    char key[32];
    const char *val = eq ? eq + 1 : NULL;
    size_t klen = eq ? (size_t)(eq - tok) : strlen(tok);
    uint32_t v, w;
    uint8_t buf[GEN_MAX_OPTS];
    size_t n;

    *why = "bad value";
    if (klen >= sizeof key) {
        *why = "unknown keyword";
        return false;
    }
    memcpy(key, tok, klen);
    key[klen] = 0;

    if (!val) {
        if (strcmp(key, "sackok") == 0)
            return add_opt(l, (const uint8_t[]){4, 2}, 2, why);
        if (strcmp(key, "nop") == 0)
            return add_opt(l, (const uint8_t[]){1}, 1, why);
        if (strcmp(key, "eol") == 0)
            return add_opt(l, (const uint8_t[]){0}, 1, why);
        if (strcmp(key, "ts") == 0) {
            if (l->ts_auto_off >= 0) {
                *why = "ts given twice";
                return false;
            }
            l->ts_auto_off = (int)l->opts_len;
            return add_opt(l, (const uint8_t[]){8, 10, 0, 0, 0, 0, 0, 0, 0, 0}, 10, why);
        }
        *why = "unknown keyword (or missing =value)";
        return false;
    }
    if (strcmp(key, "seq") == 0)
        return parse_num(val, &l->seq);
    if (strcmp(key, "ack") == 0)
        return parse_num(val, &l->ack);
    if (strcmp(key, "isn") == 0)
        return (l->has_isn = gen_parse_u32(val, UINT32_MAX, &l->isn));
    if (strcmp(key, "win") == 0) {
        if (!gen_parse_u32(val, 65535, &v))
            return false;
        l->window = (uint16_t)v;
        return (l->has_window = true);
    }
    if (strcmp(key, "urg") == 0) {
        if (!gen_parse_u32(val, 65535, &v))
            return false;
        l->urg = (uint16_t)v;
        return (l->has_urg = true);
    }
    if ((strcmp(key, "len") == 0 || strcmp(key, "data") == 0) && l->payload_len) {
        *why = "payload given twice";
        return false;
    }
    if (strcmp(key, "len") == 0)
        return gen_parse_u32(val, GEN_MAX_PAYLOAD, &l->payload_len);
    if (strcmp(key, "data") == 0) {
        size_t room = strlen(val) / 2 + 1;
        l->payload = malloc(room);
        if (!l->payload || !gen_parse_hex(val, l->payload, room, &n) || n == 0 ||
            n > GEN_MAX_PAYLOAD)
            return false;
        l->payload_len = (uint32_t)n;
        return true;
    }
    if (strcmp(key, "eno") == 0)
        return add_eno(l, ENO_ENC_KIND69, 0, val, why);
    if (strcmp(key, "exid") == 0 || strcmp(key, "exid253") == 0)
        return add_eno(l, ENO_ENC_EXID, ENO_KIND_EXP1, val, why);
    if (strcmp(key, "exid254") == 0)
        return add_eno(l, ENO_ENC_EXID, ENO_KIND_EXP2, val, why);
    if (strcmp(key, "opt") == 0) {
        if (!gen_parse_hex(val, buf, sizeof buf, &n)) {
            *why = "bad hex, or more than 40 bytes";
            return false;
        }
        return add_opt(l, buf, n, why);
    }
    if (strcmp(key, "mss") == 0) {
        if (!gen_parse_u32(val, 65535, &v))
            return false;
        return add_opt(l, (const uint8_t[]){2, 4, (uint8_t)(v >> 8), (uint8_t)v}, 4, why);
    }
    if (strcmp(key, "ws") == 0) {
        if (!gen_parse_u32(val, 255, &v))
            return false;
        return add_opt(l, (const uint8_t[]){3, 3, (uint8_t)v}, 3, why);
    }
    if (strcmp(key, "ts") == 0) {
        char tmp[32];
        const char *comma = strchr(val, ',');
        if (!comma || (size_t)(comma - val) >= sizeof tmp)
            return false;
        memcpy(tmp, val, (size_t)(comma - val));
        tmp[comma - val] = 0;
        if (!gen_parse_u32(tmp, UINT32_MAX, &v) || !gen_parse_u32(comma + 1, UINT32_MAX, &w))
            return false;
        uint8_t o[10] = {8, 10, (uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8),
                         (uint8_t)v, (uint8_t)(w >> 24), (uint8_t)(w >> 16), (uint8_t)(w >> 8),
                         (uint8_t)w};
        return add_opt(l, o, sizeof o, why);
    }
    if (strcmp(key, "tcpsum") == 0 || strcmp(key, "ipsum") == 0 || strcmp(key, "iplen") == 0) {
        if (!gen_parse_u32(val, 65535, &v))
            return false;
        if (key[0] == 't')
            l->has_tcpsum = true, l->tcpsum = (uint16_t)v;
        else if (key[2] == 's')
            l->has_ipsum = true, l->ipsum = (uint16_t)v;
        else
            l->has_iplen = true, l->iplen = (uint16_t)v;
        return true;
    }
    if (strcmp(key, "caplen") == 0)
        return (l->has_caplen = gen_parse_u32(val, UINT32_MAX, &l->caplen));
    *why = "unknown keyword";
    return false;
}

bool gen_parse_segment(const char *path, gen_line *l, char **tok, int nt)
{
    const char *why;
    l->kind = GEN_SEGMENT;
    l->sender = tok[0][0] == 'A' ? 0 : 1;
    l->ts_auto_off = -1;
    if (nt < 2 || !parse_flags(tok[1], &l->flags))
        return gen_fail(path, l->line, "expected flags such as SYN, SYN,ACK, ACK,PSH or - after %s",
                    tok[0]);
    for (int i = 2; i < nt; i++)
        if (!parse_segment_token(l, tok[i], &why))
            return gen_fail(path, l->line, "%s: %s", tok[i], why);
    if (!l->has_window)
        l->window = (l->flags & 0x02) ? 64240 : 502;
    while (l->opts_len % 4)
        l->opts[l->opts_len++] = 0; /* EOL padding */
    return true;
}

