/* language.c -- English or not (language.h), with libexttextcat.
 *
 * textcat_Classify compares a text with every profile its configuration
 * lists, 164 in Debian's fpdb.conf, which costs about 5 ms a document,
 * as much as coding it.  The question here is narrower -- English or
 * not -- so the document's fingerprint (fp_Create) is compared with the
 * profiles of the languages news is mostly written in (below), the way
 * textcat_Classify does it: the best score wins, and every language
 * within TEXTCAT_THRESHOLD of it is a candidate too.  A document is
 * "not English" only when English is not among the candidates and there
 * are few enough of them for the answer to mean something. */
#include "language.h"
#include "kh_limits.h"
#include "lexicon.h"
#include "short_key.h"
#include "util.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <textcat.h>
#include <fingerprint.h>

/* Where Debian's libexttextcat-data puts the profiles; the Makefile
 * passes pkg-config's pkgdatadir. */
#ifndef KH_TEXTCAT_DIR
#define KH_TEXTCAT_DIR "/usr/share/libexttextcat"
#endif

/* textcat's own rule (constants.h, THRESHOLDVALUE and MAXCANDIDATES): a
 * language scoring within 3% of the best is as likely; more than five
 * such candidates is "unknown". */
#define TEXTCAT_THRESHOLD 1.03
#define TEXTCAT_MAX_CANDIDATES 5
/* n-grams in a profile, as textcat reads them (MAXNGRAMS). */
#define TEXTCAT_NGRAMS 400

/* English first, and Scots, whose profile English text often scores
 * best against (textcat answers "[en][sco]" for much English news): the
 * first ENGLISH_PROFILES count as English.  Then the languages with the
 * most news on the web and in the wire services' foreign desks.  A
 * document in a language not listed scores badly against all of them,
 * English included, and is judged by whichever is nearest: still "not
 * English" unless English is within the threshold. */
static const char *const profiles[] = {
    "en", "sco", "es", "fr", "de", "it", "pt", "nl", "ru", "uk", "pl", "cs",
    "ro", "hu", "el", "tr", "ar", "fa", "ur", "he", "hi", "bn", "zh-Hans",
    "zh-Hant", "ja", "ko", "id", "ms", "vi", "th", "sv", "nb", "da", "fi", "sw",
    "sr-Latn", "sr-Cyrl", "hr", "bg", "ca",
};
#define PROFILE_COUNT (sizeof profiles / sizeof profiles[0])
#define ENGLISH_PROFILES 2

/* Letters a to z, for the table of function words' first and last. */
#define ALPHABET 26

/* Every English function word is at most this many letters ("through",
 * "because" are seven), so that its key is one eight-byte number: its
 * bytes case folded, then zeros.  Two runs of letters have the same key
 * exactly when they are the same word in any case, and a probe is one
 * compare, not the short key's two loads and two compares a word
 * (short_key.h).  kh_language_new refuses a lexicon with a longer one. */
#define FUNCTION_WORD_MAX 8

/* The function words' table has at least this many slots a word, and
 * this many multipliers are tried for a size before it is doubled: a
 * multiplier that gives every word a slot of its own is found in a few
 * dozen tries.  Such a table answers with one compare and no branch, as
 * whether a word is one is as good as random (a probe's loop and the
 * shape test before it were a mispredicted branch a word). */
#define FUNCTION_SLOTS_PER_WORD 4
#define FUNCTION_HASH_TRIES 1024

struct kh_language {
    /* The keys of the function words a run of letters can be, to answer
     * the quick test without the lexicon's look-up (function_words); 0
     * is an empty slot, the key of no word.  A key is in the slot its
     * hash names, or in none. */
    uint64_t *function_slots;
    uint64_t function_mul;          /* the hash's odd multiplier */
    unsigned function_shift;        /* 64 - log2(slots): a hash's top bits */
    int loaded;                 /* tried to load (lazily, once) */
    void *fp[PROFILE_COUNT];    /* NULL: that profile could not be read */
    size_t count;               /* profiles read */
};

/* The longest English function word of the lexicon, which must fit in
 * one key (FUNCTION_WORD_MAX). */
static size_t function_word_max_len(void)
{
    size_t max = 0;
    for (size_t w = 1; w < KH_LW_COUNT; w++)
        if ((kh_lex_entries[w].classes & KH_LEX_ENGLISH_FUNCTION) &&
            kh_lex_entries[w].len > max)
            max = kh_lex_entries[w].len;
    return max;
}

static unsigned letter_index(unsigned char c) { return (unsigned)((c | 32) - 'a'); }

static int is_ascii_letter(unsigned char c) { return letter_index(c) < ALPHABET; }

