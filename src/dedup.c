/* dedup.c -- the duplicate stage (see dedup.h).
 *
 * Held documents form a queue in input order; each held report points at
 * its merged event.  Merged events that may still take reports sit in a
 * chained hash table over the key (source, target, code, place), which
 * kh_dedup_add_sentence searches.  An event found closed while a chain is
 * walked is unlinked on the spot, so a closed event is looked at once
 * more at most: however the input's dates are ordered, a chain holds only
 * events that can still merge, and the work stays linear in the reports
 * (the stats' `compared`).  A merged event is freed when the last held
 * report of it leaves (its `holders`), so every held report's merged
 * event, and the row id a writer keeps in it, is valid until written. */
#include "dedup.h"
#include "buf.h"
#include "date.h"
#include "kh_limits.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Initial hash buckets (a power of two); the table doubles when the load
 * passes MAX_LOAD events per bucket, so chains stay short. */
#define INITIAL_BUCKETS 1024
#define MAX_LOAD 2

/* Below this many mentions an event's sources are counted by comparing
 * each with those before it (at most 28 comparisons), not by sorting. */
#define FEW_MENTIONS 8

/* The clock before any dated document: earlier than any real day. */
#define NO_DAY (-100000000L)

struct kh_dedup {
    int window;                 /* days */
    int merge;                  /* 0: --no-dedup */
    kh_dedup_event **buckets;
    size_t bucket_mask;
    size_t linked;              /* events in the table */
    long newest_day;            /* the clock: newest date, in days */
    long doc_seq;               /* the newest document, from 1 */
    kh_dedup_doc *open;         /* the document being added, or NULL */
    kh_dedup_doc *head, *tail;  /* held documents, in input order */
    kh_dedup_doc *spare_docs;   /* handed on, kept for reuse (linked by
                                   next; their arenas reset) */
    kh_dedup_event *spare_events; /* freed, kept for reuse (linked by
                                     next_in_bucket; mentions inline) */
    kh_dedup_stats stats;
};

static const char *str_or_empty(const char *s) { return s ? s : ""; }

/* A field and its NUL terminator, so "ab","c" and "a","bc" differ (the
 * ids hash 64-bit FNV-1a, util.h). */
static uint64_t fnv_field(uint64_t h, const char *s)
{
    /* as kh_fnv1a64(h, s, strlen(s) + 1), in one pass: the fields are
     * short, and the call to strlen cost more than reading them again */
    const unsigned char *p = (const unsigned char *)str_or_empty(s);
    do
        h = (h ^ *p) * KH_FNV64_PRIME;
    while (*p++);
    return h;
}

/* A number in decimal, as "%ld" writes it, and its NUL (h ^ 0 is h):
 * digits made here, two at a time, because snprintf was most of the id's
 * cost, and those of one or two hashed straight away. */
static uint64_t fnv_long(uint64_t h, long v)
{
    if (v >= 0 && v < 10) /* most spans' ends and sentence numbers */
        return (h ^ (uint64_t)('0' + v)) * KH_FNV64_PRIME * KH_FNV64_PRIME;
    if (v >= 10 && v < 100)
        return (((h ^ (uint64_t)('0' + v / 10)) * KH_FNV64_PRIME) ^ (uint64_t)('0' + v % 10)) *
               KH_FNV64_PRIME * KH_FNV64_PRIME;
    char num[24];          /* 19 digits of a 64-bit long, '-', the NUL */
    size_t i = sizeof num;
    unsigned long u = v < 0 ? 0UL - (unsigned long)v : (unsigned long)v;
    num[--i] = 0;
    for (; u >= 100; u /= 100) {
        num[--i] = kh_decimal_pairs[2 * (u % 100) + 1];
        num[--i] = kh_decimal_pairs[2 * (u % 100)];
    }
    num[--i] = kh_decimal_pairs[2 * u + 1];
    if (u >= 10)
        num[--i] = kh_decimal_pairs[2 * u];
    if (v < 0)
        num[--i] = '-';
    return kh_fnv1a64(h, num + i, sizeof num - i);
}

