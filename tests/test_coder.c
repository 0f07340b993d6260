/* test_coder.c -- the coder on small dictionaries written for the tests. */
#include "testutil.h"
#include <stdlib.h>
#include <string.h>

static const char actors[] =
    "ARNOR [ARN]\n"
    "GONDOR [GON]\n"
    "ROHAN [ROH]\n"
    "MORDOR [MOR]\n"
    "SARUMAN [ISE 19900101-19991231] [MOR >20000101]\n";
static const char agents[] =
    "PRESIDENT [~GOV]\n"
    "DEFENSE_MINISTER [~MIL]\n"
    "TROOPS [~MIL]\n";
static const char verbs[] =
    "--- ATTACK [190] ---\n"
    "ATTACK\n"
    "- * WITH ROCKETS [195]\n"
    "--- MEET [031] ---\n"
    "MEET\n"
    "- % * [031]\n"
    "--- VISIT [042:043] ---\n"
    "VISIT\n"
    "--- CRITICIZE [111] ---\n"
    "CRITICIZE\n"
    "CONDEMN\n"
    "- $ * + FOR [112]\n";

typedef struct fixture {
    kh_dict *dict;
    kh_coder *coder;
    kh_events events;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    f->dict = test_dict(actors, agents, verbs);
    f->coder = kh_coder_new(f->dict);
    kh_events_init(&f->events);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    kh_events_free(&f->events);
    kh_coder_free(f->coder);
    kh_dict_free(f->dict);
    free(f);
    return 0;
}

/* Codes `text` and returns the events as "SRC/TGT/CODE;..." in order. */
static const char *code(fixture *f, const char *text, long date)
{
    static char buf[1024];
    kh_events_clear(&f->events);
    kh_code_sentence(f->coder, text, strlen(text), date, &f->events);
    buf[0] = 0;
    for (size_t i = 0; i < f->events.count; i++) {
        const kh_event *e = &f->events.items[i];
        char one[128];
        snprintf(one, sizeof one, "%s%s/%s/%s", i ? ";" : "", e->source, e->target, e->code);
        strcat(buf, one);
    }
    return buf;
}

static void test_simple_event(void **state)
{
    fixture *f = *state;
    assert_string_equal(code(f, "Arnor attacked Gondor on Tuesday.", 20200101), "ARN/GON/190");
}

static void test_pattern_beats_default(void **state)
{
    fixture *f = *state;
    assert_string_equal(code(f, "Arnor attacked Gondor with rockets.", 0), "ARN/GON/195");
}

static void test_agents_compose(void **state)
{
    fixture *f = *state;
    assert_string_equal(code(f, "The Arnor president criticized Gondor's defense minister.", 0),
                        "ARNGOV/GONMIL/111");
    assert_string_equal(code(f, "The president of Rohan criticized Gondor.", 0), "ROHGOV/GON/111");
}

static void test_passive_swaps_roles(void **state)
{
    fixture *f = *state;
    assert_string_equal(code(f, "Gondor was attacked by Arnor.", 0), "ARN/GON/190");
    fixture *g = *state;
    const kh_event *e = &g->events.items[0];
    assert_true(e->flags & KH_EVENT_PASSIVE);
}

static void test_compound_actors(void **state)
{
    fixture *f = *state;
    assert_string_equal(code(f, "Arnor, Rohan and Gondor attacked Mordor.", 0),
                        "ARN/MOR/190;ROH/MOR/190;GON/MOR/190");
    assert_string_equal(code(f, "Arnor and Gondor will meet next week.", 0),
                        "ARN/GON/031;GON/ARN/031");
}

static void test_paired_code(void **state)
{
    fixture *f = *state;
    assert_string_equal(code(f, "Arnor visited Gondor.", 0), "ARN/GON/042;GON/ARN/043");
}

static void test_designated_roles(void **state)
{
    fixture *f = *state;
    assert_string_equal(code(f, "Arnor condemned Gondor for the raid.", 0), "ARN/GON/112");
}

