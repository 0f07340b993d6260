/* test_dict_test.c -- kh_dict_test on small test files of its format
 * (passing and failing cases, "=> none", @date with a dated role, held
 * back negations, malformed lines as FILE:LINE), its scores, and the
 * exit statuses and thresholds of `khaldun dict test`. */
#include "testutil.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>

static const char *actors = "ARNOR [ARN]\n"
                            "GONDOR [GON]\n"
                            "ARAGORN\n"
                            "\t[ARNREB <20000101]\n"
                            "\t[ARNGOV >20000101]\n";
static const char *verbs = "--- ACCUSE [112] ---\n"
                           "ACCUSE\n"
                           "- * + [112]\n"
                           "\n"
                           "--- PRAISE [051] ---\n"
                           "PRAISE\n"
                           "- * + [051]\n";

static const char *cases =
    "# two passing cases, one failing, one with no event, two dated\n"
    "@id accuse\n"
    "Arnor accused Gondor of aggression on the eastern border.\n"
    "=> ARN 112 GON\n"
    "\n"
    "Gondor praised Arnor for the help it gave\n"       /* two lines, one case */
    "after the floods.\n"
    "=> GON 051 ARN\n"
    "\n"
    "@id wrong-code\n"
    "Arnor praised Gondor warmly for its help with the harvest.\n"
    "=> ARN 050 GON\n"
    "\n"
    "@id nothing\n"
    "The weather in the north was cold and wet all week.\n"
    "=> none\n"
    "\n"
    "@id negated\n"
    "Arnor did not accuse Gondor of anything at the meeting.\n"
    "=> none\n"
    "\n"
    "@date 19990101\n"
    "@id rebel\n"
    "Aragorn accused Gondor of betrayal in the war.\n"
    "=> ARNREB 112 GON\n"
    "\n"
    "@date 2005-06-01\n"
    "@id government\n"
    "Aragorn accused Gondor of betrayal in the war.\n"
    "=> ARNREB 112 GON\n";                 /* wrong: in 2005 he governs */

typedef struct fixture {
    char dir[64];
    char *actors, *verbs, *cases, *dicts;
} fixture;

