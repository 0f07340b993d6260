/* write_json.c -- JSON lines output: one object per event (docs/schema.md).
 * The field names are a contract with the tools that read khaldun's output:
 * add fields freely, never rename one.
 *
 * Each object is written straight into the writer's buffer, not built as
 * a jansson tree and dumped (which cost nine tenths of the writer's time).
 * The bytes are the ones jansson wrote before, and tests/test_json_out.c
 * holds them to it: keys in this order, no spaces, strings escaped as
 * json_dumps does without JSON_ENSURE_ASCII, reals as
 * JSON_REAL_PRECISION(6) prints them. */
#include "write_backends.h"
#include "write_fields.h"
#include "swar.h"
#include "text_scan.h"
#include "buf.h"
#include "date.h"
#include "cameo.h"
#include "short_key.h" /* KH_ALWAYS_INLINE */

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <utf8proc.h>

/* Significant digits for reals: Goldstein values have one decimal, and
 * jansson's default (17) prints 1.9 as 1.8999999999999999. */
#define REAL_DIGITS 6

/* ------------------------------------------------------------ scalars */

/* The length of the valid UTF-8 sequence at s[0, len), or 0 if there is
 * none.  utf8proc and jansson accept the same sequences (no overlong
 * forms, surrogates or code points past U+10FFFF). */
static size_t utf8_valid(const char *s, size_t len)
{
    utf8proc_int32_t cp;
    utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s,
                                          (utf8proc_ssize_t)len, &cp);
    return n > 0 ? (size_t)n : 0;
}

/* The escape jansson writes for byte c, or NULL when c stands as itself.
 * Other control characters are \u00XX, with upper-case hex. */
static const char *short_escape(unsigned char c)
{
    switch (c) {
    case '"': return "\\\"";
    case '\\': return "\\\\";
    case '\b': return "\\b";
    case '\f': return "\\f";
    case '\n': return "\\n";
    case '\r': return "\\r";
    case '\t': return "\\t";
    default: return NULL;
    }
}

static void put_escape(kh_buf *b, unsigned char c)
{
    static const char hex[] = "0123456789ABCDEF";
    const char *esc = short_escape(c);
    if (esc) {
        kh_buf_add(b, esc, 2);
        return;
    }
    char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
    kh_buf_add(b, u, sizeof u);
}

/* Does byte c not stand as itself in a JSON string: a control
 * character, '"', '\\' or a byte of a multi-byte sequence?  And is there
 * one among the eight bytes of x? */
static int special(unsigned char c)
{
    return c < 0x20 || c >= 0x80 || c == '"' || c == '\\';
}

static int any_special(uint64_t x)
{
    return (kh_swar_has_high(x) | kh_swar_has_below(x, 0x20) | kh_swar_has_byte(x, '"') |
            kh_swar_has_byte(x, '\\')) != 0;
}

#ifdef KH_TEXT_SCAN_SSE2
/* The bytes of the sixteen in v that do not stand as themselves, one bit
 * each: the signed compare with 0x20 takes the bytes of 0x80 and more
 * (negative) with the control characters. */
static unsigned special16(__m128i v)
{
    __m128i marks = _mm_or_si128(
        _mm_cmplt_epi8(v, _mm_set1_epi8(0x20)),
        _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))));
    return (unsigned)_mm_movemask_epi8(marks);
}
#endif

/* How many bytes at the start of s[0, len) stand as themselves. */
static size_t plain_run(const char *s, size_t len)
{
    size_t i = KH_SCAN_RUN16(s, len, special16);
    return i + kh_swar_plain_run(s + i, len - i, any_special, special);
}

/* Is every byte of s[0, len) one that stands as itself? */
static int all_plain(const char *s, size_t len)
{
#ifdef KH_TEXT_SCAN_SSE2
    return kh_scan_clean(s, len, special16, special);
#else
    return plain_run(s, len) == len;
#endif
}

