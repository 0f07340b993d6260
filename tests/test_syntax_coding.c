/* test_syntax_coding.c -- what the structure decides in the coder
 * (kh_coder_options.syntax, the PETRARCH-2 preset): a table of sentences
 * of our own with the events a careful coder gives them, on a small
 * dictionary written for the test, and the same sentences under TABARI's
 * rules, where the sparse parse still guesses. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>

static const char actors[] =
    "TURKEY [TUR]\nGREECE [GRC]\nCYPRUS [CYP]\nIRAN [IRN]\nSAUDI_ARABIA [SAU]\n"
    "KABUL [AFG]\nTALIBAN [AFGINS]\nRUSSIA [RUS]\nARMENIA [ARM]\nKENYA [KEN]\n"
    "EGYPT [EGY]\nJORDAN [JOR]\nPHARAOH [EGYGOV]\nBALKAN_PACT [TUR/GRC]\n"
    "THE_CABAL [+++]\n";
static const char agents[] = "FIGHTERS [~MIL]\nREBELS [~REB]\n";
static const char verbs[] =
    "--- SAY [010] ---\nSAY\nTELL\n"
    "--- ATTACK [190] ---\nATTACK\nSTRIKE\n- FIERCELY * [195]\n- NAVY * [1952]\n"
    "--- WITHDRAW [0874] ---\nWITHDRAW\n"
    "--- ACCUSE [112] ---\nACCUSE\n"
    "--- PROVIDE [070] ---\nPROVIDE\n- * SUPPORT TO + [070]\n"
    "--- TALK [040] ---\nTALK\n- * WITH + [040]\n"
    "--- CLASH [110] ---\nCLASH\n"
    "--- TRY [---] ---\nTRY\n"
    "--- SPONSOR [050] ---\nSPONSOR\n"
    "--- WIRETAP [170] ---\nWIRE_+TAP {WIRE_+TAPPED WIRE_+TAPPING}\n"
    "--- LAUNCH [---] ---\nLAUNCH\n- * OFFENSIVE [190]\n"
    "--- SHELL [195] ---\nSHELL\n"
    "--- HELP [070] ---\nHELP\n- WILL * + [071]\n"
    "--- REACH [---] ---\nREACH\n- * AGREEMENT WITH + [057]\n"
    "--- IMPOSE [163] ---\nIMPOSE\n"
    "--- THREATEN [130] ---\nTHREATEN\n- * (TO IMPOSE SANCTIONS) [1312]\n";

typedef struct syntax_case {
    const char *text;
    const char *events;   /* "SRC/TGT/CODE" in order, ";"-joined; "" none;
                             a trailing "!" marks a negated event */
} syntax_case;

static const syntax_case petrarch_cases[] = {
    /* reported speech: the complement is coded with its own subject */
    {"Turkey said on Monday that Greece must withdraw from Cyprus.", "GRC/CYP/0874"},
    {"Turkey said Greece attacked Cyprus on Sunday.", "GRC/CYP/190"},
    /* ... and a bare statement stays a statement */
    {"Turkey told Greece that the talks had gone badly.", "TUR/GRC/010"},
    /* a verb only when tagged one */
    {"The general strike paralysed Kenya on Tuesday.", ""},
    /* a noun codes through a pattern that starts with it */
    {"Egypt spoke on Monday after talks with Jordan.", "EGY/JOR/040"},
    /* passive voice */
    {"Kabul was attacked by Taliban fighters on Sunday.", "AFGINSMIL/AFG/190"},
    /* a relative clause does not hide the main verb */
    {"Iran, which backs the rebels, accused Saudi Arabia of aggression.", "IRN/SAU/112"},
    /* a negation between a pattern's words */
    {"Russia said it would not provide support to Armenia.", "RUS/ARM/070!"},
    /* the source is the subject of the verb's own group, also after a
     * preposition that opens a clause */
    {"Kenya expelled the envoy of Egypt after Russian fighters attacked Armenia.",
     "RUSMIL/ARM/190"},
    /* a passive verb's doer without BY: PETRARCH-2 also looks in FROM and
     * IN phrases */
    {"Greece was attacked from Turkey on Sunday.", "TUR/GRC/190"},
    /* an active verb with a subject takes no target from before it */
    {"Turkey welcomed Greece two years after crowds attacked the port.", ""},
    /* a final ", X said" only attributes the event of the clause before */
    {"Russia attacked Armenia on Sunday, the foreign minister of Egypt told Jordan in a long "
     "telephone call.", "RUS/ARM/190"},
    /* "Radagast the Brown" is one name, so the phrase before is passed
     * over as the object of a preposition */
    {"Kenya, the rival of Pharaoh the Great, attacked Egypt.", "KEN/EGY/190"},
    /* nouns that look like verbs */
    {"Egypt's general strike worried Jordan.", ""},
    {"Turkey's attack on the convoy angered Greece.", ""},
    {"A Turkey-sponsored group attacked Cyprus.", "TUR/CYP/190"},
    /* a conjunction between nouns does not end the clause */
    {"Turkey launched a new bombing and shelling offensive against Cyprus.", "TUR/CYP/190"},
    /* a list-coded actor is each of its codes */
    {"The Balkan Pact attacked Cyprus.", "TUR/CYP/190;GRC/CYP/190"},
    /* a passive verb's doer is never in a WITH phrase */
    {"Greece was attacked over its quarrel with Turkey.", "GRC/TUR/190"},
    /* a "+++" actor: too complex to code */
    {"The Cabal attacked Cyprus.", ""},
    /* a pattern's words before the verb match anywhere before it */
    {"Turkey fiercely attacked Cyprus.", "TUR/CYP/195"},
    {"The navy of Turkey attacked Cyprus.", "TUR/CYP/1952"},
};

