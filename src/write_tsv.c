/* write_tsv.c -- tab-separated event table in PETRARCH's column order
 * (date, source, target, code first), one line per event, with a header
 * line.  The columns are documented in docs/schema.md.  Columns added
 * later go after `sentence`, so the positions of the first 19 never move
 * and `cut -f19` is still the sentence.
 *
 * Escaping: a text field never contains a raw tab, newline, carriage
 * return or NUL; they are written as \t, \n, \r and \0, and a backslash
 * as \\, so every line is one record and `cut -f` works.  A field that
 * holds a double quote is enclosed in double quotes with each of its
 * quotes doubled (RFC 4180's rule): Python's csv module and pandas, with
 * their defaults and a tab delimiter, read a field that starts with `"`
 * as quoted, so a bare one would swallow the tabs after it and shift every
 * later column.  A missing value is an empty field.
 *
 * The CSV backend (write_csv.c) writes the same rows: it takes each line
 * built here (kh_tsv_put_event) and re-encodes its fields. */
#include "write_backends.h"
#include "write_fields.h"
#include "swar.h"
#include "text_scan.h"
#include "write_table.h"
#include "cameo.h"

#include "util.h"

#include <stdlib.h>
#include <string.h>

static const char *const tsv_columns[] = {
    "date", "source", "target", "code", "root", "quad", "goldstein",
    "plover", "doc", "sent", "source_text", "target_text", "verb_start",
    "verb_end", "pattern", "dict", "flags", "issues", "sentence",
    /* enrichment, since schema 2 */
    "event_date", "date_source", "place", "place_country", "place_fips",
    "place_admin1", "lat", "lon", "precision", "quote", "speaker",
    "mentions", "plover_mode", "source_country", "source_sectors",
    "target_country", "target_sectors", "compound",
    /* since schema 3 */
    "date_precision", "id",
};
#define TSV_COLUMN_COUNT (sizeof tsv_columns / sizeof tsv_columns[0])

/* The escape of a byte that has one, or NULL. */
static const char *escape_of(char c)
{
    switch (c) {
    case '\t': return "\\t";
    case '\n': return "\\n";
    case '\r': return "\\r";
    case '\\': return "\\\\";
    case '\0': return "\\0";
    default: return NULL;
    }
}

static int escaped(unsigned char c) { return escape_of((char)c) != NULL; }

/* May one of the eight bytes of x have an escape?  A byte below 14 (NUL,
 * tab, newline and carriage return among them) or a backslash. */
static int may_escape(uint64_t x)
{
    return kh_swar_has_below(x, '\r' + 1) || kh_swar_has_byte(x, '\\');
}

#ifdef KH_TEXT_SCAN_SSE2
/* The bytes of the sixteen in v that may have an escape: below 14 (the
 * unsigned minimum with 13 is the byte) or a backslash. */
static unsigned may_escape16(__m128i v)
{
    __m128i low = _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8('\r')), v);
    return (unsigned)_mm_movemask_epi8(_mm_or_si128(low, _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))));
}
#endif

/* How many bytes at the start of s[0, len) have no escape. */
static size_t plain_run(const char *s, size_t len)
{
    size_t i = KH_SCAN_RUN16(s, len, may_escape16);
    return i + kh_swar_plain_run(s + i, len - i, may_escape, escaped);
}

/* Bytes that need escaping are rare, so most strings are copied whole,
 * and the runs between those bytes in the others. */
static void put_escaped(kh_buf *out, const char *s, size_t len)
{
    size_t run = 0, i = 0;
    if (!s)
        return;
#ifdef KH_TEXT_SCAN_SSE2
    if (kh_scan_clean(s, len, may_escape16, escaped)) {
        kh_buf_add(out, s, len);
        return;
    }
#endif
    while ((i += plain_run(s + i, len - i)) < len) {
        kh_buf_add(out, s + run, i - run);
        kh_buf_add(out, escape_of(s[i]), 2);
        run = ++i;
    }
    kh_buf_add(out, s + run, len - run);
}

static void put_field(kh_buf *out, const char *s)
{
    put_escaped(out, s, s ? strlen(s) : 0);
    kh_buf_addc(out, '\t');
}

