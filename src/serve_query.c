/* serve_query.c -- the JSON endpoints of `khaldun serve` (docs/serve.md):
 * their parameters, validated, and their SQL, assembled only from the
 * fixed fragments below.  A parameter's value never becomes SQL text: it
 * is checked against its form and bound to a named parameter (:actor),
 * or, for a choice (bin=week), selects one of the fragments by name.
 *
 * Events are merged events, each counted once by its first report (the
 * mentions row that names itself), as kh_aggregate counts them; the day
 * of an event is its event_date, else its document's date. */
#include "serve.h"
#include "db.h"
#include "arena.h"
#include "derived_sql.h"
#include "buf.h"
#include "cameo.h"
#include "date.h"
#include "strmap.h"
#include "util.h"

#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* The limits of docs/serve.md, each with its reason. */
/* A page of the event list: 200 events with their sentences is about
 * 100 KB of JSON, more than a person reads at once. */
#define SERVE_MAX_PAGE_SIZE 200
#define SERVE_DEFAULT_PAGE_SIZE 50
/* A drawn network of more than 500 nodes is a hairball, and its edges
 * grow with the square. */
#define SERVE_MAX_NETWORK_LIMIT 500
#define SERVE_DEFAULT_NETWORK_LIMIT 50
/* Places on a map: 10,000 markers is what a browser still draws smoothly. */
#define SERVE_MAX_MAP_LIMIT 10000
#define SERVE_DEFAULT_MAP_LIMIT 2000
/* A text search is for a phrase, not a document. */
#define SERVE_MAX_Q_BYTES 200
/* Words (and phrases) in one search: each is a lookup in the full-text
 * index, and sixteen is already a paragraph. */
#define SERVE_MAX_Q_TERMS 16
/* Pages past this are refused rather than computed (the offset is
 * page_size times it; the query budget would stop them anyway). */
#define SERVE_MAX_PAGE 1000000000L
/* An event's reports listed with its evidence: a story carried by more
 * outlets than this shows the first ones and the total. */
#define SERVE_MAX_MENTIONS 1000
/* An actor code is three-character groups ("---" for none, as in
 * ---GOV); five of them is already beyond any dictionary's
 * (IRNGOVMILREB). */
#define SERVE_MAX_ACTOR_LEN 15
#define SERVE_MAX_PLOVER_LEN 32
/* A date range up to a quarter is read through the day's index; a
 * longer one is likely most of the database (narrow_days). */
#define SERVE_NARROW_DAYS 92
/* Digits of an event id (events.id is a 64-bit integer: a rowid in
 * SQLite, a 63-bit hash in PostgreSQL). */
#define SERVE_MAX_ID_DIGITS 19

/* The day an event happened (the writer indexes this expression). */
#define SQL_DAY "coalesce(e.event_date, e.date)"

/* ------------------------------------------------------------ parameters */

enum { P_FROM, P_TO, P_ACTOR, P_COUNTRY, P_SOURCE, P_TARGET, P_SOURCE_COUNTRY,
       P_TARGET_COUNTRY, P_CODE, P_ROOT, P_QUAD, P_PLOVER, P_Q,
       P_FILTERS, /* the parameters before this are the filters */
       P_BIN = P_FILTERS, P_BY, P_LEVEL, P_SORT, P_LIMIT, P_PAGE, P_PAGE_SIZE,
       P_A, P_B, P_COUNT };

typedef enum { F_DATE, F_ACTOR, F_COUNTRY, F_CODE, F_ROOT, F_QUAD, F_PLOVER,
               F_TEXT, F_CHOICE, F_COUNT_NUMBER } param_form;

/* The dimensions of the rollups (derived_sql.h): a view can be
 * counted from a rollup that has every dimension its filters and its
 * own columns need. */
enum { D_DAY = 1, D_ACTORS = 2, D_ROOT = 4, D_QUAD = 8 };

typedef struct param_spec {
    const char *name;
    param_form form;
    /* A filter's condition over e, binding :NAME (a prefix form binds
     * the value with '*' appended, for GLOB); NULL for other parameters. */
    const char *where;
    /* The same condition over a rollup's columns, and the dimensions it
     * needs; NULL for a filter only the events can answer. */
    const char *rollup_where;
    unsigned dims;
    /* q's condition over first_events (derived_sql.h), which has the
     * rollups' dimensions and the merged events' ids */
    const char *list_where;
    int prefix;              /* bound with '*' appended, for GLOB */
    /* A choice's names and, in the same order, their SQL fragments; the
     * first is the default. */
    const char *const *choices, *const *sql;
} param_spec;

/* Time bins are made from the day by bin_name, in C: SQLite's date()
 * per row cost a fifth of a million-event overview. */
enum { BIN_WEEK, BIN_DAY, BIN_MONTH };
static const char *const bins[] = {"week", "day", "month", NULL};
static const char *const bys[] = {"root", "quad", NULL};
static const char *const by_sql[] = {"root", "quad"};   /* in events (e.) and the rollups */
/* The network's nodes: actors, or their countries (mapped in C from the
 * actors table, a few thousand rows at most: a lookup per event in SQL
 * tripled the network's time). */
enum { LEVEL_ACTOR, LEVEL_COUNTRY };
static const char *const levels[] = {"actor", "country", NULL};
static const char *const sorts[] = {"-day", "day", "goldstein", "-goldstein", NULL};
/* NULLs are placed explicitly: SQLite puts them first in an ascending
 * order, PostgreSQL last. */
static const char *const sort_sql[] = {
    SQL_DAY " DESC NULLS LAST, e.id DESC", SQL_DAY " NULLS FIRST, e.id",
    "e.goldstein NULLS FIRST, e.id", "e.goldstein DESC NULLS LAST, e.id DESC"};
/* The same orders over first_events (derived_sql.h), whose day and
 * goldstein are the merged event's (the NULLs placed as above; the
 * PostgreSQL writer's indexes are in these orders, pg_derived.c). */
static const char *const list_sort_sql[] = {
    "day DESC NULLS LAST, id DESC", "day NULLS FIRST, id",
    "goldstein NULLS FIRST, id", "goldstein DESC NULLS LAST, id DESC"};

#define SQL_HAS_COUNTRY(col, param) \
    col " IN (SELECT code FROM actors WHERE country = " param ")"

static const param_spec params[P_COUNT] = {
    [P_FROM] = {.name = "from", .form = F_DATE, .where = SQL_DAY " >= :from",
                .rollup_where = "day >= :from", .dims = D_DAY},
    [P_TO] = {.name = "to", .form = F_DATE, .where = SQL_DAY " <= :to",
              .rollup_where = "day <= :to", .dims = D_DAY},
    [P_ACTOR] = {.name = "actor", .form = F_ACTOR, .prefix = 1,
                 .where = "(e.source GLOB :actor OR e.target GLOB :actor)",
                 .rollup_where = "(source GLOB :actor OR target GLOB :actor)", .dims = D_ACTORS},
    [P_COUNTRY] = {.name = "country", .form = F_COUNTRY,
                   .where = "(" SQL_HAS_COUNTRY("e.source", ":country") " OR "
                            SQL_HAS_COUNTRY("e.target", ":country") ")",
                   .rollup_where = "(" SQL_HAS_COUNTRY("source", ":country") " OR "
                                   SQL_HAS_COUNTRY("target", ":country") ")",
                   .dims = D_ACTORS},
    /* exact codes and countries of one side: a network edge's events */
    [P_SOURCE] = {.name = "source", .form = F_ACTOR, .where = "e.source = :source",
                  .rollup_where = "source = :source", .dims = D_ACTORS},
    [P_TARGET] = {.name = "target", .form = F_ACTOR, .where = "e.target = :target",
                  .rollup_where = "target = :target", .dims = D_ACTORS},
    [P_SOURCE_COUNTRY] = {.name = "source_country", .form = F_COUNTRY,
                          .where = SQL_HAS_COUNTRY("e.source", ":source_country"),
                          .rollup_where = SQL_HAS_COUNTRY("source", ":source_country"),
                          .dims = D_ACTORS},
    [P_TARGET_COUNTRY] = {.name = "target_country", .form = F_COUNTRY,
                          .where = SQL_HAS_COUNTRY("e.target", ":target_country"),
                          .rollup_where = SQL_HAS_COUNTRY("target", ":target_country"),
                          .dims = D_ACTORS},
    [P_CODE] = {.name = "code", .form = F_CODE, .prefix = 1, .where = "e.code GLOB :code"},
    /* a root is its codes' prefix: so events_by_code finds them (the
     * writer sets root to a CAMEO code's first two digits) */
    [P_ROOT] = {.name = "root", .form = F_ROOT, .prefix = 1,
                .where = "(e.code GLOB :root AND e.root IS NOT NULL)",
                .rollup_where = "root GLOB :root", .dims = D_ROOT},
    [P_QUAD] = {.name = "quad", .form = F_QUAD, .where = "e.quad = :quad",
                .rollup_where = "quad = :quad", .dims = D_QUAD},
    [P_PLOVER] = {.name = "plover", .form = F_PLOVER, .where = "e.plover = :plover"},
    /* the database's text search (db.h: its dialect's text_where), over
     * :q, the value the dialect makes of the terms fts_query finds */
    [P_Q] = {.name = "q", .form = F_TEXT,
             .list_where = "id IN (SELECT rowid FROM events_fts WHERE events_fts MATCH :q)"},
    [P_BIN] = {.name = "bin", .form = F_CHOICE, .choices = bins},
    [P_BY] = {.name = "by", .form = F_CHOICE, .choices = bys, .sql = by_sql},
    [P_LEVEL] = {.name = "level", .form = F_CHOICE, .choices = levels},
    [P_SORT] = {.name = "sort", .form = F_CHOICE, .choices = sorts, .sql = sort_sql},
    [P_LIMIT] = {.name = "limit", .form = F_COUNT_NUMBER},
    [P_PAGE] = {.name = "page", .form = F_COUNT_NUMBER},
    [P_PAGE_SIZE] = {.name = "page_size", .form = F_COUNT_NUMBER},
    [P_A] = {.name = "a", .form = F_ACTOR, .prefix = 1},
    [P_B] = {.name = "b", .form = F_ACTOR, .prefix = 1},
};

