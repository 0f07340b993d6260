/*
 * fuzz_code.c -- libFuzzer target: any bytes as a sentence to code.
 *
 * A tiny dictionary in PETRARCH-2 syntax is loaded once; each input is
 * coded by one kh_coder, with and without a date and an explain trace.
 * Built by tests/fuzz/run.sh.
 */
#include "khaldun.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char actors[] =
    "ARNOR [ARN]\n"
    "GONDOR [GON]\n"
    "+MINAS_TIRITH\n"
    "MORDOR [MOR]\n"
    "ROHAN [ROH]\n"
    "+ROHIRRIM\n"
    "ARAGORN_\n"
    "\t[ARNREB 500101-150101]\n"
    "\t[GONGOV 150101-201231]\n"
    "\t[GON]\n";

static const char agents[] =
    "PRESIDENT [~GOV]\n"
    "MINISTER [~GOV]\n"
    "ARMY {ARMIES} [~MIL]\n"
    "REBEL [~REB]\n"
    "POLICE {} [~COP]\n";

static const char verbs[] =
    "&WEAPON\n+SWORDS\n+ARROWS\n\n"
    "--- MEET [031] ---\n"
    "MEET\n"
    "- * WITH + [031]\n"
    "- * (FOR TALKS) [036:036]\n"
    "--- ATTACK [190] ---\n"
    "ATTACK\n"
    "STRIKE {STRIKES STRUCK STRIKING}\n"
    "- * + WITH &WEAPON [195]\n"
    "- * + [190]\n"
    "--- ACCUSE [112] ---\n"
    "ACCUSE\n"
    "CRITICIZE\n"
    "- * + OF [112]\n"
    "--- HELP [070] ---\n"
    "HELP\n"
    "+CARRY_OUT {+CARRIED_OUT +CARRIES_OUT}\n"
    "- * + [070]\n";

static const char discards[] = "+SOCCER\nFOOTBALL MATCH\n";

static kh_dict *dict;
static kh_coder *coder;
static FILE *devnull;

static void load(kh_dict_kind kind, const char *name, const char *text, kh_diag *diag)
{
    kh_dict_load_buffer(dict, kind, name, text, strlen(text), diag);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    kh_diag diag;
    kh_diag_init(&diag);
    dict = kh_dict_new();
    load(KH_DICT_ACTORS, "fuzz.actors", actors, &diag);
    load(KH_DICT_AGENTS, "fuzz.agents", agents, &diag);
    load(KH_DICT_VERBS, "fuzz.verbs", verbs, &diag);
    load(KH_DICT_DISCARDS, "fuzz.discards", discards, &diag);
    kh_dict_freeze(dict);
    coder = kh_coder_new(dict);
    devnull = fopen("/dev/null", "w");
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!coder)
        return 0;
    /* An exact-size copy without a NUL: the API takes (text, len). */
    char *text = malloc(size ? size : 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    kh_events events;
    kh_events_init(&events);
    kh_coder_set_explain(coder, (size & 1) ? devnull : NULL);
    kh_code_sentence(coder, text, size, (size & 2) ? 20150612 : 0, &events);
    kh_events_clear(&events);
    kh_code_sentence(coder, text, size, 0, &events);
    kh_events_free(&events);
    free(text);
    return 0;
}
