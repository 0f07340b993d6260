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
    for (int i = 0; i <= KH_INPUT_TABARI; i++)
        if (kh_strcaseeq(name, format_names[i]))
            return i;
    if (kh_strcaseeq(name, "json") || kh_strcaseeq(name, "ndjson"))
        return KH_INPUT_JSONL;
    if (kh_strcaseeq(name, "xml") || kh_strcaseeq(name, "petr"))
        return KH_INPUT_PETRARCH;
    if (kh_strcaseeq(name, "txt"))
        return KH_INPUT_TEXT;
    return -1;
}

const char *kh_read_format_name(kh_read_format format)
{
    return format <= KH_INPUT_TABARI ? format_names[format] : "unknown";
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
