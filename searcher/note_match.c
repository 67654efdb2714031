/* note_match.c - the passages of one note that a query matches (see
 * note_match.h). */
#include "mlsearch/internal/note_match.h"
#include "mlsearch/internal/grow.h"
#include "mlsearch/internal/note_texts.h"
#include "mlsearch/internal/stemmer.h"
#include "mlsearch/internal/terms.h"
#include "mlsearch/internal/tokenizer.h"
#include "mlsearch/internal/weight.h"
#include "mlsearch/internal/xquery.h"
#include "mlsearch/dates.h"
#include "mlsearch/strings.h"

#include <fnmatch.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The terms of the index that start with a prefix term of the query,
 * and the notes each is in, when they are few: a note's positions of the
 * prefix are then read from the terms it holds, not from its whole term
 * list (which Xapian keeps compressed). */
#define PREFIX_TERMS_MAX 256

typedef struct prefix_terms_of {
    mls_strings terms;
    unsigned **notes; /* per term: the notes it is in, ascending */
    size_t *note_counts;
} prefix_terms_of;

struct mls_match_plan {
    const mls_query *q;
    mls_stemmer *stemmer;
    mls_strings *stem_words;   /* per unit: the words of its stem that start
                                  with it, in the index's vocabulary */
    prefix_terms_of ***prefix; /* per unit, per term: its prefix's terms, or
                                  NULL (not a prefix, or too many) */
    double *idf;               /* per unit; 0 for a filter */
    size_t clauses;
};

/* BM25's inverse document frequency of a term in `df` of `n` notes. */
static double idf_of(size_t df, size_t n)
{
    return log(1.0 + ((double)n - (double)df + 0.5) / ((double)df + 0.5));
}

/* The words of the index whose stem is a term's, and starts them. */
typedef struct stem_search {
    mls_stemmer *stemmer;
    const mls_query_term *t;
    mls_strings *words;
    mls_status status;
} stem_search;

static int keep_stem_word(const char *term, size_t len, void *ctx)
{
    stem_search *s = ctx;
    const char *stem;
    size_t stem_len;
    s->status = mls_stem(s->stemmer, term, len, &stem, &stem_len);
    if (!s->status && stem_len == s->t->stem_len && !memcmp(stem, s->t->stem, stem_len)) {
        char *word = strndup(term, len);
        s->status = word ? mls_strings_add(s->words, word) : MLS_ERR_NOMEM;
        free(word);
    }
    return s->status != MLS_OK;
}

static mls_status find_stem_words(mls_db *db, mls_stemmer *stemmer, const mls_query_term *t,
                                  mls_strings *words)
{
    stem_search s = {stemmer, t, words, MLS_OK};
    mls_status st = mls_db_terms(db, t->stem, t->stem_len, keep_stem_word, &s);
    return st ? st : s.status;
}

static void prefix_terms_free(prefix_terms_of *p)
{
    if (!p)
        return;
    for (size_t i = 0; p->notes && i < p->terms.count; i++)
        free(p->notes[i]);
    free(p->notes);
    free(p->note_counts);
    mls_strings_free(&p->terms);
    free(p);
}

typedef struct term_list {
    mls_strings *into;
    int too_many;
    mls_status status;
} term_list;

static int add_to_list(const char *term, size_t len, void *ctx)
{
    term_list *l = ctx;
    if (l->into->count == PREFIX_TERMS_MAX)
        return l->too_many = 1;
    char *copy = strndup(term, len);
    l->status = copy ? mls_strings_add(l->into, copy) : MLS_ERR_NOMEM;
    free(copy);
    return l->status != MLS_OK;
}

/* The terms that start with `t`, and their notes; *out NULL when there are
 * more than PREFIX_TERMS_MAX. */