/* Modality under either reading of intents. */
#define MODALITY_CASES(say_intent, talk_intent, must_withdraw)                          \
    {"Russia will provide support to Armenia.", "RUS/ARM/" say_intent},                \
    {"Turkey plans to talk with Greece.", "TUR/GRC/" talk_intent},                     \
    {"Egypt agreed to talk with Jordan.", "EGY/JOR/" talk_intent},                     \
    /* the pattern spells out the modal: it decides */                                 \
    {"Kenya will help Egypt.", "KEN/EGY/071"},                                        \
    /* negated, not an intent */                                                       \
    {"Russia said it would not provide support to Armenia.", "RUS/ARM/070!"},          \
    {"Egypt failed to reach an agreement with Jordan.", "EGY/JOR/057!"},               \
    /* a threat, and the condition is not the threat's */                              \
    {"Iran threatened to impose sanctions on Kenya if it attacked Egypt.", "IRN/KEN/1312"}, \
    /* an obligation in reported speech: the reporter's demand */                      \
    {"Turkey said on Monday that Greece must withdraw from Cyprus.", must_withdraw},     \
    {"Turkey said that Greece withdrew from Cyprus.", "GRC/CYP/0874"}

static const syntax_case dictionary_intent_cases[] = {
    MODALITY_CASES("070", "040", "GRC/CYP/0874")};
static const syntax_case codebook_intent_cases[] = {
    MODALITY_CASES("033", "036", "TUR/GRC/1056")};

static void codebook(kh_coder_options *o)
{
    kh_coder_options_default(o);
    o->intents = KH_INTENTS_CODEBOOK;
}

/* Opening comma phrases of 3 to 6 words are dropped (as in PETRARCH's
 * suites), but a comma between adjectives opens no phrase. */
static void opening_commas(kh_coder_options *o)
{
    kh_coder_options_default(o);
    o->comma_begin_min = 3;
    o->comma_begin_max = 6;
}

static const syntax_case comma_cases[] = {
    {"Turkey attacked poor, defenceless Cyprus on Monday.", "TUR/CYP/190"},
};

/* PETRARCH's new actors: a noun phrase no dictionary knows, ended where
 * the chunker ends it. */
static void new_actors(kh_coder_options *o)
{
    kh_coder_options_default(o);
    o->new_actor_length = 4;
}

static const syntax_case new_actor_cases[] = {
    {"Recently the Lindon Council attacked the Harad Assembly twice.",
     "\"THE LINDON COUNCIL\"/\"THE HARAD ASSEMBLY\"/190"},
    {"The Lindon Council attacked Cyprus.", "\"THE LINDON COUNCIL\"/CYP/190"},
};

/* UD-PETRARCH's conventions (kh_coder_options_ud). */
static const syntax_case ud_cases[] = {
    {"The Balkan Pact attacked Cyprus.", "TUR/GRC/CYP/190"},
    {"Greece was attacked over its quarrel with Turkey.", "TUR/GRC/190"},
    {"The Cabal attacked Cyprus.", "+++/CYP/190"},
    /* ... only in the verb's subject */
    {"Turkey fiercely attacked Cyprus.", "TUR/CYP/190"},
    {"The navy of Turkey attacked Cyprus.", "TUR/CYP/1952"},
};

/* TABARI's rules: no syntax, the sparse parse as before. */
static const syntax_case tabari_cases[] = {
    {"Turkey said on Monday that Greece must withdraw from Cyprus at once.", "TUR/GRC/010"},
    /* the comma rule drops the predicate with the relative clause */
    {"Iran, which backs the rebels, accused Saudi Arabia of aggression today.", ""},
};

typedef void preset_fn(kh_coder_options *);

