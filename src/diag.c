/*
 * diag.c -- diagnostics: counting and printing "khaldun: FILE:LINE: what".
 *
 * The bottom of the library: every stage reports through a kh_diag, so
 * this file depends on nothing but the public header.
 */
#include "khaldun.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void kh_diag_init(kh_diag *d) { memset(d, 0, sizeof *d); }

void kh_diag_report(kh_diag *d, kh_severity sev, const char *file, long line,
                    const char *fmt, ...)
{
    char message[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
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
