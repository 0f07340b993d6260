/*
 * write_table.h -- the event table's rows, shared by the TSV backend that
 * builds them (write_tsv.c) and the CSV backend that re-encodes them
 * (write_csv.c), so the two tables always have the same columns.
 */
#ifndef KH_WRITE_TABLE_H
#define KH_WRITE_TABLE_H

#include "write_fields.h"

/* The header line, tab-separated, ending in a newline. */
void kh_tsv_put_header(kh_buf *out);

/* One event's line, tab-separated, ending in a newline, with the text
 * fields backslash-escaped (\t \n \r \0 \\) and not yet quoted: no raw
 * tab or newline is inside a field. */
void kh_tsv_put_event(kh_buf *out, const kh_write_item *it, const kh_event *e);

/* A table backend's encoder: appends the TSV-escaped lines lines[0, len)
 * to `out` in its own format. */
typedef void (*kh_table_encoder)(kh_buf *out, const char *lines, size_t len);

/* Opens w as a table (header first) whose lines `encode` writes; the
 * open function of the TSV and CSV backends.  0, or -1 (reported). */
int kh_table_open(kh_writer *w, kh_table_encoder encode);

#endif
