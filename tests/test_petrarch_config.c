/* test_petrarch_config.c -- --petrarch-config: dictionaries found beside
 * the .ini or in ../dictionaries, options taken, bad lines reported. */
#include "testutil.h"
#include "petrarch_config.h"
#include <stdlib.h>
#include <string.h>

static void test_config_loads_dictionaries_and_options(void **state)
{
    kh_diag d;
    kh_diag_init(&d);
    d.quiet = 1;
    kh_dict *dict = kh_dict_new();
    kh_coder_options o;
    kh_coder_options_default(&o);
    assert_int_equal(kh_petrarch_config_load("tests/data/petrarch/config/test.ini", dict, &o, &d), 0);
    kh_dict_stats st;
    kh_dict_get_stats(dict, &st);
    assert_int_equal(st.actors, 3);          /* both files of actorfile_list */
    assert_int_equal(st.agents, 1);
    assert_int_equal(st.patterns, 0);
    assert_int_equal(o.new_actor_length, 4);
    assert_int_equal(o.require_dyad, 0);
    assert_int_equal(o.comma_end_max, 0);
    assert_int_equal(d.errors, 1);           /* "this line is broken" */
    kh_dict_freeze(dict);
    kh_coder *c = kh_coder_new(dict);
    kh_coder_set_options(c, &o);
    kh_events ev;
    kh_events_init(&ev);
    const char *text = "The Rohan president attacked Gondor.";
    kh_code_sentence(c, text, strlen(text), 0, &ev);
    assert_int_equal(ev.count, 1);
    assert_string_equal(ev.items[0].source, "ROHGOV");
    assert_string_equal(ev.items[0].target, "GON");
    kh_events_free(&ev);
    kh_coder_free(c);
    kh_dict_free(dict);
}

static void test_missing_config_and_dictionary(void **state)
{
    kh_diag d;
    kh_diag_init(&d);
    d.quiet = 1;
    kh_dict *dict = kh_dict_new();
    kh_coder_options o;
    kh_coder_options_default(&o);
    assert_int_equal(kh_petrarch_config_load("tests/data/petrarch/nope.ini", dict, &o, &d), -1);
    kh_dict_free(dict);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_config_loads_dictionaries_and_options),
        cmocka_unit_test(test_missing_config_and_dictionary),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
