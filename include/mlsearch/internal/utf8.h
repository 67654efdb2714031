/* utf8.h - making untrusted bytes safe to parse and to show.
 *
 * Notes come from anywhere.  Before a note is parsed it is made valid
 * UTF-8 here, so that every later stage (cmark, the tokenizer, snippets,
 * JSON) sees well-formed text and line numbers stay those of the file. */
#ifndef MLSEARCH_UTF8_H
#define MLSEARCH_UTF8_H

#include <stddef.h>
#include "mlsearch/status.h"

/* Copies `len` bytes of `bytes` into a new NUL-terminated buffer in which
 * every invalid UTF-8 byte and every NUL is replaced by U+FFFD.  Newlines
 * are kept as they are, so line numbers do not move.
 * *replaced is set to the number of replacements made.
 * The caller frees *out.  Fails only with MLS_ERR_NOMEM (*out is NULL). */
mls_status mls_utf8_sanitize(const char *bytes, size_t len, char **out, size_t *out_len,
                             size_t *replaced);

/* The length in bytes (1 to 4) of the valid UTF-8 sequence at the start of
 * `s` (`len` bytes available), or 0 if it does not start with one; the code
 * point goes to *codepoint when that is not NULL. */
size_t mls_utf8_next(const char *s, size_t len, int *codepoint);

/* The length of the line break at byte `i` of `s` (`len` bytes): 2 for
 * "\r\n", 1 for "\n" or a lone "\r" (cmark's rule), 0 for none. */
size_t mls_line_break(const char *s, size_t len, size_t i);

/* 1 if the `len` bytes of `s` are all valid UTF-8. */
int mls_utf8_valid(const char *s, size_t len);

#endif
