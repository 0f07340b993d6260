/*
 * main.c -- the khaldun command: a thin layer over the library.
 *
 *   khaldun code [options] FILE...     code documents, write events
 *   khaldun parse [options] FILE...    write the sentences' parses (CoNLL-U)
 *   khaldun validate [options] SUITE   run a TABARI or PETRARCH suite
 *   khaldun dict check [dict options]  lint the dictionaries a run loads
 *   khaldun dict test [options] FILE... run a dictionary test file
 *   khaldun dict gaps [options] FILE... what the dictionaries missed
 *
 * The pipeline of DESIGN.md, one document at a time, through the public
 * API alone: a kh_reader reads, a kh_pool of kh_pipelines (one per -j
 * thread) cleans, segments, codes and enriches, and hands the documents
 * back in input order to a kh_writer, which writes.  This file parses
 * arguments and prints the summary; what is coded, and how, is the
 * library's business.
 */
#include "khaldun.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

/* Exit statuses of khaldun code and parse (README, "Exit status").  A
 * script must tell a complete run from one that lost input or output
 * without reading the messages; write failure wins over skipped input,
 * as it loses more. */
enum {
    KH_EXIT_OK = 0,        /* every input read, every event written */
    KH_EXIT_SKIPPED = 1,   /* some input, document or sentence was skipped
                              (missing, unreadable, malformed, not text,
                              too long); the rest was coded and written */
    KH_EXIT_USAGE = 2,     /* bad arguments, options or dictionaries;
                              nothing was coded */
    KH_EXIT_WRITE = 3      /* the output could not be written (a file
                              output is removed); the run stopped there */
};

/* Each command's help, printed by `khaldun COMMAND --help` (on standard
 * output, exit 0) and, all together, by `khaldun --help` and after a
 * usage error (on standard error, exit 2).  docs/khaldun.1 says more. */
static const char code_help[] =
    "usage: khaldun code [options] [--] FILE|DIR|- ...\n"
    "\n"
    "Codes documents (text, HTML, JSON lines, PETRARCH XML, TABARI records)\n"
    "and writes one event per line.  Options take their value as the next\n"
    "argument or after '=' (--format=tsv); '--' ends the options.\n"
    "\n"
    "  --dict KIND:FILE       add a dictionary (verbs, actors, agents,\n"
    "                         discards, issues, ontology); repeatable\n"
    "  --petrarch-config FILE.ini  load the dictionaries and options of a\n"
    "                         PETRARCH-2 configuration\n"
    "  --tabari-project FILE  load the dictionaries and options a TABARI\n"
    "                         .project names (and code as TABARI does)\n"
    "  --dialect D            petrarch (default), ud (UD-PETRARCH's) or tabari\n"
    "                         coding rules (before --intents)\n"
    "  --intents I            dictionary (default): a pattern codes \"will\n"
    "                         give aid\" as the act; codebook: as CAMEO's\n"
    "                         intent (03x) unless the pattern has the modal\n"
    "  --no-default-dicts     do not load the built-in dictionaries\n"
    "  --date YYYYMMDD        date of documents that carry none\n"
    "  --field NAME=KEY       read JSON-lines field NAME (id, date, title,\n"
    "                         text, source, url) from KEY; repeatable\n"
    "  --any-language         also code documents not in English\n"
    "  -o FILE                output file (default: standard output); the\n"
    "                         name chooses the format: .tsv, .csv, .conllu,\n"
    "                         .db or .sqlite (SQLite), postgresql://...\n"
    "  --format F             jsonl (default), tsv, csv, sqlite, gdelt,\n"
    "                         postgres or conllu (the parses, not the events)\n"
    "  --parse SOURCE         where the syntax comes from: tagger (default)\n"
    "                         or given (the input's <Parse>, when a\n"
    "                         sentence has one)\n"
    "  --dedup-window DAYS    merge repeated reports of an event within\n"
    "                         DAYS across stories (default 3)\n"
    "  --no-dedup             write every report as an event of its own\n"
    "  --lede N               code only the first N sentences of each\n"
    "                         document (0: all)\n"
    "  --all                  also write negated and hypothetical events\n"
    "  -j, --jobs N           code on N threads (default: one per core);\n"
    "                         the output is the same for any N\n"
    "  --explain              trace tags, clauses and patterns to stderr\n"
    "  --mpi                  share the run among the ranks of an MPI job\n"
    "                         (mpirun -np N khaldun code --mpi ...): one\n"
    "                         output in input order, written by rank 0,\n"
    "                         duplicates merged across ranks\n"
    "  --shards               with --mpi --no-dedup: each rank writes\n"
    "                         -o FILE.EXT as FILE.rank-K.EXT (any format)\n"
    "  --split-bytes N        with --mpi: JSON-lines files over N bytes are\n"
    "                         shared by byte ranges (default 16 MB)\n"
    "  --quiet                no progress line, no summary line\n"
    "  -h, --help             this help\n";

static const char parse_help[] =
    "usage: khaldun parse [--parse given|tagger] [-o FILE] [--lede N] [-j N]\n"
    "                     [--explain] [--quiet] [dictionary options] [--] FILE|DIR|- ...\n"
    "\n"
    "Writes the sentences' parses as CoNLL-U for any input code reads; with\n"
    "--parse given, its summary line says how many tokens the given parses\n"
    "covered.  It takes code's options (khaldun code --help).\n";