static mls_status find_prefix_terms(mls_db *db, const mls_query_term *t, prefix_terms_of **out)
{
    prefix_terms_of *p = calloc(1, sizeof *p);
    term_list l = {p ? &p->terms : NULL, 0, MLS_OK};
    mls_status st = p ? mls_db_terms(db, t->text, t->len, add_to_list, &l) : MLS_ERR_NOMEM;
    *out = NULL;
    if (!st && l.too_many) {
        prefix_terms_free(p);
        return MLS_OK;
    }
    if (!st)
        st = l.status;
    size_t n = p ? p->terms.count : 0;
    if (!st && n &&
        (!(p->notes = calloc(n, sizeof *p->notes)) ||
         !(p->note_counts = calloc(n, sizeof *p->note_counts))))
        st = MLS_ERR_NOMEM;
    for (size_t i = 0; i < n && !st; i++)
        st = mls_db_postings(db, p->terms.items[i], strlen(p->terms.items[i]), &p->notes[i],
                             &p->note_counts[i]);
    if (st) {
        prefix_terms_free(p);
        return st;
    }
    *out = p;
    return MLS_OK;
}

mls_status mls_match_plan_new(mls_db *db, const mls_query *q, mls_match_plan **out)
{
    mls_match_plan *plan = calloc(1, sizeof *plan);
    size_t notes = 0;
    mls_status st = plan ? MLS_OK : MLS_ERR_NOMEM;

    *out = NULL;
    if (!st && q->count &&
        (!(plan->idf = calloc(q->count, sizeof *plan->idf)) ||
         !(plan->stem_words = calloc(q->count, sizeof *plan->stem_words)) ||
         !(plan->prefix = calloc(q->count, sizeof *plan->prefix))))
        st = MLS_ERR_NOMEM;
    if (plan)
        plan->q = q;
    if (!st)
        st = mls_stemmer_new(&plan->stemmer);
    if (!st)
        st = mls_db_term_count(db, MLS_TERM_NOTE, strlen(MLS_TERM_NOTE), &notes);
    for (size_t u = 0; u < q->count && !st; u++) {
        const mls_query_unit *unit = &q->units[u];
        /* A phrase is as rare as its rarest term. */
        size_t df = notes;
        for (size_t i = 0; i < unit->count && !st; i++) {
            size_t n = notes;
            if (!unit->terms[i].is_prefix)
                st = mls_db_term_count(db, unit->terms[i].text, unit->terms[i].len, &n);
            df = n < df ? n : df;
        }
        plan->idf[u] = unit->count ? idf_of(df, notes) : 0;
        if (!st && unit->count && !(plan->prefix[u] = calloc(unit->count, sizeof **plan->prefix)))
            st = MLS_ERR_NOMEM;
        for (size_t i = 0; i < unit->count && !st; i++)
            if (unit->terms[i].is_prefix)
                st = find_prefix_terms(db, &unit->terms[i], &plan->prefix[u][i]);
        if (!st && unit->count == 1 && unit->terms[0].stem)
            st = find_stem_words(db, plan->stemmer, &unit->terms[0], &plan->stem_words[u]);
        if (unit->clause + 1 > plan->clauses)
            plan->clauses = unit->clause + 1;
    }
    if (st) {
        mls_match_plan_free(plan);
        return st;
    }
    *out = plan;
    return MLS_OK;
}

/* A passage holds a term of the note's at each of its positions, and a
 * context string is there only for the passages under it: a clause of
 * text units matches a passage of a note wherever Xapian finds one of its
 * units' phrases in the note.  Katakana bases are terms of passages only.
 * But the other words of a stem count in a passage's own text only, and
 * Xapian finds them in context strings too; a heading:, an anchor or a
 * second clause ask for more of one passage; a negated clause takes
 * passages away, not notes. */
int mls_match_plan_notes_exact(const mls_match_plan *plan)
{
    const mls_query *q = plan->q;
    size_t clauses = 0;
    if (q->own_text_only) /* a note may hold the words in context only */
        return 0;
    for (size_t first = 0, end; first < q->count; first = end) {
        int filters_only = 1, text_only = 1;
        for (end = first; end < q->count && q->units[end].clause == q->units[first].clause; end++) {
            const mls_query_unit *u = &q->units[end];
            filters_only &= mls_query_unit_is_filter(u);
            text_only &=
                u->field == MLS_FIELD_TEXT && !u->anchor && !(u->count == 1 && u->terms[0].stem);
        }
        if (filters_only)
            continue;
        if (q->units[first].negated || !text_only || ++clauses > 1)
            return 0;
    }
    return clauses == 1;
}

