/* search.c - a query to ranked passages (see search.h).
 *
 * Xapian finds the notes where the query may match (xquery.h); each of
 * them is read, its matching passages found and scored (note_match.h);
 * the passages of all of them are ranked together, those of the same
 * text collapsed into the best, and the best `max` read out. */
#include "mlsearch/search.h"
#include "mlsearch/internal/grow.h"
#include "mlsearch/internal/manifest.h"
#include "mlsearch/internal/note_match.h"
#include "mlsearch/internal/note_record.h"
#include "mlsearch/internal/note_texts.h"
#include "mlsearch/internal/terms.h"
#include "mlsearch/internal/xquery.h"
#include "mlsearch/strings.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Passages are ranked among those of the best notes as Xapian ranks
 * them, by their best passages (weight.h).  On the bench corpus's 450
 * queries, the top 10 from the best 20 notes is the top 10 from all notes
 * for 400 (for 429 from 50, at half the speed). */
#define NOTES_TO_RANK 20

void mls_hits_free(mls_hits *hits)
{
    if (!hits)
        return;
    for (size_t i = 0; i < hits->count; i++)
        mls_passage_clear(&hits->items[i].passage);
    free(hits->items);
    free(hits);
}

/* A matching passage, before it is read out. */
typedef struct candidate {
    char date[MLS_DATE_SIZE]; /* its note's, when hits go newest first; else "" */
    double score;
    unsigned docid;    /* its note's document */
    size_t part;       /* of a joined index, the one it is from */
    size_t path;       /* with paths_only: its note's path in candidates.paths */
    size_t passage;    /* in the note's record */
    uint64_t text_key; /* its text's length and hash: equal for equal texts */
    size_t duplicates;
} candidate;

/* Newest first (when dated), then best first. */
static int by_rank(const void *a, const void *b)
{
    const candidate *x = a, *y = b;
    int newer = strcmp(y->date, x->date);
    if (newer)
        return newer;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    /* Ties in the order the notes were indexed, as Xapian breaks them. */
    if (x->docid != y->docid)
        return x->docid < y->docid ? -1 : 1;
    return x->passage < y->passage ? -1 : x->passage > y->passage;
}

static int by_text(const void *a, const void *b)
{
    const candidate *x = a, *y = b;
    if (x->text_key != y->text_key)
        return x->text_key < y->text_key ? -1 : 1;
    return by_rank(a, b);
}

/* Keeps the first of the candidates of each text, counting the others. */
static size_t collapse(candidate *c, size_t n)
{
    size_t kept = 0;
    if (n > 1)
        qsort(c, n, sizeof *c, by_text);
    for (size_t i = 0; i < n; i++) {
        if (kept && c[kept - 1].text_key == c[i].text_key)
            c[kept - 1].duplicates++;
        else
            c[kept++] = c[i];
    }
    return kept;
}

/* A note's decoded record, kept to read its hits out of. */
typedef struct kept_note {
    unsigned docid;
    mls_note_record *rec;
} kept_note;

/* The candidates found so far. */
typedef struct candidates {
    candidate *items;
    size_t count, cap;
    int paths_only;    /* only their notes' paths will be read out: */
    mls_strings paths; /* those, each once, as they are found */
    int keep_notes;    /* few hits will be read: keep the records of the
                          notes that have candidates, by docid */
    kept_note *notes;
    size_t note_count, note_cap;
    double last_weight;            /* Xapian's weight of the last note read */
    int collapse;                  /* passages of one text are to be collapsed */
    int newest_first;              /* notes come newest first (query.h) */
    char last_date[MLS_DATE_SIZE]; /* then, the date of the last note read */
} candidates;

static void candidates_clear(candidates *c)
{
    for (size_t i = 0; i < c->note_count; i++)
        mls_note_record_free(c->notes[i].rec);
    free(c->notes);
    free(c->items);
    mls_strings_free(&c->paths);
}

