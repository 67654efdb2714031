/* query.c - query text to units (see query.h). */
#include "mlsearch/query.h"
#include "mlsearch/dates.h"
#include "mlsearch/internal/grow.h"
#include "mlsearch/internal/stemmer.h"
#include "mlsearch/internal/terms.h"
#include "mlsearch/internal/tokenizer.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void unit_clear(mls_query_unit *u)
{
    for (size_t j = 0; j < u->count; j++) {
        free(u->terms[j].text);
        free(u->terms[j].stem);
    }
    free(u->terms);
    free(u->variant);
    free(u->filter);
    free(u->anchor);
}

void mls_query_free(mls_query *q)
{
    if (!q)
        return;
    for (size_t i = 0; i < q->count; i++)
        unit_clear(&q->units[i]);
    free(q->units);
    free(q);
}

static int is_space(const char *s, size_t len, size_t *width)
{
    /* ASCII white space, and the ideographic space U+3000 of Japanese IMEs. */
    if (len >= 1 && strchr(" \t\n\r\f\v", s[0]) && s[0]) {
        *width = 1;
        return 1;
    }
    if (len >= 3 && !memcmp(s, "\xE3\x80\x80", 3)) {
        *width = 3;
        return 1;
    }
    return 0;
}

/* 1 if a CJK run followed by the `len` bytes of `s` may go on in a note
 * holding them: they are nothing once normalized (variation selectors,
 * soft hyphens...), or only Markdown the tokenizer reads a run across
 * (tokenizer.h): emphasis and code marks, then maybe one line break, the
 * next line's indent and quote marks and more such marks. */
static int run_may_go_on(const char *s, size_t len, mls_status *st)
{
    char *norm;
    size_t norm_len = 0, i;
    if (len == 0)
        return 1;
    *st = mls_normalize(s, len, &norm, &norm_len);
    if (*st)
        return 0;
    i = strspn(norm, "*_~`");
    if (norm[i] == '\r' || norm[i] == '\n') {
        i += norm[i] == '\r' && norm[i + 1] == '\n' ? 2 : 1;
        i += strspn(norm + i, " \t>");
        i += strspn(norm + i, "*_~`");
    }
    free(norm);
    return i == norm_len;
}

/* Turns the tokens of one item of the query, the `len` bytes of `piece`,
 * into a unit (see query.h); `prefix`: the item ended in '*'; `stemmer`:
 * not NULL when a lone word may match by its stem. */
static mls_status make_unit(const mls_tokens *tokens, const char *piece, size_t len, int prefix,
                            mls_stemmer *stemmer, mls_query_unit *unit)
{
    size_t n = tokens->count;
    const mls_token *last = &tokens->items[n - 1];
    mls_status st = MLS_OK;

    unit->terms = NULL;
    unit->count = 0;
    /* Whether the piece's last CJK run is open: nothing follows it in the
     * piece, or only marks such as `**`, so in a note the run may go on.
     * `対策）` closes it. */
    int open_run =
        last->kind == MLS_TOKEN_UNIGRAM && run_may_go_on(piece + last->end, len - last->end, &st);

    if (st)
        return st;
    unit->terms = calloc(n, sizeof *unit->terms);
    if (!unit->terms)
        return MLS_ERR_NOMEM;
    int drop_last = open_run && !last->run_start;
    for (size_t i = 0; i < n - (size_t)drop_last; i++) {
        const mls_token *t = &tokens->items[i];
        mls_query_term *qt = &unit->terms[unit->count];
        qt->text = strdup(t->term);
        if (!qt->text)
            return MLS_ERR_NOMEM;
        qt->len = t->term_len;
        qt->is_prefix = i == n - 1 && (open_run || prefix);
        unit->count++;
    }
    if (n == 1 && stemmer && !prefix && tokens->items[0].kind == MLS_TOKEN_WORD) {
        const char *stem;
        size_t stem_len;
        st = mls_stem(stemmer, tokens->items[0].term, tokens->items[0].term_len, &stem, &stem_len);
        /* A stem too long for a term is not indexed (terms.h). */
        if (!st && stem_len <= MLS_TERM_MAX_BYTES) {
            unit->terms[0].stem_len = stem_len;
            if (!(unit->terms[0].stem = strdup(stem)))
                st = MLS_ERR_NOMEM;
        }
    }
    return st;
}

