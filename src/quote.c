/*
 * quote.c -- quotations and their speakers (see quote.h).
 *
 * Three linear passes over one token array of the document:
 *   1. pair the marks into quotation parts (a state machine, no backtracking);
 *   2. attribute each part from the words next to its marks;
 *   3. fill speakers along continuation chains and follow-up quotes, and
 *      resolve pronoun speakers with a cursor that only moves forward.
 */
#include "quote.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------------
 * Tokens
 * --------------------------------------------------------------------- */

enum { QT_WORD, QT_PUNCT };
enum { FAM_NONE, FAM_DOUBLE, FAM_SINGLE, FAM_GUILLEMET };
enum { MK_NONE, MK_STRAIGHT, MK_OPEN, MK_CLOSE };

typedef struct qtok {
    size_t s, e;
    unsigned char kind;
    unsigned char fam;   /* FAM_* for quotation marks */
    unsigned char mark;  /* MK_* */
    unsigned char nl;    /* newlines before the token, capped at 2 */
    unsigned char para;  /* a paragraph starts at this token */
} qtok;

typedef struct qtoks {
    qtok *v;
    size_t n, cap;
} qtoks;

static int q_alpha(unsigned char c) { return (c | 32) >= 'a' && (c | 32) <= 'z'; }
static int q_digit(unsigned char c) { return c >= '0' && c <= '9'; }

/* Recognises a quotation mark or another multi-byte punctuation mark at p. */
static size_t mark_at(const unsigned char *p, size_t left, unsigned char *fam,
                      unsigned char *mark)
{
    *fam = FAM_NONE;
    *mark = MK_NONE;
    if (p[0] == '"') { *fam = FAM_DOUBLE; *mark = MK_STRAIGHT; return 1; }
    if (left >= 2 && p[0] == 0xC2 && (p[1] == 0xAB || p[1] == 0xBB)) {
        *fam = FAM_GUILLEMET;
        *mark = p[1] == 0xAB ? MK_OPEN : MK_CLOSE;
        return 2;
    }
    if (left >= 3 && p[0] == 0xE2 && p[1] == 0x80 && p[2] >= 0x90 && p[2] <= 0x9F) {
        switch (p[2]) {
        case 0x98: *fam = FAM_SINGLE; *mark = MK_OPEN; break;
        case 0x99: *fam = FAM_SINGLE; *mark = MK_CLOSE; break;
        case 0x9C: *fam = FAM_DOUBLE; *mark = MK_OPEN; break;
        case 0x9D: *fam = FAM_DOUBLE; *mark = MK_CLOSE; break;
        default: break; /* dashes and low quotes: plain punctuation */
        }
        return 3;
    }
    return 0;
}

static void qtoks_push(qtoks *t, qtok k)
{
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 256;
        t->v = kh_xrealloc(t->v, t->cap * sizeof *t->v);
    }
    t->v[t->n++] = k;
}

static void q_tokenize(const char *text, size_t len, qtoks *out)
{
    const unsigned char *p = (const unsigned char *)text;
    size_t i = 0;
    unsigned nl = 0;
    int blank_lines = 0;
    while (i < len) {
        unsigned char c = p[i];
        qtok k = {0};
        size_t ml;
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f') {
            if (c == '\n' && nl < 2) nl++;
            i++;
            continue;
        }
        k.s = i;
        k.nl = (unsigned char)nl;
        if ((ml = mark_at(p + i, len - i, &k.fam, &k.mark)) > 0) {
            k.kind = QT_PUNCT;
            i += ml;
        } else if (q_alpha(c) || q_digit(c) || c >= 0x80) {
            k.kind = QT_WORD;
            while (i < len && (q_alpha(p[i]) || q_digit(p[i]) ||
                               (p[i] >= 0x80 && !mark_at(p + i, len - i, &k.fam, &k.mark))))
                i++;
            k.fam = FAM_NONE;
            k.mark = MK_NONE;
        } else {
            k.kind = QT_PUNCT;
            i++;
        }
        k.e = i;
        if (nl >= 2) blank_lines = 1;
        nl = 0;
        qtoks_push(out, k);
    }
    /* Paragraphs: blank lines when the document has any, else newlines. */
    for (size_t j = 0; j < out->n; j++)
        out->v[j].para = j == 0 || out->v[j].nl >= (blank_lines ? 2 : 1);
}

