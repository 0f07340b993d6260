/* test_write.c -- the JSON-lines, TSV and SQLite writers. */
#include "testutil.h"
#include "write.h"
#include "write_fields.h"
#include "kh_limits.h"
#include "write_table.h"
#include "util.h"

#include <jansson.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* "Iran's military attacked\tIraqi\ntroops." : spans are into this. */
static const char sentence[] = "Iran's military attacked\tIraqi\ntroops.";

typedef struct fixture {
    char dir[64];
    char path[128];
    kh_diag diag;
    kh_doc doc;
    kh_events events;
} fixture;

static kh_event *add_event(kh_events *ev, const char *code, const char *src,
                           const char *tgt)
{
    if (ev->count == ev->capacity) {
        ev->capacity = ev->capacity ? ev->capacity * 2 : 4;
        ev->items = realloc(ev->items, ev->capacity * sizeof *ev->items);
    }
    kh_event *e = &ev->items[ev->count++];
    memset(e, 0, sizeof *e);
    strcpy(e->code, code);
    e->source = strdup(src);
    e->target = strdup(tgt);
    e->source_span = (kh_span){0, 15};
    e->verb_span = (kh_span){16, 24};
    e->target_span = (kh_span){-1, -1};
    return e;
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    strcpy(f->dir, "/tmp/kh-test-write-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    kh_diag_init(&f->diag);
    f->diag.quiet = 1;
    f->doc.id = strdup("doc-1");
    f->doc.date = 20240307;
    f->doc.text = strdup("TEHRAN -- Iran's military attacked\tIraqi\ntroops. More.");
    f->doc.len = strlen(f->doc.text);
    kh_events_init(&f->events);
    kh_event *e = add_event(&f->events, "190", "IRNMIL", "IRQMIL");
    e->source_text = strdup("Iran's military");
    e->target_text = strdup("Iraqi\ntroops");
    e->pattern = "* ATTACK +";
    e->dict_file = "test.verbs";
    e->dict_line = 12;
    e->issues = strdup("MILITARY;BORDER");
    e->flags = KH_EVENT_PASSIVE;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    kh_events_free(&f->events);
    kh_doc_clear(&f->doc);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    assert_int_equal(system(cmd), 0);
    free(f);
    return 0;
}

static int exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* Counts the entries of dir whose names start with prefix. */
static int count_files(const char *dir, const char *prefix)
{
    char cmd[256];
    snprintf(cmd, sizeof cmd, "ls -1 '%s' | grep -c '^%s'", dir, prefix);
    FILE *p = popen(cmd, "r");
    int n = 0;
    assert_int_equal(fscanf(p, "%d", &n), 1);
    pclose(p);
    return n;
}

static int write_one(fixture *f, kh_format fmt)
{
    kh_writer *w = kh_writer_open(f->path, fmt, &f->diag);
    assert_non_null(w);
    assert_int_equal(kh_writer_add(w, &f->doc, 1, sentence, strlen(sentence),
                                   10, &f->events), 0);
    return kh_writer_close(w);
}

/* ------------------------------------------------------------------ */

static void test_format_choice(void **state)
{
    assert_int_equal(kh_format_parse("jsonl"), KH_OUTPUT_JSONL);
    assert_int_equal(kh_format_parse("JSON"), KH_OUTPUT_JSONL);
    assert_int_equal(kh_format_parse("tsv"), KH_OUTPUT_TSV);
    assert_int_equal(kh_format_parse("sqlite"), KH_OUTPUT_SQLITE);
    assert_int_equal(kh_format_parse("gdelt"), KH_OUTPUT_GDELT);
    assert_int_equal(kh_format_parse("xml"), -1);
    assert_int_equal(kh_format_parse(NULL), -1);
    assert_int_equal(kh_format_for_path("out/events.db", KH_OUTPUT_JSONL), KH_OUTPUT_SQLITE);
    assert_int_equal(kh_format_for_path("e.SQLITE", KH_OUTPUT_TSV), KH_OUTPUT_SQLITE);
    assert_int_equal(kh_format_for_path("e.jsonl", KH_OUTPUT_TSV), KH_OUTPUT_TSV);
    assert_int_equal(kh_format_for_path("db", KH_OUTPUT_JSONL), KH_OUTPUT_JSONL);
}

static json_t *read_json_line(const char *path, int *lines)
{
    FILE *in = fopen(path, "r");
    assert_non_null(in);
    char *line = NULL;
    size_t cap = 0;
    json_t *first = NULL;
    *lines = 0;
    while (getline(&line, &cap, in) > 0) {
        json_error_t err;
        json_t *o = json_loads(line, 0, &err);
        assert_non_null(o);
        if (!first)
            first = o;
        else
            json_decref(o);
        (*lines)++;
    }
    free(line);
    fclose(in);
    return first;
}

static void test_jsonl_fields(void **state)
{
    fixture *f = *state;
    snprintf(f->path, sizeof f->path, "%s/events.jsonl", f->dir);
    assert_int_equal(write_one(f, KH_OUTPUT_JSONL), 0);
    int lines;
    json_t *o = read_json_line(f->path, &lines);
    assert_int_equal(lines, 1);
    assert_string_equal(json_string_value(json_object_get(o, "doc")), "doc-1");
    assert_int_equal(json_integer_value(json_object_get(o, "sent")), 1);
    assert_string_equal(json_string_value(json_object_get(o, "date")), "2024-03-07");
    assert_string_equal(json_string_value(json_object_get(o, "source")), "IRNMIL");
    assert_string_equal(json_string_value(json_object_get(o, "target")), "IRQMIL");
    assert_string_equal(json_string_value(json_object_get(o, "target_text")), "Iraqi\ntroops");
    assert_string_equal(json_string_value(json_object_get(o, "code")), "190");
    assert_string_equal(json_string_value(json_object_get(o, "root")), "19");
    assert_int_equal(json_integer_value(json_object_get(o, "quad")), 4);
    assert_true(json_real_value(json_object_get(o, "goldstein")) == -10.0);
    assert_string_equal(json_string_value(json_object_get(o, "plover")), "ASSAULT");
    assert_string_equal(json_string_value(json_object_get(o, "sentence")), sentence);
    assert_string_equal(json_string_value(json_object_get(o, "pattern")), "* ATTACK +");
    assert_string_equal(json_string_value(json_object_get(o, "dict")), "test.verbs:12");
    assert_true(json_is_true(json_object_get(o, "passive")));
    assert_true(json_is_false(json_object_get(o, "negated")));
    json_t *off = json_object_get(o, "offsets");
    json_t *verb = json_object_get(off, "verb");
    assert_int_equal(json_integer_value(json_array_get(verb, 0)), 16);
    assert_int_equal(json_integer_value(json_array_get(verb, 1)), 24);
    assert_true(json_is_null(json_object_get(off, "target")));
    json_t *issues = json_object_get(o, "issues");
    assert_int_equal(json_array_size(issues), 2);
    assert_string_equal(json_string_value(json_array_get(issues, 1)), "BORDER");
    json_decref(o);
}

static void test_jsonl_unknown_code_and_bad_utf8(void **state)
{
    fixture *f = *state;
    kh_events_clear(&f->events);
    kh_event *e = add_event(&f->events, "223", "ABC", "---"); /* WEIS, not CAMEO */
    e->source_text = strdup("bad \xff\xfe bytes");
    f->doc.date = 0;
    snprintf(f->path, sizeof f->path, "%s/unknown.jsonl", f->dir);
    assert_int_equal(write_one(f, KH_OUTPUT_JSONL), 0);
    int lines;
    json_t *o = read_json_line(f->path, &lines);
    assert_int_equal(lines, 1);
    assert_string_equal(json_string_value(json_object_get(o, "code")), "223");
    assert_true(json_is_null(json_object_get(o, "root")));
    assert_true(json_is_null(json_object_get(o, "quad")));
    assert_true(json_is_null(json_object_get(o, "goldstein")));
    assert_true(json_is_null(json_object_get(o, "date")));
    assert_true(json_is_null(json_object_get(o, "dict")));
    assert_string_equal(json_string_value(json_object_get(o, "source_text")),
                        "bad \xEF\xBF\xBD\xEF\xBF\xBD bytes");
    json_decref(o);
}

static void test_jsonl_appears_only_on_close(void **state)
{
    fixture *f = *state;
    snprintf(f->path, sizeof f->path, "%s/safe.jsonl", f->dir);
    kh_writer *w = kh_writer_open(f->path, KH_OUTPUT_JSONL, &f->diag);
    assert_non_null(w);
    assert_int_equal(kh_writer_add(w, &f->doc, 1, sentence, strlen(sentence),
                                   10, &f->events), 0);
    /* a crash here would leave only the temporary file behind */
    assert_false(exists(f->path));
    assert_int_equal(count_files(f->dir, "safe.jsonl.tmp-"), 1);
    assert_int_equal(kh_writer_close(w), 0);
    assert_true(exists(f->path));
    assert_int_equal(count_files(f->dir, "safe.jsonl.tmp-"), 0);
}

static void test_unwritable_path(void **state)
{
    fixture *f = *state;
    static const kh_format formats[] = {KH_OUTPUT_JSONL, KH_OUTPUT_TSV, KH_OUTPUT_SQLITE,
                                        KH_OUTPUT_GDELT};
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
        long before = f->diag.errors;
        snprintf(f->path, sizeof f->path, "%s/no/such/dir/out", f->dir);
        assert_null(kh_writer_open(f->path, formats[i], &f->diag));
        assert_int_equal(f->diag.errors, before + 1);
    }
    assert_null(kh_writer_open("-", KH_OUTPUT_SQLITE, &f->diag));
    assert_null(kh_writer_open("", KH_OUTPUT_JSONL, &f->diag));
}

