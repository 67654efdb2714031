/* note_record.c - a note as its index document keeps it (see
 * note_record.h). */
#include "mlsearch/internal/note_record.h"
#include "mlsearch/internal/grow.h"
#include "mlsearch/internal/hash.h"
#include "mlsearch/internal/record.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char note_magic[] = "mlsn2", chunk_magic[] = "mlst2";

static uint32_t text_hash(const char *text, size_t len)
{
    return (uint32_t)mls_hash64(text, len);
}

void mls_note_record_split(mls_note_record *r)
{
    size_t all = 0, in_chunk = 0, chunk = 0;
    for (size_t i = 0; i < r->passage_count; i++)
        all += r->passages[i].text_len + 1;
    for (size_t i = 0; i < r->passage_count; i++) {
        mls_note_passage *p = &r->passages[i];
        p->text_hash = text_hash(p->text, p->text_len);
        if (in_chunk && in_chunk + p->text_len + 1 > MLS_NOTE_CHUNK_BYTES)
            chunk++, in_chunk = 0;
        in_chunk += p->text_len + 1;
        p->chunk = all > MLS_NOTE_INLINE_BYTES ? chunk : 0;
    }
    r->chunk_count = all > MLS_NOTE_INLINE_BYTES && r->passage_count ? chunk + 1 : 0;
}

static void put_text(mls_record_writer *w, const char *text, size_t len)
{
    mls_record_put_varint(w, len);
    mls_record_put(w, text, len);
    mls_record_put(w, "", 1); /* its NUL */
}

static int same_ids(const unsigned *a, size_t an, const unsigned *b, size_t bn)
{
    return an == bn && (an == 0 || !memcmp(a, b, an * sizeof *a));
}

/* A list of context indexes: 0 when it is the one the passage before
 * has (most passages sit under the same headings as the one before),
 * else its count + 1 and the indexes. */
static void put_ids(mls_record_writer *w, const unsigned *ids, size_t n, const unsigned *before,
                    size_t before_n, int first)
{
    if (!first && same_ids(ids, n, before, before_n)) {
        mls_record_put_varint(w, 0);
        return;
    }
    mls_record_put_varint(w, n + 1);
    for (size_t i = 0; i < n; i++)
        mls_record_put_varint(w, ids[i]);
}

/* A line as the difference from the line before, zigzag-coded (passages
 * come in the note's order, so it is small, and never far negative). */
static void put_line(mls_record_writer *w, unsigned line, unsigned before)
{
    long long d = (long long)line - (long long)before;
    mls_record_put_varint(w, d >= 0 ? (unsigned long long)d * 2 : (unsigned long long)(-d) * 2 - 1);
}

/* 1 if the record keeps the rules mls_note_record_encode() states. */
static int well_formed(const mls_note_record *r)
{
    unsigned end = 0;
    for (size_t i = 0; i < r->context_count; i++) {
        const mls_note_context *c = &r->contexts[i];
        if (c->first_pos < end || c->end_pos < c->first_pos)
            return 0;
        end = c->end_pos;
    }
    end = 0;
    for (size_t i = 0; i < r->passage_count; i++) {
        const mls_note_passage *p = &r->passages[i];
        if (p->first_pos < end || p->end_pos < p->first_pos || p->end_line < p->line ||
            p->kind > MLS_BLOCK_HTML)
            return 0;
        for (size_t k = 0; k < p->heading_count; k++)
            if (p->headings[k] >= r->context_count)
                return 0;
        for (size_t k = 0; k < p->item_count; k++)
            if (p->items[k] >= r->context_count)
                return 0;
        /* Chunks hold runs of passages, none empty. */
        size_t chunk_before = i ? r->passages[i - 1].chunk : 0;
        if (r->chunk_count ? p->chunk < chunk_before || p->chunk > chunk_before + 1 ||
                                 p->chunk >= r->chunk_count || (!i && p->chunk)
                           : p->chunk || !p->text)
            return 0;
        end = p->end_pos;
    }
    return !r->chunk_count ||
           (r->passage_count && r->passages[r->passage_count - 1].chunk + 1 == r->chunk_count);
}

