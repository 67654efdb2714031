/* test_crawl.c - unit tests of include/mlsearch/internal/crawl.h.
 *
 * The contract checked:
 *  - mls_crawl_is_note_name: *.md, *.markdown, *.txt, in any case;
 *  - mls_crawl_glob_matches: a glob without '/' against the name, one
 *    with '/' against the path below the root, case ignored;
 *  - mls_crawl walks the roots in order, each in sorted order; a root that
 *    is a file is a note whatever its name; under a folder, notes are the
 *    regular files the include globs match (by default the note names),
 *    unless an exclude glob matches them or a folder above them; hidden
 *    entries are skipped; every file and folder is visited once, whatever
 *    the paths to it (hard links, symbolic links, roots given twice or
 *    nested), so loops end; symbolic links are followed last, after the
 *    real paths, and only when they lead inside a root (or with
 *    follow_all_symlinks), so a note is found under its real path; links
 *    out of the roots and broken links go to the problem callback, and the
 *    walk goes on; a note callback returning nonzero stops the crawl.
 *
 * The header does not word the problems; the reasons asserted below are
 * those indexer/crawl.c gives (read for that purpose only):
 *     already found by another path                     (PASSED_OVER)
 *     symbolic link out of the indexed folders, not followed (PASSED_OVER)
 *     broken symbolic link, skipped: STRERROR           (BROKEN)
 *     cannot read: STRERROR                             (UNREADABLE, a root)
 *     not a regular file or directory                   (UNREADABLE, a root)
 *     cannot open directory: STRERROR                   (UNREADABLE)
 * Nor does it say what mls_crawl returns when the note callback stops it:
 * MLS_OK is asserted (nothing failed).
 *
 * Trees are built under a mkdtemp() folder in /tmp (its canonical path,
 * as mls_crawl wants) and removed when each test ends, failed or not.
 * Names within a folder are chosen so that byte order, case-insensitive
 * order and the order of whole paths all agree. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "test_support.h"

#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mlsearch/internal/crawl.h"

/* ------------------------------------------------------------------ */
/* Helpers: the temporary tree                                         */
/* ------------------------------------------------------------------ */

#define L(...) ((const char *const[]){__VA_ARGS__, NULL})
#define NONE ((const char *const[]){NULL})

static char g_base[PATH_MAX]; /* canonical path of this test's folder */

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    if (remove(path) != 0)
        fprintf(stderr, "could not remove %s: %s\n", path, strerror(errno));
    return 0;
}