static void test_tsv_escaping(void **state)
{
    fixture *f = *state;
    f->events.items[0].flags = KH_EVENT_NEGATED | KH_EVENT_FUTURE;
    snprintf(f->path, sizeof f->path, "%s/events.tsv", f->dir);
    assert_int_equal(write_one(f, KH_OUTPUT_TSV), 0);
    FILE *in = fopen(f->path, "r");
    char *line = NULL;
    size_t cap = 0;
    int lines = 0;
    char *second = NULL;
    while (getline(&line, &cap, in) > 0)
        if (++lines == 2)
            second = strdup(line);
    fclose(in);
    free(line);
    assert_int_equal(lines, 2); /* header + one event: newlines escaped */
    int tabs = 0;
    for (char *p = second; *p; p++)
        tabs += *p == '\t';
    assert_int_equal(tabs, 38); /* 19 columns, 19 enrichment columns, the id */
    const char *head = "20240307\tIRNMIL\tIRQMIL\t190\t19\t4\t-10.0\tASSAULT\tdoc-1\t1\t";
    assert_int_equal(strncmp(second, head, strlen(head)), 0);
    assert_non_null(strstr(second, "\tIraqi\\ntroops\t"));
    assert_non_null(strstr(second, "\tnegated,future\t"));
    assert_non_null(strstr(second, "attacked\\tIraqi\\ntroops.\t"));
    /* enrichment: no date (no precision), no place; mentions 1, PLOVER mode, actor split */
    assert_non_null(strstr(second, "\t1\t\tIRN\tMIL\tIRQ\tMIL\t1\t\t"));
    /* the stable id last: 16 hex digits */
    const char *id = strrchr(second, '\t') + 1;
    assert_int_equal(strspn(id, "0123456789abcdef"), 16);
    assert_string_equal(id + 16, "\n");
    free(second);
}