static void test_negation_flagged(void **state)
{
    fixture *f = *state;
    assert_string_equal(code(f, "Arnor did not attack Gondor.", 0), "ARN/GON/190");
    assert_true(f->events.items[0].flags & KH_EVENT_NEGATED);
    code(f, "Arnor refused to attack Gondor.", 0);
    assert_true(f->events.items[0].flags & KH_EVENT_NEGATED);
    code(f, "Arnor attacked Gondor.", 0);
    assert_false(f->events.items[0].flags & KH_EVENT_NEGATED);
}

static void test_dated_roles(void **state)
{
    fixture *f = *state;
    assert_string_equal(code(f, "Saruman attacked Rohan.", 19950101), "ISE/ROH/190");
    assert_string_equal(code(f, "Saruman attacked Rohan.", 20050101), "MOR/ROH/190");
}

static void test_clauses(void **state)
{
    fixture *f = *state;
    assert_string_equal(code(f, "Arnor attacked Gondor and criticized Rohan.", 0),
                        "ARN/GON/190;ARN/ROH/111");
}

/* A middle or final comma phrase of 2 to 8 words is not coded (the
 * default options): the words of a phrase are counted from the commas'
 * marks, so each bound is tried from both sides, a final phrase with and
 * without its stop, and a semicolon that ends a clause. */
