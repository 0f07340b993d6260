/*
 * where.h -- where an event happened: a gazetteer and a place resolver.
 *
 * The gazetteer is GeoNames data (CC BY 4.0) compiled into the library as
 * a const table (src/gazetteer_table.c, made by tools/gen_gazetteer.py):
 * every country, every first-level region, and every city of 15,000 people
 * or more, with coordinates, ISO 3166-1 alpha-3 and FIPS 10-4 codes.  A
 * kh_gazetteer is that table plus a hash index over its names, built once
 * by kh_gazetteer_new; it is read-only afterwards, so one gazetteer may be
 * shared by any number of threads.
 *
 * The rule for places in a sentence: only a place introduced as a location
 * counts -- after a locative preposition (in, at, near, outside, inside,
 * into, across, throughout), after "the town / city / village / suburb /
 * province ... of", or before a place noun ("the Damascus suburb", "Idlib
 * province").  A capital used as a metonym for its government ("Tehran
 * said", "Moscow warned") is an actor, not a location, and is never taken;
 * nor is a place after "from" ("support from Moscow" is an actor far more
 * often than a place).
 */
#ifndef KH_WHERE_H
#define KH_WHERE_H

#include <stddef.h>
#include "khaldun.h"
#include "lexicon.h"

typedef struct kh_gazetteer kh_gazetteer;

/* The built-in gazetteer with its name index; NULL if out of memory. */
kh_gazetteer *kh_gazetteer_new(void);
void kh_gazetteer_free(kh_gazetteer *g);

/* Looks up one place name ("Tripoli", "Idlib province" is not a name:
 * pass "Idlib").  Case, accents, periods and apostrophes do not matter.
 * country_hint (ISO3 or NULL) picks among places of the same name; without
 * it a country beats a city, a city beats a region, and a larger city a
 * smaller one.  On a match fills *out (out->name is a new string the
 * caller frees, as kh_events does; out->span is -1,-1) and returns 1;
 * otherwise clears *out to KH_PLACE_NONE and returns 0. */
int kh_place_lookup(const kh_gazetteer *g, const char *name, size_t len,
                    const char *country_hint, kh_place *out);

/* Finds where the event in `sentence` happened and fills e->place
 * (freeing any name it had).  In order of preference:
 *   1. a place named as a location in the sentence, the most specific one
 *      (city, then region, then country); ambiguous names are settled by
 *      a country or region named in the same phrase ("Paris, Texas"),
 *      then by countries named elsewhere in the sentence, the event's
 *      actor codes (e->target, e->source: "SYRMIL" -> SYR) and the
 *      dateline, and last by population;
 *   2. dateline_place ("BEIRUT", "Astana, Kazakhstan"; may be NULL), for
 *      a verbal event (CAMEO quad class 1 or 3: it happened where it was
 *      said), or if the sentence names no country, or the dateline lies
 *      in one it names or an actor's.
 * The countries an event is about are never its place by themselves
 * ("Bahrain severed ties with Iran" did not happen in Iran).
 * Otherwise e->place is KH_PLACE_NONE.  Country-level results always have
 * precision KH_PLACE_COUNTRY.  e->place.span is the bytes of the sentence
 * that named the place, or -1,-1 when it came from elsewhere. */
void kh_where_resolve(const kh_gazetteer *g, const char *sentence, size_t len,
                      const char *dateline_place, kh_event *e);

/* The same for all the events of one sentence, whose words, locative
 * phrases and named countries are found once instead of once per event:
 *
 *     kh_where *w = kh_where_new(g);       -- one per thread, reused
 *     kh_where_sentence(w, &sentence, dateline_place);
 *     for each event e of the sentence: kh_where_event(w, e);
 *     kh_where_free(w);
 *
 * The sentence's words are its space-separated words (a place name keeps
 * its hyphen and periods: "Port-au-Prince", "St. Louis"); a word that is
 * a plain token of the coder's (kh_lex_plain_token) takes its key and
 * lexicon word from the token instead of folding and looking it up again.
 * kh_where_event does what kh_where_resolve does.  The tokens are read
 * only by kh_where_sentence; the sentence's text and the dateline must
 * stay valid until the next kh_where_sentence. */
typedef struct kh_where kh_where;

kh_where *kh_where_new(const kh_gazetteer *g);
void kh_where_free(kh_where *w);
void kh_where_sentence(kh_where *w, const kh_lex_sentence *sentence,
                       const char *dateline_place);
void kh_where_event(kh_where *w, kh_event *e);

/* The FIPS 10-4 country code for an ISO 3166-1 alpha-3 code
 * ("DEU" -> "GM"), or NULL if unknown.  The string is static. */
const char *kh_fips_for_iso3(const char *iso3);

#endif
