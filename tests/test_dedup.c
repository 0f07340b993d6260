/* test_dedup.c -- the duplicate stage (src/dedup.c): which reports merge,
 * when documents leave, in what order, in how much memory and work. */
#include "testutil.h"
#include "dedup.h"
#include "util.h"
#include "kh_limits.h"

#include <limits.h>
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
    e.mentions = 1;        /* as the coder gives it */
    return e;
}

static kh_doc doc_of(const char *id, const char *outlet, long date)
{
    kh_doc d;
    memset(&d, 0, sizeof d);
    d.id = (char *)id;
    d.source = (char *)outlet;
    d.text = (char *)id;
    d.len = strlen(id);
    d.date = date;
    return d;
}

/* What came out of the stage: one record per report, in output order. */
typedef struct rec {
    long seq;                  /* the document's */
    int sent, first;
    uint64_t merged;           /* merged event id */
    size_t mentions, sources, articles;   /* of first reports */
} rec;

typedef struct out {
    kh_dedup *d;
    rec *recs;
    size_t n, cap;
    long docs, last_seq;
    int in_order;
} out;

static int collect(void *ctx, const kh_dedup_doc *h)
{
    out *o = ctx;
    o->docs++;
    o->in_order &= h->seq > o->last_seq;
    o->last_seq = h->seq;
    for (size_t i = 0; i < h->count; i++)
        for (size_t k = 0; k < h->sentences[i].events.count; k++) {
            const kh_dedup_ref *r = &h->sentences[i].refs[k];
            if (o->n == o->cap) {
                o->cap = o->cap ? 2 * o->cap : 64;
                o->recs = realloc(o->recs, o->cap * sizeof *o->recs);
                assert_non_null(o->recs);
            }
            rec *x = &o->recs[o->n++];
            x->seq = h->seq;
            x->sent = h->sentences[i].sent_no;
            x->first = r->first;
            x->merged = r->merged->id;
            x->mentions = r->merged->mention_count;
            x->sources = r->merged->source_count;
            x->articles = r->merged->article_count;
            if (r->first)
                assert_int_equal(h->sentences[i].events.items[k].mentions,
                                 (int)r->merged->mention_count);
        }
    return 0;
}

static out start(int window, int merge)
{
    out o = {kh_dedup_new(window, merge), NULL, 0, 0, 0, 0, 1};
    return o;
}

/* A new document, after handing on what the previous one made final. */
static void doc(out *o, const kh_doc *d)
{
    kh_dedup_begin_doc(o->d, d);
    assert_int_equal(kh_dedup_release(o->d, 0, collect, o), 0);
}

static void add(out *o, int sent, long offset, const kh_event *e)
{
    kh_events one = {(kh_event *)e, 1, 1};
    kh_dedup_add_sentence(o->d, sent, "text", 4, offset, &one);
}

static long firsts(const out *o)
{
    long n = 0;
    for (size_t i = 0; i < o->n; i++)
        n += o->recs[i].first;
    return n;
}

static void finish(out *o)
{
    assert_int_equal(kh_dedup_release(o->d, 1, collect, o), 0);
    assert_true(o->in_order);
}

static void done(out *o)
{
    kh_dedup_free(o->d);
    free(o->recs);
}

/* A headline and its lede: one event, two mentions. */
static void test_same_story_twice(void **state)
{
    out o = start(KH_DEDUP_DEFAULT_WINDOW, 1);
    kh_doc d = doc_of("story-1", "AP", 20240310);
    kh_event e = report(20240310, KH_DATE_ARTICLE);
    doc(&o, &d);
    add(&o, 1, 0, &e);
    add(&o, 4, 200, &e);
    finish(&o);
    assert_int_equal(o.n, 2);
    assert_true(o.recs[0].first);
    assert_false(o.recs[1].first);
    assert_true(o.recs[0].merged == o.recs[1].merged);
    assert_true(o.recs[0].merged == kh_dedup_event_id("story-1", 1, &e));
    assert_int_equal(o.recs[0].mentions, 2);
    assert_int_equal(o.recs[0].articles, 1);
    done(&o);
}

