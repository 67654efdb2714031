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
        base = env;            /* the spec ignores relative values */
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
