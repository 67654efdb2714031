/* output.c - hits as lines for a terminal or an editor (see output.h). */
#include "mlsearch/output.h"
#include "mlsearch/version.h"

#include "mlsearch/escape.h"
#include "mlsearch/internal/snippet.h"
#include "mlsearch/internal/utf8.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* ripgrep's colours, which many users' eyes already know. */
#define COLOR_PATH "\033[35m"
#define COLOR_LINE "\033[32m"
#define COLOR_HEADING "\033[36m"
#define COLOR_MATCH "\033[1;31m"
#define COLOR_RESET "\033[0m"

#define MATCH_SCAN_BYTES (1024 * 1024)

static const char heading_separator[] = " \xE2\x80\xBA "; /* › */
static const char ellipsis[] = "\xE2\x80\xA6";            /* … */

/* Deeper heading paths show their top, "…", and their last two. */
#define MAX_HEADINGS_SHOWN 3

/* One hit as every format sees it. */
typedef struct view {
    const mls_query *query;
    const mls_passage *passage;
    const char *path;      /* as displayed */
    unsigned line, column; /* of the first match (the passage's start if none) */
    int context_only;      /* no match in its own text: found by a heading or parent item */
    const char *notebook;  /* its notebook's name, when several are searched */
    mls_snippet snippet;
} view;

const char *mls_display_path(const char *path, const char *cwd)
{
    size_t n = cwd ? strlen(cwd) : 0;
    if (n > 1 && strncmp(path, cwd, n) == 0 && path[n] == '/')
        return path + n + 1;
    return path;
}

/* The line and byte column of byte `offset` of the passage text (a slice
 * of the note starting at the passage's line and column). */
/* How many `unit`s the `n` bytes of `s` (UTF-8) are. */
static size_t units_of(const char *s, size_t n, mls_column_unit unit)
{
    size_t units = 0, w;
    int cp;
    if (unit == MLS_COLUMN_BYTES)
        return n;
    for (size_t i = 0; i < n; i += w) {
        w = mls_utf8_next(s + i, n - i, &cp);
        if (w == 0) { /* a stray byte, as the escaping shows it: one */
            w = 1;
            cp = 0;
        }
        units += unit == MLS_COLUMN_UTF16 && cp > 0xFFFF ? 2 : 1;
    }
    return units;
}

/* The line and column of byte `offset` of the passage's text.  Before the
 * text on its first line are only Markdown's marks and indentation, ASCII:
 * as many units as bytes. */
static void position_at(const mls_passage *p, size_t offset, mls_column_unit unit, unsigned *line,
                        unsigned *column)
{
    size_t line_start = 0;
    *line = p->line;
    for (size_t i = 0; i < offset && i < p->text_len; i++) {
        size_t brk = mls_line_break(p->text, p->text_len, i);
        if (brk) {
            (*line)++;
            i += brk - 1;
            line_start = i + 1;
        }
    }
    *column = (unsigned)units_of(p->text + line_start, offset - line_start, unit) +
              (*line == p->line ? p->column : 1);
}

static int blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* What a heading passage shows: its text without Markdown's marks (`##
 * Title ##` is `Title`; a setext heading's underline is dropped).  The
 * bytes it starts at in *skip; returns its length. */
static size_t heading_text(const mls_passage *p, size_t *skip)
{
    const char *t = p->text;
    size_t n = p->text_len, from = 0, end = n;
    while (end > 0 && blank(t[end - 1]))
        end--;
    if (end > 0 && t[0] == '#') { /* ATX */
        while (from < end && t[from] == '#')
            from++;
        while (from < end && blank(t[from]))
            from++;
        size_t close = end;
        while (close > from && t[close - 1] == '#')
            close--;
        if (close < end && (close == from || blank(t[close - 1])))
            for (end = close; end > from && blank(t[end - 1]);)
                end--;
    } else { /* setext: a last line of = or - only goes */
        size_t line = end;
        while (line > 0 && t[line - 1] != '\n' && t[line - 1] != '\r')
            line--;
        int underline = line > 0 && line < end;
        for (size_t i = line; i < end && underline; i++)
            underline = t[i] == '=' || t[i] == '-' || t[i] == ' ';
        if (underline)
            for (end = line; end > 0 && blank(t[end - 1]);)
                end--;
    }
    *skip = from;
    return end - from;
}

