/*
 * main.c -- the khaldun command: a thin layer over the library.
 *
 *   khaldun code [options] FILE...     code documents, write events
 *   khaldun parse [options] FILE...    write the sentences' parses (CoNLL-U)
 *   khaldun validate [options] SUITE   run a TABARI or PETRARCH suite
 *   khaldun dict check [dict options]  lint the dictionaries a run loads
 *
 * The pipeline of DESIGN.md, one document at a time, through the public
 * API alone: a kh_reader reads, a kh_pool of kh_pipelines (one per -j
 * thread) cleans, segments, codes and enriches, and hands the documents
 * back in input order to a kh_writer, which writes.  This file parses
 * arguments and prints the summary; what is coded, and how, is the
 * library's business.
 */
#include "khaldun.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

static void usage(FILE *out)
{
    fputs("usage: khaldun code [options] FILE|DIR|- ...\n"
          "       khaldun parse [--parse given|tagger] [-o FILE] [--lede N] [-j N]\n"
          "                     [--explain] [--quiet] FILE|DIR|- ...\n"
          "       khaldun validate [--verbose] [--explain] [--parse given|tagger] SUITE\n"
          "       khaldun dict check [--dict KIND:FILE] [--petrarch-config FILE.ini]\n"
          "                          [--tabari-project FILE] [--no-default-dicts]\n"
          "       khaldun --version\n"
          "\n"
          "code options:\n"
          "  --dict KIND:FILE       add a dictionary (verbs, actors, agents,\n"
          "                         discards, issues, ontology); repeatable\n"
          "  --petrarch-config FILE.ini  load the dictionaries and options of a\n"
          "                         PETRARCH-2 configuration\n"
          "  --tabari-project FILE  load the dictionaries and options a TABARI\n"
          "                         .project names (and code as TABARI does)\n"
          "  --dialect D            petrarch (default) or tabari coding rules\n"
          "  --no-default-dicts     do not load the built-in dictionaries\n"
          "  --date YYYYMMDD        date of documents that carry none\n"
          "  -o FILE                output file (default: standard output);\n"
          "                         FILE.db or FILE.sqlite writes SQLite\n"
          "  --format F             jsonl (default), tsv, sqlite, gdelt or\n"
          "                         conllu (the parses, not the events)\n"
          "  --parse SOURCE         where the syntax comes from: tagger (default)\n"
          "                         or given (the input's <Parse>, when a\n"
          "                         sentence has one)\n"
          "  --dedup-window DAYS    merge repeated reports of an event within\n"
          "                         DAYS across stories (default 3)\n"
          "  --lede N               code only the first N sentences of each\n"
          "                         document (0: all)\n"
          "  --all                  also write negated and hypothetical events\n"
          "  -j, --jobs N           code on N threads (default: one per core);\n"
          "                         the output is the same for any N\n"
          "  --explain              trace tags, clauses and patterns to stderr\n"
          "  --mpi                  share the run among the ranks of an MPI job\n"
          "                         (mpirun -np N khaldun code --mpi ...): one\n"
          "                         output in input order, written by rank 0\n"
          "  --shards               with --mpi: each rank writes -o FILE.EXT as\n"
          "                         FILE.rank-K.EXT (any format)\n"
          "  --split-bytes N        with --mpi: JSON-lines files over N bytes are\n"
          "                         shared by byte ranges (default 16 MB)\n"
          "  --quiet                no summary line\n"
          "\n"
          "parse writes CoNLL-U for any input code reads; with --parse given,\n"
          "its summary line says how many tokens the given parses covered.\n"
          "\n"
          "dict check loads the dictionaries code would load with the same\n"
          "options and prints each problem as FILE:LINE: what is wrong; it\n"
          "exits 1 when there is any (docs/dict-check.md lists the rules).\n", out);
}

