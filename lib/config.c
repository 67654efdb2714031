/* config.c - reading the configuration file (see config.h). */
#include "mlsearch/config.h"
#include "mlsearch/internal/grow.h"
#include "mlsearch/location.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int mls_parse_size(const char *s, size_t *out)
{
    char *end;
    unsigned long long v, unit = 1;
    if (*s < '0' || *s > '9')
        return 0;
    errno = 0;
    v = strtoull(s, &end, 10);
    if (errno)
        return 0;
    if (*end) {
        static const char units[] = "KMG";
        const char *u = memchr(units, end[0] & ~0x20, sizeof units - 1);
        if (!u || end[1])
            return 0;
        for (const char *k = units; k <= u; k++)
            unit *= 1024;
    }
    if (v == 0 || v > SIZE_MAX / unit)
        return 0;
    *out = (size_t)(v * unit);
    return 1;
}

static mls_status config_error(char **error, const char *name, size_t line, const char *reason,
                               const char *what)
{
    size_t n = strlen(name) + strlen(reason) + strlen(what) + 32;
    if ((*error = malloc(n)) != NULL)
        snprintf(*error, n, "%s:%zu: %s%s", name, line, reason, what);
    return MLS_ERR_CONFIG;
}

static int is_notebook_name(const char *s)
{
    size_t n = strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                         "0123456789-_.");
    return n > 0 && s[n] == '\0' && s[0] != '.' && strcmp(s, "default") != 0;
}

/* `notebook NAME`: a new notebook, which the lines after it set up. */
static mls_status start_notebook(mls_config *cfg, const char *value, const char *file, size_t line,
                                 char **error)
{
    if (!is_notebook_name(value))
        return config_error(error, file, line,
                            "a notebook's name is letters, digits, '-', '_' and '.' "
                            "(and not 'default'), not ",
                            value);
    for (size_t i = 0; i < cfg->notebook_count; i++)
        if (!strcmp(cfg->notebooks[i].name, value))
            return config_error(error, file, line, "a second notebook named ", value);
    if (!mls_grow(&cfg->notebooks, &cfg->notebook_capacity, cfg->notebook_count + 1,
                  sizeof *cfg->notebooks))
        return MLS_ERR_NOMEM;
    mls_notebook *nb = &cfg->notebooks[cfg->notebook_count];
    *nb = (mls_notebook){.name = strdup(value)};
    if (!nb->name)
        return MLS_ERR_NOMEM;
    cfg->notebook_count++;
    return MLS_OK;
}

/* `remote HOST:PORT`, checked: a port from 1 to 65535 after the last ':'. */
static int is_host_port(const char *s)
{
    const char *colon = strrchr(s, ':');
    char *end;
    if (!colon || colon == s)
        return 0;
    long port = strtol(colon + 1, &end, 10);
    return colon[1] >= '0' && colon[1] <= '9' && !*end && port >= 1 && port <= 65535;
}

/* The settings of one notebook: root, db, remote. */
static mls_status apply_to_notebook(mls_notebook *nb, const char *name, const char *value,
                                    const char *file, size_t line, char **error)
{
    char **field = !strcmp(name, "db") ? &nb->db : !strcmp(name, "remote") ? &nb->remote : NULL;
    mls_status st;
    if (!field) { /* root */
        char *path;
        st = mls_expand_home(value, &path);
        if (!st)
            st = mls_strings_add(&nb->roots, path);
        free(path);
    } else if (*field) {
        return config_error(error, file, line, "a second setting of ", name);
    } else if (field == &nb->remote && !is_host_port(value)) {
        return config_error(error, file, line, "remote must be HOST:PORT, not ", value);
    } else {
        st = field == &nb->db ? mls_expand_home(value, field)
                              : ((*field = strdup(value)) ? MLS_OK : MLS_ERR_NOMEM);
    }
    if (!st && nb->remote && (nb->db || nb->roots.count))
        return config_error(error, file, line, "a remote notebook has no root nor db: ", nb->name);
    return st;
}

/* One setting: `name` and `value` (both trimmed, value not empty). */
static mls_status apply(mls_config *cfg, const char *name, const char *value, const char *file,
                        size_t line, char **error)
{
    mls_notebook *nb = cfg->notebook_count ? &cfg->notebooks[cfg->notebook_count - 1] : NULL;
    if (!strcmp(name, "notebook"))
        return start_notebook(cfg, value, file, line, error);
    if (nb && (!strcmp(name, "root") || !strcmp(name, "db") || !strcmp(name, "remote")))
        return apply_to_notebook(nb, name, value, file, line, error);
    if (!strcmp(name, "db") || !strcmp(name, "remote"))
        return config_error(error, file, line, name,
                            " belongs to a notebook: after a "
                            "'notebook NAME' line");
    if (nb && strcmp(name, "root"))
        return config_error(error, file, line, name,
                            " holds for every notebook: put it "
                            "before the first 'notebook' line");
    if (!strcmp(name, "root")) {
        char *path;
        mls_status st = mls_expand_home(value, &path);
        if (!st)
            st = mls_strings_add(&cfg->roots, path);
        free(path);
        return st;
    }
    if (!strcmp(name, "include"))
        return mls_strings_add(&cfg->includes, value);
    if (!strcmp(name, "exclude"))
        return mls_strings_add(&cfg->excludes, value);
    if (!strcmp(name, "max-size")) {
        if (!mls_parse_size(value, &cfg->max_file_size))
            return config_error(error, file, line, "max-size must be a size such as 16M, not ",
                                value);
        return MLS_OK;
    }
    if (!strcmp(name, "follow-symlinks")) {
        if (strcmp(value, "inside") && strcmp(value, "all"))
            return config_error(error, file, line, "follow-symlinks must be inside or all, not ",
                                value);
        cfg->follow_all_symlinks = !strcmp(value, "all");
        return MLS_OK;
    }
    if (!strcmp(name, "ignore-files")) {
        if (strcmp(value, "yes") && strcmp(value, "no"))
            return config_error(error, file, line, "ignore-files must be yes or no, not ", value);
        cfg->no_ignore = !strcmp(value, "no");
        return MLS_OK;
    }
    return config_error(error, file, line, "unknown setting ", name);
}

