/* test_json_out.c -- the JSON-lines writer against jansson, byte for byte.
 *
 * write_json.c writes each event straight into a buffer.  It used to build
 * a jansson object and dump it; that builder is kept below, unchanged but
 * for its names, as the reference: every line the writer produces for a
 * few thousand generated events -- hostile strings, odd numbers, missing
 * fields, compound actors -- must equal json_dumps of the reference object
 * with the flags the old writer used, and must parse back. */
#include "testutil.h"
#include "write.h"
#include "write_fields.h"
#include "dedup.h"
#include "cameo.h"
#include "date.h"
#include "util.h"

#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* ------------------------------------------------------------------
 * The reference: write_json.c's event builder as it was before it wrote
 * directly (commit 375b396).
 * ------------------------------------------------------------------ */

/* Significant digits for reals: Goldstein values have one decimal, and
 * jansson's default (17) prints 1.9 as 1.8999999999999999. */
#define REF_REAL_DIGITS 6

/* A JSON string from bytes that should be UTF-8.  jansson refuses invalid
 * UTF-8, so a string that is not is written with each bad byte replaced by
 * U+FFFD rather than dropped or aborting the record.  NULL gives null. */
static json_t *ref_text_json(const char *s, size_t len)
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

static json_t *ref_cstr_json(const char *s) { return ref_text_json(s, s ? strlen(s) : 0); }

static json_t *ref_span_json(kh_span span)
{
    if (span.start < 0 || span.end < 0)
        return json_null();
    return json_pack("[II]", (json_int_t)span.start, (json_int_t)span.end);
}

/* source_text, target_text: null when no words named the actor, never
 * "" (docs/schema.md). */
static json_t *ref_words_json(const char *s)
{
    return s && *s ? ref_cstr_json(s) : json_null();
}

static json_t *ref_offsets_json(const kh_event *e)
{
    return json_pack("{s:o,s:o,s:o}", "source", ref_span_json(e->source_span),
                     "verb", ref_span_json(e->verb_span),
                     "target", ref_span_json(e->target_span));
}

/* "a;b" -> ["a","b"]; NULL or "" -> null. */
static json_t *ref_issues_json(const char *issues)
{
    if (!issues || !*issues)
        return json_null();
    json_t *list = json_array();
    for (const char *p = issues; *p;) {
        size_t n = strcspn(p, ";");
        if (n > 0)
            json_array_append_new(list, ref_text_json(p, n));
        p += n + (p[n] == ';');
    }
    return list;
}

/* The CAMEO fields: code, root, quad, goldstein, plover and its parts.
 * A code that is not CAMEO keeps its text and gets nulls for the rest. */
static void ref_add_cameo_fields(json_t *o, const char *code)
{
    const kh_cameo_info *info = kh_cameo_lookup(code);
    char root[KH_CAMEO_ROOT_SIZE];
    json_object_set_new(o, "code", ref_cstr_json(code));
    json_object_set_new(o, "root", kh_cameo_root(code, root) == 0
                                       ? json_string(root) : json_null());
    int quad = kh_cameo_quad(code);
    json_object_set_new(o, "quad", quad ? json_integer(quad) : json_null());
    json_object_set_new(o, "goldstein",
                        info ? json_real(info->goldstein) : json_null());
    json_object_set_new(o, "plover", ref_cstr_json(info ? info->plover : NULL));
    json_object_set_new(o, "plover_mode", ref_cstr_json(info ? info->plover_mode : NULL));
    json_object_set_new(o, "plover_context",
                        ref_cstr_json(info ? info->plover_context : NULL));
    json_object_set_new(o, "event_name", ref_cstr_json(info ? info->name : NULL));
}

/* The actor code split (cameo.h): the field `country_key`, a CAMEO
 * country or region code or null, and `sectors_key`, the other 3-letter
 * groups. */
static void ref_add_actor_parts(json_t *o, const char *country_key, const char *sectors_key,
                            const char *code)
{
    kh_actor_parts parts = {0};
    int ok = code && *code && strcmp(code, "---") != 0;
    if (ok)
        kh_actor_code_split(code, &parts);
    json_t *sectors = json_array();
    for (size_t i = 0; ok && i < parts.group_count; i++)
        json_array_append_new(sectors, ref_cstr_json(parts.groups[i]));
    json_object_set_new(o, country_key, ok && parts.country[0] ? json_string(parts.country)
                                                               : json_null());
    json_object_set_new(o, sectors_key, sectors);
    if (ok)
        kh_actor_parts_free(&parts);
}

