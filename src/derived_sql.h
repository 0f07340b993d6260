/*
 * derived_sql.h -- the SQL of the derived tables (docs/schema.md,
 * "Derived tables") that the SQLite (sqlite_derived.c) and PostgreSQL
 * (pg_derived.c) databases share: the tables and the rollups' refill,
 * written once, with what the two dialects spell otherwise as the
 * macros' arguments.  serve_query.c reads the tables alike from either.
 */
#ifndef KH_DERIVED_SQL_H
#define KH_DERIVED_SQL_H

/* The schema_info key of the stamp that says which rows of mentions the
 * derived tables cover (each database's dialect says how it is compared:
 * db.h, derived_sql). */
#define DERIVED_KEY "derived_through"

/* The tables, of the column types DAY (a day), INT (a 64-bit integer)
 * and REAL (a double).  Every rollup has the same measures: events
 * (merged events), reports (their mentions), goldstein_tenths (the sum
 * over scored events, in tenths) and scored (events with a Goldstein
 * value). */
#define DERIVED_TABLES_SQL(DAY, INT, REAL) \
    "CREATE TABLE IF NOT EXISTS rollup(" \
    "  day " DAY ", source TEXT NOT NULL, target TEXT NOT NULL, root TEXT, quad " INT "," \
    "  events " INT " NOT NULL, reports " INT " NOT NULL," \
    "  goldstein_tenths " INT " NOT NULL, scored " INT " NOT NULL);" \
    "CREATE TABLE IF NOT EXISTS rollup_dyads(" \
    "  source TEXT NOT NULL, target TEXT NOT NULL, root TEXT, quad " INT "," \
    "  events " INT " NOT NULL, reports " INT " NOT NULL," \
    "  goldstein_tenths " INT " NOT NULL, scored " INT " NOT NULL);" \
    "CREATE TABLE IF NOT EXISTS rollup_days(" \
    "  day " DAY ", root TEXT, quad " INT "," \
    "  events " INT " NOT NULL, reports " INT " NOT NULL," \
    "  goldstein_tenths " INT " NOT NULL, scored " INT " NOT NULL);" \
    "CREATE TABLE IF NOT EXISTS rollup_documents(" \
    "  day " DAY ", source TEXT NOT NULL, target TEXT NOT NULL, root TEXT, quad " INT "," \
    "  document " INT " NOT NULL);" \
    "CREATE TABLE IF NOT EXISTS rollup_places(" \
    "  day " DAY ", source TEXT NOT NULL, target TEXT NOT NULL, root TEXT, quad " INT "," \
    "  name TEXT, country TEXT, lat " REAL " NOT NULL, lon " REAL " NOT NULL, precision TEXT," \
    "  events " INT " NOT NULL);" \
    "CREATE TABLE IF NOT EXISTS first_events(" \
    "  id " INT " PRIMARY KEY, day " DAY ", goldstein " REAL "," \
    "  source TEXT NOT NULL, target TEXT NOT NULL, root TEXT, quad " INT ");"

#define DERIVED_MEASURES "sum(events), sum(reports), sum(goldstein_tenths), sum(scored)"

/* The rollups from scratch, from the merged events; JOIN is the join
 * that keeps the order written (SQLite's CROSS JOIN, PostgreSQL's JOIN).
 * rollup_documents goes in by day, so that a range of days is a run of
 * its rows. */
#define DERIVED_ROLLUP_SQL(JOIN) \
    "DELETE FROM rollup;" \
    "INSERT INTO rollup SELECT coalesce(e.event_date, e.date), e.source, e.target," \
    "  e.root, e.quad, count(*)," \
    "  sum((SELECT count(*) FROM mentions r WHERE r.merged_event = m.event))," \
    "  coalesce(sum(CAST(round(e.goldstein * 10) AS INTEGER)), 0), count(e.goldstein)" \
    "  FROM mentions m " JOIN " events e ON e.id = m.event" \
    "  WHERE m.event = m.merged_event GROUP BY 1, 2, 3, 4, 5;" \
    "DELETE FROM rollup_dyads;" \
    "INSERT INTO rollup_dyads SELECT source, target, root, quad, " DERIVED_MEASURES \
    "  FROM rollup GROUP BY 1, 2, 3, 4;" \
    "DELETE FROM rollup_days;" \
    "INSERT INTO rollup_days SELECT day, root, quad, " DERIVED_MEASURES \
    "  FROM rollup GROUP BY 1, 2, 3;" \
    "DELETE FROM rollup_documents;" \
    "INSERT INTO rollup_documents SELECT DISTINCT coalesce(e.event_date, e.date)," \
    "  e.source, e.target, e.root, e.quad, r.document" \
    "  FROM mentions m " JOIN " events e ON e.id = m.merged_event" \
    "  " JOIN " events r ON r.id = m.event ORDER BY 1;" \
    "DELETE FROM rollup_places;" \
    "INSERT INTO rollup_places SELECT coalesce(e.event_date, e.date), e.source, e.target," \
    "  e.root, e.quad, p.name, p.country, p.lat, p.lon, p.precision, count(*)" \
    "  FROM places p " JOIN " mentions m ON m.event = p.event" \
    "  " JOIN " events e ON e.id = p.event" \
    "  WHERE m.event = m.merged_event AND p.lat IS NOT NULL AND p.lon IS NOT NULL" \
    "  GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10;"

/* first_events' row of each merged event (a merged event's first report
 * never changes), the merged events selected by a condition on m. */
#define DERIVED_FIRST_EVENTS_SELECT(JOIN) \
    "SELECT e.id, coalesce(e.event_date, e.date), e.goldstein," \
    "  e.source, e.target, e.root, e.quad" \
    "  FROM mentions m " JOIN " events e ON e.id = m.event" \
    "  WHERE m.event = m.merged_event"

#endif
