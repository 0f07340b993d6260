/*
 * dict_gaps.c -- what the dictionaries missed in a corpus (khaldun dict
 * gaps; the rules are in khaldun.h, "Finding dictionary gaps").
 *
 * Every document is coded by a kh_pipeline, so the events are exactly
 * those of `khaldun code`; a sentence hook (pipeline.h) shows this file
 * each sentence as the coder saw it: tokens, actor mentions, verb groups
 * with their subjects, objects and obliques, and the events the patterns
 * produced.  Two kinds of candidate are counted:
 *
 *   actor  a noun phrase headed by a name (PROPN) that a verb group has
 *          as subject, object, passive agent or oblique, and that no
 *          dictionary actor or agent covers;
 *   verb   the main verb of a group with an actor on its subject side and
 *          another on its object side (object, agent or oblique), for
 *          which no pattern produced an event.
 *
 * Candidates are counted under a key ("A\tPHRASE" or "V\tLEMMA") and keep
 * the first sentence they were seen in.  Their number is bounded
 * (KH_GAPS_MAX_CANDIDATES): when the table is full, the rarest are
 * dropped, which is what a frequency-ranked worklist can lose.
 */
#include "khaldun.h"
#include "dict.h"
#include "kh_limits.h"
#include "lexicon.h"
#include "morph.h"
#include "pipeline.h"
#include "strmap.h"
#include "tag.h"
#include "util.h"
#include "vec.h"
#include "where.h"

#include <ctype.h>
#include <jansson.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* A third kind of candidate, never listed: one verb in one frame
 * ("F\tLEMMA\tSUGGESTION"), counted so that a verb's row can show its
 * most frequent frame ("carry out" is "* AIRSTRIKES AGAINST +" far more
 * often than "* +"). */
#define GAP_FRAME 2

typedef struct candidate {
    char *key;          /* the index's key, owned */
    kh_gap gap;         /* its strings owned too */
} candidate;

typedef KH_VEC(candidate) candidate_vec;

struct kh_gaps {
    const kh_dict *dict;
    kh_pipeline *pipeline;
    kh_coded_doc coded;
    kh_gazetteer *gazetteer;
    candidate_vec candidates;
    kh_strmap index;            /* key -> candidates index */
    KH_VEC(kh_gap) ranked;      /* kh_gaps_list's answer */
    KH_VEC(int) seen_nps;       /* noun phrases of this sentence looked at */
    KH_VEC(int) best_frame;     /* per candidate: its most frequent frame */
    kh_gaps_stats stats;
};

/* ---- word classes ---- */

static int word_in(const char *word, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(word, *list) == 0)
            return 1;
    return 0;
}

/* Words that name an organisation's kind ("Ogaden National Liberation
 * Front"): a phrase holding one is an organisation. */
static const char *const organisation_words[] = {
    "PARTY", "FRONT", "ARMY", "COUNCIL", "MINISTRY", "UNION", "GROUP", "MOVEMENT",
    "BRIGADE", "BRIGADES", "FORCES", "FORCE", "COMMITTEE", "ASSOCIATION", "ORGANISATION",
    "ORGANIZATION", "ALLIANCE", "LEAGUE", "AGENCY", "COMMISSION", "FEDERATION",
    "COALITION", "MILITIA", "GUARD", "GUARDS", "BATTALION", "AUTHORITY", "COURT",
    "ASSEMBLY", "PARLIAMENT", "CONGRESS", "OFFICE", "DEPARTMENT", "INSTITUTE", "BANK",
    "FUND", "SOCIETY", "FOUNDATION", "NETWORK", "CORPS", "POLICE", "SERVICE",
    "COMPANY", "CORPORATION", "COMMAND", "INTERNATIONAL", "WATCH", NULL};

