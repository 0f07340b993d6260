/*
 * read.c -- the reader core (see read.h and read_format.h): finding the
 * files, opening each as a stream (read_stream.c, read_source.c: blocks,
 * decompressed as they are read), rejecting empty and binary inputs and
 * recognising the format from the first block, and handing each input to
 * its format's backend (read_text.c, read_html.c, read_jsonl.c,
 * read_petrarch.c, read_tabari.c), whose documents it returns one at a
 * time.
 */
#include "read_format.h"
#include "read_source.h"
#include "clean.h"
#include "date.h"
#include "util.h"
#include "vec.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* The first block of an input, which format and binary detection see,
 * runs this far past its first non-blank byte: twice the sniffers'
 * window, as normalising can halve a text (CR LF to LF). */
#define KH_PEEK_BYTES (2 * KH_SNIFF_BYTES)

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

/* A buffer's first allocation.  Small, so that it stays in glibc's
 * per-thread cache of small chunks (tcache: up to 1 KB): the XML reader
 * fills two short buffers for every <Sentence>, and a 4 KB first block
 * went through malloc's slow path and free's consolidation each time
 * (900 instructions a buffer).  Long texts double from it in a few steps. */
#define READ_BUFFER_FIRST_BYTES 256

void kh_read_buffer_room(kh_read_buffer *b, size_t need)
{
    if (b->cap - b->len >= need)
        return;
    while (b->cap - b->len < need)
        b->cap = b->cap ? b->cap * 2 : READ_BUFFER_FIRST_BYTES;
    b->data = kh_xrealloc(b->data, b->cap);
}

void kh_read_buffer_add(kh_read_buffer *b, const char *s, size_t n)
{
    kh_read_buffer_room(b, n + 1);
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = 0;
}

/* ---- the reader ---- */

typedef KH_VEC(char *) path_vec;
typedef KH_VEC(kh_doc) doc_vec;

