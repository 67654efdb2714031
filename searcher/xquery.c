/* xquery.c - a parsed query as a Xapian query (see xquery.h). */
#include "mlsearch/internal/xquery.h"
#include "mlsearch/internal/weight.h"
#include "mlsearch/internal/terms.h"
#include "mlsearch/dates.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

/* The phrase of `unit` with every term under `prefix`. */
static mls_status build_phrase(const mls_query_unit *unit, mls_prefix prefix, mls_xq **out)
{
    mls_xq **subs = calloc(unit->count, sizeof *subs);
    mls_status st = MLS_OK;

    *out = NULL;
    if (!subs)
        return MLS_ERR_NOMEM;
    for (size_t i = 0; i < unit->count && !st; i++) {
        const mls_query_term *t = &unit->terms[i];
        char term[MLS_TERM_SIZE];
        size_t len = mls_term(prefix, t->text, t->len, term);
        assert(len > 0); /* the tokenizer shortens long words */
        st = t->is_prefix ? mls_xq_prefix(term, len, &subs[i]) : mls_xq_term(term, len, &subs[i]);
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

/* The Z term of a stem or katakana base (the caller made sure it is not
 * too long to be one). */
static mls_status build_z(const char *text, size_t len, mls_xq **out)
{
    char term[MLS_TERM_SIZE];
    size_t term_len = mls_term(MLS_PREFIX_STEM, text, len, term);
    assert(term_len > 0);
    return mls_xq_term(term, term_len, out);
}

/* The words of the word's stem, weighted down (indexed, indexes for
 * indexing; `index` too, a word that is its own stem). */
static mls_status build_stem(const mls_query_term *t, mls_xq **out)
{
    char z[MLS_TERM_SIZE];
    size_t z_len = mls_term(MLS_PREFIX_STEM, t->stem, t->stem_len, z);
    mls_xq *words = NULL;
    mls_status st = mls_xq_stem(t->stem, t->stem_len, z, z_len, &words);
    *out = NULL;
    if (!st)
        st = mls_xq_scale(words, MLS_STEM_WEIGHT, out);
    mls_xq_free(words);
    return st;
}

/* A katakana word's base, as its words of either form hold it, weighted
 * down below the form as typed. */
static mls_status build_variant(const mls_query_unit *unit, mls_xq **out)
{
    mls_xq *term = NULL;
    mls_status st = build_z(unit->variant, unit->variant_len, &term);
    *out = NULL;
    if (!st)
        st = mls_xq_scale(term, MLS_STEM_WEIGHT, out);
    mls_xq_free(term);
    return st;
}

/* The notes where the unit may match a passage: its phrase (in a
 * passage's text or a context string: both are unprefixed terms of the
 * note), for a lone word its stem, for a katakana word its base; with an
 * anchor, where the anchor's base is a word of the note too (note_match.h
 * decides, passage by passage). */
static mls_status build_unit(const mls_query_unit *unit, mls_xq **out)
{
    mls_xq *either[3] = {NULL, NULL, NULL};
    size_t n = 1;
    mls_status st = build_phrase(unit, MLS_PREFIX_TEXT, &either[0]);
    if (!st && unit->count == 1 && unit->terms[0].stem)
        st = build_stem(&unit->terms[0], &either[n++]);
    if (!st && unit->variant)
        st = build_variant(unit, &either[n++]);
    if (!st && unit->anchor) {
        mls_xq *all = NULL, *pair[2] = {NULL, NULL};
        st = mls_xq_combine(MLS_XQ_OR, either, n, &all);
        pair[0] = all;
        if (!st)
            st = build_z(unit->anchor, unit->anchor_len, &pair[1]);
        if (!st)
            st = mls_xq_combine(MLS_XQ_FILTER, pair, 2, out);
        mls_xq_free(pair[0]);
        mls_xq_free(pair[1]);
    } else if (!st) {
        st = mls_xq_combine(MLS_XQ_OR, either, n, out);
    }
    for (size_t i = 0; i < 3; i++)
        mls_xq_free(either[i]);
    return st;
}

/* The files whose path matches one of `patterns` (one per line). */
static mls_status build_paths(const char *patterns, mls_xq **out)
{
    mls_xq *each[2] = {NULL, NULL};
    const char *nl = strchr(patterns, '\n');
    char *first = nl ? strndup(patterns, (size_t)(nl - patterns)) : NULL;
    mls_status st = !nl || first ? MLS_OK : MLS_ERR_NOMEM;

    *out = NULL;
    if (!st && !nl)
        return mls_xq_paths(mls_prefix_string(MLS_PREFIX_PATH), patterns, out);
    if (!st)
        st = mls_xq_paths(mls_prefix_string(MLS_PREFIX_PATH), first, &each[0]);
    if (!st)
        st = mls_xq_paths(mls_prefix_string(MLS_PREFIX_PATH), nl + 1, &each[1]);
    if (!st)
        st = mls_xq_combine(MLS_XQ_OR, each, 2, out);
    mls_xq_free(each[0]);
    mls_xq_free(each[1]);
    free(first);
    return st;
}

/* The notes dated in the range of `u`: their values from its first date
 * to anything that starts with its last (dates.h). */
static mls_status build_dates(const mls_query_unit *u, mls_xq **out)
{
    char from[MLS_DATE_SIZE], to[MLS_DATE_SIZE + 1];
    mls_query_date_range(u, from, to);
    if (*to)
        strcat(to, "\xff"); /* above every date that starts with it */
    return mls_xq_value_range(MLS_SLOT_DATE, *from ? from : NULL, *to ? to : NULL, out);
}

/* The clause of units q->units[first..end) (the OR of them). */
static mls_status build_clause(const mls_query *q, size_t first, size_t end, mls_xq **out)
{
    mls_xq **units = calloc(end - first, sizeof *units);
    mls_status st = units ? MLS_OK : MLS_ERR_NOMEM;

    *out = NULL;
    for (size_t i = first; i < end && !st; i++) {
        const mls_query_unit *u = &q->units[i];
        mls_xq **slot = &units[i - first];
        switch (u->field) {
        case MLS_FIELD_TEXT: st = build_unit(u, slot); break;
        case MLS_FIELD_HEADING: st = build_phrase(u, MLS_PREFIX_TEXT, slot); break;
        case MLS_FIELD_PATH: st = build_paths(u->filter, slot); break;
        case MLS_FIELD_TAG: st = mls_xq_term(u->filter, strlen(u->filter), slot); break;
        case MLS_FIELD_DATE: st = build_dates(u, slot); break;
        }
    }
    if (!st && end - first == 1) {
        *out = units[0];
        units[0] = NULL;
    } else if (!st) {
        st = mls_xq_combine(MLS_XQ_OR, units, end - first, out);
    }
    for (size_t i = 0; units && i < end - first; i++)
        mls_xq_free(units[i]);
    free(units);
    return st;
}

mls_status mls_query_build(const mls_query *q, mls_xq **out)
{
    /* The positive clauses ANDed (all passages when there are none), kept
     * where every filter clause matches, less the negated clauses.  In
     * each array, slot 0 is for what the next step applies to. */
    size_t room = q->count + 2, npos = 0, nfilter = 1, nneg = 1;
    mls_xq **pos = calloc(room, sizeof *pos), **filter = calloc(room, sizeof *filter),
           **neg = calloc(room, sizeof *neg);
    mls_status st = pos && filter && neg ? MLS_OK : MLS_ERR_NOMEM;

    *out = NULL;
    for (size_t first = 0, end; first < q->count && !st; first = end) {
        int filters_only = 1;
        for (end = first; end < q->count && q->units[end].clause == q->units[first].clause;)
            filters_only &= mls_query_unit_is_filter(&q->units[end++]);
        /* A negated clause of words may exclude one passage of a note and
         * not another: the passages decide (note_match.h). */
        if (q->units[first].negated && !filters_only)
            continue;
        mls_xq **slot = q->units[first].negated ? &neg[nneg++]
                        : filters_only          ? &filter[nfilter++]
                                                : &pos[npos++];
        st = build_clause(q, first, end, slot);
    }
    if (!st && npos)
        st = mls_xq_combine(MLS_XQ_AND, pos, npos, &filter[0]);
    /* Notes only, always: a path filter OR a word must not bring in the
     * notes' manifest documents, which share their P terms. */
    if (!st)
        st = mls_xq_term(MLS_TERM_NOTE, strlen(MLS_TERM_NOTE), &filter[npos ? nfilter++ : 0]);
    if (!st && nfilter > 1)
        st = mls_xq_combine(MLS_XQ_FILTER, filter, nfilter, &neg[0]);
    else if (!st)
        neg[0] = filter[0], filter[0] = NULL;
    if (!st && nneg > 1)
        st = mls_xq_combine(MLS_XQ_AND_NOT, neg, nneg, out);
    else if (!st)
        *out = neg[0], neg[0] = NULL;
    for (size_t i = 0; i < room; i++) {
        mls_xq_free(pos ? pos[i] : NULL);
        mls_xq_free(filter ? filter[i] : NULL);
        mls_xq_free(neg ? neg[i] : NULL);
    }
    free(pos);
    free(filter);
    free(neg);
    return st;
}
