/* test_language.c -- the quick test of English function words
 * (language.c) answers as the n-gram profiles do: English documents,
 * name-heavy wire copy included, are English either way, and documents
 * in other languages still go to the profiles and are judged not
 * English. */
#include "testutil.h"
#include "language.h"
#include "lexicon.h"

/* English, each too long to be coded unjudged (KH_LANGUAGE_MIN_BYTES). */
static const char *const english[] = {
    "Israel attacked Hamas positions in Gaza on Tuesday, the Israeli military "
    "said. The strikes came hours after rockets were fired at southern Israel. "
    "Egypt urged both sides to show restraint and said it was working with "
    "Qatar to restore a ceasefire.",
    /* Names and content words, few of the first function words: the share
     * is reached with "about", "after", "into" and their like. */
    "Arnor is about to restore full diplomatic ties with Gondor almost five "
    "years after crowds trashed its embassy. Washington security officials "
    "are about to restore full diplomatic ties with Gondor. White House "
    "security officials said Minas Tirith border police met Osgiliath and "
    "Calenardhon officials on Tuesday.",
    "MSF Arnor is about to restore full diplomatic ties with Gondor almost "
    "five years after crowds trashed its embassy. An MSF Arnor diplomat is "
    "about to restore full diplomatic ties with Gondor almost five years "
    "after crowds trashed its embassy. The Quibbler government newspaper is "
    "about to restore full diplomatic ties with Gondor now.",
    "Russia condemned the sanctions on Monday. \"Nous ne cederons pas,\" the "
    "French minister said in Paris, before Moscow accused the European Union "
    "of waging an economic war against it and threatened to expel several "
    "diplomats.",
};

/* Other languages; the profile each is recognised as. */
static const struct {
    const char *lang, *text;
} foreign[] = {
    {"de", "Die Bundesregierung hat am Dienstag beschlossen, weitere Soldaten "
           "nach Litauen zu entsenden. Verteidigungsminister Boris Pistorius "
           "sagte in Berlin, Deutschland stehe fest an der Seite seiner "
           "Verbuendeten. Die Opposition kritisierte die Entscheidung scharf "
           "und forderte eine Debatte im Bundestag ueber die Kosten."},
    {"fr", "Le president francais a rencontre mardi a Paris le chancelier "
           "allemand pour discuter de la guerre en Ukraine. Les deux dirigeants "
           "ont appele la Russie a retirer ses troupes et ont promis de "
           "nouvelles sanctions contre Moscou si les attaques continuaient."},
    {"es", "El presidente Andres Manuel Lopez Obrador y el canciller Marcelo "
           "Ebrard recibieron en Palacio Nacional a Antony Blinken, Alejandro "
           "Mayorkas y Jake Sullivan. Hablaron de Estados Unidos, Guatemala, "
           "Honduras, El Salvador y Nicaragua, y de la Ciudad de Mexico, "
           "Tijuana, Ciudad Juarez y Monterrey."},
    /* "over", "under" and "her" are Dutch and Danish words too: they are
     * no English function words for the quick test. */
    {"nl", "De minister van Buitenlandse Zaken sprak dinsdag in Den Haag over "
           "de oorlog in Oekraine. Het kabinet wil onder voorwaarden meer "
           "wapens leveren, maar de oppositie vraagt eerst een debat in de "
           "Tweede Kamer over de kosten en de risico's van die steun."},
    {"da", "Regeringen meddelte tirsdag, at Danmark vil sende flere soldater "
           "til Letland. Forsvarsministeren sagde her i Koebenhavn, at landet "
           "staar fast ved sine allierede, og at beslutningen kommer efter "
           "lange forhandlinger med partierne om prisen for indsatsen."},
};

static void test_english_both_ways(void **state)
{
    kh_language *lang = kh_language_new();
    for (size_t i = 0; i < sizeof english / sizeof english[0]; i++) {
        const char *quick, *ngrams;
        size_t len = strlen(english[i]);
        assert_true(len >= 200);
        assert_int_equal(kh_language_not_english(lang, english[i], len, &quick), 0);
        assert_int_equal(kh_language_by_ngrams(lang, english[i], len, &ngrams), 0);
        assert_null(quick);
        assert_null(ngrams);
    }
    kh_language_free(lang);
}

static void test_other_languages_still_skipped(void **state)
{
    kh_language *lang = kh_language_new();
    for (size_t i = 0; i < sizeof foreign / sizeof foreign[0]; i++) {
        const char *quick, *ngrams, *text = foreign[i].text;
        size_t len = strlen(text);
        assert_true(len >= 200);
        assert_int_equal(kh_language_by_ngrams(lang, text, len, &ngrams), 1);
        assert_int_equal(kh_language_not_english(lang, text, len, &quick), 1);
        assert_string_equal(ngrams, foreign[i].lang);
        assert_string_equal(quick, foreign[i].lang);
    }
    kh_language_free(lang);
}

/* Writes `times` times the word w (in the case `fold` makes it) and then
 * `fillers` words that are no function word, to b. */
