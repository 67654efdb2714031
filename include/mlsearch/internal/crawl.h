/* crawl.h - finding the notes under the roots. */
#ifndef MLSEARCH_CRAWL_H
#define MLSEARCH_CRAWL_H

#include <stddef.h>
#include <sys/stat.h>
#include "mlsearch/status.h"

typedef struct mls_crawl_options {
    const char *const *roots; /* absolute, canonical paths */
    size_t root_count;
    const char *const *includes; /* globs naming notes; none: the defaults */
    size_t include_count;
    const char *const *excludes; /* globs naming files and folders to skip */
    size_t exclude_count;
    int follow_all_symlinks; /* also links that leave the roots */
    int ignore_files;        /* honour .gitignore, .ignore, .mlsearchignore (ignore.h) */
} mls_crawl_options;

/* Called for each note found: its path and stat (both borrowed for the
 * call).  Return nonzero to stop the crawl. */
typedef int (*mls_crawl_note_fn)(const char *path, const struct stat *st, void *ctx);

typedef enum mls_crawl_problem {
    MLS_CRAWL_PASSED_OVER, /* on purpose: a link out of the roots, a file or
                              folder met again by another path (a loop), a
                              FIFO or device named like a note */
    MLS_CRAWL_BROKEN,      /* a broken symbolic link (or one to itself) */
    MLS_CRAWL_UNREADABLE   /* could not be read: what is under it may exist */
} mls_crawl_problem;

/* Called for each path passed over or not readable, with the reason. */
typedef void (*mls_crawl_problem_fn)(const char *path, mls_crawl_problem kind, const char *reason,
                                     void *ctx);

/* 1 if `path` is `root` or lies under it (both canonical). */
int mls_path_is_under(const char *path, const char *root);

/* 1 if `name` looks like a note by default: *.md, *.markdown, *.txt, any case. */
int mls_crawl_is_note_name(const char *name);

/* 1 if `glob` matches `name` (the last component of the path) or, when it
 * holds a '/', `relative` (the path below its root); case is ignored. */
int mls_crawl_glob_matches(const char *glob, const char *name, const char *relative);

/* Walks the roots in order, each in sorted order.  A root that is a file
 * is a note whatever its name; under a directory, notes are the regular
 * files an include glob matches (by default mls_crawl_is_note_name()),
 * unless an exclude glob matches them or a folder above them, or (with
 * `ignore_files`) an ignore file of theirs does (ignore.h).  Hidden
 * entries (".git", ".cache") are skipped.
 *
 * Every file and folder is visited once, however many paths lead to it
 * (hard links, symbolic links, overlapping roots), so there are no loops.
 * Symbolic links are followed last, after the real paths, and only when
 * they lead inside a root (or `follow_all_symlinks`), so a note reached
 * both ways is found under its real path.  Globs apply to the path as the
 * walk meets it: a link is judged by its own name, and what lies beyond it
 * by the path through it.  Fails with MLS_ERR_NOMEM (stopped by `note`, it
 * returns MLS_OK); the rest goes to `problem` and the walk goes on. */
mls_status mls_crawl(const mls_crawl_options *opt, mls_crawl_note_fn note,
                     mls_crawl_problem_fn problem, void *ctx);

#endif