static int all_letters(const char *w, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!is_ascii_letter((unsigned char)w[i]))
            return 0;
    return n > 0;
}

/* The key of a run of letters w[0, n), 0 < n <= FUNCTION_WORD_MAX, case
 * folded as the lexicon folds it (lexicon.c: every byte | 0x20, exact
 * for letters); `room` bytes are readable at w.  Inline, as the probe
 * below: the quick test asks them of a third of its words. */
KH_ALWAYS_INLINE uint64_t function_key(const char *w, size_t n, size_t room)
{
    uint64_t k;
    if (room >= sizeof k) {
        k = kh_read_le64((const unsigned char *)w);
    } else {            /* the sample's last bytes: no read past them */
        unsigned char b[sizeof k] = {0};
        memcpy(b, w, n);
        k = kh_read_le64(b);
    }
    return (k | 0x2020202020202020ull) & (~0ull >> (64 - 8 * n));
}

KH_ALWAYS_INLINE size_t function_slot_of(const kh_language *lang, uint64_t k)
{
    return (size_t)((k * lang->function_mul) >> lang->function_shift);
}

/* Sets *k to the key of lexicon word w when it is a function word the
 * quick test can meet (a run of letters); returns whether it is. */
static int function_word_key(size_t w, uint64_t *k)
{
    const kh_lex_entry *e = &kh_lex_entries[w];
    if (!(e->classes & KH_LEX_ENGLISH_FUNCTION) || !all_letters(e->word, e->len) ||
        !(kh_lex_entry_of(kh_lex_find(e->word, e->len))->classes & KH_LEX_ENGLISH_FUNCTION))
        return 0;
    *k = function_key(e->word, e->len, e->len);
    return 1;
}

/* Puts each of the n keys in its slot; 0 when two want the same one. */
static int fill_function_slots(kh_language *lang, size_t slots, const uint64_t *keys,
                               size_t n)
{
    memset(lang->function_slots, 0, slots * sizeof *lang->function_slots);
    for (size_t i = 0; i < n; i++) {
        uint64_t *slot = &lang->function_slots[function_slot_of(lang, keys[i])];
        if (*slot && *slot != keys[i])
            return 0;
        *slot = keys[i];
    }
    return 1;
}

/* The table of function words: each run of letters the lexicon looks up
 * as one (kh_lex_find, whose answer is the same in any case, as it folds
 * the key too).  The test asks it of every word of every document, and
 * the lexicon's look-up cost 68 instructions a word. */
static void function_words(kh_language *lang)
{
    uint64_t *keys = kh_xcalloc(KH_LW_COUNT, sizeof *keys);
    size_t n = 0, slots = 2;
    unsigned bits = 1;
    for (size_t w = 1; w < KH_LW_COUNT; w++)
        n += function_word_key(w, &keys[n]);
    while (slots < FUNCTION_SLOTS_PER_WORD * n) {
        slots *= 2;
        bits++;
    }
    for (;; slots *= 2, bits++) {
        lang->function_slots = kh_xcalloc(slots, sizeof *lang->function_slots);
        lang->function_shift = 64 - bits;
        for (uint64_t t = 0; t < FUNCTION_HASH_TRIES; t++) {
            lang->function_mul = 0x9E3779B97F4A7C15ull * (2 * t + 1);   /* odd */
            if (fill_function_slots(lang, slots, keys, n)) {
                free(keys);
                return;
            }
        }
        free(lang->function_slots);
    }
}

kh_language *kh_language_new(void)
{
    kh_language *lang = kh_xcalloc(1, sizeof(kh_language));
    if (function_word_max_len() > FUNCTION_WORD_MAX) {   /* a lexicon that cannot work */
        fprintf(stderr, "khaldun: an English function word of the lexicon is longer "
                        "than %d letters, the most a key holds (language.c)\n",
                FUNCTION_WORD_MAX);
        abort();
    }
    function_words(lang);
    return lang;
}

void kh_language_free(kh_language *lang)
{
    if (!lang)
        return;
    for (size_t i = 0; i < PROFILE_COUNT; i++)
        if (lang->fp[i])
            fp_Done(lang->fp[i]);
    free(lang->function_slots);
    free(lang);
}

static void load_profiles(kh_language *lang)
{
    lang->loaded = 1;
    for (size_t i = 0; i < PROFILE_COUNT; i++) {
        char *path = kh_xasprintf("%s/%s.lm", KH_TEXTCAT_DIR, profiles[i]);
        void *fp = fp_Init(profiles[i]);
        if (fp && fp_Read(fp, path, TEXTCAT_NGRAMS)) {
            lang->fp[i] = fp;
            lang->count++;
        } else if (fp) {
            fp_Done(fp);
        }
        free(path);
    }
}

