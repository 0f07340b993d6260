/* test_token.c -- the tokenizer's words, flags and lengths: the runs of
 * ASCII letters and digits it copies in one pass, the characters it
 * decodes one by one, and the contractions it rewrites in place. */
#include "testutil.h"
#include "token.h"

#include <string.h>

/* Tokenizes `text` and checks the words, in order (NULL-terminated), and
 * that every token's len is its word's length. */
static void expect_words(kh_tokens *t, const char *text, const char *const *words)
{
    kh_tokenize(t, text, strlen(text));
    size_t n = 0;
    while (words[n])
        n++;
    for (size_t i = 0; i < t->count && i < n; i++) {
        if (strcmp(t->items[i].word, words[i]) != 0)
            fail_msg("\"%s\": token %zu is %s, not %s", text, i, t->items[i].word, words[i]);
        assert_int_equal(t->items[i].len, strlen(t->items[i].word));
    }
    assert_int_equal(t->count, n);
}

static unsigned flags_of(const kh_tokens *t, const char *word)
{
    for (size_t i = 0; i < t->count; i++)
        if (strcmp(t->items[i].word, word) == 0)
            return t->items[i].flags;
    fail_msg("no token %s", word);
    return 0;
}

static void test_contractions_keep_lengths(void **state)
{
    kh_tokens t;
    kh_tokens_init(&t);
    /* DIDN is cut to DID, WON becomes WILL: each len follows its word */
    expect_words(&t, "Gondor didn't attack, and Arnor won't; Rohan can't.",
                 (const char *const[]){"GONDOR", "DID", "NOT", "ATTACK", ",", "AND",
                                       "ARNOR", "WILL", "NOT", ";", "ROHAN", "CAN",
                                       "NOT", ".", NULL});
    assert_int_equal(t.items[1].end - t.items[1].start, 3);     /* "did" */
    /* DID and CAN are still the text's words (KH_TOK_PLAIN); WILL and NOT not */
    assert_true(t.items[1].flags & KH_TOK_PLAIN);
    assert_true(t.items[11].flags & KH_TOK_PLAIN);
    assert_false(t.items[7].flags & KH_TOK_PLAIN);
    assert_false(t.items[2].flags & KH_TOK_PLAIN);
    kh_tokens_free(&t);
}

static void test_runs_and_the_rest(void **state)
{
    kh_tokens t;
    kh_tokens_init(&t);
    expect_words(&t, "The U.S. Gen. Smith met 3.5 F16 2024 z\xc3\xbcrich's al-Qaeda (AQ)",
                 (const char *const[]){"THE", "U.S.", "GEN.", "SMITH", "MET", "3.5", "F16",
                                       "2024", "Z\xc3\x9cRICH", "'S", "AL", "QAEDA", "(",
                                       "AQ", ")", NULL});
    assert_true(flags_of(&t, "2024") & KH_TOK_NUMBER);
    assert_true(flags_of(&t, "3.5") & KH_TOK_NUMBER);
    assert_false(flags_of(&t, "F16") & KH_TOK_NUMBER);
    assert_true(flags_of(&t, "SMITH") & KH_TOK_CAPITAL);
    assert_false(flags_of(&t, "MET") & KH_TOK_CAPITAL);
    assert_false(flags_of(&t, "Z\xc3\x9cRICH") & KH_TOK_CAPITAL);
    assert_true(flags_of(&t, "QAEDA") & KH_TOK_JOINED);
    /* plain: only ASCII letters and digits, as the text spells them */
    assert_true(flags_of(&t, "QAEDA") & KH_TOK_PLAIN);
    assert_true(flags_of(&t, "F16") & KH_TOK_PLAIN);
    assert_false(flags_of(&t, "U.S.") & KH_TOK_PLAIN);
    assert_false(flags_of(&t, "GEN.") & KH_TOK_PLAIN);
    assert_false(flags_of(&t, "3.5") & KH_TOK_PLAIN);
    assert_false(flags_of(&t, "Z\xc3\x9cRICH") & KH_TOK_PLAIN);
    assert_false(flags_of(&t, "'S") & KH_TOK_PLAIN);
    assert_false(flags_of(&t, "(") & KH_TOK_PLAIN);
    /* a word at the very end of the text, and a text of spaces */
    expect_words(&t, "  talks", (const char *const[]){"TALKS", NULL});
    expect_words(&t, "   ", (const char *const[]){NULL});
    /* the buffer grows across a long word, and is reused */
    char long_word[3000];
    memset(long_word, 'x', sizeof long_word - 1);
    long_word[sizeof long_word - 1] = '\0';
    kh_tokenize(&t, long_word, strlen(long_word));
    assert_int_equal(t.count, 1);
    assert_int_equal(t.items[0].len, sizeof long_word - 1);
    assert_int_equal(t.items[0].word[0], 'X');
    assert_int_equal(t.items[0].word[sizeof long_word - 2], 'X');
    kh_tokens_free(&t);
}

