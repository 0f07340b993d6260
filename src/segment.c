/* segment.c -- sentence boundaries with byte offsets (see segment.h). */
#include "segment.h"
#include "swar.h"
#include "text_scan.h"
#include "vec.h"

#include <stdint.h>
#include <string.h>
#include <utf8proc.h>

/* ---- character classes ---- */

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
           c == '\v';
}

/* The code point at text[i], or -1 at the end or on a bad byte. */
static utf8proc_int32_t code_at(const char *text, size_t len, size_t i,
                                size_t *width)
{
    if (i < len && (unsigned char)text[i] < 0x80) {   /* most text: no decoding */
        *width = 1;
        return (unsigned char)text[i];
    }
    utf8proc_int32_t cp = -1;
    utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)text + i,
                                          (utf8proc_ssize_t)(len - i), &cp);
    *width = n > 0 ? (size_t)n : 1;
    return n > 0 ? cp : -1;
}

static int is_lower_cp(utf8proc_int32_t cp)
{
    return cp >= 0 && utf8proc_category(cp) == UTF8PROC_CATEGORY_LL;
}

static int is_upper_cp(utf8proc_int32_t cp)
{
    utf8proc_category_t c = cp >= 0 ? utf8proc_category(cp) : 0;
    return c == UTF8PROC_CATEGORY_LU || c == UTF8PROC_CATEGORY_LT;
}

/* Closing quotes and brackets that stay with the sentence they end. */
static int is_closer(utf8proc_int32_t cp)
{
    return cp == '"' || cp == '\'' || cp == ')' || cp == ']' || cp == '}' ||
           cp == 0x201D || cp == 0x2019 || cp == 0x00BB || cp == 0x203A;
}

/* Opening quotes and brackets that may precede a sentence's first word. */
static int is_opener(utf8proc_int32_t cp)
{
    return cp == '"' || cp == '\'' || cp == '(' || cp == '[' ||
           cp == 0x201C || cp == 0x2018 || cp == 0x00AB || cp == 0x2039;
}

/* . ! ? and the ellipsis character. */
static int is_terminal(utf8proc_int32_t cp)
{
    return cp == '.' || cp == '!' || cp == '?' || cp == 0x2026;
}

/* ---- abbreviations ---- */

/* Each list is in strcmp order (upper case before lower): in_list
 * bisects it.  Each is an array of rows just wide enough for its longest
 * word and a NUL: a longer word is in none of its rows, without a
 * comparison, as most words before a full stop are.  The compiler takes
 * a word that fills a row without its NUL: kh_segment_lists_sorted, a
 * test, checks the order and the NULs. */

/* Words that a full stop follows without ending the sentence, because a
 * name or number always comes next ("Gen. Smith", "vs. Iran"). */
static const char never_final[][sizeof "approx"] = {
    "Adm", "Amb", "Brig", "Capt", "Cmdr", "Col", "Cpl", "Dr", "Ft", "Gen",
    "Gens", "Gov", "Hon", "Insp", "Lt", "Maj", "Mr", "Mrs", "Ms", "Mt",
    "Pres", "Prof", "Pvt", "Rep", "Reps", "Rev", "Sen", "Sens", "Sgt", "St",
    "Supt", "approx", "cf", "e.g", "est", "i.e", "v", "vs",
};

/* Abbreviations that can also be the last word of a sentence: they end it
 * only when a typical sentence opener follows ("... in the U.S. The"). */
static const char maybe_final[][sizeof "Blvd"] = {
    "Apr", "Aug", "Ave", "Blvd", "Bros", "Co", "Corp", "Dec", "Dept", "Feb",
    "Inc", "Jan", "Jr", "Jul", "Jun", "Ltd", "Mar", "No", "Nos", "Nov", "Oct",
    "Sep", "Sept", "Sr", "Univ", "a.m", "al", "etc", "p.m",
};

