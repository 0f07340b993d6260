/* write_postgres.c -- PostgreSQL output: the tables of the SQLite output
 * (documents, sentences, actors, events, places, quotes, mentions) and a
 * runs table, in a database server many khaldun processes can share
 * (schema and its rules: docs/schema.md).
 *
 * Loading: rows are formatted in COPY's binary format into one buffer
 * per table; every PG_BATCH_DOCS documents a loader thread sends the
 * batch in one transaction while the writer fills the next.  COPY is
 * what makes a server load fast (one round trip per table per batch, not
 * per row).
 * A batch of documents new to the database is copied straight into the
 * tables; one that meets rows already there goes through session-private
 * staging tables and INSERT ... SELECT ... ON CONFLICT DO NOTHING, which
 * is what makes reruns idempotent (load_batch says when which).
 *
 * Idempotent and concurrent: every row's key is computed here from the
 * content, never drawn from a sequence -- a document's id hashes its id
 * and text, an event's its document, sentence, code, actors and verb
 * offset -- so rerunning an input, or two processes coding overlapping
 * inputs, meet on the same keys and the second insert does nothing.  Rows
 * go in sorted by key, so two writers take their row locks in the same
 * order and cannot deadlock on each other.
 *
 * Failure is never silent: any error from the server (a lost connection,
 * a refused login, a full disk) is reported with the server's message,
 * the batch in flight is rolled back, the run row says `failed` and the
 * writer returns -1, which the CLI turns into a non-zero exit. */
#include "write_backends.h"
#include "db.h"
#include "pg_derived.h"
#include "write_fields.h"
#include "buf.h"
#include "cameo.h"
#include "date.h"
#include "dedup.h"
#include "strmap.h"
#include "util.h"
#include "vec.h"

#include <libpq-fe.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Documents per transaction, and the bytes of rows that end a batch
 * early.  Each batch costs about ten round trips to the server; on a
 * loaded machine every round trip waits for both processes to be
 * scheduled (milliseconds), so batches must be large for the load to keep
 * up with coding: 1,000 documents (tens of thousands of rows) make the
 * waits negligible, and a failed run loses at most that much work, which
 * a rerun redoes without duplicates.  The byte bound keeps the writer's
 * memory flat when documents are long. */
#define PG_BATCH_DOCS 1000
#define PG_BATCH_BYTES (16u << 20)

/* The schema this writer creates and the only one it writes into. */
#define PG_SCHEMA_VERSION KH_PG_SCHEMA_VERSION

/* The advisory lock that serialises schema creation between processes
 * starting at the same moment (CREATE TABLE IF NOT EXISTS is not safe
 * against a concurrent one).  Any constant works; this spells "khal". */
#define PG_SCHEMA_LOCK 0x6b68616cL

static const char schema_sql[] =
    "CREATE TABLE IF NOT EXISTS schema_info("
    "  key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "INSERT INTO schema_info VALUES('schema_version','" PG_SCHEMA_VERSION "')"
    "  ON CONFLICT DO NOTHING;"
    "CREATE TABLE IF NOT EXISTS runs("
    "  id BIGSERIAL PRIMARY KEY,"
    "  started TIMESTAMPTZ NOT NULL DEFAULT now(), ended TIMESTAMPTZ,"
    "  host TEXT, pid INTEGER, inputs TEXT, documents BIGINT, events BIGINT,"
    "  status TEXT NOT NULL CHECK(status IN ('running','complete','failed')));"
    /* The references between tables (sentences.document, events.document,
     * places.event, ...) are those of the SQLite output, which SQLite
     * leaves unenforced; they are not enforced here either: each batch
     * goes in in reference order, and per-row foreign-key triggers cost
     * a quarter of the server's load time (docs/schema.md). */
    "CREATE TABLE IF NOT EXISTS documents("
    "  id BIGINT PRIMARY KEY,"
    "  doc_id TEXT NOT NULL, content_hash TEXT NOT NULL, length BIGINT NOT NULL,"
    "  date DATE, title TEXT, outlet TEXT, url TEXT, place TEXT, path TEXT,"
    "  UNIQUE(doc_id, content_hash));"
    "CREATE TABLE IF NOT EXISTS sentences("
    "  document BIGINT NOT NULL,"
    "  sent INTEGER NOT NULL, start_byte BIGINT NOT NULL, text TEXT NOT NULL,"
    "  PRIMARY KEY(document, sent));"
    "CREATE TABLE IF NOT EXISTS actors("
    "  code TEXT PRIMARY KEY, country TEXT, country_kind TEXT, groups TEXT);"
    "CREATE TABLE IF NOT EXISTS events("
    "  id BIGINT PRIMARY KEY,"
    "  document BIGINT NOT NULL,"
    "  sent INTEGER NOT NULL, date DATE,"
    "  source TEXT NOT NULL, source_text TEXT, target TEXT NOT NULL, target_text TEXT,"
    "  code TEXT NOT NULL, root TEXT, quad INTEGER, goldstein DOUBLE PRECISION,"
    "  plover TEXT, plover_mode TEXT, plover_context TEXT,"
    "  source_start BIGINT NOT NULL, source_end BIGINT NOT NULL,"
    "  verb_start BIGINT NOT NULL, verb_end BIGINT NOT NULL,"
    "  target_start BIGINT NOT NULL, target_end BIGINT NOT NULL,"
    "  pattern TEXT, dict TEXT,"
    "  negated INTEGER NOT NULL, passive INTEGER NOT NULL,"
    "  hypothetical INTEGER NOT NULL, future INTEGER NOT NULL,"
    "  paired INTEGER NOT NULL, historical INTEGER NOT NULL,"
    "  issues TEXT, event_date DATE, date_source TEXT, date_precision TEXT,"
    "  event_id BIGINT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS places("
    "  event BIGINT PRIMARY KEY,"
    "  name TEXT, country TEXT, fips TEXT, admin1 TEXT,"
    "  lat DOUBLE PRECISION, lon DOUBLE PRECISION, precision TEXT,"
    "  start_byte BIGINT NOT NULL, end_byte BIGINT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS quotes("
    "  event BIGINT PRIMARY KEY,"
    "  speaker TEXT, quote TEXT NOT NULL,"
    "  start_byte BIGINT NOT NULL, end_byte BIGINT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS mentions("
    "  event BIGINT PRIMARY KEY,"
    "  merged_event BIGINT NOT NULL);"
    "CREATE OR REPLACE VIEW merged_events AS"
    "  SELECT m.merged_event AS event, count(*) AS mentions,"
    "         count(DISTINCT e.document) AS articles,"
    "         count(DISTINCT coalesce(d.outlet, d.doc_id)) AS sources"
    "  FROM mentions m JOIN events e ON e.id = m.event"
    "  JOIN documents d ON d.id = e.document GROUP BY m.merged_event;";

