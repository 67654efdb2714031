/* indexer.c - syncing the index with notes trees (see indexer.h). */
#include "mlsearch/indexer.h"
#include "mlsearch/grow.h"

#include "mlsearch/crawl.h"
#include "mlsearch/db.h"
#include "mlsearch/markdown.h"
#include "mlsearch/passage.h"
#include "mlsearch/record.h"
#include "mlsearch/terms.h"
#include "mlsearch/tokenizer.h"
#include "mlsearch/utf8.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* A transaction is committed after this many passages or notes, which
 * bounds memory on any tree and the work a kill can lose. */
#define BATCH_PASSAGES 5000
#define BATCH_NOTES 1000

/* A first build shares its notes among worker threads, each writing a
 * shard of the index, when there are at least this many notes per worker
 * (below that, starting shards and merging them costs more than it
 * saves).  The batch is shared among the workers, so memory stays flat. */
#define PARALLEL_MIN_NOTES 64
#define MAX_JOBS 8

/* Like git and notmuch, only the first bytes decide whether a file is
 * binary: a NUL among them. */
#define BINARY_SNIFF_BYTES 8000

/* What the index knows of a note: one manifest document per note. */
typedef struct manifest_entry {
    char *path;
    long long size, mtime_sec, mtime_nsec;
    long long indexed_at;   /* when it was read, in seconds since the epoch */
    int seen;               /* found by this run's crawl */
} manifest_entry;

typedef struct manifest {
    manifest_entry *entries;
    size_t count, capacity;
} manifest;

static const char manifest_magic[] = "mlsf1";

typedef struct run {
    const mls_index_options *opt;
    mls_index_stats *stats;
    mls_db *db;
    manifest known;
    manifest *queue;        /* a first build: notes to read once crawled */
    long long started;      /* the run's start, in seconds since the epoch */
    size_t batch_passages, batch_notes, batch_share;  /* share: 1 / workers */
    pthread_mutex_t *report_lock;   /* held while reporting, with workers */
    atomic_int *stop;       /* set by the first worker that fails */
    mls_status status;      /* the first failure that stops the run */
} run;

static void report(run *r, const char *path, mls_note_problem kind, const char *reason)
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

/* The manifest record (record.h): magic, path, size, mtime seconds and
 * nanoseconds, time of indexing, number of passages. */
static mls_status encode_manifest(const manifest_entry *e, size_t passages,
                                  char **out, size_t *out_len)
{
    mls_record_writer w = {0};
    mls_record_put_field(&w, manifest_magic);
    mls_record_put_field(&w, e->path);
    mls_record_put_number(&w, e->size);
    mls_record_put_number(&w, e->mtime_sec);
    mls_record_put_number(&w, e->mtime_nsec);
    mls_record_put_number(&w, e->indexed_at);
    mls_record_put_number(&w, passages);
    return mls_record_finish(&w, out, out_len);
}

/* Reads a manifest record into `e`; 0 if it is not one (or no memory). */
static int decode_manifest(const char *data, size_t len, manifest_entry *e)
{
    mls_record_reader r = {data, data + len};
    const char *magic = mls_record_field(&r), *path = mls_record_field(&r);
    unsigned long long size, sec, nsec, at, passages;

    if (!magic || strcmp(magic, manifest_magic) != 0 || !path ||
        !mls_record_number(&r, LLONG_MAX, &size) || !mls_record_number(&r, LLONG_MAX, &sec) ||
        !mls_record_number(&r, LLONG_MAX, &nsec) || !mls_record_number(&r, LLONG_MAX, &at) ||
        !mls_record_number(&r, LLONG_MAX, &passages))
        return 0;
    *e = (manifest_entry){.path = strdup(path), .size = (long long)size,
                          .mtime_sec = (long long)sec, .mtime_nsec = (long long)nsec,
                          .indexed_at = (long long)at};
    return e->path != NULL;
}

static int load_manifest_entry(const char *data, size_t len, void *ctx)
{
    manifest *m = ctx;
    manifest_entry e;
    if (!decode_manifest(data, len, &e))
        return 0; /* not ours to judge here; the entry is simply unknown */
    if (!mls_grow(&m->entries, &m->capacity, m->count + 1, sizeof *m->entries)) {
        free(e.path);
        return 1;
    }
    m->entries[m->count++] = e;
    return 0;
}

static int compare_entries(const void *a, const void *b)
{
    return strcmp(((const manifest_entry *)a)->path, ((const manifest_entry *)b)->path);
}

