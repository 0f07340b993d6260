/*
 * when.c -- date expressions and the date an event happened (see when.h).
 *
 * The sentence's tokens are the coder's (kh_lex_sentence: token.c, each
 * word classified once by the shared lexicon, lexicon.h); a small
 * hand-written matcher tries each date form at a token, once per sentence
 * (and tense) -- only at tokens within DATE_CORE_LEAD of a number, month,
 * weekday or time word, which every form holds; each event then picks the
 * match nearest its verb inside the verb's clause.
 *
 * The forms need marks the coder's tokens leave out -- a quotation mark
 * ends a clause, "$5" and "5%" are not days, "3.5" and "2,000" are no
 * day's number -- so the matcher reads a plain word of the coder's
 * (kh_lex_plain_token) as it is, with its lexicon word, and reads the
 * bytes between them (marks, and words such as "U.S." or "Sept." the
 * coder spells otherwise) with mark_scan below: the dates found stay
 * exactly those found when this module cut the text itself.
 */
#include "when.h"
#include "date.h"
#include "lexicon.h"
#include "util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------------
 * Tokens
 * --------------------------------------------------------------------- */

enum { TK_WORD, TK_NUM, TK_ORD, TK_PUNCT };

typedef struct tok {
    size_t s, e;
    int kind;
    kh_lex_word word;   /* for TK_WORD: the word in the lexicon, if any */
} tok;

typedef struct toks {
    tok *v;
    size_t n, cap;
} toks;

static int is_alpha(unsigned char c) { return (c | 32) >= 'a' && (c | 32) <= 'z'; }
static int is_digit(unsigned char c) { return c >= '0' && c <= '9'; }

/* Bytes of a UTF-8 punctuation mark that must not join a word: the
 * curly quotes and dashes (U+2010..U+201F) and guillemets. */
static size_t utf8_punct_len(const unsigned char *p, size_t left)
{
    if (left >= 3 && p[0] == 0xE2 && p[1] == 0x80 && p[2] >= 0x90 && p[2] <= 0x9F)
        return 3;
    if (left >= 2 && p[0] == 0xC2 && (p[1] == 0xAB || p[1] == 0xBB))
        return 2;
    return 0;
}

static void toks_grow(toks *t)
{
    t->cap = t->cap ? t->cap * 2 : 32;
    t->v = kh_xrealloc(t->v, t->cap * sizeof *t->v);
}

/* Inline: it runs for every token of every sentence. */
static inline void toks_push_word(toks *t, size_t s, size_t e, int kind, kh_lex_word w)
{
    if (t->n == t->cap)
        toks_grow(t);
    t->v[t->n++] = (tok){s, e, kind, w};
}

/* A token of mark_scan's: its words are classified here, once, so that
 * matching compares word ids. */
static void toks_push(toks *t, const char *text, size_t s, size_t e, int kind)
{
    toks_push_word(t, s, e, kind, kind == TK_WORD ? kh_lex_find(text + s, e - s) : KH_LW_NONE);
}

/* Cuts text[from..to) into the matcher's tokens, stopping after `limit`
 * tokens.  `to` is the end of the text or the start of a
 * plain word whose neighbours are ASCII marks or spaces, so no token of
 * this reading crosses it. */
static void mark_scan(const char *text, size_t from, size_t to, size_t limit, toks *out)
{
    const unsigned char *p = (const unsigned char *)text;
    size_t i = from, len = to;
    while (i < len && out->n < limit) {
        unsigned char c = p[i];
        size_t pl;
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') { i++; continue; }
        if ((pl = utf8_punct_len(p + i, len - i)) > 0) {
            toks_push(out, text, i, i + pl, TK_PUNCT);
            i += pl;
        } else if (is_digit(c)) {
            size_t s = i;
            while (i < len && is_digit(p[i])) i++;
            size_t d = i;
            while (i < len && is_alpha(p[i])) i++;
            toks_push(out, text, s, i, i == d ? TK_NUM : TK_ORD);
        } else if (is_alpha(c) || c >= 0x80) {
            size_t s = i;
            while (i < len && (is_alpha(p[i]) || is_digit(p[i]) ||
                               (p[i] >= 0x80 && !utf8_punct_len(p + i, len - i))))
                i++;
            toks_push(out, text, s, i, TK_WORD);
        } else {
            toks_push(out, text, i, i + 1, TK_PUNCT);
            i++;
        }
    }
}

/* The byte c is an ASCII space or mark: a token of mark_scan ends
 * before it and another starts after it. */
static int is_break(unsigned char c)
{
    return c == ' ' || (c < 0x80 && !is_alpha(c) && !is_digit(c));  /* a space, mostly */
}

/* Coder token k, a plain word (kh_lex_plain_token), as one of the
 * matcher's tokens, when mark_scan would cut it the same: between ASCII
 * breaks (or the ends of the text), and a number token only digits then
 * letters ("29th"; "4x4" is two). */