/* How many passages chunk `k` holds, from `*from` on (where the next
 * chunk's start is left). */
static size_t chunk_size(const mls_note_record *r, size_t k, size_t *from)
{
    size_t n = 0;
    while (*from + n < r->passage_count && r->passages[*from + n].chunk == k)
        n++;
    *from += n;
    return n;
}

mls_status mls_note_record_encode(const mls_note_record *r, char **out, size_t *out_len)
{
    mls_record_writer w = {0};
    unsigned end = 0;

    *out = NULL;
    *out_len = 0;
    if (!well_formed(r))
        return MLS_ERR_INVALID;
    mls_record_put_field(&w, note_magic);
    put_text(&w, r->path ? r->path : "", r->path ? r->path_len : 0);
    mls_record_put_varint(&w, r->context_count);
    for (size_t i = 0; i < r->context_count; i++) {
        const mls_note_context *c = &r->contexts[i];
        mls_record_put_varint(&w, c->kind);
        mls_record_put_varint(&w, c->first_pos - end);
        mls_record_put_varint(&w, c->end_pos - c->first_pos);
        put_text(&w, c->text, c->text_len);
        end = c->end_pos;
    }
    end = 0;
    mls_record_put_varint(&w, r->passage_count);
    mls_record_put_varint(&w, r->chunk_count);
    for (size_t k = 0, from = 0; k < r->chunk_count; k++)
        mls_record_put_varint(&w, chunk_size(r, k, &from));
    for (size_t i = 0; i < r->passage_count; i++) {
        const mls_note_passage *p = &r->passages[i];
        const mls_note_passage *b = i ? &r->passages[i - 1] : NULL;
        mls_record_put_varint(&w, p->kind);
        put_line(&w, p->line, b ? b->line : 0);
        mls_record_put_varint(&w, p->column);
        mls_record_put_varint(&w, p->end_line - p->line);
        mls_record_put_varint(&w, p->first_pos - end);
        mls_record_put_varint(&w, p->end_pos - p->first_pos);
        put_ids(&w, p->headings, p->heading_count, b ? b->headings : NULL, b ? b->heading_count : 0,
                !b);
        put_ids(&w, p->items, p->item_count, b ? b->items : NULL, b ? b->item_count : 0, !b);
        if (r->chunk_count) { /* its text in a chunk: its length and hash */
            unsigned char hash[4] = {
                (unsigned char)(p->text_hash >> 24), (unsigned char)(p->text_hash >> 16),
                (unsigned char)(p->text_hash >> 8), (unsigned char)p->text_hash};
            mls_record_put_varint(&w, p->text_len);
            mls_record_put(&w, (const char *)hash, sizeof hash);
        } else {
            put_text(&w, p->text, p->text_len);
        }
        end = p->end_pos;
    }
    return mls_record_finish(&w, out, out_len);
}

mls_status mls_note_record_encode_chunk(const mls_note_record *r, size_t k, char **out,
                                        size_t *out_len)
{
    mls_record_writer w = {0};

    *out = NULL;
    *out_len = 0;
    if (k >= r->chunk_count)
        return MLS_ERR_INVALID;
    mls_record_put_field(&w, chunk_magic);
    for (size_t i = 0; i < r->passage_count; i++) {
        const mls_note_passage *p = &r->passages[i];
        if (p->chunk != k)
            continue;
        if (!p->text) {
            free(w.data);
            return MLS_ERR_INVALID;
        }
        mls_record_put(&w, p->text, p->text_len);
        mls_record_put(&w, "", 1);
    }
    return mls_record_finish(&w, out, out_len);
}

int mls_note_record_is_chunk(const char *data, size_t len)
{
    return len >= sizeof chunk_magic && !memcmp(data, chunk_magic, sizeof chunk_magic);
}

