/*
 * parse.c -- a sentence's syntax parallel to its tokens (parse.h): the
 * relation names, filling from tags, locating a given parse in the text
 * and aligning our tokens to it.  The given formats are read by
 * parse_conllu.c and parse_penn.c.
 */
#include "parse.h"
#include "chunk.h"
#include "util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* How far past the end of the previous given token a form is looked for
 * when it does not follow directly.  A given parse skips little of the
 * text (a stray quote, a dropped symbol); a form not found this close is
 * a form that is not in the text, and looking further would only match
 * it to a later, unrelated word. */
#define LOCATE_WINDOW_BYTES 64

static const char *const deprel_names[KH_DEP_COUNT] = {
    [KH_DEP_NONE] = "_",          [KH_DEP_ROOT] = "root",
    [KH_DEP_NSUBJ] = "nsubj",     [KH_DEP_NSUBJ_PASS] = "nsubj:pass",
    [KH_DEP_CSUBJ] = "csubj",     [KH_DEP_OBJ] = "obj",
    [KH_DEP_IOBJ] = "iobj",       [KH_DEP_OBL] = "obl",
    [KH_DEP_AUX] = "aux",         [KH_DEP_AUX_PASS] = "aux:pass",
    [KH_DEP_COP] = "cop",         [KH_DEP_MARK] = "mark",
    [KH_DEP_CASE] = "case",       [KH_DEP_DET] = "det",
    [KH_DEP_AMOD] = "amod",       [KH_DEP_ADVMOD] = "advmod",
    [KH_DEP_NUMMOD] = "nummod",   [KH_DEP_COMPOUND] = "compound",
    [KH_DEP_CONJ] = "conj",       [KH_DEP_CC] = "cc",
    [KH_DEP_CCOMP] = "ccomp",     [KH_DEP_XCOMP] = "xcomp",
    [KH_DEP_ADVCL] = "advcl",     [KH_DEP_ACL] = "acl",
    [KH_DEP_ACL_RELCL] = "acl:relcl", [KH_DEP_NMOD] = "nmod",
    [KH_DEP_NMOD_POSS] = "nmod:poss", [KH_DEP_APPOS] = "appos",
    [KH_DEP_FLAT] = "flat",       [KH_DEP_FIXED] = "fixed",
    [KH_DEP_PARATAXIS] = "parataxis", [KH_DEP_PUNCT] = "punct",
    [KH_DEP_OTHER] = "dep",
};

/* UD v1 names and their v2 relations (parse.h). */
static const struct { const char *v1; kh_deprel rel; } deprel_v1[] = {
    {"dobj", KH_DEP_OBJ},        {"nsubjpass", KH_DEP_NSUBJ_PASS},
    {"auxpass", KH_DEP_AUX_PASS}, {"csubjpass", KH_DEP_CSUBJ},
    {"neg", KH_DEP_ADVMOD},      {"name", KH_DEP_FLAT},
    {"mwe", KH_DEP_FIXED},
};

const char *kh_deprel_name(kh_deprel rel)
{
    return (unsigned)rel < KH_DEP_COUNT ? deprel_names[rel] : "dep";
}

static kh_deprel deprel_exact(const char *name, size_t n)
{
    for (int r = KH_DEP_ROOT; r < KH_DEP_COUNT; r++)
        if (strlen(deprel_names[r]) == n && !strncasecmp(deprel_names[r], name, n))
            return (kh_deprel)r;
    for (size_t i = 0; i < sizeof deprel_v1 / sizeof *deprel_v1; i++)
        if (strlen(deprel_v1[i].v1) == n && !strncasecmp(deprel_v1[i].v1, name, n))
            return deprel_v1[i].rel;
    return KH_DEP_NONE;
}

kh_deprel kh_deprel_parse(const char *name)
{
    if (!name || !*name || !strcmp(name, "_"))
        return KH_DEP_NONE;
    kh_deprel r = deprel_exact(name, strlen(name));
    if (r != KH_DEP_NONE)
        return r;
    const char *colon = strchr(name, ':');       /* a subtype we lack */
    if (colon && (r = deprel_exact(name, (size_t)(colon - name))) != KH_DEP_NONE)
        return r;
    return KH_DEP_OTHER;
}

/* ---- the parse ---- */

void kh_parse_init(kh_parse *p) { memset(p, 0, sizeof *p); }

