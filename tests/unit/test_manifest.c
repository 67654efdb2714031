/* test_manifest.c - unit tests of include/mlsearch/internal/manifest.h (the parts
 * that need no database).
 *
 * The contract checked:
 *  - mls_manifest_encode writes an entry as a record that
 *    mls_manifest_decode reads back with every field equal (path, size,
 *    mtime seconds and nanoseconds, inode, ctime seconds and nanoseconds,
 *    time of indexing, content hash, number of passages), the path in
 *    memory of its own;
 *  - mls_manifest_decode returns MLS_ERR_INVALID, and a NULL path, for
 *    what is not a manifest record: a passage record (passage.h),
 *    garbage, a record cut short;
 *  - it still reads a version-1 record, NUL-terminated decimal fields
 *        "mlsf1" PATH SIZE MTIME_SEC MTIME_NSEC INDEXED_AT PASSAGES
 *    (record.h: the final field may run to the end without a NUL), with
 *    inode, hash and ctime 0;
 *  - mls_manifest_add appends a copy of an entry with a copy of the path given,
 *    and mls_manifest_find finds a path in a sorted manifest, or NULL.
 *
 * The format of a version-2 record is the implementation's: only the
 * round trip is checked, and a cut record only where whole fields are
 * missing (a record cut inside its final field reads, per record.h, as a
 * shorter final field).  Records are copied into buffers of exactly `len`
 * bytes (no NUL), so that ASan or valgrind report reads past the end. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "test_support.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mlsearch/internal/manifest.h"
#include "mlsearch/passage.h"

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

static void manifest_free_cb(void *p)
{
    mls_manifest_free(p);
    free(p);
}

static mls_manifest *new_manifest(void)
{
    mls_manifest *m = calloc(1, sizeof *m);
    assert_non_null(m);
    return own(m, manifest_free_cb);
}

/* An entry whose every field differs from what decode should write, so
 * that a field it leaves alone shows. */
static void poison(mls_manifest_entry *e)
{
    memset(e, 0x5A, sizeof *e);
    e->path = NULL;
}

/* The record of `e`, in a buffer of exactly its length, held (own()). */
static char *encode(const mls_manifest_entry *e, size_t *len)
{
    char *out = NULL;
    *len = 0;
    mls_status st = mls_manifest_encode(e, &out, len);
    own(out, free);
    assert_int_equal(st, MLS_OK);
    assert_non_null(out);
    assert_true(*len > 0);
    char *exact = own(exact_copy(out, *len), free);
    release(out);
    return exact;
}

static void expect_same_entry(const mls_manifest_entry *got, const mls_manifest_entry *want)
{
    assert_non_null(got);
    assert_non_null(got->path);
    assert_string_equal(got->path, want->path);
    assert_int_equal(got->size, want->size);
    assert_int_equal(got->mtime_sec, want->mtime_sec);
    assert_int_equal(got->mtime_nsec, want->mtime_nsec);
    assert_int_equal(got->inode, want->inode);
    assert_int_equal(got->ctime_sec, want->ctime_sec);
    assert_int_equal(got->ctime_nsec, want->ctime_nsec);
    assert_int_equal(got->indexed_at, want->indexed_at);
    assert_true(got->hash == want->hash);
    assert_int_equal(got->passages, want->passages);
}

/* Encodes `e`, frees the record, and checks that decoding gave `e` back. */
static void expect_round_trip(const mls_manifest_entry *e)
{
    size_t len;
    char *rec = encode(e, &len);
    mls_manifest_entry got;
    poison(&got);
    mls_status st = mls_manifest_decode(rec, len, &got);
    own(got.path, free);
    release(rec); /* the decoded path must not point into it */
    if (st)
        print_error("record of \"%s\" not read back\n", e->path);
    assert_int_equal(st, MLS_OK);
    expect_same_entry(&got, e);
    assert_true(got.path != e->path);
    release(got.path);
}

