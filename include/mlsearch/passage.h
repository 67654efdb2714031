/* passage.h - the unit of search: one leaf block of a Markdown note.
 *
 * A passage is a paragraph, a heading, a code block or an HTML block.  A
 * list item's own text is the paragraph(s) directly inside it; the items
 * nested under it are passages of their own.  Each passage carries its
 * context: the heading path above it and the text of the list items it is
 * nested in, outermost first.  Context is searchable, with lower weight.
 * A heading inside a list item or block quote is a passage but is not
 * part of the heading path of what follows it.
 *
 * The same record is written into the index (as a document's data) and
 * read back by the searcher, so its encoding lives here too. */
#ifndef MLSEARCH_PASSAGE_H
#define MLSEARCH_PASSAGE_H

#include <stddef.h>
#include "mlsearch/status.h"

/* Context strings are cut to their first line and this many bytes, and a
 * passage keeps only its nearest enclosing items: enough to find it by,
 * without every passage of a deep list carrying (and indexing) all of it. */
#define MLS_CONTEXT_MAX_BYTES 200
#define MLS_CONTEXT_MAX_ITEMS 8

/* A block longer than this (a pasted log, a note of one long line) is cut
 * into passages of at most this many bytes, between lines or words where
 * it can: no document, nor the memory to index or show one, grows with
 * the note.  A phrase across a cut is not found. */
#ifndef MLS_PASSAGE_MAX_BYTES /* the fuzz build makes it small, to cut often */
#define MLS_PASSAGE_MAX_BYTES (64 * 1024)
#endif

typedef enum mls_block_kind {
    MLS_BLOCK_PARAGRAPH,
    MLS_BLOCK_HEADING,
    MLS_BLOCK_CODE,
    MLS_BLOCK_HTML
} mls_block_kind;

typedef struct mls_passage {
    char *path;        /* absolute path of the note */
    unsigned line;     /* first line, 1-based */
    unsigned column;   /* first byte on that line, 1-based */
    unsigned end_line; /* last line, 1-based */
    mls_block_kind kind;
    char **headings; /* heading path above the passage, outermost first */
    size_t heading_count;
    char **items; /* text of the enclosing list items, outermost first */
    size_t item_count;
    char *text; /* the passage's source text, valid UTF-8 */
    size_t text_len;
} mls_passage;

/* A growable array of passages; every string in it is owned by it. */
typedef struct mls_passage_list {
    mls_passage *items;
    size_t count;
    size_t capacity_;
} mls_passage_list;

/* Frees the passages' strings and the array, leaving `list` empty (the
 * struct itself is the caller's: usually on the stack); NULL is fine. */
void mls_passage_list_free(mls_passage_list *list);

/* Frees the strings of one passage (not the passage itself). */
void mls_passage_clear(mls_passage *p);

/* Encodes `p` (path included) as the byte string stored with its document.
 * The caller frees *out.  Fails only with MLS_ERR_NOMEM. */
mls_status mls_passage_encode(const mls_passage *p, char **out, size_t *out_len);

/* Decodes what mls_passage_encode() wrote into *p, which the caller later
 * clears with mls_passage_clear().  MLS_ERR_DB_CORRUPT if the bytes are not
 * such a record, MLS_ERR_NOMEM; on failure *p is left cleared. */
mls_status mls_passage_decode(const char *data, size_t len, mls_passage *p);

/* Decodes only the path of such a record (the caller frees *path):
 * enough to list the files of a million hits.  Fails as above. */
mls_status mls_passage_decode_path(const char *data, size_t len, char **path);

#endif
