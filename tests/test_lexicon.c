/* test_lexicon.c -- the shared lexicon's hash finds every word it holds,
 * in any ASCII case, and nothing else. */
#include "testutil.h"
#include "lexicon.h"

#include <string.h>

static void test_every_word(void **state)
{
    char upper[32];
    for (int w = 1; w < KH_LW_COUNT; w++) {
        const kh_lex_entry *e = kh_lex_entry_of((kh_lex_word)w);
        assert_int_equal(e->len, strlen(e->word));
        assert_int_equal(kh_lex_find(e->word, e->len), w);
        assert_true(e->len < sizeof upper);
        for (size_t i = 0; i <= e->len; i++)
            upper[i] = (char)(e->word[i] >= 'a' && e->word[i] <= 'z' ? e->word[i] - 32 : e->word[i]);
        assert_int_equal(kh_lex_find(upper, e->len), w);
        /* a prefix is not the word */
        if (e->len > 1)
            assert_int_not_equal(kh_lex_find(e->word, e->len - 1), w);
    }
}

static void test_classes(void **state)
{
    const kh_lex_entry *may = kh_lex_entry_of(kh_lex_find("May", 3));
    assert_true(may->classes & KH_LEX_MONTH);
    assert_true(may->classes & KH_LEX_PHRASE_END);     /* the modal */
    assert_int_equal(may->value, 5);
    assert_int_equal(kh_lex_entry_of(kh_lex_find("Sept", 4))->value, 9);
    assert_int_equal(kh_lex_entry_of(kh_lex_find("sunday", 6))->value, 0);
    assert_int_equal(kh_lex_entry_of(kh_lex_find("twelve", 6))->value, 12);
    unsigned since = kh_lex_entry_of(kh_lex_find("since", 5))->classes;
    assert_true(since & KH_LEX_DATE_PREP && since & KH_LEX_YEAR_PREP &&
                since & KH_LEX_CLAUSE && since & KH_LEX_PHRASE_END);
    assert_int_equal(kh_lex_find("in", 2), KH_LW_IN);
    assert_int_equal(kh_lex_entry_of(KH_LW_NONE)->classes, 0);
}

static void test_not_words(void **state)
{
    assert_int_equal(kh_lex_find("", 0), KH_LW_NONE);
    assert_int_equal(kh_lex_find("Tuesdays", 8), KH_LW_NONE);
    assert_int_equal(kh_lex_find("Damascus", 8), KH_LW_NONE);
    assert_int_equal(kh_lex_find("m\xC3\xA1y", 4), KH_LW_NONE);
    assert_int_equal(kh_lex_find("M@Y", 3), KH_LW_NONE);   /* '@' | 32 is '`' */
    assert_int_equal(kh_lex_find("in ", 3), KH_LW_NONE);
    assert_int_equal(kh_lex_find("neighbourhoodsandmore", 21), KH_LW_NONE);
}

/* The keys (lexicon.c:lex_key_of) fold every byte, and hold a short word
 * as its first, middle and last bytes, a longer one as two overlapping
 * halves: each byte still counts, and only letters fold. */
