/* test_config.c - unit tests of include/mlsearch/config.h and of
 * mls_expand_home() and mls_config_location() in include/mlsearch/location.h.
 *
 * The contract checked:
 *  - mls_config_parse reads one setting per line, a name and a value
 *    separated by spaces (or tabs); blank lines and '#' lines are
 *    ignored; root, include and exclude are repeatable and kept in order;
 *    max-size and follow-symlinks take the last value given; a leading
 *    "~/" (or a lone "~") in a root means $HOME, in other settings it is
 *    left alone; text is added to a configuration that may already hold
 *    settings; a wrong line fails with MLS_ERR_CONFIG and
 *    *error = "NAME:LINE: reason";
 *  - mls_config_load reads a file, a missing file being an empty
 *    configuration, and fails with MLS_ERR_IO and "PATH: reason";
 *  - mls_parse_size reads digits and an optional K, M or G (powers of
 *    1024, either case), and returns 0 for anything else, for 0 and for
 *    a size that does not fit a size_t;
 *  - mls_config_location follows the XDG rule (an absolute
 *    $XDG_CONFIG_HOME, else $HOME/.config), MLS_ERR_INVALID without either.
 *
 * The header gives the shape of the messages but not their wording; the
 * reasons asserted below are the ones lib/config.c writes (read for that
 * purpose only):
 *     unknown setting NAME
 *     no value for NAME
 *     max-size must be a size such as 16M, not VALUE
 *     follow-symlinks must be inside or all, not VALUE
 *     ignore-files must be yes or no, not VALUE
 *     a NUL byte
 *     PATH: cannot read: STRERROR
 *     PATH: not a regular file
 *
 * Text is copied into buffers of exactly `len` bytes (no NUL), so that
 * ASan or valgrind report any read past the end. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "test_support.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mlsearch/config.h"
#include "mlsearch/location.h"

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

/* A NULL-terminated list of expected strings. */
#define L(...) ((const char *const[]){__VA_ARGS__, NULL})
#define NONE ((const char *const[]){NULL})

static void config_free_cb(void *p)
{
    mls_config_free(p);
    free(p);
}

/* A zeroed configuration on the heap, held (own()). */
static mls_config *new_config(void)
{
    mls_config *cfg = calloc(1, sizeof *cfg);
    assert_non_null(cfg);
    return own(cfg, config_free_cb);
}

/* mls_config_parse of `len` bytes of `text` named `name`; *error is held
 * (own()) when set. */
static mls_status parse_full(const char *text, size_t len, const char *name, mls_config *cfg,
                             char **error)
{
    char *buf = own(exact_copy(text, len), free);
    *error = NULL;
    mls_status st = mls_config_parse(buf, len, name, cfg, error);
    release(buf);
    own(*error, free);
    return st;
}

/* Parses text that must be accepted. */
static void parse_ok_full(const char *text, size_t len, mls_config *cfg)
{
    char *error;
    mls_status st = parse_full(text, len, "cfg", cfg, &error);
    if (st != MLS_OK)
        print_error("parse of \"%.*s\": %s\n", (int)len, text, error ? error : "(no message)");
    assert_int_equal(st, MLS_OK);
    release(error);
}

#define PARSE_OK(lit, cfg) parse_ok_full((lit), sizeof(lit) - 1, (cfg))

/* Parses text that must fail with MLS_ERR_CONFIG and exactly `message`. */
static void parse_error_full(const char *text, size_t len, const char *name, const char *message)
{
    mls_config *cfg = new_config();
    char *error;
    mls_status st = parse_full(text, len, name, cfg, &error);
    if (st != MLS_ERR_CONFIG)
        print_error("parse of \"%.*s\" gave status %d\n", (int)len, text, (int)st);
    assert_int_equal(st, MLS_ERR_CONFIG);
    assert_non_null(error);
    assert_string_equal(error, message);
    release(error);
    release(cfg);
}

#define PARSE_ERROR(lit, message) parse_error_full((lit), sizeof(lit) - 1, "cfg", (message))

static void expect_strings(const mls_strings *list, const char *const *expected)
{
    size_t n = 0;
    while (expected[n])
        n++;
    if (list->count != n) {
        print_error("%zu strings, expected %zu:\n", list->count, n);
        for (size_t i = 0; i < list->count; i++)
            print_error("  \"%s\"\n", list->items[i]);
    }
    assert_int_equal(list->count, n);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(list->items[i], expected[i]);
}

