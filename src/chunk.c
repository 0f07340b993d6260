/*
 * chunk.c -- noun phrases, verb groups, clauses and roles from tags.  The
 * rules are stated in chunk.h; this file follows them in that order:
 * verb groups, noun phrases, coordination, prepositional phrases, then
 * each group's subject, object, obliques and governor.
 */
#include "chunk.h"
#include "lexicon.h"
#include "util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* How far back the subject search passes over prepositional phrases and
 * commas ("Iran on Monday, in a statement, said"); further than that the
 * nearest noun phrase is seldom the subject. */
#define SUBJECT_SKIPS 3

/* The structure's closed word classes (reporting verbs, negators, modals,
 * forms of BE and HAVE, possessive and relative pronouns, subordinating
 * prepositions) are KH_LEX_* classes of the shared lexicon
 * (tools/gen_lexicon.py).  kh_chunk looks each token up once, and puts
 * all that the rules ask of a token -- its tag, whether it is a comma or
 * joined by a hyphen, its classes and the few words the rules name -- in
 * one bit set per token, so that each question is one test. */

/* A token's bits: its tag, then these. */
#define TAG_BIT(t) ((uint64_t)1 << (t))
/* A token's KH_TOK_COMMA and KH_TOK_JOINED, moved up past the tags. */
#define FLAG_SHIFT 22
#define B_COMMA ((uint64_t)KH_TOK_COMMA << FLAG_SHIFT)
#define B_JOINED ((uint64_t)KH_TOK_JOINED << FLAG_SHIFT)
/* The structure's lexicon classes, KH_LEX_REPORTING_VERB on, moved up. */
#define STRUCTURE_CLASSES (KH_LEX_REPORTING_VERB | KH_LEX_NEGATOR | KH_LEX_FUTURE_MODAL | \
                           KH_LEX_HYPOTHETICAL_MODAL | KH_LEX_PASSIVE_AUX | \
                           KH_LEX_PERFECT_AUX | KH_LEX_POSSESSIVE_PRONOUN | \
                           KH_LEX_SUBORDINATING_PREP | KH_LEX_RELATIVE_PRONOUN)
#define B_CLASS(c) ((uint64_t)(c) << 15)
#define B_TO ((uint64_t)1 << 48)
#define B_THE ((uint64_t)1 << 49)
#define B_OF ((uint64_t)1 << 50)
#define B_BY ((uint64_t)1 << 51)
#define B_THAT ((uint64_t)1 << 52)
#define B_APOS_S ((uint64_t)1 << 53)
/* Set by find_groups on its groups' tokens, which no noun phrase takes. */
#define B_GROUPED ((uint64_t)1 << 54)
/* Token n's only bit, which no rule asks of: np_end stops there. */
#define B_END ((uint64_t)1 << 55)
/* The top byte: which scans stop at the token (SCAN_*, token_bits). */
#define SCAN_SHIFT 56
_Static_assert(KH_UPOS_COUNT <= FLAG_SHIFT && (B_COMMA | B_JOINED) < B_CLASS(KH_LEX_REPORTING_VERB),
               "the tags, the flags and the classes do not overlap");
_Static_assert(STRUCTURE_CLASSES >> 17 == 0x1ff, "the classes are bits 17 to 25, 32 to 40 here");

/* One sentence being chunked.  `bits` has a token's bits at 0 .. n-1,
 * none at -1 and only B_END at n: the rules ask of the tokens next to a
 * group or a phrase, which may be one past either end, and there find
 * nothing.  find_groups adds B_GROUPED to them; nothing else changes
 * them. */
typedef struct chunk_ctx {
    kh_chunking *c;
    const kh_tokens *t;
    uint64_t *bits;
    /* The tokens each scan (next_in) stops at, a bit per token: where a
     * verb group may start (GROUP_STARTS), a noun phrase (NP_START_TAGS),
     * and an oblique search (OBLIQUE_MARKS, and each group's first token,
     * which find_groups adds).  Token n is in all three. */
    uint64_t *group_starts, *np_starts, *oblique_marks;
    int n;
} chunk_ctx;

static const char *word(const chunk_ctx *x, int i) { return x->t->items[i].word; }

/* The next element of the groups, the phrases or the obliques.  Each
 * takes a token no other of its kind takes (an oblique, its preposition),
 * so none has more than the sentence has tokens, the room reset() makes:
 * there is nothing to grow, and the caller sets the whole element. */
#define NEXT_OF(v) (&(v)->items[(v)->count++])

/* Has token i (-1 .. n) any of the bits `b`? */
static int has(const chunk_ctx *x, int i, uint64_t b) { return (x->bits[i] & b) != 0; }

