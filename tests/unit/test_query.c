/* test_query.c - unit tests of include/mlsearch/query.h.
 *
 * Every expectation below was worked out by hand from the contract in
 * query.h and tokenizer.h:
 *  - a unit is one whitespace-separated piece of the query (U+3000, tabs
 *    and newlines separate too), tokenized like note text;
 *  - a CJK run's closing unigram is left out when the run ends the unit;
 *  - a one-character CJK run that ends the unit is a prefix term;
 *  - a query without any searchable term is MLS_ERR_QUERY_EMPTY.
 *
 * A parsed query is compared as one string, each unit in brackets and
 * prefix terms marked with a trailing '*':  "[aml] [推論 論サ サー ーバ バー]",
 * so that a failure shows the whole query.  Every successful parse is also
 * built into a Xapian query (mls_query_build) and freed.
 *
 * Input is always copied into a buffer of exactly `len` bytes plus a NUL
 * (mls_query_parse takes a C string), so that ASan or valgrind report any
 * read past the end. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "test_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mlsearch/db.h"
#include "mlsearch/dates.h"
#include "mlsearch/query.h"
#include "mlsearch/internal/xquery.h"
#include "mlsearch/internal/tokenizer.h"
#include "mlsearch/status.h"

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

static void free_query(void *q)
{
    mls_query_free(q);
}

static char *exact_cstr(const char *text, size_t len)
{
    char *buf = malloc(len + 1);
    assert_non_null(buf);
    if (len)
        memcpy(buf, text, len);
    buf[len] = '\0';
    return buf;
}

/* What must hold for every parsed query. */
static void check_query(const mls_query *q)
{
    assert_non_null(q);
    assert_true(q->count > 0);
    assert_non_null(q->units);
    for (size_t u = 0; u < q->count; u++) {
        const mls_query_unit *unit = &q->units[u];
        assert_true(unit->count > 0);
        assert_non_null(unit->terms);
        for (size_t i = 0; i < unit->count; i++) {
            const mls_query_term *t = &unit->terms[i];
            assert_non_null(t->text);
            assert_true(t->len > 0);
            assert_int_equal(strlen(t->text), t->len);
            /* only the last term of a unit can be a prefix */
            if (t->is_prefix)
                assert_int_equal(i, unit->count - 1);
        }
    }
}

/* "[t t t*] [t]"; the caller frees it. */
static char *render(const mls_query *q)
{
    size_t cap = 1;
    for (size_t u = 0; u < q->count; u++) {
        cap += 3;
        for (size_t i = 0; i < q->units[u].count; i++)
            cap += q->units[u].terms[i].len + 2;
    }
    char *s = malloc(cap);
    assert_non_null(s);
    size_t n = 0;
    s[0] = '\0';
    for (size_t u = 0; u < q->count; u++) {
        n += (size_t)snprintf(s + n, cap - n, "%s[", u ? " " : "");
        for (size_t i = 0; i < q->units[u].count; i++) {
            const mls_query_term *t = &q->units[u].terms[i];
            n += (size_t)snprintf(s + n, cap - n, "%s%s%s", i ? " " : "", t->text,
                                  t->is_prefix ? "*" : "");
        }
        n += (size_t)snprintf(s + n, cap - n, "]");
    }
    return s;
}

static void expect_parse_full(const char *text, size_t len, const char *expected)
{
    char *buf = exact_cstr(text, len);
    mls_query *q = NULL;
    mls_status st = mls_query_parse(buf, &q);
    free(buf); /* the query must not point into the input */
    own(q, free_query);
    assert_int_equal(st, MLS_OK);
    check_query(q);
    char *got = own(render(q), free);
    release(q);
    if (strcmp(got, expected) != 0)
        print_error("parse of \"%.*s\"\n", (int)len, text);
    assert_string_equal(got, expected);
    release(got);
}

/* mls_query_build of the parse of `text`: MLS_OK and a query, or else a
 * message naming the query (returns 0). */
