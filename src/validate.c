/* validate.c -- see validate.h */
#include "validate.h"
#include "petrarch_config.h"
#include "tabari_project.h"
#include "util.h"
#include "vec.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>

/* ---- event sets ---- */

typedef KH_VEC(char *) string_set;

static void set_add(string_set *set, const char *s)
{
    for (size_t i = 0; i < set->count; i++)
        if (strcmp(set->items[i], s) == 0)
            return;
    *KH_VEC_PUSH(set) = kh_xstrdup(s);
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

/* ---- the run ---- */

typedef struct suite_run {
    kh_dict *dict;
    kh_coder *coder;
    kh_coder_options options;
    kh_events events;
    string_set expected, got;
    FILE *out;
    int verbose, explain;
    char story[128];        /* story of the last record, for FORWARD */
    kh_validate_result result;
} suite_run;

/* The story a record belongs to: its id without the sentence number
 * ("FRWD-001-002" -> "FRWD-001"). */
static void story_of(const char *id, char *story, size_t size)
{
    snprintf(story, size, "%s", id);
    char *dash = strrchr(story, '-');
    if (dash)
        *dash = 0;
}

static void code_record(suite_run *run, const char *id, const char *text, long date)
{
    kh_coder_set_options(run->coder, &run->options);
    char story[sizeof run->story];
    story_of(id, story, sizeof story);
    if (!run->options.forward_pronouns || strcmp(story, run->story) != 0)
        kh_coder_begin_document(run->coder);
    snprintf(run->story, sizeof run->story, "%s", story);
    if (run->explain)
        kh_coder_set_explain(run->coder, run->out);
    kh_events_clear(&run->events);
    kh_code_sentence(run->coder, text, strlen(text), date, &run->events);
    set_clear(&run->got);
    for (size_t i = 0; i < run->events.count; i++) {
        const kh_event *e = &run->events.items[i];
        /* Negated events count: the peers have no notion of negation,
         * and their suites expect the event ("didn't clash" codes 223). */
        char key[320], bare[320];
        snprintf(key, sizeof key, "%s/%s/%s", e->source, e->target, e->code);
        size_t n = 0;      /* as the expected keys: without blanks */
        for (const char *p = key; *p && n + 1 < sizeof bare; p++)
            if (*p != ' ')
                bare[n++] = *p;
        bare[n] = 0;
        set_add(&run->got, bare);
    }
    int ok = set_equal(&run->expected, &run->got);
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

static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? kh_xstrndup(path, (size_t)(slash - path)) : kh_xstrdup(".");
}

static void trim(char *s)
{
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
        s[--n] = 0;
    size_t k = 0;
    while (s[k] == ' ' || s[k] == '\t')
        k++;
    memmove(s, s + k, n - k + 1);
}

/* Normalises " ARN / GON / 064 " to "ARN/GON/064". */
static void add_expected_event(suite_run *run, const char *text, size_t len)
{
    char buf[160];
    size_t n = 0;
    for (size_t i = 0; i < len && n + 1 < sizeof buf; i++)
        if (text[i] != ' ' && text[i] != '\t')
            buf[n++] = text[i];
    buf[n] = 0;
    set_add(&run->expected, buf);
}

/* ---- TABARI records ---- */

/* TABARI writes dates as YYMMDD; years before 30 are taken as 20YY. */
static long tabari_date(const char *yymmdd)
{
    long v = atol(yymmdd);
    if (v > 999999)
        return v;             /* already YYYYMMDD */
    long yy = v / 10000;
    return (yy < 30 ? 20000000 : 19000000) + v;
}

/* "950101  DEMO-01", or with SET: YYYY, "20150607 YYYY-01".  Returns the
 * length of the date, or 0. */
static int is_record_header(const char *line)
{
    int n = 0;
    while (line[n] >= '0' && line[n] <= '9')
        n++;
    return (n == 6 || n == 8) && (line[n] == ' ' || line[n] == '\t') ? n : 0;
}

/* Reads the {...} groups of a record's comment: expected events, special
 * codes and options. */
static void read_expectations(suite_run *run, const char *comment)
{
    for (const char *p = strchr(comment, '{'); p; p = strchr(p + 1, '{')) {
        const char *end = strchr(p, '}');
        if (!end)
            end = p + strlen(p);     /* an OPTION group may lack its brace */
        char group[512];
        size_t n = (size_t)(end - p - 1);
        if (n >= sizeof group)
            n = sizeof group - 1;
        memcpy(group, p + 1, n);
        group[n] = 0;
        if (strstr(group, "OPTION:"))
            kh_tabari_option(&run->options, group);
        else if (strchr(group, '/'))
            add_expected_event(run, group, n);
        if (!*end)
            break;
    }
}

typedef struct tabari_record {
    char id[128];
    long date;
    KH_VEC(char) text;
    KH_VEC(char) comment;
} tabari_record;

static void append(void *vec, const char *s)
{
    KH_VEC(char) *v = vec;
    size_t n = strlen(s);
    KH_VEC_RESERVE(v, v->count + n + 2);
    memcpy(v->items + v->count, s, n);
    v->count += n;
    v->items[v->count++] = ' ';
    v->items[v->count] = 0;
}

/* Codes one finished record; returns 1 when it was the final one. */
static int finish_record(suite_run *run, tabari_record *r)
{
    if (!r->id[0])
        return 0;
    set_clear(&run->expected);
    read_expectations(run, r->comment.count ? r->comment.items : "");
    char *text = r->text.count ? r->text.items : "";
    trim(text);
    int has_expectation = r->comment.count && strchr(r->comment.items, '{');
    if (*text && has_expectation)
        code_record(run, r->id, text, r->date);
    int final = strcmp(r->id, "FINAL-01") == 0;
    r->id[0] = 0;
    r->text.count = r->comment.count = 0;
    return final;
}

static void run_tabari_text(suite_run *run, char *text)
{
    tabari_record r = {0};
    int in_comment = 0;
    char *save = NULL;
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (!in_comment && is_record_header(line)) {
            if (finish_record(run, &r))
                break;
            char id[128] = "";
            sscanf(line + is_record_header(line), " %127[^\r\n]", id);
            trim(id);
            snprintf(r.id, sizeof r.id, "%s", id);
            r.date = tabari_date(line);
            continue;
        }
        if (!r.id[0])
            continue;
        char *open = !in_comment ? strstr(line, "/*") : NULL;
        if (open) {
            *open = 0;
            append(&r.text, line);
            line = open + 2;
            in_comment = 1;
        }
        if (in_comment) {
            char *close = strstr(line, "*/");
            if (close)
                *close = 0, in_comment = 0;
            append(&r.comment, line);
        } else if (line[0] != '#') {
            append(&r.text, line);
        }
    }
    finish_record(run, &r);
    KH_VEC_FREE(&r.text);
    KH_VEC_FREE(&r.comment);
}

