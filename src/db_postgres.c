/* db_postgres.c -- the PostgreSQL backend of db.h: a database the
 * PostgreSQL writer (write_postgres.c) made, read through libpq.
 *
 * Read-only: every transaction of the session is read-only
 * (default_transaction_read_only, set when connecting, and never unset),
 * so the server refuses any write a query might attempt.  A statement
 * running past the time budget is cancelled by the server
 * (statement_timeout, SQLSTATE 57014).  Rows come one at a time
 * (libpq's single-row mode), so a large selection is never held whole.
 *
 * The SQL db.h's callers write is SQLite's; prepare translates what
 * PostgreSQL spells otherwise (translate).  Serve's text search has no
 * derived index here: it is a case-insensitive regular expression per
 * word or phrase, with word boundaries (\m, \M), over the merged events'
 * sentences (docs/serve.md says how it differs from SQLite's FTS5). */
#include "db.h"
#include "derived_sql.h"
#include "buf.h"
#include "util.h"

#include <libpq-fe.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* SQLSTATEs: a statement cancelled (statement_timeout), and the lock
 * waits and conflicts a reader can meet. */
#define PG_STATE_CANCELED "57014"
#define PG_STATE_LOCK_TIMEOUT "55P03"
#define PG_STATE_SERIALIZATION "40001"

typedef struct pg_db {
    kh_db base;
    PGconn *conn;
    long query_ms;
    int ready;                 /* the session's settings are in force (session_sql) */
    kh_db_error kind;
    char *message;
} pg_db;

typedef struct pg_stmt {
    kh_db_stmt base;
    pg_db *db;
    char *sql;                 /* translated: $1.. */
    char **names, **values;    /* parameter $i+1's name (":a") and value (NULL: NULL) */
    size_t n;
    int sent, done;
    PGresult *row;             /* the current row, single-row mode */
} pg_stmt;

static const kh_db_ops pg_ops;

static int ident_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* Whether s[i..] starts the word w (and it ends there). */
static int word_at(const char *s, size_t i, const char *w)
{
    size_t n = strlen(w);
    return !strncmp(s + i, w, n) && (i == 0 || !ident_char(s[i - 1])) &&
           !ident_char(s[i + n]);
}

/* The parameter `name` (n bytes) of st, added on first sight; its number. */
static size_t param_number(pg_stmt *st, const char *name, size_t n)
{
    for (size_t i = 0; i < st->n; i++)
        if (strlen(st->names[i]) == n && !memcmp(st->names[i], name, n))
            return i + 1;
    st->names = kh_xrealloc(st->names, (st->n + 1) * sizeof *st->names);
    st->values = kh_xrealloc(st->values, (st->n + 1) * sizeof *st->values);
    st->names[st->n] = kh_xstrndup(name, n);
    st->values[st->n] = NULL;
    return ++st->n;
}

/* SQLite's SQL as PostgreSQL's: a named parameter :name is $N (the same
 * name the same number), GLOB is LIKE (the patterns bound end with
 * prefix_any, '%', and hold no other wildcard: db.h), and CROSS JOIN
 * ... ON, SQLite's hint to keep the join order, a plain JOIN.  Text in
 * quotes is copied as it is. */
static void translate(pg_stmt *st, const char *sql, kh_buf *out)
{
    for (size_t i = 0; sql[i];) {
        if (sql[i] == '\'') {
            size_t end = i + 1;
            while (sql[end] && sql[end] != '\'')
                end++;
            end += sql[end] == '\'';
            kh_buf_add(out, sql + i, end - i);
            i = end;
        } else if (sql[i] == ':' && ident_char(sql[i + 1]) && (i == 0 || sql[i - 1] != ':')) {
            size_t end = i + 1;
            while (ident_char(sql[end]))
                end++;
            kh_buf_printf(out, "$%zu", param_number(st, sql + i, end - i));
            i = end;
        } else if (word_at(sql, i, "GLOB")) {
            kh_buf_adds(out, "LIKE");
            i += 4;
        } else if (word_at(sql, i, "CROSS") && !strncmp(sql + i, "CROSS JOIN", 10)) {
            i += 6;            /* "JOIN" follows */
        } else {
            kh_buf_addc(out, sql[i++]);
        }
    }
    kh_buf_addc(out, '\0');
}

