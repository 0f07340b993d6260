/*
 * dict_actors.c -- reads .actors and .agents dictionaries (TABARI and
 * PETRARCH; the formats are nearly the same).
 *
 * Actors:
 *     PHRASE [CODE] [CODE <YYMMDD] ...     a primary entry
 *     +PHRASE                              a synonym: shares the codes
 *         [CODE 950601-990815]             an indented restriction line
 *     <NOUN> ... </NOUN>, <ADJECTIVE> ...  TABARI word lists: skipped
 * Restrictions: "<D" (until D), ">D" (from D), "D-D", and a bare "D",
 * which the Phoenix files use for "from D on" ("[USAGOV 19820101] #
 * entered Foreign Service"), so it is read as ">D".  Dates are YYMMDD or
 * YYYYMMDD; anything else (the 7-digit typos of the Phoenix files) is
 * reported and that one code dropped.
 *
 * Actor words joined by "_" are consecutive; a blank lets a word or two
 * come between them in the text (see the note before actor_line).
 *
 * Agents:
 *     PHRASE {PLURAL ...} [~CODE]  or  [CODE~]
 *     !PERSON! = MAN, MEN, WOMAN   a substitution set, used as
 *     CONGRESS!PERSON! [~LEG]      -> CONGRESSMAN, CONGRESSMEN, ...
 * "{}" means "no plural" (PETRARCH dictionaries.rst): the last word gets
 * KH_WORD_NOENDINGS.  Explicit plurals become entries of their own, and
 * then neither form takes regular endings; nor do substituted forms.
 */
#include "dict_read.h"
#include "kh_limits.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- syntax ---- */

/* TABARI files say so with ";" comments, word-list sections or the
 * ~FINISH mark; PETRARCH files use "#" and "<!-- -->" (TABARI ones may
 * too).  Only stemming depends on the answer. */
static int ends_with(const char *name, const char *suffix)
{
    size_t n = strlen(name), k = strlen(suffix);
    return n >= k && strcasecmp(name + n - k, suffix) == 0;
}

static kh_syntax detect_list_syntax(const char *name, const char *text, size_t len)
{
    const char *p = text, *end = text + len;
    /* Only a line with a ';' can hold a TABARI comment, so only such a
     * line is read mark by mark; `semi` is the first ';' not before p.
     * Most files have a few, all in their header comments. */
    const char *semi = memchr(text, ';', len);
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *stop = nl ? nl : end;
        int has_semicolon = semi && semi < stop;
        int in_brackets = 0;
        for (const char *q = has_semicolon ? kh_next_comment_mark(p, stop) : stop; q < stop;
             q = kh_next_comment_mark(q + 1, stop)) {
            if (*q == '[') in_brackets = 1;
            else if (*q == ']') in_brackets = 0;
            else if (*q == '#' && !in_brackets) break;
            else if (*q == ';' && !in_brackets) return KH_SYNTAX_TABARI;
        }
        if (has_semicolon)
            semi = memchr(stop, ';', (size_t)(end - stop));
        if ((stop - p >= 6 && (memcmp(p, "<NOUN>", 6) == 0 || memcmp(p, "~FINIS", 6) == 0)) ||
            (stop - p >= 11 && memcmp(p, "<ADJECTIVE>", 11) == 0))
            return KH_SYNTAX_TABARI;
        p = nl ? nl + 1 : end;
    }
    /* No sign either way: TABARI names its files NAME.actors, PETRARCH
     * NAME.actors.txt. */
    return ends_with(name, ".actors") || ends_with(name, ".agents")
               ? KH_SYNTAX_TABARI : KH_SYNTAX_PETRARCH2;
}

/* ---- section skipping (<NOUN> ... </NOUN>) ---- */

/* Returns 1 if the line opened or closed a section or lies inside one.
 * *tag is the open section's name (owned), NULL when none. */
static int in_skipped_section(const kh_line *line, char **tag, kh_dict_read_stats *st)
{
    if (*tag) {
        st->skipped++;
        if (line->text[0] == '<' && line->text[1] == '/' &&
            strncmp(line->text + 2, *tag, strlen(*tag)) == 0) {
            free(*tag);
            *tag = NULL;
        }
        return 1;
    }
    if (line->text[0] == '<' && line->text[1] == '/')
        return 1;                             /* stray closing tag */
    const char *name;
    size_t n = kh_line_section_tag(line, &name);
    if (n == 0)
        return 0;
    *tag = kh_xstrndup(name, n);
    st->skipped++;
    return 1;
}

