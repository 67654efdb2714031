/* gen_docs.c - the man page and the shell completions, made at build time
 * from the command's table of options (cli.h), so that they list exactly
 * the options mlsearch takes, each with its one help.
 *
 *   gen_docs man TEMPLATE BINDIR DOCDIR
 *                                  mlsearch.1: TEMPLATE with its @COMMANDS@,
 *                                  @OPTIONS@, @VERSION@, @DATE@, @BINDIR@ and
 *                                  @DOCDIR@ filled in
 *   gen_docs bash|zsh|fish         the completion script for that shell
 *
 * Not part of mlsearch itself: the Makefile builds it, runs it, and
 * installs what it writes. */
#include "mlsearch/cli.h"
#include "mlsearch/version.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The option kinds the completions tell apart, by the value's name. */
static int value_is(const cli_option *o, const char *name)
{
    return o->value != CLI_NO_VALUE && !strcmp(o->value_name, name);
}

/* ---- roff ---- */

/* `text` (UTF-8) as roff: hyphens and backslashes escaped, other than
 * ASCII as \[uXXXX], a line's leading dot or quote made plain. */
static void roff(FILE *out, const char *text, size_t len)
{
    const unsigned char *s = (const unsigned char *)text;
    for (size_t i = 0; i < len; i++) {
        if ((i == 0 || s[i - 1] == '\n') && (s[i] == '.' || s[i] == '\''))
            fputs("\\&", out);
        if (s[i] == '-')
            fputs("\\-", out);
        else if (s[i] == '\\')
            fputs("\\e", out);
        else if (s[i] < 0x80)
            fputc(s[i], out);
        else { /* a UTF-8 sequence: its code point */
            int n = s[i] >= 0xF0 ? 3 : s[i] >= 0xE0 ? 2 : 1;
            unsigned cp = s[i] & (0x3F >> n);
            for (int k = 0; k < n && i + 1 < len; k++)
                cp = cp << 6 | (s[++i] & 0x3F);
            fprintf(out, "\\[u%04X]", cp);
        }
    }
}

static void roff_str(FILE *out, const char *text)
{
    roff(out, text, strlen(text));
}

static void man_option(FILE *out, const cli_option *o)
{
    fputs(".TP\n", out);
    if (o->short_name)
        fprintf(out, "\\fB\\-%c\\fR, ", o->short_name);
    fputs("\\fB", out);
    roff_str(out, o->name);
    fputs("\\fR", out);
    if (o->value == CLI_VALUE)
        fprintf(out, " \\fI%s\\fR", o->value_name);
    else if (o->value == CLI_OPTIONAL_VALUE)
        fprintf(out, "[=\\fI%s\\fR]", o->value_name);
    fputc('\n', out);
    roff_str(out, o->help); /* its lines, filled as one paragraph */
    fputs("\n", out);
}

static void man_options(FILE *out)
{
    static const struct {
        const char *title;
        unsigned commands;
    } groups[] = {{"Options of every command", CLI_EVERY_COMMAND},
                  {"Search options", CLI_FOR(CLI_SEARCH)},
                  {"Index options", CLI_FOR(CLI_INDEX)},
                  {"Serve options", CLI_FOR(CLI_SERVE)}};
    for (size_t g = 0; g < sizeof groups / sizeof groups[0]; g++) {
        fprintf(out, ".SS %s\n", groups[g].title);
        for (size_t k = 0; k < cli_option_count; k++)
            if (cli_options[k].commands == groups[g].commands)
                man_option(out, &cli_options[k]);
    }
}

static void man_commands(FILE *out)
{
    for (int c = 0; c < CLI_COMMAND_COUNT; c++) {
        fprintf(out, ".TP\n\\fB%s\\fR \\fI", cli_commands[c].name);
        roff_str(out, cli_commands[c].synopsis);
        fputs("\\fR\n", out);
        roff_str(out, cli_commands[c].summary);
        fputs(".\n", out);
    }
}

static int man(const char *template_path, const char *bindir, const char *docdir)
{
    FILE *in = fopen(template_path, "r");
    char line[4096];
    if (!in) {
        perror(template_path);
        return 1;
    }
    while (fgets(line, sizeof line, in)) {
        char *at;
        if (!strcmp(line, "@COMMANDS@\n")) {
            man_commands(stdout);
        } else if (!strcmp(line, "@OPTIONS@\n")) {
            man_options(stdout);
        } else {
            char *s = line;
            while ((at = strchr(s, '@')) != NULL) {
                if (!strncmp(at, "@VERSION@", 9)) {
                    fprintf(stdout, "%.*s%s", (int)(at - s), s, MLS_VERSION);
                    s = at + 9;
                } else if (!strncmp(at, "@DATE@", 6)) {
                    fprintf(stdout, "%.*s%s", (int)(at - s), s, MLS_VERSION_DATE);
                    s = at + 6;
                } else if (!strncmp(at, "@BINDIR@", 8)) {
                    fprintf(stdout, "%.*s", (int)(at - s), s);
                    roff_str(stdout, bindir);
                    s = at + 8;
                } else if (!strncmp(at, "@DOCDIR@", 8)) {
                    fprintf(stdout, "%.*s", (int)(at - s), s);
                    roff_str(stdout, docdir);
                    s = at + 8;
                } else {
                    fprintf(stdout, "%.*s", (int)(at - s + 1), s);
                    s = at + 1;
                }
            }
            fputs(s, stdout);
        }
    }
    fclose(in);
    return ferror(stdout) != 0;
}

