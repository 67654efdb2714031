/* test_tokenizer.c - unit tests of include/mlsearch/internal/tokenizer.h.
 *
 * Every expectation below was worked out by hand from the contract in
 * tokenizer.h (NFKC + case folding, words, CJK bigrams + final unigram,
 * separators without positions, U+FFFD per bad byte, long words shortened).
 *
 * Token lists are compared as one string "term@pos term@pos ..." so that a
 * failure shows the whole list.  Every tokenization also goes through
 * check_invariants(), which checks what must hold for any input: positions
 * consecutive from first_pos, spans inside the source and in text order,
 * bigram chains that overlap by one character, and so on.
 *
 * Input is always copied into a buffer of exactly `len` bytes (no NUL), so
 * that ASan or valgrind report any read past the end. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "test_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mlsearch/internal/hash.h"
#include "mlsearch/internal/tokenizer.h"

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

static size_t count_code_points(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            n++;
    return n;
}

/* Byte length of the first UTF-8 character of a (valid) term. */
static size_t first_char_len(const char *s)
{
    unsigned char c = (unsigned char)s[0];
    if (c < 0x80)
        return 1;
    if (c < 0xE0)
        return 2;
    if (c < 0xF0)
        return 3;
    return 4;
}

/* What must hold for every token list.  `chain` enables the check that a
 * bigram and the next term of its run overlap by exactly one source
 * character; it is turned off only for inputs where one source character
 * becomes several normalized ones (then spans of the parts coincide). */
static void check_invariants(const mls_tokens *t, size_t len, unsigned first_pos, int chain)
{
    assert_non_null(t);
    if (t->count > 0)
        assert_non_null(t->items);
    for (size_t i = 0; i < t->count; i++) {
        const mls_token *k = &t->items[i];
        assert_non_null(k->term);
        assert_true(k->term_len > 0);
        assert_int_equal(strlen(k->term), k->term_len);
        assert_true(k->term_len <= MLS_TERM_MAX_BYTES);
        assert_int_equal(k->pos, first_pos + (unsigned)i);
        assert_true(k->start < k->end);
        assert_true(k->end <= len);
        assert_true(k->first_end > k->start);
        assert_true(k->first_end <= k->end);
        if (i > 0)
            assert_true(t->items[i - 1].start <= k->start);
        switch (k->kind) {
        case MLS_TOKEN_WORD: assert_int_equal(k->run_start, 1); break;
        case MLS_TOKEN_BIGRAM: {
            assert_int_equal(count_code_points(k->term, k->term_len), 2);
            /* a bigram is never the last term of its run */
            assert_true(i + 1 < t->count);
            const mls_token *n = &t->items[i + 1];
            assert_int_not_equal(n->kind, MLS_TOKEN_WORD);
            assert_int_equal(n->run_start, 0);
            /* the next term starts with this bigram's second character */
            size_t fl = first_char_len(k->term);
            size_t sl = k->term_len - fl;
            assert_true(n->term_len >= sl);
            assert_memory_equal(n->term, k->term + fl, sl);
            if (chain) {
                /* (the next term may start later than first_end when a
                 * dropped ignorable lies between the two characters) */
                assert_true(n->start >= k->first_end);
                assert_int_equal(n->first_end, k->end);
            }
            break;
        }
        case MLS_TOKEN_UNIGRAM:
            assert_int_equal(count_code_points(k->term, k->term_len), 1);
            if (chain)
                assert_int_equal(k->first_end, k->end);
            break;
        default: fail_msg("token %zu has an unknown kind %d", i, (int)k->kind);
        }
        if (k->kind != MLS_TOKEN_WORD) {
            if (k->run_start) {
                /* a run starts after a word or after the end of a run */
                if (i > 0)
                    assert_int_not_equal(t->items[i - 1].kind, MLS_TOKEN_BIGRAM);
            } else {
                /* inside a run, the previous term is a bigram */
                assert_true(i > 0);
                assert_int_equal(t->items[i - 1].kind, MLS_TOKEN_BIGRAM);
            }
        }
    }
}

static mls_tokens *tokenize_pos(const char *text, size_t len, unsigned first_pos, int chain)
{
    char *buf = exact_copy(text, len);
    mls_tokens *toks = NULL;
    mls_status st = mls_tokenize(buf, len, first_pos, &toks);
    free(buf); /* tokens must not point into the source */
    assert_int_equal(st, MLS_OK);
    assert_non_null(toks);
    check_invariants(toks, len, first_pos, chain);
    return toks;
}

static mls_tokens *tokenize(const char *text, size_t len)
{
    return tokenize_pos(text, len, 0, 1);
}

