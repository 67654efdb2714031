/* index_command.c - `mlsearch index`: runs the indexer over the roots
 * or the notebooks, with what a terminal or cron needs to see (cli.h). */
#include "mlsearch/cli.h"
#include "mlsearch/location.h"
#include "mlsearch/roots.h"

#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define PROGRESS_AFTER_SECONDS \
    1.0                      /* a shorter run shows no progress bar; \
                                $MLSEARCH_PROGRESS_DELAY sets it, as \
                                $GIT_PROGRESS_DELAY does git's */
#define STOP_GRACE_SECONDS 5 /* after SIGINT or SIGTERM, to commit and stop */

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
    cli_say("%s: %s", mls_display_path(path, ui->cwd), reason);
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
    fprintf(stderr, "\r[%.*s%*s] %s/%s notes", filled, hashes, WIDTH - filled, "",
            cli_grouped(done, a), cli_grouped(total, b));
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

/* Indexes `roots` into the index in `dir`: one run, its messages, its
 * exit status.  *die_of is set to a signal that stopped it. */
/* What a run lets go of: roots the index remembers, and why. */
typedef struct letting_go {
    const mls_strings *roots;
    const char *why; /* "no longer in the configuration", "forgotten" */
} letting_go;

/* The line a run that let go of roots says: which, why, how many notes. */
static void say_let_go(const letting_go *drop, size_t notes)
{
    char list[2048] = "", count[32];
    size_t used = 0;
    for (size_t i = 0; i < drop->roots->count && used < sizeof list; i++) {
        int n =
            snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "", drop->roots->items[i]);
        used += n > 0 ? (size_t)n : 0;
    }
    if (notes) /* (a rebuild's new index never held them) */
        cli_say("mlsearch: let go of %s (%s): %s note%s removed", list, drop->why,
                cli_grouped(notes, count), notes == 1 ? "" : "s");
    else
        cli_say("mlsearch: let go of %s (%s)", list, drop->why);
}