/* ---- codes in brackets ---- */

static int is_date_char(char c) { return (c >= '0' && c <= '9'); }


static int is_actor_code_char(char ch)
{
    return (ch >= 'A' && ch <= 'Z') || is_date_char(ch) || ch == '/' || ch == '-' ||
           ch == '#' || ch == '+' || ch == '_';
}

/* Why code[0..c) is not an actor code, or NULL if it is one.  A code
 * without letters that looks like a date is a date whose code was
 * forgotten ("[950601]", "[950601-990815]"). */
static const char *actor_code_problem(const char *code, size_t c)
{
    int letters = 0, digits_only = 1;
    for (size_t i = 0; i < c; i++) {
        char ch = (code[i] >= 'a' && code[i] <= 'z') ? (char)(code[i] - 32) : code[i];
        if (!is_actor_code_char(ch))
            return "bad character in actor code";
        letters |= ch >= 'A' && ch <= 'Z';
        digits_only &= is_date_char(ch);
    }
    if (c == 0 || (!letters && digits_only) ||
        (!letters && c > 3 && memchr(code, '-', c) && is_date_char(code[0])))
        return "missing actor code before the date";
    return NULL;
}

/* Parses the inside of one "[...]" of an actor entry: the code, read in
 * place however long, then an optional date restriction. */
static int parse_dated_code(kh_dict *dict, const char *t, size_t n,
                            kh_dated_code *out, const char **why)
{
    kh_trim(&t, &n);
    memset(out, 0, sizeof *out);
    const char *code = t;
    size_t c = 0;
    if (n >= 5 && memcmp(t, "- - -", 5) == 0) {
        code = "---", c = 3;
        t += 5, n -= 5;
    } else {
        while (c < n && t[c] != ' ' && t[c] != '\t' && t[c] != '<' && t[c] != '>')
            c++;
        t += c, n -= c;
    }
    if ((*why = actor_code_problem(code, c)))
        return -1;
    out->code = kh_dict_intern_upper(dict, code, c);
    kh_trim(&t, &n);
    if (n == 0)
        return 0;
    char op = *t;
    if (op == '<' || op == '>') {
        t++, n--;
        long d = kh_dict_date_parse(t, n);
        if (d < 0) {
            *why = "bad date (want YYMMDD or YYYYMMDD)";
            return -1;
        }
        if (op == '<') out->to = d; else out->from = d;
        return 0;
    }
    const char *dash = memchr(t, '-', n);
    if (!dash) {
        long d = kh_dict_date_parse(t, n);
        if (d < 0) {
            *why = "bad date (want YYMMDD or YYYYMMDD)";
            return -1;
        }
        out->from = d;          /* a bare date: the role starts then */
        return 0;
    }
    long from = kh_dict_date_parse(t, (size_t)(dash - t));
    long to = kh_dict_date_parse(dash + 1, n - (size_t)(dash - t) - 1);
    if (from < 0 || to < 0) {
        *why = "bad date range (want D-D with YYMMDD or YYYYMMDD)";
        return -1;
    }
    out->from = from;
    out->to = to;
    return 0;
}

/* ---- actors ---- */

typedef struct actor_reader {
    kh_dict *dict;
    const char *file;
    kh_diag *diag;
    kh_dict_read_stats *st;
    int stems;
    kh_code_set *set;               /* the current group's codes */
    int primary;                    /* index of its first entry */
    KH_VEC(kh_dated_code) codes;    /* collected until the group ends */
} actor_reader;

static void end_group(actor_reader *r)
{
    if (!r->set)
        return;
    r->set->count = (int)r->codes.count;
    if (r->codes.count) {
        r->set->items = kh_arena_alloc(&r->dict->arena,
                                       r->codes.count * sizeof *r->set->items);
        memcpy(r->set->items, r->codes.items, r->codes.count * sizeof *r->set->items);
    }
    r->codes.count = 0;
    r->set = NULL;
}

/* Reads every "[...]" in t; returns -1 after reporting if one is bad (the
 * good ones are kept). */
