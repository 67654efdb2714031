/* search.c - a query to ranked passages (see search.h). */
#include "mlsearch/search.h"
#include "mlsearch/internal/terms.h"
#include "mlsearch/internal/xquery.h"

#include <stdlib.h>

void mls_hits_free(mls_hits *hits)
{
    if (!hits)
        return;
    for (size_t i = 0; i < hits->count; i++)
        mls_passage_clear(&hits->items[i].passage);
    free(hits->items);
    free(hits);
}

/* One search: the hits' records read one by one, as the mset holds none. */
static mls_status search_once(mls_db *db, const mls_xq *xq, size_t max, int paths_only,
                              int collapse, mls_hits *hits)
{
    mls_mset *mset = NULL;
    mls_status st = mls_db_search(db, xq, 0, max, collapse ? MLS_SLOT_TEXT_HASH : -1, &mset);

    if (!st && mls_mset_size(mset) > 0) {
        hits->items = calloc(mls_mset_size(mset), sizeof *hits->items);
        if (!hits->items)
            st = MLS_ERR_NOMEM;
    }
    for (size_t i = 0; !st && i < mls_mset_size(mset); i++) {
        const char *data;
        size_t len;
        mls_hit *hit = &hits->items[i];
        st = mls_mset_data(mset, i, &data, &len);
        if (st)
            break;
        st = paths_only ? mls_passage_decode_path(data, len, &hit->passage.path)
                        : mls_passage_decode(data, len, &hit->passage);
        if (!st) {
            hit->score = mls_mset_weight(mset, i);
            hit->duplicates = mls_mset_collapsed(mset, i);
            hit->part = mls_mset_part(mset, i);
            hits->count++;
        }
    }
    if (!st)
        hits->estimated = mls_mset_matches_estimated(mset);
    mls_mset_free(mset);
    return st;
}

static mls_status run_search(mls_db *db, const mls_query *q, size_t max, int paths_only,
                             int collapse, mls_hits **out)
{
    mls_xq *xq = NULL;
    mls_hits *hits = NULL;
    mls_status st = mls_query_build(q, &xq);

    *out = NULL;
    /* A writer that commits twice while the records are read makes the
     * revision go away: reopen on the last commit and search again. */
    for (int attempt = 0; !st; attempt++) {
        if (!(hits = calloc(1, sizeof *hits))) {
            st = MLS_ERR_NOMEM;
            break;
        }
        st = search_once(db, xq, max, paths_only, collapse, hits);
        if (st != MLS_ERR_DB_MODIFIED || attempt == 4)
            break;
        mls_hits_free(hits);
        hits = NULL;
        st = mls_db_reopen(db);
    }
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
