/* dates.h - a note's date, and the dates a query names.
 *
 * A note's date is written as ISO 8601 writes a local date and time,
 * cut where what is known ends: `2024-06-12` or `2024-06-12T10:30:00`.
 * Written so, dates sort as strings do, which is how the index compares
 * them (a Xapian value, terms.h MLS_SLOT_DATE), and a date's prefix is the
 * month or year it lies in.  A time zone written after a time is left out:
 * the day the note was written is the writer's. */
#ifndef MLSEARCH_DATES_H
#define MLSEARCH_DATES_H

#include <stddef.h>
#include <time.h>
#include "mlsearch/status.h"

/* Room for a date, "YYYY-MM-DDTHH:MM:SS", and its NUL. */
#define MLS_DATE_SIZE 20

/* Reads a date at the start of the `n` bytes at `s`: YYYY-MM-DD, then
 * maybe a time, `T` or a space and HH:MM or HH:MM:SS (the rest, such as
 * a zone, is not read).  Writes it to `out` as dates are written above;
 * returns the bytes read, 0 (and `out` "") when `s` starts with no valid
 * date (2024-02-30 is none). */
size_t mls_date_read(const char *s, size_t n, char out[MLS_DATE_SIZE]);

/* The date in a file's name (the last component of `path`): the first
 * YYYY-MM-DD or YYYY-MM in it with no digit either side (`2024-06-12
 * notes.md`, `2024-06-mlops-panel.md`; a month is dated to its first day).
 * 1 if found, into `out`. */
int mls_date_in_name(const char *path, char out[MLS_DATE_SIZE]);

/* The local date and time of `t`, to the second. */
void mls_date_of_time(time_t t, char out[MLS_DATE_SIZE]);

/* The dates of `date:VALUE` (`n` bytes, without `date:`): a date, a
 * month (2024-06) or a year, `today`, `yesterday`, or a time ago (-30d,
 * -2w, -6m, -1y, counted in days from `now`'s local day), or a range of
 * them `A..B`, `A..` or `..B`, both ends included.  *from is the first
 * date in it ("" when open) and *to_prefix the last, as a prefix: a date
 * is in the range when it is not below *from and either is not above
 * *to_prefix or starts with it ("" when open).  MLS_ERR_QUERY_BAD_DATE
 * when it is none of these, or a range ends before it begins. */
mls_status mls_date_range(const char *s, size_t n, time_t now, char from[MLS_DATE_SIZE],
                          char to_prefix[MLS_DATE_SIZE]);

/* The `..` of a range in the `n` bytes at `s`, or NULL. */
const char *mls_date_range_dots(const char *s, size_t n);

/* 1 if `date` lies in the range of mls_date_range(). */
int mls_date_in_range(const char *date, const char *from, const char *to_prefix);

#endif
