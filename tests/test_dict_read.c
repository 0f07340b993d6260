/* test_dict_read.c -- the dictionary readers on small fixtures written for
 * these tests (TABARI, PETRARCH-1 and PETRARCH-2 syntax). */
#include "testutil.h"
#include "dict.h"
#include "dict_read.h"

#include <stdio.h>
#include <string.h>

/* ---- capturing diagnostics ---- */

typedef struct captured {
    char text[4096];
    int count;
} captured;

static void capture(void *ctx, kh_severity sev, const char *file, long line,
                    const char *message)
{
    captured *c = ctx;
    size_t used = strlen(c->text);
    snprintf(c->text + used, sizeof c->text - used, "%s:%ld: %s\n", file, line, message);
    c->count++;
}

typedef struct fixture {
    kh_dict *dict;
    kh_diag diag;
    captured cap;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    f->dict = kh_dict_new();
    kh_diag_init(&f->diag);
    f->diag.sink = capture;
    f->diag.ctx = &f->cap;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    kh_dict_free(f->dict);
    free(f);
    return 0;
}

static int load(fixture *f, kh_dict_kind kind, const char *name, const char *text)
{
    return kh_dict_load_buffer(f->dict, kind, name, text, strlen(text), &f->diag);
}

/* Words of a phrase joined with blanks, into a static buffer. */
static const char *words(const kh_phrase *ph)
{
    static char buf[256];
    buf[0] = 0;
    for (int i = 0; i < ph->count; i++) {
        if (i)
            strcat(buf, " ");
        strcat(buf, ph->words[i]);
    }
    return buf;
}

/* ---- verbs, PETRARCH-2 ---- */

static const char p2_verbs[] =
    "# a PETRARCH-2 test dictionary\n"
    "&WEAPONRY_\n"
    "+SWORD\n"
    "+MITHRIL_COAT\n"
    "&ARMS\n"
    "+&WEAPONRY\n"
    "+BOWS_\n"
    "\n"
    "---  FORGE   [---]  ---\n"
    "FORGE\n"
    "BREAK {BROKE BROKEN }  # irregular\n"
    "+STIR_UP {+STIRS_UP +STIRRED_UP} [042]\n"
    "ZED_QUA_+VOX [002]\n"
    "- * (TO {ELVEN LORDS})      [042:043]     # FORGE\n"
    "- &ARMS *                   [154]\n"
    "- * RING (FOR ^)            [:173]\n"
    "- * &NOSUCH                 [010]\n"
    "- * (TO                     [011]\n"
    "\n"
    "---  ASK   [020]  ---\n"
    "ASK\n"
    "- * (FOR HELP) $            [0233]\n";

