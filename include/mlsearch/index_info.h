/* index_info.h - what an index says of itself: the roots indexed so far,
 * its last run, how much it holds, and whether it is of this version's
 * vocabulary.
 *
 * The indexer records it (in the index's metadata, terms.h) at the end of
 * each run, in the same commit as the run's last batch; `mlsearch status`
 * shows it, and a search warns when the index is of an older vocabulary.
 */
#ifndef MLSEARCH_INDEX_INFO_H
#define MLSEARCH_INDEX_INFO_H

#include <stddef.h>
#include <time.h>
#include "mlsearch/db.h"
#include "mlsearch/status.h"
#include "mlsearch/strings.h"

typedef struct mls_index_stats {
    size_t files;    /* notes found under the roots */
    size_t added;    /* notes new to the index */
    size_t changed;  /* notes read again because they changed */
    size_t renamed;  /* notes moved or renamed, content unchanged: not read again */
    size_t removed;  /* notes gone from under the roots, or now excluded */
    size_t dropped;  /* of those, the notes of roots let go (index_options.h) */
    size_t errors;   /* notes and directories that could not be read */
    size_t passages; /* passages written by this run */
    double seconds;  /* how long the run took */
    size_t todo;     /* notes it had to read (new or changed) */
    size_t done;     /* of those, the notes it read and committed */
    int interrupted; /* stopped by a signal: `done` of `todo` are in */
    unsigned long long compacted_from, compacted_to; /* bytes, when the run
                                                        compacted a grown index */
} mls_index_stats;

typedef struct mls_index_info {
    mls_strings roots; /* every root indexed so far, in order */
    int has_last_run;  /* 0: no run recorded, or not readable */
    time_t last_run_started;
    mls_index_stats last_run; /* its counts (passages: 0, not recorded) */
    size_t notes, passages;   /* what the index holds */
    int older_vocabulary;     /* its format mark is older than this
                                 mlsearch's: searches may miss until the
                                 next run reads every note again */
} mls_index_info;

/* Records in `db` (uncommitted: the caller commits) the roots of this run
 * that it does not know yet, after those of earlier runs but the `dropped`
 * ones (as it keeps them); the run, started
 * at `started` with counts `stats`; and, when the run was `complete` and
 * its roots cover every earlier one, that every note is now in this
 * version's vocabulary (MLS_INDEX_FORMAT).  NULL roots are skipped. */
mls_status mls_index_info_record(mls_db *db, char *const *roots, size_t root_count,
                                 const char *const *dropped, size_t dropped_count, time_t started,
                                 const mls_index_stats *stats, int complete);

/* Reads what `db` says of itself into *info (the caller frees it with
 * mls_index_info_free()).  A last run that cannot be read leaves
 * has_last_run 0.  Fails with the database's MLS_ERR_DB... or
 * MLS_ERR_NOMEM. */
mls_status mls_index_info_read(mls_db *db, mls_index_info *info);
void mls_index_info_free(mls_index_info *info);

/* 1 if `db` holds notes of an older vocabulary (a search's warning: only
 * what mls_index_info_read() would read for it); 0 also when it cannot
 * tell. */
int mls_index_is_older(mls_db *db);

#endif