/* A request's parameters: each given at most once. */
typedef struct query {
    kh_db *db;
    const char *value[P_COUNT];
    size_t len[P_COUNT];
    int given[P_COUNT];
    long number[P_COUNT];        /* an F_COUNT_NUMBER's value */
    int choice[P_COUNT];         /* an F_CHOICE's index */
    char *fts;                   /* q as the dialect's value (fts_query), owned */
    int derived;                 /* DERIVED_*, or -1 before derived_state asks */
    kh_serve_reply *reply;
} query;

static int all_in(const char *v, size_t n, const char *set)
{
    for (size_t i = 0; i < n; i++)
        if (!v[i] || !strchr(set, v[i]))
            return 0;
    return 1;
}

#define UPPER "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
#define DIGITS "0123456789"

static int is_date(const char *v, size_t n)
{
    if (n != 10 || v[4] != '-' || v[7] != '-' || !all_in(v, 4, DIGITS) ||
        !all_in(v + 5, 2, DIGITS) || !all_in(v + 8, 2, DIGITS))
        return 0;
    long year = strtol(v, NULL, 10);
    int month = (v[5] - '0') * 10 + v[6] - '0', day = (v[8] - '0') * 10 + v[9] - '0';
    return day >= 1 && day <= kh_date_days_in_month(year, month);
}

/* The day number (kh_date_days) of a date is_date accepted. */
static long iso_days(const char *v)
{
    return kh_date_days(strtol(v, NULL, 10), (int)strtol(v + 5, NULL, 10),
                        (int)strtol(v + 8, NULL, 10));
}

/* Text without NULs or control characters, valid UTF-8. */
static int is_text(const char *v, size_t n)
{
    if (n < 1 || n > SERVE_MAX_Q_BYTES)
        return 0;
    for (size_t i = 0; i < n;) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)v + i,
                                              (utf8proc_ssize_t)(n - i), &cp);
        if (k <= 0 || cp < 0x20 || cp == 0x7f)
            return 0;
        i += (size_t)k;
    }
    return 1;
}

/* Whether v has the form; what the form is, for the message. */
static int form_ok(const param_spec *p, const char *v, size_t n, const char **what)
{
    switch (p->form) {
    case F_DATE: *what = "a date YYYY-MM-DD"; return is_date(v, n);
    case F_ACTOR:
        *what = "an actor code or prefix, 3 to 15 of A-Z, 0-9 and -";
        return n >= 3 && n <= SERVE_MAX_ACTOR_LEN && all_in(v, n, UPPER DIGITS "-");
    case F_COUNTRY: *what = "three letters A-Z"; return n == 3 && all_in(v, n, UPPER);
    case F_CODE:
        *what = "a CAMEO code or prefix, 2 to 4 digits";
        return n >= 2 && n <= 4 && all_in(v, n, DIGITS);
    case F_ROOT: *what = "two digits"; return n == 2 && all_in(v, n, DIGITS);
    case F_QUAD: *what = "1, 2, 3 or 4"; return n == 1 && all_in(v, n, "1234");
    case F_PLOVER:
        *what = "1 to 32 of A-Z and _";
        return n >= 1 && n <= SERVE_MAX_PLOVER_LEN && all_in(v, n, UPPER "_");
    case F_TEXT: *what = "text of 1 to 200 bytes"; return is_text(v, n);
    case F_CHOICE: *what = "one of the names listed"; return 1;   /* checked by parse_choice */
    case F_COUNT_NUMBER:
        *what = "a whole number";
        return n >= 1 && n <= 10 && all_in(v, n, DIGITS);
    }
    return 0;
}

static int parse_choice(query *q, int i, const char *v, size_t n)
{
    for (int c = 0; params[i].choices[c]; c++)
        if (strlen(params[i].choices[c]) == n && !memcmp(params[i].choices[c], v, n)) {
            q->choice[i] = c;
            return 0;
        }
    kh_buf names = {0};
    for (int c = 0; params[i].choices[c]; c++)
        kh_buf_printf(&names, "%s%s", c ? ", " : "", params[i].choices[c]);
    kh_buf_addc(&names, '\0');
    kh_serve_error(q->reply, 400, "parameter '%s' must be one of %s", params[i].name, names.data);
    kh_buf_free(&names);
    return -1;
}

/* ------------------------------------------------------------ q */

/* Whether v[0..n) has a character the full-text index's tokenizer
 * (unicode61) keeps: a letter, a digit or a private-use character. */
static int has_word(const char *v, size_t n)
{
    for (size_t i = 0; i < n;) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)v + i,
                                              (utf8proc_ssize_t)(n - i), &cp);
        if (k <= 0)
            return 0;
        utf8proc_category_t c = utf8proc_category(cp);
        if ((c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO) ||
            (c >= UTF8PROC_CATEGORY_ND && c <= UTF8PROC_CATEGORY_NO) || c == UTF8PROC_CATEGORY_CO)
            return 1;
        i += (size_t)k;
    }
    return 0;
}

/* The terms of q (docs/serve.md, "Text search"): words separated by
 * spaces, all of which the sentence must have, "a phrase" in double
 * quotes, a '*' after a word or phrase for a prefix; a term without a
 * word (punctuation alone) is left out.  Sets q->fts to the dialect's
 * value for them (db.h), or replies 400 and returns -1 for what the
 * syntax does not allow, so that the database never sees a search it
 * would refuse. */
static int fts_query(query *q, const char *v, size_t n)
{
    kh_db_term terms[SERVE_MAX_Q_TERMS];
    const char *why = NULL;
    int count = 0;
    for (size_t i = 0; i < n && !why;) {
        if (v[i] == ' ') {
            i++;
            continue;
        }
        int phrase = v[i] == '"';
        size_t start = i + (size_t)phrase, end = start;
        while (end < n && (phrase ? v[end] != '"' : v[end] != ' ' && v[end] != '"' && v[end] != '*'))
            end++;
        if (phrase && end == n) {
            why = "has a '\"' that is not closed (a phrase is written \"in quotes\")";
            break;
        }
        i = end + (size_t)phrase;
        int prefix = i < n && v[i] == '*';
        i += (size_t)prefix;
        if (prefix && i < n && v[i] != ' ' && v[i] != '"')
            why = "has a '*' inside a word ('*' marks a prefix and ends it: nucl*)";
        else if (prefix && !has_word(v + start, end - start))
            why = "has a '*' after no word ('*' marks a prefix: nucl*)";
        else if (has_word(v + start, end - start) && count++ < SERVE_MAX_Q_TERMS)
            terms[count - 1] = (kh_db_term){v + start, end - start, prefix};
    }
    if (!why && count > SERVE_MAX_Q_TERMS) {
        kh_serve_error(q->reply, 400, "parameter 'q' has more than %d words and phrases",
                       SERVE_MAX_Q_TERMS);
        return -1;
    }
    if (!why && !count)
        why = "has no word to search for (letters or digits)";
    if (why) {
        kh_serve_error(q->reply, 400, "parameter 'q' %s", why);
        return -1;
    }
    q->fts = q->db->dialect->text_value(terms, (size_t)count);
    return 0;
}

