/*
 * pipeline.c -- one document through the stages after reading: clean,
 * segment, parse (when asked), code, enrich, hold back (see "The pipeline"
 * in khaldun.h), and last the document's country for its unnamed state
 * actors (resolve.h).
 *
 * The pipeline owns the per-thread state of those stages (a coder and an
 * enricher) and the policy that used to live in the CLI: records are one
 * sentence each, --lede cuts a document short, and negated or
 * hypothetical events are held back unless asked for.  Every caller (the
 * CLI, the tests, the fuzz targets, the Python binding) codes a document
 * the same way by calling kh_pipeline_code.
 */
#include "khaldun.h"
#include "kh_limits.h"
#include "clean.h"
#include "enrich.h"
#include "language.h"
#include "coder.h"
#include "parse.h"
#include "resolve.h"
#include "pipeline.h"
#include "segment.h"
#include "token.h"
#include "util.h"
#include "vec.h"

#include <stdlib.h>
#include <string.h>

struct kh_pipeline {
    kh_pipeline_options options;
    kh_coder *coder;
    kh_enricher *enricher;
    kh_diag default_diag;       /* when options.diag is NULL */
    kh_tokens tokens;           /* the sentence being parsed */
    kh_given_parse given;       /* the document's given parse */
    int has_given;              /* ... if it has one and it is used */
    kh_country_tally tally;     /* the countries the document names */
    kh_sentence_hook hook;      /* pipeline.h: dict gaps looks on */
    void *hook_ctx;
    kh_language *language;      /* unless options.any_language */
};

void kh_pipeline_options_default(kh_pipeline_options *options)
{
    memset(options, 0, sizeof *options);
    kh_coder_options_default(&options->coding);
}

static int wants_parses(const kh_pipeline_options *o)
{
    return o->keep_parses || o->parse_only || o->parse == KH_PARSE_GIVEN;
}

kh_pipeline *kh_pipeline_new(const kh_dict *dict, const kh_pipeline_options *options)
{
    return kh_pipeline_new_sharing(dict, options, NULL);
}

kh_pipeline *kh_pipeline_new_sharing(const kh_dict *dict, const kh_pipeline_options *options,
                                     const kh_gazetteer *gazetteer)
{
    kh_pipeline *p = kh_xcalloc(1, sizeof *p);
    if (options)
        p->options = *options;
    else
        kh_pipeline_options_default(&p->options);
    p->coder = kh_coder_new(dict);
    kh_coder_set_options(p->coder, &p->options.coding);
    kh_coder_keep_syntax(p->coder, wants_parses(&p->options));
    kh_coder_set_explain(p->coder, p->options.explain);
    p->enricher = kh_enricher_new(gazetteer);
    kh_diag_init(&p->default_diag);
    if (!p->options.diag)
        p->options.diag = &p->default_diag;
    kh_tokens_init(&p->tokens);
    if (!p->options.any_language)
        p->language = kh_language_new();
    kh_tally_init(&p->tally);
    return p;
}

void kh_pipeline_set_sentence_hook(kh_pipeline *p, kh_sentence_hook hook, void *ctx)
{
    p->hook = hook;
    p->hook_ctx = ctx;
    kh_coder_keep_syntax(p->coder, hook || wants_parses(&p->options));
}

void kh_pipeline_free(kh_pipeline *p)
{
    if (!p)
        return;
    kh_enricher_free(p->enricher);
    kh_coder_free(p->coder);
    kh_language_free(p->language);
    kh_tokens_free(&p->tokens);
    kh_given_parse_free(&p->given);
    kh_tally_free(&p->tally);
    free(p);
}

/* ---- coded documents ---- */

void kh_coded_doc_init(kh_coded_doc *coded)
{
    memset(coded, 0, sizeof *coded);
}

void kh_coded_doc_clear(kh_coded_doc *coded)
{
    for (size_t i = 0; i < coded->count; i++) {
        kh_events_clear(&coded->items[i].events);
        coded->items[i].parse = NULL;
    }
    coded->count = 0;
    coded->events = coded->held_back = coded->discarded = coded->too_long = 0;
    coded->undated = 0;
    memset(&coded->parse, 0, sizeof coded->parse);
    coded->not_english = NULL;
}

