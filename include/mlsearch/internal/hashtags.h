/* hashtags.h - the tags written in a note's text: `#mlops`, `#推論`.
 *
 * A tag is `#` at the start of the text or after a space (or an opening
 * parenthesis), then letters, digits, marks, `_`, `-` and `/` (as
 * Obsidian reads them), with at least one that is not a digit of any
 * script: `#123`, `#１２３` and `#123-4` are numbers, `##` and `C#` are no
 * tags.  The caller gives only text
 * that is prose (markdown.c: cmark's text nodes, so not code, nor a link's
 * address, nor a heading's marks). */
#ifndef MLSEARCH_HASHTAGS_H
#define MLSEARCH_HASHTAGS_H

#include <stddef.h>
#include "mlsearch/status.h"
#include "mlsearch/strings.h"

/* Appends each tag of the `len` bytes of UTF-8 `text` to `tags`, without
 * its `#` (trailing `-`, `/` and `_` left out); `after_word`: the text
 * goes on from a word (the end of `**bold**`, of a code span), so a `#`
 * at its very start begins no tag.  Fails only with MLS_ERR_NOMEM. */
mls_status mls_hashtags(const char *text, size_t len, int after_word, mls_strings *tags);

#endif
