/*
 * sqlite_derived.h -- the tables of a khaldun SQLite database that are
 * derived from the others for `khaldun serve` (docs/schema.md, "Derived
 * tables"): the rollups of the merged events' counts and the full-text
 * index of their sentences.
 *
 * The SQLite writer builds them at the end of a successful run,
 * kh_sqlite_reindex (khaldun.h) on demand.  Both stamp the database with
 * the last mentions row they covered (DERIVED_KEY in schema_info),
 * so that a reader can tell whether they are current: they are when the
 * stamp equals max(mentions.event) (serve_query.c checks it per request,
 * and answers from the events otherwise).
 */
#ifndef KH_SQLITE_DERIVED_H
#define KH_SQLITE_DERIVED_H

#include "derived_sql.h"

#include <sqlite3.h>

/* The schema version of a database with the derived tables; a version-3
 * database is one without them (and becomes 4 when they are built). */
#define SQLITE_SCHEMA_VERSION "4"
#define SQLITE_SCHEMA_VERSION_OLD "3"

/* Builds the derived tables in `db` (a read-write connection, no
 * transaction open) in one transaction of its own: the rollups from
 * scratch, the full-text index from scratch when `full`, else only for
 * the merged events after the stamp.  Returns 0, or -1 with *error set
 * to SQLite's message (sqlite3_free it). */
int kh_sqlite_build_derived(sqlite3 *db, int full, char **error);

#endif
