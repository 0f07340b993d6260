/*
 * text_scan.h -- the one way a text is passed over sixteen bytes at a
 * time, looking for the rare bytes that need attention: a byte to escape
 * (the writers), one the JSON lines reader must look at, one that may end
 * a sentence (segment.c), a capital where a dateline may start (clean.c),
 * one that is not plain NFC text (normalize.c).  With SSE2 (every x86-64)
 * a block of sixteen is tested at once; most strings the writers test are
 * codes and names of a few bytes, so kh_scan_clean tests a string's last
 * bytes in a load that overlaps the ones before, and no string of four
 * bytes or more is tested a byte at a time.
 *
 * A caller gives `marks16`, the bytes of the sixteen in a vector that may
 * need its attention, one bit each (it may mark more than it must: a
 * marked byte is only looked at again), and goes on from where the scan
 * stops with its eight-byte test (swar.h), which is all it has without
 * SSE2 (KH_SCAN_RUN16 is then 0).
 */
#ifndef KH_TEXT_SCAN_H
#define KH_TEXT_SCAN_H

#if defined(__SSE2__) && defined(__GNUC__)
#define KH_TEXT_SCAN_SSE2 1

#include <emmintrin.h>
#include <stddef.h>
#include <string.h>

typedef unsigned (*kh_scan_marks16)(__m128i v);

static inline __m128i kh_scan_load16(const char *s)
{
    return _mm_loadu_si128((const __m128i *)s);
}

/* Where the first marked byte of s[0, len) is, or where the last fewer
 * than sixteen bytes start when the blocks before hold none: the caller
 * goes on from there eight bytes at a time. */
static inline size_t kh_scan_run16(const char *s, size_t len, kh_scan_marks16 marks16)
{
    size_t i = 0;
    for (unsigned bits; i + 16 <= len; i += 16)
        if ((bits = marks16(kh_scan_load16(s + i))) != 0)
            return i + (size_t)__builtin_ctz(bits);
    return i;
}

/* Is no byte of s[0, len) marked?  Those of a string of fewer than four
 * bytes are tested one by one with `special`, the writer's exact test. */
static inline int kh_scan_clean(const char *s, size_t len, kh_scan_marks16 marks16,
                                int (*special)(unsigned char))
{
    if (len >= 16) {
        size_t i = 0;
        for (; i + 16 <= len; i += 16)
            if (marks16(kh_scan_load16(s + i)))
                return 0;
        return i == len || marks16(kh_scan_load16(s + len - 16)) == 0;
    }
    if (len >= 8)
        return marks16(_mm_unpacklo_epi64(_mm_loadl_epi64((const __m128i *)s),
                                          _mm_loadl_epi64((const __m128i *)(s + len - 8)))) == 0;
    if (len >= 4) {
        int head, tail;
        memcpy(&head, s, 4);
        memcpy(&tail, s + len - 4, 4);
        __m128i v = _mm_unpacklo_epi32(_mm_cvtsi32_si128(head), _mm_cvtsi32_si128(tail));
        return (marks16(v) & 0xFF) == 0; /* the eight bytes read */
    }
    for (size_t i = 0; i < len; i++)
        if (special((unsigned char)s[i]))
            return 0;
    return 1;
}
#endif

/* The start of a run of plain bytes found sixteen at a time, or 0
 * without SSE2 (the caller's eight-byte test goes on from there). */
/* KH_SCAN_FOUND(i, len): whether the run of i bytes of len it found
 * stopped at a marked byte (it only stops before the last sixteen at
 * one), which its caller then need not test again. */
#ifdef KH_TEXT_SCAN_SSE2
#define KH_SCAN_RUN16(s, len, marks16) kh_scan_run16((s), (len), (marks16))
#define KH_SCAN_FOUND(i, len) ((len) - (i) >= 16)
#else
#define KH_SCAN_RUN16(s, len, marks16) ((size_t)0)
#define KH_SCAN_FOUND(i, len) 0
#endif

#endif
