/* note_match.h - the passages of one note that a query matches, and how
 * well.
 *
 * Xapian finds the notes (xquery.h); this reads, for one of them, the
 * positions of the query's terms (db.h) and its record (note_record.h),
 * and decides passage by passage, as the query language says (query.h):
 * a unit matches a passage where its phrase lies in the passage's text,
 * or in one of its context strings (weighted down), or by stem or
 * katakana variant (weighted down); a passage matches when every positive
 * clause does and no negated one.  Scores are BM25 over passages, with
 * the collection statistics of notes.
 */
#ifndef MLSEARCH_NOTE_MATCH_H
#define MLSEARCH_NOTE_MATCH_H

#include <stddef.h>
#include "mlsearch/db.h"
#include "mlsearch/internal/note_record.h"
#include "mlsearch/query.h"
#include "mlsearch/status.h"

/* What a search knows of the query before it reads any note: each
 * unit's weight (idf) from the index's statistics. */
typedef struct mls_match_plan mls_match_plan;

mls_status mls_match_plan_new(mls_db *db, const mls_query *q, mls_match_plan **out);
void mls_match_plan_free(mls_match_plan *plan);

/* 1 if the notes Xapian finds for the plan's query (xquery.h) are exactly
 * those with a passage it matches: one clause of words, not negated, with
 * neither heading: nor an anchor (and any filters).  Then a list of files
 * needs no note's passages. */
int mls_match_plan_notes_exact(const mls_match_plan *plan);

typedef struct mls_passage_match {
    size_t passage; /* its index in the note's record */
    double score;
} mls_passage_match;

/* The passages of note `docid` (its decoded record `rec`) that the plan's
 * query matches, in note order, into *out (the caller frees it; *count
 * may be 0).  The texts it had to read stay read in `rec`.  Fails with
 * the statuses of mls_db_positions() and mls_note_texts_read(), or
 * MLS_ERR_NOMEM. */
mls_status mls_note_match(mls_db *db, const mls_match_plan *plan, unsigned docid,
                          mls_note_record *rec, mls_passage_match **out, size_t *count);

#endif
