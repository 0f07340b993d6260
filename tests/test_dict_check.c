/* test_dict_check.c -- kh_dict_check's rules, one inline dictionary each,
 * and the exit status of `khaldun dict check`. */
#include "testutil.h"
#include "dict.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>

/* Every report as "FILE:LINE: message\n", in order. */
typedef struct log {
    char *text;
} log;

static void log_sink(void *ctx, kh_severity sev, const char *file, long line,
                     const char *message)
{
    log *l = ctx;
    char *next = kh_xasprintf("%s%s%s:%ld: %s\n", l->text ? l->text : "",
                              sev == KH_WARNING ? "warning: " : "", file ? file : "-", line,
                              message);
    free(l->text);
    l->text = next;
}

static void log_diag(kh_diag *d, log *l)
{
    kh_diag_init(d);
    l->text = NULL;
    d->sink = log_sink;
    d->ctx = l;
}

/* Loads the inline files (NULL: none), which must load without an error,
 * and checks them; the check's reports are in *l. */
static long check(const char *actors, const char *agents, const char *verbs, log *l,
                  kh_dict_check_stats *st)
{
    kh_diag d;
    log_diag(&d, l);
    kh_dict *dict = kh_dict_new();
    if (actors) kh_dict_load_buffer(dict, KH_DICT_ACTORS, "t.actors", actors, strlen(actors), &d);
    if (agents) kh_dict_load_buffer(dict, KH_DICT_AGENTS, "t.agents", agents, strlen(agents), &d);
    if (verbs) kh_dict_load_buffer(dict, KH_DICT_VERBS, "t.verbs", verbs, strlen(verbs), &d);
    assert_int_equal(d.errors, 0);
    long n = kh_dict_check(dict, &d, st);
    /* frozen (patterns sorted, words normalised), the same verdict */
    kh_dict_freeze(dict);
    log again;
    kh_diag d2;
    log_diag(&d2, &again);
    assert_int_equal(kh_dict_check(dict, &d2, NULL), n);
    if (n)
        assert_string_equal(again.text, l->text);
    free(again.text);
    kh_dict_free(dict);
    return n;
}

static const char *clean_actors =
    "ARNOR [ARN]\n"
    "+NORTH_KINGDOM\n"
    "GONDOR [GON]\n"
    "ARAGORN\n"
    "\t[ARNREB <20000101]\n"
    "\t[ARNGOV 20000101-20100101]\n"     /* hand-over days: fine */
    "\t[ARNELI >20100101]\n"
    "\t[ARN]\n";                          /* undated: the fallback */

static const char *clean_verbs =
    "&AGREEMENT\n"
    "+DEAL\n"
    "+ACCORD\n"
    "\n"
    "--- SIGN [057] ---\n"
    "SIGN\n"
    "INK [---]\n"
    "- * &AGREEMENT [057]\n"
    "- * (PEACE &AGREEMENT) [057:057]\n"
    "- * TREATY + [057]\n"
    "- * (TREATY OF) [057]\n"             /* longer, tried first */
    "- * MEMORANDUM [+++]\n"
    "- * MEMORANDUM [###]\n"              /* +++ is skipped: not shadowed */
    "\n"
    "--- REFUSE [120] ---\n"
    "REFUSE\n"
    "- * &AGREEMENT [120]\n";             /* another block */

static void test_clean(void **state)
{
    (void)state;
    log l;
    kh_dict_check_stats st;
    assert_int_equal(check(clean_actors, "KING [~GOV]\nKING [~GOV]\n", clean_verbs, &l, &st), 0);
    assert_null(l.text);
    assert_int_equal(st.problems, 0);
}

static void test_duplicate_actor(void **state)
{
    (void)state;
    log l;
    kh_dict_check_stats st;
    const char *actors = "ARNOR [ARN]\n"
                         "ARNOR_ [ARN]\n"      /* another phrase: no stem */
                         "GONDOR [GON]\n"
                         "+ARNOR\n";           /* same phrase, other codes */
    assert_int_equal(check(actors, NULL, NULL, &l, &st), 1);
    assert_int_equal(st.duplicates, 1);
    assert_string_equal(l.text, "t.actors:4: duplicate phrase 'ARNOR' with other codes: "
                                "[GON] here, [ARN] at t.actors:1\n");
    free(l.text);
}

static void test_duplicate_agent(void **state)
{
    (void)state;
    log l;
    kh_dict_check_stats st;
    assert_int_equal(check(NULL, "KING [~GOV]\nQUEEN [~GOV]\nKING [GOV~]\n", NULL, &l, &st), 1);
    assert_int_equal(st.duplicates, 1);
    assert_string_equal(l.text, "t.agents:3: duplicate phrase 'KING' with other codes: "
                                "[GOV~] here, [~GOV] at t.agents:1\n");
    free(l.text);
}

