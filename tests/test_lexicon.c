/* test_lexicon.c -- the shared lexicon's hash finds every word it holds,
 * in any ASCII case, and nothing else. */
#include "testutil.h"
#include "lexicon.h"

#include <string.h>

static void test_every_word(void **state)
{
    char upper[32];
    for (int w = 1; w < KH_LW_COUNT; w++) {
        const kh_lex_entry *e = kh_lex_entry_of((kh_lex_word)w);
        assert_int_equal(e->len, strlen(e->word));
        assert_int_equal(kh_lex_find(e->word, e->len), w);
        assert_true(e->len < sizeof upper);
        for (size_t i = 0; i <= e->len; i++)
            upper[i] = (char)(e->word[i] >= 'a' && e->word[i] <= 'z' ? e->word[i] - 32 : e->word[i]);
        assert_int_equal(kh_lex_find(upper, e->len), w);
        /* a prefix is not the word */
        if (e->len > 1)
            assert_int_not_equal(kh_lex_find(e->word, e->len - 1), w);
    }
}

static void test_classes(void **state)
{
    const kh_lex_entry *may = kh_lex_entry_of(kh_lex_find("May", 3));
    assert_true(may->classes & KH_LEX_MONTH);
    assert_true(may->classes & KH_LEX_PHRASE_END);     /* the modal */
    assert_int_equal(may->value, 5);
    assert_int_equal(kh_lex_entry_of(kh_lex_find("Sept", 4))->value, 9);
    assert_int_equal(kh_lex_entry_of(kh_lex_find("sunday", 6))->value, 0);
    assert_int_equal(kh_lex_entry_of(kh_lex_find("twelve", 6))->value, 12);
    unsigned since = kh_lex_entry_of(kh_lex_find("since", 5))->classes;
    assert_true(since & KH_LEX_DATE_PREP && since & KH_LEX_YEAR_PREP &&
                since & KH_LEX_CLAUSE && since & KH_LEX_PHRASE_END);
    assert_int_equal(kh_lex_find("in", 2), KH_LW_IN);
    assert_int_equal(kh_lex_entry_of(KH_LW_NONE)->classes, 0);
}

static void test_not_words(void **state)
{
    assert_int_equal(kh_lex_find("", 0), KH_LW_NONE);
    assert_int_equal(kh_lex_find("Tuesdays", 8), KH_LW_NONE);
    assert_int_equal(kh_lex_find("Damascus", 8), KH_LW_NONE);
    assert_int_equal(kh_lex_find("m\xC3\xA1y", 4), KH_LW_NONE);
    assert_int_equal(kh_lex_find("M@Y", 3), KH_LW_NONE);   /* '@' | 32 is '`' */
    assert_int_equal(kh_lex_find("in ", 3), KH_LW_NONE);
    assert_int_equal(kh_lex_find("neighbourhoodsandmore", 21), KH_LW_NONE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_word),
        cmocka_unit_test(test_classes),
        cmocka_unit_test(test_not_words),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
