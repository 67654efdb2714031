/* test_options.c - unit tests of the command's options (cli.h, cli/options.c).
 *
 * The table of options is the one place an option is defined; these tests
 * hold it to that: every option is well formed and explained, each
 * command's help lists exactly the options it takes, and the parser reads
 * the grammar cli.h states (the subcommand after options, options of
 * every command before or after it, bundled short options, "--").  The
 * messages the parser says on stderr are the bats tests' (errors.bats). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mlsearch/cli.h"

/* Parses the NULL-terminated words after "mlsearch"; returns what
 * cli_parse_args() returned, with `a` filled (the caller frees it). */
static int parse(cli_args *a, ...)
{
    char *argv[32] = {"mlsearch"};
    int argc = 1;
    va_list ap;
    va_start(ap, a);
    for (char *w; (w = va_arg(ap, char *)) != NULL && argc < 31;)
        argv[argc++] = w;
    va_end(ap);
    memset(a, 0, sizeof *a);
    return cli_parse_args(argc, argv, a);
}

/* What cli_print_help() writes for `cmd` (the caller frees it).  The
 * stream's buffer lives here, not on the stack, where GCC would take a
 * pointer into it for one left dangling. */
static char *help_text;
static size_t help_len;

static char *help_of(cli_command cmd)
{
    FILE *out = open_memstream(&help_text, &help_len);
    assert_non_null(out);
    cli_print_help(out, cmd);
    fclose(out);
    return help_text;
}

/* 1 if `help` lists the option: its long name as a word of its own. */
static int lists(const char *help, const char *name)
{
    size_t n = strlen(name);
    for (const char *at = strstr(help, name); at; at = strstr(at + 1, name))
        if (at[-1] == ' ' && (at[n] == ' ' || at[n] == '[' || at[n] == '\n'))
            return 1;
    return 0;
}

static void test_every_option_is_well_formed(void **state)
{
    (void)state;
    assert_true(cli_option_count > 20);
    for (size_t k = 0; k < cli_option_count; k++) {
        const cli_option *o = &cli_options[k];
        assert_true(!strncmp(o->name, "--", 2) && strlen(o->name) > 3);
        assert_true(o->help && *o->help && o->help[strlen(o->help) - 1] != '\n');
        assert_int_equal(o->value == CLI_NO_VALUE, o->value_name == NULL);
        assert_true(o->commands != 0 && (o->commands & ~CLI_EVERY_COMMAND) == 0);
        for (size_t j = 0; j < k; j++) {
            assert_string_not_equal(o->name, cli_options[j].name);
            assert_true(!o->short_name || o->short_name != cli_options[j].short_name);
        }
    }
}

static void test_each_help_lists_exactly_its_options(void **state)
{
    (void)state;
    for (int c = 0; c < CLI_COMMAND_COUNT; c++) {
        char *help = help_of((cli_command)c);
        for (size_t k = 0; k < cli_option_count; k++) {
            const cli_option *o = &cli_options[k];
            /* The whole command's help (CLI_HELP's) lists every option. */
            int takes = c == CLI_HELP || (o->commands & CLI_FOR(c)) != 0;
            if (lists(help, o->name) != takes)
                fail_msg("'mlsearch %s --help' %s %s", cli_commands[c].name,
                         takes ? "leaves out" : "lists", o->name);
        }
        free(help);
    }
}

static void test_the_help_names_every_command(void **state)
{
    (void)state;
    char *help = help_of(CLI_HELP);
    assert_non_null(strstr(help, "usage: mlsearch [OPTIONS] QUERY..."));
    for (int c = 0; c < CLI_COMMAND_COUNT; c++) {
        char line[64];
        snprintf(line, sizeof line, "\n  %s %s", cli_commands[c].name, cli_commands[c].synopsis);
        assert_non_null(strstr(help, line));
    }
    free(help);
}

static void test_options_before_the_command(void **state)
{
    (void)state;
    cli_args a;
    assert_int_equal(parse(&a, "--db", "D", "status", NULL), -1);
    assert_int_equal(a.cmd, CLI_STATUS);
    assert_string_equal(a.db, "D");
    assert_int_equal(a.rest_count, 0);
    cli_args_free(&a);

    assert_int_equal(parse(&a, "--db=D", "-v", "index", "notes", "--full", NULL), -1);
    assert_int_equal(a.cmd, CLI_INDEX);
    assert_string_equal(a.db, "D");
    assert_true(a.verbose && a.full);
    assert_int_equal(a.rest_count, 1);
    assert_string_equal(a.rest[0], "notes");
    cli_args_free(&a);

    /* -N's value is not the command, nor the query. */
    assert_int_equal(parse(&a, "-N", "index", "dump", NULL), -1);
    assert_int_equal(a.cmd, CLI_DUMP);
    assert_int_equal(a.notebooks.count, 1);
    assert_string_equal(a.notebooks.items[0], "index");
    cli_args_free(&a);
}

