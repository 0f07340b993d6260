/* dict_read.c -- PLACEHOLDER readers; replaced by the real readers. */
#include "dict.h"
int kh_read_verbs(kh_dict *d, const char *n, const char *t, size_t l, kh_diag *g) { return 0; }
int kh_read_actors(kh_dict *d, const char *n, const char *t, size_t l, kh_diag *g) { return 0; }
int kh_read_agents(kh_dict *d, const char *n, const char *t, size_t l, kh_diag *g) { return 0; }
int kh_read_discards(kh_dict *d, const char *n, const char *t, size_t l, kh_diag *g) { return 0; }
int kh_read_issues(kh_dict *d, const char *n, const char *t, size_t l, kh_diag *g) { return 0; }
