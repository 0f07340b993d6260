/*
 * dict_lists.c -- reads the PETRARCH discard and issue lists.
 *
 * Both are plain string matches on the sentence, so their words are
 * consecutive (KH_WORD_NEXT after the first).
 *
 * Discards:   PHRASE        discard the sentence
 *             +PHRASE       discard the whole story
 * A phrase not ending in "_" matches as a stem: its last word gets
 * KH_WORD_STEM (PETRARCH dictionaries.rst, "Discard List").
 *
 * Issues:     <ISSUE CATEGORY="NAME" ...> ... </ISSUE>
 *             n:word more words [CODE]     n: singular and plural
 *             v:word ... [CODE]            v: WORD, -S, -ED, -ING
 *             al+zarqawi ... [CODE]        +: "al zarqawi" / "al-zarqawi"
 *             ~phrase, ~~phrase            blocks issue coding (null)
 * Each expanded form is an entry of its own.  An entry without [CODE]
 * inside a category (Phoenix.IssueCoding.txt has some) takes the
 * category's name as its code; so do null entries (NULL outside one).
 */
#include "dict_read.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static void make_consecutive(kh_phrase *ph)
{
    for (int i = 1; i < ph->count; i++)
        ph->flags[i] |= KH_WORD_NEXT;
}

/* ---- discards ---- */

int kh_dict_read_discards(kh_dict *dict, const char *name, const char *text,
                     size_t len, kh_diag *diag, kh_dict_read_stats *stats)
{
    kh_dict_read_stats local;
    kh_dict_read_stats *st = stats ? stats : &local;
    memset(st, 0, sizeof *st);
    st->syntax = KH_SYNTAX_PETRARCH2;       /* only PETRARCH has the file */
    kh_scanner sc;
    kh_line line;
    kh_scanner_init(&sc, text, len);
    while (kh_scanner_next(&sc, &line)) {
        if (kh_line_is_finish(&line))
            break;
        st->lines++;
        const char *t = line.text;
        size_t n = line.len;
        int story = *t == '+';
        if (story)
            t++, n--;
        kh_trim(&t, &n);
        kh_phrase ph;
        if (memchr(t, '[', n) || kh_phrase_parse(dict, t, n, 0, &ph) < 0) {
            kh_diag_report(diag, KH_ERROR, name, line.number,
                           "not a discard phrase: '%s'", line.text);
            st->rejected++;
            continue;
        }
        make_consecutive(&ph);
        if (t[n - 1] != '_')
            ph.flags[ph.count - 1] |= KH_WORD_STEM;
        kh_discard *d = KH_VEC_PUSH(&dict->discards);
        d->phrase = ph;
        d->story = story;
        d->origin.file = name;
        d->origin.line = line.number;
        st->entries++;
    }
    kh_scanner_free(&sc);
    return 0;
}

/* ---- issues ---- */

/* Expansions of one word. */
enum { FORM_PLAIN, FORM_NOUN, FORM_VERB };

typedef struct issue_word {
    const char *text;
    size_t len;
    int form;
} issue_word;

static int is_vowel(char c) { return c == 'A' || c == 'E' || c == 'I' || c == 'O' || c == 'U'; }

static int ends(const char *w, size_t n, const char *suffix)
{
    size_t k = strlen(suffix);
    return n >= k && strncasecmp(w + n - k, suffix, k) == 0;
}

/* Writes the k-th form of a word into out; a form is at most 3 bytes
 * longer than the word (-ING, Y -> IES). */
static size_t word_form(const issue_word *w, int k, char *out)
{
    size_t n = w->len;
    memcpy(out, w->text, n);
    kh_upper_ascii(out, n);
    if (k == 0)
        return n;
    int cons_y = n >= 2 && out[n - 1] == 'Y' && !is_vowel(out[n - 2]);
    if (k == 1) {                       /* plural / third person: -S */
        if (cons_y)
            return n - 1 + (memcpy(out + n - 1, "IES", 3), 3);
        if (ends(out, n, "SS") || ends(out, n, "SH") || ends(out, n, "CH") || ends(out, n, "X"))
            return n + (memcpy(out + n, "ES", 2), 2);
        out[n] = 'S';
        return n + 1;
    }
    if (k == 2) {                       /* -ED */
        if (cons_y)
            return n - 1 + (memcpy(out + n - 1, "IED", 3), 3);
        if (out[n - 1] == 'E')
            return n + (out[n] = 'D', 1);
        return n + (memcpy(out + n, "ED", 2), 2);
    }
    if (out[n - 1] == 'E' && !ends(out, n, "EE"))   /* -ING */
        n--;
    memcpy(out + n, "ING", 3);
    return n + 3;
}

static int form_count(int form)
{
    return form == FORM_NOUN ? 2 : form == FORM_VERB ? 4 : 1;
}

typedef struct issue_reader {
    kh_dict *dict;
    const char *file;
    kh_diag *diag;
    kh_dict_read_stats *st;
    const char *category;
    KH_VEC(issue_word) words;
    char *buf;
    size_t cap;
} issue_reader;

