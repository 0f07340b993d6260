/*
 * fuzz_read.c -- libFuzzer target: any bytes as an input document.
 *
 * The input is read from memory by kh_reader_open_buffer in every format
 * (auto-detected, then each one forced), documents are drawn until the
 * end and cleared; kh_text_normalize and date.h's parsers get the same
 * bytes.  Readers must report, count and go on.  Built by
 * tests/fuzz/run.sh when src/read.c exists.
 */
#include "khaldun.h"
#include "normalize.h"
#include "date.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* File names steer detection by extension in auto mode. */
static const char *const names[] = {
    "fuzz", "fuzz.txt", "fuzz.html", "fuzz.jsonl", "fuzz.xml", "fuzz.tabari"
};

static void read_all(const char *name, const char *text, size_t size,
                     kh_read_format format, kh_diag *diag)
{
    kh_read_options opts = {0};
    opts.format = format;
    opts.date = 20150101;
    kh_reader *r = kh_reader_open_buffer(name, text, size, &opts, diag);
    kh_doc doc;
    memset(&doc, 0, sizeof doc);
    while (kh_reader_next(r, &doc))
        kh_doc_clear(&doc);
    kh_read_stats stats;
    kh_reader_stats(r, &stats);
    kh_reader_close(r);
}

/* The streaming reader normalises a piece at a time; a plain-text
 * document must still be the whole input normalised (then trimmed; the
 * reader undoes compression, so compressed inputs are not compared), and
 * a piece that kh_text_is_normal passes must be unchanged by it. */
static void same_as_whole(const char *text, size_t size, const char *whole,
                          size_t len)
{
    kh_read_options opts = {0};
    opts.format = KH_FORMAT_TEXT;
    kh_diag diag;
    kh_diag_init(&diag);
    diag.quiet = 1;
    int packed = size >= 2 && ((text[0] == '\x1F' && text[1] == '\x8B') ||
                               (size >= 4 && !memcmp(text, "\x28\xB5\x2F\xFD", 4)));
    kh_reader *r = kh_reader_open_buffer("fuzz", text, size, &opts, &diag);
    kh_doc doc;
    memset(&doc, 0, sizeof doc);
    if (!packed && kh_reader_next(r, &doc)) {
        size_t b = 0, n = len;
        while (b < n && strchr(" \t\n", whole[b]))
            b++;
        while (n > b && strchr(" \t\n", whole[n - 1]))
            n--;
        if (doc.len != n - b || memcmp(doc.text, whole + b, n - b) != 0)
            abort();
        kh_doc_clear(&doc);
    }
    kh_reader_close(r);
    if (kh_text_is_normal(text, size)) {
        size_t k;
        char *t = kh_text_normalize_part(text, size, &k, NULL, NULL);
        if (k != size || memcmp(t, text, size) != 0)
            abort();
        free(t);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size ? size : 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    kh_diag diag;
    kh_diag_init(&diag);
    diag.quiet = 1;
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        read_all(names[i], text, size, KH_FORMAT_AUTO, &diag);
    for (int f = KH_FORMAT_TEXT; f <= KH_FORMAT_TABARI; f++)
        read_all("fuzz", text, size, (kh_read_format)f, &diag);

    size_t out_len, repaired = 0, controls = 0;
    char *whole = kh_text_normalize(text, size, &out_len, &repaired, &controls);
    same_as_whole(text, size, whole, out_len);
    free(whole);
    char *z = malloc(size + 1);
    if (z) {
        memcpy(z, text, size);
        z[size] = '\0';
        kh_date_parse(z);
        kh_date_parse_digits(z, size < 8 ? size : 8);
        free(z);
    }
    free(text);
    return 0;
}