static void rm_tree_cb(void *p)
{
    (void)p;
    if (g_base[0]) {
        chmod(g_base, 0700);
        nftw(g_base, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    }
    g_base[0] = '\0';
}

/* Creates the test's folder; removed at teardown. */
static void make_base(void)
{
    char tmpl[] = "/tmp/mls-test-crawl.XXXXXX";
    assert_non_null(mkdtemp(tmpl));
    if (!realpath(tmpl, g_base)) {
        rmdir(tmpl);
        fail_msg("realpath of %s failed", tmpl);
    }
    own(g_base, rm_tree_cb);
}

/* `rel` below the base, in one of a few rotating buffers. */
static const char *at(const char *rel)
{
    static char bufs[16][PATH_MAX];
    static unsigned next;
    char *buf = bufs[next++ % 16];
    int n = snprintf(buf, PATH_MAX, "%s/%s", g_base, rel);
    assert_true(n > 0 && n < PATH_MAX);
    return buf;
}

static void make_dir(const char *rel)
{
    if (mkdir(at(rel), 0755) != 0)
        fail_msg("mkdir %s: %s", rel, strerror(errno));
}

/* A file with `text`; its folders are made as needed. */
static void make_file(const char *rel, const char *text)
{
    char parents[PATH_MAX];
    snprintf(parents, sizeof parents, "%s", rel);
    for (char *slash = strchr(parents, '/'); slash; slash = strchr(slash + 1, '/')) {
        *slash = '\0';
        if (mkdir(at(parents), 0755) != 0 && errno != EEXIST)
            fail_msg("mkdir %s: %s", parents, strerror(errno));
        *slash = '/';
    }
    FILE *f = fopen(at(rel), "wb");
    if (!f)
        fail_msg("create %s: %s", rel, strerror(errno));
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

static void make_files(const char *const *rels)
{
    for (; *rels; rels++)
        make_file(*rels, *rels);
}

/* A symbolic link at `rel` holding `target` as given (relative links stay
 * relative); a target starting with '@' is taken below the base. */
static void make_link(const char *target, const char *rel)
{
    const char *t = target[0] == '@' ? at(target + 1) : target;
    if (symlink(t, at(rel)) != 0)
        fail_msg("symlink %s: %s", rel, strerror(errno));
}

static void make_hard_link(const char *existing, const char *rel)
{
    char from[PATH_MAX];
    snprintf(from, sizeof from, "%s", at(existing));
    if (link(from, at(rel)) != 0)
        fail_msg("link %s: %s", rel, strerror(errno));
}

/* ------------------------------------------------------------------ */
/* Helpers: running a crawl                                            */
/* ------------------------------------------------------------------ */

typedef struct str_list {
    char **items;
    size_t count, cap;
} str_list;

static str_list g_notes, g_problems;
static size_t g_bad_stat;   /* notes whose stat did not match the file */
static size_t g_stop_after; /* stop after this many notes; 0: never */

static void list_add(str_list *l, const char *s)
{
    if (l->count == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 16;
        char **items = realloc(l->items, cap * sizeof *items);
        if (!items)
            abort();
        l->items = items;
        l->cap = cap;
    }
    if (!(l->items[l->count++] = strdup(s)))
        abort();
}

static void list_free(str_list *l)
{
    for (size_t i = 0; i < l->count; i++)
        free(l->items[i]);
    free(l->items);
    *l = (str_list){0};
}

/* The callbacks record what they are told and never assert: a failure
 * inside mls_crawl would leave its memory behind. */
static int on_note(const char *path, const struct stat *st, void *ctx)
{
    struct stat real;
    (void)ctx;
    list_add(&g_notes, path);
    if (!S_ISREG(st->st_mode) || stat(path, &real) != 0 || real.st_ino != st->st_ino ||
        real.st_dev != st->st_dev || real.st_size != st->st_size)
        g_bad_stat++;
    return g_stop_after && g_notes.count >= g_stop_after;
}

static const char *kind_name(mls_crawl_problem kind)
{
    switch (kind) {
    case MLS_CRAWL_PASSED_OVER: return "PASSED_OVER";
    case MLS_CRAWL_BROKEN: return "BROKEN";
    case MLS_CRAWL_UNREADABLE: return "UNREADABLE";
    }
    return "?";
}

static void on_problem(const char *path, mls_crawl_problem kind, const char *reason, void *ctx)
{
    char line[PATH_MAX + 512];
    (void)ctx;
    snprintf(line, sizeof line, "%s | %s | %s", path, kind_name(kind), reason ? reason : "(null)");
    list_add(&g_problems, line);
}

/* Crawls the roots (below the base) with the given globs; the notes and
 * problems are left in g_notes and g_problems. */
static mls_status crawl_full(const char *const *roots, const char *const *includes,
                             const char *const *excludes, int follow_all)
{
    static char root_bufs[8][PATH_MAX];
    const char *root_ptrs[8];
    size_t nroots = 0, ninc = 0, nexc = 0;
    for (; roots[nroots]; nroots++) {
        assert_true(nroots < 8);
        snprintf(root_bufs[nroots], PATH_MAX, "%s", at(roots[nroots]));
        root_ptrs[nroots] = root_bufs[nroots];
    }
    while (includes[ninc])
        ninc++;
    while (excludes[nexc])
        nexc++;
    list_free(&g_notes);
    list_free(&g_problems);
    g_bad_stat = 0;
    mls_crawl_options opt = {
        .roots = root_ptrs,
        .root_count = nroots,
        .includes = includes,
        .include_count = ninc,
        .excludes = excludes,
        .exclude_count = nexc,
        .follow_all_symlinks = follow_all,
    };
    return mls_crawl(&opt, on_note, on_problem, NULL);
}

static void crawl_ok(const char *const *roots, const char *const *includes,
                     const char *const *excludes, int follow_all)
{
    mls_status st = crawl_full(roots, includes, excludes, follow_all);
    assert_int_equal(st, MLS_OK);
    assert_int_equal(g_bad_stat, 0);
}

static void print_list(const char *what, const str_list *l)
{
    print_error("%s (%zu):\n", what, l->count);
    for (size_t i = 0; i < l->count; i++)
        print_error("  %s\n", l->items[i]);
}

/* The notes found must be exactly `rels` (below the base), in order. */
static void expect_notes(const char *const *rels)
{
    size_t n = 0;
    while (rels[n])
        n++;
    int same = g_notes.count == n;
    for (size_t i = 0; same && i < n; i++)
        same = strcmp(g_notes.items[i], at(rels[i])) == 0;
    if (!same) {
        print_list("notes found", &g_notes);
        print_error("expected (below %s):\n", g_base);
        for (size_t i = 0; i < n; i++)
            print_error("  %s\n", rels[i]);
    }
    assert_true(same);
}

/* The problems must be exactly these "REL | KIND | REASON" lines (REL
 * below the base), in order. */
static void expect_problems(const char *const *lines)
{
    size_t n = 0;
    while (lines[n])
        n++;
    int same = g_problems.count == n;
    for (size_t i = 0; same && i < n; i++)
        same = strcmp(g_problems.items[i], at(lines[i])) == 0;
    if (!same) {
        print_list("problems reported", &g_problems);
        print_error("expected (below %s):\n", g_base);
        for (size_t i = 0; i < n; i++)
            print_error("  %s\n", lines[i]);
    }
    assert_true(same);
}

static int crawl_teardown(void **state)
{
    list_free(&g_notes);
    list_free(&g_problems);
    g_stop_after = 0;
    return teardown(state);
}

#define FOUND "PASSED_OVER | already found by another path"
#define OUTSIDE "PASSED_OVER | symbolic link out of the indexed folders, not followed"

/* ------------------------------------------------------------------ */
/* mls_crawl_is_note_name, mls_crawl_glob_matches                      */
/* ------------------------------------------------------------------ */

static void test_is_note_name(void **state)
{
    (void)state;
    static const char *const yes[] = {
        "a.md",          "notes.md",
        "A.MD",          "x.Md",
        "a.markdown",    "README.MARKDOWN",
        "todo.txt",      "LOG.TXT",
        "a.TxT",         "archive.tar.md",
        "with space.md", "推論.md",
        "-.txt",         "2024-05-01.markdown",
    };
    static const char *const no[] = {
        "",          "md",     "txt",    "markdown", "a.mdx", "a.md.bak", "a.md~",
        "a.markdow", "a.text", "a.rst",  "a.org",    "amd",   "a_md",     "a-txt",
        "a.m",       "a.d",    "README", "a.md ",    "a. md", "a.pdf",
    };
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
        if (mls_crawl_is_note_name(yes[i]) != 1)
            print_error("\"%s\" is not a note name\n", yes[i]);
        assert_int_equal(mls_crawl_is_note_name(yes[i]), 1);
    }
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++) {
        if (mls_crawl_is_note_name(no[i]) != 0)
            print_error("\"%s\" is a note name\n", no[i]);
        assert_int_equal(mls_crawl_is_note_name(no[i]), 0);
    }
}

