/* note_record.h - a note as its index document keeps it.
 *
 * One document per note (terms.h): the terms of all its passages, with
 * positions that run on through the note, then those of its context
 * strings (the headings and list items its passages sit under, each
 * distinct one once).  The record says which positions are whose: each
 * note's path; each passage's place in the note (kind, lines, column), the range of its
 * terms' positions, its text, and its context as indexes into the note's
 * context strings; each context string's kind, text and positions.
 * Nothing is stored twice: a heading above fifty passages is one string.
 *
 * Numbers are varints (record.h), lines and positions as deltas, a
 * passage's context lists as "the same as the passage before's"; every
 * text is followed by a NUL, so that decoded texts are C strings pointing
 * into the record's own copy of the bytes.
 */
#ifndef MLSEARCH_NOTE_RECORD_H
#define MLSEARCH_NOTE_RECORD_H

#include <stddef.h>
#include "mlsearch/passage.h"
#include "mlsearch/status.h"

typedef enum mls_context_kind {
    MLS_CONTEXT_HEADING, /* a heading of the heading path */
    MLS_CONTEXT_ITEM     /* the text of an enclosing list item */
} mls_context_kind;

typedef struct mls_note_context {
    mls_context_kind kind;
    const char *text; /* NUL-terminated, `text_len` bytes */
    size_t text_len;
    unsigned first_pos, end_pos; /* its terms' positions: [first_pos, end_pos) */
} mls_note_context;

typedef struct mls_note_passage {
    mls_block_kind kind;
    unsigned line, column, end_line; /* as in passage.h */
    unsigned first_pos, end_pos;     /* its terms' positions: [first_pos, end_pos) */
    const unsigned *headings;        /* contexts of its heading path, outermost first */
    size_t heading_count;
    const unsigned *items; /* contexts of its enclosing items, outermost first */
    size_t item_count;
    const char *text; /* NUL-terminated, `text_len` bytes */
    size_t text_len;
} mls_note_passage;

typedef struct mls_note_record {
    const char *path; /* the note's absolute path, NUL-terminated */
    size_t path_len;
    mls_note_context *contexts;
    size_t context_count;
    mls_note_passage *passages; /* in note order; positions never go back */
    size_t passage_count;
    unsigned *ids_; /* private: storage behind every headings and items */
    char *bytes_;   /* private: the decoded record's copy of its bytes */
} mls_note_record;

/* Encodes `r` (its passages' positions nondecreasing, every context index
 * below context_count).  The caller frees *out.  MLS_ERR_INVALID for a
 * record that breaks those rules, MLS_ERR_NOMEM. */
mls_status mls_note_record_encode(const mls_note_record *r, char **out, size_t *out_len);

/* Decodes what mls_note_record_encode() wrote into a record the caller
 * frees with mls_note_record_free().  MLS_ERR_DB_CORRUPT if the bytes are
 * not such a record (nothing read out of bounds), MLS_ERR_NOMEM; *out is
 * then NULL. */
mls_status mls_note_record_decode(const char *data, size_t len, mls_note_record **out);

/* Passage `i` of `r` as a passage of its own (passage.h), with copies of
 * the path, its context strings and its text; the caller clears *out
 * (mls_passage_clear()).  With `path_only`, *out holds the path alone.
 * Fails only with MLS_ERR_NOMEM, *out then cleared. */
mls_status mls_note_record_passage(const mls_note_record *r, size_t i, int path_only,
                                   mls_passage *out);

/* Frees a decoded record; NULL is fine. */
void mls_note_record_free(mls_note_record *r);

#endif
