/* options.c - the command's options, its grammar and its help (cli.h).
 *
 * Each option is written once, in the table below; the parser and the
 * help are made from it, so that an option cannot be taken and left
 * unexplained, or explained and refused. */
#include "mlsearch/cli.h"
#include "mlsearch/version.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* clang-format off */
const cli_command_info cli_commands[CLI_COMMAND_COUNT] = {
    [CLI_SEARCH] = {"search", "[OPTIONS] QUERY...",
                    "search the notes (the command when none is named)"},
    [CLI_INDEX]  = {"index", "[OPTIONS] [PATH...]",
                    "index notes: each PATH, else the roots in the configuration"},
    [CLI_STATUS] = {"status", "[OPTIONS]", "what the index holds, and its last run"},
    [CLI_DUMP]   = {"dump", "[OPTIONS]", "every passage of the index, as JSON lines"},
    [CLI_SERVE]  = {"serve", "[OPTIONS] [NOTEBOOK]",
                    "serve a notebook's index to others (xapian-tcpsrv, read-only)"},
    [CLI_FORGET] = {"forget", "[OPTIONS] PATH...",
                    "let go of roots the index remembers, and of their notes"},
    [CLI_COMPACT] = {"compact", "[OPTIONS]",
                     "write the index anew, compactly (the nightly run does when it grew)"},
    [CLI_CHECK]  = {"check", "[OPTIONS]",
                    "check the index whole: Xapian's tables and every note's documents"},
    [CLI_TAGS]   = {"tags", "[OPTIONS]", "every tag of the notes, with how many notes have it"},
    [CLI_HELP]   = {"help", "[COMMAND]", "this help, or a command's"},
};

#define SEARCH CLI_FOR(CLI_SEARCH)
#define INDEX CLI_FOR(CLI_INDEX)
#define SERVE CLI_FOR(CLI_SERVE)
#define EVERY CLI_EVERY_COMMAND

const cli_option cli_options[] = {
    {"--max-count", 'n', CLI_VALUE, "N", NULL, SEARCH,
     "show at most N passages (default 10; -l and -c: all)"},
    {"--files-with-matches", 'l', CLI_NO_VALUE, NULL, NULL, SEARCH, "the files with hits, best first"},
    {"--count", 'c', CLI_NO_VALUE, NULL, NULL, SEARCH, "path:passages for each file with hits"},
    {"--vimgrep", 0, CLI_NO_VALUE, NULL, NULL, SEARCH,
     "path:line:column:text, for vim's quickfix and editors"},
    {"--json", 0, CLI_NO_VALUE, NULL, NULL, SEARCH, "JSON lines (schema: mlsearch(1), JSON OUTPUT)"},
    {"--max-columns", 'M', CLI_VALUE, "N", NULL, SEARCH,
     "fit each hit in N columns (default: a terminal's\nwidth, else no limit; 0: no limit)"},
    {"--column-unit", 0, CLI_VALUE, "UNIT", "byte char utf16", SEARCH,
     "--vimgrep's columns in bytes (default: vim's),\ncharacters, or UTF-16 units (VS Code's)"},
    {"--absolute", 0, CLI_NO_VALUE, NULL, NULL, SEARCH,
     "absolute paths (default: relative under the current folder)"},
    {"--no-context", 0, CLI_NO_VALUE, NULL, NULL, SEARCH,
     "match the passages' own text only, not their\nheadings and parent list items"},
    {"--sort", 0, CLI_VALUE, "ORDER", "relevance date", SEARCH,
     "hits best first (relevance, the default), or\nnewest note first (date; see DATES)"},
    {"--no-collapse", 0, CLI_NO_VALUE, NULL, NULL, SEARCH,
     "every passage, also those of the same text as a better one"},
    {"--full", 0, CLI_NO_VALUE, NULL, NULL, INDEX, "read every note again, changed or not"},
    {"--rebuild", 0, CLI_NO_VALUE, NULL, NULL, INDEX,
     "build a new index, not reading the old one (damaged?)"},
    {"--rebuild-if-damaged", 0, CLI_NO_VALUE, NULL, NULL, INDEX,
     "rebuild the index when it is found damaged (for cron)"},
    {"--wait", 0, CLI_OPTIONAL_VALUE, "SECONDS", NULL,
     INDEX | CLI_FOR(CLI_FORGET) | CLI_FOR(CLI_COMPACT),
     "wait for another indexer to finish (default: exit 75)"},
    {"--include", 0, CLI_VALUE, "GLOB", NULL, INDEX,
     "which files are notes (repeatable; default *.md,\n*.markdown, *.txt)"},
    {"--exclude", 0, CLI_VALUE, "GLOB", NULL, INDEX, "files and folders to skip (repeatable)"},
    {"--no-ignore", 0, CLI_NO_VALUE, NULL, NULL, INDEX,
     "index what .gitignore, .ignore and .mlsearchignore\nfiles exclude too"},
    {"--max-size", 0, CLI_VALUE, "SIZE", NULL, INDEX,
     "skip larger notes, with a warning (default 16M)"},
    {"--jobs", 'j', CLI_VALUE, "N", NULL, INDEX, "threads for a first build (default: one per CPU)"},
    {"--port", 0, CLI_VALUE, "N", NULL, SERVE, "the port to listen on (default 33333)"},
    {"--bind", 0, CLI_VALUE, "ADDR", NULL, SERVE, "the address to listen on (default 127.0.0.1)"},
    {"--db", 0, CLI_VALUE, "DIR", NULL, EVERY,
     "the index (default: $MLSEARCH_DB, else\n$XDG_DATA_HOME/mlsearch, else ~/.local/share/mlsearch)"},
    {"--notebook", 'N', CLI_VALUE, "NAME", NULL, EVERY,
     "work on this notebook (repeatable; default: all of them)"},
    {"--color", 0, CLI_VALUE, "WHEN", "auto always never", EVERY,
     "colour hits: auto (default), always or never;\nNO_COLOR is honoured"},
    {"--verbose", 'v', CLI_NO_VALUE, NULL, NULL, EVERY,
     "say more on stderr: index, a summary and the notes\npassed over; search, what was searched"},
    {"--help", 'h', CLI_NO_VALUE, NULL, NULL, EVERY, "this help (mlsearch help COMMAND: a command's)"},
    {"--version", 0, CLI_NO_VALUE, NULL, NULL, EVERY, "mlsearch's version"},
};
/* clang-format on */

