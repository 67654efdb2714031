/* sync.h - bringing an index up to date with what changed.
 *
 * The notes found that are new or changed (changes.h) are read again; a
 * new one with the content of a vanished one is that note moved, and its
 * documents are re-pointed without reading it; the notes gone, or now
 * excluded, are removed.  Batches are committed as they fill; the last
 * holds the record of the run.
 */
#ifndef MLSEARCH_SYNC_H
#define MLSEARCH_SYNC_H

#include "mlsearch/internal/run.h"
#include "mlsearch/status.h"

/* Syncs r->db with r->found against r->known (r->full: read every note
 * again).  Interrupted, it records and commits what was done and fails
 * with MLS_ERR_INTERRUPTED. */
mls_status mls_sync(mls_run *r);

#endif
