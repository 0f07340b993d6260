/* token.c -- see token.h */
#include "token.h"
#include "short_key.h" /* KH_ALWAYS_INLINE */
#include "util.h"
#include "vec.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

void kh_tokens_init(kh_tokens *t) { memset(t, 0, sizeof *t); }

void kh_tokens_free(kh_tokens *t)
{
    free(t->items);
    free(t->buf);
    kh_tokens_init(t);
}

/* Grows the word buffer to hold n more bytes and a NUL.  Tokens point
 * into it: when it moves they are moved with it, by their offsets, which
 * is rare (the buffer is kept from sentence to sentence) and spares every
 * token a second pass to turn an offset into a pointer. */
static void buf_grow(kh_tokens *t, size_t n)
{
    size_t cap = t->buf_cap ? t->buf_cap * 2 : 1024;
    while (cap < t->buf_len + n + 1)
        cap *= 2;
    for (size_t k = 0; k < t->count; k++)
        t->items[k].word = (const char *)(uintptr_t)(t->items[k].word - t->buf);
    t->buf = kh_xrealloc(t->buf, cap);
    t->buf_cap = cap;
    for (size_t k = 0; k < t->count; k++)
        t->items[k].word = t->buf + (size_t)(uintptr_t)t->items[k].word;
}

/* Makes room for n more bytes (and a NUL) in the word buffer.  Inline:
 * it is asked for every word, and the buffer seldom grows. */
static inline void buf_reserve(kh_tokens *t, size_t n)
{
    if (t->buf_len + n + 1 > t->buf_cap)
        buf_grow(t, n);
}

/* Appends bytes to the word buffer; returns the offset they start at. */
static size_t buf_append(kh_tokens *t, const char *s, size_t n)
{
    buf_reserve(t, n);
    size_t at = t->buf_len;
    memcpy(t->buf + at, s, n);
    t->buf_len += n;
    return at;
}

/* Called per byte of every word: the check is inline, the growth not. */
static inline void buf_put(kh_tokens *t, char c)
{
    buf_reserve(t, 1);
    t->buf[t->buf_len++] = c;
}

/* The longest abbreviation keeps_period knows ("SEPT", "CORP"). */
#define ABBREV_MAX_LEN 4

static int is_apostrophe(int32_t cp) { return cp == '\'' || cp == 0x2019 || cp == 0x2018; }
static int is_quote(int32_t cp) { return cp == '"' || cp == 0x201C || cp == 0x201D || cp == 0xAB || cp == 0xBB; }
static int is_dash(int32_t cp) { return cp == 0x2013 || cp == 0x2014 || cp == 0x2212; }

static int is_word_cp_above_ascii(int32_t cp)
{
    utf8proc_category_t c = utf8proc_category(cp);
    return (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO) ||
           c == UTF8PROC_CATEGORY_MN || c == UTF8PROC_CATEGORY_ND;
}

/* Asked of every character: ASCII is answered inline. */
static inline int is_word_cp(int32_t cp)
{
    if (cp < 128)
        return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
               (cp >= '0' && cp <= '9');
    return is_word_cp_above_ascii(cp);
}

/* Appends a code point to the word being built, upper-cased. */
static void put_upper_cp(kh_tokens *t, int32_t cp)
{
    if (cp < 128) {
        buf_put(t, (char)((cp >= 'a' && cp <= 'z') ? cp - 32 : cp));
        return;
    }
    utf8proc_uint8_t enc[4];
    utf8proc_ssize_t n = utf8proc_encode_char(utf8proc_toupper(cp), enc);
    buf_append(t, (const char *)enc, (size_t)n);
}

/* Most of a word is ASCII letters and digits: the run of them from i is
 * copied, upper-cased, in one pass with one reservation (the rest of the
 * text, which the run cannot exceed) instead of a check and a code point
 * decoded per byte.  ascii_word_upper maps each ASCII letter and digit
 * to itself upper-cased and every other byte to 0. */
