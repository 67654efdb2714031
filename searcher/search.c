/* search.c - a query to ranked passages (see search.h).
 *
 * Xapian finds the notes where the query may match (xquery.h); each of
 * them is read, its matching passages found and scored (note_match.h);
 * the passages of all of them are ranked together, those of the same
 * text collapsed into the best, and the best `max` read out. */
#include "mlsearch/search.h"
#include "mlsearch/internal/grow.h"
#include "mlsearch/internal/hash.h"
#include "mlsearch/internal/note_match.h"
#include "mlsearch/internal/note_record.h"
#include "mlsearch/internal/xquery.h"

#include <stdint.h>
#include <stdlib.h>

/* Passages are ranked among those of the best notes as Xapian ranks
 * them: a passage rarely scores high in a note that scores low. */
#define NOTES_TO_RANK 50

void mls_hits_free(mls_hits *hits)
{
    if (!hits)
        return;
    for (size_t i = 0; i < hits->count; i++)
        mls_passage_clear(&hits->items[i].passage);
    free(hits->items);
    free(hits);
}

/* A matching passage, before it is read out. */
typedef struct candidate {
    double score;
    size_t note;    /* its note's rank among Xapian's hits */
    size_t passage; /* in the note's record */
    uint64_t text_hash;
    size_t duplicates;
} candidate;

static int by_score(const void *a, const void *b)
{
    const candidate *x = a, *y = b;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    if (x->note != y->note)
        return x->note < y->note ? -1 : 1;
    return x->passage < y->passage ? -1 : x->passage > y->passage;
}

static int by_hash(const void *a, const void *b)
{
    const candidate *x = a, *y = b;
    if (x->text_hash != y->text_hash)
        return x->text_hash < y->text_hash ? -1 : 1;
    return by_score(a, b);
}

/* Keeps the best of the candidates of each text, counting the others. */
static size_t collapse(candidate *c, size_t n)
{
    size_t kept = 0;
    qsort(c, n, sizeof *c, by_hash);
    for (size_t i = 0; i < n; i++) {
        if (kept && c[kept - 1].text_hash == c[i].text_hash)
            c[kept - 1].duplicates++;
        else
            c[kept++] = c[i];
    }
    return kept;
}

/* The record of hit `note` of the mset. */
static mls_status read_record(mls_mset *mset, size_t note, mls_note_record **out)
{
    const char *data;
    size_t len;
    mls_status st = mls_mset_data(mset, note, &data, &len);
    return st ? st : mls_note_record_decode(data, len, out);
}

/* The matching passages of the notes the mset holds, best notes first:
 * all of them, or with `enough` (not 0), those of the first
 * NOTES_TO_RANK notes at least, and of more until `enough` are found. */
static mls_status find_candidates(mls_db *db, const mls_match_plan *plan, mls_mset *mset,
                                  size_t enough, candidate **out, size_t *count)
{
    candidate *c = NULL;
    size_t n = 0, cap = 0;
    mls_status st = MLS_OK;

    for (size_t note = 0; note < mls_mset_size(mset) && !st; note++) {
        if (enough && note >= NOTES_TO_RANK && n >= enough)
            break;
        mls_note_record *rec = NULL;
        mls_passage_match *matches = NULL;
        size_t found = 0;
        st = read_record(mset, note, &rec);
        if (!st)
            st = mls_note_match(db, plan, mls_mset_docid(mset, note), rec, &matches, &found);
        if (!st && found && !mls_grow(&c, &cap, n + found, sizeof *c))
            st = MLS_ERR_NOMEM;
        for (size_t i = 0; i < found && !st; i++) {
            const mls_note_passage *p = &rec->passages[matches[i].passage];
            c[n++] = (candidate){.score = matches[i].score,
                                 .note = note,
                                 .passage = matches[i].passage,
                                 .text_hash = mls_hash64(p->text, p->text_len)};
        }
        free(matches);
        mls_note_record_free(rec);
    }
    if (st) {
        free(c);
        return st;
    }
    *out = c;
    *count = n;
    return MLS_OK;
}