/* Words that make a name a place's ("Golan Heights", "Yellow Sea"). */
static const char *const place_words[] = {
    "SEA", "OCEAN", "GULF", "BAY", "STRAIT", "STRAITS", "RIVER", "LAKE", "VALLEY",
    "HEIGHTS", "HILLS", "MOUNTAINS", "MOUNT", "ISLAND", "ISLANDS", "PENINSULA", "COAST",
    "DESERT", "PLAIN", "PLAINS", "PROVINCE", "REGION", "DISTRICT", "COUNTY", "CITY",
    "KINGDOM", "REPUBLIC", "EMIRATE", "STRIP", "CORRIDOR", "PASS", "BORDER",
    "SQUARE", "STREET", "AIRPORT", "PORT", "CAMP", "DOWNS", NULL};

/* Titles before a name ("President", "Gen."): what follows is a person. */
static const char *const title_words[] = {
    "PRESIDENT", "PRIME", "MINISTER", "PREMIER", "CHANCELLOR", "KING", "QUEEN",
    "PRINCE", "PRINCESS", "SHEIKH", "SHEIK", "EMIR", "SULTAN", "AYATOLLAH", "IMAM",
    "GENERAL", "GEN", "COLONEL", "COL", "MAJOR", "MAJ", "LIEUTENANT", "LT", "CAPTAIN",
    "CAPT", "ADMIRAL", "ADM", "MARSHAL", "COMMANDER", "SENATOR", "SEN", "GOVERNOR",
    "GOV", "MAYOR", "JUDGE", "AMBASSADOR", "ENVOY", "SECRETARY", "SPEAKER", "DEPUTY",
    "VICE", "MR", "MRS", "MS", "DR", "POPE", "BISHOP", "RABBI", "MULLAH", NULL};

static int is_title(const char *word) { return word_in(word, title_words); }

/* A month or a weekday ("in March", "on Tuesday") is a date, not a
 * missing actor. */
static int is_calendar_word(const kh_token *t, const char *text)
{
    kh_lex_word w = kh_lex_find(text + t->start, (size_t)(t->end - t->start));
    return (kh_lex_entry_of(w)->classes &
            (KH_LEX_MONTH | KH_LEX_MONTH_ABBR | KH_LEX_WEEKDAY | KH_LEX_WEEKDAY_ABBR)) != 0;
}

/* An acronym as written: two or more letters, all capitals ("ONLF"). */
static int is_acronym(const kh_token *t, const char *text)
{
    int letters = 0;
    for (long i = t->start; i < t->end; i++) {
        unsigned char c = (unsigned char)text[i];
        if (islower(c))
            return 0;
        letters += isupper(c) != 0;
    }
    return letters >= 2;
}

/* ---- the candidates ---- */

/* One blank for each run of blanks, tabs and newlines: each gap is one
 * line of a TSV, and a phrase is the same however it was wrapped. */
static char *one_line(char *s)
{
    char *w = s;
    for (char *p = s; *p; p++) {
        int blank = *p == ' ' || *p == '\t' || *p == '\n' || *p == '\r';
        if (!blank)
            *w++ = *p;
        else if (w == s || w[-1] != ' ')
            *w++ = ' ';
    }
    *w = 0;
    return s;
}

/* A copy of the sentence fit for one line, at most
 * KH_GAPS_EXAMPLE_BYTES, cut at a character boundary. */
static char *example_of(const char *text, size_t len)
{
    size_t n = len;
    if (n > KH_GAPS_EXAMPLE_BYTES) {
        n = KH_GAPS_EXAMPLE_BYTES;
        while (n > 0 && ((unsigned char)text[n] & 0xC0) == 0x80)
            n--;
    }
    return one_line(kh_xasprintf("%.*s%s", (int)n, text, n < len ? "..." : ""));
}

static void rebuild_index(kh_gaps *g)
{
    kh_strmap_free(&g->index);
    kh_strmap_init(&g->index);
    for (size_t i = 0; i < g->candidates.count; i++)
        kh_strmap_put(&g->index, g->candidates.items[i].key, (int)i);
}