void kh_parse_free(kh_parse *p)
{
    KH_VEC_FREE(&p->tokens);
    KH_VEC_FREE(&p->strings);
    kh_parse_init(p);
}

const char *kh_parse_string(const kh_parse *p, long offset)
{
    return offset < 0 || (size_t)offset >= p->strings.count ? NULL : p->strings.items + offset;
}

static long parse_add_string(kh_parse *p, const char *s)
{
    if (!s)
        return -1;
    size_t n = strlen(s), at = p->strings.count;
    KH_VEC_RESERVE(&p->strings, at + n + 1);
    memcpy(p->strings.items + at, s, n + 1);
    p->strings.count += n + 1;
    return (long)at;
}

/* p holds one untagged, unattached token per token of `tokens`. */
static void parse_reset(kh_parse *p, const kh_tokens *tokens)
{
    p->tokens.count = p->strings.count = 0;
    p->unaligned = 0;
    p->given = 0;
    KH_VEC_RESERVE(&p->tokens, tokens->count);
    for (size_t i = 0; i < tokens->count; i++) {
        kh_parse_token *t = &p->tokens.items[i];
        memset(t, 0, sizeof *t);
        t->start = tokens->items[i].start;
        t->end = tokens->items[i].end;
        t->upos = KH_UPOS_X;
        t->head = -1;
        t->xpos = t->lemma = -1;
    }
    p->tokens.count = tokens->count;
}

void kh_parse_from_tags(kh_parse *p, const kh_tokens *tokens, const kh_upos *tags)
{
    parse_reset(p, tokens);
    for (size_t i = 0; tags && i < tokens->count; i++) {
        p->tokens.items[i].upos = tags[i];
        p->tokens.items[i].flags |= KH_PARSE_TAGGED;
    }
}

/* ---- dependencies from the structure (chunk.h) ---- */

static void attach(kh_parse *p, int token, int head, kh_deprel rel)
{
    if (token >= 0 && token != head && p->tokens.items[token].head < 0) {
        p->tokens.items[token].head = head;
        p->tokens.items[token].rel = rel;
    }
}

/* A noun phrase's words to its head: determiners, adjectives, numbers,
 * the rest as compounds; "of" phrases as nmod. */
static void attach_np(kh_parse *p, const kh_chunking *c, int np)
{
    const kh_np *x = &c->nps.items[np];
    for (int i = x->first; i < x->head; i++) {
        kh_upos t = p->tokens.items[i].upos;
        attach(p, i, x->head, t == KH_UPOS_DET ? KH_DEP_DET : t == KH_UPOS_ADJ ? KH_DEP_AMOD
                              : t == KH_UPOS_NUM ? KH_DEP_NUMMOD : t == KH_UPOS_PRON
                              ? KH_DEP_NMOD_POSS : t == KH_UPOS_PART ? KH_DEP_CASE
                              : KH_DEP_COMPOUND);
    }
    int of = x->last + 1;
    if (x->last_with_of > x->last && of + 1 < (int)p->tokens.count &&
        c->np_of[of + 1] >= 0) {                 /* "the council of Bree" */
        int head = c->nps.items[c->np_of[of + 1]].head;
        attach(p, head, x->head, KH_DEP_NMOD);
        attach(p, of, head, KH_DEP_CASE);
    }
}

/* A verb group's own words: auxiliaries (the last one of a passive is
 * aux:pass), negation and adverbs, "to". */
static void attach_group(kh_parse *p, const kh_vgroup *g)
{
    for (int i = g->first; i <= g->last; i++) {
        if (i == g->head)
            continue;
        kh_upos t = p->tokens.items[i].upos;
        int last_aux = (g->flags & KH_VG_PASSIVE) && i == g->head - 1;
        attach(p, i, g->head, t == KH_UPOS_AUX ? (last_aux ? KH_DEP_AUX_PASS : KH_DEP_AUX)
                              : t == KH_UPOS_PART && i == g->first ? KH_DEP_MARK
                              : KH_DEP_ADVMOD);
    }
}

