/* note_date.h - the date of a note: its front matter's `date:`, else the
 * date in its file name (`2024-06-12 notes.md`, `2024-06-mlops-panel.md`),
 * else its modification time (dates.h writes them). */
#ifndef MLSEARCH_NOTE_DATE_H
#define MLSEARCH_NOTE_DATE_H

#include <stddef.h>
#include <time.h>
#include "mlsearch/dates.h"

/* The date of the note at `path` whose content is the `len` bytes at
 * `text` and whose modification time is `mtime`, into `out`.  *bad_date:
 * when the front matter's `date:` is no date, what is written there, cut
 * to fit (`bad_size` bytes, with its NUL), else "". */
void mls_note_date(const char *path, const char *text, size_t len, time_t mtime,
                   char out[MLS_DATE_SIZE], char *bad_date, size_t bad_size);

#endif
