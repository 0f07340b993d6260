/*
 * coder.c -- turns a tagged sentence into events: splits clauses, picks
 * each clause's verb, tries the verb's patterns longest first, fills in
 * source and target by the default rules, and writes the events with
 * their provenance.
 *
 * The rules follow TABARI's sparse parse (TABARI manual, chapters 5 and 7)
 * because the peers' dictionaries were written for it; where PETRARCH-2
 * needs a parse tree we use the dictionary tags instead.
 */
#include "khaldun.h"
#include "coder.h"
#include "short_key.h"
#include "tag.h"
#include "util.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* Private event flag: the event came from a subordinate code ("023?") and
 * is dropped if the sentence has any other event. */
#define KH_EVENT_SUBORDINATE (1u << 16)

/* One actor of an event: a mention and one of its codes, a slice of a
 * code string that outlives the event's creation. */
typedef struct actor_ref {
    int mention;
    const char *code;
    size_t len;
} actor_ref;

typedef KH_VEC(actor_ref) actor_refs;

/* A token that may end a clause or a comma phrase: a stop, a comma or a
 * conjunction (is_clause_break, is_phrase_comma need one of them), with
 * the number of words before it. */
typedef struct phrase_mark {
    int at;
    int words_before;
} phrase_mark;

/* A sentence's phrase marks in token order, and after them one at the
 * sentence's length that counts all its words (find_phrase_marks). */
typedef KH_VEC(phrase_mark) phrase_marks;

/* A pattern of a verb block as first_match tries it, or an alternative
 * of a synset as match_synset does.  Trying a pattern read what it needs
 * (dict_index.h), its record (for the "+++" test), its list of whole
 * words and its elements: four misses, one after the other, for each of
 * the many patterns tried.  Here the first three are this one record,
 * two to a cache line, and the elements a copy in kh_coder.elems, each
 * block's patterns (each synset's alternatives) side by side in the
 * order they are tried.  The first word it needs whole is here too, so
 * that the many tried for a clause without it (most of a synset's
 * alternatives, one word each) are turned away before their elements
 * are read: those were the coder's most frequent misses. */
typedef struct pattern_try {
    /* The words of the pattern's needs (block_needs): the letters, which
     * turned away no pattern the words let through, make room for
     * first_whole.  A filter, so the patterns it lets through are the
     * same patterns tried. */
    uint64_t words[KH_WORD_SET_BITS / 64];
    const char *first_whole;        /* the first word it needs whole
                                       (needed_whole), or NULL */
    uint32_t at;                    /* its elements: kh_coder.elems.items[at ..] */
    unsigned count : 24;            /* how many, or TRY_LONG */
    unsigned complex : 1;           /* "+++": marks the sentence, codes nothing */
    /* Which of the first TRY_WHOLE_ELEMS elements are words it needs
     * whole (needed_whole): words_present looks them up, the first from
     * first_whole.  Only a filter, so a longer pattern's later words are
     * left to the match. */
    unsigned whole : 7;
} pattern_try;

/* Does the clause's word set `have` have the words of try `t`? */
static inline int try_covered(kh_word_set have, const pattern_try *t)
{
    _Static_assert(KH_WORD_SET_BITS == 128, "two words");
    return ((t->words[0] & ~have.words[0]) | (t->words[1] & ~have.words[1])) == 0;
}

#define TRY_WHOLE_ELEMS 7
/* The count of a pattern of this many elements or more, which only a
 * dictionary line of megabytes has: the element before its own in
 * kh_coder.elems holds its count (try_count_of). */
#define TRY_LONG ((1u << 24) - 1)
/* Tries are kept on cache-line boundaries, so that none of them spans
 * two lines. */
#define TRY_ALIGN 64
_Static_assert(TRY_ALIGN % sizeof(pattern_try) == 0, "whole tries to a cache line");

struct kh_coder {
    const kh_dict *dict;
    kh_coder_options options;
    kh_sentence sentence;
    kh_forward forward;     /* actors of the document's last sentence */
    FILE *explain;
    /* Per-token scratch, reused from sentence to sentence: tokens in
     * comma phrases that are not coded, and tokens a pattern matched. */
    KH_VEC(unsigned char) deleted;
    KH_VEC(unsigned char) used;
    /* Per verb of the sentence: is it used as a noun (used_as_noun)?
     * Asked several times of each verb, found once per sentence. */
    KH_VEC(unsigned char) nominal;
    /* The sentence's phrase marks: the comma phrases and the clauses are
     * found from these, not from a walk over every token each. */
    phrase_marks marks;
    /* The actors of the event being written, each side expanded
     * (expand_actor). */
    actor_refs sources, targets;
    /* Every verb block's patterns as first_match tries them: pattern i
     * of block b (in the block's order) is tries[block_from.items[b] +
     * i], of try_count, TRY_ALIGN-aligned in try_store.  Made once from
     * the frozen dictionary. */
    void *try_store;
    pattern_try *tries;
    size_t try_count;
    KH_VEC(kh_elem) elems;
    KH_VEC(size_t) block_from;
    /* The same for the alternatives of synsets: alternative a of synset
     * s is tries[synset_from.items[s] + a]. */
    KH_VEC(size_t) synset_from;
};

/* A zeroed per-token scratch array of `n` + 1 bytes from `v`. */
#define SCRATCH(v, n) \
    (KH_VEC_RESERVE((v), (n) + 1), memset((v)->items, 0, (n) + 1), (v)->items)

/* Is `code` one of TABARI's marker codes, three times `mark`: "---" (a
 * null actor or event), "###" (discard), "+++" (complex)?  A byte test,
 * not a call to strcmp: asked of every pattern tried and every actor. */
static int is_marker_code(const char *code, char mark)
{
    return code[0] == mark && code[1] == mark && code[2] == mark && code[3] == '\0';
}

/* A word of pattern element `el` that matches only a token with that
 * very word (match_whole_word) and must match for the pattern to: one
 * outside alternatives (`depth` 0) that takes no stem or ending. */
static int needed_whole(const kh_elem *el, int depth)
{
    return el->kind == KH_EL_WORD && depth == 0 && !(el->flags & (KH_WORD_STEM | KH_WORD_TILDE));
}

/* Appends a try of the `count` elements `el`, which need `needs`, to
 * c->tries (make_tries made room) and the elements to c->elems. */
static void add_try(kh_coder *c, const kh_elem *el, int count, int complex,
                    const kh_pattern_needs *needs)
{
    if (c->elems.count + (size_t)count > UINT32_MAX) {
        /* 64 GB of them: memory would have run out first */
        fprintf(stderr, "khaldun: out of memory (over 2^32 pattern elements)\n");
        abort();
    }
    unsigned n = (size_t)count < TRY_LONG ? (unsigned)count : TRY_LONG;
    if (n == TRY_LONG)
        *KH_VEC_PUSH(&c->elems) = (kh_elem){.synset = count};
    pattern_try *t = &c->tries[c->try_count++];
    *t = (pattern_try){{needs->whole.words[0], needs->whole.words[1]}, NULL,
                       (uint32_t)c->elems.count, n, (unsigned)complex, 0};
    int depth = 0;
    for (int k = 0; k < count; k++) {
        if (k < TRY_WHOLE_ELEMS && needed_whole(&el[k], depth)) {
            if (!t->whole)
                t->first_whole = el[k].word;
            t->whole |= 1u << k;
        }
        depth += (el[k].kind == KH_EL_ALT_BEGIN) - (el[k].kind == KH_EL_ALT_END);
        *KH_VEC_PUSH(&c->elems) = el[k];
    }
}

/* Fills c->tries, c->elems, c->block_from and c->synset_from, block by
 * block and then synset by synset. */
static void make_tries(kh_coder *c)
{
    const kh_dict *d = c->dict;
    size_t tries = 0, elems = 0;
    for (size_t b = 0; b < d->verbsets.count; b++)
        for (int i = 0; i < d->verbsets.items[b].pattern_count; i++, tries++)
            elems += (size_t)d->patterns.items[d->verbsets.items[b].patterns[i]].count;
    for (size_t s = 0; s < d->synsets.count; s++)
        for (int a = 0; a < d->synsets.items[s].count; a++, tries++)
            elems += (size_t)d->synsets.items[s].alt_counts[a];
    c->try_store = kh_xmalloc(tries * sizeof *c->tries + TRY_ALIGN);
    c->tries = (pattern_try *)(((uintptr_t)c->try_store + TRY_ALIGN - 1) & ~(uintptr_t)(TRY_ALIGN - 1));
    KH_VEC_RESERVE(&c->elems, elems + 1);
    KH_VEC_RESERVE(&c->block_from, d->verbsets.count + 1);
    for (size_t b = 0; b < d->verbsets.count; b++) {
        const kh_verbset *vs = &d->verbsets.items[b];
        const kh_pattern_needs *needs = d->index->block_needs[b];
        c->block_from.items[c->block_from.count++] = c->try_count;
        for (int i = 0; i < vs->pattern_count; i++) {
            const kh_pattern *p = &d->patterns.items[vs->patterns[i]];
            add_try(c, p->elems, p->count, is_marker_code(p->code.code, '+'), &needs[i]);
        }
    }
    KH_VEC_RESERVE(&c->synset_from, d->synsets.count + 1);
    for (size_t s = 0; s < d->synsets.count; s++) {
        const kh_synset *ss = &d->synsets.items[s];
        const kh_pattern_needs *needs = d->index->synset_needs[s];
        c->synset_from.items[c->synset_from.count++] = c->try_count;
        for (int a = 0; a < ss->count; a++)
            add_try(c, ss->alts[a], ss->alt_counts[a], 0, &needs[a]);
    }
}

kh_coder *kh_coder_new(const kh_dict *dict)
{
    if (!dict || !dict->frozen)
        return NULL;
    kh_coder *c = kh_xcalloc(1, sizeof *c);
    c->dict = dict;
    make_tries(c);
    kh_coder_options_default(&c->options);
    kh_sentence_init(&c->sentence);
    return c;
}

void kh_coder_free(kh_coder *c)
{
    if (!c)
        return;
    kh_sentence_free(&c->sentence);
    kh_forward_clear(&c->forward);
    KH_VEC_FREE(&c->deleted);
    KH_VEC_FREE(&c->used);
    KH_VEC_FREE(&c->nominal);
    KH_VEC_FREE(&c->marks);
    KH_VEC_FREE(&c->sources);
    KH_VEC_FREE(&c->targets);
    free(c->try_store);
    KH_VEC_FREE(&c->elems);
    KH_VEC_FREE(&c->block_from);
    KH_VEC_FREE(&c->synset_from);
    free(c);
}

void kh_coder_set_explain(kh_coder *c, FILE *stream) { c->explain = stream; }

void kh_coder_keep_syntax(kh_coder *c, int on) { c->sentence.want_syntax = on; }

void kh_coder_use_parse(kh_coder *c, const kh_parse *parse) { c->sentence.given = parse; }

void kh_coder_tag(kh_coder *c, const char *text, size_t len, long date)
{
    kh_tag_sentence(&c->sentence, c->dict, text, len, date, &c->options, NULL);
}

const kh_sentence *kh_coder_last_sentence(const kh_coder *c) { return &c->sentence; }

void kh_coder_begin_document(kh_coder *c) { kh_forward_clear(&c->forward); }

/* PETRARCH-2's behaviour with its PETR_config.ini defaults: the default,
 * because khaldun's own dictionaries are written in PETRARCH-2 syntax.
 * A middle or final comma phrase of 2 to 8 words is a nonrestrictive
 * clause ("..., the official news agency said") and is not coded. */
void kh_coder_options_default(kh_coder_options *o)
{
    memset(o, 0, sizeof *o);
    o->comma_min = 2;
    o->comma_max = 8;
    o->comma_end_min = 2;
    o->comma_end_max = 8;
    o->comma_begin_min = 0;
    o->comma_begin_max = 0;
    o->code_by = KH_CODE_BY_CLAUSE;
    o->require_dyad = 1;
    o->agents_as_actors = KH_AGENTS_PETRARCH;
    o->possessive_agents = 1;
    o->forward_pronouns = 1;
    o->comma_clauses = 1;
    o->syntax = 1;
}

/* TABARI 0.8's behaviour (its manual, chapters 5 to 8): comma limits 2 to
 * 10 with the opening phrase kept, eight-word minimum, agents only next
 * to their actor, modals coded, "###" actors discard, greedy subject. */
