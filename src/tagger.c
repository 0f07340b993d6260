/* tagger.c -- see tagger.h */
#include "tagger.h"

#include "kh_limits.h"
#include "lexicon.h"
#include "short_key.h"
#include "util.h"

#include <stddef.h>
#if defined(__SSE2__) && defined(__GNUC__)
#include <emmintrin.h>
#endif
#include <stdlib.h>
#include <string.h>

/* ---- hashing ----
 *
 * Features are never built as strings: each token's word, form, shape and
 * affixes are hashed once (FNV-1a, 64 bits), and a feature's key mixes
 * its template number with one or two of those hashes.  Keys are 32 bits:
 * a model holds a few hundred thousand, so two features share a key a
 * few dozen times among them, which costs nothing measurable (they share
 * it in training too). */

#define FNV_OFFSET 0xcbf29ce484222325ull
#define FNV_PRIME 0x100000001b3ull

static uint64_t fnv_byte(uint64_t h, unsigned char c) { return (h ^ c) * FNV_PRIME; }

static uint64_t fnv(const char *s, size_t n)
{
    uint64_t h = FNV_OFFSET;
    for (size_t i = 0; i < n; i++)
        h = fnv_byte(h, (unsigned char)s[i]);
    return h;
}

uint64_t kh_tagger_hash(const char *s, size_t n) { return fnv(s, n); }

/* A feature's key from its template and a hash: one multiply, which is
 * enough to spread inputs that are themselves hashes, and the template
 * (a constant where it is called) salts it.  A token has ~25 features, so
 * this is in the inner loop.  The low bit is set: 0 marks an empty slot. */
static inline uint32_t feature_key(unsigned template_id, uint64_t a)
{
    uint64_t h = (a ^ (0x9E3779B97F4A7C15ull * (template_id + 1))) * 0xbf58476d1ce4e5b9ull;
    return (uint32_t)(h >> 32) | 1;
}

/* The same of two inputs: the first is folded in, then the second. */
static inline uint32_t feature_key2(unsigned template_id, uint64_t a, uint64_t b)
{
    uint64_t h = (a ^ (0x9E3779B97F4A7C15ull * (template_id + 1))) * 0xbf58476d1ce4e5b9ull;
    h = ((h ^ (h >> 31)) + b) * 0x94d049bb133111ebull;
    return (uint32_t)(h >> 32) | 1;
}

/* ---- what a token is ---- */

/* Hashes standing for the words before a sentence and after it. */
#define EDGE_BEFORE 0x5354415254ull   /* "START" */
#define EDGE_AFTER 0x454e44ull        /* "END" */

/* Shape flags, hashed with the letter classes. */
enum {
    SHAPE_FIRST = 1,        /* the sentence's first token */
    SHAPE_JOINED = 2,       /* joined by a hyphen to the token before */
    SHAPE_JOINS = 4         /* the token after is joined to this one */
};

/* A cache entry's flags: the SHAPE_* flags in the low bits, then the
 * dictionary bits (see token_entry). */
#define SHAPE_FLAG_BITS 3
#define DICT_FLAG_MASK 0x1fu

/* Letter classes of the form, runs of one class written once:
 * "Modi" Xx, "USA" X, "U.S." X.X., "1961" d, "al-" x; a byte above
 * ASCII starts a character of class u.  With the length (1, 2, 3, more)
 * and the SHAPE_* flags. */
static uint64_t shape_hash(const char *s, size_t n, unsigned flags)
{
    uint64_t h = FNV_OFFSET;
    unsigned char last = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i], k;
        if (c >= 'A' && c <= 'Z')
            k = 'X';
        else if (c >= 'a' && c <= 'z')
            k = 'x';
        else if (c >= '0' && c <= '9')
            k = 'd';
        else if (c >= 0xC0)
            k = 'u';
        else if (c >= 0x80)
            continue;   /* inside a character */
        else
            k = c;
        if (k != last)
            h = fnv_byte(h, k);
        last = k;
    }
    size_t len_class = n < 4 ? n : 4;
    return fnv_byte(fnv_byte(h, (unsigned char)len_class), (unsigned char)(flags + 16));
}

static void edge_word(kh_tagger_word *w, uint64_t edge)
{
    w->word = w->form = w->shape = edge;
    for (int k = 0; k < 3; k++)
        w->prefix[k] = edge;
    for (int k = 0; k < 4; k++)
        w->suffix[k] = edge;
    w->dict = 0;
    w->lower = 0;
}

/* Whether the model's lower-case words have the word of hash `word`. */
static unsigned known_lower(const kh_tagger_model *m, uint64_t word)
{
    if (!m->lower)
        return 0;
    uint64_t h = kh_tagger_lower_hash(word), mask = kh_tagger_lower_mask(h);
    return (m->lower[kh_tagger_lower_block(h, m->lower_bits)] & mask) == mask;
}

/* The shape flags of token i. */
static unsigned shape_flags(const kh_tokens *t, size_t i)
{
    unsigned flags = (i == 0 ? SHAPE_FIRST : 0) |
                     (t->items[i].flags & KH_TOK_JOINED ? SHAPE_JOINED : 0);
    if (i + 1 < t->count && (t->items[i + 1].flags & KH_TOK_JOINED))
        flags |= SHAPE_JOINS;
    return flags;
}

/* What the features read of token i, whose word is `n` bytes long and
 * whose shape flags are `shape` (shape_flags). */
