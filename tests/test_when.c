/* test_when.c -- date expressions and the date an event happened. */
#include "testutil.h"
#include "lexicon.h"
#include "when.h"

#include <stdlib.h>
#include <string.h>

/* 2023-03-15 is a Wednesday. */
#define ARTICLE 20230315L

typedef struct expr_case {
    const char *text;
    long date;           /* 0: no expression expected */
    int source;
    int length;          /* bytes the expression covers; 0: whole text */
} expr_case;

static void check_exprs(const expr_case *cases, size_t n, long article)
{
    for (size_t i = 0; i < n; i++) {
        long date = -1;
        int source = -1;
        int got = kh_date_expression(cases[i].text, strlen(cases[i].text), article,
                                     &date, &source);
        if (cases[i].date == 0) {
            if (got != 0)
                fail_msg("\"%s\": expected no date, got %ld (%d bytes)", cases[i].text,
                         date, got);
            continue;
        }
        int want_len = cases[i].length ? cases[i].length : (int)strlen(cases[i].text);
        if (got != want_len || date != cases[i].date || source != cases[i].source)
            fail_msg("\"%s\": expected %ld/%d/%d bytes, got %ld/%d/%d bytes",
                     cases[i].text, cases[i].date, cases[i].source, want_len, date,
                     source, got);
    }
}

static void test_relative_expressions(void **state)
{
    static const expr_case cases[] = {
        {"on Tuesday", 20230314, KH_DATE_RELATIVE, 0},
        {"on Wednesday", 20230315, KH_DATE_RELATIVE, 0},   /* the article's weekday */
        {"on Thursday", 20230309, KH_DATE_RELATIVE, 0},
        {"on Sunday night", 20230312, KH_DATE_RELATIVE, 0},
        {"Tuesday's attack", 20230314, KH_DATE_RELATIVE, 9},
        {"Tuesday\xE2\x80\x99s attack", 20230314, KH_DATE_RELATIVE, 11},
        {"last Wednesday", 20230308, KH_DATE_RELATIVE, 0},
        {"last week", 20230308, KH_DATE_RELATIVE, 0},
        {"yesterday", 20230314, KH_DATE_RELATIVE, 0},
        {"Today", 20230315, KH_DATE_RELATIVE, 0},
        {"last night", 20230314, KH_DATE_RELATIVE, 0},
        {"earlier this month", 20230301, KH_DATE_RELATIVE, 0},
        {"earlier this year", 20230101, KH_DATE_RELATIVE, 0},
        {"last month", 20230201, KH_DATE_RELATIVE, 0},
        {"last year", 20220101, KH_DATE_RELATIVE, 0},
        {"three days ago", 20230312, KH_DATE_RELATIVE, 0},
        {"2 weeks ago", 20230301, KH_DATE_RELATIVE, 0},
        {"a year ago", 20220315, KH_DATE_RELATIVE, 0},
        {"over the weekend", 20230311, KH_DATE_RELATIVE, 0},
        {"ON TUESDAY", 20230314, KH_DATE_RELATIVE, 0},
        {"Sat. morning", 20230311, KH_DATE_RELATIVE, 0},
    };
    check_exprs(cases, sizeof cases / sizeof cases[0], ARTICLE);
}