/* `len` bytes that must not decode. */
static void expect_refused_full(const char *data, size_t len)
{
    char *buf = own(exact_copy(data, len), free);
    mls_manifest_entry e;
    poison(&e);
    mls_status st = mls_manifest_decode(buf, len, &e);
    if (!st) {
        own(e.path, free);
        print_error("decoded %zu bytes \"%.*s\" as \"%s\"\n", len, (int)len, data, e.path);
    }
    assert_int_equal(st, MLS_ERR_INVALID);
    assert_null(e.path);
    release(buf);
}

#define EXPECT_REFUSED(lit) expect_refused_full((lit), sizeof(lit) - 1)

/* Decodes a literal record that must be read; e->path is held (own()). */
static void decode_ok_full(const char *data, size_t len, mls_manifest_entry *e)
{
    char *buf = own(exact_copy(data, len), free);
    poison(e);
    mls_status st = mls_manifest_decode(buf, len, e);
    own(e->path, free);
    release(buf);
    assert_int_equal(st, MLS_OK);
    assert_non_null(e->path);
}

#define DECODE_OK(lit, e) decode_ok_full((lit), sizeof(lit) - 1, (e))

static mls_manifest_entry entry(char *path, long long size, long long sec)
{
    return (mls_manifest_entry){.path = path,
                                .size = size,
                                .mtime_sec = sec,
                                .mtime_nsec = sec % 1000000000,
                                .inode = 1000 + size,
                                .ctime_sec = sec + 1,
                                .ctime_nsec = 17,
                                .indexed_at = sec + 60,
                                .hash = (uint64_t)size * 0x9E3779B97F4A7C15u,
                                .passages = (size_t)size % 7,
                                .keep = 0};
}

/* ------------------------------------------------------------------ */
/* Encoding and decoding                                               */
/* ------------------------------------------------------------------ */

static void test_round_trip(void **state)
{
    (void)state;
    mls_manifest_entry e = {
        .path = "/home/user/notes/2024/推論 サーバー.md",
        .size = 12345,
        .mtime_sec = 1700000000,
        .mtime_nsec = 999999999,
        .inode = 9007199254740993LL, /* 2^53 + 1: no double holds it */
        .ctime_sec = 1700000001,
        .ctime_nsec = 1,
        .indexed_at = 1700000100,
        .hash = 0xFFFFFFFFFFFFFFFFu,
        .passages = 42,
    };
    expect_round_trip(&e);

    e.hash = 0x0123456789ABCDEFu;
    e.path = "/n.md";
    expect_round_trip(&e);

    e.hash = 0x8000000000000000u;
    expect_round_trip(&e);
}

static void test_round_trip_large(void **state)
{
    (void)state;
    mls_manifest_entry e = {
        .path = "/big",
        .size = LLONG_MAX,
        .mtime_sec = LLONG_MAX,
        .mtime_nsec = 999999999,
        .inode = LLONG_MAX,
        .ctime_sec = LLONG_MAX,
        .ctime_nsec = 999999999,
        .indexed_at = LLONG_MAX,
        .hash = UINT64_MAX,
        .passages = SIZE_MAX,
    };
    expect_round_trip(&e);

    /* every field different, so that two swapped fields would show */
    e = (mls_manifest_entry){.path = "/distinct fields/a b.md",
                             .size = 1,
                             .mtime_sec = 2,
                             .mtime_nsec = 3,
                             .inode = 4,
                             .ctime_sec = 5,
                             .ctime_nsec = 6,
                             .indexed_at = 7,
                             .hash = 8,
                             .passages = 9};
    expect_round_trip(&e);
}

static void test_round_trip_zero(void **state)
{
    (void)state;
    mls_manifest_entry e = {.path = "/"};
    expect_round_trip(&e);
    e.path = "/notes/empty.md";
    expect_round_trip(&e);
}

/* `keep` is not part of the record: an entry read from the index has not
 * been "found by this run's crawl", so decoding leaves it cleared. */
