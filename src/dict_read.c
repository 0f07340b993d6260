/*
 * dict_read.c -- the pieces every dictionary reader uses: the comment-
 * stripping line scanner, event codes, dates.  See dict_read.h.
 */
#include "dict_read.h"
#include "date.h"
#include "util.h"

#include <limits.h>
#include <string.h>

const char *kh_syntax_name(kh_syntax syntax)
{
    switch (syntax) {
    case KH_SYNTAX_TABARI: return "TABARI";
    case KH_SYNTAX_PETRARCH1: return "PETRARCH-1";
    case KH_SYNTAX_PETRARCH2: return "PETRARCH-2";
    }
    return "?";
}

void kh_upper_ascii(char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] >= 'a' && s[i] <= 'z')
            s[i] -= 32;
}

const char *kh_dict_intern_upper(kh_dict *dict, const char *s, size_t len)
{
    char *copy = kh_arena_take(&dict->arena, len + 1);     /* all written */
    for (size_t i = 0; i < len; i++)
        copy[i] = (s[i] >= 'a' && s[i] <= 'z') ? (char)(s[i] - 32) : s[i];
    copy[len] = 0;
    return copy;
}

static int is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }

void kh_trim(const char **text, size_t *len)
{
    const char *t = *text;
    size_t n = *len;
    while (n && is_blank(*t))
        t++, n--;
    while (n && is_blank(t[n - 1]))
        n--;
    *text = t;
    *len = n;
}

/* ---- the line scanner ---- */

int kh_has_word(const char *text, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
            c >= 0x80)
            return 1;
    }
    return 0;
}

static const char comment_opener[KH_COMMENT_OPENERS] = {'#', ';', '<', '\0'};

/* Sets s->next_opener[k] to the first opener k at or after `from`. */
static void find_opener(kh_scanner *s, int k, const char *from)
{
    const char *hit = memchr(from, comment_opener[k], (size_t)(s->end - from));
    s->next_opener[k] = hit ? hit : s->end;
}

void kh_scanner_init(kh_scanner *s, const char *text, size_t len)
{
    memset(s, 0, sizeof *s);
    s->p = text;
    s->end = text + len;
    for (int k = 0; k < KH_COMMENT_OPENERS; k++)
        find_opener(s, k, text);
}

/* The first opener at or after `line`, which is where a line begins. */
static const char *first_opener(kh_scanner *s, const char *line)
{
    const char *first = s->end;
    for (int k = 0; k < KH_COMMENT_OPENERS; k++) {
        if (s->next_opener[k] < line)
            find_opener(s, k, line);
        if (s->next_opener[k] < first)
            first = s->next_opener[k];
    }
    return first;
}

void kh_scanner_free(kh_scanner *s)
{
    free(s->buf);
    s->buf = NULL;
}

/* The bytes the comment rules turn on -- the openers "<!--", "#" and ";",
 * the brackets that shelter # and ; inside codes, and NUL (kept as a
 * blank) -- are the only ones strip_comments must look at one by one; any
 * other byte is copied as it is, a run at a time.  Most dictionary lines
 * hold a phrase and one bracketed code, so a line is a few runs. */
static const unsigned char comment_mark[UCHAR_MAX + 1] = {
    [0] = 1, ['<'] = 1, ['['] = 1, [']'] = 1, ['#'] = 1, [';'] = 1,
};

/* Four bytes a step: the end test is paid once per step, not per byte. */
enum { MARK_STEP = 4 };

const char *kh_next_comment_mark(const char *p, const char *end)
{
    const unsigned char *u = (const unsigned char *)p;
    const unsigned char *stop = (const unsigned char *)end;
    for (; stop - u >= MARK_STEP; u += MARK_STEP) {
        if (comment_mark[u[0]]) return (const char *)u;
        if (comment_mark[u[1]]) return (const char *)u + 1;
        if (comment_mark[u[2]]) return (const char *)u + 2;
        if (comment_mark[u[3]]) return (const char *)u + 3;
    }
    while (u < stop && !comment_mark[*u])
        u++;
    return (const char *)u;
}

/* The end of the run of unmarked bytes from raw[i], at most n. */
static size_t unmarked_run_end(const char *raw, size_t i, size_t n)
{
    return (size_t)(kh_next_comment_mark(raw + i, raw + n) - raw);
}

/* Where scanning resumes in a line that began inside <!-- ... -->: after
 * the closing "-->", or n if the comment goes on past the line (then
 * s->in_comment stays set). */
static size_t skip_comment_body(kh_scanner *s, const char *raw, size_t i, size_t n)
{
    while (i < n) {
        const char *dash = memchr(raw + i, '-', n - i);
        if (!dash)
            return n;
        i = (size_t)(dash - raw);
        if (i + 2 < n && raw[i + 1] == '-' && raw[i + 2] == '>') {
            s->in_comment = 0;
            return i + 3;
        }
        i++;
    }
    return n;
}

