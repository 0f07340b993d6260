/* sqlite_derived.c -- the rollups and the full-text index of a khaldun
 * SQLite database (sqlite_derived.h; the tables: docs/schema.md).
 *
 * Why rollups: the overview, network, dyad and summary views count
 * merged events by their day, actors, CAMEO root and QuadClass.  Read
 * from the events, every view on a million events is a pass over a
 * million first reports (0.5 s before any counting); read from a table
 * of those five dimensions and the counts, it is a pass over a few
 * hundred thousand narrow rows, and over a few thousand when the view
 * needs fewer dimensions (rollup_dyads without the day, rollup_days
 * without the actors).  The summary's count of documents is not a sum
 * of parts (a document may report several events), so it has a table of
 * its own, rollup_documents: the distinct (dimensions, document) of every
 * report, by its merged event's dimensions, a count(DISTINCT) over which
 * is the documents of the events selected.  The map's places have one
 * too, rollup_places: the located merged events by dimensions and place.
 * Goldstein sums are kept in integer tenths (the CAMEO scale's step), so
 * that a sum is the same whatever order its events are added in, and the
 * views answer alike from either source.
 *
 * Why a table of the merged events alone, first_events: the event
 * list's late pages.  The list is read in the order of an index on the
 * day or the Goldstein score, and skipping to page 20,000 walks a
 * million entries; over the events' own index each entry is a report
 * whose mention must be looked up to know whether it is a merged event
 * (1.9 s for the last page), over first_events' it is an index entry
 * and nothing else, and a filter on the other dimensions reads a narrow
 * row of first_events rather than the event's.
 *
 * Why a contentless FTS5 index keyed by events.id: `q` selects merged
 * events by their first report's sentence; keyed by the event (an
 * INTEGER PRIMARY KEY, which VACUUM keeps) the index finds the events
 * directly and stores no second copy of the text. */
#include "khaldun.h"
#include "sqlite_derived.h"
#include "derived_sql.h"
#include "pg_derived.h"
#include "db.h"

#include <stdio.h>
#include <string.h>

/* The tables (derived_sql.h), the indexes of first_events' orders and
 * the contentless text index. */
static const char create_sql[] =
    DERIVED_TABLES_SQL("TEXT", "INTEGER", "REAL")
    "CREATE INDEX IF NOT EXISTS first_events_by_day ON first_events(day);"
    "CREATE INDEX IF NOT EXISTS first_events_by_goldstein ON first_events(goldstein);"
    "CREATE VIRTUAL TABLE IF NOT EXISTS events_fts USING fts5("
    "  text, content='', tokenize='unicode61 remove_diacritics 2');";

/* The indexes on day are dropped while the tables are refilled (they
 * are cheaper to make once than to keep up row by row). */
static const char rollup_sql[] =
    "DROP INDEX IF EXISTS rollup_by_day;"
    "DROP INDEX IF EXISTS rollup_documents_by_day;"
    DERIVED_ROLLUP_SQL("CROSS JOIN")
    "CREATE INDEX rollup_by_day ON rollup(day);"
    "CREATE INDEX rollup_documents_by_day ON rollup_documents(day);";

/* The merged events after ?1, and their sentences: a merged event's
 * first report never changes, so these grow by the new ones. */
static const char *const added_sql[] = {
    "INSERT OR REPLACE INTO first_events " DERIVED_FIRST_EVENTS_SELECT("CROSS JOIN")
    " AND m.event > ?1",
    "INSERT INTO events_fts(rowid, text) SELECT e.id, s.text"
    "  FROM mentions m CROSS JOIN events e ON e.id = m.event"
    "  JOIN sentences s ON s.document = e.document AND s.sent = e.sent"
    "  WHERE m.event = m.merged_event AND m.event > ?1",
};

static const char stamp_sql[] =
    "INSERT OR REPLACE INTO schema_info VALUES('" DERIVED_KEY "',"
    "  (SELECT coalesce(max(event), 0) FROM mentions));"
    "INSERT OR REPLACE INTO schema_info VALUES('schema_version', '" SQLITE_SCHEMA_VERSION "');";