/* The hits of the first `n` candidates, read out of their notes' records. */
static mls_status read_hits(mls_mset *mset, const candidate *c, size_t n, int paths_only,
                            mls_hits *hits)
{
    mls_note_record *rec = NULL;
    size_t rec_note = SIZE_MAX;
    mls_status st = MLS_OK;

    if (n && !(hits->items = calloc(n, sizeof *hits->items)))
        return MLS_ERR_NOMEM;
    for (size_t i = 0; i < n && !st; i++) {
        if (c[i].note != rec_note) {
            mls_note_record_free(rec);
            rec = NULL;
            rec_note = c[i].note;
            st = read_record(mset, rec_note, &rec);
        }
        mls_hit *hit = &hits->items[i];
        if (!st)
            st = mls_note_record_passage(rec, c[i].passage, paths_only, &hit->passage);
        if (!st) {
            hit->score = c[i].score;
            hit->duplicates = c[i].duplicates;
            hit->part = mls_mset_part(mset, c[i].note);
            hits->count++;
        }
    }
    mls_note_record_free(rec);
    return st;
}

/* One search; MLS_ERR_DB_MODIFIED when a writer's commits took away the
 * revision it read. */
static mls_status search_once(mls_db *db, const mls_xq *xq, const mls_match_plan *plan, size_t max,
                              int paths_only, int collapse_texts, mls_hits *hits)
{
    mls_mset *mset = NULL;
    candidate *c = NULL;
    size_t n = 0;
    mls_status st = mls_db_search(db, xq, 0, SIZE_MAX, -1, &mset);

    /* Listing files or every hit needs every note; the best few, the
     * best notes (a few more than `max`: some texts collapse). */
    size_t enough = paths_only || max > NOTES_TO_RANK ? 0 : 2 * max;
    if (!st)
        st = find_candidates(db, plan, mset, enough, &c, &n);
    if (!st) {
        hits->estimated = n;
        if (collapse_texts)
            n = collapse(c, n);
        qsort(c, n, sizeof *c, by_score);
        st = read_hits(mset, c, n < max ? n : max, paths_only, hits);
    }
    free(c);
    mls_mset_free(mset);
    return st;
}

static mls_status run_search(mls_db *db, const mls_query *q, size_t max, int paths_only,
                             int collapse_texts, mls_hits **out)
{
    mls_xq *xq = NULL;
    mls_match_plan *plan = NULL;
    mls_hits *hits = NULL;
    mls_status st = mls_query_build(q, &xq);

    *out = NULL;
    if (!st)
        st = mls_match_plan_new(db, q, &plan);
    /* A writer that commits twice while the records are read makes the
     * revision go away: reopen on the last commit and search again. */
    for (int attempt = 0; !st; attempt++) {
        if (!(hits = calloc(1, sizeof *hits))) {
            st = MLS_ERR_NOMEM;
            break;
        }
        st = search_once(db, xq, plan, max, paths_only, collapse_texts, hits);
        if (st != MLS_ERR_DB_MODIFIED || attempt == 4)
            break;
        mls_hits_free(hits);
        hits = NULL;
        st = mls_db_reopen(db);
    }
    mls_match_plan_free(plan);
    mls_xq_free(xq);
    if (st) {
        mls_hits_free(hits);
        return st;
    }
    *out = hits;
    return MLS_OK;
}

mls_status mls_search(mls_db *db, const mls_query *q, size_t max, mls_hits **out)
{
    return run_search(db, q, max, 0, 1, out);
}

mls_status mls_search_all(mls_db *db, const mls_query *q, size_t max, mls_hits **out)
{
    return run_search(db, q, max, 0, 0, out);
}

mls_status mls_search_paths(mls_db *db, const mls_query *q, size_t max, mls_hits **out)
{
    return run_search(db, q, max, 1, 0, out);
}
