/* clean.c -- web boilerplate removal and datelines (see clean.h). */
#include "clean.h"
#include "date.h"
#include "text_scan.h"
#include "util.h"
#include "vec.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>


/* A line with at most this many words is "short": real news sentences are
 * longer, menu items, prompts and labels are not. */
#define KH_SHORT_LINE_WORDS 10
/* Bylines and staff blurbs run up to this many words ("Jane Doe is a
 * senior correspondent covering ... for the paper"). */
#define KH_BYLINE_MAX_WORDS 30
/* A link text in a list of related stories: headline length. */
#define KH_HEADLINE_MAX_WORDS 16
/* Navigation lists are runs of at least this many lines of at most
 * KH_NAV_ITEM_WORDS words each. */
#define KH_NAV_RUN_LINES 3
#define KH_NAV_ITEM_WORDS 4
/* Only lines up to this length count as repeated boilerplate; a long
 * sentence quoted twice is content. */
#define KH_REPEAT_MAX_BYTES 200
/* In hard-wrapped prose every line but the last is at least this long. */
#define KH_WRAPPED_LINE_MIN_BYTES 40
/* A photo caption is a sentence or two and its credit. */
#define KH_CAPTION_MAX_WORDS 50
/* A reader comment's header: a user name of at most this many words
 * ("Maria K."), or the name and the time on one line ("oldsoldier_1961 ·
 * 1 day ago"). */
#define KH_COMMENT_NAME_WORDS 3
#define KH_COMMENT_HEADER_WORDS 6
/* Comments come in threads: without a "Comments" heading, it takes this
 * many name-and-time headers to call a page's lines comments, so that
 * one byline over a timestamp never takes the story's lede with it. */
#define KH_COMMENT_MIN_HEADERS 2
/* Datelines are looked for at the start of this many non-blank lines (a
 * title and a caption may come first). */
#define KH_DATELINE_SEARCH_LINES 5
/* A dateline's month and day without a year may lie this many days after
 * the document's reference date (its file's modification date) and still
 * take the reference's year: time zones and a file copied on the day of
 * filing; any later it is last year's. */
#define KH_DATELINE_AHEAD_DAYS 1
/* A dateline's place has at most this many words, its outlet at most this
 * many bytes. */
#define KH_PLACE_MAX_WORDS 4
#define KH_OUTLET_MAX_BYTES 60

/* ---- words ---- */

typedef struct word {
    const char *s;        /* letters and digits, punctuation stripped */
    size_t n;
} word;

typedef KH_VEC(word) word_vec;

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
           c == '\v';
}

static int is_alnum(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c >= 0x80;
}

static int is_upper(unsigned char c) { return c >= 'A' && c <= 'Z'; }
static int is_digit(unsigned char c) { return c >= '0' && c <= '9'; }

static int word_is(const word *w, const char *lit)
{
    size_t i = 0;
    for (; i < w->n && lit[i]; i++) {
        char c = w->s[i];
        if (c >= 'A' && c <= 'Z')
            c += 32;
        if (c != lit[i])
            return 0;
    }
    return i == w->n && !lit[i];
}

static int word_in(const word *w, const char *const *list)
{
    for (; *list; list++)
        if (word_is(w, *list))
            return 1;
    return 0;
}

/* Splits text[0, n) into words; the pieces between spaces, trimmed of
 * punctuation.  Pieces with no letter or digit are not words. */
static size_t split_words(const char *s, size_t n, word_vec *out)
{
    out->count = 0;
    for (size_t i = 0; i < n;) {
        while (i < n && is_space((unsigned char)s[i]))
            i++;
        size_t b = i;
        while (i < n && !is_space((unsigned char)s[i]))
            i++;
        size_t e = i;
        while (b < e && !is_alnum((unsigned char)s[b]))
            b++;
        while (e > b && !is_alnum((unsigned char)s[e - 1]))
            e--;
        if (e > b)
            *KH_VEC_PUSH(out) = (word){s + b, e - b};
    }
    return out->count;
}

/* ---- word classes ---- */

/* Auxiliaries and common irregular verbs; regular verbs are recognised by
 * their endings. */
static const char *const verbs[] = {
    "is", "are", "was", "were", "be", "been", "has", "have", "had", "do",
    "does", "did", "will", "would", "can", "could", "may", "might", "must",
    "shall", "should", "say", "said", "tell", "told", "meet", "met", "hold",
    "held", "win", "won", "hit", "flee", "fled", "leave", "left", "take",
    "took", "give", "gave", "make", "made", "come", "came", "go", "went",
    "send", "sent", "strike", "struck", "begin", "began", "fight", "fought",
    "see", "saw", "shoot", "shot", "lead", "led", "beat", "break", "broke",
    "bring", "brought", "build", "built", "seize", "kill", "warn", "urge",
    "vow", "ban", "deny", "reject", "sign", "agree", "arrest", "attack",
    "condemn", "threaten", "visit", "accuse", "fall", "fell", "rise", "rose",
    "lose", "lost", "pay", "paid", "put", "sell", "sold", "set", "speak",
    "spoke", "stand", "stood", "think", "thought", "write", "wrote", NULL};

/* Words of web page chrome that look like verbs by their ending. */
static const char *const chrome[] = {
    "breaking", "trending", "loading", "sponsored", "related", "featured",
    "recommended", "advertisement", "comments", "posts", "articles", "news",
    "updates", "stories", "settings", "terms", "rights", "reserved", NULL};

static int ends_with(const word *w, const char *suffix)
{
    size_t k = strlen(suffix);
    if (w->n < k)
        return 0;
    word tail = {w->s + w->n - k, k};
    return word_is(&tail, suffix);
}