static const unsigned char ascii_word_upper[256] = {
      0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,
      0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,
      0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,
     48,  49,  50,  51,  52,  53,  54,  55,  56,  57,   0,   0,   0,   0,   0,   0,
      0,  65,  66,  67,  68,  69,  70,  71,  72,  73,  74,  75,  76,  77,  78,  79,
     80,  81,  82,  83,  84,  85,  86,  87,  88,  89,  90,   0,   0,   0,   0,   0,
      0,  65,  66,  67,  68,  69,  70,  71,  72,  73,  74,  75,  76,  77,  78,  79,
     80,  81,  82,  83,  84,  85,  86,  87,  88,  89,  90,   0,   0,   0,   0,   0,
      0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,
      0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,
      0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,
      0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,
      0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,
      0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,
      0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,
      0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,
};

#if defined(__SSE2__) && defined(__GNUC__)
#include <emmintrin.h>

/* Sixteen bytes at a time with SSE2 (every x86-64): the byte loop below
 * cost nine instructions a byte, and most words are one step of this.
 * Copies the sixteen bytes at s to out, ASCII letters upper-cased;
 * returns the bits (bit k for s[k]) of the ASCII letters and digits, and
 * sets *letters to those of the letters. */
static inline unsigned put_upper16(char *out, const char *s, unsigned *letters)
{
    const __m128i case_bit = _mm_set1_epi8(0x20);
    __m128i v = _mm_loadu_si128((const __m128i *)s);
    /* signed compares: a byte above 0x7F is negative, in no range */
    __m128i digit = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('0' - 1)),
                                  _mm_cmplt_epi8(v, _mm_set1_epi8('9' + 1)));
    __m128i folded = _mm_or_si128(v, case_bit);   /* A-Z as a-z, no other byte */
    __m128i letter = _mm_and_si128(_mm_cmpgt_epi8(folded, _mm_set1_epi8('a' - 1)),
                                   _mm_cmplt_epi8(folded, _mm_set1_epi8('z' + 1)));
    __m128i upper = _mm_andnot_si128(_mm_and_si128(letter, case_bit), v);
    _mm_storeu_si128((__m128i *)out, upper);
    *letters = (unsigned)_mm_movemask_epi8(letter);
    return *letters | (unsigned)_mm_movemask_epi8(digit);
}

/* Copies the run of ASCII letters and digits at s[*k..) upper-cased to
 * out while sixteen bytes are left, advancing *k; returns 1 when it found
 * the run's end, 0 when the byte loop must go on.  It writes up to 15
 * bytes past the run, which the caller's reservation (the rest of the
 * text) covers.  Sets *letter_seen for a letter. */
static int put_upper_ascii_block(char *out, const char *s, size_t len, size_t *k,
                                 int *letter_seen)
{
    size_t at = *k;
    unsigned letters = 0;
    int ended = 0;
    for (; at + 16 <= len; at += 16, out += 16) {
        unsigned letter_bits, word_bits = put_upper16(out, s + at, &letter_bits);
        if (word_bits != 0xFFFF) {
            unsigned take = (unsigned)__builtin_ctz(~word_bits);
            letters |= letter_bits & ((1u << take) - 1);
            at += take;
            ended = 1;
            break;
        }
        letters |= letter_bits;
    }
    *k = at;
    if (letters)
        *letter_seen = 1;
    return ended;
}

/* Most words are the simple kind, found in one step: fewer than sixteen
 * ASCII letters and digits at s, then an ASCII byte other than a period,
 * or a period that ends a word longer than any abbreviation and is
 * followed (within the sixteen) by an ASCII byte that is no letter or
 * digit: the last word of most sentences.  scan_word must look at any
 * other period.  Copies such a word upper-cased to out (writing sixteen
 * bytes) and returns its length, adding KH_TOK_NUMBER to *flags when it
 * has no letter; returns 0 for any other word.  Sixteen bytes must be
 * readable at s. */
