/* test_dict_gaps.c -- kh_gaps on a small corpus whose gaps are known:
 * an unknown organisation as subject (twice), an unknown person after a
 * title, a place after "in", a gazetteer city, an unpatterned verb
 * between two known countries (twice); known actors and a patterned verb
 * must not be listed.  And `khaldun dict gaps` on the same corpus. */
#include "testutil.h"
#include "kh_limits.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>

static const char *actors = "ARNOR [ARN]\nGONDOR [GON]\n";
static const char *agents = "KING [~GOV]\n";
static const char *verbs = "--- ACCUSE [112] ---\nACCUSE\n- * + [112]\n\n"
                           "--- SAY [010] ---\nSAY\n- * (WILL BLAME) [111]\n";

static const char *corpus =
    "Arnor accused Gondor of aggression on the eastern border on Monday.\n\n"
    "The Rohirrim Liberation Front attacked a convoy that was heading to the border "
    "from Gondor.\n\n"
    "According to witnesses, the Rohirrim Liberation Front accused Arnor of lying about "
    "the attack.\n\n"
    "Arnor blockaded Gondor for a week after the talks in the capital failed.\n\n"
    "In response, Gondor blockaded Arnor again after the talks failed.\n\n"
    "On a visit, President Elessar Telcontar praised Arnor for its help with the harvest.\n\n"
    "The king of Arnor arrived in Damascus with his guards on Friday.\n\n"
    "Soldiers of Gondor were sent to the river crossing in Osgiliath by the king.\n\n"
    "Later that year, the Rohirrim  Liberation\nFront accused Gondor of theft.\n\n"
    "Arnor told Gondor that the harvest would be late this year.\n\n"
    "Arnor will blame Gondor for the floods that ruined the harvest.\n\n"
    "Afterwards Arnor said it will blame Gondor for the cold that ruined the harvest.\n\n"
    "Soldiers of Gondor marched into the Ephel Duath Mountains near Gorgoroth-dun.\n\n"
    "Arnor welcomed Udun-gor warmly at the feast.\n";

/* The corpus counted over the test dictionaries. */
typedef struct counted {
    kh_dict *dict;
    kh_gaps *gaps;
} counted;

static counted count_gaps(const char *text)
{
    counted c;
    c.dict = test_dict(actors, agents, verbs);
    c.gaps = kh_gaps_new(c.dict, NULL);
    kh_reader *r = kh_reader_open_buffer("corpus.txt", text, strlen(text), NULL, NULL);
    kh_doc doc = {0};
    while (kh_reader_next(r, &doc) == 1) {
        kh_gaps_code(c.gaps, &doc);
        kh_doc_clear(&doc);
    }
    kh_reader_close(r);
    return c;
}

/* The gaps of one kind in `text`, most frequent first, in *items. */
static size_t list_gaps(counted *c, const char *text, kh_gap_kind kind, const kh_gap **items)
{
    *c = count_gaps(text);
    return kh_gaps_list(c->gaps, kind, items);
}

static void counted_free(counted *c)
{
    kh_gaps_free(c->gaps);
    kh_dict_free(c->dict);
}

static const kh_gap *find(const kh_gap *items, size_t n, const char *phrase)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(items[i].phrase, phrase) == 0)
            return &items[i];
    return NULL;
}

/* The gap of that phrase, which must be there with that suggestion and,
 * unless count is 0, that count. */
static const kh_gap *expect(const kh_gap *items, size_t n, const char *phrase, long count,
                            const char *suggestion)
{
    const kh_gap *gap = find(items, n, phrase);
    assert_non_null(gap);
    if (count)
        assert_int_equal(gap->count, count);
    assert_string_equal(gap->suggestion, suggestion);
    return gap;
}