static void test_p2_verbs(void **state)
{
    fixture *f = *state;
    kh_dict_read_stats st;
    assert_int_equal(kh_dict_read_verbs(f->dict, "p2.txt", p2_verbs, strlen(p2_verbs),
                                   &f->diag, &st), 0);
    kh_dict *d = f->dict;
    assert_int_equal(st.syntax, KH_SYNTAX_PETRARCH2);

    assert_int_equal(d->synsets.count, 2);
    assert_string_equal(d->synsets.items[0].name, "WEAPONRY");
    assert_int_equal(d->synsets.items[0].count, 2);
    /* label ends with "_": no plurals for its members */
    assert_true(d->synsets.items[0].alts[0][0].flags & KH_WORD_NOENDINGS);
    /* member words are consecutive */
    assert_int_equal(d->synsets.items[0].alt_counts[1], 2);
    assert_true(d->synsets.items[0].alts[1][1].flags & KH_WORD_NEXT);
    /* a synset inside a synset */
    assert_int_equal(d->synsets.items[1].alts[0][0].kind, KH_EL_SYNSET);
    assert_int_equal(d->synsets.items[1].alts[0][0].synset, 0);

    assert_int_equal(d->verbsets.count, 2);
    assert_string_equal(d->verbsets.items[0].name, "FORGE");
    assert_string_equal(d->verbsets.items[0].code.code, "---");
    assert_string_equal(d->verbsets.items[1].code.code, "020");

    assert_int_equal(d->verbs.count, 5);
    const kh_verb *brk = &d->verbs.items[1];
    assert_string_equal(words(&brk->words), "BREAK");
    assert_int_equal(brk->form_count, 2);
    assert_string_equal(brk->forms[1], "BROKEN");
    assert_int_equal(brk->code.code[0], 0);     /* uses the block's */
    assert_int_equal(brk->words.flags[0] & KH_WORD_STEM, 0);
    const kh_verb *stir = &d->verbs.items[2];
    assert_string_equal(words(&stir->words), "STIR UP");
    assert_int_equal(stir->head, 0);
    assert_true(stir->words.flags[1] & KH_WORD_NEXT);
    assert_int_equal(stir->form_count, 2);
    assert_string_equal(stir->forms[0], "STIRS");
    assert_string_equal(stir->forms[1], "STIRRED");
    assert_string_equal(stir->code.code, "042");
    const kh_verb *rst = &d->verbs.items[3];
    assert_string_equal(words(&rst->words), "ZED QUA VOX");
    assert_int_equal(rst->head, 2);
    assert_string_equal(rst->code.code, "002");
    assert_int_equal(d->verbs.items[4].verbset, 1);

    /* two broken patterns rejected, four kept */
    assert_int_equal(d->patterns.count, 4);
    assert_int_equal(d->verbsets.items[0].pattern_count, 3);
    const kh_pattern *p = &d->patterns.items[0];
    assert_string_equal(p->text, "* (TO {ELVEN LORDS})");
    assert_string_equal(p->code.code, "042");
    assert_string_equal(p->code.paired, "043");
    int kinds[] = {KH_EL_VERB, KH_EL_PP_BEGIN, KH_EL_WORD, KH_EL_NP_BEGIN, KH_EL_WORD,
                   KH_EL_WORD, KH_EL_NP_END, KH_EL_PP_END};
    assert_int_equal(p->count, 8);
    for (int i = 0; i < 8; i++)
        assert_int_equal(p->elems[i].kind, kinds[i]);
    assert_string_equal(p->elems[4].word, "ELVEN");
    assert_int_equal(p->length, 12);            /* TO ELVEN LORDS */
    assert_int_equal(p->origin.line, 14);
    assert_string_equal(p->origin.file, "p2.txt");
    assert_int_equal(d->patterns.items[1].elems[0].kind, KH_EL_SYNSET);
    assert_int_equal(d->patterns.items[1].elems[0].synset, 1);
    assert_string_equal(d->patterns.items[2].code.code, "");
    assert_string_equal(d->patterns.items[2].code.paired, "173");
    assert_int_equal(d->patterns.items[2].elems[4].kind, KH_EL_SKIP);
    assert_int_equal(d->patterns.items[3].verbset, 1);
    assert_int_equal(d->patterns.items[3].elems[5].kind, KH_EL_SOURCE);

    /* the rejected lines are reported with FILE:LINE */
    assert_int_equal(st.rejected, 2);
    assert_non_null(strstr(f->cap.text, "p2.txt:17: undeclared synset"));
    assert_non_null(strstr(f->cap.text, "p2.txt:18: unclosed"));
}

/* ---- verbs, TABARI ---- */

static const char tabari_verbs[] =
    "<SYNSETS>\n"
    "&TRADEKINDS\n"
    "+MILITARY\n"
    "+ECONOMIC\n"
    "&TRADEPHRASE\n"
    "+&TRADEKINDS_LETTERS\n"
    "+PESO_$\n"
    "</SYNSETS>\n"
    "<TIME>\n"
    "NEXT_SPRING [+90]\n"
    "</TIME>\n"
    "RENOUNCE  [345] ; a comment written for this test\n"
    "- * FRESH_&TRADEKINDS_CONTACTS [903]; another comment\n"
    "- URGED_+ * ADOPT_{ HAGUE_ | REGIONAL }_TREATIES  [111]\n"
    "- +_IS_*_BY_$ [- - -]\n"
    "SHAKE_     [1717]\n"
    "{SHOOK_ SHAKEN_}\n"
    "- * ENDORSE~ PLAN [062]\n"
    "- IN_*  [075A]\n"
    "- IN_ *  [023?]\n"
    "- % * TALKS  [031!]\n"
    "~FINISH\n"
    "GARBAGE [999]\n";

