/* lock.h - one indexer at a time per index.
 *
 * Xapian lets one writer open a database, but says nothing of who holds
 * it, cannot wait for it, and is taken only once the database is open.
 * The update lock is a file, `lock` in the index directory, locked with
 * flock(2) for as long as an indexer runs (the kernel releases it when
 * the process dies, even by SIGKILL), and holding a line that names the
 * holder for the message the second indexer prints.  The line is taken
 * out on release, so a line found by the next holder tells of one that
 * died holding the lock. */
#ifndef MLSEARCH_LOCK_H
#define MLSEARCH_LOCK_H

#include <stdatomic.h>
#include "mlsearch/status.h"

typedef struct mls_lock mls_lock;

/* Takes the update lock of the index directory `dir` (which must exist),
 * waiting up to `wait_seconds` for it (0: not at all; negative: for as long
 * as it takes) unless `stop` (may be NULL) becomes nonzero meanwhile.
 * Fails with MLS_ERR_DB_LOCKED, and then *holder, when not NULL, may be a
 * description of the process holding it ("pid 123 since 2026-11-28
 * 02:00:01"; the caller frees it); MLS_ERR_INTERRUPTED; or MLS_ERR_IO with
 * errno set. */
mls_status mls_lock_take(const char *dir, double wait_seconds, const atomic_int *stop,
                         mls_lock **lock, char **holder);

/* Whether the lock's last holder died holding it (killed, crashed, or
 * stopped by its grace period): the run it made may have been cut short
 * anywhere, or ended by damage that it will meet again. */
int mls_lock_abandoned(const mls_lock *lock);

/* Releases the lock; NULL is fine.  With `suspect`, the holder's line is
 * left, as by a holder that died: the next holder takes the lock as
 * abandoned (a run that found the index damaged, so that the next one
 * looks for the damage before it writes). */
void mls_lock_release(mls_lock *lock, int suspect);

#endif
