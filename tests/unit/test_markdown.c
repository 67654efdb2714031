/* test_markdown.c - unit tests of include/mlsearch/internal/markdown.h and of the
 * passage encoding in include/mlsearch/passage.h.
 *
 * Expectations were worked out by hand from the contracts: lines and
 * columns are 1-based, columns count bytes; a paragraph's text is its
 * source text (for a list item, from the item's text after the marker);
 * `headings` holds the inline text of the headings above a passage
 * (without '#' markers), outermost first; `items` holds the text of the
 * enclosing list items (an item's text is its first paragraph's text),
 * outermost first, not counting the item a paragraph belongs to itself.
 *
 * Whether a heading passage's text includes its "## " marker is left to
 * the implementation: heading texts are only checked to contain the
 * heading's words.  The same goes for code blocks and their fences.
 *
 * Notes are copied into buffers of exactly `len` bytes (no NUL) and the
 * path is freed before the passages are inspected, so that ASan or
 * valgrind catch reads past the end and paths that were not copied. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "test_support.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mlsearch/internal/markdown.h"
#include "mlsearch/passage.h"

#define PATH "/home/user/notes/2024-05 会議メモ.md"

/* NULL-terminated string lists for expected headings and items */
#define L(...) ((const char *const[]){__VA_ARGS__, NULL})
#define NONE ((const char *const[]){NULL})

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

static char *xstrdup(const char *s)
{
    char *d = exact_copy(s, strlen(s) + 1);
    return d;
}

/* Byte offset of (line, column) in `src`, or (size_t)-1 if there is no
 * such place. */
static size_t offset_of(const char *src, size_t len, unsigned line, unsigned column)
{
    size_t off = 0;
    for (unsigned l = 1; l < line; l++) {
        const char *nl = memchr(src + off, '\n', len - off);
        if (!nl)
            return (size_t)-1;
        off = (size_t)(nl - src) + 1;
    }
    if (column < 1 || off + column - 1 > len)
        return (size_t)-1;
    return off + column - 1;
}

static int is_blank(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
            return 0;
    return 1;
}

/* What must hold for every passage of a note `src` parsed with `path`. */
static void check_passage_invariants(const mls_passage *p, const char *path, const char *src,
                                     size_t len)
{
    assert_non_null(p->path);
    assert_string_equal(p->path, path);
    assert_true(p->line >= 1);
    assert_true(p->column >= 1);
    assert_true(p->end_line >= p->line);
    assert_true(p->kind == MLS_BLOCK_PARAGRAPH || p->kind == MLS_BLOCK_HEADING ||
                p->kind == MLS_BLOCK_CODE || p->kind == MLS_BLOCK_HTML);
    assert_non_null(p->text);
    assert_int_equal(strlen(p->text), p->text_len);
    assert_false(is_blank(p->text, p->text_len)); /* blank passages left out */
    if (p->heading_count)
        assert_non_null(p->headings);
    for (size_t i = 0; i < p->heading_count; i++) {
        assert_non_null(p->headings[i]);
        assert_true(strlen(p->headings[i]) > 0);
    }
    if (p->item_count)
        assert_non_null(p->items);
    for (size_t i = 0; i < p->item_count; i++)
        assert_non_null(p->items[i]);
    /* the position lies inside the note */
    size_t off = offset_of(src, len, p->line, p->column);
    assert_true(off != (size_t)-1);
    assert_true(off < len);
    if (p->kind == MLS_BLOCK_PARAGRAPH) {
        /* the text's first line is the source from (line, column) on */
        const char *nl = memchr(p->text, '\n', p->text_len);
        size_t first = nl ? (size_t)(nl - p->text) : p->text_len;
        assert_true(off + first <= len);
        assert_memory_equal(src + off, p->text, first);
        /* and the text has as many lines as the passage */
        size_t newlines = 0;
        for (size_t i = 0; i < p->text_len; i++)
            newlines += p->text[i] == '\n';
        assert_int_equal(newlines, p->end_line - p->line);
    }
}

/* Appends the passages of `text` (`len` bytes) to `list` and checks the
 * invariants of the new ones. */
static void parse_append(const char *text, size_t len, const char *path, mls_passage_list *list)
{
    size_t before = list->count;
    char *buf = exact_copy(text, len);
    char *p = xstrdup(path);
    mls_status st = mls_markdown_passages(p, buf, len, list, NULL);
    free(p); /* passages must hold copies of the path */
    assert_int_equal(st, MLS_OK);
    assert_true(list->count >= before);
    if (list->count)
        assert_non_null(list->items);
    for (size_t i = before; i < list->count; i++) {
        check_passage_invariants(&list->items[i], path, buf, len);
        if (i > before)
            assert_true(list->items[i].line >= list->items[i - 1].line);
    }
    free(buf);
}

#define PARSE(lit, list) parse_append((lit), sizeof(lit) - 1, PATH, (list))
#define PARSE_AT(lit, path, list) parse_append((lit), sizeof(lit) - 1, (path), (list))

static void expect_strings(char *const *got, size_t count, const char *const *expected)
{
    size_t n = 0;
    while (expected[n])
        n++;
    assert_int_equal(count, n);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(got[i], expected[i]);
}

/* A paragraph with its exact text and context. */
static void expect_para(const mls_passage *p, unsigned line, unsigned column, unsigned end_line,
                        const char *text, const char *const *headings, const char *const *items)
{
    assert_int_equal(p->kind, MLS_BLOCK_PARAGRAPH);
    assert_int_equal(p->line, line);
    assert_int_equal(p->column, column);
    assert_int_equal(p->end_line, end_line);
    assert_string_equal(p->text, text);
    assert_int_equal(p->text_len, strlen(text));
    expect_strings(p->headings, p->heading_count, headings);
    expect_strings(p->items, p->item_count, items);
}

/* A heading: its text contains `words`; heading markers may or may not be
 * part of the text. */