uint64_t kh_dedup_event_id(const char *doc_id, int sent_no, const kh_event *e)
{
    uint64_t h = fnv_field(KH_FNV64_OFFSET, doc_id);
    h = fnv_long(h, sent_no);
    const kh_span spans[] = {e->source_span, e->verb_span, e->target_span};
    for (size_t i = 0; i < 3; i++) {
        h = fnv_long(h, spans[i].start);
        h = fnv_long(h, spans[i].end);
    }
    h = fnv_field(h, e->code);
    h = fnv_field(h, e->source);
    h = fnv_field(h, e->target);
    return h & 0x7fffffffffffffffULL;
}

static unsigned long key_hash(const kh_event *e)
{
    uint64_t h = fnv_field(KH_FNV64_OFFSET, e->source);
    h = fnv_field(h, e->target);
    h = fnv_field(h, e->code);
    h = fnv_field(h, e->place.country);
    return (unsigned long)fnv_field(h, e->place.name);
}

static int same_key(const kh_event *a, const kh_event *b)
{
    return strcmp(str_or_empty(a->source), str_or_empty(b->source)) == 0 &&
           strcmp(str_or_empty(a->target), str_or_empty(b->target)) == 0 &&
           strcmp(a->code, b->code) == 0 &&
           strcmp(a->place.country, b->place.country) == 0 &&
           strcmp(str_or_empty(a->place.name), str_or_empty(b->place.name)) == 0;
}

/* Two reports that quote different words are two statements, whoever
 * made them: "Any aggression will be met ..." and "We do not seek war"
 * are not one event told twice. */
static int other_quote(const kh_event *a, const kh_event *b)
{
    return a->quote && b->quote && strcmp(a->quote, b->quote) != 0;
}

/* A deep copy of the strings the event owns, into the held document's
 * arena in one piece (eight copies made one by one were most of the
 * stage's cost); dictionary pointers shared. */
static void event_copy(kh_arena *a, kh_event *to, const kh_event *from)
{
    *to = *from;
    char **owned[] = {&to->source, &to->target, &to->source_text, &to->target_text,
                      &to->issues, &to->place.name, &to->quote, &to->speaker};
    size_t size[sizeof owned / sizeof owned[0]], total = 0;
    for (size_t i = 0; i < sizeof owned / sizeof owned[0]; i++)
        total += size[i] = *owned[i] ? strlen(*owned[i]) + 1 : 0;
    if (total == 0)
        return;
    char *p = kh_arena_take(a, total);
    for (size_t i = 0; i < sizeof owned / sizeof owned[0]; i++)
        if (size[i]) {
            *owned[i] = memcpy(p, *owned[i], size[i]);
            p += size[i];
        }
}

static size_t field_size(const char *s) { return s ? strlen(s) + 1 : 0; }

/* A copy of s at *p, which moves past it; NULL for NULL. */
static char *copy_field(char **p, const char *s)
{
    if (!s)
        return NULL;
    char *to = *p;
    *p = stpcpy(to, s) + 1;
    return to;
}

/* A deep copy of the document, its strings in one piece of the arena (a
 * piece for each was a quarter of a one-sentence document's cost). */