/* "term@pos term@pos ..."; the caller frees it. */
static char *render(const mls_tokens *t)
{
    size_t cap = 1;
    for (size_t i = 0; i < t->count; i++)
        cap += t->items[i].term_len + 24;
    char *s = malloc(cap);
    assert_non_null(s);
    size_t n = 0;
    s[0] = '\0';
    for (size_t i = 0; i < t->count; i++)
        n += (size_t)snprintf(s + n, cap - n, "%s%s@%u", i ? " " : "", t->items[i].term,
                              t->items[i].pos);
    return s;
}

static void expect_tokens_full(const char *text, size_t len, unsigned first_pos, int chain,
                               const char *expected)
{
    mls_tokens *t = tokenize_pos(text, len, first_pos, chain);
    char *got = render(t);
    mls_tokens_free(t);
    assert_string_equal(got, expected);
    free(got);
}

/* For string literals: the length is that of the literal (embedded NULs
 * and bytes after them included). */
#define EXPECT(lit, expected) expect_tokens_full((lit), sizeof(lit) - 1, 0, 1, (expected))
#define EXPECT_AT(lit, first_pos, expected) \
    expect_tokens_full((lit), sizeof(lit) - 1, (first_pos), 1, (expected))
#define EXPECT_NOCHAIN(lit, expected) expect_tokens_full((lit), sizeof(lit) - 1, 0, 0, (expected))
#define TOKENIZE(lit) tokenize((lit), sizeof(lit) - 1)

static void check_token(const mls_token *k, const char *term, unsigned pos, mls_token_kind kind,
                        int run_start, size_t start, size_t end, size_t first_end)
{
    assert_string_equal(k->term, term);
    assert_int_equal(k->term_len, strlen(term));
    assert_int_equal(k->pos, pos);
    assert_int_equal(k->kind, kind);
    assert_int_equal(k->run_start, run_start);
    assert_int_equal(k->start, start);
    assert_int_equal(k->end, end);
    assert_int_equal(k->first_end, first_end);
}

static void expect_normalize(const char *text, size_t len, const char *expected,
                             size_t expected_len)
{
    char *buf = exact_copy(text, len);
    char *out = NULL;
    size_t out_len = (size_t)-1;
    mls_status st = mls_normalize(buf, len, &out, &out_len);
    free(buf);
    assert_int_equal(st, MLS_OK);
    assert_non_null(out);
    assert_int_equal(out_len, expected_len);
    assert_int_equal(out[out_len], '\0');
    assert_memory_equal(out, expected, expected_len);
    free(out);
}

#define EXPECT_NORM(lit, expected) \
    expect_normalize((lit), sizeof(lit) - 1, (expected), sizeof(expected) - 1)

/* ------------------------------------------------------------------ */
/* Mixed scripts                                                       */
/* ------------------------------------------------------------------ */

/* AML（マネーロンダリング対策） with full-width parentheses.
 * Bytes: A M L = 0..2, （ = 3..5, マ 6, ネ 9, ー 12, ロ 15, ン 18, ダ 21,
 * リ 24, ン 27, グ 30, 対 33, 策 36, ） 39..41; 42 bytes in all. */
static void test_aml_fullwidth_parens(void **state)
{
    (void)state;
    static const char s[] = "AML（マネーロンダリング対策）";
    assert_int_equal(sizeof(s) - 1, 42);
    EXPECT("AML（マネーロンダリング対策）",
           "aml@0 マネ@1 ネー@2 ーロ@3 ロン@4 ンダ@5 ダリ@6 リン@7 ング@8 "
           "グ対@9 対策@10 策@11");

    mls_tokens *t = TOKENIZE(s);
    assert_int_equal(t->count, 12);
    check_token(&t->items[0], "aml", 0, MLS_TOKEN_WORD, 1, 0, 3, 1);
    check_token(&t->items[1], "マネ", 1, MLS_TOKEN_BIGRAM, 1, 6, 12, 9);
    check_token(&t->items[2], "ネー", 2, MLS_TOKEN_BIGRAM, 0, 9, 15, 12);
    check_token(&t->items[9], "グ対", 9, MLS_TOKEN_BIGRAM, 0, 30, 36, 33);
    check_token(&t->items[10], "対策", 10, MLS_TOKEN_BIGRAM, 0, 33, 39, 36);
    check_token(&t->items[11], "策", 11, MLS_TOKEN_UNIGRAM, 0, 36, 39, 39);
    for (size_t i = 1; i <= 10; i++) {
        assert_int_equal(t->items[i].kind, MLS_TOKEN_BIGRAM);
        assert_int_equal(t->items[i].run_start, i == 1);
    }
    mls_tokens_free(t);
}

