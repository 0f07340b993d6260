/* test_segment.c -- sentence boundaries and their offsets. */
#include "testutil.h"
#include "segment.h"

#include <stdlib.h>
#include <string.h>

/* Splits `text` and checks that the sentences are exactly `want` (a
 * NULL-terminated list), comparing the bytes the offsets point at. */
static void expect(const char *text, const char *const *want)
{
    kh_sentence_span *s = NULL;
    size_t n = kh_segment(text, strlen(text), &s), i;
    for (i = 0; want[i]; i++) {
        if (i >= n)
            fail_msg("missing sentence %zu: \"%s\"", i + 1, want[i]);
        size_t len = s[i].end - s[i].start;
        if (len != strlen(want[i]) || memcmp(text + s[i].start, want[i], len))
            fail_msg("sentence %zu is \"%.*s\", want \"%s\"", i + 1, (int)len,
                     text + s[i].start, want[i]);
    }
    if (n != i)
        fail_msg("%zu sentences, want %zu (extra: \"%.*s\")", n, i,
                 (int)(s[i].end - s[i].start), text + s[i].start);
    free(s);
}

#define EXPECT(text, ...) expect(text, (const char *const[]){__VA_ARGS__, NULL})

static void test_simple(void **state)
{
    EXPECT("Iran attacked Iraq. Iraq responded! Was it war?",
           "Iran attacked Iraq.", "Iraq responded!", "Was it war?");
    EXPECT("  No full stop at the end  ", "No full stop at the end");
}

static void test_abbreviations(void **state)
{
    assert_true(kh_segment_lists_sorted());
    /* the first and last of each list, which a bisection reaches last */
    EXPECT("Adm. Lee and the vs. team met. They spoke.",
           "Adm. Lee and the vs. team met.", "They spoke.");
    EXPECT("Acme Co. The firm sold it. At 9 a.m. You left.",
           "Acme Co.", "The firm sold it.", "At 9 a.m.", "You left.");
    EXPECT("Mr. Smith met Gen. Jones and Sen. Brown on Jan. 5 at 3 p.m. in "
           "St. Louis. They talked.",
           "Mr. Smith met Gen. Jones and Sen. Brown on Jan. 5 at 3 p.m. in "
           "St. Louis.",
           "They talked.");
    EXPECT("U.S. officials and the U.N. envoy met Acme Inc. executives.",
           "U.S. officials and the U.N. envoy met Acme Inc. executives.");
    EXPECT("Troops left the U.S. The war ended.", "Troops left the U.S.",
           "The war ended.");
    EXPECT("Iran vs. Iraq, e.g. in Basra, i.e. the south. Done.",
           "Iran vs. Iraq, e.g. in Basra, i.e. the south.", "Done.");
    EXPECT("Dr. No. 5 was Lt. Col. Gray's.", "Dr. No. 5 was Lt. Col. Gray's.");
    EXPECT("2. -- Troops left in 1995. Then they came back.",
           "2. -- Troops left in 1995.", "Then they came back.");
}

static void test_initials_and_numbers(void **state)
{
    EXPECT("George W. Bush met J. R. Smith. Growth was 3.5 percent. "
           "It cost $4.2 billion.",
           "George W. Bush met J. R. Smith.", "Growth was 3.5 percent.",
           "It cost $4.2 billion.");
}

static void test_quotes(void **state)
{
    EXPECT("\"We will fight,\" he said. \"We will win.\" The crowd cheered.",
           "\"We will fight,\" he said.", "\"We will win.\"",
           "The crowd cheered.");
    EXPECT("\xE2\x80\x9CStop!\xE2\x80\x9D he shouted. \xE2\x80\x9CNow.\xE2\x80\x9D Then silence.",
           "\xE2\x80\x9CStop!\xE2\x80\x9D he shouted.",
           "\xE2\x80\x9CNow.\xE2\x80\x9D", "Then silence.");
    EXPECT("He left (for good.) She stayed.", "He left (for good.)",
           "She stayed.");
}

static void test_ellipsis(void **state)
{
    EXPECT("He said... and then left. Wait\xE2\x80\xA6 Nothing happened.",
           "He said... and then left.", "Wait\xE2\x80\xA6",
           "Nothing happened.");
}