static void expect_heading(const mls_passage *p, unsigned line, unsigned end_line,
                           const char *words, const char *const *headings)
{
    assert_int_equal(p->kind, MLS_BLOCK_HEADING);
    assert_int_equal(p->line, line);
    assert_int_equal(p->end_line, end_line);
    assert_non_null(strstr(p->text, words));
    expect_strings(p->headings, p->heading_count, headings);
    expect_strings(p->items, p->item_count, NONE);
}

static void expect_no_passage_contains(const mls_passage_list *list, const char *word)
{
    for (size_t i = 0; i < list->count; i++) {
        const mls_passage *p = &list->items[i];
        assert_null(strstr(p->text, word));
        for (size_t j = 0; j < p->heading_count; j++)
            assert_null(strstr(p->headings[j], word));
        for (size_t j = 0; j < p->item_count; j++)
            assert_null(strstr(p->items[j], word));
    }
}

/* ------------------------------------------------------------------ */
/* Headings                                                            */
/* ------------------------------------------------------------------ */

static void test_headings_and_paragraph(void **state)
{
    (void)state;
    mls_passage_list list = {0};
    PARSE("# Top\n\n## Sub\n\npara one\n", &list);
    assert_int_equal(list.count, 3);
    expect_heading(&list.items[0], 1, 1, "Top", NONE);
    expect_heading(&list.items[1], 3, 3, "Sub", L("Top"));
    expect_para(&list.items[2], 5, 1, 5, "para one", L("Top", "Sub"), NONE);
    mls_passage_list_free(&list);
}

static void test_heading_path_pops(void **state)
{
    (void)state;
    mls_passage_list list = {0};

    /* a new top-level heading replaces the whole path */
    PARSE("# A\n\n## B\n\n# C\n\ntext\n", &list);
    assert_int_equal(list.count, 4);
    expect_heading(&list.items[2], 5, 5, "C", NONE);
    expect_para(&list.items[3], 7, 1, 7, "text", L("C"), NONE);
    mls_passage_list_free(&list);

    /* a skipped level leaves no gap in the path */
    list = (mls_passage_list){0};
    PARSE("# A\n\n### C\n\ntext\n", &list);
    assert_int_equal(list.count, 3);
    expect_heading(&list.items[1], 3, 3, "C", L("A"));
    expect_para(&list.items[2], 5, 1, 5, "text", L("A", "C"), NONE);
    mls_passage_list_free(&list);

    /* a level-2 heading after a level-3 one replaces it */
    list = (mls_passage_list){0};
    PARSE("# A\n\n### X\n\n## Y\n\ntext\n", &list);
    assert_int_equal(list.count, 4);
    expect_heading(&list.items[2], 5, 5, "Y", L("A"));
    expect_para(&list.items[3], 7, 1, 7, "text", L("A", "Y"), NONE);
    mls_passage_list_free(&list);

    /* a same-level heading replaces its sibling */
    list = (mls_passage_list){0};
    PARSE("# A\n## B\n## C\ntext\n", &list);
    assert_int_equal(list.count, 4);
    expect_heading(&list.items[2], 3, 3, "C", L("A"));
    expect_para(&list.items[3], 4, 1, 4, "text", L("A", "C"), NONE);
    mls_passage_list_free(&list);
}

static void test_heading_text_forms(void **state)
{
    (void)state;
    mls_passage_list list = {0};

    /* closing #'s are not part of the heading's text */
    PARSE("## Closed ##\n\ntext\n", &list);
    assert_int_equal(list.count, 2);
    expect_heading(&list.items[0], 1, 1, "Closed", NONE);
    expect_para(&list.items[1], 3, 1, 3, "text", L("Closed"), NONE);
    mls_passage_list_free(&list);

    /* Japanese */
    list = (mls_passage_list){0};
    PARSE("# 概要\n\n本文です。\n", &list);
    assert_int_equal(list.count, 2);
    expect_heading(&list.items[0], 1, 1, "概要", NONE);
    expect_para(&list.items[1], 3, 1, 3, "本文です。", L("概要"), NONE);
    mls_passage_list_free(&list);

    /* a setext heading spans two lines; the blank line after it is not
     * part of it (cmark itself reports such a heading as ending on the
     * next line, column 0) */
    list = (mls_passage_list){0};
    PARSE("Title\n=====\n\ntext\n", &list);
    assert_int_equal(list.count, 2);
    expect_heading(&list.items[0], 1, 2, "Title", NONE);
    expect_para(&list.items[1], 4, 1, 4, "text", L("Title"), NONE);
    mls_passage_list_free(&list);
}

/* ------------------------------------------------------------------ */
/* Paragraphs                                                          */
/* ------------------------------------------------------------------ */

static void test_paragraph_source_text(void **state)
{
    (void)state;
    mls_passage_list list = {0};

    /* two lines: the text keeps the newline between them */
    PARSE("line a\nline b\n", &list);
    assert_int_equal(list.count, 1);
    expect_para(&list.items[0], 1, 1, 2, "line a\nline b", NONE, NONE);
    mls_passage_list_free(&list);

    /* inline markup stays as it is in the source */
    list = (mls_passage_list){0};
    PARSE("Some **bold** and `code` and [a link](https://example.com/x).\n", &list);
    assert_int_equal(list.count, 1);
    expect_para(&list.items[0], 1, 1, 1,
                "Some **bold** and `code` and [a link](https://example.com/x).", NONE, NONE);
    mls_passage_list_free(&list);

    /* no final newline */
    list = (mls_passage_list){0};
    PARSE("first\n\nlast", &list);
    assert_int_equal(list.count, 2);
    expect_para(&list.items[0], 1, 1, 1, "first", NONE, NONE);
    expect_para(&list.items[1], 3, 1, 3, "last", NONE, NONE);
    mls_passage_list_free(&list);

    /* a block quote's paragraph starts after "> " */
    list = (mls_passage_list){0};
    PARSE("> quoted text\n", &list);
    assert_int_equal(list.count, 1);
    expect_para(&list.items[0], 1, 3, 1, "quoted text", NONE, NONE);
    mls_passage_list_free(&list);

    /* a thematic break after the first line is no front matter and gives
     * no passage */
    list = (mls_passage_list){0};
    PARSE("para\n\n---\n\ntext\n", &list);
    assert_int_equal(list.count, 2);
    expect_para(&list.items[0], 1, 1, 1, "para", NONE, NONE);
    expect_para(&list.items[1], 5, 1, 5, "text", NONE, NONE);
    mls_passage_list_free(&list);
}