static void word_info_of(const kh_tagger_model *m, const kh_tokens *t, const char *text,
                         const unsigned char *dict_bits, size_t i, size_t n, unsigned shape,
                         kh_tagger_word *w)
{
    const kh_token *tok = &t->items[i];
    const char *s = tok->word;
    /* The prefixes are the word's hash after its first 1, 2, 3 bytes (a
     * word shorter than an affix is its own affix). */
    uint64_t h = FNV_OFFSET;
    for (size_t k = 0; k < n; k++) {
        h = fnv_byte(h, (unsigned char)s[k]);
        if (k < 3)
            w->prefix[k] = h;
    }
    for (size_t k = n; k < 3; k++)
        w->prefix[k] = h;
    w->word = h;
    w->form = fnv(text + tok->start, (size_t)(tok->end - tok->start));
    w->shape = shape_hash(text + tok->start, (size_t)(tok->end - tok->start), shape);
    h = FNV_OFFSET;
    for (size_t k = 0; k < 4; k++) {
        if (k < n)
            h = fnv_byte(h, (unsigned char)s[n - 1 - k]);
        w->suffix[k] = h;
    }
    w->dict = dict_bits ? dict_bits[i] : 0;
    w->lower = known_lower(m, w->word);
}

/* What the features read of token i (an edge word past the end). */
static void word_info(const kh_tagger_model *m, const kh_tokens *t, const char *text,
                      const unsigned char *dict_bits, size_t i, kh_tagger_word *w)
{
    if (i >= t->count) {
        edge_word(w, EDGE_AFTER);
        return;
    }
    word_info_of(m, t, text, dict_bits, i, t->items[i].len, shape_flags(t, i), w);
}

static void word_at(const kh_tagger_window *win, size_t i, kh_tagger_word *w)
{
    word_info(win->model, win->toks, win->text, win->dict_bits, i, w);
}

void kh_tagger_window_start(kh_tagger_window *win, const kh_tagger_model *model,
                            const kh_tokens *toks, const char *text,
                            const unsigned char *dict_bits)
{
    win->model = model;
    win->toks = toks;
    win->text = text;
    win->dict_bits = dict_bits;
    win->at = 0;
    edge_word(&win->w[0], EDGE_BEFORE);
    edge_word(&win->w[1], EDGE_BEFORE);
    for (size_t k = 0; k < 3; k++)
        word_at(win, k, &win->w[2 + k]);
}

void kh_tagger_window_next(kh_tagger_window *win)
{
    memmove(&win->w[0], &win->w[1], 4 * sizeof win->w[0]);
    win->at++;
    word_at(win, win->at + 2, &win->w[4]);
}

/* ---- features ---- */

/* The templates, numbered for feature_key.  The order is the model's:
 * renumbering them needs a retrained model. */
enum {
    F_BIAS, F_WORD, F_FORM, F_PRE1, F_PRE2, F_PRE3,
    F_SUF1, F_SUF2, F_SUF3, F_SUF4, F_SHAPE,
    F_PREV, F_PREV2_PREV, F_PREV_WORD, F_PREV_SHAPE,
    F_WORD_M1, F_SUF3_M1, F_WORD_M2, F_SHAPE_M1,
    F_WORD_P1, F_SUF3_P1, F_WORD_P2, F_SHAPE_P1,
    F_DICT, F_DICT_SHAPE, F_DICT_M1, F_DICT_P1,
    F_LOWER_SHAPE,
    F_COUNT
};

_Static_assert(F_COUNT == KH_TAGGER_FEATURES, "KH_TAGGER_FEATURES is the template count");

void kh_tagger_features(const kh_tagger_window *win, int prev, int prev2,
                        uint32_t keys[KH_TAGGER_FEATURES])
{
    const kh_tagger_word *m2 = &win->w[0], *m1 = &win->w[1], *w = &win->w[2];
    const kh_tagger_word *p1 = &win->w[3], *p2 = &win->w[4];
    uint64_t t1 = (uint64_t)prev, t2 = (uint64_t)prev2;
    keys[F_BIAS] = feature_key(F_BIAS, 0);
    keys[F_WORD] = feature_key(F_WORD, w->word);
    keys[F_FORM] = feature_key(F_FORM, w->form);
    for (int k = 0; k < 3; k++)
        keys[F_PRE1 + k] = feature_key(F_PRE1 + k, w->prefix[k]);
    for (int k = 0; k < 4; k++)
        keys[F_SUF1 + k] = feature_key(F_SUF1 + k, w->suffix[k]);
    keys[F_SHAPE] = feature_key(F_SHAPE, w->shape);
    keys[F_PREV] = feature_key(F_PREV, t1);
    keys[F_PREV2_PREV] = feature_key2(F_PREV2_PREV, t2, t1);
    keys[F_PREV_WORD] = feature_key2(F_PREV_WORD, t1, w->word);
    keys[F_PREV_SHAPE] = feature_key2(F_PREV_SHAPE, t1, w->shape);
    keys[F_WORD_M1] = feature_key(F_WORD_M1, m1->word);
    keys[F_SUF3_M1] = feature_key(F_SUF3_M1, m1->suffix[2]);
    keys[F_WORD_M2] = feature_key(F_WORD_M2, m2->word);
    keys[F_SHAPE_M1] = feature_key(F_SHAPE_M1, m1->shape);
    keys[F_WORD_P1] = feature_key(F_WORD_P1, p1->word);
    keys[F_SUF3_P1] = feature_key(F_SUF3_P1, p1->suffix[2]);
    keys[F_WORD_P2] = feature_key(F_WORD_P2, p2->word);
    keys[F_SHAPE_P1] = feature_key(F_SHAPE_P1, p1->shape);
    keys[F_DICT] = feature_key(F_DICT, w->dict);
    keys[F_DICT_SHAPE] = feature_key2(F_DICT_SHAPE, w->dict, w->shape);
    keys[F_DICT_M1] = feature_key(F_DICT_M1, m1->dict);
    keys[F_DICT_P1] = feature_key(F_DICT_P1, p1->dict);
    /* A capitalised word never seen in lower case is a name: most telling
     * at the sentence's start, which the shape holds. */
    keys[F_LOWER_SHAPE] = feature_key2(F_LOWER_SHAPE, w->lower, w->shape);
}

