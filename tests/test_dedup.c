/* test_dedup.c -- merging repeated reports of one event (src/dedup.c). */
#include "testutil.h"
#include "dedup.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A report: IRQ kidnaps (181) a USA citizen, in Baghdad unless changed. */
static kh_event report(long event_date, int date_source)
{
    kh_event e;
    memset(&e, 0, sizeof e);
    e.source = "IRQREB";
    e.target = "USACVL";
    strcpy(e.code, "181");
    e.event_date = event_date;
    e.date_source = date_source;
    e.place.name = "Baghdad";
    strcpy(e.place.country, "IRQ");
    e.place.precision = KH_PLACE_CITY;
    e.verb_span = (kh_span){10, 19};
    return e;
}

static kh_doc doc_of(const char *id, const char *outlet, long date)
{
    kh_doc d;
    memset(&d, 0, sizeof d);
    d.id = (char *)id;
    d.source = (char *)outlet;
    d.text = (char *)id; /* a distinct text pointer per document */
    d.len = strlen(id);
    d.date = date;
    return d;
}

typedef struct collected {
    long events;
    long mentions;
    size_t max_mentions, max_sources, max_articles;
    long last_id;
    int in_order;
} collected;

static int collect(void *ctx, const kh_dedup_event *ev)
{
    collected *c = ctx;
    c->events++;
    c->mentions += (long)ev->mention_count;
    if (ev->mention_count > c->max_mentions) {
        c->max_mentions = ev->mention_count;
        c->max_sources = ev->source_count;
        c->max_articles = ev->article_count;
    }
    assert_int_equal(ev->event.mentions, (int)ev->mention_count);
    c->in_order &= ev->id > c->last_id;
    c->last_id = ev->id;
    return 0;
}

static collected flush_all(kh_dedup *d)
{
    collected c = {0, 0, 0, 0, 0, 0, 1};
    assert_int_equal(kh_dedup_flush(d, 1, collect, &c), 0);
    assert_true(c.in_order);
    return c;
}

static void test_same_story_twice(void **state)
{
    kh_dedup *d = kh_dedup_new(KH_DEDUP_DEFAULT_WINDOW);
    kh_doc doc = doc_of("story-1", "AP", 20240310);
    kh_event e = report(20240310, KH_DATE_ARTICLE);
    int is_new;
    long a = kh_dedup_add(d, &doc, 1, 0, &e, &is_new);
    assert_true(is_new);
    long b = kh_dedup_add(d, &doc, 4, 200, &e, &is_new);
    assert_false(is_new);
    assert_int_equal(a, b);
    kh_dedup_event *ev = kh_dedup_get(d, a);
    assert_non_null(ev);
    assert_int_equal(ev->mention_count, 2);
    assert_int_equal(ev->mentions[1].sent_no, 4);
    assert_int_equal(ev->mentions[1].sentence_offset, 200);
    assert_int_equal(ev->article_count, 1);
    collected c = flush_all(d);
    assert_int_equal(c.events, 1);
    assert_int_equal(c.mentions, 2);
    assert_null(kh_dedup_get(d, a));
    kh_dedup_free(d);
}

/* "on Monday ... and again on Wednesday": two explicit dates, two events,
 * even in one story. */
static void test_same_story_two_dates(void **state)
{
    kh_dedup *d = kh_dedup_new(KH_DEDUP_DEFAULT_WINDOW);
    kh_doc doc = doc_of("story-1", "AP", 20240310);
    kh_event mon = report(20240304, KH_DATE_RELATIVE);
    kh_event wed = report(20240306, KH_DATE_RELATIVE);
    int is_new;
    kh_dedup_add(d, &doc, 1, 0, &mon, &is_new);
    kh_dedup_add(d, &doc, 2, 50, &wed, &is_new);
    assert_true(is_new);
    assert_int_equal(flush_all(d).events, 2);
    kh_dedup_free(d);
}