/* The inside of a JSON string: s[0, len) escaped.  A byte that does not
 * start a valid UTF-8 sequence becomes U+FFFD, one per bad byte, rather
 * than dropping or failing the record (jansson refuses invalid UTF-8, so
 * the old writer repaired it first).  Runs of plain bytes are copied whole. */
static void put_chars(kh_buf *b, const char *s, size_t len)
{
    size_t run = 0, i = 0;
    while (i < len) {
        i += plain_run(s + i, len - i);
        if (i == len)
            break;
        unsigned char c = (unsigned char)s[i];
        size_t n = c >= 0x80 ? utf8_valid(s + i, len - i) : 0;
        if (n) {
            i += n;
            continue;
        }
        kh_buf_add(b, s + run, i - run);
        if (c >= 0x80)
            kh_buf_add(b, "\xEF\xBF\xBD", 3);
        else
            put_escape(b, c);
        run = ++i;
    }
    kh_buf_add(b, s + run, len - run);
}

/* A string value from bytes that should be UTF-8; NULL gives null.  Most
 * need no escaping and go in with one copy. */
static void put_text(kh_buf *b, const char *s, size_t len)
{
    if (!s) {
        kh_buf_add(b, "null", 4);
        return;
    }
    if (!all_plain(s, len)) {
        kh_buf_addc(b, '"');
        put_chars(b, s, len);
        kh_buf_addc(b, '"');
        return;
    }
    kh_buf_reserve(b, len + 2);
    char *d = b->data + b->len;
    d[0] = '"';
    memcpy(d + 1, s, len);
    d[len + 1] = '"';
    b->len += len + 2;
}

static void put_str(kh_buf *b, const char *s) { put_text(b, s, s ? strlen(s) : 0); }

/* Words from the text (source_text, target_text): null when there are
 * none -- a default or quoted actor named by no words -- as DESIGN.md's
 * contract and docs/schema.md say, never "". */
static void put_words(kh_buf *b, const char *s)
{
    if (s && *s)
        put_str(b, s);
    else
        kh_buf_add(b, "null", 4);
}

/* A real as jansson's jsonp_dtostr writes it: "%.6g", then ".0" when that
 * reads as an integer, and the exponent without '+' or leading zeros
 * ("3.5e-07" -> "3.5e-7", "1e+20" -> "1e20"). */
static void put_real(kh_buf *b, double v)
{
    /* Goldstein values, in every event, have one decimal, which "%.6g"
     * writes as kh_write_tenths does, with no printf (which was a quarter
     * of the writer). */
    if (kh_write_tenths(b, v) == 0)
        return;
    size_t before = b->len;
    if (kh_write_six_digits(b, v) == 0) { /* latitudes and longitudes */
        if (!memchr(b->data + before, '.', b->len - before))
            kh_buf_add(b, ".0", 2);
        return;
    }
    char s[40]; /* a number, not input text: "%.6g" needs at most 13 */
    int n = snprintf(s, sizeof s - 2, "%.*g", REAL_DIGITS, v);
    if (n < 0 || (size_t)n >= sizeof s - 2)
        n = 0;
    char *e = strchr(s, 'e');
    if (!e && !strchr(s, '.')) {
        memcpy(s + n, ".0", 3);
        n += 2;
    }
    if (e) {
        char *digits = e + 1 + (e[1] == '-'), *from = e + 2;
        while (*from == '0')
            from++;
        memmove(digits, from, (size_t)(s + n + 1 - from));
        n -= (int)(from - digits);
    }
    kh_buf_add(b, s, (size_t)n);
}

static void put_bool(kh_buf *b, int v)
{
    if (v)
        kh_buf_add(b, "true", 4);
    else
        kh_buf_add(b, "false", 5);
}

/* ------------------------------------------------------------ structure */

/* Starts the value of member `k`, n bytes, of the object being written:
 * a comma unless the object has just been opened.  Keys are ours, plain
 * ASCII; key() measures a literal one when compiling, and put inline
 * the copy of a literal one is a few moves (a call and a memcpy were
 * a tenth of the writer: some 30 keys an event). */
