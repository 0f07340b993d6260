/* dict_index.c -- see dict_index.h */
#include "dict_index.h"
#include "kh_limits.h"
#include "morph.h"
#include "short_key.h"
#include "util.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* Slots of struct kh_index's stem_lengths: the dictionaries' stems begin
 * in a few hundred ways, and 4096 slots (16 KB) keep them apart and stay
 * in cache. */
#define KH_STEM_PAIR_BITS 12
#define KH_STEM_PAIR_SLOTS (1u << KH_STEM_PAIR_BITS)

/* The slot of the first two bytes of a word of at least two. */
static unsigned start_pair_slot(const char *w)
{
    unsigned pair = (unsigned)(unsigned char)w[0] << 8 | (unsigned char)w[1];
    return (pair * 2654435761u) >> (32 - KH_STEM_PAIR_BITS);
}

/* The bit of a stem's length in stem_lengths: the last one stands for
 * every length from KH_STEM_LONG on, which no TABARI stem has. */
#define KH_STEM_LONG 31

static uint32_t stem_length_bit(size_t len)
{
    return 1u << (len < KH_STEM_LONG ? len : KH_STEM_LONG);
}

static int bit_test(const unsigned char *bits, unsigned i)
{
    return (bits[i >> 3] >> (i & 7)) & 1;
}

/* Bits of the `inflectable` filter: 2^18 bits (32 KB) leave few false
 * hits for the tens of thousands of one-word entries a large dictionary
 * has, and stay in cache. */
#define KH_INFLECTABLE_BITS (1u << 18)

/* The filter's hash is FNV-1a, one byte at a time: kh_index_find hashes
 * every base a word may reduce to from one pass over the word's prefix
 * (visit_bases), and only the few bases the filter lets through are
 * copied out and looked up. */
#define KH_FILTER_HASH_SEED 2166136261u

static uint32_t filter_hash_extend(uint32_t hash, char c)
{
    return (hash ^ (unsigned char)c) * 16777619u;
}

static void bit_set(unsigned char *bits, unsigned i)
{
    bits[i >> 3] |= (unsigned char)(1u << (i & 7));
}

typedef struct keyed_entry {
    const char *key;
    int stem;
    kh_index_entry entry;
    kh_word_set needs;      /* the entry's, until place_entries files it */
} keyed_entry;

typedef KH_VEC(keyed_entry) keyed_vec;

static keyed_entry *add_key(keyed_vec *keys, const char *key, int stem, int kind,
                            int entry, int words)
{
    keyed_entry *k = KH_VEC_PUSH(keys);
    memset(k, 0, sizeof *k);
    k->key = key;
    k->stem = stem;
    k->entry.kind = (unsigned char)kind;
    k->entry.several = words > 1;
    k->entry.entry = entry;
    return k;
}

/* Sets what the second word of an entry needs (see kh_index_entry): every
 * way a word matches keeps its first letter, and a word that takes no
 * stem, nor an ending (only a phrase's last word does), matches only
 * itself. */
static void set_second_word(kh_index_entry *e, const char *word, unsigned flags,
                            int reach, int endings)
{
    if (!word[0])
        return;
    e->next_reach = (unsigned char)reach;
    e->next_first = word[0];
    if (!endings && !(flags & (KH_WORD_STEM | KH_WORD_TILDE)))
        e->next_word = word;
}

/* Only a phrase's last word takes regular endings (tag.c). */
static kh_word_set phrase_needs(const kh_phrase *p)
{
    kh_word_set needs = {{0, 0}, 0};
    for (int i = 1; i < p->count; i++)
        kh_word_set_add(&needs, kh_word_needs(p->words[i], i < p->count - 1 &&
                        !(p->flags[i] & (KH_WORD_STEM | KH_WORD_TILDE))));
    return needs;
}

static void add_phrase_key(keyed_vec *keys, const kh_phrase *p, int kind, int entry)
{
    if (p->count == 0)
        return;
    keyed_entry *k = add_key(keys, p->words[0],
                             (p->flags[0] & (KH_WORD_STEM | KH_WORD_TILDE)) != 0,
                             kind, entry, p->count);
    k->needs = phrase_needs(p);
    if (p->count > 1)
        set_second_word(&k->entry, p->words[1], p->flags[1],
                        (p->flags[1] & KH_WORD_NEXT) ? 1 : 1 + KH_PHRASE_MAX_GAP,
                        p->count == 2);
}

/* A verb's words are consecutive and take no endings but on the head,
 * which may take irregular forms ("WENT" for GO): only a second word that
 * is not the head tells. */
static void add_verb_key(keyed_vec *keys, const kh_verb *v, const char *key, int stem,
                         int entry)
{
    keyed_entry *k = add_key(keys, key, stem, KH_HIT_VERB, entry, v->words.count);
    for (int i = 1; i < v->words.count; i++)
        if (i != v->head)
            kh_word_set_add(&k->needs, kh_word_needs(v->words.words[i],
                            !(v->words.flags[i] & (KH_WORD_STEM | KH_WORD_TILDE))));
    if (v->words.count > 1 && v->head != 1)
        set_second_word(&k->entry, v->words.words[1], v->words.flags[1], 1, 0);
}

/* ---- one spelling per word ---- */

/* The one spelling of `w`: a new word gets its record (kh_index_word),
 * in the dictionary's arena. */
static const char *canonical(kh_dict *dict, struct kh_index *ix, const char *w)
{
    size_t len = strlen(w);
    int id = kh_strmap_get(&ix->words, w, len);
    if (id >= 0)
        return ix->word.items[id]->text;
    kh_index_word *rec = kh_arena_take(&dict->arena, sizeof *rec + len + 1);
    /* No entries yet; stems_or_bases until note_stems_or_bases knows better */
    *rec = (kh_index_word){.stems_or_bases = 1};
    memcpy(rec->text, w, len + 1);
    rec->bit = kh_word_bit(rec->text);
    *KH_VEC_PUSH(&ix->word) = rec;
    kh_strmap_put(&ix->words, rec->text, (int)ix->word.count - 1);
    return rec->text;
}

