/*
 * cluster.c -- khaldun code --mpi: one run shared among the ranks of an
 * MPI job (khaldun.h, "Running on a cluster", says what it does).
 *
 * The flow, every rank in step:
 *
 *   rank 0 lists the inputs into units ─► broadcast ─► every rank codes
 *   its block of units ─► who failed (gather) ─► totals (reduce) ─►
 *   gathered output: rank 0 receives the spools in rank order and writes
 *
 * A gathered output of events is written by one writer, rank 0's, from
 * the coded documents of every rank (coded_pack.h) in input order: its
 * one duplicate stage (dedup.h) sees the stream a single process sees,
 * so reports of one event on different ranks merge as they would there
 * and the output is the single run's, byte for byte.  Merging needs
 * that one ordered stream, which is why shards, written by each rank
 * from its own share, are for --no-dedup runs only, and a PostgreSQL URL
 * is written by every rank directly only with --no-dedup (with merging,
 * rank 0 writes it like a file).
 *
 * Every rank reaches every collective call whatever happened to it, so a
 * rank that fails (cannot read, cannot write) never leaves the others
 * waiting: its failure is a value it hands on, and the run fails as a
 * whole.  Without KH_HAVE_MPI (the build found no OpenMPI) only the
 * refusal at the end of the file is compiled.
 */
#include "khaldun.h"
#include "kh_limits.h"

#include <stdio.h>

#ifdef KH_HAVE_MPI

#include "buf.h"
#include "coded_pack.h"
#include "util.h"
#include "vec.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>
#include <mpi.h>

/* Message tags of the gathered output. */
enum { TAG_SPOOL_SIZE = 1, TAG_SPOOL_CHUNK = 2 };

/* One unit of work: a file, or the byte range [start, end) of one. */
typedef struct unit {
    char *path;
    long long start, end;   /* end < 0: the whole file */
    long first_line;        /* the line number at start */
    long long bytes;        /* its size, as rank 0 saw it (for the blocks) */
    long name_from;         /* bytes of path not in its documents' ids:
                               a directory argument's (kh_read_options) */
} unit;

typedef KH_VEC(unit) unit_vec;

/* What one rank is and has done. */
typedef struct rank_run {
    int rank, ranks;
    const kh_cluster_options *opts;
    kh_diag *diag;
    kh_writer *writer;
    int gathered;           /* rank 0 writes one output (not shards, not
                               a URL every rank writes) */
    int packed;             /* gathered events: the spool holds coded
                               documents for rank 0's writer */
    kh_buf pack;            /* packed: one document's record */
    FILE *spool;            /* gathered: this rank's coded documents, or
                               (CoNLL-U) its formatted output */
    FILE *out;              /* gathered, rank 0: the output (or stdout) */
    char *out_tmp;          /* ... its temporary name, renamed when done */
    char *preamble;         /* gathered: what the writer wrote on open */
    size_t preamble_len;
    char *failure;          /* what went wrong, NULL while all is well */
    kh_cluster_result totals;
} rank_run;

/* Records the rank's first failure, and says it, naming the rank. */
static void fail(rank_run *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *what = kh_xvasprintf(fmt, ap);
    va_end(ap);
    fprintf(stderr, "khaldun: rank %d of %d: %s\n", r->rank, r->ranks, what);
    if (!r->failure)
        r->failure = what;
    else
        free(what);
}

/* ---- listing the inputs (rank 0) ---- */

static void push_unit(unit_vec *units, const char *path, long long start, long long end,
                      long first_line, long long bytes)
{
    unit *u = KH_VEC_PUSH(units);
    u->name_from = 0;
    u->path = kh_xstrdup(path);
    u->start = start;
    u->end = end;
    u->first_line = first_line;
    u->bytes = bytes;
}

/* Whether a file can be cut at line starts: uncompressed, and JSON lines
 * (its first line one JSON object), not a JSON array or a pretty-printed
 * object, whose records span lines. */
