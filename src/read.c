/*
 * read.c -- the input readers (see read.h): finding the files, undoing
 * compression, making text valid UTF-8, recognising the format, and one
 * small reader per format.
 */
#include "read.h"
#include "clean.h"
#include "util.h"
#include "vec.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <jansson.h>
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <utf8proc.h>
#include <zlib.h>
#include <zstd.h>

/* Format and binary detection look at this much of the start of a file;
 * PETRARCH files can have a long <Environment> header before <Sentences>. */
#define KH_SNIFF_BYTES 65536
/* Binary detection looks at this many bytes ... */
#define KH_BINARY_SAMPLE_BYTES 4096
/* ... and calls a file binary when more than one byte in this many is a
 * control character that text does not contain. */
#define KH_BINARY_CONTROL_RATIO 10
/* An HTML page whose article text has fewer words than this has no
 * article (a menu, an error page, a cookie wall). */
#define KH_MIN_ARTICLE_WORDS 5
/* TABARI dates have two-digit years: below this they are 20YY. */
#define KH_TABARI_CENTURY_PIVOT 50
/* Decompression output starts at this multiple of the input size. */
#define KH_INFLATE_GUESS 4

/* ---- formats and dates ---- */

static const char *const format_names[] = {"auto", "text", "html", "jsonl",
                                           "petrarch", "tabari"};

int kh_read_format_parse(const char *name)
{
    for (int i = 0; i <= KH_FORMAT_TABARI; i++)
        if (kh_strcaseeq(name, format_names[i]))
            return i;
    if (kh_strcaseeq(name, "json") || kh_strcaseeq(name, "ndjson"))
        return KH_FORMAT_JSONL;
    if (kh_strcaseeq(name, "xml") || kh_strcaseeq(name, "petr"))
        return KH_FORMAT_PETRARCH;
    if (kh_strcaseeq(name, "txt"))
        return KH_FORMAT_TEXT;
    return -1;
}

const char *kh_read_format_name(kh_read_format format)
{
    return format <= KH_FORMAT_TABARI ? format_names[format] : "unknown";
}

static int valid_ymd(long y, long m, long d)
{
    return y >= 1800 && y <= 2199 && m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

static long read_digits(const char **s, int count)
{
    long v = 0;
    for (int i = 0; i < count; i++, (*s)++) {
        if (**s < '0' || **s > '9')
            return -1;
        v = v * 10 + (**s - '0');
    }
    return v;
}

long kh_parse_date(const char *s)
{
    if (!s)
        return 0;
    while (*s == ' ' || *s == '\t')
        s++;
    long y = read_digits(&s, 4), m, d;
    if (y < 0)
        return 0;
    if (*s == '-' || *s == '/' || *s == '.') {
        char sep = *s++;
        m = read_digits(&s, 2);
        if (*s++ != sep)
            return 0;
        d = read_digits(&s, 2);
    } else {
        m = read_digits(&s, 2);
        d = read_digits(&s, 2);
    }
    if (*s >= '0' && *s <= '9')
        return 0;
    return valid_ymd(y, m, d) ? y * 10000 + m * 100 + d : 0;
}

/* ---- text normalisation ---- */

/* Windows-1252 for bytes 0x80-0x9F; 0 where the code page has a hole. */
static const uint16_t cp1252[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
    0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

static int is_control(utf8proc_int32_t cp)
{
    return (cp < 0x20 && cp != '\n' && cp != '\t') || cp == 0x7F ||
           (cp >= 0x80 && cp < 0xA0);
}

/* One step of the repair: the code point at in[*i], advancing *i. */
static utf8proc_int32_t next_code(const char *in, size_t len, size_t *i,
                                  size_t *repaired)
{
    utf8proc_int32_t cp;
    unsigned char c = (unsigned char)in[*i];
    if (c < 0x80) {
        (*i)++;
        if (c == '\r') {
            if (*i < len && in[*i] == '\n')
                (*i)++;
            return '\n';
        }
        return c;
    }
    utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)in + *i,
                                          (utf8proc_ssize_t)(len - *i), &cp);
    if (n > 0) {
        *i += (size_t)n;
        return cp;
    }
    (*i)++;
    if (repaired)
        (*repaired)++;
    if (c >= 0xA0)
        return c;                                 /* Latin-1 */
    return cp1252[c - 0x80] ? cp1252[c - 0x80] : 0xFFFD;
}

static char *nfc(char *text, size_t *len)
{
    utf8proc_uint8_t *out = NULL;
    utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)text,
                                      (utf8proc_ssize_t)*len, &out,
                                      UTF8PROC_STABLE | UTF8PROC_COMPOSE);
    if (n < 0)
        return text;              /* cannot happen on repaired text */
    free(text);
    *len = (size_t)n;
    return (char *)out;
}

