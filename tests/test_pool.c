/* test_pool.c -- kh_pool: coding on several threads gives what one
 * pipeline gives, byte for byte, in input order, with the same
 * diagnostics; a callback can stop it; and the CLI's -j changes nothing
 * in its output.  Tests run from the repository root (make check). */
#include "testutil.h"
#include "kh_limits.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXAMPLES_DIR "examples/"
/* examples/ is eleven documents; read it this many times so that four
 * workers cycle their window of slots several times over. */
#define EXAMPLES_ROUNDS 24
#define ORDER_DOCS 200

static kh_dict *defaults;

static char *doc_name(int i)
{
    char *s = malloc(32);
    snprintf(s, 32, "d%d", i);
    return s;
}

static int setup(void **state)
{
    (void)state;
    defaults = test_default_dict();
    return defaults ? 0 : -1;
}

static int teardown(void **state)
{
    kh_dict_free(defaults);
    return 0;
}

/* ---- identical output ---- */

static int write_doc(void *ctx, kh_doc *doc, kh_coded_doc *coded)
{
    assert_int_equal(kh_writer_write(ctx, doc, coded), 0);
    return 0;
}

/* examples/, EXAMPLES_ROUNDS times, coded on `jobs` workers into one
 * memory writer of format `fmt`; returns what it wrote. */
static char *code_examples(int jobs, kh_format fmt, int keep_all)
{
    kh_diag d;
    kh_diag_init(&d);
    kh_writer *w = kh_writer_open_memory(fmt, &d);
    kh_pipeline_options po;
    kh_pipeline_options_default(&po);
    po.keep_all = keep_all;
    po.keep_parses = fmt == KH_OUTPUT_CONLLU;
    kh_pool *pool = kh_pool_new(defaults, &po, jobs, write_doc, w);
    assert_int_equal(kh_pool_threads(pool), jobs > 1 ? jobs : 0);
    kh_read_options ro = {0};
    ro.date = 20110328;
    for (int round = 0; round < EXAMPLES_ROUNDS; round++) {
        kh_reader *r = kh_reader_open(EXAMPLES_DIR, &ro, &d);
        kh_doc doc = {0};
        while (kh_reader_next(r, &doc) == 1) {
            assert_int_equal(kh_pool_submit(pool, &doc), 0);
            assert_null(doc.text);      /* the pool took it */
        }
        kh_reader_close(r);
    }
    assert_int_equal(kh_pool_finish(pool), 0);
    kh_pool_free(pool);
    size_t len;
    char *out = kh_writer_take(w, &len);
    assert_int_equal(kh_writer_close(w), 0);
    assert_int_equal(d.errors, 0);
    return out;
}

/* Whether some JSON line is a merged event (mentions other than 1): the
 * duplicate stage ran, on the writing thread, with the threads on. */
static int has_merged(const char *out)
{
    for (const char *p = out; (p = strstr(p, "\"mentions\":")); p++)
        if (strncmp(p + 11, "1,", 2) != 0)
            return 1;
    return 0;
}

static void same_output_for_jobs(kh_format fmt, int keep_all)
{
    char *one = code_examples(1, fmt, keep_all);
    assert_true(strlen(one) > 1000);
    if (fmt == KH_OUTPUT_JSONL)
        assert_true(has_merged(one));
    for (int jobs = 2; jobs <= 4; jobs += 2) {
        char *many = code_examples(jobs, fmt, keep_all);
        assert_string_equal(many, one);
        free(many);
    }
    free(one);
}

static void test_jsonl_same_for_1_2_4_jobs(void **state)
{
    same_output_for_jobs(KH_OUTPUT_JSONL, 0);
    same_output_for_jobs(KH_OUTPUT_JSONL, 1);
}

static void test_tsv_and_conllu_same_for_1_2_4_jobs(void **state)
{
    same_output_for_jobs(KH_OUTPUT_TSV, 0);
    same_output_for_jobs(KH_OUTPUT_CONLLU, 0);
}

/* ---- order ---- */

typedef struct order {
    int delivered;
    int out_of_order;
    int stop_after;           /* the callback stops the pool here; 0: never */
} order;

static int check_order(void *ctx, kh_doc *doc, kh_coded_doc *coded)
{
    order *o = ctx;
    char want[32];
    snprintf(want, sizeof want, "d%d", o->delivered);
    if (strcmp(doc->id, want) != 0)
        o->out_of_order++;
    o->delivered++;
    return o->stop_after && o->delivered == o->stop_after;
}

