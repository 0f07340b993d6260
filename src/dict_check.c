/*
 * dict_check.c -- the dictionary linter behind `khaldun dict check`.
 *
 * It reads a loaded dictionary, frozen or not, and never changes it; each
 * problem is one KH_ERROR through the caller's kh_diag at the FILE:LINE of
 * the entry that is wrong.  What the readers already refuse while loading
 * (unbalanced brackets, patterns without "*" or a [code], undeclared
 * synsets, bad dates, malformed codes) never reaches the model, so it is
 * not looked for here: the loader reported it, and the command counts the
 * loader's errors too.  The rules, exactly:
 *
 * duplicate  Two actor entries with the same phrase -- the same words with
 *            the same joins ("_" and "-" versus blanks) and marks ("=",
 *            "~", TABARI stems) -- whose code sets differ: the index would
 *            give one of them, and which is an accident of file order.
 *            Code sets are compared as sets of (code, from, to); entries
 *            of one group (an actor and its "+" synonyms) share one set and
 *            never differ.  Agents likewise: the same phrase with another
 *            code or on the other side ("~GOV" versus "GOV~").  Reported
 *            at the second definition, naming the first's FILE:LINE.
 *
 * roles      Within one entry's codes, two dated roles with different codes
 *            whose periods share more than one day.  Dates are inclusive
 *            on both sides (data/README.md), so a hand-over day on which
 *            both hold ([A <20210120] [B >20210120]) is the convention, not
 *            a mistake; tag.c codes a date with the first role that covers
 *            it, so a longer overlap silently hides the second role.
 *            Undated codes are the fallback when no role covers the date
 *            and overlap nothing.  Also a role that ends before it begins.
 *            Reported at the line of the later role's "[...]".
 *
 * shadowed   A pattern that can never match.  The coder tries a block's
 *            patterns in one order -- longest first (kh_pattern.length),
 *            ties in dictionary order (dict_index.c) -- and the first that
 *            matches wins; "+++" patterns are skipped (coder.c).  Pattern
 *            P is shadowed by a pattern Q tried before it when Q matches
 *            every clause P matches, which is decided conservatively: Q's
 *            elements are P's with some left out (or none), each kept one
 *            equal to its partner (kind, word and its marks, synset), and
 *            every "_" join of Q is a join of P between the same two
 *            elements.  Matching moves only forward and an element left out
 *            only loosens it, so Q then matches wherever P does.  Noun- and
 *            prepositional-phrase brackets are transparent to the coder and
 *            are ignored here; patterns with "{ a | b }" alternatives must
 *            be identical.  Reported at P, naming Q.
 *
 * synset     A synset declared without members: no pattern naming it can
 *            match.  Reported at its declaration.
 *
 * cameo      An event code of a verb, a verb block or a pattern (either
 *            half of a paired "032:033") that is not in the CAMEO table
 *            (cameo.h).  "---" (null), "###" (discard), "+++" (complex)
 *            and an empty half are codes too.  Actor, agent and issue
 *            codes are not event codes and are not checked.
 */
#include "dict.h"
#include "cameo.h"
#include "strmap.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

typedef struct checker {
    const kh_dict *dict;
    kh_diag *diag;
    kh_dict_check_stats st;
    kh_arena keys;              /* phrase keys of the duplicate maps */
} checker;

/* ---- phrases ---- */

/* A phrase as one string: each word with its marks, so that "A_B",
 * "A B" and "A B=" are three phrases.  Marks become a printable byte
 * because a key is NUL-terminated. */
static const char *phrase_key(checker *c, const kh_phrase *p)
{
    size_t n = 0;
    for (int i = 0; i < p->count; i++)
        n += strlen(p->words[i]) + 2;
    char *key = kh_arena_alloc(&c->keys, n + 1), *k = key;
    for (int i = 0; i < p->count; i++) {
        *k++ = (char)('@' + (p->flags[i] & 0x1f));
        size_t w = strlen(p->words[i]);
        memcpy(k, p->words[i], w);
        k += w;
        *k++ = ' ';
    }
    *k = 0;
    return key;
}

/* The phrase as a dictionary would write it, for messages (malloc'd). */
static char *phrase_text(const kh_phrase *p)
{
    size_t n = 1;
    for (int i = 0; i < p->count; i++)
        n += strlen(p->words[i]) + 1;
    char *s = kh_xmalloc(n), *o = s;
    for (int i = 0; i < p->count; i++) {
        if (i)
            *o++ = (p->flags[i] & KH_WORD_NEXT) ? '_' : ' ';
        size_t w = strlen(p->words[i]);
        memcpy(o, p->words[i], w);
        o += w;
    }
    *o = 0;
    return s;
}