static kh_db_stmt *pg_prepare(kh_db *db, const char *sql)
{
    pg_db *p = (pg_db *)db;
    if (!p->ready) {           /* never a query outside a read-only session */
        free(p->message);
        p->message = kh_xstrdup("the connection to the database was lost");
        p->kind = KH_DB_FAILED;
        return NULL;
    }
    pg_stmt *st = kh_xcalloc(1, sizeof *st);
    st->base.ops = &pg_ops;
    st->db = (pg_db *)db;
    kh_buf out = {0};
    translate(st, sql, &out);
    st->sql = out.data;
    return &st->base;
}

static void set_value(kh_db_stmt *s, const char *name, char *value)
{
    pg_stmt *st = (pg_stmt *)s;
    for (size_t i = 0; i < st->n; i++)
        if (!strcmp(st->names[i], name)) {
            free(st->values[i]);
            st->values[i] = value;
            return;
        }
    free(value);
}

static void pg_bind_text(kh_db_stmt *st, const char *name, const char *v, size_t n)
{
    set_value(st, name, kh_xstrndup(v, n));
}

static void pg_bind_int(kh_db_stmt *st, const char *name, long long v)
{
    set_value(st, name, kh_xasprintf("%lld", v));
}

/* Records the failure of result r (NULL: the connection's). */
static void failed(pg_db *db, const PGresult *r)
{
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    const char *msg = r ? PQresultErrorMessage(r) : PQerrorMessage(db->conn);
    size_t n = strlen(msg);
    while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
        n--;
    free(db->message);
    db->message = kh_xstrndup(msg, n);
    db->kind = !state ? KH_DB_FAILED
               : !strcmp(state, PG_STATE_CANCELED) ? KH_DB_TIMEOUT
               : !strcmp(state, PG_STATE_LOCK_TIMEOUT) || !strcmp(state, PG_STATE_SERIALIZATION)
                   ? KH_DB_BUSY : KH_DB_FAILED;
}

/* Reads the statement's remaining results, so that the connection is
 * free for the next. */
static void drain(pg_stmt *st)
{
    PGresult *r;
    while ((r = PQgetResult(st->db->conn)) != NULL)
        PQclear(r);
    st->done = 1;
}

static int pg_step(kh_db_stmt *s)
{
    pg_stmt *st = (pg_stmt *)s;
    PGconn *conn = st->db->conn;
    PQclear(st->row);
    st->row = NULL;
    if (st->done)
        return 0;
    if (!st->sent) {
        st->sent = 1;
        if (!PQsendQueryParams(conn, st->sql, (int)st->n, NULL,
                               (const char *const *)st->values, NULL, NULL, 0) ||
            !PQsetSingleRowMode(conn)) {
            failed(st->db, NULL);
            drain(st);
            return -1;
        }
    }
    PGresult *r = PQgetResult(conn);
    ExecStatusType status = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    if (status == PGRES_SINGLE_TUPLE) {
        st->row = r;
        return 1;
    }
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK)
        failed(st->db, r);
    PQclear(r);
    drain(st);
    return status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK ? 0 : -1;
}

static int pg_columns(kh_db_stmt *s)
{
    pg_stmt *st = (pg_stmt *)s;
    return st->row ? PQnfields(st->row) : 0;
}

static int pg_is_null(kh_db_stmt *s, int c)
{
    pg_stmt *st = (pg_stmt *)s;
    return !st->row || c >= PQnfields(st->row) || PQgetisnull(st->row, 0, c);
}

static const char *pg_text(kh_db_stmt *s, int c, size_t *len)
{
    pg_stmt *st = (pg_stmt *)s;
    *len = 0;
    if (pg_is_null(s, c))
        return NULL;
    *len = (size_t)PQgetlength(st->row, 0, c);
    return PQgetvalue(st->row, 0, c);
}

