/*
 * write_backends.h -- the output backends, one descriptor per write_*.c
 * file (write_json.c, write_tsv.c, write_csv.c, write_sqlite.c, write_gdelt.c,
 * write_conllu.c, write_postgres.c).
 *
 * Each backend names itself: its --format names, the path endings that
 * ask for it, and its open function.  write.c's table maps kh_format to
 * these; adding a format is one descriptor here and one table row there.
 */
#ifndef KH_WRITE_BACKENDS_H
#define KH_WRITE_BACKENDS_H

#include "write_fields.h"

extern const kh_write_backend kh_write_backend_jsonl;
extern const kh_write_backend kh_write_backend_tsv;
extern const kh_write_backend kh_write_backend_csv;
extern const kh_write_backend kh_write_backend_sqlite;
extern const kh_write_backend kh_write_backend_gdelt;
extern const kh_write_backend kh_write_backend_conllu;
extern const kh_write_backend kh_write_backend_postgres;

#endif