static void doc_copy(kh_arena *a, kh_doc *to, const kh_doc *from)
{
    *to = *from;
    size_t total = from->text ? from->len + 1 : 0;
    total += field_size(from->id) + field_size(from->title) + field_size(from->source) +
             field_size(from->url) + field_size(from->place) + field_size(from->path);
    for (size_t i = 0; i < from->meta_count; i++)
        total += field_size(from->meta[i].key) + field_size(from->meta[i].value);
    to->meta = from->meta_count ? kh_arena_take(a, from->meta_count * sizeof *to->meta) : NULL;
    char *p = total ? kh_arena_take(a, total) : NULL;
    if (from->text) {
        to->text = memcpy(p, from->text, from->len);
        p[from->len] = 0;
        p += from->len + 1;
    }
    to->id = copy_field(&p, from->id);
    to->title = copy_field(&p, from->title);
    to->source = copy_field(&p, from->source);
    to->url = copy_field(&p, from->url);
    to->place = copy_field(&p, from->place);
    to->path = copy_field(&p, from->path);
    for (size_t i = 0; i < from->meta_count; i++) {
        to->meta[i].key = copy_field(&p, from->meta[i].key);
        to->meta[i].value = copy_field(&p, from->meta[i].value);
    }
}

/* The merged event's strings, and its mentions', are those of held
 * documents (dedup.h), the first report's the earliest of them: they go
 * with that report's document, and the event keeps none of them. */
static void forget_first_report(kh_dedup_event *ev)
{
    kh_event *e = &ev->event;
    e->source = e->target = e->source_text = e->target_text = NULL;
    e->issues = e->place.name = e->quote = e->speaker = NULL;
    for (size_t i = 0; i < ev->mention_count; i++) {
        kh_dedup_report *m = &ev->mentions[i];
        m->doc_id = m->outlet = m->url = NULL;
    }
}

/* A merged event no held report needs: kept for the next one (its heap
 * mentions, sized for this event, go).  Spares and live events are never
 * more than stats.peak_live. */
static void merged_free(kh_dedup *d, kh_dedup_event *ev)
{
    if (ev->mentions != ev->inline_mentions)
        free(ev->mentions);
    d->stats.live--;
    ev->next_in_bucket = d->spare_events;
    d->spare_events = ev;
}

/* A zeroed merged event, its mentions inline: a spare if there is one. */
static kh_dedup_event *event_alloc(kh_dedup *d)
{
    kh_dedup_event *ev = d->spare_events;
    if (ev) {
        d->spare_events = ev->next_in_bucket;
        memset(ev, 0, sizeof *ev);
    } else {
        ev = kh_xcalloc(1, sizeof *ev);
    }
    ev->mentions = ev->inline_mentions;
    ev->mention_capacity = KH_DEDUP_INLINE_MENTIONS;
    return ev;
}

static void held_free(kh_dedup_doc *h)
{
    kh_arena_free(&h->strings);   /* every string, event, meta and ref */
    free(h->sentences);
    free(h);
}

/* A handed-on document: kept, with its arena's block and its sentence
 * array, for the next document (spares and held documents are never more
 * than stats.peak_held_docs), unless either is large. */
static void held_recycle(kh_dedup *d, kh_dedup_doc *h)
{
    if (h->strings.block_size > KH_DEDUP_SPARE_LARGEST ||
        h->capacity * sizeof *h->sentences > KH_DEDUP_SPARE_LARGEST) {
        held_free(h);
        return;
    }
    kh_arena_reset(&h->strings);
    h->next = d->spare_docs;
    d->spare_docs = h;
}

/* A zeroed held document, but for what a spare keeps: its arena (reset)
 * and its sentence array (count 0). */
static kh_dedup_doc *doc_alloc(kh_dedup *d)
{
    kh_dedup_doc *h = d->spare_docs;
    if (!h)
        return kh_xcalloc(1, sizeof *h);
    d->spare_docs = h->next;
    kh_arena strings = h->strings;
    kh_dedup_sentence *sentences = h->sentences;
    size_t capacity = h->capacity;
    memset(h, 0, sizeof *h);
    h->strings = strings;
    h->sentences = sentences;
    h->capacity = capacity;
    return h;
}

/* ------------------------------------------------------------------ */

kh_dedup *kh_dedup_new(int window_days, int merge)
{
    kh_dedup *d = kh_xcalloc(1, sizeof *d);
    d->window = window_days < 0 ? 0 : window_days;
    d->merge = merge;
    d->buckets = kh_xcalloc(INITIAL_BUCKETS, sizeof *d->buckets);
    d->bucket_mask = INITIAL_BUCKETS - 1;
    d->newest_day = NO_DAY;
    return d;
}