static void expect_empty(const mls_config *cfg)
{
    assert_int_equal(cfg->roots.count, 0);
    assert_int_equal(cfg->includes.count, 0);
    assert_int_equal(cfg->excludes.count, 0);
    assert_int_equal(cfg->max_file_size, 0);
    assert_int_equal(cfg->follow_all_symlinks, 0);
}

static void expect_size(const char *s, size_t expected)
{
    size_t out = 12345;
    int ok = mls_parse_size(s, &out);
    if (!ok || out != expected)
        print_error("mls_parse_size(\"%s\") = %d, %zu\n", s, ok, out);
    assert_int_equal(ok, 1);
    assert_int_equal(out, expected);
}

static void expect_no_size(const char *s)
{
    size_t out = 12345;
    int ok = mls_parse_size(s, &out);
    if (ok)
        print_error("mls_parse_size(\"%s\") accepted as %zu\n", s, out);
    assert_int_equal(ok, 0);
}

static void expect_expand(const char *path, const char *expected)
{
    char *out = NULL;
    mls_status st = mls_expand_home(path, &out);
    own(out, free);
    assert_int_equal(st, MLS_OK);
    assert_non_null(out);
    assert_string_equal(out, expected);
    release(out);
}

static void expect_config_location(const char *expected)
{
    char *out = NULL;
    mls_status st = mls_config_location(&out);
    own(out, free);
    assert_int_equal(st, MLS_OK);
    assert_non_null(out);
    assert_string_equal(out, expected);
    release(out);
}

/* Sets or (value NULL) unsets an environment variable. */
static void set_env(const char *name, const char *value)
{
    int rc = value ? setenv(name, value, 1) : unsetenv(name);
    assert_int_equal(rc, 0);
}

/* The environment the tests change, restored after the group. */
static char *g_saved_home, *g_saved_xdg;
static int g_had_home, g_had_xdg;

static int save_env(void **state)
{
    (void)state;
    const char *home = getenv("HOME"), *xdg = getenv("XDG_CONFIG_HOME");
    g_had_home = home != NULL;
    g_had_xdg = xdg != NULL;
    g_saved_home = home ? strdup(home) : NULL;
    g_saved_xdg = xdg ? strdup(xdg) : NULL;
    return (g_had_home && !g_saved_home) || (g_had_xdg && !g_saved_xdg);
}

static int restore_env(void **state)
{
    (void)state;
    if (g_had_home)
        setenv("HOME", g_saved_home, 1);
    else
        unsetenv("HOME");
    if (g_had_xdg)
        setenv("XDG_CONFIG_HOME", g_saved_xdg, 1);
    else
        unsetenv("XDG_CONFIG_HOME");
    free(g_saved_home);
    free(g_saved_xdg);
    return 0;
}

/* A temporary folder for the files mls_config_load reads. */
static char g_dir[64];

static void rm_dir_cb(void *p)
{
    (void)p;
    char cmd[128];
    /* g_dir is always a mkdtemp() name under /tmp */
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", g_dir);
    g_dir[0] = '\0';
}

static const char *make_dir(void)
{
    snprintf(g_dir, sizeof g_dir, "/tmp/mls-test-config.XXXXXX");
    assert_non_null(mkdtemp(g_dir));
    own(g_dir, rm_dir_cb);
    return g_dir;
}

/* `dir`/`name`, in a buffer held (own()). */
static char *path_in(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    assert_non_null(p);
    snprintf(p, n, "%s/%s", dir, name);
    return own(p, free);
}

static void write_file(const char *path, const char *text, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    size_t wrote = fwrite(text, 1, len, f);
    int rc = fclose(f);
    assert_int_equal(wrote, len);
    assert_int_equal(rc, 0);
}

/* ------------------------------------------------------------------ */
/* mls_strings_add / mls_strings_free                                  */
/* ------------------------------------------------------------------ */

static void strings_free_cb(void *p)
{
    mls_strings_free(p);
    free(p);
}

static void test_strings_add(void **state)
{
    (void)state;
    mls_strings *list = own(calloc(1, sizeof *list), strings_free_cb);
    assert_non_null(list);
    char buf[16];

    strcpy(buf, "first");
    assert_int_equal(mls_strings_add(list, buf), MLS_OK);
    strcpy(buf, "second"); /* the list holds a copy */
    assert_int_equal(mls_strings_add(list, buf), MLS_OK);
    assert_int_equal(mls_strings_add(list, ""), MLS_OK);
    assert_int_equal(mls_strings_add(list, "日本語 ノート"), MLS_OK);
    expect_strings(list, L("first", "second", "", "日本語 ノート"));
    assert_true(list->items[1] != buf);

    /* many appends keep every string, in order */
    for (int i = 0; i < 1000; i++) {
        snprintf(buf, sizeof buf, "item %d", i);
        assert_int_equal(mls_strings_add(list, buf), MLS_OK);
    }
    assert_int_equal(list->count, 1004);
    assert_true(list->capacity >= list->count);
    assert_string_equal(list->items[3], "日本語 ノート");
    assert_string_equal(list->items[4], "item 0");
    assert_string_equal(list->items[503], "item 499");
    assert_string_equal(list->items[1003], "item 999");
    release(list);
}