static int builds(const char *text)
{
    mls_query *q = NULL;
    mls_status st = mls_query_parse(text, &q);
    own(q, free_query);
    assert_int_equal(st, MLS_OK);
    mls_xq *xq = NULL;
    st = mls_query_build(q, &xq);
    release(q);
    int ok = st == MLS_OK && xq != NULL;
    if (!ok)
        print_error("mls_query_build(\"%s\"): status %d (%s), query %s\n", text, (int)st,
                    mls_status_str(st), xq ? "set" : "NULL");
    mls_xq_free(xq);
    return ok;
}

static void expect_empty_full(const char *text, size_t len)
{
    static mls_query sentinel;
    char *buf = exact_cstr(text, len);
    mls_query *q = &sentinel;
    mls_status st = mls_query_parse(buf, &q);
    free(buf);
    if (st == MLS_OK && q != &sentinel && q != NULL) {
        char *got = render(q);
        print_error("\"%.*s\" parsed as %s\n", (int)len, text, got);
        free(got);
        mls_query_free(q);
        q = NULL;
    }
    assert_int_equal(st, MLS_ERR_QUERY_EMPTY);
    assert_null(q);
}

#define EXPECT(lit, expected) expect_parse_full((lit), sizeof(lit) - 1, (expected))
#define EXPECT_EMPTY(lit) expect_empty_full((lit), sizeof(lit) - 1)

/* ------------------------------------------------------------------ */
/* Words and CJK runs                                                  */
/* ------------------------------------------------------------------ */

static void test_word(void **state)
{
    (void)state;
    EXPECT("AML", "[aml]");
    EXPECT("aml", "[aml]");
    EXPECT("Hello", "[hello]");
    EXPECT("gpt4o", "[gpt4o]");
    /* full-width Latin folds like note text */
    EXPECT("ＡＭＬ", "[aml]");
}

static void test_cjk_run_drops_closing_unigram(void **state)
{
    (void)state;
    /* tokens 推論 論サ サー ーバ バー ー: the run ends the unit, so ー goes */
    /* A katakana word ending a longer piece brings its other long-vowel
     * form as an alternative unit (query.h): 推論サーバ. */
    EXPECT("推論サーバー", "[推論 論サ サー ーバ バー] [推論 論サ サー ーバ]");
    EXPECT("日本", "[日本]");
    EXPECT("한국어", "[한국 국어]");
    /* half-width katakana: NFKC -> サーバー */
    EXPECT("ｻｰﾊﾞｰ", "[サー ーバ バー]");
}

static void test_single_cjk_is_prefix(void **state)
{
    (void)state;
    EXPECT("推", "[推*]");
    EXPECT("猫", "[猫*]");
    EXPECT("あ", "[あ*]");
}

static void test_mixed_scripts(void **state)
{
    (void)state;
    /* the run ends the unit: 用 goes */
    EXPECT("ML活用", "[ml 活用]");
    /* the run is followed by a word: its unigram is kept */
    EXPECT("活用ML", "[活用 用 ml]");
    /* a one-character run followed by a word: a plain unigram */
    EXPECT("猫ML", "[猫 ml]");
    /* a one-character run ending the unit: a prefix */
    EXPECT("ML猫", "[ml 猫*]");
    EXPECT("AIモデル", "[ai モデ デル] [ai モデ デル ルー]");
    EXPECT("第1回", "[第 1 回*]");
    EXPECT("東京2024", "[東京 京 2024]");
    EXPECT("GPU🚀サーバー", "[gpu サー ーバ バー] [gpu サー ーバ]");
}

static void test_punctuation_inside_unit(void **state)
{
    (void)state;
    /* punctuation separates terms but not units; runs before the
     * punctuation are followed by more terms of the unit, so they keep
     * their closing unigram */
    EXPECT("東京、大阪", "[東京 京 大阪]");
    EXPECT("猫、犬", "[猫 犬*]");
    EXPECT("foo-bar", "[foo bar]");
    EXPECT("e-mail", "[e mail]");
    EXPECT("snake_case", "[snake case]");
    /* invalid UTF-8 is a separator (U+FFFD), not white space */
    EXPECT("ab\377cd", "[ab cd]");
}

/* A CJK run followed only by punctuation at the end of the unit.  Read
 * literally, "the run ends the unit" is false here (the unit goes on with
 * the punctuation, so in a note containing the unit the run stops there
 * and its closing unigram exists); the header does not say otherwise. */