/* Is token i in one of the lexicon classes `classes` (KH_LEX_*)? */
static int word_in(const chunk_ctx *x, int i, unsigned classes)
{
    return has(x, i, B_CLASS(classes));
}

static int tag_is(const chunk_ctx *x, int i, kh_upos tag) { return has(x, i, TAG_BIT(tag)); }

/* A set of tags, for one test of several. */
#define TAGS(t) TAG_BIT(t)

static int tag_in(const chunk_ctx *x, int i, uint64_t tags) { return has(x, i, tags); }

static int is_comma(const chunk_ctx *x, int i) { return has(x, i, B_COMMA); }

static int is_verbal(const chunk_ctx *x, int i)
{
    return tag_in(x, i, TAGS(KH_UPOS_VERB) | TAGS(KH_UPOS_AUX));
}

static int is_negator(const chunk_ctx *x, int i) { return word_in(x, i, KH_LEX_NEGATOR); }

/* The first token from i (at most n) in `map` (chunk_ctx), n when no
 * other is: 64 tokens at a time, where a loop over the tokens ended at a
 * token no one could predict, one mispredicted branch a scan. */
static int next_in(const uint64_t *map, int i)
{
    const uint64_t *w = map + (i >> 6);
    uint64_t m = *w & (~(uint64_t)0 << (i & 63));
    while (!m)
        m = *++w;
    return (int)((w - map) * 64 + __builtin_ctzll(m));
}

/* ---- verb groups ---- */

/* Do only adverbs and negators stand between i and a verb or auxiliary?
 * Then they belong to the group ("has not yet signed"). */
static int adverbs_before_verb(const chunk_ctx *x, int i)
{
    while (i < x->n && (tag_is(x, i, KH_UPOS_ADV) || is_negator(x, i)))
        i++;
    return is_verbal(x, i);
}

/* The end (exclusive) of the group starting at i; sets *head. */
static int group_end(const chunk_ctx *x, int i, int *head)
{
    int last_aux = -1;
    *head = -1;
    while (i < x->n) {
        if (tag_is(x, i, KH_UPOS_AUX)) {
            last_aux = i++;
        } else if (tag_is(x, i, KH_UPOS_VERB)) {
            *head = i++;
            break;  /* "helped rebuild": the second verb is its own group */
        } else if ((tag_is(x, i, KH_UPOS_ADV) || is_negator(x, i)) &&
                   adverbs_before_verb(x, i)) {
            i++;
        } else {
            break;
        }
    }
    if (*head < 0)
        *head = last_aux;
    return i;
}

static int is_reporting(const chunk_ctx *x, int head)
{
    return tag_is(x, head, KH_UPOS_VERB) && word_in(x, head, KH_LEX_REPORTING_VERB);
}

/* Flags from the auxiliaries before the head, the last of which decides
 * voice and aspect ("has been attacked" is perfect and passive). */
static unsigned group_flags(const chunk_ctx *x, const kh_vgroup *g)
{
    unsigned f = 0;
    int last_aux = -1;
    for (int i = g->first; i <= g->last; i++) {
        if (is_negator(x, i))
            f |= KH_VG_NEGATED;
        if (i >= g->head || !tag_is(x, i, KH_UPOS_AUX))
            continue;
        last_aux = i;
        if (word_in(x, i, KH_LEX_FUTURE_MODAL)) f |= KH_VG_FUTURE;
        if (word_in(x, i, KH_LEX_HYPOTHETICAL_MODAL)) f |= KH_VG_HYPOTHETICAL;
        if (word_in(x, i, KH_LEX_PERFECT_AUX)) f |= KH_VG_PERFECT;
    }
    if (!tag_is(x, g->head, KH_UPOS_VERB))
        f |= KH_VG_COPULA;
    else if (last_aux >= 0 && word_in(x, last_aux, KH_LEX_PASSIVE_AUX)) {
        size_t len = strlen(word(x, g->head));
        int ing = len > 4 && strcmp(word(x, g->head) + len - 3, "ING") == 0;
        f |= ing ? KH_VG_PROGRESSIVE : KH_VG_PASSIVE;
    }
    if (has(x, g->first, B_TO))
        f |= KH_VG_INFINITIVE;
    if (is_reporting(x, g->head))
        f |= KH_VG_REPORTING;
    return f;
}

/* A verb joined to a word by a hyphen is an adjective ("U.S.-led",
 * "Hamas-affiliated"), never a verb group. */
static int is_joined(const chunk_ctx *x, int i) { return has(x, i, B_JOINED); }

/* The tokens a verb group may start at. */
#define GROUP_STARTS (TAGS(KH_UPOS_VERB) | TAGS(KH_UPOS_AUX) | B_CLASS(KH_LEX_NEGATOR))

