/*
 * enrich.h -- the enrich stage: when, where and who-said-what for coded
 * events.
 *
 * After a sentence is coded, each of its events gets the date it happened
 * (when.c), the place (where.c, from the gazetteer) and the quotation it
 * reports with its speaker (quote.c).  A quotation whose speaker is a
 * known actor becomes a CAMEO 010 ("make statement") event of its own,
 * unless its sentence already coded a statement, so that statements are
 * counted.
 *
 *     kh_enricher *en = kh_enricher_new(NULL);
 *     for each document:
 *         kh_enrich_begin(en, &doc);
 *         for each sentence [start, end) of doc.text:
 *             n = events.count; kh_code_sentence(coder, ...);
 *             kh_coder_token_view(coder, &tokens);
 *             kh_enrich_sentence(en, coder, &tokens, &doc, start, end, &events, n);
 *     kh_enricher_free(en);
 *
 * An enricher holds the current document's quotations and the place
 * resolver's buffers; use one per thread.  The gazetteer it resolves
 * places with is read-only once built, so one may serve every thread:
 * pass it in (the caller keeps it, and frees it after the enrichers), or
 * pass NULL and the enricher builds and frees its own.
 */
#ifndef KH_ENRICH_H
#define KH_ENRICH_H

#include "khaldun.h"
#include "where.h"

typedef struct kh_enricher kh_enricher;

kh_enricher *kh_enricher_new(const kh_gazetteer *shared);
void kh_enricher_free(kh_enricher *en);

/* Starts a document: finds its quotations. */
void kh_enrich_begin(kh_enricher *en, const kh_doc *doc);

/* Enriches events[first..] of the sentence doc->text[start, end), and may
 * append a statement event for a quotation.  `tokens` is the coder's view
 * of the sentence it just coded (kh_coder_token_view): dates and places
 * are read from those tokens, so the sentence is not cut again.  When it
 * is NULL or another sentence's, the sentence is tokenized here, by the
 * same tokenizer. */
void kh_enrich_sentence(kh_enricher *en, kh_coder *coder, const kh_token_view *tokens,
                        const kh_doc *doc, size_t start, size_t end, kh_events *events,
                        size_t first);

#endif
