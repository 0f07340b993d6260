/* write.c -- the writer interface: choosing a format, running the
 * duplicate stage (dedup.h) in front of the event backends, and
 * dispatching to the backend through a table.  Every event format gets
 * its documents from the stage, in input order, each event knowing its
 * merged event; CoNLL-U (parses, not events) gets them as they come.
 * The backends (write_backends.h) know nothing of this file; what they
 * share is in write_fields.c. */
#include "write.h"
#include "write_backends.h"
#include "write_fields.h"
#include "dedup.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Indexed by kh_format. */
static const kh_write_backend *const backends[] = {
    [KH_OUTPUT_JSONL] = &kh_write_backend_jsonl,
    [KH_OUTPUT_TSV] = &kh_write_backend_tsv,
    [KH_OUTPUT_SQLITE] = &kh_write_backend_sqlite,
    [KH_OUTPUT_GDELT] = &kh_write_backend_gdelt,
    [KH_OUTPUT_CONLLU] = &kh_write_backend_conllu,
    [KH_OUTPUT_POSTGRES] = &kh_write_backend_postgres,
    [KH_OUTPUT_CSV] = &kh_write_backend_csv,
};
#define BACKEND_COUNT (sizeof backends / sizeof backends[0])

static int any_equal(const char *const *names, const char *s)
{
    for (; *names; names++)
        if (kh_strcaseeq(*names, s))
            return 1;
    return 0;
}

static int any_suffix(const char *const *suffixes, const char *s)
{
    size_t n = strlen(s);
    for (; *suffixes; suffixes++) {
        size_t m = strlen(*suffixes);
        if (n >= m && kh_strcaseeq(s + n - m, *suffixes))
            return 1;
    }
    return 0;
}

int kh_format_parse(const char *name)
{
    if (!name)
        return -1;
    for (size_t f = 0; f < BACKEND_COUNT; f++)
        if (any_equal(backends[f]->names, name))
            return (int)f;
    return -1;
}

static int any_prefix(const char *const *prefixes, const char *s)
{
    for (; *prefixes; prefixes++)
        if (strncasecmp(s, *prefixes, strlen(*prefixes)) == 0)
            return 1;
    return 0;
}

kh_format kh_format_for_path(const char *path, kh_format fallback)
{
    if (!path)
        return fallback;
    for (size_t f = 0; f < BACKEND_COUNT; f++)
        if (any_suffix(backends[f]->extensions, path) ||
            any_prefix(backends[f]->prefixes, path))
            return (kh_format)f;
    return fallback;
}

static void writer_free(kh_writer *w)
{
    kh_dedup_free(w->dedup);
    free(w->path);
    free(w->tmp_path);
    kh_buf_free(&w->doc_id);
    kh_buf_free(&w->buf);
    free(w);
}

kh_writer *kh_writer_open(const char *path, kh_format fmt, kh_diag *diag)
{
    if (!path || !*path) {
        kh_diag_report(diag, KH_ERROR, NULL, 0, "no output path given");
        return NULL;
    }
    if ((unsigned)fmt >= BACKEND_COUNT) {
        kh_diag_report(diag, KH_ERROR, path, 0, "unknown output format %d", (int)fmt);
        return NULL;
    }
    kh_writer *w = kh_xcalloc(1, sizeof *w);
    w->diag = diag;
    w->path = kh_xstrdup(path);
    w->dedup_window = KH_DEDUP_DEFAULT_WINDOW;
    w->events_format = fmt != KH_OUTPUT_CONLLU;
    if (backends[fmt]->open(w) != 0) {
        writer_free(w);
        return NULL;
    }
    return w;
}

kh_writer *kh_writer_open_memory(kh_format fmt, kh_diag *diag)
{
    /* SQLite needs a file, GDELT writes a second one (PATH.mentions). */
    if (fmt != KH_OUTPUT_JSONL && fmt != KH_OUTPUT_TSV && fmt != KH_OUTPUT_CONLLU) {
        kh_diag_report(diag, KH_ERROR, NULL, 0,
                       "only jsonl, tsv and conllu can be written to memory");
        return NULL;
    }
    kh_writer *w = kh_xcalloc(1, sizeof *w);
    w->diag = diag;
    w->path = kh_xstrdup("(memory)");
    w->memory = 1;
    w->dedup_window = KH_DEDUP_DEFAULT_WINDOW;
    w->events_format = fmt != KH_OUTPUT_CONLLU;
    if (backends[fmt]->open(w) != 0) {
        writer_free(w);
        return NULL;
    }
    return w;
}

/* Hands over the memory stream's buffer and starts a new one, so a long
 * run through a binding holds one document's output at a time. */
static int release(kh_writer *w, int all);

char *kh_writer_take(kh_writer *w, size_t *len)
{
    *len = 0;
    if (!w || !w->memory || !w->out)
        return NULL;
    if (release(w, 1) != 0)
        w->failed = 1;
    if (fclose(w->out) != 0)
        w->failed = 1;
    char *data = w->memory_data;
    *len = w->memory_size;
    w->memory_data = NULL;
    w->memory_size = 0;
    /* open_memstream fails only for want of memory, which the library
     * treats as fatal everywhere (util.h). */
    w->out = open_memstream(&w->memory_data, &w->memory_size);
    if (!w->out) {
        fputs("khaldun: out of memory (memory stream)\n", stderr);
        abort();
    }
    return data;
}

void kh_writer_set_dedup_window(kh_writer *w, int days)
{
    if (w)
        w->dedup_window = days < 0 ? 0 : days;
}

void kh_writer_set_dedup(kh_writer *w, int on)
{
    if (w)
        w->no_dedup = !on;
}

/* ---- the duplicate stage ---- */

/* Writes a document the stage hands on: the backend sees it as if it had
 * come straight from the pipeline, with each event's merged event. */