static void test_three_stories_in_window(void **state)
{
    kh_dedup *d = kh_dedup_new(3);
    kh_doc docs[] = {doc_of("a", "AP", 20240310), doc_of("b", "Reuters", 20240311),
                     doc_of("c", "AFP", 20240313)};
    long id = 0;
    for (int i = 0; i < 3; i++) {
        kh_event e = report(docs[i].date, KH_DATE_ARTICLE);
        long got = kh_dedup_add(d, &docs[i], 1, 0, &e, NULL);
        if (i)
            assert_int_equal(got, id);
        id = got;
        kh_dedup_flush(d, 0, NULL, NULL); /* nothing is final yet */
    }
    collected c = flush_all(d);
    assert_int_equal(c.events, 1);
    assert_int_equal(c.max_mentions, 3);
    assert_int_equal(c.max_sources, 3);
    assert_int_equal(c.max_articles, 3);
    kh_dedup_free(d);
}

static void test_outside_window(void **state)
{
    kh_dedup *d = kh_dedup_new(3);
    kh_doc a = doc_of("a", "AP", 20240310), b = doc_of("b", "AP", 20240314);
    kh_event ea = report(20240310, KH_DATE_ARTICLE), eb = report(20240314, KH_DATE_ARTICLE);
    int is_new;
    kh_dedup_add(d, &a, 1, 0, &ea, &is_new);
    kh_dedup_add(d, &b, 1, 0, &eb, &is_new);
    assert_true(is_new); /* four days later: a new event */
    /* across a month boundary, 3 days is still within the window */
    kh_doc c = doc_of("c", "AP", 20240401), e = doc_of("e", "AP", 20240403);
    kh_event ec = report(20240330, KH_DATE_EXPLICIT), ee = report(20240402, KH_DATE_EXPLICIT);
    kh_dedup_add(d, &c, 1, 0, &ec, &is_new);
    assert_true(is_new);
    kh_dedup_add(d, &e, 1, 0, &ee, &is_new);
    assert_false(is_new);
    assert_int_equal(flush_all(d).events, 3);
    kh_dedup_free(d);
}

static void test_different_place_or_actor(void **state)
{
    kh_dedup *d = kh_dedup_new(3);
    kh_doc a = doc_of("a", "AP", 20240310), b = doc_of("b", "AP", 20240310);
    kh_event ea = report(0, KH_DATE_NONE), eb = report(0, KH_DATE_NONE);
    eb.place.name = "Basra";
    int is_new;
    kh_dedup_add(d, &a, 1, 0, &ea, &is_new);
    kh_dedup_add(d, &b, 1, 0, &eb, &is_new);
    assert_true(is_new);
    kh_event ec = report(0, KH_DATE_NONE);
    ec.target = "GBRCVL";
    kh_dedup_add(d, &b, 2, 0, &ec, &is_new);
    assert_true(is_new);
    kh_event ed = report(0, KH_DATE_NONE);
    strcpy(ed.code, "180");
    kh_dedup_add(d, &b, 3, 0, &ed, &is_new);
    assert_true(is_new);
    assert_int_equal(flush_all(d).events, 4);
    kh_dedup_free(d);
}

/* GDELT's kidnapping: 366 reports over three days, 40 outlets. */
static void test_366_reports(void **state)
{
    kh_dedup *d = kh_dedup_new(KH_DEDUP_DEFAULT_WINDOW);
    char id[32], outlet[32];
    collected c = {0, 0, 0, 0, 0, 0, 1};
    for (int i = 0; i < 366; i++) {
        snprintf(id, sizeof id, "article-%d", i);
        snprintf(outlet, sizeof outlet, "outlet-%d", i % 40);
        kh_doc doc = doc_of(id, outlet, 20140414 + i / 122);
        kh_event e = report(20140414, i % 2 ? KH_DATE_EXPLICIT : KH_DATE_RELATIVE);
        kh_dedup_add(d, &doc, 1 + i % 5, 0, &e, NULL);
        assert_int_equal(kh_dedup_flush(d, 0, collect, &c), 0);
    }
    assert_int_equal(c.events, 0);
    collected end = flush_all(d);
    assert_int_equal(end.events, 1);
    assert_int_equal(end.max_mentions, 366);
    assert_int_equal(end.max_articles, 366);
    assert_int_equal(end.max_sources, 40);
    kh_dedup_free(d);
}