static void add_issue(issue_reader *r, const char *t, size_t n,
                      const char *code, int null, long line)
{
    kh_phrase ph;
    if (kh_phrase_parse(r->dict, t, n, 0, &ph) < 0)
        return;
    make_consecutive(&ph);
    kh_issue *is = KH_VEC_PUSH(&r->dict->issues);
    is->phrase = ph;
    is->code = code;
    is->null = null;
    is->origin.file = r->file;
    is->origin.line = line;
    r->st->entries++;
}

/* Adds every combination of the words' forms, odometer-style. */
static void expand_issue(issue_reader *r, const char *code, int null, long line)
{
    size_t nw = r->words.count, need = 1;
    for (size_t i = 0; i < nw; i++)
        need += r->words.items[i].len + 4 + 1;
    if (need > r->cap) {
        r->cap = need * 2;
        r->buf = kh_xrealloc(r->buf, r->cap);
    }
    int *pick = kh_xcalloc(nw, sizeof *pick);  /* the form of each word */
    for (;;) {
        size_t n = 0;
        for (size_t i = 0; i < nw; i++) {
            if (i)
                r->buf[n++] = ' ';
            n += word_form(&r->words.items[i], pick[i], r->buf + n);
        }
        add_issue(r, r->buf, n, code, null, line);
        size_t i = 0;
        while (i < nw && ++pick[i] == form_count(r->words.items[i].form))
            pick[i++] = 0;
        if (i == nw)
            break;
    }
    free(pick);
}

/* Splits "pre+n:school ethnic v:purge" into words with their forms. */
static void split_issue_words(issue_reader *r, const char *t, size_t n)
{
    r->words.count = 0;
    size_t i = 0;
    while (i < n) {
        while (i < n && (t[i] == ' ' || t[i] == '\t' || t[i] == '+'))
            i++;
        if (i >= n)
            break;
        int form = FORM_PLAIN;
        if (i + 1 < n && t[i + 1] == ':' && (t[i] == 'n' || t[i] == 'N' || t[i] == 'v' || t[i] == 'V')) {
            form = (t[i] == 'n' || t[i] == 'N') ? FORM_NOUN : FORM_VERB;
            i += 2;
        }
        size_t start = i;
        while (i < n && t[i] != ' ' && t[i] != '\t' && t[i] != '+')
            i++;
        if (i > start) {
            issue_word *w = KH_VEC_PUSH(&r->words);
            w->text = t + start;
            w->len = i - start;
            w->form = form;
        }
    }
}

static void issue_category(issue_reader *r, const kh_line *line)
{
    const char *cat = strstr(line->text, "CATEGORY=\"");
    if (!cat) {
        r->category = NULL;
        return;
    }
    cat += 10;
    const char *q = strchr(cat, '"');
    size_t n = q ? (size_t)(q - cat) : strlen(cat);
    r->category = kh_dict_intern_upper(r->dict, cat, n);
}

static void issue_line(issue_reader *r, const kh_line *line)
{
    const char *t = line->text;
    size_t n = line->len;
    if (strncasecmp(t, "<ISSUE", 6) == 0) {
        issue_category(r, line);
        return;
    }
    if (strncasecmp(t, "</ISSUE", 7) == 0) {
        r->category = NULL;
        return;
    }
    int null = 0;
    while (n && *t == '~')
        t++, n--, null = 1;
    const char *code = r->category;
    const char *open = memchr(t, '[', n);
    if (open) {
        const char *close = memchr(open, ']', n - (size_t)(open - t));
        const char *c = open + 1;
        size_t cn = close ? (size_t)(close - c) : 0;
        kh_trim(&c, &cn);
        if (!close || cn == 0) {
            kh_diag_report(r->diag, KH_ERROR, r->file, line->number,
                           close ? "empty issue code" : "missing ']'");
            r->st->rejected++;
            return;
        }
        char *cc = (char *)kh_dict_intern(r->dict, c, cn);
        kh_upper_ascii(cc, cn);
        code = cc;
        n = (size_t)(open - t);
    } else if (!null && !r->category) {
        kh_diag_report(r->diag, KH_ERROR, r->file, line->number,
                       "issue phrase without a [CODE]");
        r->st->rejected++;
        return;
    }
    split_issue_words(r, t, n);
    if (r->words.count == 0) {
        kh_diag_report(r->diag, KH_ERROR, r->file, line->number,
                       "issue entry without a phrase");
        r->st->rejected++;
        return;
    }
    expand_issue(r, code, null, line->number);
}

int kh_dict_read_issues(kh_dict *dict, const char *name, const char *text,
                   size_t len, kh_diag *diag, kh_dict_read_stats *stats)
{
    kh_dict_read_stats local;
    kh_dict_read_stats *st = stats ? stats : &local;
    memset(st, 0, sizeof *st);
    st->syntax = KH_SYNTAX_PETRARCH2;
    issue_reader r = {0};
    r.dict = dict;
    r.file = name;
    r.diag = diag;
    r.st = st;
    kh_scanner sc;
    kh_line line;
    kh_scanner_init(&sc, text, len);
    while (kh_scanner_next(&sc, &line)) {
        st->lines++;
        issue_line(&r, &line);
    }
    KH_VEC_FREE(&r.words);
    free(r.buf);
    kh_scanner_free(&sc);
    return 0;
}