/* The stamp, 0 when there is none. */
static sqlite3_int64 stamp(sqlite3 *db)
{
    sqlite3_stmt *st;
    sqlite3_int64 v = 0;
    if (sqlite3_prepare_v2(db, "SELECT CAST(value AS INTEGER) FROM schema_info WHERE key = '"
                           DERIVED_KEY "'", -1, &st, NULL) != SQLITE_OK)
        return 0;
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static int add_events(sqlite3 *db, sqlite3_int64 through)
{
    for (size_t i = 0; i < sizeof added_sql / sizeof added_sql[0]; i++) {
        sqlite3_stmt *st;
        if (sqlite3_prepare_v2(db, added_sql[i], -1, &st, NULL) != SQLITE_OK)
            return -1;
        sqlite3_bind_int64(st, 1, through);
        int rc = sqlite3_step(st);
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE)
            return -1;
    }
    return 0;
}

/* Whether the tables that grow by the new merged events are both there
 * (a database whose derived tables an older khaldun made lacks some). */
static int growing_tables_exist(sqlite3 *db)
{
    sqlite3_stmt *st;
    int n = 0;
    if (sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_master WHERE name IN"
                           " ('first_events', 'events_fts')", -1, &st, NULL) != SQLITE_OK)
        return 0;
    if (sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return n == 2;
}

static int build(sqlite3 *db, int full)
{
    full = full || !growing_tables_exist(db);
    if (sqlite3_exec(db, create_sql, NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_exec(db, rollup_sql, NULL, NULL, NULL) != SQLITE_OK)
        return -1;
    /* without a stamp, what they hold is not known to match the rest */
    sqlite3_int64 through = full ? 0 : stamp(db);
    if (!through && sqlite3_exec(db, "DELETE FROM first_events;"
                                 "INSERT INTO events_fts(events_fts) VALUES('delete-all')",
                                 NULL, NULL, NULL) != SQLITE_OK)
        return -1;
    if (add_events(db, through) != 0)
        return -1;
    return sqlite3_exec(db, stamp_sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

int kh_sqlite_build_derived(sqlite3 *db, int full, char **error)
{
    *error = NULL;
    if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
        *error = sqlite3_mprintf("%s", sqlite3_errmsg(db));
        return -1;
    }
    if (build(db, full) != 0) {
        *error = sqlite3_mprintf("%s", sqlite3_errmsg(db));
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        return -1;
    }
    if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        *error = sqlite3_mprintf("%s", sqlite3_errmsg(db));
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        return -1;
    }
    return 0;
}

/* How long to wait for a writer's lock before giving up. */
#define REINDEX_BUSY_MS 5000

static int reindex_failed(sqlite3 *db, const char *path, kh_diag *diag, const char *why)
{
    kh_diag_report(diag, KH_ERROR, path, 0, "cannot reindex: %s", why);
    sqlite3_close(db);
    return -1;
}

int kh_sqlite_reindex(const char *db_path, kh_diag *diag)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    if (kh_db_is_postgres(db_path))
        return kh_pg_reindex(db_path, diag);
    /* no SQLITE_OPEN_CREATE: a mistyped name is not a new database */
    if (sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
        return reindex_failed(db, db_path, diag, db ? sqlite3_errmsg(db) : "cannot open");
    sqlite3_busy_timeout(db, REINDEX_BUSY_MS);
    const char *v = NULL;
    if (sqlite3_prepare_v2(db, "SELECT value FROM schema_info WHERE key = 'schema_version'",
                           -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        v = (const char *)sqlite3_column_text(st, 0);
    int known = v && (!strcmp(v, SQLITE_SCHEMA_VERSION) || !strcmp(v, SQLITE_SCHEMA_VERSION_OLD));
    sqlite3_finalize(st);
    if (!known)
        return reindex_failed(db, db_path, diag, "not a khaldun database of schema version "
                              SQLITE_SCHEMA_VERSION_OLD " or " SQLITE_SCHEMA_VERSION);
    char *error;
    if (kh_sqlite_build_derived(db, 1, &error) != 0) {
        kh_diag_report(diag, KH_ERROR, db_path, 0, "cannot reindex: %s", error);
        sqlite3_free(error);
        sqlite3_close(db);
        return -1;
    }
    return sqlite3_close(db) == SQLITE_OK ? 0 : -1;
}
