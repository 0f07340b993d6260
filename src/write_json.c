/* write_json.c -- JSON lines output: one object per event (docs/schema.md).
 * The field names are a contract with the tools that read khaldun's output:
 * add fields freely, never rename one. */
#include "write_backends.h"
#include "write_fields.h"
#include "date.h"
#include "cameo.h"
#include "util.h"

#include <jansson.h>
#include <utf8proc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Significant digits for reals: Goldstein values have one decimal, and
 * jansson's default (17) prints 1.9 as 1.8999999999999999. */
#define REAL_DIGITS 6

/* A JSON string from bytes that should be UTF-8.  jansson refuses invalid
 * UTF-8, so a string that is not is written with each bad byte replaced by
 * U+FFFD rather than dropped or aborting the record.  NULL gives null. */
static json_t *text_json(const char *s, size_t len)
{
    if (!s)
        return json_null();
    json_t *j = json_stringn(s, len);
    if (j)
        return j;
    char *fixed = kh_xmalloc(len * 3 + 1); /* U+FFFD is 3 bytes per bad byte */
    size_t n = 0;
    for (size_t i = 0; i < len;) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t got = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                                (utf8proc_ssize_t)(len - i), &cp);
        if (got > 0) {
            memcpy(fixed + n, s + i, (size_t)got);
            n += (size_t)got;
            i += (size_t)got;
        } else {
            memcpy(fixed + n, "\xEF\xBF\xBD", 3);
            n += 3;
            i++;
        }
    }
    j = json_stringn(fixed, n);
    free(fixed);
    return j ? j : json_null();
}

static json_t *cstr_json(const char *s) { return text_json(s, s ? strlen(s) : 0); }

static json_t *span_json(kh_span span)
{
    if (span.start < 0 || span.end < 0)
        return json_null();
    return json_pack("[II]", (json_int_t)span.start, (json_int_t)span.end);
}

static json_t *offsets_json(const kh_event *e)
{
    return json_pack("{s:o,s:o,s:o}", "source", span_json(e->source_span),
                     "verb", span_json(e->verb_span),
                     "target", span_json(e->target_span));
}

/* "a;b" -> ["a","b"]; NULL or "" -> null. */
static json_t *issues_json(const char *issues)
{
    if (!issues || !*issues)
        return json_null();
    json_t *list = json_array();
    for (const char *p = issues; *p;) {
        size_t n = strcspn(p, ";");
        if (n > 0)
            json_array_append_new(list, text_json(p, n));
        p += n + (p[n] == ';');
    }
    return list;
}

/* The CAMEO fields: code, root, quad, goldstein, plover and its parts.
 * A code that is not CAMEO keeps its text and gets nulls for the rest. */
static void add_cameo_fields(json_t *o, const char *code)
{
    const kh_cameo_info *info = kh_cameo_lookup(code);
    char root[KH_CAMEO_ROOT_SIZE];
    json_object_set_new(o, "code", cstr_json(code));
    json_object_set_new(o, "root", kh_cameo_root(code, root) == 0
                                       ? json_string(root) : json_null());
    int quad = kh_cameo_quad(code);
    json_object_set_new(o, "quad", quad ? json_integer(quad) : json_null());
    json_object_set_new(o, "goldstein",
                        info ? json_real(info->goldstein) : json_null());
    json_object_set_new(o, "plover", cstr_json(info ? info->plover : NULL));
    json_object_set_new(o, "plover_mode", cstr_json(info ? info->plover_mode : NULL));
    json_object_set_new(o, "plover_context",
                        cstr_json(info ? info->plover_context : NULL));
    json_object_set_new(o, "event_name", cstr_json(info ? info->name : NULL));
}

/* The actor code split (cameo.h): the field `country_key`, a CAMEO
 * country or region code or null, and `sectors_key`, the other 3-letter
 * groups. */
static void add_actor_parts(json_t *o, const char *country_key, const char *sectors_key,
                            const char *code)
{
    kh_actor_parts parts = {0};
    int ok = code && *code && strcmp(code, "---") != 0;
    if (ok)
        kh_actor_code_split(code, &parts);
    json_t *sectors = json_array();
    for (size_t i = 0; ok && i < parts.group_count; i++)
        json_array_append_new(sectors, cstr_json(parts.groups[i]));
    json_object_set_new(o, country_key, ok && parts.country[0] ? json_string(parts.country)
                                                               : json_null());
    json_object_set_new(o, sectors_key, sectors);
    if (ok)
        kh_actor_parts_free(&parts);
}

static json_t *place_json(const kh_place *p)
{
    if (p->precision == KH_PLACE_NONE && !p->name && !p->country[0])
        return json_null();
    json_t *o = json_object();
    json_object_set_new(o, "name", cstr_json(p->name));
    json_object_set_new(o, "country", p->country[0] ? cstr_json(p->country) : json_null());
    json_object_set_new(o, "fips", p->fips[0] ? cstr_json(p->fips) : json_null());
    json_object_set_new(o, "admin1", p->admin1[0] ? cstr_json(p->admin1) : json_null());
    int located = p->precision != KH_PLACE_NONE;
    json_object_set_new(o, "lat", located ? json_real(p->lat) : json_null());
    json_object_set_new(o, "lon", located ? json_real(p->lon) : json_null());
    json_object_set_new(o, "precision", cstr_json(kh_write_precision_name(p->precision)));
    json_object_set_new(o, "span", span_json(p->span));
    return o;
}

