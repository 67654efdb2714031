/* note_docs.c - a note's documents in the index (see note_docs.h). */
#include "mlsearch/internal/note_docs.h"
#include "mlsearch/internal/hash.h"
#include "mlsearch/internal/markdown.h"
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
static mls_status add_passage(mls_db *db, mls_stemmer *stemmer, const mls_passage *p,
                              const char *path_term, size_t path_term_len,
                              const mls_strings *tag_terms)
{
    mls_doc *doc;
    char *record = NULL;
    size_t record_len;
    unsigned pos = 0;
    mls_status st = mls_doc_new(&doc);

    if (st)
        return st;
    st = add_text_terms(doc, MLS_PREFIX_TEXT, stemmer, p->text, p->text_len, 0, NULL);
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
        st = mls_db_add_doc(db, doc);
    free(record);
    mls_doc_free(doc);
    return st;
}

/* Replaces everything the index holds for `e->path` with `passages` (may
 * be empty, each with the note's tag terms) and a fresh manifest entry. */
static mls_status replace_note(mls_db *db, mls_stemmer *stemmer, mls_manifest_entry *e,
                               const mls_passage_list *passages, const mls_strings *tag_terms)
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
    for (size_t i = 0; i < n && !st; i++)
        st = add_passage(db, stemmer, &passages->items[i], path_term, path_term_len, tag_terms);
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
    mls_doc_free(doc);
    free(record);
    free(path_term);
    return st;
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

mls_status mls_note_docs_replace(mls_db *db, mls_stemmer *stemmer, mls_manifest_entry *e,
                                 const char *bytes, size_t len, mls_index_report_fn report,
                                 void *ctx, size_t *passage_count, size_t *text_bytes)
{
    char *text = NULL, reason[128];
    size_t text_len, replaced;
    mls_passage_list passages = {0};
    mls_strings tag_terms = {0};
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
            st = mls_markdown_passages(e->path, text, text_len, &passages);
        if (!st)
            st = add_tag_terms(text, text_len, &tag_terms);
    }
    if (!st) {
        st = replace_note(db, stemmer, e, &passages, &tag_terms);
        *passage_count = passages.count;
        for (size_t i = 0; i < passages.count; i++)
            *text_bytes += passages.items[i].text_len;
    }
    mls_passage_list_free(&passages);
    mls_strings_free(&tag_terms);
    free(text);
    return st;
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