/* A date as YYYYMMDD; nothing when there is none. */
static void put_date(kh_buf *out, long date)
{
    if (date > 0)
        kh_buf_add_long(out, date, 8);
}

static void put_flags(kh_buf *out, unsigned flags)
{
    const char *sep = "";
    for (size_t i = 0; i < kh_write_flag_count; i++) {
        if (flags & kh_write_flags[i].bit) {
            kh_buf_adds(out, sep);
            kh_buf_adds(out, kh_write_flags[i].name);
            sep = ",";
        }
    }
    kh_buf_addc(out, '\t');
}

/* "file:line", or "file" when the line is not known (kh_write_dict_ref),
 * without building the string. */
static void put_dict_ref(kh_buf *out, const kh_event *e)
{
    if (e->dict_file) {
        put_escaped(out, e->dict_file, strlen(e->dict_file));
        if (e->dict_line > 0) {
            kh_buf_addc(out, ':');
            kh_buf_add_long(out, e->dict_line, 0);
        }
    }
    kh_buf_addc(out, '\t');
}

/* date, source, target, code, root, quad, goldstein, plover; `info` is
 * the code's (kh_cameo_lookup). */
static void put_event_head(kh_buf *out, const kh_write_item *it, const kh_event *e,
                           const kh_cameo_info *info)
{
    char root[KH_CAMEO_ROOT_SIZE];
    put_date(out, it->doc->date);
    kh_buf_addc(out, '\t');
    put_field(out, e->source);
    put_field(out, e->target);
    put_field(out, e->code);
    kh_cameo_info_root(info, root);
    put_field(out, root);
    kh_write_quad_goldstein(out, info);
    kh_buf_addc(out, '\t');
    put_field(out, info ? info->plover : NULL);
}

/* country, then the sector groups space-separated (cameo.h). */
static void put_actor_parts(kh_buf *out, const char *code)
{
    if (!code || !*code || strcmp(code, "---") == 0) {
        kh_buf_add(out, "\t\t", 2); /* two empty fields */
        return;
    }
    size_t len = strlen(code), country = kh_write_actor_country_len(code);
    put_escaped(out, code, country);
    kh_buf_addc(out, '\t');
    for (size_t pos = country, n; pos < len; pos += n) {
        n = kh_write_actor_group_len(len, pos);
        if (pos > country)
            kh_buf_addc(out, ' ');
        put_escaped(out, code + pos, n);
    }
    kh_buf_addc(out, '\t');
}

/* Decimal places of lat and lon: a metre. */
#define TSV_COORDINATE_DECIMALS 5

/* lat and lon, each with its tab. */
static void put_coordinates(kh_buf *out, const kh_place *p)
{
    kh_write_fixed(out, p->lat, TSV_COORDINATE_DECIMALS);
    kh_buf_addc(out, '\t');
    kh_write_fixed(out, p->lon, TSV_COORDINATE_DECIMALS);
    kh_buf_addc(out, '\t');
}

/* The columns after `sentence` (each preceded by its tab). */
static void put_enrichment(kh_buf *out, const kh_write_item *it, const kh_event *e,
                           const kh_cameo_info *info)
{
    const kh_place *p = &e->place;
    kh_buf_addc(out, '\t');
    put_date(out, e->event_date);
    kh_buf_addc(out, '\t');
    put_field(out, kh_write_date_source_name(e->date_source));
    put_field(out, p->name);
    put_field(out, p->country);
    put_field(out, p->fips);
    put_field(out, p->admin1);
    if (p->precision != KH_PLACE_NONE)
        put_coordinates(out, p);
    else
        kh_buf_add(out, "\t\t", 2);
    put_field(out, kh_write_precision_name(p->precision));
    put_field(out, e->quote);
    put_field(out, e->speaker);
    kh_buf_add_long(out, e->mentions > 0 ? e->mentions : 1, 0);
    kh_buf_addc(out, '\t');
    put_field(out, info ? info->plover_mode : NULL);
    put_actor_parts(out, e->source);
    put_actor_parts(out, e->target);
    kh_buf_add_long(out, kh_write_compound_size(it->events, e), 0);
    kh_buf_addc(out, '\t');
    kh_buf_adds(out, kh_write_date_precision_name(e->date_precision));
    char id[KH_WRITE_ID_SIZE];
    kh_write_event_id(it, e, id);
    kh_buf_addc(out, '\t');
    kh_buf_adds(out, id);
}

