/*
 * read_source.c -- the bytes of one input, a block at a time (see
 * read_source.h): raw bytes from a file descriptor or memory, inflated by
 * zlib or zstd's streaming decoder when they start with gzip's or zstd's
 * magic bytes.
 */
#include "read_source.h"
#include "util.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>
#include <zstd.h>

/* Raw bytes asked of read(2) at a time: a tuning value. */
#define SOURCE_BLOCK 65536

/* The least room a caller's buffer has for plain bytes to be read into
 * it directly: a smaller read goes through the block, whose one read(2)
 * then serves several calls.  A tuning value. */
#define SOURCE_DIRECT_MIN 4096

typedef enum { SOURCE_PLAIN, SOURCE_GZIP, SOURCE_ZSTD } source_kind;

struct kh_source {
    int fd, owned;
    int limited;                 /* only `left` more raw bytes are read */
    size_t left;                 /* (a byte range of a file) */
    const char *mem;             /* a memory source, or NULL */
    size_t mem_len;
    /* raw bytes read but not yet used: ip[0, il) */
    const unsigned char *ip;
    size_t il;
    int eof;                     /* no raw bytes after ip[0, il) */
    int started;                 /* the compression is known */
    source_kind kind;
    z_stream z;
    int member_done;             /* a gzip member ended; another may follow */
    ZSTD_DCtx *zd;
    size_t zhint;                /* zstd's last return: 0 at a frame's end */
    int full;                    /* the last call filled the output: the
                                    decoder may hold more without input */
    int failed, corrupt, err;    /* err: errno of a failed read(2) */
    const char *why;
    size_t total;
    unsigned char block[SOURCE_BLOCK];
};

static kh_source *source_new(void)
{
    kh_source *s = kh_xcalloc(1, sizeof *s);
    s->fd = -1;
    return s;
}

kh_source *kh_source_fd(int fd, int owned)
{
    kh_source *s = source_new();
    s->fd = fd;
    s->owned = owned;
    return s;
}

kh_source *kh_source_fd_range(int fd, int owned, size_t len)
{
    kh_source *s = kh_source_fd(fd, owned);
    s->limited = 1;
    s->left = len;
    return s;
}

kh_source *kh_source_memory(const char *data, size_t len)
{
    kh_source *s = source_new();
    s->mem = data;
    s->mem_len = len;
    return s;
}

static ssize_t fail(kh_source *s, int corrupt, const char *why)
{
    s->failed = 1;
    s->corrupt = corrupt;
    s->why = why;
    return -1;
}

/* One read(2) of raw bytes into buf[cap]: EINTR retried, a byte range
 * kept to, the end noted.  Returns the bytes read, or -1. */
static ssize_t raw_read(kh_source *s, char *buf, size_t cap)
{
    if (s->limited && cap > s->left)
        cap = s->left;
    ssize_t n;
    do
        n = cap ? read(s->fd, buf, cap) : 0;
    while (n < 0 && errno == EINTR);
    if (n < 0) {
        s->err = errno;
        return -1;
    }
    if (n == 0)
        s->eof = 1;
    if (s->limited)
        s->left -= (size_t)n;
    return n;
}

/* Reads raw bytes after the il held, until at least `want` are held or
 * the input ends.  Returns 0, or -1 when read(2) fails. */
static int raw_fill(kh_source *s, size_t want)
{
    if (s->mem && !s->eof) {
        s->ip = (const unsigned char *)s->mem;
        s->il = s->mem_len;
        s->eof = 1;
    }
    while (s->il < want && !s->eof) {
        if (s->il > 0 && s->ip != s->block)
            memmove(s->block, s->ip, s->il);
        s->ip = s->block;
        ssize_t n = raw_read(s, (char *)s->block + s->il, sizeof s->block - s->il);
        if (n < 0)
            return -1;
        s->il += (size_t)n;
    }
    return 0;
}

static void consume(kh_source *s, size_t n)
{
    s->ip += n;
    s->il -= n;
}

static int is_gzip(const unsigned char *d, size_t n)
{
    return n >= 2 && d[0] == 0x1F && d[1] == 0x8B;
}

static int is_zstd(const unsigned char *d, size_t n)
{
    return n >= 4 && !memcmp(d, "\x28\xB5\x2F\xFD", 4);
}

/* Recognises the compression from the first four bytes. */
static int start(kh_source *s)
{
    s->started = 1;
    if (raw_fill(s, 4) != 0)
        return -1;
    if (is_gzip(s->ip, s->il)) {
        s->kind = SOURCE_GZIP;
        if (inflateInit2(&s->z, 15 + 32) != Z_OK)
            return (int)fail(s, 1, "cannot start zlib");
    } else if (is_zstd(s->ip, s->il)) {
        s->kind = SOURCE_ZSTD;
        s->zd = ZSTD_createDCtx();
        s->zhint = 1;
    }
    return 0;
}