static long long pg_col_int(kh_db_stmt *s, int c)
{
    size_t n;
    const char *v = pg_text(s, c, &n);
    return v ? strtoll(v, NULL, 10) : 0;
}

static double pg_col_real(kh_db_stmt *s, int c)
{
    size_t n;
    const char *v = pg_text(s, c, &n);
    return v ? strtod(v, NULL) : 0;
}

static void pg_finalize(kh_db_stmt *s)
{
    pg_stmt *st = (pg_stmt *)s;
    PQclear(st->row);
    if (st->sent && !st->done)
        drain(st);
    for (size_t i = 0; i < st->n; i++) {
        free(st->names[i]);
        free(st->values[i]);
    }
    free(st->names);
    free(st->values);
    free(st->sql);
    free(st);
}

static kh_db_error pg_error(kh_db *db, const char **message)
{
    pg_db *p = (pg_db *)db;
    *message = p->message ? p->message : "unknown error";
    return p->kind;
}

static int set_session(PGconn *conn, long query_ms);

/* The server keeps the time (statement_timeout); a connection the
 * server lost (a restart) is made again, with its settings, before the
 * request. */
static void pg_start_request(kh_db *db)
{
    pg_db *p = (pg_db *)db;
    if (PQstatus(p->conn) == CONNECTION_OK)
        return;
    PQreset(p->conn);
    p->ready = PQstatus(p->conn) == CONNECTION_OK && set_session(p->conn, p->query_ms) == 0;
}

static void pg_close(kh_db *db)
{
    pg_db *p = (pg_db *)db;
    PQfinish(p->conn);
    free(p->message);
    free(p);
}

static const kh_db_ops pg_ops = {
    pg_prepare, pg_bind_text, pg_bind_int, pg_step, pg_columns, pg_is_null,
    pg_text, pg_col_int, pg_col_real, pg_finalize, pg_error, pg_start_request, pg_close,
};

/* ---- text search ---- */

/* Whether cp is a word character (as SQLite's unicode61 tokenizer has
 * them: a letter, a digit or a private-use character). */
static int word_char(utf8proc_int32_t cp)
{
    utf8proc_category_t c = utf8proc_category(cp);
    return (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO) ||
           (c >= UTF8PROC_CATEGORY_ND && c <= UTF8PROC_CATEGORY_NO) || c == UTF8PROC_CATEGORY_CO;
}

/* The term as a regular expression: its words in order, whole (\m ...
 * \M), separated by anything that is not a word (\W+), the last one's
 * end left open for a prefix.  The words hold only letters and digits,
 * never a regular expression's syntax. */
static void term_regex(kh_buf *out, const kh_db_term *t)
{
    int in_word = 0, words = 0;
    for (size_t i = 0; i < t->len;) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)t->text + i,
                                              (utf8proc_ssize_t)(t->len - i), &cp);
        if (k <= 0)
            break;
        int w = word_char(cp);
        if (w && !in_word)     /* in an array element, '\' is written '\\' */
            kh_buf_adds(out, words++ ? "\\\\W+\\\\m" : "\\\\m");
        if (w)
            kh_buf_add(out, t->text + i, (size_t)k);
        in_word = w;
        i += (size_t)k;
    }
    if (!t->prefix)
        kh_buf_adds(out, "\\\\M");
}

/* The terms as a text[] literal of regular expressions, one per term,
 * which the sentence must all match (~* ALL). */
static char *regex_value(const kh_db_term *terms, size_t n)
{
    kh_buf out = {0};
    kh_buf_addc(&out, '{');
    for (size_t i = 0; i < n; i++) {
        kh_buf_adds(&out, i ? ",\"" : "\"");
        term_regex(&out, &terms[i]);
        kh_buf_addc(&out, '"');
    }
    kh_buf_adds(&out, "}");
    kh_buf_addc(&out, '\0');
    return out.data;
}