/* ---- tagging ---- */

/* Scores are sums of byte weights: 16 bits hold any sum of a token's
 * features, and a row is added to them with two vector adds. */
typedef int16_t score_t;
_Static_assert(KH_TAGGER_FEATURES * KH_TAGGER_WEIGHT_MAX <= INT16_MAX, "scores fit score_t");

/* The weights of feature `key`, one per tag from ADJ; NULL when the
 * model has none. */
static inline const int8_t *feature_row(const kh_tagger_model *m, uint32_t key)
{
    size_t mask = ((size_t)1 << m->slot_bits) - 1;
    for (size_t s = kh_tagger_probe(key, m->slot_bits);; s = (s + 1) & mask) {
        const kh_tagger_slot *slot = &m->slots[s];
        if (slot->key == key)
            return m->rows[slot->row];
        if (slot->key == 0)
            return NULL;
    }
}

/* Adds a row of weights (if any) to the scores of the tags from ADJ. */
static inline void add_row(const int8_t *w, score_t *restrict score)
{
    if (w)
        for (int c = 0; c < KH_TAGGER_TAGS; c++)
            score[c] = (score_t)(score[c] + w[c]);
}

/* Adds the weights of feature `key` to the scores of the tags from ADJ. */
static inline void add_feature(const kh_tagger_model *m, uint32_t key, score_t *restrict score)
{
    add_row(feature_row(m, key), score);
}

kh_upos kh_tagger_word_tag(const kh_tagger_model *m, uint64_t word_hash)
{
    uint32_t key = kh_tagger_word_key(word_hash);
    size_t mask = ((size_t)1 << m->word_bits) - 1;
    for (size_t s = kh_tagger_probe(key, m->word_bits);; s = (s + 1) & mask) {
        uint32_t e = m->words[s];
        if (e == 0)
            return KH_UPOS_X;
        if ((e & ~((1u << KH_TAGGER_WORD_TAG_BITS) - 1)) == key)
            return (kh_upos)(e & ((1u << KH_TAGGER_WORD_TAG_BITS) - 1));
    }
}

/* The best-scoring tag (score[0] is ADJ's); ties go to the lower tag, the
 * same in every run. */
static kh_upos best_tag(const score_t *score)
{
#if defined(__SSE2__) && defined(__GNUC__)
    /* A tenth of the tagger's instructions went to this loop: with SSE2
     * (every x86-64) the maximum is four vector steps, and the first tag
     * that has it the lowest bit of a mask. */
    _Static_assert(KH_TAGGER_TAGS == 16, "two vectors of eight scores");
    __m128i lo = _mm_loadu_si128((const __m128i *)score);
    __m128i hi = _mm_loadu_si128((const __m128i *)(score + 8));
    __m128i m = _mm_max_epi16(lo, hi);
    m = _mm_max_epi16(m, _mm_shuffle_epi32(m, _MM_SHUFFLE(1, 0, 3, 2)));
    m = _mm_max_epi16(m, _mm_shuffle_epi32(m, _MM_SHUFFLE(2, 3, 0, 1)));
    /* Swapping each pair's two scores in both halves leaves the maximum
     * in every lane, with no extract and broadcast. */
    m = _mm_max_epi16(m, _mm_shufflehi_epi16(_mm_shufflelo_epi16(m, _MM_SHUFFLE(2, 3, 0, 1)),
                                             _MM_SHUFFLE(2, 3, 0, 1)));
    unsigned ties = (unsigned)_mm_movemask_epi8(
        _mm_packs_epi16(_mm_cmpeq_epi16(lo, m), _mm_cmpeq_epi16(hi, m)));
    return (kh_upos)(__builtin_ctz(ties) + 1);
#else
    int best = 0;
    for (int c = 1; c < KH_TAGGER_TAGS; c++)
        if (score[c] > score[best])
            best = c;
    return (kh_upos)(best + 1);
#endif
}

kh_upos kh_tagger_guess(const kh_tagger_model *m, const kh_tagger_window *win, int prev,
                        int prev2)
{
    kh_upos fixed = kh_tagger_word_tag(m, win->w[2].word);
    if (fixed != KH_UPOS_X)
        return fixed;
    uint32_t keys[KH_TAGGER_FEATURES];
    kh_tagger_features(win, prev, prev2, keys);
    score_t score[KH_TAGGER_TAGS] = {0};
    for (int f = 0; f < KH_TAGGER_FEATURES; f++)
        add_feature(m, keys[f], score);
    return best_tag(score);
}