static manifest_entry *find_entry(manifest *m, const char *path)
{
    manifest_entry key = {.path = (char *)path};
    if (m->count == 0)
        return NULL;
    return bsearch(&key, m->entries, m->count, sizeof key, compare_entries);
}

static void free_manifest(manifest *m)
{
    for (size_t i = 0; i < m->count; i++)
        free(m->entries[i].path);
    free(m->entries);
}

/* Adds the terms of `text` under `prefix` to `doc`, from position `pos`;
 * returns through *next the position after the last term. */
static mls_status add_text_terms(mls_doc *doc, const char *prefix, const char *text,
                                 size_t len, unsigned pos, unsigned *next)
{
    mls_tokens *tokens;
    size_t plen = strlen(prefix);
    char term[sizeof MLS_PREFIX_CONTEXT + MLS_TERM_MAX_BYTES + 8];
    mls_status st = mls_tokenize(text, len, pos, &tokens);

    if (st)
        return st;
    for (size_t i = 0; i < tokens->count && !st; i++) {
        const mls_token *t = &tokens->items[i];
        memcpy(term, prefix, plen);
        memcpy(term + plen, t->term, t->term_len);
        st = mls_doc_add_posting(doc, term, plen + t->term_len, t->pos);
    }
    if (next)
        *next = tokens->count ? tokens->items[tokens->count - 1].pos + 1 : pos;
    mls_tokens_free(tokens);
    return st;
}

/* Adds context strings, each MLS_CONTEXT_GAP positions after the last. */
static mls_status add_context_terms(mls_doc *doc, char *const *strings, size_t n,
                                    unsigned *pos)
{
    mls_status st = MLS_OK;
    for (size_t i = 0; i < n && !st; i++) {
        st = add_text_terms(doc, MLS_PREFIX_CONTEXT, strings[i], strlen(strings[i]),
                            *pos, pos);
        *pos += MLS_CONTEXT_GAP;
    }
    return st;
}

/* Builds the document of one passage: its text's terms, its context's
 * terms (a gap between context strings, so no phrase spans two), the
 * boolean terms, and the record the searcher shows. */
static mls_status add_passage(run *r, const mls_passage *p, const char *path_term,
                              size_t path_term_len)
{
    mls_doc *doc;
    char *record = NULL;
    size_t record_len;
    unsigned pos = 0;
    mls_status st = mls_doc_new(&doc);

    if (st)
        return st;
    st = add_text_terms(doc, "", p->text, p->text_len, 0, NULL);
    if (!st)
        st = add_context_terms(doc, p->headings, p->heading_count, &pos);
    if (!st)
        st = add_context_terms(doc, p->items, p->item_count, &pos);
    if (!st)
        st = mls_doc_add_boolean(doc, path_term, path_term_len);
    if (!st)
        st = mls_doc_add_boolean(doc, MLS_TERM_PASSAGE, strlen(MLS_TERM_PASSAGE));
    if (!st)
        st = mls_passage_encode(p, &record, &record_len);
    if (!st)
        st = mls_doc_set_data(doc, record, record_len);
    if (!st)
        st = mls_db_add_doc(r->db, doc);
    free(record);
    mls_doc_free(doc);
    return st;
}

/* Replaces everything the index holds for `e->path` with `passages` (may
 * be empty) and a fresh manifest entry. */
static mls_status replace_note(run *r, const manifest_entry *e,
                               const mls_passage_list *passages)
{
    char *path_term, *record = NULL;
    size_t path_term_len, record_len;
    size_t n = passages ? passages->count : 0;
    mls_doc *doc = NULL;
    mls_status st = mls_path_term(e->path, &path_term, &path_term_len);

    if (st)
        return st;
    st = mls_db_delete_term(r->db, path_term, path_term_len);
    for (size_t i = 0; i < n && !st; i++)
        st = add_passage(r, &passages->items[i], path_term, path_term_len);
    if (!st)
        st = mls_doc_new(&doc);
    if (!st)
        st = mls_doc_add_boolean(doc, path_term, path_term_len);
    if (!st)
        st = mls_doc_add_boolean(doc, MLS_TERM_FILE, strlen(MLS_TERM_FILE));
    if (!st)
        st = encode_manifest(e, n, &record, &record_len);
    if (!st)
        st = mls_doc_set_data(doc, record, record_len);
    if (!st)
        st = mls_db_add_doc(r->db, doc);
    mls_doc_free(doc);
    free(record);
    free(path_term);
    r->stats->passages += n;
    r->batch_passages += n;
    r->batch_notes++;
    return st;
}

