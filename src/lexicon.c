/* lexicon.c -- see lexicon.h; the table is lexicon_table.c. */
#include "lexicon.h"

#include "short_key.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* No lexicon word is longer: longer text needs no hashing. */
#define KH_LEX_MAX_LEN 16

/* A word's key (short_key.h) with ASCII case folded (b | 32) in every
 * byte.  tools/gen_lexicon.py:lex_key must agree. */
#define KH_LEX_FOLD 0x2020202020202020ull

KH_ALWAYS_INLINE kh_short_key lex_key_of(const unsigned char *s, size_t n)
{
    _Static_assert(KH_LEX_MAX_LEN <= KH_SHORT_KEY_MAX, "a key holds the word");
    kh_short_key k = kh_short_key_of(s, n);
    k.first |= KH_LEX_FOLD;
    k.last |= KH_LEX_FOLD;
    return k;
}

static unsigned lex_slot(kh_short_key k, size_t n)
{
    _Static_assert((KH_LEX_SLOTS & (KH_LEX_SLOTS - 1)) == 0, "a power of two");
    return (unsigned)(kh_short_key_hash(k, n) >> 32) & (KH_LEX_SLOTS - 1);
}

/* text[0..n) is entry e's word, ignoring case.  The keys fold every
 * byte, which is exact for the letters of e (only ASCII letters fold to
 * a letter) but would take a control byte (0x07) for the apostrophe a few
 * words begin with: that one is compared as it is. */
static int is_entry(const kh_lex_entry *e, const unsigned char *s, size_t n, kh_short_key k)
{
    if (e->len != n)
        return 0;
    return kh_short_key_equal(lex_key_of((const unsigned char *)e->word, n), k) &&
           (e->word[0] != '\'' || s[0] == '\'');
}

kh_lex_word kh_lex_find(const char *text, size_t len)
{
    const unsigned char *s = (const unsigned char *)text;
    if (len == 0 || len > KH_LEX_MAX_LEN)
        return KH_LW_NONE;
    kh_short_key k = lex_key_of(s, len);
    for (unsigned slot = lex_slot(k, len); kh_lex_slots[slot];
         slot = (slot + 1) & (KH_LEX_SLOTS - 1))
        if (is_entry(&kh_lex_entries[kh_lex_slots[slot]], s, len, k))
            return (kh_lex_word)kh_lex_slots[slot];
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
    kh_tokens_free(&s->own);
    kh_lex_sentence_init(s);
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
    }
    if (lex) {
        if (s->count)
            memcpy(s->lex, lex, s->count * sizeof *s->lex);
        return;
    }
    for (size_t k = 0; k < s->count; k++)
        s->lex[k] = kh_lex_of_token(&s->tokens[k]);
}

void kh_lex_sentence_tokenize(kh_lex_sentence *s, const char *text, size_t len)
{
    kh_tokenize(&s->own, text ? text : "", text ? len : 0);
    kh_token_view view = {text, text ? len : 0, s->own.items, s->own.count};
    kh_lex_sentence_set(s, &view, NULL);
}
