/* test_enrich.c -- the enrich stage end to end: a small dictionary, real
 * sentences, and the date, place, quotation and modes of each event. */
#include "testutil.h"
#include "coder.h"
#include "enrich.h"
#include "lexicon.h"
#include "kh_limits.h"
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
    kh_pipeline *pipeline;
    kh_coded_doc coded;
    kh_doc doc;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    f->dict = test_dict(actors, agents, verbs);
    kh_pipeline_options po;
    kh_pipeline_options_default(&po);
    po.keep_all = 1; /* the tests look at negated and hypothetical events */
    f->pipeline = kh_pipeline_new(f->dict, &po);
    kh_coded_doc_init(&f->coded);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    kh_coded_doc_free(&f->coded);
    kh_pipeline_free(f->pipeline);
    kh_dict_free(f->dict);
    kh_doc_clear(&f->doc);
    free(f);
    return 0;
}

/* Codes `text` as a one-sentence document dated 2023-03-15 (a Wednesday)
 * and returns its first event. */
static kh_event *code(fixture *f, const char *text)
{
    kh_doc_clear(&f->doc);
    f->doc.text = strdup(text);
    f->doc.len = strlen(text);
    f->doc.date = 20230315;
    f->doc.is_record = 1;
    kh_pipeline_code(f->pipeline, &f->doc, &f->coded);
    assert_int_equal(f->coded.count, 1);
    kh_events *events = &f->coded.items[0].events;
    return events->count ? &events->items[0] : NULL;
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
    /* no place in the text: none, and it says so, rather than the target's
     * country */
    assert_int_equal(e->place.precision, KH_PLACE_NONE);
    assert_null(e->place.name);
}