/* ---- shells ---- */

/* The commands' names: "search index ...". */
static void command_words(FILE *out)
{
    for (int c = 0; c < CLI_COMMAND_COUNT; c++)
        fprintf(out, "%s%s", c ? " " : "", cli_commands[c].name);
}

/* The options of `commands` (a CLI_FOR bit set), as the shell writes
 * them: "--db -N --notebook ...". */
static void option_words(FILE *out, unsigned commands)
{
    const char *sep = "";
    for (size_t k = 0; k < cli_option_count; k++) {
        const cli_option *o = &cli_options[k];
        if (!(o->commands & commands))
            continue;
        if (o->short_name)
            fprintf(out, "%s-%c", sep, o->short_name), sep = " ";
        fprintf(out, "%s%s", sep, o->name);
        sep = " ";
    }
}

/* The options that take their value as the next word, as a case pattern. */
static void value_pattern(FILE *out, int (*which)(const cli_option *))
{
    const char *sep = "";
    for (size_t k = 0; k < cli_option_count; k++) {
        const cli_option *o = &cli_options[k];
        if (o->value != CLI_VALUE || (which && !which(o)))
            continue;
        if (o->short_name)
            fprintf(out, "%s-%c", sep, o->short_name), sep = "|";
        fprintf(out, "%s%s", sep, o->name);
        sep = "|";
    }
}

static int is_dir_value(const cli_option *o)
{
    return value_is(o, "DIR");
}

static int is_name_value(const cli_option *o)
{
    return value_is(o, "NAME");
}

static int has_choices(const cli_option *o)
{
    return o->choices != NULL;
}

static const char notebooks_sh[] =
    "sed -n 's/^[[:space:]]*notebook[[:space:]][[:space:]]*\\([^[:space:]#]*\\).*/\\1/p' "
    "\"${XDG_CONFIG_HOME:-$HOME/.config}/mlsearch/config\" 2>/dev/null";

static int bash(void)
{
    FILE *out = stdout;
    fputs("# bash completion for mlsearch(1); made by cli/gen_docs.c from its options\n"
          "_mlsearch() {\n"
          "    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}\n"
          "    # bash splits --color=always at '=': the value is cur, the option prev.\n"
          "    [[ $cur == = ]] && cur=\"\"\n"
          "    [[ $prev == = ]] && prev=${COMP_WORDS[COMP_CWORD-2]}\n"
          "    # A bundle, -vN: its last letter is the option whose value comes.\n"
          "    [[ $prev == -[!-]?* ]] && prev=-${prev: -1}\n"
          "    local commands=\"",
          out);
    command_words(out);
    fputs("\" cmd=\"\" i w\n"
          "    # The command: the first word neither an option nor an option's value.\n"
          "    for ((i = 1; i < COMP_CWORD; i++)); do\n"
          "        w=${COMP_WORDS[i]}\n"
          "        case $w in\n"
          "        --) cmd=search; break ;; # the query follows\n"
          "        =) ((i++)); continue ;;  # --opt=value\n"
          "        ",
          out);
    value_pattern(out, NULL);
    /* A bundle that ends with an option that takes a value: -vN NAME. */
    fputs("|-[!-]*[", out);
    for (size_t k = 0; k < cli_option_count; k++)
        if (cli_options[k].value == CLI_VALUE && cli_options[k].short_name)
            fputc(cli_options[k].short_name, out);
    fputs("]) ((i++)); [[ ${COMP_WORDS[i]} == = ]] && ((i++)); continue ;;\n"
          "        -*) continue ;;\n"
          "        esac\n"
          "        case \" $commands \" in *\" $w \"*) cmd=$w ;; *) cmd=search ;; esac\n"
          "        break\n"
          "    done\n"
          "    case $prev in\n    ",
          out);
    value_pattern(out, is_dir_value);
    fputs(") COMPREPLY=($(compgen -d -- \"$cur\")); return ;;\n    ", out);
    value_pattern(out, is_name_value);
    fprintf(out, ") COMPREPLY=($(compgen -W \"$(%s)\" -- \"$cur\")); return ;;\n", notebooks_sh);
    for (size_t k = 0; k < cli_option_count; k++) {
        const cli_option *o = &cli_options[k];
        if (!has_choices(o))
            continue;
        fprintf(out, "    %s) COMPREPLY=($(compgen -W \"%s\" -- \"$cur\")); return ;;\n", o->name,
                o->choices);
    }
    fputs("    ", out);
    value_pattern(out, NULL);
    fputs(") return ;;\n"
          "    esac\n"
          "    if [[ $cur == -* ]]; then\n"
          "        local opts\n"
          "        case $cmd in\n",
          out);
    for (int c = 0; c < CLI_COMMAND_COUNT; c++) {
        fprintf(out, "        %s%s) opts=\"", cli_commands[c].name, c == CLI_SEARCH ? "|\"\"" : "");
        option_words(out, CLI_FOR(c));
        fputs("\" ;;\n", out);
    }
    fputs("        esac\n"
          "        COMPREPLY=($(compgen -W \"$opts\" -- \"$cur\"))\n"
          "        return\n"
          "    fi\n"
          "    case $cmd in\n"
          "    \"\") COMPREPLY=($(compgen -W \"$commands\" -- \"$cur\")) ;;\n"
          "    index|forget) COMPREPLY=($(compgen -f -- \"$cur\")) ;;\n"
          "    help) COMPREPLY=($(compgen -W \"$commands\" -- \"$cur\")) ;;\n",
          out);
    fprintf(out, "    serve) COMPREPLY=($(compgen -W \"$(%s)\" -- \"$cur\")) ;;\n", notebooks_sh);
    fputs("    esac\n"
          "}\n"
          "complete -o filenames -F _mlsearch mlsearch\n",
          out);
    return ferror(out) != 0;
}

