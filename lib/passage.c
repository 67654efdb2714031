/* passage.c - passage lists and the record stored with each passage.
 *
 * The record (record.h) holds, in order:
 *   "mls1" path line column end_line kind
 *   heading_count heading... item_count item... text
 * The text comes last and runs to the end of the record. */
#include "mlsearch/passage.h"
#include "mlsearch/internal/record.h"

#include <stdlib.h>
#include <string.h>

static const char record_magic[] = "mls1";

static void free_strings(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

void mls_passage_clear(mls_passage *p)
{
    if (!p)
        return;
    free(p->path);
    free_strings(p->headings, p->heading_count);
    free_strings(p->items, p->item_count);
    free(p->text);
    memset(p, 0, sizeof *p);
}

void mls_passage_list_free(mls_passage_list *list)
{
    if (!list)
        return;
    for (size_t i = 0; i < list->count; i++)
        mls_passage_clear(&list->items[i]);
    free(list->items);
    memset(list, 0, sizeof *list);
}

mls_status mls_passage_encode(const mls_passage *p, char **out, size_t *out_len)
{
    mls_record_writer w = {0};

    mls_record_put_field(&w, record_magic);
    mls_record_put_field(&w, p->path);
    mls_record_put_number(&w, p->line);
    mls_record_put_number(&w, p->column);
    mls_record_put_number(&w, p->end_line);
    mls_record_put_number(&w, (unsigned long long)p->kind);
    mls_record_put_number(&w, p->heading_count);
    for (size_t i = 0; i < p->heading_count; i++)
        mls_record_put_field(&w, p->headings[i]);
    mls_record_put_number(&w, p->item_count);
    for (size_t i = 0; i < p->item_count; i++)
        mls_record_put_field(&w, p->items[i]);
    mls_record_put(&w, p->text, p->text_len);
    return mls_record_finish(&w, out, out_len);
}

static mls_status next_strings(mls_record_reader *r, char ***out, size_t *count)
{
    unsigned long long n;
    /* Each string takes at least its NUL, which bounds a sane count. */
    if (!mls_record_number(r, (unsigned long long)(r->end - r->at), &n))
        return MLS_ERR_DB_CORRUPT;
    *count = 0;
    *out = NULL;
    if (n == 0)
        return MLS_OK;
    *out = calloc((size_t)n, sizeof **out);
    if (!*out)
        return MLS_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) {
        const char *f = mls_record_field(r);
        if (!f)
            return MLS_ERR_DB_CORRUPT;
        (*out)[i] = strdup(f);
        if (!(*out)[i])
            return MLS_ERR_NOMEM;
        (*count)++;
    }
    return MLS_OK;
}

mls_status mls_passage_decode_path(const char *data, size_t len, char **path)
{
    mls_record_reader r = {data, data + len};
    const char *magic = mls_record_field(&r), *field;
    *path = NULL;
    if (!magic || strcmp(magic, record_magic) != 0 || !(field = mls_record_field(&r)))
        return MLS_ERR_DB_CORRUPT;
    *path = strdup(field);
    return *path ? MLS_OK : MLS_ERR_NOMEM;
}

mls_status mls_passage_decode(const char *data, size_t len, mls_passage *p)
{
    mls_record_reader r = {data, data + len};
    unsigned long long line, column, end_line, kind;
    const char *magic, *path;
    mls_status st = MLS_ERR_DB_CORRUPT;

    memset(p, 0, sizeof *p);
    magic = mls_record_field(&r);
    if (!magic || strcmp(magic, record_magic) != 0)
        return MLS_ERR_DB_CORRUPT;
    path = mls_record_field(&r);
    if (!path || !mls_record_number(&r, 0xFFFFFFFFu, &line) ||
        !mls_record_number(&r, 0xFFFFFFFFu, &column) ||
        !mls_record_number(&r, 0xFFFFFFFFu, &end_line) ||
        !mls_record_number(&r, MLS_BLOCK_HTML, &kind))
        return MLS_ERR_DB_CORRUPT;
    p->line = (unsigned)line;
    p->column = (unsigned)column;
    p->end_line = (unsigned)end_line;
    p->kind = (mls_block_kind)kind;
    p->path = strdup(path);
    if (!p->path) {
        st = MLS_ERR_NOMEM;
        goto fail;
    }
    st = next_strings(&r, &p->headings, &p->heading_count);
    if (!st)
        st = next_strings(&r, &p->items, &p->item_count);
    if (st)
        goto fail;
    p->text_len = (size_t)(r.end - r.at);
    p->text = malloc(p->text_len + 1);
    if (!p->text) {
        st = MLS_ERR_NOMEM;
        goto fail;
    }
    memcpy(p->text, r.at, p->text_len);
    p->text[p->text_len] = '\0';
    return MLS_OK;
fail:
    /* next_strings() may leave a partly filled array whose count is right. */
    mls_passage_clear(p);
    return st;
}