/* Takes one parameter into q: -1 after a 400 reply. */
static int take_param(query *q, const kh_serve_param *sp, unsigned allowed)
{
    int i = 0;
    while (i < P_COUNT && strcmp(params[i].name, sp->name))
        i++;
    if (i == P_COUNT || !(allowed & (1u << i))) {
        kh_serve_error(q->reply, 400, "unknown parameter '%.40s'", sp->name);
        return -1;
    }
    if (q->given[i]) {
        kh_serve_error(q->reply, 400, "parameter '%s' is given twice", sp->name);
        return -1;
    }
    const char *v = sp->value ? sp->value : "", *what = "";
    size_t n = sp->value ? sp->len : 0;
    if (!form_ok(&params[i], v, n, &what)) {
        kh_serve_error(q->reply, 400, "parameter '%s' must be %s", sp->name, what);
        return -1;
    }
    if (params[i].form == F_CHOICE && parse_choice(q, i, v, n) != 0)
        return -1;
    if (params[i].form == F_COUNT_NUMBER)
        q->number[i] = strtol(v, NULL, 10);
    if (params[i].form == F_TEXT && fts_query(q, v, n) != 0)
        return -1;
    q->given[i] = 1;
    q->value[i] = v;
    q->len[i] = n;
    return 0;
}

/* A count parameter's value, `def` when absent; -1 after a 400 reply
 * when it is outside 1..max. */
static long count_param(query *q, int i, long def, long max)
{
    if (!q->given[i])
        return def;
    if (q->number[i] >= 1 && q->number[i] <= max)
        return q->number[i];
    kh_serve_error(q->reply, 400, "parameter '%s' must be from 1 to %ld", params[i].name, max);
    return -1;
}

/* ------------------------------------------------------------ SQL */

/* " AND condition" for every filter given. */
static void add_filters(const query *q, kh_buf *sql)
{
    for (int i = 0; i < P_FILTERS; i++)
        if (q->given[i])
            kh_buf_printf(sql, " AND %s", i == P_Q ? q->db->dialect->text_where : params[i].where);
}

/* Where the selection of merged events starts.  SQLite has no
 * statistics to choose by (the writer runs no ANALYZE), so the order is
 * chosen here, by what the indexes the writer makes can do:
 *   FROM_MENTIONS  the first reports (mentions_first, a partial index)
 *                  then their events: reads a million-event database's
 *                  first reports in a fifth of the time that reading
 *                  every report and looking up its mention takes;
 *   FROM_EVENTS    the events, then their mention: for a filter on the
 *                  day or the code (events_by_day, events_by_code), or
 *                  the list sorted by day, which stops after a page;
 *   FROM_PLACES    the places, a fraction of the events, for the map;
 *   FROM_TEXT      the events the full-text index finds for q (their
 *                  ids, looked up), a fraction of the rest. */
typedef enum { FROM_AUTO, FROM_MENTIONS, FROM_EVENTS, FROM_PLACES, FROM_TEXT } sel_order;

static const char *const sel_sql[] = {
    [FROM_MENTIONS] = " FROM mentions m CROSS JOIN events e ON e.id = m.event",
    [FROM_EVENTS] = " FROM events e JOIN mentions m ON m.event = e.id",
    [FROM_PLACES] = " FROM places p CROSS JOIN mentions m ON m.event = p.event"
                    " CROSS JOIN events e ON e.id = p.event",
    [FROM_TEXT] = " FROM events e CROSS JOIN mentions m ON m.event = e.id",
};

/* Whether from and to are both given and at most SERVE_NARROW_DAYS
 * apart: then the day's index finds fewer events than all first reports.
 * (From one end alone, most of a database is usually selected.) */
static int narrow_days(const query *q)
{
    if (!q->given[P_FROM] || !q->given[P_TO])
        return 0;
    return iso_days(q->value[P_TO]) - iso_days(q->value[P_FROM]) <= SERVE_NARROW_DAYS;
}

/* " FROM ... WHERE <first report> AND <filters>", with `joins` (more
 * tables) after the selection's own; conditions may follow with AND. */
static void add_selection(const query *q, kh_buf *sql, sel_order order, const char *joins)
{
    if (q->given[P_Q] && order != FROM_PLACES)
        order = FROM_TEXT;
    else if (order == FROM_AUTO)
        order = narrow_days(q) || q->given[P_CODE] || q->given[P_ROOT]
                    ? FROM_EVENTS : FROM_MENTIONS;
    kh_buf_adds(sql, sel_sql[order]);
    kh_buf_adds(sql, joins);
    kh_buf_adds(sql, " WHERE m.event = m.merged_event");
    add_filters(q, sql);
}

/* Whether the derived tables (derived_sql.h) are there and current, as
 * the database's dialect tells (db.h: derived_sql).  Asked once per request, since
 * a writer may be adding to the database while it is served. */
enum { DERIVED_NONE, DERIVED_STALE, DERIVED_CURRENT };

static int derived_state(query *q)
{
    if (q->derived >= 0)
        return q->derived;
    q->derived = DERIVED_NONE;
    kh_db_stmt *st = kh_db_prepare(q->db, q->db->dialect->derived_sql);
    if (!st)
        return q->derived;
    if (kh_db_step(st) == 1 && !kh_db_is_null(st, 0))
        q->derived = kh_db_int(st, 0) == kh_db_int(st, 1)
                         ? DERIVED_CURRENT : DERIVED_STALE;
    kh_db_finalize(st);
    return q->derived;
}

/* The rollups, smallest first (derived_sql.h). */
static const struct { const char *table; unsigned dims; } rollups[] = {
    {"rollup_days", D_DAY | D_ROOT | D_QUAD},
    {"rollup_dyads", D_ACTORS | D_ROOT | D_QUAD},
    {"rollup", D_DAY | D_ACTORS | D_ROOT | D_QUAD},
};

/* The rollup that can count a view needing `dims` under q's filters;
 * NULL when only the events can (a filter on the code, PLOVER or text,
 * or no current rollup).  Both give the same answer. */
static const char *rollup_for(query *q, unsigned dims)
{
    for (int i = 0; i < P_FILTERS; i++) {
        if (!q->given[i])
            continue;
        if (!params[i].rollup_where)
            return NULL;
        dims |= params[i].dims;
    }
    if (derived_state(q) != DERIVED_CURRENT)
        return NULL;
    for (size_t i = 0; i < sizeof rollups / sizeof rollups[0]; i++)
        if ((rollups[i].dims & dims) == dims)
            return rollups[i].table;
    return NULL;
}

/* " FROM table WHERE <filters>"; conditions may follow with AND. */
static void add_rollup_selection(const query *q, kh_buf *sql, const char *table)
{
    kh_buf_printf(sql, " FROM %s WHERE 1 = 1", table);
    for (int i = 0; i < P_FILTERS; i++)
        if (q->given[i])
            kh_buf_printf(sql, " AND %s", params[i].rollup_where ? params[i].rollup_where
                                                                 : params[i].list_where);
}

static const char *sql_choice(const query *q, int i)
{
    return params[i].sql[q->choice[i]];
}

/* Binds a named parameter's text; a prefix form's with the dialect's
 * wildcard appended (the forms hold no wildcard of their own). */
static void bind_text(const query *q, kh_db_stmt *st, const char *name, const char *v,
                      size_t n, int prefix)
{
    if (!prefix) {
        kh_db_bind_text(st, name, v, n);
        return;
    }
    char *pattern = kh_xasprintf("%.*s%c", (int)n, v, q->db->dialect->prefix_any);
    kh_db_bind_text(st, name, pattern, strlen(pattern));
    free(pattern);
}

/* Binds every parameter given whose name the statement uses. */
static void bind_params(const query *q, kh_db_stmt *st)
{
    for (int i = 0; i < P_COUNT; i++) {
        if (!q->given[i] || params[i].form == F_CHOICE)
            continue;
        char name[sizeof ":target_country"];
        snprintf(name, sizeof name, ":%s", params[i].name);
        param_form f = params[i].form;
        if (f == F_COUNT_NUMBER || f == F_QUAD)
            kh_db_bind_int(st, name, strtol(q->value[i], NULL, 10));
        else if (f == F_TEXT)
            bind_text(q, st, name, q->fts, strlen(q->fts), 0);
        else
            bind_text(q, st, name, q->value[i], q->len[i], params[i].prefix);
    }
}

