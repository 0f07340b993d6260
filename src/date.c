/*
 * date.c -- calendar dates as YYYYMMDD and as day numbers.  See date.h.
 */
#include "date.h"

int kh_date_is_leap(long year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int kh_date_days_in_month(long year, int month)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12)
        return 0;
    return month == 2 ? 28 + kh_date_is_leap(year) : days[month - 1];
}

long kh_date_make(long year, long month, long day)
{
    if (year < KH_DATE_MIN_YEAR || year > KH_DATE_MAX_YEAR || month < 1 || month > 12)
        return 0;
    if (day < 1 || day > kh_date_days_in_month(year, (int)month))
        return 0;
    return year * 10000 + month * 100 + day;
}

int kh_date_valid(long ymd)
{
    return ymd > 0 && kh_date_make(ymd / 10000, ymd / 100 % 100, ymd % 100) == ymd;
}

long kh_date_full_year(long year)
{
    if (year < 0 || year > 99)
        return year;
    return year + (year <= KH_DATE_YY_PIVOT ? 2000 : 1900);
}

/* Hinnant's days_from_civil: the year is counted from March so that the
 * leap day is the last day of the year, and eras of 400 years repeat. */
long kh_date_days(long year, int month, int day)
{
    year -= month <= 2;
    long era = (year >= 0 ? year : year - 399) / 400;
    long yoe = year - era * 400;
    long doy = (153L * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

long kh_date_to_days(long ymd)
{
    return kh_date_days(ymd / 10000, (int)(ymd / 100 % 100), (int)(ymd % 100));
}

/* Hinnant's civil_from_days, the inverse of kh_date_days. */
long kh_date_from_days(long days)
{
    days += 719468;
    long era = (days >= 0 ? days : days - 146096) / 146097;
    long doe = days - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long year = yoe + era * 400;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    long day = doy - (153 * mp + 2) / 5 + 1;
    long month = mp < 10 ? mp + 3 : mp - 9;
    year += month <= 2;
    return year * 10000 + month * 100 + day;
}

int kh_date_weekday(long days)
{
    return (int)(days >= -4 ? (days + 4) % 7 : (days + 5) % 7 + 6);
}

long kh_date_add_days(long ymd, long days)
{
    if (!kh_date_valid(ymd))
        return 0;
    return kh_date_from_days(kh_date_to_days(ymd) + days);
}

int kh_date_day_of_year(long ymd)
{
    if (!kh_date_valid(ymd))
        return 0;
    long year = ymd / 10000;
    return (int)(kh_date_to_days(ymd) - kh_date_days(year, 1, 1)) + 1;
}

int kh_date_format_iso(long ymd, char out[KH_DATE_ISO_SIZE])
{
    out[0] = 0;
    if (!kh_date_valid(ymd))
        return -1;
    long y = ymd / 10000, m = ymd / 100 % 100, d = ymd % 100;
    for (int i = 3; i >= 0; i--, y /= 10)
        out[i] = (char)('0' + y % 10);
    out[4] = '-';
    out[5] = (char)('0' + m / 10);
    out[6] = (char)('0' + m % 10);
    out[7] = '-';
    out[8] = (char)('0' + d / 10);
    out[9] = (char)('0' + d % 10);
    out[10] = 0;
    return 0;
}

/* `count` digits at *s as a number (advancing *s), or -1. */
static long read_digits(const char **s, int count)
{
    long v = 0;
    for (int i = 0; i < count; i++, (*s)++) {
        if (**s < '0' || **s > '9')
            return -1;
        v = v * 10 + (**s - '0');
    }
    return v;
}

long kh_date_parse(const char *s)
{
    if (!s)
        return 0;
    while (*s == ' ' || *s == '\t')
        s++;
    long y = read_digits(&s, 4), m, d;
    if (y < 0)
        return 0;
    if (*s == '-' || *s == '/' || *s == '.') {
        char sep = *s++;
        m = read_digits(&s, 2);
        if (m < 0 || *s++ != sep)
            return 0;
        d = read_digits(&s, 2);
    } else {
        m = read_digits(&s, 2);
        d = read_digits(&s, 2);
    }
    if (m < 0 || d < 0 || (*s >= '0' && *s <= '9'))
        return 0;
    return kh_date_make(y, m, d);
}

long kh_date_parse_digits(const char *s, size_t len)
{
    if (len != 6 && len != 8)
        return 0;
    const char *p = s;
    long v = read_digits(&p, (int)len);
    if (v < 0)
        return 0;
    long year = len == 6 ? kh_date_full_year(v / 10000) : v / 10000;
    return kh_date_make(year, v / 100 % 100, v % 100);
}
