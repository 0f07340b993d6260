/*
 * util.h -- allocation that cannot fail silently, and small string helpers.
 */
#ifndef KH_UTIL_H
#define KH_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <utf8proc.h>

/* 64-bit FNV-1a (Fowler, Noll, Vo): public, simple and the same on every
 * machine, which the stable ids and the outputs' keys need.  Chain calls
 * from KH_FNV64_OFFSET. */
#define KH_FNV64_OFFSET 14695981039346656037ULL
#define KH_FNV64_PRIME 1099511628211ULL

static inline uint64_t kh_fnv1a64(uint64_t h, const void *data, size_t n)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * KH_FNV64_PRIME;
    return h;
}

/* Copies s into dst[cap] (cap > 0) as snprintf(dst, cap, "%s", s) does,
 * cut to cap - 1 bytes and always terminated, without printf's parsing
 * of a format: the coder copies a code into every event it makes. */
static inline void kh_copy_cut(char *dst, size_t cap, const char *s)
{
    size_t n = strnlen(s, cap - 1);
    memcpy(dst, s, n);
    dst[n] = 0;
}

/* Decodes the code point at s[i] (i < len) into *cp and returns its
 * length; an invalid byte decodes as itself, length 1, so that scanning
 * never fails on bad input.  News text is mostly ASCII, which needs no
 * decoding. */
static inline int kh_utf8_next(const char *s, size_t len, size_t i, int32_t *cp)
{
    if ((unsigned char)s[i] < 0x80) {
        *cp = (unsigned char)s[i];
        return 1;
    }
    utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                          (utf8proc_ssize_t)(len - i), cp);
    if (n <= 0) {
        *cp = (unsigned char)s[i];
        return 1;
    }
    return (int)n;
}

/* Allocation failure is not a recoverable condition for a batch coder:
 * these print a message and abort rather than return NULL. */
void *kh_xmalloc(size_t size);
void *kh_xcalloc(size_t n, size_t size);
void *kh_xrealloc(void *p, size_t size);
char *kh_xstrdup(const char *s);
char *kh_xstrndup(const char *s, size_t len);

/* printf into a new string of the length the text needs (free it). */
char *kh_xasprintf(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;
char *kh_xvasprintf(const char *fmt, va_list ap);

/* Bytes that hold any value of integer type T in decimal, with its sign
 * and NUL: a byte adds at most three digits (log10 256 < 3). */
#define KH_INT_TEXT_SIZE(T) (3 * sizeof(T) + 2)

/* Reads a whole file into a NUL-terminated buffer.  Returns NULL and sets
 * errno on failure. */
char *kh_file_read(const char *path, size_t *len);

/* Whether d[0, n) is not text: more control characters in its first
 * few KB than any text has (a NUL-filled or compressed file, an image). */
int kh_looks_binary(const char *d, size_t n);

/* Reads a whole text file of at most `max` bytes, NUL-terminated.
 * Returns NULL with *why set ("not a text file", decided from the first
 * block, or "too large") or, when it cannot be read, *why NULL and errno
 * set. */
char *kh_text_file_read(const char *path, size_t max, size_t *len, const char **why);

/* ASCII case-insensitive comparison of two NUL-terminated strings. */
int kh_strcaseeq(const char *a, const char *b);

#endif