static void test_glob_names(void **state)
{
    (void)state;
    /* no '/': the name, whatever the relative path */
    assert_int_equal(mls_crawl_glob_matches("*.md", "a.md", "a.md"), 1);
    assert_int_equal(mls_crawl_glob_matches("*.md", "a.md", "x/y/a.md"), 1);
    assert_int_equal(mls_crawl_glob_matches("*.md", "a.txt", "x/a.md"), 0);
    assert_int_equal(mls_crawl_glob_matches("drafts", "drafts", "notes/drafts"), 1);
    assert_int_equal(mls_crawl_glob_matches("drafts", "drafts2", "drafts"), 0);
    assert_int_equal(mls_crawl_glob_matches("drafts", "old-drafts", "drafts"), 0);
    assert_int_equal(mls_crawl_glob_matches("?.md", "a.md", "a.md"), 1);
    assert_int_equal(mls_crawl_glob_matches("?.md", "ab.md", "ab.md"), 0);
    assert_int_equal(mls_crawl_glob_matches("[ab].md", "b.md", "b.md"), 1);
    assert_int_equal(mls_crawl_glob_matches("[ab].md", "c.md", "c.md"), 0);
    assert_int_equal(mls_crawl_glob_matches("*", "anything", "x/anything"), 1);
    assert_int_equal(mls_crawl_glob_matches("*.tmp.md", "x.tmp.md", "x.tmp.md"), 1);
    assert_int_equal(mls_crawl_glob_matches("*.tmp.md", "x.md", "x.md"), 0);

    /* case is ignored, both ways */
    assert_int_equal(mls_crawl_glob_matches("*.MD", "a.md", "a.md"), 1);
    assert_int_equal(mls_crawl_glob_matches("*.md", "A.MD", "A.MD"), 1);
    assert_int_equal(mls_crawl_glob_matches("Drafts", "dRAFTS", "dRAFTS"), 1);
    assert_int_equal(mls_crawl_glob_matches("secret*", "SECRET-plan.md", "SECRET-plan.md"), 1);
}

