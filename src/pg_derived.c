/* pg_derived.c -- the derived tables of a khaldun PostgreSQL database
 * (pg_derived.h; why each table exists: sqlite_derived.c).
 *
 * Readers are never blocked: the tables are emptied with DELETE, not
 * TRUNCATE, and their indexes are kept rather than dropped and remade
 * (both take a lock that would hold every `khaldun serve` query on them
 * until the build commits); a reader sees the last build's rows until
 * this one commits. */
#include "pg_derived.h"
#include "derived_sql.h"
#include "db.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The advisory lock that serialises builds between writers (another
 * constant than write_postgres.c's schema lock: "khdt"). */
#define PG_DERIVED_LOCK 0x6b686474L

/* The tables and their indexes.  first_events' indexes are in the
 * orders of serve's lists (serve_query.c, list_sort_sql), read forwards
 * or backwards, so a late page walks an index, not a sort. */
static const char create_sql[] =
    DERIVED_TABLES_SQL("DATE", "BIGINT", "DOUBLE PRECISION")
    "CREATE INDEX IF NOT EXISTS rollup_by_day ON rollup(day);"
    "CREATE INDEX IF NOT EXISTS rollup_documents_by_day ON rollup_documents(day);"
    "CREATE INDEX IF NOT EXISTS first_events_by_day ON first_events(day NULLS FIRST, id);"
    "CREATE INDEX IF NOT EXISTS first_events_by_goldstein"
    "  ON first_events(goldstein NULLS FIRST, id);";

/* Ids are hashes, so first_events cannot grow by the ids after a stamp
 * as SQLite's does: it is refilled too. */
static const char fill_sql[] =
    DERIVED_ROLLUP_SQL("JOIN")
    "DELETE FROM first_events;"
    "INSERT INTO first_events " DERIVED_FIRST_EVENTS_SELECT("JOIN") ";"
    "INSERT INTO schema_info VALUES('" DERIVED_KEY "', (SELECT count(*) FROM mentions))"
    "  ON CONFLICT (key) DO UPDATE SET value = excluded.value;"
    /* the planner's statistics of the refilled tables */
    "ANALYZE rollup, rollup_dyads, rollup_days, rollup_documents, rollup_places, first_events;";

/* Runs sql; NULL, or the server's message with what failed (malloc'd). */
static char *run(PGconn *conn, const char *sql, const char *what)
{
    PGresult *r = PQexec(conn, sql);
    ExecStatusType s = PQresultStatus(r);
    char *err = NULL;
    if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK)
        err = kh_xasprintf("%s: %s", what, PQerrorMessage(conn));
    PQclear(r);
    return err;
}

/* Whether the tables are current (their stamp counts every mentions
 * row): a run that added nothing, a rerun, need not rebuild them. */
static int current(PGconn *conn)
{
    PGresult *r = PQexec(conn, "SELECT (SELECT value FROM schema_info WHERE key = '"
                         DERIVED_KEY "') = CAST((SELECT count(*) FROM mentions) AS TEXT)");
    int yes = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 &&
              !strcmp(PQgetvalue(r, 0, 0), "t");
    PQclear(r);
    return yes;
}

/* Creates and fills the tables, unless they are current and not `full`. */
static char *build(PGconn *conn, int full)
{
    if (!full && current(conn))
        return NULL;
    char *err = run(conn, create_sql, "cannot create the derived tables");
    return err ? err : run(conn, fill_sql, "cannot build the derived tables");
}

char *kh_pg_build_derived(PGconn *conn, int full)
{
    char lock[96], unlock[96];
    snprintf(lock, sizeof lock, "SELECT pg_advisory_lock(%ld)", PG_DERIVED_LOCK);
    snprintf(unlock, sizeof unlock, "SELECT pg_advisory_unlock(%ld)", PG_DERIVED_LOCK);
    /* The lock before the transaction, so that its snapshot (one for
     * every statement: REPEATABLE READ, so the stamp counts the rows the
     * tables were made from) is taken after the other writer's build
     * has committed. */
    char *err = run(conn, lock, "cannot lock the derived tables");
    if (err)
        return err;
    err = run(conn, "BEGIN ISOLATION LEVEL REPEATABLE READ", "cannot begin a transaction");
    if (!err)
        err = build(conn, full);
    if (!err)
        err = run(conn, "COMMIT", "cannot commit the derived tables");
    else
        free(run(conn, "ROLLBACK", "cannot roll back"));
    char *unlocked = run(conn, unlock, "cannot unlock the derived tables");
    if (err) {
        free(unlocked);
        return err;
    }
    return unlocked;
}

/* Whether conn's database is a khaldun one of the writer's version;
 * else why not (malloc'd). */
static char *check_version(PGconn *conn)
{
    PGresult *r = PQexec(conn, "SELECT value FROM schema_info WHERE key = 'schema_version'");
    int known = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 &&
                !strcmp(PQgetvalue(r, 0, 0), KH_PG_SCHEMA_VERSION);
    PQclear(r);
    return known ? NULL : kh_xstrdup("not a khaldun database of schema version "
                                     KH_PG_SCHEMA_VERSION);
}

int kh_pg_reindex(const char *url, kh_diag *diag)
{
    PGconn *conn = PQconnectdb(url);
    char *err = NULL;
    if (PQstatus(conn) != CONNECTION_OK)
        err = kh_xasprintf("cannot connect: %s", PQerrorMessage(conn));
    if (!err)
        err = check_version(conn);
    if (!err)       /* not "relation ... already exists, skipping" */
        err = run(conn, "SET client_min_messages = warning", "cannot set up the session");
    if (!err)
        err = kh_pg_build_derived(conn, 1);
    PQfinish(conn);
    if (!err)
        return 0;
    /* "postgresql", not the URL, which may hold a password */
    kh_diag_report(diag, KH_ERROR, "postgresql", 0, "cannot reindex: %s", err);
    free(err);
    return -1;
}
