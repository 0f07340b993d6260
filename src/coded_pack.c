/* coded_pack.c -- coded documents as bytes (coded_pack.h).
 *
 * A record is its length (8 bytes) and then its fields in a fixed order:
 * numbers as 8-byte integers (doubles as their 8 bytes), strings as their
 * length and bytes, with length -1 for NULL.  The decoder checks every
 * length against the bytes it has, so a damaged stream is an error, not
 * a read past the end. */
#include "coded_pack.h"
#include "util.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- the interned strings ---- */

void kh_pack_strings_init(kh_pack_strings *s)
{
    memset(s, 0, sizeof *s);
    kh_strmap_init(&s->index);
}

void kh_pack_strings_free(kh_pack_strings *s)
{
    kh_strmap_free(&s->index);
    for (size_t i = 0; i < s->count; i++)
        free(s->items[i]);
    free(s->items);
    memset(s, 0, sizeof *s);
}

/* The one kept copy of p[0, n). */
static const char *intern(kh_pack_strings *s, const char *p, size_t n)
{
    const char *key = kh_strmap_get_key(&s->index, p, n);
    if (key)
        return key;
    if (s->count == s->capacity) {
        s->capacity = s->capacity ? s->capacity * 2 : 64;
        s->items = kh_xrealloc(s->items, s->capacity * sizeof *s->items);
    }
    char *copy = kh_xstrndup(p, n);
    s->items[s->count] = copy;
    kh_strmap_put(&s->index, copy, (int)s->count);
    s->count++;
    return copy;
}

/* ---- packing ---- */

static void put_num(kh_buf *b, int64_t v)
{
    kh_buf_add(b, &v, sizeof v);
}

static void put_double(kh_buf *b, double v)
{
    kh_buf_add(b, &v, sizeof v);
}

static void put_str_n(kh_buf *b, const char *s, size_t n)
{
    put_num(b, s ? (int64_t)n : -1);
    if (s)
        kh_buf_add(b, s, n);
}

static void put_str(kh_buf *b, const char *s)
{
    put_str_n(b, s, s ? strlen(s) : 0);
}

static void put_span(kh_buf *b, kh_span s)
{
    put_num(b, s.start);
    put_num(b, s.end);
}

static void put_doc(kh_buf *b, const kh_doc *d)
{
    put_str(b, d->id);
    put_num(b, d->date);
    put_str_n(b, d->text, d->len);
    put_str(b, d->title);
    put_str(b, d->source);
    put_str(b, d->url);
    put_str(b, d->place);
    put_str(b, d->path);
    put_num(b, (int64_t)d->meta_count);
    for (size_t i = 0; i < d->meta_count; i++) {
        put_str(b, d->meta[i].key);
        put_str(b, d->meta[i].value);
    }
    put_num(b, d->is_record);
}

static void put_place(kh_buf *b, const kh_place *p)
{
    put_str(b, p->name);
    put_str(b, p->country);
    put_str(b, p->fips);
    put_str(b, p->admin1);
    put_double(b, p->lat);
    put_double(b, p->lon);
    put_num(b, p->precision);
    put_span(b, p->span);
}

static void put_event(kh_buf *b, const kh_event *e)
{
    put_str(b, e->source);
    put_str(b, e->target);
    put_str(b, e->source_text);
    put_str(b, e->target_text);
    put_str(b, e->code);
    put_span(b, e->source_span);
    put_span(b, e->verb_span);
    put_span(b, e->target_span);
    put_str(b, e->pattern);
    put_str(b, e->dict_file);
    put_num(b, e->dict_line);
    put_str(b, e->issues);
    put_num(b, e->flags);
    put_num(b, e->event_date);
    put_num(b, e->date_source);
    put_num(b, e->date_precision);
    put_place(b, &e->place);
    put_str(b, e->quote);
    put_str(b, e->speaker);
    put_span(b, e->quote_span);
    put_num(b, e->mentions);
    put_num(b, (int64_t)e->id);
}