void kh_tagger_tag_model(const kh_tagger_model *m, const kh_tokens *toks,
                         const char *text, const unsigned char *dict_bits,
                         kh_upos *out)
{
    if (!toks->count)
        return;
    kh_tagger_window win;
    kh_tagger_window_start(&win, m, toks, text, dict_bits);
    int prev = KH_UPOS_COUNT, prev2 = KH_UPOS_COUNT;
    for (size_t i = 0; i < toks->count; i++) {
        if (i)
            kh_tagger_window_next(&win);
        out[i] = kh_tagger_guess(m, &win, prev, prev2);
        prev2 = prev;
        prev = out[i];
    }
}

void kh_tagger_tag(const kh_tokens *toks, const char *text,
                   const unsigned char *dict_bits, kh_upos *out)
{
    kh_tagger_tag_model(&kh_tagger_default_model, toks, text, dict_bits, out);
}

/* ---- the cache ---- */

/* Copies a row of weights (zeros for none, NULL) into `to`. */
static void copy_row(const int8_t *w, int8_t *to)
{
    if (w)
        memcpy(to, w, KH_TAGGER_TAGS);
    else
        memset(to, 0, KH_TAGGER_TAGS);
}

/* A row of weights (zeros for none, NULL) as scores in `to`. */
static void widen_row(const int8_t *w, score_t *to)
{
    for (int c = 0; c < KH_TAGGER_TAGS; c++)
        to[c] = w ? w[c] : 0;
}

/* Adds one score vector to another. */
static inline void add_scores(score_t *restrict to, const score_t *restrict from)
{
    for (int c = 0; c < KH_TAGGER_TAGS; c++)
        to[c] = (score_t)(to[c] + from[c]);
}

/* A tag before the sentence's start, and the tags a token can follow. */
#define TAG_START KH_UPOS_COUNT
#define PREV_TAGS (KH_UPOS_COUNT + 1)

typedef struct shape_entry shape_entry;

/* What one word brings to the scores.  The key is its word, form and
 * shape flags with its dictionary bits: all that its features read (the
 * shape is a function of the form and the flags, "lower" of the word).
 * The hashes stand for the strings as they do in the features
 * themselves. */
typedef struct cache_entry {
    uint64_t key;               /* entry_key; 0: empty */
    uint64_t word;              /* the word's feature hash (fnv) */
    uint64_t shape;
    uint32_t used;              /* the sentence that used it last */
    unsigned flags : 8;         /* the shape's and dictionary's; see token_entry */
    unsigned fixed : 5;         /* the model's words' tag, or KH_UPOS_X */
    unsigned lex : 11;          /* its kh_lex_word, for the structure */
    unsigned lower : 1;         /* kh_tagger_word.lower, for its shape entry */
    unsigned after_tag : 5;     /* see after_rows; PREV_TAGS: none yet */
    /* Its own scores with the rows of F_PREV_WORD and F_PREV_SHAPE
     * after the tag the word last followed, summed: a word mostly
     * follows the same tag, and reading these two rows from the model
     * for every token put cache misses on the path from one token's tag
     * to the next. */
    score_t after_rows[KH_TAGGER_TAGS];
    /* What it gives its neighbours, each read from a line that holds
     * nothing else a neighbour would not read: the next token and the one
     * before, then the next but one and the one before that (one feature
     * each, F_WORD_M2 and F_WORD_P2, but as 16-bit scores, which the sums
     * add as they are: widening bytes took five instructions a row). */
    score_t as_m1[KH_TAGGER_TAGS];
    score_t as_p1[KH_TAGGER_TAGS];
    score_t as_m2[KH_TAGGER_TAGS];
    score_t as_p2[KH_TAGGER_TAGS];
    /* Its own features and the bias, read only when after_rows is made:
     * on a line of its own, the rest of which is spare. */
    score_t own[KH_TAGGER_TAGS];
    score_t spare[KH_TAGGER_TAGS];
} cache_entry;

/* Entries are read a few lines each, so they start on a line. */
#define CACHE_LINE 64
_Static_assert(sizeof(cache_entry) % CACHE_LINE == 0, "an entry is whole cache lines");
_Static_assert(offsetof(cache_entry, after_rows) + sizeof(score_t[KH_TAGGER_TAGS]) == CACHE_LINE &&
                   offsetof(cache_entry, own) == 3 * CACHE_LINE,
               "each token reads its first line, and its neighbours the next two");

/* What a shape, with the dictionary bits and the lower-case bit, brings:
 * the features that read nothing else (F_BIAS, F_SHAPE, F_DICT,
 * F_DICT_SHAPE, F_LOWER_SHAPE; F_SHAPE_M1, F_DICT_M1; F_SHAPE_P1,
 * F_DICT_P1).  News has a few hundred such keys, so a word new to the
 * cache probes the model for its 15 word and affix features only. */
struct shape_entry {
    uint64_t shape;
    unsigned key;               /* 0: empty; see shape_rows */
    score_t own[KH_TAGGER_TAGS];
    score_t as_m1[KH_TAGGER_TAGS];
    score_t as_p1[KH_TAGGER_TAGS];
    /* F_PREV_SHAPE's row after each tag (zeros: none), which reads only
     * the shape and the tag: made once per shape, not looked up for
     * every word that has it. */
    int8_t prev_shape[PREV_TAGS][KH_TAGGER_TAGS];
};

_Static_assert(KH_UPOS_COUNT < 1 << 5 && PREV_TAGS < 1 << 5 && KH_LW_COUNT < 1 << 11,
               "a cache entry's tags and lexicon word fit their fields");

/* Tokens the window reads on each side of a token (the *_M2 and *_P2
 * templates): the edges of the sentence's entries (see `before`). */
#define EDGE_TOKENS 2

