/* write_conllu.c -- the sentences' parses as CoNLL-U (format described in
 * khaldun.h, "Writing events"): per sentence three comment lines, one
 * line per token of khaldun's tokenization, and a blank line.
 *
 * The tokens are khaldun's own (DID NOT, AL QAEDA), not those of a given
 * parse, so that TokenRange and HEAD refer to what the coder sees.  A
 * sentence without a parse or without tokens is left out: CoNLL-U has no
 * empty sentences.  Events are not written. */
#include "write_backends.h"
#include "write_fields.h"
#include "parse.h"

#include <string.h>

/* Appends s[0, len) with tab and line breaks as spaces, the one thing
 * CoNLL-U lines must not hold. */
static void put_spaced(kh_buf *out, const char *s, size_t len)
{
    kh_buf_reserve(out, len);
    char *d = out->data + out->len;
    for (size_t i = 0; i < len; i++)
        d[i] = s[i] == '\t' || s[i] == '\n' || s[i] == '\r' ? ' ' : s[i];
    out->len += len;
}

/* Writes s[0, len) as one field; an empty field is "_". */
static void put_field(kh_buf *out, const char *s, size_t len)
{
    if (!s || !len)
        kh_buf_addc(out, '_');
    else
        put_spaced(out, s, len);
}

static void put_string(kh_buf *out, const char *s)
{
    put_field(out, s, s ? strlen(s) : 0);
}

static void put_comments(kh_buf *out, const kh_write_item *item)
{
    const char *id = item->doc->id ? item->doc->id : "";
    kh_buf_adds(out, "# doc = ");
    kh_buf_adds(out, id);
    kh_buf_adds(out, "\n# sent_id = ");
    kh_buf_adds(out, id);
    kh_buf_addc(out, '-');
    kh_buf_add_long(out, item->sent_no, 0);
    kh_buf_adds(out, "\n# text = ");
    put_spaced(out, item->sentence, item->sentence_len);
    kh_buf_addc(out, '\n');
}

static void put_token(kh_buf *out, const kh_write_item *item, const kh_parse *p, size_t i)
{
    const kh_parse_token *t = &p->tokens.items[i];
    kh_buf_add_long(out, (long long)(i + 1), 0);
    kh_buf_addc(out, '\t');
    put_field(out, item->sentence + t->start, (size_t)(t->end - t->start));
    kh_buf_addc(out, '\t');
    put_string(out, kh_parse_string(p, t->lemma));
    kh_buf_addc(out, '\t');
    kh_buf_adds(out, t->flags & KH_PARSE_TAGGED ? kh_upos_name(t->upos) : "_");
    kh_buf_addc(out, '\t');
    put_string(out, kh_parse_string(p, t->xpos));
    if (t->head >= 0 && (size_t)t->head < p->tokens.count) {
        kh_buf_adds(out, "\t_\t");
        kh_buf_add_long(out, t->head + 1, 0);
        kh_buf_addc(out, '\t');
        kh_buf_adds(out, kh_deprel_name(t->rel));
    } else if (t->rel == KH_DEP_ROOT) {
        kh_buf_adds(out, "\t_\t0\troot");
    } else {
        kh_buf_adds(out, "\t_\t_\t_");
    }
    kh_buf_adds(out, "\t_\tTokenRange=");
    kh_buf_add_long(out, item->sentence_offset + t->start, 0);
    kh_buf_addc(out, ':');
    kh_buf_add_long(out, item->sentence_offset + t->end, 0);
    kh_buf_addc(out, '\n');
}

/* The sentence is built in w->buf and written in one call. */
static int conllu_add(kh_writer *w, const kh_write_item *item)
{
    const kh_parse *p = item->parse;
    if (!p || !p->tokens.count)
        return 0;
    put_comments(&w->buf, item);
    for (size_t i = 0; i < p->tokens.count; i++)
        put_token(&w->buf, item, p, i);
    kh_buf_addc(&w->buf, '\n');
    return kh_write_flush(w);   /* reports a failure */
}

static int conllu_close(kh_writer *w, int failed)
{
    return kh_write_stream_close(w, failed);
}

static const kh_writer_ops conllu_ops = {NULL, conllu_add, conllu_close, NULL};

static int conllu_open(kh_writer *w)
{
    w->ops = &conllu_ops;
    return kh_write_stream_open(w);
}

const kh_write_backend kh_write_backend_conllu = {
    {"conllu", "conll", NULL}, {".conllu", NULL}, conllu_open, {NULL}};