/* Words that start sentences far more often than they follow "U.S.". */
static const char sentence_openers[][sizeof "Meanwhile"] = {
    "A", "According", "After", "Also", "An", "And", "Another", "As", "At",
    "Before", "But", "Earlier", "He", "Her", "His", "However", "I", "If",
    "In", "It", "Its", "Last", "Later", "Many", "Meanwhile", "Most", "No",
    "Not", "On", "One", "Other", "Our", "She", "Since", "So", "Some", "That",
    "The", "Their", "There", "These", "They", "This", "Those", "Under", "We",
    "When", "While", "Yet", "You",
};

typedef struct word_list {
    const char *words;  /* count rows of width bytes, each a word and NULs */
    size_t count, width;
    /* Bit c - 'A' for the first byte c of each word ('A' to 'z'): a word
     * that starts otherwise is in none of the rows, without a bisection,
     * as most short words before a full stop are ("said", "year", "U.S").
     * kh_segment_lists_sorted checks it against the rows. */
    uint64_t firsts;
} word_list;

#define WORD_LIST(a, firsts) {a[0], sizeof a / sizeof a[0], sizeof a[0], firsts}

static const char *list_word(const word_list *list, size_t i)
{
    return list->words + i * list->width;
}

static const word_list never_final_list = WORD_LIST(never_final, 0x200115000699efull);
static const word_list maybe_final_list = WORD_LIST(maybe_final, 0x801100147b2full);
static const word_list sentence_opener_list = WORD_LIST(sentence_openers, 0x15c7993ull);

/* Whether some word of the list starts with byte c (see firsts). */
static int may_start_word(const word_list *list, unsigned char c)
{
    unsigned bit = (unsigned)c - 'A';
    return bit < 64 && ((list->firsts >> bit) & 1);
}

/* w[0, n) against the word `entry`, in strcmp order; first bytes first. */
static int compare_word(const char *w, size_t n, const char *entry)
{
    int c = (unsigned char)w[0] - (unsigned char)entry[0];
    if (c == 0)
        c = strncmp(w, entry, n);
    return c ? c : -(entry[n] != '\0');
}

