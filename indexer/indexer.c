/* indexer.c - syncing the index with notes trees (see indexer.h). */
#include "mlsearch/indexer.h"
#include "mlsearch/db.h"
#include "mlsearch/internal/crawl.h"
#include "mlsearch/internal/first_build.h"
#include "mlsearch/internal/lock.h"
#include "mlsearch/internal/manifest.h"
#include "mlsearch/internal/run.h"
#include "mlsearch/internal/sync.h"
#include "mlsearch/internal/terms.h"
#include "mlsearch/upkeep.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* Crawl: each note found goes on r->found; known ones are kept. */
static int on_note(const char *path, const struct stat *sb, void *ctx)
{
    mls_run *r = ctx;
    mls_manifest_entry e = {.size = (long long)sb->st_size,
                            .mtime_sec = (long long)sb->st_mtim.tv_sec,
                            .mtime_nsec = (long long)sb->st_mtim.tv_nsec,
                            .inode = (long long)sb->st_ino,
                            .indexed_at = r->started,
                            .ctime_sec = (long long)sb->st_ctim.tv_sec,
                            .ctime_nsec = (long long)sb->st_ctim.tv_nsec};
    mls_manifest_entry *known = mls_manifest_find(&r->known, path);

    if (known)
        known->keep = 1;
    r->status = mls_manifest_add(&r->found, &e, path);
    return r->status != MLS_OK || mls_run_interrupted(r);
}

/* A path the crawl could not read may still hold notes: what the index
 * has there is kept, not taken for deleted.  The manifest is sorted, so
 * the notes under `path/` are one run of it. */
