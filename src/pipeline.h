/*
 * pipeline.h -- what other modules of the library ask of a kh_pipeline
 * beyond the public API: to look at each sentence as the coder saw it.
 *
 * `khaldun dict gaps` (dict_gaps.c) must code exactly as `khaldun code`
 * does and then ask what the dictionaries missed, which needs the tagged
 * sentence (tokens, actor mentions, verb groups) that the public API does
 * not show.  Rather than copy the pipeline's stages, it sets a hook that
 * kh_pipeline_code calls for every sentence it codes.
 *
 * The pool (pool.c) builds one gazetteer for all its workers rather than
 * one per worker's enricher, and hands it to each pipeline it makes.
 */
#ifndef KH_PIPELINE_H
#define KH_PIPELINE_H

#include "khaldun.h"
#include "tag.h"
#include "where.h"

/* Called right after the coder coded a sentence of `doc` (before
 * enrichment adds statements and before negated and hypothetical events
 * are held back): `tagged` is the coder's view of the sentence, with its
 * syntax, and `events` the events its patterns produced, spans relative
 * to the sentence.  Both are valid only during the call. */
typedef void (*kh_sentence_hook)(void *ctx, const kh_doc *doc, const kh_sentence *tagged,
                                 const kh_events *events);

/* Sets (or, with NULL, clears) the hook.  While one is set the coder
 * builds every sentence's syntax, even one without a dictionary verb
 * (which it otherwise skips, as it has nothing to code); that changes
 * no event. */
void kh_pipeline_set_sentence_hook(kh_pipeline *pipeline, kh_sentence_hook hook, void *ctx);

/* kh_pipeline_new, with the places resolved in `gazetteer`, which the
 * caller owns and frees after the pipeline; NULL: the pipeline builds its
 * own. */
kh_pipeline *kh_pipeline_new_sharing(const kh_dict *dict, const kh_pipeline_options *options,
                                     const kh_gazetteer *gazetteer);

#endif
