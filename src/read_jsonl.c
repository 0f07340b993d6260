/*
 * read_jsonl.c -- JSON lines (read.h): one object per line, or a file
 * holding one array of objects.  id, date, title, text, source and url
 * have their places in kh_doc (read from the members json_fields names,
 * or --field's); other members go to its meta.
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

/* The document's fields and the members each is read from, the first
 * present winning: khaldun's own name, then those of common scrapers
 * (news-please writes maintext, date_publish and source_domain; others
 * content and published), so their dumps need no script.  --field
 * (opts->fields) puts a member before these. */
static const char *const id_keys[] = {"id", NULL};
static const char *const date_keys[] = {"date", "date_publish", "published", NULL};
static const char *const title_keys[] = {"title", NULL};
static const char *const text_keys[] = {"text", "body", "content", "article", "maintext", NULL};
static const char *const source_keys[] = {"source", "source_domain", NULL};
static const char *const url_keys[] = {"url", NULL};

typedef enum { F_ID, F_DATE, F_TITLE, F_TEXT, F_SOURCE, F_URL, F_COUNT } json_field_id;

static const struct json_field {
    const char *name;
    const char *const *keys;
} json_fields[F_COUNT] = {
    [F_ID] = {"id", id_keys},       [F_DATE] = {"date", date_keys},
    [F_TITLE] = {"title", title_keys}, [F_TEXT] = {"text", text_keys},
    [F_SOURCE] = {"source", source_keys}, [F_URL] = {"url", url_keys},
};

int kh_read_field_parse(const char *spec, kh_read_field *field)
{
    const char *eq = spec ? strchr(spec, '=') : NULL;
    if (!eq || !eq[1])
        return -1;
    for (int f = 0; f < F_COUNT; f++) {
        size_t n = strlen(json_fields[f].name);
        if ((size_t)(eq - spec) == n && !strncmp(spec, json_fields[f].name, n)) {
            field->name = json_fields[f].name;
            field->key = eq + 1;
            return 0;
        }
    }
    return -1;
}

/* The members a document's fields were read from (NULL: absent), which
 * are then not copied to meta. */
typedef struct json_found {
    const char *key[F_COUNT];
    json_t *value[F_COUNT];
} json_found;

/* Looks field f up in obj: the --field members first, then the usual
 * names.  A null member counts as absent. */
static void json_find(const kh_read_options *opts, json_t *obj, int f, json_found *found)
{
    for (size_t i = 0; opts && i < opts->field_count; i++) {
        json_t *v;
        if (strcmp(opts->fields[i].name, json_fields[f].name) == 0 &&
            (v = json_object_get(obj, opts->fields[i].key)) && !json_is_null(v)) {
            found->key[f] = opts->fields[i].key;
            found->value[f] = v;
            return;
        }
    }
    for (const char *const *k = json_fields[f].keys; *k; k++) {
        json_t *v = json_object_get(obj, *k);
        if (v && !json_is_null(v)) {
            found->key[f] = *k;
            found->value[f] = v;
            return;
        }
    }
}

static int json_used(const json_found *found, const char *key)
{
    for (int f = 0; f < F_COUNT; f++)
        if (found->key[f] && !strcmp(found->key[f], key))
            return 1;
    return 0;
}

static void json_string_field(kh_read_input *in, const json_found *found, int f,
                              char **field, long line)
{
    json_t *v = found->value[f];
    if (!v)
        return;
    if (json_is_string(v))
        *field = kh_read_clean_field(in, json_string_value(v), json_string_length(v));
    else if (json_is_integer(v) && f == F_ID)
        *field = kh_xasprintf("%" JSON_INTEGER_FORMAT, json_integer_value(v));
    else
        kh_read_warn(in, line, "\"%s\" is %s, not a string; ignored", found->key[f],
                     json_type_name(v));
}

static long json_date(kh_read_input *in, const json_found *found, long line)
{
    json_t *v = found->value[F_DATE];
    long date = 0;
    if (!v)
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
        kh_read_warn(in, line, "\"%s\" is not a date (want YYYY-MM-DD); ignored",
                     found->key[F_DATE]);
    return date;
}

static void json_meta(kh_doc *d, json_t *obj, const json_found *found)
{
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v) {
        if (json_used(found, key) || json_is_null(v))
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
    json_found found;
    memset(&found, 0, sizeof found);
    for (int f = 0; f < F_COUNT; f++)
        json_find(kh_read_input_options(in), obj, f, &found);
    json_t *text = found.value[F_TEXT];
    const char *text_key = found.key[F_TEXT];
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
    json_string_field(in, &found, F_ID, &d->id, line);
    json_string_field(in, &found, F_TITLE, &d->title, line);
    json_string_field(in, &found, F_SOURCE, &d->source, line);
    json_string_field(in, &found, F_URL, &d->url, line);
    d->date = json_date(in, &found, line);
    json_meta(d, obj, &found);
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