/* A guess, good enough to tell "Iran Warns U.S. Over Drills" (a headline)
 * from "Back to top button" (a label). */
static int verb_like(const word *w, size_t index, size_t count)
{
    if (word_in(w, chrome))
        return 0;
    if (word_in(w, verbs))
        return 1;
    if (w->n >= 5 && (ends_with(w, "ed") || ends_with(w, "ing")))
        return 1;
    /* Third-person -s, but not as the last word ("Related Articles"). */
    return w->n >= 4 && index > 0 && index + 1 < count && ends_with(w, "s") &&
           !ends_with(w, "ss") && !ends_with(w, "us") && !ends_with(w, "is");
}

static const char *const time_words[] = {
    "ago", "second", "seconds", "minute", "minutes", "min", "mins", "hour",
    "hours", "hr", "hrs", "day", "days", "week", "weeks", "month", "months",
    "year", "years", "am", "pm", "a.m", "p.m", "gmt", "utc", "est", "edt",
    "updated", "published", "posted", "last", "today", "yesterday", "jan",
    "january", "feb", "february", "mar", "march", "apr", "april", "may",
    "jun", "june", "jul", "july", "aug", "august", "sep", "sept",
    "september", "oct", "october", "nov", "november", "dec", "december",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
    "sunday", NULL};

/* Words that open a call to the reader when they start a short line. */
static const char *const reader_calls[] = {
    "please", "click", "tap", "share", "follow", "read", "watch", "listen",
    "subscribe", "sign", "log", "login", "enter", "leave", "back", "skip",
    "continue", "see", "view", "print", "email", "download", "join", "load",
    "show", "comment", "comments", "related", "advertisement", "sponsored",
    "more", "tweet", "like", "register", "accept", NULL};

/* Words that make a line a byline or staff note. */
static const char *const byline_roles[] = {
    "reporter", "reporters", "correspondent", "correspondents", "editor",
    "editors", "editing", "reporting", "writer", "writers", "writing",
    "columnist", "contributor", "contributed", "photographer", "staff",
    "compiled", "additional", NULL};

/* Photo credits, anywhere in a line: a caption ends with its credit
 * ("... on Tuesday. (AP Photo/Majdi Mohammed)", "... REUTERS/Muhammad
 * Hamed", "Photograph: Khalil Mazraawi/AFP via Getty Images"), or is one
 * ("Photo: Reuters").  Lower case; matched ignoring case. */
static const char *const credit_marks[] = {
    "ap photo", "photo:", "photos:", "photograph:", "getty images", "reuters/",
    "file photo", "photo credit", "image credit", "picture alliance", NULL};

/* Lines that open with these name a picture: "Image: AFP", "Credit: ...". */
static const char *const picture_labels[] = {"image", "images", "credit", "picture", NULL};

/* The first words of a heading over links to other stories ("Read more:",
 * "Related Coverage", "Most read", "See also"), by word: the first word,
 * then the words that may follow it. */
static const char *const link_heads[] = {"related", "recommended", NULL};
static const char *const link_head_tails[] = {
    "coverage", "stories", "articles", "content", "news", "reading", "links",
    "topics", "posts", "videos", NULL};
static const char *const most_tails[] = {"read", "popular", "viewed", "shared", "watched", NULL};

/* Whether lit (lower case) starts a word of s[0, n), ignoring case: "ap
 * photo" is in "(AP Photo/...)", not in "snap photos". */
static int contains_nocase(const char *s, size_t n, const char *lit)
{
    size_t k = strlen(lit);
    for (size_t i = 0; i + k <= n; i++) {
        size_t j = 0;
        if (i > 0 && is_alnum((unsigned char)s[i - 1]))
            continue;
        while (j < k && (s[i + j] | (is_upper((unsigned char)s[i + j]) ? 32 : 0)) == lit[j])
            j++;
        if (j == k)
            return 1;
    }
    return 0;
}

/* A photo caption or credit (credit_marks, picture_labels). */
static int caption_line(const char *s, size_t n, const word_vec *ws)
{
    if (ws->count == 0 || ws->count > KH_CAPTION_MAX_WORDS)
        return 0;
    for (size_t i = 0; credit_marks[i]; i++)
        if (contains_nocase(s, n, credit_marks[i]))
            return 1;
    const word *w = &ws->items[0];
    return word_in(w, picture_labels) && w->s + w->n < s + n && w->s[w->n] == ':';
}

/* How many of the line's first words are a links heading ("Read more",
 * "Related Coverage", "Most read", "See also", "Also read"); 0 if none. */
static size_t link_heading_words(const word_vec *ws)
{
    const word *w = ws->items;
    if (ws->count == 0)
        return 0;
    if (word_in(&w[0], link_heads))
        return ws->count > 1 && word_in(&w[1], link_head_tails) ? 2 : 1;
    if (ws->count < 2)
        return 0;
    if ((word_is(&w[0], "read") && word_is(&w[1], "more")) ||
        (word_is(&w[0], "see") && word_is(&w[1], "also")) ||
        (word_is(&w[0], "also") && word_is(&w[1], "read")) ||
        (word_is(&w[0], "most") && word_in(&w[1], most_tails)))
        return 2;
    return 0;
}

/* ---- the line judge ---- */

typedef struct line_facts {
    size_t words, verbs, times, numbers, capitals, separators;
    int final_stop;      /* ends with . ! ? or ... (quotes allowed after) */
    int quoted;          /* contains a quotation mark */
    int to_reader;       /* "you"/"your" */
    int byline;          /* shaped like a byline: "By ...", "(Reporting
                            by ...", "Jane Doe is a staff writer" */
    int starts_call;     /* first word opens a call to the reader */
    int starts_by;       /* "By Name" */
    int caption;         /* a photo caption or credit */
    int link_heading;    /* a links heading alone ("Related Coverage") */
    int link;            /* a heading and its link ("Read more: ...") */
    int ends_ago;        /* the last word is "ago" ("Maria · 5 hours ago") */
    int comments;        /* a comments heading ("42 Comments") */
} line_facts;

