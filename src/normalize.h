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

#endif
