/* fuzz_record.c - mls_passage_decode, mls_passage_decode_path and
 * mls_note_record_decode on any bytes: the index may be damaged, and a bad
 * record must be refused with MLS_ERR_DB_CORRUPT, never read out of
 * bounds.
 *
 * It checks:
 *  - failure is MLS_ERR_DB_CORRUPT (or out of memory) and leaves the
 *    passage cleared, the path NULL;
 *  - what decodes has a known kind and its text NUL-terminated, and its
 *    path is what decode_path reads (which succeeds whenever decode does);
 *  - a decoded passage encodes to a record that decodes to the same
 *    fields, and encodes again to the very same bytes (a fixed point:
 *    numbers such as "007" are only read, never written);
 *  - a note record that decodes keeps the rules encode keeps (positions
 *    never go back, context indexes in range, texts NUL-terminated or in
 *    chunks, chunks in order), and encodes to the very bytes it was read
 *    from;
 *  - the bytes read as chunk 0 of a note of chunked texts are refused, or
 *    give each of its passages a NUL-terminated text of its length. */
#include "fuzz_support.h"

#include "mlsearch/internal/note_record.h"
#include "mlsearch/passage.h"

static void check_same(const mls_passage *a, const mls_passage *b)
{
    CHECK(!strcmp(a->path, b->path));
    CHECK(a->line == b->line && a->column == b->column && a->end_line == b->end_line);
    CHECK(a->kind == b->kind);
    CHECK(a->heading_count == b->heading_count && a->item_count == b->item_count);
    for (size_t i = 0; i < a->heading_count; i++)
        CHECK(!strcmp(a->headings[i], b->headings[i]));
    for (size_t i = 0; i < a->item_count; i++)
        CHECK(!strcmp(a->items[i], b->items[i]));
    CHECK(a->text_len == b->text_len && !memcmp(a->text, b->text, a->text_len));
}

static void check_note_record(const char *data, size_t size)
{
    static mls_note_record poison; /* decode must set r, to NULL on failure */
    mls_note_record *r = &poison;
    char *again = NULL;
    size_t again_len;
    mls_status st = mls_note_record_decode(data, size, &r);
    CHECK(st == MLS_OK || st == MLS_ERR_DB_CORRUPT || st == MLS_ERR_NOMEM);
    CHECK((st == MLS_OK) == (r != NULL));
    if (st)
        return;
    unsigned end = 0;
    for (size_t i = 0; i < r->context_count; i++) {
        const mls_note_context *c = &r->contexts[i];
        CHECK(c->kind <= MLS_CONTEXT_ITEM && c->first_pos >= end && c->end_pos >= c->first_pos);
        CHECK(c->text[c->text_len] == '\0' && c->text_len < size);
        end = c->end_pos;
    }
    end = 0;
    for (size_t i = 0; i < r->passage_count; i++) {
        const mls_note_passage *p = &r->passages[i];
        CHECK(p->kind <= MLS_BLOCK_HTML && p->end_line >= p->line);
        CHECK(p->first_pos >= end && p->end_pos >= p->first_pos);
        for (size_t k = 0; k < p->heading_count; k++)
            CHECK(p->headings[k] < r->context_count);
        for (size_t k = 0; k < p->item_count; k++)
            CHECK(p->items[k] < r->context_count);
        CHECK(r->chunk_count ? !p->text && p->chunk < r->chunk_count
                             : p->text[p->text_len] == '\0' && p->text_len < size);
        CHECK(i ? p->chunk == r->passages[i - 1].chunk || p->chunk == r->passages[i - 1].chunk + 1
                : p->chunk == 0);
        end = p->end_pos;
    }
    st = mls_note_record_encode(r, &again, &again_len);
    CHECK(st == MLS_OK || st == MLS_ERR_NOMEM);
    if (!st)
        CHECK(again_len == size && !memcmp(again, data, size));
    free(again);
    mls_note_record_free(r);
}

/* Chunk 0 of a note whose texts are in chunks: the bytes as that chunk. */
static void check_chunk(const char *data, size_t size)
{
    static char texts[3][2000];
    mls_note_passage p[3];
    for (size_t i = 0; i < 3; i++) {
        memset(texts[i], 'a' + (int)i, sizeof texts[i] - 1);
        p[i] = (mls_note_passage){
            .line = 1, .end_line = 1, .text = texts[i], .text_len = sizeof texts[i] - 1 - 500 * i};
    }
    mls_note_record note = {.path = "/n.md", .path_len = 5, .passages = p, .passage_count = 3};
    mls_note_record_split(&note);
    CHECK(note.chunk_count == 1);
    char *table;
    size_t table_len;
    mls_note_record *r;
    if (mls_note_record_encode(&note, &table, &table_len) != MLS_OK)
        return;
    mls_status st = mls_note_record_decode(table, table_len, &r);
    free(table);
    if (st)
        return;
    st = mls_note_record_add_chunk(r, 0, data, size);
    CHECK(st == MLS_OK || st == MLS_ERR_DB_CORRUPT || st == MLS_ERR_NOMEM);
    for (size_t i = 0; i < 3; i++) {
        const mls_note_passage *q = &r->passages[i];
        CHECK(st ? !q->text : q->text[q->text_len] == '\0' && q->text_len < size);
    }
    mls_note_record_free(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const mls_passage cleared;
    mls_passage p, q;
    char *path = NULL, *rec = NULL, *rec2 = NULL;
    size_t rec_len, rec2_len;

    check_note_record((const char *)data, size);
    check_chunk((const char *)data, size);
    mls_status path_st = mls_passage_decode_path((const char *)data, size, &path);
    CHECK(path_st == MLS_OK || path_st == MLS_ERR_DB_CORRUPT || path_st == MLS_ERR_NOMEM);
    CHECK((path_st == MLS_OK) == (path != NULL));

    mls_status st = mls_passage_decode((const char *)data, size, &p);
    CHECK(st == MLS_OK || st == MLS_ERR_DB_CORRUPT || st == MLS_ERR_NOMEM);
    if (st != MLS_OK) {
        CHECK(!memcmp(&p, &cleared, sizeof p));
        free(path);
        return 0;
    }
    CHECK(path_st == MLS_OK && !strcmp(path, p.path));
    CHECK(p.kind <= MLS_BLOCK_HTML);
    CHECK(p.text && p.text[p.text_len] == '\0');
    CHECK(p.text_len <= size);

    if (mls_passage_encode(&p, &rec, &rec_len) == MLS_OK) {
        st = mls_passage_decode(rec, rec_len, &q);
        CHECK(st == MLS_OK || st == MLS_ERR_NOMEM);
        if (st == MLS_OK) {
            check_same(&p, &q);
            if (mls_passage_encode(&q, &rec2, &rec2_len) == MLS_OK)
                CHECK(rec2_len == rec_len && !memcmp(rec, rec2, rec_len));
            mls_passage_clear(&q);
        }
    }
    free(rec);
    free(rec2);
    free(path);
    mls_passage_clear(&p);
    return 0;
}
