/* dedup.c -- merging repeated reports of one event (see dedup.h).
 *
 * Live merged events sit in two structures: `live`, an array in id order
 * (ids only grow, and removal compacts, so it stays sorted: flushing and
 * kh_dedup_get need nothing more), and a chained hash table over the key
 * (source, target, code, place) that kh_dedup_add searches.  Chaining,
 * not open addressing, because flushed events are unlinked all the time. */
#include "dedup.h"
#include "date.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* Initial hash buckets (a power of two); the table doubles when the load
 * passes MAX_LOAD events per bucket, so chains stay short. */
#define INITIAL_BUCKETS 1024
#define MAX_LOAD 2

/* The clock before any dated document: earlier than any real day. */
#define NO_DAY (-100000000L)

struct kh_dedup {
    int window;                 /* days */
    kh_dedup_event **live;      /* in id order */
    size_t live_count, live_capacity;
    kh_dedup_event **buckets;
    size_t bucket_mask;
    long next_id;
    long newest_day;            /* the clock: newest document date, in days */
    long scanned_day;           /* newest_day at the last flush scan */
    long scanned_seq;           /* doc_seq at the last flush scan */
    long undated_live;          /* live events with date 0 */
    int held_back;              /* the last scan kept a final event only
                                   because its document was still open */
    long doc_seq;               /* the current document, from 1 */
    char *doc_id;               /* to notice the next document */
    const char *doc_text;
    size_t doc_len;
    kh_dedup_stats stats;
};

static const char *str_or_empty(const char *s) { return s ? s : ""; }

static unsigned long hash_str(unsigned long h, const char *s)
{
    for (s = str_or_empty(s); *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211UL;
    }
    return (h ^ 0x1f) * 1099511628211UL; /* field separator */
}

static unsigned long key_hash(const kh_event *e)
{
    unsigned long h = 14695981039346656037UL;
    h = hash_str(h, e->source);
    h = hash_str(h, e->target);
    h = hash_str(h, e->code);
    h = hash_str(h, e->place.country);
    return hash_str(h, e->place.name);
}

static int same_key(const kh_event *a, const kh_event *b)
{
    return strcmp(str_or_empty(a->source), str_or_empty(b->source)) == 0 &&
           strcmp(str_or_empty(a->target), str_or_empty(b->target)) == 0 &&
           strcmp(a->code, b->code) == 0 &&
           strcmp(a->place.country, b->place.country) == 0 &&
           strcmp(str_or_empty(a->place.name), str_or_empty(b->place.name)) == 0;
}

static char *dup_or_null(const char *s) { return s ? kh_xstrdup(s) : NULL; }

/* A deep copy of the strings the event owns; dictionary pointers shared. */
static void event_copy(kh_event *to, const kh_event *from)
{
    *to = *from;
    to->source = dup_or_null(from->source);
    to->target = dup_or_null(from->target);
    to->source_text = dup_or_null(from->source_text);
    to->target_text = dup_or_null(from->target_text);
    to->issues = dup_or_null(from->issues);
    to->place.name = dup_or_null(from->place.name);
    to->quote = dup_or_null(from->quote);
    to->speaker = dup_or_null(from->speaker);
}

static void event_free(kh_dedup_event *ev)
{
    kh_events one = {&ev->event, 1, 1};
    kh_events_clear(&one);
    for (size_t i = 0; i < ev->mention_count; i++) {
        free(ev->mentions[i].doc_id);
        free(ev->mentions[i].outlet);
        free(ev->mentions[i].url);
    }
    free(ev->mentions);
    free(ev);
}

/* ------------------------------------------------------------------ */

kh_dedup *kh_dedup_new(int window_days)
{
    kh_dedup *d = kh_xcalloc(1, sizeof *d);
    d->window = window_days < 0 ? 0 : window_days;
    d->buckets = kh_xcalloc(INITIAL_BUCKETS, sizeof *d->buckets);
    d->bucket_mask = INITIAL_BUCKETS - 1;
    d->newest_day = d->scanned_day = NO_DAY;
    return d;
}

void kh_dedup_free(kh_dedup *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->live_count; i++)
        event_free(d->live[i]);
    free(d->live);
    free(d->buckets);
    free(d->doc_id);
    free(d);
}

void kh_dedup_get_stats(const kh_dedup *d, kh_dedup_stats *stats)
{
    *stats = d->stats;
    stats->live = (long)d->live_count;
}

/* Notices a new document (by id, text pointer and length, as the writer
 * does) and advances the clock to its date. */
