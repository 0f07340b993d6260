/* test_read.c -- the input readers: formats, compression, bad input. */
#include "testutil.h"
#include "normalize.h"
#include "read_format.h"
#include "kh_limits.h"
#include "read_petrarch.h"
#include "clean.h"
#include "buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <zlib.h>
#include <zstd.h>

/* ---- helpers ---- */

/* Diagnostics are collected, one per line, so tests can look for
 * "FILE:LINE: message". */
typedef struct captured {
    char text[8192];
    size_t len;
} captured;

static void capture(void *ctx, kh_severity sev, const char *file, long line,
                    const char *message)
{
    captured *c = ctx;
    int n = snprintf(c->text + c->len, sizeof c->text - c->len, "%s:%ld: %s\n",
                     file ? file : "", line, message);
    if (n > 0 && c->len + (size_t)n < sizeof c->text)
        c->len += (size_t)n;
}

static void diag_capture(kh_diag *d, captured *c)
{
    kh_diag_init(d);
    memset(c, 0, sizeof *c);
    d->sink = capture;
    d->ctx = c;
}

static const char *data_dir(void)
{
    const char *dir = getenv("KH_TEST_DATA");
    return dir ? dir : "tests/data";
}

static char *fixture_path(const char *name)
{
    static char path[512];
    snprintf(path, sizeof path, "%s/read/%s", data_dir(), name);
    return path;
}

/* All documents of one input. */
typedef struct docs {
    kh_doc items[64];
    size_t count;
    kh_read_stats stats;
} docs;

static void read_all(kh_reader *r, docs *out)
{
    memset(out, 0, sizeof *out);
    kh_doc d = {0};
    while (kh_reader_next(r, &d)) {
        assert_true(out->count < 64);
        out->items[out->count++] = d;
        memset(&d, 0, sizeof d);
    }
    kh_reader_stats(r, &out->stats);
    kh_reader_close(r);
}

static void docs_free(docs *ds)
{
    for (size_t i = 0; i < ds->count; i++)
        kh_doc_clear(&ds->items[i]);
}

static void read_path(const char *path, const kh_read_options *o, kh_diag *d,
                      docs *out)
{
    read_all(kh_reader_open(path, o, d), out);
}

static void read_mem(const char *name, const char *data, size_t len,
                     const kh_read_options *o, kh_diag *d, docs *out)
{
    read_all(kh_reader_open_buffer(name, data, len, o, d), out);
}

static const char *meta(const kh_doc *d, const char *key)
{
    for (size_t i = 0; i < d->meta_count; i++)
        if (!strcmp(d->meta[i].key, key))
            return d->meta[i].value;
    return NULL;
}

/* A scratch directory, removed at the end of each test that makes one. */
static char scratch[64];

static void scratch_make(void)
{
    strcpy(scratch, "/tmp/khaldun-read-XXXXXX");
    assert_non_null(mkdtemp(scratch));
}

static char *scratch_file(const char *name, const void *data, size_t len)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/%s", scratch, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    fclose(f);
    return path;
}

static void scratch_remove(const char *const *names)
{
    char path[256];
    for (; *names; names++) {
        snprintf(path, sizeof path, "%s/%s", scratch, *names);
        unlink(path);
        rmdir(path);
    }
    rmdir(scratch);
}

/* ---- plain text ---- */

static void test_text_file(void **state)
{
    kh_diag dg;
    captured c;
    diag_capture(&dg, &c);
    docs ds;
    kh_read_options o = {.date = 20240101};
    read_path(fixture_path("scraped.txt"), &o, &dg, &ds);
    assert_int_equal(ds.count, 1);
    kh_doc *d = &ds.items[0];
    assert_string_equal(d->id, fixture_path("scraped.txt")); /* the path given */
    assert_non_null(strstr(d->path, "scraped.txt"));
    assert_int_equal(d->date, 20240101);               /* --date wins */
    assert_int_equal(d->len, strlen(d->text));
    assert_memory_equal(d->text, "Home | World", 12);  /* trimmed, raw */
    /* Cleaning then finds the dateline. */
    size_t body = kh_clean_doc(d, NULL);
    assert_string_equal(d->place, "TEHRAN");
    assert_string_equal(d->source, "Defapress");
    assert_memory_equal(d->text + body, "Iran's defence minister", 23);
    docs_free(&ds);
    /* Without --date, a date in the text is used. */
    const char *t = "WASHINGTON, March 2, 2021 - The Senate voted.";
    o.date = 0;
    read_mem("note.txt", t, strlen(t), &o, &dg, &ds);
    assert_int_equal(ds.items[0].date, 20210302);
    docs_free(&ds);
    assert_int_equal(dg.errors, 0);
}

/* ---- HTML ---- */

static void test_html_article(void **state)
{
    kh_diag dg;
    captured c;
    diag_capture(&dg, &c);
    docs ds;
    read_path(fixture_path("article.html"), NULL, &dg, &ds);
    assert_int_equal(ds.count, 1);
    kh_doc *d = &ds.items[0];
    assert_string_equal(d->title, "Rebels Seize Border Town After Talks Collapse");
    assert_string_equal(d->source, "Example News");
    assert_string_equal(d->url, "https://news.example.org/world/rebels-seize-town");
    assert_int_equal(d->date, 20240403);
    assert_string_equal(d->id, fixture_path("article.html"));
    const char *t = d->text;
    assert_non_null(strstr(t, "GOMA, Congo (Reuters) - Rebels seized the border "
                              "town of Bunagana on Wednesday"));
    assert_non_null(strstr(t, "troops & would counter-attack."));
    assert_non_null(strstr(t, "\xE2\x80\x9CWe will retake the town,\xE2\x80\x9D"));
    assert_non_null(strstr(t, "crossing.\nRefugees"));      /* <br> */
    assert_non_null(strstr(t, "collapsed, officials said.\n\nThe army"));
    const char *absent[] = {"Home", "Politics", "tracking", "script tag",
                            "color", "Share on", "By Jane", "Photo:",
                            "Related:", "Most read", "Copyright"};
    for (size_t i = 0; i < sizeof absent / sizeof *absent; i++)
        if (strstr(t, absent[i]))
            fail_msg("\"%s\" leaked into the article text:\n%s", absent[i], t);
    /* The dateline below the headline is found by the cleaner. */
    kh_clean_doc(d, NULL);
    assert_string_equal(d->place, "GOMA, Congo");
    assert_string_equal(d->source, "Example News");
    docs_free(&ds);
    /* <title> and <time datetime> when there is no Open Graph data. */
    const char *page = "<html><head><title> Troops  withdraw </title></head><body>"
                       "<article><time datetime=\"2023-05-06T10:00\">May 6</time>"
                       "<p>Troops withdrew from the northern border area.</p>"
                       "</article></body></html>";
    read_mem("t.htm", page, strlen(page), NULL, &dg, &ds);
    assert_int_equal(ds.count, 1);
    assert_string_equal(ds.items[0].title, "Troops withdraw");
    assert_int_equal(ds.items[0].date, 20230506);
    assert_null(ds.items[0].source);
    docs_free(&ds);
}

static void test_html_without_article(void **state)
{
    kh_diag dg;
    captured c;
    diag_capture(&dg, &c);
    docs ds;
    read_path(fixture_path("noarticle.html"), NULL, &dg, &ds);
    assert_int_equal(ds.count, 0);
    assert_int_equal(ds.stats.no_article, 1);
    assert_int_equal(ds.stats.skipped, 1);
    assert_non_null(strstr(c.text, "noarticle.html:0: no article text"));
    /* The largest block of paragraphs wins when there is no <article>. */
    const char *page =
        "<html><body><div class='x'><p>Short teaser here.</p></div>"
        "<div><p>Police arrested three men in Lagos on Friday.</p>"
        "<p>They were charged with fraud.</p></div></body></html>";
    read_mem("p.html", page, strlen(page), NULL, &dg, &ds);
    assert_int_equal(ds.count, 1);
    assert_string_equal(ds.items[0].text,
                        "Police arrested three men in Lagos on Friday.\n\n"
                        "They were charged with fraud.");
    docs_free(&ds);
}

/* ---- JSON lines ---- */

/* Fails unless each of the n messages want[] is in the captured text. */
static void assert_diagnostics(const char *text, const char *const *want, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!strstr(text, want[i]))
            fail_msg("missing diagnostic \"%s\" in:\n%s", want[i], text);
}