static void test_actor_gaps(void **state)
{
    (void)state;
    counted c;
    const kh_gap *items;
    size_t n = list_gaps(&c, corpus, KH_GAP_ACTOR, &items);
    const kh_gap *front = expect(items, n, "Rohirrim Liberation Front", 3, "organisation");
    assert_true(strstr(front->example, "attacked a convoy") != NULL);
    assert_string_equal(front->doc, "corpus.txt");
    assert_ptr_equal(&items[0], front);            /* the most frequent first */

    expect(items, n, "Elessar Telcontar", 1, "person");      /* title left out */
    expect(items, n, "Damascus", 1, "place");                /* gazetteer */
    expect(items, n, "Osgiliath", 1, "place");               /* after "in" */
    expect(items, n, "Ephel Duath Mountains", 1, "place");   /* a place word */
    expect(items, n, "Gorgoroth-dun", 1, "place");           /* after "near" */
    expect(items, n, "Udun-gor", 1, "unknown");              /* one word, not two */

    /* known actors, dates and the title itself are no gaps */
    assert_null(find(items, n, "Arnor"));
    assert_null(find(items, n, "Gondor"));
    assert_null(find(items, n, "Monday"));
    assert_null(find(items, n, "Friday"));
    assert_null(find(items, n, "President Elessar Telcontar"));
    assert_null(find(items, n, "The Rohirrim Liberation Front"));
    counted_free(&c);
}

static void test_verb_gaps(void **state)
{
    (void)state;
    counted c;
    const kh_gap *items;
    size_t n = list_gaps(&c, corpus, KH_GAP_VERB, &items);
    const kh_gap *blockade = expect(items, n, "BLOCKADE", 2, "add verb: * +");
    assert_true(strstr(blockade->example, "Arnor blockaded Gondor") != NULL);
    /* BLAME once alone; with SAY, whose pattern codes it, no gap */
    expect(items, n, "BLAME", 1, "add verb: * +");
    /* a reporting verb; patterned (an event was coded on it); no actor
     * as subject */
    assert_null(find(items, n, "TELL"));
    assert_null(find(items, n, "SAY"));
    assert_null(find(items, n, "ACCUSE"));
    assert_null(find(items, n, "ATTACK"));
    assert_null(find(items, n, "PRAISE"));
    kh_gaps_stats st;
    kh_gaps_get_stats(c.gaps, &st);
    assert_int_equal(st.documents, 1);
    assert_int_equal(st.sentences, 14);
    assert_true(st.events >= 1);
    assert_int_equal(st.pruned, 0);
    counted_free(&c);
}

/* A dictionary verb whose pattern does not match: "add pattern", with
 * the frame of an oblique. */
static const char *unmatched =
    "Arnor accused nobody of anything, but Arnor quarrelled with Gondor over the harvest.\n\n"
    "For days, Arnor has accused bitterly against Gondor in public.\n";

static void test_unmatched_pattern(void **state)
{
    (void)state;
    counted c;
    const kh_gap *items;
    size_t n = list_gaps(&c, unmatched, KH_GAP_VERB, &items);
    expect(items, n, "ACCUSE", 1, "add pattern: * AGAINST +");
    expect(items, n, "QUARREL", 1, "add verb: * WITH +");
    counted_free(&c);
}

/* A verb's row counts all its frames and shows the most frequent one,
 * with that frame's first example, though another came first. */
static const char *two_frames =
    "Arnor blockaded the ports near Gondor for a month after the war.\n\n"
    "Soon afterwards, Arnor blockaded Gondor by sea and by land.\n\n"
    "A year later, Gondor blockaded Arnor by sea once more.\n";

static void test_most_frequent_frame(void **state)
{
    (void)state;
    counted c;
    const kh_gap *items;
    assert_int_equal(list_gaps(&c, two_frames, KH_GAP_VERB, &items), 1);
    size_t n = 1;
    const kh_gap *blockade = expect(items, n, "BLOCKADE", 3, "add verb: * +");
    assert_string_equal(blockade->example,
                        "Soon afterwards, Arnor blockaded Gondor by sea and by land.");
    counted_free(&c);
}

/* More distinct names than the table holds, each seen twice: the rare
 * ones are dropped (the bar rising past 1), the frequent one keeps its
 * count. */