static int take_plain(const kh_lex_sentence *ls, size_t k, int *kind)
{
    const kh_token *t = &ls->tokens[k];
    size_t s = (size_t)t->start, e = (size_t)t->end;
    const unsigned char *w = (const unsigned char *)ls->text;
    if ((s > 0 && !is_break(w[s - 1])) || (e < ls->len && !is_break(w[e])))
        return 0;
    if (is_alpha(w[s])) {
        *kind = TK_WORD;
        return 1;
    }
    size_t i = s;
    while (i < e && is_digit(w[i])) i++;
    *kind = i == e ? TK_NUM : TK_ORD;
    while (i < e && is_alpha(w[i])) i++;
    return i == e;
}

/* The matcher's tokens of the sentence, at most `limit`.  The sentence
 * is read from a copy: a store of a token (its size_t fields) might be
 * to *sentence for all the compiler knows, which would then reload its
 * fields for every token. */
static void tokens_of(const kh_lex_sentence *sentence, size_t limit, toks *out)
{
    const kh_lex_sentence ls = *sentence;
    size_t pos = 0;
    for (size_t k = 0; k < ls.count && out->n < limit; k++) {
        int kind;
        size_t start = (size_t)ls.tokens[k].start;
        if (!kh_lex_plain_token(&ls, k) || start < pos || !take_plain(&ls, k, &kind))
            continue;
        if (start != pos + 1 || ls.text[pos] != ' ') {  /* most gaps are one space */
            size_t gap = pos;
            while (gap < start && ls.text[gap] == ' ')
                gap++;
            if (gap < start) {
                mark_scan(ls.text, gap, start, limit, out);
                if (out->n >= limit)
                    return;
            }
        }
        pos = (size_t)ls.tokens[k].end;
        toks_push_word(out, start, pos, kind, kind == TK_WORD ? ls.lex[k] : KH_LW_NONE);
    }
    mark_scan(ls.text, pos, ls.len, limit, out);
}

/* ---------------------------------------------------------------------
 * Matching context and token predicates
 * --------------------------------------------------------------------- */

typedef struct mctx {
    const char *t;
    const tok *v;
    size_t n;
    long art;      /* article date YYYYMMDD, 0 if unknown */
    long art_days;
    long ay;
    int am, ad, awd;
    int future;    /* the event is in the future tense: dates look ahead */
} mctx;

/* The lexicon word at token i (KH_LW_NONE past the end or for others). */
static kh_lex_word lex_at(const mctx *c, size_t i)
{
    return i < c->n ? c->v[i].word : KH_LW_NONE;
}

static int word_is(const mctx *c, size_t i, kh_lex_word w) { return lex_at(c, i) == w; }

/* Token i is a word of one of the lexicon's classes (KH_LEX_*). */
static int word_in(const mctx *c, size_t i, unsigned classes)
{
    return (kh_lex_entry_of(lex_at(c, i))->classes & classes) != 0;
}

static int punct_is(const mctx *c, size_t i, char ch)
{
    return i < c->n && c->v[i].kind == TK_PUNCT && c->v[i].e - c->v[i].s == 1 &&
           c->t[c->v[i].s] == ch;
}

static int adjacent(const mctx *c, size_t i, size_t j)
{
    return j < c->n && c->v[i].e == c->v[j].s;
}

static int capitalised(const mctx *c, size_t i)
{
    unsigned char ch = (unsigned char)c->t[c->v[i].s];
    return ch >= 'A' && ch <= 'Z';
}

static int is_apostrophe(const mctx *c, size_t i)
{
    if (punct_is(c, i, '\'')) return 1;
    return i < c->n && c->v[i].e - c->v[i].s == 3 &&
           memcmp(c->t + c->v[i].s, "\xE2\x80\x99", 3) == 0;
}

/* A number token that stands alone: not a piece of "2,000", "10:30",
 * "3.5" or "1/2".  Returns its value, or -1. */
static long standalone_number(const mctx *c, size_t i)
{
    if (i >= c->n || (c->v[i].kind != TK_NUM && c->v[i].kind != TK_ORD)) return -1;
    if (i >= 2 && adjacent(c, i - 1, i) && adjacent(c, i - 2, i - 1) &&
        c->v[i - 2].kind == TK_NUM && c->v[i - 1].kind == TK_PUNCT &&
        strchr(",.:/", c->t[c->v[i - 1].s]))
        return -1;
    if (i + 2 < c->n && adjacent(c, i, i + 1) && adjacent(c, i + 1, i + 2) &&
        c->v[i + 2].kind == TK_NUM && c->v[i + 1].kind == TK_PUNCT &&
        strchr(",.:/", c->t[c->v[i + 1].s]))
        return -1;
    if (i + 1 < c->n && adjacent(c, i, i + 1) &&
        (punct_is(c, i + 1, '%') || punct_is(c, i + 1, '-')))
        return -1;
    if (i > 0 && adjacent(c, i - 1, i) && punct_is(c, i - 1, '$'))
        return -1;
    if (i >= 2 && adjacent(c, i - 1, i) && punct_is(c, i - 1, '-') &&
        adjacent(c, i - 2, i - 1) && c->v[i - 2].kind == TK_NUM)
        return -1; /* "1990-2000", "3-2" (but "mid-2014" is fine) */
    size_t digits = 0;
    long v = 0;
    for (size_t k = c->v[i].s; k < c->v[i].e && is_digit((unsigned char)c->t[k]); k++) {
        if (++digits > 6) return -1;   /* no date part has more digits */
        v = v * 10 + (c->t[k] - '0');
    }
    if (c->v[i].kind == TK_ORD) {
        const char *suf = c->t + c->v[i].s + digits;
        size_t sl = c->v[i].e - c->v[i].s - digits;
        if (sl != 2) return -1;
        char a = (char)(suf[0] | 32), b = (char)(suf[1] | 32);
        if (!((a == 's' && b == 't') || (a == 'n' && b == 'd') ||
              (a == 'r' && b == 'd') || (a == 't' && b == 'h')))
            return -1;
    }
    return v;
}

