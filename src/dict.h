/*
 * dict.h -- the in-memory dictionary model.
 *
 * The readers (dict_verbs.c, dict_actors.c, dict_lists.c, see dict_read.h)
 * fill these arrays; the index (dict_index.c) and the coder (coder.c) only
 * read them.  Everything is
 * allocated from the dictionary's arena, so an entry never owns memory of
 * its own and the whole model is freed at once by kh_dict_free.
 *
 * Words are stored upper-case, ASCII letters upper-cased and other bytes
 * kept (tokens are normalised the same way, see token.c).  Hyphens in
 * dictionary phrases become word breaks with KH_WORD_NEXT, because the
 * tokenizer splits "al-Qaeda" into AL, QAEDA.
 */
#ifndef KH_DICT_H
#define KH_DICT_H

#include "khaldun.h"
#include "arena.h"
#include "kh_limits.h"
#include "vec.h"

/* Flags of one word in a phrase or pattern. */
enum {
    /* Matches any token that begins with the word (a TABARI "stem": no
     * trailing underscore).  Set only by readers of formats that stem. */
    KH_WORD_STEM = 1u << 0,
    /* Must immediately follow the previous element: the two were joined by
     * "_" (or were one hyphenated word) in the dictionary. */
    KH_WORD_NEXT = 1u << 1,
    /* TABARI "XXXX~": may have any ending, next element must follow. */
    KH_WORD_TILDE = 1u << 2,
    /* No regular endings (-S, -ED, -ING ...): the word ended with "=". */
    KH_WORD_NOENDINGS = 1u << 3
};

/* The dictionary syntaxes we read.  Readers detect the syntax from the
 * content; the coder uses it only where the peers genuinely differ. */
typedef enum {
    KH_SYNTAX_TABARI,
    KH_SYNTAX_PETRARCH1,
    KH_SYNTAX_PETRARCH2
} kh_syntax;

/* A sequence of consecutive words: an actor, agent, discard or issue
 * phrase, or the words of a multi-word verb. */
typedef struct kh_phrase {
    const char **words;
    unsigned char *flags;   /* KH_WORD_* per word */
    int count;
} kh_phrase;

/* Where an entry came from, for "why this event?" and for errors. */
typedef struct kh_origin {
    const char *file;       /* interned in the arena */
    long line;
} kh_origin;

/* One code of an actor, valid for dates in [from, to] (YYYYMMDD,
 * inclusive; 0 means unbounded on that side).  A code with "/" in it
 * ("USA/GMW/FRN") is a coded compound: several actors at once. */
typedef struct kh_dated_code {
    const char *code;
    long from, to;
    long line;              /* the line of its "[...]" in the file of the
                               entry (an indented restriction line may
                               follow the phrase), for dict check */
} kh_dated_code;

/* The codes shared by an actor and all its synonyms. */
typedef struct kh_code_set {
    kh_dated_code *items;
    int count;
} kh_code_set;

typedef struct kh_actor {
    kh_phrase phrase;
    kh_code_set *codes;     /* shared with the entry's synonyms */
    int primary;            /* index of the entry this is a synonym of, or
                               its own index */
    kh_origin origin;
} kh_actor;

typedef struct kh_agent {
    kh_phrase phrase;
    const char *code;       /* without the "~" */
    int prefix;             /* 1 for "XXX~": agent code goes before the
                               actor code; 0 for "~XXX": after it */
    kh_origin origin;
} kh_agent;

/* Elements of a verb pattern or synset alternative. */
typedef enum {
    KH_EL_WORD,             /* a literal word; flags are KH_WORD_* */
    KH_EL_SYNSET,           /* &NAME: any alternative of a synset */
    KH_EL_VERB,             /* "*": where the verb stands */
    KH_EL_SOURCE,           /* "$": the source actor */
    KH_EL_TARGET,           /* "+": the target actor */
    KH_EL_COMPOUND,         /* "%": a compound actor, source and target */
    KH_EL_SKIP,             /* "^": skip one actor */
    KH_EL_ALT_BEGIN,        /* "{" of a TABARI alternative set */
    KH_EL_ALT_OR,           /* "|" */
    KH_EL_ALT_END,          /* "}" */
    KH_EL_NP_BEGIN,         /* PETRARCH-2 "{" noun phrase group */
    KH_EL_NP_END,
    KH_EL_PP_BEGIN,         /* PETRARCH-2 "(" prepositional phrase group */
    KH_EL_PP_END
} kh_elem_kind;

typedef struct kh_elem {
    unsigned char kind;     /* kh_elem_kind */
    unsigned char flags;    /* KH_WORD_*; KH_WORD_NEXT also for non-words */
    int synset;             /* index into kh_dict.synsets for KH_EL_SYNSET */
    const char *word;       /* KH_EL_WORD only */
} kh_elem;

