/* query.h - what the user typed, as terms to look for.
 *
 * The query language:
 *   word 推論サーバー     every item must occur in a passage (AND)
 *   "machine learning"   a phrase: its words one after another
 *   A OR B               either (OR binds tighter than AND: `x A OR B`
 *                        is x AND (A OR B))
 *   -word, NOT word      no passage containing it
 *   index*               any word starting with "index"
 *   heading:推論         in the passage's heading path only
 *   path:notes/meetups   in a file under that folder, or that file; with
 *                        * ? [ a glob on the path below its literal folder
 *                        part (`path:notes/2024-*`; relative paths are
 *                        from the current folder, and made real)
 *   tag:ml               in a note whose front matter's `tags:` has it,
 *                        or whose prose has `#ml`
 *   date:2024-06         in a note of that date (dates.h: a day, month or
 *                        year, today, yesterday, -30d, -2w, -6m, -1y, or
 *                        a range A..B, A.. or ..B, ends included)
 * Unquoted, a lone English word also matches the words of its stem
 * (`indexing` finds `indexed`, ranked below `indexing` itself), and a
 * katakana word its long-vowel variant (`サーバ` and `サーバー`, words of
 * three characters or more: as a word when the item is the word, else as
 * the item with the word's other form, `サーバ設定` for `サーバー設定`);
 * quoted, everything is matched as written.  Lone words of a query near
 * each other rank higher.
 * AND between two pieces is what a space between them is.  An unquoted
 * `name:value` whose name is no field's is an error, so that `title:x`
 * does not silently find nothing (`http://`, `std::x`, `10:15` are text).
 * An OR, NOT or AND with nothing to apply to is the word itself; a quote left
 * open closes at the end of the query.
 *
 * Each item becomes a unit, tokenized like note text: a phrase of its
 * terms at consecutive positions, so that `推論サーバー` (a phrase of
 * bigrams) matches exactly where the note contains that string, and
 * `ML活用` where `ml` is followed by `活用`.  Units joined by OR form one
 * clause; clauses are ANDed, negated ones subtracted.
 *
 * Tokens become query terms with two adjustments that keep "every match
 * contains the query, every passage containing it matches", both for a CJK
 * run that ends the unit with nothing after it (an open run: in the note,
 * the run may go on, and then there is no unigram there):
 *  - an open run's closing unigram is left out;
 *  - a one-character open run is a prefix: any term starting with that
 *    character (its unigram or any bigram it starts).
 * A run followed by punctuation (`対策）`) is closed: its unigram stays;
 * not by emphasis or code marks alone (`**推論**`), which a note's run
 * may go on across.
 * A unit matches in the passage text or, with lower weight, its context. */
#ifndef MLSEARCH_QUERY_H
#define MLSEARCH_QUERY_H

#include <stddef.h>
#include "mlsearch/status.h"

typedef struct mls_query_term {
    char *text; /* the normalized term */
    size_t len;
    int is_prefix; /* matches every term starting with `text` */
    char *stem;    /* an unquoted lone word: its English stem, which
                      also matches (weighted down); else NULL */
    size_t stem_len;
} mls_query_term;

typedef enum mls_query_field {
    MLS_FIELD_TEXT,    /* the passage's text or context */
    MLS_FIELD_HEADING, /* the heading path only */
    MLS_FIELD_PATH,    /* a filter on the note's path */
    MLS_FIELD_TAG,     /* a filter: `filter` is the tag's term */
    MLS_FIELD_DATE     /* a filter: `filter` is "FROM\nTO" (dates.h
                          mls_date_range(), either "" when open) */
} mls_query_field;

typedef struct mls_query_unit {
    mls_query_term *terms; /* at consecutive positions, in order */
    size_t count;
    size_t clause; /* units of one clause are alternatives (OR) */
    int negated;   /* the clause excludes what it matches */
    char *variant; /* an unquoted katakana word: its base, so that
                      サーバ and サーバー find each other; else NULL */
    size_t variant_len;
    char *anchor; /* the other form of a katakana word that ends a
                     longer item (Webサーバ for Webサーバー): its
                     base must also be a word of the passage */
    size_t anchor_len;
    mls_query_field field;
    char *filter; /* PATH: absolute fnmatch patterns, one per line;
                     TAG: the term; DATE: the range (none has terms) */
} mls_query_unit;

