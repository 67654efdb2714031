/* fuzz_output.c - printing hits (output.h) and the escaping under it
 * (escape.h, snippet.h), for text from notes: any path and heading bytes.
 *
 * Output goes to terminals, editors and JSON readers; a note must not be
 * able to send a terminal escape, hide or reorder text, or break a line
 * or a JSON object.  The input makes a query and one to four hits (see
 * make_hits), printed in every format into memory; it checks:
 *  - no format writes a control character but '\n' (with colour: but the
 *    ANSI colours, ESC [ digits ; m), nor DEL, C1 or bidi controls, and
 *    all is valid UTF-8;
 *  - text and vimgrep print one line per hit, files and count one per
 *    distinct path; JSON prints begin, one object per hit and summary,
 *    each line one valid JSON object whose line lies in the passage, and
 *    whose strings, decoded, hold none of those characters either;
 *  - mls_escape_text and mls_escape_line write no such character either,
 *    leave safe text alone, and escape_line gives one line, its spaces
 *    folded, with the spans moved in order inside it;
 *  - mls_json_string writes a JSON string of the text (invalid bytes as
 *    U+FFFD), mls_json_data that for safe text (valid UTF-8, nothing to
 *    escape) or else the base64 of the bytes, mls_json_text the string
 *    of the text as mls_escape_text escapes it;
 *  - match spans are sorted, disjoint and in the text; a snippet is one
 *    safe line no wider than asked (and its "…"), its spans in it. */
#include "fuzz_support.h"

#include "mlsearch/escape.h"
#include "mlsearch/output.h"
#include "mlsearch/internal/snippet.h"

#include <utf8proc.h>

#define MAX_HITS 4

/* 1 if byte i of s (len bytes) starts a character or is the end. */
static int boundary(const char *s, size_t len, size_t i)
{
    return i == len || ((unsigned char)s[i] & 0xC0) != 0x80;
}

/* Output that is safe to show: valid UTF-8, nothing mls_escape_char()
 * would escape but '\n', and with `color` only SGR sequences ESC[..m. */
static void check_safe(const char *s, size_t len, int color)
{
    char esc[MLS_ESCAPE_MAX];
    int cp;
    CHECK(mls_utf8_valid(s, len));
    for (size_t i = 0, n; (n = fuzz_next_char(s, len, i, &cp)); i += n) {
        if (cp == '\033' && color) {
            size_t j = i + 1;
            CHECK(j < len && s[j++] == '[');
            while (j < len && (strchr("0123456789;", s[j]) && s[j]))
                j++;
            CHECK(j < len && s[j] == 'm');
            continue;
        }
        CHECK(cp == '\n' || mls_escape_char(cp, esc) == 0);
    }
}

static size_t count_lines(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += s[i] == '\n';
    CHECK(len == 0 || s[len - 1] == '\n'); /* and nothing after the last */
    return n;
}

/* The number after `"key":` in a JSON line (after the path, which comes
 * first and cannot hold an unescaped quote). */
static unsigned long json_number(const char *line, const char *key)
{
    const char *at = strstr(line, key);
    CHECK(at);
    return strtoul(at + strlen(key), NULL, 10);
}

/* Every string of the JSON line `s` (`len` bytes, valid JSON), decoded,
 * is safe to show and on one line. */
static void check_json_strings(const char *s, size_t len)
{
    char *value = malloc(len + 1);
    if (!value)
        return;
    for (size_t i = 0; i < len;) {
        if (s[i] != '"') {
            i++;
            continue;
        }
        size_t n = fuzz_json_string(s, len, &i, value, len);
        CHECK(n != (size_t)-1);
        check_safe(value, n, 0);
        CHECK(!memchr(value, '\n', n));
    }
    free(value);
}

static void check_json(const char *s, size_t len, const mls_hits *hits)
{
    size_t k = 0;
    for (size_t i = 0; i < len; k++) {
        const char *nl = memchr(s + i, '\n', len - i);
        CHECK(nl);
        size_t n = (size_t)(nl - (s + i));
        CHECK(fuzz_json_valid(s + i, n) && s[i] == '{' && s[i + n - 1] == '}');
        check_json_strings(s + i, n);
        if (k >= 1 && k <= hits->count) {
            const mls_passage *p = &hits->items[k - 1].passage;
            char *line = fuzz_strndup((const uint8_t *)s + i, n);
            if (line) {
                unsigned long l = json_number(line, ",\"line\":");
                CHECK(l >= p->line && l <= p->end_line);
                CHECK(json_number(line, ",\"column\":") >= 1);
                free(line);
            }
        }
        i += n + 1;
    }
    CHECK(k == hits->count + 2);
}

