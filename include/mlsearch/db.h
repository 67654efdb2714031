/* db.h - the index: a thin C interface over Xapian.
 *
 * This is the only door to Xapian, and lib/xapian_shim.cc the only C++ in
 * mlsearch.  Every entry point catches every exception and turns it into a
 * status; the Xapian description of the last failure is kept on the handle
 * (mls_db_message) for the CLI to print.  Handles are opaque, so no Xapian
 * type ever leaks into C.  The index's vocabulary is in terms.h.
 *
 * On disk, an index directory holds a stub file `index` naming the current
 * generation, a Xapian glass database in `gen-N/` (see mls_db_compact).
 *
 * Three kinds of handle:
 *  - mls_db: an open database, read-only or writable (one writer at a time,
 *    any number of readers, each seeing the last commit).
 *  - mls_doc: a document being built for mls_db_add_doc().
 *  - mls_xq: a query tree, built bottom-up with mls_xq_* (each constructor
 *    takes its own references to the subqueries; free your handles).
 */
#ifndef MLSEARCH_DB_H
#define MLSEARCH_DB_H

#include <stddef.h>
#include "mlsearch/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct mls_db mls_db;
typedef struct mls_doc mls_doc;
typedef struct mls_xq mls_xq;
typedef struct mls_mset mls_mset;

typedef enum mls_db_mode {
    MLS_DB_READ,   /* open an existing index for searching */
    MLS_DB_WRITE,  /* open the index for updating (one writer at a time);
                      where there is none yet, begin one as REBUILD does:
                      readers find no index until it is compacted */
    MLS_DB_REBUILD /* a new, empty index to build and then compact into
                      place (mls_db_compact), leaving the current one,
                      damaged or not, unread and untouched until then;
                      closed before that, it is deleted */
} mls_db_mode;

/* Opens the index in directory `dir` (for reading, `dir` may also be a
 * Xapian stub file, such as "remote HOST:PORT").  On failure *db is NULL
 * and, if `message` is not NULL, *message is a description the caller
 * frees (or NULL).  Fails with MLS_ERR_DB_NOT_FOUND (no index there, READ only),
 * MLS_ERR_DB_LOCKED (another writer), MLS_ERR_DB_CORRUPT, MLS_ERR_DB_ACCESS
 * (someone else's: *message is the system's reason), MLS_ERR_INVALID (a
 * file that is not a stub), MLS_ERR_NO_SPACE, MLS_ERR_DB, MLS_ERR_NOMEM. */
mls_status mls_db_open(const char *dir, mls_db_mode mode, mls_db **db, char **message);

/* Opens, for searching, the index that `mlsearch serve` (xapian-tcpsrv)
 * serves at host:port; `timeout_ms` bounds the connection and each
 * exchange.  Fails as mls_db_open(), with the network's reason in
 * *message. */
mls_status mls_db_open_remote(const char *host, unsigned port, unsigned timeout_ms, mls_db **out,
                              char **message);

/* One index for searching made of the `n` indexes `parts` (opened for
 * reading, local or remote), ranked as one: Xapian combines their
 * statistics.  On success the parts belong to *out (they are closed
 * with it, not by the caller).  mls_mset_part() tells which part a hit
 * comes from. */
mls_status mls_db_join(mls_db *const *parts, size_t n, mls_db **out);

/* Closes the index; a writable index is committed first, unless a
 * transaction is open, which is then abandoned.  NULL is fine. */
void mls_db_close(mls_db *db);

/* The description of the handle's last failure, or "" (borrowed until the
 * next call on `db`). */
const char *mls_db_message(const mls_db *db);

/* Read-only: moves to the last commit (after MLS_ERR_DB_MODIFIED). */
mls_status mls_db_reopen(mls_db *db);

/* Writable only.  Changes between begin and commit become visible to
 * readers all at once, or (cancel, crash, kill) not at all. */
mls_status mls_db_begin(mls_db *db);
mls_status mls_db_commit(mls_db *db);
mls_status mls_db_cancel(mls_db *db);

/* Writable only: a new, empty shard `k` of the index's next generation,
 * a writable database of its own that another thread can fill while this
 * one fills another (Xapian has one writer per database).  A shard lives
 * until mls_db_compact() merges it, or it is closed, which deletes it. */
mls_status mls_db_shard_new(mls_db *db, unsigned k, mls_db **shard);

/* Writable only, outside any transaction: commits, then rewrites the
 * index, followed by the `n` shards' documents, compactly (about half the
 * size, and faster to search) as a new generation, switches readers to it
 * atomically and removes the old one and the shards.  Afterwards the
 * handles can only be closed.  A failure or a kill leaves the last
 * committed index as it was. */
mls_status mls_db_compact(mls_db *db, mls_db *const *shards, size_t n);