void mls_match_plan_free(mls_match_plan *plan)
{
    if (!plan)
        return;
    mls_stemmer_free(plan->stemmer);
    for (size_t u = 0; plan->stem_words && plan->q && u < plan->q->count; u++)
        mls_strings_free(&plan->stem_words[u]);
    for (size_t u = 0; plan->prefix && plan->q && u < plan->q->count; u++) {
        for (size_t i = 0; plan->prefix[u] && i < plan->q->units[u].count; i++)
            prefix_terms_free(plan->prefix[u][i]);
        free(plan->prefix[u]);
    }
    free(plan->prefix);
    free(plan->stem_words);
    free(plan->idf);
    free(plan);
}

/* A sorted list of positions. */
typedef struct positions {
    unsigned *at;
    size_t count, cap;
} positions;

static int compare_unsigned(const void *a, const void *b)
{
    unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;
    return x < y ? -1 : x > y;
}

typedef struct prefix_terms {
    mls_db *db;
    unsigned docid;
    positions *into;
    mls_status status;
} prefix_terms;

static int add_term_positions(const char *term, size_t len, void *ctx)
{
    prefix_terms *p = ctx;
    unsigned *found;
    size_t n;
    p->status = mls_db_positions(p->db, p->docid, term, len, &found, &n);
    if (!p->status && n &&
        !mls_grow(&p->into->at, &p->into->cap, p->into->count + n, sizeof *p->into->at))
        p->status = MLS_ERR_NOMEM;
    if (!p->status && n) {
        memcpy(p->into->at + p->into->count, found, n * sizeof *found);
        p->into->count += n;
    }
    free(found);
    return p->status != MLS_OK;
}

/* The index of the first of the `n` ascending numbers of `a` that is `v`
 * or more (`n` if none is). */
static size_t first_at_least(const unsigned *a, size_t n, unsigned v)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (a[mid] < v)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static int holds(const unsigned *a, size_t n, unsigned v)
{
    size_t at = first_at_least(a, n, v);
    return at < n && a[at] == v;
}

/* The positions in note `docid` of a query term: of the term itself, or
 * of every term of the note that starts with it (those of `terms`, when
 * the plan found them, that are in the note). */
static mls_status term_positions(mls_db *db, unsigned docid, const mls_query_term *t,
                                 const prefix_terms_of *terms, positions *out)
{
    *out = (positions){0};
    if (!t->is_prefix) {
        mls_status st = mls_db_positions(db, docid, t->text, t->len, &out->at, &out->count);
        out->cap = out->count;
        return st;
    }
    prefix_terms p = {db, docid, out, MLS_OK};
    mls_status st = MLS_OK;
    if (terms) {
        for (size_t i = 0; i < terms->terms.count && !p.status; i++)
            if (holds(terms->notes[i], terms->note_counts[i], docid))
                add_term_positions(terms->terms.items[i], strlen(terms->terms.items[i]), &p);
    } else {
        st = mls_db_doc_terms(db, docid, t->text, t->len, add_term_positions, &p);
    }
    if (!st)
        st = p.status;
    if (!st && out->count > 1)
        qsort(out->at, out->count, sizeof *out->at, compare_unsigned);
    return st;
}

/* Where the unit's phrase starts in the note: positions of its first
 * term followed by each next term at the next position.  `prefix`: per
 * term, the terms of its prefix (NULL to read them from the note). */
