/* fuzz_support.h - helpers shared by the libFuzzer targets (tests/fuzz/).
 *
 * A target checks properties of what the code under test returns; CHECK
 * aborts when one fails, which libFuzzer reports as a crash and saves the
 * input that caused it.  Functions are static inline so each target takes
 * what it uses. */
#ifndef MLSEARCH_FUZZ_SUPPORT_H
#define MLSEARCH_FUZZ_SUPPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mlsearch/internal/utf8.h"

/* libFuzzer's entry point, which each target defines (declared here, as
 * libFuzzer has no header for it, for -Wmissing-prototypes). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond) \
    do { \
        if (!(cond)) { \
            fprintf(stderr, "%s:%d: property violated: %s\n", __FILE__, __LINE__, #cond); \
            abort(); \
        } \
    } while (0)

/* A heap copy of `len` bytes with a NUL after them; NULL if memory runs out
 * (libFuzzer's malloc limit), which a target then skips. */
static inline char *fuzz_strndup(const uint8_t *data, size_t len)
{
    char *s = malloc(len + 1);
    if (s) {
        memcpy(s, data, len);
        s[len] = '\0';
    }
    return s;
}

/* Splits the input at NUL bytes: the next field, moving *data and *len
 * past it and its NUL; the field's length in *n.  At the end, an empty
 * field. */
static inline const uint8_t *fuzz_field(const uint8_t **data, size_t *len, size_t *n)
{
    const uint8_t *f = *data, *nul = *len ? memchr(*data, '\0', *len) : NULL;
    *n = nul ? (size_t)(nul - f) : *len;
    *data += *n + (nul != NULL);
    *len -= *n + (nul != NULL);
    return f;
}

/* The code point of each character of valid UTF-8 `s`, in turn: returns
 * the character's length (0 at the end) and its code point in *cp. */
static inline size_t fuzz_next_char(const char *s, size_t len, size_t i, int *cp)
{
    if (i >= len)
        return 0;
    size_t n = mls_utf8_next(s + i, len - i, cp);
    CHECK(n > 0); /* the caller passes valid UTF-8 */
    return n;
}

/* Number of characters of valid UTF-8 `s`. */
static inline size_t fuzz_chars(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

/* 1 if `needle` occurs in `hay`. */
static inline int fuzz_contains(const char *hay, size_t hay_len, const char *needle,
                                size_t needle_len)
{
    if (needle_len == 0)
        return 1;
    for (size_t i = 0; i + needle_len <= hay_len; i++)
        if (!memcmp(hay + i, needle, needle_len))
            return 1;
    return 0;
}

/* A JSON string literal at s[*i] (RFC 8259), its value appended to `out`
 * (`out_cap` bytes, NULL to only validate) as UTF-8; *i moves past it.
 * Returns the value's length, or (size_t)-1 if it is not valid JSON. */
static inline size_t fuzz_json_string(const char *s, size_t len, size_t *i, char *out,
                                      size_t out_cap)
{
    size_t w = 0, j = *i;
    if (j >= len || s[j++] != '"')
        return (size_t)-1;
    while (j < len && s[j] != '"') {
        unsigned char c = (unsigned char)s[j];
        char one[4];
        size_t n = 1;
        if (c < 0x20)
            return (size_t)-1;
        if (c != '\\') {
            n = mls_utf8_next(s + j, len - j, NULL);
            if (n == 0)
                return (size_t)-1;
            memcpy(one, s + j, n);
            j += n;
        } else if (j + 1 < len && strchr("\"\\/bfnrt", s[j + 1]) && s[j + 1]) {
            static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
            one[0] = to[strchr(from, s[j + 1]) - from];
            j += 2;
        } else if (j + 5 < len && s[j + 1] == 'u') {
            unsigned cp = 0;
            for (size_t k = j + 2; k < j + 6; k++) {
                int d = s[k] >= '0' && s[k] <= '9'   ? s[k] - '0'
                        : s[k] >= 'a' && s[k] <= 'f' ? s[k] - 'a' + 10
                        : s[k] >= 'A' && s[k] <= 'F' ? s[k] - 'A' + 10
                                                     : -1;
                if (d < 0)
                    return (size_t)-1;
                cp = cp << 4 | (unsigned)d;
            }
            if (cp >= 0xD800 && cp <= 0xDFFF)
                return (size_t)-1; /* mlsearch never writes surrogates */
            n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : 3;
            if (n == 1)
                one[0] = (char)cp;
            else if (n == 2)
                one[0] = (char)(0xC0 | cp >> 6), one[1] = (char)(0x80 | (cp & 0x3F));
            else
                one[0] = (char)(0xE0 | cp >> 12), one[1] = (char)(0x80 | (cp >> 6 & 0x3F)),
                one[2] = (char)(0x80 | (cp & 0x3F));
            j += 6;
        } else {
            return (size_t)-1;
        }
        if (out) {
            CHECK(w + n <= out_cap);
            memcpy(out + w, one, n);
        }
        w += n;
    }
    if (j >= len)
        return (size_t)-1;
    *i = j + 1;
    return w;
}

/* 1 if s[*i...] starts with a JSON value (RFC 8259), moving *i past it. */
static inline int fuzz_json_value(const char *s, size_t len, size_t *i, int depth)
{
    size_t j = *i;
    if (depth > 64 || j >= len)
        return 0;
    if (s[j] == '"') {
        if (fuzz_json_string(s, len, i, NULL, 0) == (size_t)-1)
            return 0;
        return 1;
    }
    if (s[j] == '{' || s[j] == '[') {
        char close = s[j] == '{' ? '}' : ']';
        j++;
        if (j < len && s[j] == close) {
            *i = j + 1;
            return 1;
        }
        for (;;) {
            if (close == '}' &&
                (fuzz_json_string(s, len, &j, NULL, 0) == (size_t)-1 || j >= len || s[j++] != ':'))
                return 0;
            if (!fuzz_json_value(s, len, &j, depth + 1) || j >= len)
                return 0;
            if (s[j] == close) {
                *i = j + 1;
                return 1;
            }
            if (s[j++] != ',')
                return 0;
        }
    }
    static const char *const literals[] = {"true", "false", "null"};
    for (size_t k = 0; k < sizeof literals / sizeof literals[0]; k++) {
        size_t n = strlen(literals[k]);
        if (len - j >= n && !memcmp(s + j, literals[k], n)) {
            *i = j + n;
            return 1;
        }
    }
    /* A number: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
    if (s[j] == '-')
        j++;
    size_t d = j;
    while (j < len && s[j] >= '0' && s[j] <= '9')
        j++;
    if (j == d || (s[d] == '0' && j > d + 1))
        return 0;
    if (j < len && s[j] == '.') {
        d = ++j;
        while (j < len && s[j] >= '0' && s[j] <= '9')
            j++;
        if (j == d)
            return 0;
    }
    if (j < len && (s[j] == 'e' || s[j] == 'E')) {
        j += j + 1 < len && (s[j + 1] == '+' || s[j + 1] == '-') ? 2 : 1;
        d = j;
        while (j < len && s[j] >= '0' && s[j] <= '9')
            j++;
        if (j == d)
            return 0;
    }
    *i = j;
    return 1;
}

/* 1 if the `len` bytes of `s` are exactly one JSON value. */
static inline int fuzz_json_valid(const char *s, size_t len)
{
    size_t i = 0;
    return fuzz_json_value(s, len, &i, 0) && i == len;
}

#endif
