/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A streaming JSON writer: values go straight to a FILE, with no tree in
 * memory.  Output is compact (no spaces), as one JSON Lines record.
 */
#ifndef ENOSCOPE_JSONW_H
#define ENOSCOPE_JSONW_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

typedef struct {
    FILE *out;
    bool comma;   /* a value was written at this level: the next one needs a comma */
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
/* Ends the record with a newline. */
void jw_end_line(jsonw *w);

/* Shorthands: a member with its value. */
void jw_member_string(jsonw *w, const char *name, const char *s);
void jw_member_uint(jsonw *w, const char *name, uint64_t v);
/* A frame number, null when 0 (none). */
void jw_member_frame(jsonw *w, const char *name, uint32_t frame);

#endif
