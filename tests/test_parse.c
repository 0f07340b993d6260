/* test_parse.c -- given parses (CoNLL-U, Penn) aligned to our tokens, the
 * PETRARCH reader's <Parse>, the CoNLL-U output, and `khaldun parse`. */
#include "testutil.h"
#include "parse.h"

#include <stdio.h>
#include <stdlib.h>

/* ---- a sentence, a given parse, and what came of aligning them ---- */

typedef struct fixture {
    const char *text;
    kh_tokens tokens;
    kh_given_parse given;
    kh_parse parse;
    kh_diag diag;
    long last_line;         /* line of the last diagnostic */
} fixture;

static void remember_line(void *ctx, kh_severity sev, const char *file, long line,
                          const char *message)
{
    (void)sev, (void)file, (void)message;
    ((fixture *)ctx)->last_line = line;
}

static fixture *align(const char *text, const char *parse)
{
    fixture *f = calloc(1, sizeof *f);
    f->text = text;
    kh_diag_init(&f->diag);
    f->diag.sink = remember_line;
    f->diag.ctx = f;
    kh_tokens_init(&f->tokens);
    kh_tokenize(&f->tokens, text, strlen(text));
    kh_given_parse_read(&f->given, parse, strlen(parse), text, strlen(text), "t.xml", 10,
                        &f->diag);
    kh_parse_init(&f->parse);
    kh_parse_from_given(&f->parse, &f->given, &f->tokens, 0);
    assert_int_equal(f->parse.tokens.count, f->tokens.count);
    return f;
}

static void done(fixture *f)
{
    kh_tokens_free(&f->tokens);
    kh_given_parse_free(&f->given);
    kh_parse_free(&f->parse);
    free(f);
}

static int token(const fixture *f, const char *word)
{
    for (size_t i = 0; i < f->tokens.count; i++)
        if (!strcmp(f->tokens.items[i].word, word))
            return (int)i;
    fail_msg("no token %s", word);
    return -1;
}

/* `word` depends on `head` (NULL: none) by `rel`. */
static void expect_dep(const fixture *f, const char *word, kh_deprel rel, const char *head)
{
    const kh_parse_token *t = &f->parse.tokens.items[token(f, word)];
    if (t->rel != rel)
        fail_msg("%s: %s, not %s", word, kh_deprel_name(t->rel), kh_deprel_name(rel));
    assert_int_equal(t->head, head ? token(f, head) : -1);
}

static kh_upos upos(const fixture *f, const char *word)
{
    return f->parse.tokens.items[token(f, word)].upos;
}

/* ---- CoNLL-U ---- */

static const char contraction_conllu[] =
    "# sent_id = 1\n"
    "1\tArnor\tArnor\tPROPN\tNNP\t_\t4\tnsubj\t_\t_\n"
    "2\tdid\tdo\tAUX\tVBD\t_\t4\taux\t_\t_\n"
    "3\tn't\tnot\tPART\tRB\t_\t4\tneg\t_\t_\n"
    "4\tattack\tattack\tVERB\tVB\t_\t0\troot\t_\t_\n"
    "5\tal-Qaeda\tal-Qaeda\tPROPN\tNNP\t_\t6\tcompound\t_\t_\n"
    "6\tcamps\tcamp\tNOUN\tNNS\t_\t4\tdobj\t_\t_\n"
    "7\tin\tin\tADP\tIN\t_\t8\tcase\t_\t_\n"
    "8\tGondor\tGondor\tPROPN\tNNP\t_\t4\tnmod\t_\t_\n"
    "9\t.\t.\tPUNCT\t.\t_\t4\tpunct\t_\t_\n";

static void test_conllu_contraction_and_hyphen(void **state)
{
    (void)state;
    fixture *f = align("Arnor didn't attack al-Qaeda camps in Gondor.", contraction_conllu);
    assert_int_equal(f->parse.unaligned, 0);
    assert_int_equal(f->given.unlocated, 0);
    expect_dep(f, "ARNOR", KH_DEP_NSUBJ, "ATTACK");
    expect_dep(f, "DID", KH_DEP_AUX, "ATTACK");
    expect_dep(f, "NOT", KH_DEP_ADVMOD, "ATTACK");      /* neg is v2's advmod */
    expect_dep(f, "ATTACK", KH_DEP_ROOT, NULL);
    expect_dep(f, "CAMPS", KH_DEP_OBJ, "ATTACK");       /* dobj */
    expect_dep(f, "GONDOR", KH_DEP_OBL, "ATTACK");      /* nmod on a verb */
    /* al-Qaeda is one given token, AL QAEDA two of ours */
    expect_dep(f, "QAEDA", KH_DEP_COMPOUND, "CAMPS");
    expect_dep(f, "AL", KH_DEP_COMPOUND, "QAEDA");
    assert_int_equal(upos(f, "AL"), KH_UPOS_PROPN);
    assert_string_equal(kh_parse_string(&f->parse,
                                        f->parse.tokens.items[token(f, "CAMPS")].lemma),
                        "camp");
    done(f);
}

