/*
 * read_jsonl.c -- JSON lines (read.h): one object per line, or a file
 * holding one array of objects.  id, date, title, text, source and url
 * have their places in kh_doc (read from the members json_fields names,
 * or --field's); other members go to its meta.
 */
#include "read_format.h"
#include "date.h"
#include "util.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "vec.h"
#include "swar.h"
#include "text_scan.h"

#include <jansson.h>
#include <utf8proc.h>
#include <yajl/yajl_parse.h>


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

/* ------------------------------------------------------------ records
 *
 * A record is one JSON object's members, in order, as the document's
 * fields need them.  Most lines are flat objects of strings and
 * integers, and jansson's DOM cost 110 instructions a byte on them
 * (json_loadb was 13% of a whole run), so they are read by yajl's
 * streaming parser straight into a record.  Anything that parser would
 * judge differently from jansson -- a nested value, a real number,
 * bytes or escapes where the two disagree, any error -- goes to jansson
 * instead, whose DOM is copied into the same record: one set of rules,
 * and jansson's error messages, for every line. */

typedef enum { J_STRING, J_INTEGER, J_TRUE, J_FALSE, J_NULL, J_OTHER } json_kind;

typedef struct json_member {
    size_t key;             /* offset of its NUL-terminated key in text */
    json_kind kind;
    size_t str, str_len;    /* J_STRING: its bytes in text (NUL-terminated;
                               \u0000 may put NULs inside) */
    json_int_t integer;     /* J_INTEGER */
    json_t *value;          /* J_OTHER: jansson's value (record.object's) */
} json_member;

typedef struct json_record {
    KH_VEC(json_member) members;
    kh_buf text;
    int depth;              /* yajl: objects open */
    size_t current;         /* yajl: the member whose value comes next */
    json_t *object;         /* jansson's object, or NULL */
    /* yajl read it from a line that was normal as read and holds no
     * backslash: its strings are pieces of the line, normal too. */
    int verbatim;
    kh_arena parse_memory;  /* yajl's, for one line (parse_malloc) */
} json_record;

/* A flat object with more members than this goes to jansson, whose
 * hashed object finds a repeated key in constant time: the record finds
 * it by a linear search (real records have a dozen members at most). */
#define JSON_RECORD_MAX_MEMBERS 64

static const char *json_kind_name(json_kind k)
{
    switch (k) {
    case J_STRING: return "a string";
    case J_INTEGER: return "an integer";
    case J_TRUE: case J_FALSE: return "a boolean";
    case J_NULL: return "null";
    default: return NULL;
    }
}

static const char *member_type_name(const json_member *m)
{
    return m->kind == J_OTHER ? json_type_name(m->value) : json_kind_name(m->kind);
}

static const char *member_key(const json_record *r, const json_member *m)
{
    return r->text.data + m->key;
}

static size_t record_add_text(json_record *r, const void *s, size_t n)
{
    size_t at = r->text.len;
    kh_buf_add(&r->text, s, n);
    kh_buf_addc(&r->text, '\0');
    return at;
}

static void record_clear(json_record *r)
{
    r->members.count = 0;
    r->text.len = 0;
    r->depth = 0;
    json_decref(r->object);
    r->object = NULL;
    r->verbatim = 0;
}

static void record_free(json_record *r)
{
    record_clear(r);
    kh_arena_free(&r->parse_memory);
    KH_VEC_FREE(&r->members);
    kh_buf_free(&r->text);
}