static json_t *ref_place_json(const kh_place *p)
{
    if (p->precision == KH_PLACE_NONE && !p->name && !p->country[0])
        return json_null();
    json_t *o = json_object();
    json_object_set_new(o, "name", ref_cstr_json(p->name));
    json_object_set_new(o, "country", p->country[0] ? ref_cstr_json(p->country) : json_null());
    json_object_set_new(o, "fips", p->fips[0] ? ref_cstr_json(p->fips) : json_null());
    json_object_set_new(o, "admin1", p->admin1[0] ? ref_cstr_json(p->admin1) : json_null());
    int located = p->precision != KH_PLACE_NONE;
    json_object_set_new(o, "lat", located ? json_real(p->lat) : json_null());
    json_object_set_new(o, "lon", located ? json_real(p->lon) : json_null());
    json_object_set_new(o, "precision", ref_cstr_json(kh_write_precision_name(p->precision)));
    json_object_set_new(o, "span", ref_span_json(p->span));
    return o;
}

/* Enrichment: when and where it happened, what was said, how often. */
/* A compound actor stays a list: the distinct sources (or targets) of all
 * events that share this event's verb and code ("Russia, Iran and Turkey
 * ... guarantors" -> ["RUS", "IRN", "TUR"]). */
static json_t *ref_group_json(const kh_events *events, const kh_event *e, int sources)
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

static void ref_add_enrichment(json_t *o, const kh_write_item *it, const kh_event *e)
{
    char date[KH_DATE_ISO_SIZE];
    json_object_set_new(o, "event_date", kh_date_format_iso(e->event_date, date) == 0
                                             ? json_string(date) : json_null());
    json_object_set_new(o, "date_source",
                        ref_cstr_json(kh_write_date_source_name(e->date_source)));
    json_object_set_new(o, "date_precision",
                        ref_cstr_json(kh_write_date_precision_name(e->date_precision)));
    json_object_set_new(o, "place", ref_place_json(&e->place));
    json_object_set_new(o, "quote", ref_cstr_json(e->quote));
    json_object_set_new(o, "speaker", ref_cstr_json(e->speaker));
    json_object_set_new(o, "quote_span", e->quote ? ref_span_json(e->quote_span) : json_null());
    json_object_set_new(o, "mentions", json_integer(e->mentions > 0 ? e->mentions : 1));
    json_object_set_new(o, "compound", json_integer(kh_write_compound_size(it->events, e)));
    json_object_set_new(o, "source_group", ref_group_json(it->events, e, 1));
    json_object_set_new(o, "target_group", ref_group_json(it->events, e, 0));
}

static json_t *ref_event_json(const kh_write_item *it, const kh_event *e)
{
    char date[KH_DATE_ISO_SIZE];
    json_t *o = json_object();
    char *id = kh_xasprintf("%016llx", (unsigned long long)kh_dedup_event_id(
                                           it->doc->id, it->sent_no, e));
    json_object_set_new(o, "id", json_string(id));
    free(id);
    json_object_set_new(o, "doc", ref_cstr_json(it->doc->id));
    json_object_set_new(o, "sent", json_integer(it->sent_no));
    json_object_set_new(o, "date", kh_date_format_iso(it->doc->date, date) == 0
                                       ? json_string(date) : json_null());
    json_object_set_new(o, "source", ref_cstr_json(e->source));
    json_object_set_new(o, "source_text", ref_words_json(e->source_text));
    json_object_set_new(o, "target", ref_cstr_json(e->target));
    json_object_set_new(o, "target_text", ref_words_json(e->target_text));
    ref_add_actor_parts(o, "source_country", "source_sectors", e->source);
    ref_add_actor_parts(o, "target_country", "target_sectors", e->target);
    ref_add_cameo_fields(o, e->code);
    ref_add_enrichment(o, it, e);
    json_object_set_new(o, "sentence", ref_text_json(it->sentence, it->sentence_len));
    json_object_set_new(o, "sentence_offset", json_integer(it->sentence_offset));
    json_object_set_new(o, "offsets", ref_offsets_json(e));
    json_object_set_new(o, "pattern", ref_cstr_json(e->pattern));
    char *ref = kh_write_dict_ref(e);
    json_object_set_new(o, "dict", ref_cstr_json(ref));
    free(ref);
    for (size_t i = 0; i < kh_write_flag_count; i++)
        json_object_set_new(o, kh_write_flags[i].name,
                            json_boolean(e->flags & kh_write_flags[i].bit));
    json_object_set_new(o, "issues", ref_issues_json(e->issues));
    if (it->doc->url)
        json_object_set_new(o, "url", ref_cstr_json(it->doc->url));
    return o;
}

