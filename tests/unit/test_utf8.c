/* test_utf8.c - unit tests of include/mlsearch/internal/utf8.h.
 *
 * Expectations come from the contract: every invalid byte and every NUL
 * becomes U+FFFD (EF BF BD), one replacement per byte; valid text and
 * newlines are kept as they are.  "Valid" is UTF-8 as RFC 3629 defines it:
 * no overlong forms, no surrogates (U+D800..U+DFFF), nothing above
 * U+10FFFF.
 *
 * Input is copied into a buffer of exactly `len` bytes so that ASan or
 * valgrind catch reads past the end. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "test_support.h"

#include <stdlib.h>
#include <string.h>

#include "mlsearch/internal/utf8.h"

#define FFFD "\xef\xbf\xbd"

static void expect_sanitize(const char *in, size_t len, const char *expected, size_t expected_len,
                            size_t expected_replaced)
{
    char *buf = exact_copy(in, len);
    char *out = NULL;
    size_t out_len = (size_t)-1, replaced = (size_t)-1;
    mls_status st = mls_utf8_sanitize(buf, len, &out, &out_len, &replaced);
    free(buf);
    assert_int_equal(st, MLS_OK);
    assert_non_null(out);
    assert_int_equal(out_len, expected_len);
    assert_int_equal(replaced, expected_replaced);
    assert_memory_equal(out, expected, expected_len);
    assert_int_equal(out[out_len], '\0');
    /* the result is valid UTF-8 without NULs, by mls_utf8_next itself */
    for (size_t i = 0; i < out_len;) {
        int cp = -1;
        size_t n = mls_utf8_next(out + i, out_len - i, &cp);
        assert_true(n >= 1 && n <= 4);
        assert_int_not_equal(cp, 0);
        i += n;
    }
    free(out);
}

#define SANITIZE(in, expected, replaced) \
    expect_sanitize((in), sizeof(in) - 1, (expected), sizeof(expected) - 1, (replaced))

/* ------------------------------------------------------------------ */
/* mls_utf8_sanitize                                                   */
/* ------------------------------------------------------------------ */

static void test_sanitize_valid_unchanged(void **state)
{
    (void)state;
    SANITIZE("", "", 0);
    SANITIZE("plain ascii", "plain ascii", 0);
    SANITIZE("# 見出し\n\n本文です。\r\nline\n", "# 見出し\n\n本文です。\r\nline\n", 0);
    SANITIZE("é 한국어 🚀 \xf4\x8f\xbf\xbf", "é 한국어 🚀 \xf4\x8f\xbf\xbf", 0);
    /* an existing U+FFFD is valid text, not a replacement */
    SANITIZE(FFFD, FFFD, 0);
    /* boundaries of each length */
    SANITIZE("\x7f\xc2\x80\xdf\xbf\xe0\xa0\x80\xef\xbf\xbf\xf0\x90\x80\x80",
             "\x7f\xc2\x80\xdf\xbf\xe0\xa0\x80\xef\xbf\xbf\xf0\x90\x80\x80", 0);
    /* the last code points before and after the surrogates */
    SANITIZE("\xed\x9f\xbf\xee\x80\x80", "\xed\x9f\xbf\xee\x80\x80", 0);
}

static void test_sanitize_nul(void **state)
{
    (void)state;
    SANITIZE("a\0b", "a" FFFD "b", 1);
    SANITIZE("\0", FFFD, 1);
    SANITIZE("\0\0\n\0", FFFD FFFD "\n" FFFD, 3);
}

static void test_sanitize_invalid_bytes(void **state)
{
    (void)state;
    SANITIZE("a\377b", "a" FFFD "b", 1);
    SANITIZE("\xfe\xff", FFFD FFFD, 2);
    /* a lone continuation byte */
    SANITIZE("x\x80y", "x" FFFD "y", 1);
    /* bytes that can never start a sequence */
    SANITIZE("\xc0\xc1\xf5\xf8", FFFD FFFD FFFD FFFD, 4);
}

static void test_sanitize_truncated(void **state)
{
    (void)state;
    /* 探 is E6 8E A2; cut after two bytes: each byte is replaced */
    SANITIZE("\xe6\x8e", FFFD FFFD, 2);
    SANITIZE("\346\216a", FFFD FFFD "a", 2);
    SANITIZE("a\xe6\x8e\n", "a" FFFD FFFD "\n", 2);
    /* a 4-byte sequence cut after three bytes */
    SANITIZE("\xf0\x9f\x9a", FFFD FFFD FFFD, 3);
    /* a lead byte then a valid character: only the lead byte goes */
    SANITIZE("\346日", FFFD "日", 1);
    /* a NUL in the middle of a sequence */
    SANITIZE("\xe6\0\x8e", FFFD FFFD FFFD, 3);
}

static void test_sanitize_overlong_and_surrogates(void **state)
{
    (void)state;
    /* overlong '/' in two bytes, overlong '/' in three bytes */
    SANITIZE("\xc0\xaf", FFFD FFFD, 2);
    SANITIZE("\xe0\x80\xaf", FFFD FFFD FFFD, 3);
    /* overlong NUL */
    SANITIZE("\xc0\x80", FFFD FFFD, 2);
    /* overlong U+FFFF in four bytes */
    SANITIZE("\xf0\x8f\xbf\xbf", FFFD FFFD FFFD FFFD, 4);
    /* surrogates U+D800 and U+DFFF */
    SANITIZE("\xed\xa0\x80", FFFD FFFD FFFD, 3);
    SANITIZE("\xed\xbf\xbf", FFFD FFFD FFFD, 3);
    /* U+110000, above the last code point */
    SANITIZE("\xf4\x90\x80\x80", FFFD FFFD FFFD FFFD, 4);
}