/* ------------------------------------------------------------------ */
/* mls_config_parse: the settings                                      */
/* ------------------------------------------------------------------ */

static void test_parse_every_setting(void **state)
{
    (void)state;
    mls_config *cfg = new_config();
    PARSE_OK("root /srv/notes\n"
             "include *.md\n"
             "exclude drafts\n"
             "max-size 16M\n"
             "follow-symlinks all\n"
             "ignore-files no\n",
             cfg);
    assert_int_equal(cfg->no_ignore, 1);
    expect_strings(&cfg->roots, L("/srv/notes"));
    expect_strings(&cfg->includes, L("*.md"));
    expect_strings(&cfg->excludes, L("drafts"));
    assert_int_equal(cfg->max_file_size, 16u * 1024 * 1024);
    assert_int_equal(cfg->follow_all_symlinks, 1);
    release(cfg);

    cfg = new_config();
    PARSE_OK("follow-symlinks inside\nignore-files yes\n", cfg);
    assert_int_equal(cfg->follow_all_symlinks, 0);
    assert_int_equal(cfg->no_ignore, 0);
    expect_strings(&cfg->roots, NONE);
    expect_strings(&cfg->includes, NONE);
    expect_strings(&cfg->excludes, NONE);
    assert_int_equal(cfg->max_file_size, 0);
    release(cfg);
}

static void test_parse_empty(void **state)
{
    (void)state;
    mls_config *cfg = new_config();
    PARSE_OK("", cfg);
    expect_empty(cfg);
    PARSE_OK("\n\n\n", cfg);
    expect_empty(cfg);
    PARSE_OK("# only a comment", cfg);
    expect_empty(cfg);
    release(cfg);
}

static void test_parse_repeated(void **state)
{
    (void)state;
    mls_config *cfg = new_config();
    PARSE_OK("root /a\n"
             "include *.md\n"
             "exclude drafts\n"
             "max-size 1K\n"
             "follow-symlinks all\n"
             "root /b\n"
             "include *.org\n"
             "exclude docs/old-*\n"
             "root /c/d e\n"
             "max-size 2G\n"
             "exclude *.tmp\n"
             "follow-symlinks inside\n",
             cfg);
    expect_strings(&cfg->roots, L("/a", "/b", "/c/d e"));
    expect_strings(&cfg->includes, L("*.md", "*.org"));
    expect_strings(&cfg->excludes, L("drafts", "docs/old-*", "*.tmp"));
    assert_int_equal(cfg->max_file_size, (size_t)2 * 1024 * 1024 * 1024);
    assert_int_equal(cfg->follow_all_symlinks, 0);

    /* the same value twice is kept twice */
    PARSE_OK("exclude drafts\n", cfg);
    expect_strings(&cfg->excludes, L("drafts", "docs/old-*", "*.tmp", "drafts"));
    release(cfg);
}

/* A second text adds to what the configuration already holds. */
static void test_parse_adds_to_earlier(void **state)
{
    (void)state;
    mls_config *cfg = new_config();
    PARSE_OK("root /first\nmax-size 100\nfollow-symlinks all\n", cfg);
    PARSE_OK("root /second\ninclude *.txt\n", cfg);
    expect_strings(&cfg->roots, L("/first", "/second"));
    expect_strings(&cfg->includes, L("*.txt"));
    expect_strings(&cfg->excludes, NONE);
    assert_int_equal(cfg->max_file_size, 100);
    assert_int_equal(cfg->follow_all_symlinks, 1);
    PARSE_OK("max-size 5k\n", cfg);
    assert_int_equal(cfg->max_file_size, 5 * 1024);
    expect_strings(&cfg->roots, L("/first", "/second"));
    release(cfg);
}

static void test_parse_comments_and_blank_lines(void **state)
{
    (void)state;
    mls_config *cfg = new_config();
    PARSE_OK("# mlsearch configuration\n"
             "\n"
             "#root /commented-out\n"
             "# root /also-commented\n"
             "   \n"
             "\t\n"
             "root /notes\n"
             "\n"
             "    # an indented comment\n"
             "\t#include *.org\n"
             "# unknown-setting x\n"
             "#\n"
             "exclude x#archive#\n" /* '#' inside a value is text */
             "exclude a#b  \t# a comment after a space\n"
             "include *.md # a comment\n",
             cfg);
    expect_strings(&cfg->roots, L("/notes"));
    expect_strings(&cfg->excludes, L("x#archive#", "a#b"));
    expect_strings(&cfg->includes, L("*.md"));
    assert_int_equal(cfg->max_file_size, 0);
    release(cfg);
}

