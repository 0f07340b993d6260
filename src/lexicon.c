/* lexicon.c -- see lexicon.h; the table is lexicon_table.c. */
#include "lexicon.h"

#include "util.h"

#include <stdlib.h>
#include <string.h>

/* No lexicon word is longer: longer text needs no hashing. */
#define KH_LEX_MAX_LEN 16

/* FNV-1a with ASCII case folded; tools/gen_lexicon.py:fnv1a must agree. */
static unsigned lex_hash(const unsigned char *s, size_t n)
{
    unsigned h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (s[i] | 32u)) * 16777619u;
    return h;
}

/* text[0..n) equals the lower-case word w of length n, ignoring case.
 * (b | 32) only turns ASCII upper case into lower case among the bytes
 * that can equal a letter of w, so this is exact for its letters; other
 * bytes of w (an apostrophe) are compared as they are, since b | 32 would
 * also take a control byte for one. */
static int same_word(const unsigned char *s, const char *w, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned c = (unsigned char)w[i];
        if ((c >= 'a' && c <= 'z' ? s[i] | 32u : s[i]) != c)
            return 0;
    }
    return 1;
}

kh_lex_word kh_lex_find(const char *text, size_t len)
{
    const unsigned char *s = (const unsigned char *)text;
    if (len == 0 || len > KH_LEX_MAX_LEN)
        return KH_LW_NONE;
    for (unsigned slot = lex_hash(s, len) & (KH_LEX_SLOTS - 1); kh_lex_slots[slot];
         slot = (slot + 1) & (KH_LEX_SLOTS - 1)) {
        const kh_lex_entry *e = &kh_lex_entries[kh_lex_slots[slot]];
        if (e->len == len && same_word(s, e->word, len))
            return (kh_lex_word)kh_lex_slots[slot];
    }
    return KH_LW_NONE;
}

kh_lex_word kh_lex_of_word(const kh_token *tok, size_t n)
{
    if ((tok->flags & (KH_TOK_WORD | KH_TOK_NUMBER)) != KH_TOK_WORD)
        return KH_LW_NONE;
    return kh_lex_find(tok->word, n);
}

kh_lex_word kh_lex_of_token(const kh_token *tok)
{
    return kh_lex_of_word(tok, tok->len);
}

void kh_lex_sentence_init(kh_lex_sentence *s)
{
    memset(s, 0, sizeof *s);
    kh_tokens_init(&s->own);
}

void kh_lex_sentence_free(kh_lex_sentence *s)
{
    free(s->lex);
    free(s->plain);
    kh_tokens_free(&s->own);
    kh_lex_sentence_init(s);
}

/* The token's word, of length n, is the text's bytes upper-cased and
 * those are ASCII letters and digits (see kh_lex_plain_token).  A digit
 * has the case bit (0x20) set already, so "r is w or w | 32" asks both. */
static int is_plain(const kh_token *t, size_t n, const char *text)
{
    if (!(t->flags & KH_TOK_WORD) || n == 0 || (size_t)(t->end - t->start) != n)
        return 0;
    const unsigned char *raw = (const unsigned char *)text + t->start;
    const unsigned char *w = (const unsigned char *)t->word;
    for (size_t i = 0; i < n; i++) {
        unsigned c = w[i];
        if ((c - 'A' >= 26u && c - '0' >= 10u) || (raw[i] != c && raw[i] != (c | 32u)))
            return 0;
    }
    return 1;
}

void kh_lex_sentence_set(kh_lex_sentence *s, const kh_token_view *view,
                         const kh_lex_word *lex)
{
    s->text = view->text;
    s->len = view->len;
    s->tokens = view->tokens;
    s->count = view->count;
    if (s->cap < s->count + 1) {
        s->cap = 2 * s->count + 1;
        s->lex = kh_xrealloc(s->lex, s->cap * sizeof *s->lex);
        s->plain = kh_xrealloc(s->plain, s->cap);
    }
    if (lex && s->count)
        memcpy(s->lex, lex, s->count * sizeof *s->lex);
    for (size_t k = 0; k < s->count; k++) {
        const kh_token *t = &s->tokens[k];
        size_t n = t->len;
        if (!lex)
            s->lex[k] = kh_lex_of_word(t, n);
        s->plain[k] = (unsigned char)is_plain(t, n, s->text);
    }
}

void kh_lex_sentence_tokenize(kh_lex_sentence *s, const char *text, size_t len)
{
    kh_tokenize(&s->own, text ? text : "", text ? len : 0);
    kh_token_view view = {text, text ? len : 0, s->own.items, s->own.count};
    kh_lex_sentence_set(s, &view, NULL);
}