static void test_run_before_trailing_punctuation(void **state)
{
    (void)state;
    /* Then the same with the katakana word's other long-vowel form, an
     * alternative unit (query.h): here ロンダリングー, found nowhere. */
    EXPECT("AML（マネーロンダリング対策）",
           "[aml マネ ネー ーロ ロン ンダ ダリ リン ング グ対 対策 策] "
           "[aml マネ ネー ーロ ロン ンダ ダリ リン ング グー ー対 対策 策]");
    EXPECT("東京。", "[東京 京]");
}

/* The same for a one-character run: it does not end the unit, so it is a
 * plain unigram, not a prefix (`推!` is not in `推論`). */
static void test_single_cjk_before_trailing_punctuation(void **state)
{
    (void)state;
    EXPECT("推!", "[推]");
    EXPECT("「猫」", "[猫]");
}

/* A run followed only by emphasis or code marks is still open: in a note
 * (`**推論**サーバー`, `__推論__` at the end of a hard-wrapped line) the
 * tokenizer reads the run across them, so the note has no closing
 * unigram; the unit must not ask for one, or it misses the very text it
 * was copied from. */
static void test_run_before_markup_is_open(void **state)
{
    (void)state;
    EXPECT("**推論**", "[推論]");
    EXPECT("`正規化`", "[正規 規化]");
    EXPECT("__推__", "[推*]");
    /* quoted: one line break, indent and quote marks may follow too */
    EXPECT("\"推論_\n> \"", "[推論]");
    /* followed by a word, the run is closed as before */
    EXPECT("推論**x", "[推論 論 x]");
}

/* An item whose normalized text normalizes again to something shorter
 * (before the fix, ㅃㅣ: U+1108 U+1175, then 삐) must not make the
 * katakana variants read before the text (ASan: heap-buffer-overflow). */
static void test_katakana_after_compatibility_jamo(void **state)
{
    (void)state;
    EXPECT("ㅃㅣサーバー", "[삐サ サー ーバ バー] [삐サ サー ーバ]");
}

/* ------------------------------------------------------------------ */
/* Units                                                               */
/* ------------------------------------------------------------------ */

static void test_units(void **state)
{
    (void)state;
    EXPECT("ＡＭＬ  ｻｰﾊﾞｰ", "[aml] [サー ーバ バー]");
    EXPECT("Preferred Networks 推論サーバー",
           "[preferred] [networks] [推論 論サ サー ーバ バー] [推論 論サ サー ーバ]");
    EXPECT("ML 活用", "[ml] [活用]");
    EXPECT("推論 サーバー", "[推論] [サー ーバ バー]");
    /* leading and trailing white space */
    EXPECT("  aml  ", "[aml]");
    /* tabs and newlines separate units too */
    EXPECT("foo\tbar\nbaz", "[foo] [bar] [baz]");
}

static void test_ideographic_space_separates_units(void **state)
{
    (void)state;
    /* U+3000 = E3 80 80 */
    EXPECT("日本\xe3\x80\x80語", "[日本] [語*]");
    EXPECT("推論\xe3\x80\x80サーバー", "[推論] [サー ーバ バー]");
    EXPECT("Ｈｅｌｌｏ\xe3\x80\x80Ｗｏｒｌｄ", "[hello] [world]");
}

static void test_units_without_terms_dropped(void **state)
{
    (void)state;
    EXPECT("foo !!! bar", "[foo] [bar]");
    EXPECT("!!! foo", "[foo]");
    EXPECT("foo 🚀", "[foo]");
    EXPECT("( 推論 )", "[推論]");
}

/* ------------------------------------------------------------------ */
/* Empty queries                                                       */
/* ------------------------------------------------------------------ */

static void test_empty(void **state)
{
    (void)state;
    EXPECT_EMPTY("");
    EXPECT_EMPTY("   ");
    EXPECT_EMPTY(" \t\n ");
    EXPECT_EMPTY("\xe3\x80\x80");
    EXPECT_EMPTY("!!! ??? (");
    EXPECT_EMPTY("🚀");
    EXPECT_EMPTY("、。・");
    /* a lone zero-width joiner, an invalid byte */
    EXPECT_EMPTY("\xe2\x80\x8d");
    EXPECT_EMPTY("\xff");
}

