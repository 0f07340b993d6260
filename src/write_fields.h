/*
 * write_fields.h -- what the output backends share: the writer object they
 * fill, the crash-safe text stream (temporary file renamed into place), and
 * the fields several formats write the same way.
 *
 * Used by the backends (write_json.c, write_tsv.c, write_sqlite.c,
 * write_gdelt.c, write_conllu.c) and by the dispatcher (write.c) that sits above them;
 * callers of the writer use write.h only.
 */
#ifndef KH_WRITE_FIELDS_H
#define KH_WRITE_FIELDS_H

#include "khaldun.h"
#include "buf.h"
#include "cameo.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

struct kh_dedup;
struct kh_dedup_ref;

/* One sentence's worth of input, as the duplicate stage (dedup.h) hands
 * it on, or as given to kh_writer_add for CoNLL-U. */
typedef struct kh_write_item {
    const kh_doc *doc;
    int sent_no;
    const char *sentence;
    size_t sentence_len;
    long sentence_offset;
    const kh_events *events;
    const kh_parse *parse;      /* the sentence's syntax, or NULL */
    const struct kh_dedup_ref *refs;  /* per event: its merged event, or
                                         NULL (every event its own) */
} kh_write_item;

typedef struct kh_writer kh_writer;

typedef struct kh_writer_ops {
    int (*add_doc)(kh_writer *w, const kh_doc *doc);   /* may be NULL */
    int (*add)(kh_writer *w, const kh_write_item *item);
    int (*close)(kh_writer *w, int failed); /* finish or discard; free state */
    int (*set_inputs)(kh_writer *w, const char *inputs);  /* may be NULL */
} kh_writer_ops;

struct kh_writer {
    const kh_writer_ops *ops;
    kh_diag *diag;
    char *path;
    void *state;        /* the backend's */
    FILE *out;          /* text outputs: the stream being written */
    char *tmp_path;     /* text outputs: the temporary file, NULL for "-" */
    char *file_buffer;  /*   its stdio buffer (KH_WRITE_FILE_BUFFER bytes),
                             freed after the stream is closed */
    int memory;         /* text outputs: written to memory_data instead */
    char *memory_data;  /*   open_memstream's buffer, memory_size bytes */
    size_t memory_size;
    int in_doc;         /* a document is current (kh_writer_add_doc): */
    kh_buf doc_id;      /*   its id, NUL-terminated (reused, not made
                             for each document) */
    const char *doc_text;
    size_t doc_len;
    int failed;         /* a write has failed; close returns -1 */
    int dedup_window;   /* days, kh_writer_set_dedup_window */
    int no_dedup;       /* kh_writer_set_dedup(w, 0): every report */
    int events_format;  /* writes events: through the duplicate stage */
    struct kh_dedup *dedup;  /* the stage, made at the first document */
    kh_buf buf;         /* text outputs: the line(s) being built, written to
                           `out` whole by kh_write_flush */
    struct kh_writer *volatile next_temporary;  /* write_fields.c's list */
};

/* A backend as the dispatcher's table lists it.  `open` sets w->ops and
 * w->state and returns 0, or -1 after reporting. */
typedef struct kh_write_backend {
    const char *names[3];       /* --format names, NULL-terminated */
    const char *extensions[4];  /* path endings that choose this format
                                   (-o events.db), NULL-terminated */
    int (*open)(kh_writer *w);
    const char *prefixes[3];    /* path beginnings that choose it
                                   (-o postgresql://...), NULL-terminated */
} kh_write_backend;

/* ---- the text stream ---- */

/* Text outputs: opens w->out on a temporary file beside w->path (or
 * stdout, or memory when w->memory is set), and on close flushes, fsyncs
 * and renames it into place -- or removes it when `failed`.  Both return
 * 0 or -1 (reported). */
int kh_write_stream_open(kh_writer *w);
int kh_write_stream_close(kh_writer *w, int failed);

/* Text outputs: writes w->buf to w->out in one call and empties it, so a
 * backend builds a line or a sentence in memory and stdio sees one write.
 * Returns 0, or -1 on a write error (not reported: the backend says what
 * failed). */
