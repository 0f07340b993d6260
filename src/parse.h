/*
 * parse.h -- a sentence's syntax, as arrays parallel to the coder's tokens
 * (token.h): per token a UPOS tag, the Penn tag and lemma when known, and
 * a dependency (head token and relation).
 *
 * Two sources fill a kh_parse:
 *
 *   given    a parse the input carries (PETRARCH XML's <Parse>, read into
 *            doc meta "parse"): CoNLL-U lines, as UD-PETRARCH's records
 *            hold, or a Penn Treebank bracketing, as PETRARCH-2's do.
 *            kh_given_parse_read locates each given token in the
 *            document's text; kh_parse_from_given then aligns our tokens
 *            of one sentence to them.
 *   tags     the tagger (kh_parse_from_tags): UPOS tags alone, no heads.
 *            Until the tagger exists it is called with no tags, and every
 *            token is "not tagged".
 *
 * Alignment.  The given tokenization is not ours ("did n't" against DID
 * NOT, "al-Qaeda" one token against AL QAEDA, -LRB- for "(", `` and ''
 * for quotes), so tokens are matched by the characters they cover in the
 * text, not by position: each given form is found in the text from where
 * the previous one ended (quotes and apostrophes of any kind match each
 * other, letters match case-insensitively), and each of our tokens takes
 * the given token it overlaps most.  A given token split into several of
 * ours (AL QAEDA) gives its tags to all of them and its dependency to the
 * last (the head of a hyphenated compound is its last part; the others
 * become its `compound`), except that NOT and 'S split off a given word
 * become its advmod and case.  A token of ours that overlaps no given
 * token is KH_UPOS_X and counted in `unaligned`; a given form not found
 * in the text is counted in kh_given_parse's `unlocated`.
 *
 * Dependencies from CoNLL-U are taken as given, with UD v1 names mapped to
 * v2 (UD-PETRARCH's files mix both; the UPOS CONJ is CCONJ): dobj -> obj,
 * nsubjpass -> nsubj:pass, auxpass -> aux:pass, csubjpass -> csubj, neg
 * -> advmod, name -> flat, mwe -> fixed, and nmod on a predicate (VERB,
 * AUX, ADJ, ADV) -> obl, as v2 splits it; other subtypes fall back to their base
 * relation ("nmod:tmod" as nmod/obl, "compound:prt" as compound).
 * Dependencies from Penn trees are derived by parse_penn.c's head rules
 * (see there).
 */
#ifndef KH_PARSE_H
#define KH_PARSE_H

#include "khaldun.h"
#include "pos.h"
#include "token.h"
#include "vec.h"

#include <stdio.h>

/* Dependency relations, UD v2 names; KH_DEP_OTHER is written "dep". */
typedef enum kh_deprel {
    KH_DEP_NONE = 0,    /* no relation known ("_") */
    KH_DEP_ROOT,
    KH_DEP_NSUBJ,
    KH_DEP_NSUBJ_PASS,
    KH_DEP_CSUBJ,
    KH_DEP_OBJ,
    KH_DEP_IOBJ,
    KH_DEP_OBL,
    KH_DEP_AUX,
    KH_DEP_AUX_PASS,
    KH_DEP_COP,
    KH_DEP_MARK,
    KH_DEP_CASE,
    KH_DEP_DET,
    KH_DEP_AMOD,
    KH_DEP_ADVMOD,
    KH_DEP_NUMMOD,
    KH_DEP_COMPOUND,
    KH_DEP_CONJ,
    KH_DEP_CC,
    KH_DEP_CCOMP,
    KH_DEP_XCOMP,
    KH_DEP_ADVCL,
    KH_DEP_ACL,
    KH_DEP_ACL_RELCL,
    KH_DEP_NMOD,
    KH_DEP_NMOD_POSS,
    KH_DEP_APPOS,
    KH_DEP_FLAT,
    KH_DEP_FIXED,
    KH_DEP_PARATAXIS,
    KH_DEP_PUNCT,
    KH_DEP_OTHER,
    KH_DEP_COUNT
} kh_deprel;

/* "nsubj:pass", ...; "_" for KH_DEP_NONE, "dep" for KH_DEP_OTHER. */
const char *kh_deprel_name(kh_deprel rel);

/* A relation by its UD v2 or v1 name (case-insensitive), mapped as above
 * except nmod, which needs the head (kh_deprel_for_head).  KH_DEP_OTHER
 * for a name it does not know, KH_DEP_NONE for "_" or "". */
kh_deprel kh_deprel_parse(const char *name);

/* Bits of kh_parse_token.flags. */
enum {
    KH_PARSE_TAGGED = 1u << 0,  /* upos is a tag, not "unknown" */
    KH_PARSE_ALIGNED = 1u << 1  /* matched a token of the given parse */
};