/* ---------------------------------------------------------------------
 * Token predicates
 * --------------------------------------------------------------------- */

typedef struct qctx {
    const char *t;
    const qtok *v;
    size_t n;
} qctx;

static int is_word(const qctx *c, size_t i) { return i < c->n && c->v[i].kind == QT_WORD; }

static int word_eq(const qctx *c, size_t i, const char *w)
{
    if (!is_word(c, i)) return 0;
    size_t n = c->v[i].e - c->v[i].s;
    if (strlen(w) != n) return 0;
    for (size_t k = 0; k < n; k++)
        if ((c->t[c->v[i].s + k] | 32) != w[k]) return 0;
    return 1;
}

static int word_among(const qctx *c, size_t i, const char *const *list)
{
    for (; *list; list++)
        if (word_eq(c, i, *list)) return 1;
    return 0;
}

static int is_cap(const qctx *c, size_t i)
{
    if (!is_word(c, i)) return 0;
    unsigned char ch = (unsigned char)c->t[c->v[i].s];
    return (ch >= 'A' && ch <= 'Z') || ch >= 0x80;
}

static int is_lower(const qctx *c, size_t i)
{
    if (!is_word(c, i)) return 0;
    unsigned char ch = (unsigned char)c->t[c->v[i].s];
    return ch >= 'a' && ch <= 'z';
}

static int punct_eq(const qctx *c, size_t i, char ch)
{
    return i < c->n && c->v[i].kind == QT_PUNCT && c->v[i].e - c->v[i].s == 1 &&
           c->t[c->v[i].s] == ch;
}

static int adj(const qctx *c, size_t i, size_t j) { return j < c->n && c->v[i].e == c->v[j].s; }

/* Title abbreviations whose period does not end a sentence. */
static const char *const abbreviations[] = {
    "mr", "mrs", "ms", "dr", "gen", "col", "lt", "sgt", "sen", "rep", "gov",
    "pres", "st", "jr", "sr", "prof", "capt", "maj", "adm", "no", "vs", 0};

/* Token i ends a sentence: . ! ? except after "Mr" or an initial ("U.S."). */
static int ends_sentence(const qctx *c, size_t i)
{
    if (punct_eq(c, i, '!') || punct_eq(c, i, '?') || punct_eq(c, i, ';')) return 1;
    if (!punct_eq(c, i, '.')) return 0;
    if (i > 0 && is_word(c, i - 1) && adj(c, i - 1, i)) {
        if (c->v[i - 1].e - c->v[i - 1].s == 1 && is_cap(c, i - 1)) return 0;
        if (word_among(c, i - 1, abbreviations)) return 0;
    }
    return 1;
}

/* Token i is the period of a title abbreviation: "Mr." "Lt." */
static int abbrev_period(const qctx *c, size_t i)
{
    return i > 0 && punct_eq(c, i, '.') && adj(c, i - 1, i) &&
           word_among(c, i - 1, abbreviations) && is_cap(c, i - 1);
}

/* The capitalised word after token j in a name, through a title's period
 * ("Lt. Col. Richard Hecht"); 0 if none. */
static size_t name_next(const qctx *c, size_t j, size_t hi)
{
    if (j + 1 < hi && is_cap(c, j + 1)) return j + 1;
    if (j + 2 < hi && abbrev_period(c, j + 1) && is_cap(c, j + 2)) return j + 2;
    return 0;
}

