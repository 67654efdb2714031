/* note_date.c - the date of a note (see note_date.h). */
#include "mlsearch/internal/note_date.h"
#include "mlsearch/internal/front_matter.h"

#include <stdio.h>

void mls_note_date(const char *path, const char *text, size_t len, time_t mtime,
                   char out[MLS_DATE_SIZE], char *bad_date, size_t bad_size)
{
    const char *written = NULL;
    size_t written_len = 0;
    int found = text ? mls_front_matter_date(text, len, out, &written, &written_len) : 0;
    bad_date[0] = '\0';
    if (found < 0)
        snprintf(bad_date, bad_size, "%.*s", (int)(written_len < 64 ? written_len : 64), written);
    if (found > 0 || mls_date_in_name(path, out))
        return;
    mls_date_of_time(mtime, out);
}
