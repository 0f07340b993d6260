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

#include <stdio.h>
#include <string.h>

/* Writes s[0, len) as one field: CoNLL-U fields hold no tab or line
 * break, so those become spaces; an empty field is "_". */
static void put_field(FILE *out, const char *s, size_t len)
{
    if (!s || !len) {
        putc('_', out);
        return;
    }
    for (size_t i = 0; i < len; i++)
        putc(strchr("\t\n\r", s[i]) && s[i] ? ' ' : s[i], out);
}

static void put_string(FILE *out, const char *s)
{
    put_field(out, s, s ? strlen(s) : 0);
}

static void put_comments(FILE *out, const kh_write_item *item)
{
    const char *id = item->doc->id ? item->doc->id : "";
    fprintf(out, "# doc = %s\n# sent_id = %s-%d\n# text = ", id, id, item->sent_no);
    for (size_t i = 0; i < item->sentence_len; i++) {
        char c = item->sentence[i];
        putc(c == '\n' || c == '\t' || c == '\r' ? ' ' : c, out);
    }
    putc('\n', out);
}

static void put_token(FILE *out, const kh_write_item *item, const kh_parse *p, size_t i)
{
    const kh_parse_token *t = &p->tokens.items[i];
    fprintf(out, "%zu\t", i + 1);
    put_field(out, item->sentence + t->start, (size_t)(t->end - t->start));
    putc('\t', out);
    put_string(out, kh_parse_string(p, t->lemma));
    fprintf(out, "\t%s\t", t->flags & KH_PARSE_TAGGED ? kh_upos_name(t->upos) : "_");
    put_string(out, kh_parse_string(p, t->xpos));
    if (t->head >= 0 && (size_t)t->head < p->tokens.count)
        fprintf(out, "\t_\t%d\t%s", t->head + 1, kh_deprel_name(t->rel));
    else if (t->rel == KH_DEP_ROOT)
        fputs("\t_\t0\troot", out);
    else
        fputs("\t_\t_\t_", out);
    fprintf(out, "\t_\tTokenRange=%ld:%ld\n", item->sentence_offset + t->start,
            item->sentence_offset + t->end);
}

static int conllu_add(kh_writer *w, const kh_write_item *item)
{
    const kh_parse *p = item->parse;
    if (!p || !p->tokens.count)
        return 0;
    put_comments(w->out, item);
    for (size_t i = 0; i < p->tokens.count; i++)
        put_token(w->out, item, p, i);
    putc('\n', w->out);
    if (ferror(w->out)) {
        kh_diag_report(w->diag, KH_ERROR, w->path, 0, "write failed");
        return -1;
    }
    return 0;
}

static int conllu_close(kh_writer *w, int failed)
{
    return kh_write_stream_close(w, failed);
}

static const kh_writer_ops conllu_ops = {NULL, conllu_add, conllu_close};

static int conllu_open(kh_writer *w)
{
    w->ops = &conllu_ops;
    return kh_write_stream_open(w);
}

const kh_write_backend kh_write_backend_conllu = {
    {"conllu", "conll", NULL}, {".conllu", NULL}, conllu_open};