KH_ALWAYS_INLINE size_t put_simple_word(char *out, const char *s, unsigned *flags)
{
    unsigned letters, word = put_upper16(out, s, &letters);
    if (word == 0xFFFF)
        return 0;
    unsigned n = (unsigned)__builtin_ctz(~word);
    unsigned char next = (unsigned char)s[n];
    if (next >= 0x80)
        return 0;
    if (next == '.') {
        /* keeps_period: not an initial, nor an abbreviation; and no
         * inner period ("3.5") */
        unsigned char after = n + 1 < 16 ? (unsigned char)s[n + 1] : 0x80;
        if (n <= ABBREV_MAX_LEN || after >= 0x80 || ascii_word_upper[after])
            return 0;
    }
    if (!(letters & ((1u << n) - 1)))
        *flags |= KH_TOK_NUMBER;
    return n;
}
#endif

/* Returns the index after the run; clears *digits_only if the run has a
 * letter (letters, unlike digits, have bit 0x40). */
static size_t put_upper_ascii_run(kh_tokens *t, const char *s, size_t len, size_t i,
                                  int *digits_only)
{
    buf_reserve(t, len - i);
    char *out = t->buf + t->buf_len;
    unsigned char seen = 0, u;
    size_t k = i;
#if defined(__SSE2__) && defined(__GNUC__)
    int letter_seen = 0, ended = put_upper_ascii_block(out, s, len, &k, &letter_seen);
    out += k - i;
    if (letter_seen)
        seen = 0x40;
    if (!ended)
#endif
        for (; k < len && (u = ascii_word_upper[(unsigned char)s[k]]) != 0; k++) {
            seen |= u;
            *out++ = (char)u;
        }
    t->buf_len += k - i;
    if (seen & 0x40)
        *digits_only = 0;
    return k;
}

/* Adds a token whose word, `len` bytes and a NUL, is in the buffer at
 * offset `at`.  Inline: it is called for every token. */
static inline void push_word_token(kh_tokens *t, size_t at, size_t len, long start,
                                   long end, unsigned flags)
{
    KH_VEC_RESERVE(t, t->count + 1);
    kh_token *tok = &t->items[t->count++];
    tok->word = t->buf + at;
    tok->len = (unsigned)len;
    tok->start = start;
    tok->end = end;
    tok->flags = flags;
}

/* Adds a token whose word was built in the buffer from offset `at`. */
static inline void push_built_token(kh_tokens *t, size_t at, long start, long end,
                                    unsigned flags)
{
    size_t len = t->buf_len - at;
    buf_put(t, '\0');     /* before the token points into it: the buffer may move */
    push_word_token(t, at, len, start, end, flags);
}

static void push_token(kh_tokens *t, const char *word, size_t n, long start,
                       long end, unsigned flags)
{
    size_t at = buf_append(t, word, n);
    t->buf[t->buf_len++] = '\0';     /* buf_append left room for it */
    push_word_token(t, at, n, start, end, flags);
}

/* A period belongs to the word when the word is an abbreviation or an
 * initial: "U.S.", "W.", "Gen.".  Sentence-final periods were already
 * trimmed by the segmenter or are kept as a stop token. */
static int keeps_period(const char *w, size_t n, int has_inner_period)
{
    if (has_inner_period || n == 1)
        return 1;
    /* Most words before a period end a sentence, and are longer than any
     * abbreviation: they are not compared with the list. */
    if (n > ABBREV_MAX_LEN)
        return 0;
/* An abbreviation with its length, which must not exceed ABBREV_MAX_LEN
 * (else the array size below is negative, and this does not compile). */
#define ABBREV(a) {a, sizeof a - 1 + 0 * sizeof(char[sizeof a - 1 <= ABBREV_MAX_LEN ? 1 : -1])}
    static const struct { const char *word; size_t len; } abbrev[] = {
        ABBREV("MR"),   ABBREV("MRS"),  ABBREV("MS"),   ABBREV("DR"),   ABBREV("GEN"),
        ABBREV("COL"),  ABBREV("LT"),   ABBREV("SEN"),  ABBREV("REP"),  ABBREV("GOV"),
        ABBREV("ST"),   ABBREV("JAN"),  ABBREV("FEB"),  ABBREV("AUG"),  ABBREV("SEPT"),
        ABBREV("SEP"),  ABBREV("OCT"),  ABBREV("NOV"),  ABBREV("DEC"),  ABBREV("INC"),
        ABBREV("CO"),   ABBREV("CORP"), ABBREV("LTD"),  ABBREV("NO"),   ABBREV("VS"),
        ABBREV("JR"),   ABBREV("SR"),   ABBREV("PROF"), ABBREV("GOVT"), ABBREV("MAJ"),
        ABBREV("CAPT"), ABBREV("SGT"),  ABBREV("ADM"),  ABBREV("BRIG"), ABBREV("FT"),
        ABBREV("MT"),   ABBREV("REV")};
#undef ABBREV
    for (size_t i = 0; i < sizeof abbrev / sizeof abbrev[0]; i++)
        if (abbrev[i].len == n && abbrev[i].word[0] == w[0] && memcmp(abbrev[i].word, w, n) == 0)
            return 1;
    return 0;
}