static void test_parse_spaces_and_tabs(void **state)
{
    (void)state;
    mls_config *cfg = new_config();
    PARSE_OK("   root   /lead/and/trail   \n"
             "\troot\t/tabs\t\n"
             "root \t /mixed \t \n"
             "root /inner space/kept\n"
             "include\t*.md\n"
             " \t exclude  \t  a b\tc \t\n"
             "max-size\t\t8K \t\n"
             "  follow-symlinks   all  ",
             cfg); /* no final newline */
    expect_strings(&cfg->roots, L("/lead/and/trail", "/tabs", "/mixed", "/inner space/kept"));
    expect_strings(&cfg->includes, L("*.md"));
    expect_strings(&cfg->excludes, L("a b\tc"));
    assert_int_equal(cfg->max_file_size, 8 * 1024);
    assert_int_equal(cfg->follow_all_symlinks, 1);
    release(cfg);
}

static void test_parse_crlf(void **state)
{
    (void)state;
    mls_config *cfg = new_config();
    PARSE_OK("# comment\r\n"
             "\r\n"
             "root /notes\r\n"
             "include *.md\r\n"
             "exclude drafts \r\n"
             "max-size 16M\r\n"
             "follow-symlinks all\r\n"
             "root /last\r",
             cfg);
    expect_strings(&cfg->roots, L("/notes", "/last"));
    expect_strings(&cfg->includes, L("*.md"));
    expect_strings(&cfg->excludes, L("drafts"));
    assert_int_equal(cfg->max_file_size, 16u * 1024 * 1024);
    assert_int_equal(cfg->follow_all_symlinks, 1);
    release(cfg);

    /* lines are still counted right */
    PARSE_ERROR("root /a\r\n\r\nfrobnicate yes\r\n", "cfg:3: unknown setting frobnicate");
    PARSE_ERROR("root /a\r\nmax-size 16Q\r\n",
                "cfg:2: max-size must be a size such as 16M, not 16Q");
    PARSE_ERROR("follow-symlinks some\r\n",
                "cfg:1: follow-symlinks must be inside or all, not some");
    PARSE_ERROR("root\r\n", "cfg:1: no value for root");
}

static void test_parse_home(void **state)
{
    (void)state;
    set_env("HOME", "/home/tester");
    mls_config *cfg = new_config();
    PARSE_OK("root ~/notes\n"
             "root ~\n"
             "root ~/\n"
             "root ~other/notes\n"
             "root /srv/~/notes\n"
             "root ~notes\n"
             "include ~/x.md\n"
             "exclude ~/drafts\n",
             cfg);
    expect_strings(&cfg->roots, L("/home/tester/notes", "/home/tester", "/home/tester/",
                                  "~other/notes", "/srv/~/notes", "~notes"));
    /* only roots are paths */
    expect_strings(&cfg->includes, L("~/x.md"));
    expect_strings(&cfg->excludes, L("~/drafts"));
    release(cfg);

    set_env("HOME", "/другой дом");
    cfg = new_config();
    PARSE_OK("root ~/заметки\n", cfg);
    expect_strings(&cfg->roots, L("/другой дом/заметки"));
    release(cfg);
}

/* ------------------------------------------------------------------ */
/* mls_config_parse: errors                                            */
/* ------------------------------------------------------------------ */

static void test_parse_unknown_setting(void **state)
{
    (void)state;
    PARSE_ERROR("frobnicate yes\n", "cfg:1: unknown setting frobnicate");
    PARSE_ERROR("root /a\n# comment\n\nroots /b\n", "cfg:4: unknown setting roots");
    PARSE_ERROR("  max_size   16M  \n", "cfg:1: unknown setting max_size");
    PARSE_ERROR("follow-symlink all", "cfg:1: unknown setting follow-symlink");
    PARSE_ERROR("root=/a\n", "cfg:1: no value for root=/a");
    parse_error_full("x y\n", 4, "/home/u/.config/mlsearch/config",
                     "/home/u/.config/mlsearch/config:1: unknown setting x");

    /* the first wrong line is the one reported */
    PARSE_ERROR("root /a\nbad 1\nworse 2\n", "cfg:2: unknown setting bad");
}