static char *file_in(fixture *f, const char *name, const char *text)
{
    char *path = kh_xasprintf("%s/%s", f->dir, name);
    test_write_file(path, text);
    return path;
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    strcpy(f->dir, "/tmp/kh-test-dicttest-XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    f->actors = file_in(f, "t.actors", actors);
    f->verbs = file_in(f, "t.verbs", verbs);
    f->cases = file_in(f, "cases.txt", cases);
    f->dicts = kh_xasprintf("--no-default-dicts --dict actors:%s --dict verbs:%s", f->actors,
                            f->verbs);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    char *rm = kh_xasprintf("rm -rf '%s'", f->dir);
    int rc = system(rm);
    free(rm), free(f->actors), free(f->verbs), free(f->cases), free(f->dicts), free(f);
    return rc == 0 ? 0 : -1;
}

/* Runs kh_dict_test on `path`; the report is in *out and the problems
 * the file has, as "FILE:LINE: message\n", in *problems. */
typedef struct run {
    kh_dict_test_result result;
    char *out;
    char *problems;
    int rc;
} run;

static void problem_sink(void *ctx, kh_severity sev, const char *file, long line,
                         const char *message)
{
    char **log = ctx;
    char *next = kh_xasprintf("%s%s:%ld: %s\n", *log ? *log : "", file, line, message);
    free(*log);
    *log = next;
}

static run test_file(const char *path, int quiet, int keep_all)
{
    run r;
    memset(&r, 0, sizeof r);
    kh_dict *dict = test_dict(actors, "", verbs);
    kh_diag d;
    kh_diag_init(&d);
    d.sink = problem_sink;
    d.ctx = &r.problems;
    kh_pipeline_options po;
    kh_pipeline_options_default(&po);
    po.keep_all = keep_all;
    size_t len;
    FILE *out = open_memstream(&r.out, &len);
    r.rc = kh_dict_test(path, dict, &po, out, quiet, &r.result, &d);
    fclose(out);
    kh_dict_free(dict);
    return r;
}

static void run_free(run *r)
{
    free(r->out);
    free(r->problems);
}

static void test_cases(void **state)
{
    fixture *f = *state;
    run r = test_file(f->cases, 0, 0);
    assert_int_equal(r.rc, 0);
    assert_null(r.problems);
    char *second = kh_xasprintf("PASS %s:6: expected {GON 051 ARN} got {GON 051 ARN}\n", f->cases);
    char *want = kh_xasprintf(
        "PASS accuse: expected {ARN 112 GON} got {ARN 112 GON}\n"
        "%s"
        "FAIL wrong-code: expected {ARN 050 GON} got {ARN 051 GON}\n"
        "PASS nothing: expected {} got {}\n"
        "PASS negated: expected {} got {}\n"
        "PASS rebel: expected {ARNREB 112 GON} got {ARNREB 112 GON}\n"
        "FAIL government: expected {ARNREB 112 GON} got {ARNGOV 112 GON}\n", second);
    assert_string_equal(r.out, want);
    assert_int_equal(r.result.passed, 5);
    assert_int_equal(r.result.failed, 2);
    /* 5 expected, 5 produced; exact: 3 match; root level: wrong-code's
     * 05 matches, government's actor does not */
    assert_int_equal(r.result.exact.expected, 5);
    assert_int_equal(r.result.exact.produced, 5);
    assert_int_equal(r.result.exact.matched, 3);
    assert_int_equal(r.result.root.matched, 4);
    assert_int_equal(r.result.by_root[5].expected, 2);
    assert_int_equal(r.result.by_root[5].matched, 2);
    assert_int_equal(r.result.by_root[11].produced, 3);
    assert_int_equal(r.result.by_root[11].matched, 2);
    assert_int_equal(r.result.by_root[1].expected, 0);
    free(want), free(second);
    run_free(&r);
}

static void test_quiet_and_summary(void **state)
{
    fixture *f = *state;
    run r = test_file(f->cases, 1, 0);
    assert_string_equal(r.out,
        "FAIL wrong-code: expected {ARN 050 GON} got {ARN 051 GON}\n"
        "FAIL government: expected {ARNREB 112 GON} got {ARNGOV 112 GON}\n");
    size_t len;
    char *text;
    FILE *out = open_memstream(&text, &len);
    kh_dict_test_summary(out, &r.result, 1);
    fclose(out);
    assert_non_null(strstr(text, "5 passed, 2 failed\n"
                                 "events: 5 expected, 5 produced, 3 matched exactly, "
                                 "4 at root level\n"
                                 "exact: precision 60.0% (3/5), recall 60.0% (3/5)\n"
                                 "root:  precision 80.0% (4/5), recall 80.0% (4/5)\n"
                                 "root\texpected\tproduced\tmatched\tP\tR\n"
                                 "01\t0\t0\t0\t-\t-\n"));
    assert_non_null(strstr(text, "\n05\t2\t2\t2\t100.0\t100.0\n"));
    assert_non_null(strstr(text, "\n11\t3\t3\t2\t66.7\t66.7\n"));
    assert_non_null(strstr(text, "\n20\t0\t0\t0\t-\t-\n"));
    free(text);
    run_free(&r);
}

/* With --all the negated event is not held back, and the case fails. */
static void test_coded_as_code_codes(void **state)
{
    fixture *f = *state;
    run r = test_file(f->cases, 1, 1);
    assert_non_null(strstr(r.out, "FAIL negated: expected {} got {ARN 112 GON}\n"));
    assert_int_equal(r.result.failed, 3);
    run_free(&r);
}

static void test_malformed(void **state)
{
    fixture *f = *state;
    char *path = file_in(f, "bad.txt",
                         "=> ARN 112 GON\n"                         /* 1: no text */
                         "Arnor accused Gondor of aggression at the border.\n"
                         "=> ARN 112\n"                             /* 3 */
                         "\n"
                         "Arnor accused Gondor of lying about the harvest.\n"
                         "=> ARN 999 GON\n"                         /* 6 */
                         "\n"
                         "@date 2005-13-01\n"                       /* 8 */
                         "@when tomorrow\n"                         /* 9 */
                         "Arnor accused Gondor of stealing the horses.\n"   /* 10 */
                         "\n"
                         "Arnor praised Gondor for the quick reply it sent.\n"
                         "=> none\n"
                         "=> ARN 051 GON\n"                         /* 14 */
                         "\n"
                         "Arnor praised Gondor once again for its kind words.\n"
                         "=> ARN 051 GON\n");                       /* the good one */
    run r = test_file(path, 0, 0);
    assert_int_equal(r.rc, 0);
    char *want = kh_xasprintf(
        "%1$s:1: expectation without a case's text before it\n"
        "%1$s:3: expected '=> SOURCE CODE TARGET' or '=> none'\n"
        "%1$s:6: the event code is not a CAMEO code\n"
        "%1$s:8: @date wants YYYYMMDD or YYYY-MM-DD\n"
        "%1$s:9: unknown directive (@date, @id)\n"
        "%1$s:10: case has no expectation ('=> SOURCE CODE TARGET' or '=> none')\n"
        "%1$s:14: an event in a case that says '=> none'\n", path);
    assert_string_equal(r.problems, want);
    assert_int_equal(r.result.malformed, 7);
    assert_int_equal(r.result.passed, 1);           /* only the good case ran */
    assert_int_equal(r.result.failed, 0);
    free(want), free(path);
    run_free(&r);

    r = test_file("/nonexistent/cases.txt", 0, 0);
    assert_int_equal(r.rc, -1);
    assert_string_equal(r.problems, "/nonexistent/cases.txt:0: cannot read test file\n");
    run_free(&r);
}

/* ---- the command ---- */

static int dict_test(fixture *f, const char *options, const char *file, char **out)
{
    char *args = kh_xasprintf("dict test %s %s %s", f->dicts, options, file);
    int status = test_run_khaldun(args, out);
    free(args);
    return status;
}

static void test_cli_exit_status(void **state)
{
    fixture *f = *state;
    char *out;
    char *good = file_in(f, "good.txt", "Arnor accused Gondor of aggression at the border.\n"
                                         "=> ARN 112 GON\n");
    assert_int_equal(dict_test(f, "", good, &out), 0);
    char *want = kh_xasprintf("PASS %s:1: expected {ARN 112 GON} got {ARN 112 GON}\n"
                              "1 passed, 0 failed\n"
                              "events: 1 expected, 1 produced, 1 matched exactly, 1 at root "
                              "level\n"
                              "exact: precision 100.0%% (1/1), recall 100.0%% (1/1)\n"
                              "root:  precision 100.0%% (1/1), recall 100.0%% (1/1)\n", good);
    assert_string_equal(out, want);
    free(want);
    free(out);
    assert_int_equal(dict_test(f, "", f->cases, &out), 1);          /* two fail */
    free(out);
    assert_int_equal(dict_test(f, "--quiet", f->cases, &out), 1);
    assert_null(strstr(out, "PASS"));
    free(out);
    /* root level: precision and recall 80% */
    assert_int_equal(dict_test(f, "--min-precision 80 --min-recall 80", f->cases, &out), 0);
    free(out);
    assert_int_equal(dict_test(f, "--min-precision 80 --min-recall 80.5", f->cases, &out), 1);
    free(out);
    assert_int_equal(dict_test(f, "--min-precision 81", f->cases, &out), 1);
    free(out);
    assert_int_equal(dict_test(f, "--min-recall 50", f->cases, &out), 0);
    free(out);
    /* usage and file errors */
    assert_int_equal(dict_test(f, "--min-recall high", f->cases, &out), 2);
    free(out);
    assert_int_equal(dict_test(f, "", "/nonexistent/cases.txt", &out), 2);
    free(out);
    char *bad = file_in(f, "bad.txt", "Arnor accused Gondor.\n=> ARN 112\n");
    assert_int_equal(dict_test(f, "--min-recall 0", bad, &out), 2);
    free(out);
    assert_int_equal(dict_test(f, "", "", &out), 2);                /* no file */
    free(out);
    free(good), free(bad);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cases),
        cmocka_unit_test(test_quiet_and_summary),
        cmocka_unit_test(test_coded_as_code_codes),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_cli_exit_status),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