int kh_write_flush(kh_writer *w);

/* ---- fields ---- */

/* An actor code as kh_actor_code_split (cameo.h) splits it, read in place
 * rather than built: its first kh_write_actor_country_len bytes are its
 * country (KH_ACTOR_GROUP_LEN when it starts with a CAMEO country or
 * region code, else none), and the rest are the groups, each
 * kh_write_actor_group_len bytes long (the last may be shorter). */
size_t kh_write_actor_country_len(const char *code);
static inline size_t kh_write_actor_group_len(size_t len, size_t pos)
{
    return len - pos < KH_ACTOR_GROUP_LEN ? len - pos : KH_ACTOR_GROUP_LEN;
}

/* Writes a value of one decimal (its tenfold a whole number below 10^5),
 * as both "%.1f" and "%.6g" write it, and returns 0; returns -1, writing
 * nothing, for any other value.  No printf: a Goldstein value in every
 * event. */
int kh_write_tenths(kh_buf *out, double v);

/* Writes v as "%.6g" writes it and returns 0 when 1 <= |v| < 10^6 and its
 * six significant digits can be rounded with certainty from a double
 * product; returns -1, writing nothing, otherwise (the caller uses
 * printf).  No printf: a latitude and a longitude in every located event. */
int kh_write_six_digits(kh_buf *out, double v);

/* Writes v as "%.*f" writes it with `decimals` digits (at most
 * KH_WRITE_MAX_DECIMALS), without printf when |v| * 10^decimals < 10^9
 * and its rounding is certain from a double product: coordinates and
 * GDELT's FractionDate, in every event, were a tenth of those writers. */
#define KH_WRITE_MAX_DECIMALS 6
void kh_write_fixed(kh_buf *out, double v, int decimals);

/* Writes "QUAD<TAB>GOLDSTEIN" for a CAMEO code's entry `info` (each empty
 * when it is NULL, the code not CAMEO), as the TSV and GDELT tables both
 * have them. */
struct kh_cameo_info;
void kh_write_quad_goldstein(kh_buf *out, const struct kh_cameo_info *info);

/* Names of kh_date_source and kh_place_precision values as written in the
 * outputs ("explicit", "relative", "article"; "city", "region",
 * "country"); NULL for none or an unknown value. */
const char *kh_write_date_source_name(int date_source);
/* "day", "month" or "year" (kh_date_precision), or NULL. */
const char *kh_write_date_precision_name(int precision);
const char *kh_write_precision_name(int precision);

/* How many events of the sentence share e's code and verb span: > 1 when
 * e is one member of a compound actor ("Iran and Iraq attacked ..."),
 * which the coder writes as one event per member. */
int kh_write_compound_size(const kh_events *events, const kh_event *e);

/* Whether event k of the item is written as an event of its own: a
 * merged event's first report is, its other mentions are not (they are
 * counted in its `mentions`). */
int kh_write_is_event(const kh_write_item *it, size_t k);

/* 64-bit FNV-1a of a document's text as 16 hex digits and the NUL: the
 * database outputs tell two versions of a document with the same id
 * apart by it (a corrected article is a new row). */
#define KH_WRITE_CONTENT_HASH_SIZE 17
void kh_write_content_hash(const char *text, size_t len, char out[KH_WRITE_CONTENT_HASH_SIZE]);

/* "iso", "former" or "region" (cameo.h's kh_country_kind), or NULL: the
 * actors tables' country_kind. */
const char *kh_write_country_kind_name(int kind);

/* The event's stable id (dedup.h), as 16 hex digits and the NUL. */
#define KH_WRITE_ID_SIZE 17
void kh_write_event_id(const kh_write_item *it, const kh_event *e, char out[KH_WRITE_ID_SIZE]);

/* "file:line" (or "file" when line is 0) in a new string; NULL if no file. */
char *kh_write_dict_ref(const kh_event *e);

/* Event flags by name, for the writers' flag fields, in a fixed order. */
typedef struct kh_write_flag {
    const char *name;
    unsigned bit;
} kh_write_flag;
extern const kh_write_flag kh_write_flags[];
extern const size_t kh_write_flag_count;

#endif