/* The reading of one record: where it is, and what failed. */
typedef struct reading {
    mls_record_reader in;
    mls_status status; /* MLS_ERR_DB_CORRUPT once anything is amiss */
} reading;

static unsigned long long number(reading *rd, unsigned long long max)
{
    unsigned long long v = 0;
    if (!rd->status && !mls_record_varint(&rd->in, max, &v))
        rd->status = MLS_ERR_DB_CORRUPT;
    return rd->status ? 0 : v;
}

/* A position `delta` after `from`, within unsigned. */
static unsigned position(reading *rd, unsigned from)
{
    return from + (unsigned)number(rd, UINT_MAX - from);
}

static const char *text(reading *rd, size_t *len)
{
    *len = (size_t)number(rd, SIZE_MAX - 1);
    const char *s = rd->status ? NULL : mls_record_bytes(&rd->in, *len + 1);
    if (!rd->status && (!s || s[*len] != '\0'))
        rd->status = MLS_ERR_DB_CORRUPT;
    return rd->status ? NULL : s;
}

/* Reads a list of context indexes into r->ids_ (its count in *n, its
 * start in *at: pointers are set once the storage stops moving); `same`
 * is where the list of the passage before starts and `same_n` its count,
 * or NULL for the first passage. */
static void ids(reading *rd, mls_note_record *r, size_t *cap, size_t *used, size_t *at, size_t *n,
                const size_t *same, size_t same_n)
{
    size_t left = (size_t)(rd->in.end - rd->in.at);
    size_t v = (size_t)number(rd, left); /* each index takes a byte at least */
    if (!rd->status && v == 0) {
        if (!same)
            rd->status = MLS_ERR_DB_CORRUPT;
        *at = same ? *same : 0;
        *n = same_n;
        return;
    }
    *n = v ? v - 1 : 0;
    *at = *used;
    if (!rd->status && !mls_grow(&r->ids_, cap, *used + *n + 1, sizeof *r->ids_))
        rd->status = MLS_ERR_NOMEM;
    for (size_t k = 0; k < *n && !rd->status; k++)
        r->ids_[(*used)++] = (unsigned)number(rd, r->context_count ? r->context_count - 1 : 0);
    if (!rd->status && *n > 0 && r->context_count == 0)
        rd->status = MLS_ERR_DB_CORRUPT;
    /* One list, one way to write it: the same as before is written 0. */
    if (!rd->status && same && same_ids(r->ids_ + *at, *n, r->ids_ + *same, same_n))
        rd->status = MLS_ERR_DB_CORRUPT;
}

/* A line written by put_line() after `before`. */
static unsigned line_after(reading *rd, unsigned before)
{
    unsigned long long z = number(rd, 2ULL * UINT_MAX + 1);
    long long line = (long long)before + (z & 1 ? -(long long)((z + 1) / 2) : (long long)(z / 2));
    if (!rd->status && (line < 0 || line > (long long)UINT_MAX))
        rd->status = MLS_ERR_DB_CORRUPT;
    return rd->status ? 0 : (unsigned)line;
}

static void read_contexts(reading *rd, mls_note_record *r)
{
    unsigned end = 0;
    size_t left = (size_t)(rd->in.end - rd->in.at);
    r->context_count = (size_t)number(rd, left / 4); /* four bytes each at least */
    if (!rd->status && r->context_count &&
        !(r->contexts = calloc(r->context_count, sizeof *r->contexts)))
        rd->status = MLS_ERR_NOMEM;
    for (size_t i = 0; i < r->context_count && !rd->status; i++) {
        mls_note_context *c = &r->contexts[i];
        c->kind = (mls_context_kind)number(rd, MLS_CONTEXT_ITEM);
        c->first_pos = position(rd, end);
        c->end_pos = position(rd, c->first_pos);
        c->text = text(rd, &c->text_len);
        end = c->end_pos;
    }
}

