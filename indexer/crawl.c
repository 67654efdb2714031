/* crawl.c - walking the notes trees (see crawl.h). */
#define _GNU_SOURCE /* FNM_CASEFOLD */
#include "mlsearch/internal/crawl.h"
#include "mlsearch/internal/grow.h"
#include "mlsearch/internal/ignore.h"

#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* A set of (device, inode) pairs: open addressing, linear probing. */
typedef struct file_id {
    dev_t dev;
    ino_t ino;
} file_id;

typedef struct id_set {
    file_id *slots;
    unsigned char *used;
    size_t count, size; /* size: 0 or a power of two */
} id_set;

/* A symbolic link met during the walk, followed once the walk is done. */
typedef struct link {
    char *path, *relative;
    size_t root; /* the root it was found under */
} link;

typedef struct crawl {
    const mls_crawl_options *opt;
    mls_crawl_note_fn note;
    mls_crawl_problem_fn problem;
    void *ctx;
    id_set seen; /* files and folders already visited */
    link *links;
    size_t link_count, link_capacity;
    mls_ignore **above; /* per root, the rules of the folders above it */
    size_t walking;     /* the root being walked */
    int stopped;
} crawl;

static size_t id_hash(file_id id)
{
    uint64_t h = ((uint64_t)id.dev * 0x9E3779B97F4A7C15u) ^ (uint64_t)id.ino;
    h ^= h >> 29;
    return (size_t)(h * 0xBF58476D1CE4E5B9u);
}

/* Adds `id`; 1 if it was new, 0 if already there, -1 out of memory. */
static int id_set_add(id_set *s, file_id id)
{
    if (2 * (s->count + 1) > s->size) {
        id_set bigger = {0};
        bigger.size = s->size ? 2 * s->size : 256;
        bigger.slots = malloc(bigger.size * sizeof *bigger.slots);
        bigger.used = calloc(bigger.size, 1);
        if (!bigger.slots || !bigger.used) {
            free(bigger.slots);
            free(bigger.used);
            return -1;
        }
        for (size_t i = 0; i < s->size; i++)
            if (s->used[i])
                id_set_add(&bigger, s->slots[i]);
        free(s->slots);
        free(s->used);
        *s = bigger;
    }
    for (size_t i = id_hash(id) & (s->size - 1);; i = (i + 1) & (s->size - 1)) {
        if (!s->used[i]) {
            s->used[i] = 1;
            s->slots[i] = id;
            s->count++;
            return 1;
        }
        if (s->slots[i].dev == id.dev && s->slots[i].ino == id.ino)
            return 0;
    }
}

int mls_crawl_is_note_name(const char *name)
{
    static const char *const extensions[] = {".md", ".markdown", ".txt"};
    size_t len = strlen(name);
    for (size_t i = 0; i < sizeof extensions / sizeof extensions[0]; i++) {
        size_t n = strlen(extensions[i]);
        if (len > n && strcasecmp(name + len - n, extensions[i]) == 0)
            return 1;
    }
    return 0;
}

int mls_crawl_glob_matches(const char *glob, const char *name, const char *relative)
{
    return fnmatch(glob, strchr(glob, '/') ? relative : name, FNM_CASEFOLD) == 0;
}

static int matches_any(const char *const *globs, size_t n, const char *name, const char *relative)
{
    for (size_t i = 0; i < n; i++)
        if (mls_crawl_glob_matches(globs[i], name, relative))
            return 1;
    return 0;
}

static int is_note(const crawl *c, const char *name, const char *relative)
{
    if (c->opt->include_count == 0)
        return mls_crawl_is_note_name(name);
    return matches_any(c->opt->includes, c->opt->include_count, name, relative);
}