/* Reads the whole file open on `fd` (at most `max` + 1 bytes, to notice a
 * file that grew past the cap).  0 and errno set on failure. */
static int read_all(int fd, size_t max, char **out, size_t *out_len)
{
    size_t len = 0, cap = 64 * 1024;
    char *buf = malloc(cap);
    if (!buf)
        return 0;
    for (;;) {
        if (len == cap) {
            if (len > max)
                break;
            if (!mls_grow(&buf, &cap, cap + 1, 1)) {
                free(buf);
                errno = ENOMEM;
                return 0;
            }
        }
        ssize_t got = read(fd, buf + len, cap - len);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            int saved = errno;
            free(buf);
            errno = saved;
            return 0;
        }
        if (got == 0)
            break;
        len += (size_t)got;
    }
    *out = buf;
    *out_len = len;
    return 1;
}

/* Reads, checks and parses one note, then replaces its passages. */
static mls_status index_note(run *r, manifest_entry *e)
{
    size_t max = r->opt->max_file_size ? r->opt->max_file_size : MLS_DEFAULT_MAX_FILE_SIZE;
    char *bytes = NULL, *text = NULL, reason[128];
    size_t len = 0, text_len, replaced;
    mls_passage_list passages = {0};
    mls_status st = MLS_OK;
    int fd = open(e->path, O_RDONLY | O_CLOEXEC);
    struct stat sb;
    /* Too big already?  Then it is not read at all (read_all() still
     * catches a note that grows past the cap while it is read). */
    int too_big = fd >= 0 && fstat(fd, &sb) == 0 && (unsigned long long)sb.st_size > max;

    if (fd < 0 || (!too_big && !read_all(fd, max, &bytes, &len))) {
        snprintf(reason, sizeof reason, "cannot read: %s", strerror(errno));
        report(r, e->path, MLS_NOTE_ERROR, reason);
        if (fd >= 0)
            close(fd);
        return MLS_OK;
    }
    close(fd);
    if (too_big || len > max) {
        snprintf(reason, sizeof reason, "larger than %zu bytes, skipped", max);
        report(r, e->path, MLS_NOTE_WARNING, reason);
    } else if (len == 0) {
        report(r, e->path, MLS_NOTE_WARNING, "empty file, nothing to index");
    } else if (memchr(bytes, '\0', len < BINARY_SNIFF_BYTES ? len : BINARY_SNIFF_BYTES)) {
        report(r, e->path, MLS_NOTE_WARNING, "binary file, skipped");
    } else {
        st = mls_utf8_sanitize(bytes, len, &text, &text_len, &replaced);
        if (!st && replaced) {
            snprintf(reason, sizeof reason,
                     "invalid UTF-8: %zu byte%s replaced with U+FFFD", replaced,
                     replaced == 1 ? "" : "s");
            report(r, e->path, MLS_NOTE_WARNING, reason);
        }
        if (!st)
            st = mls_markdown_passages(e->path, text, text_len, &passages);
    }
    if (!st)
        st = replace_note(r, e, &passages);
    mls_passage_list_free(&passages);
    free(text);
    free(bytes);
    return st;
}

static mls_status commit_batch(run *r, int reopen)
{
    mls_status st = mls_db_commit(r->db);
    r->batch_passages = r->batch_notes = 0;
    if (!st && reopen)
        st = mls_db_begin(r->db);
    return st;
}

/* Reads one note, and commits when the batch is full. */
static mls_status index_and_commit(run *r, manifest_entry *e)
{
    mls_status st = index_note(r, e);
    size_t share = r->batch_share ? r->batch_share : 1;
    if (!st && (r->batch_passages >= BATCH_PASSAGES / share ||
                r->batch_notes >= BATCH_NOTES / share))
        st = commit_batch(r, 1);
    return st;
}

static mls_status queue_note(manifest *queue, const manifest_entry *e)
{
    if (!mls_grow(&queue->entries, &queue->capacity, queue->count + 1,
                  sizeof *queue->entries))
        return MLS_ERR_NOMEM;
    queue->entries[queue->count] = *e;
    queue->entries[queue->count].path = strdup(e->path);
    if (!queue->entries[queue->count].path)
        return MLS_ERR_NOMEM;
    queue->count++;
    return MLS_OK;
}

