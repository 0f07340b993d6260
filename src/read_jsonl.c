/*
 * read_jsonl.c -- JSON lines (read.h): one object per line, or a file
 * holding one array of objects.  id, date, title, text, source and url
 * have their places in kh_doc; other fields go to its meta.
 */
#include "read_format.h"
#include "date.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

/* A JSON file holding one array is read whole; its objects are then
 * returned one at a time. */
typedef struct json_state {
    json_t *array;
    size_t index;
} json_state;

static const char *json_type_name(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_STRING: return "a string";
    case JSON_INTEGER: return "an integer";
    case JSON_REAL: return "a number";
    case JSON_TRUE: case JSON_FALSE: return "a boolean";
    default: return "null";
    }
}

/* Fields with a place in kh_doc; everything else goes to meta. */
static const char *const json_text_keys[] = {"text", "body", "content",
                                             "article", NULL};

static int json_known(const char *key)
{
    static const char *const known[] = {"id", "date", "title", "source",
                                        "url", NULL};
    for (int i = 0; known[i]; i++)
        if (!strcmp(key, known[i]))
            return 1;
    return 0;
}

static void json_string_field(kh_read_input *in, json_t *obj, const char *key,
                              char **field, long line)
{
    json_t *v = json_object_get(obj, key);
    if (!v || json_is_null(v))
        return;
    if (json_is_string(v))
        *field = kh_read_clean_field(in, json_string_value(v), json_string_length(v));
    else if (json_is_integer(v) && !strcmp(key, "id"))
        *field = kh_xasprintf("%" JSON_INTEGER_FORMAT, json_integer_value(v));
    else
        kh_read_warn(in, line, "\"%s\" is %s, not a string; ignored", key,
                     json_type_name(v));
}

static long json_date(kh_read_input *in, json_t *obj, long line)
{
    json_t *v = json_object_get(obj, "date");
    long date = 0;
    if (!v || json_is_null(v))
        return 0;
    if (json_is_string(v))
        date = kh_date_parse(json_string_value(v));
    else if (json_is_integer(v)) {
        char digits[KH_INT_TEXT_SIZE(json_int_t)];
        snprintf(digits, sizeof digits, "%" JSON_INTEGER_FORMAT,
                 json_integer_value(v));
        date = kh_date_parse(digits);
    }
    if (!date)
        kh_read_warn(in, line, "\"date\" is not a date (want YYYY-MM-DD); ignored");
    return date;
}

static void json_meta(kh_doc *d, json_t *obj, const char *text_key)
{
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v) {
        if (json_known(key) || !strcmp(key, text_key) || json_is_null(v))
            continue;
        if (json_is_string(v)) {
            kh_read_meta_add(d, key, json_string_value(v));
        } else {
            char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
            kh_read_meta_add(d, key, s ? s : "");
            free(s);
        }
    }
}

/* One JSON object to a document.  Returns 1, or 0 after reporting. */
static int doc_from_json(kh_read_input *in, json_t *obj, long line, kh_doc *d)
{
    json_t *text = NULL;
    const char *text_key = NULL;
    for (int i = 0; json_text_keys[i] && !text; i++)
        if ((text = json_object_get(obj, json_text_keys[i])))
            text_key = json_text_keys[i];
    if (!text) {
        kh_read_skip(in, KH_READ_MALFORMED, line, "no \"text\" field");
        return 0;
    }
    if (!json_is_string(text)) {
        kh_read_skip(in, KH_READ_MALFORMED, line, "\"%s\" is %s, not a string",
             text_key, json_type_name(text));
        return 0;
    }
    if (!kh_read_set_text(in, d, json_string_value(text), json_string_length(text), 0)) {
        kh_read_skip(in, KH_READ_EMPTY, line, "empty \"%s\"", text_key);
        return 0;
    }
    json_string_field(in, obj, "id", &d->id, line);
    json_string_field(in, obj, "title", &d->title, line);
    json_string_field(in, obj, "source", &d->source, line);
    json_string_field(in, obj, "url", &d->url, line);
    d->date = json_date(in, obj, line);
    json_meta(d, obj, text_key);
    if (!d->id)
        d->id = kh_xasprintf("%s:%ld", kh_read_doc_name(in), line);
    kh_read_finish_doc(in, d, 0);
    return 1;
}

static int json_value_doc(kh_read_input *in, json_t *v, long line, kh_doc *out)
{
    if (!json_is_object(v)) {
        kh_read_skip(in, KH_READ_MALFORMED, line, "%s, not a JSON object",
             json_type_name(v));
        return 0;
    }
    return doc_from_json(in, v, line, out);
}

/* The next document of the array file, if it is one. */
static int next_in_array(kh_read_input *in, kh_doc *out)
{
    json_state *st = in->state;
    while (st && st->array && st->index < json_array_size(st->array)) {
        size_t i = st->index++;
        if (json_value_doc(in, json_array_get(st->array, i), (long)i + 1, out))
            return 1;
    }
    return 0;
}

/* The next document of a JSON-lines file (or of a JSON array file). */
static int json_next(kh_read_input *in, kh_doc *out)
{
    const char *s;
    size_t n;
    if (in->state)                 /* an array file has no lines after it */
        return next_in_array(in, out);
    while (kh_read_next_line(in, &s, &n)) {
        long line = in->line - 1;
        if (kh_read_only_space(s, n))
            continue;
        json_error_t err;
        json_t *v = json_loadb(s, n, JSON_ALLOW_NUL, &err);
        if (!v) {
            kh_read_skip(in, KH_READ_MALFORMED, line, "bad JSON: %s", err.text);
            continue;
        }
        int got = json_value_doc(in, v, line, out);
        json_decref(v);
        if (got)
            return 1;
    }
    return 0;
}

/* A file that starts with '[' is one array, parsed whole (up to
 * KH_MAX_DOCUMENT_BYTES); any other is read a line at a time. */
static void json_start(kh_read_input *in)
{
    size_t i = 0;
    while (i < in->head_len && strchr(" \t\n", in->head[i]))
        i++;
    if (i >= in->head_len || in->head[i] != '[')
        return;
    json_error_t err;
    json_state *st = kh_xcalloc(1, sizeof *st);
    in->state = st;
    const char *text;
    size_t len;
    if (!kh_read_whole(in, &text, &len))
        return;                   /* reported; no lines are read after it */
    st->array = json_loadb(text, len, JSON_ALLOW_NUL, &err);
    if (!st->array)
        kh_read_skip(in, KH_READ_MALFORMED, err.line, "bad JSON: %s", err.text);
    else if (!json_is_array(st->array))
        kh_read_skip(in, KH_READ_MALFORMED, 1, "not a JSON array");
}

static void json_close(kh_read_input *in)
{
    json_state *st = in->state;
    if (st)
        json_decref(st->array);
    free(st);
}

static int json_sniff(const char *d, size_t n)
{
    return n > 0 && (d[0] == '{' || d[0] == '[');
}

static const char *const json_names[] = {"jsonl", "json", "ndjson", NULL};
static const char *const json_extensions[] = {"jsonl", "ndjson", "json", NULL};

const kh_read_backend kh_read_jsonl = {
    .format = KH_FORMAT_JSONL,
    .names = json_names,
    .sniff = json_sniff,
    .extensions = json_extensions,
    .start = json_start,
    .next = json_next,
    .close = json_close,
};