void kh_coder_options_tabari(kh_coder_options *o)
{
    kh_coder_options_default(o);
    o->comma_max = 10;
    o->comma_end_max = 10;
    o->comma_begin_min = 128;
    o->comma_clauses = 0;
    o->agents_as_actors = KH_AGENTS_IGNORE;
    o->min_words = 8;
    o->possessive_agents = 0;
    o->greedy_source = 1;
    o->modal_verbs = 1;
    o->actor_discards = 1;
    o->tabari_compounds = 1;
    o->possessive_pronouns = 1;
    o->forward_pronouns = 0;
    o->syntax = 0;
}

/* UD-PETRARCH keeps a list code whole, finds a passive verb's doer in any
 * of its prepositional phrases, codes "+++" actors like others and
 * matches a pattern's words before the verb only in its subject; its
 * suite expects all four (and PETRARCH-2's the opposite), so they are a
 * preset of their own. */
void kh_coder_options_ud(kh_coder_options *o)
{
    kh_coder_options_default(o);
    o->whole_code_lists = 1;
    o->passive_any_doer = 1;
    o->plus_actors_coded = 1;
    o->upper_in_subject = 1;
}

void kh_coder_set_options(kh_coder *c, const kh_coder_options *o) { c->options = *o; }

/* ---- words and codes ---- */

/* Is token `t` the word `w`, a string literal?  A compare of a length
 * known here, inlined, where strcmp would be a call: asked of many
 * tokens. */
#define TOKEN_IS(t, w) ((t)->len == sizeof w - 1 && memcmp((t)->word, w, sizeof w - 1) == 0)

/* ---- pattern matching ---- */

/* What a successful pattern match designated. */
typedef struct match_state {
    const kh_sentence *s;
    const kh_dict *dict;
    int clause_first, clause_last;
    const kh_verb_hit *verb;
    int source, target, compound;   /* mention indexes or -1 */
    int first_word;                 /* first token a pattern word matched */
    unsigned char *used;            /* tokens the pattern's words matched */
    int upper_first, upper_last;    /* where words before the verb may
                                       match; upper_first -1: anywhere */
    kh_word_set bits;               /* the clause's words (clause_bits) */
    const kh_coder *coder;          /* its tries of synset alternatives */
} match_state;

/* A continuation: the elements still to match after the current run. */
typedef struct frame {
    const kh_elem *el;
    int n;
    const struct frame *next;
} frame;

static int match_elems(match_state *ms, const kh_elem *el, int n,
                       const frame *rest, int pos, int adjacent);

static int continue_with(match_state *ms, const frame *rest, int pos, int adjacent)
{
    if (!rest)
        return 1;
    return match_elems(ms, rest->el, rest->n, rest->next, pos, adjacent);
}

/* The first mention starting in [pos, clause end]; with `adjacent`, only
 * one starting exactly at pos.  A compound group counts as one. */
static int mention_from(const match_state *ms, int pos, int adjacent, int want_compound)
{
    const kh_sentence *s = ms->s;
    for (int i = pos; i <= ms->clause_last; i++) {
        int m = s->mention_at.items[i];
        if (m >= 0 && s->mentions.items[m].first == i &&
            (!want_compound || s->mentions.items[m].compound >= 0))
            return m;
        if (adjacent)
            break;
    }
    return -1;
}

/* Last token of a mention, or of its whole compound group. */
static int mention_end(const kh_sentence *s, int m)
{
    int g = s->mentions.items[m].compound, end = s->mentions.items[m].last;
    if (g < 0)
        return end;
    for (size_t k = (size_t)m; k < s->mentions.count; k++) {
        const kh_mention *x = &s->mentions.items[k];
        if (x->compound != g)
            continue;
        if (x->pronoun)
            break;          /* a later "they" is not part of the phrase */
        end = x->last;
    }
    return end;
}

static int match_actor_elem(match_state *ms, const kh_elem *el, int n,
                            const frame *rest, int pos, int adjacent)
{
    int kind = el->kind;
    int m = mention_from(ms, pos, adjacent, kind == KH_EL_COMPOUND);
    if (m < 0)
        return 0;
    int saved_s = ms->source, saved_t = ms->target, saved_c = ms->compound;
    if (kind == KH_EL_SOURCE) ms->source = m;
    if (kind == KH_EL_TARGET) ms->target = m;
    if (kind == KH_EL_COMPOUND) ms->compound = m;
    if (match_elems(ms, el + 1, n - 1, rest, mention_end(ms->s, m) + 1, 0))
        return 1;
    ms->source = saved_s, ms->target = saved_t, ms->compound = saved_c;
    return 0;
}

/* Alternatives "{ a | b }_": each alternative followed by what comes after
 * the closing brace. */
static int match_alternatives(match_state *ms, const kh_elem *el, int n,
                              const frame *rest, int pos, int adjacent)
{
    int depth = 0, end = -1;
    for (int i = 0; i < n; i++) {
        if (el[i].kind == KH_EL_ALT_BEGIN) depth++;
        if (el[i].kind == KH_EL_ALT_END && --depth == 0) { end = i; break; }
    }
    if (end < 0)
        return 0;
    frame after = {el + end + 1, n - end - 1, rest};
    int start = 1;
    for (int i = 1; i <= end; i++) {
        int d = 0;
        for (int k = 1; k < i; k++)
            d += (el[k].kind == KH_EL_ALT_BEGIN) - (el[k].kind == KH_EL_ALT_END);
        if (d == 0 && (el[i].kind == KH_EL_ALT_OR || i == end)) {
            if (match_elems(ms, el + start, i - start, &after, pos, adjacent))
                return 1;
            start = i + 1;
        }
    }
    return 0;
}

/* The number of elements of try `t`, whose elements are `el`. */
static int try_count_of(const pattern_try *t, const kh_elem *el)
{
    return t->count < TRY_LONG ? (int)t->count : el[-1].synset;
}

static int clause_has_word(const match_state *ms, const char *canon);

static int match_synset(match_state *ms, const kh_elem *el, int n,
                        const frame *rest, int pos, int adjacent)
{
    if (el->synset < 0 || (size_t)el->synset >= ms->dict->synsets.count)
        return 0;
    const kh_coder *c = ms->coder;
    const pattern_try *tries = c->tries + c->synset_from.items[el->synset];
    const kh_anchors *anchors = &ms->dict->index->synset_anchors[el->synset];
    frame after = {el + 1, n - 1, rest};
    /* An alternative that needs a word the clause lacks cannot match,
     * and a failed match leaves nothing behind: it is passed over. */
    int matched = 0;
    for (int w = 0; w < anchors->chunks && !matched; w++)
        for (uint64_t m = kh_anchors_candidates(anchors, w, ms->bits); m && !matched;
             m &= m - 1) {
            const pattern_try *t = &tries[w * 64 + __builtin_ctzll(m)];
            const kh_elem *alt = c->elems.items + t->at;
            matched = try_covered(ms->bits, t) &&
                      (!t->first_whole || clause_has_word(ms, t->first_whole)) &&
                      match_elems(ms, alt, try_count_of(t, alt), &after, pos, adjacent);
        }
    return matched;
}

/* The pattern word matched token i and the rest matched after it. */
static int word_matched(match_state *ms, int i)
{
    if (i < ms->first_word)
        ms->first_word = i;
    ms->used[i] = 1;
    return 1;
}

/* A word that takes no stem or ending matches only the tokens with the
 * very same word: those are visited through the sentence's word links
 * instead of reading every token of the clause. */
static int match_whole_word(match_state *ms, const kh_elem *el, int n,
                            const frame *rest, int pos, int adjacent)
{
    const kh_sentence *s = ms->s;
    int i = kh_sentence_first_word(s, el->word);
    while (i >= 0 && i < pos)
        i = s->next_same.items[i];
    for (; i >= 0 && i <= ms->clause_last; i = s->next_same.items[i]) {
        if (adjacent && i != pos)
            break;
        if ((s->tokens.items[i].flags & KH_TOK_WORD) &&
            match_elems(ms, el + 1, n - 1, rest, i + 1, 0))
            return word_matched(ms, i);
        if (adjacent)
            break;
    }
    return 0;
}

static int match_word(match_state *ms, const kh_elem *el, int n,
                      const frame *rest, int pos, int adjacent)
{
    if (!(el->flags & (KH_WORD_STEM | KH_WORD_TILDE)))
        return match_whole_word(ms, el, n, rest, pos, adjacent);
    const kh_tokens *t = &ms->s->tokens;
    for (int i = pos; i <= ms->clause_last; i++) {
        const kh_token *tok = &t->items[i];
        if ((tok->flags & KH_TOK_WORD) &&
            kh_word_matches_token(el->word, el->flags, tok->word,
                                  ms->s->canon.items[i], 0) &&
            match_elems(ms, el + 1, n - 1, rest, i + 1, 0))
            return word_matched(ms, i);
        if (adjacent)
            break;
    }
    return 0;
}

static int match_elems(match_state *ms, const kh_elem *el, int n,
                       const frame *rest, int pos, int adjacent)
{
    if (n == 0)
        return continue_with(ms, rest, pos, adjacent);
    adjacent |= (el->flags & KH_WORD_NEXT) != 0;
    /* Words and the verb, the most elements, are told apart by tests of
     * their own before the switch: its one jump for every kind went
     * wrong whenever the kind changed from one element to the next. */
    if (el->kind == KH_EL_WORD)
        return match_word(ms, el, n, rest, pos, adjacent);
    if (el->kind == KH_EL_VERB) {
        if (ms->verb->first < pos || (adjacent && ms->verb->first != pos))
            return 0;
        return match_elems(ms, el + 1, n - 1, rest, ms->verb->last + 1, 0);
    }
    switch (el->kind) {
    case KH_EL_SOURCE:
    case KH_EL_TARGET:
    case KH_EL_COMPOUND:
        return match_actor_elem(ms, el, n, rest, pos, adjacent);
    case KH_EL_SKIP: {
        int m = mention_from(ms, pos, adjacent, 0);
        return m >= 0 && match_elems(ms, el + 1, n - 1, rest, mention_end(ms->s, m) + 1, 0);
    }
    case KH_EL_SYNSET:
        return match_synset(ms, el, n, rest, pos, adjacent);
    case KH_EL_ALT_BEGIN:
        return match_alternatives(ms, el, n, rest, pos, adjacent);
    default:                /* group markers are transparent */
        return match_elems(ms, el + 1, n - 1, rest, pos, adjacent);
    }
}

/* Does a token of the clause have dictionary word `canon`? */
static int clause_has_word(const match_state *ms, const char *canon)
{
    int i = kh_sentence_first_word(ms->s, canon);
    while (i >= 0 && i < ms->clause_first)
        i = ms->s->next_same.items[i];
    return i >= 0 && i <= ms->clause_last;
}

/* Every word of the pattern outside alternatives must match for the
 * pattern to, and a word that takes no stem or ending matches only a
 * token with that very word (match_whole_word).  The word sets let
 * through more than half the patterns tried with such a word missing
 * from the clause (two words share a bit); looking the words up first
 * turns those away before the elements ahead of them are matched.
 * `el` are the pattern's elements, `whole` which are such words
 * (pattern_try). */
static int words_present(const match_state *ms, const pattern_try *t, const kh_elem *el)
{
    if (!t->whole)
        return 1;
    if (!clause_has_word(ms, t->first_whole))
        return 0;           /* the elements not read */
    for (unsigned whole = t->whole & (t->whole - 1); whole; whole &= whole - 1)
        if (!clause_has_word(ms, el[__builtin_ctz(whole)].word))
            return 0;
    return 1;
}

/* Tries pattern `t`, whose elements are `el`, against the clause; fills
 * ms on success. */
static int pattern_matches(match_state *ms, const pattern_try *t, const kh_elem *el)
{
    if (!words_present(ms, t, el))
        return 0;
    ms->source = ms->target = ms->compound = -1;
    /* first_word and used are written only on the way back from a
     * successful match, so a failed pattern leaves nothing to undo and
     * `used` is cleared once per verb, not once per pattern. */
    ms->first_word = ms->verb->first;
    if (!match_elems(ms, el, try_count_of(t, el), NULL, ms->clause_first, 0))
        return 0;
    if (ms->upper_first < 0 || ms->first_word >= ms->verb->first)
        return 1;
    for (int i = ms->first_word; i < ms->verb->first; i++)
        if (ms->used[i] && (i < ms->upper_first || i > ms->upper_last)) {
            memset(ms->used + ms->clause_first, 0,
                   (size_t)(ms->clause_last - ms->clause_first + 1));
            return 0;   /* the words before the verb are not its subject's */
        }
    return 1;
}

/* ---- clauses and verbs ---- */

/* Might token `t` be one of a few short words, no two of a length with
 * different first letters?  `first[n]` is the first letter of the one
 * of n letters, 0 for none.  Worked out without a branch, so that the
 * tests of length and letters behind it, which went wrong for one
 * token in several, are made only for the few tokens that pass. */