static void test_katakana_run(void **state)
{
    (void)state;
    EXPECT("推論サーバー", "推論@0 論サ@1 サー@2 ーバ@3 バー@4 ー@5");

    mls_tokens *t = TOKENIZE("推論サーバー");
    assert_int_equal(t->count, 6);
    check_token(&t->items[0], "推論", 0, MLS_TOKEN_BIGRAM, 1, 0, 6, 3);
    check_token(&t->items[4], "バー", 4, MLS_TOKEN_BIGRAM, 0, 12, 18, 15);
    check_token(&t->items[5], "ー", 5, MLS_TOKEN_UNIGRAM, 0, 15, 18, 18);
    mls_tokens_free(t);
}

static void test_kana_kanji_sentence(void **state)
{
    (void)state;
    /* Hiragana, katakana and kanji form one run; '?' ends it. */
    EXPECT("推論サーバーをどう作るか?", "推論@0 論サ@1 サー@2 ーバ@3 バー@4 ーを@5 をど@6 どう@7 "
                                        "う作@8 作る@9 るか@10 か@11");
}

static void test_positions_across_scripts(void **state)
{
    (void)state;
    EXPECT("ML活用", "ml@0 活用@1 用@2");

    mls_tokens *t = TOKENIZE("ML活用");
    assert_int_equal(t->count, 3);
    check_token(&t->items[0], "ml", 0, MLS_TOKEN_WORD, 1, 0, 2, 1);
    check_token(&t->items[1], "活用", 1, MLS_TOKEN_BIGRAM, 1, 2, 8, 5);
    check_token(&t->items[2], "用", 2, MLS_TOKEN_UNIGRAM, 0, 5, 8, 8);
    mls_tokens_free(t);

    EXPECT("活用ML", "活用@0 用@1 ml@2");
    EXPECT("AIモデル", "ai@0 モデ@1 デル@2 ル@3");
    EXPECT("a猫b", "a@0 猫@1 b@2");
    /* digits are word characters of no CJK script */
    EXPECT("第1回", "第@0 1@1 回@2");
    EXPECT("東京2024", "東京@0 京@1 2024@2");
}

static void test_cjk_punctuation_splits_runs(void **state)
{
    (void)state;
    EXPECT("東京、大阪", "東京@0 京@1 大阪@2 阪@3");
    EXPECT("猫。犬", "猫@0 犬@1");
    /* ・ (U+30FB) is not part of a CJK run */
    EXPECT("マネー・ロンダリング", "マネ@0 ネー@1 ー@2 ロン@3 ンダ@4 ダリ@5 リン@6 ング@7 グ@8");
    /* the ideographic space U+3000 separates too */
    EXPECT("日本　語", "日本@0 本@1 語@2");

    mls_tokens *t = TOKENIZE("東京、大阪");
    assert_int_equal(t->count, 4);
    check_token(&t->items[1], "京", 1, MLS_TOKEN_UNIGRAM, 0, 3, 6, 6);
    /* 、 is bytes 6..8 */
    check_token(&t->items[2], "大阪", 2, MLS_TOKEN_BIGRAM, 1, 9, 15, 12);
    mls_tokens_free(t);
}

/* ------------------------------------------------------------------ */
/* Width and compatibility forms                                       */
/* ------------------------------------------------------------------ */

static void test_fullwidth_latin(void **state)
{
    (void)state;
    EXPECT("ＡＭＬ", "aml@0");

    mls_tokens *t = TOKENIZE("ＡＭＬ");
    assert_int_equal(t->count, 1);
    check_token(&t->items[0], "aml", 0, MLS_TOKEN_WORD, 1, 0, 9, 3);
    mls_tokens_free(t);

    EXPECT("１２３", "123@0");
    EXPECT("ＧＰＵサーバー", "gpu@0 サー@1 ーバ@2 バー@3 ー@4");
}

/* ｻｰﾊﾞｰ = U+FF7B U+FF70 U+FF8A U+FF9E U+FF70, 3 bytes each: ｻ 0, ｰ 3,
 * ﾊ 6, ﾞ 9, ｰ 12; NFKC gives サーバー with ﾊﾞ composed into バ. */