/* "on Monday ... and again on Wednesday": two explicit dates, two events,
 * even in one story. */
static void test_same_story_two_dates(void **state)
{
    out o = start(KH_DEDUP_DEFAULT_WINDOW, 1);
    kh_doc d = doc_of("story-1", "AP", 20240310);
    kh_event mon = report(20240304, KH_DATE_RELATIVE);
    kh_event wed = report(20240306, KH_DATE_RELATIVE);
    doc(&o, &d);
    add(&o, 1, 0, &mon);
    add(&o, 2, 50, &wed);
    finish(&o);
    assert_int_equal(firsts(&o), 2);
    done(&o);
}

/* Two different quotations are two statements. */
static void test_different_quotes(void **state)
{
    out o = start(KH_DEDUP_DEFAULT_WINDOW, 1);
    kh_doc d = doc_of("story-1", "AP", 20240310);
    kh_event a = report(0, KH_DATE_ARTICLE), b = report(0, KH_DATE_ARTICLE);
    strcpy(a.code, "010");
    strcpy(b.code, "010");
    a.quote = "We will respond.";
    b.quote = "We do not seek war.";
    doc(&o, &d);
    add(&o, 2, 0, &a);
    add(&o, 3, 50, &b);
    add(&o, 4, 90, &b);  /* the same words again: a mention */
    finish(&o);
    assert_int_equal(firsts(&o), 2);
    done(&o);
}

/* Wire copies within the window are one event; nothing leaves until it is
 * final, and then in input order. */
static void test_three_stories_in_window(void **state)
{
    out o = start(3, 1);
    kh_doc docs[] = {doc_of("a", "AP", 20240310), doc_of("b", "Reuters", 20240311),
                     doc_of("c", "AFP", 20240313)};
    for (int i = 0; i < 3; i++) {
        kh_event e = report(docs[i].date, KH_DATE_ARTICLE);
        doc(&o, &docs[i]);
        add(&o, 1, 0, &e);
        assert_int_equal(o.docs, 0); /* nothing is final yet */
    }
    finish(&o);
    assert_int_equal(o.docs, 3);
    assert_int_equal(firsts(&o), 1);
    assert_int_equal(o.recs[0].mentions, 3);
    assert_int_equal(o.recs[0].sources, 3);
    assert_int_equal(o.recs[0].articles, 3);
    done(&o);
}

/* Sources are distinct outlets, a document without one its own source:
 * counted alike below and above FEW_MENTIONS (dedup.c), here 5 and 10. */
static void test_sources_counted(void **state)
{
    const char *ids[] = {"a", "b", "c", "d", "e"};
    const char *outlets[] = {"AP", "AP", NULL, NULL, "Reuters"};
    for (int copies = 1; copies <= 2; copies++) {
        out o = start(3, 1);
        for (int c = 0; c < copies; c++)
            for (int i = 0; i < 5; i++) {
                kh_doc d = doc_of(ids[i], outlets[i], 20240310);
                kh_event e = report(d.date, KH_DATE_ARTICLE);
                doc(&o, &d);
                add(&o, 1, 0, &e);
            }
        finish(&o);
        assert_int_equal(firsts(&o), 1);
        assert_int_equal(o.recs[0].mentions, 5 * copies);
        assert_int_equal(o.recs[0].sources, 4);   /* AP, c, d, Reuters */
        done(&o);
    }
}