static void canonical_phrase(kh_dict *dict, struct kh_index *ix, kh_phrase *p)
{
    for (int i = 0; i < p->count; i++)
        p->words[i] = canonical(dict, ix, p->words[i]);
}

static void canonical_elems(kh_dict *dict, struct kh_index *ix, kh_elem *el, int count)
{
    for (int i = 0; i < count; i++)
        if (el[i].kind == KH_EL_WORD && el[i].word)
            el[i].word = canonical(dict, ix, el[i].word);
}

static void canonical_words(kh_dict *dict, struct kh_index *ix)
{
    for (size_t i = 0; i < dict->actors.count; i++)
        canonical_phrase(dict, ix, &dict->actors.items[i].phrase);
    for (size_t i = 0; i < dict->agents.count; i++)
        canonical_phrase(dict, ix, &dict->agents.items[i].phrase);
    for (size_t i = 0; i < dict->discards.count; i++)
        canonical_phrase(dict, ix, &dict->discards.items[i].phrase);
    for (size_t i = 0; i < dict->issues.count; i++)
        canonical_phrase(dict, ix, &dict->issues.items[i].phrase);
    for (size_t i = 0; i < dict->verbs.count; i++) {
        kh_verb *v = &dict->verbs.items[i];
        canonical_phrase(dict, ix, &v->words);
        for (int f = 0; f < v->form_count; f++)
            v->forms[f] = canonical(dict, ix, v->forms[f]);
    }
    for (size_t i = 0; i < dict->patterns.count; i++)
        canonical_elems(dict, ix, dict->patterns.items[i].elems, dict->patterns.items[i].count);
    for (size_t i = 0; i < dict->synsets.count; i++)
        for (int a = 0; a < dict->synsets.items[i].count; a++)
            canonical_elems(dict, ix, dict->synsets.items[i].alts[a],
                            dict->synsets.items[i].alt_counts[a]);
}

/* ---- keys ---- */

typedef struct forms_ctx {
    kh_dict *dict;
    struct kh_index *ix;
    KH_VEC(const char *) forms;
} forms_ctx;

static void collect_form(void *ctx, const char *form)
{
    forms_ctx *fc = ctx;
    for (size_t i = 0; i < fc->forms.count; i++)
        if (strcmp(fc->forms.items[i], form) == 0)
            return;
    *KH_VEC_PUSH(&fc->forms) = canonical(fc->dict, fc->ix, form);
}

/* All forms of a verb's head: generated inflections plus the dictionary's
 * own {FORMS}. */
static kh_form_list verb_forms_of(kh_dict *dict, struct kh_index *ix, const kh_verb *v)
{
    forms_ctx fc = {dict, ix, {0}};
    const char *head = v->words.words[v->head];
    collect_form(&fc, head);
    if (!(v->words.flags[v->head] & KH_WORD_NOENDINGS))
        kh_verb_forms(head, collect_form, &fc);
    for (int i = 0; i < v->form_count; i++)
        collect_form(&fc, v->forms[i]);
    /* TABARI accepts its regular endings on any verb, spelling aside
     * ("DEPART_" matches "departes"; manual 5.2.3). */
    if (v->syntax == KH_SYNTAX_TABARI && !(v->words.flags[v->head] & KH_WORD_NOENDINGS)) {
        static const char *const endings[] = {"S", "ES", "ED", "EN", "ING"};
        size_t n = strlen(head);
        char *form = kh_xmalloc(n + sizeof "ING");     /* the longest ending */
        memcpy(form, head, n);
        for (size_t e = 0; e < sizeof endings / sizeof endings[0]; e++) {
            strcpy(form + n, endings[e]);
            collect_form(&fc, form);
        }
        free(form);
    }
    kh_form_list out;
    out.count = (int)fc.forms.count;
    out.forms = kh_arena_alloc(&dict->arena, (fc.forms.count + 1) * sizeof *out.forms);
    memcpy(out.forms, fc.forms.items, fc.forms.count * sizeof *out.forms);
    KH_VEC_FREE(&fc.forms);
    return out;
}

/* At most how many keys collect_keys adds, once the verbs' forms are
 * known: the vector is sized once rather than copied as it doubles. */
static size_t key_count(const kh_dict *dict, const struct kh_index *ix)
{
    size_t n = dict->actors.count + dict->agents.count + dict->discards.count +
               dict->issues.count;
    for (size_t i = 0; i < dict->verbs.count; i++) {
        const kh_verb *v = &dict->verbs.items[i];
        if (v->words.count == 0)
            continue;
        n += v->head == 0 ? (size_t)ix->verb_forms[i].count + 1 : 1;
    }
    return n;
}

