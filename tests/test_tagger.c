/* test_tagger.c -- the part-of-speech tagger and its compiled-in model. */
#include "testutil.h"
#include "tag.h"
#include "tagger.h"

#include <stdio.h>
#include <stdlib.h>

/* The sentence's tags, space-separated, into buf; with the dictionary's
 * KH_TAGGER_DICT_* bits when `dict` is set. */
static const char *tags_of(const char *text, const kh_dict *dict, char *buf, size_t size)
{
    kh_sentence s;
    kh_sentence_init(&s);
    kh_coder_options o;
    kh_coder_options_default(&o);
    if (dict)
        kh_tag_sentence(&s, dict, text, strlen(text), 0, &o, NULL);
    else
        kh_tokenize(&s.tokens, text, strlen(text));
    size_t n = s.tokens.count;
    unsigned char *bits = calloc(n + 1, 1);
    kh_upos *out = calloc(n + 1, sizeof *out);
    if (dict)
        kh_sentence_phrase_starts(&s, dict, bits);
    kh_tagger_tag(&s.tokens, text, dict ? bits : NULL, out);
    size_t len = 0;
    buf[0] = 0;
    for (size_t i = 0; i < n && len < size; i++)
        len += (size_t)snprintf(buf + len, size - len, "%s%s", i ? " " : "", kh_upos_name(out[i]));
    free(bits);
    free(out);
    kh_sentence_free(&s);
    return buf;
}

static kh_dict *defaults(void)
{
    kh_diag d;
    kh_diag_init(&d);
    kh_dict *dict = kh_dict_new();
    assert_int_equal(kh_dict_load_defaults(dict, &d), 0);
    kh_dict_freeze(dict);
    return dict;
}

static void test_known_sentence(void **state)
{
    (void)state;
    char buf[512];
    assert_string_equal(tags_of("The jury said it did not find any evidence.", NULL, buf, sizeof buf),
                        "DET NOUN VERB PRON AUX PART VERB DET NOUN PUNCT");
    assert_string_equal(tags_of("She has been to the city twice, and they will go again.", NULL,
                                buf, sizeof buf),
                        "PRON AUX AUX ADP DET NOUN ADV PUNCT CCONJ PRON AUX VERB ADV PUNCT");
}

/* Contractions are split as UD splits them, and tagged part by part. */
static void test_contractions(void **state)
{
    (void)state;
    char buf[512];
    /* IT 'S JOHN 'S CAR , AND HE CAN NOT SELL IT . */
    assert_string_equal(tags_of("It's John's car, and he can't sell it.", NULL, buf, sizeof buf),
                        "PRON AUX PROPN PART NOUN PUNCT CCONJ PRON AUX PART VERB PRON PUNCT");
    assert_string_equal(tags_of("They didn't go.", NULL, buf, sizeof buf),
                        "PRON AUX PART VERB PUNCT");
}

/* Names the Brown corpus of 1961 never saw, by their shape. */
static void test_unknown_capitalised(void **state)
{
    (void)state;
    char buf[512];
    assert_string_equal(tags_of("Antony Blinken arrived in Kyiv for talks with Volodymyr Zelenskyy.",
                                NULL, buf, sizeof buf),
                        "PROPN PROPN VERB ADP PROPN ADP NOUN ADP PROPN PROPN PUNCT");
    assert_string_equal(tags_of("Officials said Hamas fighters attacked Israel from Gaza.", NULL,
                                buf, sizeof buf),
                        "NOUN VERB PROPN NOUN VERB PROPN ADP PROPN PUNCT");
    assert_string_equal(tags_of("Zelenskyy met Erdogan in Ankara.", NULL, buf, sizeof buf),
                        "PROPN VERB PROPN ADP PROPN PUNCT");
}

static void test_news_titles(void **state)
{
    (void)state;
    kh_dict *dict = defaults();
    char buf[512];
    assert_string_equal(tags_of("Prime Minister Narendra Modi met President Joe Biden on Tuesday.",
                                dict, buf, sizeof buf),
                        "PROPN PROPN PROPN PROPN VERB PROPN PROPN PROPN ADP PROPN PUNCT");
    assert_string_equal(tags_of("Rebels fired missiles at a ship, the Houthis said.", dict, buf,
                                sizeof buf),
                        "NOUN VERB NOUN ADP DET NOUN PUNCT DET PROPN VERB PUNCT");
    /* Hyphenated words: every part takes the word's tag. */
    assert_string_equal(tags_of("The al-Qaeda attack failed.", dict, buf, sizeof buf),
                        "DET PROPN PROPN NOUN VERB PUNCT");
    kh_dict_free(dict);
}