/* jansson's object (kept until the record is cleared) as a record. */
static void record_from_jansson(json_record *r, json_t *obj)
{
    const char *key;
    json_t *v;
    record_clear(r);
    r->object = json_incref(obj);
    json_object_foreach(obj, key, v) {
        json_member *m = KH_VEC_PUSH(&r->members);
        m->key = record_add_text(r, key, strlen(key));
        switch (json_typeof(v)) {
        case JSON_STRING:
            m->kind = J_STRING;
            m->str_len = json_string_length(v);
            m->str = record_add_text(r, json_string_value(v), m->str_len);
            break;
        case JSON_INTEGER: m->kind = J_INTEGER; m->integer = json_integer_value(v); break;
        case JSON_TRUE: m->kind = J_TRUE; break;
        case JSON_FALSE: m->kind = J_FALSE; break;
        case JSON_NULL: m->kind = J_NULL; break;
        default: m->kind = J_OTHER; m->value = v; break;
        }
    }
}

/* yajl's callbacks: a value at depth 1 goes to the current member; a
 * nested object or array, a real or a scalar line cancels the parse,
 * and jansson reads the line.  (yajl ignores an event whose callback is
 * NULL, so every kind of value has one.) */
static json_member *yajl_member(json_record *r)
{
    return r->depth == 1 ? &r->members.items[r->current] : NULL;
}

static int on_null(void *ctx)
{
    json_member *m = yajl_member(ctx);
    return m ? (m->kind = J_NULL, 1) : 0;
}

static int on_boolean(void *ctx, int b)
{
    json_member *m = yajl_member(ctx);
    return m ? (m->kind = b ? J_TRUE : J_FALSE, 1) : 0;
}

static int on_integer(void *ctx, long long i)
{
    json_member *m = yajl_member(ctx);
    return m ? (m->kind = J_INTEGER, m->integer = (json_int_t)i, 1) : 0;
}

/* jansson writes a real its own way ("1e5" as 100000.0): its to read. */
static int on_double(void *ctx, double d)
{
    return 0;
}

static int on_string(void *ctx, const unsigned char *s, size_t n)
{
    json_record *r = ctx;
    json_member *m = yajl_member(r);
    if (!m)
        return 0;
    size_t at = record_add_text(r, s, n);
    m = yajl_member(r);
    m->kind = J_STRING;
    m->str = at;
    m->str_len = n;
    return 1;
}

static int on_start_map(void *ctx)
{
    json_record *r = ctx;
    return ++r->depth == 1;
}

static int on_start_array(void *ctx)
{
    return 0;
}

static int on_end_map(void *ctx)
{
    ((json_record *)ctx)->depth--;
    return 1;
}

/* A key: a new member, or the one it repeats (jansson keeps the last
 * value in the first one's place).  A key with a NUL is jansson's to
 * refuse. */
static int on_map_key(void *ctx, const unsigned char *key, size_t n)
{
    json_record *r = ctx;
    if (memchr(key, '\0', n))
        return 0;
    for (size_t i = 0; i < r->members.count; i++) {
        const char *k = member_key(r, &r->members.items[i]);
        if (strlen(k) == n && !memcmp(k, key, n)) {
            r->current = i;
            return 1;
        }
    }
    if (r->members.count >= JSON_RECORD_MAX_MEMBERS)
        return 0;
    size_t at = record_add_text(r, key, n);
    json_member *m = KH_VEC_PUSH(&r->members);
    m->key = at;
    m->kind = J_NULL;
    r->current = r->members.count - 1;
    return 1;
}

static const yajl_callbacks record_callbacks = {
    .yajl_null = on_null,
    .yajl_boolean = on_boolean,
    .yajl_integer = on_integer,
    .yajl_double = on_double,
    .yajl_string = on_string,
    .yajl_start_map = on_start_map,
    .yajl_map_key = on_map_key,
    .yajl_end_map = on_end_map,
    .yajl_start_array = on_start_array,
};

/* yajl's memory comes from the record's arena, each piece after its
 * size (for realloc), and all of it goes when the line is read: a handle
 * per line (yajl 2 has no reset) then costs no malloc or free. */
static void *parse_malloc(void *ctx, size_t n)
{
    max_align_t *p = kh_arena_take(ctx, sizeof *p + n);
    *(size_t *)p = n;
    return p + 1;
}