const size_t cli_option_count = sizeof cli_options / sizeof cli_options[0];

static const char query_help[] =
    "Query: words and Japanese/Chinese/Korean text; every whitespace-separated\n"
    "piece must occur in a passage (or its headings and parent list items).\n"
    "\"a phrase\", A OR B, -word or NOT word (excluded), prefix* (word prefix),\n"
    "heading:WORDS (in the heading path), path:DIR|FILE|GLOB, tag:TAG (front\n"
    "matter tags).  Unquoted, English words match their stems and katakana words\n"
    "their long-vowel variants (サーバ, サーバー); quoted, text matches as written.\n"
    "Width and case do not matter: ＡＭＬ finds AML, ｻｰﾊﾞｰ finds サーバー.\n"
    "A query that starts with '-', or is a command's name: after '--'.\n";

static const char trailer_help[] =
    "Configuration: $XDG_CONFIG_HOME/mlsearch/config (root, include, exclude,\n"
    "max-size, follow-symlinks, ignore-files, notebook; see mlsearch(1)).\n"
    "Exit status: 0 hits (or success), 1 no hits, 2 error, 75 index busy;\n"
    "an interrupted index run dies of its signal after committing.\n";

static int is_option(const char *s)
{
    return s[0] == '-' && s[1] != '\0';
}

static const cli_option *long_option(const char *s, const char **value)
{
    for (size_t k = 0; k < cli_option_count; k++) {
        const cli_option *o = &cli_options[k];
        size_t n = strlen(o->name);
        if (!strncmp(s, o->name, n) && (s[n] == '\0' || s[n] == '=')) {
            *value = s[n] == '=' ? s + n + 1 : NULL;
            return o;
        }
    }
    return NULL;
}

static const cli_option *short_option(char c)
{
    for (size_t k = 0; k < cli_option_count; k++)
        if (c && cli_options[k].short_name == c)
            return &cli_options[k];
    return NULL;
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

static int parse_seconds(const char *s, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !(v >= 0) || v > 1e9)
        return 0;
    *out = v;
    return 1;
}