/* ------------------------------------------------------------------ */
/* Lists                                                               */
/* ------------------------------------------------------------------ */

static void test_nested_list(void **state)
{
    (void)state;
    mls_passage_list list = {0};
    PARSE("# H\n\n- Preferred Networks\n  - 推論サーバーをどう作るか?\n"
          "  - other\n",
          &list);
    assert_int_equal(list.count, 4);
    expect_heading(&list.items[0], 1, 1, "H", NONE);
    expect_para(&list.items[1], 3, 3, 3, "Preferred Networks", L("H"), NONE);
    expect_para(&list.items[2], 4, 5, 4, "推論サーバーをどう作るか?", L("H"),
                L("Preferred Networks"));
    expect_para(&list.items[3], 5, 5, 5, "other", L("H"), L("Preferred Networks"));
    mls_passage_list_free(&list);
}

static void test_deep_and_ordered_lists(void **state)
{
    (void)state;
    mls_passage_list list = {0};
    PARSE("- a\n  - b\n    - c\n- d\n", &list);
    assert_int_equal(list.count, 4);
    expect_para(&list.items[0], 1, 3, 1, "a", NONE, NONE);
    expect_para(&list.items[1], 2, 5, 2, "b", NONE, L("a"));
    expect_para(&list.items[2], 3, 7, 3, "c", NONE, L("a", "b"));
    expect_para(&list.items[3], 4, 3, 4, "d", NONE, NONE);
    mls_passage_list_free(&list);

    list = (mls_passage_list){0};
    PARSE("1. one\n2. two\n   * sub\n", &list);
    assert_int_equal(list.count, 3);
    expect_para(&list.items[0], 1, 4, 1, "one", NONE, NONE);
    expect_para(&list.items[1], 2, 4, 2, "two", NONE, NONE);
    expect_para(&list.items[2], 3, 6, 3, "sub", NONE, L("two"));
    mls_passage_list_free(&list);
}

static void test_item_text_is_first_paragraph(void **state)
{
    (void)state;
    mls_passage_list list = {0};
    /* the item's second paragraph is its own text too (not nested in
     * itself); the child names the item by its first paragraph */
    PARSE("- first\n\n  second\n  - child\n", &list);
    assert_int_equal(list.count, 3);
    expect_para(&list.items[0], 1, 3, 1, "first", NONE, NONE);
    expect_para(&list.items[1], 3, 3, 3, "second", NONE, NONE);
    expect_para(&list.items[2], 4, 5, 4, "child", NONE, L("first"));
    mls_passage_list_free(&list);

    /* an item's text is its paragraph's source text, markup included */
    list = (mls_passage_list){0};
    PARSE("## S\n\n- **bold** item\n  - child\n", &list);
    assert_int_equal(list.count, 3);
    expect_para(&list.items[1], 3, 3, 3, "**bold** item", L("S"), NONE);
    expect_para(&list.items[2], 4, 5, 4, "child", L("S"), L("**bold** item"));
    mls_passage_list_free(&list);

    /* an empty item gives no passage */
    list = (mls_passage_list){0};
    PARSE("-\n", &list);
    assert_int_equal(list.count, 0);
    mls_passage_list_free(&list);
}

/* ------------------------------------------------------------------ */
/* Code and HTML                                                       */
/* ------------------------------------------------------------------ */

static void test_code_blocks(void **state)
{
    (void)state;
    mls_passage_list list = {0};
    PARSE("# H\n\n```c\nint x = 1;\n```\n\nafter\n", &list);
    assert_int_equal(list.count, 3);
    const mls_passage *c = &list.items[1];
    assert_int_equal(c->kind, MLS_BLOCK_CODE);
    assert_int_equal(c->line, 3);
    /* the last line is the code's (4) or the closing fence's (5) */
    assert_in_range(c->end_line, 4, 5);
    assert_non_null(strstr(c->text, "int x = 1;"));
    expect_strings(c->headings, c->heading_count, L("H"));
    expect_strings(c->items, c->item_count, NONE);
    expect_para(&list.items[2], 7, 1, 7, "after", L("H"), NONE);
    mls_passage_list_free(&list);

    /* an indented code block */
    list = (mls_passage_list){0};
    PARSE("para\n\n    indented code\n", &list);
    assert_int_equal(list.count, 2);
    expect_para(&list.items[0], 1, 1, 1, "para", NONE, NONE);
    assert_int_equal(list.items[1].kind, MLS_BLOCK_CODE);
    assert_int_equal(list.items[1].line, 3);
    assert_int_equal(list.items[1].end_line, 3);
    assert_non_null(strstr(list.items[1].text, "indented code"));
    mls_passage_list_free(&list);

    /* a multi-line fenced block keeps its lines */
    list = (mls_passage_list){0};
    PARSE("~~~\nfirst line\n\tsecond line\n~~~\n", &list);
    assert_int_equal(list.count, 1);
    assert_int_equal(list.items[0].kind, MLS_BLOCK_CODE);
    assert_int_equal(list.items[0].line, 1);
    assert_non_null(strstr(list.items[0].text, "first line\n\tsecond line"));
    mls_passage_list_free(&list);
}

static void test_empty_code_block_left_out(void **state)
{
    (void)state;
    mls_passage_list list = {0};
    PARSE("```\n```\n", &list);
    assert_int_equal(list.count, 0);
    mls_passage_list_free(&list);

    list = (mls_passage_list){0};
    PARSE("# H\n\n```python\n```\n\ntext\n", &list);
    assert_int_equal(list.count, 2);
    expect_heading(&list.items[0], 1, 1, "H", NONE);
    expect_para(&list.items[1], 6, 1, 6, "text", L("H"), NONE);
    mls_passage_list_free(&list);
}