/* The chunk counts after the passage count: each passage's chunk. */
static void read_chunks(reading *rd, mls_note_record *r)
{
    size_t left = (size_t)(rd->in.end - rd->in.at), from = 0;
    r->chunk_count = (size_t)number(rd, r->passage_count < left ? r->passage_count : left);
    if (!rd->status && r->chunk_count && !(r->chunks_ = calloc(r->chunk_count, sizeof *r->chunks_)))
        rd->status = MLS_ERR_NOMEM;
    for (size_t k = 0; k < r->chunk_count && !rd->status; k++) {
        size_t n = (size_t)number(rd, r->passage_count - from);
        if (!rd->status && n == 0)
            rd->status = MLS_ERR_DB_CORRUPT;
        for (size_t i = from; i < from + n && !rd->status; i++)
            r->passages[i].chunk = k;
        from += n;
    }
    if (!rd->status && r->chunk_count && from != r->passage_count)
        rd->status = MLS_ERR_DB_CORRUPT;
}

/* A passage's text: in the record, or its length and hash when it is in
 * a chunk. */
static void passage_text(reading *rd, const mls_note_record *r, mls_note_passage *p)
{
    if (!r->chunk_count) {
        p->text = text(rd, &p->text_len);
        p->text_hash = p->text ? text_hash(p->text, p->text_len) : 0;
        return;
    }
    p->text_len = (size_t)number(rd, SIZE_MAX - 1);
    const unsigned char *h =
        rd->status ? NULL : (const unsigned char *)mls_record_bytes(&rd->in, 4);
    if (!rd->status && !h)
        rd->status = MLS_ERR_DB_CORRUPT;
    if (!rd->status)
        p->text_hash = (uint32_t)h[0] << 24 | (uint32_t)h[1] << 16 | (uint32_t)h[2] << 8 | h[3];
}

static void read_passages(reading *rd, mls_note_record *r)
{
    unsigned end = 0;
    size_t left = (size_t)(rd->in.end - rd->in.at), cap = 0, used = 0;
    size_t(*at)[2] = NULL; /* where each passage's headings and items start in ids_ */
    r->passage_count = (size_t)number(rd, left / 10); /* ten bytes each at least */
    if (!rd->status && r->passage_count &&
        (!(r->passages = calloc(r->passage_count, sizeof *r->passages)) ||
         !(at = calloc(r->passage_count, sizeof *at))))
        rd->status = MLS_ERR_NOMEM;
    read_chunks(rd, r);
    for (size_t i = 0; i < r->passage_count && !rd->status; i++) {
        mls_note_passage *p = &r->passages[i];
        p->kind = (mls_block_kind)number(rd, MLS_BLOCK_HTML);
        const mls_note_passage *b = i ? &r->passages[i - 1] : NULL;
        p->line = line_after(rd, b ? b->line : 0);
        p->column = (unsigned)number(rd, UINT_MAX);
        p->end_line = position(rd, p->line);
        p->first_pos = position(rd, end);
        p->end_pos = position(rd, p->first_pos);
        ids(rd, r, &cap, &used, &at[i][0], &p->heading_count, b ? &at[i - 1][0] : NULL,
            b ? b->heading_count : 0);
        ids(rd, r, &cap, &used, &at[i][1], &p->item_count, b ? &at[i - 1][1] : NULL,
            b ? b->item_count : 0);
        passage_text(rd, r, p);
        end = p->end_pos;
    }
    for (size_t i = 0; i < r->passage_count && !rd->status; i++) {
        r->passages[i].headings = r->ids_ + at[i][0];
        r->passages[i].items = r->ids_ + at[i][1];
    }
    free(at);
}

