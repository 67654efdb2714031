/* notebooks.h - which indexes a command works on, and opening them as one.
 *
 * A notebook is a name and an index (config.h): the default one, whose
 * index is the default index directory (location.h) and whose roots are
 * the configuration's top-level `root` lines, and those the configuration
 * names, each local (an index directory) or remote (HOST:PORT, served by
 * `mlsearch serve`, that is xapian-tcpsrv).  Searched together they are
 * one index with one ranking (mls_db_join()), each hit knowing its
 * notebook. */
#ifndef MLSEARCH_NOTEBOOKS_H
#define MLSEARCH_NOTEBOOKS_H

#include <stddef.h>
#include "mlsearch/config.h"
#include "mlsearch/db.h"
#include "mlsearch/status.h"

#define MLS_DEFAULT_NOTEBOOK "default"

typedef struct mls_place {
    const char *name; /* the notebook's name (borrowed) */
    char *dir;        /* its index directory; NULL when remote */
    char *host;       /* when remote: where it is served */
    unsigned port;
    const mls_strings *roots; /* what it indexes (borrowed; may be empty) */
} mls_place;

typedef struct mls_places {
    mls_place *items;
    size_t count;
} mls_places;

/* The notebooks named by `names` (`n` of them; "default" is the default
 * one), or with n == 0 every notebook: the default one when the
 * configuration gives it roots, has no notebooks, or its index exists,
 * then the configuration's, in order.  `data_dir` is the default index's
 * directory; a local notebook without `db` has DATA_DIR/notebooks/NAME.
 * MLS_ERR_CONFIG with *error ("no notebook named X") for a name the
 * configuration does not have; MLS_ERR_NOMEM.  `cfg` must outlive *out. */
mls_status mls_places_select(const mls_config *cfg, const char *data_dir, const char *const *names,
                             size_t n, mls_places *out, char **error);
void mls_places_free(mls_places *places);

/* Where the notebook's index is, as said to the user: its directory, or
 * HOST:PORT; written into `buf` (`size` bytes), which is returned. */
const char *mls_place_where(const mls_place *place, char *buf, size_t size);

/* Opens one notebook's index for reading, a remote one with `timeout_ms`;
 * fails as mls_db_open() or mls_db_open_remote(), or for a local one that
 * others may write to as mls_index_private() (location.h). */
mls_status mls_place_open(const mls_place *place, unsigned timeout_ms, mls_db **out,
                          char **message);

/* Called for a notebook left out of a search: its name and why. */
typedef void (*mls_place_skipped_fn)(const mls_place *place, mls_status st, const char *why,
                                     void *ctx);

/* Opens `places` for searching, remote ones with `timeout_ms`, and joins
 * them into *out; *parts (the caller frees the array, not the names) gets
 * the name of each part of *out, in order.  A notebook that cannot be
 * opened is left out and told to `skipped`, unless none opens: then the
 * status and *message (the caller frees it) are the first failure's.
 * With `local_only`, remote notebooks are left out without a word. */
mls_status mls_places_open(const mls_places *places, unsigned timeout_ms, int local_only,
                           mls_place_skipped_fn skipped, void *ctx, mls_db **out,
                           const char ***parts, size_t *part_count, char **message);

#endif
