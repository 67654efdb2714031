/* run.c - the steps of an indexer run (see run.h). */
#include "mlsearch/internal/run.h"
#include "mlsearch/internal/note_docs.h"
#include "mlsearch/internal/note_reader.h"

#include <stdlib.h>

/* A transaction is committed after this many passages or notes, which
 * bounds memory on any tree and the work a kill can lose. */
#define BATCH_PASSAGES 5000
#define BATCH_NOTES 1000
/* Of passage text: Xapian holds a batch's postings in memory. */
#define BATCH_BYTES (64 * 1024 * 1024)

size_t mls_run_max_file_size(const mls_run *r)
{
    return r->opt->max_file_size ? r->opt->max_file_size : MLS_DEFAULT_MAX_FILE_SIZE;
}

int mls_run_interrupted(const mls_run *r)
{
    return r->opt->interrupted && atomic_load(r->opt->interrupted);
}

void mls_run_report(mls_run *r, const char *path, mls_note_problem kind, const char *reason)
{
    if (kind == MLS_NOTE_ERROR)
        r->stats->errors++;
    if (r->report_lock)
        pthread_mutex_lock(r->report_lock);
    if (r->opt->report)
        r->opt->report(path, kind, reason, r->opt->report_ctx);
    if (r->report_lock)
        pthread_mutex_unlock(r->report_lock);
}

void mls_run_progress(mls_run *r)
{
    size_t done = atomic_fetch_add(r->done, 1) + 1;
    if (!r->opt->progress)
        return;
    if (r->report_lock)
        pthread_mutex_lock(r->report_lock);
    r->opt->progress(done, r->total, r->opt->progress_ctx);
    if (r->report_lock)
        pthread_mutex_unlock(r->report_lock);
}

double mls_run_seconds(const mls_run *r)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - r->began.tv_sec) + (double)(t.tv_nsec - r->began.tv_nsec) / 1e9;
}

/* The report callback of the note reader and writer. */
static void report_to_run(const char *path, mls_note_problem kind, const char *reason, void *ctx)
{
    mls_run_report(ctx, path, kind, reason);
}

int mls_run_read_note(mls_run *r, mls_manifest_entry *e, char **bytes, size_t *len)
{
    return mls_note_read(e, mls_run_max_file_size(r), report_to_run, r, bytes, len);
}

mls_status mls_run_replace_note(mls_run *r, mls_manifest_entry *e, const char *bytes, size_t len)
{
    size_t passages, text_bytes;
    mls_status st = mls_note_docs_replace(r->db, r->stemmer, e, bytes, len, report_to_run, r,
                                          &passages, &text_bytes);
    r->stats->passages += passages;
    r->batch_passages += passages;
    r->batch_bytes += text_bytes;
    r->batch_notes++;
    return st;
}

mls_status mls_run_index_note(mls_run *r, mls_manifest_entry *e, size_t *handled)
{
    char *bytes;
    size_t len;
    mls_status st = MLS_OK;

    if (mls_run_read_note(r, e, &bytes, &len)) {
        st = mls_run_replace_note(r, e, bytes, len);
        *handled += !st;
    }
    free(bytes);
    mls_run_progress(r);
    return st ? st : mls_run_commit_if_full(r);
}

mls_status mls_run_commit(mls_run *r, int reopen)
{
    mls_status st = mls_db_commit(r->db);
    r->batch_passages = r->batch_notes = r->batch_bytes = 0;
    if (!st && reopen)
        st = mls_db_begin(r->db);
    return st;
}

mls_status mls_run_commit_if_full(mls_run *r)
{
    size_t share = r->batch_share ? r->batch_share : 1;
    if (r->batch_passages >= BATCH_PASSAGES / share || r->batch_notes >= BATCH_NOTES / share ||
        r->batch_bytes >= BATCH_BYTES / share)
        return mls_run_commit(r, 1);
    return MLS_OK;
}

mls_status mls_run_record(mls_run *r, int complete)
{
    r->stats->todo = r->total;
    r->stats->done = atomic_load(r->done);
    /* Stopped with notes left to read or remove (a signal after the last
     * one only cut short the writing, which was finished all the same). */
    r->stats->interrupted =
        mls_run_interrupted(r) && (r->stats->done < r->stats->todo || !complete);
    /* The roots it lets go of leave the list only once all their notes
     * are gone: until then the next run must still see them to remove. */
    int let_go = !r->stats->interrupted;
    return mls_index_info_record(r->db, r->roots, r->root_count, let_go ? r->opt->dropped : NULL,
                                 let_go ? r->opt->dropped_count : 0, (time_t)r->started, r->stats,
                                 complete);
}

mls_status mls_run_publish(mls_run *r, mls_db *const *shards, size_t n, int complete)
{
    if (r->opt->publishing)
        atomic_store(r->opt->publishing, 1);
    mls_status st = mls_db_commit(r->db); /* the single writer's last batch */
    r->stats->seconds = mls_run_seconds(r);
    if (!st)
        st = mls_run_record(r, complete);
    if (!st)
        st = mls_db_compact(r->db, shards, n);
    if (r->opt->publishing)
        atomic_store(r->opt->publishing, 0);
    return st;
}