typedef struct cli {
    const char **inputs;
    int input_count;
    const char *output;
    const char *format;
    long date;
    int lede;               /* sentences coded per document, 0 = all */
    int jobs;               /* -j: worker threads, 0 = one per core */
    int dedup_window;       /* days, -1 = the writer's default */
    int defaults, explain, quiet, all;
    int parse;              /* kh_parse_source, --parse */
    int parse_only;         /* khaldun parse: parses, no events */
    kh_coder_options coding;    /* the dialect's rules, and a config's */
    int mpi, shards;            /* --mpi, --shards: kh_cluster_code */
    long long split_bytes;      /* --split-bytes, 0 = the default */
} cli;

static long parse_date_arg(const char *s)
{
    long date = kh_date_parse(s);
    size_t n = strlen(s);      /* YYYYMMDD or YYYY-MM-DD, nothing after */
    return date && (n == 8 || n == 10) ? date : -1;
}

static int parse_count_arg(const char *s)
{
    char *end;
    long v = strtol(s, &end, 10);
    return (*end || v < 0 || v > 1000000) ? -1 : (int)v;
}

/* ---- coding ---- */

typedef struct run_totals {
    long documents, undated, sentences, events, discarded, held_back;
    kh_parse_stats parse;
} run_totals;

static void add_coded(run_totals *t, const kh_coded_doc *coded)
{
    t->documents++;
    t->undated += coded->undated;
    t->sentences += (long)coded->count;
    t->events += coded->events;
    t->held_back += coded->held_back;
    t->discarded += coded->discarded;
    kh_parse_stats_add(&t->parse, &coded->parse);
}

static void print_summary(const run_totals *t, const kh_read_stats *rs, double seconds)
{
    fprintf(stderr,
            "khaldun: %ld documents, %ld sentences, %ld events (%ld negated or "
            "hypothetical held back), %zu inputs skipped, %ld sentences discarded, "
            "%ld documents undated, %.2f s\n",
            t->documents, t->sentences, t->events, t->held_back, rs->skipped, t->discarded,
            t->undated, seconds);
}

/* khaldun parse's summary: how much of the text the given parses cover
 * is the measure of their alignment (see parse.h). */
static void print_parse_summary(const run_totals *t, const kh_read_stats *rs, double seconds)
{
    const kh_parse_stats *p = &t->parse;
    fprintf(stderr, "khaldun: %ld documents, %ld sentences, %ld tokens, %zu inputs skipped",
            t->documents, p->sentences, p->tokens, rs->skipped);
    if (p->given_sentences)
        fprintf(stderr,
                "; given parses: %ld sentences, %ld of %ld tokens aligned (%.1f%%), "
                "%ld given tokens not found in the text, %ld lines skipped",
                p->given_sentences, p->aligned, p->given_tokens,
                p->given_tokens ? 100.0 * (double)p->aligned / (double)p->given_tokens : 0.0,
                p->unlocated, p->malformed);
    fprintf(stderr, ", %.2f s\n", seconds);
}

static void add_stats(kh_read_stats *sum, const kh_read_stats *s)
{
    sum->files += s->files;
    sum->documents += s->documents;
    sum->skipped += s->skipped;
}

/* Everything one coding run works with. */
typedef struct run {
    kh_pool *pool;
    kh_writer *writer;
    run_totals totals;
    int rc;
    int flush_each;      /* events go out document by document */
} run;

/* Whether output to stdout should leave after each document: when it is
 * a pipe, a socket or a terminal, someone may be reading it as it comes
 * (`zstdcat dump.zst | khaldun code - | jq`).  A file is written in
 * stdio's blocks. */
static int stdout_streams(const char *output)
{
    struct stat st;
    if (output && strcmp(output, "-") != 0)
        return 0;
    if (isatty(STDOUT_FILENO))
        return 1;
    return fstat(STDOUT_FILENO, &st) == 0 && (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode));
}