/* The indexes that only queries need (the keys above are what loading
 * needs: ON CONFLICT and the straight COPY's duplicate check).  Kept up
 * row by row they took 30% of the server's CPU on a first load (two of
 * them are keyed by hashes, so each row lands on a random page); built
 * in one pass over the loaded table, 12%.  So a writer that finds
 * them missing -- a new database, or one whose first load never ended --
 * loads without them and builds them when it ends (build_indexes); every
 * other writer keeps them up as it inserts. */
static const struct pg_index {
    const char *name, *on;
} secondary_indexes[] = {
    {"events_by_event_id", "events(event_id)"},
    {"events_by_date", "events(date)"},
    {"events_by_code", "events(code)"},
    {"events_by_event_date", "events(event_date)"},
    {"mentions_by_merged", "mentions(merged_event)"},
    /* for khaldun serve (docs/serve.md), as in the SQLite output: the
     * first reports, which are the merged events; the day an event
     * happened; the event list's other order.  On 218,031 merged events
     * the summary took 0.36 s of the server's CPU with them, 1.8 s
     * without (bench/README.md). */
    {"mentions_first", "mentions(event) WHERE event = merged_event"},
    {"events_by_day", "events((coalesce(event_date, date)))"},
    {"events_by_goldstein", "events(goldstein)"},
};
#define PG_SECONDARY_INDEXES (sizeof secondary_indexes / sizeof *secondary_indexes)

/* How long a run that found the indexes missing loads without them: a
 * run still loading after ten minutes is a feed or a long backfill into
 * a store people may already query, and a table that has grown for ten
 * minutes is still built in seconds.  Checked after each batch. */
#define PG_INDEX_DEFER_SECONDS 600

/* The tables a batch fills, in the order their foreign keys need, each
 * with the key its rows are sorted and deduplicated by. */
enum { T_DOCUMENTS, T_ACTORS, T_SENTENCES, T_EVENTS, T_PLACES, T_QUOTES,
       T_MENTIONS, T_COUNT };

static const struct pg_table {
    const char *name, *key;
} pg_tables[T_COUNT] = {
    [T_DOCUMENTS] = {"documents", "id"},
    [T_ACTORS] = {"actors", "code"},
    [T_SENTENCES] = {"sentences", "document, sent"},
    [T_EVENTS] = {"events", "id"},
    [T_PLACES] = {"places", "event"},
    [T_QUOTES] = {"quotes", "event"},
    [T_MENTIONS] = {"mentions", "event"},
};

/* Where a document's row lies in its batch's buffer. */
typedef struct pg_doc_row {
    long long key;
    size_t start, len;
} pg_doc_row;

/* One batch: its rows in COPY text format, one buffer per table. */
typedef struct pg_batch {
    kh_buf rows[T_COUNT];
    KH_VEC(pg_doc_row) doc_rows;   /* to send the documents in key order */
    int docs;
    long events;
} pg_batch;

typedef struct pg_state {
    PGconn *conn;
    /* Two batches: the one being filled, and the one the loader thread
     * is sending meanwhile -- so coding and the server's work overlap
     * instead of taking turns.  While `loading`, the loader owns the
     * connection and batch[1 - filling]; the writer touches neither. */
    pg_batch batch[2];
    int filling;
    pthread_t loader;
    int loading;
    char *load_error;          /* the loader's failure, reported by the writer */
    int documents_taken;       /* the loader met a document already in the
                                  database: it checks them first from then on */
    long long doc_key;         /* the current document's documents.id */
    long date;                 /* the current document's date (YYYYMMDD), or 0 */
    long long run;             /* runs.id of this run, 0 before it exists */
    int indexes_deferred;      /* the secondary indexes are this run's to
                                  build (secondary_indexes) */
    time_t started;            /* when it connected */
    long documents, events;    /* written (committed) so far */
    /* Actor codes already given to a batch: each goes to the server once
     * per run, not twice per event (their ON CONFLICT checks were a
     * tenth of the server's load).  Bounded by the dictionaries' codes. */
    kh_strmap actors_sent;     /* keys: the strings of actor_codes */
    KH_VEC(char *) actor_codes;
} pg_state;

/* The batch being filled. */
static pg_batch *filling(pg_state *st) { return &st->batch[st->filling]; }

/* "what: the server's message", without libpq's final newline
 * (malloc'd). */
