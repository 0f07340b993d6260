/* test_quote.c -- quotations, speakers and reporting verbs. */
#include "testutil.h"
#include "quote.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* What one quotation should look like; NULL fields are "none". */
typedef struct want {
    const char *quote;
    const char *speaker;
    const char *verb;
    const char *ref;      /* NULL: not checked */
    int continued;
} want;

static void check_range(const char *text, size_t s, size_t e, const char *expect,
                        const char *what, size_t i)
{
    if (!expect) {
        if (s != 0 || e != 0)
            fail_msg("quote %zu: expected no %s, got \"%.*s\"", i, what, (int)(e - s), text + s);
        return;
    }
    if (e - s != strlen(expect) || memcmp(text + s, expect, e - s) != 0)
        fail_msg("quote %zu: expected %s \"%s\", got \"%.*s\"", i, what, expect,
                 (int)(e - s), text + s);
}

static void check_quotes(const char *text, const want *w, size_t n)
{
    kh_quote *q;
    size_t got = kh_quotes_find(text, strlen(text), &q);
    if (got != n) {
        for (size_t i = 0; i < got; i++)
            print_message("  got \"%.*s\"\n", (int)(q[i].end - q[i].start), text + q[i].start);
        fail_msg("expected %zu quotations, got %zu in: %s", n, got, text);
    }
    for (size_t i = 0; i < n; i++) {
        check_range(text, q[i].start, q[i].end, w[i].quote, "quotation", i);
        check_range(text, q[i].speaker_start, q[i].speaker_end, w[i].speaker, "speaker", i);
        if (w[i].ref)
            check_range(text, q[i].ref_start, q[i].ref_end, w[i].ref, "antecedent", i);
        if (!w[i].verb) assert_null(q[i].verb);
        else if (!q[i].verb || strcmp(q[i].verb, w[i].verb) != 0)
            fail_msg("quote %zu: expected verb %s, got %s", i, w[i].verb,
                     q[i].verb ? q[i].verb : "(none)");
        assert_int_equal(q[i].continued, w[i].continued);
    }
    kh_quotes_free(q, got);
}

#define CHECK(text, ...)                                              \
    do {                                                              \
        const want w_[] = {__VA_ARGS__};                              \
        check_quotes(text, w_, sizeof w_ / sizeof w_[0]);             \
    } while (0)

static void test_speaker_after_quote(void **state)
{
    CHECK("\"We will not give up,\" the minister said.",
          {"We will not give up", "the minister", "say", "the minister", 0});
    CHECK("\"We will not give up,\" said Ali Khamenei on Tuesday.",
          {"We will not give up", "Ali Khamenei", "say", NULL, 0});
    CHECK("\"Enough,\" said the foreign minister of France on Tuesday.",
          {"Enough", "the foreign minister of France", "say", NULL, 0});
    CHECK("\"We are ready,\" Smith, a spokesman for the army, said.",
          {"We are ready", "Smith", "say", NULL, 0});
    CHECK("\"Talks are over\", according to the spokesman.",
          {"Talks are over", "the spokesman", "according to", NULL, 0});
    CHECK("\"The talks failed. We are leaving. Nobody listened,\" the envoy warned.",
          {"The talks failed. We are leaving. Nobody listened", "the envoy", "warn", NULL, 0});
    CHECK("\"We are ready,\" Mr. Smith said.", {"We are ready", "Mr. Smith", "say", NULL, 0});
    CHECK("\"No comment,\" said Lt. Col. Richard Hecht, a spokesman.",
          {"No comment", "Lt. Col. Richard Hecht", "say", NULL, 0});
    CHECK("\"Why now?\" officials asked.", {"Why now?", "officials", "ask", NULL, 0});
}

static void test_speaker_before_quote(void **state)
{
    CHECK("The chairman of the committee asked: \"Who approved this?\"",
          {"Who approved this?", "The chairman of the committee", "ask", NULL, 0});
    CHECK("Smith said, \"We are ready.\"", {"We are ready.", "Smith", "say", NULL, 0});
    CHECK("John Smith warned: \"Not again.\"", {"Not again.", "John Smith", "warn", NULL, 0});
    CHECK("The minister told reporters: \"There will be no deal.\"",
          {"There will be no deal.", "The minister", "tell", NULL, 0});
    CHECK("According to the ministry, \"the border is closed.\"",
          {"the border is closed.", "the ministry", "according to", NULL, 0});
    /* a partial quotation inside reported speech */
    CHECK("Jones said the plan was \"dead on arrival\" and left.",
          {"dead on arrival", "Jones", "say", NULL, 0});
}

