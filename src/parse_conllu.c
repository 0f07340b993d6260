/*
 * parse_conllu.c -- reading CoNLL-U into a given parse (parse.h).
 *
 * Lines are ID FORM LEMMA UPOS XPOS FEATS HEAD DEPREL DEPS MISC, separated
 * by tabs; a line with no tab is split at blanks instead, since parses
 * pasted into XML by hand sometimes lost theirs.  DEPS and MISC may be
 * missing.  Comments (#) are skipped, a blank line ends a sentence, and
 * multiword-token ranges ("3-4") and empty nodes ("5.1") are left out:
 * the words they stand for follow as lines of their own.  FORM may carry
 * Penn Treebank escapes (-LRB-), which are undone; UPOS may be UD v1's
 * CONJ, read as CCONJ.  HEAD counts
 * from 1 within the sentence and is resolved once the sentence is read.
 */
#include "parse.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* The columns a token line needs: up to DEPREL. */
#define CONLLU_MIN_FIELDS 8
#define CONLLU_FIELDS 10

typedef struct conllu_line {
    const char *f[CONLLU_FIELDS];
    size_t n[CONLLU_FIELDS];
    int count;
} conllu_line;

/* Splits s[0, len) at tabs, or at runs of blanks when there is no tab. */
static void split_line(const char *s, size_t len, conllu_line *l)
{
    int tabs = memchr(s, '\t', len) != NULL;
    size_t i = 0;
    l->count = 0;
    while (i < len && l->count < CONLLU_FIELDS) {
        if (!tabs)
            while (i < len && s[i] == ' ')
                i++;
        if (i >= len)
            break;
        size_t start = i;
        while (i < len && (tabs ? s[i] != '\t' : s[i] != ' '))
            i++;
        l->f[l->count] = s + start;
        l->n[l->count++] = i - start;
        if (i < len)
            i++;
    }
}