/* Entries are looked for in sets of this many (the slot's and the next):
 * one place per word let two frequent words that share it evict each
 * other all through a text. */
#define CACHE_WAYS 2

struct kh_tagger_cache {
    const kh_tagger_model *model;
    cache_entry *entries;               /* 2^KH_TAGGER_CACHE_BITS, in entries_alloc */
    void *entries_alloc;
    shape_entry *shapes;                /* 2^KH_TAGGER_SHAPE_CACHE_BITS */
    /* The sentence's edges, as the neighbours of its first and last two
     * tokens: `before` stands at ents[-2] and ents[-1] (only its as_m1 and
     * as_m2 are read), `after` at ents[n] and ents[n + 1] (as_p1, as_p2),
     * so that a token's sums need no test for the edges. */
    cache_entry before, after;
    /* F_PREV and F_PREV2_PREV of each pair of tags [prev2][prev]. */
    score_t prev_rows[PREV_TAGS][PREV_TAGS][KH_TAGGER_TAGS];
    /* Per token of the sentence being tagged, its entry: an entry a
     * sentence uses is not evicted while it is tagged (see place), so
     * the scores are summed from the entries directly.  Grown, never
     * shrunk, like the entries for the sentence's words that found no
     * place (`spill`). */
    cache_entry **ents;                 /* EDGE_TOKENS into `ents_alloc` */
    cache_entry **ents_alloc;
    cache_entry *spill;
    /* Stand-ins for a caller's missing dictionary bits (zeros) and
     * lexicon words (not read), so that the per-token loop tests neither. */
    unsigned char *no_dict_bits;
    kh_lex_word *no_lex;
    /* Per token of the sentence being tagged, its key and shape flags,
     * made in a pass before the entries are looked up. */
    uint64_t *keys;
    unsigned char *token_shapes;
    size_t capacity, spilled;
    uint32_t sentence;                  /* counts sentences: `used` */
};

/* A feature of a word and the score vector its row goes to. */
typedef struct feature_sum {
    uint32_t key;
    score_t *to;
} feature_sum;

/* Features a new word's entry sums (fill_entry): its word, form and
 * affixes, and its word and suffix as its neighbours' neighbour. */
#define ENTRY_FEATURES 13

/* Adds the rows of features f[0 .. n) to their vectors.  The model is
 * two megabytes, so each probe is a cache miss: the probes' first slots
 * are all asked for before the first is read, so that a new word waits
 * for one miss, not a dozen in a row. */
static void add_features(const kh_tagger_model *m, const feature_sum *f, int n)
{
    for (int k = 0; k < n; k++)
        KH_PREFETCH(&m->slots[kh_tagger_probe(f[k].key, m->slot_bits)]);
    for (int k = 0; k < n; k++)
        add_feature(m, f[k].key, f[k].to);
}

/* The features a word gives its neighbours through its word and suffix
 * (the *_M1 ... *_P2 templates but the shape's and dictionary's): the
 * rows for the next but one and the one before that copied to m2 and
 * p2, the others' features put in f; returns how many. */
#define NEIGHBOUR_WORD_FEATURES 4

static int neighbour_word_features(const kh_tagger_model *m, const kh_tagger_word *w,
                                   score_t *m1, score_t *m2, score_t *p1, score_t *p2,
                                   feature_sum *f)
{
    widen_row(feature_row(m, feature_key(F_WORD_M2, w->word)), m2);
    widen_row(feature_row(m, feature_key(F_WORD_P2, w->word)), p2);
    f[0] = (feature_sum){feature_key(F_WORD_M1, w->word), m1};
    f[1] = (feature_sum){feature_key(F_SUF3_M1, w->suffix[2]), m1};
    f[2] = (feature_sum){feature_key(F_WORD_P1, w->word), p1};
    f[3] = (feature_sum){feature_key(F_SUF3_P1, w->suffix[2]), p1};
    return NEIGHBOUR_WORD_FEATURES;
}

/* The rows its shape and dictionary bits give its neighbours. */
static void neighbour_shape_rows(const kh_tagger_model *m, const kh_tagger_word *w, score_t *m1,
                                 score_t *p1)
{
    add_feature(m, feature_key(F_SHAPE_M1, w->shape), m1);
    add_feature(m, feature_key(F_DICT_M1, w->dict), m1);
    add_feature(m, feature_key(F_SHAPE_P1, w->shape), p1);
    add_feature(m, feature_key(F_DICT_P1, w->dict), p1);
}

/* Every row a word gives its neighbours. */
static void neighbour_rows(const kh_tagger_model *m, const kh_tagger_word *w, score_t *m1,
                           score_t *m2, score_t *p1, score_t *p2)
{
    feature_sum f[NEIGHBOUR_WORD_FEATURES];
    add_features(m, f, neighbour_word_features(m, w, m1, m2, p1, p2, f));
    neighbour_shape_rows(m, w, m1, p1);
}

/* A shape entry's key besides the shape: the dictionary bits (under 7
 * bits) and the lower-case bit; bit 8 marks the entry used. */
static unsigned shape_key(unsigned dict, unsigned lower) { return dict << 1 | lower | 1u << 8; }

/* The place of a shape and key among the shape entries. */
static shape_entry *shape_place(const kh_tagger_cache *c, uint64_t shape, unsigned key)
{
    uint64_t h = (shape ^ key) * 0xbf58476d1ce4e5b9ull;
    return &c->shapes[h >> (64 - KH_TAGGER_SHAPE_CACHE_BITS)];
}

