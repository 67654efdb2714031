/* escape.c - safe output of untrusted text (see escape.h). */
#include "mlsearch/escape.h"
#include "mlsearch/internal/grow.h"
#include "mlsearch/internal/utf8.h"

#include <stdlib.h>
#include <string.h>

static int is_unsafe(int cp)
{
    /* clang-format off */
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) ||
           cp == 0x061C ||                    /* Arabic letter mark */
           cp == 0x200E || cp == 0x200F ||    /* LRM, RLM */
           cp == 0x2028 || cp == 0x2029 ||    /* line/paragraph separator */
           (cp >= 0x202A && cp <= 0x202E) ||  /* embeddings, overrides */
           (cp >= 0x2066 && cp <= 0x2069);    /* isolates */
    /* clang-format on */
}

size_t mls_escape_char(int cp, char buf[MLS_ESCAPE_MAX])
{
    if (!is_unsafe(cp))
        return 0;
    if (cp < 0x100)
        return (size_t)snprintf(buf, MLS_ESCAPE_MAX, "\\x%02X", (unsigned)cp);
    return (size_t)snprintf(buf, MLS_ESCAPE_MAX, "\\u{%04X}", (unsigned)cp);
}

static int is_space(int cp)
{
    return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' || cp == '\v';
}

/* The one escaping loop behind mls_escape_text() and mls_escape_line(). */
static mls_status escape(const char *s, size_t len, int fold, mls_span *spans, size_t n, char **out,
                         size_t *out_len)
{
    size_t cap = 0, w = 0, starts = 0, ends = 0;
    int pending_space = 0;
    char *buf = NULL;

    *out = NULL;
    for (size_t i = 0; i <= len;) {
        /* Map the spans that start or end here.  A start inside folded
         * space maps to where the next character goes. */
        while (starts < n && spans[starts].start <= i)
            spans[starts++].start = w + (size_t)(pending_space && w > 0);
        while (ends < n && spans[ends].end <= i)
            spans[ends++].end = w;
        if (i == len)
            break;
        if (!mls_grow(&buf, &cap, w + MLS_ESCAPE_MAX + 2, 1)) {
            free(buf);
            return MLS_ERR_NOMEM;
        }
        int cp = 0;
        size_t step = mls_utf8_next(s + i, len - i, &cp);
        if (step && fold && is_space(cp)) {
            pending_space = 1;
            i += step;
            continue;
        }
        if (pending_space && w > 0)
            buf[w++] = ' ';
        pending_space = 0;
        if (step == 0) { /* not UTF-8: show the byte */
            w += (size_t)snprintf(buf + w, MLS_ESCAPE_MAX, "\\x%02X", (unsigned char)s[i]);
            i++;
            continue;
        }
        size_t e = mls_escape_char(cp, buf + w);
        if (e == 0)
            memcpy(buf + w, s + i, step);
        w += e ? e : step;
        i += step;
    }
    if (!buf && !(buf = malloc(1)))
        return MLS_ERR_NOMEM;
    buf[w] = '\0';
    for (size_t i = 0; i < n; i++)
        if (spans[i].start > spans[i].end)
            spans[i].start = spans[i].end;
    *out = buf;
    *out_len = w;
    return MLS_OK;
}

mls_status mls_escape_text(const char *s, size_t len, char **out, size_t *out_len)
{
    return escape(s, len, 0, NULL, 0, out, out_len);
}

mls_status mls_escape_line(const char *s, size_t len, mls_span *spans, size_t n, char **out,
                           size_t *out_len)
{
    return escape(s, len, 1, spans, n, out, out_len);
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

/* 1 if the `len` bytes of `s` are UTF-8 with nothing mls_escape_char()
 * would escape. */
static int is_plain_text(const char *s, size_t len)
{
    for (size_t i = 0, n; i < len; i += n) {
        int cp;
        if ((n = mls_utf8_next(s + i, len - i, &cp)) == 0 || is_unsafe(cp))
            return 0;
    }
    return 1;
}

void mls_json_string_or_null(FILE *out, const char *s)
{
    if (*s)
        mls_json_string(out, s, strlen(s));
    else
        fputs("null", out);
}

void mls_json_data(FILE *out, const char *s, size_t len)
{
    if (is_plain_text(s, len)) {
        fputs("{\"text\":", out);
        mls_json_string(out, s, len);
    } else {
        fputs("{\"bytes\":\"", out);
        base64(out, (const unsigned char *)s, len);
        putc('"', out);
    }
    putc('}', out);
}

mls_status mls_json_text(FILE *out, const char *s, size_t len)
{
    char *safe;
    size_t safe_len;
    mls_status st = mls_escape_text(s, len, &safe, &safe_len);
    if (st)
        return st;
    fputs("{\"text\":", out);
    mls_json_string(out, safe, safe_len);
    putc('}', out);
    free(safe);
    return MLS_OK;
}
