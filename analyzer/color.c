/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Terminal colours (ANSI SGR escapes); NO_COLOR turns off the automatic choice. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>

#include "color.h"

const char color_bold[] = "\033[1m";
const char color_reset[] = "\033[0m";

bool color_mode_parse(const char *s, color_mode *out)
{
    static const char *const names[] = {"auto", "always", "never"};
    for (int i = 0; i < 3; i++) {
        if (g_ascii_strcasecmp(s, names[i]) == 0) {
            *out = (color_mode)i;
            return true;
        }
    }
    return false;
}

bool color_enabled(color_mode mode, int fd)
{
    /* A flag (always, never) wins over the environment. */
    switch (mode) {
    case COLOR_ALWAYS: return true;
    case COLOR_NEVER: return false;
    case COLOR_AUTO: break;
    }
    const char *no = getenv("NO_COLOR");
    if (no && *no)
        return false;
    return isatty(fd) == 1;
}

const char *color_severity(eno_severity s)
{
    switch (s) {
    case ENO_SEV_ERROR: return "\033[1;31m";
    case ENO_SEV_WARNING: return "\033[1;35m";
    case ENO_SEV_NOTE: return "\033[1;36m";
    case ENO_SEV_NONE:
    case ENO_SEV_COUNT: break;
    }
    return "";
}

const char *color_status(eno_status s)
{
    switch (eno_status_tone(s)) {
    case ENO_TONE_GOOD: return "\033[32m";
    case ENO_TONE_CAUTION: return "\033[33m";
    case ENO_TONE_QUIET: return "\033[2m";
    case ENO_TONE_PENDING: break;
    }
    return "\033[34m";
}
