/* crawl.c - walking a notes tree (see crawl.h). */
#include "mlsearch/crawl.h"
#include "mlsearch/grow.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The directories open on the current path, to notice a loop. */
typedef struct ancestor {
    dev_t dev;
    ino_t ino;
    const struct ancestor *parent;
} ancestor;

typedef struct crawl {
    mls_crawl_note_fn note;
    mls_crawl_problem_fn problem;
    void *ctx;
    int stopped;
} crawl;

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

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void report_errno(crawl *c, const char *path, const char *what, int serious)
{
    char reason[256];
    snprintf(reason, sizeof reason, "%s: %s", what, strerror(errno));
    c->problem(path, reason, serious, c->ctx);
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
        report_errno(c, path, "cannot open directory", 1);
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
        report_errno(c, path, "cannot read directory", 1);
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

static mls_status walk(crawl *c, const char *path, const ancestor *up)
{
    char **names;
    size_t count;
    mls_status st = list_dir(c, path, &names, &count);

    for (size_t i = 0; i < count && !st && !c->stopped; i++) {
        size_t len = strlen(path) + 1 + strlen(names[i]) + 1;
        char *child = malloc(len);
        struct stat lst, st_target;
        if (!child) {
            st = MLS_ERR_NOMEM;
            break;
        }
        snprintf(child, len, "%s/%s", strcmp(path, "/") ? path : "", names[i]);
        if (lstat(child, &lst) != 0) {
            report_errno(c, child, "cannot stat", 1);
        } else if (S_ISDIR(lst.st_mode)) {
            const ancestor *a = up;
            while (a && !(a->dev == lst.st_dev && a->ino == lst.st_ino))
                a = a->parent;
            if (a) {
                c->problem(child, "directory loop, skipped", 0, c->ctx);
            } else {
                ancestor here = {lst.st_dev, lst.st_ino, up};
                st = walk(c, child, &here);
            }
        } else if (mls_crawl_is_note_name(names[i])) {
            if (S_ISREG(lst.st_mode)) {
                c->stopped = c->note(child, &lst, c->ctx);
            } else if (S_ISLNK(lst.st_mode)) {
                if (stat(child, &st_target) != 0)
                    report_errno(c, child, "broken symbolic link, skipped", 0);
                else if (S_ISREG(st_target.st_mode))
                    c->stopped = c->note(child, &st_target, c->ctx);
            }
        }
        free(child);
    }
    for (size_t i = 0; i < count; i++)
        free(names[i]);
    free(names);
    return st;
}

mls_status mls_crawl(const char *root, mls_crawl_note_fn note,
                     mls_crawl_problem_fn problem, void *ctx)
{
    crawl c = {note, problem, ctx, 0};
    struct stat st;

    if (stat(root, &st) != 0) {
        report_errno(&c, root, "cannot read", 1);
        return MLS_OK;
    }
    if (S_ISREG(st.st_mode)) {
        note(root, &st, ctx);
        return MLS_OK;
    }
    if (!S_ISDIR(st.st_mode)) {
        problem(root, "not a regular file or directory", 1, ctx);
        return MLS_OK;
    }
    ancestor top = {st.st_dev, st.st_ino, NULL};
    return walk(&c, root, &top);
}
