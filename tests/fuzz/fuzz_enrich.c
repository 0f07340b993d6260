/*
 * fuzz_enrich.c -- libFuzzer target: any bytes as an article through the
 * whole pipeline after reading (clean, segment, code, enrich: quote.c,
 * when.c, where.c).
 *
 * The bytes are read as a plain-text article dated 2023-03-15 (the reader
 * makes them valid UTF-8, as it does for every input) and coded by
 * kh_pipeline_code with every event kept; every sentence boundary case,
 * unbalanced quote and date-looking number must be handled without a
 * crash, a leak or a read outside the text.  Built by tests/fuzz/run.sh.
 */
#include "khaldun.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char actors[] = "SYRIA [SYR]\nTURKEY [TUR]\n";
static const char agents[] = "MINISTER [~GOV]\n";
static const char verbs[] = "--- SAY [010] ---\nSAY\n--- ATTACK [190] ---\nATTACK\n";

static kh_dict *dict;
static kh_pipeline *pipeline;
static kh_diag diag;

/* Set up once: libFuzzer calls the target many times in one process. */
static void setup(void)
{
    kh_diag_init(&diag);
    diag.quiet = 1;
    dict = kh_dict_new();
    kh_dict_load_buffer(dict, KH_DICT_ACTORS, "f.actors", actors, strlen(actors), &diag);
    kh_dict_load_buffer(dict, KH_DICT_AGENTS, "f.agents", agents, strlen(agents), &diag);
    kh_dict_load_buffer(dict, KH_DICT_VERBS, "f.verbs", verbs, strlen(verbs), &diag);
    kh_dict_freeze(dict);
    kh_pipeline_options po;
    kh_pipeline_options_default(&po);
    po.keep_all = 1;
    pipeline = kh_pipeline_new(dict, &po);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!dict)
        setup();
    kh_read_options ro = {20230315, KH_FORMAT_TEXT};
    kh_reader *r = kh_reader_open_buffer("fuzz.txt", (const char *)data, size, &ro, &diag);
    kh_doc doc = {0};
    kh_coded_doc coded;
    kh_coded_doc_init(&coded);
    while (kh_reader_next(r, &doc) == 1) {
        kh_pipeline_code(pipeline, &doc, &coded);
        kh_doc_clear(&doc);
    }
    kh_coded_doc_free(&coded);
    kh_reader_close(r);
    return 0;
}
