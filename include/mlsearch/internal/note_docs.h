/* note_docs.h - a note's documents in the index.
 *
 * What a note becomes in the index, in the vocabulary of terms.h: its
 * manifest document (manifest.h); then, if it has passages, its own
 * document (the terms of its passages and then of its context strings as
 * ranges of positions, weighed by term_weights.h; stems and katakana
 * bases under Z; its tags and path; its record, note_record.h) and the
 * chunks of its texts, one after another, all under the same path term, so
 * that they are replaced, moved or removed together.  Called inside the
 * caller's transaction.
 */
#ifndef MLSEARCH_NOTE_DOCS_H
#define MLSEARCH_NOTE_DOCS_H

#include <stddef.h>
#include "mlsearch/db.h"
#include "mlsearch/internal/manifest.h"
#include "mlsearch/internal/stemmer.h"
#include "mlsearch/index_options.h"
#include "mlsearch/status.h"

/* Replaces everything the index holds for e->path with the passages and
 * tags of the note's `len` bytes (`bytes` NULL: none, the note skipped),
 * and a manifest entry made of `e` (e->passages set).  Invalid UTF-8 is
 * repaired and reported through report(path, kind, reason, ctx).
 * *passages and *text_bytes: what was written, for the caller's batch. */
mls_status mls_note_docs_replace(mls_db *db, mls_stemmer *stemmer, mls_manifest_entry *e,
                                 const char *bytes, size_t len, mls_index_report_fn report,
                                 void *ctx, size_t *passages, size_t *text_bytes);

/* Moves the documents of the note at from->path to to->path without
 * reading it again: the manifest entry becomes `to` (to->passages set
 * from the old one), each passage record gets the new path. */
mls_status mls_note_docs_move(mls_db *db, const mls_manifest_entry *from, mls_manifest_entry *to);

/* Removes every document of the note at e->path. */
mls_status mls_note_docs_remove(mls_db *db, const mls_manifest_entry *e);

#endif
