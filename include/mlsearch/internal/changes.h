/* changes.h - what changed since the last run.
 *
 * A note found by the crawl is compared with the index's manifest entry
 * for it; the notes the index holds that the crawl did not find are gone,
 * or moved: a new note with the content (hash and size) of a vanished one
 * is that note, moved or renamed.
 */
#ifndef MLSEARCH_CHANGES_H
#define MLSEARCH_CHANGES_H

#include <stddef.h>
#include "mlsearch/internal/manifest.h"
#include "mlsearch/status.h"

/* 1 if the index holds `e` as it is: same size, times and inode (those an
 * older index did not record are not compared), and not written in the
 * very second it was last read (it may have changed after the read without
 * changing its mtime, the race git and notmuch guard); not indexed although
 * now over a lowered size cap, nor skipped (never read) under a raised one. */
int mls_changes_unchanged(const mls_manifest_entry *known, const mls_manifest_entry *e,
                          size_t max_file_size);

/* The notes of `known` under the roots that the crawl did not find
 * (entry->keep unset): deleted, moved, or now excluded; and every note
 * under a `dropped` root but those it found.  Sorted by content, to find
 * a moved note by its hash and size.  The caller frees *out (the entries
 * stay `known`'s). */
mls_status mls_changes_vanished(mls_manifest *known, char *const *roots, size_t root_count,
                                const char *const *dropped, size_t dropped_count,
                                mls_manifest_entry ***out, size_t *count);

/* 1 if `path` lies under one of the `n` roots (NULL ones skipped). */
int mls_changes_under(const char *path, const char *const *roots, size_t n);

/* A note of `vanished` (as mls_changes_vanished() sorts them) with the
 * content of `e`, not yet claimed (keep unset), or NULL. */
mls_manifest_entry *mls_changes_find_moved(mls_manifest_entry **vanished, size_t n,
                                           const mls_manifest_entry *e);

#endif