static void test_explicit_expressions(void **state)
{
    static const expr_case cases[] = {
        {"on March 29", 20220329, KH_DATE_EXPLICIT, 0},   /* 14 days ahead: last year */
        {"March 10", 20230310, KH_DATE_EXPLICIT, 0},
        {"on March 20", 20230320, KH_DATE_EXPLICIT, 0},   /* within the slack */
        {"in December 2017", 20171201, KH_DATE_EXPLICIT, 0},
        {"in December", 20221201, KH_DATE_EXPLICIT, 0},
        {"on March 27, 2011", 20110327, KH_DATE_EXPLICIT, 0},
        {"27 March 2011", 20110327, KH_DATE_EXPLICIT, 0},
        {"the 27th of March", 0, 0, 0},
        {"27th of March, 2011", 20110327, KH_DATE_EXPLICIT, 0},
        {"2011-03-27", 20110327, KH_DATE_EXPLICIT, 0},
        {"since September 2015", 20150901, KH_DATE_EXPLICIT, 0},
        {"in 2011", 20110101, KH_DATE_EXPLICIT, 0},
        {"mid-2014", 20140101, KH_DATE_EXPLICIT, 0},
        {"Jan. 5", 20230105, KH_DATE_EXPLICIT, 0},
        {"Sept. 11, 2001", 20010911, KH_DATE_EXPLICIT, 0},
        {"sept 11 2001", 20010911, KH_DATE_EXPLICIT, 0},
        {"on Tuesday, March 14, 2023", 20230314, KH_DATE_EXPLICIT, 0},
        {"Feb. 29, 2020", 20200229, KH_DATE_EXPLICIT, 0},
        {"May 5", 20230505 - 10000, KH_DATE_EXPLICIT, 0},
    };
    check_exprs(cases, sizeof cases / sizeof cases[0], ARTICLE);
}

static void test_not_dates(void **state)
{
    static const expr_case cases[] = {
        {"5 years", 0, 0, 0},
        {"2,000 troops", 0, 0, 0},
        {"at 10:30", 0, 0, 0},
        {"2011 troops", 0, 0, 0},       /* a bare year needs a preposition */
        {"a force of 2000", 0, 0, 0},
        {"in 2,011 cases", 0, 0, 0},
        {"may 5", 0, 0, 0},             /* the modal verb */
        {"march 5 miles", 0, 0, 0},
        {"December", 0, 0, 0},          /* a bare month needs a preposition */
        {"February 29", 0, 0, 0},       /* not in 2023 */
        {"2011-02-30", 0, 0, 0},
        {"in 3000", 0, 0, 0},
        {"the sun.", 0, 0, 0},
        {"", 0, 0, 0},
        {"Mondays", 0, 0, 0},
    };
    check_exprs(cases, sizeof cases / sizeof cases[0], ARTICLE);
}

static void test_without_article_date(void **state)
{
    long date = 0;
    int source = 0;
    assert_int_equal(kh_date_expression("on Tuesday", 10, 0, &date, &source), 0);
    assert_int_equal(kh_date_expression("yesterday", 9, 0, &date, &source), 0);
    assert_int_equal(kh_date_expression("on March 29", 11, 0, &date, &source), 0);
    assert_int_equal(kh_date_expression("on March 27, 2011", 17, 0, &date, &source), 17);
    assert_int_equal(date, 20110327);
    /* A broken article date is treated as unknown, not trusted. */
    assert_int_equal(kh_date_expression("yesterday", 9, 20231341, &date, &source), 0);
}

/* ---------------------------------------------------------------------
 * kh_when_resolve on whole sentences
 * --------------------------------------------------------------------- */

typedef struct sent_case {
    const char *sentence;
    const char *verb;     /* the verb's first occurrence; NULL: no verb span */
    long date;
    int source;
    int historical;
} sent_case;

static void check_sentence(const sent_case *c, long article)
{
    kh_event e;
    memset(&e, 0, sizeof e);
    e.verb_span.start = e.verb_span.end = -1;
    if (c->verb) {
        const char *v = strstr(c->sentence, c->verb);
        assert_non_null(v);
        e.verb_span.start = v - c->sentence;
        e.verb_span.end = e.verb_span.start + (long)strlen(c->verb);
    }
    e.flags = KH_EVENT_NEGATED;
    kh_when_resolve(c->sentence, strlen(c->sentence), article, &e);
    if (e.event_date != c->date || e.date_source != c->source ||
        !!(e.flags & KH_EVENT_HISTORICAL) != c->historical)
        fail_msg("\"%s\" [%s]: expected %ld/%d/%d, got %ld/%d/%d", c->sentence,
                 c->verb ? c->verb : "-", c->date, c->source, c->historical,
                 e.event_date, e.date_source, !!(e.flags & KH_EVENT_HISTORICAL));
    assert_true(e.flags & KH_EVENT_NEGATED); /* other flags are kept */
}