static void test_jsonl(void **state)
{
    kh_diag dg;
    captured c;
    diag_capture(&dg, &c);
    docs ds;
    kh_read_options o = {.date = 20000101};
    read_path(fixture_path("docs.jsonl"), &o, &dg, &ds);
    assert_int_equal(ds.count, 4);
    kh_doc *a = &ds.items[0];
    assert_string_equal(a->id, "a1");
    assert_int_equal(a->date, 20240403);
    assert_string_equal(a->title, "Talks");
    assert_string_equal(a->source, "Wire");
    assert_string_equal(a->url, "https://x.example/a1");
    assert_string_equal(a->text, "Iran and Iraq held talks in Baghdad on Monday.");
    assert_string_equal(meta(a, "lang"), "en");
    assert_string_equal(meta(a, "tags"), "[\"iran\",\"iraq\"]");
    assert_null(meta(a, "text"));
    assert_string_equal(ds.items[1].id, "42");
    assert_int_equal(ds.items[1].date, 19950101);
    /* Wrong types: the id falls back to FILE:LINE, the date to --date. */
    char want_id[600];
    snprintf(want_id, sizeof want_id, "%s:8", fixture_path("docs.jsonl"));
    assert_string_equal(ds.items[2].id, want_id);
    assert_int_equal(ds.items[2].date, 20000101);
    assert_null(ds.items[2].title);
    assert_string_equal(ds.items[3].text, "Caf\xC3\xA9 owners protested in Paris.");
    assert_int_equal(ds.items[3].date, 20000101);
    /* Every bad line is reported with its line number and counted. */
    const char *want[] = {"docs.jsonl:4: bad JSON", "docs.jsonl:5: \"text\" is an integer",
                          "docs.jsonl:6: an array, not a JSON object",
                          "docs.jsonl:7: no \"text\" field",
                          "docs.jsonl:8: \"id\" is an object",
                          "docs.jsonl:8: \"title\" is an integer",
                          "docs.jsonl:8: \"date\" is not a date",
                          "docs.jsonl:9: empty \"text\"",
                          "docs.jsonl:10: \"date\" is not a date"};
    assert_diagnostics(c.text, want, sizeof want / sizeof *want);
    assert_int_equal(ds.stats.malformed, 4);
    assert_int_equal(ds.stats.empty, 1);
    assert_int_equal(ds.stats.skipped, 5);
    assert_int_equal(ds.stats.documents, 4);
    docs_free(&ds);
}

/* A text read verbatim from a normal line without escapes is copied as
 * it is; one from a line that needed normalising, or with escapes, is
 * normalised as text (read_jsonl.c verbatim): a decomposed "e" and acute
 * compose, and a byte order mark before the text is dropped either way. */
static void test_jsonl_text_normalised(void **state)
{
    kh_diag dg;
    kh_diag_init(&dg);
    docs ds;
    const char *t =
        "{\"id\":\"a\",\"text\":\"  Caf\xC3\xA9 talks  resumed. \"}\n"
        "{\"id\":\"b\",\"text\":\"Cafe\xCC\x81 talks resumed.\"}\n"
        "{\"id\":\"c\",\"text\":\"Cafe\\u0301 talks resumed.\"}\n"
        "{\"id\":\"d\",\"text\":\"\xEF\xBB\xBFTalks resumed.\"}\n"
        "{\"id\":\"e\",\"text\":\"\\ufeffTalks resumed.\"}\n";
    read_mem("n.jsonl", t, strlen(t), NULL, &dg, &ds);
    assert_int_equal(ds.count, 5);
    assert_string_equal(ds.items[0].text, "Caf\xC3\xA9 talks  resumed.");
    assert_string_equal(ds.items[1].text, "Caf\xC3\xA9 talks resumed.");
    assert_string_equal(ds.items[2].text, "Caf\xC3\xA9 talks resumed.");
    assert_string_equal(ds.items[3].text, "Talks resumed.");
    assert_string_equal(ds.items[4].text, "Talks resumed.");
    docs_free(&ds);
}

/* The lines the streaming parser reads itself and those it leaves to
 * jansson (read_jsonl.c) give the same documents, meta and messages:
 * a repeated key keeps its first place with the last value, reals and
 * nested values are written as jansson writes them, \u escapes decode
 * (a pair to one code point, \u0000 ends a meta value), and what jansson
 * refuses -- a lone surrogate, an integer too big, trailing bytes, a NUL
 * in a key, a leading zero -- is refused with jansson's words. */
static void test_jsonl_streaming_agrees(void **state)
{
    kh_diag dg;
    captured c;
    diag_capture(&dg, &c);
    docs ds;
    const char *t =
        "{\"id\":\"a\",\"text\":\"One.\",\"n\":-0,\"b\":true,\"z\":null,\"r\":1e5,"
        "\"o\":{\"k\":[1,2.5]},\"s\":\"x\\u0000y\",\"id\":\"a2\",\"e\":\"\\ud83d\\ude00\\/\"}\n"
        "{\"id\":7,\"date\":20110328,\"text\":\"Two.\",\"big\":9223372036854775807}\n"
        "{\"id\":\"c\",\"text\":\"Three \\ud83d.\"}\n"
        "{\"id\":\"d\",\"text\":\"Four.\",\"k\":99999999999999999999}\n"
        "{\"id\":\"e\",\"text\":\"Five.\"} x\n"
        "{\"id\":\"f\",\"text\":\"Six.\",\"n\\u0000k\":1}\n"
        "{\"id\":\"g\",\"text\":\"Seven.\",\"k\":01}\n"
        "{\"id\":\"h\",\"text\":\"Eight \\ude00.\"}\n"
        "{\"id\":\"i\",\"text\":\"Nine.\",}\n";
    read_mem("s.jsonl", t, strlen(t), NULL, &dg, &ds);
    assert_int_equal(ds.count, 2);
    kh_doc *a = &ds.items[0];
    assert_string_equal(a->id, "a2");
    assert_string_equal(a->text, "One.");
    const char *keys[] = {"n", "b", "r", "o", "s", "e"};
    const char *values[] = {"0", "true", "100000.0", "{\"k\":[1,2.5]}", "x",
                            "\xF0\x9F\x98\x80/"};
    assert_int_equal(a->meta_count, 6);
    for (size_t i = 0; i < 6; i++) {
        assert_string_equal(a->meta[i].key, keys[i]);
        assert_string_equal(a->meta[i].value, values[i]);
    }
    assert_string_equal(ds.items[1].id, "7");
    assert_int_equal(ds.items[1].date, 20110328);
    assert_string_equal(meta(&ds.items[1], "big"), "9223372036854775807");
    const char *want[] = {"s.jsonl:3: bad JSON: invalid Unicode '\\uD83D'",
                          "s.jsonl:4: bad JSON: too big integer",
                          "s.jsonl:5: bad JSON: end of file expected",
                          "s.jsonl:6: bad JSON: NUL byte in object key not supported",
                          "s.jsonl:7: bad JSON: invalid token",
                          "s.jsonl:8: bad JSON: invalid Unicode '\\uDE00'",
                          "s.jsonl:9: bad JSON: string or '}' expected"};
    assert_diagnostics(c.text, want, sizeof want / sizeof *want);
    assert_int_equal(ds.stats.malformed, 7);
    docs_free(&ds);
}

/* Plain lines (read_jsonl.c) -- flat objects of strings and integers
 * without backslashes or control characters -- are read without yajl,
 * and must give what yajl gave: strings holding the JSON punctuation,
 * spaces around tokens, a repeated key, integers at the edge of what is
 * read there (18 digits; 19 go to yajl), and lines a byte away from
 * plain (a tab, a real, a stray token) judged as before. */
static void test_jsonl_plain_lines(void **state)
{
    kh_diag dg;
    captured c;
    diag_capture(&dg, &c);
    docs ds;
    const char *t =
        "  { \"id\" : \"a\" , \"text\" : \"One, {two}: [three].\" , \"n\" : -0 }  \n"
        "{\"id\":\"b\",\"text\":\"Two: {x}, y.\",\"n\":123456789012345678,\"m\":\"\",\"id\":\"b2\"}\n"
        "{\"id\":\"c\",\"text\":\"Three.\",\"n\":1234567890123456789,\"r\":2.5}\n"
        "{\"id\":\"d\",\t\"text\":\"Four.\",\"n\":0}\n"
        "{\"id\":\"e\",\"text\":\"Five.\",\"n\":-}\n"
        "{\"id\":\"f\",\"text\":\"Six.}\n"
        "{\"id\":\"g\",\"text\":\"Seven.\"}{}\n"
        "{\"id\":\"h\",\"text\":\"Eight.\",\"k\":007}\n"
        "{\"id\":\"i\",\"\":\"empty key\",\"t\":\"t\",\"titles\":\"no\",\"text\":\"Nine.\"}\n"
        "{\"id\":\"j\",\"text\":\"Ten.\",\"n\":9999999999999999999}\n";
    read_mem("p.jsonl", t, strlen(t), NULL, &dg, &ds);
    assert_int_equal(ds.count, 5);
    assert_string_equal(ds.items[0].id, "a");
    assert_string_equal(ds.items[0].text, "One, {two}: [three].");
    assert_string_equal(meta(&ds.items[0], "n"), "0");
    assert_string_equal(ds.items[1].id, "b2");
    assert_string_equal(ds.items[1].text, "Two: {x}, y.");
    assert_string_equal(meta(&ds.items[1], "n"), "123456789012345678");
    assert_int_equal(ds.items[1].meta_count, 2);
    assert_string_equal(meta(&ds.items[1], "m"), "");
    assert_string_equal(meta(&ds.items[2], "n"), "1234567890123456789");
    assert_string_equal(meta(&ds.items[2], "r"), "2.5");
    assert_string_equal(ds.items[3].text, "Four.");
    assert_string_equal(meta(&ds.items[3], "n"), "0");
    assert_string_equal(ds.items[4].id, "i");
    assert_string_equal(ds.items[4].text, "Nine.");
    assert_string_equal(meta(&ds.items[4], ""), "empty key");
    assert_null(ds.items[4].title);     /* "t" and "titles" are not "title" */
    assert_string_equal(meta(&ds.items[4], "titles"), "no");
    const char *want[] = {"p.jsonl:5: bad JSON", "p.jsonl:6: bad JSON",
                          "p.jsonl:7: bad JSON", "p.jsonl:8: bad JSON",
                          "p.jsonl:10: bad JSON: too big integer"};
    assert_diagnostics(c.text, want, sizeof want / sizeof *want);
    assert_int_equal(ds.stats.malformed, 5);
    docs_free(&ds);
}