/* The reply for a failed statement: 503 when the time budget stopped it. */
static void db_failed(query *q)
{
    const char *message;
    switch (kh_db_error_of(q->db, &message)) {
    case KH_DB_BAD_SEARCH:     /* fts_query lets none through */
        kh_serve_error(q->reply, 400, "parameter 'q' cannot be searched for: %s", message);
        break;
    case KH_DB_TIMEOUT:
        kh_serve_error(q->reply, 503, "the query took longer than the server's time limit;"
                                      " narrow the filter");
        break;
    case KH_DB_BUSY:
        kh_serve_error(q->reply, 503, "the database is busy: %s", message);
        break;
    default:
        kh_serve_error(q->reply, 500, "database error: %s", message);
    }
}

/* Prepares the SQL in `sql` (which it frees) with q's parameters bound;
 * NULL after a reply. */
static kh_db_stmt *prepare(query *q, kh_buf *sql)
{
    kh_buf_addc(sql, '\0');
    kh_db_stmt *st = kh_db_prepare(q->db, sql->data);
    if (!st)
        db_failed(q);
    else
        bind_params(q, st);
    kh_buf_free(sql);
    return st;
}

/* Steps st; 1 for a row, 0 when done, -1 after a reply (and finalizes). */
static int step(query *q, kh_db_stmt *st)
{
    int rc = kh_db_step(st);
    if (rc < 0) {
        db_failed(q);
        kh_db_finalize(st);
    }
    return rc;
}

/* ------------------------------------------------------------ JSON */

/* A JSON string of the bytes, invalid UTF-8 written as U+FFFD (jansson
 * takes only valid UTF-8). */
static json_t *json_text(const char *s, size_t n)
{
    json_t *j = json_stringn(s, n);
    if (j)
        return j;
    kh_buf clean = {0};
    for (size_t i = 0; i < n;) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                              (utf8proc_ssize_t)(n - i), &cp);
        if (k <= 0 || cp == 0) {
            kh_buf_adds(&clean, cp == 0 && k > 0 ? " " : "\xEF\xBF\xBD");
            i += k > 0 ? (size_t)k : 1;
        } else {
            kh_buf_add(&clean, s + i, (size_t)k);
            i += (size_t)k;
        }
    }
    j = json_stringn(clean.data ? clean.data : "", clean.len);
    kh_buf_free(&clean);
    return j;
}

static json_t *col_text(kh_db_stmt *st, int c)
{
    size_t n;
    const char *s = kh_db_text(st, c, &n);
    return s ? json_text(s, n) : json_null();
}

static json_t *col_int(kh_db_stmt *st, int c)
{
    return kh_db_is_null(st, c) ? json_null()
                                                     : json_integer(kh_db_int(st, c));
}

static json_t *col_real(kh_db_stmt *st, int c)
{
    return kh_db_is_null(st, c) ? json_null()
                                                     : json_real(kh_db_real(st, c));
}

/* [start, end] from two columns, null when start is -1 (no place). */
static json_t *col_span(kh_db_stmt *st, int c)
{
    if (kh_db_is_null(st, c) || kh_db_int(st, c) < 0)
        return json_null();
    return json_pack("[II]", (json_int_t)kh_db_int(st, c),
                     (json_int_t)kh_db_int(st, c + 1));
}

/* Replies 200 with `body` (which it takes). */
static void reply_json(query *q, json_t *body)
{
    q->reply->status = 200;
    q->reply->body = json_dumps(body, JSON_COMPACT | JSON_REAL_PRECISION(6));
    if (!q->reply->body)
        kh_serve_error(q->reply, 500, "cannot write the answer");
    else
        q->reply->len = strlen(q->reply->body);
    json_decref(body);
}

/* A statement's rows as an array, each made by `row`; NULL after a reply. */
static json_t *rows(query *q, kh_db_stmt *st, json_t *(*row)(kh_db_stmt *, const query *))
{
    json_t *list = json_array();
    int r;
    while ((r = step(q, st)) == 1)
        json_array_append_new(list, row(st, q));
    if (r < 0) {
        json_decref(list);
        return NULL;
    }
    return list;
}

/* ------------------------------------------------------------ endpoints */

/* The summary of the whole database, from the tables' own indexes: every
 * report belongs to a merged event, so the reports are the mentions and
 * the documents every events row's; the first and last days are the ends
 * of events_by_day that are first reports.  Each number is the one the
 * filtered query below gives, at a sixth of the cost on a million events. */
#define SQL_SUMMARY_ALL \
    "SELECT (SELECT count(*) FROM mentions WHERE event = merged_event)," \
    " (SELECT count(*) FROM mentions), (SELECT count(DISTINCT document) FROM events)," \
    " (SELECT " SQL_DAY " FROM events e JOIN mentions m ON m.event = e.id" \
    "   WHERE m.merged_event = e.id AND " SQL_DAY " IS NOT NULL ORDER BY " SQL_DAY " LIMIT 1)," \
    " (SELECT " SQL_DAY " FROM events e JOIN mentions m ON m.event = e.id" \
    "   WHERE m.merged_event = e.id AND " SQL_DAY " IS NOT NULL ORDER BY " SQL_DAY " DESC LIMIT 1),"

static int any_filter(const query *q)
{
    for (int i = 0; i < P_FILTERS; i++)
        if (q->given[i])
            return 1;
    return 0;
}

/* The number the one-row query in `sql` (which it frees) gives; -1
 * after a reply. */
static long long count_of(query *q, kh_buf *sql)
{
    kh_db_stmt *st = prepare(q, sql);
    if (!st || step(q, st) < 0)
        return -1;
    long long n = kh_db_int(st, 0);
    kh_db_finalize(st);
    return n;
}

/* The one number `what` counts over the filter's events (with `joins`),
 * or over `rollup` when not NULL; -1 after a reply. */
static long long count_selected(query *q, const char *what, const char *joins,
                                const char *rollup)
{
    kh_buf sql = {0};
    kh_buf_printf(&sql, "SELECT %s", what);
    if (rollup)
        add_rollup_selection(q, &sql, rollup);
    else
        add_selection(q, &sql, FROM_AUTO, joins);
    return count_of(q, &sql);
}

/* The documents of the reports of the filter's events, from the
 * rollups' table of them (derived_sql.h), which has every dimension. */
static long long count_documents(query *q)
{
    return count_selected(q, "count(DISTINCT document)", NULL, "rollup_documents");
}

static void api_summary(query *q)
{
    kh_buf sql = {0};
    const char *rollup = any_filter(q) ? rollup_for(q, D_DAY) : NULL;
    if (!any_filter(q)) {
        kh_buf_adds(&sql, SQL_SUMMARY_ALL);
    } else if (rollup) {
        kh_buf_adds(&sql, "SELECT coalesce(sum(events), 0), coalesce(sum(reports), 0), NULL,"
                          " min(day), max(day),");
    } else {
        kh_buf_adds(&sql, "SELECT count(DISTINCT e.id), count(*), count(DISTINCT r.document),"
                          " min(" SQL_DAY "), max(" SQL_DAY "),");
    }
    kh_buf_adds(&sql, " (SELECT value FROM schema_info WHERE key = 'schema_version')");
    if (rollup)
        add_rollup_selection(q, &sql, rollup);
    else if (any_filter(q))   /* CROSS: SQLite would start from every report */
        add_selection(q, &sql, FROM_AUTO, " CROSS JOIN mentions rm ON rm.merged_event = e.id"
                                          " CROSS JOIN events r ON r.id = rm.event");
    kh_db_stmt *st = prepare(q, &sql);
    if (!st || step(q, st) < 0)   /* an aggregate without GROUP BY has its row */
        return;
    json_t *o = json_pack("{s:I,s:I,s:o,s:o,s:I}",
                          "events", (json_int_t)kh_db_int(st, 0),
                          "reports", (json_int_t)kh_db_int(st, 1),
                          "first_day", col_text(st, 3), "last_day", col_text(st, 4),
                          "schema_version", (json_int_t)kh_db_int(st, 5));
    long long documents = kh_db_int(st, 2);
    kh_db_finalize(st);
    /* no events, no documents: the events' query would find none */
    if (rollup && json_integer_value(json_object_get(o, "events")) > 0)
        documents = count_documents(q);
    if (documents < 0) {
        json_decref(o);
        return;
    }
    json_object_set_new(o, "documents", json_integer(documents));
    reply_json(q, o);
}

/* ------------------------------------------------------------ time series */

/* The overview's and the dyad's series are counted here, into a hash map
 * keyed by bin and key, rather than by SQLite's GROUP BY, which sorts
 * every selected event (2.5 s of a million-event overview's 3). */