/* 1 if `value` is one of the words of `choices`. */
static int one_of(const char *choices, const char *value)
{
    size_t n = strlen(value);
    for (const char *c = choices; *c; c += strcspn(c, " "), c += *c == ' ') {
        if (n && !strncmp(c, value, n) && (c[n] == ' ' || c[n] == '\0'))
            return 1;
    }
    return 0;
}

/* "auto, always or never", of "auto always never", into `out`. */
static void choice_list(char *out, size_t size, const char *choices)
{
    size_t used = 0, n;
    for (const char *c = choices; *c && used < size; c += n + (c[n] == ' ')) {
        n = strcspn(c, " ");
        const char *sep = c == choices ? "" : strchr(c, ' ') ? ", " : " or ";
        int w = snprintf(out + used, size - used, "%s%.*s", sep, (int)n, c);
        used += w > 0 ? (size_t)w : 0;
    }
}

static int set_format(cli_args *a, mls_output_format f, const char *said)
{
    if (a->format != MLS_OUTPUT_TEXT && a->format != f) {
        cli_fail(said, "only one of --vimgrep, --json, -l and -c");
        return 0;
    }
    a->format = f;
    return 1;
}

static int add_to(mls_strings *list, const char *value, const char *said)
{
    if (mls_strings_add(list, value) != MLS_OK) {
        cli_fail(said, "out of memory");
        return 0;
    }
    return 1;
}

/* Sets what option `o`, written `said`, asks, with its `value`: 1, else 0
 * said. */
static int set_option(cli_args *a, const cli_option *o, const char *said, const char *value)
{
    const char *name = o->name;
    if (o->choices && value && !one_of(o->choices, value)) {
        char why[128] = "must be ";
        choice_list(why + strlen(why), sizeof why - strlen(why), o->choices);
        cli_fail(said, why);
        return 0;
    }
    if (!strcmp(name, "--db")) {
        a->db = value;
    } else if (!strcmp(name, "--notebook")) {
        return add_to(&a->notebooks, value, said);
    } else if (!strcmp(name, "--color")) {
        a->color = value;
    } else if (!strcmp(name, "--verbose")) {
        a->verbose = 1;
    } else if (!strcmp(name, "--max-count") || !strcmp(name, "--jobs")) {
        if (!parse_count(value, !strcmp(name, "--jobs") ? &a->jobs : &a->max_count)) {
            cli_fail(said, "needs a whole number of at least 1");
            return 0;
        }
    } else if (!strcmp(name, "--port")) {
        if (!parse_count(value, &a->port) || a->port > 65535) {
            cli_fail(said, "needs a port number from 1 to 65535");
            return 0;
        }
    } else if (!strcmp(name, "--bind")) {
        a->bind = value;
    } else if (!strcmp(name, "--files-with-matches")) {
        return set_format(a, MLS_OUTPUT_FILES, said);
    } else if (!strcmp(name, "--count")) {
        return set_format(a, MLS_OUTPUT_COUNT, said);
    } else if (!strcmp(name, "--vimgrep")) {
        return set_format(a, MLS_OUTPUT_VIMGREP, said);
    } else if (!strcmp(name, "--json")) {
        return set_format(a, MLS_OUTPUT_JSON, said);
    } else if (!strcmp(name, "--max-columns")) {
        char *end;
        errno = 0;
        long v = strtol(value, &end, 10);
        if (errno || *end || end == value || v < 0 || v > 65535) {
            cli_fail(said, "needs a whole number of columns up to 65535 (0: no limit)");
            return 0;
        }
        a->max_columns = v;
    } else if (!strcmp(name, "--column-unit")) {
        a->column_unit = !strcmp(value, "char")    ? MLS_COLUMN_CHARS
                         : !strcmp(value, "utf16") ? MLS_COLUMN_UTF16
                                                   : MLS_COLUMN_BYTES;
    } else if (!strcmp(name, "--absolute")) {
        a->absolute = 1;
    } else if (!strcmp(name, "--no-context")) {
        a->no_context = 1;
    } else if (!strcmp(name, "--sort")) {
        a->newest_first = !strcmp(value, "date");
    } else if (!strcmp(name, "--no-collapse")) {
        a->no_collapse = 1;
    } else if (!strcmp(name, "--no-ignore")) {
        a->no_ignore = 1;
    } else if (!strcmp(name, "--full")) {
        a->full = 1;
    } else if (!strcmp(name, "--rebuild")) {
        a->rebuild = 1;
    } else if (!strcmp(name, "--rebuild-if-damaged")) {
        a->rebuild_if_damaged = 1;
    } else if (!strcmp(name, "--wait")) {
        a->wait_seconds = -1; /* until the other is done */
        if (value && !parse_seconds(value, &a->wait_seconds)) {
            cli_fail(said, "needs a number of seconds");
            return 0;
        }
    } else if (!strcmp(name, "--include") || !strcmp(name, "--exclude")) {
        return add_to(!strcmp(name, "--include") ? &a->includes : &a->excludes, value, said);
    } else if (!strcmp(name, "--max-size")) {
        if (!mls_parse_size(value, &a->max_size)) {
            cli_fail(said, "needs a size such as 16M (bytes, or with K, M or G)");
            return 0;
        }
    }
    return 1;
}

