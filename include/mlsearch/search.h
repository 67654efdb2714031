/* search.h - running a query against the index. */
#ifndef MLSEARCH_SEARCH_H
#define MLSEARCH_SEARCH_H

#include <stddef.h>
#include <stdio.h>
#include "mlsearch/dates.h"
#include "mlsearch/db.h"
#include "mlsearch/passage.h"
#include "mlsearch/query.h"

typedef struct mls_hit {
    mls_passage passage;
    double score;             /* BM25 weight; higher is better */
    size_t duplicates;        /* passages of the same text left out (collapsed) */
    size_t part;              /* of a joined index (mls_db_join()), the one it is from */
    char date[MLS_DATE_SIZE]; /* its note's (dates.h), with q->with_dates or
                                 q->newest_first; else, and in -l and -c, "" */
} mls_hit;

typedef struct mls_hits {
    mls_hit *items; /* best first */
    size_t count;
    size_t passages; /* the matching passages of the notes the search read */
    int all_read;    /* 1 when it read every note that matches: `passages`
                        is then every matching passage, and each hit's
                        `duplicates` exact; else both are lower bounds */
} mls_hits;

/* Runs `q` on `db` and returns at most `max` hits, best first (or, with
 * q->newest_first, newest note first, then best), passages of the same
 * text collapsed into the first of them.  Fails with
 * the statuses of mls_db_search() (the reason is on the db handle),
 * MLS_ERR_DB_CORRUPT for a passage record that cannot be read, or
 * MLS_ERR_NOMEM.  The caller frees *out with mls_hits_free(). */
mls_status mls_search(mls_db *db, const mls_query *q, size_t max, mls_hits **out);

/* Like mls_search(), with every passage of the same text a hit of its own. */
mls_status mls_search_all(mls_db *db, const mls_query *q, size_t max, mls_hits **out);

/* Like mls_search(), but nothing collapsed, and each hit's passage holds
 * only its path: for listing files (-l, -c) over any number of hits. */
mls_status mls_search_paths(mls_db *db, const mls_query *q, size_t max, mls_hits **out);

/* The files with hits, best first (at most `max`), each hit's passage
 * holding only its path: one hit per file when Xapian's notes are exactly
 * the notes with hits, ranked as notes (a note whose passages weigh more
 * first, weight.h); else as mls_search_paths(), a file for each hit. */
mls_status mls_search_files(mls_db *db, const mls_query *q, size_t max, mls_hits **out);
void mls_hits_free(mls_hits *hits);

/* How many passages `q` matches in all, into *passages: exactly (*exact
 * 1) when it matches fewer than `max_notes` notes, which are then all read
 * as -c reads them; else those of the best `max_notes` notes, a lower
 * bound (*exact 0), so that a count of a common word costs no more than
 * reading those notes.  Fails as mls_search(). */
mls_status mls_search_count(mls_db *db, const mls_query *q, size_t max_notes, size_t *passages,
                            int *exact);

/* Writes every passage of the index, sorted by path and line, as one JSON
 * object per line (the format is in the README): a canonical dump, to
 * compare two indexes or to feed other tools.  Stops at the first write
 * that fails: MLS_ERR_IO, errno set (EPIPE: the reader is gone). */
mls_status mls_dump_passages(mls_db *db, FILE *out);

#endif
