/* mlsearch.c - the command: arguments in, one library call, exit status out.
 *
 * Exit status, as grep and ripgrep: 0 hits (or success), 1 no hits,
 * 2 error, 75 (EX_TEMPFAIL) when another process is updating the index. */
#include "mlsearch/config.h"
#include "mlsearch/db.h"
#include "mlsearch/escape.h"
#include "mlsearch/indexer.h"
#include "mlsearch/location.h"
#include "mlsearch/notebooks.h"
#include "mlsearch/output.h"
#include "mlsearch/query.h"
#include "mlsearch/search.h"

#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define EXIT_HITS 0
#define EXIT_NO_HITS 1
#define EXIT_ERROR 2
#define EXIT_TEMPFAIL 75

#define DEFAULT_MAX_COUNT 10
#define SNIPPET_WIDTH 100
#define DEFAULT_SERVE_PORT 33333
#define REMOTE_TIMEOUT_MS 5000 /* to connect to a remote notebook, and per exchange */
#define PROGRESS_AFTER_SECONDS \
    1.0                      /* a shorter run shows no progress bar; \
                                $MLSEARCH_PROGRESS_DELAY sets it, as \
                                $GIT_PROGRESS_DELAY does git's */
#define STOP_GRACE_SECONDS 5 /* after SIGINT or SIGTERM, to commit and stop */

static const char usage[] =
    "usage: mlsearch [OPTIONS] QUERY...         search (same as 'mlsearch search')\n"
    "       mlsearch search [OPTIONS] QUERY...\n"
    "       mlsearch index [OPTIONS] [PATH...]   (no PATH: the roots in the configuration)\n"
    "       mlsearch status [--db DIR]\n"
    "       mlsearch dump [--db DIR]\n"
    "       mlsearch serve [--port N] [--bind ADDR] [NOTEBOOK]   (xapian-tcpsrv, read-only)\n"
    "\n"
    "Search options:\n"
    "  -n, --max-count N   show at most N passages (default 10; -l and -c: all)\n"
    "  --color WHEN        auto (default), always or never; NO_COLOR is honoured\n"
    "  --vimgrep           path:line:column:text, for vim's quickfix and editors\n"
    "  --json              JSON lines (schema in the README)\n"
    "  -l, --files-with-matches   the files with hits, best first\n"
    "  -c, --count         path:passages for each file with hits\n"
    "  --absolute          absolute paths (default: relative under the current dir)\n"
    "  --no-collapse       every passage, also those of the same text as a better one\n"
    "Index options:\n"
    "  -v, --verbose       a summary line, and notes passed over on purpose\n"
    "  --full              read every note again, changed or not\n"
    "  --rebuild           build a new index, not reading the old one (damaged?)\n"
    "  --rebuild-if-damaged   rebuild the index when it is found damaged (for cron)\n"
    "  --wait[=SECONDS]    wait for another indexer to finish (default: exit 75)\n"
    "  --include GLOB      which files are notes (repeatable; default *.md,\n"
    "                      *.markdown, *.txt)\n"
    "  --exclude GLOB      files and folders to skip (repeatable)\n"
    "  --max-size SIZE     skip larger notes, with a warning (default 16M)\n"
    "  -j, --jobs N        threads for a first build (default: one per CPU)\n"
    "  -N, --notebook NAME search, index, status or dump this notebook (repeatable;\n"
    "                      default: all of them)\n"
    "Common options:\n"
    "  --db DIR            the index (default: $MLSEARCH_DB, else\n"
    "                      $XDG_DATA_HOME/mlsearch, else ~/.local/share/mlsearch)\n"
    "  -h, --help          this help\n"
    "\n"
    "Query: words and Japanese/Chinese/Korean text; every whitespace-separated\n"
    "piece must occur in a passage (or its headings and parent list items).\n"
    "\"a phrase\", A OR B, -word or NOT word (excluded), prefix* (word prefix),\n"
    "heading:WORDS (in the heading path), path:DIR|FILE|GLOB, tag:TAG (front\n"
    "matter tags).  Unquoted, English words match their stems and katakana words\n"
    "their long-vowel variants (サーバ, サーバー); quoted, text matches as written.\n"
    "Width and case do not matter: ＡＭＬ finds AML, ｻｰﾊﾞｰ finds サーバー.\n"
    "Configuration: $XDG_CONFIG_HOME/mlsearch/config (root, include, exclude,\n"
    "max-size, follow-symlinks; see the README).\n"
    "Exit status: 0 hits (or success), 1 no hits, 2 error, 75 index busy;\n"
    "an interrupted index run dies of its signal after committing.\n";

typedef enum command { SEARCH, INDEX, STATUS, DUMP, SERVE } command;

typedef struct args {
    command cmd;
    const char *db;
    long max_count; /* 0: not given */
    mls_output_format format;
    int absolute;
    int no_collapse;
    long jobs;        /* 0: the indexer's choice */
    long port;        /* serve: 0: DEFAULT_SERVE_PORT */
    const char *bind; /* serve: NULL: 127.0.0.1 */
    const char *color;
    int verbose, full, rebuild, rebuild_if_damaged;
    double wait_seconds;
    size_t max_size;
    mls_strings includes, excludes;
    mls_strings notebooks; /* -N: the notebooks to work on; none: all */
    const char **rest;     /* the non-option arguments */
    int rest_count;
} args;

