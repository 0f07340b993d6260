/* test_chunk.c -- structure from tags: each rule of chunk.h on sentences
 * of our own, tagged by hand so that the rules are tested apart from the
 * tagger.  A case names the words of the subject, object and agent heads
 * of one verb group, its governor's head, and its flags. */
#include "testutil.h"
#include "chunk.h"

#include <stdio.h>
#include <stdlib.h>

typedef struct chunk_case {
    const char *text;
    const char *tags;     /* one UPOS per token, blank-separated */
    const char *verb;     /* the group's head word (upper case) */
    const char *subject;  /* head word of the subject NP, NULL: none */
    const char *object;
    const char *agent;
    const char *governor; /* head word of the governing group */
    unsigned flags;       /* flags that must be set */
} chunk_case;

typedef struct parsed {
    kh_tokens tokens;
    kh_upos *tags;
    kh_chunking c;
} parsed;

static void parse(parsed *p, const chunk_case *k)
{
    kh_tokens_init(&p->tokens);
    kh_tokenize(&p->tokens, k->text, strlen(k->text));
    p->tags = calloc(p->tokens.count + 1, sizeof *p->tags);
    char *copy = strdup(k->tags), *save = NULL;
    size_t n = 0;
    for (char *w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save), n++) {
        int t = kh_upos_parse(w);
        if (t < 0)
            fail_msg("\"%s\": bad tag %s", k->text, w);
        if (n < p->tokens.count)
            p->tags[n] = (kh_upos)t;
    }
    free(copy);
    if (n != p->tokens.count)
        fail_msg("\"%s\": %zu tags for %zu tokens", k->text, n, p->tokens.count);
    kh_chunking_init(&p->c);
    kh_chunk(&p->c, &p->tokens, p->tags, NULL);
}

static void release(parsed *p)
{
    kh_chunking_free(&p->c);
    free(p->tags);
    kh_tokens_free(&p->tokens);
}

static const char *np_head(const parsed *p, int np)
{
    return np < 0 ? NULL : p->tokens.items[p->c.nps.items[np].head].word;
}

static void expect_word(const chunk_case *k, const char *what, const char *want, const char *got)
{
    if ((want == NULL) != (got == NULL) || (want && strcmp(want, got) != 0))
        fail_msg("\"%s\" %s: %s expected %s, got %s", k->text, k->verb, what,
                 want ? want : "none", got ? got : "none");
}

static void check(const chunk_case *k)
{
    parsed p;
    parse(&p, k);
    const kh_vgroup *g = NULL;
    for (size_t i = 0; i < p.c.groups.count && !g; i++)
        if (strcmp(p.tokens.items[p.c.groups.items[i].head].word, k->verb) == 0)
            g = &p.c.groups.items[i];
    if (!g)
        fail_msg("\"%s\": no verb group headed by %s", k->text, k->verb);
    expect_word(k, "subject", k->subject, np_head(&p, g->subject));
    expect_word(k, "object", k->object, np_head(&p, g->object));
    expect_word(k, "agent", k->agent, np_head(&p, g->agent));
    const char *gov = g->governor >= 0
        ? p.tokens.items[p.c.groups.items[g->governor].head].word : NULL;
    expect_word(k, "governor", k->governor, gov);
    if ((g->flags & k->flags) != k->flags)
        fail_msg("\"%s\" %s: flags %#x lack %#x", k->text, k->verb, g->flags, k->flags);
    release(&p);
}