static void test_halfwidth_katakana(void **state)
{
    (void)state;
    static const char s[] = "\xef\xbd\xbb\xef\xbd\xb0\xef\xbe\x8a"
                            "\xef\xbe\x9e\xef\xbd\xb0";
    assert_int_equal(sizeof(s) - 1, 15);
    assert_memory_equal(s, "ｻｰﾊﾞｰ", 15);
    EXPECT("ｻｰﾊﾞｰ", "サー@0 ーバ@1 バー@2 ー@3");

    mls_tokens *t = TOKENIZE(s);
    assert_int_equal(t->count, 4);
    check_token(&t->items[0], "サー", 0, MLS_TOKEN_BIGRAM, 1, 0, 6, 3);
    check_token(&t->items[1], "ーバ", 1, MLS_TOKEN_BIGRAM, 0, 3, 12, 6);
    check_token(&t->items[2], "バー", 2, MLS_TOKEN_BIGRAM, 0, 6, 15, 12);
    check_token(&t->items[3], "ー", 3, MLS_TOKEN_UNIGRAM, 0, 12, 15, 15);
    mls_tokens_free(t);
}

static void test_nfkc_compatibility(void **state)
{
    (void)state;
    /* Ⅻ U+216B -> XII -> xii */
    EXPECT("Ⅻ", "xii@0");
    mls_tokens *t = TOKENIZE("Ⅻ");
    assert_int_equal(t->count, 1);
    assert_int_equal(t->items[0].kind, MLS_TOKEN_WORD);
    assert_int_equal(t->items[0].start, 0);
    assert_int_equal(t->items[0].end, 3);
    mls_tokens_free(t);

    /* ﬁ U+FB01 ligature -> fi */
    EXPECT("\xef\xac\x81le", "file@0");
    t = TOKENIZE("\xef\xac\x81le");
    assert_int_equal(t->count, 1);
    assert_string_equal(t->items[0].term, "file");
    assert_int_equal(t->items[0].start, 0);
    assert_int_equal(t->items[0].end, 5);
    mls_tokens_free(t);

    /* ① -> 1 */
    EXPECT("①", "1@0");
    /* ㍿ U+337F -> 株式会社: one source character, four CJK characters.
     * Only the terms are checked; how the spans of the parts are laid out
     * in a single source character is not specified. */
    EXPECT_NOCHAIN("㍿", "株式@0 式会@1 会社@2 社@3");
}

static void test_case_folding(void **state)
{
    (void)state;
    EXPECT("Straße", "strasse@0");
    mls_tokens *t = TOKENIZE("Straße");
    assert_int_equal(t->count, 1);
    check_token(&t->items[0], "strasse", 0, MLS_TOKEN_WORD, 1, 0, 7, 1);
    mls_tokens_free(t);

    EXPECT("HeLLo WORLD", "hello@0 world@1");
    EXPECT("ПРИВЕТ мир", "привет@0 мир@1");
}

static void test_combining_marks(void **state)
{
    (void)state;
    /* "Cafe" + U+0301: NFKC composes é; the mark is part of the word */
    EXPECT("Cafe\xcc\x81", "caf\xc3\xa9@0");
    mls_tokens *t = TOKENIZE("Cafe\xcc\x81");
    assert_int_equal(t->count, 1);
    check_token(&t->items[0], "caf\xc3\xa9", 0, MLS_TOKEN_WORD, 1, 0, 6, 1);
    mls_tokens_free(t);

    EXPECT("café résumé", "café@0 résumé@1");
}

static void test_default_ignorables_dropped(void **state)
{
    (void)state;
    /* soft hyphen U+00AD inside a word: the word stays whole.
     * "soft" 0..3, SHY 4..5, "hyphen" 6..11 */
    EXPECT("soft\302\255hyphen", "softhyphen@0");
    mls_tokens *t = TOKENIZE("soft\302\255hyphen");
    assert_int_equal(t->count, 1);
    check_token(&t->items[0], "softhyphen", 0, MLS_TOKEN_WORD, 1, 0, 12, 1);
    mls_tokens_free(t);

    /* variation selector U+FE00 inside a CJK run: 漢 0..2, VS 3..5, 字 6..8 */
    EXPECT("漢\xef\xb8\x80字", "漢字@0 字@1");
    t = TOKENIZE("漢\xef\xb8\x80字");
    assert_int_equal(t->count, 2);
    /* whether the dropped selector counts with 漢 is left open: the
     * first character ends at 3 or at 6 */
    assert_string_equal(t->items[0].term, "漢字");
    assert_int_equal(t->items[0].kind, MLS_TOKEN_BIGRAM);
    assert_int_equal(t->items[0].start, 0);
    assert_int_equal(t->items[0].end, 9);
    assert_in_range(t->items[0].first_end, 3, 6);
    check_token(&t->items[1], "字", 1, MLS_TOKEN_UNIGRAM, 0, 6, 9, 9);
    mls_tokens_free(t);

    /* a lone zero-width joiner or emoji sequence gives nothing */
    EXPECT("\xe2\x80\x8d", "");
}