/* Reads a word starting at i, whose first character is cp; returns the
 * index after it.  The word is built, upper-cased, straight into the
 * tokens' buffer. */
static size_t scan_word(kh_tokens *t, const char *s, size_t len, size_t i, int32_t cp,
                        unsigned joined)
{
    size_t start = i, at = t->buf_len;
    int n;
    unsigned flags = KH_TOK_WORD | joined;
    if (cp < 128 ? (cp >= 'A' && cp <= 'Z') : utf8proc_isupper(cp))
        flags |= KH_TOK_CAPITAL;
#if defined(__SSE2__) && defined(__GNUC__)
    if (cp < 128) {
        buf_reserve(t, 16);
        char *out = t->buf + at;
        size_t simple;
        if (len - i >= 16) {
            simple = put_simple_word(out, s + i, &flags);
        } else {
            /* A sentence's last words: the bytes after the text read as
             * zeros, which end a word as the text's end does.  The last
             * sixteen bytes of the text are one copy, not a memcpy of
             * however many are left. */
            char tail[32] = {0};
            size_t left = len - i;
            if (len >= 16)
                _mm_storeu_si128((__m128i *)tail,
                                 _mm_loadu_si128((const __m128i *)(s + len - 16)));
            else
                memcpy(tail + 16 - left, s + i, left);
            simple = put_simple_word(out, tail + 16 - left, &flags);
        }
        if (simple) {
            out[simple] = '\0';   /* fewer than sixteen bytes: in the reservation */
            t->buf_len += simple + 1;
            push_word_token(t, at, simple, (long)start, (long)(i + simple), flags | KH_TOK_PLAIN);
            return i + simple;
        }
    }
#endif
    /* plain (KH_TOK_PLAIN) while only ASCII runs made the word */
    int digits_only = 1, inner_period = 0, plain = 1;
    while (i < len) {
        size_t run = put_upper_ascii_run(t, s, len, i, &digits_only);
        if (run > i) {
            i = run;
            /* An ASCII byte after the run ends the word, but for a period
             * (which the code below looks at): no need to decode it. */
            if (i < len && (unsigned char)s[i] < 0x80 && s[i] != '.')
                break;
            continue;
        }
        n = kh_utf8_next(s, len, i, &cp);
        if (is_word_cp(cp)) {
            if (cp > '9' || cp < '0')
                digits_only = 0;
            put_upper_cp(t, cp);
            plain = 0;
            i += n;
            continue;
        }
        /* "U.S." and "3.5": a period followed directly by a word char. */
        if (cp == '.' && i + 1 < len) {
            int32_t nx;
            kh_utf8_next(s, len, i + 1, &nx);
            if (is_word_cp(nx) && t->buf_len > at) {
                buf_put(t, '.');
                inner_period = 1;
                plain = 0;
                i++;
                continue;
            }
        }
        break;
    }
    /* Keep a trailing period of an abbreviation. */
    if (i < len && s[i] == '.' && keeps_period(t->buf + at, t->buf_len - at, inner_period)) {
        buf_put(t, '.');
        i++;
        plain = 0;
    }
    if (digits_only)
        flags |= KH_TOK_NUMBER;
    if (plain)
        flags |= KH_TOK_PLAIN;
    push_built_token(t, at, (long)start, (long)i, flags);
    return i;
}

