/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The streaming JSON writer (jsonw.h).  JSON output lists every connection,
 * so this runs once per connection with about forty members: appending to
 * a buffer and writing each record at once costs less than a third of
 * what going through stdio for every piece did (bench/README.md has the
 * figures).
 */
#define _GNU_SOURCE /* fwrite_unlocked */
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "jsonw.h"

void jw_init(jsonw *w, FILE *out)
{
    w->out = out;
    w->comma = false;
    w->buf = w->local;
    w->len = 0;
    w->cap = sizeof w->local;
}

void jw_grow(jsonw *w, size_t n)
{
    size_t cap = w->cap;
    while (cap - w->len < n)
        cap *= 2;
    if (w->buf == w->local) {
        w->buf = g_malloc(cap);
        memcpy(w->buf, w->local, w->len);
    } else {
        w->buf = g_realloc(w->buf, cap);
    }
    w->cap = cap;
}

static inline char *reserve(jsonw *w, size_t n)
{
    if (G_UNLIKELY(w->cap - w->len < n))
        jw_grow(w, n);
    return w->buf + w->len;
}

static inline void put(jsonw *w, const char *s, size_t n)
{
    memcpy(reserve(w, n), s, n);
    w->len += n;
}

static inline void put_char(jsonw *w, char c)
{
    *reserve(w, 1) = c;
    w->len++;
}

static inline void sep(jsonw *w)
{
    if (w->comma)
        put_char(w, ',');
    w->comma = true;
}

void jw_begin_object(jsonw *w)
{
    sep(w);
    put_char(w, '{');
    w->comma = false;
}

void jw_end_object(jsonw *w)
{
    put_char(w, '}');
    w->comma = true;
}

void jw_begin_array(jsonw *w)
{
    sep(w);
    put_char(w, '[');
    w->comma = false;
}

void jw_end_array(jsonw *w)
{
    put_char(w, ']');
    w->comma = true;
}

/* Bytes copied as they are: printable ASCII but the quote and the
 * backslash.  DEL (0x7f) needs no escape in JSON and gets none. */
static inline bool plain(unsigned char c)
{
    return c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
}

/* The bytes of the word x that need a look (not plain), as the high bit
 * of each: (x - k) & ~x & high flags some byte below k (exactly, as a
 * flag for the word; which byte may be off): below 0x20 in x, below 1
 * (zero) in x XOR '"' and in x XOR '\\'; x & high, bytes above 0x7f. */
static inline uint64_t word_flags(uint64_t x)
{
    const uint64_t ones = 0x0101010101010101u, high = 0x8080808080808080u;
    uint64_t q = x ^ (ones * '"'), b = x ^ (ones * '\\');
    return (((x - ones * 0x20) & ~x) | ((q - ones) & ~q) | ((b - ones) & ~b) | x) & high;
}

/* s between quotes, escaped.  Room is reserved for the worst case (every
 * byte a six-byte escape) and a word more, so that the loop writes
 * without checks and whole words at a time: plain text, most of what is
 * written, is copied eight bytes at once, and a short string's tail in one
 * word padded with spaces. */
