/* note_reader.h - one note's bytes, read safely.
 *
 * A note is read whole, up to a size cap, without ever blocking (a path
 * that became a FIFO since the crawl), and judged: too big, empty or
 * binary notes are skipped and said so; one written to while it was read
 * is indexed as read, and read again next run.
 */
#ifndef MLSEARCH_NOTE_READER_H
#define MLSEARCH_NOTE_READER_H

#include <stddef.h>
#include "mlsearch/internal/manifest.h"
#include "mlsearch/index_options.h"

/* Reads the note at e->path, of at most `max` bytes, into *bytes (NULL
 * when it is skipped on purpose: too big, empty or binary, each reported)
 * and sets e->hash (0: not read).  0 when it could not be read (reported
 * as an error, unless it vanished since the crawl: the next run sees it
 * gone).  Reports go to report(path, kind, reason, ctx); the caller frees
 * *bytes. */
int mls_note_read(mls_manifest_entry *e, size_t max, mls_index_report_fn report, void *ctx,
                  char **bytes, size_t *len);

#endif