static const chunk_case cases[] = {
    /* plain transitive, possessive subject */
    {"Iran's defence minister met Russian officials.",
     "PROPN PART NOUN NOUN VERB ADJ NOUN PUNCT",
     "MET", "MINISTER", "OFFICIALS", NULL, NULL, 0},
    /* relative clause and apposition are passed over */
    {"Iran, which backs the rebels, accused Saudi Arabia of aggression.",
     "PROPN PUNCT PRON VERB DET NOUN PUNCT VERB PROPN PROPN ADP NOUN PUNCT",
     "ACCUSED", "IRAN", "ARABIA", NULL, NULL, 0},
    {"Iran, which backs the rebels, accused Saudi Arabia of aggression.",
     "PROPN PUNCT PRON VERB DET NOUN PUNCT VERB PROPN PROPN ADP NOUN PUNCT",
     "BACKS", "IRAN", "REBELS", NULL, NULL, KH_VG_RELATIVE},
    {"The president, a former general, visited Kabul.",
     "DET NOUN PUNCT DET ADJ NOUN PUNCT VERB PROPN PUNCT",
     "VISITED", "PRESIDENT", "KABUL", NULL, NULL, 0},
    /* passive with a BY agent */
    {"Kabul was attacked by Taliban fighters.",
     "PROPN AUX VERB ADP PROPN NOUN PUNCT",
     "ATTACKED", "KABUL", NULL, "FIGHTERS", NULL, KH_VG_PASSIVE},
    {"The convoy has not been attacked.",
     "DET NOUN AUX PART AUX VERB PUNCT",
     "ATTACKED", "CONVOY", NULL, NULL, NULL, KH_VG_PASSIVE | KH_VG_NEGATED | KH_VG_PERFECT},
    /* reported speech: the complement keeps its own subject */
    {"Turkey said on Monday that Greece must withdraw its warships.",
     "PROPN VERB ADP PROPN SCONJ PROPN AUX VERB PRON NOUN PUNCT",
     "WITHDRAW", "GREECE", "WARSHIPS", NULL, "SAID", KH_VG_HYPOTHETICAL},
    {"Turkey said on Monday that Greece must withdraw its warships.",
     "PROPN VERB ADP PROPN SCONJ PROPN AUX VERB PRON NOUN PUNCT",
     "SAID", "TURKEY", NULL, NULL, NULL, KH_VG_REPORTING},
    {"Turkey said Greece would attack.",
     "PROPN VERB PROPN AUX VERB PUNCT",
     "ATTACK", "GREECE", NULL, NULL, "SAID", KH_VG_FUTURE},
    {"Greece must withdraw its warships, the Turkish minister said.",
     "PROPN AUX VERB PRON NOUN PUNCT DET ADJ NOUN VERB PUNCT",
     "WITHDRAW", "GREECE", "WARSHIPS", NULL, "SAID", 0},
    /* an adverb before an adjective stays in the noun phrase */
    {"Greece must withdraw its warships, a visibly angry Turkish minister said.",
     "PROPN AUX VERB PRON NOUN PUNCT DET ADV ADJ ADJ NOUN VERB PUNCT",
     "WITHDRAW", "GREECE", "WARSHIPS", NULL, "SAID", 0},
    {"Greece must withdraw its warships, said the Turkish minister.",
     "PROPN AUX VERB PRON NOUN PUNCT VERB DET ADJ NOUN PUNCT",
     "SAID", "MINISTER", NULL, NULL, NULL, KH_VG_REPORTING},
    /* infinitives: subject and object control */
    {"Iran agreed to withdraw its forces.",
     "PROPN VERB PART VERB PRON NOUN PUNCT",
     "WITHDRAW", "IRAN", "FORCES", NULL, "AGREED", KH_VG_INFINITIVE},
    {"Russia urged Iran to release the prisoners.",
     "PROPN VERB PROPN PART VERB DET NOUN PUNCT",
     "RELEASE", "IRAN", "PRISONERS", NULL, "URGED", KH_VG_INFINITIVE},
    {"Iran is ready to talk with Russia.",
     "PROPN AUX ADJ PART VERB ADP PROPN PUNCT",
     "TALK", "IRAN", NULL, NULL, "IS", KH_VG_INFINITIVE},
    {"The United States plans to send troops.",
     "DET PROPN PROPN VERB PART VERB NOUN PUNCT",
     "SEND", "STATES", "TROOPS", NULL, "PLANS", 0},
    /* coordinated verbs share the subject */
    {"Iran met Iraq and signed an agreement.",
     "PROPN VERB PROPN CCONJ VERB DET NOUN PUNCT",
     "SIGNED", "IRAN", "AGREEMENT", NULL, NULL, 0},
    /* time phrases before the verb */
    {"Israel on Tuesday struck Gaza.",
     "PROPN ADP PROPN VERB PROPN PUNCT",
     "STRUCK", "ISRAEL", "GAZA", NULL, NULL, 0},
    /* a preposition that opens a clause: its noun phrase is the subject */
    {"Iran left two days after crowds burned the embassy.",
     "PROPN VERB NUM NOUN ADP NOUN VERB DET NOUN PUNCT",
     "BURNED", "CROWDS", "EMBASSY", NULL, NULL, 0},
    /* an epithet is part of the name, so the phrase is the object of a
     * preposition and is passed over */
    {"The rival of Iran near Alexander the Great fled.",
     "DET NOUN ADP PROPN ADP PROPN DET PROPN VERB PUNCT",
     "FLED", "RIVAL", NULL, NULL, NULL, 0},
    /* "of" phrases belong to the noun */
    {"The leader of Hamas condemned Israel.",
     "DET NOUN ADP PROPN VERB PROPN PUNCT",
     "CONDEMNED", "LEADER", "ISRAEL", NULL, NULL, 0},
    /* hyphenated participles are adjectives, not verbs */
    {"The U.S.-led coalition bombed Raqqa.",
     "DET PROPN VERB NOUN VERB PROPN PUNCT",
     "BOMBED", "COALITION", "RAQQA", NULL, NULL, 0},
    /* negation and modality */
    {"Iran will never accept the deal.",
     "PROPN AUX ADV VERB DET NOUN PUNCT",
     "ACCEPT", "IRAN", "DEAL", NULL, NULL, KH_VG_NEGATED | KH_VG_FUTURE},
    {"Iran could impose sanctions.",
     "PROPN AUX VERB NOUN PUNCT",
     "IMPOSE", "IRAN", "SANCTIONS", NULL, NULL, KH_VG_HYPOTHETICAL},
    /* a copula has no object */
    {"Russia is a guarantor.",
     "PROPN AUX DET NOUN PUNCT",
     "IS", "RUSSIA", "GUARANTOR", NULL, NULL, KH_VG_COPULA},
};