typedef struct bin_count {
    const char *key;            /* "BIN\x1fKEY": sorts by bin, then key */
    long long events, quad[4];
    long long goldstein_tenths; /* exact, as the rollups keep it */
} bin_count;

typedef struct bin_table {
    kh_arena keys;
    kh_strmap at;
    bin_count *rows;
    size_t n, cap;
} bin_table;

#define BIN_KEY_SEP '\x1f'

/* Appends the bin of `day` (YYYY-MM-DD): the day, its week's Monday (ISO
 * weeks) or its month's first day; a day not in that form is its own bin. */
static void bin_name(kh_buf *out, int bin, const char *day, size_t n)
{
    char iso[KH_DATE_ISO_SIZE];
    if (bin == BIN_DAY || !is_date(day, n)) {
        kh_buf_add(out, day, n);
    } else if (bin == BIN_MONTH) {
        kh_buf_add(out, day, 8);
        kh_buf_adds(out, "01");
    } else {
        long days = iso_days(day);
        days -= (kh_date_weekday(days) + 6) % 7;     /* back to Monday */
        kh_date_format_iso(kh_date_from_days(days), iso);
        kh_buf_adds(out, iso);
    }
}

/* The row of (bin of day, key), made on first sight. */
static bin_count *bin_row(bin_table *t, int bin, kh_db_stmt *st, int day_col, int key_col)
{
    kh_buf key = {0};
    size_t n;
    const char *day = kh_db_text(st, day_col, &n);
    bin_name(&key, bin, day ? day : "", n);
    kh_buf_addc(&key, BIN_KEY_SEP);
    const char *k = kh_db_text(st, key_col, &n);
    if (k)
        kh_buf_add(&key, k, n);
    int i = kh_strmap_get(&t->at, key.data, key.len);
    if (i < 0) {
        if (t->n == t->cap) {
            t->cap = t->cap ? 2 * t->cap : 256;
            t->rows = kh_xrealloc(t->rows, t->cap * sizeof *t->rows);
        }
        i = (int)t->n++;
        t->rows[i] = (bin_count){kh_arena_strndup(&t->keys, key.data, key.len), 0, {0}, 0};
        kh_strmap_put(&t->at, t->rows[i].key, i);
    }
    kh_buf_free(&key);
    return &t->rows[i];
}

static int bin_order(const void *a, const void *b)
{
    return strcmp(((const bin_count *)a)->key, ((const bin_count *)b)->key);
}

/* The columns of a series' rows, from the events (one row an event) or
 * from a rollup (one row a group of events). */
#define SQL_SERIES_EVENTS(key) \
    SQL_DAY ", " key ", 1, CAST(round(e.goldstein * 10) AS INTEGER), e.quad"
#define SQL_SERIES_ROLLUP(key) "day, " key ", events, goldstein_tenths, quad"

/* Counts the rows of st (SQL_SERIES_*: day, key, events, Goldstein in
 * tenths, quad), sorted; -1 after a reply. */
static int count_bins(query *q, kh_db_stmt *st, bin_table *t)
{
    kh_arena_init(&t->keys);
    kh_strmap_init(&t->at);
    int r;
    while ((r = step(q, st)) == 1) {
        bin_count *c = bin_row(t, q->choice[P_BIN], st, 0, 1);
        long long events = kh_db_int(st, 2);
        c->events += events;
        c->goldstein_tenths += kh_db_int(st, 3);     /* NULL adds 0 */
        int quad = (int)kh_db_int(st, 4);
        if (quad >= 1 && quad <= 4)
            c->quad[quad - 1] += events;
    }
    if (r < 0)
        return -1;
    kh_db_finalize(st);
    if (t->n)                  /* rows is NULL when nothing was counted */
        qsort(t->rows, t->n, sizeof *t->rows, bin_order);
    return 0;
}

static void bin_table_free(bin_table *t)
{
    kh_strmap_free(&t->at);
    kh_arena_free(&t->keys);
    free(t->rows);
}

/* The bin and the key of a row. */
static json_t *bin_part(const bin_count *c)
{
    return json_text(c->key, strcspn(c->key, "\x1f"));
}

static const char *key_part(const bin_count *c)
{
    return strchr(c->key, BIN_KEY_SEP) + 1;
}

static void api_overview(query *q)
{
    kh_buf sql = {0};
    const char *rollup = rollup_for(q, D_DAY | (q->choice[P_BY] == 0 ? D_ROOT : D_QUAD));
    if (rollup) {
        kh_buf_printf(&sql, "SELECT " SQL_SERIES_ROLLUP("%s"), sql_choice(q, P_BY));
        add_rollup_selection(q, &sql, rollup);
        kh_buf_adds(&sql, " AND day IS NOT NULL");
    } else {
        kh_buf_printf(&sql, "SELECT " SQL_SERIES_EVENTS("e.%s"), sql_choice(q, P_BY));
        add_selection(q, &sql, FROM_AUTO, "");
        kh_buf_adds(&sql, " AND " SQL_DAY " IS NOT NULL");
    }
    kh_db_stmt *st = prepare(q, &sql);
    bin_table t = {0};
    if (st && count_bins(q, st, &t) == 0) {
        json_t *series = json_array();
        for (size_t i = 0; i < t.n; i++) {
            const char *key = key_part(&t.rows[i]);
            json_t *k = !*key ? json_null()                /* no root: not CAMEO */
                        : q->choice[P_BY] == 0 ? json_text(key, strlen(key))
                        : json_integer(strtol(key, NULL, 10));
            json_array_append_new(series, json_pack("{s:o,s:o,s:I}", "bin", bin_part(&t.rows[i]),
                                  "key", k, "events", (json_int_t)t.rows[i].events));
        }
        reply_json(q, json_pack("{s:s,s:s,s:o}", "bin", bins[q->choice[P_BIN]],
                                "by", bys[q->choice[P_BY]], "series", series));
    }
    if (st)
        bin_table_free(&t);
}

/* The network is counted here rather than in SQL: one pass over the
 * selected events into hash maps instead of SQLite's three sorted GROUP
 * BYs (nodes, then edges among the top nodes). */
typedef struct net_node { const char *id; long long events; } net_node;
typedef struct net_edge {
    const char *s, *t;          /* the nodes' ids */
    long long events, scored;   /* scored: events with a Goldstein value */
    long long goldstein_tenths; /* their sum, exact, as the rollups keep it */
} net_edge;

typedef struct network {
    kh_arena names;                 /* the actors' codes and the dyads' keys */
    kh_strmap node_at, edge_at;     /* code -> nodes[], "S\tT" -> edges[] */
    kh_strmap country_at;           /* level=country: code -> countries[] */
    const char **countries;
    size_t ncountries;
    net_node *nodes;
    net_edge *edges;
    size_t nnodes, nedges, node_cap, edge_cap;
} network;

/* The id of the node `id`, made on first sight (and counted `add`). */
static const char *net_node_of(network *n, const char *id, long long add)
{
    int i = kh_strmap_get(&n->node_at, id, strlen(id));
    if (i < 0) {
        if (n->nnodes == n->node_cap) {
            n->node_cap = n->node_cap ? 2 * n->node_cap : 256;
            n->nodes = kh_xrealloc(n->nodes, n->node_cap * sizeof *n->nodes);
        }
        i = (int)n->nnodes++;
        n->nodes[i] = (net_node){kh_arena_strndup(&n->names, id, strlen(id)), 0};
        kh_strmap_put(&n->node_at, n->nodes[i].id, i);
    }
    n->nodes[i].events += add;
    return n->nodes[i].id;
}

/* `events` events from s to t, `scored` of them with a Goldstein value
 * summing to `tenths`.  An event counts once for each of its actors
 * ("---" is none), and once for its dyad. */
static void net_add(network *n, const char *s, const char *t, long long events,
                    long long scored, long long tenths)
{
    s = net_node_of(n, s, strcmp(s, "---") != 0 ? events : 0);
    t = net_node_of(n, t, strcmp(t, "---") != 0 && strcmp(s, t) != 0 ? events : 0);
    char *key = kh_xasprintf("%s\t%s", s, t);
    int e = kh_strmap_get(&n->edge_at, key, strlen(key));
    if (e < 0) {
        if (n->nedges == n->edge_cap) {
            n->edge_cap = n->edge_cap ? 2 * n->edge_cap : 1024;
            n->edges = kh_xrealloc(n->edges, n->edge_cap * sizeof *n->edges);
        }
        e = (int)n->nedges++;
        n->edges[e] = (net_edge){s, t, 0, 0, 0};
        kh_strmap_put(&n->edge_at, kh_arena_strndup(&n->names, key, strlen(key)), e);
    }
    free(key);
    n->edges[e].events += events;
    n->edges[e].scored += scored;
    n->edges[e].goldstein_tenths += tenths;
}

