/* test_note_record.c - unit tests of include/mlsearch/internal/note_record.h.
 *
 * The contract checked:
 *  - mls_note_record_encode writes a record that mls_note_record_decode
 *    reads back with every field equal: the path, contexts (kind, text, positions),
 *    passages (kind, line, column, end line, positions, heading and item
 *    indexes, text), texts NUL-terminated; an empty record too;
 *  - encode refuses (MLS_ERR_INVALID) positions that go back, a range
 *    that ends before it starts, a context index out of range;
 *  - decode refuses (MLS_ERR_DB_CORRUPT, *out NULL) every cut of a good
 *    record, a wrong magic, bytes left over, a text without its NUL, a
 *    count the bytes cannot hold, a number written overlong, and reads
 *    nothing out of bounds (the input is an exact heap copy). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "mlsearch/internal/note_record.h"
#include "test_support.h"

#include <limits.h>
#include <stdio.h>

static const unsigned head_ids[] = {0, 1}, item_ids[] = {2};

#define TEXT(s) s, sizeof(s) - 1

/* A note: "# 推論" over a paragraph and a list item's nested paragraph. */
static mls_note_context contexts[] = {
    {MLS_CONTEXT_HEADING, TEXT("推論"), 20, 22},
    {MLS_CONTEXT_HEADING, TEXT("サーバー"), 23, 28},
    {MLS_CONTEXT_ITEM, TEXT("GPU を使う"), 29, 33},
};
static mls_note_passage passages[] = {
    {MLS_BLOCK_HEADING, 1, 1, 1, 0, 2, NULL, 0, NULL, 0, TEXT("# 推論")},
    {MLS_BLOCK_PARAGRAPH, 3, 1, 4, 3, 9, head_ids, 1, NULL, 0, TEXT("AML(マネーロンダリング対策)")},
    {MLS_BLOCK_CODE, 7, 3, 9, 9, 9, head_ids, 2, item_ids, 1, TEXT("")},
    {MLS_BLOCK_HTML, 12, 5, 12, 10, 4000000000u, head_ids, 2, item_ids, 1, TEXT("<b>x</b>")},
};

static mls_note_record sample(void)
{
    return (mls_note_record){TEXT("/notes/推論.md"), contexts, 3, passages, 4, NULL, NULL};
}

static char *encode(const mls_note_record *r, size_t *len)
{
    char *data;
    assert_int_equal(mls_note_record_encode(r, &data, len), MLS_OK);
    char *exact = own(exact_copy(data, *len), free);
    free(data);
    return exact;
}

static void free_record(void *r)
{
    mls_note_record_free(r);
}

static void expect_same(const mls_note_record *got, const mls_note_record *want)
{
    assert_int_equal(got->path_len, want->path_len);
    assert_string_equal(got->path, want->path);
    assert_int_equal(got->context_count, want->context_count);
    for (size_t i = 0; i < want->context_count; i++) {
        const mls_note_context *g = &got->contexts[i], *w = &want->contexts[i];
        assert_int_equal(g->kind, w->kind);
        assert_int_equal(g->text_len, w->text_len);
        assert_string_equal(g->text, w->text);
        assert_int_equal(g->first_pos, w->first_pos);
        assert_int_equal(g->end_pos, w->end_pos);
    }
    assert_int_equal(got->passage_count, want->passage_count);
    for (size_t i = 0; i < want->passage_count; i++) {
        const mls_note_passage *g = &got->passages[i], *w = &want->passages[i];
        assert_int_equal(g->kind, w->kind);
        assert_int_equal(g->line, w->line);
        assert_int_equal(g->column, w->column);
        assert_int_equal(g->end_line, w->end_line);
        assert_int_equal(g->first_pos, w->first_pos);
        assert_int_equal(g->end_pos, w->end_pos);
        assert_int_equal(g->heading_count, w->heading_count);
        for (size_t k = 0; k < w->heading_count; k++)
            assert_int_equal(g->headings[k], w->headings[k]);
        assert_int_equal(g->item_count, w->item_count);
        for (size_t k = 0; k < w->item_count; k++)
            assert_int_equal(g->items[k], w->items[k]);
        assert_int_equal(g->text_len, w->text_len);
        assert_string_equal(g->text, w->text);
    }
}

static void test_round_trip(void **state)
{
    (void)state;
    mls_note_record want = sample(), *got;
    size_t len;
    char *data = encode(&want, &len);
    assert_int_equal(mls_note_record_decode(data, len, &got), MLS_OK);
    own(got, free_record);
    release(data); /* the decoded texts must not point into it */
    expect_same(got, &want);
    release(got);
}