/* The sentence column, escaped byte by byte as the TSV format says. */
static void tsv_escape(const char *s, size_t len, kh_buf *out)
{
    for (size_t i = 0; i < len; i++) {
        const char *esc = s[i] == '\t' ? "\\t" : s[i] == '\n' ? "\\n" : s[i] == '\r' ? "\\r"
                        : s[i] == '\\' ? "\\\\" : s[i] == 0 ? "\\0" : NULL;
        if (esc)
            kh_buf_add(out, esc, 2);
        else
            kh_buf_addc(out, s[i]);
    }
}

/* The TSV line of the fixture's event in a sentence of text[0, len) has
 * the sentence, column 19, escaped as tsv_escape escapes it a byte at a
 * time.  line and want are scratch. */
static void check_tsv_sentence(fixture *f, const char *text, size_t len, kh_buf *line,
                               kh_buf *want)
{
    kh_write_item it = {.doc = &f->doc, .sent_no = 1, .sentence = text,
                        .sentence_len = len, .events = &f->events};
    kh_buf_clear(line);
    kh_tsv_put_event(line, &it, &f->events.items[0]);
    kh_buf_clear(want);
    tsv_escape(text, len, want);
    kh_buf_addc(want, '\t');
    const char *p = line->data;
    for (int tab = 0; tab < 18; tab++)
        p = (const char *)memchr(p, '\t', line->len - (size_t)(p - line->data)) + 1;
    assert_memory_equal(p, want->data, want->len);
}

/* The TSV writer looks at plain text eight bytes at a time: every byte
 * value, twice, at every place in and around a word of eight is escaped
 * as one at a time would. */
static void test_tsv_every_byte_everywhere(void **state)
{
    fixture *f = *state;
    char text[21];
    kh_buf line = {0}, want = {0};
    for (int c = 0; c < 256; c++)
        for (size_t at = 0; at + 1 < sizeof text - 1; at++) {
            memcpy(text, "abcdefghijklmnopqrst", sizeof text);
            text[at] = (char)c;
            text[(at + 1 + at % 3) % (sizeof text - 1)] = (char)c;
            check_tsv_sentence(f, text, sizeof text - 1, &line, &want);
        }
    kh_buf_free(&line);
    kh_buf_free(&want);
}

/* Short fields are tested whole, their last bytes in loads that overlap
 * the ones before: a byte with an escape, or one next to those, at every
 * place in a sentence of every length up to past two blocks of sixteen is
 * escaped as one at a time would. */
static void test_tsv_escape_at_every_length(void **state)
{
    fixture *f = *state;
    static const unsigned char bytes[] = {0, 1, '\t', '\n', 12, '\r', 14, '\\', '"', 0x80, 0xff};
    char text[40];
    kh_buf line = {0}, want = {0};
    for (size_t len = 1; len < sizeof text; len++)
        for (size_t at = 0; at < len; at++)
            for (size_t k = 0; k < sizeof bytes; k++) {
                memset(text, 'x', len);
                text[at] = (char)bytes[k];
                check_tsv_sentence(f, text, len, &line, &want);
            }
    kh_buf_free(&line);
    kh_buf_free(&want);
}

/* ------------------------------------------------------------------ */

static long count_rows(const char *path, const char *sql)
{
    sqlite3 *db;
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    long n = (long)sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(db);
    return n;
}

/* Two documents; the second has one sentence with no events. */
static int write_two_docs(fixture *f)
{
    kh_writer *w = kh_writer_open(f->path, KH_OUTPUT_SQLITE, &f->diag);
    assert_non_null(w);
    kh_events none;
    kh_events_init(&none);
    kh_doc doc2 = {.id = "doc-2", .text = "Nothing happened.", .len = 17};
    assert_int_equal(kh_writer_add(w, &f->doc, 1, sentence, strlen(sentence), 10, &f->events), 0);
    assert_int_equal(kh_writer_add(w, &f->doc, 2, "More.", 5, 50, &none), 0);
    assert_int_equal(kh_writer_add(w, &doc2, 1, doc2.text, doc2.len, 0, &none), 0);
    return kh_writer_close(w);
}

static void test_sqlite_no_duplicates(void **state)
{
    fixture *f = *state;
    add_event(&f->events, "042", "IGOUNO", "IRN");
    snprintf(f->path, sizeof f->path, "%s/events.db", f->dir);
    for (int run = 0; run < 2; run++) {
        assert_int_equal(write_two_docs(f), 0);
        assert_int_equal(count_rows(f->path, "SELECT count(*) FROM documents"), 2);
        assert_int_equal(count_rows(f->path, "SELECT count(*) FROM sentences"), 3);
        assert_int_equal(count_rows(f->path, "SELECT count(*) FROM events"), 2);
        assert_int_equal(count_rows(f->path, "SELECT count(*) FROM actors"), 4);
    }
    assert_int_equal(count_rows(f->path, "SELECT count(*) FROM events WHERE code='190'"
                                " AND quad=4 AND goldstein=-10.0 AND date='2024-03-07'"
                                " AND passive=1 AND verb_start=16 AND target_start=-1"), 1);
    assert_int_equal(count_rows(f->path, "SELECT count(*) FROM actors WHERE code='IRNMIL'"
                                " AND country='IRN' AND groups='MIL'"), 1);
    assert_int_equal(count_rows(f->path, "SELECT count(*) FROM actors WHERE code='IGOUNO'"
                                " AND country IS NULL AND groups='IGO UNO'"), 1);
    /* a changed text under the same id is a new document version */
    free(f->doc.text);
    f->doc.text = strdup("A corrected text.");
    f->doc.len = strlen(f->doc.text);
    assert_int_equal(write_two_docs(f), 0);
    assert_int_equal(count_rows(f->path, "SELECT count(*) FROM documents"), 3);
    assert_int_equal(count_rows(f->path, "SELECT count(*) FROM events"), 4);
}

