/*
 * bench_code.c -- how fast one kh_coder codes a corpus on one thread.
 *
 *     bench_code [--dict KIND:FILE]... [--no-default-dicts] [--date YYYYMMDD]
 *                [--limit N] [--events FILE] CORPUS
 *
 * CORPUS has one sentence per line (bench/gen_corpus writes one).  With no
 * --dict the default dictionaries compiled into khaldun are used.  Prints
 * the time to load and freeze the dictionaries, then sentences, events and
 * discarded sentences, sentences per second, megabytes per second and the
 * peak resident set size (getrusage ru_maxrss), as "key: value" lines and
 * a final one-line summary.  The corpus is streamed line by line, so the
 * peak RSS is the dictionaries' and the coder's, not the corpus's.
 *
 * --events FILE writes every event, one tab-separated line each (sentence
 * number, source, target, code, spans, pattern, dictionary line, issues,
 * flags), so that an optimisation can be checked to code exactly as before:
 * run it before and after and compare the files.
 */
#include "khaldun.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long peak_rss_kb(void)
{
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) != 0)
        return -1;
    return ru.ru_maxrss;    /* kilobytes on Linux */
}

static void usage(void)
{
    fprintf(stderr, "usage: bench_code [--dict KIND:FILE]... [--no-default-dicts] "
                    "[--date YYYYMMDD] [--limit N] [--events FILE] CORPUS\n");
    exit(2);
}

typedef struct totals {
    size_t sentences, events, discarded, bytes;
} totals;

static void write_event(FILE *out, size_t sentence, int status,
                        const kh_event *e)
{
    fprintf(out, "%zu\t%d\t%s\t%s\t%s\t%s\t%s\t%ld:%ld\t%ld:%ld\t%ld:%ld\t"
                 "%s\t%s:%ld\t%s\t%u\n",
            sentence, status, e->source, e->target, e->source_text,
            e->target_text, e->code, e->source_span.start, e->source_span.end,
            e->verb_span.start, e->verb_span.end, e->target_span.start,
            e->target_span.end, e->pattern ? e->pattern : "",
            e->dict_file ? e->dict_file : "", e->dict_line,
            e->issues ? e->issues : "", e->flags);
}

/* One line per event, and one for each discarded sentence (status -1). */
static void write_events(FILE *out, size_t sentence, int status,
                         const kh_events *events)
{
    if (status < 0)
        fprintf(out, "%zu\t-1\n", sentence);
    for (size_t i = 0; i < events->count; i++)
        write_event(out, sentence, status, &events->items[i]);
}

static void code_corpus(FILE *in, kh_coder *coder, long date, size_t limit,
                        FILE *events_out, totals *t)
{
    kh_events events;
    kh_events_init(&events);
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    while ((limit == 0 || t->sentences < limit) &&
           (len = getline(&line, &cap, in)) >= 0) {
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        int n = kh_code_sentence(coder, line, (size_t)len, date, &events);
        if (n < 0)
            t->discarded++;
        if (events_out)
            write_events(events_out, t->sentences + 1, n, &events);
        t->events += events.count;
        kh_events_clear(&events);
        t->sentences++;
        t->bytes += (size_t)len;
    }
    free(line);
    kh_events_free(&events);
}

int main(int argc, char **argv)
{
    kh_diag diag;
    kh_diag_init(&diag);
    diag.quiet = 1;
    const char *corpus = NULL;
    long date = 20150612;   /* a fixed date, so dated actor roles apply */
    size_t limit = 0;
    const char *events_path = NULL;
    int defaults = 1, dict_args = 0;

    double t0 = now_seconds();
    kh_dict *dict = kh_dict_new();
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--dict") && i + 1 < argc) {
            if (kh_dict_load_spec(dict, argv[++i], &diag) < 0) {
                fprintf(stderr, "bench_code: cannot load %s\n", argv[i]);
                return 1;
            }
            dict_args++;
        } else if (!strcmp(argv[i], "--no-default-dicts")) {
            defaults = 0;
        } else if (!strcmp(argv[i], "--date") && i + 1 < argc) {
            date = strtol(argv[++i], NULL, 10);
        } else if (!strcmp(argv[i], "--limit") && i + 1 < argc) {
            limit = strtoull(argv[++i], NULL, 10);
        } else if (!strcmp(argv[i], "--events") && i + 1 < argc) {
            events_path = argv[++i];
        } else if (argv[i][0] == '-' && argv[i][1]) {
            usage();
        } else {
            corpus = argv[i];
        }
    }
    if (!corpus)
        usage();
    if (defaults && dict_args == 0)
        kh_dict_load_defaults(dict, &diag);
    double t1 = now_seconds();
    kh_dict_freeze(dict);
    double t2 = now_seconds();

    kh_dict_stats ds;
    kh_dict_get_stats(dict, &ds);
    kh_coder *coder = kh_coder_new(dict);
    if (!coder) {
        fprintf(stderr, "bench_code: cannot create a coder\n");
        return 1;
    }
    FILE *in = strcmp(corpus, "-") ? fopen(corpus, "r") : stdin;
    if (!in) {
        fprintf(stderr, "bench_code: %s: %s\n", corpus, strerror(errno));
        return 1;
    }
    FILE *events_out = NULL;
    if (events_path && !(events_out = fopen(events_path, "w"))) {
        fprintf(stderr, "bench_code: %s: %s\n", events_path, strerror(errno));
        return 1;
    }
    totals t = {0};
    double t3 = now_seconds();
    code_corpus(in, coder, date, limit, events_out, &t);
    double t4 = now_seconds();
    if (in != stdin)
        fclose(in);
    if (events_out)
        fclose(events_out);

    double secs = t4 - t3 > 0 ? t4 - t3 : 1e-9;
    printf("dictionaries: %zu actors, %zu agents, %zu verbs, %zu patterns "
           "(%ld load problems)\n", ds.actors, ds.agents, ds.verbs, ds.patterns,
           diag.errors + diag.warnings);
    printf("load_seconds: %.3f\n", t1 - t0);
    printf("freeze_seconds: %.3f\n", t2 - t1);
    printf("sentences: %zu\n", t.sentences);
    printf("events: %zu\n", t.events);
    printf("discarded: %zu\n", t.discarded);
    printf("code_seconds: %.3f\n", secs);
    printf("sentences_per_second: %.0f\n", t.sentences / secs);
    printf("mb_per_second: %.2f\n", t.bytes / secs / 1e6);
    printf("peak_rss_mb: %.1f\n", peak_rss_kb() / 1024.0);
    printf("summary: %zu sentences in %.2f s = %.0f sentences/s, %zu events, "
           "peak RSS %.1f MB\n", t.sentences, secs, t.sentences / secs, t.events,
           peak_rss_kb() / 1024.0);
    kh_coder_free(coder);
    kh_dict_free(dict);
    return 0;
}
