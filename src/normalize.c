/*
 * normalize.c -- making input text valid NFC UTF-8 (read.h
 * kh_text_normalize): invalid bytes are read as Windows-1252, control
 * bytes become spaces, CR LF and lone CR become LF.
 */
#include "normalize.h"
#include "swar.h"
#include "text_scan.h"
#include "util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

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

/* The repair and NFC of text[0, len); a byte order mark at its start is
 * dropped when `bom`. */
static char *normalize(const char *text, size_t len, int bom, size_t *out_len,
                       size_t *repaired, size_t *controls)
{
    /* Each input byte becomes at most 3 output bytes (U+FFFD, U+20AC). */
    char *out = kh_xmalloc(len * 3 + 1);
    size_t i = 0, n = 0;
    int ascii = 1;
    if (bom && len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3))
        i = 3;
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

char *kh_text_normalize(const char *text, size_t len, size_t *out_len,
                        size_t *repaired, size_t *controls)
{
    return normalize(text, len, 1, out_len, repaired, controls);
}

char *kh_text_normalize_part(const char *text, size_t len, size_t *out_len,
                             size_t *repaired, size_t *controls)
{
    return normalize(text, len, 0, out_len, repaired, controls);
}

/* Code points that NFC never changes and that never combine with the one
 * before them: all below the combining diacritics (U+0300), and general
 * punctuation and currency signs from U+2002 (U+2000 and U+2001 are
 * singletons NFC replaces) to U+20CF.  Wire text in European languages
 * is all in these, so it is passed without a copy; anything else goes
 * through utf8proc. */
static int nfc_inert(utf8proc_int32_t cp)
{
    return cp < 0x300 || (cp >= 0x2002 && cp <= 0x20CF);
}

/* Whether all eight bytes at s are printable ASCII, tabs or line feeds
 * (swar.h): most of a text, line breaks and all, passes here a word at a
 * time.  The test without the breaks is cheaper and passes most words. */
static int plain_text8(const unsigned char *s)
{
    uint64_t v = kh_swar_load(s);
    return !kh_swar_has_unprintable(v) || !kh_swar_has_unprintable_in_text(v);
}

#ifdef KH_TEXT_SCAN_SSE2
/* The bytes of the sixteen that are not printable ASCII, tabs or line
 * feeds (signed: 0x80 and up count as below 0x20). */
static unsigned not_plain16(__m128i v)
{
    __m128i odd = _mm_or_si128(_mm_cmplt_epi8(v, _mm_set1_epi8(0x20)),
                               _mm_cmpeq_epi8(v, _mm_set1_epi8(0x7F)));
    __m128i fine = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\n')),
                                _mm_cmpeq_epi8(v, _mm_set1_epi8('\t')));
    return (unsigned)_mm_movemask_epi8(_mm_andnot_si128(fine, odd));
}
#endif

/* The length of the start of s[0, len) that is printable ASCII, tabs
 * and line feeds, as far as the scans see: sixteen bytes at a time
 * (text_scan.h), then eight. */
static size_t plain_run(const unsigned char *s, size_t len)
{
    size_t i = KH_SCAN_RUN16((const char *)s, len, not_plain16);
    if (KH_SCAN_FOUND(i, len))
        return i;
    while (len - i >= 8 && plain_text8(s + i))
        i += 8;
    return i;
}

int kh_text_is_normal(const char *text, size_t len)
{
    const unsigned char *s = (const unsigned char *)text;
    for (size_t i = 0; i < len;) {
        i += plain_run(s + i, len - i);
        if (i >= len)
            break;
        unsigned char c = s[i];
        if ((c >= 0x20 && c < 0x7F) || c == '\n' || c == '\t') {
            i++;
            continue;
        }
        if (c < 0x80)
            return 0;                           /* CR or a control byte */
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate(s + i, (utf8proc_ssize_t)(len - i), &cp);
        if (n <= 0 || is_control(cp) || !nfc_inert(cp))
            return 0;
        i += (size_t)n;
    }
    return 1;
}