static void collect_keys(kh_dict *dict, struct kh_index *ix, keyed_vec *keys)
{
    ix->verb_forms = kh_xcalloc(dict->verbs.count + 1, sizeof *ix->verb_forms);
    for (size_t i = 0; i < dict->verbs.count; i++)
        if (dict->verbs.items[i].words.count)
            ix->verb_forms[i] = verb_forms_of(dict, ix, &dict->verbs.items[i]);
    KH_VEC_RESERVE(keys, key_count(dict, ix));
    for (size_t i = 0; i < dict->actors.count; i++)
        add_phrase_key(keys, &dict->actors.items[i].phrase, KH_HIT_ACTOR, (int)i);
    for (size_t i = 0; i < dict->agents.count; i++)
        add_phrase_key(keys, &dict->agents.items[i].phrase, KH_HIT_AGENT, (int)i);
    for (size_t i = 0; i < dict->discards.count; i++)
        add_phrase_key(keys, &dict->discards.items[i].phrase, KH_HIT_DISCARD, (int)i);
    for (size_t i = 0; i < dict->issues.count; i++)
        add_phrase_key(keys, &dict->issues.items[i].phrase, KH_HIT_ISSUE, (int)i);
    ix->verb_stem = kh_xcalloc(dict->verbs.count + 1, sizeof *ix->verb_stem);
    for (size_t i = 0; i < dict->verbs.count; i++) {
        const kh_verb *v = &dict->verbs.items[i];
        if (v->words.count == 0)
            continue;
        if (v->words.flags[v->head] & (KH_WORD_STEM | KH_WORD_TILDE))
            ix->verb_stem[i] = v->words.words[v->head];
        if (v->head == 0) {
            for (int f = 0; f < ix->verb_forms[i].count; f++)
                add_verb_key(keys, v, ix->verb_forms[i].forms[f], 0, (int)i);
            /* TABARI verb stems ("RESTOR") match any word they begin */
            if (v->words.flags[0] & (KH_WORD_STEM | KH_WORD_TILDE))
                add_verb_key(keys, v, v->words.words[0], 1, (int)i);
        } else {
            add_verb_key(keys, v, v->words.words[0], 0, (int)i);
        }
    }
}

/* The words of a pattern (or of a synset's alternative) outside
 * alternatives and synsets must each match a token of the clause for it
 * to match (coder.c). */
static kh_pattern_needs elems_needs_of(const kh_elem *elems, int count)
{
    kh_pattern_needs needs = {{{0, 0}, 0}};
    int depth = 0;
    for (int i = 0; i < count; i++) {
        const kh_elem *el = &elems[i];
        depth += (el->kind == KH_EL_ALT_BEGIN) - (el->kind == KH_EL_ALT_END);
        if (el->kind != KH_EL_WORD || depth != 0 || !el->word)
            continue;
        kh_word_set_add(&needs.whole, kh_word_needs(el->word,
                        !(el->flags & (KH_WORD_STEM | KH_WORD_TILDE))));
    }
    return needs;
}

/* After sort_patterns: each verb block's patterns in the order the coder
 * tries them, then each synset's alternatives (most alternatives of a
 * long synset name a word the clause lacks), all in one block. */
static void collect_needs(kh_dict *dict, struct kh_index *ix)
{
    size_t total = 0;
    for (size_t b = 0; b < dict->verbsets.count; b++)
        total += (size_t)dict->verbsets.items[b].pattern_count;
    for (size_t i = 0; i < dict->synsets.count; i++)
        total += (size_t)dict->synsets.items[i].count;
    ix->needs_store = kh_xcalloc(total + 1, sizeof *ix->needs_store);
    ix->block_needs = kh_xcalloc(dict->verbsets.count + 1, sizeof *ix->block_needs);
    ix->synset_needs = kh_xcalloc(dict->synsets.count + 1, sizeof *ix->synset_needs);
    kh_pattern_needs *next = ix->needs_store;
    for (size_t b = 0; b < dict->verbsets.count; b++) {
        const kh_verbset *vs = &dict->verbsets.items[b];
        ix->block_needs[b] = next;
        for (int i = 0; i < vs->pattern_count; i++) {
            const kh_pattern *p = &dict->patterns.items[vs->patterns[i]];
            *next++ = elems_needs_of(p->elems, p->count);
        }
    }
    for (size_t i = 0; i < dict->synsets.count; i++) {
        const kh_synset *ss = &dict->synsets.items[i];
        ix->synset_needs[i] = next;
        for (int a = 0; a < ss->count; a++)
            *next++ = elems_needs_of(ss->alts[a], ss->alt_counts[a]);
    }
}

/* ---- the anchors of patterns and synset alternatives (kh_anchors) ---- */

/* The bits of a word set in anchor order: the words' 0-127, then the
 * letters' 128-191. */
static void anchor_parts(kh_word_set s, uint64_t part[3])
{
    part[0] = s.words[0];
    part[1] = s.words[1];
    part[2] = s.letters;
}

/* How many patterns and synset alternatives of the dictionary need each
 * bit: a bit many of them need is that of a common word ("TO", "THE"),
 * which most clauses have too, so these counts stand in for how often a
 * clause has the bit. */
typedef struct anchor_counts {
    size_t needed[KH_ANCHOR_BITS];
} anchor_counts;

static void count_needs(anchor_counts *counts, const kh_pattern_needs *needs, int n)
{
    for (int i = 0; i < n; i++) {
        uint64_t part[3];
        anchor_parts(needs[i].whole, part);
        for (int p = 0; p < 3; p++)
            for (uint64_t m = part[p]; m; m &= m - 1)
                counts->needed[p * 64 + __builtin_ctzll(m)]++;
    }
}

/* Of the bits of parts [from, to) of `part`, the one fewest patterns
 * need (the lowest of a tie), or -1 for none. */
static int least_needed(const uint64_t part[3], int from, int to, const anchor_counts *counts)
{
    int best = -1;
    for (int p = from; p < to; p++)
        for (uint64_t m = part[p]; m; m &= m - 1) {
            int bit = p * 64 + __builtin_ctzll(m);
            if (best < 0 || counts->needed[bit] < counts->needed[best])
                best = bit;
        }
    return best;
}

/* The anchor of a pattern that needs `needs`, 0-191, or -1 for none: of
 * its word bits (a clause has far fewer words' bits than letters') the
 * one fewest patterns need, likely the rarest in clauses, since a clause
 * that has the anchor but lacks another bit the pattern needs makes a
 * candidate the coder turns away; ties go to the lower bit.  Which bit
 * is the anchor changes only how many candidates there are, never which
 * pattern matches first: candidates are visited in pattern order. */