/* The shape's entry of word w, filled if new or its slot was taken. */
static const shape_entry *shape_rows(kh_tagger_cache *c, const kh_tagger_word *w)
{
    unsigned key = shape_key(w->dict, w->lower);
    shape_entry *e = shape_place(c, w->shape, key);
    if (e->shape == w->shape && e->key == key)
        return e;
    const kh_tagger_model *m = c->model;
    memset(e->own, 0, 3 * sizeof e->own);
    _Static_assert(offsetof(shape_entry, as_p1) == offsetof(shape_entry, own) +
                       2 * sizeof(score_t[KH_TAGGER_TAGS]),
                   "the score vectors are contiguous");
    add_feature(m, feature_key(F_BIAS, 0), e->own);
    add_feature(m, feature_key(F_SHAPE, w->shape), e->own);
    add_feature(m, feature_key(F_DICT, w->dict), e->own);
    add_feature(m, feature_key2(F_DICT_SHAPE, w->dict, w->shape), e->own);
    add_feature(m, feature_key2(F_LOWER_SHAPE, w->lower, w->shape), e->own);
    neighbour_shape_rows(m, w, e->as_m1, e->as_p1);
    for (int t1 = 0; t1 < PREV_TAGS; t1++)
        copy_row(feature_row(m, feature_key2(F_PREV_SHAPE, (uint64_t)t1, w->shape)),
                 e->prev_shape[t1]);
    e->shape = w->shape;
    e->key = key;
    return e;
}

/* An entry's scores, from everything kh_tagger_features reads of the
 * word except the tags before it. */
static void fill_entry(kh_tagger_cache *c, const kh_tagger_word *w, cache_entry *e)
{
    const kh_tagger_model *m = c->model;
    const shape_entry *sh = shape_rows(c, w);
    e->fixed = (uint8_t)kh_tagger_word_tag(m, w->word);
    e->shape = w->shape;
    e->lower = w->lower & 1;
    e->after_tag = PREV_TAGS;
    memcpy(e->own, sh->own, sizeof e->own);
    memcpy(e->as_m1, sh->as_m1, sizeof e->as_m1);
    memcpy(e->as_p1, sh->as_p1, sizeof e->as_p1);
    feature_sum f[ENTRY_FEATURES];
    int n = neighbour_word_features(m, w, e->as_m1, e->as_m2, e->as_p1, e->as_p2, f);
    if (e->fixed == KH_UPOS_X) {     /* a fixed word's own scores are never read */
        f[n++] = (feature_sum){feature_key(F_WORD, w->word), e->own};
        f[n++] = (feature_sum){feature_key(F_FORM, w->form), e->own};
        for (int k = 0; k < 3; k++)
            f[n++] = (feature_sum){feature_key(F_PRE1 + k, w->prefix[k]), e->own};
        for (int k = 0; k < 4; k++)
            f[n++] = (feature_sum){feature_key(F_SUF1 + k, w->suffix[k]), e->own};
    }
    _Static_assert(NEIGHBOUR_WORD_FEATURES + 9 == ENTRY_FEATURES, "f has room for them all");
    add_features(m, f, n);
}

kh_tagger_cache *kh_tagger_cache_new(const kh_tagger_model *m)
{
    kh_tagger_cache *c = kh_xcalloc(1, sizeof *c);
    c->model = m;
    /* A line more than the entries, to start them on one. */
    c->entries_alloc = kh_xcalloc(((size_t)1 << KH_TAGGER_CACHE_BITS) + 1, sizeof *c->entries);
    c->entries = (cache_entry *)(((uintptr_t)c->entries_alloc + CACHE_LINE - 1) &
                                 ~(uintptr_t)(CACHE_LINE - 1));
    c->shapes = kh_xcalloc((size_t)1 << KH_TAGGER_SHAPE_CACHE_BITS, sizeof *c->shapes);
    kh_tagger_word edge;
    score_t none[KH_TAGGER_TAGS] = {0};
    score_t none_row[KH_TAGGER_TAGS];
    edge_word(&edge, EDGE_BEFORE);
    neighbour_rows(m, &edge, c->before.as_m1, c->before.as_m2, none, none_row);
    edge_word(&edge, EDGE_AFTER);
    neighbour_rows(m, &edge, none, none_row, c->after.as_p1, c->after.as_p2);
    for (int t2 = 0; t2 < PREV_TAGS; t2++)
        for (int t1 = 0; t1 < PREV_TAGS; t1++) {
            add_feature(m, feature_key(F_PREV, (uint64_t)t1), c->prev_rows[t2][t1]);
            add_feature(m, feature_key2(F_PREV2_PREV, (uint64_t)t2, (uint64_t)t1),
                        c->prev_rows[t2][t1]);
        }
    return c;
}

void kh_tagger_cache_free(kh_tagger_cache *c)
{
    if (!c)
        return;
    free(c->entries_alloc);
    free(c->shapes);
    free(c->ents_alloc);
    free(c->spill);
    free(c->no_dict_bits);
    free(c->no_lex);
    free(c->keys);
    free(c->token_shapes);
    free(c);
}

/* The bytes s[0..n) as a 64-bit number for the cache's key, read 8 at a
 * time: FNV's byte steps were a quarter of the instructions a cached word
 * cost.  Given n, each step reads bytes that determine the ones it covers
 * (the last bytes are read in two overlapping halves, or as the first,
 * middle and last of up to three), and never past s + n. */
