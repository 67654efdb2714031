/* hash.c - see hash.h. */
#include "mlsearch/internal/hash.h"

#include <stdio.h>
#include <string.h>

uint64_t mls_hash64(const void *data, size_t n)
{
    const unsigned char *p = data;
    uint64_t h = 0xcbf29ce484222325u;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 0x100000001b3u;
    }
    return h;
}

size_t mls_hash_shorten(const char *s, size_t len, size_t max, char *out)
{
    char hash[MLS_HASH_SHORTEN_BYTES + 1];

    if (len <= max) {
        memmove(out, s, len);
        out[len] = '\0';
        return len;
    }
    /* Hash first: `out` may be `s`. */
    snprintf(hash, sizeof hash, "#%016llx", (unsigned long long)mls_hash64(s, len));
    size_t head = max - MLS_HASH_SHORTEN_BYTES;
    while (head > 0 && ((unsigned char)s[head] & 0xC0) == 0x80)
        head--; /* do not cut a character in two */
    memmove(out, s, head);
    memcpy(out + head, hash, sizeof hash);
    return head + MLS_HASH_SHORTEN_BYTES;
}
