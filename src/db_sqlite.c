/* db_sqlite.c -- the SQLite backend of db.h: a khaldun SQLite file opened
 * read-only (SQLITE_OPEN_READONLY and PRAGMA query_only), whose
 * requests are stopped by a progress handler when their time runs out
 * (SQLITE_INTERRUPT), and whose text search is the derived FTS5 index
 * (sqlite_derived.c). */
#include "db.h"
#include "buf.h"
#include "sqlite_derived.h"
#include "util.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* SQLite virtual-machine steps between looks at the clock: ~0.1 ms of
 * work, so the budget is kept to a fraction of a millisecond. */
#define LITE_PROGRESS_STEPS 10000
/* How long to wait for a writer's lock (WAL readers rarely meet one). */
#define LITE_BUSY_MS 2000

typedef struct lite_db {
    kh_db base;
    sqlite3 *db;
    long query_ms;
    struct timespec deadline;
} lite_db;

typedef struct lite_stmt {
    kh_db_stmt base;
    sqlite3_stmt *st;
} lite_stmt;

static sqlite3_stmt *raw(kh_db_stmt *st) { return ((lite_stmt *)st)->st; }

static const kh_db_ops lite_ops;

static kh_db_stmt *lite_prepare(kh_db *db, const char *sql)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(((lite_db *)db)->db, sql, -1, &st, NULL) != SQLITE_OK)
        return NULL;
    lite_stmt *s = kh_xcalloc(1, sizeof *s);
    s->base.ops = &lite_ops;
    s->st = st;
    return &s->base;
}

static void lite_bind_text(kh_db_stmt *st, const char *name, const char *v, size_t n)
{
    int idx = sqlite3_bind_parameter_index(raw(st), name);
    if (idx)
        sqlite3_bind_text(raw(st), idx, v, (int)n, SQLITE_TRANSIENT);
}

static void lite_bind_int(kh_db_stmt *st, const char *name, long long v)
{
    int idx = sqlite3_bind_parameter_index(raw(st), name);
    if (idx)
        sqlite3_bind_int64(raw(st), idx, v);
}