static void quoted(jsonw *w, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    size_t n = strlen(s);
    char *o = reserve(w, 6 * n + 10);
    *o++ = '"';
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    while (p < end) {
        uint64_t x;
        size_t left = (size_t)(end - p);
        if (left >= 8) {
            memcpy(&x, p, 8);
            if (!word_flags(x)) {
                memcpy(o, &x, 8);
                o += 8;
                p += 8;
                continue;
            }
        } else {
            /* The tail, padded with spaces (plain), byte by byte: a
             * copy of a variable length costs more for a few bytes. */
            x = 0;
            for (size_t i = 0; i < left; i++)
                x |= (uint64_t)p[i] << (8 * i);
            x |= 0x2020202020202020u << (8 * left);
            if (!word_flags(x)) {
                memcpy(o, &x, 8);
                o += left;
                break;
            }
        }
        /* A word with something to escape: byte by byte up to it. */
        unsigned char c = *p;
        if (plain(c)) {
            *o++ = (char)c;
            p++;
            continue;
        }
        if (c >= 0x80) {
            /* GLib's check: overlong forms, surrogates and code points
             * past U+10FFFF are not UTF-8 either. */
            gunichar u = g_utf8_get_char_validated((const char *)p, -1);
            if (u == (gunichar)-1 || u == (gunichar)-2) {
                memcpy(o, "\\ufffd", 6);
                o += 6;
                p++;
            } else {
                const unsigned char *next = (const unsigned char *)g_utf8_next_char(p);
                memcpy(o, p, (size_t)(next - p));
                o += next - p;
                p = next;
            }
            continue;
        }
        *o++ = '\\';
        switch (c) {
        case '"': *o++ = '"'; break;
        case '\\': *o++ = '\\'; break;
        case '\n': *o++ = 'n'; break;
        case '\r': *o++ = 'r'; break;
        case '\t': *o++ = 't'; break;
        default:
            memcpy(o, "u00", 3);
            o[3] = hex[c >> 4];
            o[4] = hex[c & 15];
            o += 5;
        }
        p++;
    }
    *o++ = '"';
    w->len = (size_t)(o - w->buf);
}

void jw_key(jsonw *w, const char *name)
{
    sep(w);
    quoted(w, name);
    put_char(w, ':');
    w->comma = false;
}

void jw_string(jsonw *w, const char *s)
{
    if (!s) {
        jw_null(w);
        return;
    }
    sep(w);
    quoted(w, s);
}

/* Decimal digits two at a time, written from the end: a record holds
 * a dozen numbers. */
static char *put_uint(char *o, uint64_t v)
{
    static const char pairs[] = "00010203040506070809101112131415161718192021222324"
                                "25262728293031323334353637383940414243444546474849"
                                "50515253545556575859606162636465666768697071727374"
                                "75767778798081828384858687888990919293949596979899";
    char tmp[20], *e = tmp + sizeof tmp, *p = e;
    while (v >= 100) {
        unsigned k = (unsigned)(v % 100) * 2;
        v /= 100;
        p -= 2;
        p[0] = pairs[k];
        p[1] = pairs[k + 1];
    }
    if (v >= 10) {
        p -= 2;
        p[0] = pairs[v * 2];
        p[1] = pairs[v * 2 + 1];
    } else {
        *--p = (char)('0' + v);
    }
    memcpy(o, p, (size_t)(e - p));
    return o + (e - p);
}

void jw_uint(jsonw *w, uint64_t v)
{
    sep(w);
    char *o = reserve(w, 20);
    w->len = (size_t)(put_uint(o, v) - w->buf);
}

void jw_bool(jsonw *w, bool v)
{
    sep(w);
    if (v)
        put(w, "true", 4);
    else
        put(w, "false", 5);
}

void jw_null(jsonw *w)
{
    sep(w);
    put(w, "null", 4);
}

void jw_end_line(jsonw *w)
{
    put_char(w, '\n');
    fwrite_unlocked(w->buf, 1, w->len, w->out);
    if (w->buf != w->local)
        g_free(w->buf);
    jw_init(w, w->out);
}

void jw_member_string(jsonw *w, const char *name, const char *s)
{
    jw_key(w, name);
    jw_string(w, s);
}

void jw_member_uint(jsonw *w, const char *name, uint64_t v)
{
    jw_key(w, name);
    jw_uint(w, v);
}

void jw_frame(jsonw *w, uint32_t frame)
{
    if (frame)
        jw_uint(w, frame);
    else
        jw_null(w);
}

void jw_member_frame(jsonw *w, const char *name, uint32_t frame)
{
    jw_key(w, name);
    jw_frame(w, frame);
}
