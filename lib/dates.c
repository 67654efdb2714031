/* dates.c - a note's date, and the dates a query names (see dates.h). */
#include "mlsearch/dates.h"

#include <stdio.h>
#include <string.h>

/* The value of the `width` digits at `s` (all there, in the `n` bytes),
 * or -1. */
static int digits(const char *s, size_t n, size_t width)
{
    int v = 0;
    if (n < width)
        return -1;
    for (size_t i = 0; i < width; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

static int days_in_month(int year, int month)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return days[month - 1] + (month == 2 && leap);
}

/* Reads YYYY-MM at `s` into *year and *month: 7 bytes, or 0. */
static size_t read_month(const char *s, size_t n, int *year, int *month)
{
    *year = digits(s, n, 4);
    *month = n > 5 && s[4] == '-' ? digits(s + 5, n - 5, 2) : -1;
    return *year >= 0 && *month >= 1 && *month <= 12 ? 7 : 0;
}

size_t mls_date_read(const char *s, size_t n, char out[MLS_DATE_SIZE])
{
    int year, month, day, hour, minute, second = 0;
    size_t used = read_month(s, n, &year, &month);
    out[0] = '\0';
    if (!used || n < 10 || s[7] != '-' || (day = digits(s + 8, n - 8, 2)) < 1 ||
        day > days_in_month(year, month))
        return 0;
    used = 10;
    snprintf(out, MLS_DATE_SIZE, "%04d-%02d-%02d", year, month, day);
    /* A time: `T` or one space, HH:MM, maybe :SS. */
    if (n >= 16 && (s[10] == 'T' || s[10] == ' ') && (hour = digits(s + 11, n - 11, 2)) >= 0 &&
        hour < 24 && s[13] == ':' && (minute = digits(s + 14, n - 14, 2)) >= 0 && minute < 60) {
        used = 16;
        if (n >= 19 && s[16] == ':' && (second = digits(s + 17, n - 17, 2)) >= 0 && second < 61)
            used = 19;
        else
            second = 0;
        snprintf(out + 10, MLS_DATE_SIZE - 10, "T%02d:%02d:%02d", hour, minute,
                 second > 59 ? 59 : second);
    }
    return used;
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

int mls_date_in_name(const char *path, char out[MLS_DATE_SIZE])
{
    const char *slash = strrchr(path, '/'), *name = slash ? slash + 1 : path;
    size_t n = strlen(name);
    for (size_t i = 0; i + 7 <= n; i++) {
        int year, month;
        if ((i && is_digit(name[i - 1])) || !read_month(name + i, n - i, &year, &month))
            continue;
        char day[MLS_DATE_SIZE];
        /* YYYY-MM-DD with no digit after, else YYYY-MM with none after. */
        /* (a time after it, `2024-06-12 10:30 standup.md`, is not read) */
        if (mls_date_read(name + i, n - i, day) && !(i + 10 < n && is_digit(name[i + 10]))) {
            memcpy(out, day, 10);
            out[10] = '\0';
            return 1;
        }
        if (!(i + 7 < n && is_digit(name[i + 7]))) {
            snprintf(out, MLS_DATE_SIZE, "%04d-%02d-01", year, month);
            return 1;
        }
    }
    return 0;
}

void mls_date_of_time(time_t t, char out[MLS_DATE_SIZE])
{
    struct tm tm;
    if (!localtime_r(&t, &tm) ||
        strftime(out, MLS_DATE_SIZE, "%Y-%m-%dT%H:%M:%S", &tm) != MLS_DATE_SIZE - 1)
        out[0] = '\0';
}

/* The local day `days` days before `now`'s, as YYYY-MM-DD. */
static void days_ago(time_t now, long days, char out[MLS_DATE_SIZE])
{
    struct tm tm;
    out[0] = '\0';
    if (!localtime_r(&now, &tm))
        return;
    /* At noon, so that a day of 23 or 25 hours moves no date. */
    tm.tm_mday -= (int)days;
    tm.tm_hour = 12;
    tm.tm_min = tm.tm_sec = 0;
    tm.tm_isdst = -1;
    time_t then = mktime(&tm);
    if (then != (time_t)-1 && localtime_r(&then, &tm))
        strftime(out, MLS_DATE_SIZE, "%Y-%m-%d", &tm);
}

/* One end of a range: a date, month or year as a prefix, or a day named
 * from `now`.  1 if `n` bytes at `s` are one. */
static int read_bound(const char *s, size_t n, time_t now, char out[MLS_DATE_SIZE])
{
    int year, month;
    char date[MLS_DATE_SIZE];
    if (n == 4 && digits(s, n, 4) >= 0) {
        memcpy(out, s, 4);
        out[4] = '\0';
    } else if (n == 7 && read_month(s, n, &year, &month)) {
        memcpy(out, s, 7);
        out[7] = '\0';
    } else if (n == 10 && mls_date_read(s, n, date) == 10) {
        memcpy(out, date, 11);
    } else if (n == 5 && !strncmp(s, "today", 5)) {
        days_ago(now, 0, out);
    } else if (n == 9 && !strncmp(s, "yesterday", 9)) {
        days_ago(now, 1, out);
    } else if (n >= 3 && n <= 6 && s[0] == '-' && digits(s + 1, n - 2, n - 2) >= 0) {
        /* -30d, -2w, -6m, -1y: months and years as 30 and 365 days */
        const char *unit = strchr("dwmy", s[n - 1]);
        static const long unit_days[] = {1, 7, 30, 365};
        if (!unit || !s[n - 1])
            return 0;
        days_ago(now, digits(s + 1, n - 2, n - 2) * unit_days[unit - "dwmy"], out);
    } else {
        return 0;
    }
    return out[0] != '\0';
}

const char *mls_date_range_dots(const char *s, size_t n)
{
    for (size_t i = 0; i + 1 < n; i++)
        if (s[i] == '.' && s[i + 1] == '.')
            return s + i;
    return NULL;
}

mls_status mls_date_range(const char *s, size_t n, time_t now, char from[MLS_DATE_SIZE],
                          char to_prefix[MLS_DATE_SIZE])
{
    const char *dots = mls_date_range_dots(s, n);
    from[0] = to_prefix[0] = '\0';
    if (!dots) /* one date: the range of what starts with it */
        return read_bound(s, n, now, from) && (memcpy(to_prefix, from, MLS_DATE_SIZE), 1)
                   ? MLS_OK
                   : MLS_ERR_QUERY_BAD_DATE;
    size_t head = (size_t)(dots - s), tail = n - head - 2;
    if ((!head && !tail) || (head && !read_bound(s, head, now, from)) ||
        (tail && !read_bound(dots + 2, tail, now, to_prefix)))
        return MLS_ERR_QUERY_BAD_DATE;
    /* `2024-06..2024-01` is empty: said, rather than finding nothing. */
    if (*from && *to_prefix && strcmp(from, to_prefix) > 0 &&
        strncmp(from, to_prefix, strlen(to_prefix)) != 0)
        return MLS_ERR_QUERY_BAD_DATE;
    return MLS_OK;
}

int mls_date_in_range(const char *date, const char *from, const char *to_prefix)
{
    if (!*date)
        return 0; /* undated (an index of an older mlsearch) */
    if (*from && strcmp(date, from) < 0)
        return 0;
    return !*to_prefix || strcmp(date, to_prefix) <= 0 ||
           !strncmp(date, to_prefix, strlen(to_prefix));
}
