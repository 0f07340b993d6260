/* write_sqlite.c -- SQLite output: documents, sentences, events, actors,
 * places, quotes and mentions in one database file (schema and its rules:
 * docs/schema.md).
 *
 * Mentions: every events row is one report, keyed in its document by its
 * stable id (event_id); the duplicate stage (dedup.h) tells which merged
 * event each report belongs to, and `mentions` records it, naming the
 * events row of the merged event's first report.
 *
 * Safe to interrupt: the database runs in WAL mode and writes in batches of
 * SQLITE_BATCH_DOCS documents, each one transaction, so a killed run keeps
 * every committed batch and loses only the batch in flight.  Safe to rerun:
 * every table has a UNIQUE natural key and rows go in with INSERT OR
 * IGNORE, so coding the same input again adds nothing.  All data goes
 * through bound parameters of prepared statements, never into SQL text. */
#include "write_backends.h"
#include "write_fields.h"
#include "date.h"
#include "cameo.h"
#include "dedup.h"
#include "sqlite_derived.h"
#include "arena.h"
#include "strmap.h"
#include "util.h"

#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Documents per transaction.  A commit costs a disk sync (milliseconds);
 * 100 documents amortise it well below the cost of coding them, while an
 * interrupted run loses at most 100 documents of work, which a rerun redoes
 * without duplicates. */
#define SQLITE_BATCH_DOCS 100

/* How long to wait for another connection's lock (a reader in WAL mode
 * rarely holds one) before giving up with an error. */
#define SQLITE_BUSY_MS 5000