static void test_parse_no_value(void **state)
{
    (void)state;
    PARSE_ERROR("root\n", "cfg:1: no value for root");
    PARSE_ERROR("root   \t \n", "cfg:1: no value for root");
    PARSE_ERROR("\n\ninclude", "cfg:3: no value for include");
    PARSE_ERROR("exclude \n", "cfg:1: no value for exclude");
    PARSE_ERROR("  max-size\t\n", "cfg:1: no value for max-size");
    PARSE_ERROR("follow-symlinks\r\n", "cfg:1: no value for follow-symlinks");
    PARSE_ERROR("lonely\n", "cfg:1: no value for lonely");
}

static void test_parse_bad_max_size(void **state)
{
    (void)state;
    PARSE_ERROR("max-size 12X\n", "cfg:1: max-size must be a size such as 16M, not 12X");
    PARSE_ERROR("max-size 0\n", "cfg:1: max-size must be a size such as 16M, not 0");
    PARSE_ERROR("max-size K\n", "cfg:1: max-size must be a size such as 16M, not K");
    PARSE_ERROR("max-size 16 M\n", "cfg:1: max-size must be a size such as 16M, not 16 M");
    PARSE_ERROR("max-size 16MB\n", "cfg:1: max-size must be a size such as 16M, not 16MB");
    PARSE_ERROR("max-size -1\n", "cfg:1: max-size must be a size such as 16M, not -1");
    PARSE_ERROR("max-size 99999999999999999999G\n",
                "cfg:1: max-size must be a size such as 16M, not 99999999999999999999G");
    PARSE_ERROR("root /a\n\tmax-size  big \n",
                "cfg:2: max-size must be a size such as 16M, not big");
}

static void test_parse_bad_follow_symlinks(void **state)
{
    (void)state;
    PARSE_ERROR("follow-symlinks yes\n", "cfg:1: follow-symlinks must be inside or all, not yes");
    PARSE_ERROR("follow-symlinks none\n", "cfg:1: follow-symlinks must be inside or all, not none");
    PARSE_ERROR("follow-symlinks inside out\n",
                "cfg:1: follow-symlinks must be inside or all, not inside out");
    PARSE_ERROR("# x\nfollow-symlinks 1\n", "cfg:2: follow-symlinks must be inside or all, not 1");
    PARSE_ERROR("ignore-files off\n", "cfg:1: ignore-files must be yes or no, not off");
}

static void test_parse_nul_byte(void **state)
{
    (void)state;
    PARSE_ERROR("root /a\0b\n", "cfg:1: a NUL byte");
    PARSE_ERROR("root /a\n# comment\n\nexclude x\0\n", "cfg:4: a NUL byte");
    PARSE_ERROR("\0", "cfg:1: a NUL byte");
    PARSE_ERROR("root /a\n\0root /b\n", "cfg:2: a NUL byte");
}

/* ------------------------------------------------------------------ */
/* mls_parse_size                                                      */
/* ------------------------------------------------------------------ */

static void test_parse_size_accepted(void **state)
{
    (void)state;
    expect_size("1", 1);
    expect_size("7", 7);
    expect_size("1024", 1024);
    expect_size("000123", 123);
    expect_size("1K", 1024);
    expect_size("1k", 1024);
    expect_size("3K", 3 * 1024);
    expect_size("16M", (size_t)16 * 1024 * 1024);
    expect_size("16m", (size_t)16 * 1024 * 1024);
    expect_size("1M", (size_t)1024 * 1024);
    expect_size("2G", (size_t)2 * 1024 * 1024 * 1024);
    expect_size("2g", (size_t)2 * 1024 * 1024 * 1024);
#if SIZE_MAX == UINT64_MAX
    expect_size("18446744073709551615", SIZE_MAX);
    expect_size("17179869183G", SIZE_MAX - ((size_t)1024 * 1024 * 1024 - 1));
    expect_size("17592186044415M", SIZE_MAX - ((size_t)1024 * 1024 - 1));
#endif
}

static void test_parse_size_refused(void **state)
{
    (void)state;
    expect_no_size("0");
    expect_no_size("0K");
    expect_no_size("00");
    expect_no_size("");
    expect_no_size("12X");
    expect_no_size("K");
    expect_no_size("M");
    expect_no_size("k1");
    expect_no_size("16MB");
    expect_no_size("16KK");
    expect_no_size("1.5M");
    expect_no_size("-1");
    expect_no_size("+1");
    expect_no_size(" 1");
    expect_no_size("1T");
    expect_no_size("1 K");
    expect_no_size("0x10");
    expect_no_size("99999999999999999999G");
    expect_no_size("99999999999999999999");
#if SIZE_MAX == UINT64_MAX
    expect_no_size("18446744073709551616");
    expect_no_size("17179869184G");
    expect_no_size("17592186044416M");
    expect_no_size("18014398509481984K");
#endif
}