/* Enrichment: when and where it happened, what was said, how often. */
/* A compound actor stays a list: the distinct sources (or targets) of all
 * events that share this event's verb and code ("Russia, Iran and Turkey
 * ... guarantors" -> ["RUS", "IRN", "TUR"]). */
static json_t *group_json(const kh_events *events, const kh_event *e, int sources)
{
    json_t *list = json_array();
    for (size_t i = 0; i < events->count; i++) {
        const kh_event *o = &events->items[i];
        if (strcmp(o->code, e->code) != 0 || o->verb_span.start != e->verb_span.start ||
            o->verb_span.end != e->verb_span.end)
            continue;
        const char *code = sources ? o->source : o->target;
        int seen = 0;
        for (size_t k = 0; k < json_array_size(list) && !seen; k++)
            seen = strcmp(json_string_value(json_array_get(list, k)), code) == 0;
        if (!seen)
            json_array_append_new(list, json_string(code));
    }
    return list;
}

static void add_enrichment(json_t *o, const kh_write_item *it, const kh_event *e)
{
    char date[KH_DATE_ISO_SIZE];
    json_object_set_new(o, "event_date", kh_date_format_iso(e->event_date, date) == 0
                                             ? json_string(date) : json_null());
    json_object_set_new(o, "date_source",
                        cstr_json(kh_write_date_source_name(e->date_source)));
    json_object_set_new(o, "place", place_json(&e->place));
    json_object_set_new(o, "quote", cstr_json(e->quote));
    json_object_set_new(o, "speaker", cstr_json(e->speaker));
    json_object_set_new(o, "quote_span", e->quote ? span_json(e->quote_span) : json_null());
    json_object_set_new(o, "mentions", json_integer(e->mentions > 0 ? e->mentions : 1));
    json_object_set_new(o, "compound", json_integer(kh_write_compound_size(it->events, e)));
    json_object_set_new(o, "source_group", group_json(it->events, e, 1));
    json_object_set_new(o, "target_group", group_json(it->events, e, 0));
}

static json_t *event_json(const kh_write_item *it, const kh_event *e)
{
    char date[KH_DATE_ISO_SIZE];
    json_t *o = json_object();
    json_object_set_new(o, "doc", cstr_json(it->doc->id));
    json_object_set_new(o, "sent", json_integer(it->sent_no));
    json_object_set_new(o, "date", kh_date_format_iso(it->doc->date, date) == 0
                                       ? json_string(date) : json_null());
    json_object_set_new(o, "source", cstr_json(e->source));
    json_object_set_new(o, "source_text", cstr_json(e->source_text));
    json_object_set_new(o, "target", cstr_json(e->target));
    json_object_set_new(o, "target_text", cstr_json(e->target_text));
    add_actor_parts(o, "source_country", "source_sectors", e->source);
    add_actor_parts(o, "target_country", "target_sectors", e->target);
    add_cameo_fields(o, e->code);
    add_enrichment(o, it, e);
    json_object_set_new(o, "sentence", text_json(it->sentence, it->sentence_len));
    json_object_set_new(o, "sentence_offset", json_integer(it->sentence_offset));
    json_object_set_new(o, "offsets", offsets_json(e));
    json_object_set_new(o, "pattern", cstr_json(e->pattern));
    char *ref = kh_write_dict_ref(e);
    json_object_set_new(o, "dict", cstr_json(ref));
    free(ref);
    for (size_t i = 0; i < kh_write_flag_count; i++)
        json_object_set_new(o, kh_write_flags[i].name,
                            json_boolean(e->flags & kh_write_flags[i].bit));
    json_object_set_new(o, "issues", issues_json(e->issues));
    if (it->doc->url)
        json_object_set_new(o, "url", cstr_json(it->doc->url));
    return o;
}

static int jsonl_add(kh_writer *w, const kh_write_item *it)
{
    for (size_t i = 0; i < it->events->count; i++) {
        json_t *o = event_json(it, &it->events->items[i]);
        int rc = json_dumpf(o, w->out, JSON_COMPACT | JSON_REAL_PRECISION(REAL_DIGITS));
        json_decref(o);
        if (rc != 0 || fputc('\n', w->out) == EOF) {
            kh_diag_report(w->diag, KH_ERROR, w->path, 0, "write failed");
            return -1;
        }
    }
    return 0;
}

static int jsonl_close(kh_writer *w, int failed)
{
    return kh_write_stream_close(w, failed);
}

static const kh_writer_ops jsonl_ops = {NULL, jsonl_add, jsonl_close};

static int jsonl_open(kh_writer *w)
{
    w->ops = &jsonl_ops;
    return kh_write_stream_open(w);
}

const kh_write_backend kh_write_backend_jsonl = {{"jsonl", "json", NULL}, {NULL}, jsonl_open};
