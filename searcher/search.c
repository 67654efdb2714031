/* search.c - a query to ranked passages (see search.h). */
#include "mlsearch/search.h"

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

mls_status mls_search(mls_db *db, const mls_query *q, size_t max, mls_hits **out)
{
    mls_xq *xq = NULL;
    mls_mset *mset = NULL;
    mls_hits *hits = calloc(1, sizeof *hits);
    mls_status st = hits ? mls_query_build(q, &xq) : MLS_ERR_NOMEM;

    *out = NULL;
    if (!st)
        st = mls_db_search(db, xq, 0, max, &mset);
    if (!st && mls_mset_size(mset) > 0) {
        hits->items = calloc(mls_mset_size(mset), sizeof *hits->items);
        if (!hits->items)
            st = MLS_ERR_NOMEM;
    }
    for (size_t i = 0; !st && i < mls_mset_size(mset); i++) {
        size_t len;
        const char *data = mls_mset_data(mset, i, &len);
        st = mls_passage_decode(data, len, &hits->items[i].passage);
        if (!st) {
            hits->items[i].score = mls_mset_weight(mset, i);
            hits->count++;
        }
    }
    if (!st)
        hits->estimated = mls_mset_matches_estimated(mset);
    mls_mset_free(mset);
    mls_xq_free(xq);
    if (st) {
        mls_hits_free(hits);
        return st;
    }
    *out = hits;
    return MLS_OK;
}