static void test_tabari_verbs(void **state)
{
    fixture *f = *state;
    kh_dict_read_stats st;
    assert_int_equal(kh_dict_read_verbs(f->dict, "demo.verbs", tabari_verbs,
                                   strlen(tabari_verbs), &f->diag, &st), 0);
    kh_dict *d = f->dict;
    assert_int_equal(st.syntax, KH_SYNTAX_TABARI);
    assert_int_equal(st.skipped, 3);
    assert_int_equal(f->cap.count, 0);
    assert_int_equal(d->synsets.count, 2);
    const kh_elem *memo = d->synsets.items[1].alts[0];
    assert_int_equal(d->synsets.items[1].alt_counts[0], 2);
    assert_int_equal(memo[0].kind, KH_EL_SYNSET);
    assert_string_equal(memo[1].word, "LETTERS");
    assert_true(memo[1].flags & KH_WORD_NEXT);
    assert_int_equal(d->synsets.items[1].alts[1][1].kind, KH_EL_SOURCE);

    assert_int_equal(d->verbsets.count, 2);
    assert_int_equal(d->verbs.count, 2);    /* GARBAGE is after ~FINISH */
    assert_string_equal(d->verbsets.items[0].name, "RENOUNCE");
    assert_string_equal(d->verbsets.items[0].code.code, "345");
    assert_true(d->verbs.items[0].words.flags[0] & KH_WORD_STEM);
    assert_false(d->verbs.items[1].words.flags[0] & KH_WORD_STEM);   /* SHAKE_ */
    assert_int_equal(d->verbs.items[1].form_count, 2);
    assert_string_equal(d->verbs.items[1].forms[0], "SHOOK");

    assert_int_equal(d->patterns.count, 7);
    const kh_pattern *p = &d->patterns.items[0];
    /* * FRESH _&TRADEKINDS _CONTACTS */
    assert_int_equal(p->count, 4);
    assert_int_equal(p->elems[2].kind, KH_EL_SYNSET);
    assert_true(p->elems[2].flags & KH_WORD_NEXT);
    assert_true(p->elems[3].flags & KH_WORD_NEXT);
    assert_true(p->elems[3].flags & KH_WORD_STEM);
    assert_false(p->elems[1].flags & KH_WORD_STEM);
    assert_int_equal(p->length, 5 + 8 + 8);     /* FRESH + shortest TRADEKINDS + CONTACTS */

    p = &d->patterns.items[1];
    int kinds[] = {KH_EL_WORD, KH_EL_TARGET, KH_EL_VERB, KH_EL_WORD, KH_EL_ALT_BEGIN,
                   KH_EL_WORD, KH_EL_ALT_OR, KH_EL_WORD, KH_EL_ALT_END, KH_EL_WORD};
    assert_int_equal(p->count, 10);
    for (int i = 0; i < 10; i++)
        assert_int_equal(p->elems[i].kind, kinds[i]);
    assert_true(p->elems[1].flags & KH_WORD_NEXT);      /* URGED_+ */
    assert_false(p->elems[2].flags & KH_WORD_NEXT);
    assert_true(p->elems[4].flags & KH_WORD_NEXT);      /* ADOPT_{ */
    assert_false(p->elems[5].flags & KH_WORD_STEM);     /* HAGUE_ */
    assert_true(p->elems[7].flags & KH_WORD_STEM);      /* REGIONAL */
    assert_true(p->elems[9].flags & KH_WORD_NEXT);      /* }_TREATIES */
    /* URGED ADOPT TREATIES + the longest alternative */
    assert_int_equal(p->length, 5 + 5 + 8 + 8);

    p = &d->patterns.items[2];
    assert_string_equal(p->code.code, "---");
    int passive[] = {KH_EL_TARGET, KH_EL_WORD, KH_EL_VERB, KH_EL_WORD, KH_EL_SOURCE};
    assert_int_equal(p->count, 5);
    for (int i = 0; i < 5; i++) {
        assert_int_equal(p->elems[i].kind, passive[i]);
        if (i)
            assert_true(p->elems[i].flags & KH_WORD_NEXT);
    }
    p = &d->patterns.items[3];
    assert_true(p->elems[1].flags & KH_WORD_TILDE);
    assert_string_equal(p->elems[1].word, "ENDORSE");
    assert_true(p->elems[2].flags & KH_WORD_NEXT);
    assert_int_equal(p->verbset, 1);
    assert_true(d->patterns.items[4].elems[1].flags & KH_WORD_NEXT);   /* IN_* */
    assert_string_equal(d->patterns.items[4].code.code, "075A");
    assert_false(d->patterns.items[5].elems[1].flags & KH_WORD_NEXT);  /* IN_ * */
    assert_string_equal(d->patterns.items[5].code.code, "023");
    assert_int_equal(d->patterns.items[6].elems[0].kind, KH_EL_COMPOUND);
}

static const char broken_verbs[] =
    "- * ORPHAN [010]\n"
    "GO [030]\n"
    "- * TO [032\n"
    "- TO THE MOUNTAIN [033]\n"
    "- * * TWICE [034]\n"
    "- * { A | B ] [035]\n"
    "- * SOMEWHERE\n"
    "+LOST\n";