static const char validate_help[] =
    "usage: khaldun validate [--verbose] [--explain] [--parse given|tagger] SUITE\n"
    "\n"
    "Runs a TABARI .project (with its Validate.text) or a PETRARCH\n"
    "validation XML with the dictionaries it names, prints one line per\n"
    "failing record and ends with 'N passed, M failed'; exits 1 when any\n"
    "record failed.\n"
    "\n"
    "  --verbose              also print the records that passed\n"
    "  --explain              trace each record's coding to stderr\n"
    "  --parse SOURCE         tagger (default) or given (the suite's parses)\n"
    "  -h, --help             this help\n";

static const char aggregate_help[] =
    "usage: khaldun aggregate DB --by KEYS [-o FILE.csv]\n"
    "\n"
    "Counts the merged events of a khaldun database (a SQLite file, or a\n"
    "postgresql:// URL) as CSV: one row per combination of KEYS\n"
    "(comma-separated, at most four: dyad, actor, root, code, quad, day,\n"
    "week, month, year), with the events, their Goldstein sum and the four\n"
    "QuadClass counts.\n"
    "  e.g. khaldun aggregate events.db --by dyad,week\n";

static const char reindex_help[] =
    "usage: khaldun reindex DB\n"
    "\n"
    "Rebuilds the rollups and the full-text index that khaldun serve answers\n"
    "from (docs/schema.md); code builds them at the end of every run.  For a\n"
    "database of an older khaldun, or one changed by other means.  DB is a\n"
    "SQLite file or a postgresql:// URL (rollups only: no text index there).\n";

static const char serve_help[] =
    "usage: khaldun serve DB [--listen ADDR] [--port N] [--query-ms MS]\n"
    "\n"
    "Serves a read-only web view of a khaldun database (a SQLite file, or a\n"
    "postgresql:// URL): counts over time, the actor network, dyad series,\n"
    "a map and each event's evidence, with the JSON endpoints of\n"
    "docs/serve.md under /api/.  Stops on SIGINT or SIGTERM.\n"
    "\n"
    "  --listen ADDR          the address to listen on (default 127.0.0.1);\n"
    "                         there is no authentication: anyone who can\n"
    "                         reach another address reads the whole database\n"
    "  --port N               the port (default 8080; 0 picks a free one)\n"
    "  --query-ms MS          each request's time budget (default 10000;\n"
    "                         PostgreSQL: each statement's); a request\n"
    "                         over it is answered 503\n"
    "  -h, --help             this help\n";

static const char dict_help[] =
    "usage: khaldun dict check [dictionary options]\n"
    "       khaldun dict test [dictionary options] [--by-root] [--quiet]\n"
    "                         [--min-precision P --min-recall R] FILE...\n"
    "       khaldun dict gaps [dictionary options] [--top N] FILE...\n"
    "\n"
    "dictionary options: --dict KIND:FILE, --petrarch-config FILE.ini,\n"
    "                    --tabari-project FILE, --no-default-dicts\n"
    "\n"
    "dict check loads the dictionaries code would load with the same\n"
    "options and prints each problem as FILE:LINE: what is wrong; it\n"
    "exits 1 when there is any (docs/dict-check.md lists the rules).\n"
    "\n"
    "dict test codes each case of a test file (text lines, then\n"
    "'=> SOURCE CODE TARGET' or '=> none'; @date, @id) as code would and\n"
    "prints PASS/FAIL per case and precision and recall; it exits 0 when\n"
    "all pass, or with --min-precision/--min-recall (root level, percent)\n"
    "when both are met; 1 otherwise; 2 on errors.  dict gaps lists the\n"
    "names and verbs the dictionaries missed, most frequent first, as\n"
    "TSV: kind, count, phrase, suggestion, example (docs/dict-test.md).\n"
    "They take code's options (khaldun code --help).\n";

static void usage(FILE *out)
{
    fputs(code_help, out);
    fputs("\n", out);
    fputs(parse_help, out);
    fputs("\n", out);
    fputs(validate_help, out);
    fputs("\n", out);
    fputs(dict_help, out);
    fputs("\n", out);
    fputs(aggregate_help, out);
    fputs("\n", out);
    fputs(reindex_help, out);
    fputs("\n", out);
    fputs(serve_help, out);
    fputs("\nkhaldun -V, --version   the version\n", out);
}

/* -h or --help. */
static int is_help(const char *a)
{
    return !strcmp(a, "-h") || !strcmp(a, "--help");
}

/* GNU's "--name=value", the same as "--name" "value": the name, in a new
 * string, in *name and the value in *value; 0 when `a` has no '='. */
static int split_long_option(const char *a, char **name, const char **value)
{
    const char *eq = a[0] == '-' && a[1] == '-' ? strchr(a, '=') : NULL;
    if (!eq)
        return 0;
    *name = strndup(a, (size_t)(eq - a));
    *value = eq + 1;
    return 1;
}

typedef struct cli {
    const char **inputs;
    int input_count;
    const char *output;
    const char *format;
    long date;
    int lede;               /* sentences coded per document, 0 = all */
    int jobs;               /* -j: threads that code, 0 = one per core */
    int dedup_window;       /* days, -1 = the writer's default */
    int no_dedup;           /* --no-dedup: every report is an event */
    int defaults, explain, quiet, all;
    int any_language;       /* --any-language: code every document */
    int parse;              /* kh_parse_source, --parse */
    int parse_only;         /* khaldun parse: parses, no events */
    int help;               /* -h, --help */
    kh_read_field *fields;  /* --field NAME=KEY, field_count of them */
    size_t field_count;
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
    long documents, undated, sentences, events, discarded, held_back, too_long;
    long not_english;       /* documents not coded: not in English */
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
    t->not_english += coded->not_english != NULL;
    t->too_long += coded->too_long;
    kh_parse_stats_add(&t->parse, &coded->parse);
}

