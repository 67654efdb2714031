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
 *    nothing out of bounds (the input is an exact heap copy);
 *  - a note of few texts keeps them in its record; larger ones go into
 *    chunks of at most MLS_NOTE_CHUNK_BYTES: the record keeps each text's
 *    length and hash, and reading the chunks back (in any order) gives
 *    every text; a chunk that is not the one asked for (another chunk, a
 *    changed byte, a cut, a record) is refused and changes nothing;
 *  - encode refuses a chunk plan that skips or goes back. */
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
    {MLS_BLOCK_HEADING, 1, 1, 1, 0, 2, NULL, 0, NULL, 0, TEXT("# 推論"), 0, 0},
    {MLS_BLOCK_PARAGRAPH, 3, 1, 4, 3, 9, head_ids, 1, NULL, 0, TEXT("AML(マネーロンダリング対策)"),
     0, 0},
    {MLS_BLOCK_CODE, 7, 3, 9, 9, 9, head_ids, 2, item_ids, 1, TEXT(""), 0, 0},
    {MLS_BLOCK_HTML, 12, 5, 12, 10, 4000000000u, head_ids, 2, item_ids, 1, TEXT("<b>x</b>"), 0, 0},
};

static mls_note_record sample(void)
{
    return (mls_note_record){TEXT("/notes/推論.md"), contexts, 3, passages, 4, 0, NULL, NULL, NULL};
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
    mls_note_record r = {TEXT("/n.md"), contexts, 3, p, 2, 0, NULL, NULL, NULL};

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
    mls_note_record rc = {TEXT("/n.md"), c, 2, NULL, 0, 0, NULL, NULL, NULL};
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

    /* Magic, empty path, no context, one passage (no chunks): kind 1,
     * line 1, column 1, one line, positions 0-0, no headings, no items,
     * text "ab": a good record, which each case below breaks once. */
    static const char good[] = "mlsn2\0\0\0\0\1\0\1\2\1\0\0\0\1\1\2ab";
    mls_note_record *r;
    assert_int_equal(mls_note_record_decode(good, sizeof good, &r), MLS_OK);
    assert_string_equal(r->passages[0].text, "ab");
    mls_note_record_free(r);
    /* the text has no NUL after it */
    static const char no_nul[] = "mlsn2\0\0\0\0\1\0\1\2\1\0\0\0\1\1\2abc";
    expect_corrupt(no_nul, sizeof no_nul - 1);
    /* magic, then 2^63 contexts */
    static const char huge[] = "mlsn2\0\0\0\x80\x80\x80\x80\x80\x80\x80\x80\x80\1";
    expect_corrupt(huge, sizeof huge - 1);
    /* a passage naming context 0 */
    static const char dangling[] = "mlsn2\0\0\0\0\1\0\1\2\1\0\0\0\2\0\1\2ab";
    expect_corrupt(dangling, sizeof dangling);
    /* the first passage saying its headings are those of the one before */
    static const char no_before[] = "mlsn2\0\0\0\0\1\0\1\2\1\0\0\0\0\1\2ab";
    expect_corrupt(no_before, sizeof no_before);
    /* a line before line 0 */
    static const char negative_line[] = "mlsn2\0\0\0\0\1\0\1\1\1\0\0\0\1\1\2ab";
    expect_corrupt(negative_line, sizeof negative_line);
    /* two chunks for one passage */
    static const char chunks[] = "mlsn2\0\0\0\0\1\2\1\1\1\2\1\0\0\0\1\1\2abcd";
    expect_corrupt(chunks, sizeof chunks - 1);
    /* a chunk of no passage */
    static const char empty_chunk[] = "mlsn2\0\0\0\0\1\1\0\1\2\1\0\0\0\1\1\2abcd";
    expect_corrupt(empty_chunk, sizeof empty_chunk - 1);
    /* a varint of eleven bytes */
    static const char long_varint[] = "mlsn2\0\0\0\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\1";
    expect_corrupt(long_varint, sizeof long_varint - 1);
    /* no context written overlong: 0 as two bytes */
    static const char overlong[] = "mlsn2\0\0\0\x80\0\0";
    expect_corrupt(overlong, sizeof overlong - 1);
}

