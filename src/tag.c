/*
 * tag.c -- finds the dictionary's actors, agents, verbs, discards and
 * issues in a tokenised sentence, joins agents to their actors, resolves
 * pronouns and groups compound actors ("Russia, Iran and Turkey").
 *
 * This is the "sparse parse" of TABARI: no grammar, only what the
 * dictionaries know plus a few closed word classes.
 */
#include "tag.h"
#include "short_key.h"
#include "tagger.h"
#include "util.h"
#include "vec.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void kh_sentence_init(kh_sentence *s) { memset(s, 0, sizeof *s); kh_tokens_init(&s->tokens); }

void kh_sentence_free(kh_sentence *s)
{
    kh_tokens_free(&s->tokens);
    KH_VEC_FREE(&s->canon);
    KH_VEC_FREE(&s->word_summary);
    KH_VEC_FREE(&s->next_same);
    KH_VEC_FREE(&s->word_slots);
    KH_VEC_FREE(&s->token_bits);
    KH_VEC_FREE(&s->tags);
    KH_VEC_FREE(&s->mention_at);
    KH_VEC_FREE(&s->verb_at);
    KH_VEC_FREE(&s->mentions);
    KH_VEC_FREE(&s->verbs);
    KH_VEC_FREE(&s->issues);
    KH_VEC_FREE(&s->agents);
    KH_VEC_FREE(&s->phrase_starts);
    KH_VEC_FREE(&s->upos);
    KH_VEC_FREE(&s->lex);
    kh_tagger_cache_free(s->tagger_cache);
    kh_chunking_free(&s->chunks);
}

const char *kh_mention_code(const kh_mention *m)
{
    return m->agent_code[0] ? m->agent_code : m->code;
}

/* The closed-class words, a list for each length: the length, which
 * every token carries, picks the list (most words are in none), and the
 * compare is of a length known where it is made. */
typedef struct closed_word {
    char word[sizeof "THEIR"];      /* room for the longest, NEVER and THEIR */
    unsigned char tag;
} closed_word;

static const closed_word closed_of_2[] = {
    {"HE", KH_TAG_PRONOUN}, {"IT", KH_TAG_PRONOUN}, {"OR", KH_TAG_CONJ}, {"NO", KH_TAG_NEGATION}};
static const closed_word closed_of_3[] = {
    {"AND", KH_TAG_CONJ},    {"BUT", KH_TAG_CONJ},    {"NOR", KH_TAG_CONJ},
    {"SHE", KH_TAG_PRONOUN}, {"HIS", KH_TAG_PRONOUN}, {"HER", KH_TAG_PRONOUN},
    {"ITS", KH_TAG_PRONOUN}, {"HIM", KH_TAG_PRONOUN}, {"NOT", KH_TAG_NEGATION}};
static const closed_word closed_of_4[] = {{"THEY", KH_TAG_PRONOUN}, {"THEM", KH_TAG_PRONOUN}};
static const closed_word closed_of_5[] = {{"THEIR", KH_TAG_PRONOUN}, {"NEVER", KH_TAG_NEGATION}};

/* The tag of the len-byte word w in list[count], else KH_TAG_NONE. */
static inline unsigned char closed_tag_in(const char *w, size_t len, const closed_word *list,
                                          size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (w[0] == list[i].word[0] && memcmp(w, list[i].word, len) == 0)
            return list[i].tag;
    return KH_TAG_NONE;
}

#define CLOSED_TAG_IN(w, len, list) closed_tag_in(w, len, list, sizeof list / sizeof list[0])

/* A letter's bit in the sets below; any other byte lands on some letter's
 * bit, which only lets a word on to the compare. */
#define LETTER_BIT(c) ((uint32_t)1 << (((unsigned)(c) - 'A') & 31))

/* One past the longest closed-class word's length. */
#define CLOSED_LENGTHS (sizeof "THEIR")

/* For each length, the first and the last letters of the closed-class
 * words of that length (the lists above): a test of both turns nearly
 * every other word away with no branch on its length. */
static const uint32_t closed_first[CLOSED_LENGTHS] = {
    [2] = LETTER_BIT('H') | LETTER_BIT('I') | LETTER_BIT('O') | LETTER_BIT('N'),
    [3] = LETTER_BIT('A') | LETTER_BIT('B') | LETTER_BIT('N') | LETTER_BIT('S') |
          LETTER_BIT('H') | LETTER_BIT('I'),
    [4] = LETTER_BIT('T'),
    [5] = LETTER_BIT('T') | LETTER_BIT('N')};
static const uint32_t closed_last[CLOSED_LENGTHS] = {
    [2] = LETTER_BIT('E') | LETTER_BIT('T') | LETTER_BIT('R') | LETTER_BIT('O'),
    [3] = LETTER_BIT('D') | LETTER_BIT('T') | LETTER_BIT('R') | LETTER_BIT('E') |
          LETTER_BIT('S') | LETTER_BIT('M'),
    [4] = LETTER_BIT('Y') | LETTER_BIT('M'),
    [5] = LETTER_BIT('R')};

/* Could the word token (never empty) be a closed-class word, by its
 * length and its first and last letters?  Lengths past the longest read
 * the empty sets at 0. */