static void enter_doc(kh_dedup *d, const kh_doc *doc)
{
    const char *id = str_or_empty(doc->id);
    if (!d->doc_id || strcmp(d->doc_id, id) != 0 || d->doc_text != doc->text ||
        d->doc_len != doc->len) {
        free(d->doc_id);
        d->doc_id = kh_xstrdup(id);
        d->doc_text = doc->text;
        d->doc_len = doc->len;
        d->doc_seq++;
    }
}

static void advance_clock(kh_dedup *d, long date)
{
    if (date > 0 && kh_date_to_days(date) > d->newest_day)
        d->newest_day = kh_date_to_days(date);
}

/* The within-document rule: the same day, or one of the two dates is only
 * the article's date and so cannot tell two happenings apart. */
static int same_doc_dates_agree(const kh_dedup_event *ev, const kh_event *e, long date)
{
    int vague_new = e->date_source <= KH_DATE_ARTICLE;
    int vague_old = ev->event.date_source <= KH_DATE_ARTICLE;
    return vague_new || vague_old || date == ev->date;
}

/* How far `date` is from the merged event, in days; -1 when they may not
 * merge at all. */
static long date_distance(const kh_dedup *d, const kh_dedup_event *ev,
                          const kh_event *e, long date)
{
    if (ev->doc_seq == d->doc_seq) /* one story: its own dates decide */
        return same_doc_dates_agree(ev, e, date) ? 0 : -1;
    if (date == 0 || ev->date == 0)
        return -1;
    long diff = labs(kh_date_to_days(date) - kh_date_to_days(ev->date));
    return diff <= d->window ? diff : -1;
}

/* Has the clock moved past the event's window?  Then it is final, even if
 * not flushed yet, and takes no more reports from other documents. */
static int closed(const kh_dedup *d, const kh_dedup_event *ev)
{
    if (ev->doc_seq == d->doc_seq)
        return 0;
    if (ev->date == 0)
        return 1;
    return kh_date_to_days(ev->date) + d->window < d->newest_day;
}

/* The live event this report belongs to: same key, closest date. */
static kh_dedup_event *find_match(const kh_dedup *d, const kh_event *e,
                                  unsigned long h, long date)
{
    kh_dedup_event *best = NULL;
    long best_dist = -1;
    for (kh_dedup_event *ev = d->buckets[h & d->bucket_mask]; ev; ev = ev->next_in_bucket) {
        if (ev->hash != h || !same_key(&ev->event, e) || closed(d, ev))
            continue;
        long dist = date_distance(d, ev, e, date);
        if (dist >= 0 && (!best || dist < best_dist)) {
            best = ev;
            best_dist = dist;
        }
    }
    return best;
}

static void grow_buckets(kh_dedup *d)
{
    size_t n = (d->bucket_mask + 1) * 2;
    kh_dedup_event **b = kh_xcalloc(n, sizeof *b);
    for (size_t i = 0; i <= d->bucket_mask; i++) {
        kh_dedup_event *ev = d->buckets[i], *next;
        for (; ev; ev = next) {
            next = ev->next_in_bucket;
            ev->next_in_bucket = b[ev->hash & (n - 1)];
            b[ev->hash & (n - 1)] = ev;
        }
    }
    free(d->buckets);
    d->buckets = b;
    d->bucket_mask = n - 1;
}

static kh_dedup_event *create_event(kh_dedup *d, const kh_event *e,
                                    unsigned long h, long date)
{
    if (d->live_count >= (d->bucket_mask + 1) * MAX_LOAD)
        grow_buckets(d);
    kh_dedup_event *ev = kh_xcalloc(1, sizeof *ev);
    ev->id = ++d->next_id;
    event_copy(&ev->event, e);
    ev->date = date;
    ev->hash = h;
    ev->next_in_bucket = d->buckets[h & d->bucket_mask];
    d->buckets[h & d->bucket_mask] = ev;
    if (d->live_count == d->live_capacity) {
        d->live_capacity = d->live_capacity ? d->live_capacity * 2 : 64;
        d->live = kh_xrealloc(d->live, d->live_capacity * sizeof *d->live);
    }
    d->live[d->live_count++] = ev;
    d->undated_live += date == 0;
    d->stats.events++;
    if ((long)d->live_count > d->stats.peak_live)
        d->stats.peak_live = (long)d->live_count;
    return ev;
}

