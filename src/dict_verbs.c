/*
 * dict_verbs.c -- reads verb dictionaries: TABARI .verbs, PETRARCH-1 and
 * PETRARCH-2 (CAMEO.2.0.txt) verb files.
 *
 *   &NAME / +member ...         a synset (TABARI inside <SYNSETS>); members
 *                               are element sequences and may use earlier
 *                               synsets ("+&TIETYPES_MEMOS")
 *   --- NAME [code] ---         PETRARCH: a block; the verb lines after it
 *   VERB {FORMS} [code]         share the block's patterns.  "+" marks the
 *   +STIR_UP {+STIRS_UP ...}    inflected word of a multi-word verb
 *   KLM_NOP_+RST [002]
 *   VERB [code]                 TABARI: each verb is its own block, with
 *   {BROKE_ BROKEN_}            its forms on the next line
 *   - pattern [code] # note     a pattern of the current block
 *   <TIME> ... </TIME>          TABARI sections we do not use: skipped
 *   ~FINISH                     end of the dictionary
 *
 * Pattern elements: words ("_" joins: KH_WORD_NEXT on the next element;
 * TABARI words not followed by "_" are stems), * $ + % ^, &SYNSET,
 * TABARI alternatives "{ A | B }", PETRARCH-2 groups "{noun phrase}" and
 * "(prep phrase)".  A "{...}" with "|" at its level is an alternative set,
 * otherwise a noun phrase.
 *
 * Syntax: a "---" block header means PETRARCH; PETRARCH-2 if a pattern
 * uses "(" or a "{" group without "|".  PETRARCH words are whole words
 * (dictionaries.rst: "PETRARCH only works with complete words"), so only
 * TABARI sets KH_WORD_STEM.
 */
#include "dict_read.h"
#include "kh_limits.h"
#include "util.h"

#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Synsets may use synsets ("+&TIETYPES_MEMOS"), even themselves: a
 * pattern's length follows them this many levels deep and no deeper. */
enum { SYNSET_LENGTH_DEPTH = 8 };

/* A synset's length as last computed, kept while the synsets stand as
 * they are (end_synset forgets them all): the patterns use the same few
 * synsets thousands of times.  `height` is how many levels of synsets
 * the length went down; it holds for a use at depth d when d + height
 * <= SYNSET_LENGTH_DEPTH, that is when the limit cut nothing off. */
typedef struct synset_length_memo {
    int known;
    int length;
    int height;
} synset_length_memo;

typedef struct verb_reader {
    kh_dict *dict;
    const char *file;
    kh_diag *diag;
    kh_dict_read_stats *st;
    kh_syntax syntax;
    int stems;
    long line;
    int verbset;                    /* current block, -1 before the first */
    int last_verb;                  /* for a TABARI {FORMS} line */
    int synset;                     /* synset taking '+' members, or -1 */
    int synset_no_endings;          /* its label ended with "_" */
    KH_VEC(int) pats;               /* patterns of the current block */
    KH_VEC(kh_elem) elems;          /* the element sequence being read */
    KH_VEC(kh_elem *) alts;         /* members of the current synset */
    KH_VEC(int) alt_counts;
    KH_VEC(char) groups;            /* open '{' '(' while tokenizing */
    KH_VEC(synset_length_memo) synset_lengths;  /* by synset index */
    char *tag;                      /* the skipped section, NULL if none */
} verb_reader;

/* ---- syntax detection ---- */

static kh_syntax detect_verb_syntax(const char *text, size_t len)
{
    int petrarch = 0, groups = 0;
    const char *p = text, *end = text + len;
    while (p < end && !(petrarch && groups)) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *stop = nl ? nl : end;
        if (stop - p >= 3 && memcmp(p, "---", 3) == 0)
            petrarch = 1;
        else if (p < stop && *p == '-') {
            int alt = 0, brace = 0;
            for (const char *q = p; q < stop && *q != '#' && *q != ';' && *q != '['; q++) {
                groups |= *q == '(';
                brace |= *q == '{';
                alt |= *q == '|';
            }
            groups |= brace && !alt;
        }
        p = nl ? nl + 1 : end;
    }
    if (!petrarch)
        return KH_SYNTAX_TABARI;
    return groups ? KH_SYNTAX_PETRARCH2 : KH_SYNTAX_PETRARCH1;
}

