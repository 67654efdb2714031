/* ignore.h - the ignore files of a notes tree: `.gitignore`, `.ignore`
 * and `.mlsearchignore`, read with git's rules (gitignore(5)).
 *
 * Each folder the crawl enters may hold them; their patterns apply to
 * what lies below that folder, and a deeper folder's override a higher
 * one's; in one folder `.ignore` overrides `.gitignore`, and
 * `.mlsearchignore` both (as ripgrep reads them), and within a file the
 * last pattern that matches decides.  A pattern:
 *  - `#` starts a comment, a blank line is nothing, trailing spaces go
 *    (unless escaped with `\`), `\#` and `\!` are the characters;
 *  - `!` re-includes what an earlier pattern ignored (but nothing inside
 *    a folder that is ignored: the crawl does not enter it);
 *  - a trailing `/` matches folders only;
 *  - with a `/` at its start or middle, it is matched against the path
 *    below the ignore file's folder, else against the name alone, at any
 *    depth;
 *  - `*`, `?` and `[...]` do not match `/`; `**` as a whole component
 *    matches any number of folders (`**` + `/foo`, `foo/` + `**`,
 *    `a/` + `**` + `/b`).
 * As in git, `***` is `**`, a pattern with an unclosed `[` matches
 * nothing, a byte order mark before the first pattern is not part of it,
 * and an ignore file that is a symbolic link or not a regular file is as
 * none.  Those above a root are read too (mls_ignore_above()); git's own
 * (.git/info/exclude, core.excludesFile) are not. */
#ifndef MLSEARCH_IGNORE_H
#define MLSEARCH_IGNORE_H

#include <stddef.h>
#include "mlsearch/status.h"

/* The rules in force in one folder of the walk: its own ignore files' and,
 * through `up`, those of the folders above it. */
typedef struct mls_ignore mls_ignore;

/* The rules for folder `path` (whose path below the root is `relative`,
 * "" for the root), on top of `up` (at a root, the rules above it,
 * mls_ignore_above(), or NULL): its ignore files' patterns, or none.  *out is freed with
 * mls_ignore_free() (which frees this folder's rules alone).  Fails only with MLS_ERR_NOMEM; an
 * ignore file that cannot be read is as none. */
mls_status mls_ignore_enter(const mls_ignore *up, const char *path, const char *relative,
                            mls_ignore **out);
void mls_ignore_free(mls_ignore *ignore);

/* 1 if the rules ignore the file or folder (`is_dir`) whose path below
 * the root is `relative`. */
int mls_ignore_matches(const mls_ignore *ignore, const char *relative, int is_dir);

/* The rules in force inside folder `relative` below `root` ("" for the
 * root itself), read from the root down as the walk reads them, on top of
 * `above` (mls_ignore_above()'s, or NULL): *out (the deepest, freed with
 * mls_ignore_free(), which frees those down from the root too, not
 * `above`).  *ignored: a folder on the way is ignored (then *out stops
 * above it).  For what a symbolic link leads to, which the walk reaches
 * later.  Fails only with MLS_ERR_NOMEM. */
mls_status mls_ignore_chain(const char *root, const mls_ignore *above, const char *relative,
                            mls_ignore **out, int *ignored);

/* The rules of the ignore files of the folders above `root` (an absolute
 * path), as ripgrep reads them: `.ignore` and `.mlsearchignore` of every
 * folder up to `/`, and `.gitignore` of those inside the git repository
 * the root lies in (up to the nearest folder holding `.git`; none when
 * the root is the repository's top).  A pattern of such a folder matches
 * the path from that folder down (`docs/build/` in the repository's top
 * reaches the root `docs`'s `build`), a deeper folder's winning as below
 * the root.  The root, and the folders it lies in, are indexed whatever
 * they say, as a path named on ripgrep's command line is searched.  *out
 * is NULL when no folder above has a pattern; freed with
 * mls_ignore_free(), it is the `up` of the root's rules.  Fails only with
 * MLS_ERR_NOMEM. */
mls_status mls_ignore_above(const char *root, mls_ignore **out);

/* 1 if `pattern` matches `path` as git's wildmatch does with its pathname
 * rule: `*`, `?`, `[...]` within a component, `**` across them. */
int mls_ignore_wildmatch(const char *pattern, const char *path);

#endif