KH_ALWAYS_INLINE void put_key(kh_buf *b, const char *k, size_t n)
{
    kh_buf_reserve(b, n + 4); /* , " key " : */
    char *d = b->data + b->len;
    if (d[-1] != '{')
        *d++ = ',';
    *d++ = '"';
    memcpy(d, k, n);
    d += n;
    *d++ = '"';
    *d++ = ':';
    b->len = (size_t)(d - b->data);
}
#define key(b, k) put_key((b), (k), strlen(k))

/* Before an array element: a comma unless the array has just been opened. */
static void element(kh_buf *b)
{
    if (b->data[b->len - 1] != '[')
        kh_buf_addc(b, ',');
}

static void put_span(kh_buf *b, kh_span span)
{
    if (span.start < 0 || span.end < 0) {
        kh_buf_add(b, "null", 4);
        return;
    }
    kh_buf_addc(b, '[');
    kh_buf_add_long(b, span.start, 0);
    kh_buf_addc(b, ',');
    kh_buf_add_long(b, span.end, 0);
    kh_buf_addc(b, ']');
}

/* A date as "YYYY-MM-DD", or null for none. */
static void put_date(kh_buf *b, long date)
{
    char iso[KH_DATE_ISO_SIZE];
    if (kh_date_format_iso(date, iso) == 0)
        put_str(b, iso);
    else
        kh_buf_add(b, "null", 4);
}

/* jansson's json_real refused NaN and infinities, and a member set to the
 * refused value was left out; so it is here. */
static void real_member(kh_buf *b, const char *k, int present, double v)
{
    if (present && !isfinite(v))
        return;
    key(b, k);
    if (present)
        put_real(b, v);
    else
        kh_buf_add(b, "null", 4);
}

/* ------------------------------------------------------------ fields */

/* "a;b" -> ["a","b"]; NULL or "" -> null. */
static void put_issues(kh_buf *b, const char *issues)
{
    if (!issues || !*issues) {
        kh_buf_add(b, "null", 4);
        return;
    }
    kh_buf_addc(b, '[');
    for (const char *p = issues; *p;) {
        size_t n = strcspn(p, ";");
        if (n > 0) {
            element(b);
            put_text(b, p, n);
        }
        p += n + (p[n] == ';');
    }
    kh_buf_addc(b, ']');
}

/* The CAMEO fields: code, root, quad, goldstein, plover and its parts.
 * A code that is not CAMEO keeps its text and gets nulls for the rest. */
static void put_cameo_fields(kh_buf *b, const char *code)
{
    const kh_cameo_info *info = kh_cameo_lookup(code);
    char root[KH_CAMEO_ROOT_SIZE];
    key(b, "code");
    put_str(b, code);
    key(b, "root");
    put_str(b, kh_cameo_info_root(info, root) == 0 ? root : NULL);
    int quad = kh_cameo_info_quad(info);
    key(b, "quad");
    if (quad)
        kh_buf_add_long(b, quad, 0);
    else
        kh_buf_add(b, "null", 4);
    real_member(b, "goldstein", info != NULL, info ? info->goldstein : 0);
    key(b, "plover");
    put_str(b, info ? info->plover : NULL);
    key(b, "plover_mode");
    put_str(b, info ? info->plover_mode : NULL);
    key(b, "plover_context");
    put_str(b, info ? info->plover_context : NULL);
    key(b, "event_name");
    put_str(b, info ? info->name : NULL);
}

/* The actor code split (kh_write_actor_country_len): the member
 * `country_key`, a CAMEO country or region code or null, and
 * `sectors_key`, the other 3-letter groups. */