static int final_stop(const char *s, size_t n)
{
    while (n > 0 && (is_space((unsigned char)s[n - 1]) ||
                     strchr("\"')]", s[n - 1]) ||
                     (n >= 3 && (unsigned char)s[n - 3] == 0xE2 &&
                      (unsigned char)s[n - 2] == 0x80 &&
                      ((unsigned char)s[n - 1] == 0x9D ||
                       (unsigned char)s[n - 1] == 0x99)))) {
        if (!is_space((unsigned char)s[n - 1]) && (unsigned char)s[n - 1] >= 0x80)
            n -= 3;                             /* a closing curly quote */
        else
            n--;
    }
    return n > 0 && (s[n - 1] == '.' || s[n - 1] == '!' || s[n - 1] == '?' ||
                     (n >= 3 && !memcmp(s + n - 3, "\xE2\x80\xA6", 3)));
}

static size_t count_separators(const char *s, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '|' || s[i] == '>' || s[i] == '/')
            k++;
        else if (i + 1 < n && !memcmp(s + i, "\xC2\xBB", 2))   /* » */
            k++;
        else if (i + 1 < n && !memcmp(s + i, "\xC2\xB7", 2))   /* · */
            k++;
        else if (i + 2 < n && !memcmp(s + i, "\xE2\x80\xA2", 3)) /* • */
            k++;
    }
    return k;
}

static int has_curly_quote(const char *s, size_t n)
{
    for (size_t i = 0; i + 2 < n; i++)
        if ((unsigned char)s[i] == 0xE2 && (unsigned char)s[i + 1] == 0x80 &&
            ((unsigned char)s[i + 2] == 0x9C || (unsigned char)s[i + 2] == 0x9D))
            return 1;
    return 0;
}

static int has_role(const word_vec *ws)
{
    for (size_t i = 0; i < ws->count; i++)
        if (word_in(&ws->items[i], byline_roles))
            return 1;
    return 0;
}

/* A role word ("correspondent", "editing") in a line built like a credit:
 * "(Reporting by ...)", "Reporting by ...; Editing by ...", "Jane Doe is a
 * staff writer ...", "... contributed to this report". */
static int byline_shape(const char *s, size_t n, const word_vec *ws)
{
    const word *w = ws->items;
    if (!has_role(ws))
        return 0;
    size_t b = 0;
    while (b < n && is_space((unsigned char)s[b]))
        b++;
    if (b < n && s[b] == '(')
        return 1;
    if (ws->count >= 2 && word_is(&w[1], "by"))
        return 1;
    for (size_t i = 0; i < ws->count; i++)
        if (word_is(&w[i], "contributed"))
            return 1;
    for (size_t i = 1; i < ws->count && i <= 3; i++)
        if ((word_is(&w[i], "is") || word_is(&w[i], "was")) &&
            is_upper((unsigned char)w[0].s[0]) &&
            is_upper((unsigned char)w[i - 1].s[0]))
            return 1;
    return 0;
}

static void word_facts(const word *w, size_t i, size_t count, line_facts *f)
{
    f->verbs += verb_like(w, i, count);
    if (word_in(w, time_words))
        f->times++;
    if (is_digit((unsigned char)w->s[0]))
        f->numbers++;
    if (is_upper((unsigned char)w->s[0]) || is_digit((unsigned char)w->s[0]))
        f->capitals++;
    if (word_is(w, "you") || word_is(w, "your") || word_is(w, "you're"))
        f->to_reader = 1;
}

/* The facts of site furniture: captions, links headings, the headers of
 * reader comments. */
static void furniture_facts(const char *s, size_t n, const word_vec *ws, line_facts *f)
{
    const word *w = ws->items;
    size_t head = link_heading_words(ws);
    f->caption = caption_line(s, n, ws);
    f->link_heading = head > 0 && head == ws->count;
    if (head > 0 && head < ws->count) {
        const word *last = &w[head - 1];
        const char *after = last->s + last->n;
        f->link = after < s + n && *after == ':';
    }
    f->ends_ago = ws->count <= KH_COMMENT_HEADER_WORDS && word_is(&w[ws->count - 1], "ago");
    for (size_t i = 0; i < ws->count && ws->count <= KH_COMMENT_NAME_WORDS; i++)
        f->comments |= word_is(&w[i], "comments") || word_is(&w[i], "comment");
}

static void line_facts_of(const char *s, size_t n, word_vec *ws,
                          line_facts *f)
{
    memset(f, 0, sizeof *f);
    f->words = split_words(s, n, ws);
    f->final_stop = final_stop(s, n);
    f->separators = count_separators(s, n);
    if (f->words > KH_BYLINE_MAX_WORDS)
        return;             /* only the menu rule applies to long lines */
    for (size_t i = 0; i < ws->count; i++)
        word_facts(&ws->items[i], i, ws->count, f);
    f->quoted = memchr(s, '"', n) || has_curly_quote(s, n);
    if (f->words > 0) {
        furniture_facts(s, n, ws, f);
        f->starts_call = word_in(&ws->items[0], reader_calls);
        f->starts_by = f->words >= 2 && word_is(&ws->items[0], "by") &&
                       is_upper((unsigned char)ws->items[1].s[0]);
        f->byline = byline_shape(s, n, ws);
    }
}

/* "3 months ago 11", "5 hours ago": a short line of times and numbers. */
static int is_stamp(const line_facts *f)
{
    return f->words > 0 && f->words <= KH_SHORT_LINE_WORDS && f->times > 0 &&
           2 * (f->times + f->numbers) >= 2 * f->words;
}

