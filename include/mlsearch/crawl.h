/* crawl.h - finding the notes under a root. */
#ifndef MLSEARCH_CRAWL_H
#define MLSEARCH_CRAWL_H

#include <sys/stat.h>
#include "mlsearch/status.h"

/* Called for each note found: its absolute path and stat (both borrowed
 * for the call).  Return nonzero to stop the crawl. */
typedef int (*mls_crawl_note_fn)(const char *path, const struct stat *st,
                                 void *ctx);
/* Called for each path passed over, with the reason: `serious` when it
 * could not be read (what is under it may still exist), 0 when it was
 * skipped on purpose (a broken link, a loop). */
typedef void (*mls_crawl_problem_fn)(const char *path, const char *reason,
                                     int serious, void *ctx);

/* 1 if `name` looks like a note: *.md, *.markdown or *.txt, any case. */
int mls_crawl_is_note_name(const char *name);

/* Walks `root` (an absolute, canonical path: a directory or one file) in
 * sorted order.  A root that is a file is a note whatever its name; under a
 * directory, notes are the regular files for which mls_crawl_is_note_name()
 * holds.  Hidden entries (".git", ".cache") are skipped.  Symbolic links to
 * files are followed; links to directories are not (so no loops through
 * links), and a directory seen twice on one path (a bind-mount loop) is
 * reported and skipped.  Fails with MLS_ERR_NOMEM; an unreadable
 * directory or root goes to `problem` and the walk goes on. */
mls_status mls_crawl(const char *root, mls_crawl_note_fn note,
                     mls_crawl_problem_fn problem, void *ctx);

#endif
