/*
 * test_examples.c -- the demo in examples/ codes what an analyst would.
 *
 * Each examples/<file> has a hand-checked list of the events its text
 * reports in tests/data/examples/<name>.expected, written from the text
 * before looking at khaldun's output (docs/examples.md explains the
 * format and the choices).  The test runs the real CLI, $BUILD/khaldun,
 * exactly as the README's quick start does (built-in dictionaries,
 * --date 20110328), parses its JSON lines with jansson and asserts:
 *
 *   - every expected event (sent, source, code, target) is produced;
 *   - no event comes from a line of site furniture ("furniture" lines);
 *   - offsets point at the words: the sentence's text at offsets.source
 *     and offsets.target is source_text and target_text, and "@" lines
 *     name the source, verb and target words of one event;
 *   - there are no more events than expected + documented known false
 *     positives ("!" lines) + the file's slack: false positives fail too.
 *
 * Tests run from the repository root (make check), so the binary and the
 * data are found relative to it.  The binary is the one of the build being
 * tested: make check passes BUILD (build, build-asan ...), so `make asan`
 * runs the sanitized CLI; run by hand without BUILD, it is build/khaldun.
 */
#include "testutil.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_BUILD "build"
#define EXAMPLES_DIR "examples/"
#define EXPECTED_DIR "tests/data/examples/"
/* The date the README's quick start codes the examples with; documents
 * that carry their own date (HTML meta, JSON lines) keep theirs. */
#define EXAMPLES_DATE "20110328"

/* One event, as produced or as expected.  Strings are owned. */
typedef struct event {
    char *doc;            /* NULL in expectations that name no document */
    long sent;
    char *source, *code, *target;
    char *source_text, *target_text, *sentence;
    long src_off[2], verb_off[2], tgt_off[2];
    int matched;          /* scratch: claimed by an expectation */
} event;

typedef struct event_list {
    event *items;
    size_t count, cap;
} event_list;

/* An "@" line: the words of one event's source, verb and target. */
typedef struct words_check {
    char *doc;
    long sent;
    char *source, *verb, *target;
} words_check;

typedef struct expectation {
    event_list events;      /* must be produced */
    event_list gaps;        /* "#" lines: should be, known coder gaps */
    event_list known_false; /* "!" lines: produced, wrong, diagnosed */
    words_check *words;
    size_t nwords;
    char **furniture;
    size_t nfurniture;
    long slack;
} expectation;

static char *dup_or_null(const char *s) { return s ? strdup(s) : NULL; }

static event *push_event(event_list *l)
{
    if (l->count == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 16;
        l->items = realloc(l->items, l->cap * sizeof *l->items);
        assert_non_null(l->items);
    }
    event *e = &l->items[l->count++];
    memset(e, 0, sizeof *e);
    return e;
}

static void free_events(event_list *l)
{
    for (size_t i = 0; i < l->count; i++) {
        event *e = &l->items[i];
        free(e->doc); free(e->source); free(e->code); free(e->target);
        free(e->source_text); free(e->target_text); free(e->sentence);
    }
    free(l->items);
}

static void free_expectation(expectation *x)
{
    free_events(&x->events);
    free_events(&x->gaps);
    free_events(&x->known_false);
    for (size_t i = 0; i < x->nwords; i++) {
        free(x->words[i].doc); free(x->words[i].source);
        free(x->words[i].verb); free(x->words[i].target);
    }
    free(x->words);
    for (size_t i = 0; i < x->nfurniture; i++)
        free(x->furniture[i]);
    free(x->furniture);
}

/* "12" or "wire-1:12": the document (optional) and sentence number. */
static void parse_where(const char *field, char **doc, long *sent)
{
    const char *colon = strrchr(field, ':');
    *doc = colon ? strndup(field, (size_t)(colon - field)) : NULL;
    *sent = strtol(colon ? colon + 1 : field, NULL, 10);
}

/* Splits a line at tabs into at most `max` fields; returns the count. */
static int split_tabs(char *line, char **fields, int max)
{
    int n = 0;
    line[strcspn(line, "\r\n")] = 0;
    for (char *p = line; n < max;) {
        fields[n++] = p;
        char *tab = strchr(p, '\t');
        if (!tab)
            break;
        *tab = 0;
        p = tab + 1;
    }
    return n;
}

static void add_event_line(event_list *l, char **f, int n, const char *path)
{
    if (n != 4)
        fail_msg("%s: an event line needs 4 tab-separated fields", path);
    event *e = push_event(l);
    parse_where(f[0], &e->doc, &e->sent);
    e->source = strdup(f[1]);
    e->code = strdup(f[2]);
    e->target = strdup(f[3]);
}

