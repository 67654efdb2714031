/* test_snippet.c - unit tests of include/mlsearch/internal/snippet.h.
 *
 * Every expectation below was worked out by hand from the contracts in
 * snippet.h, query.h and tokenizer.h:
 *  - mls_match_spans finds every place where a unit of the query matches
 *    (a phrase of its terms at consecutive positions, a prefix term
 *    matching every term that starts with it), as byte spans of the text
 *    from the start of the first term to the end of the last one (for a
 *    prefix term, to the end of its first character); sorted, overlapping
 *    spans merged, NULL spans when there is none;
 *  - mls_snippet_make folds white space runs to one space, trims, escapes
 *    unsafe characters as escape.h does, cuts on character boundaries to
 *    about `width` columns with "…" where text was cut, and gives the
 *    matches as byte ranges of the snippet.
 *
 * Spans are compared as one string "start-end:text start-end:text", so
 * that a failure shows every span with the bytes it covers.  Every snippet
 * goes through check_snippet(), which checks what must hold for any
 * snippet: valid UTF-8, one line, no raw control, spans inside the text,
 * sorted and on character boundaries.
 *
 * Input is always copied into a buffer of exactly `len` bytes (no NUL),
 * so that ASan or valgrind report any read past the end. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "test_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mlsearch/query.h"
#include "mlsearch/internal/snippet.h"

#define ELLIPSIS "\xe2\x80\xa6" /* … U+2026 */
#define ELLIPSIS_LEN 3

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

static void free_query(void *q)
{
    mls_query_free(q);
}

/* Decodes one UTF-8 character at s (n bytes available): its length, or 0
 * when it is not a valid, shortest-form, non-surrogate sequence.  Written
 * here rather than taken from utf8.h, to keep the check independent. */