/* Lets go of a held document's reports, freeing merged events that no
 * held report needs any more. */
static void drop_refs(kh_dedup *d, kh_dedup_doc *h)
{
    for (size_t i = 0; i < h->count; i++) {
        kh_dedup_sentence *s = &h->sentences[i];
        for (size_t k = 0; k < s->events.count; k++) {
            kh_dedup_event *ev = s->refs[k].merged;
            if (s->refs[k].first)
                forget_first_report(ev);
            if (--ev->holders == 0 && !ev->linked)
                merged_free(d, ev);
        }
    }
}

void kh_dedup_free(kh_dedup *d)
{
    if (!d)
        return;
    for (size_t i = 0; i <= d->bucket_mask; i++)
        for (kh_dedup_event *ev = d->buckets[i]; ev; ev = ev->next_in_bucket)
            ev->linked = 0;
    while (d->head) {
        kh_dedup_doc *h = d->head;
        d->head = h->next;
        drop_refs(d, h);
        held_free(h);
    }
    while (d->spare_docs) {
        kh_dedup_doc *h = d->spare_docs;
        d->spare_docs = h->next;
        held_free(h);
    }
    while (d->spare_events) {
        kh_dedup_event *ev = d->spare_events;
        d->spare_events = ev->next_in_bucket;
        free(ev);
    }
    free(d->buckets);
    free(d);
}

void kh_dedup_get_stats(const kh_dedup *d, kh_dedup_stats *stats)
{
    *stats = d->stats;
}

void kh_dedup_end_doc(kh_dedup *d)
{
    d->open = NULL;
}

/* A new held document, last in the queue and open; its `doc` is the
 * caller's to fill. */
static kh_dedup_doc *hold_doc(kh_dedup *d)
{
    kh_dedup_end_doc(d);
    kh_dedup_doc *h = doc_alloc(d);
    h->seq = ++d->doc_seq;
    if (d->tail)
        d->tail->next = h;
    else
        d->head = h;
    d->tail = h;
    d->open = h;
    if (++d->stats.held_docs > d->stats.peak_held_docs)
        d->stats.peak_held_docs = d->stats.held_docs;
    return h;
}

/* The arena block of a document of `len` bytes (KH_DEDUP_ARENA_SLACK):
 * a power of two, so that a spare's block is the one the next document
 * of about its size needs, at most twice the room it needs. */
static size_t doc_block_size(size_t len)
{
    size_t need = KH_DEDUP_ARENA_SLACK + 2 * len, block = KH_DEDUP_ARENA_SLACK;
    while (block < need)
        block *= 2;
    return block;
}

void kh_dedup_begin_doc(kh_dedup *d, const kh_doc *doc)
{
    kh_dedup_doc *h = hold_doc(d);
    size_t block = doc_block_size(doc->len);
    if (h->strings.block_size != block) {   /* a new one, or a spare's misfit */
        kh_arena_free(&h->strings);
        kh_arena_init_sized(&h->strings, block);
    }
    doc_copy(&h->strings, &h->doc, doc);
    h->caller_text = (uintptr_t)doc->text;
}

/* The held copy of a sentence: a slice of the held text when it is one of
 * the caller's, which is most of them (a copy of its own cost more than
 * the rest of the sentence). */
static const char *hold_text(kh_dedup_doc *h, const char *text, size_t len)
{
    uintptr_t at = (uintptr_t)text;
    if (h->doc.text && at >= h->caller_text && at - h->caller_text <= h->doc.len &&
        len <= h->doc.len - (at - h->caller_text))
        return h->doc.text + (at - h->caller_text);
    return kh_arena_strndup(&h->strings, text, len);
}

/* ---- matching ---- */

