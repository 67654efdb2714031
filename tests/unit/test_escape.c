/* test_escape.c - unit tests of include/mlsearch/escape.h.
 *
 * Every expectation below was worked out by hand from the contract in
 * escape.h:
 *  - mls_escape_char escapes C0 and C1 controls, DEL, bidi controls and
 *    the line and paragraph separators, in the two shapes the header
 *    shows: `\x1B` (two upper-case hex digits) and `\u{202E}` (upper-case
 *    hex); everything else is left alone (returns 0);
 *  - mls_escape_text escapes those code points the same way and every
 *    invalid UTF-8 byte as `\xNN`;
 *  - mls_json_string writes a JSON string literal: quotes and backslashes
 *    escaped, controls and bidi characters as \uXXXX, invalid bytes as
 *    U+FFFD, other UTF-8 passed through;
 *  - mls_json_data writes {"text":"..."} for valid UTF-8 with nothing
 *    mls_escape_char escapes, else {"bytes":"<base64>"};
 *  - mls_json_text writes {"text":"..."} of the text as mls_escape_text
 *    escapes it.
 *
 * Input is always copied into a buffer of exactly `len` bytes (no NUL),
 * so that ASan or valgrind report any read past the end.  JSON goes to a
 * memory stream (open_memstream) and is compared whole. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "test_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mlsearch/escape.h"

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

/* mls_escape_char into a fresh buffer; returns the escape ("" for none). */
static void expect_char(int cp, const char *expected)
{
    char buf[MLS_ESCAPE_MAX];
    memset(buf, 'Z', sizeof buf);
    size_t n = mls_escape_char(cp, buf);
    if (expected[0] == '\0') {
        if (n != 0)
            print_error("U+%04X escaped as \"%.*s\"\n", (unsigned)cp,
                        (int)(n < MLS_ESCAPE_MAX ? n : MLS_ESCAPE_MAX), buf);
        assert_int_equal(n, 0);
        return;
    }
    assert_true(n > 0);
    assert_true(n < MLS_ESCAPE_MAX);
    assert_int_equal(buf[n], '\0');
    assert_string_equal(buf, expected);
    assert_int_equal(n, strlen(expected));
}

/* The escape of `cp`, for cases where the header leaves the shape open;
 * the caller checks it against the acceptable ones. */
static size_t escape_of(int cp, char buf[MLS_ESCAPE_MAX])
{
    memset(buf, 'Z', MLS_ESCAPE_MAX);
    size_t n = mls_escape_char(cp, buf);
    assert_true(n > 0);
    assert_true(n < MLS_ESCAPE_MAX);
    assert_int_equal(buf[n], '\0');
    assert_int_equal(strlen(buf), n);
    return n;
}

static int one_of(const char *s, const char *const *choices)
{
    for (; *choices; choices++)
        if (strcmp(s, *choices) == 0)
            return 1;
    return 0;
}

/* mls_escape_text of `len` bytes of `text`; the result is held (own()),
 * the caller releases it. */
static char *escape_text(const char *text, size_t len, size_t *out_len)
{
    char *buf = own(exact_copy(text, len), free);
    char *out = NULL;
    *out_len = (size_t)-1;
    mls_status st = mls_escape_text(buf, len, &out, out_len);
    release(buf);
    own(out, free);
    assert_int_equal(st, MLS_OK);
    assert_non_null(out);
    assert_int_equal(out[*out_len], '\0');
    assert_int_equal(strlen(out), *out_len);
    return out;
}

static void expect_text_full(const char *text, size_t len, const char *expected,
                             size_t expected_len)
{
    size_t out_len;
    char *out = escape_text(text, len, &out_len);
    if (out_len != expected_len || memcmp(out, expected, out_len) != 0)
        print_error("escape of \"%.*s\"\n", (int)len, text);
    assert_string_equal(out, expected);
    assert_int_equal(out_len, expected_len);
    release(out);
}

#define EXPECT_TEXT(lit, expected) \
    expect_text_full((lit), sizeof(lit) - 1, (expected), sizeof(expected) - 1)

