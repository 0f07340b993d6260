/* lexicon.c -- see lexicon.h; the table is lexicon_table.c. */
#include "lexicon.h"

#include "util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* No lexicon word is longer: longer text needs no hashing. */
#define KH_LEX_MAX_LEN 16

/* A word of 1 to KH_LEX_MAX_LEN bytes as two numbers that between them
 * hold every byte, ASCII case folded (b | 32): the first and the last
 * eight bytes (four for a word of four to seven, the first, middle and
 * last byte of a shorter one), overlapping where the word is short.  Two
 * words of the same length have the same key exactly when they are the
 * same byte for byte once folded, so a word is hashed and compared in a
 * few instructions, whatever its length, and no byte past its end is
 * read.  tools/gen_lexicon.py:
 * lex_key must agree. */
typedef struct lex_key {
    uint64_t first, last;
} lex_key;

#define KH_LEX_FOLD 0x2020202020202020ull

/* The four or eight bytes at s as a little-endian number, so that the
 * keys are the same on every machine (the compiler makes one load of
 * each). */
static inline uint64_t read_le32(const unsigned char *s)
{
    return (uint64_t)s[0] | (uint64_t)s[1] << 8 | (uint64_t)s[2] << 16 | (uint64_t)s[3] << 24;
}

static inline uint64_t read_le64(const unsigned char *s)
{
    return read_le32(s) | read_le32(s + 4) << 32;
}

static inline lex_key lex_key_of(const unsigned char *s, size_t n)
{
    _Static_assert(KH_LEX_MAX_LEN <= 16, "two eight-byte reads hold the word");
    lex_key k;
    if (n >= 8) {
        k.first = read_le64(s);
        k.last = read_le64(s + n - 8);
    } else if (n >= 4) {
        k.first = read_le32(s);
        k.last = read_le32(s + n - 4);
    } else {
        k.first = (uint64_t)s[0] | (uint64_t)s[n / 2] << 8 | (uint64_t)s[n - 1] << 16;
        k.last = 0;
    }
    k.first |= KH_LEX_FOLD;
    k.last |= KH_LEX_FOLD;
    return k;
}

/* The top bits of a multiplicative hash of the key and the length. */
static unsigned lex_slot(lex_key k, size_t n)
{
    _Static_assert((KH_LEX_SLOTS & (KH_LEX_SLOTS - 1)) == 0, "a power of two");
    uint64_t h = (k.first + k.last * 0xC2B2AE3D27D4EB4Full + n) * 0x9E3779B97F4A7C15ull;
    return (unsigned)(h >> 32) & (KH_LEX_SLOTS - 1);
}

/* text[0..n) is entry e's word, ignoring case.  The keys fold every
 * byte, which is exact for the letters of e (only ASCII letters fold to
 * a letter) but would take a control byte (0x07) for the apostrophe a few
 * words begin with: that one is compared as it is. */
static int is_entry(const kh_lex_entry *e, const unsigned char *s, size_t n, lex_key k)
{
    if (e->len != n)
        return 0;
    lex_key ek = lex_key_of((const unsigned char *)e->word, n);
    return ek.first == k.first && ek.last == k.last && (e->word[0] != '\'' || s[0] == '\'');
}

kh_lex_word kh_lex_find(const char *text, size_t len)
{
    const unsigned char *s = (const unsigned char *)text;
    if (len == 0 || len > KH_LEX_MAX_LEN)
        return KH_LW_NONE;
    lex_key k = lex_key_of(s, len);
    for (unsigned slot = lex_slot(k, len); kh_lex_slots[slot];
         slot = (slot + 1) & (KH_LEX_SLOTS - 1))
        if (is_entry(&kh_lex_entries[kh_lex_slots[slot]], s, len, k))
            return (kh_lex_word)kh_lex_slots[slot];
    return KH_LW_NONE;
}

kh_lex_word kh_lex_of_word(const kh_token *tok, size_t n)
{
    if ((tok->flags & (KH_TOK_WORD | KH_TOK_NUMBER)) != KH_TOK_WORD)
        return KH_LW_NONE;
    return kh_lex_find(tok->word, n);
}

kh_lex_word kh_lex_of_token(const kh_token *tok)
{
    return kh_lex_of_word(tok, tok->len);
}

void kh_lex_sentence_init(kh_lex_sentence *s)
{
    memset(s, 0, sizeof *s);
    kh_tokens_init(&s->own);
}

void kh_lex_sentence_free(kh_lex_sentence *s)
{
    free(s->lex);
    free(s->plain);
    kh_tokens_free(&s->own);
    kh_lex_sentence_init(s);
}

/* The token's word, of length n, is the text's bytes upper-cased and
 * those are ASCII letters and digits (see kh_lex_plain_token).  A digit
 * has the case bit (0x20) set already, so "r is w or w | 32" asks both. */
static int is_plain(const kh_token *t, size_t n, const char *text)
{
    if (!(t->flags & KH_TOK_WORD) || n == 0 || (size_t)(t->end - t->start) != n)
        return 0;
    const unsigned char *raw = (const unsigned char *)text + t->start;
    const unsigned char *w = (const unsigned char *)t->word;
    for (size_t i = 0; i < n; i++) {
        unsigned c = w[i];
        if ((c - 'A' >= 26u && c - '0' >= 10u) || (raw[i] != c && raw[i] != (c | 32u)))
            return 0;
    }
    return 1;
}

void kh_lex_sentence_set(kh_lex_sentence *s, const kh_token_view *view)
{
    s->text = view->text;
    s->len = view->len;
    s->tokens = view->tokens;
    s->count = view->count;
    if (s->cap < s->count + 1) {
        s->cap = 2 * s->count + 1;
        s->lex = kh_xrealloc(s->lex, s->cap * sizeof *s->lex);
        s->plain = kh_xrealloc(s->plain, s->cap);
    }
    for (size_t k = 0; k < s->count; k++) {
        const kh_token *t = &s->tokens[k];
        size_t n = t->len;
        s->lex[k] = kh_lex_of_word(t, n);
        s->plain[k] = (unsigned char)is_plain(t, n, s->text);
    }
}

void kh_lex_sentence_tokenize(kh_lex_sentence *s, const char *text, size_t len)
{
    kh_tokenize(&s->own, text ? text : "", text ? len : 0);
    kh_token_view view = {text, text ? len : 0, s->own.items, s->own.count};
    kh_lex_sentence_set(s, &view);
}