/* One item of the query as the scanner reads it. */
typedef struct item {
    const char *text; /* the words, without quotes, '-', '*' or field: */
    size_t len;
    int quoted, negated, prefix;
    int is_or, is_not, is_and; /* the bare words OR, NOT and AND */
    size_t unknown_field;      /* `title:x`: the length of `title:`, else 0 */
    mls_query_field field;
} item;

/* The fields a query item can name, as `name:value`. */
static const struct {
    const char *name;
    mls_query_field field;
} fields[] = {{"date:", MLS_FIELD_DATE},
              {"heading:", MLS_FIELD_HEADING},
              {"path:", MLS_FIELD_PATH},
              {"tag:", MLS_FIELD_TAG}};

/* How many ASCII letters `s` starts with. */
static size_t ascii_letters(const char *s, size_t len)
{
    size_t n = 0;
    while (n < len && ((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= 'A' && s[n] <= 'Z')))
        n++;
    return n;
}

/* `name:` at the start of an unquoted item, as a field would be written:
 * ASCII letters, a colon, then something that is neither a space, a colon
 * nor a slash (`http://`, `std::string`, `10:15` and `note:` are text).
 * Its length with the colon, else 0. */
static size_t field_like(const char *s, size_t len)
{
    size_t n = ascii_letters(s, len), w;
    if (n == 0 || n + 1 >= len || s[n] != ':' || s[n + 1] == ':' || s[n + 1] == '/' ||
        is_space(s + n + 1, len - n - 1, &w))
        return 0;
    return n + 1;
}

static int is_word(const char *s, size_t len, const char *word)
{
    return len == strlen(word) && !memcmp(s, word, len);
}

/* Reads the item at text[*i], moving *i past it (0 at the end). */
static int next_item(const char *text, size_t len, size_t *i, item *it)
{
    size_t w, j;
    while (*i < len && is_space(text + *i, len - *i, &w))
        *i += w;
    if (*i >= len)
        return 0;
    *it = (item){0};
    if (text[*i] == '-' && *i + 1 < len && !is_space(text + *i + 1, len - *i - 1, &w)) {
        it->negated = 1;
        (*i)++;
    }
    for (size_t f = 0; f < sizeof fields / sizeof fields[0]; f++) {
        size_t n = strlen(fields[f].name);
        if (len - *i > n && !strncmp(text + *i, fields[f].name, n) &&
            !is_space(text + *i + n, len - *i - n, &w)) {
            it->field = fields[f].field;
            *i += n;
            break;
        }
    }
    if (!it->field)
        it->unknown_field = field_like(text + *i, len - *i);
    if (text[*i] == '"') {
        /* A quote left open closes at the end of the query. */
        const char *close = memchr(text + *i + 1, '"', len - *i - 1);
        it->quoted = 1;
        it->text = text + *i + 1;
        it->len = close ? (size_t)(close - it->text) : len - *i - 1;
        *i = close ? (size_t)(close - text) + 1 : len;
        return 1;
    }
    for (j = *i; j < len && !is_space(text + j, len - j, &w);)
        j++;
    it->text = text + *i;
    it->len = j - *i;
    *i = j;
    if (!it->negated && !it->field && is_word(it->text, it->len, "OR"))
        it->is_or = 1;
    else if (!it->negated && !it->field && is_word(it->text, it->len, "NOT"))
        it->is_not = 1;
    else if (!it->negated && !it->field && is_word(it->text, it->len, "AND"))
        it->is_and = 1;
    else if ((it->field == MLS_FIELD_TEXT || it->field == MLS_FIELD_HEADING) && it->len > 1 &&
             it->text[it->len - 1] == '*') {
        it->prefix = 1;
        it->len--;
    }
    return 1;
}

