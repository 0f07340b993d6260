/* test_pos.c -- UPOS names and the Penn Treebank mapping. */
#include "testutil.h"
#include "pos.h"

static void test_names_round_trip(void **state)
{
    (void)state;
    for (int t = 0; t < KH_UPOS_COUNT; t++)
        assert_int_equal(kh_upos_parse(kh_upos_name((kh_upos)t)), t);
    assert_string_equal(kh_upos_name(KH_UPOS_PROPN), "PROPN");
    assert_int_equal(kh_upos_parse("verb"), KH_UPOS_VERB);
    assert_int_equal(kh_upos_parse("NOPE"), -1);
    assert_string_equal(kh_upos_name(KH_UPOS_COUNT), "X");
}

static void test_penn(void **state)
{
    (void)state;
    assert_int_equal(kh_upos_from_penn("NNP", "Arnor", NULL), KH_UPOS_PROPN);
    assert_int_equal(kh_upos_from_penn("VBD", "attacked", "NNP"), KH_UPOS_VERB);
    assert_int_equal(kh_upos_from_penn("VBZ", "is", "VBN"), KH_UPOS_AUX);
    assert_int_equal(kh_upos_from_penn("VBD", "Had", NULL), KH_UPOS_AUX);
    assert_int_equal(kh_upos_from_penn("MD", "will", "VB"), KH_UPOS_AUX);
    assert_int_equal(kh_upos_from_penn("TO", "to", "VB"), KH_UPOS_PART);
    assert_int_equal(kh_upos_from_penn("TO", "to", "NNP"), KH_UPOS_ADP);
    assert_int_equal(kh_upos_from_penn("PRP$", "its", "NN"), KH_UPOS_PRON);
    assert_int_equal(kh_upos_from_penn("-LRB-", "(", NULL), KH_UPOS_PUNCT);
    assert_int_equal(kh_upos_from_penn("ZZZ", "x", NULL), KH_UPOS_X);
    assert_int_equal(kh_upos_from_penn(NULL, "x", NULL), KH_UPOS_X);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names_round_trip),
        cmocka_unit_test(test_penn),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
