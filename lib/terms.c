/* terms.c - index vocabulary helpers (see terms.h). */
#include "mlsearch/terms.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Xapian refuses terms over 245 bytes; keep well clear of it. */
#define PATH_TERM_MAX 200

/* 64-bit FNV-1a: tiny, stable across runs and machines, and collisions
 * among one person's note paths are not a practical concern. */
static uint64_t fnv1a(const char *s, size_t n)
{
    uint64_t h = 0xcbf29ce484222325u;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 0x100000001b3u;
    }
    return h;
}

mls_status mls_path_term(const char *path, char **out, size_t *out_len)
{
    size_t len = strlen(path);
    char *term = malloc(len < PATH_TERM_MAX ? len + 2 : PATH_TERM_MAX + 1);

    *out = NULL;
    if (!term)
        return MLS_ERR_NOMEM;
    term[0] = 'P';
    if (len + 1 <= PATH_TERM_MAX) {
        memcpy(term + 1, path, len + 1);
        *out_len = len + 1;
    } else {
        /* head + '#' + 16 hex digits = PATH_TERM_MAX bytes in all */
        size_t head = PATH_TERM_MAX - 1 - 17;
        memcpy(term + 1, path, head);
        snprintf(term + 1 + head, 18, "#%016llx",
                 (unsigned long long)fnv1a(path, len));
        *out_len = PATH_TERM_MAX;
    }
    *out = term;
    return MLS_OK;
}
