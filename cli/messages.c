/* messages.c - what the command says on stderr, and how a failure
 * becomes a message and an exit status (cli.h). */
#include "mlsearch/cli.h"
#include "mlsearch/escape.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Every line mlsearch writes to stderr, formatted as printf's, passes
 * through here: much of it comes from outside (arguments, paths, the
 * configuration, Xapian's messages, which quote paths), and none of it may
 * move a terminal's cursor or retitle its window, so the whole line is
 * escaped (escape.h: `\x1B`), and it stays one line. */
void cli_say(const char *format, ...)
{
    va_list ap;
    char *line = NULL, *safe = NULL;
    size_t len;
    va_start(ap, format);
    int n = vsnprintf(NULL, 0, format, ap);
    va_end(ap);
    if (n >= 0 && (line = malloc((size_t)n + 1)) != NULL) {
        va_start(ap, format);
        vsnprintf(line, (size_t)n + 1, format, ap);
        va_end(ap);
    }
    if (line && mls_escape_text(line, (size_t)n, &safe, &len) == MLS_OK)
        fprintf(stderr, "%s\n", safe);
    else
        fputs("mlsearch: out of memory\n", stderr);
    free(safe);
    free(line);
}

/* The program's own messages: "mlsearch: what: why". */
void cli_fail(const char *what, const char *why)
{
    cli_say("mlsearch: %s: %s", what, why);
}

/* The status of a failed index operation, as a message and exit code. */
int cli_db_failure(const char *dir, mls_status st, const char *detail)
{
    char why[1024];
    if (st == MLS_ERR_DB_NOT_FOUND) {
        cli_fail(dir, "no index here; run 'mlsearch index PATH' first");
    } else if (st == MLS_ERR_DB_LOCKED) {
        cli_fail("index", "the index is being updated by another process");
    } else if (st == MLS_ERR_DB_CORRUPT) {
        snprintf(why, sizeof why,
                 "the index is damaged (%s); rebuild it with "
                 "'mlsearch index --rebuild [PATH...]'",
                 detail && *detail ? detail : "?");
        cli_fail(dir, why);
    } else if (st == MLS_ERR_NO_SPACE) {
        snprintf(why, sizeof why,
                 "no space left on device; the index keeps its "
                 "last commit: make room and run 'mlsearch index' again");
        cli_fail(dir, why);
    } else if (st == MLS_ERR_DB_ACCESS) {
        /* Someone else's index: neither missing nor damaged. */
        snprintf(why, sizeof why, "cannot open the index: %s",
                 detail && *detail ? detail : "Permission denied");
        cli_fail(dir, why);
    } else if ((st == MLS_ERR_IO || st == MLS_ERR_NOT_PRIVATE || st == MLS_ERR_INVALID) && detail &&
               *detail) {
        cli_fail(dir, detail);
    } else {
        snprintf(why, sizeof why, "%s%s%s", mls_status_str(st), detail && *detail ? ": " : "",
                 detail ? detail : "");
        cli_fail(dir, why);
    }
    return st == MLS_ERR_DB_LOCKED ? CLI_EXIT_TEMPFAIL : CLI_EXIT_ERROR;
}

/* A write to stdout failed (errno says why).  A reader that closed the
 * pipe early (`mlsearch dump | head`) had what it wanted: that is no
 * error, and says nothing (0).  Anything else is an error, said. */
int cli_output_failed(void)
{
    if (errno == EPIPE)
        return 0;
    cli_fail("output", strerror(errno));
    return CLI_EXIT_ERROR;
}

/* "12,031": counts in summaries, grouped for reading. */
const char *cli_grouped(size_t n, char buf[32])
{
    char digits[24];
    int len = snprintf(digits, sizeof digits, "%zu", n), out = 0;
    for (int i = 0; i < len; i++) {
        if (i && (len - i) % 3 == 0)
            buf[out++] = ',';
        buf[out++] = digits[i];
    }
    buf[out] = '\0';
    return buf;
}

/* "12,031 files: 3 new, 2 changed, 1 removed, 0 errors in 0.9 s"; a run
 * a signal stopped: "interrupted after 706 of 3,778 notes: 706 new, …". */
void cli_run_summary(char *line, size_t size, const mls_index_stats *s)
{
    char files[32], added[32], changed[32], moved[48] = "", removed[32];
    if (s->renamed)
        snprintf(moved, sizeof moved, "%zu moved, ", s->renamed);
    char head[96];
    if (s->interrupted) {
        char done[32], todo[32];
        snprintf(head, sizeof head, "interrupted after %s of %s notes", cli_grouped(s->done, done),
                 cli_grouped(s->todo, todo));
    } else {
        snprintf(head, sizeof head, "%s files", cli_grouped(s->files, files));
    }
    snprintf(line, size, "%s: %s new, %s changed, %s%s removed, %zu error%s in %.1f s", head,
             cli_grouped(s->added, added), cli_grouped(s->changed, changed), moved,
             cli_grouped(s->removed, removed), s->errors, s->errors == 1 ? "" : "s", s->seconds);
}