static long year_at(const mctx *c, size_t i)
{
    if (i >= c->n || c->v[i].kind != TK_NUM || c->v[i].e - c->v[i].s != 4) return -1;
    long y = standalone_number(c, i);
    return y >= KH_WHEN_MIN_YEAR && y <= KH_WHEN_MAX_YEAR ? y : -1;
}

static long day_at(const mctx *c, size_t i)
{
    long d = standalone_number(c, i);
    return d >= 1 && d <= 31 ? d : -1;
}

/* Month name at token i ("March", "Sept.", "jan").  Sets *next past an
 * abbreviation's period.  0 if none. */
static int month_at(const mctx *c, size_t i, size_t *next)
{
    const kh_lex_entry *e = kh_lex_entry_of(lex_at(c, i));
    if (!(e->classes & (KH_LEX_MONTH | KH_LEX_MONTH_ABBR))) return 0;
    int is_abbr = !(e->classes & KH_LEX_MONTH);     /* "may" is the full name */
    if ((e->value == 3 || e->value == 5) && !capitalised(c, i)) return 0; /* "march", "may" */
    *next = i + 1;
    if (is_abbr && punct_is(c, i + 1, '.') && adjacent(c, i, i + 1)) *next = i + 2;
    return e->value;
}

/* Weekday at token i, 0 = Sunday; -1 if none. */
static int weekday_at(const mctx *c, size_t i, size_t *next)
{
    const kh_lex_entry *e = kh_lex_entry_of(lex_at(c, i));
    if (e->classes & KH_LEX_WEEKDAY) { *next = i + 1; return e->value; }
    if ((e->classes & KH_LEX_WEEKDAY_ABBR) && capitalised(c, i) &&
        punct_is(c, i + 1, '.') && adjacent(c, i, i + 1)) {
        *next = i + 2;
        return e->value;
    }
    return -1;
}

/* ---------------------------------------------------------------------
 * Building results
 * --------------------------------------------------------------------- */

static void set_day(kh_date_match *m, long days, int source)
{
    m->date = m->last = kh_date_from_days(days);
    m->source = source;
    m->precision = KH_DATE_PRECISION_DAY;
}

static void set_month(kh_date_match *m, long y, int mo, int source)
{
    m->date = y * 10000 + mo * 100 + 1;
    m->last = y * 10000 + mo * 100 + kh_date_days_in_month(y, mo);
    m->source = source;
    m->precision = KH_DATE_PRECISION_MONTH;
}

static void set_year(kh_date_match *m, long y, int source)
{
    m->date = y * 10000 + 101;
    m->last = y * 10000 + 1231;
    m->source = source;
    m->precision = KH_DATE_PRECISION_YEAR;
}

/* The month `k` months after y-mo (k may be negative). */
static void add_months(long *y, int *mo, long k)
{
    long t = *y * 12 + (*mo - 1) + k;
    *y = t / 12;
    *mo = (int)(t % 12) + 1;
}

/* ---------------------------------------------------------------------
 * The forms
 * --------------------------------------------------------------------- */

/* "a", "three" or "3" as a count; -1 if none. */
static long count_at(const mctx *c, size_t i)
{
    const kh_lex_entry *e = kh_lex_entry_of(lex_at(c, i));
    if (e->classes & KH_LEX_COUNT) return e->value;
    long v = standalone_number(c, i);
    return v >= 0 && v <= 1000 && c->v[i].kind == TK_NUM ? v : -1;
}

/* "three days ago", "a year ago" */
static int match_ago(const mctx *c, size_t i, kh_date_match *m, size_t *end)
{
    long k = count_at(c, i);
    if (k < 0 || !word_is(c, i + 2, KH_LW_AGO)) return 0;
    long days = c->art_days, y = c->ay;
    int mo = c->am, d = c->ad;
    if (word_is(c, i + 1, KH_LW_DAY) || word_is(c, i + 1, KH_LW_DAYS)) days -= k;
    else if (word_is(c, i + 1, KH_LW_WEEK) || word_is(c, i + 1, KH_LW_WEEKS)) days -= 7 * k;
    else if (word_is(c, i + 1, KH_LW_MONTH) || word_is(c, i + 1, KH_LW_MONTHS) ||
             word_is(c, i + 1, KH_LW_YEAR) || word_is(c, i + 1, KH_LW_YEARS)) {
        add_months(&y, &mo, c->t[c->v[i + 1].s] == 'y' || c->t[c->v[i + 1].s] == 'Y'
                                ? -12 * k : -k);
        if (d > kh_date_days_in_month(y, mo)) d = kh_date_days_in_month(y, mo);
        days = kh_date_days(y, mo, d);
    } else
        return 0;
    set_day(m, days, KH_DATE_RELATIVE);
    *end = i + 3;
    return 1;
}