/* Streaming: a year of daily events keeps only about a window's worth. */
static void test_memory_bounded(void **state)
{
    kh_dedup *d = kh_dedup_new(3);
    collected c = {0, 0, 0, 0, 0, 0, 1};
    char id[32];
    long date = 20230101;
    for (int day = 0; day < 365; day++) {
        for (int k = 0; k < 20; k++) {
            snprintf(id, sizeof id, "d%d-%d", day, k);
            kh_doc doc = doc_of(id, "wire", date);
            kh_event e = report(date, KH_DATE_ARTICLE);
            e.target = k % 2 ? "USACVL" : "GBRCVL"; /* two events a day */
            kh_dedup_add(d, &doc, 1, 0, &e, NULL);
            kh_dedup_flush(d, 0, collect, &c);
        }
        /* next day, YYYYMMDD */
        static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
        long y = date / 10000, m = date / 100 % 100, dd = date % 100 + 1;
        if (dd > mdays[m - 1]) { dd = 1; m++; }
        if (m > 12) { m = 1; y++; }
        date = y * 10000 + m * 100 + dd;
    }
    collected end = flush_all(d);
    kh_dedup_stats st;
    kh_dedup_get_stats(d, &st);
    assert_int_equal(st.reports, 365 * 20);
    /* anchored 3-day window: each key merges 4 days into one event */
    assert_int_equal(c.events + end.events, st.events);
    assert_int_equal(c.mentions + end.mentions, 365 * 20);
    assert_true(st.events >= 2 * 365 / 4 && st.events <= 2 * 365 / 4 + 2);
    assert_true(st.peak_live <= 4);
    assert_int_equal(st.live, 0);
    assert_int_equal(st.late, 0);
    kh_dedup_free(d);
}

/* Undated reports merge within their document only, and are released
 * once the next document starts. */
static void test_undated(void **state)
{
    kh_dedup *d = kh_dedup_new(3);
    kh_doc a = doc_of("a", NULL, 0), b = doc_of("b", NULL, 0);
    kh_event e = report(0, KH_DATE_NONE);
    int is_new;
    collected c = {0, 0, 0, 0, 0, 0, 1};
    kh_dedup_add(d, &a, 1, 0, &e, &is_new);
    kh_dedup_add(d, &a, 2, 0, &e, &is_new);
    assert_false(is_new);
    kh_dedup_flush(d, 0, collect, &c);
    assert_int_equal(c.events, 0); /* document a may still go on */
    kh_dedup_add(d, &b, 1, 0, &e, &is_new);
    assert_true(is_new);
    kh_dedup_flush(d, 0, collect, &c);
    assert_int_equal(c.events, 1);
    assert_int_equal(c.mentions, 2);
    assert_int_equal(flush_all(d).events, 1);
    kh_dedup_free(d);
}

/* The merged event owns copies: the caller's strings may go away. */
static void test_owns_copies(void **state)
{
    kh_dedup *d = kh_dedup_new(3);
    kh_doc doc = doc_of("a", "AP", 20240310);
    kh_event e = report(20240310, KH_DATE_EXPLICIT);
    char *src = strdup("IRQREB");
    e.source = src;
    e.quote = "we did it";
    long id = kh_dedup_add(d, &doc, 1, 0, &e, NULL);
    free(src);
    kh_dedup_event *ev = kh_dedup_get(d, id);
    assert_string_equal(ev->event.source, "IRQREB");
    assert_string_equal(ev->event.quote, "we did it");
    assert_string_equal(ev->mentions[0].outlet, "AP");
    assert_null(kh_dedup_get(d, id + 1));
    kh_dedup_free(d); /* frees live events too (asan checks) */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_story_twice),
        cmocka_unit_test(test_same_story_two_dates),
        cmocka_unit_test(test_three_stories_in_window),
        cmocka_unit_test(test_outside_window),
        cmocka_unit_test(test_different_place_or_actor),
        cmocka_unit_test(test_366_reports),
        cmocka_unit_test(test_memory_bounded),
        cmocka_unit_test(test_undated),
        cmocka_unit_test(test_owns_copies),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