/* Every line mlsearch writes to stderr, formatted as printf's, passes
 * through here: much of it comes from outside (arguments, paths, the
 * configuration, Xapian's messages, which quote paths), and none of it may
 * move a terminal's cursor or retitle its window, so the whole line is
 * escaped (escape.h: `\x1B`), and it stays one line. */
static void say(const char *format, ...)
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
static void fail(const char *what, const char *why)
{
    say("mlsearch: %s: %s", what, why);
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

/* The options: which commands take each, and whether it has a value. */
enum { NONE, REQUIRED, OPTIONAL }; /* OPTIONAL: only as --name=VALUE */
#define FOR_SEARCH (1 << SEARCH)
#define FOR_INDEX (1 << INDEX)
#define FOR_SERVE (1 << SERVE)
#define FOR_ALL ((1 << SEARCH) | (1 << INDEX) | (1 << STATUS) | (1 << DUMP) | (1 << SERVE))

static const struct option {
    const char *name, *short_name;
    int value, commands;
} options[] = {
    {"--db", NULL, REQUIRED, FOR_ALL},
    {"--notebook", "-N", REQUIRED, (1 << SEARCH) | (1 << INDEX) | (1 << STATUS) | (1 << DUMP)},
    {"--port", NULL, REQUIRED, FOR_SERVE},
    {"--bind", NULL, REQUIRED, FOR_SERVE},
    {"--max-count", "-n", REQUIRED, FOR_SEARCH},
    {"--color", NULL, REQUIRED, FOR_SEARCH},
    {"--vimgrep", NULL, NONE, FOR_SEARCH},
    {"--json", NULL, NONE, FOR_SEARCH},
    {"--files-with-matches", "-l", NONE, FOR_SEARCH},
    {"--count", "-c", NONE, FOR_SEARCH},
    {"--absolute", NULL, NONE, FOR_SEARCH},
    {"--no-collapse", NULL, NONE, FOR_SEARCH},
    {"--jobs", "-j", REQUIRED, FOR_INDEX},
    {"--verbose", "-v", NONE, FOR_INDEX},
    {"--full", NULL, NONE, FOR_INDEX},
    {"--rebuild", NULL, NONE, FOR_INDEX},
    {"--rebuild-if-damaged", NULL, NONE, FOR_INDEX},
    {"--wait", NULL, OPTIONAL, FOR_INDEX},
    {"--include", NULL, REQUIRED, FOR_INDEX},
    {"--exclude", NULL, REQUIRED, FOR_INDEX},
    {"--max-size", NULL, REQUIRED, FOR_INDEX},
};

/* Finds the option `s` names; *value is set when `s` carries it. */
static const struct option *find_option(const char *s, const char **value)
{
    for (size_t k = 0; k < sizeof options / sizeof options[0]; k++) {
        const struct option *o = &options[k];
        size_t n = strlen(o->name);
        if (!strncmp(s, o->name, n) && (s[n] == '\0' || (s[n] == '=' && o->value))) {
            *value = s[n] == '=' ? s + n + 1 : NULL;
            return o;
        }
        if (o->short_name && !strncmp(s, o->short_name, 2) && (o->value == REQUIRED || !s[2])) {
            *value = s[2] ? s + 2 : NULL;
            return o;
        }
    }
    return NULL;
}

static int set_option(args *a, const struct option *o, const char *s, const char *value)
{
    const char *name = o->name;
    double seconds;
    char *end;

    if (!strcmp(name, "--db")) {
        a->db = value;
    } else if (!strcmp(name, "--port")) {
        if (!parse_count(value, &a->port) || a->port > 65535) {
            fail(s, "needs a port number from 1 to 65535");
            return 0;
        }
    } else if (!strcmp(name, "--bind")) {
        a->bind = value;
    } else if (!strcmp(name, "--notebook")) {
        if (mls_strings_add(&a->notebooks, value) != MLS_OK) {
            fail(s, "out of memory");
            return 0;
        }
    } else if (!strcmp(name, "--max-count") || !strcmp(name, "--jobs")) {
        if (!parse_count(value, !strcmp(name, "--jobs") ? &a->jobs : &a->max_count)) {
            fail(s, "needs a whole number of at least 1");
            return 0;
        }
    } else if (!strcmp(name, "--color")) {
        if (strcmp(value, "auto") && strcmp(value, "always") && strcmp(value, "never")) {
            fail(s, "must be auto, always or never");
            return 0;
        }
        a->color = value;
    } else if (!strcmp(name, "--vimgrep") || !strcmp(name, "--json") ||
               !strcmp(name, "--files-with-matches") || !strcmp(name, "--count")) {
        mls_output_format f = !strcmp(name, "--vimgrep") ? MLS_OUTPUT_VIMGREP
                              : !strcmp(name, "--json")  ? MLS_OUTPUT_JSON
                              : !strcmp(name, "--count") ? MLS_OUTPUT_COUNT
                                                         : MLS_OUTPUT_FILES;
        if (a->format != MLS_OUTPUT_TEXT && a->format != f) {
            fail(s, "only one of --vimgrep, --json, -l and -c");
            return 0;
        }
        a->format = f;
    } else if (!strcmp(name, "--absolute")) {
        a->absolute = 1;
    } else if (!strcmp(name, "--no-collapse")) {
        a->no_collapse = 1;
    } else if (!strcmp(name, "--verbose")) {
        a->verbose = 1;
    } else if (!strcmp(name, "--full")) {
        a->full = 1;
    } else if (!strcmp(name, "--rebuild")) {
        a->rebuild = 1;
    } else if (!strcmp(name, "--rebuild-if-damaged")) {
        a->rebuild_if_damaged = 1;
    } else if (!strcmp(name, "--wait")) {
        a->wait_seconds = -1;
        if (value) {
            errno = 0;
            seconds = strtod(value, &end);
            if (errno || end == value || *end || !(seconds >= 0) || seconds > 1e9) {
                fail(s, "needs a number of seconds");
                return 0;
            }
            a->wait_seconds = seconds;
        }
    } else if (!strcmp(name, "--max-size")) {
        if (!mls_parse_size(value, &a->max_size)) {
            fail(s, "needs a size such as 16M (bytes, or with K, M or G)");
            return 0;
        }
    } else if (mls_strings_add(!strcmp(name, "--include") ? &a->includes : &a->excludes, value)) {
        fail(s, "out of memory");
        return 0;
    }
    return 1;
}

/* Parses options anywhere among the arguments ("--" ends them).  Returns
 * -1 to go on, or an exit status. */
static int parse_args(int argc, char **argv, args *a)
{
    static const char *const command_names[] = {"search", "index", "status", "dump", "serve"};
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
        const struct option *o = find_option(s, &value);
        if (!o) {
            fail(s,
                 "unknown option (see 'mlsearch --help'; '--' before a query starting with '-')");
            return EXIT_ERROR;
        }
        if (!(o->commands & (1 << a->cmd))) {
            char why[64];
            snprintf(why, sizeof why, "not an option of 'mlsearch %s'", command_names[a->cmd]);
            fail(s, why);
            return EXIT_ERROR;
        }
        if (!value && o->value == REQUIRED) {
            if (i + 1 >= argc) {
                fail(s, "needs a value");
                return EXIT_ERROR;
            }
            value = argv[++i];
        }
        if (!set_option(a, o, s, value))
            return EXIT_ERROR;
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
    } else if (st == MLS_ERR_DB_CORRUPT) {
        snprintf(why, sizeof why,
                 "the index is damaged (%s); rebuild it with "
                 "'mlsearch index --rebuild [PATH...]'",
                 detail && *detail ? detail : "?");
        fail(dir, why);
    } else if (st == MLS_ERR_NO_SPACE) {
        snprintf(why, sizeof why,
                 "no space left on device; the index keeps its "
                 "last commit: make room and run 'mlsearch index' again");
        fail(dir, why);
    } else if (st == MLS_ERR_DB_ACCESS) {
        /* Someone else's index: neither missing nor damaged. */
        snprintf(why, sizeof why, "cannot open the index: %s",
                 detail && *detail ? detail : "Permission denied");
        fail(dir, why);
    } else if ((st == MLS_ERR_IO || st == MLS_ERR_NOT_PRIVATE || st == MLS_ERR_INVALID) && detail &&
               *detail) {
        fail(dir, detail);
    } else {
        snprintf(why, sizeof why, "%s%s%s", mls_status_str(st), detail && *detail ? ": " : "",
                 detail ? detail : "");
        fail(dir, why);
    }
    return st == MLS_ERR_DB_LOCKED ? EXIT_TEMPFAIL : EXIT_ERROR;
}

