/* terms.h - how notes are named inside the index.
 *
 * The index's vocabulary, in one place so the indexer and the searcher
 * cannot disagree.  Prefixes follow Xapian's conventions: body terms carry
 * no prefix (they are case folded, so never start with a capital), boolean
 * and field terms start with capitals.
 *
 * A note is its manifest document (manifest.h), then its own document,
 * then the chunks of its texts if it has any (note_record.h), one after
 * another.  Its record says which positions are whose; each term's wdf is
 * what it weighs in the note's best passage for it (weight.h):
 *
 *   word, 推論, 論サ ...   a term of one of its passages' text, or of one of
 *                         its context strings (the headings and list items
 *                         its passages sit under, each once), which come
 *                         after the passages; one empty position between
 *                         any two, so that no phrase spans them
 *   K<tag>                a tag of the note's front matter, or a #tag of
 *                         its prose (hashtags.h), normalized
 *                         (boolean)
 *   Z<stem>               the English stem of a word of its passages'
 *                         text, where the stem does not start the word
 *                         (happy: Zhappi; the others are found by the
 *                         vocabulary, db.h mls_xq_stem), and the base of
 *                         each of its katakana words (tokenizer.h,
 *                         mls_katakana_bases: サーバー -> Zサーバ); no
 *                         position (Xapian's convention for stems)
 *   P<path>               the note's documents and its manifest entry
 *                         (boolean)
 * and in its value MLS_SLOT_DATE, its date (note_date.h, dates.h).
 *   XTnote, XTfile        what a document is (boolean); XTpassage and the
 *                         XH, XC prefixes are those of format 4, whose
 *                         index the next run reads again whole
 */
#ifndef MLSEARCH_TERMS_H
#define MLSEARCH_TERMS_H

#include <stddef.h>
#include "mlsearch/status.h"
#include "mlsearch/internal/tokenizer.h"

/* The index's term prefixes; mls_term() joins one to a text. */
typedef enum mls_prefix {
    MLS_PREFIX_TEXT, /* none: a word of a passage or a context string */
    MLS_PREFIX_TAG,  /* K */
    MLS_PREFIX_STEM, /* Z */
    MLS_PREFIX_PATH, /* P */
    MLS_PREFIX_KIND  /* XT: MLS_TERM_NOTE, MLS_TERM_FILE */
} mls_prefix;

#define MLS_TERM_NOTE "XTnote"
#define MLS_TERM_FILE "XTfile"

/* The index's metadata keys (mls_db_get_metadata): the roots indexed so
 * far, one per line; and a record (record.h) of the last run's start
 * (seconds since the epoch), duration (ms), notes found, added, changed,
 * moved, removed and errors. */
#define MLS_META_ROOTS "mlsearch.roots"
#define MLS_META_LAST_RUN "mlsearch.last-run"

/* The vocabulary's version, in the metadata key MLS_META_FORMAT (absent:
 * 1).  An index of an older one is read again whole by the next `mlsearch
 * index`; until then searches warn that it may miss.  2: stems and katakana
 * bases (Z), headings (XH) apart from list items (XC). */
#define MLS_META_FORMAT "mlsearch.format"
/* 3: the text hash slot; 4: NFKC of Hangul jamo and of marks after an
 * ignorable, long blocks cut, one-line HTML blocks whole; 5: one document
 * per note, passages as ranges of positions (note_record.h), a larger
 * note's texts in chunks, wdf as weight (weight.h); 6: the #tags of a
 * note's prose as K terms too (hashtags.h); 7: the note's date. */
#define MLS_INDEX_FORMAT 7

/* The value slots of a note's document. */
#define MLS_SLOT_DATE 0

/* Room for any term mls_term() makes, with its NUL. */
#define MLS_TERM_SIZE (2 + MLS_TERM_MAX_BYTES + 1)

/* The term of the `len` bytes of `text` under `prefix`, into `term`
 * (MLS_TERM_SIZE bytes, NUL-terminated); returns its length.  Text longer
 * than MLS_TERM_MAX_BYTES makes no term (0): the tokenizer never makes a
 * word that long, and a stem or katakana base that long is not indexed. */
size_t mls_term(mls_prefix prefix, const char *text, size_t len, char *term);

/* The string of `prefix`, for a search of all its terms (mls_xq_paths). */
const char *mls_prefix_string(mls_prefix prefix);

/* The boolean term of the tag `tag` (`len` bytes, as written in a note's
 * front matter or in a `tag:` query): K and the tag normalized as text is
 * (tokenizer.h), shortened if long; "" (empty) when nothing is left.  The
 * indexer and the searcher both make it here, so they cannot disagree.
 * The caller frees *out.  Fails as mls_normalize() does. */
mls_status mls_tag_term(const char *tag, size_t len, char **out);

/* The boolean term that names every document of the file at `path`:
 * "P" + path, or, for paths too long for a Xapian term, "P" + the head of
 * the path + "#" + a hash of the whole path.  The caller frees *out. */
mls_status mls_path_term(const char *path, char **out, size_t *out_len);

#endif
