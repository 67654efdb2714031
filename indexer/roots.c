/* roots.c - the roots a run covers and lets go (see roots.h). */
#include "mlsearch/roots.h"
#include "mlsearch/db.h"
#include "mlsearch/index_info.h"
#include "mlsearch/internal/crawl.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Appends `part` (`n` bytes) to the absolute path in `out` (`*len` bytes,
 * room for PATH_MAX), resolving "." and ".." by name. */
static int append_part(char *out, size_t *len, const char *part, size_t n)
{
    if (n == 0 || (n == 1 && part[0] == '.'))
        return 1;
    if (n == 2 && part[0] == '.' && part[1] == '.') {
        while (*len > 1 && out[*len - 1] != '/')
            (*len)--;
        if (*len > 1)
            (*len)--; /* the slash, but the root's */
        out[*len] = '\0';
        return 1;
    }
    if (*len + 1 + n + 1 > PATH_MAX)
        return 0;
    if (*len > 1)
        out[(*len)++] = '/';
    memcpy(out + *len, part, n);
    *len += n;
    out[*len] = '\0';
    return 1;
}

mls_status mls_root_canonical(const char *path, char **out)
{
    char *real = realpath(path, NULL), joined[PATH_MAX] = "/";
    size_t len = 1;
    *out = NULL;
    if (real) {
        *out = real;
        return MLS_OK;
    }
    if (path[0] != '/') {
        char cwd[PATH_MAX];
        if (!getcwd(cwd, sizeof cwd))
            return MLS_ERR_IO;
        for (const char *p = cwd; *p;) {
            size_t n = strcspn(p, "/");
            if (!append_part(joined, &len, p, n))
                return MLS_ERR_IO;
            p += n + (p[n] == '/');
        }
    }
    for (const char *p = path; *p;) {
        size_t n = strcspn(p, "/");
        if (!append_part(joined, &len, p, n))
            return MLS_ERR_IO;
        p += n + (p[n] == '/');
    }
    *out = strdup(joined);
    return *out ? MLS_OK : MLS_ERR_NOMEM;
}

mls_status mls_roots_remembered(const char *db_dir, const char *const *keep, size_t keep_count,
                                mls_strings *remembered, mls_strings *dropped)
{
    mls_db *db = NULL;
    mls_index_info info = {0};
    char **kept = calloc(keep_count ? keep_count : 1, sizeof *kept);
    mls_status st = kept ? mls_db_open(db_dir, MLS_DB_READ, &db, NULL) : MLS_ERR_NOMEM;
    if (st == MLS_ERR_DB_NOT_FOUND) {
        free(kept);
        return MLS_OK; /* no index yet: it remembers nothing */
    }
    if (!st)
        st = mls_index_info_read(db, &info);
    /* A root of `keep` that is not there (an unmounted drive: its real
     * path cannot be known), or not absolute (then whose?), might hold any
     * remembered root: this run lets go of none. */
    int sure = 1;
    for (size_t i = 0; i < keep_count && !st; i++) {
        kept[i] = keep[i][0] == '/' ? realpath(keep[i], NULL) : NULL;
        sure &= kept[i] != NULL;
    }
    for (size_t i = 0; i < info.roots.count && !st; i++) {
        const char *root = info.roots.items[i];
        int held = 0;
        for (size_t k = 0; k < keep_count && !held; k++)
            held = kept[k] && mls_path_is_under(root, kept[k]);
        if (remembered)
            st = mls_strings_add(remembered, root);
        if (!st && dropped && sure && !held)
            st = mls_strings_add(dropped, root);
    }
    for (size_t i = 0; i < keep_count && kept; i++)
        free(kept[i]);
    free(kept);
    mls_index_info_free(&info);
    mls_db_close(db);
    return st;
}
