/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The path between two capture points (captures/README.md, two points):
 * `path` lines say what a middlebox between them does, and the run writes
 * each segment as both points see it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

#define OPT_MSS 2
#define OPT_TS 8

static bool parse_signed(const char *s, int64_t lo, int64_t hi, int64_t *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 0);
    if (!*s || *end || errno || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

static int parse_host(const char *s)
{
    return strcmp(s, "A") == 0 ? 0 : strcmp(s, "B") == 0 ? 1 : -1;
}

static bool parse_action(const char *path, gen_line *l, const char *w)
{
    gen_path *a = &l->path;
    const char *eq = strchr(w, '=');
    size_t klen = eq ? (size_t)(eq - w) : strlen(w);
    const char *v = eq ? eq + 1 : NULL;
    uint32_t u;
#define KEY(name) (klen == strlen(name) && strncmp(w, name, klen) == 0)
    if (KEY("none") && !v)
        return true;
    if (KEY("drop") && !v)
        return a->drop = true;
    if (KEY("hold") && !v)
        return a->hold = true;
    if (KEY("strip-eno") && !v)
        return a->strip_eno = true;
    if (KEY("not-at") && v) {
        if (strcmp(v, "1") != 0 && strcmp(v, "2") != 0)
            return gen_fail(path, l->line, "not-at is 1 or 2");
        a->not_at = (uint8_t)(v[0] - '0');
        return true;
    }
    if ((KEY("eno") || KEY("add-eno")) && (v || KEY("add-eno"))) {
        bool add = KEY("add-eno");
        if (v && !gen_parse_hex(v, a->eno, GEN_MAX_OPTS - 2, &a->eno_len))
            return gen_fail(path, l->line, "%s needs at most 38 hex bytes",
                            add ? "add-eno" : "eno");
        return add ? (a->add_eno = true) : (a->rewrite_eno = true);
    }
    if (KEY("replace-eno") && v) {
        if (!gen_parse_hex(v, a->eno, GEN_MAX_OPTS, &a->eno_len) || a->eno_len == 0)
            return gen_fail(path, l->line, "replace-eno needs the option's bytes in hex");
        return a->replace_eno = true;
    }
    if (KEY("strip") && v) {
        if (a->n_strip == GEN_MAX_STRIP || !gen_parse_u32(v, 255, &u) || u < 2)
            return gen_fail(path, l->line, "strip=KIND: an option kind 2..255, at most %d",
                            GEN_MAX_STRIP);
        a->strip[a->n_strip++] = (uint8_t)u;
        return true;
    }
    if (KEY("mss") && v) {
        if (!gen_parse_u32(v, 65535, &u))
            return gen_fail(path, l->line, "mss=N: clamp MSS to N (0..65535)");
        a->mss = (uint16_t)u;
        return a->clamp = true;
    }
    if (KEY("ts") && v) {
        int64_t d;
        if (!parse_signed(v, INT32_MIN, INT32_MAX, &d))
            return gen_fail(path, l->line, "ts=DELTA: added to TSval");
        a->ts_delta = (int32_t)d;
        return a->ts_shift = true;
    }
    if ((KEY("seq") || KEY("ack")) && v) {
        int64_t d;
        if (!parse_signed(v, INT32_MIN, INT32_MAX, &d))
            return gen_fail(path, l->line, "seq=DELTA, ack=DELTA: a signed 32-bit number");
        *(KEY("seq") ? &a->seq_shift : &a->ack_shift) = (uint32_t)d;
        return true;
    }
    if (KEY("ipid") && v) {
        if (!gen_parse_u32(v, 65535, &u))
            return gen_fail(path, l->line, "ipid=N: added to the IP ID (0..65535)");
        a->ipid_shift = (uint16_t)u;
        return true;
    }
    if (KEY("payload") && v) {
        if (!gen_parse_hex(v, a->payload, sizeof a->payload, &a->payload_len) ||
            a->payload_len == 0)
            return gen_fail(path, l->line, "payload=HEX: at most %d bytes", GEN_MAX_OPTS);
        return true;
    }
#undef KEY
    return gen_fail(path, l->line, "unknown path action \"%s\" (drop, hold, not-at=N, "
                    "strip-eno, eno=HEX, replace-eno=HEX, add-eno[=HEX], strip=KIND, mss=N, "
                    "ts=DELTA, seq=DELTA, ack=DELTA, ipid=N, payload=HEX, none)", w);
}

bool gen_parse_path(const char *path, gen_scenario *sc, gen_line *l, char **tok, int nt)
{
    int64_t v;
    if (nt < 2)
        return gen_fail(path, l->line, "path needs a setting or actions");
    sc->two_points = true;
    if (strcmp(tok[1], "delay") == 0) {
        if (nt != 3 || !parse_signed(tok[2], 0, 1000000, &v))
            return gen_fail(path, l->line, "path delay USEC: 0..1000000");
        sc->path_delay = (uint32_t)v;
        sc->path_delay_line = l->line;
        return true;
    }
    if (strcmp(tok[1], "clock") == 0) {
        if (nt != 3 || !parse_signed(tok[2], -1000000000000LL, 1000000000000LL, &v))
            return gen_fail(path, l->line, "path clock USEC: point 2's clock minus point 1's");
        sc->path_clock = v;
        return true;
    }
    l->kind = GEN_PATH;
    memset(&l->path, 0, sizeof l->path);
    l->path.sender = -1;
    if (strcmp(tok[1], "nat") == 0 || strcmp(tok[1], "isn") == 0) {
        bool nat = tok[1][0] == 'n';
        l->path.what = nat ? GEN_PATH_NAT : GEN_PATH_ISN;
        if (nt != 4 || (l->path.sender = parse_host(tok[2])) < 0)
            return gen_fail(path, l->line, "usage: path %s A|B %s", tok[1],
                            nat ? "ADDR:PORT" : "DELTA");
        if (nat && !gen_parse_endpoint(tok[3], &l->path.nat))
            return gen_fail(path, l->line, "bad address:port (IPv6 as [addr]:port)");
        if (!nat && !parse_signed(tok[3], INT32_MIN, UINT32_MAX, &v))
            return gen_fail(path, l->line, "path isn: a signed 32-bit delta");
        if (!nat)
            l->path.isn_delta = (uint32_t)v;
        return true;
    }
    l->path.what = GEN_PATH_ACTIONS;
    int i = 1;
    if (parse_host(tok[1]) >= 0)
        l->path.sender = parse_host(tok[i++]);
    if (i == nt)
        return gen_fail(path, l->line, "path: no action given (none clears them)");
    for (; i < nt; i++)
        if (!parse_action(path, l, tok[i]))
            return false;
    return true;
}

static bool is_eno(const uint8_t *o, size_t len)
{
    return o[0] == 69 || ((o[0] == 253 || o[0] == 254) && len >= 4 && o[2] == 0x45 &&
                          o[3] == 0x4e);
}

static bool stripped(const gen_path *a, uint8_t kind)
{
    for (size_t i = 0; i < a->n_strip; i++)
        if (a->strip[i] == kind)
            return true;
    return false;
}

/* Appends n bytes; false past the option space. */
static bool put(uint8_t *out, size_t *at, const uint8_t *p, size_t n)
{
    if (*at + n > GEN_MAX_OPTS)
        return false;
    memcpy(out + *at, p, n);
    *at += n;
    return true;
}

static bool put_eno(uint8_t *out, size_t *at, const uint8_t *contents, size_t n)
{
    uint8_t hdr[2] = {69, (uint8_t)(n + 2)};
    return put(out, at, hdr, 2) && put(out, at, contents, n);
}

int gen_path_options(const gen_path *a, const uint8_t *in, size_t n, uint8_t *out)
{
    static const uint8_t nops[GEN_MAX_OPTS] = {
        1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
        1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    };
    size_t at = 0, i = 0;
    while (i < n && in[i] != 0) {
        if (in[i] == 1 || i + 1 >= n || in[i + 1] < 2 || i + in[i + 1] > n) {
            /* NOP, or a malformed rest: copied as it is */
            size_t len = in[i] == 1 ? 1 : n - i;
            if (!put(out, &at, in + i, len))
                return -1;
            i += len;
            continue;
        }
        const uint8_t *o = in + i;
        size_t len = o[1];
        uint8_t copy[GEN_MAX_OPTS];
        memcpy(copy, o, len);
        bool ok;
        if (is_eno(o, len) && a->strip_eno)
            ok = put(out, &at, nops, len);
        else if (is_eno(o, len) && a->rewrite_eno)
            ok = put_eno(out, &at, a->eno, a->eno_len);
        else if (is_eno(o, len) && a->replace_eno)
            ok = put(out, &at, a->eno, a->eno_len);
        else if (stripped(a, o[0]))
            ok = put(out, &at, nops, len);
        else {
            if (o[0] == OPT_MSS && len == 4 && a->clamp && (o[2] << 8 | o[3]) > a->mss) {
                copy[2] = (uint8_t)(a->mss >> 8);
                copy[3] = (uint8_t)a->mss;
            }
            if (o[0] == OPT_TS && len == 10 && a->ts_shift) {
                uint32_t tsval = (uint32_t)o[2] << 24 | (uint32_t)o[3] << 16 |
                                 (uint32_t)o[4] << 8 | o[5];
                tsval += (uint32_t)a->ts_delta;
                copy[2] = (uint8_t)(tsval >> 24);
                copy[3] = (uint8_t)(tsval >> 16);
                copy[4] = (uint8_t)(tsval >> 8);
                copy[5] = (uint8_t)tsval;
            }
            ok = put(out, &at, copy, len);
        }
        if (!ok)
            return -1;
        i += len;
    }
    if (a->add_eno && !put_eno(out, &at, a->eno, a->eno_len))
        return -1;
    while (at % 4)
        out[at++] = 0;
    return (int)at;
}

void gen_path_payload(const gen_path *a, uint8_t *payload, uint32_t len)
{
    size_t n = a->payload_len < len ? a->payload_len : len;
    memcpy(payload, a->payload, n);
}