static int same_item(const item *a, const item *b)
{
    return a->len == b->len && !memcmp(a->text, b->text, a->len) && a->quoted == b->quoted &&
           a->negated == b->negated && a->prefix == b->prefix && a->is_or == b->is_or &&
           a->is_not == b->is_not && a->is_and == b->is_and && a->field == b->field;
}

/* How many different pieces the `n` items are (the bare words OR, NOT and
 * AND are none), counted up to just over `limit`. */
static size_t count_pieces(const item *items, size_t n, size_t limit)
{
    size_t pieces = 0;
    for (size_t k = 0; k < n && pieces <= limit; k++) {
        size_t j = 0;
        while (j < k && !same_item(&items[j], &items[k]))
            j++;
        pieces += j == k && !items[k].is_or && !items[k].is_not && !items[k].is_and;
    }
    return pieces;
}

/* The items of `text` (`len` bytes), in order; the caller frees *items. */
static mls_status scan_items(const char *text, size_t len, item **items, size_t *n)
{
    size_t i = 0, cap = 0;
    item it;
    *items = NULL;
    *n = 0;
    while (next_item(text, len, &i, &it)) {
        if (!mls_grow(items, &cap, *n + 1, sizeof **items))
            return MLS_ERR_NOMEM;
        (*items)[(*n)++] = it;
    }
    return MLS_OK;
}

const char *mls_query_unknown_field(const char *text, size_t *len)
{
    item *items;
    size_t n;
    const char *found = NULL;
    *len = 0;
    if (scan_items(text, strlen(text), &items, &n) == MLS_OK)
        for (size_t k = 0; k < n && !found; k++)
            if (items[k].unknown_field && !items[k].quoted) {
                found = items[k].text;
                *len = items[k].unknown_field;
            }
    free(items);
    return found;
}

const char *mls_query_bad_date(const char *text, size_t *len)
{
    item *items;
    size_t n;
    const char *found = NULL;
    char from[MLS_DATE_SIZE], to[MLS_DATE_SIZE];
    *len = 0;
    if (scan_items(text, strlen(text), &items, &n) == MLS_OK)
        for (size_t k = 0; k < n && !found; k++)
            if (items[k].field == MLS_FIELD_DATE && items[k].len &&
                mls_date_range(items[k].text, items[k].len, time(NULL), from, to)) {
                found = items[k].text;
                *len = items[k].len;
            }
    free(items);
    return found;
}

const char *mls_query_fields(char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t f = 0; f < sizeof fields / sizeof fields[0] && used < size; f++) {
        int n = snprintf(buf + used, size - used, "%s%s", f ? ", " : "", fields[f].name);
        used += n > 0 ? (size_t)n : 0;
    }
    return buf;
}

void mls_query_prefix_candidates(const char *text, mls_query_span_fn each, void *ctx)
{
    item *items;
    size_t n;
    if (scan_items(text, strlen(text), &items, &n) != MLS_OK) {
        free(items);
        return;
    }
    for (size_t k = 0; k < n; k++) {
        const item *it = &items[k];
        size_t letters = ascii_letters(it->text, it->len);
        if (!it->quoted && !it->negated && !it->prefix && !it->field && !it->unknown_field &&
            !it->is_or && !it->is_not && !it->is_and && letters == it->len && letters >= 3 &&
            each((size_t)(it->text - text), it->len, ctx))
            break;
    }
    free(items);
}

size_t mls_query_pieces(const char *text)
{
    item *items;
    size_t n, pieces = 0;
    if (scan_items(text, strlen(text), &items, &n) == MLS_OK)
        pieces = count_pieces(items, n, SIZE_MAX);
    free(items);
    return pieces;
}

