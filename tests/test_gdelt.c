/* test_gdelt.c -- the GDELT 2.0 export (src/write_gdelt.c): column counts,
 * value types, deduplicated rows, and that the tables load into SQLite. */
#include "testutil.h"
#include "write.h"
#include "dedup.h"

#include <ctype.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define EVENT_COLUMNS 61
#define MENTION_COLUMNS 16

/* 1-based GDELT 2.0 event columns the tests look at. */
enum { C_ID = 1, C_SQLDATE = 2, C_MONTHYEAR = 3, C_YEAR = 4, C_FRACTION = 5,
       C_A1CODE = 6, C_A1NAME = 7, C_A1COUNTRY = 8, C_A1KNOWN = 9,
       C_A1TYPE1 = 13, C_A2CODE = 16, C_A2COUNTRY = 18, C_ISROOT = 26,
       C_CODE = 27, C_BASE = 28, C_ROOT = 29, C_QUAD = 30, C_GOLDSTEIN = 31,
       C_NUMMENTIONS = 32, C_NUMSOURCES = 33, C_NUMARTICLES = 34, C_AVGTONE = 35,
       C_A1GEO_TYPE = 36, C_ACTIONGEO_TYPE = 52, C_ACTIONGEO_NAME = 53,
       C_ACTIONGEO_COUNTRY = 54, C_ACTIONGEO_ADM1 = 55, C_ACTIONGEO_LAT = 57,
       C_ACTIONGEO_LONG = 58, C_DATEADDED = 60, C_SOURCEURL = 61 };

static const char sentence[] = "Rebels kidnapped an American engineer in Basra.";

