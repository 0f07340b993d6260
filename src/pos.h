/*
 * pos.h -- Universal POS tags (UPOS, Universal Dependencies v2), the tag
 * set of the tagger (tagger.c) and of the parses an input may carry.
 *
 * The values are stable: the compiled-in tagger model indexes its weights
 * by them, so a new tag goes at the end, before KH_UPOS_COUNT.
 */
#ifndef KH_POS_H
#define KH_POS_H

typedef enum kh_upos {
    KH_UPOS_X = 0,     /* other, and "not tagged" */
    KH_UPOS_ADJ,
    KH_UPOS_ADP,
    KH_UPOS_ADV,
    KH_UPOS_AUX,
    KH_UPOS_CCONJ,
    KH_UPOS_DET,
    KH_UPOS_INTJ,
    KH_UPOS_NOUN,
    KH_UPOS_NUM,
    KH_UPOS_PART,
    KH_UPOS_PRON,
    KH_UPOS_PROPN,
    KH_UPOS_PUNCT,
    KH_UPOS_SCONJ,
    KH_UPOS_SYM,
    KH_UPOS_VERB,
    KH_UPOS_COUNT
} kh_upos;

/* "NOUN", "VERB", ... as UD writes them; "X" for a value out of range. */
const char *kh_upos_name(kh_upos tag);

/* The tag named `name` (case-insensitive), or -1. */
int kh_upos_parse(const char *name);

/* The UPOS of a Penn Treebank tag (PETRARCH's <Parse> trees, CoNLL-U's
 * XPOS column), by the mapping UD's English treebanks use.  Penn does not
 * split two distinctions UD makes, and the neighbours settle them: TO is
 * PART before a verb (`next_tag` VB) and ADP otherwise; a verb tag on a
 * form of be, have or do (`word`) is AUX.  Either may be NULL.
 * KH_UPOS_X when the tag is unknown. */
kh_upos kh_upos_from_penn(const char *tag, const char *word, const char *next_tag);

#endif