static int may_be_one_of(const kh_token *t, const char first[8])
{
    return (t->len < 8) & (t->word[0] == first[t->len & 7]) & (t->word[0] != '\0');
}

/* THE, A or AN.  Three compares of known length, not a list: asked of
 * the word before every verb. */
static int is_article(const kh_token *t)
{
    static const char first[8] = {0, 'A', 'A', 'T'};
    return may_be_one_of(t, first) &&
           (TOKEN_IS(t, "THE") || TOKEN_IS(t, "A") || TOKEN_IS(t, "AN"));
}

/* A word of a closed list (word_in), with its length.  The words of a
 * list are side by side in a few cache lines: a list of pointers sent
 * each compare to a string of its own, a miss for many of them. */
#define LIST_WORD_MAX 9
typedef struct list_word {
    unsigned char len;
    char word[LIST_WORD_MAX + 1];
} list_word;

/* A list_word of the string literal `w`; LW_END ends a list. */
#define LW(w) {sizeof w - 1, w}
#define LW_END {0, ""}
_Static_assert(sizeof "SEPTEMBER" - 1 <= LIST_WORD_MAX, "the longest listed word fits");

/* Is token `t` one of the words of `list`?  Asked of many tokens: the
 * first letters and lengths are compared first, and the few letters of
 * a word that passes here, not in a call; inlined, so that each list's
 * tests are branches of their own, each predicted for its list. */
KH_ALWAYS_INLINE int word_in(const kh_token *t, const list_word *list)
{
    for (; list->len; list++) {
        if (t->word[0] != list->word[0] || t->len != list->len)
            continue;
        unsigned k = 1;
        while (k < t->len && t->word[k] == list->word[k])
            k++;
        if (k == t->len)
            return 1;
    }
    return 0;
}

/* A verb-looking word used as a noun: after an article ("the
 * restore"), or capitalised inside the sentence ("To Restore", TABARI's
 * rule), unless the whole text is in capitals.  Only articles shift a
 * verb to a noun: possessives ("their meeting") are left to the
 * patterns, as in TABARI. */
static int reads_as_noun(const kh_sentence *s, const kh_verb_hit *v)
{
    const kh_token *t = s->tokens.items;

    if (v->first > 0 && is_article(&t[v->first - 1]))
        return 1;
    /* Capitalised mid-sentence: a noun, unless the text is in title case
     * or capitals throughout (headlines). */
    return v->first > 0 && (t[v->first].flags & KH_TOK_CAPITAL) && !s->title_case;
}

/* Finds reads_as_noun for every verb of the coder's sentence. */
static void find_nominal_verbs(kh_coder *c)
{
    const kh_sentence *s = &c->sentence;
    KH_VEC_RESERVE(&c->nominal, s->verbs.count + 1);
    for (size_t k = 0; k < s->verbs.count; k++)
        c->nominal.items[k] = (unsigned char)reads_as_noun(s, &s->verbs.items[k]);
}

/* Verb v of the coder's sentence is used as a noun (find_nominal_verbs). */
static int used_as_noun(const kh_coder *c, const kh_verb_hit *v)
{
    return c->nominal.items[v - c->sentence.verbs.items];
}

static const list_word auxiliaries[] = {
    LW("WILL"), LW("WOULD"), LW("SHALL"), LW("SHOULD"), LW("CAN"), LW("COULD"), LW("MAY"),
    LW("MIGHT"), LW("MUST"), LW("HAS"), LW("HAVE"), LW("HAD"), LW("IS"), LW("ARE"), LW("WAS"),
    LW("WERE"), LW("BE"), LW("BEEN"), LW("DO"), LW("DOES"), LW("DID"), LW_END};

/* How far ahead an auxiliary looks for the verb it helps ("should have
 * acted", "has again appealed"). */
#define KH_AUXILIARY_REACH 3

/* "Ethiopia should have acted": a modal or auxiliary that a dictionary
 * lists as a verb is not the clause's verb when a verb follows it.
 * PETRARCH knows this from the parse tree (MD, VBZ); TABARI codes the
 * word, so the option is off for TABARI suites. */
static int is_auxiliary(const kh_coder *c, const kh_sentence *s, const kh_verb_hit *v)
{
    if (c->options.modal_verbs)
        return 0;
    /* the verb after it first: few verbs have one, and the list is long;
     * the tokens ahead are asked together, not each by a branch */
    size_t n = s->tokens.count;
    int verb_ahead = 0;
    for (int k = 1; k <= KH_AUXILIARY_REACH; k++) {
        size_t i = (size_t)v->last + (size_t)k;
        verb_ahead |= (i < n) & (s->tags.items[i < n ? i : 0] == KH_TAG_VERB);
    }
    return verb_ahead && word_in(&s->tokens.items[v->head], auxiliaries);
}

/* Clause boundaries: conjunctions that do not join a compound actor, and
 * semicolons.  `ends[k]` is the last token of clause k. */
/* Is the conjunction at i the joint of a compound actor? */
static int is_compound_conj(const kh_sentence *s, int i)
{
    int before = -1, after = -1;
    for (int k = i - 1; k >= 0 && before < 0; k--) {
        if (s->mention_at.items[k] >= 0) before = s->mention_at.items[k];
        else if (!(s->tokens.items[k].flags & KH_TOK_COMMA)) break;
    }
    for (size_t k = (size_t)i + 1; k < s->tokens.count && after < 0; k++) {
        if (s->mention_at.items[k] >= 0) after = s->mention_at.items[k];
        else if (s->tags.items[k] != KH_TAG_NONE) break;
    }
    return before >= 0 && after >= 0 && s->mentions.items[before].compound >= 0 &&
           s->mentions.items[before].compound == s->mentions.items[after].compound;
}

static int is_compound_comma(const kh_sentence *s, int i);
static int is_date_comma(const kh_sentence *s, int i);

/* Does the phrase from token i on read as a clause of its own: a subject
 * (article, actor or pronoun first) and then a verb before the next
 * comma?  "..., a senior official said on Saturday" does; "..., almost
 * five years after ..." and "complete, full diplomatic ties" do not. */
static int starts_clause(const kh_sentence *s, int i)
{
    if ((size_t)i >= s->tokens.count)
        return 0;
    if (!(s->tags.items[i] == KH_TAG_ACTOR || s->tags.items[i] == KH_TAG_PRONOUN ||
          is_article(&s->tokens.items[i])))
        return 0;
    for (size_t k = (size_t)i; k < s->tokens.count; k++) {
        if (s->tokens.items[k].flags & (KH_TOK_COMMA | KH_TOK_STOP))
            return 0;
        if (s->tags.items[k] == KH_TAG_VERB)
            return 1;
    }
    return 0;
}

/* With syntax, does the conjunction at i join clauses: is the next verb
 * group right after it ("attacked and looted") or its subject after it
 * ("... and Rohan attacked")?  "a bombing and shelling offensive against
 * ..." joins nouns, though SHELLING is a dictionary verb. */
static int joins_verb_groups(const kh_sentence *s, int i)
{
    const kh_chunking *ch = &s->chunks;
    for (size_t g = 0; g < ch->groups.count; g++) {
        const kh_vgroup *vg = &ch->groups.items[g];
        if (vg->first <= i)
            continue;
        int subject_first = vg->subject >= 0 ? ch->nps.items[vg->subject].first : -1;
        return vg->first == i + 1 || subject_first > i;
    }
    return 0;
}

static int is_clause_break(const kh_coder *c, const kh_sentence *s, int i, int clause_first)
{
    const kh_token *t = &s->tokens.items[i];
    if (t->flags & KH_TOK_STOP)
        return t->word[0] == ';';
    /* PETRARCH's parse makes each comma phrase with a verb its own
     * clause ("..., a senior official said on Saturday") */
    if ((t->flags & KH_TOK_COMMA) && c->options.comma_clauses && !is_compound_comma(s, i) &&
        !is_date_comma(s, i))
        return starts_clause(s, i + 1);
    if (s->tags.items[i] != KH_TAG_CONJ)
        return 0;
    /* "Ithilen's awful and evil minister": a conjunction before the
     * clause has a verb joins words, not clauses. */
    int verb_before = 0;
    for (int k = clause_first; k < i && !verb_before; k++)
        verb_before = s->tags.items[k] == KH_TAG_VERB;
    if (!verb_before || (s->has_syntax && !joins_verb_groups(s, i)))
        return 0;
    return !is_compound_conj(s, i);
}

static const list_word passive_aux[] = {
    LW("WAS"), LW("WERE"), LW("IS"), LW("ARE"), LW("BEEN"), LW("BEING"), LW("BE"), LW("GET"),
    LW("GOT"), LW_END};

/* "Gondor was attacked by Arnor": an auxiliary of BE before the verb and a
 * participle form (not the lemma itself). */
static int is_passive(const kh_sentence *s, const kh_dict *dict, const kh_verb_hit *v)
{
    /* With syntax the verb group knows: a form of BE or GET before a verb
     * that is not in -ING, adverbs and negation between ("has not yet
     * been attacked"). */
    int group = s->has_syntax ? s->chunks.group_of[v->head] : -1;
    if (group >= 0)
        return (s->chunks.groups.items[group].flags & KH_VG_PASSIVE) != 0;
    const kh_token *t = s->tokens.items;
    int head = v->head;
    const char *w = t[head].word;
    const kh_verb *verb = &dict->verbs.items[v->verb];
    if (strcmp(w, verb->words.words[verb->head]) == 0)
        return 0;
    size_t n = strlen(w);
    if (strcmp(w + (n > 3 ? n - 3 : 0), "ING") == 0)
        return 0;
    for (int k = head - 1; k >= 0 && k >= head - 3; k--) {
        if (word_in(&t[k], passive_aux))
            return 1;
        if (s->tags.items[k] == KH_TAG_ACTOR || (t[k].flags & (KH_TOK_COMMA | KH_TOK_STOP)))
            break;
    }
    return 0;
}

/* How a verb is negated: not at all, in its own verb group ("did not
 * clash", "refused to clash"), or only through the group it complements
 * ("will not try to clash"). */
enum { NEG_NONE, NEG_OWN, NEG_GOVERNOR };

/* With syntax, a negation in another verb group negates that group's
 * verb: the event stays negated, but it is not the verb's own negation,
 * which an ontology turns into the opposite event (PETRARCH codes "will
 * not try to clash" as a clash, "will not clash" as its opposite). */
static int negation_scope(const kh_sentence *s, const kh_verb_hit *v, int k)
{
    if (!s->has_syntax)
        return NEG_OWN;
    int g = s->chunks.group_of[k];
    if (g < 0)
        return NEG_OWN;
    /* a multi-word verb the chunker split ("will not wire tap": WIRE and
     * TAP tagged as two verbs) is still one verb */
    for (int i = v->first; i <= v->last; i++)
        if (s->chunks.group_of[i] == g)
            return NEG_OWN;
    return NEG_GOVERNOR;
}

static const list_word refusals[] = {
    LW("REFUSED"), LW("REFUSES"), LW("REFUSE"), LW("DECLINED"), LW("DECLINES"), LW("FAILED"),
    LW("FAILS"), LW_END};

/* "did not attack", "never attacked", "refused to attack": NEG_*.  Words
 * from `from` on belong to the pattern that fired, which codes them
 * itself. */
static int is_negated(const kh_sentence *s, const kh_verb_hit *v, int from)
{
    const kh_token *t = s->tokens.items;
    for (int k = from - 1; k >= 0 && k >= v->first - 4; k--) {
        if (s->tags.items[k] == KH_TAG_NEGATION)
            return negation_scope(s, v, k);
        if (TOKEN_IS(&t[k], "TO") && k > 0 && word_in(&t[k - 1], refusals))
            return NEG_OWN;
        if (s->tags.items[k] == KH_TAG_ACTOR || (t[k].flags & (KH_TOK_COMMA | KH_TOK_STOP)))
            break;
    }
    return 0;
}

/* ---- comma-delimited clauses (TABARI manual 7.8 and 8.6) ---- */

static int is_compound_comma(const kh_sentence *s, int i)
{
    int before = i > 0 ? s->mention_at.items[i - 1] : -1;
    int after = -1;
    for (size_t k = (size_t)i + 1; k < s->tokens.count; k++) {
        if (TOKEN_IS(&s->tokens.items[k], "AND"))
            continue;
        after = s->mention_at.items[k];
        break;
    }
    return before >= 0 && after >= 0 && s->mentions.items[before].compound >= 0 &&
           s->mentions.items[before].compound == s->mentions.items[after].compound;
}

