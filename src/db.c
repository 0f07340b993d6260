/* db.c -- kh_db_open (db.h): the one place that chooses a backend. */
#include "db.h"

kh_db *kh_db_open(const char *target, long query_ms, kh_diag *diag)
{
    return kh_db_is_postgres(target) ? kh_db_open_postgres(target, query_ms, diag)
                                     : kh_db_open_sqlite(target, query_ms, diag);
}