static void find_groups(chunk_ctx *x)
{
    for (int i = 0; (i = next_in(x->group_starts, i)) < x->n;) {
        if (is_joined(x, i) || is_joined(x, i + 1) ||
            (!is_verbal(x, i) && !(is_negator(x, i) && adverbs_before_verb(x, i)))) {
            i++;
            continue;
        }
        int head, end = group_end(x, i, &head);
        if (head < 0) {
            i = end > i ? end : i + 1;
            continue;
        }
        kh_vgroup *g = NEXT_OF(&x->c->groups);
        int first = tag_is(x, i - 1, KH_UPOS_PART) && has(x, i - 1, B_TO) ? i - 1 : i;
        *g = (kh_vgroup){.first = first, .last = end - 1, .head = head, .subject = -1,
                         .object = -1, .agent = -1, .governor = -1, .antecedent = -1};
        g->flags = group_flags(x, g);
        for (int k = g->first; k <= g->last; k++) {
            x->c->group_of[k] = (int)x->c->groups.count - 1;
            x->bits[k] |= B_GROUPED;
        }
        x->oblique_marks[g->first >> 6] |= (uint64_t)1 << (g->first & 63);
        i = end;
    }
}

/* ---- noun phrases ---- */

#define NOMINAL_TAGS (TAGS(KH_UPOS_NOUN) | TAGS(KH_UPOS_PROPN) | TAGS(KH_UPOS_NUM))

static int is_nominal(const chunk_ctx *x, int i) { return tag_in(x, i, NOMINAL_TAGS); }

/* The tags a noun phrase can start with. */
#define NP_START_TAGS (NOMINAL_TAGS | TAGS(KH_UPOS_DET) | TAGS(KH_UPOS_ADJ) | TAGS(KH_UPOS_PRON))

/* "Radagast the Brown", "Alexander the Great": a name, THE and a
 * capitalised word are one name, not two phrases. */
static int is_epithet(const chunk_ctx *x, int name, int det)
{
    return det == name + 1 && tag_is(x, name, KH_UPOS_PROPN) &&
           has(x, det, B_THE) && det + 1 < x->n &&
           (x->t->items[det + 1].flags & KH_TOK_CAPITAL) &&
           (tag_is(x, det + 1, KH_UPOS_PROPN) || tag_is(x, det + 1, KH_UPOS_ADJ));
}

/* The last token of the noun phrase starting at i, or -1 when none ends
 * in a nominal.  A determiner after a nominal starts the next phrase.
 * The loop needs no test of n: token n has only B_END, and ends it at the
 * last `else`.  Nominals and adjectives, most of a phrase, are passed in
 * one test, `last` moved without a branch: which of the two a token is
 * was the loop's worst-predicted branch. */
static int np_end(const chunk_ctx *x, int i)
{
    const uint64_t *bits = x->bits;
    int last = -1;
    /* A hyphen joins the first token to none of the phrase. */
    uint64_t joined = 0;
    for (int j = i; !(bits[j] & B_GROUPED); j++, joined = B_JOINED) {
        uint64_t b = bits[j];
        if (b & (NOMINAL_TAGS | TAGS(KH_UPOS_ADJ) | joined)) {
            last = b & (NOMINAL_TAGS | joined) ? j : last;
        } else if (b & TAGS(KH_UPOS_PRON)) {
            if (word_in(x, j, KH_LEX_POSSESSIVE_PRONOUN) && is_nominal(x, j + 1))
                continue;            /* "its embassy": a determiner */
            return last >= 0 ? last : (j == i ? j : last);
        } else if (b & TAGS(KH_UPOS_DET)) {
            if (last >= 0 && !is_epithet(x, last, j))
                break;
        } else if ((b & B_APOS_S) && last >= 0) {
            continue;                /* "Iran's defence minister" */
        } else if (last < 0 && (b & TAGS(KH_UPOS_ADV)) && j > i && j + 1 < x->n &&
                   tag_is(x, j + 1, KH_UPOS_ADJ)) {
            continue;                /* "a clearly inebriated official" */
        } else {
            break;
        }
    }
    return last;
}

/* Most phrases have at most SHORT_NP tokens. */
#define SHORT_NP 4

/* np_of[first .. last] = index.  The first SHORT_NP are stored whether
 * they are in the phrase or not, -1 (what reset left there: no phrase
 * after this one has been found) for those past it, without a loop whose
 * end, a phrase's length, went wrong for one phrase in several; np_of
 * has room for them past the last token. */
static void set_np_of(int *np_of, int first, int last, int index)
{
    for (int k = 0; k < SHORT_NP; k++)
        np_of[first + k] = first + k <= last ? index : -1;
    for (int k = first + SHORT_NP; k <= last; k++)
        np_of[k] = index;
}

