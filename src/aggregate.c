/* aggregate.c -- counts of coded events by actor, dyad, code and time
 * bin, from a khaldun database (db.h: SQLite or PostgreSQL), as CSV
 * (kh_aggregate, khaldun.h).
 *
 * These are the series conflict researchers build from event data: the
 * weekly events and Goldstein sum of a dyad, events per root per month.
 * Each merged event counts once (its first report: the mentions row that
 * names itself), so a story carried by ten outlets is one event, as in
 * GDELT's event table.  The SQL is assembled only from the fixed
 * fragments of the tables below, chosen by name; nothing from the
 * command line reaches it as text. */
#include "khaldun.h"
#include "buf.h"
#include "db.h"
#include "util.h"

#include <stdio.h>
#include <string.h>

/* A grouping key: its name on the command line, its CSV columns and the
 * SQL expressions that give them (over the alias e, events, and a, the
 * actor of an actor-keyed row). */
typedef struct agg_key {
    const char *name, *columns;
    const char *select[2];   /* one expression per column */
    int per_actor;           /* one row per actor of the event (source and target) */
    int bin;                 /* 1 + a time bin of the day (db.h: KH_DB_WEEK ...), whose
                                SQL is the dialect's; 0 for the expressions above */
} agg_key;

/* The day the event happened (the document's date when the text gives
 * none). */
#define AGG_DAY "coalesce(e.event_date, e.date)"

static const agg_key agg_keys[] = {
    {"dyad", "source,target", {"e.source", "e.target"}, 0, 0},
    {"actor", "actor", {"a.actor"}, 1, 0},
    {"root", "root", {"e.root"}, 0, 0},
    {"code", "code", {"e.code"}, 0, 0},
    {"quad", "quad", {"e.quad"}, 0, 0},
    /* time bins of the day; weeks start on Monday, as ISO 8601's */
    {"day", "day", {AGG_DAY}, 0, 0},
    {"week", "week", {NULL}, 0, 1 + KH_DB_WEEK},
    {"month", "month", {NULL}, 0, 1 + KH_DB_MONTH},
    {"year", "year", {NULL}, 0, 1 + KH_DB_YEAR},
};
#define AGG_KEY_COUNT (sizeof agg_keys / sizeof agg_keys[0])

/* At most this many keys in one --by: the grouping of a table with more
 * is no longer a series anyone reads. */
#define AGG_MAX_KEYS 4

static const agg_key *find_key(const char *name, size_t len)
{
    for (size_t i = 0; i < AGG_KEY_COUNT; i++)
        if (strlen(agg_keys[i].name) == len && !memcmp(agg_keys[i].name, name, len))
            return &agg_keys[i];
    return NULL;
}

/* Parses "dyad,week" into keys; -1 after reporting a bad one. */
static int parse_keys(const char *by, const agg_key **keys, int *count, kh_diag *diag)
{
    *count = 0;
    for (const char *p = by; p && *p;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        const agg_key *k = find_key(p, len);
        if (!k || *count == AGG_MAX_KEYS) {
            kh_diag_report(diag, KH_ERROR, NULL, 0,
                           k ? "aggregate: at most %d keys in --by"
                             : "aggregate: unknown key '%.*s' (dyad, actor, root, code, "
                               "quad, day, week, month, year)",
                           k ? AGG_MAX_KEYS : (int)len, p);
            return -1;
        }
        keys[(*count)++] = k;
        p = comma ? comma + 1 : NULL;
    }
    if (*count == 0)
        kh_diag_report(diag, KH_ERROR, NULL, 0, "aggregate: --by names no key");
    return *count ? 0 : -1;
}

/* Column c of a key, or NULL past its last. */
static void add_key_sql(kh_buf *sql, const kh_db_dialect *d, const agg_key *k, int c)
{
    if (k->bin)
        kh_buf_printf(sql, d->bin_sql[k->bin - 1], AGG_DAY);
    else
        kh_buf_adds(sql, k->select[c]);
}

static int key_columns(const agg_key *k) { return k->select[1] ? 2 : 1; }

/* The query: merged events (first reports), one row per actor when a key
 * asks for actors, grouped and ordered by the keys (NULLs first, as
 * SQLite orders them; PostgreSQL would put them last). */