/* Each actor code is one actors row, however often and in whatever
 * events it recurs: codes that are prefixes of each other are not one. */
static void test_sqlite_actor_rows(void **state)
{
    fixture *f = *state;
    add_event(&f->events, "042", "IRN", "IRNMIL");
    add_event(&f->events, "043", "IRQMIL", "IRN");
    snprintf(f->path, sizeof f->path, "%s/events.db", f->dir);
    assert_int_equal(write_two_docs(f), 0);
    assert_int_equal(count_rows(f->path, "SELECT count(*) FROM events"), 3);
    assert_int_equal(count_rows(f->path, "SELECT count(*) FROM actors"), 3);
    assert_int_equal(count_rows(f->path, "SELECT count(*) FROM actors WHERE code='IRN'"
                                " AND country='IRN' AND groups=''"), 1);
    assert_int_equal(count_rows(f->path, "SELECT count(*) FROM actors WHERE code='IRQMIL'"
                                " AND country='IRQ' AND groups='MIL'"), 1);
}

/* ------------------------------------------------------------------ */

/* Gives the fixture's event a date, a place, a quote and two mentions. */
static void enrich(kh_event *e)
{
    e->event_date = 20240305;
    e->date_source = KH_DATE_RELATIVE;
    e->place.name = strdup("Basra");
    strcpy(e->place.country, "IRQ");
    strcpy(e->place.fips, "IZ");
    strcpy(e->place.admin1, "IZ02");
    e->place.lat = 30.5085;
    e->place.lon = 47.7804;
    e->place.precision = KH_PLACE_CITY;
    e->place.span = (kh_span){-1, -1};
    e->quote = strdup("we will respond");
    e->speaker = strdup("a spokesman");
    e->quote_span = (kh_span){3, 18};
    e->mentions = 2;
    e->flags |= KH_EVENT_HISTORICAL;
}

static void test_jsonl_enrichment(void **state)
{
    fixture *f = *state;
    enrich(&f->events.items[0]);
    add_event(&f->events, "190", "IRNGOVMIL", "IRQ"); /* compound: same verb */
    snprintf(f->path, sizeof f->path, "%s/rich.jsonl", f->dir);
    assert_int_equal(write_one(f, KH_OUTPUT_JSONL), 0);
    int lines;
    json_t *o = read_json_line(f->path, &lines);
    assert_int_equal(lines, 2);
    assert_string_equal(json_string_value(json_object_get(o, "event_date")), "2024-03-05");
    assert_string_equal(json_string_value(json_object_get(o, "date_source")), "relative");
    assert_string_equal(json_string_value(json_object_get(o, "date")), "2024-03-07");
    json_t *place = json_object_get(o, "place");
    assert_string_equal(json_string_value(json_object_get(place, "name")), "Basra");
    assert_string_equal(json_string_value(json_object_get(place, "country")), "IRQ");
    assert_string_equal(json_string_value(json_object_get(place, "fips")), "IZ");
    assert_string_equal(json_string_value(json_object_get(place, "precision")), "city");
    assert_true(json_real_value(json_object_get(place, "lat")) > 30.5);
    assert_string_equal(json_string_value(json_object_get(o, "quote")), "we will respond");
    assert_string_equal(json_string_value(json_object_get(o, "speaker")), "a spokesman");
    /* the duplicate stage's count, not what the event carried in: reported once */
    assert_int_equal(json_integer_value(json_object_get(o, "mentions")), 1);
    assert_int_equal(json_integer_value(json_object_get(o, "compound")), 2);
    assert_true(json_is_true(json_object_get(o, "historical")));
    assert_true(json_is_false(json_object_get(o, "hypothetical")));
    assert_string_equal(json_string_value(json_object_get(o, "source_country")), "IRN");
    json_t *sectors = json_object_get(o, "source_sectors");
    assert_int_equal(json_array_size(sectors), 1);
    assert_string_equal(json_string_value(json_array_get(sectors, 0)), "MIL");
    assert_non_null(json_object_get(o, "plover_mode"));
    json_decref(o);
}

static void test_jsonl_enrichment_absent(void **state)
{
    fixture *f = *state;
    kh_events_clear(&f->events);
    add_event(&f->events, "042", "IGOUNO", "---");
    snprintf(f->path, sizeof f->path, "%s/plain.jsonl", f->dir);
    assert_int_equal(write_one(f, KH_OUTPUT_JSONL), 0);
    int lines;
    json_t *o = read_json_line(f->path, &lines);
    assert_true(json_is_null(json_object_get(o, "event_date")));
    assert_true(json_is_null(json_object_get(o, "date_source")));
    assert_true(json_is_null(json_object_get(o, "place")));
    assert_true(json_is_null(json_object_get(o, "quote")));
    assert_int_equal(json_integer_value(json_object_get(o, "mentions")), 1);
    assert_int_equal(json_integer_value(json_object_get(o, "compound")), 1);
    assert_true(json_is_null(json_object_get(o, "source_country")));
    assert_int_equal(json_array_size(json_object_get(o, "source_sectors")), 2);
    assert_true(json_is_null(json_object_get(o, "target_country")));
    assert_int_equal(json_array_size(json_object_get(o, "target_sectors")), 0);
    json_decref(o);
}

