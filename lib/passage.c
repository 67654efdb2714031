/* passage.c - passage lists and the record stored with each passage.
 *
 * The record is a run of NUL-terminated fields, numbers in decimal:
 *   "mls1" path line column end_line kind
 *   heading_count heading... item_count item... text
 * Sanitized note text never holds a NUL (mls_utf8_sanitize replaces it), so
 * NUL is a safe separator, and the text, last, needs no length. */
#include "mlsearch/passage.h"
#include "mlsearch/grow.h"

#include <errno.h>
#include <stdio.h>
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

/* A growing byte buffer for the encoder. */
typedef struct outbuf {
    char *data;
    size_t len, cap;
    int failed;
} outbuf;

static void put(outbuf *b, const char *s, size_t n)
{
    if (b->failed)
        return;
    if (!mls_grow(&b->data, &b->cap, b->len + n + 1, 1)) {
        b->failed = 1;
        return;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

static void put_field(outbuf *b, const char *s)
{
    put(b, s, strlen(s) + 1); /* with its NUL */
}

static void put_number(outbuf *b, size_t n)
{
    char digits[32];
    snprintf(digits, sizeof digits, "%zu", n);
    put_field(b, digits);
}

mls_status mls_passage_encode(const mls_passage *p, char **out, size_t *out_len)
{
    outbuf b = {0};

    put_field(&b, record_magic);
    put_field(&b, p->path);
    put_number(&b, p->line);
    put_number(&b, p->column);
    put_number(&b, p->end_line);
    put_number(&b, (size_t)p->kind);
    put_number(&b, p->heading_count);
    for (size_t i = 0; i < p->heading_count; i++)
        put_field(&b, p->headings[i]);
    put_number(&b, p->item_count);
    for (size_t i = 0; i < p->item_count; i++)
        put_field(&b, p->items[i]);
    put(&b, p->text, p->text_len);
    if (b.failed) {
        free(b.data);
        *out = NULL;
        return MLS_ERR_NOMEM;
    }
    *out = b.data;
    *out_len = b.len;
    return MLS_OK;
}

/* A cursor over the record being decoded. */
typedef struct reader {
    const char *at, *end;
} reader;

/* The next NUL-terminated field, or NULL when the record ends first. */
static const char *next_field(reader *r)
{
    const char *nul = memchr(r->at, '\0', (size_t)(r->end - r->at));
    if (!nul)
        return NULL;
    const char *field = r->at;
    r->at = nul + 1;
    return field;
}

static int next_number(reader *r, size_t max, size_t *out)
{
    const char *f = next_field(r);
    char *endp;
    if (!f || *f < '0' || *f > '9')
        return 0;
    errno = 0;
    unsigned long long v = strtoull(f, &endp, 10);
    if (errno || *endp || v > max)
        return 0;
    *out = (size_t)v;
    return 1;
}

static mls_status next_strings(reader *r, char ***out, size_t *count)
{
    size_t n;
    /* Each string takes at least its NUL, which bounds a sane count. */
    if (!next_number(r, (size_t)(r->end - r->at), &n))
        return MLS_ERR_DB_CORRUPT;
    *count = 0;
    *out = NULL;
    if (n == 0)
        return MLS_OK;
    *out = calloc(n, sizeof **out);
    if (!*out)
        return MLS_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) {
        const char *f = next_field(r);
        if (!f)
            return MLS_ERR_DB_CORRUPT;
        (*out)[i] = strdup(f);
        if (!(*out)[i])
            return MLS_ERR_NOMEM;
        (*count)++;
    }
    return MLS_OK;
}

mls_status mls_passage_decode(const char *data, size_t len, mls_passage *p)
{
    reader r = {data, data + len};
    size_t line, column, end_line, kind;
    const char *magic, *path;
    mls_status st = MLS_ERR_DB_CORRUPT;

    memset(p, 0, sizeof *p);
    magic = next_field(&r);
    if (!magic || strcmp(magic, record_magic) != 0)
        return MLS_ERR_DB_CORRUPT;
    path = next_field(&r);
    if (!path || !next_number(&r, 0xFFFFFFFFu, &line) ||
        !next_number(&r, 0xFFFFFFFFu, &column) ||
        !next_number(&r, 0xFFFFFFFFu, &end_line) ||
        !next_number(&r, MLS_BLOCK_HTML, &kind))
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