char *kh_text_normalize(const char *text, size_t len, size_t *out_len,
                        size_t *repaired, size_t *controls)
{
    /* Each input byte becomes at most 3 output bytes (U+FFFD, U+20AC). */
    char *out = kh_xmalloc(len * 3 + 1);
    size_t i = 0, n = 0;
    int ascii = 1;
    if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3))
        i = 3;                                    /* byte order mark */
    while (i < len) {
        unsigned char c = (unsigned char)text[i];
        if ((c >= 0x20 && c < 0x7F) || c == '\n' || c == '\t') {
            out[n++] = (char)c;                 /* the common case: ASCII */
            i++;
            continue;
        }
        utf8proc_int32_t cp = next_code(text, len, &i, repaired);
        if (is_control(cp)) {
            cp = ' ';
            if (controls)
                (*controls)++;
        }
        if (cp >= 0x80)
            ascii = 0;
        n += (size_t)utf8proc_encode_char(cp, (utf8proc_uint8_t *)out + n);
    }
    out[n] = 0;
    if (!ascii)
        out = nfc(out, &n);
    if (out_len)
        *out_len = n;
    return out;
}

/* ---- decompression ---- */

typedef struct buffer {
    char *data;
    size_t len, cap;
} buffer;

static void buffer_room(buffer *b, size_t need)
{
    if (b->cap - b->len >= need)
        return;
    while (b->cap - b->len < need)
        b->cap = b->cap ? b->cap * 2 : 4096;
    b->data = kh_xrealloc(b->data, b->cap);
}

static void buffer_add(buffer *b, const char *s, size_t n)
{
    buffer_room(b, n + 1);
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = 0;
}

static int is_gzip(const char *d, size_t n)
{
    return n >= 2 && (unsigned char)d[0] == 0x1F && (unsigned char)d[1] == 0x8B;
}

static int is_zstd(const char *d, size_t n)
{
    return n >= 4 && !memcmp(d, "\x28\xB5\x2F\xFD", 4);
}