typedef struct fixture {
    char dir[64];
    char path[128];
    char mentions_path[160];
    kh_diag diag;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    strcpy(f->dir, "/tmp/kh-test-gdelt-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->path, sizeof f->path, "%s/events.csv", f->dir);
    snprintf(f->mentions_path, sizeof f->mentions_path, "%s.mentions", f->path);
    kh_diag_init(&f->diag);
    f->diag.quiet = 1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    assert_int_equal(system(cmd), 0);
    free(f);
    return 0;
}

static void set_event(kh_event *e, const char *code, const char *src, const char *tgt,
                      const char *place, int precision)
{
    memset(e, 0, sizeof *e);
    strcpy(e->code, code);
    e->source = strdup(src);
    e->target = strdup(tgt);
    e->source_text = strdup("Rebels");
    e->target_text = strdup("an American\tengineer");  /* a tab to flatten */
    e->source_span = (kh_span){0, 6};
    e->verb_span = (kh_span){7, 16};
    e->target_span = (kh_span){17, 37};
    if (place) {
        e->place.name = strdup(place);
        strcpy(e->place.country, "IRQ");
        strcpy(e->place.fips, "IZ");
        strcpy(e->place.admin1, "02");
        e->place.lat = 30.5;
        e->place.lon = 47.8;
        e->place.precision = precision;
    }
}

/* 366 reports of one kidnapping in 122 articles a day over 3 days (three
 * sentences each, the first a lead), plus a statement in Washington and an
 * undated, unplaced threat. */
static void write_corpus(fixture *f, int window, int article_dated)
{
    kh_writer *w = kh_writer_open(f->path, KH_OUTPUT_GDELT, &f->diag);
    assert_non_null(w);
    kh_writer_set_dedup_window(w, window);
    kh_events ev;
    kh_events_init(&ev);
    ev.items = calloc(1, sizeof *ev.items);
    ev.capacity = 1;
    char id[32], outlet[32], url[64];
    /* the text's length is MentionDocLen; the writer copies the text */
    static char body[1200];
    memset(body, 'x', sizeof body - 1);
    for (int i = 0; i < 122; i++) {
        snprintf(id, sizeof id, "art-%d", i);
        snprintf(outlet, sizeof outlet, "outlet%d.com", i % 30);
        snprintf(url, sizeof url, "https://outlet%d.com/story/%d", i % 30, i);
        kh_doc doc = {.id = id, .source = outlet, .url = url, .text = body,
                      .len = 1000 + (size_t)i, .date = 20140414 + i / 41};
        for (int sent = 1; sent <= 3; sent++) {
            kh_events_clear(&ev);
            set_event(&ev.items[0], "181", "IRQREB", "USACVL", "Basra", KH_PLACE_CITY);
            ev.items[0].event_date = article_dated ? 0 : 20140414;
            ev.items[0].date_source = article_dated ? KH_DATE_ARTICLE : KH_DATE_EXPLICIT;
            ev.count = 1;
            assert_int_equal(kh_writer_add(w, &doc, sent, sentence, strlen(sentence),
                                           100L * sent, &ev), 0);
        }
    }
    kh_doc us = {.id = "us-1", .text = "x", .len = 1, .date = 20140418};
    kh_events_clear(&ev);
    set_event(&ev.items[0], "111", "USAGOV", "IRQREB", "Washington", KH_PLACE_CITY);
    strcpy(ev.items[0].place.country, "USA");
    strcpy(ev.items[0].place.fips, "US");
    strcpy(ev.items[0].place.admin1, "USDC");
    ev.count = 1;
    assert_int_equal(kh_writer_add(w, &us, 2, sentence, strlen(sentence), 0, &ev), 0);
    kh_doc undated = {.id = "undated", .text = "y", .len = 1};
    kh_events_clear(&ev);
    set_event(&ev.items[0], "138", "IGOUNOHLH", "---", NULL, 0);
    ev.items[0].flags = KH_EVENT_FUTURE;
    ev.count = 1;
    assert_int_equal(kh_writer_add(w, &undated, 1, sentence, strlen(sentence), 0, &ev), 0);
    kh_events_free(&ev);
    assert_int_equal(kh_writer_close(w), 0);
}

/* GLOBALEVENTID of the kidnapping: the stable id of its first report
 * (art-0, sentence 1), in decimal. */
static void kidnap_id(char out[32])
{
    kh_event e;
    set_event(&e, "181", "IRQREB", "USACVL", "Basra", KH_PLACE_CITY);
    snprintf(out, 32, "%llu", (unsigned long long)kh_dedup_event_id("art-0", 1, &e));
    kh_events one = {&e, 1, 1};
    kh_events_clear(&one);
}

/* Splits a line (without its newline) at tabs; returns the field count. */
static int split(char *line, char **fields, int max)
{
    int n = 0;
    line[strcspn(line, "\n")] = 0;
    for (char *p = line;; ) {
        if (n < max)
            fields[n] = p;
        n++;
        char *tab = strchr(p, '\t');
        if (!tab)
            break;
        *tab = 0;
        p = tab + 1;
    }
    return n;
}

typedef struct table {
    char **lines;
    size_t count;
} table;

static table read_table(const char *path)
{
    table t = {0};
    FILE *in = fopen(path, "r");
    assert_non_null(in);
    char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, in) > 0) {
        t.lines = realloc(t.lines, (t.count + 1) * sizeof *t.lines);
        t.lines[t.count++] = strdup(line);
    }
    free(line);
    fclose(in);
    return t;
}

static void free_table(table *t)
{
    for (size_t i = 0; i < t->count; i++)
        free(t->lines[i]);
    free(t->lines);
}

static int all_digits(const char *s, size_t n)
{
    if (strlen(s) != n)
        return 0;
    for (; *s; s++)
        if (!isdigit((unsigned char)*s))
            return 0;
    return 1;
}

static int is_number(const char *s)
{
    char *end;
    if (!*s)
        return 0;
    strtod(s, &end);
    return *end == 0;
}

/* ------------------------------------------------------------------ */

