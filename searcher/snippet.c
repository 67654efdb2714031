/* snippet.c - match spans and snippet windows (see snippet.h). */
#include "mlsearch/internal/snippet.h"
#include "mlsearch/escape.h"
#include "mlsearch/internal/grow.h"
#include "mlsearch/internal/stemmer.h"
#include "mlsearch/internal/tokenizer.h"
#include "mlsearch/internal/utf8.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

static const char ellipsis[] = "\xE2\x80\xA6"; /* … */

/* 1 if the token is the query term: itself, a word it starts (prefix), or
 * a word of the same stem (`stemmer` set when the query has stems). */
static int term_matches(const mls_query_term *qt, const mls_token *t, mls_stemmer *stemmer)
{
    const char *stem;
    size_t stem_len;
    if (qt->is_prefix)
        return t->term_len >= qt->len && !memcmp(t->term, qt->text, qt->len);
    if (t->term_len == qt->len && !memcmp(t->term, qt->text, qt->len))
        return 1;
    return qt->stem && stemmer && t->kind == MLS_TOKEN_WORD &&
           mls_stem(stemmer, t->term, t->term_len, &stem, &stem_len) == MLS_OK &&
           stem_len == qt->stem_len && !memcmp(stem, qt->stem, stem_len);
}

static int has_stems(const mls_query *q)
{
    for (size_t u = 0; u < q->count; u++)
        for (size_t i = 0; i < q->units[u].count; i++)
            if (q->units[u].terms[i].stem)
                return 1;
    return 0;
}

static const char long_mark[] = "\xE3\x83\xBC"; /* ー */

/* 1 if the token's first character is katakana; its bytes in *n. */
static int starts_katakana(const mls_token *t, size_t *n)
{
    int cp;
    *n = mls_utf8_next(t->term, t->term_len, &cp);
    return t->kind != MLS_TOKEN_WORD && mls_is_katakana(cp);
}

/* Adds to found[] the katakana words of the text whose base (without
 * their final ー) is `base`: a unit's variant, which the index found by its
 * Z term (query.h).  A word is read from its CJK tokens, whose first
 * characters follow one another in a run.  0 when out of memory. */
static int add_variant_spans(const mls_tokens *tokens, const char *base, size_t base_len,
                             mls_span **found, size_t *n, size_t *cap)
{
    char *word = NULL;
    size_t word_cap = 0, ok = 1;
    for (size_t i = 0, j, c; i < tokens->count && ok; i = j > i ? j : i + 1) {
        size_t len = 0;
        for (j = i; j < tokens->count && starts_katakana(&tokens->items[j], &c) &&
                    (j == i || (!tokens->items[j].run_start &&
                                tokens->items[j].pos == tokens->items[j - 1].pos + 1));
             j++) {
            if (!(ok = mls_grow(&word, &word_cap, len + c, 1)))
                break;
            memcpy(word + len, tokens->items[j].term, c);
            len += c;
        }
        while (len >= 3 && !memcmp(word + len - 3, long_mark, 3))
            len -= 3;
        if (!ok || j == i || len != base_len || memcmp(word, base, len))
            continue;
        if (!(ok = mls_grow(found, cap, *n + 1, sizeof **found)))
            break;
        (*found)[(*n)++] = (mls_span){tokens->items[i].start, tokens->items[j - 1].first_end};
    }
    free(word);
    return (int)ok;
}

static int compare_spans(const void *a, const void *b)
{
    const mls_span *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start;
}