static void test_overlapping_roles(void **state)
{
    (void)state;
    log l;
    kh_dict_check_stats st;
    const char *actors = "ARAGORN\n"
                         "+STRIDER\n"
                         "\t[ARNREB <20010101]\n"
                         "\t[ARNGOV 20000101-20100101]\n"
                         "\t[ARNELI 20100101-20200101]\n"   /* one day: fine */
                         "\t[ARNGOV 20150101-20160101]\n"   /* same code */
                         "BOROMIR [GONMIL 20100101-20000101]\n";
    assert_int_equal(check(actors, NULL, NULL, &l, &st), 3);
    assert_int_equal(st.roles, 3);
    assert_string_equal(l.text,
        "t.actors:4: role [ARNGOV 20000101-20100101] overlaps [ARNREB <20010101] (line 3) "
        "by more than the hand-over day\n"
        "t.actors:6: role [ARNGOV 20150101-20160101] overlaps [ARNELI 20100101-20200101] "
        "(line 5) by more than the hand-over day\n"
        "t.actors:7: role [GONMIL 20100101-20000101] ends before it begins\n");
    free(l.text);
}

static void test_shadowed_patterns(void **state)
{
    (void)state;
    log l;
    kh_dict_check_stats st;
    const char *verbs =
        "--- SIGN [057] ---\n"
        "SIGN\n"
        "- * TREATY [057]\n"
        "- * (TREATY) [030]\n"        /* brackets are transparent: identical */
        "- * TREATY + [057]\n"        /* as long, later, more demanding */
        "- * TREATY WITH [057]\n"     /* longer: tried before all three */
        "- $ * TREATY_WITH + [057]\n" /* as long, later, more demanding */
        "- * TREATY_WITH [057]\n"
        "- * PACT [057]\n";           /* tried last, but nothing covers it */
    assert_int_equal(check(NULL, NULL, verbs, &l, &st), 4);
    assert_int_equal(st.shadowed, 4);
    assert_string_equal(l.text,
        "t.verbs:7: pattern '$ * TREATY_WITH +' can never match: '* TREATY WITH' [057] at "
        "t.verbs:6 is tried first and matches wherever it does\n"
        "t.verbs:8: pattern '* TREATY_WITH' can never match: '* TREATY WITH' [057] at "
        "t.verbs:6 is tried first and matches wherever it does\n"
        "t.verbs:4: pattern '* (TREATY)' can never match: '* TREATY' [057] at "
        "t.verbs:3 is tried first and matches wherever it does\n"
        "t.verbs:5: pattern '* TREATY +' can never match: '* TREATY' [057] at "
        "t.verbs:3 is tried first and matches wherever it does\n");
    free(l.text);
}

static void test_joined_words_are_not_shadowed(void **state)
{
    (void)state;
    log l;
    kh_dict_check_stats st;
    /* "TREATY_WITH" demands what "TREATY WITH" does not: the looser one
     * after it still matches more. */
    const char *verbs = "--- SIGN [057] ---\n"
                        "SIGN\n"
                        "- * TREATY_WITH [057]\n"
                        "- * TREATY WITH [030]\n"
                        "- * { TREATY | PACT } [057]\n"
                        "- * { TREATY | ACCORD } [057]\n";
    assert_int_equal(check(NULL, NULL, verbs, &l, &st), 0);
    assert_null(l.text);
}

static void test_empty_synset(void **state)
{
    (void)state;
    log l;
    kh_dict_check_stats st;
    const char *verbs = "&NOTHING\n"
                        "\n"
                        "--- SIGN [057] ---\n"
                        "SIGN\n"
                        "- * &NOTHING [057]\n";
    assert_int_equal(check(NULL, NULL, verbs, &l, &st), 1);
    assert_int_equal(st.synsets, 1);
    assert_string_equal(l.text, "t.verbs:1: synset &NOTHING has no members: patterns "
                                "naming it never match\n");
    free(l.text);
}

static void test_not_cameo(void **state)
{
    (void)state;
    log l;
    kh_dict_check_stats st;
    const char *verbs = "--- SIGN [999] ---\n"
                        "SIGN\n"
                        "INK [0571]\n"
                        "- * TREATY [057:998]\n"
                        "- * PACT [1952?]\n"      /* CAMEO manual 1.1b3 */
                        "- * DEAL [176!]\n";
    assert_int_equal(check(NULL, NULL, verbs, &l, &st), 3);
    assert_int_equal(st.cameo, 3);
    assert_string_equal(l.text,
        "t.verbs:1: verb block code [999] is not a CAMEO event code\n"
        "t.verbs:3: verb code [0571] is not a CAMEO event code\n"
        "t.verbs:4: pattern code [998] is not a CAMEO event code\n");
    free(l.text);
}