static void test_conllu_joined_contraction(void **state)
{
    (void)state;
    /* a tokenizer that keeps "didn't" whole: NOT is split off it */
    fixture *f = align("Arnor didn't go.",
                       "1\tArnor\t_\tPROPN\tNNP\t_\t3\tnsubj\t_\t_\n"
                       "2\tdidn't\t_\tAUX\tVBD\t_\t3\taux\t_\t_\n"
                       "3\tgo\t_\tVERB\tVB\t_\t0\troot\t_\t_\n"
                       "4\t.\t_\tPUNCT\t.\t_\t3\tpunct\t_\t_\n");
    assert_int_equal(f->parse.unaligned, 0);
    expect_dep(f, "DID", KH_DEP_AUX, "GO");
    expect_dep(f, "NOT", KH_DEP_ADVMOD, "DID");
    assert_int_equal(upos(f, "NOT"), KH_UPOS_PART);
    done(f);
}

static void test_conllu_escapes_and_quotes(void **state)
{
    (void)state;
    fixture *f = align("The Union (EU) said \u201Cno\u201D.",
                       "1 The _ DET DT _ 2 det _ _\n"       /* blanks, no tabs */
                       "2 Union _ PROPN NNP _ 6 nsubj _ _\n"
                       "3 -LRB- _ PUNCT -LRB- _ 4 punct _ _\n"
                       "4 EU _ PROPN NNP _ 2 appos _ _\n"
                       "5 -RRB- _ PUNCT -RRB- _ 4 punct _ _\n"
                       "6 said _ VERB VBD _ 0 root _ _\n"
                       "7 `` _ PUNCT `` _ 8 punct _ _\n"
                       "8 no _ INTJ UH _ 6 ccomp _ _\n"
                       "9 '' _ PUNCT '' _ 8 punct _ _\n"
                       "10 . _ PUNCT . _ 6 punct _ _\n");
    assert_int_equal(f->given.unlocated, 0);
    assert_int_equal(f->parse.unaligned, 0);
    expect_dep(f, "UNION", KH_DEP_NSUBJ, "SAID");
    expect_dep(f, "(", KH_DEP_PUNCT, "EU");
    expect_dep(f, "NO", KH_DEP_CCOMP, "SAID");
    done(f);
}

static void test_conllu_malformed(void **state)
{
    (void)state;
    fixture *f = align("Arnor attacked Gondor.",
                       "# a comment\n"
                       "1\tArnor\tArnor\n"                                   /* line 11 */
                       "x\tattacked\t_\tVERB\tVBD\t_\t0\troot\t_\t_\n"        /* 12 */
                       "2-3\tattacked\t_\t_\t_\t_\t_\t_\t_\t_\n"              /* range */
                       "2\tattacked\t_\tVERB\tVBD\t_\t0\troot\t_\t_\n"
                       "3\tGondor\t_\tPROPN\tNNP\t_\t99\tdobj\t_\t_\n"        /* 15 */
                       "4\t.\t_\tNOPE\t.\t_\t2\tpunct\t_\t_\n");
    assert_true(f->given.malformed >= 3);
    assert_int_equal(f->last_line, 15);      /* the bad head's line */
    assert_int_equal(upos(f, "ATTACKED"), KH_UPOS_VERB);
    assert_int_equal(upos(f, "."), KH_UPOS_X);
    expect_dep(f, "GONDOR", KH_DEP_OBJ, NULL);   /* its head is not there */
    assert_int_equal(f->parse.unaligned, 1);     /* ARNOR: its line was broken */
    done(f);
}

static void test_unmatched_forms(void **state)
{
    (void)state;
    fixture *f = align("Arnor attacked Gondor.",
                       "1\tMordor\t_\tPROPN\tNNP\t_\t2\tnsubj\t_\t_\n"
                       "2\tattacked\t_\tVERB\tVBD\t_\t0\troot\t_\t_\n"
                       "3\tRohan\t_\tPROPN\tNNP\t_\t2\tobj\t_\t_\n");
    assert_int_equal(f->given.unlocated, 2);
    assert_int_equal(f->parse.unaligned, 3);     /* ARNOR GONDOR . */
    assert_int_equal(upos(f, "ARNOR"), KH_UPOS_X);
    assert_int_equal(f->parse.tokens.items[token(f, "ARNOR")].flags & KH_PARSE_ALIGNED, 0);
    expect_dep(f, "ATTACKED", KH_DEP_ROOT, NULL);
    done(f);
}