static void print_summary(const run_totals *t, const kh_read_stats *rs, double seconds)
{
    fprintf(stderr,
            "khaldun: %ld documents, %ld sentences, %ld events (%ld negated or "
            "hypothetical held back), %zu inputs skipped, %ld sentences discarded, "
            "%ld documents undated, %ld documents not in English skipped, "
            "%ld sentences too long to code, %.2f s\n",
            t->documents, t->sentences, t->events, t->held_back, rs->skipped, t->discarded,
            t->undated, t->not_english, t->too_long, seconds);
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
    if (t->not_english)
        fprintf(stderr, ", %ld documents not in English skipped", t->not_english);
    fprintf(stderr, ", %.2f s\n", seconds);
}

static void add_stats(kh_read_stats *sum, const kh_read_stats *s)
{
    sum->files += s->files;
    sum->documents += s->documents;
    sum->skipped += s->skipped;
}

/* ---- the progress line ---- */

/* A run this short is over before a progress line would tell anyone
 * anything; the summary line says it all. */
#define PROGRESS_DELAY_SECONDS 3.0
/* Redrawn at most this often: a terminal that redraws on every document
 * would slow the run and flicker. */
#define PROGRESS_INTERVAL_SECONDS 0.5

typedef struct progress {
    int on;              /* stderr is a terminal, and no --quiet, --explain */
    int shown;           /* a line is on the screen */
    struct timespec start;
    double last;         /* seconds since start of the last redraw */
} progress;

static double seconds_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static void progress_start(progress *p, const cli *opts)
{
    p->on = !opts->quiet && !opts->explain && isatty(STDERR_FILENO);
    p->shown = 0;
    p->last = 0;
    clock_gettime(CLOCK_MONOTONIC, &p->start);
}

/* "\r" returns to the line's start and "\033[K" erases what a longer
 * previous line left after it. */
static void progress_update(progress *p, const run_totals *t)
{
    if (!p->on)
        return;
    double now = seconds_since(&p->start);
    if (now < PROGRESS_DELAY_SECONDS || now - p->last < PROGRESS_INTERVAL_SECONDS)
        return;
    p->last = now;
    p->shown = 1;
    fprintf(stderr, "\rkhaldun: %ld documents, %ld sentences, %ld events, %.0f documents/s\033[K",
            t->documents, t->sentences, t->events, (double)t->documents / now);
    fflush(stderr);
}

/* Clears the line, so the summary (or an error) starts on a clean one. */
static void progress_end(progress *p)
{
    if (p->shown)
        fputs("\r\033[K", stderr);
    p->shown = 0;
}

