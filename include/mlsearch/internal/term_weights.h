/* term_weights.h - what each term of a note weighs in its best passage.
 *
 * The index keeps it as the term's wdf in the note's document (weight.h),
 * so that Xapian ranks notes by their best passages.  The indexer counts
 * each occurrence of a term, passage by passage; at a passage's end, each
 * of its terms weighs BM25's saturation of its count there, and a term
 * keeps the most it weighs anywhere.  A term of a context string weighs
 * what a match in the context of a typical passage does.
 */
#ifndef MLSEARCH_TERM_WEIGHTS_H
#define MLSEARCH_TERM_WEIGHTS_H

#include <stddef.h>
#include "mlsearch/db.h"
#include "mlsearch/status.h"

typedef struct mls_term_weights mls_term_weights;

mls_status mls_term_weights_new(mls_term_weights **out);
void mls_term_weights_free(mls_term_weights *w);

/* One occurrence of `term` in the passage being read. */
mls_status mls_term_weights_count(mls_term_weights *w, const char *term, size_t len);

/* The passage being read ends, `len` terms long; the next counts anew. */
void mls_term_weights_end_passage(mls_term_weights *w, double len);

/* `term` in a context string. */
mls_status mls_term_weights_context(mls_term_weights *w, const char *term, size_t len);

/* Calls `each(term, len, wdf, ctx)` for each term, in the order first
 * met, with its weight as a wdf (mls_weight_hint()); stops at the first
 * status that is not MLS_OK, and returns it. */
typedef mls_status (*mls_term_weight_fn)(const char *term, size_t len, unsigned wdf, void *ctx);
mls_status mls_term_weights_each(const mls_term_weights *w, mls_term_weight_fn each, void *ctx);

/* Adds each term to `doc` with its weight as wdf. */
mls_status mls_term_weights_add_to(const mls_term_weights *w, mls_doc *doc);

#endif