/* ---- errors ---- */

static void reject(verb_reader *r, const char *fmt, const char *arg)
{
    kh_diag_report(r->diag, KH_ERROR, r->file, r->line, fmt, arg);
    r->st->rejected++;
}

/* ---- synsets ---- */

/* Finds a synset by name; a trailing "_" (PETRARCH's "no plurals" mark)
 * is not part of the name. */
static int find_synset(const kh_dict *dict, const char *name, size_t n)
{
    while (n && name[n - 1] == '_')
        n--;
    if (n == 0)
        return -1;                      /* begin_synset names every synset */
    /* Names are kept in upper case (begin_synset): the first letter
     * passes over most of them before strlen reads one. */
    char first = (name[0] >= 'a' && name[0] <= 'z') ? (char)(name[0] - 32) : name[0];
    for (size_t i = 0; i < dict->synsets.count; i++) {
        const char *s = dict->synsets.items[i].name;
        if (s[0] == first && strlen(s) == n && strncasecmp(s, name, n) == 0)
            return (int)i;
    }
    return -1;
}

/* Moves the collected members into the synset (appending, when a name is
 * declared twice). */
static void end_synset(verb_reader *r)
{
    if (r->synset < 0)
        return;
    r->synset_lengths.count = 0;        /* a synset changes: its users too */
    kh_synset *s = &r->dict->synsets.items[r->synset];
    int total = s->count + (int)r->alts.count;
    kh_elem **alts = kh_arena_alloc(&r->dict->arena, (total ? total : 1) * sizeof *alts);
    int *counts = kh_arena_alloc(&r->dict->arena, (total ? total : 1) * sizeof *counts);
    if (s->count) {
        memcpy(alts, s->alts, s->count * sizeof *alts);
        memcpy(counts, s->alt_counts, s->count * sizeof *counts);
    }
    if (r->alts.count) {
        memcpy(alts + s->count, r->alts.items, r->alts.count * sizeof *alts);
        memcpy(counts + s->count, r->alt_counts.items, r->alts.count * sizeof *counts);
    }
    s->alts = alts;
    s->alt_counts = counts;
    s->count = total;
    r->alts.count = r->alt_counts.count = 0;
    r->synset = -1;
}

static void begin_synset(verb_reader *r, const char *t, size_t n)
{
    end_synset(r);
    t++, n--;                           /* the '&' */
    kh_trim(&t, &n);
    size_t k = 0;
    while (k < n && t[k] != ' ' && t[k] != '\t')
        k++;
    r->synset_no_endings = k && t[k - 1] == '_';
    if (k < n)
        kh_diag_report(r->diag, KH_WARNING, r->file, r->line,
                       "text after the synset name ignored");
    int found = find_synset(r->dict, t, k);
    if (found < 0) {
        size_t name = k;
        while (name && t[name - 1] == '_')
            name--;
        if (name == 0) {
            reject(r, "synset without a name%s", "");
            return;
        }
        kh_synset *s = KH_VEC_PUSH(&r->dict->synsets);
        s->name = kh_dict_intern_upper(r->dict, t, name);
        s->origin.file = r->file;
        s->origin.line = r->line;
        found = (int)r->dict->synsets.count - 1;
    }
    r->synset = found;
}

/* Letters of a synset's shortest alternative, for pattern length; sets
 * *height as synset_length_memo describes it. */
static int synset_length(verb_reader *r, int index, int depth, int *height);

/* Letters in the fixed text of e[0, count) at the given synset depth;
 * sets *height to the levels of synsets it went down, more than
 * SYNSET_LENGTH_DEPTH when the limit cut one off. */
