/*
 * read.c -- the reader core (see read.h and read_format.h): finding the
 * files, undoing compression, rejecting empty and binary inputs,
 * recognising the format, and handing each input to its format's backend
 * (read_text.c, read_html.c, read_jsonl.c, read_petrarch.c,
 * read_tabari.c), whose documents it returns one at a time.
 */
#include "read_format.h"
#include "clean.h"
#include "util.h"
#include "vec.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <zlib.h>
#include <zstd.h>

/* Binary detection looks at this many bytes ... */
#define KH_BINARY_SAMPLE_BYTES 4096
/* ... and calls a file binary when more than one byte in this many is a
 * control character that text does not contain. */
#define KH_BINARY_CONTROL_RATIO 10
/* Decompression output starts at this multiple of the input size. */
#define KH_INFLATE_GUESS 4

/* The backends, in the order their sniffers are tried: PETRARCH before
 * HTML, since both start with '<'; text, which recognises nothing, last. */
static const kh_read_backend *const backends[] = {
    &kh_read_jsonl, &kh_read_petrarch, &kh_read_html, &kh_read_tabari,
    &kh_read_text};
#define BACKEND_COUNT (sizeof backends / sizeof *backends)

/* ---- formats and dates ---- */

static const kh_read_backend *backend_of(kh_read_format format)
{
    for (size_t i = 0; i < BACKEND_COUNT; i++)
        if (backends[i]->format == format)
            return backends[i];
    return NULL;
}

int kh_read_format_parse(const char *name)
{
    if (kh_strcaseeq(name, "auto"))
        return KH_FORMAT_AUTO;
    for (size_t i = 0; i < BACKEND_COUNT; i++)
        for (const char *const *n = backends[i]->names; *n; n++)
            if (kh_strcaseeq(name, *n))
                return backends[i]->format;
    return -1;
}

const char *kh_read_format_name(kh_read_format format)
{
    const kh_read_backend *b = backend_of(format);
    if (format == KH_FORMAT_AUTO)
        return "auto";
    return b ? b->names[0] : "unknown";
}

/* ---- growing buffers ---- */

void kh_read_buffer_room(kh_read_buffer *b, size_t need)
{
    if (b->cap - b->len >= need)
        return;
    while (b->cap - b->len < need)
        b->cap = b->cap ? b->cap * 2 : 4096;
    b->data = kh_xrealloc(b->data, b->cap);
}

void kh_read_buffer_add(kh_read_buffer *b, const char *s, size_t n)
{
    kh_read_buffer_room(b, n + 1);
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = 0;
}

/* ---- decompression ---- */

static int is_gzip(const char *d, size_t n)
{
    return n >= 2 && (unsigned char)d[0] == 0x1F && (unsigned char)d[1] == 0x8B;
}

static int is_zstd(const char *d, size_t n)
{
    return n >= 4 && !memcmp(d, "\x28\xB5\x2F\xFD", 4);
}

/* Inflates all gzip members of in[0, len).  Returns 0, or -1 with *why. */
static int gunzip(const char *in, size_t len, kh_read_buffer *out, const char **why)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    if (inflateInit2(&z, 15 + 32) != Z_OK) {
        *why = "cannot start zlib";
        return -1;
    }
    size_t used = 0;
    int rc = Z_OK;
    kh_read_buffer_room(out, len * KH_INFLATE_GUESS + 1);
    for (;;) {
        if (z.avail_in == 0 && used < len) {
            z.next_in = (Bytef *)in + used;
            z.avail_in = (uInt)(len - used < UINT_MAX ? len - used : UINT_MAX);
            used += z.avail_in;
        }
        kh_read_buffer_room(out, 65536);
        size_t room = out->cap - out->len - 1;
        z.next_out = (Bytef *)out->data + out->len;
        z.avail_out = (uInt)(room < UINT_MAX ? room : UINT_MAX);
        uInt before = z.avail_out;
        rc = inflate(&z, Z_NO_FLUSH);
        out->len += before - z.avail_out;
        if (rc == Z_STREAM_END) {
            if (z.avail_in == 0 && used >= len)
                break;
            if (!is_gzip((const char *)z.next_in, z.avail_in))
                break;                    /* padding after the last member */
            inflateReset(&z);
            continue;
        }
        if (rc == Z_BUF_ERROR && z.avail_in == 0 && used >= len) {
            *why = "truncated gzip data";
            break;
        }
        if (rc != Z_OK && rc != Z_BUF_ERROR) {
            *why = z.msg ? z.msg : "corrupt gzip data";
            break;
        }
    }
    inflateEnd(&z);
    out->data[out->len] = 0;
    return rc == Z_STREAM_END ? 0 : -1;
}

