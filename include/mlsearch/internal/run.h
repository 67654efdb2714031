/* run.h - one run of the indexer: its state, and the steps every way of
 * bringing the index up to date shares.
 *
 * A run (indexer.c) crawls the roots, then either builds the index for
 * the first time (first_build.c, with worker threads, each with a run of
 * its own over a shard) or syncs it with what changed (sync.c).  Both read
 * and index notes one at a time through mls_run_index_note(), commit in
 * batches, and record the run (index_info.h) with their last commit.
 */
#ifndef MLSEARCH_RUN_H
#define MLSEARCH_RUN_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <time.h>
#include "mlsearch/db.h"
#include "mlsearch/index_info.h"
#include "mlsearch/index_options.h"
#include "mlsearch/internal/manifest.h"
#include "mlsearch/internal/stemmer.h"
#include "mlsearch/status.h"

typedef struct mls_run {
    const mls_index_options *opt;
    mls_index_stats *stats;
    mls_db *db;
    mls_stemmer *stemmer; /* this thread's */
    mls_manifest known;   /* what the index held when the run began */
    mls_manifest found;   /* notes the crawl found, in crawl order */
    char *const *roots;   /* the roots that could be read (canonical) */
    size_t root_count;
    long long started;     /* the run's start, in seconds since the epoch */
    struct timespec began; /* the same, on the monotonic clock */
    int full;              /* read every note: asked for, or an older index */
    size_t batch_passages, batch_notes, batch_bytes, batch_share; /* share: 1 / workers */
    pthread_mutex_t *report_lock; /* held while reporting, with workers */
    atomic_size_t *done;          /* notes handled, for progress */
    size_t total;                 /* notes to handle */
    atomic_int *stop;             /* set by the first worker that fails */
    mls_status status;            /* the first failure that stops the run */
} mls_run;

/* The size cap of a note (the option, or MLS_DEFAULT_MAX_FILE_SIZE). */
size_t mls_run_max_file_size(const mls_run *r);
/* 1 once the run was asked to stop (a signal). */
int mls_run_interrupted(const mls_run *r);
/* Reports a note's problem (counting errors), one thread at a time. */
void mls_run_report(mls_run *r, const char *path, mls_note_problem kind, const char *reason);
/* One more note handled, for the progress callback. */
void mls_run_progress(mls_run *r);
/* Seconds since the run began. */
double mls_run_seconds(const mls_run *r);

/* Reads the note of `e` (note_reader.h), reporting through the run. */
int mls_run_read_note(mls_run *r, mls_manifest_entry *e, char **bytes, size_t *len);
/* Replaces the note's documents with those of its bytes (note_docs.h),
 * counting them in the run's batch. */
mls_status mls_run_replace_note(mls_run *r, mls_manifest_entry *e, const char *bytes, size_t len);
/* Reads and indexes one note whose stat is in `e`, counting it in
 * *handled when done, then commits if the batch is full.  A note that
 * could not be read keeps what the index has of it. */
mls_status mls_run_index_note(mls_run *r, mls_manifest_entry *e, size_t *handled);

/* Commits the batch, and with `reopen` begins the next. */
mls_status mls_run_commit(mls_run *r, int reopen);
/* Commits when the batch holds enough passages, notes or bytes (a
 * worker's share of them), which bounds memory and what a kill loses. */
mls_status mls_run_commit_if_full(mls_run *r);
/* Records the run's roots and counts in the index (index_info.h), to be
 * committed with its last batch, and whether a signal stopped it;
 * `complete`: every note the index holds is now in this version's
 * vocabulary (all read again, or a new index). */
mls_status mls_run_record(mls_run *r, int complete);
/* Makes the index built into r->db and `n` shards the one readers see:
 * the run recorded first, in the same generation, so that the index is
 * published whole, roots, last run and format mark included. */
mls_status mls_run_publish(mls_run *r, mls_db *const *shards, size_t n, int complete);

#endif