static void find_nps(chunk_ctx *x)
{
    for (int i = 0; (i = next_in(x->np_starts, i)) < x->n;) {
        int end = !has(x, i, B_GROUPED) ? np_end(x, i) : -1;
        if (end < i) {
            i++;
            continue;
        }
        int index = (int)x->c->nps.count;
        *NEXT_OF(&x->c->nps) = (kh_np){.first = i, .last = end, .head = end,
                                       .last_with_of = end, .coord = index};
        set_np_of(x->c->np_of, i, end, index);
        i = end + 1;
    }
}

/* "the leader of Iran": the phrase extends over "of" + noun phrase,
 * computed right to left so chains extend all the way. */
static void extend_over_of(chunk_ctx *x)
{
    kh_np_vec *v = &x->c->nps;
    for (size_t k = v->count; k-- > 0;) {
        int after = v->items[k].last + 1;
        if (!has(x, after, B_OF))
            continue;
        int next = after + 1 < x->n ? x->c->np_of[after + 1] : -1;
        if (next >= 0 && v->items[next].first == after + 1)
            v->items[k].last_with_of = v->items[next].last_with_of;
    }
}

/* NP (, NP)* (,) and|or NP: every member points at the first.  Without
 * the conjunction "NP , NP ," is an apposition, not a list. */
static void find_coordination(chunk_ctx *x)
{
    kh_np_vec *v = &x->c->nps;
    for (size_t a = 0; a + 1 < v->count; a++) {
        /* Most phrases are followed by a verb or a preposition, which
         * the loop below would find first: no list starts there. */
        if (!has(x, v->items[a].last_with_of + 1, B_COMMA | TAGS(KH_UPOS_CCONJ)))
            continue;
        size_t b = a;
        int saw_conj = 0;
        while (b + 1 < v->count && !saw_conj) {
            int gap_first = v->items[b].last_with_of + 1, gap_last = v->items[b + 1].first - 1;
            int commas = 0, conj = 0, other = 0;
            /* One token of another kind ends the list: most gaps hold a verb. */
            for (int i = gap_first; i <= gap_last && !other; i++) {
                if (is_comma(x, i)) commas++;
                else if (tag_is(x, i, KH_UPOS_CCONJ)) conj++;
                else other++;
            }
            if (other || gap_last < gap_first || conj > 1 || (!conj && commas != 1))
                break;
            saw_conj = conj;
            b++;
        }
        if (!saw_conj)
            continue;
        for (size_t k = a + 1; k <= b; k++)
            v->items[k].coord = (int)a;
        a = b;
    }
}

/* ---- roles ---- */

/* The outermost noun phrase whose "of" extension ends at token i.  An
 * extension is a chain of phrases each followed by "of" and the next, so
 * the phrases whose extension ends at i are the ones right before i's
 * own, back to the first that does not reach it. */
static int np_ending_at(const chunk_ctx *x, int i)
{
    if (i < 0 || x->c->np_of[i] < 0)
        return -1;
    int np = x->c->np_of[i];
    for (int k = np - 1; k >= 0 && x->c->nps.items[k].last_with_of == i; k--)
        np = k;
    return np;
}

/* Is [a, b] a parenthetical to pass over: a relative clause, a phrase
 * that opens with a preposition or subordinator, or an apposition? */
static int parenthetical(const chunk_ctx *x, int a, int b)
{
    if (a > b)
        return 0;
    if (word_in(x, a, KH_LEX_RELATIVE_PRONOUN) || tag_is(x, a, KH_UPOS_ADP) ||
        tag_is(x, a, KH_UPOS_SCONJ))
        return 1;
    int np = x->c->np_of[a];
    return np >= 0 && x->c->nps.items[np].first == a && x->c->nps.items[np].last_with_of == b;
}

/* The token before position i once a comma-enclosed parenthetical ending
 * at i is passed over; i itself when there is none. */
static int skip_parenthetical(const chunk_ctx *x, int i)
{
    if (!is_comma(x, i))
        return i;
    for (int open = i - 1; open >= 0; open--) {
        if (!is_comma(x, open))
            continue;
        return parenthetical(x, open + 1, i - 1) ? open - 1 : i;
    }
    return i;
}

/* The token before the noun phrase or prepositional phrase ending at i
 * when it is a time or place phrase ("Iran on Monday said"), else i. */
static int skip_pp(const chunk_ctx *x, int i)
{
    int np = np_ending_at(x, i);
    if (np < 0)
        return i;
    int prep = x->c->nps.items[np].first - 1;
    if (tag_is(x, prep, KH_UPOS_ADP) && !has(x, prep, B_OF))
        return prep - 1;
    return i;
}

