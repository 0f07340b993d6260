/* test_dict_index.c -- the index finds TABARI stems (words an entry's
 * first word begins) at every length: it looks a word up only at the
 * lengths of the stems that begin with the word's first two bytes
 * (dict_index.h: stem_lengths), and one bit stands for all lengths from
 * 31 on. */
#include "testutil.h"
#include <stdlib.h>
#include <string.h>

/* t.actors is TABARI's syntax: a word with no "_" after it is a stem. */
static const char actors[] =
    "ELEND [ELE]\n"
    "ELENDILMIR [EMR]\n"
    "ANTIDISESTABLISHMENTARIANISMXYZ [L31]\n"
    "ANTIDISESTABLISHMENTARIANISMXYZQQ [L33]\n"
    "ANTIDISESTABLISHMENTARIANISMQ [L29]\n";

static void expect_actor(kh_coder *c, const char *text, const char *want)
{
    char *got = kh_coder_actor_code(c, text, strlen(text), 20110101);
    if (want ? !got || strcmp(got, want) != 0 : got != NULL)
        fail_msg("\"%s\": actor %s, not %s", text, got ? got : "(none)",
                 want ? want : "(none)");
    free(got);
}

static void test_stems_longest_first(void **state)
{
    kh_dict *dict = test_dict(actors, "", "");
    kh_coder *c = kh_coder_new(dict);
    expect_actor(c, "Elendilmirs arrived.", "EMR");
    expect_actor(c, "Elendur arrived.", "ELE");
    expect_actor(c, "Elend arrived.", "ELE");
    expect_actor(c, "Elrond arrived.", NULL);       /* EL begins no stem of its length */
    expect_actor(c, "Antidisestablishmentarianismxyzqqs arrived.", "L33");
    expect_actor(c, "Antidisestablishmentarianismxyzq arrived.", "L31");
    expect_actor(c, "Antidisestablishmentarianismxyz arrived.", "L31");
    expect_actor(c, "Antidisestablishmentarianismqs arrived.", "L29");
    expect_actor(c, "Antidisestablishmentarianism arrived.", NULL);
    kh_coder_free(c);
    kh_dict_free(dict);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stems_longest_first),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