static int is_junk(const line_facts *f)
{
    if (f->words == 0)
        return 0;
    if (f->caption || f->link || f->link_heading || f->comments)
        return 1;                   /* a caption, a link to another story */
    if (f->separators >= 2 && f->words <= 3 * (f->separators + 1))
        return 1;                                           /* a menu */
    if (f->words <= KH_SHORT_LINE_WORDS && f->numbers > 0 &&
        2 * (f->times + f->numbers) >= 2 * f->words)
        return 1;                               /* "3 months ago 11" */
    if (f->words <= KH_BYLINE_MAX_WORDS &&
        ((f->starts_by && !f->final_stop) || (f->byline && !f->quoted)))
        return 1;                              /* byline, staff note */
    if (f->words <= KH_SHORT_LINE_WORDS && !f->quoted &&
        (f->to_reader || (f->starts_call && !f->final_stop)))
        return 1;                               /* a call to the reader */
    if (f->words <= KH_SHORT_LINE_WORDS && !f->final_stop && f->verbs == 0)
        return 1;                               /* a label */
    return 0;
}

/* ---- lines and paragraphs ---- */

typedef struct line {
    size_t start, end;      /* without the line break */
    int blank, junk, prose;
    int stamp;              /* a relative timestamp ("2 days ago") */
    int headline;           /* short, unpunctuated: could be a link text */
    int link_heading;       /* "Related Coverage", "Most read" alone */
    int name;               /* could be a commenter's name: a few words,
                               not a byline, a heading or a stamp */
    int comment_header;     /* the name and the time on one line */
    int comments;           /* a comments heading */
} line;

typedef KH_VEC(line) line_vec;

static void find_lines(const char *t, size_t len, line_vec *lines)
{
    for (size_t i = 0; i <= len;) {
        const char *nl = i < len ? memchr(t + i, '\n', len - i) : NULL;
        size_t e = nl ? (size_t)(nl - t) : len;
        line *l = KH_VEC_PUSH(lines);
        l->start = i;
        l->end = e;
        size_t k = i;
        while (k < e && is_space((unsigned char)t[k]))
            k++;
        l->blank = k == e;
        i = e + 1;
    }
}

static size_t trimmed_len(const char *t, const line *l)
{
    size_t b = l->start, e = l->end;
    while (b < e && is_space((unsigned char)t[b]))
        b++;
    while (e > b && is_space((unsigned char)t[e - 1]))
        e--;
    return e - b;
}

/* Whether lines [a, b) form one hard-wrapped prose paragraph: long lines
 * that mostly break mid-sentence, ending with a full stop. */
static int wrapped_paragraph(const char *t, const line *ls, size_t a, size_t b)
{
    size_t mid_sentence = 0;
    if (b - a < 2)
        return 0;
    for (size_t i = a; i + 1 < b; i++) {
        if (trimmed_len(t, &ls[i]) < KH_WRAPPED_LINE_MIN_BYTES)
            return 0;
        mid_sentence += !final_stop(t + ls[i].start, ls[i].end - ls[i].start);
    }
    const line *last = &ls[b - 1];
    return 2 * mid_sentence >= b - a - 1 &&
           final_stop(t + last->start, last->end - last->start);
}

static void mark_prose(const char *t, line_vec *lines)
{
    line *ls = lines->items;
    for (size_t a = 0; a < lines->count;) {
        if (ls[a].blank) {
            a++;
            continue;
        }
        size_t b = a;
        while (b < lines->count && !ls[b].blank)
            b++;
        if (wrapped_paragraph(t, ls, a, b))
            for (size_t i = a; i < b; i++)
                ls[i].prose = 1;
        a = b;
    }
}

/* ---- repeated lines ---- */

typedef struct line_key {
    unsigned long hash;
    const char *s;
    size_t n, index;
} line_key;

static int key_cmp(const void *pa, const void *pb)
{
    const line_key *a = pa, *b = pb;
    if (a->hash != b->hash)
        return a->hash < b->hash ? -1 : 1;
    if (a->n != b->n)
        return a->n < b->n ? -1 : 1;
    return memcmp(a->s, b->s, a->n);
}

static line_key key_of(const char *t, const line *l, size_t index)
{
    size_t b = l->start, e = l->end;
    while (b < e && is_space((unsigned char)t[b]))
        b++;
    while (e > b && is_space((unsigned char)t[e - 1]))
        e--;
    unsigned long h = 5381;                       /* djb2 */
    for (size_t i = b; i < e; i++)
        h = h * 33 + (unsigned char)t[i];
    return (line_key){h, t + b, e - b, index};
}

static void mark_repeats(const char *t, line_vec *lines)
{
    KH_VEC(line_key) keys = {0};
    for (size_t i = 0; i < lines->count; i++) {
        line_key k = key_of(t, &lines->items[i], i);
        if (!lines->items[i].blank && !lines->items[i].prose &&
            k.n <= KH_REPEAT_MAX_BYTES)
            *KH_VEC_PUSH(&keys) = k;
    }
    if (keys.count > 1)
        qsort(keys.items, keys.count, sizeof *keys.items, key_cmp);
    for (size_t i = 0; i + 1 < keys.count; i++)
        if (key_cmp(&keys.items[i], &keys.items[i + 1]) == 0)
            lines->items[keys.items[i].index].junk =
                lines->items[keys.items[i + 1].index].junk = 1;
    KH_VEC_FREE(&keys);
}

/* ---- judging ---- */

static int nav_item(const line_facts *f)
{
    return f->words >= 1 && f->words <= KH_NAV_ITEM_WORDS && !f->final_stop;
}