/* The capitalised word before token b in a name, likewise, into *out. */
static int name_prev(const qctx *c, size_t b, size_t lo, size_t *out)
{
    if (b > lo && is_cap(c, b - 1)) { *out = b - 1; return 1; }
    if (b > lo + 1 && abbrev_period(c, b - 1)) { *out = b - 2; return 1; }
    return 0;
}

static const char *const pronouns[] = {"he", "she", "they", "we", "i", 0};
static const char *const third_person[] = {"he", "she", "they", 0};
static const char *const determiners[] = {
    "the", "a", "an", "his", "her", "its", "their", "our", "another", 0};
/* Lowercase words that end a speaker phrase. */
static const char *const np_stops[] = {
    "on", "in", "at", "to", "for", "with", "from", "by", "during", "after",
    "before", "when", "while", "that", "which", "who", "as", "and", "but", "or",
    "if", "than", "then", "about", "into", "over", "under", "since", "until",
    "is", "was", "were", "are", "has", "have", "had", "will", "would", "also",
    "later", "earlier", "today", "yesterday", "not", "it", "this", "there", 0};

/* The reporting verbs and their lemmas. */
static const struct { const char *form, *lemma; } verbs[] = {
    {"said", "say"}, {"says", "say"}, {"say", "say"}, {"saying", "say"},
    {"told", "tell"}, {"tells", "tell"}, {"added", "add"}, {"adds", "add"},
    {"adding", "add"}, {"warned", "warn"}, {"warns", "warn"},
    {"emphasized", "emphasize"}, {"emphasised", "emphasize"},
    {"emphasizes", "emphasize"}, {"emphasises", "emphasize"},
    {"explained", "explain"}, {"explains", "explain"}, {"stressed", "stress"},
    {"stresses", "stress"}, {"noted", "note"}, {"notes", "note"},
    {"asked", "ask"}, {"asks", "ask"}, {"insisted", "insist"},
    {"insists", "insist"}, {"declared", "declare"}, {"declares", "declare"},
    {"announced", "announce"}, {"stated", "state"}, {"claimed", "claim"},
    {"claims", "claim"}, {"argued", "argue"}, {"argues", "argue"},
    {"wrote", "write"}, {"writes", "write"}, {"replied", "reply"},
    {"responded", "respond"}, {"continued", "continue"}, {"urged", "urge"},
    {"cautioned", "caution"}, {"acknowledged", "acknowledge"},
    {"recalled", "recall"}, {"remarked", "remark"}, {"confirmed", "confirm"},
    {"vowed", "vow"}, {"quipped", "quip"}, {"tweeted", "tweet"},
    {"shouted", "shout"}, {"predicted", "predict"}, {"admitted", "admit"},
    {"complained", "complain"}, {"exclaimed", "exclaim"},
    {"conceded", "concede"}, {"observed", "observe"}, {"testified", "testify"},
    {"announces", "announce"}, {"warning", "warn"},
};

/* A reporting verb at token i: its lemma, and *last its last token. */
static const char *verb_at(const qctx *c, size_t i, size_t *last)
{
    if (word_eq(c, i, "according") && word_eq(c, i + 1, "to")) {
        *last = i + 1;
        return "according to";
    }
    if (!is_lower(c, i)) return NULL; /* "the United States said": not "States" */
    for (size_t k = 0; k < sizeof verbs / sizeof verbs[0]; k++)
        if (word_eq(c, i, verbs[k].form)) {
            *last = i;
            return verbs[k].lemma;
        }
    return NULL;
}

/* ---------------------------------------------------------------------
 * Pass 1: pairing the marks
 * --------------------------------------------------------------------- */

typedef struct part {
    size_t open, close;  /* token of the opening mark; of the closing mark, or
                            the first token after the paragraph when open */
    int closed, continued;
    size_t sp_s, sp_e;   /* speaker tokens [sp_s, sp_e], valid when has_sp */
    int has_sp, has_verb, inherited;
    size_t vb_s, vb_e;
    const char *lemma;
    size_t ref_s, ref_e; /* byte range of the resolved name */
} part;

