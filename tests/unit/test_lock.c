/* test_lock.c - unit tests of include/mlsearch/internal/lock.h.
 *
 * The contract checked:
 *  - mls_lock_take takes the lock of a directory and names the holder in
 *    its `lock` file ("pid N since DATE"); a second take, while it is
 *    held (here through another open file, as another process would),
 *    fails with MLS_ERR_DB_LOCKED and names the holder;
 *  - mls_lock_release empties the file; with `suspect`, it leaves the
 *    holder's line, as a holder that died does;
 *  - mls_lock_abandoned says whether the last holder left its line: never
 *    for a new or cleanly released lock, always after a death or a
 *    suspect release. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "mlsearch/internal/lock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[] = "/tmp/mlsearch-lock-test.XXXXXX";

static int make_dir(void **state)
{
    (void)state;
    strcpy(dir + strlen(dir) - 6, "XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int remove_dir(void **state)
{
    char path[sizeof dir + 8];
    (void)state;
    snprintf(path, sizeof path, "%s/lock", dir);
    unlink(path);
    return rmdir(dir);
}

/* The lock file's text ("" when empty or missing), in a static buffer. */
static char *lock_text(void)
{
    static char text[256];
    char path[sizeof dir + 8];
    snprintf(path, sizeof path, "%s/lock", dir);
    FILE *f = fopen(path, "r");
    size_t n = f ? fread(text, 1, sizeof text - 1, f) : 0;
    if (f)
        fclose(f);
    text[n] = '\0';
    return text;
}

static void test_take_names_and_release_empties(void **state)
{
    mls_lock *lock = NULL;
    char want[64];
    (void)state;
    assert_int_equal(mls_lock_take(dir, 0, NULL, &lock, NULL), MLS_OK);
    assert_false(mls_lock_abandoned(lock));
    snprintf(want, sizeof want, "pid %ld since ", (long)getpid());
    assert_memory_equal(lock_text(), want, strlen(want));
    mls_lock_release(lock, 0);
    assert_string_equal(lock_text(), "");
    assert_int_equal(mls_lock_take(dir, 0, NULL, &lock, NULL), MLS_OK);
    assert_false(mls_lock_abandoned(lock));
    mls_lock_release(lock, 0);
}

static void test_held_elsewhere_is_locked(void **state)
{
    mls_lock *first = NULL, *second = NULL;
    char *holder = NULL;
    (void)state;
    assert_int_equal(mls_lock_take(dir, 0, NULL, &first, NULL), MLS_OK);
    /* flock(2) locks an open file: a second open is another holder. */
    assert_int_equal(mls_lock_take(dir, 0, NULL, &second, &holder), MLS_ERR_DB_LOCKED);
    assert_null(second);
    assert_non_null(holder);
    assert_string_equal(holder, strtok(lock_text(), "\n"));
    free(holder);
    mls_lock_release(first, 0);
}

static void test_a_line_left_is_abandoned(void **state)
{
    mls_lock *lock = NULL;
    char path[sizeof dir + 8];
    (void)state;
    /* A holder that died: its line is still there. */
    snprintf(path, sizeof path, "%s/lock", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("pid 1 since 2026-11-30 03:17:01\n", f);
    fclose(f);
    assert_int_equal(mls_lock_take(dir, 0, NULL, &lock, NULL), MLS_OK);
    assert_true(mls_lock_abandoned(lock));
    /* Released as suspect: the next holder finds it abandoned too. */
    mls_lock_release(lock, 1);
    assert_string_not_equal(lock_text(), "");
    assert_int_equal(mls_lock_take(dir, 0, NULL, &lock, NULL), MLS_OK);
    assert_true(mls_lock_abandoned(lock));
    mls_lock_release(lock, 0);
    assert_int_equal(mls_lock_take(dir, 0, NULL, &lock, NULL), MLS_OK);
    assert_false(mls_lock_abandoned(lock));
    mls_lock_release(lock, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_take_names_and_release_empties, make_dir, remove_dir),
        cmocka_unit_test_setup_teardown(test_held_elsewhere_is_locked, make_dir, remove_dir),
        cmocka_unit_test_setup_teardown(test_a_line_left_is_abandoned, make_dir, remove_dir),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
