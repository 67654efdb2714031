/* indexer.c - syncing the index with notes trees (see indexer.h). */
#include "mlsearch/indexer.h"
#include "mlsearch/internal/crawl.h"
#include "mlsearch/db.h"
#include "mlsearch/internal/grow.h"
#include "mlsearch/internal/hash.h"
#include "mlsearch/index_info.h"
#include "mlsearch/internal/lock.h"
#include "mlsearch/internal/manifest.h"
#include "mlsearch/internal/markdown.h"
#include "mlsearch/passage.h"
#include "mlsearch/internal/record.h"
#include "mlsearch/internal/stemmer.h"
#include "mlsearch/strings.h"
#include "mlsearch/internal/terms.h"
#include "mlsearch/internal/tokenizer.h"
#include "mlsearch/internal/utf8.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* A transaction is committed after this many passages or notes, which
 * bounds memory on any tree and the work a kill can lose. */
#define BATCH_PASSAGES 5000
#define BATCH_NOTES 1000
/* Of passage text: Xapian holds a batch's postings in memory. */
#define BATCH_BYTES (64 * 1024 * 1024)

/* A first build shares its notes among worker threads, each writing a
 * shard of the index, when there are at least this many notes per worker
 * (below that, starting shards and merging them costs more than it
 * saves).  The batch is shared among the workers, so memory stays flat. */
#define PARALLEL_MIN_NOTES 64
#define MAX_JOBS 8

/* Like git and notmuch, only the first bytes decide whether a file is
 * binary: a NUL among them. */
#define BINARY_SNIFF_BYTES 8000

typedef struct run {
    const mls_index_options *opt;
    mls_index_stats *stats;
    mls_db *db;
    mls_stemmer *stemmer; /* this thread's */
    mls_manifest known;   /* what the index held when the run began */
    mls_manifest found;   /* notes the crawl found, in crawl order */
    char *const *roots;   /* the roots that could be read (canonical) */
    size_t root_count;
    long long started;     /* the run's start, in seconds since the epoch */
    struct timespec began; /* the same, on the monotonic clock */
    int full;              /* read every note: asked for, or an older index */
    size_t batch_passages, batch_notes, batch_bytes, batch_share; /* share: 1 / workers */
    pthread_mutex_t *report_lock; /* held while reporting, with workers */
    atomic_size_t *done;          /* notes handled, for progress */
    size_t total;                 /* notes to handle */
    atomic_int *stop;             /* set by the first worker that fails */
    mls_status status;            /* the first failure that stops the run */
} run;

static size_t max_file_size(const run *r)
{
    return r->opt->max_file_size ? r->opt->max_file_size : MLS_DEFAULT_MAX_FILE_SIZE;
}

static int interrupted(const run *r)
{
    return r->opt->interrupted && atomic_load(r->opt->interrupted);
}

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

static void progress(run *r)
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

/* Z + `text` as a term without position: a stem or a katakana base.  One
 * too long for a term is left out (no word that long has a stem worth it). */
static mls_status add_z_term(mls_doc *doc, const char *text, size_t len)
{
    char term[MLS_TERM_SIZE];
    size_t term_len = mls_term(MLS_PREFIX_STEM, text, len, term);
    return term_len ? mls_doc_add_term(doc, term, term_len, 1) : MLS_OK;
}

static mls_status add_stem(mls_doc *doc, mls_stemmer *stemmer, const mls_token *t)
{
    const char *stem;
    size_t stem_len;
    mls_status st = mls_stem(stemmer, t->term, t->term_len, &stem, &stem_len);
    if (st || (stem_len == t->term_len && !memcmp(stem, t->term, stem_len)))
        return st;
    return add_z_term(doc, stem, stem_len);
}

typedef struct katakana_terms {
    mls_doc *doc;
    mls_status status;
} katakana_terms;

static int add_katakana_base(const char *base, size_t word_len, size_t len, size_t rest, void *ctx)
{
    katakana_terms *k = ctx;
    (void)word_len, (void)rest;
    k->status = add_z_term(k->doc, base, len);
    return k->status != MLS_OK;
}