static int elems_length(verb_reader *r, const kh_elem *e, int count, int depth,
                        int *height)
{
    int total = 0, in_alt = 0, alt_cur = 0, alt_max = 0;
    *height = 0;
    for (int i = 0; i < count; i++) {
        int len = 0;
        if (e[i].kind == KH_EL_WORD) {
            for (const char *p = e[i].word; *p; p++)
                len += isalnum((unsigned char)*p) != 0;
        } else if (e[i].kind == KH_EL_SYNSET) {
            int below = SYNSET_LENGTH_DEPTH;  /* cut off: nothing known */
            if (depth < SYNSET_LENGTH_DEPTH)
                len = synset_length(r, e[i].synset, depth + 1, &below);
            if (below + 1 > *height)
                *height = below < SYNSET_LENGTH_DEPTH ? below + 1 : SYNSET_LENGTH_DEPTH + 1;
        } else if (e[i].kind == KH_EL_ALT_BEGIN) {
            in_alt = 1, alt_cur = alt_max = 0;
        } else if (e[i].kind == KH_EL_ALT_OR) {
            alt_max = alt_cur > alt_max ? alt_cur : alt_max, alt_cur = 0;
        } else if (e[i].kind == KH_EL_ALT_END) {
            alt_max = alt_cur > alt_max ? alt_cur : alt_max;
            total += alt_max;
            in_alt = 0;
        }
        if (in_alt)
            alt_cur += len;
        else
            total += len;
    }
    return total;
}

static int synset_length(verb_reader *r, int index, int depth, int *height)
{
    synset_length_memo *m = (size_t)index < r->synset_lengths.count
                                ? &r->synset_lengths.items[index] : NULL;
    if (m && m->known && depth + m->height <= SYNSET_LENGTH_DEPTH) {
        *height = m->height;
        return m->length;
    }
    const kh_synset *s = &r->dict->synsets.items[index];
    int best = -1;
    *height = 0;
    for (int i = 0; i < s->count; i++) {
        int h;
        int len = elems_length(r, s->alts[i], s->alt_counts[i], depth, &h);
        if (best < 0 || len < best)
            best = len;
        if (h > *height)
            *height = h;
    }
    best = best < 0 ? 0 : best;
    if (depth + *height <= SYNSET_LENGTH_DEPTH) {
        while (r->synset_lengths.count <= (size_t)index)
            KH_VEC_PUSH(&r->synset_lengths);
        r->synset_lengths.items[index] = (synset_length_memo){1, best, *height};
    }
    return best;
}

/* ---- the element tokenizer ---- */

static kh_elem *push_elem(verb_reader *r, int kind, int *join)
{
    kh_elem *e = KH_VEC_PUSH(&r->elems);
    e->kind = (unsigned char)kind;
    e->flags = *join ? KH_WORD_NEXT : 0;
    e->synset = -1;
    *join = 0;
    return e;
}

/* The bytes that end a word of a pattern: one look-up a byte, where
 * nine comparisons were, as read_word passes over every letter. */
static const unsigned char elem_break[UCHAR_MAX + 1] = {
    [' '] = 1, ['\t'] = 1, ['_'] = 1, ['-'] = 1, ['{'] = 1,
    ['}'] = 1, ['|'] = 1, ['('] = 1, [')'] = 1,
};

static int is_elem_break(char c)
{
    return elem_break[(unsigned char)c];
}

/* Does the "{" at t[i] hold a "|" at its own nesting level? */
static int brace_is_alternative(const char *t, size_t i, size_t n)
{
    int depth = 0;
    for (; i < n; i++) {
        if (t[i] == '{' || t[i] == '(') depth++;
        else if (t[i] == '}' || t[i] == ')') { if (--depth == 0) return 0; }
        else if (t[i] == '|' && depth == 1) return 1;
    }
    return 0;
}

/* A "&NAME" at t[i]: the whole name if declared, else (TABARI and
 * PETRARCH-1, where "&TIETYPES_MEMOS" is synset TIETYPES then MEMOS) the
 * longest declared prefix ending before a "_".  Returns the bytes used. */