/* The pool's callback: documents arrive here in input order. */
static int write_coded(void *ctx, kh_doc *doc, kh_coded_doc *coded)
{
    run *r = ctx;
    add_coded(&r->totals, coded);
    if (kh_writer_write(r->writer, doc, coded) < 0)
        r->rc = 1;
    if (r->flush_each)
        fflush(stdout);
    return 0;
}

static void code_one_input(run *r, const char *path, const kh_read_options *ro, kh_diag *diag,
                           kh_read_stats *sum)
{
    kh_reader *reader = kh_reader_open(path, ro, diag);
    kh_doc doc = {0};
    while (kh_reader_next(reader, &doc) == 1)
        kh_pool_submit(r->pool, &doc);
    kh_read_stats rs;
    kh_reader_stats(reader, &rs);
    add_stats(sum, &rs);
    kh_reader_close(reader);
}

static int reads_stdin(const cli *opts)
{
    for (int i = 0; i < opts->input_count; i++)
        if (strcmp(opts->inputs[i], "-") == 0)
            return 1;
    return 0;
}

/* From a pipe to a pipe someone is watching events come as documents
 * arrive; the pool hands a document over only when later ones push it
 * out, so without an explicit -j such a run codes on one thread. */
static int jobs_for(const cli *opts, const run *r)
{
    if (opts->jobs == 0 && r->flush_each && reads_stdin(opts))
        return 1;
    return opts->jobs;
}

static void pipeline_options_for(const cli *opts, kh_format fmt, kh_pipeline_options *po)
{
    kh_pipeline_options_default(po);
    po->coding = opts->coding;
    po->lede = opts->lede;
    po->keep_all = opts->all;
    po->explain = opts->explain ? stderr : NULL;
    po->parse = opts->parse;
    po->parse_only = opts->parse_only;
    po->keep_parses = fmt == KH_OUTPUT_CONLLU;
}

static kh_pool *pool_for(const kh_dict *dict, const cli *opts, kh_format fmt, run *r)
{
    kh_pipeline_options po;
    pipeline_options_for(opts, fmt, &po);
    return kh_pool_new(dict, &po, jobs_for(opts, r), write_coded, r);
}