/* Everything one coding run works with. */
typedef struct run {
    kh_pool *pool;
    kh_writer *writer;
    run_totals totals;
    int write_failed;    /* the writer failed: the run stops */
    int flush_each;      /* events go out document by document */
    progress progress;
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

/* The pool's callback: documents arrive here in input order.  A write
 * failure (reported by the writer, once) stops the pool: the rest could
 * not be written either.  Only documents written count in the summary.
 * The writer copies what it holds for its duplicate window, so that the
 * reader and the coder reuse their buffers at once: taking them over
 * instead ran fewer instructions but more time (bench/README.md). */
static int write_coded(void *ctx, kh_doc *doc, kh_coded_doc *coded)
{
    run *r = ctx;
    if (kh_writer_write(r->writer, doc, coded) < 0) {
        r->write_failed = 1;
        return 1;
    }
    add_coded(&r->totals, coded);
    progress_update(&r->progress, &r->totals);
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
        if (kh_pool_submit(r->pool, &doc) != 0)
            break;
    kh_doc_clear(&doc);
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

/* The pipeline the options ask for: code's, and dict test's and gaps'. */
static void pipeline_options_of(const cli *opts, kh_pipeline_options *po)
{
    kh_pipeline_options_default(po);
    po->coding = opts->coding;
    po->lede = opts->lede;
    po->keep_all = opts->all;
    po->explain = opts->explain ? stderr : NULL;
    po->parse = opts->parse;
    po->parse_only = opts->parse_only;
    po->any_language = opts->any_language;
}

static kh_pool *pool_for(const kh_dict *dict, const cli *opts, kh_format fmt, run *r)
{
    kh_pipeline_options po;
    pipeline_options_of(opts, &po);
    po.keep_parses = fmt == KH_OUTPUT_CONLLU;
    return kh_pool_new(dict, &po, jobs_for(opts, r), write_coded, r);
}

/* SIGINT, SIGTERM and SIGHUP end the run as they would have, but first
 * remove the temporary output files, so that an interrupted run leaves
 * no PATH.tmp-PID-N behind; the status is still the signal's. */
static void on_signal(int sig)
{
    kh_writer_remove_temporaries();
    signal(sig, SIG_DFL);
    raise(sig);
}

static void remove_temporaries_on_signals(void)
{
    static const int signals[] = {SIGINT, SIGTERM, SIGHUP};
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof signals / sizeof *signals; i++)
        sigaction(signals[i], &sa, NULL);
}

/* Whether the output is written through a temporary file, which a
 * failed run removes: a regular file or a new one (write.h). */
static int output_is_file(const char *output)
{
    struct stat st;
    if (!output || strcmp(output, "-") == 0)
        return 0;
    return stat(output, &st) != 0 || S_ISREG(st.st_mode);
}

/* After a write failure the counts would claim events that are not in
 * the output; say what is left instead. */
static void print_write_failure(const run *r, const char *output, kh_format fmt)
{
    /* A database commits batch by batch, so what came before the failure
     * stays (and a rerun completes it); a file is written whole or not. */
    if (fmt == KH_OUTPUT_SQLITE || fmt == KH_OUTPUT_POSTGRES)
        fprintf(stderr, "khaldun: stopped after %ld documents by the write failure; "
                "%s keeps the batches committed before it\n", r->totals.documents, output);
    else if (output_is_file(output))
        fprintf(stderr, "khaldun: stopped after %ld documents by the write failure; "
                "%s was not written\n", r->totals.documents, output);
    else
        fprintf(stderr, "khaldun: stopped after %ld documents by the write failure; "
                "the output is incomplete\n", r->totals.documents);
}

/* The absolute path of an output that may not exist yet: its directory's
 * real path and its own name.  NULL if the directory cannot be found
 * (opening the output will say why). */
static char *resolved_output(const char *output)
{
    char *real = realpath(output, NULL);
    if (real)
        return real;
    const char *slash = strrchr(output, '/');
    char *dir = slash ? strndup(output, (size_t)(slash - output) + 1) : strdup(".");
    char *rdir = dir ? realpath(dir, NULL) : NULL;
    const char *base = slash ? slash + 1 : output;
    char *path = rdir ? malloc(strlen(rdir) + strlen(base) + 2) : NULL;
    if (path)
        sprintf(path, "%s/%s", rdir, base);
    free(dir);
    free(rdir);
    return path;
}

/* -o naming an input, or a file inside an input directory, would replace
 * the input with the events or read the events back as input. */
static int output_is_input(const cli *opts, kh_diag *diag)
{
    if (!opts->output || strcmp(opts->output, "-") == 0)
        return 0;
    char *out = resolved_output(opts->output);
    int found = 0;
    for (int i = 0; out && !found && i < opts->input_count; i++) {
        char *in = strcmp(opts->inputs[i], "-") ? realpath(opts->inputs[i], NULL) : NULL;
        size_t n = in ? strlen(in) : 0;
        struct stat st;
        if (in && (strcmp(in, out) == 0 ||
                   (stat(in, &st) == 0 && S_ISDIR(st.st_mode) && strncmp(out, in, n) == 0 &&
                    (out[n] == '/' || (n == 1 && in[0] == '/'))))) {
            kh_diag_report(diag, KH_ERROR, NULL, 0,
                           "-o %s is %s input '%s'; write the events elsewhere",
                           opts->output, strcmp(in, out) ? "inside the" : "the",
                           opts->inputs[i]);
            found = 1;
        }
        free(in);
    }
    free(out);
    return found;
}

/* khaldun code --mpi: the run shared among the ranks of an MPI job
 * (kh_cluster_code); rank 0 prints the summary, summed over the ranks. */
static int code_on_cluster(const kh_dict *dict, const cli *opts, kh_format fmt, kh_diag *diag)
{
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    kh_cluster_options co = {.inputs = opts->inputs, .input_count = opts->input_count,
                             .output = opts->output, .format = fmt, .shards = opts->shards,
                             .jobs = opts->jobs, .dedup_window = opts->dedup_window,
                             .no_dedup = opts->no_dedup, .split_bytes = opts->split_bytes};
    co.read.date = opts->date > 0 ? opts->date : 0;
    pipeline_options_of(opts, &co.pipeline);
    co.pipeline.keep_parses = fmt == KH_OUTPUT_CONLLU;
    kh_cluster_result res;
    int rc = kh_cluster_code(dict, &co, &res, diag);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (res.rank == 0 && rc != 2 && !opts->quiet) {
        run_totals t = {.documents = res.documents, .undated = res.undated,
                        .sentences = res.sentences, .events = res.events,
                        .discarded = res.discarded, .held_back = res.held_back};
        print_summary(&t, &res.read, (double)(t1.tv_sec - t0.tv_sec) +
                                         (t1.tv_nsec - t0.tv_nsec) / 1e9);
        fprintf(stderr, "khaldun: shared among %d MPI ranks%s\n", res.ranks,
                rc ? "; the run FAILED" : "");
    }
    return rc;
}

static int exit_status(const run *r, const kh_read_stats *sum)
{
    if (r->write_failed)
        return KH_EXIT_WRITE;
    if (sum->skipped || r->totals.too_long)
        return KH_EXIT_SKIPPED;
    return KH_EXIT_OK;
}

static int code_inputs(const kh_dict *dict, const cli *opts, kh_format fmt, kh_diag *diag)
{
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    run r = {0};
    remove_temporaries_on_signals();
    r.writer = kh_writer_open(opts->output ? opts->output : "-", fmt, diag);
    if (!r.writer)
        return KH_EXIT_WRITE;
    if (kh_writer_set_inputs(r.writer, opts->inputs, opts->input_count) != 0)
        r.write_failed = 1;
    if (opts->dedup_window >= 0)
        kh_writer_set_dedup_window(r.writer, opts->dedup_window);
    if (opts->no_dedup)
        kh_writer_set_dedup(r.writer, 0);
    r.flush_each = stdout_streams(opts->output);
    progress_start(&r.progress, opts);
    r.pool = pool_for(dict, opts, fmt, &r);
    kh_read_options ro = {0};
    ro.date = opts->date > 0 ? opts->date : 0;
    ro.fields = opts->fields;
    ro.field_count = opts->field_count;
    kh_read_stats sum = {0};
    for (int i = 0; i < opts->input_count && !r.write_failed; i++)
        code_one_input(&r, opts->inputs[i], &ro, diag, &sum);
    kh_pool_finish(r.pool);
    kh_pool_free(r.pool);
    progress_end(&r.progress);
    if (kh_writer_close(r.writer) != 0)
        r.write_failed = 1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double seconds = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
    if (r.write_failed)
        print_write_failure(&r, opts->output, fmt);
    else if (!opts->quiet && opts->parse_only)
        print_parse_summary(&r.totals, &sum, seconds);
    else if (!opts->quiet)
        print_summary(&r.totals, &sum, seconds);
    return exit_status(&r, &sum);
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
        else if (!strcmp(v, "ud")) kh_coder_options_ud(&opts->coding);
        else *rc = -1, kh_diag_report(diag, KH_ERROR, NULL, 0, "--dialect wants petrarch, ud or tabari");
    } else if (!strcmp(a, "--intents")) {
        if (!strcmp(v, "codebook")) opts->coding.intents = KH_INTENTS_CODEBOOK;
        else if (!strcmp(v, "dictionary")) opts->coding.intents = KH_INTENTS_DICTIONARY;
        else *rc = -1, kh_diag_report(diag, KH_ERROR, NULL, 0, "--intents wants codebook or dictionary");
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
    } else if (!strcmp(a, "--field")) {
        if (kh_read_field_parse(v, &opts->fields[opts->field_count]) == 0)
            opts->field_count++;
        else
            *rc = -1, kh_diag_report(diag, KH_ERROR, NULL, 0, "--field wants NAME=KEY, NAME one of "
                                     "id, date, title, text, source, url; got '%s'", v);
    } else if (!strcmp(a, "--split-bytes")) {
        char *end;
        if ((opts->split_bytes = strtoll(v, &end, 10)) < 1 || *end)
            *rc = -1, kh_diag_report(diag, KH_ERROR, NULL, 0, "--split-bytes wants bytes, got '%s'", v);
    } else if (!strcmp(a, "-o")) opts->output = v;
    else if (!strcmp(a, "--format")) opts->format = v;
    else return 0;
    return 1;
}