static const kh_db_dialect pg_dialect = {
    .prefix_any = '%',
    .bin_sql = {[KH_DB_WEEK] = "CAST(date_trunc('week', %s) AS DATE)",
                [KH_DB_MONTH] = "to_char(%s, 'YYYY-MM')", [KH_DB_YEAR] = "to_char(%s, 'YYYY')"},
    .text_where = "EXISTS (SELECT 1 FROM sentences ts WHERE ts.document = e.document"
                  " AND ts.sent = e.sent AND ts.text ~* ALL (CAST(:q AS text[])))",
    .text_needs_index = 0,
    .text_value = regex_value,
    /* ids are hashes, so the stamp is the number of mentions rows the
     * tables cover: rows are only ever added (pg_derived.h) */
    .derived_sql = "SELECT (SELECT CAST(value AS BIGINT) FROM schema_info"
                   " WHERE key = '" DERIVED_KEY "'), (SELECT count(*) FROM mentions)",
};

/* ---- opening ---- */

int kh_db_is_postgres(const char *target)
{
    return !strncmp(target, "postgresql://", 13) || !strncmp(target, "postgres://", 11);
}

/* The session's settings: UTF-8, read-only, the time budget, dates as
 * ISO text (YYYY-MM-DD, as SQLite holds them); 0 or -1. */
static int set_session(PGconn *conn, long query_ms)
{
    if (PQsetClientEncoding(conn, "UTF8") != 0)
        return -1;
    char *sql = kh_xasprintf("SET default_transaction_read_only = on;"
                             " SET statement_timeout = %ld; SET DateStyle = ISO;"
                             " SET client_min_messages = warning", query_ms);
    PGresult *r = PQexec(conn, sql);
    free(sql);
    int ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
    return ok ? 0 : -1;
}

/* Why the connection is not to a khaldun database of the writer's
 * version, or NULL; *server holds the server's words (malloc'd). */
static const char *not_khaldun(PGconn *conn, long query_ms, char **server)
{
    if (set_session(conn, query_ms) != 0) {
        *server = kh_xstrdup(PQerrorMessage(conn));
        return "cannot set the session up (UTF-8, read-only)";
    }
    PGresult *r = PQexec(conn, "SELECT value FROM schema_info WHERE key = 'schema_version'");
    const char *why = NULL;
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        why = "it has no schema_info";
        *server = kh_xstrdup(PQresultErrorMessage(r));
    } else if (PQntuples(r) != 1 || strcmp(PQgetvalue(r, 0, 0), KH_PG_SCHEMA_VERSION)) {
        why = "its schema version is not " KH_PG_SCHEMA_VERSION;
    }
    PQclear(r);
    return why;
}

kh_db *kh_db_open_postgres(const char *url, long query_ms, kh_diag *diag)
{
    /* named, unless the URL names it, for pg_stat_activity */
    const char *const keys[] = {"dbname", "fallback_application_name", NULL};
    const char *const values[] = {url, "khaldun", NULL};
    PGconn *conn = PQconnectdbParams(keys, values, 1);
    char *server = NULL;
    const char *why = NULL;
    if (PQstatus(conn) != CONNECTION_OK) {
        why = "cannot connect";
        server = kh_xstrdup(PQerrorMessage(conn));
    } else {
        why = not_khaldun(conn, query_ms, &server);
    }
    if (why) {
        size_t n = server ? strlen(server) : 0;
        while (n && (server[n - 1] == '\n' || server[n - 1] == ' '))
            n--;
        kh_diag_report(diag, KH_ERROR, "postgresql", 0, "not a khaldun database: %s%s%.*s",
                       why, n ? ": " : "", (int)n, server ? server : "");
        free(server);
        PQfinish(conn);
        return NULL;
    }
    pg_db *p = kh_xcalloc(1, sizeof *p);
    p->base = (kh_db){&pg_ops, &pg_dialect};
    p->conn = conn;
    p->query_ms = query_ms;
    p->ready = 1;
    return &p->base;
}