/* What an item's katakana word says of its long-vowel variants (tokenizer.h,
 * mls_katakana_bases), when it has exactly one. */
typedef struct katakana_item {
    size_t norm_len, words;
    char *base; /* the item is the word: its base (a Z term) */
    size_t base_len;
    char *other; /* the word is followed by more of the item: the
                    item with the word's other form (サーバ設定 for
                    サーバー設定, and the reverse), as a phrase */
    size_t other_len;
    char *anchor; /* the word ends the item after something else
                     (Webサーバー): `other` then runs open at the
                     end, and the base's Z term must match too */
    size_t anchor_len;
} katakana_item;

static const char long_mark[] = "\xE3\x83\xBC"; /* ー */

static int note_word(const char *word, size_t word_len, size_t base_len, size_t rest, void *ctx)
{
    katakana_item *k = ctx;
    const char *norm = word + word_len + rest - k->norm_len, *after = word + word_len;
    size_t before = (size_t)(word - norm);
    if (++k->words > 1)
        return 1;
    if (base_len > MLS_TERM_MAX_BYTES)
        return 0; /* no Z term of its base is indexed (terms.h) */
    if (before == 0 && rest == 0 && (k->base = strndup(word, base_len)) != NULL)
        k->base_len = base_len;
    /* Followed by more: the neighbours anchor it, so the other form as a
     * substring cannot run into a longer word (サーバント); at the end of
     * the item, the word's base as a word (its Z term) does. */
    if (rest == 0 && before > 0 && (k->anchor = strndup(word, base_len)) != NULL)
        k->anchor_len = base_len;
    if (rest > 0 || before > 0) {
        size_t form = base_len < word_len ? base_len : word_len + sizeof long_mark - 1;
        k->other_len = before + form + rest;
        if ((k->other = malloc(k->other_len + 1)) != NULL) {
            memcpy(k->other, norm, before);
            memcpy(k->other + before, word, base_len);
            if (base_len == word_len)
                memcpy(k->other + before + base_len, long_mark, sizeof long_mark - 1);
            memcpy(k->other + before + form, after, rest);
            k->other[k->other_len] = '\0';
        }
    }
    return 0;
}

/* The variants of an item with one katakana word: *k is filled in; the
 * caller frees k->base and k->other. */
static mls_status katakana_variants(const item *it, katakana_item *k)
{
    char *norm;
    mls_status st = mls_normalize(it->text, it->len, &norm, &k->norm_len);
    /* note_word() finds the start of the text that mls_katakana_bases()
     * normalizes from k->norm_len: give it the same text to normalize. */
    if (!st)
        st = mls_katakana_bases(it->text, it->len, note_word, k);
    free(norm);
    if (!st && k->words != 1) {
        free(k->base);
        free(k->other);
        free(k->anchor);
        k->base = k->other = k->anchor = NULL;
    }
    return st;
}

/* `path` with fnmatch(3)'s special characters escaped, then `tail`
 * (NULL: none) as it is; the caller frees it. */
static char *escaped_pattern(const char *path, const char *tail)
{
    size_t n = strlen(path), k = 0;
    char *out = malloc(2 * n + (tail ? strlen(tail) : 0) + 1);
    if (!out)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        if (strchr("*?[\\", path[i]))
            out[k++] = '\\';
        out[k++] = path[i];
    }
    strcpy(out + k, tail ? tail : "");
    /* Patterns are one per line: a newline in the path (a quoted value
     * may hold one) is matched by '?', not taken for a line break. */
    for (char *nl = strchr(out, '\n'); nl; nl = strchr(nl + 1, '\n'))
        *nl = '?';
    return out;
}

/* `dir` (may be "", meaning the current directory) as the index names it:
 * real (the index holds real paths) when it exists, else absolute. */