/* Checks the structure of the index's tables, as xapian-check does,
 * changing nothing: MLS_ERR_DB_CORRUPT, the damage on the handle.  A
 * damaged table can crash a writer, or make it spin, before Xapian says
 * anything; this finds it in a fraction of a second per 100 MB. */
mls_status mls_db_check(mls_db *db);

/* Adds `doc` (which stays the caller's). */
mls_status mls_db_add_doc(mls_db *db, const mls_doc *doc);

/* Deletes every document indexed by the boolean `term`. */
mls_status mls_db_delete_term(mls_db *db, const char *term, size_t len);

/* Moves every document indexed by the boolean term `from` to the boolean
 * term `to`, its data rewritten by `rewrite(data, len, &out, &out_len,
 * ctx)` (which allocates *out with malloc and returns a status that, if
 * not MLS_OK, stops the move with it).  Nothing is tokenized again. */
typedef mls_status (*mls_db_rewrite_fn)(const char *data, size_t len, char **out, size_t *out_len,
                                        void *ctx);
mls_status mls_db_rename_term(mls_db *db, const char *from, size_t from_len, const char *to,
                              size_t to_len, mls_db_rewrite_fn rewrite, void *ctx);

/* The index's own key-value store (Xapian's user metadata), committed
 * with the documents.  Writable only for set.  get: *value is "" when the
 * key is not set, NUL-terminated; the caller frees it. */
mls_status mls_db_set_metadata(mls_db *db, const char *key, const char *value, size_t len);
mls_status mls_db_get_metadata(mls_db *db, const char *key, char **value, size_t *len);

/* How many documents are indexed by `term`. */
mls_status mls_db_term_count(mls_db *db, const char *term, size_t len, size_t *count);

/* How many documents the index holds, of every kind. */
mls_status mls_db_doc_count(mls_db *db, size_t *count);

/* Bytes on disk of the index's current generation. */
mls_status mls_db_disk_size(mls_db *db, unsigned long long *bytes);

/* Calls `each(data, len, ctx)` with the data of every document indexed by
 * `term`, in document id order; stops early when `each` returns nonzero.
 * The data is borrowed for the duration of the call. */
typedef int (*mls_db_data_fn)(unsigned docid, const char *data, size_t len, void *ctx);
mls_status mls_db_foreach_data(mls_db *db, const char *term, size_t len, mls_db_data_fn each,
                               void *ctx);

/* One document's own terms, read by its id (mls_mset_docid()); as
 * mls_mset_data(), MLS_ERR_DB_MODIFIED means: reopen and search again.
 *
 * The positions of `term` in document `docid`, ascending, into *out (the
 * caller frees it; NULL and 0 when the document has no such term). */
mls_status mls_db_positions(mls_db *db, unsigned docid, const char *term, size_t len,
                            unsigned **out, size_t *count);
/* Calls `each(term, len, ctx)` for every term of document `docid` that
 * starts with `prefix`, in byte order; stops early when `each` returns
 * nonzero.  The term is borrowed for the duration of the call. */
typedef int (*mls_db_term_fn)(const char *term, size_t len, void *ctx);
mls_status mls_db_doc_terms(mls_db *db, unsigned docid, const char *prefix, size_t len,
                            mls_db_term_fn each, void *ctx);
/* The value of document `docid` in `slot`, as mls_mset_value(). */
mls_status mls_db_doc_value(mls_db *db, unsigned docid, unsigned slot, char *buf, size_t size);
/* The data of document `docid` (the caller frees *data). */
mls_status mls_db_doc_data(mls_db *db, unsigned docid, char **data, size_t *len);
/* The data of the document `offset` places after `docid` in its own index
 * (before, when negative; in a joined index, ids interleave), as
 * mls_db_doc_data(). */
mls_status mls_db_doc_data_at(mls_db *db, unsigned docid, long offset, char **data, size_t *len);
/* The documents `term` indexes, ascending, into *out (the caller frees
 * it; NULL and 0 when there are none). */
mls_status mls_db_postings(mls_db *db, const char *term, size_t len, unsigned **out, size_t *count);
/* *has: whether document `docid` is indexed by `term`. */
mls_status mls_db_doc_has_term(mls_db *db, unsigned docid, const char *term, size_t len, int *has);
/* Calls `each(term, len, ctx)` for every term of the index that starts
 * with `prefix`, in byte order; stops early when `each` returns nonzero. */
mls_status mls_db_terms(mls_db *db, const char *prefix, size_t len, mls_db_term_fn each, void *ctx);

/* Documents. */
mls_status mls_doc_new(mls_doc **doc);
void mls_doc_free(mls_doc *doc);
/* A term at a position (positional terms: body and context text), adding
 * nothing to its wdf: mls_doc_add_term() sets that. */
