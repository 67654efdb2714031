/* test_dates.c - unit tests of include/mlsearch/dates.h: dates read from
 * front matter and file names, and the ranges of `date:`. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mlsearch/dates.h"

static const char *read_date(const char *s)
{
    static char out[MLS_DATE_SIZE];
    size_t used = mls_date_read(s, strlen(s), out);
    assert_int_equal(used == 0, out[0] == '\0');
    return out;
}

static void test_read(void **state)
{
    (void)state;
    assert_string_equal(read_date("2024-06-12"), "2024-06-12");
    assert_string_equal(read_date("2024-06-12T10:30"), "2024-06-12T10:30:00");
    assert_string_equal(read_date("2024-06-12 10:30:45"), "2024-06-12T10:30:45");
    /* a zone is not read: the day is the writer's */
    assert_string_equal(read_date("2024-06-12T23:30:00+09:00"), "2024-06-12T23:30:00");
    assert_string_equal(read_date("2024-06-12T23:30:00Z"), "2024-06-12T23:30:00");
    /* a time that is none is not read, the date is */
    assert_string_equal(read_date("2024-06-12T25:00"), "2024-06-12");
    assert_string_equal(read_date("2024-06-12 # comment"), "2024-06-12");
    assert_string_equal(read_date("2024-02-29"), "2024-02-29");
    assert_string_equal(read_date("2000-02-29"), "2000-02-29");
    assert_string_equal(read_date("1900-02-29"), "");
    assert_string_equal(read_date("2023-02-29"), "");
    assert_string_equal(read_date("2024-04-31"), "");
    assert_string_equal(read_date("2024-13-01"), "");
    assert_string_equal(read_date("2024-00-10"), "");
    assert_string_equal(read_date("2024-06"), "");
    assert_string_equal(read_date("24-06-12"), "");
    assert_string_equal(read_date("2024/06/12"), "");
    assert_string_equal(read_date("yesterday"), "");
    assert_string_equal(read_date(""), "");
}

static const char *name_date(const char *path)
{
    static char out[MLS_DATE_SIZE];
    if (!mls_date_in_name(path, out))
        return "";
    return out;
}

static void test_in_name(void **state)
{
    (void)state;
    assert_string_equal(name_date("notes/2024-06-12 notes.md"), "2024-06-12");
    assert_string_equal(name_date("meetups/2024-06-mlops-panel.md"), "2024-06-01");
    assert_string_equal(name_date("journal-2023-11-05.md"), "2023-11-05");
    assert_string_equal(name_date("2024-06.md"), "2024-06-01");
    assert_string_equal(name_date("2024-06-12 10:30 standup.md"), "2024-06-12");
    assert_string_equal(name_date("2024-06-12T10:30.md"), "2024-06-12");
    /* the name only, not the folders */
    assert_string_equal(name_date("2024-06-12/notes.md"), "");
    /* digits either side: a number, not a date */
    assert_string_equal(name_date("v12024-06-12.md"), "");
    assert_string_equal(name_date("2024-06-123.md"), "2024-06-01"); /* ... but its month */
    assert_string_equal(name_date("2024-061.md"), "");
    /* no such day: its month */
    assert_string_equal(name_date("2023-02-29 leap.md"), "2023-02-01");
    assert_string_equal(name_date("2024-13-01.md"), "");
    assert_string_equal(name_date("release-2024-13 x 2024-05-02.md"), "2024-05-02");
    assert_string_equal(name_date("notes.md"), "");
}

/* A moment on 2024-03-31 at noon, local time. */
static time_t march_31(void)
{
    struct tm tm = {.tm_year = 124, .tm_mon = 2, .tm_mday = 31, .tm_hour = 12, .tm_isdst = -1};
    return mktime(&tm);
}

static void assert_range(const char *query, const char *from, const char *to)
{
    char f[MLS_DATE_SIZE], t[MLS_DATE_SIZE];
    assert_int_equal(mls_date_range(query, strlen(query), march_31(), f, t), MLS_OK);
    assert_string_equal(f, from);
    assert_string_equal(t, to);
}

