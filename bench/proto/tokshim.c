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