static void test_deprel_names(void **state)
{
    (void)state;
    assert_int_equal(kh_deprel_parse("nsubjpass"), KH_DEP_NSUBJ_PASS);
    assert_int_equal(kh_deprel_parse("auxpass"), KH_DEP_AUX_PASS);
    assert_int_equal(kh_deprel_parse("obl:tmod"), KH_DEP_OBL);
    assert_int_equal(kh_deprel_parse("nmod:poss"), KH_DEP_NMOD_POSS);
    assert_int_equal(kh_deprel_parse("acl:relcl"), KH_DEP_ACL_RELCL);
    assert_int_equal(kh_deprel_parse("goeswith"), KH_DEP_OTHER);
    assert_int_equal(kh_deprel_parse("_"), KH_DEP_NONE);
    for (int r = 0; r < KH_DEP_COUNT; r++)
        if (r != KH_DEP_OTHER)
            assert_int_equal(kh_deprel_parse(kh_deprel_name((kh_deprel)r)), r);
    assert_int_equal(kh_parse_source_parse("given"), KH_PARSE_GIVEN);
    assert_int_equal(kh_parse_source_parse("tagger"), KH_PARSE_TAGGER);
    assert_int_equal(kh_parse_source_parse("oracle"), -1);
}

/* ---- Penn Treebank ---- */

static void test_penn_passive_and_quotes(void **state)
{
    (void)state;
    fixture *f = align("Gondor was warned by \"the council\" of Bree.",
                       "(ROOT (S (NP-SBJ (NNP Gondor))\n"
                       "  (VP (VBD was) (VP (VBN warned) (NP (-NONE- *))\n"
                       "    (PP (IN by) (`` ``) (NP (NP (DT the) (NN council)) ('' '')\n"
                       "      (PP (IN of) (NP (NNP Bree)))))))\n"
                       "  (. .)))");
    assert_int_equal(f->given.unlocated, 0);
    assert_int_equal(f->parse.unaligned, 0);
    expect_dep(f, "GONDOR", KH_DEP_NSUBJ_PASS, "WARNED");
    expect_dep(f, "WAS", KH_DEP_AUX_PASS, "WARNED");
    expect_dep(f, "WARNED", KH_DEP_ROOT, NULL);
    expect_dep(f, "COUNCIL", KH_DEP_OBL, "WARNED");
    expect_dep(f, "BY", KH_DEP_CASE, "COUNCIL");
    expect_dep(f, "BREE", KH_DEP_NMOD, "COUNCIL");
    assert_int_equal(upos(f, "WAS"), KH_UPOS_AUX);
    assert_string_equal(kh_parse_string(&f->parse,
                                        f->parse.tokens.items[token(f, "WARNED")].xpos),
                        "VBN");
    done(f);
}

static void test_penn_objects_and_contraction(void **state)
{
    (void)state;
    fixture *f = align("Arnor didn't send Rohan's king troops to Gondor, officials said.",
                       "(ROOT (S (S (NP (NNP Arnor)) (VP (VBD did) (RB n't) (VP (VB send)"
                       " (NP (NP (NNP Rohan) (POS 's)) (NN king)) (NP (NNS troops))"
                       " (PP (TO to) (NP (NNP Gondor))))))"
                       " (, ,) (NP (NNS officials)) (VP (VBD said)) (. .)))");
    assert_int_equal(f->parse.unaligned, 0);
    expect_dep(f, "ARNOR", KH_DEP_NSUBJ, "SEND");
    expect_dep(f, "DID", KH_DEP_AUX, "SEND");
    expect_dep(f, "NOT", KH_DEP_ADVMOD, "SEND");
    expect_dep(f, "KING", KH_DEP_IOBJ, "SEND");
    expect_dep(f, "TROOPS", KH_DEP_OBJ, "SEND");
    expect_dep(f, "GONDOR", KH_DEP_OBL, "SEND");
    expect_dep(f, "ROHAN", KH_DEP_NMOD_POSS, "KING");
    expect_dep(f, "'S", KH_DEP_CASE, "ROHAN");
    expect_dep(f, "SEND", KH_DEP_CCOMP, "SAID");
    expect_dep(f, "OFFICIALS", KH_DEP_NSUBJ, "SAID");
    expect_dep(f, "SAID", KH_DEP_ROOT, NULL);
    done(f);
}

