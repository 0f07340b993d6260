/* resolve.c -- the document's country for unnamed state actors (see
 * resolve.h). */
#include "resolve.h"
#include "cameo.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A country dominates a document when it has at least this share of the
 * mentions that name a country.  A bare majority is not enough: in a
 * two-country story (Russia and Ukraine, Israel and Iran) one side often
 * has a few more mentions than the other, and "the military" there could
 * be either; three in five is where a reader stops hesitating. */
#define DOMINANT_SHARE_NUM 3
#define DOMINANT_SHARE_DEN 5

/* ... and at least this many mentions: one named country in a short text
 * is 100% of one, which says nothing about what the text is about. */
#define DOMINANT_MIN_MENTIONS 2

/* The placeholder country the dictionaries give an agent with no actor
 * ("the junta" -> "---MIL"). */
static const char PLACEHOLDER[] = "---";

/* The roles of a state's own institutions.  Only these take the
 * document's country: "the rebels" or "protesters" in a Myanmar story may
 * be anyone's, but "the junta", "the regime" and "the police" are the
 * state's. */
static const char *const STATE_ROLES[] = {"GOV", "MIL", "COP", "JUD", "LEG", "SPY", NULL};

void kh_tally_init(kh_country_tally *t) { memset(t, 0, sizeof *t); }

void kh_tally_free(kh_country_tally *t)
{
    KH_VEC_FREE(&t->countries);
    t->mentions = 0;
}

void kh_tally_reset(kh_country_tally *t)
{
    t->countries.count = 0;
    t->mentions = 0;
}

/* The tally's count of the country `code` begins with, or NULL. */
static kh_country_count *counted_country(kh_country_tally *t, const char *code)
{
    for (size_t i = 0; i < t->countries.count; i++)
        if (memcmp(t->countries.items[i].code, code, KH_ACTOR_GROUP_LEN) == 0)
            return &t->countries.items[i];
    return NULL;
}

/* A mention names a country when its code starts with an ISO country;
 * regions (MEA) and international codes (IGO...) are no state's, and a
 * coded compound ("USA/RUS") names more than one.  A document names a
 * few countries many times: the ones counted already are found in the
 * tally, and the country table is searched only for the others. */
static void count_mention(kh_country_tally *t, const char *code)
{
    if (!code[0] || !code[1] || !code[2] || strchr(code, '/'))
        return;
    kh_country_count *c = counted_country(t, code);
    if (!c) {
        if (kh_country_code_kind(code) != KH_COUNTRY_ISO)
            return;
        c = KH_VEC_PUSH(&t->countries);
        memcpy(c->code, code, KH_ACTOR_GROUP_LEN);
        c->code[KH_ACTOR_GROUP_LEN] = 0;
    }
    c->mentions++;
    t->mentions++;
}

void kh_tally_sentence(kh_country_tally *t, const kh_sentence *s)
{
    for (size_t i = 0; i < s->mentions.count; i++) {
        const kh_mention *m = &s->mentions.items[i];
        if (!m->pronoun)
            count_mention(t, kh_mention_code(m));
    }
}

const char *kh_tally_dominant(const kh_country_tally *t)
{
    const kh_country_count *best = NULL;
    for (size_t i = 0; i < t->countries.count; i++)
        if (!best || t->countries.items[i].mentions > best->mentions)
            best = &t->countries.items[i];
    if (!best || best->mentions < DOMINANT_MIN_MENTIONS)
        return NULL;
    if (best->mentions * DOMINANT_SHARE_DEN < t->mentions * DOMINANT_SHARE_NUM)
        return NULL;
    return best->code;
}

/* "---MIL" and the like: the placeholder country and a state role. */
static int is_unnamed_state(const char *code)
{
    size_t n = strlen(PLACEHOLDER);
    if (strncmp(code, PLACEHOLDER, n) != 0 || strlen(code) < n + KH_ACTOR_GROUP_LEN)
        return 0;
    for (const char *const *r = STATE_ROLES; *r; r++)
        if (strncmp(code + n, *r, KH_ACTOR_GROUP_LEN) == 0)
            return 1;
    return 0;
}

/* Replaces the placeholder of *code with `country`; 1 if it did. */
static int resolve_code(char **code, const char *country)
{
    if (!is_unnamed_state(*code))
        return 0;
    const char *rest = *code + strlen(PLACEHOLDER);
    size_t n = strlen(country) + strlen(rest) + 1;
    char *resolved = kh_xmalloc(n);
    snprintf(resolved, n, "%s%s", country, rest);
    free(*code);
    *code = resolved;
    return 1;
}

long kh_resolve_unnamed(const kh_country_tally *t, kh_coded_doc *coded)
{
    const char *country = kh_tally_dominant(t);
    if (!country)
        return 0;
    long changed = 0;
    for (size_t i = 0; i < coded->count; i++) {
        kh_events *ev = &coded->items[i].events;
        for (size_t j = 0; j < ev->count; j++) {
            changed += resolve_code(&ev->items[j].source, country);
            changed += resolve_code(&ev->items[j].target, country);
        }
    }
    return changed;
}
