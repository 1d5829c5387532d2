/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Diagnostics on standard error (diag.h). */
#include <stdarg.h>
#include <stdio.h>

#include <glib.h>

#include "diag.h"

/* Per thread: with -j each input is read by a thread of its own, whose
 * diagnostics are held back and printed with the input's report. */
static _Thread_local diag_error_hook error_hook;
static _Thread_local void *error_hook_ctx;
static _Thread_local diag_capture capture;
static _Thread_local void *capture_ctx;

void diag_set_error_hook(diag_error_hook hook, void *ctx)
{
    error_hook = hook;
    error_hook_ctx = ctx;
}

void diag_set_capture(diag_capture fn, void *ctx)
{
    capture = fn;
    capture_ctx = ctx;
}

void diag_emit(const char *file, diag_level level, const char *what)
{
    if (level == DIAG_ERROR)
        fflush(stdout);
    const char *tag = level == DIAG_ERROR ? "error" : "warning";
    if (file)
        fprintf(stderr, "enoscope: %s: %s: %s\n", file, tag, what);
    else
        fprintf(stderr, "enoscope: %s: %s\n", tag, what);
    if (level == DIAG_ERROR && error_hook)
        error_hook(error_hook_ctx, file, what);
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
    if (capture)
        capture(capture_ctx, file, level, what);
    else
        diag_emit(file, level, what);
    g_free(what);
}