static int may_be_closed(const kh_token *tok)
{
    size_t len = tok->len * (tok->len < CLOSED_LENGTHS);     /* arithmetic, not a branch */
    uint32_t first = LETTER_BIT(tok->word[0]);
    uint32_t last = LETTER_BIT(tok->word[tok->len - 1]);
    return ((closed_first[len] & first) != 0) & ((closed_last[len] & last) != 0);  /* one branch */
}

/* The tag of a closed-class word, else KH_TAG_NONE.  Asked of most tokens
 * (those no dictionary entry starts at). */
static unsigned char closed_class_tag(const kh_token *tok)
{
    if (!may_be_closed(tok))
        return KH_TAG_NONE;
    switch (tok->len) {
    case 2: return CLOSED_TAG_IN(tok->word, 2, closed_of_2);
    case 3: return CLOSED_TAG_IN(tok->word, 3, closed_of_3);
    case 4: return CLOSED_TAG_IN(tok->word, 4, closed_of_4);
    case 5: return CLOSED_TAG_IN(tok->word, 5, closed_of_5);
    default: return KH_TAG_NONE;
    }
}

/* ---- matching one phrase at a position ---- */

/* Number of tokens `p` spans starting at token `at`, or 0.  Words joined
 * in the dictionary are consecutive, others up to KH_PHRASE_MAX_GAP words
 * apart; the last may take a regular ending (TABARI manual 5.2.3). */
static int phrase_match_length(const kh_phrase *p, const kh_sentence *s, size_t at)
{
    const kh_tokens *t = &s->tokens;
    size_t pos = at;
    for (int i = 0; i < p->count; i++) {
        int gap = (i == 0 || (p->flags[i] & KH_WORD_NEXT)) ? 0 : KH_PHRASE_MAX_GAP;
        int last = i == p->count - 1, found = 0;
        for (int g = 0; g <= gap && pos < t->count; g++, pos++) {
            const kh_token *tok = &t->items[pos];
            if (!(tok->flags & KH_TOK_WORD))
                return 0;
            if (kh_word_matches_token(p->words[i], p->flags[i], tok->word,
                                      s->canon.items[pos], last)) {
                found = 1;
                pos++;
                break;
            }
        }
        if (!found)
            return 0;
    }
    return (int)(pos - at);
}

static int verb_match_length(const kh_dict *dict, int v, const kh_sentence *s, size_t at)
{
    const kh_verb *verb = &dict->verbs.items[v];
    const kh_phrase *p = &verb->words;
    if (at + p->count > s->tokens.count)
        return 0;
    for (int i = 0; i < p->count; i++) {
        const char *w = s->tokens.items[at + i].word;
        const char *canon = s->canon.items[at + i];
        int ok = i == verb->head ? kh_index_is_verb_form(dict->index, v, w, canon)
                                 : kh_word_matches_token(p->words[i], p->flags[i], w, canon, 0);
        if (!ok)
            return 0;
    }
    return p->count;
}

/* The longest entry of each kind starting at one token. */
typedef struct best_hits {
    const kh_dict *dict;
    const kh_sentence *s;
    const kh_tokens *tokens;
    size_t at;
    int actor, actor_len;
    int agent, agent_len;
    int verb, verb_len;
    int discard, issue, issue_len;
} best_hits;

static int literal_verb(const kh_dict *d, int v, const best_hits *b)
{
    const kh_verb *verb = &d->verbs.items[v];
    return strcmp(verb->words.words[verb->head],
                  b->tokens->items[b->at + verb->head].word) == 0;
}

/* A one-word entry keyed by the token's own word is that word: it spans
 * the token without a look at the entry. */
static int visit_entry(void *ctx, const kh_index_entry *e, int own_word)
{
    best_hits *b = ctx;
    const kh_dict *d = b->dict;
    int known = own_word && !e->several, n;
    switch (e->kind) {
    case KH_HIT_ACTOR:
        n = known ? 1 : phrase_match_length(&d->actors.items[e->entry].phrase, b->s, b->at);
        if (n > b->actor_len) b->actor = e->entry, b->actor_len = n;
        break;
    case KH_HIT_AGENT:
        n = known ? 1 : phrase_match_length(&d->agents.items[e->entry].phrase, b->s, b->at);
        if (n > b->agent_len) b->agent = e->entry, b->agent_len = n;
        break;
    case KH_HIT_VERB:
        n = known ? 1 : verb_match_length(d, e->entry, b->s, b->at);
        /* A verb written as the word itself ("LEFT_") beats a verb whose
         * generated forms include it (LEAVE). */
        if (n > b->verb_len || (n && n == b->verb_len && literal_verb(d, e->entry, b)))
            b->verb = e->entry, b->verb_len = n;
        break;
    case KH_HIT_DISCARD:
        if (known || phrase_match_length(&d->discards.items[e->entry].phrase, b->s, b->at))
            b->discard = e->entry;
        break;
    case KH_HIT_ISSUE:
        n = known ? 1 : phrase_match_length(&d->issues.items[e->entry].phrase, b->s, b->at);
        if (n > b->issue_len) b->issue = e->entry, b->issue_len = n;
        break;
    }
    return 0;
}

/* ---- codes ---- */

static int date_in(const kh_dated_code *c, long date)
{
    if (c->from && date && date < c->from)
        return 0;
    if (c->to && date && date > c->to)
        return 0;
    return 1;
}

/* The code of an actor on the sentence's date: a dated role that covers
 * the date wins over an undated code. */