static int anchor_of(const kh_pattern_needs *needs, const anchor_counts *counts)
{
    uint64_t part[3];
    anchor_parts(needs->whole, part);
    int bit = least_needed(part, 0, 2, counts);
    return bit >= 0 ? bit : least_needed(part, 2, 3, counts);
}

/* The chunks of `patterns` patterns. */
static int chunk_count(int patterns)
{
    return (patterns + 63) / 64;
}

/* Fills the anchors of chunk `c`, of `n` patterns (at most 64) that need
 * `needs`, with its sets from `filed` on; returns the sets it used. */
static size_t fill_chunk(kh_anchor_chunk *c, const kh_pattern_needs *needs, int n,
                         const anchor_counts *counts, uint64_t *filed)
{
    _Static_assert(KH_ANCHOR_BITS <= UCHAR_MAX + 1, "a row is a byte");
    for (int i = 0; i < n; i++) {
        int bit = anchor_of(&needs[i], counts);
        if (bit >= 0)
            c->bits[bit / 64] |= 1ull << (bit % 64);
    }
    int rows = 0;       /* in the order of the bits */
    for (int bit = 0; bit < (int)KH_ANCHOR_BITS; bit++)
        if (c->bits[bit / 64] & (1ull << (bit % 64)))
            c->row[bit] = (unsigned char)rows++;
    for (int i = 0; i < n; i++) {
        int bit = anchor_of(&needs[i], counts);
        *(bit < 0 ? &c->unanchored : &filed[c->row[bit]]) |= 1ull << i;
    }
    c->filed = filed;
    return (size_t)rows;
}

/* Where the next anchors go: their chunks, and the chunks' sets. */
typedef struct anchor_space {
    kh_anchor_chunk *chunk;
    uint64_t *filed;
} anchor_space;

static void fill_anchors(kh_anchors *a, const kh_pattern_needs *needs, int patterns,
                         const anchor_counts *counts, anchor_space *space)
{
    a->chunks = chunk_count(patterns);
    a->chunk = space->chunk;
    for (int c = 0; c < a->chunks; c++) {
        int n = patterns - c * 64 < 64 ? patterns - c * 64 : 64;
        space->filed += fill_chunk(space->chunk++, needs + c * 64, n, counts, space->filed);
    }
}

/* After collect_needs.  A pattern takes at most one set. */
static void collect_anchors(kh_dict *dict, struct kh_index *ix)
{
    size_t patterns = 0, chunks = 0;
    for (size_t b = 0; b < dict->verbsets.count; b++) {
        patterns += (size_t)dict->verbsets.items[b].pattern_count;
        chunks += (size_t)chunk_count(dict->verbsets.items[b].pattern_count);
    }
    for (size_t i = 0; i < dict->synsets.count; i++) {
        patterns += (size_t)dict->synsets.items[i].count;
        chunks += (size_t)chunk_count(dict->synsets.items[i].count);
    }
    ix->anchor_store = kh_xcalloc(patterns + 1, sizeof *ix->anchor_store);
    ix->chunk_store = kh_xcalloc(chunks + 1, sizeof *ix->chunk_store);
    ix->block_anchors = kh_xcalloc(dict->verbsets.count + 1, sizeof *ix->block_anchors);
    ix->synset_anchors = kh_xcalloc(dict->synsets.count + 1, sizeof *ix->synset_anchors);
    anchor_counts *counts = kh_xcalloc(1, sizeof *counts);
    for (size_t b = 0; b < dict->verbsets.count; b++)
        count_needs(counts, ix->block_needs[b], dict->verbsets.items[b].pattern_count);
    for (size_t i = 0; i < dict->synsets.count; i++)
        count_needs(counts, ix->synset_needs[i], dict->synsets.items[i].count);
    anchor_space space = {ix->chunk_store, ix->anchor_store};
    for (size_t b = 0; b < dict->verbsets.count; b++)
        fill_anchors(&ix->block_anchors[b], ix->block_needs[b],
                     dict->verbsets.items[b].pattern_count, counts, &space);
    for (size_t i = 0; i < dict->synsets.count; i++)
        fill_anchors(&ix->synset_anchors[i], ix->synset_needs[i],
                     dict->synsets.items[i].count, counts, &space);
    free(counts);
}

/* The patterns of chunk `c` filed under the anchors of part `part`
 * (anchor_parts) that are among the bits `have`. */
KH_ALWAYS_INLINE uint64_t filed_under(const kh_anchor_chunk *c, int part, uint64_t have)
{
    uint64_t out = 0;
    const unsigned char *row = c->row + part * 64;
    for (uint64_t m = have & c->bits[part]; m; m &= m - 1)
        out |= c->filed[row[__builtin_ctzll(m)]];
    return out;
}

/* The three parts written out, not looped over: asked for every chunk of
 * every block a clause's verb has, and the loop's array and counter cost
 * as much as the filed sets. */
uint64_t kh_anchors_candidates(const kh_anchors *a, int chunk, kh_word_set clause)
{
    const kh_anchor_chunk *c = &a->chunk[chunk];
    return c->unanchored | filed_under(c, 0, clause.words[0]) |
           filed_under(c, 1, clause.words[1]) | filed_under(c, 2, clause.letters);
}

/* Patterns of each block are tried longest first (TABARI manual 5.7.1);
 * ties keep dictionary order.  A length counts letters, so it is a small
 * number: a counting sort on it is stable and costs two passes, where
 * qsort paid a comparison call for each step. */
