/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Decimal digits without printf, for text written once per connection. */
#ifndef ENOSCOPE_DECIMAL_H
#define ENOSCOPE_DECIMAL_H

#include <stdint.h>

/* Writes the decimal digits of v at p (at most 20, no terminator) and
 * returns the end. */
static inline char *put_decimal(char *p, uint64_t v)
{
    char tmp[20];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n)
        *p++ = tmp[--n];
    return p;
}

#endif