static void candidate_free(candidate *c)
{
    free(c->key);
    free((char *)c->gap.phrase);
    free((char *)c->gap.suggestion);
    free((char *)c->gap.example);
    free((char *)c->gap.doc);
}

/* The table is full: drop the candidates seen least, raising the bar
 * until at least a quarter of the table is free, so that pruning is rare
 * (amortised) and the frequent candidates, the worklist, stay. */
static void prune(kh_gaps *g)
{
    size_t n = g->candidates.count, kept = n;
    long bar = 1;
    while (kept > n - n / 4) {
        long least_kept = LONG_MAX;     /* the next bar: no pass is idle */
        kept = 0;
        for (size_t i = 0; i < g->candidates.count; i++) {
            candidate *c = &g->candidates.items[i];
            if (c->gap.count <= bar) {
                candidate_free(c);
                g->stats.pruned++;
                continue;
            }
            if (c->gap.count < least_kept)
                least_kept = c->gap.count;
            g->candidates.items[kept++] = *c;
        }
        g->candidates.count = kept;
        bar = least_kept;
    }
    rebuild_index(g);
}

/* Counts one sighting; the first fixes phrase, suggestion and example.
 * Takes ownership of key. */
static void count(kh_gaps *g, int kind, char *key, const char *phrase,
                  const char *suggestion, const kh_doc *doc, const kh_sentence *s)
{
    int at = kh_strmap_get(&g->index, key, strlen(key));
    if (at >= 0) {
        g->candidates.items[at].gap.count++;
        free(key);
        return;
    }
    if (g->candidates.count >= KH_GAPS_MAX_CANDIDATES)
        prune(g);
    candidate *c = KH_VEC_PUSH(&g->candidates);
    c->key = key;
    c->gap.kind = kind;
    c->gap.count = 1;
    c->gap.phrase = kh_xstrdup(phrase);
    c->gap.suggestion = kh_xstrdup(suggestion);
    c->gap.example = example_of(s->text, s->len);
    c->gap.doc = kh_xstrdup(doc->id ? doc->id : "");
    kh_strmap_put(&g->index, c->key, (int)(g->candidates.count - 1));
}

/* ---- actors: names no dictionary entry covers ---- */

static int token_is_name_part(const kh_sentence *s, int i)
{
    const kh_token *t = &s->tokens.items[i];
    kh_upos tag = s->upos.items[i];
    /* a sentence's first "The" is capitalised, and no part of the name */
    int nominal = tag == KH_UPOS_PROPN || tag == KH_UPOS_NOUN || tag == KH_UPOS_ADJ ||
                  tag == KH_UPOS_NUM || tag == KH_UPOS_X;
    if (s->mention_at.items[i] >= 0 || !(t->flags & KH_TOK_WORD) || !nominal)
        return 0;
    /* "al-Shabaab": a lower-case part joined to a capitalised one */
    int joined = (t->flags & KH_TOK_JOINED) ||
                 (i + 1 < (int)s->tokens.count && (s->tokens.items[i + 1].flags & KH_TOK_JOINED));
    return (t->flags & KH_TOK_CAPITAL) || joined;
}

/* The name's tokens [*first, *last] around the head of noun phrase np:
 * the capitalised words before it, and an "of" phrase of capitalised
 * words after it ("Ministry of Magic").  Leading titles are left out and
 * reported in *titled. */
static void name_extent(const kh_sentence *s, const kh_np *np, int *first, int *last,
                        int *titled)
{
    int a = np->head, b = np->head;
    while (a - 1 >= np->first && token_is_name_part(s, a - 1))
        a--;
    int of_ok = np->last_with_of > np->last;
    for (int k = np->last + 1; of_ok && k <= np->last_with_of; k++) {
        const char *w = s->tokens.items[k].word;
        of_ok = token_is_name_part(s, k) || !strcmp(w, "OF") || !strcmp(w, "THE");
    }
    if (of_ok && token_is_name_part(s, np->last_with_of))
        b = np->last_with_of;
    /* "US Deputy Secretary of Energy Jeffrey Kupfer": the name is what
     * follows the last title, past "of" and "the" */
    *titled = a > 0 && is_title(s->tokens.items[a - 1].word);
    for (int k = a; k < b; k++)
        if (is_title(s->tokens.items[k].word))
            a = k + 1, *titled = 1;
    while (a < b && !token_is_name_part(s, a))
        a++;
    *first = a;
    *last = b;
}

