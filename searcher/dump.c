/* dump.c - every passage of the index as JSON lines (see search.h). */
#include "mlsearch/search.h"
#include "mlsearch/internal/grow.h"
#include "mlsearch/internal/note_record.h"
#include "mlsearch/internal/note_texts.h"

#include "mlsearch/escape.h"
#include "mlsearch/internal/terms.h"
#include "mlsearch/internal/utf8.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* A passage, and its note's date. */
typedef struct dated {
    mls_passage passage;
    char date[MLS_DATE_SIZE];
} dated;

typedef struct collected {
    mls_db *db;
    dated *items;
    size_t count, cap;
    mls_status status;
} collected;

/* Every passage of one note's record. */
static int collect(unsigned docid, const char *data, size_t len, void *ctx)
{
    collected *c = ctx;
    mls_note_record *r;
    char date[MLS_DATE_SIZE];
    c->status = mls_note_record_decode(data, len, &r);
    if (!c->status)
        c->status = mls_note_texts_read_all(c->db, docid, r);
    if (!c->status)
        c->status = mls_db_doc_value(c->db, docid, MLS_SLOT_DATE, date, sizeof date);
    for (size_t i = 0; !c->status && i < r->passage_count; i++) {
        dated *d = mls_grow(&c->items, &c->cap, c->count + 1, sizeof *c->items)
                       ? &c->items[c->count]
                       : NULL;
        if (!d)
            c->status = MLS_ERR_NOMEM;
        else if (!(c->status = mls_note_record_passage(r, i, 0, &d->passage))) {
            memcpy(d->date, date, sizeof date);
            c->count++;
        }
    }
    mls_note_record_free(r);
    return c->status != MLS_OK;
}

static int by_path_and_line(const void *a, const void *b)
{
    const mls_passage *x = &((const dated *)a)->passage, *y = &((const dated *)b)->passage;
    int c = strcmp(x->path, y->path);
    if (c)
        return c;
    return x->line < y->line ? -1 : x->line > y->line;
}

static void json_strings(FILE *out, char *const *v, size_t n)
{
    putc('[', out);
    for (size_t i = 0; i < n; i++) {
        if (i)
            putc(',', out);
        mls_json_string(out, v[i], strlen(v[i]));
    }
    putc(']', out);
}

static const char *kind_name(mls_block_kind kind)
{
    switch (kind) {
    case MLS_BLOCK_PARAGRAPH: return "paragraph";
    case MLS_BLOCK_HEADING: return "heading";
    case MLS_BLOCK_CODE: return "code";
    case MLS_BLOCK_HTML: return "html";
    }
    return "paragraph";
}

mls_status mls_dump_passages(mls_db *db, FILE *out)
{
    collected c = {.db = db};
    mls_status st = mls_db_foreach_data(db, MLS_TERM_NOTE, strlen(MLS_TERM_NOTE), collect, &c);
    if (!st)
        st = c.status;
    if (!st) {
        if (c.count > 1)
            qsort(c.items, c.count, sizeof *c.items, by_path_and_line);
        /* Until a write fails: a reader that is gone (`| head`) wants
         * no more. */
        for (size_t i = 0; i < c.count && !ferror(out); i++) {
            const mls_passage *p = &c.items[i].passage;
            /* A path is a plain string, or ripgrep's {"bytes":...} when
             * it is not UTF-8. */
            fputs("{\"path\":", out);
            if (mls_utf8_valid(p->path, strlen(p->path)))
                mls_json_string(out, p->path, strlen(p->path));
            else
                mls_json_data(out, p->path, strlen(p->path));
            fputs(",\"date\":", out);
            mls_json_string_or_null(out, c.items[i].date);
            fprintf(out, ",\"line\":%u,\"column\":%u,\"end_line\":%u,\"kind\":\"%s\",\"headings\":",
                    p->line, p->column, p->end_line, kind_name(p->kind));
            json_strings(out, p->headings, p->heading_count);
            fputs(",\"items\":", out);
            json_strings(out, p->items, p->item_count);
            fputs(",\"text\":", out);
            mls_json_string(out, p->text, p->text_len);
            fputs("}\n", out);
        }
    }
    if (!st && ferror(out))
        st = MLS_ERR_IO;
    int write_error = errno;
    for (size_t i = 0; i < c.count; i++)
        mls_passage_clear(&c.items[i].passage);
    free(c.items);
    errno = write_error;
    return st;
}