static int splittable(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    char *line = NULL;
    size_t cap = 0;
    ssize_t n = getline(&line, &cap, f);
    fclose(f);
    int ok = 0;
    if (n > 0 && line[0] == '{') {
        json_t *v = json_loadb(line, (size_t)n, 0, NULL);
        ok = json_is_object(v);
        json_decref(v);
    }
    free(line);
    return ok;
}

/* Cut targets: where piece k (of pieces) of a size-byte file would start. */
static long long cut_target(long long size, int k, int pieces)
{
    return (long long)((double)size * k / pieces);
}

/* Splits path (size bytes) into up to `pieces` ranges that start at line
 * starts, by reading it once.  Returns 0, or -1 when the file has a lone
 * CR (which the readers count as a line break: line numbers would be
 * off) or cannot be read; the caller then keeps it whole. */
static int split_file(unit_vec *units, const char *path, long long size, int pieces)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    char *block = kh_xmalloc(KH_CLUSTER_SCAN_BYTES);
    size_t first = units->count;
    long long pos = 0, start = 0;
    long line = 1, start_line = 1;
    int k = 1, prev = 0, bad = 0;
    size_t n;
    while (!bad && (n = fread(block, 1, KH_CLUSTER_SCAN_BYTES, f)) > 0) {
        for (size_t i = 0; i < n; i++, pos++) {
            char c = block[i];
            if (prev == '\r' && c != '\n')
                bad = 1;
            prev = c;
            if (c != '\n')
                continue;
            line++;                    /* pos + 1 starts line `line` */
            if (k < pieces && pos + 1 >= cut_target(size, k, pieces) && pos + 1 < size) {
                push_unit(units, path, start, pos + 1, start_line, pos + 1 - start);
                start = pos + 1, start_line = line;
                while (k < pieces && cut_target(size, k, pieces) <= start)
                    k++;
            }
        }
    }
    bad |= ferror(f) || prev == '\r';
    fclose(f);
    free(block);
    if (bad) {
        while (units->count > first)
            free(units->items[--units->count].path);
        return -1;
    }
    push_unit(units, path, start, size, start_line, size - start);
    return 0;
}

static void add_file(unit_vec *units, const char *path, long long split_bytes, int ranks)
{
    struct stat st;
    int known = stat(path, &st) == 0;
    if (ranks > 1 && known && S_ISREG(st.st_mode) && st.st_size > split_bytes &&
        splittable(path) && split_file(units, path, (long long)st.st_size, ranks) == 0)
        return;
    push_unit(units, path, 0, -1, 1, known ? (long long)st.st_size : 0);
}

/* Rank 0's list of units, in input order.  Returns 0, or -1 when an
 * input cannot be read (reported by the reader). */
static int list_units(rank_run *r, unit_vec *units)
{
    const kh_cluster_options *o = r->opts;
    long long split = o->split_bytes > 0 ? o->split_bytes : KH_CLUSTER_SPLIT_BYTES;
    int rc = 0;
    for (int i = 0; i < o->input_count; i++) {
        kh_reader *reader = kh_reader_open(o->inputs[i], &o->read, r->diag);
        kh_read_stats rs;
        kh_reader_stats(reader, &rs);
        if (rs.unreadable) {
            fail(r, "listing the inputs: cannot read '%s'", o->inputs[i]);
            rc = -1;
        }
        size_t first = units->count;
        for (size_t f = 0; f < kh_reader_file_count(reader); f++)
            add_file(units, kh_reader_file(reader, f), split, r->ranks);
        /* A directory's files are named by their path inside it, as in a
         * run without MPI. */
        struct stat st;
        size_t n = strlen(o->inputs[i]);
        long from = stat(o->inputs[i], &st) == 0 && S_ISDIR(st.st_mode)
                        ? (long)(n > 0 && o->inputs[i][n - 1] == '/' ? n : n + 1) : 0;
        for (size_t k = first; k < units->count; k++)
            units->items[k].name_from = from;
        kh_reader_close(reader);
    }
    return rc;
}

