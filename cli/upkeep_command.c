/* upkeep_command.c - `mlsearch compact` and `mlsearch check` (cli.h,
 * upkeep.h). */
#include "mlsearch/cli.h"
#include "mlsearch/upkeep.h"

#include <stdatomic.h>
#include <stdlib.h>

/* The index such a command works on, or 0 said. */
static int target(const cli_args *a, const char *command, mls_config *cfg, char **dir)
{
    char *data_dir = NULL;
    int ok = 0;
    if (a->rest_count) {
        cli_fail(command, "takes no arguments");
    } else if (cli_locate(a, command, cfg, &data_dir)) {
        ok = cli_one_index(a, cfg, data_dir, command, dir);
    }
    free(data_dir);
    return ok;
}

int cli_run_compact(const cli_args *a)
{
    static const atomic_int never = 0;
    mls_config cfg = {0};
    char *dir = NULL, *message = NULL;
    unsigned long long before, after;
    int code = CLI_EXIT_ERROR;
    if (target(a, "compact", &cfg, &dir)) {
        mls_status st = mls_upkeep_compact(dir, a->wait_seconds, &never, &before, &after, &message);
        if (st) {
            code = cli_db_failure(dir, st, message);
        } else {
            printf("compacted: %.1f MB -> %.1f MB\n", (double)before / 1e6, (double)after / 1e6);
            code = 0;
        }
    }
    mls_config_free(&cfg);
    free(message);
    free(dir);
    return code;
}

/* A problem `check` found: a line of its own. */
static void say_problem(const char *where, const char *what, void *ctx)
{
    (void)ctx;
    cli_say("%s: %s", where, what);
}

int cli_run_check(const cli_args *a)
{
    mls_config cfg = {0};
    char *dir = NULL, *message = NULL, notes_s[32], passages_s[32];
    size_t problems = 0, notes = 0, passages = 0;
    int code = CLI_EXIT_ERROR;
    if (target(a, "check", &cfg, &dir)) {
        mls_status st =
            mls_upkeep_check(dir, say_problem, NULL, &problems, &notes, &passages, &message);
        if (st) {
            code = cli_db_failure(dir, st, message);
        } else if (problems) {
            cli_say("mlsearch: %s: %zu problem%s found; rebuild it with 'mlsearch index "
                    "--rebuild [PATH...]'",
                    dir, problems, problems == 1 ? "" : "s");
        } else {
            printf("whole: %s notes, %s passages\n", cli_grouped(notes, notes_s),
                   cli_grouped(passages, passages_s));
            code = 0;
        }
    }
    mls_config_free(&cfg);
    free(message);
    free(dir);
    return code;
}
