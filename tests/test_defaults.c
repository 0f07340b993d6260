/*
 * test_defaults.c -- the dictionaries compiled into the binary (the files
 * in data/) load without a single diagnostic and are as large as
 * data/README.md promises.  A typo in a data file fails here, at `make
 * check`, rather than silently dropping an entry at run time.
 */
#include "testutil.h"
#include "dict.h"
#include "khaldun.h"

#include <stdio.h>
#include <string.h>

/* The sizes data/README.md promises; raise them as the files grow. */
enum {
    MIN_ACTORS = 2300,      /* countries, organisations and leaders */
    MIN_AGENTS = 400,
    MIN_PATTERNS = 1500,    /* the brief's floor for the verb lexicon */
    MIN_VERBS = 400,
    MIN_DISCARDS = 80,
    /* Every CAMEO root gets real coverage; root 20, the thinnest, has
     * about 80 (tools/dict_stats.sh prints the table). */
    MIN_PATTERNS_PER_ROOT = 50
};

/* Collects diagnostics so a failing run shows every one of them. */
static void print_sink(void *ctx, kh_severity sev, const char *file, long line,
                       const char *message)
{
    (void)ctx;
    fprintf(stderr, "  %s: %s:%ld: %s\n", sev == KH_ERROR ? "error" : "warning",
            file ? file : "?", line, message);
}

static kh_dict *load_defaults(kh_diag *diag)
{
    kh_diag_init(diag);
    diag->sink = print_sink;
    kh_dict *dict = kh_dict_new();
    assert_int_equal(kh_dict_load_defaults(dict, diag), 0);
    return dict;
}

static void test_defaults_load_cleanly(void **state)
{
    (void)state;
    kh_diag diag;
    kh_dict *dict = load_defaults(&diag);
    assert_int_equal(diag.errors, 0);
    assert_int_equal(diag.warnings, 0);
    kh_dict_freeze(dict);
    kh_dict_free(dict);
}

static void test_defaults_sizes(void **state)
{
    (void)state;
    kh_diag diag;
    kh_dict *dict = load_defaults(&diag);
    kh_dict_stats st;
    kh_dict_get_stats(dict, &st);
    fprintf(stderr, "  defaults: %zu actors, %zu agents, %zu verbs, %zu patterns, "
            "%zu synsets, %zu discards\n", st.actors, st.agents, st.verbs,
            st.patterns, st.synsets, st.discards);
    assert_true(st.actors >= MIN_ACTORS);
    assert_true(st.agents >= MIN_AGENTS);
    assert_true(st.verbs >= MIN_VERBS);
    assert_true(st.patterns >= MIN_PATTERNS);
    assert_true(st.discards >= MIN_DISCARDS);
    kh_dict_free(dict);
}

/* Finds the first actor whose phrase is exactly `words` (blank-separated,
 * upper-case); NULL if none. */
static const kh_actor *find_actor(const kh_dict *dict, const char *words)
{
    for (size_t i = 0; i < dict->actors.count; i++) {
        const kh_phrase *ph = &dict->actors.items[i].phrase;
        char buf[256];
        size_t n = 0;
        for (int w = 0; w < ph->count && n < sizeof buf - 1; w++)
            n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s", w ? " " : "",
                                  ph->words[w]);
        if (strcmp(buf, words) == 0)
            return &dict->actors.items[i];
    }
    return NULL;
}

/* The code an actor has on `date` (0: its undated code). */
static const char *code_on(const kh_actor *a, long date)
{
    for (int i = 0; i < a->codes->count; i++) {
        const kh_dated_code *c = &a->codes->items[i];
        if ((c->from == 0 || date >= c->from) && (c->to == 0 || date <= c->to))
            return c->code;
    }
    return NULL;
}

/* Dated roles: a phrase, a day, the code it has that day. */
typedef struct dated_case {
    const char *phrase;
    long date;
    const char *code;
} dated_case;

