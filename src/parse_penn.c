/*
 * parse_penn.c -- reading a Penn Treebank bracketing into a given parse
 * (parse.h): the leaves become tokens (UPOS by kh_upos_from_penn), and
 * dependencies come from a small set of head rules.
 *
 * The rules, kept simple on purpose (the coder needs each verb's subject,
 * object and obliques, not a full UD conversion):
 *
 *   heads    S, SINV, SQ: the VP.  VP: a VP after its verbs (the verbs
 *            before it are its auxiliaries), else a be-verb's NP or ADJP
 *            complement (the verb is its cop), else the first verb.  NP:
 *            a first NP followed by more (NP -> NP PP), else the last
 *            noun.  PP: its object (the preposition is its case, as UD
 *            has it).  SBAR: its S.  ADJP, ADVP: the adjective, adverb.
 *            Otherwise the first child that is not punctuation.
 *   subjects S -> NP VP: the NP is the nsubj of the VP's head, nsubj:pass
 *            when the VP is passive (a form of be as auxiliary of a VBN).
 *   objects  VP -> V NP: obj (V NP NP: iobj, then obj).  VP -> V PP:
 *            obl.  VP -> V S: xcomp for an infinitive, else ccomp; V
 *            SBAR: ccomp after "that", "whether", "if", else advcl.
 *   others   NP modifiers (det, amod, compound, nummod, nmod:poss, nmod,
 *            acl, acl:relcl, appos), case, mark, cc and conj (a phrase
 *            with a CC: later siblings like the head are its conjuncts),
 *            advmod, punct; anything else is "dep" (KH_DEP_OTHER).
 *
 * Traces (-NONE-) are not tokens.  Function tags and indices on labels
 * (NP-SBJ-1) are ignored.  Broken bracketing is reported and closed as
 * well as it can be; nothing in it can make the reader fail.
 */
#include "parse.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

typedef struct penn_node {
    const char *label;      /* into the bracketing */
    size_t label_len;
    int parent;             /* -1 for a tree's top */
    int first, last, next;  /* children and next sibling, -1 for none */
    int leaf;               /* the given token of a preterminal, else -1 */
    int head;               /* the given token heading the node, -1 none */
    int head_child;         /* the child it comes from, -1 for none */
    int passive;            /* a VP whose head is passive */
} penn_node;

typedef KH_VEC(penn_node) penn_nodes;

typedef struct penn_reader {
    kh_given_parse *g;
    penn_nodes nodes;
    KH_VEC(int) stack;      /* open nodes */
    const char *file;
    long line;              /* where the bracketing is, 0 if unknown */
    kh_diag *diag;
} penn_reader;

/* ---- labels and words ---- */

/* The length of the label without function tags and indices: NP-SBJ-1
 * is NP; -LRB- and -NONE- are labels of their own. */
static size_t base_len(const penn_node *n)
{
    for (size_t i = 1; i < n->label_len; i++)
        if (n->label[i] == '-' || n->label[i] == '=')
            return n->label[0] == '-' ? n->label_len : i;
    return n->label_len;
}

static int label_is(const penn_node *n, const char *label)
{
    size_t k = base_len(n);
    return strlen(label) == k && !memcmp(n->label, label, k);
}

static int label_starts(const penn_node *n, const char *prefix)
{
    size_t k = strlen(prefix);
    return base_len(n) >= k && !memcmp(n->label, prefix, k);
}

static int is_clause(const penn_node *n)
{
    return label_is(n, "S") || label_is(n, "SINV") || label_is(n, "SQ");
}

static int is_nominal(const penn_node *n)
{
    return label_is(n, "NP") || label_is(n, "NML") || label_is(n, "NX") ||
           label_is(n, "WHNP") || label_is(n, "QP");
}

static int is_verb_tag(const penn_node *n)
{
    return n->leaf >= 0 && (label_starts(n, "VB") || label_is(n, "MD"));
}

static int is_punct(const penn_reader *r, const penn_node *n)
{
    return n->leaf >= 0 && r->g->tokens.items[n->leaf].upos == KH_UPOS_PUNCT;
}

static const char *word_of(const penn_reader *r, int token)
{
    return token < 0 ? "" : kh_given_string(r->g, r->g->tokens.items[token].form);
}

static const char *tag_of(const penn_reader *r, int token)
{
    const char *t = token < 0 ? NULL : kh_given_string(r->g, r->g->tokens.items[token].xpos);
    return t ? t : "";
}