/* A note of three passages of 7,000 bytes each: the first two fill a
 * chunk, the third starts the next. */
#define LONG_TEXT 7000
static char long_texts[3][LONG_TEXT + 1];
static mls_note_passage long_passages[3];

static mls_note_record long_note(void)
{
    for (size_t i = 0; i < 3; i++) {
        memset(long_texts[i], 'a' + (int)i, LONG_TEXT);
        long_texts[i][LONG_TEXT] = '\0';
        long_passages[i] = (mls_note_passage){.kind = MLS_BLOCK_PARAGRAPH,
                                              .line = 1 + 2 * (unsigned)i,
                                              .column = 1,
                                              .end_line = 1 + 2 * (unsigned)i,
                                              .first_pos = 2 * (unsigned)i,
                                              .end_pos = 2 * (unsigned)i + 1,
                                              .text = long_texts[i],
                                              .text_len = LONG_TEXT};
    }
    mls_note_record r = {TEXT("/notes/long.md"), NULL, 0, long_passages, 3, 0, NULL, NULL, NULL};
    mls_note_record_split(&r);
    return r;
}

static char *encode_chunk(const mls_note_record *r, size_t k, size_t *len)
{
    char *data;
    assert_int_equal(mls_note_record_encode_chunk(r, k, &data, len), MLS_OK);
    char *exact = own(exact_copy(data, *len), free);
    free(data);
    return exact;
}

static void test_small_note_keeps_its_texts(void **state)
{
    (void)state;
    mls_note_record r = sample();
    mls_note_record_split(&r);
    assert_int_equal(r.chunk_count, 0);
    for (size_t i = 0; i < r.passage_count; i++)
        assert_int_equal(r.passages[i].chunk, 0);
    char *data = (char *)"not touched";
    size_t len;
    assert_int_equal(mls_note_record_encode_chunk(&r, 0, &data, &len), MLS_ERR_INVALID);
    assert_null(data);
}

static void test_chunks_round_trip(void **state)
{
    (void)state;
    mls_note_record want = long_note(), *got;
    assert_int_equal(want.chunk_count, 2);
    assert_int_equal(want.passages[0].chunk, 0);
    assert_int_equal(want.passages[1].chunk, 0);
    assert_int_equal(want.passages[2].chunk, 1);
    assert_true(want.passages[0].text_hash != want.passages[1].text_hash);
    size_t len, len0, len1;
    char *data = encode(&want, &len);
    assert_true(len < 100); /* the texts are not in it */
    char *chunk0 = encode_chunk(&want, 0, &len0), *chunk1 = encode_chunk(&want, 1, &len1);
    assert_true(mls_note_record_is_chunk(chunk0, len0));
    assert_false(mls_note_record_is_chunk(data, len));

    assert_int_equal(mls_note_record_decode(data, len, &got), MLS_OK);
    own(got, free_record);
    assert_int_equal(got->chunk_count, 2);
    for (size_t i = 0; i < 3; i++) {
        assert_null(got->passages[i].text);
        assert_int_equal(got->passages[i].text_len, LONG_TEXT);
        assert_int_equal(got->passages[i].text_hash, want.passages[i].text_hash);
        assert_int_equal(got->passages[i].chunk, want.passages[i].chunk);
    }
    mls_passage p;
    assert_int_equal(mls_note_record_passage(got, 2, 0, &p), MLS_ERR_INVALID);
    assert_int_equal(mls_note_record_add_chunk(got, 1, chunk1, len1), MLS_OK);
    assert_null(got->passages[0].text);
    assert_string_equal(got->passages[2].text, long_texts[2]);
    assert_int_equal(mls_note_record_add_chunk(got, 0, chunk0, len0), MLS_OK);
    release(chunk0);
    release(chunk1); /* the texts must not point into them */
    expect_same(got, &want);

    /* Encoded again from what was read, the record is the same bytes. */
    char *again;
    size_t again_len;
    assert_int_equal(mls_note_record_encode(got, &again, &again_len), MLS_OK);
    assert_int_equal(again_len, len);
    assert_memory_equal(again, data, len);
    free(again);
    release(got);

    for (size_t cut = 0; cut < len; cut++)
        expect_corrupt(data, cut);
    release(data);
}