/* Adds the terms of `text` under `prefix` to `doc`, from position `pos`,
 * and when `stemmer` is not NULL the stems of its words and the bases of
 * its katakana words (tokenizer.h); returns through *next the position
 * after the last term. */
static mls_status add_text_terms(mls_doc *doc, mls_prefix prefix, mls_stemmer *stemmer,
                                 const char *text, size_t len, unsigned pos, unsigned *next)
{
    mls_tokens *tokens;
    char term[MLS_TERM_SIZE];
    mls_status st = mls_tokenize(text, len, pos, &tokens);

    if (st)
        return st;
    for (size_t i = 0; i < tokens->count && !st; i++) {
        const mls_token *t = &tokens->items[i];
        size_t term_len = mls_term(prefix, t->term, t->term_len, term);
        assert(term_len > 0); /* the tokenizer shortens long words */
        st = mls_doc_add_posting(doc, term, term_len, t->pos);
        if (!st && stemmer && t->kind == MLS_TOKEN_WORD)
            st = add_stem(doc, stemmer, t);
    }
    if (!st && stemmer) {
        katakana_terms k = {doc, MLS_OK};
        st = mls_katakana_bases(text, len, add_katakana_base, &k);
        if (!st)
            st = k.status;
    }
    if (next)
        *next = tokens->count ? tokens->items[tokens->count - 1].pos + 1 : pos;
    mls_tokens_free(tokens);
    return st;
}

/* Adds context strings, each MLS_CONTEXT_GAP positions after the last. */
static mls_status add_context_terms(mls_doc *doc, mls_prefix prefix, char *const *strings, size_t n,
                                    unsigned *pos)
{
    mls_status st = MLS_OK;
    for (size_t i = 0; i < n && !st; i++) {
        st = add_text_terms(doc, prefix, NULL, strings[i], strlen(strings[i]), *pos, pos);
        *pos += MLS_CONTEXT_GAP;
    }
    return st;
}

/* Builds the document of one passage: its text's terms, its context's
 * terms (a gap between context strings, so no phrase spans two), the
 * boolean terms, and the record the searcher shows. */