static void test_glob_paths(void **state)
{
    (void)state;
    /* with '/': the path below the root, whatever the name */
    assert_int_equal(mls_crawl_glob_matches("docs/old-*", "old-2019", "docs/old-2019"), 1);
    assert_int_equal(mls_crawl_glob_matches("docs/old-*", "old-2019", "other/docs/old-2019"), 0);
    assert_int_equal(mls_crawl_glob_matches("docs/old-*", "docs/old-2019", "old-2019"), 0);
    assert_int_equal(mls_crawl_glob_matches("docs/old-*", "old-2019", "docs/new"), 0);
    assert_int_equal(mls_crawl_glob_matches("docs/a.md", "a.md", "docs/a.md"), 1);
    assert_int_equal(mls_crawl_glob_matches("docs/a.md", "a.md", "a.md"), 0);
    assert_int_equal(mls_crawl_glob_matches("journal/*.log", "d.log", "journal/d.log"), 1);
    assert_int_equal(mls_crawl_glob_matches("journal/*.log", "d.log", "other/d.log"), 0);
    /* case is ignored in paths too */
    assert_int_equal(mls_crawl_glob_matches("DOCS/Old-*", "old-2019", "docs/old-2019"), 1);
    assert_int_equal(mls_crawl_glob_matches("docs/old-*", "OLD-2019", "Docs/OLD-2019"), 1);
    assert_int_equal(mls_crawl_glob_matches("Archive/2019", "2019", "archive/2019"), 1);
}

/* ------------------------------------------------------------------ */
/* mls_crawl: what is a note, and in what order                        */
/* ------------------------------------------------------------------ */

static void test_crawl_sorted_defaults(void **state)
{
    (void)state;
    make_base();
    make_files(L("root/b.md", "root/a.txt", "root/c.markdown", "root/d.MD", "root/e.pdf",
                 "root/notes", "root/x.md.bak", "root/z.txt", "root/0.md", "root/sub/x.md",
                 "root/sub/deeper/y.md", "root/dir.md/inner.md", "root/sub/deeper/deepest/w.txt"));
    make_dir("root/empty");
    /* a named pipe with a note's name is not a note, and is said so; one
     * with another name is not a note either, in silence */
    assert_int_equal(mkfifo(at("root/fifo.md"), 0644), 0);
    assert_int_equal(mkfifo(at("root/fifo"), 0644), 0);

    crawl_ok(L("root"), NONE, NONE, 0);
    expect_notes(L("root/0.md", "root/a.txt", "root/b.md", "root/c.markdown", "root/d.MD",
                   "root/dir.md/inner.md", "root/sub/deeper/deepest/w.txt", "root/sub/deeper/y.md",
                   "root/sub/x.md", "root/z.txt"));
    expect_problems(L("root/fifo.md | PASSED_OVER | not a regular file, skipped"));
    release(g_base);
}

static void test_crawl_stat(void **state)
{
    (void)state;
    make_base();
    make_file("root/a.md", "hello");
    make_file("root/b.md", "");
    make_file("file.txt", "0123456789");
    crawl_ok(L("root", "file.txt"), NONE, NONE, 0);
    expect_notes(L("root/a.md", "root/b.md", "file.txt"));
    /* on_note compared each stat with the file's (g_bad_stat is 0) */
    expect_problems(NONE);
    release(g_base);
}

static void test_crawl_hidden(void **state)
{
    (void)state;
    make_base();
    make_files(L("root/visible.md", "root/.hidden.md", "root/.git/x.md", "root/.obsidian/y.md",
                 "root/sub/.cache/c.md", "root/sub/kept.txt", "root/sub/.z.txt"));
    crawl_ok(L("root"), NONE, NONE, 0);
    expect_notes(L("root/sub/kept.txt", "root/visible.md"));
    expect_problems(NONE);

    /* an include glob matching everything still leaves them out */
    crawl_ok(L("root"), L("*"), NONE, 0);
    expect_notes(L("root/sub/kept.txt", "root/visible.md"));
    expect_problems(NONE);
    release(g_base);
}