/* Reports one problem; takes the message (from kh_xasprintf). */
static void problem(checker *c, long *rule, const char *file, long line, char *message)
{
    kh_diag_report(c->diag, KH_ERROR, file, line, "%s", message);
    free(message);
    (*rule)++;
    c->st.problems++;
}

/* ---- duplicate actor and agent phrases ---- */

static int has_code(const kh_code_set *s, const kh_dated_code *x)
{
    for (int i = 0; i < s->count; i++)
        if (!strcmp(s->items[i].code, x->code) && s->items[i].from == x->from &&
            s->items[i].to == x->to)
            return 1;
    return 0;
}

static int same_codes(const kh_code_set *a, const kh_code_set *b)
{
    if (a == b)
        return 1;
    for (int i = 0; i < a->count; i++)
        if (!has_code(b, &a->items[i]))
            return 0;
    for (int i = 0; i < b->count; i++)
        if (!has_code(a, &b->items[i]))
            return 0;
    return 1;
}

/* One code as written, "[B 20010101-20051231]" (malloc'd). */
static char *role_text(const kh_dated_code *x)
{
    if (x->from && x->to)
        return kh_xasprintf("[%s %ld-%ld]", x->code, x->from, x->to);
    if (x->from || x->to)
        return kh_xasprintf("[%s %c%ld]", x->code, x->from ? '>' : '<',
                            x->from ? x->from : x->to);
    return kh_xasprintf("[%s]", x->code);
}

/* A code set as written, "[A] [B 20010101-20051231]" (malloc'd). */
static char *codes_text(const kh_code_set *s)
{
    char *out = kh_xstrdup("");
    for (int i = 0; i < s->count; i++) {
        char *role = role_text(&s->items[i]);
        char *next = kh_xasprintf("%s%s%s", out, i ? " " : "", role);
        free(role);
        free(out);
        out = next;
    }
    return out;
}

static void report_duplicate(checker *c, const kh_phrase *p, const kh_origin *at,
                             const kh_origin *first, const char *codes, const char *was)
{
    char *words = phrase_text(p);
    problem(c, &c->st.duplicates, at->file, at->line,
            kh_xasprintf("duplicate phrase '%s' with other codes: %s here, %s at %s:%ld",
                         words, codes, was, first->file, first->line));
    free(words);
}

static void check_actor_duplicates(checker *c)
{
    kh_strmap seen;
    kh_strmap_init(&seen);
    for (size_t i = 0; i < c->dict->actors.count; i++) {
        const kh_actor *a = &c->dict->actors.items[i];
        const char *key = phrase_key(c, &a->phrase);
        int first = kh_strmap_get(&seen, key, strlen(key));
        if (first < 0) {
            kh_strmap_put(&seen, key, (int)i);
            continue;
        }
        const kh_actor *f = &c->dict->actors.items[first];
        if (same_codes(f->codes, a->codes))
            continue;
        char *mine = codes_text(a->codes), *theirs = codes_text(f->codes);
        report_duplicate(c, &a->phrase, &a->origin, &f->origin, mine, theirs);
        free(mine);
        free(theirs);
    }
    kh_strmap_free(&seen);
}

static void check_agent_duplicates(checker *c)
{
    kh_strmap seen;
    kh_strmap_init(&seen);
    for (size_t i = 0; i < c->dict->agents.count; i++) {
        const kh_agent *a = &c->dict->agents.items[i];
        const char *key = phrase_key(c, &a->phrase);
        int first = kh_strmap_get(&seen, key, strlen(key));
        if (first < 0) {
            kh_strmap_put(&seen, key, (int)i);
            continue;
        }
        const kh_agent *f = &c->dict->agents.items[first];
        if (!strcmp(f->code, a->code) && f->prefix == a->prefix)
            continue;
        char *mine = kh_xasprintf(a->prefix ? "[%s~]" : "[~%s]", a->code);
        char *theirs = kh_xasprintf(f->prefix ? "[%s~]" : "[~%s]", f->code);
        report_duplicate(c, &a->phrase, &a->origin, &f->origin, mine, theirs);
        free(mine);
        free(theirs);
    }
    kh_strmap_free(&seen);
}

/* ---- dated roles ---- */

/* A role's period with its open ends closed, so that periods compare. */
static long role_from(const kh_dated_code *x) { return x->from; }
static long role_to(const kh_dated_code *x) { return x->to ? x->to : 99999999L; }

static int is_dated(const kh_dated_code *x) { return x->from || x->to; }

/* Where a role was written; codes built in memory may have no line. */
static long line_of(const kh_actor *a, const kh_dated_code *x)
{
    return x->line ? x->line : a->origin.line;
}

