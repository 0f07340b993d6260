/* test_coded_pack.c -- coded documents as bytes (src/coded_pack.c): what
 * an MPI rank sends rank 0 must write, through the one duplicate stage,
 * exactly what the documents write when coded there; damaged bytes are
 * refused, never read past. */
#include "testutil.h"
#include "coded_pack.h"

/* Stories told twice, in two documents, so that the stage merges across
 * them: the packed route must carry all it needs for that. */
static const char *const texts[] = {
    "Iran accused Israel of attacking its embassy in Damascus. "
    "Russia agreed to meet Ukraine in Istanbul.",
    "China condemned the United States over Taiwan, the ministry said on Monday.",
    "Russia agreed to meet Ukraine in Istanbul. \"We want peace,\" Putin said.",
    "Iran accused Israel of attacking its embassy in Damascus.",
};
#define TEXT_COUNT (sizeof texts / sizeof texts[0])

static kh_dict *defaults;

static int setup(void **state)
{
    (void)state;
    defaults = test_default_dict();
    return defaults ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    kh_dict_free(defaults);
    return 0;
}

static void make_doc(kh_doc *doc, size_t i)
{
    memset(doc, 0, sizeof *doc);
    doc->id = kh_xasprintf("doc-%zu", i);
    doc->text = kh_xstrdup(texts[i]);
    doc->len = strlen(texts[i]);
    doc->date = 20240311;
    doc->source = i % 2 ? kh_xstrdup("Wire") : NULL;
    doc->url = kh_xstrdup("https://example.org/a");
    doc->meta = kh_xcalloc(1, sizeof *doc->meta);
    doc->meta[0].key = kh_xstrdup("lang");
    doc->meta[0].value = kh_xstrdup("en");
    doc->meta_count = 1;
}

/* The documents coded and written, directly or through kh_pack_coded /
 * kh_unpack_coded; what the writer wrote.  `packed` also gets every
 * record's bytes, back to back. */
static char *write_all(kh_format fmt, kh_buf *packed)
{
    kh_diag d;
    kh_diag_init(&d);
    kh_pipeline_options po;
    kh_pipeline_options_default(&po);
    kh_pipeline *p = kh_pipeline_new(defaults, &po);
    kh_writer *w = kh_writer_open_memory(fmt, &d);
    kh_pack_strings strings;
    kh_pack_strings_init(&strings);
    kh_coded_doc coded;
    kh_coded_doc_init(&coded);
    for (size_t i = 0; i < TEXT_COUNT; i++) {
        kh_doc doc;
        make_doc(&doc, i);
        kh_pipeline_code(p, &doc, &coded);
        if (!packed) {
            assert_int_equal(kh_writer_write(w, &doc, &coded), 0);
        } else {
            size_t at = packed->len;
            kh_pack_coded(packed, &doc, &coded);
            kh_doc got = {0};
            kh_coded_doc back;
            kh_coded_doc_init(&back);
            long used = kh_unpack_coded(packed->data + at, packed->len - at, &strings, &got,
                                        &back);
            assert_int_equal(used, (long)(packed->len - at));
            assert_int_equal(back.count, coded.count);
            assert_int_equal(got.meta_count, 1);
            assert_string_equal(got.meta[0].value, "en");
            assert_int_equal(kh_writer_write(w, &got, &back), 0);
            kh_doc_clear(&got);
            kh_coded_doc_free(&back);
        }
        kh_doc_clear(&doc);
    }
    size_t len;
    char *out = kh_writer_take(w, &len);
    assert_int_equal(kh_writer_close(w), 0);
    kh_pack_strings_free(&strings);       /* after the writer */
    kh_coded_doc_free(&coded);
    kh_pipeline_free(p);
    return out;
}

static void test_packed_writes_the_same(void **state)
{
    (void)state;
    kh_format formats[] = {KH_OUTPUT_JSONL, KH_OUTPUT_TSV};
    for (size_t f = 0; f < 2; f++) {
        kh_buf packed = {0};
        char *direct = write_all(formats[f], NULL);
        char *through = write_all(formats[f], &packed);
        if (formats[f] == KH_OUTPUT_JSONL)  /* merged across documents */
            assert_non_null(strstr(direct, "\"mentions\":2"));
        assert_string_equal(through, direct);
        free(direct);
        free(through);
        kh_buf_free(&packed);
    }
}

/* Every prefix of a record is "not whole yet"; every byte flipped in its
 * length is refused or read as a record whose fields all fit. */
static void test_damaged_records_are_refused(void **state)
{
    (void)state;
    kh_buf packed = {0};
    free(write_all(KH_OUTPUT_JSONL, &packed));
    kh_pack_strings strings;
    kh_pack_strings_init(&strings);
    kh_doc doc = {0};
    kh_coded_doc coded;
    kh_coded_doc_init(&coded);
    long first = kh_unpack_coded(packed.data, packed.len, &strings, &doc, &coded);
    assert_true(first > 8);
    kh_doc_clear(&doc);
    kh_coded_doc_free(&coded);
    for (long n = 0; n < first; n++)
        assert_int_equal(kh_unpack_coded(packed.data, (size_t)n, &strings, &doc, &coded), 0);
    char *copy = kh_xmalloc((size_t)first);
    /* A field's length made huge, in turn at every 8-byte boundary of the
     * record's body: refused (-1), nothing left allocated. */
    int refused = 0;
    for (long at = 8; at + 8 <= first; at += 8) {
        memcpy(copy, packed.data, (size_t)first);
        int64_t huge = INT64_MAX / 2;
        memcpy(copy + at, &huge, sizeof huge);
        long used = kh_unpack_coded(copy, (size_t)first, &strings, &doc, &coded);
        assert_true(used == -1 || used == first);
        refused += used == -1;
        kh_doc_clear(&doc);
        kh_coded_doc_free(&coded);
    }
    assert_true(refused > 0);
    memcpy(copy, packed.data, (size_t)first);
    int64_t negative = -5;
    memcpy(copy, &negative, sizeof negative);
    assert_int_equal(kh_unpack_coded(copy, (size_t)first, &strings, &doc, &coded), -1);
    free(copy);
    kh_pack_strings_free(&strings);
    kh_buf_free(&packed);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_packed_writes_the_same),
        cmocka_unit_test(test_damaged_records_are_refused),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
