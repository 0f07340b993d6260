/*
 * validate.c -- see validate.h.  The suites' records are read by the
 * readers (read.h): each is a kh_doc whose meta say what it expects and
 * which options apply from it on.  This file only loads the suite's
 * dictionaries, codes the records and compares the events.
 */
#include "khaldun.h"
#include "coder.h"
#include "parse.h"
#include "petrarch_config.h"
#include "read_petrarch.h"
#include "tabari_project.h"
#include "util.h"
#include "vec.h"

#include <stdlib.h>
#include <string.h>

/* ---- event sets ---- */

typedef KH_VEC(char *) string_set;

/* Adds s, which the set then owns, unless it is there already. */
static void set_take(string_set *set, char *s)
{
    for (size_t i = 0; i < set->count; i++)
        if (strcmp(set->items[i], s) == 0) {
            free(s);
            return;
        }
    *KH_VEC_PUSH(set) = s;
}

static int compare_strings(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void set_clear(string_set *set)
{
    for (size_t i = 0; i < set->count; i++)
        free(set->items[i]);
    set->count = 0;
}

static int set_equal(string_set *a, string_set *b)
{
    if (a->count != b->count)
        return 0;
    if (a->count == 0)
        return 1;
    qsort(a->items, a->count, sizeof *a->items, compare_strings);
    qsort(b->items, b->count, sizeof *b->items, compare_strings);
    for (size_t i = 0; i < a->count; i++)
        if (strcmp(a->items[i], b->items[i]) != 0)
            return 0;
    return 1;
}

static void set_print(FILE *out, const string_set *set)
{
    if (!set->count)
        fputs("{}", out);
    for (size_t i = 0; i < set->count; i++)
        fprintf(out, "%s{%s}", i ? " " : "", set->items[i]);
}

/* ---- events as keys ---- */

/* "SRC/TGT/CODE" without blanks, the way the suites write events. */
static char *event_key(const kh_event *e)
{
    const char *parts[3] = {e->source, e->target, e->code};
    size_t size = 3;
    for (int i = 0; i < 3; i++)
        size += strlen(parts[i]);
    char *key = kh_xmalloc(size), *k = key;
    for (int i = 0; i < 3; i++) {
        if (i)
            *k++ = '/';
        for (const char *p = parts[i]; *p; p++)
            if (*p != ' ')
                *k++ = *p;
    }
    *k = 0;
    return key;
}

/* The reader's "SRC TGT CODE;..." (read.h) as keys "SRC/TGT/CODE". */
static void add_expected(string_set *set, const char *expected)
{
    while (*expected) {
        size_t n = strcspn(expected, ";");
        char *key = kh_xstrndup(expected, n);
        for (char *p = key; *p; p++)
            if (*p == ' ')
                *p = '/';
        if (*key)
            set_take(set, key);
        else
            free(key);
        expected += n + (expected[n] == ';');
    }
}

/* The first value of meta `key`, or NULL. */
static const char *meta_get(const kh_doc *d, const char *key)
{
    for (size_t i = 0; i < d->meta_count; i++)
        if (strcmp(d->meta[i].key, key) == 0)
            return d->meta[i].value;
    return NULL;
}

/* ---- the run ---- */

typedef struct suite_run {
    kh_dict *dict;
    kh_coder *coder;
    kh_coder_options options;
    kh_events events;
    string_set expected, got;
    FILE *out;
    int verbose, explain;
    int given_parses;       /* code with the records' own parses' tags */
    int dialect_known;      /* PETRARCH XML: the suite's dialect is chosen */
    kh_tokens tokens;       /* a record's tokens, for its given parse */
    kh_parse parse;
    char *story;            /* story of the last record, for FORWARD */
    kh_validate_result result;
} suite_run;

/* The story a record belongs to: its id without the sentence number
 * ("FRWD-001-002" -> "FRWD-001").  An id with one dash ("DEMO-29") is a
 * category and a number: a story of its own, so that "It has been noted"
 * takes no actor from the record before. */
static char *story_of(const char *id)
{
    char *story = kh_xstrdup(id);
    char *dash = strrchr(story, '-');
    if (dash && memchr(story, '-', (size_t)(dash - story)))
        *dash = 0;
    return story;
}

/* Starts a new document for the coder unless FORWARD carries pronouns
 * over from the previous record of the same story. */
static void begin_record(suite_run *run, const char *id)
{
    char *story = story_of(id);
    if (!run->options.forward_pronouns || !run->story ||
        strcmp(story, run->story) != 0)
        kh_coder_begin_document(run->coder);
    free(run->story);
    run->story = story;
}

static void report(suite_run *run, const char *id, int ok)
{
    if (ok)
        run->result.passed++;
    else
        run->result.failed++;
    if (!ok || run->verbose) {
        fprintf(run->out, "%s %s: expected ", ok ? "PASS" : "FAIL", id);
        set_print(run->out, &run->expected);
        fputs(" got ", run->out);
        set_print(run->out, &run->got);
        fputc('\n', run->out);
    }
}

/* --parse given: the record's own parse gives the coder its tags. */
static void use_given_parse(suite_run *run, const kh_doc *d)
{
    const char *given = meta_get(d, "parse");
    if (!given)
        return;
    kh_given_parse g;
    kh_given_parse_read(&g, given, strlen(given), d->text, d->len, d->path, 0, NULL);
    kh_tokenize(&run->tokens, d->text, d->len);
    kh_parse_from_given(&run->parse, &g, &run->tokens, 0);
    kh_given_parse_free(&g);
    kh_coder_use_parse(run->coder, &run->parse);
}

/* Codes one record and compares its events with the expected ones. */
static void code_record(suite_run *run, const kh_doc *d)
{
    kh_coder_set_options(run->coder, &run->options);
    begin_record(run, d->id);
    if (run->explain)
        kh_coder_set_explain(run->coder, run->out);
    kh_events_clear(&run->events);
    if (run->given_parses)
        use_given_parse(run, d);
    kh_code_sentence(run->coder, d->text, d->len, d->date, &run->events);
    set_clear(&run->got);
    /* Negated events count: the peers have no notion of negation, and
     * their suites expect the event ("didn't clash" codes 223). */
    for (size_t i = 0; i < run->events.count; i++)
        set_take(&run->got, event_key(&run->events.items[i]));
    const char *expected = meta_get(d, "expected");
    set_clear(&run->expected);
    add_expected(&run->expected, expected ? expected : "");
    report(run, d->id, set_equal(&run->expected, &run->got));
}

static void start_coder(suite_run *run)
{
    kh_dict_freeze(run->dict);
    run->coder = kh_coder_new(run->dict);
}

/* Reads the suite's records with the reader of `format`; `record` is
 * called for each and returns 1 to stop.  Returns -1 if the file cannot
 * be read (the reader reports it). */
static int each_record(suite_run *run, const char *path, kh_read_format format,
                       int (*record)(suite_run *, const kh_doc *), kh_diag *diag)
{
    kh_read_options opts = {0};
    opts.format = format;
    kh_reader *r = kh_reader_open(path, &opts, diag);
    kh_doc d = {0};
    int stop = 0;
    while (!stop && kh_reader_next(r, &d)) {
        stop = record(run, &d);
        kh_doc_clear(&d);
    }
    kh_read_stats stats;
    kh_reader_stats(r, &stats);
    kh_reader_close(r);
    return stats.unreadable ? -1 : 0;
}

/* ---- TABARI projects ---- */

/* A record's {OPTION: ...} commands apply from it on; it is a test only
 * when it states what it expects, and TABARI skips one whose date it
 * cannot read (manual, 6.5.2).  FINAL-01 is the last standard record. */
static int tabari_record(suite_run *run, const kh_doc *d)
{
    for (size_t i = 0; i < d->meta_count; i++)
        if (strcmp(d->meta[i].key, "option") == 0)
            kh_tabari_option(&run->options, d->meta[i].value);
    if (meta_get(d, "expected") && d->date)
        code_record(run, d);
    return strcmp(d->id, "FINAL-01") == 0;
}

static int run_tabari_project(suite_run *run, const char *path, kh_diag *diag)
{
    char *text_file = NULL;
    int rc = kh_tabari_project_load(path, run->dict, &run->options, &text_file, diag);
    if (!text_file) {
        kh_diag_report(diag, KH_ERROR, path, 0, "project names no <textfile>");
        return -1;
    }
    start_coder(run);
    if (each_record(run, text_file, KH_FORMAT_TABARI, tabari_record, diag) < 0)
        rc = -1;
    free(text_file);
    return rc;
}

/* ---- PETRARCH validation XML ---- */

#define CONFIG_PREFIX "config:"

/* A suite whose records carry CoNLL-U parses is UD-PETRARCH's, which
 * codes by its own conventions (kh_coder_options_ud); Penn Treebank
 * parses, or none, are PETRARCH-2's.  The first record decides. */
static void choose_petrarch_dialect(suite_run *run, const kh_doc *d)
{
    const char *parse = meta_get(d, "parse");
    run->dialect_known = 1;
    if (!parse)
        return;
    parse += strspn(parse, " \t\r\n");
    if (*parse && *parse != '(')
        kh_coder_options_ud(&run->options);
}

/* A sentence's <Config> options apply from it on; every sentence is a
 * test. */
static int petrarch_record(suite_run *run, const kh_doc *d)
{
    if (!run->dialect_known)
        choose_petrarch_dialect(run, d);
    size_t k = strlen(CONFIG_PREFIX);
    for (size_t i = 0; i < d->meta_count; i++)
        if (strncmp(d->meta[i].key, CONFIG_PREFIX, k) == 0)
            kh_petrarch_option(&run->options, d->meta[i].key + k, d->meta[i].value);
    code_record(run, d);
    return 0;
}

static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? kh_xstrndup(path, (size_t)(slash - path)) : kh_xstrdup(".");
}