static mls_status phrase_starts(mls_db *db, unsigned docid, const mls_query_unit *u,
                                prefix_terms_of *const *prefix, positions *starts)
{
    mls_status st = term_positions(db, docid, &u->terms[0], prefix ? prefix[0] : NULL, starts);
    for (size_t i = 1; i < u->count && !st && starts->count; i++) {
        positions next;
        st = term_positions(db, docid, &u->terms[i], prefix ? prefix[i] : NULL, &next);
        size_t kept = 0;
        for (size_t k = 0; k < starts->count && !st; k++)
            if (starts->at[k] <= UINT32_MAX - i &&
                holds(next.at, next.count, starts->at[k] + (unsigned)i))
                starts->at[kept++] = starts->at[k];
        starts->count = kept;
        free(next.at);
    }
    return st;
}

/* How many of `p` lie in [first, end). */
static size_t count_in(const positions *p, unsigned first, unsigned end)
{
    size_t lo = first_at_least(p->at, p->count, first), n = 0;
    while (lo + n < p->count && p->at[lo + n] < end)
        n++;
    return n;
}

/* Katakana words of a passage whose base is `base`. */
typedef struct base_count {
    const char *base;
    size_t len, count;
} base_count;

static int count_base(const char *word, size_t word_len, size_t base_len, size_t rest, void *ctx)
{
    base_count *b = ctx;
    (void)word_len, (void)rest;
    b->count += base_len == b->len && !memcmp(word, b->base, base_len);
    return 0;
}

static mls_status katakana_count(const mls_note_passage *p, const char *base, size_t len,
                                 size_t *count)
{
    base_count b = {base, len, 0};
    mls_status st = mls_katakana_bases(p->text, p->text_len, count_base, &b);
    *count = b.count;
    return st;
}

/* What one unit finds in a note. */
typedef struct unit_found {
    positions starts;  /* of its phrase */
    positions stems;   /* of the words of its stem */
    int stems_by_text; /* some only in the passages' text */
    /* Of the first two characters of its katakana variant's and anchor's
     * base: only a passage that holds them can hold the word. */
    positions variant_gate, anchor_gate;
    unsigned char *in_context; /* per context string: its phrase is there */
} unit_found;

/* Where the words of a lone word's stem are in the note: those that start
 * with it (`index`, `indexed` for `indexing`: `words`, from the index's
 * vocabulary), by their positions.  Those that do not (`happy` for
 * `happiness`) are marked by the note's Z term only: *by_text says to
 * look for them in the passages' text. */
static mls_status stem_positions(mls_db *db, unsigned docid, const mls_query_term *t,
                                 const mls_strings *words, positions *out, int *by_text)
{
    prefix_terms p = {db, docid, out, MLS_OK};
    char z[MLS_TERM_SIZE];
    size_t z_len = mls_term(MLS_PREFIX_STEM, t->stem, t->stem_len, z);
    *out = (positions){0};
    for (size_t i = 0; i < words->count && !p.status; i++)
        add_term_positions(words->items[i], strlen(words->items[i]), &p);
    mls_status st = p.status;
    if (!st && out->count > 1)
        qsort(out->at, out->count, sizeof *out->at, compare_unsigned);
    if (!st)
        st = mls_db_doc_has_term(db, docid, z, z_len, by_text);
    return st;
}

/* Words of a passage's text whose stem is `stem` but does not start
 * them (those that do were found by position). */
static mls_status stems_in_text(const mls_note_passage *p, mls_stemmer *stemmer, const char *stem,
                                size_t stem_len, size_t *count)
{
    mls_tokens *tokens;
    mls_status st = mls_tokenize(p->text, p->text_len, 0, &tokens);
    *count = 0;
    for (size_t i = 0; !st && i < tokens->count; i++) {
        const mls_token *t = &tokens->items[i];
        const char *s;
        size_t n;
        if (t->kind != MLS_TOKEN_WORD ||
            (t->term_len >= stem_len && !memcmp(t->term, stem, stem_len)))
            continue;
        st = mls_stem(stemmer, t->term, t->term_len, &s, &n);
        *count += !st && n == stem_len && !memcmp(s, stem, n);
    }
    if (!st)
        mls_tokens_free(tokens);
    return st;
}

/* The positions of the bigram that starts the katakana base `base` (of
 * three characters or more, each three bytes of UTF-8). */