static void test_verb_diagnostics(void **state)
{
    fixture *f = *state;
    assert_int_equal(load(f, KH_DICT_VERBS, "bad.verbs", broken_verbs), 0);
    const char *want[] = {
        "bad.verbs:1: pattern before any verb", "bad.verbs:3: bad pattern code",
        "bad.verbs:4: no verb marker", "bad.verbs:5: more than one verb marker",
        "bad.verbs:6: unclosed", "bad.verbs:7: pattern without a [code]",
        "bad.verbs:8: synonym line outside a synset"};
    for (size_t i = 0; i < sizeof want / sizeof *want; i++)
        if (!strstr(f->cap.text, want[i]))
            fail_msg("missing '%s' in:\n%s", want[i], f->cap.text);
    assert_int_equal(f->diag.errors, 7);
    assert_int_equal(f->dict->patterns.count, 0);
    assert_int_equal(f->dict->verbs.count, 1);
}

/* ---- actors ---- */

static const char actors_text[] =
    "<!-- a PETRARCH-style\n"
    "     actors file -->\n"
    "FRODO [HOB] # the ring-bearer\n"
    "GOLLUM\n"
    "+SMEAGOL\n"
    "+STINKER_\n"
    "\t[HOB <950601]\n"
    "\t[HOBGOV 950601-19990815]\n"
    "\t[hobreb > 990816]\n"
    "GONDOR_AND_ROHAN [GON/ROH] [---]\n"
    "ARAGORN [RNG 20011001-20050420] [GONGOV 20050421]\n"
    "BOROMIR [GON 9008223-911221] [GONMIL]\n"
    "PRESIDENT_GEORGE_W._BUSH [USAGOV]\n";

static void test_actors(void **state)
{
    fixture *f = *state;
    kh_dict_read_stats st;
    assert_int_equal(kh_dict_read_actors(f->dict, "lotr.actors.txt", actors_text,
                                    strlen(actors_text), &f->diag, &st), 0);
    kh_dict *d = f->dict;
    assert_int_equal(st.syntax, KH_SYNTAX_PETRARCH2);
    assert_int_equal(d->actors.count, 8);
    const kh_actor *a = d->actors.items;
    assert_string_equal(words(&a[0].phrase), "FRODO");
    assert_int_equal(a[0].origin.line, 3);
    assert_int_equal(a[0].codes->count, 1);
    assert_string_equal(a[0].codes->items[0].code, "HOB");
    /* GOLLUM and its synonyms share one code set */
    assert_ptr_equal(a[1].codes, a[2].codes);
    assert_ptr_equal(a[1].codes, a[3].codes);
    assert_int_equal(a[3].primary, 1);
    assert_int_equal(a[1].primary, 1);
    const kh_code_set *g = a[1].codes;
    assert_int_equal(g->count, 3);
    assert_int_equal(g->items[0].from, 0);
    assert_int_equal(g->items[0].to, 19950601);
    assert_int_equal(g->items[1].from, 19950601);
    assert_int_equal(g->items[1].to, 19990815);
    assert_string_equal(g->items[2].code, "HOBREB");
    assert_int_equal(g->items[2].from, 19990816);
    /* a coded compound keeps its "/" */
    assert_string_equal(a[4].codes->items[0].code, "GON/ROH");
    assert_string_equal(a[4].codes->items[1].code, "---");
    assert_true(a[4].phrase.flags[1] & KH_WORD_NEXT);
    /* 8-digit dates, and a bare date meaning "from then on" */
    assert_int_equal(a[5].codes->items[0].from, 20011001);
    assert_int_equal(a[5].codes->items[0].to, 20050420);
    assert_int_equal(a[5].codes->items[1].from, 20050421);
    assert_int_equal(a[5].codes->items[1].to, 0);
    /* the bad 7-digit date drops that code only */
    assert_int_equal(a[6].codes->count, 1);
    assert_string_equal(a[6].codes->items[0].code, "GONMIL");
    assert_string_equal(words(&a[7].phrase), "PRESIDENT GEORGE W. BUSH");
    assert_non_null(strstr(f->cap.text, "lotr.actors.txt:12: bad date range"));
    assert_int_equal(st.rejected, 1);
}

static const char tabari_actors[] =
    "<NOUN>\n"
    "HORNETS   ; a noun, written for this test\n"
    "</NOUN>\n"
    "[ORPHAN]\n"
    "AL_HARIRI  [AHR] ;  a comment\n"
    "ALBRIGHT  [ 991201-010114] [---]\n"
    "ARNOR\n"
    "~FINISH\n"
    "LATE [LAT]\n";