static size_t read_synset_ref(verb_reader *r, const char *t, size_t i, size_t n,
                              int *index)
{
    size_t start = i + 1, k = start;
    while (k < n && (isalnum((unsigned char)t[k]) || t[k] == '_' || t[k] == '\''))
        k++;
    for (size_t end = k; end > start; end--) {
        if (end < k && t[end] != '_')
            continue;
        *index = find_synset(r->dict, t + start, end - start);
        if (*index >= 0)
            return end - i;
        if (r->syntax == KH_SYNTAX_PETRARCH2)
            break;
    }
    *index = -1;
    return k - i;
}

static const char *read_word(verb_reader *r, const char *t, size_t *i, size_t n,
                             int *join)
{
    size_t start = *i, k = start;
    while (k < n && !is_elem_break(t[k]))
        k++;
    *i = k;
    size_t end = k;
    unsigned char flags = 0;
    if (t[end - 1] == '~') {
        flags = KH_WORD_TILDE | (r->stems ? KH_WORD_STEM : 0);
        end--;
    } else if (t[end - 1] == '=') {
        flags = KH_WORD_NOENDINGS;
        end--;
    } else if (r->stems && (k >= n || (t[k] != '_' && t[k] != '-'))) {
        flags = KH_WORD_STEM;
    }
    if (end == start)
        return "empty word";
    kh_elem *e = push_elem(r, KH_EL_WORD, join);
    e->flags |= flags;
    e->word = kh_dict_intern_upper(r->dict, t + start, end - start);
    if (flags & KH_WORD_TILDE)
        *join = 1;
    return NULL;
}

static const char *open_group(verb_reader *r, char kind, int *join)
{
    *KH_VEC_PUSH(&r->groups) = kind;
    int el = kind == 'A' ? KH_EL_ALT_BEGIN : kind == 'N' ? KH_EL_NP_BEGIN : KH_EL_PP_BEGIN;
    if (kind == 'A')
        for (size_t g = 0; g + 1 < r->groups.count; g++)
            if (r->groups.items[g] == 'A')
                return "nested alternative sets";
    push_elem(r, el, join);
    return NULL;
}

static const char *close_group(verb_reader *r, char c, int *join)
{
    if (r->groups.count == 0)
        return c == ')' ? "unbalanced ')'" : "unbalanced '}'";
    char kind = r->groups.items[--r->groups.count];
    if ((c == ')') != (kind == 'P'))
        return "mismatched brackets";
    push_elem(r, kind == 'A' ? KH_EL_ALT_END : kind == 'N' ? KH_EL_NP_END : KH_EL_PP_END, join);
    return NULL;
}

static int special_kind(char c)
{
    switch (c) {
    case '*': return KH_EL_VERB;
    case '$': return KH_EL_SOURCE;
    case '+': return KH_EL_TARGET;
    case '%': return KH_EL_COMPOUND;
    case '^': return KH_EL_SKIP;
    }
    return -1;
}

/* Splits pattern or synset-member text into r->elems.  Returns NULL, or
 * what is wrong. */
static const char *tokenize(verb_reader *r, const char *t, size_t n)
{
    r->elems.count = 0;
    r->groups.count = 0;
    int join = 0;
    const char *why = NULL;
    size_t i = 0;
    while (i < n && !why) {
        char c = t[i];
        int kind = special_kind(c);
        if (c == ' ' || c == '\t') {
            /* "BACK~ POLICY": the tilde joins across the blank */
            const kh_elem *last = r->elems.count ? &r->elems.items[r->elems.count - 1] : NULL;
            join = last && (last->flags & KH_WORD_TILDE) && join;
            i++;
        } else if (c == '_' || c == '-') {
            join = r->elems.count > 0, i++;
        } else if (kind >= 0) {
            push_elem(r, kind, &join);
            i++;
            while (kind == KH_EL_VERB && i < n && t[i] == '*')
                i++;                    /* PETRARCH-1 docs write "**" */
            if (i < n && t[i] == '~')
                join = 1, i++;          /* "*~_CLOSELY": next must follow */
        } else if (c == '{') {
            why = open_group(r, brace_is_alternative(t, i, n) ? 'A' : 'N', &join);
            i++;
        } else if (c == '(') {
            why = open_group(r, 'P', &join);
            i++;
        } else if (c == '}' || c == ')') {
            why = close_group(r, c, &join);
            i++;
        } else if (c == '|') {
            if (!r->groups.count || r->groups.items[r->groups.count - 1] != 'A')
                why = "'|' outside an alternative set";
            push_elem(r, KH_EL_ALT_OR, &join);
            i++;
        } else if (c == '&') {
            int index;
            size_t used = read_synset_ref(r, t, i, n, &index);
            if (index < 0)
                return "undeclared synset";
            if (index == r->synset)
                return "a synset cannot contain itself";
            push_elem(r, KH_EL_SYNSET, &join)->synset = index;
            i += used;
        } else {
            why = read_word(r, t, &i, n, &join);
        }
    }
    if (!why && r->groups.count)
        why = "unclosed '{' or '('";
    if (!why && r->elems.count == 0)
        why = "no elements";
    return why;
}