static void put_actor_parts(kh_buf *b, const char *country_key, const char *sectors_key,
                            const char *code)
{
    int ok = code && *code && strcmp(code, "---") != 0;
    size_t len = ok ? strlen(code) : 0, pos = ok ? kh_write_actor_country_len(code) : 0;
    key(b, country_key);
    if (pos)
        put_text(b, code, pos);
    else
        kh_buf_add(b, "null", 4);
    key(b, sectors_key);
    kh_buf_addc(b, '[');
    for (size_t n; pos < len; pos += n) {
        n = kh_write_actor_group_len(len, pos);
        element(b);
        put_text(b, code + pos, n);
    }
    kh_buf_addc(b, ']');
}

/* A country field of a place: the code, or null when empty. */
static void put_code(kh_buf *b, const char *k, const char *code)
{
    key(b, k);
    put_str(b, code[0] ? code : NULL);
}

static void put_place(kh_buf *b, const kh_place *p)
{
    if (p->precision == KH_PLACE_NONE && !p->name && !p->country[0]) {
        kh_buf_add(b, "null", 4);
        return;
    }
    kh_buf_addc(b, '{');
    key(b, "name");
    put_str(b, p->name);
    put_code(b, "country", p->country);
    put_code(b, "fips", p->fips);
    put_code(b, "admin1", p->admin1);
    int located = p->precision != KH_PLACE_NONE;
    real_member(b, "lat", located, p->lat);
    real_member(b, "lon", located, p->lon);
    key(b, "precision");
    put_str(b, kh_write_precision_name(p->precision));
    key(b, "span");
    put_span(b, p->span);
    kh_buf_addc(b, '}');
}

static int same_verb(const kh_event *a, const kh_event *b)
{
    return strcmp(a->code, b->code) == 0 && a->verb_span.start == b->verb_span.start &&
           a->verb_span.end == b->verb_span.end;
}

static int all_utf8(const char *s)
{
    for (size_t len = strlen(s), i = 0, n; i < len; i += n)
        if (!(n = (unsigned char)s[i] < 0x80 ? 1 : utf8_valid(s + i, len - i)))
            return 0;
    return 1;
}

/* A compound actor stays a list: the distinct sources (or targets) of all
 * events that share this event's verb and code ("Russia, Iran and Turkey
 * ... guarantors" -> ["RUS", "IRN", "TUR"]), in the order of the events.
 * A code that is not UTF-8 is left out, as jansson left it out. */
static void put_group(kh_buf *b, const kh_events *events, const kh_event *e, int sources)
{
    kh_buf_addc(b, '[');
    for (size_t i = 0; i < events->count; i++) {
        const kh_event *o = &events->items[i];
        const char *code = sources ? o->source : o->target;
        if (!code || !same_verb(o, e) || !all_utf8(code))
            continue;
        int seen = 0;
        for (size_t k = 0; k < i && !seen; k++) {
            const kh_event *p = &events->items[k];
            const char *prev = sources ? p->source : p->target;
            seen = prev && same_verb(p, e) && strcmp(prev, code) == 0;
        }
        if (!seen) {
            element(b);
            put_str(b, code);
        }
    }
    kh_buf_addc(b, ']');
}

/* Enrichment: when and where it happened, what was said, how often. */
static void put_enrichment(kh_buf *b, const kh_write_item *it, const kh_event *e)
{
    key(b, "event_date");
    put_date(b, e->event_date);
    key(b, "date_source");
    put_str(b, kh_write_date_source_name(e->date_source));
    key(b, "date_precision");
    put_str(b, kh_write_date_precision_name(e->date_precision));
    key(b, "place");
    put_place(b, &e->place);
    key(b, "quote");
    put_str(b, e->quote);
    key(b, "speaker");
    put_str(b, e->speaker);
    key(b, "quote_span");
    if (e->quote)
        put_span(b, e->quote_span);
    else
        kh_buf_add(b, "null", 4);
    key(b, "mentions");
    kh_buf_add_long(b, e->mentions > 0 ? e->mentions : 1, 0);
    key(b, "compound");
    kh_buf_add_long(b, kh_write_compound_size(it->events, e), 0);
    key(b, "source_group");
    put_group(b, it->events, e, 1);
    key(b, "target_group");
    put_group(b, it->events, e, 0);
}

