/*
 * util.h -- allocation that cannot fail silently, and small string helpers.
 */
#ifndef KH_UTIL_H
#define KH_UTIL_H

#include <stddef.h>

/* Allocation failure is not a recoverable condition for a batch coder:
 * these print a message and abort rather than return NULL. */
void *kh_xmalloc(size_t size);
void *kh_xcalloc(size_t n, size_t size);
void *kh_xrealloc(void *p, size_t size);
char *kh_xstrdup(const char *s);
char *kh_xstrndup(const char *s, size_t len);

/* Reads a whole file into a NUL-terminated buffer.  Returns NULL and sets
 * errno on failure. */
char *kh_file_read(const char *path, size_t *len);

/* ASCII case-insensitive comparison of two NUL-terminated strings. */
int kh_strcaseeq(const char *a, const char *b);

#endif