static const char schema_sql[] =
    "PRAGMA journal_mode=WAL;"
    "PRAGMA synchronous=NORMAL;"
    "CREATE TABLE IF NOT EXISTS schema_info("
    "  key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "INSERT OR IGNORE INTO schema_info VALUES('schema_version','" SQLITE_SCHEMA_VERSION "');"
    "CREATE TABLE IF NOT EXISTS documents("
    "  id INTEGER PRIMARY KEY,"
    "  doc_id TEXT NOT NULL,"
    "  content_hash TEXT NOT NULL,"
    "  length INTEGER NOT NULL,"
    "  date TEXT, title TEXT, outlet TEXT, url TEXT, place TEXT, path TEXT,"
    "  UNIQUE(doc_id, content_hash));"
    "CREATE TABLE IF NOT EXISTS sentences("
    "  document INTEGER NOT NULL REFERENCES documents(id),"
    "  sent INTEGER NOT NULL,"
    "  start_byte INTEGER NOT NULL,"
    "  text TEXT NOT NULL,"
    "  PRIMARY KEY(document, sent));"
    "CREATE TABLE IF NOT EXISTS actors("
    "  code TEXT PRIMARY KEY,"
    "  country TEXT, country_kind TEXT, groups TEXT);"
    "CREATE TABLE IF NOT EXISTS events("
    "  id INTEGER PRIMARY KEY,"
    "  document INTEGER NOT NULL REFERENCES documents(id),"
    "  sent INTEGER NOT NULL,"
    "  date TEXT,"
    "  source TEXT NOT NULL, source_text TEXT,"
    "  target TEXT NOT NULL, target_text TEXT,"
    "  code TEXT NOT NULL, root TEXT, quad INTEGER, goldstein REAL,"
    "  plover TEXT, plover_mode TEXT, plover_context TEXT,"
    "  source_start INTEGER NOT NULL, source_end INTEGER NOT NULL,"
    "  verb_start INTEGER NOT NULL, verb_end INTEGER NOT NULL,"
    "  target_start INTEGER NOT NULL, target_end INTEGER NOT NULL,"
    "  pattern TEXT, dict TEXT,"
    "  negated INTEGER NOT NULL, passive INTEGER NOT NULL,"
    "  hypothetical INTEGER NOT NULL, future INTEGER NOT NULL,"
    "  paired INTEGER NOT NULL, historical INTEGER NOT NULL,"
    "  issues TEXT,"
    "  event_date TEXT, date_source TEXT, date_precision TEXT,"
    "  event_id INTEGER NOT NULL,"
    "  UNIQUE(document, event_id));"
    "CREATE INDEX IF NOT EXISTS events_by_event_id ON events(event_id);"
    "CREATE INDEX IF NOT EXISTS events_by_date ON events(date);"
    "CREATE INDEX IF NOT EXISTS events_by_code ON events(code);"
    "CREATE INDEX IF NOT EXISTS events_by_event_date ON events(event_date);"
    "CREATE TABLE IF NOT EXISTS places("
    "  event INTEGER PRIMARY KEY REFERENCES events(id),"
    "  name TEXT, country TEXT, fips TEXT, admin1 TEXT,"
    "  lat REAL, lon REAL, precision TEXT,"
    "  start_byte INTEGER NOT NULL, end_byte INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS quotes("
    "  event INTEGER PRIMARY KEY REFERENCES events(id),"
    "  speaker TEXT, quote TEXT NOT NULL,"
    "  start_byte INTEGER NOT NULL, end_byte INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS mentions("
    "  event INTEGER PRIMARY KEY REFERENCES events(id),"
    "  merged_event INTEGER NOT NULL REFERENCES events(id));"
    "CREATE INDEX IF NOT EXISTS mentions_by_merged ON mentions(merged_event);"
    /* for khaldun serve (docs/serve.md): the first reports, which are the
     * merged events, the day an event happened, and the event list's
     * other order */
    "CREATE INDEX IF NOT EXISTS mentions_first ON mentions(event) WHERE event = merged_event;"
    "CREATE INDEX IF NOT EXISTS events_by_day ON events(coalesce(event_date, date));"
    "CREATE INDEX IF NOT EXISTS events_by_goldstein ON events(goldstein);"
    "CREATE TABLE IF NOT EXISTS runs("
    "  id INTEGER PRIMARY KEY,"
    "  started TEXT NOT NULL, ended TEXT,"
    "  status TEXT NOT NULL,"
    "  inputs TEXT,"
    "  documents INTEGER NOT NULL DEFAULT 0,"
    "  sentences INTEGER NOT NULL DEFAULT 0,"
    "  events INTEGER NOT NULL DEFAULT 0,"
    "  pid INTEGER, version TEXT);"
    "CREATE VIEW IF NOT EXISTS merged_events AS"
    "  SELECT m.merged_event AS event, count(*) AS mentions,"
    "         count(DISTINCT e.document) AS articles,"
    "         count(DISTINCT coalesce(d.outlet, d.doc_id)) AS sources"
    "  FROM mentions m JOIN events e ON e.id = m.event"
    "  JOIN documents d ON d.id = e.document GROUP BY m.merged_event;";

enum { STMT_INS_DOC, STMT_SEL_DOC, STMT_INS_SENT, STMT_INS_ACTOR,
       STMT_INS_EVENT, STMT_SEL_EVENT, STMT_INS_PLACE, STMT_INS_QUOTE,
       STMT_INS_MENTION, STMT_INS_RUN, STMT_RUN_INPUTS, STMT_RUN_COUNTS,
       STMT_RUN_END, STMT_COUNT };

#define SQL_NOW "strftime('%Y-%m-%dT%H:%M:%SZ','now')"

/* Columns of STMT_INS_EVENT, in order: the binds below use these names
 * rather than bare numbers, so adding a column cannot shift the rest. */
enum { EV_DOCUMENT = 1, EV_SENT, EV_DATE, EV_SOURCE, EV_SOURCE_TEXT, EV_TARGET,
       EV_TARGET_TEXT, EV_CODE, EV_ROOT, EV_QUAD, EV_GOLDSTEIN, EV_PLOVER,
       EV_PLOVER_MODE, EV_PLOVER_CONTEXT, EV_SPANS /* 6 columns */,
       EV_PATTERN = EV_SPANS + 6, EV_DICT, EV_FLAGS /* one per flag */ };
#define EV_ISSUES (EV_FLAGS + 6)
#define EV_EVENT_DATE (EV_ISSUES + 1)
#define EV_DATE_SOURCE (EV_ISSUES + 2)
#define EV_EVENT_ID (EV_ISSUES + 3)
#define EV_DATE_PRECISION (EV_ISSUES + 4)