static int by_key(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* How many hits the candidates make: one per text when they collapse. */
static size_t hits_held(const candidates *c)
{
    size_t n = 0;
    uint64_t *keys = c->collapse && c->count ? malloc(c->count * sizeof *keys) : NULL;
    if (!keys)
        return c->collapse && c->count ? 0 : c->count; /* out of memory: read on */
    for (size_t i = 0; i < c->count; i++)
        keys[i] = c->items[i].text_key;
    qsort(keys, c->count, sizeof *keys, by_key);
    for (size_t i = 0; i < c->count; i++)
        n += i == 0 || keys[i] != keys[i - 1];
    free(keys);
    return n;
}

/* Whether `read` notes are enough to rank from, with `enough` candidates
 * (0: never enough), the next note being `mset`'s at `next`:
 *  - ranked by weight, NOTES_TO_RANK notes or more, and the next weighs
 *    less than the last read;
 *  - newest first, `enough` hits once passages of one text are collapsed
 *    (or as many notes read as by weight), and the next is older.
 * Notes of one weight or date are read all or none: which of them come
 * first differs between one index and notebooks. */
static int read_enough(const candidates *c, size_t read, size_t enough, mls_mset *mset, size_t next)
{
    char date[MLS_DATE_SIZE];
    if (!enough || c->count < enough)
        return 0;
    if (c->newest_first)
        return (read >= NOTES_TO_RANK || hits_held(c) >= enough) &&
               !mls_mset_value(mset, next, MLS_SLOT_DATE, date, sizeof date) &&
               strcmp(date, c->last_date) < 0;
    return read >= NOTES_TO_RANK && mls_mset_weight(mset, next) < c->last_weight;
}

/* The matching passages of the first `usable` notes `mset` holds
 * (Xapian's hits from `first` on), added to *c, until read_enough();
 * *done: the notes read. */
static mls_status add_candidates(mls_db *db, const mls_match_plan *plan, mls_mset *mset,
                                 size_t first, size_t usable, size_t enough, candidates *c,
                                 size_t *done)
{
    mls_status st = MLS_OK;

    for (*done = 0; *done < usable && !st; (*done)++) {
        size_t note = *done;
        if (read_enough(c, first + note, enough, mset, note))
            break;
        c->last_weight = mls_mset_weight(mset, note);
        if (c->newest_first)
            st = mls_mset_value(mset, note, MLS_SLOT_DATE, c->last_date, sizeof c->last_date);
        const char *data;
        size_t len, found = 0;
        mls_note_record *rec = NULL;
        mls_passage_match *matches = NULL;
        unsigned docid = mls_mset_docid(mset, note);
        if (!st)
            st = mls_mset_data(mset, note, &data, &len);
        if (!st)
            st = mls_note_record_decode(data, len, &rec);
        if (!st)
            st = mls_note_match(db, plan, docid, rec, &matches, &found);
        if (!st && found && !mls_grow(&c->items, &c->cap, c->count + found, sizeof *c->items))
            st = MLS_ERR_NOMEM;
        if (!st && found && c->paths_only)
            st = mls_strings_add(&c->paths, rec->path);
        for (size_t i = 0; i < found && !st; i++) {
            const mls_note_passage *p = &rec->passages[matches[i].passage];
            candidate *added = &c->items[c->count];
            c->items[c->count++] = (candidate){
                .score = matches[i].score,
                .docid = docid,
                .part = mls_mset_part(mset, note),
                .passage = matches[i].passage,
                .path = c->paths.count ? c->paths.count - 1 : 0,
                .text_key = (uint64_t)p->text_len << 32 | p->text_hash,
            };
            memcpy(added->date, c->last_date, sizeof added->date);
        }
        free(matches);
        if (!st && found && c->keep_notes) {
            if (mls_grow(&c->notes, &c->note_cap, c->note_count + 1, sizeof *c->notes))
                c->notes[c->note_count++] = (kept_note){docid, rec}, rec = NULL;
            else
                st = MLS_ERR_NOMEM;
        }
        mls_note_record_free(rec);
    }
    return st;
}

static int by_docid(const void *a, const void *b)
{
    const kept_note *x = a, *y = b;
    return x->docid < y->docid ? -1 : x->docid > y->docid;
}

/* Where a hit is, and which it is: to read the hits note by note. */
typedef struct hit_place {
    unsigned docid;
    size_t passage;
    size_t rank;
} hit_place;

static int by_note(const void *a, const void *b)
{
    const hit_place *x = a, *y = b;
    if (x->docid != y->docid)
        return x->docid < y->docid ? -1 : 1;
    return x->passage < y->passage ? -1 : x->passage > y->passage;
}

/* The hits of the first `n` candidates, with their notes' paths only. */
static mls_status read_paths(const candidates *all, size_t n, mls_hits *hits)
{
    if (n && !(hits->items = calloc(n, sizeof *hits->items)))
        return MLS_ERR_NOMEM;
    hits->count = n;
    for (size_t i = 0; i < n; i++) {
        const candidate *h = &all->items[i];
        mls_hit *hit = &hits->items[i];
        if (!(hit->passage.path = strdup(all->paths.items[h->path])))
            return MLS_ERR_NOMEM;
        hit->score = h->score;
        hit->part = h->part;
    }
    return MLS_OK;
}

/* The record of note `docid`: the one kept, or read again (*owned). */
static mls_status note_record(mls_db *db, const candidates *all, unsigned docid,
                              mls_note_record **rec, mls_note_record **owned)
{
    kept_note key = {docid, NULL};
    const kept_note *k =
        all->note_count ? bsearch(&key, all->notes, all->note_count, sizeof key, by_docid) : NULL;
    char *data = NULL;
    size_t len;
    *owned = NULL;
    if (k) {
        *rec = k->rec;
        return MLS_OK;
    }
    mls_status st = mls_db_doc_data(db, docid, &data, &len);
    if (!st)
        st = mls_note_record_decode(data, len, owned);
    free(data);
    *rec = *owned;
    return st;
}

/* The hits of the first `n` candidates, read out of their notes'
 * records, each note's once. */
static mls_status read_hits(mls_db *db, const candidates *all, size_t n, int with_dates,
                            mls_hits *hits)
{
    const candidate *c = all->items;
    mls_note_record *rec = NULL, *owned = NULL;
    char date[MLS_DATE_SIZE] = "";
    hit_place *order = n ? malloc(n * sizeof *order) : NULL;
    mls_status st = MLS_OK;

    if (n && (!order || !(hits->items = calloc(n, sizeof *hits->items)))) {
        free(order);
        return MLS_ERR_NOMEM;
    }
    for (size_t i = 0; i < n; i++)
        order[i] = (hit_place){c[i].docid, c[i].passage, i};
    if (n > 1)
        qsort(order, n, sizeof *order, by_note);
    hits->count = n; /* each still zeroed is cleared as it is */
    for (size_t k = 0; k < n && !st; k++) {
        const candidate *h = &c[order[k].rank];
        if (k == 0 || order[k].docid != order[k - 1].docid) {
            mls_note_record_free(owned);
            st = note_record(db, all, h->docid, &rec, &owned);
            /* Newest first, the candidates have them already. */
            if (!st && with_dates && !all->newest_first)
                st = mls_db_doc_value(db, h->docid, MLS_SLOT_DATE, date, sizeof date);
        }
        mls_hit *hit = &hits->items[order[k].rank];
        memcpy(hit->date, all->newest_first ? h->date : date, sizeof date);
        if (!st)
            st = mls_note_texts_read(db, h->docid, rec, h->passage);
        if (!st)
            st = mls_note_record_passage(rec, h->passage, 0, &hit->passage);
        hit->score = h->score;
        hit->duplicates = h->duplicates;
        hit->part = h->part;
    }
    mls_note_record_free(owned);
    free(order);
    return st;
}

/* The files of the notes Xapian finds, best first, one hit each, when
 * they are the notes with a hit (mls_match_plan_notes_exact()): no note's
 * record is read, only its path, the data of the manifest document just
 * before its own (note_docs.c). */
static mls_status note_files(mls_db *db, const mls_xq *xq, size_t max, int sort_slot,
                             mls_hits *hits)
{
    mls_mset *mset = NULL;
    mls_status st = mls_db_search(db, xq, 0, max, sort_slot, &mset);
    size_t n = st ? 0 : mls_mset_size(mset);

    if (!st && n && !(hits->items = calloc(n, sizeof *hits->items)))
        st = MLS_ERR_NOMEM;
    for (size_t i = 0; i < n && !st; i++) {
        char *data = NULL;
        size_t len;
        mls_manifest_entry e;
        st = mls_db_doc_data_at(db, mls_mset_docid(mset, i), -1, &data, &len);
        if (!st)
            st = mls_manifest_decode(data, len, &e);
        if (st == MLS_ERR_INVALID)
            st = MLS_ERR_DB_CORRUPT; /* the document before is not the note's manifest */
        free(data);
        if (!st) {
            mls_hit *hit = &hits->items[hits->count++];
            hit->passage.path = e.path;
            hit->score = mls_mset_weight(mset, i);
            hit->part = mls_mset_part(mset, i);
        }
    }
    hits->passages = hits->count;
    hits->all_read = 1; /* -l over every note: the files are all of them */
    mls_mset_free(mset);
    return st;
}

/* One search; MLS_ERR_DB_MODIFIED when a writer's commits took away the
 * revision it read.  Listing files or every hit reads every note; the
 * best few read the best notes (NOTES_TO_RANK, and more until there are
 * a few more passages than `max`: some texts collapse), a batch of
 * notes at a time. */
static mls_status search_once(mls_db *db, const mls_query *q, const mls_xq *xq,
                              const mls_match_plan *plan, size_t max, int paths_only,
                              int collapse_texts, mls_hits *hits)
{
    int newest_first = q->newest_first;
    size_t enough = paths_only || max > NOTES_TO_RANK ? 0 : 2 * max;
    candidates c = {.paths_only = paths_only,
                    .keep_notes = enough > 0,
                    .collapse = collapse_texts,
                    .newest_first = newest_first};
    size_t batch = enough ? NOTES_TO_RANK : SIZE_MAX, first = 0, done = 0, size = 0;
    mls_status st = MLS_OK;

    do {
        mls_mset *mset = NULL;
        first += done;
        /* A batch and the note after it, to see what it weighs. */
        st = mls_db_search(db, xq, first, enough ? batch + 1 : batch,
                           newest_first ? MLS_SLOT_DATE : -1, &mset);
        size = st ? 0 : mls_mset_size(mset);
        if (!st)
            st = add_candidates(db, plan, mset, first, size < batch ? size : batch, enough, &c,
                                &done);
        int more = !st && done == batch && size > batch &&
                   !read_enough(&c, first + done, enough, mset, batch);
        mls_mset_free(mset);
        if (!more)
            break;
    } while (!st);
    if (!st) {
        size_t n = c.count;
        hits->passages = n;
        /* The last batch held every note left, and each was read. */
        hits->all_read = size <= batch && done == size;
        if (collapse_texts)
            n = collapse(c.items, n);
        /* Files are listed in the order of their notes, as Xapian ranks
         * them (mls_search_files()). */
        if (n > 1 && !paths_only)
            qsort(c.items, n, sizeof *c.items, by_rank);
        if (c.note_count > 1)
            qsort(c.notes, c.note_count, sizeof *c.notes, by_docid);
        st = paths_only ? read_paths(&c, n < max ? n : max, hits)
                        : read_hits(db, &c, n < max ? n : max, q->with_dates, hits);
    }
    candidates_clear(&c);
    return st;
}

static mls_status run_search(mls_db *db, const mls_query *q, size_t max, int paths_only,
                             int collapse_texts, int files, mls_hits **out)
{
    mls_xq *xq = NULL;
    mls_match_plan *plan = NULL;
    mls_hits *hits = NULL;
    mls_status st = mls_query_build(q, &xq);

    *out = NULL;
    if (!st)
        st = mls_match_plan_new(db, q, &plan);
    /* A writer that commits twice while the records are read makes the
     * revision go away: reopen on the last commit and search again. */
    for (int attempt = 0; !st; attempt++) {
        if (!(hits = calloc(1, sizeof *hits))) {
            st = MLS_ERR_NOMEM;
            break;
        }
        st = files && mls_match_plan_notes_exact(plan)
                 ? note_files(db, xq, max, q->newest_first ? MLS_SLOT_DATE : -1, hits)
                 : search_once(db, q, xq, plan, max, paths_only, collapse_texts, hits);
        if (st != MLS_ERR_DB_MODIFIED || attempt == 4)
            break;
        mls_hits_free(hits);
        hits = NULL;
        st = mls_db_reopen(db);
    }
    mls_match_plan_free(plan);
    mls_xq_free(xq);
    if (st) {
        mls_hits_free(hits);
        return st;
    }
    *out = hits;
    return MLS_OK;
}

mls_status mls_search(mls_db *db, const mls_query *q, size_t max, mls_hits **out)
{
    return run_search(db, q, max, 0, 1, 0, out);
}

mls_status mls_search_all(mls_db *db, const mls_query *q, size_t max, mls_hits **out)
{
    return run_search(db, q, max, 0, 0, 0, out);
}

mls_status mls_search_paths(mls_db *db, const mls_query *q, size_t max, mls_hits **out)
{
    return run_search(db, q, max, 1, 0, 0, out);
}

mls_status mls_search_files(mls_db *db, const mls_query *q, size_t max, mls_hits **out)
{
    return run_search(db, q, max, 1, 0, 1, out);
}

mls_status mls_search_count(mls_db *db, const mls_query *q, size_t max_notes, size_t *passages,
                            int *exact)
{
    mls_xq *xq = NULL;
    mls_match_plan *plan = NULL;
    mls_mset *mset = NULL;
    candidates c = {.paths_only = 1};
    size_t read = 0;
    mls_status st = mls_query_build(q, &xq);

    *passages = 0;
    *exact = 0;
    if (!st)
        st = mls_match_plan_new(db, q, &plan);
    /* The best `max_notes` notes, and one more to know if there are more. */
    if (!st)
        st = mls_db_search(db, xq, 0, max_notes + 1, -1, &mset);
    size_t size = st ? 0 : mls_mset_size(mset);
    if (!st)
        st = add_candidates(db, plan, mset, 0, size < max_notes ? size : max_notes, 0, &c, &read);
    if (!st) {
        /* Past `max_notes`, what the best notes hold: a lower bound (the
         * best notes hold more than their share, so no estimate from them
         * is fair). */
        *exact = size <= max_notes && read == size;
        *passages = c.count;
    }
    candidates_clear(&c);
    mls_mset_free(mset);
    mls_match_plan_free(plan);
    mls_xq_free(xq);
    return st;
}