/* ---- the unit table, broadcast ---- */

/* Units as bytes: "START\0END\0LINE\0BYTES\0NAME_FROM\0PATH\0" each. */
static char *pack_units(const unit_vec *units, size_t *len)
{
    kh_buf b = {0};
    for (size_t i = 0; i < units->count; i++) {
        const unit *u = &units->items[i];
        kh_buf_printf(&b, "%lld", u->start);
        kh_buf_addc(&b, 0);
        kh_buf_printf(&b, "%lld", u->end);
        kh_buf_addc(&b, 0);
        kh_buf_printf(&b, "%ld", u->first_line);
        kh_buf_addc(&b, 0);
        kh_buf_printf(&b, "%lld", u->bytes);
        kh_buf_addc(&b, 0);
        kh_buf_printf(&b, "%ld", u->name_from);
        kh_buf_addc(&b, 0);
        kh_buf_add(&b, u->path, strlen(u->path) + 1);
    }
    *len = b.len;
    return b.data;
}

static void unpack_units(const char *d, size_t len, unit_vec *units)
{
    const char *end = d + len;
    while (d < end) {
        long long start = strtoll(d, NULL, 10);
        d += strlen(d) + 1;
        long long stop = strtoll(d, NULL, 10);
        d += strlen(d) + 1;
        long line = strtol(d, NULL, 10);
        d += strlen(d) + 1;
        long long bytes = strtoll(d, NULL, 10);
        d += strlen(d) + 1;
        long from = strtol(d, NULL, 10);
        d += strlen(d) + 1;
        push_unit(units, d, start, stop, line, bytes);
        units->items[units->count - 1].name_from = from;
        d += strlen(d) + 1;
    }
}

/* Rank 0 lists; everyone gets the list.  Returns 0, or -1 on every rank
 * when rank 0 could not list the inputs. */
static int share_units(rank_run *r, unit_vec *units)
{
    long long head[2] = {0, 0};          /* bytes of the table, listing failed */
    char *table = NULL;
    if (r->rank == 0) {
        head[1] = list_units(r, units) < 0;
        size_t len;
        table = pack_units(units, &len);
        head[0] = (long long)len;
    }
    MPI_Bcast(head, 2, MPI_LONG_LONG, 0, MPI_COMM_WORLD);
    if (r->rank != 0)
        table = kh_xmalloc((size_t)head[0] + 1);
    if (head[0] > 0)          /* < KH_CLUSTER_CHUNK_BYTES for any real list */
        MPI_Bcast(table, (int)head[0], MPI_CHAR, 0, MPI_COMM_WORLD);
    if (r->rank != 0)
        unpack_units(table, (size_t)head[0], units);
    free(table);
    return head[1] ? -1 : 0;
}

/* A unit's weight in the blocks: its bytes, and one more so that empty
 * files are dealt too. */
static double unit_weight(const unit *u)
{
    return (double)u->bytes + 1;
}

/* The first unit of `rank`'s block: units in order, cut into blocks of
 * about equal bytes (a unit goes to the rank its middle byte falls in).
 * Every rank computes it from the same table, with rank 0's sizes, so
 * the blocks part the units exactly. */
static size_t block_start(const unit_vec *units, int rank, int ranks)
{
    double total = 0, seen = 0;
    for (size_t i = 0; i < units->count; i++)
        total += unit_weight(&units->items[i]);
    size_t i = 0;
    for (; i < units->count; i++) {
        double w = unit_weight(&units->items[i]);
        if ((int)((seen + w / 2) * ranks / total) >= rank)
            break;
        seen += w;
    }
    return i;
}

/* ---- coding this rank's block ---- */

