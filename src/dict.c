/*
 * dict.c -- the dictionary object: creation, statistics, and the phrase
 * syntax shared by all the readers.  Loading files by kind and freezing
 * are in dict_load.c, above the readers.
 */
#include "dict.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* ---- the dictionary object ---- */

kh_dict *kh_dict_new(void)
{
    kh_dict *dict = kh_xcalloc(1, sizeof *dict);
    kh_arena_init(&dict->arena);
    return dict;
}

void kh_dict_free(kh_dict *dict)
{
    if (!dict)
        return;
    if (dict->index)
        dict->index_free(dict->index);
    KH_VEC_FREE(&dict->actors);
    KH_VEC_FREE(&dict->agents);
    KH_VEC_FREE(&dict->verbs);
    KH_VEC_FREE(&dict->verbsets);
    KH_VEC_FREE(&dict->patterns);
    KH_VEC_FREE(&dict->synsets);
    KH_VEC_FREE(&dict->discards);
    KH_VEC_FREE(&dict->issues);
    KH_VEC_FREE(&dict->ontology);
    kh_arena_free(&dict->arena);
    free(dict);
}

void kh_dict_get_stats(const kh_dict *dict, kh_dict_stats *s)
{
    memset(s, 0, sizeof *s);
    s->actors = dict->actors.count;
    s->agents = dict->agents.count;
    s->verbs = dict->verbs.count;
    s->patterns = dict->patterns.count;
    s->discards = dict->discards.count;
    s->issues = dict->issues.count;
    s->synsets = dict->synsets.count;
}

/* ---- shared syntax ---- */

const char *kh_dict_intern(kh_dict *dict, const char *s, size_t len)
{
    return kh_arena_strndup(&dict->arena, s, len);
}

int kh_dict_find_synset(const kh_dict *dict, const char *name)
{
    if (*name == '&')
        name++;
    for (size_t i = 0; i < dict->synsets.count; i++)
        if (kh_strcaseeq(dict->synsets.items[i].name, name))
            return (int)i;
    return -1;
}

static int is_word_break(char c) { return c == ' ' || c == '\t' || c == '_' || c == '-'; }

static char upper_ascii(char c) { return (c >= 'a' && c <= 'z') ? c - 32 : c; }

int kh_phrase_parse(kh_dict *dict, const char *text, size_t len, int stems,
                    kh_phrase *out)
{
    /* The words live in one upper-cased copy of the phrase: each ends
     * where its separator or its "=" or "~" mark stood, there overwritten
     * with a NUL -- one allocation per phrase, not one per word. */
    char *copy = kh_arena_alloc(&dict->arena, len + 1);
    int cap = 1;
    for (size_t k = 0; k < len; k++) {
        copy[k] = upper_ascii(text[k]);
        cap += is_word_break(text[k]);
    }
    out->words = kh_arena_alloc(&dict->arena, cap * sizeof *out->words);
    out->flags = kh_arena_alloc(&dict->arena, cap);
    out->count = 0;
    unsigned char next_flag = 0;
    size_t i = 0;
    while (i < len) {
        size_t start = i;
        while (i < len && !is_word_break(text[i]))
            i++;
        size_t end = i;
        if (end > start) {
            unsigned char flags = next_flag;
            if (text[end - 1] == '=') {
                flags |= KH_WORD_NOENDINGS;
                end--;
            } else if (text[end - 1] == '~') {
                flags |= KH_WORD_TILDE | (stems ? KH_WORD_STEM : 0);
                end--;
            } else if (stems && (i >= len || text[i] == ' ' || text[i] == '\t')) {
                flags |= KH_WORD_STEM;
            }
            if (end > start) {
                copy[end] = 0;
                out->words[out->count] = copy + start;
                out->flags[out->count] = flags;
                out->count++;
            }
            next_flag = (flags & KH_WORD_TILDE) ? KH_WORD_NEXT : 0;
        }
        /* Separators: "_" or "-" join the words, unless a blank follows
         * ("ARNOR_ GONDOR": the underscore only stops stemming). */
        int joined = 0, blank = 0;
        while (i < len && is_word_break(text[i])) {
            if (text[i] == '_' || text[i] == '-')
                joined = 1;
            else
                blank = 1;
            i++;
        }
        if (joined && !blank)
            next_flag = KH_WORD_NEXT;
    }
    return out->count > 0 ? 0 : -1;
}
