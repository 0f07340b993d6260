/* dict_index.c -- see dict_index.h */
#include "dict_index.h"
#include "morph.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

typedef struct keyed_entry {
    const char *key;
    int stem;
    kh_index_entry entry;
} keyed_entry;

typedef KH_VEC(keyed_entry) keyed_vec;

static void add_key(keyed_vec *keys, const char *key, int stem, int kind, int entry)
{
    keyed_entry *k = KH_VEC_PUSH(keys);
    k->key = key;
    k->stem = stem;
    k->entry.kind = (unsigned char)kind;
    k->entry.entry = entry;
}

static void add_phrase_key(keyed_vec *keys, const kh_phrase *p, int kind, int entry)
{
    if (p->count == 0)
        return;
    add_key(keys, p->words[0], (p->flags[0] & (KH_WORD_STEM | KH_WORD_TILDE)) != 0,
            kind, entry);
}

typedef struct forms_ctx {
    kh_dict *dict;
    KH_VEC(const char *) forms;
} forms_ctx;

static void collect_form(void *ctx, const char *form)
{
    forms_ctx *fc = ctx;
    for (size_t i = 0; i < fc->forms.count; i++)
        if (strcmp(fc->forms.items[i], form) == 0)
            return;
    *KH_VEC_PUSH(&fc->forms) = kh_dict_intern(fc->dict, form, strlen(form));
}

/* All forms of a verb's head: generated inflections plus the dictionary's
 * own {FORMS}. */
static kh_form_list verb_forms_of(kh_dict *dict, const kh_verb *v)
{
    forms_ctx fc = {dict, {0}};
    const char *head = v->words.words[v->head];
    collect_form(&fc, head);
    if (!(v->words.flags[v->head] & KH_WORD_NOENDINGS))
        kh_verb_forms(head, collect_form, &fc);
    for (int i = 0; i < v->form_count; i++)
        collect_form(&fc, v->forms[i]);
    /* TABARI accepts its regular endings on any verb, spelling aside
     * ("DEPART_" matches "departes"; manual 5.2.3). */
    if (v->syntax == KH_SYNTAX_TABARI && !(v->words.flags[v->head] & KH_WORD_NOENDINGS)) {
        static const char *const endings[] = {"S", "ES", "ED", "EN", "ING"};
        char buf[128];
        for (size_t e = 0; e < sizeof endings / sizeof endings[0]; e++)
            if (snprintf(buf, sizeof buf, "%s%s", head, endings[e]) < (int)sizeof buf)
                collect_form(&fc, buf);
    }
    kh_form_list out;
    out.count = (int)fc.forms.count;
    out.forms = kh_arena_alloc(&dict->arena, (fc.forms.count + 1) * sizeof *out.forms);
    memcpy(out.forms, fc.forms.items, fc.forms.count * sizeof *out.forms);
    KH_VEC_FREE(&fc.forms);
    return out;
}

static void collect_keys(kh_dict *dict, struct kh_index *ix, keyed_vec *keys)
{
    for (size_t i = 0; i < dict->actors.count; i++)
        add_phrase_key(keys, &dict->actors.items[i].phrase, KH_HIT_ACTOR, (int)i);
    for (size_t i = 0; i < dict->agents.count; i++)
        add_phrase_key(keys, &dict->agents.items[i].phrase, KH_HIT_AGENT, (int)i);
    for (size_t i = 0; i < dict->discards.count; i++)
        add_phrase_key(keys, &dict->discards.items[i].phrase, KH_HIT_DISCARD, (int)i);
    for (size_t i = 0; i < dict->issues.count; i++)
        add_phrase_key(keys, &dict->issues.items[i].phrase, KH_HIT_ISSUE, (int)i);
    ix->verb_forms = kh_xcalloc(dict->verbs.count + 1, sizeof *ix->verb_forms);
    ix->verb_stem = kh_xcalloc(dict->verbs.count + 1, sizeof *ix->verb_stem);
    for (size_t i = 0; i < dict->verbs.count; i++) {
        const kh_verb *v = &dict->verbs.items[i];
        if (v->words.count == 0)
            continue;
        ix->verb_forms[i] = verb_forms_of(dict, v);
        if (v->words.flags[v->head] & (KH_WORD_STEM | KH_WORD_TILDE))
            ix->verb_stem[i] = v->words.words[v->head];
        if (v->head == 0) {
            for (int f = 0; f < ix->verb_forms[i].count; f++)
                add_key(keys, ix->verb_forms[i].forms[f], 0, KH_HIT_VERB, (int)i);
            /* TABARI verb stems ("RESTOR") match any word they begin */
            if (v->words.flags[0] & (KH_WORD_STEM | KH_WORD_TILDE))
                add_key(keys, v->words.words[0], 1, KH_HIT_VERB, (int)i);
        } else {
            add_key(keys, v->words.words[0], 0, KH_HIT_VERB, (int)i);
        }
    }
}