/* Handles an apostrophe at i: possessive 'S, n't, or a quote mark. */
static size_t scan_apostrophe(kh_tokens *t, const char *s, size_t len,
                              size_t i, int n)
{
    size_t j = i + n;
    if (t->count && j < len && (s[j] == 's' || s[j] == 'S') &&
        (j + 1 >= len || !is_word_cp((unsigned char)s[j + 1]))) {
        push_token(t, "'S", 2, (long)i, (long)(j + 1), KH_TOK_WORD);
        return j + 1;
    }
    push_token(t, "'", 1, (long)i, (long)j, KH_TOK_QUOTE);
    return j;
}

/* "didn't" -> DID NOT: the word scanner stops at the apostrophe, leaving
 * "DIDN"; split the N off when "'t" follows. */
static int split_nt(kh_tokens *t, const char *s, size_t len, size_t i)
{
    if (!t->count || i + 1 >= len || (s[i + 1] != 't' && s[i + 1] != 'T'))
        return 0;
    kh_token *prev = &t->items[t->count - 1];
    char *w = t->buf + (prev->word - t->buf);
    size_t wl = prev->len;
    if (wl < 2 || w[wl - 1] != 'N' || prev->end != (long)i)
        return 0;
    if (strcmp(w, "CAN") == 0 || strcmp(w, "WON") == 0) {
        /* can't -> CAN NOT, won't -> WILL NOT */
        if (w[0] == 'W') {
            size_t at = buf_append(t, "WILL", 5);
            prev->word = t->buf + at;
            prev->len = 4;
            prev->flags &= ~KH_TOK_PLAIN;   /* WILL is not what the text spells */
        }
    } else {
        w[wl - 1] = 0;
        prev->len--;
        prev->end--;
    }
    push_token(t, "NOT", 3, (long)i - 1, (long)i + 2, KH_TOK_WORD);
    return 1;
}

void kh_tokenize(kh_tokens *t, const char *s, size_t len)
{
    t->count = 0;
    t->buf_len = 0;
    size_t i = 0;
    unsigned joined = 0;
    while (i < len) {
        if (s[i] == ' ') {      /* most of what is not a word */
            joined = 0;
            i++;
            continue;
        }
        int32_t cp;
        int n = kh_utf8_next(s, len, i, &cp);
        if (is_word_cp(cp)) {
            i = scan_word(t, s, len, i, cp, joined);
            joined = 0;
            if (i < len && s[i] == ' ')     /* what follows most words */
                i++;
            continue;
        }
        joined = 0;
        if (is_apostrophe(cp)) {
            if (split_nt(t, s, len, i)) {
                i += n + 1;
                continue;
            }
            i = scan_apostrophe(t, s, len, i, n);
            continue;
        }
        if (cp == '-' && t->count && t->items[t->count - 1].end == (long)i &&
            i + 1 < len && is_word_cp((unsigned char)s[i + 1])) {
            joined = KH_TOK_JOINED;   /* "al-Qaeda": parts stay adjacent */
        } else if (cp == ',') {
            push_token(t, ",", 1, (long)i, (long)(i + n), KH_TOK_COMMA);
        } else if (cp == '.' || cp == ';' || cp == ':' || cp == '?' || cp == '!') {
            push_token(t, s + i, 1, (long)i, (long)(i + n), KH_TOK_STOP);
        } else if (is_quote(cp)) {
            /* Quote marks carry nothing for coding and would split names
             * (Al "The Weasel" Gore): dropped, as TABARI filters them.
             * Quotations are found on the raw text by quote.c. */
        } else if (cp == '(' || cp == ')' || cp == '[' || cp == ']') {
            push_token(t, s + i, 1, (long)i, (long)(i + n), KH_TOK_BRACKET);
        } else if (is_dash(cp) || cp == '-') {
            push_token(t, "-", 1, (long)i, (long)(i + n), KH_TOK_DASH);
        }
        i += n;
    }
}
