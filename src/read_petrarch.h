/*
 * read_petrarch.h -- what the PETRARCH reader (read_petrarch.c) offers
 * beyond its documents: the <Environment> of a validation file, for
 * validate.c.
 */
#ifndef KH_READ_PETRARCH_H
#define KH_READ_PETRARCH_H

#include "khaldun.h"

/* The dictionaries the <Environment> of the PETRARCH validation file at
 * `path` names, as env->meta in file order: key = the kind ("verbs",
 * "actors", "agents", "discards", "issues": kh_dict_kind_parse),
 * value = the file name as written, trimmed.  env must be empty and is
 * freed with kh_doc_clear.  Returns 0, or -1 when the file cannot be read
 * as XML (the caller reports it). */
int kh_petrarch_environment(const char *path, kh_doc *env);

#endif