/* What the dictionaries say of a token moves the tagger: "Prime" alone
 * looks like the adjective; as the first word of an agent phrase it is
 * part of a title. */
static void test_dictionary_features(void **state)
{
    (void)state;
    kh_dict *dict = defaults();
    char with[512], without[512];
    const char *text = "Prime Minister Narendra Modi spoke.";
    tags_of(text, dict, with, sizeof with);
    tags_of(text, NULL, without, sizeof without);
    assert_string_equal(with, "PROPN PROPN PROPN PROPN VERB PUNCT");
    assert_string_equal(without, "ADJ PROPN PROPN PROPN VERB PUNCT");
    /* A capitalised first word is a name or only capitalised: HAMAS
     * starts an actor phrase. */
    text = "Hamas fighters attacked Israel from Gaza.";
    tags_of(text, dict, with, sizeof with);
    tags_of(text, NULL, without, sizeof without);
    assert_string_equal(with, "PROPN NOUN VERB PROPN ADP PROPN PUNCT");
    assert_string_equal(without, "NOUN NOUN VERB PROPN ADP PROPN PUNCT");
    kh_dict_free(dict);
}

static void test_phrase_starts(void **state)
{
    (void)state;
    kh_dict *dict = test_dict("ARNOR [ARN]\nMINAS_TIRITH [GON]\n", "MINISTER [~GOV]\n",
                              "--- ATTACK [190] ---\nATTACK\n");
    kh_sentence s;
    kh_sentence_init(&s);
    kh_coder_options o;
    kh_coder_options_default(&o);
    const char *text = "The minister of Arnor attacked Minas Tirith.";
    kh_tag_sentence(&s, dict, text, strlen(text), 0, &o, NULL);
    unsigned char bits[16];
    assert_true(s.tokens.count <= sizeof bits);
    kh_sentence_phrase_starts(&s, dict, bits);
    /* THE MINISTER OF ARNOR ATTACKED MINAS TIRITH . */
    unsigned char want[] = {0, KH_TAGGER_DICT_AGENT, 0, KH_TAGGER_DICT_ACTOR,
                            KH_TAGGER_DICT_VERB, KH_TAGGER_DICT_ACTOR, 0, 0};
    assert_int_equal(s.tokens.count, sizeof want);
    assert_memory_equal(bits, want, sizeof want);
    kh_sentence_free(&s);
    kh_dict_free(dict);
}

/* No tokens, and a sentence longer than any in Brown: the window's
 * edges, and nothing written past the tokens. */
static void test_edges(void **state)
{
    (void)state;
    kh_tokens t;
    kh_tokens_init(&t);
    kh_tokenize(&t, "", 0);
    kh_upos out[1] = {KH_UPOS_SYM};
    kh_tagger_tag(&t, "", NULL, out);
    assert_int_equal(out[0], KH_UPOS_SYM);
    kh_tokenize(&t, "Go", 2);
    kh_upos two[2] = {KH_UPOS_X, KH_UPOS_SYM};
    kh_tagger_tag(&t, "Go", NULL, two);
    assert_int_not_equal(two[0], KH_UPOS_X);
    assert_int_equal(two[1], KH_UPOS_SYM);
    char *text = malloc(20001);
    for (int i = 0; i < 5000; i++)
        memcpy(text + 4 * i, "the ", 4);
    text[20000] = 0;
    kh_tokenize(&t, text, 20000);
    kh_upos *many = calloc(t.count, sizeof *many);
    kh_tagger_tag(&t, text, NULL, many);
    for (size_t i = 0; i < t.count; i++)
        assert_int_equal(many[i], KH_UPOS_DET);
    free(many);
    free(text);
    kh_tokens_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_sentence),
        cmocka_unit_test(test_contractions),
        cmocka_unit_test(test_unknown_capitalised),
        cmocka_unit_test(test_news_titles),
        cmocka_unit_test(test_dictionary_features),
        cmocka_unit_test(test_phrase_starts),
        cmocka_unit_test(test_edges),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