static int is_be(const char *w)
{
    static const char *const be[] = {"be", "am", "is", "are", "was", "were", "been",
                                     "being", "'s", "'re", "'m", NULL};
    for (const char *const *b = be; *b; b++)
        if (kh_strcaseeq(w, *b))
            return 1;
    return 0;
}

/* ---- the bracketing ---- */

static int new_node(penn_reader *r, const char *label, size_t len)
{
    int parent = r->stack.count ? r->stack.items[r->stack.count - 1] : -1;
    penn_node *n = KH_VEC_PUSH(&r->nodes);
    int id = (int)r->nodes.count - 1;
    n->label = label;
    n->label_len = len;
    n->first = n->last = n->next = n->leaf = n->head = n->head_child = -1;
    n->parent = parent;
    if (parent >= 0) {
        penn_node *p = &r->nodes.items[parent];
        if (p->last >= 0)
            r->nodes.items[p->last].next = id;
        else
            p->first = id;
        p->last = id;
    }
    *KH_VEC_PUSH(&r->stack) = id;
    return id;
}

static void malformed(penn_reader *r, const char *what)
{
    r->g->malformed++;
    kh_diag_report(r->diag, KH_WARNING, r->file, r->line, "Penn parse: %s", what);
}

/* A word inside the innermost open node, which makes it a preterminal. */
static void add_word(penn_reader *r, const char *w, size_t n)
{
    if (!r->stack.count) {
        malformed(r, "word outside brackets; skipped");
        return;
    }
    penn_node *node = &r->nodes.items[r->stack.items[r->stack.count - 1]];
    if (node->first >= 0 || node->leaf >= 0) {
        malformed(r, "word beside a phrase or a second word in a leaf; skipped");
        return;
    }
    if (label_is(node, "-NONE-"))
        return;                          /* a trace: not in the text */
    size_t len;
    const char *form = kh_given_unescape(w, n, &len);
    kh_given_token *t = KH_VEC_PUSH(&r->g->tokens);
    t->start = t->end = t->head = -1;
    t->form = kh_given_add_string(r->g, form, len);
    t->xpos = kh_given_add_string(r->g, node->label, node->label_len);
    t->lemma = -1;
    node->leaf = (int)r->g->tokens.count - 1;
}

static size_t atom_end(const char *s, size_t len, size_t i)
{
    while (i < len && !strchr("() \t\r\n", s[i]))
        i++;
    return i;
}

static void read_brackets(penn_reader *r, const char *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        if (strchr(" \t\r\n", s[i])) {
            i++;
        } else if (s[i] == '(') {
            size_t j = i + 1;
            while (j < len && strchr(" \t\r\n", s[j]))
                j++;
            size_t e = atom_end(s, len, j);
            new_node(r, s + j, e - j);  /* "( (S" has an empty label */
            i = e;
        } else if (s[i] == ')') {
            if (r->stack.count)
                r->stack.count--;
            else
                malformed(r, "')' with no '(' to close; skipped");
            i++;
        } else {
            size_t e = atom_end(s, len, i);
            add_word(r, s + i, e - i);
            i = e;
        }
    }
    if (r->stack.count)
        malformed(r, "'(' left open at the end; closed");
    r->stack.count = 0;
}

/* The UPOS of every leaf, now that each leaf's next tag is known. */
static void tag_leaves(kh_given_parse *g, size_t first)
{
    for (size_t i = first; i < g->tokens.count; i++) {
        kh_given_token *t = &g->tokens.items[i];
        const char *next = i + 1 < g->tokens.count
                               ? kh_given_string(g, g->tokens.items[i + 1].xpos) : NULL;
        t->upos = kh_upos_from_penn(kh_given_string(g, t->xpos),
                                    kh_given_string(g, t->form), next);
    }
}

/* ---- heads ---- */

#define NODE(r, i) (&(r)->nodes.items[i])
#define EACH_CHILD(r, n, c) for (int c = (n)->first; c >= 0; c = NODE(r, c)->next)

static int has_child(const penn_reader *r, const penn_node *n, const char *label)
{
    EACH_CHILD(r, n, c)
        if (label_is(NODE(r, c), label))
            return 1;
    return 0;
}

