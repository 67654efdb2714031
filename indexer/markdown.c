/* markdown.c - a note to passages (see markdown.h).
 *
 * cmark parses the note; an iterator walks the tree with ENTER/EXIT events,
 * keeping the heading path and the stack of open list items as it goes.
 * Each leaf block becomes a passage whose text is the note's own source
 * between the block's start and end, so that what is indexed, shown and
 * highlighted is exactly what the user wrote, at the line they wrote it. */
#include "mlsearch/internal/markdown.h"
#include "mlsearch/internal/front_matter.h"
#include "mlsearch/internal/grow.h"
#include "mlsearch/internal/hashtags.h"
#include "mlsearch/internal/utf8.h"

#include <cmark.h>
#include <stdlib.h>
#include <string.h>

/* Byte offsets of the start of each line: line n (1-based) starts at
 * starts[n - 1].  Line ends are found as cmark finds them: \n, \r\n, \r. */
typedef struct line_index {
    size_t *starts;
    size_t count;
    size_t text_len;
} line_index;

static int index_lines(const char *text, size_t len, line_index *li)
{
    size_t cap = 0;
    li->starts = NULL;
    li->count = 0;
    li->text_len = len;
    if (!mls_grow(&li->starts, &cap, 1, sizeof *li->starts))
        return 0;
    li->starts[li->count++] = 0;
    for (size_t i = 0; i < len; i++) {
        size_t brk = mls_line_break(text, len, i);
        if (brk == 0)
            continue;
        i += brk - 1;
        if (!mls_grow(&li->starts, &cap, li->count + 1, sizeof *li->starts))
            return 0;
        li->starts[li->count++] = i + 1;
    }
    return 1;
}

/* The line (1-based) that byte `offset` of the text is on. */
static unsigned line_of(const line_index *li, size_t offset)
{
    size_t lo = 0, hi = li->count; /* starts[lo] <= offset < starts[hi] */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (li->starts[mid] <= offset)
            lo = mid;
        else
            hi = mid;
    }
    return (unsigned)lo + 1;
}

/* The byte offset of (line, column), both 1-based, clamped to the line. */
static size_t offset_of(const line_index *li, int line, int column)
{
    if (line < 1)
        return 0;
    if ((size_t)line > li->count)
        return li->text_len;
    size_t start = li->starts[line - 1];
    size_t next = (size_t)line < li->count ? li->starts[line] : li->text_len;
    size_t at = start + (size_t)(column > 0 ? column - 1 : 0);
    return at < next ? at : next;
}

/* A growable stack of owned strings (the heading path, the open items). */
typedef struct strstack {
    char **v;
    int *levels; /* heading level, for the heading stack */
    size_t count, cap, levels_cap;
} strstack;

static int stack_push(strstack *s, char *str, int level)
{
    if (!mls_grow(&s->v, &s->cap, s->count + 1, sizeof *s->v) ||
        !mls_grow(&s->levels, &s->levels_cap, s->count + 1, sizeof *s->levels))
        return 0;
    s->v[s->count] = str;
    s->levels[s->count++] = level;
    return 1;
}

static void stack_pop(strstack *s)
{
    free(s->v[--s->count]);
}

static void stack_free(strstack *s)
{
    while (s->count)
        stack_pop(s);
    free(s->v);
    free(s->levels);
}

/* Copies strings [from, to) of the stack into a new array. */
static int copy_strings(const strstack *s, size_t from, size_t to, char ***out, size_t *count)
{
    *out = NULL;
    *count = 0;
    if (to <= from)
        return 1;
    *out = calloc(to - from, sizeof **out);
    if (!*out)
        return 0;
    for (size_t i = from; i < to; i++) {
        (*out)[i - from] = strdup(s->v[i]);
        if (!(*out)[i - from])
            return 0;
        (*count)++;
    }
    return 1;
}

/* The plain text of a heading's inlines: text and code literals, a space
 * for a line break; emphasis and link markup dropped. */
