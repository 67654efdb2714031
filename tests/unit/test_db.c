/* test_db.c - unit tests of the parts of include/mlsearch/db.h that read
 * one document's own terms, on a real index in a temporary directory.
 *
 * The contract checked:
 *  - mls_mset_docid names the document a hit is; mls_db_positions gives a
 *    term's positions in it, ascending, and none (NULL, 0) for a term the
 *    document does not hold;
 *  - mls_db_doc_terms gives the document's terms that start with a
 *    prefix, in byte order, and stops when asked;
 *  - mls_db_doc_data gives the document's data, NUL-terminated, and
 *    mls_db_doc_data_at that of the document some places after or before
 *    (MLS_ERR_DB_CORRUPT before the first id);
 *  - mls_db_postings gives the documents a term indexes, ascending. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "mlsearch/db.h"
#include "test_support.h"

#include <ftw.h>
#include <stdio.h>
#include <sys/stat.h>

static char dir[] = "/tmp/mlsearch-db-test.XXXXXX";
static mls_db *db;

static mls_doc *doc_of(const char *const *terms, const unsigned *positions, size_t n,
                       const char *data)
{
    mls_doc *doc;
    assert_int_equal(mls_doc_new(&doc), MLS_OK);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(mls_doc_add_posting(doc, terms[i], strlen(terms[i]), positions[i]),
                         MLS_OK);
    assert_int_equal(mls_doc_set_data(doc, data, strlen(data)), MLS_OK);
    return doc;
}

/* An index of two documents: "推論 サーバー" text at scattered positions,
 * and one word. */
static int make_index(void **state)
{
    (void)state;
    static const char *const terms[] = {"推論", "論サ", "サー", "ーバ",
                                        "バー", "ー",   "推論", "gpu"};
    static const unsigned positions[] = {0, 1, 2, 3, 4, 5, 40, 7};
    mls_db *w;
    strcpy(dir + strlen(dir) - 6, "XXXXXX");
    if (!mkdtemp(dir) || chmod(dir, 0700) != 0)
        return -1;
    if (mls_db_open(dir, MLS_DB_WRITE, &w, NULL) != MLS_OK)
        return -1;
    mls_doc *a = doc_of(terms, positions, 7, "first"), *b = doc_of(terms + 7, positions, 1, "");
    mls_status st = mls_db_add_doc(w, a);
    if (!st)
        st = mls_db_add_doc(w, b);
    if (!st)
        st = mls_db_compact(w, NULL, 0);
    mls_doc_free(a);
    mls_doc_free(b);
    mls_db_close(w);
    return st || mls_db_open(dir, MLS_DB_READ, &db, NULL) != MLS_OK ? -1 : 0;
}

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb, (void)flag, (void)ftw;
    return remove(path);
}

static int remove_index(void **state)
{
    (void)state;
    mls_db_close(db);
    db = NULL;
    return nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* The id of the document that `term` finds (there must be one). */
static unsigned find(const char *term)
{
    mls_xq *q;
    mls_mset *m;
    assert_int_equal(mls_xq_term(term, strlen(term), &q), MLS_OK);
    assert_int_equal(mls_db_search(db, q, 0, 10, -1, &m), MLS_OK);
    mls_xq_free(q);
    assert_int_equal(mls_mset_size(m), 1);
    unsigned id = mls_mset_docid(m, 0);
    mls_mset_free(m);
    return id;
}

static void test_positions(void **state)
{
    (void)state;
    unsigned id = find("論サ"), *pos;
    size_t n;
    assert_int_equal(mls_db_positions(db, id, "推論", strlen("推論"), &pos, &n), MLS_OK);
    assert_int_equal(n, 2);
    assert_int_equal(pos[0], 0);
    assert_int_equal(pos[1], 40);
    free(pos);
    assert_int_equal(mls_db_positions(db, id, "ー", strlen("ー"), &pos, &n), MLS_OK);
    assert_int_equal(n, 1);
    assert_int_equal(pos[0], 5);
    free(pos);
    assert_int_equal(mls_db_positions(db, id, "gpu", 3, &pos, &n), MLS_OK);
    assert_null(pos);
    assert_int_equal(n, 0);
}

typedef struct seen {
    char terms[8][16];
    size_t count, stop_after;
} seen;

static int note_term(const char *term, size_t len, void *ctx)
{
    seen *s = ctx;
    assert_true(len < sizeof s->terms[0] && s->count < 8);
    memcpy(s->terms[s->count], term, len);
    s->terms[s->count++][len] = '\0';
    return s->stop_after && s->count == s->stop_after;
}

static void test_terms_with_a_prefix(void **state)
{
    (void)state;
    unsigned id = find("論サ");
    seen s = {0};
    assert_int_equal(mls_db_doc_terms(db, id, "ー", strlen("ー"), note_term, &s), MLS_OK);
    assert_int_equal(s.count, 2);
    assert_string_equal(s.terms[0], "ー");
    assert_string_equal(s.terms[1], "ーバ");
    seen all = {.stop_after = 3};
    assert_int_equal(mls_db_doc_terms(db, id, "", 0, note_term, &all), MLS_OK);
    assert_int_equal(all.count, 3); /* stopped */
    seen none = {0};
    assert_int_equal(mls_db_doc_terms(db, id, "x", 1, note_term, &none), MLS_OK);
    assert_int_equal(none.count, 0);
}

static void test_data(void **state)
{
    (void)state;
    char *data;
    size_t len;
    assert_int_equal(mls_db_doc_data(db, find("論サ"), &data, &len), MLS_OK);
    assert_int_equal(len, 5);
    assert_string_equal(data, "first");
    free(data);
    assert_int_equal(mls_db_doc_data(db, find("gpu"), &data, &len), MLS_OK);
    assert_int_equal(len, 0);
    assert_string_equal(data, "");
    free(data);
}

static void test_data_of_neighbours(void **state)
{
    (void)state;
    unsigned first = find("論サ"), second = find("gpu");
    char *data;
    size_t len;
    assert_int_equal(second, first + 1);
    assert_int_equal(mls_db_doc_data_at(db, first, 1, &data, &len), MLS_OK);
    assert_int_equal(len, 0);
    free(data);
    assert_int_equal(mls_db_doc_data_at(db, second, -1, &data, &len), MLS_OK);
    assert_string_equal(data, "first");
    free(data);
    assert_int_equal(mls_db_doc_data_at(db, second, 0, &data, &len), MLS_OK);
    assert_int_equal(len, 0);
    free(data);
    assert_int_equal(mls_db_doc_data_at(db, first, -1, &data, &len), MLS_ERR_DB_CORRUPT);
    assert_null(data);
    assert_int_equal(mls_db_doc_data_at(db, second, 1, &data, &len), MLS_ERR_DB_CORRUPT);
    assert_null(data);
}

static void test_postings(void **state)
{
    (void)state;
    unsigned *ids;
    size_t n;
    assert_int_equal(mls_db_postings(db, "推論", strlen("推論"), &ids, &n), MLS_OK);
    assert_int_equal(n, 1);
    assert_int_equal(ids[0], find("論サ"));
    free(ids);
    assert_int_equal(mls_db_postings(db, "zz", 2, &ids, &n), MLS_OK);
    assert_null(ids);
    assert_int_equal(n, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_positions), cmocka_unit_test(test_terms_with_a_prefix),
        cmocka_unit_test(test_data),      cmocka_unit_test(test_data_of_neighbours),
        cmocka_unit_test(test_postings),
    };
    return cmocka_run_group_tests(tests, make_index, remove_index);
}