static void test_decode_clears_keep(void **state)
{
    (void)state;
    mls_manifest_entry e = entry("/notes/a.md", 10, 1700000000);
    e.keep = 1;
    size_t len;
    char *rec = encode(&e, &len);
    mls_manifest_entry got;
    poison(&got);
    mls_status st = mls_manifest_decode(rec, len, &got);
    own(got.path, free);
    assert_int_equal(st, MLS_OK);
    assert_int_equal(got.keep, 0);
    release(got.path);
    release(rec);
}

static void test_decode_passage_record(void **state)
{
    (void)state;
    mls_passage p = {
        .path = "/notes/a.md",
        .line = 1,
        .column = 1,
        .end_line = 2,
        .kind = MLS_BLOCK_PARAGRAPH,
        .text = "hello world",
        .text_len = 11,
    };
    char *rec = NULL;
    size_t len = 0;
    mls_status st = mls_passage_encode(&p, &rec, &len);
    own(rec, free);
    assert_int_equal(st, MLS_OK);
    expect_refused_full(rec, len);
    release(rec);

    /* a passage whose text is made of numbers, so that field counts agree */
    char *headings[] = {"1", "2"};
    p.headings = headings;
    p.heading_count = 2;
    p.text = "12";
    p.text_len = 2;
    st = mls_passage_encode(&p, &rec, &len);
    own(rec, free);
    assert_int_equal(st, MLS_OK);
    expect_refused_full(rec, len);
    release(rec);
}

static void test_decode_garbage(void **state)
{
    (void)state;
    expect_refused_full("", 0);
    EXPECT_REFUSED("hello");
    EXPECT_REFUSED("\0");
    EXPECT_REFUSED("mlsf2");
    EXPECT_REFUSED("mlsf2\0");
    EXPECT_REFUSED("mlsf2\0/a.md\0");
    EXPECT_REFUSED("mlsf1");
    EXPECT_REFUSED("mlsf1\0/a.md");
    EXPECT_REFUSED("\xff\xfe\xfd\xfc\0\x01\x02");
    /* a version that does not exist, and the magic in another case */
    /* clang-format off */
    EXPECT_REFUSED("mlsf3\0/a.md\0" "1\0" "2\0" "3\0" "4\0" "5\0" "6\0" "7\0" "8\0" "9\0");
    EXPECT_REFUSED("MLSF1\0/a.md\0" "1\0" "2\0" "3\0" "4\0" "5\0");
    EXPECT_REFUSED("mlsf\0/a.md\0" "1\0" "2\0" "3\0" "4\0" "5\0");
    /* version 1 with numbers that are not numbers */
    EXPECT_REFUSED("mlsf1\0/a.md\0" "x\0" "2\0" "3\0" "4\0" "5\0");
    EXPECT_REFUSED("mlsf1\0/a.md\0" "1\0" "\0" "3\0" "4\0" "5\0");
    EXPECT_REFUSED("mlsf1\0/a.md\0" "1\0" "2\0" "-3\0" "4\0" "5\0");
    EXPECT_REFUSED("mlsf1\0/a.md\0" "1\0" "2\0" "3\0" "4x\0" "5\0");
    EXPECT_REFUSED("mlsf1\0/a.md\0" "1\0" "2\0" "3\0" "4\0" " 5\0");
    EXPECT_REFUSED("mlsf1\0/a.md\0" "1\0" "2\0" "3\0" "4\0" "five\0");
}
/* clang-format on */

/* Every field of a version-2 record spoiled in turn: not a number. */
static void test_decode_spoiled_fields(void **state)
{
    (void)state;
    mls_manifest_entry e = {.path = "/p",
                            .size = 1,
                            .mtime_sec = 2,
                            .mtime_nsec = 3,
                            .inode = 4,
                            .ctime_sec = 5,
                            .ctime_nsec = 6,
                            .indexed_at = 7,
                            .hash = 8,
                            .passages = 9};
    size_t len;
    char *rec = encode(&e, &len);
    /* past the magic and the path, each number is one digit: spoil it
     * with a letter */
    const char *numbers = memchr(rec, '\0', len);
    assert_non_null(numbers);
    numbers = memchr(numbers + 1, '\0', len - (size_t)(numbers + 1 - rec));
    assert_non_null(numbers);
    int spoiled = 0;
    for (size_t i = (size_t)(numbers + 1 - rec); i < len; i++) {
        if (rec[i] < '1' || rec[i] > '9')
            continue;
        char saved = rec[i];
        rec[i] = 'z';
        expect_refused_full(rec, len);
        rec[i] = saved;
        spoiled++;
    }
    assert_int_equal(spoiled, 9);
    release(rec);
}

