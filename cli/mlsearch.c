/* mlsearch.c - the command: arguments in, one library call, exit status out.
 *
 * Exit status, as grep and ripgrep: 0 hits (or success), 1 no hits,
 * 2 error, 75 (EX_TEMPFAIL) when another process is updating the index. */
#include "mlsearch/escape.h"
#include "mlsearch/indexer.h"
#include "mlsearch/location.h"
#include "mlsearch/output.h"
#include "mlsearch/query.h"
#include "mlsearch/search.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define EXIT_HITS 0
#define EXIT_NO_HITS 1
#define EXIT_ERROR 2
#define EXIT_TEMPFAIL 75

#define DEFAULT_MAX_COUNT 10
#define SNIPPET_WIDTH 100

static const char usage[] =
    "usage: mlsearch [OPTIONS] QUERY...         search (same as 'mlsearch search')\n"
    "       mlsearch search [OPTIONS] QUERY...\n"
    "       mlsearch index [--db DIR] [-j N] PATH...\n"
    "       mlsearch dump [--db DIR]\n"
    "\n"
    "Search options:\n"
    "  -n, --max-count N   show at most N passages (default 10)\n"
    "  --color WHEN        auto (default), always or never; NO_COLOR is honoured\n"
    "Index options:\n"
    "  -j, --jobs N        threads for a first build (default: one per CPU)\n"
    "Common options:\n"
    "  --db DIR            the index (default: $MLSEARCH_DB, else\n"
    "                      $XDG_DATA_HOME/mlsearch, else ~/.local/share/mlsearch)\n"
    "  -h, --help          this help\n"
    "\n"
    "Query: words and Japanese/Chinese/Korean text; every whitespace-separated\n"
    "piece must occur in a passage (or its headings and parent list items).\n"
    "Width and case do not matter: ＡＭＬ finds AML, ｻｰﾊﾞｰ finds サーバー.\n"
    "Exit status: 0 hits, 1 no hits, 2 error, 75 index busy.\n";

typedef struct args {
    const char *db;
    long max_count;
    long jobs;              /* 0: the indexer's choice */
    const char *color;
    const char **rest;      /* the non-option arguments */
    int rest_count;
} args;

/* The program's own messages: "mlsearch: what: why".  `what` may come
 * from the command line (an option, a path), so it is escaped. */
static void fail(const char *what, const char *why)
{
    char *safe = NULL;
    size_t len;
    if (mls_escape_text(what, strlen(what), &safe, &len) != MLS_OK)
        safe = NULL;
    fprintf(stderr, "mlsearch: %s: %s\n", safe ? safe : "?", why);
    free(safe);
}

static int parse_count(const char *s, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || *end || end == s || v < 1)
        return 0;
    *out = v;
    return 1;
}

/* Parses options anywhere among the arguments ("--" ends them).  Returns
 * -1 to go on, or an exit status. */