/* A write to stdout failed (errno says why).  A reader that closed the
 * pipe early (`mlsearch dump | head`) had what it wanted: that is no
 * error, and says nothing (0).  Anything else is an error, said. */
static int output_failed(void)
{
    if (errno == EPIPE)
        return 0;
    fail("output", strerror(errno));
    return EXIT_ERROR;
}

static char *current_dir(void)
{
    return getcwd(NULL, 0);
}

/* The indexer's per-note problems and progress, as a terminal or cron
 * sees them. */
typedef struct index_ui {
    const char *cwd;
    int verbose;
    int progress; /* stderr is a terminal */
    int bar_shown;
    double delay; /* seconds before the bar shows */
    struct timespec started;
} index_ui;

static double elapsed(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

static void clear_bar(index_ui *ui)
{
    if (ui->bar_shown)
        fputs("\r\033[K", stderr);
    ui->bar_shown = 0;
}

static void report_note(const char *path, mls_note_problem kind, const char *reason, void *ctx)
{
    index_ui *ui = ctx;
    if (kind == MLS_NOTE_INFO && !ui->verbose)
        return;
    clear_bar(ui);
    say("%s: %s", mls_display_path(path, ui->cwd), reason);
}

/* "12,031": counts in summaries, grouped for reading. */
static const char *grouped(size_t n, char buf[32])
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

/* "12,031 files: 3 new, 2 changed, 1 removed, 0 errors in 0.9 s". */
static void summary(char *line, size_t size, const mls_index_stats *s)
{
    char files[32], added[32], changed[32], moved[48] = "", removed[32];
    if (s->renamed)
        snprintf(moved, sizeof moved, "%zu moved, ", s->renamed);
    snprintf(line, size, "%s files: %s new, %s changed, %s%s removed, %zu error%s in %.1f s",
             grouped(s->files, files), grouped(s->added, added), grouped(s->changed, changed),
             moved, grouped(s->removed, removed), s->errors, s->errors == 1 ? "" : "s", s->seconds);
}

/* Seconds a run goes before it shows its progress bar. */
static double progress_delay(void)
{
    const char *s = getenv("MLSEARCH_PROGRESS_DELAY");
    char *end;
    double d = s && *s ? strtod(s, &end) : -1;
    return s && *s && !*end && d >= 0 ? d : PROGRESS_AFTER_SECONDS;
}

static void show_progress(size_t done, size_t total, void *ctx)
{
    enum { WIDTH = 30 };
    index_ui *ui = ctx;
    static const char hashes[] = "##############################";
    char a[32], b[32];
    if (!ui->progress || total == 0 || (!ui->bar_shown && elapsed(&ui->started) < ui->delay))
        return;
    /* Drawn at each hundredth, and at the end. */
    if (ui->bar_shown && done != total && done * 100 / total == (done - 1) * 100 / total)
        return;
    int filled = (int)(done * WIDTH / total);
    fprintf(stderr, "\r[%.*s%*s] %s/%s notes", filled, hashes, WIDTH - filled, "", grouped(done, a),
            grouped(total, b));
    ui->bar_shown = 1;
}

/* Set by SIGINT and SIGTERM while indexing: the indexer then commits what
 * it has done and stops.  Lock-free, so the indexer's threads may read it. */
static atomic_int stop_signal;

/* Set by the indexer while it publishes a new index (indexer.h). */
static atomic_int publishing;

static void on_stop_signal(int sig)
{
    if (atomic_load(&stop_signal)) { /* a second one, of either kind */
        signal(sig, SIG_DFL);
        raise(sig);
        return;
    }
    atomic_store(&stop_signal, sig);
    alarm(STOP_GRACE_SECONDS);
}

/* The grace period is over: whatever the indexer is doing (a Xapian call
 * on a damaged index may never return), the process dies of the signal
 * it was sent.  That is no worse than SIGKILL, after which the index is
 * at its last commit and the next run takes the lock over. */
static void on_grace_over(int sig)
{
    (void)sig;
    if (atomic_load(&publishing)) { /* nearly done, and cannot spin */
        alarm(STOP_GRACE_SECONDS);
        return;
    }
    int stop = atomic_load(&stop_signal);
    signal(stop, SIG_DFL);
    raise(stop);
}

/* The roots, include and exclude globs from the command line, else from
 * the configuration file. */
static int load_config(mls_config *cfg)
{
    char *path = NULL, *error = NULL;
    mls_status st = mls_config_location(&path);
    if (st == MLS_ERR_INVALID)
        return 1; /* neither XDG_CONFIG_HOME nor HOME: no configuration */
    if (!st)
        st = mls_config_load(path, cfg, &error);
    if (st)
        fail("config", error ? error : mls_status_str(st));
    free(error);
    free(path);
    return st == MLS_OK;
}

/* Indexes `roots` into the index in `dir`: one run, its messages, its
 * exit status.  *die_of is set to a signal that stopped it. */
static int index_into(const args *a, const mls_config *cfg, index_ui *ui, const char *dir,
                      const char *const *roots, size_t root_count, int *die_of)
{
    const mls_strings *includes = a->includes.count ? &a->includes : &cfg->includes;
    const mls_strings *excludes = a->excludes.count ? &a->excludes : &cfg->excludes;
    mls_index_stats stats;
    char *message = NULL;
    int code = EXIT_ERROR;

    if (mls_make_private_dir(dir) != MLS_OK) {
        char why[512];
        snprintf(why, sizeof why, "cannot create the index directory: %s", strerror(errno));
        fail(dir, why);
        return EXIT_ERROR;
    }
    mls_status st = mls_index_private(dir, &message);
    if (st) {
        code = db_failure(dir, st, message);
        free(message);
        return code;
    }
    mls_index_options opt = {
        .db_dir = dir,
        .roots = roots,
        .root_count = root_count,
        .includes = (const char *const *)includes->items,
        .include_count = includes->count,
        .excludes = (const char *const *)excludes->items,
        .exclude_count = excludes->count,
        .follow_all_symlinks = cfg->follow_all_symlinks,
        .max_file_size = a->max_size ? a->max_size : cfg->max_file_size,
        .jobs = a->jobs > 64 ? 64 : (unsigned)a->jobs,
        .full = a->full,
        .rebuild = a->rebuild,
        .wait_seconds = a->wait_seconds,
        .interrupted = &stop_signal,
        .publishing = &publishing,
        .report = report_note,
        .report_ctx = ui,
        .progress = show_progress,
        .progress_ctx = ui,
    };
    /* Once only: a second signal, while the first is being honoured,
     * kills at once (the index is still at its last commit). */
    struct sigaction stop = {.sa_handler = on_stop_signal, .sa_flags = SA_RESETHAND};
    sigemptyset(&stop.sa_mask);
    sigaddset(&stop.sa_mask, SIGINT);
    sigaddset(&stop.sa_mask, SIGTERM);
    sigaction(SIGINT, &stop, NULL);
    sigaction(SIGTERM, &stop, NULL);
    signal(SIGALRM, on_grace_over);
    st = mls_index_run(&opt, &stats, &message);
    if (st == MLS_ERR_DB_CORRUPT && a->rebuild_if_damaged && !opt.rebuild &&
        !atomic_load(&stop_signal)) {
        /* The notes are the source of truth: the night mends the index. */
        clear_bar(ui);
        say("mlsearch: %s: the index is damaged (%s); rebuilding it from the notes", dir,
            message && *message ? message : "?");
        free(message);
        message = NULL;
        opt.rebuild = 1;
        st = mls_index_run(&opt, &stats, &message);
    }
    clear_bar(ui);
    if (st == MLS_ERR_DB_LOCKED) {
        char why[256];
        snprintf(why, sizeof why, "the index is being updated by another process%s%s%s",
                 message ? " (" : "", message ? message : "", message ? ")" : "");
        fail("index", why);
        code = EXIT_TEMPFAIL;
    } else if (st == MLS_ERR_INTERRUPTED) {
        fail("index", "interrupted; the notes read so far are committed");
    } else if (st) {
        code = db_failure(dir, st, message);
    } else {
        code = stats.errors ? EXIT_ERROR : 0;
    }
    if (mls_status_keeps_work(st) && (a->verbose || isatty(STDERR_FILENO))) {
        char line[256];
        summary(line, sizeof line, &stats);
        say("%s", line);
    }
    /* However late the signal came, the run dies of it. */
    *die_of = atomic_load(&stop_signal);
    free(message);
    return code;
}

/* Indexes the notebooks -N names, or with no path every local notebook
 * of the configuration that has roots; each run in turn.  The exit status
 * is the worst: an error, else a busy index, else success. */
static int index_notebooks(const args *a, const mls_config *cfg, index_ui *ui, const char *data_dir,
                           int *die_of)
{
    mls_places places;
    char *error = NULL;
    int code = 0, named = a->notebooks.count > 0;
    mls_status st = mls_places_select(cfg, data_dir, (const char *const *)a->notebooks.items,
                                      a->notebooks.count, &places, &error);
    if (st) {
        fail("notebook", error ? error : mls_status_str(st));
        free(error);
        return EXIT_ERROR;
    }
    if (a->rest_count && places.count > 1) {
        fail("index", "paths go with one notebook: -N NAME PATH...");
        mls_places_free(&places);
        return EXIT_ERROR;
    }
    for (size_t i = 0; i < places.count && !*die_of; i++) {
        const mls_place *p = &places.items[i];
        int one = a->rest_count > 0; /* paths, for the one notebook */
        const char *const *roots = one ? a->rest : (const char *const *)p->roots->items;
        size_t root_count = one ? (size_t)a->rest_count : p->roots->count;
        int c = 0;
        if (!p->dir || root_count == 0) {
            if (named) {
                fail(p->name, p->dir ? "no path given and no root for this notebook"
                                     : "a remote notebook: index it where it is served");
                c = EXIT_ERROR;
            }
        } else {
            c = index_into(a, cfg, ui, p->dir, roots, root_count, die_of);
        }
        if (c && (code == 0 || c == EXIT_ERROR))
            code = c;
    }
    mls_places_free(&places);
    return code;
}

static int run_index(const args *a)
{
    char *dir = NULL, *cwd = current_dir();
    mls_config cfg = {0};
    index_ui ui = {.cwd = cwd,
                   .verbose = a->verbose,
                   .progress = isatty(STDERR_FILENO),
                   .delay = progress_delay()};
    int code = EXIT_ERROR, die_of = 0;

    clock_gettime(CLOCK_MONOTONIC, &ui.started);
    if (!load_config(&cfg))
        goto done;
    if (mls_index_location(a->db, &dir) != MLS_OK) {
        fail("index", "no index location: set --db, MLSEARCH_DB or HOME");
    } else if (a->notebooks.count || (!a->rest_count && cfg.notebook_count)) {
        code = index_notebooks(a, &cfg, &ui, dir, &die_of);
    } else if (!a->rest_count && !cfg.roots.count) {
        fail("index", "no path given and no root in the configuration "
                      "(usage: mlsearch index PATH...)");
    } else {
        code = index_into(a, &cfg, &ui, dir,
                          a->rest_count ? a->rest : (const char *const *)cfg.roots.items,
                          a->rest_count ? (size_t)a->rest_count : cfg.roots.count, &die_of);
    }
done:
    mls_config_free(&cfg);
    free(dir);
    free(cwd);
    if (die_of) { /* dies of the signal, as the shell and cron expect */
        signal(die_of, SIG_DFL);
        raise(die_of);
    }
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

/* An index of an older vocabulary answers, but may miss (stems, headings):
 * the next `mlsearch index` reads it again whole. */
static void warn_if_old(mls_db *db)
{
    if (mls_index_is_older(db))
        fail("index", "made by an older mlsearch, so searches may miss; "
                      "'mlsearch index' brings it up to date");
}

/* A notebook left out of a search: said, and the others searched. */
static void warn_skipped(const mls_place *p, mls_status st, const char *why, void *ctx)
{
    (void)ctx;
    char where[300];
    /* A missing index needs no detail; one not private, only its own. */
    const char *what = st == MLS_ERR_DB_NOT_FOUND         ? "no index yet"
                       : st == MLS_ERR_NOT_PRIVATE && why ? why
                                                          : mls_status_str(st);
    int detail = why && *why && st != MLS_ERR_DB_NOT_FOUND && st != MLS_ERR_NOT_PRIVATE;
    say("mlsearch: notebook %s (%s): %s%s%s; searching the others", p->name,
        mls_place_where(p, where, sizeof where), what, detail ? ": " : "", detail ? why : "");
}

/* Why the query `text` was refused, as mls_query_parse() said `st`. */
static void query_failure(const char *text, mls_status st)
{
    char why[128];
    size_t len = strlen(text);
    if (st == MLS_ERR_QUERY_EMPTY)
        snprintf(why, sizeof why, "nothing to search for (only spaces or punctuation)");
    else if (st == MLS_ERR_QUERY_ONLY_EXCLUDES)
        snprintf(why, sizeof why, "nothing to search for (-word and NOT only exclude)");
    else if (st == MLS_ERR_QUERY_TOO_LARGE && len > MLS_QUERY_MAX_BYTES)
        snprintf(why, sizeof why, "too long (%zu bytes; at most %d)", len, MLS_QUERY_MAX_BYTES);
    else if (st == MLS_ERR_QUERY_TOO_LARGE)
        snprintf(why, sizeof why, "too many pieces (%zu; at most %d)", mls_query_pieces(text),
                 MLS_QUERY_MAX_PIECES);
    else
        snprintf(why, sizeof why, "%s", mls_status_str(st));
    fail("query", why);
}

/* The search the output format asks for. */
static mls_status find(mls_db *db, const mls_query *q, size_t max, const args *a, mls_hits **hits)
{
    mls_hits_free(*hits);
    *hits = NULL;
    if (a->format == MLS_OUTPUT_FILES)
        return mls_search_files(db, q, max, hits);
    if (a->format == MLS_OUTPUT_COUNT)
        return mls_search_paths(db, q, max, hits);
    return a->no_collapse ? mls_search_all(db, q, max, hits) : mls_search(db, q, max, hits);
}

static int run_search(const args *a)
{
    char *text = NULL, *dir = NULL, *message = NULL, *cwd = NULL;
    mls_query *q = NULL;
    mls_db *db = NULL;
    mls_hits *hits = NULL;
    int code = EXIT_ERROR;
    struct timespec started;
    mls_status st;
    mls_config cfg = {0};
    mls_places places = {0};
    const char **parts = NULL;
    size_t part_count = 0;

    clock_gettime(CLOCK_MONOTONIC, &started);
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
        query_failure(text, st);
        goto done;
    }
    if (mls_index_location(a->db, &dir) != MLS_OK) {
        fail("search", "no index location: set --db, MLSEARCH_DB or HOME");
        goto done;
    }
    if (!load_config(&cfg))
        goto done;
    if (a->db && a->notebooks.count) {
        fail("--db", "names one index: not with -N");
        goto done;
    }
    /* --db DIR: that index, whatever notebooks the configuration has. */
    mls_config only_default = {0};
    st = mls_places_select(a->db ? &only_default : &cfg, dir,
                           (const char *const *)a->notebooks.items, a->notebooks.count, &places,
                           &message);
    if (st) {
        fail("notebook", message ? message : mls_status_str(st));
        goto done;
    }
    st = mls_places_open(&places, REMOTE_TIMEOUT_MS, 0, warn_skipped, NULL, &db, &parts,
                         &part_count, &message);
    if (st) {
        const mls_place *p = &places.items[0];
        char where[300], what[400];
        snprintf(what, sizeof what, "notebook %s (%s)", p->name,
                 mls_place_where(p, where, sizeof where));
        code = db_failure(places.count == 1 ? (p->dir ? p->dir : what) : dir, st, message);
        goto done;
    }
    warn_if_old(db);
    /* -l and -c answer for every hit; the other formats show the best. */
    size_t max = a->max_count ? (size_t)a->max_count
                 : a->format == MLS_OUTPUT_FILES || a->format == MLS_OUTPUT_COUNT
                     ? SIZE_MAX
                     : DEFAULT_MAX_COUNT;
    st = find(db, q, max, a, &hits);
    if (st == MLS_ERR_NETWORK && places.count > 1) {
        /* A server that went away after it answered: the local ones. */
        say("mlsearch: a remote notebook stopped answering (%s); searching the local ones",
            mls_db_message(db));
        mls_db_close(db);
        free(parts);
        st = mls_places_open(&places, REMOTE_TIMEOUT_MS, 1, NULL, NULL, &db, &parts, &part_count,
                             &message);
        if (!st)
            st = find(db, q, max, a, &hits);
    }
    if (st) {
        if (st == MLS_ERR_QUERY_TOO_LARGE) /* a prefix of too many words */
            say("mlsearch: query: a prefix stands for more than %d words; make it longer",
                MLS_PREFIX_MAX_TERMS);
        else
            code = db_failure(dir, st, mls_db_message(db));
        goto done;
    }
    mls_output_options opt = {.format = a->format,
                              .color = a->format != MLS_OUTPUT_JSON &&
                                       a->format != MLS_OUTPUT_VIMGREP && use_color(a->color),
                              .cwd = a->absolute ? NULL : cwd,
                              .snippet_width = SNIPPET_WIDTH,
                              .started = started,
                              .notebooks = parts,
                              .notebook_count = part_count};
    st = mls_output_hits(stdout, q, hits, &opt);
    if (st == MLS_ERR_IO)
        code = output_failed() ? EXIT_ERROR : hits->count ? EXIT_HITS : EXIT_NO_HITS;
    else if (st)
        fail("output", mls_status_str(st));
    else
        code = hits->count ? EXIT_HITS : EXIT_NO_HITS;
done:
    mls_hits_free(hits);
    mls_db_close(db);
    mls_places_free(&places);
    mls_config_free(&cfg);
    free(parts);
    mls_query_free(q);
    free(message);
    free(dir);
    free(cwd);
    free(text);
    return code;
}

/* What the index holds: where, roots, notes, passages, the last run. */
static int show_status(mls_db *db, const char *dir)
{
    char *where = NULL, count[32], when[32] = "?", line[256];
    size_t where_len;
    unsigned long long bytes;
    mls_index_info info = {0};
    mls_status st = mls_escape_text(dir, strlen(dir), &where, &where_len);
    if (!st)
        st = mls_index_info_read(db, &info);
    if (!st)
        st = mls_db_disk_size(db, &bytes);
    if (!st) {
        if (bytes)
            printf("index:     %s (%.1f MB)\n", where, (double)bytes / 1e6);
        else /* a remote notebook's: its files are the server's */
            printf("index:     %s\n", where);
        for (size_t i = 0; i < info.roots.count; i++) {
            char *safe;
            size_t safe_len;
            const char *root = info.roots.items[i];
            if (mls_escape_text(root, strlen(root), &safe, &safe_len) == MLS_OK) {
                printf("%s %s\n", i ? "          " : "roots:    ", safe);
                free(safe);
            }
        }
        printf("notes:     %s\n", grouped(info.notes, count));
        printf("passages:  %s\n", grouped(info.passages, count));
        if (info.has_last_run) {
            struct tm tm;
            if (localtime_r(&info.last_run_started, &tm))
                strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm);
            summary(line, sizeof line, &info.last_run);
            printf("last run:  %s: %s\n", when, line);
        } else {
            printf("last run:  unknown\n");
        }
    }
    mls_index_info_free(&info);
    free(where);
    return st ? db_failure(dir, st, mls_db_message(db)) : 0;
}