static void test_html_block(void **state)
{
    (void)state;
    mls_passage_list list = {0};
    PARSE("<div>\nhello\n</div>\n\nafter\n", &list);
    assert_int_equal(list.count, 2);
    assert_int_equal(list.items[0].kind, MLS_BLOCK_HTML);
    assert_int_equal(list.items[0].line, 1);
    assert_int_equal(list.items[0].column, 1);
    assert_int_equal(list.items[0].end_line, 3);
    assert_non_null(strstr(list.items[0].text, "hello"));
    expect_para(&list.items[1], 5, 1, 5, "after", NONE, NONE);
    mls_passage_list_free(&list);
}

/* ------------------------------------------------------------------ */
/* Front matter, empty notes                                           */
/* ------------------------------------------------------------------ */

static void test_front_matter(void **state)
{
    (void)state;
    mls_passage_list list = {0};
    PARSE("---\ntitle: x\nproject: kestrel\n---\n\nbody\n", &list);
    assert_int_equal(list.count, 1);
    expect_para(&list.items[0], 6, 1, 6, "body", NONE, NONE);
    expect_no_passage_contains(&list, "kestrel");
    expect_no_passage_contains(&list, "title");
    mls_passage_list_free(&list);

    /* closed by "...", body right after it */
    list = (mls_passage_list){0};
    PARSE("---\ntags: [a, secretword]\n...\nbody\n", &list);
    assert_int_equal(list.count, 1);
    expect_para(&list.items[0], 4, 1, 4, "body", NONE, NONE);
    expect_no_passage_contains(&list, "secretword");
    mls_passage_list_free(&list);

    /* a heading after front matter */
    list = (mls_passage_list){0};
    PARSE("---\na: 1\n---\n# Title\n\ntext\n", &list);
    assert_int_equal(list.count, 2);
    expect_heading(&list.items[0], 4, 4, "Title", NONE);
    expect_para(&list.items[1], 6, 1, 6, "text", L("Title"), NONE);
    mls_passage_list_free(&list);
}

static void test_no_passages(void **state)
{
    (void)state;
    mls_passage_list list = {0};

    parse_append("", 0, PATH, &list);
    assert_int_equal(list.count, 0);

    PARSE("---\ntitle: x\nproject: kestrel\n---\n", &list);
    assert_int_equal(list.count, 0);

    PARSE("---\ntitle: x\n---", &list);
    assert_int_equal(list.count, 0);

    PARSE("\n\n   \n\t\n", &list);
    assert_int_equal(list.count, 0);

    PARSE("---\n", &list); /* a lone thematic break */
    assert_int_equal(list.count, 0);

    mls_passage_list_free(&list);
    mls_passage_list_free(NULL);
}

/* ------------------------------------------------------------------ */
/* Paths and appending                                                 */
/* ------------------------------------------------------------------ */

static void test_paths_and_append(void **state)
{
    (void)state;
    mls_passage_list list = {0};
    PARSE_AT("# A\n\none\n\n- two\n", "/n/first.md", &list);
    assert_int_equal(list.count, 3);
    PARSE_AT("three\n\nfour\n", "/n/second.md", &list);
    assert_int_equal(list.count, 5);

    for (size_t i = 0; i < 3; i++)
        assert_string_equal(list.items[i].path, "/n/first.md");
    for (size_t i = 3; i < 5; i++)
        assert_string_equal(list.items[i].path, "/n/second.md");
    /* every passage owns its own copy */
    for (size_t i = 1; i < list.count; i++)
        assert_ptr_not_equal(list.items[i].path, list.items[0].path);

    expect_para(&list.items[1], 3, 1, 3, "one", L("A"), NONE);
    expect_para(&list.items[2], 5, 3, 5, "two", L("A"), NONE);
    /* the second note does not inherit the first one's headings */
    expect_para(&list.items[3], 1, 1, 1, "three", NONE, NONE);
    expect_para(&list.items[4], 3, 1, 3, "four", NONE, NONE);
    mls_passage_list_free(&list);
}

static void test_larger_note(void **state)
{
    (void)state;
    static const char note[] = "---\n"                                 /* 1 */
                               "tags: [meetup]\n"                      /* 2 */
                               "---\n"                                 /* 3 */
                               "# 2024-05 Payments ML Meetup\n"        /* 4 */
                               "\n"                                    /* 5 */
                               "AML（マネーロンダリング対策）の話。\n" /* 6 */
                               "\n"                                    /* 7 */
                               "## Talks\n"                            /* 8 */
                               "\n"                                    /* 9 */
                               "- Preferred Networks\n"                /* 10 */
                               "  - 推論サーバーをどう作るか?\n"       /* 11 */
                               "  - GPU🚀サーバー\n"                    /* 12 */
                               "- Stripe\n"                            /* 13 */
                               "\n"                                    /* 14 */
                               "```sh\n"                               /* 15 */
                               "make index\n"                          /* 16 */
                               "```\n"                                 /* 17 */
                               "\n"                                    /* 18 */
                               "### Q&A\n"                             /* 19 */
                               "\n"                                    /* 20 */
                               "> 質問: ロンダリングの検知は?\n";      /* 21 */
    mls_passage_list list = {0};
    PARSE(note, &list);
    assert_int_equal(list.count, 10);
    expect_heading(&list.items[0], 4, 4, "2024-05 Payments ML Meetup", NONE);
    expect_para(&list.items[1], 6, 1, 6, "AML（マネーロンダリング対策）の話。",
                L("2024-05 Payments ML Meetup"), NONE);
    expect_heading(&list.items[2], 8, 8, "Talks", L("2024-05 Payments ML Meetup"));
    expect_para(&list.items[3], 10, 3, 10, "Preferred Networks",
                L("2024-05 Payments ML Meetup", "Talks"), NONE);
    expect_para(&list.items[4], 11, 5, 11, "推論サーバーをどう作るか?",
                L("2024-05 Payments ML Meetup", "Talks"), L("Preferred Networks"));
    expect_para(&list.items[5], 12, 5, 12, "GPU🚀サーバー", L("2024-05 Payments ML Meetup", "Talks"),
                L("Preferred Networks"));
    expect_para(&list.items[6], 13, 3, 13, "Stripe", L("2024-05 Payments ML Meetup", "Talks"),
                NONE);
    assert_int_equal(list.items[7].kind, MLS_BLOCK_CODE);
    assert_int_equal(list.items[7].line, 15);
    assert_non_null(strstr(list.items[7].text, "make index"));
    expect_strings(list.items[7].headings, list.items[7].heading_count,
                   L("2024-05 Payments ML Meetup", "Talks"));
    expect_heading(&list.items[8], 19, 19, "Q&A", L("2024-05 Payments ML Meetup", "Talks"));
    expect_para(&list.items[9], 21, 3, 21, "質問: ロンダリングの検知は?",
                L("2024-05 Payments ML Meetup", "Talks", "Q&A"), NONE);
    expect_no_passage_contains(&list, "meetup]");
    mls_passage_list_free(&list);
}