static void sort_block(const kh_dict *dict, kh_verbset *vs)
{
    int n = vs->pattern_count, longest = 0;
    for (int i = 0; i < n; i++) {
        int len = dict->patterns.items[vs->patterns[i]].length;
        longest = len > longest ? len : longest;
    }
    /* place[k]: the next slot for a pattern k letters shorter than the
     * longest, once counted and summed. */
    int *place = kh_xcalloc((size_t)longest + 2, sizeof *place);
    for (int i = 0; i < n; i++)
        place[longest - dict->patterns.items[vs->patterns[i]].length + 1]++;
    for (int k = 1; k <= longest; k++)
        place[k] += place[k - 1];
    int *sorted = kh_xmalloc((size_t)n * sizeof *sorted);
    for (int i = 0; i < n; i++)
        sorted[place[longest - dict->patterns.items[vs->patterns[i]].length]++] =
            vs->patterns[i];
    memcpy(vs->patterns, sorted, (size_t)n * sizeof *sorted);
    free(sorted);
    free(place);
}

static void sort_patterns(kh_dict *dict)
{
    for (size_t s = 0; s < dict->verbsets.count; s++)
        if (dict->verbsets.items[s].pattern_count > 1)
            sort_block(dict, &dict->verbsets.items[s]);
}

/* Stems are looked up from two letters on (kh_index_find). */
static void note_stem_start(struct kh_index *ix, const char *stem)
{
    size_t len = strlen(stem);
    if (len < 2)
        return;
    if (!ix->stem_lengths)
        ix->stem_lengths = kh_xcalloc(KH_STEM_PAIR_SLOTS, sizeof *ix->stem_lengths);
    ix->stem_lengths[start_pair_slot(stem)] |= stem_length_bit(len);
}

/* See struct kh_index: what kh_index_find visits for a base. */
static void note_inflectable(struct kh_index *ix, const keyed_entry *k)
{
    if (k->stem || k->entry.kind == KH_HIT_VERB || k->entry.several)
        return;
    uint32_t h = KH_FILTER_HASH_SEED;
    for (const char *c = k->key; *c; c++)
        h = filter_hash_extend(h, *c);
    bit_set(ix->inflectable, h & (KH_INFLECTABLE_BITS - 1));
}

/* Can a word that reduces to the entry's key by a regular ending match
 * it?  Only a phrase's last word takes endings, and verbs have their forms
 * keyed already. */
static int matches_inflected(const kh_index_entry *e)
{
    return e->kind != KH_HIT_VERB && !e->several;
}

/* Copies each word's entries that matches_inflected, in order, into
 * base_entries (at most `total`). */
static void place_base_entries(struct kh_index *ix, size_t total)
{
    ix->base_entries = kh_xmalloc((total + 1) * sizeof *ix->base_entries);
    ix->base_entry_needs = kh_xmalloc((total + 1) * sizeof *ix->base_entry_needs);
    int placed = 0;
    for (size_t w = 0; w < ix->word.count; w++) {
        kh_index_word *word = ix->word.items[w];
        word->base_first = placed;
        for (int i = word->first; i < word->first + word->count; i++)
            if (matches_inflected(&ix->entries[i])) {
                ix->base_entry_needs[placed] = ix->entry_needs[i];
                ix->base_entries[placed++] = ix->entries[i];
            }
        word->base_count = placed - word->base_first;
    }
}

/* Two passes over the keys: count entries per distinct key, then place
 * them, so each key's entries are contiguous. */
static void place_entries(struct kh_index *ix, keyed_vec *keys)
{
    int buckets = 0;
    int *bucket_of = kh_xmalloc((keys->count + 1) * sizeof *bucket_of);
    ix->inflectable = kh_xcalloc(KH_INFLECTABLE_BITS / 8, 1);
    int *word_bucket = kh_xmalloc((ix->word.count + 1) * sizeof *word_bucket);
    for (size_t w = 0; w < ix->word.count; w++)
        word_bucket[w] = -1;
    for (size_t i = 0; i < keys->count; i++) {
        keyed_entry *k = &keys->items[i];
        note_inflectable(ix, k);
        int b;
        if (k->stem) {
            b = kh_strmap_get(&ix->stems, k->key, strlen(k->key));
            if (b < 0) {
                b = buckets++;
                kh_strmap_put(&ix->stems, k->key, b);
                note_stem_start(ix, k->key);
                if ((int)strlen(k->key) > ix->max_stem_len)
                    ix->max_stem_len = (int)strlen(k->key);
            }
        } else {
            int *wb = &word_bucket[kh_strmap_get(&ix->words, k->key, strlen(k->key))];
            if (*wb < 0)
                *wb = buckets++;
            b = *wb;
        }
        bucket_of[i] = b;
    }
    ix->bucket_total = buckets;
    ix->bucket_first = kh_xcalloc(buckets + 1, sizeof *ix->bucket_first);
    ix->bucket_count = kh_xcalloc(buckets + 1, sizeof *ix->bucket_count);
    for (size_t i = 0; i < keys->count; i++)
        ix->bucket_count[bucket_of[i]]++;
    for (int b = 1; b < buckets; b++)
        ix->bucket_first[b] = ix->bucket_first[b - 1] + ix->bucket_count[b - 1];
    int *fill = kh_xcalloc(buckets + 1, sizeof *fill);
    ix->entries = kh_xmalloc((keys->count + 1) * sizeof *ix->entries);
    ix->entry_needs = kh_xmalloc((keys->count + 1) * sizeof *ix->entry_needs);
    for (size_t i = 0; i < keys->count; i++) {
        int b = bucket_of[i], at = ix->bucket_first[b] + fill[b]++;
        ix->entries[at] = keys->items[i].entry;
        ix->entry_needs[at] = keys->items[i].needs;
    }
    for (size_t w = 0; w < ix->word.count; w++)
        if (word_bucket[w] >= 0) {
            ix->word.items[w]->first = ix->bucket_first[word_bucket[w]];
            ix->word.items[w]->count = ix->bucket_count[word_bucket[w]];
        }
    place_base_entries(ix, keys->count);
    free(word_bucket);
    free(fill);
    free(bucket_of);
}