static void test_too_long_word_is_shortened(void **state)
{
    (void)state;
    /* a word over MLS_TERM_MAX_BYTES becomes the same shortened term as at
     * index time: one unit, one term, of MLS_TERM_MAX_BYTES bytes */
    char buf[201];
    memset(buf, 'a', 200);
    buf[200] = '\0';
    mls_query *q = NULL;
    assert_int_equal(mls_query_parse(buf, &q), MLS_OK);
    assert_int_equal(q->count, 1);
    assert_int_equal(q->units[0].count, 1);
    assert_int_equal(q->units[0].terms[0].len, MLS_TERM_MAX_BYTES);
    assert_false(q->units[0].terms[0].is_prefix);
    mls_query_free(q);
}

/* ------------------------------------------------------------------ */
/* Structure                                                           */
/* ------------------------------------------------------------------ */

static void test_structure(void **state)
{
    (void)state;
    mls_query *q = NULL;
    mls_status st = mls_query_parse("ML猫 推論サーバー", &q);
    own(q, free_query);
    assert_int_equal(st, MLS_OK);
    check_query(q);
    assert_int_equal(q->count, 3); /* and 推論サーバ, the other form (query.h) */

    assert_int_equal(q->units[0].count, 2);
    assert_string_equal(q->units[0].terms[0].text, "ml");
    assert_int_equal(q->units[0].terms[0].len, 2);
    assert_int_equal(q->units[0].terms[0].is_prefix, 0);
    assert_string_equal(q->units[0].terms[1].text, "猫");
    assert_int_equal(q->units[0].terms[1].len, 3);
    assert_true(q->units[0].terms[1].is_prefix);

    assert_int_equal(q->units[1].count, 5);
    assert_string_equal(q->units[1].terms[0].text, "推論");
    assert_int_equal(q->units[1].terms[0].len, 6);
    assert_string_equal(q->units[1].terms[4].text, "バー");
    for (size_t i = 0; i < 5; i++)
        assert_int_equal(q->units[1].terms[i].is_prefix, 0);
    release(q);
}

/* A path filter is absolute patterns, one per line (query.h): a newline
 * in a quoted path is matched by '?', so that it does not split a pattern
 * into a pattern for another file and a bare glob matching everything. */
