/* test_status.c - unit tests of include/mlsearch/status.h.
 *
 * The contract checked:
 *  - mls_status_str gives every status a text of its own, and an unknown
 *    value "unknown status";
 *  - mls_status_keeps_work holds for MLS_OK and MLS_ERR_INTERRUPTED only;
 *  - mls_status_worse reports a failure over an interruption over
 *    success, and of two failures the first. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "mlsearch/status.h"

#include <string.h>

static void test_every_status_has_its_own_text(void **state)
{
    (void)state;
    for (int a = MLS_OK; a <= MLS_ERR_INTERNAL; a++) {
        assert_string_not_equal(mls_status_str((mls_status)a), "unknown status");
        for (int b = MLS_OK; b < a; b++)
            assert_string_not_equal(mls_status_str((mls_status)a), mls_status_str((mls_status)b));
    }
    assert_string_equal(mls_status_str((mls_status)(MLS_ERR_INTERNAL + 1)), "unknown status");
}

static void test_only_success_and_interruption_keep_work(void **state)
{
    (void)state;
    for (int s = MLS_OK; s <= MLS_ERR_INTERNAL; s++)
        assert_int_equal(mls_status_keeps_work((mls_status)s),
                         s == MLS_OK || s == MLS_ERR_INTERRUPTED);
}

static void test_worse_prefers_failure_then_interruption(void **state)
{
    (void)state;
    assert_int_equal(mls_status_worse(MLS_OK, MLS_OK), MLS_OK);
    assert_int_equal(mls_status_worse(MLS_OK, MLS_ERR_INTERRUPTED), MLS_ERR_INTERRUPTED);
    assert_int_equal(mls_status_worse(MLS_ERR_INTERRUPTED, MLS_OK), MLS_ERR_INTERRUPTED);
    assert_int_equal(mls_status_worse(MLS_ERR_INTERRUPTED, MLS_ERR_NO_SPACE), MLS_ERR_NO_SPACE);
    assert_int_equal(mls_status_worse(MLS_ERR_NO_SPACE, MLS_ERR_INTERRUPTED), MLS_ERR_NO_SPACE);
    assert_int_equal(mls_status_worse(MLS_OK, MLS_ERR_DB), MLS_ERR_DB);
    assert_int_equal(mls_status_worse(MLS_ERR_NOMEM, MLS_ERR_DB), MLS_ERR_NOMEM);
    assert_int_equal(mls_status_worse(MLS_ERR_DB, MLS_OK), MLS_ERR_DB);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_status_has_its_own_text),
        cmocka_unit_test(test_only_success_and_interruption_keep_work),
        cmocka_unit_test(test_worse_prefers_failure_then_interruption),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