/* ---- dictionary words in the tokenizer's terms ---- */

/* The tokenizer turns "didn't" into DID NOT and "Arnor's" into ARNOR 'S;
 * dictionary words written the old way are split the same way here, once,
 * so that matching compares like with like. */
static int split_word(const char *w, const char **first, const char **second)
{
    size_t n = strlen(w);
    if (n < 2 || w[n - 2] != '\'')
        return 0;                       /* all below end in 'T or 'S */
    if (strcmp(w, "N'T") == 0) {        /* TreeBank's "did n't" */
        *first = "NOT";
        *second = NULL;
        return 3;
    }
    if (n > 3 && strcmp(w + n - 3, "N'T") == 0) {
        if (strcmp(w, "WON'T") == 0) *first = "WILL";
        else if (strcmp(w, "CAN'T") == 0) *first = "CAN";
        else *first = NULL;
        *second = "NOT";
        return 1;
    }
    if (n > 2 && strcmp(w + n - 2, "'S") == 0) {
        *first = NULL;
        *second = "'S";
        return 2;
    }
    return 0;
}

/* TreeBank splits "can't" and "won't" into CA N'T and WO N'T. */
static void treebank_contractions(kh_elem *el, int count)
{
    for (int i = 0; i + 1 < count; i++) {
        if (el[i].kind != KH_EL_WORD || el[i + 1].kind != KH_EL_WORD ||
            strcmp(el[i + 1].word, "N'T") != 0)
            continue;
        if (strcmp(el[i].word, "CA") == 0)
            el[i].word = "CAN";
        else if (strcmp(el[i].word, "WO") == 0)
            el[i].word = "WILL";
    }
}

static void normalize_elems(kh_dict *dict, kh_elem **elems, int *count)
{
    treebank_contractions(*elems, *count);
    int extra = 0;
    const char *a, *b;
    int changed = 0;
    for (int i = 0; i < *count; i++) {
        int kind = (*elems)[i].kind == KH_EL_WORD ? split_word((*elems)[i].word, &a, &b) : 0;
        extra += kind == 1 || kind == 2;
        changed |= kind != 0;
    }
    if (!changed)
        return;
    kh_elem *out = kh_arena_alloc(&dict->arena, (*count + extra) * sizeof *out);
    int n = 0;
    for (int i = 0; i < *count; i++) {
        kh_elem e = (*elems)[i];
        int kind = e.kind == KH_EL_WORD ? split_word(e.word, &a, &b) : 0;
        if (!kind) {
            out[n++] = e;
            continue;
        }
        if (kind == 3) {
            out[n] = e;
            out[n++].word = a;
            continue;
        }
        size_t wl = strlen(e.word) - (kind == 1 ? 3 : 2);
        out[n] = e;
        out[n].word = a ? a : kh_arena_strndup(&dict->arena, e.word, wl);
        out[n].flags &= ~(KH_WORD_STEM | KH_WORD_TILDE);
        n++;
        out[n] = e;
        out[n].word = b;
        out[n].flags = (e.flags & ~KH_WORD_NEXT) | KH_WORD_NEXT;
        n++;
    }
    *elems = out;
    *count = n;
}

static void normalize_dictionary_words(kh_dict *dict)
{
    for (size_t i = 0; i < dict->patterns.count; i++)
        normalize_elems(dict, &dict->patterns.items[i].elems, &dict->patterns.items[i].count);
    for (size_t i = 0; i < dict->synsets.count; i++)
        for (int a = 0; a < dict->synsets.items[i].count; a++)
            normalize_elems(dict, &dict->synsets.items[i].alts[a],
                            &dict->synsets.items[i].alt_counts[a]);
}

static void note_stems_or_bases(struct kh_index *ix);

/* Replaces each word's value in the word map, its number while the index
 * was built, by its summary (KH_SUMMARY_*), now that its entries, stems
 * and bases are known. */
static void note_summaries(struct kh_index *ix)
{
    for (size_t w = 0; w < ix->word.count; w++) {
        const kh_index_word *word = ix->word.items[w];
        unsigned summary = word->bit | ((word->count | word->stems_or_bases) ? KH_SUMMARY_STARTS : 0);
        kh_strmap_put(&ix->words, word->text, (int)summary);
    }
}

struct kh_index *kh_index_build(kh_dict *dict)
{
    struct kh_index *ix = kh_xcalloc(1, sizeof *ix);
    kh_strmap_init(&ix->words);
    kh_strmap_init(&ix->stems);
    normalize_dictionary_words(dict);
    canonical_words(dict, ix);
    keyed_vec keys = {0};
    collect_keys(dict, ix, &keys);
    place_entries(ix, &keys);
    KH_VEC_FREE(&keys);
    sort_patterns(dict);
    collect_needs(dict, ix);
    collect_anchors(dict, ix);
    note_stems_or_bases(ix);
    note_summaries(ix);
    return ix;
}

void kh_index_free(struct kh_index *ix)
{
    if (!ix)
        return;
    kh_strmap_free(&ix->words);
    KH_VEC_FREE(&ix->word);
    kh_strmap_free(&ix->stems);
    free(ix->stem_lengths);
    free(ix->inflectable);
    free(ix->bucket_first);
    free(ix->bucket_count);
    free(ix->entries);
    free(ix->entry_needs);
    free(ix->base_entries);
    free(ix->base_entry_needs);
    free(ix->block_needs);
    free(ix->needs_store);
    free(ix->block_anchors);
    free(ix->synset_anchors);
    free(ix->chunk_store);
    free(ix->anchor_store);
    free(ix->synset_needs);
    free(ix->verb_forms);
    free(ix->verb_stem);
    free(ix);
}