/* "last week", "next month", "this year", "last night", "last weekend",
 * "last December"; `dir` is -1 (last), 0 (this) or +1 (next). */
static int match_deictic(const mctx *c, size_t i, int dir, kh_date_match *m, size_t *end)
{
    size_t nx;
    int mo;
    long y = c->ay;
    int month = c->am;
    *end = i + 1;
    if (word_is(c, i, KH_LW_WEEK)) {
        long monday = c->art_days - (c->awd + 6) % 7;
        set_day(m, dir ? c->art_days + 7 * dir : monday, KH_DATE_RELATIVE);
    } else if (word_is(c, i, KH_LW_MONTH)) {
        add_months(&y, &month, dir);
        set_month(m, y, month, KH_DATE_RELATIVE);
    } else if (word_is(c, i, KH_LW_YEAR)) {
        set_year(m, y + dir, KH_DATE_RELATIVE);
    } else if (word_is(c, i, KH_LW_NIGHT) && dir <= 0) {
        set_day(m, c->art_days + (dir < 0 ? -1 : 0), KH_DATE_RELATIVE);
    } else if (word_is(c, i, KH_LW_WEEKEND)) {
        long back = (c->awd - 6 + 7) % 7;
        if (dir < 0 && back == 0) back = 7;
        set_day(m, c->art_days - back + (dir > 0 ? 7 : 0), KH_DATE_RELATIVE);
    } else if ((mo = month_at(c, i, &nx)) > 0) {
        if (dir < 0 && mo >= c->am) y--;
        if (dir > 0 && mo <= c->am) y++;
        set_month(m, y, mo, KH_DATE_RELATIVE);
        *end = nx;
    } else
        return 0;
    return 1;
}

/* The weekday at token i dates a past report: "the Kremlin said on
 * Friday", "told reporters Friday".  The words before it (its "on", then
 * at most KH_WHEN_REPORT_REACH words up to a punctuation mark) hold a
 * past-tense verb of reporting. */
static int dates_past_report(const mctx *c, size_t i)
{
    size_t k = i;
    if (k > 0 && word_is(c, k - 1, KH_LW_ON)) k--;
    for (size_t steps = 0; k > 0 && steps < KH_WHEN_REPORT_REACH; steps++) {
        k--;
        if (c->v[k].kind != TK_WORD) return 0;
        if (word_in(c, k, KH_LEX_PAST_REPORTING)) return 1;
    }
    return 0;
}

/* A weekday with its possessive and time of day: "Tuesday's",
 * "Sunday night".  dir as in match_deictic. */
static int match_weekday(const mctx *c, size_t i, int dir, kh_date_match *m, size_t *end)
{
    size_t j;
    int wd = weekday_at(c, i, &j);
    if (wd < 0) return 0;
    long back = (c->awd - wd + 7) % 7;
    if (dir < 0 && back == 0) back = 7;
    if (dir > 0) back = -(long)((wd - c->awd + 6) % 7 + 1);
    if (dir == 0 && c->future && !dates_past_report(c, i))
        back = -(long)((wd - c->awd + 7) % 7); /* on or after */
    set_day(m, c->art_days - back, KH_DATE_RELATIVE);
    if (is_apostrophe(c, j) && adjacent(c, j - 1, j) && word_is(c, j + 1, KH_LW_S))
        j += 2;
    else if (word_in(c, j, KH_LEX_DAY_PART) || word_is(c, j, KH_LW_NIGHT))
        j++;
    *end = j;
    return 1;
}

/* The article's year for a month (and day) that names none; the year
 * before when that would be well after the article, or for a future-tense
 * event the year after when it would be well before. */
static long infer_year(const mctx *c, int mo, int d)
{
    long y = c->ay, days = kh_date_days(y, mo, d);
    if (c->future && days < c->art_days - KH_WHEN_FUTURE_SLACK_DAYS) return y + 1;
    if (!c->future && days > c->art_days + KH_WHEN_FUTURE_SLACK_DAYS) y--;
    return y;
}

/* A day of month `mo` with the optional ", 2011" at token k; the year is
 * inferred when absent.  *end is set past what was used. */
static int finish_day(const mctx *c, int mo, long d, size_t k, kh_date_match *m, size_t *end)
{
    size_t yk = punct_is(c, k, ',') ? k + 1 : k;
    long y = year_at(c, yk);
    if (y > 0) {
        k = yk + 1;
    } else {
        if (!c->art) return 0;
        y = infer_year(c, mo, (int)(d > kh_date_days_in_month(c->ay, mo) ? 1 : d));
    }
    if (d > kh_date_days_in_month(y, mo)) return 0;  /* "February 29, 2023" */
    set_day(m, kh_date_days(y, mo, (int)d), KH_DATE_EXPLICIT);
    *end = k;
    return 1;
}

