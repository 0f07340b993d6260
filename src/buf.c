/* buf.c -- see buf.h */
#include "buf.h"
#include "util.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>

/* A first allocation big enough for a typical event line (JSON lines run
 * to about 1.5 KB), so most writers never grow after their first line. */
#define BUF_MIN_CAP 4096

void kh_buf_grow(kh_buf *b, size_t extra)
{
    if (extra > SIZE_MAX - b->len) {
        fputs("khaldun: output buffer too large\n", stderr);
        abort();
    }
    size_t need = b->len + extra;
    size_t cap = b->cap ? b->cap : BUF_MIN_CAP;
    while (cap < need)
        cap = cap <= SIZE_MAX / 2 ? cap * 2 : need;
    b->data = kh_xrealloc(b->data, cap);
    b->cap = cap;
}

const char kh_decimal_pairs[201] = "00010203040506070809101112131415161718192021222324"
                                   "25262728293031323334353637383940414243444546474849"
                                   "50515253545556575859606162636465666768697071727374"
                                   "75767778798081828384858687888990919293949596979899";

void kh_buf_add_long(kh_buf *b, long long v, int width)
{
    /* Digits are produced backwards, two at a time; the magnitude is taken
     * as unsigned so LLONG_MIN does not overflow. */
    char digits[3 * sizeof v + 1];
    unsigned long long m = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    size_t at = sizeof digits;
    for (; m >= 100; m /= 100) {
        const char *pair = &kh_decimal_pairs[2 * (m % 100)];
        digits[--at] = pair[1];
        digits[--at] = pair[0];
    }
    digits[--at] = kh_decimal_pairs[2 * m + 1];
    if (m >= 10)
        digits[--at] = kh_decimal_pairs[2 * m];
    size_t n = sizeof digits - at, sign = v < 0;
    size_t pad = width > 0 && (size_t)width > n + sign ? (size_t)width - n - sign : 0;
    kh_buf_reserve(b, sign + pad + n);
    char *d = b->data + b->len;
    if (sign)
        *d++ = '-';
    for (; pad; pad--)  /* seldom, and short: a call to memset cost as much as the digits */
        *d++ = '0';
    for (; at < sizeof digits; at++)
        *d++ = digits[at];
    b->len = (size_t)(d - b->data);
}

void kh_buf_printf(kh_buf *b, const char *fmt, ...)
{
    va_list ap;
    /* Most formats here are a number or two: try in the room there is,
     * and grow to the exact size only when it is not enough. */
    kh_buf_reserve(b, 64);
    va_start(ap, fmt);
    int n = vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
    va_end(ap);
    if (n < 0) {
        fputs("khaldun: bad format in output\n", stderr);
        abort();
    }
    if ((size_t)n >= b->cap - b->len) {
        kh_buf_reserve(b, (size_t)n + 1);
        va_start(ap, fmt);
        vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
        va_end(ap);
    }
    b->len += (size_t)n;
}

int kh_buf_write(kh_buf *b, FILE *out)
{
    size_t n = b->len;
    b->len = 0;
    if (n && fwrite(b->data, 1, n, out) != n)
        return -1;
    return ferror(out) ? -1 : 0;
}

void kh_buf_free(kh_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}
