/* tabari_project.c -- see tabari_project.h */
#include "tabari_project.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


static int option_value(const char *line, const char *key, int *value)
{
    const char *p = line;
    size_t kn = strlen(key);
    while ((p = strstr(p, key)) != NULL) {
        int starts = p == line || p[-1] == ' ' || p[-1] == ':';
        const char *q = p + kn;
        while (*q == ' ')
            q++;
        if (starts && *q == '=') {
            *value = atoi(q + 1);
            return 1;
        }
        p += kn;
    }
    return 0;
}

/* "COMPLEX: VERBS[5] CONJ[4] NOACTPRIOR" */
static void apply_complex_option(kh_coder_options *o, const char *line)
{
    const char *p;
    o->complex_verbs = (p = strstr(line, "VERBS[")) ? atoi(p + 6) : 0;
    o->complex_conj = (p = strstr(line, "CONJ[")) ? atoi(p + 5) : 0;
    o->complex_actors = (p = strstr(line, "ACTORS[")) ? atoi(p + 7) : 0;
    o->no_actor_prior = strstr(line, "NOACTPRIOR") != NULL;
}

/* Copies the code after "[" up to "]" (or the end of the line) into out,
 * cut to out's size; leaves out alone when the brackets are empty. */
static void copy_bracketed(const char *open, char *out, size_t cap)
{
    const char *code = open + 1;
    size_t n = strcspn(code, "]");
    if (n == 0)
        return;
    if (n >= cap)
        n = cap - 1;
    memcpy(out, code, n);
    out[n] = 0;
}

/* "DEFAULT: SOURCE [DEFSRC] PRIOR TARGET [DEFTAR] AFTER", "DEFAULT: OFF" */
static void apply_default_option(kh_coder_options *o, const char *line)
{
    o->default_source[0] = o->default_target[0] = 0;
    o->default_source_prior = o->default_target_after = 0;
    if (strstr(line, "OFF"))
        return;
    const char *src = strstr(line, "SOURCE"), *tgt = strstr(line, "TARGET");
    const char *open;
    if (src && (open = strchr(src, '[')) && (!tgt || open < tgt))
        copy_bracketed(open, o->default_source, sizeof o->default_source);
    if (tgt && (open = strchr(tgt, '[')))
        copy_bracketed(open, o->default_target, sizeof o->default_target);
    o->default_source_prior = src && strstr(src, "PRIOR") && (!tgt || strstr(src, "PRIOR") < tgt);
    o->default_target_after = tgt && strstr(tgt, "AFTER");
}

void kh_tabari_option(kh_coder_options *o, const char *line)
{
    if (strstr(line, "COMPLEX:")) {
        apply_complex_option(o, line);
        return;
    }
    if (strstr(line, "DEFAULT:")) {
        apply_default_option(o, line);
        return;
    }
    if (strstr(line, "MINIMUM WORDS")) {
        option_value(line, "WORDS", &o->min_words);
        return;
    }
    if (strstr(line, "COMMA:")) {
        if (strstr(line, "OFF")) {
            o->comma_min = o->comma_end_min = o->comma_begin_min = 1;
            o->comma_max = o->comma_end_max = o->comma_begin_max = 0;
            return;
        }
        option_value(line, "MIN", &o->comma_min);
        option_value(line, "MAX", &o->comma_max);
        option_value(line, "EMIN", &o->comma_end_min);
        option_value(line, "EMAX", &o->comma_end_max);
        option_value(line, "BMIN", &o->comma_begin_min);
        option_value(line, "BMAX", &o->comma_begin_max);
    } else if (strstr(line, "FORWARD:")) {
        o->forward_pronouns = strstr(line, "OFF") == NULL;
    } else if (strstr(line, "CONVERT AGENT")) {
        o->agents_as_actors = strstr(line, "TRUE") ? KH_AGENTS_TABARI : KH_AGENTS_IGNORE;
    } else if (strstr(line, "CODE BY SENTENCE")) {
        o->code_by = KH_CODE_BY_SENTENCE;
    } else if (strstr(line, "CODE BY CLAUSE")) {
        o->code_by = KH_CODE_BY_CLAUSE;
    } else if (strstr(line, "CODE ALL")) {
        o->code_by = KH_CODE_ALL;
    }
}

static void load_options_file(kh_coder_options *o, const char *path, kh_diag *diag)
{
    size_t len;
    char *text = kh_file_read(path, &len);
    if (!text) {
        kh_diag_report(diag, KH_WARNING, path, 0, "cannot read options file");
        return;
    }
    char *save = NULL;
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
        if (line[0] != '/' && line[0] != '#')
            kh_tabari_option(o, line);
    free(text);
}

/* The file named by the first word of `words`, relative to the project's
 * directory unless absolute; NULL if there is no word. */
static char *path_in(const char *dir, const char *words)
{
    const char *name = words + strspn(words, " \t\r\v\f");
    int len = (int)strcspn(name, " \t\r\v\f\n");
    if (len == 0)
        return NULL;
    if (name[0] == '/')
        return kh_xstrndup(name, (size_t)len);
    size_t n = strlen(dir) + (size_t)len + 2;
    char *p = kh_xmalloc(n);
    snprintf(p, n, "%s/%.*s", dir, len, name);
    return p;
}

int kh_tabari_project_load(const char *path, kh_dict *dict, kh_coder_options *options,
                           char **text_file, kh_diag *diag)
{
    static const struct { const char *tag; int kind; } files[] = {
        {"<actorsfile>", KH_DICT_ACTORS}, {"<verbsfile>", KH_DICT_VERBS},
        {"<agentsfile>", KH_DICT_AGENTS}, {"<optionsfile>", -1}, {"<textfile>", -2}};
    size_t len;
    char *project = kh_file_read(path, &len);
    if (text_file)
        *text_file = NULL;
    if (!project) {
        kh_diag_report(diag, KH_ERROR, path, 0, "cannot read project");
        return -1;
    }
    const char *slash = strrchr(path, '/');
    char *dir = slash ? kh_xstrndup(path, (size_t)(slash - path)) : kh_xstrdup(".");
    int rc = 0;
    char *save = NULL;
    for (char *line = strtok_r(project, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
        for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
            size_t n = strlen(files[f].tag);
            char *file;
            if (strncmp(line, files[f].tag, n) != 0 || !(file = path_in(dir, line + n)))
                continue;
            if (files[f].kind >= 0)
                rc |= kh_dict_load(dict, (kh_dict_kind)files[f].kind, file, diag);
            else if (files[f].kind == -1 && options)
                load_options_file(options, file, diag);
            else if (files[f].kind == -2 && text_file) {
                free(*text_file);
                *text_file = file;
                file = NULL;
            }
            free(file);
        }
    free(dir);
    free(project);
    return rc < 0 ? -1 : 0;
}