/* Whether a word of [first, last] is in `list` (or, with acronyms, is
 * written in capitals). */
static int has_word(const kh_sentence *s, int first, int last, const char *const *list,
                    int acronyms)
{
    for (int i = first; i <= last; i++)
        if (word_in(s->tokens.items[i].word, list) ||
            (acronyms && is_acronym(&s->tokens.items[i], s->text)))
            return 1;
    return 0;
}

/* Name words: the phrase's words, a hyphenated word being one
 * ("Barad-dur"). */
static int name_words(const kh_sentence *s, int first, int last)
{
    int words = 0;
    for (int i = first; i <= last; i++)
        words += !(s->tokens.items[i].flags & KH_TOK_JOINED);
    return words;
}

/* A place named as one: "in Osgiliath", "from Mordor", "near Zakho". */
static int after_locative(const kh_sentence *s, int prep)
{
    if (prep < 0)
        return 0;
    const kh_token *t = &s->tokens.items[prep];
    kh_lex_word w = kh_lex_find(s->text + t->start, (size_t)(t->end - t->start));
    return !strcmp(t->word, "FROM") || (kh_lex_entry_of(w)->classes & KH_LEX_LOCATIVE);
}

static int in_gazetteer(kh_gaps *g, const kh_sentence *s, int first, int last)
{
    const kh_token *t = s->tokens.items;
    kh_place place;
    int found = kh_place_lookup(g->gazetteer, s->text + t[first].start,
                                (size_t)(t[last].end - t[first].start), NULL, &place);
    free(place.name);
    return found;
}

/* The suggested kind of the name [first, last]; `prep` is the token of
 * the preposition that governs its phrase, or -1. */
static const char *actor_kind(kh_gaps *g, const kh_sentence *s, int first, int last,
                              int titled, int prep)
{
    if (has_word(s, first, last, organisation_words, 1))
        return "organisation";
    if (titled)
        return "person";
    if (in_gazetteer(g, s, first, last) || has_word(s, first, last, place_words, 0) ||
        after_locative(s, prep))
        return "place";
    return name_words(s, first, last) > 1 ? "person" : "unknown";
}

static int np_seen(kh_gaps *g, int np)
{
    for (size_t i = 0; i < g->seen_nps.count; i++)
        if (g->seen_nps.items[i] == np)
            return 1;
    *KH_VEC_PUSH(&g->seen_nps) = np;
    return 0;
}

static void consider_np(kh_gaps *g, const kh_doc *doc, const kh_sentence *s, int np_index,
                        int prep)
{
    if (np_index < 0 || np_seen(g, np_index))
        return;
    const kh_np *np = &s->chunks.nps.items[np_index];
    if (s->upos.items[np->head] != KH_UPOS_PROPN || s->mention_at.items[np->head] >= 0 ||
        !token_is_name_part(s, np->head))
        return;
    int first, last, titled;
    name_extent(s, np, &first, &last, &titled);
    if (first == last && is_calendar_word(&s->tokens.items[first], s->text))
        return;
    const kh_token *t = s->tokens.items;
    long start = t[first].start, end = t[last].end;
    char *phrase = one_line(kh_xstrndup(s->text + start, (size_t)(end - start)));
    char *key = kh_xasprintf("A\t%s", phrase);
    for (char *p = key; *p; p++)
        *p = (char)toupper((unsigned char)*p);
    count(g, KH_GAP_ACTOR, key, phrase, actor_kind(g, s, first, last, titled, prep), doc, s);
    free(phrase);
}