/* The clock moves to `date`, `day` in days, if it is newer. */
static void advance_clock(kh_dedup *d, long date, long day)
{
    if (date > 0 && day > d->newest_day)
        d->newest_day = day;
}

static int in_open_doc(const kh_dedup *d, const kh_dedup_event *ev)
{
    return d->open && ev->doc_seq == d->open->seq;
}

/* Has the clock moved past the event's window, or its first report out of
 * the documents kept?  Then it is final and takes no more reports. */
static int closed(const kh_dedup *d, const kh_dedup_event *ev)
{
    if (d->doc_seq - ev->first_seq >= KH_DEDUP_WINDOW_DOCS)
        return 1;
    if (in_open_doc(d, ev))
        return 0;
    if (ev->date == 0)
        return 1;
    return ev->day + d->window < d->newest_day;
}

/* The within-document rule: the same day, or one of the two dates is only
 * the article's date and so cannot tell two happenings apart. */
static int same_doc_dates_agree(const kh_dedup_event *ev, const kh_event *e, long date)
{
    int vague_new = e->date_source <= KH_DATE_ARTICLE;
    int vague_old = ev->event.date_source <= KH_DATE_ARTICLE;
    return vague_new || vague_old || date == ev->date;
}

/* How far `date` (`day` in days) is from the merged event, in days; -1
 * when they may not merge at all. */
static long date_distance(const kh_dedup *d, const kh_dedup_event *ev,
                          const kh_event *e, long date, long day)
{
    if (in_open_doc(d, ev)) /* one story: its own dates decide */
        return same_doc_dates_agree(ev, e, date) ? 0 : -1;
    if (date == 0 || ev->date == 0)
        return -1;
    long diff = labs(day - ev->day);
    return diff <= d->window ? diff : -1;
}

/* The live event this report, of `date` (`day` in days), belongs to: same
 * key, closest date.  Closed events met on the way leave the table. */