/* The precision of an event's date says how much of it the text gives. */
static void test_date_precision(void **state)
{
    fixture *f = *state;
    kh_event *e = code(f, "Turkey condemned Syria in 2015.");
    assert_non_null(e);
    assert_int_equal(e->event_date, 20150101);
    assert_int_equal(e->date_precision, KH_DATE_PRECISION_YEAR);
    e = code(f, "Turkey condemned Syria in December 2022.");
    assert_non_null(e);
    assert_int_equal(e->event_date, 20221201);
    assert_int_equal(e->date_precision, KH_DATE_PRECISION_MONTH);
    e = code(f, "Turkey condemned Syria on March 3.");
    assert_non_null(e);
    assert_int_equal(e->date_precision, KH_DATE_PRECISION_DAY);
    e = code(f, "Turkey condemned Syria.");
    assert_non_null(e);
    assert_int_equal(e->date_source, KH_DATE_ARTICLE);
    assert_int_equal(e->date_precision, KH_DATE_PRECISION_DAY);
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

/* A line that never ends a sentence is counted and not coded (coding it
 * costs its length times its events); one at the limit is coded. */
/* Enriches the sentence text[start, end) of `doc` after coding it, from
 * `tokens` (NULL: tokenized by the enricher). */
static void enrich_coded(kh_coder *coder, kh_enricher *en, const kh_doc *doc,
                         size_t start, size_t end, const kh_token_view *tokens,
                         kh_events *events)
{
    kh_events_clear(events);
    kh_code_sentence(coder, doc->text + start, end - start, doc->date, events);
    kh_enrich_begin(en, doc);
    kh_enrich_sentence(en, coder, tokens, doc, start, end, events, 0);
}

/* The enricher reads dates and places from the coder's tokens, handed
 * forward by kh_coder_token_view, and finds what it finds when it cuts
 * the sentence itself; a view of another sentence is not used.  The
 * statement's speaker is looked up (the coder tags it) after the tokens
 * were read, and the events after it still get their dates and places. */
static void test_enrich_from_coder_tokens(void **state)
{
    fixture *f = *state;
    const char *text = "Intro. Turkey shelled villages near Zakho, Iraq, on Sunday, "
                       "\"to stop them,\" the Syria minister said.";
    kh_doc doc = {.text = (char *)text, .len = strlen(text), .date = 20230315};
    size_t start = 7, end = strlen(text);
    kh_coder *coder = kh_coder_new(f->dict);
    kh_enricher *en = kh_enricher_new(NULL);
    kh_events from_view, cut_here, stale;
    kh_events_init(&from_view);
    kh_events_init(&cut_here);
    kh_events_init(&stale);

    kh_token_view view;
    kh_coder_token_view(coder, &view);
    assert_int_equal(view.count, 0);            /* nothing coded yet */
    kh_events_clear(&from_view);
    kh_code_sentence(coder, text + start, end - start, doc.date, &from_view);
    kh_coder_token_view(coder, &view);
    assert_ptr_equal(view.text, text + start);
    assert_int_equal(view.len, end - start);
    assert_true(view.count > 10);
    assert_string_equal(view.tokens[0].word, "TURKEY");
    assert_int_equal(view.tokens[0].start, 0);
    assert_string_equal(view.tokens[11].word, "TO");
    assert_int_equal(view.tokens[11].start, 54);  /* after the quotation mark */
    /* The tagger's lexicon words, which classify() hands forward instead
     * of looking each word up again, are each token's. */
    const kh_sentence *tagged = kh_coder_last_sentence(coder);
    assert_int_equal(tagged->lex.count, view.count);
    for (size_t i = 0; i < view.count; i++)
        assert_int_equal(tagged->lex.items[i], kh_lex_of_token(&view.tokens[i]));
    kh_enrich_begin(en, &doc);
    kh_enrich_sentence(en, coder, &view, &doc, start, end, &from_view, 0);

    enrich_coded(coder, en, &doc, start, end, NULL, &cut_here);
    kh_token_view other;
    kh_code_sentence(coder, "Turkey condemned Syria.", 23, doc.date, &stale);
    kh_coder_token_view(coder, &other);
    kh_events_clear(&stale);
    kh_code_sentence(coder, text + start, end - start, doc.date, &stale);
    kh_enrich_begin(en, &doc);
    kh_enrich_sentence(en, coder, &other, &doc, start, end, &stale, 0);

    assert_true(from_view.count >= 2);          /* the shelling and the statement */
    assert_int_equal(from_view.count, cut_here.count);
    assert_int_equal(from_view.count, stale.count);
    int shelled = 0;
    for (size_t i = 0; i < from_view.count; i++) {
        const kh_event *a = &from_view.items[i], *b = &cut_here.items[i], *c = &stale.items[i];
        assert_string_equal(a->code, b->code);
        assert_int_equal(a->event_date, b->event_date);
        assert_int_equal(a->event_date, c->event_date);
        assert_int_equal(a->place.precision, b->place.precision);
        assert_int_equal(a->place.precision, c->place.precision);
        assert_int_equal(a->place.span.start, b->place.span.start);
        if (strcmp(a->code, "190") == 0) {
            shelled = 1;
            assert_int_equal(a->event_date, 20230312);      /* on Sunday */
            assert_string_equal(a->place.country, "IRQ");   /* near Zakho */
        }
    }
    assert_true(shelled);
    kh_events_free(&from_view);
    kh_events_free(&cut_here);
    kh_events_free(&stale);
    kh_enricher_free(en);
    kh_coder_free(coder);
}

static void test_sentence_too_long(void **state)
{
    fixture *f = *state;
    static const char words[] = "Turkey shelled Iraq and the police said ";
    size_t n = strlen(words), len = 1700000;
    for (int round = 0; round < 2; round++) {
        kh_doc_clear(&f->doc);
        f->doc.text = malloc(len + 1);
        for (size_t i = 0; i < len; i++)
            f->doc.text[i] = words[i % n];
        f->doc.text[len] = 0;
        f->doc.len = len;
        f->doc.date = 20230315;
        kh_pipeline_code(f->pipeline, &f->doc, &f->coded);
        assert_int_equal(f->coded.count, 1);
        assert_int_equal(f->coded.too_long, round == 0);
        assert_int_equal(f->coded.events == 0, round == 0);
        len = KH_MAX_SENTENCE_BYTES - 1;    /* the second round: at the limit */
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_event_date_relative_and_explicit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_date_precision, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sentence_too_long, setup, teardown),
        cmocka_unit_test_setup_teardown(test_place_with_precision, setup, teardown),
        cmocka_unit_test_setup_teardown(test_quote_and_statement, setup, teardown),
        cmocka_unit_test_setup_teardown(test_modes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_enrich_from_coder_tokens, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