/* The roles of one group of entries; a is the group's first. */
static void check_roles_of(checker *c, const kh_actor *a)
{
    const kh_code_set *s = a->codes;
    for (int j = 0; j < s->count; j++) {
        const kh_dated_code *y = &s->items[j];
        if (is_dated(y) && role_from(y) > role_to(y)) {
            char *role = role_text(y);
            problem(c, &c->st.roles, a->origin.file, line_of(a, y),
                    kh_xasprintf("role %s ends before it begins", role));
            free(role);
        }
        for (int i = 0; i < j && is_dated(y); i++) {
            const kh_dated_code *x = &s->items[i];
            long from = role_from(x) > role_from(y) ? role_from(x) : role_from(y);
            long to = role_to(x) < role_to(y) ? role_to(x) : role_to(y);
            if (!is_dated(x) || !strcmp(x->code, y->code) || from >= to)
                continue;
            char *r1 = role_text(y), *r2 = role_text(x);
            problem(c, &c->st.roles, a->origin.file, line_of(a, y),
                    kh_xasprintf("role %s overlaps %s (line %ld) by more than the "
                                 "hand-over day", r1, r2, line_of(a, x)));
            free(r1);
            free(r2);
        }
    }
}

static void check_roles(checker *c)
{
    for (size_t i = 0; i < c->dict->actors.count; i++) {
        const kh_actor *a = &c->dict->actors.items[i];
        if (a->primary == (int)i)       /* one check per group */
            check_roles_of(c, a);
    }
}

/* ---- shadowed patterns ---- */

/* A pattern's elements as the coder sees them: group brackets are
 * transparent, but a "_" on one joins the next element. */
typedef struct flat {
    KH_VEC(kh_elem) el;
    int alternatives;
} flat;

static void flatten(const kh_pattern *p, flat *out)
{
    out->el.count = 0;
    out->alternatives = 0;
    unsigned carry = 0;
    for (int i = 0; i < p->count; i++) {
        kh_elem e = p->elems[i];
        int bracket = e.kind >= KH_EL_NP_BEGIN && e.kind <= KH_EL_PP_END;
        if (bracket) {
            carry |= e.flags & KH_WORD_NEXT;
            continue;
        }
        out->alternatives |= e.kind >= KH_EL_ALT_BEGIN && e.kind <= KH_EL_ALT_END;
        e.flags = (unsigned char)(e.flags | carry);
        carry = 0;
        *KH_VEC_PUSH(&out->el) = e;
    }
}

/* Equal as elements, joins aside. */
static int same_elem(const kh_elem *a, const kh_elem *b)
{
    if (a->kind != b->kind)
        return 0;
    if (a->kind == KH_EL_SYNSET)
        return a->synset == b->synset;
    if (a->kind != KH_EL_WORD)
        return 1;
    return strcmp(a->word, b->word) == 0 &&
           (a->flags & ~KH_WORD_NEXT) == (b->flags & ~KH_WORD_NEXT);
}

/* Can q[j..] be placed on p[i..] in order, element j of q on some p[k],
 * k >= i, where q[j-1] went on p[i-1]?  A join of q needs the same join
 * in p and its left neighbour placed just before. */
static int embeds(const kh_elem *q, int qn, int j, const kh_elem *p, int pn, int i,
                  int prev_at)
{
    if (j == qn)
        return 1;
    for (int k = i; k < pn; k++) {
        int joined = (q[j].flags & KH_WORD_NEXT) != 0;
        if (joined && (!(p[k].flags & KH_WORD_NEXT) || prev_at != k - 1))
            continue;
        if (same_elem(&q[j], &p[k]) && embeds(q, qn, j + 1, p, pn, k + 1, k))
            return 1;
    }
    return 0;
}

static int covers(const flat *q, const flat *p)
{
    if (q->alternatives || p->alternatives) {
        if (q->el.count != p->el.count)
            return 0;
        for (size_t i = 0; i < q->el.count; i++)
            if (!same_elem(&q->el.items[i], &p->el.items[i]) ||
                (q->el.items[i].flags & KH_WORD_NEXT) != (p->el.items[i].flags & KH_WORD_NEXT))
                return 0;
        return 1;
    }
    return embeds(q->el.items, (int)q->el.count, 0, p->el.items, (int)p->el.count, 0, -1);
}

static int is_complex(const kh_pattern *p) { return strcmp(p->code.code, "+++") == 0; }

/* The block's patterns in the coder's order (see the rule above);
 * already that order when the dictionary is frozen. */
typedef struct trial { int length, order, pattern; } trial;

static int compare_trials(const void *a, const void *b)
{
    const trial *x = a, *y = b;
    return x->length != y->length ? y->length - x->length : x->order - y->order;
}

