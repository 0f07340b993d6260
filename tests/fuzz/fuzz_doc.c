/*
 * fuzz_doc.c -- libFuzzer target: any bytes as whole documents, read,
 * coded and written, the way `khaldun code` does it.
 *
 * The other targets take one sentence (fuzz_code) or stop at reading
 * (fuzz_read); the costs that grow with a document -- segmenting a line
 * that never ends a sentence, an HTML page nested hundreds deep, entities
 * that multiply, a sentence past KH_MAX_SENTENCE_BYTES -- show only when
 * a long input goes all the way through.  libFuzzer grows inputs slowly,
 * so the input's first byte says how many times to repeat the rest (1 to
 * 64, up to DOC_MAX_BYTES in all): a short input becomes a long document,
 * and a time-out here is work that is not linear in the input.
 *
 * Built by tests/fuzz/run.sh with the default dictionaries, as the CLI
 * codes; its -dict is fuzz_doc.dict (XML, HTML and JSON tokens).
 */
#include "khaldun.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Bytes of a repeated input: past the sentence limit (16 KB) and
 * libxml2's nesting guard, yet quick enough under the sanitizers for
 * libFuzzer's per-input time-out to mean a hang. */
#define DOC_MAX_BYTES (256 * 1024)

static kh_dict *dict;
static kh_pipeline *pipeline;

/* File names steer the reader's format detection by extension. */
static const char *const names[] = {"fuzz.txt", "fuzz.html", "fuzz.xml", "fuzz.jsonl"};

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    kh_diag diag;
    kh_diag_init(&diag);
    diag.quiet = 1;
    dict = kh_dict_new();
    kh_dict_load_defaults(dict, &diag);
    kh_dict_freeze(dict);
    static kh_diag quiet;
    kh_diag_init(&quiet);
    quiet.quiet = 1;
    kh_pipeline_options po;
    kh_pipeline_options_default(&po);
    po.diag = &quiet;
    pipeline = kh_pipeline_new(dict, &po);
    return 0;
}

/* The input's body repeated as its first byte asks. */
static char *repeated(const uint8_t *data, size_t size, size_t *len)
{
    size_t times = size ? (size_t)(data[0] % 64) + 1 : 1;
    const uint8_t *body = size ? data + 1 : data;
    size_t n = size ? size - 1 : 0;
    if (n && times * n > DOC_MAX_BYTES)
        times = DOC_MAX_BYTES / n ? DOC_MAX_BYTES / n : 1;
    char *text = malloc(times * n + 1);
    if (!text)
        return NULL;
    for (size_t i = 0; i < times; i++)
        memcpy(text + i * n, body, n);
    *len = times * n;
    return text;
}

static void code_all(const char *name, const char *text, size_t len, kh_diag *diag)
{
    kh_read_options ro = {0};
    ro.date = 20150101;
    kh_reader *r = kh_reader_open_buffer(name, text, len, &ro, diag);
    kh_writer *w = kh_writer_open_memory(KH_OUTPUT_JSONL, diag);
    kh_coded_doc coded;
    kh_coded_doc_init(&coded);
    kh_doc doc;
    memset(&doc, 0, sizeof doc);
    while (kh_reader_next(r, &doc)) {
        kh_pipeline_code(pipeline, &doc, &coded);
        kh_writer_write(w, &doc, &coded);
        size_t n;
        free(kh_writer_take(w, &n));
        kh_doc_clear(&doc);
    }
    kh_coded_doc_free(&coded);
    kh_writer_close(w);
    kh_reader_close(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!pipeline)
        return 0;
    size_t len;
    char *text = repeated(data, size, &len);
    if (!text)
        return 0;
    kh_diag diag;
    kh_diag_init(&diag);
    diag.quiet = 1;
    code_all(names[size ? data[0] / 64 : 0], text, len, &diag);
    free(text);
    return 0;
}