/* Fills `marks` from the sentence in one pass over its tokens. */
static void find_phrase_marks(const kh_sentence *s, phrase_marks *marks)
{
    size_t n = s->tokens.count;
    const kh_token *t = s->tokens.items;
    const unsigned char *tags = s->tags.items;
    KH_VEC_RESERVE(marks, n + 1);
    phrase_mark *m = marks->items;
    int words = 0;
    _Static_assert(KH_TOK_WORD == 1, "a token's flags count its words");
    for (size_t i = 0; i < n; i++) {
        unsigned flags = t[i].flags;
        if ((flags & (KH_TOK_STOP | KH_TOK_COMMA)) || tags[i] == KH_TAG_CONJ)
            *m++ = (phrase_mark){(int)i, words};
        words += (int)(flags & KH_TOK_WORD);
    }
    *m = (phrase_mark){(int)n, words};
    marks->count = (size_t)(m - marks->items);   /* the last one is past the count */
}

/* The words of the tokens from mark `m` on, `m` itself excluded: the
 * words of a phrase that starts after the mark are those before the
 * next mark less these. */
static int words_through(const kh_sentence *s, const phrase_mark *m)
{
    return m->words_before + ((s->tokens.items[m->at].flags & KH_TOK_WORD) != 0);
}

static int in_range(int w, int min, int max) { return w >= min && w <= max; }

/* Marks tokens of nonrestrictive comma clauses in `deleted`.  Phrases are
 * chained: each starts at the comma that ended the previous one. */
static const list_word month_words[] = {
    LW("JANUARY"), LW("FEBRUARY"), LW("MARCH"), LW("APRIL"), LW("MAY"), LW("JUNE"), LW("JULY"),
    LW("AUGUST"), LW("SEPTEMBER"), LW("OCTOBER"), LW("NOVEMBER"), LW("DECEMBER"), LW("JAN."),
    LW("FEB."), LW("MAR."), LW("APR."), LW("JUN."), LW("JUL."), LW("AUG."), LW("SEP."),
    LW("SEPT."), LW("OCT."), LW("NOV."), LW("DEC."), LW_END};

static int number_of_digits(const kh_sentence *s, int i, size_t min, size_t max)
{
    if (i < 0 || (size_t)i >= s->tokens.count || !(s->tokens.items[i].flags & KH_TOK_NUMBER))
        return 0;
    size_t n = s->tokens.items[i].len;
    return n >= min && n <= max;
}

/* "on March 27, 2011, to carry out ...": the commas around the year
 * belong to the date, not to a comma-delimited phrase. */
static int is_date_comma(const kh_sentence *s, int i)
{
    int day_year = number_of_digits(s, i - 1, 1, 2) && i >= 2 &&
                   word_in(&s->tokens.items[i - 2], month_words) &&
                   number_of_digits(s, i + 1, 4, 4);
    int after_year = number_of_digits(s, i - 1, 4, 4) && i >= 4 &&
                     (s->tokens.items[i - 2].flags & KH_TOK_COMMA) &&
                     number_of_digits(s, i - 3, 1, 2) &&
                     word_in(&s->tokens.items[i - 4], month_words);
    return day_year || after_year;
}

/* With syntax, "complete, full diplomatic ties": a comma between two
 * adjectives lists them inside a noun phrase and delimits no clause. */
static int is_adjective_comma(const kh_sentence *s, int i)
{
    return s->has_syntax && i > 0 && (size_t)i + 1 < s->tokens.count &&
           s->upos.items[i - 1] == KH_UPOS_ADJ && s->upos.items[i + 1] == KH_UPOS_ADJ;
}

static int is_phrase_comma(const kh_sentence *s, int i)
{
    return (s->tokens.items[i].flags & KH_TOK_COMMA) && !is_compound_comma(s, i) &&
           !is_date_comma(s, i) && !is_adjective_comma(s, i);
}

/* With syntax, a comma phrase that holds the sentence's main verb is not
 * a nonrestrictive clause: in "Iran, which backs the rebels, accused
 * Saudi Arabia of aggression" the last phrase is the predicate of Iran.
 * The main verb's group governs nothing, is in no relative clause, and
 * has its subject before the phrase. */
static int holds_main_verb(const kh_sentence *s, int first, int last)
{
    if (!s->has_syntax)
        return 0;
    const kh_chunking *c = &s->chunks;
    for (size_t g = 0; g < c->groups.count; g++) {
        const kh_vgroup *v = &c->groups.items[g];
        if (v->head < first || v->head > last || v->governor >= 0 || v->subject < 0 ||
            (v->flags & KH_VG_RELATIVE))
            continue;
        if (c->nps.items[v->subject].last < first)
            return 1;
    }
    return 0;
}

static void delete_phrase(const kh_sentence *s, unsigned char *deleted, int from, int to)
{
    if (!holds_main_verb(s, from, to - 1))
        memset(deleted + from, 1, (size_t)(to - from));
}

/* Only the marks (find_phrase_marks) can be commas, and the words
 * between two commas are a difference of their counts. */
static void mark_comma_clauses(const kh_sentence *s, const kh_coder_options *o,
                               const phrase_marks *marks, unsigned char *deleted)
{
    int n = (int)s->tokens.count, prev = -1, prev_words = 0;
    memset(deleted, 0, n);
    for (size_t k = 0; k < marks->count; k++) {
        int i = marks->items[k].at;
        if (!is_phrase_comma(s, i))
            continue;
        int words = marks->items[k].words_before - prev_words;
        if (prev < 0) {
            if (in_range(words, o->comma_begin_min, o->comma_begin_max))
                memset(deleted, 1, i + 1);
        } else if (in_range(words, o->comma_min, o->comma_max)) {
            delete_phrase(s, deleted, prev, i);
        }
        prev = i;
        prev_words = words_through(s, &marks->items[k]);
    }
    /* A trailing stop is not part of the final phrase; the words from
     * `last` on are the stops', if any is a word. */
    int last = n, words_from_last = 0;
    while (last > 0 && (s->tokens.items[last - 1].flags & KH_TOK_STOP))
        words_from_last += (s->tokens.items[--last].flags & KH_TOK_WORD) != 0;
    int final_words = marks->items[marks->count].words_before - words_from_last - prev_words;
    /* without a final stop the text may be cut short: keep it */
    if (prev >= 0 && last < n && in_range(final_words, o->comma_end_min, o->comma_end_max))
        delete_phrase(s, deleted, prev, last);
}

/* ---- choosing source and target ---- */

typedef struct clause_ctx {
    kh_coder *c;
    const kh_sentence *s;
    const unsigned char *deleted;
    int first, last;          /* clause token range */
    kh_word_set bits;         /* word set of the clause's tokens
                                 (dict_index.h) */
    int sentence_source;      /* source carried from an earlier clause */
    int complex_code;         /* a "+++" code was used: code nothing */
    unsigned char *used;      /* scratch: tokens a pattern's words matched */
    int used_dirty;           /* a pattern matched since `used` was cleared */
    int statement;            /* the verb being coded makes a statement (01x) */
    int patterns_only;        /* code the verb only if a pattern matches */
    char *new_source, *new_target;  /* PETRARCH "new actors" of the verb
                                       being coded, owned here */
    kh_events *out;
    int events;
} clause_ctx;

static const char *code_of(const kh_sentence *s, int m)
{
    return kh_mention_code(&s->mentions.items[m]);
}

static int is_null_actor(const kh_sentence *s, int m)
{
    const char *code = code_of(s, m);
    return !code || !*code || is_marker_code(code, '-');
}

/* First usable mention in [from, to] whose code differs from `not_code`.
 * The mentions are sorted by their first token, and a sentence has a few
 * of them against dozens of tokens, so they are read instead of the
 * tokens; of the mentions that start at a token, the token's own is the
 * one mention_at names. */
static int first_mention(const clause_ctx *cc, int from, int to, const char *not_code,
                         int exclude)
{
    const kh_sentence *s = cc->s;
    for (int m = 0; m < (int)s->mentions.count; m++) {
        int i = s->mentions.items[m].first;
        if (i < from)
            continue;
        if (i > to)
            break;
        if (s->mention_at.items[i] != m || cc->deleted[i] || m == exclude)
            continue;
        /* words the pattern used are not actors: "provided military aid
         * to Ukraine" must not take MILITARY as the target */
        if (cc->used[i])
            continue;
        if (is_null_actor(s, m))
            continue;
        if (not_code && strcmp(code_of(s, m), not_code) == 0)
            continue;
        return m;
    }
    return -1;
}

/* "... attacked by Arnor": the first actor after BY right after the verb. */
/* Adverbs that may stand between a passive verb and BY: "was opposed
 * earlier by Osgiliath". */
#define KH_PASSIVE_MAX_ADVERBS 2

static int passive_agent(const clause_ctx *cc, const kh_verb_hit *v)
{
    int by = v->last + 1;
    while (by <= cc->last && by <= v->last + KH_PASSIVE_MAX_ADVERBS &&
           cc->s->tags.items[by] == KH_TAG_NONE && !TOKEN_IS(&cc->s->tokens.items[by], "BY") &&
           (cc->s->tokens.items[by].flags & KH_TOK_WORD))
        by++;
    if (by > cc->last || !TOKEN_IS(&cc->s->tokens.items[by], "BY"))
        return -1;
    return first_mention(cc, by + 1, cc->last, NULL, -1);
}

/* A verb of saying ("said", coded 01x or subordinate "023?") introduces
 * another clause whose own subject does the acting. */
static int is_attribution(const clause_ctx *cc, const kh_verb_hit *v)
{
    const kh_dict *d = cc->c->dict;
    const kh_verb *verb = &d->verbs.items[v->verb];
    const kh_code *code = verb->code.code[0] ? &verb->code : &d->verbsets.items[verb->verbset].code;
    if (used_as_noun(cc->c, v))
        return 0;
    return (code->flags & KH_CODE_SUBORDINATE) || strncmp(code->code, "01", 2) == 0;
}

static const list_word adverbial_openers[] = {
    LW("AFTER"), LW("BEFORE"), LW("WHILE"), LW("DURING"), LW("UNTIL"), LW("BECAUSE"),
    LW("ALTHOUGH"), LW("THOUGH"), LW("WHEN"), LW("WHEREAS"), LW_END};

/* May the verb's object be the mention that starts at token `at`?  A
 * statement is addressed to an actor named before any clause of time or
 * reason: in "said on Monday after talks with Jordan's minister" Jordan
 * is not the audience.  Only for statements (01x) in PETRARCH mode;
 * TABARI, and PETRARCH's other verbs, take the first actor after the
 * verb.  Only the words up to the mention are read: an opener after it
 * changes nothing. */
static int object_reaches(const clause_ctx *cc, const kh_verb_hit *v, int at)
{
    if (cc->c->options.greedy_source || !cc->statement)
        return 1;
    for (int i = v->last + 1; i <= at; i++)
        if (word_in(&cc->s->tokens.items[i], adverbial_openers))
            return 0;
    return 1;
}

/* The verb's object: the first usable mention after it that
 * object_reaches, or -1. */
static int object_mention(const clause_ctx *cc, const kh_verb_hit *v, const char *not_code,
                          int exclude)
{
    int m = first_mention(cc, v->last + 1, cc->last, not_code, exclude);
    return m >= 0 && object_reaches(cc, v, cc->s->mentions.items[m].first) ? m : -1;
}

/* ---- roles from the structure (syntax) ---- */

/* The verb group of a verb, or -1 without syntax. */
static int verb_group(const kh_sentence *s, const kh_verb_hit *v)
{
    return s->has_syntax ? s->chunks.group_of[v->head] : -1;
}

/* The first usable mention in noun phrase `np`, its coordination ("Iran
 * and Syria accused") and its "of" phrases ("the leader of Iran"), or -1.
 * A mention that starts before the phrase and runs into it counts. */
static int mention_in_np(const clause_ctx *cc, int np, const char *not_code, int exclude)
{
    if (np < 0)
        return -1;
    const kh_chunking *ch = &cc->s->chunks;
    int first = ch->nps.items[ch->nps.items[np].coord].first;
    int last = ch->nps.items[np].last_with_of;
    int m = cc->s->mention_at.items[first];
    if (m >= 0)
        first = cc->s->mentions.items[m].first;
    return first_mention(cc, first, last, not_code, exclude);
}

/* Prepositions whose phrase names the doer of a passive verb when there
 * is no BY phrase: PETRARCH-2 looks in BY, FROM and IN ("was shot dead
 * in Osgiliath": Osgiliath shot). */
static const list_word passive_agent_preps[] = {LW("BY"), LW("FROM"), LW("IN"), LW_END};

/* The doer of a passive group: its BY phrase, else the first oblique of
 * passive_agent_preps that holds an actor. */