/* A whole-field non-negative integer, or -1. */
static long field_int(const char *s, size_t n)
{
    long v = 0;
    if (!n || n > 9)
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

static long field_string(kh_given_parse *g, const char *s, size_t n)
{
    return (n == 1 && s[0] == '_') || !n ? -1 : kh_given_add_string(g, s, n);
}

/* What a sentence's lines say before its heads are resolved. */
typedef struct conllu_sentence {
    size_t base;                    /* its first token in g */
    KH_VEC(long) ids, heads;        /* per token: ID and HEAD as written */
    KH_VEC(long) lines;             /* and the line it is on */
    KH_VEC(char) rels;              /* DEPREL texts, NUL-separated */
    KH_VEC(size_t) rel_at;
} conllu_sentence;

/* nmod on a predicate is UD v2's obl (parse.h). */
static kh_deprel rel_for_head(const char *name, kh_upos head)
{
    kh_deprel r = kh_deprel_parse(name);
    int predicate = head == KH_UPOS_VERB || head == KH_UPOS_AUX || head == KH_UPOS_ADJ ||
                    head == KH_UPOS_ADV;
    if (r == KH_DEP_NMOD && predicate && strncasecmp(name, "nmod:poss", 9) != 0)
        return KH_DEP_OBL;
    return r;
}

/* The index in g of the token with ID `id` in sentence s, or -1. */
static int token_with_id(const conllu_sentence *s, long id)
{
    size_t n = s->ids.count;
    if (id >= 1 && (size_t)id <= n && s->ids.items[id - 1] == id)
        return (int)(s->base + (size_t)id - 1);
    for (size_t i = 0; i < n; i++)      /* IDs out of order */
        if (s->ids.items[i] == id)
            return (int)(s->base + i);
    return -1;
}

static void finish_sentence(kh_given_parse *g, conllu_sentence *s, const char *file,
                            kh_diag *diag)
{
    for (size_t i = 0; i < s->ids.count; i++) {
        kh_given_token *t = &g->tokens.items[s->base + i];
        long h = s->heads.items[i];
        t->head = h > 0 ? token_with_id(s, h) : -1;
        if (h > 0 && t->head < 0) {
            kh_diag_report(diag, KH_WARNING, file, s->lines.items[i],
                           "CoNLL-U token %ld has head %ld, not in its sentence",
                           s->ids.items[i], h);
            g->malformed++;
        }
        kh_upos hu = t->head >= 0 ? g->tokens.items[t->head].upos : KH_UPOS_X;
        t->rel = rel_for_head(s->rels.items + s->rel_at.items[i], hu);
    }
    s->ids.count = s->heads.count = s->lines.count = s->rels.count = s->rel_at.count = 0;
    s->base = g->tokens.count;
}

/* A UPOS column; UD v1's CONJ is v2's CCONJ. */
static kh_upos upos_of(const char *s, size_t n)
{
    char *name = kh_xstrndup(s, n);
    int u = kh_strcaseeq(name, "CONJ") ? (int)KH_UPOS_CCONJ : kh_upos_parse(name);
    free(name);
    return u < 0 ? KH_UPOS_X : (kh_upos)u;
}

static void add_token(kh_given_parse *g, conllu_sentence *s, const conllu_line *l, long id,
                      long line)
{
    kh_given_token *t = KH_VEC_PUSH(&g->tokens);
    t->start = t->end = -1;
    size_t form_len;
    const char *form = kh_given_unescape(l->f[1], l->n[1], &form_len);
    t->form = kh_given_add_string(g, form, form_len);
    t->lemma = field_string(g, l->f[2], l->n[2]);
    t->xpos = field_string(g, l->f[4], l->n[4]);
    t->upos = upos_of(l->f[3], l->n[3]);
    t->head = -1;
    *KH_VEC_PUSH(&s->ids) = id;
    *KH_VEC_PUSH(&s->lines) = line;
    *KH_VEC_PUSH(&s->heads) = field_int(l->f[6], l->n[6]);
    *KH_VEC_PUSH(&s->rel_at) = s->rels.count;
    KH_VEC_RESERVE(&s->rels, s->rels.count + l->n[7] + 1);
    memcpy(s->rels.items + s->rels.count, l->f[7], l->n[7]);
    s->rels.count += l->n[7];
    s->rels.items[s->rels.count++] = 0;
}

/* One line; returns 0 when it is broken (reported). */
static int read_line(kh_given_parse *g, conllu_sentence *s, const char *p, size_t n,
                     const char *file, long line, kh_diag *diag)
{
    conllu_line l;
    split_line(p, n, &l);
    if (l.count < CONLLU_MIN_FIELDS) {
        kh_diag_report(diag, KH_WARNING, file, line,
                       "CoNLL-U line has %d columns, not %d; skipped", l.count, CONLLU_FIELDS);
        return 0;
    }
    if (memchr(l.f[0], '-', l.n[0]) || memchr(l.f[0], '.', l.n[0]))
        return 1;                       /* multiword range, empty node */
    long id = field_int(l.f[0], l.n[0]);
    if (id < 1) {
        kh_diag_report(diag, KH_WARNING, file, line,
                       "CoNLL-U ID '%.*s' is not a number; line skipped",
                       (int)(l.n[0] > 20 ? 20 : l.n[0]), l.f[0]);
        return 0;
    }
    add_token(g, s, &l, id, line);
    return 1;
}

static int blank(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!strchr(" \t\r", p[i]))
            return 0;
    return 1;
}

void kh_given_read_conllu(kh_given_parse *g, const char *text, size_t len, const char *file,
                          long line, kh_diag *diag)
{
    conllu_sentence s = {0};
    s.base = g->tokens.count;
    long at_line = line;      /* stays 0 when the start is unknown */
    for (size_t i = 0; i < len; at_line += line > 0) {
        const char *nl = memchr(text + i, '\n', len - i);
        size_t end = nl ? (size_t)(nl - text) : len, n = end - i;
        const char *p = text + i;
        while (n && *p == ' ')
            p++, n--;                   /* indentation inside the XML */
        if (blank(p, n))
            finish_sentence(g, &s, file, diag);
        else if (p[0] != '#' && !read_line(g, &s, p, n, file, at_line, diag))
            g->malformed++;
        i = end + 1;
    }
    finish_sentence(g, &s, file, diag);
    KH_VEC_FREE(&s.ids);
    KH_VEC_FREE(&s.lines);
    KH_VEC_FREE(&s.heads);
    KH_VEC_FREE(&s.rels);
    KH_VEC_FREE(&s.rel_at);
}
