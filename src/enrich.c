/* enrich.c -- see enrich.h */
#include "enrich.h"
#include "coder.h"
#include "lexicon.h"
#include "quote.h"
#include "util.h"
#include "vec.h"
#include "when.h"
#include "where.h"

#include <stdlib.h>
#include <string.h>

struct kh_enricher {
    kh_gazetteer *own_gazetteer;   /* built here when none was shared */
    kh_lex_sentence sentence;   /* the current sentence's tokens, classified */
    kh_when *when;              /* the current sentence's dates */
    kh_where *where;            /* and its places */
    kh_quote *quotes;
    size_t quote_count;
};

kh_enricher *kh_enricher_new(const kh_gazetteer *shared)
{
    kh_enricher *en = kh_xcalloc(1, sizeof *en);
    if (!shared)
        shared = en->own_gazetteer = kh_gazetteer_new();
    kh_lex_sentence_init(&en->sentence);
    en->when = kh_when_new();
    en->where = kh_where_new(shared);
    return en;
}

void kh_enricher_free(kh_enricher *en)
{
    if (!en)
        return;
    kh_quotes_free(en->quotes, en->quote_count);
    kh_lex_sentence_free(&en->sentence);
    kh_when_free(en->when);
    kh_where_free(en->where);
    kh_gazetteer_free(en->own_gazetteer);
    free(en);
}

void kh_enrich_begin(kh_enricher *en, const kh_doc *doc)
{
    kh_quotes_free(en->quotes, en->quote_count);
    en->quotes = NULL;
    en->quote_count = kh_quotes_find(doc->text, doc->len, &en->quotes);
}

/* The speaker as written, or the name a pronoun speaker refers to. */
static char *speaker_text(const kh_doc *doc, const kh_quote *q)
{
    size_t a = q->ref_end > q->ref_start ? q->ref_start : q->speaker_start;
    size_t b = q->ref_end > q->ref_start ? q->ref_end : q->speaker_end;
    return b > a ? kh_xstrndup(doc->text + a, b - a) : NULL;
}

/* Attaches quotation q to e; the span is the part inside the sentence. */
static void attach_quote(const kh_doc *doc, const kh_quote *q, size_t start, size_t end,
                         kh_event *e)
{
    free(e->quote);
    free(e->speaker);
    e->quote = kh_xstrndup(doc->text + q->start, q->end - q->start);
    e->speaker = speaker_text(doc, q);
    size_t a = q->start > start ? q->start : start, b = q->end < end ? q->end : end;
    e->quote_span.start = b > a ? (long)(a - start) : -1;
    e->quote_span.end = b > a ? (long)(b - start) : -1;
}

/* A quotation that starts in this sentence and has a known speaker is a
 * statement, CAMEO 010 by the speaker, unless coding already found one. */
static void add_statement(kh_coder *coder, const kh_doc *doc, const kh_quote *q,
                          size_t start, size_t end, kh_events *events)
{
    char *speaker = speaker_text(doc, q);
    char *code = speaker ? kh_coder_actor_code(coder, speaker, strlen(speaker), doc->date) : NULL;
    free(speaker);
    if (!code)
        return;
    KH_VEC_RESERVE(events, events->count + 1);
    kh_event *e = &events->items[events->count++];
    memset(e, 0, sizeof *e);
    e->source = code;
    e->target = kh_xstrdup("---");
    e->source_text = kh_xstrdup("");
    e->target_text = kh_xstrdup("");
    strcpy(e->code, "010");
    e->source_span.start = e->source_span.end = -1;
    e->target_span.start = e->target_span.end = -1;
    e->verb_span.start = q->verb_end > q->verb_start && q->verb_start >= start && q->verb_end <= end
                             ? (long)(q->verb_start - start) : -1;
    e->verb_span.end = e->verb_span.start >= 0 ? (long)(q->verb_end - start) : -1;
    e->pattern = "quotation";
    e->dict_file = "quote.c";
    e->mentions = 1;
    attach_quote(doc, q, start, end, e);
}

/* Did coding already find a statement (01x) in the sentence? */
static int has_statement(const kh_events *events, size_t first)
{
    for (size_t i = first; i < events->count; i++)
        if (strncmp(events->items[i].code, "01", 2) == 0)
            return 1;
    return 0;
}

/* The sentence's tokens, each classified once: the coder's when `tokens`
 * is this sentence's, with the lexicon words its tagger found when it
 * ran on them, else (a sentence nobody coded) cut here. */
static const kh_lex_sentence *classify(kh_enricher *en, const kh_coder *coder,
                                       const kh_token_view *tokens,
                                       const char *sentence, size_t len)
{
    if (tokens && tokens->text == sentence && tokens->len == len) {
        const kh_sentence *tagged = coder ? kh_coder_last_sentence(coder) : NULL;
        const kh_lex_word *lex = tagged && tagged->tokens.items == tokens->tokens &&
                                 tagged->lex.count == tokens->count ? tagged->lex.items : NULL;
        kh_lex_sentence_set(&en->sentence, tokens, lex);
    } else
        kh_lex_sentence_tokenize(&en->sentence, sentence, len);
    return &en->sentence;
}

void kh_enrich_sentence(kh_enricher *en, kh_coder *coder, const kh_token_view *tokens,
                        const kh_doc *doc, size_t start, size_t end, kh_events *events,
                        size_t first)
{
    const kh_quote *q = kh_quote_at(en->quotes, en->quote_count, start, end);
    int may_state = q && !has_statement(events, first) && q->start >= start && q->start < end;
    if (first == events->count && !may_state)
        return;                 /* nothing to date or place */
    /* Dates and places are found from the tokens before a statement's
     * speaker is looked up: the coder tags the speaker over them. */
    const kh_lex_sentence *ls = classify(en, coder, tokens, doc->text + start, end - start);
    kh_when_sentence(en->when, ls, doc->date);
    kh_where_sentence(en->where, ls, doc->place);
    if (may_state)
        add_statement(coder, doc, q, start, end, events);
    for (size_t i = first; i < events->count; i++) {
        kh_event *e = &events->items[i];
        kh_when_event(en->when, e);
        kh_where_event(en->where, e);
        if (q && !e->quote)
            attach_quote(doc, q, start, end, e);
    }
}
