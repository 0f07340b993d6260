/*
 * tag.h -- the coder's view of one sentence: tokens, the actors and
 * verbs the dictionaries found in them, and the clause structure.
 *
 * Built by tag.c (dictionary hits, agents, pronouns, compounds) and read
 * by coder.c (clauses, patterns, events).  All arrays are reused from
 * sentence to sentence by one kh_coder, so coding allocates nothing once
 * the buffers have grown to the longest sentence seen.
 */
#ifndef KH_TAG_H
#define KH_TAG_H

#include "chunk.h"
#include "parse.h"
#include "dict.h"
#include "dict_index.h"
#include "kh_limits.h"
#include "token.h"
#include "vec.h"

/* What a token is, as far as the coder cares. */
typedef enum {
    KH_TAG_NONE,
    KH_TAG_ACTOR,       /* part of an actor mention */
    KH_TAG_VERB,        /* the head or a particle of a verb */
    KH_TAG_CONJ,        /* AND, BUT, OR, NOR */
    KH_TAG_PRONOUN,
    KH_TAG_NEGATION     /* NOT, NEVER, NO */
} kh_tag;

/* An actor mention: a run of tokens naming one actor (with its agent, if
 * any), or a pronoun resolved to an earlier mention. */
typedef struct kh_mention {
    int first, last;        /* token range, inclusive */
    const char *code;       /* resolved code; may contain "/" (coded
                               compound); "---" for a null actor */
    char agent_code[KH_MAX_COMPOSED_CODE];  /* actor+agent code, if an agent
                               attached; else "" */
    int compound;           /* compound group id, -1 if alone */
    int pronoun;            /* resolved from a pronoun */
    int actor;              /* dictionary actor index, -1 for agent-only */
    int agent;              /* attached agent's index, -1 if none */
    int agent_side;         /* where the agent stands: -1 before the
                               actor ("lawmakers in X"), 1 after it */
} kh_mention;

typedef struct kh_verb_hit {
    int first, last;        /* token range of the (multi-word) verb */
    int head;               /* token of the inflected word */
    int verb;               /* dictionary verb index */
} kh_verb_hit;

/* Verb or agent hits of a sentence; named because tag.c passes one to
 * a function. */
typedef KH_VEC(kh_verb_hit) kh_verb_hit_vec;

/* Actors carried from the previous sentence of the same document, for a
 * pronoun with no antecedent in its own sentence ("He also asked ..."). */
typedef struct kh_forward {
    char *single;           /* the first actor's code, or NULL */
    char *plural;           /* the first compound's codes joined by "/" */
} kh_forward;

typedef struct kh_sentence {
    const char *text;
    const kh_forward *forward;      /* may be NULL */
    size_t len;
    long date;
    kh_tokens tokens;
    /* Each token's dictionary word (its one spelling, kh_index_lookup;
     * NULL for none), so that matching compares pointers. */
    KH_VEC(const char *) canon;
    /* Each token's dictionary word's summary (kh_index_lookup), 0 for none. */
    KH_VEC(unsigned char) word_summary;
    /* Where each dictionary word stands: next_same links a token to the
     * next one with the same word (-1 at the last); word_slots is a small
     * hash table (a power of two, at least twice the tokens) of the first
     * token of each word.  See kh_sentence_first_word. */
    KH_VEC(int) next_same;
    KH_VEC(int) word_slots;
    KH_VEC(kh_word_set) token_bits; /* kh_token_bits per token */
    kh_word_set word_bits;          /* all tokens' bits together */
    KH_VEC(unsigned char) tags;     /* kh_tag per token */
    KH_VEC(int) mention_at;         /* token -> mention index or -1 */
    KH_VEC(int) verb_at;            /* token -> verb hit index or -1 */
    KH_VEC(kh_mention) mentions;
    kh_verb_hit_vec verbs;
    KH_VEC(int) issues;             /* issue entries found */
    kh_verb_hit_vec agents;         /* agent hits; `verb` = agent index */
    /* Syntax (options->syntax): per token the dictionary phrases that
     * start there (the tagger's KH_TAGGER_DICT_* features) and its UPOS
     * tag, and the structure built from the tags. */
    int has_syntax;                 /* the rules use it (options->syntax) */
    int want_syntax;                /* build it anyway (set by the coder) */
    const kh_parse *given;          /* a given parse, for the next sentence
                                       only (kh_coder_use_parse) */
    /* Per token, the KH_TAGGER_DICT_* kinds of dictionary phrase the
     * longest-match pass found starting there (a token inside a longer
     * phrase is 0: it is not asked twice): the tagger's dictionary
     * features.  Filled by every kh_tag_sentence. */
    KH_VEC(unsigned char) phrase_starts;
    KH_VEC(kh_upos) upos;
    KH_VEC(kh_lex_word) lex;        /* per token, from the tagger's cache;
                                       count 0 when the tagger did not run
                                       on this sentence */
    struct kh_tagger_cache *tagger_cache;  /* made at the first tagging */
    kh_chunking chunks;
    int discarded;                  /* a discard phrase matched */
    int complex_phrase;            /* a complex ([+++]) phrase matched */
    int title_case;                /* three in four words capitalised: a
                                      headline, where capitals say nothing */
} kh_sentence;

void kh_sentence_init(kh_sentence *s);
void kh_sentence_free(kh_sentence *s);

/* Remembers this sentence's actors in `f` for the next sentence. */
void kh_forward_update(kh_forward *f, const kh_sentence *s, int with_agents);
void kh_forward_clear(kh_forward *f);

/* Tokenises and tags `text` against the frozen dictionary. */
void kh_tag_sentence(kh_sentence *s, const kh_dict *dict, const char *text,
                     size_t len, long date, const kh_coder_options *options,
                     const kh_forward *forward);

/* The slot where the search for `canon` begins in a word_slots table of
 * mask + 1 slots. */
static inline size_t kh_word_slot(const char *canon, size_t mask)
{
    /* Fibonacci hashing of the pointer; its low bits are alignment. */
    uint64_t h = ((uint64_t)(uintptr_t)canon >> 3) * 0x9E3779B97F4A7C15ull;
    return (size_t)(h >> 32) & mask;
}

/* The slot of s->word_slots where the search for `canon` begins. */
static inline size_t kh_sentence_word_slot(const kh_sentence *s, const char *canon)
{
    return kh_word_slot(canon, s->word_slots.count - 1);
}

/* The first token whose dictionary word is `canon` (a word of the frozen
 * dictionary), or -1; the next ones follow s->next_same.  Inline: the
 * coder asks it of every whole word of every pattern it tries. */
static inline int kh_sentence_first_word(const kh_sentence *s, const char *canon)
{
    for (size_t i = kh_sentence_word_slot(s, canon);; i = (i + 1) & (s->word_slots.count - 1)) {
        int t = s->word_slots.items[i];
        if (t < 0 || s->canon.items[t] == canon)
            return t;
    }
}

/* Sorts mentions by their first token, keeping the order of mentions that
 * start at the same token (a pronoun's copy after its antecedent). */
void kh_mentions_sort(kh_mention *m, size_t n);

/* The code a mention stands for (agent-composed if an agent attached). */
const char *kh_mention_code(const kh_mention *m);

#endif
