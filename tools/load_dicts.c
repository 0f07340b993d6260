/* load_dicts.c -- loads dictionary files with the readers and prints what
 * each file was read as, counts, rejected lines and the time taken.
 *
 *     load_dicts [-v] KIND:FILE ...      (KIND: verbs actors agents ...)
 *
 * -v prints every diagnostic; otherwise only the TOP_REASONS most frequent
 * reasons (a message up to its first colon, quote or bracket). */
#include "dict_read.h"
#include "strmap.h"
#include "util.h"
#include "vec.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#define TOP_REASONS 8   /* distinct messages to summarise */

typedef struct reason { char *text; long count; } reason;

typedef struct reasons {
    KH_VEC(reason) items;
    kh_strmap index;    /* text -> position in items */
    int verbose;
} reasons;

static void sink(void *ctx, kh_severity sev, const char *file, long line, const char *msg)
{
    reasons *r = ctx;
    if (r->verbose)
        fprintf(stderr, "khaldun: %s:%ld: %s\n", file, line, msg);
    char *key = kh_xasprintf("%s%.*s", sev == KH_ERROR ? "error: " : "warning: ",
                             (int)strcspn(msg, ":'["), msg);
    int i = kh_strmap_get(&r->index, key, strlen(key));
    if (i >= 0) {
        r->items.items[i].count++;
        free(key);
        return;
    }
    *KH_VEC_PUSH(&r->items) = (reason){key, 1};
    kh_strmap_put(&r->index, key, (int)r->items.count - 1);
}

static void reasons_free(reasons *r)
{
    for (size_t i = 0; i < r->items.count; i++)
        free(r->items.items[i].text);
    KH_VEC_FREE(&r->items);
    kh_strmap_free(&r->index);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    reasons rs = {0};
    kh_strmap_init(&rs.index);
    kh_diag diag;
    kh_diag_init(&diag);
    diag.sink = sink;
    diag.ctx = &rs;
    kh_dict *dict = kh_dict_new();
    double total = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-v") == 0) { rs.verbose = 1; continue; }
        char *colon = strchr(argv[i], ':');
        if (!colon) { fprintf(stderr, "usage: load_dicts [-v] KIND:FILE ...\n"); return 2; }
        *colon = 0;
        int kind = kh_dict_kind_parse(argv[i]);
        size_t len;
        char *text = kh_file_read(colon + 1, &len);
        if (kind < 0 || !text) { fprintf(stderr, "cannot read %s\n", colon + 1); return 2; }
        const char *name = colon + 1;
        kh_dict_read_stats st;
        double t0 = now();
        int rc;
        switch (kind) {
        case KH_DICT_VERBS: rc = kh_dict_read_verbs(dict, name, text, len, &diag, &st); break;
        case KH_DICT_ACTORS: rc = kh_dict_read_actors(dict, name, text, len, &diag, &st); break;
        case KH_DICT_AGENTS: rc = kh_dict_read_agents(dict, name, text, len, &diag, &st); break;
        case KH_DICT_DISCARDS: rc = kh_dict_read_discards(dict, name, text, len, &diag, &st); break;
        default: rc = kh_dict_read_issues(dict, name, text, len, &diag, &st); break;
        }
        double dt = now() - t0;
        total += dt;
        printf("%-10s %-12s lines %6ld  entries %6ld  rejected %4ld  skipped %4ld  %6.1f ms  rc %d  %s\n",
               argv[i], kh_syntax_name(st.syntax), st.lines, st.entries, st.rejected,
               st.skipped, dt * 1e3, rc, strrchr(name, '/') ? strrchr(name, '/') + 1 : name);
        free(text);
    }
    kh_dict_stats s;
    kh_dict_get_stats(dict, &s);
    printf("total: actors %zu agents %zu verbs %zu patterns %zu synsets %zu discards %zu issues %zu; "
           "%ld errors, %ld warnings; %.1f ms reading\n",
           s.actors, s.agents, s.verbs, s.patterns, s.synsets, s.discards, s.issues,
           diag.errors, diag.warnings, total * 1e3);
    for (int k = 0; k < TOP_REASONS; k++) {
        int best = -1;
        for (int i = 0; i < (int)rs.items.count; i++)
            if (rs.items.items[i].count &&
                (best < 0 || rs.items.items[i].count > rs.items.items[best].count))
                best = i;
        if (best < 0) break;
        printf("  %5ld  %s\n", rs.items.items[best].count, rs.items.items[best].text);
        rs.items.items[best].count = 0;
    }
    reasons_free(&rs);
    kh_dict_free(dict);
    return 0;
}