/* Asked of the word before every full stop: bisected, not scanned. */
static int in_list(const word_list *list, const char *w, size_t n)
{
    size_t lo = 0, hi = list->count;
    if (n >= list->width || n == 0 || !may_start_word(list, (unsigned char)w[0]))
        return 0;
    while (n > 0 && lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = compare_word(w, n, list_word(list, mid));
        if (c == 0)
            return 1;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return 0;
}

static int sorted(const word_list *list)
{
    uint64_t firsts = 0;
    for (size_t i = 0; i < list->count; i++) {
        if (list_word(list, i)[list->width - 1] != '\0' ||
            (i > 0 && strcmp(list_word(list, i - 1), list_word(list, i)) >= 0))
            return 0;
        unsigned bit = (unsigned)(unsigned char)list_word(list, i)[0] - 'A';
        if (bit >= 64)
            return 0;           /* a first byte firsts cannot hold */
        firsts |= 1ull << bit;
    }
    return firsts == list->firsts;
}

int kh_segment_lists_sorted(void)
{
    return sorted(&never_final_list) && sorted(&maybe_final_list) &&
           sorted(&sentence_opener_list);
}

/* The word that ends at `end` (exclusive), not before `floor`, without
 * opening quotes or brackets. */
static size_t word_before(const char *text, size_t floor, size_t end,
                          size_t *wstart)
{
    size_t s = end;
    while (s > floor && !is_space((unsigned char)text[s - 1]))
        s--;
    while (s < end && strchr("\"'([{", text[s]))
        s++;
    *wstart = s;
    return end - s;
}

static int is_dotted_acronym(const char *w, size_t n)
{
    /* "U.S", "U.N", "N.Y": letters separated by dots. */
    return n >= 3 && memchr(w, '.', n) != NULL;
}

static size_t word_after(const char *text, size_t len, size_t i)
{
    size_t e = i;
    while (e < len && ((text[e] >= 'A' && text[e] <= 'Z') ||
                       (text[e] >= 'a' && text[e] <= 'z')))
        e++;
    return e - i;
}

/* Whether a single full stop at `dot` ends the sentence, given that the
 * next word starts at `next` (after white space and opening quotes). */
static int full_stop_ends(const char *text, size_t len, size_t floor,
                          size_t dot, size_t next)
{
    size_t ws, n = word_before(text, floor, dot, &ws);
    const char *w = text + ws;
    if (n == 0)
        return 1;
    if (n == 1 && w[0] >= 'A' && w[0] <= 'Z')
        return 0;                                   /* "George W. Bush" */
    if (ws == floor && n <= 3 && strspn(w, "0123456789") == n)
        return 0;                         /* "2. The second point": a list */
    if (in_list(&never_final_list, w, n))
        return 0;
    if (in_list(&maybe_final_list, w, n) || is_dotted_acronym(w, n))
        return in_list(&sentence_opener_list, text + next,
                       word_after(text, len, next));
    return 1;
}

/* ---- boundaries ---- */

/* Skips white space from i; sets *blank when a white-space-only line (a
 * paragraph break) was crossed. */
static size_t skip_space(const char *text, size_t len, size_t i, int *blank)
{
    int newlines = 0;
    *blank = 0;
    for (; i < len && is_space((unsigned char)text[i]); i++)
        if (text[i] == '\n' && ++newlines >= 2)
            *blank = 1;
    return i;
}

/* The first letter of the next sentence candidate: skips opening quotes. */
static utf8proc_int32_t first_letter(const char *text, size_t len, size_t i,
                                     size_t *at)
{
    size_t w;
    utf8proc_int32_t cp = code_at(text, len, i, &w);
    while (is_opener(cp) && i + w < len) {
        i += w;
        cp = code_at(text, len, i, &w);
    }
    *at = i;
    return cp;
}

/* Punctuation at `i` (already known terminal): returns the offset just
 * after the mark, its closers and any further marks ("?!", ".\")"). */
static size_t after_marks(const char *text, size_t len, size_t i)
{
    size_t w;
    while (i < len) {
        utf8proc_int32_t cp = code_at(text, len, i, &w);
        if (!is_terminal(cp) && !is_closer(cp))
            break;
        i += w;
    }
    return i;
}

/* A terminal mark run [i, k) followed by white space up to `next`: does a
 * sentence end at k? */
static int ends_here(const char *text, size_t len, size_t start, size_t i,
                     size_t k, size_t next)
{
    size_t at;
    utf8proc_int32_t cp = first_letter(text, len, next, &at);
    if (is_lower_cp(cp))
        return 0;
    if (text[i] == '.' && (i + 1 >= len || !is_terminal(text[i + 1])))
        return full_stop_ends(text, len, start, i, at);
    return 1;
}

/* In line mode: does the line break at `nl` end an unpunctuated line that
 * is followed by a line starting like a sentence? */
static int line_break_ends(const char *text, size_t len, size_t start,
                           size_t nl, size_t next)
{
    size_t e = nl, at;
    while (e > start && is_space((unsigned char)text[e - 1]))
        e--;
    if (e == start || strchr(",;:-", text[e - 1]))
        return 0;
    utf8proc_int32_t cp = first_letter(text, len, next, &at);
    return is_upper_cp(cp) || (cp >= '0' && cp <= '9');
}

static void emit(const char *text, size_t start, size_t end,
                 kh_sentence_span *span)
{
    while (end > start && is_space((unsigned char)text[end - 1]))
        end--;
    span->start = start;
    span->end = end;
}

/* Whether some byte of the eight in v may end a sentence: a newline, '.',
 * '!' or '?', or a non-ASCII one (an ellipsis, a closing quote). */
static int may_end8(uint64_t v)
{
    return ((v & KH_SWAR_HIGH) | kh_swar_has_byte(v, '\n') | kh_swar_has_byte(v, '.') |
            kh_swar_has_byte(v, '!') | kh_swar_has_byte(v, '?')) != 0;
}

/* No other byte ends a sentence, and no other is decoded. */
static int may_end(unsigned char b)
{
    return b >= 0x80 || b == '\n' || b == '.' || b == '!' || b == '?';
}

#ifdef KH_TEXT_SCAN_SSE2
/* The bytes of the sixteen that may end a sentence; the top bit of v
 * itself marks those of 0x80 and more. */
static unsigned may_end16(__m128i v)
{
    __m128i marks = _mm_or_si128(
        _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\n')), _mm_cmpeq_epi8(v, _mm_set1_epi8('.'))),
        _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('!')), _mm_cmpeq_epi8(v, _mm_set1_epi8('?'))));
    return (unsigned)_mm_movemask_epi8(_mm_or_si128(marks, v));
}
#endif

