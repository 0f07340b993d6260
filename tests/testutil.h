/* testutil.h -- shared by the cmocka test programs. */
#ifndef KH_TESTUTIL_H
#define KH_TESTUTIL_H
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "khaldun.h"
#include "util.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

/* A frozen dictionary from inline actors, agents and verbs texts, named
 * t.actors, t.agents and t.verbs in provenance; fails the test on any
 * load error.  The caller frees it with kh_dict_free. */
static inline kh_dict *test_dict(const char *actors, const char *agents, const char *verbs)
{
    kh_diag d;
    kh_diag_init(&d);
    kh_dict *dict = kh_dict_new();
    kh_dict_load_buffer(dict, KH_DICT_ACTORS, "t.actors", actors, strlen(actors), &d);
    kh_dict_load_buffer(dict, KH_DICT_AGENTS, "t.agents", agents, strlen(agents), &d);
    kh_dict_load_buffer(dict, KH_DICT_VERBS, "t.verbs", verbs, strlen(verbs), &d);
    assert_int_equal(d.errors, 0);
    kh_dict_freeze(dict);
    return dict;
}

/* The built-in dictionaries, frozen; NULL if they did not load.  The
 * caller frees it with kh_dict_free. */
static inline kh_dict *test_default_dict(void)
{
    kh_diag d;
    kh_diag_init(&d);
    kh_dict *dict = kh_dict_new();
    kh_dict_load_defaults(dict, &d);
    kh_dict_freeze(dict);
    if (d.errors) {
        kh_dict_free(dict);
        return NULL;
    }
    return dict;
}

/* The events as "SRC/TGT/CODE", ";"-joined ("" for none), a trailing "!"
 * marking a negated event: the form the coding tables compare. */
static inline void test_events_text(const kh_events *ev, char *buf, size_t size)
{
    size_t n = 0;
    buf[0] = 0;
    for (size_t i = 0; i < ev->count && n < size; i++) {
        const kh_event *e = &ev->items[i];
        n += (size_t)snprintf(buf + n, size - n, "%s%s/%s/%s%s", i ? ";" : "", e->source,
                              e->target, e->code, (e->flags & KH_EVENT_NEGATED) ? "!" : "");
    }
}

/* Runs `$BUILD/khaldun ARGS` (BUILD defaults to build), its standard
 * error thrown away; its standard output is in *out (free it).  Returns
 * the exit status, -1 if it did not exit. */
static inline int test_run_khaldun(const char *args, char **out)
{
    const char *build = getenv("BUILD");
    char *cmd = kh_xasprintf("%s/khaldun %s 2>/dev/null", build && *build ? build : "build",
                             args);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t cap = 4096, len = 0, n;
    char *text = kh_xmalloc(cap);
    while ((n = fread(text + len, 1, cap - len - 1, p)) > 0)
        if ((len += n) + 1 == cap)
            text = kh_xrealloc(text, cap *= 2);
    text[len] = 0;
    int status = pclose(p);
    free(cmd);
    *out = text;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static inline void test_write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}
#endif
