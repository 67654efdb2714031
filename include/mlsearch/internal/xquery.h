/* xquery.h - a parsed query (query.h) as a Xapian query (db.h) for the
 * notes where it may match a passage.
 *
 * Each unit: its text as a phrase (anywhere in the note: a passage's text
 * or a context string), a lone word's stem and a katakana word's other
 * form weighted down; the positive clauses ANDed, the filters (path:,
 * tag:) applied, negated filters taken away, and only note documents
 * ever matched.  Which passages match, and negated words, are for
 * note_match.h to decide.
 */
#ifndef MLSEARCH_XQUERY_H
#define MLSEARCH_XQUERY_H

#include "mlsearch/db.h"
#include "mlsearch/query.h"
#include "mlsearch/status.h"

/* The Xapian query for `q`; the caller frees it with mls_xq_free(). */
mls_status mls_query_build(const mls_query *q, mls_xq **out);

#endif