static const char *resolve_code(const kh_code_set *cs, long date)
{
    const char *undated = NULL;
    for (int i = 0; i < cs->count; i++) {
        const kh_dated_code *c = &cs->items[i];
        if (!c->from && !c->to) {
            if (!undated)
                undated = c->code;
        } else if (date && date_in(c, date)) {
            return c->code;
        }
    }
    if (undated)
        return undated;
    return cs->count ? cs->items[0].code : "---";
}

/* `a` (`an` bytes) then `b` (`bn` bytes) into out[size], cut to fit as
 * snprintf would: agents are joined to most actors of a sentence, and
 * snprintf's format parsing cost more than all the rest of the joining. */
static void join_codes(char *out, size_t size, const char *a, size_t an, const char *b,
                       size_t bn)
{
    if (an > size - 1)
        an = size - 1;
    if (bn > size - 1 - an)
        bn = size - 1 - an;
    memmove(out, a, an);
    memmove(out + an, b, bn);
    out[an + bn] = '\0';
}

/* Adds an agent code to an actor code unless the actor code already has
 * it on a 3-character boundary (TABARI manual 5.4). */
static void compose_code(char *out, size_t size, const char *actor,
                         const kh_agent *agent)
{
    const char *a = agent->code;
    size_t al = strlen(a), cl = strlen(actor);
    for (size_t i = 0; i + al <= cl; i += 3)
        if (memcmp(actor + i, a, al) == 0) {
            join_codes(out, size, actor, cl, "", 0);
            return;
        }
    if (agent->prefix)
        join_codes(out, size, a, al, actor, cl);
    else
        join_codes(out, size, actor, cl, a, al);
}

/* ---- the tagging pass ---- */

static void reset(kh_sentence *s, size_t n)
{
    KH_VEC_RESERVE(&s->tags, n + 1);
    KH_VEC_RESERVE(&s->mention_at, n + 1);
    KH_VEC_RESERVE(&s->verb_at, n + 1);
    KH_VEC_RESERVE(&s->phrase_starts, n + 1);
    s->tags.count = s->mention_at.count = s->verb_at.count = s->phrase_starts.count = n;
    s->lex.count = 0;           /* until the tagger fills it (tag_syntax) */
    memset(s->tags.items, KH_TAG_NONE, n);
    memset(s->phrase_starts.items, 0, n + 1);
    for (size_t i = 0; i < n; i++)
        s->mention_at.items[i] = s->verb_at.items[i] = -1;
    s->mentions.count = s->verbs.count = s->issues.count = s->agents.count = 0;
    s->discarded = 0;
    s->complex_phrase = 0;
}

static void add_mention(kh_sentence *s, const kh_dict *dict, int actor, int first, int last)
{
    kh_mention *m = KH_VEC_PUSH(&s->mentions);
    m->first = first;
    m->last = last;
    m->actor = actor;
    m->agent = -1;
    m->compound = -1;
    m->code = resolve_code(dict->actors.items[actor].codes, s->date);
}

static void add_hit(kh_verb_hit_vec *v, int entry, int first, int last)
{
    kh_verb_hit *h = KH_VEC_PUSH(v);
    h->first = first;
    h->last = last;
    h->head = first;
    h->verb = entry;
}

/* ---- where the dictionary's words stand ---- */

/* Looks up each token's dictionary word and links the tokens that share
 * one, last to first so that each slot ends up with the first.  The same
 * pass over the tokens counts the capitalised words for title_case.  The
 * arrays are read through locals: a store of a word's pointer might
 * otherwise be the sentence's own pointers, and each would be loaded
 * again for every token. */
static void find_words(kh_sentence *s, const kh_dict *dict)
{
    size_t n = s->tokens.count, slots = 16;
    while (slots < 2 * n)
        slots *= 2;
    KH_VEC_RESERVE(&s->canon, n + 1);
    KH_VEC_RESERVE(&s->word_summary, n + 1);
    KH_VEC_RESERVE(&s->next_same, n + 1);
    KH_VEC_RESERVE(&s->word_slots, slots);
    KH_VEC_RESERVE(&s->token_bits, n + 1);
    s->canon.count = s->word_summary.count = s->next_same.count = s->token_bits.count = n;
    s->word_slots.count = slots;
    const kh_token *tokens = s->tokens.items;
    const char **canon_of = s->canon.items;
    unsigned char *summary = s->word_summary.items;
    int *next_same = s->next_same.items, *word_slots = s->word_slots.items;
    kh_word_set *token_bits = s->token_bits.items;
    const struct kh_index *index = dict->index;
    size_t mask = slots - 1;
    for (size_t i = 0; i < slots; i++)
        word_slots[i] = -1;
    /* The word map is larger than the caches: the words' slots are all
     * asked for first, so that the misses overlap.  A slot holds what
     * this pass needs of its word (the summary); the records, and the
     * entries, of the words at which entries may start are asked for
     * here too, for the tagging pass that reads them (kh_index_find). */
    for (size_t i = 0; i < n; i++)
        kh_index_prefetch_lookup(index, tokens[i].word, tokens[i].len);
    for (size_t i = 0; i < n; i++) {
        canon_of[i] = kh_index_lookup(index, tokens[i].word, tokens[i].len, &summary[i]);
        if (summary[i] & KH_SUMMARY_STARTS)
            KH_PREFETCH(kh_index_word_of(canon_of[i]));
    }
    kh_word_set all = {{0, 0}, 0};      /* a local: kept in registers, past the stores */
    size_t words = 0, caps = 0;
    for (size_t i = n; i-- > 0;) {
        const kh_token *tok = &tokens[i];
        unsigned flags = tok->flags;
        const char *canon = canon_of[i];
        words += (flags & KH_TOK_WORD) != 0;
        caps += (flags & (KH_TOK_WORD | KH_TOK_CAPITAL)) == (KH_TOK_WORD | KH_TOK_CAPITAL);
        kh_word_set bits = kh_token_bits(tok->word, canon, summary[i]);
        if (summary[i] & KH_SUMMARY_STARTS)
            kh_index_prefetch_entries(index, canon);
        token_bits[i] = bits;
        kh_word_set_add(&all, bits);
        int next = -1;
        if (canon) {
            size_t k = kh_word_slot(canon, mask);
            while (word_slots[k] >= 0 && canon_of[word_slots[k]] != canon)
                k = (k + 1) & mask;
            next = word_slots[k];
            word_slots[k] = (int)i;
        }
        next_same[i] = next;
    }
    s->word_bits = all;
    s->title_case = caps * 4 >= words * 3;
}

