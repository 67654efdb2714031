/* test_roots.c - unit tests of include/mlsearch/roots.h: a root as the
 * index keeps it, whether or not it exists. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mlsearch/roots.h"

static void expect_canonical(const char *path, const char *expected)
{
    char *got = NULL;
    assert_int_equal(mls_root_canonical(path, &got), MLS_OK);
    if (strcmp(got, expected))
        fail_msg("%s: %s, not %s", path, got, expected);
    free(got);
}

/* A path that does not exist is made absolute by name. */
static void test_missing_paths_by_name(void **state)
{
    (void)state;
    expect_canonical("/no/such/root", "/no/such/root");
    expect_canonical("//no///such/./root/", "/no/such/root");
    expect_canonical("/no/such/../other/root", "/no/other/root");
    expect_canonical("/..", "/");
    expect_canonical("/no/..", "/");
    char cwd[PATH_MAX], expected[PATH_MAX + 32];
    assert_non_null(getcwd(cwd, sizeof cwd));
    snprintf(expected, sizeof expected, "%s/no-such-root/x", strcmp(cwd, "/") ? cwd : "");
    expect_canonical("no-such-root/./y/../x", expected);
}

/* One that exists is its real path: links resolved. */
static void test_existing_paths_real(void **state)
{
    (void)state;
    char dir[] = "/tmp/mls-roots-XXXXXX", link[64], real[PATH_MAX];
    assert_non_null(mkdtemp(dir));
    snprintf(link, sizeof link, "%s-link", dir);
    assert_int_equal(symlink(dir, link), 0);
    assert_non_null(realpath(dir, real));
    expect_canonical(link, real);
    unlink(link);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_missing_paths_by_name),
        cmocka_unit_test(test_existing_paths_real),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
