/* test_dict_index.c -- the index's shortcuts leave out nothing that can
 * match: it finds TABARI stems (words an entry's first word begins) at
 * every length, and the stems and bases of words that have entries of
 * their own, though it looks a word up only at the lengths of the
 * stems that begin with the word's first two bytes (dict_index.h:
 * stem_lengths, one bit standing for all lengths from 31 on), and the
 * coder tries a big verb block's patterns in order, though it tests only
 * those filed under a bit the clause has (kh_anchors), and a synset's
 * alternatives the same way. */
#include "testutil.h"
#include "buf.h"
#include "dict.h"
#include "dict_index.h"
#include <stdlib.h>
#include <string.h>

/* t.actors is TABARI's syntax: a word with no "_" after it is a stem. */
static const char actors[] =
    "ELEND [ELE]\n"
    "ELENDILMIR [EMR]\n"
    "ANTIDISESTABLISHMENTARIANISMXYZ [L31]\n"
    "ANTIDISESTABLISHMENTARIANISMXYZQQ [L33]\n"
    "ANTIDISESTABLISHMENTARIANISMQ [L29]\n";

static void expect_actor(kh_coder *c, const char *text, const char *want)
{
    char *got = kh_coder_actor_code(c, text, strlen(text), 20110101);
    if (want ? !got || strcmp(got, want) != 0 : got != NULL)
        fail_msg("\"%s\": actor %s, not %s", text, got ? got : "(none)",
                 want ? want : "(none)");
    free(got);
}

/* A sentence and the actor coded in it (NULL: none). */
typedef struct actor_case {
    const char *text, *want;
} actor_case;

/* Codes each of the `n` cases with the actors dictionary `actors`. */
static void expect_actors(const char *actors_text, const actor_case *cases, size_t n)
{
    kh_dict *dict = test_dict(actors_text, "", "");
    kh_coder *c = kh_coder_new(dict);
    for (size_t i = 0; i < n; i++)
        expect_actor(c, cases[i].text, cases[i].want);
    kh_coder_free(c);
    kh_dict_free(dict);
}

static void test_stems_longest_first(void **state)
{
    static const actor_case cases[] = {
        {"Elendilmirs arrived.", "EMR"},
        {"Elendur arrived.", "ELE"},
        {"Elend arrived.", "ELE"},
        {"Elrond arrived.", NULL},       /* EL begins no stem of its length */
        {"Antidisestablishmentarianismxyzqqs arrived.", "L33"},
        {"Antidisestablishmentarianismxyzq arrived.", "L31"},
        {"Antidisestablishmentarianismxyz arrived.", "L31"},
        {"Antidisestablishmentarianismqs arrived.", "L29"},
        {"Antidisestablishmentarianism arrived.", NULL},
    };
    expect_actors(actors, cases, sizeof cases / sizeof cases[0]);
}

/* A word of the dictionary whose own entries do not match may still
 * match by a stem that begins it or by its base after a regular ending:
 * kh_index_find skips those lookups only for the words that have neither
 * (dict_index.h: stems_or_bases), and these two have one each. */
static const char own_entries_fail[] =
    "ELEND [ELE]\n"
    "ELENDUR_GONDOR_ [EGO]\n"
    "MINISTER_ [MIN]\n"
    "MINISTERS_OF_WAR_ [MOW]\n";

static void test_stems_and_bases_of_dictionary_words(void **state)
{
    static const actor_case cases[] = {
        {"Elendur Gondor arrived.", "EGO"},
        {"Elendur arrived.", "ELE"},
        {"Ministers of war arrived.", "MOW"},
        {"Ministers arrived.", "MIN"},
        {"Gondor arrived.", NULL},      /* a dictionary word with neither */
    };
    expect_actors(own_entries_fail, cases, sizeof cases / sizeof cases[0]);
}

/* Words that are no dictionary word are looked up only if a stem may
 * begin them or they end in a regular ending (kh_index_unknown_may_start),
 * and dictionary words with no entries, stems or bases not at all
 * (kh_index_may_start); the entries of a word are passed over by what
 * their second word needs, and a phrase's last word may take an ending
 * (kh_word_matches_slow).  None of it may lose a match.  "US" in
 * capitals is read as "U.S.", whose stems and bases are not looked up
 * for it (kh_index_sentence: respelled). */
