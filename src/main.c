/*
 * main.c -- the khaldun command: a thin layer over the library.
 *
 *   khaldun code [options] FILE...     code documents, write events
 *   khaldun validate [options] SUITE   run a TABARI or PETRARCH suite
 */
#include "khaldun.h"
#include "clean.h"
#include "read.h"
#include "segment.h"
#include "validate.h"
#include "write.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static void usage(FILE *out)
{
    fputs("usage: khaldun code [options] FILE... (or - for standard input)\n"
          "       khaldun validate [--verbose] [--explain] SUITE\n"
          "       khaldun --version\n"
          "\n"
          "code options:\n"
          "  --dict KIND:FILE       add a dictionary (verbs, actors, agents,\n"
          "                         discards, issues); repeatable\n"
          "  --tabari-project FILE  load the dictionaries a TABARI .project names\n"
          "  --no-default-dicts     do not load the built-in dictionaries\n"
          "  --date YYYYMMDD        date of documents that carry none\n"
          "  -o FILE                output file (default: standard output);\n"
          "                         FILE.db or FILE.sqlite writes SQLite\n"
          "  --format F             jsonl (default), tsv or sqlite\n"
          "  --explain              trace tags, clauses and patterns to stderr\n"
          "  --all                  also write negated events\n"
          "  --quiet                no summary line\n", out);
}

typedef struct cli {
    const char **inputs;
    int input_count;
    const char *output;
    const char *format;
    long date;
    int defaults, explain, quiet, all;
} cli;

static long parse_date_arg(const char *s)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (*end || v < 10000101 || v > 99991231)
        return -1;
    return v;
}

static int load_dict_arg(kh_dict *dict, const char *arg, kh_diag *diag)
{
    const char *colon = strchr(arg, ':');
    char kind_name[32];
    if (!colon || (size_t)(colon - arg) >= sizeof kind_name) {
        kh_diag_report(diag, KH_ERROR, NULL, 0, "--dict wants KIND:FILE, got '%s'", arg);
        return -1;
    }
    memcpy(kind_name, arg, colon - arg);
    kind_name[colon - arg] = 0;
    int kind = kh_dict_kind_parse(kind_name);
    if (kind < 0) {
        kh_diag_report(diag, KH_ERROR, NULL, 0,
                       "unknown dictionary kind '%s' (verbs, actors, agents, discards, issues)",
                       kind_name);
        return -1;
    }
    return kh_dict_load(dict, (kh_dict_kind)kind, colon + 1, diag);
}

/* Loads the dictionaries named by a TABARI .project file. */
static int load_tabari_project(kh_dict *dict, const char *path, kh_diag *diag)
{
    static const struct { const char *tag; kh_dict_kind kind; } files[] = {
        {"<actorsfile>", KH_DICT_ACTORS}, {"<verbsfile>", KH_DICT_VERBS},
        {"<agentsfile>", KH_DICT_AGENTS}};
    FILE *f = fopen(path, "r");
    if (!f) {
        kh_diag_report(diag, KH_ERROR, path, 0, "cannot read project");
        return -1;
    }
    char line[2048], name[1024], full[4096];
    const char *slash = strrchr(path, '/');
    int dir_len = slash ? (int)(slash - path) : 1;
    const char *dir = slash ? path : ".";
    int rc = 0;
    while (fgets(line, sizeof line, f))
        for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
            size_t n = strlen(files[i].tag);
            if (strncmp(line, files[i].tag, n) == 0 && sscanf(line + n, " %1023s", name) == 1) {
                snprintf(full, sizeof full, "%.*s/%s", dir_len, dir, name);
                rc |= kh_dict_load(dict, files[i].kind, name[0] == '/' ? name : full, diag);
            }
        }
    fclose(f);
    return rc;
}

typedef struct run_totals {
    long documents, sentences, events, discarded;
} run_totals;

static void keep_events(kh_events *events, int all)
{
    if (all)
        return;
    size_t kept = 0;
    for (size_t i = 0; i < events->count; i++) {
        if (events->items[i].flags & KH_EVENT_NEGATED) {
            kh_events tail = {&events->items[i], 1, 1};
            kh_events_clear(&tail);
            continue;
        }
        events->items[kept++] = events->items[i];
    }
    events->count = kept;
}

/* TABARI and PETRARCH records are one sentence each, as their coders
 * treat them; articles are split into sentences. */
static int code_document(kh_coder *coder, kh_writer *w, kh_doc *doc,
                         const cli *opts, int one_sentence, run_totals *totals)
{
    kh_clean_doc(doc, NULL);
    kh_writer_add_doc(w, doc);
    kh_sentence_span *spans = NULL;
    size_t n;
    if (one_sentence && doc->len) {
        spans = malloc(sizeof *spans);
        spans[0].start = 0;
        spans[0].end = doc->len;
        n = 1;
    } else {
        n = kh_segment(doc->text, doc->len, &spans);
    }
    kh_events events;
    kh_events_init(&events);
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        const char *s = doc->text + spans[i].start;
        size_t len = spans[i].end - spans[i].start;
        kh_events_clear(&events);
        if (kh_code_sentence(coder, s, len, doc->date, &events) < 0)
            totals->discarded++;
        keep_events(&events, opts->all);
        totals->events += (long)events.count;
        if (kh_writer_add(w, doc, (int)i + 1, s, len, (long)spans[i].start, &events) < 0)
            rc = -1;
    }
    totals->sentences += (long)n;
    totals->documents++;
    kh_events_free(&events);
    free(spans);
    return rc;
}

static void print_summary(const run_totals *t, const kh_read_stats *rs, double seconds)
{
    fprintf(stderr,
            "khaldun: %ld documents, %ld sentences, %ld events, %zu skipped, "
            "%ld sentences discarded, %.2f s\n",
            t->documents, t->sentences, t->events, rs->skipped, t->discarded, seconds);
}