typedef struct parts {
    part *v;
    size_t n, cap;
} parts;

static void parts_push(parts *p, size_t open, size_t close, int closed, int continued)
{
    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 16;
        p->v = kh_xrealloc(p->v, p->cap * sizeof *p->v);
    }
    part x;
    memset(&x, 0, sizeof x);
    x.open = open;
    x.close = close;
    x.closed = closed;
    x.continued = continued;
    p->v[p->n++] = x;
}

static int opens(const qctx *c, size_t i)
{
    const qtok *k = &c->v[i];
    if (k->mark == MK_OPEN) return 1;
    if (k->mark != MK_STRAIGHT) return 0;
    /* A straight mark opens when it hugs the next word or stands after a space. */
    return adj(c, i, i + 1) || i == 0 || !adj(c, i - 1, i);
}

static int closes(const qctx *c, size_t i, int fam)
{
    const qtok *k = &c->v[i];
    if (k->fam != fam || (k->mark != MK_CLOSE && k->mark != MK_STRAIGHT)) return 0;
    if (fam == FAM_SINGLE && i > 0 && is_word(c, i - 1) && adj(c, i - 1, i) &&
        is_word(c, i + 1) && adj(c, i, i + 1))
        return 0; /* won’t */
    return 1;
}

static void pair_marks(const qctx *c, parts *out)
{
    int fam = FAM_NONE, continued = 0;
    size_t open = 0;
    for (size_t i = 0; i < c->n; i++) {
        const qtok *k = &c->v[i];
        if (fam == FAM_NONE) {
            if (k->fam != FAM_NONE && opens(c, i)) { fam = k->fam; open = i; continued = 0; }
            continue;
        }
        if (k->para) {
            int again = k->fam == fam && opens(c, i);
            if (again) parts_push(out, open, i, 0, continued);
            fam = FAM_NONE;
            if (again) { fam = k->fam; open = i; continued = 1; continue; }
            i--; /* look at this token again, outside any quotation */
            continue;
        }
        if (closes(c, i, fam)) {
            parts_push(out, open, i, 1, continued);
            fam = FAM_NONE;
        } else if (k->fam == fam && k->mark == MK_OPEN) {
            open = i; /* an unbalanced opening mark: start again here */
            continued = 0;
        } else if (k->e - c->v[open].e > KH_QUOTE_MAX_BYTES) {
            fam = FAM_NONE;
        }
    }
}

/* ---------------------------------------------------------------------
 * Pass 2: attribution
 * --------------------------------------------------------------------- */

/* "of the committee" after a speaker phrase ending at token e; returns the
 * new last token. */
static size_t extend_of(const qctx *c, size_t e, size_t hi)
{
    size_t dummy, j = e + 2;
    if (!word_eq(c, e + 1, "of")) return e;
    if (word_among(c, j, determiners)) j++;
    if (j >= hi || !is_word(c, j) || word_among(c, j, np_stops) || verb_at(c, j, &dummy))
        return e;
    size_t k = j;
    while (k + 1 < hi && is_word(c, k + 1) && !word_among(c, k + 1, np_stops) &&
           !verb_at(c, k + 1, &dummy) && !word_eq(c, k + 1, "of") &&
           k + 1 - j < KH_QUOTE_SPEAKER_WORDS)
        k++;
    return k;
}