static mls_status make_view(const mls_query *q, const mls_passage *p, const mls_output_options *opt,
                            size_t width, view *v)
{
    mls_span *spans;
    size_t count, skip = 0, len = p->text_len;
    if (p->kind == MLS_BLOCK_HEADING)
        len = heading_text(p, &skip);
    const char *text = p->text + skip;
    /* Matches are looked for in the passage's first MATCH_SCAN_BYTES: a
     * passage of megabytes (a pasted log) must not cost that much per hit. */
    size_t scan = len < MATCH_SCAN_BYTES ? len : MATCH_SCAN_BYTES;
    mls_status st = mls_match_spans(q, text, scan, &spans, &count);

    if (st)
        return st;
    v->query = q;
    v->passage = p;
    v->path = mls_display_path(p->path, opt->cwd);
    v->context_only = count == 0;
    if (count) {
        position_at(p, skip + spans[0].start,
                    opt->format == MLS_OUTPUT_VIMGREP ? opt->column_unit : MLS_COLUMN_BYTES,
                    &v->line, &v->column);
    } else {
        v->line = p->line;
        v->column = p->column;
    }
    st = mls_snippet_make(text, len, spans, count, width, &v->snippet);
    free(spans);
    return st;
}

static void put_colored(FILE *out, int color, const char *code, const char *s, size_t n)
{
    if (color)
        fputs(code, out);
    fwrite(s, 1, n, out);
    if (color)
        fputs(COLOR_RESET, out);
}

/* Prints `s` (a path, a heading) escaped; `one_line` folds its white space. */
static mls_status print_escaped(FILE *out, int color, const char *code, const char *s, int one_line)
{
    char *safe;
    size_t len;
    mls_status st = one_line ? mls_escape_line(s, strlen(s), NULL, 0, &safe, &len)
                             : mls_escape_text(s, strlen(s), &safe, &len);
    if (st)
        return st;
    put_colored(out, color, code, safe, len);
    free(safe);
    return MLS_OK;
}

/* One heading of the path, escaped on one line; with colour, what the
 * query matches in it stands out as in the snippet (a hit found by its
 * context shows where). */
static mls_status print_heading(FILE *out, const mls_query *q, const char *heading, int color)
{
    mls_span *spans = NULL;
    size_t n = 0, len, at = 0;
    char *safe;
    mls_status st = color ? mls_match_spans(q, heading, strlen(heading), &spans, &n) : MLS_OK;
    if (!st)
        st = mls_escape_line(heading, strlen(heading), spans, n, &safe, &len);
    if (st) {
        free(spans);
        return st;
    }
    if (color)
        fputs(COLOR_HEADING, out);
    for (size_t i = 0; i < n; i++) {
        fwrite(safe + at, 1, spans[i].start - at, out);
        fprintf(out, "%s%.*s%s%s", COLOR_MATCH, (int)(spans[i].end - spans[i].start),
                safe + spans[i].start, COLOR_RESET, COLOR_HEADING);
        at = spans[i].end;
    }
    fwrite(safe + at, 1, len - at, out);
    if (color)
        fputs(COLOR_RESET, out);
    free(safe);
    free(spans);
    return MLS_OK;
}

/* 1 if the query matches something in `s` (a heading, an item). */
static int matches_in(const mls_query *q, const char *s)
{
    mls_span *spans = NULL;
    size_t n = 0;
    mls_status st = mls_match_spans(q, s, strlen(s), &spans, &n);
    free(spans);
    return !st && n > 0;
}

/* The path a hit is shown under: its headings, then, for a hit found by
 * its parent items alone, the items that hold the match.  Parts [0, skip)
 * are shown as one "…"; with `cut`, the last part shows only its end from
 * byte `cut` on, after a "…" (a path too long for the line). */
