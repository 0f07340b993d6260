/*
 * date.h -- calendar dates, the one date module of the project.
 *
 * A date is a long holding YYYYMMDD (20110327), the form every input,
 * dictionary and output of the project uses; 0 means "no date".  For
 * arithmetic a date becomes a day number, the days since 1970-01-01
 * (Howard Hinnant's "chrono-Compatible Low-Level Date Algorithms"), which
 * is exact for the proleptic Gregorian calendar and never goes through
 * mktime, so neither the time zone nor the C library's locale can change
 * a result.
 *
 * Every reader of dates (documents, dictionaries, records, text, outputs)
 * validates through kh_date_make / kh_date_valid, so one rule decides what
 * a date is: a year in [KH_DATE_MIN_YEAR, KH_DATE_MAX_YEAR], a month in
 * 1..12 and a day that the month really has (no February 30).
 *
 * Two-digit years (TABARI's YYMMDD, PETRARCH-1 dictionaries) follow
 * TABARI's manual: 00 through KH_DATE_YY_PIVOT are 2000-20YY, the rest
 * 19YY.
 *
 * All functions are pure; none keeps state.
 */
#ifndef KH_DATE_H
#define KH_DATE_H

#include "khaldun.h"

#include <stddef.h>

/* The years a date may have.  The earliest news archives coders are run
 * on (digitised 19th-century newspapers) start after 1800; a year past
 * 2199 in a news feed is a typo or an identifier, not a date. */
#define KH_DATE_MIN_YEAR 1800
#define KH_DATE_MAX_YEAR 2199

/* Two-digit years 00..KH_DATE_YY_PIVOT are 20YY, the others 19YY: the
 * TABARI manual's rule ("years 00 through 30 are assumed to be 2000
 * through 2030"), which PETRARCH-1 dictionaries follow too. */
#define KH_DATE_YY_PIVOT 30

/* Bytes of "YYYY-MM-DD" with its NUL. */
#define KH_DATE_ISO_SIZE 11

int kh_date_is_leap(long year);

/* Days in month `month` (1-12) of `year`; 0 for a month out of range. */
int kh_date_days_in_month(long year, int month);

/* YYYYMMDD for a valid calendar date in the supported years, else 0. */
long kh_date_make(long year, long month, long day);

/* kh_date_valid (1 when `ymd` is a valid YYYYMMDD date, kh_date_make's
 * rule) and kh_date_parse are public: khaldun.h. */

/* A two-digit year as a full one (KH_DATE_YY_PIVOT); years of more digits
 * are returned unchanged. */
long kh_date_full_year(long year);

/* Day numbers: days since 1970-01-01, negative before.  kh_date_days
 * takes any year, month and day (the day may overflow its month:
 * Jan 32 = Feb 1), which calendar arithmetic relies on. */
long kh_date_days(long year, int month, int day);
long kh_date_to_days(long ymd);      /* YYYYMMDD -> day number */
long kh_date_from_days(long days);   /* day number -> YYYYMMDD */

/* A POSIX time divided by this is its day number (time_t counts no leap
 * seconds). */
#define KH_SECONDS_PER_DAY 86400L
int kh_date_weekday(long days);      /* 0 = Sunday */

/* `ymd` moved by `days` (negative: back); 0 when ymd is not valid. */
long kh_date_add_days(long ymd, long days);

/* Day of the year, 1-366; 0 when ymd is not valid. */
int kh_date_day_of_year(long ymd);

/* "YYYY-MM-DD" in out; returns 0, or -1 (and out = "") when `ymd` is 0 or
 * not valid. */
int kh_date_format_iso(long ymd, char out[KH_DATE_ISO_SIZE]);

/* kh_date_parse (khaldun.h) reads the dates metadata carries:
 * "1995-01-01", "1995/01/01", "1995.01.01" or "19950101", which may be
 * followed by anything but a digit (a time: "1995-01-01T10:00:00Z"). */

/* Parses exactly `len` digits as YYMMDD (6) or YYYYMMDD (8), the form
 * TABARI records and dictionaries use.  Returns YYYYMMDD, or 0 when the
 * text is not one of those or not a valid date. */
long kh_date_parse_digits(const char *s, size_t len);

#endif