/* An event code: "042", "---" (null: matches but codes nothing), "###"
 * (discard the sentence), or a paired code "032:033" split into two. */
enum {
    KH_CODE_SUBORDINATE = 1u << 0,  /* "023?": coded only if the sentence
                                       has no other event */
    KH_CODE_DOMINANT = 1u << 1      /* "111!": wins over other events */
};

typedef struct kh_code {
    char code[KH_MAX_EVENT_CODE + 1];
    char paired[KH_MAX_EVENT_CODE + 1]; /* second event, reversed roles;
                                           "" if none */
    unsigned flags;         /* KH_CODE_* */
} kh_code;

typedef struct kh_pattern {
    kh_elem *elems;
    int count;
    kh_code code;
    int verbset;            /* the block the pattern belongs to */
    int length;             /* ordering key: letters in the fixed text;
                               longer patterns are tried first */
    const char *text;       /* the pattern as written, for provenance */
    kh_origin origin;
} kh_pattern;

/* A verb block: a TABARI verb with its patterns, or a PETRARCH
 * "--- NAME [code] ---" block whose verbs share one pattern list. */
typedef struct kh_verbset {
    const char *name;
    kh_code code;           /* default code of the block */
    int *patterns;          /* indexes into kh_dict.patterns, longest
                               first after kh_dict_freeze */
    int pattern_count;
    kh_origin origin;
} kh_verbset;

/* One surface verb.  Multi-word verbs ("STIR UP", "CARRY_OUT") have
 * several words; `head` is the index of the inflected word.  `forms`
 * lists irregular or explicit forms of the head ({BROKE BROKEN}); regular
 * forms are generated by morph.c at freeze time. */
typedef struct kh_verb {
    kh_phrase words;
    int head;
    const char **forms;
    int form_count;
    int verbset;
    kh_code code;           /* the verb's own code; code[0] == 0 means
                               use the block's */
    unsigned char syntax;   /* kh_syntax of the file it came from */
    kh_origin origin;
} kh_verb;

/* A synset (&NAME): alternatives, each a short element sequence. */
typedef struct kh_synset {
    const char *name;       /* without the "&" */
    kh_elem **alts;
    int *alt_counts;
    int count;
    kh_origin origin;       /* its first declaration */
} kh_synset;

typedef struct kh_discard {
    kh_phrase phrase;
    int story;              /* "+" prefix: discard the whole story */
    int complex_time;       /* TABARI [+++]: the sentence is too complex to
                               code, rather than not news */
    kh_origin origin;
} kh_discard;

typedef struct kh_issue {
    kh_phrase phrase;
    const char *code;
    int null;               /* "[~]"-style entries that block an issue */
    kh_origin origin;
} kh_issue;

/* One value of a code in PETRARCH's internal coding ontology
 * (dict_ontology.c); a code's first value is its primary one. */
typedef struct kh_ontology_entry {
    const char *code;       /* interned */
    long value;
    int primary;
    kh_origin origin;
} kh_ontology_entry;

struct kh_index;            /* built by dict_index.c at freeze */

struct kh_dict {
    kh_arena arena;
    KH_VEC(kh_actor) actors;
    KH_VEC(kh_agent) agents;
    KH_VEC(kh_verb) verbs;
    KH_VEC(kh_verbset) verbsets;
    KH_VEC(kh_pattern) patterns;
    KH_VEC(kh_synset) synsets;
    KH_VEC(kh_discard) discards;
    KH_VEC(kh_issue) issues;
    KH_VEC(kh_ontology_entry) ontology;   /* empty unless one was loaded */
    /* The lookup index, built at freeze by dict_load.c, which also sets
     * the function that frees it: the dictionary owns its index without
     * this file depending on dict_index.c, which depends on it. */
    struct kh_index *index;
    void (*index_free)(struct kh_index *index);
    int frozen;
};

/* Helpers for the readers and the index. */
const char *kh_dict_intern(kh_dict *dict, const char *s, size_t len);
int kh_dict_find_synset(const kh_dict *dict, const char *name);

/* With an ontology loaded, the code PETRARCH-2 gives "not `code`" (its
 * value minus 0xFFFF: "will not help" is "refuse to help"), or NULL when
 * there is none or no ontology. */
const char *kh_dict_negated_code(const kh_dict *dict, const char *code);

/* Splits a dictionary phrase ("PRESIDENT_GEORGE_W._BUSH", "CARAS GALADHON",
 * "AL-QAEDA", "ARNOR_") into words with KH_WORD_* flags.  `stems` says
 * whether the syntax uses TABARI stemming.  Returns 0, or -1 if the phrase
 * has no words. */
int kh_phrase_parse(kh_dict *dict, const char *text, size_t len, int stems,
                    kh_phrase *out);


#endif
