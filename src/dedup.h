/*
 * dedup.h -- one event per happening, however many times it is reported.
 *
 * News repeats itself: a story restates its lead, wires are reprinted by
 * hundreds of outlets, and GDELT famously counted one kidnapping as 366
 * events.  A kh_dedup merges reports of the same event and counts them:
 *
 *     kh_dedup *d = kh_dedup_new(KH_DEDUP_DEFAULT_WINDOW);
 *     for each document, sentence, event:
 *         kh_dedup_add(d, &doc, sent_no, sentence_offset, &event, &is_new);
 *     after each document:
 *         kh_dedup_flush(d, 0, write_one, ctx);   // events that are final
 *     at the end:
 *         kh_dedup_flush(d, 1, write_one, ctx);   // everything left
 *     kh_dedup_free(d);
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
 *     repeated event such as shelling is not chained into one forever).
 *
 * The date of a report is its event_date, or the document's date when the
 * enricher found none.  Undated reports (both 0) merge only within their
 * document.
 *
 * Streaming and memory.  Input is assumed to arrive roughly in date order
 * (a feed, a dated dump).  The clock is the newest date seen, taking for
 * each report the earlier of its event date and its document's date (so
 * reporting lag and future dates do not move it).  A merged event is final
 * -- no later report can join it -- once its date is more than window_days
 * before the clock; kh_dedup_flush hands final events to the caller and frees them, so
 * the memory held is the events of the last window, not the whole run.  A
 * document older than the window arrives too late to merge with what was
 * already flushed: its events become new events (counted by
 * kh_dedup_stats.late).  Undated events are final once the next document
 * starts.
 *
 * Strings.  The merged event holds a deep copy of the first report's
 * kh_event (strings owned by the kh_dedup), except `pattern` and
 * `dict_file`, which point into the dictionary and must outlive the
 * kh_dedup, as they outlive kh_events.  Not thread-safe: one per writer.
 */
#ifndef KH_DEDUP_H
#define KH_DEDUP_H

#include "khaldun.h"

/* Days within which reports in different documents are one event.  Three:
 * wire copies and follow-ups of a story appear the same day or the next,
 * and a relative date ("on Tuesday") resolved against a late reprint can
 * be off by a day or two; a week would start merging genuinely repeated
 * events (daily shelling, weekly protests) into one. */
#define KH_DEDUP_DEFAULT_WINDOW 3

/* One report of an event: where it was read. */
typedef struct kh_dedup_report {
    char *doc_id;          /* kh_doc.id ("" when none) */
    char *outlet;          /* kh_doc.source, NULL when unknown */
    char *url;             /* kh_doc.url, NULL when unknown */
    long doc_date;         /* kh_doc.date, YYYYMMDD or 0 */
    size_t doc_len;        /* bytes of the document text */
    int sent_no;           /* from 1 */
    long sentence_offset;  /* byte offset of the sentence in the document */
    kh_span source_span, verb_span, target_span;  /* into the sentence */
    unsigned flags;        /* the report's KH_EVENT_* flags */
} kh_dedup_report;

/* A merged event: the first report and every mention of it. */
typedef struct kh_dedup_event {
    long id;               /* from 1, in order of first report */
    kh_event event;        /* the first report; event.mentions is kept
                              equal to mention_count */
    long date;             /* YYYYMMDD used for the window, 0 if undated */
    kh_dedup_report *mentions;  /* in order of arrival; [0] is the first */
    size_t mention_count;
    size_t article_count;  /* distinct documents among the mentions */
    size_t source_count;   /* distinct outlets (a document with no outlet
                              counts as its own source) */
    long long user;        /* the caller's, e.g. a database row id; 0 */
    /* internal */
    struct kh_dedup_event *next_in_bucket;
    unsigned long hash;
    size_t mention_capacity;
    long doc_seq;          /* the document of the last mention */
} kh_dedup_event;

typedef struct kh_dedup kh_dedup;

typedef struct kh_dedup_stats {
    long reports;          /* kh_dedup_add calls */
    long events;           /* merged events created */
    long live;             /* merged events held now */
    long peak_live;        /* most held at once: the memory bound */
    long late;             /* reports dated before the window had moved on */
} kh_dedup_stats;

/* A new deduplicator; window_days < 0 is taken as 0 (merge only the same
 * day across documents). */
kh_dedup *kh_dedup_new(int window_days);
void kh_dedup_free(kh_dedup *d);

/* Adds one report.  Returns the id of the merged event it belongs to and
 * sets *is_new (when not NULL) to 1 if that event was created by this
 * report, 0 if the report became another mention of an existing one. */
long kh_dedup_add(kh_dedup *d, const kh_doc *doc, int sent_no,
                  long sentence_offset, const kh_event *e, int *is_new);

/* The live merged event with this id, or NULL once it has been flushed
 * (or never existed).  Binary search over the live events. */
kh_dedup_event *kh_dedup_get(kh_dedup *d, long id);

/* Called by kh_dedup_flush for each event; a non-zero return stops the
 * flush (the event and those after it stay live) and is returned. */
typedef int (*kh_dedup_visit)(void *ctx, const kh_dedup_event *ev);

/* Hands final events (all live events when `all`) to `visit` in id order
 * and frees them.  Returns 0, or visit's non-zero value. */
int kh_dedup_flush(kh_dedup *d, int all, kh_dedup_visit visit, void *ctx);

void kh_dedup_get_stats(const kh_dedup *d, kh_dedup_stats *stats);

#endif