static size_t distinct_paths(const mls_hits *hits)
{
    size_t n = 0;
    for (size_t i = 0; i < hits->count; i++) {
        size_t j = 0;
        while (j < i && strcmp(hits->items[j].passage.path, hits->items[i].passage.path))
            j++;
        n += j == i;
    }
    return n;
}

static void check_output(const mls_query *q, const mls_hits *hits, size_t width, const char *cwd)
{
    /* Text also fitted to the width (the path and the snippet cut). */
    static const struct {
        mls_output_format format;
        int color, fit;
    } runs[] = {{MLS_OUTPUT_TEXT, 0, 0},    {MLS_OUTPUT_TEXT, 1, 0}, {MLS_OUTPUT_TEXT, 0, 1},
                {MLS_OUTPUT_VIMGREP, 0, 0}, {MLS_OUTPUT_JSON, 0, 0}, {MLS_OUTPUT_FILES, 0, 0},
                {MLS_OUTPUT_COUNT, 0, 0}};
    for (size_t r = 0; r < sizeof runs / sizeof runs[0]; r++) {
        char *buf = NULL;
        size_t len = 0;
        FILE *out = open_memstream(&buf, &len);
        if (!out)
            return;
        /* Two notebooks: each hit (of part 0) says "[work]", or "notebook". */
        static const char *const notebooks[] = {"work", "team"};
        mls_output_options opt = {.format = runs[r].format,
                                  .color = runs[r].color,
                                  .cwd = cwd,
                                  .snippet_width = width,
                                  .max_columns = runs[r].fit ? width : 0,
                                  .notebooks = notebooks,
                                  .notebook_count = 2};
        clock_gettime(CLOCK_MONOTONIC, &opt.started);
        mls_status st = mls_output_hits(out, q, hits, &opt);
        fclose(out);
        CHECK(st == MLS_OK || st == MLS_ERR_NOMEM);
        if (st == MLS_OK) {
            check_safe(buf, len, runs[r].color);
            switch (runs[r].format) {
            case MLS_OUTPUT_TEXT:
            case MLS_OUTPUT_VIMGREP: CHECK(count_lines(buf, len) == hits->count); break;
            case MLS_OUTPUT_FILES:
            case MLS_OUTPUT_COUNT: CHECK(count_lines(buf, len) == distinct_paths(hits)); break;
            case MLS_OUTPUT_JSON: check_json(buf, len, hits); break;
            }
        }
        free(buf);
    }
}

/* Sorted, disjoint spans in `s`, in the snippet sense: byte boundaries of
 * characters (`exact`: also start < end and a gap between spans). */
static void check_spans(const char *s, size_t len, const mls_span *spans, size_t n, int exact)
{
    for (size_t i = 0; i < n; i++) {
        CHECK(spans[i].start <= spans[i].end && spans[i].end <= len);
        CHECK(!exact || spans[i].start < spans[i].end);
        CHECK(i == 0 || spans[i - 1].end + (size_t)exact <= spans[i].start);
        CHECK(boundary(s, len, spans[i].start) && boundary(s, len, spans[i].end));
    }
}

static void check_snippet(const mls_query *q, const char *text, size_t len, size_t width)
{
    mls_span *spans;
    size_t n;
    mls_snippet sn;
    if (mls_match_spans(q, text, len, &spans, &n) != MLS_OK)
        return;
    CHECK((n == 0) == (spans == NULL));
    check_spans(text, len, spans, n, 1);
    if (mls_snippet_make(text, len, spans, n, width, &sn) == MLS_OK) {
        CHECK(strlen(sn.text) == sn.len && !memchr(sn.text, '\n', sn.len));
        check_safe(sn.text, sn.len, 0);
        check_spans(sn.text, sn.len, sn.spans, sn.span_count, 0);
        size_t columns = 0;
        int cp;
        for (size_t i = 0, k; (k = fuzz_next_char(sn.text, sn.len, i, &cp)); i += k)
            columns += utf8proc_charwidth(cp) < 0 ? 1 : (size_t)utf8proc_charwidth(cp);
        CHECK(columns <= width + 2); /* the text, and "…" at either end */
        mls_snippet_clear(&sn);
    }
    free(spans);
}

/* mls_escape_text, mls_escape_line and the JSON writers on `len` bytes of
 * `s` (any bytes, NUL included); spans for escape_line from `pick`. */
