/*
 * when.h -- the date an event happened, resolved against the article date.
 *
 * A news sentence dates its events with expressions such as "on Tuesday",
 * "last week", "on March 29", "in December 2017" or "since September 2015".
 * This module finds them, turns each into a YYYYMMDD value using the
 * article's date as the anchor, and picks the one that governs an event's
 * verb.  Calendar arithmetic is done on day numbers (date.h, Howard Hinnant's
 * days-from-civil algorithm), never with mktime, so time zones and the C
 * locale cannot change a result.
 *
 * Decisions (each is what an analyst counting events by day would want):
 *   - A weekday ("on Tuesday", "Tuesday's attack", "Sunday night") is the
 *     most recent such day on or before the article date: news reports
 *     past events, and a weekday equal to the article's is the article day.
 *     "last Tuesday" is strictly before; "next Tuesday" strictly after.
 *   - "last week" is the article date minus 7 days; "yesterday" minus 1;
 *     "last night" minus 1 (a morning paper's "last night" is the evening
 *     before); "N days/weeks/months/years ago" subtracts.
 *   - Month or year precision ("in December 2017", "last month", "in 2011",
 *     "earlier this month") resolves to the first day of the period; the
 *     period's last day is kept too (kh_date_match.last) and is what the
 *     historical test uses.
 *   - A day or month without a year ("on March 29", "in December") takes the
 *     article's year, or the year before when that would put it more than
 *     KH_WHEN_FUTURE_SLACK_DAYS after the article date.  Its source is
 *     KH_DATE_EXPLICIT: the text names the calendar day, only the year is
 *     inferred.  Weekdays and "last ..." / "... ago" are KH_DATE_RELATIVE.
 *   - kh_when_resolve looks ahead instead for an event flagged
 *     KH_EVENT_FUTURE ("will meet on Tuesday"): the weekday on or after the
 *     article date, and a month-day more than the slack before the article
 *     is next year's.  Explicit "last"/"next" keep their own direction.
 *     A weekday that dates a past report of the future event ("Russia will
 *     attack, the Kremlin said on Friday": said, told, announced, ...) is
 *     the report's, so it looks back.
 *   - "Since September 2015" dates the start of a state that lasts until
 *     the article, so it is never historical.
 *   - Bare "May" and "March" are months only when capitalised ("may 5" is
 *     a modal verb, "march 5 miles" a verb); every other word is matched
 *     case-insensitively.  Abbreviated weekdays ("Sat.", "Wed.") need the
 *     capital and the period for the same reason.
 *   - A bare year or bare month needs a preposition ("in 2011", "since May",
 *     "during 2014"): "2011 troops" is a number.  Numbers that are part of a
 *     larger number or a time ("2,000", "10:30", "3.5") are never dates.
 */
#ifndef KH_WHEN_H
#define KH_WHEN_H

#include <stddef.h>
#include "khaldun.h"
#include "lexicon.h"

/* Events whose dated period ended more than this many days before the
 * article are background ("after the U.S. invaded in 2003"), not news.  A
 * month covers the follow-up reporting of an event (inquiries, funerals,
 * reactions are still about "current" events); older dates in news copy
 * are almost always context. */
#define KH_WHEN_HISTORICAL_DAYS 30

/* A month-day without a year may lie this far after the article date and
 * still take the article's year: announced events of the coming week
 * ("talks on March 20" in a March 15 article) are common; beyond a week a
 * past-tense report means last year's date. */
#define KH_WHEN_FUTURE_SLACK_DAYS 7

/* How many words may stand between a past verb of reporting and the
 * weekday it dates: "said on Friday" is 0, "told reporters on Friday" 1,
 * "told a news conference on Friday" 3.  Further back the weekday belongs
 * to another verb. */
#define KH_WHEN_REPORT_REACH 4

/* Years outside this range are not event dates in news text ("in 2500
 * words", "in 1000 villages"): the earliest plausible historical reference
 * and the latest plausible plan. */
#define KH_WHEN_MIN_YEAR 1800
#define KH_WHEN_MAX_YEAR 2099

/* One date expression found in a text. */
typedef struct kh_date_match {
    size_t start, end;  /* byte range of the expression, prepositions included */
    long date;          /* YYYYMMDD, first day of the period */
    long last;          /* YYYYMMDD, last day of the period (== date for days) */
    int source;         /* KH_DATE_EXPLICIT or KH_DATE_RELATIVE */
    int precision;      /* kh_date_precision (khaldun.h) */
    int since;          /* "since ...": a state lasting until the article */
} kh_date_match;

/* Resolves one date expression at the start of text[0..len).  article_date
 * is YYYYMMDD, or 0 when unknown (then only expressions that name a full
 * date resolve).  Leading spaces are skipped.  Returns the number of bytes
 * the expression covers (> 0) and sets *date and *source, or returns 0 and
 * leaves them alone when the text does not start with a date expression. */
int kh_date_expression(const char *text, size_t len, long article_date,
                       long *date, int *source);

/* The same with everything that is known about the match (m->start is the
 * offset of the expression after skipped spaces).  Returns 1 or 0. */
int kh_date_match_at(const char *text, size_t len, long article_date,
                     kh_date_match *m);

/* Finds the date expression that governs the event whose verb is at
 * e->verb_span in `sentence` (the nearest one in the verb's clause: after
 * the verb first, then before it), and sets e->event_date and
 * e->date_source: KH_DATE_EXPLICIT or KH_DATE_RELATIVE when one is found,
 * else KH_DATE_ARTICLE with the article date, or KH_DATE_NONE and 0 when
 * article_date is 0.  Sets KH_EVENT_HISTORICAL in e->flags when the dated
 * period ended more than KH_WHEN_HISTORICAL_DAYS before the article.  When
 * the verb span is unknown (-1) the first date in the sentence is used. */
void kh_when_resolve(const char *sentence, size_t len, long article_date,
                     kh_event *e);

/* The same for all the events of one sentence, whose tokens (the
 * coder's, with their lexicon words) are searched for date expressions
 * once instead of once per event:
 *
 *     kh_when *w = kh_when_new();          -- one per thread, reused
 *     kh_when_sentence(w, &sentence, article_date);
 *     for each event e of the sentence: kh_when_event(w, e);
 *     kh_when_free(w);
 *
 * kh_when_event does what kh_when_resolve does.  kh_when_sentence keeps
 * what it needs of the tokens, so they may change after it returns; the
 * sentence's text must stay valid until the next kh_when_sentence. */
typedef struct kh_when kh_when;

kh_when *kh_when_new(void);
void kh_when_free(kh_when *w);
void kh_when_sentence(kh_when *w, const kh_lex_sentence *sentence, long article_date);
void kh_when_event(kh_when *w, kh_event *e);

#endif
