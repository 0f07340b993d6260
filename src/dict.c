/*
 * dict.c -- the dictionary object: creation, loading, statistics, and the
 * phrase and code syntax shared by all the readers.
 */
#include "dict.h"
#include "dict_index.h"
#include "default_dicts.h"
#include "util.h"

#include <errno.h>
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
    kh_index_free(dict->index);
    KH_VEC_FREE(&dict->actors);
    KH_VEC_FREE(&dict->agents);
    KH_VEC_FREE(&dict->verbs);
    KH_VEC_FREE(&dict->verbsets);
    KH_VEC_FREE(&dict->patterns);
    KH_VEC_FREE(&dict->synsets);
    KH_VEC_FREE(&dict->discards);
    KH_VEC_FREE(&dict->issues);
    kh_arena_free(&dict->arena);
    free(dict);
}

static const char *const kind_names[KH_DICT_KIND_COUNT] = {
    "verbs", "actors", "agents", "discards", "issues"};

int kh_dict_kind_parse(const char *name)
{
    for (int k = 0; k < KH_DICT_KIND_COUNT; k++)
        if (kh_strcaseeq(name, kind_names[k]))
            return k;
    return -1;
}

int kh_dict_load_buffer(kh_dict *dict, kh_dict_kind kind, const char *name,
                        const char *text, size_t len, kh_diag *diag)
{
    if (dict->frozen) {
        kh_diag_report(diag, KH_ERROR, name, 0,
                       "dictionary is frozen; load all files before coding");
        return -1;
    }
    const char *file = kh_dict_intern(dict, name, strlen(name));
    switch (kind) {
    case KH_DICT_VERBS: return kh_read_verbs(dict, file, text, len, diag);
    case KH_DICT_ACTORS: return kh_read_actors(dict, file, text, len, diag);
    case KH_DICT_AGENTS: return kh_read_agents(dict, file, text, len, diag);
    case KH_DICT_DISCARDS: return kh_read_discards(dict, file, text, len, diag);
    case KH_DICT_ISSUES: return kh_read_issues(dict, file, text, len, diag);
    default: break;
    }
    kh_diag_report(diag, KH_ERROR, name, 0, "unknown dictionary kind");
    return -1;
}

int kh_dict_load(kh_dict *dict, kh_dict_kind kind, const char *path,
                 kh_diag *diag)
{
    size_t len;
    char *text = kh_read_file(path, &len);
    if (!text) {
        kh_diag_report(diag, KH_ERROR, path, 0, "cannot read: %s",
                       strerror(errno));
        return -1;
    }
    int rc = kh_dict_load_buffer(dict, kind, path, text, len, diag);
    free(text);
    return rc;
}

int kh_dict_load_spec(kh_dict *dict, const char *spec, kh_diag *diag)
{
    const char *colon = strchr(spec, ':');
    char kind_name[32];
    if (!colon || (size_t)(colon - spec) >= sizeof kind_name) {
        kh_diag_report(diag, KH_ERROR, NULL, 0, "--dict wants KIND:FILE, got '%s'", spec);
        return -1;
    }
    memcpy(kind_name, spec, (size_t)(colon - spec));
    kind_name[colon - spec] = 0;
    int kind = kh_dict_kind_parse(kind_name);
    if (kind < 0) {
        kh_diag_report(diag, KH_ERROR, NULL, 0,
                       "unknown dictionary kind '%s' (verbs, actors, agents, discards, issues)",
                       kind_name);
        return -1;
    }
    return kh_dict_load(dict, (kh_dict_kind)kind, colon + 1, diag);
}

/* Default dictionary files are named NAME.KIND.txt, e.g.
 * countries.actors.txt; the kind comes from the name. */
static int kind_of_default_file(const char *name)
{
    char kind[32];
    const char *end = strrchr(name, '.');
    if (!end)
        return -1;
    const char *start = end;
    while (start > name && start[-1] != '.')
        start--;
    if (start == name || (size_t)(end - start) >= sizeof kind)
        return -1;
    memcpy(kind, start, end - start);
    kind[end - start] = 0;
    return kh_dict_kind_parse(kind);
}

int kh_dict_load_defaults(kh_dict *dict, kh_diag *diag)
{
    int rc = 0;
    for (size_t i = 0; i < kh_default_file_count; i++) {
        const kh_default_file *f = &kh_default_files[i];
        int kind = kind_of_default_file(f->name);
        if (kind < 0)
            continue;
        char name[256];
        snprintf(name, sizeof name, "default:%s", f->name);
        if (kh_dict_load_buffer(dict, kind, name, f->text, f->len, diag) < 0)
            rc = -1;
    }
    return rc;
}

void kh_dict_freeze(kh_dict *dict)
{
    if (dict->frozen)
        return;
    dict->index = kh_index_build(dict);
    dict->frozen = 1;
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
    int cap = 1;
    for (size_t i = 0; i < len; i++)
        cap += is_word_break(text[i]);
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
                char *w = kh_arena_alloc(&dict->arena, end - start + 1);
                for (size_t k = start; k < end; k++)
                    w[k - start] = upper_ascii(text[k]);
                out->words[out->count] = w;
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
