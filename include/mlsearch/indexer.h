/* indexer.h - bringing the index in line with notes trees.
 *
 * For each root, every note is compared with the index's manifest entry
 * for it (size and modification time): unchanged notes are not read;
 * new and changed ones have their passages replaced; notes gone from
 * under a root lose their passages.  A note's passages and its manifest
 * entry always change in the same transaction.
 *
 * The first build of an index reads its notes once the crawl is done,
 * sharing them among threads that each write a shard, then merges the
 * shards compactly (mls_db_compact): the same index one thread would
 * make, in about 1/jobs of the time.  Reports then come from several
 * threads, one at a time. */
#ifndef MLSEARCH_INDEXER_H
#define MLSEARCH_INDEXER_H

#include <stddef.h>
#include "mlsearch/status.h"

#define MLS_DEFAULT_MAX_FILE_SIZE (16u * 1024 * 1024)

/* How a note fared, for the report callback. */
typedef enum mls_note_problem {
    MLS_NOTE_WARNING, /* indexed or skipped on purpose: binary, empty, too big, repaired */
    MLS_NOTE_ERROR    /* could not be read; its old passages, if any, are kept */
} mls_note_problem;

typedef void (*mls_index_report_fn)(const char *path, mls_note_problem kind,
                                    const char *reason, void *ctx);

typedef struct mls_index_options {
    const char *db_dir;              /* the index directory (created if missing) */
    const char *const *roots;        /* directories or files to index */
    size_t root_count;
    size_t max_file_size;            /* 0: MLS_DEFAULT_MAX_FILE_SIZE */
    unsigned jobs;                   /* threads for a first build; 0: one per CPU */
    mls_index_report_fn report;      /* per-note warnings and errors */
    void *report_ctx;
} mls_index_options;

typedef struct mls_index_stats {
    size_t files;      /* notes found under the roots */
    size_t added;      /* notes new to the index */
    size_t changed;    /* notes re-read because they changed */
    size_t removed;    /* notes no longer under a root */
    size_t errors;     /* notes and directories that could not be read */
    size_t passages;   /* passages written by this run */
} mls_index_stats;

/* Indexes `opt->roots` into `opt->db_dir`.  On failure of the index itself
 * (MLS_ERR_DB_LOCKED, MLS_ERR_DB..., MLS_ERR_NOMEM) *message, when not
 * NULL, may hold a description the caller frees.  Problems with single
 * notes are reported, counted, and do not fail the run. */
mls_status mls_index_run(const mls_index_options *opt, mls_index_stats *stats,
                         char **message);

#endif