static void test_penn_malformed(void **state)
{
    (void)state;
    static const char *const broken[] = {
        "(ROOT (S (NP (NNP Arnor)) (VP (VBD attacked)",      /* never closed */
        "(S (NP (NNP Arnor))))) (VP (VBD attacked)))",       /* too many ) */
        "((((((((((", ")))))", "(", "()", "( )", "(NP Arnor attacked)",
        "(NP (NNP Arnor) stray)", "(S (X (Y (Z))))", "", "(S (VP (VB x)) (VP)"};
    for (size_t i = 0; i < sizeof broken / sizeof *broken; i++) {
        fixture *f = align("Arnor attacked Gondor.", broken[i]);
        for (size_t t = 0; t < f->parse.tokens.count; t++)
            assert_true(f->parse.tokens.items[t].head < (int)f->tokens.count);
        done(f);
    }
    fixture *f = align("Arnor attacked Gondor.", "(ROOT (S (NP (NNP Arnor)) (VP (VBD attacked)");
    assert_int_equal(f->given.malformed, 1);
    assert_int_equal(f->last_line, 10);
    expect_dep(f, "ARNOR", KH_DEP_NSUBJ, "ATTACKED");
    done(f);
}

/* ---- the reader, the pipeline and the CoNLL-U writer ---- */

static const char records[] =
    "<Sentences>\n"
    "<Sentence date=\"20200105\" id=\"R-1\">\n"
    "<Text>Arnor didn't attack al-Qaeda camps in Gondor.</Text>\n"
    "<Parse>\n%s</Parse>\n"
    "</Sentence>\n"
    "</Sentences>\n";

static char *records_xml(void)
{
    size_t n = sizeof records + sizeof contraction_conllu;
    char *xml = malloc(n);
    snprintf(xml, n, records, contraction_conllu);
    return xml;
}

static void test_reader_keeps_parse(void **state)
{
    (void)state;
    char *xml = records_xml();
    kh_reader *r = kh_reader_open_buffer("r.xml", xml, strlen(xml), NULL, NULL);
    kh_doc doc = {0};
    assert_int_equal(kh_reader_next(r, &doc), 1);
    const char *parse = NULL, *line = NULL;
    for (size_t i = 0; i < doc.meta_count; i++) {
        if (!strcmp(doc.meta[i].key, "parse")) parse = doc.meta[i].value;
        if (!strcmp(doc.meta[i].key, "parse_line")) line = doc.meta[i].value;
    }
    assert_non_null(parse);
    assert_non_null(strstr(parse, "4\tattack\tattack\tVERB"));
    assert_string_equal(line, "4");
    kh_doc_clear(&doc);
    kh_reader_close(r);
    free(xml);
}

/* Every token line's TokenRange slices the document text to its FORM. */
static void check_conllu(const char *out, const char *text, int *lines)
{
    const char *p = out;
    *lines = 0;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        if (n && *p != '#') {
            char form[64];
            long start, end;
            int tabs = 0;
            for (size_t i = 0; i < n; i++)
                tabs += p[i] == '\t';
            assert_int_equal(tabs, 9);
            assert_int_equal(sscanf(p, "%*d\t%63[^\t]", form), 1);
            const char *range = strstr(p, "TokenRange=");
            assert_true(range && range < p + n);
            assert_int_equal(sscanf(range, "TokenRange=%ld:%ld", &start, &end), 2);
            assert_int_equal((size_t)(end - start), strlen(form));
            assert_memory_equal(text + start, form, strlen(form));
            ++*lines;
        }
        p += n + (nl != NULL);
    }
}