/* Month-day or day-month with an optional year; month-year; a month alone
 * after a preposition. */
static int match_calendar(const mctx *c, size_t i, int prep, kh_date_match *m, size_t *end)
{
    size_t j, k;
    long d, y;
    int mo;
    if ((mo = month_at(c, i, &j)) > 0) {
        if ((d = day_at(c, j)) > 0) return finish_day(c, mo, d, j + 1, m, end);
        k = punct_is(c, j, ',') || word_is(c, j, KH_LW_OF) ? j + 1 : j;
        if ((y = year_at(c, k)) > 0) {
            set_month(m, y, mo, KH_DATE_EXPLICIT);
            *end = k + 1;
            return 1;
        }
        if (!prep || !c->art) return 0;
        set_month(m, infer_year(c, mo, 1), mo, KH_DATE_EXPLICIT);
        *end = j;
        return 1;
    }
    if ((d = day_at(c, i)) > 0) {
        j = word_is(c, i + 1, KH_LW_OF) ? i + 2 : i + 1;
        if ((mo = month_at(c, j, &k)) == 0) return 0;
        return finish_day(c, mo, d, k, m, end);
    }
    return 0;
}

/* 2011-03-27 */
static int match_iso(const mctx *c, size_t i, kh_date_match *m, size_t *end)
{
    if (i + 4 >= c->n || c->v[i].kind != TK_NUM || c->v[i].e - c->v[i].s != 4) return 0;
    if (!punct_is(c, i + 1, '-') || !punct_is(c, i + 3, '-')) return 0;
    for (size_t k = i; k < i + 4; k++)
        if (!adjacent(c, k, k + 1)) return 0;
    if (c->v[i + 2].kind != TK_NUM || c->v[i + 4].kind != TK_NUM) return 0;
    if (i + 5 < c->n && adjacent(c, i + 4, i + 5) && !punct_is(c, i + 5, '.') &&
        !punct_is(c, i + 5, ','))
        return 0;
    long y = 0, mo = 0, d = 0;
    for (size_t k = c->v[i].s; k < c->v[i].e; k++) y = y * 10 + (c->t[k] - '0');
    for (size_t k = c->v[i + 2].s; k < c->v[i + 2].e && k < c->v[i + 2].s + 3; k++)
        mo = mo * 10 + (c->t[k] - '0');
    for (size_t k = c->v[i + 4].s; k < c->v[i + 4].e && k < c->v[i + 4].s + 3; k++)
        d = d * 10 + (c->t[k] - '0');
    if (y < KH_WHEN_MIN_YEAR || y > KH_WHEN_MAX_YEAR || mo < 1 || mo > 12 || d < 1 ||
        d > kh_date_days_in_month(y, (int)mo))
        return 0;
    set_day(m, kh_date_days(y, (int)mo, (int)d), KH_DATE_EXPLICIT);
    *end = i + 5;
    return 1;
}

/* Everything that can follow an optional preposition. */
static int match_core(const mctx *c, size_t i, int prep, int year_prep,
                      kh_date_match *m, size_t *end)
{
    if (match_iso(c, i, m, end) || match_calendar(c, i, prep, m, end))
        return 1;
    if (c->art && match_weekday(c, i, 0, m, end)) {
        /* "Tuesday, March 14, 2023": the calendar date is more precise */
        kh_date_match cal;
        size_t ce;
        size_t j = punct_is(c, *end, ',') ? *end + 1 : *end;
        if (match_calendar(c, j, 0, &cal, &ce)) { *m = cal; *end = ce; }
        return 1;
    }
    long y;
    if (year_prep && (y = year_at(c, i)) > 0) {
        set_year(m, y, KH_DATE_EXPLICIT);
        *end = i + 1;
        return 1;
    }
    return 0;
}

/* Expressions anchored to the article only: yesterday, last week, ... */
static int match_relative(const mctx *c, size_t i, kh_date_match *m, size_t *end)
{
    if (word_is(c, i, KH_LW_TODAY) || word_is(c, i, KH_LW_TONIGHT)) { set_day(m, c->art_days, KH_DATE_RELATIVE); *end = i + 1; return 1; }
    if (word_is(c, i, KH_LW_YESTERDAY)) { set_day(m, c->art_days - 1, KH_DATE_RELATIVE); *end = i + 1; return 1; }
    if (word_is(c, i, KH_LW_TOMORROW)) { set_day(m, c->art_days + 1, KH_DATE_RELATIVE); *end = i + 1; return 1; }
    if (word_is(c, i, KH_LW_THIS) && word_in(c, i + 1, KH_LEX_DAY_PART)) {
        set_day(m, c->art_days, KH_DATE_RELATIVE);
        *end = i + 2;
        return 1;
    }
    if ((word_is(c, i, KH_LW_EARLIER) || word_is(c, i, KH_LW_LATER)) && word_is(c, i + 1, KH_LW_THIS) &&
        match_deictic(c, i + 2, 0, m, end))
        return 1;
    if ((word_is(c, i, KH_LW_OVER) || word_is(c, i, KH_LW_AT)) && word_is(c, i + 1, KH_LW_THE) &&
        word_is(c, i + 2, KH_LW_WEEKEND))
        return match_deictic(c, i + 2, -1, m, end);
    int dir = word_is(c, i, KH_LW_LAST) || word_is(c, i, KH_LW_PAST) ? -1
            : word_is(c, i, KH_LW_NEXT) ? 1 : word_is(c, i, KH_LW_THIS) ? 0 : 2;
    if (dir != 2 && (match_weekday(c, i + 1, dir, m, end) || match_deictic(c, i + 1, dir, m, end)))
        return 1;
    return match_ago(c, i, m, end);
}