/* The sample's length: at most KH_LANGUAGE_SAMPLE_BYTES, not cutting a
 * UTF-8 sequence. */
static size_t sample_length(const char *text, size_t len)
{
    if (len <= KH_LANGUAGE_SAMPLE_BYTES)
        return len;
    size_t n = KH_LANGUAGE_SAMPLE_BYTES;
    while (n > 0 && ((unsigned char)text[n] & 0xC0) == 0x80)
        n--;
    return n;
}

/* Scores the sample against each profile; returns the index of the best
 * (lowest), or -1.  As in textcat_Classify, each comparison may stop
 * once its score passes the best so far by the threshold (fp_Compare's
 * cutoff): such a language is no candidate, and the comparisons are most
 * of the time language identification takes. */
static int best_profile(const kh_language *lang, void *sample, long *scores)
{
    int best = -1;
    long cutoff = INT_MAX;
    for (size_t i = 0; i < PROFILE_COUNT; i++) {
        scores[i] = lang->fp[i] ? (long)fp_Compare(lang->fp[i], sample, (int)cutoff) : -1;
        if (scores[i] >= 0 && (best < 0 || scores[i] < scores[best])) {
            best = (int)i;
            double c = (double)scores[i] * TEXTCAT_THRESHOLD;
            cutoff = c < INT_MAX ? (long)c : INT_MAX;
        }
    }
    return best;
}

static int is_ascii_lower(unsigned char c) { return (unsigned)(c - 'a') < 26u; }
static int is_ascii_upper(unsigned char c) { return (unsigned)(c - 'A') < 26u; }

/* Whether the run of letters w[0, n) is an English function word
 * (`room` bytes are readable at w), 0 or 1 with no branch.  A longer
 * word's first FUNCTION_WORD_MAX letters are looked up and the answer
 * dropped, which costs less than the branch. */
KH_ALWAYS_INLINE int is_function_word(const kh_language *lang, const char *w, size_t n,
                                      size_t room)
{
    size_t m = n < FUNCTION_WORD_MAX ? n : FUNCTION_WORD_MAX;
    uint64_t k = function_key(w, m, room);
    return (lang->function_slots[function_slot_of(lang, k)] == k) & (n <= FUNCTION_WORD_MAX);
}

#if defined(__SSE2__) && defined(__GNUC__)
#include <emmintrin.h>

/* The bytes of the sixteen at s that are word bytes (an ASCII letter, or
 * 0x80 and more), bit k for s[k]; *high gets those of 0x80 and more.
 * Words are short: most are found in one step of this, not a test and a
 * branch a byte. */
KH_ALWAYS_INLINE unsigned word_bytes16(const char *s, unsigned *high)
{
    __m128i v = _mm_loadu_si128((const __m128i *)s);
    /* signed compares: a byte above 0x7F is negative, in no range */
    __m128i folded = _mm_or_si128(v, _mm_set1_epi8(0x20));
    __m128i letter = _mm_and_si128(_mm_cmpgt_epi8(folded, _mm_set1_epi8('a' - 1)),
                                   _mm_cmplt_epi8(folded, _mm_set1_epi8('z' + 1)));
    *high = (unsigned)_mm_movemask_epi8(v);
    return (unsigned)_mm_movemask_epi8(letter) | *high;
}
#endif

static int is_word_byte(unsigned char c) { return is_ascii_letter(c) || c >= 0x80; }

/* The end of the word at text[i]: a run of letters, ASCII or not (bytes
 * of 0x80 and more).  *ascii is whether all of them are ASCII; *next is
 * where the next word starts when the bytes already tested show it (most
 * words are one space apart), else the end. */
KH_ALWAYS_INLINE size_t word_end(const char *text, size_t len, size_t i, int *ascii, size_t *next)
{
    unsigned high_seen = 0;
#if defined(__SSE2__) && defined(__GNUC__)
    for (; i + 16 <= len; i += 16) {
        unsigned high, word = word_bytes16(text + i, &high);
        if (word != 0xFFFF) {
            unsigned take = (unsigned)__builtin_ctz(~word), after = word >> take;
            *ascii = !(high_seen | (high & ((1u << take) - 1)));
            *next = i + take + (after ? (unsigned)__builtin_ctz(after) : 0);
            return i + take;
        }
        high_seen |= high;
    }
#endif
    for (; i < len && is_word_byte((unsigned char)text[i]); i++)
        high_seen |= (unsigned char)text[i] & 0x80;
    *ascii = !high_seen;
    *next = i;
    return i;
}

