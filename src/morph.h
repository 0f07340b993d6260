/*
 * morph.h -- English inflection of dictionary words.
 *
 * khaldun's verb dictionaries list lemmas (ATTACK, BREAK, CARRY) and its
 * actor and agent dictionaries list singular nouns; the coder must also
 * recognise every inflected form.  morph.c generates them from spelling
 * rules plus WordNet's exception lists (verb.exc, noun.exc), compiled into
 * morph_table.c by tools/gen_morph.py.
 *
 * All words are upper-case ASCII, in and out (lower-case input is
 * upper-cased).  Nothing here allocates memory that outlives a call and
 * nothing is global: every function is reentrant.
 */
#ifndef KH_MORPH_H
#define KH_MORPH_H

#include <stddef.h>

/* Called once per generated word; `form` is valid only during the call. */
typedef void (*kh_morph_emit)(void *ctx, const char *form);

/* Calls emit once for each distinct form of the verb lemma: the lemma,
 * 3rd person -S/-ES, past -ED, participle, -ING, plus irregular forms
 * (BREAK -> BROKE, BROKEN; GO -> WENT, GONE; SAY -> SAID), with regular
 * spelling rules: consonant doubling (STOP -> STOPPED, STOPPING; VISIT ->
 * VISITED), e-dropping (MAKE -> MAKING), y -> IES/IED (CARRY -> CARRIES,
 * CARRIED), -ES after S/X/Z/CH/SH/O.
 *
 * Doubling follows WordNet where it lists the verb (it lists PREFERRED,
 * FITTED, CUTTING ...), else doubles a final single consonant after a
 * single vowel in one-syllable words only.  Where American and British
 * spelling differ (TRAVELED/TRAVELLED, FOCUSED/FOCUSSED) both are
 * emitted.  The regular -ED is left out when WordNet gives a genuinely
 * irregular past (no BREAKED, GOED, SEED) and the regular -S when the
 * present is suppletive (BE -> IS, HAVE -> HAS); a verb whose past is its
 * lemma (CUT, PUT, SET) gets no -ED.
 *
 * `lemma` is one word (the head of a multi-word verb); an empty lemma
 * emits nothing. */
void kh_verb_forms(const char *lemma, kh_morph_emit emit, void *ctx);

/* Calls emit once for each plural of the noun: regular (-S, -ES after
 * S/X/Z/CH/SH, consonant + Y -> IES, -MAN -> -MEN) and irregular from
 * WordNet's noun.exc (CRISIS -> CRISES, CHILD -> CHILDREN, MAN -> MEN).
 * The regular plural is left out when an irregular one replaces the word
 * (no CRISISES, MANS); it is kept beside irregulars that extend it
 * (FORMULA -> FORMULAE, FORMULAS).  The singular itself is not emitted. */
void kh_noun_plurals(const char *noun, kh_morph_emit emit, void *ctx);

/* Finds the lemma of an inflected verb form: WordNet's irregular forms
 * first (WENT -> GO, BROKEN -> BREAK), then the spelling rules in
 * reverse, keeping only a lemma whose kh_verb_forms include `form`
 * (so HOPING -> HOPE but HOPPING -> HOP).  Best effort: without a lexicon
 * a few forms stay ambiguous and are resolved by suffix heuristics
 * (CAUSING -> CAUSE, VISITING -> VISIT).  Writes the lemma to `lemma`
 * (NUL-terminated, at most size bytes) and returns 1; returns 0 if the
 * form is not recognisably inflected or the lemma does not fit. */
int kh_verb_lemma(const char *form, char *lemma, size_t size);

/* Calls emit for every lemma that kh_verb_forms would inflect to `form`,
 * most likely first (the first is what kh_verb_lemma returns).  A caller
 * with a verb dictionary can take the first candidate it knows. */
void kh_verb_lemma_candidates(const char *form, kh_morph_emit emit,
                              void *ctx);

/* ---- The generated tables (morph_table.c), for morph.c only. ---- */

typedef struct kh_morph_pair {
    const char *form;
    const char *lemma;
} kh_morph_pair;

/* Sorted by (form, lemma) and by (lemma, form), strcmp order. */
extern const kh_morph_pair kh_verb_exc_by_form[];
extern const size_t kh_verb_exc_by_form_count;
extern const kh_morph_pair kh_verb_exc_by_lemma[];
extern const size_t kh_verb_exc_by_lemma_count;
extern const kh_morph_pair kh_noun_exc_by_form[];
extern const size_t kh_noun_exc_by_form_count;
extern const kh_morph_pair kh_noun_exc_by_lemma[];
extern const size_t kh_noun_exc_by_lemma_count;
/* Verbs whose regular -ED stands beside an irregular past (HANGED). */
extern const char *const kh_verb_dual_past[];
extern const size_t kh_verb_dual_past_count;

#endif
