/* test_util.c -- the small string helpers of util.h against the library
 * calls they stand in for. */
#include "testutil.h"
#include "util.h"

#include <stdio.h>

/* kh_copy_cut writes what snprintf(dst, cap, "%s", s) writes, for every
 * length of s below, at and past the room, and leaves the rest alone. */
static void test_copy_cut_is_snprintf(void **state)
{
    const char *text = "0123456789abcdef";
    for (size_t cap = 1; cap <= 10; cap++)
        for (size_t len = 0; len <= 16; len++) {
            char s[17], want[12], got[12];
            memcpy(s, text, len);
            s[len] = 0;
            memset(want, '#', sizeof want);
            memset(got, '#', sizeof got);
            snprintf(want, cap, "%s", s);
            kh_copy_cut(got, cap, s);
            assert_memory_equal(got, want, sizeof want);
        }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_copy_cut_is_snprintf),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
