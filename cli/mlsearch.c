/* mlsearch.c - the command: arguments in, one subcommand run, exit
 * status out (cli.h). */
#include "mlsearch/cli.h"

#include <signal.h>
#include <string.h>

/* `mlsearch help [COMMAND]`. */
int cli_run_help(const cli_args *a)
{
    if (a->rest_count > 1) {
        cli_fail("help", "names one command (usage: mlsearch help [COMMAND])");
        return CLI_EXIT_ERROR;
    }
    for (int c = 0; c < CLI_COMMAND_COUNT && a->rest_count; c++)
        if (!strcmp(a->rest[0], cli_commands[c].name)) {
            cli_print_help(stdout, (cli_command)c);
            return 0;
        }
    if (a->rest_count) {
        char why[256];
        int n = snprintf(why, sizeof why, "no command '%s' (commands:", a->rest[0]);
        for (int c = 0; c < CLI_COMMAND_COUNT && n > 0 && (size_t)n < sizeof why; c++)
            n += snprintf(why + n, sizeof why - (size_t)n, "%s %s", c ? "," : "",
                          cli_commands[c].name);
        if (n > 0 && (size_t)n < sizeof why)
            snprintf(why + n, sizeof why - (size_t)n, ")");
        cli_fail("help", why);
        return CLI_EXIT_ERROR;
    }
    cli_print_help(stdout, CLI_HELP);
    return 0;
}

int main(int argc, char **argv)
{
    static int (*const run[CLI_COMMAND_COUNT])(const cli_args *) = {
        [CLI_SEARCH] = cli_run_search,   [CLI_INDEX] = cli_run_index, [CLI_STATUS] = cli_run_status,
        [CLI_DUMP] = cli_run_dump,       [CLI_SERVE] = cli_run_serve, [CLI_FORGET] = cli_run_forget,
        [CLI_COMPACT] = cli_run_compact, [CLI_CHECK] = cli_run_check, [CLI_TAGS] = cli_run_tags,
        [CLI_HELP] = cli_run_help};
    cli_args a = {0};

    /* A closed pipe is the reader's choice, not our error: see EPIPE. */
    signal(SIGPIPE, SIG_IGN);
    int code = cli_parse_args(argc, argv, &a);
    if (code < 0)
        code = run[a.cmd](&a);
    cli_args_free(&a);
    return code;
}