static char *inline_text(cmark_node *heading)
{
    size_t len = 0, cap = 64;
    char *out = malloc(cap);
    cmark_iter *it = cmark_iter_new(heading);
    cmark_event_type ev;

    if (!out || !it) {
        free(out);
        cmark_iter_free(it);
        return NULL;
    }
    out[0] = '\0';
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        const char *piece = NULL;
        if (ev != CMARK_EVENT_ENTER)
            continue;
        switch (cmark_node_get_type(n)) {
        case CMARK_NODE_TEXT:
        case CMARK_NODE_CODE:
        case CMARK_NODE_HTML_INLINE: piece = cmark_node_get_literal(n); break;
        case CMARK_NODE_SOFTBREAK:
        case CMARK_NODE_LINEBREAK: piece = " "; break;
        default: break;
        }
        if (!piece)
            continue;
        size_t n_piece = strlen(piece);
        if (!mls_grow(&out, &cap, len + n_piece + 1, 1)) {
            free(out);
            cmark_iter_free(it);
            return NULL;
        }
        memcpy(out + len, piece, n_piece);
        len += n_piece;
        out[len] = '\0';
    }
    cmark_iter_free(it);
    return out;
}

/* The start of the line after `line`, or the end of the text. */
static size_t end_of_line(const line_index *li, int line)
{
    return line >= 1 && (size_t)line < li->count ? li->starts[line] : li->text_len;
}

/* The byte range [*from, *to) of block `n` in the text, trailing white
 * space trimmed, and its last line. */
static void block_range(cmark_node *n, const char *text, const line_index *li, size_t *from,
                        size_t *to, int *last_line)
{
    int start_line = cmark_node_get_start_line(n);
    int end_line = cmark_node_get_end_line(n);
    int end_column = cmark_node_get_end_column(n);
    cmark_node *next = cmark_node_next(n);

    /* cmark's end column is inclusive; 0 means "the end of the line
     * before", as for a setext heading or a block the document ends. */
    if (end_column == 0) {
        end_line--;
        end_column = -1;
    }
    /* cmark 0.30 can report a setext heading as ending where the paragraph
     * after it ends: a block always ends before the next one starts. */
    if (next && cmark_node_get_start_line(next) <= end_line) {
        end_line = cmark_node_get_start_line(next) - 1;
        end_column = -1;
    }
    /* cmark 0.30.2 can end a one-line HTML block before it starts: it
     * goes to the end of its line. */
    if (end_line < start_line) {
        end_line = start_line;
        end_column = -1;
    }
    *from = offset_of(li, start_line, cmark_node_get_start_column(n));
    *to = end_column < 0 ? end_of_line(li, end_line) : offset_of(li, end_line, end_column) + 1;
    if (*to > li->text_len)
        *to = li->text_len;
    if (*to < *from)
        *to = *from;
    while (*to > *from && strchr(" \t\r\n", text[*to - 1]))
        (*to)--;
    *last_line = end_line;
}

/* A copy of the source text of block `n`; NULL on allocation failure.
 * *is_blank tells whether it is nothing but white space; *last_line is the
 * block's last line. */
static char *block_source(cmark_node *n, const char *text, const line_index *li, size_t *out_len,
                          int *is_blank, int *last_line)
{
    size_t from, to;

    block_range(n, text, li, &from, &to, last_line);
    *is_blank = 1;
    for (size_t i = from; i < to && *is_blank; i++)
        *is_blank = strchr(" \t\r\n", text[i]) != NULL;
    char *s = malloc(to - from + 1);
    if (!s)
        return NULL;
    memcpy(s, text + from, to - from);
    s[to - from] = '\0';
    *out_len = to - from;
    return s;
}

/* Cuts a context string to its first line and at most
 * MLS_CONTEXT_MAX_BYTES, on a character boundary: context helps find a
 * passage, and long or many-line context would only make every nested
 * passage carry (and index) the same text again. */