/* The pool's callback: documents of this rank's block, in order. */
static int deliver(void *ctx, kh_doc *doc, kh_coded_doc *coded)
{
    rank_run *r = ctx;
    kh_cluster_result *t = &r->totals;
    t->documents++;
    t->undated += coded->undated;
    t->sentences += (long)coded->count;
    t->events += coded->events;
    t->held_back += coded->held_back;
    t->discarded += coded->discarded;
    if (r->failure)
        return 0;             /* the run has failed: said once, not per document */
    if (r->packed && r->rank == 0) {
        /* Rank 0's share is the first in input order: written as it is
         * coded, while the other ranks' wait in their spools. */
        if (kh_writer_write(r->writer, doc, coded) < 0)
            fail(r, "writing the events of '%s'", doc->id ? doc->id : "?");
        return 0;
    }
    if (r->packed) {
        kh_buf_clear(&r->pack);
        kh_pack_coded(&r->pack, doc, coded);
        if (fwrite(r->pack.data, 1, r->pack.len, r->spool) != r->pack.len)
            fail(r, "spooling its coded documents: %s", strerror(errno));
        return 0;
    }
    if (kh_writer_write(r->writer, doc, coded) < 0)
        fail(r, "writing the events of '%s'", doc->id ? doc->id : "?");
    if (r->spool) {
        size_t len;
        char *text = kh_writer_take(r->writer, &len);
        if (fwrite(text, 1, len, r->spool) != len)
            fail(r, "spooling its output: %s", strerror(errno));
        free(text);
    }
    return 0;
}

static void code_unit(rank_run *r, kh_pool *pool, const unit *u)
{
    kh_read_options ro = r->opts->read;
    ro.name_from = (size_t)u->name_from;
    kh_reader *reader;
    if (u->end >= 0) {
        ro.format = KH_FORMAT_JSONL;    /* a range has no start to sniff */
        reader = kh_reader_open_range(u->path, u->start, u->end, u->first_line, &ro, r->diag);
    } else {
        reader = kh_reader_open(u->path, &ro, r->diag);
    }
    kh_doc doc = {0};
    while (kh_reader_next(reader, &doc) == 1)
        kh_pool_submit(pool, &doc);
    kh_read_stats rs;
    kh_reader_stats(reader, &rs);
    kh_read_stats *sum = &r->totals.read;
    sum->files += rs.files;
    sum->documents += rs.documents;
    sum->skipped += rs.skipped;
    if (rs.unreadable && u->end >= 0)
        fail(r, "coding bytes %lld-%lld of '%s': cannot read them", u->start, u->end, u->path);
    else if (rs.unreadable)
        fail(r, "coding '%s': cannot read it", u->path);
    kh_reader_close(reader);
}

static void code_block(rank_run *r, const kh_dict *dict, const unit_vec *units)
{
    size_t from = block_start(units, r->rank, r->ranks);
    size_t to = block_start(units, r->rank + 1, r->ranks);
    kh_pool *pool = kh_pool_new(dict, &r->opts->pipeline, r->opts->jobs, deliver, r);
    for (size_t i = from; i < to; i++)
        code_unit(r, pool, &units->items[i]);
    kh_pool_finish(pool);
    kh_pool_free(pool);
}

/* ---- outputs ---- */

static int is_url(const char *output)
{
    return output && strstr(output, "://") != NULL;
}

/* out.jsonl -> out.rank-K.jsonl; the extension is the last dot's, if it
 * is in the file name. */
static char *shard_path(const char *output, int rank)
{
    const char *dot = strrchr(output, '.'), *slash = strrchr(output, '/');
    if (!dot || (slash && dot < slash) || dot == output || (slash && dot == slash + 1))
        return kh_xasprintf("%s.rank-%d", output, rank);
    return kh_xasprintf("%.*s.rank-%d%s", (int)(dot - output), output, rank, dot);
}

/* Where rank 0 writes the gathered output: standard output, or a
 * temporary file beside PATH renamed over it when complete (the
 * writers' crash safety, khaldun.h "Writing events"). */