static void actor_gaps(kh_gaps *g, const kh_doc *doc, const kh_sentence *s)
{
    const kh_chunking *c = &s->chunks;
    g->seen_nps.count = 0;
    for (size_t i = 0; i < c->groups.count; i++) {
        const kh_vgroup *vg = &c->groups.items[i];
        if (vg->flags & KH_VG_COPULA)
            continue;
        consider_np(g, doc, s, vg->subject, -1);
        consider_np(g, doc, s, vg->object, -1);
        for (int k = 0; k < vg->pp_count; k++) {
            const kh_pp *pp = &c->pps.items[vg->first_pp + k];
            consider_np(g, doc, s, pp->np, pp->prep);
        }
        consider_np(g, doc, s, vg->agent, -1);
    }
}

/* ---- verbs: actors on both sides, no pattern ---- */

/* The actor of noun phrase np (its "of" phrases included), or -1: a
 * mention at its head, or a dictionary actor anywhere in it ("Iranian
 * officials", "the leader of Iran").  An agent alone off the head is a
 * modifier ("military exercises"), not an actor. */
static int np_mention(const kh_sentence *s, int np_index)
{
    if (np_index < 0)
        return -1;
    const kh_np *np = &s->chunks.nps.items[np_index];
    if (s->mention_at.items[np->head] >= 0)
        return s->mention_at.items[np->head];
    for (int i = np->first; i <= np->last_with_of; i++) {
        int m = s->mention_at.items[i];
        if (m >= 0 && s->mentions.items[m].actor >= 0)
            return m;
    }
    return -1;
}

static int verb_coded_at(const kh_events *events, const kh_token *head)
{
    for (size_t i = 0; i < events->count; i++) {
        const kh_span *v = &events->items[i].verb_span;
        if (v->start <= head->start && head->start < v->end)
            return 1;
    }
    return 0;
}

/* Whether an event was coded on the group's verb, or on the verb it
 * complements: "Obama said he will attack Iraq" is coded on SAY, by the
 * pattern "* (WILL ATTACK)", and ATTACK lacks nothing. */
static int verb_coded(const kh_sentence *s, const kh_events *events, const kh_vgroup *vg)
{
    if (verb_coded_at(events, &s->tokens.items[vg->head]))
        return 1;
    if (vg->governor < 0)
        return 0;
    const kh_vgroup *gov = &s->chunks.groups.items[vg->governor];
    return verb_coded_at(events, &s->tokens.items[gov->head]);
}

/* Where the target stands, as a pattern would say it: "* +" for the
 * object, "* TALKS WITH +" for an oblique after a plain object. */
static char *frame_of(const kh_sentence *s, const kh_vgroup *vg, int object_actor, int prep)
{
    const kh_token *t = s->tokens.items;
    if (object_actor)
        return kh_xstrdup("* +");
    const char *noun = "";
    if (vg->object >= 0)
        noun = t[s->chunks.nps.items[vg->object].head].word;
    return kh_xasprintf("* %s%s%s +", noun, *noun ? " " : "", t[prep].word);
}

/* The target's mention on the object side of vg: object, passive agent,
 * then the obliques; *prep is the preposition's token (-1 for the
 * object). */
static int object_side_mention(const kh_sentence *s, const kh_vgroup *vg, int source, int *prep)
{
    int m = np_mention(s, vg->object);
    *prep = -1;
    if (m >= 0 && m != source)
        return m;
    for (int k = 0; k < vg->pp_count; k++) {
        const kh_pp *pp = &s->chunks.pps.items[vg->first_pp + k];
        m = np_mention(s, pp->np);
        if (m >= 0 && m != source) {
            *prep = pp->prep;
            return m;
        }
    }
    m = np_mention(s, vg->agent);
    if (m >= 0 && m != source) {
        *prep = s->chunks.nps.items[vg->agent].first - 1;   /* BY */
        return *prep >= 0 ? m : -1;
    }
    return -1;
}

/* The verb's lemma: a dictionary verb's own word, else morph.c's best
 * guess from the form (which cannot always tell DEPLOR from DEPLORE
 * without a lexicon). */