static void expect_chunk_refused(mls_note_record *r, size_t k, const char *data, size_t len)
{
    char *buf = own(exact_copy(data, len), free);
    assert_int_equal(mls_note_record_add_chunk(r, k, buf, len), MLS_ERR_DB_CORRUPT);
    for (size_t i = 0; i < r->passage_count; i++)
        assert_null(r->passages[i].text);
    release(buf);
}

static void test_wrong_chunks_are_refused(void **state)
{
    (void)state;
    mls_note_record want = long_note(), *got;
    size_t len, len0, len1;
    char *data = encode(&want, &len);
    char *chunk0 = encode_chunk(&want, 0, &len0), *chunk1 = encode_chunk(&want, 1, &len1);
    assert_int_equal(mls_note_record_decode(data, len, &got), MLS_OK);
    own(got, free_record);

    expect_chunk_refused(got, 1, chunk0, len0); /* another chunk */
    expect_chunk_refused(got, 0, chunk1, len1);
    expect_chunk_refused(got, 2, chunk1, len1); /* no chunk 2 */
    expect_chunk_refused(got, 0, data, len);    /* the record */
    for (size_t cut = 0; cut < len0; cut += 997)
        expect_chunk_refused(got, 0, chunk0, cut);
    chunk0[len0 / 2] = 'z'; /* one byte of a text changed */
    expect_chunk_refused(got, 0, chunk0, len0);
    release(got);
    release(chunk0);
    release(chunk1);
    release(data);
}

static void test_encode_refuses_broken_chunks(void **state)
{
    (void)state;
    mls_note_record r = long_note();
    r.passages[2].chunk = 2; /* skips chunk 1 */
    expect_invalid(&r);
    r.chunk_count = 3;
    expect_invalid(&r);
    r = long_note();
    r.passages[1].chunk = 1; /* goes back */
    r.passages[2].chunk = 0;
    expect_invalid(&r);
    r = long_note();
    r.chunk_count = 3; /* no passage in the last chunk */
    expect_invalid(&r);
    r = long_note();
    r.passages[0].chunk = 1; /* not from 0 */
    expect_invalid(&r);
    r = long_note();
    long_passages[1].text = NULL; /* a chunk of texts not there */
    char *data = (char *)"not touched";
    size_t len;
    assert_int_equal(mls_note_record_encode_chunk(&r, 0, &data, &len), MLS_ERR_INVALID);
    assert_null(data);
    r.chunk_count = 0; /* kept in the record, but not there */
    for (size_t i = 0; i < 3; i++)
        long_passages[i].chunk = 0;
    expect_invalid(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_round_trip, teardown),
        cmocka_unit_test_teardown(test_empty_round_trip, teardown),
        cmocka_unit_test_teardown(test_encode_refuses_broken_records, teardown),
        cmocka_unit_test_teardown(test_decode_refuses_every_cut, teardown),
        cmocka_unit_test_teardown(test_decode_refuses_damage, teardown),
        cmocka_unit_test_teardown(test_small_note_keeps_its_texts, teardown),
        cmocka_unit_test_teardown(test_chunks_round_trip, teardown),
        cmocka_unit_test_teardown(test_wrong_chunks_are_refused, teardown),
        cmocka_unit_test_teardown(test_encode_refuses_broken_chunks, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