static void *parse_realloc(void *ctx, void *old, size_t n)
{
    void *p = parse_malloc(ctx, n);
    if (old) {
        size_t was = *(size_t *)((max_align_t *)old - 1);
        memcpy(p, old, was < n ? was : n);
    }
    return p;
}

static void parse_free(void *ctx, void *p) {}

/* Whether yajl and jansson read s[0, n) alike, as far as bytes go:
 * yajl takes \v and \f for white space, lets overlong and surrogate
 * UTF-8 through, and turns an unpaired \uD800-\uDFFF into "?" or a
 * surrogate's bytes; jansson refuses each of these.  (A "\\u" before
 * "D8".."DF" that is an escaped backslash only sends the line to
 * jansson for nothing.)  *backslash is whether s holds one, *control
 * whether it holds a tab, line break or DEL (a plain line has none). */
#ifdef KH_TEXT_SCAN_SSE2
/* The bytes of the sixteen in v that are not printable ASCII or are a
 * backslash: the signed compare with 0x20 takes the bytes of 0x80 and
 * more (negative) with the control characters. */
static unsigned unprintable16(__m128i v)
{
    __m128i marks = _mm_or_si128(
        _mm_cmplt_epi8(v, _mm_set1_epi8(0x20)),
        _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(0x7f)), _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))));
    return (unsigned)_mm_movemask_epi8(marks);
}
#endif

static int yajl_agrees(const char *s, size_t n, int *backslash, int *control)
{
    *backslash = 0;
    *control = 0;
    for (size_t i = 0; i < n; i++) {
        /* Most of a line is printable ASCII without a backslash, which
         * both read alike: passed over sixteen bytes at a time, or
         * eight. */
#ifdef KH_TEXT_SCAN_SSE2
        i += kh_scan_run16(s + i, n - i, unprintable16);
#endif
        while (n - i >= 8 && !kh_swar_has_unprintable(kh_swar_load(s + i)) &&
               !kh_swar_has_byte(kh_swar_load(s + i), '\\'))
            i += 8;
        if (i >= n)
            break;
        unsigned char c = (unsigned char)s[i];
        *control |= c == 0x7f;
        if (c >= 0x20 && c < 0x80 && c != '\\')
            continue;
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
            return 0;
        *control |= c < 0x20;
        *backslash |= c == '\\';
        if (c == '\\' && i + 3 < n && s[i + 1] == 'u' && (s[i + 2] | 32) == 'd' &&
            strchr("89abcdefABCDEF", s[i + 3]))
            return 0;
        if (c >= 0x80) {
            utf8proc_int32_t cp;
            utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                                  (utf8proc_ssize_t)(n - i), &cp);
            if (k <= 0)
                return 0;
            i += (size_t)k - 1;
        }
    }
    return 1;
}

/* ---- plain lines
 *
 * Nearly every line of a real feed is a flat object of strings (and
 * perhaps integers) with no backslash, control character or DEL, and
 * at most spaces between its tokens.  yajl's lexer spent some eight
 * instructions a byte on them (24 M of a 20,000-sentence run), and an
 * indirect call per token that the predictor missed; in such a line a
 * string is the bytes between two quotes, which one memchr finds.  The
 * record is built by yajl's own callbacks, so it is the one yajl would
 * build; a line not in exactly this shape goes to yajl (and from there
 * to jansson), which judges it as before. */

/* The digits of the longest integer read here: it cannot overflow a
 * long long.  A longer one is yajl's to read (and perhaps refuse). */
#define JSON_PLAIN_MAX_DIGITS 18

static const char *plain_space(const char *p, const char *end)
{
    while (p < end && *p == ' ')
        p++;
    return p;
}

/* The string at p (its opening quote, not yet checked) to *s, *n;
 * returns the byte after its closing quote, or NULL. */
static const char *plain_string(const char *p, const char *end, const char **s, size_t *n)
{
    if (p >= end || *p != '"')
        return NULL;
    const char *close = memchr(p + 1, '"', (size_t)(end - p - 1));
    if (!close)
        return NULL;
    *s = p + 1;
    *n = (size_t)(close - p - 1);
    return close + 1;
}