static char *conn_error(PGconn *conn, const char *what)
{
    const char *msg = conn ? PQerrorMessage(conn) : "";
    size_t n = strlen(msg);
    while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
        n--;
    size_t size = strlen(what) + n + 3;
    char *out = kh_xmalloc(size);
    snprintf(out, size, "%s: %.*s", what, (int)n, msg);
    return out;
}

/* Runs SQL that returns no rows (or rows nobody reads); NULL or the
 * error (malloc'd). */
static char *conn_exec(PGconn *conn, const char *sql, const char *what)
{
    PGresult *r = PQexec(conn, sql);
    ExecStatusType s = PQresultStatus(r);
    PQclear(r);
    return s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK ? NULL : conn_error(conn, what);
}

static int report(kh_writer *w, char *message)
{
    kh_diag_report(w->diag, KH_ERROR, "postgresql", 0, "%s", message);
    free(message);
    return -1;
}

static int pg_error(kh_writer *w, const char *what)
{
    pg_state *st = w->state;
    return report(w, conn_error(st ? st->conn : NULL, what));
}

static int pg_exec(kh_writer *w, const char *sql, const char *what)
{
    pg_state *st = w->state;
    char *err = conn_exec(st->conn, sql, what);
    return err ? report(w, err) : 0;
}

/* ---- COPY binary format ----
 *
 * Rows go in COPY's binary format: a row is its number of fields, and
 * each field its length (-1: NULL) and its bytes in the column type's own
 * representation, integers in network byte order.  Neither side formats
 * or parses numbers and dates, and text goes as it is, unescaped: the
 * server's parsing of the text format was a seventh of its load time,
 * and printing doubles a part of ours.  The field types must be the
 * columns' (an INTEGER is 4 bytes, a BIGINT 8), which the server checks. */

/* What starts and ends every COPY of binary rows: the signature, no
 * flags, no header extension; and a field count of -1. */
static const char copy_header[19] = "PGCOPY\n\377\r\n\0\0\0\0\0\0\0\0";
static const char copy_trailer[2] = "\377\377";

/* PostgreSQL's DATE counts days from 2000-01-01, ours (date.h) from
 * 1970-01-01. */
#define PG_EPOCH_DAYS 10957

/* v's low `bytes` bytes, most significant first. */
static void put_be(kh_buf *b, uint64_t v, int bytes)
{
    unsigned char out[8];
    for (int i = 0; i < bytes; i++)
        out[i] = (unsigned char)(v >> (8 * (bytes - 1 - i)));
    kh_buf_add(b, out, (size_t)bytes);
}

/* One row being added: where its field count goes, and the count. */
typedef struct pg_row {
    kh_buf *b;
    size_t at;
    int fields;
} pg_row;

static pg_row begin_row(kh_buf *b)
{
    pg_row r = {b, b->len, 0};
    put_be(b, 0, 2);
    return r;
}

/* Writes the row's field count in front of it. */
static void end_row(pg_row *r)
{
    r->b->data[r->at] = (char)(r->fields >> 8);
    r->b->data[r->at + 1] = (char)r->fields;
}

static void col_null(pg_row *r)
{
    put_be(r->b, UINT32_MAX, 4);
    r->fields++;
}

static void col_text(pg_row *r, const char *s, size_t len)
{
    if (!s) {
        col_null(r);
        return;
    }
    put_be(r->b, len, 4);
    kh_buf_add(r->b, s, len);
    r->fields++;
}

static void col_str(pg_row *r, const char *s) { col_text(r, s, s ? strlen(s) : 0); }

/* source_text, target_text: NULL when no words named the actor, as in
 * the SQLite output and the JSON lines (never ""). */
static void col_words(pg_row *r, const char *s) { col_str(r, s && *s ? s : NULL); }

/* A BIGINT column. */
static void col_long(pg_row *r, long long v)
{
    put_be(r->b, 8, 4);
    put_be(r->b, (uint64_t)v, 8);
    r->fields++;
}

/* An INTEGER column. */
static void col_int(pg_row *r, int v)
{
    put_be(r->b, 4, 4);
    put_be(r->b, (uint32_t)v, 4);
    r->fields++;
}

/* -1 rather than NULL for a missing offset, as in the SQLite output. */
static void col_offset(pg_row *r, long v) { col_long(r, v < 0 ? -1 : v); }

/* A DOUBLE PRECISION column: the IEEE 754 bits, as the server's are. */
static void col_double(pg_row *r, int present, double v)
{
    if (!present) {
        col_null(r);
        return;
    }
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    put_be(r->b, 8, 4);
    put_be(r->b, bits, 8);
    r->fields++;
}

/* A DATE column from YYYYMMDD; 0 or an invalid date is NULL. */
static void col_date(pg_row *r, long ymd)
{
    if (!kh_date_valid(ymd)) {
        col_null(r);
        return;
    }
    put_be(r->b, 4, 4);
    put_be(r->b, (uint32_t)(kh_date_to_days(ymd) - PG_EPOCH_DAYS), 4);
    r->fields++;
}

/* ---- keys ---- */

/* Hashes a string and its terminating NUL (64-bit FNV-1a, util.h), so
 * "ab"+"c" and "a"+"bc" differ. */
static uint64_t hash_str(uint64_t h, const char *s)
{
    s = s ? s : "";
    return kh_fnv1a64(h, s, strlen(s) + 1);
}

/* BIGINT is signed: the top bit is cleared, keeping keys positive. */
static long long as_key(uint64_t h) { return (long long)(h >> 1); }

