/*
 * dict_test.c -- a dictionary author's test file, case by case (khaldun
 * dict test; the format is in khaldun.h, "Testing dictionaries", and
 * docs/dict-test.md).
 *
 * The file is read line by line into cases; each case's text goes through
 * the text reader and a kh_pipeline, as a one-article file would with
 * `khaldun code --date`, so a case codes exactly as the command codes it.
 * Its events are compared with the expected ones as multisets of
 * "SOURCE CODE TARGET" (exact) and of "SOURCE ROOT TARGET" (root level).
 */
#include "khaldun.h"
#include "buf.h"
#include "cameo.h"
#include "util.h"
#include "vec.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

typedef KH_VEC(char *) string_vec;

static void strings_clear(string_vec *v)
{
    for (size_t i = 0; i < v->count; i++)
        free(v->items[i]);
    v->count = 0;
}

/* One case as it is read: its text lines joined, its expectations. */
typedef struct test_case {
    char *name;             /* @id, or NULL: FILE:LINE */
    long first_line;        /* of its text; 0 while it has none */
    kh_buf text;
    string_vec expected;    /* "SOURCE CODE TARGET" */
    int none;               /* "=> none" seen */
    int broken;             /* a line of it was malformed: not run */
} test_case;

typedef struct test_run {
    const char *path;
    long line;              /* being read */
    long date;              /* @date: YYYYMMDD, 0 none */
    char *next_id;          /* @id for the next case */
    test_case c;
    kh_pipeline *pipeline;
    kh_coded_doc coded;
    string_vec produced;
    FILE *out;
    int quiet;
    kh_dict_test_result *result;
    kh_diag *diag;
} test_run;

static void malformed(test_run *r, const char *what)
{
    kh_diag_report(r->diag, KH_ERROR, r->path, r->line, "%s", what);
    r->result->malformed++;
    r->c.broken = 1;
}

/* ---- matching ---- */

double kh_match_precision(const kh_match_counts *c)
{
    return c->produced ? 100.0 * (double)c->matched / (double)c->produced : 100.0;
}

double kh_match_recall(const kh_match_counts *c)
{
    return c->expected ? 100.0 * (double)c->matched / (double)c->expected : 100.0;
}

