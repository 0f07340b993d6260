/*
 * language.h -- whether a document is in English, by libexttextcat's
 * n-gram language profiles, so that documents the English dictionaries
 * cannot code are skipped and counted instead of coded into noise.
 *
 * Used by the pipeline (pipeline.c), one kh_language per pipeline: its
 * profiles are loaded on the first document long enough to classify that
 * the quick test of English function words cannot settle, so runs over
 * short texts (headlines, validation records) or plain English news
 * never pay for them.
 */
#ifndef KH_LANGUAGE_H
#define KH_LANGUAGE_H

#include <stddef.h>

typedef struct kh_language kh_language;

kh_language *kh_language_new(void);
void kh_language_free(kh_language *lang);

/* 1 when text[0, len) is recognised as a language other than English; 0
 * when it is English, shorter than KH_LANGUAGE_MIN_BYTES, or not
 * recognised (too close to call, or the profiles cannot be read): such a
 * document is coded.  Only its first KH_LANGUAGE_SAMPLE_BYTES are read.
 * Sets *name to the language's profile name ("de") when 1, else NULL. */
int kh_language_not_english(kh_language *lang, const char *text, size_t len, const char **name);

/* The quick test alone: 1 when English function words make up enough of
 * the sample's first words (KH_LANGUAGE_ENGLISH_PERCENT) for it to be
 * English without the profiles. */
int kh_language_plainly_english(const kh_language *lang, const char *text, size_t len);

/* The same answer from the n-gram profiles alone, without the quick test
 * of English function words that spares most English documents the
 * comparison: for the tests that check the two agree. */
int kh_language_by_ngrams(kh_language *lang, const char *text, size_t len, const char **name);

#endif