static int read_code_blocks(actor_reader *r, const char *t, size_t n, long line)
{
    int rc = 0;
    while (n) {
        kh_trim(&t, &n);
        if (!n)
            break;
        if (*t != '[') {
            kh_diag_report(r->diag, KH_WARNING, r->file, line,
                           "text after the actor codes ignored");
            break;
        }
        const char *close = memchr(t, ']', n);
        if (!close) {
            kh_diag_report(r->diag, KH_ERROR, r->file, line, "missing ']'");
            return -1;
        }
        kh_dated_code dc;
        const char *why = NULL;
        if (parse_dated_code(r->dict, t + 1, (size_t)(close - t - 1), &dc, &why) == 0) {
            dc.line = line;
            *KH_VEC_PUSH(&r->codes) = dc;
        }
        else {
            kh_diag_report(r->diag, KH_ERROR, r->file, line, "%s: [%.*s]", why,
                           (int)(close - t - 1), t + 1);
            rc = -1;
        }
        n -= (size_t)(close + 1 - t);
        t = close + 1;
    }
    return rc;
}

/* Words joined by "_" in a phrase are consecutive (kh_phrase_parse
 * marks them); words separated by a blank may have a word or two between
 * them in the text, in TABARI and PETRARCH alike: "ITHILEN TELEVISION"
 * names "Ithilen state-run television". */

static void actor_line(actor_reader *r, const kh_line *line)
{
    const char *t = line->text;
    size_t n = line->len;
    if (*t == '[') {                    /* a restriction line */
        if (!r->set) {
            kh_diag_report(r->diag, KH_ERROR, r->file, line->number,
                           "code line without an actor before it");
            r->st->rejected++;
            return;
        }
        if (read_code_blocks(r, t, n, line->number) < 0)
            r->st->rejected++;
        return;
    }
    int synonym = *t == '+';
    if (synonym)
        t++, n--;
    const char *bracket = memchr(t, '[', n);
    size_t plen = bracket ? (size_t)(bracket - t) : n;
    kh_phrase ph;
    if (!kh_has_word(t, plen) || kh_phrase_parse(r->dict, t, plen, r->stems, &ph) < 0) {
        kh_diag_report(r->diag, KH_ERROR, r->file, line->number,
                       "actor entry without a phrase: '%.*s'", (int)n, t);
        r->st->rejected++;
        return;
    }
    if (synonym && !r->set) {
        kh_diag_report(r->diag, KH_WARNING, r->file, line->number,
                       "synonym '+' without an actor before it; read as an actor");
        synonym = 0;
    }
    if (!synonym) {
        end_group(r);
        r->set = kh_arena_alloc(&r->dict->arena, sizeof *r->set);
        r->primary = (int)r->dict->actors.count;
    }
    kh_actor *a = KH_VEC_PUSH(&r->dict->actors);
    a->phrase = ph;
    a->codes = r->set;
    a->primary = r->primary;
    a->origin.file = r->file;
    a->origin.line = line->number;
    r->st->entries++;
    if (bracket && read_code_blocks(r, bracket, n - plen, line->number) < 0)
        r->st->rejected++;
}

int kh_dict_read_actors(kh_dict *dict, const char *name, const char *text,
                   size_t len, kh_diag *diag, kh_dict_read_stats *stats)
{
    kh_dict_read_stats local;
    kh_dict_read_stats *st = stats ? stats : &local;
    memset(st, 0, sizeof *st);
    st->syntax = detect_list_syntax(name, text, len);
    actor_reader r = {dict, name, diag, st, st->syntax == KH_SYNTAX_TABARI, NULL, 0, {0}};
    kh_scanner sc;
    kh_line line;
    char *tag = NULL;
    kh_scanner_init(&sc, text, len);
    while (kh_scanner_next(&sc, &line)) {
        if (kh_line_is_finish(&line))
            break;
        st->lines++;
        if (in_skipped_section(&line, &tag, st)) {
            end_group(&r);
            continue;
        }
        actor_line(&r, &line);
    }
    end_group(&r);
    free(tag);
    KH_VEC_FREE(&r.codes);
    kh_scanner_free(&sc);
    return (st->entries == 0 && st->rejected > 0) ? -1 : 0;
}

/* ---- agents ---- */

/* A substitution set: "!PERSON! = MAN, MEN". */
typedef struct subst_set {
    const char *marker;             /* "!PERSON!" */
    size_t marker_len;
    const char **items;
    int count;
} subst_set;