/* The speaker phrase that starts at token i and stays below hi. */
static int np_after(const qctx *c, size_t i, size_t hi, size_t *s, size_t *e)
{
    size_t size_t_dummy = 0;
    if (i >= hi || !is_word(c, i)) return 0;
    if (word_among(c, i, pronouns)) { *s = *e = i; return 1; }
    size_t j = i;
    if (word_among(c, i, determiners)) {
        j = i + 1;
        if (!is_word(c, j) || j >= hi) return 0;
        while (j + 1 < hi && is_word(c, j + 1) && !word_among(c, j + 1, np_stops) &&
               !verb_at(c, j + 1, &size_t_dummy) && j + 1 - i < KH_QUOTE_SPEAKER_WORDS &&
               !word_eq(c, j + 1, "of"))
            j++;
    } else if (is_cap(c, i)) {
        size_t nx;
        while ((nx = name_next(c, j, hi)) != 0 && nx - i < KH_QUOTE_SPEAKER_WORDS) j = nx;
    } else if (!word_among(c, i, np_stops) && !verb_at(c, i, &size_t_dummy)) {
        /* "said officials", "said witnesses" */
        while (j + 1 < hi && is_lower(c, j + 1) && !word_among(c, j + 1, np_stops) &&
               !verb_at(c, j + 1, &size_t_dummy) && j + 1 - i < KH_QUOTE_SPEAKER_WORDS)
            j++;
    } else {
        return 0;
    }
    *s = i;
    *e = extend_of(c, j, hi);
    return 1;
}

/* The speaker phrase that ends just before token k and starts at or after lo. */
/* "Iran's foreign minister": when the phrase starting at b is the "s" of
 * a possessive, the speaker starts at the possessor's name. */
static size_t possessor_start(const qctx *c, size_t b, size_t lo)
{
    if (b < lo + 2 || !word_eq(c, b, "s") || !punct_eq(c, b - 1, '\'') ||
        !is_word(c, b - 2) || !is_cap(c, b - 2))
        return b;
    size_t pv, start = b - 2;
    while (name_prev(c, start, lo, &pv) && b - pv < KH_QUOTE_SPEAKER_WORDS)
        start = pv;
    return start;
}

static int np_before_plain(const qctx *c, size_t k, size_t lo, size_t *s, size_t *e)
{
    size_t dummy;
    if (k == 0 || k - 1 < lo || !is_word(c, k - 1)) return 0;
    size_t j = k - 1, b = j;
    if (word_among(c, j, pronouns)) { *s = *e = j; return 1; }
    if (word_among(c, j, np_stops) || word_among(c, j, determiners)) return 0;
    if (is_cap(c, j)) {
        size_t pv;
        while (name_prev(c, b, lo, &pv) && j - pv < KH_QUOTE_SPEAKER_WORDS) b = pv;
        if (b > lo && word_among(c, b - 1, determiners)) b--;
    } else {
        while (b > lo && !word_among(c, b, determiners) && is_word(c, b - 1) &&
               !word_among(c, b - 1, np_stops) && !verb_at(c, b - 1, &dummy) &&
               !word_eq(c, b - 1, "of") && j - b + 1 < KH_QUOTE_SPEAKER_WORDS)
            b--;
        b = possessor_start(c, b, lo);
    }
    /* "the chairman of the committee" */
    size_t s2, e2;
    if (b > lo + 1 && word_eq(c, b - 1, "of") && np_before_plain(c, b - 1, lo, &s2, &e2) &&
        !word_among(c, s2, pronouns))
        b = s2;
    *s = b;
    *e = j;
    return 1;
}

/* As np_before_plain, seeing through an appositive: "Smith, a spokesman, said". */
static int np_before(const qctx *c, size_t k, size_t lo, size_t *s, size_t *e)
{
    if (k > lo && punct_eq(c, k - 1, ',')) {
        for (size_t j = k - 1; j > lo && k - j <= KH_QUOTE_SPEAKER_WORDS + 1; j--)
            if (punct_eq(c, j - 1, ',')) return np_before_plain(c, j - 1, lo, s, e);
        return 0;
    }
    return np_before_plain(c, k, lo, s, e);
}

static void set_verb(part *p, size_t s, size_t e, const char *lemma)
{
    p->has_verb = 1;
    p->vb_s = s;
    p->vb_e = e;
    p->lemma = lemma;
}

