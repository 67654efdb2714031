#include "mlsearch/status.h"

/* No `default:` on purpose: -Wswitch then names any status added to the
 * enum but not described here. */
const char *mls_status_str(mls_status status)
{
    switch (status) {
    case MLS_OK: return "success";
    case MLS_ERR_NOMEM: return "out of memory";
    case MLS_ERR_IO: return "input/output error";
    case MLS_ERR_INVALID: return "invalid argument";
    case MLS_ERR_QUERY_EMPTY: return "the query has no searchable terms";
    case MLS_ERR_QUERY_ONLY_EXCLUDES: return "the query only excludes";
    case MLS_ERR_QUERY_TOO_LARGE: return "the query is too large";
    case MLS_ERR_QUERY_UNKNOWN_FIELD: return "the query names an unknown field";
    case MLS_ERR_QUERY_BAD_DATE: return "the query names no date";
    case MLS_ERR_DB_NOT_FOUND: return "no index found";
    case MLS_ERR_DB_LOCKED: return "the index is being updated by another process";
    case MLS_ERR_DB_MODIFIED: return "the index kept changing while it was read";
    case MLS_ERR_DB_CORRUPT: return "the index is damaged";
    case MLS_ERR_DB_ACCESS: return "permission denied";
    case MLS_ERR_NETWORK: return "a remote index did not answer";
    case MLS_ERR_NO_SPACE: return "no space left on device";
    case MLS_ERR_DB: return "index error";
    case MLS_ERR_INTERRUPTED: return "interrupted";
    case MLS_ERR_CONFIG: return "configuration error";
    case MLS_ERR_NOT_PRIVATE: return "the index is writable by other users";
    case MLS_ERR_INTERNAL: return "internal error";
    }
    return "unknown status";
}

int mls_status_keeps_work(mls_status status)
{
    return status == MLS_OK || status == MLS_ERR_INTERRUPTED;
}

mls_status mls_status_worse(mls_status first, mls_status then)
{
    return mls_status_keeps_work(first) && then ? then : first;
}
