/* note_texts.h - the texts of a note's passages, read out of the index
 * when they are needed.
 *
 * A search reads the record of every note that may match, and the texts
 * of few passages: those it shows, and those whose match the positions
 * alone cannot decide (note_match.h).  A larger note keeps its texts in
 * chunks, the documents after its own (note_record.h); a chunk is read
 * once, the first time one of its texts is wanted. */
#ifndef MLSEARCH_NOTE_TEXTS_H
#define MLSEARCH_NOTE_TEXTS_H

#include <stddef.h>
#include "mlsearch/db.h"
#include "mlsearch/internal/note_record.h"
#include "mlsearch/status.h"

/* Makes passage `i`'s text of `rec`, the record of document `docid`,
 * readable.  MLS_ERR_DB_CORRUPT if the chunk is missing or not the
 * note's, db.h's errors (MLS_ERR_DB_MODIFIED: reopen and search again). */
mls_status mls_note_texts_read(mls_db *db, unsigned docid, mls_note_record *rec, size_t i);

/* Makes every text of `rec` readable, as mls_note_texts_read(). */
mls_status mls_note_texts_read_all(mls_db *db, unsigned docid, mls_note_record *rec);

#endif
