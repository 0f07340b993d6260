/*
 * segment.h -- splitting a document's text into sentences.
 *
 * A sentence is a byte range [start, end) into the text that was passed in,
 * so every later offset (tokens, actors, verbs) can be traced back to the
 * document.  Leading and trailing white space is never inside a span, and
 * white-space-only stretches (for instance junk that clean.c blanked out)
 * produce no sentence.
 *
 * A sentence ends:
 *   - at . ! ? or an ellipsis (... or U+2026) that is followed by white space
 *     and then something that can start a sentence (not a lower-case word);
 *     closing quotes and brackets right after the mark belong to the
 *     sentence: `... he said."` ends after the quote;
 *   - at a paragraph break (a blank or white-space-only line), even without
 *     a full stop, so headlines and list items stand alone;
 *   - at a single line break after a line without final punctuation, but
 *     only in "one paragraph per line" text (most line breaks follow a full
 *     stop); in hard-wrapped text (PETRARCH, TABARI, wire copy) a single
 *     line break is just a space.
 * A full stop does not end a sentence after an abbreviation (Mr. Gen. Jan.
 * U.S. e.g. a.m. ...), an initial ("George W. Bush"), inside a number
 * (3.5) or before a lower-case word.  Abbreviations that can also close a
 * sentence (U.S., Inc., a.m.) end one when the next word is a typical
 * sentence opener ("The", "He", ...).
 *
 * The text must be valid UTF-8 (kh_doc text always is); curly quotes,
 * guillemets and U+2026 are understood.  There are no length limits.
 */
#ifndef KH_SEGMENT_H
#define KH_SEGMENT_H

#include <stddef.h>

typedef struct kh_sentence_span {
    size_t start, end;
} kh_sentence_span;

/* Splits text[0, len) into sentences.  *out receives a malloc'd array
 * (free it with free(); NULL when there are no sentences) and the count is
 * returned. */
size_t kh_segment(const char *text, size_t len, kh_sentence_span **out);

/* Iterator form, for callers that code sentence by sentence without an
 * array.  Start with `pos = 0`; each call stores the next sentence and
 * returns 1, or returns 0 at the end.  `line_mode` must come from
 * kh_segment_line_mode() on the same text. */
int kh_segment_next(const char *text, size_t len, size_t *pos, int line_mode,
                    kh_sentence_span *span);

/* 1 when the text is written one paragraph per line (so an unpunctuated
 * line followed by a line break is a headline that ends a sentence), 0 when
 * it is hard-wrapped. */
int kh_segment_line_mode(const char *text, size_t len);

/* Whether the abbreviation and sentence-opener lists are in the order
 * their look-up bisects, each word ending within its row (for the
 * tests). */
int kh_segment_lists_sorted(void);

#endif