static void test_curly_and_other_marks(void **state)
{
    CHECK("\xE2\x80\x9CWe are ready,\xE2\x80\x9D Prime Minister Benjamin Netanyahu emphasized.",
          {"We are ready", "Prime Minister Benjamin Netanyahu", "emphasize", NULL, 0});
    CHECK("\xE2\x80\x98We won\xE2\x80\x99t stop\xE2\x80\x99, the leader stressed.",
          {"We won\xE2\x80\x99t stop", "the leader", "stress", NULL, 0});
    CHECK("\xC2\xAB Nous sommes pr\xC3\xAAts \xC2\xBB, a d\xC3\xA9" "clar\xC3\xA9 le ministre.",
          {"Nous sommes pr\xC3\xAAts", NULL, NULL, NULL, 0});
    /* a curly pair with a straight close, as sloppy copy has it */
    CHECK("\xE2\x80\x9CNo comment,\" he said.", {"No comment", "he", "say", NULL, 0});
}

static void test_pronouns_and_inheritance(void **state)
{
    CHECK("Iranian Foreign Minister Hossein Amir-Abdollahian met envoys in Tehran. "
          "\"Sanctions must end,\" he stressed.",
          {"Sanctions must end", "he", "stress",
           "Iranian Foreign Minister Hossein Amir-Abdollahian", 0});
    /* the second quotation continues the first speaker's statement */
    CHECK("\"We won,\" the general said. \"Now we rebuild.\"",
          {"We won", "the general", "say", NULL, 0},
          {"Now we rebuild.", "the general", "say", NULL, 0});
    /* a pronoun after an earlier titled speaker refers to that speaker */
    CHECK("\"No,\" the minister said.\n\n\"Never,\" she added.",
          {"No", "the minister", "say", NULL, 0},
          {"Never", "she", "add", "the minister", 0});
    /* two speakers, each keeps their own */
    CHECK("\"Yes,\" said Anna Lee. \"No,\" said Tom Kay.",
          {"Yes", "Anna Lee", "say", NULL, 0}, {"No", "Tom Kay", "say", NULL, 0});
}

static void test_paragraph_continuation(void **state)
{
    const char *text =
        "Defence Minister John Smith spoke on Monday.\n\n"
        "He said: \"We will fight on.\n\n"
        "\"We have no choice.\"\n\n"
        "Others disagreed.";
    CHECK(text, {"We will fight on.", "He", "say", "Defence Minister John Smith", 0},
          {"We have no choice.", "He", "say", NULL, 1});
    /* attribution in the last paragraph of the chain fills the first */
    CHECK("\"We will fight on.\n\n\"We have no choice,\" the general said.",
          {"We will fight on.", "the general", "say", NULL, 0},
          {"We have no choice", "the general", "say", NULL, 1});
}

/* A wire story in the usual shape: a named speaker, a follow-up quotation,
 * a continuation paragraph with a pronoun, and a title speaker. */
static void test_article(void **state)
{
    static const char text[] =
        "BEIRUT (Reuters) - Israeli jets struck targets near Damascus on Tuesday, "
        "Syrian state media said, the third such raid since January.\n\n"
        "\"This aggression will not go unanswered,\" Syrian Foreign Minister Faisal "
        "Mekdad told reporters in Damascus. \"We reserve the right to respond.\n\n"
        "\"The world must act,\" he added.\n\n"
        "A spokesman for the Israeli army, Lt. Col. Richard Hecht, declined to "
        "comment. Israel has carried out hundreds of strikes in Syria since the "
        "civil war began in 2011, according to a U.N. report.\n\n"
        "The chairman of the Arab League council asked: "
        "\xE2\x80\x9CWho will protect civilians?\xE2\x80\x9D\n";
    const char *mekdad = "Syrian Foreign Minister Faisal Mekdad";
    CHECK(text, {"This aggression will not go unanswered", mekdad, "tell", mekdad, 0},
          {"We reserve the right to respond.", mekdad, "tell", mekdad, 0},
          {"The world must act", "he", "add", mekdad, 1},
          {"Who will protect civilians?", "The chairman of the Arab League council",
           "ask", NULL, 0});
    kh_quote *q;
    size_t n = kh_quotes_find(text, strlen(text), &q);
    assert_true(q[1].inherited);
    assert_false(q[2].inherited);
    kh_quotes_free(q, n);
}

static void test_no_quotes(void **state)
{
    kh_quote *q = (kh_quote *)1;
    const char *text = "The minister said that the talks had failed.";  /* indirect */
    assert_int_equal(kh_quotes_find(text, strlen(text), &q), 0);
    assert_null(q);
    assert_int_equal(kh_quotes_find("", 0, &q), 0);
    const char *apostrophes = "The soldiers' families didn't leave. It's 6'2 tall.";
    assert_int_equal(kh_quotes_find(apostrophes, strlen(apostrophes), &q), 0);
    /* closing marks alone open nothing (nor do dashes and ellipses that
     * share the marks' lead bytes) */
    const char *closing = "It\xE2\x80\x99s over \xE2\x80\x94 the rest\xE2\x80\x9D stays"
                          "\xE2\x80\xA6 \xC2\xBB here \xC2\xA0there.";
    assert_int_equal(kh_quotes_find(closing, strlen(closing), &q), 0);
    assert_null(q);
}

/* Each mark that can open a quotation is seen, wherever it stands among
 * the bytes that share its lead byte: the check that skips documents
 * without one must not skip these. */