static double seconds_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + (t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/* khaldun code --mpi: the run shared among the ranks of an MPI job
 * (kh_cluster_code); rank 0 prints the summary, summed over the ranks. */
static int code_on_cluster(const kh_dict *dict, const cli *opts, kh_format fmt, kh_diag *diag)
{
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    kh_cluster_options co = {.inputs = opts->inputs, .input_count = opts->input_count,
                             .output = opts->output, .format = fmt, .shards = opts->shards,
                             .jobs = opts->jobs, .dedup_window = opts->dedup_window,
                             .split_bytes = opts->split_bytes};
    co.read.date = opts->date > 0 ? opts->date : 0;
    pipeline_options_for(opts, fmt, &co.pipeline);
    kh_cluster_result res;
    int rc = kh_cluster_code(dict, &co, &res, diag);
    if (res.rank == 0 && rc != 2 && !opts->quiet) {
        run_totals t = {.documents = res.documents, .undated = res.undated,
                        .sentences = res.sentences, .events = res.events,
                        .discarded = res.discarded, .held_back = res.held_back};
        print_summary(&t, &res.read, seconds_since(&t0));
        fprintf(stderr, "khaldun: shared among %d MPI ranks%s\n", res.ranks,
                rc ? "; the run FAILED" : "");
    }
    return rc;
}

static int code_inputs(const kh_dict *dict, const cli *opts, kh_format fmt, kh_diag *diag)
{
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    run r = {0};
    r.writer = kh_writer_open(opts->output ? opts->output : "-", fmt, diag);
    if (!r.writer)
        return 1;
    if (opts->dedup_window >= 0)
        kh_writer_set_dedup_window(r.writer, opts->dedup_window);
    r.flush_each = stdout_streams(opts->output);
    r.pool = pool_for(dict, opts, fmt, &r);
    kh_read_options ro = {0};
    ro.date = opts->date > 0 ? opts->date : 0;
    kh_read_stats sum = {0};
    for (int i = 0; i < opts->input_count; i++)
        code_one_input(&r, opts->inputs[i], &ro, diag, &sum);
    kh_pool_finish(r.pool);
    kh_pool_free(r.pool);
    int rc = r.rc;
    if (kh_writer_close(r.writer) != 0)
        rc = 1;
    double seconds = seconds_since(&t0);
    if (!opts->quiet && opts->parse_only)
        print_parse_summary(&r.totals, &sum, seconds);
    else if (!opts->quiet)
        print_summary(&r.totals, &sum, seconds);
    return rc;
}

/* ---- arguments ---- */

/* Options that take a value; returns 1 if `a` was one of them. */
static int parse_value_option(const char *a, const char *v, cli *opts, kh_dict *dict,
                              kh_diag *diag, int *rc)
{
    if (!strcmp(a, "--dict")) *rc |= kh_dict_load_spec(dict, v, diag);
    else if (!strcmp(a, "--petrarch-config")) {
        kh_coder_options_default(&opts->coding);
        *rc |= kh_petrarch_config_load(v, dict, &opts->coding, diag);
    } else if (!strcmp(a, "--tabari-project")) {
        kh_coder_options_tabari(&opts->coding);
        *rc |= kh_tabari_project_load(v, dict, &opts->coding, NULL, diag);
    } else if (!strcmp(a, "--dialect")) {
        if (!strcmp(v, "tabari")) kh_coder_options_tabari(&opts->coding);
        else if (!strcmp(v, "petrarch")) kh_coder_options_default(&opts->coding);
        else *rc = -1, kh_diag_report(diag, KH_ERROR, NULL, 0, "--dialect wants petrarch or tabari");
    } else if (!strcmp(a, "--date")) {
        if ((opts->date = parse_date_arg(v)) < 0)
            *rc = -1, kh_diag_report(diag, KH_ERROR, NULL, 0, "--date wants YYYYMMDD, got '%s'", v);
    } else if (!strcmp(a, "--lede")) {
        if ((opts->lede = parse_count_arg(v)) < 0)
            *rc = -1, kh_diag_report(diag, KH_ERROR, NULL, 0, "--lede wants a number, got '%s'", v);
    } else if (!strcmp(a, "--dedup-window")) {
        if ((opts->dedup_window = parse_count_arg(v)) < 0)
            *rc = -1, kh_diag_report(diag, KH_ERROR, NULL, 0, "--dedup-window wants days, got '%s'", v);
    } else if (!strcmp(a, "-j") || !strcmp(a, "--jobs")) {
        if ((opts->jobs = parse_count_arg(v)) < 1)
            *rc = -1, kh_diag_report(diag, KH_ERROR, NULL, 0, "%s wants a number of threads, got '%s'", a, v);
    } else if (!strcmp(a, "--parse")) {
        if ((opts->parse = kh_parse_source_parse(v)) < 0)
            *rc = -1, kh_diag_report(diag, KH_ERROR, NULL, 0, "--parse wants given or tagger, got '%s'", v);
    } else if (!strcmp(a, "--split-bytes")) {
        char *end;
        if ((opts->split_bytes = strtoll(v, &end, 10)) < 1 || *end)
            *rc = -1, kh_diag_report(diag, KH_ERROR, NULL, 0, "--split-bytes wants bytes, got '%s'", v);
    } else if (!strcmp(a, "-o")) opts->output = v;
    else if (!strcmp(a, "--format")) opts->format = v;
    else return 0;
    return 1;
}

static int parse_code_args(int argc, char **argv, cli *opts, kh_dict *dict, kh_diag *diag)
{
    int rc = 0, no_defaults = 0;
    opts->dedup_window = -1;
    kh_coder_options_default(&opts->coding);
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (i + 1 < argc && parse_value_option(a, argv[i + 1], opts, dict, diag, &rc)) {
            i++;
            continue;
        }
        if (!strcmp(a, "--no-default-dicts")) no_defaults = 1;
        else if (!strcmp(a, "--explain")) opts->explain = 1;
        else if (!strcmp(a, "--quiet")) opts->quiet = 1;
        else if (!strcmp(a, "--all")) opts->all = 1;
        else if (!strcmp(a, "--mpi")) opts->mpi = 1;
        else if (!strcmp(a, "--shards")) opts->shards = 1;
        else if (a[0] == '-' && a[1]) {
            kh_diag_report(diag, KH_ERROR, NULL, 0, "unknown option '%s' (or it lacks its value)", a);
            rc = -1;
        } else {
            opts->inputs[opts->input_count++] = a;
        }
    }
    opts->defaults = !no_defaults;
    return rc;
}