/* "US" written in capitals, in a sentence that is not a headline: news
 * writes the pronoun "us" that way only in headlines (where capitals say
 * nothing), so this is the United States.  Dictionaries cannot say so
 * themselves, since they match without case. */
static inline int is_capital_us(const kh_sentence *s, size_t i)
{
    const kh_token *tok = &s->tokens.items[i];
    /* the letters first: many words have two, few begin with U */
    return tok->word[0] == 'U' && tok->word[1] == 'S' && tok->len == 2 && !s->title_case &&
           tok->end - tok->start == 2 &&
           s->text[tok->start] == 'U' && s->text[tok->start + 1] == 'S';
}

/* Looks the actor phrases at i up again with the token read as "U.S.",
 * the spelling the dictionaries give the country.  Phrases that start with
 * the word "US" itself ("US forces") were already tried. */
static void find_as_us(kh_sentence *s, const kh_dict *dict, size_t i, best_hits *b)
{
    static const char SPELLED[] = "U.S.";
    unsigned char summary;
    const char *canon = kh_index_lookup(dict->index, SPELLED, strlen(SPELLED), &summary);
    if (!canon)
        return;
    const char *was = s->canon.items[i];
    kh_word_set bits = s->word_bits;
    kh_word_set_add(&bits, kh_token_bits(SPELLED, canon, summary));
    s->canon.items[i] = canon;
    kh_index_sentence is = {&s->tokens, s->canon.items, s->word_summary.items, bits, i};
    kh_index_find(dict->index, &is, i, visit_entry, b);
    s->canon.items[i] = was;
}

/* Tags the entry that wins at token i of the sentence `is` describes;
 * returns how many tokens it consumed, 0 if no actor, agent or verb
 * starts there. */
static int tag_entry_at(kh_sentence *s, const kh_dict *dict, const kh_index_sentence *is,
                        size_t i)
{
    best_hits b = {dict, s, &s->tokens, i, -1, 0, -1, 0, -1, 0, -1, -1, 0};
    kh_index_find(dict->index, is, i, visit_entry, &b);
    if (!b.actor_len && is_capital_us(s, i))
        find_as_us(s, dict, i, &b);
    if (!(b.actor_len | b.agent_len | b.verb_len) && b.discard < 0 && b.issue < 0)
        return 0;           /* most often, where only the stems or bases might have had some */
    s->phrase_starts.items[i] = (b.actor_len ? KH_TAGGER_DICT_ACTOR : 0) |
                                (b.agent_len ? KH_TAGGER_DICT_AGENT : 0) |
                                (b.verb_len ? KH_TAGGER_DICT_VERB : 0);
    if (b.discard >= 0) {
        if (dict->discards.items[b.discard].complex_time)
            s->complex_phrase = 1;
        else
            s->discarded = 1;
    }
    if (b.issue >= 0)
        *KH_VEC_PUSH(&s->issues) = b.issue;
    int best = b.actor_len > b.agent_len ? b.actor_len : b.agent_len;
    if (b.actor_len > 0 && b.actor_len >= b.verb_len && b.actor_len >= b.agent_len) {
        add_mention(s, dict, b.actor, (int)i, (int)i + b.actor_len - 1);
        return b.actor_len;
    }
    if (b.agent_len > 0 && b.agent_len >= b.verb_len) {
        add_hit(&s->agents, b.agent, (int)i, (int)i + b.agent_len - 1);
        return b.agent_len;
    }
    if (b.verb_len > 0 && b.verb_len >= best) {
        const kh_verb *v = &dict->verbs.items[b.verb];
        add_hit(&s->verbs, b.verb, (int)i, (int)i + b.verb_len - 1);
        s->verbs.items[s->verbs.count - 1].head = (int)i + v->head;
        for (int k = 0; k < b.verb_len; k++) {
            s->tags.items[i + k] = KH_TAG_VERB;
            s->verb_at.items[i + k] = (int)s->verbs.count - 1;
        }
        return b.verb_len;
    }
    return 0;
}

/* Tags the word token at i; returns how many tokens it consumed.  Most
 * tokens are words no entry can start at (kh_index_may_start), and are
 * told apart without a look at the index. */
