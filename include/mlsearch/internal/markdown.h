/* markdown.h - a Markdown note to passages, with libcmark. */
#ifndef MLSEARCH_MARKDOWN_H
#define MLSEARCH_MARKDOWN_H

#include <stddef.h>
#include "mlsearch/strings.h"
#include "mlsearch/passage.h"

/* Splits the note `text` (`len` bytes of valid UTF-8 without NUL bytes, as
 * mls_utf8_sanitize() makes it) into passages, appended to `list` in
 * document order, each with `path` copied into it.
 *
 * A YAML front-matter block (a first line `---`, up to a line `---` or
 * `...`) is not body text and gives no passage.  Blank passages (an empty
 * code block) are left out.  The tags written in its prose (`#mlops`,
 * hashtags.h; not in code) are appended to `tags` when it is not NULL.
 * Any text is valid Markdown, so this fails only with MLS_ERR_NOMEM;
 * passages appended before the failure stay in `list`. */
mls_status mls_markdown_passages(const char *path, const char *text, size_t len,
                                 mls_passage_list *list, mls_strings *tags);

#endif
