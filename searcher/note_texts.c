/* note_texts.c - the texts of a note's passages, read out of the index
 * when they are needed (see note_texts.h). */
#include "mlsearch/internal/note_texts.h"

#include <limits.h>
#include <stdlib.h>

static mls_status read_chunk(mls_db *db, unsigned docid, mls_note_record *rec, size_t k)
{
    char *data;
    size_t len;
    if (k >= (size_t)LONG_MAX)
        return MLS_ERR_DB_CORRUPT;
    mls_status st = mls_db_doc_data_at(db, docid, (long)k + 1, &data, &len);
    if (!st)
        st = mls_note_record_add_chunk(rec, k, data, len);
    free(data);
    return st;
}

mls_status mls_note_texts_read(mls_db *db, unsigned docid, mls_note_record *rec, size_t i)
{
    const mls_note_passage *p = &rec->passages[i];
    return p->text ? MLS_OK : read_chunk(db, docid, rec, p->chunk);
}

mls_status mls_note_texts_read_all(mls_db *db, unsigned docid, mls_note_record *rec)
{
    mls_status st = MLS_OK;
    for (size_t i = 0; i < rec->passage_count && !st; i++)
        st = mls_note_texts_read(db, docid, rec, i);
    return st;
}
