/*
 * resolve.h -- the document's country for actors news leaves unnamed.
 *
 * "The junta", "the regime", "the government" and "the military" name a
 * state's institution without naming the state; the dictionaries code
 * them with the placeholder country "---" ("---MIL", "---GOV").  A reader
 * knows which state from the article, and so does this step: while the
 * pipeline codes a document it counts the countries of the actors the
 * sentences name (kh_tally_sentence); when the document is coded, if one
 * country has a clear majority of those mentions, every event actor that
 * is such a placeholder takes that country (kh_resolve_unnamed).  With no
 * dominant country the placeholder stays, as the coder gave it.
 *
 * It is the last step of coding: it reads the coder's mentions and
 * rewrites only the events' source and target codes, which enrichment
 * does not read, so no stage is called back.
 */
#ifndef KH_RESOLVE_H
#define KH_RESOLVE_H

#include "khaldun.h"
#include "tag.h"
#include "vec.h"

typedef struct kh_country_count {
    char code[4];           /* ISO 3166-1 alpha-3 */
    long mentions;
} kh_country_count;

typedef struct kh_country_tally {
    KH_VEC(kh_country_count) countries;
    long mentions;          /* all mentions that named a country */
} kh_country_tally;

void kh_tally_init(kh_country_tally *t);
void kh_tally_free(kh_country_tally *t);
void kh_tally_reset(kh_country_tally *t);

/* Counts the countries of the actors `s` names (pronouns not again). */
void kh_tally_sentence(kh_country_tally *t, const kh_sentence *s);

/* The country with a clear majority of the tally's mentions, or NULL. */
const char *kh_tally_dominant(const kh_country_tally *t);

/* Gives the placeholder state actors of `coded`'s events the dominant
 * country of `t`, if there is one; returns the number of codes changed. */
long kh_resolve_unnamed(const kh_country_tally *t, kh_coded_doc *coded);

#endif