static char *lemma_of(const kh_gaps *g, const kh_sentence *s, int token)
{
    int hit = s->verb_at.items[token];
    if (hit >= 0) {
        const kh_verb *v = &g->dict->verbs.items[s->verbs.items[hit].verb];
        return kh_xstrdup(v->words.words[v->head]);
    }
    const char *form = s->tokens.items[token].word;
    /* an irregular lemma may be a letter or two longer than its form
     * (LED -> LEAD); one that does not fit leaves the form itself */
    size_t size = strlen(form) + 8;
    char *lemma = kh_xmalloc(size);
    if (!kh_verb_lemma(form, lemma, size))
        snprintf(lemma, size, "%s", form);
    return lemma;
}

static void verb_gaps(kh_gaps *g, const kh_doc *doc, const kh_sentence *s,
                      const kh_events *events)
{
    for (size_t i = 0; i < s->chunks.groups.count; i++) {
        const kh_vgroup *vg = &s->chunks.groups.items[i];
        /* A reporting verb's event is its complement's ("said it would
         * leave"), and quotations are coded as statements without one. */
        if ((vg->flags & (KH_VG_COPULA | KH_VG_REPORTING)) ||
            s->upos.items[vg->head] != KH_UPOS_VERB || s->mention_at.items[vg->head] >= 0)
            continue;
        int source = np_mention(s, vg->subject), prep;
        if (source < 0 || object_side_mention(s, vg, source, &prep) < 0 ||
            verb_coded(s, events, vg))
            continue;
        char *lemma = lemma_of(g, s, vg->head);
        char *frame = frame_of(s, vg, prep < 0, prep);
        char *suggestion = kh_xasprintf("%s: %s", s->verb_at.items[vg->head] >= 0
                                                      ? "add pattern" : "add verb", frame);
        count(g, KH_GAP_VERB, kh_xasprintf("V\t%s", lemma), lemma, suggestion, doc, s);
        count(g, GAP_FRAME, kh_xasprintf("F\t%s\t%s", lemma, suggestion), lemma, suggestion,
              doc, s);
        free(suggestion), free(frame), free(lemma);
    }
}

/* The pipeline's sentence hook. */
static void look_at_sentence(void *ctx, const kh_doc *doc, const kh_sentence *s,
                             const kh_events *events)
{
    kh_gaps *g = ctx;
    g->stats.sentences++;
    /* In a headline every word is capitalised and capitals say nothing;
     * a discarded sentence is not meant to be coded. */
    if (s->title_case || s->discarded || s->upos.count < s->tokens.count)
        return;
    actor_gaps(g, doc, s);
    verb_gaps(g, doc, s, events);
}

/* ---- the object ---- */

kh_gaps *kh_gaps_new(const kh_dict *dict, const kh_pipeline_options *options)
{
    kh_gaps *g = kh_xcalloc(1, sizeof *g);
    g->dict = dict;
    g->pipeline = kh_pipeline_new(dict, options);
    kh_pipeline_set_sentence_hook(g->pipeline, look_at_sentence, g);
    kh_coded_doc_init(&g->coded);
    g->gazetteer = kh_gazetteer_new();
    kh_strmap_init(&g->index);
    return g;
}

void kh_gaps_free(kh_gaps *g)
{
    if (!g)
        return;
    kh_pipeline_free(g->pipeline);
    kh_coded_doc_free(&g->coded);
    kh_gazetteer_free(g->gazetteer);
    for (size_t i = 0; i < g->candidates.count; i++)
        candidate_free(&g->candidates.items[i]);
    KH_VEC_FREE(&g->candidates);
    kh_strmap_free(&g->index);
    KH_VEC_FREE(&g->ranked);
    KH_VEC_FREE(&g->seen_nps);
    KH_VEC_FREE(&g->best_frame);
    free(g);
}