static mls_status add_passage(run *r, const mls_passage *p, const char *path_term,
                              size_t path_term_len, const mls_strings *tag_terms)
{
    mls_doc *doc;
    char *record = NULL;
    size_t record_len;
    unsigned pos = 0;
    mls_status st = mls_doc_new(&doc);

    if (st)
        return st;
    st = add_text_terms(doc, MLS_PREFIX_TEXT, r->stemmer, p->text, p->text_len, 0, NULL);
    if (!st)
        st = add_context_terms(doc, MLS_PREFIX_HEADING, p->headings, p->heading_count, &pos);
    if (!st)
        st = add_context_terms(doc, MLS_PREFIX_ITEM, p->items, p->item_count, &pos);
    for (size_t i = 0; i < tag_terms->count && !st; i++)
        st = mls_doc_add_boolean(doc, tag_terms->items[i], strlen(tag_terms->items[i]));
    if (!st)
        st = mls_doc_add_boolean(doc, path_term, path_term_len);
    if (!st)
        st = mls_doc_add_boolean(doc, MLS_TERM_PASSAGE, strlen(MLS_TERM_PASSAGE));
    if (!st) {
        /* The same text in many files is collapsed into one hit. */
        uint64_t h = mls_hash64(p->text, p->text_len);
        char key[8];
        for (int i = 0; i < 8; i++)
            key[i] = (char)(h >> (56 - 8 * i));
        st = mls_doc_set_value(doc, MLS_SLOT_TEXT_HASH, key, sizeof key);
    }
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
 * be empty, each with the note's tag terms) and a fresh manifest entry. */
static mls_status replace_note(run *r, mls_manifest_entry *e, const mls_passage_list *passages,
                               const mls_strings *tag_terms)
{
    char *path_term, *record = NULL;
    size_t path_term_len, record_len;
    size_t n = passages ? passages->count : 0;
    mls_doc *doc = NULL;
    mls_status st = mls_path_term(e->path, &path_term, &path_term_len);

    if (st)
        return st;
    e->passages = n;
    st = mls_db_delete_term(r->db, path_term, path_term_len);
    for (size_t i = 0; i < n && !st; i++)
        st = add_passage(r, &passages->items[i], path_term, path_term_len, tag_terms);
    if (!st)
        st = mls_doc_new(&doc);
    if (!st)
        st = mls_doc_add_boolean(doc, path_term, path_term_len);
    if (!st)
        st = mls_doc_add_boolean(doc, MLS_TERM_FILE, strlen(MLS_TERM_FILE));
    if (!st)
        st = mls_manifest_encode(e, &record, &record_len);
    if (!st)
        st = mls_doc_set_data(doc, record, record_len);
    if (!st)
        st = mls_db_add_doc(r->db, doc);
    mls_doc_free(doc);
    free(record);
    free(path_term);
    for (size_t i = 0; i < n; i++)
        r->batch_bytes += passages->items[i].text_len;
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

/* Reads one note into *bytes (NULL when it is skipped on purpose: too
 * big, empty or binary, each reported) and sets e->hash (0: not read).
 * 0 when it could not be read (reported as an error, unless it vanished
 * since the crawl: the next run sees it gone). */
static int read_note(run *r, mls_manifest_entry *e, char **bytes, size_t *len)
{
    size_t max = max_file_size(r);
    char reason[160], why[96];
    /* Non-blocking: a path that became a FIFO since the crawl must not
     * hang the run; fstat() then says it is no longer a regular file. */
    int fd = open(e->path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    struct stat sb;
    int regular = fd >= 0 && fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode);
    /* Too big already?  Then it is not read at all (read_all() still
     * catches a note that grows past the cap while it is read). */
    int too_big = regular && (unsigned long long)sb.st_size > max;

    *bytes = NULL;
    *len = 0;
    e->hash = 0;
    if (fd >= 0 && !regular) {
        close(fd);
        report(r, e->path, MLS_NOTE_WARNING, "not a regular file, skipped");
        return 1;
    }
    if (fd < 0 || (!too_big && !read_all(fd, max, bytes, len))) {
        int gone = errno == ENOENT;
        if (strerror_r(errno, why, sizeof why) != 0)
            snprintf(why, sizeof why, "error %d", errno);
        snprintf(reason, sizeof reason, gone ? "vanished while indexing" : "cannot read: %s", why);
        report(r, e->path, gone ? MLS_NOTE_INFO : MLS_NOTE_ERROR, reason);
        if (fd >= 0)
            close(fd);
        return 0;
    }
    /* Written to while it was read: what was read is indexed, and the
     * note, whose times no longer match the crawl's, is read next run. */
    struct stat after;
    if (!too_big && fstat(fd, &after) == 0 &&
        (after.st_size != (off_t)*len || after.st_mtim.tv_sec != sb.st_mtim.tv_sec ||
         after.st_mtim.tv_nsec != sb.st_mtim.tv_nsec))
        report(r, e->path, MLS_NOTE_INFO, "changed while it was read; read again next run");
    close(fd);
    if (too_big || *len > max) {
        snprintf(reason, sizeof reason, "larger than %zu bytes, skipped", max);
        report(r, e->path, MLS_NOTE_WARNING, reason);
        free(*bytes);
        *bytes = NULL;
        *len = 0;
        return 1;
    }
    /* Read, so hashed, even when it is then skipped: a hash of 0 means a
     * note never read (see unchanged()). */
    e->hash = mls_hash64(*bytes, *len);
    if (*len == 0) {
        report(r, e->path, MLS_NOTE_INFO, "empty file, nothing to index");
    } else if (memchr(*bytes, '\0', *len < BINARY_SNIFF_BYTES ? *len : BINARY_SNIFF_BYTES)) {
        report(r, e->path, MLS_NOTE_WARNING, "binary file, skipped");
    } else {
        return 1;
    }
    free(*bytes);
    *bytes = NULL;
    *len = 0;
    return 1;
}

/* The boolean terms of the note's front-matter tags (K + the tag as
 * normalized text: `tag:ML` finds `tags: [ml]`), added to `terms`. */
static mls_status add_tag_terms(const char *text, size_t len, mls_strings *terms)
{
    mls_strings tags = {0};
    mls_status st = mls_markdown_tags(text, len, &tags);
    for (size_t i = 0; i < tags.count && !st; i++) {
        char *term;
        st = mls_tag_term(tags.items[i], strlen(tags.items[i]), &term);
        if (!st && *term)
            st = mls_strings_add(terms, term);
        free(term);
    }
    mls_strings_free(&tags);
    return st;
}

/* Parses the note's bytes (NULL: nothing to index) and replaces its
 * passages. */
static mls_status parse_and_replace(run *r, mls_manifest_entry *e, const char *bytes, size_t len)
{
    char *text = NULL, reason[128];
    size_t text_len, replaced;
    mls_passage_list passages = {0};
    mls_strings tag_terms = {0};
    mls_status st = MLS_OK;

    if (bytes) {
        st = mls_utf8_sanitize(bytes, len, &text, &text_len, &replaced);
        if (!st && replaced) {
            snprintf(reason, sizeof reason, "invalid UTF-8: %zu byte%s replaced with U+FFFD",
                     replaced, replaced == 1 ? "" : "s");
            report(r, e->path, MLS_NOTE_WARNING, reason);
        }
        if (!st)
            st = mls_markdown_passages(e->path, text, text_len, &passages);
        if (!st)
            st = add_tag_terms(text, text_len, &tag_terms);
    }
    if (!st)
        st = replace_note(r, e, &passages, &tag_terms);
    mls_passage_list_free(&passages);
    mls_strings_free(&tag_terms);
    free(text);
    return st;
}

static mls_status commit_batch(run *r, int reopen)
{
    mls_status st = mls_db_commit(r->db);
    r->batch_passages = r->batch_notes = r->batch_bytes = 0;
    if (!st && reopen)
        st = mls_db_begin(r->db);
    return st;
}

static mls_status commit_if_full(run *r)
{
    size_t share = r->batch_share ? r->batch_share : 1;
    if (r->batch_passages >= BATCH_PASSAGES / share || r->batch_notes >= BATCH_NOTES / share ||
        r->batch_bytes >= BATCH_BYTES / share)
        return commit_batch(r, 1);
    return MLS_OK;
}

/* Reads and indexes one note whose stat is in `e`, counting it in
 * *handled when done.  A note that could not be read keeps what the index
 * has of it. */
static mls_status index_note(run *r, mls_manifest_entry *e, size_t *handled)
{
    char *bytes;
    size_t len;
    mls_status st = MLS_OK;

    if (read_note(r, e, &bytes, &len)) {
        st = parse_and_replace(r, e, bytes, len);
        *handled += !st;
    }
    free(bytes);
    progress(r);
    return st ? st : commit_if_full(r);
}

/* Crawl: each note found goes on r->found; known ones are kept. */
static int on_note(const char *path, const struct stat *sb, void *ctx)
{
    run *r = ctx;
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
    return r->status != MLS_OK || interrupted(r);
}

/* A path the crawl could not read may still hold notes: what the index
 * has there is kept, not taken for deleted.  The manifest is sorted, so
 * the notes under `path/` are one run of it. */
static void on_crawl_problem(const char *path, mls_crawl_problem kind, const char *reason,
                             void *ctx)
{
    run *r = ctx;
    static const mls_note_problem as_note[] = {
        [MLS_CRAWL_PASSED_OVER] = MLS_NOTE_INFO,
        [MLS_CRAWL_BROKEN] = MLS_NOTE_WARNING,
        [MLS_CRAWL_UNREADABLE] = MLS_NOTE_ERROR,
    };
    size_t lo = 0, hi = r->known.count, n = strlen(path);

    report(r, path, as_note[kind], reason);
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

/* 1 if the index holds `e` as it is: same size, times and inode (those an
 * older index did not record are not compared), and not written in the
 * very second it was last read (it may have changed after the read without
 * changing its mtime, the race git and notmuch guard); not indexed although
 * now over a lowered size cap, nor skipped (never read) under a raised one. */
static int unchanged(const run *r, const mls_manifest_entry *known, const mls_manifest_entry *e)
{
    size_t max = max_file_size(r);
    return known->size == e->size && known->mtime_sec == e->mtime_sec &&
           known->mtime_nsec == e->mtime_nsec && (known->inode == 0 || known->inode == e->inode) &&
           (known->ctime_sec == 0 ||
            (known->ctime_sec == e->ctime_sec && known->ctime_nsec == e->ctime_nsec)) &&
           known->mtime_sec < known->indexed_at &&
           !((unsigned long long)e->size > max && known->passages > 0) &&
           !((unsigned long long)e->size <= max && known->hash == 0);
}

/* ---- A first build, shared among threads ---- */

/* A worker of a first build: one thread, one shard, a run of notes. */
typedef struct worker {
    run r; /* the shard, the worker's counts */
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
        st = interrupted(&w->r) ? MLS_ERR_INTERRUPTED
                                : index_note(&w->r, &w->notes[i], &w->stats.added);
    /* Interrupted: what is done is kept, and merged. */
    if (mls_status_keeps_work(st))
        st = mls_status_worse(st, commit_batch(&w->r, 0));
    if (!mls_status_keeps_work(st))
        atomic_store(w->r.stop, 1);
    w->r.status = st;
    mls_stemmer_free(w->r.stemmer);
    return NULL;
}

/* How many workers share `n` notes: one per processor, `opt->jobs` at
 * most, and none with fewer than PARALLEL_MIN_NOTES notes. */
static size_t worker_count(const run *r, size_t notes)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    size_t n = r->opt->jobs ? r->opt->jobs : (cpus > 0 ? (size_t)cpus : 1);
    if (n > MAX_JOBS)
        n = MAX_JOBS;
    if (n > notes / PARALLEL_MIN_NOTES)
        n = notes / PARALLEL_MIN_NOTES;
    return n ? n : 1;
}

static double seconds_since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

/* The roots and counts of this run in the index (index_info.h). */
static mls_status record_run(run *r, int complete)
{
    return mls_index_info_record(r->db, r->roots, r->root_count, (time_t)r->started, r->stats,
                                 complete);
}

/* Makes the index built into r->db and `n` shards the one readers see:
 * the run recorded first, in the same generation, so that the index is
 * published whole, roots, last run and format mark included. */
static mls_status publish(run *r, mls_db *const *shards, size_t n, int complete)
{
    if (r->opt->publishing)
        atomic_store(r->opt->publishing, 1);
    mls_status st = mls_db_commit(r->db); /* the single writer's last batch */
    r->stats->seconds = seconds_since(&r->began);
    if (!st)
        st = record_run(r, complete);
    if (!st)
        st = mls_db_compact(r->db, shards, n);
    if (r->opt->publishing)
        atomic_store(r->opt->publishing, 0);
    return st;
}

/* Builds the index from `notes` (in crawl order) with `n` workers, each
 * taking a consecutive run of notes of about the same number of bytes
 * into a shard of its own; the shards are then merged in order, so the
 * index is the one a single writer would have made.  A failure leaves
 * the index as it was (none yet, or the one a rebuild replaces). */
static mls_status build_with_workers(run *r, mls_manifest_entry *notes, size_t count, size_t n,
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
        w->r = (run){.opt = r->opt,
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
        st = mls_status_worse(st, publish(r, shards, n, !st));
    for (size_t k = 0; st && message && !*message && shards && k < n; k++)
        if (shards[k] && *mls_db_message(shards[k]))
            *message = strdup(mls_db_message(shards[k]));
    for (size_t k = 0; shards && k < n; k++)
        mls_db_close(shards[k]);
    free(shards);
    free(workers);
    return st;
}

/* A first build: reads every note found, with workers when there are
 * enough of them, and writes the index compactly once (half the size,
 * faster searches; later runs change little). */
static mls_status build_first(run *r, char **message)
{
    size_t n = worker_count(r, r->found.count);
    mls_status st = MLS_OK;

    if (n > 1)
        return build_with_workers(r, r->found.entries, r->found.count, n, message);
    st = mls_db_begin(r->db);
    for (size_t i = 0; i < r->found.count && !st; i++)
        st = interrupted(r) ? MLS_ERR_INTERRUPTED
                            : index_note(r, &r->found.entries[i], &r->stats->added);
    if (mls_status_keeps_work(st))
        st = mls_status_worse(st, publish(r, NULL, 0, !st));
    return st;
}

/* ---- Later runs: only what changed ---- */

static int compare_by_content(const void *a, const void *b)
{
    const mls_manifest_entry *x = *(mls_manifest_entry *const *)a;
    const mls_manifest_entry *y = *(mls_manifest_entry *const *)b;
    if (x->hash != y->hash)
        return x->hash < y->hash ? -1 : 1;
    if (x->size != y->size)
        return x->size < y->size ? -1 : 1;
    return strcmp(x->path, y->path);
}

/* The notes of the index that the crawl did not find under the roots:
 * deleted, moved, or now excluded; sorted by content, to find a moved
 * note by its hash and size. */
static mls_status list_vanished(run *r, char *const *roots, size_t root_count,
                                mls_manifest_entry ***out, size_t *count)
{
    size_t n = 0, cap = 0;
    mls_manifest_entry **list = NULL;
    for (size_t i = 0; i < r->known.count; i++) {
        mls_manifest_entry *e = &r->known.entries[i];
        int under = 0;
        for (size_t k = 0; k < root_count && !under; k++)
            under = roots[k] && mls_path_is_under(e->path, roots[k]);
        if (e->keep || !under)
            continue;
        if (!mls_grow(&list, &cap, n + 1, sizeof *list)) {
            free(list);
            return MLS_ERR_NOMEM;
        }
        list[n++] = e;
    }
    if (n > 1)
        qsort(list, n, sizeof *list, compare_by_content);
    *out = list;
    *count = n;
    return MLS_OK;
}

/* A vanished note with the content of `e` not yet claimed, or NULL. */
static mls_manifest_entry *find_moved(mls_manifest_entry **vanished, size_t n,
                                      const mls_manifest_entry *e)
{
    size_t lo = 0, hi = n;
    if (e->hash == 0)
        return NULL;
    while (lo < hi) { /* the first with (hash, size) >= e's */
        size_t mid = lo + (hi - lo) / 2;
        const mls_manifest_entry *v = vanished[mid];
        if (v->hash < (uint64_t)e->hash || (v->hash == e->hash && v->size < e->size))
            lo = mid + 1;
        else
            hi = mid;
    }
    for (; lo < n && vanished[lo]->hash == e->hash && vanished[lo]->size == e->size; lo++)
        if (!vanished[lo]->keep)
            return vanished[lo];
    return NULL;
}

/* Rewrites a moved note's records: the manifest entry becomes the new
 * one, each passage gets the new path. */
typedef struct moving {
    mls_manifest_entry *to;
} moving;

static mls_status rewrite_moved(const char *data, size_t len, char **out, size_t *out_len,
                                void *ctx)
{
    moving *m = ctx;
    mls_manifest_entry old;
    mls_passage p;
    mls_status st;

    st = mls_manifest_decode(data, len, &old);
    if (!st) {
        m->to->passages = old.passages;
        free(old.path);
        return mls_manifest_encode(m->to, out, out_len);
    }
    if (st != MLS_ERR_INVALID)
        return st;
    st = mls_passage_decode(data, len, &p);
    if (st)
        return st;
    char *path = strdup(m->to->path);
    if (!path) {
        mls_passage_clear(&p);
        return MLS_ERR_NOMEM;
    }
    free(p.path);
    p.path = path;
    st = mls_passage_encode(&p, out, out_len);
    mls_passage_clear(&p);
    return st;
}

static mls_status move_note(run *r, mls_manifest_entry *from, mls_manifest_entry *to)
{
    char *from_term = NULL, *to_term = NULL;
    size_t from_len, to_len;
    moving m = {to};
    mls_status st = mls_path_term(from->path, &from_term, &from_len);
    if (!st)
        st = mls_path_term(to->path, &to_term, &to_len);
    if (!st)
        st = mls_db_rename_term(r->db, from_term, from_len, to_term, to_len, rewrite_moved, &m);
    free(from_term);
    free(to_term);
    r->batch_notes++;
    return st;
}

static mls_status remove_note(run *r, const mls_manifest_entry *e)
{
    char *term;
    size_t term_len;
    mls_status st = mls_path_term(e->path, &term, &term_len);
    if (!st)
        st = mls_db_delete_term(r->db, term, term_len);
    free(term);
    r->stats->removed++;
    r->batch_notes++;
    return st;
}

/* Reads what is new or changed, moves what moved, drops what is gone. */
static mls_status sync_changes(run *r)
{
    mls_manifest_entry **vanished = NULL;
    size_t vanished_count = 0;
    unsigned char *todo = calloc(r->found.count ? r->found.count : 1, 1);
    mls_status st = todo ? list_vanished(r, r->roots, r->root_count, &vanished, &vanished_count)
                         : MLS_ERR_NOMEM;

    r->total = 0;
    for (size_t i = 0; i < r->found.count && todo; i++) {
        mls_manifest_entry *e = &r->found.entries[i];
        mls_manifest_entry *known = mls_manifest_find(&r->known, e->path);
        todo[i] = r->full || !known || !unchanged(r, known, e);
        r->total += todo[i];
    }
    if (!st)
        st = mls_db_begin(r->db);
    for (size_t i = 0; i < r->found.count && !st; i++) {
        mls_manifest_entry *e = &r->found.entries[i], *from;
        char *bytes;
        size_t len;
        if (!todo[i])
            continue;
        if (interrupted(r)) {
            st = MLS_ERR_INTERRUPTED;
            break;
        }
        if (mls_manifest_find(&r->known, e->path)) {
            st = index_note(r, e, &r->stats->changed);
            continue;
        }
        /* New here: maybe a note that moved, known by its content (but
         * --full reads everything again, as after a change of parser). */
        if (!read_note(r, e, &bytes, &len)) {
            ; /* reported; read again next time */
        } else if (!r->full && (from = find_moved(vanished, vanished_count, e)) != NULL) {
            from->keep = 1;
            r->stats->renamed++;
            st = move_note(r, from, e);
        } else {
            st = parse_and_replace(r, e, bytes, len);
            r->stats->added += !st;
        }
        free(bytes);
        progress(r);
        if (!st)
            st = commit_if_full(r);
    }
    for (size_t i = 0; i < vanished_count && !st; i++) {
        if (vanished[i]->keep)
            continue;
        st = interrupted(r) ? MLS_ERR_INTERRUPTED : remove_note(r, vanished[i]);
        if (!st)
            st = commit_if_full(r);
    }
    /* Interrupted: what is done is committed, with the record of the run;
     * the next run does the rest. */
    if (mls_status_keeps_work(st)) {
        r->stats->seconds = seconds_since(&r->began);
        mls_status committed = record_run(r, !st);
        if (!committed)
            committed = commit_batch(r, 0);
        st = mls_status_worse(st, committed);
    }
    free(vanished);
    free(todo);
    return st;
}

/* ---- The run ---- */

static void keep_message(mls_db *db, char **message)
{
    if (db && message && !*message && *mls_db_message(db))
        *message = strdup(mls_db_message(db));
}

/* Builds the index (the first time) or updates it from what the crawl
 * found; either records the run in the same commit as its last notes.
 * Interrupted, it records and commits what was done. */
static mls_status build_or_update(run *r, char **message)
{
    return r->known.count == 0 ? build_first(r, message) : sync_changes(r);
}

mls_status mls_index_run(const mls_index_options *opt, mls_index_stats *stats, char **message)
{
    run r = {.opt = opt, .stats = stats, .started = (long long)time(NULL)};
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
            char reason[128];
            snprintf(reason, sizeof reason, "cannot read: %s", strerror(errno));
            report(&r, opt->roots[i], MLS_NOTE_ERROR, reason);
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
                                   .follow_all_symlinks = opt->follow_all_symlinks};
        st = mls_crawl(&crawl, on_note, on_crawl_problem, &r);
        if (!st)
            st = r.status;
        if (!st && interrupted(&r))
            st = MLS_ERR_INTERRUPTED;
        stats->files = r.found.count;
        r.total = r.found.count;
        r.roots = roots;
        r.root_count = n;
        if (!st)
            st = build_or_update(&r, message);
    }
    stats->seconds = seconds_since(&r.began);
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