static void test_empty_round_trip(void **state)
{
    (void)state;
    mls_note_record want = {0}, *got;
    size_t len;
    char *data = encode(&want, &len);
    assert_int_equal(mls_note_record_decode(data, len, &got), MLS_OK);
    own(got, free_record);
    assert_int_equal(got->path_len, 0);
    assert_string_equal(got->path, "");
    assert_int_equal(got->context_count, 0);
    assert_int_equal(got->passage_count, 0);
    release(got);
    release(data);
}

static void expect_invalid(const mls_note_record *r)
{
    char *data = (char *)"not touched";
    size_t len = 7;
    assert_int_equal(mls_note_record_encode(r, &data, &len), MLS_ERR_INVALID);
    assert_null(data);
    assert_int_equal(len, 0);
}

static void test_encode_refuses_broken_records(void **state)
{
    (void)state;
    mls_note_passage p[2] = {passages[1], passages[2]};
    mls_note_record r = {TEXT("/n.md"), contexts, 3, p, 2, NULL, NULL};

    p[1].first_pos = p[0].end_pos - 1; /* overlaps the one before */
    expect_invalid(&r);
    p[1] = passages[2];
    p[1].end_pos = p[1].first_pos - 1;
    expect_invalid(&r);
    p[1] = passages[2];
    unsigned bad[] = {3};
    p[1].items = bad;
    expect_invalid(&r);
    p[1] = passages[2];
    p[1].end_line = p[1].line - 1;
    expect_invalid(&r);
    mls_note_context c[2] = {contexts[1], contexts[0]}; /* positions go back */
    mls_note_record rc = {TEXT("/n.md"), c, 2, NULL, 0, NULL, NULL};
    expect_invalid(&rc);
}

static void expect_corrupt(const char *data, size_t len)
{
    char *buf = own(exact_copy(data, len), free);
    static mls_note_record poison;
    mls_note_record *r = &poison; /* must be set to NULL */
    mls_status st = mls_note_record_decode(buf, len, &r);
    if (st != MLS_ERR_DB_CORRUPT)
        print_error("%zu bytes decoded with status %d\n", len, st);
    assert_int_equal(st, MLS_ERR_DB_CORRUPT);
    assert_null(r);
    release(buf);
}

static void test_decode_refuses_every_cut(void **state)
{
    (void)state;
    mls_note_record want = sample();
    size_t len;
    char *data = encode(&want, &len);
    for (size_t cut = 0; cut < len; cut++)
        expect_corrupt(data, cut);
    release(data);
}

static void test_decode_refuses_damage(void **state)
{
    (void)state;
    mls_note_record want = sample();
    size_t len;
    char *data = encode(&want, &len);
    char *more = own(malloc(len + 1), free);
    memcpy(more, data, len);
    more[len] = 'x';
    expect_corrupt(more, len + 1); /* a byte left over */
    data[0] = 'X';
    expect_corrupt(data, len); /* not the magic */
    release(more);
    release(data);

    /* magic, no context, one passage whose text has no NUL after it */
    static const char no_nul[] = "mlsn1\0\0\0\0\1\1\2\1\0\0\0\1\1\2abc";
    expect_corrupt(no_nul, sizeof no_nul - 1);
    /* magic, then 2^63 contexts */
    static const char huge[] = "mlsn1\0\0\0\x80\x80\x80\x80\x80\x80\x80\x80\x80\1";
    expect_corrupt(huge, sizeof huge - 1);
    /* magic, no context, a passage naming context 0 */
    static const char dangling[] = "mlsn1\0\0\0\0\1\1\2\1\0\0\0\2\0\1\0\0";
    expect_corrupt(dangling, sizeof dangling - 1);
    /* the first passage saying its headings are those of the one before */
    static const char no_before[] = "mlsn1\0\0\0\0\1\1\2\1\0\0\0\0\1\0\0";
    expect_corrupt(no_before, sizeof no_before - 1);
    /* a line before line 0 */
    static const char negative_line[] = "mlsn1\0\0\0\0\1\1\1\1\0\0\0\1\1\0\0";
    expect_corrupt(negative_line, sizeof negative_line - 1);
    /* a varint of eleven bytes */
    static const char long_varint[] = "mlsn1\0\0\0\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\1";
    expect_corrupt(long_varint, sizeof long_varint - 1);
    /* no context written overlong: 0 as two bytes */
    static const char overlong[] = "mlsn1\0\0\0\x80\0\0";
    expect_corrupt(overlong, sizeof overlong - 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_round_trip, teardown),
        cmocka_unit_test_teardown(test_empty_round_trip, teardown),
        cmocka_unit_test_teardown(test_encode_refuses_broken_records, teardown),
        cmocka_unit_test_teardown(test_decode_refuses_every_cut, teardown),
        cmocka_unit_test_teardown(test_decode_refuses_damage, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
