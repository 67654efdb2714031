/* version.h - mlsearch's version, said by `mlsearch --version` and in
 * `--json`'s begin record: here and nowhere else. */
#ifndef MLSEARCH_VERSION_H
#define MLSEARCH_VERSION_H

#define MLS_VERSION "0.14.0"

#endif