static int parse_args(int argc, char **argv, args *a)
{
    a->max_count = DEFAULT_MAX_COUNT;
    a->color = "auto";
    a->rest = calloc((size_t)argc + 1, sizeof *a->rest);
    if (!a->rest) {
        fail("arguments", "out of memory");
        return EXIT_ERROR;
    }
    for (int i = 0; i < argc; i++) {
        const char *s = argv[i], *value = NULL;
        if (!strcmp(s, "--")) {
            while (++i < argc)
                a->rest[a->rest_count++] = argv[i];
            break;
        }
        if (s[0] != '-' || s[1] == '\0') {
            a->rest[a->rest_count++] = s;
            continue;
        }
        if (!strcmp(s, "-h") || !strcmp(s, "--help")) {
            fputs(usage, stdout);
            return 0;
        }
        /* Options with a value: "--opt VALUE", "--opt=VALUE", "-nVALUE". */
        const char *names[][2] = {{"--db", NULL}, {"--max-count", "-n"}, {"--color", NULL},
                                   {"--jobs", "-j"}};
        int which = -1;
        for (int k = 0; k < 4 && which < 0; k++) {
            size_t n = strlen(names[k][0]);
            if (!strncmp(s, names[k][0], n) && (s[n] == '\0' || s[n] == '=')) {
                which = k;
                value = s[n] == '=' ? s + n + 1 : NULL;
            } else if (names[k][1] && !strncmp(s, names[k][1], 2)) {
                which = k;
                value = s[2] ? s + 2 : NULL;
            }
        }
        if (which < 0) {
            fail(s, "unknown option (see 'mlsearch --help'; '--' before a query starting with '-')");
            return EXIT_ERROR;
        }
        if (!value) {
            if (i + 1 >= argc) {
                fail(s, "needs a value");
                return EXIT_ERROR;
            }
            value = argv[++i];
        }
        if (which == 0) {
            a->db = value;
        } else if (which == 1 || which == 3) {
            if (!parse_count(value, which == 1 ? &a->max_count : &a->jobs)) {
                fail(s, "needs a whole number of at least 1");
                return EXIT_ERROR;
            }
        } else {
            if (strcmp(value, "auto") && strcmp(value, "always") && strcmp(value, "never")) {
                fail(s, "must be auto, always or never");
                return EXIT_ERROR;
            }
            a->color = value;
        }
    }
    return -1;
}

static int use_color(const char *when)
{
    const char *no_color = getenv("NO_COLOR"), *term = getenv("TERM");
    if (!strcmp(when, "always"))
        return 1;
    if (!strcmp(when, "never") || (no_color && *no_color))
        return 0;
    return isatty(STDOUT_FILENO) && !(term && !strcmp(term, "dumb"));
}

/* The status of a failed index operation, as a message and exit code. */
static int db_failure(const char *dir, mls_status st, const char *detail)
{
    char why[1024];
    if (st == MLS_ERR_DB_NOT_FOUND) {
        fail(dir, "no index here; run 'mlsearch index PATH' first");
    } else if (st == MLS_ERR_DB_LOCKED) {
        fail("index", "the index is being updated by another process");
    } else {
        snprintf(why, sizeof why, "%s%s%s", mls_status_str(st),
                 detail && *detail ? ": " : "", detail ? detail : "");
        fail(dir, why);
    }
    return st == MLS_ERR_DB_LOCKED ? EXIT_TEMPFAIL : EXIT_ERROR;
}

static char *current_dir(void)
{
    return getcwd(NULL, 0);
}

static void report_note(const char *path, mls_note_problem kind, const char *reason,
                        void *ctx)
{
    char *safe;
    size_t len;
    (void)kind;
    if (mls_escape_text(path, strlen(path), &safe, &len))
        return;
    fprintf(stderr, "%s: %s\n", mls_display_path(safe, ctx), reason);
    free(safe);
}

static int run_index(const args *a)
{
    char *dir = NULL, *message = NULL, *cwd = current_dir();
    mls_index_stats stats;
    int code = EXIT_ERROR;

    if (a->rest_count == 0) {
        fail("index", "no path given (usage: mlsearch index PATH...)");
    } else if (mls_index_location(a->db, &dir) != MLS_OK) {
        fail("index", "no index location: set --db, MLSEARCH_DB or HOME");
    } else if (mls_make_private_dir(dir) != MLS_OK) {
        char why[512];
        snprintf(why, sizeof why, "cannot create the index directory: %s", strerror(errno));
        fail(dir, why);
    } else {
        mls_index_options opt = {
            .db_dir = dir,
            .roots = a->rest,
            .root_count = (size_t)a->rest_count,
            .jobs = a->jobs > 64 ? 64 : (unsigned)a->jobs,
            .report = report_note,
            .report_ctx = cwd,
        };
        mls_status st = mls_index_run(&opt, &stats, &message);
        if (st)
            code = db_failure(dir, st, message);
        else
            code = stats.errors ? EXIT_ERROR : 0;
    }
    free(message);
    free(dir);
    free(cwd);
    return code;
}

/* Joins the query arguments with spaces: `mlsearch 推論 サーバー` and
 * `mlsearch '推論 サーバー'` mean the same. */