void kh_coded_doc_free(kh_coded_doc *coded)
{
    for (size_t i = 0; i < coded->capacity; i++) {
        kh_events_free(&coded->items[i].events);
        if (coded->items[i].parse_memory)
            kh_parse_free(coded->items[i].parse_memory);
        free(coded->items[i].parse_memory);
    }
    free(coded->items);
    kh_coded_doc_init(coded);
}

/* The next sentence slot, its events list empty.  Slots past the count
 * keep their lists' capacity from the previous document. */
static kh_coded_sentence *next_sentence(kh_coded_doc *coded)
{
    size_t had = coded->capacity;
    KH_VEC_RESERVE(coded, coded->count + 1);
    for (size_t i = had; i < coded->capacity; i++) {
        kh_events_init(&coded->items[i].events);
        coded->items[i].parse = NULL;
        coded->items[i].parse_memory = NULL;
    }
    kh_coded_sentence *s = &coded->items[coded->count++];
    kh_events_clear(&s->events);
    s->discarded = 0;
    s->parse = NULL;
    return s;
}

/* ---- policy ---- */

/* Negated and hypothetical events stay out unless keep_all: "did not
 * attack" and "could impose sanctions" did not happen. */
static long hold_back(kh_events *events)
{
    size_t kept = 0;
    long held = 0;
    for (size_t i = 0; i < events->count; i++) {
        if (events->items[i].flags & (KH_EVENT_NEGATED | KH_EVENT_HYPOTHETICAL)) {
            kh_events one = {&events->items[i], 1, 1};
            kh_events_clear(&one);
            held++;
            continue;
        }
        events->items[kept++] = events->items[i];
    }
    events->count = kept;
    return held;
}

/* TABARI and PETRARCH records are one sentence each, as their coders
 * treat them; articles are split into sentences. */
static size_t sentences_of(const kh_doc *doc, kh_sentence_span **spans)
{
    if (!doc->is_record || !doc->len)
        return kh_segment(doc->text, doc->len, spans);
    *spans = kh_xmalloc(sizeof **spans);
    (*spans)[0].start = 0;
    (*spans)[0].end = doc->len;
    return 1;
}

/* ---- parsing ---- */


static const char *meta_value(const kh_doc *doc, const char *key)
{
    for (size_t i = 0; i < doc->meta_count; i++)
        if (strcmp(doc->meta[i].key, key) == 0)
            return doc->meta[i].value;
    return NULL;
}

/* Reads the document's given parse when --parse given asks for it. */
static void begin_given(kh_pipeline *p, const kh_doc *doc, kh_coded_doc *coded)
{
    kh_given_parse_free(&p->given);
    const char *parse = meta_value(doc, "parse");
    const char *line = meta_value(doc, "parse_line");
    p->has_given = parse && p->options.parse == KH_PARSE_GIVEN && wants_parses(&p->options);
    if (!p->has_given)
        return;
    kh_given_parse_read(&p->given, parse, strlen(parse), doc->text, doc->len, doc->path,
                        line ? atol(line) : 0, p->options.diag);
    coded->parse.unlocated += (long)p->given.unlocated;
    coded->parse.malformed += (long)p->given.malformed;
}

static kh_parse *parse_slot(kh_coded_sentence *s)
{
    if (!s->parse_memory) {
        s->parse_memory = kh_xmalloc(sizeof *s->parse_memory);
        kh_parse_init(s->parse_memory);
    }
    s->parse = s->parse_memory;
    return s->parse_memory;
}

static void count_parse(kh_pipeline *p, const kh_parse *parse, size_t tokens,
                        kh_coded_doc *coded)
{
    kh_parse_stats *st = &coded->parse;
    st->sentences++;
    st->tokens += (long)tokens;
    if (parse->given) {
        st->given_sentences++;
        st->given_tokens += (long)tokens;
        st->aligned += (long)(tokens - parse->unaligned);
    }
}

/* A given parse (--parse given) is read before the sentence is coded:
 * its tags replace the tagger's for the coder. */
