/*
 * tagger.h -- a part-of-speech tagger: Universal POS tags (pos.h) for the
 * tokens of token.c.
 *
 * An averaged perceptron read greedily left to right (Collins 2002; the
 * feature set of Ratnaparkhi 1996 as Honnibal's "A good POS tagger in
 * about 200 lines" trims it), trained on the Brown corpus by
 * tools/train_tagger.c.  The model is compiled in (tagger_model.c, a
 * generated file): a hash table of feature keys with small integer
 * weights, read-only, so any number of threads tag with it at once.
 *
 * The tagger tags exactly the tokens the coder sees -- kh_tokenize's --
 * because the trainer tokenises Brown's sentences the same way and lines
 * Brown's words up with our tokens by byte offsets (see the trainer for
 * how a contraction's and a hyphenated word's parts get their tags).
 *
 * Besides the words, it reads what the dictionaries say of each token: a
 * bit mask per token of the kinds of dictionary phrase that start there
 * (KH_TAGGER_DICT_*), computed by the caller (kh_sentence.phrase_starts in
 * tag.c), so that the tagger itself does not depend on the dictionaries.
 */
#ifndef KH_TAGGER_H
#define KH_TAGGER_H

#include "lexicon_words.h"
#include "pos.h"
#include "token.h"

#include <stddef.h>
#include <stdint.h>

/* What the dictionaries say of a token: a phrase of this kind starts at it. */
enum {
    KH_TAGGER_DICT_ACTOR = 1u << 0,
    KH_TAGGER_DICT_AGENT = 1u << 1,
    KH_TAGGER_DICT_VERB = 1u << 2
};

/* A model.  Features: an open-addressing table of 2^slot_bits feature
 * keys, each with the number of its row of weights: KH_TAGGER_TAGS
 * signed bytes, one a tag from ADJ on (X, which the tagger never guesses,
 * has none).  A token is scored by adding up the rows of its ~25
 * features; a whole row is one 16-byte vector add, far fewer
 * instructions than a list of (tag, weight) pairs would take to decode,
 * and byte weights (steps of 1/127 of the largest) tag Brown as well as
 * finer ones.
 *
 * Words: frequent words that take one tag nearly always ("the", ",",
 * "of") -- a table of 2^word_bits entries, each the word's key
 * (kh_tagger_word_key) with the tag in its low KH_TAGGER_WORD_TAG_BITS bits, 0
 * for empty.  They are tagged by that alone: about half of the tokens of
 * news.
 *
 * Lower-case words: a Bloom filter of the words training saw written in
 * lower case, 2^lower_bits 64-bit blocks, a word's KH_TAGGER_LOWER_PROBES
 * bits in one block (kh_tagger_lower_block, kh_tagger_lower_mask).  A
 * capitalised word the filter does not know is a name far more often
 * than not -- the one thing that tells "Zelenskyy" from "Officials" at the
 * start of a sentence, where both are capitalised and the first is a word
 * training never saw.  About 2 bytes a word; a false positive (a name
 * taken for a common word, ~0.5%) only leaves the other features to
 * decide. */
#define KH_TAGGER_TAGS (KH_UPOS_COUNT - 1)
#define KH_TAGGER_WEIGHT_MAX 127
#define KH_TAGGER_WORD_TAG_BITS 5
#define KH_TAGGER_LOWER_PROBES 4

typedef struct kh_tagger_slot {
    uint32_t key;       /* 0: empty */
    uint32_t row;
} kh_tagger_slot;

typedef struct kh_tagger_model {
    unsigned slot_bits;
    const kh_tagger_slot *slots;
    const int8_t (*rows)[KH_TAGGER_TAGS];
    unsigned word_bits;
    const uint32_t *words;
    unsigned lower_bits;
    const uint64_t *lower;
} kh_tagger_model;

/* The compiled-in model (tagger_model.c). */
extern const kh_tagger_model kh_tagger_default_model;

/* Tags `toks` (the tokens of `text`, by kh_tokenize) into out[0 ..
 * toks->count).  `dict_bits` has a KH_TAGGER_DICT_* mask per token, or is
 * NULL for none.  Allocates nothing; reads only the compiled-in model. */
void kh_tagger_tag(const kh_tokens *toks, const char *text,
                   const unsigned char *dict_bits, kh_upos *out);

/* The same with another model (the trainer's, being evaluated). */
void kh_tagger_tag_model(const kh_tagger_model *model, const kh_tokens *toks,
                         const char *text, const unsigned char *dict_bits,
                         kh_upos *out);

/* A cache, kept from sentence to sentence by one caller (the coder's
 * kh_sentence), of what each word brings to the scores: the sum of the
 * weights of its own features and of those it gives its neighbours, and
 * its tag when the model's words fix it.  A word met again is then scored
 * with a few vector adds instead of ~25 table probes, and its hashes, not
 * its shape, are all that is computed of it.  The tags are exactly those
 * of kh_tagger_tag_model (sums of integers, in another order).  Not
 * shared between threads: one per coder. */