mls_status mls_doc_add_posting(mls_doc *doc, const char *term, size_t len, unsigned pos);
/* A term without position or weight (boolean filters). */
mls_status mls_doc_add_boolean(mls_doc *doc, const char *term, size_t len);
mls_status mls_doc_set_data(mls_doc *doc, const char *data, size_t len);
/* A value in `slot` (terms.h names the slots). */
mls_status mls_doc_set_value(mls_doc *doc, unsigned slot, const char *value, size_t len);

/* A term, its wdf `wdf` more (what it weighs in the note, weight.h;
 * stems and katakana bases have no positions: matched, never in
 * phrases). */
mls_status mls_doc_add_term(mls_doc *doc, const char *term, size_t len, unsigned wdf);

/* Queries.  Each constructor's result is freed with mls_xq_free(). */
typedef enum mls_xq_op {
    MLS_XQ_AND,
    MLS_XQ_OR,
    MLS_XQ_PHRASE,    /* the subqueries at consecutive positions, in order */
    MLS_XQ_AND_NOT,   /* the first subquery, without what any other matches */
    MLS_XQ_FILTER,    /* the first subquery, where all others match (unweighted) */
    MLS_XQ_AND_MAYBE, /* the first subquery; the others add weight where they match */
    MLS_XQ_NEAR       /* the subqueries (terms) within a few positions of each other */
} mls_xq_op;

mls_status mls_xq_term(const char *term, size_t len, mls_xq **out);
/* The most words a prefix may stand for.  A single Japanese character is
 * searched as a prefix (its bigrams) and must find every passage with it:
 * a few thousand characters follow any one.  Past this, `a*` OR'd a
 * hundred times is a query no one meant, and takes seconds: the search
 * fails with MLS_ERR_QUERY_TOO_LARGE rather than quietly use a few. */
#define MLS_PREFIX_MAX_TERMS 10000

/* Every term that starts with `prefix` (an OR of them, expanded against
 * the database when the query runs; allowed inside a phrase; see
 * MLS_PREFIX_MAX_TERMS). */
mls_status mls_xq_prefix(const char *prefix, size_t len, mls_xq **out);
/* The files whose path matches the fnmatch(3) `pattern` (absolute; '*'
 * crosses '/'), as a boolean filter on the terms `term_prefix` + path
 * (terms.h names them): expanded against the database when the query
 * runs.  A path too long for a term is stored hashed: only its head can
 * match. */
mls_status mls_xq_paths(const char *term_prefix, const char *pattern, mls_xq **out);
/* The words of the English stem `stem`: the terms of the index that
 * start with it and have it for their stem (Xapian's English stemmer,
 * stemmer.h), expanded when the query runs, and `z_term`, which names
 * the notes with a word of that stem that does not start with it. */
mls_status mls_xq_stem(const char *stem, size_t len, const char *z_term, size_t z_len,
                       mls_xq **out);
/* The documents whose value in `slot` is at least `from` (when not NULL)
 * and at most `to` (when not NULL), as strings compare: a boolean
 * filter. */
mls_status mls_xq_value_range(unsigned slot, const char *from, const char *to, mls_xq **out);
mls_status mls_xq_combine(mls_xq_op op, mls_xq *const *subs, size_t n, mls_xq **out);
/* `sub` with its weight multiplied by `factor` (>= 0). */
mls_status mls_xq_scale(const mls_xq *sub, double factor, mls_xq **out);
void mls_xq_free(mls_xq *q);

/* Runs `q`, ranked by BM25, and returns hits first..first+max-1; with
 * `sort_slot` >= 0, in the order of their values in that slot, greatest
 * first, and by weight where those are equal.  Retries after reopening if
 * a writer commits meanwhile. */
mls_status mls_db_search(mls_db *db, const mls_xq *q, size_t first, size_t max, int sort_slot,
                         mls_mset **out);
size_t mls_mset_size(const mls_mset *m);
/* An estimate of all matches (exact when small). */
size_t mls_mset_matches_estimated(const mls_mset *m);
double mls_mset_weight(const mls_mset *m, size_t i);
/* Which of the joined indexes (mls_db_join(), in their order; 0 for an
 * index opened alone) hit i comes from. */
size_t mls_mset_part(const mls_mset *m, size_t i);
/* The document id of hit i, for mls_db_positions() and the like. */
unsigned mls_mset_docid(const mls_mset *m, size_t i);
/* The data of hit i, read from the index now (borrowed until the next call
 * on `m`).  Fails with the statuses of a search, the reason on the
 * database's handle; MLS_ERR_DB_MODIFIED means: reopen and search again. */
mls_status mls_mset_data(mls_mset *m, size_t i, const char **data, size_t *len);
/* The value of hit i in `slot`, into `buf` (`size` bytes, cut there,
 * NUL-terminated; "" when it has none).  Fails as mls_mset_data(). */
mls_status mls_mset_value(mls_mset *m, size_t i, unsigned slot, char *buf, size_t size);
void mls_mset_free(mls_mset *m);

#ifdef __cplusplus
}
#endif
#endif