static mls_status base_gate(mls_db *db, unsigned docid, const char *base, size_t len,
                            positions *out)
{
    char bigram[7];
    size_t n = len < 6 ? len : 6;
    memcpy(bigram, base, n);
    bigram[n] = '\0';
    mls_query_term t = {.text = bigram, .len = n};
    return term_positions(db, docid, &t, NULL, out);
}

static mls_status find_unit(mls_db *db, unsigned docid, const mls_match_plan *plan, size_t i,
                            const mls_note_record *rec, unit_found *f)
{
    const mls_query_unit *u = &plan->q->units[i];
    const mls_strings *stem_words = &plan->stem_words[i];
    mls_status st = phrase_starts(db, docid, u, plan->prefix[i], &f->starts);
    if (!st && u->count == 1 && u->terms[0].stem)
        st = stem_positions(db, docid, &u->terms[0], stem_words, &f->stems, &f->stems_by_text);
    if (!st && u->variant)
        st = base_gate(db, docid, u->variant, u->variant_len, &f->variant_gate);
    if (!st && u->anchor)
        st = base_gate(db, docid, u->anchor, u->anchor_len, &f->anchor_gate);
    if (!st && rec->context_count && !(f->in_context = calloc(rec->context_count, 1)))
        st = MLS_ERR_NOMEM;
    /* A search of the passages' own text (--no-context) finds nothing in
     * context but what heading: asks for there. */
    int in_context_counts = !plan->q->own_text_only || u->field == MLS_FIELD_HEADING;
    for (size_t c = 0; c < rec->context_count && !st && in_context_counts; c++)
        f->in_context[c] =
            count_in(&f->starts, rec->contexts[c].first_pos, rec->contexts[c].end_pos) > 0;
    return st;
}

/* Whether unit `u` matches passage `p`, and its score there. */
/* A passage's length for BM25: its text's terms and its context's, as
 * if they were one document (a passage deep in a tree of headings weighs
 * a match less than one near the top). */
static double passage_length(const mls_note_record *rec, const mls_note_passage *p)
{
    unsigned len = p->end_pos - p->first_pos;
    for (size_t k = 0; k < p->heading_count; k++)
        len += rec->contexts[p->headings[k]].end_pos - rec->contexts[p->headings[k]].first_pos;
    for (size_t k = 0; k < p->item_count; k++)
        len += rec->contexts[p->items[k]].end_pos - rec->contexts[p->items[k]].first_pos;
    return (double)len;
}

/* A passage of a note, whose text is read only if a unit needs it. */
typedef struct passage_at {
    mls_db *db;
    unsigned docid;
    mls_note_record *rec;
    size_t i;
} passage_at;

static mls_status score_unit(const mls_query_unit *u, const unit_found *f, double idf,
                             mls_stemmer *stemmer, const passage_at *at, double len, int *matched,
                             double *score)
{
    const mls_note_passage *p = &at->rec->passages[at->i];
    int in_context = 0;
    for (size_t k = 0; k < p->heading_count && !in_context; k++)
        in_context = f->in_context[p->headings[k]];
    if (u->field == MLS_FIELD_HEADING) {
        *matched = in_context;
        *score = in_context ? idf * mls_weight_saturation(1, len) : 0;
        return MLS_OK;
    }
    for (size_t k = 0; k < p->item_count && !in_context; k++)
        in_context = f->in_context[p->items[k]];
    size_t text = count_in(&f->starts, p->first_pos, p->end_pos), variants = 0;
    size_t stems = count_in(&f->stems, p->first_pos, p->end_pos), stems_elsewhere = 0;
    mls_status st = MLS_OK;
    if (f->stems_by_text && !(st = mls_note_texts_read(at->db, at->docid, at->rec, at->i)))
        st = stems_in_text(p, stemmer, u->terms[0].stem, u->terms[0].stem_len, &stems_elsewhere);
    stems += stems_elsewhere;
    if (!st && u->variant && count_in(&f->variant_gate, p->first_pos, p->end_pos) &&
        !(st = mls_note_texts_read(at->db, at->docid, at->rec, at->i)))
        st = katakana_count(p, u->variant, u->variant_len, &variants);
    *matched = text || in_context || stems || variants;
    if (!st && *matched && u->anchor) {
        size_t anchors = 0;
        if (count_in(&f->anchor_gate, p->first_pos, p->end_pos) &&
            !(st = mls_note_texts_read(at->db, at->docid, at->rec, at->i)))
            st = katakana_count(p, u->anchor, u->anchor_len, &anchors);
        *matched = anchors > 0;
    }
    *score = !*matched
                 ? 0
                 : idf * (mls_weight_saturation((double)text, len) +
                          (in_context ? MLS_CONTEXT_WEIGHT * mls_weight_saturation(1, len) : 0) +
                          MLS_STEM_WEIGHT * mls_weight_saturation((double)(stems + variants), len));
    return st;
}