/* `"...," the minister said.` / `"...," said Smith.` / `..., according to X.` */
static int attribute_after(const qctx *c, part *p)
{
    size_t a = p->close + 1, last, s, e;
    if (!p->closed || a >= c->n || c->v[a].para) return 0;
    /* A quotation that ends its sentence is rarely followed by its speaker,
     * unless the next word is lowercase ("he said", "said"). */
    if (p->close > 0 && punct_eq(c, p->close - 1, '.') && !is_lower(c, a)) return 0;
    size_t start = punct_eq(c, a, ',') ? a + 1 : a;
    for (size_t k = start; k < c->n && k < start + KH_QUOTE_ATTRIBUTION_WORDS; k++) {
        if (c->v[k].fam != FAM_NONE || c->v[k].para || ends_sentence(c, k)) return 0;
        const char *lemma = verb_at(c, k, &last);
        if (!lemma) continue;
        set_verb(p, k, last, lemma);
        size_t hi = last + 1;
        while (hi < c->n && (c->v[hi].kind == QT_WORD || abbrev_period(c, hi)) &&
               hi - last <= KH_QUOTE_SPEAKER_WORDS)
            hi++;
        int found = k == start ? np_after(c, last + 1, hi, &s, &e)
                               : (np_before(c, k, start, &s, &e) ||
                                  np_after(c, last + 1, hi, &s, &e));
        if (found) {
            p->has_sp = 1;
            p->sp_s = s;
            p->sp_e = e;
        }
        return 1;
    }
    return 0;
}

/* `The chairman asked: "..."` / `He said the plan was "dead".` */
static int attribute_before(const qctx *c, part *p)
{
    size_t o = p->open, last, s, e;
    if (o == 0 || c->v[o].para) return 0;
    size_t lo = o;
    while (lo > 0 && o - lo < 2 * KH_QUOTE_ATTRIBUTION_WORDS && c->v[lo - 1].fam == FAM_NONE &&
           !ends_sentence(c, lo - 1) && !c->v[lo].para)
        lo--;
    for (size_t k = o; k-- > lo;) {
        const char *lemma = verb_at(c, k, &last);
        if (!lemma || last >= o) continue;
        set_verb(p, k, last, lemma);
        if (np_before(c, k, lo, &s, &e) || np_after(c, last + 1, o, &s, &e)) {
            p->has_sp = 1;
            p->sp_s = s;
            p->sp_e = e;
        }
        return 1;
    }
    return 0;
}

static void attribute(const qctx *c, part *p)
{
    if (p->open > 0 && punct_eq(c, p->open - 1, ':') && attribute_before(c, p)) return;
    if (attribute_after(c, p)) return;
    attribute_before(c, p);
}

/* ---------------------------------------------------------------------
 * Pass 3: inheritance and pronouns
 * --------------------------------------------------------------------- */

static void inherit(part *to, const part *from)
{
    to->has_sp = from->has_sp;
    to->sp_s = from->sp_s;
    to->sp_e = from->sp_e;
    to->has_verb = from->has_verb;
    to->vb_s = from->vb_s;
    to->vb_e = from->vb_e;
    to->lemma = from->lemma;
    to->inherited = 1;
}

static int same_paragraph(const qctx *c, size_t from, size_t to)
{
    for (size_t k = from + 1; k <= to && k < c->n; k++)
        if (c->v[k].para) return 0;
    return 1;
}

/* `"A," the minister said. "B."`: B follows its speaker's attribution. */
static int follows_attribution(const qctx *c, const part *p, const part *q)
{
    return q->has_verb && p->open - q->close <= KH_QUOTE_ATTRIBUTION_WORDS + 2 &&
           same_paragraph(c, q->close, p->open);
}