/* Document i: short or long, so that workers finish out of order. */
static void make_doc(kh_doc *doc, int i)
{
    static const char sentence[] = "Arnor attacked Gondor on Tuesday, officials said. ";
    int sentences = i % 7 == 0 ? 60 : 1 + i % 3;
    size_t n = strlen(sentence);
    memset(doc, 0, sizeof *doc);
    doc->id = doc_name(i);
    doc->text = malloc(n * (size_t)sentences + 1);
    for (int s = 0; s < sentences; s++)
        memcpy(doc->text + n * (size_t)s, sentence, n);
    doc->len = n * (size_t)sentences;
    doc->text[doc->len] = 0;
    doc->date = 20110328;
}

static void test_documents_come_back_in_order(void **state)
{
    for (int jobs = 1; jobs <= 4; jobs++) {
        order o = {0};
        kh_pool *pool = kh_pool_new(defaults, NULL, jobs, check_order, &o);
        kh_doc doc;
        for (int i = 0; i < ORDER_DOCS; i++) {
            make_doc(&doc, i);
            assert_int_equal(kh_pool_submit(pool, &doc), 0);
        }
        assert_int_equal(kh_pool_finish(pool), 0);
        kh_pool_free(pool);
        assert_int_equal(o.delivered, ORDER_DOCS);
        assert_int_equal(o.out_of_order, 0);
    }
}

/* A callback that says stop: nothing more is delivered, submit and
 * finish say so, and the documents in flight are freed (asan). */
static void test_callback_stops_the_pool(void **state)
{
    for (int jobs = 1; jobs <= 2; jobs++) {
        order o = {0};
        o.stop_after = 5;
        kh_pool *pool = kh_pool_new(defaults, NULL, jobs, check_order, &o);
        kh_doc doc;
        int refused = 0;
        for (int i = 0; i < ORDER_DOCS; i++) {
            make_doc(&doc, i);
            if (kh_pool_submit(pool, &doc) < 0)
                refused++;
            assert_null(doc.text);
        }
        assert_int_equal(kh_pool_finish(pool), -1);
        kh_pool_free(pool);
        assert_int_equal(o.delivered, 5);
        assert_int_equal(o.out_of_order, 0);
        assert_true(refused > 0);
    }
}

/* Documents in flight when the callback runs: submitted, not yet
 * delivered (the one being submitted included). */
typedef struct in_flight {
    int submitted, delivered, most;
} in_flight;

static int count_in_flight(void *ctx, kh_doc *doc, kh_coded_doc *coded)
{
    in_flight *f = ctx;
    f->delivered++;
    if (f->submitted - f->delivered + 1 > f->most)
        f->most = f->submitted - f->delivered + 1;
    return 0;
}

/* Huge documents: the window fills by their text, not by its slots, so
 * memory does not grow with the window.  Each is a little over a third
 * of KH_POOL_MAX_TEXT_BYTES (one word too long to be a sentence: cheap
 * to code), so three are in flight and a fourth waits; slots alone
 * would let 32 in. */
static void test_text_in_flight_is_bounded(void **state)
{
    size_t len = KH_POOL_MAX_TEXT_BYTES / 3 + 1;
    in_flight f = {0};
    kh_pool *pool = kh_pool_new(defaults, NULL, 2, count_in_flight, &f);
    for (int i = 0; i < 12; i++) {
        kh_doc doc = {0};
        doc.id = doc_name(i);
        doc.text = malloc(len + 1);
        memset(doc.text, 'x', len);
        doc.text[len] = 0;
        doc.len = len;
        f.submitted++;
        assert_int_equal(kh_pool_submit(pool, &doc), 0);
    }
    assert_int_equal(kh_pool_finish(pool), 0);
    kh_pool_free(pool);
    assert_int_equal(f.delivered, 12);
    assert_true(f.most <= 4);
}

/* Freed before finish: the workers stop and every document is freed. */
static void test_free_without_finish(void **state)
{
    order o = {0};
    kh_pool *pool = kh_pool_new(defaults, NULL, 2, check_order, &o);
    kh_doc doc;
    for (int i = 0; i < 20; i++) {
        make_doc(&doc, i);
        assert_int_equal(kh_pool_submit(pool, &doc), 0);
    }
    kh_pool_free(pool);
    assert_int_equal(o.out_of_order, 0);
}

/* ---- diagnostics ---- */

typedef struct log {
    char text[8192];
} log;

static void log_sink(void *ctx, kh_severity sev, const char *file, long line,
                     const char *message)
{
    log *l = ctx;
    size_t n = strlen(l->text);
    snprintf(l->text + n, sizeof l->text - n, "%s:%ld:%s\n", file ? file : "-", line, message);
}

static int count_doc(void *ctx, kh_doc *doc, kh_coded_doc *coded)
{
    (*(int *)ctx)++;
    return 0;
}

/* Every third document has a broken given parse: the warnings of the
 * workers' pipelines, and of the caller's (which codes what is still
 * queued when it waits, here at kh_pool_finish), reach the caller's
 * diag, counted, and in input order. */