/* level=country: an actor's node is its country (actors.country), or its
 * own code when it has none. */
static const char *net_country(const network *n, const char *code)
{
    int i = kh_strmap_get(&n->country_at, code, strlen(code));
    return i >= 0 ? n->countries[i] : code;
}

/* Reads the actors' countries; -1 after a reply. */
static int net_load_countries(query *q, network *n)
{
    kh_buf sql = {0};
    kh_buf_adds(&sql, "SELECT code, country FROM actors WHERE country IS NOT NULL");
    kh_db_stmt *st = prepare(q, &sql);
    if (!st)
        return -1;
    size_t cap = 0;
    int r;
    while ((r = step(q, st)) == 1) {
        if (n->ncountries == cap) {
            cap = cap ? 2 * cap : 256;
            n->countries = kh_xrealloc(n->countries, cap * sizeof *n->countries);
        }
        size_t len;
        const char *code = kh_db_text(st, 0, &len);
        const char *country = kh_db_text(st, 1, &len);
        n->countries[n->ncountries] = kh_arena_strndup(&n->names, country, strlen(country));
        kh_strmap_put(&n->country_at, kh_arena_strndup(&n->names, code, strlen(code)),
                      (int)n->ncountries++);
    }
    if (r < 0)
        return -1;
    kh_db_finalize(st);
    return 0;
}

static void net_free(network *n)
{
    kh_strmap_free(&n->country_at);
    free(n->countries);
    kh_strmap_free(&n->node_at);
    kh_strmap_free(&n->edge_at);
    kh_arena_free(&n->names);
    free(n->nodes);
    free(n->edges);
}

/* Most events first, then by code. */
static int node_order(const void *a, const void *b)
{
    const net_node *x = a, *y = b;
    if (x->events != y->events)
        return x->events > y->events ? -1 : 1;
    return strcmp(x->id, y->id);
}

static int edge_order(const void *a, const void *b)
{
    const net_edge *x = a, *y = b;
    if (x->events != y->events)
        return x->events > y->events ? -1 : 1;
    int c = strcmp(x->s, y->s);
    return c ? c : strcmp(x->t, y->t);
}

/* The `limit` nodes with most events and the edges among them, as JSON. */
static json_t *net_json(network *n, const query *q, long limit)
{
    if (n->nnodes)             /* the arrays are NULL when no event was read */
        qsort(n->nodes, n->nnodes, sizeof *n->nodes, node_order);
    if (n->nedges)
        qsort(n->edges, n->nedges, sizeof *n->edges, edge_order);
    kh_strmap top;
    kh_strmap_init(&top);
    json_t *nodes = json_array(), *edges = json_array();
    for (size_t i = 0; i < n->nnodes && (long)i < limit && n->nodes[i].events > 0; i++) {
        kh_strmap_put(&top, n->nodes[i].id, 1);
        json_array_append_new(nodes, json_pack("{s:o,s:I}", "id", json_text(n->nodes[i].id,
                              strlen(n->nodes[i].id)), "events", (json_int_t)n->nodes[i].events));
    }
    for (size_t i = 0; i < n->nedges; i++) {
        const net_edge *e = &n->edges[i];
        if (kh_strmap_get(&top, e->s, strlen(e->s)) < 0 || kh_strmap_get(&top, e->t, strlen(e->t)) < 0)
            continue;
        json_array_append_new(edges, json_pack("{s:o,s:o,s:I,s:o}",
            "source", json_text(e->s, strlen(e->s)), "target", json_text(e->t, strlen(e->t)),
            "events", (json_int_t)e->events,
            "goldstein_mean", e->scored ? json_real((double)e->goldstein_tenths / 10.0 /
                                                    (double)e->scored) : json_null()));
    }
    kh_strmap_free(&top);
    return json_pack("{s:s,s:o,s:o}", "level", levels[q->choice[P_LEVEL]], "nodes", nodes,
                     "edges", edges);
}

static void api_network(query *q)
{
    long limit = count_param(q, P_LIMIT, SERVE_DEFAULT_NETWORK_LIMIT, SERVE_MAX_NETWORK_LIMIT);
    if (limit < 0)
        return;
    network n = {0};
    kh_arena_init(&n.names);
    kh_strmap_init(&n.node_at);
    kh_strmap_init(&n.edge_at);
    kh_strmap_init(&n.country_at);
    int country = q->choice[P_LEVEL] == LEVEL_COUNTRY;
    kh_buf sql = {0};
    const char *rollup = rollup_for(q, D_ACTORS);
    if (rollup) {
        kh_buf_adds(&sql, "SELECT source, target, events, scored, goldstein_tenths");
        add_rollup_selection(q, &sql, rollup);
    } else {
        kh_buf_adds(&sql, "SELECT e.source, e.target, 1,"
                          " CASE WHEN e.goldstein IS NULL THEN 0 ELSE 1 END,"
                          " coalesce(CAST(round(e.goldstein * 10) AS INTEGER), 0)");
        add_selection(q, &sql, FROM_AUTO, "");
    }
    kh_db_stmt *st = country && net_load_countries(q, &n) != 0 ? NULL : prepare(q, &sql);
    if (!st) {
        kh_buf_free(&sql);
        net_free(&n);
        return;
    }
    int r;
    while ((r = step(q, st)) == 1) {
        size_t len;
        const char *s = kh_db_text(st, 0, &len);
        const char *t = kh_db_text(st, 1, &len);
        s = s ? s : "---";
        t = t ? t : "---";
        if (country) {
            s = net_country(&n, s);
            t = net_country(&n, t);
        }
        net_add(&n, s, t, kh_db_int(st, 2), kh_db_int(st, 3),
                kh_db_int(st, 4));
    }
    if (r == 0) {
        kh_db_finalize(st);
        reply_json(q, net_json(&n, q, limit));
    }
    net_free(&n);
}

/* A dyad's events, and their direction, over the columns of events
 * ("e.") or a rollup (""). */
#define SQL_DYAD(t) "((" t "source GLOB :a AND " t "target GLOB :b)" \
                    " OR (" t "source GLOB :b AND " t "target GLOB :a))"
#define SQL_DYAD_DIRECTION(t) "CASE WHEN " t "source GLOB :a AND " t "target GLOB :b" \
                              " THEN 'a>b' ELSE 'b>a' END"

static void api_dyad(query *q)
{
    if (!q->given[P_A] || !q->given[P_B]) {
        kh_serve_error(q->reply, 400, "parameter '%s' is required (the dyad's two actors, a and b)",
                       q->given[P_A] ? "b" : "a");
        return;
    }
    kh_buf sql = {0};
    const char *rollup = rollup_for(q, D_DAY | D_ACTORS | D_QUAD);
    if (rollup) {
        kh_buf_adds(&sql, "SELECT " SQL_SERIES_ROLLUP(SQL_DYAD_DIRECTION("")));
        add_rollup_selection(q, &sql, rollup);
        kh_buf_adds(&sql, " AND day IS NOT NULL AND " SQL_DYAD(""));
    } else {
        kh_buf_adds(&sql, "SELECT " SQL_SERIES_EVENTS(SQL_DYAD_DIRECTION("e.")));
        add_selection(q, &sql, FROM_AUTO, "");
        kh_buf_adds(&sql, " AND " SQL_DAY " IS NOT NULL AND " SQL_DYAD("e."));
    }
    kh_db_stmt *st = prepare(q, &sql);
    bin_table t = {0};
    if (st && count_bins(q, st, &t) == 0) {
        json_t *series = json_array();
        for (size_t i = 0; i < t.n; i++) {
            const bin_count *c = &t.rows[i];
            json_array_append_new(series, json_pack("{s:o,s:s,s:I,s:f,s:[IIII]}",
                "bin", bin_part(c), "direction", key_part(c), "events", (json_int_t)c->events,
                "goldstein", (double)c->goldstein_tenths / 10.0, "quad", (json_int_t)c->quad[0],
                (json_int_t)c->quad[1], (json_int_t)c->quad[2], (json_int_t)c->quad[3]));
        }
        reply_json(q, json_pack("{s:s%,s:s%,s:s,s:o}", "a", q->value[P_A], q->len[P_A],
                                "b", q->value[P_B], q->len[P_B], "bin", bins[q->choice[P_BIN]],
                                "series", series));
    }
    if (st)
        bin_table_free(&t);
}

