/* escape.h - making note text safe for a terminal, an editor or JSON.
 *
 * Notes may hold escape sequences, carriage returns or bidi overrides that
 * would recolour a terminal, hide text or reorder a line.  Nothing from a
 * note reaches output without passing through here. */
#ifndef MLSEARCH_ESCAPE_H
#define MLSEARCH_ESCAPE_H

#include <stddef.h>
#include <stdio.h>
#include "mlsearch/status.h"

/* A byte range [start, end) of some text. */
typedef struct mls_span {
    size_t start, end;
} mls_span;

/* Longest escape mls_escape_char() writes, with its NUL. */
#define MLS_ESCAPE_MAX 12

/* If the code point must not be shown raw (C0 and C1 controls, DEL, bidi
 * controls, line and paragraph separators), writes its visible escape
 * (`\x1B`, `\u{202E}`) into `buf` and returns its length; else returns 0. */
size_t mls_escape_char(int codepoint, char buf[MLS_ESCAPE_MAX]);

/* `len` bytes of `s` (any bytes: a path, a line) with every unsafe code
 * point escaped as above and every invalid UTF-8 byte as `\xNN`.  The
 * caller frees *out (NUL-terminated).  Fails only with MLS_ERR_NOMEM. */
mls_status mls_escape_text(const char *s, size_t len, char **out, size_t *out_len);

/* Like mls_escape_text(), for one line of display: every run of white
 * space (spaces, tabs, line breaks) becomes one space, and white space at
 * either end is dropped.  `spans` (`n` sorted, non-overlapping byte ranges
 * of `s`, or NULL) are moved in place to the same text in *out. */
mls_status mls_escape_line(const char *s, size_t len, mls_span *spans, size_t n, char **out,
                           size_t *out_len);

/* Writes `len` bytes of `s` as a JSON string literal, quotes included.
 * Invalid UTF-8 bytes become U+FFFD; controls and bidi characters become
 * \uXXXX escapes. */
void mls_json_string(FILE *out, const char *s, size_t len);

/* mls_json_string() of the NUL-terminated `s`, or null when it is empty
 * (a value not known, such as an undated note's date). */
void mls_json_string_or_null(FILE *out, const char *s);

/* Writes the JSON value ripgrep uses for data that may not be text, such
 * as a path: {"text":"..."} when `s` is valid UTF-8 without a character
 * mls_escape_char() escapes, else {"bytes":"<base64>"}: the exact bytes
 * either way (a plugin opens the file), and no "text" that holds a
 * control or bidi character once decoded. */
void mls_json_data(FILE *out, const char *s, size_t len);

/* Writes text to be shown (a heading, a snippet) as {"text":"..."}, its
 * value mls_escape_text() of `s`: once decoded, `\x1B` and `\u{202E}`
 * as in the other formats, never the characters.  MLS_ERR_NOMEM. */
mls_status mls_json_text(FILE *out, const char *s, size_t len);

#endif