/* Opens the index read-only and runs `show` on it. */
/* Runs `show` on each notebook -N names, or on every notebook: the status
 * or the dump of each, in turn (a status says the notebook's name first
 * when there are several).  The exit status is the worst. */
static int with_index(const args *a, const char *name, int (*show)(mls_db *, const char *))
{
    char *dir = NULL, *message = NULL;
    mls_config cfg = {0}, only_default = {0};
    mls_places places = {0};
    int code = EXIT_ERROR;

    if (a->rest_count) {
        fail(name, "takes no arguments");
        return EXIT_ERROR;
    }
    if (mls_index_location(a->db, &dir) != MLS_OK) {
        fail(name, "no index location: set --db, MLSEARCH_DB or HOME");
    } else if (a->db && a->notebooks.count) {
        fail("--db", "names one index: not with -N");
    } else if (load_config(&cfg) &&
               mls_places_select(a->db ? &only_default : &cfg, dir,
                                 (const char *const *)a->notebooks.items, a->notebooks.count,
                                 &places, &message) != MLS_OK) {
        fail("notebook", message ? message : "out of memory");
    } else {
        code = 0;
    }
    for (size_t i = 0; i < places.count && !ferror(stdout); i++) {
        const mls_place *p = &places.items[i];
        char where[300];
        mls_db *db = NULL;
        mls_place_where(p, where, sizeof where);
        if (places.count > 1 && show == show_status) /* a dump's lines are JSON */
            printf("%snotebook:  %s\n", i ? "\n" : "", p->name);
        free(message);
        message = NULL;
        mls_status st = mls_place_open(p, REMOTE_TIMEOUT_MS, &db, &message);
        int one = st ? db_failure(where, st, message) : show(db, where);
        if (one && (code == 0 || one == EXIT_ERROR))
            code = one;
        mls_db_close(db);
    }
    if ((fflush(stdout) != 0 || ferror(stdout)) && output_failed())
        code = EXIT_ERROR;
    mls_places_free(&places);
    mls_config_free(&cfg);
    free(message);
    free(dir);
    return code;
}

