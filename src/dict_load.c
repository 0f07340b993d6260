/*
 * dict_load.c -- loading dictionaries by kind (from a file, a buffer, a
 * --dict KIND:FILE spec or the compiled-in defaults) and freezing them.
 *
 * This sits above the readers (dict_verbs.c, dict_actors.c, dict_lists.c)
 * and the index (dict_index.c): it chooses the reader for a kind and builds
 * the index at freeze.  Nothing below calls back up into it.
 */
#include "dict_read.h"
#include "dict_index.h"
#include "default_dicts.h"
#include "kh_limits.h"
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const kind_names[KH_DICT_KIND_COUNT] = {
    "verbs", "actors", "agents", "discards", "issues", "ontology"};

/* The kind named by the n bytes at name (not NUL-terminated: a prefix of
 * "KIND:FILE" or a part of "NAME.KIND.txt"), or -1. */
static int kind_parse_n(const char *name, size_t n)
{
    for (int k = 0; k < KH_DICT_KIND_COUNT; k++)
        if (strlen(kind_names[k]) == n && strncasecmp(name, kind_names[k], n) == 0)
            return k;
    return -1;
}

int kh_dict_kind_parse(const char *name)
{
    return kind_parse_n(name, strlen(name));
}

int kh_dict_load_buffer(kh_dict *dict, kh_dict_kind kind, const char *name,
                        const char *text, size_t len, kh_diag *diag)
{
    if (dict->frozen) {
        kh_diag_report(diag, KH_ERROR, name, 0,
                       "dictionary is frozen; load all files before coding");
        return -1;
    }
    /* One message, not one per "line" of a file that has none. */
    if (kh_looks_binary(text, len)) {
        kh_diag_report(diag, KH_ERROR, name, 0, "not a text file");
        return -1;
    }
    const char *file = kh_dict_intern(dict, name, strlen(name));
    switch (kind) {
    case KH_DICT_VERBS: return kh_dict_read_verbs(dict, file, text, len, diag, NULL);
    case KH_DICT_ACTORS: return kh_dict_read_actors(dict, file, text, len, diag, NULL);
    case KH_DICT_AGENTS: return kh_dict_read_agents(dict, file, text, len, diag, NULL);
    case KH_DICT_DISCARDS: return kh_dict_read_discards(dict, file, text, len, diag, NULL);
    case KH_DICT_ISSUES: return kh_dict_read_issues(dict, file, text, len, diag, NULL);
    case KH_DICT_ONTOLOGY: return kh_dict_read_ontology(dict, file, text, len, diag, NULL);
    default: break;
    }
    kh_diag_report(diag, KH_ERROR, name, 0, "unknown dictionary kind");
    return -1;
}

int kh_dict_load(kh_dict *dict, kh_dict_kind kind, const char *path,
                 kh_diag *diag)
{
    size_t len;
    const char *why;
    char *text = kh_text_file_read(path, KH_MAX_DICT_BYTES, &len, &why);
    if (!text && why && !strcmp(why, "too large"))
        kh_diag_report(diag, KH_ERROR, path, 0, "larger than "
                       KH_LIMIT_TEXT(KH_MAX_DICT_BYTES) " bytes: not a dictionary");
    else if (!text && why)
        kh_diag_report(diag, KH_ERROR, path, 0, "%s", why);
    else if (!text)
        kh_diag_report(diag, KH_ERROR, path, 0, "cannot read: %s", strerror(errno));
    if (!text)
        return -1;
    int rc = kh_dict_load_buffer(dict, kind, path, text, len, diag);
    free(text);
    return rc;
}

int kh_dict_load_spec(kh_dict *dict, const char *spec, kh_diag *diag)
{
    const char *colon = strchr(spec, ':');
    if (!colon) {
        kh_diag_report(diag, KH_ERROR, NULL, 0, "--dict wants KIND:FILE, got '%s'", spec);
        return -1;
    }
    int n = (int)(colon - spec);
    int kind = kind_parse_n(spec, (size_t)n);
    if (kind < 0) {
        kh_diag_report(diag, KH_ERROR, NULL, 0,
                       "unknown dictionary kind '%.*s' (verbs, actors, agents, discards, issues)",
                       n, spec);
        return -1;
    }
    return kh_dict_load(dict, (kh_dict_kind)kind, colon + 1, diag);
}

/* Default dictionary files are named NAME.KIND.txt, e.g.
 * countries.actors.txt; the kind comes from the name. */
static int kind_of_default_file(const char *name)
{
    const char *end = strrchr(name, '.');
    if (!end)
        return -1;
    const char *start = end;
    while (start > name && start[-1] != '.')
        start--;
    if (start == name)
        return -1;
    return kind_parse_n(start, (size_t)(end - start));
}

int kh_dict_load_defaults(kh_dict *dict, kh_diag *diag)
{
    int rc = 0;
    for (size_t i = 0; i < kh_default_file_count; i++) {
        const kh_default_file *f = &kh_default_files[i];
        int kind = kind_of_default_file(f->name);
        if (kind < 0)
            continue;
        size_t n = sizeof "default:" + strlen(f->name);
        char *name = kh_xmalloc(n);
        snprintf(name, n, "default:%s", f->name);
        if (kh_dict_load_buffer(dict, kind, name, f->text, f->len, diag) < 0)
            rc = -1;
        free(name);   /* the dictionary keeps its own copy */
    }
    return rc;
}

void kh_dict_freeze(kh_dict *dict)
{
    if (dict->frozen)
        return;
    dict->index = kh_index_build(dict);
    dict->index_free = kh_index_free;
    dict->frozen = 1;
}
