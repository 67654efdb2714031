/* version.h - mlsearch's version, said by `mlsearch --version` and in
 * `--json`'s begin record: here and nowhere else. */
#ifndef MLSEARCH_VERSION_H
#define MLSEARCH_VERSION_H

#define MLS_VERSION "0.14.0"
#define MLS_VERSION_DATE "2026-11-30" /* the day it was set */

#endif