/* Inflates all gzip members of in[0, len).  Returns 0, or -1 with *why. */
static int gunzip(const char *in, size_t len, buffer *out, const char **why)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    if (inflateInit2(&z, 15 + 32) != Z_OK) {
        *why = "cannot start zlib";
        return -1;
    }
    size_t used = 0;
    int rc = Z_OK;
    buffer_room(out, len * KH_INFLATE_GUESS + 1);
    for (;;) {
        if (z.avail_in == 0 && used < len) {
            z.next_in = (Bytef *)in + used;
            z.avail_in = (uInt)(len - used < UINT_MAX ? len - used : UINT_MAX);
            used += z.avail_in;
        }
        buffer_room(out, 65536);
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

static int unzstd(const char *in, size_t len, buffer *out, const char **why)
{
    ZSTD_DCtx *dc = ZSTD_createDCtx();
    ZSTD_inBuffer ib = {in, len, 0};
    size_t rc = 1;
    buffer_room(out, len * KH_INFLATE_GUESS + 1);
    for (;;) {
        buffer_room(out, ZSTD_DStreamOutSize() + 1);
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
    size_t len, pos;
    long line;               /* line number at pos, from 1 */
    kh_read_format format;
    int streaming;           /* JSON lines or TABARI records left at pos */
    int in_comment;          /* TABARI: inside a comment */
    json_t *array;           /* a JSON file holding one array */
    size_t array_index;
    doc_vec pending;         /* documents parsed ahead (XML, HTML, text) */
    size_t pending_next;
};

/* Reports a problem that makes the reader skip something, and counts it. */
static void skip(kh_reader *r, size_t *counter, const char *file, long line,
                 const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

static void skip(kh_reader *r, size_t *counter, const char *file, long line,
                 const char *fmt, ...)
{
    char message[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    kh_diag_report(r->diag, KH_ERROR, file, line, "%s", message);
    (*counter)++;
    r->stats.skipped++;
}

static void warn(kh_reader *r, const char *file, long line, const char *what)
{
    kh_diag_report(r->diag, KH_WARNING, file, line, "%s", what);
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

static char *read_stream(FILE *f, size_t *len)
{
    buffer b = {0};
    char chunk[65536];
    size_t n;
    buffer_room(&b, 1);
    b.data[0] = 0;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        buffer_add(&b, chunk, n);
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
    buffer out = {0};
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

static int only_space(const char *d, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!strchr(" \t\r\n\f\v", d[i]) || d[i] == 0)
            return 0;
    return 1;
}

/* Reads the next file (or stdin, or the memory buffer) into r->data,
 * decompressed and normalised.  Returns 1 when there is one, 0 when there
 * are no more inputs; inputs that cannot be used are reported and passed. */
static int load_next(kh_reader *r)
{
    for (;;) {
        char *raw = NULL;
        size_t len = 0;
        free(r->name);
        r->name = NULL;
        if (r->mem) {
            r->name = r->mem_name;
            r->mem_name = NULL;
            raw = r->mem;
            len = r->mem_len;
            r->mem = NULL;
        } else if (r->from_stdin) {
            r->from_stdin = 0;
            r->name = kh_xstrdup("-");
            raw = read_stream(stdin, &len);
        } else if (r->next_path < r->paths.count) {
            r->name = r->paths.items[r->next_path];
            r->paths.items[r->next_path++] = NULL;
            raw = kh_read_file(r->name, &len);
            if (!raw) {
                skip(r, &r->stats.unreadable, r->name, 0, "cannot read: %s",
                     strerror(errno));
                continue;
            }
        } else {
            return 0;
        }
        r->stats.files++;
        if (decompress(r, &raw, &len) != 0)
            continue;
        if (len == 0 || only_space(raw, len)) {
            skip(r, &r->stats.empty, r->name, 0, "empty file");
        } else if (looks_binary(raw, len)) {
            skip(r, &r->stats.binary, r->name, 0, "not a text file");
        } else {
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

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

/* Whether the file name ends in .ext, or .ext.gz / .ext.zst. */
static int has_ext(const char *name, const char *ext)
{
    static const char *const packed[] = {".gz", ".zst", ".zstd"};
    const char *b = base_name(name);
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

static int contains_ci(const char *d, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++)
        if (strncasecmp(d + i, needle, k) == 0)
            return 1;
    return 0;
}

/* "950101 DEMO-01" or "950101*INTRO": 6 (or 8) digits, a separator, an id
 * (the rest of the line: TABARI allows blanks in it).
 * Sets *date (YYYYMMDD; 0 when the digits are not a date) and the id's
 * range. */
static int tabari_header(const char *s, size_t n, long *date, size_t *id,
                         size_t *id_len)
{
    size_t i = 0;
    while (i < n && s[i] >= '0' && s[i] <= '9')
        i++;
    if (i < 6 || i >= n || !strchr(" \t*", s[i]))
        return 0;
    size_t digits = i;
    while (i < n && strchr(" \t*", s[i]))
        i++;
    size_t b = i, e = n;                 /* the id is the rest of the line */
    while (e > b && strchr(" \t\r", s[e - 1]))
        e--;
    if (e == b)
        return 0;
    *id = b;
    *id_len = e - b;
    long v = digits == 6 || digits == 8 ? strtol(s, NULL, 10) : 0;
    if (digits == 6) {
        long yy = v / 10000;
        v += (yy < KH_TABARI_CENTURY_PIVOT ? 20000000L : 19000000L);
    }
    *date = valid_ymd(v / 10000, v / 100 % 100, v % 100) ? v : 0;
    return 1;
}

static kh_read_format sniff(const char *d, size_t n)
{
    size_t i = 0;
    while (i < n && strchr(" \t\r\n", d[i]) && d[i])
        i++;
    if (i >= n)
        return KH_FORMAT_AUTO;
    size_t window = n < KH_SNIFF_BYTES ? n : KH_SNIFF_BYTES, a, b;
    long date;
    if (d[i] == '{' || d[i] == '[')
        return KH_FORMAT_JSONL;
    if (d[i] == '<')
        return contains_ci(d, window, "<sentence") ? KH_FORMAT_PETRARCH
                                                   : KH_FORMAT_HTML;
    /* TABARI: the first line that is not a '#' banner is a header. */
    while (i < n && d[i] == '#') {
        const char *nl = memchr(d + i, '\n', n - i);
        i = nl ? (size_t)(nl - d) + 1 : n;
        while (i < n && strchr(" \t\r\n", d[i]) && d[i])
            i++;
    }
    const char *nl = i < n ? memchr(d + i, '\n', n - i) : NULL;
    size_t k = nl ? (size_t)(nl - d) : n;
    while (k > i && strchr(" \t\r", d[k - 1]))
        k--;
    if (i < n && tabari_header(d + i, k - i, &date, &a, &b) && a + b == k - i)
        return KH_FORMAT_TABARI;
    return KH_FORMAT_AUTO;
}

static kh_read_format detect(kh_reader *r)
{
    if (r->opts.format != KH_FORMAT_AUTO)
        return r->opts.format;
    kh_read_format f = sniff(r->data, r->len);
    if (f != KH_FORMAT_AUTO)
        return f;
    if (has_ext(r->name, "html") || has_ext(r->name, "htm") ||
        has_ext(r->name, "xhtml"))
        return KH_FORMAT_HTML;
    if (has_ext(r->name, "jsonl") || has_ext(r->name, "ndjson") ||
        has_ext(r->name, "json"))
        return KH_FORMAT_JSONL;
    if (has_ext(r->name, "xml"))
        return KH_FORMAT_PETRARCH;
    return KH_FORMAT_TEXT;
}

/* ---- building documents ---- */

static void meta_add(kh_doc *d, const char *key, const char *value)
{
    d->meta = kh_xrealloc(d->meta, (d->meta_count + 1) * sizeof *d->meta);
    d->meta[d->meta_count].key = kh_xstrdup(key);
    d->meta[d->meta_count].value = kh_xstrdup(value);
    d->meta_count++;
}

/* Sets d->text from text[0, len): normalised and trimmed; with `flatten`
 * line breaks become spaces (records that are one sentence, hard-wrapped).
 * Returns 0, setting nothing, when no text remains. */
static int set_text(kh_reader *r, kh_doc *d, const char *text, size_t len,
                    int flatten)
{
    size_t n, b = 0;
    char *t = kh_text_normalize(text, len, &n, &r->stats.bytes_repaired,
                                &r->stats.controls_replaced);
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

/* A metadata string (title, id, ...) as valid one-line UTF-8 with single
 * spaces. */
static char *clean_field(kh_reader *r, const char *s, size_t len)
{
    kh_doc tmp = {0};
    if (!set_text(r, &tmp, s, len, 1))
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

static void finish_doc(kh_reader *r, kh_doc *d, int date_from_text)
{
    if (!d->id)
        d->id = kh_xstrdup(base_name(r->name));
    d->path = kh_xstrdup(r->name);
    if (!d->date)
        d->date = r->opts.date;
    if (!d->date && date_from_text)
        d->date = kh_find_date(d->text, d->len);
}

static void push_doc(kh_reader *r, kh_doc *d)
{
    *KH_VEC_PUSH(&r->pending) = *d;
    memset(d, 0, sizeof *d);
}

/* ---- plain text ---- */

static void read_text(kh_reader *r)
{
    kh_doc d = {0};
    if (!set_text(r, &d, r->data, r->len, 0)) {
        skip(r, &r->stats.empty, r->name, 0, "no text");
        return;
    }
    finish_doc(r, &d, 1);
    push_doc(r, &d);
}

/* ---- HTML ---- */

/* Elements that never hold article text. */
static const char *const html_skip_tags[] = {
    "script", "style", "noscript", "nav", "header", "footer", "aside",
    "form", "button", "iframe", "svg", "select", "option", "template",
    "figure", "figcaption", "input", "label", "textarea", "menu", "dialog",
    "object", "embed", "canvas", "video", "audio", "head", "title", NULL};

/* Words in class or id attributes that mark page furniture. */
static const char *const html_junk_names[] = {
    "nav", "menu", "footer", "share", "social", "comment", "related",
    "advert", "promo", "newsletter", "subscribe", "cookie", "breadcrumb",
    "sidebar", "widget", "banner", "popup", "modal", "byline", "author",
    "caption", "signup", "login", "toolbar", "recommend", "trending", NULL};

static const char *const html_junk_roles[] = {
    "navigation", "banner", "contentinfo", "complementary", "search",
    "menu", "menubar", "dialog", "alert", NULL};

static const char *const html_blocks[] = {
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl",
    "dt", "dd", "table", "tr", "section", "article", "main", "blockquote",
    "pre", "hr", "address", "center", "body", NULL};

static int tag_in(xmlNodePtr n, const char *const *list)
{
    if (n->type != XML_ELEMENT_NODE)
        return 0;
    for (; *list; list++)
        if (!xmlStrcasecmp(n->name, BAD_CAST * list))
            return 1;
    return 0;
}

static int tag_is(xmlNodePtr n, const char *tag)
{
    return n->type == XML_ELEMENT_NODE && !xmlStrcasecmp(n->name, BAD_CAST tag);
}

/* Whether attribute `a` of n contains one of the words (case-insensitive
 * substring) or, with exact, equals one. */
static int attr_has(xmlNodePtr n, const char *a, const char *const *words,
                    int exact)
{
    xmlChar *v = xmlGetProp(n, BAD_CAST a);
    int hit = 0;
    if (!v)
        return 0;
    for (const char *const *w = words; *w && !hit; w++)
        hit = exact ? kh_strcaseeq((char *)v, *w)
                    : contains_ci((char *)v, strlen((char *)v), *w);
    xmlFree(v);
    return hit;
}

static int html_skipped(xmlNodePtr n)
{
    static const char *const yes[] = {"true", NULL};
    static const char *const containers[] = {"html", "body", "main",
                                             "article", NULL};
    if (n->type != XML_ELEMENT_NODE)
        return 0;
    /* Page wrappers often carry names like "has-sidebar": only inner
     * elements are judged by their class and id. */
    int named_junk = !tag_in(n, containers) &&
                     (attr_has(n, "class", html_junk_names, 0) ||
                      attr_has(n, "id", html_junk_names, 0));
    return named_junk || tag_in(n, html_skip_tags) ||
           attr_has(n, "role", html_junk_roles, 1) ||
           attr_has(n, "aria-hidden", yes, 1) || xmlHasProp(n, BAD_CAST "hidden");
}

/* Bytes of text under n, skipping furniture. */
static size_t text_bytes(xmlNodePtr n)
{
    size_t k = 0;
    for (xmlNodePtr c = n->children; c; c = c->next) {
        if (c->type == XML_TEXT_NODE && c->content)
            k += strlen((const char *)c->content);
        else if (c->type == XML_ELEMENT_NODE && !html_skipped(c))
            k += text_bytes(c);
    }
    return k;
}

/* Text in n's own <p> children: how readability tools find the body. */
static size_t paragraph_bytes(xmlNodePtr n)
{
    size_t k = 0;
    for (xmlNodePtr c = n->children; c; c = c->next)
        if (tag_is(c, "p") && !html_skipped(c))
            k += text_bytes(c);
    return k;
}

static size_t deep_paragraph_bytes(xmlNodePtr n)
{
    size_t k = paragraph_bytes(n);
    for (xmlNodePtr c = n->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && !html_skipped(c))
            k += deep_paragraph_bytes(c);
    return k;
}

typedef struct html_pick {
    xmlNodePtr article, main, best, body;
    size_t article_score, best_score;
} html_pick;

static void html_find(xmlNodePtr n, html_pick *pk)
{
    static const char *const main_role[] = {"main", NULL};
    for (xmlNodePtr c = n->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (tag_is(c, "body") && !pk->body)
            pk->body = c;
        if (html_skipped(c))
            continue;
        size_t s;
        if (tag_is(c, "article") &&
            ((s = deep_paragraph_bytes(c)) > pk->article_score || !pk->article)) {
            pk->article = c;
            pk->article_score = s;
        }
        if (!pk->main && (tag_is(c, "main") || attr_has(c, "role", main_role, 1)))
            pk->main = c;
        if ((s = paragraph_bytes(c)) > pk->best_score) {
            pk->best = c;
            pk->best_score = s;
        }
        html_find(c, pk);
    }
}

static void put_break(buffer *b, int lines)
{
    while (b->len > 0 && b->data[b->len - 1] == ' ')
        b->data[--b->len] = 0;
    if (b->len == 0)
        return;
    int have = 0;
    while (have < lines && have < (int)b->len &&
           b->data[b->len - 1 - have] == '\n')
        have++;
    for (; have < lines; have++)
        buffer_add(b, "\n", 1);
}

static void put_text(buffer *b, const char *s, int pre)
{
    for (; *s; s++) {
        int space = strchr(" \t\r\n\f", *s) != NULL;
        if (pre || !space)
            buffer_add(b, s, 1);
        else if (b->len > 0 && !strchr(" \n", b->data[b->len - 1]))
            buffer_add(b, " ", 1);
    }
}

static void html_text(xmlNodePtr n, buffer *b, int pre)
{
    for (xmlNodePtr c = n->children; c; c = c->next) {
        if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) &&
            c->content) {
            put_text(b, (const char *)c->content, pre);
        } else if (c->type == XML_ELEMENT_NODE && !html_skipped(c)) {
            if (tag_is(c, "br")) {
                put_break(b, 1);
                continue;
            }
            int block = tag_in(c, html_blocks);
            if (block)
                put_break(b, 2);
            html_text(c, b, pre || tag_is(c, "pre"));
            if (block)
                put_break(b, 2);
        }
    }
}

static void set_field(kh_reader *r, char **field, const xmlChar *v)
{
    if (*field || !v)
        return;
    *field = clean_field(r, (const char *)v, strlen((const char *)v));
}

static void html_meta_tag(kh_reader *r, xmlNodePtr n, kh_doc *d, char **title)
{
    static const char *const date_keys[] = {
        "article:published_time", "og:published_time", "datePublished",
        "date", "pubdate", "publishdate", "dc.date", "dc.date.issued",
        "sailthru.date", "parsely-pub-date", NULL};
    xmlChar *key = xmlGetProp(n, BAD_CAST "property");
    if (!key)
        key = xmlGetProp(n, BAD_CAST "name");
    if (!key)
        key = xmlGetProp(n, BAD_CAST "itemprop");
    xmlChar *content = xmlGetProp(n, BAD_CAST "content");
    if (key && content) {
        const char *k = (const char *)key;
        if (kh_strcaseeq(k, "og:title"))
            set_field(r, title, content);
        else if (kh_strcaseeq(k, "og:site_name"))
            set_field(r, &d->source, content);
        else if (kh_strcaseeq(k, "og:url"))
            set_field(r, &d->url, content);
        for (int i = 0; date_keys[i] && !d->date; i++)
            if (kh_strcaseeq(k, date_keys[i]))
                d->date = kh_parse_date((const char *)content);
    }
    xmlFree(key);
    xmlFree(content);
}

/* Title, outlet, address and date from the whole page. */
static void html_meta(kh_reader *r, xmlNodePtr n, kh_doc *d, char **og_title,
                      char **title_tag)
{
    for (xmlNodePtr c = n->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (tag_is(c, "meta")) {
            html_meta_tag(r, c, d, og_title);
        } else if (tag_is(c, "title") && !*title_tag) {
            xmlChar *t = xmlNodeGetContent(c);
            set_field(r, title_tag, t);
            xmlFree(t);
        } else if (tag_is(c, "time") && !d->date) {
            xmlChar *t = xmlGetProp(c, BAD_CAST "datetime");
            d->date = kh_parse_date((const char *)t);
            xmlFree(t);
        } else if (tag_is(c, "link") && !d->url) {
            static const char *const canon[] = {"canonical", NULL};
            if (attr_has(c, "rel", canon, 1)) {
                xmlChar *h = xmlGetProp(c, BAD_CAST "href");
                set_field(r, &d->url, h);
                xmlFree(h);
            }
        }
        html_meta(r, c, d, og_title, title_tag);
    }
}

static size_t count_words(const char *s, size_t n)
{
    size_t words = 0;
    for (size_t i = 0; i < n; i++)
        if (!strchr(" \t\n", s[i]) && (i == 0 || strchr(" \t\n", s[i - 1])))
            words++;
    return words;
}

static void read_html(kh_reader *r)
{
    htmlDocPtr doc = htmlReadMemory(r->data, (int)(r->len < INT_MAX ? r->len : INT_MAX),
                                    r->name, "UTF-8",
                                    HTML_PARSE_RECOVER | HTML_PARSE_NOERROR |
                                        HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
    xmlNodePtr root = doc ? xmlDocGetRootElement(doc) : NULL;
    if (!root) {
        skip(r, &r->stats.malformed, r->name, 0, "cannot parse HTML");
        xmlFreeDoc(doc);
        return;
    }
    kh_doc d = {0};
    char *og_title = NULL, *title_tag = NULL;
    html_meta(r, (xmlNodePtr)doc, &d, &og_title, &title_tag);
    d.title = og_title ? og_title : title_tag;
    free(og_title ? title_tag : NULL);
    html_pick pk = {0};
    html_find((xmlNodePtr)doc, &pk);
    xmlNodePtr body = pk.article ? pk.article : pk.main ? pk.main
                    : pk.best_score ? pk.best : pk.body ? pk.body : root;
    buffer b = {0};
    buffer_add(&b, "", 0);
    html_text(body, &b, 0);
    xmlFreeDoc(doc);
    if (count_words(b.data, b.len) < KH_MIN_ARTICLE_WORDS ||
        !set_text(r, &d, b.data, b.len, 0)) {
        skip(r, &r->stats.no_article, r->name, 0, "no article text in HTML page");
        kh_doc_clear(&d);
    } else {
        finish_doc(r, &d, 1);
        push_doc(r, &d);
    }
    free(b.data);
}

/* ---- JSON lines ---- */

static const char *json_type_name(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_STRING: return "a string";
    case JSON_INTEGER: return "an integer";
    case JSON_REAL: return "a number";
    case JSON_TRUE: case JSON_FALSE: return "a boolean";
    default: return "null";
    }
}

/* Fields with a place in kh_doc; everything else goes to meta. */
static const char *const json_text_keys[] = {"text", "body", "content",
                                             "article", NULL};

static int json_known(const char *key)
{
    static const char *const known[] = {"id", "date", "title", "source",
                                        "url", NULL};
    for (int i = 0; known[i]; i++)
        if (!strcmp(key, known[i]))
            return 1;
    return 0;
}

static void json_string_field(kh_reader *r, json_t *obj, const char *key,
                              char **field, long line)
{
    json_t *v = json_object_get(obj, key);
    char msg[128];
    if (!v || json_is_null(v))
        return;
    if (json_is_string(v)) {
        *field = clean_field(r, json_string_value(v), json_string_length(v));
    } else if (json_is_integer(v) && !strcmp(key, "id")) {
        snprintf(msg, sizeof msg, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        *field = kh_xstrdup(msg);
    } else {
        snprintf(msg, sizeof msg, "\"%s\" is %s, not a string; ignored", key,
                 json_type_name(v));
        warn(r, r->name, line, msg);
    }
}

static long json_date(kh_reader *r, json_t *obj, long line)
{
    json_t *v = json_object_get(obj, "date");
    long date = 0;
    if (!v || json_is_null(v))
        return 0;
    if (json_is_string(v))
        date = kh_parse_date(json_string_value(v));
    else if (json_is_integer(v)) {
        char digits[32];
        snprintf(digits, sizeof digits, "%" JSON_INTEGER_FORMAT,
                 json_integer_value(v));
        date = kh_parse_date(digits);
    }
    if (!date)
        warn(r, r->name, line, "\"date\" is not a date (want YYYY-MM-DD); ignored");
    return date;
}

static void json_meta(kh_doc *d, json_t *obj, const char *text_key)
{
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v) {
        if (json_known(key) || !strcmp(key, text_key) || json_is_null(v))
            continue;
        if (json_is_string(v)) {
            meta_add(d, key, json_string_value(v));
        } else {
            char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
            meta_add(d, key, s ? s : "");
            free(s);
        }
    }
}

/* One JSON object to a document.  Returns 1, or 0 after reporting. */
static int doc_from_json(kh_reader *r, json_t *obj, long line, kh_doc *d)
{
    json_t *text = NULL;
    const char *text_key = NULL;
    for (int i = 0; json_text_keys[i] && !text; i++)
        if ((text = json_object_get(obj, json_text_keys[i])))
            text_key = json_text_keys[i];
    if (!text) {
        skip(r, &r->stats.malformed, r->name, line, "no \"text\" field");
        return 0;
    }
    if (!json_is_string(text)) {
        skip(r, &r->stats.malformed, r->name, line, "\"%s\" is %s, not a string",
             text_key, json_type_name(text));
        return 0;
    }
    if (!set_text(r, d, json_string_value(text), json_string_length(text), 0)) {
        skip(r, &r->stats.empty, r->name, line, "empty \"%s\"", text_key);
        return 0;
    }
    json_string_field(r, obj, "id", &d->id, line);
    json_string_field(r, obj, "title", &d->title, line);
    json_string_field(r, obj, "source", &d->source, line);
    json_string_field(r, obj, "url", &d->url, line);
    d->date = json_date(r, obj, line);
    json_meta(d, obj, text_key);
    if (!d->id) {
        char id[64];
        snprintf(id, sizeof id, ":%ld", line);
        d->id = kh_xmalloc(strlen(base_name(r->name)) + strlen(id) + 1);
        strcat(strcpy(d->id, base_name(r->name)), id);
    }
    finish_doc(r, d, 0);
    return 1;
}

static int json_value_doc(kh_reader *r, json_t *v, long line, kh_doc *out)
{
    if (!json_is_object(v)) {
        skip(r, &r->stats.malformed, r->name, line, "%s, not a JSON object",
             json_type_name(v));
        return 0;
    }
    return doc_from_json(r, v, line, out);
}

/* The next document of a JSON-lines file (or of a JSON array file). */
static int next_json(kh_reader *r, kh_doc *out)
{
    while (r->array && r->array_index < json_array_size(r->array)) {
        size_t i = r->array_index++;
        if (json_value_doc(r, json_array_get(r->array, i), (long)i + 1, out))
            return 1;
    }
    while (r->pos < r->len) {
        const char *s = r->data + r->pos, *nl = memchr(s, '\n', r->len - r->pos);
        size_t n = nl ? (size_t)(nl - s) : r->len - r->pos;
        long line = r->line++;
        r->pos += n + (nl != NULL);
        if (only_space(s, n))
            continue;
        json_error_t err;
        json_t *v = json_loadb(s, n, JSON_ALLOW_NUL, &err);
        if (!v) {
            skip(r, &r->stats.malformed, r->name, line, "bad JSON: %s", err.text);
            continue;
        }
        int got = json_value_doc(r, v, line, out);
        json_decref(v);
        if (got)
            return 1;
    }
    return 0;
}

static void open_json(kh_reader *r)
{
    size_t i = 0;
    while (i < r->len && strchr(" \t\n", r->data[i]))
        i++;
    r->streaming = 1;
    if (i >= r->len || r->data[i] != '[')
        return;
    json_error_t err;
    r->array = json_loadb(r->data, r->len, JSON_ALLOW_NUL, &err);
    r->pos = r->len;                      /* no lines to read after it */
    if (!r->array)
        skip(r, &r->stats.malformed, r->name, err.line, "bad JSON: %s", err.text);
    else if (!json_is_array(r->array))
        skip(r, &r->stats.malformed, r->name, 1, "not a JSON array");
}

/* ---- PETRARCH XML ---- */

static char *xml_attr(xmlNodePtr n, const char *name)
{
    xmlChar *v = xmlGetProp(n, BAD_CAST name);
    char *s = v ? kh_xstrdup((const char *)v) : NULL;
    xmlFree(v);
    return s;
}

/* <EventCoding sourcecode= targetcode= eventcode=> children, as
 * "SRC TGT CODE;..." for the validator. */
static void petr_expected(xmlNodePtr sentence, kh_doc *d)
{
    buffer b = {0};
    for (xmlNodePtr c = sentence->children; c; c = c->next) {
        if (!tag_is(c, "EventCoding"))
            continue;
        static const char *const parts[] = {"sourcecode", "targetcode",
                                            "eventcode"};
        if (b.len)
            buffer_add(&b, ";", 1);
        for (int i = 0; i < 3; i++) {
            char *v = xml_attr(c, parts[i]);
            if (i)
                buffer_add(&b, " ", 1);
            buffer_add(&b, v ? v : "---", strlen(v ? v : "---"));
            free(v);
        }
    }
    if (b.len)
        meta_add(d, "expected", b.data);
    free(b.data);
}

static void petr_attrs(kh_reader *r, xmlNodePtr n, kh_doc *d, long line)
{
    for (xmlAttrPtr a = n->properties; a; a = a->next) {
        const char *k = (const char *)a->name;
        xmlChar *v = xmlNodeListGetString(n->doc, a->children, 1);
        const char *s = v ? (const char *)v : "";
        /* recovering parsers may hand us an attribute twice */
        if (!strcmp(k, "id"))
            free(d->id), d->id = clean_field(r, s, strlen(s));
        else if (!strcmp(k, "date") && !(d->date = kh_parse_date(s)))
            warn(r, r->name, line, "Sentence date is not YYYYMMDD; ignored");
        else if (!strcmp(k, "source"))
            free(d->source), d->source = clean_field(r, s, strlen(s));
        else if (strcmp(k, "date"))
            meta_add(d, k, s);
        xmlFree(v);
    }
}

static void petr_sentence(kh_reader *r, xmlNodePtr n)
{
    long line = xmlGetLineNo(n);
    xmlNodePtr text = NULL;
    for (xmlNodePtr c = n->children; c && !text; c = c->next)
        if (tag_is(c, "Text"))
            text = c;
    if (!text) {
        skip(r, &r->stats.malformed, r->name, line, "<Sentence> without <Text>");
        return;
    }
    kh_doc d = {0};
    xmlChar *t = xmlNodeGetContent(text);
    int ok = t && set_text(r, &d, (const char *)t, strlen((const char *)t), 1);
    xmlFree(t);
    if (!ok) {
        skip(r, &r->stats.empty, r->name, line, "<Sentence> with empty <Text>");
        return;
    }
    petr_attrs(r, n, &d, line);
    petr_expected(n, &d);
    finish_doc(r, &d, 0);
    push_doc(r, &d);
}

static void petr_walk(kh_reader *r, xmlNodePtr n, size_t *found)
{
    for (xmlNodePtr c = n->children; c; c = c->next) {
        if (tag_is(c, "Sentence")) {
            (*found)++;
            petr_sentence(r, c);
        } else if (c->type == XML_ELEMENT_NODE) {
            petr_walk(r, c, found);
        }
    }
}

static void read_petrarch(kh_reader *r)
{
    xmlDocPtr doc = xmlReadMemory(r->data, (int)(r->len < INT_MAX ? r->len : INT_MAX),
                                  r->name, "UTF-8",
                                  XML_PARSE_RECOVER | XML_PARSE_NONET |
                                      XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                                      XML_PARSE_HUGE);
    size_t found = 0;
    if (doc)
        petr_walk(r, (xmlNodePtr)doc, &found);
    if (!found)
        skip(r, &r->stats.malformed, r->name, 0,
             doc ? "no <Sentence> elements" : "cannot parse XML");
    xmlFreeDoc(doc);
}

/* ---- TABARI records ---- */

/* Appends line s[0, n) to b without its comments; r->in_comment carries
 * across lines.  Returns 1 when the line had anything outside comments. */
static int tabari_strip(kh_reader *r, const char *s, size_t n, buffer *b)
{
    int any = 0;
    for (size_t i = 0; i < n;) {
        if (r->in_comment) {
            if (i + 1 < n && s[i] == '*' && s[i + 1] == '/') {
                r->in_comment = 0;
                i += 2;
            } else {
                i++;
            }
        } else if (i + 1 < n && s[i] == '/' && s[i + 1] == '*') {
            r->in_comment = 1;
            i += 2;
        } else {
            if (!strchr(" \t", s[i]))
                any = 1;
            if (b)
                buffer_add(b, s + i, 1);
            i++;
        }
    }
    if (b)
        buffer_add(b, "\n", 1);
    return any;
}

/* The next line at r->pos: sets *s, *n and advances.  0 at the end. */
static int next_line(kh_reader *r, const char **s, size_t *n)
{
    if (r->pos >= r->len)
        return 0;
    *s = r->data + r->pos;
    const char *nl = memchr(*s, '\n', r->len - r->pos);
    *n = nl ? (size_t)(nl - *s) : r->len - r->pos;
    r->pos += *n + (nl != NULL);
    r->line++;
    return 1;
}

/* Reads text lines up to a blank line.  A blank line also ends an open
 * comment, as in TABARI, which reads records before it looks for comments
 * (its own demo file has a comment closed by a second slash-star). */
static void tabari_body(kh_reader *r, buffer *b)
{
    const char *s;
    size_t n;
    while (next_line(r, &s, &n) && !only_space(s, n))
        tabari_strip(r, s, n, b);
    r->in_comment = 0;
}

/* The record whose header line is s[0, n): reads its text into *out.
 * Returns 1, or 0 after reporting a record without text. */
static int tabari_record(kh_reader *r, const char *s, size_t n, long line,
                         kh_doc *out)
{
    size_t id, id_len;
    long date;
    tabari_header(s, n, &date, &id, &id_len);
    buffer b = {0};
    buffer_add(&b, "", 0);
    tabari_body(r, &b);
    for (size_t i = 0; i + 1 < b.len; i++)
        if (b.data[i] == '\\' && b.data[i + 1] == 'n')
            b.data[i] = b.data[i + 1] = ' ';      /* TABARI's display break */
    int ok = set_text(r, out, b.data, b.len, 1);
    free(b.data);
    if (!ok) {
        skip(r, &r->stats.empty, r->name, line, "record %.*s has no text",
             (int)id_len, s + id);
        return 0;
    }
    out->id = kh_xstrndup(s + id, id_len);
    out->date = date;
    if (!date)
        warn(r, r->name, line, "record date is not YYMMDD; ignored");
    finish_doc(r, out, 0);
    return 1;
}

static int next_tabari(kh_reader *r, kh_doc *out)
{
    const char *s;
    size_t n, id, id_len;
    long date;
    while (next_line(r, &s, &n)) {
        long line = r->line - 1;
        r->in_comment = 0;              /* comments end with their record */
        if (only_space(s, n))
            continue;
        if (s[0] < '0' || s[0] > '9') {
            /* A block that does not start with a digit is, in TABARI, a
             * comment block; '#' marks it as meant to be one. */
            if (s[0] != '#' && tabari_strip(r, s, n, NULL))
                warn(r, r->name, line, "text outside a record ignored");
            tabari_body(r, NULL);
        } else if (!tabari_header(s, n, &date, &id, &id_len)) {
            skip(r, &r->stats.malformed, r->name, line,
                 "expected a \"YYMMDD ID\" record header");
            tabari_body(r, NULL);
        } else if (tabari_record(r, s, n, line, out)) {
            return 1;
        }
    }
    return 0;
}

/* ---- the iterator ---- */

static void close_input(kh_reader *r)
{
    for (size_t i = r->pending_next; i < r->pending.count; i++)
        kh_doc_clear(&r->pending.items[i]);
    r->pending.count = r->pending_next = 0;
    json_decref(r->array);
    r->array = NULL;
    r->array_index = 0;
    free(r->data);
    r->data = NULL;
    r->len = r->pos = 0;
    r->streaming = r->in_comment = 0;
}

/* Parses the input just loaded, or prepares to stream it. */
static void start_input(kh_reader *r)
{
    r->pos = 0;
    r->line = 1;
    r->format = detect(r);
    switch (r->format) {
    case KH_FORMAT_HTML: read_html(r); break;
    case KH_FORMAT_PETRARCH: read_petrarch(r); break;
    case KH_FORMAT_JSONL: open_json(r); break;
    case KH_FORMAT_TABARI: r->streaming = 1; break;
    default: read_text(r); break;
    }
}

int kh_reader_next(kh_reader *r, kh_doc *out)
{
    for (;;) {
        if (r->pending_next < r->pending.count) {
            *out = r->pending.items[r->pending_next++];
            r->stats.documents++;
            return 1;
        }
        if (r->streaming) {
            int got = r->format == KH_FORMAT_TABARI ? next_tabari(r, out)
                                                   : next_json(r, out);
            if (got) {
                r->stats.documents++;
                return 1;
            }
            kh_doc_clear(out);
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
    return r->format;
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