static int first_non_punct(const penn_reader *r, const penn_node *n)
{
    EACH_CHILD(r, n, c)
        if (!is_punct(r, NODE(r, c)))
            return c;
    return n->first;
}

static int first_where(const penn_reader *r, const penn_node *n, const char *const *labels)
{
    EACH_CHILD(r, n, c)
        for (const char *const *l = labels; *l; l++)
            if (label_starts(NODE(r, c), *l))
                return c;
    return -1;
}

/* A VP's head: the VP after its verbs, a be-verb's complement, the verb. */
static int vp_head(const penn_reader *r, const penn_node *n)
{
    int verb = -1, vp = -1, complement = -1;
    EACH_CHILD(r, n, c) {
        const penn_node *k = NODE(r, c);
        if ((is_verb_tag(k) || label_is(k, "TO")) && vp < 0 && verb < 0)
            verb = c;
        else if (label_is(k, "VP") && verb >= 0 && vp < 0)
            vp = c;
        else if ((is_nominal(k) || label_is(k, "ADJP")) && verb >= 0 && complement < 0)
            complement = c;
    }
    if (vp >= 0)
        return vp;
    if (verb >= 0 && complement >= 0 && is_be(word_of(r, NODE(r, verb)->leaf)))
        return complement;
    if (verb >= 0)
        return verb;
    static const char *const vps[] = {"VP", NULL};
    int c = first_where(r, n, vps);
    return c >= 0 ? c : first_non_punct(r, n);
}

static int is_noun_like(const penn_node *k)
{
    return is_nominal(k) || label_starts(k, "NN") || label_is(k, "PRP") ||
           label_is(k, "CD") || label_is(k, "EX") || label_is(k, "WP") || label_is(k, "FW");
}

/* An NP's head: its first NP when more follows it (NP -> NP PP, an
 * apposition), else its last noun. */
static int np_head(const penn_reader *r, const penn_node *n)
{
    if (has_child(r, n, "CC"))
        return first_non_punct(r, n);
    int first = first_non_punct(r, n), last = -1;
    if (first >= 0 && is_nominal(NODE(r, first)))
        for (int c = NODE(r, first)->next; c >= 0; c = NODE(r, c)->next) {
            const penn_node *k = NODE(r, c);
            if (label_is(k, "PP") || label_is(k, "SBAR") || label_is(k, "VP") ||
                label_is(k, "S") || label_is(k, ","))
                return first;
        }
    EACH_CHILD(r, n, c)
        if (is_noun_like(NODE(r, c)))
            last = c;
    return last >= 0 ? last : first;
}

static int head_child(const penn_reader *r, const penn_node *n)
{
    static const char *const clause_heads[] = {"VP", NULL};
    static const char *const pp_heads[] = {"NP", "S", "WHNP", "NML", NULL};
    static const char *const sbar_heads[] = {"S", NULL};
    static const char *const adj_heads[] = {"JJ", "ADJP", NULL};
    static const char *const adv_heads[] = {"RB", "ADVP", NULL};
    const char *const *rule = NULL;
    if (is_clause(n)) rule = clause_heads;
    else if (label_is(n, "VP")) return vp_head(r, n);
    else if (is_nominal(n)) return np_head(r, n);
    else if (label_is(n, "PP") || label_is(n, "WHPP")) rule = pp_heads;
    else if (label_is(n, "SBAR")) rule = sbar_heads;
    else if (label_is(n, "ADJP") || label_is(n, "WHADJP")) rule = adj_heads;
    else if (label_is(n, "ADVP") || label_is(n, "WHADVP")) rule = adv_heads;
    int c = rule ? first_where(r, n, rule) : -1;
    return c >= 0 ? c : first_non_punct(r, n);
}

/* A VP is passive when a form of be is the auxiliary of a VBN ("was
 * attacked", "has been attacked"), or the VP it heads from is. */
static int vp_passive(const penn_reader *r, const penn_node *n)
{
    if (n->head_child < 0 || !label_is(NODE(r, n->head_child), "VP"))
        return 0;
    const penn_node *h = NODE(r, n->head_child);
    if (h->passive)
        return 1;
    if (strcmp(tag_of(r, h->head), "VBN") != 0)
        return 0;
    EACH_CHILD(r, n, c)
        if (is_verb_tag(NODE(r, c)) && is_be(word_of(r, NODE(r, c)->leaf)))
            return 1;
    return 0;
}

/* Children are made after their parents, so going backwards meets every
 * child before its parent. */