static void unknown_option(const char *said, char letter)
{
    char why[160];
    snprintf(why, sizeof why,
             "unknown option%s%.*s (see 'mlsearch --help'; '--' before a query starting with '-')",
             letter ? " -" : "", letter ? 1 : 0, &letter);
    cli_fail(said, why);
}

/* One option as the parser met it: which, as written, with its value. */
typedef struct option_use {
    const cli_option *option;
    const char *said; /* "--db", "--db=D", "-n": as written, for messages */
    char letter[3];   /* "-n": said, for a short option */
    const char *value;
    int at; /* its argument's index */
} option_use;

/* The parser's walk over the arguments: where it is, and the rest of a
 * bundle of short options ("-lvn3") it is in the middle of. */
typedef struct walk {
    int argc, i;
    char **argv;
    const char *bundle;
} walk;

/* Reads the option the walk is at (or the next of its bundle): 1 with
 * *use set, 0 once an error is said.  A value may be the next argument,
 * which the walk then passes. */
static int next_option(walk *w, option_use *use)
{
    const char *s = w->argv[w->i];
    memset(use, 0, sizeof *use);
    use->at = w->i;
    if (!w->bundle && s[1] == '-') {
        use->option = long_option(s, &use->value);
        use->said = s;
        if (!use->option) {
            unknown_option(s, 0);
            return 0;
        }
    } else {
        const char *at = w->bundle ? w->bundle : s + 1;
        use->option = short_option(*at);
        use->letter[0] = '-';
        use->letter[1] = *at;
        use->said = use->letter;
        if (!use->option) { /* "-x", or "-lx": the letter named */
            unknown_option(s, s[2] ? *at : 0);
            return 0;
        }
        w->bundle = at[1] ? at + 1 : NULL;
        if (use->option->value == CLI_VALUE && w->bundle) { /* -n3, -ln3 */
            use->value = w->bundle;
            w->bundle = NULL;
        }
    }
    if (use->option->value == CLI_VALUE && !use->value) {
        if (w->i + 1 >= w->argc) {
            cli_fail(use->said, "needs a value");
            return 0;
        }
        use->value = w->argv[++w->i];
    }
    if (use->option->value == CLI_NO_VALUE && use->value) {
        cli_fail(use->said, "takes no value");
        return 0;
    }
    if (use->value && !*use->value) { /* --db= : no index, nor the default */
        cli_fail(use->said, "needs a value, not an empty one");
        return 0;
    }
    return 1;
}

static int command_named(const char *word)
{
    for (int c = 0; c < CLI_COMMAND_COUNT; c++)
        if (!strcmp(word, cli_commands[c].name))
            return c;
    return -1;
}

/* An option the command does not take, said; when it came before the
 * command's name and is a search's, with the way to search for the name. */
static void not_for_command(const option_use *use, cli_command cmd, int cmd_at)
{
    char why[256];
    const char *name = cli_commands[cmd].name;
    int len = snprintf(why, sizeof why, "not an option of 'mlsearch %s'", name);
    if (use->at < cmd_at && (use->option->commands & CLI_FOR(CLI_SEARCH)) && len > 0)
        snprintf(why + len, sizeof why - (size_t)len,
                 " (to search for \"%s\": mlsearch search [OPTIONS] %s)", name, name);
    cli_fail(use->said, why);
}