static void attach_roles(kh_parse *p, const kh_chunking *c, const kh_vgroup *g)
{
    int before = g->first - 1;
    if ((g->flags & KH_VG_RELATIVE) && before >= 0)        /* "which backs" */
        attach(p, before, g->head, KH_DEP_NSUBJ);
    int opener = g->subject >= 0 && !(g->flags & KH_VG_RELATIVE)
                     ? c->nps.items[g->subject].first - 1 : before;
    if (opener >= 0 && p->tokens.items[opener].upos == KH_UPOS_SCONJ)
        attach(p, opener, g->head, KH_DEP_MARK);          /* "that Greece must" */
    if (g->subject >= 0 && !(g->flags & KH_VG_RELATIVE) && c->nps.items[g->subject].last < g->first)
        attach(p, c->nps.items[g->subject].head, g->head,
               (g->flags & KH_VG_PASSIVE) ? KH_DEP_NSUBJ_PASS : KH_DEP_NSUBJ);
    if (g->object >= 0)
        attach(p, c->nps.items[g->object].head, g->head, KH_DEP_OBJ);
    for (int k = 0; k < g->pp_count; k++) {
        const kh_pp *pp = &c->pps.items[g->first_pp + k];
        int head = c->nps.items[pp->np].head;
        attach(p, head, g->head, KH_DEP_OBL);
        attach(p, pp->prep, head, KH_DEP_CASE);
    }
}

void kh_parse_from_structure(kh_parse *p, const kh_tokens *tokens, const kh_upos *tags,
                             const kh_chunking *c)
{
    kh_parse_from_tags(p, tokens, tags);
    int root = -1;
    for (size_t g = 0; g < c->groups.count; g++) {
        const kh_vgroup *v = &c->groups.items[g];
        attach_group(p, v);
        attach_roles(p, c, v);
        if (v->governor >= 0)
            attach(p, v->head, c->groups.items[v->governor].head,
                   (v->flags & KH_VG_INFINITIVE) ? KH_DEP_XCOMP : KH_DEP_CCOMP);
        else if (v->antecedent >= 0)
            attach(p, v->head, c->nps.items[v->antecedent].head, KH_DEP_ACL_RELCL);
        else if (root < 0)
            root = v->head;
        else
            attach(p, v->head, root, KH_DEP_CONJ);
    }
    for (size_t np = 0; np < c->nps.count; np++)
        attach_np(p, c, (int)np);
    if (root >= 0)
        p->tokens.items[root].rel = KH_DEP_ROOT;   /* head stays -1: 0 in CoNLL-U */
}

/* ---- given parses: storage ---- */

long kh_given_add_string(kh_given_parse *g, const char *s, size_t n)
{
    size_t at = g->strings.count;
    KH_VEC_RESERVE(&g->strings, at + n + 1);
    memcpy(g->strings.items + at, s, n);
    g->strings.items[at + n] = 0;
    g->strings.count += n + 1;
    return (long)at;
}

const char *kh_given_string(const kh_given_parse *g, long offset)
{
    return offset < 0 || (size_t)offset >= g->strings.count ? NULL : g->strings.items + offset;
}

void kh_given_parse_free(kh_given_parse *g)
{
    KH_VEC_FREE(&g->tokens);
    KH_VEC_FREE(&g->strings);
    memset(g, 0, sizeof *g);
}

const char *kh_given_unescape(const char *w, size_t n, size_t *out_len)
{
    static const struct { const char *esc, *text; } esc[] = {
        {"-LRB-", "("}, {"-RRB-", ")"}, {"-LCB-", "{"}, {"-RCB-", "}"},
        {"-LSB-", "["}, {"-RSB-", "]"}, {"``", "\""},  {"''", "\""},
    };
    for (size_t i = 0; i < sizeof esc / sizeof *esc; i++)
        if (strlen(esc[i].esc) == n && !memcmp(esc[i].esc, w, n)) {
            *out_len = strlen(esc[i].text);
            return esc[i].text;
        }
    *out_len = n;
    return w;
}

/* The code point as compared: letters lower-cased, and every quotation
 * mark and apostrophe one character, since parsers rewrite them (PTB's
 * `` and '', a tokenizer's ASCII for a typographic mark). */
static int32_t fold_cp(int32_t cp)
{
    switch (cp) {
    case '"': case '`': case 0x2018: case 0x2019: case 0x201C: case 0x201D:
    case 0xAB: case 0xBB:
        return '\'';
    }
    return cp < 128 ? (cp >= 'A' && cp <= 'Z' ? cp + 32 : cp) : utf8proc_tolower(cp);
}

/* The end of `form` matched at text[at], or -1. */
static long match_at(const char *text, size_t len, size_t at, const char *form)
{
    size_t flen = strlen(form), i = 0, j = at;
    if (!flen)
        return -1;
    while (i < flen) {
        int32_t a, b;
        if (j >= len)
            return -1;
        i += (size_t)kh_utf8_next(form, flen, i, &a);
        j += (size_t)kh_utf8_next(text, len, j, &b);
        if (fold_cp(a) != fold_cp(b))
            return -1;
    }
    return (long)j;
}