int mls_path_is_under(const char *path, const char *root)
{
    size_t n = strlen(root);
    return strncmp(path, root, n) == 0 &&
           (path[n] == '\0' || path[n] == '/' || (n == 1 && root[0] == '/'));
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void report_errno(crawl *c, const char *path, mls_crawl_problem kind, const char *what)
{
    char reason[256];
    snprintf(reason, sizeof reason, "%s: %s", what, strerror(errno));
    c->problem(path, kind, reason, c->ctx);
}

/* Reads the names in `dir`, hidden ones left out, sorted. */
static mls_status list_dir(crawl *c, const char *path, char ***out, size_t *count)
{
    DIR *dir = opendir(path);
    size_t n = 0, cap = 0;
    char **names = NULL;
    struct dirent *e;

    *out = NULL;
    *count = 0;
    if (!dir) {
        report_errno(c, path, MLS_CRAWL_UNREADABLE, "cannot open directory");
        return MLS_OK;
    }
    while ((errno = 0, e = readdir(dir)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        if (!mls_grow(&names, &cap, n + 1, sizeof *names))
            goto nomem;
        if (!(names[n] = strdup(e->d_name)))
            goto nomem;
        n++;
    }
    if (errno)
        report_errno(c, path, MLS_CRAWL_UNREADABLE, "cannot read directory");
    closedir(dir);
    if (n > 1)
        qsort(names, n, sizeof *names, compare_names);
    *out = names;
    *count = n;
    return MLS_OK;
nomem:
    while (n)
        free(names[--n]);
    free(names);
    closedir(dir);
    return MLS_ERR_NOMEM;
}

static char *join(const char *dir, const char *name)
{
    size_t len = strlen(dir) + 1 + strlen(name) + 1;
    char *s = malloc(len);
    if (s)
        snprintf(s, len, "%s%s%s", dir, *dir && strcmp(dir, "/") ? "/" : "", name);
    return s;
}

/* A link whose target cannot be reached: broken when the target is
 * missing (or the link loops), unreadable otherwise (a mount that is down,
 * a permission), so that what the index has through it is kept. */
static void report_link(crawl *c, const char *path)
{
    int broken = errno == ENOENT || errno == ENOTDIR || errno == ELOOP;
    report_errno(c, path, broken ? MLS_CRAWL_BROKEN : MLS_CRAWL_UNREADABLE,
                 broken ? "broken symbolic link, skipped" : "cannot follow symbolic link");
}

/* 1 if `path` (of lstat `lst`) is a folder, or a link to one: `archive/`
 * in an ignore file is also a link to a folder. */
static int is_folder(const char *path, const struct stat *lst)
{
    struct stat target;
    return S_ISDIR(lst->st_mode) ||
           (S_ISLNK(lst->st_mode) && stat(path, &target) == 0 && S_ISDIR(target.st_mode));
}

/* 1 if what `target` (a real path inside root `r`) is, or a folder it
 * lies in, is excluded by an ignore file: a link to it leads nowhere the
 * walk would go.  -1: out of memory. */
static int ignored_target(const crawl *c, size_t r, const char *target)
{
    const char *root = c->opt->roots[r];
    size_t n = strlen(root);
    const char *rel = target[n] == '/' ? target + n + 1 : target + n, *slash = strrchr(rel, '/');
    char *dir = strndup(rel, slash ? (size_t)(slash - rel) : 0);
    mls_ignore *rules = NULL;
    int ignored = 0;
    struct stat st;
    if (!dir || mls_ignore_chain(root, c->above[r], dir, &rules, &ignored) != MLS_OK) {
        free(dir);
        return -1;
    }
    if (!ignored && *rel)
        ignored = mls_ignore_matches(rules, rel, stat(target, &st) == 0 && S_ISDIR(st.st_mode));
    mls_ignore_free(rules);
    free(dir);
    return ignored;
}

/* A link is followed if it leads inside a root (or any link may be). */
static mls_status note_link(crawl *c, const char *path, const char *relative)
{
    char *target = realpath(path, NULL);
    int inside = 0;
    if (!target) {
        report_link(c, path);
        return MLS_OK;
    }
    size_t r = 0;
    for (size_t i = 0; i < c->opt->root_count && !inside; i++)
        if ((inside = mls_path_is_under(target, c->opt->roots[i])))
            r = i;
    int ignored = inside && c->opt->ignore_files ? ignored_target(c, r, target) : 0;
    free(target);
    if (ignored < 0)
        return MLS_ERR_NOMEM;
    if (ignored) {
        c->problem(path, MLS_CRAWL_PASSED_OVER,
                   "symbolic link to what an ignore file excludes, not followed", c->ctx);
        return MLS_OK;
    }
    if (!inside && !c->opt->follow_all_symlinks) {
        c->problem(path, MLS_CRAWL_PASSED_OVER,
                   "symbolic link out of the indexed folders, not followed", c->ctx);
        return MLS_OK;
    }
    link l = {strdup(path), strdup(relative), c->walking};
    if (!l.path || !l.relative ||
        !mls_grow(&c->links, &c->link_capacity, c->link_count + 1, sizeof *c->links)) {
        free(l.path);
        free(l.relative);
        return MLS_ERR_NOMEM;
    }
    c->links[c->link_count++] = l;
    return MLS_OK;
}

static mls_status walk(crawl *c, const char *path, const char *relative, const mls_ignore *up);

/* Visits one path whose stat (links followed) is `st`: a folder is walked
 * (under the ignore rules `up`), a note reported, each once. */
static mls_status visit(crawl *c, const char *path, const char *name, const char *relative,
                        const struct stat *st, const mls_ignore *up)
{
    int fresh;
    if (!S_ISDIR(st->st_mode) && !is_note(c, name, relative))
        return MLS_OK;
    if (!S_ISDIR(st->st_mode) && !S_ISREG(st->st_mode)) {
        /* A FIFO would block a reader, a device never end: not opened. */
        c->problem(path, MLS_CRAWL_PASSED_OVER, "not a regular file, skipped", c->ctx);
        return MLS_OK;
    }
    fresh = id_set_add(&c->seen, (file_id){st->st_dev, st->st_ino});
    if (fresh < 0)
        return MLS_ERR_NOMEM;
    if (!fresh) {
        c->problem(path, MLS_CRAWL_PASSED_OVER, "already found by another path", c->ctx);
        return MLS_OK;
    }
    if (S_ISDIR(st->st_mode))
        return walk(c, path, relative, up);
    c->stopped = c->note(path, st, c->ctx);
    return MLS_OK;
}

static mls_status walk(crawl *c, const char *path, const char *relative, const mls_ignore *up)
{
    char **names;
    size_t count;
    mls_ignore *ignore = NULL;
    mls_status st = list_dir(c, path, &names, &count);

    if (!st && c->opt->ignore_files)
        st = mls_ignore_enter(up, path, relative, &ignore);
    for (size_t i = 0; i < count && !st && !c->stopped; i++) {
        char *child = join(path, names[i]), *rel = join(relative, names[i]);
        struct stat lst;
        if (!child || !rel)
            st = MLS_ERR_NOMEM;
        else if (matches_any(c->opt->excludes, c->opt->exclude_count, names[i], rel))
            ; /* excluded: not even looked at */
        else if (lstat(child, &lst) != 0) {
            if (errno != ENOENT) /* ENOENT: deleted since the listing */
                report_errno(c, child, MLS_CRAWL_UNREADABLE, "cannot stat");
        } else if (ignore && mls_ignore_matches(ignore, rel, is_folder(child, &lst))) {
            ; /* an ignore file says so: not even looked at */
        } else if (S_ISLNK(lst.st_mode)) {
            st = note_link(c, child, rel);
        } else {
            st = visit(c, child, names[i], rel, &lst, ignore);
        }
        free(child);
        free(rel);
    }
    mls_ignore_free(ignore);
    for (size_t i = 0; i < count; i++)
        free(names[i]);
    free(names);
    return st;
}

/* Follows the links met so far (and those met through them).  What a link
 * leads to is walked under the rules in force where the link lies, as
 * ripgrep does: the ignore files of the folders above it, read again. */
static mls_status follow_links(crawl *c)
{
    mls_status st = MLS_OK;
    for (size_t i = 0; i < c->link_count && !st && !c->stopped; i++) {
        const char *path = c->links[i].path, *rel = c->links[i].relative;
        const char *slash = strrchr(rel, '/');
        struct stat target;
        mls_ignore *up = NULL;
        int ignored = 0;
        if (stat(path, &target) != 0) {
            report_link(c, path);
            continue;
        }
        c->walking = c->links[i].root;
        if (S_ISDIR(target.st_mode) && c->opt->ignore_files) {
            char *folder = strndup(rel, slash ? (size_t)(slash - rel) : 0);
            st = folder ? mls_ignore_chain(c->opt->roots[c->walking], c->above[c->walking], folder,
                                           &up, &ignored)
                        : MLS_ERR_NOMEM;
            free(folder);
        }
        if (!st && !ignored)
            st = visit(c, path, slash ? slash + 1 : rel, rel, &target, up);
        mls_ignore_free(up);
    }
    return st;
}

/* The rules of the ignore files above root `r` into c->above[r]. */
static mls_status above_root(crawl *c, size_t r)
{
    char *real;
    if (!c->opt->ignore_files)
        return MLS_OK;
    if (!(real = realpath(c->opt->roots[r], NULL)))
        return errno == ENOMEM ? MLS_ERR_NOMEM : MLS_OK; /* (gone since the stat) */
    mls_status st = mls_ignore_above(real, &c->above[r]);
    free(real);
    return st;
}

mls_status mls_crawl(const mls_crawl_options *opt, mls_crawl_note_fn note,
                     mls_crawl_problem_fn problem, void *ctx)
{
    crawl c = {.opt = opt, .note = note, .problem = problem, .ctx = ctx};
    mls_status st = MLS_OK;

    if (opt->root_count && !(c.above = calloc(opt->root_count, sizeof *c.above)))
        return MLS_ERR_NOMEM;
    /* Every root's first: a link in one may lead into another. */
    for (size_t i = 0; i < opt->root_count && !st; i++)
        st = above_root(&c, i);

    for (size_t i = 0; i < opt->root_count && !st && !c.stopped; i++) {
        const char *root = opt->roots[i];
        struct stat sb;
        int fresh;
        if (stat(root, &sb) != 0) {
            report_errno(&c, root, MLS_CRAWL_UNREADABLE, "cannot read");
        } else if (!S_ISREG(sb.st_mode) && !S_ISDIR(sb.st_mode)) {
            problem(root, MLS_CRAWL_UNREADABLE, "not a regular file or directory", ctx);
        } else if ((fresh = id_set_add(&c.seen, (file_id){sb.st_dev, sb.st_ino})) < 0) {
            st = MLS_ERR_NOMEM;
        } else if (!fresh) {
            ; /* a root given twice, or inside another: walked already */
        } else if (S_ISREG(sb.st_mode)) {
            c.stopped = note(root, &sb, ctx);
        } else {
            c.walking = i;
            st = walk(&c, root, "", c.above[i]);
        }
    }
    if (!st)
        st = follow_links(&c);
    for (size_t i = 0; i < c.link_count; i++) {
        free(c.links[i].path);
        free(c.links[i].relative);
    }
    free(c.links);
    for (size_t i = 0; i < opt->root_count; i++)
        mls_ignore_free(c.above[i]);
    free(c.above);
    free(c.seen.slots);
    free(c.seen.used);
    return st;
}
