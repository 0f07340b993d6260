/* test_clean.c -- boilerplate removal, datelines and dates. */
#include "testutil.h"
#include "clean.h"

#include <stdlib.h>
#include <string.h>

static char *fixture(const char *name, size_t *len)
{
    const char *dir = getenv("KH_TEST_DATA");
    char path[512];
    snprintf(path, sizeof path, "%s/read/%s", dir ? dir : "tests/data", name);
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open fixture %s", path);
    char *buf = malloc(1 << 16);
    *len = fread(buf, 1, (1 << 16) - 1, f);
    buf[*len] = 0;
    fclose(f);
    return buf;
}

static int survives(const char *text, const char *phrase)
{
    return strstr(text, phrase) != NULL;
}

static void test_scraped_article(void **state)
{
    size_t len;
    char *t = fixture("scraped.txt", &len);
    char *orig = strdup(t);
    kh_clean_stats st = {0};
    size_t n = kh_clean_text(t, len, &st);
    assert_int_equal(strlen(t), len);            /* offsets unchanged */
    /* Content survives, byte for byte at the same offsets. */
    const char *keep[] = {
        "Iran Warns U.S. Over Gulf Naval Drills",
        "TEHRAN (Defapress) - Iran's defence minister warned",
        "urged Washington to withdraw its warships.",
        "\"We will respond to any aggression,\" he told reporters in Tehran."};
    for (size_t i = 0; i < sizeof keep / sizeof *keep; i++) {
        const char *at = strstr(orig, keep[i]);
        assert_non_null(at);
        assert_memory_equal(t + (at - orig), keep[i], strlen(keep[i]));
    }
    const char *junk[] = {
        "Home", "ARTICLE AD BOX", "By Jane Doe", "3 months ago", "Share this",
        "Read Entire Article", "World\n", "Back to top", "Please enter",
        "incorrect email", "senior correspondent", "Reporting by"};
    for (size_t i = 0; i < sizeof junk / sizeof *junk; i++)
        if (survives(t, junk[i]))
            fail_msg("junk survived: %s", junk[i]);
    assert_true(n >= 14);
    assert_int_equal(st.lines_blanked, n);
    /* Line breaks are kept. */
    for (size_t i = 0; i < len; i++)
        assert_true(orig[i] != '\n' || t[i] == '\n');
    free(orig);
    free(t);
}

static void test_wrapped_prose_untouched(void **state)
{
    const char *in =
        "Jordan's deputy foreign minister flew to Baghdad on Sunday \n"
        "for a meeting of the joint border and water commission with \n"
        "Iraq, the Jordanian state news agency said. \n";
    char *t = strdup(in);
    assert_int_equal(kh_clean_text(t, strlen(t), NULL), 0);
    assert_string_equal(t, in);
    free(t);
    /* A text of one line is never blanked, even when it looks like one. */
    t = strdup("OBAMA AIRDROPS");
    assert_int_equal(kh_clean_text(t, strlen(t), NULL), 0);
    assert_string_equal(t, "OBAMA AIRDROPS");
    free(t);
    /* Short real sentences and headlines with verbs stay. */
    const char *in2 = "Rebels Seize Border Town\nTroops fled.\n"
                      "Police said the editor of the paper was arrested.\n";
    t = strdup(in2);
    assert_int_equal(kh_clean_text(t, strlen(t), NULL), 0);
    free(t);
}

static void test_repeated_lines(void **state)
{
    char *t = strdup("Follow us\nIran and Iraq signed a border deal on Monday "
                     "in Baghdad.\nSubscribe now for updates\n"
                     "Subscribe now for updates\n");
    kh_clean_text(t, strlen(t), NULL);
    assert_null(strstr(t, "Subscribe"));
    assert_null(strstr(t, "Follow"));
    assert_non_null(strstr(t, "signed a border deal"));
    free(t);
}