/* A record that lacks whole fields is refused. */
static void test_decode_truncated(void **state)
{
    (void)state;
    mls_manifest_entry e = {
        .path = "/home/user/notes/truncated.md",
        .size = 4096,
        .mtime_sec = 1700000000,
        .mtime_nsec = 123456789,
        .inode = 7777,
        .ctime_sec = 1700000005,
        .ctime_nsec = 987654321,
        .indexed_at = 1700000500,
        .hash = 0xDEADBEEFCAFEF00Du,
        .passages = 12,
    };
    size_t len;
    char *rec = encode(&e, &len);
    /* where the final field starts: after the NUL before it */
    assert_true(len >= 2);
    size_t last = len - 1;
    if (rec[last] == '\0')
        last--;
    while (last > 0 && rec[last - 1] != '\0')
        last--;
    assert_true(last > 0);
    for (size_t cut = 0; cut <= last; cut++)
        expect_refused_full(rec, cut);
    release(rec);
}

/* ------------------------------------------------------------------ */
/* Version 1                                                           */
/* ------------------------------------------------------------------ */

static void expect_v1_entry(const mls_manifest_entry *e)
{
    assert_string_equal(e->path, "/home/user/notes/old.md");
    assert_int_equal(e->size, 2048);
    assert_int_equal(e->mtime_sec, 1600000000);
    assert_int_equal(e->mtime_nsec, 250000000);
    assert_int_equal(e->indexed_at, 1600000300);
    assert_int_equal(e->passages, 17);
    assert_int_equal(e->inode, 0);
    assert_true(e->hash == 0);
    assert_int_equal(e->ctime_sec, 0);
    assert_int_equal(e->ctime_nsec, 0);
}

static void test_decode_v1(void **state)
{
    (void)state;
    mls_manifest_entry e;
    /* clang-format off */
    DECODE_OK("mlsf1\0/home/user/notes/old.md\0" "2048\0" "1600000000\0"
              "250000000\0" "1600000300\0" "17\0", &e);
    /* clang-format on */
    expect_v1_entry(&e);
    release(e.path);

    /* large values in version 1 */
    /* clang-format off */
    DECODE_OK("mlsf1\0/x\0" "9223372036854775807\0" "9223372036854775807\0"
              "999999999\0" "9223372036854775807\0" "4294967296\0", &e);
    /* clang-format on */
    assert_string_equal(e.path, "/x");
    assert_int_equal(e.size, LLONG_MAX);
    assert_int_equal(e.mtime_sec, LLONG_MAX);
    assert_int_equal(e.mtime_nsec, 999999999);
    assert_int_equal(e.indexed_at, LLONG_MAX);
    assert_int_equal(e.passages, (size_t)4294967296u);
    assert_int_equal(e.inode, 0);
    assert_true(e.hash == 0);
    assert_int_equal(e.ctime_sec, 0);
    assert_int_equal(e.ctime_nsec, 0);
    release(e.path);
}

static void test_decode_v1_truncated(void **state)
{
    (void)state;
    /* no PASSAGES field at all */
    /* clang-format off */
    EXPECT_REFUSED("mlsf1\0/home/user/notes/old.md\0" "2048\0" "1600000000\0"
                   "250000000\0" "1600000300\0");
    EXPECT_REFUSED("mlsf1\0/home/user/notes/old.md\0" "2048\0" "1600000000\0");
    /* clang-format on */
}

/* A note dated before 1970 (st_mtime < 0) keeps its times: a regression
 * test (it was once encoded as 18446744073709551615 and then refused). */
