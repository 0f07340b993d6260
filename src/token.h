/*
 * token.h -- splitting a sentence into normalised words with offsets.
 *
 * Words are upper-cased (so they compare directly with dictionary words),
 * punctuation becomes tokens of its own, "n't" becomes NOT and a possessive
 * "'s" becomes the token 'S.  Hyphenated words are split into their parts
 * ("al-Qaeda" -> AL QAEDA), the convention TABARI adopted for its
 * dictionaries.  Every token keeps the byte range of the original text it
 * came from, which is how events point back at the words that made them.
 */
#ifndef KH_TOKEN_H
#define KH_TOKEN_H

#include "khaldun.h"   /* kh_token, KH_TOK_* */

#include <stddef.h>

typedef struct kh_tokens {
    kh_token *items;
    size_t count, capacity;
    char *buf;          /* storage for the normalised words */
    size_t buf_len, buf_cap;
} kh_tokens;

void kh_tokens_init(kh_tokens *t);
void kh_tokens_free(kh_tokens *t);
/* Replaces the contents of `t` with the tokens of `text`. */
void kh_tokenize(kh_tokens *t, const char *text, size_t len);

#endif