static void test_outside_window(void **state)
{
    out o = start(3, 1);
    kh_doc a = doc_of("a", "AP", 20240310), b = doc_of("b", "AP", 20240314);
    kh_event ea = report(20240310, KH_DATE_ARTICLE), eb = report(20240314, KH_DATE_ARTICLE);
    doc(&o, &a);
    add(&o, 1, 0, &ea);
    doc(&o, &b);
    add(&o, 1, 0, &eb);      /* four days later: a new event */
    /* across a month boundary, 3 days is still within the window */
    kh_doc c = doc_of("c", "AP", 20240401), e = doc_of("e", "AP", 20240403);
    kh_event ec = report(20240330, KH_DATE_EXPLICIT), ee = report(20240402, KH_DATE_EXPLICIT);
    doc(&o, &c);
    add(&o, 1, 0, &ec);
    doc(&o, &e);
    add(&o, 1, 0, &ee);      /* merges with c's */
    finish(&o);
    assert_int_equal(firsts(&o), 3);
    assert_false(o.recs[3].first);
    done(&o);
}

static void test_different_place_or_actor(void **state)
{
    out o = start(3, 1);
    kh_doc a = doc_of("a", "AP", 20240310), b = doc_of("b", "AP", 20240310);
    kh_event ea = report(0, KH_DATE_NONE), eb = report(0, KH_DATE_NONE);
    eb.place.name = "Basra";
    kh_event ec = report(0, KH_DATE_NONE), ed = report(0, KH_DATE_NONE);
    ec.target = "GBRCVL";
    strcpy(ed.code, "180");
    doc(&o, &a);
    add(&o, 1, 0, &ea);
    doc(&o, &b);
    add(&o, 1, 0, &eb);
    add(&o, 2, 0, &ec);
    add(&o, 3, 0, &ed);
    finish(&o);
    assert_int_equal(firsts(&o), 4);
    done(&o);
}

/* GDELT's kidnapping: 366 reports over three days, 40 outlets. */
static void test_366_reports(void **state)
{
    out o = start(KH_DEDUP_DEFAULT_WINDOW, 1);
    char (*ids)[32] = calloc(366, sizeof *ids);
    char (*outlets)[32] = calloc(366, sizeof *outlets);
    kh_doc *docs = calloc(366, sizeof *docs);
    for (int i = 0; i < 366; i++) {
        snprintf(ids[i], sizeof ids[i], "article-%d", i);
        snprintf(outlets[i], sizeof outlets[i], "outlet-%d", i % 40);
        docs[i] = doc_of(ids[i], outlets[i], 20140414 + i / 122);
        kh_event e = report(20140414, i % 2 ? KH_DATE_EXPLICIT : KH_DATE_RELATIVE);
        doc(&o, &docs[i]);
        add(&o, 1 + i % 5, 0, &e);
    }
    assert_int_equal(o.docs, 0);
    finish(&o);
    assert_int_equal(firsts(&o), 1);
    assert_int_equal(o.recs[0].mentions, 366);
    assert_int_equal(o.recs[0].articles, 366);
    assert_int_equal(o.recs[0].sources, 40);
    done(&o);
    free(ids);
    free(outlets);
    free(docs);
}

static long next_day(long date)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    long y = date / 10000, m = date / 100 % 100, dd = date % 100 + 1;
    if (dd > mdays[m - 1]) { dd = 1; m++; }
    if (m > 12) { m = 1; y++; }
    return y * 10000 + m * 100 + dd;
}

/* Streaming: a year of daily events holds only about a window's worth of
 * documents, and they leave as their events become final. */
