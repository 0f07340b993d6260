/* util.c -- see util.h */
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void out_of_memory(size_t size)
{
    fprintf(stderr, "khaldun: out of memory (%zu bytes)\n", size);
    abort();
}

void *kh_xmalloc(size_t size)
{
    void *p = malloc(size ? size : 1);
    if (!p)
        out_of_memory(size);
    return p;
}

void *kh_xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        out_of_memory(n * size);
    return p;
}

void *kh_xrealloc(void *p, size_t size)
{
    void *q = realloc(p, size ? size : 1);
    if (!q)
        out_of_memory(size);
    return q;
}

char *kh_xstrndup(const char *s, size_t len)
{
    char *p = kh_xmalloc(len + 1);
    memcpy(p, s, len);
    p[len] = 0;
    return p;
}

char *kh_xstrdup(const char *s) { return kh_xstrndup(s, strlen(s)); }

char *kh_xvasprintf(const char *fmt, va_list ap)
{
    va_list again;
    va_copy(again, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    size_t size = n > 0 ? (size_t)n + 1 : 1;
    char *text = kh_xmalloc(size);
    if (n > 0)
        vsnprintf(text, size, fmt, again);
    else
        text[0] = 0;
    va_end(again);
    return text;
}

char *kh_xasprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *text = kh_xvasprintf(fmt, ap);
    va_end(ap);
    return text;
}

char *kh_file_read(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = kh_xmalloc(cap);
    for (;;) {
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0)
            break;
        if (n + 1 >= cap) {
            cap *= 2;
            buf = kh_xrealloc(buf, cap);
        }
    }
    int failed = ferror(f);
    fclose(f);
    if (failed) {
        free(buf);
        errno = EIO;
        return NULL;
    }
    buf[n] = 0;
    if (len)
        *len = n;
    return buf;
}

int kh_strcaseeq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        int ca = (*a >= 'a' && *a <= 'z') ? *a - 32 : *a;
        int cb = (*b >= 'a' && *b <= 'z') ? *b - 32 : *b;
        if (ca != cb)
            return 0;
    }
    return *a == *b;
}
