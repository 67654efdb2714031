/* test_ignore.c - unit tests of include/mlsearch/internal/ignore.h: git's
 * wildmatch with its pathname rule, and which ignore file wins. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mlsearch/internal/ignore.h"

/* Cases as git's own wildmatch tests (t3070) have them, with pathname. */
static void test_wildmatch(void **state)
{
    (void)state;
    static const struct {
        const char *pattern, *path;
        int match;
    } cases[] = {
        {"foo", "foo", 1},
        {"foo", "bar", 0},
        {"*", "foo", 1},
        {"*", "foo/bar", 0},
        {"foo/*", "foo/bar", 1},
        {"foo/*", "foo/bar/baz", 0},
        {"**/foo", "foo", 1},
        {"**/foo", "a/b/foo", 1},
        {"**/foo", "afoo", 0},
        {"foo/**", "foo/a", 1},
        {"foo/**", "foo/a/b", 1},
        {"foo/**", "foo", 0},
        {"a/**/b", "a/b", 1},
        {"a/**/b", "a/x/y/b", 1},
        {"a/**/b", "a/xb", 0},
        {"**", "a/b/c", 1},
        {"?", "a", 1},
        {"?", "/", 0},
        {"[ab]c", "bc", 1},
        {"[!ab]c", "bc", 0},
        {"*.md", "x/y.md", 0},
        {"**/*.md", "x/y.md", 1},
        {"a/**/**/b", "a/b", 1},
        {"**/z/**", "y/z/w/r", 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        if (mls_ignore_wildmatch(cases[i].pattern, cases[i].path) != cases[i].match)
            fail_msg("%s against %s: %s", cases[i].pattern, cases[i].path,
                     cases[i].match ? "no match" : "a match");
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* The deepest folder's files first; in one folder, .mlsearchignore over
 * .ignore over .gitignore; in one file, the last pattern. */
static void test_precedence(void **state)
{
    (void)state;
    char dir[] = "/tmp/mls-ignore-XXXXXX", sub[64], path[96];
    assert_non_null(mkdtemp(dir));
    snprintf(sub, sizeof sub, "%s/sub", dir);
    assert_int_equal(mkdir(sub, 0700), 0);
    snprintf(path, sizeof path, "%s/.gitignore", dir);
    write_file(path, "*.md\n!keep.md\nbuild/\n/rooted.md\n# a comment\n\\#hash.md\n");
    snprintf(path, sizeof path, "%s/.ignore", dir);
    write_file(path, "!again.md\n");
    snprintf(path, sizeof path, "%s/.gitignore", sub);
    write_file(path, "!deep.md\n");
    mls_ignore *top = NULL, *below = NULL;
    assert_int_equal(mls_ignore_enter(NULL, dir, "", &top), MLS_OK);
    assert_int_equal(mls_ignore_enter(top, sub, "sub", &below), MLS_OK);
    assert_true(mls_ignore_matches(top, "x.md", 0));
    assert_false(mls_ignore_matches(top, "keep.md", 0));
    assert_false(mls_ignore_matches(top, "again.md", 0));
    assert_true(mls_ignore_matches(top, "build", 1));
    assert_false(mls_ignore_matches(top, "build", 0)); /* a file named so */
    assert_true(mls_ignore_matches(top, "#hash.md", 0));
    assert_false(mls_ignore_matches(top, "notes.txt", 0));
    assert_true(mls_ignore_matches(below, "sub/x.md", 0));
    assert_false(mls_ignore_matches(below, "sub/deep.md", 0));
    assert_false(mls_ignore_matches(below, "sub/rooted.txt", 0));
    mls_ignore_free(below);
    mls_ignore_free(top);
    snprintf(path, sizeof path, "%s/.gitignore", sub);
    unlink(path);
    rmdir(sub);
    snprintf(path, sizeof path, "%s/.gitignore", dir);
    unlink(path);
    snprintf(path, sizeof path, "%s/.ignore", dir);
    unlink(path);
    rmdir(dir);
}

/* As git: an ignore file that is a symbolic link or not a regular file
 * (a FIFO would block the walk) is as none; a byte order mark is not part
 * of the first pattern; an unclosed `[` matches nothing. */
static void test_odd_files(void **state)
{
    (void)state;
    char dir[] = "/tmp/mls-ignore-XXXXXX", path[96], real[96];
    assert_non_null(mkdtemp(dir));
    snprintf(real, sizeof real, "%s/real", dir);
    write_file(real, "*.md\n");
    snprintf(path, sizeof path, "%s/.gitignore", dir);
    assert_int_equal(symlink("real", path), 0);
    snprintf(path, sizeof path, "%s/.ignore", dir);
    assert_int_equal(mkfifo(path, 0600), 0);
    snprintf(path, sizeof path, "%s/.mlsearchignore", dir);
    write_file(path, "\xEF\xBB\xBF"
                     "bom.txt\nopen[x.txt\n");
    mls_ignore *top = NULL;
    assert_int_equal(mls_ignore_enter(NULL, dir, "", &top), MLS_OK);
    assert_false(mls_ignore_matches(top, "x.md", 0));
    assert_true(mls_ignore_matches(top, "bom.txt", 0));
    assert_false(mls_ignore_matches(top, "open[x.txt", 0));
    mls_ignore_free(top);
    unlink(path);
    snprintf(path, sizeof path, "%s/.ignore", dir);
    unlink(path);
    snprintf(path, sizeof path, "%s/.gitignore", dir);
    unlink(path);
    unlink(real);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wildmatch),
        cmocka_unit_test(test_precedence),
        cmocka_unit_test(test_odd_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
