/* weight.h - what a match weighs in a passage: BM25, passage by passage.
 *
 * A search scores each matching passage as BM25 scores a document
 * (note_match.h): with Xapian BM25Weight's default k1 and b, and the length
 * of a typical passage where BM25 has the average document's.  A match in
 * the passage's context, by stem or katakana variant only, and the bonus
 * for words near each other weigh less, by the factors below.
 *
 * The index keeps, as the wdf of each term of a note, what the term
 * weighs in the note's best passage for it (mls_weight_hint()).  Xapian
 * ranks notes by the sum of those hints times the terms' idf, so the notes
 * it ranks first are those with the best passages, and a search reads
 * their passages first.
 */
#ifndef MLSEARCH_WEIGHT_H
#define MLSEARCH_WEIGHT_H

/* BM25's k1 and b, as Xapian's BM25Weight has them by default. */
#define MLS_BM25_K1 1.0
#define MLS_BM25_B 0.5
/* The length, in positions, of a typical passage: what BM25 compares a
 * passage's length with (a paragraph of a note; the bench corpus's
 * passages average 21 terms). */
#define MLS_TYPICAL_PASSAGE_LENGTH 20.0

/* Weight of a match in a passage's context relative to its own text. */
#define MLS_CONTEXT_WEIGHT 0.4
/* Weight of a match by stem only (`indexed` for `indexing`). */
#define MLS_STEM_WEIGHT 0.6
/* Weight of the bonus for the words of a query near each other. */
#define MLS_NEAR_WEIGHT 0.5

/* BM25's saturation of `tf` occurrences in a passage `len` terms long:
 * from 0 towards k1 + 1. */
double mls_weight_saturation(double tf, double len);

/* A term's wdf for a saturation `s` (0 or more): 1 and up, in steps of an
 * eighth. */
unsigned mls_weight_hint(double s);

#endif