static int lite_step(kh_db_stmt *st)
{
    int rc = sqlite3_step(raw(st));
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

static int lite_columns(kh_db_stmt *st) { return sqlite3_column_count(raw(st)); }

static int lite_is_null(kh_db_stmt *st, int c)
{
    return sqlite3_column_type(raw(st), c) == SQLITE_NULL;
}

static const char *lite_text(kh_db_stmt *st, int c, size_t *len)
{
    const char *s = (const char *)sqlite3_column_text(raw(st), c);
    *len = s ? (size_t)sqlite3_column_bytes(raw(st), c) : 0;
    return s;
}

static long long lite_int64(kh_db_stmt *st, int c) { return sqlite3_column_int64(raw(st), c); }
static double lite_real(kh_db_stmt *st, int c) { return sqlite3_column_double(raw(st), c); }

static void lite_finalize(kh_db_stmt *st)
{
    sqlite3_finalize(raw(st));
    free(st);
}

static kh_db_error lite_error(kh_db *db, const char **message)
{
    sqlite3 *d = ((lite_db *)db)->db;
    int code = sqlite3_errcode(d);
    *message = sqlite3_errmsg(d);
    if (!strncmp(*message, "fts5:", 5))
        return KH_DB_BAD_SEARCH;
    if (code == SQLITE_INTERRUPT)
        return KH_DB_TIMEOUT;
    return code == SQLITE_BUSY || code == SQLITE_LOCKED ? KH_DB_BUSY : KH_DB_FAILED;
}

/* SQLite's progress handler: nonzero interrupts the query. */
static int over_budget(void *arg)
{
    lite_db *l = arg;
    struct timespec now;
    if (!l->query_ms)
        return 0;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return now.tv_sec > l->deadline.tv_sec ||
           (now.tv_sec == l->deadline.tv_sec && now.tv_nsec >= l->deadline.tv_nsec);
}

static void lite_start_request(kh_db *db)
{
    lite_db *l = (lite_db *)db;
    clock_gettime(CLOCK_MONOTONIC, &l->deadline);
    l->deadline.tv_sec += l->query_ms / 1000;
    l->deadline.tv_nsec += (l->query_ms % 1000) * 1000000L;
    if (l->deadline.tv_nsec >= 1000000000L) {
        l->deadline.tv_sec++;
        l->deadline.tv_nsec -= 1000000000L;
    }
}

static void lite_close(kh_db *db)
{
    sqlite3_close(((lite_db *)db)->db);
    free(db);
}

static const kh_db_ops lite_ops = {
    lite_prepare, lite_bind_text, lite_bind_int, lite_step, lite_columns, lite_is_null,
    lite_text, lite_int64, lite_real, lite_finalize, lite_error, lite_start_request, lite_close,
};

/* The terms as an FTS5 query: each an FTS5 string (so that no word of
 * it is ever FTS5 syntax: AND, NEAR, a column name), '*' for a prefix. */
static char *fts_value(const kh_db_term *terms, size_t n)
{
    kh_buf out = {0};
    for (size_t i = 0; i < n; i++) {
        kh_buf_adds(&out, i ? " \"" : "\"");
        kh_buf_add(&out, terms[i].text, terms[i].len);   /* holds no '"' */
        kh_buf_adds(&out, terms[i].prefix ? "\" *" : "\"");
    }
    kh_buf_addc(&out, '\0');
    return out.data;
}

static const kh_db_dialect lite_dialect = {
    .prefix_any = '*',
    .bin_sql = {[KH_DB_WEEK] = "date(%s, '-6 days', 'weekday 1')",
                [KH_DB_MONTH] = "strftime('%%Y-%%m', %s)", [KH_DB_YEAR] = "strftime('%%Y', %s)"},
    /* the full-text index (sqlite_derived.c), keyed by events.id */
    .text_where = "e.id IN (SELECT rowid FROM events_fts WHERE events_fts MATCH :q)",
    .text_needs_index = 1,
    .text_value = fts_value,
    /* the stamp is the last mentions row the tables cover (ids grow) */
    .derived_sql = "SELECT (SELECT CAST(value AS BIGINT) FROM schema_info"
                   " WHERE key = '" DERIVED_KEY "'),"
                   " (SELECT coalesce(max(event), 0) FROM mentions)",
};

/* Why `db` is not a khaldun database of a version served, or NULL.
 * Version 3 is served from its events, without the derived tables. */
static const char *not_khaldun(sqlite3 *db)
{
    sqlite3_stmt *st = NULL;
    const char *why = NULL;
    if (sqlite3_exec(db, "PRAGMA query_only = 1", NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "SELECT value FROM schema_info WHERE key = 'schema_version'",
                           -1, &st, NULL) != SQLITE_OK)
        why = sqlite3_errmsg(db);
    else if (sqlite3_step(st) != SQLITE_ROW)
        why = "it has no schema version";
    else if (strcmp((const char *)sqlite3_column_text(st, 0), SQLITE_SCHEMA_VERSION) &&
             strcmp((const char *)sqlite3_column_text(st, 0), SQLITE_SCHEMA_VERSION_OLD))
        why = "its schema version is not " SQLITE_SCHEMA_VERSION_OLD " or " SQLITE_SCHEMA_VERSION;
    sqlite3_finalize(st);
    return why;
}

kh_db *kh_db_open_sqlite(const char *path, long query_ms, kh_diag *diag)
{
    sqlite3 *db = NULL;
    const char *why = sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX,
                                      NULL) != SQLITE_OK ? (db ? sqlite3_errmsg(db) : "cannot open")
                                                         : not_khaldun(db);
    if (why) {
        kh_diag_report(diag, KH_ERROR, path, 0, "not a khaldun database: %s", why);
        sqlite3_close(db);
        return NULL;
    }
    sqlite3_busy_timeout(db, LITE_BUSY_MS);
    lite_db *l = kh_xcalloc(1, sizeof *l);
    l->base = (kh_db){&lite_ops, &lite_dialect};
    l->db = db;
    l->query_ms = query_ms;
    sqlite3_progress_handler(db, LITE_PROGRESS_STEPS, over_budget, l);
    return &l->base;
}
