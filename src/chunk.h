/*
 * chunk.h -- sentence structure from part-of-speech tags: noun phrases,
 * verb groups, prepositional phrases, clauses, and for each verb group
 * its subject, object and obliques.
 *
 * Input is the coder's tokens (token.h) with one UPOS tag each (pos.h),
 * from the tagger or from a parse the input carries.  The rules are
 * deterministic and written down here, because the coder's roles follow
 * from them and an analyst must be able to tell why a word was a subject:
 *
 *   verb group   (AUX | ADV | NOT)* VERB, or AUX alone (a copula: "is
 *                ready"); "to" before it marks an infinitive.  Flags:
 *                negated (NOT, NEVER), future (WILL, SHALL, WOULD),
 *                hypothetical (COULD, MIGHT, MAY, CAN, SHOULD, MUST),
 *                passive (a form of BE or GET, then a verb not in -ING),
 *                perfect (HAVE + verb), progressive (BE + -ING).
 *   noun phrase  a run of DET, ADJ, NUM, NOUN, PROPN, possessive PRON and
 *                possessive 'S that ends in a noun, name, pronoun or
 *                number; a pronoun alone is one.  Its head is the last
 *                nominal.  "of" phrases extend it ("the leader of Iran"):
 *                `last_with_of` covers them.
 *   coordination NP (, NP)* (,) and|or NP: the members point at the first.
 *   prep. phrase ADP + NP.
 *   subject      the nearest noun phrase before the group in its clause,
 *                passing over a comma-enclosed relative clause or
 *                apposition ("Iran, which backs the rebels, accused ...")
 *                and adverbs.  A relative pronoun right before the group
 *                makes the antecedent the subject ("the group that
 *                attacked").  An infinitive takes the object of the verb
 *                it completes when there is one ("urged Iran to leave"),
 *                else its subject ("agreed to leave").  A second verb of
 *                a coordination ("met and agreed") shares the first's.
 *   object       the first noun phrase after the group, before any
 *                preposition, clause marker or other verb group.
 *   obliques     the prepositional phrases after the group in its clause;
 *                in the passive, the BY phrase is the agent.
 *   complements  a group after "that", after a reporting verb ("said
 *                Greece must withdraw") or as an infinitive is a
 *                complement of the earlier group (`governor`).  A final
 *                ", X said" or ", said X" governs the clause before it.
 *
 * The closed word classes the rules name (reporting verbs, modals, forms
 * of BE and HAVE, ...) are the shared lexicon's (lexicon.h), asked once
 * per token.
 *
 * A kh_chunking is reused sentence to sentence; it allocates only while
 * its arrays grow (and its table of the lexicon words' bits, once).  One
 * per thread.
 */
#ifndef KH_CHUNK_H
#define KH_CHUNK_H

#include "lexicon_words.h"
#include "pos.h"
#include "token.h"
#include "vec.h"

#include <stdint.h>

enum {
    KH_VG_NEGATED = 1u << 0,
    KH_VG_FUTURE = 1u << 1,
    KH_VG_HYPOTHETICAL = 1u << 2,
    KH_VG_PASSIVE = 1u << 3,
    KH_VG_PERFECT = 1u << 4,
    KH_VG_PROGRESSIVE = 1u << 5,
    KH_VG_INFINITIVE = 1u << 6,   /* "to" + verb */
    KH_VG_COPULA = 1u << 7,       /* no main verb: "is ready" */
    KH_VG_REPORTING = 1u << 8,    /* SAY, TELL, ANNOUNCE, ... */
    KH_VG_RELATIVE = 1u << 9      /* in a relative clause */
};

/* A noun phrase: tokens [first, last], head token, and the coordination
 * it belongs to (the index of its first member; its own index if none). */
typedef struct kh_np {
    int first, last, head;
    int last_with_of;   /* last token including "of" phrases */
    int coord;
} kh_np;

/* A prepositional phrase: the preposition's token and its noun phrase. */
typedef struct kh_pp {
    int prep, np;
} kh_pp;

typedef struct kh_vgroup {
    int first, last;    /* tokens, auxiliaries and "to" included */
    int head;           /* the main verb (the copula when none) */
    unsigned flags;     /* KH_VG_* */
    int subject;        /* kh_np index, -1 when none */
    int object;         /* kh_np index, -1 */
    int agent;          /* passive BY phrase's kh_np index, -1 */
    int first_pp, pp_count;   /* its obliques: pps[first_pp ...] */
    int governor;       /* the group this one complements, -1 */
    int antecedent;     /* relative clause: the noun phrase it modifies */
} kh_vgroup;

typedef KH_VEC(kh_np) kh_np_vec;
typedef KH_VEC(kh_pp) kh_pp_vec;
typedef KH_VEC(kh_vgroup) kh_vgroup_vec;

typedef struct kh_chunking {
    kh_np_vec nps;
    kh_pp_vec pps;        /* obliques, grouped by verb group */
    kh_vgroup_vec groups;
    /* Per token: the noun phrase (-1) and verb group (-1) it is in, and
     * what the rules ask of it (chunk.c), with a token of none on each
     * side. */
    int *np_of, *group_of;
    uint64_t *bits;
    uint64_t *lex_bits;   /* per lexicon word, its part of a token's bits */
    uint64_t *maps;       /* the scans' token sets (chunk.c), a bit a token */
    size_t token_cap;
} kh_chunking;

void kh_chunking_init(kh_chunking *c);
void kh_chunking_free(kh_chunking *c);

/* Corrects the one tagging error the structure can see for itself: a
 * VERB that follows an article ("a", "an", "the") with only adjectives,
 * nouns, names, numbers and hyphen-joined words between heads a noun
 * phrase ("the general strike", "an anti-Gondor parade") and is a NOUN.
 * Changes tags in place; returns how many it changed. */
int kh_chunk_fix_tags(const kh_tokens *tokens, kh_upos *tags);

/* Builds the structure of the sentence `text` whose tokens are `tokens`
 * and tags `tags` (one per token).  `lex` is each token's word in the
 * shared lexicon (kh_lex_find of its word; KH_LW_NONE for punctuation and
 * numbers), as the tagger's cache gives it, or NULL to look the tokens up
 * here.  Replaces the previous content. */
void kh_chunk(kh_chunking *c, const kh_tokens *tokens, const kh_upos *tags,
              const kh_lex_word *lex);

#endif