static size_t decode(const unsigned char *s, size_t n, int *cp)
{
    if (n == 0)
        return 0;
    unsigned c = s[0];
    size_t len;
    int min;
    int v;
    if (c < 0x80) {
        *cp = (int)c;
        return 1;
    } else if (c >= 0xC2 && c <= 0xDF) {
        len = 2, min = 0x80, v = (int)(c & 0x1F);
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3, min = 0x800, v = (int)(c & 0x0F);
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4, min = 0x10000, v = (int)(c & 0x07);
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (int)(s[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return len;
}

static int valid_utf8(const char *s, size_t len)
{
    size_t i = 0;
    int cp;
    while (i < len) {
        size_t k = decode((const unsigned char *)s + i, len - i, &cp);
        if (k == 0)
            return 0;
        i += k;
    }
    return 1;
}

static int is_unsafe(int cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x061C || cp == 0x200E ||
           cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) ||
           cp == 0x2028 || cp == 0x2029;
}

/* Terminal columns of a code point, enough for these tests. */
static size_t cp_width(int cp)
{
    if ((cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
        (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
        (cp >= 0xFF00 && cp <= 0xFF60) || (cp >= 0xFFE0 && cp <= 0xFFE6) ||
        (cp >= 0x1F300 && cp <= 0x1F64F) || (cp >= 0x20000 && cp <= 0x3FFFD))
        return 2;
    return 1;
}

static size_t columns(const char *s, size_t len)
{
    size_t cols = 0, i = 0;
    int cp;
    while (i < len) {
        size_t k = decode((const unsigned char *)s + i, len - i, &cp);
        assert_true(k > 0);
        cols += cp_width(cp);
        i += k;
    }
    return cols;
}

static int starts_with_ellipsis(const mls_snippet *s)
{
    return s->len >= ELLIPSIS_LEN && memcmp(s->text, ELLIPSIS, ELLIPSIS_LEN) == 0;
}

static int ends_with_ellipsis(const mls_snippet *s)
{
    return s->len >= ELLIPSIS_LEN &&
           memcmp(s->text + s->len - ELLIPSIS_LEN, ELLIPSIS, ELLIPSIS_LEN) == 0;
}

static int char_boundary(const char *s, size_t len, size_t at)
{
    return at == len || ((unsigned char)s[at] & 0xC0) != 0x80;
}

/* What must hold for every snippet. */
static void check_snippet(const mls_snippet *s)
{
    assert_non_null(s->text);
    assert_int_equal(s->text[s->len], '\0');
    assert_int_equal(strlen(s->text), s->len);
    if (!valid_utf8(s->text, s->len))
        fail_msg("snippet is not valid UTF-8: \"%s\"", s->text);
    size_t i = 0;
    int cp;
    while (i < s->len) {
        size_t k = decode((const unsigned char *)s->text + i, s->len - i, &cp);
        if (is_unsafe(cp))
            fail_msg("raw U+%04X at byte %zu of snippet \"%s\"", (unsigned)cp, i, s->text);
        i += k;
    }
    if (s->span_count > 0)
        assert_non_null(s->spans);
    for (size_t j = 0; j < s->span_count; j++) {
        const mls_span *sp = &s->spans[j];
        assert_true(sp->start < sp->end);
        assert_true(sp->end <= s->len);
        assert_true(char_boundary(s->text, s->len, sp->start));
        assert_true(char_boundary(s->text, s->len, sp->end));
        if (j > 0)
            assert_true(s->spans[j - 1].end <= sp->start);
    }
}

/* "start-end:text start-end:text"; the caller frees it. */
static char *render_spans(const char *text, const mls_span *spans, size_t n)
{
    size_t cap = 1;
    for (size_t i = 0; i < n; i++)
        cap += spans[i].end - spans[i].start + 48;
    char *s = malloc(cap);
    assert_non_null(s);
    size_t k = 0;
    s[0] = '\0';
    for (size_t i = 0; i < n; i++)
        k += (size_t)snprintf(s + k, cap - k, "%s%zu-%zu:%.*s", i ? " " : "", spans[i].start,
                              spans[i].end, (int)(spans[i].end - spans[i].start),
                              text + spans[i].start);
    return s;
}

/* The parse of `query`, held (own()); the caller releases it. */
static mls_query *parse(const char *query)
{
    mls_query *q = NULL;
    mls_status st = mls_query_parse(query, &q);
    own(q, free_query);
    assert_int_equal(st, MLS_OK);
    assert_non_null(q);
    return q;
}

/* Spans of `query` in `len` bytes of `text`, rendered (checked sorted,
 * merged, on character boundaries).  The result is held (own()); the
 * caller releases it. */
static char *match_full(const char *query, const char *text, size_t len)
{
    static mls_span sentinel;
    mls_query *q = parse(query);
    char *buf = own(exact_copy(text, len), free);
    mls_span *spans = &sentinel;
    size_t count = (size_t)-1;
    mls_status st = mls_match_spans(q, buf, len, &spans, &count);
    release(q);
    release(buf);
    if (spans != &sentinel)
        own(spans, free);
    assert_int_equal(st, MLS_OK);
    assert_int_not_equal(count, (size_t)-1);
    if (count == 0) {
        assert_null(spans);
    } else {
        assert_non_null(spans);
        assert_true(spans != &sentinel);
    }
    for (size_t i = 0; i < count; i++) {
        assert_true(spans[i].start < spans[i].end);
        assert_true(spans[i].end <= len);
        assert_true(char_boundary(text, len, spans[i].start));
        assert_true(char_boundary(text, len, spans[i].end));
        if (i > 0) /* sorted, overlaps merged */
            assert_true(spans[i - 1].end <= spans[i].start);
    }
    char *got = own(render_spans(text, spans, count), free);
    if (spans != &sentinel)
        release(spans);
    return got;
}

static void expect_match_full(const char *query, const char *text, size_t len, const char *expected)
{
    char *got = match_full(query, text, len);
    if (strcmp(got, expected) != 0)
        print_error("query \"%s\" in \"%.*s\"\n", query, (int)len, text);
    assert_string_equal(got, expected);
    release(got);
}

#define EXPECT_MATCH(query, lit, expected) \
    expect_match_full((query), (lit), sizeof(lit) - 1, (expected))

/* mls_snippet_make into *out, checked; its memory is held (own()) until
 * clear_snippet(). */
static void make_full(const char *text, size_t len, const mls_span *spans, size_t n, size_t width,
                      mls_snippet *out)
{
    char *buf = own(exact_copy(text, len), free);
    memset(out, 0, sizeof *out);
    mls_status st = mls_snippet_make(buf, len, spans, n, width, out);
    release(buf); /* the snippet must not point into the text */
    own(out->text, free);
    own(out->spans, free);
    assert_int_equal(st, MLS_OK);
    check_snippet(out);
}

static void clear_snippet(mls_snippet *s)
{
    disown(s->text);
    disown(s->spans);
    mls_snippet_clear(s);
}

/* A snippet of a text short enough to be kept whole: its exact text and
 * spans. */
static void expect_snippet_full(const char *text, size_t len, const mls_span *spans, size_t n,
                                size_t width, const char *expected_text, const char *expected_spans)
{
    mls_snippet s;
    make_full(text, len, spans, n, width, &s);
    char *got = own(render_spans(s.text, s.spans, s.span_count), free);
    if (strcmp(s.text, expected_text) != 0 || strcmp(got, expected_spans) != 0)
        print_error("snippet of \"%.*s\": \"%s\" [%s]\n", (int)len, text, s.text, got);
    assert_string_equal(s.text, expected_text);
    assert_string_equal(got, expected_spans);
    release(got);
    clear_snippet(&s);
}

#define EXPECT_SNIPPET(lit, spans, n, width, text, rendered) \
    expect_snippet_full((lit), sizeof(lit) - 1, (spans), (n), (width), (text), (rendered))

/* ------------------------------------------------------------------ */
/* mls_match_spans                                                     */
/* ------------------------------------------------------------------ */

static void test_match_word_every_form(void **state)
{
    (void)state;
    /* AML 0..3, と 3..6, aml 6..9, 、 9..12, ＡＭＬ 12..21 */
    EXPECT_MATCH("aml", "AMLとaml、ＡＭＬ", "0-3:AML 6-9:aml 12-21:ＡＭＬ");
    EXPECT_MATCH("ＡＭＬ", "AMLとaml、ＡＭＬ", "0-3:AML 6-9:aml 12-21:ＡＭＬ");
    /* whole words only: `html` is not `ml` */
    EXPECT_MATCH("ml", "HTML and ML", "9-11:ML");
}

static void test_match_cjk_phrase(void **state)
{
    (void)state;
    /* 新 0, し 3, い 6, 推 9 ... ー 24, を 27, 作 30, る 33 */
    EXPECT_MATCH("推論サーバー", "新しい推論サーバーを作る", "9-27:推論サーバー");
    /* the closing unigram is not asked for: the run may go on */
    EXPECT_MATCH("推論サーバー", "推論サーバーたち", "0-18:推論サーバー");
    EXPECT_MATCH("推論サーバー", "推論サーバー", "0-18:推論サーバー");
    /* two matches of one unit */
    EXPECT_MATCH("ML活用", "ML活用とML活用", "0-8:ML活用 11-19:ML活用");
}

static void test_match_prefix(void **state)
{
    (void)state;
    /* 推 0, 論 3, と 6, 推 9, す 12: each match is one character */
    EXPECT_MATCH("推", "推論と推す", "0-3:推 9-12:推");
    /* the unigram at the end of a run */
    EXPECT_MATCH("猫", "犬と猫", "6-9:猫");
    /* a phrase ending with a prefix: up to the end of its first character */
    EXPECT_MATCH("ML猫", "ML猫たち", "0-5:ML猫");
}

static void test_match_kept_unigram(void **state)
{
    (void)state;
    /* [活用 用 ml]: 用 must end its run */
    EXPECT_MATCH("活用ML", "活用ML", "0-8:活用ML");
    EXPECT_MATCH("活用ML", "生活用ML", "3-11:活用ML");
    EXPECT_MATCH("活用ML", "活用するML", "");
}

static void test_match_across_separators(void **state)
{
    (void)state;
    /* separators take no position: `ML活用` matches `ML 活用`, and the span
     * runs from the first term to the last, the space between included */
    EXPECT_MATCH("ML活用", "ML 活用する", "0-9:ML 活用");
}

static void test_match_width_forms(void **state)
{
    (void)state;
    /* GPU 0..3, サ 3, ー 6, バ 9, ー 12..15 */
    EXPECT_MATCH("ｻｰﾊﾞｰ", "GPUサーバー", "3-15:サーバー");
    /* GPU 0..3, ｻ 3, ｰ 6, ﾊ 9, ﾞ 12, ｰ 15, で 18, す 21 */
    EXPECT_MATCH("サーバー", "GPUｻｰﾊﾞｰです", "3-18:ｻｰﾊﾞｰ");
}

static void test_match_units_sorted(void **state)
{
    (void)state;
    /* units in one order, matches in text order */
    EXPECT_MATCH("猫 犬", "犬と猫", "0-3:犬 6-9:猫");
    /* a unit that does not match does not hide the one that does */
    EXPECT_MATCH("aml zzz", "aml", "0-3:aml");
}

static void test_match_overlapping_merged(void **state)
{
    (void)state;
    /* [推論 論サ] 0..9 and [サー ーバ バー] 6..18 overlap */
    EXPECT_MATCH("推論サ サーバー", "推論サーバー", "0-18:推論サーバー");
    /* [サー ーバ バー] 0..12 and [バー] 6..12: one inside the other */
    EXPECT_MATCH("サーバー バー", "サーバー", "0-12:サーバー");
    /* the same unit twice */
    EXPECT_MATCH("aml aml", "x aml y", "2-5:aml");
}

/* Adjacent spans: the header says "overlapping spans merged"; the brief
 * for these tests asks for adjacent ones to be merged as well. */
static void test_match_adjacent_merged(void **state)
{
    (void)state;
    /* [推論] 0..6 and [サー ーバ バー] 6..18 touch */
    EXPECT_MATCH("推論 サーバー", "推論サーバー", "0-18:推論サーバー");
    /* ml 0..2 and [活用] 2..8 touch */
    EXPECT_MATCH("ml 活用", "ML活用", "0-8:ML活用");
}

static void test_match_none(void **state)
{
    (void)state;
    EXPECT_MATCH("猫", "犬と鳥", "");
    /* not at consecutive positions */
    EXPECT_MATCH("推論サーバー", "推論とサーバー", "");
    EXPECT_MATCH("aml", "", "");
    EXPECT_MATCH("aml", "   ", "");
}

static void test_match_not_nul_terminated(void **state)
{
    (void)state;
    /* only "aml am" is given: the second word is `am`, not `aml` */
    char *got = match_full("aml", "aml aml", 6);
    assert_string_equal(got, "0-3:aml");
    release(got);
}

/* ------------------------------------------------------------------ */
/* mls_snippet_make: short texts                                       */
/* ------------------------------------------------------------------ */

static void test_snippet_short_whole(void **state)
{
    (void)state;
    EXPECT_SNIPPET("Hello world", NULL, 0, 80, "Hello world", "");
    EXPECT_SNIPPET("  Hello\t\tworld\n\n  foo  ", NULL, 0, 80, "Hello world foo", "");
    EXPECT_SNIPPET("推論\nサーバー", NULL, 0, 80, "推論 サーバー", "");
    EXPECT_SNIPPET(" \t\n a \n\n\t b\t", NULL, 0, 80, "a b", "");
    EXPECT_SNIPPET("", NULL, 0, 80, "", "");
}

static void test_snippet_exact_fit(void **state)
{
    (void)state;
    /* 40 columns in a width of 40: nothing to cut */
    EXPECT_SNIPPET("abcdefghijabcdefghijabcdefghijabcdefghij", NULL, 0, 40,
                   "abcdefghijabcdefghijabcdefghijabcdefghij", "");
    /* 10 kanji = 20 columns */
    static const mls_span sp[] = {{6, 12}};
    EXPECT_SNIPPET("漢字推論漢字漢字漢字", sp, 1, 20, "漢字推論漢字漢字漢字", "6-12:推論");
}

static void test_snippet_spans_remapped(void **state)
{
    (void)state;
    /* H 0..5, \n 5, \n 6, ' ' 7, ' ' 8, AML 9..12 */
    static const mls_span a[] = {{9, 12}};
    EXPECT_SNIPPET("Hello\n\n  AML  world", a, 1, 80, "Hello AML world", "6-9:AML");

    /* AML 0..3, " and" 3..7, \n 7, \n 8, aml 9..12 */
    static const mls_span b[] = {{0, 3}, {9, 12}};
    EXPECT_SNIPPET("AML and\n\naml", b, 2, 80, "AML and aml", "0-3:AML 8-11:aml");

    /* a span over a folded white space run: ML 0..2, "  \n" 2..5,
     * 活用 5..11 */
    static const mls_span c[] = {{0, 11}};
    EXPECT_SNIPPET("ML  \n活用", c, 1, 80, "ML 活用", "0-9:ML 活用");

    /* trimmed leading white space: "  \n" 0..3, 推論サーバー 3..21 */
    static const mls_span d[] = {{3, 21}};
    EXPECT_SNIPPET("  \n推論サーバー\n", d, 1, 80, "推論サーバー", "0-18:推論サーバー");
}

static void test_snippet_spans_from_match(void **state)
{
    (void)state;
    static const char text[] = "新しい推論サーバーを\n\n作る";
    mls_query *q = parse("推論サーバー");
    mls_span *spans = NULL;
    size_t n = 0;
    mls_status st = mls_match_spans(q, text, sizeof text - 1, &spans, &n);
    release(q);
    own(spans, free);
    assert_int_equal(st, MLS_OK);
    assert_int_equal(n, 1);
    expect_snippet_full(text, sizeof text - 1, spans, n, 80, "新しい推論サーバーを 作る",
                        "9-27:推論サーバー");
    release(spans);
}

static void test_snippet_escapes_shift_spans(void **state)
{
    (void)state;
    /* ESC 0, [31m 1..5, AML 5..8 -> "\x1B" is 4 bytes: AML 8..11 */
    static const mls_span a[] = {{5, 8}};
    EXPECT_SNIPPET("\x1b[31mAML", a, 1, 80, "\\x1B[31mAML", "8-11:AML");

    /* abc 0..3, U+202E 3..6, "def " 6..10, AML 10..13 ->
     * "abc" 3 + "\u{202E}" 8 + "def " 4: AML 15..18 */
    static const mls_span b[] = {{10, 13}};
    EXPECT_SNIPPET("abc\342\200\256def AML", b, 1, 80, "abc\\u{202E}def AML", "15-18:AML");
}

static void test_snippet_controls_escaped(void **state)
{
    (void)state;
    EXPECT_SNIPPET("a\033b", NULL, 0, 80, "a\\x1Bb", "");
    EXPECT_SNIPPET("a\x1b[31mred\x1b[0m", NULL, 0, 80, "a\\x1B[31mred\\x1B[0m", "");
    EXPECT_SNIPPET("a\177b", NULL, 0, 80, "a\\x7Fb", "");
    EXPECT_SNIPPET("a\342\200\256b", NULL, 0, 80, "a\\u{202E}b", "");
    EXPECT_SNIPPET("a\342\201\246b", NULL, 0, 80, "a\\u{2066}b", "");
    EXPECT_SNIPPET("a\342\200\216b", NULL, 0, 80, "a\\u{200E}b", "");

    /* \r: never raw; whether it counts as white space (folded) or as a
     * control (escaped) the header leaves open */
    static const char *const cr[] = {"a\\x0Db", "a b", NULL};
    static const char *const crlf[] = {"line1\\x0D line2", "line1 line2", NULL};
    mls_snippet s;
    make_full("a\rb", 3, NULL, 0, 80, &s);
    int ok = strcmp(s.text, cr[0]) == 0 || strcmp(s.text, cr[1]) == 0;
    if (!ok)
        print_error("snippet of \"a\\rb\": \"%s\"\n", s.text);
    clear_snippet(&s);
    assert_true(ok);
    make_full("line1\r\nline2", 12, NULL, 0, 80, &s);
    ok = strcmp(s.text, crlf[0]) == 0 || strcmp(s.text, crlf[1]) == 0;
    if (!ok)
        print_error("snippet of \"line1\\r\\nline2\": \"%s\"\n", s.text);
    clear_snippet(&s);
    assert_true(ok);

    /* U+0085 (NEL), U+2028: never raw (check_snippet) */
    make_full("a\302\205b\342\200\250c", 8, NULL, 0, 80, &s);
    clear_snippet(&s);
}

/* ------------------------------------------------------------------ */
/* mls_snippet_make: long texts                                        */
/* ------------------------------------------------------------------ */

/* `count` words, "lorem" but for `special` at the given indexes, separated
 * by one space or (every seventh) a newline and two spaces; the spans of
 * the special words go to spans[].  The text is held (own()); the caller
 * releases it. */
static char *words(size_t count, const size_t *at, const char *const *special, size_t n_special,
                   mls_span *spans, size_t *len)
{
    size_t cap = count * 16 + 1;
    char *s = own(malloc(cap), free);
    assert_non_null(s);
    size_t k = 0;
    for (size_t i = 0; i < count; i++) {
        if (i > 0) {
            const char *sep = i % 7 == 0 ? "\n  " : " ";
            memcpy(s + k, sep, strlen(sep));
            k += strlen(sep);
        }
        const char *w = "lorem";
        for (size_t j = 0; j < n_special; j++) {
            if (at[j] == i) {
                w = special[j];
                spans[j].start = k;
                spans[j].end = k + strlen(w);
            }
        }
        memcpy(s + k, w, strlen(w));
        k += strlen(w);
    }
    s[k] = '\0';
    *len = k;
    return s;
}

/* The span of the snippet whose bytes are `what`: asserts there is one. */
static void expect_span_text(const mls_snippet *s, const char *what)
{
    for (size_t i = 0; i < s->span_count; i++)
        if (s->spans[i].end - s->spans[i].start == strlen(what) &&
            memcmp(s->text + s->spans[i].start, what, strlen(what)) == 0)
            return;
    char *got = render_spans(s->text, s->spans, s->span_count);
    print_error("no span \"%s\" in snippet \"%s\" [%s]\n", what, s->text, got);
    free(got);
    fail();
}

/* Columns of the snippet without the "…" at its ends. */
static size_t inner_columns(const mls_snippet *s)
{
    size_t from = starts_with_ellipsis(s) ? ELLIPSIS_LEN : 0;
    size_t to = s->len;
    if (s->len - from >= ELLIPSIS_LEN && ends_with_ellipsis(s))
        to -= ELLIPSIS_LEN;
    return columns(s->text + from, to - from);
}

static void check_cut(const mls_snippet *s, size_t width, int cut_start, int cut_end)
{
    size_t cols = inner_columns(s);
    if (cols > width || cols < width / 2 || starts_with_ellipsis(s) != cut_start ||
        ends_with_ellipsis(s) != cut_end)
        print_error("snippet (%zu columns, width %zu): \"%s\"\n", cols, width, s->text);
    assert_true(cols <= width);
    assert_true(cols >= width / 2); /* "about `width`" */
    assert_int_equal(starts_with_ellipsis(s), cut_start);
    assert_int_equal(ends_with_ellipsis(s), cut_end);
    assert_null(memchr(s->text, '\n', s->len));
}

static void test_snippet_long_ascii_middle(void **state)
{
    (void)state;
    static const size_t at[] = {150};
    static const char *const sp[] = {"TARGET"};
    mls_span spans[1];
    size_t len;
    char *text = words(300, at, sp, 1, spans, &len);
    mls_snippet s;
    make_full(text, len, spans, 1, 60, &s);
    release(text);
    check_cut(&s, 60, 1, 1);
    assert_int_equal(s.span_count, 1);
    expect_span_text(&s, "TARGET");
    clear_snippet(&s);
}

static void test_snippet_long_ascii_start(void **state)
{
    (void)state;
    static const size_t at[] = {0};
    static const char *const sp[] = {"TARGET"};
    mls_span spans[1];
    size_t len;
    char *text = words(300, at, sp, 1, spans, &len);
    mls_snippet s;
    make_full(text, len, spans, 1, 60, &s);
    release(text);
    check_cut(&s, 60, 0, 1);
    assert_int_equal(s.span_count, 1);
    assert_int_equal(s.spans[0].start, 0);
    assert_int_equal(s.spans[0].end, 6);
    expect_span_text(&s, "TARGET");
    clear_snippet(&s);
}

static void test_snippet_long_ascii_end(void **state)
{
    (void)state;
    static const size_t at[] = {299};
    static const char *const sp[] = {"TARGET"};
    mls_span spans[1];
    size_t len;
    char *text = words(300, at, sp, 1, spans, &len);
    mls_snippet s;
    make_full(text, len, spans, 1, 60, &s);
    release(text);
    check_cut(&s, 60, 1, 0);
    assert_int_equal(s.span_count, 1);
    assert_int_equal(s.spans[0].end, s.len);
    expect_span_text(&s, "TARGET");
    clear_snippet(&s);
}

static void test_snippet_first_match(void **state)
{
    (void)state;
    /* two matches too far apart for one snippet: the first is shown */
    static const size_t at[] = {100, 250};
    static const char *const sp[] = {"FIRST", "SECOND"};
    mls_span spans[2];
    size_t len;
    char *text = words(300, at, sp, 2, spans, &len);
    mls_snippet s;
    make_full(text, len, spans, 2, 60, &s);
    release(text);
    check_cut(&s, 60, 1, 1);
    expect_span_text(&s, "FIRST");
    for (size_t i = 0; i < s.span_count; i++) {
        size_t n = s.spans[i].end - s.spans[i].start;
        const char *p = s.text + s.spans[i].start;
        assert_true((n == 5 && memcmp(p, "FIRST", 5) == 0) ||
                    (n == 6 && memcmp(p, "SECOND", 6) == 0));
    }
    clear_snippet(&s);
}

/* 200 kanji, 推論 at characters 100 and 101 (bytes 300..306). */
static void kanji_case(size_t width)
{
    char text[600];
    for (size_t i = 0; i < 200; i++)
        memcpy(text + 3 * i, i == 100 ? "推" : i == 101 ? "論" : "漢", 3);
    static const mls_span spans[] = {{300, 306}};
    mls_snippet s;
    make_full(text, sizeof text, spans, 1, width, &s);
    check_cut(&s, width, 1, 1);
    /* nothing but whole kanji (3 bytes, 2 columns) between the "…" */
    size_t inner = s.len - 2 * ELLIPSIS_LEN;
    assert_int_equal(inner % 3, 0);
    assert_int_equal(inner_columns(&s), inner / 3 * 2);
    assert_int_equal(s.span_count, 1);
    expect_span_text(&s, "推論");
    clear_snippet(&s);
}

static void test_snippet_long_kanji(void **state)
{
    (void)state;
    kanji_case(40);
    kanji_case(41); /* an odd width: a kanji is never split */
    kanji_case(21);
}

static void test_snippet_long_mixed(void **state)
{
    (void)state;
    /* "aあ" repeated: cuts can fall on either a 1-byte or a 3-byte
     * character; for every width the snippet stays valid UTF-8
     * (check_snippet) and fits */
    char text[400];
    for (size_t i = 0; i < 100; i++)
        memcpy(text + 4 * i, "aあ", 4);
    static const mls_span spans[] = {{200, 204}};
    for (size_t width = 20; width <= 31; width++) {
        mls_snippet s;
        make_full(text, sizeof text, spans, 1, width, &s);
        check_cut(&s, width, 1, 1);
        expect_span_text(&s, "aあ");
        clear_snippet(&s);
    }
}

/* A cut that would split an English word moves to a space near it: the
 * snippet holds only whole words, and the match whole (snippet.h). */
static void test_snippet_cuts_between_words(void **state)
{
    (void)state;
    static const char text[] = "alpha00 alpha01 alpha02 alpha03 alpha04 alpha05 needle "
                               "alpha07 alpha08 alpha09 alpha10 alpha11 alpha12";
    mls_span spans[1] = {{48, 54}};
    mls_snippet s;
    make_full(text, sizeof text - 1, spans, 1, 30, &s);
    assert_string_equal(s.text, "…needle alpha07 alpha08…"); /* not "…a05 needle…" */
    assert_int_equal(s.span_count, 1);
    expect_span_text(&s, "needle");
    clear_snippet(&s);
    /* A match longer than the width stays whole where it starts. */
    mls_span whole[1] = {{0, 47}};
    make_full(text, sizeof text - 1, whole, 1, 20, &s);
    assert_true(strncmp(s.text, "alpha00 alpha01", 15) == 0);
    clear_snippet(&s);
}

/* Columns as a terminal shows them: a wide character two, a mark none. */
static void test_columns(void **state)
{
    (void)state;
    assert_int_equal(mls_columns("推論ab", strlen("推論ab")), 6);
    assert_int_equal(mls_columns("e\xCC\x81", 3), 1); /* e and a combining acute */
    assert_int_equal(mls_columns("", 0), 0);
    const char *s = "ab推論";
    assert_int_equal(mls_columns_from_end(s, strlen(s), 4), 2);  /* 推論 */
    assert_int_equal(mls_columns_from_end(s, strlen(s), 3), 5);  /* 論: 推 is two */
    assert_int_equal(mls_columns_from_end(s, strlen(s), 10), 0); /* all of it */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_match_word_every_form, teardown),
        cmocka_unit_test_teardown(test_match_cjk_phrase, teardown),
        cmocka_unit_test_teardown(test_match_prefix, teardown),
        cmocka_unit_test_teardown(test_match_kept_unigram, teardown),
        cmocka_unit_test_teardown(test_match_across_separators, teardown),
        cmocka_unit_test_teardown(test_match_width_forms, teardown),
        cmocka_unit_test_teardown(test_match_units_sorted, teardown),
        cmocka_unit_test_teardown(test_match_overlapping_merged, teardown),
        cmocka_unit_test_teardown(test_match_adjacent_merged, teardown),
        cmocka_unit_test_teardown(test_match_none, teardown),
        cmocka_unit_test_teardown(test_match_not_nul_terminated, teardown),
        cmocka_unit_test_teardown(test_snippet_short_whole, teardown),
        cmocka_unit_test_teardown(test_snippet_exact_fit, teardown),
        cmocka_unit_test_teardown(test_snippet_spans_remapped, teardown),
        cmocka_unit_test_teardown(test_snippet_spans_from_match, teardown),
        cmocka_unit_test_teardown(test_snippet_escapes_shift_spans, teardown),
        cmocka_unit_test_teardown(test_snippet_controls_escaped, teardown),
        cmocka_unit_test_teardown(test_snippet_long_ascii_middle, teardown),
        cmocka_unit_test_teardown(test_snippet_long_ascii_start, teardown),
        cmocka_unit_test_teardown(test_snippet_long_ascii_end, teardown),
        cmocka_unit_test_teardown(test_snippet_first_match, teardown),
        cmocka_unit_test_teardown(test_snippet_long_kanji, teardown),
        cmocka_unit_test_teardown(test_snippet_long_mixed, teardown),
        cmocka_unit_test_teardown(test_snippet_cuts_between_words, teardown),
        cmocka_unit_test_teardown(test_columns, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