static const dated_case dated_cases[] = {
    /* Trump in and out of office */
    {"TRUMP", 20180601, "USAGOV"}, {"TRUMP", 20230601, "USAELI"}, {"TRUMP", 20250601, "USAGOV"},
    /* the Taliban before and after taking Kabul */
    {"TALIBAN", 20150101, "AFGINS"}, {"TALIBAN", 20220101, "AFGGOV"},
    /* roles that changed in 2025 and 2026 */
    {"MADURO", 20250601, "VENGOV"}, {"MADURO", 20260201, "VENELI"},
    {"SHMYHAL", 20240601, "UKRGOV"}, {"SHMYHAL", 20250901, "UKRGOVMIL"},
    {"ORBAN", 20000101, "HUNGOV"}, {"ORBAN", 20060101, "HUNOPP"},
    /* out of office a former official is ELI */
    {"OLMERT", 20120101, "ISRELI"},
};

static void test_defaults_key_actors(void **state)
{
    (void)state;
    kh_diag diag;
    kh_dict *dict = load_defaults(&diag);
    const kh_actor *a;

    assert_non_null(a = find_actor(dict, "AZERBAIJANI"));
    assert_string_equal(code_on(a, 0), "AZE");
    assert_non_null(a = find_actor(dict, "TEHRAN"));
    assert_string_equal(code_on(a, 0), "IRN");
    assert_non_null(a = find_actor(dict, "U.S."));
    assert_string_equal(code_on(a, 0), "USA");
    /* The pronoun "us" must never be the United States. */
    assert_null(find_actor(dict, "US"));
    assert_non_null(a = find_actor(dict, "NATO"));
    assert_string_equal(code_on(a, 0), "IGOWSTNAT");
    assert_non_null(a = find_actor(dict, "DAESH"));
    assert_string_equal(code_on(a, 0), "IMGMOSISI");

    for (size_t i = 0; i < sizeof dated_cases / sizeof *dated_cases; i++) {
        const dated_case *c = &dated_cases[i];
        assert_non_null(a = find_actor(dict, c->phrase));
        if (strcmp(code_on(a, c->date), c->code) != 0)
            fail_msg("%s on %ld: expected %s, got %s", c->phrase, c->date, c->code,
                     code_on(a, c->date));
    }
    kh_dict_free(dict);
}

static void test_defaults_cover_every_cameo_root(void **state)
{
    (void)state;
    kh_diag diag;
    kh_dict *dict = load_defaults(&diag);
    int per_root[21] = {0};
    for (size_t i = 0; i < dict->patterns.count; i++) {
        const char *c = dict->patterns.items[i].code.code;
        if (c[0] >= '0' && c[0] <= '2' && c[1] >= '0' && c[1] <= '9') {
            int root = (c[0] - '0') * 10 + (c[1] - '0');
            if (root >= 1 && root <= 20)
                per_root[root]++;
        }
    }
    for (int root = 1; root <= 20; root++) {
        if (per_root[root] < 20)
            fprintf(stderr, "  root %02d has only %d patterns\n", root, per_root[root]);
        assert_true(per_root[root] >= MIN_PATTERNS_PER_ROOT);
    }
    kh_dict_free(dict);
}


/* ---- sentences coded with the defaults ---- */

typedef struct default_case {
    const char *text;
    long date;
    const char *events;   /* "SRC/TGT/CODE" in order, ";"-joined; "" none */
} default_case;

/* Our own sentences for the actors, names and roles the defaults must
 * know: armed groups, demonyms, seats of government, "US", dated roles. */
