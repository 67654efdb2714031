/* index_info.c - what an index says of itself (see index_info.h). */
#include "mlsearch/index_info.h"
#include "mlsearch/internal/crawl.h"
#include "mlsearch/internal/grow.h"
#include "mlsearch/internal/manifest.h"
#include "mlsearch/internal/record.h"
#include "mlsearch/internal/terms.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The fields of a last-run record, in order. */
enum {
    RUN_STARTED,
    RUN_MS,
    RUN_FILES,
    RUN_ADDED,
    RUN_CHANGED,
    RUN_RENAMED,
    RUN_REMOVED,
    RUN_ERRORS,
    RUN_REQUIRED, /* a record of mlsearch 0.13 ends here */
    RUN_TODO = RUN_REQUIRED,
    RUN_DONE,
    RUN_INTERRUPTED,
    RUN_FIELDS
};

/* Each line of `text` added to `list`. */
static mls_status split_lines(const char *text, mls_strings *list)
{
    mls_status st = MLS_OK;
    for (const char *p = text; !st && p && *p;) {
        size_t n = strcspn(p, "\n");
        char *line = strndup(p, n);
        st = line ? mls_strings_add(list, line) : MLS_ERR_NOMEM;
        free(line);
        p += n + (p[n] == '\n');
    }
    return st;
}

/* 1 if every root of `old` lies under one of `roots`. */
static int covers(const mls_strings *old, char *const *roots, size_t root_count)
{
    int covered = 1;
    for (size_t k = 0; k < old->count && covered; k++) {
        int under = 0;
        for (size_t i = 0; i < root_count && !under; i++)
            under = roots[i] && mls_path_is_under(old->items[k], roots[i]);
        covered = under;
    }
    return covered;
}

/* 1 if `root` is one of `old`. */
static int knows(const mls_strings *old, const char *root)
{
    for (size_t k = 0; k < old->count; k++)
        if (!strcmp(old->items[k], root))
            return 1;
    return 0;
}

static int is_one_of(const char *s, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (list[i] && !strcmp(s, list[i]))
            return 1;
    return 0;
}

/* The roots: those of earlier runs but the dropped ones, then this run's
 * new ones, one per line, each once.  *covered: whether this run's roots
 * cover the old ones it keeps. */
static mls_status record_roots(mls_db *db, char *const *roots, size_t root_count,
                               const char *const *dropped, size_t dropped_count, int *covered)
{
    char *old = NULL, *all = NULL;
    size_t old_len, len = 0, cap = 0;
    mls_strings old_roots = {0}, kept = {0};
    mls_status st = mls_db_get_metadata(db, MLS_META_ROOTS, &old, &old_len);

    if (!st)
        st = split_lines(old, &old_roots);
    for (size_t i = 0; i < old_roots.count && !st; i++)
        if (!is_one_of(old_roots.items[i], dropped, dropped_count))
            st = mls_strings_add(&kept, old_roots.items[i]);
    *covered = !st && covers(&kept, roots, root_count);
    for (size_t i = 0; i < kept.count + root_count && !st; i++) {
        const char *root = i < kept.count ? kept.items[i] : roots[i - kept.count];
        if (!root || (i >= kept.count && knows(&kept, root)))
            continue;
        size_t n = strlen(root);
        if (!mls_grow(&all, &cap, len + n + 2, 1)) {
            st = MLS_ERR_NOMEM;
            break;
        }
        memcpy(all + len, root, n);
        len += n;
        all[len++] = '\n';
    }
    /* Written when it changed (or was never written). */
    if (!st && (!old_len || len != old_len || memcmp(all ? all : "", old, len) != 0))
        st = mls_db_set_metadata(db, MLS_META_ROOTS, all ? all : "", len);
    mls_strings_free(&old_roots);
    mls_strings_free(&kept);
    free(old);
    free(all);
    return st;
}

static mls_status record_last_run(mls_db *db, time_t started, const mls_index_stats *stats)
{
    mls_record_writer w = {0};
    char *record = NULL;
    size_t record_len;
    unsigned long long fields[RUN_FIELDS] = {
        [RUN_STARTED] = (unsigned long long)started,
        [RUN_MS] = (unsigned long long)(stats->seconds * 1000),
        [RUN_FILES] = stats->files,
        [RUN_ADDED] = stats->added,
        [RUN_CHANGED] = stats->changed,
        [RUN_RENAMED] = stats->renamed,
        [RUN_REMOVED] = stats->removed,
        [RUN_ERRORS] = stats->errors,
        [RUN_TODO] = stats->todo,
        [RUN_DONE] = stats->done,
        [RUN_INTERRUPTED] = (unsigned long long)stats->interrupted,
    };
    for (int i = 0; i < RUN_FIELDS; i++)
        mls_record_put_number(&w, fields[i]);
    mls_status st = mls_record_finish(&w, &record, &record_len);
    if (!st)
        st = mls_db_set_metadata(db, MLS_META_LAST_RUN, record, record_len);
    free(record);
    return st;
}

