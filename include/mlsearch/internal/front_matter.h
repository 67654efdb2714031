/* front_matter.h - a note's YAML front matter: a first line `---`, up to
 * a line `---` or `...` (a `---` followed by a blank line is a thematic
 * break, as pandoc reads it).  It is no body text: the passages leave it
 * out, its `tags:` are the note's tags and its `date:` its date. */
#ifndef MLSEARCH_FRONT_MATTER_H
#define MLSEARCH_FRONT_MATTER_H

#include <stddef.h>
#include "mlsearch/dates.h"
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

/* The note's front-matter `date:` (quoted or not, as mls_date_read()
 * reads it) into `out`: 1; 0 when it has none; -1 when what is written
 * there is no date, *written then pointing to it (*written_len bytes). */
int mls_front_matter_date(const char *text, size_t len, char out[MLS_DATE_SIZE],
                          const char **written, size_t *written_len);

#endif