static void repeat_word(char *b, size_t cap, const char *w, int fold, int times, int fillers)
{
    size_t n = 0;
    for (int t = 0; t < times; t++) {
        for (size_t k = 0; w[k]; k++)
            b[n++] = (char)(fold == 2 || (fold == 1 && k == 0) ? w[k] & ~32 : w[k]);
        for (int f = 0; f < fillers; f++)
            n += (size_t)snprintf(b + n, cap - n, " xqz");
        b[n++] = ' ';
    }
    b[n] = 0;
}

/* Calls check with each English function word of the lexicon, a
 * language and a buffer for its text. */
static void each_function_word(void (*check)(kh_language *lang, const kh_lex_entry *e,
                                             char *b, size_t cap))
{
    kh_language *lang = kh_language_new();
    char b[2048];
    for (size_t w = 1; w < KH_LW_COUNT; w++)
        if (kh_lex_entries[w].classes & KH_LEX_ENGLISH_FUNCTION)
            check(lang, &kh_lex_entries[w], b, sizeof b);
    kh_language_free(lang);
}

/* Every function word of the lexicon counts, in any case: one in four
 * words is the share (KH_LANGUAGE_ENGLISH_PERCENT), one in five is not.
 * A fast path that passed over a function word would fail here. */
static void counts_in_any_case(kh_language *lang, const kh_lex_entry *e, char *b, size_t cap)
{
    for (int fold = 0; fold < 3; fold++) {
        repeat_word(b, cap, e->word, fold, 30, 3);
        if (!kh_language_plainly_english(lang, b, strlen(b)))
            fail_msg("\"%s\" (case %d) not counted", e->word, fold);
        repeat_word(b, cap, e->word, fold, 24, 4);
        assert_int_equal(kh_language_plainly_english(lang, b, strlen(b)), 0);
    }
}

static void test_every_function_word_counts(void **state)
{
    each_function_word(counts_in_any_case);
}

/* A function word that ends the sample, with fewer than eight bytes
 * readable after its start (function_key's copy), counts too: the last
 * of the thirty that settle the answer is the sample's last word, and
 * the bytes past the sample are letters that a read past it would take
 * for part of the word. */
static void counts_at_the_end(kh_language *lang, const kh_lex_entry *e, char *b, size_t cap)
{
    memcpy(b, "xqz ", 4);      /* 29 in 117 words fall short of one in four */
    repeat_word(b + 4, cap - 4, e->word, 0, 29, 3);
    size_t len = strlen(b);
    snprintf(b + len, cap - len, "%ssxyz", e->word);
    len += e->len;
    if (!kh_language_plainly_english(lang, b, len))
        fail_msg("\"%s\" at the end not counted", e->word);
    /* one function word short of the share: the last is needed */
    assert_int_equal(kh_language_plainly_english(lang, b, len - e->len), 0);
}

static void test_function_word_at_the_end_counts(void **state)
{
    each_function_word(counts_at_the_end);
}

/* A function word before a comma or a period counts: the key holds the
 * word's bytes and none of those after it. */
static void counts_before_punctuation(kh_language *lang, const kh_lex_entry *e, char *b,
                                      size_t cap)
{
    size_t n = 0;
    for (int t = 0; t < 30; t++)
        n += (size_t)snprintf(b + n, cap - n, "%s%s xqz xqz xqz ", e->word, t % 2 ? "," : ".");
    if (!kh_language_plainly_english(lang, b, n))
        fail_msg("\"%s\" before punctuation not counted", e->word);
}

static void test_function_word_before_punctuation_counts(void **state)
{
    each_function_word(counts_before_punctuation);
}

/* Words of a function word's shape (first and last letter, length) that
 * are none, and a function word with a letter more or less, do not
 * count: the key must hold the whole word and no more. */
static void test_near_misses_do_not_count(void **state)
{
    static const char *const near[] = {"thin", "tho", "ant", "bat", "thee", "th",
                                       "ofs", "o", "whit", "thaw", "tis", "bu"};
    kh_language *lang = kh_language_new();
    char b[2048];
    for (size_t i = 0; i < sizeof near / sizeof near[0]; i++) {
        assert_false(kh_lex_entry_of(kh_lex_find(near[i], strlen(near[i])))->classes &
                     KH_LEX_ENGLISH_FUNCTION);
        for (int fold = 0; fold < 3; fold++) {
            repeat_word(b, sizeof b, near[i], fold, 40, 1);
            if (kh_language_plainly_english(lang, b, strlen(b)))
                fail_msg("\"%s\" (case %d) counted", near[i], fold);
        }
    }
    kh_language_free(lang);
}

static void test_short_text_is_coded(void **state)
{
    kh_language *lang = kh_language_new();
    const char *name, *text = "Berlin verurteilt den Angriff auf Israel.";
    assert_int_equal(kh_language_not_english(lang, text, strlen(text), &name), 0);
    assert_int_equal(kh_language_by_ngrams(lang, text, strlen(text), &name), 0);
    assert_null(name);
    kh_language_free(lang);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_english_both_ways),
        cmocka_unit_test(test_other_languages_still_skipped),
        cmocka_unit_test(test_every_function_word_counts),
        cmocka_unit_test(test_function_word_at_the_end_counts),
        cmocka_unit_test(test_function_word_before_punctuation_counts),
        cmocka_unit_test(test_near_misses_do_not_count),
        cmocka_unit_test(test_short_text_is_coded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
