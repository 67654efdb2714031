/* index_options.h - what an indexer run is asked to do, and how it tells
 * of each note that did not go as planned.
 *
 * Apart from indexer.h so that the modules of a run (run.h, and the note
 * reader and writer, which report) can know them without knowing the
 * function that starts the run.
 */
#ifndef MLSEARCH_INDEX_OPTIONS_H
#define MLSEARCH_INDEX_OPTIONS_H

#include <stdatomic.h>
#include <stddef.h>

/* How a note fared, for the report callback. */
typedef enum mls_note_problem {
    MLS_NOTE_INFO,    /* passed over on purpose, said only when asked: an empty
                         note, a link out of the roots, a path met twice */
    MLS_NOTE_WARNING, /* indexed or skipped, and worth knowing: binary, too big,
                         invalid UTF-8 repaired, a broken link */
    MLS_NOTE_ERROR    /* could not be read; its old passages, if any, are kept */
} mls_note_problem;

typedef void (*mls_index_report_fn)(const char *path, mls_note_problem kind, const char *reason,
                                    void *ctx);

#define MLS_DEFAULT_MAX_FILE_SIZE (16u * 1024 * 1024)

/* `done` of `total` notes to read have been handled. */
typedef void (*mls_index_progress_fn)(size_t done, size_t total, void *ctx);

typedef struct mls_index_options {
    const char *db_dir;       /* the index directory (must exist) */
    const char *const *roots; /* directories or files to index */
    size_t root_count;
    /* Roots the index remembers that this run lets go (one no longer in
     * the configuration, or forgotten on purpose): their notes are
     * removed, but for those under one of `roots`, and they leave the
     * index's list of roots.  As the index keeps them (canonical); they
     * need not exist any more. */
    const char *const *dropped;
    size_t dropped_count;
    const char *const *includes; /* see mls_crawl_options */
    size_t include_count;
    const char *const *excludes;
    size_t exclude_count;
    int follow_all_symlinks;
    int no_ignore;        /* not honour .gitignore, .ignore, .mlsearchignore */
    size_t max_file_size; /* 0: MLS_DEFAULT_MAX_FILE_SIZE */
    unsigned jobs;        /* threads for a first build; 0: one per CPU */
    int full;             /* read every note again */
    int rebuild;          /* build a new index, not reading the
                             old one (damaged?), which it replaces */
    double wait_seconds;  /* for another indexer: 0 not, < 0 forever */
    /* When it becomes nonzero (a signal handler sets it: a lock-free
     * atomic, so threads may read it), the run stops after the notes at
     * hand, commits what is done, and fails with MLS_ERR_INTERRUPTED; the
     * next run does the rest.  A run waiting for the lock stops waiting. */
    const atomic_int *interrupted;
    /* Set (to 1) while a new index (a first build, a rebuild) is being
     * published, work that reads nothing of an old index, so cannot meet
     * its damage, and that cutting short would throw away: a signal
     * handler's grace period waits for it (may be NULL). */
    atomic_int *publishing;
    mls_index_report_fn report; /* per-note problems, one at a time */
    void *report_ctx;
    mls_index_progress_fn progress; /* after each note read (may be NULL) */
    void *progress_ctx;
} mls_index_options;

#endif
