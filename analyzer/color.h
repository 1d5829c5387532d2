/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Terminal colours: when to use them and which escape goes with what. */
#ifndef ENOSCOPE_COLOR_H
#define ENOSCOPE_COLOR_H

#include <stdbool.h>

#include "eno/eno.h"

typedef enum {
    COLOR_AUTO = 0,
    COLOR_ALWAYS,
    COLOR_NEVER,
} color_mode;

/* Parses "auto", "always", "never". */
bool color_mode_parse(const char *s, color_mode *out);
/* Colour for output on fd: always and never say so; auto colours only a
 * terminal, and never when NO_COLOR is set (non-empty). */
bool color_enabled(color_mode mode, int fd);

const char *color_severity(eno_severity s);
const char *color_status(eno_status s);
extern const char color_bold[];
extern const char color_reset[];

#endif