static void fill_speakers(const qctx *c, parts *ps)
{
    /* Follow-up quotations first: a named speaker in the same paragraph
     * beats a pronoun at the end of a continuation chain. */
    for (size_t i = 1; i < ps->n; i++)
        if (!ps->v[i].has_verb && !ps->v[i].continued &&
            follows_attribution(c, &ps->v[i], &ps->v[i - 1]))
            inherit(&ps->v[i], &ps->v[i - 1]);
    /* A chain's attribution often comes with its last paragraph. */
    for (size_t i = ps->n; i-- > 1;)
        if (ps->v[i].continued && !ps->v[i - 1].has_verb && ps->v[i].has_verb)
            inherit(&ps->v[i - 1], &ps->v[i]);
    for (size_t i = 1; i < ps->n; i++)
        if (!ps->v[i].has_verb && ps->v[i - 1].has_verb &&
            (ps->v[i].continued || follows_attribution(c, &ps->v[i], &ps->v[i - 1])))
            inherit(&ps->v[i], &ps->v[i - 1]);
}

/* Tracks the last name-like runs of capitalised words outside quotations.
 * A pronoun prefers the last run of two or more words ("Foreign Minister
 * Sergei Lavrov"): single capitalised words are more often places. */
typedef struct name_cursor {
    size_t at;              /* next token to look at */
    size_t part;            /* next quotation part to skip */
    size_t s1, e1;          /* the last one-word name; e1 == 0: none */
    size_t s2, e2;          /* the last longer name; e2 == 0: none */
} name_cursor;

static const char *const not_names[] = {
    "the", "a", "an", "he", "she", "they", "it", "we", "i", "in", "on", "at",
    "but", "and", "this", "that", "monday", "tuesday", "wednesday", "thursday",
    "friday", "saturday", "sunday", 0};

/* The capitalised word after token j, through a hyphen: "Amir-Abdollahian". */
static size_t next_name_word(const qctx *c, size_t j, size_t to)
{
    if (j + 1 < to && is_cap(c, j + 1) && !word_among(c, j + 1, not_names)) return j + 1;
    if (j + 2 < to && punct_eq(c, j + 1, '-') && adj(c, j, j + 1) && adj(c, j + 1, j + 2) &&
        is_cap(c, j + 2))
        return j + 2;
    return 0;
}

static void cursor_advance(const qctx *c, const parts *ps, name_cursor *nc, size_t to)
{
    while (nc->at < to && nc->at < c->n) {
        if (nc->part < ps->n && nc->at >= ps->v[nc->part].open) {
            nc->at = ps->v[nc->part].close + 1; /* skip the quoted words */
            nc->part++;
            continue;
        }
        size_t i = nc->at, j = i, words = 1, nx;
        if (!is_cap(c, i) || word_among(c, i, not_names)) { nc->at++; continue; }
        while ((nx = next_name_word(c, j, to)) != 0) { j = nx; words++; }
        int sentence_start = c->v[i].para || (i > 0 && ends_sentence(c, i - 1)) ||
                             (i > 0 && c->v[i - 1].fam != FAM_NONE);
        if (words > 1) { nc->s2 = c->v[i].s; nc->e2 = c->v[j].e; }
        else if (!sentence_start) { nc->s1 = c->v[i].s; nc->e1 = c->v[j].e; }
        nc->at = j + 1;
    }
}

static void resolve_refs(const qctx *c, parts *ps)
{
    name_cursor nc = {0, 0, 0, 0, 0, 0};
    size_t last_ref_s = 0, last_ref_e = 0; /* the previous non-pronoun speaker */
    for (size_t i = 0; i < ps->n; i++) {
        part *p = &ps->v[i];
        if (!p->has_sp) continue;
        if (!word_among(c, p->sp_s, pronouns)) {
            p->ref_s = c->v[p->sp_s].s;
            p->ref_e = c->v[p->sp_e].e;
            last_ref_s = p->ref_s;
            last_ref_e = p->ref_e;
            continue;
        }
        if (!word_among(c, p->sp_s, third_person)) continue;
        cursor_advance(c, ps, &nc, p->sp_s); /* a no-op when behind */
        /* The nearer of the last name and the last speaker. */
        size_t ns = nc.e2 ? nc.s2 : nc.s1, ne = nc.e2 ? nc.e2 : nc.e1;
        if (ne && (last_ref_e == 0 || ns > last_ref_s)) {
            p->ref_s = ns;
            p->ref_e = ne;
        } else {
            p->ref_s = last_ref_s;
            p->ref_e = last_ref_e;
        }
    }
}