/* `text` (its lines as one), for a zsh description in [...] or '...'. */
static void zsh_text(FILE *out, const char *text)
{
    for (const char *s = text; *s; s++) {
        if (*s == '\n')
            fputc(' ', out);
        else if (*s == '\'')
            fputs("'\\''", out);
        else if (*s == '[' || *s == ']' || *s == ':' || *s == '\\')
            fprintf(out, "\\%c", *s);
        else
            fputc(*s, out);
    }
}

static void zsh_spec(FILE *out, const cli_option *o)
{
    const char *action = value_is(o, "DIR")    ? "_files -/"
                         : value_is(o, "NAME") ? "_mlsearch_notebooks"
                         : value_is(o, "PATH") ? "_files"
                                               : " ";
    fputs("    ", out);
    if (o->short_name)
        fprintf(out, "'(-%c %s)'{-%c%s,%s%s}'", o->short_name, o->name, o->short_name,
                o->value == CLI_VALUE ? "+" : "", o->name, o->value == CLI_VALUE ? "=" : "");
    else
        fprintf(out, "'%s%s", o->name,
                o->value == CLI_VALUE            ? "="
                : o->value == CLI_OPTIONAL_VALUE ? "=-"
                                                 : "");
    fputc('[', out);
    zsh_text(out, o->help);
    fputc(']', out);
    if (o->value != CLI_NO_VALUE) {
        fprintf(out, "%s%s:", o->value == CLI_OPTIONAL_VALUE ? "::" : ":", o->value_name);
        if (o->choices)
            fprintf(out, "(%s)", o->choices);
        else
            fputs(action, out);
    }
    fputs("'\n", out);
}

static void zsh_specs(FILE *out, const char *array, unsigned commands, int every)
{
    fprintf(out, "  local -a %s=(\n", array);
    for (size_t k = 0; k < cli_option_count; k++) {
        const cli_option *o = &cli_options[k];
        if ((o->commands & commands) && (o->commands == CLI_EVERY_COMMAND) == every)
            zsh_spec(out, o);
    }
    fputs("  )\n", out);
}

