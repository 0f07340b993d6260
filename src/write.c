/* write.c -- the writer interface: choosing a format and dispatching to
 * its backend through a table.  The backends (write_backends.h) know
 * nothing of this file; what they share is in write_fields.c. */
#include "write.h"
#include "write_backends.h"
#include "write_fields.h"
#include "dedup.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Indexed by kh_format. */
static const kh_write_backend *const backends[] = {
    [KH_OUTPUT_JSONL] = &kh_write_backend_jsonl,
    [KH_OUTPUT_TSV] = &kh_write_backend_tsv,
    [KH_OUTPUT_SQLITE] = &kh_write_backend_sqlite,
    [KH_OUTPUT_GDELT] = &kh_write_backend_gdelt,
    [KH_OUTPUT_CONLLU] = &kh_write_backend_conllu,
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

kh_format kh_format_for_path(const char *path, kh_format fallback)
{
    if (!path)
        return fallback;
    for (size_t f = 0; f < BACKEND_COUNT; f++)
        if (any_suffix(backends[f]->extensions, path))
            return (kh_format)f;
    return fallback;
}

static void writer_free(kh_writer *w)
{
    free(w->path);
    free(w->tmp_path);
    free(w->doc_id);
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
    if (backends[fmt]->open(w) != 0) {
        writer_free(w);
        return NULL;
    }
    return w;
}

/* Hands over the memory stream's buffer and starts a new one, so a long
 * run through a binding holds one document's output at a time. */
char *kh_writer_take(kh_writer *w, size_t *len)
{
    *len = 0;
    if (!w || !w->memory || !w->out)
        return NULL;
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
    if (!w || !doc || w->failed)
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

/* Writes one sentence's item, starting its document first if need be. */
static int add_item(kh_writer *w, const kh_write_item *item)
{
    if (w->failed)
        return -1;                /* reported when it failed */
    if (!is_current_doc(w, item->doc) && kh_writer_add_doc(w, item->doc) != 0)
        return -1;
    if (w->ops->add(w, item) != 0) {
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
    static const kh_events no_events;
    kh_write_item item = {doc, sent_no, sentence ? sentence : "",
                          sentence ? sentence_len : 0, sentence_offset,
                          events ? events : &no_events, NULL};
    return add_item(w, &item);
}

int kh_writer_write(kh_writer *w, const kh_doc *doc, const kh_coded_doc *coded)
{
    if (kh_writer_add_doc(w, doc) != 0)
        return -1;
    for (size_t i = 0; i < coded->count; i++) {
        const kh_coded_sentence *s = &coded->items[i];
        kh_write_item item = {doc, (int)i + 1, doc->text + s->start, s->end - s->start,
                              (long)s->start, &s->events, s->parse};
        if (add_item(w, &item) < 0)
            return -1;
    }
    return 0;
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
    int rc = w->ops->close(w, w->failed);
    rc = (rc != 0 || w->failed) ? -1 : 0;
    writer_free(w);
    return rc;
}
