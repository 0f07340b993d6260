/*
 * db.h -- a read-only connection to a khaldun database, as a value that
 * `khaldun serve` (serve.c, serve_query.c) and `khaldun aggregate`
 * (aggregate.c) are handed, whatever holds the events: a SQLite file
 * (db_sqlite.c) or a PostgreSQL server (db_postgres.c).  They never name
 * either; kh_db_open picks one by the target's form.
 *
 * SQL is written once, in SQLite's dialect, with named parameters
 * (:actor): each backend takes it as it stands or translates the few
 * forms that differ (db_postgres.c: $1.. for :name, LIKE for GLOB, JOIN
 * for SQLite's CROSS JOIN ... ON planner hint).  What cannot be
 * translated is in the dialect (kh_db_dialect): the SQL of a time bin,
 * and the text search of serve's `q`.  A parameter's value is always
 * bound, never made part of the SQL.
 */
#ifndef KH_DB_H
#define KH_DB_H

#include "khaldun.h"

#include <stddef.h>

typedef struct kh_db kh_db;
typedef struct kh_db_stmt kh_db_stmt;

/* Why a statement failed. */
typedef enum {
    KH_DB_FAILED,        /* any other error: the message says */
    KH_DB_TIMEOUT,       /* the request's time budget ran out */
    KH_DB_BUSY,          /* a writer holds a lock the query needs */
    KH_DB_BAD_SEARCH     /* the text search refused its query */
} kh_db_error;

/* One word or "phrase" of serve's `q` (docs/serve.md, "Text search"):
 * its text (a run of words, without '"' or '*'), and whether it is a
 * prefix ("nucl*"). */
typedef struct kh_db_term {
    const char *text;
    size_t len;
    int prefix;
} kh_db_term;

/* Time bins of a day, for aggregate's --by week, month, year. */
enum { KH_DB_WEEK, KH_DB_MONTH, KH_DB_YEAR, KH_DB_BINS };

/* What the SQL dialects do not share. */
typedef struct kh_db_dialect {
    /* What a GLOB pattern bound as a prefix ends with ('*'; LIKE's '%'). */
    char prefix_any;
    /* printf formats of one %s, a day (YYYY-MM-DD, or a DATE): its ISO
     * week's Monday, its month "YYYY-MM", its year "YYYY", as text. */
    const char *bin_sql[KH_DB_BINS];
    /* The condition over events e (and their sentence) that selects the
     * merged events whose sentence has the terms bound as :q, and
     * whether it needs the derived tables to be current (an index). */
    const char *text_where;
    int text_needs_index;
    /* :q's value for the terms (malloc'd), as text_where reads it. */
    char *(*text_value)(const kh_db_term *terms, size_t n);
    /* One row: the derived tables' stamp (derived_sql.h; NULL when there
     * is none) and what it equals while they are current. */
    const char *derived_sql;
} kh_db_dialect;

typedef struct kh_db_ops {
    /* NULL after a failure kh_db_error_of tells; the SQL is the
     * backend's to translate. */
    kh_db_stmt *(*prepare)(kh_db *db, const char *sql);
    /* Bind a named parameter (":name"); one the statement does not use
     * is ignored. */
    void (*bind_text)(kh_db_stmt *st, const char *name, const char *v, size_t n);
    void (*bind_int)(kh_db_stmt *st, const char *name, long long v);
    /* 1: a row; 0: done; -1: failed (kh_db_error_of). */
    int (*step)(kh_db_stmt *st);
    /* The row's columns, from 0.  text is NULL for NULL, with its length
     * in *len; int64 and real are 0 for NULL. */
    int (*columns)(kh_db_stmt *st);
    int (*is_null)(kh_db_stmt *st, int c);
    const char *(*text)(kh_db_stmt *st, int c, size_t *len);
    long long (*int64)(kh_db_stmt *st, int c);
    double (*real)(kh_db_stmt *st, int c);
    void (*finalize)(kh_db_stmt *st);
    /* The last failure's kind and message (owned by db). */
    kh_db_error (*error)(kh_db *db, const char **message);
    /* Starts a request's time budget. */
    void (*start_request)(kh_db *db);
    void (*close)(kh_db *db);
} kh_db_ops;

/* Every backend's connection starts with these. */
struct kh_db {
    const kh_db_ops *ops;
    const kh_db_dialect *dialect;
};

/* Every backend's statement starts with this. */
struct kh_db_stmt {
    const kh_db_ops *ops;
};

/* The schema version of the PostgreSQL writer's databases
 * (write_postgres.c), the only one the PostgreSQL backend reads. */
#define KH_PG_SCHEMA_VERSION "1"

/* Opens `target` read-only: a postgresql:// or postgres:// URL is a
 * PostgreSQL database, anything else a SQLite file; either must be a
 * khaldun database (its schema_info).  query_ms bounds a request's
 * queries (start_request); 0 is no bound.  NULL after reporting. */
kh_db *kh_db_open(const char *target, long query_ms, kh_diag *diag);

/* The backends (db_sqlite.c, db_postgres.c): whether each takes a
 * target, and its opener. */
int kh_db_is_postgres(const char *target);
kh_db *kh_db_open_sqlite(const char *path, long query_ms, kh_diag *diag);
kh_db *kh_db_open_postgres(const char *url, long query_ms, kh_diag *diag);

static inline kh_db_stmt *kh_db_prepare(kh_db *db, const char *sql)
{
    return db->ops->prepare(db, sql);
}
static inline void kh_db_bind_text(kh_db_stmt *st, const char *name, const char *v, size_t n)
{
    st->ops->bind_text(st, name, v, n);
}
static inline void kh_db_bind_int(kh_db_stmt *st, const char *name, long long v)
{
    st->ops->bind_int(st, name, v);
}
static inline int kh_db_columns(kh_db_stmt *st) { return st->ops->columns(st); }
static inline int kh_db_step(kh_db_stmt *st) { return st->ops->step(st); }
static inline int kh_db_is_null(kh_db_stmt *st, int c) { return st->ops->is_null(st, c); }
static inline const char *kh_db_text(kh_db_stmt *st, int c, size_t *len)
{
    return st->ops->text(st, c, len);
}
static inline long long kh_db_int(kh_db_stmt *st, int c) { return st->ops->int64(st, c); }
static inline double kh_db_real(kh_db_stmt *st, int c) { return st->ops->real(st, c); }
static inline void kh_db_finalize(kh_db_stmt *st)
{
    if (st)
        st->ops->finalize(st);
}
static inline kh_db_error kh_db_error_of(kh_db *db, const char **message)
{
    return db->ops->error(db, message);
}
static inline void kh_db_start_request(kh_db *db) { db->ops->start_request(db); }
static inline void kh_db_close(kh_db *db)
{
    if (db)
        db->ops->close(db);
}

#endif