static FILE *open_gathered(const char *path, char **tmp)
{
    *tmp = NULL;
    if (!path || !strcmp(path, "-"))
        return stdout;
    *tmp = kh_xasprintf("%s.tmp-%ld", path, (long)getpid());
    FILE *out = fopen(*tmp, "wb");
    if (!out) {
        int e = errno;
        free(*tmp);
        *tmp = NULL;
        errno = e;
    }
    return out;
}

static int close_gathered(FILE *out, const char *path, char *tmp, int ok)
{
    if (out == stdout)
        ok &= fflush(stdout) == 0;
    else if (out)
        ok &= fclose(out) == 0;
    if (tmp && ok && rename(tmp, path) != 0)
        ok = 0;
    if (tmp && !ok)
        unlink(tmp);
    free(tmp);
    return ok ? 0 : -1;
}

/* Whether every rank writes an output of its own (shards, or a URL all
 * write at once) rather than rank 0 one for all. */
static int every_rank_writes(const kh_cluster_options *o)
{
    return o->shards || (is_url(o->output) && o->no_dedup);
}

/* Rank 0's writer of the gathered events, opened before coding so that
 * an output it cannot create fails the run at once; the other ranks
 * only spool. */
static void open_packed(rank_run *r)
{
    const kh_cluster_options *o = r->opts;
    const char *path = o->output ? o->output : "-";
    r->gathered = r->packed = 1;
    if (r->rank != 0) {
        if (!(r->spool = tmpfile()))
            fail(r, "creating its spool file: %s", strerror(errno));
        return;
    }
    if (!(r->writer = kh_writer_open(path, o->format, r->diag)))
        fail(r, "creating the output '%s'", path);
    else if (kh_writer_set_inputs(r->writer, o->inputs, o->input_count) != 0)
        fail(r, "recording the inputs in '%s'", path);
}

/* Opens this rank's writer: its shard, the URL, rank 0's writer of the
 * gathered events, or (CoNLL-U) a memory writer whose output is spooled
 * for rank 0. */
static int open_output(rank_run *r)
{
    const kh_cluster_options *o = r->opts;
    if (o->shards) {
        char *path = shard_path(o->output, r->rank);
        r->writer = kh_writer_open(path, o->format, r->diag);
        if (!r->writer)
            fail(r, "opening its shard '%s'", path);
        free(path);
    } else if (every_rank_writes(o)) {
        if (!(r->writer = kh_writer_open(o->output, o->format, r->diag)))
            fail(r, "opening the output '%s'", o->output);
    } else if (o->format != KH_OUTPUT_CONLLU) {
        open_packed(r);
    } else {
        r->gathered = 1;
        r->writer = kh_writer_open_memory(o->format, r->diag);
        r->preamble = kh_writer_take(r->writer, &r->preamble_len);
        if (!(r->spool = tmpfile()))
            fail(r, "creating its spool file: %s", strerror(errno));
        if (r->rank == 0 && !(r->out = open_gathered(o->output, &r->out_tmp)))
            fail(r, "creating the output '%s': %s", o->output, strerror(errno));
    }
    if (r->writer && o->dedup_window >= 0)
        kh_writer_set_dedup_window(r->writer, o->dedup_window);
    if (r->writer && o->no_dedup)
        kh_writer_set_dedup(r->writer, 0);
    return r->failure ? -1 : 0;
}

/* Options no rank could run with; the same on every rank, so each
 * decides alike (rank 0 says why). */
