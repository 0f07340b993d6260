/*
 * read_format.h -- between the reader core (read.c) and the format
 * backends (read_text.c, read_html.c, read_jsonl.c, read_petrarch.c,
 * read_tabari.c); not for callers, who use khaldun.h.
 *
 * The core finds the inputs, opens each as a stream (read_stream.c over
 * read_source.c, which undoes compression), rejects empty and binary
 * ones from their first block and picks a backend.  A backend turns one
 * input into documents, either all at once (start pushes them with
 * kh_read_push_doc) or one per call (next), pulling the input's text as
 * it goes: a line, a block or the whole at a time, each normalised as it
 * is handed out, so that memory does not grow with the input.  It sees
 * the input through a kh_read_input and reaches the reader only through
 * the helpers below, so that counting, reporting and the document
 * conventions live in one place.
 */
#ifndef KH_READ_FORMAT_H
#define KH_READ_FORMAT_H

#include "khaldun.h"
#include "normalize.h"

#include <stddef.h>

/* Format and binary detection look at this much of the start of a file;
 * PETRARCH files can have a long <Environment> header before <Sentences>. */
#define KH_SNIFF_BYTES 65536

typedef struct kh_read_stream kh_read_stream;

/* One input.  Its text, as the reading helpers below hand it out, is
 * normalised: valid NFC UTF-8, LF line ends. */
typedef struct kh_read_input {
    kh_reader *reader;   /* for the helpers below; opaque to backends */
    const char *name;    /* its path, "-" or the buffer's name */
    const char *head;    /* the input's start, normalised, as the sniffers */
    size_t head_len;     /* saw it (NUL-terminated; more may follow) */
    long line;           /* the number of the line kh_read_next_line
                            returns next, from 1 */
    void *state;         /* the backend's, freed by its close */
    kh_read_stream *stream;   /* the core's (read_stream.c) */
    long modified;       /* a file's modification date YYYYMMDD (UTC), 0
                            for standard input, pipes and devices */
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

/* The options the reader was opened with. */
const kh_read_options *kh_read_input_options(const kh_read_input *in);

/* What made a backend skip something, for the statistics (read.h). */
typedef enum kh_read_problem {
    KH_READ_EMPTY,        /* a document with no text */
    KH_READ_MALFORMED,    /* bad JSON line, bad record, bad XML, too long */
    KH_READ_NO_ARTICLE,   /* HTML page with no article text */
    KH_READ_CORRUPT,      /* broken gzip or zstd data */
    KH_READ_UNREADABLE    /* a read error */
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

/* The same for text the caller knows is normal already (as
 * kh_text_is_normal says; see kh_read_line_was_normal).  It is trimmed
 * and copied, not checked. */
int kh_read_set_normal_text(kh_read_input *in, kh_doc *d, const char *text,
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

/* The reader's statistics, for the normalising counters. */
kh_read_stats *kh_read_stats_of(kh_read_input *in);

/* ---- reading the input's text (read_stream.c) ----
 * A backend uses one of the three on an input. */

/* The next line, normalised, without its line break (LF, CR LF or CR):
 * sets *s (valid until the next call) and *n, and advances in->line.
 * Returns 0 at the end of the input.  A line longer than
 * KH_MAX_LINE_BYTES is reported and skipped; the unfinished last line of
 * a broken (truncated, corrupt) input is dropped. */
int kh_read_next_line(kh_read_input *in, const char **s, size_t *n);

/* Whether the line kh_read_next_line gave last was normal as it was read
 * (kh_text_is_normal), not a normalised copy: a piece of it between two
 * ASCII bytes is normal too. */
int kh_read_line_was_normal(const kh_read_input *in);

/* Up to cap bytes of the text, normalised, into buf: how many, 0 at the
 * end.  For parsers that pull their input (libxml2's reader). */
size_t kh_read_block(kh_read_input *in, char *buf, size_t cap);

/* The rest of the text, normalised and NUL-terminated, for inputs that
 * are one document (plain text, HTML, a JSON array): sets *s (valid until
 * the input is closed) and *n.  Returns 1, or 0 after reporting a text
 * larger than KH_MAX_DOCUMENT_BYTES or an input that broke. */
int kh_read_whole(kh_read_input *in, const char **s, size_t *n);

/* ---- the stream, for the core (read_stream.c) ---- */

struct kh_source;
kh_read_stream *kh_read_stream_new(struct kh_source *src);   /* owns src */
void kh_read_stream_free(kh_read_stream *st);
/* Reads another block; 0 at the end (a failure reported then). */
int kh_read_stream_more(kh_read_input *in);
/* The raw bytes read and not yet handed out. */
void kh_read_stream_raw(const kh_read_input *in, const char **d, size_t *n);
int kh_read_stream_ended(const kh_read_input *in);
int kh_read_stream_failed(const kh_read_input *in);
/* Whether another block can be read without waiting (see read_source.h). */
int kh_read_stream_ready(const kh_read_input *in);
/* Passes a UTF-8 byte order mark at the start. */
void kh_read_stream_drop_bom(kh_read_input *in);

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

/* The name of a document without an id of its own: its file's path
 * relative to the directory given ("a/story.txt" under corpus/), or the
 * path as given for a file argument, so that a/story.txt and b/story.txt
 * stay two documents (their base names would collide). */
const char *kh_read_doc_name(const kh_read_input *in);

#endif