/* The report's stable id (dedup.h: document id, sentence, spans, code,
 * actors), the same as every other output's `id`. */
static long long stable_id(const kh_write_item *it, const kh_event *e)
{
    return (long long)(e->id ? e->id : kh_dedup_event_id(it->doc->id, it->sent_no, e));
}

/* An events row's key: the stable id within this version of the
 * document (the SQLite output's UNIQUE(document, event_id)). */
static long long event_key(long long doc, long long stable)
{
    uint64_t h = kh_fnv1a64(KH_FNV64_OFFSET, &doc, sizeof doc);
    return as_key(kh_fnv1a64(h, &stable, sizeof stable));
}

/* ---- batches ---- */

/* Rows of these tables are keyed under their document's key (a
 * sentence by it, an event by it and the stable id, a place, quote or
 * mention by the event's key): a transaction that has just inserted a
 * document owns every key of its rows. */
static int keyed_by_document(int t)
{
    return t != T_DOCUMENTS && t != T_ACTORS;
}

/* Sends rows with COPY into `table`; NULL or the error.  *duplicate
 * (when given) is set when the server refused a key already taken
 * (SQLSTATE 23505), which only a COPY straight into a table can meet. */
static char *copy_rows(PGconn *conn, const char *prefix, int t, const kh_buf *rows,
                       int *duplicate)
{
    char sql[256];
    if (rows->len == 0)
        return NULL;
    snprintf(sql, sizeof sql, "COPY %s%s FROM STDIN (FORMAT binary)", prefix,
             pg_tables[t].name);
    PGresult *r = PQexec(conn, sql);
    int ok = PQresultStatus(r) == PGRES_COPY_IN;
    PQclear(r);
    if (!ok)
        return conn_error(conn, "cannot start COPY");
    if (PQputCopyData(conn, copy_header, sizeof copy_header) != 1 ||
        PQputCopyData(conn, rows->data, (int)rows->len) != 1 ||
        PQputCopyData(conn, copy_trailer, sizeof copy_trailer) != 1 ||
        PQputCopyEnd(conn, NULL) != 1)
        return conn_error(conn, "cannot send rows");
    char *err = NULL;
    while ((r = PQgetResult(conn)) != NULL) {
        if (PQresultStatus(r) != PGRES_COMMAND_OK && !err) {
            const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
            if (duplicate && state && strcmp(state, "23505") == 0)
                *duplicate = 1;
            err = conn_error(conn, "cannot load rows");
        }
        PQclear(r);
    }
    return err;
}

/* The statement that moves table t's staged rows into it, new rows only
 * and in key order (so that concurrent writers lock alike). */
static void insert_staged_sql(kh_buf *sql, int t)
{
    kh_buf_printf(sql, "INSERT INTO %s SELECT * FROM stage_%s ORDER BY %s"
                  " ON CONFLICT DO NOTHING;", pg_tables[t].name, pg_tables[t].name,
                  pg_tables[t].key);
}

/* Inserts the staged documents that are new; how many in *inserted. */
static char *insert_documents(PGconn *conn, long *inserted)
{
    kh_buf sql = {0};
    insert_staged_sql(&sql, T_DOCUMENTS);
    kh_buf_addc(&sql, '\0');
    PGresult *r = PQexec(conn, sql.data);
    kh_buf_free(&sql);
    int ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    *inserted = ok ? strtol(PQcmdTuples(r), NULL, 10) : 0;
    PQclear(r);
    return ok ? NULL : conn_error(conn, "cannot insert the documents");
}

/* How a batch is loaded (load_batch): from the cheapest, for a first
 * load, to the one that copes with any rows already there. */
enum {
    LOAD_STRAIGHT,    /* every row straight into its table */
    LOAD_OWNED,       /* documents staged; their rows straight if all new */
    LOAD_STAGED       /* every row staged, new ones inserted */
};

static int cmp_doc_row(const void *a, const void *b)
{
    long long x = ((const pg_doc_row *)a)->key, y = ((const pg_doc_row *)b)->key;
    return x < y ? -1 : x > y;
}

/* The batch's document rows in key order, as the staged insert's ORDER
 * BY gives them: writers that insert documents all take their locks in
 * key order, and so never wait on each other in a cycle. */
static void sorted_documents(pg_batch *b, kh_buf *out)
{
    qsort(b->doc_rows.items, b->doc_rows.count, sizeof *b->doc_rows.items, cmp_doc_row);
    for (size_t i = 0; i < b->doc_rows.count; i++)
        kh_buf_add(out, b->rows[T_DOCUMENTS].data + b->doc_rows.items[i].start,
                   b->doc_rows.items[i].len);
}

/* Puts the batch's documents in; *inserted: how many were new. */
static char *load_documents(PGconn *conn, pg_batch *b, int mode, long *inserted,
                            int *duplicate)
{
    if (mode != LOAD_STRAIGHT) {
        char *err = copy_rows(conn, "stage_", T_DOCUMENTS, &b->rows[T_DOCUMENTS], NULL);
        return err ? err : insert_documents(conn, inserted);
    }
    kh_buf sorted = {0};
    sorted_documents(b, &sorted);
    char *err = copy_rows(conn, "", T_DOCUMENTS, &sorted, duplicate);
    kh_buf_free(&sorted);
    *inserted = b->docs;
    return err;
}

/* Loads a batch in one transaction.  The documents go first, in key
 * order: straight into their table, or (once one was found there
 * already) through their staging table, new ones only.  When all of them
 * were new (the usual case: a first load) this transaction owns the keys
 * of all their rows, and those go straight into their tables by COPY --
 * the staging copy, the sort and the conflict checks were most of the
 * server's work.  Otherwise (a rerun, another writer loading the same
 * documents) they go through the staging tables, new rows only.  Actors,
 * shared between documents, always do.  The staging tables empty
 * themselves at commit or rollback (ON COMMIT DELETE ROWS). */