static void test_bounded(void **state)
{
    (void)state;
    size_t names = KH_GAPS_MAX_CANDIDATES + KH_GAPS_MAX_CANDIDATES / 2;
    char *text = kh_xstrdup("");
    kh_dict *dict = test_dict(actors, agents, verbs);
    kh_gaps *g = kh_gaps_new(dict, NULL);
    for (size_t i = 0; i < names; i++) {
        /* a fresh name each time (letters only), and a frequent one */
        char name[16];
        size_t k = i, len = 0;
        do
            name[len++] = (char)('a' + k % 26), k /= 26;
        while (k);
        name[len] = 0;
        free(text);
        text = kh_xasprintf("Officials said Zq%s attacked Gondor near the river. "
                            "Witnesses said Zq%s attacked Gondor again at night. "
                            "Mordwen Vallis attacked Arnor near the hills.", name, name);
        kh_doc doc = {0};
        doc.id = kh_xstrdup("d");
        doc.text = kh_xstrdup(text);
        doc.len = strlen(text);
        kh_gaps_code(g, &doc);
        kh_doc_clear(&doc);
    }
    kh_gaps_stats st;
    kh_gaps_get_stats(g, &st);
    assert_true(st.pruned > 0);
    assert_true(st.candidates <= KH_GAPS_MAX_CANDIDATES);
    const kh_gap *items;
    size_t n = kh_gaps_list(g, KH_GAP_ACTOR, &items);
    assert_true(n > 0);
    assert_string_equal(items[0].phrase, "Mordwen Vallis");
    assert_int_equal(items[0].count, (long)names);
    assert_true(n > 1);
    assert_int_equal(items[1].count, 2);
    assert_int_equal(items[n - 1].count, 2);
    kh_gaps_free(g);
    kh_dict_free(dict);
    free(text);
}

/* ---- the command ---- */

static int run_cli(const char *args, char **out)
{
    char *all = kh_xasprintf("dict gaps %s", args);
    int status = test_run_khaldun(all, out);
    free(all);
    return status;
}

static void test_cli(void **state)
{
    (void)state;
    char dir[] = "/tmp/kh-test-dictgaps-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char *files[4] = {kh_xasprintf("%s/t.actors", dir), kh_xasprintf("%s/t.agents", dir),
                      kh_xasprintf("%s/t.verbs", dir), kh_xasprintf("%s/corpus.txt", dir)};
    const char *texts[4] = {actors, agents, verbs, corpus};
    for (int i = 0; i < 4; i++)
        test_write_file(files[i], texts[i]);
    char *dicts = kh_xasprintf("--no-default-dicts --dict actors:%s --dict agents:%s "
                               "--dict verbs:%s", files[0], files[1], files[2]);
    char *out, *args = kh_xasprintf("%s --top 1 %s", dicts, files[3]);
    assert_int_equal(run_cli(args, &out), 0);
    assert_string_equal(out,
        "kind\tcount\tphrase\tsuggestion\texample\n"
        "actor\t3\tRohirrim Liberation Front\torganisation\tThe Rohirrim Liberation Front "
        "attacked a convoy that was heading to the border from Gondor.\n"
        "verb\t2\tBLOCKADE\tadd verb: * +\tArnor blockaded Gondor for a week after the talks "
        "in the capital failed.\n");
    free(out), free(args);

    args = kh_xasprintf("%s --top 1 --format json %s", dicts, files[3]);
    assert_int_equal(run_cli(args, &out), 0);
    assert_non_null(strstr(out, "{\"kind\":\"verb\",\"count\":2,\"phrase\":\"BLOCKADE\""));
    free(out), free(args);

    args = kh_xasprintf("%s --top x %s", dicts, files[3]);           /* usage */
    assert_int_equal(run_cli(args, &out), 2);
    free(out), free(args);
    args = kh_xasprintf("%s --format csv %s", dicts, files[3]);
    assert_int_equal(run_cli(args, &out), 2);
    free(out), free(args);
    assert_int_equal(run_cli(dicts, &out), 2);                       /* no input */
    free(out);

    char *rm = kh_xasprintf("rm -rf '%s'", dir);
    assert_int_equal(system(rm), 0);
    free(rm), free(dicts);
    for (int i = 0; i < 4; i++)
        free(files[i]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_actor_gaps),
        cmocka_unit_test(test_verb_gaps),
        cmocka_unit_test(test_unmatched_pattern),
        cmocka_unit_test(test_most_frequent_frame),
        cmocka_unit_test(test_bounded),
        cmocka_unit_test(test_cli),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