/* Whether the note passes a filter that shares a clause with words (a
 * filter clause alone, Xapian has applied). */
static mls_status passes_filter(mls_db *db, unsigned docid, const mls_note_record *rec,
                                const mls_query_unit *u, int *passes)
{
    *passes = 0;
    if (u->field == MLS_FIELD_TAG)
        return mls_db_doc_has_term(db, docid, u->filter, strlen(u->filter), passes);
    if (u->field == MLS_FIELD_DATE) {
        char date[MLS_DATE_SIZE], from[MLS_DATE_SIZE], to[MLS_DATE_SIZE];
        mls_status st = mls_db_doc_value(db, docid, MLS_SLOT_DATE, date, sizeof date);
        mls_query_date_range(u, from, to);
        *passes = !st && mls_date_in_range(date, from, to);
        return st;
    }
    for (const char *line = u->filter; line && *line && !*passes;) {
        size_t n = strcspn(line, "\n");
        char *pattern = strndup(line, n);
        if (!pattern)
            return MLS_ERR_NOMEM;
        *passes = fnmatch(pattern, rec->path, 0) == 0;
        free(pattern);
        line += n + (line[n] == '\n');
    }
    return MLS_OK;
}

/* A lone word of the query (a clause of its own, one term), of those
 * that rank a passage higher where they stand near each other. */
static int is_lone_word(const mls_query *q, size_t i)
{
    const mls_query_unit *u = &q->units[i];
    int alone = (i == 0 || q->units[i - 1].clause != u->clause) &&
                (i + 1 == q->count || q->units[i + 1].clause != u->clause);
    return alone && !u->negated && u->field == MLS_FIELD_TEXT && u->count == 1 &&
           !u->terms[0].is_prefix;
}

typedef struct occurrence {
    unsigned pos;
    size_t word;
} occurrence;

