/* output.h - printing hits for a person at a terminal. */
#ifndef MLSEARCH_OUTPUT_H
#define MLSEARCH_OUTPUT_H

#include <stddef.h>
#include <stdio.h>
#include "mlsearch/query.h"
#include "mlsearch/search.h"

typedef struct mls_output_options {
    int color;              /* ANSI colours, matches in bold red */
    const char *cwd;        /* paths under it print relative to it; NULL: absolute */
    size_t snippet_width;   /* terminal columns for the snippet */
} mls_output_options;

/* Prints one line per hit:
 *     path:line: heading › heading › snippet
 * where line is the line of the first match in the passage (its first line
 * when only its context matched).  Everything from notes is escaped.
 * MLS_ERR_IO (errno set) when writing fails, as on a closed pipe;
 * MLS_ERR_NOMEM. */
mls_status mls_output_hits(FILE *out, const mls_query *q, const mls_hits *hits,
                           const mls_output_options *opt);

/* `path` as shown: relative to `cwd` when it lies under it, else as it is
 * (a pointer into `path`). */
const char *mls_display_path(const char *path, const char *cwd);

#endif