int cli_parse_args(int argc, char **argv, cli_args *a)
{
    walk w = {.argc = argc, .argv = argv};
    /* Room for every option met: at most one per letter of the arguments
     * (a bundle, -vvvv, is several). */
    size_t room = 1;
    for (int i = 1; i < argc; i++)
        room += strlen(argv[i]);
    option_use *used = calloc(room, sizeof *used);
    size_t used_count = 0;
    int cmd = -1, cmd_at = 0, help = 0, version = 0, code = -1;
    const char *first_word = NULL;

    a->color = "auto";
    a->max_columns = -1;
    a->rest = calloc((size_t)argc + 1, sizeof *a->rest);
    if (!a->rest || !used) {
        cli_fail("arguments", "out of memory");
        free(used);
        return CLI_EXIT_ERROR;
    }
    for (w.i = 1; w.i < argc && code < 0; w.i++) {
        const char *s = argv[w.i];
        if (!strcmp(s, "--")) {
            while (++w.i < argc)
                a->rest[a->rest_count++] = argv[w.i];
            break;
        }
        if (!is_option(s)) {
            if (cmd < 0 && (cmd = command_named(s)) >= 0) {
                cmd_at = w.i;
                continue;
            }
            if (cmd < 0) {
                cmd = CLI_SEARCH;
                first_word = s;
            }
            a->rest[a->rest_count++] = s;
            continue;
        }
        do {
            option_use *use = &used[used_count];
            if (!next_option(&w, use) || !set_option(a, use->option, use->said, use->value)) {
                code = CLI_EXIT_ERROR;
                break;
            }
            help |= use->option->short_name == 'h';
            version |= !strcmp(use->option->name, "--version");
            used_count++;
        } while (w.bundle);
    }
    a->cmd = cmd < 0 ? CLI_SEARCH : (cli_command)cmd;
    if (code < 0 && (help || version)) {
        if (version)
            printf("mlsearch %s\n", MLS_VERSION);
        else
            cli_print_help(stdout, cmd < 0 ? CLI_HELP : a->cmd);
        code = 0;
    }
    for (size_t k = 0; k < used_count && code < 0; k++)
        if (!(used[k].option->commands & CLI_FOR(a->cmd))) {
            not_for_command(&used[k], a->cmd, cmd_at);
            code = CLI_EXIT_ERROR;
        }
    const char *near = first_word ? cli_near_command(first_word) : NULL;
    if (code < 0 && near)
        cli_say("mlsearch: did you mean '%s'? searching for \"%s\"", near, first_word);
    free(used);
    return code;
}

void cli_args_free(cli_args *a)
{
    mls_strings_free(&a->includes);
    mls_strings_free(&a->excludes);
    mls_strings_free(&a->notebooks);
    free(a->rest);
}

/* ---- the help ---- */

/* "  -n, --max-count N" and its help, the help's lines aligned. */
static void print_option(FILE *out, const cli_option *o)
{
    enum { HELP_COLUMN = 24 };
    char left[64];
    int len =
        snprintf(left, sizeof left, "  %s%c%s%s%s%s%s", o->short_name ? "-" : "",
                 o->short_name ? o->short_name : ' ', o->short_name ? ", " : "   ", o->name,
                 o->value == CLI_VALUE ? " "
                 : o->value            ? "[="
                                       : "",
                 o->value_name ? o->value_name : "", o->value == CLI_OPTIONAL_VALUE ? "]" : "");
    if (!o->short_name) /* "      --db DIR": long names in one column */
        len =
            snprintf(left, sizeof left, "      %s%s%s%s", o->name,
                     o->value == CLI_VALUE ? " "
                     : o->value            ? "[="
                                           : "",
                     o->value_name ? o->value_name : "", o->value == CLI_OPTIONAL_VALUE ? "]" : "");
    const char *line = o->help;
    int pad = len < HELP_COLUMN - 1 ? HELP_COLUMN - len : 2;
    for (int first = 1; *line; first = 0) {
        const char *end = strchr(line, '\n');
        int n = end ? (int)(end - line) : (int)strlen(line);
        if (first)
            fprintf(out, "%s%*s%.*s\n", left, pad, "", n, line);
        else
            fprintf(out, "%*s%.*s\n", len + pad, "", n, line);
        line += n + (end ? 1 : 0);
    }
}