static void test_paragraphs_and_headlines(void **state)
{
    EXPECT("Iran Warns U.S. Over Gulf Drills\n\nTEHRAN - Iran warned the U.S.\n"
           "on Monday.\n   \nA second paragraph",
           "Iran Warns U.S. Over Gulf Drills", "TEHRAN - Iran warned the U.S.\n"
           "on Monday.", "A second paragraph");
    /* One paragraph per line: an unpunctuated line is a headline. */
    EXPECT("Rebels Seize Town\nRebels seized the town. Troops fled.\n"
           "Talks resumed later.\n",
           "Rebels Seize Town", "Rebels seized the town.", "Troops fled.",
           "Talks resumed later.");
    /* Hard-wrapped text: single line breaks are spaces. */
    EXPECT("Jordan's deputy foreign minister flew to Baghdad on \n"
           "Sunday for a meeting of the joint border \n"
           "commission, the state news agency said. \n",
           "Jordan's deputy foreign minister flew to Baghdad on \n"
           "Sunday for a meeting of the joint border \n"
           "commission, the state news agency said.");
}

static void test_offsets_point_at_words(void **state)
{
    const char *t = "  First one.\n\n   Second \xE2\x80\x94 with dash.  ";
    kh_sentence_span *s;
    size_t n = kh_segment(t, strlen(t), &s);
    assert_int_equal(n, 2);
    assert_int_equal(s[0].start, 2);
    assert_int_equal(s[0].end, 12);
    assert_memory_equal(t + s[1].start, "Second", 6);
    assert_int_equal(t[s[1].end - 1], '.');
    free(s);
}

static void test_blank_and_iterator(void **state)
{
    kh_sentence_span *s = (kh_sentence_span *)1;
    assert_int_equal(kh_segment("   \n\n  ", 7, &s), 0);
    assert_null(s);
    assert_int_equal(kh_segment("", 0, &s), 0);
    const char *t = "A b. C d.";
    size_t pos = 0, count = 0;
    kh_sentence_span sp;
    while (kh_segment_next(t, strlen(t), &pos, 0, &sp))
        count++;
    assert_int_equal(count, 2);
}

static void test_long_text(void **state)
{
    /* No fixed limits: 200,000 sentences of which every one is found. */
    size_t n = 200000, len = n * 10;
    char *t = malloc(len + 1);
    for (size_t i = 0; i < n; i++)
        memcpy(t + i * 10, "Iran won. ", 10);
    t[len] = 0;
    kh_sentence_span *s;
    assert_int_equal(kh_segment(t, len, &s), n);
    assert_int_equal(s[n - 1].start, (n - 1) * 10);
    free(s);
    free(t);
}

/* The scan passes eight plain bytes at a time (segment.c): a sentence's
 * end, an ellipsis or a paragraph break must be found at every offset
 * in the word. */
static void test_ends_at_every_offset(void **state)
{
    const char *ends[] = {".", "!", "?", "\xE2\x80\xA6", "\n\n"};
    char t[64];
    for (size_t k = 2; k <= 17; k++) {     /* "A." is an initial */
        for (size_t e = 0; e < sizeof ends / sizeof *ends; e++) {
            memset(t, 'a', k);
            t[0] = 'A';
            snprintf(t + k, sizeof t - k, "%s Then more words here.", ends[e]);
            kh_sentence_span *s = NULL;
            size_t n = kh_segment(t, strlen(t), &s);
            assert_int_equal(n, 2);
            assert_int_equal(s[0].end, k + (e == 4 ? 0 : strlen(ends[e])));
            free(s);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_simple),
        cmocka_unit_test(test_ends_at_every_offset),
        cmocka_unit_test(test_abbreviations),
        cmocka_unit_test(test_initials_and_numbers),
        cmocka_unit_test(test_quotes),
        cmocka_unit_test(test_ellipsis),
        cmocka_unit_test(test_paragraphs_and_headlines),
        cmocka_unit_test(test_offsets_point_at_words),
        cmocka_unit_test(test_blank_and_iterator),
        cmocka_unit_test(test_long_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