static void test_tabari_actors(void **state)
{
    fixture *f = *state;
    kh_dict_read_stats st;
    assert_int_equal(kh_dict_read_actors(f->dict, "demo.actors", tabari_actors,
                                    strlen(tabari_actors), &f->diag, &st), 0);
    kh_dict *d = f->dict;
    assert_int_equal(st.syntax, KH_SYNTAX_TABARI);
    assert_int_equal(st.skipped, 3);
    assert_int_equal(d->actors.count, 3);
    assert_false(d->actors.items[0].phrase.flags[0] & KH_WORD_STEM);  /* AL_ */
    assert_true(d->actors.items[0].phrase.flags[1] & KH_WORD_STEM);   /* HARIRI */
    assert_int_equal(d->actors.items[1].codes->count, 1);
    assert_int_equal(d->actors.items[2].codes->count, 0);             /* null */
    assert_non_null(strstr(f->cap.text, "demo.actors:4: code line without an actor"));
    assert_non_null(strstr(f->cap.text, "demo.actors:6: missing actor code"));
    assert_int_equal(f->diag.errors, 2);
}

/* ---- agents ---- */

static const char agents_text[] =
    "!PERSON! = MAN, MEN , WOMAN\n"
    "ATTORNEY_GENERAL {ATTORNEYS_GENERAL} [~GOVATG] # mj\n"
    "TROOP {} [~MIL]\n"
    "AID_MONITORING_BODY  [NGO~]\n"
    "ASSEMBLY!PERSON! [~LEG]\n"
    "PRESIDENT [ ~GOVPRS ]\n"
    "NO_TILDE [GOV]\n"
    "!NOSUCH!_OFFICIAL [~GOV]\n";

/* Substitution sets multiply: a line with too many markers, or a set
 * that names its own marker, is reported, not expanded without end. */
static void test_agent_expansion_bounded(void **state)
{
    fixture *f = *state;
    load(f, KH_DICT_AGENTS, "x.agents",
         "!P! = A, B, C\n"
         "!P!!P!!P!!P!MAN [~GOV]\n"
         "!Q! = X!Q!, Y\n"
         "LEADER!Q! [~GOV]\n"
         "CONGRESS!P! [~LEG]\n");
    assert_non_null(strstr(f->cap.text, "x.agents:2: more than 3 substitution markers"));
    /* the good line still expands: CONGRESSA, CONGRESSB, CONGRESSC */
    int congress = 0;
    for (size_t i = 0; i < f->dict->agents.count; i++)
        congress += strncmp(words(&f->dict->agents.items[i].phrase), "CONGRESS", 8) == 0;
    assert_int_equal(congress, 3);
    assert_true(f->dict->agents.count < 1000);
}

static void test_agents(void **state)
{
    fixture *f = *state;
    assert_int_equal(load(f, KH_DICT_AGENTS, "test.agents.txt", agents_text), 0);
    kh_dict *d = f->dict;
    assert_int_equal(d->agents.count, 8);
    const kh_agent *g = d->agents.items;
    assert_string_equal(words(&g[0].phrase), "ATTORNEY GENERAL");
    assert_string_equal(words(&g[1].phrase), "ATTORNEYS GENERAL");
    assert_string_equal(g[1].code, "GOVATG");
    assert_int_equal(g[1].prefix, 0);
    assert_true(g[1].phrase.flags[1] & KH_WORD_NEXT);
    assert_string_equal(words(&g[2].phrase), "TROOP");
    assert_true(g[2].phrase.flags[0] & KH_WORD_NOENDINGS);
    assert_string_equal(g[3].code, "NGO");
    assert_int_equal(g[3].prefix, 1);
    assert_false(g[3].phrase.flags[2] & KH_WORD_NOENDINGS);    /* regular plural */
    assert_string_equal(words(&g[4].phrase), "ASSEMBLYMAN");
    assert_string_equal(words(&g[5].phrase), "ASSEMBLYMEN");
    assert_string_equal(words(&g[6].phrase), "ASSEMBLYWOMAN");
    assert_string_equal(g[6].code, "LEG");
    assert_string_equal(g[7].code, "GOVPRS");
    assert_int_equal(g[7].origin.line, 6);
    assert_non_null(strstr(f->cap.text, "test.agents.txt:7: agent code needs one '~'"));
    assert_non_null(strstr(f->cap.text, "test.agents.txt:8: unknown substitution marker"));
}

/* ---- lengths: no buffer bounds names, tags or codes ---- */

/* A text of n copies of c, for names longer than any buffer the readers
 * once had. */
static char *repeat(char c, size_t n)
{
    char *s = malloc(n + 1);
    memset(s, c, n);
    s[n] = 0;
    return s;
}

/* Section tags and actor and agent codes are read however long they are:
 * a long section is skipped as a whole, a long code kept whole. */
