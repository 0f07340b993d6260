/*
 * read_tabari.c -- TABARI records (read.h; TABARI manual, section 4.3): a
 * "YYMMDD ID" header line, then text lines up to a blank line.  C-style
 * comments and TABARI's literal "\n" are not text; a block that does not
 * start with a digit is a comment block.
 */
#include "read_format.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* TABARI dates have two-digit years: below this they are 20YY. */
#define KH_TABARI_CENTURY_PIVOT 50

/* One block of lines being read: whether a comment is open carries from
 * line to line, and ends with the block. */
typedef struct tabari_block {
    int in_comment;
    kh_read_buffer *text;   /* where its text goes; NULL to drop it */
} tabari_block;

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
    *date = kh_read_valid_ymd(v / 10000, v / 100 % 100, v % 100) ? v : 0;
    return 1;
}

/* Appends line s[0, n) to the block's text without its comments.
 * Returns 1 when the line had anything outside comments. */
static int tabari_strip(tabari_block *blk, const char *s, size_t n)
{
    int any = 0;
    for (size_t i = 0; i < n;) {
        if (blk->in_comment) {
            if (i + 1 < n && s[i] == '*' && s[i + 1] == '/') {
                blk->in_comment = 0;
                i += 2;
            } else {
                i++;
            }
        } else if (i + 1 < n && s[i] == '/' && s[i + 1] == '*') {
            blk->in_comment = 1;
            i += 2;
        } else {
            if (!strchr(" \t", s[i]))
                any = 1;
            if (blk->text)
                kh_read_buffer_add(blk->text, s + i, 1);
            i++;
        }
    }
    if (blk->text)
        kh_read_buffer_add(blk->text, "\n", 1);
    return any;
}

/* Reads text lines up to a blank line.  A blank line also ends an open
 * comment, as in TABARI, which reads records before it looks for comments
 * (its own demo file has a comment closed by a second slash-star). */
static void tabari_body(kh_read_input *in, tabari_block *blk)
{
    const char *s;
    size_t n;
    while (kh_read_next_line(in, &s, &n) && !kh_read_only_space(s, n))
        tabari_strip(blk, s, n);
}

/* The record whose header line is s[0, n): reads its text into *out.
 * Returns 1, or 0 after reporting a record without text. */
static int tabari_record(kh_read_input *in, const char *s, size_t n, long line,
                         kh_doc *out)
{
    size_t id, id_len;
    long date;
    tabari_header(s, n, &date, &id, &id_len);
    kh_read_buffer b = {0};
    kh_read_buffer_add(&b, "", 0);
    tabari_block blk = {0, &b};
    tabari_body(in, &blk);
    for (size_t i = 0; i + 1 < b.len; i++)
        if (b.data[i] == '\\' && b.data[i + 1] == 'n')
            b.data[i] = b.data[i + 1] = ' ';      /* TABARI's display break */
    int ok = kh_read_set_text(in, out, b.data, b.len, 1);
    free(b.data);
    if (!ok) {
        kh_read_skip(in, KH_READ_EMPTY, line, "record %.*s has no text",
                     (int)id_len, s + id);
        return 0;
    }
    out->id = kh_xstrndup(s + id, id_len);
    out->date = date;
    if (!date)
        kh_read_warn(in, line, "record date is not YYMMDD; ignored");
    kh_read_finish_doc(in, out, 0);
    return 1;
}

/* Skips the block that starts with line s[0, n), a block TABARI does not
 * code: one that does not start with a digit is a comment block ('#'
 * marks it as meant to be one); warns when it looks like lost text. */
static void tabari_comment_block(kh_read_input *in, const char *s, size_t n,
                                 long line)
{
    tabari_block blk = {0, NULL};
    if (s[0] != '#' && tabari_strip(&blk, s, n))
        kh_read_warn(in, line, "text outside a record ignored");
    tabari_body(in, &blk);
}

static int tabari_next(kh_read_input *in, kh_doc *out)
{
    const char *s;
    size_t n, id, id_len;
    long date;
    while (kh_read_next_line(in, &s, &n)) {
        long line = in->line - 1;
        if (kh_read_only_space(s, n))
            continue;
        if (s[0] < '0' || s[0] > '9') {
            tabari_comment_block(in, s, n, line);
        } else if (!tabari_header(s, n, &date, &id, &id_len)) {
            kh_read_skip(in, KH_READ_MALFORMED, line,
                         "expected a \"YYMMDD ID\" record header");
            tabari_body(in, &(tabari_block){0, NULL});
        } else if (tabari_record(in, s, n, line, out)) {
            return 1;
        }
    }
    return 0;
}

/* The first line that is not a '#' banner is a record header, and its id
 * runs to the end of the line. */
static int tabari_sniff(const char *d, size_t n)
{
    size_t i = 0, a, b;
    long date;
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
    return i < n && tabari_header(d + i, k - i, &date, &a, &b) && a + b == k - i;
}

static const char *const tabari_names[] = {"tabari", NULL};

/* Records are read as they are needed: a TABARI file can be a year of
 * news. */
const kh_read_backend kh_read_tabari = {
    .format = KH_FORMAT_TABARI,
    .names = tabari_names,
    .sniff = tabari_sniff,
    .next = tabari_next,
};