typedef void (*json_fn)(FILE *, const char *, size_t);

/* What `fn` writes for `len` bytes of `text`; the result is held (own()),
 * the caller releases it. */
static char *json_of(json_fn fn, const char *text, size_t len)
{
    char *mem = NULL;
    size_t mem_len = 0;
    FILE *f = open_memstream(&mem, &mem_len);
    assert_non_null(f);
    char *buf = own(exact_copy(text, len), free);
    fn(f, buf, len);
    release(buf);
    int rc = fclose(f);
    own(mem, free);
    assert_int_equal(rc, 0);
    assert_non_null(mem);
    assert_int_equal(strlen(mem), mem_len);
    return mem;
}

static void expect_json_full(json_fn fn, const char *text, size_t len, const char *expected)
{
    char *got = json_of(fn, text, len);
    if (strcmp(got, expected) != 0)
        print_error("JSON of \"%.*s\"\n", (int)len, text);
    assert_string_equal(got, expected);
    release(got);
}

#define EXPECT_JSON(lit, expected) \
    expect_json_full(mls_json_string, (lit), sizeof(lit) - 1, (expected))
#define EXPECT_DATA(lit, expected) \
    expect_json_full(mls_json_data, (lit), sizeof(lit) - 1, (expected))

/* mls_json_text, which returns a status: adapted to json_fn. */
static void json_text(FILE *out, const char *s, size_t len)
{
    assert_int_equal(mls_json_text(out, s, len), MLS_OK);
}

#define EXPECT_TEXT_JSON(lit, expected) \
    expect_json_full(json_text, (lit), sizeof(lit) - 1, (expected))

/* ------------------------------------------------------------------ */
/* mls_escape_char                                                     */
/* ------------------------------------------------------------------ */

static void test_char_plain(void **state)
{
    (void)state;
    expect_char('a', "");
    expect_char('Z', "");
    expect_char('0', "");
    expect_char(' ', "");
    expect_char('~', "");
    expect_char('\\', "");
    expect_char(0xA0, "");    /* no-break space: not a control */
    expect_char(0xE9, "");    /* é */
    expect_char(0x3042, "");  /* あ */
    expect_char(0x63A8, "");  /* 推 */
    expect_char(0x3000, "");  /* ideographic space */
    expect_char(0xFF08, "");  /* （ */
    expect_char(0x1F680, ""); /* 🚀 */
    expect_char(0x20B9F, ""); /* 𠮟 */
    expect_char(0xFFFD, "");  /* replacement character */
}

static void test_char_c0_and_del(void **state)
{
    (void)state;
    expect_char(0x00, "\\x00");
    expect_char(0x01, "\\x01");
    expect_char('\t', "\\x09");
    expect_char('\n', "\\x0A");
    expect_char('\r', "\\x0D");
    expect_char(0x1B, "\\x1B");
    expect_char(0x1F, "\\x1F");
    expect_char(0x7F, "\\x7F");
}

/* C1 controls: the header says they are escaped but shows no example
 * below U+0100 other than `\x1B`; `\x85` (the shape of an invalid byte)
 * and `\u{85}` / `\u{0085}` are all read as honouring it. */
static void test_char_c1(void **state)
{
    (void)state;
    static const char *const nel[] = {"\\x85", "\\u{85}", "\\u{0085}", NULL};
    static const char *const csi[] = {"\\x9B", "\\u{9B}", "\\u{009B}", NULL};
    static const char *const x80[] = {"\\x80", "\\u{80}", "\\u{0080}", NULL};
    static const char *const x9f[] = {"\\x9F", "\\u{9F}", "\\u{009F}", NULL};
    char buf[MLS_ESCAPE_MAX];
    escape_of(0x85, buf);
    if (!one_of(buf, nel))
        fail_msg("U+0085 escaped as \"%s\"", buf);
    escape_of(0x9B, buf);
    if (!one_of(buf, csi))
        fail_msg("U+009B escaped as \"%s\"", buf);
    escape_of(0x80, buf);
    if (!one_of(buf, x80))
        fail_msg("U+0080 escaped as \"%s\"", buf);
    escape_of(0x9F, buf);
    if (!one_of(buf, x9f))
        fail_msg("U+009F escaped as \"%s\"", buf);
}