static const char *const stmt_sql[STMT_COUNT] = {
    [STMT_INS_DOC] = "INSERT OR IGNORE INTO documents(doc_id, content_hash, length,"
                     " date, title, outlet, url, place, path)"
                     " VALUES(?,?,?,?,?,?,?,?,?)",
    [STMT_SEL_DOC] = "SELECT id FROM documents WHERE doc_id=? AND content_hash=?",
    [STMT_INS_SENT] = "INSERT OR IGNORE INTO sentences(document, sent, start_byte, text)"
                      " VALUES(?,?,?,?)",
    [STMT_INS_ACTOR] = "INSERT OR IGNORE INTO actors(code, country, country_kind, groups)"
                       " VALUES(?,?,?,?)",
    [STMT_INS_EVENT] = "INSERT OR IGNORE INTO events(document, sent, date, source,"
                       " source_text, target, target_text, code, root, quad,"
                       " goldstein, plover, plover_mode, plover_context,"
                       " source_start, source_end, verb_start, verb_end,"
                       " target_start, target_end, pattern, dict, negated,"
                       " passive, hypothetical, future, paired, historical,"
                       " issues, event_date, date_source, event_id, date_precision)"
                       " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
    [STMT_SEL_EVENT] = "SELECT id FROM events WHERE document=? AND event_id=?",
    [STMT_INS_PLACE] = "INSERT OR IGNORE INTO places(event, name, country, fips, admin1,"
                       " lat, lon, precision, start_byte, end_byte)"
                       " VALUES(?,?,?,?,?,?,?,?,?,?)",
    [STMT_INS_QUOTE] = "INSERT OR IGNORE INTO quotes(event, speaker, quote, start_byte,"
                       " end_byte) VALUES(?,?,?,?,?)",
    [STMT_INS_MENTION] = "INSERT OR IGNORE INTO mentions(event, merged_event) VALUES(?,?)",
    [STMT_INS_RUN] = "INSERT INTO runs(started, status, pid, version)"
                     " VALUES(" SQL_NOW ", 'running', ?, '" KHALDUN_VERSION "')",
    [STMT_RUN_INPUTS] = "UPDATE runs SET inputs=? WHERE id=?",
    [STMT_RUN_COUNTS] = "UPDATE runs SET documents=?, sentences=?, events=? WHERE id=?",
    [STMT_RUN_END] = "UPDATE runs SET status=?, ended=" SQL_NOW " WHERE id=?",
};

typedef struct sqlite_state {
    sqlite3 *db;
    sqlite3_stmt *stmt[STMT_COUNT];
    sqlite3_int64 doc_rowid;   /* the current document's documents.id */
    char date[KH_DATE_ISO_SIZE];             /* the current document's date, or "" */
    int in_transaction;
    int batch_docs;            /* documents in the open transaction */
    sqlite3_int64 run;         /* this run's runs row */
    sqlite3_int64 documents, sentences, events;   /* ... its counts */
    kh_strmap actors;          /* codes this run has put in actors: a
                                  second INSERT OR IGNORE would do nothing */
    kh_arena actor_codes;      /* the keys of `actors` */
    kh_buf dict_ref;           /* the event's dict column, "file:line" */
} sqlite_state;

static int db_error(kh_writer *w, const char *what)
{
    sqlite_state *st = w->state;
    kh_diag_report(w->diag, KH_ERROR, w->path, 0, "%s: %s", what,
                   st && st->db ? sqlite3_errmsg(st->db) : "cannot open");
    return -1;
}

/* Binds text (NULL binds NULL). */
static void bind_text(sqlite3_stmt *s, int i, const char *text, size_t len)
{
    if (text)
        sqlite3_bind_text64(s, i, text, (sqlite3_uint64)len, SQLITE_STATIC, SQLITE_UTF8);
    else
        sqlite3_bind_null(s, i);
}

static void bind_cstr(sqlite3_stmt *s, int i, const char *text)
{
    bind_text(s, i, text, text ? strlen(text) : 0);
}