static void test_a_search_is_the_command_when_none_is_named(void **state)
{
    (void)state;
    cli_args a;
    assert_int_equal(parse(&a, "--db", "D", "推論", "status", NULL), -1);
    assert_int_equal(a.cmd, CLI_SEARCH);
    assert_int_equal(a.rest_count, 2);
    assert_string_equal(a.rest[1], "status"); /* a word, after the first */
    cli_args_free(&a);

    assert_int_equal(parse(&a, "-l", "--", "status", "-x", NULL), -1);
    assert_int_equal(a.cmd, CLI_SEARCH);
    assert_int_equal(a.format, MLS_OUTPUT_FILES);
    assert_int_equal(a.rest_count, 2);
    assert_string_equal(a.rest[0], "status");
    assert_string_equal(a.rest[1], "-x");
    cli_args_free(&a);

    assert_int_equal(parse(&a, "search", "help", NULL), -1);
    assert_int_equal(a.cmd, CLI_SEARCH);
    assert_string_equal(a.rest[0], "help");
    cli_args_free(&a);
}

static void test_bundled_short_options(void **state)
{
    (void)state;
    cli_args a;
    assert_int_equal(parse(&a, "-ln", "3", "AML", NULL), -1);
    assert_int_equal(a.format, MLS_OUTPUT_FILES);
    assert_int_equal(a.max_count, 3);
    assert_string_equal(a.rest[0], "AML");
    cli_args_free(&a);

    assert_int_equal(parse(&a, "-cn7", "AML", NULL), -1);
    assert_int_equal(a.format, MLS_OUTPUT_COUNT);
    assert_int_equal(a.max_count, 7);
    cli_args_free(&a);

    assert_int_equal(parse(&a, "index", "-vj2", NULL), -1);
    assert_true(a.verbose);
    assert_int_equal(a.jobs, 2);
    cli_args_free(&a);
}

static void test_values(void **state)
{
    (void)state;
    cli_args a;
    assert_int_equal(parse(&a, "index", "--wait", "notes", NULL), -1);
    assert_true(a.wait_seconds < 0); /* no value: until the other is done */
    assert_string_equal(a.rest[0], "notes");
    cli_args_free(&a);

    assert_int_equal(parse(&a, "index", "--wait=2.5", "--max-size=1K", NULL), -1);
    assert_true(a.wait_seconds == 2.5);
    assert_int_equal(a.max_size, 1024);
    cli_args_free(&a);

    assert_int_equal(parse(&a, "--max-count=12", "--color", "never", "x", NULL), -1);
    assert_int_equal(a.max_count, 12);
    assert_string_equal(a.color, "never");
    cli_args_free(&a);
}

static void test_errors_exit_2(void **state)
{
    (void)state;
    static char *const cases[][4] = {
        {"-l", "status", NULL},        /* a search's option, then status */
        {"status", "-n", "3", NULL},   /* the same after it */
        {"-n", NULL},                  /* no value */
        {"-n", "0", "x", NULL},        /* at least 1 */
        {"--json=1", "x", NULL},       /* no value taken */
        {"-lx", "y", NULL},            /* no -x */
        {"--frobnicate", NULL},        /* no such option */
        {"--color", "red", "x", NULL}, /* auto, always or never */
        {"-l", "-c", "x", NULL},       /* one format */
        {"serve", "--full", NULL},     /* an index's option */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cli_args a;
        char *argv[6] = {"mlsearch"};
        int argc = 1;
        for (int k = 0; cases[i][k]; k++)
            argv[argc++] = cases[i][k];
        memset(&a, 0, sizeof a);
        if (cli_parse_args(argc, argv, &a) != CLI_EXIT_ERROR)
            fail_msg("case %zu (%s %s) was not refused", i, cases[i][0], cases[i][1]);
        cli_args_free(&a);
    }
}

static void test_typing_slips(void **state)
{
    (void)state;
    static const char *const near[][2] = {
        {"stauts", "status"}, {"statsu", "status"}, {"indx", "index"},
        {"indez", "index"},   {"serach", "search"}, {"dupm", "dump"},
        {"hepl", "help"},     {"serbe", "serve"},   {"sattus", "status"},
    };
    static const char *const far[] = {"server",   "indexes",  "helm", "dumb",
                                      "status",   "index",    "sta",  "推論",
                                      "searches", "research", "AML"};
    for (size_t i = 0; i < sizeof near / sizeof near[0]; i++) {
        const char *got = cli_near_command(near[i][0]);
        if (!got || strcmp(got, near[i][1]))
            fail_msg("%s: %s, not %s", near[i][0], got ? got : "nothing", near[i][1]);
    }
    for (size_t i = 0; i < sizeof far / sizeof far[0]; i++)
        if (cli_near_command(far[i]))
            fail_msg("%s is near %s", far[i], cli_near_command(far[i]));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_option_is_well_formed),
        cmocka_unit_test(test_each_help_lists_exactly_its_options),
        cmocka_unit_test(test_the_help_names_every_command),
        cmocka_unit_test(test_options_before_the_command),
        cmocka_unit_test(test_a_search_is_the_command_when_none_is_named),
        cmocka_unit_test(test_bundled_short_options),
        cmocka_unit_test(test_values),
        cmocka_unit_test(test_errors_exit_2),
        cmocka_unit_test(test_typing_slips),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