static int passive_doer(const clause_ctx *cc, const kh_vgroup *g)
{
    const kh_chunking *ch = &cc->s->chunks;
    int m = mention_in_np(cc, g->agent, NULL, -1);
    for (int k = 0; k < g->pp_count && m < 0; k++) {
        const kh_pp *pp = &ch->pps.items[g->first_pp + k];
        if (cc->c->options.passive_any_doer ||
            word_in(&cc->s->tokens.items[pp->prep], passive_agent_preps))
            m = mention_in_np(cc, pp->np, NULL, -1);
    }
    return m;
}

typedef struct roles {
    int source, target;
    int compound_pairs;       /* source and target are one compound group */
    const char *source_default, *target_default;  /* DEFAULT codes used */
} roles;

/* With syntax, a passive group's doer is the source and its subject
 * the target.  Returns 1 when it decided the roles. */
static int syntax_roles(const clause_ctx *cc, const kh_verb_hit *v, roles *r)
{
    int gi = verb_group(cc->s, v);
    if (gi < 0)
        return 0;
    const kh_vgroup *g = &cc->s->chunks.groups.items[gi];
    if (!(g->flags & KH_VG_PASSIVE))
        return 0;
    int doer = passive_doer(cc, g);
    if (doer < 0)
        return 0;
    r->source = doer;
    r->target = mention_in_np(cc, g->subject, code_of(cc->s, doer), doer);
    if (r->target < 0)
        r->target = first_mention(cc, cc->first, v->first - 1, code_of(cc->s, doer), doer);
    return 1;
}

/* With syntax, the source of an active verb is the actor of its group's
 * subject ("after Calenardhon crowds burned down its embassy": not the
 * sentence's first actor), through relative clauses, appositions and
 * coordination as chunk.c found them; -1 when the subject names none. */
static int subject_mention(const clause_ctx *cc, const kh_verb_hit *v, int target)
{
    int gi = verb_group(cc->s, v);
    if (gi < 0)
        return -1;
    const kh_vgroup *g = &cc->s->chunks.groups.items[gi];
    const char *tcode = target >= 0 ? code_of(cc->s, target) : NULL;
    return mention_in_np(cc, g->subject, tcode, target);
}

/* An active verb group with a subject: what stands before the verb is
 * the subject's side, never the target ("after Calenardhon crowds burned
 * down its embassy" has no target actor). */
static int active_with_subject(const clause_ctx *cc, const kh_verb_hit *v)
{
    int gi = verb_group(cc->s, v);
    if (gi < 0)
        return 0;
    const kh_vgroup *g = &cc->s->chunks.groups.items[gi];
    return g->subject >= 0 && !(g->flags & KH_VG_PASSIVE);
}

static void default_roles(const clause_ctx *cc, const kh_verb_hit *v,
                          const match_state *ms, roles *r)
{
    r->source = ms->source;
    r->target = ms->target;
    r->compound_pairs = 0;
    r->source_default = r->target_default = NULL;
    if (ms->compound >= 0) {
        /* "Eriador agrees with the Philippines and France": a compound
         * after the verb is the target when a subject precedes the verb;
         * otherwise its members act on each other ("Syria and Jordan
         * will meet"). */
        int subject = !cc->c->options.tabari_compounds &&
                              cc->s->mentions.items[ms->compound].first > v->last
                          ? first_mention(cc, cc->first, v->first - 1, NULL, -1) : -1;
        if (subject >= 0) {
            r->source = subject;
            r->target = ms->compound;
            return;
        }
        r->source = r->target = ms->compound;
        r->compound_pairs = 1;
        return;
    }
    int designated = ms->source >= 0 || ms->target >= 0;
    if (!designated && syntax_roles(cc, v, r))
        return;
    if (!designated && is_passive(cc->s, cc->c->dict, v)) {
        int agent = passive_agent(cc, v);
        if (agent >= 0) {
            r->source = agent;
            r->target = first_mention(cc, cc->first, v->first - 1, code_of(cc->s, agent), -1);
            return;
        }
    }
    if (r->source < 0)
        r->source = subject_mention(cc, v, r->target);
    if (r->source < 0) {
        const char *tcode = r->target >= 0 ? code_of(cc->s, r->target) : NULL;
        /* "Rohan said Arnor attacked Gondor": the subject of the verb
         * follows the verb before it, when an actor stands there. */
        int after_verb = cc->first;
        for (int k = v->first - 1; k > cc->first; k--)
            if (cc->s->tags.items[k] == KH_TAG_VERB &&
                is_attribution(cc, &cc->s->verbs.items[cc->s->verb_at.items[k]])) {
                after_verb = k + 1;
                break;
            }
        r->source = first_mention(cc, after_verb, v->first - 1, tcode, -1);
        if (r->source < 0 && after_verb > cc->first)
            r->source = first_mention(cc, cc->first, v->first - 1, tcode, -1);
        if (r->source < 0 && cc->sentence_source >= 0)
            r->source = cc->sentence_source;
        /* TABARI is greedy: with no actor before the verb the subject is
         * looked for after it (manual 8.7, note 3), unless a default
         * source is to stand in for it (DEFAULT ... PRIOR). */
        if (r->source < 0 && cc->c->options.greedy_source && !cc->c->options.default_source_prior)
            r->source = first_mention(cc, v->last + 1, cc->last, tcode, r->target);
    }
    if (r->target < 0) {
        const char *scode = r->source >= 0 ? code_of(cc->s, r->source) : NULL;
        r->target = object_mention(cc, v, scode, r->source);
        if (r->target < 0 && !active_with_subject(cc, v))
            r->target = first_mention(cc, cc->first, v->first - 1, scode, r->source);
        if (r->target < 0 && r->source >= 0 && cc->s->mentions.items[r->source].compound >= 0) {
            r->target = r->source;
            r->compound_pairs = 1;
        }
    }
}

/* ---- writing events ---- */

/* The actors a mention stands for: every member of its compound group,
 * and every part of a coded compound "USA/GMW/FRN" unless `whole_lists`. */
static void expand_actor(const kh_sentence *s, int m, const char *default_code,
                         int whole_lists, actor_refs *out)
{
    out->count = 0;
    if (m < 0 || default_code) {    /* no actor: the default, or "---" */
        actor_ref *r = KH_VEC_PUSH(out);
        r->mention = -1;
        r->code = default_code ? default_code : "---";
        r->len = strlen(r->code);
        return;
    }
    int g = s->mentions.items[m].compound;
    for (size_t k = 0; k < s->mentions.count; k++) {
        if (g < 0 ? (int)k != m : s->mentions.items[k].compound != g)
            continue;
        if (g >= 0 && s->mentions.items[k].pronoun)
            continue;       /* "they": the group's members, once each */
        const char *code = code_of(s, (int)k);
        while (code && *code) {
            const char *slash = whole_lists ? NULL : strchr(code, '/');
            size_t n = slash ? (size_t)(slash - code) : strlen(code);
            if (n > 0) {
                actor_ref *r = KH_VEC_PUSH(out);
                r->mention = (int)k;
                r->code = code;
                r->len = n;
            }
            code = slash ? slash + 1 : NULL;
        }
    }
}

static kh_span mention_span(const kh_sentence *s, int m)
{
    kh_span sp = {-1, -1};
    if (m >= 0) {
        sp.start = s->tokens.items[s->mentions.items[m].first].start;
        sp.end = s->tokens.items[s->mentions.items[m].last].end;
    }
    return sp;
}

static char *span_text(const kh_sentence *s, kh_span sp)
{
    if (sp.start < 0)
        return kh_xstrdup("");
    return kh_xstrndup(s->text + sp.start, (size_t)(sp.end - sp.start));
}

typedef struct provenance {
    const char *code;
    const char *pattern;
    kh_origin origin;
    unsigned flags;
} provenance;

static void push_event(clause_ctx *cc, const actor_ref *src, const actor_ref *tgt,
                       const kh_verb_hit *v, const provenance *pv, const char *code,
                       unsigned extra)
{
    const kh_sentence *s = cc->s;
    kh_events *out = cc->out;
    KH_VEC_RESERVE(out, out->count + 1);
    kh_event *e = &out->items[out->count++];
    memset(e, 0, sizeof *e);
    e->source = kh_xstrndup(src->code, src->len);
    e->target = kh_xstrndup(tgt->code, tgt->len);
    e->source_span = mention_span(s, src->mention);
    e->target_span = mention_span(s, tgt->mention);
    e->source_text = span_text(s, e->source_span);
    e->target_text = span_text(s, e->target_span);
    e->verb_span.start = s->tokens.items[v->first].start;
    e->verb_span.end = s->tokens.items[v->last].end;
    /* the dictionary's codes fit the event's: both are KH_MAX_EVENT_CODE */
    _Static_assert(sizeof e->code == KH_MAX_EVENT_CODE + 1, "kh_event.code");
    kh_copy_cut(e->code, sizeof e->code, code);
    e->pattern = pv->pattern;
    e->dict_file = pv->origin.file;
    e->dict_line = pv->origin.line;
    e->flags = pv->flags | extra;
    e->mentions = 1;
    e->quote_span.start = e->quote_span.end = -1;
    e->place.span.start = e->place.span.end = -1;
    cc->events++;
}

static void emit_events(clause_ctx *cc, const kh_verb_hit *v, const roles *r,
                        const provenance *pv, const kh_code *code)
{
    actor_refs *sources = &cc->c->sources, *targets = &cc->c->targets;
    int whole = cc->c->options.whole_code_lists;
    expand_actor(cc->s, r->source, r->source_default, whole, sources);
    expand_actor(cc->s, r->target, r->target_default, whole, targets);
    for (size_t i = 0; i < sources->count; i++)
        for (size_t j = 0; j < targets->count; j++) {
            const actor_ref *a = &sources->items[i], *b = &targets->items[j];
            if (a->len == b->len && memcmp(a->code, b->code, a->len) == 0)
                continue;
            /* Members of one compound acting on each other with a paired
             * code ("% * [044:045]"): each pair once, the second code
             * going back the other way. */
            if (r->compound_pairs && code->paired[0] && j < i)
                continue;
            push_event(cc, a, b, v, pv, code->code, 0);
            if (code->paired[0])
                push_event(cc, b, a, v, pv, code->paired, KH_EVENT_PAIRED);
        }
}

/* ---- the clause loop ---- */

static int is_null_code(const char *code)
{
    return !code[0] || is_marker_code(code, '-');
}

static void explain_verb(const clause_ctx *cc, const kh_verb_hit *v,
                         const kh_pattern *hit, const char *code, const char *why)
{
    FILE *x = cc->c->explain;
    if (!x)
        return;
    const kh_verb *verb = &cc->c->dict->verbs.items[v->verb];
    fprintf(x, "  verb %s (%s:%ld): ", cc->s->tokens.items[v->head].word,
            verb->origin.file, verb->origin.line);
    if (hit)
        fprintf(x, "pattern \"%s\" [%s] (%s:%ld)", hit->text, code,
                hit->origin.file, hit->origin.line);
    else
        fprintf(x, "no pattern matched; verb code [%s]", code);
    fprintf(x, " -> %s\n", why);
}

static const list_word hypothetical_modals[] = {LW("COULD"), LW("MIGHT"), LW("MAY"), LW_END};
static const list_word future_modals[] = {LW("WILL"), LW("WOULD"), LW("SHALL"), LW_END};
static const list_word intentions[] = {
    LW("PLANS"), LW("PLANNED"), LW("PLAN"), LW("INTENDS"), LW("INTENDED"), LW("EXPECTED"),
    LW("SET"), LW("GOING"), LW("PREPARED"), LW("READY"), LW("AGREED"), LW("AGREES"),
    LW("AGREE"), LW("PROMISED"), LW("PROMISES"), LW("PLEDGED"), LW("PLEDGES"), LW("VOWED"),
    LW("VOWS"), LW("OFFERED"), LW("OFFERS"), LW_END};

/* IF, UNLESS or WHETHER: asked of every token before each verb coded,
 * so compares of known length, like is_article. */
static int is_condition(const kh_token *t)
{
    static const char first[8] = {0, 0, 'I', 0, 0, 0, 'U', 'W'};
    return may_be_one_of(t, first) &&
           (TOKEN_IS(t, "IF") || TOKEN_IS(t, "UNLESS") || TOKEN_IS(t, "WHETHER"));
}

/* How far before the verb a modal still governs it ("could soon impose"). */
#define KH_MODAL_REACH 4

/* PLOVER's modes for the verb: hypothetical ("could impose sanctions",
 * "if NATO attacked") and future ("will hold talks", "plans to visit"). */