static char *load_batch(PGconn *conn, pg_batch *b, int mode, int *duplicate)
{
    long inserted = 0;
    char *err = conn_exec(conn, "BEGIN", "cannot begin a transaction");
    if (!err)
        err = load_documents(conn, b, mode, &inserted, duplicate);
    int owned = mode != LOAD_STAGED && inserted == b->docs;
    kh_buf sql = {0};
    for (int t = T_DOCUMENTS + 1; t < T_COUNT && !err; t++) {
        int straight = owned && keyed_by_document(t);
        err = copy_rows(conn, straight ? "" : "stage_", t, &b->rows[t], duplicate);
        if (!straight && b->rows[t].len)
            insert_staged_sql(&sql, t);
    }
    if (!err) {
        kh_buf_adds(&sql, "COMMIT");
        kh_buf_addc(&sql, '\0');           /* PQexec takes a C string */
        err = conn_exec(conn, sql.data, "cannot insert and commit the rows");
    }
    kh_buf_free(&sql);
    if (err)
        free(conn_exec(conn, "ROLLBACK", "cannot roll back"));
    return err;
}

/* Sends a batch; NULL or the error.  A straight COPY that meets a key
 * already taken (a rerun; another writer that loaded the documents
 * first; two identical rows of one document) fails, and the batch is
 * rolled back and loaded again the next way down (LOAD_*). */
static char *send_batch(pg_state *st, pg_batch *b)
{
    int mode = st->documents_taken ? LOAD_OWNED : LOAD_STRAIGHT, duplicate = 0;
    char *err = load_batch(st->conn, b, mode, &duplicate);
    while (err && duplicate && mode != LOAD_STAGED) {
        st->documents_taken = 1;
        free(err);
        duplicate = 0;
        err = load_batch(st->conn, b, ++mode, &duplicate);
    }
    for (int t = 0; t < T_COUNT; t++)
        b->rows[t].len = 0;
    b->doc_rows.count = 0;
    return err;
}

static void *loader_main(void *arg)
{
    pg_state *st = arg;
    st->load_error = send_batch(st, &st->batch[1 - st->filling]);
    return NULL;
}

/* Takes or gives back the lock that serialises changes to the schema
 * between writers (PG_SCHEMA_LOCK). */
static int schema_lock(kh_writer *w, int take)
{
    char sql[96];
    snprintf(sql, sizeof sql, "SELECT pg_advisory_%slock(%ld)", take ? "" : "un",
             PG_SCHEMA_LOCK);
    return pg_exec(w, sql, take ? "cannot lock the schema" : "cannot unlock the schema");
}

/* Builds the secondary indexes this run loaded without, one statement
 * each: CREATE INDEX waits for the transactions of other writers on its
 * table and then holds their inserts back while it sorts, one table at a
 * time, so no writer waits on two.  Under the schema lock, because
 * IF NOT EXISTS is not safe against a concurrent CREATE of the same
 * name; a writer that comes second finds them there. */
static int build_indexes(kh_writer *w)
{
    pg_state *st = w->state;
    if (schema_lock(w, 1) != 0)
        return -1;
    int rc = 0;
    for (size_t i = 0; i < PG_SECONDARY_INDEXES && rc == 0; i++) {
        char sql[160];
        snprintf(sql, sizeof sql, "CREATE INDEX IF NOT EXISTS %s ON %s",
                 secondary_indexes[i].name, secondary_indexes[i].on);
        rc = pg_exec(w, sql, "cannot build an index");
    }
    if (schema_lock(w, 0) != 0)
        rc = -1;
    st->indexes_deferred = 0;
    return rc;
}

/* After the loader has sent batch[1 - filling]: counts it when it was
 * committed, or reports why not. */
static int finish_sent(kh_writer *w)
{
    pg_state *st = w->state;
    pg_batch *sent = &st->batch[1 - st->filling];
    if (st->load_error) {
        char *err = st->load_error;
        st->load_error = NULL;
        return report(w, err);
    }
    st->documents += sent->docs;
    st->events += sent->events;
    sent->docs = 0;
    sent->events = 0;
    if (st->indexes_deferred && time(NULL) - st->started >= PG_INDEX_DEFER_SECONDS)
        return build_indexes(w);
    return 0;
}

/* Waits for the batch in flight, if any. */
static int wait_loader(kh_writer *w)
{
    pg_state *st = w->state;
    if (!st->loading)
        return 0;
    pthread_join(st->loader, NULL);
    st->loading = 0;
    return finish_sent(w);
}

/* Hands the full batch to the loader thread and goes on filling the
 * other one; or, with `wait`, returns when it is in. */
static int flush_batch(kh_writer *w, int wait)
{
    pg_state *st = w->state;
    if (wait_loader(w) != 0)
        return -1;
    if (filling(st)->docs == 0)
        return 0;
    st->filling = 1 - st->filling;
    if (pthread_create(&st->loader, NULL, loader_main, st) != 0) {
        loader_main(st);            /* no thread to be had: send it here */
        return finish_sent(w);
    }
    st->loading = 1;
    return wait ? wait_loader(w) : 0;
}

/* ---- rows ---- */