static int index_into(const cli_args *a, const mls_config *cfg, index_ui *ui, const char *dir,
                      const char *const *roots, size_t root_count, const letting_go *drop,
                      int *die_of)
{
    const mls_strings *includes = a->includes.count ? &a->includes : &cfg->includes;
    const mls_strings *excludes = a->excludes.count ? &a->excludes : &cfg->excludes;
    mls_index_stats stats;
    char *message = NULL;
    int code = CLI_EXIT_ERROR;

    if (mls_make_private_dir(dir) != MLS_OK) {
        char why[512];
        snprintf(why, sizeof why, "cannot create the index directory: %s", strerror(errno));
        cli_fail(dir, why);
        return CLI_EXIT_ERROR;
    }
    mls_status st = mls_index_private(dir, &message);
    if (st) {
        code = cli_db_failure(dir, st, message);
        free(message);
        return code;
    }
    mls_index_options opt = {
        .db_dir = dir,
        .roots = roots,
        .root_count = root_count,
        .dropped = drop ? (const char *const *)drop->roots->items : NULL,
        .dropped_count = drop ? drop->roots->count : 0,
        .includes = (const char *const *)includes->items,
        .include_count = includes->count,
        .excludes = (const char *const *)excludes->items,
        .exclude_count = excludes->count,
        .follow_all_symlinks = cfg->follow_all_symlinks,
        .no_ignore = a->no_ignore || cfg->no_ignore,
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
        cli_say("mlsearch: %s: the index is damaged (%s); rebuilding it from the notes", dir,
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
        cli_fail("index", why);
        code = CLI_EXIT_TEMPFAIL;
    } else if (st == MLS_ERR_INTERRUPTED) {
        cli_fail("index", "interrupted; the notes read so far are committed");
    } else if (st) {
        code = cli_db_failure(dir, st, message);
    } else {
        code = stats.errors ? CLI_EXIT_ERROR : 0;
    }
    if (mls_status_keeps_work(st) && drop && drop->roots->count)
        say_let_go(drop, stats.dropped);
    if (mls_status_keeps_work(st) && (a->verbose || isatty(STDERR_FILENO))) {
        char line[256];
        cli_run_summary(line, sizeof line, &stats);
        cli_say("%s", line);
        if (stats.compacted_from) /* grown past MLS_COMPACT_GROWTH times */
            cli_say("compacted: %.1f MB -> %.1f MB", (double)stats.compacted_from / 1e6,
                    (double)stats.compacted_to / 1e6);
    }
    /* However late the signal came, the run dies of it. */
    *die_of = atomic_load(&stop_signal);
    free(message);
    return code;
}

/* What a run shows a terminal or cron, from now on. */
static index_ui ui_for(const cli_args *a, const char *cwd)
{
    index_ui ui = {.cwd = cwd,
                   .verbose = a->verbose,
                   .progress = isatty(STDERR_FILENO),
                   .delay = progress_delay()};
    clock_gettime(CLOCK_MONOTONIC, &ui.started);
    return ui;
}

/* A run stopped by a signal dies of it, as the shell and cron expect. */
static void die_of_signal(int sig)
{
    if (sig) {
        signal(sig, SIG_DFL);
        raise(sig);
    }
}

/* One index's run: over the paths given; else over its configured roots,
 * letting go of the roots it remembers that they no longer hold; else over
 * the roots it remembers.  None of them: an error when `required`, said
 * of `what`; else nothing to do. */
static int index_one(const cli_args *a, const mls_config *cfg, index_ui *ui, const char *dir,
                     const mls_strings *configured, const char *what, int required, int *die_of)
{
    mls_strings remembered = {0}, dropped = {0};
    letting_go drop = {&dropped, "no longer in the configuration"};
    int code = CLI_EXIT_ERROR;
    if (a->rest_count)
        return index_into(a, cfg, ui, dir, a->rest, (size_t)a->rest_count, NULL, die_of);
    if (configured->count) {
        /* An index that cannot be read lets go of nothing: the run says why. */
        if (mls_roots_remembered(dir, (const char *const *)configured->items, configured->count,
                                 NULL, &dropped) != MLS_OK)
            mls_strings_free(&dropped);
        code = index_into(a, cfg, ui, dir, (const char *const *)configured->items,
                          configured->count, &drop, die_of);
    } else if (mls_roots_remembered(dir, NULL, 0, &remembered, NULL) != MLS_OK ||
               remembered.count == 0) {
        if (required)
            cli_fail(what, "no path given, no root in the configuration, and none indexed "
                           "before (usage: mlsearch index PATH...)");
        code = required ? CLI_EXIT_ERROR : 0;
    } else {
        if (a->verbose)
            cli_say("mlsearch: %s: no root in the configuration: indexing the %zu root%s the "
                    "index remembers",
                    what, remembered.count, remembered.count == 1 ? "" : "s");
        code = index_into(a, cfg, ui, dir, (const char *const *)remembered.items, remembered.count,
                          NULL, die_of);
    }
    mls_strings_free(&remembered);
    mls_strings_free(&dropped);
    return code;
}

/* Indexes the notebooks -N names, or with no path every local notebook
 * of the configuration that has roots; each run in turn.  The exit status
 * is the worst: an error, else a busy index, else success. */
static int index_notebooks(const cli_args *a, const mls_config *cfg, index_ui *ui,
                           const char *data_dir, int *die_of)
{
    mls_places places;
    char *error = NULL;
    int code = 0, named = a->notebooks.count > 0;
    mls_status st = mls_places_select(cfg, data_dir, (const char *const *)a->notebooks.items,
                                      a->notebooks.count, &places, &error);
    if (st) {
        cli_fail("notebook", error ? error : mls_status_str(st));
        free(error);
        return CLI_EXIT_ERROR;
    }
    if (a->rest_count && places.count > 1) {
        cli_fail("index", "paths go with one notebook: -N NAME PATH...");
        mls_places_free(&places);
        return CLI_EXIT_ERROR;
    }
    for (size_t i = 0; i < places.count && !*die_of; i++) {
        const mls_place *p = &places.items[i];
        int c = 0;
        if (!p->dir) {
            if (named) {
                cli_fail(p->name, "a remote notebook: index it where it is served");
                c = CLI_EXIT_ERROR;
            }
        } else {
            c = index_one(a, cfg, ui, p->dir, p->roots, p->name, named, die_of);
        }
        if (c && (code == 0 || c == CLI_EXIT_ERROR))
            code = c;
    }
    mls_places_free(&places);
    return code;
}

int cli_run_index(const cli_args *a)
{
    char *dir = NULL, *cwd = getcwd(NULL, 0);
    mls_config cfg = {0};
    index_ui ui = ui_for(a, cwd);
    int code = CLI_EXIT_ERROR, die_of = 0;

    if (!cli_locate(a, "index", &cfg, &dir)) {
        /* said */
    } else if (a->notebooks.count || (!a->rest_count && cfg.notebook_count)) {
        code = index_notebooks(a, &cfg, &ui, dir, &die_of);
    } else {
        code = index_one(a, &cfg, &ui, dir, &cfg.roots, "index", 1, &die_of);
    }
    mls_config_free(&cfg);
    free(dir);
    free(cwd);
    die_of_signal(die_of);
    return code;
}

/* `mlsearch forget PATH...`: lets go of roots the index remembers, and of
 * their notes, on purpose (roots.h). */
int cli_run_forget(const cli_args *a)
{
    char *data_dir = NULL, *dir = NULL, *cwd = getcwd(NULL, 0);
    mls_config cfg = {0};
    mls_strings remembered = {0}, dropped = {0};
    letting_go drop = {&dropped, "forgotten"};
    index_ui ui = ui_for(a, cwd);
    int code = CLI_EXIT_ERROR, die_of = 0;

    if (a->rest_count == 0)
        cli_fail("forget", "names the roots to let go of (usage: mlsearch forget PATH...)");
    else if (cli_locate(a, "forget", &cfg, &data_dir) &&
             cli_one_index(a, &cfg, data_dir, "forget", &dir) &&
             mls_roots_remembered(dir, NULL, 0, &remembered, NULL) == MLS_OK)
        code = 0;
    for (int i = 0; i < a->rest_count && !code; i++) {
        char *root = NULL;
        int known = 0;
        if (mls_root_canonical(a->rest[i], &root) != MLS_OK) {
            cli_fail(a->rest[i], "cannot make it an absolute path");
            code = CLI_EXIT_ERROR;
            break;
        }
        for (size_t k = 0; k < remembered.count && !known; k++)
            known = !strcmp(remembered.items[k], root);
        if (!known) {
            char why[1024] = "not a root of the index (its roots:";
            for (size_t k = 0; k < remembered.count; k++)
                snprintf(why + strlen(why), sizeof why - strlen(why), "%s %s", k ? "," : "",
                         remembered.items[k]);
            snprintf(why + strlen(why), sizeof why - strlen(why), "%s)",
                     remembered.count ? "" : " none");
            cli_fail(a->rest[i], why);
            code = CLI_EXIT_ERROR;
        } else if (mls_strings_add(&dropped, root) != MLS_OK) {
            cli_fail("forget", "out of memory");
            code = CLI_EXIT_ERROR;
        }
        free(root);
    }
    if (!code)
        code = index_into(a, &cfg, &ui, dir, NULL, 0, &drop, &die_of);
    /* Still configured: the next run indexes it again, and says so here. */
    for (size_t i = 0; !code && i < dropped.count; i++)
        for (size_t k = 0; k < cfg.roots.count; k++) {
            char *root = NULL;
            if (mls_root_canonical(cfg.roots.items[k], &root) == MLS_OK &&
                !strcmp(root, dropped.items[i]))
                cli_say("mlsearch: %s is still a root in the configuration: the next 'mlsearch "
                        "index' indexes it again",
                        dropped.items[i]);
            free(root);
        }
    mls_strings_free(&remembered);
    mls_strings_free(&dropped);
    mls_config_free(&cfg);
    free(data_dir);
    free(dir);
    free(cwd);
    die_of_signal(die_of);
    return code;
}
