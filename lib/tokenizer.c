/* tokenizer.c - normalization and term generation (see tokenizer.h).
 *
 * Two steps.  normalize_text() turns the source into normalized code points
 * that each remember the source bytes they came from; tokenize() then cuts
 * those into words and CJK bigrams.  Keeping the source span of every
 * normalized character is what lets snippets highlight the very bytes of
 * the note that matched, even when `ｻｰﾊﾞｰ` was normalized to `サーバー`.
 *
 * NFKC can combine characters (`ﾊ` + `ﾞ` -> `バ`), so text is normalized in
 * chunks: a character together with the following ones that combine with
 * it.  A whole chunk maps to the source bytes of all its characters. */
#include "mlsearch/internal/tokenizer.h"
#include "mlsearch/internal/grow.h"
#include "mlsearch/internal/hash.h"
#include "mlsearch/internal/utf8.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* A normalized code point and the source bytes [start, end) it came from. */
typedef struct normchar {
    int32_t cp;
    size_t start, end;
} normchar;

typedef struct normtext {
    normchar *chars;
    size_t count, capacity;
} normtext;

static const utf8proc_option_t norm_options =
    UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_IGNORE;

int mls_is_cjk(int cp)
{
    /* Scripts written without spaces between words, where a word cannot be
     * found without a dictionary: each character counts, so n-grams.  The
     * middle dot ・ (U+30FB) and ゠ (U+30A0) are punctuation, not kana. */
    /* clang-format off */
    static const int32_t ranges[][2] = {
        {0x1100, 0x11FF},  /* Hangul Jamo */
        {0x2E80, 0x2FDF},  /* CJK and Kangxi radicals */
        {0x3005, 0x3007},  /* 々 〆 〇 */
        {0x3021, 0x3029},  /* Hangzhou numerals */
        {0x3031, 0x3035},  /* kana repeat marks */
        {0x3038, 0x303C},
        {0x3041, 0x309F},  /* Hiragana */
        {0x30A1, 0x30FA},  /* Katakana */
        {0x30FC, 0x30FF},  /* ー and iteration marks */
        {0x3105, 0x312F},  /* Bopomofo */
        {0x3131, 0x318E},  /* Hangul compatibility Jamo */
        {0x31A0, 0x31BF},  /* Bopomofo extended */
        {0x31F0, 0x31FF},  /* Katakana phonetic extensions */
        {0x3400, 0x4DBF},  /* CJK extension A */
        {0x4E00, 0x9FFF},  /* CJK unified ideographs */
        {0xA960, 0xA97F},  /* Hangul Jamo extended A */
        {0xAC00, 0xD7FF},  /* Hangul syllables, Jamo extended B */
        {0xF900, 0xFAFF},  /* CJK compatibility ideographs */
        {0x1B000, 0x1B16F}, /* Kana supplement, extended A, small kana */
        {0x20000, 0x3134F}, /* CJK extensions B to G */
    };
    /* clang-format on */
    if (cp < 0x1100)
        return 0;
    for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++)
        if (cp >= ranges[i][0] && cp <= ranges[i][1])
            return 1;
    return 0;
}