static void test_long_tags_and_codes(void **state)
{
    fixture *f = *state;
    char *name = repeat('N', 300), *code = repeat('X', 300), text[2048];
    snprintf(text, sizeof text,
             "<%s>\nHORNETS\n</%s>\n"
             "FRODO [HOB%s]\n"
             "<! -- a broken comment, not a section -->\n"
             "SAM [HOB]\n", name, name, code);
    assert_int_equal(load(f, KH_DICT_ACTORS, "long.actors.txt", text), 0);
    const kh_dict *d = f->dict;
    assert_string_equal(words(&d->actors.items[0].phrase), "FRODO");
    assert_int_equal(strlen(d->actors.items[0].codes->items[0].code), 3 + 300);
    /* the "<!" line opened no section: what follows it is read */
    assert_string_equal(words(&d->actors.items[d->actors.count - 1].phrase), "SAM");

    snprintf(text, sizeof text, "<%s>\nHOBBIT [~HOB]\n</%s>\nLORD [~%s]\n",
             name, name, code);
    assert_int_equal(load(f, KH_DICT_AGENTS, "long.agents.txt", text), 0);
    assert_int_equal(d->agents.count, 1);
    assert_string_equal(d->agents.items[0].code, code);

    snprintf(text, sizeof text, "<%s>\nGO [030]\n</%s>\nASK [020]\n", name, name);
    assert_int_equal(load(f, KH_DICT_VERBS, "long.verbs", text), 0);
    assert_int_equal(d->verbs.count, 1);
    assert_int_equal(f->diag.errors, 0);
    free(name);
    free(code);
}

/* An event code is kept inline (KH_MAX_EVENT_CODE): a longer one is
 * reported with the limit and its line skipped. */
static void test_event_code_too_long(void **state)
{
    fixture *f = *state;
    char *code = repeat('1', 100), text[512];
    snprintf(text, sizeof text,
             "GO [030]\n"
             "- * TO [12345678]\n"
             "- * UP [042:%s]\n"
             "- * IN [1234567]\n", code);
    assert_int_equal(load(f, KH_DICT_VERBS, "long.verbs", text), 0);
    assert_non_null(strstr(f->cap.text,
                           "long.verbs:2: bad pattern code: longer than 7 characters"));
    assert_non_null(strstr(f->cap.text,
                           "long.verbs:3: bad pattern code: longer than 7 characters"));
    assert_int_equal(f->diag.errors, 2);
    assert_int_equal(f->dict->patterns.count, 1);
    assert_string_equal(f->dict->patterns.items[0].code.code, "1234567");
    kh_code c;
    assert_int_equal(kh_event_code_parse(code, 100, &c), KH_CODE_TOO_LONG);
    free(code);
}

/* ---- discards and issues ---- */

static const char discards_text[] =
    "+WORLD GOLF CHAMPIONSHIPS   # story level\n"
    "ASIAN CUP_\n"
    "BASEBALL\n"
    "BAD [###]\n";

static void test_discards(void **state)
{
    fixture *f = *state;
    assert_int_equal(load(f, KH_DICT_DISCARDS, "d.txt", discards_text), 0);
    kh_dict *d = f->dict;
    assert_int_equal(d->discards.count, 3);
    assert_int_equal(d->discards.items[0].story, 1);
    assert_string_equal(words(&d->discards.items[0].phrase), "WORLD GOLF CHAMPIONSHIPS");
    assert_true(d->discards.items[0].phrase.flags[2] & KH_WORD_NEXT);
    assert_true(d->discards.items[0].phrase.flags[2] & KH_WORD_STEM);
    assert_int_equal(d->discards.items[1].story, 0);
    assert_false(d->discards.items[1].phrase.flags[1] & KH_WORD_STEM);
    assert_non_null(strstr(f->cap.text, "d.txt:4:"));
}

static const char issues_text[] =
    "<ISSUE CATEGORY=\"ID_ATROCITY\" TYPE=\"ALL\">\n"
    "n:massacre [ID_ATROCITY]\n"
    "mass v:deport [ID_ATROCITY]\n"
    "al+nusra front [NAMED_TERROR_GROUP]\n"
    "~~Armenian genocide  # historical\n"
    "war crimes\n"
    "</ISSUE>\n"
    "orphan phrase\n";

static void test_issues(void **state)
{
    fixture *f = *state;
    assert_int_equal(load(f, KH_DICT_ISSUES, "i.txt", issues_text), 0);
    kh_dict *d = f->dict;
    const char *want[] = {"MASSACRE", "MASSACRES", "MASS DEPORT", "MASS DEPORTS",
                          "MASS DEPORTED", "MASS DEPORTING", "AL NUSRA FRONT",
                          "ARMENIAN GENOCIDE", "WAR CRIMES"};
    assert_int_equal(d->issues.count, 9);
    for (int i = 0; i < 9; i++)
        assert_string_equal(words(&d->issues.items[i].phrase), want[i]);
    assert_string_equal(d->issues.items[0].code, "ID_ATROCITY");
    assert_string_equal(d->issues.items[6].code, "NAMED_TERROR_GROUP");
    assert_true(d->issues.items[6].phrase.flags[1] & KH_WORD_NEXT);
    assert_int_equal(d->issues.items[7].null, 1);
    assert_string_equal(d->issues.items[8].code, "ID_ATROCITY");   /* category */
    assert_int_equal(d->issues.items[8].null, 0);
    assert_non_null(strstr(f->cap.text, "i.txt:8: issue phrase without a [CODE]"));
}

