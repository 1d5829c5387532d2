/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A streaming JSON writer: values are appended to one record's buffer, with
 * no tree in memory, and the record goes to the FILE in one write when it
 * ends (jw_end_line).  Output is compact (no spaces), as one JSON Lines
 * record.
 */
#ifndef ENOSCOPE_JSONW_H
#define ENOSCOPE_JSONW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* A connection's record is about 600 bytes; a longer one (long file names,
 * many findings) moves to the heap until it is written. */
#define JSONW_LOCAL_BYTES 2048

typedef struct {
    FILE *out;
    bool comma;   /* a value was written at this level: the next one needs a comma */
    char *buf;    /* local, or the heap once a record outgrew it */
    size_t len, cap;
    char local[JSONW_LOCAL_BYTES];
} jsonw;

void jw_init(jsonw *w, FILE *out);
void jw_begin_object(jsonw *w);
void jw_end_object(jsonw *w);
void jw_begin_array(jsonw *w);
void jw_end_array(jsonw *w);
/* A member name; the value follows. */
void jw_key(jsonw *w, const char *name);
/* A string (null for NULL).  Bytes that are not UTF-8 become U+FFFD, so
 * that any file name gives valid JSON. */
void jw_string(jsonw *w, const char *s);
void jw_uint(jsonw *w, uint64_t v);
void jw_bool(jsonw *w, bool v);
void jw_null(jsonw *w);
/* Ends the record with a newline and writes it; nothing reaches the FILE
 * before.  The writer may then start the next record. */
void jw_end_line(jsonw *w);

/* A member name that is a string literal of plain ASCII (no quote,
 * backslash or control character), copied as it is: a record has some
 * forty, and none needs escaping.  Only a literal compiles here. */
#define jw_key_lit(w, name) jw_key_raw((w), "\"" name "\":", sizeof(name) + 2)
/* Makes room for n more bytes (the slow path of jw_key_raw). */
void jw_grow(jsonw *w, size_t n);

/* The member name already quoted and followed by its colon (len bytes).
 * Inline: with a literal, the copy is a few moves. */
static inline void jw_key_raw(jsonw *w, const char *quoted_colon, size_t len)
{
    if (w->cap - w->len < len + 1)
        jw_grow(w, len + 1);
    char *o = w->buf + w->len;
    if (w->comma)
        *o++ = ',';
    memcpy(o, quoted_colon, len);
    w->len = (size_t)(o + len - w->buf);
    w->comma = false;
}

/* Shorthands: a member with its value. */
void jw_member_string(jsonw *w, const char *name, const char *s);
void jw_member_uint(jsonw *w, const char *name, uint64_t v);
/* A frame number, null when 0 (none). */
void jw_member_frame(jsonw *w, const char *name, uint32_t frame);
/* The same with a literal name (jw_key_lit). */
#define jw_lit_string(w, name, s) (jw_key_lit(w, name), jw_string((w), (s)))
#define jw_lit_uint(w, name, v) (jw_key_lit(w, name), jw_uint((w), (v)))
#define jw_lit_frame(w, name, f) (jw_key_lit(w, name), jw_frame((w), (f)))
/* A frame number as a value, null when 0. */
void jw_frame(jsonw *w, uint32_t frame);

#endif
