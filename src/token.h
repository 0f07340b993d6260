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

#include <stddef.h>

enum {
    KH_TOK_WORD = 1u << 0,      /* letters or digits */
    KH_TOK_CAPITAL = 1u << 1,   /* first letter upper-case in the text */
    KH_TOK_COMMA = 1u << 2,
    KH_TOK_STOP = 1u << 3,      /* . ; : ? ! */
    KH_TOK_QUOTE = 1u << 4,
    KH_TOK_BRACKET = 1u << 5,
    KH_TOK_NUMBER = 1u << 6,
    KH_TOK_JOINED = 1u << 7,    /* joined to the previous token by a hyphen */
    KH_TOK_DASH = 1u << 8       /* a free-standing dash */
};

typedef struct kh_token {
    const char *word;   /* upper-cased, NUL-terminated, in the tokens' buffer */
    long start, end;    /* byte range in the sentence */
    unsigned flags;     /* KH_TOK_* */
    unsigned len;       /* strlen(word): the coder needs it of every word
                           three times, and it fills the struct's padding */
} kh_token;

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