/* Loads the dictionaries the <Environment> names: relative to the suite
 * or to PETRARCH's ../dictionaries folder beside it. */
static void load_environment(suite_run *run, const char *path, const kh_doc *env,
                             kh_diag *diag)
{
    char *dir = dir_of(path);
    for (size_t i = 0; i < env->meta_count; i++) {
        int kind = kh_dict_kind_parse(env->meta[i].key);
        char *file = kh_petrarch_dictionary_path(dir, env->meta[i].value);
        if (kind >= 0)
            kh_dict_load(run->dict, (kh_dict_kind)kind, file, diag);
        free(file);
    }
    free(dir);
}

static int run_petrarch_xml(suite_run *run, const char *path, kh_diag *diag)
{
    kh_doc env = {0};
    if (kh_petrarch_environment(path, &env) < 0) {
        kh_diag_report(diag, KH_ERROR, path, 0, "cannot parse validation XML");
        return -1;
    }
    load_environment(run, path, &env, diag);
    kh_doc_clear(&env);
    start_coder(run);
    return each_record(run, path, KH_FORMAT_PETRARCH, petrarch_record, diag);
}

/* ---- the suite ---- */

/* Which suite a file is, from its content; -1 (reported) when neither. */
static int suite_kind(const char *path, kh_diag *diag)
{
    size_t len;
    char *text = kh_file_read(path, &len);
    int kind = -1;
    if (!text)
        kh_diag_report(diag, KH_ERROR, path, 0, "cannot read suite");
    else if (strstr(text, "<Validation") || strstr(text, "<Sentences"))
        kind = KH_FORMAT_PETRARCH;
    else if (strstr(text, "<textfile>"))
        kind = KH_FORMAT_TABARI;
    else
        kh_diag_report(diag, KH_ERROR, path, 0,
                       "not a TABARI .project or a PETRARCH validation XML");
    free(text);
    return kind;
}