/* A period stays on an abbreviation of the list and on an initial, and
 * only there: words of an abbreviation's length or first letter lose it. */
static void test_abbreviations(void **state)
{
    kh_tokens t;
    kh_tokens_init(&t);
    expect_words(&t, "Mr. Sept. Corp. Sep. Capt. Co. Gov. Govt. Rev. Ltd. rep. M. so. Mrs. Drs. Gens. goes.",
                 (const char *const[]){"MR.", "SEPT.", "CORP.", "SEP.", "CAPT.", "CO.", "GOV.",
                                       "GOVT.", "REV.", "LTD.", "REP.", "M.", "SO", ".", "MRS.",
                                       "DRS", ".", "GENS", ".", "GOES", ".", NULL});
    kh_tokens_free(&t);
}

/* Random texts of letters, digits and separators, words of every length
 * ending anywhere, next to bytes above ASCII: each letter and digit is in
 * a word token that is its text upper-cased, a number exactly when it has
 * no letter, and plain (KH_TOK_PLAIN) exactly when it is all ASCII. */
static int is_ascii_word_byte(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static void test_runs_against_the_text(void **state)
{
    static const char word_bytes[] = "abmnxyzABMNXYZ0189";
    static const char other_bytes[] = " ,-;(@[`{/:\xc3\xa9";
    kh_tokens t;
    kh_tokens_init(&t);
    srand(11);
    for (int round = 0; round < 4000; round++) {
        char text[96];
        size_t n = (size_t)(rand() % (int)sizeof text);
        int word_odds = 2 + round % 40;     /* runs from a byte or two to whole texts */
        for (size_t i = 0; i < n; i++)
            text[i] = rand() % word_odds ? word_bytes[rand() % (int)(sizeof word_bytes - 1)]
                                         : other_bytes[rand() % (int)(sizeof other_bytes - 1)];
        kh_tokenize(&t, text, n);
        char covered[sizeof text] = {0};
        for (size_t k = 0; k < t.count; k++) {
            const kh_token *tok = &t.items[k];
            if (!(tok->flags & KH_TOK_WORD) || tok->word[0] == '\'') {
                assert_false(tok->flags & KH_TOK_PLAIN);
                continue;
            }
            size_t len = (size_t)(tok->end - tok->start);
            int letters = 0, ascii = 1;
            for (size_t i = 0; i < len; i++) {
                unsigned char c = (unsigned char)text[tok->start + (long)i];
                ascii = ascii && c < 0x80;
                letters |= (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
                covered[tok->start + (long)i] = 1;
            }
            /* plain exactly when ASCII: its word is then the text upper-cased */
            assert_int_equal(!!(tok->flags & KH_TOK_PLAIN), ascii);
            if (!ascii)
                continue;
            assert_int_equal(tok->len, len);
            for (size_t i = 0; i < len; i++) {
                char c = text[tok->start + (long)i];
                assert_int_equal(tok->word[i], c >= 'a' && c <= 'z' ? c - 32 : c);
            }
            assert_int_equal(!!(tok->flags & KH_TOK_NUMBER), !letters);
            /* the whole run: no letter or digit right before or after it */
            if (tok->start > 0)
                assert_false(is_ascii_word_byte(text[tok->start - 1]));
            if ((size_t)tok->end < n)
                assert_false(is_ascii_word_byte(text[tok->end]));
        }
        for (size_t i = 0; i < n; i++)
            if (is_ascii_word_byte(text[i]))
                assert_true(covered[i]);
    }
    kh_tokens_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_contractions_keep_lengths),
        cmocka_unit_test(test_abbreviations),
        cmocka_unit_test(test_runs_against_the_text),
        cmocka_unit_test(test_runs_and_the_rest),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
