/* location.h - where the index lives.
 *
 * The rule: the --db flag if given, else $MLSEARCH_DB, else
 * $XDG_DATA_HOME/mlsearch, else ~/.local/share/mlsearch.  Notes are
 * private, so the index directory is created with mode 0700. */
#ifndef MLSEARCH_LOCATION_H
#define MLSEARCH_LOCATION_H

#include "mlsearch/status.h"

/* Resolves the index directory by the rule above; `flag` is the --db value
 * or NULL.  The caller frees *out.  MLS_ERR_INVALID when no rule gives a
 * directory (no HOME), MLS_ERR_NOMEM. */
mls_status mls_index_location(const char *flag, char **out);

/* Creates `dir` and its missing parents; `dir` itself gets mode 0700.
 * MLS_ERR_IO with errno set on failure. */
mls_status mls_make_private_dir(const char *dir);

#endif