static void test_comma_phrases_by_word_count(void **state)
{
    fixture *f = *state;
    static const struct { const char *text, *events; } cases[] = {
        {"Arnor attacked, near a b c d e Gondor, today.", ""},
        {"Arnor attacked, near a b c d e f Gondor, today.", ""},
        {"Arnor attacked, near a b c d e f g Gondor, today.", "ARN/GON/190"},
        {"Arnor attacked, near a b c d e f Gondor.", ""},
        {"Arnor attacked, near a b c d e f g Gondor.", "ARN/GON/190"},
        {"Arnor attacked, near a b c d e f Gondor", "ARN/GON/190"},
        {"Arnor attacked, Gondor, today.", "ARN/GON/190"},
        {"Arnor attacked Gondor; Rohan met Mordor.", "ARN/GON/190;ROH/MOR/031"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_string_equal(code(f, cases[i].text, 0), cases[i].events);
}

static void test_offsets_and_provenance(void **state)
{
    fixture *f = *state;
    const char *text = "Yesterday Arnor attacked Gondor with rockets.";
    code(f, text, 0);
    assert_int_equal(f->events.count, 1);
    const kh_event *e = &f->events.items[0];
    assert_memory_equal(text + e->source_span.start, "Arnor", 5);
    assert_memory_equal(text + e->verb_span.start, "attacked", 8);
    assert_memory_equal(text + e->target_span.start, "Gondor", 6);
    assert_string_equal(e->source_text, "Arnor");
    assert_string_equal(e->pattern, "* WITH ROCKETS");
    assert_string_equal(e->dict_file, "t.verbs");
    assert_int_equal(e->dict_line, 3);
}

static void test_noun_use_and_no_actor(void **state)
{
    fixture *f = *state;
    assert_string_equal(code(f, "The attack on Gondor was condemned.", 0), "");
    assert_string_equal(code(f, "Nobody attacked anybody.", 0), "");
}

/* A synset's alternatives are passed over when the clause lacks a word
 * they need (coder.c match_synset): the last, a two-word one, and one
 * whose second word is missing must still be told apart. */
static void test_synset_alternatives(void **state)
{
    (void)state;
    kh_dict *d = test_dict(actors, agents,
                           "&WEAPON\n+ROCKETS\n+MISSILES\n+HEAVY ARTILLERY\n+DRONES\n\n"
                           "--- ATTACK [190] ---\nATTACK\n- * WITH &WEAPON [195]\n");
    fixture f = {d, kh_coder_new(d), {0}};
    kh_events_init(&f.events);
    assert_string_equal(code(&f, "Arnor attacked Gondor with drones.", 0), "ARN/GON/195");
    assert_string_equal(code(&f, "Arnor attacked Gondor with heavy artillery.", 0),
                        "ARN/GON/195");
    assert_string_equal(code(&f, "Arnor attacked Gondor with artillery.", 0), "ARN/GON/190");
    assert_string_equal(code(&f, "Arnor attacked Gondor with tanks.", 0), "ARN/GON/190");
    /* the word is in the sentence, but not in the verb's clause */
    assert_string_equal(code(&f, "Arnor attacked Gondor; Rohan bought drones.", 0),
                        "ARN/GON/190");
    kh_events_free(&f.events);
    kh_coder_free(f.coder);
    kh_dict_free(d);
}

/* first_match tries a block's patterns from copies of what they need
 * (coder.c, pattern_try): the words each needs whole, wherever they
 * stand, even past the first few elements; "+++" skipped for the next
 * pattern; each pattern with its own elements. */
static void test_pattern_tries(void **state)
{
    (void)state;
    kh_dict *d = test_dict(actors, agents,
                           "--- ATTACK [190] ---\nATTACK\n"
                           "- * + NEAR THE OLD RIVER FORT TODAY [197]\n"
                           "- * + NEAR THE RIVER [196]\n"
                           "- * WITH ROCKETS [+++]\n"
                           "- * WITH [195]\n"
                           "--- MEET [031] ---\nMEET\n"
                           "- * + IN SECRET [032]\n");
    fixture f = {d, kh_coder_new(d), {0}};
    kh_events_init(&f.events);
    assert_string_equal(code(&f, "Arnor attacked Gondor near the old river fort today.", 0),
                        "ARN/GON/197");
    assert_string_equal(code(&f, "Arnor attacked Gondor near the old river fort.", 0),
                        "ARN/GON/196");
    assert_string_equal(code(&f, "Arnor attacked Gondor near the river.", 0), "ARN/GON/196");
    assert_string_equal(code(&f, "Arnor attacked Gondor near the fort today.", 0), "ARN/GON/190");
    assert_string_equal(code(&f, "Arnor attacked Gondor with rockets.", 0), "ARN/GON/195");
    assert_string_equal(code(&f, "Arnor attacked Gondor with tanks.", 0), "ARN/GON/195");
    assert_string_equal(code(&f, "Arnor met Gondor in secret.", 0), "ARN/GON/032");
    assert_string_equal(code(&f, "Arnor met Gondor in the river fort.", 0), "ARN/GON/031");
    kh_events_free(&f.events);
    kh_coder_free(f.coder);
    kh_dict_free(d);
}

/* The short words told by a test without a branch first (coder.c,
 * may_be_one_of): conditions make an event hypothetical, articles make
 * a verb a noun, and words of the same length and first letter do
 * neither. */
static void test_short_word_tests(void **state)
{
    fixture *f = *state;
    static const struct { const char *text; int hypothetical; } cases[] = {
        {"If Arnor attacked Gondor.", 1},
        {"Unless Arnor attacked Gondor.", 1},
        {"Whether Arnor attacked Gondor.", 1},
        {"It seems Arnor attacked Gondor.", 0},
        {"United Arnor attacked Gondor.", 0},
        {"Wearing armour Arnor attacked Gondor.", 0},
        {"Arnor attacked Gondor.", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_string_equal(code(f, cases[i].text, 0), "ARN/GON/190");
        assert_int_equal((f->events.items[0].flags & KH_EVENT_HYPOTHETICAL) != 0,
                         cases[i].hypothetical);
    }
    assert_string_equal(code(f, "Arnor saw the attack on Gondor.", 0), "");
    assert_string_equal(code(f, "Arnor saw an attack on Gondor.", 0), "");
    assert_string_equal(code(f, "Arnor saw a attack on Gondor.", 0), "");
    assert_string_equal(code(f, "Arnor too attacked Gondor.", 0), "ARN/GON/190");
    assert_string_equal(code(f, "Arnor as attacked Gondor.", 0), "ARN/GON/190");
}

static void test_explain_says_why(void **state)
{
    fixture *f = *state;
    char *buf = NULL;
    size_t len = 0;
    FILE *x = open_memstream(&buf, &len);
    kh_coder_set_explain(f->coder, x);
    code(f, "Arnor attacked Gondor on Tuesday.", 0);
    kh_coder_set_explain(f->coder, NULL);
    fclose(x);
    assert_non_null(strstr(buf, "actor 0-0 [ARN]"));
    assert_non_null(strstr(buf, "pattern \"* WITH ROCKETS\" [195] (t.verbs:3): a word it needs"));
    assert_non_null(strstr(buf, "no pattern matched; verb code [190] -> event"));
    free(buf);
}

static void test_hostile_input(void **state)
{
    fixture *f = *state;
    /* long, odd and invalid input codes without crashing */
    size_t n = 200000;
    char *big = malloc(n + 1);
    static const char junk[] = "Arnor attacked Gondor and, \xff\xfe\"'- ";
    for (size_t i = 0; i < n; i++)
        big[i] = junk[i % (sizeof junk - 1)];
    big[n] = 0;
    kh_events_clear(&f->events);
    assert_true(kh_code_sentence(f->coder, big, n, 0, &f->events) >= 0);
    free(big);
    assert_string_equal(code(f, "", 0), "");
    assert_string_equal(code(f, ",,,, and and ''' \"", 0), "");
}

/* TABARI's complexity filter: each option, and only it, keeps a
 * sentence from being coded (coder.c counts only what an option asks
 * for). */
static void test_complexity_options(void **state)
{
    fixture *f = *state;
    /* seven words ('S is no word), one conjunction that joins no
     * compound, one verb */
    static const char *const text = "Arnor's army attacked Gondor and Rohan's troops.";
    static const char *const events = "ARN/GONMIL/190;ARN/ROHMIL/190";
    kh_coder_options o;
    kh_coder_options_default(&o);
    assert_string_equal(code(f, text, 0), events);
    o.min_words = 8;
    kh_coder_set_options(f->coder, &o);
    assert_string_equal(code(f, text, 0), "");
    o.min_words = 7;
    kh_coder_set_options(f->coder, &o);
    assert_string_equal(code(f, text, 0), events);
    o.complex_verbs = 1;
    kh_coder_set_options(f->coder, &o);
    assert_string_equal(code(f, text, 0), "");
    o.complex_verbs = 2;
    o.no_actor_prior = 1;
    kh_coder_set_options(f->coder, &o);
    assert_string_equal(code(f, text, 0), events);
    static const char *const two_clauses = "Arnor attacked Gondor but Rohan met Mordor.";
    kh_coder_options_default(&o);
    kh_coder_set_options(f->coder, &o);
    const char *both = "ARN/GON/190;GON/MOR/031";
    assert_string_equal(code(f, two_clauses, 0), both);
    o.complex_conj = 1;
    kh_coder_set_options(f->coder, &o);
    assert_string_equal(code(f, two_clauses, 0), "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_simple_event, setup, teardown),
        cmocka_unit_test_setup_teardown(test_complexity_options, setup, teardown),
        cmocka_unit_test(test_synset_alternatives),
        cmocka_unit_test(test_pattern_tries),
        cmocka_unit_test_setup_teardown(test_pattern_beats_default, setup, teardown),
        cmocka_unit_test_setup_teardown(test_agents_compose, setup, teardown),
        cmocka_unit_test_setup_teardown(test_passive_swaps_roles, setup, teardown),
        cmocka_unit_test_setup_teardown(test_compound_actors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_paired_code, setup, teardown),
        cmocka_unit_test_setup_teardown(test_designated_roles, setup, teardown),
        cmocka_unit_test_setup_teardown(test_negation_flagged, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dated_roles, setup, teardown),
        cmocka_unit_test_setup_teardown(test_clauses, setup, teardown),
        cmocka_unit_test_setup_teardown(test_comma_phrases_by_word_count, setup, teardown),
        cmocka_unit_test_setup_teardown(test_offsets_and_provenance, setup, teardown),
        cmocka_unit_test_setup_teardown(test_noun_use_and_no_actor, setup, teardown),
        cmocka_unit_test_setup_teardown(test_explain_says_why, setup, teardown),
        cmocka_unit_test_setup_teardown(test_short_word_tests, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hostile_input, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