/* Plain bytes go through the block only while some are held there (the
 * sniffed head) or the caller has little room; after that they go
 * straight into its buffer: the copy was a pass over the whole input,
 * and a cache miss a line, for nothing. */
static ssize_t read_plain(kh_source *s, char *buf, size_t cap)
{
    if (s->il == 0 && !s->mem && !s->eof && cap >= SOURCE_DIRECT_MIN)
        return raw_read(s, buf, cap);
    if (s->il == 0 && raw_fill(s, 1) != 0)
        return -1;
    size_t n = s->il < cap ? s->il : cap;
    memcpy(buf, s->ip, n);
    consume(s, n);
    return (ssize_t)n;
}

/* After a gzip member: whether another follows (concatenated members are
 * one stream; anything else after the last is padding, and ignored). */
static int next_member(kh_source *s)
{
    if (raw_fill(s, 2) != 0)
        return -1;
    if (!is_gzip(s->ip, s->il))
        return 0;
    inflateReset(&s->z);
    s->member_done = 0;
    return 1;
}

static ssize_t read_gzip(kh_source *s, char *buf, size_t cap)
{
    for (;;) {
        if (s->member_done) {
            int more = next_member(s);
            if (more <= 0)
                return more;
        }
        if (s->il == 0 && !s->full) {
            if (raw_fill(s, 1) != 0)
                return -1;
            if (s->il == 0)
                return fail(s, 1, "truncated gzip data");
        }
        size_t in = s->il < UINT_MAX ? s->il : UINT_MAX;
        uInt room = (uInt)(cap < UINT_MAX ? cap : UINT_MAX);
        s->z.next_in = (Bytef *)s->ip;
        s->z.avail_in = (uInt)in;
        s->z.next_out = (Bytef *)buf;
        s->z.avail_out = room;
        int rc = inflate(&s->z, Z_NO_FLUSH);
        consume(s, in - s->z.avail_in);
        size_t out = room - s->z.avail_out;
        s->full = s->z.avail_out == 0;
        if (rc == Z_STREAM_END)
            s->member_done = 1;
        else if (rc != Z_OK && rc != Z_BUF_ERROR)
            return fail(s, 1, s->z.msg ? s->z.msg : "corrupt gzip data");
        if (out)
            return (ssize_t)out;
    }
}

static ssize_t read_zstd(kh_source *s, char *buf, size_t cap)
{
    for (;;) {
        if (s->il == 0 && !s->full) {
            if (raw_fill(s, 1) != 0)
                return -1;
            if (s->il == 0) {
                if (s->zhint != 0)
                    return fail(s, 1, "truncated zstd data");
                return 0;
            }
        }
        ZSTD_inBuffer ib = {s->ip, s->il, 0};
        ZSTD_outBuffer ob = {buf, cap, 0};
        s->zhint = ZSTD_decompressStream(s->zd, &ob, &ib);
        consume(s, ib.pos);
        if (ZSTD_isError(s->zhint))
            return fail(s, 1, ZSTD_getErrorName(s->zhint));
        s->full = ob.pos == ob.size;
        if (ob.pos)
            return (ssize_t)ob.pos;
    }
}

ssize_t kh_source_read(kh_source *s, char *buf, size_t cap)
{
    if (s->failed)
        return -1;
    if (!s->started && start(s) != 0)
        return -1;
    if (cap == 0)
        return 0;
    ssize_t n;
    switch (s->kind) {
    case SOURCE_GZIP: n = read_gzip(s, buf, cap); break;
    case SOURCE_ZSTD: n = read_zstd(s, buf, cap); break;
    default: n = read_plain(s, buf, cap); break;
    }
    if (n < 0 && !s->failed)
        fail(s, 0, NULL);                      /* read(2) failed: s->err */
    if (n > 0)
        s->total += (size_t)n;
    return n;
}

int kh_source_ready(kh_source *s)
{
    if (s->failed || s->mem || s->eof || s->il > 0 || s->full)
        return 1;
    struct pollfd p = {.fd = s->fd, .events = POLLIN};
    return poll(&p, 1, 0) != 0;
}

const char *kh_source_error(const kh_source *s)
{
    if (!s->failed)
        return NULL;
    return s->why ? s->why : strerror(s->err);
}

int kh_source_corrupt(const kh_source *s)
{
    return s->corrupt;
}

size_t kh_source_total(const kh_source *s)
{
    return s->total;
}

void kh_source_free(kh_source *s)
{
    if (!s)
        return;
    if (s->kind == SOURCE_GZIP)
        inflateEnd(&s->z);
    ZSTD_freeDCtx(s->zd);
    if (s->owned && s->fd >= 0)
        close(s->fd);
    free(s);
}