static void code_broken_parses(int jobs, kh_diag *d, log *l)
{
    kh_diag_init(d);
    memset(l, 0, sizeof *l);
    d->sink = log_sink;
    d->ctx = l;
    kh_pipeline_options po;
    kh_pipeline_options_default(&po);
    po.parse = KH_PARSE_GIVEN;
    po.diag = d;
    int delivered = 0;
    kh_pool *pool = kh_pool_new(defaults, &po, jobs, count_doc, &delivered);
    kh_doc doc;
    for (int i = 0; i < 30; i++) {
        make_doc(&doc, i);
        doc.path = doc_name(i);
        if (i % 3 == 0) {
            doc.meta = calloc(2, sizeof *doc.meta);
            doc.meta_count = 2;
            doc.meta[0].key = strdup("parse");
            doc.meta[0].value = strdup("1\tArnor\n2\tattacked\tattack\n");
            doc.meta[1].key = strdup("parse_line");
            doc.meta[1].value = strdup("7");
        }
        assert_int_equal(kh_pool_submit(pool, &doc), 0);
    }
    assert_int_equal(kh_pool_finish(pool), 0);
    kh_pool_free(pool);
    assert_int_equal(delivered, 30);
}

static void test_worker_diagnostics_reach_the_caller_in_order(void **state)
{
    kh_diag one, many;
    log one_log, many_log;
    code_broken_parses(1, &one, &one_log);
    assert_int_equal(one.warnings, 20);        /* two lines, ten documents */
    assert_non_null(strstr(one_log.text, "d0:7:CoNLL-U line has"));
    for (int jobs = 2; jobs <= 4; jobs += 2) {
        code_broken_parses(jobs, &many, &many_log);
        assert_int_equal(many.warnings, one.warnings);
        assert_int_equal(many.errors, one.errors);
        assert_string_equal(many_log.text, one_log.text);
    }
}

/* ---- the pool's shape ---- */

static void test_threads_and_inline(void **state)
{
    kh_pool *p = kh_pool_new(defaults, NULL, 1, NULL, NULL);
    assert_int_equal(kh_pool_threads(p), 0);
    kh_pool_free(p);
    p = kh_pool_new(defaults, NULL, 3, NULL, NULL);
    assert_int_equal(kh_pool_threads(p), 3);
    assert_int_equal(kh_pool_finish(p), 0);
    kh_pool_free(p);
    p = kh_pool_new(defaults, NULL, 0, NULL, NULL);     /* one per core */
    assert_true(kh_pool_threads(p) == 0 || kh_pool_threads(p) > 1);
    kh_pool_free(p);
    kh_pipeline_options po;
    kh_pipeline_options_default(&po);
    po.explain = stderr;                 /* a trace is one document at a time */
    p = kh_pool_new(defaults, &po, 4, NULL, NULL);
    assert_int_equal(kh_pool_threads(p), 0);
    kh_pool_free(p);
}

/* ---- the CLI ---- */

static char *run_cli(const char *args)
{
    const char *build = getenv("BUILD");
    char cmd[512];
    snprintf(cmd, sizeof cmd, "%s/khaldun code --quiet --date 20110328 %s " EXAMPLES_DIR,
             build && *build ? build : "build", args);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t cap = 1 << 16, len = 0, n;
    char *out = malloc(cap);
    while ((n = fread(out + len, 1, cap - len - 1, p)) > 0) {
        len += n;
        if (cap - len < 2)
            out = realloc(out, cap *= 2);
    }
    out[len] = 0;
    assert_int_equal(pclose(p), 0);
    return out;
}

static void test_cli_jobs_same_output(void **state)
{
    const char *formats[] = {"", "--format tsv", "--all", "--no-dedup"};
    for (size_t i = 0; i < sizeof formats / sizeof *formats; i++) {
        char a[64], b[64];
        snprintf(a, sizeof a, "-j 1 %s", formats[i]);
        snprintf(b, sizeof b, "--jobs 2 %s", formats[i]);
        char *one = run_cli(a), *two = run_cli(b);
        assert_true(strlen(one) > 1000);
        assert_string_equal(two, one);
        if (i == 0)
            assert_true(has_merged(one));   /* examples/embassy.html's headline */
        if (i == 3)
            assert_false(has_merged(one));
        free(one);
        free(two);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_jsonl_same_for_1_2_4_jobs),
        cmocka_unit_test(test_tsv_and_conllu_same_for_1_2_4_jobs),
        cmocka_unit_test(test_documents_come_back_in_order),
        cmocka_unit_test(test_callback_stops_the_pool),
        cmocka_unit_test(test_text_in_flight_is_bounded),
        cmocka_unit_test(test_free_without_finish),
        cmocka_unit_test(test_worker_diagnostics_reach_the_caller_in_order),
        cmocka_unit_test(test_threads_and_inline),
        cmocka_unit_test(test_cli_jobs_same_output),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