static void find_heads(penn_reader *r, size_t first)
{
    for (size_t i = r->nodes.count; i-- > first;) {
        penn_node *n = NODE(r, i);
        if (n->leaf >= 0) {
            n->head = n->leaf;
            continue;
        }
        n->head_child = n->first >= 0 ? head_child(r, n) : -1;
        n->head = n->head_child >= 0 ? NODE(r, n->head_child)->head : -1;
        if (label_is(n, "VP"))
            n->passive = vp_passive(r, n);
    }
}

/* ---- relations ---- */

/* Where a dependent stands in its phrase. */
typedef struct penn_site {
    const penn_node *parent, *head;  /* the phrase and its head child */
    int after;                       /* the dependent follows the head */
    int nominals_after, nominal_no;  /* VP objects: how many, which one */
    int comma_before;                /* a comma stands between them */
} penn_site;

static int same_kind(const penn_node *a, const penn_node *b)
{
    return (is_nominal(a) && is_nominal(b)) || (is_clause(a) && is_clause(b)) ||
           (base_len(a) == base_len(b) && !memcmp(a->label, b->label, base_len(a)));
}

static kh_deprel clause_rel(const penn_reader *r, const penn_site *s, const penn_node *c)
{
    if (is_nominal(c))
        return s->after && !label_is(s->parent, "SINV") ? KH_DEP_OTHER
               : s->head->passive                       ? KH_DEP_NSUBJ_PASS
                                                        : KH_DEP_NSUBJ;
    if (label_is(c, "PP")) return KH_DEP_OBL;
    if (label_is(c, "SBAR")) return KH_DEP_ADVCL;
    if (is_clause(c)) return KH_DEP_CCOMP;
    return KH_DEP_OTHER;
}

/* S after a verb: an infinitive or a subjectless clause is its xcomp. */
static int is_open_clause(const penn_reader *r, const penn_node *c)
{
    EACH_CHILD(r, c, k)
        if (is_nominal(NODE(r, k)))
            return 0;
    return 1;
}

/* Does an SBAR complement its verb ("said that ...", or no word before
 * the clause) rather than modify it ("left after ...")? */
static int is_complementizer(const penn_reader *r, const penn_node *sbar)
{
    EACH_CHILD(r, sbar, c) {
        const penn_node *k = NODE(r, c);
        if (k->leaf < 0 || !(label_is(k, "IN") || label_starts(k, "W")))
            continue;
        const char *w = word_of(r, k->leaf);
        return kh_strcaseeq(w, "that") || kh_strcaseeq(w, "whether") ||
               kh_strcaseeq(w, "if");
    }
    return 1;
}

static kh_deprel vp_rel(const penn_reader *r, const penn_site *s, const penn_node *c)
{
    if ((is_verb_tag(c) || label_is(c, "TO")) && !s->after) {
        if (!label_is(s->head, "VP"))
            return KH_DEP_COP;
        if (label_is(c, "TO"))
            return KH_DEP_MARK;
        return s->head->passive || (is_be(word_of(r, c->leaf)) &&
                                    !strcmp(tag_of(r, s->head->head), "VBN"))
                   ? KH_DEP_AUX_PASS : KH_DEP_AUX;
    }
    if (is_nominal(c) && s->after)
        return s->nominals_after > 1 && s->nominal_no == 0 ? KH_DEP_IOBJ : KH_DEP_OBJ;
    if (label_is(c, "PP")) return KH_DEP_OBL;
    if (is_clause(c)) return is_open_clause(r, c) ? KH_DEP_XCOMP : KH_DEP_CCOMP;
    if (label_is(c, "SBAR")) return is_complementizer(r, c) ? KH_DEP_CCOMP : KH_DEP_ADVCL;
    if (label_is(c, "ADJP")) return KH_DEP_XCOMP;
    if (label_is(c, "PRT") || label_is(c, "RP")) return KH_DEP_COMPOUND;
    return KH_DEP_OTHER;
}

static int ends_in_possessive(const penn_reader *r, const penn_node *c)
{
    return c->last >= 0 && label_is(NODE(r, c->last), "POS");
}

