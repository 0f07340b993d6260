/*
 * read_stream.c -- the text of one input as its backend asks for it (see
 * read_format.h): a line, a block, or the whole, each normalised as it is
 * handed out, over a kh_source read a block at a time.
 *
 * Normalising (normalize.h) is local: a line break or a pair of ASCII
 * bytes ends whatever UTF-8 sequence, repair or NFC composition came
 * before it, so the input can be cut there and each piece normalised on
 * its own with the result the whole would have had.  Pieces that are
 * already normal (kh_text_is_normal: most wire text) are handed out where
 * they lie in the read buffer, without a copy.
 */
#include "read_format.h"
#include "read_source.h"
#include "kh_limits.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* Raw bytes read at a time, and the read buffer's starting size. */
#define STREAM_BLOCK 65536

struct kh_read_stream {
    kh_source *src;
    char *buf;                 /* raw bytes; buf[start, end) not yet used */
    size_t start, end, cap;
    int ended;                 /* the source has nothing after buf[end] */
    int failed;                /* ... because it broke (reported) */
    char *owned;               /* a normalised copy handed out */
    const char *piece;         /* block mode: piece[pos, len) not handed out */
    size_t piece_pos, piece_len;
    kh_read_buffer whole;      /* kh_read_whole's text */
};

kh_read_stream *kh_read_stream_new(kh_source *src)
{
    kh_read_stream *st = kh_xcalloc(1, sizeof *st);
    st->src = src;
    st->cap = STREAM_BLOCK;
    st->buf = kh_xmalloc(st->cap);
    return st;
}

void kh_read_stream_free(kh_read_stream *st)
{
    if (!st)
        return;
    kh_source_free(st->src);
    free(st->buf);
    free(st->owned);
    free(st->whole.data);
    free(st);
}

/* Reports the source's failure: a corrupt compressed stream (with how
 * far it got) or a read error. */
static void report_failure(kh_read_input *in)
{
    kh_source *src = in->stream->src;
    if (kh_source_corrupt(src))
        kh_read_skip(in, KH_READ_CORRUPT, 0, "%s (%zu bytes decompressed)",
                     kh_source_error(src), kh_source_total(src));
    else
        kh_read_skip(in, KH_READ_UNREADABLE, 0, "cannot read: %s",
                     kh_source_error(src));
}

/* Reads more raw bytes after buf[end], first moving the unused ones to
 * the front and, when they fill the buffer, doubling it (the callers
 * bound how far).  Returns 1 when bytes came, 0 at the end (a failure is
 * reported then, once). */
int kh_read_stream_more(kh_read_input *in)
{
    kh_read_stream *st = in->stream;
    if (st->ended)
        return 0;
    if (st->start > 0) {
        memmove(st->buf, st->buf + st->start, st->end - st->start);
        st->end -= st->start;
        st->start = 0;
    }
    if (st->end == st->cap) {
        st->cap *= 2;
        st->buf = kh_xrealloc(st->buf, st->cap);
    }
    size_t room = st->cap - st->end;
    ssize_t n = kh_source_read(st->src, st->buf + st->end,
                               room < STREAM_BLOCK ? room : STREAM_BLOCK);
    if (n > 0) {
        st->end += (size_t)n;
        return 1;
    }
    st->ended = 1;
    if (n < 0) {
        st->failed = 1;
        report_failure(in);
    }
    return 0;
}

void kh_read_stream_raw(const kh_read_input *in, const char **d, size_t *n)
{
    kh_read_stream *st = in->stream;
    *d = st->buf + st->start;
    *n = st->end - st->start;
}

int kh_read_stream_ended(const kh_read_input *in)
{
    return in->stream->ended;
}

int kh_read_stream_failed(const kh_read_input *in)
{
    return in->stream->failed;
}

int kh_read_stream_ready(const kh_read_input *in)
{
    return in->stream->ended || kh_source_ready(in->stream->src);
}

void kh_read_stream_drop_bom(kh_read_input *in)
{
    kh_read_stream *st = in->stream;
    if (st->end - st->start >= 3 && !memcmp(st->buf + st->start, "\xEF\xBB\xBF", 3))
        st->start += 3;
}

/* text[0, n) normalised: itself when it is already, else a copy that
 * lives until the next piece or line is handed out. */
static const char *normalised(kh_read_input *in, const char *text, size_t n,
                              size_t *out_len)
{
    kh_read_stream *st = in->stream;
    free(st->owned);
    st->owned = NULL;
    if (kh_text_is_normal(text, n)) {
        *out_len = n;
        return text;
    }
    kh_read_stats *stats = kh_read_stats_of(in);
    st->owned = kh_text_normalize_part(text, n, out_len, &stats->bytes_repaired,
                                       &stats->controls_replaced);
    return st->owned;
}

/* ---- lines ---- */

/* The first line break in buf[from, end), or end. */
static size_t find_break(const kh_read_stream *st, size_t from)
{
    if (from >= st->end)
        return st->end;
    /* memchr, twice, is many bytes an instruction: most lines end in LF
     * and hold no CR before it. */
    const char *d = st->buf + from;
    const char *lf = memchr(d, '\n', st->end - from);
    size_t upto = lf ? (size_t)(lf - d) : st->end - from;
    const char *cr = memchr(d, '\r', upto);
    return from + (cr ? (size_t)(cr - d) : upto);
}

