/* query.c - query text to units and to a Xapian query (see query.h). */
#include "mlsearch/query.h"
#include "mlsearch/grow.h"

#include "mlsearch/terms.h"
#include "mlsearch/tokenizer.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void mls_query_free(mls_query *q)
{
    if (!q)
        return;
    for (size_t i = 0; i < q->count; i++) {
        for (size_t j = 0; j < q->units[i].count; j++) {
            free(q->units[i].terms[j].text);
            free(q->units[i].terms[j].stem);
        }
        free(q->units[i].terms);
        free(q->units[i].variant);
        free(q->units[i].filter);
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

/* Turns the tokens of one item of the query, the `len` bytes of `piece`,
 * into a unit (see query.h); `prefix`: the item ended in '*'; `stemmer`:
 * not NULL when a lone word may match by its stem. */
static mls_status make_unit(const mls_tokens *tokens, const char *piece, size_t len,
                            int prefix, mls_stemmer *stemmer, mls_query_unit *unit)
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
        qt->is_prefix = i == n - 1 && (open_run || prefix);
        unit->count++;
    }
    if (n == 1 && stemmer && !prefix && tokens->items[0].kind == MLS_TOKEN_WORD) {
        const char *stem;
        st = mls_stem(stemmer, tokens->items[0].term, tokens->items[0].term_len, &stem,
                      &unit->terms[0].stem_len);
        if (!st && !(unit->terms[0].stem = strdup(stem)))
            st = MLS_ERR_NOMEM;
    }
    return st;
}

/* One item of the query as the scanner reads it. */
typedef struct item {
    const char *text;       /* the words, without quotes, '-', '*' or field: */
    size_t len;
    int quoted, negated, prefix;
    int is_or, is_not;      /* the bare words OR and NOT */
    mls_query_field field;
} item;

/* The fields a query item can name, as `name:value`. */
static const struct {
    const char *name;
    mls_query_field field;
} fields[] = {{"heading:", MLS_FIELD_HEADING}, {"path:", MLS_FIELD_PATH}, {"tag:", MLS_FIELD_TAG}};

static int is_word(const char *s, size_t len, const char *word)
{
    return len == strlen(word) && !memcmp(s, word, len);
}

/* Reads the item at text[*i], moving *i past it (0 at the end). */
static int next_item(const char *text, size_t len, size_t *i, item *it)
{
    size_t w, j;
    while (*i < len && is_space(text + *i, len - *i, &w))
        *i += w;
    if (*i >= len)
        return 0;
    *it = (item){0};
    if (text[*i] == '-' && *i + 1 < len && !is_space(text + *i + 1, len - *i - 1, &w)) {
        it->negated = 1;
        (*i)++;
    }
    for (size_t f = 0; f < sizeof fields / sizeof fields[0]; f++) {
        size_t n = strlen(fields[f].name);
        if (len - *i > n && !strncmp(text + *i, fields[f].name, n) &&
            !is_space(text + *i + n, len - *i - n, &w)) {
            it->field = fields[f].field;
            *i += n;
            break;
        }
    }
    if (text[*i] == '"') {
        /* A quote left open closes at the end of the query. */
        const char *close = memchr(text + *i + 1, '"', len - *i - 1);
        it->quoted = 1;
        it->text = text + *i + 1;
        it->len = close ? (size_t)(close - it->text) : len - *i - 1;
        *i = close ? (size_t)(close - text) + 1 : len;
        return 1;
    }
    for (j = *i; j < len && !is_space(text + j, len - j, &w);)
        j++;
    it->text = text + *i;
    it->len = j - *i;
    *i = j;
    if (!it->negated && !it->field && is_word(it->text, it->len, "OR"))
        it->is_or = 1;
    else if (!it->negated && !it->field && is_word(it->text, it->len, "NOT"))
        it->is_not = 1;
    else if (it->field != MLS_FIELD_PATH && it->len > 1 && it->text[it->len - 1] == '*') {
        it->prefix = 1;
        it->len--;
    }
    return 1;
}

/* Adds the unit of `it` to `q` in clause `clause`; an item with no term
 * (only punctuation) adds nothing and leaves *added 0. */
