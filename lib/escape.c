/* escape.c - safe output of untrusted text (see escape.h). */
#include "mlsearch/escape.h"
#include "mlsearch/utf8.h"

#include <stdlib.h>
#include <string.h>

static int is_unsafe(int cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) ||
           cp == 0x061C ||                    /* Arabic letter mark */
           cp == 0x200E || cp == 0x200F ||    /* LRM, RLM */
           cp == 0x2028 || cp == 0x2029 ||    /* line/paragraph separator */
           (cp >= 0x202A && cp <= 0x202E) ||  /* embeddings, overrides */
           (cp >= 0x2066 && cp <= 0x2069);    /* isolates */
}

size_t mls_escape_char(int cp, char buf[MLS_ESCAPE_MAX])
{
    if (!is_unsafe(cp))
        return 0;
    if (cp < 0x100)
        return (size_t)snprintf(buf, MLS_ESCAPE_MAX, "\\x%02X", (unsigned)cp);
    return (size_t)snprintf(buf, MLS_ESCAPE_MAX, "\\u{%04X}", (unsigned)cp);
}

mls_status mls_escape_text(const char *s, size_t len, char **out, size_t *out_len)
{
    /* Each input byte grows to at most MLS_ESCAPE_MAX - 1 bytes. */
    char *buf = malloc(len * (MLS_ESCAPE_MAX - 1) + 1);
    size_t w = 0;

    *out = NULL;
    if (!buf)
        return MLS_ERR_NOMEM;
    for (size_t i = 0; i < len;) {
        int cp;
        size_t n = mls_utf8_next(s + i, len - i, &cp);
        if (n == 0) {
            w += (size_t)snprintf(buf + w, MLS_ESCAPE_MAX, "\\x%02X", (unsigned char)s[i]);
            i++;
            continue;
        }
        size_t e = mls_escape_char(cp, buf + w);
        if (e == 0)
            memcpy(buf + w, s + i, n);
        w += e ? e : n;
        i += n;
    }
    buf[w] = '\0';
    *out = buf;
    *out_len = w;
    return MLS_OK;
}

void mls_json_string(FILE *out, const char *s, size_t len)
{
    putc('"', out);
    for (size_t i = 0; i < len;) {
        int cp;
        size_t n = mls_utf8_next(s + i, len - i, &cp);
        if (n == 0) {
            fputs("\\ufffd", out);
            i++;
            continue;
        }
        if (cp == '"' || cp == '\\')
            fprintf(out, "\\%c", cp);
        else if (cp == '\n')
            fputs("\\n", out);
        else if (cp == '\t')
            fputs("\\t", out);
        else if (cp == '\r')
            fputs("\\r", out);
        else if (is_unsafe(cp))
            fprintf(out, "\\u%04x", (unsigned)cp);
        else
            fwrite(s + i, 1, n, out);
        i += n;
    }
    putc('"', out);
}

static void base64(FILE *out, const unsigned char *s, size_t len)
{
    static const char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (size_t i = 0; i < len; i += 3) {
        unsigned v = (unsigned)s[i] << 16;
        if (i + 1 < len)
            v |= (unsigned)s[i + 1] << 8;
        if (i + 2 < len)
            v |= s[i + 2];
        putc(alphabet[v >> 18 & 63], out);
        putc(alphabet[v >> 12 & 63], out);
        putc(i + 1 < len ? alphabet[v >> 6 & 63] : '=', out);
        putc(i + 2 < len ? alphabet[v & 63] : '=', out);
    }
}

void mls_json_data(FILE *out, const char *s, size_t len)
{
    if (mls_utf8_valid(s, len)) {
        fputs("{\"text\":", out);
        mls_json_string(out, s, len);
    } else {
        fputs("{\"bytes\":\"", out);
        base64(out, (const unsigned char *)s, len);
        putc('"', out);
    }
    putc('}', out);
}