/* Counts the sample's first words (at most KH_LANGUAGE_QUICK_WORDS) in
 * *words, their function words in *function and, when count_names, the
 * names among the others in *names; returns 1, as soon as it knows,
 * when the function words are enough for the share on all the words it
 * can read.  Each word is counted with no branch: its kind is as good as
 * random. */
KH_ALWAYS_INLINE int count_words(const kh_language *lang, const char *text, size_t len,
                                 int count_names, size_t *words_out, size_t *function_out,
                                 size_t *names_out)
{
    size_t words = 0, function = 0, names = 0, i = 0;
    while (i < len && words < KH_LANGUAGE_QUICK_WORDS) {
        unsigned char c = (unsigned char)text[i];
        if (!is_word_byte(c)) {
            i++;
            continue;
        }
        size_t start = i, end, next;
        int ascii;
        end = word_end(text, len, i, &ascii, &next);
        i = next;
        words++;
        int is_function = ascii & is_function_word(lang, text + start, end - start, len - start);
        if (count_names) {
            int long_enough = end - start >= 2;
            unsigned char second = (unsigned char)text[start + long_enough];
            /* c is a letter or a byte of 0x80 and more: a name's is a capital */
            names += (size_t)((!is_function) & long_enough & is_ascii_upper(c) &
                              is_ascii_lower(second));
        }
        function += (size_t)is_function;
        if (function * 100 >= KH_LANGUAGE_QUICK_WORDS * KH_LANGUAGE_ENGLISH_PERCENT)
            return 1;
    }
    *words_out = words;
    *function_out = function;
    *names_out = names;
    return 0;
}

/* Whether the sample is plainly English by its function words (see
 * KH_LANGUAGE_ENGLISH_PERCENT): among its first words, or among those of
 * them that are not names.  A word is a run of letters; one with a
 * non-ASCII letter is a word that is no English function word.  A name
 * (a capital, then a small letter: "Gondor", "Washington") says nothing
 * of the language, and wire copy thick with names ("Arnor is about to
 * restore full diplomatic ties with Gondor") fell short of the share on
 * all its words and went to textcat, 2 M instructions a document. */
static int plainly_english(const kh_language *lang, const char *text, size_t len)
{
    size_t words, function, names = 0;
    /* Most English has the share before its names would matter: they
     * are counted in a second pass, for a sample that falls short. */
    if (count_words(lang, text, len, 0, &words, &function, &names) ||
        function * 100 >= words * KH_LANGUAGE_ENGLISH_PERCENT)
        return 1;
    count_words(lang, text, len, 1, &words, &function, &names);
    size_t others = words - names;
    return others >= KH_LANGUAGE_QUICK_MIN_WORDS &&
           function * 100 >= others * KH_LANGUAGE_ENGLISH_PERCENT;
}

int kh_language_plainly_english(const kh_language *lang, const char *text, size_t len)
{
    return plainly_english(lang, text, sample_length(text, len));
}

int kh_language_not_english(kh_language *lang, const char *text, size_t len, const char **name)
{
    *name = NULL;
    if (len < KH_LANGUAGE_MIN_BYTES)
        return 0;
    if (kh_language_plainly_english(lang, text, len))
        return 0;
    return kh_language_by_ngrams(lang, text, len, name);
}

/* Whether the scores say "not English" by textcat's rule: English (or
 * Scots) is not within the threshold of the best, and few enough
 * languages are for the best to mean something. */
static int scores_not_english(const long *scores, int best)
{
    if (best < ENGLISH_PROFILES)    /* English, or nothing to compare */
        return 0;
    double limit = (double)scores[best] * TEXTCAT_THRESHOLD;
    int candidates = 0, english = 0;
    for (size_t i = 0; i < PROFILE_COUNT; i++) {
        int near = scores[i] >= 0 && (double)scores[i] <= limit;
        candidates += near;
        english |= near && i < ENGLISH_PROFILES;
    }
    return !english && candidates <= TEXTCAT_MAX_CANDIDATES;
}

int kh_language_by_ngrams(kh_language *lang, const char *text, size_t len, const char **name)
{
    *name = NULL;
    if (len < KH_LANGUAGE_MIN_BYTES)
        return 0;
    if (!lang->loaded)
        load_profiles(lang);
    if (!lang->fp[0])           /* no English profile: cannot tell */
        return 0;
    void *sample = fp_Init("sample");
    fp_SetProperty(sample, TCPROP_UTF8AWARE, TC_TRUE);
    long scores[PROFILE_COUNT];
    int best = -1;
    if (fp_Create(sample, text, (uint4)sample_length(text, len), TEXTCAT_NGRAMS))
        best = best_profile(lang, sample, scores);
    fp_Done(sample);
    if (!scores_not_english(scores, best))
        return 0;
    *name = profiles[best];
    return 1;
}
