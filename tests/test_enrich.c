/* test_enrich.c -- the enrich stage end to end: a small dictionary, real
 * sentences, and the date, place, quotation and modes of each event. */
#include "testutil.h"
#include "enrich.h"
#include <stdlib.h>
#include <string.h>

static const char actors[] =
    "SYRIA [SYR]\n+DAMASCUS\n"
    "TURKEY [TUR]\n+ANKARA\n"
    "IRAQ [IRQ]\n"
    "NATO [IGOWSTNAT]\n"
    "LIBYA [LBY]\n";
static const char agents[] = "MINISTER [~GOV]\nTROOPS [~MIL]\nFORCES [~MIL]\n";
static const char verbs[] =
    "--- ATTACK [190] ---\nATTACK\nSHELL\n"
    "--- CONDEMN [122] ---\nCONDEMN\n"
    "--- MEET [036] ---\nMEET\n- * WITH + [036]\n"
    "--- SANCTION [163] ---\nSANCTION\n- * (SANCTIONS ON) [163]\nIMPOSE\n"
    "--- SAY [010] ---\nSAY\n";

typedef struct fixture {
    kh_dict *dict;
    kh_coder *coder;
    kh_enricher *en;
    kh_events events;
    kh_doc doc;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    f->dict = test_dict(actors, agents, verbs);
    f->coder = kh_coder_new(f->dict);
    f->en = kh_enricher_new();
    kh_events_init(&f->events);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    kh_events_free(&f->events);
    kh_enricher_free(f->en);
    kh_coder_free(f->coder);
    kh_dict_free(f->dict);
    free(f->doc.text);
    free(f);
    return 0;
}

/* Codes `text` as a one-sentence document dated 2023-03-15 (a Wednesday). */
static kh_event *code(fixture *f, const char *text)
{
    free(f->doc.text);
    f->doc.text = strdup(text);
    f->doc.len = strlen(text);
    f->doc.date = 20230315;
    kh_events_clear(&f->events);
    kh_coder_begin_document(f->coder);
    kh_enrich_begin(f->en, &f->doc);
    kh_code_sentence(f->coder, f->doc.text, f->doc.len, f->doc.date, &f->events);
    kh_enrich_sentence(f->en, f->coder, &f->doc, 0, f->doc.len, &f->events, 0);
    return f->events.count ? &f->events.items[0] : NULL;
}

static void test_event_date_relative_and_explicit(void **state)
{
    fixture *f = *state;
    kh_event *e = code(f, "Turkey shelled Iraq on Monday, officials said.");
    assert_non_null(e);
    assert_int_equal(e->event_date, 20230313);
    assert_int_equal(e->date_source, KH_DATE_RELATIVE);
    e = code(f, "NATO attacked Libya on March 27, 2011.");
    assert_non_null(e);
    assert_int_equal(e->event_date, 20110327);
    assert_int_equal(e->date_source, KH_DATE_EXPLICIT);
    assert_true(e->flags & KH_EVENT_HISTORICAL);
    e = code(f, "Turkey condemned Syria.");
    assert_non_null(e);
    assert_int_equal(e->event_date, 20230315);
    assert_int_equal(e->date_source, KH_DATE_ARTICLE);
}

static void test_place_with_precision(void **state)
{
    fixture *f = *state;
    kh_event *e = code(f, "Turkish forces shelled villages near Zakho, Iraq, on Sunday.");
    assert_non_null(e);
    assert_non_null(e->place.name);
    assert_string_equal(e->place.country, "IRQ");
    assert_int_equal(e->place.precision, KH_PLACE_CITY);
    assert_true(e->place.lat > 36.5 && e->place.lat < 37.5);
    e = code(f, "Turkey condemned Syria.");
    assert_non_null(e);
    /* no place in the text: country level, and it says so */
    assert_int_equal(e->place.precision, KH_PLACE_COUNTRY);
}

static void test_quote_and_statement(void **state)
{
    fixture *f = *state;
    kh_event *e = code(f, "\"We will not accept this,\" the Syria minister said.");
    assert_non_null(e);
    assert_string_equal(e->code, "010");
    assert_string_equal(e->source, "SYRGOV");
    assert_non_null(e->quote);
    assert_string_equal(e->quote, "We will not accept this");
    assert_non_null(e->speaker);
}

static void test_modes(void **state)
{
    fixture *f = *state;
    kh_event *e = code(f, "Turkey could impose sanctions on Syria.");
    assert_non_null(e);
    assert_true(e->flags & KH_EVENT_HYPOTHETICAL);
    e = code(f, "Turkey will meet with Iraq next week.");
    assert_non_null(e);
    assert_true(e->flags & KH_EVENT_FUTURE);
    assert_false(e->flags & KH_EVENT_HYPOTHETICAL);
    e = code(f, "If NATO attacked Libya, Turkey would condemn it.");
    assert_non_null(e);
    assert_true(e->flags & KH_EVENT_HYPOTHETICAL);
    e = code(f, "Turkey did not attack Syria.");
    assert_non_null(e);
    assert_true(e->flags & KH_EVENT_NEGATED);
    e = code(f, "Turkey attacked Syria.");
    assert_non_null(e);
    assert_false(e->flags & (KH_EVENT_NEGATED | KH_EVENT_HYPOTHETICAL | KH_EVENT_FUTURE));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_event_date_relative_and_explicit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_place_with_precision, setup, teardown),
        cmocka_unit_test_setup_teardown(test_quote_and_statement, setup, teardown),
        cmocka_unit_test_setup_teardown(test_modes, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