/* ------------------------------------------------------------------ */
/* Single characters, symbols, other scripts                           */
/* ------------------------------------------------------------------ */

static void test_single_kanji(void **state)
{
    (void)state;
    EXPECT("猫", "猫@0");
    mls_tokens *t = TOKENIZE("猫");
    assert_int_equal(t->count, 1);
    check_token(&t->items[0], "猫", 0, MLS_TOKEN_UNIGRAM, 1, 0, 3, 3);
    mls_tokens_free(t);
}

static void test_emoji(void **state)
{
    (void)state;
    EXPECT("🚀", "");
    EXPECT("GPU🚀サーバー", "gpu@0 サー@1 ーバ@2 バー@3 ー@4");

    /* GPU 0..2, 🚀 3..6, サ 7, ー 10, バ 13, ー 16 */
    mls_tokens *t = TOKENIZE("GPU🚀サーバー");
    assert_int_equal(t->count, 5);
    check_token(&t->items[0], "gpu", 0, MLS_TOKEN_WORD, 1, 0, 3, 1);
    check_token(&t->items[1], "サー", 1, MLS_TOKEN_BIGRAM, 1, 7, 13, 10);
    check_token(&t->items[4], "ー", 4, MLS_TOKEN_UNIGRAM, 0, 16, 19, 19);
    mls_tokens_free(t);

    /* emoji with ZWJ and variation selector between words */
    EXPECT("a \xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x92\xbb\xef\xb8\x8f b", "a@0 b@1");
}

static void test_hangul(void **state)
{
    (void)state;
    EXPECT("한국어", "한국@0 국어@1 어@2");
    EXPECT("한국어 문서", "한국@0 국어@1 어@2 문서@3 서@4");

    mls_tokens *t = TOKENIZE("한국어");
    assert_int_equal(t->count, 3);
    check_token(&t->items[0], "한국", 0, MLS_TOKEN_BIGRAM, 1, 0, 6, 3);
    check_token(&t->items[2], "어", 2, MLS_TOKEN_UNIGRAM, 0, 6, 9, 9);
    mls_tokens_free(t);
}

static void test_punctuation_separates(void **state)
{
    (void)state;
    EXPECT("foo, bar!!! (baz)--qux", "foo@0 bar@1 baz@2 qux@3");
    EXPECT("snake_case", "snake@0 case@1");
    EXPECT("e-mail v1.2.3 C++", "e@0 mail@1 v1@2 2@3 3@4 c@5");
    EXPECT("a\tb\nc\r\nd", "a@0 b@1 c@2 d@3");
    EXPECT("gpt4o", "gpt4o@0");

    mls_tokens *t = TOKENIZE("foo, bar!!! (baz)--qux");
    assert_int_equal(t->count, 4);
    check_token(&t->items[0], "foo", 0, MLS_TOKEN_WORD, 1, 0, 3, 1);
    check_token(&t->items[1], "bar", 1, MLS_TOKEN_WORD, 1, 5, 8, 6);
    check_token(&t->items[2], "baz", 2, MLS_TOKEN_WORD, 1, 13, 16, 14);
    check_token(&t->items[3], "qux", 3, MLS_TOKEN_WORD, 1, 19, 22, 20);
    mls_tokens_free(t);
}

/* ------------------------------------------------------------------ */
/* Positions, empty input, bad input, long words                       */
/* ------------------------------------------------------------------ */

static void test_first_pos(void **state)
{
    (void)state;
    EXPECT_AT("a b", 10, "a@10 b@11");
    EXPECT_AT("ML活用", 7, "ml@7 活用@8 用@9");
    EXPECT_AT("", 5, "");
}

static void test_empty_and_blank(void **state)
{
    (void)state;
    mls_tokens *t = tokenize("", 0);
    assert_int_equal(t->count, 0);
    mls_tokens_free(t);

    /* spaces, a tab, a newline and U+3000 */
    t = TOKENIZE("  \t\n\xe3\x80\x80");
    assert_int_equal(t->count, 0);
    mls_tokens_free(t);

    t = TOKENIZE("!?.,;:()[]{}<>-_/\\'\"`~@#$%^&*+=|");
    assert_int_equal(t->count, 0);
    mls_tokens_free(t);

    mls_tokens_free(NULL);
}