static const char unknown_words[] =
    "MINISTER_ [MIN]\n"
    "U.S._ [USA]\n"
    "USURP [USP]\n"
    "ONE_CARRY_ [ONC]\n"
    "ONE_MAKE_ [ONM]\n"
    "ONE_ELE [ONE]\n"
    "ONE_OF_THE_ENTS_ [ENT]\n"
    "TREE_ [TRE]\n";

static void test_unknown_words_and_endings(void **state)
{
    static const actor_case cases[] = {
        {"Ministers arrived.", "MIN"},          /* the base of no dictionary word */
        {"Ministry arrived.", NULL},
        {"The US arrived.", "USA"},
        {"They told us.", NULL},
        {"The usurpers arrived.", "USP"},       /* a stem that begins it */
        {"Then one carries it.", "ONC"},
        {"Then one carried it.", "ONC"},
        {"Then one making it.", "ONM"},
        {"Then one elendil came.", "ONE"},
        {"Then one of the ents came.", "ENT"},
        {"Then one of the trees came.", "TRE"},  /* ONE_OF_THE_ENTS_ needs ENTS */
        {"Then one came.", NULL},
    };
    expect_actors(unknown_words, cases, sizeof cases / sizeof cases[0]);
}

/* Patterns a verb block files under their anchors (dict_index.h:
 * kh_anchors): a block of more than 64 patterns, so that its sets
 * take more than one number, with a pattern that needs no word, patterns
 * that need one word, and one that needs two.  The coder must try
 * exactly the patterns it tried before: the first that matches, in the
 * block's order. */
enum { ONE_WORD_PATTERNS = 70 };

/* A block and a synset of at most 64, whose sets are one number each
 * (dict_index.c: one_word_candidates). */
enum { SMALL_BLOCK_PATTERNS = 10 };

/* The verbs, NUL-terminated, in `b`: the block, with `n` one-word
 * patterns, and a synset of as many alternatives (its own anchors) under
 * another verb. */
static const char *block_verbs(kh_buf *b, int n)
{
    kh_buf_adds(b, "&ARMS\n");
    for (int i = 0; i < n; i++)
        kh_buf_printf(b, "+GUN%d\n", i);
    kh_buf_adds(b, "+HEAVY_GUN\n+GUN\n");
    kh_buf_adds(b, "--- FIGHT [180] ---\nFIGHT\n- * + WITH &ARMS [181]\n");
    kh_buf_adds(b, "--- ATTACK [190] ---\nATTACK\n");
    /* tried longest first: the two-word pattern, the one-word ones, the
     * one that needs a target only */
    kh_buf_adds(b, "- * + WITH HEAVY ARTILLERY [194]\n");
    for (int i = 0; i < n; i++)
        kh_buf_printf(b, "- * + WITH WEAPON%d [%d]\n", i, 100 + i);
    /* a word any word it begins matches: filed under its first letter,
     * the anchors' third number */
    kh_buf_adds(b, "- * + DAGGER~ [195]\n");
    kh_buf_adds(b, "- * + [193]\n");
    kh_buf_addc(b, '\0');
    return b->data;
}

static const char *event_code(kh_coder *c, kh_events *ev, const char *text)
{
    kh_events_clear(ev);
    kh_code_sentence(c, text, strlen(text), 20110101, ev);
    return ev->count ? ev->items[0].code : "";
}

/* A sentence and the code of its first event ("": none). */
typedef struct event_case {
    const char *text, *want;
} event_case;

/* Codes each of the `count` cases with the verbs of block_verbs(n). */
static void expect_events(int n, const event_case *cases, size_t count)
{
    kh_buf verbs = {0};
    kh_dict *dict = test_dict("ARNOR_ [ARN]\nGONDOR_ [GON]\n", "", block_verbs(&verbs, n));
    kh_coder *c = kh_coder_new(dict);
    kh_events ev;
    kh_events_init(&ev);
    for (size_t i = 0; i < count; i++)
        assert_string_equal(event_code(c, &ev, cases[i].text), cases[i].want);
    kh_events_free(&ev);
    kh_coder_free(c);
    kh_dict_free(dict);
    kh_buf_free(&verbs);
}

