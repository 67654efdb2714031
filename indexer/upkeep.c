/* upkeep.c - checking and compacting an index (see upkeep.h). */
#include "mlsearch/upkeep.h"
#include "mlsearch/db.h"
#include "mlsearch/internal/lock.h"
#include "mlsearch/internal/manifest.h"
#include "mlsearch/internal/note_record.h"
#include "mlsearch/internal/terms.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The file beside the index that keeps its compacted size. */
static void compacted_path(const char *db_dir, char *out, size_t size)
{
    snprintf(out, size, "%s/compacted", db_dir);
}

void mls_upkeep_compacted(const char *db_dir, unsigned long long bytes)
{
    char path[4096], tmp[4200];
    compacted_path(db_dir, path, sizeof path);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (!f)
        return; /* then the next run records it afresh */
    int ok = fprintf(f, "%llu\n", bytes) > 0;
    ok = fclose(f) == 0 && ok;
    if (!ok || rename(tmp, path) != 0)
        remove(tmp);
}

int mls_upkeep_due(const char *db_dir, unsigned long long bytes, int read_all)
{
    char path[4096];
    unsigned long long compacted = 0;
    compacted_path(db_dir, path, sizeof path);
    FILE *f = fopen(path, "r");
    int known = f && fscanf(f, "%llu", &compacted) == 1 && compacted > 0;
    if (f)
        fclose(f);
    if (!known && read_all && bytes >= MLS_COMPACT_MIN_BYTES)
        return 1;
    if (!known) { /* an index from before: what it is now is the measure */
        mls_upkeep_compacted(db_dir, bytes);
        return 0;
    }
    return (double)bytes > MLS_COMPACT_GROWTH * (double)compacted &&
           bytes - compacted >= MLS_COMPACT_MIN_BYTES;
}

mls_status mls_upkeep_size(const char *db_dir, unsigned long long *bytes)
{
    mls_db *db = NULL;
    mls_status st = mls_db_open(db_dir, MLS_DB_READ, &db, NULL);
    if (!st)
        st = mls_db_disk_size(db, bytes);
    mls_db_close(db);
    return st;
}

mls_status mls_upkeep_compact(const char *db_dir, double wait_seconds, const atomic_int *stop,
                              unsigned long long *before, unsigned long long *after, char **message)
{
    mls_lock *lock = NULL;
    mls_db *db = NULL;
    *before = *after = 0;
    /* An index there, first: writing, one would be begun. */
    mls_status st = mls_db_open(db_dir, MLS_DB_READ, &db, message);
    mls_db_close(db);
    db = NULL;
    if (st)
        return st;
    mode_t umask_before = umask(077); /* the index is the owner's alone */
    st = mls_lock_take(db_dir, wait_seconds, stop, &lock, message);
    /* The last run died holding the lock: the damage it may have met is
     * looked for first, as an index run does. */
    int suspect = lock && mls_lock_abandoned(lock);
    if (!st)
        st = mls_db_open(db_dir, MLS_DB_WRITE, &db, message);
    if (!st && suspect && !(st = mls_db_check(db)))
        suspect = 0;
    if (!st)
        st = mls_db_disk_size(db, before);
    if (!st)
        st = mls_db_compact(db, NULL, 0);
    if (st && db && message && !*message && *mls_db_message(db))
        *message = strdup(mls_db_message(db));
    mls_db_close(db);
    if (!st)
        st = mls_upkeep_size(db_dir, after);
    if (!st)
        mls_upkeep_compacted(db_dir, *after);
    mls_lock_release(lock, suspect || st == MLS_ERR_DB_CORRUPT);
    umask(umask_before);
    return st;
}

/* The check's state: where it reports, and how many it found. */
typedef struct checking {
    mls_db *db;
    mls_check_problem_fn problem;
    void *ctx;
    size_t problems, docs;
} checking;

static void found(checking *c, const char *where, const char *what)
{
    c->problems++;
    if (c->problem)
        c->problem(where, what, c->ctx);
}

/* Checks one note: its documents are its manifest entry, then its own
 * (a record that reads, names it and holds its passages), then each chunk
 * of its texts, one after another. */