/* A relative pronoun right before the group: its antecedent is the noun
 * phrase before the pronoun (and an optional comma). */
static int relative_antecedent(const chunk_ctx *x, const kh_vgroup *g)
{
    int k = g->first - 1;
    if (!word_in(x, k, KH_LEX_RELATIVE_PRONOUN))
        return -1;
    k--;
    if (is_comma(x, k))
        k--;
    return np_ending_at(x, k);
}

/* The nearest noun phrase before the group, passing over adverbs,
 * comma-enclosed parentheticals and time or place phrases ("Iran, which
 * backs the rebels, on Monday accused ..."). */
static void find_subject(chunk_ctx *x, kh_vgroup *g)
{
    if ((g->antecedent = relative_antecedent(x, g)) >= 0) {
        g->flags |= KH_VG_RELATIVE;
        g->subject = g->antecedent;
        return;
    }
    if (g->flags & KH_VG_INFINITIVE)
        return;                      /* its subject is its controller's */
    int k = g->first - 1;
    for (int skips = 0; skips <= SUBJECT_SKIPS; skips++) {
        while (tag_is(x, k, KH_UPOS_ADV))
            k--;
        if (is_comma(x, k)) {
            int before = skip_parenthetical(x, k);
            if (before == k)
                return;              /* a comma that closes nothing */
            k = before;
            continue;
        }
        int np = np_ending_at(x, k);
        if (np < 0)
            return;
        int prep = x->c->nps.items[np].first - 1;
        if (skips < SUBJECT_SKIPS && tag_is(x, prep, KH_UPOS_ADP) &&
            !has(x, prep, B_OF) &&
            !(skips == 0 && word_in(x, prep, KH_LEX_SUBORDINATING_PREP))) {
            k = prep - 1;
            continue;
        }
        g->subject = np;
        return;
    }
}

/* The first noun phrase after the group (over adverbs), unless a
 * preposition or clause marker comes first. */
static int find_object(const chunk_ctx *x, const kh_vgroup *g)
{
    int k = g->last + 1;
    while (tag_is(x, k, KH_UPOS_ADV))
        k++;
    if (k >= x->n || x->c->np_of[k] < 0)
        return -1;
    int np = x->c->np_of[k];
    return x->c->nps.items[np].first == k ? np : -1;
}

/* The tokens but a group's first where an oblique search stops or looks. */
#define OBLIQUE_MARKS (TAGS(KH_UPOS_SCONJ) | TAGS(KH_UPOS_ADP) | B_CLASS(KH_LEX_RELATIVE_PRONOUN))

/* Prepositional phrases after the group in its clause: up to the next
 * group (next_first, in oblique_marks, or the end) or clause marker.
 * "of" phrases belong to their noun. */
static void find_obliques(chunk_ctx *x, kh_vgroup *g, int next_first)
{
    g->first_pp = (int)x->c->pps.count;
    for (int k = g->last + 1; (k = next_in(x->oblique_marks, k)) < next_first; k++) {
        if (tag_is(x, k, KH_UPOS_SCONJ) || word_in(x, k, KH_LEX_RELATIVE_PRONOUN))
            break;
        if (!tag_is(x, k, KH_UPOS_ADP) || has(x, k, B_OF))
            continue;
        int np = k + 1 < x->n ? x->c->np_of[k + 1] : -1;
        if (np < 0 || x->c->nps.items[np].first != k + 1)
            continue;
        *NEXT_OF(&x->c->pps) = (kh_pp){.prep = k, .np = np};
        if ((g->flags & KH_VG_PASSIVE) && g->agent < 0 && has(x, k, B_BY))
            g->agent = np;
    }
    g->pp_count = (int)x->c->pps.count - g->first_pp;
}

/* ---- complements ---- */

/* The group whose verb this one completes, and the subject it inherits:
 * an infinitive or a bare second verb right after a group, or after one
 * adjective ("is ready to talk"); after the group's object, the object
 * is the subject ("urged Iran to leave"); a coordinated verb shares the
 * subject ("met Iraq and agreed"). */
