/* note_docs.c - a note's documents in the index (see note_docs.h). */
#include "mlsearch/internal/note_docs.h"
#include "mlsearch/internal/hash.h"
#include "mlsearch/internal/grow.h"
#include "mlsearch/internal/front_matter.h"
#include "mlsearch/internal/markdown.h"
#include "mlsearch/internal/note_date.h"
#include "mlsearch/internal/note_record.h"
#include "mlsearch/internal/term_weights.h"
#include "mlsearch/internal/terms.h"
#include "mlsearch/internal/tokenizer.h"
#include "mlsearch/internal/utf8.h"
#include "mlsearch/passage.h"
#include "mlsearch/strings.h"

#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Z + `text` as a term without position: a stem or a katakana base,
 * counted in the passage.  One too long for a term is left out (no word
 * that long has a stem worth it). */
static mls_status count_z_term(mls_term_weights *w, const char *text, size_t len)
{
    char term[MLS_TERM_SIZE];
    size_t term_len = mls_term(MLS_PREFIX_STEM, text, len, term);
    return term_len ? mls_term_weights_count(w, term, term_len) : MLS_OK;
}

/* The Z term of a word's stem where the stem does not start the word
 * (happy: Zhappi); a stem that does (indexing: index) is found at query
 * time among the words that start with it (db.h, mls_xq_stem). */
static mls_status count_stem(mls_term_weights *w, mls_stemmer *stemmer, const mls_token *t)
{
    const char *stem;
    size_t stem_len;
    mls_status st = mls_stem(stemmer, t->term, t->term_len, &stem, &stem_len);
    if (st || (stem_len <= t->term_len && !memcmp(stem, t->term, stem_len)))
        return st;
    return count_z_term(w, stem, stem_len);
}

typedef struct katakana_terms {
    mls_term_weights *weights;
    mls_status status;
} katakana_terms;

static int count_katakana_base(const char *base, size_t word_len, size_t len, size_t rest,
                               void *ctx)
{
    katakana_terms *k = ctx;
    (void)word_len, (void)rest;
    k->status = count_z_term(k->weights, base, len);
    return k->status != MLS_OK;
}

/* Adds the terms of `text` to `doc` from position `pos`, and weighs them
 * in `weights` (term_weights.h): as a passage's, with the stems of its
 * words and the bases of its katakana words (tokenizer.h), when `stemmer`
 * is not NULL; else as a context string's.  *end: the position after its
 * last term (`pos` when it has none). */
static mls_status add_text_terms(mls_doc *doc, mls_term_weights *weights, mls_stemmer *stemmer,
                                 const char *text, size_t len, unsigned pos, unsigned *end)
{
    mls_tokens *tokens;
    mls_status st = mls_tokenize(text, len, pos, &tokens);

    if (st)
        return st;
    for (size_t i = 0; i < tokens->count && !st; i++) {
        const mls_token *t = &tokens->items[i];
        st = mls_doc_add_posting(doc, t->term, t->term_len, t->pos);
        if (!st && !stemmer)
            st = mls_term_weights_context(weights, t->term, t->term_len);
        if (!st && stemmer)
            st = mls_term_weights_count(weights, t->term, t->term_len);
        if (!st && stemmer && t->kind == MLS_TOKEN_WORD)
            st = count_stem(weights, stemmer, t);
    }
    if (!st && stemmer) {
        katakana_terms k = {weights, MLS_OK};
        st = mls_katakana_bases(text, len, count_katakana_base, &k);
        if (!st)
            st = k.status;
        mls_term_weights_end_passage(weights, (double)tokens->count);
    }
    *end = tokens->count ? tokens->items[tokens->count - 1].pos + 1 : pos;
    mls_tokens_free(tokens);
    return st;
}

/* A note's record under construction: its passages, and its context
 * strings each once, found again by a hash of their kind and text. */
typedef struct note_build {
    mls_note_record rec;
    size_t context_cap;
    size_t *slots; /* open addressing: context index + 1, 0 for free */
    size_t slot_count;
    unsigned *ids; /* every passage's heading then item indexes */
    size_t id_count, id_cap;
    size_t (*id_at)[2]; /* where each passage's headings and items start */
} note_build;

static uint64_t context_hash(mls_context_kind kind, const char *text)
{
    return mls_hash64(text, strlen(text)) * 31 + (uint64_t)kind;
}