void kh_tsv_put_event(kh_buf *out, const kh_write_item *it, const kh_event *e)
{
    const kh_cameo_info *info = kh_cameo_lookup(e->code);
    put_event_head(out, it, e, info);
    put_field(out, it->doc->id);
    kh_buf_add_long(out, it->sent_no, 0);
    kh_buf_addc(out, '\t');
    put_field(out, e->source_text);
    put_field(out, e->target_text);
    kh_buf_add_long(out, e->verb_span.start, 0);
    kh_buf_addc(out, '\t');
    kh_buf_add_long(out, e->verb_span.end, 0);
    kh_buf_addc(out, '\t');
    put_field(out, e->pattern);
    put_dict_ref(out, e);
    put_flags(out, e->flags);
    put_field(out, e->issues);
    put_escaped(out, it->sentence, it->sentence_len);
    put_enrichment(out, it, e, info);
    kh_buf_addc(out, '\n');
}

void kh_tsv_put_header(kh_buf *out)
{
    for (size_t i = 0; i < TSV_COLUMN_COUNT; i++) {
        kh_buf_adds(out, tsv_columns[i]);
        kh_buf_addc(out, i + 1 < TSV_COLUMN_COUNT ? '\t' : '\n');
    }
}

/* One field of a line, quoted when it holds a quote (see the top). */
static void put_quoted_field(kh_buf *out, const char *s, size_t len)
{
    if (!memchr(s, '"', len)) {
        kh_buf_add(out, s, len);
        return;
    }
    kh_buf_addc(out, '"');
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '"')
            kh_buf_addc(out, '"');
        kh_buf_addc(out, s[i]);
    }
    kh_buf_addc(out, '"');
}

/* Appends the lines in `raw` to `out` with their quoted fields quoted.
 * Lines and fields split on raw newlines and tabs, which put_escaped
 * never leaves inside a field.  Quotes are rare: a line without one is
 * copied whole. */
static void quote_lines(kh_buf *out, const char *raw, size_t len)
{
    if (len == 0)
        return;
    if (!memchr(raw, '"', len)) {
        kh_buf_add(out, raw, len);
        return;
    }
    size_t start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i < len && raw[i] != '\t' && raw[i] != '\n')
            continue;
        put_quoted_field(out, raw + start, i - start);
        if (i < len)
            kh_buf_addc(out, raw[i]);
        start = i + 1;
    }
}

/* The state of a table backend: its lines are built TSV-escaped in
 * `raw`, then re-encoded by `encode` (quote_lines, CSV's) into w->buf. */
typedef struct table_state {
    kh_buf raw;
    kh_table_encoder encode;
} table_state;

/* The sentence's lines, built and encoded, written in one call. */
static int table_add(kh_writer *w, const kh_write_item *it)
{
    table_state *st = w->state;
    kh_buf_clear(&st->raw);
    for (size_t i = 0; i < it->events->count; i++)
        if (kh_write_is_event(it, i))
            kh_tsv_put_event(&st->raw, it, &it->events->items[i]);
    st->encode(&w->buf, st->raw.data, st->raw.len);
    return kh_write_flush(w);   /* reports a failure */
}

static int table_close(kh_writer *w, int failed)
{
    table_state *st = w->state;
    kh_buf_free(&st->raw);
    free(st);
    w->state = NULL;
    return kh_write_stream_close(w, failed);
}

static const kh_writer_ops table_ops = {NULL, table_add, table_close, NULL};

int kh_table_open(kh_writer *w, kh_table_encoder encode)
{
    w->ops = &table_ops;
    if (kh_write_stream_open(w) != 0)
        return -1;
    table_state *st = kh_xcalloc(1, sizeof *st);
    st->encode = encode;
    w->state = st;
    kh_tsv_put_header(&st->raw);
    encode(&w->buf, st->raw.data, st->raw.len);
    /* A write error stays on the stream and is reported when it closes. */
    (void)kh_write_flush(w);
    return 0;
}

static int tsv_open(kh_writer *w)
{
    return kh_table_open(w, quote_lines);
}

const kh_write_backend kh_write_backend_tsv = {{"tsv", NULL}, {".tsv", NULL}, tsv_open, {NULL}};