static void check_escapes(const char *s, size_t len, const uint8_t *pick, size_t npick)
{
    char *out;
    size_t out_len;
    char esc[MLS_ESCAPE_MAX];
    int safe = mls_utf8_valid(s, len), cp;
    for (size_t i = 0, n; safe && (n = fuzz_next_char(s, len, i, &cp)); i += n)
        safe = mls_escape_char(cp, esc) == 0;

    if (mls_escape_text(s, len, &out, &out_len) == MLS_OK) {
        CHECK(strlen(out) == out_len && out_len >= len);
        check_safe(out, out_len, 0);
        CHECK(!memchr(out, '\n', out_len));
        CHECK(!safe || (out_len == len && !memcmp(out, s, len)));
        free(out);
    }

    /* Up to four sorted, disjoint spans at byte offsets the input picks. */
    size_t at[8], n = npick < 8 ? npick & ~(size_t)1 : 8;
    mls_span spans[4];
    for (size_t i = 0; i < n; i++) {
        at[i] = len ? pick[i] * len / 255 : 0;
        for (size_t j = i; j > 0 && at[j - 1] > at[j]; j--) {
            size_t t = at[j];
            at[j] = at[j - 1], at[j - 1] = t;
        }
    }
    for (size_t i = 0; i < n / 2; i++)
        spans[i] = (mls_span){at[2 * i], at[2 * i + 1]};
    if (mls_escape_line(s, len, spans, n / 2, &out, &out_len) == MLS_OK) {
        CHECK(strlen(out) == out_len);
        check_safe(out, out_len, 0);
        CHECK(!memchr(out, '\n', out_len) && !memchr(out, '\t', out_len));
        CHECK(!fuzz_contains(out, out_len, "  ", 2));
        CHECK(out_len == 0 || (out[0] != ' ' && out[out_len - 1] != ' '));
        for (size_t i = 0; i < n / 2; i++) {
            CHECK(spans[i].start <= spans[i].end && spans[i].end <= out_len);
            CHECK(i == 0 || spans[i - 1].end <= spans[i].start);
        }
        free(out);
    }

    /* JSON: the string's value is the text, invalid bytes as U+FFFD. */
    char *json = NULL, *value = NULL, *expect = malloc(3 * len + 1);
    size_t json_len = 0, expect_len = 0;
    FILE *f = open_memstream(&json, &json_len);
    if (!f || !expect) {
        if (f)
            fclose(f);
        free(json);
        free(expect);
        return;
    }
    mls_json_string(f, s, len);
    fflush(f);
    size_t string_len = json_len;
    mls_json_data(f, s, len);
    fflush(f);
    size_t data_end = json_len;
    mls_status text_st = mls_json_text(f, s, len);
    fclose(f);
    for (size_t i = 0, k; i < len; i += k) {
        if ((k = mls_utf8_next(s + i, len - i, NULL)) == 0) {
            memcpy(expect + expect_len, "\xEF\xBF\xBD", 3), expect_len += 3, k = 1;
        } else {
            memcpy(expect + expect_len, s + i, k), expect_len += k;
        }
    }
    check_safe(json, json_len, 0);
    CHECK(!memchr(json, '\n', json_len));
    size_t i = 0;
    value = malloc(expect_len + 1);
    if (value) {
        CHECK(fuzz_json_string(json, string_len, &i, value, expect_len) == expect_len);
        CHECK(i == string_len && !memcmp(value, expect, expect_len));
    }
    /* mls_json_data: {"text":<the same string>} for safe text, else
     * {"bytes":"<base64>"}. */
    const char *d = json + string_len;
    size_t d_len = data_end - string_len;
    CHECK(fuzz_json_valid(d, d_len));
    if (safe) {
        CHECK(d_len == 9 + string_len && !memcmp(d, "{\"text\":", 8));
        CHECK(!memcmp(d + 8, json, string_len) && d[d_len - 1] == '}');
    } else {
        static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                  "0123456789+/";
        size_t b = 10, m = (len + 2) / 3 * 4;
        CHECK(!memcmp(d, "{\"bytes\":\"", 10) && d_len == 10 + m + 2);
        for (size_t k = 0; k < len; k++) { /* each byte from its 6-bit digits */
            size_t bit = k * 8, q = bit / 6, r = bit % 6;
            const char *c0 = strchr(b64, d[b + q]), *c1 = strchr(b64, d[b + q + 1]);
            CHECK(c0 && c1 && *c0 && *c1);
            unsigned v = (unsigned)(c0 - b64) << 6 | (unsigned)(c1 - b64);
            CHECK((unsigned char)s[k] == (v >> (4 - r) & 0xFF));
        }
    }
    /* mls_json_text: {"text":<the string of the escaped text>}. */
    char *escaped, *decoded = NULL;
    size_t escaped_len, t = data_end + 8;
    CHECK(text_st == MLS_OK || text_st == MLS_ERR_NOMEM);
    if (text_st == MLS_OK && mls_escape_text(s, len, &escaped, &escaped_len) == MLS_OK) {
        CHECK(fuzz_json_valid(json + data_end, json_len - data_end));
        CHECK(!memcmp(json + data_end, "{\"text\":", 8) && json[json_len - 1] == '}');
        if ((decoded = malloc(escaped_len + 1)) != NULL) {
            CHECK(fuzz_json_string(json, json_len, &t, decoded, escaped_len) == escaped_len);
            CHECK(t == json_len - 1 && !memcmp(decoded, escaped, escaped_len));
        }
        free(decoded);
        free(escaped);
    }
    free(value);
    free(expect);
    free(json);
}