static void test_memory_bounded(void **state)
{
    out o = start(3, 1);
    char id[32];
    long date = 20230101;
    for (int day = 0; day < 365; day++, date = next_day(date))
        for (int k = 0; k < 20; k++) {
            snprintf(id, sizeof id, "d%d-%d", day, k);
            kh_doc d = doc_of(id, "wire", date);
            kh_event e = report(date, KH_DATE_ARTICLE);
            e.target = k % 2 ? "USACVL" : "GBRCVL"; /* two events a day */
            doc(&o, &d);
            add(&o, 1, 0, &e);
        }
    long before_end = o.docs;
    finish(&o);
    kh_dedup_stats st;
    kh_dedup_get_stats(o.d, &st);
    assert_int_equal(st.reports, 365 * 20);
    assert_int_equal(o.n, 365 * 20);
    assert_true(before_end > 360 * 20); /* they left while the year went on */
    /* anchored 3-day window: each key merges 4 days into one event */
    assert_int_equal(firsts(&o), st.events);
    assert_true(st.events >= 2 * 365 / 4 && st.events <= 2 * 365 / 4 + 2);
    assert_true(st.peak_held_docs <= 5 * 20 + 1);
    assert_true(st.peak_live <= 4);
    assert_int_equal(st.live, 0);
    assert_int_equal(st.held_docs, 0);
    assert_int_equal(st.late, 0);
    done(&o);
}

/* Out of date order, behind a document dated ahead of the rest (which
 * holds the queue for KH_DEDUP_WINDOW_DOCS documents): memory stays at
 * that window, output in input order, and the hash chain -- every report
 * has the same key -- is not rescanned: the work stays linear.  Before
 * closed events left the chain, each report compared itself with every
 * held one, about KH_DEDUP_WINDOW_DOCS times the reports. */
static void test_out_of_order_linear(void **state)
{
    enum { N = 20000 };
    out o = start(3, 1);
    char id[32];
    unsigned seed = 12345;
    kh_doc first = doc_of("ahead", "wire", 20081231);
    kh_event e = report(20081231, KH_DATE_ARTICLE);
    doc(&o, &first);
    add(&o, 1, 0, &e);
    for (int i = 1; i < N; i++) {
        seed = seed * 1103515245u + 12345u;
        long date = 20080000 + (long)(1 + (seed >> 8) % 12) * 100 + (long)(1 + (seed >> 20) % 28);
        snprintf(id, sizeof id, "doc-%d", i);
        kh_doc d = doc_of(id, "wire", date);
        kh_event r = report(date, KH_DATE_ARTICLE);
        doc(&o, &d);
        add(&o, 1, 0, &r);
    }
    finish(&o);
    kh_dedup_stats st;
    kh_dedup_get_stats(o.d, &st);
    assert_int_equal(o.n, N);
    assert_int_equal(o.docs, N);
    assert_true(st.peak_held_docs <= KH_DEDUP_WINDOW_DOCS + 1);
    assert_true(st.compared <= 4L * N);
    assert_true(st.late > N / 2);
    done(&o);
}

/* Undated reports merge within their document only, and leave once the
 * document has ended. */
static void test_undated(void **state)
{
    out o = start(3, 1);
    kh_doc a = doc_of("a", NULL, 0), b = doc_of("b", NULL, 0);
    kh_event e = report(0, KH_DATE_NONE);
    doc(&o, &a);
    add(&o, 1, 0, &e);
    add(&o, 2, 0, &e);
    assert_int_equal(o.docs, 0); /* document a may still go on */
    doc(&o, &b);
    add(&o, 1, 0, &e);
    assert_int_equal(o.docs, 1);
    assert_int_equal(o.recs[0].mentions, 2);
    finish(&o);
    assert_int_equal(firsts(&o), 2);
    done(&o);
}

/* --no-dedup: every report its own event, each document out when it ends. */
static void test_no_merge(void **state)
{
    out o = start(3, 0);
    kh_doc a = doc_of("a", "AP", 20240310), b = doc_of("b", "AP", 20240310);
    kh_event e = report(20240310, KH_DATE_ARTICLE);
    doc(&o, &a);
    add(&o, 1, 0, &e);
    add(&o, 2, 0, &e);
    doc(&o, &b);
    assert_int_equal(o.docs, 1);
    add(&o, 1, 0, &e);
    finish(&o);
    assert_int_equal(firsts(&o), 3);
    assert_true(o.recs[0].merged != o.recs[2].merged);
    done(&o);
}