static json_t *place_row(kh_db_stmt *st, const query *q)
{
    return json_pack("{s:o,s:o,s:o,s:o,s:o,s:I}", "name", col_text(st, 0),
                     "country", col_text(st, 1), "lat", col_real(st, 2), "lon", col_real(st, 3),
                     "precision", col_text(st, 4), "events", (json_int_t)kh_db_int(st, 5));
}

static void api_map(query *q)
{
    long limit = count_param(q, P_LIMIT, SERVE_DEFAULT_MAP_LIMIT, SERVE_MAX_MAP_LIMIT);
    if (limit < 0)
        return;
    kh_buf sql = {0};
    /* rollup_places (derived_sql.h) has every rollup dimension */
    if (rollup_for(q, D_DAY | D_ACTORS | D_ROOT | D_QUAD)) {
        kh_buf_adds(&sql, "SELECT name, country, lat, lon, precision, sum(events) AS n");
        add_rollup_selection(q, &sql, "rollup_places");
    } else {
        kh_buf_adds(&sql, "SELECT p.name, p.country, p.lat, p.lon, p.precision, count(*) AS n");
        add_selection(q, &sql, FROM_PLACES, "");
        kh_buf_adds(&sql, " AND p.lat IS NOT NULL AND p.lon IS NOT NULL");
    }
    /* ties in the whole place, so that both ways give one order */
    kh_buf_adds(&sql, " GROUP BY 1, 2, 3, 4, 5 ORDER BY n DESC, 1 NULLS FIRST, 2 NULLS FIRST,"
                      " 3, 4, 5 NULLS FIRST LIMIT :top");
    kh_db_stmt *st = prepare(q, &sql);
    if (!st)
        return;
    kh_db_bind_int(st, ":top", limit);
    json_t *places = rows(q, st, place_row);
    if (!places)
        return;
    kh_db_finalize(st);
    reply_json(q, json_pack("{s:o}", "places", places));
}

/* The columns of an event as the list shows it, first in both the list's
 * and the evidence's queries. */
#define SQL_EVENT_COLUMNS \
    "e.id, " SQL_DAY ", e.source, e.target, e.code, e.root, e.quad, e.goldstein, s.text," \
    " e.source_start, e.source_end, e.verb_start, e.verb_end, e.target_start, e.target_end," \
    " (SELECT count(*) FROM mentions r WHERE r.merged_event = coalesce(m.merged_event, e.id))"
#define EVENT_COLUMN_COUNT 16

static json_t *event_row(kh_db_stmt *st, const query *q)
{
    size_t len;
    const char *code = kh_db_text(st, 4, &len);
    const kh_cameo_info *info = code ? kh_cameo_lookup(code) : NULL;
    return json_pack("{s:I,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:{s:o,s:o,s:o},s:I}",
                     "id", (json_int_t)kh_db_int(st, 0), "day", col_text(st, 1),
                     "source", col_text(st, 2), "target", col_text(st, 3),
                     "code", col_text(st, 4), "root", col_text(st, 5), "quad", col_int(st, 6),
                     "goldstein", col_real(st, 7),
                     "event_name", info ? json_string(info->name) : json_null(),
                     "sentence", col_text(st, 8), "offsets", "source", col_span(st, 9),
                     "verb", col_span(st, 11), "target", col_span(st, 13),
                     "mentions", (json_int_t)kh_db_int(st, 15));
}

/* The total of the filter's events, -1 after a reply. */
/* Whether the page's ids can come from first_events: it is current and
 * every filter is on what it has (a rollup's dimensions, or q when the
 * text search is the derived index's). */
static int list_of_first_events(query *q)
{
    if (q->given[P_Q] && !q->db->dialect->text_needs_index)
        return 0;
    for (int i = 0; i < P_FILTERS; i++)
        if (q->given[i] && !params[i].rollup_where && !params[i].list_where)
            return 0;
    return derived_state(q) == DERIVED_CURRENT;
}

/* The total of the filter's events, -1 after a reply: from a rollup,
 * from the text index alone for q alone (its rows are the merged
 * events), from first_events for q and a rollup's filters. */
static long long count_events(query *q)
{
    const char *rollup = rollup_for(q, 0);
    if (rollup)
        return count_selected(q, "coalesce(sum(events), 0)", "", rollup);
    if (q->given[P_Q] && list_of_first_events(q)) {
        int only_q = 1;
        for (int i = 0; i < P_FILTERS; i++)
            only_q = only_q && (i == P_Q || !q->given[i]);
        if (!only_q)
            return count_selected(q, "count(*)", "", "first_events");
        kh_buf sql = {0};
        kh_buf_adds(&sql, "SELECT count(*) FROM events_fts WHERE events_fts MATCH :q");
        return count_of(q, &sql);
    }
    return count_selected(q, "count(*)", "", NULL);
}

static void api_events(query *q)
{
    long page = count_param(q, P_PAGE, 1, SERVE_MAX_PAGE);
    long size = page < 0 ? -1 : count_param(q, P_PAGE_SIZE, SERVE_DEFAULT_PAGE_SIZE,
                                            SERVE_MAX_PAGE_SIZE);
    long long total = size < 0 ? -1 : count_events(q);
    if (total < 0)
        return;
    kh_buf sql = {0};
    /* The page's ids first, then their rows: the index of the sort's
     * column gives the ids in order without sorting, and skipping to a
     * late page reads only that index, not every skipped event's row and
     * sentence (page 2,000 of a million events: 0.83 s before,
     * bench/README.md).  The index is first_events' (derived_sql.h)
     * when the filters allow, else the events' (events_by_day,
     * events_by_goldstein), whose skipped reports' mentions are read too. */
    kh_buf_printf(&sql, "SELECT " SQL_EVENT_COLUMNS " FROM (SELECT ");
    if (list_of_first_events(q)) {
        kh_buf_adds(&sql, "id");
        add_rollup_selection(q, &sql, "first_events");
        kh_buf_adds(&sql, " ORDER BY ");
        kh_buf_adds(&sql, list_sort_sql[q->choice[P_SORT]]);
    } else {
        kh_buf_adds(&sql, "e.id AS id");
        add_selection(q, &sql, FROM_EVENTS, "");
        kh_buf_printf(&sql, " ORDER BY %s", sql_choice(q, P_SORT));
    }
    kh_buf_printf(&sql, " LIMIT :top OFFSET :skip) page"
                  " CROSS JOIN events e ON e.id = page.id"
                  " LEFT JOIN mentions m ON m.event = e.id"
                  " LEFT JOIN sentences s ON s.document = e.document AND s.sent = e.sent"
                  " ORDER BY %s", sql_choice(q, P_SORT));
    kh_db_stmt *st = prepare(q, &sql);
    if (!st)
        return;
    kh_db_bind_int(st, ":top", size);
    kh_db_bind_int(st, ":skip", (long long)(page - 1) * size);
    json_t *events = rows(q, st, event_row);
    if (!events)
        return;
    kh_db_finalize(st);
    reply_json(q, json_pack("{s:I,s:I,s:I,s:o}", "page", (json_int_t)page,
                            "page_size", (json_int_t)size, "total", (json_int_t)total,
                            "events", events));
}

/* ------------------------------------------------------------ evidence */

static const char *const flag_names[] = {"negated", "passive", "hypothetical",
                                         "future", "paired", "historical"};

static json_t *document_json(kh_db_stmt *st, int c)
{
    return json_pack("{s:o,s:o,s:o,s:o,s:o}", "doc_id", col_text(st, c), "title",
                     col_text(st, c + 1), "date", col_text(st, c + 2), "url", col_text(st, c + 3),
                     "outlet", col_text(st, c + 4));
}

static json_t *mention_row(kh_db_stmt *st, const query *q)
{
    return json_pack("{s:I,s:o,s:o}", "id", (json_int_t)kh_db_int(st, 0),
                     "document", document_json(st, 1), "sentence", col_text(st, 6));
}

/* The reports merged with event `merged`, its first report first. */
static json_t *mentions_json(query *q, long long merged)
{
    kh_buf sql = {0};
    kh_buf_printf(&sql, "SELECT r.id, d.doc_id, d.title, d.date, d.url, d.outlet, s.text"
                  " FROM mentions rm JOIN events r ON r.id = rm.event"
                  " JOIN documents d ON d.id = r.document"
                  " LEFT JOIN sentences s ON s.document = r.document AND s.sent = r.sent"
                  " WHERE rm.merged_event = :merged ORDER BY r.id <> :merged, r.id LIMIT %d",
                  SERVE_MAX_MENTIONS);
    kh_db_stmt *st = prepare(q, &sql);
    if (!st)
        return NULL;
    kh_db_bind_int(st, ":merged", merged);
    json_t *list = rows(q, st, mention_row);
    if (list)
        kh_db_finalize(st);
    return list;
}