static unsigned modality(const clause_ctx *cc, const kh_verb_hit *v)
{
    const kh_sentence *s = cc->s;
    unsigned flags = 0;
    for (int k = v->first - 1; k >= cc->first && k >= v->first - KH_MODAL_REACH; k--) {
        const kh_token *w = &s->tokens.items[k];
        if (s->tags.items[k] == KH_TAG_ACTOR || (s->tokens.items[k].flags & KH_TOK_COMMA))
            break;
        if (word_in(w, hypothetical_modals))
            flags |= KH_EVENT_HYPOTHETICAL;
        else if (word_in(w, future_modals))
            flags |= KH_EVENT_FUTURE;
        else if (TOKEN_IS(&s->tokens.items[k], "TO") && k > 0 &&
                 word_in(&s->tokens.items[k - 1], intentions))
            flags |= KH_EVENT_FUTURE;
    }
    for (int k = cc->first; k < v->first; k++)
        if (is_condition(&s->tokens.items[k]))
            flags |= KH_EVENT_HYPOTHETICAL;
    return flags;
}

/* A code for each act code, by prefix (see mapped_code). */
typedef struct code_map { const char *act, *mapped; } code_map;

/* The CAMEO codebook's intents for the cooperative roots: "will meet" is
 * 036, "will give aid" 033, "plans to ease sanctions" 0354. */
static const code_map codebook_intents[] = {
    {"04", "036"},
    {"05", "032"},
    {"061", "0311"}, {"062", "0312"}, {"063", "0313"}, {"064", "0314"}, {"06", "031"},
    {"071", "0331"}, {"072", "0332"}, {"073", "0333"}, {"074", "0334"}, {"07", "033"},
    {"081", "0351"}, {"082", "0352"}, {"083", "034"}, {"084", "0353"}, {"085", "0354"},
    {"086", "0355"}, {"087", "0356"}, {"08", "035"},
};

/* The code `map` gives `act` by its longest listed prefix (each root's
 * details come before it), or `otherwise`. */
static const char *mapped_code(const code_map *map, size_t count, const char *act,
                               const char *otherwise)
{
    for (size_t i = 0; i < count; i++)
        if (!strncmp(act, map[i].act, strlen(map[i].act)))
            return map[i].mapped;
    return otherwise;
}

/* With --intents codebook, a future, unnegated cooperative event is the
 * intent to do it, unless the pattern that fired matched words before the
 * verb (a pattern with the modal in it, "- WILL * [036]", decides for
 * itself).  Fills `out` and returns 1 when the code changes. */
static int codebook_intent(const clause_ctx *cc, const match_state *ms, const kh_pattern *hit,
                           const provenance *pv, const kh_code *code, kh_code *out)
{
    const kh_verb_hit *v = ms->verb;
    if (cc->c->options.intents != KH_INTENTS_CODEBOOK || !(pv->flags & KH_EVENT_FUTURE) ||
        (pv->flags & KH_EVENT_NEGATED) || (hit && ms->first_word < v->first))
        return 0;
    const char *intent = mapped_code(codebook_intents,
                                     sizeof codebook_intents / sizeof codebook_intents[0],
                                     code->code, NULL);
    if (!intent)
        return 0;
    *out = *code;
    kh_copy_cut(out->code, sizeof out->code, intent);
    out->paired[0] = 0;
    if (cc->c->explain)
        fprintf(cc->c->explain, "  future [%s]: the codebook's intent [%s]\n", code->code, intent);
    return 1;
}

/* The codebook's demands (10x) for the acts a demand asks of its target:
 * "Greece must withdraw" [0874] is a demand to de-escalate, 1056.  Acts
 * with no demand of their own are a demand, 100. */
static const code_map codebook_demands[] = {
    {"04", "106"},
    {"071", "1031"}, {"072", "1032"}, {"073", "1033"}, {"074", "1034"}, {"07", "103"},
    {"081", "1051"}, {"082", "1052"}, {"083", "104"}, {"084", "1053"}, {"085", "1054"},
    {"086", "1055"}, {"087", "1056"}, {"08", "105"},
};

static const list_word obligations[] = {LW("MUST"), LW("SHOULD"), LW("OUGHT"), LW_END};

/* The reporting verb group that governs verb v's group when v's own group
 * carries an obligation ("said Greece must withdraw"), or NULL. */
static const kh_vgroup *demanding_report(const clause_ctx *cc, const kh_verb_hit *v)
{
    int gi = verb_group(cc->s, v);
    if (gi < 0)
        return NULL;
    const kh_chunking *ch = &cc->s->chunks;
    const kh_vgroup *g = &ch->groups.items[gi];
    if (g->governor < 0 || !(ch->groups.items[g->governor].flags & KH_VG_REPORTING))
        return NULL;
    for (int k = g->first; k <= g->last; k++)
        if (word_in(&cc->s->tokens.items[k], obligations))
            return &ch->groups.items[g->governor];
    return NULL;
}

/* With --intents codebook, "Turkey said on Monday that Greece must withdraw
 * its warships" is Turkey's demand on Greece (TUR 1056 GRC), not Greece's
 * withdrawal: the reporter is the source, the complement's subject the
 * target.  Fills `out`, moves the roles and returns 1, or returns 0. */
static int codebook_demand(const clause_ctx *cc, const kh_verb_hit *v, roles *r,
                           const kh_code *code, kh_code *out)
{
    if (cc->c->options.intents != KH_INTENTS_CODEBOOK || r->source < 0 || r->source_default)
        return 0;
    const kh_vgroup *report = demanding_report(cc, v);
    int reporter = report ? mention_in_np(cc, report->subject, NULL, r->source) : -1;
    if (reporter < 0 || strcmp(code_of(cc->s, reporter), code_of(cc->s, r->source)) == 0)
        return 0;
    *out = *code;
    kh_copy_cut(out->code, sizeof out->code,
                mapped_code(codebook_demands, sizeof codebook_demands / sizeof codebook_demands[0],
                            code->code, "100"));
    out->paired[0] = 0;
    r->target = r->source;
    r->target_default = NULL;
    r->source = reporter;
    r->compound_pairs = 0;
    if (cc->c->explain)
        fprintf(cc->c->explain, "  obliged [%s]: the reporter's demand [%s]\n", code->code,
                out->code);
    return 1;
}

static const list_word np_prepositions[] = {
    LW("FOR"), LW("TO"), LW("WITH"), LW("AT"), LW("AGAINST"), LW("ON"), LW("IN"), LW("INTO"),
    LW("FROM"), LW("BY"), LW("ABOUT"), LW("OVER"), LW_END};

/* Joins tokens [from, to] (skipping 'S) as a quoted new-actor code,
 * '"GRYFFINDOR HEAD MINERVA MCGONAGALL"', or NULL if the phrase has more
 * than `max_words` words. */
static char *new_actor_code(const kh_sentence *s, int from, int to, int max_words)
{
    int words = 0;
    size_t len = 3;
    for (int i = from; i <= to; i++)
        if (!TOKEN_IS(&s->tokens.items[i], "'S")) {
            words++;
            len += strlen(s->tokens.items[i].word) + 1;
        }
    if (words == 0 || words > max_words)
        return NULL;
    char *code = kh_xmalloc(len), *p = code;
    *p++ = '"';
    for (int i = from; i <= to; i++) {
        const char *w = s->tokens.items[i].word;
        if (TOKEN_IS(&s->tokens.items[i], "'S"))
            continue;
        if (p > code + 1)
            *p++ = ' ';
        p += sprintf(p, "%s", w);
    }
    *p++ = '"';
    *p = 0;
    return code;
}

static int plain_word(const kh_sentence *s, int i)
{
    return (s->tokens.items[i].flags & KH_TOK_WORD) && s->tags.items[i] != KH_TAG_VERB &&
           s->tags.items[i] != KH_TAG_CONJ;
}

/* PETRARCH's new actors (config new_actor_length): with no dictionary
 * actor, the noun phrase before the verb is the source and the one after
 * it (past a preposition) the target, coded by their own words. */
/* With syntax, the noun phrase `np` as a new actor when it lies in the
 * clause: the phrase ends where the chunker ends it ("the Ministry of
 * Magic on Wednesday" is THE MINISTRY OF MAGIC), and a name no dictionary
 * knows is still a noun phrase. */
static char *np_new_actor(const clause_ctx *cc, int np, int max)
{
    if (np < 0)
        return NULL;
    const kh_np *p = &cc->s->chunks.nps.items[np];
    if (p->first < cc->first || p->last_with_of > cc->last)
        return NULL;
    return new_actor_code(cc->s, p->first, p->last_with_of, max);
}

/* With syntax: the new source is the verb group's subject, the new target
 * its object or else its first oblique.  Returns 0 without a group. */
static int group_new_actors(clause_ctx *cc, const kh_verb_hit *v, roles *r, int max)
{
    int gi = verb_group(cc->s, v);
    if (gi < 0)
        return 0;
    const kh_vgroup *g = &cc->s->chunks.groups.items[gi];
    if (r->source < 0 && !r->source_default &&
        (cc->new_source = np_new_actor(cc, g->subject, max)))
        r->source_default = cc->new_source;
    int object = g->object;
    if (object < 0 && g->pp_count > 0)
        object = cc->s->chunks.pps.items[g->first_pp].np;
    if (r->target < 0 && !r->target_default && (cc->new_target = np_new_actor(cc, object, max)))
        r->target_default = cc->new_target;
    return 1;
}

static void new_actors(clause_ctx *cc, const kh_verb_hit *v, roles *r)
{
    const kh_sentence *s = cc->s;
    int max = cc->c->options.new_actor_length;
    if (max <= 0 || group_new_actors(cc, v, r, max))
        return;
    if (r->source < 0 && !r->source_default) {
        int from = v->first;
        while (from - 1 >= cc->first && plain_word(s, from - 1))
            from--;
        if (from < v->first && (cc->new_source = new_actor_code(s, from, v->first - 1, max)))
            r->source_default = cc->new_source;
    }
    if (r->target < 0 && !r->target_default) {
        int from = v->last + 1;
        if (from <= cc->last && word_in(&s->tokens.items[from], np_prepositions))
            from++;
        int to = from - 1;
        while (to + 1 <= cc->last && plain_word(s, to + 1) &&
               !word_in(&s->tokens.items[to + 1], np_prepositions))
            to++;
        if (to >= from && (cc->new_target = new_actor_code(s, from, to, max)))
            r->target_default = cc->new_target;
    }
}

/* TABARI's DEFAULT: codes for a missing source or target; with PRIOR
 * (AFTER) also for one that is not before (after) the verb. */
static void apply_default_codes(const clause_ctx *cc, const kh_verb_hit *v, roles *r)
{
    const kh_coder_options *o = &cc->c->options;
    const kh_sentence *s = cc->s;
    if (o->default_source[0] &&
        (r->source < 0 || (o->default_source_prior && s->mentions.items[r->source].first > v->first)))
        r->source_default = o->default_source;
    if (o->default_target[0] &&
        (r->target < 0 || (o->default_target_after && s->mentions.items[r->target].first < v->first)))
        r->target_default = o->default_target;
}

/* "+++" on the verb or on an actor of the event marks the sentence as
 * too complex to code (TABARI manual 6.4). */
static int uses_complex_code(const kh_sentence *s, const kh_coder_options *o, const roles *r,
                             const kh_code *code)
{
    if (is_marker_code(code->code, '+'))
        return 1;
    if (o->plus_actors_coded)
        return 0;
    if (r->source >= 0 && !r->source_default && is_marker_code(code_of(s, r->source), '+'))
        return 1;
    return r->target >= 0 && !r->target_default && is_marker_code(code_of(s, r->target), '+');
}

/* --explain (to `x`, if not NULL): why a pattern of the verb did not
 * fire. */
static void explain_miss(FILE *x, const kh_pattern *p, const char *why)
{
    if (x)
        fprintf(x, "    pattern \"%s\" [%s] (%s:%ld): %s\n", p->text, p->code.code,
                p->origin.file, p->origin.line, why);
}

/* Chunk `chunk` of the candidates of block `vs` for the clause
 * (kh_anchors_candidates); with --explain every pattern of the chunk, so
 * that it says why each of the others was ruled out. */
static uint64_t block_candidates(const clause_ctx *cc, const kh_verbset *vs,
                                 const kh_anchors *anchors, int chunk)
{
    if (!cc->c->explain)
        return kh_anchors_candidates(anchors, chunk, cc->bits);
    int n = vs->pattern_count - chunk * 64;
    return n >= 64 ? ~0ull : (1ull << n) - 1;
}

/* The first pattern of block `vs` that matches the clause, or NULL.  A
 * block has hundreds of patterns and most name a word the clause does
 * not have: only the block's candidates for the clause are visited, a
 * bit at a time (a chunk of 64 worked out when it is reached, none after
 * the match), and of those only the ones whose needs the clause's word
 * set covers (dict_index.h) are matched.  A pattern that fails leaves
 * nothing behind, so skipping it changes nothing. */
