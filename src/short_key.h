/*
 * short_key.h -- a string of at most sixteen bytes as two numbers.
 *
 * The lexicon (lexicon.c) and the string maps (strmap.c) look a word up
 * for every token of every sentence.  Hashing a word byte by byte, and
 * comparing it byte by byte again, costs a few instructions a byte; a
 * word is shorter than sixteen bytes, and these helpers read it in at
 * most four loads instead: the first and the last eight bytes (four for
 * a word of four to seven, the first, middle and last byte of a shorter
 * one), overlapping where the word is short, so that every byte is in
 * the key and no byte past the word's end is read.  Two strings of the
 * same length are equal exactly when their keys are.
 */
#ifndef KH_SHORT_KEY_H
#define KH_SHORT_KEY_H

#include <stddef.h>
#include <stdint.h>

/* For the few functions whose whole cost is less than a call's: the
 * loads of a key and the lookups built on them.  GCC's -O2 heuristics
 * would leave the three-way branch of kh_short_key_of out of line. */
#if defined(__GNUC__)
#define KH_ALWAYS_INLINE static inline __attribute__((always_inline))
#else
#define KH_ALWAYS_INLINE static inline
#endif

/* Starts loading the cache line at p, for a loop that will read many far
 * apart lines (strmap.h, tagger.c): the loads overlap. */
#if defined(__GNUC__)
#define KH_PREFETCH(p) __builtin_prefetch(p)
#else
#define KH_PREFETCH(p) ((void)(p))
#endif

/* Two eight-byte reads hold this many bytes. */
#define KH_SHORT_KEY_MAX 16

typedef struct kh_short_key {
    uint64_t first, last;
} kh_short_key;

/* The four or eight bytes at s as a little-endian number, so that keys
 * and hashes are the same on every machine (the compiler makes one load
 * of each). */
KH_ALWAYS_INLINE uint64_t kh_read_le32(const unsigned char *s)
{
    return (uint64_t)s[0] | (uint64_t)s[1] << 8 | (uint64_t)s[2] << 16 | (uint64_t)s[3] << 24;
}

KH_ALWAYS_INLINE uint64_t kh_read_le64(const unsigned char *s)
{
    return kh_read_le32(s) | kh_read_le32(s + 4) << 32;
}

/* The key of s[0..n), n <= KH_SHORT_KEY_MAX; {0, 0} for n == 0. */
KH_ALWAYS_INLINE kh_short_key kh_short_key_of(const unsigned char *s, size_t n)
{
    kh_short_key k = {0, 0};
    if (n >= 8) {
        k.first = kh_read_le64(s);
        k.last = kh_read_le64(s + n - 8);
    } else if (n >= 4) {
        k.first = kh_read_le32(s);
        k.last = kh_read_le32(s + n - 4);
    } else if (n > 0) {
        k.first = (uint64_t)s[0] | (uint64_t)s[n / 2] << 8 | (uint64_t)s[n - 1] << 16;
    }
    return k;
}

KH_ALWAYS_INLINE int kh_short_key_equal(kh_short_key a, kh_short_key b)
{
    return a.first == b.first && a.last == b.last;
}

/* A multiplicative hash of a key and its string's length: the top bits
 * are the well mixed ones.  tools/gen_lexicon.py:lex_slot computes the
 * same. */
KH_ALWAYS_INLINE uint64_t kh_short_key_hash(kh_short_key k, size_t n)
{
    return (k.first + k.last * 0xC2B2AE3D27D4EB4Full + n) * 0x9E3779B97F4A7C15ull;
}

#endif