/* Runs of very short unpunctuated lines (blank lines between them allowed)
 * are navigation lists, whatever their words. */
static void mark_nav_runs(line_vec *lines, const int *item)
{
    line *ls = lines->items;
    for (size_t a = 0; a < lines->count;) {
        if (!item[a]) {
            a++;
            continue;
        }
        size_t b = a, items = 0;
        while (b < lines->count && (item[b] || ls[b].blank))
            items += item[b++];
        if (items >= KH_NAV_RUN_LINES)
            for (size_t i = a; i < b; i++)
                ls[i].junk |= item[i];
        a = b;
    }
}

/* "Related articles": headlines that each sit next to a relative
 * timestamp ("Iran warns Israel over Lebanon" / "2 days ago") are links
 * to other stories, not this story's text. */
static void mark_stamped_links(line_vec *lines)
{
    line *ls = lines->items;
    for (size_t i = 0; i < lines->count; i++) {
        if (!ls[i].headline || ls[i].junk || ls[i].prose)
            continue;
        size_t next = i + 1, prev = i;
        while (next < lines->count && ls[next].blank)
            next++;
        while (prev > 0 && ls[prev - 1].blank)
            prev--;
        if ((next < lines->count && ls[next].stamp) || (prev > 0 && ls[prev - 1].stamp))
            ls[i].junk = 1;
    }
}

/* The lines under a links heading ("Related Coverage", "Most read") that
 * are headlines, blank lines between them allowed, are its links. */
static void mark_link_lists(line_vec *lines)
{
    line *ls = lines->items;
    for (size_t i = 0; i < lines->count; i++) {
        if (!ls[i].link_heading)
            continue;
        size_t k = i + 1;
        for (; k < lines->count && (ls[k].blank || (ls[k].headline && !ls[k].prose)); k++)
            ls[k].junk |= !ls[k].blank;
        i = k - 1;
    }
}

/* The line index after `i`'s comment header (name over stamp, or both on
 * one line); 0 if `i` starts none. */
static size_t comment_header_end(const line *ls, size_t count, size_t i)
{
    if (ls[i].comment_header)
        return i + 1;
    if (ls[i].name && i + 1 < count && ls[i + 1].stamp)
        return i + 2;
    return 0;
}

/* Blanks a comment: its header and its text, up to a blank line or the
 * next header.  A dateline is a story's start, never a comment's. */
static size_t blank_comment(const char *t, line *ls, size_t count, size_t i, size_t body)
{
    kh_dateline d;
    for (size_t k = i; k < body; k++)
        ls[k].junk = 1;
    size_t k = body;
    for (; k < count && !ls[k].blank && !comment_header_end(ls, count, k); k++) {
        if (kh_dateline_at(t, ls[k].end, ls[k].start, &d)) {
            kh_dateline_free(&d);
            break;
        }
        ls[k].junk = 1;
    }
    return k;
}

/* Reader comments: a user name and a relative time ("grainwatcher77" /
 * "3 hours ago") above each comment's text.  A comment's text is often a
 * full sentence ("Russia will bomb the ports again"), which nothing else
 * tells from news, so the header marks it: after a comments heading, or
 * when the page has KH_COMMENT_MIN_HEADERS of them. */
static void mark_comments(const char *t, line_vec *lines)
{
    line *ls = lines->items;
    size_t headers = 0, first = lines->count;
    int heading = 0;
    for (size_t i = 0; i < lines->count; i++) {
        heading |= ls[i].comments && first == lines->count;
        if (comment_header_end(ls, lines->count, i) && !ls[i].blank) {
            headers++;
            if (first == lines->count)
                first = i;
        }
    }
    if (headers == 0 || (headers < KH_COMMENT_MIN_HEADERS && !heading))
        return;
    for (size_t i = first; i < lines->count; i++) {
        size_t body = comment_header_end(ls, lines->count, i);
        if (body)
            i = blank_comment(t, ls, lines->count, i, body) - 1;
    }
}

static void judge_lines(const char *t, size_t len, line_vec *lines)
{
    word_vec ws = {0};
    int *item = kh_xcalloc(lines->count, sizeof *item);
    for (size_t i = 0; i < lines->count; i++) {
        line *l = &lines->items[i];
        if (l->blank || l->prose)
            continue;
        line_facts f;
        line_facts_of(t + l->start, l->end - l->start, &ws, &f);
        item[i] = nav_item(&f);
        l->junk |= is_junk(&f);
        l->stamp = is_stamp(&f);
        l->headline = f.words <= KH_HEADLINE_MAX_WORDS && !f.final_stop;
        l->link_heading = f.link_heading;
        l->comments = f.comments;
        l->comment_header = f.ends_ago && !l->stamp && !f.starts_by && !f.byline;
        l->name = f.words <= KH_COMMENT_NAME_WORDS && !l->stamp && !f.starts_by &&
                  !f.byline && !f.link_heading && !f.comments && !f.ends_ago;
    }
    mark_nav_runs(lines, item);
    mark_stamped_links(lines);
    mark_link_lists(lines);
    mark_comments(t, lines);
    /* A dateline alone on its line ("WASHINGTON --") is not a label. */
    kh_dateline d;
    for (size_t i = 0; i < lines->count; i++)
        if (lines->items[i].junk &&
            kh_dateline_at(t, lines->items[i].end, lines->items[i].start, &d)) {
            lines->items[i].junk = 0;
            kh_dateline_free(&d);
        }
    free(item);
    KH_VEC_FREE(&ws);
}

static size_t blank_out(char *t, size_t start, size_t end)
{
    size_t n = 0;
    for (size_t i = start; i < end; i++)
        if (t[i] != '\n' && t[i] != ' ') {
            t[i] = ' ';
            n++;
        }
    return n;
}

