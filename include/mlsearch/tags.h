/* tags.h - the tags of the notes an index holds: those of their front
 * matter and the #tags of their prose, normalized as `tag:` queries match
 * them (terms.h, mls_tag_term). */
#ifndef MLSEARCH_TAGS_H
#define MLSEARCH_TAGS_H

#include <stddef.h>
#include "mlsearch/db.h"
#include "mlsearch/status.h"

/* Calls `each(tag, len, notes, ctx)` for every tag of `db` (a joined
 * index too), in byte order, with the number of notes that have it; stops
 * early when `each` returns nonzero.  Fails as the database does. */
typedef int (*mls_tag_fn)(const char *tag, size_t len, size_t notes, void *ctx);
mls_status mls_tags_list(mls_db *db, mls_tag_fn each, void *ctx);

#endif