static void test_sqlite_places_quotes_mentions(void **state)
{
    fixture *f = *state;
    enrich(&f->events.items[0]);
    snprintf(f->path, sizeof f->path, "%s/rich.db", f->dir);
    for (int run = 0; run < 2; run++) {
        kh_writer *w = kh_writer_open(f->path, KH_OUTPUT_SQLITE, &f->diag);
        assert_non_null(w);
        /* the same event in sentences 1 and 3 of doc-1, and in doc-2 */
        kh_doc doc2 = {.id = "doc-2", .text = "Again.", .len = 6, .date = 20240307,
                       .source = "Reuters"};
        assert_int_equal(kh_writer_add(w, &f->doc, 1, sentence, strlen(sentence), 10, &f->events), 0);
        assert_int_equal(kh_writer_add(w, &f->doc, 3, sentence, strlen(sentence), 90, &f->events), 0);
        assert_int_equal(kh_writer_add(w, &doc2, 1, sentence, strlen(sentence), 0, &f->events), 0);
        assert_int_equal(kh_writer_close(w), 0);
        assert_int_equal(count_rows(f->path, "SELECT count(*) FROM events"), 3);
        assert_int_equal(count_rows(f->path, "SELECT count(*) FROM places"), 3);
        assert_int_equal(count_rows(f->path, "SELECT count(*) FROM quotes"), 3);
        assert_int_equal(count_rows(f->path, "SELECT count(*) FROM mentions"), 3);
        assert_int_equal(count_rows(f->path, "SELECT count(*) FROM merged_events"), 1);
    }
    assert_int_equal(count_rows(f->path, "SELECT mentions*100+articles*10+sources"
                                " FROM merged_events"), 322);
    assert_int_equal(count_rows(f->path, "SELECT count(*) FROM places WHERE name='Basra'"
                                " AND fips='IZ' AND precision='city' AND lat>30.5"), 3);
    assert_int_equal(count_rows(f->path, "SELECT count(*) FROM quotes WHERE"
                                " speaker='a spokesman' AND start_byte=3"), 3);
    assert_int_equal(count_rows(f->path, "SELECT count(*) FROM events WHERE"
                                " event_date='2024-03-05' AND date_source='relative'"
                                " AND historical=1 AND passive=1"), 3);
    assert_int_equal(count_rows(f->path, "SELECT value FROM schema_info"), 3);
}

static void test_sqlite_refuses_old_schema(void **state)
{
    fixture *f = *state;
    snprintf(f->path, sizeof f->path, "%s/old.db", f->dir);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "CREATE TABLE schema_info(key TEXT PRIMARY KEY,"
                                  " value TEXT NOT NULL); INSERT INTO schema_info"
                                  " VALUES('schema_version','1');", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    long before = f->diag.errors;
    assert_null(kh_writer_open(f->path, KH_OUTPUT_SQLITE, &f->diag));
    assert_int_equal(f->diag.errors, before + 1);
}

/* kh_writer_add's documents: a kh_doc struct reused for the next one is
 * a new document (its id changed in place), and the sentences of one are
 * one document -- two explicit dates two days apart are two events in
 * it, where across documents (within the window) they would be one. */
static void test_add_tells_documents_apart(void **state)
{
    fixture *f = *state;
    char id[] = "doc-1";
    kh_doc doc = f->doc;
    doc.id = id;
    kh_events one;
    kh_events_init(&one);
    kh_event *e = add_event(&one, "161", "SDN", "TCDGOV");
    e->date_source = KH_DATE_EXPLICIT;
    e->event_date = 20240310;
    kh_writer *w = kh_writer_open_memory(KH_OUTPUT_JSONL, &f->diag);
    assert_non_null(w);
    assert_int_equal(kh_writer_add(w, &doc, 1, sentence, strlen(sentence), 10, &one), 0);
    strcpy(id, "doc-2");
    assert_int_equal(kh_writer_add(w, &doc, 1, sentence, strlen(sentence), 10, &one), 0);
    e->event_date = 20240312;
    assert_int_equal(kh_writer_add(w, &doc, 2, sentence, strlen(sentence), 10, &one), 0);
    size_t len;
    char *out = kh_writer_take(w, &len);
    assert_int_equal(kh_writer_close(w), 0);
    /* doc-2's first report is a mention of doc-1's event; its second,
     * dated apart in the same document, an event of its own. */
    const char *newline = strstr(out, "\n{");
    assert_non_null(newline);
    const char *second = newline + 1;
    assert_non_null(strstr(out, "\"doc\":\"doc-1\",\"sent\":1,"));
    assert_true(strstr(out, "\"mentions\":2,") < second);
    assert_non_null(strstr(second, "\"doc\":\"doc-2\",\"sent\":2,"));
    assert_non_null(strstr(second, "\"mentions\":1,"));
    assert_null(strstr(second, "\n{"));
    free(out);
    kh_events_free(&one);
}

/* A coded document written to memory: each take hands over what was
 * written since the last one, and the same bytes a file would get. */
static void test_memory_writer_takes_per_document(void **state)
{
    fixture *f = *state;
    kh_coded_doc coded = {0};
    kh_coded_sentence s = {.start = 10, .end = 10 + strlen(sentence), .events = f->events};
    coded.items = &s;
    coded.count = coded.capacity = 1;
    kh_writer *w = kh_writer_open_memory(KH_OUTPUT_JSONL, &f->diag);
    assert_non_null(w);
    assert_int_equal(kh_writer_write(w, &f->doc, &coded), 0);
    size_t len = 0;
    char *out = kh_writer_take(w, &len);
    assert_non_null(out);
    assert_int_equal(strlen(out), len);
    assert_int_equal(out[len - 1], '\n');
    json_error_t err;
    json_t *o = json_loadb(out, len, 0, &err);
    assert_non_null(o);
    assert_string_equal(json_string_value(json_object_get(o, "source")), "IRNMIL");
    assert_int_equal(json_integer_value(json_object_get(o, "sentence_offset")), 10);
    assert_string_equal(json_string_value(json_object_get(o, "sentence")), sentence);
    json_decref(o);
    free(out);
    out = kh_writer_take(w, &len);
    assert_int_equal(len, 0);
    free(out);
    assert_int_equal(kh_writer_close(w), 0);
    /* The same document to a file gives the same bytes. */
    snprintf(f->path, sizeof f->path, "%s/out.jsonl", f->dir);
    w = kh_writer_open(f->path, KH_OUTPUT_JSONL, &f->diag);
    assert_int_equal(kh_writer_write(w, &f->doc, &coded), 0);
    assert_int_equal(kh_writer_close(w), 0);
    kh_writer *m = kh_writer_open_memory(KH_OUTPUT_JSONL, &f->diag);
    kh_writer_write(m, &f->doc, &coded);
    out = kh_writer_take(m, &len);
    char file[4096];
    FILE *in = fopen(f->path, "r");
    size_t got = fread(file, 1, sizeof file, in);
    fclose(in);
    assert_int_equal(got, len);
    assert_memory_equal(file, out, len);
    free(out);
    kh_writer_close(m);
    unlink(f->path);
    /* SQLite and GDELT need files of their own. */
    assert_null(kh_writer_open_memory(KH_OUTPUT_SQLITE, &f->diag));
    assert_null(kh_writer_open_memory(KH_OUTPUT_GDELT, &f->diag));
    assert_null(kh_writer_take(NULL, &len));
}