static char *absolute_dir(const char *dir)
{
    char *real = realpath(*dir ? dir : ".", NULL), *cwd, *out;
    if (real || dir[0] == '/')
        return real ? real : strdup(dir);
    if (!(cwd = getcwd(NULL, 0)))
        return NULL;
    size_t n = strlen(cwd) + strlen(dir) + 2;
    if ((out = malloc(n)) != NULL)
        snprintf(out, n, "%s/%s", cwd, dir);
    free(cwd);
    return out;
}

/* A path filter's patterns, one per line: a file names itself, a folder
 * what is under it (a path that is not there: either), a glob is matched
 * below its literal folder part, made real like the rest. */
static char *path_patterns(const item *it)
{
    char *value = strndup(it->text, it->len), *dir = NULL, *out = NULL;
    if (!value)
        return NULL;
    size_t glob = strcspn(value, "*?[");
    if (value[glob]) {
        /* The folder part before the glob: "notes/2024-*" -> "notes". */
        size_t cut = glob;
        while (cut > 0 && value[cut - 1] != '/')
            cut--;
        char *tail = value + cut;
        char keep = *tail;
        *tail = '\0';
        dir = absolute_dir(value);
        *tail = keep;
        if (dir) {
            const char *sep = strlen(dir) > 1 ? "/" : "";
            size_t n = strlen(tail) + 2;
            char *rest = malloc(n);
            if (rest) {
                snprintf(rest, n, "%s%s", sep, tail);
                out = escaped_pattern(dir, rest);
                free(rest);
            }
        }
    } else if ((dir = absolute_dir(value)) != NULL) {
        struct stat sb;
        int exists = stat(dir, &sb) == 0;
        char *file = escaped_pattern(dir, NULL), *under = escaped_pattern(dir, "/*");
        if (file && under) {
            size_t n = strlen(file) + strlen(under) + 2;
            if ((out = malloc(n)) != NULL)
                snprintf(out, n, "%s%s%s", exists && S_ISREG(sb.st_mode) ? "" : under,
                         exists ? "" : "\n", exists && !S_ISREG(sb.st_mode) ? "" : file);
        }
        free(file);
        free(under);
    }
    free(value);
    free(dir);
    return out;
}

static mls_status add_filter(mls_query *q, size_t *cap, const item *it, size_t clause, int negated,
                             int *added)
{
    char *filter = NULL, from[MLS_DATE_SIZE], to[MLS_DATE_SIZE];
    *added = 0;
    if (it->field == MLS_FIELD_DATE) {
        if (mls_date_range(it->text, it->len, time(NULL), from, to))
            return MLS_ERR_QUERY_BAD_DATE;
        if ((filter = malloc(2 * MLS_DATE_SIZE)))
            snprintf(filter, 2 * MLS_DATE_SIZE, "%s\n%s", from, to);
    } else if (it->field == MLS_FIELD_PATH)
        filter = path_patterns(it);
    else if (mls_tag_term(it->text, it->len, &filter) == MLS_OK && !*filter) {
        free(filter);
        return MLS_OK; /* a tag of punctuation only: nothing to filter by */
    }
    if (!filter || !mls_grow(&q->units, cap, q->count + 1, sizeof *q->units)) {
        free(filter);
        return MLS_ERR_NOMEM;
    }
    q->units[q->count++] = (mls_query_unit){
        .clause = clause, .negated = negated, .field = it->field, .filter = filter};
    *added = 1;
    return MLS_OK;
}