mls_status mls_note_record_decode(const char *data, size_t len, mls_note_record **out)
{
    mls_note_record *r = calloc(1, sizeof *r);
    reading rd = {{NULL, NULL}, MLS_OK};

    *out = NULL;
    if (!r || !(r->bytes_ = malloc(len + 1))) {
        free(r);
        return MLS_ERR_NOMEM;
    }
    memcpy(r->bytes_, data, len);
    r->bytes_[len] = '\0';
    rd.in = (mls_record_reader){r->bytes_, r->bytes_ + len};
    const char *magic = mls_record_field(&rd.in);
    if (!magic || strcmp(magic, note_magic) != 0)
        rd.status = MLS_ERR_DB_CORRUPT;
    r->path = text(&rd, &r->path_len);
    read_contexts(&rd, r);
    read_passages(&rd, r);
    if (!rd.status && rd.in.at != rd.in.end)
        rd.status = MLS_ERR_DB_CORRUPT; /* bytes left over */
    if (rd.status) {
        mls_note_record_free(r);
        return rd.status;
    }
    *out = r;
    return MLS_OK;
}

mls_status mls_note_record_add_chunk(mls_note_record *r, size_t k, const char *data, size_t len)
{
    size_t first = 0;
    while (first < r->passage_count && r->passages[first].chunk != k)
        first++;
    if (k >= r->chunk_count || !mls_note_record_is_chunk(data, len))
        return MLS_ERR_DB_CORRUPT;
    if (r->chunks_[k])
        return MLS_OK;
    char *copy = malloc(len);
    if (!copy)
        return MLS_ERR_NOMEM;
    memcpy(copy, data, len);
    /* Check it all before a text points into it. */
    size_t at = sizeof chunk_magic, end = first;
    for (; end < r->passage_count && r->passages[end].chunk == k; end++) {
        const mls_note_passage *p = &r->passages[end];
        if (len - at < p->text_len + 1 || copy[at + p->text_len] != '\0' ||
            text_hash(copy + at, p->text_len) != p->text_hash) {
            free(copy);
            return MLS_ERR_DB_CORRUPT;
        }
        at += p->text_len + 1;
    }
    if (at != len) {
        free(copy);
        return MLS_ERR_DB_CORRUPT;
    }
    r->chunks_[k] = copy;
    for (size_t i = first, off = sizeof chunk_magic; i < end; i++) {
        r->passages[i].text = copy + off;
        off += r->passages[i].text_len + 1;
    }
    return MLS_OK;
}

/* Copies of the texts of `n` contexts of `r`, by index, into *out. */
static int copy_contexts(const mls_note_record *r, const unsigned *ids, size_t n, char ***out)
{
    *out = n ? calloc(n, sizeof **out) : NULL;
    if (n && !*out)
        return 0;
    for (size_t k = 0; k < n; k++)
        if (!((*out)[k] = strndup(r->contexts[ids[k]].text, r->contexts[ids[k]].text_len)))
            return 0;
    return 1;
}

mls_status mls_note_record_passage(const mls_note_record *r, size_t i, int path_only,
                                   mls_passage *out)
{
    const mls_note_passage *p = &r->passages[i];
    if (!path_only && !p->text)
        return MLS_ERR_INVALID; /* its chunk is not read */
    *out = (mls_passage){
        .line = p->line, .column = p->column, .end_line = p->end_line, .kind = p->kind};
    out->path = strndup(r->path, r->path_len);
    int ok = out->path != NULL;
    if (ok && !path_only) {
        out->heading_count = p->heading_count;
        out->item_count = p->item_count;
        ok = copy_contexts(r, p->headings, p->heading_count, &out->headings) &&
             copy_contexts(r, p->items, p->item_count, &out->items) &&
             (out->text = strndup(p->text, p->text_len)) != NULL;
        out->text_len = p->text_len;
    }
    if (!ok) {
        mls_passage_clear(out);
        return MLS_ERR_NOMEM;
    }
    return MLS_OK;
}

void mls_note_record_free(mls_note_record *r)
{
    if (!r)
        return;
    free(r->contexts);
    free(r->passages);
    free(r->ids_);
    free(r->bytes_);
    for (size_t k = 0; r->chunks_ && k < r->chunk_count; k++)
        free(r->chunks_[k]);
    free(r->chunks_);
    free(r);
}