static void test_json_array(void **state)
{
    kh_diag dg;
    captured c;
    diag_capture(&dg, &c);
    docs ds;
    const char *t = "[{\"id\":\"x\",\"text\":\"One.\"}, 5, {\"id\":\"y\",\"text\":\"Two.\"}]";
    read_mem("a.json", t, strlen(t), NULL, &dg, &ds);
    assert_int_equal(ds.count, 2);
    assert_string_equal(ds.items[1].id, "y");
    assert_int_equal(ds.stats.malformed, 1);
    docs_free(&ds);
}

/* ---- PETRARCH and TABARI ---- */

static void test_petrarch_xml(void **state)
{
    kh_diag dg;
    captured c;
    diag_capture(&dg, &c);
    docs ds;
    read_path(fixture_path("sample.petr.xml"), NULL, &dg, &ds);
    assert_int_equal(ds.count, 3);
    kh_doc *d = &ds.items[0];
    assert_string_equal(d->id, "T-01");
    assert_int_equal(d->date, 19950101);
    assert_string_equal(d->text,
                        "Arnor restored full diplomatic ties with Gondor on Saturday.");
    assert_string_equal(meta(d, "category"), "TEST");
    assert_string_equal(meta(d, "expected"), "ARN GON 064;GON ARN 064");
    assert_null(strstr(d->text, "ROOT"));
    assert_string_equal(ds.items[1].text, "Mordor & Rohan traded fire across the river.");
    assert_string_equal(ds.items[1].source, "AFP");
    assert_string_equal(ds.items[2].id, "T-04");
    assert_int_equal(ds.items[2].date, 0);
    assert_non_null(strstr(c.text, "sample.petr.xml:19: <Sentence> without <Text>"));
    assert_non_null(strstr(c.text, "sample.petr.xml:22: Sentence date"));
    assert_int_equal(ds.stats.malformed, 1);
    docs_free(&ds);
}

/* Attribute fields are cleaned -- blanks trimmed and squeezed, NFC --
 * and a field of printable ASCII (the common case, copied as it is)
 * comes out the same. */
static void test_petrarch_fields(void **state)
{
    const char *x = "<Sentences>\n"
                    "<Sentence id=\" two \t words \" source=\"AFP\"><Text>Arnor attacked "
                    "Gondor.</Text></Sentence>\n"
                    "<Sentence id=\"Cafe\xCC\x81-1\" source=\"x\"><Text>Arnor attacked "
                    "Gondor.</Text></Sentence>\n</Sentences>\n";
    docs ds;
    read_mem("f.xml", x, strlen(x), NULL, NULL, &ds);
    assert_int_equal(ds.count, 2);
    assert_string_equal(ds.items[0].id, "two words");
    assert_string_equal(ds.items[0].source, "AFP");
    assert_string_equal(ds.items[1].id, "Caf\xC3\xA9-1");
    assert_string_equal(ds.items[1].source, "x");
    docs_free(&ds);
}

/* A PETRARCH file whose entities expand to `times` copies of `unit`
 * (two levels), then a plain sentence. */
static char *entity_file(const char *unit, int times)
{
    size_t n = strlen(unit);
    char *t = malloc(n + 3 * (size_t)times + 512);
    int k = sprintf(t, "<?xml version=\"1.0\"?>\n<!DOCTYPE Sentences [\n"
                       "<!ENTITY a \"%s\">\n<!ENTITY b \"", unit);
    for (int i = 0; i < times; i++)
        k += sprintf(t + k, "&a;");
    sprintf(t + k, "\">\n]>\n<Sentences>\n"
                   "<Sentence id=\"bomb\"><Text>&b;</Text></Sentence>\n"
                   "<Sentence id=\"ok\"><Text>Arnor attacked Gondor.</Text></Sentence>\n"
                   "</Sentences>\n");
    return t;
}

static void test_petrarch_entities(void **state)
{
    kh_diag dg;
    captured c;
    docs ds;
    /* Expanded when small ... */
    char *small = entity_file("Arnor", 2);
    diag_capture(&dg, &c);
    read_mem("small.xml", small, strlen(small), NULL, &dg, &ds);
    assert_int_equal(ds.count, 2);
    assert_string_equal(ds.items[0].text, "ArnorArnor");
    docs_free(&ds);
    free(small);
    /* ... skipped past KH_XML_MAX_TEXT_BYTES (1.8 MB here, which libxml2
     * lets through), the expansion cut off there. */
    char unit[9201];
    for (size_t i = 0; i + 23 <= sizeof unit - 1; i += 23)
        memcpy(unit + i, "Arnor attacked Gondor. ", 23);
    unit[sizeof unit - 1] = 0;
    char *wide = entity_file(unit, 200);
    diag_capture(&dg, &c);
    read_mem("wide.xml", wide, strlen(wide), NULL, &dg, &ds);
    assert_int_equal(ds.count, 1);
    assert_string_equal(ds.items[0].id, "ok");
    assert_int_equal(ds.stats.malformed, 1);
    assert_non_null(strstr(c.text, "wide.xml:7: <Text> longer than 1048576 bytes"));
    docs_free(&ds);
    free(wide);
}

/* The streamed path (no DOCTYPE) and the tree (a DOCTYPE, here an empty
 * one) read the same awkward file into the same documents, with the
 * same messages on the same lines: codings that are events and that are
 * not, <Config> before a sentence and a sentence inside one (ignored),
 * a sentence in another element, a start tag the parser gives up on
 * (validation files have them), CDATA, comments and markup in <Text>,
 * references in attributes, an undeclared prefix, a sentence without
 * <Text>, a comment that is not well-formed and a sentence left open at
 * the end.  (After a well-formedness error libxml2 drops "&amp;" from
 * text, in both paths alike.) */
static const char petr_awkward[] =
    "<Sentences>\n"
    "<Config option=\"new_actor_length\" value=\" 5 \"/>\n"
    "<Sentence id=\"a&amp;b\" date=\"19950101\" x:y=\"ns\" source=\"A&#38;P\" c=\"1\">\n"
    "<!-- a comment -->\n"
    "<EventCoding sourcecode=\"ARN\" targetcode=\" G N \" eventcode=\"064\"/>\n"
    "<EventCoding noevents=\"True\" error=\"a&lt;b\"/>\n"
    "<Text>\nArnor <b>attacked</b> <![CDATA[Gondor & co]]><!-- no -->on &amp; Tuesday.\n</Text>\n"
    "<Text>second text, ignored</Text>\n"
    "<PLEvent {\"event\": \"012\"}>\n"
    "<Parse>\n(ROOT (S (NP (NNP Arnor))))\n</Parse>\n"
    "</Sentence>\n"
    "<Config option=\"x\" value=\"y\"><Sentence id=\"hidden\"><Text>no</Text></Sentence></Config>\n"
    "<Group><Sentence id=\"grouped\" date=\"bad\"><Text>Rohan met Gondor.</Text></Sentence></Group>\n"
    "<Sentence id=\"empty\"></Sentence><!-- not -- well formed -->\n"
    "<Sentence id=\"open\"><Text>Mordor threatened Rohan.</Text>\n";

static void read_petrarch_both(const char *prolog, docs *ds, captured *c)
{
    kh_diag dg;
    size_t n = strlen(prolog) + sizeof petr_awkward;
    char *file = malloc(n);
    snprintf(file, n, "%s%s", prolog, petr_awkward);
    diag_capture(&dg, c);
    read_mem("awkward.xml", file, strlen(file), NULL, &dg, ds);
    free(file);
}