/* A size followed by a space is not a size: a regression test (the unit
 * was once looked up with strchr("KMG", c & ~0x20), and ' ' & ~0x20 is
 * '\0', which strchr finds: "1 " was read as 1 TiB). */
static void test_parse_size_trailing_space(void **state)
{
    (void)state;
    expect_no_size("1 ");
    expect_no_size("16 ");
}

/* ------------------------------------------------------------------ */
/* mls_config_load                                                     */
/* ------------------------------------------------------------------ */

static void test_load_missing_file(void **state)
{
    (void)state;
    const char *dir = make_dir();
    char *path = path_in(dir, "no-such-config");
    mls_config *cfg = new_config();
    char *error = NULL;
    mls_status st = mls_config_load(path, cfg, &error);
    own(error, free);
    assert_int_equal(st, MLS_OK);
    expect_empty(cfg);
    release(error);
    release(cfg);
    release(path);
    release(g_dir);
}

static void test_load_file(void **state)
{
    (void)state;
    set_env("HOME", "/home/tester");
    const char *dir = make_dir();
    char *path = path_in(dir, "config");
    static const char text[] = "# my notes\r\n"
                               "root ~/notes\n"
                               "root /srv/shared notes\n"
                               "exclude drafts\n"
                               "include *.md\n"
                               "include *.txt\n"
                               "max-size 2M\n"
                               "follow-symlinks all";
    write_file(path, text, sizeof text - 1);
    mls_config *cfg = new_config();
    char *error = NULL;
    mls_status st = mls_config_load(path, cfg, &error);
    own(error, free);
    assert_int_equal(st, MLS_OK);
    expect_strings(&cfg->roots, L("/home/tester/notes", "/srv/shared notes"));
    expect_strings(&cfg->includes, L("*.md", "*.txt"));
    expect_strings(&cfg->excludes, L("drafts"));
    assert_int_equal(cfg->max_file_size, (size_t)2 * 1024 * 1024);
    assert_int_equal(cfg->follow_all_symlinks, 1);
    release(error);
    release(cfg);

    /* an empty file is an empty configuration */
    write_file(path, "", 0);
    cfg = new_config();
    error = NULL;
    st = mls_config_load(path, cfg, &error);
    own(error, free);
    assert_int_equal(st, MLS_OK);
    expect_empty(cfg);
    release(error);
    release(cfg);
    release(path);
    release(g_dir);
}

/* A file larger than any read buffer is read whole. */
static void test_load_long_file(void **state)
{
    (void)state;
    const char *dir = make_dir();
    char *path = path_in(dir, "config");
    size_t cap = 3000 * 32, len = 0;
    char *text = own(malloc(cap), free);
    assert_non_null(text);
    for (int i = 0; i < 3000; i++)
        len += (size_t)snprintf(text + len, cap - len, "exclude folder-%04d\n", i);
    len += (size_t)snprintf(text + len, cap - len, "root /end");
    write_file(path, text, len);
    release(text);

    mls_config *cfg = new_config();
    char *error = NULL;
    mls_status st = mls_config_load(path, cfg, &error);
    own(error, free);
    assert_int_equal(st, MLS_OK);
    assert_int_equal(cfg->excludes.count, 3000);
    assert_string_equal(cfg->excludes.items[0], "folder-0000");
    assert_string_equal(cfg->excludes.items[2999], "folder-2999");
    expect_strings(&cfg->roots, L("/end"));
    release(error);
    release(cfg);
    release(path);
    release(g_dir);
}

/* Messages from a file name the file, with its line. */
static void test_load_parse_error(void **state)
{
    (void)state;
    const char *dir = make_dir();
    char *path = path_in(dir, "config");
    static const char text[] = "root /notes\n\nmax-size lots\n";
    write_file(path, text, sizeof text - 1);
    mls_config *cfg = new_config();
    char *error = NULL;
    mls_status st = mls_config_load(path, cfg, &error);
    own(error, free);
    assert_int_equal(st, MLS_ERR_CONFIG);
    assert_non_null(error);
    char want[256];
    snprintf(want, sizeof want, "%s:3: max-size must be a size such as 16M, not lots", path);
    assert_string_equal(error, want);
    release(error);
    release(cfg);

    static const char nul[] = "root /a\0\n";
    write_file(path, nul, sizeof nul - 1);
    cfg = new_config();
    error = NULL;
    st = mls_config_load(path, cfg, &error);
    own(error, free);
    assert_int_equal(st, MLS_ERR_CONFIG);
    assert_non_null(error);
    snprintf(want, sizeof want, "%s:1: a NUL byte", path);
    assert_string_equal(error, want);
    release(error);
    release(cfg);
    release(path);
    release(g_dir);
}