static void parse_expected_line(expectation *x, char *line, const char *path)
{
    char *f[5];
    if (line[0] == '\n' || line[0] == 0 || (line[0] == '#' && (line[1] == ' ' || line[1] == '\n')))
        return;   /* blank line or comment */
    int n = split_tabs(line, f, 5);
    if (line[0] == '#') {
        f[0]++;
        add_event_line(&x->gaps, f, n, path);
    } else if (line[0] == '!') {
        f[0]++;
        add_event_line(&x->known_false, f, n, path);
    } else if (line[0] == '@') {
        assert_int_equal(n, 4);
        x->words = realloc(x->words, (x->nwords + 1) * sizeof *x->words);
        words_check *w = &x->words[x->nwords++];
        parse_where(f[0] + 1, &w->doc, &w->sent);
        w->source = strdup(f[1]);
        w->verb = strdup(f[2]);
        w->target = strdup(f[3]);
    } else if (!strcmp(f[0], "furniture") && n == 2) {
        x->furniture = realloc(x->furniture, (x->nfurniture + 1) * sizeof *x->furniture);
        x->furniture[x->nfurniture++] = strdup(f[1]);
    } else if (!strcmp(f[0], "slack") && n == 2) {
        x->slack = strtol(f[1], NULL, 10);
    } else {
        add_event_line(&x->events, f, n, path);
    }
}

static void read_expected(const char *name, expectation *x)
{
    char path[512];
    snprintf(path, sizeof path, EXPECTED_DIR "%s.expected", name);
    FILE *fp = fopen(path, "r");
    if (!fp)
        fail_msg("cannot open %s (run the tests from the repository root)", path);
    memset(x, 0, sizeof *x);
    x->slack = -1;
    char line[1024];
    while (fgets(line, sizeof line, fp))
        parse_expected_line(x, line, path);
    fclose(fp);
    if (x->slack < 0)
        fail_msg("%s: no \"slack\" line", path);
}

static const char *str_field(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static void span_field(json_t *offsets, const char *key, long out[2])
{
    json_t *v = json_object_get(offsets, key);
    out[0] = out[1] = -1;
    if (json_is_array(v) && json_array_size(v) == 2) {
        out[0] = (long)json_integer_value(json_array_get(v, 0));
        out[1] = (long)json_integer_value(json_array_get(v, 1));
    }
}

static void add_produced(event_list *l, json_t *o)
{
    event *e = push_event(l);
    e->doc = dup_or_null(str_field(o, "doc"));
    e->sent = (long)json_integer_value(json_object_get(o, "sent"));
    e->source = dup_or_null(str_field(o, "source"));
    e->code = dup_or_null(str_field(o, "code"));
    e->target = dup_or_null(str_field(o, "target"));
    e->source_text = dup_or_null(str_field(o, "source_text"));
    e->target_text = dup_or_null(str_field(o, "target_text"));
    e->sentence = dup_or_null(str_field(o, "sentence"));
    json_t *off = json_object_get(o, "offsets");
    span_field(off, "source", e->src_off);
    span_field(off, "verb", e->verb_off);
    span_field(off, "target", e->tgt_off);
}

static const char *build_dir(void)
{
    const char *dir = getenv("BUILD");
    return dir && *dir ? dir : DEFAULT_BUILD;
}

/* Runs the CLI on one example and collects its events. */
static void run_khaldun_with(const char *options, const char *file, event_list *out)
{
    char cmd[1024];
    int n = snprintf(cmd, sizeof cmd, "%s/khaldun code --quiet --date " EXAMPLES_DATE
                     " %s " EXAMPLES_DIR "%s", build_dir(), options, file);
    assert_true(n > 0 && (size_t)n < sizeof cmd);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    memset(out, 0, sizeof *out);
    char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, p) > 0) {
        json_error_t err;
        json_t *o = json_loads(line, 0, &err);
        if (!o)
            fail_msg("%s: output is not JSON: %s", file, err.text);
        add_produced(out, o);
        json_decref(o);
    }
    free(line);
    assert_int_equal(pclose(p), 0);
}

static void run_khaldun(const char *file, event_list *out)
{
    run_khaldun_with("", file, out);
}

static int same_event(const event *want, const event *got)
{
    return want->sent == got->sent && (!want->doc || (got->doc && !strcmp(want->doc, got->doc))) &&
           got->source && !strcmp(want->source, got->source) && got->code &&
           !strcmp(want->code, got->code) && got->target && !strcmp(want->target, got->target);
}

static void print_produced(const event_list *got)
{
    for (size_t i = 0; i < got->count; i++) {
        const event *e = &got->items[i];
        fprintf(stderr, "    produced %s:%ld %s %s %s\n", e->doc, e->sent, e->source,
                e->code, e->target);
    }
}

/* Claims one unclaimed produced event per expectation; returns misses. */
static int claim(const event_list *want, event_list *got, int report)
{
    int missing = 0;
    for (size_t i = 0; i < want->count; i++) {
        size_t k = 0;
        while (k < got->count && (got->items[k].matched || !same_event(&want->items[i], &got->items[k])))
            k++;
        if (k < got->count) {
            got->items[k].matched = 1;
            continue;
        }
        missing++;
        if (report)
            fprintf(stderr, "  missing: %ld %s %s %s\n", want->items[i].sent,
                    want->items[i].source, want->items[i].code, want->items[i].target);
    }
    return missing;
}

