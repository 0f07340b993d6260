/* write_json.c -- JSON lines output: one object per event (docs/schema.md).
 * The field names are a contract with the tools that read khaldun's output:
 * add fields freely, never rename one. */
#include "write.h"
#include "cameo.h"
#include "util.h"

#include <jansson.h>
#include <utf8proc.h>
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
    char root[3];
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

static json_t *event_json(const kh_write_item *it, const kh_event *e)
{
    char date[11];
    json_t *o = json_object();
    json_object_set_new(o, "doc", cstr_json(it->doc->id));
    json_object_set_new(o, "sent", json_integer(it->sent_no));
    json_object_set_new(o, "date", kh_write_date_iso(it->doc->date, date) == 0
                                       ? json_string(date) : json_null());
    json_object_set_new(o, "source", cstr_json(e->source));
    json_object_set_new(o, "source_text", cstr_json(e->source_text));
    json_object_set_new(o, "target", cstr_json(e->target));
    json_object_set_new(o, "target_text", cstr_json(e->target_text));
    add_cameo_fields(o, e->code);
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

int kh_write_jsonl_open(kh_writer *w)
{
    w->ops = &jsonl_ops;
    return kh_write_stream_open(w);
}
