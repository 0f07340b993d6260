/* test_date.c -- the date module: validation, two-digit years, day
 * arithmetic, formatting and parsing. */
#include "testutil.h"
#include "date.h"

static void test_month_lengths(void **state)
{
    (void)state;
    assert_int_equal(kh_date_days_in_month(2024, 2), 29);   /* divisible by 4 */
    assert_int_equal(kh_date_days_in_month(2023, 2), 28);
    assert_int_equal(kh_date_days_in_month(1900, 2), 28);   /* century */
    assert_int_equal(kh_date_days_in_month(2000, 2), 29);   /* 400 years */
    assert_int_equal(kh_date_days_in_month(2023, 4), 30);
    assert_int_equal(kh_date_days_in_month(2023, 12), 31);
    assert_int_equal(kh_date_days_in_month(2023, 13), 0);
    assert_int_equal(kh_date_days_in_month(2023, 0), 0);
}

static void test_validation(void **state)
{
    (void)state;
    assert_int_equal(kh_date_make(2024, 2, 29), 20240229);
    assert_int_equal(kh_date_make(2023, 2, 29), 0);
    assert_int_equal(kh_date_make(2023, 4, 31), 0);
    assert_int_equal(kh_date_make(2023, 0, 1), 0);
    assert_int_equal(kh_date_make(2023, 1, 0), 0);
    assert_int_equal(kh_date_make(KH_DATE_MIN_YEAR - 1, 12, 31), 0);
    assert_int_equal(kh_date_make(KH_DATE_MAX_YEAR + 1, 1, 1), 0);
    assert_int_equal(kh_date_make(KH_DATE_MAX_YEAR, 12, 31), KH_DATE_MAX_YEAR * 10000L + 1231);
    assert_true(kh_date_valid(20110327));
    assert_false(kh_date_valid(0));
    assert_false(kh_date_valid(-20110327));
    assert_false(kh_date_valid(20110230));
    assert_false(kh_date_valid(2011032));
}

static void test_two_digit_years(void **state)
{
    (void)state;
    assert_int_equal(kh_date_full_year(0), 2000);
    assert_int_equal(kh_date_full_year(KH_DATE_YY_PIVOT), 2000 + KH_DATE_YY_PIVOT);
    assert_int_equal(kh_date_full_year(KH_DATE_YY_PIVOT + 1), 1900 + KH_DATE_YY_PIVOT + 1);
    assert_int_equal(kh_date_full_year(99), 1999);
    assert_int_equal(kh_date_full_year(1995), 1995);
    assert_int_equal(kh_date_parse_digits("400101", 6), 19400101);
    assert_int_equal(kh_date_parse_digits("300101", 6), 20300101);
    assert_int_equal(kh_date_parse_digits("950101", 6), 19950101);
    assert_int_equal(kh_date_parse_digits("20150607", 8), 20150607);
    assert_int_equal(kh_date_parse_digits("9008223", 7), 0);
    assert_int_equal(kh_date_parse_digits("991301", 6), 0);
    assert_int_equal(kh_date_parse_digits("990229", 6), 0);   /* 1999 is not leap */
    assert_int_equal(kh_date_parse_digits("000229", 6), 20000229);
    assert_int_equal(kh_date_parse_digits("95o101", 6), 0);
}

static void test_day_numbers(void **state)
{
    (void)state;
    assert_int_equal(kh_date_days(1970, 1, 1), 0);
    assert_int_equal(kh_date_to_days(19691231), -1);
    assert_int_equal(kh_date_from_days(0), 19700101);
    assert_int_equal(kh_date_weekday(kh_date_to_days(20230315)), 3);  /* Wednesday */
    assert_int_equal(kh_date_weekday(kh_date_to_days(19000101)), 1);  /* Monday */
    assert_int_equal(kh_date_days(2023, 1, 32), kh_date_to_days(20230201));
    /* Every day of four centuries survives the round trip. */
    for (long z = kh_date_to_days(19000101); z < kh_date_to_days(22000101); z++)
        if (kh_date_to_days(kh_date_from_days(z)) != z)
            fail_msg("day %ld does not round-trip", z);
    assert_int_equal(kh_date_add_days(20240228, 1), 20240229);
    assert_int_equal(kh_date_add_days(20231231, 1), 20240101);
    assert_int_equal(kh_date_add_days(20240301, -1), 20240229);
    assert_int_equal(kh_date_add_days(20240230, 1), 0);
    assert_int_equal(kh_date_day_of_year(20240101), 1);
    assert_int_equal(kh_date_day_of_year(20241231), 366);
    assert_int_equal(kh_date_day_of_year(20230301), 60);
    assert_int_equal(kh_date_day_of_year(20230230), 0);
}

static void test_iso(void **state)
{
    (void)state;
    char out[KH_DATE_ISO_SIZE];
    assert_int_equal(kh_date_format_iso(20110327, out), 0);
    assert_string_equal(out, "2011-03-27");
    assert_int_equal(kh_date_format_iso(18000101, out), 0);
    assert_string_equal(out, "1800-01-01");
    assert_int_equal(kh_date_format_iso(0, out), -1);
    assert_string_equal(out, "");
    assert_int_equal(kh_date_format_iso(20110431, out), -1);
    assert_string_equal(out, "");
}

static void test_parse(void **state)
{
    (void)state;
    assert_int_equal(kh_date_parse("1995-01-01"), 19950101);
    assert_int_equal(kh_date_parse("  2024-04-03T08:15:00Z"), 20240403);
    assert_int_equal(kh_date_parse("19950101"), 19950101);
    assert_int_equal(kh_date_parse("1995/01/31"), 19950131);
    assert_int_equal(kh_date_parse("1995.01.31"), 19950131);
    assert_int_equal(kh_date_parse("1995-01/31"), 0);
    assert_int_equal(kh_date_parse("1995-1-1"), 0);
    assert_int_equal(kh_date_parse("199501011"), 0);
    assert_int_equal(kh_date_parse("1995-13-01"), 0);
    assert_int_equal(kh_date_parse("2023-02-29"), 0);
    assert_int_equal(kh_date_parse(""), 0);
    assert_int_equal(kh_date_parse(NULL), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_month_lengths),
        cmocka_unit_test(test_validation),
        cmocka_unit_test(test_two_digit_years),
        cmocka_unit_test(test_day_numbers),
        cmocka_unit_test(test_iso),
        cmocka_unit_test(test_parse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