/* Bytes that utf8proc_encode_char() writes for a (valid) code point. */
static size_t utf8_length(int32_t cp)
{
    return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

enum char_class { SEPARATOR, WORD, CJK };

static enum char_class classify(int32_t cp)
{
    if (cp < 0x80) {
        if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9') || (cp >= 'A' && cp <= 'Z'))
            return WORD;
        return SEPARATOR;
    }
    if (mls_is_cjk(cp))
        return CJK;
    switch (utf8proc_category(cp)) {
    /* clang-format off */
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT: case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:
    case UTF8PROC_CATEGORY_ND: case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO:
        return WORD;
    default:
        return SEPARATOR;
        /* clang-format on */
    }
}

/* 1 if `cp` can combine with the character before it under NFKC, so that
 * both must be normalized together.  A default ignorable goes with the
 * character before it too: dropped, it must not keep that one from
 * combining with what follows (`e` ZWJ U+0301 is `é`). */
static int combines_backwards(int32_t cp)
{
    utf8proc_int32_t first[32];
    int boundclass = 0;

    if (cp >= 0x80 && utf8proc_get_property(cp)->ignorable)
        return 1;
    if (cp < 0x300)
        return 0;
    utf8proc_ssize_t n =
        utf8proc_decompose_char(cp, first, 32, UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT, &boundclass);
    if (n <= 0)
        return 0;
    /* Hangul vowel and trailing Jamo join the syllable before, and so do
     * those they stand for (`ㅣ` is `ᅵ`), or normalizing the text again
     * would join them: the result would not be NFKC. */
    if (first[0] >= 0x1160 && first[0] <= 0x11FF)
        return 1;
    return utf8proc_get_property(first[0])->combining_class != 0;
}

static int push_char(normtext *nt, int32_t cp, size_t start, size_t end)
{
    if (!mls_grow(&nt->chars, &nt->capacity, nt->count + 1, sizeof *nt->chars))
        return 0;
    nt->chars[nt->count++] = (normchar){cp, start, end};
    return 1;
}

/* Normalizes the source characters src[0..n) (one chunk, from source bytes
 * [start, end)) and appends the result to `nt`.  `scratch` is a reusable
 * buffer of *scratch_cap code points. */
static mls_status normalize_chunk(const normchar *src, size_t n, normtext *nt,
                                  utf8proc_int32_t **scratch, size_t *scratch_cap)
{
    size_t start = src[0].start, end = src[n - 1].end, used = 0;

    if (n == 1 && src[0].cp < 0x80) {
        int32_t c = src[0].cp;
        if (c >= 'A' && c <= 'Z')
            c += 'a' - 'A';
        return push_char(nt, c, start, end) ? MLS_OK : MLS_ERR_NOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        for (;;) {
            int boundclass = 0;
            utf8proc_ssize_t got = utf8proc_decompose_char(src[i].cp, *scratch + used,
                                                           (utf8proc_ssize_t)(*scratch_cap - used),
                                                           norm_options, &boundclass);
            /* The decoder made every code point valid (U+FFFD for bad bytes). */
            assert(got >= 0);
            if (got < 0)
                return MLS_ERR_INTERNAL;
            if ((size_t)got <= *scratch_cap - used) {
                used += (size_t)got;
                break;
            }
            if (!mls_grow(scratch, scratch_cap, used + (size_t)got, sizeof **scratch))
                return MLS_ERR_NOMEM;
        }
    }
    utf8proc_ssize_t composed =
        utf8proc_normalize_utf32(*scratch, (utf8proc_ssize_t)used, norm_options);
    assert(composed >= 0);
    if (composed < 0)
        return MLS_ERR_INTERNAL;
    for (utf8proc_ssize_t i = 0; i < composed; i++)
        if (!push_char(nt, (*scratch)[i], start, end))
            return MLS_ERR_NOMEM;
    return MLS_OK;
}

/* Decodes and normalizes `text` into `nt` (which the caller frees). */
static mls_status normalize_text(const char *text, size_t len, normtext *nt)
{
    normtext src = {0};
    utf8proc_int32_t *scratch = NULL;
    size_t scratch_cap = 0;
    mls_status st = MLS_OK;

    for (size_t i = 0; i < len;) {
        int cp;
        size_t n = mls_utf8_next(text + i, len - i, &cp);
        if (n == 0) {
            cp = 0xFFFD; /* one replacement per invalid byte */
            n = 1;
        }
        if (!push_char(&src, cp, i, i + n)) {
            st = MLS_ERR_NOMEM;
            goto done;
        }
        i += n;
    }
    scratch_cap = 64;
    scratch = malloc(scratch_cap * sizeof *scratch);
    if (!scratch) {
        st = MLS_ERR_NOMEM;
        goto done;
    }
    for (size_t a = 0; a < src.count;) {
        size_t b = a + 1;
        while (b < src.count && combines_backwards(src.chars[b].cp))
            b++;
        st = normalize_chunk(src.chars + a, b - a, nt, &scratch, &scratch_cap);
        if (st)
            goto done;
        a = b;
    }
done:
    free(src.chars);
    free(scratch);
    return st;
}

/* The list under construction: terms go into one growing buffer and are
 * remembered by offset, turned into pointers once the buffer stops moving. */
typedef struct builder {
    mls_tokens *list;
    size_t items_cap;
    char *terms;
    size_t terms_len, terms_cap;
    size_t *offsets;
    size_t offsets_cap;
} builder;

static mls_status add_token(builder *b, const normchar *chars, size_t n, mls_token_kind kind,
                            int run_start, unsigned pos)
{
    size_t bytes = 0;

    for (size_t i = 0; i < n; i++)
        bytes += utf8_length(chars[i].cp);
    size_t n_tokens = b->list->count;
    if (!mls_grow(&b->terms, &b->terms_cap, b->terms_len + bytes + 1, 1) ||
        !mls_grow(&b->list->items, &b->items_cap, n_tokens + 1, sizeof *b->list->items) ||
        !mls_grow(&b->offsets, &b->offsets_cap, n_tokens + 1, sizeof *b->offsets))
        return MLS_ERR_NOMEM;
    size_t offset = b->terms_len;
    for (size_t i = 0; i < n; i++)
        b->terms_len +=
            (size_t)utf8proc_encode_char(chars[i].cp, (uint8_t *)b->terms + b->terms_len);
    b->terms_len = offset + mls_hash_shorten(b->terms + offset, b->terms_len - offset,
                                             MLS_TERM_MAX_BYTES, b->terms + offset);
    b->terms_len++; /* past the NUL */
    b->offsets[b->list->count] = offset;
    b->list->items[b->list->count++] = (mls_token){
        .term = NULL,
        .term_len = b->terms_len - 1 - offset,
        .pos = pos,
        .kind = kind,
        .run_start = run_start,
        .start = chars[0].start,
        .end = chars[n - 1].end,
        .first_end = chars[0].end,
    };
    /* What the contract (tokenizer.h) and the fuzz target promise. */
    const mls_token *t = &b->list->items[b->list->count - 1];
    assert(t->term_len > 0 && t->term_len <= MLS_TERM_MAX_BYTES);
    assert(t->start < t->first_end && t->first_end <= t->end);
    return MLS_OK;
}

static int is_markup(int32_t cp)
{
    return cp == '*' || cp == '_' || cp == '~' || cp == '`';
}

/* If a CJK run that stops at c[j] goes on after Markdown that a reader
 * does not see inside a word, returns where it goes on; else returns j.
 * Bridged: emphasis and code marks (`**推論**サーバー`), and one line
 * break with the next line's indent and quote marks (`推論\nサーバー`,
 * text hard-wrapped in an editor, as Japanese has no spaces to wrap at). */
static size_t run_resumes(const normchar *c, size_t count, size_t j)
{
    size_t m = j;
    while (m < count && is_markup(c[m].cp))
        m++;
    if (m < count && (c[m].cp == '\n' || c[m].cp == '\r')) {
        m += c[m].cp == '\r' && m + 1 < count && c[m + 1].cp == '\n' ? 2 : 1;
        while (m < count && (c[m].cp == ' ' || c[m].cp == '\t' || c[m].cp == '>'))
            m++;
        while (m < count && is_markup(c[m].cp))
            m++;
    }
    return m > j && m < count && classify(c[m].cp) == CJK ? m : j;
}

static mls_status tokenize_normalized(const normtext *nt, unsigned pos, builder *b)
{
    const normchar *c = nt->chars;
    size_t i = 0;

    while (i < nt->count) {
        enum char_class cls = classify(c[i].cp);
        size_t j = i + 1;
        if (cls == SEPARATOR) {
            i = j;
            continue;
        }
        if (cls == WORD) {
            while (j < nt->count && classify(c[j].cp) == WORD)
                j++;
            mls_status st = add_token(b, c + i, j - i, MLS_TOKEN_WORD, 1, pos++);
            if (st)
                return st;
            i = j;
            continue;
        }
        /* A CJK run: each character with the next as a bigram, the last
         * alone; `next` steps over bridged markup. */
        for (size_t k = i, first = 1;; first = 0) {
            size_t next = k + 1;
            if (next < nt->count && classify(c[next].cp) != CJK)
                next = run_resumes(c, nt->count, next);
            int last = next >= nt->count || classify(c[next].cp) != CJK;
            normchar pair[2] = {c[k], last ? c[k] : c[next]};
            mls_status st = add_token(b, pair, last ? 1 : 2,
                                      last ? MLS_TOKEN_UNIGRAM : MLS_TOKEN_BIGRAM, first, pos++);
            if (st)
                return st;
            if (last) {
                i = next;
                break;
            }
            k = next;
        }
    }
    return MLS_OK;
}

mls_status mls_tokenize(const char *text, size_t len, unsigned first_pos, mls_tokens **out)
{
    normtext nt = {0};
    builder b = {0};
    mls_status st;

    *out = NULL;
    b.list = calloc(1, sizeof *b.list);
    if (!b.list)
        return MLS_ERR_NOMEM;
    st = normalize_text(text, len, &nt);
    if (!st)
        st = tokenize_normalized(&nt, first_pos, &b);
    free(nt.chars);
    if (st) {
        free(b.offsets);
        free(b.terms);
        mls_tokens_free(b.list);
        return st;
    }
    for (size_t i = 0; i < b.list->count; i++)
        b.list->items[i].term = b.terms + b.offsets[i];
    free(b.offsets);
    b.list->terms_ = b.terms;
    *out = b.list;
    return MLS_OK;
}

void mls_tokens_free(mls_tokens *tokens)
{
    if (!tokens)
        return;
    free(tokens->items);
    free(tokens->terms_);
    free(tokens);
}

mls_status mls_normalize(const char *text, size_t len, char **out, size_t *out_len)
{
    normtext nt = {0};
    size_t bytes = 0;

    *out = NULL;
    mls_status st = normalize_text(text, len, &nt);
    if (st) {
        free(nt.chars);
        return st;
    }
    for (size_t i = 0; i < nt.count; i++)
        bytes += utf8_length(nt.chars[i].cp);
    char *s = malloc(bytes + 1);
    if (!s) {
        free(nt.chars);
        return MLS_ERR_NOMEM;
    }
    size_t w = 0;
    for (size_t i = 0; i < nt.count; i++)
        w += (size_t)utf8proc_encode_char(nt.chars[i].cp, (uint8_t *)s + w);
    s[w] = '\0';
    free(nt.chars);
    *out = s;
    *out_len = w;
    return MLS_OK;
}

int mls_is_katakana(int cp)
{
    return (cp >= 0x30A1 && cp <= 0x30FA) || cp == 0x30FC || cp == 0x30FD || cp == 0x30FE;
}

mls_status mls_katakana_bases(const char *text, size_t len, mls_katakana_fn each, void *ctx)
{
    char *norm;
    size_t norm_len, i = 0;
    mls_status st = mls_normalize(text, len, &norm, &norm_len);
    if (st)
        return st;
    while (i < norm_len) {
        int cp;
        size_t n = mls_utf8_next(norm + i, norm_len - i, &cp);
        if (!mls_is_katakana(cp)) {
            i += n;
            continue;
        }
        /* A word: count its characters, and those before its final ー. */
        size_t start = i, base_end = i, chars = 0, base_chars = 0;
        while (i < norm_len && (n = mls_utf8_next(norm + i, norm_len - i, &cp)) &&
               mls_is_katakana(cp)) {
            i += n;
            chars++;
            if (cp != 0x30FC) {
                base_end = i;
                base_chars = chars;
            }
        }
        if (base_chars >= 3 && each(norm + start, i - start, base_end - start, norm_len - i, ctx))
            break;
    }
    free(norm);
    return MLS_OK;
}