struct kh_reader {
    kh_read_options opts;
    kh_diag *diag;
    kh_read_stats stats;
    path_vec paths;          /* files still to read, sorted */
    size_t root_len;         /* bytes of a directory argument's path (and
                                its '/') in front of each file's path */
    size_t next_path;
    int from_stdin;          /* "-" not read yet */
    char *mem;               /* kh_reader_open_buffer input */
    size_t mem_len;
    char *mem_name;          /* ... not read yet while set */
    int ranged;              /* kh_reader_open_range: its one file is */
    long long range_start;   /* read from range_start for range_len */
    long long range_len;     /* bytes, its first line numbered */
    long first_line;         /* first_line */
    /* the input being read */
    char *name;              /* its path */
    char *head;              /* its first block, normalised */
    kh_read_input in;        /* the input as its backend sees it */
    const kh_read_backend *backend;   /* NULL before the first input */
    const kh_read_backend *started;   /* the backend reading it, if any */
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
    case KH_READ_CORRUPT: return &r->stats.corrupt;
    case KH_READ_UNREADABLE: return &r->stats.unreadable;
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

kh_read_stats *kh_read_stats_of(kh_read_input *in)
{
    return &in->reader->stats;
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

const kh_read_options *kh_read_input_options(const kh_read_input *in)
{
    return &in->reader->opts;
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
        size_t n = strlen(path);
        r->root_len = n > 0 && path[n - 1] == '/' ? n : n + 1;
        walk(r, path);
        if (r->paths.count > 1)
            qsort(r->paths.items, r->paths.count, sizeof(char *), path_cmp);
    } else {
        *KH_VEC_PUSH(&r->paths) = kh_xstrdup(path);
        r->root_len = opts && opts->name_from < strlen(path) ? opts->name_from : 0;
    }
    return r;
}

kh_reader *kh_reader_open_range(const char *path, long long start, long long end,
                                long first_line, const kh_read_options *opts,
                                kh_diag *diag)
{
    kh_reader *r = kh_reader_open(path, opts, diag);
    r->ranged = 1;
    r->range_start = start;
    r->range_len = end > start ? end - start : 0;
    r->first_line = first_line > 0 ? first_line : 1;
    return r;
}

size_t kh_reader_file_count(const kh_reader *r)
{
    return r->paths.count - r->next_path;
}

const char *kh_reader_file(const kh_reader *r, size_t i)
{
    return i < kh_reader_file_count(r) ? r->paths.items[r->next_path + i] : NULL;
}

/* The source of a file the reader opened: the whole file, or its range. */
static kh_source *file_source(kh_reader *r, int fd)
{
    if (!r->ranged)
        return kh_source_fd(fd, 1);
    if (lseek(fd, (off_t)r->range_start, SEEK_SET) < 0) {
        skip(r, &r->stats.unreadable, r->name, 0, "cannot seek to byte %lld: %s",
             r->range_start, strerror(errno));
        close(fd);
        return NULL;
    }
    return kh_source_fd_range(fd, 1, (size_t)r->range_len);
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

/* ---- opening one input ---- */

static int is_blank(char c)
{
    return c && strchr(" \t\r\n\f\v", c);
}

int kh_read_only_space(const char *d, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!is_blank(d[i]))
            return 0;
    return 1;
}

/* Opens the next input (the memory buffer, stdin, or the next file) as a
 * source, naming it in r->name.  Returns 1, 0 when there are no more, or
 * -1 after reporting one that cannot be opened. */
static int take_input(kh_reader *r, kh_source **src)
{
    free(r->name);
    r->name = NULL;
    if (r->mem_name) {
        r->name = r->mem_name;
        r->mem_name = NULL;
        *src = kh_source_memory(r->mem, r->mem_len);
    } else if (r->from_stdin) {
        r->from_stdin = 0;
        r->name = kh_xstrdup("-");
        *src = kh_source_fd(STDIN_FILENO, 0);
    } else if (r->next_path < r->paths.count) {
        r->name = r->paths.items[r->next_path];
        r->paths.items[r->next_path++] = NULL;
        int fd = open(r->name, O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            skip(r, &r->stats.unreadable, r->name, 0, "cannot read: %s",
                 strerror(errno));
            return -1;
        }
        if (!(*src = file_source(r, fd)))
            return -1;
    } else {
        return 0;
    }
    return 1;
}

static const kh_read_backend *sniff(const char *d, size_t n);

/* Whether the input's start, d[0, n) raw, is enough to go on with
 * although the sniffers' window is not full: a backend that streams
 * (JSON lines, XML, TABARI) is chosen for it, so that a pipe that has no
 * more yet is coded while it waits.  (One-document formats wait for
 * their whole input anyway.) */
static int streams_already(kh_reader *r, const char *d, size_t n)
{
    const kh_read_backend *b = backend_of(r->opts.format);
    if (!b) {
        size_t len;
        char *head = kh_text_normalize(d, n, &len, NULL, NULL);
        b = sniff(head, len);
        free(head);
    }
    return b && b->next;
}

/* Reads the input's first block: to KH_PEEK_BYTES past its first
 * non-blank byte, or its end, or (from a pipe with nothing more yet) as
 * far as streams_already needs -- asked only when the reader would
 * otherwise wait, so its cost is never in the way.  Returns 1 when the
 * input is text worth reading, with r->head set; 0 after reporting it. */
static int peek(kh_reader *r)
{
    kh_read_input *in = &r->in;
    const char *d;
    size_t n, b;
    for (;;) {
        kh_read_stream_raw(in, &d, &n);
        for (b = 0; b < n && is_blank(d[b]); b++)
            ;
        if (b < n && (n - b >= KH_PEEK_BYTES ||
                      (!kh_read_stream_ready(in) && streams_already(r, d, n))))
            break;
        if (!kh_read_stream_more(in))
            break;
    }
    if (kh_read_stream_failed(in))
        return 0;                                     /* reported */
    kh_read_stream_raw(in, &d, &n);
    if (kh_read_only_space(d, n)) {
        kh_read_skip(in, KH_READ_EMPTY, 0, "empty file");
        return 0;
    }
    if (kh_looks_binary(d, n)) {
        skip(r, &r->stats.binary, r->name, 0, "not a text file");
        return 0;
    }
    /* The sniffers' copy.  Most input is already normal, which the
     * stream hands out as it is (read_stream.c); so is its head then,
     * without utf8proc's decomposing and recomposing a whole block. */
    if (kh_text_is_normal(d, n)) {
        r->head = kh_xstrndup(d, n);
        in->head_len = n;
    } else {
        r->head = kh_text_normalize(d, n, &in->head_len, NULL, NULL);
    }
    in->head = r->head;
    return 1;
}

static void close_input(kh_reader *r);

/* A regular file's modification date, YYYYMMDD in UTC (day numbers, not
 * the C library's time zone), or 0: what an undated story's dateline
 * month and day take their year from. */
static long modification_date(const char *path)
{
    struct stat st;
    if (!strcmp(path, "-") || stat(path, &st) != 0 || !S_ISREG(st.st_mode) ||
        st.st_mtime < 0)
        return 0;
    return kh_date_from_days((long)(st.st_mtime / KH_SECONDS_PER_DAY));
}

/* Opens the next input that can be read.  Returns 1 when there is one,
 * 0 when there are no more; inputs that cannot be used are reported and
 * passed. */
static int open_next(kh_reader *r)
{
    for (;;) {
        kh_source *src = NULL;
        int got = take_input(r, &src);
        if (got == 0)
            return 0;
        if (got < 0)
            continue;
        r->stats.files++;
        r->in = (kh_read_input){.reader = r, .name = r->name,
                                .line = r->ranged ? r->first_line : 1,
                                .stream = kh_read_stream_new(src),
                                .modified = modification_date(r->name)};
        if (peek(r))
            return 1;
        close_input(r);
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
    b = sniff(r->in.head, r->in.head_len);
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

/* Sets d's text to t[b, n), flattened when asked; takes t. */
static void take_text(kh_doc *d, char *t, size_t b, size_t n, int flatten)
{
    memmove(t, t + b, n - b);
    n -= b;
    t[n] = 0;
    for (char *nl = flatten ? memchr(t, '\n', n) : NULL; nl;
         nl = memchr(nl + 1, '\n', n - (size_t)(nl + 1 - t)))
        *nl = ' ';
    free(d->text);
    d->text = t;
    d->len = n;
    d->is_record = flatten;
}

/* kh_read_set_text; `normal` when the caller knows the text is. */
static int set_text(kh_read_input *in, kh_doc *d, const char *text, size_t len,
                    int flatten, int normal)
{
    kh_read_stats *st = &in->reader->stats;
    size_t n = len, b = 0;
    char *t;
    if (normal || kh_text_is_normal(text, len)) {
        /* Normal already (most text): copy only what the trim keeps. */
        while (b < n && strchr(" \t\n", text[b]))
            b++;
        while (n > b && strchr(" \t\n", text[n - 1]))
            n--;
        t = kh_xstrndup(text + b, n - b);
        n -= b;
        b = 0;
    } else {
        t = kh_text_normalize(text, len, &n, &st->bytes_repaired,
                              &st->controls_replaced);
        while (b < n && strchr(" \t\n", t[b]))
            b++;
        while (n > b && strchr(" \t\n", t[n - 1]))
            n--;
    }
    if (n == b) {
        free(t);
        return 0;
    }
    take_text(d, t, b, n, flatten);
    return 1;
}

int kh_read_set_text(kh_read_input *in, kh_doc *d, const char *text,
                     size_t len, int flatten)
{
    return set_text(in, d, text, len, flatten, 0);
}

int kh_read_set_normal_text(kh_read_input *in, kh_doc *d, const char *text,
                            size_t len, int flatten)
{
    return set_text(in, d, text, len, flatten, 1);
}

/* Whether s[0, len) is printable ASCII without a blank: already its own
 * clean form (ASCII is NFC; nothing to trim, flatten or squeeze), as most
 * ids and outlet names are.  An XML reader cleans two such fields a
 * <Sentence>. */
static int plain_field(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] < 0x21 || (unsigned char)s[i] > 0x7e)
            return 0;
    return len > 0;
}

char *kh_read_clean_field(kh_read_input *in, const char *s, size_t len)
{
    if (plain_field(s, len))
        return kh_xstrndup(s, len);
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

const char *kh_read_doc_name(const kh_read_input *in)
{
    size_t root = in->reader->root_len;
    return strlen(in->name) > root ? in->name + root : in->name;
}

void kh_read_finish_doc(kh_read_input *in, kh_doc *d, int date_from_text)
{
    if (!d->id)
        d->id = kh_xstrdup(kh_read_doc_name(in));
    d->path = kh_xstrdup(in->name);
    if (!d->date)
        d->date = in->reader->opts.date;
    if (!d->date && date_from_text)
        d->date = kh_find_date(d->text, d->len);
    if (!d->date && date_from_text)
        d->date = kh_dateline_date(d->text, d->len, in->modified);
}

void kh_read_push_doc(kh_read_input *in, kh_doc *d)
{
    *KH_VEC_PUSH(&in->reader->pending) = *d;
    memset(d, 0, sizeof *d);
}

/* ---- the iterator ---- */

static void close_input(kh_reader *r)
{
    for (size_t i = r->pending_next; i < r->pending.count; i++)
        kh_doc_clear(&r->pending.items[i]);
    r->pending.count = r->pending_next = 0;
    if (r->started && r->started->close)
        r->started->close(&r->in);
    r->started = NULL;
    kh_read_stream_free(r->in.stream);
    free(r->head);
    r->head = NULL;
    r->in = (kh_read_input){.reader = r};
}

/* Hands the input just opened to its backend, which parses it or
 * prepares to stream it. */
static void start_input(kh_reader *r)
{
    r->backend = r->started = detect(r);
    kh_read_stream_drop_bom(&r->in);
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
    if (r->started && r->started->next) {
        if (r->started->next(&r->in, out))
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
        if (!open_next(r))
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
