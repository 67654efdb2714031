/* test_upkeep.c - unit tests of include/mlsearch/upkeep.h: the check finds
 * what the index is missing and what it holds for no note; the compacted
 * size is kept and tells when to compact again. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#define _XOPEN_SOURCE_EXTENDED 1
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mlsearch/db.h"
#include "mlsearch/indexer.h"
#include "mlsearch/upkeep.h"

static char work[] = "/tmp/mls-upkeep-XXXXXX";
static char notes[64], db_dir[64], said[4096];

static void quiet(const char *path, mls_note_problem kind, const char *reason, void *ctx)
{
    (void)path, (void)kind, (void)reason, (void)ctx;
}

static void write_file(const char *dir, const char *name, const char *text)
{
    char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* Three notes (one empty) indexed into a fresh index. */
static int make_index(void **state)
{
    (void)state;
    if (!mkdtemp(work))
        return -1;
    snprintf(notes, sizeof notes, "%s/notes", work);
    snprintf(db_dir, sizeof db_dir, "%s/db", work);
    if (mkdir(notes, 0700) != 0 || mkdir(db_dir, 0700) != 0)
        return -1;
    write_file(notes, "a.md", "# A\n\nalpha text\n");
    write_file(notes, "b.md", "- beta\n- gamma\n");
    write_file(notes, "empty.md", "");
    const char *roots[] = {notes};
    mls_index_options opt = {.db_dir = db_dir, .roots = roots, .root_count = 1, .report = quiet};
    mls_index_stats stats;
    return mls_index_run(&opt, &stats, NULL) == MLS_OK ? 0 : -1;
}

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb, (void)flag, (void)ftw;
    return remove(path);
}

static int remove_index(void **state)
{
    (void)state;
    return nftw(work, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static void note_problem(const char *where, const char *what, void *ctx)
{
    (void)ctx;
    snprintf(said + strlen(said), sizeof said - strlen(said), "%s: %s\n", where, what);
}

static size_t check(size_t *notes_held, size_t *passages)
{
    size_t problems = 0;
    said[0] = '\0';
    assert_int_equal(mls_upkeep_check(db_dir, note_problem, NULL, &problems, notes_held, passages,
                                      NULL),
                     MLS_OK);
    return problems;
}

static void test_whole_index(void **state)
{
    (void)state;
    size_t n, passages;
    assert_int_equal(check(&n, &passages), 0);
    assert_int_equal(n, 3);
    assert_int_equal(passages, 4);
    assert_string_equal(said, "");
}

/* A document of no note, then notes whose own document is gone. */
static void test_orphans_and_missing_passages(void **state)
{
    (void)state;
    mls_db *w = NULL;
    mls_doc *orphan = NULL;
    size_t n, passages;
    char expected[512];
    assert_int_equal(mls_db_open(db_dir, MLS_DB_WRITE, &w, NULL), MLS_OK);
    assert_int_equal(mls_db_begin(w), MLS_OK);
    assert_int_equal(mls_doc_new(&orphan), MLS_OK);
    assert_int_equal(mls_doc_set_data(orphan, "stray", 5), MLS_OK);
    assert_int_equal(mls_db_add_doc(w, orphan), MLS_OK);
    assert_int_equal(mls_db_commit(w), MLS_OK);
    mls_doc_free(orphan);
    mls_db_close(w);
    assert_int_equal(check(&n, &passages), 1);
    snprintf(expected, sizeof expected, "%s: 1 document belongs to no note\n", db_dir);
    assert_string_equal(said, expected);

    assert_int_equal(mls_db_open(db_dir, MLS_DB_WRITE, &w, NULL), MLS_OK);
    assert_int_equal(mls_db_begin(w), MLS_OK);
    assert_int_equal(mls_db_delete_term(w, "XTnote", 6), MLS_OK);
    assert_int_equal(mls_db_commit(w), MLS_OK);
    mls_db_close(w);
    assert_int_equal(check(&n, &passages), 3);
    snprintf(expected, sizeof expected,
             "%s/a.md: its passages are missing\n%s/b.md: its passages are missing\n"
             "%s: 1 document belongs to no note\n",
             notes, notes, db_dir);
    assert_string_equal(said, expected);
}

/* The size after a compaction is the measure: 1.5 times it is due. */
static void test_compaction_due(void **state)
{
    (void)state;
    const unsigned long long mb = MLS_COMPACT_MIN_BYTES;
    mls_upkeep_compacted(db_dir, 2 * mb);
    assert_int_equal(mls_upkeep_due(db_dir, 3 * mb, 0), 0);
    assert_int_equal(mls_upkeep_due(db_dir, 3 * mb + 1, 0), 1);
    /* 1.5 times a small index is too little to write it anew for. */
    mls_upkeep_compacted(db_dir, 1000);
    assert_int_equal(mls_upkeep_due(db_dir, 1501, 0), 0);
    assert_int_equal(mls_upkeep_due(db_dir, 1000 + mb, 0), 1);
    char path[128];
    snprintf(path, sizeof path, "%s/compacted", db_dir);
    assert_int_equal(remove(path), 0);
    /* Not known (an index from before): due after reading every note
     * again (an upgrade), else recorded now as the measure. */
    assert_int_equal(mls_upkeep_due(db_dir, 5 * mb, 1), 1);
    assert_int_equal(mls_upkeep_due(db_dir, 5 * mb, 0), 0);
    assert_int_equal(mls_upkeep_due(db_dir, 7 * mb, 0), 0);
    assert_int_equal(mls_upkeep_due(db_dir, 7 * mb + mb / 2 + 1, 0), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_whole_index),
        cmocka_unit_test(test_orphans_and_missing_passages),
        cmocka_unit_test(test_compaction_due),
    };
    return cmocka_run_group_tests(tests, make_index, remove_index);
}