/* "file:line", or "file" when the line is not known (kh_write_dict_ref),
 * without building the string; null when there is no file. */
static void put_dict_ref(kh_buf *b, const kh_event *e)
{
    if (!e->dict_file) {
        kh_buf_add(b, "null", 4);
        return;
    }
    kh_buf_addc(b, '"');
    put_chars(b, e->dict_file, strlen(e->dict_file));
    if (e->dict_line > 0) {
        kh_buf_addc(b, ':');
        kh_buf_add_long(b, e->dict_line, 0);
    }
    kh_buf_addc(b, '"');
}

static void put_offsets(kh_buf *b, const kh_event *e)
{
    kh_buf_add(b, "{\"source\":", 10);
    put_span(b, e->source_span);
    kh_buf_add(b, ",\"verb\":", 8);
    put_span(b, e->verb_span);
    kh_buf_add(b, ",\"target\":", 10);
    put_span(b, e->target_span);
    kh_buf_addc(b, '}');
}

/* The part of the event that is about the sentence and the match. */
static void put_match(kh_buf *b, const kh_write_item *it, const kh_event *e)
{
    key(b, "sentence");
    put_text(b, it->sentence, it->sentence_len);
    key(b, "sentence_offset");
    kh_buf_add_long(b, it->sentence_offset, 0);
    key(b, "offsets");
    put_offsets(b, e);
    key(b, "pattern");
    put_str(b, e->pattern);
    key(b, "dict");
    put_dict_ref(b, e);
    for (size_t i = 0; i < kh_write_flag_count; i++) {
        key(b, kh_write_flags[i].name);
        put_bool(b, (e->flags & kh_write_flags[i].bit) != 0);
    }
    key(b, "issues");
    put_issues(b, e->issues);
}

static void put_event(kh_buf *b, const kh_write_item *it, const kh_event *e)
{
    char id[KH_WRITE_ID_SIZE];
    kh_write_event_id(it, e, id);
    kh_buf_addc(b, '{');
    key(b, "id");
    put_str(b, id);
    key(b, "doc");
    put_str(b, it->doc->id);
    key(b, "sent");
    kh_buf_add_long(b, it->sent_no, 0);
    key(b, "date");
    put_date(b, it->doc->date);
    key(b, "source");
    put_str(b, e->source);
    key(b, "source_text");
    put_words(b, e->source_text);
    key(b, "target");
    put_str(b, e->target);
    key(b, "target_text");
    put_words(b, e->target_text);
    put_actor_parts(b, "source_country", "source_sectors", e->source);
    put_actor_parts(b, "target_country", "target_sectors", e->target);
    put_cameo_fields(b, e->code);
    put_enrichment(b, it, e);
    put_match(b, it, e);
    if (it->doc->url) {
        key(b, "url");
        put_str(b, it->doc->url);
    }
    kh_buf_add(b, "}\n", 2);
}

/* The sentence's lines are built in w->buf and written in one call. */
static int jsonl_add(kh_writer *w, const kh_write_item *it)
{
    for (size_t i = 0; i < it->events->count; i++)
        if (kh_write_is_event(it, i))
            put_event(&w->buf, it, &it->events->items[i]);
    return kh_write_flush(w);   /* reports a failure */
}

static int jsonl_close(kh_writer *w, int failed)
{
    return kh_write_stream_close(w, failed);
}

static const kh_writer_ops jsonl_ops = {NULL, jsonl_add, jsonl_close, NULL};

static int jsonl_open(kh_writer *w)
{
    w->ops = &jsonl_ops;
    return kh_write_stream_open(w);
}

const kh_write_backend kh_write_backend_jsonl = {{"jsonl", "json", NULL}, {NULL}, jsonl_open, {NULL}};
