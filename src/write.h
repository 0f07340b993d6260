/*
 * write.h -- the writers' per-sentence entry points, for the tests of the
 * backends.  Callers write coded documents with kh_writer_write
 * (khaldun.h), which calls these.
 *
 * write.c is the dispatcher: it picks a backend (write_json.c, write_tsv.c,
 * write_sqlite.c, write_gdelt.c, listed in write_backends.h) from a table
 * and calls it through kh_writer_ops.  What the backends share is in
 * write_fields.h; they never call back into write.c.
 */
#ifndef KH_WRITE_H
#define KH_WRITE_H

#include "khaldun.h"

/* Starts a document.  SQLite records every document, even one with no
 * sentences or events, so a run's coverage can be counted; text formats
 * ignore this.  kh_writer_add calls it itself when `doc` has a different id
 * (or text) from the current document, so calling it is optional. */
int kh_writer_add_doc(kh_writer *w, const kh_doc *doc);

/* Writes the events of one sentence (through the duplicate stage, which
 * writes them once their document is final).  `sent_no` counts from 1;
 * `sentence_offset` is the byte offset of the sentence in doc->text; event
 * spans are relative to `sentence`.  A sentence with no events is still
 * recorded by SQLite.  Returns 0, or -1 on a write error (reported). */
int kh_writer_add(kh_writer *w, const kh_doc *doc, int sent_no,
                  const char *sentence, size_t sentence_len,
                  long sentence_offset, const kh_events *events);

#endif