/* ---- synset members ---- */

static void synset_member(verb_reader *r, const char *t, size_t n)
{
    t++, n--;                           /* the '+' */
    kh_trim(&t, &n);
    const char *why = tokenize(r, t, n);
    if (why) {
        kh_diag_report(r->diag, KH_ERROR, r->file, r->line, "%s in synset member '%.*s'",
                       why, (int)n, t);
        r->st->rejected++;
        return;
    }
    if (r->syntax != KH_SYNTAX_TABARI) {
        /* PETRARCH members are consecutive words; "_" at the end of the
         * member or the label means no plural is formed. */
        for (size_t i = 1; i < r->elems.count; i++)
            r->elems.items[i].flags |= KH_WORD_NEXT;
        kh_elem *last = &r->elems.items[r->elems.count - 1];
        if (last->kind == KH_EL_WORD && (t[n - 1] == '_' || r->synset_no_endings))
            last->flags |= KH_WORD_NOENDINGS;
    }
    size_t bytes = r->elems.count * sizeof(kh_elem);
    kh_elem *copy = kh_arena_alloc(&r->dict->arena, bytes);
    memcpy(copy, r->elems.items, bytes);
    *KH_VEC_PUSH(&r->alts) = copy;
    *KH_VEC_PUSH(&r->alt_counts) = (int)r->elems.count;
    r->st->entries++;
}

/* ---- blocks and verbs ---- */

static void end_verbset(verb_reader *r)
{
    if (r->verbset < 0)
        return;
    kh_verbset *vs = &r->dict->verbsets.items[r->verbset];
    vs->pattern_count = (int)r->pats.count;
    vs->patterns = kh_arena_alloc(&r->dict->arena, (r->pats.count ? r->pats.count : 1) * sizeof(int));
    if (r->pats.count)
        memcpy(vs->patterns, r->pats.items, r->pats.count * sizeof(int));
    r->pats.count = 0;
    r->verbset = -1;
}

static void begin_verbset(verb_reader *r, const char *name, size_t n, const kh_code *code)
{
    end_verbset(r);
    kh_verbset *vs = KH_VEC_PUSH(&r->dict->verbsets);
    vs->name = kh_dict_intern_upper(r->dict, name, n);
    vs->code = *code;
    vs->origin.file = r->file;
    vs->origin.line = r->line;
    r->verbset = (int)r->dict->verbsets.count - 1;
}

/* Finds the last "[...]" of t[0..n) and parses it; n is cut before it.
 * Returns 1 if found and good, 0 if absent, or (below 0) what
 * kh_event_code_parse found wrong; a missing ']' is malformed. */
static int take_code(const char *t, size_t *n, kh_code *code)
{
    const char *open = NULL;
    for (size_t i = *n; i > 0; i--)
        if (t[i - 1] == '[') {
            open = t + i - 1;
            break;
        }
    if (!open)
        return 0;
    const char *close = memchr(open, ']', *n - (size_t)(open - t));
    *n = (size_t)(open - t);
    if (!close)
        return KH_CODE_MALFORMED;
    int rc = kh_event_code_parse(open + 1, (size_t)(close - open - 1), code);
    return rc < 0 ? rc : 1;
}

/* What to add to a "bad code" report: a malformed code needs no more
 * words, an overlong one the limit it passed. */