static const default_case sentence_cases[] = {
    {"The Arakan Army attacked Myanmar troops in Rakhine state on Sunday.", 20240301,
     "MMRREB/MMRMIL/190"},
    {"The TNLA and the MNDAA attacked Myanmar army positions in Shan state.", 20240301,
     "MMRREB/MMRMIL/190;MMRREB/MMRMIL/190"},
    {"The National Unity Government urged ASEAN to reject the election.", 20240301,
     "MMROPP/IGOSEAASN/024"},
    {"The National Resistance Front attacked Taliban fighters in Panjshir.", 20240301,
     "AFGREB/AFGGOV/190"},
    {"The Baloch Liberation Army attacked a Pakistani army convoy on Tuesday.", 20250301,
     "PAKREB/PAKMIL/190"},
    {"Fano militias attacked Ethiopian forces near Gondar.", 20240301, "ETHREB/ETHMIL/190"},
    {"Kataib Hezbollah attacked US forces in Syria.", 20240101, "IRQUAF/USAMIL/190"},
    {"JNIM militants attacked Malian soldiers near Mopti.", 20240301, "IMGMOSALQREB/MLIMIL/190"},
    {"Maduro criticized the United States.", 20250601, "VENGOV/USA/111"},
    {"Maduro criticized the United States.", 20260201, "VENELI/USA/111"},
    {"Orban criticized the European Commission on Friday.", 20250601, "HUNGOV/IGOEUREEC/111"},
    {"The Kremlin accused Ukraine of attacking civilians.", 20240301, "RUSGOV/UKR/1123"},
    {"The Blue House criticized Pyongyang.", 20150301, "KORGOV/PRK/111"},
    {"Emirati officials met Sudanese leaders.", 20240301, "AREGOV/SDNGOV/040"},
    {"Azeri forces attacked Armenian positions.", 20230901, "AZEMIL/ARM/190"},
    {"Congolese soldiers clashed with M23 rebels.", 20240301, "CODMIL/CODREB/190"},
    /* the support-verb and nominal phrasings news uses (issue 9) */
    {"Russia launched an offensive against Ukraine on Monday.", 20240301, "RUS/UKR/190"},
    {"Israel carried out air strikes on Lebanon overnight.", 20240301, "ISR/LBN/195"},
    {"The European Union imposed sanctions on Iran.", 20240301, "IGOEUREEC/IRN/163"},
    {"China held talks with Japan in Beijing.", 20240301, "CHN/JPN/040"},
    {"Egypt signed a deal with Sudan on Tuesday.", 20240301, "EGY/SDN/057"},
    {"The United Nations called on Israel to halt the offensive.", 20240301, "IGOUNO/ISR/020"},
    {"France deployed troops to Estonia.", 20240301, "FRA/EST/154"},
    {"Morocco cut ties with Iran.", 20240301, "MAR/IRN/161"},
    {"China lodged a protest with Japan over the visit.", 20240301, "CHN/JPN/114"},
    {"Japan pledged aid to Ukraine.", 20240301, "JPN/UKR/033"},
    /* the two CAMEO codes that had no pattern of their own */
    {"Mali expelled the international mission of the African Union.", 20240301,
     "MLI/IGOAFRAFU/166"},
    {"Syrian forces used weapons of mass destruction against Iraq.", 20240301, "SYRMIL/IRQ/204"},
    {"Poland closed its border with Belarus.", 20240301, "POL/BLR/191"},
    {"Egypt brokered a ceasefire between Israel and Hamas.", 20240301, "EGY/ISR/045;EGY/PSEREBHMS/045"},
    {"Japan reached an agreement with South Korea.", 20240301, "JPN/KOR/057"},
    {"Israel negotiated with Hamas over the release of hostages.", 20240301, "ISR/PSEREBHMS/046"},
    {"Sweden joined NATO in March.", 20240301, "SWE/IGOWSTNAT/057"},
    {"Algeria recalled its ambassador to Spain.", 20240301, "DZA/ESP/161"},
    {"Protesters stormed the French embassy.", 20240301, "---OPP/FRAGOV/145"},
    {"China staged military drills near Taiwan.", 20240301, "CHN/TWN/150"},
    {"Russia placed the opposition leader under house arrest.", 20240301, "RUS/---OPP/173"},
    /* codes that had no verb or pattern at all */
    {"The United States urged Russia to back down.", 20240301, "USA/RUS/025"},
    {"China demanded that Japan make concessions.", 20240301, "CHN/JPN/105"},
    {"Iran rejected an offer of cooperation from the United States.", 20240301, "IRN/USA/121"},
    {"China threatened Lithuania with countermeasures.", 20240301, "CHN/LTU/131"},
    /* "US" in capitals is the country; the pronoun is not */
    {"The US imposed sanctions on Iran.", 20240301, "USA/IRN/163"},
    {"Iran accused the US of aggression.", 20240301, "IRN/USA/1123"},
    {"Let us hope Iran will talk.", 20240301, ""},
};