/* The base of the katakana word that an item is, whole; else none. */
typedef struct katakana_item {
    const char *norm;
    size_t norm_len, words;
    char *base;
    size_t base_len;
} katakana_item;

static int note_base(const char *base, size_t len, void *ctx)
{
    katakana_item *k = ctx;
    /* The item is the word when it is the base followed by ー marks only. */
    int whole = ++k->words == 1 && len <= k->norm_len && !memcmp(base, k->norm, len);
    for (size_t i = len; whole && i < k->norm_len; i += 3)
        whole = k->norm_len - i >= 3 && !memcmp(k->norm + i, "\xE3\x83\xBC", 3);
    if (whole && (k->base = malloc(len + 1))) {
        memcpy(k->base, base, len);
        k->base[len] = '\0';
        k->base_len = len;
    }
    return 0;
}

static mls_status katakana_variant(const item *it, mls_query_unit *u)
{
    katakana_item k = {0};
    char *norm;
    mls_status st = mls_normalize(it->text, it->len, &norm, &k.norm_len);
    k.norm = norm;
    if (!st)
        st = mls_katakana_bases(norm, k.norm_len, note_base, &k);
    if (!st && k.words == 1 && k.base) {
        u->variant = k.base;
        u->variant_len = k.base_len;
        k.base = NULL;
    }
    free(k.base);
    free(norm);
    return st;
}

/* A path filter's pattern: absolute (relative to the current directory,
 * as the index's paths are real paths), a folder meaning what is in it. */
static char *path_pattern(const item *it)
{
    char *value = strndup(it->text, it->len), *real = NULL, *cwd = NULL, *out = NULL;
    int glob = value && strpbrk(value, "*?[") != NULL;
    if (!value)
        return NULL;
    if (!glob)
        real = realpath(value, NULL);
    if (!real && value[0] != '/')
        cwd = getcwd(NULL, 0);
    const char *base = real ? real : value;
    size_t n = (cwd ? strlen(cwd) + 1 : 0) + strlen(base) + 3;
    if ((out = malloc(n)) != NULL) {
        snprintf(out, n, "%s%s%s", cwd ? cwd : "", cwd ? "/" : "", base);
        /* A folder (or a path that is not there yet) holds what is under it. */
        struct stat sb;
        if (!glob && !(real && stat(real, &sb) == 0 && S_ISREG(sb.st_mode)))
            strcat(out, "*");
    }
    free(value);
    free(real);
    free(cwd);
    return out;
}

/* A tag filter's term: K and the tag, normalized as at index time. */
static char *tag_term(const item *it)
{
    char *norm = NULL, *out = NULL;
    size_t norm_len, plen = strlen(MLS_PREFIX_TAG);
    if (mls_normalize(it->text, it->len, &norm, &norm_len) == MLS_OK &&
        (out = malloc(plen + MLS_TERM_MAX_BYTES + 1)) != NULL) {
        memcpy(out, MLS_PREFIX_TAG, plen);
        size_t n = mls_term_shorten(norm, norm_len, MLS_TERM_MAX_BYTES, out + plen);
        out[plen + n] = '\0';
    }
    free(norm);
    return out;
}

static mls_status add_filter(mls_query *q, size_t *cap, const item *it, size_t clause,
                             int negated, int *added)
{
    char *filter = it->field == MLS_FIELD_PATH ? path_pattern(it) : tag_term(it);
    *added = 0;
    if (!filter || !mls_grow(&q->units, cap, q->count + 1, sizeof *q->units)) {
        free(filter);
        return MLS_ERR_NOMEM;
    }
    q->units[q->count++] = (mls_query_unit){.clause = clause, .negated = negated,
                                            .field = it->field, .filter = filter};
    *added = 1;
    return MLS_OK;
}