static int output_format(const cli *opts, kh_format *fmt, kh_diag *diag)
{
    *fmt = KH_OUTPUT_JSONL;
    if (opts->format) {
        int f = kh_format_parse(opts->format);
        if (f < 0) {
            kh_diag_report(diag, KH_ERROR, NULL, 0,
                           "unknown format '%s' (jsonl, tsv, sqlite, gdelt, conllu)",
                           opts->format);
            return -1;
        }
        *fmt = (kh_format)f;
    } else if (opts->output) {
        *fmt = kh_format_for_path(opts->output, KH_OUTPUT_JSONL);
    }
    return 0;
}

/* The output format `khaldun parse` allows: CoNLL-U alone. */
static int parse_output_format(const cli *opts, kh_format *fmt, kh_diag *diag)
{
    *fmt = KH_OUTPUT_CONLLU;
    if (opts->format && kh_format_parse(opts->format) != KH_OUTPUT_CONLLU) {
        kh_diag_report(diag, KH_ERROR, NULL, 0, "parse writes conllu only, not '%s'", opts->format);
        return -1;
    }
    return 0;
}

/* khaldun code, and khaldun parse (parse_only: the pipeline up to the
 * parse, written as CoNLL-U).  Both load the dictionaries: the tagger
 * reads which dictionary phrases start at each word. */
static int cmd_code(int argc, char **argv, int parse_only)
{
    kh_diag diag;
    kh_diag_init(&diag);
    cli opts = {0};
    opts.inputs = calloc((size_t)argc + 1, sizeof *opts.inputs);
    opts.parse_only = parse_only;
    kh_dict *dict = kh_dict_new();
    int rc = parse_code_args(argc, argv, &opts, dict, &diag);
    if (opts.defaults)
        kh_dict_load_defaults(dict, &diag);
    kh_format fmt;
    if ((parse_only ? parse_output_format(&opts, &fmt, &diag)
                    : output_format(&opts, &fmt, &diag)) < 0)
        rc = -1;
    if (opts.input_count == 0) {
        usage(stderr);
        rc = -1;
    }
    if (rc >= 0) {
        kh_dict_freeze(dict);
        rc = opts.mpi ? code_on_cluster(dict, &opts, fmt, &diag)
                      : code_inputs(dict, &opts, fmt, &diag);
    } else {
        rc = 2;
    }
    kh_dict_free(dict);
    free(opts.inputs);
    return rc;
}

static int cmd_validate(int argc, char **argv)
{
    kh_validate_options options = {0};
    const char *suite = NULL;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--verbose")) options.verbose = 1;
        else if (!strcmp(argv[i], "--explain")) options.explain = 1;
        else if (!strcmp(argv[i], "--parse") && i + 1 < argc) {
            if ((options.parse = kh_parse_source_parse(argv[++i])) < 0) {
                fprintf(stderr, "khaldun: --parse wants given or tagger, got '%s'\n", argv[i]);
                return 2;
            }
        } else suite = argv[i];
    }
    if (!suite) {
        usage(stderr);
        return 2;
    }
    kh_diag diag;
    kh_diag_init(&diag);
    kh_validate_result result;
    if (kh_validate(suite, stdout, &options, &result, &diag) < 0)
        return 2;
    return result.failed ? 1 : 0;
}