void kh_pack_coded(kh_buf *out, const kh_doc *doc, const kh_coded_doc *coded)
{
    size_t head = out->len;
    put_num(out, 0);                 /* the length, set below */
    put_doc(out, doc);
    put_num(out, coded->events);
    put_num(out, coded->held_back);
    put_num(out, coded->discarded);
    put_num(out, coded->undated);
    put_num(out, coded->too_long);
    put_num(out, (int64_t)coded->count);
    for (size_t i = 0; i < coded->count; i++) {
        const kh_coded_sentence *s = &coded->items[i];
        put_num(out, (int64_t)s->start);
        put_num(out, (int64_t)s->end);
        put_num(out, s->discarded);
        put_num(out, (int64_t)s->events.count);
        for (size_t k = 0; k < s->events.count; k++)
            put_event(out, &s->events.items[k]);
    }
    int64_t body = (int64_t)(out->len - head - sizeof body);
    memcpy(out->data + head, &body, sizeof body);
}

/* ---- unpacking ---- */

typedef struct reader {
    const char *p, *end;
    int bad;               /* a length ran past the record */
    kh_pack_strings *strings;
} reader;

static int64_t get_num(reader *r)
{
    int64_t v = 0;
    if ((size_t)(r->end - r->p) < sizeof v) {
        r->bad = 1;
        return 0;
    }
    memcpy(&v, r->p, sizeof v);
    r->p += sizeof v;
    return v;
}

static double get_double(reader *r)
{
    double v = 0;
    if ((size_t)(r->end - r->p) < sizeof v) {
        r->bad = 1;
        return 0;
    }
    memcpy(&v, r->p, sizeof v);
    r->p += sizeof v;
    return v;
}

/* A string's bytes where they lie, or NULL (NULL string or damage). */
static const char *get_bytes(reader *r, size_t *n)
{
    int64_t len = get_num(r);
    *n = 0;
    if (len < 0 || r->bad)
        return NULL;
    if ((uint64_t)len > (uint64_t)(r->end - r->p)) {
        r->bad = 1;
        return NULL;
    }
    const char *s = r->p;
    r->p += len;
    *n = (size_t)len;
    return s;
}

static char *get_str(reader *r)
{
    size_t n;
    const char *s = get_bytes(r, &n);
    return s ? kh_xstrndup(s, n) : NULL;
}

/* Into a fixed field (an event's code, a place's country): what fits. */
static void get_fixed(reader *r, char *to, size_t size)
{
    size_t n;
    const char *s = get_bytes(r, &n);
    if (s && n >= size)
        r->bad = 1;
    else if (s)
        memcpy(to, s, n);
    to[s && n < size ? n : 0] = 0;
}

static const char *get_interned(reader *r)
{
    size_t n;
    const char *s = get_bytes(r, &n);
    return s ? intern(r->strings, s, n) : NULL;
}

static kh_span get_span(reader *r)
{
    kh_span s;
    s.start = (long)get_num(r);
    s.end = (long)get_num(r);
    return s;
}

static void get_doc(reader *r, kh_doc *d)
{
    d->id = get_str(r);
    d->date = (long)get_num(r);
    size_t n;
    const char *text = get_bytes(r, &n);
    d->text = text ? kh_xstrndup(text, n) : NULL;
    d->len = n;
    d->title = get_str(r);
    d->source = get_str(r);
    d->url = get_str(r);
    d->place = get_str(r);
    d->path = get_str(r);
    int64_t meta = get_num(r);
    /* Each member takes at least 16 bytes: a damaged count cannot make
     * a huge allocation. */
    if (meta < 0 || (uint64_t)meta > (uint64_t)(r->end - r->p) / 16) {
        r->bad = 1;
        meta = 0;
    }
    d->meta = meta ? kh_xcalloc((size_t)meta, sizeof *d->meta) : NULL;
    for (int64_t i = 0; i < meta; i++, d->meta_count++) {
        d->meta[i].key = get_str(r);
        d->meta[i].value = get_str(r);
        if (!d->meta[i].key)
            d->meta[i].key = kh_xstrdup("");
        if (!d->meta[i].value)
            d->meta[i].value = kh_xstrdup("");
    }
    d->is_record = (int)get_num(r);
}