typedef struct kh_parse_token {
    long start, end;    /* byte range in the sentence, as the kh_token's */
    kh_upos upos;
    kh_deprel rel;
    int head;           /* index of the head token, -1 for none */
    long xpos, lemma;   /* offsets in the parse's strings, -1 if unknown */
    unsigned flags;     /* KH_PARSE_* */
} kh_parse_token;

/* The syntax of one sentence; tokens[i] is the sentence's kh_token i.
 * Reusable: the fill functions replace the contents, keeping memory. */
struct kh_parse {
    KH_VEC(kh_parse_token) tokens;
    KH_VEC(char) strings;       /* NUL-terminated xpos and lemma texts */
    size_t unaligned;           /* tokens with no given token (given) */
    int given;                  /* filled from a given parse */
};

void kh_parse_init(kh_parse *p);
void kh_parse_free(kh_parse *p);

/* The XPOS or lemma text at an offset, or NULL for -1. */
const char *kh_parse_string(const kh_parse *p, long offset);

/* Fills p for `tokens` from the tagger's tags (tags[i] for token i), or
 * with every token untagged when tags is NULL.  No heads. */
void kh_parse_from_tags(kh_parse *p, const kh_tokens *tokens, const kh_upos *tags);

/* Fills p from the tagger's tags and the structure built from them
 * (chunk.h): each verb group's subject (nsubj, nsubj:pass), object (obj)
 * and obliques (obl, their prepositions case), its auxiliaries (aux,
 * aux:pass), negation and adverbs (advmod), complements (ccomp, xcomp),
 * relative clauses (acl:relcl), and noun phrase words (det, amod,
 * nummod, nmod:poss, compound).  The first verb group that governs
 * nothing is the root; later ones are its conj.  Other tokens have no
 * head. */
struct kh_chunking;
void kh_parse_from_structure(kh_parse *p, const kh_tokens *tokens, const kh_upos *tags,
                             const struct kh_chunking *c);

/* ---- given parses ---- */

/* One token of a given parse, located in the document's text. */
typedef struct kh_given_token {
    long start, end;    /* byte range in the document's text; -1 when the
                           form was not found */
    long form, xpos, lemma;  /* offsets in the strings, -1 if none */
    kh_upos upos;
    kh_deprel rel;
    int head;           /* index of the given head token, -1 for none */
} kh_given_token;

typedef KH_VEC(kh_given_token) kh_given_token_vec;

/* A document's given parse: every sentence of it, in order. */
typedef struct kh_given_parse {
    kh_given_token_vec tokens;
    KH_VEC(char) strings;
    size_t unlocated;          /* forms not found in the text */
    size_t malformed;          /* lines or brackets skipped as broken */
} kh_given_parse;

/* Reads `parse` (CoNLL-U lines, or a Penn bracketing when its first
 * non-blank character is '(') and locates its tokens in `text`.  Broken
 * lines and brackets are reported through diag as FILE:LINE, `line` being
 * the line the parse starts on (0 if unknown), and skipped.  Never fails:
 * a parse that yields nothing is an empty kh_given_parse.  Free with
 * kh_given_parse_free. */
void kh_given_parse_read(kh_given_parse *g, const char *parse, size_t parse_len,
                         const char *text, size_t text_len, const char *file, long line,
                         kh_diag *diag);
void kh_given_parse_free(kh_given_parse *g);

/* Fills p for `tokens`, the tokens of the sentence starting at byte
 * `offset` of the document, from the given parse of the document. */
void kh_parse_from_given(kh_parse *p, const kh_given_parse *g, const kh_tokens *tokens,
                         long offset);

/* ---- the readers of given parses (parse_conllu.c, parse_penn.c) ---- */

/* Append the tokens of a CoNLL-U text or a Penn bracketing to g, with
 * forms, tags, heads and relations, not yet located (start = end = -1). */
void kh_given_read_conllu(kh_given_parse *g, const char *s, size_t len, const char *file,
                          long line, kh_diag *diag);
void kh_given_read_penn(kh_given_parse *g, const char *s, size_t len, const char *file,
                        long line, kh_diag *diag);

/* A form as the text has it: Penn Treebank's escapes (-LRB- for "(",
 * -RSB-, `` and '' for quotes), which parsers also put in CoNLL-U, undone;
 * other forms as they are.  Sets *out_len. */
const char *kh_given_unescape(const char *form, size_t len, size_t *out_len);

/* Copies n bytes into g's strings; returns the offset of the copy. */
long kh_given_add_string(kh_given_parse *g, const char *s, size_t n);
const char *kh_given_string(const kh_given_parse *g, long offset);

/* ---- explaining ---- */

/* --explain: the sentence's tags ("WORD/UPOS ...") and each verb with its
 * subject, object and oblique heads, to `out`. */
void kh_parse_explain(FILE *out, const kh_parse *p, const kh_tokens *tokens);

#endif