typedef struct agent_reader {
    kh_dict *dict;
    const char *file;
    kh_diag *diag;
    kh_dict_read_stats *st;
    int stems;
    KH_VEC(subst_set) substs;
    const char *code;
    int prefix;
    long line;
    long expansions;        /* entries this line has made so far */
} agent_reader;

static int read_subst_set(agent_reader *r, const kh_line *line)
{
    const char *t = line->text;
    const char *eq = memchr(t, '=', line->len);
    const char *bang = memchr(t + 1, '!', line->len - 1);
    if (!eq || !bang || bang > eq)
        return 0;
    subst_set *s = KH_VEC_PUSH(&r->substs);
    s->marker_len = (size_t)(bang - t + 1);
    s->marker = kh_dict_intern_upper(r->dict, t, s->marker_len);
    const char *p = eq + 1, *end = t + line->len;
    int cap = 1;
    for (const char *q = p; q < end; q++)
        cap += *q == ',';
    s->items = kh_arena_alloc(&r->dict->arena, cap * sizeof *s->items);
    while (p < end) {
        const char *comma = memchr(p, ',', (size_t)(end - p));
        const char *stop = comma ? comma : end;
        const char *w = p;
        size_t wn = (size_t)(stop - p);
        kh_trim(&w, &wn);
        if (wn)
            s->items[s->count++] = kh_dict_intern_upper(r->dict, w, wn);
        p = comma ? comma + 1 : end;
    }
    return 1;
}

static void add_agent(agent_reader *r, const char *t, size_t n, int no_endings)
{
    kh_phrase ph;
    if (!kh_has_word(t, n) || kh_phrase_parse(r->dict, t, n, r->stems, &ph) < 0) {
        kh_diag_report(r->diag, KH_ERROR, r->file, r->line, "agent without a phrase: '%.*s'",
                       (int)n, t);
        r->st->rejected++;
        return;
    }
    if (no_endings)
        ph.flags[ph.count - 1] |= KH_WORD_NOENDINGS;
    kh_agent *a = KH_VEC_PUSH(&r->dict->agents);
    a->phrase = ph;
    a->code = r->code;
    a->prefix = r->prefix;
    a->origin.file = r->file;
    a->origin.line = r->line;
    r->st->entries++;
}

/* Adds the phrase with every !MARKER! replaced by each item of its set. */
static void expand_agent(agent_reader *r, const char *t, size_t n, int no_endings, int depth)
{
    const char *bang = memchr(t, '!', n);
    if (!bang) {
        if (++r->expansions <= KH_AGENT_MAX_EXPANSIONS)
            add_agent(r, t, n, no_endings);
        return;
    }
    if (depth >= KH_AGENT_MAX_MARKERS)
        return;             /* a set item naming a marker: reported once by
                               add_agent_phrase, not once per branch */
    const char *close = memchr(bang + 1, '!', n - (size_t)(bang + 1 - t));
    size_t mlen = close ? (size_t)(close - bang + 1) : 0;
    const subst_set *set = NULL;
    for (size_t i = 0; close && i < r->substs.count; i++)
        if (r->substs.items[i].marker_len == mlen &&
            strncasecmp(r->substs.items[i].marker, bang, mlen) == 0)
            set = &r->substs.items[i];
    if (!set) {
        kh_diag_report(r->diag, KH_ERROR, r->file, r->line,
                       "unknown substitution marker in '%.*s'", (int)n, t);
        r->st->rejected++;
        return;
    }
    size_t before = (size_t)(bang - t), after = n - before - mlen;
    for (int k = 0; k < set->count && r->expansions <= KH_AGENT_MAX_EXPANSIONS; k++) {
        size_t ilen = strlen(set->items[k]);
        char *buf = kh_xmalloc(before + ilen + after + 1);
        memcpy(buf, t, before);
        memcpy(buf + before, set->items[k], ilen);
        memcpy(buf + before + ilen, bang + mlen, after);
        expand_agent(r, buf, before + ilen + after, 1, depth + 1);
        free(buf);
    }
}