static void test_petrarch_streamed_as_tree(void **state)
{
    docs streamed, tree;
    captured cs, ct;
    read_petrarch_both("<?xml version=\"1.0\"?>\n", &streamed, &cs);
    read_petrarch_both("<?xml version=\"1.0\"?><!DOCTYPE Sentences>\n", &tree, &ct);
    assert_string_equal(cs.text, ct.text);
    assert_non_null(strstr(cs.text, "awkward.xml:19: <Sentence> without <Text>"));
    assert_non_null(strstr(cs.text, "awkward.xml:18: Sentence date is not YYYYMMDD"));
    assert_int_equal(streamed.count, 3);
    assert_int_equal(tree.count, streamed.count);
    for (size_t i = 0; i < streamed.count; i++) {
        const kh_doc *a = &streamed.items[i], *b = &tree.items[i];
        assert_string_equal(a->id, b->id);
        assert_string_equal(a->text, b->text);
        assert_int_equal(a->date, b->date);
        assert_int_equal(a->meta_count, b->meta_count);
        for (size_t k = 0; k < a->meta_count; k++) {
            assert_string_equal(a->meta[k].key, b->meta[k].key);
            assert_string_equal(a->meta[k].value, b->meta[k].value);
        }
    }
    const kh_doc *first = &streamed.items[0];
    assert_string_equal(first->id, "a&b");
    assert_string_equal(first->source, "A&P");
    assert_string_equal(first->text, "Arnor attacked Gondor & coon & Tuesday.");
    assert_string_equal(meta(first, "x:y"), "ns");
    assert_string_equal(meta(first, "expected"), "ARN GN 064");
    assert_string_equal(meta(first, "expected_other"), "noevents=True error=a<b");
    assert_string_equal(meta(first, "config:new_actor_length"), "5");
    assert_string_equal(meta(first, "parse_line"), "13");
    assert_string_equal(streamed.items[1].id, "grouped");
    assert_string_equal(streamed.items[2].id, "open");
    docs_free(&streamed);
    docs_free(&tree);
}

/* Streamed, a <Sentence>'s attribute names are kept as the parser's
 * dictionary holds them, but for a "prefix:name" built for the occasion,
 * which is copied: two such names, the second built where the first was
 * freed, stay two. */
static void test_petrarch_attribute_names(void **state)
{
    const char *x = "<Sentences><Sentence id=\"n\" a:k=\"1\" b:k=\"2\" sentence=\"True\">"
                    "<Text>Arnor attacked Gondor.</Text></Sentence></Sentences>\n";
    docs ds;
    read_mem("names.xml", x, strlen(x), NULL, NULL, &ds);
    assert_int_equal(ds.count, 1);
    assert_string_equal(meta(&ds.items[0], "a:k"), "1");
    assert_string_equal(meta(&ds.items[0], "b:k"), "2");
    assert_string_equal(meta(&ds.items[0], "sentence"), "True");
    docs_free(&ds);
}

/* Streamed, a line past 65,535 (where libxml2's nodes stop counting) is
 * still the line of the start tag. */
static void test_petrarch_lines_past_65535(void **state)
{
    const char *head = "<Sentences>";
    const char *tail = "<Sentence id=\"x\"></Sentence>\n<Sentence id=\"y\">\n"
                       "<Text>Arnor attacked Gondor.</Text><Parse>\n(ROOT)\n</Parse>\n"
                       "</Sentence></Sentences>\n";
    size_t blank = 70000, n = strlen(head) + blank + strlen(tail) + 1;
    char *file = malloc(n);
    strcpy(file, head);
    memset(file + strlen(head), '\n', blank);
    strcpy(file + strlen(head) + blank, tail);
    kh_diag dg;
    captured c;
    docs ds;
    diag_capture(&dg, &c);
    read_mem("long.xml", file, strlen(file), NULL, &dg, &ds);
    free(file);
    assert_non_null(strstr(c.text, "long.xml:70001: <Sentence> without <Text>"));
    assert_int_equal(ds.count, 1);
    assert_string_equal(meta(&ds.items[0], "parse_line"), "70003");
    docs_free(&ds);
}

static void test_tabari_records(void **state)
{
    kh_diag dg;
    captured c;
    diag_capture(&dg, &c);
    docs ds;
    read_path(fixture_path("sample.tabari.text"), NULL, &dg, &ds);
    assert_int_equal(ds.count, 4);
    assert_string_equal(ds.items[0].id, "T-01");
    assert_int_equal(ds.items[0].date, 19950101);
    assert_string_equal(ds.items[0].text,
                        "Arnor restored full diplomatic ties with Gondor  on Saturday.");
    assert_string_equal(ds.items[1].id, "T-02");
    assert_string_equal(ds.items[1].text, "Mordor  attacked Rohan.");
    assert_string_equal(ds.items[2].id, "T-04");
    assert_int_equal(ds.items[2].date, 20010911);
    assert_non_null(strstr(c.text, "sample.tabari.text:14: text outside a record"));
    assert_non_null(strstr(c.text, "sample.tabari.text:17: record T-03 has no text"));
    assert_non_null(strstr(c.text, "sample.tabari.text:23: expected a \"YYMMDD ID\""));
    assert_int_equal(ds.stats.skipped, 2);
    assert_int_equal(ds.items[3].date, 0);
    assert_string_equal(ds.items[3].id, "T 05 with blanks");
    assert_string_equal(ds.items[3].text, "Rohan    left.");
    docs_free(&ds);
    /* Two-digit years below the pivot are this century. */
    const char *t = "150607 X-1\nGondor won.\n";
    kh_reader *r = kh_reader_open_buffer("x.text", t, strlen(t), NULL, &dg);
    assert_int_equal(kh_reader_format(r), KH_FORMAT_AUTO);
    kh_doc d = {0};
    assert_int_equal(kh_reader_next(r, &d), 1);
    assert_int_equal(kh_reader_format(r), KH_FORMAT_TABARI);
    kh_doc_clear(&d);
    kh_reader_close(r);
    read_mem("x.text", t, strlen(t), NULL, &dg, &ds);
    assert_int_equal(ds.items[0].date, 20150607);
    docs_free(&ds);
}

/* TABARI's two-digit years (manual 6.5.2): 00 through 30 are 2000-2030,
 * 31 through 99 are 1931-1999.  `khaldun code` and `khaldun validate`
 * both date records by this reader. */
static void test_tabari_century(void **state)
{
    kh_diag dg;
    captured c;
    diag_capture(&dg, &c);
    const char *t = "400101 Y-40\nGondor won.\n\n300101 Y-30\nGondor won.\n\n"
                    "310101 Y-31\nGondor won.\n\n000101 Y-00\nGondor won.\n\n"
                    "991231 Y-99\nGondor won.\n\n20400101 Y-2040\nGondor won.\n";
    docs ds;
    read_mem("y.text", t, strlen(t), NULL, &dg, &ds);
    assert_int_equal(ds.count, 6);
    assert_int_equal(ds.items[0].date, 19400101);
    assert_int_equal(ds.items[1].date, 20300101);
    assert_int_equal(ds.items[2].date, 19310101);
    assert_int_equal(ds.items[3].date, 20000101);
    assert_int_equal(ds.items[4].date, 19991231);
    assert_int_equal(ds.items[5].date, 20400101);
    docs_free(&ds);
}

/* What TABARI's validation suite expects of a record is in {...} groups
 * in its comments; the reader hands them to the validator as meta. */
static void test_tabari_expectations(void **state)
{
    kh_diag dg;
    captured c;
    diag_capture(&dg, &c);
    const char *t =
        "950101 V-01\n"
        "Arnor restored ties with Gondor. /* {OPTION: SET: CODE ALL}\n"
        "\\n{ ARN / GON / 064 } 950101\n"
        "\\n{GON/ ARN /064} */\n"
        "\n"
        "950101 V-02\n"
        "Rohan said nothing. /* {+++} */\n"
        "\n"
        "950101 V-03\n"
        "Mordor left. /* no braces here */\n"
        "\n"
        "950101 V-04\n"
        "Rohan left. /* { OPTION: SET: MINIMUM WORDS = 4 */\n"
        "\n"
        "950101 V-05\n"
        "Gondor left. /* { GON / / 000 } /*\n"
        "\n"
        "950101 V-06\n"
        "Arnor left. /* {---} */\n";
    docs ds;
    read_mem("v.text", t, strlen(t), NULL, &dg, &ds);
    assert_int_equal(ds.count, 6);
    kh_doc *d = ds.items;
    assert_string_equal(d[0].text, "Arnor restored ties with Gondor.");
    assert_string_equal(meta(&d[0], "option"), "OPTION: SET: CODE ALL");
    assert_string_equal(meta(&d[0], "expected"), "ARN GON 064;GON ARN 064");
    assert_null(meta(&d[0], "expected_other"));
    assert_string_equal(meta(&d[1], "expected"), "");
    assert_string_equal(meta(&d[1], "expected_other"), "+++");
    assert_null(meta(&d[2], "expected"));              /* not a test */
    /* a group without its brace runs to the end of the comment */
    assert_string_equal(meta(&d[3], "option"), "OPTION: SET: MINIMUM WORDS = 4");
    /* an empty code is "---"; the blank line ends the open comment, so
     * V-06 is a record of its own */
    assert_string_equal(meta(&d[4], "expected"), "GON --- 000");
    assert_string_equal(d[5].id, "V-06");
    assert_string_equal(meta(&d[5], "expected_other"), "---");
    docs_free(&ds);
}