/* Output of several of the file's stdio buffers (KH_WRITE_FILE_BUFFER,
 * write_fields.c) reaches the file whole and in order: the bytes the
 * memory writer gives for the same documents. */
static void test_file_over_buffers(void **state)
{
    enum { DOCS = 400 };
    fixture *f = *state;
    kh_coded_doc coded = {0};
    kh_coded_sentence s = {.start = 10, .end = 10 + strlen(sentence), .events = f->events};
    coded.items = &s;
    coded.count = coded.capacity = 1;
    snprintf(f->path, sizeof f->path, "%s/big.jsonl", f->dir);
    kh_writer *w = kh_writer_open(f->path, KH_OUTPUT_JSONL, &f->diag);
    kh_writer *m = kh_writer_open_memory(KH_OUTPUT_JSONL, &f->diag);
    assert_non_null(w);
    assert_non_null(m);
    char *id = f->doc.id, *target = f->events.items[0].target;
    for (int i = 0; i < DOCS; i++) {   /* each an event of its own */
        char doc_id[32], actor[32];
        snprintf(doc_id, sizeof doc_id, "doc-%d", i);
        snprintf(actor, sizeof actor, "IRQ%03d", i);
        f->doc.id = doc_id;
        f->events.items[0].target = actor;
        assert_int_equal(kh_writer_write(w, &f->doc, &coded), 0);
        assert_int_equal(kh_writer_write(m, &f->doc, &coded), 0);
    }
    f->doc.id = id;
    f->events.items[0].target = target;
    assert_int_equal(kh_writer_close(w), 0);
    size_t len;
    char *want = kh_writer_take(m, &len);
    assert_true(len > 3 * KH_WRITE_FILE_BUFFER);
    char *got = malloc(len + 1);
    FILE *in = fopen(f->path, "r");
    assert_non_null(in);
    assert_int_equal(fread(got, 1, len + 1, in), len);
    fclose(in);
    assert_memory_equal(got, want, len);
    free(got);
    free(want);
    kh_writer_close(m);
    unlink(f->path);
}

/* A FIFO (or /dev/null) is written as it is: the crash-safe rename of a
 * temporary file over it would have turned the device into a regular
 * file (which once replaced /dev/null on a machine). */
static void test_fifo_stays_a_fifo(void **state)
{
    fixture *f = *state;
    snprintf(f->path, sizeof f->path, "%s/out.fifo", f->dir);
    assert_int_equal(mkfifo(f->path, 0600), 0);
    pid_t child = fork();
    if (child == 0) {           /* drains the FIFO, exits 0 if it read */
        alarm(10);              /* no writer ever opened it: fail */
        FILE *in = fopen(f->path, "r");
        size_t got = 0;
        char b[4096];
        for (size_t n; in && (n = fread(b, 1, sizeof b, in)) > 0;)
            got += n;
        _exit(got > 0 ? 0 : 1);
    }
    assert_int_equal(write_one(f, KH_OUTPUT_JSONL), 0);
    int status = 0;
    assert_int_equal(waitpid(child, &status, 0), child);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    struct stat st;
    assert_int_equal(stat(f->path, &st), 0);
    assert_true(S_ISFIFO(st.st_mode));
    assert_int_equal(count_files(f->dir, "out.fifo.tmp"), 0);
    unlink(f->path);
}

/* ---- the duplicate stage, through kh_writer_write ---- */

/* A page whose headline and lede state one event (examples/embassy.html). */
static const char story[] = "Sudan expels Chad's ambassador\n"
                            "Sudan expelled the Chadian ambassador on Wednesday.";

static void expel(kh_events *ev, long at)
{
    kh_event *e = add_event(ev, "161", "SDN", "TCDGOV");
    e->source_span = (kh_span){0, 5};
    e->verb_span = (kh_span){6 + at, 12 + at};
    e->target_span = (kh_span){13 + at, 30};
    e->date_source = KH_DATE_ARTICLE;
}

/* The story as document `id` dated `date`, coded: one event per sentence;
 * written through `w`. */
static void write_story(kh_writer *w, const char *id, long date)
{
    kh_doc doc = {.id = strdup(id), .text = strdup(story), .len = strlen(story),
                  .date = date};
    kh_coded_sentence s[2] = {{.start = 0, .end = 30}, {.start = 31, .end = strlen(story)}};
    kh_events_init(&s[0].events);
    kh_events_init(&s[1].events);
    expel(&s[0].events, 0);
    expel(&s[1].events, 2);
    kh_coded_doc coded = {.items = s, .count = 2, .capacity = 2};
    assert_int_equal(kh_writer_write(w, &doc, &coded), 0);
    kh_doc_clear(&doc);
    kh_events_free(&s[0].events);
    kh_events_free(&s[1].events);
}

/* Writes the stories named in `ids` (dated `dates`) as `fmt` into memory;
 * returns the output. */
