/* test_validate.c -- the suite runner on small suites written for it. */
#include "testutil.h"
#include "validate.h"
#include <stdlib.h>
#include <string.h>

static char *run_suite(const char *path, kh_validate_result *r)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    kh_diag d;
    kh_diag_init(&d);
    assert_int_equal(kh_validate(path, out, 0, 0, r, &d), 0);
    fclose(out);
    return buf;
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
    assert_int_equal(r.passed, 2);
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
    assert_int_equal(kh_validate("tests/data/validate/nope.project", out, 0, 0, NULL, &d), -1);
    fclose(out);
    assert_int_equal(d.errors, 1);
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tabari_project),
        cmocka_unit_test(test_petrarch_xml),
        cmocka_unit_test(test_missing_suite),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
