/* fuzz_markdown.c - a note (any bytes) made valid with mls_utf8_sanitize,
 * then split into passages by mls_markdown_passages and its front matter
 * read by mls_front_matter_tags, as the indexer does.
 *
 * Passages are what the index stores and what every hit shows and points
 * an editor at, so it checks:
 *  - sanitizing gives valid UTF-8 without NUL, keeps every line break
 *    (line numbers), and leaves valid text as it is;
 *  - each passage is a slice of the note where it says: its text starts
 *    at (line, column) and ends on a line from line to end_line, within
 *    the note's lines; it is valid UTF-8, not blank, with no trailing white
 *    space; passages come in document order;
 *  - context is as passage.h says: headings non-empty, items at most
 *    MLS_CONTEXT_MAX_ITEMS, each one line of at most MLS_CONTEXT_MAX_BYTES
 *    of valid UTF-8;
 *  - every passage survives mls_passage_encode and mls_passage_decode;
 *  - tags are non-empty, trimmed, one line of valid UTF-8. */
#include "fuzz_support.h"

#include "mlsearch/internal/front_matter.h"
#include "mlsearch/internal/markdown.h"
#include "mlsearch/passage.h"
#include "mlsearch/strings.h"

static const char path[] = "/notes/fuzz.md";

static void check_context(char **v, size_t n, int may_be_empty)
{
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(v[i]);
        CHECK(may_be_empty || len > 0);
        CHECK(len <= MLS_CONTEXT_MAX_BYTES);
        CHECK(!strpbrk(v[i], "\r\n"));
        CHECK(mls_utf8_valid(v[i], len));
    }
}

static void check_round_trip(const mls_passage *p)
{
    char *rec;
    size_t rec_len;
    mls_passage q;
    if (mls_passage_encode(p, &rec, &rec_len) != MLS_OK)
        return;
    mls_status st = mls_passage_decode(rec, rec_len, &q);
    CHECK(st == MLS_OK || st == MLS_ERR_NOMEM);
    if (st == MLS_OK) {
        CHECK(!strcmp(q.path, p->path));
        CHECK(q.line == p->line && q.column == p->column && q.end_line == p->end_line);
        CHECK(q.kind == p->kind);
        CHECK(q.heading_count == p->heading_count && q.item_count == p->item_count);
        for (size_t i = 0; i < p->heading_count; i++)
            CHECK(!strcmp(q.headings[i], p->headings[i]));
        for (size_t i = 0; i < p->item_count; i++)
            CHECK(!strcmp(q.items[i], p->items[i]));
        CHECK(q.text_len == p->text_len && !memcmp(q.text, p->text, p->text_len));
        CHECK(q.text[q.text_len] == '\0');
        mls_passage_clear(&q);
    }
    free(rec);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text;
    size_t len, replaced;
    if (mls_utf8_sanitize((const char *)data, size, &text, &len, &replaced) != MLS_OK)
        return 0;
    CHECK(text[len] == '\0' && strlen(text) == len);
    CHECK(mls_utf8_valid(text, len));
    size_t breaks_in = 0, breaks_out = 0;
    for (size_t i = 0; i < size; i++)
        breaks_in += data[i] == '\n' || data[i] == '\r';
    for (size_t i = 0; i < len; i++)
        breaks_out += text[i] == '\n' || text[i] == '\r';
    CHECK(breaks_in == breaks_out);
    if (mls_utf8_valid((const char *)data, size) && !memchr(data, '\0', size))
        CHECK(replaced == 0 && len == size && !memcmp(text, data, size));
    else
        CHECK(replaced > 0);

    /* The note as cmark numbers it: after a byte-order mark. */
    const char *note = text;
    size_t note_len = len;
    if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3))
        note += 3, note_len -= 3;
    size_t *starts = malloc((note_len + 2) * sizeof *starts), lines = 0;
    if (!starts) {
        free(text);
        return 0;
    }
    starts[lines++] = 0;
    for (size_t i = 0, brk; i < note_len; i++)
        if ((brk = mls_line_break(note, note_len, i)) != 0)
            starts[lines++] = (i += brk - 1) + 1;
    starts[lines] = note_len; /* the end of the last line */

    mls_passage_list list = {0};
    mls_strings hashtags = {0};
    mls_status st = mls_markdown_passages(path, text, len, &list, &hashtags);
    CHECK(st == MLS_OK || st == MLS_ERR_NOMEM);
    for (size_t k = 0; k < list.count; k++) {
        const mls_passage *p = &list.items[k];
        CHECK(!strcmp(p->path, path));
        CHECK(p->line >= 1 && p->column >= 1);
        CHECK(p->line <= p->end_line && p->end_line <= lines);
        CHECK(k == 0 || list.items[k - 1].line <= p->line);
        CHECK(p->kind <= MLS_BLOCK_HTML);
        CHECK(p->text_len > 0 && strlen(p->text) == p->text_len);
        CHECK(mls_utf8_valid(p->text, p->text_len));
        CHECK(strspn(p->text, " \t\r\n") < p->text_len);
        CHECK(!strchr(" \t\r\n", p->text[p->text_len - 1]));
        /* Where it says: from (line, column) to no further than end_line. */
        size_t at = starts[p->line - 1] + p->column - 1;
        CHECK(at < starts[p->line]);
        CHECK(at + p->text_len <= starts[p->end_line]);
        CHECK(!memcmp(note + at, p->text, p->text_len));
        check_context(p->headings, p->heading_count, 0);
        check_context(p->items, p->item_count, 1);
        CHECK(p->item_count <= MLS_CONTEXT_MAX_ITEMS);
        check_round_trip(p);
    }
    mls_passage_list_free(&list);
    /* A #tag of the prose: something to find, and no '#', space or
     * trailing '-' or '/' (hashtags.h). */
    for (size_t i = 0; i < hashtags.count; i++) {
        const char *t = hashtags.items[i];
        size_t n = strlen(t);
        CHECK(n > 0 && mls_utf8_valid(t, n) && strcspn(t, "# \t\r\n") == n);
        CHECK(t[n - 1] != '-' && t[n - 1] != '/' && strspn(t, "0123456789") < n);
    }
    mls_strings_free(&hashtags);

    mls_strings tags = {0};
    st = mls_front_matter_tags(text, len, &tags);
    CHECK(st == MLS_OK || st == MLS_ERR_NOMEM);
    for (size_t i = 0; i < tags.count; i++) {
        const char *t = tags.items[i];
        size_t n = strlen(t);
        CHECK(n > 0 && mls_utf8_valid(t, n) && !strchr(t, '\n'));
        CHECK(!strchr(" \t\"'", t[0]) && !strchr(" \t\"'\r", t[n - 1]));
    }
    mls_strings_free(&tags);
    free(starts);
    free(text);
    return 0;
}