static void test_big_block(void **state)
{
    static const event_case cases[] = {
        {"Arnor attacked Gondor with weapon3.", "103"},
        {"Arnor attacked Gondor with weapon69.", "169"},
        /* the block's order (longest first, then as written), not the
         * sentence's */
        {"Arnor attacked Gondor with weapon64 weapon12.", "112"},
        {"Arnor attacked Gondor with weapon1 weapon12.", "112"},
        {"Arnor attacked Gondor with heavy artillery.", "194"},
        {"Arnor attacked Gondor with artillery.", "193"},
        {"Arnor attacked Gondor with daggers.", "195"},
        {"Arnor attacked Gondor.", "193"},
        {"Arnor fought Gondor with gun2.", "181"},
        {"Arnor fought Gondor with gun69.", "181"},
        {"Arnor fought Gondor with heavy gun.", "181"},
        {"Arnor fought Gondor with gun.", "181"},
        {"Arnor fought Gondor with gun70.", "180"},
    };
    expect_events(ONE_WORD_PATTERNS, cases, sizeof cases / sizeof cases[0]);
}

static void test_small_block(void **state)
{
    static const event_case cases[] = {
        {"Arnor attacked Gondor with weapon3.", "103"},
        {"Arnor attacked Gondor with weapon9.", "109"},
        {"Arnor attacked Gondor with heavy artillery.", "194"},
        {"Arnor attacked Gondor with artillery.", "193"},
        {"Arnor attacked Gondor with daggers.", "195"},
        {"Arnor fought Gondor with gun2.", "181"},
        {"Arnor fought Gondor with heavy gun.", "181"},
        {"Arnor fought Gondor with gun.", "181"},
        {"Arnor fought Gondor with a sword.", "180"},
    };
    expect_events(SMALL_BLOCK_PATTERNS, cases, sizeof cases / sizeof cases[0]);
}

/* kh_word_set_word sets bit b of the 128 by masks (dict_index.h): each
 * bit lands in its own word and place, and only there. */
static void test_word_set_bits(void **state)
{
    for (unsigned b = 0; b < KH_WORD_SET_BITS; b++) {
        kh_word_set s = {{0, 0}, 0};
        kh_word_set_word(&s, b);
        assert_true(s.words[b / 64] == 1ull << (b % 64));
        assert_true(s.words[1 - b / 64] == 0 && s.letters == 0);
        kh_word_set t = kh_token_bits("X", "X", b);
        assert_true(t.words[0] == s.words[0] && t.words[1] == s.words[1]);
        t = kh_token_bits("X", NULL, 0);
        assert_true(t.words[0] == 0 && t.words[1] == 0 && t.letters == kh_letter_bit('X'));
    }
}

/* Once built, a word's slot in the word map holds its summary
 * (KH_SUMMARY_*), which the tagger reads instead of the word's record:
 * for every word of the default dictionaries the two must agree, and a
 * word the dictionaries lack has none. */
static void test_word_summaries(void **state)
{
    kh_diag diag;
    kh_diag_init(&diag);
    diag.quiet = 1;
    kh_dict *dict = kh_dict_new();
    assert_int_equal(kh_dict_load_defaults(dict, &diag), 0);
    kh_dict_freeze(dict);
    const struct kh_index *ix = dict->index;
    assert_true(ix->word.count > 1000);
    size_t starts = 0;
    for (size_t w = 0; w < ix->word.count; w++) {
        const kh_index_word *word = ix->word.items[w];
        unsigned char summary = 0xff;
        const char *canon = kh_index_lookup(ix, word->text, strlen(word->text), &summary);
        assert_ptr_equal(canon, word->text);
        assert_int_equal(summary & KH_SUMMARY_BIT, word->bit);
        int may_start = (word->count | word->stems_or_bases) != 0;
        assert_int_equal((summary & KH_SUMMARY_STARTS) != 0, may_start);
        starts += (size_t)may_start;
    }
    /* both kinds are there: the test would pass vacuously otherwise */
    assert_true(starts > 0 && starts < ix->word.count);
    unsigned char summary = 0xff;
    assert_null(kh_index_lookup(ix, "XQZZYVW", 7, &summary));
    assert_int_equal(summary, 0);
    kh_dict_free(dict);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stems_longest_first),
        cmocka_unit_test(test_stems_and_bases_of_dictionary_words),
        cmocka_unit_test(test_unknown_words_and_endings),
        cmocka_unit_test(test_big_block),
        cmocka_unit_test(test_small_block),
        cmocka_unit_test(test_word_summaries),
        cmocka_unit_test(test_word_set_bits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