static int tag_at(kh_sentence *s, const kh_dict *dict, const kh_index_sentence *is, size_t i)
{
    if (kh_index_may_start(dict->index, is, i) || is_capital_us(s, i)) {
        int n = tag_entry_at(s, dict, is, i);
        if (n)
            return n;
    }
    s->tags.items[i] = closed_class_tag(&s->tokens.items[i]);     /* phrase_starts stays 0 */
    return 1;
}

/* Is the token the word `word`, a literal?  Asked of most tokens, which
 * are other words: inlined, the literal's length is known, and most
 * tokens are turned away by theirs, the rest by a compare of that many
 * bytes, with no call. */
KH_ALWAYS_INLINE int word_is(const kh_token *tok, const char *word)
{
    size_t n = strlen(word);
    return tok->len == n && memcmp(tok->word, word, n) == 0;
}

KH_ALWAYS_INLINE int token_is(const kh_sentence *s, int i, const char *word)
{
    return i >= 0 && (size_t)i < s->tokens.count && word_is(&s->tokens.items[i], word);
}

/* Words that may stand between a possessive and its agent: "Dagolath's
 * first Deputy Prime Minister", "Ithilen's awful and evil minister". */
#define KH_POSSESSIVE_MAX_MODIFIERS 4

/* "Arnor's [modifiers] AGENT": the possessor, or -1. */
static int possessive_owner(const kh_sentence *s, int first, int max_modifiers)
{
    int k = first - 1, words = 0;
    while (k >= 0 && words <= max_modifiers && !token_is(s, k, "'S")) {
        if (s->tags.items[k] != KH_TAG_NONE && s->tags.items[k] != KH_TAG_CONJ)
            return -1;
        if (!(s->tokens.items[k].flags & KH_TOK_WORD))
            return -1;
        k--, words++;
    }
    if (k < 1 || !token_is(s, k, "'S"))
        return -1;
    for (size_t m = 0; m < s->mentions.count; m++)
        if (s->mentions.items[m].last == k - 1)
            return (int)m;
    return -1;
}

/* OF always joins an agent to a country ("the president of Syria").  IN
 * and FROM do only for a subject, before any verb ("soldiers from
 * Gondor attacked"): after a verb the country is where the agent went or
 * came from ("withdraw troops from Syria" is not Syria's troops). */
static int is_agent_preposition(const kh_sentence *s, int i)
{
    if (token_is(s, i, "OF"))
        return 1;
    if (!token_is(s, i, "IN") && !token_is(s, i, "FROM"))
        return 0;
    for (int k = 0; k < i; k++)
        if (s->tags.items[k] == KH_TAG_VERB)
            return 0;
    return 1;
}

/* The mention an agent at [first, last] belongs to: the possessor
 * ("Arnor's president"), the actor right before it ("Israeli
 * president"), right after it ("President Peres"), or after OF, IN or
 * FROM ("president of Israel", "soldiers from Gondor"). */
static int agent_owner(const kh_sentence *s, int first, int last, int possessive)
{
    int owner = possessive_owner(s, first, possessive ? KH_POSSESSIVE_MAX_MODIFIERS : 0);
    if (owner >= 0)
        return owner;
    for (size_t m = 0; m < s->mentions.count; m++) {
        const kh_mention *x = &s->mentions.items[m];
        if (x->last == first - 1 || (x->last == first - 2 && token_is(s, first - 1, "FORMER")))
            return (int)m;
        if (x->first == last + 1)
            return (int)m;
        if (is_agent_preposition(s, last + 1) &&
            (x->first == last + 2 || (x->first == last + 3 && token_is(s, last + 2, "THE"))))
            return (int)m;
    }
    return -1;
}

/* After "Arnor's minister" took the agent, a name right after it
 * ("... minister Calimehtar") is the same person: it joins the mention
 * instead of standing as a second actor. */
static void absorb_following_name(kh_sentence *s, int owner, int agent_last)
{
    for (size_t m = 0; m < s->mentions.count; m++) {
        if ((int)m == owner || s->mentions.items[m].first != agent_last + 1)
            continue;
        s->mentions.items[owner].last = s->mentions.items[m].last;
        s->mentions.items[m] = s->mentions.items[--s->mentions.count];
        return;
    }
}

/* An agent with no actor stands for an actor of unknown country. */
static void add_agent_mention(kh_sentence *s, const kh_agent *agent, int first, int last,
                              int style)
{
    kh_mention *m = KH_VEC_PUSH(&s->mentions);
    m->first = first;
    m->last = last;
    m->actor = -1;
    m->agent = -1;
    m->compound = -1;
    m->code = "---";
    if (style == KH_AGENTS_TABARI)   /* TABARI keeps the connector: "~GOV" */
        snprintf(m->agent_code, sizeof m->agent_code, "%s%s%s", agent->prefix ? "" : "~",
                 agent->code, agent->prefix ? "~" : "");
    else
        compose_code(m->agent_code, sizeof m->agent_code, "---", agent);
}

/* "Danish media and government": an agent right after AND, following an
 * actor that took an agent, is a second agent of the same country.
 * Returns a new mention for it, or -1. */