static const char *code_trouble(int got)
{
    return got == KH_CODE_TOO_LONG
               ? ": longer than " KH_LIMIT_TEXT(KH_MAX_EVENT_CODE) " characters"
               : "";
}

static void block_header(verb_reader *r, const char *t, size_t n)
{
    while (n && *t == '-')
        t++, n--;
    while (n && t[n - 1] == '-')
        n--;
    kh_code code;
    int got = take_code(t, &n, &code);
    if (got < 0) {
        reject(r, "bad code in block header%s", code_trouble(got));
        strcpy(code.code, "---"), code.paired[0] = 0;
    } else if (got == 0) {
        memset(&code, 0, sizeof code);
        strcpy(code.code, "---");
    }
    kh_trim(&t, &n);
    begin_verbset(r, t, n, &code);
}

/* One form of a multi-word verb: the word marked "+", else the word at
 * the head's position, else the whole form with blanks. */
static const char *verb_form(verb_reader *r, const char *t, size_t n,
                             int words, int head)
{
    while (n && t[n - 1] == '_')
        n--;
    const char *plus = memchr(t, '+', n);
    const char *ws = t, *we = t + n;
    if (plus) {
        ws = plus + 1;
        we = ws;
        while (we < t + n && *we != '_')
            we++;
    } else if (words > 1) {
        int parts = 1;
        for (size_t i = 0; i < n; i++)
            parts += t[i] == '_';
        if (parts == words) {
            int k = 0;
            for (ws = t; k < head; ws++)
                k += *ws == '_';
            for (we = ws; we < t + n && *we != '_'; we++)
                ;
        }
    }
    char *f = (char *)kh_dict_intern(r->dict, ws, (size_t)(we - ws));
    kh_upper_ascii(f, (size_t)(we - ws));
    for (char *p = f; *p; p++)
        if (*p == '_' || *p == '+')
            *p = ' ';
    return f;
}

static void read_forms(verb_reader *r, kh_verb *v, const char *t, size_t n)
{
    int cap = 0;
    for (size_t i = 0; i < n; i++)
        cap += (t[i] != ' ' && t[i] != '\t') && (i == 0 || t[i - 1] == ' ' || t[i - 1] == '\t');
    v->forms = kh_arena_alloc(&r->dict->arena, (cap ? cap : 1) * sizeof *v->forms);
    v->form_count = 0;
    size_t i = 0;
    while (i < n) {
        while (i < n && (t[i] == ' ' || t[i] == '\t'))
            i++;
        size_t s = i;
        while (i < n && t[i] != ' ' && t[i] != '\t')
            i++;
        if (i > s)
            v->forms[v->form_count++] = verb_form(r, t + s, i - s, v->words.count, v->head);
    }
}

/* Parses the words of a verb, dropping the "+" head mark. */
static int verb_words(verb_reader *r, kh_verb *v, const char *t, size_t n)
{
    char *copy = kh_xmalloc(n + 1);
    size_t c = 0;
    int head = 0, words = 0, in_word = 0;
    for (size_t i = 0; i < n; i++) {
        int brk = t[i] == ' ' || t[i] == '\t' || t[i] == '_' || t[i] == '-';
        if (t[i] == '+') {
            head = words;
            continue;
        }
        if (!brk && !in_word)
            words++;
        in_word = !brk;
        copy[c++] = t[i];
    }
    int rc = kh_phrase_parse(r->dict, copy, c, r->stems, &v->words);
    free(copy);
    v->head = head < v->words.count ? head : 0;
    return rc;
}