typedef struct kh_tagger_cache kh_tagger_cache;

kh_tagger_cache *kh_tagger_cache_new(const kh_tagger_model *model);
void kh_tagger_cache_free(kh_tagger_cache *cache);

/* kh_tagger_tag_model with the cache's model, through the cache.  The
 * cache also keeps each word's lexicon word (kh_lex_of_token, lexicon.h),
 * which the structure asks for every token: when `lex` is not NULL it
 * receives them, one per token, at no cost for a word met before. */
void kh_tagger_tag_cached(kh_tagger_cache *cache, const kh_tokens *toks, const char *text,
                          const unsigned char *dict_bits, kh_upos *out, kh_lex_word *lex);

/* ---- for the trainer: the features, exactly as tagging computes them ---- */

/* Feature templates; the number of feature keys one token has. */
#define KH_TAGGER_FEATURES 28

/* What the features read of one token, hashed once per token. */
typedef struct kh_tagger_word {
    uint64_t word;          /* the upper-cased word */
    uint64_t form;          /* the text as written */
    uint64_t shape;         /* letter classes, position, hyphen joins */
    uint64_t prefix[3];     /* the word's first 1, 2, 3 bytes */
    uint64_t suffix[4];     /* its last 1 ... 4 bytes */
    unsigned dict;          /* KH_TAGGER_DICT_* */
    unsigned lower;         /* 1: the model's lower-case words have it */
} kh_tagger_word;

/* Tokens i-2 .. i+2 around the token being tagged, slid along the
 * sentence one token at a time. */
typedef struct kh_tagger_window {
    const kh_tagger_model *model;   /* for its lower-case words */
    const kh_tokens *toks;
    const char *text;
    const unsigned char *dict_bits;
    size_t at;                  /* the token at the centre, w[2] */
    kh_tagger_word w[5];
} kh_tagger_window;

/* Centres the window on token 0. */
void kh_tagger_window_start(kh_tagger_window *win, const kh_tagger_model *model,
                            const kh_tokens *toks, const char *text,
                            const unsigned char *dict_bits);
/* Moves the centre to the next token. */
void kh_tagger_window_next(kh_tagger_window *win);

/* The keys of the centre token's features, given the tags of the two
 * tokens before it (KH_UPOS_COUNT before the sentence's start).  Keys
 * are never 0, the empty slot. */
void kh_tagger_features(const kh_tagger_window *win, int prev, int prev2,
                        uint32_t keys[KH_TAGGER_FEATURES]);

/* The key of a word (kh_tagger_word.word) in the model's words. */
static inline uint32_t kh_tagger_word_key(uint64_t word_hash)
{
    uint32_t k = (uint32_t)(word_hash >> 32) & ~((1u << KH_TAGGER_WORD_TAG_BITS) - 1);
    return k ? k : 1u << KH_TAGGER_WORD_TAG_BITS;
}

/* A word's hash (kh_tagger_word.word) remixed for the lower-case words'
 * filter: FNV's low bits are weak, and the filter takes both ends. */
static inline uint64_t kh_tagger_lower_hash(uint64_t word_hash)
{
    uint64_t h = (word_hash ^ (word_hash >> 29)) * 0xbf58476d1ce4e5b9ull;
    return h ^ (h >> 32);
}

/* The filter's block of a word (its kh_tagger_lower_hash), of 2^bits. */
static inline size_t kh_tagger_lower_block(uint64_t h, unsigned bits)
{
    return bits ? (size_t)(h >> (64 - bits)) : 0;
}

/* The word's bits in its block. */
static inline uint64_t kh_tagger_lower_mask(uint64_t h)
{
    uint64_t mask = 0;
    for (int k = 0; k < KH_TAGGER_LOWER_PROBES; k++)
        mask |= 1ull << ((h >> (6 * k)) & 63);
    return mask;
}

/* The hash of a word as kh_tagger_word.word holds it. */
uint64_t kh_tagger_hash(const char *s, size_t n);

/* The tag of a word the model's words list, or KH_UPOS_X. */
kh_upos kh_tagger_word_tag(const kh_tagger_model *model, uint64_t word_hash);

/* The tag of the window's centre token, given the two before it: the
 * plain way, one token at a time (kh_tagger_tag_model must agree). */
kh_upos kh_tagger_guess(const kh_tagger_model *model, const kh_tagger_window *win,
                        int prev, int prev2);

/* The slot of `key` in a table of 2^bits slots: where its probe starts. */
static inline size_t kh_tagger_probe(uint32_t key, unsigned bits)
{
    return (size_t)((key * 0x9E3779B1u) >> (32 - bits));
}

#endif
