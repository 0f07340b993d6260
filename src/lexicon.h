/*
 * lexicon.h -- the closed word classes the enrich stage asks about.
 *
 * when.c and where.c need to know, for every word of a sentence, whether
 * it is a month, a weekday, a count, a preposition that opens a date or a
 * place, a word that opens a clause or ends a locative phrase.  The words
 * and their classes are one list, tools/gen_lexicon.py, compiled into a
 * const hash (src/lexicon_table.c), so each word is classified with one
 * hash and one compare, once per sentence, and code compares word ids
 * (lexicon_words.h) instead of strings.
 *
 * Matching is ASCII case-insensitive and exact: "Tuesday" and "TUESDAY"
 * are KH_LW_TUESDAY, "Tuesdays" and "Tuesday's" are not words of the
 * lexicon.  Every word is lower-case ASCII letters (a few start with an
 * apostrophe: "'s"), so text with other bytes never matches.
 *
 * chunk.c classifies each token of a sentence once, the same way, for the
 * structure's questions (KH_LEX_NEGATOR ... KH_LEX_RELATIVE_PRONOUN).
 */
#ifndef KH_LEXICON_H
#define KH_LEXICON_H

#include "lexicon_words.h"
#include "token.h"

#include <stddef.h>

/* Word classes: a word may be in several ("since" opens a date, a year, a
 * clause and ends a locative phrase). */
enum {
    KH_LEX_MONTH = 1u << 0,            /* "january"; value 1..12 */
    KH_LEX_MONTH_ABBR = 1u << 1,       /* "jan", "sept"; value 1..12 */
    KH_LEX_WEEKDAY = 1u << 2,          /* "sunday"; value 0..6, 0 = Sunday */
    KH_LEX_WEEKDAY_ABBR = 1u << 3,     /* "tues"; value 0..6 */
    KH_LEX_COUNT = 1u << 4,            /* "a", "three"; value the count */
    KH_LEX_DAY_PART = 1u << 5,         /* "morning", "afternoon", "evening" */
    KH_LEX_DATE_PREP = 1u << 6,        /* may stand before a date */
    KH_LEX_YEAR_PREP = 1u << 7,        /* makes a bare number a year */
    KH_LEX_CLAUSE = 1u << 8,           /* opens a clause */
    KH_LEX_COMMA_CLAUSE = 1u << 9,     /* opens a clause after a comma */
    KH_LEX_LOCATIVE = 1u << 10,        /* introduces a place */
    KH_LEX_PHRASE_END = 1u << 11,      /* ends a locative phrase */
    KH_LEX_PLACE_NOUN_OF = 1u << 12,   /* "the town of X" */
    KH_LEX_PLACE_NOUN_AFTER = 1u << 13,/* "the Damascus suburb" */
    KH_LEX_REGION_NOUN = 1u << 14,     /* "Idlib province" */
    KH_LEX_PAST_REPORTING = 1u << 15,  /* "said", "told": dates a report */
    KH_LEX_ENGLISH_FUNCTION = 1u << 16,/* "the", "of": English prose (language.c) */
    /* The structure's (chunk.c): */
    KH_LEX_REPORTING_VERB = 1u << 17,  /* "said", "tells": governs what was said */
    KH_LEX_NEGATOR = 1u << 18,         /* "not", "never" */
    KH_LEX_FUTURE_MODAL = 1u << 19,    /* "will", "would" */
    KH_LEX_HYPOTHETICAL_MODAL = 1u << 20, /* "could", "must" */
    KH_LEX_PASSIVE_AUX = 1u << 21,     /* forms of BE and GET */
    KH_LEX_PERFECT_AUX = 1u << 22,     /* forms of HAVE */
    KH_LEX_POSSESSIVE_PRONOUN = 1u << 23, /* "its": a determiner */
    KH_LEX_SUBORDINATING_PREP = 1u << 24, /* "after" may open a clause */
    KH_LEX_RELATIVE_PRONOUN = 1u << 25 /* "which", "who" */
};

typedef struct kh_lex_entry {
    const char *word;
    unsigned char len;
    unsigned classes;   /* KH_LEX_* */
    int value;          /* the month, weekday or count; else 0 */
} kh_lex_entry;

/* Index KH_LW_NONE is an empty entry with no classes. */
extern const kh_lex_entry kh_lex_entries[KH_LW_COUNT];
extern const unsigned short kh_lex_slots[KH_LEX_SLOTS];

/* The word text[0..len) as a lexicon word, or KH_LW_NONE. */
kh_lex_word kh_lex_find(const char *text, size_t len);

/* The lexicon word of a token's (upper-cased) word; KH_LW_NONE for
 * punctuation and numbers, which no lexicon word is. */
kh_lex_word kh_lex_of_token(const kh_token *tok);
/* The same when the length of its word, `n`, is known. */
kh_lex_word kh_lex_of_word(const kh_token *tok, size_t n);

/* A sentence's tokens with each one's lexicon word, classified once:
 * what the enrich stage reads (when.c, where.c).  The tokens are the
 * coder's (kh_lex_sentence_set, from kh_coder_token_view) or, for a
 * sentence nobody coded, made here by the same tokenizer
 * (kh_lex_sentence_tokenize).  Buffers are reused from sentence to
 * sentence; one per thread. */
typedef struct kh_lex_sentence {
    const char *text;           /* the sentence */
    size_t len;
    const kh_token *tokens;     /* the coder's, or own.items */
    size_t count;
    kh_lex_word *lex;           /* per token; KH_LW_NONE for most */
    size_t cap;                 /* of lex */
    kh_tokens own;              /* tokens made by kh_lex_sentence_tokenize */
} kh_lex_sentence;

void kh_lex_sentence_init(kh_lex_sentence *s);
void kh_lex_sentence_free(kh_lex_sentence *s);
/* Classifies the tokens of `view`, which must stay valid while `s` is
 * read.  `lex`, when not NULL, is each token's lexicon word already
 * known (the tagger's, kh_sentence.lex: kh_lex_of_token of each); else
 * each word is looked up here. */
void kh_lex_sentence_set(kh_lex_sentence *s, const kh_token_view *view,
                         const kh_lex_word *lex);
/* Tokenizes text[0..len) (kh_tokenize) and classifies its tokens. */
void kh_lex_sentence_tokenize(kh_lex_sentence *s, const char *text, size_t len);

/* Token k of s is a plain word as the text spells it (KH_TOK_PLAIN: only
 * ASCII letters and digits, and its word exactly those bytes
 * upper-cased).  Such a token's word is cut the same by any reading of
 * the text that splits at punctuation and spaces, so the enrich stage
 * takes it, and its lexicon word, as it is.  The tokenizer marks it. */
static inline int kh_lex_plain_token(const kh_lex_sentence *s, size_t k)
{
    return (s->tokens[k].flags & KH_TOK_PLAIN) != 0;
}

static inline const kh_lex_entry *kh_lex_entry_of(kh_lex_word w)
{
    return &kh_lex_entries[w];
}

#endif
