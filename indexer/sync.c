/* sync.c - bringing an index up to date with what changed (see sync.h). */
#include "mlsearch/internal/sync.h"
#include "mlsearch/internal/changes.h"
#include "mlsearch/internal/note_date.h"
#include "mlsearch/internal/note_docs.h"

#include <stdlib.h>
#include <string.h>

/* 1 if the note `from` moved to `to` (of content `bytes`) keeps its date:
 * one from its file name may differ, and then it is read again. */
static int keeps_date(const mls_manifest_entry *from, const mls_manifest_entry *to,
                      const char *bytes, size_t len)
{
    char was[MLS_DATE_SIZE], is[MLS_DATE_SIZE], bad[8];
    mls_note_date(from->path, bytes, len, (time_t)from->mtime_sec, was, bad, sizeof bad);
    mls_note_date(to->path, bytes, len, (time_t)to->mtime_sec, is, bad, sizeof bad);
    return !strcmp(was, is);
}

static mls_status move_note(mls_run *r, mls_manifest_entry *from, mls_manifest_entry *to)
{
    r->batch_notes++;
    return mls_note_docs_move(r->db, from, to);
}

static mls_status remove_note(mls_run *r, const mls_manifest_entry *e)
{
    r->stats->removed++;
    /* Not under a root of this run: under one it lets go. */
    r->stats->dropped += !mls_changes_under(e->path, (const char *const *)r->roots, r->root_count);
    r->batch_notes++;
    return mls_note_docs_remove(r->db, e);
}

mls_status mls_sync(mls_run *r)
{
    mls_manifest_entry **vanished = NULL;
    size_t vanished_count = 0;
    unsigned char *todo = calloc(r->found.count ? r->found.count : 1, 1);
    mls_status st = todo ? mls_changes_vanished(&r->known, r->roots, r->root_count, r->opt->dropped,
                                                r->opt->dropped_count, &vanished, &vanished_count)
                         : MLS_ERR_NOMEM;

    r->total = 0;
    for (size_t i = 0; i < r->found.count && todo; i++) {
        mls_manifest_entry *e = &r->found.entries[i];
        mls_manifest_entry *known = mls_manifest_find(&r->known, e->path);
        todo[i] = r->full || !known || !mls_changes_unchanged(known, e, mls_run_max_file_size(r));
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
        if (mls_run_interrupted(r)) {
            st = MLS_ERR_INTERRUPTED;
            break;
        }
        if (mls_manifest_find(&r->known, e->path)) {
            st = mls_run_index_note(r, e, &r->stats->changed);
            continue;
        }
        /* New here: maybe a note that moved, known by its content (but
         * --full reads everything again, as after a change of parser). */
        if (!mls_run_read_note(r, e, &bytes, &len)) {
            ; /* reported; read again next time */
        } else if (!r->full &&
                   (from = mls_changes_find_moved(vanished, vanished_count, e)) != NULL &&
                   keeps_date(from, e, bytes, len)) {
            from->keep = 1;
            r->stats->renamed++;
            st = move_note(r, from, e);
        } else {
            st = mls_run_replace_note(r, e, bytes, len);
            r->stats->added += !st;
        }
        free(bytes);
        mls_run_progress(r);
        if (!st)
            st = mls_run_commit_if_full(r);
    }
    for (size_t i = 0; i < vanished_count && !st; i++) {
        if (vanished[i]->keep)
            continue;
        st = mls_run_interrupted(r) ? MLS_ERR_INTERRUPTED : remove_note(r, vanished[i]);
        if (!st)
            st = mls_run_commit_if_full(r);
    }
    /* Interrupted: what is done is committed, with the record of the run;
     * the next run does the rest. */
    if (mls_status_keeps_work(st)) {
        r->stats->seconds = mls_run_seconds(r);
        mls_status committed = mls_run_record(r, !st);
        if (!committed)
            committed = mls_run_commit(r, 0);
        st = mls_status_worse(st, committed);
    }
    free(vanished);
    free(todo);
    return st;
}