static mls_status add_unit(mls_query *q, size_t *cap, const item *it, size_t clause,
                           int negated, mls_stemmer *stemmer, int *added)
{
    mls_tokens *tokens;
    mls_status st;
    if (it->field == MLS_FIELD_PATH || it->field == MLS_FIELD_TAG)
        return add_filter(q, cap, it, clause, negated, added);
    st = mls_tokenize(it->text, it->len, 0, &tokens);
    *added = 0;
    if (!st && tokens->count > 0) {
        if (!mls_grow(&q->units, cap, q->count + 1, sizeof *q->units))
            st = MLS_ERR_NOMEM;
        if (!st) {
            mls_query_unit *u = &q->units[q->count];
            *u = (mls_query_unit){0}; /* mls_grow() leaves new room as it is */
            int plain = !it->quoted && it->field == MLS_FIELD_TEXT;
            st = make_unit(tokens, it->text, it->len, it->prefix, plain ? stemmer : NULL, u);
            u->clause = clause;
            u->negated = negated;
            u->field = it->field;
            if (!st && plain && !it->prefix)
                st = katakana_variant(it, u);
            q->count++; /* even half-made: mls_query_free() knows its count */
            *added = 1;
        }
    }
    mls_tokens_free(tokens);
    return st;
}

mls_status mls_query_parse(const char *text, mls_query **out)
{
    size_t len = strlen(text), cap = 0, i = 0, clause = 0, nitems = 0, icap = 0;
    mls_query *q = calloc(1, sizeof *q);
    item *items = NULL, it;
    mls_stemmer *stemmer = NULL;
    mls_status st = q ? mls_stemmer_new(&stemmer) : MLS_ERR_NOMEM;
    int positive = 0;

    *out = NULL;
    if (st) {
        free(q);
        return st;
    }
    while (next_item(text, len, &i, &it)) {
        if (!mls_grow(&items, &icap, nitems + 1, sizeof *items)) {
            st = MLS_ERR_NOMEM;
            break;
        }
        items[nitems++] = it;
    }
    for (size_t k = 0; k < nitems && !st; k++) {
        item cur = items[k];
        int negated = cur.negated, added, joined = 0;
        /* NOT applies to the next item; with none, it is the word. */
        if (cur.is_not && k + 1 < nitems && !items[k + 1].is_or && !items[k + 1].is_not) {
            cur = items[++k];
            negated = 1;
        }
        /* OR joins the next item to this one's clause; with nothing on a
         * side, or a side that excludes, it is the word. */
        if (cur.is_or && k > 0 && k + 1 < nitems && q->count > 0 &&
            !q->units[q->count - 1].negated && q->units[q->count - 1].clause + 1 == clause &&
            !items[k - 1].is_or && !items[k + 1].is_or && !items[k + 1].is_not &&
            !items[k + 1].negated) {
            cur = items[++k];
            joined = 1;
        }
        st = add_unit(q, &cap, &cur, joined ? clause - 1 : clause, negated, stemmer, &added);
        if (added && !joined)
            clause++;
        positive |= added && !negated; /* a filter alone is something to look for */
    }
    free(items);
    mls_stemmer_free(stemmer);
    if (!st && q->count == 0)
        st = MLS_ERR_QUERY_EMPTY;
    else if (!st && !positive)
        st = MLS_ERR_QUERY_SYNTAX;
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

/* The word's stem, weighted down: Z<stem>, and the stem as a word of its
 * own (a word that is its own stem has no Z term: `index`). */
static mls_status build_stem(const mls_query_term *t, mls_xq **out)
{
    size_t plen = strlen(MLS_PREFIX_STEM);
    char *z = malloc(plen + t->stem_len + 1);
    mls_xq *forms[2] = {NULL, NULL}, *either = NULL;
    mls_status st = z ? MLS_OK : MLS_ERR_NOMEM;

    *out = NULL;
    if (!st) {
        memcpy(z, MLS_PREFIX_STEM, plen);
        memcpy(z + plen, t->stem, t->stem_len + 1);
        st = mls_xq_term(z, plen + t->stem_len, &forms[0]);
    }
    if (!st)
        st = mls_xq_term(t->stem, t->stem_len, &forms[1]);
    if (!st)
        st = mls_xq_combine(MLS_XQ_OR, forms, 2, &either);
    if (!st)
        st = mls_xq_scale(either, MLS_STEM_WEIGHT, out);
    mls_xq_free(forms[0]);
    mls_xq_free(forms[1]);
    mls_xq_free(either);
    free(z);
    return st;
}

/* A katakana word's base, as its words of either form hold it, weighted
 * down below the form as typed. */
static mls_status build_variant(const mls_query_unit *unit, mls_xq **out)
{
    size_t plen = strlen(MLS_PREFIX_STEM);
    char *z = malloc(plen + unit->variant_len + 1);
    mls_xq *term = NULL;
    mls_status st = z ? MLS_OK : MLS_ERR_NOMEM;

    *out = NULL;
    if (!st) {
        memcpy(z, MLS_PREFIX_STEM, plen);
        memcpy(z + plen, unit->variant, unit->variant_len + 1);
        st = mls_xq_term(z, plen + unit->variant_len, &term);
    }
    if (!st)
        st = mls_xq_scale(term, MLS_STEM_WEIGHT, out);
    mls_xq_free(term);
    free(z);
    return st;
}

/* text-phrase OR (context-phrase, weighted down), and for a lone word
 * OR its stem, for a katakana word OR its base (both weighted down) */
static mls_status build_unit(const mls_query_unit *unit, mls_xq **out)
{
    mls_xq *either[4] = {NULL, NULL, NULL, NULL}, *context = NULL;
    size_t n = 2;
    mls_xq *contexts[2] = {NULL, NULL};
    mls_status st = build_phrase(unit, "", &either[0]);
    if (!st)
        st = build_phrase(unit, MLS_PREFIX_HEADING, &contexts[0]);
    if (!st)
        st = build_phrase(unit, MLS_PREFIX_CONTEXT, &contexts[1]);
    if (!st)
        st = mls_xq_combine(MLS_XQ_OR, contexts, 2, &context);
    mls_xq_free(contexts[0]);
    mls_xq_free(contexts[1]);
    if (!st)
        st = mls_xq_scale(context, MLS_CONTEXT_WEIGHT, &either[1]);
    if (!st && unit->count == 1 && unit->terms[0].stem)
        st = build_stem(&unit->terms[0], &either[n++]);
    if (!st && unit->variant)
        st = build_variant(unit, &either[n++]);
    if (!st)
        st = mls_xq_combine(MLS_XQ_OR, either, n, out);
    for (size_t i = 0; i < 4; i++)
        mls_xq_free(either[i]);
    mls_xq_free(context);
    return st;
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
        case MLS_FIELD_HEADING: st = build_phrase(u, MLS_PREFIX_HEADING, slot); break;
        case MLS_FIELD_PATH: st = mls_xq_paths(u->filter, slot); break;
        case MLS_FIELD_TAG: st = mls_xq_term(u->filter, strlen(u->filter), slot); break;
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

static int is_filter(const mls_query_unit *u)
{
    return u->field == MLS_FIELD_PATH || u->field == MLS_FIELD_TAG;
}

mls_status mls_query_build(const mls_query *q, mls_xq **out)
{
    /* The positive clauses ANDed (all passages when there are none), kept
     * where every filter clause matches, less the negated clauses.  In
     * each array, slot 0 is for what the next step applies to. */
    size_t room = q->count + 1, npos = 0, nfilter = 1, nneg = 1;
    mls_xq **pos = calloc(room, sizeof *pos), **filter = calloc(room, sizeof *filter),
           **neg = calloc(room, sizeof *neg);
    mls_status st = pos && filter && neg ? MLS_OK : MLS_ERR_NOMEM;

    *out = NULL;
    for (size_t first = 0, end; first < q->count && !st; first = end) {
        int filters_only = 1;
        for (end = first; end < q->count && q->units[end].clause == q->units[first].clause;)
            filters_only &= is_filter(&q->units[end++]);
        mls_xq **slot = q->units[first].negated ? &neg[nneg++]
                        : filters_only          ? &filter[nfilter++]
                                                : &pos[npos++];
        st = build_clause(q, first, end, slot);
    }
    if (!st && npos)
        st = mls_xq_combine(MLS_XQ_AND, pos, npos, &filter[0]);
    else if (!st)
        st = mls_xq_term(MLS_TERM_PASSAGE, strlen(MLS_TERM_PASSAGE), &filter[0]);
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
