/* write.c -- the writer interface: format choice, dispatch to the backends
 * (write_json.c, write_tsv.c, write_sqlite.c, write_gdelt.c) and what they
 * share. */
#include "write.h"
#include "cameo.h"
#include "dedup.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Temporary output names are PATH.tmp-PID-N: TMP_EXTRA covers ".tmp-",
 * two decimal numbers, '-' and the NUL.  Left-over files from killed runs
 * with the same pid are skipped, up to TMP_ATTEMPTS of them. */
#define TMP_EXTRA 64
#define TMP_ATTEMPTS 1000

const kh_write_flag kh_write_flags[] = {
    {"negated", KH_EVENT_NEGATED},
    {"passive", KH_EVENT_PASSIVE},
    {"hypothetical", KH_EVENT_HYPOTHETICAL},
    {"future", KH_EVENT_FUTURE},
    {"paired", KH_EVENT_PAIRED},
    {"historical", KH_EVENT_HISTORICAL},
};
const size_t kh_write_flag_count = sizeof kh_write_flags / sizeof kh_write_flags[0];

int kh_format_parse(const char *name)
{
    if (!name)
        return -1;
    if (kh_strcaseeq(name, "jsonl") || kh_strcaseeq(name, "json"))
        return KH_OUTPUT_JSONL;
    if (kh_strcaseeq(name, "tsv"))
        return KH_OUTPUT_TSV;
    if (kh_strcaseeq(name, "sqlite") || kh_strcaseeq(name, "sqlite3"))
        return KH_OUTPUT_SQLITE;
    if (kh_strcaseeq(name, "gdelt"))
        return KH_OUTPUT_GDELT;
    return -1;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && kh_strcaseeq(s + n - m, suffix);
}

kh_format kh_format_for_path(const char *path, kh_format fallback)
{
    if (path && (ends_with(path, ".db") || ends_with(path, ".sqlite") ||
                 ends_with(path, ".sqlite3")))
        return KH_OUTPUT_SQLITE;
    return fallback;
}

static void writer_free(kh_writer *w)
{
    free(w->path);
    free(w->tmp_path);
    free(w->doc_id);
    free(w);
}

kh_writer *kh_writer_open(const char *path, kh_format fmt, kh_diag *diag)
{
    if (!path || !*path) {
        kh_diag_report(diag, KH_ERROR, NULL, 0, "no output path given");
        return NULL;
    }
    kh_writer *w = kh_xcalloc(1, sizeof *w);
    w->diag = diag;
    w->path = kh_xstrdup(path);
    w->dedup_window = KH_DEDUP_DEFAULT_WINDOW;
    int rc;
    switch (fmt) {
    case KH_OUTPUT_JSONL: rc = kh_write_jsonl_open(w); break;
    case KH_OUTPUT_TSV: rc = kh_write_tsv_open(w); break;
    case KH_OUTPUT_SQLITE: rc = kh_write_sqlite_open(w); break;
    case KH_OUTPUT_GDELT: rc = kh_write_gdelt_open(w); break;
    default:
        kh_diag_report(diag, KH_ERROR, path, 0, "unknown output format %d", (int)fmt);
        rc = -1;
    }
    if (rc != 0) {
        writer_free(w);
        return NULL;
    }
    return w;
}

void kh_writer_set_dedup_window(kh_writer *w, int days)
{
    if (w)
        w->dedup_window = days < 0 ? 0 : days;
}

/* Is `doc` the document the writer is in?  Compared by id, text pointer
 * and length, so a reused kh_doc struct holding the next document counts
 * as a new document. */
static int is_current_doc(const kh_writer *w, const kh_doc *doc)
{
    const char *id = doc->id ? doc->id : "";
    return w->doc_id && strcmp(w->doc_id, id) == 0 &&
           w->doc_text == doc->text && w->doc_len == doc->len;
}

int kh_writer_add_doc(kh_writer *w, const kh_doc *doc)
{
    if (!w || !doc)
        return -1;
    free(w->doc_id);
    w->doc_id = kh_xstrdup(doc->id ? doc->id : "");
    w->doc_text = doc->text;
    w->doc_len = doc->len;
    if (w->ops->add_doc && w->ops->add_doc(w, doc) != 0) {
        w->failed = 1;
        return -1;
    }
    return 0;
}

int kh_writer_add(kh_writer *w, const kh_doc *doc, int sent_no,
                  const char *sentence, size_t sentence_len,
                  long sentence_offset, const kh_events *events)
{
    if (!w || !doc)
        return -1;
    if (!is_current_doc(w, doc) && kh_writer_add_doc(w, doc) != 0)
        return -1;
    static const kh_events no_events;
    kh_write_item item = {doc, sent_no, sentence ? sentence : "",
                          sentence ? sentence_len : 0, sentence_offset,
                          events ? events : &no_events};
    if (w->ops->add(w, &item) != 0) {
        w->failed = 1;
        return -1;
    }
    return 0;
}

int kh_writer_write(kh_writer *w, const kh_doc *doc, const kh_coded_doc *coded)
{
    if (kh_writer_add_doc(w, doc) != 0)
        return -1;
    int rc = 0;
    for (size_t i = 0; i < coded->count; i++) {
        const kh_coded_sentence *s = &coded->items[i];
        if (kh_writer_add(w, doc, (int)i + 1, doc->text + s->start, s->end - s->start,
                          (long)s->start, &s->events) < 0)
            rc = -1;
    }
    return rc;
}

