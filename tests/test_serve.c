/* test_serve.c -- khaldun serve's endpoints (serve_query.c) called
 * directly on the examples' database, and the server (serve.c) over HTTP
 * with several clients at once, so that the sanitizer builds (make asan,
 * make tsan) run the query code and the threads.  python/tests/
 * test_serve.py checks the answers against SQL in depth. */
#include "testutil.h"
#include "serve.h"

#include <arpa/inet.h>
#include <jansson.h>
#include <sqlite3.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static char db_path[128];
static char tmp_dir[64];

static int make_db(void **state)
{
    snprintf(tmp_dir, sizeof tmp_dir, "/tmp/khaldun-serve-XXXXXX");
    assert_non_null(mkdtemp(tmp_dir));
    snprintf(db_path, sizeof db_path, "%s/examples.db", tmp_dir);
    char *args = kh_xasprintf("code --quiet --date 20110328 -o %s examples", db_path), *out;
    assert_int_equal(test_run_khaldun(args, &out), 0);
    free(args);
    free(out);
    return 0;
}

static int remove_db(void **state)
{
    char *cmd = kh_xasprintf("rm -rf %s", tmp_dir);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    return 0;
}

/* GET /api/PATH?QUERY straight from kh_serve_api on the database `file`:
 * the status, and the body parsed in *body (decref it). */
static int api_on(const char *file, const char *path, const char *query, json_t **body)
{
    kh_db *db = kh_db_open(file, 0, NULL);
    assert_non_null(db);
    kh_serve_param params[8];
    size_t n = 0;
    char *copy = kh_xstrdup(query ? query : "");
    for (char *p = strtok(copy, "&"); p && n < 8; p = strtok(NULL, "&")) {
        char *eq = strchr(p, '=');
        if (eq)
            *eq = 0;
        params[n++] = (kh_serve_param){p, eq ? eq + 1 : NULL, eq ? strlen(eq + 1) : 0};
    }
    kh_serve_reply reply = {0};
    kh_serve_api(db, path, params, n, &reply);
    kh_db_close(db);
    free(copy);
    json_error_t err;
    *body = json_loadb(reply.body, reply.len, 0, &err);
    assert_non_null(*body);
    free(reply.body);
    return reply.status;
}

static int api(const char *path, const char *query, json_t **body)
{
    return api_on(db_path, path, query, body);
}

static long long int_member(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    assert_true(json_is_integer(v));
    return json_integer_value(v);
}

static void test_endpoints_answer(void **state)
{
    json_t *b;
    assert_int_equal(api("summary", NULL, &b), 200);
    long long events = int_member(b, "events");
    assert_true(events > 20);
    assert_int_equal(int_member(b, "schema_version"), 4);
    json_decref(b);

    assert_int_equal(api("overview", "bin=day&by=quad", &b), 200);
    long long sum = 0;
    json_t *row;
    size_t i;
    json_array_foreach(json_object_get(b, "series"), i, row)
        sum += int_member(row, "events");
    assert_int_equal(sum, events);     /* every example event is dated */
    json_decref(b);

    assert_int_equal(api("network", "limit=3&level=country", &b), 200);
    assert_int_equal(json_array_size(json_object_get(b, "nodes")), 3);
    json_decref(b);
    assert_int_equal(api("events", "page=2&page_size=5&sort=goldstein&actor=IRN", &b), 200);
    assert_true(int_member(b, "total") > 0);
    json_decref(b);
    assert_int_equal(api("event/1", NULL, &b), 200);
    assert_true(json_array_size(json_object_get(b, "mentions")) >= 1);
    json_decref(b);
    assert_int_equal(api("dyad", "a=IRN&b=AZE&bin=month", &b), 200);
    json_decref(b);
    assert_int_equal(api("map", "limit=5&q=Tehran", &b), 200);
    json_decref(b);
}

