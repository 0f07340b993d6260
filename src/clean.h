/*
 * clean.h -- removing web boilerplate from article text, and the dateline.
 *
 * Scraped articles carry lines that are not news: comment-form prompts,
 * "Read more" links, share and subscribe bars, bylines, relative time
 * stamps ("3 months ago"), menus.  If they reach the coder they become
 * false events, so they are removed here -- by blanking them with spaces,
 * never by deleting bytes: every offset into the cleaned text is the same
 * offset into the original document text, and line breaks are kept.
 *
 * The rules are general, not a list of phrases.  A line is junk when it is
 *   - a menu: several short items split by | • · » or similar;
 *   - mostly numbers and time words ("3 months ago 11", "Updated 10:45 GMT");
 *   - a byline or staff blurb ("By Jane Doe, Staff Writer",
 *     "(Reporting by ...; Editing by ...)");
 *   - a short call to the reader (starts with a word like Click, Share,
 *     Please, Read, Follow; or speaks to "you" outside quotation marks);
 *   - short, without final punctuation and without any verb-like word
 *     ("ARTICLE AD BOX", "Back to top button"), or one of a run of such
 *     very short lines (a navigation list);
 *   - a short line that is repeated elsewhere in the document.
 * Hard-wrapped prose paragraphs (wire copy) are recognised and left alone,
 * and so is a text of a single line (PETRARCH and TABARI records, which the
 * reader flattens to one line).
 */
#ifndef KH_CLEAN_H
#define KH_CLEAN_H

#include "khaldun.h"

#include <stddef.h>

typedef struct kh_clean_stats {
    size_t lines_blanked;     /* junk lines replaced by spaces */
    size_t bytes_blanked;     /* bytes replaced by spaces */
} kh_clean_stats;

/* Blanks junk lines of text[0, len) in place.  Returns the number of lines
 * blanked; adds to *stats when it is not NULL. */
size_t kh_clean_text(char *text, size_t len, kh_clean_stats *stats);

/* A dateline: "TEHRAN (Defapress) -", "MOSCOW, April 3 (Reuters) -",
 * "KYIV, Ukraine (AP) —", "WASHINGTON —", "Washington (CNN) --". */
typedef struct kh_dateline {
    size_t start;      /* first byte of the dateline */
    size_t body;       /* first byte of the text after the dash */
    char *place;       /* "TEHRAN", "KYIV, Ukraine" (malloc'd) */
    char *outlet;      /* "Reuters", or NULL (malloc'd) */
    int month, day;    /* "Jan 12": 1, 12; 0 when the dateline has no date */
    long year;         /* "Jan. 5, 2024": 2024; 0 when it names none */
} kh_dateline;

/* Looks for a dateline at text[at] (after white space).  Returns 1 and
 * fills *d (release with kh_dateline_free), or 0. */
int kh_dateline_at(const char *text, size_t len, size_t at, kh_dateline *d);

/* Looks for a dateline at the start of each of the first few non-blank
 * lines of the text. */
int kh_dateline_find(const char *text, size_t len, kh_dateline *d);

void kh_dateline_free(kh_dateline *d);

/* The date of a dateline's month and day ("ADDIS ABABA, Jan 12 (Reuters)
 * -") as YYYYMMDD, or 0 when the text's dateline has none.  A dateline
 * that names no year takes the latest year that puts the day no more than
 * KH_DATELINE_AHEAD_DAYS after `reference` (YYYYMMDD: when the document
 * was known to exist, e.g. its file's modification date): a story is
 * filed before it is saved.  Without a year and a reference it is 0. */
long kh_dateline_date(const char *text, size_t len, long reference);

/* Cleans doc->text in place (kh_clean_text), then finds the dateline: sets
 * doc->place, and doc->source when it is unset, and blanks the dateline
 * itself so the place and outlet names are not coded as actors.  Later
 * datelines (a digest of wire stories: a line or a sentence that starts
 * "KABUL, Jan 3 (AFP) -") are blanked too when they have an outlet or a
 * date.  Returns the offset where the body starts (0 when there is no
 * first dateline). */
size_t kh_clean_doc(kh_doc *doc, kh_clean_stats *stats);

/* The first full date in the first KH_DATE_SCAN_BYTES of the text, as
 * YYYYMMDD: "2024-04-03", "April 3, 2024", "Apr. 3, 2024", "3 April 2024".
 * 0 when there is none. */
long kh_find_date(const char *text, size_t len);

#endif