static void test_keys(void **state)
{
    static const struct { const char *text; kh_lex_word want; } cases[] = {
        {"'s", KH_LW_APOS_S}, {"\x07s", KH_LW_NONE},   /* 0x07 | 32 is '\'' */
        {"iN", KH_LW_IN}, {"ij", KH_LW_NONE}, {"SeptembeR", KH_LW_SEPTEMBER},
        {"Septembxr", KH_LW_NONE}, {"countrysidf", KH_LW_NONE},
        {"neighbourhoods", KH_LW_NONE},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        if (kh_lex_find(cases[i].text, strlen(cases[i].text)) != cases[i].want)
            fail_msg("%s: not word %d", cases[i].text, (int)cases[i].want);
}

/* The structure's classes hold every word chunk.c listed before it asked
 * the lexicon (written as the tokenizer gives them), so a regenerated
 * lexicon cannot silently drop one. */
typedef struct class_words {
    unsigned cls;
    const char *const *words;
} class_words;

static const char *const reporting_verbs[] = {
    "SAY", "SAYS", "SAID", "SAYING", "TELL", "TELLS", "TOLD", "TELLING",
    "ANNOUNCE", "ANNOUNCES", "ANNOUNCED", "ANNOUNCING", "ADD", "ADDS", "ADDED",
    "ADDING", "STATE", "STATES", "STATED", "STATING", "CLAIM", "CLAIMS", "CLAIMED",
    "CLAIMING", "DECLARE", "DECLARES", "DECLARED", "DECLARING", "INSIST", "INSISTS",
    "INSISTED", "INSISTING", "ASSERT", "ASSERTS", "ASSERTED", "ASSERTING", "REPORT",
    "REPORTS", "REPORTED", "REPORTING", "NOTE", "NOTES", "NOTED", "NOTING",
    "EXPLAIN", "EXPLAINS", "EXPLAINED", "EXPLAINING", "WRITE", "WRITES", "WROTE",
    "WRITTEN", "WRITING", "REITERATE", "REITERATES", "REITERATED", "REITERATING",
    "STRESS", "STRESSES", "STRESSED", "STRESSING", "ALLEGE", "ALLEGES", "ALLEGED",
    "ALLEGING", "CONFIRM", "CONFIRMS", "CONFIRMED", "CONFIRMING", "BELIEVE",
    "BELIEVES", "BELIEVED", "BELIEVING", "THINK", "THINKS", "THOUGHT", "THINKING",
    NULL,
};
static const char *const negators[] = {"NOT", "NEVER", NULL};
static const char *const future_modals[] = {"WILL", "SHALL", "WOULD", "'LL", NULL};
static const char *const hypothetical_modals[] = {
    "COULD", "MIGHT", "MAY", "CAN", "SHOULD", "MUST", "OUGHT", NULL,
};
static const char *const be_forms[] = {
    "BE", "AM", "IS", "ARE", "WAS", "WERE", "BEEN", "BEING", "'RE", "'M", "'S",
    "GET", "GETS", "GOT", "GOTTEN", "GETTING", NULL,
};
static const char *const have_forms[] = {"HAVE", "HAS", "HAD", "HAVING", "'VE", "'D", NULL};
static const char *const possessive_pronouns[] = {
    "HIS", "HER", "ITS", "THEIR", "OUR", "MY", "YOUR", NULL,
};
static const char *const subordinating_preps[] = {
    "AFTER", "BEFORE", "SINCE", "UNTIL", "TILL", "AS", "ONCE", "WHILE", "BECAUSE", NULL,
};
static const char *const relative_pronouns[] = {"WHO", "WHICH", "THAT", "WHOM", "WHOSE", NULL};

static void test_structure_classes(void **state)
{
    const class_words classes[] = {
        {KH_LEX_REPORTING_VERB, reporting_verbs},
        {KH_LEX_NEGATOR, negators},
        {KH_LEX_FUTURE_MODAL, future_modals},
        {KH_LEX_HYPOTHETICAL_MODAL, hypothetical_modals},
        {KH_LEX_PASSIVE_AUX, be_forms},
        {KH_LEX_PERFECT_AUX, have_forms},
        {KH_LEX_POSSESSIVE_PRONOUN, possessive_pronouns},
        {KH_LEX_SUBORDINATING_PREP, subordinating_preps},
        {KH_LEX_RELATIVE_PRONOUN, relative_pronouns},
    };
    size_t words = 0;
    for (size_t c = 0; c < sizeof classes / sizeof classes[0]; c++)
        for (const char *const *w = classes[c].words; *w; w++, words++) {
            kh_lex_word id = kh_lex_find(*w, strlen(*w));
            if (!(kh_lex_entry_of(id)->classes & classes[c].cls))
                fail_msg("%s is not in its class %#x", *w, classes[c].cls);
        }
    assert_int_equal(words, 77 + 2 + 4 + 7 + 16 + 6 + 7 + 9 + 5);
    /* the single words chunk.c names */
    assert_int_equal(kh_lex_find("'S", 2), KH_LW_APOS_S);
    assert_int_equal(kh_lex_find("TO", 2), KH_LW_TO);
    assert_int_equal(kh_lex_find("OF", 2), KH_LW_OF);
    assert_int_equal(kh_lex_find("BY", 2), KH_LW_BY);
    assert_int_equal(kh_lex_find("THE", 3), KH_LW_THE);
    assert_int_equal(kh_lex_find("THAT", 4), KH_LW_THAT);
    /* a class is no wider than its list: a near miss is not in it */
    assert_false(kh_lex_entry_of(kh_lex_find("SAIDS", 5))->classes & KH_LEX_REPORTING_VERB);
    assert_false(kh_lex_entry_of(kh_lex_find("THE", 3))->classes & KH_LEX_RELATIVE_PRONOUN);
    /* an apostrophe matches only itself, not a control byte that | 32 makes one */
    assert_int_equal(kh_lex_find("\x07S", 2), KH_LW_NONE);
}

/* A token's word: punctuation and numbers are none. */
static void test_tokens(void **state)
{
    kh_tokens t;
    kh_tokens_init(&t);
    const char *text = "Iran's army didn't say 12, said it.";
    kh_tokenize(&t, text, strlen(text));
    kh_lex_word want[] = {KH_LW_NONE, KH_LW_APOS_S, KH_LW_NONE, KH_LW_NONE, KH_LW_NOT,
                          KH_LW_SAY, KH_LW_NONE, KH_LW_NONE, KH_LW_SAID, KH_LW_IT, KH_LW_NONE};
    assert_int_equal(t.count, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < t.count; i++)
        assert_int_equal(kh_lex_of_token(&t.items[i]), want[i]);
    kh_tokens_free(&t);
}

/* A sentence classified once: each token's lexicon word, and which
 * tokens are plain words the enrich stage may take as they are. */
static void test_sentence_classified(void **state)
{
    const char *text = "On Tuesday, U.S. Gen. Smith won't meet in Sept. or March on the 29th $5 A380.";
    kh_lex_sentence s;
    kh_lex_sentence_init(&s);
    kh_lex_sentence_tokenize(&s, text, strlen(text));
    assert_ptr_equal(s.text, text);
    assert_int_equal(s.len, strlen(text));
    struct { const char *word; kh_lex_word lex; int plain; } want[] = {
        {"ON", KH_LW_ON, 1}, {"TUESDAY", KH_LW_TUESDAY, 1}, {",", KH_LW_NONE, 0},
        {"U.S.", KH_LW_NONE, 0}, {"GEN.", KH_LW_NONE, 0}, {"SMITH", KH_LW_NONE, 1},
        {"WILL", KH_LW_WILL, 0},        /* "won" made WILL: not the text's word */
        {"NOT", KH_LW_NOT, 0}, {"MEET", KH_LW_NONE, 1}, {"IN", KH_LW_IN, 1},
        {"SEPT.", KH_LW_NONE, 0},       /* the period stays in an abbreviation */
        {"OR", KH_LW_OR, 1}, {"MARCH", KH_LW_MARCH, 1}, {"ON", KH_LW_ON, 1},
        {"THE", KH_LW_THE, 1}, {"29TH", KH_LW_NONE, 1}, {"5", KH_LW_NONE, 1},
        {"A380", KH_LW_NONE, 1}, {".", KH_LW_NONE, 0}};
    size_t n = sizeof want / sizeof want[0];
    assert_int_equal(s.count, n);
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(s.tokens[i].word, want[i].word);
        assert_int_equal(s.lex[i], want[i].lex);
        assert_int_equal(kh_lex_plain_token(&s, i), want[i].plain);
    }
    /* The month's class and value come with the word: what the dates ask. */
    assert_true(kh_lex_entry_of(s.lex[12])->classes & KH_LEX_MONTH);
    assert_int_equal(kh_lex_entry_of(s.lex[12])->value, 3);
    assert_true(kh_lex_entry_of(s.lex[1])->classes & KH_LEX_WEEKDAY);
    assert_true(kh_lex_entry_of(s.lex[9])->classes & KH_LEX_LOCATIVE);

    /* Another view is classified afresh, the buffers reused. */
    kh_tokens own;
    kh_tokens_init(&own);
    const char *other = "Syrian troops shelled Idlib yesterday";
    kh_tokenize(&own, other, strlen(other));
    kh_token_view view = {other, strlen(other), own.items, own.count};
    kh_lex_sentence_set(&s, &view, NULL);
    assert_ptr_equal(s.tokens, own.items);
    assert_int_equal(s.count, 5);
    assert_int_equal(s.lex[4], KH_LW_YESTERDAY);
    assert_int_equal(s.lex[0], KH_LW_NONE);
    /* Lexicon words given (the tagger's) are taken as they are; whether
     * a token is plain is the tokenizer's mark. */
    const kh_lex_word given[5] = {KH_LW_NONE, KH_LW_NONE, KH_LW_NONE, KH_LW_NONE,
                                  KH_LW_TODAY};
    kh_lex_sentence_set(&s, &view, given);
    assert_int_equal(s.lex[4], KH_LW_TODAY);
    assert_int_equal(kh_lex_plain_token(&s, 4), 1);
    kh_tokens_free(&own);

    kh_lex_sentence_tokenize(&s, NULL, 0);
    assert_int_equal(s.count, 0);
    kh_lex_sentence_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_word),
        cmocka_unit_test(test_classes),
        cmocka_unit_test(test_not_words),
        cmocka_unit_test(test_keys),
        cmocka_unit_test(test_structure_classes),
        cmocka_unit_test(test_tokens),
        cmocka_unit_test(test_sentence_classified),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
