/*
 * read_text.c -- plain-text articles (read.h): one document per file, the
 * whole file its text (read whole, up to KH_MAX_DOCUMENT_BYTES), dated
 * from the text when nothing else dates it.
 */
#include "read_format.h"

static void text_start(kh_read_input *in)
{
    kh_doc d = {0};
    const char *text;
    size_t len;
    if (!kh_read_whole(in, &text, &len))
        return;                                       /* reported */
    if (!kh_read_set_text(in, &d, text, len, 0)) {
        kh_read_skip(in, KH_READ_EMPTY, 0, "no text");
        return;
    }
    kh_read_finish_doc(in, &d, 1);
    kh_read_push_doc(in, &d);
}

static const char *const text_names[] = {"text", "txt", NULL};

/* Text is what an input is when nothing else recognises it, so it has
 * neither a sniffer nor extensions. */
const kh_read_backend kh_read_text = {
    .format = KH_FORMAT_TEXT,
    .names = text_names,
    .start = text_start,
};
