/* terms.c - the index's vocabulary: every prefixed term is made here
 * (see terms.h). */
#include "mlsearch/internal/terms.h"
#include "mlsearch/internal/hash.h"

#include <stdlib.h>
#include <string.h>

/* Xapian refuses terms over 245 bytes; keep well clear of it. */
#define PATH_TERM_MAX 200

/* What each prefix holds, and why it is spelt so: terms.h. */
static const char *const prefixes[] = {
    [MLS_PREFIX_TEXT] = "",   /* words of passages and context strings */
    [MLS_PREFIX_TAG] = "K",   /* the note's tags */
    [MLS_PREFIX_STEM] = "Z",  /* stems and katakana bases */
    [MLS_PREFIX_PATH] = "P",  /* the note's path */
    [MLS_PREFIX_KIND] = "XT", /* note or file */
};

const char *mls_prefix_string(mls_prefix prefix)
{
    return prefixes[prefix];
}

/* `prefix` then `len` bytes of `text` into `term`, which has room. */
static size_t join(mls_prefix prefix, const char *text, size_t len, char *term)
{
    size_t plen = strlen(prefixes[prefix]);
    memcpy(term, prefixes[prefix], plen);
    memcpy(term + plen, text, len);
    term[plen + len] = '\0';
    return plen + len;
}

size_t mls_term(mls_prefix prefix, const char *text, size_t len, char *term)
{
    if (len > MLS_TERM_MAX_BYTES) {
        *term = '\0';
        return 0;
    }
    return join(prefix, text, len, term);
}

mls_status mls_tag_term(const char *tag, size_t len, char **out)
{
    char *norm = NULL;
    size_t norm_len;
    mls_status st = mls_normalize(tag, len, &norm, &norm_len);

    *out = NULL;
    if (!st && !(*out = malloc(MLS_TERM_SIZE)))
        st = MLS_ERR_NOMEM;
    if (!st && norm_len == 0) {
        **out = '\0';
    } else if (!st) {
        char shortened[MLS_TERM_MAX_BYTES + 1];
        size_t n = mls_hash_shorten(norm, norm_len, MLS_TERM_MAX_BYTES, shortened);
        join(MLS_PREFIX_TAG, shortened, n, *out);
    }
    free(norm);
    return st;
}

mls_status mls_path_term(const char *path, char **out, size_t *out_len)
{
    size_t len = strlen(path), plen = strlen(prefixes[MLS_PREFIX_PATH]);
    size_t max = PATH_TERM_MAX - plen;
    char *shortened = malloc((len < max ? len : max) + 1);
    char *term = malloc((len < max ? len : max) + plen + 1);

    *out = NULL;
    if (!shortened || !term) {
        free(shortened);
        free(term);
        return MLS_ERR_NOMEM;
    }
    size_t n = mls_hash_shorten(path, len, max, shortened);
    *out_len = join(MLS_PREFIX_PATH, shortened, n, term);
    free(shortened);
    *out = term;
    return MLS_OK;
}