static void test_crawl_includes(void **state)
{
    (void)state;
    make_base();
    make_files(L("root/a.md", "root/b.org", "root/c.ORG", "root/x.txt", "root/notes.org.bak",
                 "root/journal/d.log", "root/journal/e.md", "root/other/f.log",
                 "root/other/g.org"));
    crawl_ok(L("root"), L("*.org", "journal/*.LOG"), NONE, 0);
    expect_notes(L("root/b.org", "root/c.ORG", "root/journal/d.log", "root/other/g.org"));
    expect_problems(NONE);

    /* the defaults are gone as soon as there is one include */
    crawl_ok(L("root"), L("nothing-matches-this"), NONE, 0);
    expect_notes(NONE);
    expect_problems(NONE);

    crawl_ok(L("root"), L("*.md"), NONE, 0);
    expect_notes(L("root/a.md", "root/journal/e.md"));
    expect_problems(NONE);
    release(g_base);
}

static void test_crawl_excludes_names(void **state)
{
    (void)state;
    make_base();
    make_files(L("root/a.md", "root/drafts/b.md", "root/drafts/deep/c.md", "root/sub/drafts/d.md",
                 "root/sub/keep.md", "root/x.tmp.md", "root/SECRET-plan.md", "root/Drafts2/e.md",
                 "root/drafts.md", "root/sub/secret/f.md"));
    crawl_ok(L("root"), NONE, L("drafts", "*.tmp.md", "secret*", "DRAFTS2"), 0);
    expect_notes(L("root/a.md", "root/drafts.md", "root/sub/keep.md"));
    expect_problems(NONE);
    release(g_base);
}

static void test_crawl_excludes_paths(void **state)
{
    (void)state;
    make_base();
    make_files(L("root/docs/old-2019/a.md", "root/docs/old-notes.md", "root/docs/new/b.md",
                 "root/docs/c.md", "root/other/docs/old-1/d.md", "root/archive/2019/e.md",
                 "root/archive/2020/f.md", "root/old-x/g.md"));
    crawl_ok(L("root"), NONE, L("docs/old-*", "Archive/2019"), 0);
    expect_notes(L("root/archive/2020/f.md", "root/docs/c.md", "root/docs/new/b.md",
                   "root/old-x/g.md", "root/other/docs/old-1/d.md"));
    expect_problems(NONE);

    /* excluding one note by its path */
    crawl_ok(L("root"), NONE, L("docs/c.md"), 0);
    expect_notes(L("root/archive/2019/e.md", "root/archive/2020/f.md", "root/docs/new/b.md",
                   "root/docs/old-2019/a.md", "root/docs/old-notes.md", "root/old-x/g.md",
                   "root/other/docs/old-1/d.md"));
    expect_problems(NONE);
    release(g_base);
}

/* Excluded folders are not looked into: a broken link in one is silent. */
static void test_crawl_excluded_not_looked_at(void **state)
{
    (void)state;
    make_base();
    make_files(L("root/a.md", "root/skip/b.md"));
    make_link("@nowhere.md", "root/skip/broken.md");
    make_link("@nowhere.md", "root/skipped-link.md");
    make_link("@nowhere.md", "root/.hidden-link.md");
    crawl_ok(L("root"), NONE, L("skip*"), 0);
    expect_notes(L("root/a.md"));
    expect_problems(NONE);
    release(g_base);
}

static void test_crawl_root_file(void **state)
{
    (void)state;
    make_base();
    make_files(L("files/README", "files/doc.pdf", "files/.hidden-note", "dir/a.md", "dir/README"));
    crawl_ok(L("files/README", "dir", "files/doc.pdf", "files/.hidden-note"), NONE, NONE, 0);
    expect_notes(L("files/README", "dir/a.md", "files/doc.pdf", "files/.hidden-note"));
    expect_problems(NONE);

    /* whatever the include globs say */
    crawl_ok(L("files/README", "dir"), L("*.org"), NONE, 0);
    expect_notes(L("files/README"));
    expect_problems(NONE);
    release(g_base);
}