static int on_note(const char *path, const struct stat *sb, void *ctx)
{
    run *r = ctx;
    manifest_entry fresh = {0}, *known = find_entry(&r->known, path);

    r->stats->files++;
    fresh.path = (char *)path;
    fresh.size = (long long)sb->st_size;
    fresh.mtime_sec = (long long)sb->st_mtim.tv_sec;
    fresh.mtime_nsec = (long long)sb->st_mtim.tv_nsec;
    fresh.indexed_at = r->started;
    if (known) {
        known->seen = 1;
        /* A note written in the very second it was last read may have
         * changed after the read without changing its mtime: not trusted. */
        if (known->size == fresh.size && known->mtime_sec == fresh.mtime_sec &&
            known->mtime_nsec == fresh.mtime_nsec &&
            known->mtime_sec < known->indexed_at)
            return 0;
        r->stats->changed++;
    } else {
        r->stats->added++;
    }
    r->status = r->queue ? queue_note(r->queue, &fresh) : index_and_commit(r, &fresh);
    return r->status != MLS_OK;
}

/* A worker of a first build: one thread, one shard, a run of notes. */
typedef struct worker {
    run r;                  /* the shard, the worker's counts */
    mls_index_stats stats;
    manifest_entry *notes;
    size_t count;
    pthread_t thread;
} worker;

static void *work(void *arg)
{
    worker *w = arg;
    mls_status st = mls_db_begin(w->r.db);
    for (size_t i = 0; i < w->count && !st && !atomic_load(w->r.stop); i++)
        st = index_and_commit(&w->r, &w->notes[i]);
    if (!st)
        st = commit_batch(&w->r, 0);
    if (st)
        atomic_store(w->r.stop, 1);
    w->r.status = st;
    return NULL;
}

/* How many workers share `queue`: one per processor, `opt->jobs` at most,
 * and none with fewer than PARALLEL_MIN_NOTES notes. */
static size_t worker_count(const run *r, const manifest *queue)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    size_t n = r->opt->jobs ? r->opt->jobs : (cpus > 0 ? (size_t)cpus : 1);
    if (n > MAX_JOBS)
        n = MAX_JOBS;
    if (n > queue->count / PARALLEL_MIN_NOTES)
        n = queue->count / PARALLEL_MIN_NOTES;
    return n ? n : 1;
}

/* Builds the index from `queue` (in crawl order) with `n` workers, each
 * taking a consecutive run of notes of about the same number of bytes
 * into a shard of its own; the shards are then merged in order, so the
 * index is the one a single writer would have made.  A failure leaves
 * the index as it was (empty: this is a first build). */
static mls_status build_with_workers(run *r, manifest *queue, size_t n, char **message)
{
    worker *workers = calloc(n, sizeof *workers);
    mls_db **shards = calloc(n, sizeof *shards);
    pthread_mutex_t report_lock = PTHREAD_MUTEX_INITIALIZER;
    atomic_int stop = 0;
    long long total = 0, done = 0;
    size_t started = 0, next = 0;
    mls_status st = workers && shards ? MLS_OK : MLS_ERR_NOMEM;

    for (size_t i = 0; i < queue->count; i++)
        total += queue->entries[i].size + 1;
    r->report_lock = &report_lock;
    for (size_t k = 0; k < n && !st; k++) {
        worker *w = &workers[k];
        size_t first = next;
        /* Up to the note that brings the bytes done past (k+1)/n of all. */
        while (next < queue->count && (k == n - 1 || done < total / (long long)n * (long long)(k + 1)))
            done += queue->entries[next++].size + 1;
        w->notes = queue->entries + first;
        w->count = next - first;
        w->r = (run){.opt = r->opt, .stats = &w->stats, .started = r->started,
                     .batch_share = n, .report_lock = &report_lock, .stop = &stop};
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
        if (!st)
            st = workers[k].r.status;
        r->stats->errors += workers[k].stats.errors;
        r->stats->passages += workers[k].stats.passages;
    }
    r->report_lock = NULL;
    if (!st)
        st = mls_db_compact(r->db, shards, n);
    for (size_t k = 0; st && message && !*message && shards && k < n; k++)
        if (shards[k] && *mls_db_message(shards[k]))
            *message = strdup(mls_db_message(shards[k]));
    for (size_t k = 0; shards && k < n; k++)
        mls_db_close(shards[k]);
    free(shards);
    free(workers);
    return st;
}

