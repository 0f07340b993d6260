/*
 * pos.c -- UPOS names and the Penn Treebank mapping (pos.h).
 */
#include "pos.h"
#include "util.h"

#include <stddef.h>
#include <string.h>

static const char *const upos_names[KH_UPOS_COUNT] = {
    "X",    "ADJ",  "ADP",   "ADV",  "AUX",   "CCONJ", "DET",   "INTJ", "NOUN",
    "NUM",  "PART", "PRON",  "PROPN", "PUNCT", "SCONJ", "SYM",  "VERB",
};

const char *kh_upos_name(kh_upos tag)
{
    return (unsigned)tag < KH_UPOS_COUNT ? upos_names[tag] : "X";
}

int kh_upos_parse(const char *name)
{
    for (int i = 0; i < KH_UPOS_COUNT; i++)
        if (kh_strcaseeq(name, upos_names[i]))
            return i;
    return -1;
}

/* Penn tags that map to one UPOS whatever the word. */
static const struct { const char *tag; kh_upos upos; } penn[] = {
    {"CC", KH_UPOS_CCONJ},  {"CD", KH_UPOS_NUM},    {"DT", KH_UPOS_DET},
    {"EX", KH_UPOS_PRON},   {"FW", KH_UPOS_X},      {"IN", KH_UPOS_ADP},
    {"JJ", KH_UPOS_ADJ},    {"JJR", KH_UPOS_ADJ},   {"JJS", KH_UPOS_ADJ},
    {"LS", KH_UPOS_X},      {"MD", KH_UPOS_AUX},    {"NN", KH_UPOS_NOUN},
    {"NNS", KH_UPOS_NOUN},  {"NNP", KH_UPOS_PROPN}, {"NNPS", KH_UPOS_PROPN},
    {"PDT", KH_UPOS_DET},   {"POS", KH_UPOS_PART},  {"PRP", KH_UPOS_PRON},
    {"PRP$", KH_UPOS_PRON}, {"RB", KH_UPOS_ADV},    {"RBR", KH_UPOS_ADV},
    {"RBS", KH_UPOS_ADV},   {"RP", KH_UPOS_ADP},    {"SYM", KH_UPOS_SYM},
    {"UH", KH_UPOS_INTJ},   {"VB", KH_UPOS_VERB},   {"VBD", KH_UPOS_VERB},
    {"VBG", KH_UPOS_VERB},  {"VBN", KH_UPOS_VERB},  {"VBP", KH_UPOS_VERB},
    {"VBZ", KH_UPOS_VERB},  {"WDT", KH_UPOS_DET},   {"WP", KH_UPOS_PRON},
    {"WP$", KH_UPOS_PRON},  {"WRB", KH_UPOS_ADV},   {"ADD", KH_UPOS_X},
    {"AFX", KH_UPOS_ADJ},   {"GW", KH_UPOS_X},      {"HYPH", KH_UPOS_PUNCT},
    {"NFP", KH_UPOS_PUNCT}, {"XX", KH_UPOS_X},      {"-LRB-", KH_UPOS_PUNCT},
    {"-RRB-", KH_UPOS_PUNCT}, {",", KH_UPOS_PUNCT}, {".", KH_UPOS_PUNCT},
    {":", KH_UPOS_PUNCT},   {"``", KH_UPOS_PUNCT},  {"''", KH_UPOS_PUNCT},
    {"$", KH_UPOS_SYM},     {"#", KH_UPOS_SYM},
};

/* Forms of the auxiliaries be, have and do, which UD tags AUX when they
 * are tagged as verbs in Penn (the main-verb uses are rare in news and
 * need the parse to tell apart). */
static int is_auxiliary(const char *word)
{
    static const char *const aux[] = {
        "be",  "am",   "is",  "are", "was",  "were",  "been", "being", "'s", "'re", "'m",
        "have", "has", "had", "having", "'ve", "'d",   "do",  "does",  "did", NULL,
    };
    for (const char *const *a = aux; *a; a++)
        if (kh_strcaseeq(word, *a))
            return 1;
    return 0;
}

kh_upos kh_upos_from_penn(const char *tag, const char *word, const char *next_tag)
{
    if (!tag)
        return KH_UPOS_X;
    if (strcmp(tag, "TO") == 0)
        return next_tag && strcmp(next_tag, "VB") == 0 ? KH_UPOS_PART : KH_UPOS_ADP;
    for (size_t i = 0; i < sizeof penn / sizeof penn[0]; i++) {
        if (strcmp(penn[i].tag, tag) != 0)
            continue;
        if (penn[i].upos == KH_UPOS_VERB && word && is_auxiliary(word))
            return KH_UPOS_AUX;
        return penn[i].upos;
    }
    return KH_UPOS_X;
}