/* The integer at p, -?(0|[1-9][0-9]*) as yajl's lexer reads one; a
 * fraction or exponent after it fails at the caller, which wants a
 * comma or a brace next. */
static const char *plain_integer(const char *p, const char *end, long long *v)
{
    int negative = p < end && *p == '-';
    const char *digits = p + negative, *q = digits;
    long long x = 0;
    while (q < end && *q >= '0' && *q <= '9' && q - digits < JSON_PLAIN_MAX_DIGITS)
        x = x * 10 + (*q++ - '0');
    size_t count = (size_t)(q - digits);
    /* A digit past the longest is a longer number: yajl's. */
    if (count == 0 || (q < end && *q >= '0' && *q <= '9') || (digits[0] == '0' && count > 1))
        return NULL;
    *v = negative ? -x : x;
    return q;
}

/* A member's value at p, given to the callbacks; NULL if not plain. */
static const char *plain_value(json_record *r, const char *p, const char *end)
{
    const char *s;
    size_t n;
    long long v;
    if (p < end && *p == '"')
        return (p = plain_string(p, end, &s, &n)) && on_string(r, (const unsigned char *)s, n)
                   ? p : NULL;
    return (p = plain_integer(p, end, &v)) && on_integer(r, v) ? p : NULL;
}

/* Reads the line s[0, n) into r if it is plain; 0 (r half read) if not. */
static int record_from_plain(json_record *r, const char *s, size_t n)
{
    const char *end = s + n, *p = plain_space(s, end), *key;
    size_t key_len;
    if (p >= end || *p != '{' || !on_start_map(r))
        return 0;
    p = plain_space(p + 1, end);
    for (;;) {
        if (!(p = plain_string(p, end, &key, &key_len)) ||
            !on_map_key(r, (const unsigned char *)key, key_len))
            return 0;
        p = plain_space(p, end);
        if (p >= end || *p != ':' || !(p = plain_value(r, plain_space(p + 1, end), end)))
            return 0;
        p = plain_space(p, end);
        if (p < end && *p == ',') {
            p = plain_space(p + 1, end);
            continue;
        }
        if (p >= end || *p != '}')
            return 0;
        on_end_map(r);
        return plain_space(p + 1, end) == end;
    }
}

/* Reads the line s[0, n) into r, itself or with yajl; 0 if jansson must
 * read it.  `normal`: the line is normal (kh_read_line_was_normal). */
static int record_from_yajl(json_record *r, const char *s, size_t n, int normal)
{
    int backslash, control;
    record_clear(r);
    if (!yajl_agrees(s, n, &backslash, &control))
        return 0;
    if (!backslash && !control) {
        if (record_from_plain(r, s, n)) {
            r->verbatim = normal;
            return 1;
        }
        record_clear(r);
    }
    yajl_alloc_funcs memory = {parse_malloc, parse_realloc, parse_free, &r->parse_memory};
    yajl_handle h = yajl_alloc(&record_callbacks, &memory, r);
    yajl_status st = yajl_parse(h, (const unsigned char *)s, n);
    if (st == yajl_status_ok)
        st = yajl_complete_parse(h);
    yajl_free(h);
    kh_arena_reset(&r->parse_memory);
    r->verbatim = normal && !backslash;
    return st == yajl_status_ok && r->depth == 0 && r->text.len > 0;
}

/* --------------------------------------------------------- documents */

/* The members a document's fields were read from (-1: absent), which
 * are then not copied to meta. */
typedef struct json_found {
    long member[F_COUNT];
} json_found;

/* Each line asks for some 18 keys (json_fields' keys for the six
 * fields) of its few members: their first bytes, compared inline, spare
 * most of those strcmp calls. */