static void test_roles(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        check(&cases[i]);
}

static void test_coordination_and_of(void **state)
{
    (void)state;
    chunk_case k = {"Russia, Iran and Turkey guarantee the talks of Astana.",
                    "PROPN PUNCT PROPN CCONJ PROPN VERB DET NOUN ADP PROPN PUNCT",
                    "GUARANTEE", NULL, NULL, NULL, NULL, 0};
    parsed p;
    parse(&p, &k);
    assert_int_equal(p.c.nps.count, 5);
    assert_int_equal(p.c.nps.items[1].coord, 0);   /* Iran -> Russia */
    assert_int_equal(p.c.nps.items[2].coord, 0);   /* Turkey -> Russia */
    assert_int_equal(p.c.nps.items[3].coord, 3);   /* the talks: its own */
    assert_int_equal(p.c.nps.items[3].last_with_of, 9);
    const kh_vgroup *g = &p.c.groups.items[0];
    assert_string_equal(np_head(&p, g->subject), "TURKEY");
    assert_int_equal(p.c.nps.items[g->subject].coord, 0);
    release(&p);
    /* without "and", two comma-separated names are an apposition */
    chunk_case a = {"Iran, Tehran, said.", "PROPN PUNCT PROPN PUNCT VERB PUNCT",
                    "SAID", NULL, NULL, NULL, NULL, 0};
    parse(&p, &a);
    assert_int_equal(p.c.nps.items[1].coord, 1);
    release(&p);
}

/* A verb after an article and only adjectives, numbers or hyphenated
 * words heads a noun phrase; after a plain noun it is a verb. */
static void test_fix_tags(void **state)
{
    (void)state;
    static const struct { const char *text, *tags, *fixed; } cases[] = {
        {"The general strike paralysed Kenya.", "DET ADJ VERB VERB PROPN PUNCT",
         "DET ADJ NOUN VERB PROPN PUNCT"},
        {"Gollum joined an anti- Gondor parade.", "PROPN VERB DET ADJ PUNCT PROPN VERB PUNCT",
         "PROPN VERB DET ADJ PUNCT PROPN NOUN PUNCT"},
        {"The government accused Iran.", "DET NOUN VERB PROPN PUNCT",
         "DET NOUN VERB PROPN PUNCT"},
        {"Iran attacked the convoy.", "PROPN VERB DET NOUN PUNCT", "PROPN VERB DET NOUN PUNCT"},
        /* a verb that shares a head with a noun before it modifies it */
        {"Iran began a heavy bombing and shelling campaign.",
         "PROPN VERB DET ADJ NOUN CCONJ VERB NOUN PUNCT",
         "PROPN VERB DET ADJ NOUN CCONJ NOUN NOUN PUNCT"},
        {"The army and police raided villages.", "DET NOUN CCONJ NOUN VERB NOUN PUNCT",
         "DET NOUN CCONJ NOUN VERB NOUN PUNCT"},
        {"The army attacked and looted villages.", "DET NOUN VERB CCONJ VERB NOUN PUNCT",
         "DET NOUN VERB CCONJ VERB NOUN PUNCT"},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        chunk_case k = {cases[c].text, cases[c].tags, "", NULL, NULL, NULL, NULL, 0};
        parsed p;
        parse(&p, &k);
        kh_chunk_fix_tags(&p.tokens, p.tags);
        char got[256] = "";
        for (size_t i = 0; i < p.tokens.count; i++) {
            strcat(got, i ? " " : "");
            strcat(got, kh_upos_name(p.tags[i]));
        }
        if (strcmp(got, cases[c].fixed) != 0)
            fail_msg("\"%s\": expected %s, got %s", cases[c].text, cases[c].fixed, got);
        release(&p);
    }
}