/* source_text, target_text: NULL when no words named the actor, as in
 * the JSON lines (never ""). */
static void bind_words(sqlite3_stmt *s, int i, const char *text)
{
    bind_cstr(s, i, text && *text ? text : NULL);
}

/* Steps a statement that returns no rows, then resets it for reuse. */
static int step_done(kh_writer *w, sqlite3_stmt *s, const char *what)
{
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    return rc == SQLITE_DONE ? 0 : db_error(w, what);
}

static int exec(kh_writer *w, const char *sql, const char *what)
{
    sqlite_state *st = w->state;
    return sqlite3_exec(st->db, sql, NULL, NULL, NULL) == SQLITE_OK
               ? 0 : db_error(w, what);
}

/* ------------------------------------------------------------------ */

/* ---- the runs table ---- */

/* Each run is a row, inserted (and committed) when the database is
 * opened with status 'running', its counts updated in every batch's
 * transaction and its status set to 'complete' or 'failed' at the end:
 * a database a killed run left says so, and how far the run got. */
static int run_start(kh_writer *w)
{
    sqlite_state *st = w->state;
    sqlite3_stmt *s = st->stmt[STMT_INS_RUN];
    sqlite3_bind_int64(s, 1, (sqlite3_int64)getpid());
    if (step_done(w, s, "cannot insert run") != 0)
        return -1;
    st->run = sqlite3_last_insert_rowid(st->db);
    return 0;
}

static int run_counts(kh_writer *w)
{
    sqlite_state *st = w->state;
    sqlite3_stmt *s = st->stmt[STMT_RUN_COUNTS];
    sqlite3_bind_int64(s, 1, st->documents);
    sqlite3_bind_int64(s, 2, st->sentences);
    sqlite3_bind_int64(s, 3, st->events);
    sqlite3_bind_int64(s, 4, st->run);
    return step_done(w, s, "cannot update run");
}

/* Sets one text column of the run's row: STMT_RUN_END's status or
 * STMT_RUN_INPUTS' inputs. */
static int run_set(kh_writer *w, int stmt, const char *text)
{
    sqlite_state *st = w->state;
    sqlite3_stmt *s = st->stmt[stmt];
    bind_cstr(s, 1, text);
    sqlite3_bind_int64(s, 2, st->run);
    return step_done(w, s, "cannot update run");
}

static int run_end(kh_writer *w, const char *status)
{
    return run_set(w, STMT_RUN_END, status);
}

static int sqlite_set_inputs(kh_writer *w, const char *inputs)
{
    return run_set(w, STMT_RUN_INPUTS, inputs);
}

/* Commits the open batch when it is full, and opens one if none is open. */
static int batch_next_doc(kh_writer *w)
{
    sqlite_state *st = w->state;
    if (st->in_transaction && st->batch_docs >= SQLITE_BATCH_DOCS) {
        if (run_counts(w) != 0 || exec(w, "COMMIT", "cannot commit") != 0)
            return -1;
        st->in_transaction = 0;
    }
    if (!st->in_transaction) {
        if (exec(w, "BEGIN IMMEDIATE", "cannot begin a transaction") != 0)
            return -1;
        st->in_transaction = 1;
        st->batch_docs = 0;
    }
    st->batch_docs++;
    return 0;
}

static int find_doc(kh_writer *w, const char *id, const char *hash)
{
    sqlite_state *st = w->state;
    sqlite3_stmt *s = st->stmt[STMT_SEL_DOC];
    bind_cstr(s, 1, id);
    bind_cstr(s, 2, hash);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        st->doc_rowid = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    return rc == SQLITE_ROW ? 0 : db_error(w, "cannot find document row");
}