/* ---- TABARI project ---- */

static int run_tabari_project(suite_run *run, const char *path, kh_diag *diag)
{
    char *text_file = NULL;
    int rc = kh_tabari_project_load(path, run->dict, &run->options, &text_file, diag);
    if (!text_file) {
        kh_diag_report(diag, KH_ERROR, path, 0, "project names no <textfile>");
        return -1;
    }
    kh_dict_freeze(run->dict);
    run->coder = kh_coder_new(run->dict);
    size_t len;
    char *text = kh_read_file(text_file, &len);
    if (!text) {
        kh_diag_report(diag, KH_ERROR, text_file, 0, "cannot read validation text");
        rc = -1;
    } else {
        run_tabari_text(run, text);
    }
    free(text);
    free(text_file);
    return rc;
}

/* ---- PETRARCH validation XML ---- */


static char *xml_attr(xmlNode *n, const char *name)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
    if (!v)
        return NULL;
    char *s = kh_xstrdup((const char *)v);
    xmlFree(v);
    trim(s);
    return s;
}

static int is_element(xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

static void apply_petrarch_config(suite_run *run, xmlNode *n)
{
    char *opt = xml_attr(n, "option"), *val = xml_attr(n, "value");
    if (opt && val)
        kh_petrarch_option(&run->options, opt, val);
    free(opt);
    free(val);
}

static void petrarch_sentence(suite_run *run, xmlNode *sentence)
{
    char *id = xml_attr(sentence, "id"), *date = xml_attr(sentence, "date");
    char *text = NULL;
    set_clear(&run->expected);
    for (xmlNode *c = sentence->children; c; c = c->next) {
        if (is_element(c, "EventCoding")) {
            char *src = xml_attr(c, "sourcecode"), *tgt = xml_attr(c, "targetcode"),
                 *code = xml_attr(c, "eventcode");
            if (src && tgt && code) {
                char key[160];
                snprintf(key, sizeof key, "%s/%s/%s", src, tgt, code);
                add_expected_event(run, key, strlen(key));
            }
            free(src), free(tgt), free(code);
        } else if (is_element(c, "Text")) {
            xmlChar *t = xmlNodeGetContent(c);
            free(text);
            text = kh_xstrdup(t ? (const char *)t : "");
            xmlFree(t);
            for (char *p = text; *p; p++)
                if (*p == '\n' || *p == '\r' || *p == '\t')
                    *p = ' ';
            trim(text);
        }
    }
    if (id && text)
        code_record(run, id, text, date ? atol(date) : 0);
    free(id), free(date), free(text);
}

/* Dictionary names in <Environment> are relative to the suite or to
 * PETRARCH's ../dictionaries folder beside it. */
static void load_petrarch_dict(suite_run *run, const char *dir, xmlNode *n,
                               kh_dict_kind kind, kh_diag *diag)
{
    xmlChar *name = xmlNodeGetContent(n);
    char *trimmed = kh_xstrdup(name ? (const char *)name : "");
    xmlFree(name);
    trim(trimmed);
    char *path = kh_petrarch_dictionary_path(dir, trimmed);
    kh_dict_load(run->dict, kind, path, diag);
    free(path);
    free(trimmed);
}

static void petrarch_environment(suite_run *run, const char *dir, xmlNode *env, kh_diag *diag)
{
    static const struct { const char *tag; kh_dict_kind kind; } files[] = {
        {"Verbfile", KH_DICT_VERBS}, {"Actorfile", KH_DICT_ACTORS},
        {"Agentfile", KH_DICT_AGENTS}, {"Discardfile", KH_DICT_DISCARDS},
        {"Issuefile", KH_DICT_ISSUES}};
    for (xmlNode *c = env->children; c; c = c->next)
        for (size_t f = 0; f < sizeof files / sizeof files[0]; f++)
            if (is_element(c, files[f].tag))
                load_petrarch_dict(run, dir, c, files[f].kind, diag);
}

static void petrarch_walk(suite_run *run, const char *dir, xmlNode *n, kh_diag *diag)
{
    for (; n; n = n->next) {
        if (is_element(n, "Environment")) {
            petrarch_environment(run, dir, n, diag);
            continue;
        }
        if (is_element(n, "Config")) {
            apply_petrarch_config(run, n);
            continue;
        }
        if (is_element(n, "Sentence")) {
            if (!run->coder) {
                kh_dict_freeze(run->dict);
                run->coder = kh_coder_new(run->dict);
            }
            petrarch_sentence(run, n);
            continue;
        }
        if (n->type == XML_ELEMENT_NODE)
            petrarch_walk(run, dir, n->children, diag);
    }
}

static int run_petrarch_xml(suite_run *run, const char *path, kh_diag *diag)
{
    xmlDoc *doc = xmlReadFile(path, NULL, XML_PARSE_RECOVER | XML_PARSE_NONET |
                                              XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (!doc) {
        kh_diag_report(diag, KH_ERROR, path, 0, "cannot parse validation XML");
        return -1;
    }
    char *dir = dir_of(path);
    petrarch_walk(run, dir, xmlDocGetRootElement(doc), diag);
    free(dir);
    xmlFreeDoc(doc);
    return 0;
}

int kh_validate(const char *path, FILE *out, int verbose, int explain,
                kh_validate_result *result, kh_diag *diag)
{
    suite_run run;
    memset(&run, 0, sizeof run);
    run.dict = kh_dict_new();
    run.out = out;
    run.verbose = verbose;
    run.explain = explain;
    kh_coder_options_default(&run.options);
    size_t len;
    char *text = kh_read_file(path, &len);
    int rc = -1;
    if (!text) {
        kh_diag_report(diag, KH_ERROR, path, 0, "cannot read suite");
    } else if (strstr(text, "<Validation") || strstr(text, "<Sentences")) {
        kh_coder_options_default(&run.options);   /* PETRARCH-2's */
        rc = run_petrarch_xml(&run, path, diag);
    } else if (strstr(text, "<textfile>")) {
        kh_coder_options_tabari(&run.options);
        rc = run_tabari_project(&run, path, diag);
    } else {
        kh_diag_report(diag, KH_ERROR, path, 0,
                       "not a TABARI .project or a PETRARCH validation XML");
    }
    free(text);
    set_clear(&run.expected);
    set_clear(&run.got);
    KH_VEC_FREE(&run.expected);
    KH_VEC_FREE(&run.got);
    kh_events_free(&run.events);
    kh_coder_free(run.coder);
    kh_dict_free(run.dict);
    fprintf(out, "%ld passed, %ld failed\n", run.result.passed, run.result.failed);
    if (result)
        *result = run.result;
    return rc;
}