/* Where kh_index_find looks, and what it calls. */
typedef struct find_ctx {
    const kh_index_sentence *s;
    size_t at;
    kh_index_visit found;
    void *ctx;
    /* The next token's dictionary word and first letter (NULL and 0 at
     * the end): most phrases' words are joined, and most second words
     * are tested against that token alone. */
    const char *next_canon;
    char next_first;
} find_ctx;

/* What is done with a run of entries that may start at the token:
 * visit_entries when looking up, has_entries when building.  The visit_
 * functions below are inlined at both, so that a lookup calls
 * visit_entries directly. */
typedef int (*entries_visit)(const kh_index_entry *e, const kh_word_set *needs, int count,
                             int own_word,
                             const find_ctx *f);

/* Can the entry's second word stand where it must (see kh_index_entry)? */
static int second_word_possible(const kh_index_entry *e, const find_ctx *f)
{
    if (!e->next_reach)
        return 1;
    if (e->next_reach == 1)
        return e->next_word ? f->next_canon == e->next_word : f->next_first == e->next_first;
    const kh_tokens *t = f->s->tokens;
    size_t end = f->at + e->next_reach < t->count ? f->at + e->next_reach + 1 : t->count;
    if (e->next_word) {
        for (size_t k = f->at + 1; k < end; k++)
            if (f->s->canon[k] == e->next_word)
                return 1;
        return 0;
    }
    for (size_t k = f->at + 1; k < end; k++)
        if (t->items[k].word[0] == e->next_first)
            return 1;
    return 0;
}

/* The `count` entries from e that may match at the token, for `found`;
 * `own_word` as in kh_index_visit. */
static int visit_entries(const kh_index_entry *e, const kh_word_set *needs, int count,
                         int own_word, const find_ctx *f)
{
    const kh_word_set have = f->s->bits;    /* in registers, past the calls */
    for (int i = 0; i < count; i++) {
        /* the second word first: mostly one compare (find_ctx), and it
         * turns away more of the entries than the words' bits do */
        if (!second_word_possible(&e[i], f) || !kh_word_set_covers(have, needs[i]))
            continue;
        if (f->found(f->ctx, &e[i], own_word))
            return 1;
    }
    return 0;
}

/* Stems that begin `word`, longest first, looked up only at the lengths
 * of the stems that begin as it does. */
KH_ALWAYS_INLINE int visit_stems(const struct kh_index *ix, const char *word, size_t n,
                                 const find_ctx *f, entries_visit visit)
{
    size_t max = n < (size_t)ix->max_stem_len ? n : (size_t)ix->max_stem_len;
    if (max < 2 || !ix->stem_lengths)
        return 0;
    uint32_t lengths = ix->stem_lengths[start_pair_slot(word)];
    if (!lengths)
        return 0;
    for (size_t len = max; len >= 2; len--) {
        if (!(lengths & stem_length_bit(len)))
            continue;
        int b = kh_strmap_get(&ix->stems, word, len);
        if (b >= 0 && visit(&ix->entries[ix->bucket_first[b]], &ix->entry_needs[ix->bucket_first[b]],
                            ix->bucket_count[b], 0, f))
            return 1;
    }
    return 0;
}

/* The entries keyed by dictionary word `canon` (NULL: none); with
 * `inflected`, `canon` is a base the token reduces to by a regular ending
 * ("MINISTERS" -> MINISTER), and only its base_entries can match. */
KH_ALWAYS_INLINE int visit_word(const struct kh_index *ix, const char *canon, int inflected,
                                const find_ctx *f, entries_visit visit)
{
    if (!canon)
        return 0;
    const kh_index_word *w = kh_index_word_of(canon);
    if (inflected)
        return visit(&ix->base_entries[w->base_first], &ix->base_entry_needs[w->base_first],
                     w->base_count, 0, f);
    return visit(&ix->entries[w->first], &ix->entry_needs[w->first], w->count, 1, f);
}

/* The regular endings and what replaces them, with the strings' lengths
 * written out, grouped by their last letter (kh_index_find tries only the
 * group of the word's last letter), each group longest ending first. */
static const struct { const char *end; const char *add; size_t el, al; } regular_rules[] = {
    {"IES", "Y", 3, 1}, {"ES", "", 2, 0}, {"S", "", 1, 0},
    {"IED", "Y", 3, 1}, {"ED", "", 2, 0}, {"ED", "E", 2, 1},
    {"ING", "", 3, 0}, {"ING", "E", 3, 1},
    {"EN", "", 2, 0}, {"EN", "E", 2, 1}};

/* The rules [*first, returned) for a word ending in `last`: none for most
 * words. */
static size_t rules_ending_in(char last, size_t *first)
{
    switch (last) {
    case 'S': *first = 0; return 3;
    case 'D': *first = 3; return 6;
    case 'G': *first = 6; return 8;
    case 'N': *first = 8; return 10;
    default: *first = 0; return 0;
    }
}

/* Does w[0..n) end with the el bytes of `end`?  An ending is one to three
 * bytes: compared here rather than by a call to memcmp for each rule. */
static int ends_with(const char *w, size_t n, const char *end, size_t el)
{
    for (size_t k = 0; k < el; k++)
        if (w[n - el + k] != end[k])
            return 0;
    return 1;
}

/* The one-word entries keyed by a base of `word` after a regular ending
 * ("MINISTERS" -> MINISTER), tried rule by rule.  A base's filter hash is
 * the word's prefix hash (one pass, since each group's endings shorten)
 * and the replacement's bytes; only a base whose hash is `inflectable` is
 * copied out and looked up. */