/* Text that is FTS5 or SQL syntax is searched for as words. */
static void test_q_is_words(void **state)
{
    static const char *const queries[] = {
        "q=talks", "q=NEAR(talks peace)", "q=talks OR peace", "q=text:talks", "q=^talks",
        "q=x' OR '1'='1", "q=\"peace talks\"", "q=talk*", "q=(talks", "q=NOT talks",
    };
    json_t *b;
    assert_int_equal(api("events", "q=talks", &b), 200);
    long long talks = int_member(b, "total");
    assert_true(talks > 0);
    json_decref(b);
    for (size_t i = 0; i < sizeof queries / sizeof queries[0]; i++) {
        int status = api("events", queries[i], &b);
        if (status != 200)
            fail_msg("%s: %d", queries[i], status);
        assert_true(int_member(b, "total") <= talks || i == 7);   /* talk* finds more */
        json_decref(b);
    }
}

/* Copies the database to NAME in the test's folder and runs SQL on the
 * copy; its path (free it). */
static char *changed_copy(const char *name, const char *sql)
{
    char *copy = kh_xasprintf("%s/%s", tmp_dir, name);
    char *cmd = kh_xasprintf("cp %s %s", db_path, copy);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(copy, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    return copy;
}

/* Wrong counts in every rollup: an answer from one differs. */
#define SQL_SPOIL_ROLLUPS "UPDATE rollup SET events = events + 5;" \
    "UPDATE rollup_dyads SET events = events + 5; UPDATE rollup_days SET events = events + 5;" \
    "UPDATE rollup_places SET events = events + 5"

/* The rollups answer as the events do; reindex rebuilds them. */
static void test_rollups_and_reindex(void **state)
{
    static const struct { const char *path, *query; } views[] = {
        {"summary", "actor=IRN"}, {"overview", "bin=month&quad=1"}, {"network", "level=country"},
        {"dyad", "a=ARM&b=AZE"}, {"events", "root=19&page_size=3"}, {"network", "source=ARM"},
        {"map", "quad=4"},
    };
    char *plain = changed_copy("plain.db", "DELETE FROM schema_info WHERE key = 'derived_through'");
    char *wrong = changed_copy("wrong.db", SQL_SPOIL_ROLLUPS);
    for (size_t i = 0; i < sizeof views / sizeof views[0]; i++) {
        json_t *a, *b, *c;
        assert_int_equal(api(views[i].path, views[i].query, &a), 200);
        assert_int_equal(api_on(plain, views[i].path, views[i].query, &b), 200);
        assert_true(json_equal(a, b));
        assert_int_equal(api_on(wrong, views[i].path, views[i].query, &c), 200);
        if (json_equal(a, c))                  /* the rollup answered */
            fail_msg("%s?%s: not from a rollup", views[i].path, views[i].query);
        json_decref(c);
        kh_diag diag;
        kh_diag_init(&diag);
        assert_int_equal(kh_sqlite_reindex(wrong, &diag), 0);
        assert_int_equal(api_on(wrong, views[i].path, views[i].query, &c), 200);
        if (!json_equal(a, c)) {
            char *x = json_dumps(a, 0), *y = json_dumps(c, 0);
            fail_msg("%s?%s: %s after reindex, not %s", views[i].path, views[i].query, y, x);
        }
        json_decref(a);
        json_decref(b);
        json_decref(c);
        sqlite3 *db;   /* spoil it again for the next view */
        assert_int_equal(sqlite3_open(wrong, &db), SQLITE_OK);
        assert_int_equal(sqlite3_exec(db, SQL_SPOIL_ROLLUPS, NULL, NULL, NULL), SQLITE_OK);
        sqlite3_close(db);
    }
    json_t *b;
    assert_int_equal(api_on(plain, "events", "q=talks", &b), 400);   /* no current index */
    json_decref(b);
    kh_diag diag;
    kh_diag_init(&diag);
    diag.quiet = 1;
    char *text = kh_xasprintf("%s/not-a.db", tmp_dir);
    test_write_file(text, "not a database\n");
    assert_int_equal(kh_sqlite_reindex(text, &diag), -1);
    assert_int_equal(diag.errors, 1);
    free(text);
    free(plain);
    free(wrong);
}

static void test_bad_requests_are_refused(void **state)
{
    static const struct { const char *path, *query; int status; } cases[] = {
        {"nothing", NULL, 404}, {"event/abc", NULL, 400}, {"event/99999999", NULL, 404},
        {"event/1", "x=1", 400}, {"summary", "actor=IRN'--", 400}, {"summary", "from=2011-02-30", 400},
        {"summary", "quad=9", 400}, {"summary", "quad", 400}, {"events", "page_size=100000", 400},
        {"events", "sort=x", 400}, {"summary", "bogus=1", 400}, {"summary", "q=a&q=b", 400},
        {"network", "limit=0", 400}, {"map", "limit=10001", 400}, {"dyad", "a=IRN", 400},
        /* q's syntax (docs/serve.md): FTS5 never sees what it would refuse */
        {"events", "q=\"peace", 400}, {"events", "q=*", 400}, {"events", "q=nu*clear", 400},
        {"events", "q=--", 400}, {"summary", "source=irn", 400}, {"summary", "target_country=IR", 400},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        json_t *b;
        int status = api(cases[i].path, cases[i].query, &b);
        if (status != cases[i].status)
            fail_msg("%s?%s: %d", cases[i].path, cases[i].query ? cases[i].query : "", status);
        assert_true(json_is_string(json_object_get(b, "error")));
        json_decref(b);
    }
}

/* One HTTP/1.0 GET; the status line's code, or -1. */
static int http_get(unsigned port, const char *path)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    char *req = kh_xasprintf("GET %s HTTP/1.0\r\n\r\n", path);
    ssize_t sent = write(fd, req, strlen(req));
    free(req);
    char head[64] = "";
    size_t got = 0;
    ssize_t n;
    while (sent > 0 && got < sizeof head - 1 && (n = read(fd, head + got, sizeof head - 1 - got)) > 0)
        got += (size_t)n;
    char rest[4096];
    while (read(fd, rest, sizeof rest) > 0)
        ;
    close(fd);
    int code;
    return sscanf(head, "HTTP/1.%*d %d", &code) == 1 ? code : -1;
}

