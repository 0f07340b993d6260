/*
 * normalize.h -- making input text valid UTF-8 in NFC (normalize.c).
 *
 * Invalid bytes are read as Windows-1252 (undefined ones become U+FFFD);
 * NUL and other control bytes become spaces; CR LF and lone CR become LF.
 * Valid UTF-8 is never changed except by NFC.
 */
#ifndef KH_NORMALIZE_H
#define KH_NORMALIZE_H

#include <stddef.h>

/* Makes text valid NFC UTF-8 as described above (normalize.h).  Returns a new
 * NUL-terminated buffer (length in *out_len) and adds to the counters when
 * they are not NULL. */
char *kh_text_normalize(const char *text, size_t len, size_t *out_len,
                        size_t *repaired, size_t *controls);

/* The same for a piece of a longer text: a byte order mark is kept, as it
 * is only dropped at the very start.  Pieces cut where read_stream.c cuts
 * them (after a line break, or between two ASCII bytes that are not CR
 * LF) normalise to the pieces of the whole's normalisation. */
char *kh_text_normalize_part(const char *text, size_t len, size_t *out_len,
                             size_t *repaired, size_t *controls);

/* Whether text[0, len) is what kh_text_normalize_part would make of it:
 * valid UTF-8 without CR or control bytes, in code points NFC leaves as
 * they are.  A quick, conservative check: 0 means "normalise it", not
 * that it is not NFC. */
int kh_text_is_normal(const char *text, size_t len);

#endif