static void given_parse(kh_pipeline *p, const kh_doc *doc, kh_coded_sentence *s,
                        kh_coded_doc *coded)
{
    kh_parse *parse = parse_slot(s);
    kh_tokenize(&p->tokens, doc->text + s->start, s->end - s->start);
    kh_parse_from_given(parse, &p->given, &p->tokens, (long)s->start);
    kh_coder_use_parse(p->coder, parse);
    count_parse(p, parse, parse->tokens.count, coded);
    if (p->options.explain)
        kh_parse_explain(p->options.explain, parse, &p->tokens);
}

/* Without one, the parse is the tags and structure the coder built while
 * tagging the sentence: called right after the coder saw it. */
static void tagger_parse(kh_pipeline *p, kh_coded_sentence *s, kh_coded_doc *coded)
{
    kh_parse *parse = parse_slot(s);
    const kh_sentence *tagged = kh_coder_last_sentence(p->coder);
    kh_parse_from_structure(parse, &tagged->tokens, tagged->upos.items, &tagged->chunks);
    count_parse(p, parse, tagged->tokens.count, coded);
    if (p->options.explain)
        kh_parse_explain(p->options.explain, parse, &tagged->tokens);
}

/* ---- coding ---- */

static void code_sentence(kh_pipeline *p, const kh_doc *doc, kh_sentence_span span,
                          kh_coded_doc *coded)
{
    kh_coded_sentence *s = next_sentence(coded);
    s->start = span.start;
    s->end = span.end;
    const char *text = doc->text + span.start;
    size_t len = span.end - span.start;
    int tagger = wants_parses(&p->options) && !p->has_given;
    if (len > KH_MAX_SENTENCE_BYTES) {
        kh_diag_report(p->options.diag, KH_WARNING, doc->path ? doc->path : doc->id, 0,
                       "sentence %zu is %zu bytes, longer than "
                       KH_LIMIT_TEXT(KH_MAX_SENTENCE_BYTES) "; not coded",
                       coded->count, len);
        coded->too_long++;
        return;
    }
    if (p->has_given)
        given_parse(p, doc, s, coded);
    if (p->options.parse_only) {
        kh_coder_tag(p->coder, text, len, doc->date);
        if (tagger)
            tagger_parse(p, s, coded);
        return;
    }
    if (kh_code_sentence(p->coder, text, len, doc->date, &s->events) < 0) {
        s->discarded = 1;
        coded->discarded++;
    }
    if (p->hook)
        p->hook(p->hook_ctx, doc, kh_coder_last_sentence(p->coder), &s->events);
    if (tagger)
        tagger_parse(p, s, coded);   /* before enrich tags speakers */
    kh_tally_sentence(&p->tally, kh_coder_last_sentence(p->coder));
    kh_token_view tokens;
    kh_coder_token_view(p->coder, &tokens);
    kh_enrich_sentence(p->enricher, p->coder, &tokens, doc, span.start, span.end,
                       &s->events, 0);
    if (!p->options.keep_all)
        coded->held_back += hold_back(&s->events);
    coded->events += (long)s->events.count;
}

long kh_pipeline_code(kh_pipeline *p, kh_doc *doc, kh_coded_doc *coded)
{
    kh_coded_doc_clear(coded);
    kh_clean_doc(doc, NULL);
    if (p->language && kh_language_not_english(p->language, doc->text, doc->len,
                                               &coded->not_english))
        return 0;
    coded->undated = doc->date == 0;
    kh_coder_begin_document(p->coder);
    kh_enrich_begin(p->enricher, doc);
    begin_given(p, doc, coded);
    kh_sentence_span *spans = NULL;
    size_t n = sentences_of(doc, &spans);
    if (p->options.lede > 0 && n > (size_t)p->options.lede)
        n = (size_t)p->options.lede;
    kh_tally_reset(&p->tally);
    for (size_t i = 0; i < n; i++)
        code_sentence(p, doc, spans[i], coded);
    free(spans);
    /* A record is one sentence of a peer's suite, coded as its coder
     * would: it has no article to take a country from. */
    if (!doc->is_record)
        kh_resolve_unnamed(&p->tally, coded);
    return coded->events;
}
