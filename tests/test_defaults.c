/*
 * test_defaults.c -- the dictionaries compiled into the binary (the files
 * in data/) load without a single diagnostic and are as large as
 * data/README.md promises.  A typo in a data file fails here, at `make
 * check`, rather than silently dropping an entry at run time.
 */
#include "testutil.h"
#include "dict.h"

#include <stdio.h>
#include <string.h>

/* The sizes data/README.md promises; raise them as the files grow. */
enum {
    MIN_ACTORS = 2300,      /* countries, organisations and leaders */
    MIN_AGENTS = 400,
    MIN_PATTERNS = 1500,    /* the brief's floor for the verb lexicon */
    MIN_VERBS = 400,
    MIN_DISCARDS = 80,
    /* Every CAMEO root gets real coverage; root 20, the thinnest, has
     * about 80 (tools/dict_stats.sh prints the table). */
    MIN_PATTERNS_PER_ROOT = 50
};

/* Collects diagnostics so a failing run shows every one of them. */
static void print_sink(void *ctx, kh_severity sev, const char *file, long line,
                       const char *message)
{
    (void)ctx;
    fprintf(stderr, "  %s: %s:%ld: %s\n", sev == KH_ERROR ? "error" : "warning",
            file ? file : "?", line, message);
}

static kh_dict *load_defaults(kh_diag *diag)
{
    kh_diag_init(diag);
    diag->sink = print_sink;
    kh_dict *dict = kh_dict_new();
    assert_int_equal(kh_dict_load_defaults(dict, diag), 0);
    return dict;
}

static void test_defaults_load_cleanly(void **state)
{
    (void)state;
    kh_diag diag;
    kh_dict *dict = load_defaults(&diag);
    assert_int_equal(diag.errors, 0);
    assert_int_equal(diag.warnings, 0);
    kh_dict_freeze(dict);
    kh_dict_free(dict);
}

static void test_defaults_sizes(void **state)
{
    (void)state;
    kh_diag diag;
    kh_dict *dict = load_defaults(&diag);
    kh_dict_stats st;
    kh_dict_get_stats(dict, &st);
    fprintf(stderr, "  defaults: %zu actors, %zu agents, %zu verbs, %zu patterns, "
            "%zu synsets, %zu discards\n", st.actors, st.agents, st.verbs,
            st.patterns, st.synsets, st.discards);
    assert_true(st.actors >= MIN_ACTORS);
    assert_true(st.agents >= MIN_AGENTS);
    assert_true(st.verbs >= MIN_VERBS);
    assert_true(st.patterns >= MIN_PATTERNS);
    assert_true(st.discards >= MIN_DISCARDS);
    kh_dict_free(dict);
}

/* Finds the first actor whose phrase is exactly `words` (blank-separated,
 * upper-case); NULL if none. */
static const kh_actor *find_actor(const kh_dict *dict, const char *words)
{
    for (size_t i = 0; i < dict->actors.count; i++) {
        const kh_phrase *ph = &dict->actors.items[i].phrase;
        char buf[256];
        size_t n = 0;
        for (int w = 0; w < ph->count && n < sizeof buf - 1; w++)
            n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s", w ? " " : "",
                                  ph->words[w]);
        if (strcmp(buf, words) == 0)
            return &dict->actors.items[i];
    }
    return NULL;
}

/* The code an actor has on `date` (0: its undated code). */
static const char *code_on(const kh_actor *a, long date)
{
    for (int i = 0; i < a->codes->count; i++) {
        const kh_dated_code *c = &a->codes->items[i];
        if ((c->from == 0 || date >= c->from) && (c->to == 0 || date <= c->to))
            return c->code;
    }
    return NULL;
}

static void test_defaults_key_actors(void **state)
{
    (void)state;
    kh_diag diag;
    kh_dict *dict = load_defaults(&diag);
    const kh_actor *a;

    assert_non_null(a = find_actor(dict, "AZERBAIJANI"));
    assert_string_equal(code_on(a, 0), "AZE");
    assert_non_null(a = find_actor(dict, "TEHRAN"));
    assert_string_equal(code_on(a, 0), "IRN");
    assert_non_null(a = find_actor(dict, "U.S."));
    assert_string_equal(code_on(a, 0), "USA");
    /* The pronoun "us" must never be the United States. */
    assert_null(find_actor(dict, "US"));
    assert_non_null(a = find_actor(dict, "NATO"));
    assert_string_equal(code_on(a, 0), "IGOWSTNAT");
    assert_non_null(a = find_actor(dict, "DAESH"));
    assert_string_equal(code_on(a, 0), "IMGMOSISI");

    /* Dated roles: Trump in and out of office. */
    assert_non_null(a = find_actor(dict, "TRUMP"));
    assert_string_equal(code_on(a, 20180601), "USAGOV");
    assert_string_equal(code_on(a, 20230601), "USAELI");
    assert_string_equal(code_on(a, 20250601), "USAGOV");
    /* The Taliban before and after taking Kabul. */
    assert_non_null(a = find_actor(dict, "TALIBAN"));
    assert_string_equal(code_on(a, 20150101), "AFGINS");
    assert_string_equal(code_on(a, 20220101), "AFGGOV");
    kh_dict_free(dict);
}

static void test_defaults_cover_every_cameo_root(void **state)
{
    (void)state;
    kh_diag diag;
    kh_dict *dict = load_defaults(&diag);
    int per_root[21] = {0};
    for (size_t i = 0; i < dict->patterns.count; i++) {
        const char *c = dict->patterns.items[i].code.code;
        if (c[0] >= '0' && c[0] <= '2' && c[1] >= '0' && c[1] <= '9') {
            int root = (c[0] - '0') * 10 + (c[1] - '0');
            if (root >= 1 && root <= 20)
                per_root[root]++;
        }
    }
    for (int root = 1; root <= 20; root++) {
        if (per_root[root] < 20)
            fprintf(stderr, "  root %02d has only %d patterns\n", root, per_root[root]);
        assert_true(per_root[root] >= MIN_PATTERNS_PER_ROOT);
    }
    kh_dict_free(dict);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults_load_cleanly),
        cmocka_unit_test(test_defaults_sizes),
        cmocka_unit_test(test_defaults_key_actors),
        cmocka_unit_test(test_defaults_cover_every_cameo_root),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