static void verb_line(verb_reader *r, const char *t, size_t n)
{
    kh_code code;
    int got = take_code(t, &n, &code);
    if (got < 0) {
        reject(r, "bad code on verb line%s", code_trouble(got));
        return;
    }
    const char *brace = memchr(t, '{', n);
    const char *brace_end = brace ? memchr(brace, '}', n - (size_t)(brace - t)) : NULL;
    if (brace && !brace_end) {
        reject(r, "missing '}' after the verb forms%s", "");
        return;
    }
    size_t wn = brace ? (size_t)(brace - t) : n;
    kh_trim(&t, &wn);
    if (r->syntax == KH_SYNTAX_TABARI || r->verbset < 0) {
        if (r->syntax != KH_SYNTAX_TABARI)
            kh_diag_report(r->diag, KH_WARNING, r->file, r->line,
                           "verb before any '--- NAME ---' block; it gets its own");
        kh_code block = code;
        if (got == 0) {
            memset(&block, 0, sizeof block);
            strcpy(block.code, "---");
        }
        begin_verbset(r, t, wn, &block);
        got = 0;                        /* the block carries the code */
    }
    kh_verb v;
    memset(&v, 0, sizeof v);
    if (verb_words(r, &v, t, wn) < 0) {
        reject(r, "verb line without a verb%s", "");
        return;
    }
    if (got > 0)
        v.code = code;
    v.verbset = r->verbset;
    v.origin.file = r->file;
    v.origin.line = r->line;
    if (brace)
        read_forms(r, &v, brace + 1, (size_t)(brace_end - brace - 1));
    v.syntax = (unsigned char)r->syntax;
    *KH_VEC_PUSH(&r->dict->verbs) = v;
    r->last_verb = (int)r->dict->verbs.count - 1;
    r->st->entries++;
}

/* A TABARI "{BROKE_ BROKEN_}" line after its verb. */
static void forms_line(verb_reader *r, const char *t, size_t n)
{
    const char *end = memchr(t, '}', n);
    if (r->last_verb < 0 || !end) {
        reject(r, r->last_verb < 0 ? "verb forms without a verb%s" : "missing '}'%s", "");
        return;
    }
    kh_verb *v = &r->dict->verbs.items[r->last_verb];
    read_forms(r, v, t + 1, (size_t)(end - t - 1));
}

/* ---- patterns ---- */

static void pattern_line(verb_reader *r, const char *t, size_t n)
{
    t++, n--;                           /* the '-' */
    if (r->verbset < 0) {
        reject(r, "pattern before any verb%s", "");
        return;
    }
    kh_code code;
    int got = take_code(t, &n, &code);
    if (got <= 0) {
        reject(r, got < 0 ? "bad pattern code%s" : "pattern without a [code]%s",
               code_trouble(got));
        return;
    }
    kh_trim(&t, &n);
    const char *why = tokenize(r, t, n);
    int verbs = 0;
    for (size_t i = 0; !why && i < r->elems.count; i++)
        verbs += r->elems.items[i].kind == KH_EL_VERB;
    if (!why && verbs != 1)
        why = verbs ? "more than one verb marker '*'" : "no verb marker '*'";
    if (why) {
        kh_diag_report(r->diag, KH_ERROR, r->file, r->line, "%s in pattern '%.*s'",
                       why, (int)n, t);
        r->st->rejected++;
        return;
    }
    kh_pattern *p = KH_VEC_PUSH(&r->dict->patterns);
    size_t bytes = r->elems.count * sizeof(kh_elem);
    p->elems = kh_arena_take(&r->dict->arena, bytes);     /* copied over */
    memcpy(p->elems, r->elems.items, bytes);
    p->count = (int)r->elems.count;
    p->code = code;
    p->verbset = r->verbset;
    int height;
    p->length = elems_length(r, p->elems, p->count, 0, &height);
    p->text = kh_dict_intern(r->dict, t, n);
    p->origin.file = r->file;
    p->origin.line = r->line;
    *KH_VEC_PUSH(&r->pats) = (int)r->dict->patterns.count - 1;
    r->st->entries++;
}

/* ---- sections ---- */

/* A <TIME> phrase coded [###] ("ONCE_UPON_A_TIME [###]") marks a story
 * that is not news: it becomes a sentence discard; [+++] ("WHEN PEACE
 * COMES") marks a sentence too complex to code.  Time shifts ([-7])
 * are not used.  Returns 1 if the line was such a discard. */
