/* serve.c -- the HTTP side of `khaldun serve` (kh_serve_start, khaldun.h;
 * the endpoints: docs/serve.md): listening, routing, the request limits,
 * the page's files and the database connections.
 *
 * libmicrohttpd runs the server on a pool of SERVE_THREADS threads, each
 * polling its share of the connections.  Every thread answers one request
 * at a time, so a pool of as many read-only database connections (db.h:
 * SQLite or PostgreSQL) means a request never waits for a connection and
 * no connection is shared at once (neither SQLite's nor libpq's are to
 * be used by two threads together).
 * A connection is taken from the pool for the request and put back,
 * rather than tied to a thread, because libmicrohttpd does not say which
 * of its threads calls. */
#include "khaldun.h"
#include "serve.h"
#include "util.h"
#include "web_assets.h"

#include <microhttpd.h>
#include <netdb.h>
#include <arpa/inet.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* Threads answering requests.  Queries are CPU-bound and the machine has
 * few cores; four let the page's several parallel requests (summary,
 * overview, network at once) run together, and a slow one not hold up
 * the rest. */
#define SERVE_THREADS 4
/* Open connections at once: a browser opens about six per site; this is
 * room for a few analysts, and bounds the memory of the idle ones. */
#define SERVE_MAX_CONNECTIONS 64
/* An idle connection is closed after this many seconds. */
#define SERVE_IDLE_SECONDS 30
/* A request's path and query string together: every filter at its
 * longest is under 1 KB; longer is refused with 414. */
#define SERVE_MAX_URI_BYTES 8192
/* Per-connection memory for the request line and headers: a request
 * that does not fit (a 100 KB URI) is refused by libmicrohttpd with 414
 * or 431 before it reaches us. */
#define SERVE_CONNECTION_MEMORY (32 * 1024)
/* Query parameters in one request: each filter once and the endpoint's
 * own are fewer than twenty. */
#define SERVE_MAX_PARAMS 32
/* One read-only connection (db.h), and whether a request holds it. */
typedef struct serve_conn {
    kh_db *db;
    int busy;
} serve_conn;

struct kh_server {
    struct MHD_Daemon *daemon;
    serve_conn conns[SERVE_THREADS];
    pthread_mutex_t lock;
    pthread_cond_t freed;
    long query_ms;
    unsigned port;
    char *url;
};

/* ------------------------------------------------------------ database */

/* Takes a free connection and starts its request's clock. */
static serve_conn *take_conn(kh_server *s)
{
    pthread_mutex_lock(&s->lock);
    serve_conn *c = NULL;
    while (!c) {
        for (int i = 0; i < SERVE_THREADS && !c; i++)
            if (!s->conns[i].busy)
                c = &s->conns[i];
        if (!c)
            pthread_cond_wait(&s->freed, &s->lock);
    }
    c->busy = 1;
    pthread_mutex_unlock(&s->lock);
    kh_db_start_request(c->db);
    return c;
}

static void give_conn(kh_server *s, serve_conn *c)
{
    pthread_mutex_lock(&s->lock);
    c->busy = 0;
    pthread_cond_signal(&s->freed);
    pthread_mutex_unlock(&s->lock);
}

/* ------------------------------------------------------------ responses */

static enum MHD_Result send_bytes(struct MHD_Connection *c, int status, const char *type,
                                  void *data, size_t len, enum MHD_ResponseMemoryMode mode)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(len, data, mode);
    if (!r)
        return MHD_NO;
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    /* the browser must not guess another type for an answer */
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
        MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
    enum MHD_Result ok = MHD_queue_response(c, (unsigned)status, r);
    MHD_destroy_response(r);
    return ok;
}

static enum MHD_Result send_reply(struct MHD_Connection *c, kh_serve_reply *reply)
{
    return send_bytes(c, reply->status, "application/json; charset=utf-8", reply->body,
                      reply->len, MHD_RESPMEM_MUST_FREE);
}

