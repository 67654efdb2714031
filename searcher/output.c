/* output.c - hits as lines for a terminal (see output.h). */
#include "mlsearch/output.h"

#include "mlsearch/escape.h"
#include "mlsearch/snippet.h"
#include "mlsearch/utf8.h"

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

static void put_colored(FILE *out, int color, const char *code, const char *s, size_t n)
{
    if (color)
        fputs(code, out);
    fwrite(s, 1, n, out);
    if (color)
        fputs(COLOR_RESET, out);
}

const char *mls_display_path(const char *path, const char *cwd)
{
    size_t n = cwd ? strlen(cwd) : 0;
    if (n > 1 && strncmp(path, cwd, n) == 0 && path[n] == '/')
        return path + n + 1;
    return path;
}

/* The line of byte `offset` of the passage text. */
static unsigned line_at(const mls_passage *p, size_t offset)
{
    unsigned line = p->line;
    for (size_t i = 0; i < offset && i < p->text_len; i++) {
        size_t brk = mls_line_break(p->text, p->text_len, i);
        if (brk) {
            line++;
            i += brk - 1;
        }
    }
    return line;
}

/* Prints `s` (a path, a heading) escaped; `one_line` folds its white space. */
static mls_status print_escaped(FILE *out, int color, const char *code, const char *s,
                                int one_line)
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

static mls_status print_hit(FILE *out, const mls_query *q, const mls_passage *p,
                            const mls_output_options *opt)
{
    mls_span *spans;
    size_t count;
    mls_snippet snippet;
    /* Matches are looked for in the passage's first MATCH_SCAN_BYTES: a
     * passage of megabytes (a pasted log) must not cost that much per hit. */
    size_t scan = p->text_len < MATCH_SCAN_BYTES ? p->text_len : MATCH_SCAN_BYTES;
    mls_status st = mls_match_spans(q, p->text, scan, &spans, &count);

    if (st)
        return st;
    st = mls_snippet_make(p->text, p->text_len, spans, count, opt->snippet_width, &snippet);
    if (!st)
        st = print_escaped(out, opt->color, COLOR_PATH, mls_display_path(p->path, opt->cwd), 0);
    if (!st) {
        fprintf(out, ":%s%u%s: ", opt->color ? COLOR_LINE : "",
                count ? line_at(p, spans[0].start) : p->line,
                opt->color ? COLOR_RESET : "");
        for (size_t i = 0; i < p->heading_count && !st; i++) {
            st = print_escaped(out, opt->color, COLOR_HEADING, p->headings[i], 1);
            fputs(heading_separator, out);
        }
    }
    if (!st) {
        size_t at = 0;
        for (size_t i = 0; i < snippet.span_count; i++) {
            fwrite(snippet.text + at, 1, snippet.spans[i].start - at, out);
            put_colored(out, opt->color, COLOR_MATCH, snippet.text + snippet.spans[i].start,
                        snippet.spans[i].end - snippet.spans[i].start);
            at = snippet.spans[i].end;
        }
        fwrite(snippet.text + at, 1, snippet.len - at, out);
        putc('\n', out);
    }
    mls_snippet_clear(&snippet);
    free(spans);
    return st;
}

mls_status mls_output_hits(FILE *out, const mls_query *q, const mls_hits *hits,
                           const mls_output_options *opt)
{
    for (size_t i = 0; i < hits->count; i++) {
        mls_status st = print_hit(out, q, &hits->items[i].passage, opt);
        if (st)
            return st;
        if (ferror(out))
            return MLS_ERR_IO;
    }
    if (fflush(out) != 0 || ferror(out))
        return MLS_ERR_IO;
    return MLS_OK;
}