static void test_invalid_utf8(void **state)
{
    (void)state;
    EXPECT("ab\377cd", "ab@0 cd@1");
    mls_tokens *t = TOKENIZE("ab\377cd");
    assert_int_equal(t->count, 2);
    check_token(&t->items[0], "ab", 0, MLS_TOKEN_WORD, 1, 0, 2, 1);
    check_token(&t->items[1], "cd", 1, MLS_TOKEN_WORD, 1, 3, 5, 4);
    mls_tokens_free(t);

    /* a truncated 3-byte sequence */
    EXPECT("\xe6\x8e", "");
    EXPECT("東\xe6\x8e", "東@0");
    /* a bad byte splits a CJK run */
    EXPECT("東\xff京", "東@0 京@1");
    /* overlong '/', a surrogate, a lone continuation byte */
    EXPECT("x\xc0\xafy", "x@0 y@1");
    EXPECT("x\xed\xa0\x80y", "x@0 y@1");
    EXPECT("x\x80y", "x@0 y@1");
    /* a NUL byte is a separator as well */
    EXPECT("x\0y", "x@0 y@1");
}

static void test_input_not_nul_terminated(void **state)
{
    (void)state;
    /* only the first 3 bytes are given: "abc" */
    mls_tokens *t = tokenize("abc def", 3);
    char *got = render(t);
    assert_string_equal(got, "abc@0");
    free(got);
    mls_tokens_free(t);

    /* the second character of 日本 cut in the middle: 日 then a bad byte */
    t = tokenize("日本", 4);
    got = render(t);
    assert_string_equal(got, "日@0");
    free(got);
    mls_tokens_free(t);
}

static void test_long_words_shortened(void **state)
{
    (void)state;
    char buf[1024];
    const size_t head = MLS_TERM_MAX_BYTES - MLS_HASH_SHORTEN_BYTES;

    /* x, 200 a's, y: "x " is 0..1, a's 2..201, ' ' 202, y 203 */
    size_t n = 0;
    buf[n++] = 'x';
    buf[n++] = ' ';
    memset(buf + n, 'a', 200);
    n += 200;
    buf[n++] = ' ';
    buf[n++] = 'y';
    mls_tokens *t = tokenize_pos(buf, n, 0, 1);
    assert_int_equal(t->count, 3);
    const mls_token *w = &t->items[1];
    assert_int_equal(w->term_len, MLS_TERM_MAX_BYTES);
    for (size_t i = 0; i < head; i++)
        assert_int_equal(w->term[i], 'a');
    assert_int_equal(w->term[head], '#');
    assert_int_equal(strspn(w->term + head + 1, "0123456789abcdef"), 16);
    check_token(w, w->term, 1, MLS_TOKEN_WORD, 1, 2, 202, 3);
    check_token(&t->items[2], "y", 2, MLS_TOKEN_WORD, 1, 203, 204, 204);

    /* the same long word gives the same term; one differing byte at the
     * end (past the head) gives another */
    char first[MLS_TERM_MAX_BYTES + 1];
    memcpy(first, w->term, w->term_len + 1);
    mls_tokens_free(t);
    t = tokenize_pos(buf + 2, 200, 0, 1);
    assert_string_equal(t->items[0].term, first);
    mls_tokens_free(t);
    buf[201] = 'b';
    t = tokenize_pos(buf + 2, 200, 0, 1);
    assert_int_equal(t->count, 1);
    assert_string_not_equal(t->items[0].term, first);
    mls_tokens_free(t);

    /* exactly MLS_TERM_MAX_BYTES is kept as it is */
    memset(buf, 'a', MLS_TERM_MAX_BYTES);
    t = tokenize_pos(buf, MLS_TERM_MAX_BYTES, 0, 1);
    assert_int_equal(t->count, 1);
    assert_int_equal(t->items[0].term_len, MLS_TERM_MAX_BYTES);
    assert_null(strchr(t->items[0].term, '#'));
    mls_tokens_free(t);

    /* the head is cut on a character boundary: 100 x 'é' (2 bytes) */
    n = 0;
    for (int i = 0; i < 100; i++) {
        memcpy(buf + n, "\xC3\xA9", 2);
        n += 2;
    }
    t = tokenize_pos(buf, n, 0, 1);
    assert_int_equal(t->count, 1);
    assert_int_equal(t->items[0].term_len, (head / 2) * 2 + MLS_HASH_SHORTEN_BYTES);
    assert_int_equal(t->items[0].term[(head / 2) * 2], '#');
    mls_tokens_free(t);

    /* a long word between CJK runs keeps its place */
    n = 0;
    memcpy(buf + n, "猫", 3);
    n += 3;
    memset(buf + n, 'b', 300);
    n += 300;
    memcpy(buf + n, "犬", 3);
    n += 3;
    t = tokenize_pos(buf, n, 4, 1);
    assert_int_equal(t->count, 3);
    assert_string_equal(t->items[0].term, "猫");
    assert_int_equal(t->items[1].pos, 5);
    assert_string_equal(t->items[2].term, "犬");
    assert_int_equal(t->items[2].pos, 6);
    mls_tokens_free(t);

    /* the limit is on the term's (normalized) bytes: 100 full-width A's
     * are 300 source bytes but a 100-byte term */
    n = 0;
    for (int i = 0; i < 100; i++) {
        memcpy(buf + n, "Ａ", 3);
        n += 3;
    }
    t = tokenize_pos(buf, n, 0, 1);
    assert_int_equal(t->count, 1);
    assert_int_equal(t->items[0].term_len, 100);
    assert_int_equal(t->items[0].start, 0);
    assert_int_equal(t->items[0].end, 300);
    mls_tokens_free(t);
}