/* Malformed patterns and undeclared synsets never reach the model: the
 * reader reports them while loading, as FILE:LINE. */
static void test_reader_rules(void **state)
{
    (void)state;
    const char *verbs = "--- SIGN [057] ---\n"
                        "SIGN\n"
                        "- * (TREATY [057]\n"
                        "- * &UNDECLARED [057]\n"
                        "- TREATY [057]\n";
    kh_diag d;
    log l;
    log_diag(&d, &l);
    kh_dict *dict = kh_dict_new();
    kh_dict_load_buffer(dict, KH_DICT_VERBS, "t.verbs", verbs, strlen(verbs), &d);
    assert_int_equal(d.errors, 3);
    assert_string_equal(l.text,
        "t.verbs:3: unclosed '{' or '(' in pattern '* (TREATY'\n"
        "t.verbs:4: undeclared synset in pattern '* &UNDECLARED'\n"
        "t.verbs:5: no verb marker '*' in pattern 'TREATY'\n");
    free(l.text);
    kh_dict_free(dict);
}

static void test_defaults_are_clean(void **state)
{
    (void)state;
    kh_diag d;
    log l;
    log_diag(&d, &l);
    kh_dict *dict = kh_dict_new();
    kh_dict_load_defaults(dict, &d);
    assert_int_equal(kh_dict_check(dict, &d, NULL), 0);
    if (l.text)
        fprintf(stderr, "%s", l.text);
    assert_null(l.text);
    kh_dict_free(dict);
}

/* ---- the command ---- */

static int run_cli(const char *args, char **out)
{
    char *all = kh_xasprintf("dict check %s", args);
    int status = test_run_khaldun(all, out);
    free(all);
    return status;
}

static void test_cli_exit_status(void **state)
{
    (void)state;
    char dir[] = "/tmp/kh-test-dictcheck-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char *good = kh_xasprintf("%s/good.verbs", dir), *bad = kh_xasprintf("%s/bad.verbs", dir);
    char *broken = kh_xasprintf("%s/broken.verbs", dir);
    test_write_file(good, clean_verbs);
    test_write_file(bad, "--- SIGN [057] ---\nSIGN\n- * TREATY [057]\n- * TREATY [030]\n");
    test_write_file(broken, "--- SIGN [057] ---\nSIGN\n- * TREATY) [057]\n");
    char *out, *args;

    assert_int_equal(run_cli("", &out), 0);              /* the defaults */
    assert_string_equal(out, "");
    free(out);

    args = kh_xasprintf("--no-default-dicts --dict verbs:%s", good);
    assert_int_equal(run_cli(args, &out), 0);
    free(out), free(args);

    args = kh_xasprintf("--no-default-dicts --dict verbs:%s", bad);
    assert_int_equal(run_cli(args, &out), 1);
    char *want = kh_xasprintf("%s:4: pattern '* TREATY' can never match: '* TREATY' [057] "
                              "at %s:3 is tried first and matches wherever it does\n", bad, bad);
    assert_string_equal(out, want);
    free(want), free(out), free(args);

    args = kh_xasprintf("--no-default-dicts --dict verbs:%s", broken);   /* load error */
    assert_int_equal(run_cli(args, &out), 1);
    want = kh_xasprintf("%s:3: unbalanced ')' in pattern '* TREATY)'\n", broken);
    assert_string_equal(out, want);
    free(want), free(out), free(args);

    assert_int_equal(run_cli("--no-default-dicts --dict verbs:/nonexistent", &out), 2);
    free(out);
    assert_int_equal(run_cli("--no-default-dicts input.txt", &out), 2);
    free(out);

    char *rm = kh_xasprintf("rm -rf '%s'", dir);
    assert_int_equal(system(rm), 0);
    free(rm), free(good), free(bad), free(broken);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clean),
        cmocka_unit_test(test_duplicate_actor),
        cmocka_unit_test(test_duplicate_agent),
        cmocka_unit_test(test_overlapping_roles),
        cmocka_unit_test(test_shadowed_patterns),
        cmocka_unit_test(test_joined_words_are_not_shadowed),
        cmocka_unit_test(test_empty_synset),
        cmocka_unit_test(test_not_cameo),
        cmocka_unit_test(test_reader_rules),
        cmocka_unit_test(test_defaults_are_clean),
        cmocka_unit_test(test_cli_exit_status),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