/* A root that cannot be walked is reported, and the next one walked. */
static void test_crawl_bad_roots(void **state)
{
    (void)state;
    make_base();
    make_files(L("root/a.md"));
    assert_int_equal(mkfifo(at("pipe"), 0644), 0);
    crawl_ok(L("missing", "pipe", "root"), NONE, NONE, 0);
    expect_notes(L("root/a.md"));
    char missing[256];
    snprintf(missing, sizeof missing, "missing | UNREADABLE | cannot read: %s", strerror(ENOENT));
    expect_problems(L(missing, "pipe | UNREADABLE | not a regular file or directory"));
    release(g_base);
}

static void test_crawl_unreadable_dir(void **state)
{
    (void)state;
    if (geteuid() == 0)
        skip(); /* root reads any folder */
    make_base();
    make_files(L("root/a.md", "root/locked/b.md", "root/z.md"));
    assert_int_equal(chmod(at("root/locked"), 0), 0);
    mls_status st = crawl_full(L("root"), NONE, NONE, 0);
    chmod(at("root/locked"), 0755);
    assert_int_equal(st, MLS_OK);
    expect_notes(L("root/a.md", "root/z.md"));
    char locked[256];
    snprintf(locked, sizeof locked, "root/locked | UNREADABLE | cannot open directory: %s",
             strerror(EACCES));
    expect_problems(L(locked));
    release(g_base);
}

/* ------------------------------------------------------------------ */
/* mls_crawl: each file once                                           */
/* ------------------------------------------------------------------ */

static void test_crawl_roots_twice_or_nested(void **state)
{
    (void)state;
    make_base();
    make_files(L("root/a.md", "root/sub/b.md", "root/z.md"));

    crawl_ok(L("root", "root", "root/sub", "root/sub/b.md"), NONE, NONE, 0);
    expect_notes(L("root/a.md", "root/sub/b.md", "root/z.md"));
    expect_problems(NONE);

    /* the inner root first: its notes come first, and the walk of the
     * outer one meets the inner folder again */
    crawl_ok(L("root/sub", "root"), NONE, NONE, 0);
    expect_notes(L("root/sub/b.md", "root/a.md", "root/z.md"));
    expect_problems(L("root/sub | " FOUND));

    crawl_ok(L("root/sub/b.md", "root"), NONE, NONE, 0);
    expect_notes(L("root/sub/b.md", "root/a.md", "root/z.md"));
    expect_problems(L("root/sub/b.md | " FOUND));
    release(g_base);
}

static void test_crawl_hard_link(void **state)
{
    (void)state;
    make_base();
    make_files(L("root/z.md", "root/a.md"));
    make_hard_link("root/z.md", "root/m.md");
    crawl_ok(L("root"), NONE, NONE, 0);
    /* two real paths: the first in order is the one found */
    expect_notes(L("root/a.md", "root/m.md"));
    expect_problems(L("root/z.md | " FOUND));
    release(g_base);
}

static void test_crawl_symlink_to_note(void **state)
{
    (void)state;
    make_base();
    make_files(L("root/z.md", "root/sub/n.md"));
    make_link("z.md", "root/a-link.md");             /* relative */
    make_link("@root/z.md", "root/sub/abs-link.md"); /* absolute */
    make_link("sub", "root/a-dir-link");             /* a folder */
    crawl_ok(L("root"), NONE, NONE, 0);
    /* the links sort first, but the real paths are the ones found */
    expect_notes(L("root/sub/n.md", "root/z.md"));
    expect_problems(L("root/a-dir-link | " FOUND, "root/a-link.md | " FOUND,
                      "root/sub/abs-link.md | " FOUND));
    release(g_base);
}

/* A hard link and a symbolic link to one note: found once, the symbolic
 * link after the real paths. */
static void test_crawl_hard_and_symbolic_link(void **state)
{
    (void)state;
    make_base();
    make_files(L("root/n.md"));
    make_link("n.md", "root/a-link.md");
    make_hard_link("root/n.md", "root/x-hard.md");
    crawl_ok(L("root"), NONE, NONE, 0);
    expect_notes(L("root/n.md"));
    expect_problems(L("root/x-hard.md | " FOUND, "root/a-link.md | " FOUND));
    release(g_base);
}

/* Links are followed after every root is walked. */
static void test_crawl_link_into_later_root(void **state)
{
    (void)state;
    make_base();
    make_files(L("r1/a.md", "r2/n.md"));
    make_link("@r2/n.md", "r1/l.md");
    make_link("../r2", "r1/r2-link");
    crawl_ok(L("r1", "r2"), NONE, NONE, 0);
    expect_notes(L("r1/a.md", "r2/n.md"));
    expect_problems(L("r1/l.md | " FOUND, "r1/r2-link | " FOUND));
    release(g_base);
}