static long record_get(const json_record *r, const char *key)
{
    for (size_t i = 0; i < r->members.count; i++) {
        const char *k = member_key(r, &r->members.items[i]);
        if (k[0] == key[0] && !strcmp(k, key))
            return (long)i;
    }
    return -1;
}

/* Looks field f up in r: the --field members first, then the usual
 * names.  A null member counts as absent. */
static void json_find(const kh_read_options *opts, const json_record *r, int f,
                      json_found *found)
{
    long m;
    found->member[f] = -1;
    for (size_t i = 0; opts && i < opts->field_count; i++) {
        if (strcmp(opts->fields[i].name, json_fields[f].name) == 0 &&
            (m = record_get(r, opts->fields[i].key)) >= 0 &&
            r->members.items[m].kind != J_NULL) {
            found->member[f] = m;
            return;
        }
    }
    for (const char *const *k = json_fields[f].keys; *k; k++) {
        if ((m = record_get(r, *k)) >= 0 && r->members.items[m].kind != J_NULL) {
            found->member[f] = m;
            return;
        }
    }
}

static int json_used(const json_found *found, long member)
{
    for (int f = 0; f < F_COUNT; f++)
        if (found->member[f] == member)
            return 1;
    return 0;
}

static const json_member *found_member(const json_record *r, const json_found *found, int f)
{
    return found->member[f] >= 0 ? &r->members.items[found->member[f]] : NULL;
}

static void json_string_field(kh_read_input *in, const json_record *r,
                              const json_found *found, int f, char **field, long line)
{
    const json_member *m = found_member(r, found, f);
    if (!m)
        return;
    if (m->kind == J_STRING)
        *field = kh_read_clean_field(in, r->text.data + m->str, m->str_len);
    else if (m->kind == J_INTEGER && f == F_ID)
        *field = kh_xasprintf("%" JSON_INTEGER_FORMAT, m->integer);
    else
        kh_read_warn(in, line, "\"%s\" is %s, not a string; ignored", member_key(r, m),
                     member_type_name(m));
}

static long json_date(kh_read_input *in, const json_record *r, const json_found *found,
                      long line)
{
    const json_member *m = found_member(r, found, F_DATE);
    long date = 0;
    if (!m)
        return 0;
    if (m->kind == J_STRING)
        date = kh_date_parse(r->text.data + m->str);
    else if (m->kind == J_INTEGER) {
        char digits[KH_INT_TEXT_SIZE(json_int_t)];
        snprintf(digits, sizeof digits, "%" JSON_INTEGER_FORMAT, m->integer);
        date = kh_date_parse(digits);
    }
    if (!date)
        kh_read_warn(in, line, "\"%s\" is not a date (want YYYY-MM-DD); ignored",
                     member_key(r, m));
    return date;
}

/* The other members, as meta: strings as they are, other values as
 * jansson writes them compactly. */
static void json_meta(kh_doc *d, const json_record *r, const json_found *found)
{
    for (size_t i = 0; i < r->members.count; i++) {
        const json_member *m = &r->members.items[i];
        const char *key = member_key(r, m);
        if (json_used(found, (long)i) || m->kind == J_NULL)
            continue;
        if (m->kind == J_STRING) {
            kh_read_meta_add(d, key, r->text.data + m->str);
        } else if (m->kind == J_INTEGER) {
            char digits[KH_INT_TEXT_SIZE(json_int_t)];
            snprintf(digits, sizeof digits, "%" JSON_INTEGER_FORMAT, m->integer);
            kh_read_meta_add(d, key, digits);
        } else if (m->kind != J_OTHER) {
            kh_read_meta_add(d, key, m->kind == J_TRUE ? "true" : "false");
        } else {
            char *s = json_dumps(m->value, JSON_COMPACT | JSON_ENCODE_ANY);
            kh_read_meta_add(d, key, s ? s : "");
            free(s);
        }
    }
}

/* One JSON object's record to a document.  Returns 1, or 0 after
 * reporting. */
