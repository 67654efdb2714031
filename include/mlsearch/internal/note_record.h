/* note_record.h - a note as its index documents keep it.
 *
 * One document per note (terms.h): the terms of all its passages, with
 * positions that run on through the note, then those of its context
 * strings (the headings and list items its passages sit under, each
 * distinct one once).  Its record says which positions are whose: the
 * note's path; each passage's place in the note (kind, lines, column), the
 * range of its terms' positions, its context as indexes into the note's
 * context strings, its text's length and a hash of it; each context
 * string's kind, text and positions.  Nothing is stored twice: a heading
 * above fifty passages is one string.
 *
 * The passages' texts are what a search reads least (a note's record is
 * read for every note that may match; a text only for a hit shown, or a
 * check the positions cannot make), and most of the bytes: a small note
 * keeps them in its record, a larger one in chunks of about
 * MLS_NOTE_CHUNK_BYTES, each the data of a document of its own that
 * follows the note's in its index, read only when one of its texts is
 * needed.
 *
 * Numbers are varints (record.h), lines and positions as deltas, a
 * passage's context lists as "the same as the passage before's"; every
 * text is followed by a NUL, so that decoded texts are C strings pointing
 * into the record's own copy of the bytes.
 */
#ifndef MLSEARCH_NOTE_RECORD_H
#define MLSEARCH_NOTE_RECORD_H

#include <stddef.h>
#include <stdint.h>
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
    const char *text; /* NUL-terminated, `text_len` bytes; NULL while its
                         chunk is not read (mls_note_record_add_chunk()) */
    size_t text_len;
    uint32_t text_hash; /* of its text, to find equal texts unread */
    size_t chunk;       /* the chunk that holds its text */
} mls_note_passage;

/* A note's texts stay in its record up to this many bytes (with their
 * NULs); above, they go into chunks of at most MLS_NOTE_CHUNK_BYTES each
 * (or one passage's, when it alone is larger). */
#define MLS_NOTE_INLINE_BYTES 4096
#define MLS_NOTE_CHUNK_BYTES 16384

typedef struct mls_note_record {
    const char *path; /* the note's absolute path, NUL-terminated */
    size_t path_len;
    mls_note_context *contexts;
    size_t context_count;
    mls_note_passage *passages; /* in note order; positions never go back */
    size_t passage_count;
    size_t chunk_count; /* documents of texts after the note's; 0: the
                           texts are in the record */
    unsigned *ids_;     /* private: storage behind every headings and items */
    char *bytes_;       /* private: the decoded record's copy of its bytes */
    char **chunks_;     /* private: copies of the chunks read, by number */
} mls_note_record;

/* Sets each passage's text_hash and chunk, and the record's chunk_count,
 * from the passages' texts: what the indexer does before encoding. */
void mls_note_record_split(mls_note_record *r);

/* Encodes `r` (its passages' positions nondecreasing, every context index
 * below context_count, their chunks nondecreasing from 0 and below
 * chunk_count, with their texts when chunk_count is 0).  The caller frees
 * *out.  MLS_ERR_INVALID for a record that breaks those rules,
 * MLS_ERR_NOMEM. */
mls_status mls_note_record_encode(const mls_note_record *r, char **out, size_t *out_len);

/* Encodes chunk `k` of `r`: the texts of its passages, which must be
 * there.  As mls_note_record_encode(). */
mls_status mls_note_record_encode_chunk(const mls_note_record *r, size_t k, char **out,
                                        size_t *out_len);

/* 1 if `data` is a chunk of texts, not a note's record. */
int mls_note_record_is_chunk(const char *data, size_t len);

/* Reads chunk `k` of `r` (what mls_note_record_encode_chunk() wrote)
 * into the texts of its passages.  MLS_ERR_DB_CORRUPT if the bytes are
 * not that chunk (not one, other lengths, other texts: the document after
 * a note's is not its chunk), MLS_ERR_NOMEM; `r` is then unchanged. */
mls_status mls_note_record_add_chunk(mls_note_record *r, size_t k, const char *data, size_t len);

/* Decodes what mls_note_record_encode() wrote into a record the caller
 * frees with mls_note_record_free(); the texts of its chunks are NULL.  MLS_ERR_DB_CORRUPT if the
 * bytes are not such a record (nothing read out of bounds), MLS_ERR_NOMEM; *out is then NULL. */
mls_status mls_note_record_decode(const char *data, size_t len, mls_note_record **out);

/* Passage `i` of `r` as a passage of its own (passage.h), with copies of
 * the path, its context strings and its text (which must be read); the
 * caller clears *out (mls_passage_clear()).  With `path_only`, *out holds the path alone.
 * MLS_ERR_INVALID if its text is not read, MLS_ERR_NOMEM (*out then
 * cleared). */
mls_status mls_note_record_passage(const mls_note_record *r, size_t i, int path_only,
                                   mls_passage *out);

/* Frees a decoded record; NULL is fine. */
void mls_note_record_free(mls_note_record *r);

#endif