static int compare_strings(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The size of the multiset intersection of a and b (both sorted here);
 * with `by_root` (keys from root_key) each match counts for its root. */
static long intersection(string_vec *a, string_vec *b, kh_match_counts *by_root)
{
    if (a->count)
        qsort(a->items, a->count, sizeof *a->items, compare_strings);
    if (b->count)
        qsort(b->items, b->count, sizeof *b->items, compare_strings);
    long matched = 0;
    for (size_t i = 0, j = 0; i < a->count && j < b->count;) {
        int d = strcmp(a->items[i], b->items[j]);
        if (d == 0) {
            matched++;
            if (by_root)
                by_root[atoi(a->items[i])].matched++;
            i++, j++;
        } else if (d < 0) {
            i++;
        } else {
            j++;
        }
    }
    return matched;
}

/* "SOURCE CODE TARGET" as a root-level key "NN SOURCE ROOT TARGET",
 * NN the root's number (00 for a code with no CAMEO root, which stands
 * for itself), so that matches can be counted per root. */
static char *root_key(const char *exact, int *root_index)
{
    char *key;
    char root[KH_CAMEO_ROOT_SIZE];
    size_t n1 = strcspn(exact, " ");
    const char *c = exact + n1 + 1;
    size_t n2 = strcspn(c, " ");
    char *code_s = kh_xstrndup(c, n2);
    int ok = kh_cameo_root(code_s, root) == 0;
    *root_index = ok ? atoi(root) : 0;
    if (*root_index > KH_CAMEO_ROOTS)
        *root_index = 0;
    key = kh_xasprintf("%02d %.*s %s %s", *root_index, (int)n1, exact, ok ? root : code_s,
                       c + n2 + 1);
    free(code_s);
    return key;
}

/* Root-level keys of `events`, each counted for its root in `field`
 * (expected or produced) of by_root. */
static void root_keys(const string_vec *events, string_vec *keys, kh_match_counts *by_root,
                      int produced)
{
    for (size_t i = 0; i < events->count; i++) {
        int r;
        *KH_VEC_PUSH(keys) = root_key(events->items[i], &r);
        if (produced)
            by_root[r].produced++;
        else
            by_root[r].expected++;
    }
}

/* Adds one case's comparison to the totals; returns 1 when it passes. */
static int score_case(test_run *r)
{
    kh_dict_test_result *res = r->result;
    string_vec want = {0}, got = {0}, want_root = {0}, got_root = {0};
    for (size_t i = 0; i < r->c.expected.count; i++)
        *KH_VEC_PUSH(&want) = r->c.expected.items[i];
    for (size_t i = 0; i < r->produced.count; i++)
        *KH_VEC_PUSH(&got) = r->produced.items[i];
    long exact = intersection(&want, &got, NULL);
    root_keys(&r->c.expected, &want_root, res->by_root, 0);
    root_keys(&r->produced, &got_root, res->by_root, 1);
    long root = intersection(&want_root, &got_root, res->by_root);
    res->exact.expected += (long)want.count;
    res->exact.produced += (long)got.count;
    res->exact.matched += exact;
    res->root.expected += (long)want.count;
    res->root.produced += (long)got.count;
    res->root.matched += root;
    int pass = (size_t)exact == want.count && want.count == got.count;
    KH_VEC_FREE(&want);         /* borrowed strings */
    KH_VEC_FREE(&got);
    strings_clear(&want_root);
    strings_clear(&got_root);
    KH_VEC_FREE(&want_root);
    KH_VEC_FREE(&got_root);
    return pass;
}

/* ---- coding a case ---- */

static void print_events(FILE *out, const string_vec *v)
{
    if (!v->count)
        fputs("{}", out);
    for (size_t i = 0; i < v->count; i++)
        fprintf(out, "%s{%s}", i ? " " : "", v->items[i]);
}

/* The case's events, as `khaldun code` would write them for a file
 * holding its text. */
static void code_case(test_run *r, const char *name)
{
    kh_read_options ro = {0};
    ro.date = r->date;
    ro.format = KH_FORMAT_TEXT;
    kh_reader *reader = kh_reader_open_buffer(name, r->c.text.data, r->c.text.len, &ro,
                                              r->diag);
    kh_doc doc = {0};
    strings_clear(&r->produced);
    while (kh_reader_next(reader, &doc) == 1) {
        kh_pipeline_code(r->pipeline, &doc, &r->coded);
        for (size_t s = 0; s < r->coded.count; s++) {
            const kh_events *ev = &r->coded.items[s].events;
            for (size_t i = 0; i < ev->count; i++)
                *KH_VEC_PUSH(&r->produced) = kh_xasprintf(
                    "%s %s %s", ev->items[i].source, ev->items[i].code, ev->items[i].target);
        }
        kh_doc_clear(&doc);
    }
    kh_reader_close(reader);
}

static void run_case(test_run *r)
{
    char *name = r->c.name ? kh_xstrdup(r->c.name)
                           : kh_xasprintf("%s:%ld", r->path, r->c.first_line);
    code_case(r, name);
    int pass = score_case(r);
    if (pass)
        r->result->passed++;
    else
        r->result->failed++;
    if (!pass || !r->quiet) {
        fprintf(r->out, "%s %s: expected ", pass ? "PASS" : "FAIL", name);
        print_events(r->out, &r->c.expected);
        fputs(" got ", r->out);
        print_events(r->out, &r->produced);
        fputc('\n', r->out);
    }
    free(name);
}

/* Runs the case read so far, if any, and starts an empty one. */
static void end_case(test_run *r)
{
    test_case *c = &r->c;
    if (c->first_line && !c->expected.count && !c->none && !c->broken) {
        long line = r->line;
        r->line = c->first_line;
        malformed(r, "case has no expectation ('=> SOURCE CODE TARGET' or '=> none')");
        r->line = line;
    } else if (c->first_line && !c->broken) {
        run_case(r);
    }
    free(c->name);
    c->name = NULL;
    c->first_line = 0;
    c->text.len = 0;
    strings_clear(&c->expected);
    c->none = c->broken = 0;
}

/* ---- reading ---- */

static int has_expectations(const test_case *c) { return c->expected.count || c->none; }

static void read_directive(test_run *r, const char *line)
{
    const char *arg = line + strcspn(line, " \t");
    arg += strspn(arg, " \t");
    size_t n = strcspn(line, " \t");
    if (r->c.first_line && !has_expectations(&r->c))
        malformed(r, "directive inside a case's text: end the case (expectations, a "
                     "blank line) first");
    if (has_expectations(&r->c))
        end_case(r);
    if (n == 5 && !strncmp(line, "@date", 5)) {
        long date = kh_date_parse(arg);
        size_t len = strlen(arg);
        if (!date || (len != 8 && len != 10))
            malformed(r, "@date wants YYYYMMDD or YYYY-MM-DD");
        else
            r->date = date;
    } else if (n == 3 && !strncmp(line, "@id", 3)) {
        if (!*arg)
            malformed(r, "@id wants a name");
        free(r->next_id);
        r->next_id = *arg ? kh_xstrdup(arg) : NULL;
    } else {
        malformed(r, "unknown directive (@date, @id)");
    }
}

/* "=> SOURCE CODE TARGET" or "=> none". */
static void read_expectation(test_run *r, const char *line)
{
    char *fields[4] = {0};
    char *copy = kh_xstrdup(line + 2);
    int n = 0;
    for (char *f = strtok(copy, " \t"); f; f = strtok(NULL, " \t"))
        if (n < 4)
            fields[n++] = f;
        else
            n++;
    if (!r->c.first_line)
        malformed(r, "expectation without a case's text before it");
    else if (n == 1 && kh_strcaseeq(fields[0], "none")) {
        if (r->c.expected.count)
            malformed(r, "'=> none' in a case that expects events");
        r->c.none = 1;
    } else if (n != 3)
        malformed(r, "expected '=> SOURCE CODE TARGET' or '=> none'");
    else if (!kh_cameo_lookup(fields[1]))
        malformed(r, "the event code is not a CAMEO code");
    else if (r->c.none)
        malformed(r, "an event in a case that says '=> none'");
    else
        *KH_VEC_PUSH(&r->c.expected) = kh_xasprintf("%s %s %s", fields[0], fields[1], fields[2]);
    free(copy);
}

static void read_text(test_run *r, const char *line)
{
    if (has_expectations(&r->c) || (r->c.broken && !r->c.first_line))
        end_case(r);
    if (!r->c.first_line) {
        r->c.first_line = r->line;
        r->c.name = r->next_id;
        r->next_id = NULL;
    } else {
        kh_buf_add(&r->c.text, " ", 1);
    }
    kh_buf_add(&r->c.text, line, strlen(line));
}

static void read_line(test_run *r, char *line)
{
    size_t n = strlen(line);
    while (n && isspace((unsigned char)line[n - 1]))
        line[--n] = 0;
    line += strspn(line, " \t");
    if (!*line)
        end_case(r);
    else if (*line == '#')
        return;
    else if (*line == '@')
        read_directive(r, line);
    else if (line[0] == '=' && line[1] == '>')
        read_expectation(r, line);
    else
        read_text(r, line);
}

int kh_dict_test(const char *path, const kh_dict *dict, const kh_pipeline_options *options,
                 FILE *out, int quiet, kh_dict_test_result *result, kh_diag *diag)
{
    size_t len;
    char *text = kh_file_read(path, &len);
    if (!text) {
        kh_diag_report(diag, KH_ERROR, path, 0, "cannot read test file");
        return -1;
    }
    test_run r = {.path = path, .out = out, .quiet = quiet, .result = result, .diag = diag};
    r.pipeline = kh_pipeline_new(dict, options);
    kh_coded_doc_init(&r.coded);
    for (char *line = text, *next; line < text + len; line = next) {
        char *nl = memchr(line, '\n', (size_t)(text + len - line));
        next = nl ? nl + 1 : text + len;
        if (nl)
            *nl = 0;
        r.line++;
        read_line(&r, line);
    }
    r.line++;
    end_case(&r);
    kh_pipeline_free(r.pipeline);
    kh_coded_doc_free(&r.coded);
    strings_clear(&r.produced);
    KH_VEC_FREE(&r.produced);
    KH_VEC_FREE(&r.c.expected);
    kh_buf_free(&r.c.text);
    free(r.next_id);
    free(text);
    return 0;
}

/* ---- the summary ---- */

static void print_rate(FILE *out, const char *what, long num, long den, double pct)
{
    fprintf(out, "%s %.1f%% (%ld/%ld)", what, pct, num, den);
}

void kh_dict_test_summary(FILE *out, const kh_dict_test_result *r, int by_root)
{
    fprintf(out, "%ld passed, %ld failed\n", r->passed, r->failed);
    fprintf(out, "events: %ld expected, %ld produced, %ld matched exactly, %ld at root level\n",
            r->exact.expected, r->exact.produced, r->exact.matched, r->root.matched);
    const kh_match_counts *levels[2] = {&r->exact, &r->root};
    for (int i = 0; i < 2; i++) {
        fputs(i ? "root:  " : "exact: ", out);
        print_rate(out, "precision", levels[i]->matched, levels[i]->produced,
                   kh_match_precision(levels[i]));
        print_rate(out, ", recall", levels[i]->matched, levels[i]->expected,
                   kh_match_recall(levels[i]));
        fputc('\n', out);
    }
    if (!by_root)
        return;
    fputs("root\texpected\tproduced\tmatched\tP\tR\n", out);
    for (int k = 1; k <= KH_CAMEO_ROOTS; k++) {
        const kh_match_counts *c = &r->by_root[k];
        fprintf(out, "%02d\t%ld\t%ld\t%ld\t", k, c->expected, c->produced, c->matched);
        if (c->produced)
            fprintf(out, "%.1f\t", kh_match_precision(c));
        else
            fputs("-\t", out);
        if (c->expected)
            fprintf(out, "%.1f\n", kh_match_recall(c));
        else
            fputs("-\n", out);
    }
    if (r->by_root[0].expected || r->by_root[0].produced)
        fprintf(out, "other\t%ld\t%ld\t%ld\t-\t-\n", r->by_root[0].expected,
                r->by_root[0].produced, r->by_root[0].matched);
}
