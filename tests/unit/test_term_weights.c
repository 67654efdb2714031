/* test_term_weights.c - unit tests of include/mlsearch/internal/weight.h
 * and term_weights.h.
 *
 * The contract checked:
 *  - a passage's saturation is BM25's (k1 1, b 0.5, a typical passage of
 *    20 terms): 1 for one occurrence in a typical passage, more for more
 *    occurrences or a shorter passage, never k1 + 1 or more;
 *  - a hint is 1 and up, in eighths of a saturation;
 *  - a term's count is per passage, and it keeps the most it weighs in
 *    any passage; a context string's term weighs 0.4 of one occurrence in
 *    a typical passage, unless a passage weighs it more;
 *  - each term is given once, in the order first met. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "mlsearch/internal/term_weights.h"
#include "mlsearch/internal/weight.h"
#include "test_support.h"

#include <stdio.h>

static void test_saturation_and_hints(void **state)
{
    (void)state;
    assert_true(mls_weight_saturation(1, 20) == 1.0);
    assert_true(mls_weight_saturation(2, 20) > 1.0);
    assert_true(mls_weight_saturation(1, 5) > 1.0);
    assert_true(mls_weight_saturation(1, 40) < 1.0);
    assert_true(mls_weight_saturation(1000000, 1) < MLS_BM25_K1 + 1);
    assert_int_equal(mls_weight_hint(0), 1);
    assert_int_equal(mls_weight_hint(-1), 1);
    assert_int_equal(mls_weight_hint(1.0), 9);
    assert_int_equal(mls_weight_hint(0.4), 4); /* 1 + 3.2 */
    assert_int_equal(mls_weight_hint(2.0), 17);
}

/* The terms given by mls_term_weights_each(), as "term=wdf " each. */
static mls_status note_term(const char *term, size_t len, unsigned wdf, void *ctx)
{
    char *out = ctx;
    snprintf(out + strlen(out), 512 - strlen(out), "%.*s=%u ", (int)len, term, wdf);
    return MLS_OK;
}

static void count_passage(mls_term_weights *w, const char *const *terms, size_t n, double len)
{
    for (size_t i = 0; i < n; i++)
        assert_int_equal(mls_term_weights_count(w, terms[i], strlen(terms[i])), MLS_OK);
    mls_term_weights_end_passage(w, len);
}

static void test_best_passage(void **state)
{
    (void)state;
    mls_term_weights *w;
    char got[512] = "";
    assert_int_equal(mls_term_weights_new(&w), MLS_OK);
    /* A long passage: "推論" once; "gpu" once. */
    static const char *const first[] = {"推論", "gpu"};
    count_passage(w, first, 2, 40);
    /* A short one: "推論" twice. */
    static const char *const second[] = {"推論", "推論"};
    count_passage(w, second, 2, 5);
    /* Typical ones: "gpu" once in each of three (counts do not add up
     * across passages). */
    static const char *const third[] = {"gpu"};
    for (int i = 0; i < 3; i++)
        count_passage(w, third, 1, 20);
    /* Context strings: "見出し" only there; "gpu" there too. */
    assert_int_equal(mls_term_weights_context(w, "見出し", strlen("見出し")), MLS_OK);
    assert_int_equal(mls_term_weights_context(w, "gpu", 3), MLS_OK);
    assert_int_equal(mls_term_weights_each(w, note_term, got), MLS_OK);
    char want[512];
    snprintf(want, sizeof want, "推論=%u gpu=%u 見出し=%u ",
             mls_weight_hint(mls_weight_saturation(2, 5)), mls_weight_hint(1.0),
             mls_weight_hint(MLS_CONTEXT_WEIGHT));
    assert_string_equal(got, want);
    assert_string_equal(got, "推論=13 gpu=9 見出し=4 ");
    mls_term_weights_free(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_saturation_and_hints),
        cmocka_unit_test(test_best_passage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