/* Patterns of each block are tried longest first (TABARI manual 5.7.1);
 * ties keep dictionary order. */
typedef struct pattern_key {
    int length, order, pattern;
} pattern_key;

static int compare_pattern_keys(const void *a, const void *b)
{
    const pattern_key *x = a, *y = b;
    if (x->length != y->length)
        return y->length - x->length;
    return x->order - y->order;
}

static void sort_patterns(kh_dict *dict)
{
    for (size_t s = 0; s < dict->verbsets.count; s++) {
        kh_verbset *vs = &dict->verbsets.items[s];
        if (vs->pattern_count < 2)
            continue;
        pattern_key *keys = kh_xmalloc(vs->pattern_count * sizeof *keys);
        for (int i = 0; i < vs->pattern_count; i++) {
            keys[i].pattern = vs->patterns[i];
            keys[i].length = dict->patterns.items[vs->patterns[i]].length;
            keys[i].order = i;
        }
        qsort(keys, vs->pattern_count, sizeof *keys, compare_pattern_keys);
        for (int i = 0; i < vs->pattern_count; i++)
            vs->patterns[i] = keys[i].pattern;
        free(keys);
    }
}

/* Two passes over the keys: count entries per distinct key, then place
 * them, so each key's entries are contiguous. */
static void place_entries(struct kh_index *ix, keyed_vec *keys)
{
    int buckets = 0;
    int *bucket_of = kh_xmalloc((keys->count + 1) * sizeof *bucket_of);
    for (size_t i = 0; i < keys->count; i++) {
        keyed_entry *k = &keys->items[i];
        kh_strmap *map = k->stem ? &ix->stems : &ix->exact;
        int b = kh_strmap_get(map, k->key, strlen(k->key));
        if (b < 0) {
            b = buckets++;
            kh_strmap_put(map, k->key, b);
            if (k->stem && (int)strlen(k->key) > ix->max_stem_len)
                ix->max_stem_len = (int)strlen(k->key);
        }
        bucket_of[i] = b;
    }
    ix->bucket_total = buckets;
    ix->bucket_first = kh_xcalloc(buckets + 1, sizeof *ix->bucket_first);
    ix->bucket_count = kh_xcalloc(buckets + 1, sizeof *ix->bucket_count);
    for (size_t i = 0; i < keys->count; i++)
        ix->bucket_count[bucket_of[i]]++;
    for (int b = 1; b < buckets; b++)
        ix->bucket_first[b] = ix->bucket_first[b - 1] + ix->bucket_count[b - 1];
    int *fill = kh_xcalloc(buckets + 1, sizeof *fill);
    ix->entries = kh_xmalloc((keys->count + 1) * sizeof *ix->entries);
    for (size_t i = 0; i < keys->count; i++) {
        int b = bucket_of[i];
        ix->entries[ix->bucket_first[b] + fill[b]++] = keys->items[i].entry;
    }
    free(fill);
    free(bucket_of);
}

/* ---- dictionary words in the tokenizer's terms ---- */

/* The tokenizer turns "didn't" into DID NOT and "Arnor's" into ARNOR 'S;
 * dictionary words written the old way are split the same way here, once,
 * so that matching compares like with like. */
