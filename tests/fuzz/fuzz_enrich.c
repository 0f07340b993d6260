/*
 * fuzz_enrich.c -- libFuzzer target: any bytes as a document for the
 * enrich stage (quote.c, when.c, where.c through enrich.c).
 *
 * The input is a document dated 2023-03-15 with one fake event whose verb
 * span is the middle of the text; every sentence boundary case, unbalanced
 * quote and date-looking number must be handled without a crash, a leak or
 * a read outside the text.  Built by tests/fuzz/run.sh.
 */
#include "enrich.h"
#include "khaldun.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char actors[] = "SYRIA [SYR]\nTURKEY [TUR]\n";
static const char agents[] = "MINISTER [~GOV]\n";
static const char verbs[] = "--- SAY [010] ---\nSAY\n--- ATTACK [190] ---\nATTACK\n";

static kh_dict *dict;
static kh_coder *coder;
static kh_enricher *enricher;

/* Set up once: libFuzzer calls the target many times in one process. */
static void setup(void)
{
    kh_diag d;
    kh_diag_init(&d);
    d.quiet = 1;
    dict = kh_dict_new();
    kh_dict_load_buffer(dict, KH_DICT_ACTORS, "f.actors", actors, strlen(actors), &d);
    kh_dict_load_buffer(dict, KH_DICT_AGENTS, "f.agents", agents, strlen(agents), &d);
    kh_dict_load_buffer(dict, KH_DICT_VERBS, "f.verbs", verbs, strlen(verbs), &d);
    kh_dict_freeze(dict);
    coder = kh_coder_new(dict);
    enricher = kh_enricher_new();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!dict)
        setup();
    kh_doc doc = {0};
    doc.text = malloc(size + 1);
    memcpy(doc.text, data, size);
    doc.text[size] = 0;
    doc.len = size;
    doc.date = 20230315;
    kh_events events;
    kh_events_init(&events);
    kh_coder_begin_document(coder);
    kh_enrich_begin(enricher, &doc);
    kh_code_sentence(coder, doc.text, doc.len, doc.date, &events);
    kh_enrich_sentence(enricher, coder, &doc, 0, doc.len, &events, 0);
    kh_events_free(&events);
    free(doc.text);
    return 0;
}
