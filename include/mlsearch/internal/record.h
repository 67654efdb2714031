/* record.h - the byte strings stored with index documents.
 *
 * A record is a run of NUL-terminated fields, numbers in decimal, read
 * back in the order they were written; a final field may run to the end
 * without a NUL.  A compact record (a note's, note_record.h) writes its
 * numbers as varints instead: 7 bits a byte, low bits first, the high bit
 * set on every byte but the last.  Passages (passage.h) and the manifest entries of notes
 * (indexer.c) are records.  Text put into a record must hold no NUL:
 * sanitized note text never does. */
#ifndef MLSEARCH_RECORD_H
#define MLSEARCH_RECORD_H

#include <stddef.h>
#include "mlsearch/status.h"

typedef struct mls_record_writer {
    char *data;
    size_t len, capacity;
    int failed; /* an allocation failed; later puts do nothing */
} mls_record_writer;

/* Appends `n` bytes, no NUL (for the final field). */
void mls_record_put(mls_record_writer *w, const char *s, size_t n);
/* Appends a string and its NUL. */
void mls_record_put_field(mls_record_writer *w, const char *s);
void mls_record_put_number(mls_record_writer *w, unsigned long long n);
/* Appends `n` as a varint. */
void mls_record_put_varint(mls_record_writer *w, unsigned long long n);
/* Hands over the bytes (the caller frees *out) and resets the writer.
 * MLS_ERR_NOMEM, with *out NULL, if any put failed. */
mls_status mls_record_finish(mls_record_writer *w, char **out, size_t *out_len);

typedef struct mls_record_reader {
    const char *at, *end;
} mls_record_reader;

/* The next NUL-terminated field (borrowed from the record), or NULL when
 * the record ends first. */
const char *mls_record_field(mls_record_reader *r);
/* The next field as a number of at most `max`; 0 if it is not one. */
int mls_record_number(mls_record_reader *r, unsigned long long max, unsigned long long *out);
/* The next varint, of at most `max`; 0 if the record ends first, or it is
 * longer than 10 bytes or over `max`. */
int mls_record_varint(mls_record_reader *r, unsigned long long max, unsigned long long *out);
/* The next `n` bytes (borrowed), or NULL when fewer are left. */
const char *mls_record_bytes(mls_record_reader *r, size_t n);

#endif