mls_status mls_match_spans(const mls_query *q, const char *text, size_t len, mls_span **spans,
                           size_t *count)
{
    mls_tokens *tokens;
    mls_span *found = NULL;
    mls_stemmer *stemmer = NULL;
    size_t n = 0, cap = 0;
    mls_status st = has_stems(q) ? mls_stemmer_new(&stemmer) : MLS_OK;

    *spans = NULL;
    *count = 0;
    if (!st)
        st = mls_tokenize(text, len, 0, &tokens);
    if (st) {
        mls_stemmer_free(stemmer);
        return st;
    }
    /* Positions in one text are consecutive, so a unit matches at token i
     * when its terms equal tokens i, i+1, ... in turn. */
    for (size_t u = 0; u < q->count; u++) {
        const mls_query_unit *unit = &q->units[u];
        if (unit->negated || unit->field != MLS_FIELD_TEXT)
            continue; /* not in the text: excluded, a heading, a filter */
        for (size_t i = 0; i + unit->count <= tokens->count; i++) {
            size_t k = 0;
            while (k < unit->count && term_matches(&unit->terms[k], &tokens->items[i + k], stemmer))
                k++;
            if (k < unit->count)
                continue;
            const mls_token *last = &tokens->items[i + k - 1];
            if (!mls_grow(&found, &cap, n + 1, sizeof *found)) {
                free(found);
                mls_tokens_free(tokens);
                mls_stemmer_free(stemmer);
                return MLS_ERR_NOMEM;
            }
            /* A CJK prefix term stands for one character: light only that. */
            found[n].start = tokens->items[i].start;
            found[n].end = unit->terms[k - 1].is_prefix && last->kind != MLS_TOKEN_WORD
                               ? last->first_end
                               : last->end;
            n++;
        }
        if (unit->variant &&
            !add_variant_spans(tokens, unit->variant, unit->variant_len, &found, &n, &cap)) {
            free(found);
            mls_tokens_free(tokens);
            mls_stemmer_free(stemmer);
            return MLS_ERR_NOMEM;
        }
    }
    mls_tokens_free(tokens);
    mls_stemmer_free(stemmer);
    if (n == 0) {
        free(found);
        return MLS_OK;
    }
    qsort(found, n, sizeof *found, compare_spans);
    size_t merged = 0;
    for (size_t i = 1; i < n; i++) {
        if (found[i].start <= found[merged].end) {
            if (found[i].end > found[merged].end)
                found[merged].end = found[i].end;
        } else {
            found[++merged] = found[i];
        }
    }
    *spans = found;
    *count = merged + 1;
    return MLS_OK;
}

void mls_snippet_clear(mls_snippet *s)
{
    if (!s)
        return;
    free(s->text);
    free(s->spans);
    memset(s, 0, sizeof *s);
}

/* Terminal columns of the character at s (valid UTF-8), and its length. */
static size_t char_columns(const char *s, size_t len, size_t *step)
{
    int cp = 0;
    *step = mls_utf8_next(s, len, &cp);
    if (*step == 0) {
        *step = 1;
        return 1;
    }
    int w = utf8proc_charwidth(cp);
    return w < 0 ? 1 : (size_t)w;
}

/* The start of the text that ends at `end` and takes at most `columns`
 * columns, on a character boundary. */
static size_t back_columns(const char *text, size_t end, size_t columns)
{
    size_t from = end, taken = 0, step;
    while (from > 0) {
        size_t j = from - 1;
        while (j > 0 && ((unsigned char)text[j] & 0xC0) == 0x80)
            j--; /* back to the start of the previous character */
        size_t w = char_columns(text + j, end - j, &step);
        if (taken + w > columns)
            break;
        taken += w;
        from = j;
    }
    return from;
}

/* A cut moves this many bytes at most to reach a space. */
#define WORD_CUT_MAX 16