/* Tries every form at token i; on success fills m (byte range included)
 * and *end (the token after the match). */
static int match_at(const mctx *c, size_t i, kh_date_match *m, size_t *end)
{
    memset(m, 0, sizeof *m);
    int ok = 0;
    if (c->art && match_relative(c, i, m, end)) {
        ok = 1;
    } else if (word_in(c, i, KH_LEX_DATE_PREP)) {   /* a bare month needs one */
        size_t j = i + 1;
        if (word_is(c, i, KH_LW_MID) && punct_is(c, j, '-')) j++;
        if (match_core(c, j, 1, word_in(c, i, KH_LEX_YEAR_PREP), m, end)) {
            ok = 1;
            m->since = word_is(c, i, KH_LW_SINCE);
        } else if (c->art && word_is(c, i, KH_LW_ON) && match_relative(c, j, m, end)) {
            ok = 1;
        }
    } else if (match_core(c, i, 0, 0, m, end)) {
        ok = 1;
    }
    if (!ok) return 0;
    m->start = c->v[i].s;
    m->end = c->v[*end - 1].e;
    return 1;
}

static void ctx_init(mctx *c, const char *text, const toks *t, long art)
{
    memset(c, 0, sizeof *c);
    c->t = text;
    c->v = t->v;
    c->n = t->n;
    if (kh_date_valid(art)) {
        c->art = art;
        c->ay = art / 10000;
        c->am = (int)(art / 100 % 100);
        c->ad = (int)(art % 100);
        c->art_days = kh_date_to_days(art);
        c->awd = kh_date_weekday(c->art_days);
    }
}

/* The longest expression ("on Tuesday , March 14 , 2023") is 8 tokens;
 * the number checks look two tokens further. */
#define KH_WHEN_EXPR_TOKENS 12

int kh_date_match_at(const char *text, size_t len, long article_date, kh_date_match *m)
{
    toks t = {0};
    kh_lex_sentence ls;
    kh_lex_sentence_init(&ls);
    kh_lex_sentence_tokenize(&ls, text, len);
    tokens_of(&ls, KH_WHEN_EXPR_TOKENS, &t);
    mctx c;
    ctx_init(&c, text, &t, article_date);
    size_t end;
    int ok = t.n > 0 && match_at(&c, 0, m, &end);
    free(t.v);
    kh_lex_sentence_free(&ls);
    return ok;
}

int kh_date_expression(const char *text, size_t len, long article_date, long *date,
                       int *source)
{
    kh_date_match m;
    if (!kh_date_match_at(text, len, article_date, &m)) return 0;
    *date = m.date;
    *source = m.source;
    return (int)m.end;
}

/* ---------------------------------------------------------------------
 * Clauses and the governing date
 * --------------------------------------------------------------------- */

/* The lexicon classes of the words that may break a clause: a token
 * that is no mark and has neither (most of them) breaks none. */
#define CLAUSE_WORDS (KH_LEX_CLAUSE | KH_LEX_COMMA_CLAUSE)

/* Inline: pick_match asks it of every token between a verb and a date. */
static inline int is_clause_break(const mctx *c, size_t i, const unsigned char *in_match)
{
    const tok *k = &c->v[i];
    if (k->kind != TK_PUNCT && !(kh_lex_entry_of(k->word)->classes & CLAUSE_WORDS))
        return 0;       /* a number's word is KH_LW_NONE, which has no class */
    if (in_match[i]) return 0;
    if (k->kind == TK_PUNCT) {
        if (k->e - k->s > 1) return 1; /* dashes, curly quotes, guillemets */
        char ch = c->t[k->s];
        if (ch == ':' && i > 0 && adjacent(c, i - 1, i) && c->v[i - 1].kind == TK_NUM)
            return 0; /* 10:30 */
        return strchr(";:()[]\"!?", ch) != NULL;
    }
    if (i + 1 < c->n && in_match[i + 1]) return 0; /* "after March 2011" */
    if (word_in(c, i, KH_LEX_CLAUSE)) return 1; /* "said after the U.S. invaded" */
    return i > 0 && punct_is(c, i - 1, ',') && word_in(c, i, KH_LEX_COMMA_CLAUSE);
}

typedef struct mlist {
    kh_date_match *v;
    size_t *tok_start, *tok_end;
    size_t n, cap;
    unsigned char *in_match;    /* per token: inside one of the matches */
    size_t in_match_cap;
    int found;                  /* the sentence was searched */
} mlist;