static size_t nonblank_lines(const line_vec *lines)
{
    size_t n = 0;
    for (size_t i = 0; i < lines->count; i++)
        n += !lines->items[i].blank;
    return n;
}

size_t kh_clean_text(char *text, size_t len, kh_clean_stats *stats)
{
    line_vec lines = {0};
    size_t blanked = 0, bytes = 0;
    find_lines(text, len, &lines);
    if (nonblank_lines(&lines) < 2) {
        /* One line has nothing around it to tell junk from content by:
         * PETRARCH and TABARI records, one-line JSON texts, headlines. */
        KH_VEC_FREE(&lines);
        return 0;
    }
    mark_prose(text, &lines);
    mark_repeats(text, &lines);
    judge_lines(text, len, &lines);
    for (size_t i = 0; i < lines.count; i++)
        if (lines.items[i].junk && !lines.items[i].blank) {
            bytes += blank_out(text, lines.items[i].start, lines.items[i].end);
            blanked++;
        }
    KH_VEC_FREE(&lines);
    if (stats) {
        stats->lines_blanked += blanked;
        stats->bytes_blanked += bytes;
    }
    return blanked;
}

/* ---- dates ---- */

/* Dates are looked for near the top of an article only: a date deep in the
 * text is usually about something else. */
#define KH_DATE_SCAN_BYTES 2000

static const char *const month_names[] = {
    "january", "february", "march", "april", "may", "june", "july",
    "august", "september", "october", "november", "december"};

/* The month named by the word at s (full name, or 3-4 letter abbreviation
 * optionally with a dot); 1-12, 0 if none.  *end is set past it. */
static int month_at(const char *s, size_t n, size_t *end)
{
    size_t k = 0;
    while (k < n && ((s[k] | 32) >= 'a' && (s[k] | 32) <= 'z'))
        k++;
    if (k < 3)
        return 0;
    for (int m = 0; m < 12; m++) {
        size_t full = strlen(month_names[m]);
        int whole = k == full, abbrev = (k == 3 || k == 4) && k < full;
        if (!whole && !abbrev)
            continue;
        size_t i = 0;
        while (i < k && (s[i] | 32) == month_names[m][i])
            i++;
        if (i == k) {
            *end = k + (abbrev && k < n && s[k] == '.');
            return m + 1;
        }
    }
    return 0;
}

static long digits_at(const char *s, size_t n, size_t min, size_t max,
                      size_t *used)
{
    size_t k = 0;
    long v = 0;
    while (k < n && k < max && is_digit((unsigned char)s[k]))
        v = v * 10 + (s[k++] - '0');
    *used = k;
    return k >= min && (k == n || !is_digit((unsigned char)s[k])) ? v : -1;
}

/* "2024-04-03" */
static long iso_date_at(const char *s, size_t n)
{
    size_t u;
    long y = digits_at(s, n, 4, 4, &u);
    if (y < 0 || n < 10 || s[4] != '-' || s[7] != '-')
        return 0;
    long m = digits_at(s + 5, n - 5, 2, 2, &u);
    long d = digits_at(s + 8, n - 8, 2, 2, &u);
    return kh_date_make(y, m, d);
}

/* "April 3, 2024", "Apr. 3 2024", "3 April 2024" */
static long written_date_at(const char *s, size_t n)
{
    size_t e, u, i;
    long day = -1, year;
    int month = month_at(s, n, &e);
    if (month) {
        for (i = e; i < n && s[i] == ' '; i++) {}
        day = digits_at(s + i, n - i, 1, 2, &u);
        i += u;
        while (i < n && ((s[i] | 32) >= 'a' && (s[i] | 32) <= 'z'))
            i++;                                   /* 3rd, 21st */
    } else {
        day = digits_at(s, n, 1, 2, &u);
        for (i = u; i < n && s[i] == ' '; i++) {}
        if (day < 0 || !(month = month_at(s + i, n - i, &e)))
            return 0;
        i += e;
    }
    if (day < 0)
        return 0;
    for (; i < n && (s[i] == ',' || s[i] == ' '); i++) {}
    year = digits_at(s + i, n - i, 4, 4, &u);
    return kh_date_make(year, month, day);
}

long kh_find_date(const char *text, size_t len)
{
    size_t n = len < KH_DATE_SCAN_BYTES ? len : KH_DATE_SCAN_BYTES;
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && is_alnum((unsigned char)text[i - 1]))
            continue;                              /* only at word starts */
        long d = iso_date_at(text + i, len - i);
        if (!d)
            d = written_date_at(text + i, len - i);
        if (d)
            return d;
    }
    return 0;
}

/* ---- datelines ---- */

/* letter_at past ASCII: the code point's category decides. */
static int letter_at_decoded(const char *t, size_t len, size_t p, size_t *width)
{
    utf8proc_int32_t cp = -1;
    utf8proc_ssize_t n = p < len ? utf8proc_iterate(
        (const utf8proc_uint8_t *)t + p, (utf8proc_ssize_t)(len - p), &cp) : 0;
    *width = n > 0 ? (size_t)n : 1;
    if (n <= 0)
        return 0;
    utf8proc_category_t c = utf8proc_category(cp);
    if (c == UTF8PROC_CATEGORY_LU || c == UTF8PROC_CATEGORY_LT)
        return 'u';
    return c >= UTF8PROC_CATEGORY_LL && c <= UTF8PROC_CATEGORY_LO ? 'l' : 0;
}

/* The letter at t[p] (0 if none): 'u' upper case, 'l' other letters.
 * Inline: it is asked of every byte of every word a dateline may start
 * with, nearly all ASCII. */
