/*
 * gen_corpus.c -- writes a deterministic corpus of news-like sentences, one
 * per line, built from a loaded dictionary's actors, agents and verbs.
 *
 *     gen_corpus [--dict KIND:FILE]... [--no-default-dicts] [-n COUNT]
 *                [--seed N] [-o FILE]
 *
 * With no --dict the default dictionaries compiled into khaldun are used.
 * The same dictionaries, count and seed always give the same bytes: the
 * generator has its own PRNG (splitmix64) and never calls rand().
 *
 * Sentences mix what the coder meets in wire text: plain "SOURCE VERB
 * TARGET", realised verb patterns from the dictionary ("met with"),
 * agents ("Gondor's president"), compound actors, passives, negations,
 * filler clauses, numbers and quotations -- and some with no event at all.
 */
#include "khaldun.h"
#include "dict.h"
#include "morph.h"
#include "util.h"
#include "vec.h"

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Default corpus size: large enough that per-run start-up is noise. */
#define GEN_DEFAULT_COUNT 100000
#define GEN_DEFAULT_SEED 0x6b68616c64756eULL /* "khaldun" */

/* ---- PRNG: splitmix64, small and well mixed. ---- */

typedef struct rng {
    uint64_t state;
} rng;

static uint64_t rng_next(rng *r)
{
    uint64_t z = (r->state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* Uniform in [0, n); n > 0.  The modulo bias is irrelevant at n << 2^64. */
static size_t rng_below(rng *r, size_t n) { return (size_t)(rng_next(r) % n); }

static int rng_percent(rng *r, int percent) { return (int)rng_below(r, 100) < percent; }

#define PICK(r, array) ((array)[rng_below((r), sizeof(array) / sizeof(array)[0])])

/* ---- Output buffer for one sentence. ---- */

typedef struct text {
    KH_VEC(char) buf;
} text;

static void put(text *t, const char *s)
{
    size_t n = strlen(s);
    KH_VEC_RESERVE(&t->buf, t->buf.count + n + 1);
    memcpy(t->buf.items + t->buf.count, s, n);
    t->buf.count += n;
    t->buf.items[t->buf.count] = '\0';
}

/* Appends a dictionary word in news casing: Title for names, lower for
 * the rest; a leading space unless at the start. */
static void put_word(text *t, const char *w, int title)
{
    if (t->buf.count > 0 && t->buf.items[t->buf.count - 1] != ' ' &&
        t->buf.items[t->buf.count - 1] != '"')
        put(t, " ");
    size_t start = t->buf.count;
    put(t, w);
    for (size_t i = start; i < t->buf.count; i++) {
        char c = t->buf.items[i];
        unsigned char prev = i == start ? ' ' : (unsigned char)t->buf.items[i - 1];
        int first = !(isalpha(prev) || prev >= 0x80);   /* UTF-8 letters too */
        if (c >= 'A' && c <= 'Z' && !(title && first))
            t->buf.items[i] = (char)(c - 'A' + 'a');
    }
}

/* Appends fixed text ("on Tuesday") as written, after a space. */
static void put_text(text *t, const char *s)
{
    if (t->buf.count > 0 && t->buf.items[t->buf.count - 1] != ' ' &&
        t->buf.items[t->buf.count - 1] != '"')
        put(t, " ");
    put(t, s);
}

/* News sentences begin with a capital, quotations too. */
static void capitalize(text *t)
{
    for (size_t i = 0; i < t->buf.count; i++) {
        char c = t->buf.items[i];
        if (c >= 'a' && c <= 'z')
            t->buf.items[i] = (char)(c - 'a' + 'A');
        if (c != '"')
            return;
    }
}

static void put_phrase(text *t, const kh_phrase *p, int title)
{
    for (int i = 0; i < p->count; i++)
        put_word(t, p->words[i], title);
}

/* ---- Verb forms. ---- */

typedef enum { FORM_BASE, FORM_PAST, FORM_PARTICIPLE, FORM_ING, FORM_S } form_kind;

/* Longest verb form kept; longer ones (none in English) fall back on the
 * lemma. */
#define GEN_FORM_MAX 64

typedef struct form_pick {
    const char *lemma;
    char best[5][GEN_FORM_MAX];   /* per form_kind; "" if none seen */
} form_pick;

/* Sorts the forms kh_verb_forms emits into kinds by their endings: good
 * enough for a benchmark corpus (BROKE past, BROKEN and GONE participles;
 * a regular -ED wins the past over an irregular alternate). */
static void classify_form(void *ctx, const char *form)
{
    form_pick *fp = ctx;
    size_t n = strlen(form);
    if (n == 0 || n >= sizeof fp->best[0])
        return;
    form_kind k;
    if (strcmp(form, fp->lemma) == 0)
        k = FORM_BASE;
    else if (n > 3 && strcmp(form + n - 3, "ING") == 0)
        k = FORM_ING;
    else if (form[n - 1] == 'S')
        k = FORM_S;
    else if (form[n - 1] == 'N' || (n > 2 && strcmp(form + n - 2, "NE") == 0))
        k = FORM_PARTICIPLE;
    else
        k = FORM_PAST;
    size_t have = strlen(fp->best[k]);
    int have_ed = have > 2 && strcmp(fp->best[k] + have - 2, "ED") == 0;
    int is_ed = n > 2 && strcmp(form + n - 2, "ED") == 0;
    /* The first -ED form: kh_verb_forms gives WordNet's (EXPELLED) before
     * the American variant it adds (TRAVELED). */
    if (!have || (k == FORM_PAST && is_ed && !have_ed))
        strcpy(fp->best[k], form);
}

/* Writes the verb's words with the head in the wanted form. */
static void put_verb(text *t, const kh_verb *v, form_kind want)
{
    const char *head = v->words.words[v->head];
    form_pick fp = {.lemma = head};
    kh_verb_forms(head, classify_form, &fp);
    for (int i = 0; i < v->form_count; i++)
        classify_form(&fp, v->forms[i]);
    const char *form = fp.best[want];
    if (!*form && want == FORM_PARTICIPLE)
        form = fp.best[FORM_PAST];
    if (!*form)
        form = head;
    for (int i = 0; i < v->words.count; i++)
        put_word(t, i == v->head ? form : v->words.words[i], 0);
}

/* ---- Pieces of sentences. ---- */

typedef struct gen {
    const kh_dict *dict;
    rng r;
    KH_VEC(int) actors;    /* usable entries */
    KH_VEC(int) agents;
    KH_VEC(int) verbs;
    kh_verb *fallback;     /* one per fallback_verbs entry */
} gen;

static void put_actor(gen *g, text *t)
{
    const kh_actor *a = &g->dict->actors.items[g->actors.items[rng_below(&g->r, g->actors.count)]];
    put_phrase(t, &a->phrase, 1);
}

/* An actor, sometimes with an agent ("Gondor's army", "the Rohan
 * president") or as a compound ("Arnor and Gondor"). */
static void put_subject(gen *g, text *t)
{
    int roll = (int)rng_below(&g->r, 100);
    if (roll < 25 && g->agents.count) {
        const kh_agent *ag = &g->dict->agents.items[g->agents.items[rng_below(&g->r, g->agents.count)]];
        if (roll < 12) {
            put_text(t, "the");
            put_actor(g, t);
        } else {
            put_actor(g, t);
            put(t, "'s");
        }
        put_phrase(t, &ag->phrase, 0);
    } else if (roll < 35) {
        put_actor(g, t);
        put_word(t, "and", 0);
        put_actor(g, t);
    } else {
        put_actor(g, t);
    }
}

static const char *const days[] = {"on Monday", "on Tuesday", "on Wednesday",
    "on Thursday", "on Friday", "on Saturday", "on Sunday", "last week",
    "yesterday", "early on Sunday", "late on Friday"};
static const char *const sayers[] = {"officials said", "a spokesman said",
    "state media reported", "witnesses said", "the ministry said in a statement",
    "according to a diplomat", "the news agency reported"};
static const char *const fillers[] = {"in the capital", "near the border",
    "after weeks of tension", "despite international pressure",
    "for the first time since 1998", "in a rare move", "amid protests"};
static const char *const nouns[] = {"people", "soldiers", "civilians",
    "protesters", "police officers", "delegates", "rebels"};

static const char *const negations[] = {"did not", "has not", "will not",
    "refused to", "denied it would"};

static void put_number(gen *g, text *t)
{
    char num[32];
    snprintf(num, sizeof num, "%zu", 2 + rng_below(&g->r, 4998));
    put_word(t, num, 0);
    put_text(t, PICK(&g->r, nouns));
}

/* Realises one pattern of the verb's block: "*" becomes the verb, "+"
 * the target, "$" the source, words stay, a synset gives its first
 * alternative.  Returns 0 (writing nothing) for patterns it cannot
 * realise, so the caller falls back on the plain template. */
static int put_pattern(gen *g, text *t, const kh_verb *v)
{
    if (v->verbset < 0)
        return 0;
    const kh_verbset *vs = &g->dict->verbsets.items[v->verbset];
    if (vs->pattern_count == 0)
        return 0;
    const kh_pattern *p = &g->dict->patterns.items[vs->patterns[rng_below(&g->r, vs->pattern_count)]];
    int has_source = 0;
    for (int i = 0; i < p->count; i++)
        if (p->elems[i].kind == KH_EL_SOURCE)
            has_source = 1;
    if (!has_source)
        put_subject(g, t);
    for (int i = 0; i < p->count; i++) {
        const kh_elem *e = &p->elems[i];
        switch (e->kind) {
        case KH_EL_WORD: put_word(t, e->word, 0); break;
        case KH_EL_VERB: put_verb(t, v, FORM_PAST); break;
        case KH_EL_SOURCE: put_subject(g, t); break;
        case KH_EL_TARGET: case KH_EL_COMPOUND: put_actor(g, t); break;
        case KH_EL_SYNSET: {
            const kh_synset *s = &g->dict->synsets.items[e->synset];
            if (s->count > 0)
                for (int k = 0; k < s->alt_counts[0]; k++)
                    if (s->alts[0][k].kind == KH_EL_WORD)
                        put_word(t, s->alts[0][k].word, 0);
            break;
        }
        case KH_EL_SKIP: put_actor(g, t); break;
        case KH_EL_ALT_BEGIN:       /* take the first alternative */
            while (i + 1 < p->count && p->elems[i + 1].kind != KH_EL_ALT_OR &&
                   p->elems[i + 1].kind != KH_EL_ALT_END) {
                i++;
                if (p->elems[i].kind == KH_EL_WORD)
                    put_word(t, p->elems[i].word, 0);
            }
            while (i + 1 < p->count && p->elems[i].kind != KH_EL_ALT_END)
                i++;
            break;
        default: break;             /* group markers write nothing */
        }
    }
    return 1;
}

/* Used when the dictionaries have no verbs (the defaults may have none
 * yet): the sentences still look like news, and the coder still has to
 * tag them, even if it finds no events. */
static const char *const fallback_verbs[] = {"ACCUSE", "ATTACK", "BOMB",
    "CONDEMN", "CRITICIZE", "MEET", "PRAISE", "SANCTION", "THREATEN", "VISIT",
    "WARN", "SUPPORT", "ARREST", "EXPEL", "FIGHT", "BREAK", "SAY", "HELP"};

static const kh_verb *pick_verb(gen *g)
{
    if (g->verbs.count == 0)
        return &g->fallback[rng_below(&g->r, sizeof fallback_verbs / sizeof *fallback_verbs)];
    return &g->dict->verbs.items[g->verbs.items[rng_below(&g->r, g->verbs.count)]];
}

/* One sentence, without the final period. */
static void put_clause(gen *g, text *t)
{
    const kh_verb *v = pick_verb(g);
    int roll = (int)rng_below(&g->r, 100);
    if (roll < 30 && put_pattern(g, t, v))
        return;
    if (roll < 45) {                 /* passive */
        put_actor(g, t);
        put_word(t, rng_percent(&g->r, 50) ? "was" : "were", 0);
        put_verb(t, v, FORM_PARTICIPLE);
        put_word(t, "by", 0);
        put_subject(g, t);
    } else if (roll < 55) {          /* negation */
        put_subject(g, t);
        put_text(t, PICK(&g->r, negations));
        put_verb(t, v, FORM_BASE);
        put_actor(g, t);
    } else if (roll < 62) {          /* progressive */
        put_subject(g, t);
        put_word(t, "is", 0);
        put_verb(t, v, FORM_ING);
        put_actor(g, t);
    } else {
        put_subject(g, t);
        put_verb(t, v, FORM_PAST);
        put_actor(g, t);
    }
}

static void put_sentence(gen *g, text *t)
{
    t->buf.count = 0;
    int roll = (int)rng_below(&g->r, 100);
    if (roll < 8) {                  /* quotation */
        put(t, "\"");
        put_clause(g, t);
        put(t, ",\" ");
        put(t, PICK(&g->r, sayers));
        put(t, ".");
        return;
    }
    if (roll < 12) {                 /* no event: background */
        put_actor(g, t);
        put_word(t, "has a population of about", 0);
        put_number(g, t);
        put(t, ".");
        return;
    }
    put_clause(g, t);
    if (rng_percent(&g->r, 40))
        put_text(t, PICK(&g->r, days));
    if (rng_percent(&g->r, 25))
        put_text(t, PICK(&g->r, fillers));
    if (rng_percent(&g->r, 15)) {
        put(t, ",");
        put_word(t, "killing", 0);
        put_number(g, t);
    }
    if (rng_percent(&g->r, 35)) {
        put(t, ",");
        put_text(t, PICK(&g->r, sayers));
    }
    put(t, ".");
}

/* ---- Set-up. ---- */

/* Entries usable in text: at least one word, none empty. */
static int phrase_usable(const kh_phrase *p)
{
    if (p->count <= 0)
        return 0;
    for (int i = 0; i < p->count; i++)
        if (!p->words[i] || !p->words[i][0])
            return 0;
    return 1;
}

static void collect_entries(gen *g)
{
    const kh_dict *d = g->dict;
    for (size_t i = 0; i < d->actors.count; i++)
        if (phrase_usable(&d->actors.items[i].phrase))
            *KH_VEC_PUSH(&g->actors) = (int)i;
    for (size_t i = 0; i < d->agents.count; i++)
        if (phrase_usable(&d->agents.items[i].phrase))
            *KH_VEC_PUSH(&g->agents) = (int)i;
    for (size_t i = 0; i < d->verbs.count; i++) {
        const kh_verb *v = &d->verbs.items[i];
        if (phrase_usable(&v->words) && v->head >= 0 && v->head < v->words.count &&
            v->verbset >= 0 && (size_t)v->verbset < d->verbsets.count)
            *KH_VEC_PUSH(&g->verbs) = (int)i;
    }
}

static void usage(void)
{
    fprintf(stderr, "usage: gen_corpus [--dict KIND:FILE]... [--no-default-dicts] "
                    "[-n COUNT] [--seed N] [-o FILE]\n");
    exit(2);
}

int main(int argc, char **argv)
{
    kh_diag diag;
    kh_diag_init(&diag);
    diag.quiet = 1;                  /* the benchmark reports load problems */
    kh_dict *dict = kh_dict_new();
    size_t count = GEN_DEFAULT_COUNT;
    uint64_t seed = GEN_DEFAULT_SEED;
    const char *out_path = NULL;
    int dict_args = 0, defaults = 1;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--dict") && i + 1 < argc) {
            if (kh_dict_load_spec(dict, argv[++i], &diag) < 0) {
                fprintf(stderr, "gen_corpus: cannot load %s\n", argv[i]);
                return 1;
            }
            dict_args++;
        } else if (!strcmp(argv[i], "--no-default-dicts")) {
            defaults = 0;
        } else if (!strcmp(argv[i], "-n") && i + 1 < argc) {
            count = strtoull(argv[++i], NULL, 10);
        } else if (!strcmp(argv[i], "--seed") && i + 1 < argc) {
            seed = strtoull(argv[++i], NULL, 0);
        } else if (!strcmp(argv[i], "-o") && i + 1 < argc) {
            out_path = argv[++i];
        } else {
            usage();
        }
    }
    if (defaults && dict_args == 0)
        kh_dict_load_defaults(dict, &diag);
    kh_dict_freeze(dict);

    gen g = {.dict = dict, .r = {seed}};
    collect_entries(&g);
    if (!g.actors.count) {
        fprintf(stderr, "gen_corpus: the dictionaries have no usable actors\n");
        return 1;
    }
    size_t nfallback = sizeof fallback_verbs / sizeof *fallback_verbs;
    g.fallback = kh_xcalloc(nfallback, sizeof *g.fallback);
    for (size_t i = 0; i < nfallback; i++) {
        g.fallback[i].words.words = (const char **)&fallback_verbs[i];
        g.fallback[i].words.count = 1;
        g.fallback[i].verbset = -1;
    }
    if (!g.verbs.count)
        fprintf(stderr, "gen_corpus: the dictionaries have no verbs; using %zu common "
                        "ones\n", nfallback);
    FILE *out = out_path ? fopen(out_path, "w") : stdout;
    if (!out) {
        fprintf(stderr, "gen_corpus: %s: %s\n", out_path, strerror(errno));
        return 1;
    }
    text t = {0};
    for (size_t i = 0; i < count; i++) {
        put_sentence(&g, &t);
        capitalize(&t);
        fputs(t.buf.items, out);
        fputc('\n', out);
    }
    int rc = (fflush(out) == 0 && !ferror(out)) ? 0 : 1;
    if (out != stdout)
        rc |= fclose(out) != 0;
    fprintf(stderr, "gen_corpus: %zu sentences from %zu actors, %zu agents, %zu verbs "
                    "(seed %llu)\n", count, g.actors.count, g.agents.count,
            g.verbs.count, (unsigned long long)seed);
    KH_VEC_FREE(&t.buf);
    KH_VEC_FREE(&g.actors);
    KH_VEC_FREE(&g.agents);
    KH_VEC_FREE(&g.verbs);
    free(g.fallback);
    kh_dict_free(dict);
    return rc;
}