static void mlist_push(mlist *l, const kh_date_match *m, size_t ts, size_t te)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 8;
        l->v = kh_xrealloc(l->v, l->cap * sizeof *l->v);
        l->tok_start = kh_xrealloc(l->tok_start, l->cap * sizeof *l->tok_start);
        l->tok_end = kh_xrealloc(l->tok_end, l->cap * sizeof *l->tok_end);
    }
    l->v[l->n] = *m;
    l->tok_start[l->n] = ts;
    l->tok_end[l->n] = te;
    l->n++;
}

static void mlist_free(mlist *l)
{
    free(l->v);
    free(l->tok_start);
    free(l->tok_end);
    free(l->in_match);
}

/* A sentence's tokens and its date expressions, found once for all of its
 * events.  The forms look back or ahead depending on the event's tense
 * (mctx.future), so there are two lists, each searched when an event of
 * that tense first asks. */
struct kh_when {
    toks t;
    mctx ctx;           /* over t, future off */
    long anchor;        /* the article date ctx was made for */
    int anchored;       /* ctx's article fields are anchor's */
    mlist found[2];     /* [future] */
    unsigned char roles[KH_LW_COUNT];   /* word_roles of each lexicon word */
};

static unsigned char word_roles(kh_lex_word w);

kh_when *kh_when_new(void)
{
    kh_when *w = kh_xcalloc(1, sizeof(kh_when));
    for (int k = 0; k < KH_LW_COUNT; k++)
        w->roles[k] = word_roles((kh_lex_word)k);
    return w;
}

void kh_when_free(kh_when *w)
{
    if (!w)
        return;
    free(w->t.v);
    mlist_free(&w->found[0]);
    mlist_free(&w->found[1]);
    free(w);
}

void kh_when_sentence(kh_when *w, const kh_lex_sentence *sentence, long article_date)
{
    w->t.n = 0;
    tokens_of(sentence, SIZE_MAX, &w->t);
    if (!w->anchored || w->anchor != article_date) {
        ctx_init(&w->ctx, sentence->text, &w->t, article_date);
        w->anchor = article_date;       /* a document's sentences share it */
        w->anchored = 1;
    } else {
        w->ctx.t = sentence->text;
        w->ctx.v = w->t.v;
        w->ctx.n = w->t.n;
    }
    for (int f = 0; f < 2; f++)
        w->found[f].n = 0, w->found[f].found = 0;
}

/* A clause break (is_clause_break) among tokens [from, to). */
static int breaks_between(const mctx *c, const mlist *l, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++)
        if (is_clause_break(c, i, l->in_match))
            return 1;
    return 0;
}

/* The match nearest to the verb's tokens [vs, ve) with no clause break
 * between them: the first after the verb, else the last before it; -1 if
 * none.  The matches are in text order and do not overlap, so only the
 * nearest on each side can be it, and only the tokens between it and the
 * verb need asking -- not the whole clause. */
static long pick_match(const mctx *c, const mlist *l, size_t vs, size_t ve)
{
    size_t k = 0;
    while (k < l->n && l->tok_start[k] < ve)
        k++;
    if (k < l->n && !breaks_between(c, l, ve, l->tok_end[k]))
        return (long)k;
    while (k > 0 && l->tok_end[k - 1] > vs)
        k--;                    /* the ones around the verb */
    if (k > 0 && !breaks_between(c, l, l->tok_start[k - 1], vs))
        return (long)k - 1;
    return -1;
}

static void apply_match(const kh_date_match *m, const mctx *c, kh_event *e)
{
    e->event_date = m->date;
    e->date_source = m->source;
    e->date_precision = m->precision;
    if (c->art > 0 && !m->since &&
        kh_date_to_days(m->last) < c->art_days - KH_WHEN_HISTORICAL_DAYS)
        e->flags |= KH_EVENT_HISTORICAL;
}

/* The lexicon classes of the words a form may start with (match_at): a
 * preposition, a month or weekday, a count ("three days ago"). */
#define DATE_START_CLASSES (KH_LEX_DATE_PREP | KH_LEX_MONTH | KH_LEX_MONTH_ABBR | \
                            KH_LEX_WEEKDAY | KH_LEX_WEEKDAY_ABBR | KH_LEX_COUNT)

/* A form may start at a word w: one of DATE_START_CLASSES, or a word that
 * begins an expression of match_relative's ("yesterday", "last week",
 * "over the weekend").  Most of a sentence's lexicon words ("the", "of",
 * "said") start none, so matching skips them without trying each form. */
static int may_start_date(kh_lex_word w)
{
    if (kh_lex_entry_of(w)->classes & DATE_START_CLASSES)
        return 1;
    switch (w) {
    case KH_LW_TODAY: case KH_LW_TONIGHT: case KH_LW_YESTERDAY: case KH_LW_TOMORROW:
    case KH_LW_THIS: case KH_LW_EARLIER: case KH_LW_LATER: case KH_LW_OVER:
    case KH_LW_AT: case KH_LW_LAST: case KH_LW_PAST: case KH_LW_NEXT:
        return 1;
    default:
        return 0;
    }
}