/* A flag of code and parse; returns 1 if `a` was one of them. */
static int parse_flag_option(const char *a, cli *opts, int *no_defaults)
{
    if (!strcmp(a, "--no-default-dicts")) *no_defaults = 1;
    else if (!strcmp(a, "--explain")) opts->explain = 1;
    else if (!strcmp(a, "--quiet")) opts->quiet = 1;
    else if (!strcmp(a, "--all")) opts->all = 1;
    else if (!strcmp(a, "--any-language")) opts->any_language = 1;
    else if (!strcmp(a, "--no-dedup")) opts->no_dedup = 1;
    else if (!strcmp(a, "--mpi")) opts->mpi = 1;
    else if (!strcmp(a, "--shards")) opts->shards = 1;
    else return 0;
    return 1;
}

/* "--name=value": the value option `name`, or an error. */
static int parse_joined_option(const char *a, cli *opts, kh_dict *dict, kh_diag *diag)
{
    char *name;
    const char *value;
    int rc = 0;
    if (!split_long_option(a, &name, &value))
        return -1;
    if (!parse_value_option(name, value, opts, dict, diag, &rc)) {
        kh_diag_report(diag, KH_ERROR, NULL, 0, "unknown option '%s' (or it takes no value)", name);
        rc = -1;
    }
    free(name);
    return rc;
}

