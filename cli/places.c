/* places.c - where a command works: the configuration, the index, the
 * notebooks (cli.h). */
#include "mlsearch/cli.h"
#include "mlsearch/location.h"

#include <stdlib.h>

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
