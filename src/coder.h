/*
 * coder.h -- what the pipeline (pipeline.c) asks of a coder beyond the
 * public API: the syntax of the sentence it last tagged, for the parses
 * the pipeline writes (khaldun parse, --format conllu).
 */
#ifndef KH_CODER_H
#define KH_CODER_H

#include "khaldun.h"
#include "tag.h"

/* Tag and chunk every sentence even when the coding rules do not use the
 * syntax (options.syntax off, TABARI), so that a parse can be written. */
void kh_coder_keep_syntax(kh_coder *coder, int on);

/* The parse the input carries for the next sentence (--parse given): its
 * tags are used instead of the tagger's when it has one token per token
 * of the sentence, then it is forgotten.  `parse` must stay valid until
 * the sentence is coded. */
void kh_coder_use_parse(kh_coder *coder, const kh_parse *parse);

/* Tags `text` (dictionary hits, and the syntax when kept) without coding
 * it: khaldun parse. */
void kh_coder_tag(kh_coder *coder, const char *text, size_t len, long date);

/* The sentence the coder last tagged or coded; valid until the next. */
const kh_sentence *kh_coder_last_sentence(const kh_coder *coder);

#endif