static void assert_no_range(const char *query)
{
    char f[MLS_DATE_SIZE], t[MLS_DATE_SIZE];
    assert_int_equal(mls_date_range(query, strlen(query), march_31(), f, t),
                     MLS_ERR_QUERY_BAD_DATE);
}

static void test_range(void **state)
{
    (void)state;
    assert_range("2024-06-12", "2024-06-12", "2024-06-12");
    assert_range("2024-06", "2024-06", "2024-06");
    assert_range("2024", "2024", "2024");
    assert_range("2024-01..2024-06", "2024-01", "2024-06");
    assert_range("2024-06-12..", "2024-06-12", "");
    assert_range("..2023", "", "2023");
    assert_range("2024-06-12..2024-06", "2024-06-12", "2024-06"); /* to the month's end */
    assert_range("today", "2024-03-31", "2024-03-31");
    assert_range("yesterday", "2024-03-30", "2024-03-30");
    assert_range("-30d..", "2024-03-01", "");
    assert_range("-2w..-1w", "2024-03-17", "2024-03-24");
    assert_range("-1m..", "2024-03-01", ""); /* a month: 30 days */
    assert_range("-1y..", "2023-04-01", ""); /* a year: 365 days (2024 is leap) */
    assert_range("-0d", "2024-03-31", "2024-03-31");
    assert_no_range("");
    assert_no_range("..");
    assert_no_range("2024-06..2024-01");
    assert_no_range("2024-13");
    assert_no_range("2024-02-30");
    assert_no_range("24");
    assert_no_range("june");
    assert_no_range("-30");
    assert_no_range("-30x");
    assert_no_range("-d");
    assert_no_range("2024-06-12T10:00");
    assert_no_range("2024...2025");
}

/* Days counted back across a change of clock (New York, 2024-03-10: a
 * day of 23 hours) move the date by whole days. */
static void test_range_across_dst(void **state)
{
    (void)state;
    setenv("TZ", "America/New_York", 1);
    tzset();
    struct tm tm = {
        .tm_year = 124, .tm_mon = 2, .tm_mday = 11, .tm_hour = 0, .tm_min = 30, .tm_isdst = -1};
    time_t just_after_midnight = mktime(&tm);
    char f[MLS_DATE_SIZE], t[MLS_DATE_SIZE];
    assert_int_equal(mls_date_range("-1d", 3, just_after_midnight, f, t), MLS_OK);
    assert_string_equal(f, "2024-03-10");
    assert_int_equal(mls_date_range("-2d", 3, just_after_midnight, f, t), MLS_OK);
    assert_string_equal(f, "2024-03-09");
    assert_int_equal(mls_date_range("today", 5, just_after_midnight, f, t), MLS_OK);
    assert_string_equal(f, "2024-03-11");
    setenv("TZ", "Asia/Tokyo", 1);
    tzset();
}

static void test_in_range(void **state)
{
    (void)state;
    assert_true(mls_date_in_range("2024-06-12T10:00:00", "2024-06", "2024-06"));
    assert_true(mls_date_in_range("2024-06-30", "2024-06-12", "2024-06"));
    assert_false(mls_date_in_range("2024-07-01", "2024-06-12", "2024-06"));
    assert_false(mls_date_in_range("2024-06-11T23:59:59", "2024-06-12", ""));
    assert_true(mls_date_in_range("1999-01-01", "", "2023"));
    assert_true(mls_date_in_range("2023-12-31T23:59:59", "", "2023"));
    assert_false(mls_date_in_range("2024-01-01", "", "2023"));
    assert_false(mls_date_in_range("", "", "")); /* undated */
}

int main(void)
{
    setenv("TZ", "Asia/Tokyo", 1);
    tzset();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_read),     cmocka_unit_test(test_in_name),
        cmocka_unit_test(test_range),    cmocka_unit_test(test_range_across_dst),
        cmocka_unit_test(test_in_range),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