static void run_free(suite_run *run)
{
    set_clear(&run->expected);
    set_clear(&run->got);
    KH_VEC_FREE(&run->expected);
    KH_VEC_FREE(&run->got);
    kh_events_free(&run->events);
    kh_coder_free(run->coder);
    kh_dict_free(run->dict);
    kh_tokens_free(&run->tokens);
    kh_parse_free(&run->parse);
    free(run->story);
}

int kh_validate(const char *path, FILE *out, const kh_validate_options *options,
                kh_validate_result *result, kh_diag *diag)
{
    suite_run run;
    memset(&run, 0, sizeof run);
    run.dict = kh_dict_new();
    run.out = out;
    if (options) {
        run.verbose = options->verbose;
        run.explain = options->explain;
        run.given_parses = options->parse == KH_PARSE_GIVEN;
    }
    int rc = -1, kind = suite_kind(path, diag);
    if (kind == KH_FORMAT_PETRARCH) {
        kh_coder_options_default(&run.options);   /* PETRARCH-2's */
        rc = run_petrarch_xml(&run, path, diag);
    } else if (kind == KH_FORMAT_TABARI) {
        kh_coder_options_tabari(&run.options);
        rc = run_tabari_project(&run, path, diag);
    }
    run_free(&run);
    fprintf(out, "%ld passed, %ld failed\n", run.result.passed, run.result.failed);
    if (result)
        *result = run.result;
    return rc;
}