static void test_char_bidi_and_separators(void **state)
{
    (void)state;
    expect_char(0x200E, "\\u{200E}"); /* LRM */
    expect_char(0x200F, "\\u{200F}"); /* RLM */
    expect_char(0x202A, "\\u{202A}"); /* LRE */
    expect_char(0x202B, "\\u{202B}"); /* RLE */
    expect_char(0x202C, "\\u{202C}"); /* PDF */
    expect_char(0x202D, "\\u{202D}"); /* LRO */
    expect_char(0x202E, "\\u{202E}"); /* RLO */
    expect_char(0x2066, "\\u{2066}"); /* LRI */
    expect_char(0x2067, "\\u{2067}"); /* RLI */
    expect_char(0x2068, "\\u{2068}"); /* FSI */
    expect_char(0x2069, "\\u{2069}"); /* PDI */
    expect_char(0x2028, "\\u{2028}"); /* line separator */
    expect_char(0x2029, "\\u{2029}"); /* paragraph separator */
}

/* ------------------------------------------------------------------ */
/* mls_escape_text                                                     */
/* ------------------------------------------------------------------ */

static void test_text_plain(void **state)
{
    (void)state;
    EXPECT_TEXT("", "");
    EXPECT_TEXT("hello, world", "hello, world");
    EXPECT_TEXT("notes/2024/推論サーバー.md", "notes/2024/推論サーバー.md");
    EXPECT_TEXT("back\\slash \"quoted\"", "back\\slash \"quoted\"");
    EXPECT_TEXT("日本語🚀한국어", "日本語🚀한국어");
    EXPECT_TEXT("ＡＭＬ ｻｰﾊﾞｰ", "ＡＭＬ ｻｰﾊﾞｰ");
}

static void test_text_controls(void **state)
{
    (void)state;
    EXPECT_TEXT("a\x1b[31mb", "a\\x1B[31mb");
    EXPECT_TEXT("\r", "\\x0D");
    EXPECT_TEXT("line\r\n", "line\\x0D\\x0A");
    EXPECT_TEXT("\x7f", "\\x7F");
    EXPECT_TEXT("a\tb", "a\\x09b");
    EXPECT_TEXT("x\0y", "x\\x00y");
    EXPECT_TEXT("\x01\x02", "\\x01\\x02");
}

static void test_text_unicode_controls(void **state)
{
    (void)state;
    EXPECT_TEXT("\xe2\x80\x8e", "\\u{200E}");             /* U+200E */
    EXPECT_TEXT("abc\342\200\256def", "abc\\u{202E}def"); /* U+202E */
    EXPECT_TEXT("\xe2\x81\xa6x\xe2\x81\xa9", "\\u{2066}x\\u{2069}");
    EXPECT_TEXT("a\342\200\250b", "a\\u{2028}b"); /* U+2028 */
    EXPECT_TEXT("a\342\200\251b", "a\\u{2029}b"); /* U+2029 */

    /* U+0085 (C2 85): escaped as mls_escape_char does */
    char want[MLS_ESCAPE_MAX + 2];
    char esc[MLS_ESCAPE_MAX];
    escape_of(0x85, esc);
    snprintf(want, sizeof want, "a%sb", esc);
    size_t out_len;
    char *out = escape_text("a\302\205b", 4, &out_len);
    assert_string_equal(out, want);
    release(out);
}

static void test_text_invalid_bytes(void **state)
{
    (void)state;
    EXPECT_TEXT("\xff", "\\xFF");
    EXPECT_TEXT("a\377b", "a\\xFFb");
    EXPECT_TEXT("\xfe\xff", "\\xFE\\xFF");
    /* a lone continuation byte */
    EXPECT_TEXT("x\x80y", "x\\x80y");
    /* a truncated 3-byte sequence at the end: each byte is invalid */
    EXPECT_TEXT("東\xe6\x8e", "東\\xE6\\x8E");
    /* an overlong '/' and a surrogate */
    EXPECT_TEXT("\xc0\xaf", "\\xC0\\xAF");
    EXPECT_TEXT("\xed\xa0\x80", "\\xED\\xA0\\x80");
    /* an escape sequence and a bad byte together */
    EXPECT_TEXT("\x1b\xff", "\\x1B\\xFF");
}