static char *stories(kh_format fmt, int dedup, const char *const *ids, const long *dates,
                     size_t n)
{
    kh_diag d;
    kh_diag_init(&d);
    kh_writer *w = kh_writer_open_memory(fmt, &d);
    assert_non_null(w);
    kh_writer_set_dedup(w, dedup);
    for (size_t i = 0; i < n; i++)
        write_story(w, ids[i], dates[i]);
    size_t len;
    char *out = kh_writer_take(w, &len);
    assert_int_equal(kh_writer_close(w), 0);
    return out;
}

static int count_lines(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

/* The ids in JSON lines, sorted, joined by spaces, into out. */
static void sorted_ids(const char *jsonl, char *out, size_t size)
{
    char ids[16][17];
    int n = 0;
    for (const char *p = jsonl; n < 16 && (p = strstr(p, "{\"id\":\"")); p += 7) {
        memcpy(ids[n], p + 7, 16);
        ids[n++][16] = 0;
    }
    qsort(ids, (size_t)n, sizeof ids[0], (int (*)(const void *, const void *))strcmp);
    out[0] = 0;
    for (int i = 0; i < n; i++)
        snprintf(out + strlen(out), size - strlen(out), "%s ", ids[i]);
}

static void test_headline_and_lede_are_one_event(void **state)
{
    const char *id[] = {"embassy.html"};
    const long date[] = {20190410};
    char *json = stories(KH_OUTPUT_JSONL, 1, id, date, 1);
    assert_int_equal(count_lines(json), 1);
    json_error_t err;
    json_t *o = json_loads(json, 0, &err);
    assert_non_null(o);
    assert_int_equal(json_integer_value(json_object_get(o, "mentions")), 2);
    assert_int_equal(json_integer_value(json_object_get(o, "sent")), 1);
    assert_int_equal(strlen(json_string_value(json_object_get(o, "id"))), 16);
    json_decref(o);
    char *tsv = stories(KH_OUTPUT_TSV, 1, id, date, 1);
    assert_int_equal(count_lines(tsv), 2);            /* header + one event */
    char *line = strchr(tsv, '\n') + 1, *f[40];
    int n = 0;
    for (char *p = line; n < 40; p++) {
        f[n++] = p;
        if (!(p = strpbrk(p, "\t\n")))
            break;
        *p = 0;
    }
    assert_string_equal(f[30], "2");                  /* mentions */
    /* --no-dedup: every report, each its own id */
    char *all = stories(KH_OUTPUT_JSONL, 0, id, date, 1);
    assert_int_equal(count_lines(all), 2);
    assert_null(strstr(all, "\"mentions\":2"));
    char ids[512];
    sorted_ids(all, ids, sizeof ids);
    assert_int_equal(strlen(ids), 2 * 17);
    assert_memory_not_equal(ids, ids + 17, 16);
    free(json);
    free(tsv);
    free(all);
}

/* The same documents in another run, or in another order, get the same
 * ids; the same story under two paths gets two. */
static void test_stable_ids(void **state)
{
    const char *ab[] = {"a/story.txt", "b/story.txt"}, *ba[] = {"b/story.txt", "a/story.txt"};
    const long d_ab[] = {20110328, 20120328}, d_ba[] = {20120328, 20110328};
    char *one = stories(KH_OUTPUT_JSONL, 1, ab, d_ab, 2);
    char *again = stories(KH_OUTPUT_JSONL, 1, ab, d_ab, 2);
    char *swapped = stories(KH_OUTPUT_JSONL, 1, ba, d_ba, 2);
    assert_string_equal(one, again);
    assert_int_equal(count_lines(one), 2);           /* a year apart: two events */
    char x[512], y[512];
    sorted_ids(one, x, sizeof x);
    sorted_ids(swapped, y, sizeof y);
    assert_string_equal(x, y);
    assert_memory_not_equal(x, x + 17, 16);           /* a/ and b/ differ */
    /* without merging too: every report's id is the same in any order */
    char *r1 = stories(KH_OUTPUT_JSONL, 0, ab, d_ab, 2), *r2 = stories(KH_OUTPUT_JSONL, 0, ba, d_ba, 2);
    sorted_ids(r1, x, sizeof x);
    sorted_ids(r2, y, sizeof y);
    assert_int_equal(strlen(x), 4 * 17);
    assert_string_equal(x, y);
    free(one);
    free(again);
    free(swapped);
    free(r1);
    free(r2);
}

/* Ids and content hashes print as "%016llx" would: zero-padded, lower case. */
static void test_hex_ids(void **state)
{
    const uint64_t ids[] = {1, 0xabcdef, 0x0123456789abcdefULL, 0x7fffffffffffffffULL};
    kh_doc doc = {.id = "d"};
    kh_write_item it = {.doc = &doc, .sent_no = 1};
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
        kh_event e = {.id = ids[i]};
        char got[KH_WRITE_ID_SIZE], want[KH_WRITE_ID_SIZE];
        kh_write_event_id(&it, &e, got);
        snprintf(want, sizeof want, "%016llx", (unsigned long long)ids[i]);
        assert_string_equal(got, want);
    }
    char hash[KH_WRITE_CONTENT_HASH_SIZE], want[KH_WRITE_CONTENT_HASH_SIZE];
    kh_write_content_hash("abc", 3, hash);
    snprintf(want, sizeof want, "%016llx", (unsigned long long)kh_fnv1a64(KH_FNV64_OFFSET, "abc", 3));
    assert_string_equal(hash, want);
}

