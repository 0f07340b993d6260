/* petrarch_config.c -- see petrarch_config.h */
#include "petrarch_config.h"
#include "kh_limits.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>
#include <stddef.h>
#include <strings.h>

typedef struct ini_reader {
    const char *path;
    char *dir;
    kh_dict *dict;
    kh_coder_options *options;
    kh_diag *diag;
    int rc;
} ini_reader;

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
        s[--n] = 0;
    return s;
}

static int readable(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f)
        fclose(f);
    return f != NULL;
}

char *kh_petrarch_dictionary_path(const char *dir, const char *name)
{
    if (name[0] == '/')
        return kh_xstrdup(name);
    size_t n = strlen(dir) + strlen(name) + 32;
    char *p = kh_xmalloc(n);
    snprintf(p, n, "%s/%s", dir, name);
    if (!readable(p))
        snprintf(p, n, "%s/../dictionaries/%s", dir, name);
    return p;
}

static void load_list(ini_reader *r, kh_dict_kind kind, char *list)
{
    for (char *save = NULL, *name = strtok_r(list, ",", &save); name;
         name = strtok_r(NULL, ",", &save)) {
        name = trim(name);
        if (!*name)
            continue;
        char *path = kh_petrarch_dictionary_path(r->dir, name);
        if (kh_dict_load(r->dict, kind, path, r->diag) < 0)
            r->rc = -1;
        free(path);
    }
}

static int truth(const char *v) { return !strcasecmp(v, "true") || !strcmp(v, "1"); }

int kh_petrarch_option(kh_coder_options *o, const char *key, const char *value)
{
    static const struct { const char *key; size_t offset; } ints[] = {
        {"new_actor_length", offsetof(kh_coder_options, new_actor_length)},
        {"comma_min", offsetof(kh_coder_options, comma_min)},
        {"comma_max", offsetof(kh_coder_options, comma_max)},
        {"comma_bmin", offsetof(kh_coder_options, comma_begin_min)},
        {"comma_bmax", offsetof(kh_coder_options, comma_begin_max)},
        {"comma_emin", offsetof(kh_coder_options, comma_end_min)},
        {"comma_emax", offsetof(kh_coder_options, comma_end_max)}};
    if (!strcmp(key, "require_dyad")) {
        o->require_dyad = truth(value);
        return 0;
    }
    for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++)
        if (!strcmp(key, ints[i].key)) {
            char *end;
            long v = strtol(value, &end, 10);
            if (*end || v < 0 || v > KH_PETRARCH_MAX_OPTION)
                return -1;
            *(int *)((char *)o + ints[i].offset) = (int)v;
            return 0;
        }
    return 0;
}

static void set_option(ini_reader *r, const char *key, const char *value, long line)
{
    if (kh_petrarch_option(r->options, key, value) < 0)
        kh_diag_report(r->diag, KH_WARNING, r->path, line,
                       "%s wants a number from 0 to %d, got '%s'", key, KH_PETRARCH_MAX_OPTION,
                       value);
}

static void dictionary_entry(ini_reader *r, const char *key, char *value)
{
    static const struct { const char *key; kh_dict_kind kind; } files[] = {
        {"verbfile_name", KH_DICT_VERBS}, {"actorfile_list", KH_DICT_ACTORS},
        {"actorfile_name", KH_DICT_ACTORS}, {"agentfile_name", KH_DICT_AGENTS},
        {"discardfile_name", KH_DICT_DISCARDS}, {"issuefile_name", KH_DICT_ISSUES}};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
        if (!strcmp(key, files[i].key))
            load_list(r, files[i].kind, value);
}

/* Reads one line of the file; *section is the name of the section it is
 * in, pointing into the file's text (which lives as long as the load). */
static void read_line(ini_reader *r, char *text, const char **section, long line)
{
    char *s = trim(text);
    if (!*s || *s == '#' || *s == ';')
        return;
    if (*s == '[') {
        char *close = strchr(s, ']');
        if (!close) {
            kh_diag_report(r->diag, KH_ERROR, r->path, line, "section without ']'");
            return;
        }
        *close = 0;
        *section = s + 1;
        return;
    }
    char *eq = strchr(s, '=');
    if (!eq) {
        kh_diag_report(r->diag, KH_ERROR, r->path, line, "expected KEY = VALUE");
        return;
    }
    *eq = 0;
    char *key = trim(s), *value = trim(eq + 1);
    if (!strcasecmp(*section, "Dictionaries"))
        dictionary_entry(r, key, value);
    else if (!strcasecmp(*section, "Options"))
        set_option(r, key, value, line);
}

int kh_petrarch_config_load(const char *path, kh_dict *dict, kh_coder_options *options,
                            kh_diag *diag)
{
    size_t len;
    char *text = kh_file_read(path, &len);
    if (!text) {
        kh_diag_report(diag, KH_ERROR, path, 0, "cannot read PETRARCH configuration");
        return -1;
    }
    const char *slash = strrchr(path, '/');
    ini_reader r = {path, slash ? kh_xstrndup(path, (size_t)(slash - path)) : kh_xstrdup("."),
                    dict, options, diag, 0};
    const char *section = "";
    long line = 0;
    for (char *l = text; l && *l;) {
        char *nl = strchr(l, '\n');
        if (nl)
            *nl = 0;
        read_line(&r, l, &section, ++line);
        l = nl ? nl + 1 : NULL;
    }
    free(r.dir);
    free(text);
    return r.rc;
}