static void test_crawl_symlink_loop(void **state)
{
    (void)state;
    make_base();
    make_files(L("root/b.md", "root/sub/a.md"));
    make_link("..", "root/sub/up");
    make_link(".", "root/sub/self-dir");
    make_link("@root", "root/sub/root-abs");
    crawl_ok(L("root"), NONE, NONE, 0);
    expect_notes(L("root/b.md", "root/sub/a.md"));
    expect_problems(L("root/sub/root-abs | " FOUND, "root/sub/self-dir | " FOUND,
                      "root/sub/up | " FOUND));
    release(g_base);
}

/* ------------------------------------------------------------------ */
/* mls_crawl: links out of the roots, broken links                     */
/* ------------------------------------------------------------------ */

static void make_out_tree(void)
{
    make_files(L("out/o.md", "out/sub/p.md", "root/a.md", "root2/q.md"));
    make_link("@out/o.md", "root/ext.md");
    make_link("@out", "root/extdir");
    make_link("../out/o.md", "root/sibling.md");
    /* "root2" begins with "root" but is not inside it */
    make_link("@root2/q.md", "root/two.md");
}

static void test_crawl_link_out_of_roots(void **state)
{
    (void)state;
    make_base();
    make_out_tree();
    crawl_ok(L("root"), NONE, NONE, 0);
    expect_notes(L("root/a.md"));
    expect_problems(L("root/ext.md | " OUTSIDE, "root/extdir | " OUTSIDE,
                      "root/sibling.md | " OUTSIDE, "root/two.md | " OUTSIDE));

    /* a link into another root is inside */
    crawl_ok(L("root", "root2"), NONE, NONE, 0);
    expect_notes(L("root/a.md", "root2/q.md"));
    expect_problems(L("root/ext.md | " OUTSIDE, "root/extdir | " OUTSIDE,
                      "root/sibling.md | " OUTSIDE, "root/two.md | " FOUND));
    release(g_base);
}

static void test_crawl_follow_all_symlinks(void **state)
{
    (void)state;
    make_base();
    make_out_tree();
    crawl_ok(L("root"), NONE, NONE, 1);
    /* found through the links, under the links' paths, each once */
    expect_notes(L("root/a.md", "root/ext.md", "root/extdir/sub/p.md", "root/two.md"));
    expect_problems(L("root/extdir/o.md | " FOUND, "root/sibling.md | " FOUND));
    release(g_base);
}

/* With follow_all_symlinks, a link out that leads back in ends. */
static void test_crawl_follow_all_loop(void **state)
{
    (void)state;
    make_base();
    make_files(L("root/b.md", "root/sub/a.md", "out/o.md"));
    make_link("@root", "out/back");
    make_link("@out", "root/out-link");
    make_link("..", "root/sub/up");

    crawl_ok(L("root"), NONE, NONE, 0);
    expect_notes(L("root/b.md", "root/sub/a.md"));
    expect_problems(L("root/out-link | " OUTSIDE, "root/sub/up | " FOUND));

    crawl_ok(L("root"), NONE, NONE, 1);
    expect_notes(L("root/b.md", "root/sub/a.md", "root/out-link/o.md"));
    expect_problems(L("root/sub/up | " FOUND, "root/out-link/back | " FOUND));
    release(g_base);
}

static void test_crawl_broken_links(void **state)
{
    (void)state;
    make_base();
    make_files(L("root/a.md"));
    make_link("missing.md", "root/broken.md");
    make_link("/nonexistent-mls-test/dir", "root/dangling");
    make_link("self.md", "root/self.md");
    crawl_ok(L("root"), NONE, NONE, 0);
    expect_notes(L("root/a.md"));
    char broken[256], dangling[256], self[256];
    snprintf(broken, sizeof broken, "root/broken.md | BROKEN | broken symbolic link, skipped: %s",
             strerror(ENOENT));
    snprintf(dangling, sizeof dangling,
             "root/dangling | BROKEN | broken symbolic link, skipped: %s", strerror(ENOENT));
    /* a link to itself cannot be resolved either */
    snprintf(self, sizeof self, "root/self.md | BROKEN | broken symbolic link, skipped: %s",
             strerror(ELOOP));
    expect_problems(L(broken, dangling, self));

    /* the same with every link followed */
    crawl_ok(L("root"), NONE, NONE, 1);
    expect_notes(L("root/a.md"));
    expect_problems(L(broken, dangling, self));
    release(g_base);
}

