/* test_hashtags.c - unit tests of include/mlsearch/internal/hashtags.h:
 * which #words of prose are tags. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mlsearch/internal/hashtags.h"

/* The tags of `text`, one per line. */
static void expect_tags(const char *text, const char *expected)
{
    mls_strings tags = {0};
    char got[512] = "";
    assert_int_equal(mls_hashtags(text, strlen(text), 0, &tags), MLS_OK);
    for (size_t i = 0; i < tags.count; i++)
        snprintf(got + strlen(got), sizeof got - strlen(got), "%s%s", i ? "\n" : "", tags.items[i]);
    mls_strings_free(&tags);
    if (strcmp(got, expected))
        fail_msg("tags of \"%s\": \"%s\", not \"%s\"", text, got, expected);
}

static void test_tags(void **state)
{
    (void)state;
    expect_tags("#mlops", "mlops");
    expect_tags("deploy #mlops and #推論 today", "mlops\n推論");
    expect_tags("(#paren) #trail- #a/b/ #x_y-z", "paren\ntrail\na/b\nx_y-z");
    expect_tags("全角\xE3\x80\x80#タグ", "タグ"); /* after an ideographic space */
    expect_tags("#v2 #2024年", "v2\n2024年");
}

static void test_not_tags(void **state)
{
    (void)state;
    expect_tags("issue #123 and #2024", "");   /* numbers */
    expect_tags("C# and a#b and x/#frag", ""); /* not after a space */
    expect_tags("## and # alone and #-", "");
    expect_tags("", "");
    expect_tags("#", "");
    expect_tags("bad \xFF#x", "");                   /* after a byte that is not UTF-8 */
    expect_tags("#123- and #123/#124 and #12_", ""); /* numbers, marks aside */
    expect_tags("#\xEF\xBC\x91\xEF\xBC\x92", "");    /* full-width digits */
}

/* Text that goes on from a word (after **bold** or `code`) starts no tag. */
static void test_after_word(void **state)
{
    (void)state;
    mls_strings tags = {0};
    assert_int_equal(mls_hashtags("#glued and #free", 16, 1, &tags), MLS_OK);
    assert_int_equal(tags.count, 1);
    assert_string_equal(tags.items[0], "free");
    mls_strings_free(&tags);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tags),
        cmocka_unit_test(test_not_tags),
        cmocka_unit_test(test_after_word),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
