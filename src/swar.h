/*
 * swar.h -- tests of eight bytes at once in a 64-bit word ("SIMD within a
 * register"), with which the readers, the cleaner and the segmenter pass
 * over runs of plain text that hold no byte they must look at one by one.
 *
 * Each test says only whether some byte of the eight is of a kind, not
 * which: a caller that gets "yes" looks at those bytes one at a time, so
 * the answers do not depend on the machine's byte order.
 */
#ifndef KH_SWAR_H
#define KH_SWAR_H

#include <stdint.h>
#include <string.h>

#define KH_SWAR_ONES 0x0101010101010101u
#define KH_SWAR_HIGH 0x8080808080808080u

/* The eight bytes at s, wherever s is aligned. */
static inline uint64_t kh_swar_load(const void *s)
{
    uint64_t v;
    memcpy(&v, s, sizeof v);
    return v;
}

/* Nonzero when some byte of v is zero: v - 1..1 borrows through a zero
 * byte, setting its top bit, which ~v keeps only for bytes below 0x80. */
static inline uint64_t kh_swar_has_zero(uint64_t v)
{
    return (v - KH_SWAR_ONES) & ~v & KH_SWAR_HIGH;
}

/* Nonzero when some byte of v is below n, for n at most 0x80 (the
 * "hasless" test: exact for the word, though it may mark a byte past the
 * first that is not).  kh_swar_has_zero is n = 1. */
static inline uint64_t kh_swar_has_below(uint64_t v, unsigned char n)
{
    return (v - n * KH_SWAR_ONES) & ~v & KH_SWAR_HIGH;
}

/* Nonzero when some byte of v has its top bit set (is not ASCII). */
static inline uint64_t kh_swar_has_high(uint64_t v) { return v & KH_SWAR_HIGH; }

/* The top bit of each byte of x in [lo, hi], exactly, for x with no top
 * bit set (0 < lo <= hi < 0x80): neither sum carries into the next byte. */
static inline uint64_t kh_swar_bytes_between(uint64_t x, unsigned char lo, unsigned char hi)
{
    return (x + (0x80 - lo) * KH_SWAR_ONES) & ~(x + (0x7F - hi) * KH_SWAR_ONES) & KH_SWAR_HIGH;
}

/* Nonzero when some byte of v is c. */
static inline uint64_t kh_swar_has_byte(uint64_t v, unsigned char c)
{
    return kh_swar_has_zero(v ^ (c * KH_SWAR_ONES));
}

/* Nonzero when some byte of v is not printable ASCII (0x20-0x7E): a byte
 * below 0x20 sets its top bit in v - 0x20..20 & ~v, one of 0x7F or more
 * in (v + 1..1) | v (a carry comes only from a byte already counted). */
static inline uint64_t kh_swar_has_unprintable(uint64_t v)
{
    return (((v - 0x20 * KH_SWAR_ONES) & ~v) | (v + KH_SWAR_ONES) | v) & KH_SWAR_HIGH;
}

/* The bytes of v that are zero, each marked by its top bit, exactly (no
 * borrow between bytes): (low seven bits + 0x7F) sets the top bit of a
 * byte with any of them set, | v of one with its own top bit set. */
static inline uint64_t kh_swar_zero_bytes(uint64_t v)
{
    return ~(((v & ~KH_SWAR_HIGH) + ~KH_SWAR_HIGH) | v) & KH_SWAR_HIGH;
}

/* Nonzero when some byte of v is neither printable ASCII (0x20-0x7E) nor
 * a tab or line feed: the text that needs no normalising, with its line
 * breaks.  Exact per byte: below 0x20 is the top bit clear in x + 0x60,
 * x the low seven bits, with no carry between bytes. */
static inline uint64_t kh_swar_has_unprintable_in_text(uint64_t v)
{
    uint64_t x = v & ~KH_SWAR_HIGH;
    uint64_t below_space = ~(x + (0x80 - 0x20) * KH_SWAR_ONES) & KH_SWAR_HIGH;
    uint64_t breaks = kh_swar_zero_bytes(v ^ ('\n' * KH_SWAR_ONES)) |
                      kh_swar_zero_bytes(v ^ ('\t' * KH_SWAR_ONES));
    uint64_t del = (x + KH_SWAR_ONES) & KH_SWAR_HIGH;
    return (v & KH_SWAR_HIGH) | del | (below_space & ~breaks);
}

/* Nonzero when some byte of v is an ASCII capital, 'A' to 'Z'.  With the
 * top bits cleared, x + (0x80 - 'A') sets a byte's top bit when it is 'A'
 * or more and x + (0x7F - 'Z') when it is past 'Z'; neither sum carries
 * into the next byte.  ~v drops the bytes of 0x80 and more. */
static inline uint64_t kh_swar_has_capital(uint64_t v)
{
    uint64_t x = v & ~KH_SWAR_HIGH;
    return (x + (0x80 - 'A') * KH_SWAR_ONES) & ~(x + (0x7F - 'Z') * KH_SWAR_ONES) &
           ~v & KH_SWAR_HIGH;
}

/* The length of the start of s[0, len) that has no byte `special` says
 * yes to, found eight bytes at a time while `word_special` says none of
 * the eight is (it must say yes for any word holding such a byte). */
static inline size_t kh_swar_plain_run(const char *s, size_t len, int (*word_special)(uint64_t),
                                       int (*special)(unsigned char))
{
    size_t i = 0;
    for (; i + sizeof(uint64_t) <= len; i += sizeof(uint64_t))
        if (word_special(kh_swar_load(s + i)))
            break;
    while (i < len && !special((unsigned char)s[i]))
        i++;
    return i;
}

#endif
