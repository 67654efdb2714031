/* first_build.c - the first build of an index (see first_build.h). */
#include "mlsearch/internal/first_build.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A first build shares its notes among worker threads, each writing a
 * shard of the index, when there are at least this many notes per worker
 * (below that, starting shards and merging them costs more than it
 * saves).  The batch is shared among the workers, so memory stays flat. */
#define PARALLEL_MIN_NOTES 64
#define MAX_JOBS 8

/* A worker of a first build: one thread, one shard, a run of notes. */
typedef struct worker {
    mls_run r; /* the shard, the worker's counts */
    mls_index_stats stats;
    mls_manifest_entry *notes;
    size_t count;
    pthread_t thread;
} worker;

static void *work(void *arg)
{
    worker *w = arg;
    mls_status st = mls_stemmer_new(&w->r.stemmer);
    if (!st)
        st = mls_db_begin(w->r.db);
    for (size_t i = 0; i < w->count && !st && !atomic_load(w->r.stop); i++)
        st = mls_run_interrupted(&w->r) ? MLS_ERR_INTERRUPTED
                                        : mls_run_index_note(&w->r, &w->notes[i], &w->stats.added);
    /* Interrupted: what is done is kept, and merged. */
    if (mls_status_keeps_work(st))
        st = mls_status_worse(st, mls_run_commit(&w->r, 0));
    if (!mls_status_keeps_work(st))
        atomic_store(w->r.stop, 1);
    w->r.status = st;
    mls_stemmer_free(w->r.stemmer);
    return NULL;
}

/* How many workers share `n` notes: one per processor, `opt->jobs` at
 * most, and none with fewer than PARALLEL_MIN_NOTES notes. */
static size_t worker_count(const mls_run *r, size_t notes)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    size_t n = r->opt->jobs ? r->opt->jobs : (cpus > 0 ? (size_t)cpus : 1);
    if (n > MAX_JOBS)
        n = MAX_JOBS;
    if (n > notes / PARALLEL_MIN_NOTES)
        n = notes / PARALLEL_MIN_NOTES;
    return n ? n : 1;
}

/* Builds the index from `notes` (in crawl order) with `n` workers, each
 * taking a consecutive run of notes of about the same number of bytes
 * into a shard of its own; the shards are then merged in order, so the
 * index is the one a single writer would have made.  A failure leaves
 * the index as it was (none yet, or the one a rebuild replaces). */
static mls_status build_with_workers(mls_run *r, mls_manifest_entry *notes, size_t count, size_t n,
                                     char **message)
{
    worker *workers = calloc(n, sizeof *workers);
    mls_db **shards = calloc(n, sizeof *shards);
    pthread_mutex_t report_lock = PTHREAD_MUTEX_INITIALIZER;
    atomic_int stop = 0;
    long long total = 0, done = 0;
    size_t started = 0, next = 0;
    mls_status st = workers && shards ? MLS_OK : MLS_ERR_NOMEM;

    for (size_t i = 0; i < count; i++)
        total += notes[i].size + 1;
    r->report_lock = &report_lock;
    for (size_t k = 0; k < n && !st; k++) {
        worker *w = &workers[k];
        size_t first = next;
        /* Up to the note that brings the bytes done past (k+1)/n of all. */
        while (next < count && (k == n - 1 || done < total / (long long)n * (long long)(k + 1)))
            done += notes[next++].size + 1;
        w->notes = notes + first;
        w->count = next - first;
        w->r = (mls_run){.opt = r->opt,
                         .stats = &w->stats,
                         .started = r->started,
                         .batch_share = n,
                         .report_lock = &report_lock,
                         .done = r->done,
                         .total = r->total,
                         .stop = &stop};
        st = mls_db_shard_new(r->db, (unsigned)k, &shards[k]);
        w->r.db = shards[k];
        if (!st && pthread_create(&w->thread, NULL, work, w) != 0)
            st = MLS_ERR_NOMEM;
        if (!st)
            started++;
    }
    if (st)
        atomic_store(&stop, 1);
    for (size_t k = 0; k < started; k++) {
        pthread_join(workers[k].thread, NULL);
        st = mls_status_worse(st, workers[k].r.status);
        r->stats->errors += workers[k].stats.errors;
        r->stats->added += workers[k].stats.added;
        r->stats->passages += workers[k].stats.passages;
    }
    r->report_lock = NULL;
    if (mls_status_keeps_work(st))
        /* A new index holds notes of this format alone, however far it
         * got: an interrupted build is not an older index, and its next
         * run reads only what it did not. */
        st = mls_status_worse(st, mls_run_publish(r, shards, n, 1));
    for (size_t k = 0; st && message && !*message && shards && k < n; k++)
        if (shards[k] && *mls_db_message(shards[k]))
            *message = strdup(mls_db_message(shards[k]));
    for (size_t k = 0; shards && k < n; k++)
        mls_db_close(shards[k]);
    free(shards);
    free(workers);
    return st;
}

mls_status mls_first_build(mls_run *r, char **message)
{
    size_t n = worker_count(r, r->found.count);
    mls_status st = MLS_OK;

    if (n > 1)
        return build_with_workers(r, r->found.entries, r->found.count, n, message);
    st = mls_db_begin(r->db);
    for (size_t i = 0; i < r->found.count && !st; i++)
        st = mls_run_interrupted(r) ? MLS_ERR_INTERRUPTED
                                    : mls_run_index_note(r, &r->found.entries[i], &r->stats->added);
    if (mls_status_keeps_work(st))
        st = mls_status_worse(st, mls_run_publish(r, NULL, 0, 1)); /* as above */
    return st;
}