/* Makes room for one more context in the table, at most half full. */
static int grow_slots(note_build *b)
{
    if (b->rec.context_count + 1 <= b->slot_count / 2)
        return 1;
    size_t count = b->slot_count ? b->slot_count * 2 : 64;
    size_t *slots = calloc(count, sizeof *slots);
    if (!slots)
        return 0;
    for (size_t i = 0; i < b->rec.context_count; i++) {
        const mls_note_context *c = &b->rec.contexts[i];
        size_t at = (size_t)(context_hash(c->kind, c->text) % count);
        while (slots[at])
            at = (at + 1) % count;
        slots[at] = i + 1;
    }
    free(b->slots);
    b->slots = slots;
    b->slot_count = count;
    return 1;
}

/* The index of the context string (`kind`, `text`), added if new (its
 * text borrowed from the passages, which outlive the build). */
static mls_status intern_context(note_build *b, mls_context_kind kind, const char *text,
                                 unsigned *id)
{
    if (!grow_slots(b))
        return MLS_ERR_NOMEM;
    size_t at = (size_t)(context_hash(kind, text) % b->slot_count);
    for (; b->slots[at]; at = (at + 1) % b->slot_count) {
        const mls_note_context *c = &b->rec.contexts[b->slots[at] - 1];
        if (c->kind == kind && !strcmp(c->text, text)) {
            *id = (unsigned)(b->slots[at] - 1);
            return MLS_OK;
        }
    }
    if (!mls_grow(&b->rec.contexts, &b->context_cap, b->rec.context_count + 1,
                  sizeof *b->rec.contexts))
        return MLS_ERR_NOMEM;
    *id = (unsigned)b->rec.context_count;
    b->rec.contexts[b->rec.context_count++] =
        (mls_note_context){.kind = kind, .text = text, .text_len = strlen(text)};
    b->slots[at] = *id + 1;
    return MLS_OK;
}

static mls_status add_context_ids(note_build *b, mls_context_kind kind, char *const *strings,
                                  size_t n)
{
    mls_status st = MLS_OK;
    if (!mls_grow(&b->ids, &b->id_cap, b->id_count + n + 1, sizeof *b->ids))
        return MLS_ERR_NOMEM;
    for (size_t i = 0; i < n && !st; i++)
        st = intern_context(b, kind, strings[i], &b->ids[b->id_count++]);
    return st;
}

/* Adds chunk `k` of the texts of `rec` as a document of its own, found
 * and removed with the note by its path term. */
static mls_status add_chunk_doc(mls_db *db, const mls_note_record *rec, size_t k,
                                const char *path_term, size_t path_term_len)
{
    char *data = NULL;
    size_t len;
    mls_doc *doc = NULL;
    mls_status st = mls_note_record_encode_chunk(rec, k, &data, &len);
    if (!st)
        st = mls_doc_new(&doc);
    if (!st)
        st = mls_doc_add_boolean(doc, path_term, path_term_len);
    if (!st)
        st = mls_doc_set_data(doc, data, len);
    if (!st)
        st = mls_db_add_doc(db, doc);
    mls_doc_free(doc);
    free(data);
    return st;
}

/* The note's document: the terms of its passages, then of its context
 * strings, with positions that run on through the note and one position
 * left between two passages or strings, so that no phrase spans two; its
 * stems and katakana bases; its tags, path and date; and its record.  Then the
 * chunks of its texts, each the next document (note_record.h). */