static mls_status add_unit(mls_query *q, size_t *cap, const item *it, size_t clause, int negated,
                           mls_stemmer *stemmer, int *added)
{
    mls_tokens *tokens;
    mls_status st;
    katakana_item k = {0};
    int filter =
        it->field == MLS_FIELD_PATH || it->field == MLS_FIELD_TAG || it->field == MLS_FIELD_DATE;
    if (filter && it->len == 0) {
        *added = 0; /* `tag:""`: nothing to filter by */
        return MLS_OK;
    }
    if (filter)
        return add_filter(q, cap, it, clause, negated, added);
    st = mls_tokenize(it->text, it->len, 0, &tokens);
    *added = 0;
    /* Stems and variants widen what is found; an exclusion takes away only
     * what it names. */
    int plain = !it->quoted && !negated && it->field == MLS_FIELD_TEXT;
    if (!st && plain && !it->prefix)
        st = katakana_variants(it, &k);
    if (!st && tokens->count > 0) {
        if (!mls_grow(&q->units, cap, q->count + 1, sizeof *q->units))
            st = MLS_ERR_NOMEM;
        if (!st) {
            mls_query_unit *u = &q->units[q->count];
            *u = (mls_query_unit){0}; /* mls_grow() leaves new room as it is */
            st = make_unit(tokens, it->text, it->len, it->prefix, plain ? stemmer : NULL, u);
            u->clause = clause;
            u->negated = negated;
            u->field = it->field;
            u->variant = k.base;
            u->variant_len = k.base_len;
            k.base = NULL;
            q->count++; /* even half-made: mls_query_free() knows its count */
            *added = 1;
        }
    }
    mls_tokens_free(tokens);
    if (!st && *added && k.other) {
        /* The other form, an alternative in the same clause. */
        item other = {.text = k.other, .len = k.other_len, .quoted = 1, .field = it->field};
        int also;
        st = add_unit(q, cap, &other, clause, negated, NULL, &also);
        if (!st && also && k.anchor) {
            q->units[q->count - 1].anchor = k.anchor;
            q->units[q->count - 1].anchor_len = k.anchor_len;
            k.anchor = NULL;
        }
    }
    free(k.base);
    free(k.other);
    free(k.anchor);
    return st;
}

static int same_text(const char *a, size_t a_len, const char *b, size_t b_len)
{
    return (a == NULL) == (b == NULL) && a_len == b_len && (!a || !memcmp(a, b, a_len));
}

static int same_unit(const mls_query_unit *a, const mls_query_unit *b)
{
    if (a->field != b->field || a->negated != b->negated || a->count != b->count ||
        !same_text(a->variant, a->variant_len, b->variant, b->variant_len) ||
        !same_text(a->anchor, a->anchor_len, b->anchor, b->anchor_len) ||
        !same_text(a->filter, a->filter ? strlen(a->filter) : 0, b->filter,
                   b->filter ? strlen(b->filter) : 0))
        return 0;
    for (size_t i = 0; i < a->count; i++) {
        const mls_query_term *s = &a->terms[i], *t = &b->terms[i];
        if (s->is_prefix != t->is_prefix || !same_text(s->text, s->len, t->text, t->len) ||
            !same_text(s->stem, s->stem_len, t->stem, t->stem_len))
            return 0;
    }
    return 1;
}

/* 1 if every unit of q->units[first..end) has its equal in [from..to). */
static int units_within(const mls_query *q, size_t first, size_t end, size_t from, size_t to)
{
    for (size_t i = first; i < end; i++) {
        size_t j = from;
        while (j < to && !same_unit(&q->units[i], &q->units[j]))
            j++;
        if (j == to)
            return 0;
    }
    return 1;
}

/* What is repeated is searched once: a unit repeated in its clause (`a OR
 * a`), and a clause repeated whole (`"x y" "x y"`, `a OR b b OR a`), each
 * a Xapian subquery the search would otherwise evaluate again.  Clauses
 * are numbered from 0 again. */
static void drop_repeats(mls_query *q)
{
    size_t kept = 0, clauses = 0;
    for (size_t first = 0, end; first < q->count; first = end) {
        size_t start = kept;
        for (end = first; end < q->count && q->units[end].clause == q->units[first].clause; end++) {
            if (units_within(q, end, end + 1, start, kept))
                unit_clear(&q->units[end]);
            else
                q->units[kept++] = q->units[end];
        }
        int repeated = 0;
        for (size_t a = 0, b; a < start && !repeated; a = b) {
            for (b = a; b < start && q->units[b].clause == q->units[a].clause;)
                b++;
            repeated = b - a == kept - start && units_within(q, start, kept, a, b);
        }
        for (size_t i = start; i < kept; i++) {
            if (repeated)
                unit_clear(&q->units[i]);
            q->units[i].clause = clauses;
        }
        if (repeated)
            kept = start;
        else
            clauses++;
    }
    q->count = kept;
}