static void test_path_with_newline(void **state)
{
    (void)state;
    static const struct {
        const char *query, *filter;
    } cases[] = {
        {"path:\"/nonexistent-mls/a\nb\"", "/nonexistent-mls/a?b/*\n/nonexistent-mls/a?b"},
        {"path:\"/tmp/x\n*\"", "/tmp/x?*"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mls_query *q = NULL;
        assert_int_equal(mls_query_parse(cases[i].query, &q), MLS_OK);
        own(q, free_query);
        assert_int_equal(q->count, 1);
        assert_int_equal(q->units[0].field, MLS_FIELD_PATH);
        assert_string_equal(q->units[0].filter, cases[i].filter);
        release(q);
    }
}

/* ------------------------------------------------------------------ */
/* Repeats, and the bounds                                             */
/* ------------------------------------------------------------------ */

/* "0[a] 0[b] 1-[c]": each unit with its clause, '-' when negated. */
static char *render_clauses(const mls_query *q)
{
    char *terms = render(q), *s = malloc(strlen(terms) + 24 * q->count + 1), *t = terms;
    assert_non_null(s);
    size_t n = 0;
    for (size_t u = 0; u < q->count; u++) {
        char *end = strchr(t, ']');
        n += (size_t)sprintf(s + n, "%s%zu%s%.*s", u ? " " : "", q->units[u].clause,
                             q->units[u].negated ? "-" : "", (int)(end + 1 - t), t);
        t = end + 1 + (end[1] == ' ');
    }
    s[n] = '\0';
    free(terms);
    return s;
}

static void expect_clauses(const char *text, const char *expected)
{
    mls_query *q = NULL;
    assert_int_equal(mls_query_parse(text, &q), MLS_OK);
    own(q, free_query);
    check_query(q);
    char *got = own(render_clauses(q), free);
    if (strcmp(got, expected) != 0)
        print_error("parse of \"%s\"\n", text);
    assert_string_equal(got, expected);
    release(got);
    release(q);
}

/* What is repeated is searched once, and only what means the same: a unit
 * again in its clause, a clause again whole (its units in any order). */
static void test_repeats_searched_once(void **state)
{
    (void)state;
    expect_clauses("aml aml aml", "0[aml]");
    expect_clauses("aml OR aml", "0[aml]");
    expect_clauses("\"推論 サーバー\" \"推論 サーバー\"", "0[推論 論 サー ーバ バー]");
    expect_clauses("aml OR gpu gpu OR aml", "0[aml] 0[gpu]");
    expect_clauses("x OR aml aml", "0[x] 0[aml] 1[aml]");
    expect_clauses("aml -aml gpu -aml aml", "0[aml] 1-[aml] 2[gpu]");
    expect_clauses("aml aml* \"aml\"", "0[aml] 1[aml*] 2[aml]");
    assert_true(builds("aml aml OR gpu gpu OR aml aml"));
}

/* A query of `n` pieces, each `piece` with its number, joined by `sep`;
 * held (own()), the caller releases it. */
static char *many(size_t n, const char *piece, const char *sep)
{
    size_t cap = n * (strlen(piece) + strlen(sep) + 12) + 1, at = 0;
    char *s = own(malloc(cap), free);
    assert_non_null(s);
    s[0] = '\0';
    for (size_t i = 0; i < n; i++)
        at += (size_t)snprintf(s + at, cap - at, "%s%s%zu", i ? sep : "", piece, i);
    return s;
}

static void expect_parse_status(const char *text, mls_status want)
{
    mls_query *q = NULL;
    mls_status st = mls_query_parse(text, &q);
    own(q, free_query);
    assert_int_equal(st, want);
    if (want == MLS_ERR_QUERY_TOO_LARGE)
        assert_null(q);
    release(q);
}

static void test_too_large(void **state)
{
    (void)state;
    char *text = many(MLS_QUERY_MAX_PIECES, "w", " ");
    assert_int_equal(mls_query_pieces(text), MLS_QUERY_MAX_PIECES);
    expect_parse_status(text, MLS_OK);
    release(text);
    text = many(MLS_QUERY_MAX_PIECES + 1, "w", " ");
    expect_parse_status(text, MLS_ERR_QUERY_TOO_LARGE);
    release(text);
    /* OR is no piece; a piece typed again counts once */
    text = many(2000, "n", "* OR "); /* n0* OR n1* OR ... */
    assert_int_equal(mls_query_pieces(text), 2000);
    expect_parse_status(text, MLS_ERR_QUERY_TOO_LARGE);
    release(text);
    assert_int_equal(mls_query_pieces("a OR b NOT c a -c -c \"a\" a*"), 6);
    /* 2,000 times the same phrase: one piece, one unit */
    size_t n = 2000, len = strlen("\"x y\" ");
    text = own(malloc(n * len + 1), free);
    for (size_t i = 0; i < n; i++)
        memcpy(text + i * len, "\"x y\" ", len);
    text[n * len] = '\0';
    assert_int_equal(mls_query_pieces(text), 1);
    expect_clauses(text, "0[x y]");
    release(text);
    /* the text: at most MLS_QUERY_MAX_BYTES, whatever it holds */
    text = own(malloc(MLS_QUERY_MAX_BYTES + 2), free);
    memset(text, 'a', MLS_QUERY_MAX_BYTES);
    text[MLS_QUERY_MAX_BYTES] = '\0';
    expect_parse_status(text, MLS_OK);
    text[MLS_QUERY_MAX_BYTES] = 'a';
    text[MLS_QUERY_MAX_BYTES + 1] = '\0';
    expect_parse_status(text, MLS_ERR_QUERY_TOO_LARGE);
    release(text);
}

/* Every successful parse above builds.  All queries are tried and every
 * failure printed before the test fails. */
static void test_build(void **state)
{
    (void)state;
    static const char *const queries[] = {
        "AML",
        "aml",
        "Hello",
        "gpt4o",
        "ＡＭＬ",
        "推論サーバー",
        "日本",
        "한국어",
        "ｻｰﾊﾞｰ",
        "推",
        "猫",
        "あ",
        "ML活用",
        "活用ML",
        "猫ML",
        "AIモデル",
        "東京2024",
        "GPU🚀サーバー",
        "東京、大阪",
        "foo-bar",
        "e-mail",
        "snake_case",
        "ab\377cd",
        "AML（マネーロンダリング対策）",
        "東京。",
        "推!",
        "「猫」",
        "ＡＭＬ  ｻｰﾊﾞｰ",
        "Preferred Networks 推論サーバー",
        "ML 活用",
        "推論 サーバー",
        "  aml  ",
        "foo\tbar\nbaz",
        "日本\xe3\x80\x80語",
        "推論\xe3\x80\x80サーバー",
        "Ｈｅｌｌｏ\xe3\x80\x80Ｗｏｒｌｄ",
        "foo !!! bar",
        "!!! foo",
        "foo 🚀",
        "( 推論 )",
    };
    int ok = 1;
    for (size_t i = 0; i < sizeof queries / sizeof queries[0]; i++)
        ok &= builds(queries[i]);
    assert_true(ok);
}

/* Units of several terms ending with a prefix term (parsed above): the
 * phrase's last member is "every term starting with 猫". */
static void test_build_phrase_ending_in_prefix(void **state)
{
    (void)state;
    int ok = 1;
    ok &= builds("ML猫");
    ok &= builds("第1回");
    ok &= builds("猫、犬");
    ok &= builds("GPU猫");
    ok &= builds("ML猫 推論サーバー");
    assert_true(ok);
}

/* AND between two pieces is what a space is; with nothing on a side, or
 * next to another operator, it is the word (query.h). */
static void test_and(void **state)
{
    (void)state;
    EXPECT("推論 AND サーバー", "[推論] [サー ーバ バー]");
    EXPECT("alpha AND beta", "[alpha] [beta]");
    EXPECT("AND", "[and]");
    EXPECT("alpha AND", "[alpha] [and]");
    EXPECT("AND alpha", "[and] [alpha]");
    EXPECT("alpha OR AND beta", "[alpha] [and] [beta]"); /* alpha OR "and", then beta */
    assert_int_equal(mls_query_pieces("alpha AND beta AND gamma"), 3);

    /* AND binds looser than OR: a AND (b OR c). */
    mls_query *q = NULL;
    assert_int_equal(mls_query_parse("alpha AND beta OR gamma", &q), MLS_OK);
    own(q, free_query);
    assert_int_equal(q->count, 3);
    assert_int_equal(q->units[0].clause, 0);
    assert_int_equal(q->units[1].clause, 1);
    assert_int_equal(q->units[2].clause, 1);
    release(q);
}

/* `name:value` with a name no field has is an error, found where it is;
 * quoted, and what only looks like it, is text (query.h). */
static void test_unknown_field(void **state)
{
    (void)state;
    static const char *const refused[] = {"title:推論", "tags:mlops", "alpha Title:x", "-when:2024",
                                          "推論 OR kind:memo"};
    static const char *const text[] = {"\"title:推論\"", "http://example.com",
                                       "std::vector",    "10:15",
                                       "note:",          "note: x",
                                       "見出し:推論",    "heading:推論 path:notes tag:ml"};
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        mls_query *q = NULL;
        if (mls_query_parse(refused[i], &q) != MLS_ERR_QUERY_UNKNOWN_FIELD)
            fail_msg("%s was not refused", refused[i]);
        assert_null(q);
    }
    for (size_t i = 0; i < sizeof text / sizeof text[0]; i++) {
        mls_query *q = NULL;
        mls_status st = mls_query_parse(text[i], &q);
        mls_query_free(q);
        if (st != MLS_OK)
            fail_msg("%s: %s", text[i], mls_status_str(st));
    }
    size_t len = 0;
    const char *query = "alpha tags:mlops title:x";
    assert_ptr_equal(mls_query_unknown_field(query, &len), query + 6);
    assert_int_equal(len, 5);
    assert_null(mls_query_unknown_field("\"tags:mlops\" alpha", &len));
    assert_int_equal(len, 0);
    char fields[64];
    assert_string_equal(mls_query_fields(fields, sizeof fields), "date:, heading:, path:, tag:");
}