/* ---- khaldun dict ---- */

/* dict check prints its findings, the loaders' included, as the lint
 * lines editors know, "FILE:LINE: what is wrong", on standard output. */
static void lint_sink(void *ctx, kh_severity sev, const char *file, long line,
                      const char *message)
{
    (void)ctx;
    const char *kind = sev == KH_WARNING ? "warning: " : "";
    if (file && line > 0)
        printf("%s:%ld: %s%s\n", file, line, kind, message);
    else if (file)
        printf("%s: %s%s\n", file, kind, message);
    else
        printf("khaldun: %s%s\n", kind, message);
}

/* The dictionary options of code, and nothing else.  Returns 0, or -1
 * after reporting a bad argument. */
static int parse_dict_args(int argc, char **argv, kh_dict *dict, kh_diag *diag, int *defaults)
{
    kh_coder_options unused;
    int rc = 0;
    *defaults = 1;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--no-default-dicts")) *defaults = 0;
        else if (v && !strcmp(a, "--dict")) rc |= kh_dict_load_spec(dict, v, diag), i++;
        else if (v && !strcmp(a, "--petrarch-config")) {
            kh_coder_options_default(&unused);
            rc |= kh_petrarch_config_load(v, dict, &unused, diag), i++;
        } else if (v && !strcmp(a, "--tabari-project")) {
            rc |= kh_tabari_project_load(v, dict, NULL, NULL, diag), i++;
        } else {
            kh_diag_report(diag, KH_ERROR, NULL, 0,
                           "dict check: unknown option '%s' (or it lacks its value)", a);
            rc = -1;
        }
    }
    return rc;
}

static int cmd_dict_check(int argc, char **argv)
{
    kh_diag diag;
    kh_diag_init(&diag);
    diag.sink = lint_sink;
    kh_dict *dict = kh_dict_new();
    int defaults;
    int rc = parse_dict_args(argc, argv, dict, &diag, &defaults);
    if (defaults)
        kh_dict_load_defaults(dict, &diag);
    long load_errors = diag.errors;
    kh_dict_check_stats st;
    kh_dict_check(dict, &diag, &st);
    kh_dict_stats ds;
    kh_dict_get_stats(dict, &ds);
    fflush(stdout);
    fprintf(stderr,
            "khaldun: dict check: %ld problems: %ld in loading, %ld duplicate phrases, "
            "%ld overlapping roles, %ld shadowed patterns, %ld empty synsets, "
            "%ld non-CAMEO codes (%zu actors, %zu agents, %zu verbs, %zu patterns)\n",
            load_errors + st.problems, load_errors, st.duplicates, st.roles, st.shadowed,
            st.synsets, st.cameo, ds.actors, ds.agents, ds.verbs, ds.patterns);
    kh_dict_free(dict);
    if (rc < 0)
        return 2;
    return load_errors + st.problems ? 1 : 0;
}

static int cmd_dict(int argc, char **argv)
{
    if (argc >= 1 && !strcmp(argv[0], "check"))
        return cmd_dict_check(argc - 1, argv + 1);
    usage(stderr);
    return 2;
}

int main(int argc, char **argv)
{
    if (argc >= 2 && !strcmp(argv[1], "code"))
        return cmd_code(argc - 2, argv + 2, 0);
    if (argc >= 2 && !strcmp(argv[1], "parse"))
        return cmd_code(argc - 2, argv + 2, 1);
    if (argc >= 2 && !strcmp(argv[1], "validate"))
        return cmd_validate(argc - 2, argv + 2);
    if (argc >= 2 && !strcmp(argv[1], "dict"))
        return cmd_dict(argc - 2, argv + 2);
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