/* ------------------------------------------------------------------ */
/* mls_passage_encode / mls_passage_decode                             */
/* ------------------------------------------------------------------ */

static void assert_passage_equal(const mls_passage *a, const mls_passage *b)
{
    assert_string_equal(a->path, b->path);
    assert_int_equal(a->line, b->line);
    assert_int_equal(a->column, b->column);
    assert_int_equal(a->end_line, b->end_line);
    assert_int_equal(a->kind, b->kind);
    assert_int_equal(a->heading_count, b->heading_count);
    for (size_t i = 0; i < a->heading_count; i++)
        assert_string_equal(a->headings[i], b->headings[i]);
    assert_int_equal(a->item_count, b->item_count);
    for (size_t i = 0; i < a->item_count; i++)
        assert_string_equal(a->items[i], b->items[i]);
    assert_int_equal(a->text_len, b->text_len);
    assert_non_null(b->text);
    assert_memory_equal(a->text, b->text, a->text_len);
}

static void assert_cleared(const mls_passage *p)
{
    assert_null(p->path);
    assert_null(p->text);
    assert_null(p->headings);
    assert_null(p->items);
    assert_int_equal(p->heading_count, 0);
    assert_int_equal(p->item_count, 0);
    assert_int_equal(p->text_len, 0);
}

/* Encodes `p`, decodes it again, compares; returns the encoding. */
static char *round_trip(const mls_passage *p, size_t *enc_len)
{
    char *enc = NULL;
    size_t len = 0;
    assert_int_equal(mls_passage_encode(p, &enc, &len), MLS_OK);
    assert_non_null(enc);
    assert_true(len > 0);

    /* decode from an exact-size copy */
    char *buf = exact_copy(enc, len);
    mls_passage q;
    memset(&q, 0, sizeof q);
    assert_int_equal(mls_passage_decode(buf, len, &q), MLS_OK);
    free(buf);
    assert_passage_equal(p, &q);
    assert_int_equal(q.text[q.text_len], '\0');

    /* encoding the decoded passage gives the same bytes */
    char *enc2 = NULL;
    size_t len2 = 0;
    assert_int_equal(mls_passage_encode(&q, &enc2, &len2), MLS_OK);
    assert_int_equal(len2, len);
    assert_memory_equal(enc2, enc, len);
    free(enc2);

    mls_passage_clear(&q);
    *enc_len = len;
    return enc;
}

static void test_encode_decode_full(void **state)
{
    (void)state;
    char path[] = "/home/user/notes/設計 メモ.md";
    char h1[] = "Top", h2[] = "サブ見出し", h3[] = "Q&A: \"quotes\" \\ back";
    char *headings[] = {h1, h2, h3};
    char i1[] = "Preferred Networks", i2[] = "item\twith tab\nand newline";
    char *items[] = {i1, i2};
    char text[] = "line one\n\tline two\r\nline three: 日本語 and 🚀\n\n";
    mls_passage p = {
        .path = path,
        .line = 12,
        .column = 5,
        .end_line = 14,
        .kind = MLS_BLOCK_CODE,
        .headings = headings,
        .heading_count = 3,
        .items = items,
        .item_count = 2,
        .text = text,
        .text_len = strlen(text),
    };
    size_t len;
    free(round_trip(&p, &len));
}

static void test_encode_decode_empty_arrays(void **state)
{
    (void)state;
    char path[] = "/a.md";
    char text[] = "just text";
    mls_passage p = {
        .path = path,
        .line = 1,
        .column = 1,
        .end_line = 1,
        .kind = MLS_BLOCK_PARAGRAPH,
        .headings = NULL,
        .heading_count = 0,
        .items = NULL,
        .item_count = 0,
        .text = text,
        .text_len = strlen(text),
    };
    size_t len;
    free(round_trip(&p, &len));

    /* only headings, only items */
    char h[] = "H";
    char *hs[] = {h};
    p.headings = hs;
    p.heading_count = 1;
    free(round_trip(&p, &len));
    p.headings = NULL;
    p.heading_count = 0;
    p.items = hs;
    p.item_count = 1;
    free(round_trip(&p, &len));

    /* empty strings everywhere they may be */
    char empty[] = "";
    char *es[] = {empty, empty};
    p.headings = es;
    p.heading_count = 2;
    p.items = es;
    p.item_count = 2;
    p.text = empty;
    p.text_len = 0;
    free(round_trip(&p, &len));
}