/* date: filters by a date or a range of them (dates.h); one that names
 * none is an error, found where it is. */
static void test_date_field(void **state)
{
    (void)state;
    mls_query *q = NULL;
    char from[MLS_DATE_SIZE], to[MLS_DATE_SIZE];
    assert_int_equal(mls_query_parse("推論 date:2024-01..2024-06 OR date:2023-12-05", &q), MLS_OK);
    own(q, free_query);
    assert_int_equal(q->count, 3);
    assert_int_equal(q->units[1].field, MLS_FIELD_DATE);
    assert_true(mls_query_unit_is_filter(&q->units[1]));
    assert_int_equal(q->units[1].clause, q->units[2].clause);
    mls_query_date_range(&q->units[1], from, to);
    assert_string_equal(from, "2024-01");
    assert_string_equal(to, "2024-06");
    mls_query_date_range(&q->units[2], from, to);
    assert_string_equal(from, "2023-12-05");
    assert_string_equal(to, "2023-12-05");
    release(q);
    assert_int_equal(mls_query_parse("date:..2023", &q), MLS_OK); /* a filter alone */
    own(q, free_query);
    mls_query_date_range(&q->units[0], from, to);
    assert_string_equal(from, "");
    assert_string_equal(to, "2023");
    release(q);
    q = NULL;
    assert_int_equal(mls_query_parse("推論 date:2024-13", &q), MLS_ERR_QUERY_BAD_DATE);
    assert_null(q);
    assert_int_equal(mls_query_parse("\"date:2024-13\"", &q), MLS_OK); /* quoted: text */
    own(q, free_query);
    release(q);
    size_t len = 0;
    const char *query = "date:2024 推論 date:2024-06..2024-01";
    assert_ptr_equal(mls_query_bad_date(query, &len), query + 22);
    assert_int_equal(len, 16);
    assert_null(mls_query_bad_date("date:2024 推論", &len));
}