/* The lexicon classes of the words that make a date (date_core). */
#define DATE_CORE_CLASSES (KH_LEX_MONTH | KH_LEX_MONTH_ABBR | KH_LEX_WEEKDAY | \
                           KH_LEX_WEEKDAY_ABBR | KH_LEX_DAY_PART)

/* Every form holds a number, a month, a weekday or one of the words that
 * name a time by themselves ("yesterday", "week", "ago"): w is one of
 * these words.  The words around them ("on", "last", "earlier this") only
 * lead up to one. */
static int is_core_word(kh_lex_word w)
{
    if (kh_lex_entry_of(w)->classes & DATE_CORE_CLASSES)
        return 1;
    switch (w) {
    case KH_LW_TODAY: case KH_LW_TONIGHT: case KH_LW_YESTERDAY: case KH_LW_TOMORROW:
    case KH_LW_WEEK: case KH_LW_MONTH: case KH_LW_YEAR: case KH_LW_NIGHT:
    case KH_LW_WEEKEND: case KH_LW_AGO:
        return 1;
    default:
        return 0;
    }
}

/* What a lexicon word may be in a form, as a bit set: both questions
 * above, asked of every word once (kh_when_new) instead of for every
 * token of every sentence. */
enum { ROLE_START = 1, ROLE_CORE = 2 };

static unsigned char word_roles(kh_lex_word w)
{
    return (unsigned char)((may_start_date(w) ? ROLE_START : 0) |
                           (is_core_word(w) ? ROLE_CORE : 0));
}

/* Token i is a number or a core word (is_core_word).  Only a word has a
 * lexicon word (toks_push), and KH_LW_NONE has no role. */
static int date_core(const mctx *c, const unsigned char *roles, size_t i)
{
    const tok *t = &c->v[i];
    return t->kind == TK_NUM || t->kind == TK_ORD || (roles[t->word] & ROLE_CORE);
}

/* How many tokens a form may read before its first date_core token: "on
 * earlier this month" and "on a year ago" read three ("on" and
 * match_relative's two). */
#define DATE_CORE_LEAD 3

static void find_matches(const mctx *c, const unsigned char *roles, mlist *l)
{
    if (l->in_match_cap < c->n + 1) {
        l->in_match_cap = c->n + 1;
        l->in_match = kh_xrealloc(l->in_match, l->in_match_cap);
    }
    memset(l->in_match, 0, c->n + 1);
    size_t core = 0;            /* the first date_core token at or after i */
    for (size_t i = 0; i < c->n;) {
        kh_date_match m;
        size_t end;
        if (core < i)
            core = i;
        while (core < c->n && !date_core(c, roles, core))
            core++;
        if (core == c->n)
            break;              /* no form starts after the last core */
        if (core > i + DATE_CORE_LEAD) {
            i = core - DATE_CORE_LEAD;  /* none starts further before it */
            continue;
        }
        /* No form starts at punctuation, nor at a word the lexicon does
         * not know: each starts with a number or a lexicon word (month,
         * weekday, count, preposition, "yesterday", "last", ...). */
        if (c->v[i].kind == TK_PUNCT ||
            (c->v[i].kind == TK_WORD && !(roles[c->v[i].word] & ROLE_START))) {
            i++;
            continue;
        }
        if (match_at(c, i, &m, &end)) {
            mlist_push(l, &m, i, end);
            memset(l->in_match + i, 1, end - i);
            i = end;
        } else {
            i++;
        }
    }
    l->found = 1;
}

/* The match nearest the verb span of e inside the verb's clause; -1 if
 * none.  Without a verb span, the first match. */
static long governing_match(const mctx *c, const mlist *l, const kh_event *e)
{
    if (l->n == 0)
        return -1;
    if (e->verb_span.start < 0 || e->verb_span.end < e->verb_span.start)
        return 0;
    size_t vs = 0, ve;
    while (vs < c->n && c->v[vs].e <= (size_t)e->verb_span.start) vs++;
    ve = vs;
    while (ve < c->n && c->v[ve].s < (size_t)e->verb_span.end) ve++;
    return pick_match(c, l, vs, ve);
}

void kh_when_event(kh_when *w, kh_event *e)
{
    mctx c = w->ctx;
    c.future = (e->flags & KH_EVENT_FUTURE) != 0;
    mlist *l = &w->found[c.future];
    if (!l->found)
        find_matches(&c, w->roles, l);
    long pick = governing_match(&c, l, e);
    if (pick >= 0) {
        apply_match(&l->v[pick], &c, e);
    } else {
        e->event_date = c.art;
        e->date_source = c.art ? KH_DATE_ARTICLE : KH_DATE_NONE;
        e->date_precision = c.art ? KH_DATE_PRECISION_DAY : KH_DATE_PRECISION_NONE;
    }
}

void kh_when_resolve(const char *sentence, size_t len, long article_date, kh_event *e)
{
    kh_when *w = kh_when_new();
    kh_lex_sentence ls;
    kh_lex_sentence_init(&ls);
    kh_lex_sentence_tokenize(&ls, sentence, len);
    kh_when_sentence(w, &ls, article_date);
    kh_when_event(w, e);
    kh_lex_sentence_free(&ls);
    kh_when_free(w);
}