mls_status mls_query_parse(const char *text, mls_query **out)
{
    size_t len = strlen(text), cap = 0, clause = 0, nitems = 0;
    mls_query *q = NULL;
    item *items = NULL;
    mls_stemmer *stemmer = NULL;
    mls_status st = MLS_OK;
    int positive = 0;

    *out = NULL;
    if (len > MLS_QUERY_MAX_BYTES)
        return MLS_ERR_QUERY_TOO_LARGE;
    st = scan_items(text, len, &items, &nitems);
    if (!st && count_pieces(items, nitems, MLS_QUERY_MAX_PIECES) > MLS_QUERY_MAX_PIECES)
        st = MLS_ERR_QUERY_TOO_LARGE;
    if (!st && !(q = calloc(1, sizeof *q)))
        st = MLS_ERR_NOMEM;
    if (!st)
        st = mls_stemmer_new(&stemmer);
    for (size_t k = 0; k < nitems && !st; k++) {
        if (items[k].unknown_field && !items[k].quoted)
            st = MLS_ERR_QUERY_UNKNOWN_FIELD;
    }
    for (size_t k = 0; k < nitems && !st; k++) {
        item cur = items[k];
        int negated = cur.negated, added, joined = 0;
        /* AND between two pieces says what a space says; with nothing on
         * a side, it is the word. */
        if (cur.is_and && k > 0 && k + 1 < nitems && !items[k - 1].is_or && !items[k - 1].is_not &&
            !items[k - 1].is_and && !items[k + 1].is_or && !items[k + 1].is_and)
            continue;
        /* NOT applies to the next item; with none, it is the word. */
        if (cur.is_not && k + 1 < nitems && !items[k + 1].is_or && !items[k + 1].is_not) {
            cur = items[++k];
            negated = 1;
        }
        /* OR joins the next item to this one's clause; with nothing on a
         * side, or a side that excludes, it is the word. */
        if (cur.is_or && k > 0 && k + 1 < nitems && q->count > 0 &&
            !q->units[q->count - 1].negated && q->units[q->count - 1].clause + 1 == clause &&
            !items[k - 1].is_or && !items[k + 1].is_or && !items[k + 1].is_not &&
            !items[k + 1].negated) {
            cur = items[++k];
            joined = 1;
        }
        st = add_unit(q, &cap, &cur, joined ? clause - 1 : clause, negated, stemmer, &added);
        if (added && !joined)
            clause++;
        positive |= added && !negated; /* a filter alone is something to look for */
    }
    free(items);
    mls_stemmer_free(stemmer);
    if (!st)
        drop_repeats(q);
    if (!st && q->count == 0)
        st = MLS_ERR_QUERY_EMPTY;
    else if (!st && !positive)
        st = MLS_ERR_QUERY_ONLY_EXCLUDES;
    if (st) {
        mls_query_free(q);
        return st;
    }
    *out = q;
    return MLS_OK;
}

void mls_query_date_range(const mls_query_unit *u, char *from, char *to_prefix)
{
    const char *nl = strchr(u->filter, '\n');
    snprintf(from, MLS_DATE_SIZE, "%.*s", (int)(nl - u->filter), u->filter);
    snprintf(to_prefix, MLS_DATE_SIZE, "%s", nl + 1);
}

int mls_query_unit_is_filter(const mls_query_unit *u)
{
    return u->field == MLS_FIELD_PATH || u->field == MLS_FIELD_TAG || u->field == MLS_FIELD_DATE;
}