static void build_sql(const kh_db_dialect *d, const agg_key **keys, int count, kh_buf *sql)
{
    int per_actor = 0;
    kh_buf_adds(sql, "SELECT ");
    for (int i = 0; i < count; i++) {
        for (int c = 0; c < key_columns(keys[i]); c++) {
            add_key_sql(sql, d, keys[i], c);
            kh_buf_printf(sql, " AS k%d_%d, ", i, c);
        }
        per_actor |= keys[i]->per_actor;
    }
    kh_buf_adds(sql, "count(*), sum(e.goldstein)");
    for (int quad = 1; quad <= 4; quad++)
        kh_buf_printf(sql, ", sum(CASE WHEN e.quad = %d THEN 1 ELSE 0 END)", quad);
    kh_buf_adds(sql, " FROM events e JOIN mentions m ON m.event = e.id AND m.merged_event = e.id");
    if (per_actor)
        kh_buf_adds(sql, " JOIN (SELECT id, source AS actor FROM events UNION ALL"
                         " SELECT id, target FROM events) a ON a.id = e.id AND a.actor <> '---'");
    for (int pass = 0; pass < 2; pass++) {
        kh_buf_adds(sql, pass ? " ORDER BY " : " GROUP BY ");
        for (int i = 0; i < count; i++)
            for (int c = 0; c < key_columns(keys[i]); c++)
                kh_buf_printf(sql, "%sk%d_%d%s", i || c ? ", " : "", i, c,
                              pass ? " NULLS FIRST" : "");
    }
    kh_buf_addc(sql, '\0');
}

/* One CSV field (RFC 4180: quoted when it holds a comma, quote or line
 * break). */
static void put_csv(FILE *out, const char *s)
{
    if (!s)
        return;
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

/* The Goldstein sum as SQLite writes a REAL ("%!.15g": -10.0, 2.5), so
 * that every database gives the same CSV. */
static void put_real(FILE *out, double v)
{
    char text[32];
    snprintf(text, sizeof text, "%.15g", v);
    fputs(text, out);
    if (!strpbrk(text, ".eEni"))    /* a whole number; not inf or nan */
        fputs(".0", out);
}

/* The column of the Goldstein sum, after the keys' and the count. */
static int goldstein_column(const agg_key **keys, int count)
{
    int c = 0;
    for (int i = 0; i < count; i++)
        c += key_columns(keys[i]);
    return c + 1;
}

static int write_rows(kh_db_stmt *st, const agg_key **keys, int count, FILE *out)
{
    for (int i = 0; i < count; i++)
        fprintf(out, "%s%s", i ? "," : "", keys[i]->columns);
    fputs(",events,goldstein_sum,quad1,quad2,quad3,quad4\r\n", out);
    int rc, goldstein = goldstein_column(keys, count);
    while ((rc = kh_db_step(st)) == 1) {
        for (int c = 0, columns = kh_db_columns(st); c < columns; c++) {
            size_t len;
            if (c)
                fputc(',', out);
            if (c == goldstein && !kh_db_is_null(st, c))
                put_real(out, kh_db_real(st, c));
            else
                put_csv(out, kh_db_text(st, c, &len));
        }
        fputs("\r\n", out);
    }
    return rc;
}

int kh_aggregate(const char *db_path, const char *by, FILE *out, kh_diag *diag)
{
    const agg_key *keys[AGG_MAX_KEYS];
    int count;
    if (parse_keys(by, keys, &count, diag) != 0)
        return -1;
    kh_db *db = kh_db_open(db_path, 0, diag);
    if (!db)
        return -1;
    kh_buf sql = {0};
    build_sql(db->dialect, keys, count, &sql);
    kh_db_stmt *st = kh_db_prepare(db, sql.data);
    int rc = st ? write_rows(st, keys, count, out) : -1;
    if (rc != 0) {
        const char *message;
        kh_db_error_of(db, &message);
        kh_diag_report(diag, KH_ERROR, db_path, 0, "cannot read events: %s", message);
        rc = -1;
    }
    kh_db_finalize(st);
    kh_db_close(db);
    kh_buf_free(&sql);
    return rc;
}