static mls_status add_note_docs(mls_db *db, mls_stemmer *stemmer, const char *path,
                                const mls_passage_list *passages, const mls_strings *tag_terms,
                                const char *date, const char *path_term, size_t path_term_len)
{
    size_t n = passages->count;
    note_build b = {.rec = {.path = path, .path_len = strlen(path), .passage_count = n}};
    unsigned pos = 0;
    mls_doc *doc = NULL;
    char *record = NULL;
    size_t record_len;
    mls_term_weights *weights = NULL;
    mls_status st = mls_doc_new(&doc);

    if (!st)
        st = mls_term_weights_new(&weights);
    if (!st && n &&
        (!(b.rec.passages = calloc(n, sizeof *b.rec.passages)) ||
         !(b.id_at = calloc(n, sizeof *b.id_at))))
        st = MLS_ERR_NOMEM;
    for (size_t i = 0; i < n && !st; i++) {
        const mls_passage *p = &passages->items[i];
        mls_note_passage *np = &b.rec.passages[i];
        *np = (mls_note_passage){.kind = p->kind,
                                 .line = p->line,
                                 .column = p->column,
                                 .end_line = p->end_line,
                                 .first_pos = pos,
                                 .heading_count = p->heading_count,
                                 .item_count = p->item_count,
                                 .text = p->text,
                                 .text_len = p->text_len};
        st = add_text_terms(doc, weights, stemmer, p->text, p->text_len, pos, &np->end_pos);
        pos = np->end_pos + 1;
        b.id_at[i][0] = b.id_count;
        if (!st)
            st = add_context_ids(&b, MLS_CONTEXT_HEADING, p->headings, p->heading_count);
        b.id_at[i][1] = b.id_count;
        if (!st)
            st = add_context_ids(&b, MLS_CONTEXT_ITEM, p->items, p->item_count);
    }
    for (size_t i = 0; i < n && !st; i++) {
        b.rec.passages[i].headings = b.ids + b.id_at[i][0];
        b.rec.passages[i].items = b.ids + b.id_at[i][1];
    }
    for (size_t i = 0; i < b.rec.context_count && !st; i++) {
        mls_note_context *c = &b.rec.contexts[i];
        c->first_pos = pos;
        st = add_text_terms(doc, weights, NULL, c->text, c->text_len, pos, &c->end_pos);
        pos = c->end_pos + 1;
    }
    if (!st)
        st = mls_term_weights_add_to(weights, doc);
    for (size_t i = 0; i < tag_terms->count && !st; i++)
        st = mls_doc_add_boolean(doc, tag_terms->items[i], strlen(tag_terms->items[i]));
    if (!st)
        st = mls_doc_add_boolean(doc, path_term, path_term_len);
    if (!st)
        st = mls_doc_add_boolean(doc, MLS_TERM_NOTE, strlen(MLS_TERM_NOTE));
    if (!st)
        st = mls_doc_set_value(doc, MLS_SLOT_DATE, date, strlen(date));
    if (!st) {
        mls_note_record_split(&b.rec);
        st = mls_note_record_encode(&b.rec, &record, &record_len);
    }
    if (!st)
        st = mls_doc_set_data(doc, record, record_len);
    if (!st)
        st = mls_db_add_doc(db, doc);
    for (size_t k = 0; k < b.rec.chunk_count && !st; k++)
        st = add_chunk_doc(db, &b.rec, k, path_term, path_term_len);
    mls_doc_free(doc);
    mls_term_weights_free(weights);
    free(record);
    free(b.rec.passages);
    free(b.rec.contexts);
    free(b.slots);
    free(b.ids);
    free(b.id_at);
    return st;
}

/* Replaces everything the index holds for `e->path` with a fresh
 * manifest entry and, right after it, `passages` (may be empty; the note's
 * tag terms and date go with them). */
static mls_status replace_note(mls_db *db, mls_stemmer *stemmer, mls_manifest_entry *e,
                               const mls_passage_list *passages, const mls_strings *tag_terms,
                               const char *date)
{
    char *path_term, *record = NULL;
    size_t path_term_len, record_len;
    size_t n = passages ? passages->count : 0;
    mls_doc *doc = NULL;
    mls_status st = mls_path_term(e->path, &path_term, &path_term_len);

    if (st)
        return st;
    e->passages = n;
    st = mls_db_delete_term(db, path_term, path_term_len);
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
        st = mls_db_add_doc(db, doc);
    /* Right after: the note's path is the data of the document before. */
    if (!st && n)
        st = add_note_docs(db, stemmer, e->path, passages, tag_terms, date, path_term,
                           path_term_len);
    mls_doc_free(doc);
    free(record);
    free(path_term);
    return st;
}

