/* ignore.c - git's ignore rules over a notes tree (see ignore.h). */
#include "mlsearch/internal/ignore.h"
#include "mlsearch/internal/grow.h"

#include <fcntl.h>
#include <fnmatch.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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
    mls_ignore *owned_up; /* made by mls_ignore_chain(): `up`, its to free */
    char *relative;       /* the folder, below the root ("" for the root) */
    char *above;          /* a folder above the root: the root's path below it */
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

/* Cuts trailing spaces but escaped ones, as git's trim_trailing_spaces():
 * a backslash escapes the character after it, a backslash too. */
static void trim_trailing_spaces(char *line)
{
    char *cut = NULL;
    for (char *s = line; *s; s++) {
        if (*s == ' ') {
            if (!cut)
                cut = s;
            continue;
        }
        cut = NULL;
        if (*s == '\\' && !*++s)
            break;
    }
    if (cut)
        *cut = '\0';
}

/* 1 if a `[` of `glob` is never closed: git's wildmatch then matches
 * nothing, where fnmatch() would take the `[` as itself. */
static int has_open_bracket(const char *glob)
{
    for (const char *s = glob; *s; s++) {
        if (*s == '\\' && s[1]) {
            s++;
        } else if (*s == '[') {
            const char *e = s + 1;
            if (*e == '!' || *e == '^')
                e++;
            if (*e == ']')
                e++; /* a `]` first is itself */
            for (; *e && *e != ']'; e++)
                if (*e == '\\' && e[1])
                    e++;
            if (!*e)
                return 1;
            s = e;
        }
    }
    return 0;
}

/* Writes runs of three `*` or more as `**`, and `**` + `/` + `**` as one
 * `**`: git reads them so, and each `**` costs the match a loop. */
static void collapse_stars(char *glob)
{
    char *w = glob;
    for (const char *r = glob; *r;) {
        if (r[0] == '\\' && r[1]) {
            *w++ = *r++;
            *w++ = *r++;
        } else if (r[0] == '*' && r[1] == '*') {
            while (*r == '*')
                r++;
            *w++ = '*';
            *w++ = '*';
            /* `**` + `/` + `**` as a whole component: the second adds nothing */
            while ((w - glob == 2 || w[-3] == '/') && r[0] == '/' && r[1] == '*' && r[2] == '*' &&
                   (r[3] == '/' || r[3] == '\0'))
                for (r++; *r == '*'; r++)
                    ;
        } else {
            *w++ = *r++;
        }
    }
    *w = '\0';
}

/* Adds the pattern on one line of an ignore file. */
static mls_status add_line(mls_ignore *ig, char *line)
{
    size_t n = strlen(line);
    if (n && line[n - 1] == '\r')
        line[--n] = '\0';
    trim_trailing_spaces(line);
    if (!line[0] || line[0] == '#')
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
    if (!n || has_open_bracket(s))
        return MLS_OK;
    p.anchored = strchr(s, '/') != NULL;
    if (s[0] == '/')
        s++;
    if (!(p.glob = strdup(s)))
        return MLS_ERR_NOMEM;
    collapse_stars(p.glob);
    if (!mls_grow(&ig->patterns, &ig->cap, ig->count + 1, sizeof *ig->patterns)) {
        free(p.glob);
        return MLS_ERR_NOMEM;
    }
    ig->patterns[ig->count++] = p;
    return MLS_OK;
}

/* Reads one ignore file.  As git does, a symbolic link there is not
 * followed, and only a regular file is read (a FIFO would block). */
static mls_status read_file(mls_ignore *ig, const char *path)
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    struct stat sb;
    FILE *f = NULL;
    char *line = NULL;
    size_t cap = 0;
    mls_status status = MLS_OK;
    if (fd < 0)
        return MLS_OK; /* none, or unreadable: as none */
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) || !(f = fdopen(fd, "r"))) {
        close(fd);
        return MLS_OK;
    }
    for (int first = 1; !status && getline(&line, &cap, f) > 0; first = 0) {
        size_t n = strlen(line);
        if (n && line[n - 1] == '\n')
            line[n - 1] = '\0';
        /* A UTF-8 byte order mark is not part of the first pattern. */
        int bom = first && strncmp(line, "\xEF\xBB\xBF", 3) == 0;
        status = add_line(ig, line + (bom ? 3 : 0));
    }
    free(line);
    fclose(f);
    return status;
}

/* The rules of folder `path` read from its ignore files from
 * ignore_files[first] on (see mls_ignore_enter()). */