static void add_stats(kh_read_stats *sum, const kh_read_stats *s)
{
    sum->files += s->files;
    sum->documents += s->documents;
    sum->skipped += s->skipped;
}

static int code_inputs(const kh_dict *dict, const cli *opts, kh_format fmt, kh_diag *diag)
{
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    kh_writer *w = kh_writer_open(opts->output ? opts->output : "-", fmt, diag);
    if (!w)
        return 1;
    kh_coder *coder = kh_coder_new(dict);
    if (opts->explain)
        kh_coder_set_explain(coder, stderr);
    kh_read_options ro = {0};
    ro.date = opts->date > 0 ? opts->date : 0;
    run_totals totals = {0};
    kh_read_stats sum = {0};
    int rc = 0;
    for (int i = 0; i < opts->input_count; i++) {
        kh_reader *r = kh_reader_open(opts->inputs[i], &ro, diag);
        kh_doc doc = {0};
        while (kh_reader_next(r, &doc) == 1) {
            kh_read_format f = kh_reader_format(r);
            int records = f == KH_FORMAT_PETRARCH || f == KH_FORMAT_TABARI;
            if (code_document(coder, w, &doc, opts, records, &totals) < 0)
                rc = 1;
            kh_doc_clear(&doc);
        }
        kh_read_stats rs;
        kh_reader_stats(r, &rs);
        add_stats(&sum, &rs);
        kh_reader_close(r);
    }
    if (kh_writer_close(w) != 0)
        rc = 1;
    kh_coder_free(coder);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (!opts->quiet)
        print_summary(&totals, &sum,
                      (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
    if (sum.skipped)
        rc = rc ? rc : 0;
    return rc;
}

static int parse_code_args(int argc, char **argv, cli *opts, kh_dict *dict, kh_diag *diag)
{
    int rc = 0, no_defaults = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        int has_value = i + 1 < argc;
        if (!strcmp(a, "--dict") && has_value) rc |= load_dict_arg(dict, argv[++i], diag);
        else if (!strcmp(a, "--tabari-project") && has_value) rc |= load_tabari_project(dict, argv[++i], diag);
        else if (!strcmp(a, "--no-default-dicts")) no_defaults = 1;
        else if (!strcmp(a, "--date") && has_value) {
            if ((opts->date = parse_date_arg(argv[++i])) < 0) {
                kh_diag_report(diag, KH_ERROR, NULL, 0, "--date wants YYYYMMDD, got '%s'", argv[i]);
                rc = -1;
            }
        } else if (!strcmp(a, "-o") && has_value) opts->output = argv[++i];
        else if (!strcmp(a, "--format") && has_value) opts->format = argv[++i];
        else if (!strcmp(a, "--explain")) opts->explain = 1;
        else if (!strcmp(a, "--quiet")) opts->quiet = 1;
        else if (!strcmp(a, "--all")) opts->all = 1;
        else if (a[0] == '-' && a[1]) {
            kh_diag_report(diag, KH_ERROR, NULL, 0, "unknown option '%s'", a);
            rc = -1;
        } else {
            opts->inputs[opts->input_count++] = a;
        }
    }
    opts->defaults = !no_defaults;
    return rc;
}

static int cmd_code(int argc, char **argv)
{
    kh_diag diag;
    kh_diag_init(&diag);
    cli opts = {0};
    opts.inputs = calloc((size_t)argc + 1, sizeof *opts.inputs);
    kh_dict *dict = kh_dict_new();
    int rc = parse_code_args(argc, argv, &opts, dict, &diag);
    if (opts.defaults)
        kh_dict_load_defaults(dict, &diag);
    kh_format fmt = KH_OUTPUT_JSONL;
    if (opts.format) {
        int f = kh_format_parse(opts.format);
        if (f < 0) {
            kh_diag_report(&diag, KH_ERROR, NULL, 0, "unknown format '%s' (jsonl, tsv, sqlite)", opts.format);
            rc = -1;
        } else {
            fmt = (kh_format)f;
        }
    } else if (opts.output) {
        fmt = kh_format_for_path(opts.output, KH_OUTPUT_JSONL);
    }
    if (opts.input_count == 0) {
        usage(stderr);
        rc = -1;
    }
    if (rc < 0) {
        kh_dict_free(dict);
        free(opts.inputs);
        return 2;
    }
    kh_dict_freeze(dict);
    rc = code_inputs(dict, &opts, fmt, &diag);
    kh_dict_free(dict);
    free(opts.inputs);
    return rc;
}

static int cmd_validate(int argc, char **argv)
{
    int verbose = 0, explain = 0;
    const char *suite = NULL;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--verbose")) verbose = 1;
        else if (!strcmp(argv[i], "--explain")) explain = 1;
        else suite = argv[i];
    }
    if (!suite) {
        usage(stderr);
        return 2;
    }
    kh_diag diag;
    kh_diag_init(&diag);
    kh_validate_result result;
    if (kh_validate(suite, stdout, verbose, explain, &result, &diag) < 0)
        return 2;
    return result.failed ? 1 : 0;
}

int main(int argc, char **argv)
{
    if (argc >= 2 && !strcmp(argv[1], "code"))
        return cmd_code(argc - 2, argv + 2);
    if (argc >= 2 && !strcmp(argv[1], "validate"))
        return cmd_validate(argc - 2, argv + 2);
    if (argc >= 2 && (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version"))) {
        printf("khaldun %s\n", KHALDUN_VERSION);
        return 0;
    }
    if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "help"))) {
        usage(stdout);
        return 0;
    }
    usage(stderr);
    return 2;
}
