/* write_tsv.c -- tab-separated event table in PETRARCH's column order
 * (date, source, target, code first), one line per event, with a header
 * line.  The columns are documented in docs/schema.md.  Columns added
 * later go after `sentence`, so the positions of the first 19 never move
 * and `cut -f19` is still the sentence.
 *
 * Escaping: a text field never contains a raw tab, newline, carriage
 * return or NUL; they are written as \t, \n, \r and \0, and a backslash
 * as \\, so every line is one record and `cut -f` works.  A missing value
 * is an empty field. */
#include "write_backends.h"
#include "write_fields.h"
#include "cameo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const tsv_columns[] = {
    "date", "source", "target", "code", "root", "quad", "goldstein",
    "plover", "doc", "sent", "source_text", "target_text", "verb_start",
    "verb_end", "pattern", "dict", "flags", "issues", "sentence",
    /* enrichment, since schema 2 */
    "event_date", "date_source", "place", "place_country", "place_fips",
    "place_admin1", "lat", "lon", "precision", "quote", "speaker",
    "mentions", "plover_mode", "source_country", "source_sectors",
    "target_country", "target_sectors", "compound",
};
#define TSV_COLUMN_COUNT (sizeof tsv_columns / sizeof tsv_columns[0])

static void put_escaped(FILE *out, const char *s, size_t len)
{
    for (size_t i = 0; s && i < len; i++) {
        switch (s[i]) {
        case '\t': fputs("\\t", out); break;
        case '\n': fputs("\\n", out); break;
        case '\r': fputs("\\r", out); break;
        case '\\': fputs("\\\\", out); break;
        case '\0': fputs("\\0", out); break;
        default: putc(s[i], out);
        }
    }
}

static void put_field(FILE *out, const char *s)
{
    put_escaped(out, s, s ? strlen(s) : 0);
    putc('\t', out);
}

static void put_flags(FILE *out, unsigned flags)
{
    const char *sep = "";
    for (size_t i = 0; i < kh_write_flag_count; i++) {
        if (flags & kh_write_flags[i].bit) {
            fprintf(out, "%s%s", sep, kh_write_flags[i].name);
            sep = ",";
        }
    }
    putc('\t', out);
}

/* date, source, target, code, root, quad, goldstein, plover */
static void put_event_head(FILE *out, const kh_write_item *it, const kh_event *e)
{
    const kh_cameo_info *info = kh_cameo_lookup(e->code);
    char root[KH_CAMEO_ROOT_SIZE];
    if (it->doc->date > 0)
        fprintf(out, "%08ld", it->doc->date);
    putc('\t', out);
    put_field(out, e->source);
    put_field(out, e->target);
    put_field(out, e->code);
    kh_cameo_root(e->code, root);
    put_field(out, root);
    kh_write_quad_goldstein(out, e->code, info);
    putc('\t', out);
    put_field(out, info ? info->plover : NULL);
}

/* country, then the sector groups space-separated (cameo.h). */
static void put_actor_parts(FILE *out, const char *code)
{
    kh_actor_parts parts = {0};
    if (!code || !*code || strcmp(code, "---") == 0) {
        fputs("\t\t", out); /* two empty fields */
        return;
    }
    kh_actor_code_split(code, &parts);
    put_field(out, parts.country);
    for (size_t i = 0; i < parts.group_count; i++) {
        if (i)
            putc(' ', out);
        put_escaped(out, parts.groups[i], strlen(parts.groups[i]));
    }
    putc('\t', out);
    kh_actor_parts_free(&parts);
}

/* The columns after `sentence` (each preceded by its tab). */
static void put_enrichment(FILE *out, const kh_write_item *it, const kh_event *e)
{
    const kh_place *p = &e->place;
    const kh_cameo_info *info = kh_cameo_lookup(e->code);
    putc('\t', out);
    if (e->event_date > 0)
        fprintf(out, "%08ld", e->event_date);
    putc('\t', out);
    put_field(out, kh_write_date_source_name(e->date_source));
    put_field(out, p->name);
    put_field(out, p->country);
    put_field(out, p->fips);
    put_field(out, p->admin1);
    if (p->precision != KH_PLACE_NONE)
        fprintf(out, "%.5f\t%.5f\t", p->lat, p->lon);
    else
        fputs("\t\t", out);
    put_field(out, kh_write_precision_name(p->precision));
    put_field(out, e->quote);
    put_field(out, e->speaker);
    fprintf(out, "%d\t", e->mentions > 0 ? e->mentions : 1);
    put_field(out, info ? info->plover_mode : NULL);
    put_actor_parts(out, e->source);
    put_actor_parts(out, e->target);
    fprintf(out, "%d", kh_write_compound_size(it->events, e));
}

static void put_event(FILE *out, const kh_write_item *it, const kh_event *e)
{
    put_event_head(out, it, e);
    put_field(out, it->doc->id);
    fprintf(out, "%d\t", it->sent_no);
    put_field(out, e->source_text);
    put_field(out, e->target_text);
    fprintf(out, "%ld\t%ld\t", e->verb_span.start, e->verb_span.end);
    put_field(out, e->pattern);
    char *ref = kh_write_dict_ref(e);
    put_field(out, ref);
    free(ref);
    put_flags(out, e->flags);
    put_field(out, e->issues);
    put_escaped(out, it->sentence, it->sentence_len);
    put_enrichment(out, it, e);
    putc('\n', out);
}

static int tsv_add(kh_writer *w, const kh_write_item *it)
{
    for (size_t i = 0; i < it->events->count; i++)
        put_event(w->out, it, &it->events->items[i]);
    if (ferror(w->out)) {
        kh_diag_report(w->diag, KH_ERROR, w->path, 0, "write failed");
        return -1;
    }
    return 0;
}

static int tsv_close(kh_writer *w, int failed)
{
    return kh_write_stream_close(w, failed);
}

static const kh_writer_ops tsv_ops = {NULL, tsv_add, tsv_close};

static int tsv_open(kh_writer *w)
{
    w->ops = &tsv_ops;
    if (kh_write_stream_open(w) != 0)
        return -1;
    for (size_t i = 0; i < TSV_COLUMN_COUNT; i++)
        fprintf(w->out, "%s%c", tsv_columns[i], i + 1 < TSV_COLUMN_COUNT ? '\t' : '\n');
    return 0;
}

const kh_write_backend kh_write_backend_tsv = {{"tsv", NULL}, {NULL}, tsv_open};