static inline int letter_at(const char *t, size_t len, size_t p, size_t *width)
{
    if (p < len && (unsigned char)t[p] < 0x80) {    /* most text: no decoding */
        unsigned char c = (unsigned char)t[p];
        *width = 1;
        return c >= 'A' && c <= 'Z' ? 'u' : c >= 'a' && c <= 'z' ? 'l' : 0;
    }
    return letter_at_decoded(t, len, p, width);
}

/* Letters, dots, apostrophes and single hyphens: "ST. LOUIS", "N'DJAMENA",
 * "AL-MUKALLA"; not a dash.  *lower is set when a letter is not upper
 * case. */
static size_t place_word_end(const char *t, size_t len, size_t p, int *lower)
{
    size_t w;
    while (p < len) {
        int letter = letter_at(t, len, p, &w);
        if (letter) {
            *lower |= letter == 'l';
            p += w;
        } else if (t[p] == '.' || t[p] == '\'' ||
                   (t[p] == '-' && p + 1 < len && letter_at(t, len, p + 1, &w))) {
            p++;
        } else {
            break;
        }
    }
    return p;
}

/* Capitalised words from p, at most KH_PLACE_MAX_WORDS; returns the end of
 * the last one, or p.  *caps is cleared when a lower-case letter occurs. */
static size_t place_words(const char *t, size_t len, size_t p, int *caps)
{
    size_t end = p;
    size_t width;
    for (int w = 0; w < KH_PLACE_MAX_WORDS; w++) {
        if (letter_at(t, len, p, &width) != 'u')
            break;
        int lower = 0;
        size_t e = place_word_end(t, len, p, &lower);
        if (lower)
            *caps = 0;
        end = p = e;
        if (p + 1 < len && t[p] == ' ' && letter_at(t, len, p + 1, &width) == 'u')
            p++;
        else
            break;
    }
    return end;
}

/* ", April 3" / ", Jan. 5, 2024" / ", Ukraine": returns the new position and
 * extends *place_end for a region. */
static size_t dateline_parts(const char *t, size_t len, size_t p,
                             size_t *place_end, kh_dateline *d)
{
    for (int part = 0; part < 3 && p < len && t[p] == ','; part++) {
        size_t q = p + 1, e, u;
        long v;
        int month;
        while (q < len && t[q] == ' ')
            q++;
        if ((month = month_at(t + q, len - q, &e))) {
            q += e;
            while (q < len && t[q] == ' ')
                q++;
            if ((v = digits_at(t + q, len - q, 1, 2, &u)) < 0)
                return p;
            d->month = month;
            d->day = (int)v;
            p = q + u;
            continue;
        }
        if ((v = digits_at(t + q, len - q, 4, 4, &u)) >= 0) {
            d->year = v;
            p = q + u;                              /* the year */
            continue;
        }
        int caps = 1;
        size_t r = place_words(t, len, q, &caps);
        if (r == q)
            return p;
        p = *place_end = r;
    }
    return p;
}

static size_t dash_at(const char *t, size_t len, size_t p)
{
    if (p + 1 < len && t[p] == '-' && t[p + 1] == '-')
        return 2;
    if (p < len && t[p] == '-')
        return 1;
    if (p + 2 < len && (!memcmp(t + p, "\xE2\x80\x94", 3) ||
                        !memcmp(t + p, "\xE2\x80\x93", 3)))
        return 3;
    return 0;
}

/* "(Reuters)", or TASS's "/TASS/": returns the position after it and sets
 * [*b, *e) to the outlet's name, or returns p. */
static size_t outlet_at(const char *t, size_t len, size_t p, size_t *b,
                        size_t *e)
{
    if (p >= len || (t[p] != '(' && t[p] != '/'))
        return p;
    /* a slashed outlet is one word: "/TASS/", not "/ the rest /" */
    char close = t[p] == '(' ? ')' : '/';
    size_t q = p + 1;
    while (q < len && t[q] != close && t[q] != '\n' && !(close == '/' && t[q] == ' ') &&
           q - p <= KH_OUTLET_MAX_BYTES)
        q++;
    if (q >= len || t[q] != close || q == p + 1)
        return p;
    *b = p + 1;
    *e = q;
    return q + 1;
}

int kh_dateline_at(const char *t, size_t len, size_t at, kh_dateline *d)
{
    int caps = 1;
    size_t p = at, ob = 0, oe = 0;
    while (p < len && is_space((unsigned char)t[p]))
        p++;
    size_t start = p, place_end = place_words(t, len, p, &caps);
    if (place_end < start + 2)
        return 0;
    kh_dateline parts = {0};
    p = dateline_parts(t, len, place_end, &place_end, &parts);
    while (p < len && t[p] == ' ')
        p++;
    p = outlet_at(t, len, p, &ob, &oe);
    while (p < len && t[p] == ' ')
        p++;
    size_t dash = dash_at(t, len, p);
    /* "MOSCOW, March 4 /TASS/." ends with a full stop */
    if (!dash && oe > 0 && t[ob - 1] == '/' && p < len && t[p] == '.')
        dash = 1;
    if (!dash || (!caps && oe == 0))
        return 0;
    p += dash;
    if (p < len && !is_space((unsigned char)t[p]))
        return 0;                            /* "US-led" is not a dateline */
    while (p < len && is_space((unsigned char)t[p]))
        p++;
    *d = parts;
    d->start = start;
    d->body = p;
    d->place = kh_xstrndup(t + start, place_end - start);
    d->outlet = oe ? kh_xstrndup(t + ob, oe - ob) : NULL;
    return 1;
}

