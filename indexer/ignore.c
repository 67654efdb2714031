/* ignore.c - git's ignore rules over a notes tree (see ignore.h). */
#include "mlsearch/internal/ignore.h"
#include "mlsearch/internal/grow.h"

#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The files read in each folder, the later overriding the earlier. */
static const char *const ignore_files[] = {".gitignore", ".ignore", ".mlsearchignore"};

typedef struct pattern {
    char *glob;   /* without its `!`, leading `/` and trailing `/` */
    int negated;  /* `!`: re-includes */
    int dir_only; /* a trailing `/` */
    int anchored; /* a `/` at its start or middle: matched on the path */
} pattern;

struct mls_ignore {
    const mls_ignore *up;
    char *relative; /* the folder, below the root ("" for the root) */
    pattern *patterns;
    size_t count, cap;
};

int mls_ignore_wildmatch(const char *p, const char *t)
{
    /* The first `**` that is a whole component splits the pattern. */
    const char *star = NULL;
    for (const char *s = strstr(p, "**"); s && !star; s = strstr(s + 1, "**"))
        if ((s == p || s[-1] == '/') && (s[2] == '/' || s[2] == '\0'))
            star = s;
    if (!star)
        return fnmatch(p, t, FNM_PATHNAME) == 0;
    size_t pre = (size_t)(star - p), tlen = strlen(t);
    const char *post = star + 2; /* "" or "/..." */
    char *head = malloc(pre + 1), *part = malloc(tlen + 1);
    int found = 0;
    if (!head || !part) {
        free(head);
        free(part);
        return 0;
    }
    memcpy(head, p, pre);
    head[pre ? pre - 1 : 0] = '\0'; /* `a/` + `**`: `a` */
    /* Where the part before `**` ends in the path: at its start, or
     * after a `/` whose left matches it. */
    for (size_t k = 0; k <= tlen && !found; k++) {
        if (pre ? !(k > 0 && t[k - 1] == '/') : k != 0)
            continue;
        if (pre) {
            memcpy(part, t, k - 1);
            part[k - 1] = '\0';
            if (fnmatch(head, part, FNM_PATHNAME) != 0)
                continue;
        }
        if (!*post) { /* ends with `**`: whatever lies below */
            found = t[k] != '\0' || !pre;
            continue;
        }
        for (size_t j = k; j <= tlen && !found; j++) /* `**` takes whole components */
            if ((j == k || t[j - 1] == '/') && mls_ignore_wildmatch(post + 1, t + j))
                found = 1;
    }
    free(head);
    free(part);
    return found;
}

/* Adds the pattern on one line of an ignore file. */
static mls_status add_line(mls_ignore *ig, char *line)
{
    size_t n = strlen(line);
    if (n && line[n - 1] == '\r')
        line[--n] = '\0';
    /* Trailing spaces go, but an escaped one. */
    while (n && line[n - 1] == ' ' && !(n >= 2 && line[n - 2] == '\\'))
        line[--n] = '\0';
    if (!n || line[0] == '#')
        return MLS_OK;
    pattern p = {0};
    char *s = line;
    if (s[0] == '!') {
        p.negated = 1;
        s++;
    } else if (s[0] == '\\' && (s[1] == '#' || s[1] == '!')) {
        s++;
    }
    n = strlen(s);
    if (n && s[n - 1] == '/') {
        p.dir_only = 1;
        s[--n] = '\0';
    }
    if (!n)
        return MLS_OK;
    p.anchored = strchr(s, '/') != NULL;
    if (s[0] == '/')
        s++;
    if (!(p.glob = strdup(s)))
        return MLS_ERR_NOMEM;
    if (!mls_grow(&ig->patterns, &ig->cap, ig->count + 1, sizeof *ig->patterns)) {
        free(p.glob);
        return MLS_ERR_NOMEM;
    }
    ig->patterns[ig->count++] = p;
    return MLS_OK;
}

static mls_status read_file(mls_ignore *ig, const char *path)
{
    FILE *f = fopen(path, "r");
    char *line = NULL;
    size_t cap = 0;
    mls_status st = MLS_OK;
    if (!f)
        return MLS_OK; /* none, or unreadable: as none */
    while (!st && getline(&line, &cap, f) > 0) {
        size_t n = strlen(line);
        if (n && line[n - 1] == '\n')
            line[n - 1] = '\0';
        st = add_line(ig, line);
    }
    free(line);
    fclose(f);
    return st;
}

mls_status mls_ignore_enter(const mls_ignore *up, const char *path, const char *relative,
                            mls_ignore **out)
{
    mls_ignore *ig = calloc(1, sizeof *ig);
    mls_status st = ig && (ig->relative = strdup(relative)) ? MLS_OK : MLS_ERR_NOMEM;
    for (size_t i = 0; i < sizeof ignore_files / sizeof ignore_files[0] && !st; i++) {
        char file[4096];
        snprintf(file, sizeof file, "%s/%s", path, ignore_files[i]);
        st = read_file(ig, file);
    }
    if (st) {
        mls_ignore_free(ig);
        ig = NULL;
    } else {
        ig->up = up;
    }
    *out = ig;
    return st;
}

void mls_ignore_free(mls_ignore *ig)
{
    if (!ig)
        return;
    for (size_t i = 0; i < ig->count; i++)
        free(ig->patterns[i].glob);
    free(ig->patterns);
    free(ig->relative);
    free(ig);
}

int mls_ignore_matches(const mls_ignore *ig, const char *relative, int is_dir)
{
    const char *slash = strrchr(relative, '/'), *name = slash ? slash + 1 : relative;
    /* The deepest folder's files first; in one, the last pattern. */
    for (; ig; ig = ig->up) {
        size_t n = strlen(ig->relative);
        const char *below = n ? relative + n + 1 : relative;
        if (n && (strncmp(relative, ig->relative, n) != 0 || relative[n] != '/'))
            continue; /* (never: the walk enters folders in order) */
        for (size_t i = ig->count; i-- > 0;) {
            const pattern *p = &ig->patterns[i];
            if (p->dir_only && !is_dir)
                continue;
            int hit =
                p->anchored ? mls_ignore_wildmatch(p->glob, below) : fnmatch(p->glob, name, 0) == 0;
            if (hit)
                return !p->negated;
        }
    }
    return 0;
}
