/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The streaming JSON writer (jsonw.h). */
#define _GNU_SOURCE /* fputs_unlocked, fwrite_unlocked, putc_unlocked */
#include <stdio.h>

#include <glib.h>

#include "decimal.h"
#include "jsonw.h"

void jw_init(jsonw *w, FILE *out)
{
    *w = (jsonw){.out = out};
}

static void sep(jsonw *w)
{
    if (w->comma)
        putc_unlocked(',', w->out);
    w->comma = true;
}

void jw_begin_object(jsonw *w)
{
    sep(w);
    putc_unlocked('{', w->out);
    w->comma = false;
}

void jw_end_object(jsonw *w)
{
    putc_unlocked('}', w->out);
    w->comma = true;
}

void jw_begin_array(jsonw *w)
{
    sep(w);
    putc_unlocked('[', w->out);
    w->comma = false;
}

void jw_end_array(jsonw *w)
{
    putc_unlocked(']', w->out);
    w->comma = true;
}

static void quoted(jsonw *w, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    FILE *out = w->out;
    putc_unlocked('"', out);
    const unsigned char *p = (const unsigned char *)s, *run = p;
    while (*p) {
        unsigned char c = *p;
        if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
            p++;
            continue;
        }
        fwrite_unlocked(run, 1, (size_t)(p - run), out);
        if (c >= 0x80) {
            gunichar u = g_utf8_get_char_validated((const char *)p, -1);
            if (u == (gunichar)-1 || u == (gunichar)-2) {
                fputs_unlocked("\\ufffd", out);
                p++;
            } else {
                const unsigned char *next = (const unsigned char *)g_utf8_next_char(p);
                fwrite_unlocked(p, 1, (size_t)(next - p), out);
                p = next;
            }
        } else {
            putc_unlocked('\\', out);
            switch (c) {
            case '"': putc_unlocked('"', out); break;
            case '\\': putc_unlocked('\\', out); break;
            case '\n': putc_unlocked('n', out); break;
            case '\r': putc_unlocked('r', out); break;
            case '\t': putc_unlocked('t', out); break;
            default:
                fputs_unlocked("u00", out);
                putc_unlocked(hex[c >> 4], out);
                putc_unlocked(hex[c & 15], out);
            }
            p++;
        }
        run = p;
    }
    fwrite_unlocked(run, 1, (size_t)(p - run), out);
    putc_unlocked('"', out);
}

void jw_key(jsonw *w, const char *name)
{
    sep(w);
    quoted(w, name);
    putc_unlocked(':', w->out);
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

void jw_uint(jsonw *w, uint64_t v)
{
    char buf[21];
    sep(w);
    *put_decimal(buf, v) = '\0';
    fputs_unlocked(buf, w->out);
}

void jw_bool(jsonw *w, bool v)
{
    sep(w);
    fputs_unlocked(v ? "true" : "false", w->out);
}

void jw_null(jsonw *w)
{
    sep(w);
    fputs_unlocked("null", w->out);
}

void jw_end_line(jsonw *w)
{
    putc_unlocked('\n', w->out);
    w->comma = false;
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

void jw_member_frame(jsonw *w, const char *name, uint32_t frame)
{
    jw_key(w, name);
    if (frame)
        jw_uint(w, frame);
    else
        jw_null(w);
}