static void cut_context(char *s)
{
    size_t n = strcspn(s, "\r\n");
    if (n > MLS_CONTEXT_MAX_BYTES) {
        n = MLS_CONTEXT_MAX_BYTES;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    s[n] = '\0';
}

static int list_push(mls_passage_list *list, mls_passage *p)
{
    if (!mls_grow(&list->items, &list->capacity_, list->count + 1, sizeof *list->items))
        return 0;
    list->items[list->count++] = *p;
    return 1;
}

/* The walker's state between events. */
typedef struct walker {
    const char *path;
    const char *text;
    line_index lines;
    strstack headings;
    strstack items;
    mls_passage_list *list;
    mls_strings *tags; /* the prose's #tags, or NULL */
} walker;

static mls_block_kind kind_of(cmark_node_type type)
{
    switch (type) {
    case CMARK_NODE_HEADING: return MLS_BLOCK_HEADING;
    case CMARK_NODE_CODE_BLOCK: return MLS_BLOCK_CODE;
    case CMARK_NODE_HTML_BLOCK: return MLS_BLOCK_HTML;
    default: return MLS_BLOCK_PARAGRAPH;
    }
}

/* The length of the first piece of `len` bytes of `s` that holds at most
 * MLS_PASSAGE_MAX_BYTES: cut after a line if one ends in its second half,
 * else after a space there, else between two characters. */
static size_t piece_length(const char *s, size_t len)
{
    size_t max = MLS_PASSAGE_MAX_BYTES, half = max / 2;
    if (len <= max)
        return len;
    for (size_t i = max; i > half; i--)
        if (s[i - 1] == '\n')
            return i;
    for (size_t i = max; i > half; i--)
        if (s[i - 1] == ' ' || s[i - 1] == '\t')
            return i;
    size_t i = max;
    while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80)
        i--;
    return i;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Adds the passage of text [from, to) of the note, starting at `line`
 * and ending at `end_line`, with the headings and the innermost `items`
 * enclosing items as its context. */
static mls_status add_passage(walker *w, cmark_node *n, size_t from, size_t to, unsigned line,
                              unsigned end_line, size_t items)
{
    mls_passage p = {0};
    p.text_len = to - from;
    p.text = malloc(p.text_len + 1);
    p.path = strdup(w->path);
    if (p.text) {
        memcpy(p.text, w->text + from, p.text_len);
        p.text[p.text_len] = '\0';
    }
    p.line = line;
    p.column = (unsigned)(from - w->lines.starts[line - 1] + 1);
    p.end_line = end_line;
    p.kind = kind_of(cmark_node_get_type(n));
    if (!p.text || !p.path ||
        !copy_strings(&w->headings, 0, w->headings.count, &p.headings, &p.heading_count) ||
        !copy_strings(&w->items, items > MLS_CONTEXT_MAX_ITEMS ? items - MLS_CONTEXT_MAX_ITEMS : 0,
                      items, &p.items, &p.item_count) ||
        !list_push(w->list, &p)) {
        mls_passage_clear(&p);
        return MLS_ERR_NOMEM;
    }
    return MLS_OK;
}

/* Adds the leaf block `n` as a passage, or as several when it is longer
 * than MLS_PASSAGE_MAX_BYTES (a pasted log, a note of one long line), so
 * that neither a document nor the memory to index or show it grows with
 * the note. */
static mls_status add_leaf(walker *w, cmark_node *n)
{
    cmark_node *parent = cmark_node_parent(n);
    size_t items = w->items.count, from, to;
    int last_line;

    /* A paragraph directly in a list item is that item's own text, so the
     * item is not its own context. */
    if (cmark_node_get_type(n) == CMARK_NODE_PARAGRAPH && parent &&
        cmark_node_get_type(parent) == CMARK_NODE_ITEM && items > 0)
        items--;
    block_range(n, w->text, &w->lines, &from, &to, &last_line);
    size_t text = from;
    while (text < to && is_space(w->text[text]))
        text++;
    if (text == to ||
        (cmark_node_get_type(n) == CMARK_NODE_CODE_BLOCK && !*cmark_node_get_literal(n)))
        return MLS_OK;
    unsigned line = (unsigned)cmark_node_get_start_line(n);
    mls_status st = MLS_OK;
    while (from < to && !st) {
        size_t end = from + piece_length(w->text + from, to - from), last = end;
        while (last > from && is_space(w->text[last - 1]))
            last--;
        if (last > from) /* not a piece of white space only */
            st = add_passage(w, n, from, last, line,
                             end < to ? line_of(&w->lines, last - 1) : (unsigned)last_line, items);
        for (from = end; from < to && is_space(w->text[from]);)
            from++;
        line = line_of(&w->lines, from);
    }
    return st;
}

/* The text an item stands for in its children's context: the source of
 * its first paragraph, cut by cut_context(), or "" when it starts with
 * something else. */
static char *item_text(walker *w, cmark_node *item)
{
    cmark_node *first = cmark_node_first_child(item);
    size_t len;
    int blank, last_line;
    char *s = first && cmark_node_get_type(first) == CMARK_NODE_PARAGRAPH
                  ? block_source(first, w->text, &w->lines, &len, &blank, &last_line)
                  : strdup("");
    if (s)
        cut_context(s);
    return s;
}

static mls_status visit(walker *w, cmark_node *n, cmark_event_type ev)
{
    cmark_node_type type = cmark_node_get_type(n);

    if (type == CMARK_NODE_ITEM) {
        if (ev == CMARK_EVENT_EXIT) {
            stack_pop(&w->items);
            return MLS_OK;
        }
        char *s = item_text(w, n);
        if (!s || !stack_push(&w->items, s, 0)) {
            free(s);
            return MLS_ERR_NOMEM;
        }
        return MLS_OK;
    }
    if (ev != CMARK_EVENT_ENTER)
        return MLS_OK;
    if (type == CMARK_NODE_TEXT && w->tags) { /* prose: code is a node of its own */
        const char *literal = cmark_node_get_literal(n);
        cmark_node *parent = cmark_node_parent(n), *prev = cmark_node_previous(n);
        cmark_node_type prev_type = prev ? cmark_node_get_type(prev) : CMARK_NODE_NONE;
        /* After emphasis or a code span, the text goes on from a word; an
         * image's text is its description, not prose. */
        int after_word =
            prev && prev_type != CMARK_NODE_SOFTBREAK && prev_type != CMARK_NODE_LINEBREAK;
        if (!literal || (parent && cmark_node_get_type(parent) == CMARK_NODE_IMAGE))
            return MLS_OK;
        return mls_hashtags(literal, strlen(literal), after_word, w->tags);
    }
    switch (type) {
    case CMARK_NODE_HEADING: {
        /* A heading inside a list item or block quote is a passage, but
         * starts no section: its scope ends with its container. */
        cmark_node *parent = cmark_node_parent(n);
        int level = cmark_node_get_heading_level(n);
        int sectioning = parent && cmark_node_get_type(parent) == CMARK_NODE_DOCUMENT;
        char *s = inline_text(n);
        if (!s)
            return MLS_ERR_NOMEM;
        cut_context(s);
        if (!*s) { /* an empty heading: nothing to find, nothing to show */
            free(s);
            return MLS_OK;
        }
        if (sectioning)
            while (w->headings.count && w->headings.levels[w->headings.count - 1] >= level)
                stack_pop(&w->headings);
        mls_status st = add_leaf(w, n);
        if (st || !sectioning) {
            free(s);
            return st;
        }
        if (!stack_push(&w->headings, s, level)) {
            free(s);
            return MLS_ERR_NOMEM;
        }
        return MLS_OK;
    }
    case CMARK_NODE_PARAGRAPH:
    case CMARK_NODE_CODE_BLOCK:
    case CMARK_NODE_HTML_BLOCK: return add_leaf(w, n);
    default: return MLS_OK;
    }
}

mls_status mls_markdown_passages(const char *path, const char *text, size_t len,
                                 mls_passage_list *list, mls_strings *tags)
{
    walker w = {.path = path, .list = list, .tags = tags};
    mls_status st = MLS_OK;
    char *copy = malloc(len + 1);
    cmark_node *doc = NULL;
    cmark_iter *it = NULL;

    if (!copy)
        return MLS_ERR_NOMEM;
    /* cmark skips one byte-order mark and counts columns after it: so do
     * we, but give it the mark, lest it skip a second one as well. */
    size_t bom = len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3) ? 3 : 0;
    memcpy(copy, text, len);
    copy[len] = '\0';
    mls_front_matter_blank(copy + bom, len - bom);
    w.text = copy + bom;
    if (!index_lines(copy + bom, len - bom, &w.lines)) {
        st = MLS_ERR_NOMEM;
        goto done;
    }
    doc = cmark_parse_document(copy, len, CMARK_OPT_DEFAULT);
    if (doc) /* "#tag_x" is one text node, not three */
        cmark_consolidate_text_nodes(doc);
    it = doc ? cmark_iter_new(doc) : NULL;
    if (!it) {
        st = MLS_ERR_NOMEM;
        goto done;
    }
    cmark_event_type ev;
    while (!st && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE)
        st = visit(&w, cmark_iter_get_node(it), ev);
done:
    cmark_iter_free(it);
    cmark_node_free(doc);
    stack_free(&w.headings);
    stack_free(&w.items);
    free(w.lines.starts);
    free(copy);
    return st;
}
