/* fuzz_tokenizer.c - mls_tokenize, mls_normalize, mls_katakana_bases on
 * any bytes (a note is not trusted, nor is a query).
 *
 * The indexer and the searcher both see text only through these, and
 * snippets light up the source spans they report, so it checks:
 *  - each token's span lies in the text, start < first_end <= end <= len,
 *    and spans come in text order;
 *  - positions run on by one from first_pos, with no gap;
 *  - a term is non-empty valid UTF-8 without NUL, at most
 *    MLS_TERM_MAX_BYTES; a bigram is two CJK characters, a unigram one,
 *    a word has none; a CJK run is bigrams chained character by
 *    character (a bigram's second character starts the next term) ended
 *    by a unigram, and only its first term starts a run;
 *  - a term comes from its span: its first character is in the
 *    normalization of the span's first character, a word (not shortened)
 *    is in the normalization of its whole span;
 *  - normalization gives valid UTF-8 and is idempotent (its result is
 *    NFKC, as the header says; the query parser builds text from it that
 *    is tokenized again), so tokenizing normalized text gives the same
 *    terms;
 *  - mls_katakana_bases reports, in order, runs of katakana and ー of the
 *    normalized text, where it says they are, whose base (without the
 *    final ー) has at least three characters and does not end in ー. */
#include "fuzz_support.h"

#include "mlsearch/internal/tokenizer.h"

/* Normalizes `len` bytes; NULL when out of memory. */
static char *normalized(const char *text, size_t len, size_t *out_len)
{
    char *s;
    if (mls_normalize(text, len, &s, out_len) != MLS_OK)
        return NULL;
    CHECK(s[*out_len] == '\0');
    CHECK(mls_utf8_valid(s, *out_len));
    return s;
}

static void check_tokens(const char *text, size_t len, unsigned first_pos, const mls_tokens *t)
{
    for (size_t i = 0; i < t->count; i++) {
        const mls_token *k = &t->items[i];
        CHECK(k->start < k->first_end && k->first_end <= k->end && k->end <= len);
        CHECK(i == 0 || t->items[i - 1].start <= k->start);
        CHECK(i == 0 || t->items[i - 1].end <= k->end);
        CHECK(k->pos == first_pos + i);
        CHECK(k->term_len > 0 && k->term_len <= MLS_TERM_MAX_BYTES);
        CHECK(strlen(k->term) == k->term_len);
        CHECK(mls_utf8_valid(k->term, k->term_len));

        size_t chars = 0, first_len = mls_utf8_next(k->term, k->term_len, NULL);
        int cp, cjk = 0;
        for (size_t j = 0, n; (n = fuzz_next_char(k->term, k->term_len, j, &cp)); j += n) {
            chars++;
            cjk += mls_is_cjk(cp);
        }
        const mls_token *next = i + 1 < t->count ? &t->items[i + 1] : NULL;
        switch (k->kind) {
        case MLS_TOKEN_WORD: CHECK(cjk == 0 && k->run_start); break;
        case MLS_TOKEN_BIGRAM:
            CHECK(chars == 2 && cjk == 2);
            /* The run goes on with the bigram's second character. */
            CHECK(next && next->kind != MLS_TOKEN_WORD && !next->run_start);
            CHECK(next->first_end == k->end);
            CHECK(!strncmp(next->term, k->term + first_len, k->term_len - first_len));
            break;
        case MLS_TOKEN_UNIGRAM: CHECK(chars == 1 && cjk == 1); break;
        default: CHECK(!"a token of no known kind");
        }
        if (k->kind != MLS_TOKEN_BIGRAM)
            CHECK(!next || next->run_start); /* a word or unigram ends its run */

        /* The term's first character comes from the span's first one. */
        size_t nlen;
        char *norm = normalized(text + k->start, k->first_end - k->start, &nlen);
        if (norm) {
            CHECK(fuzz_contains(norm, nlen, k->term, first_len));
            free(norm);
        }
        /* A word is its span's normalized text, or part of it (`½` is
         * `1⁄2`: two words); a shortened one holds '#', never in a word. */
        if (k->kind == MLS_TOKEN_WORD && !memchr(k->term, '#', k->term_len) &&
            (norm = normalized(text + k->start, k->end - k->start, &nlen)) != NULL) {
            CHECK(fuzz_contains(norm, nlen, k->term, k->term_len));
            free(norm);
        }
    }
}

typedef struct katakana_check {
    const char *norm; /* our own normalization of the text */
    size_t norm_len;
    size_t at; /* where the previous word ended */
    unsigned calls, stop_after;
} katakana_check;

static int each_katakana(const char *word, size_t word_len, size_t base_len, size_t rest, void *ctx)
{
    katakana_check *c = ctx;
    CHECK(word_len > 0 && base_len <= word_len);
    CHECK(rest + word_len <= c->norm_len);
    size_t start = c->norm_len - rest - word_len;
    CHECK(start >= c->at);
    CHECK(!memcmp(word, c->norm + start, word_len));
    c->at = start + word_len;

    size_t chars = 0;
    int cp = 0;
    for (size_t j = 0, n; (n = fuzz_next_char(word, word_len, j, &cp)); j += n) {
        CHECK(mls_is_katakana(cp));
        CHECK(j < base_len || cp == 0x30FC); /* after the base: only ー */
        chars += j < base_len;
    }
    CHECK(chars >= 3);
    /* The base does not end in ー. */
    CHECK(memcmp(word + base_len - 3, "\xE3\x83\xBC", 3) != 0);
    /* The word is a whole run: no katakana right before or after it. */
    if (start > 0) {
        size_t j = start - 1;
        while (j > 0 && ((unsigned char)c->norm[j] & 0xC0) == 0x80)
            j--;
        CHECK(!(mls_utf8_next(c->norm + j, start - j, &cp) && mls_is_katakana(cp)));
    }
    if (rest > 0 && mls_utf8_next(word + word_len, rest, &cp))
        CHECK(!mls_is_katakana(cp));
    return ++c->calls == c->stop_after;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    unsigned first_pos = size ? data[0] : 0;
    mls_tokens *tokens = NULL, *again = NULL;

    if (mls_tokenize(text, size, first_pos, &tokens) != MLS_OK)
        return 0;
    check_tokens(text, size, first_pos, tokens);

    size_t nlen, nnlen;
    char *norm = normalized(text, size, &nlen), *norm2 = NULL;
    if (norm && (norm2 = normalized(norm, nlen, &nnlen)) != NULL)
        CHECK(nnlen == nlen && !memcmp(norm, norm2, nlen));
    if (norm && mls_tokenize(norm, nlen, first_pos, &again) == MLS_OK) {
        CHECK(again->count == tokens->count);
        for (size_t i = 0; i < tokens->count; i++) {
            CHECK(!strcmp(again->items[i].term, tokens->items[i].term));
            CHECK(again->items[i].kind == tokens->items[i].kind);
            CHECK(again->items[i].run_start == tokens->items[i].run_start);
        }
    }

    if (norm) {
        katakana_check c = {norm, nlen, 0, 0, size ? data[size - 1] % 4 : 0};
        if (mls_katakana_bases(text, size, each_katakana, &c) == MLS_OK)
            CHECK(c.stop_after == 0 || c.calls <= c.stop_after);
    }
    mls_tokens_free(tokens);
    mls_tokens_free(again);
    free(norm);
    free(norm2);
    return 0;
}