/* ---------------------------------------------------------------------
 * Public API
 * --------------------------------------------------------------------- */

static void export_part(const qctx *c, const part *p, kh_quote *q)
{
    memset(q, 0, sizeof *q);
    q->start = c->v[p->open].e;
    q->end = p->closed ? c->v[p->close].s : c->v[p->close - 1].e;
    /* The comma before the attribution belongs to it, not to the quotation. */
    while (q->end > q->start && (c->t[q->end - 1] == ',' || c->t[q->end - 1] == ' '))
        q->end--;
    /* « Guillemets » come with spaces inside. */
    while (q->start < q->end && c->t[q->start] == ' ') q->start++;
    if (q->end < q->start) q->end = q->start;
    if (p->has_sp) {
        q->speaker_start = c->v[p->sp_s].s;
        q->speaker_end = c->v[p->sp_e].e;
        q->ref_start = p->ref_s;
        q->ref_end = p->ref_e;
    }
    if (p->has_verb) {
        q->verb_start = c->v[p->vb_s].s;
        q->verb_end = c->v[p->vb_e].e;
        q->verb = kh_xstrdup(p->lemma);
    }
    q->continued = p->continued;
    q->inherited = p->inherited;
}

/* The text holds a mark that can open a quotation: a straight ", an
 * opening guillemet or an opening curly quote (U+2018, U+201C); closing
 * marks alone open nothing, since pair_marks starts only at an opening
 * or a straight mark.  Most documents have none, and then nothing need
 * be cut into tokens. */
static int may_quote(const char *text, size_t len)
{
    const unsigned char *p = (const unsigned char *)text, *end = p + len, *at;
    if (memchr(p, '"', len))
        return 1;
    for (at = p; (at = memchr(at, 0xC2, (size_t)(end - at))) && end - at >= 2; at++)
        if (at[1] == 0xAB)
            return 1;
    for (at = p; (at = memchr(at, 0xE2, (size_t)(end - at))) && end - at >= 3; at++)
        if (at[1] == 0x80 && (at[2] == 0x98 || at[2] == 0x9C))
            return 1;
    return 0;
}

size_t kh_quotes_find(const char *text, size_t len, kh_quote **out)
{
    *out = NULL;
    if (!text || len == 0 || !may_quote(text, len)) return 0;
    qtoks t = {0};
    q_tokenize(text, len, &t);
    qctx c = {text, t.v, t.n};
    parts ps = {0};
    pair_marks(&c, &ps);
    for (size_t i = 0; i < ps.n; i++) attribute(&c, &ps.v[i]);
    fill_speakers(&c, &ps);
    resolve_refs(&c, &ps);
    if (ps.n > 0) {
        *out = kh_xcalloc(ps.n, sizeof **out);
        for (size_t i = 0; i < ps.n; i++) export_part(&c, &ps.v[i], &(*out)[i]);
    }
    size_t n = ps.n;
    free(ps.v);
    free(t.v);
    return n;
}

void kh_quotes_free(kh_quote *q, size_t n)
{
    if (!q) return;
    for (size_t i = 0; i < n; i++) free(q[i].verb);
    free(q);
}

const kh_quote *kh_quote_at(const kh_quote *quotes, size_t n, size_t start, size_t end)
{
    size_t lo = 0, hi = n;
    while (lo < hi) { /* the first quotation that ends after start */
        size_t mid = lo + (hi - lo) / 2;
        if (quotes[mid].end <= start) lo = mid + 1;
        else hi = mid;
    }
    return lo < n && quotes[lo].start < end ? &quotes[lo] : NULL;
}