/* Copies one physical line into s->buf without its comments; returns the
 * number of bytes kept. */
static size_t strip_comments(kh_scanner *s, const char *raw, size_t n)
{
    size_t out = 0;
    int in_brackets = 0;
    size_t i = 0;
    while (i < n) {
        if (s->in_comment) {
            i = skip_comment_body(s, raw, i, n);
            continue;
        }
        size_t run_end = unmarked_run_end(raw, i, n);
        memcpy(s->buf + out, raw + i, run_end - i);
        out += run_end - i;
        if (run_end == n)
            break;
        i = run_end;
        char c = raw[i];
        if (c == '<' && i + 3 < n && raw[i + 1] == '!' && raw[i + 2] == '-' && raw[i + 3] == '-') {
            s->in_comment = 1;
            i += 4;
            continue;
        }
        if (c == '[')
            in_brackets = 1;
        else if (c == ']')
            in_brackets = 0;
        else if ((c == '#' || c == ';') && !in_brackets)
            break;
        s->buf[out++] = c ? c : ' ';     /* a stray NUL must not cut words */
        i++;
    }
    return out;
}

int kh_scanner_next(kh_scanner *s, kh_line *line)
{
    while (s->p < s->end) {
        const char *start = s->p;
        const char *nl = memchr(start, '\n', (size_t)(s->end - start));
        const char *stop = nl ? nl : s->end;
        s->p = nl ? nl + 1 : s->end;
        s->number++;
        size_t raw = (size_t)(stop - start);
        if (raw + 1 > s->cap) {
            s->cap = raw + 256;
            s->buf = kh_xrealloc(s->buf, s->cap);
        }
        int indented = raw && (start[0] == ' ' || start[0] == '\t');
        /* Most lines hold no comment: copied whole, not run by run. */
        size_t n = raw;
        if (s->in_comment || first_opener(s, start) < stop)
            n = strip_comments(s, start, raw);
        else
            memcpy(s->buf, start, raw);
        const char *t = s->buf;
        kh_trim(&t, &n);
        if (n == 0 || t[0] == '/')
            continue;
        ((char *)t)[n] = 0;
        line->text = t;
        line->len = n;
        line->number = s->number;
        line->indented = indented;
        return 1;
    }
    return 0;
}

int kh_line_is_finish(const kh_line *line)
{
    const char *t = line->text;
    size_t n = line->len;
    while (n && *t == '~')
        t++, n--;
    return t != line->text && n >= 6 && memcmp(t, "FINISH", 6) == 0;
}

size_t kh_line_section_tag(const kh_line *line, const char **name)
{
    const char *t = line->text;
    if (line->len < 3 || t[0] != '<' || t[1] == '/' || t[1] == '!')
        return 0;
    const char *close = memchr(t, '>', line->len);
    if (!close)
        return 0;
    *name = t + 1;
    return (size_t)(close - t - 1);
}

/* ---- codes and dates ---- */

static int is_code_char(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || c == '-' ||
           c == '#' || c == '+';
}

/* Blanks and brackets inside a code are not part of it: "- - -". */
static int is_code_filler(char c) { return is_blank(c) || c == '[' || c == ']'; }

/* Drops the subordinate "?" and dominant "!" marks at the end of a code
 * (TABARI manual 6.6) into flags; returns the length left. */
static size_t take_code_marks(const char *text, size_t len, unsigned *flags)
{
    while (len && (is_code_filler(text[len - 1]) || text[len - 1] == '?' ||
                   text[len - 1] == '!')) {
        if (text[len - 1] == '?')
            *flags |= KH_CODE_SUBORDINATE;
        else if (text[len - 1] == '!')
            *flags |= KH_CODE_DOMINANT;
        len--;
    }
    return len;
}

int kh_event_code_parse(const char *text, size_t len, kh_code *out)
{
    memset(out, 0, sizeof *out);
    len = take_code_marks(text, len, &out->flags);
    char *field = out->code;            /* then out->paired, after ':' */
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        if (is_code_filler(c))
            continue;
        if (c == ':' && field == out->code) {
            field = out->paired;
            n = 0;
            continue;
        }
        c = (c >= 'a' && c <= 'z') ? (char)(c - 32) : c;
        if (!is_code_char(c))
            return KH_CODE_MALFORMED;
        if (n == KH_MAX_EVENT_CODE)
            return KH_CODE_TOO_LONG;
        field[n++] = c;
    }
    return out->code[0] || out->paired[0] ? 0 : KH_CODE_MALFORMED;
}

long kh_dict_date_parse(const char *text, size_t len)
{
    kh_trim(&text, &len);
    long date = kh_date_parse_digits(text, len);
    return date ? date : -1;
}
