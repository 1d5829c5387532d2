/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Internal interface of the scenario parser. */
#ifndef ENOGEN_PARSE_H
#define ENOGEN_PARSE_H

#include "gen.h"

/* Prints "path:line: message" to stderr; returns false. */
bool gen_fail(const char *path, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Unsigned decimal or 0x hex, at most max. */
bool gen_parse_u32(const char *s, uint32_t max, uint32_t *out);
/* Hex byte pairs, optionally separated by ',', ':', '.' or '_'. */
bool gen_parse_hex(const char *s, uint8_t *out, size_t room, size_t *n);
/* "192.0.2.1:443" or "[2001:db8::1]:443" */
bool gen_parse_endpoint(const char *s, gen_endpoint *ep);
/* A segment line already split into words (tok[0] is "A" or "B"). */
bool gen_parse_segment(const char *path, gen_line *l, char **tok, int nt);

#endif