static inline uint64_t key_hash(const char *s, size_t n, uint64_t h)
{
    const uint64_t k = 0x9E3779B97F4A7C15ull;
    uint32_t lo, hi;
    uint64_t v;
    h = (h ^ n) * k;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        memcpy(&v, s + i, 8);
        h = (h ^ v) * k;
        h ^= h >> 32;
    }
    size_t rest = n - i;
    if (rest >= 4) {
        memcpy(&lo, s + i, 4);
        memcpy(&hi, s + n - 4, 4);
        v = (uint64_t)hi << 32 | lo;
    } else if (rest > 0) {
        v = (uint64_t)(unsigned char)s[i] << 16 | (uint64_t)(unsigned char)s[i + rest / 2] << 8 |
            (unsigned char)s[n - 1];
    } else {
        return h;
    }
    h = (h ^ v) * 0xbf58476d1ce4e5b9ull;
    return h ^ (h >> 31);
}

/* What stands for a plain word's key_hash in its entry's key: any
 * number other than the hashes of words, which are mixed (so that one of
 * them is this only by a chance of 2^-64, as for any two keys). */
#define PLAIN_WORD_KEY 0x243F6A8885A308D3ull   /* pi's first hex digits */

/* An entry's key: the word's and form's key_hash mixed with the flags,
 * so that one comparison matches all three; never 0, an empty entry's. */
static uint64_t entry_key(uint64_t words, unsigned flags)
{
    return (words ^ flags) * 0xbf58476d1ce4e5b9ull | 1;
}

/* The first slot of the entry's set: the key's high bits. */
static size_t cache_set(uint64_t key)
{
    return (size_t)(key >> (64 - KH_TAGGER_CACHE_BITS)) & ~(size_t)(CACHE_WAYS - 1);
}

/* Where a new word goes in its set: the place no word of this sentence
 * holds, the less recently used if both are free; NULL if the sentence
 * holds both (the word goes to `spill`).  The words of the sentence being
 * tagged stay where they are until it is, since the sums read them. */
static cache_entry *place(kh_tagger_cache *c, cache_entry *set)
{
    _Static_assert(CACHE_WAYS == 2, "a set is two places");
    uint32_t now = c->sentence;
    int free0 = set[0].used != now, free1 = set[1].used != now;
    if (free0 && free1)
        return now - set[0].used >= now - set[1].used ? &set[0] : &set[1];
    return free0 ? &set[0] : free1 ? &set[1] : NULL;
}

/* The entry for a word new to the cache (or evicted), filled.  Out of
 * the per-token loop (the cached words are most), whose registers it
 * would otherwise take. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static cache_entry *new_entry(kh_tagger_cache *c, cache_entry *set, const kh_tokens *t,
                              const char *text, const unsigned char *dict_bits, size_t i,
                              unsigned shape, uint64_t key, unsigned flags)
{
    const kh_token *tok = &t->items[i];
    cache_entry *e = place(c, set);
    if (!e)
        e = &c->spill[c->spilled++];
    kh_tagger_word w;
    word_info_of(c->model, t, text, dict_bits, i, tok->len, shape, &w);
    fill_entry(c, &w, e);
    e->lex = (unsigned)kh_lex_of_word(tok, tok->len);
    e->key = key;
    e->word = w.word;
    e->flags = flags;
    e->used = c->sentence;
    return e;
}

/* The key of token i, `tok` (shape flags `shape`) in the cache.
 * dict_bits is not NULL. */
static inline uint64_t token_key(const kh_token *tok, const char *text,
                                 const unsigned char *dict_bits, size_t i, unsigned shape)
{
    /* The word and the form: "WON" (won) and "WILL" (won't) share one.
     * A plain word (KH_TOK_PLAIN, most) is its form upper-cased: the
     * form alone keys both, and the word is not hashed again. */
    uint64_t word = tok->flags & KH_TOK_PLAIN ? PLAIN_WORD_KEY : key_hash(tok->word, tok->len, 0);
    uint64_t words = key_hash(text + tok->start, (size_t)(tok->end - tok->start), word);
    /* The dictionary bits are under 5 bits. */
    return entry_key(words, shape | (unsigned)dict_bits[i] << SHAPE_FLAG_BITS);
}

/* The entry of token i, whose key is `key` (shape flags `shape`), filled
 * if the word is new or was evicted.  dict_bits is not NULL. */
static inline cache_entry *token_entry(kh_tagger_cache *c, const kh_tokens *t,
                                       const char *text, const unsigned char *dict_bits,
                                       size_t i, unsigned shape, uint64_t key)
{
    cache_entry *set = &c->entries[cache_set(key)];
    for (int w = 0; w < CACHE_WAYS; w++)
        if (set[w].key == key) {
            set[w].used = c->sentence;
            return &set[w];
        }
    unsigned flags = shape | (unsigned)dict_bits[i] << SHAPE_FLAG_BITS;
    return new_entry(c, set, t, text, dict_bits, i, shape, key, flags);
}

/* Adds to sc what the neighbours of the token whose entry is e[0] give
 * it (e[-2], e[-1], e[1], e[2]), the sentence's edges standing for the
 * neighbours it lacks (see `before`). */
static void neighbour_scores(cache_entry *const *e, score_t *restrict sc)
{
    add_scores(sc, e[-1]->as_m1);
    add_scores(sc, e[-2]->as_m2);
    add_scores(sc, e[1]->as_p1);
    add_scores(sc, e[2]->as_p2);
}

/* F_PREV_SHAPE's row for entry e after tag `prev` (NULL: none): its
 * shape entry's, unless that place now holds another shape. */
