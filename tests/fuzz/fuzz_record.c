/* fuzz_record.c - mls_passage_decode and mls_passage_decode_path on any
 * bytes: the index may be damaged, and a bad record must be refused with
 * MLS_ERR_DB_CORRUPT, never read out of bounds.
 *
 * It checks:
 *  - failure is MLS_ERR_DB_CORRUPT (or out of memory) and leaves the
 *    passage cleared, the path NULL;
 *  - what decodes has a known kind and its text NUL-terminated, and its
 *    path is what decode_path reads (which succeeds whenever decode does);
 *  - a decoded passage encodes to a record that decodes to the same
 *    fields, and encodes again to the very same bytes (a fixed point:
 *    numbers such as "007" are only read, never written). */
#include "fuzz_support.h"

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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const mls_passage cleared;
    mls_passage p, q;
    char *path = NULL, *rec = NULL, *rec2 = NULL;
    size_t rec_len, rec2_len;

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