static int word_byte(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* 1 if a cut at byte `i` of `s` would split a word of ASCII letters. */
static int in_word(const char *s, size_t len, size_t i)
{
    return i > 0 && i < len && word_byte(s[i - 1]) && word_byte(s[i]);
}

size_t mls_columns(const char *s, size_t len)
{
    size_t cols = 0, step;
    for (size_t i = 0; i < len; i += step)
        cols += char_columns(s + i, len - i, &step);
    return cols;
}

size_t mls_columns_from_end(const char *s, size_t len, size_t columns)
{
    return back_columns(s, len, columns);
}

/* The start of the character that holds byte `i` of UTF-8 `text`. */
static size_t char_start(const char *text, size_t i)
{
    while (i > 0 && ((unsigned char)text[i] & 0xC0) == 0x80)
        i--;
    return i;
}

mls_status mls_snippet_make(const char *text, size_t len, const mls_span *spans, size_t span_count,
                            size_t width, mls_snippet *out)
{
    size_t from = 0, to, step, cols, n_spans = 0;
    mls_span *moved = span_count ? malloc(span_count * sizeof *moved) : NULL;
    char *line = NULL; /* the window as one escaped line */
    size_t line_len = 0;

    memset(out, 0, sizeof *out);
    if (span_count && !moved)
        return MLS_ERR_NOMEM;
    /* Look only at a window around the first match: a generous number of
     * bytes per column on either side, so a huge passage costs no more
     * than a small one. */
    size_t anchor = span_count ? spans[0].start : 0;
    size_t lo = anchor > width * 16 ? char_start(text, anchor - width * 16) : 0;
    size_t hi = len - anchor > width * 64 ? char_start(text, anchor + width * 64) : len;
    for (size_t i = 0; i < span_count; i++) {
        if (spans[i].end <= lo || spans[i].start >= hi)
            continue;
        moved[n_spans].start = (spans[i].start > lo ? spans[i].start : lo) - lo;
        moved[n_spans].end = (spans[i].end < hi ? spans[i].end : hi) - lo;
        n_spans++;
    }
    mls_status st = mls_escape_line(text + lo, hi - lo, moved, n_spans, &line, &line_len);
    if (st) {
        free(moved);
        return st;
    }
    span_count = n_spans;
    /* Start a quarter of the width before the first match, at most; take
     * characters while they fit; if the text ends first, give the rest of
     * the width to what comes before. */
    anchor = span_count ? moved[0].start : 0;
    from = back_columns(line, anchor, width / 4);
    if (from > 0 && line[from] == ' ')
        from++;
    cols = 0;
    for (to = from; to < line_len; to += step) {
        size_t w = char_columns(line + to, line_len - to, &step);
        if (cols + w > width)
            break;
        cols += w;
    }
    if (to == line_len && from > 0) {
        from = back_columns(line, from, width - cols);
        if (from > 0 && line[from] == ' ')
            from++;
    }
    /* Not inside a word of a spaced script: at a space near the cut, on
     * the side that keeps the first match whole. */
    size_t match_end = span_count ? moved[0].end : 0;
    if (from > 0 && in_word(line, line_len, from)) {
        size_t space = from;
        while (space < anchor && space < from + WORD_CUT_MAX && line[space] != ' ')
            space++;
        if (space < anchor && line[space] == ' ')
            from = space + 1;
    }
    if (to < line_len && in_word(line, line_len, to)) {
        size_t space = to;
        while (space > match_end && space > from && to - space < WORD_CUT_MAX &&
               line[space - 1] != ' ')
            space--;
        if (space > match_end && space > from && line[space - 1] == ' ')
            to = space - 1;
    }
    while (to < line_len && to > from && to > match_end && line[to - 1] == ' ')
        to--; /* no space before the "…" */
    int cut_start = from > 0 || lo > 0, cut_end = to < line_len || hi < len;
    size_t n = to - from;
    out->text = malloc(n + 2 * (sizeof ellipsis - 1) + 1);
    out->spans = span_count ? malloc(span_count * sizeof *out->spans) : NULL;
    if (!out->text || (span_count && !out->spans)) {
        free(line);
        free(moved);
        mls_snippet_clear(out);
        return MLS_ERR_NOMEM;
    }
    size_t w = 0;
    if (cut_start) {
        memcpy(out->text, ellipsis, sizeof ellipsis - 1);
        w = sizeof ellipsis - 1;
    }
    memcpy(out->text + w, line + from, n);
    size_t shift = w;
    w += n;
    if (cut_end) {
        memcpy(out->text + w, ellipsis, sizeof ellipsis - 1);
        w += sizeof ellipsis - 1;
    }
    out->text[w] = '\0';
    out->len = w;
    for (size_t i = 0; i < span_count; i++) {
        size_t s = moved[i].start, e = moved[i].end;
        if (e <= from || s >= to)
            continue;
        out->spans[out->span_count].start = (s < from ? from : s) - from + shift;
        out->spans[out->span_count].end = (e > to ? to : e) - from + shift;
        out->span_count++;
    }
    free(line);
    free(moved);
    return MLS_OK;
}
