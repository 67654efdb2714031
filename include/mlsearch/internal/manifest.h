/* manifest.h - what the index knows of each note.
 *
 * One manifest document per note (boolean terms P<path> and XTfile), with
 * the note's size, modification and change times, inode and content hash
 * when it was last read, in the same transaction as its passages.  The indexer
 * compares it with the tree to know what to read again. */
#ifndef MLSEARCH_MANIFEST_H
#define MLSEARCH_MANIFEST_H

#include <stddef.h>
#include <stdint.h>
#include "mlsearch/db.h"
#include "mlsearch/status.h"

typedef struct mls_manifest_entry {
    char *path;
    long long size, mtime_sec, mtime_nsec, inode;
    long long ctime_sec, ctime_nsec; /* no tool sets it back, unlike mtime */
    long long indexed_at;            /* when it was read, in seconds since the epoch */
    uint64_t hash;                   /* mls_hash64() of the content; 0: not read */
    size_t passages;
    int keep; /* not to be removed: found by this run's crawl,
                 under a folder it could not read, or moved */
} mls_manifest_entry;

typedef struct mls_manifest {
    mls_manifest_entry *entries;
    size_t count, capacity;
} mls_manifest;

/* Reads every manifest entry of `db`, sorted by path.  MLS_ERR_NOMEM or a
 * database status.  Records it cannot read are left out. */
mls_status mls_manifest_load(mls_db *db, mls_manifest *m);

/* The entry for `path` in a loaded (sorted) manifest, or NULL. */
mls_manifest_entry *mls_manifest_find(mls_manifest *m, const char *path);

/* Appends a copy of `e` with a copy of `path` as its path (e->path is not
 * read: the crawl's paths are borrowed and read-only).  MLS_ERR_NOMEM. */
mls_status mls_manifest_add(mls_manifest *m, const mls_manifest_entry *e, const char *path);

void mls_manifest_free(mls_manifest *m);

/* The record of an entry (see record.h); the caller frees *out. */
mls_status mls_manifest_encode(const mls_manifest_entry *e, char **out, size_t *out_len);

/* Reads a record into `e` (e->path allocated; the caller frees it).
 * MLS_ERR_INVALID when it is not a manifest record (a passage's, or one an
 * older mlsearch wrote: its note is then read again), MLS_ERR_NOMEM; on
 * failure e->path is NULL. */
mls_status mls_manifest_decode(const char *data, size_t len, mls_manifest_entry *e);

#endif