static void on_crawl_problem(const char *path, mls_crawl_problem kind, const char *reason,
                             void *ctx)
{
    mls_run *r = ctx;
    static const mls_note_problem as_note[] = {
        [MLS_CRAWL_PASSED_OVER] = MLS_NOTE_INFO,
        [MLS_CRAWL_BROKEN] = MLS_NOTE_WARNING,
        [MLS_CRAWL_UNREADABLE] = MLS_NOTE_ERROR,
    };
    size_t lo = 0, hi = r->known.count, n = strlen(path);

    mls_run_report(r, path, as_note[kind], reason);
    if (kind != MLS_CRAWL_UNREADABLE)
        return;
    while (lo < hi) { /* the first entry not before `path` */
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(r->known.entries[mid].path, path) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (; lo < r->known.count && strncmp(r->known.entries[lo].path, path, n) == 0; lo++)
        if (mls_path_is_under(r->known.entries[lo].path, path))
            r->known.entries[lo].keep = 1;
}

static void keep_message(mls_db *db, char **message)
{
    if (db && message && !*message && *mls_db_message(db))
        *message = strdup(mls_db_message(db));
}

/* Builds the index (the first time) or updates it from what the crawl
 * found; either records the run in the same commit as its last notes.
 * Interrupted, it records and commits what was done. */
static mls_status build_or_update(mls_run *r, char **message)
{
    return r->known.count == 0 ? mls_first_build(r, message) : mls_sync(r);
}

/* After an update: an index grown well past its compacted size is
 * compacted (upkeep.h), which leaves r->db only to be closed.  After a
 * first build, compacted as it was published: its size is the measure. */
static mls_status upkeep(mls_run *r, int first_build)
{
    unsigned long long bytes = 0, after = 0;
    if (first_build) {
        if (mls_upkeep_size(r->opt->db_dir, &bytes) == MLS_OK)
            mls_upkeep_compacted(r->opt->db_dir, bytes);
        return MLS_OK;
    }
    mls_status st = mls_db_disk_size(r->db, &bytes);
    if (st || !mls_upkeep_due(r->opt->db_dir, bytes, r->full))
        return st;
    st = mls_db_compact(r->db, NULL, 0);
    if (!st)
        st = mls_upkeep_size(r->opt->db_dir, &after);
    if (!st) {
        mls_upkeep_compacted(r->opt->db_dir, after);
        r->stats->compacted_from = bytes;
        r->stats->compacted_to = after;
    }
    return st;
}

mls_status mls_index_run(const mls_index_options *opt, mls_index_stats *stats, char **message)
{
    mls_run r = {.opt = opt, .stats = stats, .started = (long long)time(NULL)};
    atomic_size_t done = 0;
    char **roots = calloc(opt->root_count ? opt->root_count : 1, sizeof *roots);
    mls_lock *lock = NULL;
    mls_status st;

    clock_gettime(CLOCK_MONOTONIC, &r.began);
    r.done = &done;
    memset(stats, 0, sizeof *stats);
    if (message)
        *message = NULL;
    if (!roots)
        return MLS_ERR_NOMEM;
    /* Xapian creates its files as the umask says; the index holds
     * private text, so they are the owner's alone (the lock file and the
     * directory are made so explicitly). */
    mode_t umask_before = umask(077);
    /* Canonical roots, so that a note has one path however it is named. */
    for (size_t i = 0; i < opt->root_count; i++) {
        roots[i] = realpath(opt->roots[i], NULL);
        if (!roots[i]) {
            /* An unmounted drive, a network folder down: never a reason
             * to empty the index. */
            char reason[160];
            snprintf(reason, sizeof reason,
                     "cannot read this root: %s; what was indexed under it is kept",
                     strerror(errno));
            mls_run_report(&r, opt->roots[i], MLS_NOTE_ERROR, reason);
        }
    }
    st = mls_stemmer_new(&r.stemmer);
    if (!st)
        st = mls_lock_take(opt->db_dir, opt->wait_seconds, opt->interrupted, &lock, message);
    if (st == MLS_ERR_IO && message && !*message) {
        char why[256];
        snprintf(why, sizeof why, "cannot write to the index directory: %s", strerror(errno));
        *message = strdup(why);
    }
    if (!st)
        st = mls_db_open(opt->db_dir, opt->rebuild ? MLS_DB_REBUILD : MLS_DB_WRITE, &r.db, message);
    /* The last run died holding the lock: killed, or crashed by damage
     * that would crash this one too.  The damage is found first; until
     * it is known there is none (checked, or a new index built), the
     * lock is left suspect for the next run. */
    int suspect = lock && mls_lock_abandoned(lock);
    if (!st && !opt->rebuild && suspect) {
        st = mls_db_check(r.db);
        suspect = st != MLS_OK;
    }
    if (!st && !opt->rebuild)
        st = mls_manifest_load(r.db, &r.known);
    if (!st) {
        /* An index of an older vocabulary is read again whole. */
        char *format = NULL;
        size_t len;
        st = mls_db_get_metadata(r.db, MLS_META_FORMAT, &format, &len);
        r.full = opt->full || (!st && r.known.count > 0 && atoi(format) < MLS_INDEX_FORMAT);
        free(format);
    }
    if (!st) {
        size_t n = 0;
        for (size_t i = 0; i < opt->root_count; i++) { /* the readable ones first */
            char *root = roots[i];
            roots[i] = NULL;
            if (root)
                roots[n++] = root;
        }
        mls_crawl_options crawl = {.roots = (const char *const *)roots,
                                   .root_count = n,
                                   .includes = opt->includes,
                                   .include_count = opt->include_count,
                                   .excludes = opt->excludes,
                                   .exclude_count = opt->exclude_count,
                                   .follow_all_symlinks = opt->follow_all_symlinks,
                                   .ignore_files = !opt->no_ignore};
        st = mls_crawl(&crawl, on_note, on_crawl_problem, &r);
        if (!st)
            st = r.status;
        if (!st && mls_run_interrupted(&r))
            st = MLS_ERR_INTERRUPTED;
        stats->files = r.found.count;
        r.total = r.found.count;
        r.roots = roots;
        r.root_count = n;
        int first_build = r.known.count == 0;
        if (!st)
            st = build_or_update(&r, message);
        /* Upkeep that fails (a full disk) leaves the index as it was: a
         * warning, not a failed run. */
        if (!st && upkeep(&r, first_build) != MLS_OK) {
            char reason[512];
            snprintf(reason, sizeof reason, "could not compact the index (%s); it stays as it is",
                     *mls_db_message(r.db) ? mls_db_message(r.db) : "?");
            mls_run_report(&r, opt->db_dir, MLS_NOTE_WARNING, reason);
        }
    }
    stats->seconds = mls_run_seconds(&r);
    if (st)
        keep_message(r.db, message);
    mls_db_close(r.db);
    mls_stemmer_free(r.stemmer);
    if (opt->rebuild && mls_status_keeps_work(st))
        suspect = 0; /* a new index, published */
    mls_lock_release(lock, suspect || st == MLS_ERR_DB_CORRUPT);
    mls_manifest_free(&r.known);
    mls_manifest_free(&r.found);
    for (size_t i = 0; i < opt->root_count; i++)
        free(roots[i]);
    free(roots);
    umask(umask_before);
    return st;
}
