/*
 * quote.h -- quotations, who said them and the verb that introduced them.
 *
 * kh_quotes_find scans a whole document (not one sentence: quotations run
 * across sentences and paragraphs) for text between quotation marks and
 * attributes each quotation, the way GDELT's quotation field does:
 *
 *     "We will not give up," the minister said.         speaker before verb
 *     "We will not give up," said Ali Khamenei.          verb before speaker
 *     The chairman asked: "Who approved this?"           attribution first
 *     "Talks are over", according to the spokesman.      according to
 *     "We won," he said. "Now we rebuild."               second quote inherits
 *     He said: "We won.  (blank line)  "Now we rebuild." continuation paragraph
 *
 * Marks: straight " and curly “ ” (one family: they may be mixed), curly
 * single ‘ ’ (’ between two letters is an apostrophe), and « ».  Straight
 * single quotes are not quotation marks here: in news text they are
 * apostrophes far more often than quotes.  Indirect speech ("he said that
 * the talks failed") has no marks and is not a quotation.
 *
 * Paragraphs: when the document has blank lines, a paragraph ends at a
 * blank line (hard-wrapped text keeps its quotes); otherwise at every
 * newline.  A quotation still open at the end of a paragraph continues
 * only when the next paragraph opens with a mark of the same family (the
 * news convention for multi-paragraph quotes); otherwise the mark was
 * unbalanced and nothing is reported for it.  A quotation is also dropped
 * when it grows past KH_QUOTE_MAX_BYTES (kh_limits.h).  The scan is
 * linear: no mark is looked at twice, so a stray mark cannot make the rest
 * of the document a quotation nor make the scan quadratic.
 */
#ifndef KH_QUOTE_H
#define KH_QUOTE_H

#include "kh_limits.h"

#include <stddef.h>

/* How many words after a closing mark (or before an opening one) are
 * searched for the attribution: "..., the foreign minister of Iran, Hossein
 * Amir-Abdollahian, said" is about as long as they get; farther away a
 * reporting verb belongs to another statement. */
#define KH_QUOTE_ATTRIBUTION_WORDS 16

/* The longest speaker phrase taken: a title, a name and an "of" phrase. */
#define KH_QUOTE_SPEAKER_WORDS 8

typedef struct kh_quote {
    size_t start, end;                 /* the quoted text, inside the marks:
                                          byte offsets into the document */
    size_t speaker_start, speaker_end; /* the speaker phrase as written ("he",
                                          "the minister"); both 0 if none */
    size_t ref_start, ref_end;         /* for a pronoun speaker, the name it
                                          refers to (an earlier speaker, else
                                          the last name in the text); for
                                          others equal to the speaker; 0 if
                                          unknown */
    size_t verb_start, verb_end;       /* the reporting verb; both 0 if none */
    char *verb;                        /* its lemma ("warn", "say",
                                          "according to"), or NULL */
    int continued;                     /* continues the previous quotation
                                          into a new paragraph */
    int inherited;                     /* speaker and verb were taken from the
                                          quotation before it */
} kh_quote;

/* Finds the quotations in text[0..len) in document order.  *out is a
 * malloc'd array (NULL when none are found) to be released with
 * kh_quotes_free.  Returns the count. */
size_t kh_quotes_find(const char *text, size_t len, kh_quote **out);

void kh_quotes_free(kh_quote *q, size_t n);

/* The first quotation that overlaps the byte range [start, end) of the
 * same document, or NULL: how the enricher attaches a quote to an event
 * whose sentence lies inside it.  quotes must be in document order, as
 * kh_quotes_find returns them; O(log n). */
const kh_quote *kh_quote_at(const kh_quote *quotes, size_t n, size_t start, size_t end);

#endif