int kh_dateline_find(const char *text, size_t len, kh_dateline *d)
{
    size_t p = 0;
    for (int n = 0; n < KH_DATELINE_SEARCH_LINES && p < len; n++) {
        while (p < len && is_space((unsigned char)text[p]))
            p++;
        if (p >= len)
            break;
        if (kh_dateline_at(text, len, p, d))
            return 1;
        const char *nl = memchr(text + p, '\n', len - p);
        p = nl ? (size_t)(nl - text) + 1 : len;
    }
    return 0;
}

void kh_dateline_free(kh_dateline *d)
{
    free(d->place);
    free(d->outlet);
    d->place = d->outlet = NULL;
}

long kh_dateline_date(const char *text, size_t len, long reference)
{
    kh_dateline d;
    if (!kh_dateline_find(text, len, &d))
        return 0;
    kh_dateline_free(&d);
    if (!d.month)
        return 0;
    if (d.year)
        return kh_date_make(d.year, d.month, d.day);
    if (!kh_date_valid(reference))
        return 0;
    long latest = kh_date_to_days(reference) + KH_DATELINE_AHEAD_DAYS;
    for (long y = reference / 10000 + 1; y >= reference / 10000 - 1; y--) {
        long date = kh_date_make(y, d.month, d.day);
        if (date && kh_date_to_days(date) <= latest)
            return date;
    }
    return 0;
}

/* Where a later dateline may start: a line's start, or a sentence's after
 * ". " (a stop, then white space, then a capital). */
static int may_start_dateline(const char *t, size_t p)
{
    if (t[p - 1] == '\n')
        return 1;
    if (!is_space((unsigned char)t[p - 1]))
        return 0;
    size_t q = p - 1;
    while (q > 0 && is_space((unsigned char)t[q]))
        q--;
    return t[q] == '.' || t[q] == '!' || t[q] == '?' || t[q] == '"';
}

static int starts_dateline_at(const char *t, size_t p)
{
    return t[p] >= 'A' && t[p] <= 'Z' && may_start_dateline(t, p);
}

#ifdef KH_TEXT_SCAN_SSE2
/* The capitals of the sixteen at s that may start a dateline, or a few
 * more: the byte before is white space (or another byte up to ' ') and
 * is a newline, or the byte before that is a stop, a quote mark or white
 * space (or another byte up to '"').  Only one capital in six passes,
 * and the others are not tested one by one as each capital was.  Two
 * bytes before s must be readable. */
static unsigned dateline_starts16(const char *s)
{
    __m128i v = kh_scan_load16(s), prev = kh_scan_load16(s - 1), prev2 = kh_scan_load16(s - 2);
    /* signed compares: a byte above 0x7F is negative, no capital */
    __m128i capital = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('A' - 1)),
                                    _mm_cmplt_epi8(v, _mm_set1_epi8('Z' + 1)));
    /* unsigned "at most": the minimum is the byte itself */
    __m128i prev_space = _mm_cmpeq_epi8(_mm_min_epu8(prev, _mm_set1_epi8(' ')), prev);
    __m128i newline = _mm_cmpeq_epi8(prev, _mm_set1_epi8('\n'));
    __m128i stop = _mm_or_si128(_mm_cmpeq_epi8(_mm_min_epu8(prev2, _mm_set1_epi8('"')), prev2),
                                _mm_or_si128(_mm_cmpeq_epi8(prev2, _mm_set1_epi8('.')),
                                             _mm_cmpeq_epi8(prev2, _mm_set1_epi8('?'))));
    return (unsigned)_mm_movemask_epi8(
        _mm_and_si128(capital, _mm_and_si128(prev_space, _mm_or_si128(newline, stop))));
}
#endif

/* The first capital at or after p (p >= 1) where a later dateline may
 * start (may_start_dateline), or len.  Most of a text is passed over
 * sixteen bytes at a time, testing only the capitals after a stop or a
 * line's start. */
static size_t next_dateline_start(const char *t, size_t len, size_t p)
{
    for (; p < len && p < 2; p++)       /* the vector test reads two bytes back */
        if (starts_dateline_at(t, p))
            return p;
#ifdef KH_TEXT_SCAN_SSE2
    for (; p + 16 <= len; p += 16)
        for (unsigned bits = dateline_starts16(t + p); bits; bits &= bits - 1) {
            size_t q = p + (size_t)__builtin_ctz(bits);
            if (may_start_dateline(t, q))
                return q;
        }
#endif
    for (; p < len; p++)
        if (starts_dateline_at(t, p))
            return p;
    return len;
}

/* Blanks every dateline after `from` that has an outlet or a date: a bare
 * capitalised word and a dash ("NATO - the alliance") is prose there, not
 * a dateline, as it may be only at the top of an article. */
static void blank_later_datelines(char *t, size_t len, size_t from)
{
    kh_dateline d;
    for (size_t p = next_dateline_start(t, len, from > 0 ? from : 1); p < len;
         p = next_dateline_start(t, len, p + 1)) {
        if (!kh_dateline_at(t, len, p, &d))
            continue;
        if (d.outlet || d.month || d.year) {
            blank_out(t, d.start, d.body);
            p = d.body;
        }
        kh_dateline_free(&d);
    }
}

size_t kh_clean_doc(kh_doc *doc, kh_clean_stats *stats)
{
    kh_dateline d;
    if (!doc->text)
        return 0;
    kh_clean_text(doc->text, doc->len, stats);
    if (!kh_dateline_find(doc->text, doc->len, &d)) {
        blank_later_datelines(doc->text, doc->len, 0);
        return 0;
    }
    if (!doc->place) {
        doc->place = d.place;
        d.place = NULL;
    }
    if (!doc->source && d.outlet) {
        doc->source = d.outlet;
        d.outlet = NULL;
    }
    size_t body = d.body;
    blank_out(doc->text, d.start, body);
    kh_dateline_free(&d);
    blank_later_datelines(doc->text, doc->len, body);
    return body;
}