typedef struct client { unsigned port; int failures; } client;

static void *run_client(void *arg)
{
    client *c = arg;
    static const char *const paths[] = {"/api/summary", "/api/network?limit=10",
        "/api/events?page_size=20", "/api/overview?bin=month", "/", "/api/event/2",
        "/api/events?q=talks", "/api/summary?actor=IRN&quad=1"};
    for (int round = 0; round < 5; round++)
        for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++)
            c->failures += http_get(c->port, paths[i]) != 200;
    return NULL;
}

static void test_server_answers_clients_at_once(void **state)
{
    kh_diag diag;
    kh_diag_init(&diag);
    kh_serve_options o = {.port = 0};
    kh_server *s = kh_serve_start(db_path, &o, &diag);
    assert_non_null(s);
    assert_true(kh_server_port(s) > 0);
    assert_non_null(strstr(kh_server_url(s), "http://127.0.0.1:"));
    enum { CLIENTS = 4 };
    pthread_t t[CLIENTS];
    client c[CLIENTS];
    for (int i = 0; i < CLIENTS; i++) {
        c[i] = (client){kh_server_port(s), 0};
        assert_int_equal(pthread_create(&t[i], NULL, run_client, &c[i]), 0);
    }
    for (int i = 0; i < CLIENTS; i++) {
        pthread_join(t[i], NULL);
        assert_int_equal(c[i].failures, 0);
    }
    assert_int_equal(http_get(kh_server_port(s), "/no/such/page"), 404);
    assert_int_equal(http_get(kh_server_port(s), "/api/summary?quad=7"), 400);
    kh_serve_stop(s);
}

static void test_start_refuses_what_it_cannot_serve(void **state)
{
    kh_diag diag;
    kh_diag_init(&diag);
    diag.quiet = 1;
    char *text = kh_xasprintf("%s/not.db", tmp_dir);
    test_write_file(text, "not a database\n");
    kh_serve_options o = {.port = 0};
    assert_null(kh_serve_start(text, &o, &diag));
    o.listen = "no.such.host.invalid";
    assert_null(kh_serve_start(db_path, &o, &diag));
    assert_int_equal(diag.errors, 2);
    kh_serve_stop(NULL);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_endpoints_answer),
        cmocka_unit_test(test_bad_requests_are_refused),
        cmocka_unit_test(test_q_is_words),
        cmocka_unit_test(test_rollups_and_reindex),
        cmocka_unit_test(test_server_answers_clients_at_once),
        cmocka_unit_test(test_start_refuses_what_it_cannot_serve),
    };
    return cmocka_run_group_tests(tests, make_db, remove_db);
}
