/* aggregate.c -- counts of coded events by actor, dyad, code and time
 * bin, from a khaldun SQLite database, as CSV (kh_aggregate, khaldun.h).
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
#include "util.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

/* A grouping key: its name on the command line, its CSV columns and the
 * SQL expressions that give them (over the alias e, events, and a, the
 * actor of an actor-keyed row). */
typedef struct agg_key {
    const char *name, *columns;
    const char *select[2];   /* one expression per column */
    int per_actor;           /* one row per actor of the event (source and target) */
} agg_key;

static const agg_key agg_keys[] = {
    {"dyad", "source,target", {"e.source", "e.target"}, 0},
    {"actor", "actor", {"a.actor"}, 1},
    {"root", "root", {"e.root"}, 0},
    {"code", "code", {"e.code"}, 0},
    {"quad", "quad", {"e.quad"}, 0},
    /* time bins of the day the event happened (the document's date when
     * the text gives none); weeks start on Monday, as ISO 8601's */
    {"day", "day", {"coalesce(e.event_date, e.date)"}, 0},
    {"week", "week", {"date(coalesce(e.event_date, e.date), '-6 days', 'weekday 1')"}, 0},
    {"month", "month", {"strftime('%Y-%m', coalesce(e.event_date, e.date))"}, 0},
    {"year", "year", {"strftime('%Y', coalesce(e.event_date, e.date))"}, 0},
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

/* The query: merged events (first reports), one row per actor when a key
 * asks for actors, grouped and ordered by the keys. */
static void build_sql(const agg_key **keys, int count, kh_buf *sql)
{
    int per_actor = 0;
    kh_buf_adds(sql, "SELECT ");
    for (int i = 0; i < count; i++) {
        for (int c = 0; c < 2 && keys[i]->select[c]; c++)
            kh_buf_printf(sql, "%s AS k%d_%d, ", keys[i]->select[c], i, c);
        per_actor |= keys[i]->per_actor;
    }
    kh_buf_adds(sql, "count(*), sum(e.goldstein), sum(e.quad = 1), sum(e.quad = 2),"
                     " sum(e.quad = 3), sum(e.quad = 4)"
                     " FROM events e JOIN mentions m ON m.event = e.id AND m.merged_event = e.id");
    if (per_actor)
        kh_buf_adds(sql, " JOIN (SELECT id, source AS actor FROM events UNION ALL"
                         " SELECT id, target FROM events) a ON a.id = e.id AND a.actor <> '---'");
    for (int pass = 0; pass < 2; pass++) {
        kh_buf_adds(sql, pass ? " ORDER BY " : " GROUP BY ");
        for (int i = 0; i < count; i++)
            for (int c = 0; c < 2 && keys[i]->select[c]; c++)
                kh_buf_printf(sql, "%sk%d_%d", i || c ? ", " : "", i, c);
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

static int write_rows(sqlite3_stmt *st, const agg_key **keys, int count, FILE *out)
{
    for (int i = 0; i < count; i++)
        fprintf(out, "%s%s", i ? "," : "", keys[i]->columns);
    fputs(",events,goldstein_sum,quad1,quad2,quad3,quad4\r\n", out);
    int rc, columns = sqlite3_column_count(st);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        for (int c = 0; c < columns; c++) {
            if (c)
                fputc(',', out);
            put_csv(out, (const char *)sqlite3_column_text(st, c));
        }
        fputs("\r\n", out);
    }
    return rc == SQLITE_DONE ? 0 : -1;
}

int kh_aggregate(const char *db_path, const char *by, FILE *out, kh_diag *diag)
{
    const agg_key *keys[AGG_MAX_KEYS];
    int count;
    if (parse_keys(by, keys, &count, diag) != 0)
        return -1;
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    kh_buf sql = {0};
    build_sql(keys, count, &sql);
    int rc = -1;
    if (sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, sql.data, -1, &st, NULL) != SQLITE_OK)
        kh_diag_report(diag, KH_ERROR, db_path, 0, "not a khaldun database: %s",
                       db ? sqlite3_errmsg(db) : "cannot open");
    else if ((rc = write_rows(st, keys, count, out)) != 0)
        kh_diag_report(diag, KH_ERROR, db_path, 0, "cannot read events: %s",
                       sqlite3_errmsg(db));
    sqlite3_finalize(st);
    sqlite3_close(db);
    kh_buf_free(&sql);
    return rc;
}