static void test_sentences(void **state)
{
    static const sent_case cases[] = {
        {"Israeli troops attacked the town on Tuesday.", "attacked",
         20230314, KH_DATE_RELATIVE, 0},
        {"On Sunday night, rebels shelled the city.", "shelled",
         20230312, KH_DATE_RELATIVE, 0},
        {"Tuesday's attack killed 5 people in the capital.", "killed",
         20230314, KH_DATE_RELATIVE, 0},
        {"The minister said Tuesday that the army had captured the town in 2011.",
         "said", 20230314, KH_DATE_RELATIVE, 0},
        {"The minister said Tuesday that the army had captured the town in 2011.",
         "captured", 20110101, KH_DATE_EXPLICIT, 1},
        {"Protesters marched in the capital after the U.S. invaded in 2003.",
         "marched", ARTICLE, KH_DATE_ARTICLE, 0},
        {"Protesters marched in the capital after the U.S. invaded in 2003.",
         "invaded", 20030101, KH_DATE_EXPLICIT, 1},
        {"Police arrested 2,000 protesters at 10:30 in 5 cities.", "arrested",
         ARTICLE, KH_DATE_ARTICLE, 0},
        {"Russia has bombed the region since September 2015.", "bombed",
         20150901, KH_DATE_EXPLICIT, 0},
        {"Rebels seized the town in December 2017.", "seized",
         20171201, KH_DATE_EXPLICIT, 1},
        {"The president visited Paris last month.", "visited",
         20230201, KH_DATE_RELATIVE, 0},
        {"The two governments signed the accord last year.", "signed",
         20220101, KH_DATE_RELATIVE, 1},
        {"Talks resumed in Geneva on March 29.", "resumed",
         20220329, KH_DATE_EXPLICIT, 1},
        {"On Monday the army said it had struck the base on Sunday.", "struck",
         20230312, KH_DATE_RELATIVE, 0},
        {"Earlier this month, Iran accused Israel of sabotage.", "accused",
         20230301, KH_DATE_RELATIVE, 0},
        {"Demonstrators gathered yesterday; the police dispersed them on Monday.",
         "gathered", 20230314, KH_DATE_RELATIVE, 0},
        {"Demonstrators gathered yesterday; the police dispersed them on Monday.",
         "dispersed", 20230313, KH_DATE_RELATIVE, 0},
        {"\"We were attacked on Friday,\" the mayor said on Saturday.", "said",
         20230311, KH_DATE_RELATIVE, 0},
        {"\"We were attacked on Friday,\" the mayor said on Saturday.", "attacked",
         20230310, KH_DATE_RELATIVE, 0},
        {"The court convicted him on March 27, 2011, the agency reported.",
         "convicted", 20110327, KH_DATE_EXPLICIT, 1},
        {"Troops withdrew before March 2011 from the area.", "withdrew",
         20110301, KH_DATE_EXPLICIT, 1},
        {"Rebels shelled the airport, the ministry said.", "shelled",
         ARTICLE, KH_DATE_ARTICLE, 0},
        {"Israeli jets struck targets near Damascus on Tuesday, Syrian state media "
         "said, the third such raid since January.", "struck", 20230314, KH_DATE_RELATIVE, 0},
        {"Israel has carried out hundreds of strikes in Syria since the civil war "
         "began in 2011, according to a U.N. report.", "carried", ARTICLE, KH_DATE_ARTICLE, 0},
        {"Israel has carried out hundreds of strikes in Syria since the civil war "
         "began in 2011, according to a U.N. report.", "began", 20110101, KH_DATE_EXPLICIT, 1},
        /* 42 days before the article: past the historical threshold */
        {"A ceasefire was agreed on 2023-02-01.", NULL, 20230201, KH_DATE_EXPLICIT, 1},
        {"A ceasefire was agreed on 2023-03-01.", NULL, 20230301, KH_DATE_EXPLICIT, 0},
        {"Fighting resumed in 1990-2000 terms.", "resumed", ARTICLE, KH_DATE_ARTICLE, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        check_sentence(&cases[i], ARTICLE);
}

static void test_future_events(void **state)
{
    const char *s = "The envoys will meet on Friday and sign the deal on March 1.";
    kh_event e;
    memset(&e, 0, sizeof e);
    e.flags = KH_EVENT_FUTURE;
    e.verb_span.start = strstr(s, "meet") - s;
    e.verb_span.end = e.verb_span.start + 4;
    kh_when_resolve(s, strlen(s), ARTICLE, &e);
    assert_int_equal(e.event_date, 20230317);   /* the coming Friday */
    e.verb_span.start = strstr(s, "sign") - s;
    e.verb_span.end = e.verb_span.start + 4;
    kh_when_resolve(s, strlen(s), ARTICLE, &e);
    assert_int_equal(e.event_date, 20240301);   /* the next March 1 */
    assert_false(e.flags & KH_EVENT_HISTORICAL);
    e.flags = 0;                                /* the same words, past tense */
    kh_when_resolve(s, strlen(s), ARTICLE, &e);
    assert_int_equal(e.event_date, 20230301);
}

/* A weekday that dates the past report of a future event is the report's:
 * the Friday before the article, not after it.  A weekday attached to the
 * future verb itself still looks ahead. */
static void test_weekday_of_a_report(void **state)
{
    const char *s = "Russia will attack Ukraine, the Kremlin said on Friday.";
    kh_event e;
    memset(&e, 0, sizeof e);
    e.flags = KH_EVENT_FUTURE;
    e.verb_span.start = strstr(s, "attack") - s;
    e.verb_span.end = e.verb_span.start + 6;
    kh_when_resolve(s, strlen(s), ARTICLE, &e);
    assert_int_equal(e.event_date, 20230310);   /* the Friday before */
    assert_int_equal(e.date_precision, KH_DATE_PRECISION_DAY);
    s = "Iran will free the prisoners, its foreign minister told reporters on Sunday.";
    e.verb_span.start = strstr(s, "free") - s;
    e.verb_span.end = e.verb_span.start + 4;
    kh_when_resolve(s, strlen(s), ARTICLE, &e);
    assert_int_equal(e.event_date, 20230312);
    s = "Russia will attack Ukraine on Friday, the Kremlin said.";
    e.verb_span.start = strstr(s, "attack") - s;
    e.verb_span.end = e.verb_span.start + 6;
    kh_when_resolve(s, strlen(s), ARTICLE, &e);
    assert_int_equal(e.event_date, 20230317);   /* the coming Friday */
}

/* One sentence, many events: kh_when_sentence once, then each event by
 * its own verb and tense, as the enricher does -- the same dates as
 * kh_when_resolve per event, and the sentence reused for the next one. */
static void test_one_scan_many_events(void **state)
{
    const char *s = "The envoys will meet on Friday and sign the deal on March 1.";
    const char *verbs[] = {"meet", "sign"};
    kh_when *w = kh_when_new();
    kh_lex_sentence ls;
    kh_lex_sentence_init(&ls);
    for (int round = 0; round < 2; round++) {
        kh_lex_sentence_tokenize(&ls, s, strlen(s));
        kh_when_sentence(w, &ls, ARTICLE);
        for (int future = 0; future < 2; future++)
            for (int v = 0; v < 2; v++) {
                kh_event a, b;
                memset(&a, 0, sizeof a);
                a.flags = future ? KH_EVENT_FUTURE : 0;
                a.verb_span.start = strstr(s, verbs[v]) - s;
                a.verb_span.end = a.verb_span.start + 4;
                b = a;
                kh_when_event(w, &a);
                kh_when_resolve(s, strlen(s), ARTICLE, &b);
                assert_int_equal(a.event_date, b.event_date);
                assert_int_equal(a.date_source, b.date_source);
                assert_int_equal(a.flags, b.flags);
            }
    }
    const char *t = "Rebels shelled the airport yesterday.";
    kh_lex_sentence_tokenize(&ls, t, strlen(t));
    kh_when_sentence(w, &ls, ARTICLE);
    kh_lex_sentence_free(&ls);   /* kh_when_sentence kept what it needs */
    kh_event e;
    memset(&e, 0, sizeof e);
    e.verb_span.start = e.verb_span.end = -1;
    kh_when_event(w, &e);
    assert_int_equal(e.event_date, 20230314);
    kh_when_free(w);
}

/* Sentences whose marks and spellings the coder's tokens leave out or
 * join: "$5", "5%", "2,000", "10:30", "3.5", "Sept.", "U.S.", "won't",
 * curly quotes, "Tuesday’s", "2011-03-27", "mid-2014", "4x4", "€5", "…". */
static const char *const marked_sentences[] = {
    "Rebels shelled Aleppo on Tuesday, March 14, 2023, and fled.",
    "Troops won't leave until Sept. 5, the U.S. envoy said on Friday.",
    "He paid $5 on 5% of the 2,000 homes at 10:30 on 3.5 acres in 2011.",
    "The 29th of March meeting was held 2011-03-27 and again on 1990-2000.",
    ("\xE2\x80\x9CWe won\xE2\x80\x99t go,\xE2\x80\x9D he said; Tuesday\xE2\x80\x99s talks in "
     "Montr\u00E9al\xE2\x80\xA6 ended last week."),
    "Talks \xE2\x80\x94 on 4x4 trucks \xE2\x80\x94 begin next Monday, not in mid-2014.",
    "Forces didn't attack on Sunday night (the army's units came since May).",
    "On Jan. 3 the suburb was hit; \u20AC5 aid came 2 days ago, on 12 March.",
    "Officials said Wed. that on Sat. the \"truce\" of May 5th, 2022 ended.",
    /* a word glued to a symbol or an ellipsis is no date word ("€5"
     * is not the 5th), a digit-letter-digit word is two ("4x4") */
    "They paid on \u20AC5 March and met on Tuesday\xE2\x80\xA6 or on 4x4 May 2021.",
};

/* The coder's tokens give the dates the text read whole gives: a
 * sentence without tokens (count 0) is read by the mark scanner alone,
 * as this module read every sentence before it took the coder's. */
static void test_coder_tokens_same_dates(void **state)
{
    kh_when *with = kh_when_new(), *without = kh_when_new();
    kh_lex_sentence ls;
    kh_lex_sentence_init(&ls);
    for (size_t i = 0; i < sizeof marked_sentences / sizeof *marked_sentences; i++) {
        const char *s = marked_sentences[i];
        kh_lex_sentence_tokenize(&ls, s, strlen(s));
        kh_lex_sentence bare = {.text = s, .len = strlen(s)};
        kh_when_sentence(with, &ls, ARTICLE);
        kh_when_sentence(without, &bare, ARTICLE);
        int dated = 0;
        for (size_t k = 0; k < ls.count; k++)      /* each word as the verb */
            for (int future = 0; future < 2; future++) {
                kh_event a;
                memset(&a, 0, sizeof a);
                a.flags = future ? KH_EVENT_FUTURE : 0;
                a.verb_span.start = ls.tokens[k].start;
                a.verb_span.end = ls.tokens[k].end;
                kh_event b = a;
                kh_when_event(with, &a);
                kh_when_event(without, &b);
                if (a.event_date != b.event_date || a.flags != b.flags)
                    print_error("%s: verb %s: %ld, want %ld\n", s, ls.tokens[k].word,
                                a.event_date, b.event_date);
                assert_int_equal(a.event_date, b.event_date);
                assert_int_equal(a.date_source, b.date_source);
                assert_int_equal(a.date_precision, b.date_precision);
                assert_int_equal(a.flags, b.flags);
                dated += a.date_source != KH_DATE_ARTICLE;
            }
        assert_true(dated > 0);   /* every sentence has a date to find */
    }
    kh_lex_sentence_free(&ls);
    kh_when_free(with);
    kh_when_free(without);
}

/* A text that ends with a plain word is not read past its end (the
 * buffer has no NUL; the sanitizer build would report the byte after). */
static void test_text_end_is_the_end(void **state)
{
    const char word[] = "on Tuesday";
    char *buf = malloc(sizeof word - 1);
    assert_non_null(buf);
    memcpy(buf, word, sizeof word - 1);
    long date = 0;
    int source = 0;
    assert_int_equal(kh_date_expression(buf, sizeof word - 1, ARTICLE, &date, &source),
                     (int)sizeof word - 1);
    assert_int_equal(date, 20230314);
    free(buf);
}

static void test_no_article_date(void **state)
{
    sent_case none = {"Rebels shelled the airport on Tuesday.", "shelled", 0,
                      KH_DATE_NONE, 0};
    check_sentence(&none, 0);
    sent_case explicit = {"Rebels shelled the airport on March 27, 2011.", "shelled",
                          20110327, KH_DATE_EXPLICIT, 0};
    check_sentence(&explicit, 0);  /* no anchor: no historical judgement */
}

/* Many dates and a long sentence: every match is found once, and the
 * cost stays linear (a quadratic scan would take seconds here). */
static void test_long_sentence(void **state)
{
    const char *piece = "troops attacked on Tuesday and 2,000 fled at 10:30, ";
    size_t plen = strlen(piece), reps = 20000;
    char *s = malloc(plen * reps + 32);
    assert_non_null(s);
    for (size_t i = 0; i < reps; i++) memcpy(s + i * plen, piece, plen);
    strcpy(s + plen * reps, "rebels fled in 2011.");
    kh_event e;
    memset(&e, 0, sizeof e);
    const char *v = strstr(s + plen * reps, "fled");
    e.verb_span.start = v - s;
    e.verb_span.end = e.verb_span.start + 4;
    kh_when_resolve(s, strlen(s), ARTICLE, &e);
    assert_int_equal(e.event_date, 20110101);
    assert_true(e.flags & KH_EVENT_HISTORICAL);
    free(s);
}

/* A sentence's search for dates skips the words no form starts with:
 * for every lexicon word W, in lower case and capitalised, and words that
 * are no date by themselves after it, the sentence "W ..." is dated by the
 * expression at W exactly when the matcher alone finds one there. */
static void test_skipped_words_start_no_date(void **state)
{
    static const char *const after[] = {
        "week", "weekend", "night", "the weekend", "days ago", "2011", "May", "May 5",
        "month", "morning", "- 2014", "5", "the 5th of May", "Tuesday"
    };
    char text[64];
    for (size_t a = 0; a < sizeof after / sizeof *after; a++) {
        kh_date_match m;
        if (strcmp(after[a], "May 5") && strcmp(after[a], "the 5th of May") &&
            strcmp(after[a], "Tuesday"))
            assert_int_equal(kh_date_match_at(after[a], strlen(after[a]), ARTICLE, &m), 0);
    }
    for (int w = 1; w < KH_LW_COUNT; w++)
        for (int cap = 0; cap < 2; cap++)
            for (size_t a = 0; a < sizeof after / sizeof *after; a++) {
                int n = snprintf(text, sizeof text, "%s %s", kh_lex_entry_of(w)->word,
                                 after[a]);
                if (cap && text[0] >= 'a' && text[0] <= 'z')
                    text[0] = (char)(text[0] - 'a' + 'A');
                kh_date_match m;
                int alone = kh_date_match_at(text, (size_t)n, ARTICLE, &m);
                kh_event e;
                memset(&e, 0, sizeof e);
                e.verb_span.start = e.verb_span.end = -1;   /* the first date */
                kh_when_resolve(text, (size_t)n, ARTICLE, &e);
                if (alone && (e.event_date != m.date || e.date_source != m.source))
                    fail_msg("\"%s\": the matcher finds %ld, the sentence %ld", text,
                             m.date, e.event_date);
            }
}

/* A date is sought only within DATE_CORE_LEAD tokens before a number,
 * month, weekday or time word: the longest leads start there, so the
 * expression keeps its first word.  With the verb on that word ("on"),
 * an expression that started after it would date the event. */
static void test_longest_leads(void **state)
{
    static const sent_case cases[] = {
        {"Troops attacked on earlier this month.", "on", ARTICLE, KH_DATE_ARTICLE, 0},
        {"Troops attacked on a year ago.", "on", ARTICLE, KH_DATE_ARTICLE, 0},
        {"Troops attacked on last week.", "on", ARTICLE, KH_DATE_ARTICLE, 0},
        {"Troops attacked on earlier this month.", "attacked", 20230301,
         KH_DATE_RELATIVE, 0},
        {"Troops attacked on a year ago.", "attacked", 20220315, KH_DATE_RELATIVE, 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        check_sentence(&cases[i], ARTICLE);
}

/* A date governs a verb only within its clause: a mark, a word that
 * opens a clause ("which") or one that does after a comma (", and")
 * between them is a break; other words and numbers, even marked ones
 * ("2,000"), are none (is_clause_break, which answers most words from
 * their lexicon classes alone). */
static void test_clause_breaks(void **state)
{
    static const sent_case cases[] = {
        {"Troops attacked the town and rebels fled on Tuesday.", "attacked", 20230314,
         KH_DATE_RELATIVE, 0},
        {"Troops attacked the town, and rebels fled on Tuesday.", "attacked", ARTICLE,
         KH_DATE_ARTICLE, 0},
        {"Troops attacked the town, but rebels fled on Tuesday.", "attacked", ARTICLE,
         KH_DATE_ARTICLE, 0},
        {"Troops attacked the town which rebels held on Tuesday.", "attacked", ARTICLE,
         KH_DATE_ARTICLE, 0},
        {"Troops attacked the town; rebels fled on Tuesday.", "attacked", ARTICLE,
         KH_DATE_ARTICLE, 0},
        {"Troops attacked 2,000 homes (and farms) on Tuesday.", "attacked", ARTICLE,
         KH_DATE_ARTICLE, 0},
        {"Troops attacked 2,000 homes and 30 farms on Tuesday.", "attacked", 20230314,
         KH_DATE_RELATIVE, 0},
        {"On Tuesday, rebels fled and troops attacked the town.", "attacked", 20230314,
         KH_DATE_RELATIVE, 0},
        {"On Tuesday rebels fled, and troops attacked the town.", "attacked", ARTICLE,
         KH_DATE_ARTICLE, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        check_sentence(&cases[i], ARTICLE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_relative_expressions),
        cmocka_unit_test(test_explicit_expressions),
        cmocka_unit_test(test_not_dates),
        cmocka_unit_test(test_without_article_date),
        cmocka_unit_test(test_sentences),
        cmocka_unit_test(test_future_events),
        cmocka_unit_test(test_weekday_of_a_report),
        cmocka_unit_test(test_one_scan_many_events),
        cmocka_unit_test(test_no_article_date),
        cmocka_unit_test(test_long_sentence),
        cmocka_unit_test(test_coder_tokens_same_dates),
        cmocka_unit_test(test_text_end_is_the_end),
        cmocka_unit_test(test_skipped_words_start_no_date),
        cmocka_unit_test(test_longest_leads),
        cmocka_unit_test(test_clause_breaks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