/* Columns after SQL_EVENT_COLUMNS, in the order evidence_json reads them. */
#define SQL_EVIDENCE_COLUMNS \
    ", e.pattern, e.dict, e.negated, e.passive, e.hypothetical, e.future, e.paired," \
    " e.historical, e.source_text, e.target_text, e.date, e.event_date, e.date_source," \
    " e.date_precision, e.plover, e.plover_mode, e.plover_context, e.issues, e.event_id," \
    " e.sent, s.start_byte, d.doc_id, d.title, d.date, d.url, d.outlet," \
    " p.name, p.country, p.fips, p.admin1, p.lat, p.lon, p.precision, p.start_byte, p.end_byte," \
    " q.speaker, q.quote, q.start_byte, q.end_byte," \
    " CASE WHEN p.event IS NULL THEN 0 ELSE 1 END, CASE WHEN q.event IS NULL THEN 0 ELSE 1 END," \
    " coalesce(m.merged_event, e.id)"

/* The ';'-separated issues column as an array, as JSON lines writes it. */
static json_t *issues_json(kh_db_stmt *st, int c)
{
    size_t len;
    const char *s = kh_db_text(st, c, &len);
    if (!s || !*s)
        return json_null();
    json_t *list = json_array();
    for (const char *p = s; *p;) {
        size_t n = strcspn(p, ";");
        if (n)
            json_array_append_new(list, json_text(p, n));
        p += n + (p[n] == ';');
    }
    return list;
}

static void add_evidence(json_t *o, kh_db_stmt *st)
{
    int c = EVENT_COLUMN_COUNT;
    json_object_set_new(o, "pattern", col_text(st, c));
    json_object_set_new(o, "dict", col_text(st, c + 1));
    for (int f = 0; f < 6; f++)
        json_object_set_new(o, flag_names[f], json_boolean((int)kh_db_int(st, c + 2 + f)));
    static const char *const text_fields[] = {"source_text", "target_text", "date", "event_date",
        "date_source", "date_precision", "plover", "plover_mode", "plover_context"};
    for (int f = 0; f < 9; f++)
        json_object_set_new(o, text_fields[f], col_text(st, c + 8 + f));
    char stable[17];   /* the JSON lines' id: 16 hex digits */
    snprintf(stable, sizeof stable, "%016llx", (unsigned long long)kh_db_int(st, c + 18));
    json_object_set_new(o, "event_id", json_string(stable));
    json_object_set_new(o, "issues", issues_json(st, c + 17));
    json_object_set_new(o, "sent", col_int(st, c + 19));
    json_object_set_new(o, "sentence_offset", col_int(st, c + 20));
    json_object_set_new(o, "document", document_json(st, c + 21));
    int p = c + 26, qt = c + 35;
    json_object_set_new(o, "place", !(int)kh_db_int(st, c + 39) ? json_null()
        : json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "name", col_text(st, p),
                    "country", col_text(st, p + 1), "fips", col_text(st, p + 2),
                    "admin1", col_text(st, p + 3), "lat", col_real(st, p + 4),
                    "lon", col_real(st, p + 5), "precision", col_text(st, p + 6),
                    "span", col_span(st, p + 7)));
    int quoted = (int)kh_db_int(st, c + 40);
    json_object_set_new(o, "quote", quoted ? col_text(st, qt + 1) : json_null());
    json_object_set_new(o, "speaker", quoted ? col_text(st, qt) : json_null());
    json_object_set_new(o, "quote_span", quoted ? col_span(st, qt + 2) : json_null());
}

static void api_event(query *q, const char *id)
{
    size_t n = strlen(id);
    if (n < 1 || n > SERVE_MAX_ID_DIGITS || !all_in(id, n, DIGITS)) {
        kh_serve_error(q->reply, 400, "an event id is a number (events.id), not '%.40s'", id);
        return;
    }
    errno = 0;
    long long number = strtoll(id, NULL, 10);
    if (errno == ERANGE) {     /* past any 64-bit id */
        kh_serve_error(q->reply, 404, "no event %s", id);
        return;
    }
    kh_buf sql = {0};
    kh_buf_adds(&sql, "SELECT " SQL_EVENT_COLUMNS SQL_EVIDENCE_COLUMNS
                      " FROM events e JOIN documents d ON d.id = e.document"
                      " LEFT JOIN mentions m ON m.event = e.id"
                      " LEFT JOIN sentences s ON s.document = e.document AND s.sent = e.sent"
                      " LEFT JOIN places p ON p.event = e.id LEFT JOIN quotes q ON q.event = e.id"
                      " WHERE e.id = :id");
    kh_db_stmt *st = prepare(q, &sql);
    if (!st)
        return;
    kh_db_bind_int(st, ":id", number);
    int r = step(q, st);
    if (r <= 0) {
        if (r == 0) {
            kh_db_finalize(st);
            kh_serve_error(q->reply, 404, "no event %s", id);
        }
        return;
    }
    json_t *o = event_row(st, q);
    add_evidence(o, st);
    long long merged = kh_db_int(st, EVENT_COLUMN_COUNT + 41);
    kh_db_finalize(st);
    json_t *mentions = mentions_json(q, merged);
    if (!mentions) {
        json_decref(o);
        return;
    }
    json_object_set(o, "mention_count", json_object_get(o, "mentions"));
    json_object_set_new(o, "merged_event", json_integer(merged));
    json_object_set_new(o, "mentions", mentions);
    reply_json(q, o);
}

/* Whether q can be searched for: the full-text index is there and
 * current; else replies. */
static int text_searchable(query *q)
{
    if (!q->db->dialect->text_needs_index)
        return 1;
    int state = derived_state(q);
    if (state == DERIVED_NONE)
        kh_serve_error(q->reply, 400, "parameter 'q' needs the database's full-text index,"
                       " which it has not (written by an older khaldun):"
                       " `khaldun reindex DB` builds it");
    else if (state == DERIVED_STALE)
        kh_serve_error(q->reply, 503, "parameter 'q' needs the database's full-text index,"
                       " which is out of date (a run is adding events; it is brought up to"
                       " date at the run's end, or by `khaldun reindex DB`)");
    return state == DERIVED_CURRENT;
}

/* ------------------------------------------------------------ routing */

typedef struct endpoint {
    const char *name;
    void (*answer)(query *q);
    unsigned params;     /* bits of the parameters it takes besides the filters */
} endpoint;

#define BIT(p) (1u << (p))
static const endpoint endpoints[] = {
    {"summary", api_summary, 0},
    {"overview", api_overview, BIT(P_BIN) | BIT(P_BY)},
    {"network", api_network, BIT(P_LIMIT) | BIT(P_LEVEL)},
    {"dyad", api_dyad, BIT(P_A) | BIT(P_B) | BIT(P_BIN)},
    {"map", api_map, BIT(P_LIMIT)},
    {"events", api_events, BIT(P_PAGE) | BIT(P_PAGE_SIZE) | BIT(P_SORT)},
};
#define FILTER_BITS (BIT(P_FILTERS) - 1)

void kh_serve_api(kh_db *db, const char *path, const kh_serve_param *sp,
                  size_t nparams, kh_serve_reply *out)
{
    query q = {.db = db, .reply = out, .derived = -1};
    out->body = NULL;
    if (!strncmp(path, "event/", 6)) {
        if (nparams)
            kh_serve_error(out, 400, "unknown parameter '%.40s'", sp[0].name);
        else
            api_event(&q, path + 6);
        return;
    }
    for (size_t i = 0; i < sizeof endpoints / sizeof endpoints[0]; i++) {
        if (strcmp(path, endpoints[i].name))
            continue;
        size_t k = 0;
        while (k < nparams && take_param(&q, &sp[k], FILTER_BITS | endpoints[i].params) == 0)
            k++;
        if (k == nparams && (!q.given[P_Q] || text_searchable(&q)))
            endpoints[i].answer(&q);
        free(q.fts);
        if (!out->body)
            kh_serve_error(out, 500, "no answer");   /* a path above forgot to reply */
        return;
    }
    kh_serve_error(out, 404, "no endpoint /api/%.60s (summary, overview, network, dyad, map,"
                             " events, event/ID)", path);
}

void kh_serve_error(kh_serve_reply *out, int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *message = kh_xvasprintf(fmt, ap);
    va_end(ap);
    json_t *o = json_pack("{s:o}", "error", json_text(message, strlen(message)));
    free(out->body);
    out->status = status;
    out->body = json_dumps(o, JSON_COMPACT);
    out->len = strlen(out->body);
    json_decref(o);
    free(message);
}