/* ------------------------------------------------------------------ */
/* mls_crawl: stopping                                                 */
/* ------------------------------------------------------------------ */

static void test_crawl_stop(void **state)
{
    (void)state;
    make_base();
    make_files(L("root/a.md", "root/sub/b.md", "root/sub/c.md", "root/z.md", "root2/d.md",
                 "file.md", "out/o.md"));
    make_link("@out/o.md", "root/0-link.md");

    /* the link sorts first: it is met (and reported) before a.md */
    g_stop_after = 1;
    crawl_ok(L("root"), NONE, NONE, 0);
    expect_notes(L("root/a.md"));
    expect_problems(L("root/0-link.md | " OUTSIDE));

    /* stopped inside a folder: nothing after it, not even the links */
    g_stop_after = 2;
    crawl_ok(L("root", "root2"), NONE, NONE, 0);
    expect_notes(L("root/a.md", "root/sub/b.md"));
    expect_problems(L("root/0-link.md | " OUTSIDE));

    /* the last note of a root: the next root is not walked */
    g_stop_after = 4;
    crawl_ok(L("root", "root2"), NONE, NONE, 1);
    expect_notes(L("root/a.md", "root/sub/b.md", "root/sub/c.md", "root/z.md"));
    expect_problems(NONE);

    /* a root that is a file */
    g_stop_after = 1;
    crawl_ok(L("file.md", "root"), NONE, NONE, 0);
    expect_notes(L("file.md"));
    expect_problems(NONE);

    /* not stopped: everything, the followed link last */
    g_stop_after = 0;
    crawl_ok(L("root", "root2"), NONE, NONE, 1);
    expect_notes(L("root/a.md", "root/sub/b.md", "root/sub/c.md", "root/z.md", "root2/d.md",
                   "root/0-link.md"));
    expect_problems(NONE);

    /* stopped on the last real note: the link is not followed */
    g_stop_after = 5;
    crawl_ok(L("root", "root2"), NONE, NONE, 1);
    expect_notes(L("root/a.md", "root/sub/b.md", "root/sub/c.md", "root/z.md", "root2/d.md"));
    expect_problems(NONE);
    release(g_base);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_is_note_name, crawl_teardown),
        cmocka_unit_test_teardown(test_glob_names, crawl_teardown),
        cmocka_unit_test_teardown(test_glob_paths, crawl_teardown),
        cmocka_unit_test_teardown(test_crawl_sorted_defaults, crawl_teardown),
        cmocka_unit_test_teardown(test_crawl_stat, crawl_teardown),
        cmocka_unit_test_teardown(test_crawl_hidden, crawl_teardown),
        cmocka_unit_test_teardown(test_crawl_includes, crawl_teardown),
        cmocka_unit_test_teardown(test_crawl_excludes_names, crawl_teardown),
        cmocka_unit_test_teardown(test_crawl_excludes_paths, crawl_teardown),
        cmocka_unit_test_teardown(test_crawl_excluded_not_looked_at, crawl_teardown),
        cmocka_unit_test_teardown(test_crawl_root_file, crawl_teardown),
        cmocka_unit_test_teardown(test_crawl_bad_roots, crawl_teardown),
        cmocka_unit_test_teardown(test_crawl_unreadable_dir, crawl_teardown),
        cmocka_unit_test_teardown(test_crawl_roots_twice_or_nested, crawl_teardown),
        cmocka_unit_test_teardown(test_crawl_hard_link, crawl_teardown),
        cmocka_unit_test_teardown(test_crawl_symlink_to_note, crawl_teardown),
        cmocka_unit_test_teardown(test_crawl_hard_and_symbolic_link, crawl_teardown),
        cmocka_unit_test_teardown(test_crawl_link_into_later_root, crawl_teardown),
        cmocka_unit_test_teardown(test_crawl_symlink_loop, crawl_teardown),
        cmocka_unit_test_teardown(test_crawl_link_out_of_roots, crawl_teardown),
        cmocka_unit_test_teardown(test_crawl_follow_all_symlinks, crawl_teardown),
        cmocka_unit_test_teardown(test_crawl_follow_all_loop, crawl_teardown),
        cmocka_unit_test_teardown(test_crawl_broken_links, crawl_teardown),
        cmocka_unit_test_teardown(test_crawl_stop, crawl_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