static const int8_t *prev_shape_row(const kh_tagger_cache *c, const cache_entry *e, int prev)
{
    unsigned key = shape_key((e->flags >> SHAPE_FLAG_BITS) & DICT_FLAG_MASK, e->lower);
    const shape_entry *sh = shape_place(c, e->shape, key);
    if (sh->shape == e->shape && sh->key == key)
        return sh->prev_shape[prev];
    return feature_row(c->model, feature_key2(F_PREV_SHAPE, (uint64_t)prev, e->shape));
}

/* The sum of entry e's own scores and its F_PREV_WORD and F_PREV_SHAPE
 * rows after tag `prev`, remembered for the next time it follows the
 * same tag. */
static const score_t *after_rows(const kh_tagger_cache *c, cache_entry *e, int prev)
{
    if (e->after_tag != (unsigned)prev) {
        memcpy(e->after_rows, e->own, sizeof e->after_rows);
        add_feature(c->model, feature_key2(F_PREV_WORD, (uint64_t)prev, e->word), e->after_rows);
        add_row(prev_shape_row(c, e, prev), e->after_rows);
        e->after_tag = (unsigned)prev;
    }
    return e->after_rows;
}

/* Starts loading the F_PREV_WORD slots after_rows will read where the
 * tag before a token is known before the tags are: at the first token
 * (TAG_START), and after a word the model tags one way (`fixed`: "the",
 * "of", "said", a good third of news).  Elsewhere the slot's key waits
 * for the token before's tag, and its miss is on the path from each tag
 * to the next. */
static void prefetch_known_rows(const kh_tagger_model *m, cache_entry *const *ents, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const cache_entry *e = ents[i];
        unsigned prev = i == 0 ? TAG_START : ents[i - 1]->fixed;
        if (e->fixed == KH_UPOS_X && prev != KH_UPOS_X && e->after_tag != prev)
            KH_PREFETCH(&m->slots[kh_tagger_probe(feature_key2(F_PREV_WORD, prev, e->word),
                                                  m->slot_bits)]);
    }
}

void kh_tagger_tag_cached(kh_tagger_cache *c, const kh_tokens *t, const char *text,
                          const unsigned char *dict_bits, kh_upos *out, kh_lex_word *lex)
{
    size_t n = t->count;
    if (!n)
        return;
    if (n > c->capacity) {
        c->ents_alloc = kh_xrealloc(c->ents_alloc, (n + 2 * EDGE_TOKENS) * sizeof *c->ents);
        c->ents = c->ents_alloc + EDGE_TOKENS;
        c->spill = kh_xrealloc(c->spill, n * sizeof *c->spill);
        free(c->no_dict_bits);
        c->no_dict_bits = kh_xcalloc(n, 1);
        c->no_lex = kh_xrealloc(c->no_lex, n * sizeof *c->no_lex);
        c->keys = kh_xrealloc(c->keys, n * sizeof *c->keys);
        c->token_shapes = kh_xrealloc(c->token_shapes, n);
        c->capacity = n;
    }
    if (!dict_bits)
        dict_bits = c->no_dict_bits;
    if (!lex)
        lex = c->no_lex;
    c->sentence++;
    c->spilled = 0;
    /* Locals, not c-> and t-> each time: a store of an entry's pointer
     * might, for all the compiler knows, change them. */
    const kh_token *items = t->items;
    cache_entry **ents = c->ents;
    /* shape_flags, carried along: a token's JOINS is the next's JOINED. */
    /* The cache is larger than the caches: the keys are made and their
     * sets asked for first, then looked in, so that the misses overlap. */
    uint64_t *keys = c->keys;
    unsigned char *shapes = c->token_shapes;
    unsigned shape = SHAPE_FIRST | (items[0].flags & KH_TOK_JOINED ? SHAPE_JOINED : 0);
    for (size_t j = 0; j < n; j++) {
        if (j + 1 < n && (items[j + 1].flags & KH_TOK_JOINED))
            shape |= SHAPE_JOINS;
        shapes[j] = (unsigned char)shape;
        keys[j] = token_key(&items[j], text, dict_bits, j, shape);
        const cache_entry *set = &c->entries[cache_set(keys[j])];
        KH_PREFETCH(&set[0].key);
        KH_PREFETCH(&set[1].key);
        shape = shape & SHAPE_JOINS ? SHAPE_JOINED : 0;
    }
    for (size_t j = 0; j < n; j++) {
        ents[j] = token_entry(c, t, text, dict_bits, j, shapes[j], keys[j]);
        lex[j] = (kh_lex_word)ents[j]->lex;
    }
    prefetch_known_rows(c->model, ents, n);
    for (size_t k = 1; k <= EDGE_TOKENS; k++) {
        ents[-(ptrdiff_t)k] = &c->before;
        ents[n - 1 + k] = &c->after;
    }
    int prev = TAG_START, prev2 = TAG_START;
    for (size_t i = 0; i < n; i++) {
        cache_entry *e = ents[i];
        if (e->fixed != KH_UPOS_X) {
            out[i] = (kh_upos)e->fixed;   /* its scores are never summed */
        } else {
            score_t sc[KH_TAGGER_TAGS];
            memcpy(sc, after_rows(c, e, prev), sizeof sc);
            neighbour_scores(ents + i, sc);
            add_scores(sc, c->prev_rows[prev2][prev]);
            out[i] = best_tag(sc);
        }
        prev2 = prev;
        prev = out[i];
    }
}