static int sqlite_add_doc(kh_writer *w, const kh_doc *doc)
{
    sqlite_state *st = w->state;
    const char *id = doc->id ? doc->id : "";
    char hash[KH_WRITE_CONTENT_HASH_SIZE];
    if (batch_next_doc(w) != 0)
        return -1;
    kh_write_content_hash(doc->text, doc->len, hash);
    kh_date_format_iso(doc->date, st->date);
    sqlite3_stmt *s = st->stmt[STMT_INS_DOC];
    bind_cstr(s, 1, id);
    bind_cstr(s, 2, hash);
    sqlite3_bind_int64(s, 3, (sqlite3_int64)doc->len);
    bind_cstr(s, 4, st->date[0] ? st->date : NULL);
    bind_cstr(s, 5, doc->title);
    bind_cstr(s, 6, doc->source);
    bind_cstr(s, 7, doc->url);
    bind_cstr(s, 8, doc->place);
    bind_cstr(s, 9, doc->path);
    if (step_done(w, s, "cannot insert document") != 0)
        return -1;
    st->documents++;
    /* a new row, or the one an earlier run of the same input made */
    if (sqlite3_changes(st->db) == 1) {
        st->doc_rowid = sqlite3_last_insert_rowid(st->db);
        return 0;
    }
    return find_doc(w, id, hash);
}

/* ------------------------------------------------------------------ */

/* Records an actor code with its parts (cameo.h); "---" and "" are not
 * actors. */
static int add_actor(kh_writer *w, const char *code)
{
    sqlite_state *st = w->state;
    kh_actor_parts parts;
    if (!code || !*code || strcmp(code, "---") == 0)
        return 0;
    size_t len = strlen(code);
    if (kh_strmap_get(&st->actors, code, len) >= 0)
        return 0;
    kh_actor_code_split(code, &parts);
    char *groups = kh_xcalloc(parts.group_count + 1, KH_ACTOR_GROUP_LEN + 1);
    for (size_t i = 0; i < parts.group_count; i++) {
        if (i)
            strcat(groups, " ");
        strcat(groups, parts.groups[i]);
    }
    sqlite3_stmt *s = st->stmt[STMT_INS_ACTOR];
    bind_cstr(s, 1, code);
    bind_cstr(s, 2, parts.country[0] ? parts.country : NULL);
    bind_cstr(s, 3, kh_write_country_kind_name(parts.country_kind));
    bind_cstr(s, 4, groups);
    int rc = step_done(w, s, "cannot insert actor");
    if (rc == 0)
        kh_strmap_put(&st->actors, kh_arena_strndup(&st->actor_codes, code, len), 1);
    free(groups);
    kh_actor_parts_free(&parts);
    return rc;
}

static int add_sentence(kh_writer *w, const kh_write_item *it)
{
    sqlite_state *st = w->state;
    sqlite3_stmt *s = st->stmt[STMT_INS_SENT];
    sqlite3_bind_int64(s, 1, st->doc_rowid);
    sqlite3_bind_int(s, 2, it->sent_no);
    sqlite3_bind_int64(s, 3, it->sentence_offset);
    bind_text(s, 4, it->sentence, it->sentence_len);
    return step_done(w, s, "cannot insert sentence");
}

/* Binds the CAMEO columns: code, root, quad, goldstein, plover, mode,
 * context; a non-CAMEO code keeps its text and gets NULLs. */
static void bind_cameo(sqlite3_stmt *s, const char *code, char root[KH_CAMEO_ROOT_SIZE])
{
    const kh_cameo_info *info = kh_cameo_lookup(code);
    bind_cstr(s, EV_CODE, code);
    bind_cstr(s, EV_ROOT, kh_cameo_root(code, root) == 0 ? root : NULL);
    int quad = kh_cameo_quad(code);
    if (quad)
        sqlite3_bind_int(s, EV_QUAD, quad);
    if (info)
        sqlite3_bind_double(s, EV_GOLDSTEIN, info->goldstein);
    bind_cstr(s, EV_PLOVER, info ? info->plover : NULL);
    bind_cstr(s, EV_PLOVER_MODE, info ? info->plover_mode : NULL);
    bind_cstr(s, EV_PLOVER_CONTEXT, info ? info->plover_context : NULL);
}

/* -1 rather than NULL for a missing offset: NULLs never collide in a
 * UNIQUE key, so a rerun would duplicate the row. */