static void test_columns_and_types(void **state)
{
    fixture *f = *state;
    write_corpus(f, 3, 0);
    table ev = read_table(f->path);
    assert_int_equal(ev.count, 3); /* 366 reports are one event */
    char *c[EVENT_COLUMNS + 2];
    for (size_t i = 0; i < ev.count; i++) {
        assert_int_equal(split(ev.lines[i], c, EVENT_COLUMNS + 2), EVENT_COLUMNS);
        assert_true(is_number(c[C_ID - 1]));
        assert_true(all_digits(c[C_DATEADDED - 1], 14));
        for (int col = C_NUMMENTIONS; col <= C_NUMARTICLES; col++)
            assert_true(all_digits(c[col - 1], strlen(c[col - 1])) && *c[col - 1]);
        assert_true(is_number(c[C_A1GEO_TYPE - 1]));
        assert_true(is_number(c[C_ACTIONGEO_TYPE - 1]));
        assert_true(is_number(c[C_QUAD - 1]));
        assert_true(is_number(c[C_GOLDSTEIN - 1]));
        assert_string_equal(c[C_AVGTONE - 1], ""); /* not computed: empty */
    }
    /* the kidnapping */
    split(strdup(ev.lines[0]), c, EVENT_COLUMNS + 2);
    table ev2 = read_table(f->path);
    char *k[EVENT_COLUMNS + 2];
    split(ev2.lines[0], k, EVENT_COLUMNS + 2);
    char id[32];
    kidnap_id(id);
    assert_string_equal(k[C_ID - 1], id);   /* stable, not a run's counter */
    assert_string_not_equal(id, "1");
    assert_string_equal(k[C_SQLDATE - 1], "20140414");
    assert_string_equal(k[C_MONTHYEAR - 1], "201404");
    assert_string_equal(k[C_YEAR - 1], "2014");
    assert_true(strtod(k[C_FRACTION - 1], NULL) > 2014.28 &&
                strtod(k[C_FRACTION - 1], NULL) < 2014.29);
    assert_string_equal(k[C_A1CODE - 1], "IRQREB");
    assert_string_equal(k[C_A1NAME - 1], "Rebels");
    assert_string_equal(k[C_A1COUNTRY - 1], "IRQ");
    assert_string_equal(k[C_A1TYPE1 - 1], "REB");
    assert_string_equal(k[C_A2CODE - 1], "USACVL");
    assert_string_equal(k[C_A2COUNTRY - 1], "USA");
    assert_string_equal(k[C_ISROOT - 1], "1");
    assert_string_equal(k[C_CODE - 1], "181");
    assert_string_equal(k[C_BASE - 1], "181");
    assert_string_equal(k[C_ROOT - 1], "18");
    assert_string_equal(k[C_QUAD - 1], "4");
    assert_string_equal(k[C_NUMMENTIONS - 1], "366");
    assert_string_equal(k[C_NUMSOURCES - 1], "30");
    assert_string_equal(k[C_NUMARTICLES - 1], "122");
    assert_string_equal(k[C_A1GEO_TYPE - 1], "0");
    assert_string_equal(k[C_ACTIONGEO_TYPE - 1], "4");    /* world city */
    assert_string_equal(k[C_ACTIONGEO_NAME - 1], "Basra");
    assert_string_equal(k[C_ACTIONGEO_COUNTRY - 1], "IZ");  /* FIPS, not ISO */
    assert_string_equal(k[C_ACTIONGEO_ADM1 - 1], "IZ02");
    assert_true(strtod(k[C_ACTIONGEO_LAT - 1], NULL) == 30.5);
    assert_true(strtod(k[C_ACTIONGEO_LONG - 1], NULL) == 47.8);
    assert_string_equal(k[C_SOURCEURL - 1], "https://outlet0.com/story/0");
    /* Washington: a US city, not a lead sentence */
    split(ev2.lines[1], k, EVENT_COLUMNS + 2);
    assert_string_equal(k[C_ACTIONGEO_TYPE - 1], "3");
    assert_string_equal(k[C_ACTIONGEO_ADM1 - 1], "USDC");
    assert_string_equal(k[C_ISROOT - 1], "0");
    assert_string_equal(k[C_SOURCEURL - 1], "us-1");
    /* the undated UN threat: no date, no geo, IGO known group */
    split(ev2.lines[2], k, EVENT_COLUMNS + 2);
    assert_string_equal(k[C_SQLDATE - 1], "");
    assert_string_equal(k[C_A1COUNTRY - 1], "");
    assert_string_equal(k[C_A1TYPE1 - 1], "IGO");
    assert_string_equal(k[C_A1KNOWN - 1], "UNO");
    assert_string_equal(k[C_A2CODE - 1], "");
    assert_string_equal(k[C_ACTIONGEO_TYPE - 1], "0");
    free(c[0]);
    free_table(&ev2);
    free_table(&ev);
}

