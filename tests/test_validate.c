/* test_validate.c -- the suite runner on small suites written for it. */
#include "testutil.h"
#include <stdlib.h>
#include <string.h>

static char *run_suite_verbose(const char *path, int verbose, kh_validate_result *r)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    kh_diag d;
    kh_diag_init(&d);
    d.quiet = 1;
    assert_int_equal(kh_validate(path, out, &(kh_validate_options){verbose, 0, 0}, r, &d), 0);
    fclose(out);
    return buf;
}

static char *run_suite(const char *path, kh_validate_result *r)
{
    return run_suite_verbose(path, 0, r);
}

/* --parse given: the coder takes the record's own parse's tags. */
static void test_given_parse_tags(void **state)
{
    kh_validate_result r;
    char *out = run_suite("tests/data/validate/given.xml", &r);
    assert_int_equal(r.passed, 1);          /* the tagger reads a verb */
    free(out);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    kh_diag d;
    kh_diag_init(&d);
    d.quiet = 1;
    kh_validate_options o = {0, 0, KH_PARSE_GIVEN};
    assert_int_equal(kh_validate("tests/data/validate/given.xml", f, &o, &r, &d), 0);
    fclose(f);
    assert_int_equal(r.failed, 1);          /* the parse says a noun */
    assert_non_null(strstr(buf, "FAIL G-01: expected {ARN/GON/042} {GON/ARN/043} got {}\n"));
    free(buf);
}

static void test_tabari_project(void **state)
{
    kh_validate_result r;
    char *out = run_suite("tests/data/validate/mini.project", &r);
    assert_int_equal(r.passed, 5);
    assert_int_equal(r.failed, 1);
    assert_non_null(strstr(out, "FAIL MINI-05: expected {ARN/ROH/190} got {ARN/GON/190}"));
    assert_non_null(strstr(out, "5 passed, 1 failed\n"));
    free(out);
}

static void test_petrarch_xml(void **state)
{
    kh_validate_result r;
    char *out = run_suite("tests/data/validate/mini.xml", &r);
    assert_int_equal(r.passed, 4);
    assert_int_equal(r.failed, 0);
    free(out);
}

/* A suite whose records carry CoNLL-U is coded by UD-PETRARCH's rules. */
static void test_ud_petrarch_xml(void **state)
{
    kh_validate_result r;
    char *out = run_suite("tests/data/validate/ud.xml", &r);
    assert_int_equal(r.passed, 1);
    assert_int_equal(r.failed, 0);
    free(out);
}

/* Records are what the TABARI reader makes of the text: a blank line ends
 * a record and any comment left open in it, a record whose date cannot be
 * read is skipped, one without {...} expectations is no test, and
 * FINAL-01 is the last one coded. */
static void test_tabari_records_as_read(void **state)
{
    kh_validate_result r;
    char *out = run_suite_verbose("tests/data/validate/records.project", 1, &r);
    assert_int_equal(r.passed, 3);
    assert_int_equal(r.failed, 0);
    assert_non_null(strstr(out, "PASS REC-01: expected {ARN/GON/190} got {ARN/GON/190}\n"));
    assert_non_null(strstr(out, "PASS REC-02: expected {ARN/ROH/190} got {ARN/ROH/190}\n"));
    assert_null(strstr(out, "REC-03"));
    assert_null(strstr(out, "REC-04"));
    assert_non_null(strstr(out, "PASS FINAL-01"));
    assert_null(strstr(out, "REC-05"));
    free(out);
}

/* A PETRARCH sentence's expectations come from its <EventCoding>s; one
 * that says noevents expects nothing. */
static void test_petrarch_expectations(void **state)
{
    kh_validate_result r;
    char *out = run_suite_verbose("tests/data/validate/mini.xml", 1, &r);
    assert_non_null(strstr(out, "PASS P-01: expected {ARN/GON/042} {GON/ARN/043} got"));
    assert_non_null(strstr(out, "PASS P-02: expected {} got {}\n"));
    free(out);
}

/* Records are dated by the TABARI reader, whose two-digit years 00-30 are
 * 2000-2030 (a date-restricted actor tells the years apart). */
static void test_tabari_century(void **state)
{
    kh_validate_result r;
    char *out = run_suite_verbose("tests/data/validate/dates.project", 1, &r);
    assert_non_null(strstr(out, "PASS DATE-40: expected {ISE/ARN/190} got {ISE/ARN/190}\n"));
    assert_non_null(strstr(out, "PASS DATE-30: expected {MOR/ARN/190} got {MOR/ARN/190}\n"));
    assert_non_null(strstr(out, "PASS DATE-31: expected {ISE/ARN/190} got {ISE/ARN/190}\n"));
    assert_int_equal(r.failed, 0);
    free(out);
}

static void test_missing_suite(void **state)
{
    kh_diag d;
    kh_diag_init(&d);
    d.quiet = 1;
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    assert_int_equal(kh_validate("tests/data/validate/nope.project", out, NULL, NULL, &d), -1);
    fclose(out);
    assert_int_equal(d.errors, 1);
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tabari_project),
        cmocka_unit_test(test_given_parse_tags),
        cmocka_unit_test(test_petrarch_xml),
        cmocka_unit_test(test_ud_petrarch_xml),
        cmocka_unit_test(test_tabari_records_as_read),
        cmocka_unit_test(test_petrarch_expectations),
        cmocka_unit_test(test_tabari_century),
        cmocka_unit_test(test_missing_suite),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
