/*
 * parse_eval.c -- how well one parse of some sentences agrees with
 * another, on khaldun's tokens.
 *
 *     make parse-eval REF=ud.xml [OTHER=penn.xml]
 *     build/tools/parse_eval REFERENCE [OTHER]
 *
 * REFERENCE and OTHER are inputs the readers read whose documents carry
 * given parses (PETRARCH XML with <Parse>).  For every document of
 * REFERENCE the tool reports how many of our tokens its given parse
 * covers (aligned, parse.h).  The parse compared with it is OTHER's given
 * parse of the document with the same text, or, without OTHER, khaldun's
 * own: the tagger's tags (with the default dictionaries' phrase starts as
 * its dictionary features) and the structure chunk.c builds from them.
 * Compared on the tokens both align: UPOS accuracy, and for each
 * reference subject (nsubj, nsubj:pass) and object (obj) of a VERB
 * whether the other parse gives the token the same relation and head.
 *
 * A tool, not a test: it links the library's internal headers.
 */
#include "khaldun.h"
#include "coder.h"
#include "parse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct counts {
    long docs, tokens, aligned;          /* reference coverage */
    long compared, same_upos;            /* tokens aligned in both */
    long args, same_args;                /* verbs' subjects and objects */
} counts;

typedef struct doc_list {
    kh_doc *items;
    size_t count, capacity;
} doc_list;

static const char *meta(const kh_doc *d, const char *key)
{
    for (size_t i = 0; i < d->meta_count; i++)
        if (!strcmp(d->meta[i].key, key))
            return d->meta[i].value;
    return NULL;
}

static void read_all(const char *path, doc_list *out, kh_diag *diag)
{
    kh_reader *r = kh_reader_open(path, NULL, diag);
    kh_doc d = {0};
    while (kh_reader_next(r, &d) == 1) {
        if (out->count == out->capacity) {
            out->capacity = out->capacity ? 2 * out->capacity : 64;
            out->items = realloc(out->items, out->capacity * sizeof *out->items);
        }
        out->items[out->count++] = d;
        memset(&d, 0, sizeof d);
    }
    kh_reader_close(r);
}

/* The parse of d: its given one, else the coder's tags and structure. */
static void parse_of(const kh_doc *d, const kh_tokens *t, kh_parse *p, kh_coder *coder,
                     kh_diag *diag)
{
    const char *given = meta(d, "parse");
    if (!given) {
        kh_coder_tag(coder, d->text, d->len, d->date);
        const kh_sentence *s = kh_coder_last_sentence(coder);
        kh_parse_from_structure(p, &s->tokens, s->upos.items, &s->chunks);
        return;
    }
    kh_given_parse g;
    kh_given_parse_read(&g, given, strlen(given), d->text, d->len, d->path, 0, diag);
    kh_parse_from_given(p, &g, t, 0);
    kh_given_parse_free(&g);
}

static int is_verb_argument(const kh_parse *p, const kh_parse_token *t)
{
    return (t->rel == KH_DEP_NSUBJ || t->rel == KH_DEP_NSUBJ_PASS || t->rel == KH_DEP_OBJ) &&
           t->head >= 0 && p->tokens.items[t->head].upos == KH_UPOS_VERB;
}

static void compare(const kh_parse *ref, const kh_parse *other, counts *c)
{
    for (size_t i = 0; i < ref->tokens.count; i++) {
        const kh_parse_token *a = &ref->tokens.items[i], *b = &other->tokens.items[i];
        c->tokens++;
        c->aligned += (a->flags & KH_PARSE_ALIGNED) != 0;
        if (!(a->flags & KH_PARSE_ALIGNED))
            continue;
        if (is_verb_argument(ref, a)) {
            c->args++;
            c->same_args += b->rel == a->rel && b->head == a->head;
        }
        if (!(b->flags & KH_PARSE_TAGGED))
            continue;
        c->compared++;
        c->same_upos += a->upos == b->upos;
    }
}

static const kh_doc *same_text(const doc_list *l, const kh_doc *d)
{
    for (size_t i = 0; i < l->count; i++)
        if (l->items[i].len == d->len && !memcmp(l->items[i].text, d->text, d->len))
            return &l->items[i];
    return NULL;
}

static double pct(long a, long b) { return b ? 100.0 * (double)a / (double)b : 0.0; }

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 3) {
        fputs("usage: parse_eval REFERENCE [OTHER]\n", stderr);
        return 2;
    }
    kh_diag diag;
    kh_diag_init(&diag);
    diag.quiet = 1;
    doc_list ref = {0}, other = {0};
    read_all(argv[1], &ref, &diag);
    if (argc == 3)
        read_all(argv[2], &other, &diag);
    kh_dict *dict = kh_dict_new();
    kh_dict_load_defaults(dict, &diag);
    kh_dict_freeze(dict);
    kh_coder *coder = kh_coder_new(dict);
    kh_coder_keep_syntax(coder, 1);
    counts c = {0};
    kh_tokens t;
    kh_parse a, b;
    kh_tokens_init(&t);
    kh_parse_init(&a);
    kh_parse_init(&b);
    static const kh_doc no_doc;
    kh_doc no_parse;
    for (size_t i = 0; i < ref.count; i++) {
        const kh_doc *d = &ref.items[i], *o = argc == 3 ? same_text(&other, d) : &no_doc;
        if (!o || !meta(d, "parse"))
            continue;
        c.docs++;
        no_parse = *d;            /* the same text, without its parse */
        no_parse.meta_count = 0;
        kh_tokenize(&t, d->text, d->len);
        parse_of(d, &t, &a, coder, &diag);
        parse_of(o == &no_doc ? &no_parse : o, &t, &b, coder, &diag);
        compare(&a, &b, &c);
    }
    printf("%ld sentences compared (%s vs %s)\n", c.docs, argv[1],
           argc == 3 ? argv[2] : "the tagger");
    printf("reference coverage: %ld of %ld tokens aligned (%.1f%%)\n", c.aligned, c.tokens,
           pct(c.aligned, c.tokens));
    printf("UPOS agreement: %ld of %ld tokens tagged in both (%.1f%%)\n", c.same_upos,
           c.compared, pct(c.same_upos, c.compared));
    printf("verbs' nsubj/nsubj:pass/obj: %ld of %ld with the same relation and head (%.1f%%)\n",
           c.same_args, c.args, pct(c.same_args, c.args));
    kh_coder_free(coder);
    kh_dict_free(dict);
    kh_tokens_free(&t);
    kh_parse_free(&a);
    kh_parse_free(&b);
    for (size_t i = 0; i < ref.count; i++)
        kh_doc_clear(&ref.items[i]);
    for (size_t i = 0; i < other.count; i++)
        kh_doc_clear(&other.items[i]);
    free(ref.items);
    free(other.items);
    return 0;
}