static int dump(mls_db *db, const char *dir)
{
    mls_status st = mls_dump_passages(db, stdout);
    if (st == MLS_ERR_IO)
        return 0; /* a write that failed: with_index() says it, once */
    return st ? db_failure(dir, st, mls_db_message(db)) : 0;
}

static int run_status(const args *a)
{
    return with_index(a, "status", show_status);
}

static int run_dump(const args *a)
{
    return with_index(a, "dump", dump);
}

/* Whether xapian-tcpsrv can listen on host:port, found out as it does it:
 * the address resolved, a socket bound with SO_REUSEADDR.  Its own way of
 * saying no is its words and statuses (69 for a port in use, 1 for an
 * address it cannot resolve: our "no hits"); said here, a port in use or
 * a bad --bind is an error like any other, exit 2.  (Another process may
 * still take the port in between: then xapian-tcpsrv says so itself.) */
static int can_listen(const char *host, const char *port)
{
    struct addrinfo hints = {.ai_flags = AI_PASSIVE | AI_NUMERICSERV, .ai_socktype = SOCK_STREAM},
                    *list, *ai;
    char why[512];
    int error = 0, rc = getaddrinfo(host, port, &hints, &list);
    if (rc) {
        snprintf(why, sizeof why, "--bind %s: %s", host,
                 rc == EAI_SYSTEM ? strerror(errno) : gai_strerror(rc));
        fail("serve", why);
        return 0;
    }
    for (ai = list; ai; ai = ai->ai_next) {
        int on = 1, fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
        if (fd < 0) {
            error = errno;
            continue;
        }
        int bound = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) == 0 &&
                    bind(fd, ai->ai_addr, ai->ai_addrlen) == 0;
        error = errno;
        close(fd);
        if (bound)
            break;
    }
    freeaddrinfo(list);
    if (!ai) {
        snprintf(why, sizeof why, "cannot listen on %s:%s: %s", host, port, strerror(error));
        fail("serve", why);
    }
    return ai != NULL;
}