static int time_discard(verb_reader *r, const kh_line *line)
{
    const char *t = line->text, *open = memchr(t, '[', line->len);
    if (!open || *t == '-' || line->len - (size_t)(open - t) < 5 ||
        (strncmp(open, "[###]", 5) != 0 && strncmp(open, "[+++]", 5) != 0))
        return 0;
    kh_phrase ph;
    size_t n = (size_t)(open - t);
    while (n && (t[n - 1] == ' ' || t[n - 1] == '\t'))
        n--;
    if (kh_phrase_parse(r->dict, t, n, 0, &ph) < 0)
        return 0;
    for (int i = 1; i < ph.count; i++)
        ph.flags[i] |= KH_WORD_NEXT;
    kh_discard *d = KH_VEC_PUSH(&r->dict->discards);
    d->phrase = ph;
    d->complex_time = open[1] == '+';
    d->origin.file = r->file;
    d->origin.line = line->number;
    r->st->entries++;
    return 1;
}

/* TABARI <SYNSETS> is read; other sections (<TIME>, <NOUN> ...) are
 * skipped.  Returns 1 if the line was consumed. */
static int section_line(verb_reader *r, const kh_line *line)
{
    const char *t = line->text;
    if (r->tag) {
        if (t[0] == '<' && t[1] == '/' && strncasecmp(t + 2, r->tag, strlen(r->tag)) == 0) {
            free(r->tag);
            r->tag = NULL;
        } else if (strcasecmp(r->tag, "TIME") == 0 && time_discard(r, line))
            return 1;
        r->st->skipped++;
        return 1;
    }
    if (t[0] != '<')
        return 0;
    end_synset(r);
    if (strncasecmp(t, "<SYNSETS>", 9) == 0 || strncasecmp(t, "</SYNSETS>", 10) == 0 ||
        t[1] == '/')
        return 1;
    const char *name;
    size_t n = kh_line_section_tag(line, &name);
    if (n == 0)
        return 0;
    r->tag = kh_xstrndup(name, n);
    r->st->skipped++;
    return 1;
}

static void one_line(verb_reader *r, const kh_line *line)
{
    const char *t = line->text;
    size_t n = line->len;
    r->line = line->number;
    if (section_line(r, line))
        return;
    if (*t == '+' && r->synset >= 0) {
        synset_member(r, t, n);
        return;
    }
    end_synset(r);
    if (*t == '&')
        begin_synset(r, t, n);
    else if (n >= 3 && memcmp(t, "---", 3) == 0)
        block_header(r, t, n);
    else if (*t == '-')
        pattern_line(r, t, n);
    else if (*t == '{')
        forms_line(r, t, n);
    else if (*t == '+' && r->syntax == KH_SYNTAX_TABARI)
        reject(r, "synonym line outside a synset%s", "");
    else
        verb_line(r, t, n);
}

int kh_dict_read_verbs(kh_dict *dict, const char *name, const char *text,
                  size_t len, kh_diag *diag, kh_dict_read_stats *stats)
{
    kh_dict_read_stats local;
    kh_dict_read_stats *st = stats ? stats : &local;
    memset(st, 0, sizeof *st);
    st->syntax = detect_verb_syntax(text, len);
    verb_reader r = {0};
    r.dict = dict;
    r.file = name;
    r.diag = diag;
    r.st = st;
    r.syntax = st->syntax;
    r.stems = st->syntax == KH_SYNTAX_TABARI;
    r.verbset = r.last_verb = r.synset = -1;
    kh_scanner sc;
    kh_line line;
    kh_scanner_init(&sc, text, len);
    while (kh_scanner_next(&sc, &line)) {
        if (kh_line_is_finish(&line))
            break;
        st->lines++;
        one_line(&r, &line);
    }
    end_synset(&r);
    end_verbset(&r);
    KH_VEC_FREE(&r.pats);
    KH_VEC_FREE(&r.elems);
    KH_VEC_FREE(&r.alts);
    KH_VEC_FREE(&r.alt_counts);
    KH_VEC_FREE(&r.groups);
    KH_VEC_FREE(&r.synset_lengths);
    free(r.tag);
    kh_scanner_free(&sc);
    return (st->entries == 0 && st->rejected > 0) ? -1 : 0;
}