static void test_reuse_and_empty(void **state)
{
    (void)state;
    kh_chunking c;
    kh_chunking_init(&c);
    kh_tokens t;
    kh_tokens_init(&t);
    kh_tokenize(&t, "", 0);
    kh_chunk(&c, &t, NULL, NULL);
    assert_int_equal(c.groups.count, 0);
    const char *s = "Iran attacked Iraq.";
    kh_tokenize(&t, s, strlen(s));
    kh_upos tags[] = {KH_UPOS_PROPN, KH_UPOS_VERB, KH_UPOS_PROPN, KH_UPOS_PUNCT};
    for (int round = 0; round < 3; round++) {
        kh_chunk(&c, &t, tags, NULL);
        assert_int_equal(c.groups.count, 1);
        assert_int_equal(c.nps.count, 2);
    }
    /* every tag everywhere: no crash, every index in range */
    kh_upos all[4];
    for (int a = 0; a < KH_UPOS_COUNT; a++)
        for (int b = 0; b < KH_UPOS_COUNT; b++) {
            all[0] = all[2] = (kh_upos)a;
            all[1] = all[3] = (kh_upos)b;
            kh_chunk(&c, &t, all, NULL);
            for (size_t g = 0; g < c.groups.count; g++) {
                const kh_vgroup *v = &c.groups.items[g];
                assert_true(v->head >= v->first && v->head <= v->last);
                assert_true(v->subject < (int)c.nps.count && v->object < (int)c.nps.count);
                assert_true(v->governor < (int)c.groups.count);
            }
        }
    kh_tokens_free(&t);
    kh_chunking_free(&c);
}

/* A group, a phrase or an oblique for nearly every token, in a sentence
 * longer than the one before: the room kh_chunk makes for them once per
 * sentence (one of each per token) must hold them all. */
static void test_one_per_token(void **state)
{
    (void)state;
    enum { WORDS = 61 };      /* past any first capacity, and odd for the obliques */
    kh_chunking c;
    kh_chunking_init(&c);
    kh_tokens t;
    kh_tokens_init(&t);
    kh_upos tags[WORDS];
    kh_tokenize(&t, "x x", 3);
    tags[0] = tags[1] = KH_UPOS_VERB;
    kh_chunk(&c, &t, tags, NULL);
    assert_int_equal(c.groups.count, 2);
    char text[2 * WORDS];
    for (int i = 0; i < WORDS; i++)
        text[2 * i] = 'x', text[2 * i + 1] = ' ';
    kh_tokenize(&t, text, sizeof text - 1);
    assert_int_equal(t.count, WORDS);
    for (int i = 0; i < WORDS; i++)
        tags[i] = KH_UPOS_VERB;      /* "helped rebuild": each its own group */
    kh_chunk(&c, &t, tags, NULL);
    assert_int_equal(c.groups.count, WORDS);
    for (int i = 0; i < WORDS; i++)
        assert_int_equal(c.groups.items[i].head, i);
    for (int i = 0; i < WORDS; i++)
        tags[i] = KH_UPOS_PRON;      /* each pronoun its own phrase */
    kh_chunk(&c, &t, tags, NULL);
    assert_int_equal(c.nps.count, WORDS);
    for (int i = 0; i < WORDS; i++)
        assert_int_equal(c.nps.items[i].first, i);
    tags[0] = KH_UPOS_VERB;          /* a verb, then "by him" over and over */
    for (int i = 1; i < WORDS; i++)
        tags[i] = i % 2 ? KH_UPOS_ADP : KH_UPOS_PRON;
    kh_chunk(&c, &t, tags, NULL);
    assert_int_equal(c.groups.count, 1);
    assert_int_equal(c.pps.count, WORDS / 2);
    assert_int_equal(c.groups.items[0].pp_count, WORDS / 2);
    for (int i = 0; i < WORDS / 2; i++)
        assert_int_equal(c.pps.items[i].prep, 2 * i + 1);
    kh_tokens_free(&t);
    kh_chunking_free(&c);
}

/* A group's tokens are in no noun phrase, whatever their tags: a negator
 * tagged as a noun, in the group before its verb, ends the name before. */
static void test_group_ends_phrase(void **state)
{
    (void)state;
    kh_chunking c;
    kh_chunking_init(&c);
    kh_tokens t;
    kh_tokens_init(&t);
    kh_upos tags[] = {KH_UPOS_PROPN, KH_UPOS_NOUN, KH_UPOS_VERB};
    kh_tokenize(&t, "Iran never attacked", strlen("Iran never attacked"));
    kh_chunk(&c, &t, tags, NULL);
    assert_int_equal(c.groups.count, 1);
    assert_int_equal(c.groups.items[0].first, 1);
    assert_int_equal(c.nps.count, 1);
    assert_int_equal(c.nps.items[0].last, 0);
    kh_tokens_free(&t);
    kh_chunking_free(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roles),
        cmocka_unit_test(test_coordination_and_of),
        cmocka_unit_test(test_reuse_and_empty),
        cmocka_unit_test(test_one_per_token),
        cmocka_unit_test(test_group_ends_phrase),
        cmocka_unit_test(test_fix_tags),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