static void test_long_cjk_run_kept(void **state)
{
    (void)state;
    /* a CJK run of 100 characters is 100 terms, none dropped */
    char buf[300];
    for (int i = 0; i < 100; i++)
        memcpy(buf + 3 * i, "あ", 3);
    mls_tokens *t = tokenize_pos(buf, sizeof buf, 0, 1);
    assert_int_equal(t->count, 100);
    for (size_t i = 0; i < 99; i++) {
        assert_string_equal(t->items[i].term, "ああ");
        assert_int_equal(t->items[i].start, 3 * i);
    }
    assert_string_equal(t->items[99].term, "あ");
    assert_int_equal(t->items[99].kind, MLS_TOKEN_UNIGRAM);
    mls_tokens_free(t);
}

/* ------------------------------------------------------------------ */
/* mls_normalize                                                       */
/* ------------------------------------------------------------------ */

static void test_normalize(void **state)
{
    (void)state;
    EXPECT_NORM("ＡＭＬ（テスト）", "aml(テスト)");
    EXPECT_NORM("ｻｰﾊﾞｰ", "サーバー");
    EXPECT_NORM("a\377b", "a\357\277\275b");
    EXPECT_NORM("\xe6\x8e", "\xef\xbf\xbd\xef\xbf\xbd");
    EXPECT_NORM("Straße", "strasse");
    EXPECT_NORM("Ⅻ", "xii");
    EXPECT_NORM("soft\302\255hyphen", "softhyphen");
    EXPECT_NORM("Cafe\xcc\x81", "caf\xc3\xa9");
    /* spaces and newlines are kept; U+3000 becomes a space */
    EXPECT_NORM("A b\n日本\xe3\x80\x80語", "a b\n日本 語");
    EXPECT_NORM("", "");
}

/* The result is NFKC, so normalizing it again changes nothing (query.c
 * normalizes a query item, then reads katakana words of that text).
 * Compatibility Jamo are conjoining Jamo that compose (NFKC of ㅃㅣ is 삐,
 * as of ᄀㅏ and half-width ﾡￂ is 가), and a dropped ignorable does not
 * keep a mark from its base (e ZWJ U+0301 is é, as NFKC_Casefold has it). */
static void test_normalize_is_nfkc(void **state)
{
    (void)state;
    EXPECT_NORM("ㅃㅣ", "삐");
    EXPECT_NORM("ᄀㅏ", "가");
    EXPECT_NORM("ﾡￂ", "가");
    EXPECT_NORM("e\xe2\x80\x8d\xcc\x81", "é"); /* e ZWJ U+0301 */
    EXPECT_NORM("ㄱ\xe1\x85\x9fㅏ", "가");     /* the filler U+115F is ignorable */
    EXPECT_NORM("가", "가");
    EXPECT_NORM("é", "é");
    /* the tokens are those of the normalized text, with source spans */
    mls_tokens *t = TOKENIZE("ㅃㅣ");
    assert_int_equal(t->count, 1);
    check_token(&t->items[0], "삐", 0, MLS_TOKEN_UNIGRAM, 1, 0, 6, 6);
    mls_tokens_free(t);
}

static void test_normalize_lengths(void **state)
{
    (void)state;
    /* exact out_len for a few inputs, with the byte counts spelled out */
    char *out = NULL;
    size_t out_len = 0;
    assert_int_equal(mls_normalize("ＡＭＬ（テスト）", 24, &out, &out_len), MLS_OK);
    /* aml (3) + ( (1) + テスト (9) + ) (1) */
    assert_int_equal(out_len, 14);
    assert_int_equal(strlen(out), 14);
    free(out);

    out = NULL;
    /* a prefix: only ＡＭ */
    assert_int_equal(mls_normalize("ＡＭＬ", 6, &out, &out_len), MLS_OK);
    assert_int_equal(out_len, 2);
    assert_string_equal(out, "am");
    free(out);
}