static void get_place(reader *r, kh_place *p)
{
    p->name = get_str(r);
    get_fixed(r, p->country, sizeof p->country);
    get_fixed(r, p->fips, sizeof p->fips);
    get_fixed(r, p->admin1, sizeof p->admin1);
    p->lat = get_double(r);
    p->lon = get_double(r);
    p->precision = (int)get_num(r);
    p->span = get_span(r);
}

static void get_event(reader *r, kh_event *e)
{
    e->source = get_str(r);
    e->target = get_str(r);
    e->source_text = get_str(r);
    e->target_text = get_str(r);
    get_fixed(r, e->code, sizeof e->code);
    e->source_span = get_span(r);
    e->verb_span = get_span(r);
    e->target_span = get_span(r);
    e->pattern = get_interned(r);
    e->dict_file = get_interned(r);
    e->dict_line = (long)get_num(r);
    e->issues = get_str(r);
    e->flags = (unsigned)get_num(r);
    e->event_date = (long)get_num(r);
    e->date_source = (int)get_num(r);
    e->date_precision = (int)get_num(r);
    get_place(r, &e->place);
    e->quote = get_str(r);
    e->speaker = get_str(r);
    e->quote_span = get_span(r);
    e->mentions = (int)get_num(r);
    e->id = (uint64_t)get_num(r);
}

/* A count of things each at least `least` bytes long, or -1. */
static int64_t get_count(reader *r, size_t least)
{
    int64_t n = get_num(r);
    if (n < 0 || (uint64_t)n > (uint64_t)(r->end - r->p) / least) {
        r->bad = 1;
        return -1;
    }
    return n;
}

static void get_sentences(reader *r, kh_coded_doc *c)
{
    int64_t n = get_count(r, 32);          /* four numbers each */
    if (n <= 0)
        return;
    c->items = kh_xcalloc((size_t)n, sizeof *c->items);
    c->capacity = (size_t)n;
    for (int64_t i = 0; i < n && !r->bad; i++, c->count++) {
        kh_coded_sentence *s = &c->items[i];
        s->start = (size_t)get_num(r);
        s->end = (size_t)get_num(r);
        s->discarded = (int)get_num(r);
        int64_t events = get_count(r, 8);
        if (events <= 0)
            continue;
        s->events.items = kh_xcalloc((size_t)events, sizeof *s->events.items);
        s->events.capacity = (size_t)events;
        for (int64_t k = 0; k < events && !r->bad; k++, s->events.count++)
            get_event(r, &s->events.items[k]);
    }
}

/* Sentences must lie inside the text: the writer reads them there. */
static int spans_fit(const kh_doc *d, const kh_coded_doc *c)
{
    for (size_t i = 0; i < c->count; i++)
        if (c->items[i].start > c->items[i].end || c->items[i].end > d->len)
            return 0;
    return 1;
}

long kh_unpack_coded(const char *data, size_t len, kh_pack_strings *strings,
                     kh_doc *doc, kh_coded_doc *coded)
{
    int64_t body;
    if (len < sizeof body)
        return 0;
    memcpy(&body, data, sizeof body);
    if (body < 0 || (uint64_t)body > (uint64_t)LONG_MAX - sizeof body)
        return -1;
    if ((uint64_t)body > len - sizeof body)
        return 0;
    reader r = {data + sizeof body, data + sizeof body + body, 0, strings};
    get_doc(&r, doc);
    coded->events = (long)get_num(&r);
    coded->held_back = (long)get_num(&r);
    coded->discarded = (long)get_num(&r);
    coded->undated = (int)get_num(&r);
    coded->too_long = (long)get_num(&r);
    get_sentences(&r, coded);
    if (r.bad || r.p != r.end || !spans_fit(doc, coded)) {
        kh_doc_clear(doc);
        kh_coded_doc_free(coded);
        return -1;
    }
    return (long)(sizeof body + (size_t)body);
}