static int record_span(size_t start, size_t len, void *ctx)
{
    char *spans = ctx;
    size_t n = strlen(spans);
    snprintf(spans + n, 128 - n, "%s%zu+%zu", n ? " " : "", start, len);
    return 0;
}

/* The pieces a search without hits tries as prefixes (query.h). */
static void test_prefix_candidates(void **state)
{
    (void)state;
    char spans[128] = "";
    /* deploym at 0; abc at 47 (推論 is 6 bytes); the rest are not words to extend. */
    mls_query_prefix_candidates("deploym 推論 \"quoted\" -neg pre* path:x OR ab abc AND",
                                record_span, spans);
    assert_string_equal(spans, "0+7 47+3");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_word, teardown),
        cmocka_unit_test_teardown(test_cjk_run_drops_closing_unigram, teardown),
        cmocka_unit_test_teardown(test_single_cjk_is_prefix, teardown),
        cmocka_unit_test_teardown(test_mixed_scripts, teardown),
        cmocka_unit_test_teardown(test_punctuation_inside_unit, teardown),
        cmocka_unit_test_teardown(test_run_before_trailing_punctuation, teardown),
        cmocka_unit_test_teardown(test_single_cjk_before_trailing_punctuation, teardown),
        cmocka_unit_test_teardown(test_run_before_markup_is_open, teardown),
        cmocka_unit_test_teardown(test_katakana_after_compatibility_jamo, teardown),
        cmocka_unit_test_teardown(test_units, teardown),
        cmocka_unit_test_teardown(test_ideographic_space_separates_units, teardown),
        cmocka_unit_test_teardown(test_units_without_terms_dropped, teardown),
        cmocka_unit_test_teardown(test_empty, teardown),
        cmocka_unit_test_teardown(test_too_long_word_is_shortened, teardown),
        cmocka_unit_test_teardown(test_structure, teardown),
        cmocka_unit_test_teardown(test_path_with_newline, teardown),
        cmocka_unit_test_teardown(test_repeats_searched_once, teardown),
        cmocka_unit_test_teardown(test_too_large, teardown),
        cmocka_unit_test_teardown(test_build, teardown),
        cmocka_unit_test_teardown(test_build_phrase_ending_in_prefix, teardown),
        cmocka_unit_test_teardown(test_and, teardown),
        cmocka_unit_test_teardown(test_unknown_field, teardown),
        cmocka_unit_test_teardown(test_prefix_candidates, teardown),
        cmocka_unit_test_teardown(test_date_field, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