/* The options `cmd` alone takes (every: those of every command). */
static void print_options(FILE *out, const char *title, unsigned commands, int every)
{
    fprintf(out, "\n%s:\n", title);
    for (size_t k = 0; k < cli_option_count; k++) {
        const cli_option *o = &cli_options[k];
        if ((o->commands == CLI_EVERY_COMMAND) == every && (o->commands & commands))
            print_option(out, o);
    }
}

/* 1 if some option is `cmd`'s, not every command's. */
static int takes_own_options(cli_command cmd)
{
    for (size_t k = 0; k < cli_option_count; k++)
        if (cli_options[k].commands != CLI_EVERY_COMMAND &&
            (cli_options[k].commands & CLI_FOR(cmd)))
            return 1;
    return 0;
}

void cli_print_help(FILE *out, cli_command cmd)
{
    static const char *const titles[CLI_COMMAND_COUNT] = {[CLI_SEARCH] = "Search options",
                                                          [CLI_INDEX] = "Index options",
                                                          [CLI_SERVE] = "Serve options"};
    if (cmd != CLI_HELP) {
        fprintf(out, "usage: mlsearch %s %s\n", cli_commands[cmd].name, cli_commands[cmd].synopsis);
        fprintf(out, "%c%s.\n", cli_commands[cmd].summary[0] - 'a' + 'A',
                cli_commands[cmd].summary + 1);
        if (takes_own_options(cmd))
            print_options(out, "Options", CLI_FOR(cmd), 0);
        print_options(out, "Options of every command, before or after it", CLI_FOR(cmd), 1);
        if (cmd == CLI_SEARCH)
            fprintf(out, "\n%s", query_help);
        fprintf(out, "\n%s", trailer_help);
        return;
    }
    fprintf(out, "usage: mlsearch [OPTIONS] QUERY...         search (same as 'mlsearch search')\n"
                 "       mlsearch COMMAND [OPTIONS] [ARGUMENTS...]\n\nCommands:\n");
    for (int c = 0; c < CLI_COMMAND_COUNT; c++) {
        char left[48];
        snprintf(left, sizeof left, "%s %s", cli_commands[c].name, cli_commands[c].synopsis);
        fprintf(out, "  %-28s%s\n", left, cli_commands[c].summary);
    }
    for (int c = 0; c < CLI_COMMAND_COUNT; c++)
        if (titles[c])
            print_options(out, titles[c], CLI_FOR(c), 0);
    print_options(out, "Options of every command, before or after it", CLI_EVERY_COMMAND, 1);
    fprintf(out, "\n%s\n%s", query_help, trailer_help);
}

/* ---- typing slips ---- */

/* 1 if `word` is `name` with two neighbouring letters swapped, one
 * letter missing, or, in a word of five letters or more, one letter
 * wrong.  Not one letter more, nor one wrong in four: "server", "indexes"
 * and "helm" are words people search for. */
static int one_slip(const char *word, const char *name)
{
    size_t wn = strlen(word), nn = strlen(name), i = 0;
    while (i < wn && i < nn && word[i] == name[i])
        i++;
    if (wn == nn && i < wn) {
        if (wn >= 5 && !strcmp(word + i + 1, name + i + 1)) /* one wrong */
            return 1;
        return i + 1 < wn && word[i] == name[i + 1] && word[i + 1] == name[i] &&
               !strcmp(word + i + 2, name + i + 2); /* two swapped */
    }
    return wn + 1 == nn && !strcmp(word + i, name + i + 1); /* one missing */
}

const char *cli_near_command(const char *word)
{
    if (strlen(word) < 4) /* "dup", "ind": too short to tell */
        return NULL;
    for (int c = 0; c < CLI_COMMAND_COUNT; c++)
        if (strcmp(word, cli_commands[c].name) && one_slip(word, cli_commands[c].name))
            return cli_commands[c].name;
    return NULL;
}