static char *code_text(const kh_code *code)
{
    return kh_xasprintf("%s%s%s%s%s", code->code, code->paired[0] ? ":" : "", code->paired,
                        code->flags & KH_CODE_SUBORDINATE ? "?" : "",
                        code->flags & KH_CODE_DOMINANT ? "!" : "");
}

static void report_shadowed(checker *c, const kh_pattern *p, const kh_pattern *q)
{
    char *qcode = code_text(&q->code);
    problem(c, &c->st.shadowed, p->origin.file, p->origin.line,
            kh_xasprintf("pattern '%s' can never match: '%s' [%s] at %s:%ld is tried "
                         "first and matches wherever it does", p->text, q->text, qcode,
                         q->origin.file, q->origin.line));
    free(qcode);
}

static void check_block(checker *c, const kh_verbset *vs, flat *flats, trial *order)
{
    const kh_dict *d = c->dict;
    for (int i = 0; i < vs->pattern_count; i++) {
        order[i].pattern = vs->patterns[i];
        order[i].length = d->patterns.items[vs->patterns[i]].length;
        order[i].order = i;
    }
    qsort(order, (size_t)vs->pattern_count, sizeof *order, compare_trials);
    for (int i = 0; i < vs->pattern_count; i++)
        flatten(&d->patterns.items[order[i].pattern], &flats[i]);
    for (int i = 1; i < vs->pattern_count; i++) {
        const kh_pattern *p = &d->patterns.items[order[i].pattern];
        for (int j = 0; j < i && !is_complex(p); j++) {
            const kh_pattern *q = &d->patterns.items[order[j].pattern];
            if (!is_complex(q) && covers(&flats[j], &flats[i])) {
                report_shadowed(c, p, q);
                break;
            }
        }
    }
}

static void check_shadowed(checker *c)
{
    int most = 0;
    for (size_t b = 0; b < c->dict->verbsets.count; b++)
        if (c->dict->verbsets.items[b].pattern_count > most)
            most = c->dict->verbsets.items[b].pattern_count;
    flat *flats = kh_xcalloc((size_t)most + 1, sizeof *flats);
    trial *order = kh_xcalloc((size_t)most + 1, sizeof *order);
    for (size_t b = 0; b < c->dict->verbsets.count; b++)
        check_block(c, &c->dict->verbsets.items[b], flats, order);
    for (int i = 0; i < most; i++)
        KH_VEC_FREE(&flats[i].el);
    free(flats);
    free(order);
}

/* ---- synsets ---- */

static void check_synsets(checker *c)
{
    for (size_t i = 0; i < c->dict->synsets.count; i++) {
        const kh_synset *s = &c->dict->synsets.items[i];
        if (s->count == 0)
            problem(c, &c->st.synsets, s->origin.file, s->origin.line,
                    kh_xasprintf("synset &%s has no members: patterns naming it never "
                                 "match", s->name));
    }
}

/* ---- CAMEO codes ---- */

static int event_code_ok(const char *code)
{
    return !code[0] || !strcmp(code, "---") || !strcmp(code, "###") ||
           !strcmp(code, "+++") || kh_cameo_lookup(code) != NULL;
}

static void check_code(checker *c, const kh_code *code, const kh_origin *at,
                       const char *what)
{
    const char *bad = !event_code_ok(code->code) ? code->code
                      : !event_code_ok(code->paired) ? code->paired : NULL;
    if (bad)
        problem(c, &c->st.cameo, at->file, at->line,
                kh_xasprintf("%s code [%s] is not a CAMEO event code", what, bad));
}

static void check_cameo(checker *c)
{
    const kh_dict *d = c->dict;
    for (size_t i = 0; i < d->verbsets.count; i++)
        check_code(c, &d->verbsets.items[i].code, &d->verbsets.items[i].origin,
                   "verb block");
    for (size_t i = 0; i < d->verbs.count; i++)
        if (d->verbs.items[i].code.code[0] || d->verbs.items[i].code.paired[0])
            check_code(c, &d->verbs.items[i].code, &d->verbs.items[i].origin, "verb");
    for (size_t i = 0; i < d->patterns.count; i++)
        check_code(c, &d->patterns.items[i].code, &d->patterns.items[i].origin, "pattern");
}

long kh_dict_check(const kh_dict *dict, kh_diag *diag, kh_dict_check_stats *out)
{
    checker c;
    memset(&c, 0, sizeof c);
    c.dict = dict;
    c.diag = diag;
    kh_arena_init(&c.keys);
    check_actor_duplicates(&c);
    check_agent_duplicates(&c);
    check_roles(&c);
    check_shadowed(&c);
    check_synsets(&c);
    check_cameo(&c);
    kh_arena_free(&c.keys);
    if (out)
        *out = c.st;
    return c.st.problems;
}
