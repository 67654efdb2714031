/* notebooks.c - which indexes a command works on (see notebooks.h). */
#include "mlsearch/notebooks.h"
#include "mlsearch/location.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static char *join_path(const char *dir, const char *a, const char *b)
{
    size_t n = strlen(dir) + strlen(a) + strlen(b) + 3;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "%s/%s/%s", dir, a, b);
    return s;
}

static int index_exists(const char *dir)
{
    char path[4096];
    struct stat st;
    snprintf(path, sizeof path, "%s/index", dir);
    return stat(path, &st) == 0;
}

static mls_status add_place(mls_places *out, const char *name, const char *dir, const char *remote,
                            const mls_strings *roots)
{
    mls_place *grown = realloc(out->items, (out->count + 1) * sizeof *out->items);
    if (!grown)
        return MLS_ERR_NOMEM;
    out->items = grown;
    mls_place *p = &out->items[out->count];
    *p = (mls_place){.name = name, .roots = roots};
    if (remote) {
        const char *colon = strrchr(remote, ':'); /* checked by config.c */
        p->host = strndup(remote, (size_t)(colon - remote));
        p->port = (unsigned)atoi(colon + 1);
        if (!p->host)
            return MLS_ERR_NOMEM;
    } else if (!(p->dir = strdup(dir))) {
        return MLS_ERR_NOMEM;
    }
    out->count++;
    return MLS_OK;
}

static mls_status add_notebook(mls_places *out, const mls_notebook *nb, const char *data_dir)
{
    char *dir = nb->db || nb->remote ? NULL : join_path(data_dir, "notebooks", nb->name);
    if (!nb->db && !nb->remote && !dir)
        return MLS_ERR_NOMEM;
    mls_status st = add_place(out, nb->name, nb->db ? nb->db : dir, nb->remote, &nb->roots);
    free(dir);
    return st;
}

mls_status mls_places_select(const mls_config *cfg, const char *data_dir, const char *const *names,
                             size_t n, mls_places *out, char **error)
{
    mls_status st = MLS_OK;
    *out = (mls_places){0};
    *error = NULL;
    if (n == 0) {
        if (cfg->roots.count || !cfg->notebook_count || index_exists(data_dir))
            st = add_place(out, MLS_DEFAULT_NOTEBOOK, data_dir, NULL, &cfg->roots);
        for (size_t i = 0; i < cfg->notebook_count && !st; i++)
            st = add_notebook(out, &cfg->notebooks[i], data_dir);
    }
    for (size_t k = 0; k < n && !st; k++) {
        const mls_notebook *nb = NULL;
        for (size_t i = 0; i < cfg->notebook_count && !nb; i++)
            if (!strcmp(cfg->notebooks[i].name, names[k]))
                nb = &cfg->notebooks[i];
        if (nb) {
            st = add_notebook(out, nb, data_dir);
        } else if (!strcmp(names[k], MLS_DEFAULT_NOTEBOOK)) {
            st = add_place(out, MLS_DEFAULT_NOTEBOOK, data_dir, NULL, &cfg->roots);
        } else {
            size_t len = strlen(names[k]) + 64;
            if ((*error = malloc(len)) != NULL)
                snprintf(*error, len, "no notebook named %s in the configuration", names[k]);
            st = MLS_ERR_CONFIG;
        }
    }
    if (st)
        mls_places_free(out);
    return st;
}

void mls_places_free(mls_places *places)
{
    for (size_t i = 0; i < places->count; i++) {
        free(places->items[i].dir);
        free(places->items[i].host);
    }
    free(places->items);
    *places = (mls_places){0};
}

const char *mls_place_where(const mls_place *place, char *buf, size_t size)
{
    if (place->dir)
        snprintf(buf, size, "%s", place->dir);
    else
        snprintf(buf, size, "%s:%u", place->host, place->port);
    return buf;
}

mls_status mls_place_open(const mls_place *place, unsigned timeout_ms, mls_db **out, char **message)
{
    *out = NULL;
    if (!place->dir)
        return mls_db_open_remote(place->host, place->port, timeout_ms, out, message);
    mls_status st = mls_index_private(place->dir, message);
    return st ? st : mls_db_open(place->dir, MLS_DB_READ, out, message);
}

mls_status mls_places_open(const mls_places *places, unsigned timeout_ms, int local_only,
                           mls_place_skipped_fn skipped, void *ctx, mls_db **out,
                           const char ***parts, size_t *part_count, char **message)
{
    mls_db **dbs = calloc(places->count ? places->count : 1, sizeof *dbs);
    const char **names = calloc(places->count ? places->count : 1, sizeof *names);
    mls_status first = MLS_OK, st = MLS_OK;
    size_t n = 0;

    *out = NULL;
    *parts = NULL;
    *part_count = 0;
    *message = NULL;
    if (!dbs || !names) {
        free(dbs);
        free(names);
        return MLS_ERR_NOMEM;
    }
    for (size_t i = 0; i < places->count; i++) {
        const mls_place *p = &places->items[i];
        char *why = NULL;
        if (local_only && !p->dir)
            continue;
        st = mls_place_open(p, timeout_ms, &dbs[n], &why);
        if (!st) {
            names[n++] = p->name;
            free(why);
            continue;
        }
        if (!first) {
            first = st;
            *message = why ? strdup(why) : NULL;
        }
        if (places->count > 1 && skipped)
            skipped(p, st, why, ctx);
        free(why);
    }
    if (n == 0) {
        st = first ? first : MLS_ERR_DB_NOT_FOUND;
    } else if (n == 1) {
        *out = dbs[0];
        st = MLS_OK;
    } else {
        st = mls_db_join(dbs, n, out);
        for (size_t i = 0; st && i < n; i++)
            mls_db_close(dbs[i]);
    }
    free(dbs);
    if (st) {
        free(names);
        return st;
    }
    free(*message);
    *message = NULL;
    *parts = names;
    *part_count = n;
    return MLS_OK;
}