/* ------------------------------------------------------------------ */
/* mls_json_string                                                     */
/* ------------------------------------------------------------------ */

static void test_json_string_plain(void **state)
{
    (void)state;
    EXPECT_JSON("", "\"\"");
    EXPECT_JSON("hello", "\"hello\"");
    EXPECT_JSON("日本語🚀", "\"日本語🚀\"");
    EXPECT_JSON("ＡＭＬ（テスト）", "\"ＡＭＬ（テスト）\"");
}

static void test_json_string_escapes(void **state)
{
    (void)state;
    EXPECT_JSON("say \"hi\"", "\"say \\\"hi\\\"\"");
    EXPECT_JSON("C:\\notes", "\"C:\\\\notes\"");
    EXPECT_JSON("a\nb", "\"a\\nb\"");
    EXPECT_JSON("a\tb", "\"a\\tb\"");
    EXPECT_JSON("a\rb", "\"a\\rb\"");
    EXPECT_JSON("\n\t\r", "\"\\n\\t\\r\"");
    EXPECT_JSON("\x01", "\"\\u0001\"");
    EXPECT_JSON("\x1b[31m", "\"\\u001b[31m\"");
    EXPECT_JSON("x\0y", "\"x\\u0000y\"");
    EXPECT_JSON("\x1f", "\"\\u001f\"");
}

static void test_json_string_unicode_controls(void **state)
{
    (void)state;
    EXPECT_JSON("\xe2\x80\xae", "\"\\u202e\"");
    EXPECT_JSON("abc\342\200\256def", "\"abc\\u202edef\"");
    EXPECT_JSON("\xe2\x80\x8e", "\"\\u200e\"");
    EXPECT_JSON("\xe2\x81\xa6", "\"\\u2066\"");
    /* DEL and C1 controls are controls too */
    EXPECT_JSON("\x7f", "\"\\u007f\"");
    EXPECT_JSON("\xc2\x85", "\"\\u0085\"");
}

/* Each invalid byte becomes U+FFFD, which JSON may carry raw (EF BF BD) or
 * as the escape \ufffd: the output is compared with every escape turned
 * back into the raw character. */
static void expect_json_fffd(const char *text, size_t len, const char *expected)
{
    char *got = json_of(mls_json_string, text, len);
    char *p;
    while ((p = strstr(got, "\\ufffd")) || (p = strstr(got, "\\uFFFD"))) {
        memcpy(p, "\xef\xbf\xbd", 3);
        memmove(p + 3, p + 6, strlen(p + 6) + 1);
    }
    if (strcmp(got, expected) != 0)
        print_error("JSON of \"%.*s\"\n", (int)len, text);
    assert_string_equal(got, expected);
    release(got);
}

#define EXPECT_JSON_FFFD(lit, expected) expect_json_fffd((lit), sizeof(lit) - 1, (expected))

static void test_json_string_invalid(void **state)
{
    (void)state;
    EXPECT_JSON_FFFD("\xff", "\"\xef\xbf\xbd\"");
    EXPECT_JSON_FFFD("a\377b", "\"a\357\277\275b\"");
    EXPECT_JSON_FFFD("\xfe\xff", "\"\xef\xbf\xbd\xef\xbf\xbd\"");
    EXPECT_JSON_FFFD("東\xe6\x8e", "\"東\xef\xbf\xbd\xef\xbf\xbd\"");
    /* a real U+FFFD in the text is text, like any other character */
    EXPECT_JSON_FFFD("\xef\xbf\xbd", "\"\xef\xbf\xbd\"");
}

/* ------------------------------------------------------------------ */
/* mls_json_data                                                       */
/* ------------------------------------------------------------------ */