/* <EventCoding> and <Config> become meta; the <Environment> names the
 * dictionaries. */
static void test_petrarch_expectations(void **state)
{
    kh_diag dg;
    captured c;
    diag_capture(&dg, &c);
    const char *x =
        "<Validation><Environment>\n"
        "<Verbfile> v.txt </Verbfile><Actorfile>a.txt</Actorfile>\n"
        "<Errorfile>e.txt</Errorfile>\n"
        "<Config option=\"stop_on_error\" value=\"True\"></Config>\n"
        "</Environment><Sentences>\n"
        "<Sentence date=\"20200101\" id=\"P-01\">\n"
        "<EventCoding sourcecode='\"INJURY TOLL\"' targetcode=\"OSG\" eventcode=\"223\">"
        "</EventCoding>\n"
        "<EventCoding noevents=\"True\"></EventCoding>\n"
        "<Text>Arnor visited Gondor.</Text></Sentence>\n"
        "<Config option=\" require_dyad \" value=\"false\"></Config>\n"
        "<Sentence date=\"20200101\" id=\"P-02\"><Text>Rohan left.</Text></Sentence>\n"
        "<Config option=\"comma_min\" value=\"2\"></Config>\n"
        "</Sentences></Validation>\n";
    docs ds;
    read_mem("v.xml", x, strlen(x), NULL, &dg, &ds);
    assert_int_equal(ds.count, 2);
    kh_doc *d = ds.items;
    assert_string_equal(meta(&d[0], "config:stop_on_error"), "True");
    assert_string_equal(meta(&d[0], "expected"), "\"INJURYTOLL\" OSG 223");
    assert_string_equal(meta(&d[0], "expected_other"), "noevents=True");
    assert_null(meta(&d[0], "config:require_dyad"));
    assert_string_equal(meta(&d[1], "config:require_dyad"), "false");
    assert_null(meta(&d[1], "config:stop_on_error"));
    assert_null(meta(&d[1], "expected"));
    docs_free(&ds);

    scratch_make();
    kh_doc env = {0};
    assert_int_equal(kh_petrarch_environment(scratch_file("v.xml", x, strlen(x)),
                                             &env), 0);
    assert_int_equal(env.meta_count, 2);
    assert_string_equal(env.meta[0].key, "verbs");
    assert_string_equal(env.meta[0].value, "v.txt");
    assert_string_equal(env.meta[1].key, "actors");
    assert_string_equal(env.meta[1].value, "a.txt");
    kh_doc_clear(&env);
    scratch_remove((const char *const[]){"v.xml", NULL});
    assert_int_equal(kh_petrarch_environment("/nonexistent/v.xml", &env), -1);
}

/* ---- compression ---- */

static size_t make_gzip(const char *in, size_t n, unsigned char *out, size_t cap)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    assert_int_equal(deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8,
                                  Z_DEFAULT_STRATEGY), Z_OK);
    z.next_in = (Bytef *)in;
    z.avail_in = (uInt)n;
    z.next_out = out;
    z.avail_out = (uInt)cap;
    assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
    size_t len = z.total_out;
    deflateEnd(&z);
    return len;
}

static void test_compressed(void **state)
{
    kh_diag dg;
    captured c;
    diag_capture(&dg, &c);
    docs ds;
    const char *jl = "{\"id\":\"z1\",\"text\":\"Iran warned Iraq.\"}\n"
                     "{\"id\":\"z2\",\"text\":\"Iraq replied.\"}\n";
    unsigned char gz[512], zs[512], both[1024];
    size_t gn = make_gzip(jl, strlen(jl), gz, sizeof gz);
    size_t zn = ZSTD_compress(zs, sizeof zs, jl, strlen(jl), 3);
    assert_false(ZSTD_isError(zn));
    scratch_make();
    /* Recognised by magic bytes, whatever the name says. */
    read_path(scratch_file("a.jsonl.gz", gz, gn), NULL, &dg, &ds);
    assert_int_equal(ds.count, 2);
    assert_string_equal(ds.items[1].text, "Iraq replied.");
    docs_free(&ds);
    read_path(scratch_file("b.jsonl", zs, zn), NULL, &dg, &ds);
    assert_int_equal(ds.count, 2);
    assert_string_equal(ds.items[0].id, "z1");
    docs_free(&ds);
    /* Two concatenated gzip members are one stream. */
    memcpy(both, gz, gn);
    memcpy(both + gn, gz, gn);
    read_mem("c.gz", (char *)both, 2 * gn, NULL, &dg, &ds);
    assert_int_equal(ds.count, 4);
    docs_free(&ds);
    /* Truncated streams are reported and skipped. */
    read_path(scratch_file("d.jsonl.gz", gz, gn / 2), NULL, &dg, &ds);
    assert_int_equal(ds.count, 0);
    assert_int_equal(ds.stats.corrupt, 1);
    assert_non_null(strstr(c.text, "d.jsonl.gz:0: truncated gzip"));
    read_path(scratch_file("e.jsonl.zst", zs, zn - 5), NULL, &dg, &ds);
    assert_int_equal(ds.count, 0);
    assert_int_equal(ds.stats.corrupt, 1);
    read_mem("f.gz", "\x1f\x8b", 2, NULL, &dg, &ds);
    assert_int_equal(ds.stats.corrupt, 1);
    /* Corrupt (not just short) data. */
    memcpy(both, gz, gn);
    memset(both + 12, 0xAB, gn - 20);
    read_mem("g.gz", (char *)both, gn, NULL, &dg, &ds);
    assert_int_equal(ds.count, 0);
    assert_int_equal(ds.stats.corrupt, 1);
    scratch_remove((const char *const[]){"a.jsonl.gz", "b.jsonl", "d.jsonl.gz",
                                         "e.jsonl.zst", NULL});
}

/* ---- bad bytes ---- */

/* kh_text_is_normal reads printable ASCII eight bytes at a time: a CR,
 * a control byte, DEL or a non-ASCII byte at any position of the word,
 * and a tab or newline that is normal, must each still be seen. */
static void test_is_normal_every_position(void **state)
{
    char s[21];
    const char odd[] = {'\r', '\x01', '\x1f', '\x7f', '\0'};
    for (size_t at = 0; at < 20; at++) {
        for (size_t k = 0; k < sizeof odd; k++) {
            memset(s, 'a', 20);
            s[at] = odd[k];
            assert_false(kh_text_is_normal(s, 20));
        }
        memset(s, '~', 20);
        s[at] = at % 2 ? '\t' : '\n';
        assert_true(kh_text_is_normal(s, 20));
        memcpy(s + (at < 18 ? at : 18), "\xC3\xA9", 2);     /* é: normal */
        assert_true(kh_text_is_normal(s, 20));
        s[at < 18 ? at : 18] = '\xC3';
        s[at < 18 ? at + 1 : 19] = '(';                    /* broken UTF-8 */
        assert_false(kh_text_is_normal(s, 20));
    }
    const char *printable = " !\"#$%&'()*+,-./0123456789:;<=>?@AZ[\\]^_`az{|}~";
    assert_true(kh_text_is_normal(printable, strlen(printable)));
}

static void test_utf8_repair(void **state)
{
    size_t n, repaired = 0, controls = 0;
    /* Latin-1 and Windows-1252 bytes are read as such. */
    const char *bad = "caf\xe9 \x93quoted\x94 \x81 ok";
    char *t = kh_text_normalize(bad, strlen(bad), &n, &repaired, &controls);
    assert_string_equal(t, "caf\xC3\xA9 \xE2\x80\x9Cquoted\xE2\x80\x9D \xEF\xBF\xBD ok");
    assert_int_equal(n, strlen(t));
    assert_int_equal(repaired, 4);
    free(t);
    /* Valid UTF-8 is kept byte for byte; NFC composes; NULs and other
     * control bytes become spaces; CR LF becomes LF. */
    const char in[] = "\xEF\xBB\xBF\xD8\xB7\xD9\x87\xD8\xB1\xD8\xA7\xD9\x86 "
                      "\xE2\x80\x94 e\xCC\x81\0x\x01y\r\nz\rw\xF0\x9F\x98\x80";
    repaired = controls = 0;
    t = kh_text_normalize(in, sizeof in - 1, &n, &repaired, &controls);
    assert_string_equal(t, "\xD8\xB7\xD9\x87\xD8\xB1\xD8\xA7\xD9\x86 \xE2\x80\x94 "
                           "\xC3\xA9 x y\nz\nw\xF0\x9F\x98\x80");
    assert_int_equal(repaired, 0);
    assert_int_equal(controls, 2);
    free(t);
    /* Truncated sequences, overlong forms and surrogates are invalid. */
    const char *worse = "a\xE2\x80 b\xC0\xAF c\xED\xA0\x80 d\xF0\x9F\x98";
    repaired = 0;
    t = kh_text_normalize(worse, strlen(worse), &n, &repaired, NULL);
    assert_true(repaired >= 9);
    assert_memory_equal(t, "a", 1);
    assert_non_null(strstr(t, " d"));
    free(t);
}