static int parse_code_args(int argc, char **argv, cli *opts, kh_dict *dict, kh_diag *diag)
{
    int rc = 0, no_defaults = 0, options = 1;
    opts->dedup_window = -1;
    kh_coder_options_default(&opts->coding);
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (!options || a[0] != '-' || !a[1]) {
            opts->inputs[opts->input_count++] = a;
        } else if (!strcmp(a, "--")) {
            options = 0;
        } else if (is_help(a)) {
            opts->help = 1;
        } else if (i + 1 < argc && parse_value_option(a, argv[i + 1], opts, dict, diag, &rc)) {
            i++;
        } else if (!parse_flag_option(a, opts, &no_defaults)) {
            if (strchr(a, '='))
                rc |= parse_joined_option(a, opts, dict, diag);
            else {
                kh_diag_report(diag, KH_ERROR, NULL, 0, "unknown option '%s' (or it lacks its value)", a);
                rc = -1;
            }
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
                           "unknown format '%s' (jsonl, tsv, csv, sqlite, gdelt, conllu)",
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
    opts.fields = calloc((size_t)argc + 1, sizeof *opts.fields);
    opts.parse_only = parse_only;
    kh_dict *dict = kh_dict_new();
    int rc = parse_code_args(argc, argv, &opts, dict, &diag);
    if (opts.help) {
        fputs(parse_only ? parse_help : code_help, stdout);
        kh_dict_free(dict);
        free(opts.inputs);
        free(opts.fields);
        return 0;
    }
    if (opts.defaults)
        kh_dict_load_defaults(dict, &diag);
    kh_format fmt;
    if ((parse_only ? parse_output_format(&opts, &fmt, &diag)
                    : output_format(&opts, &fmt, &diag)) < 0)
        rc = -1;
    if (opts.input_count == 0) {
        usage(stderr);
        rc = -1;
    } else if (output_is_input(&opts, &diag)) {
        rc = -1;
    }
    if (rc >= 0) {
        kh_dict_freeze(dict);
        rc = opts.mpi ? code_on_cluster(dict, &opts, fmt, &diag)
                      : code_inputs(dict, &opts, fmt, &diag);
    } else {
        rc = KH_EXIT_USAGE;
    }
    kh_dict_free(dict);
    free(opts.inputs);
    free(opts.fields);
    return rc;
}

/* validate's options; returns 0, 1 for --help, or -1 after reporting. */
static int parse_validate_args(int argc, char **argv, kh_validate_options *options,
                               const char **suite)
{
    for (int i = 0; i < argc; i++) {
        char *name = NULL;
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        int joined = split_long_option(a, &name, &v);
        if (joined)
            a = name;
        int rc = 0;
        if (is_help(a)) rc = 1;
        else if (!strcmp(a, "--verbose") && !joined) options->verbose = 1;
        else if (!strcmp(a, "--explain") && !joined) options->explain = 1;
        else if (!strcmp(a, "--parse") && v) {
            i += !joined;
            if ((options->parse = kh_parse_source_parse(v)) < 0) {
                fprintf(stderr, "khaldun: --parse wants given or tagger, got '%s'\n", v);
                rc = -1;
            }
        } else if (!strcmp(a, "--") && i + 1 < argc) *suite = argv[++i];
        else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "khaldun: validate: unknown option '%s' (or it lacks its value)\n", a);
            rc = -1;
        } else *suite = a;
        free(name);
        if (rc)
            return rc;
    }
    return 0;
}