/* ------------------------------------------------------------------ */
/* mls_is_cjk                                                          */
/* ------------------------------------------------------------------ */

static void test_is_cjk(void **state)
{
    (void)state;
    assert_true(mls_is_cjk(0x3042));  /* あ */
    assert_true(mls_is_cjk(0x30A2));  /* ア */
    assert_true(mls_is_cjk(0x30FC));  /* ー */
    assert_true(mls_is_cjk(0x3005));  /* 々 */
    assert_true(mls_is_cjk(0x6F22));  /* 漢 */
    assert_true(mls_is_cjk(0xD55C));  /* 한 */
    assert_true(mls_is_cjk(0x3105));  /* ㄅ (Bopomofo) */
    assert_true(mls_is_cjk(0x4E00));  /* 一 */
    assert_true(mls_is_cjk(0x20B9F)); /* 𠮟 (CJK Extension B) */

    assert_false(mls_is_cjk('a'));
    assert_false(mls_is_cjk('Z'));
    assert_false(mls_is_cjk('1'));
    assert_false(mls_is_cjk('('));
    assert_false(mls_is_cjk(' '));
    assert_false(mls_is_cjk(0x30FB));  /* ・ */
    assert_false(mls_is_cjk(0x3002));  /* 。 */
    assert_false(mls_is_cjk(0x3001));  /* 、 */
    assert_false(mls_is_cjk(0x3000));  /* ideographic space */
    assert_false(mls_is_cjk(0xFF08));  /* （ */
    assert_false(mls_is_cjk(0xFFFD));  /* replacement character */
    assert_false(mls_is_cjk(0x1F680)); /* 🚀 */
    assert_false(mls_is_cjk(0x00E9));  /* é */
    assert_false(mls_is_cjk(0x0436));  /* ж */
    assert_false(mls_is_cjk(0));
    assert_false(mls_is_cjk(-1));
}

static void test_markup_inside_cjk_words_is_bridged(void **state)
{
    (void)state;
    /* emphasis and code marks, and a hard wrap, inside a CJK word */
    EXPECT("**推論**サーバー", "推論@0 論サ@1 サー@2 ーバ@3 バー@4 ー@5");
    EXPECT("推論\n  > サーバー", "推論@0 論サ@1 サー@2 ーバ@3 バー@4 ー@5");
    EXPECT("推論\r\nサ", "推論@0 論サ@1 サ@2");
    EXPECT("`正規化`処理", "正規@0 規化@1 化処@2 処理@3 理@4");
    /* a space, a paragraph break, other punctuation: the run ends */
    EXPECT("推論 サーバー", "推論@0 論@1 サー@2 ーバ@3 バー@4 ー@5");
    EXPECT("推論\n\nサ", "推論@0 論@1 サ@2");
    EXPECT("推論、サ", "推論@0 論@1 サ@2");
    /* markup next to a word is only a separator */
    EXPECT("推論**ML", "推論@0 論@1 ml@2");
    EXPECT("ML**推論", "ml@0 推論@1 論@2");
    /* the bridging bigram spans the markup between its characters */
    mls_tokens *t = TOKENIZE("推**論");
    assert_int_equal(t->count, 2);
    check_token(&t->items[0], "推論", 0, MLS_TOKEN_BIGRAM, 1, 0, 8, 3);
    mls_tokens_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_aml_fullwidth_parens),
        cmocka_unit_test(test_katakana_run),
        cmocka_unit_test(test_kana_kanji_sentence),
        cmocka_unit_test(test_positions_across_scripts),
        cmocka_unit_test(test_cjk_punctuation_splits_runs),
        cmocka_unit_test(test_fullwidth_latin),
        cmocka_unit_test(test_halfwidth_katakana),
        cmocka_unit_test(test_nfkc_compatibility),
        cmocka_unit_test(test_case_folding),
        cmocka_unit_test(test_combining_marks),
        cmocka_unit_test(test_default_ignorables_dropped),
        cmocka_unit_test(test_single_kanji),
        cmocka_unit_test(test_emoji),
        cmocka_unit_test(test_hangul),
        cmocka_unit_test(test_punctuation_separates),
        cmocka_unit_test(test_first_pos),
        cmocka_unit_test(test_empty_and_blank),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_input_not_nul_terminated),
        cmocka_unit_test(test_long_words_shortened),
        cmocka_unit_test(test_markup_inside_cjk_words_is_bridged),
        cmocka_unit_test(test_long_cjk_run_kept),
        cmocka_unit_test(test_normalize),
        cmocka_unit_test(test_normalize_is_nfkc),
        cmocka_unit_test(test_normalize_lengths),
        cmocka_unit_test(test_is_cjk),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