static void test_invalid_utf8_document(void **state)
{
    kh_diag dg;
    captured c;
    diag_capture(&dg, &c);
    docs ds;
    const char t[] = "Pr\xe9sident Macron \x96 with\0NUL \x93quotes\x94.";
    read_mem("fr.txt", t, sizeof t - 1, NULL, &dg, &ds);
    assert_int_equal(ds.count, 1);
    assert_string_equal(ds.items[0].text, "Pr\xC3\xA9sident Macron \xE2\x80\x93 with NUL "
                                          "\xE2\x80\x9Cquotes\xE2\x80\x9D.");
    assert_int_equal(ds.stats.bytes_repaired, 4);
    assert_int_equal(ds.stats.controls_replaced, 1);
    docs_free(&ds);
}

static void test_empty_and_binary(void **state)
{
    kh_diag dg;
    captured c;
    diag_capture(&dg, &c);
    docs ds;
    read_mem("empty.txt", "", 0, NULL, &dg, &ds);
    assert_int_equal(ds.count, 0);
    assert_int_equal(ds.stats.empty, 1);
    read_mem("blank.txt", " \n\t\r\n ", 6, NULL, &dg, &ds);
    assert_int_equal(ds.stats.empty, 1);
    unsigned char junk[4096];
    for (size_t i = 0; i < sizeof junk; i++)
        junk[i] = (unsigned char)(i * 7919u >> 3);
    read_mem("junk.bin", (char *)junk, sizeof junk, NULL, &dg, &ds);
    assert_int_equal(ds.count, 0);
    assert_int_equal(ds.stats.binary, 1);
    assert_non_null(strstr(c.text, "junk.bin:0: not a text file"));
    /* Junk forced through every format still never crashes or returns
     * garbage documents. */
    for (int f = KH_FORMAT_TEXT; f <= KH_FORMAT_TABARI; f++) {
        kh_read_options o = {.format = (kh_read_format)f};
        read_mem("x", "\x01\x02{<\xff\xfe", 6, &o, &dg, &ds);
        for (size_t i = 0; i < ds.count; i++)
            assert_int_equal(strlen(ds.items[i].text), ds.items[i].len);
        docs_free(&ds);
    }
    /* A missing file is reported and counted, not fatal. */
    read_path("/nonexistent/khaldun/file.txt", NULL, &dg, &ds);
    assert_int_equal(ds.count, 0);
    assert_int_equal(ds.stats.unreadable, 1);
}

static void test_ten_megabyte_line(void **state)
{
    kh_diag dg;
    captured c;
    diag_capture(&dg, &c);
    size_t n = 10u << 20;
    const char *word = "Rebels attacked ";
    size_t wl = strlen(word);
    char *t = malloc(n + 64);
    strcpy(t, "{\"id\":\"big\",\"text\":\"");
    size_t p = strlen(t);
    while (p + wl < n)
        memcpy(t + p, word, wl), p += wl;
    strcpy(t + p, "end.\"}\n");
    p += strlen("end.\"}\n");
    docs ds;
    read_mem("big.jsonl", t, p, NULL, &dg, &ds);
    assert_int_equal(ds.count, 1);
    assert_true(ds.items[0].len > (10u << 20) - 64);
    assert_memory_equal(ds.items[0].text + ds.items[0].len - 4, "end.", 4);
    docs_free(&ds);
    /* The same as one plain-text line. */
    size_t head = strlen("{\"id\":\"big\",\"text\":\"");
    read_mem("big.txt", t + head, p - head - 4, NULL, &dg, &ds);
    assert_int_equal(ds.count, 1);
    assert_memory_equal(ds.items[0].text, "Rebels attacked Rebels", 22);
    docs_free(&ds);
    free(t);
    assert_int_equal(dg.errors, 0);
}

/* ---- streaming ---- */

/* Writes all of d[0, n) to fd. */
static void write_all(int fd, const void *d, size_t n)
{
    const char *p = d;
    while (n > 0) {
        ssize_t k = write(fd, p, n);
        if (k <= 0)
            _exit(2);
        p += k;
        n -= (size_t)k;
    }
}

/* A writer process that sends `first`, then waits for the reader to say
 * (a byte on `ack`) that it has the first document, then sends `rest`.
 * A reader that waited for the end of its input would wait forever:
 * an alarm turns that into a failure. */
static void test_pipe_streams_one(const void *first, size_t first_len,
                                  const void *rest, size_t rest_len,
                                  const char *id_a, const char *id_b)
{
    int data[2], ack[2];
    assert_int_equal(pipe(data), 0);
    assert_int_equal(pipe(ack), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(data[0]);
        close(ack[1]);
        write_all(data[1], first, first_len);
        char c;
        if (read(ack[0], &c, 1) != 1)
            _exit(3);
        write_all(data[1], rest, rest_len);
        _exit(0);
    }
    close(data[1]);
    close(ack[0]);
    int saved = dup(STDIN_FILENO);
    assert_int_equal(dup2(data[0], STDIN_FILENO), STDIN_FILENO);
    close(data[0]);
    alarm(20);
    kh_diag dg;
    captured c;
    diag_capture(&dg, &c);
    kh_reader *r = kh_reader_open("-", NULL, &dg);
    kh_doc d = {0};
    assert_int_equal(kh_reader_next(r, &d), 1);   /* before the rest is sent */
    assert_string_equal(d.id, id_a);
    kh_doc_clear(&d);
    write_all(ack[1], "!", 1);
    assert_int_equal(kh_reader_next(r, &d), 1);
    assert_string_equal(d.id, id_b);
    kh_doc_clear(&d);
    assert_int_equal(kh_reader_next(r, &d), 0);
    kh_reader_close(r);
    alarm(0);
    assert_int_equal(dg.errors, 0);
    close(ack[1]);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    assert_int_equal(dup2(saved, STDIN_FILENO), STDIN_FILENO);
    close(saved);
}

/* Standard input is read as it comes: a document is returned as soon as
 * it is complete, while the writer holds back the rest -- for each
 * streaming format, and for gzip data flushed after the first record. */
static void test_pipe_streams(void **state)
{
    const char *j1 = "{\"id\":\"a\",\"text\":\"Russia attacked Ukraine.\"}\n";
    const char *j2 = "{\"id\":\"b\",\"text\":\"Iran met Iraq.\"}\n";
    test_pipe_streams_one(j1, strlen(j1), j2, strlen(j2), "a", "b");
    const char *t1 = "950101 A\nRussia attacked Ukraine.\n\n";
    const char *t2 = "950101 B\nIran met Iraq.\n";
    test_pipe_streams_one(t1, strlen(t1), t2, strlen(t2), "A", "B");
    const char *x1 = "<Sentences>\n<Sentence date=\"20110101\" id=\"x1\">"
                     "<Text>Russia attacked Ukraine.</Text></Sentence>\n";
    const char *x2 = "<Sentence date=\"20110101\" id=\"x2\">"
                     "<Text>Iran met Iraq.</Text></Sentence>\n</Sentences>\n";
    test_pipe_streams_one(x1, strlen(x1), x2, strlen(x2), "x1", "x2");
    /* gzip: the first record is flushed (Z_SYNC_FLUSH), the rest ends
     * the stream. */
    unsigned char gz[512];
    z_stream z;
    memset(&z, 0, sizeof z);
    assert_int_equal(deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8,
                                  Z_DEFAULT_STRATEGY), Z_OK);
    z.next_out = gz;
    z.avail_out = sizeof gz;
    z.next_in = (Bytef *)j1;
    z.avail_in = (uInt)strlen(j1);
    assert_int_equal(deflate(&z, Z_SYNC_FLUSH), Z_OK);
    size_t first = sizeof gz - z.avail_out;
    z.next_in = (Bytef *)j2;
    z.avail_in = (uInt)strlen(j2);
    assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
    size_t total = sizeof gz - z.avail_out;
    deflateEnd(&z);
    test_pipe_streams_one(gz, first, gz + first, total - first, "a", "b");
}

/* Reads the child's output into out (NUL-terminated) until it holds
 * `want` or the child has said nothing for `seconds`; returns whether it
 * holds it. */
static int await_output(int fd, char *out, size_t cap, size_t *len,
                        const char *want, int seconds)
{
    while (!strstr(out, want)) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (poll(&p, 1, seconds * 1000) <= 0)
            return 0;
        ssize_t k = read(fd, out + *len, cap - 1 - *len);
        if (k <= 0)
            return 0;
        *len += (size_t)k;
        out[*len] = 0;
    }
    return 1;
}