mls_status mls_index_info_record(mls_db *db, char *const *roots, size_t root_count,
                                 const char *const *dropped, size_t dropped_count, time_t started,
                                 const mls_index_stats *stats, int complete)
{
    /* Whether this run saw every note the index holds: the roots of
     * earlier runs all lie under this run's.  (A note it could not read
     * keeps its old passages until it can be read, which changes its
     * ctime, so it is read again then.) */
    int covered = 0;
    mls_status st = record_roots(db, roots, root_count, dropped, dropped_count, &covered);
    if (!st)
        st = record_last_run(db, started, stats);
    if (!st && complete && covered) {
        /* Every note is now in this format (a run that did not read them
         * all keeps the old mark, so that the next one reads everything). */
        char format[16];
        int n = snprintf(format, sizeof format, "%d", MLS_INDEX_FORMAT);
        st = mls_db_set_metadata(db, MLS_META_FORMAT, format, (size_t)n);
    }
    return st;
}

/* The last run's record, when it can be read whole. */
static void read_last_run(const char *record, size_t len, mls_index_info *info)
{
    mls_record_reader r = {record, record + len};
    unsigned long long v[RUN_FIELDS] = {0};
    int ok = len > 0;
    for (int i = 0; i < RUN_REQUIRED && ok; i++)
        ok = mls_record_number(&r, ULLONG_MAX, &v[i]);
    for (int i = RUN_REQUIRED; i < RUN_FIELDS && ok && r.at < r.end; i++)
        ok = mls_record_number(&r, ULLONG_MAX, &v[i]);
    if (!ok)
        return;
    info->has_last_run = 1;
    info->last_run_started = (time_t)v[RUN_STARTED];
    info->last_run = (mls_index_stats){.files = v[RUN_FILES],
                                       .added = v[RUN_ADDED],
                                       .changed = v[RUN_CHANGED],
                                       .renamed = v[RUN_RENAMED],
                                       .removed = v[RUN_REMOVED],
                                       .errors = v[RUN_ERRORS],
                                       .seconds = (double)v[RUN_MS] / 1000,
                                       .todo = v[RUN_TODO],
                                       .done = v[RUN_DONE],
                                       .interrupted = v[RUN_INTERRUPTED] != 0};
}

/* *older: whether the index's format mark is of an older vocabulary (or
 * missing: format 1). */
static mls_status older_vocabulary(mls_db *db, int *older)
{
    char *format = NULL;
    size_t len;
    mls_status st = mls_db_get_metadata(db, MLS_META_FORMAT, &format, &len);
    *older = !st && atoi(format) < MLS_INDEX_FORMAT;
    free(format);
    return st;
}

int mls_index_is_older(mls_db *db)
{
    int older = 0;
    size_t notes = 0;
    return older_vocabulary(db, &older) == MLS_OK && older &&
           mls_db_term_count(db, MLS_TERM_FILE, strlen(MLS_TERM_FILE), &notes) == MLS_OK && notes;
}

/* The passages of every note, as their manifest entries count them. */
static mls_status count_passages(mls_db *db, size_t *count)
{
    mls_manifest m = {0};
    mls_status st = mls_manifest_load(db, &m);
    *count = 0;
    for (size_t i = 0; !st && i < m.count; i++)
        *count += m.entries[i].passages;
    mls_manifest_free(&m);
    return st;
}

mls_status mls_index_info_read(mls_db *db, mls_index_info *info)
{
    char *roots = NULL, *last = NULL;
    size_t roots_len, last_len;
    mls_status st = mls_db_get_metadata(db, MLS_META_ROOTS, &roots, &roots_len);

    *info = (mls_index_info){0};
    if (!st)
        st = split_lines(roots, &info->roots);
    if (!st)
        st = mls_db_get_metadata(db, MLS_META_LAST_RUN, &last, &last_len);
    if (!st)
        read_last_run(last, last_len, info);
    if (!st)
        st = mls_db_term_count(db, MLS_TERM_FILE, strlen(MLS_TERM_FILE), &info->notes);
    if (!st)
        st = count_passages(db, &info->passages);
    if (!st)
        st = older_vocabulary(db, &info->older_vocabulary);
    free(roots);
    free(last);
    if (st)
        mls_index_info_free(info);
    return st;
}

void mls_index_info_free(mls_index_info *info)
{
    mls_strings_free(&info->roots);
}