static sqlite3_int64 offset_or_none(long v) { return v < 0 ? -1 : v; }

static void bind_spans(sqlite3_stmt *s, const kh_event *e)
{
    const kh_span spans[] = {e->source_span, e->verb_span, e->target_span};
    for (int i = 0; i < 3; i++) {
        sqlite3_bind_int64(s, EV_SPANS + 2 * i, offset_or_none(spans[i].start));
        sqlite3_bind_int64(s, EV_SPANS + 2 * i + 1, offset_or_none(spans[i].end));
    }
}

/* The dict column, "file:line" as kh_write_dict_ref makes it, made in
 * `ref` without a malloc per event; `ref` must stay as it is until the
 * statement has run. */
static void bind_dict_ref(sqlite3_stmt *s, kh_buf *ref, const kh_event *e)
{
    if (!e->dict_file) {
        sqlite3_bind_null(s, EV_DICT);
        return;
    }
    kh_buf_clear(ref);
    kh_buf_adds(ref, e->dict_file);
    if (e->dict_line > 0) {
        kh_buf_addc(ref, ':');
        kh_buf_add_long(ref, e->dict_line, 0);
    }
    bind_text(s, EV_DICT, ref->len ? ref->data : "", ref->len);
}

/* The report's stable id (dedup.h), a non-negative 64-bit integer. */
static sqlite3_int64 stable_id(const kh_write_item *it, const kh_event *e)
{
    return (sqlite3_int64)(e->id ? e->id : kh_dedup_event_id(it->doc->id, it->sent_no, e));
}

/* The events row of e: just inserted, or there from an earlier run. */
static sqlite3_int64 event_rowid(kh_writer *w, const kh_write_item *it, const kh_event *e)
{
    sqlite_state *st = w->state;
    if (sqlite3_changes(st->db) == 1)
        return sqlite3_last_insert_rowid(st->db);
    sqlite3_stmt *s = st->stmt[STMT_SEL_EVENT];
    sqlite3_bind_int64(s, 1, st->doc_rowid);
    sqlite3_bind_int64(s, 2, stable_id(it, e));
    sqlite3_int64 id = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : -1;
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    if (id < 0)
        db_error(w, "cannot find event row");
    return id;
}

static sqlite3_int64 add_event(kh_writer *w, const kh_write_item *it, const kh_event *e)
{
    sqlite_state *st = w->state;
    sqlite3_stmt *s = st->stmt[STMT_INS_EVENT];
    char root[KH_CAMEO_ROOT_SIZE], event_date[KH_DATE_ISO_SIZE];
    sqlite3_bind_int64(s, EV_DOCUMENT, st->doc_rowid);
    sqlite3_bind_int(s, EV_SENT, it->sent_no);
    bind_cstr(s, EV_DATE, st->date[0] ? st->date : NULL);
    bind_cstr(s, EV_SOURCE, e->source ? e->source : "---");
    bind_words(s, EV_SOURCE_TEXT, e->source_text);
    bind_cstr(s, EV_TARGET, e->target ? e->target : "---");
    bind_words(s, EV_TARGET_TEXT, e->target_text);
    bind_cameo(s, e->code, root);
    bind_spans(s, e);
    bind_cstr(s, EV_PATTERN, e->pattern);
    bind_dict_ref(s, &st->dict_ref, e);
    for (size_t i = 0; i < kh_write_flag_count; i++)
        sqlite3_bind_int(s, EV_FLAGS + (int)i, (e->flags & kh_write_flags[i].bit) != 0);
    bind_cstr(s, EV_ISSUES, e->issues && *e->issues ? e->issues : NULL);
    bind_cstr(s, EV_EVENT_DATE,
              kh_date_format_iso(e->event_date, event_date) == 0 ? event_date : NULL);
    bind_cstr(s, EV_DATE_SOURCE, kh_write_date_source_name(e->date_source));
    sqlite3_bind_int64(s, EV_EVENT_ID, stable_id(it, e));
    bind_cstr(s, EV_DATE_PRECISION, kh_write_date_precision_name(e->date_precision));
    int rc = step_done(w, s, "cannot insert event");
    return rc == 0 ? event_rowid(w, it, e) : -1;
}