/* A path that is not a regular file (a folder, a FIFO) is an I/O error;
 * the FIFO, which no one writes to, is not waited on. */
static void test_load_unreadable(void **state)
{
    (void)state;
    const char *dir = make_dir();
    char *fifo = path_in(dir, "fifo");
    assert_int_equal(mkfifo(fifo, 0600), 0);
    const char *not_files[] = {dir, fifo};
    mls_config *cfg;
    char *error;
    mls_status st;
    char want[256];
    for (size_t i = 0; i < 2; i++) {
        cfg = new_config();
        error = NULL;
        st = mls_config_load(not_files[i], cfg, &error);
        own(error, free);
        assert_int_equal(st, MLS_ERR_IO);
        assert_non_null(error);
        snprintf(want, sizeof want, "%s: not a regular file", not_files[i]);
        assert_string_equal(error, want);
        expect_empty(cfg);
        release(error);
        release(cfg);
    }
    release(fifo);

    /* a path through a file: neither missing nor readable */
    char *file = path_in(dir, "plain");
    write_file(file, "root /a\n", 8);
    char *through = path_in(file, "config");
    cfg = new_config();
    error = NULL;
    st = mls_config_load(through, cfg, &error);
    own(error, free);
    assert_int_equal(st, MLS_ERR_IO);
    assert_non_null(error);
    snprintf(want, sizeof want, "%s: cannot read: %s", through, strerror(ENOTDIR));
    assert_string_equal(error, want);
    expect_empty(cfg);
    release(error);
    release(cfg);
    release(through);
    release(file);
    release(g_dir);
}

/* ------------------------------------------------------------------ */
/* location.h: mls_expand_home, mls_config_location                    */
/* ------------------------------------------------------------------ */

static void test_expand_home(void **state)
{
    (void)state;
    set_env("HOME", "/home/tester");
    expect_expand("~/notes", "/home/tester/notes");
    expect_expand("~/notes/2024/a.md", "/home/tester/notes/2024/a.md");
    expect_expand("~", "/home/tester");
    expect_expand("~/", "/home/tester/");
    expect_expand("~user/notes", "~user/notes");
    expect_expand("~~/x", "~~/x");
    expect_expand("/abs/path", "/abs/path");
    expect_expand("relative/~/x", "relative/~/x");
    expect_expand("/a/~", "/a/~");
    expect_expand("", "");
    expect_expand(" ~/x", " ~/x");

    set_env("HOME", "/");
    expect_expand("~", "/");
}

static void test_config_location_xdg(void **state)
{
    (void)state;
    set_env("HOME", "/home/tester");
    set_env("XDG_CONFIG_HOME", "/xdg/config");
    expect_config_location("/xdg/config/mlsearch/config");

    /* an absolute XDG_CONFIG_HOME needs no HOME */
    set_env("HOME", NULL);
    expect_config_location("/xdg/config/mlsearch/config");
}

static void test_config_location_relative_xdg(void **state)
{
    (void)state;
    /* the XDG rules ignore a relative value */
    set_env("HOME", "/home/tester");
    set_env("XDG_CONFIG_HOME", "relative/config");
    expect_config_location("/home/tester/.config/mlsearch/config");
    set_env("XDG_CONFIG_HOME", "./config");
    expect_config_location("/home/tester/.config/mlsearch/config");
    set_env("XDG_CONFIG_HOME", "~/config");
    expect_config_location("/home/tester/.config/mlsearch/config");
    /* an empty value is no value */
    set_env("XDG_CONFIG_HOME", "");
    expect_config_location("/home/tester/.config/mlsearch/config");
}

static void test_config_location_home(void **state)
{
    (void)state;
    set_env("XDG_CONFIG_HOME", NULL);
    set_env("HOME", "/home/tester");
    expect_config_location("/home/tester/.config/mlsearch/config");
}

static void test_config_location_neither(void **state)
{
    (void)state;
    set_env("XDG_CONFIG_HOME", NULL);
    set_env("HOME", NULL);
    char *out = NULL;
    mls_status st = mls_config_location(&out);
    own(out, free);
    assert_int_equal(st, MLS_ERR_INVALID);
    release(out);
}

