/* indexer.h - bringing the index in line with notes trees.
 *
 * The roots are crawled first (crawl.h); then every note found is compared
 * with the index's manifest entry for it (manifest.h: size, modification
 * and change times, inode): unchanged notes are not read, unless written
 * in the second they were last read (the mtime race) or skipped for a size
 * cap they now fit; new and changed ones have
 * their passages replaced; a new note with the content (hash and size) of
 * one gone from under the roots is that note moved, and its passages are
 * re-pointed without being tokenized again; notes gone, or now excluded,
 * lose their passages.  A note's passages and its manifest entry always
 * change in the same transaction, committed in batches.
 *
 * The first build of an index reads its notes once the crawl is done,
 * sharing them among threads that each write a shard, then merges the
 * shards compactly (mls_db_compact): the same index one thread would
 * make, in about 1/jobs of the time.  Reports then come from several
 * threads, one at a time. */
#ifndef MLSEARCH_INDEXER_H
#define MLSEARCH_INDEXER_H

#include "mlsearch/index_info.h"
#include "mlsearch/index_options.h"
#include "mlsearch/status.h"

/* Brings `opt->db_dir` in line with `opt->roots`, under the index's update
 * lock (lock.h).  Fails with MLS_ERR_DB_LOCKED (*message, when not NULL,
 * may then name the holder), MLS_ERR_INTERRUPTED, MLS_ERR_IO (the lock),
 * MLS_ERR_DB..., MLS_ERR_NOMEM; *message may then hold a description (the
 * caller frees it).  Problems with single notes are reported, counted, and
 * do not fail the run. */
mls_status mls_index_run(const mls_index_options *opt, mls_index_stats *stats, char **message);

#endif