/* ---- shared pieces ---- */

static void test_codes_and_dates(void **state)
{
    kh_code c;
    assert_int_equal(kh_event_code_parse("- - -", 5, &c), 0);
    assert_string_equal(c.code, "---");
    assert_int_equal(kh_event_code_parse("032:033", 7, &c), 0);
    assert_string_equal(c.paired, "033");
    assert_int_equal(kh_event_code_parse("111!", 4, &c), 0);
    assert_string_equal(c.code, "111");
    assert_int_equal(kh_event_code_parse("###", 3, &c), 0);
    assert_int_equal(kh_event_code_parse("a$b", 3, &c), -1);
    assert_int_equal(kh_event_code_parse("", 0, &c), -1);
    assert_int_equal(kh_event_code_parse("023 ?", 5, &c), 0);
    assert_string_equal(c.code, "023");
    assert_int_equal(c.flags, KH_CODE_SUBORDINATE);
    assert_int_equal(kh_event_code_parse("032:033:034", 11, &c), KH_CODE_MALFORMED);
    assert_int_equal(kh_event_code_parse("1234567", 7, &c), 0);
    assert_int_equal(kh_event_code_parse("12345678", 8, &c), KH_CODE_TOO_LONG);
    assert_int_equal(kh_dict_date_parse("300101", 6), 20300101);
    assert_int_equal(kh_dict_date_parse("310101", 6), 19310101);
    assert_int_equal(kh_dict_date_parse("19991231", 8), 19991231);
    assert_int_equal(kh_dict_date_parse("9008223", 7), -1);
    assert_int_equal(kh_dict_date_parse("991301", 6), -1);
}

/* The scanner copies the bytes between comment marks a run at a time:
 * every rule must hold at the start, middle and end of a line, and with
 * runs of any length between the marks. */
/* The words of a phrase share one upper-cased copy, each cut off by a NUL
 * where its separator or mark stood: none may run into the next. */
static void test_phrase_words(void **state)
{
    fixture *f = *state;
    static const char text[] = "abu~ Dhabi= al-quds ARNOR_ gondor a_b  =";
    static const char *const want[] = {"ABU", "DHABI", "AL", "QUDS", "ARNOR", "GONDOR", "A", "B"};
    static const unsigned char want_flags[] = {
        KH_WORD_TILDE | KH_WORD_STEM, KH_WORD_NEXT | KH_WORD_NOENDINGS, 0,
        KH_WORD_NEXT | KH_WORD_STEM, 0, KH_WORD_STEM, 0, KH_WORD_NEXT | KH_WORD_STEM,
    };
    kh_phrase ph;
    assert_int_equal(kh_phrase_parse(f->dict, text, sizeof text - 1, 1, &ph), 0);
    assert_int_equal(ph.count, sizeof want / sizeof want[0]);
    for (int i = 0; i < ph.count; i++) {
        assert_string_equal(ph.words[i], want[i]);
        assert_int_equal(ph.flags[i], want_flags[i]);
    }
    assert_int_equal(kh_phrase_parse(f->dict, "= _ -", 5, 1, &ph), -1);
}

/* A pattern's length counts the letters of its synsets' shortest members
 * as the synsets stand when the pattern is read (the reader remembers
 * them until a synset changes), and follows synsets in synsets only so
 * deep, whichever pattern asked first. */
static const char synset_length_verbs[] =
    "&METAL\n+IRONSTONE\n"
    "&TOOL\n+&METAL\n+HAMMERHEAD\n"
    "&S0\n+ABCD\n&S1\n+&S0\n&S2\n+&S1\n&S3\n+&S2\n&S4\n+&S3\n&S5\n+&S4\n"
    "&S6\n+&S5\n&S7\n+&S6\n&S8\n+&S7\n&S9\n+&S8\n&S10\n+&S9\n"
    "---  FORGE   [---]  ---\n"
    "FORGE\n"
    "- * &TOOL          [042]\n"
    "- * &S10           [042]\n"
    "- * &S3            [042]\n"
    "- * &S10 &S3       [042]\n"
    "&METAL\n+ORE\n"
    "---  SMELT   [---]  ---\n"
    "SMELT\n"
    "- * &TOOL          [043]\n"
    "- * &METAL AGAIN   [044]\n";