static int by_text(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The boolean terms of the note's tags, those of its front matter and
 * the #tags of its prose (`tags`, from mls_markdown_passages()): K + the
 * tag as normalized text (`tag:ML` finds `tags: [ml]` and `#ML`), each
 * once (sorted: a note of many tags costs no more than sorting them),
 * into `terms`. */
static mls_status add_tag_terms(const char *text, size_t len, mls_strings *tags, mls_strings *terms)
{
    mls_status st = mls_front_matter_tags(text, len, tags);
    for (size_t i = 0; i < tags->count && !st; i++) {
        char *term;
        st = mls_tag_term(tags->items[i], strlen(tags->items[i]), &term);
        if (!st && *term)
            st = mls_strings_add(terms, term);
        free(term);
    }
    if (!st && terms->count > 1) {
        size_t kept = 1;
        qsort(terms->items, terms->count, sizeof *terms->items, by_text);
        for (size_t i = 1; i < terms->count; i++) {
            if (strcmp(terms->items[i], terms->items[kept - 1]) != 0)
                terms->items[kept++] = terms->items[i];
            else
                free(terms->items[i]);
        }
        terms->count = kept;
    }
    return st;
}

mls_status mls_note_docs_replace(mls_db *db, mls_stemmer *stemmer, mls_manifest_entry *e,
                                 const char *bytes, size_t len, mls_index_report_fn report,
                                 void *ctx, size_t *passage_count, size_t *text_bytes)
{
    char *text = NULL, reason[192], date[MLS_DATE_SIZE] = "", bad_date[80];
    size_t text_len, replaced;
    mls_passage_list passages = {0};
    mls_strings tags = {0}, tag_terms = {0};
    mls_status st = MLS_OK;

    *passage_count = *text_bytes = 0;
    if (bytes) {
        st = mls_utf8_sanitize(bytes, len, &text, &text_len, &replaced);
        if (!st && replaced) {
            snprintf(reason, sizeof reason, "invalid UTF-8: %zu byte%s replaced with U+FFFD",
                     replaced, replaced == 1 ? "" : "s");
            report(e->path, MLS_NOTE_WARNING, reason, ctx);
        }
        if (!st)
            st = mls_markdown_passages(e->path, text, text_len, &passages, &tags);
        if (!st)
            st = add_tag_terms(text, text_len, &tags, &tag_terms);
        mls_note_date(e->path, text, text_len, (time_t)e->mtime_sec, date, bad_date,
                      sizeof bad_date);
        if (*bad_date) {
            snprintf(reason, sizeof reason,
                     "front matter date '%s' is not YYYY-MM-DD; dated by its file instead",
                     bad_date);
            report(e->path, MLS_NOTE_WARNING, reason, ctx);
        }
    }
    if (!st) {
        st = replace_note(db, stemmer, e, &passages, &tag_terms, date);
        *passage_count = passages.count;
        for (size_t i = 0; i < passages.count; i++)
            *text_bytes += passages.items[i].text_len;
    }
    mls_passage_list_free(&passages);
    mls_strings_free(&tags);
    mls_strings_free(&tag_terms);
    free(text);
    return st;
}

/* Rewrites a moved note's records: the manifest entry becomes the new
 * one, the note's record gets the new path, its chunks stay as they are. */
typedef struct moving {
    mls_manifest_entry *to;
} moving;

static mls_status rewrite_moved(const char *data, size_t len, char **out, size_t *out_len,
                                void *ctx)
{
    moving *m = ctx;
    mls_manifest_entry old;
    mls_status st = mls_manifest_decode(data, len, &old);
    if (!st) {
        m->to->passages = old.passages;
        free(old.path);
        return mls_manifest_encode(m->to, out, out_len);
    }
    if (st != MLS_ERR_INVALID)
        return st;
    if (mls_note_record_is_chunk(data, len)) { /* texts: no path in them */
        if (!(*out = malloc(len ? len : 1)))
            return MLS_ERR_NOMEM;
        memcpy(*out, data, len);
        *out_len = len;
        return MLS_OK;
    }
    mls_note_record *r;
    st = mls_note_record_decode(data, len, &r);
    if (st)
        return st;
    r->path = m->to->path;
    r->path_len = strlen(m->to->path);
    st = mls_note_record_encode(r, out, out_len);
    mls_note_record_free(r);
    return st;
}

mls_status mls_note_docs_move(mls_db *db, const mls_manifest_entry *from, mls_manifest_entry *to)
{
    char *from_term = NULL, *to_term = NULL;
    size_t from_len, to_len;
    moving m = {to};
    mls_status st = mls_path_term(from->path, &from_term, &from_len);
    if (!st)
        st = mls_path_term(to->path, &to_term, &to_len);
    if (!st)
        st = mls_db_rename_term(db, from_term, from_len, to_term, to_len, rewrite_moved, &m);
    free(from_term);
    free(to_term);
    return st;
}

mls_status mls_note_docs_remove(mls_db *db, const mls_manifest_entry *e)
{
    char *term;
    size_t term_len;
    mls_status st = mls_path_term(e->path, &term, &term_len);
    if (!st)
        st = mls_db_delete_term(db, term, term_len);
    free(term);
    return st;
}
