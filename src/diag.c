/*
 * diag.c -- diagnostics: counting and printing "khaldun: FILE:LINE: what".
 *
 * The bottom of the library: every stage reports through a kh_diag, so
 * this file depends on nothing but the public header.
 */
#include "khaldun.h"
#include "util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void kh_diag_init(kh_diag *d) { memset(d, 0, sizeof *d); }

/* The message in a new string, however long (a message may quote a whole
 * dictionary line): formatted once into a guess and, if it did not fit,
 * again into a buffer of the size vsnprintf asked for. */
static char *format_message(const char *fmt, va_list ap)
{
    size_t cap = 256;
    char *message = kh_xmalloc(cap);
    va_list again;
    va_copy(again, ap);
    int n = vsnprintf(message, cap, fmt, ap);
    if (n >= 0 && (size_t)n >= cap) {
        cap = (size_t)n + 1;
        message = kh_xrealloc(message, cap);
        n = vsnprintf(message, cap, fmt, again);
    }
    va_end(again);
    if (n < 0)
        snprintf(message, cap, "(unprintable message: %s)", fmt);
    return message;
}

static void deliver(kh_diag *d, kh_severity sev, const char *file, long line,
                    const char *message)
{
    if (!d) {
        fprintf(stderr, "khaldun: %s\n", message);
        return;
    }
    if (sev == KH_ERROR)
        d->errors++;
    else
        d->warnings++;
    if (d->sink) {
        d->sink(d->ctx, sev, file, line, message);
        return;
    }
    if (d->quiet)
        return;
    FILE *out = d->stream ? d->stream : stderr;
    if (file && line > 0)
        fprintf(out, "khaldun: %s:%ld: %s\n", file, line, message);
    else if (file)
        fprintf(out, "khaldun: %s: %s\n", file, message);
    else
        fprintf(out, "khaldun: %s\n", message);
}

void kh_diag_report(kh_diag *d, kh_severity sev, const char *file, long line,
                    const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *message = format_message(fmt, ap);
    va_end(ap);
    deliver(d, sev, file, line, message);
    free(message);
}
