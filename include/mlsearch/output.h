/* output.h - printing hits, for a person at a terminal or for an editor.
 *
 * Formats (one per run):
 *  - text (default):  path:line: heading › heading › snippet (+N identical)
 *  - vimgrep:         path:line:column:heading › heading › snippet
 *    (what vim's 'grepformat' %f:%l:%c:%m, Emacs' grep-mode and VS Code's
 *    problem matchers read; column in bytes, 1-based, at the first match)
 *  - json:            JSON lines, schema below
 *  - files (-l):      each path once, in the order of its best hit
 *  - count (-c):      path:passages, in the same order
 * line is the line of the first match in the passage (its first line when
 * only its context matched).  A heading path deeper than three shows its
 * top, "…" and its last two (JSON has it whole).  Everything from notes is escaped (escape.h),
 * so one hit is always one line and no control byte reaches the output.
 *
 * JSON (schema 1), one object per line, as ripgrep's --json:
 *   {"type":"begin","data":{"schema":1}}
 *   {"type":"match","data":{"path":{"text":P},"line":L,"column":C,
 *     "end_line":E,"headings":[{"text":H}...],"score":S,"rank":R,"duplicates":D,
 *     "snippet":{"text":T},"spans":[{"start":B,"end":B,"char_start":N,
 *     "char_end":N}...]}}
 *   {"type":"summary","data":{"matches":M,"files":F,"elapsed_ms":X}}
 * P is {"bytes":base64} instead when it is not valid UTF-8 or holds a
 * control or bidi character (the file's name as it is, to open it); H
 * and T are escaped as in the other formats (`\x1B`), so that no "text"
 * holds such a character once decoded.  Spans are the matches in the
 * snippet T, in bytes and in characters.  Passages of the
 * same text are one hit (search.h): text says "(+N identical)" after it,
 * JSON "duplicates"; vimgrep shows the best only.  When several notebooks
 * are searched as one (mls_db_join()), text and vimgrep put the hit's
 * notebook before its headings, `[work] `, and JSON says "notebook":"work"
 * after the path. */
#ifndef MLSEARCH_OUTPUT_H
#define MLSEARCH_OUTPUT_H

#include <stddef.h>
#include <stdio.h>
#include <time.h>
#include "mlsearch/query.h"
#include "mlsearch/search.h"

typedef enum mls_output_format {
    MLS_OUTPUT_TEXT,
    MLS_OUTPUT_VIMGREP,
    MLS_OUTPUT_JSON,
    MLS_OUTPUT_FILES,
    MLS_OUTPUT_COUNT
} mls_output_format;

/* What --vimgrep's column counts from the line's start: bytes (vim's and
 * ripgrep's), characters, or UTF-16 code units (VS Code's). */
typedef enum mls_column_unit {
    MLS_COLUMN_BYTES,
    MLS_COLUMN_CHARS,
    MLS_COLUMN_UTF16
} mls_column_unit;

typedef struct mls_output_options {
    mls_output_format format;
    mls_column_unit column_unit;  /* --vimgrep's columns */
    int color;                    /* text only: ANSI colours, matches in bold red */
    const char *cwd;              /* paths under it print relative to it; NULL: absolute */
    size_t snippet_width;         /* terminal columns for the snippet */
    size_t max_columns;           /* text: each line fits this many columns, the heading
                                     path and the snippet shortened (0: no limit) */
    struct timespec started;      /* for the JSON summary's elapsed time (monotonic) */
    const char *const *notebooks; /* the names of the joined indexes, by part */
    size_t notebook_count;        /* with more than one, each hit says its own */
    size_t total;                 /* JSON: every passage the query matches (mls_search_count) */
    int total_exact;              /* 0: `total` is an estimate */
} mls_output_options;

/* Prints `hits` in `opt->format`.  MLS_ERR_IO (errno set) when writing
 * fails, as on a closed pipe; MLS_ERR_NOMEM. */
mls_status mls_output_hits(FILE *out, const mls_query *q, const mls_hits *hits,
                           const mls_output_options *opt);

/* `path` as shown: relative to `cwd` when it lies under it, else as it is
 * (a pointer into `path`). */
const char *mls_display_path(const char *path, const char *cwd);

#endif
