/* test_tag.c -- pieces of the tagging pass (tag.c): the closed-class
 * words and the order of the mentions. */
#include "testutil.h"
#include "tag.h"

#include <stdlib.h>
#include <string.h>

/* Every closed-class word gets its tag, and words that share its length
 * or its first letter ("THE", "HAS", "NOW", "ANY", "ON") do not, nor do
 * those that share its length and its first and last letters ("ARE",
 * "TRAY", "NADIR"), which pass the letter sets to the compare. */
static void test_closed_class_tags(void **state)
{
    (void)state;
    kh_dict *dict = test_dict("ARNOR [ARN]\n", "MINISTER [~GOV]\n", "--- ATTACK [190] ---\nATTACK\n");
    kh_sentence s;
    kh_sentence_init(&s);
    kh_coder_options o;
    kh_coder_options_default(&o);
    const char *text = "He and she, but not it or they nor his, her, its, their, him, them: "
                       "no never. The has now any on tho bu ha i s then theirs heir nevers "
                       "are hit sat ie tray tumor nadir";
    kh_tag_sentence(&s, dict, text, strlen(text), 0, &o, NULL);
    static const struct { const char *word; kh_tag tag; } want[] = {
        {"AND", KH_TAG_CONJ}, {"BUT", KH_TAG_CONJ}, {"OR", KH_TAG_CONJ}, {"NOR", KH_TAG_CONJ},
        {"NOT", KH_TAG_NEGATION}, {"NEVER", KH_TAG_NEGATION}, {"NO", KH_TAG_NEGATION},
        {"HE", KH_TAG_PRONOUN}, {"SHE", KH_TAG_PRONOUN}, {"IT", KH_TAG_PRONOUN},
        {"THEY", KH_TAG_PRONOUN}, {"HIS", KH_TAG_PRONOUN}, {"HER", KH_TAG_PRONOUN},
        {"ITS", KH_TAG_PRONOUN}, {"THEIR", KH_TAG_PRONOUN}, {"HIM", KH_TAG_PRONOUN},
        {"THEM", KH_TAG_PRONOUN},
    };
    size_t found = 0;
    for (size_t i = 0; i < s.tokens.count; i++) {
        const char *w = s.tokens.items[i].word;
        if (!(s.tokens.items[i].flags & KH_TOK_WORD))
            continue;
        kh_tag tag = KH_TAG_NONE;
        for (size_t k = 0; k < sizeof want / sizeof want[0]; k++)
            if (strcmp(w, want[k].word) == 0)
                tag = want[k].tag, found++;
        /* pronouns may have become mentions: none has an antecedent here */
        assert_int_equal(s.tags.items[i], tag);
    }
    assert_int_equal(found, sizeof want / sizeof want[0]);
    kh_sentence_free(&s);
    kh_dict_free(dict);
}

/* The sort against a reference: by first token, ties in the order given
 * (each mention's `actor` holds its place in the input). */
static int by_first_then_place(const void *a, const void *b)
{
    const kh_mention *x = a, *y = b;
    if (x->first != y->first)
        return x->first < y->first ? -1 : 1;
    return x->actor < y->actor ? -1 : x->actor > y->actor;
}

static void check_sort(kh_mention *m, size_t n)
{
    kh_mention *want = malloc((n ? n : 1) * sizeof *want);
    memcpy(want, m, n * sizeof *m);
    qsort(want, n, sizeof *want, by_first_then_place);
    kh_mentions_sort(m, n);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(m[i].first, want[i].first);
        assert_int_equal(m[i].actor, want[i].actor);
        assert_string_equal(m[i].agent_code, want[i].agent_code);
    }
    free(want);
}

/* Sizes on both sides of the insertion sort's limit, nearly sorted (a
 * pronoun's copy appended at the end) and shuffled, with ties. */
static void test_mentions_sort(void **state)
{
    (void)state;
    srand(7);
    for (size_t n = 0; n <= 80; n++)
        for (int round = 0; round < 20; round++) {
            kh_mention *m = calloc(n ? n : 1, sizeof *m);
            for (size_t i = 0; i < n; i++) {
                m[i].first = round % 2 ? rand() % (int)(n / 2 + 1) : (int)i;
                m[i].actor = (int)i;
                snprintf(m[i].agent_code, sizeof m[i].agent_code, "M%zu", i);
            }
            if (n > 1 && round % 2 == 0)
                m[n - 1].first = rand() % (int)n;   /* a late pronoun */
            check_sort(m, n);
            free(m);
        }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_closed_class_tags),
        cmocka_unit_test(test_mentions_sort),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