static void find_control(chunk_ctx *x, kh_vgroup *g, int index)
{
    if (index == 0 || (g->subject >= 0 && !(g->flags & KH_VG_INFINITIVE)))
        return;
    kh_vgroup *prev = &x->c->groups.items[index - 1];
    int gap = g->first - 1;
    int object_end = prev->object >= 0 ? x->c->nps.items[prev->object].last_with_of : -2;
    int after_adjective = tag_is(x, gap, KH_UPOS_ADJ) && gap - 1 == prev->last;
    if (gap == prev->last || ((g->flags & KH_VG_INFINITIVE) && after_adjective)) {
        g->governor = index - 1;
        g->subject = prev->subject;
    } else if ((g->flags & KH_VG_INFINITIVE) && gap == object_end) {
        g->governor = index - 1;
        g->subject = prev->object;
    } else if (tag_is(x, gap, KH_UPOS_CCONJ) && (gap - 1 == prev->last || gap - 1 == object_end)) {
        g->subject = prev->subject;
    }
}

/* "Turkey said (that) Greece must withdraw", "Iran warned that Israel
 * would attack": a group whose subject (or first token) follows "that"
 * after a group, or directly follows a reporting group, is that group's
 * complement; a time phrase may stand between ("said on Monday that"). */
static void find_complement(chunk_ctx *x, kh_vgroup *g, int index)
{
    if (g->governor >= 0 || index == 0 || (g->flags & KH_VG_RELATIVE))
        return;
    int k = (g->subject >= 0 ? x->c->nps.items[g->subject].first : g->first) - 1;
    int that = has(x, k, B_THAT);
    if (that)
        k--;
    k = skip_pp(x, k);
    int h = k >= 0 ? x->c->group_of[k] : -1;
    int np = h < 0 && that ? np_ending_at(x, k) : -1;
    if (np >= 0 && x->c->nps.items[np].first > 0)   /* "told Greece that" */
        h = x->c->group_of[x->c->nps.items[np].first - 1];
    if (h >= 0 && h < index && (that || (x->c->groups.items[h].flags & KH_VG_REPORTING)))
        g->governor = h;
}

/* ", X said ." or ", said X .": a final reporting group governs the
 * clause before the comma and, inverted, takes the noun phrase after it
 * as its subject. */
static void find_final_report(chunk_ctx *x)
{
    kh_vgroup_vec *v = &x->c->groups;
    if (v->count < 2)
        return;
    kh_vgroup *r = &v->items[v->count - 1];
    if (!(r->flags & KH_VG_REPORTING))
        return;
    int k = r->subject >= 0 ? x->c->nps.items[r->subject].first - 1 : r->first - 1;
    while (k >= 0 && (x->t->items[k].flags & KH_TOK_QUOTE))
        k--;
    if (!is_comma(x, k))
        return;
    if (r->subject < 0 || x->c->nps.items[r->subject].last >= r->first)
        r->subject = r->object, r->object = -1;   /* ", said the minister" */
    for (size_t i = 0; i + 1 < v->count; i++)
        if (v->items[i].governor < 0 && v->items[i].last < k && !(v->items[i].flags & KH_VG_RELATIVE))
            v->items[i].governor = (int)v->count - 1;
}

static void find_roles(chunk_ctx *x)
{
    kh_vgroup_vec *v = &x->c->groups;
    for (size_t i = 0; i < v->count; i++) {
        kh_vgroup *g = &v->items[i];
        int next_first = i + 1 < v->count ? v->items[i + 1].first : x->n;
        g->object = find_object(x, g);
        find_obliques(x, g, next_first);
        find_subject(x, g);
        find_control(x, g, (int)i);
        find_complement(x, g, (int)i);
    }
    find_final_report(x);
}

/* ---- tags the structure corrects ---- */

/* Asked only of a determiner, so it looks the word up itself. */
static int is_article(const kh_token *tok)
{
    kh_lex_word w = kh_lex_of_token(tok);
    return w == KH_LW_THE || w == KH_LW_A || w == KH_LW_AN;
}

static int is_hyphen(const kh_tokens *t, size_t i)
{
    const char *w = t->items[i].word;
    return t->items[i].flags & (KH_TOK_DASH | KH_TOK_JOINED) || (w[0] == '-' && !w[1]);
}

/* Between an article and a verb: words that can only modify a noun --
 * adjectives, numbers, and hyphenated compounds ("anti-Gondor").  A
 * plain noun or name cannot count: in "the government accused" it is the
 * subject, and the verb is a verb. */
static int noun_modifier(const kh_tokens *t, const kh_upos *tags, size_t i)
{
    kh_upos u = tags[i];
    if (u == KH_UPOS_ADJ || u == KH_UPOS_NUM || is_hyphen(t, i))
        return 1;
    return (u == KH_UPOS_NOUN || u == KH_UPOS_PROPN) && i > 0 && is_hyphen(t, i - 1);
}

/* Token i follows an article and modifiers only: "the general [strike]". */
static int after_article(const kh_tokens *t, const kh_upos *tags, size_t i)
{
    size_t k = i;
    while (k > 0 && noun_modifier(t, tags, k - 1))
        k--;
    return k > 0 && tags[k - 1] == KH_UPOS_DET && is_article(&t->items[k - 1]);
}