static void test_round_trip_negative_time(void **state)
{
    (void)state;
    mls_manifest_entry e = entry("/notes/1969.md", 10, 0);
    e.mtime_sec = -1;
    e.ctime_sec = -86400;
    expect_round_trip(&e);
}

/* ------------------------------------------------------------------ */
/* mls_manifest_add, mls_manifest_find, mls_manifest_free              */
/* ------------------------------------------------------------------ */

static void test_find_in_empty(void **state)
{
    (void)state;
    mls_manifest *m = new_manifest();
    assert_null(mls_manifest_find(m, "/notes/a.md"));
    assert_null(mls_manifest_find(m, ""));
    release(m);
}

static void test_add_copies(void **state)
{
    (void)state;
    mls_manifest *m = new_manifest();
    char path[32];
    strcpy(path, "/notes/a.md");
    mls_manifest_entry e = entry(path, 100, 1700000000);
    e.hash = UINT64_MAX;
    e.keep = 1;
    assert_int_equal(mls_manifest_add(m, &e, e.path), MLS_OK);
    assert_int_equal(m->count, 1);
    assert_true(m->capacity >= 1);
    assert_true(m->entries[0].path != path);
    strcpy(path, "/notes/zzzz"); /* the manifest holds its own copy */
    e.path = "/notes/a.md";
    expect_same_entry(&m->entries[0], &e);
    assert_int_equal(m->entries[0].keep, 1);
    release(m);
}

static void test_add_and_find(void **state)
{
    (void)state;
    static char *const paths[] = {
        "/notes/a.md",
        "/notes/b.md",
        "/notes/sub dir/c.md",
        "/notes/sub/d.md",
        "/notes/sub/e.md",
        "/notes/\xc3\xa9t\xc3\xa9.md",        /* é sorts after ASCII */
        "/notes/\xe6\x8e\xa8\xe8\xab\x96.md", /* 推論 */
    };
    size_t n = sizeof paths / sizeof paths[0];
    mls_manifest *m = new_manifest();
    for (size_t i = 0; i < n; i++) {
        if (i > 0)
            assert_true(strcmp(paths[i - 1], paths[i]) < 0);
        mls_manifest_entry e = entry(paths[i], (long long)(i + 1) * 100, 1700000000 + (long long)i);
        assert_int_equal(mls_manifest_add(m, &e, e.path), MLS_OK);
    }
    assert_int_equal(m->count, n);
    for (size_t i = 0; i < n; i++) {
        char *copy = own(exact_copy(paths[i], strlen(paths[i]) + 1), free);
        mls_manifest_entry *found = mls_manifest_find(m, copy);
        release(copy);
        if (found != &m->entries[i])
            print_error("find \"%s\"\n", paths[i]);
        assert_true(found == &m->entries[i]);
        mls_manifest_entry want =
            entry(paths[i], (long long)(i + 1) * 100, 1700000000 + (long long)i);
        expect_same_entry(found, &want);
    }
    static const char *const absent[] = {
        "",
        "/",
        "/notes",
        "/notes/",
        "/notes/a",
        "/notes/a.m",
        "/notes/a.md ",
        "/notes/a.mdx",
        "/notes/A.md",
        "/notes/aa.md",
        "/notes/c.md",
        "/notes/sub",
        "/notes/sub/",
        "/notes/sub/f.md",
        "/notes/\xc3\xa9t\xc3\xa9",
        "/a.md",
        "/zzz",
        "\xff",
    };
    for (size_t i = 0; i < sizeof absent / sizeof absent[0]; i++) {
        mls_manifest_entry *found = mls_manifest_find(m, absent[i]);
        if (found)
            print_error("found \"%s\" as \"%s\"\n", absent[i], found->path);
        assert_null(found);
    }
    release(m);
}