static int cmd_validate(int argc, char **argv)
{
    kh_validate_options options = {0};
    const char *suite = NULL;
    int rc = parse_validate_args(argc, argv, &options, &suite);
    if (rc > 0) {
        fputs(validate_help, stdout);
        return 0;
    }
    if (rc < 0)
        return 2;
    if (!suite) {
        fputs(validate_help, stderr);
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

/* The dictionary options of code, and nothing else.  Returns 0, 1 for
 * --help, or -1 after reporting a bad argument. */
static int parse_dict_args(int argc, char **argv, kh_dict *dict, kh_diag *diag, int *defaults)
{
    kh_coder_options unused;
    int rc = 0;
    *defaults = 1;
    for (int i = 0; i < argc; i++) {
        char *name = NULL;
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        int step = !split_long_option(a, &name, &v);   /* 0: the value was joined */
        if (name)
            a = name;
        if (is_help(a)) {
            free(name);
            return 1;
        }
        if (!strcmp(a, "--no-default-dicts") && step) *defaults = 0;
        else if (v && !strcmp(a, "--dict")) rc |= kh_dict_load_spec(dict, v, diag), i += step;
        else if (v && !strcmp(a, "--petrarch-config")) {
            kh_coder_options_default(&unused);
            rc |= kh_petrarch_config_load(v, dict, &unused, diag), i += step;
        } else if (v && !strcmp(a, "--tabari-project")) {
            rc |= kh_tabari_project_load(v, dict, NULL, NULL, diag), i += step;
        } else {
            kh_diag_report(diag, KH_ERROR, NULL, 0,
                           "dict check: unknown option '%s' (or it lacks its value)", a);
            rc = -1;
        }
        free(name);
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
    if (rc > 0) {
        fputs(dict_help, stdout);
        kh_dict_free(dict);
        return 0;
    }
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

/* dict test's and dict gaps' own options, taken out of argv before the
 * rest goes to code's parser (parse_code_args): NAME is a flag, or takes
 * a value when `takes_value`. */
typedef struct own_option {
    const char *name;
    int takes_value;
    const char *value;      /* the value, or "" for a flag; NULL if absent */
} own_option;

/* Moves the options of `own` out of argv (which keeps the rest, in
 * order); returns the new argc, or -1 (reported) when one lacks its
 * value. */
static int take_own_options(int argc, char **argv, own_option *own, int n_own)
{
    int kept = 0;
    for (int i = 0; i < argc; i++) {
        own_option *o = NULL;
        for (int k = 0; k < n_own; k++)
            if (!strcmp(argv[i], own[k].name))
                o = &own[k];
        if (!o) {
            argv[kept++] = argv[i];
        } else if (!o->takes_value) {
            o->value = "";
        } else if (i + 1 < argc) {
            o->value = argv[++i];
        } else {
            fprintf(stderr, "khaldun: %s wants a value\n", o->name);
            return -1;
        }
    }
    return kept;
}

/* A percentage 0-100 (--min-precision, --min-recall); -1 if not one. */
static double parse_percent_arg(const char *s)
{
    char *end;
    double v = strtod(s, &end);
    return (end == s || *end || v < 0 || v > 100) ? -1 : v;
}

/* Reads code's options for dict test and dict gaps into *opts (whose
 * inputs the caller frees) and loads the dictionaries; *diag is set up
 * as code's.  Returns the frozen dictionary, or NULL after reporting. */
static kh_dict *load_for_dict_tool(int argc, char **argv, cli *opts, kh_diag *diag)
{
    kh_diag_init(diag);
    memset(opts, 0, sizeof *opts);
    opts->inputs = calloc((size_t)argc + 1, sizeof *opts->inputs);
    kh_dict *dict = kh_dict_new();
    int rc = parse_code_args(argc, argv, opts, dict, diag);
    if (opts->defaults)
        kh_dict_load_defaults(dict, diag);
    if (rc < 0 || opts->input_count == 0) {
        if (opts->input_count == 0)
            usage(stderr);
        kh_dict_free(dict);
        return NULL;
    }
    kh_dict_freeze(dict);
    return dict;
}

/* khaldun dict test [code options] [--quiet] [--by-root]
 * [--min-precision P --min-recall R] FILE... */
static int cmd_dict_test(int argc, char **argv)
{
    own_option own[] = {{"--by-root", 0, NULL}, {"--min-precision", 1, NULL},
                        {"--min-recall", 1, NULL}};
    double min_p = -1, min_r = -1;
    argc = take_own_options(argc, argv, own, 3);
    if (argc < 0 || (own[1].value && (min_p = parse_percent_arg(own[1].value)) < 0) ||
        (own[2].value && (min_r = parse_percent_arg(own[2].value)) < 0)) {
        fprintf(stderr, "khaldun: dict test: --min-precision and --min-recall want a "
                        "percentage (0-100)\n");
        return 2;
    }
    kh_diag diag;
    cli opts;
    kh_dict *dict = load_for_dict_tool(argc, argv, &opts, &diag);
    int rc = dict ? 0 : 2;
    kh_dict_test_result result;
    memset(&result, 0, sizeof result);
    kh_pipeline_options po;
    pipeline_options_of(&opts, &po);
    for (int i = 0; dict && i < opts.input_count; i++)
        if (kh_dict_test(opts.inputs[i], dict, &po, stdout, opts.quiet, &result, &diag) < 0)
            rc = 2;
    if (dict)
        kh_dict_test_summary(stdout, &result, own[0].value != NULL);
    if (rc == 0 && result.malformed)
        rc = 2;
    else if (rc == 0 && (min_p >= 0 || min_r >= 0))
        rc = kh_match_precision(&result.root) >= (min_p < 0 ? 0 : min_p) &&
             kh_match_recall(&result.root) >= (min_r < 0 ? 0 : min_r) ? 0 : 1;
    else if (rc == 0)
        rc = result.failed ? 1 : 0;
    kh_dict_free(dict);
    free(opts.inputs);
    return rc;
}

static void code_for_gaps(kh_gaps *gaps, const cli *opts, kh_diag *diag)
{
    kh_read_options ro = {0};
    ro.date = opts->date > 0 ? opts->date : 0;
    for (int i = 0; i < opts->input_count; i++) {
        kh_reader *reader = kh_reader_open(opts->inputs[i], &ro, diag);
        kh_doc doc = {0};
        while (kh_reader_next(reader, &doc) == 1) {
            kh_gaps_code(gaps, &doc);
            kh_doc_clear(&doc);
        }
        kh_reader_close(reader);
    }
}

/* khaldun dict gaps [code options] [--top N] [--format tsv|json] FILE... */
static int cmd_dict_gaps(int argc, char **argv)
{
    own_option own[] = {{"--top", 1, NULL}};
    int top = 0;
    argc = take_own_options(argc, argv, own, 1);
    if (argc < 0 || (own[0].value && (top = parse_count_arg(own[0].value)) < 0)) {
        fprintf(stderr, "khaldun: dict gaps: --top wants a number\n");
        return 2;
    }
    kh_diag diag;
    cli opts;
    kh_dict *dict = load_for_dict_tool(argc, argv, &opts, &diag);
    int json = opts.format && !strcmp(opts.format, "json");
    int rc = dict ? 0 : 2;
    if (opts.format && !json && strcmp(opts.format, "tsv") != 0) {
        fprintf(stderr, "khaldun: dict gaps writes tsv or json, not '%s'\n", opts.format);
        rc = 2;
    }
    if (rc == 0) {
        kh_pipeline_options po;
        pipeline_options_of(&opts, &po);
        kh_gaps *gaps = kh_gaps_new(dict, &po);
        code_for_gaps(gaps, &opts, &diag);
        rc = kh_gaps_write(gaps, stdout, json, (size_t)top) < 0 ? 1 : 0;
        kh_gaps_stats st;
        kh_gaps_get_stats(gaps, &st);
        if (!opts.quiet)
            fprintf(stderr, "khaldun: dict gaps: %ld documents, %ld sentences, %ld events, "
                            "%ld candidates (%ld rare ones dropped)\n",
                    st.documents, st.sentences, st.events, st.candidates, st.pruned);
        kh_gaps_free(gaps);
    }
    kh_dict_free(dict);
    free(opts.inputs);
    return rc;
}

static int cmd_dict(int argc, char **argv)
{
    if (argc >= 1 && !strcmp(argv[0], "check"))
        return cmd_dict_check(argc - 1, argv + 1);
    if (argc >= 1 && !strcmp(argv[0], "test"))
        return cmd_dict_test(argc - 1, argv + 1);
    if (argc >= 1 && !strcmp(argv[0], "gaps"))
        return cmd_dict_gaps(argc - 1, argv + 1);
    if (argc >= 1 && is_help(argv[0])) {
        fputs(dict_help, stdout);
        return 0;
    }
    if (argc >= 1)
        fprintf(stderr, "khaldun: unknown dict command '%s'\n", argv[0]);
    fputs(dict_help, stderr);
    return 2;
}

/* khaldun aggregate DB --by KEYS [-o FILE]: kh_aggregate's CSV. */
static int cmd_aggregate(int argc, char **argv)
{
    const char *db = NULL, *by = NULL, *output = NULL;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (is_help(a)) {
            fputs(aggregate_help, stdout);
            return 0;
        } else if (!strncmp(a, "--by=", 5)) {
            by = a + 5;
        } else if (v && !strcmp(a, "--by")) {
            by = v, i++;
        } else if (v && !strcmp(a, "-o")) {
            output = v, i++;
        } else if (a[0] != '-' && !db) {
            db = a;
        } else {
            fprintf(stderr, "khaldun: aggregate: unexpected '%s'\n", a);
            fputs(aggregate_help, stderr);
            return 2;
        }
    }
    if (!db || !by) {
        fputs(aggregate_help, stderr);
        return 2;
    }
    FILE *out = output ? fopen(output, "w") : stdout;
    if (!out) {
        fprintf(stderr, "khaldun: %s: %s\n", output, strerror(errno));
        return 3;
    }
    kh_diag diag;
    kh_diag_init(&diag);
    int rc = kh_aggregate(db, by, out, &diag) == 0 ? 0 : 2;
    if ((output ? fclose(out) : fflush(out)) != 0 && rc == 0) {
        fprintf(stderr, "khaldun: %s: write failed: %s\n", output ? output : "-",
                strerror(errno));
        rc = 3;
    }
    return rc;
}

/* khaldun reindex DB: kh_sqlite_reindex. */
static int cmd_reindex(int argc, char **argv)
{
    if (argc == 1 && is_help(argv[0])) {
        fputs(reindex_help, stdout);
        return 0;
    }
    if (argc != 1 || argv[0][0] == '-') {
        fputs(reindex_help, stderr);
        return 2;
    }
    kh_diag diag;
    kh_diag_init(&diag);
    return kh_sqlite_reindex(argv[0], &diag) == 0 ? 0 : 2;
}

/* The port `serve` listens on without --port. */
#define SERVE_DEFAULT_PORT 8080

/* Parses serve's options into *o; the database path, or NULL after
 * printing what is wrong (*status: 0 for --help, else 2). */
static const char *parse_serve_args(int argc, char **argv, kh_serve_options *o, int *status)
{
    const char *db = NULL;
    *status = 2;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        char *end = NULL;
        if (is_help(a)) {
            fputs(serve_help, stdout);
            *status = 0;
            return NULL;
        } else if (v && !strcmp(a, "--listen")) {
            o->listen = v, i++;
        } else if (v && !strcmp(a, "--port")) {
            long port = strtol(v, &end, 10);
            if (*end || !*v || port < 0 || port > 65535) {
                fprintf(stderr, "khaldun: serve: --port takes 0 to 65535, not '%s'\n", v);
                return NULL;
            }
            o->port = (unsigned)port, i++;
        } else if (v && !strcmp(a, "--query-ms")) {
            long ms = strtol(v, &end, 10);
            if (*end || !*v || ms < 1 || ms > 3600000) {
                fprintf(stderr, "khaldun: serve: --query-ms takes 1 to 3600000, not '%s'\n", v);
                return NULL;
            }
            o->query_ms = ms, i++;
        } else if (a[0] != '-' && !db) {
            db = a;
        } else {
            fprintf(stderr, "khaldun: serve: unexpected '%s'\n", a);
            fputs(serve_help, stderr);
            return NULL;
        }
    }
    if (!db)
        fputs(serve_help, stderr);
    return db;
}

/* khaldun serve DB: kh_serve_start, then waits for SIGINT or SIGTERM.  The
 * signals are blocked before the server's threads start, so that they
 * inherit the mask and only sigwait here receives them. */
static int cmd_serve(int argc, char **argv)
{
    kh_serve_options o = {.port = SERVE_DEFAULT_PORT};
    int status;
    const char *db = parse_serve_args(argc, argv, &o, &status);
    if (!db)
        return status;
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    kh_diag diag;
    kh_diag_init(&diag);
    kh_server *s = kh_serve_start(db, &o, &diag);
    if (!s)
        return 2;
    fprintf(stderr, "khaldun: serving %s at %s\n", db, kh_server_url(s));
    int sig;
    sigwait(&stop, &sig);
    kh_serve_stop(s);
    return 0;
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
    if (argc >= 2 && !strcmp(argv[1], "aggregate"))
        return cmd_aggregate(argc - 2, argv + 2);
    if (argc >= 2 && !strcmp(argv[1], "serve"))
        return cmd_serve(argc - 2, argv + 2);
    if (argc >= 2 && !strcmp(argv[1], "reindex"))
        return cmd_reindex(argc - 2, argv + 2);
    if (argc >= 2 && (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V") ||
                      !strcmp(argv[1], "version"))) {
        printf("khaldun %s\n", KHALDUN_VERSION);
        return 0;
    }
    if (argc >= 2 && (is_help(argv[1]) || !strcmp(argv[1], "help"))) {
        usage(stdout);
        return 0;
    }
    if (argc >= 2) {
        fprintf(stderr, "khaldun: unknown command '%s' (code, parse, validate, dict, aggregate, reindex or serve; "
                "khaldun --help lists them)\n", argv[1]);
        return 2;
    }
    usage(stderr);
    return 2;
}