/* Checks the number of markers once, then expands. */
static void add_agent_phrase(agent_reader *r, const char *t, size_t n, int no_endings)
{
    size_t bangs = 0;
    for (size_t i = 0; i < n; i++)
        bangs += t[i] == '!';
    if (bangs / 2 > KH_AGENT_MAX_MARKERS) {
        kh_diag_report(r->diag, KH_ERROR, r->file, r->line,
                       "more than %d substitution markers in one agent", KH_AGENT_MAX_MARKERS);
        r->st->rejected++;
        return;
    }
    r->expansions = 0;
    expand_agent(r, t, n, no_endings, 0);
    if (r->expansions > KH_AGENT_MAX_EXPANSIONS) {
        kh_diag_report(r->diag, KH_ERROR, r->file, r->line,
                       "agent expands to more than %d entries; kept the first %d",
                       KH_AGENT_MAX_EXPANSIONS, KH_AGENT_MAX_EXPANSIONS);
        r->st->rejected++;
    }
}

/* Reads "~CODE" (a suffix agent) or "CODE~" (a prefix); blanks inside
 * the brackets are not part of the code: "[ ~GOVPRS ]". */
static int parse_agent_code(agent_reader *r, const char *t, size_t n)
{
    char *code = kh_arena_alloc(&r->dict->arena, n + 1);
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        if (t[i] != ' ' && t[i] != '\t')
            code[c++] = t[i];
    code[c] = 0;
    if (c < 2 || (code[0] == '~') == (code[c - 1] == '~'))
        return -1;
    kh_upper_ascii(code, c);
    r->prefix = code[c - 1] == '~';
    if (r->prefix)
        code[c - 1] = 0;
    r->code = r->prefix ? code : code + 1;
    return 0;
}

static void agent_line(agent_reader *r, const kh_line *line)
{
    const char *t = line->text;
    size_t n = line->len;
    r->line = line->number;
    if (*t == '!' && read_subst_set(r, line))
        return;
    const char *open = memchr(t, '[', n);
    const char *close = open ? memchr(open, ']', n - (size_t)(open - t)) : NULL;
    if (!open || !close) {
        kh_diag_report(r->diag, KH_ERROR, r->file, line->number,
                       open ? "missing ']'" : "agent without a [~CODE]");
        r->st->rejected++;
        return;
    }
    if (parse_agent_code(r, open + 1, (size_t)(close - open - 1)) < 0) {
        kh_diag_report(r->diag, KH_ERROR, r->file, line->number,
                       "agent code needs one '~' before or after it: [%.*s]",
                       (int)(close - open - 1), open + 1);
        r->st->rejected++;
        return;
    }
    const char *brace = memchr(t, '{', (size_t)(open - t));
    size_t plen = (size_t)((brace ? brace : open) - t);
    if (!brace) {
        add_agent_phrase(r, t, plen, 0);
        return;
    }
    const char *end = memchr(brace, '}', (size_t)(open - brace));
    if (!end) {
        kh_diag_report(r->diag, KH_ERROR, r->file, line->number, "missing '}'");
        r->st->rejected++;
        return;
    }
    add_agent_phrase(r, t, plen, 1);
    const char *p = brace + 1;
    while (p < end) {                   /* plurals, blank-separated */
        while (p < end && (*p == ' ' || *p == '\t'))
            p++;
        const char *w = p;
        while (p < end && *p != ' ' && *p != '\t')
            p++;
        if (p > w)
            add_agent_phrase(r, w, (size_t)(p - w), 1);
    }
}

int kh_dict_read_agents(kh_dict *dict, const char *name, const char *text,
                   size_t len, kh_diag *diag, kh_dict_read_stats *stats)
{
    kh_dict_read_stats local;
    kh_dict_read_stats *st = stats ? stats : &local;
    memset(st, 0, sizeof *st);
    st->syntax = detect_list_syntax(name, text, len);
    agent_reader r = {0};
    r.dict = dict;
    r.file = name;
    r.diag = diag;
    r.st = st;
    r.stems = st->syntax == KH_SYNTAX_TABARI;
    kh_scanner sc;
    kh_line line;
    char *tag = NULL;
    kh_scanner_init(&sc, text, len);
    while (kh_scanner_next(&sc, &line)) {
        if (kh_line_is_finish(&line))
            break;
        st->lines++;
        if (in_skipped_section(&line, &tag, st))
            continue;
        agent_line(&r, &line);
    }
    free(tag);
    KH_VEC_FREE(&r.substs);
    kh_scanner_free(&sc);
    return (st->entries == 0 && st->rejected > 0) ? -1 : 0;
}