static int split_word(const char *w, const char **first, const char **second)
{
    size_t n = strlen(w);
    if (strcmp(w, "N'T") == 0) {        /* TreeBank's "did n't" */
        *first = "NOT";
        *second = NULL;
        return 3;
    }
    if (n > 3 && strcmp(w + n - 3, "N'T") == 0) {
        if (strcmp(w, "WON'T") == 0) *first = "WILL";
        else if (strcmp(w, "CAN'T") == 0) *first = "CAN";
        else *first = NULL;
        *second = "NOT";
        return 1;
    }
    if (n > 2 && strcmp(w + n - 2, "'S") == 0) {
        *first = NULL;
        *second = "'S";
        return 2;
    }
    return 0;
}

/* TreeBank splits "can't" and "won't" into CA N'T and WO N'T. */
static void treebank_contractions(kh_elem *el, int count)
{
    for (int i = 0; i + 1 < count; i++) {
        if (el[i].kind != KH_EL_WORD || el[i + 1].kind != KH_EL_WORD ||
            strcmp(el[i + 1].word, "N'T") != 0)
            continue;
        if (strcmp(el[i].word, "CA") == 0)
            el[i].word = "CAN";
        else if (strcmp(el[i].word, "WO") == 0)
            el[i].word = "WILL";
    }
}

static void normalize_elems(kh_dict *dict, kh_elem **elems, int *count)
{
    treebank_contractions(*elems, *count);
    int extra = 0;
    const char *a, *b;
    int changed = 0;
    for (int i = 0; i < *count; i++) {
        int kind = (*elems)[i].kind == KH_EL_WORD ? split_word((*elems)[i].word, &a, &b) : 0;
        extra += kind == 1 || kind == 2;
        changed |= kind != 0;
    }
    if (!changed)
        return;
    kh_elem *out = kh_arena_alloc(&dict->arena, (*count + extra) * sizeof *out);
    int n = 0;
    for (int i = 0; i < *count; i++) {
        kh_elem e = (*elems)[i];
        int kind = e.kind == KH_EL_WORD ? split_word(e.word, &a, &b) : 0;
        if (!kind) {
            out[n++] = e;
            continue;
        }
        if (kind == 3) {
            out[n] = e;
            out[n++].word = a;
            continue;
        }
        size_t wl = strlen(e.word) - (kind == 1 ? 3 : 2);
        out[n] = e;
        out[n].word = a ? a : kh_dict_intern(dict, e.word, wl);
        out[n].flags &= ~(KH_WORD_STEM | KH_WORD_TILDE);
        n++;
        out[n] = e;
        out[n].word = b;
        out[n].flags = (e.flags & ~KH_WORD_NEXT) | KH_WORD_NEXT;
        n++;
    }
    *elems = out;
    *count = n;
}

static void normalize_dictionary_words(kh_dict *dict)
{
    for (size_t i = 0; i < dict->patterns.count; i++)
        normalize_elems(dict, &dict->patterns.items[i].elems, &dict->patterns.items[i].count);
    for (size_t i = 0; i < dict->synsets.count; i++)
        for (int a = 0; a < dict->synsets.items[i].count; a++)
            normalize_elems(dict, &dict->synsets.items[i].alts[a],
                            &dict->synsets.items[i].alt_counts[a]);
}

struct kh_index *kh_index_build(kh_dict *dict)
{
    struct kh_index *ix = kh_xcalloc(1, sizeof *ix);
    kh_strmap_init(&ix->exact);
    kh_strmap_init(&ix->stems);
    normalize_dictionary_words(dict);
    keyed_vec keys = {0};
    collect_keys(dict, ix, &keys);
    place_entries(ix, &keys);
    KH_VEC_FREE(&keys);
    sort_patterns(dict);
    return ix;
}

void kh_index_free(struct kh_index *ix)
{
    if (!ix)
        return;
    kh_strmap_free(&ix->exact);
    kh_strmap_free(&ix->stems);
    free(ix->bucket_first);
    free(ix->bucket_count);
    free(ix->entries);
    free(ix->verb_forms);
    free(ix->verb_stem);
    free(ix);
}

static int visit_bucket(const struct kh_index *ix, int b, int only_single,
                        const kh_dict *dict, kh_index_visit found, void *ctx)
{
    for (int i = 0; i < ix->bucket_count[b]; i++) {
        const kh_index_entry *e = &ix->entries[ix->bucket_first[b] + i];
        if (only_single && e->kind == KH_HIT_VERB)
            continue;
        if (found(ctx, e))
            return 1;
    }
    return 0;
}

