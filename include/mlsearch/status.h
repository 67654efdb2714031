/* status.h - the one status type every fallible mlsearch function returns.
 *
 * MLS_OK is 0 so that `if (st) goto fail;` reads naturally.  The detail of
 * a failure (a file name, Xapian's description) travels separately, on the
 * handle that failed or through a report callback: a status says what kind
 * of failure it was, so the CLI can pick an exit code and a message. */
#ifndef MLSEARCH_STATUS_H
#define MLSEARCH_STATUS_H

typedef enum mls_status {
    MLS_OK = 0,
    MLS_ERR_NOMEM,               /* an allocation failed */
    MLS_ERR_IO,                  /* reading or writing a file failed (see errno text) */
    MLS_ERR_INVALID,             /* an argument the caller should not have passed */
    MLS_ERR_QUERY_EMPTY,         /* the query has no searchable term */
    MLS_ERR_QUERY_ONLY_EXCLUDES, /* the query only excludes: nothing to look for */
    MLS_ERR_QUERY_TOO_LARGE,     /* too long, or too many pieces (query.h) */
    MLS_ERR_QUERY_UNKNOWN_FIELD, /* `name:value` with a name no field has (query.h) */
    MLS_ERR_QUERY_BAD_DATE,      /* `date:VALUE` that names no date (dates.h) */
    MLS_ERR_DB_NOT_FOUND,        /* no index at that location */
    MLS_ERR_DB_LOCKED,           /* another process is writing the index */
    MLS_ERR_DB_MODIFIED,         /* the index changed under a reader too often */
    MLS_ERR_DB_CORRUPT,          /* the index files are damaged */
    MLS_ERR_DB_ACCESS,           /* the index is someone else's: permission denied */
    MLS_ERR_NETWORK,             /* a remote index did not answer (see the message) */
    MLS_ERR_NO_SPACE,            /* the disk is full: what was committed is kept */
    MLS_ERR_DB,                  /* any other failure reported by Xapian */
    MLS_ERR_INTERRUPTED,         /* stopped on request (a signal); work done is kept */
    MLS_ERR_CONFIG,              /* the configuration file is wrong (see the message) */
    MLS_ERR_NOT_PRIVATE,         /* others may write to the index's directory or stub */
    MLS_ERR_INTERNAL             /* a bug: an unexpected exception or state */
} mls_status;

/* A short, static, lower-case description of `status`; never NULL. */
const char *mls_status_str(mls_status status);

/* 1 for MLS_OK and MLS_ERR_INTERRUPTED: work that ended so keeps what it
 * did (commits it; the next run does the rest). */
int mls_status_keeps_work(mls_status status);

/* Of two statuses of one piece of work (what it did, then its commit, or
 * two workers'), the one to report: a failure over MLS_ERR_INTERRUPTED
 * over MLS_OK, and of two failures the first. */
mls_status mls_status_worse(mls_status first, mls_status then);

#endif