/* `khaldun code -` writes a document's events while its input is still
 * open: the CLI is fed one record, and its event must come out before
 * the second is sent. */
static void test_cli_streams(void **state)
{
    const char *build = getenv("BUILD");
    char bin[512];
    snprintf(bin, sizeof bin, "%s/khaldun", build && *build ? build : "build");
    int in[2], out[2];
    assert_int_equal(pipe(in), 0);
    assert_int_equal(pipe(out), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(in[0], STDIN_FILENO);
        dup2(out[1], STDOUT_FILENO);
        close(in[0]), close(in[1]), close(out[0]), close(out[1]);
        execl(bin, bin, "code", "--format", "tsv", "-", (char *)NULL);
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    signal(SIGPIPE, SIG_IGN);
    char text[8192] = "";
    size_t len = 0;
    const char *a = "{\"id\":\"a\",\"text\":\"Russia attacked Ukraine.\"}\n";
    const char *b = "{\"id\":\"b\",\"text\":\"Iran met Iraq.\"}\n";
    write_all(in[1], a, strlen(a));
    assert_true(await_output(out[0], text, sizeof text, &len, "RUS\tUKR", 20));
    assert_null(strstr(text, "IRN"));
    write_all(in[1], b, strlen(b));
    close(in[1]);
    assert_true(await_output(out[0], text, sizeof text, &len, "IRN\tIRQ", 20));
    close(out[0]);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

/* Lines end in LF, CR LF or a lone CR wherever they fall against the
 * read blocks; line numbers count them all. */
static void test_line_ends_across_blocks(void **state)
{
    kh_diag dg;
    captured c;
    diag_capture(&dg, &c);
    kh_read_buffer b = {0};
    const char *ends[] = {"\n", "\r\n", "\r"};
    size_t lines = 0;
    kh_read_buffer_add(&b, "", 0);
    while (b.len < 3 * 65536) {
        char line[160];
        /* lengths that walk a CR across each block boundary */
        size_t pad = 40 + lines % 61;
        int n = snprintf(line, sizeof line, "{\"text\":\"%.*s caf\xc3\xa9.\"}%s",
                         (int)pad, "Iran met Iraq in Baghdad on Monday and talked "
                         "about oil, water, borders and the long war.",
                         ends[lines % 3]);
        kh_read_buffer_add(&b, line, (size_t)n);
        lines++;
    }
    docs ds;
    kh_reader *r = kh_reader_open_buffer("e.jsonl", b.data, b.len, NULL, &dg);
    kh_doc d = {0};
    size_t count = 0;
    char want[32];
    while (kh_reader_next(r, &d)) {
        snprintf(want, sizeof want, "e.jsonl:%zu", count + 1);
        assert_string_equal(d.id, want);
        assert_non_null(strstr(d.text, "caf\xc3\xa9."));
        kh_doc_clear(&d);
        count++;
    }
    kh_reader_stats(r, &ds.stats);
    kh_reader_close(r);
    assert_int_equal(count, lines);
    assert_int_equal(dg.errors, 0);
    free(b.data);
}

/* Text normalised a piece at a time is the text normalised whole:
 * invalid bytes, controls, CR, combining marks and a byte order mark,
 * spread over several read blocks. */
static void test_pieces_normalise_as_whole(void **state)
{
    kh_diag dg;
    captured c;
    diag_capture(&dg, &c);
    static const char *const bits[] = {
        "Iran ", "e\xCC\x81", "\r\n", "\r", "\xE9", "\x93q\x94", "\xEF\xBB\xBF",
        "\xD8\xB7\xD9\x87", "\xE2\x80", "\x01", "\n", "\xF0\x9F\x98\x80", "  ",
        "\xE2\x80\x94", "\xC3", "A\xCC\x8A", "\xE1\x84\x80\xE1\x85\xA1"};
    size_t nbits = sizeof bits / sizeof *bits;
    kh_read_buffer b = {0};
    kh_read_buffer_add(&b, "\xEF\xBB\xBFStart ", 9);
    unsigned x = 12345;
    while (b.len < 300000) {
        x = x * 1103515245u + 12345u;
        const char *bit = bits[(x >> 16) % nbits];
        kh_read_buffer_add(&b, bit, strlen(bit));
        kh_read_buffer_add(&b, "word ", (x >> 8) % 3 ? 0 : 5);
    }
    kh_read_buffer_add(&b, " end", 4);
    size_t n, repaired = 0, controls = 0;
    char *want = kh_text_normalize(b.data, b.len, &n, &repaired, &controls);
    kh_read_options o = {.format = KH_FORMAT_TEXT};
    docs ds;
    read_mem("p.txt", b.data, b.len, &o, &dg, &ds);
    assert_int_equal(ds.count, 1);
    assert_memory_equal(ds.items[0].text, "Start ", 6);
    assert_int_equal(ds.items[0].len, n - 0);
    assert_memory_equal(ds.items[0].text, want, n);
    assert_int_equal(ds.stats.bytes_repaired, repaired);
    assert_int_equal(ds.stats.controls_replaced, controls);
    docs_free(&ds);
    free(want);
    free(b.data);
}

/* A line longer than KH_MAX_LINE_BYTES is reported and skipped, and the
 * lines after it are read with their numbers. */
/* A byte range of a JSON-lines file (the cluster mode's share): only the
 * records that start in it, with the whole file's line numbers. */
static void test_byte_range(void **state)
{
    const char *text = "{\"text\":\"Iran met Iraq.\"}\n"
                       "{\"id\":\"b\",\"text\":\"Iraq left.\"}\n"
                       "\n"
                       "{\"text\":\"Syria spoke.\"}\n"
                       "{\"text\":\"Egypt agreed.\"}\n";
    const char *second = strstr(text, "{\"id\"");
    const char *last = strstr(text, "{\"text\":\"Egypt");
    scratch_make();
    char *path = scratch_file("wire.jsonl", text, strlen(text));
    kh_diag dg;
    captured c;
    diag_capture(&dg, &c);
    docs ds;
    read_all(kh_reader_open_range(path, second - text, last - text, 2, NULL, &dg), &ds);
    assert_int_equal(ds.count, 2);
    assert_string_equal(ds.items[0].id, "b");
    /* a file argument's documents are named by the path as given */
    char *want = kh_xmalloc(strlen(path) + 8);
    sprintf(want, "%s:4", path);
    assert_string_equal(ds.items[1].id, want);
    free(want);
    assert_string_equal(ds.items[1].text, "Syria spoke.");
    docs_free(&ds);
    const char *names[] = {"wire.jsonl", NULL};
    scratch_remove(names);
}

/* A file of several read blocks, whole and as a byte range: the bytes
 * read(2) puts straight into the reader's buffer (read_source.c
 * read_plain) are the file's, lines cut across blocks included, and a
 * range stops where it ends. */
static void test_file_over_blocks(void **state)
{
    enum { DOCS = 40, RANGE_FROM = 10, RANGE_TO = 30 };
    kh_buf file = {0};
    size_t line_at[DOCS + 1];
    char *want[DOCS];
    for (int i = 0; i < DOCS; i++) {
        kh_buf t = {0};
        while (t.len < 3000 + (size_t)i * 97)
            kh_buf_printf(&t, "Iran met Iraq %d.%s", i, t.len % 7 ? " " : "  ");
        while (t.len && t.data[t.len - 1] == ' ')
            t.len--;
        want[i] = kh_xstrndup(t.data, t.len);
        line_at[i] = file.len;
        kh_buf_printf(&file, "{\"id\":\"d%d\",\"text\":\"%s\"}\n", i, want[i]);
        kh_buf_free(&t);
    }
    line_at[DOCS] = file.len;
    assert_true(file.len > 3 * 65536);
    scratch_make();
    char *path = scratch_file("blocks.jsonl", file.data, file.len);
    kh_diag dg;
    kh_diag_init(&dg);
    docs ds;
    read_path(path, NULL, &dg, &ds);
    assert_int_equal(ds.count, DOCS);
    for (int i = 0; i < DOCS; i++)
        assert_string_equal(ds.items[i].text, want[i]);
    docs_free(&ds);
    read_all(kh_reader_open_range(path, (long long)line_at[RANGE_FROM],
                                  (long long)line_at[RANGE_TO], RANGE_FROM + 1, NULL, &dg),
             &ds);
    assert_int_equal(ds.count, RANGE_TO - RANGE_FROM);
    for (int i = 0; i < RANGE_TO - RANGE_FROM; i++)
        assert_string_equal(ds.items[i].text, want[RANGE_FROM + i]);
    docs_free(&ds);
    for (int i = 0; i < DOCS; i++)
        free(want[i]);
    kh_buf_free(&file);
    const char *names[] = {"blocks.jsonl", NULL};
    scratch_remove(names);
}

static void test_overlong_line(void **state)
{
    kh_diag dg;
    captured c;
    diag_capture(&dg, &c);
    size_t big = KH_MAX_LINE_BYTES + 100;
    const char *a = "{\"id\":\"a\",\"text\":\"Iran met Iraq.\"}\r\n";
    const char *z = "\r\n{\"id\":\"z\",\"text\":\"Iraq left.\"}\n";
    char *t = malloc(strlen(a) + big + strlen(z));
    size_t p = strlen(a);
    memcpy(t, a, p);
    memcpy(t + p, "{\"text\":\"", 9);
    memset(t + p + 9, 'x', big - 9);
    p += big;
    memcpy(t + p, z, strlen(z));
    p += strlen(z);
    docs ds;
    read_mem("long.jsonl", t, p, NULL, &dg, &ds);
    assert_int_equal(ds.count, 2);
    assert_string_equal(ds.items[1].id, "z");
    assert_int_equal(ds.stats.malformed, 1);
    assert_non_null(strstr(c.text, "long.jsonl:2: line longer than"));
    docs_free(&ds);
    /* A larger one-document input is reported, not read. */
    char *huge = malloc(KH_MAX_DOCUMENT_BYTES + 2);
    memset(huge, 'y', KH_MAX_DOCUMENT_BYTES + 1);
    huge[KH_MAX_DOCUMENT_BYTES / 2] = '\n';
    read_mem("huge.txt", huge, KH_MAX_DOCUMENT_BYTES + 1, NULL, &dg, &ds);
    assert_int_equal(ds.count, 0);
    assert_int_equal(ds.stats.malformed, 1);
    assert_non_null(strstr(c.text, "huge.txt:0: larger than"));
    free(huge);
    free(t);
}

/* A compressed stream that breaks after its first block: the documents
 * before the break are read, then the break is reported. */
static void test_broken_after_first_block(void **state)
{
    kh_diag dg;
    captured c;
    diag_capture(&dg, &c);
    kh_read_buffer b = {0};
    kh_read_buffer_add(&b, "", 0);
    size_t lines = 0;
    unsigned x = 7;
    while (b.len < 1000000) {
        char line[128];
        x = x * 1103515245u + 12345u;
        int n = snprintf(line, sizeof line, "{\"id\":\"%zu\",\"text\":\"Iran met Iraq %u.\"}\n",
                         lines++, x);
        kh_read_buffer_add(&b, line, (size_t)n);
    }
    size_t cap = b.len + 1024;
    unsigned char *gz = malloc(cap);
    size_t gn = make_gzip(b.data, b.len, gz, cap);
    docs ds;
    kh_reader *r = kh_reader_open_buffer("cut.jsonl.gz", (char *)gz, gn * 3 / 4, NULL, &dg);
    kh_doc d = {0};
    size_t count = 0;
    while (kh_reader_next(r, &d)) {
        kh_doc_clear(&d);
        count++;
    }
    kh_reader_stats(r, &ds.stats);
    kh_reader_close(r);
    assert_true(count > 1000 && count < lines);
    assert_int_equal(ds.stats.corrupt, 1);
    assert_int_equal(ds.stats.malformed, 0);     /* the cut line is dropped */
    assert_non_null(strstr(c.text, "cut.jsonl.gz:0: truncated gzip data"));
    free(gz);
    free(b.data);
}

/* ---- directories and standard input ---- */

static void test_directory_walk(void **state)
{
    kh_diag dg;
    captured c;
    diag_capture(&dg, &c);
    scratch_make();
    char sub[128];
    snprintf(sub, sizeof sub, "%s/sub", scratch);
    mkdir(sub, 0700);
    scratch_file("b.txt", "Second file.", 12);
    scratch_file("a.txt", "First file.", 11);
    scratch_file("sub/c.txt", "Nested file.", 12);
    scratch_file(".hidden", "Hidden file.", 12);
    scratch_file("empty.txt", "", 0);
    docs ds;
    read_path(scratch, NULL, &dg, &ds);
    assert_int_equal(ds.count, 3);
    assert_string_equal(ds.items[0].id, "a.txt");
    assert_string_equal(ds.items[1].id, "b.txt");
    assert_string_equal(ds.items[2].id, "sub/c.txt"); /* relative to the directory */
    assert_string_equal(ds.items[2].text, "Nested file.");
    assert_int_equal(ds.stats.files, 4);
    assert_int_equal(ds.stats.empty, 1);
    docs_free(&ds);
    scratch_remove((const char *const[]){"a.txt", "b.txt", "sub/c.txt", "sub",
                                         ".hidden", "empty.txt", NULL});
}

/* Files of one name in two folders are two documents: under a directory
 * their ids are the paths inside it, given as files the paths given (the
 * base name, the id before, made them collide). */
static void test_same_base_name(void **state)
{
    kh_diag dg;
    captured c;
    diag_capture(&dg, &c);
    scratch_make();
    char sub[128];
    snprintf(sub, sizeof sub, "%s/a", scratch);
    mkdir(sub, 0700);
    snprintf(sub, sizeof sub, "%s/b", scratch);
    mkdir(sub, 0700);
    scratch_file("a/story.txt", "Iran attacked Iraq.", 19);
    char b[256];
    snprintf(b, sizeof b, "%s", scratch_file("b/story.txt", "Iran attacked Iraq.", 19));
    docs ds;
    read_path(scratch, NULL, &dg, &ds);
    assert_int_equal(ds.count, 2);
    assert_string_equal(ds.items[0].id, "a/story.txt");
    assert_string_equal(ds.items[1].id, "b/story.txt");
    docs_free(&ds);
    char dir[128];
    snprintf(dir, sizeof dir, "%s/", scratch);       /* a trailing slash */
    read_path(dir, NULL, &dg, &ds);
    assert_string_equal(ds.items[1].id, "b/story.txt");
    docs_free(&ds);
    read_path(b, NULL, &dg, &ds);
    assert_int_equal(ds.count, 1);
    assert_string_equal(ds.items[0].id, b);
    docs_free(&ds);
    scratch_remove((const char *const[]){"a/story.txt", "b/story.txt", "a", "b", NULL});
}

static void test_stdin(void **state)
{
    kh_diag dg;
    captured c;
    diag_capture(&dg, &c);
    scratch_make();
    const char *t = "950101 S-1\nArnor met Gondor.\n\n950102 S-2\nGondor left.\n";
    char *path = scratch_file("in.text", t, strlen(t));
    assert_non_null(freopen(path, "rb", stdin));
    docs ds;
    read_path("-", NULL, &dg, &ds);
    assert_int_equal(ds.count, 2);
    assert_string_equal(ds.items[1].id, "S-2");
    assert_string_equal(ds.items[1].path, "-");
    docs_free(&ds);
    scratch_remove((const char *const[]){"in.text", NULL});
}

static void test_format_names(void **state)
{
    assert_int_equal(kh_read_format_parse("html"), KH_FORMAT_HTML);
    assert_int_equal(kh_read_format_parse("XML"), KH_FORMAT_PETRARCH);
    assert_int_equal(kh_read_format_parse("nope"), -1);
    assert_string_equal(kh_read_format_name(KH_FORMAT_TABARI), "tabari");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text_file),
        cmocka_unit_test(test_html_article),
        cmocka_unit_test(test_html_without_article),
        cmocka_unit_test(test_jsonl),
        cmocka_unit_test(test_jsonl_streaming_agrees),
        cmocka_unit_test(test_jsonl_text_normalised),
        cmocka_unit_test(test_jsonl_plain_lines),
        cmocka_unit_test(test_json_array),
        cmocka_unit_test(test_petrarch_xml),
        cmocka_unit_test(test_petrarch_entities),
        cmocka_unit_test(test_petrarch_streamed_as_tree),
        cmocka_unit_test(test_petrarch_lines_past_65535),
        cmocka_unit_test(test_petrarch_attribute_names),
        cmocka_unit_test(test_petrarch_fields),
        cmocka_unit_test(test_tabari_records),
        cmocka_unit_test(test_tabari_century),
        cmocka_unit_test(test_tabari_expectations),
        cmocka_unit_test(test_petrarch_expectations),
        cmocka_unit_test(test_compressed),
        cmocka_unit_test(test_is_normal_every_position),
        cmocka_unit_test(test_utf8_repair),
        cmocka_unit_test(test_invalid_utf8_document),
        cmocka_unit_test(test_empty_and_binary),
        cmocka_unit_test(test_ten_megabyte_line),
        cmocka_unit_test(test_directory_walk),
        cmocka_unit_test(test_same_base_name),
        cmocka_unit_test(test_stdin),
        cmocka_unit_test(test_format_names),
        cmocka_unit_test(test_pipe_streams),
        cmocka_unit_test(test_cli_streams),
        cmocka_unit_test(test_line_ends_across_blocks),
        cmocka_unit_test(test_pieces_normalise_as_whole),
        cmocka_unit_test(test_overlong_line),
        cmocka_unit_test(test_byte_range),
        cmocka_unit_test(test_file_over_blocks),
        cmocka_unit_test(test_broken_after_first_block),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