static int unzstd(const char *in, size_t len, kh_read_buffer *out, const char **why)
{
    ZSTD_DCtx *dc = ZSTD_createDCtx();
    ZSTD_inBuffer ib = {in, len, 0};
    size_t rc = 1;
    kh_read_buffer_room(out, len * KH_INFLATE_GUESS + 1);
    for (;;) {
        kh_read_buffer_room(out, ZSTD_DStreamOutSize() + 1);
        ZSTD_outBuffer ob = {out->data + out->len, out->cap - out->len - 1, 0};
        rc = ZSTD_decompressStream(dc, &ob, &ib);
        out->len += ob.pos;
        if (ZSTD_isError(rc)) {
            *why = ZSTD_getErrorName(rc);
            break;
        }
        if (ib.pos == ib.size && ob.pos < ob.size) {
            if (rc != 0)
                *why = "truncated zstd data";
            break;
        }
    }
    ZSTD_freeDCtx(dc);
    out->data[out->len] = 0;
    return !ZSTD_isError(rc) && rc == 0 ? 0 : -1;
}

/* ---- the reader ---- */

typedef KH_VEC(char *) path_vec;
typedef KH_VEC(kh_doc) doc_vec;

struct kh_reader {
    kh_read_options opts;
    kh_diag *diag;
    kh_read_stats stats;
    path_vec paths;          /* files still to read, sorted */
    size_t next_path;
    int from_stdin;          /* "-" not read yet */
    char *mem;               /* kh_reader_open_buffer input, not read yet */
    size_t mem_len;
    char *mem_name;
    /* the input being read */
    char *name;              /* its path */
    char *data;              /* its text, normalised */
    size_t len;
    kh_read_input in;        /* the same, as its backend sees it */
    const kh_read_backend *backend;   /* NULL before the first input */
    doc_vec pending;         /* documents parsed ahead (XML, HTML, text) */
    size_t pending_next;
};

/* Reports a problem that makes the reader skip something, and counts it. */
static void vskip(kh_reader *r, size_t *counter, const char *file, long line,
                  const char *fmt, va_list ap)
{
    char *message = kh_xvasprintf(fmt, ap);
    kh_diag_report(r->diag, KH_ERROR, file, line, "%s", message);
    free(message);
    (*counter)++;
    r->stats.skipped++;
}

static void skip(kh_reader *r, size_t *counter, const char *file, long line,
                 const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

static void skip(kh_reader *r, size_t *counter, const char *file, long line,
                 const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vskip(r, counter, file, line, fmt, ap);
    va_end(ap);
}

static size_t *problem_counter(kh_reader *r, kh_read_problem problem)
{
    switch (problem) {
    case KH_READ_EMPTY: return &r->stats.empty;
    case KH_READ_NO_ARTICLE: return &r->stats.no_article;
    default: return &r->stats.malformed;
    }
}

void kh_read_skip(kh_read_input *in, kh_read_problem problem, long line,
                  const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vskip(in->reader, problem_counter(in->reader, problem), in->name, line,
          fmt, ap);
    va_end(ap);
}

void kh_read_warn(kh_read_input *in, long line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *message = kh_xvasprintf(fmt, ap);
    va_end(ap);
    kh_diag_report(in->reader->diag, KH_WARNING, in->name, line, "%s", message);
    free(message);
}

/* ---- finding the files ---- */

static int path_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *join_path(const char *dir, const char *name)
{
    size_t a = strlen(dir), b = strlen(name);
    char *p = kh_xmalloc(a + b + 2);
    memcpy(p, dir, a);
    size_t k = a;
    if (a == 0 || dir[a - 1] != '/')
        p[k++] = '/';
    memcpy(p + k, name, b + 1);
    return p;
}

/* Collects the regular files under dir.  Symbolic links to directories
 * are not followed, so a link cycle cannot loop. */
static void walk(kh_reader *r, const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) {
        skip(r, &r->stats.unreadable, dir, 0, "cannot read directory: %s",
             strerror(errno));
        return;
    }
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;                        /* ., .., and hidden files */
        char *p = join_path(dir, e->d_name);
        struct stat lst, st;
        if (lstat(p, &lst) != 0 || stat(p, &st) != 0) {
            skip(r, &r->stats.unreadable, p, 0, "cannot read: %s",
                 strerror(errno));
            free(p);
        } else if (S_ISDIR(st.st_mode) && !S_ISLNK(lst.st_mode)) {
            walk(r, p);
            free(p);
        } else if (S_ISREG(st.st_mode)) {
            *KH_VEC_PUSH(&r->paths) = p;
        } else {
            free(p);
        }
    }
    closedir(d);
}

