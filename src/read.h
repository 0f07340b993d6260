/*
 * read.h -- the input readers: files, directories or standard input in, one
 * kh_doc (khaldun.h) at a time out.
 *
 *     kh_read_options opts = {0};            // auto-detect, no default date
 *     kh_reader *r = kh_reader_open("corpus/", &opts, &diag);
 *     kh_doc doc = {0};
 *     while (kh_reader_next(r, &doc)) {
 *         ... use doc ...
 *         kh_doc_clear(&doc);
 *     }
 *     kh_reader_stats(r, &stats);
 *     kh_reader_close(r);
 *
 * Inputs: a file, a directory (walked recursively, names sorted, dot files
 * skipped), or "-" for standard input.  Gzip and zstd compression is
 * recognised by its magic bytes and undone.  Formats, recognised from the
 * content first and the file name second (or forced by opts->format):
 *
 *   text     one article per file; id = the file name; date = opts->date or
 *            the first full date in the text (clean.h kh_find_date)
 *   html     libxml2's forgiving HTML parser; the article body is the
 *            <article>, <main>, or the element with the most paragraph
 *            text, without nav/header/footer/aside/script/style/forms and
 *            elements whose class or id says menu, share, comment, ...;
 *            title from og:title or <title>; date from
 *            article:published_time or <time datetime>
 *   jsonl    one JSON object per line: id, date, title, text, source, url;
 *            other fields kept in doc->meta; a file holding one JSON array
 *            of such objects is read too
 *   petrarch PETRARCH XML: each <Sentence date= id=> with its <Text> is a
 *            document; <Parse> is ignored; other attributes go to meta;
 *            <EventCoding> elements go to meta "expected" and
 *            "expected_other" (below), and each <Config option= value=>
 *            met since the previous document to meta "config:OPTION" =
 *            VALUE, in file order (options after the last sentence are
 *            dropped)
 *   tabari   TABARI records: a "YYMMDD ID" line (the id is the rest of
 *            the line; YY 00-30 is 2000-2030 and 31-99 is 1931-1999, as in
 *            TABARI; YYYYMMDD is read too), then text lines up to a blank
 *            line; C-style
 *            comments and TABARI's literal "\n" are not text; a block that
 *            does not start with a digit is a comment block.  The {...}
 *            groups in a record's comments go to meta: each {OPTION: ...}
 *            to "option" (the group's text, in order), {SRC / TGT / CODE}
 *            to "expected", others ({+++}, {---}, ...) to
 *            "expected_other".  An undated record (digits that are not a
 *            date) gets opts->date, or 0.
 *
 * What a validation record expects (both formats), in doc->meta:
 *   expected        "SRC TGT CODE;SRC TGT CODE" -- the events it should
 *                   code, each code without blanks ("---" when empty).
 *                   Present, perhaps "", whenever the record states any
 *                   expectation (a TABARI {...} group, a PETRARCH
 *                   <EventCoding>); absent when it states none.
 *   expected_other  the expectations that are not events, ';'-separated:
 *                   TABARI's marks as written ("+++" no events, "---"
 *                   discarded, "###"), PETRARCH's other <EventCoding>
 *                   attributes as "name=value ..." ("noevents=True",
 *                   "error=sentencediscard").
 * Records (petrarch, tabari) are flattened to one line: each is meant to
 * be one sentence, and a one-line text is never blanked by clean.c.
 *
 * Every document's text is valid UTF-8 in NFC: invalid bytes are read as
 * Windows-1252 (undefined ones become U+FFFD) and counted; NUL and other
 * control bytes become spaces; CR LF and lone CR become LF.  Valid UTF-8 is
 * never changed except by NFC.  Nothing is dropped silently: an unreadable,
 * empty, binary, truncated or malformed input is reported through the
 * kh_diag as "FILE:LINE: what is wrong" and counted in the statistics.
 *
 * read.c is the core; each format is a backend in its own read_*.c
 * (read_format.h), and normalize.c makes text valid UTF-8.
 */
