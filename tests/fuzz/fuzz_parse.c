/*
 * fuzz_parse.c -- libFuzzer target: any bytes as a sentence and its given
 * parse (parse.h).
 *
 * The first line is the sentence's text, the rest its parse: CoNLL-U, or
 * a Penn bracketing when it starts with '('.  The parse is read, located
 * in the text, aligned to the sentence's tokens (as a whole and from a
 * second sentence that starts half-way), and explained; every head must
 * name a token of its sentence.  Malformed columns, unbalanced brackets,
 * heads out of range and forms that are not in the text must be reported
 * and skipped without a crash, a leak or a read outside the input.
 * Built by tests/fuzz/run.sh.
 */
#include "parse.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void check(const kh_parse *p, const kh_tokens *t)
{
    if (p->tokens.count != t->count)
        abort();
    for (size_t i = 0; i < p->tokens.count; i++) {
        const kh_parse_token *k = &p->tokens.items[i];
        if (k->head >= (int)t->count || k->head == (int)i || (unsigned)k->rel >= KH_DEP_COUNT)
            abort();
        kh_parse_string(p, k->xpos);
        kh_parse_string(p, k->lemma);
    }
}

static void align(const kh_given_parse *g, const char *text, size_t start, size_t end,
                  FILE *sink)
{
    kh_tokens t;
    kh_parse p;
    kh_tokens_init(&t);
    kh_parse_init(&p);
    kh_tokenize(&t, text + start, end - start);
    kh_parse_from_given(&p, g, &t, (long)start);
    check(&p, &t);
    kh_parse_explain(sink, &p, &t);
    kh_parse_free(&p);
    kh_tokens_free(&t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* NUL-terminated copies: the module reads strings (forms, tags). */
    const char *nl = memchr(data, '\n', size);
    size_t text_len = nl ? (size_t)(nl - (const char *)data) : size;
    char *text = malloc(text_len + 1), *parse = malloc(size - text_len + 1);
    memcpy(text, data, text_len);
    text[text_len] = 0;
    size_t parse_len = nl ? size - text_len - 1 : 0;
    memcpy(parse, data + text_len + (nl != NULL), parse_len);
    parse[parse_len] = 0;

    kh_diag diag;
    kh_diag_init(&diag);
    diag.quiet = 1;
    kh_given_parse g;
    kh_given_parse_read(&g, parse, parse_len, text, text_len, "fuzz", 1, &diag);
    FILE *sink = fopen("/dev/null", "w");
    align(&g, text, 0, text_len, sink);
    align(&g, text, text_len / 2, text_len, sink);
    fclose(sink);
    kh_given_parse_free(&g);
    free(text);
    free(parse);
    return 0;
}