typedef struct hit_path {
    const char **parts;
    size_t count, skip, cut;
    int gap_after_first; /* unfitted deep path: "…" between its top and the rest */
} hit_path;

static mls_status hit_path_make(const view *v, hit_path *hp)
{
    const mls_passage *p = v->passage;
    memset(hp, 0, sizeof *hp);
    hp->parts = malloc((p->heading_count + p->item_count + 1) * sizeof *hp->parts);
    if (!hp->parts)
        return MLS_ERR_NOMEM;
    for (size_t i = 0; i < p->heading_count; i++)
        hp->parts[hp->count++] = p->headings[i];
    for (size_t i = 0; v->context_only && i < p->item_count; i++)
        if (matches_in(v->query, p->items[i]))
            hp->parts[hp->count++] = p->items[i];
    return MLS_OK;
}

/* The bytes of the character at `s` (a stray byte: one). */
static size_t char_length(const char *s, size_t len)
{
    size_t n = mls_utf8_next(s, len, NULL);
    return n ? n : 1;
}

/* Terminal columns of a part as printed: one line, escaped. */
static size_t part_columns(const char *part)
{
    char *safe;
    size_t len, cols;
    if (mls_escape_line(part, strlen(part), NULL, 0, &safe, &len))
        return strlen(part);
    cols = mls_columns(safe, len);
    free(safe);
    return cols;
}

#define SEPARATOR_COLUMNS 3 /* " › " */
#define ELLIPSIS_COLUMNS 1
/* A fitted line's path takes this many columns or none; its snippet takes
 * this many at least, past the line's end if it must. */
#define PATH_MIN_COLUMNS 12
#define SNIPPET_MIN_COLUMNS 12

/* Fits the path into `budget` columns (separators after each part
 * included): the parts on the left give way to "…" first, then the end
 * of the last is all that shows.  Returns the columns it takes. */
static size_t hit_path_fit(hit_path *hp, size_t budget)
{
    if (budget < PATH_MIN_COLUMNS) { /* no room: no path */
        hp->count = 0;
        return 0;
    }
    size_t total = 0, *cols = hp->count ? malloc(hp->count * sizeof *cols) : NULL;
    if (!cols)
        return 0;
    for (size_t i = 0; i < hp->count; i++)
        total += cols[i] = part_columns(hp->parts[i]) + SEPARATOR_COLUMNS;
    while (hp->skip + 1 < hp->count && total > budget) {
        total -= cols[hp->skip++];
        if (hp->skip == 1)
            total += ELLIPSIS_COLUMNS + SEPARATOR_COLUMNS;
    }
    if (total > budget) { /* the last part alone is too long: its end */
        const char *last = hp->parts[hp->count - 1];
        size_t room =
            budget > total - cols[hp->count - 1] + SEPARATOR_COLUMNS + ELLIPSIS_COLUMNS
                ? budget - (total - cols[hp->count - 1]) - SEPARATOR_COLUMNS - ELLIPSIS_COLUMNS
                : 0;
        size_t len = strlen(last);
        hp->cut = mls_columns_from_end(last, len, room);
        /* As it is shown, escaped (a control is \x1B, four columns), and
         * cut at least by a character: on characters' boundaries. */
        while (hp->cut < len && (hp->cut == 0 || part_columns(last + hp->cut) > room))
            hp->cut += char_length(last + hp->cut, len - hp->cut);
        total = total - cols[hp->count - 1] + ELLIPSIS_COLUMNS + part_columns(last + hp->cut) +
                SEPARATOR_COLUMNS;
    }
    free(cols);
    return total;
}

/* Unfitted, a deep heading path shows its top, "…", and its last two. */
static void hit_path_shorten(hit_path *hp, size_t headings)
{
    if (headings > MAX_HEADINGS_SHOWN && hp->count == headings) {
        hp->parts[1] = hp->parts[headings - 2];
        hp->parts[2] = hp->parts[headings - 1];
        hp->count = 3;
        hp->gap_after_first = 1;
    }
}

