/* location.h - where the index and the configuration live.
 *
 * The index: the --db flag if given, else $MLSEARCH_DB, else
 * $XDG_DATA_HOME/mlsearch, else ~/.local/share/mlsearch.  Notes are
 * private, so the index directory is created with mode 0700, and one
 * that others may write to is refused (mls_index_private).  The
 * configuration: $XDG_CONFIG_HOME/mlsearch/config, else
 * ~/.config/mlsearch/config (the XDG base directory rules). */
#ifndef MLSEARCH_LOCATION_H
#define MLSEARCH_LOCATION_H

#include "mlsearch/status.h"

/* Resolves the index directory by the rule above; `flag` is the --db value
 * or NULL.  The caller frees *out.  MLS_ERR_INVALID when no rule gives a
 * directory (no HOME), MLS_ERR_NOMEM. */
mls_status mls_index_location(const char *flag, char **out);

/* The configuration file's path by the rule above; the caller frees it.
 * MLS_ERR_INVALID when neither XDG_CONFIG_HOME nor HOME is set. */
mls_status mls_config_location(char **out);

/* `path` with a leading "~/" (or a lone "~") replaced by $HOME; the
 * caller frees *out.  MLS_ERR_NOMEM. */
mls_status mls_expand_home(const char *path, char **out);

/* Creates `dir` and its missing parents; `dir` itself gets mode 0700.
 * MLS_ERR_IO with errno set on failure. */
mls_status mls_make_private_dir(const char *dir);

/* Whether the index in `dir` is its owner's alone: whoever may write to
 * the directory, or to its `index` stub file, may point the stub at
 * another index, even a remote one that would then receive the queries.
 * (`dir` may also be a stub file itself, as a notebook's `db`.)  MLS_OK
 * also when there is nothing at `dir`; MLS_ERR_NOT_PRIVATE when the
 * directory or the stub is writable by the group or others, with *why
 * (the caller frees it) saying so and what to do ("writable by other
 * users, ...; make it private: chmod 700 DIR"); MLS_ERR_NOMEM. */
mls_status mls_index_private(const char *dir, char **why);

#endif