static int zsh(void)
{
    FILE *out = stdout;
    fputs("#compdef mlsearch\n"
          "# zsh completion for mlsearch(1); made by cli/gen_docs.c from its options\n\n"
          "_mlsearch_notebooks() {\n"
          "  local -a names\n",
          out);
    fprintf(out, "  names=(${(f)\"$(%s)\"})\n", notebooks_sh);
    fputs("  _describe notebook names\n"
          "}\n\n"
          "_mlsearch() {\n"
          "  local curcontext=$curcontext state line ret=1\n",
          out);
    zsh_specs(out, "every", CLI_EVERY_COMMAND, 1);
    for (int c = 0; c < CLI_COMMAND_COUNT; c++) {
        char array[32];
        snprintf(array, sizeof array, "%s_options", cli_commands[c].name);
        zsh_specs(out, array, CLI_FOR(c), 0);
    }
    fputs("  local -a commands=(\n", out);
    for (int c = 0; c < CLI_COMMAND_COUNT; c++) {
        fprintf(out, "    '%s:", cli_commands[c].name);
        zsh_text(out, cli_commands[c].summary);
        fputs("'\n", out);
    }
    fputs("  )\n"
          "  _arguments -C -s -S $every $search_options \\\n"
          "    '1: :{_describe command commands}' '*:: :->args' && ret=0\n"
          "  [[ $state == args ]] || return ret\n"
          "  curcontext=${curcontext%:*}-$words[1]:\n"
          "  case $words[1] in\n"
          "  index) _arguments -s -S $every $index_options '*:path:_files' && ret=0 ;;\n"
          "  forget) _arguments -s -S $every $forget_options '*:root:_files -/' && ret=0 ;;\n"
          "  serve) _arguments -s -S $every $serve_options '1::notebook:_mlsearch_notebooks' "
          "&& ret=0 ;;\n"
          "  help) _arguments '1::command:{_describe command commands}' && ret=0 ;;\n"
          "  status|dump) _arguments -s -S $every && ret=0 ;;\n"
          "  *) _arguments -s -S $every $search_options '*:query: ' && ret=0 ;;\n"
          "  esac\n"
          "  return ret\n"
          "}\n\n"
          "_mlsearch \"$@\"\n",
          out);
    return ferror(out) != 0;
}

/* `text` (its lines as one) in fish's single quotes. */
static void fish_text(FILE *out, const char *text)
{
    fputc('\'', out);
    for (const char *s = text; *s; s++) {
        if (*s == '\'' || *s == '\\')
            fputc('\\', out);
        fputc(*s == '\n' ? ' ' : *s, out);
    }
    fputc('\'', out);
}

static int fish(void)
{
    FILE *out = stdout;
    fputs("# fish completion for mlsearch(1); made by cli/gen_docs.c from its options\n"
          "complete -c mlsearch -f\n",
          out);
    fputs("function __mlsearch_notebooks\n"
          "    set -l config $XDG_CONFIG_HOME\n"
          "    test -n \"$config\"; or set config ~/.config\n"
          "    sed -n 's/^[[:space:]]*notebook[[:space:]][[:space:]]*\\([^[:space:]#]*\\).*/\\1/p' "
          "$config/mlsearch/config 2>/dev/null\n"
          "end\n",
          out);
    for (int c = 0; c < CLI_COMMAND_COUNT; c++) {
        fprintf(out, "complete -c mlsearch -n __fish_use_subcommand -a %s -d ",
                cli_commands[c].name);
        fish_text(out, cli_commands[c].summary);
        fputc('\n', out);
    }
    for (size_t k = 0; k < cli_option_count; k++) {
        const cli_option *o = &cli_options[k];
        fputs("complete -c mlsearch", out);
        if (o->commands != CLI_EVERY_COMMAND) {
            fputs(" -n '", out);
            if (o->commands & CLI_FOR(CLI_SEARCH))
                fputs("__fish_use_subcommand; or ", out);
            fputs("__fish_seen_subcommand_from", out);
            for (int c = 0; c < CLI_COMMAND_COUNT; c++)
                if (o->commands & CLI_FOR(c))
                    fprintf(out, " %s", cli_commands[c].name);
            fputc('\'', out);
        }
        if (o->short_name)
            fprintf(out, " -s %c", o->short_name);
        fprintf(out, " -l %s", o->name + 2);
        if (o->value == CLI_VALUE)
            fputs(" -r", out);
        if (o->choices)
            fprintf(out, " -x -a '%s'", o->choices);
        else if (value_is(o, "DIR"))
            fputs(" -x -a '(__fish_complete_directories)'", out);
        else if (value_is(o, "NAME"))
            fputs(" -x -a '(__mlsearch_notebooks)'", out);
        fputs(" -d ", out);
        fish_text(out, o->help);
        fputc('\n', out);
    }
    fputs("complete -c mlsearch -n '__fish_seen_subcommand_from index forget' -F\n"
          "complete -c mlsearch -n '__fish_seen_subcommand_from serve' -a "
          "'(__mlsearch_notebooks)'\n"
          "complete -c mlsearch -n '__fish_seen_subcommand_from help' -a '",
          out);
    command_words(out);
    fputs("'\n", out);
    return ferror(out) != 0;
}

int main(int argc, char **argv)
{
    if (argc == 5 && !strcmp(argv[1], "man"))
        return man(argv[2], argv[3], argv[4]);
    if (argc == 2 && !strcmp(argv[1], "bash"))
        return bash();
    if (argc == 2 && !strcmp(argv[1], "zsh"))
        return zsh();
    if (argc == 2 && !strcmp(argv[1], "fish"))
        return fish();
    fputs("usage: gen_docs man TEMPLATE BINDIR DOCDIR | bash | zsh | fish\n", stderr);
    return 2;
}
