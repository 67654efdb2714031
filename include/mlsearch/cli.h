/* cli.h - the command, `mlsearch`: what its subcommands share.
 *
 * cli/mlsearch.c reads the arguments through the one table of options
 * (cli/options.c) and runs one subcommand, each in a file of its own:
 * search, index, status and dump, serve, help.  They share the parsed
 * arguments, the way a message reaches stderr (cli/messages.c) and the
 * way the index and the notebooks are found (cli/places.c).
 *
 * Exit status, as grep and ripgrep: 0 hits (or success), 1 no hits,
 * 2 error, 75 (EX_TEMPFAIL) when another process is updating the index. */
#ifndef MLSEARCH_CLI_H
#define MLSEARCH_CLI_H

#include <stddef.h>
#include <stdio.h>
#include "mlsearch/config.h"
#include "mlsearch/indexer.h"
#include "mlsearch/notebooks.h"
#include "mlsearch/output.h"
#include "mlsearch/status.h"
#include "mlsearch/strings.h"

#define CLI_EXIT_HITS 0
#define CLI_EXIT_NO_HITS 1
#define CLI_EXIT_ERROR 2
#define CLI_EXIT_TEMPFAIL 75

#define CLI_REMOTE_TIMEOUT_MS 5000 /* to connect to a remote notebook, and per exchange */

typedef enum cli_command {
    CLI_SEARCH,
    CLI_INDEX,
    CLI_STATUS,
    CLI_DUMP,
    CLI_SERVE,
    CLI_FORGET,
    CLI_COMPACT,
    CLI_CHECK,
    CLI_TAGS,
    CLI_HELP,
    CLI_COMMAND_COUNT
} cli_command;

/* What the command line asked for. */
typedef struct cli_args {
    cli_command cmd;
    const char *db;
    long max_count;   /* 0: not given */
    long max_columns; /* -M: -1 not given (a terminal's width), 0 no limit */
    mls_output_format format;
    mls_column_unit column_unit; /* --vimgrep's columns */
    int newest_first;            /* --sort=date */
    int absolute;
    int no_collapse;
    int no_context;   /* match passages' own text only */
    long jobs;        /* 0: the indexer's choice */
    long port;        /* serve: 0: its default */
    const char *bind; /* serve: NULL: 127.0.0.1 */
    const char *color;
    int verbose, full, rebuild, rebuild_if_damaged;
    int no_ignore; /* index: ignore files not honoured */
    double wait_seconds;
    size_t max_size;
    mls_strings includes, excludes;
    mls_strings notebooks; /* -N: the notebooks to work on; none: all */
    const char **rest;     /* the arguments that are not options */
    int rest_count;
} cli_args;

/* ---- options.c: the options, the grammar, the help ---- */

/* Every option, once: its names, its value, the commands that take it
 * and its help.  The parser, the help and the checks of the help read
 * this table and nothing else. */
typedef enum cli_value {
    CLI_NO_VALUE,
    CLI_VALUE,         /* --name VALUE, --name=VALUE, -xVALUE, -x VALUE */
    CLI_OPTIONAL_VALUE /* --name or --name=VALUE only */
} cli_value;

typedef struct cli_option {
    const char *name;       /* "--max-count" */
    char short_name;        /* 'n', or 0 */
    cli_value value;        /* whether it takes one */
    const char *value_name; /* "N", "DIR", "NAME" (a notebook)...: for the help */
    const char *choices;    /* the values it takes, "auto always never", or NULL: any */
    unsigned commands;      /* CLI_FOR(cmd) bits; CLI_EVERY_COMMAND: before or after it */
    const char *help;       /* what it does: lines of the help, '\n' between them */
} cli_option;

#define CLI_FOR(cmd) (1u << (cmd))
#define CLI_EVERY_COMMAND ((1u << CLI_COMMAND_COUNT) - 1)

extern const cli_option cli_options[];
extern const size_t cli_option_count;

/* The subcommands, for the parser and the help. */
typedef struct cli_command_info {
    const char *name;     /* "index" */
    const char *synopsis; /* "[OPTIONS] [PATH...]" */
    const char *summary;  /* one line */
} cli_command_info;

extern const cli_command_info cli_commands[CLI_COMMAND_COUNT];

/* Parses `argc` arguments (argv[0] is the program's name): a subcommand
 * (the first word that is not an option, when it names one; else
 * search), its options and those of every command anywhere before or
 * after it, short options bundled (`-ln 3`), "--" ending them.  Answers
 * --help and --version itself.  Returns -1 to go on, else the exit status
 * (0 once a help was printed, CLI_EXIT_ERROR once an error was said). */
int cli_parse_args(int argc, char **argv, cli_args *a);

void cli_args_free(cli_args *a);

/* The help of `cmd`, or with CLI_HELP the whole command's. */
void cli_print_help(FILE *out, cli_command cmd);

/* The subcommand `word` is one typing slip away from (two letters
 * swapped, one letter wrong or missing), or NULL. */
const char *cli_near_command(const char *word);

/* ---- messages.c: stderr, and failures as messages and exit statuses ---- */

/* Writes one line to stderr, formatted as printf's, escaped (escape.h)
 * so that nothing from outside moves a terminal's cursor. */
void cli_say(const char *format, ...);

/* "mlsearch: WHAT: WHY". */
void cli_fail(const char *what, const char *why);

/* The status of a failed index operation on `dir`, said; the exit status
 * it means (CLI_EXIT_TEMPFAIL for a busy index, else CLI_EXIT_ERROR). */
int cli_db_failure(const char *dir, mls_status st, const char *detail);

/* A write to stdout failed (errno says why): 0 for a reader that closed
 * the pipe early, which had what it wanted; else said, CLI_EXIT_ERROR. */
int cli_output_failed(void);

/* "12,031": a count grouped for reading, in `buf`. */
const char *cli_grouped(size_t n, char buf[32]);

/* "12,031 files: 3 new, 2 changed, 1 removed, 0 errors in 0.9 s"; a run
 * a signal stopped: "interrupted after 706 of 3,778 notes: 706 new, …". */
void cli_run_summary(char *line, size_t size, const mls_index_stats *s);

/* ---- places.c: the configuration, the index, the notebooks ---- */

/* Reads the configuration file into `cfg` (none is fine): 1, else 0 said. */
int cli_load_config(mls_config *cfg);

/* The configuration and the folder of the default index (--db, else
 * $MLSEARCH_DB, else the XDG data folder) for `command`: 1, else 0
 * said.  The caller frees *dir and cfg, also on failure. */
int cli_locate(const cli_args *a, const char *command, mls_config *cfg, char **dir);

/* The notebooks a search, status or dump works on: with --db, that index
 * alone (not with -N); with -N, those; else every notebook of `cfg`
 * (the default index when it has none).  1, else 0 said. */
int cli_select(const cli_args *a, const mls_config *cfg, const char *dir, mls_places *places);

/* The one local index a command that changes an index works on: --db's or
 * the default one, or the notebook -N names.  1 with *dir (the caller
 * frees it), else 0 said. */
int cli_one_index(const cli_args *a, const mls_config *cfg, const char *data_dir,
                  const char *command, char **dir);

/* ---- the subcommands, one file each ---- */

int cli_run_search(const cli_args *a);
int cli_run_index(const cli_args *a);
int cli_run_status(const cli_args *a);
int cli_run_dump(const cli_args *a);
int cli_run_serve(const cli_args *a);
int cli_run_forget(const cli_args *a);
int cli_run_compact(const cli_args *a);
int cli_run_check(const cli_args *a);
int cli_run_tags(const cli_args *a);
int cli_run_help(const cli_args *a);

#endif