static void test_defaults_code_sentences(void **state)
{
    (void)state;
    kh_diag diag;
    kh_dict *dict = load_defaults(&diag);
    kh_dict_freeze(dict);
    kh_coder *coder = kh_coder_new(dict);
    kh_events ev;
    kh_events_init(&ev);
    char got[512];
    int failures = 0;
    for (size_t i = 0; i < sizeof sentence_cases / sizeof *sentence_cases; i++) {
        const default_case *c = &sentence_cases[i];
        kh_events_clear(&ev);
        kh_coder_begin_document(coder);
        kh_code_sentence(coder, c->text, strlen(c->text), c->date, &ev);
        test_events_text(&ev, got, sizeof got);
        if (strcmp(got, c->events) != 0) {
            print_error("\"%s\" (%ld): expected {%s}, got {%s}\n", c->text, c->date,
                        c->events, got);
            failures++;
        }
    }
    kh_events_free(&ev);
    kh_coder_free(coder);
    kh_dict_free(dict);
    assert_int_equal(failures, 0);
}

/* ---- the document's country for "the junta", "the regime" ---- */

/* The events of `text` coded as one article through the pipeline. */
static void code_article(const kh_dict *dict, const char *text, char *got, size_t size)
{
    kh_pipeline *p = kh_pipeline_new(dict, NULL);
    kh_coded_doc coded;
    kh_coded_doc_init(&coded);
    kh_doc doc = {0};
    doc.text = strdup(text);
    doc.len = strlen(text);
    doc.date = 20240301;
    kh_pipeline_code(p, &doc, &coded);
    size_t n = 0;
    got[0] = 0;
    for (size_t i = 0; i < coded.count && n < size; i++) {
        char one[256];
        test_events_text(&coded.items[i].events, one, sizeof one);
        if (one[0])
            n += (size_t)snprintf(got + n, size - n, "%s%s", n ? ";" : "", one);
    }
    kh_coded_doc_free(&coded);
    kh_doc_clear(&doc);
    kh_pipeline_free(p);
}

static void test_defaults_junta_takes_the_document_country(void **state)
{
    (void)state;
    kh_diag diag;
    kh_dict *dict = load_defaults(&diag);
    kh_dict_freeze(dict);
    char got[1024];
    /* A Myanmar story: "the junta" and "the army" are Myanmar's. */
    code_article(dict,
                 "Myanmar's military government has faced growing resistance since the coup.\n\n"
                 "The junta launched air strikes on rebel positions in Sagaing on Monday.\n\n"
                 "Myanmar rebels attacked an army base in Shan state on Tuesday.\n",
                 got, sizeof got);
    assert_string_equal(got, "MMRMIL/---REB/195;MMRREB/MMRMIL/190");
    /* Two countries, neither with three in five of the mentions: the
     * junta stays unnamed. */
    code_article(dict,
                 "Mali and Niger signed a defence pact on Monday.\n\n"
                 "Niger and Mali pledged to fight jihadists together.\n\n"
                 "The junta attacked rebels near the border on Tuesday.\n",
                 got, sizeof got);
    assert_non_null(strstr(got, "---MIL/---REB/190"));
    kh_dict_free(dict);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults_load_cleanly),
        cmocka_unit_test(test_defaults_sizes),
        cmocka_unit_test(test_defaults_key_actors),
        cmocka_unit_test(test_defaults_cover_every_cameo_root),
        cmocka_unit_test(test_defaults_code_sentences),
        cmocka_unit_test(test_defaults_junta_takes_the_document_country),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