static const kh_pattern *first_match(const clause_ctx *cc, match_state *ms, int block)
{
    const kh_coder *c = cc->c;
    const kh_dict *d = c->dict;
    const kh_verbset *vs = &d->verbsets.items[block];
    const kh_anchors *anchors = &d->index->block_anchors[block];
    const pattern_try *tries = c->tries + c->block_from.items[block];
    FILE *explain = c->explain;
    for (int w = 0; w < anchors->chunks; w++) {
        uint64_t candidates = block_candidates(cc, vs, anchors, w);
        /* a chunk's candidates are few and far apart in the tries: all
         * are asked for before the first is read, so that their misses
         * overlap (one the first to match leaves unread costs nothing) */
        for (uint64_t m = candidates; m; m &= m - 1)
            KH_PREFETCH(&tries[w * 64 + __builtin_ctzll(m)]);
        for (uint64_t m = candidates; m; m &= m - 1) {
            int i = w * 64 + __builtin_ctzll(m);
            const pattern_try *t = &tries[i];
            /* the pattern's record is read only to return it or to
             * explain: its try has what trying it needs */
            /* --explain says why from the whole of the pattern's needs,
             * letters too, as the dictionary has them */
            if (!try_covered(cc->bits, t) ||
                (explain && !kh_word_set_covers(cc->bits, d->index->block_needs[block][i].whole))) {
                if (explain)
                    explain_miss(explain, &d->patterns.items[vs->patterns[i]],
                                 "a word it needs is not in the clause");
                continue;
            }
            /* "+++" (complex) patterns mark sentences for human coders;
             * they produce nothing, so the next pattern is tried. */
            if (!t->complex && pattern_matches(ms, t, c->elems.items + t->at))
                return &d->patterns.items[vs->patterns[i]];
            if (explain)
                explain_miss(explain, &d->patterns.items[vs->patterns[i]],
                             t->complex ? "complex code [+++], skipped"
                                        : "no match in order within the clause");
        }
    }
    return NULL;
}

/* With syntax, the tagger decides what is a verb: a dictionary verb it
 * tags as something else ("the general strike", "a Hamas-affiliated
 * group") is a noun. */
static int tagged_nominal(const kh_sentence *s, const kh_verb_hit *v)
{
    if (!s->has_syntax)
        return 0;
    kh_upos t = s->upos.items[v->head];
    return t != KH_UPOS_VERB && t != KH_UPOS_AUX;
}

/* A noun still codes through a pattern that starts with it and goes on
 * with words ("after talks with Jordan's foreign minister": * WITH +),
 * the nominal form news uses for many events; not by its bare code, and
 * not by a pattern with words before it, which makes the noun a
 * modifier's head ("an anti- Gondor parade": ANTI- + *). */
static int nominal_pattern(const kh_pattern *p)
{
    return p->count > 1 && p->elems[0].kind == KH_EL_VERB &&
           (p->elems[1].kind == KH_EL_WORD || p->elems[1].kind == KH_EL_SYNSET ||
            p->elems[1].kind == KH_EL_PP_BEGIN);
}

/* A negation between the first and last words a pattern matched that
 * the pattern itself did not match. */
static int negated_between_words(const clause_ctx *cc, int first_word)
{
    int last = -1;
    for (int i = cc->last; i >= first_word && last < 0; i--)
        if (cc->used[i])
            last = i;
    for (int i = first_word + 1; i < last; i++)
        if (!cc->used[i] && cc->s->tags.items[i] == KH_TAG_NEGATION)
            return 1;
    return 0;
}

/* With an ontology (PETRARCH's PICO), a negated event is the event the
 * ontology gives for "not" its code: "did not clash" [110] is 050, "will
 * not help" a refusal (12x).  Fills `out` and returns 1, or returns 0
 * when the ontology has no such code and the event stays negated. */
static int invert_negated(const clause_ctx *cc, const kh_code *code, kh_code *out)
{
    const char *inv = kh_dict_negated_code(cc->c->dict, code->code);
    if (!inv)
        return 0;
    *out = *code;
    kh_copy_cut(out->code, sizeof out->code, inv);
    const char *paired = code->paired[0] ? kh_dict_negated_code(cc->c->dict, code->paired) : NULL;
    if (code->paired[0])
        kh_copy_cut(out->paired, sizeof out->paired, paired ? paired : code->paired);
    if (cc->c->explain)
        fprintf(cc->c->explain, "  negated [%s]: the ontology's [%s]\n", code->code, inv);
    return 1;
}

/* UD-PETRARCH matches a pattern's words before the verb ("{DEATH TOLL}
 * *") in the verb's subject only: not an adverb ("RECENTLY *"), another
 * verb ("INDICATED *") or the verb's own "to".  Sets [*first, *last] to
 * the subject with its coordination, or to an empty span when the group
 * has none; leaves them -1 without syntax. */
static void subject_span(const clause_ctx *cc, const kh_verb_hit *v, int *first, int *last)
{
    int gi = verb_group(cc->s, v);
    if (gi < 0)
        return;
    const kh_chunking *ch = &cc->s->chunks;
    int np = ch->groups.items[gi].subject;
    *first = (int)cc->s->tokens.count;
    *last = -1;
    if (np >= 0) {
        *first = ch->nps.items[ch->nps.items[np].coord].first;
        *last = ch->nps.items[np].last_with_of;
    }
}

/* Frees the new actors of the verb coded before.  Most verbs make none,
 * and this is done for every verb: two calls to free less. */
static void drop_new_actors(clause_ctx *cc)
{
    if (cc->new_source || cc->new_target) {
        free(cc->new_source);
        free(cc->new_target);
        cc->new_source = cc->new_target = NULL;
    }
}

/* Codes one verb.  Returns events added, 0 for none, -1 to discard. */
static int code_verb(clause_ctx *cc, const kh_verb_hit *v)
{
    const kh_dict *d = cc->c->dict;
    const kh_verb *verb = &d->verbs.items[v->verb];
    const kh_verbset *vs = &d->verbsets.items[verb->verbset];
    match_state ms = {cc->s, d, cc->first, cc->last, v, -1, -1, -1, v->first,
                      cc->used, -1, -1, cc->bits, cc->c};
    if (cc->c->options.upper_in_subject)
        subject_span(cc, v, &ms.upper_first, &ms.upper_last);
    drop_new_actors(cc);
    /* Only a pattern that matched leaves words in `used` (pattern_matches
     * clears those it then turns down): most verbs have none to clear. */
    if (cc->used_dirty)
        memset(cc->used, 0, cc->s->tokens.count);
    const kh_pattern *hit = first_match(cc, &ms, verb->verbset);
    cc->used_dirty = hit != NULL;
    if (!hit)
        ms.source = ms.target = ms.compound = -1;
    if (!hit && cc->patterns_only)
        return 0;
    if (tagged_nominal(cc->s, v) && !(hit && nominal_pattern(hit))) {
        if (cc->c->explain)
            fprintf(cc->c->explain, "  %s: tagged %s, and no nominal pattern matched: not a verb\n",
                    cc->s->tokens.items[v->head].word, kh_upos_name(cc->s->upos.items[v->head]));
        return 0;
    }
    const kh_code *code = hit ? &hit->code : verb->code.code[0] ? &verb->code : &vs->code;
    if (is_marker_code(code->code, '#')) {
        explain_verb(cc, v, hit, code->code, "discard");
        return -1;
    }
    if (is_null_code(code->code)) {
        explain_verb(cc, v, hit, code->code, "null code, no event");
        return 0;
    }
    roles r;
    cc->statement = strncmp(code->code, "01", 2) == 0;
    default_roles(cc, v, &ms, &r);
    apply_default_codes(cc, v, &r);
    new_actors(cc, v, &r);
    kh_code demand;
    if (codebook_demand(cc, v, &r, code, &demand))
        code = &demand;
    if (uses_complex_code(cc->s, &cc->c->options, &r, code)) {
        explain_verb(cc, v, hit, code->code, "complex (+++): sentence not coded");
        cc->complex_code = 1;
        return -1;
    }
    if ((r.source < 0 && !r.source_default) ||
        (r.target < 0 && !r.target_default && cc->c->options.require_dyad)) {
        explain_verb(cc, v, hit, code->code, r.source < 0 ? "no source" : "no target");
        return 0;
    }
    provenance pv = {code->code, hit ? hit->text : vs->name,
                     hit ? hit->origin : verb->origin,
                     (code->flags & KH_CODE_SUBORDINATE) ? KH_EVENT_SUBORDINATE : 0};
    /* A pattern that spells out its negation ("- REFUSED TO *") matched
     * those words itself: only a negation before them counts, or one
     * among them that the pattern passed over ("said it would not
     * provide support": * (WOULD SUPPORT)). */
    int negation = is_negated(cc->s, v, hit ? ms.first_word : v->first);
    if (negation == NEG_NONE && hit && negated_between_words(cc, ms.first_word))
        negation = NEG_OWN;
    if (negation != NEG_NONE)
        pv.flags |= KH_EVENT_NEGATED;
    kh_code inverse;
    if (negation == NEG_OWN && invert_negated(cc, code, &inverse)) {
        code = &inverse;
        pv.code = inverse.code;
        pv.flags &= ~KH_EVENT_NEGATED;
    }
    if (ms.source < 0 && ms.target < 0 && is_passive(cc->s, d, v) && passive_agent(cc, v) >= 0)
        pv.flags |= KH_EVENT_PASSIVE;
    pv.flags |= modality(cc, v);
    kh_code intent;
    if (codebook_intent(cc, &ms, hit, &pv, code, &intent)) {
        code = &intent;
        pv.code = intent.code;
    }
    int before = cc->events;
    emit_events(cc, v, &r, &pv, code);
    cc->sentence_source = r.source;
    explain_verb(cc, v, hit, code->code, "event");
    if (code->flags & KH_CODE_SUBORDINATE)
        return 0;     /* keep looking for a main event in the clause */
    return cc->events - before;
}

/* With syntax, "Turkey said on Monday that Greece must withdraw its
 * warships" is a demand in the complement, not a bare statement: a verb
 * of saying whose verb group governs another group with a dictionary
 * verb in the same clause codes only through one of its own patterns
 * ("said he would hold talks": * (WOULD HOLD &TALKS), an intent); else
 * it waits, and is coded by its bare code only when the complement
 * yields no event. */
static int waits_for_complement(const clause_ctx *cc, const kh_verb_hit *v)
{
    const kh_sentence *s = cc->s;
    int g = s->has_syntax ? s->chunks.group_of[v->head] : -1;
    if (g < 0 || !is_attribution(cc, v))
        return 0;
    for (size_t h = (size_t)g + 1; h < s->chunks.groups.count; h++) {
        const kh_vgroup *c = &s->chunks.groups.items[h];
        if (c->governor == g && c->last <= cc->last && s->verb_at.items[c->head] >= 0)
            return 1;
    }
    return 0;
}

/* ", a senior official said on Saturday": a final reporting verb that
 * governs the clauses before it, when they have yielded an event, only
 * attributes that event; like a verb of saying before its complement it
 * codes only through its own patterns. */
static int reports_coded_clause(const clause_ctx *cc, const kh_verb_hit *v)
{
    const kh_sentence *s = cc->s;
    int g = verb_group(s, v);
    if (g < 0 || cc->events == 0 || !is_attribution(cc, v))
        return 0;
    for (int h = 0; h < g; h++) {
        const kh_vgroup *c = &s->chunks.groups.items[h];
        if (c->governor == g && s->verb_at.items[c->head] >= 0)
            return 1;
    }
    return 0;
}

/* Codes the first verb of the clause that yields an event (TABARI's
 * CODE BY CLAUSE). */
static int code_clause(clause_ctx *cc)
{
    const kh_sentence *s = cc->s;
    const kh_verb_hit *waiting = NULL;
    int events_before = cc->events;
    if (cc->c->explain)
        fprintf(cc->c->explain, "clause tokens %d-%d\n", cc->first, cc->last);
    for (size_t k = 0; k < s->verbs.count; k++) {
        const kh_verb_hit *v = &s->verbs.items[k];
        if (v->first < cc->first || v->last > cc->last || cc->deleted[v->head])
            continue;
        if (is_auxiliary(cc->c, s, v))
            continue;
        if (used_as_noun(cc->c, v)) {
            if (cc->c->explain)
                fprintf(cc->c->explain, "  %s: used as a noun\n", s->tokens.items[v->head].word);
            continue;
        }
        if (!waiting && waits_for_complement(cc, v)) {
            cc->patterns_only = 1;
            int got = code_verb(cc, v);
            cc->patterns_only = 0;
            if (got < 0 || (got > 0 && cc->c->options.code_by != KH_CODE_ALL))
                return got;
            if (got > 0)
                continue;
            if (cc->c->explain)
                fprintf(cc->c->explain, "  %s: reports a complement; coded only if it yields no event\n",
                        s->tokens.items[v->head].word);
            waiting = v;
            continue;
        }
        cc->patterns_only = reports_coded_clause(cc, v);
        int got = code_verb(cc, v);
        cc->patterns_only = 0;
        if (got < 0 || (got > 0 && cc->c->options.code_by != KH_CODE_ALL))
            return got;
    }
    if (waiting && cc->events == events_before) {
        int got = code_verb(cc, waiting);
        if (got != 0)
            return got;
    }
    /* No event: the clause's first actor becomes the subject of later
     * clauses (TABARI manual 7.6). */
    if (cc->sentence_source < 0)
        cc->sentence_source = first_mention(cc, cc->first, cc->last, NULL, -1);
    return 0;
}