static void test_encode_decode_kinds_and_numbers(void **state)
{
    (void)state;
    char path[] = "/x/y.md";
    char text[] = "<div>x</div>";
    const mls_block_kind kinds[] = {MLS_BLOCK_PARAGRAPH, MLS_BLOCK_HEADING, MLS_BLOCK_CODE,
                                    MLS_BLOCK_HTML};
    const unsigned numbers[] = {1, 127, 128, 255, 256, 65535, 65536, 16777216, UINT_MAX};
    for (size_t k = 0; k < 4; k++) {
        for (size_t n = 0; n < sizeof numbers / sizeof numbers[0]; n++) {
            mls_passage p = {
                .path = path,
                .line = numbers[n],
                .column = numbers[(n + 3) % 9],
                .end_line = numbers[(n + 5) % 9],
                .kind = kinds[k],
                .text = text,
                .text_len = strlen(text),
            };
            size_t len;
            free(round_trip(&p, &len));
        }
    }
}

static void test_encode_decode_large(void **state)
{
    (void)state;
    enum { NH = 6, NI = 40, TEXT = 100000 };
    char *headings[NH], *items[NI];
    for (int i = 0; i < NH; i++) {
        headings[i] = malloc(32);
        assert_non_null(headings[i]);
        snprintf(headings[i], 32, "見出し %d", i);
    }
    for (int i = 0; i < NI; i++) {
        items[i] = malloc(300);
        assert_non_null(items[i]);
        memset(items[i], 'a' + i % 26, 299);
        items[i][299] = '\0';
    }
    char *text = malloc(TEXT + 1);
    assert_non_null(text);
    for (size_t i = 0; i < TEXT; i++)
        text[i] = (char)(i % 80 == 79 ? '\n' : 'a' + (int)(i % 26));
    text[TEXT] = '\0';
    char path[] = "/big.md";
    mls_passage p = {
        .path = path,
        .line = 1000,
        .column = 3,
        .end_line = 2250,
        .kind = MLS_BLOCK_PARAGRAPH,
        .headings = headings,
        .heading_count = NH,
        .items = items,
        .item_count = NI,
        .text = text,
        .text_len = TEXT,
    };
    size_t len;
    free(round_trip(&p, &len));
    assert_true(len > TEXT);
    for (int i = 0; i < NH; i++)
        free(headings[i]);
    for (int i = 0; i < NI; i++)
        free(items[i]);
    free(text);
}

static void test_encode_decode_markdown_passages(void **state)
{
    (void)state;
    mls_passage_list list = {0};
    PARSE("# A\n\n## B\n\n- x\n  - y\n\n```\ncode\n```\n\n<p>h</p>\n", &list);
    assert_int_equal(list.count, 6);
    for (size_t i = 0; i < list.count; i++) {
        size_t len;
        free(round_trip(&list.items[i], &len));
    }
    mls_passage_list_free(&list);
}

static void expect_corrupt(const char *data, size_t len)
{
    char *buf = exact_copy(data, len);
    mls_passage q;
    memset(&q, 0, sizeof q);
    assert_int_equal(mls_passage_decode(buf, len, &q), MLS_ERR_DB_CORRUPT);
    assert_cleared(&q);
    mls_passage_clear(&q); /* clearing a cleared passage is harmless */
    free(buf);
}

static void test_decode_garbage(void **state)
{
    (void)state;
    expect_corrupt("xyz", 3);
    expect_corrupt("", 0);
    expect_corrupt("\0", 1);
    expect_corrupt("\xff\xff\xff\xff\xff\xff\xff\xff", 8);
}

/* Truncated and damaged records must never crash nor leak: each decodes
 * to MLS_ERR_DB_CORRUPT, or (the format may allow it) to some passage. */
static void test_decode_damaged(void **state)
{
    (void)state;
    char path[] = "/notes/n.md";
    char h1[] = "Top", h2[] = "Sub";
    char *headings[] = {h1, h2};
    char i1[] = "item";
    char *items[] = {i1};
    char text[] = "some text\nwith lines";
    mls_passage p = {
        .path = path,
        .line = 3,
        .column = 5,
        .end_line = 4,
        .kind = MLS_BLOCK_PARAGRAPH,
        .headings = headings,
        .heading_count = 2,
        .items = items,
        .item_count = 1,
        .text = text,
        .text_len = strlen(text),
    };
    size_t len;
    char *enc = round_trip(&p, &len);

    /* every proper prefix */
    for (size_t n = 0; n < len; n++) {
        char *buf = exact_copy(enc, n);
        mls_passage q;
        memset(&q, 0, sizeof q);
        mls_status st = mls_passage_decode(buf, n, &q);
        assert_true(st == MLS_OK || st == MLS_ERR_DB_CORRUPT);
        if (st != MLS_OK)
            assert_cleared(&q);
        mls_passage_clear(&q);
        free(buf);
    }
    /* an empty record is never a passage */
    expect_corrupt(enc, 0);

    /* every byte changed in a few ways */
    static const unsigned char flips[] = {0x01, 0x80, 0xff, 0x7f};
    for (size_t i = 0; i < len; i++) {
        for (size_t f = 0; f < sizeof flips; f++) {
            char *buf = exact_copy(enc, len);
            buf[i] = (char)((unsigned char)buf[i] ^ flips[f]);
            mls_passage q;
            memset(&q, 0, sizeof q);
            mls_status st = mls_passage_decode(buf, len, &q);
            assert_true(st == MLS_OK || st == MLS_ERR_DB_CORRUPT || st == MLS_ERR_NOMEM);
            if (st != MLS_OK)
                assert_cleared(&q);
            mls_passage_clear(&q);
            free(buf);
        }
    }
    free(enc);
}

/* ------------------------------------------------------------------ */
/* Edge cases found in review                                          */
/* ------------------------------------------------------------------ */

static void test_setext_heading_then_paragraph(void **state)
{
    (void)state;
    mls_passage_list list = {0};
    PARSE("Setext Title\n---\nbody after\n", &list);
    assert_int_equal(list.count, 2);
    expect_heading(&list.items[0], 1, 2, "Setext Title", NONE);
    assert_string_equal(list.items[0].text, "Setext Title\n---");
    expect_para(&list.items[1], 3, 1, 3, "body after", L("Setext Title"), NONE);
    mls_passage_list_free(&list);
}