/* What test_reuses_spares expects of document i. */
static size_t spare_test_sentences(long i) { return 1 + (size_t)(i % 4); }

/* Checks each handed-on document against what was added, as the writer
 * would see it, and marks its merged events as a writer does (`user`). */
static int check_reused(void *ctx, const kh_dedup_doc *h)
{
    long *seen = ctx, i = *seen;
    char id[32];
    snprintf(id, sizeof id, "d%ld", i);
    assert_string_equal(h->doc.id, id);
    assert_int_equal(h->doc.len, strlen(id));
    assert_memory_equal(h->doc.text, id, h->doc.len);
    if (i % 2)
        assert_null(h->doc.title);
    else
        assert_string_equal(h->doc.title, "a title");
    assert_int_equal(h->doc.meta_count, i % 3 == 0);
    if (h->doc.meta_count) {
        assert_string_equal(h->doc.meta[0].key, "k");
        assert_string_equal(h->doc.meta[0].value, id);
    }
    assert_int_equal(h->count, spare_test_sentences(i));
    for (size_t s = 0; s < h->count; s++) {
        const kh_dedup_sentence *sent = &h->sentences[s];
        assert_int_equal(sent->sent_no, (int)s + 1);
        assert_int_equal(sent->events.count, 1);
        const kh_dedup_event *ev = sent->refs[0].merged;
        assert_int_equal(sent->refs[0].first, s == 0);
        assert_int_equal(ev->mention_count, h->count);
        assert_int_equal(ev->article_count, 1);
        assert_int_equal(ev->source_count, 1);
        if (s == 0) {
            assert_int_equal(ev->user, 0);
            ((kh_dedup_event *)ev)->user = 42;
        }
    }
    ++*seen;
    return 0;
}

/* Handed-on documents and freed events are reused for the next ones:
 * each comes back as if new, whatever the one before held -- more
 * sentences, a title, meta, a writer's mark on its event. */
static void test_reuses_spares(void **state)
{
    kh_dedup *d = kh_dedup_new(0, 1);
    long seen = 0, date = 20240101;
    char id[32];
    for (long i = 0; i < 40; i++, date = next_day(date)) {
        snprintf(id, sizeof id, "d%ld", i);
        kh_doc doc = doc_of(id, "AP", date);
        kh_meta meta = {"k", id};
        if (i % 2 == 0)
            doc.title = "a title";
        if (i % 3 == 0) {
            doc.meta = &meta;
            doc.meta_count = 1;
        }
        kh_dedup_begin_doc(d, &doc);
        assert_int_equal(kh_dedup_release(d, 0, check_reused, &seen), 0);
        kh_event e = report(date, KH_DATE_ARTICLE);
        for (size_t s = 0; s < spare_test_sentences(i); s++) {
            kh_events one = {&e, 1, 1};
            kh_dedup_add_sentence(d, (int)s + 1, id, strlen(id), 0, &one);
        }
    }
    assert_true(seen > 30);  /* most left while the others came in */
    assert_int_equal(kh_dedup_release(d, 1, check_reused, &seen), 0);
    assert_int_equal(seen, 40);
    kh_dedup_stats st;
    kh_dedup_get_stats(d, &st);
    assert_int_equal(st.live, 0);
    kh_dedup_free(d);
}

/* The merged event owns copies: the caller's strings may go away. */
static void test_owns_copies(void **state)
{
    kh_dedup *d = kh_dedup_new(3, 1);
    char *id = strdup("a"), *src = strdup("IRQREB");
    kh_doc doc = doc_of(id, "AP", 20240310);
    kh_event e = report(20240310, KH_DATE_EXPLICIT);
    e.source = src;
    e.quote = "we did it";
    kh_dedup_begin_doc(d, &doc);
    kh_events one = {&e, 1, 1};
    kh_dedup_add_sentence(d, 1, "text", 4, 0, &one);
    free(src);
    free(id);
    kh_dedup_free(d); /* frees held documents and events too (asan checks) */
}