static mls_status print_path(FILE *out, const view *v, const hit_path *hp, int color)
{
    mls_status st = MLS_OK;
    if (hp->skip)
        fprintf(out, "%s%s", ellipsis, heading_separator);
    for (size_t i = hp->skip; i < hp->count && !st; i++) {
        const char *part = hp->parts[i];
        if (hp->cut && i + 1 == hp->count) {
            fputs(ellipsis, out);
            part += hp->cut;
        }
        st = print_heading(out, v->query, part, color);
        fputs(heading_separator, out);
        if (hp->gap_after_first && i == 0)
            fprintf(out, "%s%s", ellipsis, heading_separator);
    }
    return st;
}

/* heading › heading › snippet, matches coloured, then how many passages
 * of the same text were left out ("(+2 identical)"; "(+2 or more
 * identical)" when the search did not read every note: `exact` 0). */
static mls_status print_message(FILE *out, const view *v, const hit_path *hp, int color,
                                size_t duplicates, int exact)
{
    const mls_snippet *s = &v->snippet;
    size_t at = 0;
    if (v->notebook)
        fprintf(out, "[%s] ", v->notebook);
    mls_status st = print_path(out, v, hp, color);
    for (size_t i = 0; i < s->span_count && !st; i++) {
        fwrite(s->text + at, 1, s->spans[i].start - at, out);
        put_colored(out, color, COLOR_MATCH, s->text + s->spans[i].start,
                    s->spans[i].end - s->spans[i].start);
        at = s->spans[i].end;
    }
    if (!st) {
        fwrite(s->text + at, 1, s->len - at, out);
        if (duplicates)
            fprintf(out, " (+%zu%s identical)", duplicates, exact ? "" : " or more");
        putc('\n', out);
    }
    return st;
}

static mls_status print_text(FILE *out, const view *v, const hit_path *hp, size_t duplicates,
                             int exact, const mls_output_options *opt)
{
    mls_status st = print_escaped(out, opt->color, COLOR_PATH, v->path, 0);
    if (st)
        return st;
    fprintf(out, ":%s%u%s: ", opt->color ? COLOR_LINE : "", v->line, opt->color ? COLOR_RESET : "");
    return print_message(out, v, hp, opt->color, duplicates, exact);
}

static mls_status print_vimgrep(FILE *out, const view *v, const hit_path *hp)
{
    mls_status st = print_escaped(out, 0, "", v->path, 0);
    if (st)
        return st;
    fprintf(out, ":%u:%u:", v->line, v->column);
    return print_message(out, v, hp, 0, 0, 1);
}

/* Columns of the decimal digits of `n`. */
static size_t digits(unsigned n)
{
    size_t d = 1;
    while (n >= 10)
        n /= 10, d++;
    return d;
}

/* A text hit to fit in opt->max_columns: its path fitted and its snippet
 * made again to the width that is left (a wide CJK character takes two
 * columns).  The snippet keeps three fifths of what the path and line
 * number leave, or all it needs if less; the heading path the rest. */
static mls_status fit_line(const mls_query *q, const mls_passage *p, const mls_output_options *opt,
                           size_t duplicates, int exact, view *v, hit_path *hp)
{
    char dup[64] = "";
    const char *notebook = v->notebook;
    if (duplicates)
        snprintf(dup, sizeof dup, " (+%zu%s identical)", duplicates, exact ? "" : " or more");
    size_t fixed = part_columns(v->path) + 1 + digits(v->line) + 2 + strlen(dup) +
                   (notebook ? part_columns(notebook) + 3 : 0);
    size_t room = opt->max_columns > fixed ? opt->max_columns - fixed : 0;
    size_t keep = room * 3 / 5 > SNIPPET_MIN_COLUMNS ? room * 3 / 5 : SNIPPET_MIN_COLUMNS;
    /* The snippet's "…" at either end are beyond its width. */
    size_t whole = room > 2 * ELLIPSIS_COLUMNS + SNIPPET_MIN_COLUMNS ? room - 2 * ELLIPSIS_COLUMNS
                                                                     : SNIPPET_MIN_COLUMNS;
    mls_snippet_clear(&v->snippet);
    mls_status st = make_view(q, p, opt, whole, v);
    size_t needs = st ? 0 : mls_columns(v->snippet.text, v->snippet.len);
    if (needs < keep)
        keep = needs;
    size_t path = hit_path_fit(hp, room > keep ? room - keep : 0);
    size_t width = room > path + 2 * ELLIPSIS_COLUMNS + SNIPPET_MIN_COLUMNS
                       ? room - path - 2 * ELLIPSIS_COLUMNS
                       : SNIPPET_MIN_COLUMNS;
    if (!st && width < whole) {
        mls_snippet_clear(&v->snippet);
        st = make_view(q, p, opt, width, v);
    }
    v->notebook = notebook;
    return st;
}