static int write_held(void *ctx, const kh_dedup_doc *h)
{
    kh_writer *w = ctx;
    if (w->failed)
        return -1;
    if (w->ops->add_doc && w->ops->add_doc(w, &h->doc) != 0) {
        w->failed = 1;
        return -1;
    }
    for (size_t i = 0; i < h->count; i++) {
        const kh_dedup_sentence *s = &h->sentences[i];
        kh_write_item item = {&h->doc, s->sent_no, s->text, s->len, s->offset,
                              &s->events, NULL, s->refs};
        if (w->ops->add(w, &item) != 0) {
            w->failed = 1;
            return -1;
        }
    }
    return 0;
}

/* Hands the backend what the stage has made final (everything with
 * `all`, which ends the current document: the next kh_writer_add starts
 * it again). */
static int release(kh_writer *w, int all)
{
    if (!w->dedup)
        return 0;
    if (all)
        w->in_doc = 0;
    return kh_dedup_release(w->dedup, all, write_held, w);
}

/* Is `doc` the document the writer is in?  Compared by id, text pointer
 * and length, so a reused kh_doc struct holding the next document counts
 * as a new document. */
static int is_current_doc(const kh_writer *w, const kh_doc *doc)
{
    const char *id = doc->id ? doc->id : "";
    return w->in_doc && strcmp(w->doc_id.data, id) == 0 &&
           w->doc_text == doc->text && w->doc_len == doc->len;
}

/* Ends the stage's current document and hands on what that made final;
 * the stage is made on the first document. */
static int stage_next_doc(kh_writer *w)
{
    if (!w->dedup)
        w->dedup = kh_dedup_new(w->dedup_window, !w->no_dedup);
    kh_dedup_end_doc(w->dedup);
    return release(w, 0);
}

int kh_writer_add_doc(kh_writer *w, const kh_doc *doc)
{
    if (!w || !doc || w->failed)
        return -1;
    w->doc_id.len = 0;
    kh_buf_adds(&w->doc_id, doc->id);
    kh_buf_addc(&w->doc_id, 0);
    w->in_doc = 1;
    w->doc_text = doc->text;
    w->doc_len = doc->len;
    if (w->events_format) {
        if (stage_next_doc(w) != 0)
            return -1;
        kh_dedup_begin_doc(w->dedup, doc);
        return 0;
    }
    if (w->ops->add_doc && w->ops->add_doc(w, doc) != 0) {
        w->failed = 1;
        return -1;
    }
    return 0;
}

/* Writes one sentence's item of the current document. */
static int add_to_doc(kh_writer *w, const kh_write_item *item)
{
    if (w->failed)
        return -1;                /* reported when it failed */
    if (w->events_format) {
        kh_dedup_add_sentence(w->dedup, item->sent_no, item->sentence, item->sentence_len,
                              item->sentence_offset, item->events);
        return w->failed ? -1 : 0;
    }
    if (w->ops->add(w, item) != 0) {
        w->failed = 1;
        return -1;
    }
    return 0;
}

/* Writes one sentence's item, starting its document first if need be. */
static int add_item(kh_writer *w, const kh_write_item *item)
{
    if (!is_current_doc(w, item->doc) && kh_writer_add_doc(w, item->doc) != 0)
        return -1;
    return add_to_doc(w, item);
}

int kh_writer_add(kh_writer *w, const kh_doc *doc, int sent_no,
                  const char *sentence, size_t sentence_len,
                  long sentence_offset, const kh_events *events)
{
    if (!w || !doc)
        return -1;
    static const kh_events no_events;
    kh_write_item item = {doc, sent_no, sentence ? sentence : "",
                          sentence ? sentence_len : 0, sentence_offset,
                          events ? events : &no_events, NULL, NULL};
    return add_item(w, &item);
}

/* The document is whole: what it makes final can go. */
static int end_stage_doc(kh_writer *w)
{
    kh_dedup_end_doc(w->dedup);
    w->in_doc = 0;
    return release(w, 0);
}

int kh_writer_write(kh_writer *w, const kh_doc *doc, const kh_coded_doc *coded)
{
    if (kh_writer_add_doc(w, doc) != 0)
        return -1;
    for (size_t i = 0; i < coded->count; i++) {
        const kh_coded_sentence *s = &coded->items[i];
        kh_write_item item = {doc, (int)i + 1, doc->text + s->start, s->end - s->start,
                              (long)s->start, &s->events, s->parse, NULL};
        if (add_to_doc(w, &item) < 0)  /* the document just added */
            return -1;      /* stop at the first write error */
    }
    return w->dedup ? end_stage_doc(w) : 0;
}

int kh_writer_set_inputs(kh_writer *w, const char *const *inputs, int count)
{
    if (!w || w->failed)
        return -1;
    if (!w->ops->set_inputs)
        return 0;
    kh_buf b = {0};
    for (int i = 0; i < count; i++) {
        if (i)
            kh_buf_addc(&b, '\n');
        kh_buf_add(&b, inputs[i], strlen(inputs[i]));
    }
    kh_buf_addc(&b, 0);
    int rc = w->ops->set_inputs(w, b.data);
    kh_buf_free(&b);
    if (rc != 0)
        w->failed = 1;
    return rc;
}

int kh_writer_close(kh_writer *w)
{
    if (!w)
        return -1;
    if (!w->failed && release(w, 1) != 0)
        w->failed = 1;
    int rc = w->ops->close(w, w->failed);
    rc = (rc != 0 || w->failed) ? -1 : 0;
    writer_free(w);
    return rc;
}

void kh_writer_abort(kh_writer *w)
{
    if (!w)
        return;
    w->failed = 1;
    w->ops->close(w, 1);
    writer_free(w);
}
