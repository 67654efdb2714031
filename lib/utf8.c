/* utf8.c - validating and repairing UTF-8 (see utf8.h). */
#include "mlsearch/internal/utf8.h"

#include <stdlib.h>
#include <string.h>

static const char replacement[] = "\xEF\xBF\xBD"; /* U+FFFD */

size_t mls_utf8_next(const char *s, size_t len, int *codepoint)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t need;
    int cp, min;

    if (len == 0)
        return 0;
    /* clang-format off */
    if (u[0] < 0x80) {
        need = 1; cp = u[0]; min = 0;
    } else if (u[0] >= 0xC2 && u[0] <= 0xDF) {
        need = 2; cp = u[0] & 0x1F; min = 0x80;
    } else if (u[0] >= 0xE0 && u[0] <= 0xEF) {
        need = 3; cp = u[0] & 0x0F; min = 0x800;
    } else if (u[0] >= 0xF0 && u[0] <= 0xF4) {
        need = 4; cp = u[0] & 0x07; min = 0x10000;
    } else {
        return 0; /* a continuation byte, C0/C1 (overlong) or F5..FF */
    }
    /* clang-format on */
    if (need > len)
        return 0;
    for (size_t i = 1; i < need; i++) {
        if ((u[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (u[i] & 0x3F);
    }
    /* Overlong forms, UTF-16 surrogates and values past U+10FFFF are not
     * UTF-8, whatever their bit pattern. */
    if (cp < min || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
        return 0;
    if (codepoint)
        *codepoint = cp;
    return need;
}

mls_status mls_utf8_sanitize(const char *bytes, size_t len, char **out, size_t *out_len,
                             size_t *replaced)
{
    size_t bad = 0, size = 0, i = 0;

    *out = NULL;
    /* First pass: count, so that valid input (nearly all of it) costs one
     * allocation and one memcpy. */
    while (i < len) {
        size_t n = bytes[i] ? mls_utf8_next(bytes + i, len - i, NULL) : 0;
        if (n == 0) {
            bad++;
            size += sizeof replacement - 1;
            i++;
        } else {
            size += n;
            i += n;
        }
    }
    char *buf = malloc(size + 1);
    if (!buf)
        return MLS_ERR_NOMEM;
    if (bad == 0) {
        memcpy(buf, bytes, len);
    } else {
        char *w = buf;
        for (i = 0; i < len;) {
            size_t n = bytes[i] ? mls_utf8_next(bytes + i, len - i, NULL) : 0;
            if (n == 0) {
                memcpy(w, replacement, sizeof replacement - 1);
                w += sizeof replacement - 1;
                i++;
            } else {
                memcpy(w, bytes + i, n);
                w += n;
                i += n;
            }
        }
    }
    buf[size] = '\0';
    *out = buf;
    *out_len = size;
    *replaced = bad;
    return MLS_OK;
}

int mls_utf8_valid(const char *s, size_t len)
{
    size_t i = 0, n;
    while (i < len && (n = mls_utf8_next(s + i, len - i, NULL)) > 0)
        i += n;
    return i == len;
}

size_t mls_line_break(const char *s, size_t len, size_t i)
{
    if (i >= len)
        return 0;
    if (s[i] == '\n')
        return 1;
    if (s[i] == '\r')
        return i + 1 < len && s[i + 1] == '\n' ? 2 : 1;
    return 0;
}
