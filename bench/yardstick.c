/*
 * yardstick.c -- the least work any dictionary coder must do on a file.
 *
 *     yardstick [--dict KIND:FILE]... [--min-time SECONDS] FILE
 *
 * Reads FILE in blocks, splits it into words (runs of ASCII letters and
 * digits and of UTF-8 bytes), lower-cases each word, hashes it and looks
 * it up in a hash table of the dictionary's words.  No coding, no
 * parsing: whatever khaldun does beyond this is its own cost, so the
 * ratio of khaldun's time to this one says how far the pipeline is from
 * the floor.  The whole file is scanned, markup and JSON keys included,
 * as a coder that reads the file must at least look at every byte.
 *
 * The dictionary is the one khaldun codes with: the defaults compiled
 * into the library (kh_dict_load_defaults), or the --dict files, loaded
 * and frozen by the library; its words are the frozen index's words
 * (every word of every phrase, verb form, pattern and synset).  Loading
 * is timed apart and not counted: it is a fixed cost, reported by
 * pipeline.sh as khaldun's start-up.
 *
 * One scan of a 20,000-sentence file takes milliseconds, too short to
 * time once on a shared machine, so the scan is repeated until --min-time
 * (default 0.5) seconds of CPU and at least three scans have passed.
 * `scan_cpu_s` is the fastest scan's CPU time: the other sessions' load
 * only ever adds to it (cache misses, a busy core), so the least is the
 * steadiest, and it matches pipeline.sh keeping khaldun's fastest run.
 * The means are printed too.
 * Prints "key: value" lines.
 */
#include "khaldun.h"
#include "dict.h"
#include "dict_index.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double clock_s(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- the table: open addressing, linear probing, FNV-1a ----
 * The plainest fast table: a power-of-two array of slots at most half
 * full, each slot the hash and the word, compared by length and bytes. */

typedef struct slot {
    uint64_t hash;
    const char *word;       /* NULL: empty */
    size_t len;
} slot;

static slot *table;
static size_t table_mask;

static uint64_t fnv1a(const unsigned char *s, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ s[i]) * 0x100000001b3ull;
    return h;
}

static int lookup(const unsigned char *w, size_t n)
{
    uint64_t h = fnv1a(w, n);
    for (size_t i = h & table_mask;; i = (i + 1) & table_mask) {
        const slot *s = &table[i];
        if (!s->word)
            return 0;
        if (s->hash == h && s->len == n && memcmp(s->word, w, n) == 0)
            return 1;
    }
}

static void insert(const char *word)
{
    size_t n = strlen(word);
    char *w = malloc(n + 1);
    for (size_t i = 0; i < n; i++)
        w[i] = (char)tolower((unsigned char)word[i]);
    w[n] = 0;
    uint64_t h = fnv1a((const unsigned char *)w, n);
    size_t i = h & table_mask;
    for (; table[i].word; i = (i + 1) & table_mask)
        if (table[i].hash == h && table[i].len == n && !memcmp(table[i].word, w, n)) {
            free(w);
            return;
        }
    table[i] = (slot){h, w, n};
}

/* ---- the scan ---- */

typedef struct counts {
    size_t bytes, words, hits;
} counts;

static int word_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c >= 0x80;
}

#define MAX_WORD 256

static void scan(const char *path, counts *c)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        exit(1);
    }
    static unsigned char block[1 << 16];
    unsigned char word[MAX_WORD];
    size_t wn = 0, got;
    while ((got = fread(block, 1, sizeof block, f)) > 0) {
        c->bytes += got;
        for (size_t i = 0; i < got; i++) {
            unsigned char b = block[i];
            if (word_byte(b)) {
                if (wn < MAX_WORD)      /* longer words are cut, not split */
                    word[wn++] = (b >= 'A' && b <= 'Z') ? (unsigned char)(b + 32) : b;
                continue;
            }
            if (wn) {
                c->words++;
                c->hits += (size_t)lookup(word, wn);
                wn = 0;
            }
        }
    }
    if (wn) {
        c->words++;
        c->hits += (size_t)lookup(word, wn);
    }
    fclose(f);
}

int main(int argc, char **argv)
{
    kh_diag diag;
    kh_diag_init(&diag);
    diag.quiet = 1;
    const char *path = NULL;
    double min_time = 0.5;
    int dict_args = 0;

    double t0 = clock_s(CLOCK_MONOTONIC);
    kh_dict *dict = kh_dict_new();
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--dict") && i + 1 < argc) {
            if (kh_dict_load_spec(dict, argv[++i], &diag) < 0) {
                fprintf(stderr, "yardstick: cannot load %s\n", argv[i]);
                return 1;
            }
            dict_args++;
        } else if (!strcmp(argv[i], "--min-time") && i + 1 < argc) {
            min_time = atof(argv[++i]);
        } else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "usage: yardstick [--dict KIND:FILE]... [--min-time S] FILE\n");
            return 2;
        } else {
            path = argv[i];
        }
    }
    if (!path) {
        fprintf(stderr, "usage: yardstick [--dict KIND:FILE]... [--min-time S] FILE\n");
        return 2;
    }
    if (dict_args == 0)
        kh_dict_load_defaults(dict, &diag);
    kh_dict_freeze(dict);

    size_t nwords = dict->index->word.count, cap = 16;
    while (cap < 2 * nwords)
        cap *= 2;
    table = calloc(cap, sizeof *table);
    table_mask = cap - 1;
    for (size_t i = 0; i < nwords; i++)
        insert(dict->index->word.items[i]->text);
    kh_dict_free(dict);         /* the scan needs the table only */
    double t1 = clock_s(CLOCK_MONOTONIC);

    /* One scan first, uncounted: it brings the file into the page cache
     * if khaldun's run has not already. */
    counts c = {0, 0, 0};
    scan(path, &c);
    int passes = 0;
    double cpu0 = clock_s(CLOCK_PROCESS_CPUTIME_ID), wall0 = clock_s(CLOCK_MONOTONIC);
    double cpu = 0, best = 1e30;
    do {
        double p0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
        c = (counts){0, 0, 0};
        scan(path, &c);
        passes++;
        double p1 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
        if (p1 - p0 < best)
            best = p1 - p0;
        cpu = p1 - cpu0;
    } while (cpu < min_time || passes < 3);
    double wall = clock_s(CLOCK_MONOTONIC) - wall0;

    printf("dict_words: %zu\n", nwords);
    printf("load_s: %.3f\n", t1 - t0);
    printf("bytes: %zu\nwords: %zu\nhits: %zu\npasses: %d\n", c.bytes, c.words,
           c.hits, passes);
    printf("scan_cpu_s: %.6f\n", best);
    printf("scan_cpu_mean_s: %.6f\nscan_wall_mean_s: %.6f\n", cpu / passes, wall / passes);
    printf("mb_per_s: %.1f\n", c.bytes / 1e6 / best);
    return 0;
}