static size_t skip_blanks(const char *text, size_t len, size_t at)
{
    while (at < len && strchr(" \t\n\r", text[at]))
        at++;
    return at;
}

/* Sets each given token's range, in order, from where the previous one
 * ended; a form not found within LOCATE_WINDOW_BYTES stays unlocated. */
static void locate_tokens(kh_given_parse *g, const char *text, size_t len)
{
    size_t cursor = 0;
    for (size_t k = 0; k < g->tokens.count; k++) {
        kh_given_token *t = &g->tokens.items[k];
        const char *form = kh_given_string(g, t->form);
        size_t from = skip_blanks(text, len, cursor);
        t->start = t->end = -1;
        for (size_t at = from; form && at < len && at <= from + LOCATE_WINDOW_BYTES; at++) {
            long end = match_at(text, len, at, form);
            if (end >= 0) {
                t->start = (long)at;
                t->end = end;
                cursor = (size_t)end;
                break;
            }
        }
        if (t->start < 0)
            g->unlocated++;
    }
}

static int starts_penn(const char *s, size_t len)
{
    size_t i = skip_blanks(s, len, 0);
    return i < len && s[i] == '(';
}

void kh_given_parse_read(kh_given_parse *g, const char *parse, size_t parse_len,
                         const char *text, size_t text_len, const char *file, long line,
                         kh_diag *diag)
{
    memset(g, 0, sizeof *g);
    if (!parse)
        return;
    if (starts_penn(parse, parse_len))
        kh_given_read_penn(g, parse, parse_len, file, line, diag);
    else
        kh_given_read_conllu(g, parse, parse_len, file, line, diag);
    locate_tokens(g, text ? text : "", text ? text_len : 0);
}

/* ---- aligning our tokens to the given ones ---- */

/* The located given token that overlaps [s, e) most, from *j on (our
 * tokens come in text order, so *j only moves forward); -1 if none. */
static int best_overlap(const kh_given_parse *g, size_t *j, long s, long e)
{
    const kh_given_token *t = g->tokens.items;
    size_t n = g->tokens.count;
    while (*j < n && (t[*j].start < 0 || t[*j].end <= s))
        (*j)++;
    int best = -1;
    long best_len = 0;
    for (size_t k = *j; k < n && (t[k].start < 0 || t[k].start < e); k++) {
        if (t[k].start < 0)
            continue;
        long len = (e < t[k].end ? e : t[k].end) - (s > t[k].start ? s : t[k].start);
        if (len > best_len)
            best = (int)k, best_len = len;
    }
    return best;
}

/* NOT and 'S split off a given word ("didn't", "Iran's") are its advmod
 * and case, not its head. */
static int is_split_particle(const char *word)
{
    return !strcmp(word, "NOT") || !strcmp(word, "'S");
}

/* The token of ours that stands for the given token of each group of
 * tokens aligned to the same one: the last that is not a split-off
 * particle (the head of a hyphenated compound is its last part). */
static void pick_representatives(const int *map, const kh_tokens *tokens, int *rep)
{
    size_t n = tokens->count;
    for (size_t i = 0; i < n;) {
        size_t k = i;
        while (k + 1 < n && map[i] >= 0 && map[k + 1] == map[i])
            k++;
        size_t r = i;
        for (size_t x = i; x <= k; x++)
            if (!is_split_particle(tokens->items[x].word))
                r = x;
        for (size_t x = i; x <= k; x++)
            rep[x] = (int)r;
        i = k + 1;
    }
}

/* The aligned tokens in order: their given tokens (non-decreasing, as
 * both tokenizations follow the text) and our representatives of them. */
typedef struct aligned_index {
    int *given, *rep;
    size_t count;
} aligned_index;

/* Our representative of given token `gi`, or -1 when it is not in this
 * sentence. */
static int token_of_given(const aligned_index *ax, int gi)
{
    size_t lo = 0, hi = ax->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ax->given[mid] < gi)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < ax->count && ax->given[lo] == gi ? ax->rep[lo] : -1;
}