/* The old writer's line: the object dumped with its flags, and '\n'. */
static char *ref_line(const kh_write_item *it, const kh_event *e)
{
    json_t *o = ref_event_json(it, e);
    char *s = json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(REF_REAL_DIGITS));
    json_decref(o);
    assert_non_null(s);
    char *line = kh_xasprintf("%s\n", s);
    free(s);
    return line;
}

/* ------------------------------------------------------------------
 * Generated events
 * ------------------------------------------------------------------ */

/* splitmix64: the same events on every run and every machine. */
static uint64_t rng_next(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

#define PICK(s, list) (list)[rng_next(s) % (sizeof(list) / sizeof(list)[0])]

/* Strings that have broken JSON writers: escapes, every control byte
 * class, 2-, 3- and 4-byte UTF-8, and invalid UTF-8 of each kind jansson
 * refuses (stray continuation, overlong, surrogate, past U+10FFFF,
 * truncated at the end and in the middle, bytes never valid). */
static const char *const texts[] = {
    NULL, "", "Iran's military", "plain ASCII text",
    "quote \" and backslash \\ and \"\"\\\\", "/slash/ and </script>",
    "tab\there", "nl\nand cr\r", "\b\f\n\r\t", "\x01\x02\x03\x1e\x1f ctl", "del \x7f",
    "caf\xC3\xA9 na\xC3\xAFve", "\xE2\x82\xAC euro \xE2\x80\x94 dash",
    "clef \xF0\x9D\x84\x9E and \xF0\x9F\x98\x80", "\xF4\x8F\xBF\xBF max",
    "\xff", "lone \x80 continuation", "overlong \xC0\x80 and \xC1\xBF",
    "overlong3 \xE0\x80\xAF", "surrogate \xED\xA0\x80 x", "too big \xF4\x90\x80\x80",
    "\xF5\x80\x80\x80 never", "truncated \xE2\x82", "truncated4 \xF0\x9F\x98",
    "mid \xE2\x82 x \xC3", "\xC3", "mixed \xC3\xA9\xC3(\xE2\x82\xAC\xFE",
    "\xEF\xBF\xBD already replaced", "\xEF\xBB\xBF BOM",
};
static const char *const issue_lists[] = {
    NULL, "", "MILITARY", "MILITARY;BORDER", ";", ";;", "a;;b;", ";x",
    "bad\xC3;\"q\";\\", "NUCLEAR;\xF0\x9F\x98\x80"};
static const char *const actors[] = {
    "IRNMIL", "---", "", "USAGOVMIL", "IGOUNO", "RUS", "IRQ", "IRN", "TUR",
    "AB", "GOVREB", "IRQ\xC3\xA9X", "USA\"\\", "\xff\xfeZ", "SYRGOV"};
static const char *const codes[] = {
    "190", "042", "0874", "", "XYZ", "1\"", "999", "20", "010", "1823", "051"};
static const char *const files[] = {
    NULL, "test.verbs", "dir/\"odd\" \\name\xC3.txt", "CAMEO.2.0.txt", ""};
static const char *const countries[] = {"", "SYR", "USA", "X\"", "\xC3\xA9"};
static const double reals[] = {
    0.0, -0.0, 1.0, 1.9, -10.0, 3.5e-7, 1e-5, 0.1, 33.5138, 36.2765,
    -180.0, 180.0, 123456.0, 1234567.0, 1e20, 1e21, 1e-300, 1e300,
    -2.5e-12, 0.000123456789, 98765.4321, 2.0 / 3.0};
static const long dates[] = {0, 20240307, 19000101, 20241399, -1, 99991231, 20110328};
static const long numbers[] = {
    0, 1, -1, 15, 255, -4, 1000000, 2147483647L, -2147483647L - 1, LONG_MAX, LONG_MIN};

static char *dup_or_null(const char *s) { return s ? kh_xstrdup(s) : NULL; }

static kh_span random_span(uint64_t *s)
{
    kh_span span = {PICK(s, numbers), PICK(s, numbers)};
    if (rng_next(s) % 3 == 0)
        span.start = -1;
    return span;
}

static void random_place(uint64_t *s, kh_place *p)
{
    if (rng_next(s) % 4 == 0)
        return; /* no place at all: null */
    p->name = dup_or_null(PICK(s, texts));
    snprintf(p->country, sizeof p->country, "%s", PICK(s, countries));
    snprintf(p->fips, sizeof p->fips, "%s", rng_next(s) % 2 ? "SY" : "");
    snprintf(p->admin1, sizeof p->admin1, "%s", rng_next(s) % 2 ? "SY13" : "");
    p->lat = PICK(s, reals);
    p->lon = PICK(s, reals);
    p->precision = (int)(rng_next(s) % 4);
    p->span = random_span(s);
}

static void random_event(uint64_t *s, kh_event *e, const kh_event *compound_with)
{
    memset(e, 0, sizeof *e);
    snprintf(e->code, sizeof e->code, "%s", PICK(s, codes));
    e->source = kh_xstrdup(PICK(s, actors));
    e->target = kh_xstrdup(PICK(s, actors));
    e->source_text = dup_or_null(PICK(s, texts));
    e->target_text = dup_or_null(PICK(s, texts));
    e->source_span = random_span(s);
    e->verb_span = random_span(s);
    e->target_span = random_span(s);
    if (compound_with) { /* a member of the previous event's compound */
        memcpy(e->code, compound_with->code, sizeof e->code);
        e->verb_span = compound_with->verb_span;
    }
    e->pattern = PICK(s, texts);
    e->dict_file = PICK(s, files);
    e->dict_line = PICK(s, numbers);
    e->issues = dup_or_null(PICK(s, issue_lists));
    e->flags = (unsigned)rng_next(s);
    e->event_date = PICK(s, dates);
    e->date_source = (int)(rng_next(s) % 5);
    e->date_precision = (int)(rng_next(s) % 5);
    random_place(s, &e->place);
    e->quote = dup_or_null(PICK(s, texts));
    e->speaker = dup_or_null(PICK(s, texts));
    e->quote_span = random_span(s);
    e->mentions = (int)PICK(s, numbers);
}

/* ------------------------------------------------------------------
 * Comparing
 * ------------------------------------------------------------------ */

/* Writes one sentence's events through the JSON-lines writer and checks
 * the output against the reference line by line, and that each line
 * parses back as one object. */
static void check_sentence(kh_writer *w, const kh_doc *doc, int sent_no,
                           const char *sentence, size_t sentence_len, long offset,
                           const kh_events *events)
{
    assert_int_equal(kh_writer_add(w, doc, sent_no, sentence, sentence_len, offset, events), 0);
    size_t len;
    char *got = kh_writer_take(w, &len);
    kh_write_item it = {doc, sent_no, sentence, sentence_len, offset, events, NULL};
    size_t at = 0;
    for (size_t i = 0; i < events->count; i++) {
        char *want = ref_line(&it, &events->items[i]);
        size_t n = strlen(want);
        if (at + n > len || memcmp(got + at, want, n) != 0) {
            fprintf(stderr, "event %zu of sentence %d differs:\nwant %s got  %.*s\n", i,
                    sent_no, want, (int)(len - at < n + 80 ? len - at : n + 80), got + at);
            fail();
        }
        json_error_t err;
        /* \u0000 is valid JSON (a NUL in a sentence); jansson wants it
         * allowed explicitly. */
        json_t *back = json_loadb(got + at, n, JSON_ALLOW_NUL, &err);
        if (!back)
            fprintf(stderr, "does not parse: %s: %s", err.text, want);
        assert_non_null(back);
        assert_true(json_is_object(back));
        json_decref(back);
        at += n;
        free(want);
    }
    assert_int_equal(at, len);
    free(got);
}

static kh_writer *memory_writer(kh_diag *diag)
{
    kh_diag_init(diag);
    diag->quiet = 1;
    kh_writer *w = kh_writer_open_memory(KH_OUTPUT_JSONL, diag);
    assert_non_null(w);
    /* The encoding is under test, not merging: every event is written. */
    kh_writer_set_dedup(w, 0);
    return w;
}

/* A sentence from the hostile texts, sometimes with a NUL inside it
 * (sentence_len counts past it, and the writer must too). */
static char *random_sentence(uint64_t *s, size_t *len)
{
    const char *a = PICK(s, texts), *b = PICK(s, texts);
    char *text = kh_xasprintf("%s%c%s", a ? a : "", 0, b ? b : "");
    size_t full = (a ? strlen(a) : 0) + 1 + (b ? strlen(b) : 0);
    *len = rng_next(s) % 2 ? full : strlen(text);
    return text;
}

static void test_generated_events_match_jansson(void **state)
{
    (void)state;
    uint64_t seed = 10;
    kh_diag diag;
    kh_writer *w = memory_writer(&diag);
    size_t total = 0;
    for (int sent = 1; sent <= 1500; sent++) {
        kh_doc doc = {0};
        doc.id = dup_or_null(PICK(&seed, texts));
        doc.date = PICK(&seed, dates);
        doc.url = rng_next(&seed) % 3 ? NULL : dup_or_null(PICK(&seed, texts));
        doc.text = kh_xstrdup("text");
        doc.len = 4;
        kh_events events;
        kh_events_init(&events);
        size_t n = rng_next(&seed) % 7;
        events.items = kh_xcalloc(n ? n : 1, sizeof *events.items);
        events.capacity = n ? n : 1;
        for (size_t i = 0; i < n; i++, events.count++)
            random_event(&seed, &events.items[i],
                         i && rng_next(&seed) % 2 ? &events.items[i - 1] : NULL);
        size_t len;
        char *sentence = random_sentence(&seed, &len);
        check_sentence(w, &doc, sent, sentence, len, PICK(&seed, numbers), &events);
        total += n;
        free(sentence);
        kh_events_free(&events);
        kh_doc_clear(&doc);
    }
    assert_true(total > 4000);
    assert_int_equal(kh_writer_close(w), 0);
}

/* One random event in sentence[0, len), written as jansson writes it. */
static void check_random_event(kh_writer *w, kh_doc *doc, int sent, const char *sentence,
                               size_t len, uint64_t *seed)
{
    kh_events events;
    kh_events_init(&events);
    events.items = kh_xcalloc(1, sizeof *events.items);
    events.capacity = events.count = 1;
    random_event(seed, &events.items[0], NULL);
    check_sentence(w, doc, sent, sentence, len, 0, &events);
    kh_events_free(&events);
}

/* The writer looks at plain text eight bytes at a time: every byte value,
 * and a two-byte character, at every place in and around a word of eight
 * must come out as jansson writes it. */
static void test_every_byte_everywhere(void **state)
{
    (void)state;
    uint64_t seed = 7;
    kh_diag diag;
    kh_writer *w = memory_writer(&diag);
    kh_doc doc = {.id = kh_xstrdup("bytes"), .text = kh_xstrdup("text"), .len = 4};
    char sentence[21];
    int sent = 0;
    for (int c = 0; c <= 256; c++)
        for (size_t at = 0; at < sizeof sentence - 2; at++) {
            memcpy(sentence, "abcdefghijklmnopqrst", sizeof sentence);
            if (c < 256)
                sentence[at] = (char)c;
            else
                memcpy(sentence + at, "\xC3\xA9", 2);
            check_random_event(w, &doc, ++sent, sentence, sizeof sentence - 1, &seed);
        }
    kh_doc_clear(&doc);
    assert_int_equal(kh_writer_close(w), 0);
}

/* Short strings are tested whole, their last bytes in words that overlap
 * the ones before: a byte that needs escaping, or a two-byte character,
 * at every place in a sentence of every length up to past two words of
 * sixteen must come out as jansson writes it. */
static void test_special_at_every_length(void **state)
{
    (void)state;
    static const char *const specials[] = {"a", "\x01", "\x1f", "\"", "\\", "\x7f",
                                           "\x80", "\xff", "\xC3\xA9"};
    uint64_t seed = 8;
    kh_diag diag;
    kh_writer *w = memory_writer(&diag);
    kh_doc doc = {.id = kh_xstrdup("lengths"), .text = kh_xstrdup("text"), .len = 4};
    char sentence[40];
    int sent = 0;
    for (size_t len = 1; len < sizeof sentence; len++)
        for (size_t at = 0; at < len; at++)
            for (size_t k = 0; k < sizeof specials / sizeof specials[0]; k++) {
                size_t n = strlen(specials[k]);
                if (at + n > len)
                    continue;
                memset(sentence, 'x', len);
                memcpy(sentence + at, specials[k], n);
                check_random_event(w, &doc, ++sent, sentence, len, &seed);
            }
    kh_doc_clear(&doc);
    assert_int_equal(kh_writer_close(w), 0);
}

/* One event whose place has coordinates `lat` and `lon`. */
static void check_place_reals(kh_writer *w, kh_doc *doc, double lat, double lon)
{
    kh_events events;
    kh_events_init(&events);
    events.items = kh_xcalloc(1, sizeof *events.items);
    events.capacity = events.count = 1;
    kh_event *e = &events.items[0];
    strcpy(e->code, "190");
    e->source = kh_xstrdup("IRN");
    e->target = kh_xstrdup("IRQ");
    e->place.precision = KH_PLACE_CITY;
    e->place.lat = lat;
    e->place.lon = lon;
    check_sentence(w, doc, 1, "s", 1, 0, &events);
    kh_events_free(&events);
}

/* Reals of every magnitude and digit count, from random bit patterns and
 * from random decimals, as "%.6g" and jansson's fix-ups print them. */
static void test_reals_match_jansson(void **state)
{
    (void)state;
    uint64_t seed = 3;
    kh_diag diag;
    kh_writer *w = memory_writer(&diag);
    kh_doc doc = {0};
    for (int i = 0; i < 20000; i++) {
        uint64_t bits = rng_next(&seed);
        double a, b = (double)(int64_t)(rng_next(&seed) % 2000001 - 1000000) /
                      pow(10, (double)(rng_next(&seed) % 12));
        memcpy(&a, &bits, sizeof a);
        if (!isfinite(a))
            a = 0.5;
        check_place_reals(w, &doc, a, b);
    }
    /* Round numbers, the edges of "%g"'s switch to exponents, and of the
     * writer's own path for one-decimal values. */
    const double edges[] = {100000.0, 999999.0, 999999.5, 1e6, 1e-4, 9.99999e-5,
                            1e-5, 5e-324, 1.7976931348623157e308, -1e-7, 1e15,
                            9999.9, 10000.1, 0.1, 0.5, 7.0, 1e4, 99999.9, 1e5};
    for (size_t i = 0; i < sizeof edges / sizeof edges[0]; i++)
        check_place_reals(w, &doc, edges[i], -edges[i]);
    assert_int_equal(kh_writer_close(w), 0);
}

/* json_real refuses NaN and infinities and the old writer then left the
 * member out; the direct writer does the same rather than write invalid
 * JSON. */
static void test_non_finite_reals_are_left_out(void **state)
{
    (void)state;
    kh_diag diag;
    kh_writer *w = memory_writer(&diag);
    kh_doc doc = {0};
    check_place_reals(w, &doc, NAN, 1.5);
    check_place_reals(w, &doc, INFINITY, -INFINITY);
    assert_int_equal(kh_writer_close(w), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_generated_events_match_jansson),
        cmocka_unit_test(test_reals_match_jansson),
        cmocka_unit_test(test_every_byte_everywhere),
        cmocka_unit_test(test_special_at_every_length),
        cmocka_unit_test(test_non_finite_reals_are_left_out),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