static void test_every_opening_mark(void **state)
{
    const char *texts[] = {
        "\xE2\x80\x94 He said \"we won\" today.",
        "\xE2\x80\x99 He said \xE2\x80\x9Cwe won\xE2\x80\x9D today.",
        "\xE2\x80\x9D He said \xE2\x80\x98we won\xE2\x80\x99 today.",
        "\xC2\xBB He said \xC2\xAB we won \xC2\xBB today.",
    };
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        kh_quote *q;
        assert_int_equal(kh_quotes_find(texts[i], strlen(texts[i]), &q), 1);
        assert_int_equal(q[0].end - q[0].start, 6);     /* "we won" */
        assert_memory_equal(texts[i] + q[0].start, "we won", 6);
        kh_quotes_free(q, 1);
    }
}

static void test_unbalanced(void **state)
{
    /* The open mark dies at the paragraph end; the next quotation is intact. */
    CHECK("He said \"we will win.\n\nThe rest has no marks at all.\n\n"
          "\"Next,\" she said.",
          {"Next", "she", "say", NULL, 0});
    /* Without paragraphs the length cap ends it. */
    size_t filler = KH_QUOTE_MAX_BYTES * 3;
    const char *tail = " \xE2\x80\x9CYes,\xE2\x80\x9D she said.";
    char *text = malloc(filler + strlen(tail) + 8);
    assert_non_null(text);
    strcpy(text, "\xE2\x80\x9CNo");
    size_t at = strlen(text);
    for (size_t i = 0; i < filler; i++) text[at++] = i % 7 == 6 ? ' ' : 'x';
    strcpy(text + at, tail);
    kh_quote *q;
    size_t n = kh_quotes_find(text, strlen(text), &q);
    assert_int_equal(n, 1);
    assert_int_equal(q[0].end - q[0].start, 3);
    assert_memory_equal(text + q[0].start, "Yes", 3);
    kh_quotes_free(q, n);
    free(text);
}

static void test_single_newline_paragraphs(void **state)
{
    /* no blank lines anywhere: every newline ends a paragraph */
    CHECK("\"Go home,\" the mayor said.\n\"Stay\nThey left.",
          {"Go home", "the mayor", "say", NULL, 0});
}

static void test_quote_at(void **state)
{
    const char *text = "\"A b c,\" he said. Then more. \"D e,\" she said.";
    kh_quote *q;
    size_t n = kh_quotes_find(text, strlen(text), &q);
    assert_int_equal(n, 2);
    assert_ptr_equal(kh_quote_at(q, n, 0, 3), &q[0]);
    assert_ptr_equal(kh_quote_at(q, n, 31, 33), &q[1]);
    assert_null(kh_quote_at(q, n, 18, 28));
    assert_null(kh_quote_at(q, n, 100, 200));
    kh_quotes_free(q, n);
}

/* One megabyte of quoted news and one of stray marks, each well under a
 * second: a scan that went back to every mark would take minutes. */
static void test_megabyte(void **state)
{
    const char *para = "\"We will not give up,\" the minister said on Tuesday. "
                       "He added: \"The talks continue.\"\n\n";
    size_t plen = strlen(para), reps = (1u << 20) / plen + 1;
    char *text = malloc(plen * reps + 1);
    assert_non_null(text);
    for (size_t i = 0; i < reps; i++) memcpy(text + i * plen, para, plen);
    text[plen * reps] = 0;
    clock_t t0 = clock();
    kh_quote *q;
    size_t n = kh_quotes_find(text, plen * reps, &q);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    assert_int_equal(n, 2 * reps);
    assert_string_equal(q[n - 1].verb, "add");
    assert_true(secs < 2.0);
    kh_quotes_free(q, n);

    /* every mark unbalanced: curly openers and nothing else */
    for (size_t i = 0; i + 3 <= plen * reps; i += 3) memcpy(text + i, "\xE2\x80\x9C", 3);
    t0 = clock();
    n = kh_quotes_find(text, plen * reps - (plen * reps) % 3, &q);
    secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    assert_int_equal(n, 0);
    assert_true(secs < 2.0);
    /* straight marks only: pairs of empty quotations, still linear */
    memset(text, '"', plen * reps);
    t0 = clock();
    n = kh_quotes_find(text, plen * reps, &q);
    secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    assert_true(secs < 2.0);
    kh_quotes_free(q, n);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_speaker_after_quote),
        cmocka_unit_test(test_speaker_before_quote),
        cmocka_unit_test(test_curly_and_other_marks),
        cmocka_unit_test(test_pronouns_and_inheritance),
        cmocka_unit_test(test_paragraph_continuation),
        cmocka_unit_test(test_article),
        cmocka_unit_test(test_no_quotes),
        cmocka_unit_test(test_every_opening_mark),
        cmocka_unit_test(test_unbalanced),
        cmocka_unit_test(test_single_newline_paragraphs),
        cmocka_unit_test(test_quote_at),
        cmocka_unit_test(test_megabyte),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