static int check_options(const kh_cluster_options *o, int rank, kh_diag *diag)
{
    const char *why = NULL;
    if (o->shards && (!o->output || !strcmp(o->output, "-")))
        why = "--shards needs -o FILE (each rank writes FILE.rank-K)";
    else if (o->shards && !o->no_dedup && o->format != KH_OUTPUT_CONLLU)
        why = "--shards writes each rank's share apart, so reports of one event "
              "on two ranks could not merge: add --no-dedup (every report), or "
              "drop --shards (rank 0 writes one output, any format, merged as "
              "in a single run)";
    for (int i = 0; !why && i < o->input_count; i++)
        if (!strcmp(o->inputs[i], "-"))
            why = "--mpi shares files among ranks; it cannot read standard input";
    if (why && rank == 0)
        kh_diag_report(diag, KH_ERROR, NULL, 0, "%s", why);
    return why ? -1 : 0;
}

/* ---- gathering ---- */

/* Sends this rank's spool to rank 0, size first, then in chunks. */
static void send_spool(rank_run *r, char *chunk)
{
    long long size = r->spool ? (long long)ftell(r->spool) : 0;
    MPI_Send(&size, 1, MPI_LONG_LONG, 0, TAG_SPOOL_SIZE, MPI_COMM_WORLD);
    if (r->spool)
        rewind(r->spool);
    for (long long left = size; left > 0;) {
        int n = left < KH_CLUSTER_CHUNK_BYTES ? (int)left : KH_CLUSTER_CHUNK_BYTES;
        if (fread(chunk, 1, (size_t)n, r->spool) != (size_t)n)
            memset(chunk, 0, (size_t)n);   /* rank 0 learns of it below */
        MPI_Send(chunk, n, MPI_CHAR, 0, TAG_SPOOL_CHUNK, MPI_COMM_WORLD);
        left -= n;
    }
}

/* Where received spool bytes go: 0, or -1 once they cannot be used (the
 * rest is received all the same, so that no rank is left waiting). */
typedef int (*spool_sink)(void *ctx, const char *data, size_t n);

/* Hands rank `from`'s spool (this rank's own when from is 0) to sink, a
 * chunk at a time.  Returns 0, or -1 when the spool could not be read
 * or the sink failed. */
