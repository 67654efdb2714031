/* strings.h - a growable list of owned strings.
 *
 * Roots, include and exclude globs, a note's tags: lists that the
 * configuration, the indexer and the command build one string at a time.
 */
#ifndef MLSEARCH_STRINGS_H
#define MLSEARCH_STRINGS_H

#include <stddef.h>
#include "mlsearch/status.h"

typedef struct mls_strings {
    char **items; /* `count` strings, each the list's own */
    size_t count, capacity;
} mls_strings;

/* Appends a copy of `s` to `list` (zeroed at first).  MLS_ERR_NOMEM. */
mls_status mls_strings_add(mls_strings *list, const char *s);
/* Frees every string and the list's storage, and zeroes it. */
void mls_strings_free(mls_strings *list);

#endif
