/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Diagnostics on standard error (diag.h). */
#include <stdarg.h>
#include <stdio.h>

#include <glib.h>

#include "diag.h"

void diag(const char *file, diag_level level, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    gchar *what = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    if (level == DIAG_ERROR)
        fflush(stdout);
    const char *tag = level == DIAG_ERROR ? "error" : "warning";
    if (file)
        fprintf(stderr, "enoscope: %s: %s: %s\n", file, tag, what);
    else
        fprintf(stderr, "enoscope: %s: %s\n", tag, what);
    g_free(what);
}