static size_t chars_before(const char *s, size_t offset)
{
    size_t n = 0;
    for (size_t i = 0; i < offset; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

/* The path as data (its bytes, to open the file), the headings and the
 * snippet as text to show, escaped as in the other formats (escape.h). */
static mls_status print_json_match(FILE *out, const view *v, const mls_hit *hit, size_t rank,
                                   int exact)
{
    const mls_passage *p = v->passage;
    const mls_snippet *s = &v->snippet;
    mls_status st = MLS_OK;
    fputs("{\"type\":\"match\",\"data\":{\"path\":", out);
    mls_json_data(out, v->path, strlen(v->path));
    if (v->notebook) {
        fputs(",\"notebook\":", out);
        mls_json_string(out, v->notebook, strlen(v->notebook));
    }
    fputs(",\"date\":", out);
    mls_json_string_or_null(out, hit->date);
    fprintf(out, ",\"line\":%u,\"column\":%u,\"end_line\":%u,\"headings\":[", v->line, v->column,
            p->end_line);
    for (size_t i = 0; i < p->heading_count && !st; i++) {
        if (i)
            putc(',', out);
        st = mls_json_text(out, p->headings[i], strlen(p->headings[i]));
    }
    fputs("],\"items\":[", out);
    for (size_t i = 0; i < p->item_count && !st; i++) {
        if (i)
            putc(',', out);
        st = mls_json_text(out, p->items[i], strlen(p->items[i]));
    }
    fprintf(out,
            "],\"context_only\":%s,\"score\":%.6g,\"rank\":%zu,\"duplicates\":%zu,"
            "\"duplicates_exact\":%s,\"snippet\":",
            v->context_only ? "true" : "false", hit->score, rank, hit->duplicates,
            exact ? "true" : "false");
    if (!st) /* escaped already: the spans are offsets in it as it is */
        st = mls_json_text(out, s->text, s->len);
    fputs(",\"spans\":[", out);
    for (size_t i = 0; i < s->span_count; i++)
        fprintf(out, "%s{\"start\":%zu,\"end\":%zu,\"char_start\":%zu,\"char_end\":%zu}",
                i ? "," : "", s->spans[i].start, s->spans[i].end,
                chars_before(s->text, s->spans[i].start), chars_before(s->text, s->spans[i].end));
    fputs("]}}\n", out);
    return st;
}

/* A path among the hits: its best hit's index, and how many it has. */
typedef struct file_hits {
    const char *path;
    size_t first, count;
} file_hits;

static int by_path_then_first(const void *a, const void *b)
{
    const file_hits *x = a, *y = b;
    int c = strcmp(x->path, y->path);
    return c ? c : (x->first > y->first) - (x->first < y->first);
}

static int by_first(const void *a, const void *b)
{
    const file_hits *x = a, *y = b;
    return (x->first > y->first) - (x->first < y->first);
}

/* Each distinct path of the hits once, in the order of its best hit.  The
 * caller frees *files. */
static mls_status group_by_path(const mls_hits *hits, file_hits **files, size_t *n)
{
    file_hits *f = malloc((hits->count ? hits->count : 1) * sizeof *f);
    *files = f;
    *n = 0;
    if (!f)
        return MLS_ERR_NOMEM;
    for (size_t i = 0; i < hits->count; i++)
        f[i] = (file_hits){hits->items[i].passage.path, i, 1};
    /* Sorted by path, each path's hits are one run, its best first. */
    qsort(f, hits->count, sizeof *f, by_path_then_first);
    for (size_t i = 0, k; i < hits->count; i = k) {
        for (k = i + 1; k < hits->count && !strcmp(f[k].path, f[i].path);)
            k++;
        f[(*n)++] = (file_hits){f[i].path, f[i].first, k - i};
    }
    qsort(f, *n, sizeof *f, by_first);
    return MLS_OK;
}

static mls_status print_files(FILE *out, const mls_hits *hits, const mls_output_options *opt)
{
    file_hits *files;
    size_t n;
    mls_status st = group_by_path(hits, &files, &n);
    for (size_t k = 0; k < n && !st; k++) {
        st = print_escaped(out, opt->color, COLOR_PATH, mls_display_path(files[k].path, opt->cwd),
                           0);
        if (!st && opt->format == MLS_OUTPUT_COUNT)
            fprintf(out, ":%zu", files[k].count);
        putc('\n', out);
    }
    free(files);
    return st;
}

static size_t count_files(const mls_hits *hits)
{
    file_hits *files;
    size_t n = 0;
    if (group_by_path(hits, &files, &n))
        n = 0;
    free(files);
    return n;
}

mls_status mls_output_hits(FILE *out, const mls_query *q, const mls_hits *hits,
                           const mls_output_options *opt)
{
    mls_status st = MLS_OK;
    if (opt->format == MLS_OUTPUT_FILES || opt->format == MLS_OUTPUT_COUNT) {
        st = print_files(out, hits, opt);
    } else {
        if (opt->format == MLS_OUTPUT_JSON)
            fputs("{\"type\":\"begin\",\"data\":{\"schema\":1,\"version\":\"" MLS_VERSION "\"}}\n",
                  out);
        for (size_t i = 0; i < hits->count && !st && !ferror(out); i++) {
            const mls_hit *hit = &hits->items[i];
            view v;
            hit_path hp = {0};
            st = make_view(q, &hit->passage, opt, opt->snippet_width, &v);
            if (st)
                break;
            size_t part = hit->part;
            v.notebook =
                opt->notebook_count > 1 && part < opt->notebook_count ? opt->notebooks[part] : NULL;
            if (opt->format != MLS_OUTPUT_JSON)
                st = hit_path_make(&v, &hp);
            if (!st && opt->format == MLS_OUTPUT_TEXT && opt->max_columns)
                st = fit_line(q, &hit->passage, opt, hit->duplicates, hits->all_read, &v, &hp);
            else if (!st && opt->format != MLS_OUTPUT_JSON)
                hit_path_shorten(&hp, hit->passage.heading_count);
            if (st)
                ; /* said below */
            else if (opt->format == MLS_OUTPUT_VIMGREP)
                st = print_vimgrep(out, &v, &hp);
            else if (opt->format == MLS_OUTPUT_JSON)
                st = print_json_match(out, &v, hit, i + 1, hits->all_read);
            else
                st = print_text(out, &v, &hp, hit->duplicates, hits->all_read, opt);
            free(hp.parts);
            mls_snippet_clear(&v.snippet);
        }
        if (!st && opt->format == MLS_OUTPUT_JSON) {
            struct timespec now;
            clock_gettime(CLOCK_MONOTONIC, &now);
            double ms = (double)(now.tv_sec - opt->started.tv_sec) * 1e3 +
                        (double)(now.tv_nsec - opt->started.tv_nsec) / 1e6;
            fprintf(out,
                    "{\"type\":\"summary\",\"data\":{\"matches\":%zu,\"total\":%zu,"
                    "\"total_exact\":%s,\"files\":%zu,\"elapsed_ms\":%.3f}}\n",
                    hits->count, opt->total, opt->total_exact ? "true" : "false", count_files(hits),
                    ms);
        }
    }
    if (st)
        return st;
    if (ferror(out) || fflush(out) != 0 || ferror(out))
        return MLS_ERR_IO;
    return MLS_OK;
}
