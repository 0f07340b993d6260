/*
 * buf.h -- a growable byte buffer: the writers build each line (or
 * sentence) of output here and hand it to stdio in one fwrite.
 *
 *     kh_buf b = {0};
 *     kh_buf_adds(&b, "code\t");
 *     kh_buf_add_long(&b, 42, 0);
 *     kh_buf_write(&b, out);          // writes and empties
 *     kh_buf_free(&b);
 *
 * The contents are bytes, not a C string: they may hold NULs and are not
 * NUL-terminated.  Capacity doubles, so appends are amortised O(1); an
 * append that cannot be allocated aborts (util.h), as everywhere.
 */
#ifndef KH_BUF_H
#define KH_BUF_H

#include <stddef.h>
#include <stdio.h>
#include <string.h>

typedef struct kh_buf {
    char *data;
    size_t len, cap;
} kh_buf;

/* Makes room for `extra` more bytes; the slow path of kh_buf_reserve. */
void kh_buf_grow(kh_buf *b, size_t extra);

static inline void kh_buf_reserve(kh_buf *b, size_t extra)
{
    if (b->cap - b->len < extra)
        kh_buf_grow(b, extra);
}

static inline void kh_buf_add(kh_buf *b, const void *s, size_t n)
{
    if (!n)
        return;     /* s may be NULL when n is 0 */
    kh_buf_reserve(b, n);
    memcpy(b->data + b->len, s, n);
    b->len += n;
}

static inline void kh_buf_addc(kh_buf *b, char c)
{
    kh_buf_reserve(b, 1);
    b->data[b->len++] = c;
}

/* A NUL-terminated string; NULL adds nothing. */
static inline void kh_buf_adds(kh_buf *b, const char *s)
{
    if (s)
        kh_buf_add(b, s, strlen(s));
}

/* "00" to "99": the two digits of i at [2 * i], so that numbers are
 * written two digits a division. */
extern const char kh_decimal_pairs[201];

/* `v` in decimal, zero-padded to at least `width` characters counting the
 * sign, as printf's "%0*ld" does (width 0: no padding). */
void kh_buf_add_long(kh_buf *b, long long v, int width);

/* printf into the buffer. */
void kh_buf_printf(kh_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Writes the contents to `out` and empties the buffer.  Returns 0, or -1
 * when stdio reports an error (the contents are dropped either way: a
 * failed stream is not retried). */
int kh_buf_write(kh_buf *b, FILE *out);

static inline void kh_buf_clear(kh_buf *b) { b->len = 0; }

void kh_buf_free(kh_buf *b);

#endif
