/* tokshim.c - flattens mlsearch's tokenizer output into one buffer, so that
 * Python (ctypes) pays one call per text instead of one per token.
 *
 * mls_tok_flat(text, len, &buf, &buf_len): buf holds, for every token in
 * order, a kind byte ('w' word, 'b' bigram, 'u' unigram) then the term then
 * NUL; then a 'k' record per katakana base (mls_katakana_bases), kind 'k',
 * the base, NUL.  Token i has position first_pos + i (tokenizer.h).
 * Free buf with mls_tok_free(). */
#include "mlsearch/internal/tokenizer.h"
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

typedef struct out { char *p; size_t len, cap; int fail; } out;

static void put(out *o, char kind, const char *s, size_t n)
{
    if (o->fail) return;
    if (o->len + n + 2 > o->cap) {
        size_t cap = o->cap ? o->cap * 2 : 256;
        while (cap < o->len + n + 2) cap *= 2;
        char *p = realloc(o->p, cap);
        if (!p) { o->fail = 1; return; }
        o->p = p; o->cap = cap;
    }
    o->p[o->len++] = kind;
    memcpy(o->p + o->len, s, n);
    o->len += n;
    o->p[o->len++] = '\0';
}

static int base_cb(const char *word, size_t word_len, size_t base_len, size_t rest, void *ctx)
{
    (void)word_len, (void)rest;
    put(ctx, 'k', word, base_len);
    return 0;
}

int mls_tok_flat(const char *text, size_t len, int with_bases, char **buf, size_t *buf_len)
{
    mls_tokens *t;
    out o = {0};
    if (mls_tokenize(text, len, 0, &t)) return -1;
    for (size_t i = 0; i < t->count; i++) {
        const mls_token *k = &t->items[i];
        put(&o, k->kind == MLS_TOKEN_WORD ? 'w' : k->kind == MLS_TOKEN_BIGRAM ? 'b' : 'u', k->term, k->term_len);
    }
    mls_tokens_free(t);
    if (with_bases && mls_katakana_bases(text, len, base_cb, &o)) o.fail = 1;
    if (o.fail) { free(o.p); return -1; }
    *buf = o.p; *buf_len = o.len;
    return 0;
}

void mls_tok_free(char *buf) { free(buf); }

/* mls_tok_flat_pos: as mls_tok_flat, but each katakana base record is
 * 'K', the position of the term that starts at the word's first character
 * in decimal, ':', then the base, NUL (the position of the word
 * the base comes from; added for the Zpos variants).  The word's offset in
 * the normalized text is mapped to a position by tokenizing the
 * normalized text again (same tokens as the text's; checked by the caller
 * counting misses: 4294967295 if no term starts there). */
typedef struct kpos { out *o; size_t nlen; const mls_tokens *nt; } kpos;

static int base_pos_cb(const char *word, size_t word_len, size_t base_len, size_t rest, void *ctx)
{
    kpos *k = ctx;
    size_t off = k->nlen - rest - word_len;
    unsigned pos = 0xFFFFFFFFu;
    size_t lo = 0, hi = k->nt->count;
    while (lo < hi) { /* first token with start >= off */
        size_t mid = (lo + hi) / 2;
        if (k->nt->items[mid].start < off) lo = mid + 1; else hi = mid;
    }
    if (lo < k->nt->count && k->nt->items[lo].start == off) pos = k->nt->items[lo].pos;
    char buf[16 + 256];
    if (base_len > 250) base_len = 250;
    int n = snprintf(buf, 16, "%u:", pos);
    memcpy(buf + n, word, base_len);
    put(k->o, 'K', buf, (size_t)n + base_len);
    return 0;
}

int mls_tok_flat_pos(const char *text, size_t len, char **buf, size_t *buf_len)
{
    mls_tokens *t, *nt;
    out o = {0};
    char *norm; size_t nlen;
    if (mls_tokenize(text, len, 0, &t)) return -1;
    for (size_t i = 0; i < t->count; i++) {
        const mls_token *k = &t->items[i];
        put(&o, k->kind == MLS_TOKEN_WORD ? 'w' : k->kind == MLS_TOKEN_BIGRAM ? 'b' : 'u', k->term, k->term_len);
    }
    mls_tokens_free(t);
    if (mls_normalize(text, len, &norm, &nlen)) { free(o.p); return -1; }
    if (mls_tokenize(norm, nlen, 0, &nt)) { free(norm); free(o.p); return -1; }
    kpos k = {&o, nlen, nt};
    if (mls_katakana_bases(text, len, base_pos_cb, &k)) o.fail = 1;
    mls_tokens_free(nt);
    free(norm);
    if (o.fail) { free(o.p); return -1; }
    *buf = o.p; *buf_len = o.len;
    return 0;
}