static int receive_spool(rank_run *r, int from, spool_sink sink, void *ctx, char *chunk)
{
    int ok = sink != NULL;        /* NULL: receive, and drop */
    if (from == 0) {
        rewind(r->spool);
        size_t n;
        while (ok && (n = fread(chunk, 1, KH_CLUSTER_CHUNK_BYTES, r->spool)) > 0)
            ok = sink(ctx, chunk, n) == 0;
        return ok && !ferror(r->spool) ? 0 : -1;
    }
    long long size;
    MPI_Recv(&size, 1, MPI_LONG_LONG, from, TAG_SPOOL_SIZE, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    for (long long left = size; left > 0;) {
        int n = left < KH_CLUSTER_CHUNK_BYTES ? (int)left : KH_CLUSTER_CHUNK_BYTES;
        MPI_Recv(chunk, n, MPI_CHAR, from, TAG_SPOOL_CHUNK, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        ok = ok && sink(ctx, chunk, (size_t)n) == 0;
        left -= n;
    }
    return ok ? 0 : -1;
}

static int sink_to_file(void *ctx, const char *data, size_t n)
{
    return fwrite(data, 1, n, ctx) == n ? 0 : -1;
}

/* Rank 0 writes the preamble and every rank's formatted spool in rank
 * order (CoNLL-U). */
static int gather_formatted(rank_run *r, char *chunk)
{
    FILE *out = r->out;
    int ok = out != NULL;
    if (ok && r->preamble_len)
        ok = fwrite(r->preamble, 1, r->preamble_len, out) == r->preamble_len;
    for (int k = 0; k < r->ranks; k++)
        if (receive_spool(r, k, ok ? sink_to_file : NULL, out, chunk) < 0)
            ok = 0;
    r->out = NULL;
    return close_gathered(out, r->opts->output, r->out_tmp, ok);
}

/* Rank 0's writer fed from the ranks' coded documents as they arrive. */
typedef struct unpacker {
    kh_writer *writer;
    kh_pack_strings strings;  /* outlive the writer (coded_pack.h) */
    kh_buf pending;           /* a record not yet whole */
    int malformed;
} unpacker;

/* Writes every whole record of pending + data; keeps the rest. */
static int unpack_to_writer(void *ctx, const char *data, size_t n)
{
    unpacker *u = ctx;
    kh_buf_add(&u->pending, data, n);
    size_t at = 0;
    int rc = 0;
    while (rc == 0) {
        kh_doc doc = {0};
        kh_coded_doc coded;
        kh_coded_doc_init(&coded);
        long used = kh_unpack_coded(u->pending.data + at, u->pending.len - at, &u->strings,
                                    &doc, &coded);
        if (used <= 0) {
            u->malformed = used < 0;
            rc = u->malformed ? -1 : 0;
            break;
        }
        at += (size_t)used;
        rc = kh_writer_write(u->writer, &doc, &coded) == 0 ? 0 : -1;
        kh_doc_clear(&doc);
        kh_coded_doc_free(&coded);
    }
    memmove(u->pending.data, u->pending.data + at, u->pending.len - at);
    u->pending.len -= at;
    return rc;
}

/* Rank 0 writes the other ranks' coded documents, in rank order, after
 * its own, through its one writer and so its one duplicate stage. */
static int gather_packed(rank_run *r, char *chunk)
{
    unpacker u = {.writer = r->writer};
    kh_pack_strings_init(&u.strings);
    int ok = 1;
    for (int k = 1; k < r->ranks; k++) {
        int got = receive_spool(r, k, ok ? unpack_to_writer : NULL, &u, chunk) == 0;
        if (ok && (!got || u.pending.len)) {
            if (u.malformed || (got && u.pending.len))
                fail(r, "reading the coded documents of rank %d: damaged", k);
            ok = 0;
        }
    }
    r->writer = NULL;
    if (ok)
        ok = kh_writer_close(u.writer) == 0;
    else
        kh_writer_abort(u.writer);
    kh_pack_strings_free(&u.strings);
    kh_buf_free(&u.pending);
    return ok ? 0 : -1;
}

/* Rank 0 writes the gathered output; the others send it their spools. */
static int gather_output(rank_run *r)
{
    char *chunk = kh_xmalloc(KH_CLUSTER_CHUNK_BYTES);
    int rc = 0;
    if (r->rank != 0)
        send_spool(r, chunk);
    else if ((r->packed ? gather_packed(r, chunk) : gather_formatted(r, chunk)) < 0) {
        fail(r, "writing the gathered output '%s'", r->opts->output ? r->opts->output : "-");
        rc = -1;
    }
    free(chunk);
    return rc;
}

/* ---- the run as a whole ---- */

/* Whether any rank failed; rank 0 names them.  Collective. */
static int any_failed(rank_run *r)
{
    int failed = r->failure != NULL, count = 0;
    int *all = r->rank == 0 ? kh_xcalloc((size_t)r->ranks, sizeof *all) : NULL;
    MPI_Gather(&failed, 1, MPI_INT, all, 1, MPI_INT, 0, MPI_COMM_WORLD);
    if (r->rank == 0) {
        kh_buf names = {0};
        for (int k = 0; k < r->ranks; k++)
            if (all[k])
                kh_buf_printf(&names, "%s%d", count++ ? ", " : "", k);
        if (count)
            fprintf(stderr, "khaldun: the run failed: rank%s %s of %d failed (above); "
                    "no complete output%s\n", count > 1 ? "s" : "", names.data, r->ranks,
                    r->opts->shards ? " (the failed ranks' shards are not written)"
                                    : " was written");
        kh_buf_free(&names);
        free(all);
    }
    MPI_Bcast(&count, 1, MPI_INT, 0, MPI_COMM_WORLD);
    return count > 0;
}

/* Sums the ranks' totals on rank 0.  Collective. */
static void reduce_totals(rank_run *r)
{
    kh_cluster_result *t = &r->totals;
    long mine[] = {t->documents, t->undated, t->sentences, t->events, t->discarded,
                   t->held_back, (long)t->read.files, (long)t->read.documents,
                   (long)t->read.skipped};
    enum { N = sizeof mine / sizeof mine[0] };
    long sum[N];
    MPI_Reduce(mine, sum, N, MPI_LONG, MPI_SUM, 0, MPI_COMM_WORLD);
    if (r->rank != 0)
        return;
    t->documents = sum[0], t->undated = sum[1], t->sentences = sum[2];
    t->events = sum[3], t->discarded = sum[4], t->held_back = sum[5];
    t->read.files = (size_t)sum[6], t->read.documents = (size_t)sum[7];
    t->read.skipped = (size_t)sum[8];
}

/* Shares, codes and writes; the exit status (khaldun.h). */
static int run_ranks(rank_run *r, const kh_dict *dict)
{
    unit_vec units = {0};
    int listed = share_units(r, &units) == 0;
    if (listed && open_output(r) == 0)
        code_block(r, dict, &units);
    if (r->packed)
        ;                               /* rank 0's writer waits for the rest */
    else if (r->writer && r->gathered)
        kh_writer_close(r->writer);     /* memory: each document was taken */
    else if (r->writer && r->failure)
        kh_writer_abort(r->writer);     /* its shard is not written, its run
                                           row in a database says failed */
    else if (r->writer && kh_writer_close(r->writer) != 0)
        fail(r, "finishing its output '%s'", r->opts->output);
    if (!r->packed)
        r->writer = NULL;
    int failed = any_failed(r);
    reduce_totals(r);
    int rc = failed ? 1 : 0;
    if (!failed && r->gathered) {
        int wrote = gather_output(r) == 0;
        MPI_Bcast(&wrote, 1, MPI_INT, 0, MPI_COMM_WORLD);
        rc = wrote ? 0 : 1;
    }
    for (size_t i = 0; i < units.count; i++)
        free(units.items[i].path);
    KH_VEC_FREE(&units);
    return rc;
}

int kh_cluster_available(void)
{
    return 1;
}

int kh_cluster_code(const kh_dict *dict, const kh_cluster_options *options,
                    kh_cluster_result *result, kh_diag *diag)
{
    int provided;
    /* The pool's threads never call MPI; only this one does. */
    MPI_Init_thread(NULL, NULL, MPI_THREAD_FUNNELED, &provided);
    rank_run r = {.opts = options, .diag = diag};
    MPI_Comm_rank(MPI_COMM_WORLD, &r.rank);
    MPI_Comm_size(MPI_COMM_WORLD, &r.ranks);
    int rc = check_options(options, r.rank, diag) < 0 ? 2 : run_ranks(&r, dict);
    r.totals.rank = r.rank;
    r.totals.ranks = r.ranks;
    if (result)
        *result = r.totals;
    if (r.out)                  /* the run failed: no output under its name */
        close_gathered(r.out, options->output, r.out_tmp, 0);
    kh_writer_abort(r.writer);  /* likewise (gathered events) */
    kh_buf_free(&r.pack);
    if (r.spool)
        fclose(r.spool);
    free(r.preamble);
    free(r.failure);
    MPI_Finalize();
    return rc;
}

#else /* !KH_HAVE_MPI */

int kh_cluster_available(void)
{
    return 0;
}

int kh_cluster_code(const kh_dict *dict, const kh_cluster_options *options,
                    kh_cluster_result *result, kh_diag *diag)
{
    (void)dict, (void)options;
    if (result)
        *result = (kh_cluster_result){.ranks = 1};
    kh_diag_report(diag, KH_ERROR, NULL, 0,
                   "--mpi: this khaldun was built without MPI (install OpenMPI's "
                   "libopenmpi-dev and rebuild: see README, \"Running on a cluster\")");
    return 2;
}

#endif