static void test_synset_lengths(void **state)
{
    fixture *f = *state;
    static const int want[] = {9, 0, 4, 4, 3, 8};
    assert_int_equal(kh_dict_read_verbs(f->dict, "len.txt", synset_length_verbs,
                                        strlen(synset_length_verbs), &f->diag, NULL), 0);
    assert_int_equal(f->diag.errors, 0);
    assert_int_equal(f->dict->patterns.count, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        assert_int_equal(f->dict->patterns.items[i].length, want[i]);
}

/* Interned upper-cased copies: ASCII letters only, the rest as it is. */
static void test_intern_upper(void **state)
{
    fixture *f = *state;
    static const char text[] = "gondor\xc3\xa9-Minas_1 tirith";
    const char *s = kh_dict_intern_upper(f->dict, text, 16);
    assert_string_equal(s, "GONDOR\xc3\xa9-MINAS_1");
    assert_ptr_not_equal(s, text);
    assert_string_equal(kh_dict_intern_upper(f->dict, text, 0), "");
}

static void test_scanner_comments(void **state)
{
    static const char text[] =
        "plain words here\n"
        "  AMMAN [JORGOV] # a comment [not a code]\n"
        "KEEP;this out\n"
        "[###] # codes keep their hashes ; and semicolons\n"
        "[A;B] tail ; gone\n"
        "before <!-- inside --> after\n"
        "open <!-- spans\n"
        "still inside - -- ->\n"
        "closing --> resumes <!- not a comment\n"
        "a\0b\n"
        "/ a TABARI comment line\n"
        "<!---->x<!-- -->y\n"
        "<!--\n"
        "-->\n"
        "x -- y\n"
        "last line without newline";
    static const char *const want[] = {
        "plain words here", "AMMAN [JORGOV]", "KEEP", "[###]", "[A;B] tail",
        "before  after", "open", "resumes <!- not a comment", "a b", "xy",
        "x -- y", "last line without newline",
    };
    static const long want_number[] = {1, 2, 3, 4, 5, 6, 7, 9, 10, 12, 15, 16};
    static const int want_indented[] = {0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    kh_scanner sc;
    kh_line line;
    size_t count = 0;
    kh_scanner_init(&sc, text, sizeof text - 1);
    while (kh_scanner_next(&sc, &line)) {
        assert_true(count < sizeof want / sizeof want[0]);
        assert_int_equal(line.len, strlen(want[count]));
        assert_memory_equal(line.text, want[count], line.len);
        assert_int_equal(line.number, want_number[count]);
        assert_int_equal(line.indented, want_indented[count]);
        count++;
    }
    assert_int_equal(count, sizeof want / sizeof want[0]);
    kh_scanner_free(&sc);
}

static void test_garbage_does_not_crash(void **state)
{
    fixture *f = *state;
    static const char junk[] = "[[[ ]]] {{{ ((( &&& +++ --- ~~~\n\xff\xfe\x00 ![ !!=,,\n- * {|}|} [\n<!--";
    for (int kind = 0; kind < KH_DICT_KIND_COUNT; kind++)
        kh_dict_load_buffer(f->dict, kind, "junk", junk, sizeof junk - 1, &f->diag);
    for (size_t cut = 0; cut < sizeof p2_verbs; cut += 7)
        kh_dict_load_buffer(f->dict, KH_DICT_VERBS, "cut", p2_verbs, cut, &f->diag);
    assert_true(f->diag.errors > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_p2_verbs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tabari_verbs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_verb_diagnostics, setup, teardown),
        cmocka_unit_test_setup_teardown(test_actors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tabari_actors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_agents, setup, teardown),
        cmocka_unit_test_setup_teardown(test_agent_expansion_bounded, setup, teardown),
        cmocka_unit_test_setup_teardown(test_long_tags_and_codes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_event_code_too_long, setup, teardown),
        cmocka_unit_test_setup_teardown(test_discards, setup, teardown),
        cmocka_unit_test_setup_teardown(test_issues, setup, teardown),
        cmocka_unit_test(test_codes_and_dates),
        cmocka_unit_test(test_scanner_comments),
        cmocka_unit_test_setup_teardown(test_intern_upper, setup, teardown),
        cmocka_unit_test_setup_teardown(test_synset_lengths, setup, teardown),
        cmocka_unit_test_setup_teardown(test_phrase_words, setup, teardown),
        cmocka_unit_test_setup_teardown(test_garbage_does_not_crash, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