/* The length of the start of s[0, len) with no byte that may end a
 * sentence: sixteen bytes at a time (text_scan.h), a fifth of the
 * instructions of the eight-byte test, which does the rest. */
static size_t quiet_run(const char *s, size_t len)
{
    size_t i = KH_SCAN_RUN16(s, len, may_end16);
    if (KH_SCAN_FOUND(i, len))
        return i;
    return i + kh_swar_plain_run(s + i, len - i, may_end8, may_end);
}

int kh_segment_next(const char *text, size_t len, size_t *pos, int line_mode,
                    kh_sentence_span *span)
{
    int blank;
    size_t start = skip_space(text, len, *pos, &blank), i = start, w;
    if (start >= len) {
        *pos = len;
        return 0;
    }
    while (i < len) {
        i += quiet_run(text + i, len - i);
        if (i >= len)
            break;
        utf8proc_int32_t cp = code_at(text, len, i, &w);
        if (cp == '\n') {
            size_t next = skip_space(text, len, i, &blank);
            if (blank || next >= len ||
                (line_mode && line_break_ends(text, len, start, i, next))) {
                emit(text, start, i, span);
                *pos = next;
                return 1;
            }
        } else if (is_terminal(cp)) {
            size_t k = after_marks(text, len, i);
            if (k >= len || is_space((unsigned char)text[k])) {
                size_t next = skip_space(text, len, k, &blank);
                if (blank || next >= len ||
                    ends_here(text, len, start, i, k, next)) {
                    emit(text, start, k, span);
                    *pos = next;
                    return 1;
                }
            }
            i = k;
            continue;
        }
        i += w;
    }
    emit(text, start, len, span);
    *pos = len;
    return 1;
}

/* ---- whole text ---- */

int kh_segment_line_mode(const char *text, size_t len)
{
    size_t breaks = 0, punctuated = 0;
    for (const char *nl = memchr(text, '\n', len); nl;
         nl = memchr(nl + 1, '\n', len - (size_t)(nl + 1 - text))) {
        size_t i = (size_t)(nl - text);
        size_t e = i, n = i + 1;
        while (e > 0 && (text[e - 1] == ' ' || text[e - 1] == '\t' ||
                         text[e - 1] == '\r'))
            e--;
        while (n < len && (text[n] == ' ' || text[n] == '\t' || text[n] == '\r'))
            n++;
        if (e == 0 || text[e - 1] == '\n' || n >= len || text[n] == '\n')
            continue;                     /* not a break inside a paragraph */
        breaks++;
        size_t b = e - 1, w;
        while (b > 0 && ((unsigned char)text[b] & 0xC0) == 0x80)
            b--;
        utf8proc_int32_t last = code_at(text, len, b, &w);
        if (is_terminal(last) || is_closer(last))
            punctuated++;
    }
    return breaks > 0 && punctuated * 2 >= breaks;
}

size_t kh_segment(const char *text, size_t len, kh_sentence_span **out)
{
    KH_VEC(kh_sentence_span) spans = {0};
    int line_mode = kh_segment_line_mode(text, len);
    size_t pos = 0;
    kh_sentence_span s;
    while (kh_segment_next(text, len, &pos, line_mode, &s))
        if (s.end > s.start)
            *KH_VEC_PUSH(&spans) = s;
    *out = spans.items;
    return spans.count;
}