static mls_status check_note(checking *c, const mls_manifest_entry *e, size_t *passages)
{
    char *term = NULL, *data = NULL, what[160];
    size_t term_len, len, count = 0;
    unsigned *docids = NULL;
    mls_note_record *rec = NULL;
    mls_status st = mls_path_term(e->path, &term, &term_len);
    if (!st)
        st = mls_db_postings(c->db, term, term_len, &docids, &count);
    if (st)
        goto done;
    c->docs += count;
    if (count == 1 && e->passages == 0)
        goto done; /* an empty note: its manifest entry alone */
    if (count < 2 || docids[1] != docids[0] + 1) {
        found(c, e->path, "its passages are missing");
        goto done;
    }
    if (mls_db_doc_data(c->db, docids[1], &data, &len) != MLS_OK ||
        mls_note_record_decode(data, len, &rec) != MLS_OK) {
        found(c, e->path, "its passages' record does not read");
        goto done;
    }
    if (!rec->path || strcmp(rec->path, e->path) != 0) {
        found(c, e->path, "its passages' record names another note");
        goto done;
    }
    if (rec->passage_count != e->passages) {
        snprintf(what, sizeof what, "%zu passages where its manifest says %zu", rec->passage_count,
                 e->passages);
        found(c, e->path, what);
    }
    *passages += rec->passage_count;
    if (count != 2 + rec->chunk_count) {
        snprintf(what, sizeof what, "%zu documents where it has %zu", count, 2 + rec->chunk_count);
        found(c, e->path, what);
        goto done;
    }
    for (size_t k = 0; k < rec->chunk_count; k++) {
        free(data);
        data = NULL;
        if (docids[2 + k] != docids[1] + 1 + k ||
            mls_db_doc_data(c->db, docids[2 + k], &data, &len) != MLS_OK ||
            mls_note_record_add_chunk(rec, k, data, len) != MLS_OK) {
            snprintf(what, sizeof what, "chunk %zu of its texts is damaged", k + 1);
            found(c, e->path, what);
            break;
        }
    }
done:
    mls_note_record_free(rec);
    free(data);
    free(docids);
    free(term);
    return st == MLS_ERR_NOMEM ? st : MLS_OK;
}

mls_status mls_upkeep_check(const char *db_dir, mls_check_problem_fn problem, void *ctx,
                            size_t *problems, size_t *notes, size_t *passages, char **message)
{
    checking c = {.problem = problem, .ctx = ctx};
    mls_manifest manifest = {0};
    size_t files = 0, all = 0;
    char what[160];
    *problems = *notes = *passages = 0;
    mls_status st = mls_db_open(db_dir, MLS_DB_READ, &c.db, message);
    if (st == MLS_ERR_DB_CORRUPT) { /* found at opening: the one problem */
        found(&c, db_dir, message && *message ? *message : "damaged");
        *problems = c.problems;
        return MLS_OK;
    }
    if (st)
        return st;
    /* Xapian's own check first: a B-tree in pieces makes the rest moot. */
    if (mls_db_check(c.db) != MLS_OK) {
        found(&c, db_dir, mls_db_message(c.db));
        goto done;
    }
    st = mls_manifest_load(c.db, &manifest);
    if (!st)
        st = mls_db_term_count(c.db, MLS_TERM_FILE, strlen(MLS_TERM_FILE), &files);
    if (st) {
        found(&c, db_dir, *mls_db_message(c.db) ? mls_db_message(c.db) : mls_status_str(st));
        st = MLS_OK;
        goto done;
    }
    if (files != manifest.count) {
        snprintf(what, sizeof what, "%zu manifest entries do not read",
                 files - (files > manifest.count ? manifest.count : files));
        found(&c, db_dir, what);
    }
    for (size_t i = 0; i < manifest.count && !st; i++)
        st = check_note(&c, &manifest.entries[i], passages);
    if (!st && !(st = mls_db_doc_count(c.db, &all)) && all > c.docs) {
        size_t stray = all - c.docs;
        snprintf(what, sizeof what, "%zu document%s to no note", stray,
                 stray == 1 ? " belongs" : "s belong");
        found(&c, db_dir, what);
    }
    *notes = manifest.count;
done:
    *problems = c.problems;
    mls_manifest_free(&manifest);
    mls_db_close(c.db);
    return st;
}