static void test_related_links(void **state)
{
    char *t = strdup("Turkey and Iraq agreed on Monday to reopen the border crossing "
                     "near Zakho, officials said.\n\nRelated\n"
                     "Iran warns Israel over Lebanon\n2 days ago\n"
                     "Egypt hosts talks on Gaza\n5 hours ago\n");
    kh_clean_text(t, strlen(t), NULL);
    assert_non_null(strstr(t, "reopen the border crossing"));
    assert_null(strstr(t, "Iran warns"));
    assert_null(strstr(t, "Egypt hosts"));
    assert_null(strstr(t, "ago"));
    free(t);
}

/* Every phrase of keep[] is still in the cleaned text, and none of junk[]. */
static void check_cleaned(const char *name, const char *const *keep, size_t nkeep,
                          const char *const *junk, size_t njunk)
{
    size_t len;
    char *t = fixture(name, &len);
    kh_clean_text(t, len, NULL);
    assert_int_equal(strlen(t), len);
    for (size_t i = 0; i < nkeep; i++)
        if (!survives(t, keep[i]))
            fail_msg("%s: news blanked: %s", name, keep[i]);
    for (size_t i = 0; i < njunk; i++)
        if (survives(t, junk[i]))
            fail_msg("%s: furniture survived: %s", name, junk[i]);
    free(t);
}

/* Reader comments: a user name and a relative time above each comment's
 * text, whether the text is a sentence or not. */
static void test_reader_comments(void **state)
{
    const char *keep[] = {
        "Ukraine and Poland signed an agreement on Tuesday",
        "said the deal would end weeks of protests by Polish farmers.",
        "\"We have found a solution that protects our farmers,\" Telus told reporters."};
    const char *junk[] = {
        "grainwatcher77", "Russia will bomb the ports", "Maria K.", "Poland betrayed Ukraine",
        "oldsoldier_1961", "NATO should have sent warships", "3 hours ago", "42 Comments",
        "Load more comments", "Reply"};
    check_cleaned("comments.txt", keep, sizeof keep / sizeof *keep, junk, sizeof junk / sizeof *junk);
}

/* "Read more:", "Related:", "Related Coverage", "Most read" and the links
 * under them; photo credits and captions. */
static void test_links_and_captions(void **state)
{
    const char *keep[] = {
        "AMMAN, Nov 22 (Reuters) - Jordan and Israel agreed on Monday",
        "The United Arab Emirates will fund the solar plant",
        "Egyptian President Abdel Fattah al-Sisi welcomed the agreement and praised Jordan.",
        "Jordan's parliament must still approve the plan"};
    const char *junk[] = {
        "AP Photo", "soldiers stand guard", "Photo: Reuters", "FILE PHOTO", "King Abdullah meets",
        "Read more", "largest water deal", "Protesters rally", "Getty Images",
        "Iran condemns Gulf states", "Related Coverage", "Hamas rejects", "Syria accuses",
        "Most read", "Russia threatens Ukraine", "China warns Taiwan", "Turkey detains"};
    check_cleaned("furniture.txt", keep, sizeof keep / sizeof *keep, junk, sizeof junk / sizeof *junk);
}