long kh_gaps_code(kh_gaps *g, kh_doc *doc)
{
    long events = kh_pipeline_code(g->pipeline, doc, &g->coded);
    g->stats.documents++;
    g->stats.events += events;
    return events;
}

void kh_gaps_get_stats(const kh_gaps *g, kh_gaps_stats *stats)
{
    *stats = g->stats;
    stats->candidates = (long)g->candidates.count;
}

/* Most frequent first; ties in phrase order, so the list is the same on
 * every run. */
static int by_rank(const void *pa, const void *pb)
{
    const kh_gap *a = pa, *b = pb;
    if (a->count != b->count)
        return a->count > b->count ? -1 : 1;
    return strcmp(a->phrase, b->phrase);
}

/* Each verb's most frequent frame (the first seen of equals) in
 * g->best_frame, -1 where none was kept. */
static void find_best_frames(kh_gaps *g)
{
    size_t n = g->candidates.count;
    KH_VEC_RESERVE(&g->best_frame, n);
    g->best_frame.count = n;
    for (size_t i = 0; i < n; i++)
        g->best_frame.items[i] = -1;
    for (size_t i = 0; i < n; i++) {
        const kh_gap *frame = &g->candidates.items[i].gap;
        if (frame->kind != GAP_FRAME)
            continue;
        char *key = kh_xasprintf("V\t%s", frame->phrase);
        int verb = kh_strmap_get(&g->index, key, strlen(key));
        free(key);
        if (verb < 0)
            continue;
        int *best = &g->best_frame.items[verb];
        if (*best < 0 || g->candidates.items[*best].gap.count < frame->count)
            *best = (int)i;
    }
}

size_t kh_gaps_list(kh_gaps *g, kh_gap_kind kind, const kh_gap **items)
{
    g->ranked.count = 0;
    if (kind == KH_GAP_VERB)
        find_best_frames(g);
    for (size_t i = 0; i < g->candidates.count; i++) {
        if (g->candidates.items[i].gap.kind != (int)kind)
            continue;
        kh_gap *row = KH_VEC_PUSH(&g->ranked);
        *row = g->candidates.items[i].gap;
        int best = kind == KH_GAP_VERB ? g->best_frame.items[i] : -1;
        if (best >= 0) {
            const kh_gap *frame = &g->candidates.items[best].gap;
            row->suggestion = frame->suggestion;
            row->example = frame->example;
            row->doc = frame->doc;
        }
    }
    if (g->ranked.count)
        qsort(g->ranked.items, g->ranked.count, sizeof *g->ranked.items, by_rank);
    *items = g->ranked.items;
    return g->ranked.count;
}

static const char *kind_name(int kind) { return kind == KH_GAP_VERB ? "verb" : "actor"; }

static void write_json(FILE *out, const kh_gap *gap)
{
    json_t *o = json_pack("{s:s, s:I, s:s, s:s, s:s, s:s}", "kind", kind_name(gap->kind),
                          "count", (json_int_t)gap->count, "phrase", gap->phrase,
                          "suggestion", gap->suggestion, "example", gap->example,
                          "doc", gap->doc);
    char *line = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    if (line)
        fprintf(out, "%s\n", line);
    free(line);
    json_decref(o);
}

int kh_gaps_write(kh_gaps *g, FILE *out, int json, size_t top)
{
    if (!json)
        fputs("kind\tcount\tphrase\tsuggestion\texample\n", out);
    for (int kind = KH_GAP_ACTOR; kind <= KH_GAP_VERB; kind++) {
        const kh_gap *items;
        size_t n = kh_gaps_list(g, (kh_gap_kind)kind, &items);
        if (top && n > top)
            n = top;
        for (size_t i = 0; i < n; i++) {
            if (json)
                write_json(out, &items[i]);
            else
                fprintf(out, "%s\t%ld\t%s\t%s\t%s\n", kind_name(kind), items[i].count,
                        items[i].phrase, items[i].suggestion, items[i].example);
        }
    }
    return ferror(out) ? -1 : 0;
}