static kh_reader *reader_new(const kh_read_options *opts, kh_diag *diag)
{
    kh_reader *r = kh_xcalloc(1, sizeof *r);
    if (opts)
        r->opts = *opts;
    r->diag = diag;
    return r;
}

kh_reader *kh_reader_open(const char *path, const kh_read_options *opts,
                          kh_diag *diag)
{
    kh_reader *r = reader_new(opts, diag);
    struct stat st;
    if (!path || strcmp(path, "-") == 0) {
        r->from_stdin = 1;
    } else if (stat(path, &st) != 0) {
        skip(r, &r->stats.unreadable, path, 0, "cannot read: %s",
             strerror(errno));
    } else if (S_ISDIR(st.st_mode)) {
        walk(r, path);
        if (r->paths.count > 1)
            qsort(r->paths.items, r->paths.count, sizeof(char *), path_cmp);
    } else {
        *KH_VEC_PUSH(&r->paths) = kh_xstrdup(path);
    }
    return r;
}

kh_reader *kh_reader_open_buffer(const char *name, const char *data,
                                 size_t len, const kh_read_options *opts,
                                 kh_diag *diag)
{
    kh_reader *r = reader_new(opts, diag);
    r->mem = kh_xmalloc(len + 1);
    memcpy(r->mem, data, len);
    r->mem[len] = 0;
    r->mem_len = len;
    r->mem_name = kh_xstrdup(name ? name : "buffer");
    return r;
}

/* ---- loading one input ---- */

/* Bytes asked of fread at a time: a tuning value, any size reads it all. */
#define READ_CHUNK_SIZE 65536

static char *read_stream(FILE *f, size_t *len)
{
    kh_read_buffer b = {0};
    char chunk[READ_CHUNK_SIZE];
    size_t n;
    kh_read_buffer_room(&b, 1);
    b.data[0] = 0;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        kh_read_buffer_add(&b, chunk, n);
    *len = b.len;
    return b.data;
}

/* Undoes gzip or zstd compression (recognised by magic bytes).  Returns 0,
 * or -1 after reporting a broken stream. */
static int decompress(kh_reader *r, char **data, size_t *len)
{
    int gz = is_gzip(*data, *len), zs = is_zstd(*data, *len);
    if (!gz && !zs)
        return 0;
    kh_read_buffer out = {0};
    const char *why = NULL;
    int rc = gz ? gunzip(*data, *len, &out, &why)
                : unzstd(*data, *len, &out, &why);
    free(*data);
    if (rc != 0) {
        skip(r, &r->stats.corrupt, r->name, 0, "%s (%zu bytes decompressed)",
             why ? why : "corrupt compressed data", out.len);
        free(out.data);
        *data = NULL;
        return -1;
    }
    *data = out.data;
    *len = out.len;
    return 0;
}

static int looks_binary(const char *d, size_t n)
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

int kh_read_only_space(const char *d, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!strchr(" \t\r\n\f\v", d[i]) || d[i] == 0)
            return 0;
    return 1;
}

/* The raw bytes of the next input (the memory buffer, stdin, or the next
 * file), naming it in r->name.  Returns 1, 0 when there are no more, or
 * -1 after reporting one that cannot be read. */