static int pg_add_doc(kh_writer *w, const kh_doc *doc)
{
    pg_state *st = w->state;
    size_t bytes = 0;
    for (int t = 0; t < T_COUNT; t++)
        bytes += filling(st)->rows[t].len;
    if ((filling(st)->docs >= PG_BATCH_DOCS || bytes >= PG_BATCH_BYTES) &&
        flush_batch(w, 0) != 0)
        return -1;
    filling(st)->docs++;
    char hash[KH_WRITE_CONTENT_HASH_SIZE];
    kh_write_content_hash(doc->text, doc->len, hash);
    const char *id = doc->id ? doc->id : "";
    st->doc_key = as_key(hash_str(hash_str(KH_FNV64_OFFSET, id), hash));
    st->date = doc->date;
    kh_buf *b = &filling(st)->rows[T_DOCUMENTS];
    pg_doc_row *row = KH_VEC_PUSH(&filling(st)->doc_rows);
    row->key = st->doc_key;
    row->start = b->len;
    pg_row r = begin_row(b);
    col_long(&r, st->doc_key);
    col_str(&r, id);
    col_str(&r, hash);
    col_long(&r, (long long)doc->len);
    col_date(&r, st->date);
    col_str(&r, doc->title);
    col_str(&r, doc->source);
    col_str(&r, doc->url);
    col_str(&r, doc->place);
    col_str(&r, doc->path);
    end_row(&r);
    row->len = b->len - row->start;
    return 0;
}

/* An actor code with its parts (cameo.h), the first time the run meets
 * it; "---" and "" are not actors.  Another writer's rows are left to
 * the insert's ON CONFLICT. */
static void add_actor(pg_state *st, const char *code)
{
    if (!code || !*code || strcmp(code, "---") == 0)
        return;
    if (kh_strmap_get(&st->actors_sent, code, strlen(code)) >= 0)
        return;
    char *copy = kh_xstrdup(code);
    *KH_VEC_PUSH(&st->actor_codes) = copy;
    kh_strmap_put(&st->actors_sent, copy, 1);
    kh_actor_parts parts;
    kh_actor_code_split(code, &parts);
    kh_buf groups = {0};
    for (size_t i = 0; i < parts.group_count; i++) {
        if (i)
            kh_buf_addc(&groups, ' ');
        kh_buf_adds(&groups, parts.groups[i]);
    }
    pg_row r = begin_row(&filling(st)->rows[T_ACTORS]);
    col_str(&r, code);
    col_str(&r, parts.country[0] ? parts.country : NULL);
    col_str(&r, kh_write_country_kind_name(parts.country_kind));
    col_text(&r, groups.data ? groups.data : "", groups.len);
    end_row(&r);
    kh_buf_free(&groups);
    kh_actor_parts_free(&parts);
}

static void add_sentence(pg_state *st, const kh_write_item *it)
{
    pg_row r = begin_row(&filling(st)->rows[T_SENTENCES]);
    col_long(&r, st->doc_key);
    col_int(&r, it->sent_no);
    col_long(&r, it->sentence_offset);
    col_text(&r, it->sentence, it->sentence_len);
    end_row(&r);
}

static void add_cameo(pg_row *r, const char *code)
{
    const kh_cameo_info *info = kh_cameo_lookup(code);
    char root[KH_CAMEO_ROOT_SIZE];
    int quad = kh_cameo_quad(code);
    col_str(r, code);
    col_str(r, kh_cameo_root(code, root) == 0 ? root : NULL);
    if (quad)
        col_int(r, quad);
    else
        col_null(r);
    col_double(r, info != NULL, info ? info->goldstein : 0);
    col_str(r, info ? info->plover : NULL);
    col_str(r, info ? info->plover_mode : NULL);
    col_str(r, info ? info->plover_context : NULL);
}

static void add_event(pg_state *st, const kh_write_item *it, const kh_event *e,
                      long long key, long long stable)
{
    pg_row r = begin_row(&filling(st)->rows[T_EVENTS]);
    col_long(&r, key);
    col_long(&r, st->doc_key);
    col_int(&r, it->sent_no);
    col_date(&r, st->date);
    col_str(&r, e->source ? e->source : "---");
    col_words(&r, e->source_text);
    col_str(&r, e->target ? e->target : "---");
    col_words(&r, e->target_text);
    add_cameo(&r, e->code);
    const kh_span spans[] = {e->source_span, e->verb_span, e->target_span};
    for (int i = 0; i < 3; i++) {
        col_offset(&r, spans[i].start);
        col_offset(&r, spans[i].end);
    }
    col_str(&r, e->pattern);
    char *ref = kh_write_dict_ref(e);
    col_str(&r, ref);
    free(ref);
    for (size_t i = 0; i < kh_write_flag_count; i++)
        col_int(&r, (e->flags & kh_write_flags[i].bit) != 0);
    col_str(&r, e->issues && *e->issues ? e->issues : NULL);
    col_date(&r, e->event_date);
    col_str(&r, kh_write_date_source_name(e->date_source));
    col_str(&r, kh_write_date_precision_name(e->date_precision));
    col_long(&r, stable);
    end_row(&r);
}

static void add_place(pg_state *st, long long event, const kh_place *p)
{
    if (p->precision == KH_PLACE_NONE && !p->name && !p->country[0])
        return;
    int located = p->precision != KH_PLACE_NONE;
    pg_row r = begin_row(&filling(st)->rows[T_PLACES]);
    col_long(&r, event);
    col_str(&r, p->name);
    col_str(&r, p->country[0] ? p->country : NULL);
    col_str(&r, p->fips[0] ? p->fips : NULL);
    col_str(&r, p->admin1[0] ? p->admin1 : NULL);
    col_double(&r, located, p->lat);
    col_double(&r, located, p->lon);
    col_str(&r, kh_write_precision_name(p->precision));
    col_offset(&r, p->span.start);
    col_offset(&r, p->span.end);
    end_row(&r);
}