static enum MHD_Result send_error(struct MHD_Connection *c, int status, const char *message)
{
    kh_serve_reply reply = {0};
    kh_serve_error(&reply, status, "%s", message);
    return send_reply(c, &reply);
}

/* ------------------------------------------------------------ requests */

typedef struct param_list {
    kh_serve_param items[SERVE_MAX_PARAMS];
    size_t count, bytes;
    int too_many, bad_name;
} param_list;

static enum MHD_Result collect_param(void *cls, enum MHD_ValueKind kind, const char *key,
                                     size_t key_size, const char *value, size_t value_size)
{
    param_list *p = cls;
    p->bytes += key_size + value_size + 2;
    if (strlen(key) != key_size)
        p->bad_name = 1;               /* a %00 in a name */
    if (p->count == SERVE_MAX_PARAMS) {
        p->too_many = 1;
        return MHD_YES;                /* keep counting the bytes */
    }
    p->items[p->count++] = (kh_serve_param){key, value, value ? value_size : 0};
    return MHD_YES;
}

static enum MHD_Result answer_api(kh_server *s, struct MHD_Connection *c, const char *endpoint)
{
    param_list p = {0};
    MHD_get_connection_values_n(c, MHD_GET_ARGUMENT_KIND, collect_param, &p);
    if (strlen(endpoint) + p.bytes > SERVE_MAX_URI_BYTES)
        return send_error(c, MHD_HTTP_URI_TOO_LONG, "the request's URI is too long");
    if (p.too_many || p.bad_name)
        return send_error(c, MHD_HTTP_BAD_REQUEST,
                          p.too_many ? "too many parameters" : "a parameter's name holds a NUL");
    kh_serve_reply reply = {0};
    serve_conn *conn = take_conn(s);
    kh_serve_api(conn->db, endpoint, p.items, p.count, &reply);
    give_conn(s, conn);
    return send_reply(c, &reply);
}

/* The page's file at url ("/" is index.html), or NULL. */
static const kh_web_asset *find_asset(const char *url)
{
    const char *path = url[1] ? url + 1 : "index.html";
    for (size_t i = 0; i < kh_web_asset_count; i++)
        if (!strcmp(kh_web_assets[i].path, path))
            return &kh_web_assets[i];
    return NULL;
}

static enum MHD_Result answer(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version, const char *upload,
                              size_t *upload_size, void **request)
{
    kh_server *s = cls;
    if (strcmp(method, MHD_HTTP_METHOD_GET) && strcmp(method, MHD_HTTP_METHOD_HEAD))
        return send_error(c, MHD_HTTP_METHOD_NOT_ALLOWED, "only GET and HEAD are answered");
    if (strlen(url) > SERVE_MAX_URI_BYTES)
        return send_error(c, MHD_HTTP_URI_TOO_LONG, "the request's URI is too long");
    if (!strncmp(url, "/api/", 5))
        return answer_api(s, c, url + 5);
    const kh_web_asset *a = url[0] == '/' ? find_asset(url) : NULL;
    if (!a)
        return send_error(c, MHD_HTTP_NOT_FOUND, "no such page");
    return send_bytes(c, MHD_HTTP_OK, a->content_type, (void *)a->data, a->len,
                      MHD_RESPMEM_PERSISTENT);
}

/* ------------------------------------------------------------ listening */

/* Resolves the address to listen on into *addr; -1 after reporting. */
static int resolve(const char *host, unsigned port, struct sockaddr_storage *addr, kh_diag *diag)
{
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
                             .ai_flags = AI_PASSIVE}, *res = NULL;
    int rc = getaddrinfo(host, NULL, &hints, &res);
    if (rc != 0 || !res || res->ai_addrlen > sizeof *addr) {
        kh_diag_report(diag, KH_ERROR, NULL, 0, "serve: cannot listen on '%s': %s", host,
                       rc ? gai_strerror(rc) : "no address");
        if (res)
            freeaddrinfo(res);
        return -1;
    }
    memcpy(addr, res->ai_addr, res->ai_addrlen);
    freeaddrinfo(res);
    if (addr->ss_family == AF_INET6)
        ((struct sockaddr_in6 *)addr)->sin6_port = htons((uint16_t)port);
    else
        ((struct sockaddr_in *)addr)->sin_port = htons((uint16_t)port);
    return 0;
}

