/*
 * write.h -- the output stage: coded events to JSON lines, TSV, SQLite or
 * GDELT 2.0 tables.
 *
 *     kh_writer *w = kh_writer_open("events.jsonl", KH_OUTPUT_JSONL, &diag);
 *     for each document:
 *         kh_writer_add_doc(w, &doc);                  // optional, see below
 *         for each sentence:
 *             kh_writer_add(w, &doc, n, text, len, offset, &events);
 *     if (kh_writer_close(w) != 0) ... the output is not complete
 *
 * Crash safety.  File outputs are written to a temporary file in the same
 * directory ("PATH.tmp-PID-N") and renamed over PATH by kh_writer_close, so
 * a run that dies never leaves a half-written file under the final name.
 * Standard output ("-") is written directly and flushed on close.  SQLite
 * output commits in batches (see write_sqlite.c); an interrupted run keeps
 * every committed batch and re-running the same input adds no duplicates.
 *
 * The output fields and the SQLite schema are documented in docs/schema.md.
 * Errors are reported through the kh_diag as "khaldun: PATH: what failed".
 * A writer belongs to one thread at a time; worker threads hand their
 * events to the one thread that writes, in document order.
 *
 * write.c is the dispatcher: it picks a backend (write_json.c, write_tsv.c,
 * write_sqlite.c, write_gdelt.c, listed in write_backends.h) from a table
 * and calls it through kh_writer_ops.  What the backends share is in
 * write_fields.h; they never call back into write.c.
 */
#ifndef KH_WRITE_H
#define KH_WRITE_H

#include "khaldun.h"

typedef enum {
    KH_OUTPUT_JSONL,
    KH_OUTPUT_TSV,
    KH_OUTPUT_SQLITE,
    KH_OUTPUT_GDELT   /* PATH: 61-column events; PATH.mentions: 16 columns */
} kh_format;

typedef struct kh_writer kh_writer;

/* Parses "jsonl" (or "json"), "tsv", "sqlite" or "gdelt"; -1 if none. */
int kh_format_parse(const char *name);

/* The format a path asks for: SQLite when it ends in ".db", ".sqlite" or
 * ".sqlite3", otherwise `fallback`.  Lets `-o events.db` just work. */
kh_format kh_format_for_path(const char *path, kh_format fallback);

/* Opens an output.  `path` "-" is standard output (not for SQLite).  Returns
 * NULL after reporting through `diag` when the output cannot be created. */
kh_writer *kh_writer_open(const char *path, kh_format fmt, kh_diag *diag);

/* Sets the duplicate window (dedup.h) of the outputs that merge repeated
 * reports: GDELT (one row per merged event) and SQLite (the mentions
 * table).  Default KH_DEDUP_DEFAULT_WINDOW; call before the first add. */
void kh_writer_set_dedup_window(kh_writer *w, int days);

/* Starts a document.  SQLite records every document, even one with no
 * sentences or events, so a run's coverage can be counted; text formats
 * ignore this.  kh_writer_add calls it itself when `doc` has a different id
 * (or text) from the current document, so calling it is optional. */
int kh_writer_add_doc(kh_writer *w, const kh_doc *doc);

/* Writes the events of one sentence.  `sent_no` counts from 1;
 * `sentence_offset` is the byte offset of the sentence in doc->text; event
 * spans are relative to `sentence`.  A sentence with no events is still
 * recorded by SQLite.  Returns 0, or -1 on a write error (reported). */
int kh_writer_add(kh_writer *w, const kh_doc *doc, int sent_no,
                  const char *sentence, size_t sentence_len,
                  long sentence_offset, const kh_events *events);

/* Writes a coded document (kh_pipeline_code): starts it, then writes each
 * of its sentences with their events.  Returns 0, or -1 on a write error
 * (reported); the writer then fails on close. */
int kh_writer_write(kh_writer *w, const kh_doc *doc, const kh_coded_doc *coded);

/* Finishes the output (commit, rename) and frees the writer.  Returns -1 if
 * any write failed at any point; the output is then not complete (and a
 * file output is removed rather than left under its final name). */
int kh_writer_close(kh_writer *w);

#endif