/* Serves a local notebook's index to other machines' `remote` notebooks:
 * Xapian's own server, xapian-tcpsrv, read-only, on 127.0.0.1 unless told
 * otherwise.  It opens the index anew for each connection, so the
 * nightly `mlsearch index` on this machine is seen by the next search. */
static int run_serve(const args *a)
{
    const char *name = a->rest_count ? a->rest[0] : MLS_DEFAULT_NOTEBOOK;
    mls_config cfg = {0};
    mls_places places = {0};
    char *dir = NULL, *error = NULL, stub[4200], port[16];
    int code = EXIT_ERROR;

    if (a->rest_count > 1) {
        fputs(usage, stderr);
        return EXIT_ERROR;
    }
    if (!load_config(&cfg))
        goto done;
    if (mls_index_location(a->db, &dir) != MLS_OK) {
        fail("serve", "no index location: set --db, MLSEARCH_DB or HOME");
    } else if (mls_places_select(&cfg, dir, &name, 1, &places, &error) != MLS_OK) {
        fail("notebook", error ? error : "out of memory");
    } else if (!places.items[0].dir) {
        fail(name, "a remote notebook: serve it where it is indexed");
    } else {
        snprintf(stub, sizeof stub, "%s/index", places.items[0].dir);
        snprintf(port, sizeof port, "%ld", a->port ? a->port : DEFAULT_SERVE_PORT);
        mls_status st = mls_index_private(places.items[0].dir, &error);
        if (st) {
            db_failure(places.items[0].dir, st, error);
        } else if (access(stub, R_OK) != 0) {
            fail(places.items[0].dir, "no index here; run 'mlsearch index' first");
        } else if (can_listen(a->bind ? a->bind : "127.0.0.1", port)) {
            char bind[1024]; /* execvp() takes its arguments as writable */
            snprintf(bind, sizeof bind, "%s", a->bind ? a->bind : "127.0.0.1");
            char *const argv[] = {"xapian-tcpsrv", "--port", port, "--interface", bind, stub, NULL};
            say("mlsearch: serving notebook %s (%s), read-only, on %s:%s", name,
                places.items[0].dir, argv[4], port);
            fflush(stderr);
            execvp(argv[0], argv);
            char why[256];
            snprintf(why, sizeof why, "cannot run xapian-tcpsrv (Debian's xapian-tools): %s",
                     strerror(errno));
            fail("serve", why);
        }
    }
done:
    mls_places_free(&places);
    mls_config_free(&cfg);
    free(error);
    free(dir);
    return code;
}

int main(int argc, char **argv)
{
    static const struct {
        const char *name;
        command cmd;
        int (*run)(const args *);
    } commands[] = {{"search", SEARCH, run_search},
                    {"index", INDEX, run_index},
                    {"status", STATUS, run_status},
                    {"dump", DUMP, run_dump},
                    {"serve", SERVE, run_serve}};
    int (*run)(const args *) = run_search;
    int first = 1;
    args a = {0};

    /* A closed pipe is the reader's choice, not our error: see EPIPE. */
    signal(SIGPIPE, SIG_IGN);
    if (argc > 1) {
        for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
            if (!strcmp(argv[1], commands[i].name)) {
                run = commands[i].run;
                a.cmd = commands[i].cmd;
                first = 2;
            }
        }
    }
    int code = parse_args(argc - first, argv + first, &a);
    if (code < 0)
        code = run(&a);
    mls_strings_free(&a.includes);
    mls_strings_free(&a.excludes);
    mls_strings_free(&a.notebooks);
    free(a.rest);
    return code;
}