static kh_dedup_event *find_match(kh_dedup *d, const kh_event *e, unsigned long h, long date,
                                  long day)
{
    kh_dedup_event *best = NULL;
    long best_dist = -1;
    kh_dedup_event **p = &d->buckets[h & d->bucket_mask];
    while (*p) {
        kh_dedup_event *ev = *p;
        d->stats.compared++;
        if (closed(d, ev)) {
            *p = ev->next_in_bucket;
            ev->linked = 0;
            d->linked--;
            continue;
        }
        p = &ev->next_in_bucket;
        if (ev->hash != h || !same_key(&ev->event, e) || other_quote(&ev->event, e))
            continue;
        long dist = date_distance(d, ev, e, date, day);
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

static kh_dedup_event *create_event(kh_dedup *d, const kh_event *e, unsigned long h,
                                    long date, long day)
{
    kh_dedup_event *ev = event_alloc(d);
    ev->id = e->id;
    ev->event = *e;     /* its strings stay the held report's */
    ev->date = date;
    ev->day = day;
    ev->hash = h;
    ev->first_seq = d->open->seq;
    if (d->merge) {
        if (d->linked >= (d->bucket_mask + 1) * MAX_LOAD)
            grow_buckets(d);
        ev->next_in_bucket = d->buckets[h & d->bucket_mask];
        d->buckets[h & d->bucket_mask] = ev;
        ev->linked = 1;
        d->linked++;
    }
    d->stats.events++;
    if (++d->stats.live > d->stats.peak_live)
        d->stats.peak_live = d->stats.live;
    return ev;
}

/* Doubles the room for mentions, moving them out of the event itself the
 * first time. */
static void grow_mentions(kh_dedup_event *ev)
{
    size_t size = ev->mention_capacity * sizeof *ev->mentions;
    if (ev->mentions == ev->inline_mentions)
        ev->mentions = memcpy(kh_xmalloc(2 * size), ev->inline_mentions, size);
    else
        ev->mentions = kh_xrealloc(ev->mentions, 2 * size);
    ev->mention_capacity *= 2;
}

static void add_mention(kh_dedup *d, kh_dedup_event *ev, const kh_dedup_sentence *s,
                        const kh_event *e)
{
    const kh_doc *doc = &d->open->doc;
    if (ev->mention_count == ev->mention_capacity)
        grow_mentions(ev);
    kh_dedup_report *m = &ev->mentions[ev->mention_count++];
    m->doc_id = str_or_empty(doc->id);
    m->outlet = doc->source;
    m->url = doc->url;
    m->doc_date = doc->date;
    m->doc_len = doc->len;
    m->sent_no = s->sent_no;
    m->sentence_offset = s->offset;
    m->source_span = e->source_span;
    m->verb_span = e->verb_span;
    m->target_span = e->target_span;
    m->flags = e->flags;
    if (ev->doc_seq != d->open->seq)
        ev->article_count++;
    ev->doc_seq = d->open->seq;
    ev->holders++;
    ev->event.mentions = (int)ev->mention_count;
}

/* Files one report (the held copy `e`) under its merged event. */
static void add_report(kh_dedup *d, kh_dedup_sentence *s, size_t k)
{
    kh_event *e = &s->events.items[k];
    const kh_doc *doc = &d->open->doc;
    long date = e->event_date > 0 ? e->event_date : doc->date;
    long day = date ? kh_date_to_days(date) : 0;   /* 0: undated, never used */
    e->id = kh_dedup_event_id(doc->id, s->sent_no, e);
    /* The clock runs on the earlier of the two dates: a story about
     * yesterday does not close yesterday's events, and a date in the
     * future ("elections on 5 December") does not close today's. */
    if (doc->date > 0 && doc->date < date)
        advance_clock(d, doc->date, kh_date_to_days(doc->date));
    else
        advance_clock(d, date, day);
    d->stats.reports++;
    if (date > 0 && day + d->window < d->newest_day)
        d->stats.late++; /* its peers may already be gone */
    unsigned long h = key_hash(e);
    kh_dedup_event *ev = d->merge ? find_match(d, e, h, date, day) : NULL;
    s->refs[k].first = ev == NULL;
    if (!ev)
        ev = create_event(d, e, h, date, day);
    s->refs[k].merged = ev;
    add_mention(d, ev, s, e);
}

/* A new held sentence of the open document, without events yet. */
static kh_dedup_sentence *hold_sentence(kh_dedup_doc *h, int sent_no, long offset)
{
    if (h->count == h->capacity) {
        h->capacity = h->capacity ? h->capacity * 2 : 8;
        h->sentences = kh_xrealloc(h->sentences, h->capacity * sizeof *h->sentences);
    }
    kh_dedup_sentence *s = &h->sentences[h->count++];
    s->sent_no = sent_no;
    s->offset = offset;
    s->refs = NULL;
    kh_events_init(&s->events);
    return s;
}

/* Files the held sentence's events, already in s->events. */
static void add_reports(kh_dedup *d, kh_dedup_sentence *s)
{
    if (s->events.count == 0)      /* most sentences: nothing to allocate */
        return;
    /* add_report sets each */
    s->refs = kh_arena_take(&d->open->strings, s->events.count * sizeof *s->refs);
    for (size_t k = 0; k < s->events.count; k++)
        add_report(d, s, k);
}

void kh_dedup_add_sentence(kh_dedup *d, int sent_no, const char *text, size_t len,
                           long offset, const kh_events *events)
{
    if (!d->open)
        return;
    kh_dedup_sentence *s = hold_sentence(d->open, sent_no, offset);
    kh_arena *a = &d->open->strings;
    s->len = text ? len : 0;
    s->text = hold_text(d->open, text ? text : "", s->len);
    size_t n = events ? events->count : 0;
    if (n) {
        s->events.items = kh_arena_take(a, n * sizeof *s->events.items);
        s->events.capacity = n;
        for (size_t k = 0; k < n; k++)
            event_copy(a, &s->events.items[s->events.count++], &events->items[k]);
    }
    add_reports(d, s);
}

/* ---- handing documents on ---- */

/* A held document is final when it has ended and every event it reported
 * first is closed (or, without merging, at once). */
static int doc_final(const kh_dedup *d, const kh_dedup_doc *h)
{
    if (h == d->open)
        return 0;
    if (!d->merge || d->doc_seq - h->seq >= KH_DEDUP_WINDOW_DOCS)
        return 1;
    for (size_t i = 0; i < h->count; i++)
        for (size_t k = 0; k < h->sentences[i].events.count; k++) {
            const kh_dedup_ref *r = &h->sentences[i].refs[k];
            if (r->first && r->merged->linked && !closed(d, r->merged))
                return 0;
        }
    return 1;
}

static int cmp_str_ptr(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static const char *source_of(const kh_dedup_report *m)
{
    return m->outlet ? m->outlet : m->doc_id;
}

/* Distinct sources among few mentions, each compared with those before
 * it: no allocation, and fewer comparisons than a sort below
 * FEW_MENTIONS. */
static size_t count_few_sources(const kh_dedup_event *ev)
{
    size_t n = 0;
    for (size_t i = 0; i < ev->mention_count; i++) {
        size_t k = 0;
        while (k < i && strcmp(source_of(&ev->mentions[k]), source_of(&ev->mentions[i])) != 0)
            k++;
        n += k == i;
    }
    return n;
}

/* Distinct outlets among the mentions; a mention without an outlet counts
 * its document as the source.  Sorting keeps it O(m log m). */
static void count_sources(kh_dedup_event *ev)
{
    if (ev->mention_count < FEW_MENTIONS) {  /* most events */
        ev->source_count = count_few_sources(ev);
        return;
    }
    const char **names = kh_xmalloc((ev->mention_count + 1) * sizeof *names);
    for (size_t i = 0; i < ev->mention_count; i++)
        names[i] = source_of(&ev->mentions[i]);
    qsort(names, ev->mention_count, sizeof *names, cmp_str_ptr);
    size_t n = 0;
    for (size_t i = 0; i < ev->mention_count; i++)
        n += i == 0 || strcmp(names[i], names[i - 1]) != 0;
    ev->source_count = n;
    free(names);
}

static void unlink_event(kh_dedup *d, kh_dedup_event *ev)
{
    kh_dedup_event **p = &d->buckets[ev->hash & d->bucket_mask];
    while (*p != ev)
        p = &(*p)->next_in_bucket;
    *p = ev->next_in_bucket;
    ev->linked = 0;
    d->linked--;
}

/* The document's first reports become final: out of the table, their
 * counts fixed and copied into the held events the writer reads. */
static void finish_doc(kh_dedup *d, kh_dedup_doc *h)
{
    for (size_t i = 0; i < h->count; i++) {
        kh_dedup_sentence *s = &h->sentences[i];
        for (size_t k = 0; k < s->events.count; k++) {
            kh_dedup_event *ev = s->refs[k].merged;
            if (!s->refs[k].first)
                continue;
            if (ev->linked)
                unlink_event(d, ev);
            count_sources(ev);
            if (d->merge) /* without, the coder's count stands */
                s->events.items[k].mentions = (int)ev->mention_count;
        }
    }
}

int kh_dedup_release(kh_dedup *d, int all, kh_dedup_visit visit, void *ctx)
{
    if (all)
        kh_dedup_end_doc(d);
    int rc = 0;
    while (d->head && (all || doc_final(d, d->head))) {
        kh_dedup_doc *h = d->head;
        finish_doc(d, h);
        int r = visit ? visit(ctx, h) : 0;
        if (rc == 0)
            rc = r;
        d->head = h->next;
        if (!d->head)
            d->tail = NULL;
        drop_refs(d, h);
        held_recycle(d, h);
        d->stats.held_docs--;
    }
    return rc;
}