/* The stable id is the documented hash: FNV-1a 64 over the fields, each
 * ended by a NUL, top bit cleared -- computed here from that description. */
static uint64_t fnv(uint64_t h, const char *s)
{
    for (size_t i = 0; i <= strlen(s); i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    return h;
}

static void test_stable_id(void **state)
{
    kh_event e = report(0, KH_DATE_NONE);
    e.source_span = (kh_span){0, 6};
    e.target_span = (kh_span){-1, -1};
    const char *fields[] = {"story.txt", "3", "0", "6", "10", "19", "-1", "-1",
                            "181", "IRQREB", "USACVL"};
    uint64_t h = 14695981039346656037ULL;
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
        h = fnv(h, fields[i]);
    uint64_t id = kh_dedup_event_id("story.txt", 3, &e);
    assert_true(id == (h & 0x7fffffffffffffffULL));
    assert_true(id != kh_dedup_event_id("a/story.txt", 3, &e));
    assert_true(id != kh_dedup_event_id("story.txt", 4, &e));
    e.target = "USAGOV";
    assert_true(id != kh_dedup_event_id("story.txt", 3, &e));
    /* numbers of every length are hashed as "%ld" writes them */
    const long values[] = {0, 7, 9, 10, 99, 100, 101, 999, 1000, 12345, 100000, 9876543,
                           -5, -10, -100, LONG_MAX, LONG_MIN};
    for (size_t i = 0; i < sizeof values / sizeof *values; i++) {
        char num[32];
        snprintf(num, sizeof num, "%ld", values[i]);
        e.source_span = (kh_span){values[i], 6};
        const char *with[] = {"story.txt", "3", num, "6", "10", "19", "-1", "-1",
                              "181", "IRQREB", "USAGOV"};
        h = 14695981039346656037ULL;
        for (size_t k = 0; k < sizeof with / sizeof *with; k++)
            h = fnv(h, with[k]);
        assert_true(kh_dedup_event_id("story.txt", 3, &e) == (h & 0x7fffffffffffffffULL));
    }
}

/* FNV-1a as its authors publish it (the ids depend on it): their test
 * vectors, and every length against the byte-by-byte definition. */
static void test_fnv1a64(void **state)
{
    assert_true(kh_fnv1a64(KH_FNV64_OFFSET, "", 0) == 0xcbf29ce484222325ULL);
    assert_true(kh_fnv1a64(KH_FNV64_OFFSET, "a", 1) == 0xaf63dc4c8601ec8cULL);
    assert_true(kh_fnv1a64(KH_FNV64_OFFSET, "foobar", 6) == 0x85944171f73967e8ULL);
    const char text[] = "Kenya and Egypt held talks on the Nile.";
    for (size_t n = 0; n < sizeof text; n++) {
        uint64_t h = KH_FNV64_OFFSET;
        for (size_t i = 0; i < n; i++)
            h = (h ^ (unsigned char)text[i]) * KH_FNV64_PRIME;
        assert_true(kh_fnv1a64(KH_FNV64_OFFSET, text, n) == h);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_story_twice),
        cmocka_unit_test(test_same_story_two_dates),
        cmocka_unit_test(test_different_quotes),
        cmocka_unit_test(test_three_stories_in_window),
        cmocka_unit_test(test_sources_counted),
        cmocka_unit_test(test_outside_window),
        cmocka_unit_test(test_different_place_or_actor),
        cmocka_unit_test(test_366_reports),
        cmocka_unit_test(test_memory_bounded),
        cmocka_unit_test(test_out_of_order_linear),
        cmocka_unit_test(test_undated),
        cmocka_unit_test(test_no_merge),
        cmocka_unit_test(test_owns_copies),
        cmocka_unit_test(test_reuses_spares),
        cmocka_unit_test(test_stable_id),
        cmocka_unit_test(test_fnv1a64),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