/* "a new bombing and [shelling] offensive": a verb joined to a noun that
 * follows an article, and followed by the head they share, modifies it
 * like that noun ("the army and police raided" has no shared head). */
static int coordinated_modifier(const kh_tokens *t, const kh_upos *tags, size_t i)
{
    if (i < 2 || i + 1 >= t->count || tags[i - 1] != KH_UPOS_CCONJ ||
        tags[i - 2] != KH_UPOS_NOUN || !after_article(t, tags, i - 2))
        return 0;
    return tags[i + 1] == KH_UPOS_NOUN || tags[i + 1] == KH_UPOS_ADJ;
}

/* The verbs of tags [from, from + count), count at most 64, a bit each. */
static uint64_t verb_bits(const kh_upos *tags, size_t from, size_t count)
{
    uint64_t verbs = 0;
    for (size_t k = 0; k < count; k++)
        verbs |= (uint64_t)(tags[from + k] == KH_UPOS_VERB) << k;
    return verbs;
}

/* The verbs, one token in several, are found 64 tokens at a time without
 * a branch (which tokens they are went wrong at most of them), and only
 * they are visited.  A fix makes a verb a noun, never a noun a verb, so
 * the bits found before the fixes are still the verbs to visit; the
 * tests read the tags as the fixes before them left them. */
int kh_chunk_fix_tags(const kh_tokens *t, kh_upos *tags)
{
    int fixed = 0;
    for (size_t base = 0; base < t->count; base += 64) {
        size_t count = t->count - base < 64 ? t->count - base : 64;
        for (uint64_t verbs = verb_bits(tags, base, count); verbs; verbs &= verbs - 1) {
            size_t i = base + (size_t)__builtin_ctzll(verbs);
            if (after_article(t, tags, i) || coordinated_modifier(t, tags, i)) {
                tags[i] = KH_UPOS_NOUN;
                fixed++;
            }
        }
    }
    return fixed;
}

/* ---- the chunking ---- */

void kh_chunking_init(kh_chunking *c) { memset(c, 0, sizeof *c); }

void kh_chunking_free(kh_chunking *c)
{
    KH_VEC_FREE(&c->nps);
    KH_VEC_FREE(&c->pps);
    KH_VEC_FREE(&c->groups);
    free(c->np_of);
    free(c->group_of);
    free(c->bits);
    free(c->lex_bits);
    free(c->maps);
    kh_chunking_init(c);
}

/* The scans' maps (chunk_ctx), and the words of each, with token n's bit. */
#define SCAN_MAPS 3
static size_t map_words(size_t n) { return n / 64 + 1; }

static void reset(kh_chunking *c, size_t n)
{
    c->nps.count = c->pps.count = c->groups.count = 0;
    KH_VEC_RESERVE(&c->nps, n);       /* as many as there are tokens: see NEXT_OF */
    KH_VEC_RESERVE(&c->pps, n);
    KH_VEC_RESERVE(&c->groups, n);
    if (n > c->token_cap || !c->bits) {     /* bits has room for the edges */
        c->token_cap = n;
        c->np_of = kh_xrealloc(c->np_of, (n + SHORT_NP) * sizeof *c->np_of);
        c->group_of = kh_xrealloc(c->group_of, n * sizeof *c->group_of);
        c->bits = kh_xrealloc(c->bits, (n + 2) * sizeof *c->bits);
        c->maps = kh_xrealloc(c->maps, SCAN_MAPS * map_words(n) * sizeof *c->maps);
    }
    /* -1 in every byte is -1 */
    memset(c->np_of, 0xff, (n + SHORT_NP) * sizeof *c->np_of);
    memset(c->group_of, 0xff, n * sizeof *c->group_of);
}

/* The bits of the few words the rules name. */
static uint64_t word_bits(kh_lex_word w)
{
    switch (w) {
    case KH_LW_TO: return B_TO;
    case KH_LW_THE: return B_THE;
    case KH_LW_OF: return B_OF;
    case KH_LW_BY: return B_BY;
    case KH_LW_THAT: return B_THAT;
    case KH_LW_APOS_S: return B_APOS_S;
    default: return 0;
    }
}

/* The scans a token's bits `b` stop it for, as bits of a byte: the
 * top three, so that a map is the bytes' top bits (map_word). */
#define SCAN_GROUP 0x80u
#define SCAN_NP 0x40u
#define SCAN_OBLIQUE 0x20u
#define SCAN_ALL (SCAN_GROUP | SCAN_NP | SCAN_OBLIQUE)

