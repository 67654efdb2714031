/* manifest.c - the manifest entries of notes (see manifest.h). */
#include "mlsearch/internal/manifest.h"
#include "mlsearch/internal/grow.h"
#include "mlsearch/internal/record.h"
#include "mlsearch/internal/terms.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* The record: magic, path, size, mtime seconds, nanoseconds, inode, time
 * of indexing, number of passages, content hash, ctime seconds and
 * nanoseconds. */
static const char manifest_magic[] = "mlsf2", manifest_magic_v1[] = "mlsf1";

mls_status mls_manifest_encode(const mls_manifest_entry *e, char **out, size_t *out_len)
{
    mls_record_writer w = {0};
    mls_record_put_field(&w, manifest_magic);
    mls_record_put_field(&w, e->path);
    mls_record_put_number(&w, (unsigned long long)e->size);
    mls_record_put_number(&w, (unsigned long long)e->mtime_sec);
    mls_record_put_number(&w, (unsigned long long)e->mtime_nsec);
    mls_record_put_number(&w, (unsigned long long)e->inode);
    mls_record_put_number(&w, (unsigned long long)e->indexed_at);
    mls_record_put_number(&w, e->passages);
    mls_record_put_number(&w, e->hash);
    mls_record_put_number(&w, (unsigned long long)e->ctime_sec);
    mls_record_put_number(&w, (unsigned long long)e->ctime_nsec);
    return mls_record_finish(&w, out, out_len);
}

mls_status mls_manifest_decode(const char *data, size_t len, mls_manifest_entry *e)
{
    mls_record_reader r = {data, data + len};
    const char *magic = mls_record_field(&r), *path = mls_record_field(&r);
    unsigned long long size, sec, nsec, inode = 0, at, passages, hash = 0, csec = 0, cnsec = 0;
    /* Version 1 (before inode, hash and ctime) still reads: the note's
     * next change is then told by size and mtime alone. */
    int v1 = magic && strcmp(magic, manifest_magic_v1) == 0;

    e->path = NULL;
    /* Negative times (before 1970) are written as their two's complement
     * and read back through the same conversion; so are inodes past 2^63. */
    if (!magic || (!v1 && strcmp(magic, manifest_magic) != 0) || !path ||
        !mls_record_number(&r, LLONG_MAX, &size) || !mls_record_number(&r, ULLONG_MAX, &sec) ||
        !mls_record_number(&r, LLONG_MAX, &nsec) ||
        (!v1 && !mls_record_number(&r, ULLONG_MAX, &inode)) ||
        !mls_record_number(&r, LLONG_MAX, &at) || !mls_record_number(&r, SIZE_MAX, &passages) ||
        (!v1 &&
         (!mls_record_number(&r, UINT64_MAX, &hash) || !mls_record_number(&r, ULLONG_MAX, &csec) ||
          !mls_record_number(&r, LLONG_MAX, &cnsec))))
        return MLS_ERR_INVALID;
    *e = (mls_manifest_entry){.path = strdup(path),
                              .size = (long long)size,
                              .mtime_sec = (long long)sec,
                              .mtime_nsec = (long long)nsec,
                              .inode = (long long)inode,
                              .indexed_at = (long long)at,
                              .passages = (size_t)passages,
                              .hash = hash,
                              .ctime_sec = (long long)csec,
                              .ctime_nsec = (long long)cnsec};
    return e->path ? MLS_OK : MLS_ERR_NOMEM;
}

mls_status mls_manifest_add(mls_manifest *m, const mls_manifest_entry *e, const char *path)
{
    char *copy = strdup(path);
    if (!copy || !mls_grow(&m->entries, &m->capacity, m->count + 1, sizeof *m->entries)) {
        free(copy);
        return MLS_ERR_NOMEM;
    }
    m->entries[m->count] = *e;
    m->entries[m->count++].path = copy;
    return MLS_OK;
}

typedef struct loading {
    mls_manifest *m;
    mls_status status;
} loading;

static int load_entry(unsigned docid, const char *data, size_t len, void *ctx)
{
    loading *l = ctx;
    mls_manifest_entry e;
    (void)docid;
    l->status = mls_manifest_decode(data, len, &e);
    if (l->status == MLS_ERR_INVALID) {
        l->status = MLS_OK;
        return 0; /* an older or foreign record: the note will be read again */
    }
    if (!l->status)
        l->status = mls_manifest_add(l->m, &e, e.path);
    free(e.path);
    return l->status != MLS_OK;
}

static int compare_entries(const void *a, const void *b)
{
    return strcmp(((const mls_manifest_entry *)a)->path, ((const mls_manifest_entry *)b)->path);
}

mls_status mls_manifest_load(mls_db *db, mls_manifest *m)
{
    loading l = {m, MLS_OK};
    mls_status st = mls_db_foreach_data(db, MLS_TERM_FILE, strlen(MLS_TERM_FILE), load_entry, &l);
    if (!st)
        st = l.status;
    if (!st && m->count > 1)
        qsort(m->entries, m->count, sizeof *m->entries, compare_entries);
    return st;
}

static int compare_path_to_entry(const void *path, const void *entry)
{
    return strcmp(path, ((const mls_manifest_entry *)entry)->path);
}

mls_manifest_entry *mls_manifest_find(mls_manifest *m, const char *path)
{
    if (m->count == 0)
        return NULL;
    return bsearch(path, m->entries, m->count, sizeof *m->entries, compare_path_to_entry);
}

void mls_manifest_free(mls_manifest *m)
{
    for (size_t i = 0; i < m->count; i++)
        free(m->entries[i].path);
    free(m->entries);
    *m = (mls_manifest){0};
}
