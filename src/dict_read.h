/*
 * dict_read.h -- what the dictionary readers share: a line scanner that
 * strips the peers' comment syntaxes, syntax detection, event-code and
 * date parsing, and per-file reading statistics.
 *
 * The readers themselves are declared here too (kh_dict_read_verbs ...).  Each
 * fills an optional kh_dict_read_stats, for tools and tests that want to
 * know what a file was taken for and how much of it was rejected.
 * dict_load.c chooses the reader for a kind.
 */
#ifndef KH_DICT_READ_H
#define KH_DICT_READ_H

#include "dict.h"

/* What one reader call saw.  All counts are lines of the file. */
typedef struct kh_dict_read_stats {
    kh_syntax syntax;       /* detected from the content */
    long lines;             /* non-blank, non-comment lines looked at */
    long rejected;          /* lines reported as errors and skipped */
    long skipped;           /* lines of sections we do not use (TABARI
                               <NOUN>, <ADJECTIVE>, <TIME>) */
    long entries;           /* entries added (actors, patterns ...) */
} kh_dict_read_stats;

/* The readers.  Each reads one file's text, reports through diag and
 * returns 0, or -1 when nothing could be read from it.  `stats` may be
 * NULL; otherwise it is filled with what the reader saw. */
int kh_dict_read_verbs(kh_dict *dict, const char *name, const char *text,
                  size_t len, kh_diag *diag, kh_dict_read_stats *stats);
int kh_dict_read_actors(kh_dict *dict, const char *name, const char *text,
                   size_t len, kh_diag *diag, kh_dict_read_stats *stats);
int kh_dict_read_agents(kh_dict *dict, const char *name, const char *text,
                   size_t len, kh_diag *diag, kh_dict_read_stats *stats);
int kh_dict_read_discards(kh_dict *dict, const char *name, const char *text,
                     size_t len, kh_diag *diag, kh_dict_read_stats *stats);
int kh_dict_read_issues(kh_dict *dict, const char *name, const char *text,
                   size_t len, kh_diag *diag, kh_dict_read_stats *stats);
int kh_dict_read_ontology(kh_dict *dict, const char *name, const char *text,
                          size_t len, kh_diag *diag, kh_dict_read_stats *stats);

/* Name of a syntax for messages: "TABARI", "PETRARCH-1", "PETRARCH-2". */
const char *kh_syntax_name(kh_syntax syntax);

/* ---- the line scanner ---- */

/* Comment rules applied by the scanner, after the peers' documentation:
 *   <!-- ... -->          anywhere, may span lines (PETRARCH)
 *   # ... and ; ...       to the end of the line, outside [...] so that
 *                         the codes [###] stay intact (PETRARCH, TABARI)
 *   a line starting with / is a comment (TABARI)
 * Lines are trimmed; blank lines are not returned. */
typedef struct kh_line {
    const char *text;       /* the line without comments, trimmed; points
                               into the scanner's buffer, valid until the
                               next call */
    size_t len;
    long number;            /* 1-based line number in the file */
    int indented;           /* the raw line began with a blank or tab */
} kh_line;

/* The bytes that open a comment ("#", ";", "<!--") and NUL: a line with
 * none of them, outside a <!-- --> comment, is kept as it is. */
enum { KH_COMMENT_OPENERS = 4 };

typedef struct kh_scanner {
    const char *p, *end;
    long number;            /* number of the line last returned */
    int in_comment;         /* inside <!-- ... --> */
    char *buf;              /* the current line, comments removed */
    size_t cap;
    /* Where each opener next occurs, at or after the line being read
     * (end if nowhere): looked for again only once the scan passed it. */
    const char *next_opener[KH_COMMENT_OPENERS];
} kh_scanner;

/* The first byte of [p, end) that a comment rule turns on -- '<', '[',
 * ']', '#', ';' or NUL -- or end.  For readers that look ahead at the raw
 * text (syntax detection) without the scanner. */
const char *kh_next_comment_mark(const char *p, const char *end);

void kh_scanner_init(kh_scanner *s, const char *text, size_t len);
void kh_scanner_free(kh_scanner *s);
/* Next non-blank line: 1, or 0 at the end of the text. */
int kh_scanner_next(kh_scanner *s, kh_line *line);

/* True if the line is the TABARI end marker ~FINISH (or ~~FINISH). */
int kh_line_is_finish(const kh_line *line);

/* The name of the section a line opens ("<NOUN>" gives "NOUN", however
 * long): sets *name into the line and returns its length, or returns 0 if
 * the line opens none.  "<!...>" is a declaration or a broken comment
 * ("<! -- ... -->"), never a section. */
size_t kh_line_section_tag(const kh_line *line, const char **name);

/* ---- codes and dates ---- */

/* Parses an event code as written between [ and ]: "042", "- - -",
 * "032:033", ":173", "075A", "023?" (subordinate) and "111!" (dominant).
 * The ? and ! markers become flags.  Returns 0, KH_CODE_MALFORMED, or
 * KH_CODE_TOO_LONG for a code (or half of a pair) longer than
 * KH_MAX_EVENT_CODE. */
enum { KH_CODE_MALFORMED = -1, KH_CODE_TOO_LONG = -2 };
int kh_event_code_parse(const char *text, size_t len, kh_code *out);

/* Parses a TABARI/PETRARCH date between blanks: YYMMDD or YYYYMMDD, read
 * by date.h (two-digit years by KH_DATE_YY_PIVOT, real month lengths).
 * Returns YYYYMMDD, or -1. */
long kh_dict_date_parse(const char *text, size_t len);

/* Upper-cases ASCII letters in place (other bytes are kept). */
void kh_upper_ascii(char *s, size_t len);

/* A copy of s[0, len) in the dictionary's arena, ASCII letters upper-cased
 * on the way (names, words and codes are matched without regard to case):
 * one pass, where kh_dict_intern and kh_upper_ascii would take two. */
const char *kh_dict_intern_upper(kh_dict *dict, const char *s, size_t len);

/* Trims blanks and tabs on both sides of [*text, *text + *len). */
/* Whether text[0, len) has a letter or digit (any non-ASCII byte counts):
 * a phrase without one ("%%%$$$", ")))(((") is garbage, not a name. */
int kh_has_word(const char *text, size_t len);

void kh_trim(const char **text, size_t *len);

#endif
