/* testutil.h -- shared by the cmocka test programs. */
#ifndef KH_TESTUTIL_H
#define KH_TESTUTIL_H
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "khaldun.h"
#include <string.h>

/* A frozen dictionary from inline actors, agents and verbs texts, named
 * t.actors, t.agents and t.verbs in provenance; fails the test on any
 * load error.  The caller frees it with kh_dict_free. */
static inline kh_dict *test_dict(const char *actors, const char *agents, const char *verbs)
{
    kh_diag d;
    kh_diag_init(&d);
    kh_dict *dict = kh_dict_new();
    kh_dict_load_buffer(dict, KH_DICT_ACTORS, "t.actors", actors, strlen(actors), &d);
    kh_dict_load_buffer(dict, KH_DICT_AGENTS, "t.agents", agents, strlen(agents), &d);
    kh_dict_load_buffer(dict, KH_DICT_VERBS, "t.verbs", verbs, strlen(verbs), &d);
    assert_int_equal(d.errors, 0);
    kh_dict_freeze(dict);
    return dict;
}
#endif