/* Past a line break at buf[i]: CR LF is one.  -1 when a CR is the last
 * byte read and the next, not read yet, may be its LF. */
static long past_break(kh_read_stream *st, size_t i)
{
    if (st->buf[i] == '\n')
        return (long)i + 1;
    if (i + 1 < st->end)
        return (long)i + 1 + (st->buf[i + 1] == '\n');
    return st->ended ? (long)i + 1 : -1;
}

/* Reports the line at buf[start] as longer than KH_MAX_LINE_BYTES, and
 * reads on, dropping bytes, past its end. */
static void skip_long_line(kh_read_input *in)
{
    kh_read_stream *st = in->stream;
    kh_read_skip(in, KH_READ_MALFORMED, in->line,
                 "line longer than " KH_LIMIT_TEXT(KH_MAX_LINE_BYTES)
                 " bytes; skipped");
    for (;;) {
        size_t i = find_break(st, st->start);
        long past = i < st->end ? past_break(st, i) : -1;
        if (past >= 0) {
            st->start = (size_t)past;
            break;
        }
        st->start = i;                  /* keep only a CR that may pair */
        if (!kh_read_stream_more(in))
            break;
    }
    in->line++;
}

int kh_read_next_line(kh_read_input *in, const char **s, size_t *n)
{
    kh_read_stream *st = in->stream;
    size_t scanned = st->start, b;
    long past;
    for (;;) {
        b = find_break(st, scanned);
        past = b < st->end ? past_break(st, b) : -1;
        if (past >= 0)
            break;
        if (b - st->start >= KH_MAX_LINE_BYTES) {
            skip_long_line(in);
            scanned = st->start;
            continue;
        }
        size_t offset = b - st->start;
        if (!kh_read_stream_more(in)) {
            if (st->start == st->end || st->failed)
                return 0;          /* a broken input's last line is cut */
            b = st->end;
            past = (long)b;
            break;
        }
        scanned = st->start + offset;     /* the buffer may have moved */
    }
    *s = normalised(in, st->buf + st->start, b - st->start, n);
    st->start = (size_t)past;
    in->line++;
    return 1;
}

int kh_read_line_was_normal(const kh_read_input *in)
{
    return in->stream->owned == NULL;
}

/* ---- blocks ---- */

/* Where buf[start, end) may be cut: after its last LF, else between its
 * last two ASCII bytes that are not CR LF; 0 when nowhere. */
static size_t cut_point(const kh_read_stream *st)
{
    const char *d = st->buf + st->start;
    size_t n = st->end - st->start;
    for (size_t i = n; i > 0; i--)
        if (d[i - 1] == '\n')
            return i;
    for (size_t i = n - (n > 0); i > 0; i--) {
        unsigned char a = (unsigned char)d[i - 1], b = (unsigned char)d[i];
        if (a < 0x80 && b < 0x80 && !(a == '\r' && b == '\n'))
            return i;
    }
    return 0;
}

/* Past a run of non-ASCII text as long as a line may be: cut before a
 * UTF-8 lead byte, risking only an NFC mark that would have composed. */
static size_t forced_cut(const kh_read_stream *st)
{
    size_t n = st->end - st->start, p = n - 1;
    while (p > 0 && ((unsigned char)st->buf[st->start + p] & 0xC0) == 0x80)
        p--;
    return p > 0 ? p : n;
}

/* Normalises the next piece of the input into st->piece.  Returns 0 at
 * the end. */
static int next_piece(kh_read_input *in)
{
    kh_read_stream *st = in->stream;
    size_t cut;
    for (;;) {
        if (st->ended && st->start < st->end) {
            cut = st->end - st->start;
            break;
        }
        if ((cut = cut_point(st)) > 0)
            break;
        if (st->end - st->start >= KH_MAX_LINE_BYTES) {
            cut = forced_cut(st);
            break;
        }
        if (!kh_read_stream_more(in) && st->start == st->end)
            return 0;
    }
    st->piece = normalised(in, st->buf + st->start, cut, &st->piece_len);
    st->piece_pos = 0;
    st->start += cut;
    return 1;
}

size_t kh_read_block(kh_read_input *in, char *buf, size_t cap)
{
    kh_read_stream *st = in->stream;
    while (st->piece_pos == st->piece_len)
        if (!next_piece(in))
            return 0;
    size_t n = st->piece_len - st->piece_pos;
    if (n > cap)
        n = cap;
    memcpy(buf, st->piece + st->piece_pos, n);
    st->piece_pos += n;
    return n;
}

int kh_read_whole(kh_read_input *in, const char **s, size_t *n)
{
    kh_read_stream *st = in->stream;
    kh_read_buffer *w = &st->whole;
    w->len = 0;
    kh_read_buffer_add(w, "", 0);
    while (next_piece(in)) {
        if (w->len + st->piece_len > KH_MAX_DOCUMENT_BYTES) {
            kh_read_skip(in, KH_READ_MALFORMED, 0,
                         "larger than " KH_LIMIT_TEXT(KH_MAX_DOCUMENT_BYTES)
                         " bytes; not read");
            return 0;
        }
        kh_read_buffer_add(w, st->piece, st->piece_len);
    }
    st->piece_pos = st->piece_len = 0;
    if (st->failed)
        return 0;
    *s = w->data;
    *n = w->len;
    return 1;
}