static char *url_of(const struct sockaddr_storage *addr, unsigned port)
{
    char host[INET6_ADDRSTRLEN] = "";
    int v6 = addr->ss_family == AF_INET6;
    inet_ntop(addr->ss_family,
              v6 ? (const void *)&((const struct sockaddr_in6 *)addr)->sin6_addr
                 : (const void *)&((const struct sockaddr_in *)addr)->sin_addr,
              host, sizeof host);
    return kh_xasprintf(v6 ? "http://[%s]:%u/" : "http://%s:%u/", host, port);
}

/* Opens the pool's connections; -1 after reporting. */
static int open_pool(kh_server *s, const char *db_path, kh_diag *diag)
{
    for (int i = 0; i < SERVE_THREADS; i++) {
        s->conns[i].db = kh_db_open(db_path, s->query_ms, diag);
        if (!s->conns[i].db)
            return -1;
    }
    return 0;
}

kh_server *kh_serve_start(const char *db_path, const kh_serve_options *opts, kh_diag *diag)
{
    kh_serve_options none = {0};
    if (!opts)
        opts = &none;
    struct sockaddr_storage addr;
    const char *host = opts->listen ? opts->listen : "127.0.0.1";
    if (opts->port > 65535) {
        kh_diag_report(diag, KH_ERROR, NULL, 0, "serve: port %u is not a TCP port", opts->port);
        return NULL;
    }
    if (resolve(host, opts->port, &addr, diag) != 0)
        return NULL;
    kh_server *s = kh_xcalloc(1, sizeof *s);
    pthread_mutex_init(&s->lock, NULL);
    pthread_cond_init(&s->freed, NULL);
    s->query_ms = opts->query_ms > 0 ? opts->query_ms : KH_SERVE_QUERY_MS;
    if (open_pool(s, db_path, diag) != 0) {
        kh_serve_stop(s);
        return NULL;
    }
    /* no MHD_USE_ERROR_LOG: it prints a line for every refused request */
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD |
                     (addr.ss_family == AF_INET6 ? MHD_USE_IPv6 : 0);
    s->daemon = MHD_start_daemon(flags, (uint16_t)opts->port, NULL, NULL, answer, s,
                                 MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
                                 MHD_OPTION_THREAD_POOL_SIZE, (unsigned)SERVE_THREADS,
                                 MHD_OPTION_CONNECTION_LIMIT, (unsigned)SERVE_MAX_CONNECTIONS,
                                 MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)SERVE_IDLE_SECONDS,
                                 MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)SERVE_CONNECTION_MEMORY,
                                 MHD_OPTION_END);
    const union MHD_DaemonInfo *info =
        s->daemon ? MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT) : NULL;
    if (!info) {
        kh_diag_report(diag, KH_ERROR, NULL, 0, "serve: cannot listen on %s port %u"
                       " (in use, or not an address of this machine)", host, opts->port);
        kh_serve_stop(s);
        return NULL;
    }
    s->port = info->port;
    s->url = url_of(&addr, s->port);
    return s;
}

unsigned kh_server_port(const kh_server *s) { return s->port; }

const char *kh_server_url(const kh_server *s) { return s->url; }

void kh_serve_stop(kh_server *s)
{
    if (!s)
        return;
    if (s->daemon)
        MHD_stop_daemon(s->daemon);
    for (int i = 0; i < SERVE_THREADS; i++)
        kh_db_close(s->conns[i].db);
    pthread_cond_destroy(&s->freed);
    pthread_mutex_destroy(&s->lock);
    free(s->url);
    free(s);
}