#ifndef KH_READ_H
#define KH_READ_H

#include "khaldun.h"

#include <stddef.h>

typedef enum kh_read_format {
    KH_FORMAT_AUTO = 0,
    KH_FORMAT_TEXT,
    KH_FORMAT_HTML,
    KH_FORMAT_JSONL,
    KH_FORMAT_PETRARCH,
    KH_FORMAT_TABARI
} kh_read_format;

/* "text", "html", "jsonl" (or "json"), "petrarch" (or "xml"), "tabari",
 * "auto"; -1 when unknown. */
int kh_read_format_parse(const char *name);
const char *kh_read_format_name(kh_read_format format);

typedef struct kh_read_options {
    long date;              /* YYYYMMDD (--date): for documents without one */
    kh_read_format format;  /* KH_FORMAT_AUTO: recognise each file */
} kh_read_options;

typedef struct kh_read_stats {
    size_t files;            /* files (or stdin) opened */
    size_t documents;        /* documents returned */
    size_t skipped;          /* inputs or documents not returned, in all: */
    size_t unreadable;       /*   cannot open or read */
    size_t empty;            /*   empty file, or a document with no text */
    size_t binary;           /*   not text */
    size_t corrupt;          /*   truncated or broken gzip/zstd stream */
    size_t malformed;        /*   bad JSON line, bad record, bad XML */
    size_t no_article;       /*   HTML page with no article text */
    size_t bytes_repaired;   /* invalid UTF-8 sequences replaced */
    size_t controls_replaced;/* NUL and control bytes made spaces */
} kh_read_stats;

typedef struct kh_reader kh_reader;

/* Opens a file, a directory or "-".  Never returns NULL: a path that
 * cannot be read is reported and counted, and the reader yields nothing.
 * opts may be NULL (auto-detect, no date); diag may be NULL (stderr). */
kh_reader *kh_reader_open(const char *path, const kh_read_options *opts,
                          kh_diag *diag);

/* Reads documents from memory; `name` is used as the file name (ids,
 * diagnostics, format detection by extension).  For tests and fuzzing. */
kh_reader *kh_reader_open_buffer(const char *name, const char *data,
                                 size_t len, const kh_read_options *opts,
                                 kh_diag *diag);

/* Stores the next document in *out (which must be empty: zeroed or
 * kh_doc_clear'ed) and returns 1; returns 0 at the end. */
int kh_reader_next(kh_reader *r, kh_doc *out);

void kh_reader_stats(const kh_reader *r, kh_read_stats *stats);

/* The format of the input the last document came from (KH_FORMAT_AUTO
 * before the first).  Callers code a PETRARCH or TABARI record as one
 * sentence, the way those programs do, rather than segmenting it. */
kh_read_format kh_reader_format(const kh_reader *r);
void kh_reader_close(kh_reader *r);

/* Makes text valid NFC UTF-8 as described above.  Returns a new
 * NUL-terminated buffer (length in *out_len) and adds to the counters when
 * they are not NULL. */
char *kh_text_normalize(const char *text, size_t len, size_t *out_len,
                        size_t *repaired, size_t *controls);

/* The dictionaries the <Environment> of the PETRARCH validation file at
 * `path` names, as env->meta in file order: key = the kind ("verbs",
 * "actors", "agents", "discards", "issues": kh_dict_kind_parse),
 * value = the file name as written, trimmed.  env must be empty and is
 * freed with kh_doc_clear.  Returns 0, or -1 when the file cannot be read
 * as XML (the caller reports it). */
int kh_petrarch_environment(const char *path, kh_doc *env);

/* "1995-01-01", "1995-01-01T10:00:00Z", "19950101", "1995/01/01" ->
 * 19950101; 0 when not a date. */
long kh_parse_date(const char *s);

#endif
