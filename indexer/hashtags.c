/* hashtags.c - the tags written in a note's text (see hashtags.h). */
#include "mlsearch/internal/hashtags.h"
#include "mlsearch/internal/utf8.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* 1 if code point `cp` may be part of a tag. */
static int tag_char(int cp)
{
    if (cp == '_' || cp == '-' || cp == '/')
        return 1;
    utf8proc_category_t c = utf8proc_category(cp);
    return (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_ME) || /* letters, marks */
           (c >= UTF8PROC_CATEGORY_ND && c <= UTF8PROC_CATEGORY_NO);   /* digits, numbers */
}

/* 1 if a tag may start after code point `cp` (-1: the text's start). */
static int tag_may_follow(int cp)
{
    return cp < 0 || cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '(' ||
           cp == 0x3000 /* ideographic space */ || cp == 0xFF08 /* （ */;
}

/* 1 if the `n` bytes of tag text at `s` hold a character that is not a
 * digit of any script (`#１２３` is a number too). */
static int not_a_number(const char *s, size_t n)
{
    int cp;
    for (size_t i = 0, w; i < n; i += w) {
        w = mls_utf8_next(s + i, n - i, &cp);
        if (w == 0)
            return 1;
        if (utf8proc_category(cp) != UTF8PROC_CATEGORY_ND)
            return 1;
    }
    return 0;
}

mls_status mls_hashtags(const char *text, size_t len, int after_word, mls_strings *tags)
{
    int before = after_word ? 'x' : -1;
    for (size_t i = 0; i < len;) {
        int cp;
        size_t w = mls_utf8_next(text + i, len - i, &cp);
        if (w == 0) { /* not UTF-8: not part of a tag */
            before = 0xFFFD;
            i++;
            continue;
        }
        if (cp != '#' || !tag_may_follow(before)) {
            before = cp;
            i += w;
            continue;
        }
        size_t start = i + 1, end = start, step;
        int c;
        while (end < len && (step = mls_utf8_next(text + end, len - end, &c)) > 0 && tag_char(c))
            end += step;
        size_t keep = end;
        while (keep > start &&
               (text[keep - 1] == '-' || text[keep - 1] == '/' || text[keep - 1] == '_'))
            keep--;
        /* Not a number: of what is kept, `_`, `-` and `/` aside. */
        int named = 0;
        for (size_t k = start; k < keep && !named;) {
            size_t run = strcspn(text + k, "_-/");
            run = run < keep - k ? run : keep - k;
            named = run && not_a_number(text + k, run);
            k += run ? run : 1;
        }
        if (named) {
            char *tag = strndup(text + start, keep - start);
            mls_status st = tag ? mls_strings_add(tags, tag) : MLS_ERR_NOMEM;
            free(tag);
            if (st)
                return st;
        }
        before = '#';
        i = end > i + 1 ? end : i + 1;
    }
    return MLS_OK;
}
