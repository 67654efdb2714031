/* upkeep.h - keeping an index sound and small: checking it whole, and
 * compacting it when updates have grown it.
 *
 * Updates leave Xapian's tables with free space in their blocks; an index
 * grows well past its compacted size over months of nightly runs (one
 * `index --full` took one from 145 MB to 262 MB).  Compaction writes the
 * index anew as the next generation and switches readers to it atomically
 * (db.h, mls_db_compact), as a first build does: a search sees the old
 * index or the new one.  The size right after a compaction is kept beside
 * the index (the file `compacted`), for the nightly run to know when to
 * compact again. */
#ifndef MLSEARCH_UPKEEP_H
#define MLSEARCH_UPKEEP_H

#include <stdatomic.h>
#include <stddef.h>
#include "mlsearch/status.h"

/* An index this many times its compacted size, and this many bytes more,
 * is compacted by the next `mlsearch index` (mls_upkeep_due): a small
 * index is not written anew for the little it would give back. */
#define MLS_COMPACT_GROWTH 1.5
#define MLS_COMPACT_MIN_BYTES (1024 * 1024)

/* Compacts the index in `db_dir` under the indexers' lock (waiting for
 * another indexer as `wait_seconds` says, index_options.h; `stop` ends the
 * wait).  *before and *after: its bytes on disk.  Fails as an index run's
 * opening does (indexer.h); *message may then hold a description the
 * caller frees. */
mls_status mls_upkeep_compact(const char *db_dir, double wait_seconds, const atomic_int *stop,
                              unsigned long long *before, unsigned long long *after,
                              char **message);

/* 1 if the index in `db_dir`, of `bytes` now, has grown past
 * MLS_COMPACT_GROWTH times its compacted size and by MLS_COMPACT_MIN_BYTES.  That size not known
 * (an index from before): 1 after a run that read every note again (an upgrade's: it grew the
 * index), else 0, and this size is recorded as the measure. */
int mls_upkeep_due(const char *db_dir, unsigned long long bytes, int read_all);

/* The bytes on disk of the index readers see now (its current generation). */
mls_status mls_upkeep_size(const char *db_dir, unsigned long long *bytes);

/* Records `bytes` as the index's compacted size (after a compaction). */
void mls_upkeep_compacted(const char *db_dir, unsigned long long bytes);

/* One problem `mls_upkeep_check` found: where (a note's path, or the
 * index's directory) and what. */
typedef void (*mls_check_problem_fn)(const char *where, const char *what, void *ctx);

/* Checks the index in `db_dir` whole: Xapian's own check of its tables
 * (as xapian-check), then mlsearch's: every note of the manifest has its
 * document, whose record reads and names it, with its passages and every
 * chunk of its texts; no document belongs to no note.  Each problem goes
 * to `problem`; *problems counts them, *notes and *passages what it holds.
 * Fails (MLS_ERR_DB_NOT_FOUND, MLS_ERR_DB_ACCESS...) only when it cannot
 * look at all; damage is problems, not a failure. */
mls_status mls_upkeep_check(const char *db_dir, mls_check_problem_fn problem, void *ctx,
                            size_t *problems, size_t *notes, size_t *passages, char **message);

#endif
