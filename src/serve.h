/*
 * serve.h -- between the HTTP side of `khaldun serve` (serve.c: listening,
 * routing, limits, the page's files) and its queries (serve_query.c: the
 * /api/ endpoints of docs/serve.md, their parameters and SQL).
 *
 * serve.c hands over a request already split into its endpoint and its
 * decoded query parameters, with a database connection it owns; the
 * query side answers with a status and a JSON body.
 */
#ifndef KH_SERVE_H
#define KH_SERVE_H

#include "db.h"

#include <stddef.h>

/* One decoded query parameter: `value` may hold NUL bytes (%00), so its
 * length is given; it is NULL for a bare "?name". */
typedef struct kh_serve_param {
    const char *name, *value;
    size_t len;
} kh_serve_param;

/* An answer: an HTTP status and a JSON body (malloc'd, owned by the
 * caller, never NULL). */
typedef struct kh_serve_reply {
    int status;
    char *body;
    size_t len;
} kh_serve_reply;

/* Answers GET /api/ENDPOINT?PARAMS (endpoint without "/api/": "summary",
 * "event/17") from `db`.  Every outcome is a reply: 400 for a bad
 * parameter, 404 for an unknown endpoint or id, 503 when a query was
 * interrupted (the request's time budget ran out), 500
 * for another database error. */
void kh_serve_api(kh_db *db, const char *endpoint, const kh_serve_param *params,
                  size_t nparams, kh_serve_reply *out);

/* Sets *out to {"error": message} with `status`. */
void kh_serve_error(kh_serve_reply *out, int status, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

#endif
