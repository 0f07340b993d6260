/* util.c -- see util.h */
#include "util.h"

#include <errno.h>
#include <stdint.h>
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

/* Binary detection looks at this many bytes ... */
#define KH_BINARY_SAMPLE_BYTES 4096
/* ... and calls a file binary when more than one byte in this many is a
 * control character that text does not contain. */
#define KH_BINARY_CONTROL_RATIO 10

int kh_looks_binary(const char *d, size_t n)
{
    size_t sample = n < KH_BINARY_SAMPLE_BYTES ? n : KH_BINARY_SAMPLE_BYTES;
    size_t controls = 0;
    for (size_t i = 0; i < sample; i++) {
        unsigned char c = (unsigned char)d[i];
        if ((c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f') ||
            c == 0x7F)
            controls++;
    }
    return controls * KH_BINARY_CONTROL_RATIO > sample;
}

/* Reads f whole, up to max bytes.  With `text`, the first block decides:
 * a binary file, or a device that never ends (/dev/zero, /dev/urandom),
 * is refused before more of it is read.  Sets *why on refusal. */
static char *read_all(FILE *f, size_t max, int text, size_t *len, const char **why)
{
    size_t cap = 1 << 16, n = 0;
    char *buf = kh_xmalloc(cap);
    int checked = !text;
    for (;;) {
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (!checked && (got == 0 || n + 1 >= cap)) {
            checked = 1;
            if (kh_looks_binary(buf, n)) {
                *why = "not a text file";
                break;
            }
        }
        if (got == 0)
            break;
        if (n > max) {
            *why = "too large";
            break;
        }
        if (n + 1 >= cap) {
            cap *= 2;
            buf = kh_xrealloc(buf, cap);
        }
    }
    if (ferror(f) || *why) {
        free(buf);
        errno = EIO;
        return NULL;
    }
    buf[n] = 0;
    if (len)
        *len = n;
    return buf;
}

char *kh_text_file_read(const char *path, size_t max, size_t *len, const char **why)
{
    *why = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *text = read_all(f, max, 1, len, why);
    fclose(f);
    return text;
}

char *kh_file_read(const char *path, size_t *len)
{
    const char *why = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *data = read_all(f, SIZE_MAX, 0, len, &why);
    fclose(f);
    return data;
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