static int by_position(const void *a, const void *b)
{
    const occurrence *x = a, *y = b;
    return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* Whether every one of the `words` lone words occurs in [first, end)
 * within a window of twice as many positions as words (Xapian's NEAR with
 * that window): near, in any order. */
static mls_status words_near(const unit_found *found, const size_t *units, size_t words,
                             unsigned first, unsigned end, int *near)
{
    occurrence *o = NULL;
    size_t n = 0, cap = 0, *inside = calloc(words, sizeof *inside), covered = 0;
    *near = 0;
    if (!inside)
        return MLS_ERR_NOMEM;
    for (size_t w = 0; w < words; w++) {
        const positions *p = &found[units[w]].starts;
        for (size_t k = 0; k < p->count; k++) {
            if (p->at[k] < first || p->at[k] >= end)
                continue;
            if (!mls_grow(&o, &cap, n + 1, sizeof *o)) {
                free(inside);
                free(o);
                return MLS_ERR_NOMEM;
            }
            o[n++] = (occurrence){p->at[k], w};
        }
    }
    if (n > 1)
        qsort(o, n, sizeof *o, by_position);
    for (size_t l = 0, r = 0; r < n && !*near; r++) {
        covered += inside[o[r].word]++ == 0;
        while (covered == words && !*near) {
            *near = o[r].pos - o[l].pos < 2 * words;
            covered -= --inside[o[l++].word] == 0;
        }
    }
    free(inside);
    free(o);
    return MLS_OK;
}

mls_status mls_note_match(mls_db *db, const mls_match_plan *plan, unsigned docid,
                          mls_note_record *rec, mls_passage_match **out, size_t *count)
{
    const mls_query *q = plan->q;
    unit_found *found = calloc(q->count ? q->count : 1, sizeof *found);
    /* Per clause: whether it only filters (path:, tag:; Xapian applied
     * it), whether it is negated, and whether it matched the passage. */
    unsigned char *filters = calloc(plan->clauses + 1, 1), *negated = calloc(plan->clauses + 1, 1),
                  *hit = calloc(plan->clauses + 1, 1);
    mls_passage_match *matches = NULL;
    double *text_score = calloc(q->count ? q->count : 1, sizeof *text_score);
    size_t n = 0, cap = 0;
    mls_status st = found && filters && negated && hit && text_score ? MLS_OK : MLS_ERR_NOMEM;

    *out = NULL;
    *count = 0;
    for (size_t c = 0; c < plan->clauses && !st; c++)
        filters[c] = 1;
    size_t *lone = calloc(q->count ? q->count : 1, sizeof *lone), words = 0;
    int *passes = calloc(q->count ? q->count : 1, sizeof *passes);
    if (!st && (!lone || !passes))
        st = MLS_ERR_NOMEM;
    for (size_t u = 0; u < q->count && !st; u++) {
        const mls_query_unit *unit = &q->units[u];
        filters[unit->clause] &= mls_query_unit_is_filter(unit);
        negated[unit->clause] = (unsigned char)unit->negated;
        if (!mls_query_unit_is_filter(unit))
            st = find_unit(db, docid, plan, u, rec, &found[u]);
        if (!st && is_lone_word(q, u))
            lone[words++] = u;
    }
    for (size_t u = 0; u < q->count && !st; u++)
        if (mls_query_unit_is_filter(&q->units[u]) && !filters[q->units[u].clause])
            st = passes_filter(db, docid, rec, &q->units[u], &passes[u]);
    for (size_t i = 0; i < rec->passage_count && !st; i++) {
        const mls_note_passage *p = &rec->passages[i];
        double score = 0, len = passage_length(rec, p);
        memset(hit, 0, plan->clauses + 1);
        for (size_t u = 0; u < q->count && !st; u++) {
            const mls_query_unit *unit = &q->units[u];
            int matched = 0;
            double s = 0;
            if (mls_query_unit_is_filter(unit)) {
                hit[unit->clause] |= (unsigned char)passes[u];
                continue;
            }
            passage_at at = {db, docid, rec, i};
            st = score_unit(unit, &found[u], plan->idf[u], plan->stemmer, &at, len, &matched, &s);
            hit[unit->clause] |= (unsigned char)matched;
            if (matched && !unit->negated)
                score += s;
            text_score[u] = s;
        }
        int near = 0;
        if (!st && words >= 2)
            st = words_near(found, lone, words, p->first_pos, p->end_pos, &near);
        for (size_t w = 0; near && w < words; w++)
            score += MLS_NEAR_WEIGHT * text_score[lone[w]];
        int matches_all = 1;
        for (size_t c = 0; c < plan->clauses && matches_all; c++)
            matches_all = filters[c] || (negated[c] ? !hit[c] : hit[c]);
        if (st || !matches_all)
            continue;
        if (!mls_grow(&matches, &cap, n + 1, sizeof *matches)) {
            st = MLS_ERR_NOMEM;
            break;
        }
        matches[n++] = (mls_passage_match){i, score};
    }
    for (size_t u = 0; found && u < q->count; u++) {
        free(found[u].starts.at);
        free(found[u].stems.at);
        free(found[u].variant_gate.at);
        free(found[u].anchor_gate.at);
        free(found[u].in_context);
    }
    free(found);
    free(lone);
    free(passes);
    free(text_score);
    free(filters);
    free(negated);
    free(hit);
    if (st) {
        free(matches);
        return st;
    }
    *out = matches;
    *count = n;
    return MLS_OK;
}