static int doc_from_record(kh_read_input *in, const json_record *r, long line, kh_doc *d)
{
    json_found found;
    for (int f = 0; f < F_COUNT; f++)
        json_find(kh_read_input_options(in), r, f, &found);
    const json_member *text = found_member(r, &found, F_TEXT);
    if (!text) {
        kh_read_skip(in, KH_READ_MALFORMED, line, "no \"text\" field");
        return 0;
    }
    const char *text_key = member_key(r, text);
    if (text->kind != J_STRING) {
        kh_read_skip(in, KH_READ_MALFORMED, line, "\"%s\" is %s, not a string",
             text_key, member_type_name(text));
        return 0;
    }
    int (*set_text)(kh_read_input *, kh_doc *, const char *, size_t, int) =
        r->verbatim ? kh_read_set_normal_text : kh_read_set_text;
    if (!set_text(in, d, r->text.data + text->str, text->str_len, 0)) {
        kh_read_skip(in, KH_READ_EMPTY, line, "empty \"%s\"", text_key);
        return 0;
    }
    json_string_field(in, r, &found, F_ID, &d->id, line);
    json_string_field(in, r, &found, F_TITLE, &d->title, line);
    json_string_field(in, r, &found, F_SOURCE, &d->source, line);
    json_string_field(in, r, &found, F_URL, &d->url, line);
    d->date = json_date(in, r, &found, line);
    json_meta(d, r, &found);
    if (!d->id)
        d->id = kh_xasprintf("%s:%ld", kh_read_doc_name(in), line);
    kh_read_finish_doc(in, d, 0);
    return 1;
}

static int json_value_doc(kh_read_input *in, json_record *r, json_t *v, long line,
                          kh_doc *out)
{
    if (!json_is_object(v)) {
        kh_read_skip(in, KH_READ_MALFORMED, line, "%s, not a JSON object",
             json_type_name(v));
        return 0;
    }
    record_from_jansson(r, v);
    return doc_from_record(in, r, line, out);
}

/* A JSON file holding one array is read whole; its objects are then
 * returned one at a time.  Either way each object is read into one
 * record, reused. */
typedef struct json_state {
    int is_array;
    json_t *array;
    size_t index;
    json_record record;
} json_state;

/* The next document of the array file. */
static int next_in_array(kh_read_input *in, kh_doc *out)
{
    json_state *st = in->state;
    while (st->array && st->index < json_array_size(st->array)) {
        size_t i = st->index++;
        if (json_value_doc(in, &st->record, json_array_get(st->array, i), (long)i + 1, out))
            return 1;
    }
    return 0;
}

/* The next document of a JSON-lines file (or of a JSON array file). */
static int json_next(kh_read_input *in, kh_doc *out)
{
    json_state *st = in->state;
    const char *s;
    size_t n;
    if (st->is_array)              /* an array file has no lines after it */
        return next_in_array(in, out);
    while (kh_read_next_line(in, &s, &n)) {
        long line = in->line - 1;
        if (kh_read_only_space(s, n))
            continue;
        if (record_from_yajl(&st->record, s, n, kh_read_line_was_normal(in))) {
            if (doc_from_record(in, &st->record, line, out))
                return 1;
            continue;
        }
        json_error_t err;
        json_t *v = json_loadb(s, n, JSON_ALLOW_NUL, &err);
        if (!v) {
            kh_read_skip(in, KH_READ_MALFORMED, line, "bad JSON: %s", err.text);
            continue;
        }
        int got = json_value_doc(in, &st->record, v, line, out);
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
    json_state *st = kh_xcalloc(1, sizeof *st);
    in->state = st;
    size_t i = 0;
    while (i < in->head_len && strchr(" \t\n", in->head[i]))
        i++;
    if (i >= in->head_len || in->head[i] != '[')
        return;
    st->is_array = 1;
    json_error_t err;
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
    if (st) {
        record_free(&st->record);
        json_decref(st->array);
    }
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