static void add_mention(kh_dedup *d, kh_dedup_event *ev, const kh_doc *doc,
                        int sent_no, long sentence_offset, const kh_event *e)
{
    if (ev->mention_count == ev->mention_capacity) {
        ev->mention_capacity = ev->mention_capacity ? ev->mention_capacity * 2 : 2;
        ev->mentions = kh_xrealloc(ev->mentions, ev->mention_capacity * sizeof *ev->mentions);
    }
    kh_dedup_report *m = &ev->mentions[ev->mention_count++];
    m->doc_id = kh_xstrdup(str_or_empty(doc->id));
    m->outlet = dup_or_null(doc->source);
    m->url = dup_or_null(doc->url);
    m->doc_date = doc->date;
    m->doc_len = doc->len;
    m->sent_no = sent_no;
    m->sentence_offset = sentence_offset;
    m->source_span = e->source_span;
    m->verb_span = e->verb_span;
    m->target_span = e->target_span;
    m->flags = e->flags;
    if (ev->doc_seq != d->doc_seq)
        ev->article_count++;
    ev->doc_seq = d->doc_seq;
    ev->event.mentions = (int)ev->mention_count;
}

long kh_dedup_add(kh_dedup *d, const kh_doc *doc, int sent_no,
                  long sentence_offset, const kh_event *e, int *is_new)
{
    enter_doc(d, doc);
    long date = e->event_date > 0 ? e->event_date : doc->date;
    /* The clock runs on the earlier of the two dates: a story about
     * yesterday does not close yesterday's events, and a date in the
     * future ("elections on 5 December") does not close today's. */
    advance_clock(d, doc->date > 0 && doc->date < date ? doc->date : date);
    d->stats.reports++;
    if (date > 0 && kh_date_to_days(date) + d->window < d->scanned_day)
        d->stats.late++; /* its peers may already be flushed */
    unsigned long h = key_hash(e);
    kh_dedup_event *ev = find_match(d, e, h, date);
    if (is_new)
        *is_new = ev == NULL;
    if (!ev)
        ev = create_event(d, e, h, date);
    add_mention(d, ev, doc, sent_no, sentence_offset, e);
    return ev->id;
}

static void count_sources(kh_dedup_event *ev);

kh_dedup_event *kh_dedup_get(kh_dedup *d, long id)
{
    size_t lo = 0, hi = d->live_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (d->live[mid]->id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == d->live_count || d->live[lo]->id != id)
        return NULL;
    count_sources(d->live[lo]);
    return d->live[lo];
}

/* ------------------------------------------------------------------ */

static int cmp_str_ptr(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Distinct outlets among the mentions; a mention without an outlet counts
 * its document as the source.  Sorting keeps it O(m log m). */
static void count_sources(kh_dedup_event *ev)
{
    const char **names = kh_xmalloc((ev->mention_count + 1) * sizeof *names);
    for (size_t i = 0; i < ev->mention_count; i++)
        names[i] = ev->mentions[i].outlet ? ev->mentions[i].outlet : ev->mentions[i].doc_id;
    qsort(names, ev->mention_count, sizeof *names, cmp_str_ptr);
    size_t n = 0;
    for (size_t i = 0; i < ev->mention_count; i++)
        n += i == 0 || strcmp(names[i], names[i - 1]) != 0;
    ev->source_count = n;
    free(names);
}


static void unlink_bucket(kh_dedup *d, kh_dedup_event *ev)
{
    kh_dedup_event **p = &d->buckets[ev->hash & d->bucket_mask];
    while (*p != ev)
        p = &(*p)->next_in_bucket;
    *p = ev->next_in_bucket;
}

int kh_dedup_flush(kh_dedup *d, int all, kh_dedup_visit visit, void *ctx)
{
    /* Nothing can have become final unless the clock moved or, for
     * undated events, a document ended: skip the scan otherwise. */
    int doc_ended = d->doc_seq != d->scanned_seq;
    if (!all && d->newest_day == d->scanned_day &&
        !((d->undated_live > 0 || d->held_back) && doc_ended))
        return 0;
    d->held_back = 0;
    d->scanned_day = d->newest_day;
    d->scanned_seq = d->doc_seq;
    size_t kept = 0;
    int rc = 0;
    for (size_t i = 0; i < d->live_count; i++) {
        kh_dedup_event *ev = d->live[i];
        int final = all || closed(d, ev);
        if (!final && ev->doc_seq == d->doc_seq && ev->date != 0 &&
            kh_date_to_days(ev->date) + d->window < d->newest_day)
            d->held_back = 1; /* final once this document ends */
        if (rc == 0 && final) {
            count_sources(ev);
            rc = visit ? visit(ctx, ev) : 0;
            if (rc == 0) {
                unlink_bucket(d, ev);
                d->undated_live -= ev->date == 0;
                event_free(ev);
                continue;
            }
        }
        d->live[kept++] = ev;
    }
    d->live_count = kept;
    if (rc != 0)
        d->scanned_day = NO_DAY; /* scan again next time */
    return rc;
}