static void test_byte_order_mark(void **state)
{
    (void)state;
    mls_passage_list list = {0};
    /* Columns on line 1 count from after the mark, as cmark and editors do,
     * so PARSE's check against raw file offsets does not apply here. */
    static const char note[] = "\xEF\xBB\xBFhello world tailword\n";
    assert_int_equal(mls_markdown_passages(PATH, note, sizeof note - 1, &list, NULL), MLS_OK);
    assert_int_equal(list.count, 1);
    expect_para(&list.items[0], 1, 1, 1, "hello world tailword", NONE, NONE);
    mls_passage_list_free(&list);
    static const char fm[] = "\xEF\xBB\xBF---\ntitle: x\n---\nbody\n";
    assert_int_equal(mls_markdown_passages(PATH, fm, sizeof fm - 1, &list, NULL), MLS_OK);
    assert_int_equal(list.count, 1);
    expect_para(&list.items[0], 4, 1, 4, "body", NONE, NONE);
    mls_passage_list_free(&list);
}

static void test_heading_in_list_item_starts_no_section(void **state)
{
    (void)state;
    mls_passage_list list = {0};
    PARSE("# Top\n\n- item\n  # Inner\n\nafter\n", &list);
    assert_int_equal(list.count, 4);
    assert_int_equal(list.items[2].kind, MLS_BLOCK_HEADING);
    assert_int_equal(list.items[2].line, 4);
    expect_strings(list.items[2].headings, list.items[2].heading_count, L("Top"));
    expect_strings(list.items[2].items, list.items[2].item_count, L("item"));
    expect_para(&list.items[3], 6, 1, 6, "after", L("Top"), NONE);
    mls_passage_list_free(&list);
}

static void test_empty_heading_gives_nothing(void **state)
{
    (void)state;
    mls_passage_list list = {0};
    PARSE("# A\n\n##\n\ntext\n", &list);
    assert_int_equal(list.count, 2);
    expect_para(&list.items[1], 5, 1, 5, "text", L("A"), NONE);
    mls_passage_list_free(&list);
}

static void test_rule_then_blank_line_is_not_front_matter(void **state)
{
    (void)state;
    mls_passage_list list = {0};
    PARSE("---\n\nFirst section upsilon\n\n---\n", &list);
    assert_int_equal(list.count, 1);
    expect_para(&list.items[0], 3, 1, 3, "First section upsilon", NONE, NONE);
    mls_passage_list_free(&list);
}

static void test_context_is_cut(void **state)
{
    (void)state;
    mls_passage_list list = {0};
    char note[4096], *w = note;
    /* An item of 300 bytes over two lines, then 10 levels of nesting. */
    w += sprintf(w, "- ");
    for (int i = 0; i < 150; i++)
        w += sprintf(w, "ab");
    w += sprintf(w, "\n  second line\n");
    for (int depth = 1; depth <= 10; depth++)
        w += sprintf(w, "%*s- level%d\n", 2 * depth, "", depth);
    assert_int_equal(mls_markdown_passages(PATH, note, (size_t)(w - note), &list, NULL), MLS_OK);
    assert_int_equal(list.count, 11);
    const mls_passage *first_child = &list.items[1];
    assert_int_equal(first_child->item_count, 1);
    assert_int_equal(strlen(first_child->items[0]), MLS_CONTEXT_MAX_BYTES);
    const mls_passage *deepest = &list.items[10];
    assert_string_equal(deepest->text, "level10");
    assert_int_equal(deepest->item_count, MLS_CONTEXT_MAX_ITEMS);
    assert_string_equal(deepest->items[MLS_CONTEXT_MAX_ITEMS - 1], "level9");
    assert_string_equal(deepest->items[0], "level2");
    mls_passage_list_free(&list);
}

/* A paragraph of one 150,000-byte line of words: cut after a space in
 * the second half of each 64 KiB, each piece at its own column, nothing
 * lost but the spaces at the cuts. */
static void test_long_line_is_cut_between_words(void **state)
{
    (void)state;
    mls_passage_list list = {0};
    size_t len = 150000;
    char *note = malloc(len);
    assert_non_null(note);
    for (size_t i = 0; i < len; i++)
        note[i] = i % 10 == 9 ? ' ' : (char)('a' + i % 10);
    note[len - 1] = '\n';
    parse_append(note, len, PATH, &list);
    assert_int_equal(list.count, 3);
    size_t at = 0;
    for (size_t k = 0; k < list.count; k++) {
        const mls_passage *p = &list.items[k];
        assert_true(p->text_len <= MLS_PASSAGE_MAX_BYTES);
        assert_true(p->text_len > MLS_PASSAGE_MAX_BYTES / 2 || k == list.count - 1);
        assert_int_equal(p->line, 1);
        assert_int_equal(p->end_line, 1);
        assert_int_equal(p->column, at + 1);
        assert_memory_equal(p->text, note + at, p->text_len);
        assert_int_equal(p->text[p->text_len - 1], 'i'); /* a word's end */
        at += p->text_len + 1;
    }
    assert_int_equal(at, len);
    mls_passage_list_free(&list);
    free(note);
}

/* A code block of 20,000 lines: cut after whole lines, each piece at the
 * line it starts on; a long run of one CJK character, with no space nor
 * line to cut at: cut between two characters. */
