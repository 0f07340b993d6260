/*
 * where.c -- the gazetteer index and the place resolver (see where.h).
 *
 * A sentence is cut into words; each word keeps its byte span and its
 * folded key (the same fold as tools/gen_gazetteer.py: no accents, lower
 * case, no periods or apostrophes; a plain token's is made when a lookup
 * first reads it).  Locative phrases are found from their trigger words,
 * capitalised word runs inside them are looked up longest first in a hash
 * over the table's keys and the beginnings of its names of several words
 * (a run stops growing when no name begins with it), and every match
 * picks one place among those of its name by a score (kind, hints,
 * population).
 */
#include "where.h"
#include "cameo.h"
#include "gazetteer_table.h"
#include "lexicon.h"
#include "util.h"
#include "vec.h"

#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* How many words after a locative preposition may still belong to its
 * phrase: "at the border town of Zakho" is 5, "in the northern parts of
 * the Arab state" 7; longer reaches catch unrelated names. */
#define LOCATIVE_WINDOW_WORDS 8

/* Scores that rank the places sharing one name.  Kind steps (10) exceed
 * any population term (log10 of at most ~4e7 < 8), so a country name
 * means the country unless a hint says otherwise. */
#define SCORE_COUNTRY 30.0
#define SCORE_CITY 20.0
#define SCORE_REGION 10.0
#define SCORE_WANTED_REGION 40.0    /* "Idlib province" */
/* A country or region named in the same phrase ("Paris, Texas") decides. */
#define SCORE_PHRASE_HINT 100.0
#define SCORE_PHRASE_ADMIN1 10.0
/* A country named elsewhere, an actor's country or the dateline's: worth
 * a factor of 20 in population (log10 20 = 1.3), so it moves Tripoli
 * (Lebanon, 230k) over Tripoli (Libya, 1.2M), but a US actor does not
 * move Paris to Paris, Texas. */
#define SCORE_WEAK_HINT 1.3

/* The hash index has at least this many slots per key, so probes stay
 * short (load factor <= 1/2). */
#define HASH_SLOTS_PER_KEY 2

/* One key of the hash index: a name, with its rows in kh_gaz_names, or
 * the first words of longer names only ("united", "united arab"), and its
 * hash, so that a probe compares strings only when the hashes agree.  A
 * phrase that no name begins with ends the search for longer names
 * (find_longest_name): most capitalised words begin none. */
typedef struct gaz_slot {
    uint32_t lo;            /* 1 + the key's first row, or 1 + the row of a
                               name it begins; 0: an empty slot */
    uint32_t hi;            /* 1 + its last row; 0: no name, only a beginning */
    uint32_t hash;
    uint32_t longer;        /* some longer name begins with the key and a space */
} gaz_slot;

/* Codes of three letters A-Z: the size of the table that maps each to
 * its country, which every event asks for both of its actors. */
#define ISO3_CODES (26 * 26 * 26)

struct kh_gazetteer {
    gaz_slot *slots;
    size_t mask;
    uint32_t *country_place;    /* kh_gaz_countries index -> its place */
    int16_t *country_of_code;   /* ISO3_CODES: country_by_iso3 of each, or
                                   NULL when a country's code is no three
                                   letters A-Z (and the table cannot hold it) */
};

static int country_by_iso3(const char *iso3);

/* The code's first three bytes as an index of country_of_code, or -1
 * when they are not three letters A-Z. */
static int code_index(const char *code)
{
    int idx = 0;
    for (int i = 0; i < 3; i++) {
        unsigned d = (unsigned char)code[i] - 'A';
        if (d >= 26u)
            return -1;
        idx = idx * 26 + (int)d;
    }
    return idx;
}

/* The table of country_by_iso3 for every three-letter code: made by
 * asking it, so the two never differ. */
static int16_t *code_table(void)
{
    int16_t *t = kh_xcalloc(ISO3_CODES, sizeof *t);
    for (int i = 0; i < ISO3_CODES; i++)
        t[i] = -1;
    for (uint32_t c = 0; c < kh_gaz_country_count; c++) {
        int idx = code_index(kh_gaz_countries[c].iso3);
        if (idx < 0) {
            free(t);
            return NULL;
        }
        t[idx] = (int16_t)country_by_iso3(kh_gaz_countries[c].iso3);
    }
    return t;
}

/* ---------------------------------------------------------------- table */

static const char *gaz_str(uint32_t off) { return kh_gaz_strings + off; }

#define HASH_START 2166136261u     /* FNV-1a's offset basis */

/* FNV-1a over s[0..n), from h: a phrase's hash continues its first
 * words' (find_longest_name). */
