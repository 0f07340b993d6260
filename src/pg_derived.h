/*
 * pg_derived.h -- the derived tables of a khaldun PostgreSQL database
 * (derived_sql.h; docs/schema.md, "Derived tables"): the rollups and
 * first_events that `khaldun serve` answers from, as on SQLite.  There is
 * no text index: serve's `q` is a regular expression over the sentences
 * (db_postgres.c).
 *
 * The PostgreSQL writer builds them at the end of a successful run,
 * kh_sqlite_reindex (khaldun.h) on demand.  Both stamp schema_info's
 * DERIVED_KEY with the number of mentions rows they cover: rows are only
 * ever added (every key is the content's; a rerun inserts nothing), so
 * the tables are current while the stamp equals count(*) of mentions
 * (db_postgres.c's dialect), and a run that commits a batch after them
 * makes them stale until it ends and builds them again.
 */
#ifndef KH_PG_DERIVED_H
#define KH_PG_DERIVED_H

#include "khaldun.h"

#include <libpq-fe.h>

/* Builds the derived tables from scratch in one transaction of its own
 * (`conn` has none open), under an advisory lock, so that two writers
 * ending at once build them one after the other, the later from both
 * runs' rows; unless `full`, not when they are current already (a run
 * that added no mentions row).  Returns NULL, or the server's message
 * (malloc'd). */
char *kh_pg_build_derived(PGconn *conn, int full);

/* kh_sqlite_reindex for a PostgreSQL URL. */
int kh_pg_reindex(const char *url, kh_diag *diag);

#endif