static void test_long_blocks_are_cut_at_lines_or_characters(void **state)
{
    (void)state;
    mls_passage_list list = {0};
    size_t cap = 20000 * 16 + 100000 * 3 + 64, len = 0;
    char *note = malloc(cap);
    assert_non_null(note);
    len += (size_t)sprintf(note + len, "```\n");
    for (int i = 1; i <= 20000; i++)
        len += (size_t)sprintf(note + len, "line %08d\n", i); /* 14 bytes */
    len += (size_t)sprintf(note + len, "```\n\n");
    for (int i = 0; i < 100000; i++)
        len += (size_t)sprintf(note + len, "推");
    parse_append(note, len, PATH, &list);
    size_t code = 0, cjk = 0, cjk_bytes = 0;
    for (size_t k = 0; k < list.count; k++) {
        const mls_passage *p = &list.items[k];
        assert_true(p->text_len <= MLS_PASSAGE_MAX_BYTES);
        if (p->kind == MLS_BLOCK_CODE) {
            /* the first piece starts at the fence, the others at a line */
            if (code++ > 0) {
                unsigned first;
                assert_int_equal(sscanf(p->text, "line %u", &first), 1);
                assert_int_equal(p->line, first + 1);
                assert_int_equal(p->column, 1);
            }
            char last = p->text[p->text_len - 1]; /* a whole line's, or the fence's */
            assert_true(last == '`' || (last >= '0' && last <= '9'));
        } else {
            cjk++;
            cjk_bytes += p->text_len;
            assert_int_equal(p->text_len % 3, 0); /* whole characters */
            assert_int_equal(p->line, 20004);
            assert_int_equal(p->column, 1 + (cjk_bytes - p->text_len));
        }
    }
    assert_int_equal(code, (20000 * 14 + 8) / MLS_PASSAGE_MAX_BYTES + 1);
    assert_int_equal(cjk_bytes, 300000);
    assert_int_equal(cjk, 300000 / MLS_PASSAGE_MAX_BYTES + 1);
    mls_passage_list_free(&list);
    free(note);
}

/* cmark 0.30.2 ends a one-line HTML block before it starts: the passage
 * is still the whole line (found by the markdown fuzz target). */
static void test_one_line_html_block_is_whole(void **state)
{
    (void)state;
    mls_passage_list list = {0};
    PARSE("ab\n<!-- c --> 推論サーバー\nnext\n", &list);
    assert_int_equal(list.count, 3);
    assert_int_equal(list.items[1].kind, MLS_BLOCK_HTML);
    assert_string_equal(list.items[1].text, "<!-- c --> 推論サーバー");
    assert_int_equal(list.items[1].line, 2);
    assert_int_equal(list.items[1].end_line, 2);
    assert_string_equal(list.items[2].text, "next");
    mls_passage_list_free(&list);
}

/* One byte-order mark is skipped, as cmark does; a second is text (found
 * by the markdown fuzz target: it was cut in half). */
static void test_two_byte_order_marks(void **state)
{
    (void)state;
    mls_passage_list list = {0};
    /* (not PARSE: columns count from after the first mark, as cmark's) */
    static const char note[] = "\357\273\277\357\273\277a\n\nb\n";
    assert_int_equal(mls_markdown_passages(PATH, note, sizeof note - 1, &list, NULL), MLS_OK);
    assert_int_equal(list.count, 2);
    assert_string_equal(list.items[0].text, "\357\273\277a");
    assert_int_equal(list.items[0].line, 1);
    assert_int_equal(list.items[0].column, 1);
    assert_string_equal(list.items[1].text, "b");
    assert_int_equal(list.items[1].line, 3);
    mls_passage_list_free(&list);
}

/* Lines end at \r as well as \n (as cmark has it): a piece after a lone
 * \r is on the next line (found by the markdown fuzz target). */
static void test_cut_piece_lines_count_lone_cr(void **state)
{
    (void)state;
    mls_passage_list list = {0};
    size_t len = 0;
    char *note = malloc(100000);
    assert_non_null(note);
    memset(note, 'x', 40000);
    len = 40000;
    note[len++] = '\r';
    for (int i = 0; i < 10000; i++)
        len += (size_t)sprintf(note + len, "word ");
    /* (not parse_append(): its checks know only \n) */
    assert_int_equal(mls_markdown_passages(PATH, note, len, &list, NULL), MLS_OK);
    assert_int_equal(list.count, 2);
    assert_int_equal(list.items[0].line, 1);
    assert_int_equal(list.items[0].end_line, 2);
    assert_int_equal(list.items[1].line, 2);
    assert_int_equal(list.items[1].column, list.items[0].text_len - 40000 + 1);
    mls_passage_list_free(&list);
    free(note);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_headings_and_paragraph),
        cmocka_unit_test(test_heading_path_pops),
        cmocka_unit_test(test_heading_text_forms),
        cmocka_unit_test(test_paragraph_source_text),
        cmocka_unit_test(test_nested_list),
        cmocka_unit_test(test_deep_and_ordered_lists),
        cmocka_unit_test(test_item_text_is_first_paragraph),
        cmocka_unit_test(test_code_blocks),
        cmocka_unit_test(test_empty_code_block_left_out),
        cmocka_unit_test(test_html_block),
        cmocka_unit_test(test_front_matter),
        cmocka_unit_test(test_no_passages),
        cmocka_unit_test(test_paths_and_append),
        cmocka_unit_test(test_larger_note),
        cmocka_unit_test(test_encode_decode_full),
        cmocka_unit_test(test_encode_decode_empty_arrays),
        cmocka_unit_test(test_encode_decode_kinds_and_numbers),
        cmocka_unit_test(test_encode_decode_large),
        cmocka_unit_test(test_encode_decode_markdown_passages),
        cmocka_unit_test(test_decode_garbage),
        cmocka_unit_test(test_decode_damaged),
        cmocka_unit_test(test_setext_heading_then_paragraph),
        cmocka_unit_test(test_byte_order_mark),
        cmocka_unit_test(test_heading_in_list_item_starts_no_section),
        cmocka_unit_test(test_empty_heading_gives_nothing),
        cmocka_unit_test(test_rule_then_blank_line_is_not_front_matter),
        cmocka_unit_test(test_context_is_cut),
        cmocka_unit_test(test_long_line_is_cut_between_words),
        cmocka_unit_test(test_one_line_html_block_is_whole),
        cmocka_unit_test(test_two_byte_order_marks),
        cmocka_unit_test(test_cut_piece_lines_count_lone_cr),
        cmocka_unit_test(test_long_blocks_are_cut_at_lines_or_characters),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