static void test_parse_notebooks(void **state)
{
    (void)state;
    mls_config *cfg = new_config();
    PARSE_OK("root /default/notes\n"
             "exclude drafts\n"
             "notebook work\n"
             "root /w/a\n"
             "root /w/b\n"
             "db /var/mls/work\n"
             "notebook team-1.x\n"
             "remote notes.example.org:33333\n",
             cfg);
    expect_strings(&cfg->roots, L("/default/notes"));
    expect_strings(&cfg->excludes, L("drafts"));
    assert_int_equal(cfg->notebook_count, 2);
    assert_string_equal(cfg->notebooks[0].name, "work");
    expect_strings(&cfg->notebooks[0].roots, L("/w/a", "/w/b"));
    assert_string_equal(cfg->notebooks[0].db, "/var/mls/work");
    assert_null(cfg->notebooks[0].remote);
    assert_string_equal(cfg->notebooks[1].name, "team-1.x");
    assert_int_equal(cfg->notebooks[1].roots.count, 0);
    assert_null(cfg->notebooks[1].db);
    assert_string_equal(cfg->notebooks[1].remote, "notes.example.org:33333");
    release(cfg);
}

static void test_parse_notebook_errors(void **state)
{
    (void)state;
    PARSE_ERROR("notebook a/b\n", "cfg:1: a notebook's name is letters, digits, '-', '_' "
                                  "and '.' (and not 'default'), not a/b");
    PARSE_ERROR("notebook default\n", "cfg:1: a notebook's name is letters, digits, '-', '_' "
                                      "and '.' (and not 'default'), not default");
    PARSE_ERROR("notebook w\nnotebook w\n", "cfg:2: a second notebook named w");
    PARSE_ERROR("db /x\n", "cfg:1: db belongs to a notebook: after a 'notebook NAME' line");
    PARSE_ERROR("notebook w\nexclude x\n",
                "cfg:2: exclude holds for every notebook: put it before the first "
                "'notebook' line");
    PARSE_ERROR("notebook t\nremote host\n", "cfg:2: remote must be HOST:PORT, not host");
    PARSE_ERROR("notebook t\nremote host:0\n", "cfg:2: remote must be HOST:PORT, not host:0");
    PARSE_ERROR("notebook t\nremote h:1\nroot /a\n",
                "cfg:3: a remote notebook has no root nor db: t");
    PARSE_ERROR("notebook t\ndb /a\ndb /b\n", "cfg:3: a second setting of db");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_strings_add, teardown),
        cmocka_unit_test_teardown(test_parse_every_setting, teardown),
        cmocka_unit_test_teardown(test_parse_empty, teardown),
        cmocka_unit_test_teardown(test_parse_repeated, teardown),
        cmocka_unit_test_teardown(test_parse_adds_to_earlier, teardown),
        cmocka_unit_test_teardown(test_parse_comments_and_blank_lines, teardown),
        cmocka_unit_test_teardown(test_parse_spaces_and_tabs, teardown),
        cmocka_unit_test_teardown(test_parse_crlf, teardown),
        cmocka_unit_test_teardown(test_parse_home, teardown),
        cmocka_unit_test_teardown(test_parse_notebooks, teardown),
        cmocka_unit_test_teardown(test_parse_notebook_errors, teardown),
        cmocka_unit_test_teardown(test_parse_unknown_setting, teardown),
        cmocka_unit_test_teardown(test_parse_no_value, teardown),
        cmocka_unit_test_teardown(test_parse_bad_max_size, teardown),
        cmocka_unit_test_teardown(test_parse_bad_follow_symlinks, teardown),
        cmocka_unit_test_teardown(test_parse_nul_byte, teardown),
        cmocka_unit_test_teardown(test_parse_size_accepted, teardown),
        cmocka_unit_test_teardown(test_parse_size_refused, teardown),
        cmocka_unit_test_teardown(test_parse_size_trailing_space, teardown),
        cmocka_unit_test_teardown(test_load_missing_file, teardown),
        cmocka_unit_test_teardown(test_load_file, teardown),
        cmocka_unit_test_teardown(test_load_long_file, teardown),
        cmocka_unit_test_teardown(test_load_parse_error, teardown),
        cmocka_unit_test_teardown(test_load_unreadable, teardown),
        cmocka_unit_test_teardown(test_expand_home, teardown),
        cmocka_unit_test_teardown(test_config_location_xdg, teardown),
        cmocka_unit_test_teardown(test_config_location_relative_xdg, teardown),
        cmocka_unit_test_teardown(test_config_location_home, teardown),
        cmocka_unit_test_teardown(test_config_location_neither, teardown),
    };
    return cmocka_run_group_tests(tests, save_env, restore_env);
}