static void test_sanitize_newlines_keep_lines(void **state)
{
    (void)state;
    static const char in[] = "one\xff\ntwo\0\n\xe6\x8e\nthree\n";
    char *out = NULL;
    size_t out_len = 0, replaced = 0;
    assert_int_equal(mls_utf8_sanitize(in, sizeof in - 1, &out, &out_len, &replaced), MLS_OK);
    assert_int_equal(replaced, 4);
    size_t lines = 0;
    for (size_t i = 0; i < out_len; i++)
        lines += out[i] == '\n';
    assert_int_equal(lines, 4);
    assert_string_equal(out, "one" FFFD "\ntwo" FFFD "\n" FFFD FFFD "\nthree\n");
    free(out);
}

static void test_sanitize_respects_len(void **state)
{
    (void)state;
    /* only the first 4 bytes of "日本" (E6 97 A5 E6 9C AC): 日 + a cut lead */
    char *buf = exact_copy("日本", 4);
    char *out = NULL;
    size_t out_len = 0, replaced = 0;
    assert_int_equal(mls_utf8_sanitize(buf, 4, &out, &out_len, &replaced), MLS_OK);
    assert_int_equal(replaced, 1);
    assert_int_equal(out_len, 6);
    assert_string_equal(out, "日" FFFD);
    free(out);
    free(buf);
}

static void test_sanitize_large(void **state)
{
    (void)state;
    /* 10000 invalid bytes: the output is three times as long */
    size_t n = 10000;
    char *in = malloc(n);
    assert_non_null(in);
    memset(in, 0xff, n);
    char *out = NULL;
    size_t out_len = 0, replaced = 0;
    assert_int_equal(mls_utf8_sanitize(in, n, &out, &out_len, &replaced), MLS_OK);
    assert_int_equal(replaced, n);
    assert_int_equal(out_len, 3 * n);
    for (size_t i = 0; i < n; i++)
        assert_memory_equal(out + 3 * i, FFFD, 3);
    assert_int_equal(out[out_len], '\0');
    free(out);
    free(in);
}

/* ------------------------------------------------------------------ */
/* mls_utf8_next                                                       */
/* ------------------------------------------------------------------ */

static void expect_next(const char *s, size_t len, size_t expected_n, int expected_cp)
{
    char *buf = exact_copy(s, len);
    int cp = -12345;
    size_t n = mls_utf8_next(buf, len, &cp);
    assert_int_equal(n, expected_n);
    if (expected_n)
        assert_int_equal(cp, expected_cp);
    /* the same without a code point */
    assert_int_equal(mls_utf8_next(buf, len, NULL), expected_n);
    free(buf);
}

#define NEXT(lit, n, cp) expect_next((lit), sizeof(lit) - 1, (n), (cp))
#define BAD(lit) expect_next((lit), sizeof(lit) - 1, 0, 0)

static void test_next_valid(void **state)
{
    (void)state;
    NEXT("a", 1, 'a');
    NEXT("ab", 1, 'a');
    NEXT("\x7f", 1, 0x7F);
    NEXT("\n", 1, '\n');
    NEXT("\xc2\x80", 2, 0x80);
    NEXT("é", 2, 0xE9);
    NEXT("\xdf\xbf", 2, 0x7FF);
    NEXT("\xe0\xa0\x80", 3, 0x800);
    NEXT("あいう", 3, 0x3042);
    NEXT("\xed\x9f\xbf", 3, 0xD7FF);
    NEXT("\xee\x80\x80", 3, 0xE000);
    NEXT(FFFD, 3, 0xFFFD);
    NEXT("\xef\xbf\xbf", 3, 0xFFFF);
    NEXT("\xf0\x90\x80\x80", 4, 0x10000);
    NEXT("🚀x", 4, 0x1F680);
    NEXT("\xf4\x8f\xbf\xbf", 4, 0x10FFFF);
}

static void test_next_invalid(void **state)
{
    (void)state;
    expect_next("", 0, 0, 0);
    BAD("\x80");
    BAD("\xbf");
    BAD("\xff");
    BAD("\xfe");
    /* overlong forms */
    BAD("\xc0\xaf");
    BAD("\xc1\xbf");
    BAD("\xe0\x80\xaf");
    BAD("\xe0\x9f\xbf");
    BAD("\xf0\x8f\xbf\xbf");
    /* surrogates */
    BAD("\xed\xa0\x80");
    BAD("\xed\xbf\xbf");
    /* above U+10FFFF */
    BAD("\xf4\x90\x80\x80");
    BAD("\xf5\x80\x80\x80");
    /* old 5- and 6-byte forms */
    BAD("\xf8\x88\x80\x80\x80");
    BAD("\xfc\x84\x80\x80\x80\x80");
    /* truncated by the data */
    BAD("\xe3\x81");
    BAD("\xf0\x9f\x9a");
    BAD("\xc3");
    /* a bad continuation byte */
    BAD("\343\201a");
    BAD("\303a");
    BAD("\xe3\xc3\xa9");
    /* truncated by len: "あ" with only 2 of its 3 bytes available */
    expect_next("あ", 2, 0, 0);
    expect_next("🚀", 3, 0, 0);
    expect_next("é", 1, 0, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sanitize_valid_unchanged),
        cmocka_unit_test(test_sanitize_nul),
        cmocka_unit_test(test_sanitize_invalid_bytes),
        cmocka_unit_test(test_sanitize_truncated),
        cmocka_unit_test(test_sanitize_overlong_and_surrogates),
        cmocka_unit_test(test_sanitize_newlines_keep_lines),
        cmocka_unit_test(test_sanitize_respects_len),
        cmocka_unit_test(test_sanitize_large),
        cmocka_unit_test(test_next_valid),
        cmocka_unit_test(test_next_invalid),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
