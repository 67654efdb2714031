/* places.c - where a command works: the configuration, the index, the
 * notebooks (cli.h). */
#include "mlsearch/cli.h"
#include "mlsearch/location.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The roots, include and exclude globs from the command line, else from
 * the configuration file. */
int cli_load_config(mls_config *cfg)
{
    char *path = NULL, *error = NULL;
    mls_status st = mls_config_location(&path);
    if (st == MLS_ERR_INVALID)
        return 1; /* neither XDG_CONFIG_HOME nor HOME: no configuration */
    if (!st)
        st = mls_config_load(path, cfg, &error);
    if (st)
        cli_fail("config", error ? error : mls_status_str(st));
    free(error);
    free(path);
    return st == MLS_OK;
}

int cli_locate(const cli_args *a, const char *command, mls_config *cfg, char **dir)
{
    *dir = NULL;
    if (!cli_load_config(cfg))
        return 0;
    if (mls_index_location(a->db, dir) != MLS_OK) {
        cli_fail(command, "no index location: set --db, MLSEARCH_DB or HOME");
        return 0;
    }
    return 1;
}

int cli_select(const cli_args *a, const mls_config *cfg, const char *dir, mls_places *places)
{
    mls_config only_default = {0};
    char *message = NULL;
    if (a->db && a->notebooks.count) {
        cli_fail("--db", "names one index: not with -N");
        return 0;
    }
    /* --db DIR: that index, whatever notebooks the configuration has. */
    mls_status st =
        mls_places_select(a->db ? &only_default : cfg, dir, (const char *const *)a->notebooks.items,
                          a->notebooks.count, places, &message);
    if (st)
        cli_fail("notebook", message ? message : mls_status_str(st));
    free(message);
    return st == MLS_OK;
}

int cli_one_index(const cli_args *a, const mls_config *cfg, const char *data_dir,
                  const char *command, char **dir)
{
    mls_places places = {0};
    char *error = NULL, why[128];
    *dir = NULL;
    if (a->notebooks.count > 1) {
        snprintf(why, sizeof why, "works on one notebook at a time (-N NAME)");
        cli_fail(command, why);
        return 0;
    }
    mls_status st = mls_places_select(cfg, data_dir, (const char *const *)a->notebooks.items,
                                      a->notebooks.count, &places, &error);
    if (st) {
        cli_fail("notebook", error ? error : mls_status_str(st));
    } else if (!places.items[0].dir) {
        snprintf(why, sizeof why, "a remote notebook: %s it where it is served", command);
        cli_fail(places.items[0].name, why);
    } else if (!(*dir = strdup(places.items[0].dir))) {
        cli_fail(command, "out of memory");
    }
    free(error);
    mls_places_free(&places);
    return *dir != NULL;
}