static int add_place(kh_writer *w, sqlite3_int64 event, const kh_place *p)
{
    sqlite_state *st = w->state;
    if (p->precision == KH_PLACE_NONE && !p->name && !p->country[0])
        return 0;
    sqlite3_stmt *s = st->stmt[STMT_INS_PLACE];
    sqlite3_bind_int64(s, 1, event);
    bind_cstr(s, 2, p->name);
    bind_cstr(s, 3, p->country[0] ? p->country : NULL);
    bind_cstr(s, 4, p->fips[0] ? p->fips : NULL);
    bind_cstr(s, 5, p->admin1[0] ? p->admin1 : NULL);
    if (p->precision != KH_PLACE_NONE) {
        sqlite3_bind_double(s, 6, p->lat);
        sqlite3_bind_double(s, 7, p->lon);
    }
    bind_cstr(s, 8, kh_write_precision_name(p->precision));
    sqlite3_bind_int64(s, 9, offset_or_none(p->span.start));
    sqlite3_bind_int64(s, 10, offset_or_none(p->span.end));
    return step_done(w, s, "cannot insert place");
}

static int add_quote(kh_writer *w, sqlite3_int64 event, const kh_event *e)
{
    sqlite_state *st = w->state;
    if (!e->quote)
        return 0;
    sqlite3_stmt *s = st->stmt[STMT_INS_QUOTE];
    sqlite3_bind_int64(s, 1, event);
    bind_cstr(s, 2, e->speaker);
    bind_cstr(s, 3, e->quote);
    sqlite3_bind_int64(s, 4, offset_or_none(e->quote_span.start));
    sqlite3_bind_int64(s, 5, offset_or_none(e->quote_span.end));
    return step_done(w, s, "cannot insert quote");
}

/* Records which merged event (dedup.h) report k belongs to: the row of
 * its first report, written before any other mention of it (the stage
 * hands documents on in input order). */
static int add_mention(kh_writer *w, const kh_write_item *it, sqlite3_int64 event, size_t k)
{
    sqlite_state *st = w->state;
    sqlite3_int64 merged = event;
    if (it->refs) {
        kh_dedup_event *ev = it->refs[k].merged;
        if (it->refs[k].first)
            ev->user = event;
        merged = ev->user;
    }
    sqlite3_stmt *s = st->stmt[STMT_INS_MENTION];
    sqlite3_bind_int64(s, 1, event);
    sqlite3_bind_int64(s, 2, merged);
    return step_done(w, s, "cannot insert mention");
}

static int sqlite_add(kh_writer *w, const kh_write_item *it)
{
    sqlite_state *st = w->state;
    if (add_sentence(w, it) != 0)
        return -1;
    st->sentences++;
    st->events += (sqlite3_int64)it->events->count;
    for (size_t i = 0; i < it->events->count; i++) {
        const kh_event *e = &it->events->items[i];
        if (add_actor(w, e->source) != 0 || add_actor(w, e->target) != 0)
            return -1;
        sqlite3_int64 id = add_event(w, it, e);
        if (id < 0 || add_place(w, id, &e->place) != 0 || add_quote(w, id, e) != 0 ||
            add_mention(w, it, id, i) != 0)
            return -1;
    }
    return 0;
}

/* ------------------------------------------------------------------ */

/* The rollups and the full-text index for `khaldun serve`, after the
 * run's last commit: a failed run leaves them as they were, and the
 * stamp then tells serve they are out of date (sqlite_derived.h). */
static int build_derived(kh_writer *w)
{
    sqlite_state *st = w->state;
    char *error;
    if (kh_sqlite_build_derived(st->db, 0, &error) == 0)
        return 0;
    kh_diag_report(w->diag, KH_ERROR, w->path, 0, "cannot build the rollups: %s", error);
    sqlite3_free(error);
    return -1;
}

