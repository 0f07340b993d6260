/*
 * fuzz_dict.c -- libFuzzer target: any bytes as a dictionary file.
 *
 * The input is loaded as each dictionary kind in turn (verbs, actors,
 * agents, discards, issues), into its own dictionary, which is then frozen
 * and freed.  The readers must report bad lines and go on, never crash,
 * read out of bounds or leak.  Built by tests/fuzz/run.sh.
 */
#include "khaldun.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* An exact-size copy, so that reading past `size` is caught. */
    char *text = malloc(size ? size : 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    kh_diag diag;
    kh_diag_init(&diag);
    diag.quiet = 1;
    for (int kind = 0; kind < KH_DICT_KIND_COUNT; kind++) {
        kh_dict *dict = kh_dict_new();
        kh_dict_load_buffer(dict, (kh_dict_kind)kind, "fuzz.txt", text, size, &diag);
        kh_dict_freeze(dict);
        kh_dict_stats stats;
        kh_dict_get_stats(dict, &stats);
        kh_dict_free(dict);
    }
    free(text);
    return 0;
}
