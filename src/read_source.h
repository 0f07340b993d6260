/*
 * read_source.h -- the bytes of one input, a block at a time
 * (read_source.c): a file descriptor or a memory buffer, with gzip and
 * zstd compression (recognised by their magic bytes) undone as the bytes
 * are asked for.  Memory is a few fixed blocks whatever the input's size,
 * and a pipe yields its bytes as they arrive.  For the reader core
 * (read.c); not for callers.
 */
#ifndef KH_READ_SOURCE_H
#define KH_READ_SOURCE_H

#include <stddef.h>
#include <sys/types.h>

typedef struct kh_source kh_source;

/* Reads fd (closed by kh_source_free when `owned`). */
kh_source *kh_source_fd(int fd, int owned);

/* Reads the next len bytes of fd from where it is (a byte range of a
 * file: the caller has seeked to its start), then ends. */
kh_source *kh_source_fd_range(int fd, int owned, size_t len);

/* Reads data[0, len), which must outlive the source. */
kh_source *kh_source_memory(const char *data, size_t len);

/* Up to cap decompressed bytes into buf: how many (> 0), 0 at the end of
 * the input, or -1 when it cannot be read or its compressed data is
 * broken (kh_source_error says why; every later call returns -1).  Blocks
 * only until some bytes are there, never until cap are. */
ssize_t kh_source_read(kh_source *s, char *buf, size_t cap);

/* Whether kh_source_read would return without waiting: true of files,
 * memory and decompressed bytes already held; of a pipe or terminal only
 * when input is waiting. */
int kh_source_ready(kh_source *s);

/* Why the last read failed: "truncated gzip data", zstd's error name, or
 * the system's ("Is a directory"); NULL when none has. */
const char *kh_source_error(const kh_source *s);

/* Whether the failure was in the compressed data (a corrupt input)
 * rather than in reading (an unreadable one). */
int kh_source_corrupt(const kh_source *s);

/* Decompressed bytes returned so far. */
size_t kh_source_total(const kh_source *s);

void kh_source_free(kh_source *s);

#endif