static kh_deprel np_rel(const penn_reader *r, const penn_site *s, const penn_node *c)
{
    if (label_is(c, "DT") || label_is(c, "PDT") || label_is(c, "WDT")) return KH_DEP_DET;
    if (label_is(c, "PRP$") || label_is(c, "WP$")) return KH_DEP_NMOD_POSS;
    if (label_is(c, "POS")) return KH_DEP_CASE;
    if (label_starts(c, "JJ") || label_is(c, "ADJP") || label_is(c, "VBN") ||
        label_is(c, "VBG"))
        return KH_DEP_AMOD;
    if (label_is(c, "CD") || label_is(c, "QP")) return KH_DEP_NUMMOD;
    if (!s->after)
        return is_nominal(c) && ends_in_possessive(r, c) ? KH_DEP_NMOD_POSS
               : is_noun_like(c)                         ? KH_DEP_COMPOUND
                                                         : KH_DEP_OTHER;
    if (label_is(c, "PP")) return KH_DEP_NMOD;
    if (label_is(c, "SBAR")) return KH_DEP_ACL_RELCL;
    if (label_is(c, "VP") || is_clause(c)) return KH_DEP_ACL;
    if (is_nominal(c) && s->comma_before) return KH_DEP_APPOS;
    return KH_DEP_OTHER;
}

static kh_deprel relation(const penn_reader *r, const penn_site *s, const penn_node *c)
{
    const penn_node *p = s->parent;
    if (is_punct(r, c)) return KH_DEP_PUNCT;
    if (label_is(c, "CC") || label_is(c, "CONJP")) return KH_DEP_CC;
    if (s->after && same_kind(c, s->head) && has_child(r, p, "CC")) return KH_DEP_CONJ;
    if (label_starts(c, "RB") || label_is(c, "ADVP") || label_is(c, "WHADVP"))
        return KH_DEP_ADVMOD;
    if (is_clause(p)) return clause_rel(r, s, c);
    if (label_is(p, "VP")) return vp_rel(r, s, c);
    if (is_nominal(p)) return np_rel(r, s, c);
    if (label_is(p, "PP") || label_is(p, "WHPP"))
        return c->leaf >= 0 && !s->after ? KH_DEP_CASE
               : label_is(c, "PP")       ? KH_DEP_NMOD
                                         : KH_DEP_OTHER;
    if (label_is(p, "SBAR"))
        return c->leaf >= 0 || label_starts(c, "WH") ? KH_DEP_MARK : KH_DEP_OTHER;
    if (label_is(c, "PP")) return KH_DEP_OBL;
    return KH_DEP_OTHER;
}

static int count_nominals_after(const penn_reader *r, const penn_node *n)
{
    int count = 0;
    for (int c = NODE(r, n->head_child)->next; c >= 0; c = NODE(r, c)->next)
        count += is_nominal(NODE(r, c));
    return count;
}

/* Each child's head depends on its phrase's head. */
static void attach_children(penn_reader *r, const penn_node *n)
{
    penn_site s = {n, NODE(r, n->head_child), 0, 0, 0, 0};
    s.nominals_after = count_nominals_after(r, n);
    EACH_CHILD(r, n, c) {
        const penn_node *k = NODE(r, c);
        if (c == n->head_child) {
            s.after = 1;
            continue;
        }
        if (k->head >= 0 && k->head != n->head) {
            kh_given_token *t = &r->g->tokens.items[k->head];
            t->head = n->head;
            t->rel = relation(r, &s, k);
        }
        if (s.after && is_nominal(k))
            s.nominal_no++;
        s.comma_before |= s.after && label_is(k, ",");
    }
}

static void attach(penn_reader *r, size_t first)
{
    for (size_t i = first; i < r->nodes.count; i++) {
        const penn_node *n = NODE(r, i);
        if (n->leaf < 0 && n->head_child >= 0 && n->head >= 0)
            attach_children(r, n);
        if (n->parent < 0 && n->head >= 0) {
            r->g->tokens.items[n->head].head = -1;
            r->g->tokens.items[n->head].rel = KH_DEP_ROOT;
        }
    }
}

void kh_given_read_penn(kh_given_parse *g, const char *s, size_t len, const char *file,
                        long line, kh_diag *diag)
{
    penn_reader r = {g, {0}, {0}, file, line, diag};
    size_t first_token = g->tokens.count;
    read_brackets(&r, s, len);
    tag_leaves(g, first_token);
    find_heads(&r, 0);
    attach(&r, 0);
    KH_VEC_FREE(&r.nodes);
    KH_VEC_FREE(&r.stack);
}
