/* location.c - finding and creating the index directory (see location.h). */
#include "mlsearch/location.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static char *join(const char *a, const char *b)
{
    size_t n = strlen(a) + strlen(b) + 1;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "%s%s", a, b);
    return s;
}

mls_status mls_index_location(const char *flag, char **out)
{
    const char *env, *base = NULL, *suffix = "";

    if (flag && *flag) {
        base = flag;
    } else if ((env = getenv("MLSEARCH_DB")) && *env) {
        base = env;
    } else if ((env = getenv("XDG_DATA_HOME")) && *env == '/') {
        base = env; /* the spec ignores relative values */
        suffix = "/mlsearch";
    } else if ((env = getenv("HOME")) && *env) {
        base = env;
        suffix = "/.local/share/mlsearch";
    }
    *out = base ? join(base, suffix) : NULL;
    if (!base)
        return MLS_ERR_INVALID;
    return *out ? MLS_OK : MLS_ERR_NOMEM;
}

mls_status mls_config_location(char **out)
{
    const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
    if (xdg && *xdg == '/')
        *out = join(xdg, "/mlsearch/config");
    else if (home && *home)
        *out = join(home, "/.config/mlsearch/config");
    else
        return *out = NULL, MLS_ERR_INVALID;
    return *out ? MLS_OK : MLS_ERR_NOMEM;
}

mls_status mls_expand_home(const char *path, char **out)
{
    const char *home = getenv("HOME");
    if (path[0] == '~' && (path[1] == '/' || path[1] == '\0') && home && *home)
        *out = join(home, path + 1);
    else
        *out = strdup(path);
    return *out ? MLS_OK : MLS_ERR_NOMEM;
}

mls_status mls_make_private_dir(const char *dir)
{
    char *path = strdup(dir);
    if (!path)
        return MLS_ERR_NOMEM;
    /* Parents as the umask says (they are ordinary folders like
     * ~/.local/share); the index itself owner-only. */
    for (char *slash = strchr(path + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
        *slash = '\0';
        if (mkdir(path, 0755) != 0 && errno != EEXIST) {
            free(path);
            return MLS_ERR_IO;
        }
        *slash = '/';
    }
    free(path);
    if (mkdir(dir, 0700) != 0) {
        if (errno != EEXIST)
            return MLS_ERR_IO;
        return MLS_OK; /* an existing index keeps the mode its owner gave it */
    }
    /* mkdir() applies the umask; say 0700 exactly. */
    return chmod(dir, 0700) == 0 ? MLS_OK : MLS_ERR_IO;
}

/* What someone else may write to: group or others' write bits. */
#define WRITABLE_BY_OTHERS (S_IWGRP | S_IWOTH)

mls_status mls_index_private(const char *dir, char **why)
{
    static const char reason[] = "writable by other users, who could point it at another "
                                 "index; make it private: chmod ";
    char *stub = join(dir, "/index");
    const char *its = "", *mode = NULL, *path = dir;
    struct stat sb;

    *why = NULL;
    if (!stub)
        return MLS_ERR_NOMEM;
    /* Nothing there (yet) is no concern here: opening it says so. */
    int found = stat(dir, &sb) == 0, is_dir = found && S_ISDIR(sb.st_mode);
    if (found && (sb.st_mode & WRITABLE_BY_OTHERS)) {
        mode = is_dir ? "700" : "600"; /* a directory, or a stub file itself */
    } else if (is_dir && stat(stub, &sb) == 0 && (sb.st_mode & WRITABLE_BY_OTHERS)) {
        its = "its index file is ";
        mode = "600";
        path = stub;
    }
    if (mode) {
        size_t n = strlen(its) + sizeof reason + strlen(mode) + strlen(path) + 2;
        if ((*why = malloc(n)) != NULL)
            snprintf(*why, n, "%s%s%s %s", its, reason, mode, path);
    }
    free(stub);
    return !mode ? MLS_OK : *why ? MLS_ERR_NOT_PRIVATE : MLS_ERR_NOMEM;
}