static int take_input(kh_reader *r, char **raw, size_t *len)
{
    free(r->name);
    r->name = NULL;
    if (r->mem) {
        r->name = r->mem_name;
        r->mem_name = NULL;
        *raw = r->mem;
        *len = r->mem_len;
        r->mem = NULL;
    } else if (r->from_stdin) {
        r->from_stdin = 0;
        r->name = kh_xstrdup("-");
        *raw = read_stream(stdin, len);
    } else if (r->next_path < r->paths.count) {
        r->name = r->paths.items[r->next_path];
        r->paths.items[r->next_path++] = NULL;
        if (!(*raw = kh_file_read(r->name, len))) {
            skip(r, &r->stats.unreadable, r->name, 0, "cannot read: %s",
                 strerror(errno));
            return -1;
        }
    } else {
        return 0;
    }
    return 1;
}

/* Whether raw input (decompressed) is text worth reading; reports it
 * when it is not. */
static int usable(kh_reader *r, const char *raw, size_t len)
{
    if (len == 0 || kh_read_only_space(raw, len)) {
        skip(r, &r->stats.empty, r->name, 0, "empty file");
        return 0;
    }
    if (looks_binary(raw, len)) {
        skip(r, &r->stats.binary, r->name, 0, "not a text file");
        return 0;
    }
    return 1;
}

/* Reads the next input into r->data, decompressed and normalised.
 * Returns 1 when there is one, 0 when there are no more inputs; inputs
 * that cannot be used are reported and passed. */
static int load_next(kh_reader *r)
{
    for (;;) {
        char *raw = NULL;
        size_t len = 0;
        int got = take_input(r, &raw, &len);
        if (got == 0)
            return 0;
        if (got < 0)
            continue;
        r->stats.files++;
        if (decompress(r, &raw, &len) != 0)
            continue;
        if (usable(r, raw, len)) {
            free(r->data);
            r->data = kh_text_normalize(raw, len, &r->len,
                                        &r->stats.bytes_repaired,
                                        &r->stats.controls_replaced);
            free(raw);
            return 1;
        }
        free(raw);
    }
}

/* ---- recognising the format ---- */

const char *kh_read_base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

/* Whether the file name ends in .ext, or .ext.gz / .ext.zst. */
static int has_ext(const char *name, const char *ext)
{
    static const char *const packed[] = {".gz", ".zst", ".zstd"};
    const char *b = kh_read_base_name(name);
    size_t n = strlen(b), k = strlen(ext);
    for (size_t i = 0; i < sizeof packed / sizeof *packed; i++) {
        size_t p = strlen(packed[i]);
        if (n > p && strncasecmp(b + n - p, packed[i], p) == 0) {
            n -= p;
            break;
        }
    }
    return n > k + 1 && b[n - k - 1] == '.' &&
           strncasecmp(b + n - k, ext, k) == 0;
}

int kh_read_contains_ci(const char *d, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++)
        if (strncasecmp(d + i, needle, k) == 0)
            return 1;
    return 0;
}

/* The backend whose sniffer recognises the content; NULL if none does. */
static const kh_read_backend *sniff(const char *d, size_t n)
{
    size_t i = 0;
    while (i < n && strchr(" \t\r\n", d[i]) && d[i])
        i++;
    if (i >= n)
        return NULL;
    for (size_t b = 0; b < BACKEND_COUNT; b++)
        if (backends[b]->sniff && backends[b]->sniff(d + i, n - i))
            return backends[b];
    return NULL;
}

static const kh_read_backend *by_extension(const char *name)
{
    for (size_t b = 0; b < BACKEND_COUNT; b++)
        for (const char *const *e = backends[b]->extensions; e && *e; e++)
            if (has_ext(name, *e))
                return backends[b];
    return &kh_read_text;
}

/* The format: forced by the options, else recognised from the content,
 * else from the file name, else text. */
static const kh_read_backend *detect(kh_reader *r)
{
    const kh_read_backend *b = backend_of(r->opts.format);
    if (b)
        return b;
    b = sniff(r->data, r->len);
    return b ? b : by_extension(r->name);
}

/* ---- building documents ---- */

void kh_read_meta_add(kh_doc *d, const char *key, const char *value)
{
    d->meta = kh_xrealloc(d->meta, (d->meta_count + 1) * sizeof *d->meta);
    d->meta[d->meta_count].key = kh_xstrdup(key);
    d->meta[d->meta_count].value = kh_xstrdup(value);
    d->meta_count++;
}

