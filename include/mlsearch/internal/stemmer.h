/* stemmer.h - English words to their stems, for the indexer (Z terms),
 * the query parser and the snippets alike.
 *
 * Xapian's English (Porter2) stemmer, wrapped in lib/xapian_shim.cc with
 * the rest of the C++, but apart from the index: the parser and the
 * snippet code stem words and know nothing of the database.
 */
#ifndef MLSEARCH_STEMMER_H
#define MLSEARCH_STEMMER_H

#include <stddef.h>
#include "mlsearch/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One per thread. */
typedef struct mls_stemmer mls_stemmer;
mls_status mls_stemmer_new(mls_stemmer **out);
/* The stem of the normalized word `word`, borrowed until the next call on
 * `s`.  Fails only with MLS_ERR_NOMEM. */
mls_status mls_stem(mls_stemmer *s, const char *word, size_t len, const char **stem,
                    size_t *stem_len);
void mls_stemmer_free(mls_stemmer *s);

#ifdef __cplusplus
}
#endif

#endif