typedef struct mls_query {
    mls_query_unit *units; /* in clause order */
    size_t count;
    int own_text_only; /* set by the caller: match a passage's own text
                          only, not its headings and parent items (the
                          heading: field still looks in headings) */
    int newest_first;  /* set by the caller: hits in the order of their
                          notes' dates, newest first, then by score */
    int with_dates;    /* set by the caller: hits carry their notes' dates
                          (mls_hit.date), which costs a read per note
                          unless they come newest first */
} mls_query;

/* The most a query may be.  Each piece is a Xapian subquery, so a query
 * of thousands (made by a script, or a paste gone wrong: 2,000 `n* OR`
 * took 17 s) would keep the search busy for seconds; no one types or
 * pastes anything near these to search their notes.  The bytes are
 * above what a long pasted paragraph needs (and the 8 KiB word that
 * tests/cli/hostile.bats looks for). */
#define MLS_QUERY_MAX_BYTES 16384
#define MLS_QUERY_MAX_PIECES 100

/* Parses `text` (any bytes).  A piece repeated is searched once (a unit
 * repeated in its clause, a clause repeated whole).  MLS_ERR_QUERY_EMPTY
 * when it holds no searchable term (empty, only spaces or punctuation),
 * MLS_ERR_QUERY_ONLY_EXCLUDES when it only excludes (nothing to look for),
 * MLS_ERR_QUERY_BAD_DATE when a `date:` names no date (relative dates are
 * from now),
 * MLS_ERR_QUERY_TOO_LARGE when it is longer than MLS_QUERY_MAX_BYTES or
 * has more than MLS_QUERY_MAX_PIECES different pieces, MLS_ERR_NOMEM.
 * The caller frees *out with mls_query_free(); NULL on failure. */
mls_status mls_query_parse(const char *text, mls_query **out);
/* The range of a DATE unit, as mls_date_range() made it (dates.h). */
void mls_query_date_range(const mls_query_unit *u, char *from, char *to_prefix);

/* 1 if `u` only filters notes (path:, tag:, date:), matching no words. */
int mls_query_unit_is_filter(const mls_query_unit *u);
void mls_query_free(mls_query *q);

/* How many different pieces `text` holds, as MLS_QUERY_MAX_PIECES counts
 * them: whitespace-separated items (a quoted phrase is one) but the bare
 * words OR, NOT and AND, the same piece typed twice counting once. */
size_t mls_query_pieces(const char *text);

/* The first unquoted piece of `text` that names a field no query has
 * (`title:推論`: MLS_ERR_QUERY_UNKNOWN_FIELD), pointing into `text`, with
 * the length of its name and colon in *len (`title:`); else NULL. */
const char *mls_query_unknown_field(const char *text, size_t *len);

/* The first `date:` piece of `text` whose value is no date, pointing to
 * that value (*len bytes); else NULL. */
const char *mls_query_bad_date(const char *text, size_t *len);

/* The fields a query may name, "date:, heading:, path:, tag:", into `buf`
 * (cut to `size` bytes); returns `buf`. */
const char *mls_query_fields(char *buf, size_t size);

/* Calls `each(start, len, ctx)` for the pieces of `text` that a search
 * without hits may suggest as prefixes: an unquoted ASCII word of three
 * letters or more, not negated, not a field, an operator nor a prefix
 * already (`deploym` -> `deploym*`); its span in `text`.  Stops when
 * `each` returns nonzero. */
typedef int (*mls_query_span_fn)(size_t start, size_t len, void *ctx);
void mls_query_prefix_candidates(const char *text, mls_query_span_fn each, void *ctx);

#endif