static void test_json_data_text(void **state)
{
    (void)state;
    EXPECT_DATA("", "{\"text\":\"\"}");
    EXPECT_DATA("hello", "{\"text\":\"hello\"}");
    EXPECT_DATA("推論サーバー", "{\"text\":\"推論サーバー\"}");
    EXPECT_DATA("a\"b\\c", "{\"text\":\"a\\\"b\\\\c\"}");
}

/* Text that would hold a control or bidi character once decoded is given
 * as its bytes: a path, exact, for a plugin to open. */
static void test_json_data_controls_as_bytes(void **state)
{
    (void)state;
    /* 61 22 62 5C 63 0A */
    EXPECT_DATA("a\"b\\c\n", "{\"bytes\":\"YSJiXGMK\"}");
    /* U+202E */
    EXPECT_DATA("\xe2\x80\xae", "{\"bytes\":\"4oCu\"}");
    EXPECT_DATA("notes/a\x1b[31m.md", "{\"bytes\":\"bm90ZXMvYRtbMzFtLm1k\"}");
    EXPECT_DATA("tab\there", "{\"bytes\":\"dGFiCWhlcmU=\"}");
}

/* Text to show: escaped as in the other formats, then a JSON string, so
 * that once decoded it reads `\x1B`, never the character. */
static void test_json_text(void **state)
{
    (void)state;
    EXPECT_TEXT_JSON("", "{\"text\":\"\"}");
    EXPECT_TEXT_JSON("推論 \"q\" a\\b", "{\"text\":\"推論 \\\"q\\\" a\\\\b\"}");
    EXPECT_TEXT_JSON("a\x1b[31mred", "{\"text\":\"a\\\\x1B[31mred\"}");
    EXPECT_TEXT_JSON("x\xe2\x80\xaey", "{\"text\":\"x\\\\u{202E}y\"}");
    EXPECT_TEXT_JSON("a\nb\tc", "{\"text\":\"a\\\\x0Ab\\\\x09c\"}");
    EXPECT_TEXT_JSON("caf\xe9", "{\"text\":\"caf\\\\xE9\"}");
    /* what is escaped already stays as it is */
    EXPECT_TEXT_JSON("a\\x1B", "{\"text\":\"a\\\\x1B\"}");
}

static void test_json_data_bytes(void **state)
{
    (void)state;
    EXPECT_DATA("\xff\xfe", "{\"bytes\":\"//4=\"}");
    /* 61 62 63 FF */
    EXPECT_DATA("abc\xff", "{\"bytes\":\"YWJj/w==\"}");
    /* 61 62 FF: three bytes, four characters, no padding */
    EXPECT_DATA("ab\xff", "{\"bytes\":\"YWL/\"}");
    /* a truncated sequence: E6 8E */
    EXPECT_DATA("\xe6\x8e", "{\"bytes\":\"5o4=\"}");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_char_plain, teardown),
        cmocka_unit_test_teardown(test_char_c0_and_del, teardown),
        cmocka_unit_test_teardown(test_char_c1, teardown),
        cmocka_unit_test_teardown(test_char_bidi_and_separators, teardown),
        cmocka_unit_test_teardown(test_text_plain, teardown),
        cmocka_unit_test_teardown(test_text_controls, teardown),
        cmocka_unit_test_teardown(test_text_unicode_controls, teardown),
        cmocka_unit_test_teardown(test_text_invalid_bytes, teardown),
        cmocka_unit_test_teardown(test_json_string_plain, teardown),
        cmocka_unit_test_teardown(test_json_string_escapes, teardown),
        cmocka_unit_test_teardown(test_json_string_unicode_controls, teardown),
        cmocka_unit_test_teardown(test_json_string_invalid, teardown),
        cmocka_unit_test_teardown(test_json_data_text, teardown),
        cmocka_unit_test_teardown(test_json_data_bytes, teardown),
        cmocka_unit_test_teardown(test_json_data_controls_as_bytes, teardown),
        cmocka_unit_test_teardown(test_json_text, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