mls_status mls_config_parse(const char *text, size_t len, const char *name, mls_config *cfg,
                            char **error)
{
    const char *p = text, *end = text + len;
    mls_status st = MLS_OK;
    *error = NULL;
    for (size_t line = 1; p < end && !st; line++) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol)
            eol = end;
        /* Trimmed: the name up to the first space, the value after it. */
        const char *s = p, *e = eol;
        while (s < e && (*s == ' ' || *s == '\t'))
            s++;
        while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
            e--;
        p = eol + 1;
        if (s == e || *s == '#')
            continue;
        /* A '#' after a space or tab starts a comment to the end of line. */
        for (const char *h = s + 1; h < e; h++) {
            if (*h == '#' && (h[-1] == ' ' || h[-1] == '\t')) {
                e = h;
                while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
                    e--;
                break;
            }
        }
        if (memchr(s, '\0', (size_t)(e - s)))
            return config_error(error, name, line, "a NUL byte", "");
        size_t n = (size_t)(e - s);
        char *copy = malloc(n + 1);
        if (!copy)
            return MLS_ERR_NOMEM;
        memcpy(copy, s, n);
        copy[n] = '\0';
        char *value = copy + strcspn(copy, " \t");
        if (*value) {
            *value++ = '\0';
            value += strspn(value, " \t");
        }
        if (!*value)
            st = config_error(error, name, line, "no value for ", copy);
        else
            st = apply(cfg, copy, value, name, line, error);
        free(copy);
    }
    return st;
}

/* Reads the whole of the regular file open on `fd` into *text (the
 * caller frees it).  MLS_ERR_IO with errno set, MLS_ERR_NOMEM. */
static mls_status read_all(int fd, char **text, size_t *len)
{
    size_t cap = 0;
    *len = 0;
    for (;;) {
        if (!mls_grow(text, &cap, *len + 4096, 1))
            return MLS_ERR_NOMEM;
        ssize_t got = read(fd, *text + *len, cap - *len);
        if (got == 0)
            return MLS_OK;
        if (got > 0)
            *len += (size_t)got;
        else if (errno != EINTR)
            return MLS_ERR_IO;
    }
}

/* Opened without blocking, and read only when it is a regular file: a
 * FIFO (or a device) where the configuration goes would otherwise hang
 * every command, the nightly run from cron too, in open() or read(). */
mls_status mls_config_load(const char *path, mls_config *cfg, char **error)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    char *text = NULL, reason[128];
    size_t len = 0;
    struct stat sb;
    mls_status st = MLS_ERR_IO;

    *error = NULL;
    if (fd < 0 && errno == ENOENT)
        return MLS_OK;
    if (fd < 0 || fstat(fd, &sb) != 0)
        snprintf(reason, sizeof reason, "cannot read: %s", strerror(errno));
    else if (!S_ISREG(sb.st_mode))
        snprintf(reason, sizeof reason, "not a regular file");
    else if ((st = read_all(fd, &text, &len)) == MLS_ERR_IO)
        snprintf(reason, sizeof reason, "cannot read: %s", strerror(errno));
    if (fd >= 0)
        close(fd);
    if (!st)
        st = mls_config_parse(text, len, path, cfg, error);
    else if (st == MLS_ERR_IO && (*error = malloc(strlen(path) + sizeof reason + 2)) != NULL)
        sprintf(*error, "%s: %s", path, reason);
    free(text);
    return st;
}

void mls_config_free(mls_config *cfg)
{
    mls_strings_free(&cfg->roots);
    mls_strings_free(&cfg->includes);
    mls_strings_free(&cfg->excludes);
    for (size_t i = 0; i < cfg->notebook_count; i++) {
        free(cfg->notebooks[i].name);
        mls_strings_free(&cfg->notebooks[i].roots);
        free(cfg->notebooks[i].db);
        free(cfg->notebooks[i].remote);
    }
    free(cfg->notebooks);
    cfg->notebooks = NULL;
    cfg->notebook_count = cfg->notebook_capacity = 0;
}