/* Longest word whose regular ending is looked at: no dictionary word is
 * near this long, so a longer token cannot be an inflected entry. */
#define KH_MAX_INFLECTED_WORD 64

/* Bases a word may have after removing a regular ending. */
static int regular_bases(const char *w, size_t n, char bases[][KH_MAX_INFLECTED_WORD])
{
    static const struct { const char *end; const char *add; } rules[] = {
        {"IES", "Y"}, {"IED", "Y"}, {"ES", ""}, {"S", ""}, {"ED", ""},
        {"ED", "E"}, {"ING", ""}, {"ING", "E"}, {"EN", ""}, {"EN", "E"}};
    int count = 0;
    for (size_t r = 0; r < sizeof rules / sizeof rules[0]; r++) {
        size_t el = strlen(rules[r].end), al = strlen(rules[r].add);
        if (n <= el + 1 || n - el + al >= KH_MAX_INFLECTED_WORD ||
            memcmp(w + (n - el), rules[r].end, el) != 0)
            continue;
        memcpy(bases[count], w, n - el);
        memcpy(bases[count] + (n - el), rules[r].add, al + 1);
        count++;
    }
    return count;
}

void kh_index_find(const struct kh_index *ix, const char *word,
                   kh_index_visit found, void *ctx)
{
    size_t n = strlen(word);
    int b = kh_strmap_get(&ix->exact, word, n);
    if (b >= 0 && visit_bucket(ix, b, 0, NULL, found, ctx))
        return;
    size_t max = n < (size_t)ix->max_stem_len ? n : (size_t)ix->max_stem_len;
    for (size_t len = max; len >= 2; len--) {
        b = kh_strmap_get(&ix->stems, word, len);
        if (b >= 0 && visit_bucket(ix, b, 0, NULL, found, ctx))
            return;
    }
    char bases[10][KH_MAX_INFLECTED_WORD];
    int nb = regular_bases(word, n, bases);
    for (int i = 0; i < nb; i++) {
        b = kh_strmap_get(&ix->exact, bases[i], strlen(bases[i]));
        if (b >= 0 && visit_bucket(ix, b, 1, NULL, found, ctx))
            return;
    }
}

static int has_regular_ending(const char *dw, size_t dn, const char *word)
{
    static const char *const endings[] = {"S", "ES", "ED", "D", "ING", "EN", "N", NULL};
    size_t wn = strlen(word);
    if (wn <= dn) {
        return 0;
    }
    if (memcmp(word, dw, dn) == 0) {
        for (int i = 0; endings[i]; i++)
            if (strcmp(word + dn, endings[i]) == 0)
                return 1;
    }
    /* CARRY -> CARRIES, CARRIED; MAKE -> MAKING */
    if (dn > 1 && memcmp(word, dw, dn - 1) == 0) {
        const char *rest = word + dn - 1;
        if (dw[dn - 1] == 'Y' && (strcmp(rest, "IES") == 0 || strcmp(rest, "IED") == 0))
            return 1;
        if (dw[dn - 1] == 'E' && strcmp(rest, "ING") == 0)
            return 1;
    }
    return 0;
}

int kh_word_matches(const char *dw, unsigned flags, const char *word, int endings)
{
    if (strcmp(dw, word) == 0)
        return 1;
    size_t dn = strlen(dw);
    if ((flags & (KH_WORD_STEM | KH_WORD_TILDE)) && strncmp(dw, word, dn) == 0)
        return 1;
    if (endings && !(flags & KH_WORD_NOENDINGS))
        return has_regular_ending(dw, dn, word);
    return 0;
}

int kh_index_is_verb_form(const struct kh_index *ix, int v, const char *word)
{
    const kh_form_list *f = &ix->verb_forms[v];
    if (ix->verb_stem && ix->verb_stem[v] && strncmp(word, ix->verb_stem[v], strlen(ix->verb_stem[v])) == 0)
        return 1;
    for (int i = 0; i < f->count; i++)
        if (strcmp(f->forms[i], word) == 0)
            return 1;
    return 0;
}