static void take_given(kh_parse *p, const kh_given_parse *g, const kh_tokens *tokens,
                       const int *map, const int *rep, const aligned_index *ax, size_t i)
{
    kh_parse_token *t = &p->tokens.items[i];
    const kh_given_token *gt = &g->tokens.items[map[i]];
    t->upos = gt->upos;
    t->flags |= KH_PARSE_TAGGED | KH_PARSE_ALIGNED;
    t->xpos = parse_add_string(p, kh_given_string(g, gt->xpos));
    if (rep[i] != (int)i) {             /* a part of a split given word */
        const char *w = tokens->items[i].word;
        t->head = rep[i];
        t->rel = !strcmp(w, "NOT") ? KH_DEP_ADVMOD
                 : !strcmp(w, "'S") ? KH_DEP_CASE : KH_DEP_COMPOUND;
        if (is_split_particle(w))
            t->upos = KH_UPOS_PART;
        return;
    }
    t->lemma = parse_add_string(p, kh_given_string(g, gt->lemma));
    if (gt->head >= 0) {
        t->head = token_of_given(ax, gt->head);
        if (t->head == (int)i)          /* a broken parse's own head */
            t->head = -1;
        t->rel = t->head >= 0 ? gt->rel : KH_DEP_NONE;  /* head in another sentence */
    } else {
        t->rel = gt->rel;
    }
}

void kh_parse_from_given(kh_parse *p, const kh_given_parse *g, const kh_tokens *tokens,
                         long offset)
{
    parse_reset(p, tokens);
    p->given = 1;
    size_t n = tokens->count, j = 0;
    int *map = kh_xmalloc((4 * n + 1) * sizeof *map), *rep = map + n;
    aligned_index ax = {map + 2 * n, map + 3 * n, 0};
    for (size_t i = 0; i < n; i++)
        map[i] = best_overlap(g, &j, offset + tokens->items[i].start,
                              offset + tokens->items[i].end);
    pick_representatives(map, tokens, rep);
    for (size_t i = 0; i < n; i++)
        if (map[i] >= 0) {
            ax.given[ax.count] = map[i];
            ax.rep[ax.count++] = rep[i];
        }
    for (size_t i = 0; i < n; i++) {
        if (map[i] < 0)
            p->unaligned++;
        else
            take_given(p, g, tokens, map, rep, &ax, i);
    }
    free(map);
}

/* ---- explaining ---- */

static int is_argument(kh_deprel r)
{
    return r == KH_DEP_NSUBJ || r == KH_DEP_NSUBJ_PASS || r == KH_DEP_OBJ ||
           r == KH_DEP_IOBJ || r == KH_DEP_OBL;
}

void kh_parse_explain(FILE *out, const kh_parse *p, const kh_tokens *tokens)
{
    size_t n = p->tokens.count < tokens->count ? p->tokens.count : tokens->count;
    fputs("tags:", out);
    for (size_t i = 0; i < n; i++) {
        const kh_parse_token *t = &p->tokens.items[i];
        fprintf(out, " %s/%s", tokens->items[i].word,
                t->flags & KH_PARSE_TAGGED ? kh_upos_name(t->upos) : "_");
    }
    fputc('\n', out);
    for (size_t v = 0; v < n; v++) {
        if (p->tokens.items[v].upos != KH_UPOS_VERB && p->tokens.items[v].rel != KH_DEP_ROOT)
            continue;
        fprintf(out, "  verb %s%s:", tokens->items[v].word,
                p->tokens.items[v].rel == KH_DEP_ROOT ? " (root)" : "");
        for (size_t i = 0; i < n; i++)
            if (p->tokens.items[i].head == (int)v && is_argument(p->tokens.items[i].rel))
                fprintf(out, " %s %s", kh_deprel_name(p->tokens.items[i].rel),
                        tokens->items[i].word);
        fputc('\n', out);
    }
}

/* ---- the public bits (khaldun.h) ---- */

int kh_parse_source_parse(const char *name)
{
    if (name && kh_strcaseeq(name, "tagger"))
        return KH_PARSE_TAGGER;
    if (name && kh_strcaseeq(name, "given"))
        return KH_PARSE_GIVEN;
    return -1;
}

void kh_parse_stats_add(kh_parse_stats *a, const kh_parse_stats *b)
{
    a->sentences += b->sentences;
    a->tokens += b->tokens;
    a->given_sentences += b->given_sentences;
    a->given_tokens += b->given_tokens;
    a->aligned += b->aligned;
    a->unlocated += b->unlocated;
    a->malformed += b->malformed;
}
