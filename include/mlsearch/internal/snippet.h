/* snippet.h - where a query matched in a passage, and the part to show. */
#ifndef MLSEARCH_SNIPPET_H
#define MLSEARCH_SNIPPET_H

#include <stddef.h>
#include "mlsearch/escape.h"
#include "mlsearch/query.h"
#include "mlsearch/status.h"

/* Finds every place where a unit of `q` (not a negated one) matches in `text` (tokenized as
 * at index time): sorted, overlapping spans merged.  *spans is NULL when
 * *count is 0; the caller frees it.  Fails only with MLS_ERR_NOMEM. */
mls_status mls_match_spans(const mls_query *q, const char *text, size_t len, mls_span **spans,
                           size_t *count);

typedef struct mls_snippet {
    char *text; /* safe to print: one line, controls escaped */
    size_t len;
    mls_span *spans; /* the matches, as byte ranges of `text` */
    size_t span_count;
} mls_snippet;

/* Makes the snippet of `text` around its first match: one line as
 * mls_escape_line() makes it, cut on character boundaries to about `width`
 * terminal columns, with "…" where text was cut; a cut that would split a
 * word of ASCII letters moves to a space near it (never into the match).  However long the text,
 * only a window of it around the first match is looked at.  `spans` are matches in `text` as from
 * mls_match_spans().  Clear *out with mls_snippet_clear().  Fails only with
 * MLS_ERR_NOMEM. */
mls_status mls_snippet_make(const char *text, size_t len, const mls_span *spans, size_t span_count,
                            size_t width, mls_snippet *out);
void mls_snippet_clear(mls_snippet *s);

/* The terminal columns the `len` bytes of UTF-8 `s` take (a wide CJK
 * character two, a combining mark none, a stray byte one). */
size_t mls_columns(const char *s, size_t len);

/* Where the end of `s` (`len` bytes) that takes at most `columns` columns
 * starts, on a character boundary. */
size_t mls_columns_from_end(const char *s, size_t len, size_t columns);

#endif
