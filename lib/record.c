/* record.c - writing and reading document records (see record.h). */
#include "mlsearch/internal/record.h"
#include "mlsearch/internal/grow.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void mls_record_put(mls_record_writer *w, const char *s, size_t n)
{
    if (w->failed)
        return;
    if (!mls_grow(&w->data, &w->capacity, w->len + n + 1, 1)) {
        w->failed = 1;
        return;
    }
    memcpy(w->data + w->len, s, n);
    w->len += n;
    w->data[w->len] = '\0';
}

void mls_record_put_field(mls_record_writer *w, const char *s)
{
    mls_record_put(w, s, strlen(s) + 1); /* with its NUL */
}

void mls_record_put_number(mls_record_writer *w, unsigned long long n)
{
    char digits[32];
    snprintf(digits, sizeof digits, "%llu", n);
    mls_record_put_field(w, digits);
}

void mls_record_put_varint(mls_record_writer *w, unsigned long long n)
{
    char bytes[10];
    size_t len = 0;
    do {
        bytes[len++] = (char)((n & 0x7F) | (n > 0x7F ? 0x80 : 0));
        n >>= 7;
    } while (n);
    mls_record_put(w, bytes, len);
}

mls_status mls_record_finish(mls_record_writer *w, char **out, size_t *out_len)
{
    if (!w->failed && !w->data)
        mls_record_put(w, "", 0); /* an empty record is still a string */
    if (w->failed) {
        free(w->data);
        memset(w, 0, sizeof *w);
        *out = NULL;
        *out_len = 0;
        return MLS_ERR_NOMEM;
    }
    *out = w->data;
    *out_len = w->len;
    memset(w, 0, sizeof *w);
    return MLS_OK;
}

const char *mls_record_field(mls_record_reader *r)
{
    const char *nul = memchr(r->at, '\0', (size_t)(r->end - r->at));
    if (!nul)
        return NULL;
    const char *field = r->at;
    r->at = nul + 1;
    return field;
}

int mls_record_number(mls_record_reader *r, unsigned long long max, unsigned long long *out)
{
    const char *f = mls_record_field(r);
    char *end;
    if (!f || *f < '0' || *f > '9')
        return 0;
    errno = 0;
    unsigned long long v = strtoull(f, &end, 10);
    if (errno || *end || v > max)
        return 0;
    *out = v;
    return 1;
}

int mls_record_varint(mls_record_reader *r, unsigned long long max, unsigned long long *out)
{
    unsigned long long v = 0;
    for (unsigned shift = 0; shift < 70 && r->at < r->end; shift += 7) {
        unsigned char b = (unsigned char)*r->at++;
        if (shift == 63 && (b & 0x7E))
            return 0; /* past 64 bits */
        v |= (unsigned long long)(b & 0x7F) << shift;
        if (!(b & 0x80)) {
            if ((b == 0 && shift > 0) || v > max)
                return 0; /* overlong: one number, one way to write it */
            *out = v;
            return 1;
        }
    }
    return 0;
}

const char *mls_record_bytes(mls_record_reader *r, size_t n)
{
    if ((size_t)(r->end - r->at) < n)
        return NULL;
    const char *bytes = r->at;
    r->at += n;
    return bytes;
}
