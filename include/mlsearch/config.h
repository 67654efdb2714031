/* config.h - the configuration file, so that a crontab line is just
 * `mlsearch index`.
 *
 * $XDG_CONFIG_HOME/mlsearch/config (else ~/.config/mlsearch/config; see
 * mls_config_location()), read if it exists.  One setting per line, a
 * name and a value separated by spaces; a '#' at the start of a line or
 * after a space starts a comment; blank lines are ignored:
 *
 *     root ~/notes              a folder or file to index (repeatable)
 *     include *.md              which files are notes (repeatable; replaces
 *                               the default *.md, *.markdown, *.txt)
 *     exclude drafts            files or folders to skip (repeatable)
 *     max-size 16M              larger notes are skipped with a warning
 *                               (bytes, or with K, M or G)
 *     follow-symlinks inside    inside (default): follow links only to
 *                               places inside the roots; all: any link
 *     ignore-files yes          yes (default): skip what .gitignore,
 *                               .ignore and .mlsearchignore exclude;
 *                               no: as --no-ignore, for every run
 *
 * Notebooks: each a name and an index of its own, searched together (one
 * ranking) or alone (`-N NAME`).  A `notebook` line starts one; the
 * `root`, `db` and `remote` lines after it are its own:
 *
 *     notebook work             a name: letters, digits, '-', '_', '.'
 *     root ~/work-notes         what it indexes
 *     db ~/.cache/mls-work      its index (default: DATA/notebooks/NAME,
 *                               DATA the default index's directory)
 *     notebook team
 *     remote 10.0.0.5:33333     an index served by `mlsearch serve`
 *
 * `root` lines before any `notebook` line are the default notebook's,
 * named "default".  include, exclude, max-size, follow-symlinks and
 * ignore-files hold
 * for every notebook, and come before the first `notebook` line.
 *
 * A leading "~/" in a root means $HOME.  Globs are fnmatch(3) patterns,
 * matched without regard to case: one without '/' against a name, one with
 * '/' against the path below the root ("docs/old-*" skips docs/old-2019). */
#ifndef MLSEARCH_CONFIG_H
#define MLSEARCH_CONFIG_H

#include <stddef.h>
#include "mlsearch/status.h"
#include "mlsearch/strings.h"

typedef struct mls_notebook {
    char *name;
    mls_strings roots;
    char *db;     /* its index directory; NULL: the default */
    char *remote; /* "HOST:PORT" of a served index; NULL: local */
} mls_notebook;

typedef struct mls_config {
    mls_strings roots;    /* the default notebook's */
    mls_strings includes; /* empty: the defaults */
    mls_strings excludes;
    size_t max_file_size; /* 0: not set */
    int follow_all_symlinks;
    int no_ignore;           /* ignore-files no */
    mls_notebook *notebooks; /* in the order of the file */
    size_t notebook_count, notebook_capacity;
} mls_config;

/* Adds the settings in `text` to `cfg` (zeroed by the caller, or holding
 * earlier settings).  `name` names the text in messages.  Fails with
 * MLS_ERR_CONFIG and *error = "NAME:LINE: reason" (the caller frees it), or
 * MLS_ERR_NOMEM. */
mls_status mls_config_parse(const char *text, size_t len, const char *name, mls_config *cfg,
                            char **error);

/* Reads and parses the file at `path`; a missing file is an empty
 * configuration.  Fails as mls_config_parse(), or with MLS_ERR_IO and
 * *error = "PATH: reason" ("PATH: not a regular file" for a folder, a
 * FIFO or a device, which is never waited on). */
mls_status mls_config_load(const char *path, mls_config *cfg, char **error);

void mls_config_free(mls_config *cfg);

/* Parses a size: digits, then optionally K, M or G (powers of 1024).
 * 0 if `s` is not one, or is 0, or does not fit. */
int mls_parse_size(const char *s, size_t *out);

#endif