static int sqlite_close(kh_writer *w, int failed)
{
    sqlite_state *st = w->state;
    int rc = 0;
    if (!failed && st->run && (run_counts(w) != 0 || run_end(w, "complete") != 0)) {
        failed = 1;
        rc = -1;
    }
    /* SQLite may have rolled back itself (SQLITE_FULL does) */
    if (st->in_transaction && !sqlite3_get_autocommit(st->db) &&
        exec(w, failed ? "ROLLBACK" : "COMMIT", "cannot finish the last transaction") != 0)
        rc = -1;
    /* after the rollback, on its own: the batch's data is gone, the
     * record of the failure stays (unless the disk takes nothing more) */
    if (failed && st->run)
        run_end(w, "failed");
    if (!failed && rc == 0 && build_derived(w) != 0)
        rc = -1;
    for (int i = 0; i < STMT_COUNT; i++)
        sqlite3_finalize(st->stmt[i]);
    if (sqlite3_close(st->db) != SQLITE_OK && rc == 0)
        rc = db_error(w, "cannot close database");
    kh_strmap_free(&st->actors);
    kh_arena_free(&st->actor_codes);
    kh_buf_free(&st->dict_ref);
    free(st);
    w->state = NULL;
    return rc;
}

static int check_schema_version(kh_writer *w)
{
    sqlite_state *st = w->state;
    sqlite3_stmt *s;
    int ok = 0;
    if (sqlite3_prepare_v2(st->db, "SELECT value FROM schema_info WHERE"
                           " key='schema_version'", -1, &s, NULL) != SQLITE_OK)
        return db_error(w, "cannot read schema version");
    if (sqlite3_step(s) == SQLITE_ROW) {
        const char *v = (const char *)sqlite3_column_text(s, 0);
        /* version 3 lacks only the derived tables, which the run's end
         * builds (and makes it 4) */
        ok = v && (!strcmp(v, SQLITE_SCHEMA_VERSION) || !strcmp(v, SQLITE_SCHEMA_VERSION_OLD));
    }
    sqlite3_finalize(s);
    if (!ok)
        kh_diag_report(w->diag, KH_ERROR, w->path, 0,
                       "database has another schema version (this khaldun "
                       "writes version " SQLITE_SCHEMA_VERSION " and updates "
                       SQLITE_SCHEMA_VERSION_OLD ")");
    return ok ? 0 : -1;
}

static int open_db(kh_writer *w)
{
    sqlite_state *st = w->state;
    /* NOMUTEX: the connection is the writer's, used on its one thread
     * (the pool delivers on the caller's), so SQLite need not lock it
     * and unlock it around every call (every bind, step and reset). */
    if (sqlite3_open_v2(w->path, &st->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        NULL) != SQLITE_OK)
        return db_error(w, "cannot open database");
    sqlite3_busy_timeout(st->db, SQLITE_BUSY_MS);
    if (exec(w, schema_sql, "cannot create the schema") != 0 || check_schema_version(w) != 0)
        return -1;
    for (int i = 0; i < STMT_COUNT; i++)
        if (sqlite3_prepare_v2(st->db, stmt_sql[i], -1, &st->stmt[i], NULL) != SQLITE_OK)
            return db_error(w, "cannot prepare statement");
    return run_start(w);
}

static const kh_writer_ops sqlite_ops = {sqlite_add_doc, sqlite_add, sqlite_close,
                                         sqlite_set_inputs};

static int sqlite_open(kh_writer *w)
{
    if (strcmp(w->path, "-") == 0) {
        kh_diag_report(w->diag, KH_ERROR, w->path, 0,
                       "SQLite output needs a file name, not standard output");
        return -1;
    }
    w->ops = &sqlite_ops;
    sqlite_state *st = kh_xcalloc(1, sizeof *st);
    kh_strmap_init(&st->actors);
    kh_arena_init(&st->actor_codes);
    w->state = st;
    if (open_db(w) != 0) {
        sqlite_close(w, 1);
        return -1;
    }
    return 0;
}

const kh_write_backend kh_write_backend_sqlite = {{"sqlite", "sqlite3", NULL}, {".db", ".sqlite", ".sqlite3", NULL}, sqlite_open,
                                                 {NULL}};