static void test_pipeline_writes_conllu(void **state)
{
    (void)state;
    char *xml = records_xml();
    kh_dict *dict = kh_dict_new();
    kh_dict_freeze(dict);
    kh_pipeline_options po;
    kh_pipeline_options_default(&po);
    po.parse = KH_PARSE_GIVEN;
    po.parse_only = 1;
    kh_pipeline *p = kh_pipeline_new(dict, &po);
    kh_writer *w = kh_writer_open_memory(KH_OUTPUT_CONLLU, NULL);
    kh_reader *r = kh_reader_open_buffer("r.xml", xml, strlen(xml), NULL, NULL);
    kh_coded_doc coded;
    kh_coded_doc_init(&coded);
    kh_doc doc = {0};
    assert_int_equal(kh_reader_next(r, &doc), 1);
    kh_pipeline_code(p, &doc, &coded);
    assert_int_equal(coded.parse.given_tokens, 10);     /* DID NOT, AL QAEDA */
    assert_int_equal(coded.parse.aligned, 10);
    assert_int_equal(kh_writer_write(w, &doc, &coded), 0);
    size_t len;
    char *out = kh_writer_take(w, &len);
    assert_non_null(strstr(out, "# doc = R-1\n# sent_id = R-1-1\n# text = Arnor didn't"));
    assert_non_null(strstr(out, "\n3\tn't\tnot\tPART\tRB\t_\t4\tadvmod\t_\tTokenRange=9:12\n"));
    assert_non_null(strstr(out, "\n4\tattack\tattack\tVERB\tVB\t_\t0\troot\t_\t"));
    int lines;
    check_conllu(out, doc.text, &lines);
    assert_int_equal(lines, 10);
    free(out);
    kh_doc_clear(&doc);
    kh_reader_close(r);
    assert_int_equal(kh_writer_close(w), 0);
    kh_coded_doc_free(&coded);
    kh_pipeline_free(p);
    kh_dict_free(dict);
    free(xml);
}

/* ---- the command ---- */

static char *run_cli(const char *args)
{
    const char *build = getenv("BUILD");
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "%s/khaldun parse --quiet %s", build && *build ? build : "build",
             args);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t cap = 1 << 16, len = 0, n;
    char *out = malloc(cap);
    while ((n = fread(out + len, 1, cap - len - 1, p)) > 0)
        if ((len += n) + 1 == cap)
            out = realloc(out, cap *= 2);
    out[len] = 0;
    assert_int_equal(pclose(p), 0);
    return out;
}

static void test_cli_parse(void **state)
{
    (void)state;
    /* a plain article: the document text is the file's text */
    char *out = run_cli("tests/data/parse/article.txt");
    size_t len;
    char *text = kh_file_read("tests/data/parse/article.txt", &len);
    int lines;
    check_conllu(out, text, &lines);
    assert_int_equal(lines, 16);
    /* the document id is the path given */
    assert_non_null(strstr(out, "# sent_id = tests/data/parse/article.txt-2\n"));
    /* tagged, with each verb's arguments from the structure */
    assert_non_null(strstr(out, "\n1\tArnor\t_\tPROPN\t_\t_\t2\tnsubj\t_\tTokenRange=0:5\n"));
    assert_non_null(strstr(out, "\n2\tsent\t_\tVERB\t_\t_\t0\troot\t_\t"));
    assert_non_null(strstr(out, "\n3\ttroops\t_\tNOUN\t_\t_\t2\tobj\t"));
    assert_non_null(strstr(out, "\n5\tGondor\t_\tPROPN\t_\t_\t2\tobl\t"));
    assert_non_null(strstr(out, "\n1\tThe\t_\tDET\t_\t_\t2\tdet\t_\tTokenRange=40:43\n"));
    assert_non_null(strstr(out, "\n4\tBree\t_\tPROPN\t_\t_\t2\tnmod\t"));
    free(out);
    free(text);
    /* records with given parses: a record's text is its one sentence */
    out = run_cli("--parse given tests/data/parse/records.xml");
    assert_non_null(strstr(out, "\tnsubj:pass\t"));
    assert_non_null(strstr(out, "\n6\tal\t_\tPROPN\tNNP\t_\t7\tcompound\t_\tTokenRange=24:26\n"));
    for (const char *s = strstr(out, "# text = "); s; s = strstr(s + 1, "# text = ")) {
        const char *end = strstr(s, "\n\n");
        char *block = strndup(s, (size_t)(end - s));
        check_conllu(strchr(block, '\n') + 1, s + strlen("# text = "), &lines);
        assert_true(lines > 0);
        free(block);
    }
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_conllu_contraction_and_hyphen),
        cmocka_unit_test(test_conllu_joined_contraction),
        cmocka_unit_test(test_conllu_escapes_and_quotes),
        cmocka_unit_test(test_conllu_malformed),
        cmocka_unit_test(test_unmatched_forms),
        cmocka_unit_test(test_deprel_names),
        cmocka_unit_test(test_penn_passive_and_quotes),
        cmocka_unit_test(test_penn_objects_and_contraction),
        cmocka_unit_test(test_penn_malformed),
        cmocka_unit_test(test_reader_keeps_parse),
        cmocka_unit_test(test_pipeline_writes_conllu),
        cmocka_unit_test(test_cli_parse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
