/* snippet.c - match spans and snippet windows (see snippet.h). */
#include "mlsearch/snippet.h"
#include "mlsearch/grow.h"

#include "mlsearch/escape.h"
#include "mlsearch/tokenizer.h"
#include "mlsearch/utf8.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

static const char ellipsis[] = "\xE2\x80\xA6"; /* … */

static int term_matches(const mls_query_term *qt, const mls_token *t)
{
    if (qt->is_prefix)
        return t->term_len >= qt->len && !memcmp(t->term, qt->text, qt->len);
    return t->term_len == qt->len && !memcmp(t->term, qt->text, qt->len);
}

static int compare_spans(const void *a, const void *b)
{
    const mls_span *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start;
}

mls_status mls_match_spans(const mls_query *q, const char *text, size_t len,
                           mls_span **spans, size_t *count)
{
    mls_tokens *tokens;
    mls_span *found = NULL;
    size_t n = 0, cap = 0;
    mls_status st = mls_tokenize(text, len, 0, &tokens);

    *spans = NULL;
    *count = 0;
    if (st)
        return st;
    /* Positions in one text are consecutive, so a unit matches at token i
     * when its terms equal tokens i, i+1, ... in turn. */
    for (size_t u = 0; u < q->count; u++) {
        const mls_query_unit *unit = &q->units[u];
        for (size_t i = 0; i + unit->count <= tokens->count; i++) {
            size_t k = 0;
            while (k < unit->count && term_matches(&unit->terms[k], &tokens->items[i + k]))
                k++;
            if (k < unit->count)
                continue;
            const mls_token *last = &tokens->items[i + k - 1];
            if (!mls_grow(&found, &cap, n + 1, sizeof *found)) {
                free(found);
                mls_tokens_free(tokens);
                return MLS_ERR_NOMEM;
            }
            /* A prefix term stands for one character: light only that. */
            found[n].start = tokens->items[i].start;
            found[n].end = unit->terms[k - 1].is_prefix ? last->first_end : last->end;
            n++;
        }
    }
    mls_tokens_free(tokens);
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

/* The one-line, escaped form of the passage, with its spans carried over. */
typedef struct cleaned {
    char *text;
    size_t len;
    mls_span *spans;
} cleaned;

static mls_status clean_text(const char *text, size_t len, const mls_span *spans,
                             size_t n, cleaned *c)
{
    size_t w = 0;
    int pending_space = 0;
    /* An escape is the longest a byte can grow, plus room for a space. */
    c->text = malloc(len * (MLS_ESCAPE_MAX - 1) + 2);
    c->spans = n ? malloc(n * sizeof *c->spans) : NULL;
    if (!c->text || (n && !c->spans))
        return MLS_ERR_NOMEM;
    /* Span ends are mapped as the walk passes them; a start falling inside
     * folded white space maps to where the next character goes. */
    size_t starts_done = 0, ends_done = 0;
    for (size_t i = 0; i <= len;) {
        while (starts_done < n && spans[starts_done].start <= i)
            c->spans[starts_done++].start = w + (size_t)(pending_space && w > 0);
        while (ends_done < n && spans[ends_done].end <= i)
            c->spans[ends_done++].end = w;
        if (i == len)
            break;
        int cp;
        size_t step = mls_utf8_next(text + i, len - i, &cp);
        int valid = step != 0;
        if (!valid) {
            cp = 0xFFFD;
            step = 1;
        }
        if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' || cp == '\v') {
            pending_space = 1;
            i += step;
            continue;
        }
        if (pending_space && w > 0)
            c->text[w++] = ' ';
        pending_space = 0;
        size_t e = mls_escape_char(cp, c->text + w);
        if (e) {
            w += e;
        } else if (valid) {
            memcpy(c->text + w, text + i, step);
            w += step;
        } else {
            memcpy(c->text + w, "\xEF\xBF\xBD", 3);
            w += 3;
        }
        i += step;
    }
    c->text[w] = '\0';
    c->len = w;
    for (size_t i = 0; i < n; i++)
        if (c->spans[i].start > c->spans[i].end)
            c->spans[i].start = c->spans[i].end;
    return MLS_OK;
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

mls_status mls_snippet_make(const char *text, size_t len, const mls_span *spans,
                            size_t span_count, size_t width, mls_snippet *out)
{
    cleaned c = {0};
    size_t from = 0, to, step, cols;
    mls_status st = clean_text(text, len, spans, span_count, &c);

    memset(out, 0, sizeof *out);
    if (st) {
        free(c.text);
        free(c.spans);
        return st;
    }
    /* Start a quarter of the width before the first match, at most; take
     * characters while they fit; if the text ends first, give the rest of
     * the width to what comes before. */
    size_t anchor = span_count ? c.spans[0].start : 0;
    from = back_columns(c.text, anchor, width / 4);
    if (from > 0 && c.text[from] == ' ')
        from++;
    cols = 0;
    for (to = from; to < c.len; to += step) {
        size_t w = char_columns(c.text + to, c.len - to, &step);
        if (cols + w > width)
            break;
        cols += w;
    }
    if (to == c.len && from > 0) {
        from = back_columns(c.text, from, width - cols);
        if (from > 0 && c.text[from] == ' ')
            from++;
    }
    int cut_start = from > 0, cut_end = to < c.len;
    size_t n = to - from;
    out->text = malloc(n + 2 * (sizeof ellipsis - 1) + 1);
    out->spans = span_count ? malloc(span_count * sizeof *out->spans) : NULL;
    if (!out->text || (span_count && !out->spans)) {
        free(c.text);
        free(c.spans);
        mls_snippet_clear(out);
        return MLS_ERR_NOMEM;
    }
    size_t w = 0;
    if (cut_start) {
        memcpy(out->text, ellipsis, sizeof ellipsis - 1);
        w = sizeof ellipsis - 1;
    }
    memcpy(out->text + w, c.text + from, n);
    size_t shift = w;
    w += n;
    if (cut_end) {
        memcpy(out->text + w, ellipsis, sizeof ellipsis - 1);
        w += sizeof ellipsis - 1;
    }
    out->text[w] = '\0';
    out->len = w;
    for (size_t i = 0; i < span_count; i++) {
        size_t s = c.spans[i].start, e = c.spans[i].end;
        if (e <= from || s >= to)
            continue;
        out->spans[out->span_count].start = (s < from ? from : s) - from + shift;
        out->spans[out->span_count].end = (e > to ? to : e) - from + shift;
        out->span_count++;
    }
    free(c.text);
    free(c.spans);
    return MLS_OK;
}
