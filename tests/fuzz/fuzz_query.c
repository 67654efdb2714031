/* fuzz_query.c - mls_query_parse on any text (what a user types, or a
 * script passes), then mls_query_build and mls_xq_free when it parses.
 *
 * The searcher trusts the parsed query's shape, so it checks:
 *  - parsing fails only as "empty" or "only excludes" (or out of memory),
 *    and building a parsed query never fails;
 *  - clauses are numbered 0, 1, 2... in order, units of one clause are
 *    all excluded or all not, and some clause is not excluded;
 *  - a text or heading unit has terms, each non-empty valid UTF-8 of at
 *    most MLS_TERM_MAX_BYTES, only the last one a prefix; a stem only on
 *    a lone term of a text unit; a katakana variant or anchor only on a
 *    text unit that is not excluded, of three katakana or more;
 *  - a path unit's filter is absolute patterns, one per line; a tag's is
 *    its K term;
 *  - the query matches the text it was typed as (query.h: "every passage
 *    containing it matches"): each clause that looks in the text finds
 *    itself there with mls_match_spans. */
#include "fuzz_support.h"

#include "mlsearch/dates.h"
#include "mlsearch/query.h"
#include "mlsearch/internal/snippet.h"
#include "mlsearch/internal/terms.h"
#include "mlsearch/internal/tokenizer.h"
#include "mlsearch/internal/xquery.h"

static void check_katakana(const char *s, size_t len)
{
    size_t chars = 0;
    int cp;
    CHECK(s && strlen(s) == len && mls_utf8_valid(s, len));
    for (size_t j = 0, n; (n = fuzz_next_char(s, len, j, &cp)); j += n, chars++)
        CHECK(mls_is_katakana(cp));
    CHECK(chars >= 3);
}

static void check_unit(const mls_query_unit *u)
{
    if (u->field == MLS_FIELD_DATE) {
        char from[MLS_DATE_SIZE], to[MLS_DATE_SIZE];
        CHECK(u->count == 0 && u->filter && !u->variant && !u->anchor);
        mls_query_date_range(u, from, to);
        CHECK(*from || *to); /* a range open at both ends is refused */
        CHECK(!*from || !*to || strcmp(from, to) <= 0 || !strncmp(from, to, strlen(to)));
        return;
    }
    if (u->field == MLS_FIELD_PATH || u->field == MLS_FIELD_TAG) {
        CHECK(u->count == 0 && u->filter && !u->variant && !u->anchor);
        if (u->field == MLS_FIELD_TAG) {
            const char *tag = mls_prefix_string(MLS_PREFIX_TAG);
            CHECK(!strncmp(u->filter, tag, strlen(tag)));
            CHECK(strlen(u->filter) > strlen(tag));
        } else {
            const char *line = u->filter;
            do
                CHECK(*line == '/'); /* each line an absolute pattern */
            while ((line = strchr(line, '\n')) != NULL && ++line);
        }
        return;
    }
    CHECK(u->field == MLS_FIELD_TEXT || u->field == MLS_FIELD_HEADING);
    CHECK(u->count > 0 && !u->filter);
    for (size_t i = 0; i < u->count; i++) {
        const mls_query_term *t = &u->terms[i];
        CHECK(t->len > 0 && t->len <= MLS_TERM_MAX_BYTES && strlen(t->text) == t->len);
        CHECK(mls_utf8_valid(t->text, t->len));
        CHECK(!t->is_prefix || i == u->count - 1);
        if (t->stem) {
            CHECK(u->count == 1 && u->field == MLS_FIELD_TEXT && !t->is_prefix);
            CHECK(strlen(t->stem) == t->stem_len && mls_utf8_valid(t->stem, t->stem_len));
        }
    }
    if (u->variant || u->anchor)
        CHECK(u->field == MLS_FIELD_TEXT && !u->negated);
    if (u->variant)
        check_katakana(u->variant, u->variant_len);
    if (u->anchor)
        check_katakana(u->anchor, u->anchor_len);
}

/* A piece to try as a prefix: an ASCII word of 3 letters or more, in `text`. */
static int check_span(size_t start, size_t len, void *ctx)
{
    const char *text = ctx;
    CHECK(len >= 3 && start + len <= strlen(text));
    for (size_t i = start; i < start + len; i++)
        CHECK((text[i] >= 'a' && text[i] <= 'z') || (text[i] >= 'A' && text[i] <= 'Z'));
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_strndup(data, size); /* a C string: up to a NUL */
    mls_query *q = NULL;
    if (!text)
        return 0;
    mls_status st = mls_query_parse(text, &q);
    CHECK(st == MLS_OK || st == MLS_ERR_QUERY_EMPTY || st == MLS_ERR_QUERY_ONLY_EXCLUDES ||
          st == MLS_ERR_NOMEM || st == MLS_ERR_QUERY_TOO_LARGE ||
          st == MLS_ERR_QUERY_UNKNOWN_FIELD || st == MLS_ERR_QUERY_BAD_DATE);
    /* A date: that names no date is refused, and found where it is. */
    size_t date_len = 0;
    const char *bad_date = mls_query_bad_date(text, &date_len);
    if (st == MLS_ERR_QUERY_BAD_DATE)
        CHECK(bad_date && bad_date > text && date_len > 0 &&
              bad_date + date_len <= text + strlen(text));
    /* An unknown field is refused, and found where it is: a name and ':'. */
    size_t field_len = 0;
    const char *field = mls_query_unknown_field(text, &field_len);
    if (st != MLS_ERR_QUERY_TOO_LARGE && st != MLS_ERR_NOMEM)
        CHECK((st == MLS_ERR_QUERY_UNKNOWN_FIELD) == (field != NULL));
    if (field)
        CHECK(field >= text && field_len >= 2 && field + field_len <= text + strlen(text) &&
              field[field_len - 1] == ':');
    mls_query_prefix_candidates(text, check_span, text);
    CHECK((st == MLS_ERR_QUERY_TOO_LARGE) ==
          (strlen(text) > MLS_QUERY_MAX_BYTES || mls_query_pieces(text) > MLS_QUERY_MAX_PIECES));
    CHECK((st == MLS_OK) == (q != NULL));
    if (!q) {
        free(text);
        return 0;
    }

    int positive = 0;
    CHECK(q->count > 0 && q->units[0].clause == 0);
    for (size_t first = 0, end; first < q->count; first = end) {
        const mls_query_unit *u = &q->units[first];
        int looks_in_text = 0;
        for (end = first; end < q->count && q->units[end].clause == u->clause; end++) {
            CHECK(q->units[end].negated == u->negated);
            check_unit(&q->units[end]);
            looks_in_text |= q->units[end].field == MLS_FIELD_TEXT;
        }
        CHECK(end == q->count || q->units[end].clause == u->clause + 1);
        positive |= !u->negated;
        /* The clause alone, matched against the query text. */
        mls_query clause = {.units = q->units + first, .count = end - first};
        mls_span *spans;
        size_t n;
        if (looks_in_text && !u->negated &&
            mls_match_spans(&clause, text, strlen(text), &spans, &n) == MLS_OK) {
            CHECK(n > 0);
            free(spans);
        }
    }
    CHECK(positive);

    mls_xq *xq = NULL;
    st = mls_query_build(q, &xq);
    CHECK(st == MLS_OK || st == MLS_ERR_NOMEM);
    CHECK((st == MLS_OK) == (xq != NULL));
    mls_xq_free(xq);
    mls_query_free(q);
    free(text);
    return 0;
}
