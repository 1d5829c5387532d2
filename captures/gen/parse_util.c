/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Scenario parsing helpers shared by parse.c and parse_segment.c. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

bool gen_fail(const char *path, int line, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "%s:%d: ", path, line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return false;
}

bool gen_parse_u32(const char *s, uint32_t max, uint32_t *out)
{
    char *end;
    if (!*s || *s == '-' || *s == '+')
        return false;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 0);
    if (errno || *end || v > max)
        return false;
    *out = (uint32_t)v;
    return true;
}

/* Hex bytes; ',', ':', '.', '_' may separate them. */
bool gen_parse_hex(const char *s, uint8_t *out, size_t room, size_t *n)
{
    size_t k = 0;
    int half = -1;
    for (; *s; s++) {
        if (strchr(",:._", *s))
            continue;
        int d;
        if (*s >= '0' && *s <= '9')
            d = *s - '0';
        else if (*s >= 'a' && *s <= 'f')
            d = *s - 'a' + 10;
        else if (*s >= 'A' && *s <= 'F')
            d = *s - 'A' + 10;
        else
            return false;
        if (half < 0) {
            half = d;
        } else {
            if (k >= room)
                return false;
            out[k++] = (uint8_t)(half << 4 | d);
            half = -1;
        }
    }
    if (half >= 0)
        return false;
    *n = k;
    return true;
}