static void test_datelines(void **state)
{
    struct {
        const char *text, *place, *outlet, *body;
    } cases[] = {
        {"TEHRAN (Defapress) - Iran said", "TEHRAN", "Defapress", "Iran said"},
        {"MOSCOW, April 3 (Reuters) - Russia", "MOSCOW", "Reuters", "Russia"},
        {"WASHINGTON \xE2\x80\x94 The White House", "WASHINGTON", NULL,
         "The White House"},
        {"KYIV, Ukraine (AP) \xE2\x80\x94 Drones", "KYIV, Ukraine", "AP",
         "Drones"},
        {"BEIRUT, Lebanon, Jan. 5, 2024 (Xinhua) -- Israel", "BEIRUT, Lebanon",
         "Xinhua", "Israel"},
        {"Washington (CNN) -- The", "Washington", "CNN", "The"},
        {"S\xC3\x83O PAULO \xE2\x80\x93 Brazil", "S\xC3\x83O PAULO", NULL,
         "Brazil"},
        /* TASS's outlet in slashes, ended by a full stop */
        {"MINSK, May 9 /BelTA/. Belarus", "MINSK", "BelTA", "Belarus"},
        {"KABUL, Jan 3 (AFP) - Gunmen", "KABUL", "AFP", "Gunmen"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        kh_dateline d;
        const char *t = cases[i].text;
        if (!kh_dateline_find(t, strlen(t), &d))
            fail_msg("no dateline in \"%s\"", t);
        assert_string_equal(d.place, cases[i].place);
        if (cases[i].outlet)
            assert_string_equal(d.outlet, cases[i].outlet);
        else
            assert_null(d.outlet);
        assert_string_equal(t + d.body, cases[i].body);
        kh_dateline_free(&d);
    }
    const char *not_datelines[] = {
        "Iran Warns - Report", "US-led forces attacked.", "The U.S. said",
        "", "   ", "Iran attacked Iraq (again) - officials",
        "IRAN / IRAQ / SYRIA. Talks", "Oil prices rose /slightly/. Then"};
    for (size_t i = 0; i < sizeof not_datelines / sizeof *not_datelines; i++) {
        kh_dateline d;
        const char *t = not_datelines[i];
        if (kh_dateline_find(t, strlen(t), &d))
            fail_msg("false dateline in \"%s\": %s", t, d.place);
    }
}

/* A dateline's date: its year when it names one, else the latest year
 * that does not put the day after the reference date (the file's). */
static void test_dateline_dates(void **state)
{
    const char *t = "ADDIS ABABA, Jan 12 (Reuters) - Ethiopia said";
    assert_int_equal(kh_dateline_date(t, strlen(t), 20250203), 20250112);
    assert_int_equal(kh_dateline_date(t, strlen(t), 20250113), 20250112);
    assert_int_equal(kh_dateline_date(t, strlen(t), 20250110), 20240112); /* last year's */
    assert_int_equal(kh_dateline_date(t, strlen(t), 0), 0);        /* no year, no reference */
    t = "BEIRUT, Lebanon, Jan. 5, 2024 (Xinhua) -- Israel";
    assert_int_equal(kh_dateline_date(t, strlen(t), 0), 20240105);
    t = "TEHRAN (Defapress) - Iran said";                            /* no date in it */
    assert_int_equal(kh_dateline_date(t, strlen(t), 20250203), 0);
    t = "MOSCOW, Feb 29 (Reuters) - Russia said";                  /* only leap years */
    assert_int_equal(kh_dateline_date(t, strlen(t), 20250310), 20240229);
}

static void test_clean_doc(void **state)
{
    kh_doc doc = {0};
    doc.text = strdup("Share this article\nMOSCOW, April 3 (Reuters) - Russia "
                      "expelled two diplomats on Friday.\n");
    doc.len = strlen(doc.text);
    size_t body = kh_clean_doc(&doc, NULL);
    assert_string_equal(doc.place, "MOSCOW");
    assert_string_equal(doc.source, "Reuters");
    assert_memory_equal(doc.text + body, "Russia expelled", 15);
    assert_null(strstr(doc.text, "MOSCOW"));      /* blanked, not coded */
    assert_null(strstr(doc.text, "Share"));
    assert_int_equal(strlen(doc.text), doc.len);
    /* An outlet already known is kept. */
    kh_doc_clear(&doc);
    doc.text = strdup("TEHRAN (IRNA) - Iran spoke.");
    doc.len = strlen(doc.text);
    doc.source = strdup("Feed");
    kh_clean_doc(&doc, NULL);
    assert_string_equal(doc.source, "Feed");
    assert_string_equal(doc.place, "TEHRAN");
    kh_doc_clear(&doc);
}

/* A digest of wire stories: every story's dateline is blanked, at the
 * start of a line or of a sentence, and none is coded as an actor; a
 * capitalised word and a dash later in the text is prose. */
static void test_later_datelines(void **state)
{
    kh_doc doc = {0};
    doc.text = strdup("WASHINGTON (Reuters) \xE2\x80\x94 Congress met.\n"
                      "KABUL, Jan 3 (AFP) - Gunmen attacked a bus. ANKARA, Feb 2 /Anka/. "
                      "Turkey spoke.\nNATO - the alliance - met Iran.\n");
    doc.len = strlen(doc.text);
    kh_clean_doc(&doc, NULL);
    assert_string_equal(doc.place, "WASHINGTON");
    assert_null(strstr(doc.text, "KABUL"));
    assert_null(strstr(doc.text, "AFP"));
    assert_null(strstr(doc.text, "ANKARA"));
    assert_null(strstr(doc.text, "Anka"));
    assert_non_null(strstr(doc.text, "Gunmen attacked a bus."));
    assert_non_null(strstr(doc.text, "Turkey spoke."));
    assert_non_null(strstr(doc.text, "NATO - the alliance"));
    assert_int_equal(strlen(doc.text), doc.len);
    kh_doc_clear(&doc);
    /* with no dateline on top, later ones are still blanked */
    doc.text = strdup("Kenya and Egypt held talks on the Nile on Monday morning.\n"
                      "Kenya and Egypt held talks on the Nile on Monday evening.\n"
                      "Kenya and Egypt held talks on the Nile on Tuesday morning.\n"
                      "Kenya and Egypt held talks on the Nile on Tuesday evening.\n"
                      "Kenya and Egypt held talks on the Nile on Wednesday.\n"
                      "MOSCOW, March 4 /TASS/. Russia spoke.");
    doc.len = strlen(doc.text);
    assert_int_equal(kh_clean_doc(&doc, NULL), 0);
    assert_null(strstr(doc.text, "MOSCOW"));
    assert_null(strstr(doc.text, "TASS"));
    kh_doc_clear(&doc);
}

/* A later dateline is found wherever its capital falls among the eight-
 * byte words the scan passes over (clean.c next_capital), and one that
 * ends the text leaves nothing to read past it. */
static void test_later_datelines_anywhere(void **state)
{
    for (int pad = 1; pad <= 17; pad++) {
        kh_doc doc = {0};
        doc.text = kh_xasprintf("Iran spoke.%*sKABUL, Jan 3 (AFP) - Gunmen attacked.",
                                pad, "");
        doc.len = strlen(doc.text);
        kh_clean_doc(&doc, NULL);
        if (strstr(doc.text, "KABUL") || strstr(doc.text, "AFP"))
            fail_msg("dateline kept after %d spaces: \"%s\"", pad, doc.text);
        assert_non_null(strstr(doc.text, "Gunmen attacked."));
        kh_doc_clear(&doc);
    }
    kh_doc doc = {0};
    doc.text = strdup("Iran spoke. ANKARA, Feb 2 (AFP) -");
    doc.len = strlen(doc.text);
    kh_clean_doc(&doc, NULL);
    assert_int_equal(strlen(doc.text), doc.len);
    assert_memory_equal(doc.text, "Iran spoke.", 11);
    kh_doc_clear(&doc);
}

static void test_find_date(void **state)
{
    assert_int_equal(kh_find_date("Posted 2024-04-03T10:00", 23), 20240403);
    const char *t = "MOSCOW, April 3, 2024 (Reuters) -";
    assert_int_equal(kh_find_date(t, strlen(t)), 20240403);
    t = "Updated 21 Sept. 2019 and more";
    assert_int_equal(kh_find_date(t, strlen(t)), 20190921);
    t = "on 21 September 2019.";
    assert_int_equal(kh_find_date(t, strlen(t)), 20190921);
    t = "Jan. 5, 1995: talks";
    assert_int_equal(kh_find_date(t, strlen(t)), 19950105);
    t = "MOSCOW, April 3 (Reuters) - no year; 12345-67-89; 2024-13-01";
    assert_int_equal(kh_find_date(t, strlen(t)), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scraped_article),
        cmocka_unit_test(test_wrapped_prose_untouched),
        cmocka_unit_test(test_repeated_lines),
        cmocka_unit_test(test_related_links),
        cmocka_unit_test(test_reader_comments),
        cmocka_unit_test(test_links_and_captions),
        cmocka_unit_test(test_datelines),
        cmocka_unit_test(test_dateline_dates),
        cmocka_unit_test(test_clean_doc),
        cmocka_unit_test(test_later_datelines),
        cmocka_unit_test(test_later_datelines_anywhere),
        cmocka_unit_test(test_find_date),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