static uint32_t hash_more(uint32_t h, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

static uint32_t hash_key(const char *s, size_t n) { return hash_more(HASH_START, s, n); }

/* The slot's key is key[0..n): its row's key is that, or (a beginning
 * only) begins with that and a space. */
static int key_equals(const gaz_slot *slot, const char *key, size_t n)
{
    const char *s = gaz_str(kh_gaz_names[slot->lo - 1].key);
    /* strncmp, not memcmp: it stops at the end of a shorter table key. */
    return strncmp(s, key, n) == 0 && s[n] == (slot->hi ? '\0' : ' ');
}

/* The slot of key[0..n), whose hash is h; NULL if none. */
static gaz_slot *find_slot(const kh_gazetteer *g, const char *key, size_t n, uint32_t h)
{
    for (size_t s = h & g->mask; g->slots[s].lo; s = (s + 1) & g->mask) {
        gaz_slot *slot = &g->slots[s];
        if (slot->hash == h && key_equals(slot, key, n))
            return slot;
    }
    return NULL;
}

static gaz_slot *free_slot(const kh_gazetteer *g, uint32_t h)
{
    size_t s = h & g->mask;
    while (g->slots[s].lo)
        s = (s + 1) & g->mask;
    return &g->slots[s];
}

/* A key of the table as the index is built from it: its first row
 * (rows of one key are adjacent) and its hash. */
typedef struct key_row {
    uint32_t row, hash;
} key_row;

/* The first words of a name of several words, which begin it: the first
 * `len` bytes of the key at `row`, up to a space, and their hash -- the
 * key's hash so far, as FNV-1a runs left to right. */
typedef struct beginning {
    uint32_t row, len, hash;
} beginning;

typedef KH_VEC(beginning) beginning_vec;

/* Marks a beginning as one: "united arab emirates" makes "united" and
 * "united arab" beginnings. */
static void add_beginning(kh_gazetteer *g, const beginning *b)
{
    const char *k = gaz_str(kh_gaz_names[b->row].key);
    gaz_slot *slot = find_slot(g, k, b->len, b->hash);
    if (!slot) {
        slot = free_slot(g, b->hash);
        *slot = (gaz_slot){.lo = b->row + 1, .hi = 0, .hash = b->hash};
    }
    slot->longer = 1;
}

/* Each key's key_row into rows, their number into *count, and the
 * beginnings of its words into begins, in one pass over the keys' bytes.
 * The table stores each string once (gen_gazetteer.py's Strings), so the
 * rows of one key share its offset. */
static void first_rows(key_row *rows, size_t *count, beginning_vec *begins)
{
    *count = 0;
    for (uint32_t i = 0; i < kh_gaz_name_count; i++) {
        if (i > 0 && kh_gaz_names[i].key == kh_gaz_names[i - 1].key)
            continue;
        const char *k = gaz_str(kh_gaz_names[i].key);
        uint32_t h = HASH_START;
        for (uint32_t n = 0; k[n]; n++) {
            if (k[n] == ' ')
                *KH_VEC_PUSH(begins) = (beginning){.row = i, .len = n, .hash = h};
            h = hash_more(h, k + n, 1);
        }
        rows[(*count)++] = (key_row){.row = i, .hash = h};
    }
}

kh_gazetteer *kh_gazetteer_new(void)
{
    kh_gazetteer *g = kh_xcalloc(1, sizeof *g);
    key_row *rows = kh_xcalloc((size_t)kh_gaz_name_count + 1, sizeof *rows);
    beginning_vec begins = {0};
    size_t names, size = 1;
    first_rows(rows, &names, &begins);
    /* Each name's key, and at most one for each beginning. */
    while (size < (names + begins.count) * HASH_SLOTS_PER_KEY)
        size <<= 1;
    g->slots = kh_xcalloc(size, sizeof *g->slots);
    g->mask = size - 1;
    g->country_place = kh_xcalloc(kh_gaz_country_count, sizeof *g->country_place);
    for (uint32_t i = 0; i < kh_gaz_country_count; i++)
        g->country_place[i] = UINT32_MAX;   /* a country without settlements */
    for (uint32_t i = 0; i < kh_gaz_place_count; i++)
        if (kh_gaz_places[i].kind == KH_GAZ_COUNTRY)
            g->country_place[kh_gaz_places[i].country] = i;
    g->country_of_code = code_table();
    rows[names].row = kh_gaz_name_count;    /* the end of the last key's rows */
    for (size_t r = 0; r < names; r++)
        *free_slot(g, rows[r].hash) = (gaz_slot){.lo = rows[r].row + 1,
                                                 .hi = rows[r + 1].row, .hash = rows[r].hash};
    /* After all the names, so that a name that begins another is found
     * (and marked) rather than added again as a beginning. */
    for (size_t b = 0; b < begins.count; b++)
        add_beginning(g, &begins.items[b]);
    KH_VEC_FREE(&begins);
    free(rows);
    return g;
}

void kh_gazetteer_free(kh_gazetteer *g)
{
    if (!g)
        return;
    free(g->slots);
    free(g->country_place);
    free(g->country_of_code);
    free(g);
}

/* The rows [*lo, *hi) of kh_gaz_names whose key is key[0..n), whose hash
 * is h; 0 if none. */
static int find_hashed_key(const kh_gazetteer *g, const char *key, size_t n, uint32_t h,
                           uint32_t *lo, uint32_t *hi)
{
    const gaz_slot *slot = n ? find_slot(g, key, n, h) : NULL;
    if (!slot || !slot->hi)
        return 0;
    *lo = slot->lo - 1;
    *hi = slot->hi;
    return 1;
}

static int find_key(const kh_gazetteer *g, const char *key, size_t n,
                    uint32_t *lo, uint32_t *hi)
{
    return find_hashed_key(g, key, n, hash_key(key, n), lo, hi);
}

/* strncmp(a, b, 3) for codes of three letters each, without the call:
 * it runs for both actors of every event. */
static int compare_iso3(const char *a, const char *b)
{
    for (int i = 0; i < 3; i++)
        if (a[i] != b[i])
            return (unsigned char)a[i] - (unsigned char)b[i];
    return 0;
}

static int country_by_iso3(const char *iso3)
{
    size_t lo = 0, hi = kh_gaz_country_count;
    if (!iso3 || !iso3[0] || !iso3[1] || !iso3[2])
        return -1;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = compare_iso3(kh_gaz_countries[mid].iso3, iso3);
        if (c == 0)
            return (int)mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

const char *kh_fips_for_iso3(const char *iso3)
{
    int c = country_by_iso3(iso3);
    if (c < 0 || iso3[3] != '\0' || !kh_gaz_countries[c].fips[0])
        return NULL;
    return kh_gaz_countries[c].fips;
}

/* ----------------------------------------------------------------- fold */

typedef KH_VEC(char) charbuf;

static void buf_put(charbuf *b, char c) { *KH_VEC_PUSH(b) = c; }

static int dropped_codepoint(utf8proc_int32_t c)
{
    return c == '\'' || c == '.' || c == '`' || c == 0x2018 || c == 0x2019 ||
           c == 0x02BB || c == 0x02BC;
}

/* fold_append for ASCII s[0..n): what the general loop below does with
 * code points below 0x80, without its decoding and a push a byte. */
static void fold_ascii(charbuf *b, const char *s, size_t n)
{
    KH_VEC_RESERVE(b, b->count + 2 * n);    /* each byte, and a space before it */
    size_t start = b->count;
    char *out = b->items;
    int space = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (isalnum(c)) {
            if (space && b->count > start)
                out[b->count++] = ' ';
            space = 0;
            out[b->count++] = (char)tolower(c);
        } else if (!dropped_codepoint(c)) {
            space = 1;
        }
    }
}

/* Appends the fold of s[0..n) to b, the way gen_gazetteer.py's fold()
 * makes keys; a separator between words is one space. */
static void fold_append(charbuf *b, const char *s, size_t n)
{
    size_t start = b->count;
    int space = 0;
    utf8proc_uint8_t *mapped = NULL;
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    size_t ascii = 0;
    while (ascii < n && p[ascii] < 0x80)
        ascii++;
    if (ascii == n) {
        fold_ascii(b, s, n);
        return;
    }
    for (size_t i = ascii; i < n; i++)
        if (p[i] >= 0x80) {
            utf8proc_ssize_t m = utf8proc_map(p, (utf8proc_ssize_t)n, &mapped,
                UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT | UTF8PROC_STRIPMARK |
                UTF8PROC_CASEFOLD);
            if (m < 0)
                return;     /* not UTF-8: no key, so no match */
            p = mapped;
            end = p + m;
            break;
        }
    while (p < end) {
        utf8proc_int32_t c = *p;
        utf8proc_ssize_t k = 1;     /* ASCII, the most of it, needs no decoding */
        if (c >= 0x80 && (k = utf8proc_iterate(p, end - p, &c)) <= 0)
            break;
        int cat = c < 0x80 ? 0 : utf8proc_category(c);
        int alnum = c < 0x80 ? isalnum(c) :
            (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
            (cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO);
        if (alnum) {
            if (space && b->count > start)
                buf_put(b, ' ');
            space = 0;
            if (c < 0x80)
                buf_put(b, (char)tolower(c));
            else
                for (utf8proc_ssize_t j = 0; j < k; j++)
                    buf_put(b, (char)p[j]);
        } else if (!dropped_codepoint(c)) {
            space = 1;
        }
        p += k;
    }
    free(mapped);
}

/* ------------------------------------------------------------- scoring */

typedef KH_VEC(uint16_t) country_list;     /* kh_gaz_countries indices */

typedef struct hints {
    KH_VEC(uint32_t) phrase;    /* places (countries, regions) named with it */
    country_list weak;          /* countries from elsewhere */
} hints;

static double place_score(uint32_t idx, int want_region, const hints *h)
{
    const kh_gaz_place *p = &kh_gaz_places[idx];
    double s = p->kind == KH_GAZ_COUNTRY ? SCORE_COUNTRY :
               p->kind == KH_GAZ_CITY ? SCORE_CITY + log10(1.0 + p->population) :
               want_region ? SCORE_WANTED_REGION : SCORE_REGION;
    if (want_region && p->kind == KH_GAZ_CITY)
        s -= SCORE_CITY;
    int phrase = 0, admin1 = 0, weak = 0;
    for (size_t i = 0; h && i < h->phrase.count; i++) {
        const kh_gaz_place *q = &kh_gaz_places[h->phrase.items[i]];
        if (q->country == p->country && q != p) {
            phrase = 1;
            if (q->kind == KH_GAZ_REGION && q->admin1 == p->admin1)
                admin1 = 1;
        }
    }
    for (size_t i = 0; h && i < h->weak.count; i++)
        weak |= h->weak.items[i] == p->country;
    return s + phrase * SCORE_PHRASE_HINT + admin1 * SCORE_PHRASE_ADMIN1 +
           weak * SCORE_WEAK_HINT;
}

/* The best place among kh_gaz_names rows [lo, hi). */
static uint32_t pick_place(uint32_t lo, uint32_t hi, int want_region,
                           const hints *h)
{
    uint32_t best = kh_gaz_names[lo].place;
    double best_score = place_score(best, want_region, h);
    for (uint32_t r = lo + 1; r < hi; r++) {
        uint32_t idx = kh_gaz_names[r].place;
        double s = place_score(idx, want_region, h);
        if (s > best_score) {
            best = idx;
            best_score = s;
        }
    }
    return best;
}

static void fill_place(uint32_t idx, long start, long end, kh_place *out)
{
    const kh_gaz_place *p = &kh_gaz_places[idx];
    const kh_gaz_country *c = &kh_gaz_countries[p->country];
    free(out->name);
    memset(out, 0, sizeof *out);
    out->name = kh_xstrdup(gaz_str(p->name));
    memcpy(out->country, c->iso3, sizeof out->country);
    memcpy(out->fips, c->fips, sizeof out->fips);
    snprintf(out->admin1, sizeof out->admin1, "%s",
             p->kind == KH_GAZ_COUNTRY ? "" : gaz_str(p->admin1));
    out->lat = p->lat / 1e4;
    out->lon = p->lon / 1e4;
    out->precision = p->kind == KH_GAZ_COUNTRY ? KH_PLACE_COUNTRY :
                     p->kind == KH_GAZ_REGION ? KH_PLACE_REGION : KH_PLACE_CITY;
    out->span.start = start;
    out->span.end = end;
}

static void clear_place(kh_place *out)
{
    free(out->name);
    memset(out, 0, sizeof *out);
    out->span.start = out->span.end = -1;
}

int kh_place_lookup(const kh_gazetteer *g, const char *name, size_t len,
                    const char *country_hint, kh_place *out)
{
    charbuf key = {0};
    hints h = {0};
    int c = country_by_iso3(country_hint);
    if (c >= 0)
        *KH_VEC_PUSH(&h.weak) = (uint16_t)c;
    /* An explicit hint outranks population entirely, not by a factor. */
    memset(out, 0, sizeof *out);
    fold_append(&key, name, len);
    uint32_t lo, hi;
    int found = g && find_key(g, key.items, key.count, &lo, &hi);
    if (found) {
        uint32_t best = pick_place(lo, hi, 0, &h);
        for (uint32_t r = lo; c >= 0 && r < hi; r++)
            if (kh_gaz_places[kh_gaz_names[r].place].country == c &&
                kh_gaz_places[best].country != c)
                best = kh_gaz_names[r].place;   /* rows are best-first */
        fill_place(best, -1, -1, out);
    } else {
        clear_place(out);
    }
    KH_VEC_FREE(&key);
    KH_VEC_FREE(&h.weak);
    return found;
}


/* ------------------------------------------------------------ sentence */

enum { AFTER_NONE, AFTER_COMMA, AFTER_STOP };

typedef struct word {
    size_t start, end;      /* the word without punctuation or "'s" */
    size_t key, key_len;    /* its fold, in scan.keys (see word_key) */
    const char *upper;      /* a plain word's token word, until its fold is
                               needed (in kh_where_sentence); then NULL */
    kh_lex_word lex;        /* the fold as a lexicon word, if it is one */
    unsigned char caps;     /* begins with a capital (or a non-ASCII letter) */
    unsigned char after;    /* AFTER_*: punctuation that follows it */
    int match;              /* 1 + the match that covers it, or 0 */
    unsigned char named;    /* name_len and name_lo/hi are known */
    unsigned char name_len; /* the longest name starting here, in words */
    uint32_t name_lo, name_hi;
} word;

typedef struct match {
    size_t first, count;    /* words */
    uint32_t lo, hi;        /* its rows in kh_gaz_names */
    int want_region;        /* "Idlib province" */
    int after_of;           /* "the suburb of Douma" */
    int phrase;             /* matches of one phrase hint each other */
    uint32_t plain;         /* its place without hints */
    uint32_t pick;          /* its place with hints */
} match;

typedef struct scan {
    const kh_gazetteer *g;
    const char *text;
    const kh_lex_sentence *ls;  /* the coder's tokens of text */
    size_t next_token;          /* the first of them not passed yet */
    KH_VEC(word) words;
    charbuf keys, phrase;
    KH_VEC(match) matches;
    country_list named;         /* countries named anywhere, in order */
    hints h;
} scan;

static int word_is(const word *w, kh_lex_word lw) { return w->lex == lw; }

/* The word is in one of the lexicon's classes (KH_LEX_*): the locative
 * prepositions, the words that end a locative phrase ("in talks with
 * Russia"), the place nouns ("the town of", "the Damascus suburb") and
 * the region nouns ("Idlib province"); see tools/gen_lexicon.py. */
static int word_in(const word *w, unsigned classes)
{
    return (kh_lex_entry_of(w->lex)->classes & classes) != 0;
}

/* Capitalised words that name a time, never a place ("in March" is not
 * March, Cambridgeshire). */
#define NOT_PLACES (KH_LEX_MONTH | KH_LEX_WEEKDAY)

static int is_trigger(const word *w)
{
    return word_in(w, KH_LEX_LOCATIVE);
}

/* The ASCII marks that may open a word and are not part of it; and NUL,
 * as strchr("(\"'[", c) would have it. */
static int is_open_mark(unsigned char c)
{
    return c == '(' || c == '"' || c == '\'' || c == '[' || c == '\0';
}

/* The ASCII marks that end a phrase after a word; and NUL, as strchr
 * would have it. */
static int is_stop_mark(unsigned char c)
{
    switch (c) {
    case '.': case ';': case ':': case '!': case '?': case ')': case ']': case '"':
    case '\'': case '\0':
        return 1;
    default:
        return 0;
    }
}

static int is_open_quote(const unsigned char *p, const unsigned char *end)
{
    return is_open_mark(*p) ||
           (end - p >= 3 && p[0] == 0xE2 && p[1] == 0x80 &&
            (p[2] == 0x9C || p[2] == 0x98));
}

/* Strips the punctuation that may close a word; returns its AFTER_*. */
static inline int trim_tail(const char *t, size_t start, size_t *end)
{
    int after = AFTER_NONE;
    while (*end > start) {
        unsigned char c = (unsigned char)t[*end - 1];
        if (c == ',')
            after = after == AFTER_STOP ? AFTER_STOP : AFTER_COMMA;
        else if (is_stop_mark(c))
            after = AFTER_STOP;
        else if (*end - start >= 3 && c >= 0x98 && c <= 0x9D &&
                 (unsigned char)t[*end - 2] == 0x80 &&
                 (unsigned char)t[*end - 3] == 0xE2) {
            after = AFTER_STOP;     /* closing curly quote */
            *end -= 2;
        } else
            break;
        (*end)--;
    }
    return after;
}

/* The coder's token that is exactly the word text[a..b), when it is a
 * plain word (kh_lex_plain_token: ASCII letters and digits, whose fold is
 * its word in lower case and whose lexicon word is known); else -1.
 * Words come left to right, so the tokens are passed once. */
static long plain_token_at(scan *s, size_t a, size_t b)
{
    const kh_lex_sentence *ls = s->ls;
    while (s->next_token < ls->count && (size_t)ls->tokens[s->next_token].start < a)
        s->next_token++;
    size_t k = s->next_token;
    if (k >= ls->count || (size_t)ls->tokens[k].start != a ||
        (size_t)ls->tokens[k].end != b || !kh_lex_plain_token(ls, k))
        return -1;
    return (long)k;
}

/* Appends the plain word w[0..n) (upper-case ASCII letters and digits)
 * in lower case: the case bit, which digits have already. */
static void append_lower(charbuf *b, const char *w, size_t n)
{
    KH_VEC_RESERVE(b, b->count + n);
    char *out = b->items + b->count;
    for (size_t i = 0; i < n; i++)
        out[i] = (char)(w[i] | 32);
    b->count += n;
}

/* The word's fold.  A plain word's is its token's word in lower case,
 * made here when a name search first reads it: most words are never
 * looked up (only capitalised ones and the words after them), so most
 * are never folded.  The pointer is good until the next word_key. */
static const char *word_key(scan *s, word *w)
{
    if (w->upper) {
        w->key = s->keys.count;
        append_lower(&s->keys, w->upper, w->key_len);
        w->upper = NULL;
    }
    return s->keys.items + w->key;
}

/* isspace in the C locale, without the locale's table. */
static int is_space(unsigned char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

/* Adds the word text[a..b), stripped, followed by `after`; k is the
 * coder's plain token that is exactly that word, or -1.  Inline, as is
 * trim_tail: they run for every word of every sentence. */
static inline void push_word(scan *s, size_t a, size_t b, int after, long k)
{
    const char *t = s->text;
    word w = {.start = a, .end = b, .key = s->keys.count};
    if (k >= 0) {
        w.upper = s->ls->tokens[k].word;      /* folded by word_key */
        w.key_len = b - a;
        w.lex = s->ls->lex[k];
    } else {
        fold_append(&s->keys, t + a, b - a);
        w.key_len = s->keys.count - w.key;
        /* An empty fold is no word, and keys may hold nothing yet (NULL):
         * plain words are folded later, if at all. */
        w.lex = w.key_len ? kh_lex_find(s->keys.items + w.key, w.key_len) : KH_LW_NONE;
    }
    unsigned char first = a < b ? (unsigned char)t[a] : 0;
    w.caps = (unsigned)(first - 'A') < 26u || first >= 0x80;
    w.after = (unsigned char)(w.key_len ? after : AFTER_STOP);
    KH_VEC_RESERVE(&s->words, s->words.count + 1);
    s->words.items[s->words.count++] = w;
}

static void add_word(scan *s, size_t a, size_t b)
{
    const char *t = s->text;
    while (a < b && is_open_quote((const unsigned char *)t + a,
                                  (const unsigned char *)t + b))
        a += (unsigned char)t[a] < 0x80 ? 1 : 3;
    int after = trim_tail(t, a, &b);
    if (b - a > 2 && (t[b - 1] == 's' || t[b - 1] == 'S') && t[b - 2] == '\'')
        b -= 2;                                 /* Syria's */
    else if (b - a > 4 && t[b - 1] == 's' && !memcmp(t + b - 4, "\xE2\x80\x99", 3))
        b -= 4;                                 /* Syria’s */
    push_word(s, a, b, after, plain_token_at(s, a, b));
}

/* add_word for the word text[a..b) that begins with plain token k, when
 * only closing marks follow the token ("Damascus", "Idlib,"): then the
 * token is the word, as add_word would find -- nothing opens it (it
 * begins with a letter or digit), and its last bytes are no possessive.
 * Returns 0, adding nothing, for any other word. */
static int add_plain_word(scan *s, size_t k, size_t a, size_t b)
{
    size_t end = (size_t)s->ls->tokens[k].end;
    /* Most words are the token alone: nothing follows to trim. */
    int after = b == end ? AFTER_NONE : trim_tail(s->text, a, &b);
    if (b != end)
        return 0;
    push_word(s, a, b, after, (long)k);
    return 1;
}

/* Cuts the text at white space.  A plain token of the coder's is letters
 * and digits, so a word that starts with one runs at least to its end:
 * only the bytes after it are read one by one. */
static void split_words(scan *s, size_t len)
{
    /* Copies: a store of a word (its size_t fields) might be to *s->ls or
     * s->text for all the compiler knows, which would reload them. */
    const kh_lex_sentence ls = *s->ls;
    const unsigned char *t = (const unsigned char *)s->text;
    size_t i = 0;
    while (i < len) {
        while (i < len && is_space(t[i]))
            i++;
        size_t a = i;
        long plain = -1;        /* the plain token the word begins with */
        size_t k = s->next_token;
        while (k < ls.count && (size_t)ls.tokens[k].start < a)
            k++;
        s->next_token = k;
        if (k < ls.count && (size_t)ls.tokens[k].start == a && kh_lex_plain_token(&ls, k)) {
            plain = (long)k;
            i = (size_t)ls.tokens[k].end;
        }
        while (i < len && !is_space(t[i]))
            i++;
        if (i > a && plain >= 0 && add_plain_word(s, (size_t)plain, a, i))
            s->next_token = (size_t)plain + 1;  /* the next word starts after it */
        else if (i > a)
            add_word(s, a, i);
    }
}

/* The lexicon classes without a word of which find_locatives finds no
 * place: the locative prepositions and the place nouns. */
#define PLACE_WORDS (KH_LEX_LOCATIVE | KH_LEX_PLACE_NOUN_OF | KH_LEX_PLACE_NOUN_AFTER)

/* isalnum in the C locale, as fold_ascii asks it, without the locale's
 * table: it runs for the bytes between tokens of every sentence. */
static int is_ascii_alnum(unsigned char c)
{
    return (unsigned)((c | 32) - 'a') < 26u || (unsigned)(c - '0') < 10u;
}

/* May a word of the sentence, as split_words cuts and folds it, be one of
 * PLACE_WORDS?  Asked of the coder's tokens, without cutting the words:
 * most sentences have none.  A word's lexicon word is its plain token's
 * or its fold's (push_word), and the fold of ASCII text is its runs of
 * letters and digits, a run going on across a dropped byte ("i.n" is
 * "in": dropped_codepoint).  So when
 * every letter and digit is in a plain token and no two plain tokens are
 * joined by dropped bytes alone, a fold that is one lexicon word is the
 * letters of one plain token, whose lexicon word the token has (a number
 * has none, and is no word).  Other text -- not ASCII, "U.S.", "Syria's"
 * -- may hold one, and the answer is 1. */
static int may_name_place(const kh_lex_sentence *ls)
{
    const unsigned char *t = (const unsigned char *)ls->text;
    size_t pos = 0;             /* the end of the last plain token */
    int joined = 0;             /* only dropped bytes since it */
    for (size_t k = 0; k <= ls->count; k++) {
        if (k < ls->count && !kh_lex_plain_token(ls, k))
            continue;           /* read below as bytes between plain tokens */
        size_t start = k < ls->count ? (size_t)ls->tokens[k].start : ls->len;
        if (start < pos)
            return 1;
        if (start == pos + 1 && t[pos] == ' ') {    /* most gaps: no loop */
            joined = 0;
            pos = start;
        }
        for (; pos < start; pos++) {     /* as fold_ascii reads them */
            if (t[pos] >= 0x80 || is_ascii_alnum(t[pos]))
                return 1;
            joined &= dropped_codepoint(t[pos]);
        }
        if (k == ls->count)
            break;
        const kh_token *tok = &ls->tokens[k];
        if (joined || (kh_lex_entry_of(ls->lex[k])->classes & PLACE_WORDS) ||
            ((tok->flags & KH_TOK_NUMBER) && (unsigned)(t[start] - '0') >= 10u))
            return 1;
        joined = 1;
        pos = (size_t)tok->end;
    }
    return 0;
}

/* The longest gazetteer name that starts at word i; 0 if none.  The
 * phrase grows a word at a time until no name begins with it. */
static size_t find_longest_name(scan *s, size_t i, uint32_t *lo, uint32_t *hi)
{
    size_t best = 0;
    uint32_t hash = HASH_START;
    s->phrase.count = 0;
    for (size_t k = 0; k < KH_GAZ_MAX_NAME_WORDS && i + k < s->words.count; k++) {
        word *w = &s->words.items[i + k];
        if (w->key_len == 0)
            break;
        const char *key = word_key(s, w);
        size_t n = w->key_len;
        if (k > 0) {            /* the words so far, a space, this one */
            KH_VEC_RESERVE(&s->phrase, s->phrase.count + n + 1);
            s->phrase.items[s->phrase.count++] = ' ';
            memcpy(s->phrase.items + s->phrase.count, key, n);
            s->phrase.count += n;
            hash = hash_more(hash, " ", 1);
            key = s->phrase.items;
            n = s->phrase.count;
        }
        hash = hash_more(hash, s->keys.items + w->key, w->key_len);
        const gaz_slot *slot = find_slot(s->g, key, n, hash);
        if (slot && slot->hi && !(k == 0 && word_in(w, NOT_PLACES))) {
            best = k + 1;
            *lo = slot->lo - 1;
            *hi = slot->hi;
        }
        if (!slot || !slot->longer || w->after != AFTER_NONE)
            break;                  /* a name has no punctuation inside */
        if (k == 0) {
            KH_VEC_RESERVE(&s->phrase, n);
            memcpy(s->phrase.items, key, n);
            s->phrase.count = n;
        }
    }
    return best;
}

/* The same, remembered: each of the sentence's passes asks about the
 * same capitalised words. */
static size_t longest_name(scan *s, size_t i, uint32_t *lo, uint32_t *hi)
{
    word *w = &s->words.items[i];
    if (!w->named) {
        w->name_len = (unsigned char)find_longest_name(s, i, &w->name_lo, &w->name_hi);
        w->named = 1;
    }
    *lo = w->name_lo;
    *hi = w->name_hi;
    return w->name_len;
}

/* Records the name at word j (if any) as a match; returns its length. */
static size_t take_name(scan *s, size_t j, int phrase)
{
    uint32_t lo, hi;
    size_t n = s->words.items[j].caps && !s->words.items[j].match ?
               longest_name(s, j, &lo, &hi) : 0;
    if (n == 0)
        return 0;
    match *m = KH_VEC_PUSH(&s->matches);
    m->first = j;
    m->count = n;
    m->lo = lo;
    m->hi = hi;
    m->phrase = phrase;
    m->after_of = j > 0 && word_is(&s->words.items[j - 1], KH_LW_OF);
    m->want_region = j + n < s->words.count &&
                     word_in(&s->words.items[j + n], KH_LEX_REGION_NOUN);
    for (size_t k = j; k < j + n; k++)
        s->words.items[k].match = (int)s->matches.count;
    return n;
}

/* Takes the names of the locative phrase that starts at word j. */
static void scan_phrase(scan *s, size_t j, int phrase)
{
    for (size_t used = 0; j < s->words.count && used < LOCATIVE_WINDOW_WORDS;) {
        const word *w = &s->words.items[j];
        if (w->key_len == 0 || word_in(w, KH_LEX_PHRASE_END) || is_trigger(w))
            break;
        size_t n = take_name(s, j, phrase);
        size_t last = j + (n ? n : 1) - 1;
        int after = s->words.items[last].after;
        j = last + 1;
        used += n ? n : 1;
        if (after == AFTER_STOP ||
            (after == AFTER_COMMA && !(j < s->words.count && s->words.items[j].caps)))
            break;
    }
}

static void find_locatives(scan *s)
{
    int phrase = 0, place_noun_after = 0;
    for (size_t i = 0; i < s->words.count; i++) {
        const word *w = &s->words.items[i];
        place_noun_after |= word_in(w, KH_LEX_PLACE_NOUN_AFTER);
        if (is_trigger(w) && w->after == AFTER_NONE)
            scan_phrase(s, i + 1, ++phrase);
        else if (word_in(w, KH_LEX_PLACE_NOUN_OF) && w->after == AFTER_NONE &&
                 i + 1 < s->words.count && word_is(&s->words.items[i + 1], KH_LW_OF))
            scan_phrase(s, i + 2, ++phrase);
    }
    /* "the Damascus suburb", "Idlib province": a name before a place noun
     * (most sentences have none, and then no name need be sought here). */
    for (size_t i = 0; place_noun_after && i + 1 < s->words.count; i++) {
        uint32_t lo, hi;
        const word *w = &s->words.items[i];
        if (!w->caps || w->match)
            continue;
        size_t n = longest_name(s, i, &lo, &hi);
        if (n && i + n < s->words.count && s->words.items[i + n - 1].after == AFTER_NONE &&
            word_in(&s->words.items[i + n], KH_LEX_PLACE_NOUN_AFTER))
            take_name(s, i, ++phrase);
        i += n ? n - 1 : 0;
    }
}

/* ------------------------------------------------------------- resolve */

static void push_country(country_list *v, int c)
{
    if (c < 0)
        return;
    for (size_t i = 0; i < v->count; i++)
        if (v->items[i] == c)
            return;
    *KH_VEC_PUSH(v) = (uint16_t)c;
}

static int actor_country(const kh_gazetteer *g, const char *code)
{
    char iso3[sizeof "ISO"];            /* the code's first group */
    if (!code)
        return -1;
    if (g->country_of_code) {           /* a code not of letters is no country */
        int idx = code_index(code);
        return idx < 0 ? -1 : g->country_of_code[idx];
    }
    if (strlen(code) < 3)
        return -1;
    memcpy(iso3, code, 3);
    iso3[3] = '\0';
    return country_by_iso3(iso3);
}

/* Countries the sentence names anywhere, even as actors ("Syria said"):
 * they settle ambiguous names and are the last resort for a place. */
static void find_named_countries(scan *s)
{
    for (size_t i = 0; i < s->words.count; i++) {
        const word *w = &s->words.items[i];
        uint32_t lo, hi;
        size_t n = 0;
        if (w->match) {
            const match *m = &s->matches.items[w->match - 1];
            if (kh_gaz_places[m->plain].kind == KH_GAZ_COUNTRY)
                push_country(&s->named, kh_gaz_places[m->plain].country);
            i = m->first + m->count - 1;
            continue;
        }
        if (w->caps && (n = longest_name(s, i, &lo, &hi)) > 0) {
            uint32_t p = pick_place(lo, hi, 0, NULL);
            if (kh_gaz_places[p].kind == KH_GAZ_COUNTRY)
                push_country(&s->named, kh_gaz_places[p].country);
            i += n - 1;
        }
    }
}

/* Each match's place, with the other names of its phrase as hints. */
static void pick_matches(scan *s)
{
    for (size_t i = 0; i < s->matches.count; i++) {
        match *m = &s->matches.items[i];
        m->plain = pick_place(m->lo, m->hi, m->want_region, NULL);
    }
    for (size_t i = 0; i < s->matches.count; i++) {
        match *m = &s->matches.items[i];
        s->h.phrase.count = 0;
        for (size_t j = 0; j < s->matches.count; j++) {
            const match *o = &s->matches.items[j];
            if (j != i && o->phrase == m->phrase &&
                kh_gaz_places[o->plain].kind != KH_GAZ_CITY)
                *KH_VEC_PUSH(&s->h.phrase) = o->plain;
        }
        m->pick = pick_place(m->lo, m->hi, m->want_region, &s->h);
    }
    s->h.phrase.count = 0;
}

/* The match that says best where the event was: the most specific, and
 * the first -- except that "the Damascus suburb of Douma" means Douma. */
static const match *best_match(const scan *s)
{
    const match *best = NULL;
    for (size_t i = 0; i < s->matches.count; i++) {
        const match *m = &s->matches.items[i];
        if (!best) {
            best = m;
            continue;
        }
        int pk = kh_gaz_places[m->pick].kind, bk = kh_gaz_places[best->pick].kind;
        if (pk != bk) {
            if (pk > bk)            /* KH_GAZ_CITY is the most specific */
                best = m;
        } else if (m->after_of && m->first <= best->first + best->count + 3) {
            best = m;
        }
    }
    return best;
}

/* The dateline's place ("BEIRUT", "Astana, Kazakhstan"), or UINT32_MAX. */
static uint32_t dateline_place(scan *s, const char *dateline)
{
    uint32_t lo, hi, tail = UINT32_MAX;
    const char *comma = strrchr(dateline, ',');
    size_t head_len = comma ? (size_t)(comma - dateline) : strlen(dateline);
    charbuf key = {0};
    if (comma) {
        fold_append(&key, comma + 1, strlen(comma + 1));
        if (find_key(s->g, key.items, key.count, &lo, &hi))
            tail = pick_place(lo, hi, 0, NULL);
        key.count = 0;
    }
    s->h.phrase.count = 0;
    if (tail != UINT32_MAX && kh_gaz_places[tail].kind != KH_GAZ_CITY)
        *KH_VEC_PUSH(&s->h.phrase) = tail;
    fold_append(&key, dateline, head_len);
    uint32_t place = tail;
    if (find_key(s->g, key.items, key.count, &lo, &hi))
        place = pick_place(lo, hi, 0, &s->h);
    s->h.phrase.count = 0;
    KH_VEC_FREE(&key);
    return place;
}

/* A verbal event (CAMEO quad classes 1 and 3: statements, appeals,
 * demands, threats, ...) happens where it is said, which only a place
 * named as a location or the dateline tells; the countries it is about
 * are not where it happened ("Bahrain severed ties with Iran" is not an
 * event in Iran). */
static int is_verbal(const kh_event *e)
{
    int quad = kh_cameo_quad(e->code);
    return quad == 1 || quad == 3;
}

/* Where nothing in the sentence is introduced as a place: the dateline,
 * when the event was said there (a verbal event) or when the dateline
 * lies in a country the sentence is about or names none.  No place
 * otherwise: an actor's country is a guess, and an analyst mapping
 * events needs "unknown" rather than a wrong country. */
static void resolve_fallback(scan *s, int target, int source, uint32_t dl,
                             kh_event *e)
{
    int mentioned = target >= 0 || source >= 0 || s->named.count > 0;
    int dl_country = dl == UINT32_MAX ? -1 : kh_gaz_places[dl].country;
    int agrees = dl_country >= 0 && (dl_country == target || dl_country == source);
    for (size_t i = 0; i < s->named.count; i++)
        agrees |= s->named.items[i] == dl_country;
    if (dl != UINT32_MAX && (is_verbal(e) || !mentioned || agrees))
        fill_place(dl, -1, -1, &e->place);
    else
        clear_place(&e->place);
}

static void scan_free(scan *s)
{
    KH_VEC_FREE(&s->words);
    KH_VEC_FREE(&s->keys);
    KH_VEC_FREE(&s->phrase);
    KH_VEC_FREE(&s->matches);
    KH_VEC_FREE(&s->named);
    KH_VEC_FREE(&s->h.phrase);
    KH_VEC_FREE(&s->h.weak);
}

/* A sentence's words, the places it names as locations and the countries
 * it names, found once for all of its events; only the hints from each
 * event's actors, and so the pick, differ between events. */
struct kh_where {
    scan s;
    uint32_t dl;            /* the dateline's place, or UINT32_MAX */
};

kh_where *kh_where_new(const kh_gazetteer *g)
{
    kh_where *w = kh_xcalloc(1, sizeof *w);
    w->s.g = g;
    w->dl = UINT32_MAX;
    return w;
}

void kh_where_free(kh_where *w)
{
    if (!w)
        return;
    scan_free(&w->s);
    free(w);
}

void kh_where_sentence(kh_where *w, const kh_lex_sentence *sentence,
                       const char *dateline)
{
    scan *s = &w->s;
    const char *text = sentence->text;
    size_t len = sentence->len;
    s->text = text;
    s->ls = sentence;
    s->next_token = 0;
    s->words.count = s->keys.count = s->phrase.count = 0;
    s->matches.count = s->named.count = 0;
    s->h.phrase.count = s->h.weak.count = 0;

    w->dl = UINT32_MAX;
    if (!s->g)
        return;
    /* Without a dateline, a sentence no word of which is one of
     * PLACE_WORDS has no place for any event. */
    int dated = dateline && *dateline;
    if (text && !dated && !may_name_place(sentence)) {
        s->ls = NULL;
        return;
    }
    if (text)
        split_words(s, len);
    find_locatives(s);
    for (size_t i = 0; i < s->matches.count; i++)
        s->matches.items[i].plain = pick_place(s->matches.items[i].lo,
                                               s->matches.items[i].hi, 0, NULL);
    if (dated)
        w->dl = dateline_place(s, dateline);
    /* The countries named are hints for the matches and tell whether the
     * dateline is the place (resolve_fallback); with neither, an event has
     * no place whatever they are, and most sentences have neither. */
    if (s->matches.count || w->dl != UINT32_MAX)
        find_named_countries(s);
    /* The tokens may change from here on: kh_where_event reads neither
     * them nor the words' folds (word_key, whose plain words point into
     * them). */
    s->ls = NULL;
}

void kh_where_event(kh_where *w, kh_event *e)
{
    scan *s = &w->s;
    clear_place(&e->place);
    /* Without a match or a dateline the event has no place, whatever its
     * actors (resolve_fallback): most events. */
    if (!s->g || (s->matches.count == 0 && w->dl == UINT32_MAX))
        return;
    int target = actor_country(s->g, e->target), source = actor_country(s->g, e->source);
    s->h.weak.count = 0;
    for (size_t i = 0; i < s->named.count; i++)
        push_country(&s->h.weak, s->named.items[i]);
    push_country(&s->h.weak, target);
    push_country(&s->h.weak, source);
    if (w->dl != UINT32_MAX)
        push_country(&s->h.weak, kh_gaz_places[w->dl].country);
    pick_matches(s);
    const match *m = best_match(s);
    if (m)
        fill_place(m->pick, (long)s->words.items[m->first].start,
                   (long)s->words.items[m->first + m->count - 1].end, &e->place);
    else
        resolve_fallback(s, target, source, w->dl, e);
}

void kh_where_resolve(const kh_gazetteer *g, const char *sentence, size_t len,
                      const char *dateline, kh_event *e)
{
    kh_where *w = kh_where_new(g);
    kh_lex_sentence ls;
    kh_lex_sentence_init(&ls);
    kh_lex_sentence_tokenize(&ls, sentence, len);
    kh_where_sentence(w, &ls, dateline);
    kh_where_event(w, e);
    kh_lex_sentence_free(&ls);
    kh_where_free(w);
}