static int coordinated_agent_owner(kh_sentence *s, const kh_dict *dict, const kh_verb_hit *h)
{
    /* "media and government", "the government and the opposition" */
    int and_at = h->first - 1;
    if (and_at > 0 && (token_is(s, and_at, "THE") || token_is(s, and_at, "ITS")))
        and_at--;
    if (and_at < 1 || !token_is(s, and_at, "AND"))
        return -1;
    for (size_t m = 0; m < s->mentions.count; m++) {
        const kh_mention *x = &s->mentions.items[m];
        if (x->last != and_at - 1 || x->agent < 0 || x->actor < 0)
            continue;
        kh_mention *y = KH_VEC_PUSH(&s->mentions);
        x = &s->mentions.items[m];
        *y = *x;
        y->first = h->first;
        y->last = h->last;
        y->agent = -1;
        y->agent_code[0] = 0;
        return (int)(s->mentions.count - 1);
    }
    return -1;
}

static void attach_agents(kh_sentence *s, const kh_dict *dict, const kh_coder_options *o)
{
    for (size_t a = 0; a < s->agents.count; a++) {
        const kh_verb_hit *h = &s->agents.items[a];
        int m = agent_owner(s, h->first, h->last, o->possessive_agents);
        if (m < 0 && o->possessive_agents)
            m = coordinated_agent_owner(s, dict, h);
        if (m < 0) {
            if (o->agents_as_actors)
                add_agent_mention(s, &dict->agents.items[h->verb], h->first, h->last,
                                  o->agents_as_actors);
            continue;
        }
        kh_mention *x = &s->mentions.items[m];
        /* a second agent adds to the first: "an MSF Arnor diplomat" */
        char base[sizeof x->agent_code];
        const char *code = kh_mention_code(x);
        join_codes(base, sizeof base, code, strlen(code), "", 0);
        compose_code(x->agent_code, sizeof x->agent_code, base, &dict->agents.items[h->verb]);
        x->agent = h->verb;
        x->agent_side = h->first < x->first ? -1 : 1;
        if (h->first < x->first)
            x->first = h->first;
        if (h->last > x->last) {
            int possessive = x->last < h->first;
            x->last = h->last;
            if (possessive && o->possessive_agents)
                absorb_following_name(s, m, h->last);
        }
    }
}

/* TABARI's coreference rules (manual 7.7): HE, SHE, IT (and their object
 * and possessive forms) stand for the first actor of the sentence before
 * them; THEY, THEM, THEIR for the first compound actor, else the first
 * actor.  Crude, but right for most news leads, where the first actor is
 * the subject. */
static int plural_pronoun(const char *w)
{
    return !strcmp(w, "THEY") || !strcmp(w, "THEM") || !strcmp(w, "THEIR");
}

static int pronoun_owner(const kh_sentence *s, size_t original, int at)
{
    int plural = plural_pronoun(s->tokens.items[at].word);
    int first = -1;
    for (size_t m = 0; m < original; m++) {
        const kh_mention *x = &s->mentions.items[m];
        if (x->last >= at)
            continue;
        if (plural && x->compound >= 0)
            return (int)m;
        if (first < 0 || x->first < s->mentions.items[first].first)
            first = (int)m;
    }
    return first;
}

/* A pronoun with no antecedent takes the previous sentence's actor. */
static void forward_pronoun(kh_sentence *s, int at)
{
    const kh_forward *f = s->forward;
    if (!f)
        return;
    const char *code = plural_pronoun(s->tokens.items[at].word) && f->plural ? f->plural : f->single;
    if (!code)
        return;
    kh_mention *m = KH_VEC_PUSH(&s->mentions);
    m->first = m->last = at;
    m->code = code;
    m->actor = -1;
    m->agent = -1;
    m->compound = -1;
    m->pronoun = 1;
}

static void append_code(char **out, const char *code)
{
    size_t old = *out ? strlen(*out) : 0, n = strlen(code);
    *out = kh_xrealloc(*out, old + n + 2);
    if (old)
        (*out)[old++] = '/';
    memcpy(*out + old, code, n + 1);
}

void kh_forward_clear(kh_forward *f)
{
    free(f->single);
    free(f->plural);
    f->single = f->plural = NULL;
}

void kh_forward_update(kh_forward *f, const kh_sentence *s, int with_agents)
{
    char *single = NULL, *plural = NULL;
    int group = -1;
    for (size_t m = 0; m < s->mentions.count; m++) {
        const kh_mention *x = &s->mentions.items[m];
        /* TABARI forwards the actor, not its office; PETRARCH the whole
         * noun phrase ("he" after "Egypt's foreign minister" is EGYGOV) */
        const char *code = with_agents ? kh_mention_code(x) : x->code;
        if (x->pronoun || x->actor < 0 || !strcmp(code, "---"))
            continue;
        if (!single)
            single = kh_xstrdup(code);
        if (x->compound >= 0 && (group < 0 || x->compound == group)) {
            group = x->compound;
            append_code(&plural, code);
        }
    }
    if (!single)
        return;             /* keep the older context: "It also said ..." */
    kh_forward_clear(f);
    f->single = single;
    f->plural = plural;
}

static int possessive_pronoun(const char *w)
{
    return !strcmp(w, "ITS") || !strcmp(w, "HIS") || !strcmp(w, "HER") || !strcmp(w, "THEIR");
}

/* The first token from `from` on tagged a pronoun, or the token count.
 * Most sentences have none: memchr passes over many tags at a time. */