static uint64_t scans_of(uint64_t b)
{
    unsigned scans = ((b & GROUP_STARTS) ? SCAN_GROUP : 0) | ((b & NP_START_TAGS) ? SCAN_NP : 0) |
                     ((b & OBLIQUE_MARKS) ? SCAN_OBLIQUE : 0);
    return (uint64_t)scans << SCAN_SHIFT;
}

/* c->lex_bits: per lexicon word what it brings to a token's bits, and
 * after them per tag; each with the scans they stop a token for. */
static void make_lex_bits(kh_chunking *c)
{
    c->lex_bits = kh_xmalloc((KH_LW_COUNT + KH_UPOS_COUNT) * sizeof *c->lex_bits);
    for (int w = 0; w < KH_LW_COUNT; w++) {
        uint64_t b = B_CLASS(kh_lex_entry_of((kh_lex_word)w)->classes & STRUCTURE_CLASSES) |
                     word_bits((kh_lex_word)w);
        c->lex_bits[w] = b | scans_of(b);
    }
    for (int t = 0; t < KH_UPOS_COUNT; t++)
        c->lex_bits[KH_LW_COUNT + t] = TAG_BIT(t) | scans_of(TAG_BIT(t));
}

/* Bit 7 - `up` of each of the 8 bytes of `x`, a bit each, in order:
 * moved to the bytes' top bits and gathered by one multiply (a byte's
 * lower bits cannot carry into the top byte). */
static uint64_t gather_bits(uint64_t x, int up)
{
    return (((x << up) & 0x8080808080808080ull) * 0x0002040810204081ull) >> 56;
}

/* Each token's bits, once (see chunk_ctx): the rules ask of the same
 * tokens many times; and the scans' maps from their top bytes, eight
 * tokens at a time, where testing each token for each map cost a dozen
 * instructions.  `lex` is each token's lexicon word, or NULL to look
 * them up. */
static void token_bits(chunk_ctx *x, const kh_upos *tags, const kh_lex_word *lex)
{
    kh_chunking *c = x->c;
    if (!c->lex_bits)           /* made once */
        make_lex_bits(c);
    /* Locals, read once: the stores to bits could otherwise be to them. */
    const kh_token *items = x->t->items;
    const uint64_t *lex_bits = c->lex_bits, *tag_bits = lex_bits + KH_LW_COUNT;
    size_t n = x->t->count, words = map_words(n);
    uint64_t *bits = c->bits + 1;
    uint64_t *groups = c->maps, *nps = groups + words, *obliques = nps + words;
    bits[-1] = 0;
    bits[n] = B_END;
    _Static_assert(SCAN_GROUP == 0x80 && SCAN_NP == 0x40 && SCAN_OBLIQUE == 0x20,
                   "the scans are bits 7, 6 and 5");
    for (size_t w = 0, from = 0; w < words; w++, from += 64) {
        /* this word's tokens' scans, on the stack, where they stay in
         * cache from sentence to sentence; and a zero eight after them */
        unsigned char scans[64 + 8];
        size_t to = n - from < 64 ? n : from + 64, k = 0;
        for (size_t i = from; i < to; i++, k++) {
            kh_lex_word lw = lex ? lex[i] : kh_lex_of_token(&items[i]);
            uint64_t b = tag_bits[tags[i]] | lex_bits[lw] |
                         (uint64_t)(items[i].flags & (KH_TOK_COMMA | KH_TOK_JOINED)) << FLAG_SHIFT;
            bits[i] = b;
            scans[k] = (unsigned char)(b >> SCAN_SHIFT);
        }
        if (n - from < 64)
            scans[k++] = SCAN_ALL;      /* token n stops every scan */
        memset(scans + k, 0, 8);
        uint64_t g = 0, p = 0, o = 0;
        for (size_t e = 0; e * 8 < k; e++) {
            uint64_t eight;
            memcpy(&eight, scans + 8 * e, sizeof eight);
            g |= gather_bits(eight, 0) << (8 * e);
            p |= gather_bits(eight, 1) << (8 * e);
            o |= gather_bits(eight, 2) << (8 * e);
        }
        groups[w] = g, nps[w] = p, obliques[w] = o;
    }
    x->bits = bits;
    x->group_starts = groups, x->np_starts = nps, x->oblique_marks = obliques;
}

void kh_chunk(kh_chunking *c, const kh_tokens *tokens, const kh_upos *tags,
              const kh_lex_word *lex)
{
    reset(c, tokens->count);
    chunk_ctx x = {.c = c, .t = tokens, .n = (int)tokens->count};
    token_bits(&x, tags, lex);
    find_groups(&x);
    find_nps(&x);
    extend_over_of(&x);
    find_coordination(&x);
    find_roles(&x);
}