/* Many entries: the array grows, and every one is found. */
static void test_add_and_find_many(void **state)
{
    (void)state;
    mls_manifest *m = new_manifest();
    char path[64];
    for (int i = 0; i < 3000; i++) {
        snprintf(path, sizeof path, "/notes/%05d.md", i * 2);
        mls_manifest_entry e = entry(path, i, 1700000000 + i);
        assert_int_equal(mls_manifest_add(m, &e, e.path), MLS_OK);
    }
    assert_int_equal(m->count, 3000);
    assert_true(m->capacity >= 3000);
    for (int i = 0; i < 3000; i++) {
        snprintf(path, sizeof path, "/notes/%05d.md", i * 2);
        mls_manifest_entry *found = mls_manifest_find(m, path);
        assert_true(found == &m->entries[i]);
        assert_string_equal(found->path, path);
        assert_int_equal(found->size, i);
        assert_int_equal(found->mtime_sec, 1700000000 + i);
        /* the odd numbers between them are not there */
        snprintf(path, sizeof path, "/notes/%05d.md", i * 2 + 1);
        assert_null(mls_manifest_find(m, path));
    }
    assert_null(mls_manifest_find(m, "/notes/"));
    assert_null(mls_manifest_find(m, "/notes/99999.md"));
    release(m);
}

/* A decoded entry added to a manifest and found again (the load path). */
static void test_decode_add_find(void **state)
{
    (void)state;
    mls_manifest *m = new_manifest();
    mls_manifest_entry e1 = entry("/r/a.md", 1, 1700000001);
    mls_manifest_entry e2 = entry("/r/b.md", 2, 1700000002);
    e2.hash = UINT64_MAX;
    e2.inode = LLONG_MAX;
    const mls_manifest_entry *in[] = {&e1, &e2};
    for (size_t i = 0; i < 2; i++) {
        size_t len;
        char *rec = encode(in[i], &len);
        mls_manifest_entry got;
        poison(&got);
        mls_status st = mls_manifest_decode(rec, len, &got);
        own(got.path, free);
        release(rec);
        assert_int_equal(st, MLS_OK);
        assert_int_equal(mls_manifest_add(m, &got, got.path), MLS_OK);
        release(got.path); /* the manifest holds its own copy */
    }
    expect_same_entry(mls_manifest_find(m, "/r/b.md"), &e2);
    expect_same_entry(mls_manifest_find(m, "/r/a.md"), &e1);
    assert_null(mls_manifest_find(m, "/r/c.md"));
    release(m);
}

static void test_manifest_free(void **state)
{
    (void)state;
    /* an empty manifest, and one that holds entries: nothing leaks (ASan) */
    mls_manifest empty = {0};
    mls_manifest_free(&empty);

    mls_manifest *m = new_manifest();
    for (int i = 0; i < 10; i++) {
        char path[32];
        snprintf(path, sizeof path, "/n/%d.md", i);
        mls_manifest_entry e = entry(path, i, i);
        assert_int_equal(mls_manifest_add(m, &e, e.path), MLS_OK);
    }
    assert_int_equal(m->count, 10);
    release(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_round_trip, teardown),
        cmocka_unit_test_teardown(test_round_trip_large, teardown),
        cmocka_unit_test_teardown(test_round_trip_zero, teardown),
        cmocka_unit_test_teardown(test_decode_clears_keep, teardown),
        cmocka_unit_test_teardown(test_decode_passage_record, teardown),
        cmocka_unit_test_teardown(test_decode_garbage, teardown),
        cmocka_unit_test_teardown(test_decode_spoiled_fields, teardown),
        cmocka_unit_test_teardown(test_decode_truncated, teardown),
        cmocka_unit_test_teardown(test_decode_v1, teardown),
        cmocka_unit_test_teardown(test_decode_v1_truncated, teardown),
        cmocka_unit_test_teardown(test_round_trip_negative_time, teardown),
        cmocka_unit_test_teardown(test_find_in_empty, teardown),
        cmocka_unit_test_teardown(test_add_copies, teardown),
        cmocka_unit_test_teardown(test_add_and_find, teardown),
        cmocka_unit_test_teardown(test_add_and_find_many, teardown),
        cmocka_unit_test_teardown(test_decode_add_find, teardown),
        cmocka_unit_test_teardown(test_manifest_free, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
