/* tokenizer.h - text to search terms, the same way at index and query time.
 *
 * If the indexer and the searcher ever tokenized differently, searches
 * would silently miss; so both call only this module.
 *
 * The contract:
 *  - Text is normalized with NFKC and case folding (utf8proc), default
 *    ignorable code points (soft hyphen, zero-width joiner, variation
 *    selectors, bidi controls...) are dropped: `ＡＭＬ` -> `aml`,
 *    `ｻｰﾊﾞｰ` -> `サーバー`.
 *  - A run of word characters (letters, digits and marks of non-CJK
 *    scripts) is one MLS_TOKEN_WORD term.
 *  - A run of CJK characters (Han, Hiragana, Katakana, ー, 々, Hangul,
 *    Bopomofo...) gives one overlapping MLS_TOKEN_BIGRAM per character but
 *    the last, and its last character as an MLS_TOKEN_UNIGRAM, so that
 *    every character of the run starts exactly one term:
 *    `推論サーバー` -> 推論 論サ サー ーバ バー ー.
 *  - A CJK run goes on across Markdown that sits unseen inside a word:
 *    emphasis and code marks (`**推論**サーバー`) and one line break with
 *    the next line's indent and `>` marks (hard-wrapped Japanese, which has
 *    no spaces to wrap at).  A space, a blank line or other punctuation
 *    ends it.
 *  - Anything else (spaces, punctuation, symbols, emoji) separates terms
 *    and takes no position.  Positions run on across script changes:
 *    `ML活用` -> ml@0 活用@1 用@2.
 *  - Invalid UTF-8 is read as U+FFFD (a separator), one per bad byte.
 *  - A word longer than MLS_TERM_MAX_BYTES (Xapian's terms stop at 245
 *    bytes) becomes its head and a hash of the whole word (hash.h,
 *    mls_hash_shorten), so that it is still found, as a whole word only:
 *    no term is empty or longer than MLS_TERM_MAX_BYTES.
 */
#ifndef MLSEARCH_TOKENIZER_H
#define MLSEARCH_TOKENIZER_H

#include <stddef.h>
#include "mlsearch/status.h"

#define MLS_TERM_MAX_BYTES 160

typedef enum mls_token_kind {
    MLS_TOKEN_WORD,   /* a whole word of a non-CJK script */
    MLS_TOKEN_BIGRAM, /* two adjacent characters of a CJK run */
    MLS_TOKEN_UNIGRAM /* the last character of a CJK run */
} mls_token_kind;

typedef struct mls_token {
    const char *term; /* normalized UTF-8, NUL-terminated; borrowed from the list */
    size_t term_len;  /* bytes in term */
    unsigned pos;     /* position, counted from the `first_pos` given */
    mls_token_kind kind;
    int run_start; /* 1 if this is the first term of its CJK run, or a word */
    size_t start;  /* byte span [start, end) of the term in the source text */
    size_t end;
    size_t first_end; /* end of the term's first character in the source text */
} mls_token;

typedef struct mls_tokens {
    mls_token *items; /* `count` tokens in text order */
    size_t count;
    char *terms_; /* private: storage behind every `term` */
} mls_tokens;

/* Tokenizes `len` bytes of `text` (need not be valid UTF-8 nor
 * NUL-terminated), numbering positions from `first_pos`: the tokens'
 * positions are first_pos, first_pos + 1, ... in text order, and their
 * spans never go backwards.  On success *out is a list the caller frees
 * with mls_tokens_free() (an empty list for text without terms).  Fails
 * with MLS_ERR_NOMEM, or MLS_ERR_INTERNAL should utf8proc refuse a code
 * point (a bug: asserted); then *out is NULL. */
mls_status mls_tokenize(const char *text, size_t len, unsigned first_pos, mls_tokens **out);

/* Frees a list from mls_tokenize(); NULL is fine. */
void mls_tokens_free(mls_tokens *tokens);

/* Normalizes `len` bytes of `text` exactly as the tokenizer sees them:
 * invalid bytes as U+FFFD, NFKC, case folded, default ignorables dropped.
 * On success *out is a NUL-terminated string the caller frees, of
 * *out_len bytes.  Fails as mls_tokenize() does (then *out is NULL). */
mls_status mls_normalize(const char *text, size_t len, char **out, size_t *out_len);

/* 1 if the code point, as it stands after normalization, belongs to a CJK
 * run, 0 otherwise. */
int mls_is_cjk(int codepoint);

/* 1 if `codepoint` is katakana or ー, as mls_katakana_bases() reads words. */
int mls_is_katakana(int codepoint);

/* Katakana long-vowel variants (`サーバ` and `サーバー`, `コンピュータ` and
 * `コンピューター`): calls `each(word, word_len, base_len, rest, ctx)` for
 * every katakana word of `text` (normalized as above: a maximal run of
 * katakana and ー; `word` points into a normalized copy of `text`, and
 * `rest` bytes of it follow the word) whose base, the word without its
 * final ー marks (its first `base_len` bytes), has three characters or
 * more (the JIS rule: two-character words keep theirs, so `ビール` is
 * never `ビル`).  Stops when `each` returns nonzero.  Fails as
 * mls_normalize() does. */
typedef int (*mls_katakana_fn)(const char *word, size_t word_len, size_t base_len, size_t rest,
                               void *ctx);
mls_status mls_katakana_bases(const char *text, size_t len, mls_katakana_fn each, void *ctx);

#endif