/* Does the sentence's text at span equal `text`? */
static int span_is(const char *sentence, const long span[2], const char *text)
{
    if (!text || span[0] < 0)
        return 1;   /* nothing designated: nothing to point at */
    size_t len = strlen(sentence);
    if (span[1] < span[0] || (size_t)span[1] > len)
        return 0;
    return strlen(text) == (size_t)(span[1] - span[0]) &&
           !strncmp(sentence + span[0], text, (size_t)(span[1] - span[0]));
}

static void check_offsets(const event_list *got)
{
    for (size_t i = 0; i < got->count; i++) {
        const event *e = &got->items[i];
        assert_non_null(e->sentence);
        if (!span_is(e->sentence, e->src_off, e->source_text) ||
            !span_is(e->sentence, e->tgt_off, e->target_text))
            fail_msg("sentence %ld: offsets do not point at \"%s\" / \"%s\"", e->sent,
                     e->source_text, e->target_text);
    }
}

static int words_match(const words_check *w, const event *e)
{
    if (e->sent != w->sent || (w->doc && (!e->doc || strcmp(w->doc, e->doc))))
        return 0;
    size_t vlen = strlen(w->verb);
    return e->source_text && !strcmp(e->source_text, w->source) && e->target_text &&
           strstr(e->target_text, w->target) && e->verb_off[0] >= 0 &&
           (size_t)(e->verb_off[1] - e->verb_off[0]) == vlen &&
           !strncmp(e->sentence + e->verb_off[0], w->verb, vlen);
}

static void check_words(const expectation *x, const event_list *got)
{
    for (size_t i = 0; i < x->nwords; i++) {
        size_t k = 0;
        while (k < got->count && !words_match(&x->words[i], &got->items[k]))
            k++;
        if (k == got->count)
            fail_msg("sentence %ld: no event with source \"%s\", verb \"%s\", target \"%s\"",
                     x->words[i].sent, x->words[i].source, x->words[i].verb, x->words[i].target);
    }
}

static void check_furniture(const expectation *x, const event_list *got)
{
    for (size_t i = 0; i < got->count; i++)
        for (size_t f = 0; f < x->nfurniture; f++)
            if (strstr(got->items[i].sentence, x->furniture[f]))
                fail_msg("an event came from site furniture (\"%s\"): %s", x->furniture[f],
                         got->items[i].sentence);
}

static void check_example(const char *file, const char *name)
{
    expectation x;
    event_list got;
    read_expected(name, &x);
    run_khaldun(file, &got);
    int missing = claim(&x.events, &got, 1);
    claim(&x.gaps, &got, 0);          /* a gap closed is not a false positive */
    claim(&x.known_false, &got, 0);
    size_t allowed = x.events.count + x.gaps.count + x.known_false.count + (size_t)x.slack;
    fprintf(stderr, "  %s: %zu events (expected %zu, known gaps %zu, known false %zu, slack %ld)\n",
            file, got.count, x.events.count, x.gaps.count, x.known_false.count, x.slack);
    if (missing || got.count > allowed)
        print_produced(&got);
    assert_int_equal(missing, 0);
    assert_true(got.count <= allowed);
    check_offsets(&got);
    check_words(&x, &got);
    check_furniture(&x, &got);
    free_events(&got);
    free_expectation(&x);
}

#define EXAMPLE_TEST(fn, file, name) \
    static void fn(void **state) { (void)state; check_example(file, name); }

EXAMPLE_TEST(test_nato_libya, "nato-libya.txt", "nato-libya")
EXAMPLE_TEST(test_withdrawal, "withdrawal.txt", "withdrawal")
EXAMPLE_TEST(test_border_warning, "border-warning.txt", "border-warning")
EXAMPLE_TEST(test_astana_talks, "astana-talks.txt", "astana-talks")
EXAMPLE_TEST(test_military_aid, "military-aid.txt", "military-aid")
EXAMPLE_TEST(test_scrape, "scrape.txt", "scrape")
EXAMPLE_TEST(test_embassy_html, "embassy.html", "embassy")
EXAMPLE_TEST(test_wire_jsonl, "wire.jsonl", "wire")
EXAMPLE_TEST(test_statements, "statements.txt", "statements")

/* --lede 1 codes only each document's first sentence (Phoenix and ICEWS
 * code only leads); without it every sentence is coded. */
static void test_lede_option(void **state)
{
    (void)state;
    event_list all, lede;
    run_khaldun("nato-libya.txt", &all);
    run_khaldun_with("--lede 1", "nato-libya.txt", &lede);
    assert_true(all.count > lede.count);
    assert_true(lede.count > 0);
    for (size_t i = 0; i < lede.count; i++)
        assert_int_equal(lede.items[i].sent, 1);
    free_events(&all);
    free_events(&lede);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nato_libya),     cmocka_unit_test(test_withdrawal),
        cmocka_unit_test(test_border_warning), cmocka_unit_test(test_astana_talks),
        cmocka_unit_test(test_military_aid),   cmocka_unit_test(test_scrape),
        cmocka_unit_test(test_embassy_html),   cmocka_unit_test(test_wire_jsonl),
        cmocka_unit_test(test_statements),
        cmocka_unit_test(test_lede_option),
    };
    printf("test_examples: running %s/khaldun\n", build_dir());
    return cmocka_run_group_tests(tests, NULL, NULL);
}