static size_t next_pronoun(const kh_sentence *s, size_t from)
{
    size_t n = s->tokens.count;
    const unsigned char *tags = s->tags.items;
    const unsigned char *at = from < n ? memchr(tags + from, KH_TAG_PRONOUN, n - from) : NULL;
    return at ? (size_t)(at - tags) : n;
}

static void resolve_pronouns(kh_sentence *s, int possessives)
{
    size_t original = s->mentions.count, n = s->tokens.count;
    for (size_t i = next_pronoun(s, 0); i < n; i = next_pronoun(s, i + 1)) {
        /* "its embassy" names the embassy, not an actor (PETRARCH) */
        if (!possessives && possessive_pronoun(s->tokens.items[i].word))
            continue;
        int owner = pronoun_owner(s, original, (int)i);
        if (owner < 0) {
            forward_pronoun(s, (int)i);
            continue;
        }
        kh_mention copy = s->mentions.items[owner];
        copy.first = copy.last = (int)i;
        copy.pronoun = 1;
        if (!plural_pronoun(s->tokens.items[i].word))
            copy.compound = -1;   /* "it" is one member, not the group */
        *KH_VEC_PUSH(&s->mentions) = copy;
    }
}

static int compare_mentions(const void *a, const void *b)
{
    return ((const kh_mention *)a)->first - ((const kh_mention *)b)->first;
}

/* Up to this many mentions, an insertion sort: a sentence has a handful,
 * found nearly in order, and qsort called back for every comparison and
 * merged through a buffer.  Past it (a run-on "sentence" of a table or a
 * list), the quadratic worst case would cost more than qsort does. */
#define KH_MENTIONS_INSERTION_MAX 32

void kh_mentions_sort(kh_mention *m, size_t n)
{
    if (n > KH_MENTIONS_INSERTION_MAX) {
        /* glibc's qsort merge-sorts: stable, as the loop below is */
        qsort(m, n, sizeof *m, compare_mentions);
        return;
    }
    for (size_t i = 1; i < n; i++) {
        if (m[i - 1].first <= m[i].first)
            continue;
        kh_mention moving = m[i];
        size_t j = i;
        for (; j > 0 && m[j - 1].first > moving.first; j--)
            m[j] = m[j - 1];
        m[j] = moving;
    }
}

/* Words allowed between AND and the next actor of a compound: an article
 * and a few modifiers ("Fornost and the evil awful Gondor"). */
#define KH_COMPOUND_MAX_MODIFIERS 3

/* Are tokens [from, to) the joint of a compound actor: commas and AND,
 * with an optional article and modifiers after the AND? */
/* Is there a verb after token `from`, before the next comma, stop or
 * conjunction? */
static int has_own_verb(const kh_sentence *s, int from)
{
    for (size_t k = (size_t)from; k < s->tokens.count; k++) {
        if ((s->tokens.items[k].flags & (KH_TOK_COMMA | KH_TOK_STOP)) ||
            s->tags.items[k] == KH_TAG_CONJ)
            return 0;
        if (s->tags.items[k] == KH_TAG_VERB)
            return 1;
    }
    return 0;
}

static int joined_as_compound(const kh_sentence *s, int from, int to)
{
    int saw_joiner = 0, i = from;
    for (; i < to; i++) {
        const kh_token *t = &s->tokens.items[i];
        if (t->flags & KH_TOK_COMMA)
            saw_joiner = 1;
        else if (word_is(t, "AND") || word_is(t, "OR") || word_is(t, "NOR"))
            saw_joiner = 2;
        else
            break;
    }
    if (!saw_joiner)
        return 0;
    /* "..., the awful Fornost, and good Gondor" */
    if (i < to && (token_is(s, i, "THE") || token_is(s, i, "A") || token_is(s, i, "AN")))
        i++;
    if (to - i > KH_COMPOUND_MAX_MODIFIERS)
        return 0;
    for (int k = i; k < to; k++)
        if (s->tags.items[k] != KH_TAG_NONE || !(s->tokens.items[k].flags & KH_TOK_WORD))
            return 0;
    /* "..., the Osgiliath newspaper said": after a comma alone, an actor
     * that has its own verb starts a clause; it does not join the list */
    return saw_joiner == 2 || !has_own_verb(s, to);
}

/* Mentions separated only by commas and AND form a compound actor. */
/* Does a conjunction join the members of compound group g?  A list needs
 * one ("Russia, Iran and Turkey"); commas alone join an actor to an
 * apposition or a new clause ("against Libya, alliance officials said"). */
static int group_has_conjunction(const kh_sentence *s, int g)
{
    int first = -1, last = -1;
    for (size_t m = 0; m < s->mentions.count; m++)
        if (s->mentions.items[m].compound == g) {
            if (first < 0)
                first = s->mentions.items[m].first;
            last = s->mentions.items[m].last;
        }
    for (int i = first; i >= 0 && i <= last; i++)
        if (token_is(s, i, "AND") || token_is(s, i, "OR") || token_is(s, i, "NOR"))
            return 1;
    return 0;
}

static void group_compounds(kh_sentence *s)
{
    int group = 0;
    for (size_t m = 0; m + 1 < s->mentions.count; m++) {
        kh_mention *x = &s->mentions.items[m], *y = &s->mentions.items[m + 1];
        if (!joined_as_compound(s, x->last + 1, y->first) || x->pronoun || y->pronoun)
            continue;
        if (x->compound < 0)
            x->compound = group++;
        y->compound = x->compound;
    }
    for (int g = 0; g < group; g++)
        if (!group_has_conjunction(s, g))
            for (size_t m = 0; m < s->mentions.count; m++)
                if (s->mentions.items[m].compound == g)
                    s->mentions.items[m].compound = -1;
}

