/*
 * read_tabari.c -- TABARI records (read.h; TABARI manual, section 4.3): a
 * "YYMMDD ID" header line, then text lines up to a blank line.  C-style
 * comments and TABARI's literal "\n" are not text; a block that does not
 * start with a digit is a comment block.  The {...} groups in a record's
 * comments are what TABARI's validation suite expects of the record, and
 * go to its meta.
 */
#include "read_format.h"
#include "date.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* One block of lines being read: whether a comment is open carries from
 * line to line, and ends with the block. */
typedef struct tabari_block {
    int in_comment;
    kh_read_buffer *text;     /* where its text goes; NULL to drop it */
    kh_read_buffer *comment;  /* where its comments go; NULL to drop them */
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
    *date = kh_date_parse_digits(s, digits);  /* YYMMDD: date.h's pivot */
    return 1;
}

/* Appends line s[0, n) to the block's text without its comments, and its
 * comments to the block's comments.  Returns 1 when the line had anything
 * outside comments. */
static int tabari_strip(tabari_block *blk, const char *s, size_t n)
{
    int any = 0, commented = blk->in_comment;
    for (size_t i = 0; i < n;) {
        if (blk->in_comment) {
            if (i + 1 < n && s[i] == '*' && s[i + 1] == '/') {
                blk->in_comment = 0;
                i += 2;
            } else {
                if (blk->comment)
                    kh_read_buffer_add(blk->comment, s + i, 1);
                i++;
            }
        } else if (i + 1 < n && s[i] == '/' && s[i + 1] == '*') {
            blk->in_comment = commented = 1;
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
    if (blk->comment && commented)
        kh_read_buffer_add(blk->comment, " ", 1);   /* lines stay words apart */
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

/* ---- what the validation suite expects ---- */

/* Appends s[0, n) without its blanks ("---" when nothing is left):
 * actor and event codes have none, and the suite spaces them freely. */
static void add_code(kh_read_buffer *b, const char *s, size_t n)
{
    size_t before = b->len;
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t')
            kh_read_buffer_add(b, s + i, 1);
    if (b->len == before)
        kh_read_buffer_add(b, "---", 3);
}

/* " ARN / GON / 064 " as "ARN GON 064", after a ';' if b has events. */
static void add_event(kh_read_buffer *b, const char *g, size_t n)
{
    if (b->len)
        kh_read_buffer_add(b, ";", 1);
    for (const char *end = g + n, *slash; g <= end; g = slash + 1) {
        slash = memchr(g, '/', (size_t)(end - g));
        if (!slash)
            slash = end;
        add_code(b, g, (size_t)(slash - g));
        if (slash < end)
            kh_read_buffer_add(b, " ", 1);
    }
}

/* g[0, n) without the blanks around it, as a new string. */
static char *trimmed(const char *g, size_t n)
{
    while (n && strchr(" \t", g[0]))
        g++, n--;
    while (n && strchr(" \t", g[n - 1]))
        n--;
    return kh_xstrndup(g, n);
}

typedef struct tabari_expect {
    kh_read_buffer events;   /* "SRC TGT CODE;..." */
    kh_read_buffer other;    /* marks: "+++;---" */
} tabari_expect;

/* One {...} group: an {OPTION: ...} command, an {SRC / TGT / CODE}
 * event, or a mark such as {+++} (no events) or {---} (discarded). */
static void tabari_group(kh_doc *d, const char *g, size_t n, tabari_expect *x)
{
    char *group = trimmed(g, n);
    if (strstr(group, "OPTION:")) {
        kh_read_meta_add(d, "option", group);
    } else if (strchr(group, '/')) {
        add_event(&x->events, group, strlen(group));
    } else if (*group) {
        if (x->other.len)
            kh_read_buffer_add(&x->other, ";", 1);
        kh_read_buffer_add(&x->other, group, strlen(group));
    }
    free(group);
}

/* The {...} groups of a record's comments, to meta "option" (one each),
 * "expected" (present whenever there is a group) and "expected_other". */
static void tabari_expectations(kh_doc *d, const char *comment)
{
    tabari_expect x = {{0}, {0}};
    int any = 0;
    kh_read_buffer_add(&x.events, "", 0);
    for (const char *p = strchr(comment, '{'); p; p = strchr(p + 1, '{')) {
        const char *end = strchr(p, '}');
        if (!end)
            end = p + strlen(p);     /* an OPTION group may lack its brace */
        tabari_group(d, p + 1, (size_t)(end - p - 1), &x);
        any = 1;
        if (!*end)
            break;
    }
    if (any)
        kh_read_meta_add(d, "expected", x.events.data);
    if (x.other.len)
        kh_read_meta_add(d, "expected_other", x.other.data);
    free(x.events.data);
    free(x.other.data);
}

/* ---- records ---- */

/* Reads the body of a record: its text into *text, with TABARI's "\n"
 * display breaks made blanks, and its comments into *comment. */
static void tabari_text(kh_read_input *in, kh_read_buffer *text,
                        kh_read_buffer *comment)
{
    kh_read_buffer_add(text, "", 0);
    kh_read_buffer_add(comment, "", 0);
    tabari_block blk = {0, text, comment};
    tabari_body(in, &blk);
    for (size_t i = 0; i + 1 < text->len; i++)
        if (text->data[i] == '\\' && text->data[i + 1] == 'n')
            text->data[i] = text->data[i + 1] = ' ';
}

/* The record whose header line is s[0, n): reads its text into *out.
 * Returns 1, or 0 after reporting a record without text. */
static int tabari_record(kh_read_input *in, const char *s, size_t n, long line,
                         kh_doc *out)
{
    size_t id, id_len;
    long date;
    tabari_header(s, n, &date, &id, &id_len);
    char *record_id = kh_xstrndup(s + id, id_len);  /* s ends with the line */
    kh_read_buffer text = {0}, comment = {0};
    tabari_text(in, &text, &comment);
    int ok = kh_read_set_text(in, out, text.data, text.len, 1);
    free(text.data);
    if (ok)
        tabari_expectations(out, comment.data);
    free(comment.data);
    if (!ok) {
        kh_read_skip(in, KH_READ_EMPTY, line, "record %s has no text", record_id);
        free(record_id);
        return 0;
    }
    out->id = record_id;
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
    tabari_block blk = {0, NULL, NULL};
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
            tabari_body(in, &(tabari_block){0, NULL, NULL});
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