static mls_status enter_files(const mls_ignore *up, const char *path, const char *relative,
                              size_t first, mls_ignore **out)
{
    mls_ignore *ig = calloc(1, sizeof *ig);
    mls_status st = ig && (ig->relative = strdup(relative)) ? MLS_OK : MLS_ERR_NOMEM;
    for (size_t i = first; i < sizeof ignore_files / sizeof ignore_files[0] && !st; i++) {
        char *file = malloc(strlen(path) + 1 + strlen(ignore_files[i]) + 1);
        if (!file) {
            st = MLS_ERR_NOMEM;
            break;
        }
        sprintf(file, "%s/%s", path, ignore_files[i]);
        st = read_file(ig, file);
        free(file);
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

mls_status mls_ignore_enter(const mls_ignore *up, const char *path, const char *relative,
                            mls_ignore **out)
{
    return enter_files(up, path, relative, 0, out);
}

/* 1 if folder `dir` is the top of a git working tree (it holds `.git`: a
 * folder, or a file in a linked worktree). */
static int is_git_top(const char *dir)
{
    char *git = malloc(strlen(dir) + 6);
    struct stat sb;
    int top = git && (sprintf(git, "%s/.git", dir), lstat(git, &sb) == 0);
    free(git);
    return top;
}

mls_status mls_ignore_above(const char *root, mls_ignore **out)
{
    size_t n = strlen(root), count = 0, git_top = SIZE_MAX;
    char *dir = strdup(root);
    size_t *ends = calloc(n + 1, sizeof *ends);
    mls_ignore *deepest = NULL;
    mls_status st = dir && ends ? MLS_OK : MLS_ERR_NOMEM;
    *out = NULL;
    /* The folders above the root, deepest first, by where their paths
     * end in it ("/" itself: 1). */
    for (size_t k = n; !st && k-- > 0;)
        if (root[k] == '/' && k + 1 < n)
            ends[count++] = k ? k : 1;
    /* The repository the root lies in: its top is the nearest folder
     * with `.git`, the root's own, or none. */
    if (!st && is_git_top(root))
        git_top = 0;
    for (size_t i = 0; !st && i < count && git_top == SIZE_MAX; i++) {
        memcpy(dir, root, ends[i]);
        dir[ends[i]] = '\0';
        if (is_git_top(dir))
            git_top = i + 1;
    }
    if (git_top == SIZE_MAX)
        git_top = 0; /* in no repository: no .gitignore above is git's */
    /* From the top down, as a walk would read them: .gitignore inside
     * the repository only, the others in every folder. */
    for (size_t i = count; !st && i-- > 0;) {
        mls_ignore *next = NULL;
        memcpy(dir, root, ends[i]);
        dir[ends[i]] = '\0';
        st = enter_files(deepest, dir, "", i < git_top ? 0 : 1, &next);
        if (!st && next->count == 0) {
            mls_ignore_free(next); /* (most folders have none) */
            continue;
        }
        if (!st && !(next->above = strdup(root + ends[i] + (ends[i] > 1))))
            st = MLS_ERR_NOMEM;
        if (st) {
            mls_ignore_free(next);
            break;
        }
        next->owned_up = deepest;
        deepest = next;
    }
    free(dir);
    free(ends);
    if (st) {
        mls_ignore_free(deepest);
        deepest = NULL;
    }
    *out = deepest;
    return st;
}

void mls_ignore_free(mls_ignore *ig)
{
    if (!ig)
        return;
    mls_ignore_free(ig->owned_up);
    for (size_t i = 0; i < ig->count; i++)
        free(ig->patterns[i].glob);
    free(ig->patterns);
    free(ig->relative);
    free(ig->above);
    free(ig);
}

int mls_ignore_matches(const mls_ignore *ig, const char *relative, int is_dir)
{
    const char *slash = strrchr(relative, '/'), *name = slash ? slash + 1 : relative;
    char joined[8192];
    /* The deepest folder's files first; in one, the last pattern. */
    for (; ig; ig = ig->up) {
        size_t n = strlen(ig->relative);
        const char *below = n ? relative + n + 1 : relative;
        if (n && (strncmp(relative, ig->relative, n) != 0 || relative[n] != '/'))
            continue; /* (never: the walk enters folders in order) */
        int joined_yet = 0;
        for (size_t i = ig->count; i-- > 0;) {
            const pattern *p = &ig->patterns[i];
            if (p->dir_only && !is_dir)
                continue;
            /* Above the root, an anchored pattern sees the path from its
             * folder down: joined once, when one is tried. */
            if (ig->above && p->anchored && !joined_yet) {
                int len = snprintf(joined, sizeof joined, "%s/%s", ig->above, relative);
                if (len < 0 || (size_t)len >= sizeof joined)
                    break; /* longer than PATH_MAX: no path the system opens */
                below = joined;
                joined_yet = 1;
            }
            int hit =
                p->anchored ? mls_ignore_wildmatch(p->glob, below) : fnmatch(p->glob, name, 0) == 0;
            if (hit)
                return !p->negated;
        }
    }
    return 0;
}

mls_status mls_ignore_chain(const char *root, const mls_ignore *above, const char *relative,
                            mls_ignore **out, int *ignored)
{
    size_t len = strlen(relative), root_len = strlen(root);
    char *path = malloc(root_len + 1 + len + 1), *rel = malloc(len + 1);
    mls_ignore *deepest = NULL;
    mls_status st = path && rel ? MLS_OK : MLS_ERR_NOMEM;
    *ignored = 0;
    /* The root, then each folder down to `relative`, as the walk would. */
    for (size_t end = 0; !st && !*ignored;) {
        memcpy(rel, relative, end);
        rel[end] = '\0';
        snprintf(path, root_len + 1 + len + 1, "%s%s%s", root, end ? "/" : "", rel);
        if (end && mls_ignore_matches(deepest, rel, 1)) {
            *ignored = 1;
            break;
        }
        mls_ignore *next = NULL;
        st = mls_ignore_enter(deepest ? deepest : above, path, rel, &next);
        if (!st) {
            next->owned_up = deepest;
            deepest = next;
        }
        if (end == len)
            break;
        const char *slash = strchr(relative + end + (end ? 1 : 0), '/');
        end = slash ? (size_t)(slash - relative) : len;
    }
    free(path);
    free(rel);
    if (st) {
        mls_ignore_free(deepest);
        deepest = NULL;
    }
    *out = deepest;
    return st;
}
