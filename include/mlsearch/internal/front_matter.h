/* front_matter.h - a note's YAML front matter: a first line `---`, up to
 * a line `---` or `...` (a `---` followed by a blank line is a thematic
 * break, as pandoc reads it).  It is no body text: the passages leave it
 * out, and its `tags:` are the note's tags. */
#ifndef MLSEARCH_FRONT_MATTER_H
#define MLSEARCH_FRONT_MATTER_H

#include <stddef.h>
#include "mlsearch/status.h"
#include "mlsearch/strings.h"

/* Blanks a front-matter block at the start of `text` out in place (every
 * byte but line ends becomes a space), which keeps the line numbers of
 * everything after it. */
void mls_front_matter_blank(char *text, size_t len);

/* Appends to `tags` the tags of the note's front matter: `tags: a, b`,
 * `tags: [a, "b"]`, or `tags:` then lines `- a`, as written (the caller
 * normalizes them).  Fails only with MLS_ERR_NOMEM. */
mls_status mls_front_matter_tags(const char *text, size_t len, mls_strings *tags);

#endif