/* "Lawmakers in Fornost and Gondor", "Fornost and Gondor lawmakers": an
 * agent at either end of a compound actor belongs to every member. */
static void share_compound_agents(kh_sentence *s, const kh_dict *dict)
{
    for (size_t m = 0; m < s->mentions.count; m++) {
        kh_mention *x = &s->mentions.items[m];
        int g = x->compound;
        if (g < 0 || x->agent < 0)
            continue;
        int first_of_group = m == 0 || s->mentions.items[m - 1].compound != g;
        int last_of_group = m + 1 == s->mentions.count || s->mentions.items[m + 1].compound != g;
        if (!((x->agent_side < 0 && first_of_group) || (x->agent_side > 0 && last_of_group)))
            continue;
        for (size_t k = 0; k < s->mentions.count; k++) {
            kh_mention *y = &s->mentions.items[k];
            if (y->compound != g || y->agent >= 0)
                continue;
            compose_code(y->agent_code, sizeof y->agent_code, y->code, &dict->agents.items[x->agent]);
            y->agent = x->agent;
            y->agent_side = x->agent_side;
        }
    }
}

/* "former" before an actor or its agent makes the agent an elite (ELI),
 * CAMEO's rule for former office holders (TABARI manual 5.4.1). */
static void apply_former(kh_sentence *s)
{
    for (size_t m = 0; m < s->mentions.count; m++) {
        kh_mention *x = &s->mentions.items[m];
        int former = 0;
        for (int k = x->first - 1; k <= x->last && !former; k++)
            former = k >= 0 && token_is(s, k, "FORMER");
        if (!former)
            continue;
        const char *base = x->code;
        char code[2 * KH_MAX_COMPOSED_CODE];
        if (x->agent_code[0] && x->agent >= 0 && strcmp(x->agent_code, x->code) != 0)
            snprintf(code, sizeof code, "%sELI", base);
        else
            snprintf(code, sizeof code, "%sELI", kh_mention_code(x));
        snprintf(x->agent_code, sizeof x->agent_code, "%.*s", (int)sizeof x->agent_code - 1, code);
    }
}

/* The tagger's tags, or a given parse's, and the structure from them. */
static void tag_syntax(kh_sentence *s)
{
    size_t n = s->tokens.count;
    KH_VEC_RESERVE(&s->upos, n + 1);
    s->upos.count = n;
    const kh_lex_word *lex = NULL;      /* kh_chunk looks the words up */
    if (s->given && s->given->tokens.count == n) {
        for (size_t i = 0; i < n; i++)
            s->upos.items[i] = s->given->tokens.items[i].upos;
    } else {
        if (!s->tagger_cache)
            s->tagger_cache = kh_tagger_cache_new(&kh_tagger_default_model);
        KH_VEC_RESERVE(&s->lex, n + 1);
        kh_tagger_tag_cached(s->tagger_cache, &s->tokens, s->text, s->phrase_starts.items,
                             s->upos.items, s->lex.items);
        s->lex.count = n;
        lex = s->lex.items;
    }
    kh_chunk_fix_tags(&s->tokens, s->upos.items);
    kh_chunk(&s->chunks, &s->tokens, s->upos.items, lex);
}

void kh_tag_sentence(kh_sentence *s, const kh_dict *dict, const char *text,
                     size_t len, long date, const kh_coder_options *options,
                     const kh_forward *forward)
{
    s->forward = forward;
    s->text = text;
    s->len = len;
    s->date = date;
    kh_tokenize(&s->tokens, text, len);
    size_t n = s->tokens.count;
    reset(s, n);
    find_words(s, dict);
    const kh_index_sentence is = {&s->tokens, s->canon.items, s->word_summary.items, s->word_bits,
                                  KH_INDEX_NO_RESPELLING};
    const kh_token *tokens = s->tokens.items;     /* not reloaded past each tag stored */
    for (size_t i = 0; i < n;) {
        if (!(tokens[i].flags & KH_TOK_WORD)) {
            i++;
            continue;
        }
        i += tag_at(s, dict, &is, i);
    }
    attach_agents(s, dict, options);
    kh_mentions_sort(s->mentions.items, s->mentions.count);
    group_compounds(s);
    if (options->possessive_agents)
        share_compound_agents(s, dict);
    apply_former(s);
    resolve_pronouns(s, options->possessive_pronouns);
    kh_mentions_sort(s->mentions.items, s->mentions.count);
    for (size_t m = 0; m < s->mentions.count; m++) {
        const kh_mention *x = &s->mentions.items[m];
        for (int i = x->first; i <= x->last; i++) {
            s->mention_at.items[i] = (int)m;
            s->tags.items[i] = KH_TAG_ACTOR;
        }
    }
    /* The rules need the syntax only where there is a verb to code: a
     * sentence without a dictionary verb yields no event, nor does a
     * discarded one, and tagging is most of the cost of a sentence. */
    s->has_syntax = options->syntax && s->verbs.count > 0 && !s->discarded;
    if (s->has_syntax || s->want_syntax)
        tag_syntax(s);
    s->given = NULL;           /* it was this sentence's */
}