int kh_writer_close(kh_writer *w)
{
    if (!w)
        return -1;
    int rc = w->ops->close(w, w->failed);
    rc = (rc != 0 || w->failed) ? -1 : 0;
    writer_free(w);
    return rc;
}

/* ------------------------------------------------------------------ */

/* Creates PATH.tmp-PID-N for the first free N, with O_EXCL so two runs
 * never share a temporary file; mode 0666 lets the umask decide, as it
 * would for the final file.  Returns the descriptor or -1. */
static int create_temp(kh_writer *w)
{
    size_t n = strlen(w->path) + TMP_EXTRA;
    w->tmp_path = kh_xmalloc(n);
    for (int attempt = 0; attempt < TMP_ATTEMPTS; attempt++) {
        snprintf(w->tmp_path, n, "%s.tmp-%ld-%d", w->path, (long)getpid(), attempt);
        int fd = open(w->tmp_path, O_WRONLY | O_CREAT | O_EXCL, 0666);
        if (fd >= 0 || errno != EEXIST)
            return fd;
    }
    return -1;
}

int kh_write_stream_open(kh_writer *w)
{
    if (strcmp(w->path, "-") == 0) {
        w->out = stdout;
        return 0;
    }
    int fd = create_temp(w);
    if (fd < 0 || !(w->out = fdopen(fd, "w"))) {
        kh_diag_report(w->diag, KH_ERROR, w->path, 0,
                       "cannot create output: %s", strerror(errno));
        if (fd >= 0) {
            close(fd);
            unlink(w->tmp_path);
        }
        return -1;
    }
    return 0;
}

/* Flushes the stream and, for a file, forces it to disk so the rename
 * never publishes a file whose data is still only in the page cache. */
static int stream_finish(FILE *out, int is_file)
{
    int rc = fflush(out) == 0 && !ferror(out) ? 0 : -1;
    if (is_file && rc == 0 && fsync(fileno(out)) != 0)
        rc = -1;
    return rc;
}

int kh_write_stream_close(kh_writer *w, int failed)
{
    if (!w->out)
        return -1;
    int is_file = w->out != stdout;
    int rc = stream_finish(w->out, is_file);
    if (rc != 0)
        kh_diag_report(w->diag, KH_ERROR, w->path, 0, "write failed: %s",
                       strerror(errno));
    if (is_file && fclose(w->out) != 0 && rc == 0) {
        kh_diag_report(w->diag, KH_ERROR, w->path, 0, "write failed: %s",
                       strerror(errno));
        rc = -1;
    }
    w->out = NULL;
    if (!is_file)
        return rc;
    if (rc == 0 && !failed && rename(w->tmp_path, w->path) != 0) {
        kh_diag_report(w->diag, KH_ERROR, w->path, 0,
                       "cannot rename %s into place: %s", w->tmp_path,
                       strerror(errno));
        rc = -1;
    }
    if (rc != 0 || failed)
        unlink(w->tmp_path);
    return rc;
}

/* ------------------------------------------------------------------ */

int kh_write_date_iso(long date, char out[11])
{
    long y = date / 10000, m = date / 100 % 100, d = date % 100;
    out[0] = 0;
    if (date <= 0 || y > 9999 || m < 1 || m > 12 || d < 1 || d > 31)
        return -1;
    snprintf(out, 11, "%04ld-%02ld-%02ld", y, m, d);
    return 0;
}

const char *kh_write_date_source_name(int date_source)
{
    switch (date_source) {
    case KH_DATE_EXPLICIT: return "explicit";
    case KH_DATE_RELATIVE: return "relative";
    case KH_DATE_ARTICLE: return "article";
    default: return NULL;
    }
}

const char *kh_write_precision_name(int precision)
{
    switch (precision) {
    case KH_PLACE_CITY: return "city";
    case KH_PLACE_REGION: return "region";
    case KH_PLACE_COUNTRY: return "country";
    default: return NULL;
    }
}

int kh_write_compound_size(const kh_events *events, const kh_event *e)
{
    int n = 0;
    for (size_t i = 0; i < events->count; i++) {
        const kh_event *o = &events->items[i];
        n += strcmp(o->code, e->code) == 0 && o->verb_span.start == e->verb_span.start &&
             o->verb_span.end == e->verb_span.end;
    }
    return n ? n : 1;
}

char *kh_write_dict_ref(const kh_event *e)
{
    if (!e->dict_file)
        return NULL;
    if (e->dict_line <= 0)
        return kh_xstrdup(e->dict_file);
    size_t n = strlen(e->dict_file) + 24; /* ':' + a long in decimal + NUL */
    char *ref = kh_xmalloc(n);
    snprintf(ref, n, "%s:%ld", e->dict_file, e->dict_line);
    return ref;
}

void kh_write_quad_goldstein(FILE *out, const char *code, const struct kh_cameo_info *info)
{
    int quad = kh_cameo_quad(code);
    if (quad)
        fprintf(out, "%d", quad);
    putc('\t', out);
    if (info)
        fprintf(out, "%.1f", info->goldstein);
}
