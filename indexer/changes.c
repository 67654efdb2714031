/* changes.c - what changed since the last run (see changes.h). */
#include "mlsearch/internal/changes.h"
#include "mlsearch/internal/crawl.h"
#include "mlsearch/internal/grow.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int mls_changes_unchanged(const mls_manifest_entry *known, const mls_manifest_entry *e, size_t max)
{
    return known->size == e->size && known->mtime_sec == e->mtime_sec &&
           known->mtime_nsec == e->mtime_nsec && (known->inode == 0 || known->inode == e->inode) &&
           (known->ctime_sec == 0 ||
            (known->ctime_sec == e->ctime_sec && known->ctime_nsec == e->ctime_nsec)) &&
           known->mtime_sec < known->indexed_at &&
           !((unsigned long long)e->size > max && known->passages > 0) &&
           !((unsigned long long)e->size <= max && known->hash == 0);
}

static int compare_by_content(const void *a, const void *b)
{
    const mls_manifest_entry *x = *(mls_manifest_entry *const *)a;
    const mls_manifest_entry *y = *(mls_manifest_entry *const *)b;
    if (x->hash != y->hash)
        return x->hash < y->hash ? -1 : 1;
    if (x->size != y->size)
        return x->size < y->size ? -1 : 1;
    return strcmp(x->path, y->path);
}

int mls_changes_under(const char *path, const char *const *roots, size_t n)
{
    for (size_t k = 0; k < n; k++)
        if (roots[k] && mls_path_is_under(path, roots[k]))
            return 1;
    return 0;
}

mls_status mls_changes_vanished(mls_manifest *known, char *const *roots, size_t root_count,
                                const char *const *dropped, size_t dropped_count,
                                mls_manifest_entry ***out, size_t *count)
{
    size_t n = 0, cap = 0;
    mls_manifest_entry **list = NULL;
    for (size_t i = 0; i < known->count; i++) {
        mls_manifest_entry *e = &known->entries[i];
        int under = mls_changes_under(e->path, (const char *const *)roots, root_count) ||
                    mls_changes_under(e->path, dropped, dropped_count);
        if (e->keep || !under)
            continue;
        if (!mls_grow(&list, &cap, n + 1, sizeof *list)) {
            free(list);
            return MLS_ERR_NOMEM;
        }
        list[n++] = e;
    }
    if (n > 1)
        qsort(list, n, sizeof *list, compare_by_content);
    *out = list;
    *count = n;
    return MLS_OK;
}

mls_manifest_entry *mls_changes_find_moved(mls_manifest_entry **vanished, size_t n,
                                           const mls_manifest_entry *e)
{
    size_t lo = 0, hi = n;
    if (e->hash == 0)
        return NULL;
    while (lo < hi) { /* the first with (hash, size) >= e's */
        size_t mid = lo + (hi - lo) / 2;
        const mls_manifest_entry *v = vanished[mid];
        if (v->hash < (uint64_t)e->hash || (v->hash == e->hash && v->size < e->size))
            lo = mid + 1;
        else
            hi = mid;
    }
    for (; lo < n && vanished[lo]->hash == e->hash && vanished[lo]->size == e->size; lo++)
        if (!vanished[lo]->keep)
            return vanished[lo];
    return NULL;
}