static char *join_query(const args *a)
{
    size_t n = 1;
    for (int i = 0; i < a->rest_count; i++)
        n += strlen(a->rest[i]) + 1;
    char *q = malloc(n);
    if (!q)
        return NULL;
    q[0] = '\0';
    for (int i = 0; i < a->rest_count; i++) {
        if (i)
            strcat(q, " ");
        strcat(q, a->rest[i]);
    }
    return q;
}

static int run_search(const args *a)
{
    char *text = NULL, *dir = NULL, *message = NULL, *cwd = NULL;
    mls_query *q = NULL;
    mls_db *db = NULL;
    mls_hits *hits = NULL;
    int code = EXIT_ERROR;
    mls_status st;

    if (a->rest_count == 0) {
        fputs(usage, stderr);
        return EXIT_ERROR;
    }
    text = join_query(a);
    cwd = current_dir();
    if (!text) {
        fail("search", "out of memory");
        goto done;
    }
    st = mls_query_parse(text, &q);
    if (st) {
        fail("query", st == MLS_ERR_QUERY_EMPTY
                          ? "nothing to search for (only spaces or punctuation)"
                          : mls_status_str(st));
        goto done;
    }
    if (mls_index_location(a->db, &dir) != MLS_OK) {
        fail("search", "no index location: set --db, MLSEARCH_DB or HOME");
        goto done;
    }
    st = mls_db_open(dir, MLS_DB_READ, &db, &message);
    if (st) {
        code = db_failure(dir, st, message);
        goto done;
    }
    st = mls_search(db, q, (size_t)a->max_count, &hits);
    if (st) {
        code = db_failure(dir, st, mls_db_message(db));
        goto done;
    }
    mls_output_options opt = {use_color(a->color), cwd, SNIPPET_WIDTH};
    st = mls_output_hits(stdout, q, hits, &opt);
    if (st == MLS_ERR_IO && errno == EPIPE) {
        code = hits->count ? EXIT_HITS : EXIT_NO_HITS; /* `| head` closed early */
    } else if (st) {
        fail("output", st == MLS_ERR_IO ? strerror(errno) : mls_status_str(st));
    } else {
        code = hits->count ? EXIT_HITS : EXIT_NO_HITS;
    }
done:
    mls_hits_free(hits);
    mls_db_close(db);
    mls_query_free(q);
    free(message);
    free(dir);
    free(cwd);
    free(text);
    return code;
}

static int run_dump(const args *a)
{
    char *dir = NULL, *message = NULL;
    mls_db *db = NULL;
    int code = EXIT_ERROR;
    mls_status st;

    if (a->rest_count) {
        fail("dump", "takes no arguments");
        return EXIT_ERROR;
    }
    if (mls_index_location(a->db, &dir) != MLS_OK) {
        fail("dump", "no index location: set --db, MLSEARCH_DB or HOME");
        return EXIT_ERROR;
    }
    st = mls_db_open(dir, MLS_DB_READ, &db, &message);
    if (!st)
        st = mls_dump_passages(db, stdout);
    if (st)
        code = db_failure(dir, st, db ? mls_db_message(db) : message);
    else if (fflush(stdout) != 0)
        fail("output", strerror(errno));
    else
        code = 0;
    mls_db_close(db);
    free(message);
    free(dir);
    return code;
}

int main(int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*run)(const args *);
    } commands[] = {{"search", run_search}, {"index", run_index}, {"dump", run_dump}};
    int (*run)(const args *) = run_search;
    int first = 1;
    args a = {0};

    /* A closed pipe is the reader's choice, not our error: see EPIPE. */
    signal(SIGPIPE, SIG_IGN);
    if (argc > 1) {
        for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
            if (!strcmp(argv[1], commands[i].name)) {
                run = commands[i].run;
                first = 2;
            }
        }
    }
    int code = parse_args(argc - first, argv + first, &a);
    if (code < 0)
        code = run(&a);
    free(a.rest);
    return code;
}
