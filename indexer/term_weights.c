/* term_weights.c - what each term of a note weighs in its best passage
 * (see term_weights.h). */
#include "mlsearch/internal/term_weights.h"
#include "mlsearch/internal/grow.h"
#include "mlsearch/internal/hash.h"
#include "mlsearch/internal/weight.h"

#include <stdlib.h>
#include <string.h>

typedef struct weighed {
    char *term;
    size_t len;
    double best;  /* the most it weighs in a passage so far */
    unsigned tf;  /* its count in the passage being read */
    int counting; /* it is in w->counted */
} weighed;

struct mls_term_weights {
    weighed *items;
    size_t count, cap;
    size_t *slots; /* open addressing by hash: item + 1, 0 for free */
    size_t slot_count;
    size_t *counted; /* the items of the passage being read */
    size_t counted_count, counted_cap;
};

mls_status mls_term_weights_new(mls_term_weights **out)
{
    *out = calloc(1, sizeof **out);
    return *out ? MLS_OK : MLS_ERR_NOMEM;
}

void mls_term_weights_free(mls_term_weights *w)
{
    if (!w)
        return;
    for (size_t i = 0; i < w->count; i++)
        free(w->items[i].term);
    free(w->items);
    free(w->slots);
    free(w->counted);
    free(w);
}

static size_t slot_of(const mls_term_weights *w, const char *term, size_t len)
{
    return (size_t)(mls_hash64(term, len) % w->slot_count);
}

/* Makes room for one more item, the table at most half full. */
static int make_room(mls_term_weights *w)
{
    if (w->count + 1 <= w->slot_count / 2)
        return 1;
    size_t count = w->slot_count ? w->slot_count * 2 : 256;
    size_t *slots = calloc(count, sizeof *slots);
    if (!slots)
        return 0;
    free(w->slots);
    w->slots = slots;
    w->slot_count = count;
    for (size_t i = 0; i < w->count; i++) {
        size_t at = slot_of(w, w->items[i].term, w->items[i].len);
        while (w->slots[at])
            at = (at + 1) % count;
        w->slots[at] = i + 1;
    }
    return 1;
}

/* The item of `term`, added (weighing nothing yet) if new. */
static weighed *item_of(mls_term_weights *w, const char *term, size_t len)
{
    if (!make_room(w))
        return NULL;
    size_t at = slot_of(w, term, len);
    for (; w->slots[at]; at = (at + 1) % w->slot_count) {
        weighed *e = &w->items[w->slots[at] - 1];
        if (e->len == len && !memcmp(e->term, term, len))
            return e;
    }
    char *copy = malloc(len + 1);
    if (!copy || !mls_grow(&w->items, &w->cap, w->count + 1, sizeof *w->items)) {
        free(copy);
        return NULL;
    }
    memcpy(copy, term, len);
    copy[len] = '\0';
    w->items[w->count] = (weighed){.term = copy, .len = len};
    w->slots[at] = ++w->count;
    return &w->items[w->count - 1];
}

mls_status mls_term_weights_count(mls_term_weights *w, const char *term, size_t len)
{
    weighed *e = item_of(w, term, len);
    if (!e)
        return MLS_ERR_NOMEM;
    if (!e->counting) {
        if (!mls_grow(&w->counted, &w->counted_cap, w->counted_count + 1, sizeof *w->counted))
            return MLS_ERR_NOMEM;
        w->counted[w->counted_count++] = (size_t)(e - w->items);
        e->counting = 1;
        e->tf = 0;
    }
    e->tf++;
    return MLS_OK;
}

void mls_term_weights_end_passage(mls_term_weights *w, double len)
{
    for (size_t i = 0; i < w->counted_count; i++) {
        weighed *e = &w->items[w->counted[i]];
        double s = mls_weight_saturation(e->tf, len);
        if (s > e->best)
            e->best = s;
        e->counting = 0;
    }
    w->counted_count = 0;
}

mls_status mls_term_weights_context(mls_term_weights *w, const char *term, size_t len)
{
    weighed *e = item_of(w, term, len);
    if (!e)
        return MLS_ERR_NOMEM;
    double s = MLS_CONTEXT_WEIGHT * mls_weight_saturation(1, MLS_TYPICAL_PASSAGE_LENGTH);
    if (s > e->best)
        e->best = s;
    return MLS_OK;
}

mls_status mls_term_weights_each(const mls_term_weights *w, mls_term_weight_fn each, void *ctx)
{
    mls_status st = MLS_OK;
    for (size_t i = 0; i < w->count && !st; i++)
        st = each(w->items[i].term, w->items[i].len, mls_weight_hint(w->items[i].best), ctx);
    return st;
}

static mls_status add_term(const char *term, size_t len, unsigned wdf, void *doc)
{
    return mls_doc_add_term(doc, term, len, wdf);
}

mls_status mls_term_weights_add_to(const mls_term_weights *w, mls_doc *doc)
{
    return mls_term_weights_each(w, add_term, doc);
}
