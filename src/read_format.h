/*
 * read_format.h -- between the reader core (read.c) and the format
 * backends (read_text.c, read_html.c, read_jsonl.c, read_petrarch.c,
 * read_tabari.c); not for callers, who use khaldun.h.
 *
 * The core finds the inputs, undoes compression, rejects empty and binary
 * ones, normalises the text and picks a backend.  A backend turns one
 * input into documents, either all at once (start pushes them with
 * kh_read_push_doc) or one per call (next).  It sees the input through a
 * kh_read_input and reaches the reader only through the helpers below, so
 * that counting, reporting and the document conventions live in one place.
 */
#ifndef KH_READ_FORMAT_H
#define KH_READ_FORMAT_H

#include "khaldun.h"
#include "normalize.h"

#include <stddef.h>

/* Format and binary detection look at this much of the start of a file;
 * PETRARCH files can have a long <Environment> header before <Sentences>. */
#define KH_SNIFF_BYTES 65536

/* One input, normalised (valid NFC UTF-8, LF line ends, NUL-terminated). */
typedef struct kh_read_input {
    kh_reader *reader;   /* for the helpers below; opaque to backends */
    const char *name;    /* its path, "-" or the buffer's name */
    const char *data;
    size_t len;
    size_t pos;          /* streaming backends: where to go on reading */
    long line;           /* the line number at pos, from 1 */
    void *state;         /* the backend's, freed by its close */
} kh_read_input;

typedef struct kh_read_backend {
    kh_read_format format;
    /* The format's name first, then other names --format accepts. */
    const char *const *names;
    /* Whether an input is in this format: d[0, n) is the input from its
     * first non-blank byte, of which a sniffer reads no more than it needs
     * (at most KH_SNIFF_BYTES).  NULL: never recognised from the content. */
    int (*sniff)(const char *d, size_t n);
    /* File name extensions that mean this format when the content does
     * not say (NULL-terminated; NULL for none). */
    const char *const *extensions;
    /* Reads the whole input (pushing its documents), or prepares to
     * stream it (setting in->state). */
    void (*start)(kh_read_input *in);
    /* Streaming: stores the next document in *out (empty) and returns 1;
     * 0 at the end.  NULL when start pushes every document. */
    int (*next)(kh_read_input *in, kh_doc *out);
    /* Frees in->state; NULL when there is none. */
    void (*close)(kh_read_input *in);
} kh_read_backend;

extern const kh_read_backend kh_read_text;
extern const kh_read_backend kh_read_html;
extern const kh_read_backend kh_read_jsonl;
extern const kh_read_backend kh_read_petrarch;
extern const kh_read_backend kh_read_tabari;

/* ---- helpers the core gives backends ---- */

/* What made a backend skip something, for the statistics (read.h). */
typedef enum kh_read_problem {
    KH_READ_EMPTY,        /* a document with no text */
    KH_READ_MALFORMED,    /* bad JSON line, bad record, bad XML */
    KH_READ_NO_ARTICLE    /* HTML page with no article text */
} kh_read_problem;

/* Reports "NAME:LINE: message" as an error and counts it as skipped. */
void kh_read_skip(kh_read_input *in, kh_read_problem problem, long line,
                  const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* Reports a warning: something in the input is ignored, nothing skipped. */
void kh_read_warn(kh_read_input *in, long line, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Sets d->text from text[0, len): normalised and trimmed; with `flatten`
 * line breaks become spaces (records that are one sentence, hard-wrapped).
 * Returns 0, setting nothing, when no text remains. */
int kh_read_set_text(kh_read_input *in, kh_doc *d, const char *text,
                     size_t len, int flatten);

/* A metadata string (title, id, ...) as valid one-line UTF-8 with single
 * spaces; NULL when it is blank. */
char *kh_read_clean_field(kh_read_input *in, const char *s, size_t len);

/* Appends key = value (both copied) to d->meta. */
void kh_read_meta_add(kh_doc *d, const char *key, const char *value);

/* Gives d what every document has: an id (the file name when it has
 * none), the path, and a date (opts->date when it has none, and then,
 * with date_from_text, the first date in the text). */
void kh_read_finish_doc(kh_read_input *in, kh_doc *d, int date_from_text);

/* Queues a finished document to be returned; *d is left empty. */
void kh_read_push_doc(kh_read_input *in, kh_doc *d);

/* The next line at in->pos: sets *s and *n (without the LF), advances
 * pos and line.  Returns 0 at the end of the input. */
int kh_read_next_line(kh_read_input *in, const char **s, size_t *n);

/* ---- small text helpers shared by the backends ---- */

/* A growing NUL-terminated byte string. */
typedef struct kh_read_buffer {
    char *data;
    size_t len, cap;
} kh_read_buffer;

void kh_read_buffer_room(kh_read_buffer *b, size_t need);
void kh_read_buffer_add(kh_read_buffer *b, const char *s, size_t n);

/* Whether d[0, n) is only blanks and line breaks. */
int kh_read_only_space(const char *d, size_t n);

/* Whether d[0, n) contains needle, ASCII case-insensitively. */
int kh_read_contains_ci(const char *d, size_t n, const char *needle);

/* The file name part of a path. */
const char *kh_read_base_name(const char *path);

#endif
