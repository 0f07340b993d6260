/*
 * util.h -- allocation that cannot fail silently, and small string helpers.
 */
#ifndef KH_UTIL_H
#define KH_UTIL_H

#include <stdarg.h>
#include <stddef.h>

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