/* Groups go to the columns of their kind, first come first: religion,
 * denomination, three role types, the first other group as the known
 * group; the rest (a fourth role type, a short last group) nowhere. */
static void test_actor_group_columns(void **state)
{
    fixture *f = *state;
    kh_writer *w = kh_writer_open(f->path, KH_OUTPUT_GDELT, &f->diag);
    assert_non_null(w);
    kh_events ev;
    kh_events_init(&ev);
    ev.items = calloc(1, sizeof *ev.items);
    ev.capacity = ev.count = 1;
    set_event(&ev.items[0], "181", "IRQMOSSHIREBMILGOVCOPSUNX", "---", NULL, 0);
    kh_doc doc = {.id = "groups", .text = "x", .len = 1, .date = 20140414};
    assert_int_equal(kh_writer_add(w, &doc, 1, sentence, strlen(sentence), 0, &ev), 0);
    kh_events_free(&ev);
    assert_int_equal(kh_writer_close(w), 0);
    table t = read_table(f->path);
    assert_int_equal(t.count, 1);
    char *c[EVENT_COLUMNS + 2];
    assert_int_equal(split(t.lines[0], c, EVENT_COLUMNS + 2), EVENT_COLUMNS);
    const char *want[] = {"IRQMOSSHIREBMILGOVCOPSUNX", "Rebels", "IRQ", "SUN", "", "MOS",
                          "SHI", "REB", "MIL", "GOV", "", "", "", "", "", "", "", "", "",
                          ""};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        assert_string_equal(c[C_A1CODE - 1 + i], want[i]);
    free_table(&t);
}

static void test_mentions_columns(void **state)
{
    fixture *f = *state;
    write_corpus(f, 3, 0);
    table m = read_table(f->mentions_path);
    assert_int_equal(m.count, 366 + 2);
    char *c[MENTION_COLUMNS + 2];
    long kidnap = 0, offsets = 0;
    char id[32];
    kidnap_id(id);
    for (size_t i = 0; i < m.count; i++) {
        assert_int_equal(split(m.lines[i], c, MENTION_COLUMNS + 2), MENTION_COLUMNS);
        assert_true(is_number(c[0]));
        assert_true(all_digits(c[1], 14));      /* EventTimeDate */
        assert_true(all_digits(c[2], 14));      /* MentionTimeDate */
        for (int col = 4; col <= 13; col++)
            if (col != 5 && col != 6)
                assert_true(is_number(c[col - 1]));
        if (strcmp(c[0], id) == 0) {
            kidnap++;
            offsets += strtol(c[9], NULL, 10);  /* ActionCharOffset */
        }
    }
    assert_int_equal(kidnap, 366);
    /* sentence offsets 100, 200, 300 plus the verb at 7, in 122 articles */
    assert_int_equal(offsets, 122L * (107 + 207 + 307));
    split(m.lines[367], c, MENTION_COLUMNS + 2);
    assert_string_equal(c[11], "50");           /* future: lower confidence */
    free_table(&m);
}

/* Digits that SQLite stores as an INTEGER (GLOBALEVENTID's 63 bits). */
static int fits_int64(const char *digits)
{
    size_t n = strlen(digits);
    return n < 19 || (n == 19 && strcmp(digits, "9223372036854775807") <= 0);
}

/* "Loads into SQLite": GDELT-shaped tables, rows through prepared
 * statements, and the sums come back. */