static void run_on(const kh_dict *dict, const syntax_case *cases, size_t count,
                   preset_fn *preset, const char *name)
{
    kh_coder *coder = kh_coder_new(dict);
    kh_coder_options o;
    preset(&o);
    kh_coder_set_options(coder, &o);
    kh_events ev;
    kh_events_init(&ev);
    char got[512];
    int failures = 0;
    for (size_t i = 0; i < count; i++) {
        kh_events_clear(&ev);
        kh_coder_begin_document(coder);
        kh_code_sentence(coder, cases[i].text, strlen(cases[i].text), 20240101, &ev);
        test_events_text(&ev, got, sizeof got);
        if (strcmp(got, cases[i].events) != 0) {
            print_error("%s: \"%s\": expected {%s}, got {%s}\n", name,
                        cases[i].text, cases[i].events, got);
            failures++;
        }
    }
    kh_events_free(&ev);
    kh_coder_free(coder);
    assert_int_equal(failures, 0);
}

static void run_cases(const syntax_case *cases, size_t count, preset_fn *preset,
                      const char *name)
{
    kh_dict *dict = test_dict(actors, agents, verbs);
    run_on(dict, cases, count, preset, name);
    kh_dict_free(dict);
}

/* An internal coding ontology (PETRARCH's PICO): "not" a code is the
 * code whose value is its own minus 0xFFFF. */
static const char ontology[] =
    "# a test ontology\n050:0x0080#DiplomaticCoop\n070:0x0040\n"
    "110:0x1007f#0xFFFF+0x0080#0x7000#Disapprove\n120:-0xFFFF#Reject\n"
    "122:-0xFFFF+0x0040\n190:0x0090\n170:0x0095\n057:-0xFFFF+0x0095\n---:0\n";

static const syntax_case ontology_cases[] = {
    {"Kenya did not clash with Egypt.", "KEN/EGY/050"},
    {"Kenya will not provide support to Egypt.", "KEN/EGY/122"},
    /* no opposite in the ontology: the event stays negated */
    {"Kenya did not attack Egypt.", "KEN/EGY/190!"},
    /* only the verb's own negation has an opposite */
    {"Kenya will not try to clash with Egypt.", "KEN/EGY/110!"},
    /* a multi-word verb the tagger splits into two verbs is one verb */
    {"Kenya will not wire tap the phones of Egypt.", "KEN/EGY/057"},
};

static void test_ontology_negation(void **state)
{
    (void)state;
    kh_diag d;
    kh_diag_init(&d);
    kh_dict *dict = kh_dict_new();
    kh_dict_load_buffer(dict, KH_DICT_ACTORS, "t.actors", actors, strlen(actors), &d);
    kh_dict_load_buffer(dict, KH_DICT_AGENTS, "t.agents", agents, strlen(agents), &d);
    kh_dict_load_buffer(dict, KH_DICT_VERBS, "t.verbs", verbs, strlen(verbs), &d);
    kh_dict_load_buffer(dict, KH_DICT_ONTOLOGY, "t.pico", ontology, strlen(ontology), &d);
    assert_int_equal(d.errors, 0);
    kh_dict_freeze(dict);
    run_on(dict, ontology_cases, sizeof ontology_cases / sizeof ontology_cases[0],
           kh_coder_options_default, "ontology");
    kh_dict_free(dict);
}

static void test_petrarch_syntax(void **state)
{
    (void)state;
    run_cases(petrarch_cases, sizeof petrarch_cases / sizeof petrarch_cases[0],
              kh_coder_options_default, "petrarch");
}

static void test_tabari_sparse(void **state)
{
    (void)state;
    run_cases(tabari_cases, sizeof tabari_cases / sizeof tabari_cases[0],
              kh_coder_options_tabari, "tabari");
}

static void test_intents(void **state)
{
    (void)state;
    run_cases(dictionary_intent_cases,
              sizeof dictionary_intent_cases / sizeof dictionary_intent_cases[0],
              kh_coder_options_default, "intents dictionary");
    run_cases(codebook_intent_cases,
              sizeof codebook_intent_cases / sizeof codebook_intent_cases[0], codebook,
              "intents codebook");
}

static void test_adjective_commas(void **state)
{
    (void)state;
    run_cases(comma_cases, sizeof comma_cases / sizeof comma_cases[0], opening_commas,
              "opening commas");
}

static void test_new_actors(void **state)
{
    (void)state;
    run_cases(new_actor_cases, sizeof new_actor_cases / sizeof new_actor_cases[0], new_actors,
              "new actors");
}

static void test_ud_conventions(void **state)
{
    (void)state;
    run_cases(ud_cases, sizeof ud_cases / sizeof ud_cases[0], kh_coder_options_ud, "ud");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_petrarch_syntax),
        cmocka_unit_test(test_tabari_sparse),
        cmocka_unit_test(test_ontology_negation),
        cmocka_unit_test(test_ud_conventions),
        cmocka_unit_test(test_intents),
        cmocka_unit_test(test_adjective_commas),
        cmocka_unit_test(test_new_actors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
