/* terms.c - index vocabulary helpers (see terms.h). */
#include "mlsearch/terms.h"
#include "mlsearch/hash.h"
#include "mlsearch/tokenizer.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Xapian refuses terms over 245 bytes; keep well clear of it. */
#define PATH_TERM_MAX 200

mls_status mls_tag_term(const char *tag, size_t len, char **out)
{
    char *norm = NULL;
    size_t norm_len, plen = strlen(MLS_PREFIX_TAG);
    mls_status st = mls_normalize(tag, len, &norm, &norm_len);

    *out = NULL;
    if (!st && !(*out = malloc(plen + MLS_TERM_MAX_BYTES + 1)))
        st = MLS_ERR_NOMEM;
    if (!st && norm_len == 0) {
        **out = '\0';
    } else if (!st) {
        memcpy(*out, MLS_PREFIX_TAG, plen);
        size_t n = mls_hash_shorten(norm, norm_len, MLS_TERM_MAX_BYTES, *out + plen);
        (*out)[plen + n] = '\0';
    }
    free(norm);
    return st;
}

mls_status mls_path_term(const char *path, char **out, size_t *out_len)
{
    size_t len = strlen(path), plen = strlen(MLS_PREFIX_PATH);
    char *term = malloc((len < PATH_TERM_MAX ? len : PATH_TERM_MAX) + plen + 1);

    *out = NULL;
    if (!term)
        return MLS_ERR_NOMEM;
    memcpy(term, MLS_PREFIX_PATH, plen);
    *out_len = plen + mls_hash_shorten(path, len, PATH_TERM_MAX - plen, term + plen);
    *out = term;
    return MLS_OK;
}
