/* hash.c - see hash.h. */
#include "mlsearch/internal/hash.h"

#include <stdio.h>
#include <string.h>

/* Eight bytes as a little-endian number (one load, where it is one). */
static uint64_t word(const unsigned char *p)
{
    return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 | (uint64_t)p[3] << 24 |
           (uint64_t)p[4] << 32 | (uint64_t)p[5] << 40 | (uint64_t)p[6] << 48 |
           (uint64_t)p[7] << 56;
}

/* Each word is mixed into the state with a multiply and a rotation; the
 * end spreads every bit of the state over all of it (MurmurHash3's
 * finalizer). */
uint64_t mls_hash64(const void *data, size_t n)
{
    const unsigned char *p = data;
    uint64_t h = 0xcbf29ce484222325u ^ ((uint64_t)n * 0x9e3779b97f4a7c15u);
    for (; n >= 8; p += 8, n -= 8) {
        h = (h ^ word(p)) * 0x9e3779b97f4a7c15u;
        h = h << 31 | h >> 33;
    }
    unsigned char tail[8] = {0};
    memcpy(tail, p, n);
    h = (h ^ word(tail)) * 0x9e3779b97f4a7c15u;
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdu;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53u;
    return h ^ h >> 33;
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