static void add_quote(pg_state *st, long long event, const kh_event *e)
{
    if (!e->quote)
        return;
    pg_row r = begin_row(&filling(st)->rows[T_QUOTES]);
    col_long(&r, event);
    col_str(&r, e->speaker);
    col_str(&r, e->quote);
    col_offset(&r, e->quote_span.start);
    col_offset(&r, e->quote_span.end);
    end_row(&r);
}

/* Which merged event report k belongs to: the key of its first report,
 * which the duplicate stage (dedup.h) hands on before any other mention
 * of it, as in the SQLite output. */
static void add_mention(pg_state *st, const kh_write_item *it, long long event, size_t k)
{
    long long merged = event;
    if (it->refs) {
        kh_dedup_event *ev = it->refs[k].merged;
        if (it->refs[k].first)
            ev->user = event;
        merged = ev->user;
    }
    pg_row r = begin_row(&filling(st)->rows[T_MENTIONS]);
    col_long(&r, event);
    col_long(&r, merged);
    end_row(&r);
}

static int pg_add(kh_writer *w, const kh_write_item *it)
{
    pg_state *st = w->state;
    add_sentence(st, it);
    for (size_t i = 0; i < it->events->count; i++) {
        const kh_event *e = &it->events->items[i];
        long long stable = stable_id(it, e);
        long long key = event_key(st->doc_key, stable);
        add_actor(st, e->source);
        add_actor(st, e->target);
        add_event(st, it, e, key, stable);
        add_place(st, key, &e->place);
        add_quote(st, key, e);
        add_mention(st, it, key, i);
        filling(st)->events++;
    }
    return 0;
}

/* ---- the run ---- */

static int start_run(kh_writer *w)
{
    pg_state *st = w->state;
    char host[256] = "", pid[32];
    gethostname(host, sizeof host - 1);
    snprintf(pid, sizeof pid, "%ld", (long)getpid());
    const char *params[] = {host, pid};
    PGresult *r = PQexecParams(st->conn,
                               "INSERT INTO runs(host, pid, status) VALUES($1, $2, 'running')"
                               " RETURNING id", 2, NULL, params, NULL, NULL, 0);
    int ok = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1;
    if (ok)
        st->run = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
    PQclear(r);
    return ok ? 0 : pg_error(w, "cannot record the run");
}

/* Marks the run complete or failed, with what was committed. */
static int end_run(kh_writer *w, int failed)
{
    pg_state *st = w->state;
    char run[32], docs[32], events[32];
    snprintf(run, sizeof run, "%lld", st->run);
    snprintf(docs, sizeof docs, "%ld", st->documents);
    snprintf(events, sizeof events, "%ld", st->events);
    const char *params[] = {failed ? "failed" : "complete", docs, events, run};
    PGresult *r = PQexecParams(st->conn,
                               "UPDATE runs SET status=$1, ended=now(), documents=$2,"
                               " events=$3 WHERE id=$4", 4, NULL, params, NULL, NULL, 0);
    int ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
    return ok ? 0 : pg_error(w, "cannot record the end of the run");
}

/* The inputs of the run, one per line, on its runs row. */
static int pg_set_inputs(kh_writer *w, const char *inputs)
{
    pg_state *st = w->state;
    char run[32];
    snprintf(run, sizeof run, "%lld", st->run);
    const char *params[] = {inputs, run};
    PGresult *r = PQexecParams(st->conn, "UPDATE runs SET inputs=$1 WHERE id=$2", 2, NULL,
                               params, NULL, NULL, 0);
    int ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
    return ok ? 0 : pg_error(w, "cannot record the run's inputs");
}

static void pg_free(pg_state *st)
{
    for (int b = 0; b < 2; b++) {
        for (int t = 0; t < T_COUNT; t++)
            kh_buf_free(&st->batch[b].rows[t]);
        KH_VEC_FREE(&st->batch[b].doc_rows);
    }
    if (st->conn)
        PQfinish(st->conn);
    kh_strmap_free(&st->actors_sent);
    for (size_t i = 0; i < st->actor_codes.count; i++)
        free(st->actor_codes.items[i]);
    KH_VEC_FREE(&st->actor_codes);
    free(st);
}

/* The tables serve answers from (pg_derived.h), rebuilt with this run's
 * rows; a failure leaves the last ones, which their stamp then tells
 * serve are out of date. */
static int build_derived(kh_writer *w)
{
    pg_state *st = w->state;
    char *err = kh_pg_build_derived(st->conn, 0);
    return err ? report(w, err) : 0;
}

static int pg_close(kh_writer *w, int failed)
{
    pg_state *st = w->state;
    int rc = 0;
    if (failed)
        wait_loader(w);
    else if (flush_batch(w, 1) != 0 || (st->indexes_deferred && build_indexes(w) != 0) ||
             build_derived(w) != 0)
        rc = -1, failed = 1;
    if (st->run && PQstatus(st->conn) == CONNECTION_OK && end_run(w, failed) != 0)
        rc = -1;
    pg_free(st);
    w->state = NULL;
    return failed ? -1 : rc;
}

/* ---- opening ---- */

/* The version in schema_info must be this writer's: there is one
 * version so far, so there is nothing to upgrade from, and a database of
 * a later khaldun (or one edited by hand) is refused, never mixed. */
