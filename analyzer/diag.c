/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Diagnostics on standard error (diag.h). */
#include <stdarg.h>
#include <stdio.h>

#include <glib.h>

#include "diag.h"

static diag_error_hook error_hook;
static void *error_hook_ctx;

void diag_set_error_hook(diag_error_hook hook, void *ctx)
{
    error_hook = hook;
    error_hook_ctx = ctx;
}

void diag(const char *file, diag_level level, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    gchar *what = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    /* Every diagnostic starts in lower case, also a library's message
     * passed on whole ("Unknown option", but not "BPF" or "IPv6"). */
    if (g_ascii_isupper(what[0]) && g_ascii_islower(what[1]))
        what[0] = g_ascii_tolower(what[0]);
    if (level == DIAG_ERROR)
        fflush(stdout);
    const char *tag = level == DIAG_ERROR ? "error" : "warning";
    if (file)
        fprintf(stderr, "enoscope: %s: %s: %s\n", file, tag, what);
    else
        fprintf(stderr, "enoscope: %s: %s\n", tag, what);
    if (level == DIAG_ERROR && error_hook)
        error_hook(error_hook_ctx, file, what);
    g_free(what);
}