/* --explain: the tagger's tags and each verb group's roles, as token
 * ranges, so that an analyst sees which structure chose an actor. */
static void explain_np(FILE *x, const char *role, const kh_chunking *ch, int np)
{
    if (np >= 0)
        fprintf(x, " %s %d-%d", role, ch->nps.items[np].first, ch->nps.items[np].last_with_of);
}

static void explain_syntax(FILE *x, const kh_sentence *s)
{
    const kh_chunking *ch = &s->chunks;
    fputs("upos:", x);
    for (size_t i = 0; i < s->tokens.count; i++)
        fprintf(x, " %s/%s", s->tokens.items[i].word, kh_upos_name(s->upos.items[i]));
    fputc('\n', x);
    for (size_t g = 0; g < ch->groups.count; g++) {
        const kh_vgroup *v = &ch->groups.items[g];
        fprintf(x, "  group %zu %d-%d head %s flags %#x", g, v->first, v->last,
                s->tokens.items[v->head].word, v->flags);
        explain_np(x, "subject", ch, v->subject);
        explain_np(x, "object", ch, v->object);
        explain_np(x, "agent", ch, v->agent);
        for (int k = 0; k < v->pp_count; k++)
            explain_np(x, s->tokens.items[ch->pps.items[v->first_pp + k].prep].word, ch,
                       ch->pps.items[v->first_pp + k].np);
        if (v->governor >= 0)
            fprintf(x, " governor %d", v->governor);
        fputc('\n', x);
    }
}

static void explain_tags(const kh_coder *c, const kh_sentence *s, const unsigned char *deleted)
{
    static const char *const names[] = {"", "actor", "verb", "conj", "pronoun", "neg"};
    FILE *x = c->explain;
    fprintf(x, "sentence: %.*s\ntokens:", (int)s->len, s->text);
    for (size_t i = 0; i < s->tokens.count; i++) {
        const kh_token *t = &s->tokens.items[i];
        fprintf(x, " %s%s%s%s", deleted[i] ? "~" : "", t->word,
                s->tags.items[i] ? "/" : "", names[s->tags.items[i]]);
    }
    fputc('\n', x);
    for (size_t m = 0; m < s->mentions.count; m++) {
        const kh_mention *mm = &s->mentions.items[m];
        fprintf(x, "  actor %d-%d [%s]%s", mm->first, mm->last, kh_mention_code(mm),
                mm->pronoun ? " (pronoun)" : "");
        if (mm->compound >= 0)
            fprintf(x, " compound %d", mm->compound);
        fputc('\n', x);
    }
    if (s->has_syntax)
        explain_syntax(x, s);
}

/* Issue codes found anywhere in the sentence, ";"-separated. */
static char *issue_list(const kh_dict *d, const kh_sentence *s)
{
    if (!s->issues.count)
        return NULL;
    size_t cap = 1;
    for (size_t i = 0; i < s->issues.count; i++)
        cap += strlen(d->issues.items[s->issues.items[i]].code) + 1;
    char *out = kh_xcalloc(1, cap);
    for (size_t i = 0; i < s->issues.count; i++) {
        const kh_issue *is = &d->issues.items[s->issues.items[i]];
        if (is->null || strstr(out, is->code))
            continue;
        if (*out)
            strcat(out, ";");
        strcat(out, is->code);
    }
    return out;
}

/* Subordinate events survive only in a sentence with no other event. */
static void drop_subordinate(kh_events *out, size_t before)
{
    int main_event = 0;
    for (size_t i = before; i < out->count; i++)
        main_event |= !(out->items[i].flags & KH_EVENT_SUBORDINATE);
    size_t kept = before;
    for (size_t i = before; i < out->count; i++) {
        kh_event *e = &out->items[i];
        if (main_event && (e->flags & KH_EVENT_SUBORDINATE)) {
            kh_events one = {e, 1, 1};
            kh_events_clear(&one);
            continue;
        }
        e->flags &= ~KH_EVENT_SUBORDINATE;
        out->items[kept++] = *e;
    }
    out->count = kept;
}

/* Drops the events added since `before`. */
static void drop_events(kh_events *out, size_t before)
{
    kh_events tail = {out->items + before, out->count - before, 0};
    kh_events_clear(&tail);
    out->count = before;
}

/* The first verb that is used as a verb, or -1. */
static int first_real_verb(const kh_coder *c, const kh_sentence *s)
{
    for (size_t k = 0; k < s->verbs.count; k++)
        if (!used_as_noun(c, &s->verbs.items[k]))
            return (int)k;
    return -1;
}

/* The sentence's words, but 'S (TABARI counts words, not clitics). */
static int word_count(const kh_sentence *s)
{
    int words = 0;
    for (size_t i = 0; i < s->tokens.count; i++)
        words += (s->tokens.items[i].flags & KH_TOK_WORD) && !TOKEN_IS(&s->tokens.items[i], "'S");
    return words;
}

/* Conjunctions outside removed comma clauses that join no compound. */
static int conjunction_count(const kh_sentence *s, const unsigned char *deleted)
{
    int conj = 0;
    for (size_t i = 0; i < s->tokens.count; i++)
        conj += !deleted[i] && s->tags.items[i] == KH_TAG_CONJ && !is_compound_conj(s, (int)i);
    return conj;
}

/* Verbs used as verbs; those of removed comma clauses do not count
 * (TABARI parses first). */
static int verb_count(const kh_coder *c, const kh_sentence *s, const unsigned char *deleted)
{
    int verbs = 0;
    for (size_t k = 0; k < s->verbs.count; k++)
        verbs += !deleted[s->verbs.items[k].head] && !used_as_noun(c, &s->verbs.items[k]);
    return verbs;
}

/* TABARI's complexity filter and minimum length (manual 8.7, 8.2): is the
 * sentence one the options say not to code?  Each count is made only for
 * an option that asks for it (none does by default). */
static const char *too_complex(const kh_coder *c, const kh_sentence *s,
                               const unsigned char *deleted)
{
    const kh_coder_options *o = &c->options;
    if (o->min_words && word_count(s) < o->min_words)
        return "fewer words than the minimum";
    if (o->complex_verbs && verb_count(c, s, deleted) >= o->complex_verbs)
        return "too many verbs";
    if (o->complex_conj && conjunction_count(s, deleted) >= o->complex_conj)
        return "too many conjunctions";
    if (o->complex_actors && (int)s->mentions.count >= o->complex_actors)
        return "too many actors";
    int v = o->no_actor_prior ? first_real_verb(c, s) : -1;
    if (v >= 0 && (s->mentions.count == 0 || s->mentions.items[0].first > s->verbs.items[v].first))
        return "no actor before the first verb";
    return NULL;
}

/* An actor coded "###" (on the sentence's date) discards the sentence. */
static int has_discard_actor(const kh_sentence *s)
{
    for (size_t m = 0; m < s->mentions.count; m++)
        if (is_marker_code(kh_mention_code(&s->mentions.items[m]), '#'))
            return 1;
    return 0;
}

static kh_word_set clause_bits(const kh_sentence *s, int first, int last)
{
    if (first == 0 && (size_t)last + 1 == s->tokens.count)
        return s->word_bits;    /* a clause of the whole sentence */
    kh_word_set bits = {{0, 0}, 0};
    for (int i = first; i <= last; i++)
        kh_word_set_add(&bits, s->token_bits.items[i]);
    return bits;
}

/* The first clause break from token `first` on (is_clause_break), or
 * the sentence's length.  is_clause_break needs a stop, a comma or a
 * conjunction: only the marks are asked, from `*next` on, which is left
 * at the mark after the break for the next clause. */
static int clause_end(const kh_coder *c, const kh_sentence *s, const unsigned char *deleted,
                      int first, size_t *next)
{
    const phrase_marks *marks = &c->marks;
    size_t k = *next;
    while (k < marks->count && marks->items[k].at < first)
        k++;
    for (; k < marks->count; k++) {
        int i = marks->items[k].at;
        if (!deleted[i] && is_clause_break(c, s, i, first)) {
            *next = k + 1;
            return i;
        }
    }
    *next = k;
    return (int)s->tokens.count;
}

/* Codes the clauses; returns -1 to discard the sentence, 1 if it turned
 * out complex, 0 otherwise. */
static int code_clauses(kh_coder *c, kh_sentence *s, const unsigned char *deleted,
                        kh_events *out)
{
    int n = (int)s->tokens.count;
    unsigned char *used = SCRATCH(&c->used, (size_t)n);
    clause_ctx cc = {.c = c, .s = s, .deleted = deleted, .first = 0, .last = -1,
                     .sentence_source = -1, .out = out, .used = used};
    int rc = 0;
    size_t next_mark = 0;
    for (int first = 0, end; first <= n; first = end + 1) {
        end = clause_end(c, s, deleted, first, &next_mark);
        if (end == first)
            continue;   /* nothing between two breaks */
        cc.first = first;
        cc.last = end - 1;
        cc.bits = clause_bits(s, cc.first, cc.last);
        if (code_clause(&cc) < 0) {
            rc = cc.complex_code ? 1 : -1;
            break;
        }
        if (c->options.code_by == KH_CODE_BY_SENTENCE && cc.events > 0)
            break;
    }
    drop_new_actors(&cc);
    return rc;
}

static int code_sentence(kh_coder *c, const char *text, size_t len, long date,
                         kh_events *out)
{
    kh_sentence *s = &c->sentence;
    kh_tag_sentence(s, c->dict, text, len, date, &c->options,
                    c->options.forward_pronouns ? &c->forward : NULL);
    if (s->discarded || (c->options.actor_discards && has_discard_actor(s)))
        return -1;
    /* Only a dictionary verb makes an event: a sentence without one is
     * not split into clauses, unless --explain is to show them. */
    if (s->verbs.count == 0 && !c->explain)
        return 0;
    find_nominal_verbs(c);
    size_t n = s->tokens.count;
    unsigned char *deleted = SCRATCH(&c->deleted, n);
    find_phrase_marks(s, &c->marks);
    mark_comma_clauses(s, &c->options, &c->marks, deleted);
    const char *why = s->complex_phrase ? "a complex ([+++]) phrase" : too_complex(c, s, deleted);
    if (why) {
        if (c->explain)
            fprintf(c->explain, "sentence not coded: %s\n", why);
        return 0;
    }
    if (c->explain)
        explain_tags(c, s, deleted);
    size_t before = out->count;
    int rc = code_clauses(c, s, deleted, out);
    if (rc != 0) {
        drop_events(out, before);
        return rc < 0 ? -1 : 0;
    }
    drop_subordinate(out, before);
    for (size_t i = before; i < out->count; i++)
        out->items[i].issues = issue_list(c->dict, s);
    return (int)(out->count - before);
}

int kh_code_sentence(kh_coder *c, const char *text, size_t len, long date,
                     kh_events *out)
{
    int rc = code_sentence(c, text, len, date, out);
    /* Only now: the sentence's mentions may point into the old context. */
    if (c->options.forward_pronouns)
        kh_forward_update(&c->forward, &c->sentence, c->options.possessive_agents);
    return rc;
}

char *kh_coder_actor_code(kh_coder *c, const char *text, size_t len, long date)
{
    kh_sentence *s = &c->sentence;
    kh_tag_sentence(s, c->dict, text, len, date, &c->options, NULL);
    for (size_t m = 0; m < s->mentions.count; m++) {
        const char *code = kh_mention_code(&s->mentions.items[m]);
        if (code && !is_marker_code(code, '-') && !is_marker_code(code, '#'))
            return kh_xstrdup(code);
    }
    return NULL;
}

void kh_coder_token_view(const kh_coder *c, kh_token_view *view)
{
    view->text = c->sentence.text;
    view->len = c->sentence.text ? c->sentence.len : 0;
    view->tokens = c->sentence.tokens.items;
    view->count = c->sentence.tokens.count;
}
