/* roots.h - which roots an `mlsearch index` run covers, and which it lets
 * go.
 *
 * Given paths, a run indexes those.  Given none, it indexes the
 * configuration's roots, else the roots the index remembers (from its
 * earlier runs, index_info.h).  A run over the configuration's roots lets
 * go of the remembered roots the configuration no longer has: their notes
 * are removed (index_options.h, `dropped`).  Only the configuration decides
 * that: a root missing on disk (an unmounted drive) is not let go, its
 * notes are kept.  `mlsearch forget PATH` lets go of a root on purpose. */
#ifndef MLSEARCH_ROOTS_H
#define MLSEARCH_ROOTS_H

#include <stddef.h>
#include "mlsearch/status.h"
#include "mlsearch/strings.h"

/* `path` as the index keeps a root: its real path when it exists; else
 * made absolute against the current directory, with "." and ".."
 * components and repeated slashes resolved by name.  The caller frees
 * *out.  MLS_ERR_NOMEM, MLS_ERR_IO (no current directory). */
mls_status mls_root_canonical(const char *path, char **out);

/* The roots the index in `db_dir` remembers, into *remembered (none when
 * there is no index there yet); and those of them that no root of `keep`
 * (by its real path) is or holds, into *dropped: none at all when a root of
 * `keep` is missing on disk or not absolute, since it might hold any of
 * them.  Either may be NULL.  Fails as mls_db_open() would, but for a
 * missing index. */
mls_status mls_roots_remembered(const char *db_dir, const char *const *keep, size_t keep_count,
                                mls_strings *remembered, mls_strings *dropped);

#endif