int kh_read_set_text(kh_read_input *in, kh_doc *d, const char *text,
                     size_t len, int flatten)
{
    kh_read_stats *st = &in->reader->stats;
    size_t n, b = 0;
    char *t = kh_text_normalize(text, len, &n, &st->bytes_repaired,
                                &st->controls_replaced);
    while (b < n && strchr(" \t\n", t[b]))
        b++;
    while (n > b && strchr(" \t\n", t[n - 1]))
        n--;
    if (n == b) {
        free(t);
        return 0;
    }
    memmove(t, t + b, n - b);
    n -= b;
    t[n] = 0;
    for (size_t i = 0; flatten && i < n; i++)
        if (t[i] == '\n')
            t[i] = ' ';
    free(d->text);
    d->text = t;
    d->len = n;
    d->is_record = flatten;
    return 1;
}

char *kh_read_clean_field(kh_read_input *in, const char *s, size_t len)
{
    kh_doc tmp = {0};
    if (!kh_read_set_text(in, &tmp, s, len, 1))
        return NULL;
    size_t n = 0;
    for (size_t i = 0; i < tmp.len; i++) {
        char c = tmp.text[i] == '\t' ? ' ' : tmp.text[i];
        if (c != ' ' || (n > 0 && tmp.text[n - 1] != ' '))
            tmp.text[n++] = c;
    }
    tmp.text[n] = 0;
    return tmp.text;
}

void kh_read_finish_doc(kh_read_input *in, kh_doc *d, int date_from_text)
{
    if (!d->id)
        d->id = kh_xstrdup(kh_read_base_name(in->name));
    d->path = kh_xstrdup(in->name);
    if (!d->date)
        d->date = in->reader->opts.date;
    if (!d->date && date_from_text)
        d->date = kh_find_date(d->text, d->len);
}

void kh_read_push_doc(kh_read_input *in, kh_doc *d)
{
    *KH_VEC_PUSH(&in->reader->pending) = *d;
    memset(d, 0, sizeof *d);
}

int kh_read_next_line(kh_read_input *in, const char **s, size_t *n)
{
    if (in->pos >= in->len)
        return 0;
    *s = in->data + in->pos;
    const char *nl = memchr(*s, '\n', in->len - in->pos);
    *n = nl ? (size_t)(nl - *s) : in->len - in->pos;
    in->pos += *n + (nl != NULL);
    in->line++;
    return 1;
}

/* ---- the iterator ---- */

static void close_input(kh_reader *r)
{
    for (size_t i = r->pending_next; i < r->pending.count; i++)
        kh_doc_clear(&r->pending.items[i]);
    r->pending.count = r->pending_next = 0;
    if (r->backend && r->backend->close)
        r->backend->close(&r->in);
    free(r->data);
    r->data = NULL;
    r->len = 0;
    r->in = (kh_read_input){.reader = r};
}

/* Hands the input just loaded to its backend, which parses it or
 * prepares to stream it. */
static void start_input(kh_reader *r)
{
    r->backend = detect(r);
    r->in = (kh_read_input){.reader = r, .name = r->name, .data = r->data,
                            .len = r->len, .line = 1};
    if (r->backend->start)
        r->backend->start(&r->in);
}

/* The next document of the input being read: pushed ones first, then
 * streamed ones.  0 when the input has no more. */
static int next_of_input(kh_reader *r, kh_doc *out)
{
    if (r->pending_next < r->pending.count) {
        *out = r->pending.items[r->pending_next++];
        return 1;
    }
    if (r->data && r->backend->next) {
        if (r->backend->next(&r->in, out))
            return 1;
        kh_doc_clear(out);
    }
    return 0;
}

int kh_reader_next(kh_reader *r, kh_doc *out)
{
    for (;;) {
        if (next_of_input(r, out)) {
            r->stats.documents++;
            return 1;
        }
        close_input(r);
        if (!load_next(r))
            return 0;
        start_input(r);
    }
}

void kh_reader_stats(const kh_reader *r, kh_read_stats *stats)
{
    *stats = r->stats;
}

kh_read_format kh_reader_format(const kh_reader *r)
{
    return r->backend ? r->backend->format : KH_FORMAT_AUTO;
}

void kh_reader_close(kh_reader *r)
{
    if (!r)
        return;
    close_input(r);
    KH_VEC_FREE(&r->pending);
    for (size_t i = 0; i < r->paths.count; i++)
        free(r->paths.items[i]);
    KH_VEC_FREE(&r->paths);
    free(r->name);
    free(r->mem);
    free(r->mem_name);
    free(r);
}
