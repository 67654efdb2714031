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

#include <stdatomic.h>
#include <stddef.h>
#include "mlsearch/index_info.h"
#include "mlsearch/status.h"

#define MLS_DEFAULT_MAX_FILE_SIZE (16u * 1024 * 1024)

/* How a note fared, for the report callback. */
typedef enum mls_note_problem {
    MLS_NOTE_INFO,    /* passed over on purpose, said only when asked: an empty
                         note, a link out of the roots, a path met twice */
    MLS_NOTE_WARNING, /* indexed or skipped, and worth knowing: binary, too big,
                         invalid UTF-8 repaired, a broken link */
    MLS_NOTE_ERROR    /* could not be read; its old passages, if any, are kept */
} mls_note_problem;

typedef void (*mls_index_report_fn)(const char *path, mls_note_problem kind, const char *reason,
                                    void *ctx);
/* `done` of `total` notes to read have been handled. */
typedef void (*mls_index_progress_fn)(size_t done, size_t total, void *ctx);

typedef struct mls_index_options {
    const char *db_dir;       /* the index directory (must exist) */
    const char *const *roots; /* directories or files to index */
    size_t root_count;
    const char *const *includes; /* see mls_crawl_options */
    size_t include_count;
    const char *const *excludes;
    size_t exclude_count;
    int follow_all_symlinks;
    size_t max_file_size; /* 0: MLS_DEFAULT_MAX_FILE_SIZE */
    unsigned jobs;        /* threads for a first build; 0: one per CPU */
    int full;             /* read every note again */
    int rebuild;          /* build a new index, not reading the
                             old one (damaged?), which it replaces */
    double wait_seconds;  /* for another indexer: 0 not, < 0 forever */
    /* When it becomes nonzero (a signal handler sets it: a lock-free
     * atomic, so threads may read it), the run stops after the notes at
     * hand, commits what is done, and fails with MLS_ERR_INTERRUPTED; the
     * next run does the rest.  A run waiting for the lock stops waiting. */
    const atomic_int *interrupted;
    /* Set (to 1) while a new index (a first build, a rebuild) is being
     * published, work that reads nothing of an old index, so cannot meet
     * its damage, and that cutting short would throw away: a signal
     * handler's grace period waits for it (may be NULL). */
    atomic_int *publishing;
    mls_index_report_fn report; /* per-note problems, one at a time */
    void *report_ctx;
    mls_index_progress_fn progress; /* after each note read (may be NULL) */
    void *progress_ctx;
} mls_index_options;

/* Brings `opt->db_dir` in line with `opt->roots`, under the index's update
 * lock (lock.h).  Fails with MLS_ERR_DB_LOCKED (*message, when not NULL,
 * may then name the holder), MLS_ERR_INTERRUPTED, MLS_ERR_IO (the lock),
 * MLS_ERR_DB..., MLS_ERR_NOMEM; *message may then hold a description (the
 * caller frees it).  Problems with single notes are reported, counted, and
 * do not fail the run. */
mls_status mls_index_run(const mls_index_options *opt, mls_index_stats *stats, char **message);

#endif
