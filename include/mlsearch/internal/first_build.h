/* first_build.h - the first build of an index, or a rebuild.
 *
 * Reads every note the crawl found, with worker threads when there are
 * enough notes (each writing a shard of its own over a consecutive run of
 * notes of about the same bytes), and publishes the index compactly once
 * (mls_db_compact: half the size, faster searches; later runs change
 * little): the same index one thread would make.
 */
#ifndef MLSEARCH_FIRST_BUILD_H
#define MLSEARCH_FIRST_BUILD_H

#include "mlsearch/internal/run.h"
#include "mlsearch/status.h"

/* Builds the index into r->db from r->found and publishes it.  A failure
 * leaves the index as it was (none yet, or the one a rebuild replaces);
 * an interruption publishes what was read.  *message, when not NULL, may
 * then hold a shard's description of the failure. */
mls_status mls_first_build(mls_run *r, char **message);

#endif
