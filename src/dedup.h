/*
 * dedup.h -- the duplicate stage: one event per happening, however many
 * times it is reported, between enrich and write (DESIGN.md).
 *
 * News repeats itself: a headline and its lede state one event twice, a
 * story restates its lead, wires are reprinted by hundreds of outlets, and
 * GDELT famously counted one kidnapping as 366 events.  A kh_dedup merges
 * reports of the same event and counts them, for every output format:
 *
 *     kh_dedup *d = kh_dedup_new(KH_DEDUP_DEFAULT_WINDOW, 1);
 *     for each document:
 *         kh_dedup_begin_doc(d, &doc);
 *         for each sentence:
 *             kh_dedup_add_sentence(d, sent_no, text, len, offset, &events);
 *         kh_dedup_release(d, 0, write_doc, ctx);   // documents now final
 *     kh_dedup_release(d, 1, write_doc, ctx);       // at the end: the rest
 *     kh_dedup_free(d);
 *
 * The stage holds each document (a copy, or the caller's taken over)
 * until every event it reported first is final, then hands it on, so
 * documents leave in input order,
 * each event carrying its merged event's mention count and stable id.
 * The writer runs it on the one thread that writes, which receives the
 * documents in input order whatever -j is: its output is the same for
 * any number of threads.
 *
 * The key.  Two reports are the same event when they have the same source
 * and target actor codes, the same CAMEO code and the same place (ISO
 * country and resolved place name; "" when unknown -- a report with no
 * place never merges with one that has a place), and their dates agree:
 *
 *   - within one document: the same event date, or either date is only the
 *     article's date (KH_DATE_ARTICLE / NONE), which says nothing about
 *     which day it was -- "X attacked Y ... the attack by X on Y" is one
 *     event with two mentions, "X attacked Y on Monday and again on
 *     Wednesday" is two;
 *   - across documents: event dates within `window_days` of the date of
 *     the merged event's first report (anchored, not sliding, so a daily
 *     repeated event such as shelling is not chained into one forever),
 *     and the first report at most KH_DEDUP_WINDOW_DOCS documents back.
 *
 * The date of a report is its event_date, or the document's date when the
 * enricher found none.  Undated reports (both 0) merge only within their
 * document.
 *
 * When an event is final.  The clock is the newest date seen, taking for
 * each report the earlier of its event date and its document's date (so
 * reporting lag and future dates do not move it).  A merged event is
 * final -- no later report can join it -- once its document has ended and
 * its date is more than window_days before the clock, or it is undated,
 * or its document is KH_DEDUP_WINDOW_DOCS documents behind the newest.
 * The last rule bounds memory whatever the order of the input: a document
 * dated far ahead, or a feed out of date order, holds at most that many
 * documents, not the run.  A report arriving after its peers were handed
 * on starts a new event (counted by kh_dedup_stats.late when its date
 * says why).
 *
 * Stable ids (kh_dedup_event_id): every report has one, a hash of what
 * identifies it in its document, so it is the same in every run, on every
 * machine and in any input order; a merged event's id is its first
 * report's.
 *
 * Strings.  Held documents and their events are owned by the kh_dedup:
 * copies (kh_dedup_begin_doc, kh_dedup_add_sentence), except events' `pattern` and `dict_file`, which point into the
 * dictionary and must outlive the kh_dedup, as they outlive kh_events.  A
 * merged event's `event` shares the strings of its first report, and its
 * mentions those of their documents, all held at least until the first
 * report's document is handed on (the documents leave in input order):
 * they are valid while the event can take reports and while its first
 * report is handed on, and NULL after.
 * Not thread-safe: one per writer.
 */
#ifndef KH_DEDUP_H
#define KH_DEDUP_H

#include "khaldun.h"
#include "arena.h"

#include <stdint.h>

/* Days within which reports in different documents are one event.  Three:
 * wire copies and follow-ups of a story appear the same day or the next,
 * and a relative date ("on Tuesday") resolved against a late reprint can
 * be off by a day or two; a week would start merging genuinely repeated
 * events (daily shelling, weekly protests) into one. */
#define KH_DEDUP_DEFAULT_WINDOW 3

/* One report of an event: where it was read.  The strings are the held
 * document's (see Strings above). */
typedef struct kh_dedup_report {
    const char *doc_id;    /* kh_doc.id ("" when none) */
    const char *outlet;    /* kh_doc.source, NULL when unknown */
    const char *url;       /* kh_doc.url, NULL when unknown */
    long doc_date;         /* kh_doc.date, YYYYMMDD or 0 */
    size_t doc_len;        /* bytes of the document text */
    int sent_no;           /* from 1 */
    long sentence_offset;  /* byte offset of the sentence in the document */
    kh_span source_span, verb_span, target_span;  /* into the sentence */
    unsigned flags;        /* the report's KH_EVENT_* flags */
} kh_dedup_report;

/* Mentions a merged event holds in itself before it allocates: most
 * events are reported once or twice, and a malloc and a free for each
 * was a tenth of the stage. */