static int check_schema_version(kh_writer *w)
{
    pg_state *st = w->state;
    PGresult *r = PQexec(st->conn, "SELECT value FROM schema_info WHERE key='schema_version'");
    int readable = PQresultStatus(r) == PGRES_TUPLES_OK;
    char *found = readable && PQntuples(r) == 1 ? kh_xstrdup(PQgetvalue(r, 0, 0)) : NULL;
    PQclear(r);
    if (!readable)
        return pg_error(w, "cannot read the schema version");
    int ok = found && strcmp(found, PG_SCHEMA_VERSION) == 0;
    if (!ok)
        kh_diag_report(w->diag, KH_ERROR, "postgresql", 0,
                       "the database has another khaldun schema version (%s; this "
                       "khaldun writes version " PG_SCHEMA_VERSION "); code into a new "
                       "database", found ? found : "none recorded");
    free(found);
    return ok ? 0 : -1;
}

/* What the database holds before this writer touches it: nothing of
 * khaldun's (0: create the schema), khaldun's schema of this version (0),
 * or something this writer must not mix with (-1, said): another
 * version, or tables of khaldun's names that khaldun did not create (no
 * schema_info), which the CREATE ... IF NOT EXISTS would silently take
 * for its own. */
static int check_existing(kh_writer *w)
{
    pg_state *st = w->state;
    kh_buf sql = {0};
    kh_buf_adds(&sql, "SELECT (SELECT string_agg(t, ', ') FROM (VALUES ('runs')");
    for (int t = 0; t < T_COUNT; t++)
        kh_buf_printf(&sql, ",('%s')", pg_tables[t].name);
    kh_buf_adds(&sql, ") AS n(t) WHERE to_regclass(t) IS NOT NULL),"
                " to_regclass('schema_info') IS NOT NULL");
    kh_buf_addc(&sql, '\0');
    PGresult *r = PQexec(st->conn, sql.data);
    kh_buf_free(&sql);
    int ok = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1;
    char *tables = ok && !PQgetisnull(r, 0, 0) ? kh_xstrdup(PQgetvalue(r, 0, 0)) : NULL;
    int versioned = ok && strcmp(PQgetvalue(r, 0, 1), "t") == 0;
    PQclear(r);
    if (!ok)
        return pg_error(w, "cannot read the database's tables");
    int rc = 0;
    if (versioned) {
        rc = check_schema_version(w);
    } else if (tables) {
        kh_diag_report(w->diag, KH_ERROR, "postgresql", 0,
                       "the database has tables khaldun did not create (%s: no "
                       "schema_info); code into a new database", tables);
        rc = -1;
    }
    free(tables);
    return rc;
}

/* The session's staging tables, one per table, emptied at each commit. */
static int create_staging(kh_writer *w)
{
    char sql[256];
    for (int t = 0; t < T_COUNT; t++) {
        snprintf(sql, sizeof sql,
                 "CREATE TEMP TABLE stage_%s (LIKE %s) ON COMMIT DELETE ROWS",
                 pg_tables[t].name, pg_tables[t].name);
        if (pg_exec(w, sql, "cannot create a staging table") != 0)
            return -1;
    }
    return 0;
}

/* Whether some secondary index is missing (then this run builds them
 * at its end); -1 on error. */
static int indexes_missing(kh_writer *w)
{
    pg_state *st = w->state;
    kh_buf sql = {0};
    kh_buf_adds(&sql, "SELECT count(*) FROM (VALUES ");
    for (size_t i = 0; i < PG_SECONDARY_INDEXES; i++)
        kh_buf_printf(&sql, "%s('%s')", i ? "," : "", secondary_indexes[i].name);
    kh_buf_adds(&sql, ") AS i(name) WHERE to_regclass(name) IS NULL");
    kh_buf_addc(&sql, '\0');
    PGresult *r = PQexec(st->conn, sql.data);
    kh_buf_free(&sql);
    int ok = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1;
    int missing = ok ? strcmp(PQgetvalue(r, 0, 0), "0") != 0 : -1;
    PQclear(r);
    return ok ? missing : pg_error(w, "cannot look up the indexes");
}

static int create_schema(kh_writer *w)
{
    pg_state *st = w->state;
    if (pg_exec(w, "SET client_min_messages = warning", "cannot set up the session") != 0 ||
        schema_lock(w, 1) != 0)
        return -1;
    int rc = check_existing(w);
    if (rc == 0)
        rc = pg_exec(w, schema_sql, "cannot create the schema");
    if (rc == 0 && (st->indexes_deferred = indexes_missing(w)) < 0)
        rc = -1;
    if (schema_lock(w, 0) != 0)
        rc = -1;
    return rc;
}

static const kh_writer_ops pg_ops = {pg_add_doc, pg_add, pg_close, pg_set_inputs};

static int pg_open(kh_writer *w)
{
    pg_state *st = kh_xcalloc(1, sizeof *st);
    kh_strmap_init(&st->actors_sent);
    w->ops = &pg_ops;
    w->state = st;
    st->started = time(NULL);
    st->conn = PQconnectdb(w->path);
    if (PQstatus(st->conn) != CONNECTION_OK) {
        pg_error(w, "cannot connect to the database");
    } else if (PQsetClientEncoding(st->conn, "UTF8") != 0) {
        pg_error(w, "cannot use UTF-8");
    } else if (create_schema(w) == 0 && create_staging(w) == 0 && start_run(w) == 0) {
        return 0;
    }
    pg_free(st);
    w->state = NULL;
    return -1;
}

const kh_write_backend kh_write_backend_postgres = {
    {"postgres", "postgresql", NULL}, {NULL}, pg_open,
    {"postgresql://", "postgres://", NULL},
};
