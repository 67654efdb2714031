/* query.c - query text to units and to a Xapian query (see query.h). */
#include "mlsearch/query.h"
#include "mlsearch/grow.h"

#include "mlsearch/terms.h"
#include "mlsearch/tokenizer.h"

#include <stdlib.h>
#include <string.h>

void mls_query_free(mls_query *q)
{
    if (!q)
        return;
    for (size_t i = 0; i < q->count; i++) {
        for (size_t j = 0; j < q->units[i].count; j++)
            free(q->units[i].terms[j].text);
        free(q->units[i].terms);
    }
    free(q->units);
    free(q);
}

static int is_space(const char *s, size_t len, size_t *width)
{
    /* ASCII white space, and the ideographic space U+3000 of Japanese IMEs. */
    if (len >= 1 && strchr(" \t\n\r\f\v", s[0]) && s[0]) {
        *width = 1;
        return 1;
    }
    if (len >= 3 && !memcmp(s, "\xE3\x80\x80", 3)) {
        *width = 3;
        return 1;
    }
    return 0;
}

/* 1 if nothing but characters that normalization drops (variation
 * selectors, soft hyphens...) is in the `len` bytes of `s`. */
static int normalizes_to_nothing(const char *s, size_t len, mls_status *st)
{
    char *norm;
    size_t norm_len = 0;
    if (len == 0)
        return 1;
    *st = mls_normalize(s, len, &norm, &norm_len);
    free(norm);
    return !*st && norm_len == 0;
}

/* Turns the tokens of one piece of the query, the `len` bytes of `piece`,
 * into a unit (see query.h). */
static mls_status make_unit(const mls_tokens *tokens, const char *piece, size_t len,
                            mls_query_unit *unit)
{
    size_t n = tokens->count;
    const mls_token *last = &tokens->items[n - 1];
    mls_status st = MLS_OK;

    unit->terms = NULL;
    unit->count = 0;
    /* Whether the piece's last CJK run is open: nothing follows it in the
     * piece, so in a note the run may go on. `対策）` closes it. */
    int open_run = last->kind == MLS_TOKEN_UNIGRAM &&
                   normalizes_to_nothing(piece + last->end, len - last->end, &st);

    if (st)
        return st;
    unit->terms = calloc(n, sizeof *unit->terms);
    if (!unit->terms)
        return MLS_ERR_NOMEM;
    int drop_last = open_run && !last->run_start;
    for (size_t i = 0; i < n - (size_t)drop_last; i++) {
        const mls_token *t = &tokens->items[i];
        mls_query_term *qt = &unit->terms[unit->count];
        qt->text = strdup(t->term);
        if (!qt->text)
            return MLS_ERR_NOMEM;
        qt->len = t->term_len;
        qt->is_prefix = i == n - 1 && open_run;
        unit->count++;
    }
    return MLS_OK;
}

mls_status mls_query_parse(const char *text, mls_query **out)
{
    size_t len = strlen(text), cap = 0;
    mls_query *q = calloc(1, sizeof *q);
    mls_status st = MLS_OK;

    *out = NULL;
    if (!q)
        return MLS_ERR_NOMEM;
    for (size_t i = 0, w; i < len && !st;) {
        if (is_space(text + i, len - i, &w)) {
            i += w;
            continue;
        }
        size_t j = i;
        while (j < len && !is_space(text + j, len - j, &w))
            j++;
        mls_tokens *tokens;
        st = mls_tokenize(text + i, j - i, 0, &tokens);
        if (!st && tokens->count > 0) {
            if (!mls_grow(&q->units, &cap, q->count + 1, sizeof *q->units))
                st = MLS_ERR_NOMEM;
            if (!st) {
                st = make_unit(tokens, text + i, j - i, &q->units[q->count]);
                q->count++; /* even half-made: mls_query_free() knows its count */
            }
        }
        mls_tokens_free(tokens);
        i = j;
    }
    if (!st && q->count == 0)
        st = MLS_ERR_QUERY_EMPTY;
    if (st) {
        mls_query_free(q);
        return st;
    }
    *out = q;
    return MLS_OK;
}

/* The phrase of `unit` with every term under `prefix`. */
static mls_status build_phrase(const mls_query_unit *unit, const char *prefix,
                               mls_xq **out)
{
    size_t plen = strlen(prefix);
    mls_xq **subs = calloc(unit->count, sizeof *subs);
    mls_status st = MLS_OK;

    *out = NULL;
    if (!subs)
        return MLS_ERR_NOMEM;
    for (size_t i = 0; i < unit->count && !st; i++) {
        const mls_query_term *t = &unit->terms[i];
        char *term = malloc(plen + t->len + 1);
        if (!term) {
            st = MLS_ERR_NOMEM;
            break;
        }
        memcpy(term, prefix, plen);
        memcpy(term + plen, t->text, t->len + 1);
        st = t->is_prefix ? mls_xq_prefix(term, plen + t->len, &subs[i])
                          : mls_xq_term(term, plen + t->len, &subs[i]);
        free(term);
    }
    if (!st) {
        if (unit->count == 1) {
            *out = subs[0];
            subs[0] = NULL;
        } else {
            st = mls_xq_combine(MLS_XQ_PHRASE, subs, unit->count, out);
        }
    }
    for (size_t i = 0; i < unit->count; i++)
        mls_xq_free(subs[i]);
    free(subs);
    return st;
}

/* text-phrase OR (context-phrase, weighted down) */
static mls_status build_unit(const mls_query_unit *unit, mls_xq **out)
{
    mls_xq *either[2] = {NULL, NULL}, *context = NULL;
    mls_status st = build_phrase(unit, "", &either[0]);
    if (!st)
        st = build_phrase(unit, MLS_PREFIX_CONTEXT, &context);
    if (!st)
        st = mls_xq_scale(context, MLS_CONTEXT_WEIGHT, &either[1]);
    if (!st)
        st = mls_xq_combine(MLS_XQ_OR, either, 2, out);
    mls_xq_free(either[0]);
    mls_xq_free(either[1]);
    mls_xq_free(context);
    return st;
}

mls_status mls_query_build(const mls_query *q, mls_xq **out)
{
    mls_xq **units = calloc(q->count ? q->count : 1, sizeof *units);
    mls_status st = MLS_OK;

    *out = NULL;
    if (!units)
        return MLS_ERR_NOMEM;
    for (size_t i = 0; i < q->count && !st; i++)
        st = build_unit(&q->units[i], &units[i]);
    if (!st)
        st = mls_xq_combine(MLS_XQ_AND, units, q->count, out);
    for (size_t i = 0; i < q->count; i++)
        mls_xq_free(units[i]);
    free(units);
    return st;
}