/* One-decimal values are written as "%.1f" writes them; others not at all. */
static void test_tenths(void **state)
{
    kh_buf b = {0};
    char want[64];
    for (long t = -99999; t <= 99999; t += 7) {
        double v = (double)t / 10;
        kh_buf_clear(&b);
        assert_int_equal(kh_write_tenths(&b, v), 0);
        snprintf(want, sizeof want, "%.1f", v);
        assert_int_equal(b.len, strlen(want));
        assert_memory_equal(b.data, want, b.len);
    }
    kh_buf_clear(&b);
    assert_int_equal(kh_write_tenths(&b, -0.0), 0);
    assert_memory_equal(b.data, "-0.0", 4);
    const double others[] = {1.25, 0.05, 1e5, -1e6, 1.0 / 3};
    for (size_t i = 0; i < sizeof others / sizeof others[0]; i++) {
        kh_buf_clear(&b);
        assert_int_equal(kh_write_tenths(&b, others[i]), -1);
        assert_int_equal(b.len, 0);
    }
    kh_buf_free(&b);
}

/* kh_buf_add_long writes what "%0*lld" writes, padded or not. */
static void test_add_long(void **state)
{
    const long long values[] = {0, 7, -7, 42, -100, 123456789, LLONG_MAX, LLONG_MIN};
    kh_buf b = {0};
    char want[64];
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++)
        for (int width = 0; width <= 24; width += 3) {
            kh_buf_clear(&b);
            kh_buf_add_long(&b, values[i], width);
            snprintf(want, sizeof want, "%0*lld", width, values[i]);
            assert_int_equal(b.len, strlen(want));
            assert_memory_equal(b.data, want, b.len);
        }
    kh_buf_free(&b);
}

/* Whatever kh_write_six_digits writes is what "%.6g" writes, at the
 * half-way roundings, carries and trailing zeros too; and it does write
 * ordinary coordinates (else the fast path would be dead). */
static void check_six_digits(kh_buf *b, double v, int *written)
{
    char want[64];
    kh_buf_clear(b);
    if (kh_write_six_digits(b, v) != 0) {
        assert_int_equal(b->len, 0);
        return;
    }
    (*written)++;
    snprintf(want, sizeof want, "%.6g", v);
    assert_int_equal(b->len, strlen(want));
    assert_memory_equal(b->data, want, b->len);
}

/* kh_write_fixed writes what "%.*f" writes, at the half-way roundings
 * and negative zeros too. */
static void test_fixed(void **state)
{
    (void)state;
    kh_buf b = {0};
    char want[64];
    uint64_t x = 88172645463325252ull;
    const double edges[] = {0, -0.0, -0.00001, 0.5, 1.5, 2.5, 33.31525, -77.03695, 179.99999,
                            2015.99995, 1e-300, 999.99995, 1e9, 1e5};
    for (int i = 0; i < 400000; i++) {
        double v;
        if (i < (int)(sizeof edges / sizeof edges[0]))
            v = edges[i];
        else {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            v = (double)(x >> 11) / (double)(1ull << 53) * (i % 3 ? 360.0 : 3000.0) - 180.0;
            if (i & 1) /* near halves */
                v = (double)(long)(v * 1e4) / 1e4 + 0.00005;
        }
        for (int d = 0; d <= KH_WRITE_MAX_DECIMALS; d++) {
            kh_buf_clear(&b);
            kh_write_fixed(&b, v, d);
            snprintf(want, sizeof want, "%.*f", d, v);
            if (b.len != strlen(want) || memcmp(b.data, want, b.len) != 0)
                fprintf(stderr, "%.17g %d: want %s got %.*s\n", v, d, want, (int)b.len, b.data);
            assert_int_equal(b.len, strlen(want));
            assert_memory_equal(b.data, want, b.len);
        }
    }
    kh_buf_free(&b);
}

static void test_six_digits(void **state)
{
    kh_buf b = {0};
    int written = 0;
    const double edges[] = {1, -1, 33.3152, -77.0369, 9.9999995, 9.999995, 99999.95,
                            999999.4, 999999.5, 123456.5, 1.0000005, 2.5, 0.5, 1e6,
                            0.001, 0, 1e-300, 12.3450, -0.0};
    for (size_t i = 0; i < sizeof edges / sizeof edges[0]; i++)
        check_six_digits(&b, edges[i], &written);
    const double magnitudes[] = {1, 10, 100, 1e3, 1e4, 1e5, 1e6};
    uint64_t x = 88172645463325252ull; /* xorshift: spread over every magnitude */
    for (int i = 0; i < 200000; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        double mantissa = (double)(x >> 11) / (double)(1ull << 53);
        double v = mantissa * magnitudes[i % 7];
        check_six_digits(&b, i & 1 ? -v : v, &written);
        check_six_digits(&b, (double)(long)(v * 1e3) / 1e3 + 0.0005, &written); /* near halves */
    }
    assert_true(written > 200000);
    kh_buf_clear(&b);
    assert_int_equal(kh_write_six_digits(&b, 33.3152), 0);
    kh_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format_choice),
        cmocka_unit_test_setup_teardown(test_jsonl_fields, setup, teardown),
        cmocka_unit_test_setup_teardown(test_jsonl_unknown_code_and_bad_utf8, setup, teardown),
        cmocka_unit_test_setup_teardown(test_jsonl_appears_only_on_close, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unwritable_path, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tsv_escaping, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tsv_every_byte_everywhere, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tsv_escape_at_every_length, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sqlite_no_duplicates, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sqlite_actor_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_jsonl_enrichment, setup, teardown),
        cmocka_unit_test_setup_teardown(test_jsonl_enrichment_absent, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sqlite_places_quotes_mentions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sqlite_refuses_old_schema, setup, teardown),
        cmocka_unit_test_setup_teardown(test_memory_writer_takes_per_document, setup, teardown),
        cmocka_unit_test_setup_teardown(test_file_over_buffers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_add_tells_documents_apart, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fifo_stays_a_fifo, setup, teardown),
        cmocka_unit_test(test_headline_and_lede_are_one_event),
        cmocka_unit_test(test_stable_ids),
        cmocka_unit_test(test_hex_ids),
        cmocka_unit_test(test_tenths),
        cmocka_unit_test(test_six_digits),
        cmocka_unit_test(test_fixed),
        cmocka_unit_test(test_add_long),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
