/* tags.c - the tags an index holds (see tags.h). */
#include "mlsearch/tags.h"
#include "mlsearch/internal/terms.h"

#include <string.h>

typedef struct listing {
    mls_db *db;
    mls_tag_fn each;
    void *ctx;
    mls_status status;
} listing;

static int one_tag(const char *term, size_t len, void *ctx)
{
    listing *l = ctx;
    size_t prefix = strlen(mls_prefix_string(MLS_PREFIX_TAG)), notes = 0;
    l->status = mls_db_term_count(l->db, term, len, &notes);
    return l->status || l->each(term + prefix, len - prefix, notes, l->ctx);
}

mls_status mls_tags_list(mls_db *db, mls_tag_fn each, void *ctx)
{
    listing l = {db, each, ctx, MLS_OK};
    const char *prefix = mls_prefix_string(MLS_PREFIX_TAG);
    mls_status st = mls_db_terms(db, prefix, strlen(prefix), one_tag, &l);
    return st ? st : l.status;
}