/* The hits the input describes (after the query field):
 *   per hit, a byte H: H & 3 headings, H >> 2 & 3 items, H >> 4 duplicates;
 *   a byte L: the passage's line, 1 + L; its column 1 + L % 5;
 *   then NUL-separated fields: path, text, the headings, the items.
 * The text is sanitized (passages are valid UTF-8); end_line is the line
 * its last line is on.  Returns how many hits were made. */
static size_t make_hits(const uint8_t *data, size_t size, size_t want, mls_hit *hits)
{
    size_t made = 0, n;
    for (; made < want && size >= 2; made++) {
        mls_hit *h = &hits[made];
        mls_passage *p = &h->passage;
        unsigned shape = data[0], l = data[1];
        data += 2, size -= 2;
        memset(h, 0, sizeof *h);
        h->duplicates = shape >> 4;
        h->score = l / 7.0;
        p->line = 1 + l;
        p->column = 1 + l % 5;
        p->heading_count = shape & 3;
        p->item_count = shape >> 2 & 3;
        p->headings = calloc(3, sizeof *p->headings);
        p->items = calloc(3, sizeof *p->items);
        const uint8_t *f = fuzz_field(&data, &size, &n);
        p->path = fuzz_strndup(f, n);
        f = fuzz_field(&data, &size, &n);
        size_t replaced;
        if (mls_utf8_sanitize((const char *)f, n, &p->text, &p->text_len, &replaced))
            p->text = NULL;
        for (size_t i = 0; p->headings && p->items && i < p->heading_count + p->item_count; i++) {
            f = fuzz_field(&data, &size, &n);
            if (i < p->heading_count)
                p->headings[i] = fuzz_strndup(f, n);
            else
                p->items[i - p->heading_count] = fuzz_strndup(f, n);
        }
        p->end_line = p->line;
        for (size_t i = 0, brk; p->text && i < p->text_len; i++)
            if ((brk = mls_line_break(p->text, p->text_len, i)) != 0)
                p->end_line++, i += brk - 1;
        int ok = p->path && p->text && p->headings && p->items;
        for (size_t i = 0; i < p->heading_count; i++)
            ok &= p->headings[i] != NULL;
        for (size_t i = 0; i < p->item_count; i++)
            ok &= p->items[i] != NULL;
        if (!ok) { /* out of memory: drop it (unfilled slots are NULL) */
            p->heading_count = p->headings ? p->heading_count : 0;
            p->item_count = p->items ? p->item_count : 0;
            mls_passage_clear(p);
            return made;
        }
    }
    return made;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    size_t want = 1 + data[0] % MAX_HITS, width = 1 + data[1] % 160, n;
    const char *cwd = data[0] & 0x80 ? "/n" : NULL;
    check_escapes((const char *)data, size, data + 2, size - 2 < 8 ? size - 2 : 8);
    data += 2, size -= 2;

    /* The query: the first field, or a plain word if it has no term. */
    const uint8_t *f = fuzz_field(&data, &size, &n);
    char *text = fuzz_strndup(f, n);
    mls_query *q = NULL;
    if (!text || (mls_query_parse(text, &q) != MLS_OK && mls_query_parse("a", &q) != MLS_OK)) {
        free(text);
        return 0;
    }
    free(text);

    mls_hit items[MAX_HITS];
    /* Counts of identical texts exact or lower bounds, as the input's parity says. */
    mls_hits hits = {
        .items = items, .count = make_hits(data, size, want, items), .all_read = (int)(size & 1)};
    if (hits.count > 0) {
        for (size_t i = 0; i < hits.count; i++)
            check_snippet(q, items[i].passage.text, items[i].passage.text_len, width);
        check_output(q, &hits, width, cwd);
    }
    for (size_t i = 0; i < hits.count; i++)
        mls_passage_clear(&items[i].passage);
    mls_query_free(q);
    return 0;
}