static void load(sqlite3 *db, const char *tablename, int columns, const char *path)
{
    char *sql = malloc(64 + (size_t)columns * 16);
    int n = sprintf(sql, "CREATE TABLE %s(", tablename);
    for (int i = 1; i <= columns; i++)
        n += sprintf(sql + n, "c%d%s", i, i < columns ? "," : ")");
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    n = sprintf(sql, "INSERT INTO %s VALUES(", tablename);
    for (int i = 1; i <= columns; i++)
        n += sprintf(sql + n, "?%s", i < columns ? "," : ")");
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
    table t = read_table(path);
    char **c = calloc((size_t)columns + 2, sizeof *c);
    for (size_t i = 0; i < t.count; i++) {
        assert_int_equal(split(t.lines[i], c, columns + 2), columns);
        for (int col = 0; col < columns; col++) {
            if (!*c[col])
                sqlite3_bind_null(s, col + 1);
            else if (is_number(c[col]) && strchr(c[col], '.'))
                sqlite3_bind_double(s, col + 1, strtod(c[col], NULL));
            else if (all_digits(c[col], strlen(c[col])) && fits_int64(c[col]))
                sqlite3_bind_int64(s, col + 1, strtoll(c[col], NULL, 10));
            else
                sqlite3_bind_text(s, col + 1, c[col], -1, SQLITE_TRANSIENT);
        }
        assert_int_equal(sqlite3_step(s), SQLITE_DONE);
        sqlite3_reset(s);
    }
    sqlite3_finalize(s);
    free(c);
    free_table(&t);
    free(sql);
}

static double query(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    double v = sqlite3_column_double(s, 0);
    sqlite3_finalize(s);
    return v;
}

static void test_loads_into_sqlite(void **state)
{
    fixture *f = *state;
    write_corpus(f, 3, 0);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
    load(db, "events", EVENT_COLUMNS, f->path);
    load(db, "mentions", MENTION_COLUMNS, f->mentions_path);
    assert_true(query(db, "SELECT count(*) FROM events") == 3);
    assert_true(query(db, "SELECT sum(c32) FROM events") == 368);        /* NumMentions */
    assert_true(query(db, "SELECT count(*) FROM mentions") == 368);
    assert_true(query(db, "SELECT sum(c31) FROM events") == -9.0 + -2.0 + -7.0);
    assert_true(query(db, "SELECT count(*) FROM events e WHERE c32 ="
                          " (SELECT count(*) FROM mentions m WHERE m.c1 = e.c1)") == 3);
    assert_true(query(db, "SELECT typeof(c1) = 'integer' FROM events LIMIT 1") == 1);
    assert_true(query(db, "SELECT typeof(c2) = 'integer' FROM events WHERE c32 = 366") == 1);
    assert_true(query(db, "SELECT count(DISTINCT c5) FROM mentions WHERE c1 ="
                          " (SELECT c1 FROM events WHERE c32 = 366)") == 30);
    sqlite3_close(db);
}

/* The window decides whether reports dated only by their articles (14,
 * 15 and 16 April) are one event; an explicit date makes them one even
 * with no window. */
static void test_window_is_configurable(void **state)
{
    fixture *f = *state;
    static const struct { int window, article_dated, rows; } cases[] = {
        {0, 1, 3 + 2}, {1, 1, 2 + 2}, {3, 1, 1 + 2}, {0, 0, 1 + 2}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        write_corpus(f, cases[i].window, cases[i].article_dated);
        table ev = read_table(f->path);
        assert_int_equal(ev.count, cases[i].rows);
        table m = read_table(f->mentions_path);
        assert_int_equal(m.count, 366 + 2);
        free_table(&m);
        free_table(&ev);
    }
}

static void test_crash_safe_and_stdout(void **state)
{
    fixture *f = *state;
    assert_null(kh_writer_open("-", KH_OUTPUT_GDELT, &f->diag));
    kh_writer *w = kh_writer_open(f->path, KH_OUTPUT_GDELT, &f->diag);
    assert_non_null(w);
    struct stat st;
    assert_int_not_equal(stat(f->path, &st), 0);
    assert_int_not_equal(stat(f->mentions_path, &st), 0);
    assert_int_equal(kh_writer_close(w), 0);
    assert_int_equal(stat(f->path, &st), 0);
    assert_int_equal(stat(f->mentions_path, &st), 0);
    assert_int_equal(st.st_size, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_columns_and_types, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mentions_columns, setup, teardown),
        cmocka_unit_test_setup_teardown(test_actor_group_columns, setup, teardown),
        cmocka_unit_test_setup_teardown(test_loads_into_sqlite, setup, teardown),
        cmocka_unit_test_setup_teardown(test_window_is_configurable, setup, teardown),
        cmocka_unit_test_setup_teardown(test_crash_safe_and_stdout, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