#define KH_DEDUP_INLINE_MENTIONS 2

/* A merged event: the first report and every mention of it. */
typedef struct kh_dedup_event {
    uint64_t id;           /* the first report's stable id */
    kh_event event;        /* the first report, sharing its strings (see
                              Strings above); event.mentions is kept
                              equal to mention_count */
    long date;             /* YYYYMMDD used for the window, 0 if undated */
    long day;              /* the same in days (kh_date_to_days) */
    kh_dedup_report *mentions;  /* in order of arrival; [0] is the first */
    size_t mention_count;
    size_t article_count;  /* distinct documents among the mentions */
    size_t source_count;   /* distinct outlets (a document with no outlet
                              counts as its own source); set when final */
    long long user;        /* the writer's, e.g. a database row id; 0 */
    /* internal */
    struct kh_dedup_event *next_in_bucket;
    unsigned long hash;
    size_t mention_capacity;
    kh_dedup_report inline_mentions[KH_DEDUP_INLINE_MENTIONS];  /* `mentions`
                              until there are more */
    long doc_seq;          /* the document of the last mention */
    long first_seq;        /* the document of the first report */
    size_t holders;        /* held reports pointing here (and the owner) */
    int linked;            /* in the hash table: may still take reports */
} kh_dedup_event;

/* What the stage says of one report of a held document. */
typedef struct kh_dedup_ref {
    kh_dedup_event *merged;  /* the merged event it is a mention of */
    int first;               /* it is that event's first report */
} kh_dedup_ref;

/* A held sentence: its events are the stage's (copied or taken), its text
 * a slice of the held document's when it was one of the caller's, else a
 * copy; the events' `id` and, for first reports, `mentions` are set. */
typedef struct kh_dedup_sentence {
    int sent_no;
    const char *text;      /* in the held document's arena; `len` bytes,
                              not NUL-terminated */
    size_t len;
    long offset;           /* in the document */
    kh_events events;
    kh_dedup_ref *refs;    /* one per event */
} kh_dedup_sentence;

/* A document as the stage hands it on. */
typedef struct kh_dedup_doc {
    kh_doc doc;            /* a deep copy, in `strings` */
    kh_arena strings;      /* the document's, its sentences' and its
                              events' strings, freed at once */
    kh_dedup_sentence *sentences;
    size_t count, capacity;
    long seq;              /* from 1, in input order */
    struct kh_dedup_doc *next;
    /* internal */
    uintptr_t caller_text; /* where the caller's text was while the
                              document was open: its sentences are slices
                              of it, and their copies slices of doc.text */
} kh_dedup_doc;

typedef struct kh_dedup kh_dedup;

typedef struct kh_dedup_stats {
    long reports;          /* reports added */
    long events;           /* merged events created */
    long live;             /* merged events held now */
    long peak_live;        /* most held at once */
    long held_docs;        /* documents held now */
    long peak_held_docs;   /* most held at once: the memory bound */
    long late;             /* reports dated before the window had moved on */
    long compared;         /* hash-chain entries looked at: stays linear in
                              the reports, whatever the input order */
} kh_dedup_stats;

/* A new stage; window_days < 0 is taken as 0 (merge only the same day
 * across documents).  With `merge` 0 nothing is merged (--no-dedup): each
 * report is its own event, with its id, and documents pass straight on. */
kh_dedup *kh_dedup_new(int window_days, int merge);
void kh_dedup_free(kh_dedup *d);

/* Starts a document (ending the previous one); the stage copies it. */
void kh_dedup_begin_doc(kh_dedup *d, const kh_doc *doc);

/* Adds a sentence of the current document and its events (copied);
 * spans are relative to `text`. */
void kh_dedup_add_sentence(kh_dedup *d, int sent_no, const char *text, size_t len,
                           long offset, const kh_events *events);

/* Ends the current document, if any; kh_dedup_release does it with all. */
void kh_dedup_end_doc(kh_dedup *d);

/* Called by kh_dedup_release for each document, in input order; a
 * non-zero return is returned by kh_dedup_release (the documents after it
 * are released all the same, to free them). */
typedef int (*kh_dedup_visit)(void *ctx, const kh_dedup_doc *doc);

/* Hands the held documents that are final (all of them when `all`, after
 * ending the current one) to `visit` in input order and frees them.
 * Returns 0, or the first non-zero value of visit. */
int kh_dedup_release(kh_dedup *d, int all, kh_dedup_visit visit, void *ctx);

/* The stable id of a report: 64-bit FNV-1a over the document id, the
 * sentence number, the source, verb and target spans (in the sentence),
 * the event code and the source and target actor codes, each field ended
 * by a NUL byte (numbers in decimal), with the top bit cleared so that it
 * is a non-negative 64-bit integer (SQLite, GDELT's GLOBALEVENTID). */
uint64_t kh_dedup_event_id(const char *doc_id, int sent_no, const kh_event *e);

void kh_dedup_get_stats(const kh_dedup *d, kh_dedup_stats *stats);

#endif