/* A first build: reads the notes the crawl queued, with workers when
 * there are enough of them, and writes the index compactly once (half
 * the size, faster searches; later runs change little). */
static mls_status build_queued(run *r, char **message)
{
    manifest *queue = r->queue;
    size_t n = worker_count(r, queue);
    mls_status st;

    if (queue->count == 0)
        return MLS_OK;
    if (n > 1)
        return build_with_workers(r, queue, n, message);
    st = mls_db_begin(r->db);
    for (size_t i = 0; i < queue->count && !st; i++)
        st = index_and_commit(r, &queue->entries[i]);
    if (!st)
        st = commit_batch(r, 0);
    if (!st)
        st = mls_db_compact(r->db, NULL, 0);
    return st;
}

/* 1 if `path` is `root` or lies under it. */
static int is_under(const char *path, const char *root)
{
    size_t n = strlen(root);
    if (strncmp(path, root, n) != 0)
        return 0;
    return path[n] == '\0' || path[n] == '/' || (n == 1 && root[0] == '/');
}

/* A path the crawl could not read may still hold notes: what the index
 * has under it is kept, not taken for deleted. */
static void on_crawl_problem(const char *path, const char *reason, int serious, void *ctx)
{
    run *r = ctx;
    report(r, path, serious ? MLS_NOTE_ERROR : MLS_NOTE_WARNING, reason);
    if (serious)
        for (size_t i = 0; i < r->known.count; i++)
            if (is_under(r->known.entries[i].path, path))
                r->known.entries[i].seen = 1;
}

/* Drops the notes the index has under `root` that the crawl did not find. */
static mls_status remove_vanished(run *r, const char *root)
{
    mls_status st = MLS_OK;
    for (size_t i = 0; i < r->known.count && !st; i++) {
        manifest_entry *e = &r->known.entries[i];
        if (e->seen || !is_under(e->path, root))
            continue;
        char *term;
        size_t term_len;
        st = mls_path_term(e->path, &term, &term_len);
        if (!st)
            st = mls_db_delete_term(r->db, term, term_len);
        free(term);
        e->seen = 1; /* counted once even if two roots overlap */
        r->stats->removed++;
    }
    return st;
}

mls_status mls_index_run(const mls_index_options *opt, mls_index_stats *stats,
                         char **message)
{
    run r = {.opt = opt, .stats = stats, .started = (long long)time(NULL)};
    manifest queue = {0};
    char **roots = calloc(opt->root_count ? opt->root_count : 1, sizeof *roots);
    mls_status st;

    memset(stats, 0, sizeof *stats);
    if (message)
        *message = NULL;
    if (!roots)
        return MLS_ERR_NOMEM;
    /* Canonical roots, so that a note has one path however it is named. */
    for (size_t i = 0; i < opt->root_count; i++) {
        roots[i] = realpath(opt->roots[i], NULL);
        if (!roots[i]) {
            char reason[128];
            snprintf(reason, sizeof reason, "cannot read: %s", strerror(errno));
            report(&r, opt->roots[i], MLS_NOTE_ERROR, reason);
        }
    }
    st = mls_db_open(opt->db_dir, MLS_DB_WRITE, &r.db, message);
    if (!st)
        st = mls_db_foreach_data(r.db, MLS_TERM_FILE, strlen(MLS_TERM_FILE),
                                 load_manifest_entry, &r.known);
    if (!st) {
        if (r.known.count > 1)
            qsort(r.known.entries, r.known.count, sizeof *r.known.entries, compare_entries);
        if (r.known.count == 0)
            r.queue = &queue;
        st = mls_db_begin(r.db);
    }
    for (size_t i = 0; i < opt->root_count && !st; i++) {
        if (!roots[i])
            continue;
        st = mls_crawl(roots[i], on_note, on_crawl_problem, &r);
        if (!st)
            st = r.status;
    }
    for (size_t i = 0; i < opt->root_count && !st; i++)
        if (roots[i])
            st = remove_vanished(&r, roots[i]);
    if (!st)
        st = commit_batch(&r, 0);
    if (!st && r.queue)
        st = build_queued(&r, message);
    if (st && r.db && message && !*message && *mls_db_message(r.db))
        *message = strdup(mls_db_message(r.db));
    mls_db_close(r.db);
    free_manifest(&r.known);
    free_manifest(&queue);
    for (size_t i = 0; i < opt->root_count; i++)
        free(roots[i]);
    free(roots);
    return st;
}