KH_ALWAYS_INLINE int visit_bases(const struct kh_index *ix, const char *word, size_t n,
                                 const find_ctx *f, entries_visit visit)
{
    size_t r, end = rules_ending_in(n ? word[n - 1] : 0, &r);
    uint32_t prefix = KH_FILTER_HASH_SEED;
    size_t hashed = 0;
    for (; r < end; r++) {
        size_t el = regular_rules[r].el, al = regular_rules[r].al;
        if (n <= el + 1 || n - el + al >= KH_MAX_INFLECTED_WORD ||
            !ends_with(word, n, regular_rules[r].end, el))
            continue;
        for (; hashed < n - el; hashed++)
            prefix = filter_hash_extend(prefix, word[hashed]);
        uint32_t h = prefix;
        for (size_t k = 0; k < al; k++)
            h = filter_hash_extend(h, regular_rules[r].add[k]);
        if (!bit_test(ix->inflectable, h & (KH_INFLECTABLE_BITS - 1)))
            continue;
        char base[KH_MAX_INFLECTED_WORD];
        memcpy(base, word, n - el);
        memcpy(base + (n - el), regular_rules[r].add, al + 1);
        if (visit_word(ix, kh_strmap_get_key(&ix->words, base, n - el + al), 1, f, visit))
            return 1;
    }
    return 0;
}

int kh_index_unknown_may_start(const struct kh_index *ix, const char *word, size_t n)
{
    size_t first;
    if (rules_ending_in(n ? word[n - 1] : 0, &first) != 0)
        return 1;
    return n >= 2 && ix->stem_lengths && ix->stem_lengths[start_pair_slot(word)];
}

/* The entries keyed by the stems and bases of the token f->at: apart
 * from kh_index_find, which most tokens leave before they get here, so
 * that the registers these loops take are saved only when they run. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static void find_stems_and_bases(const struct kh_index *ix, const find_ctx *f)
{
    const kh_token *tok = &f->s->tokens->items[f->at];
    if (visit_stems(ix, tok->word, tok->len, f, visit_entries))
        return;
    visit_bases(ix, tok->word, tok->len, f, visit_entries);
}

void kh_index_find(const struct kh_index *ix, const kh_index_sentence *s,
                   size_t at, kh_index_visit found, void *ctx)
{
    find_ctx f = {s, at, found, ctx, NULL, 0};
    if (at + 1 < s->tokens->count) {
        f.next_canon = s->canon[at + 1];
        f.next_first = s->tokens->items[at + 1].word[0];
    }
    const char *canon = s->canon[at];
    if (visit_word(ix, canon, 0, &f, visit_entries))
        return;
    if (canon && at != s->respelled && !kh_index_word_of(canon)->stems_or_bases)
        return;
    find_stems_and_bases(ix, &f);
}

/* A building entries_visit: are there any? */
static int has_entries(const kh_index_entry *e, const kh_word_set *needs, int count,
                       int own_word, const find_ctx *f)
{
    return count > 0;
}

/* Sets each word's stems_or_bases, once the stems and the base entries
 * are in place. */
static void note_stems_or_bases(struct kh_index *ix)
{
    for (size_t w = 0; w < ix->word.count; w++) {
        kh_index_word *word = ix->word.items[w];
        size_t n = strlen(word->text);
        word->stems_or_bases = visit_stems(ix, word->text, n, NULL, has_entries) ||
                               visit_bases(ix, word->text, n, NULL, has_entries);
    }
}

/* Is `word` dictionary word dw (dn bytes) with a regular ending?  `same`
 * is the length of their common beginning. */
static int has_regular_ending(const char *dw, size_t dn, const char *word, size_t same)
{
    static const char *const endings[] = {"S", "ES", "ED", "D", "ING", "EN", "N", NULL};
    if (strlen(word + same) + same <= dn)
        return 0;
    if (same == dn) {
        for (int i = 0; endings[i]; i++)
            if (strcmp(word + dn, endings[i]) == 0)
                return 1;
    }
    /* CARRY -> CARRIES, CARRIED; MAKE -> MAKING */
    if (dn > 1 && same >= dn - 1) {
        const char *rest = word + dn - 1;
        if (dw[dn - 1] == 'Y' && (strcmp(rest, "IES") == 0 || strcmp(rest, "IED") == 0))
            return 1;
        if (dw[dn - 1] == 'E' && strcmp(rest, "ING") == 0)
            return 1;
    }
    return 0;
}

/* One pass over the common beginning of the two words answers the
 * questions that a strcmp, a strncmp and two memcmp calls did: the
 * same word, a stem that begins the word, and where an ending starts. */
int kh_word_matches_slow(const char *dw, unsigned flags, const char *word, int endings)
{
    size_t same = 0;
    while (dw[same] && dw[same] == word[same])
        same++;
    if (!dw[same] && (!word[same] || (flags & (KH_WORD_STEM | KH_WORD_TILDE))))
        return 1;
    if (endings && !(flags & KH_WORD_NOENDINGS))
        return has_regular_ending(dw, same + strlen(dw + same), word, same);
    return 0;
}

int kh_index_is_verb_form(const struct kh_index *ix, int v, const char *word,
                          const char *canon)
{
    const kh_form_list *f = &ix->verb_forms[v];
    if (ix->verb_stem && ix->verb_stem[v] && strncmp(word, ix->verb_stem[v], strlen(ix->verb_stem[v])) == 0)
        return 1;
    if (!canon)
        return 0;   /* every form is a dictionary word */
    for (int i = 0; i < f->count; i++)
        if (f->forms[i] == canon)
            return 1;
    return 0;
}
