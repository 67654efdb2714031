/* front_matter.c - a note's YAML front matter: where it is, its tags and
 * its date (see front_matter.h). */
#include "mlsearch/internal/front_matter.h"

#include <stdlib.h>
#include <string.h>

/* If the note starts with a YAML front-matter block, the offset of the
 * line that closes it (`---` or `...`) and, in *end, of that line's end;
 * else 0. */
static size_t front_matter(const char *text, size_t len, size_t *end)
{
    size_t i = 0;
    if (len < 4 || strncmp(text, "---", 3) != 0)
        return 0;
    for (i = 3; i < len && (text[i] == ' ' || text[i] == '\t'); i++)
        ;
    if (i == len || (text[i] != '\n' && text[i] != '\r'))
        return 0;
    /* As pandoc: a `---` followed by a blank line is a thematic break. */
    size_t next = i + 1 + (text[i] == '\r' && i + 1 < len && text[i + 1] == '\n');
    if (next >= len || text[next] == '\n' || text[next] == '\r')
        return 0;
    for (size_t line = i + 1; line < len;) {
        size_t eol = line;
        while (eol < len && text[eol] != '\n' && text[eol] != '\r')
            eol++;
        size_t stop = eol;
        while (stop > line && (text[stop - 1] == ' ' || text[stop - 1] == '\t'))
            stop--;
        if (stop - line == 3 &&
            (!strncmp(text + line, "---", 3) || !strncmp(text + line, "...", 3))) {
            *end = eol;
            return line;
        }
        line = eol < len ? eol + 1 : len;
    }
    return 0;
}

/* The front matter of a note that may start with a byte-order mark:
 * moves *text past the mark, and returns front_matter()'s offset. */
static size_t front_matter_block(const char **text, size_t *len)
{
    size_t end;
    if (*len >= 3 && !memcmp(*text, "\xEF\xBB\xBF", 3)) {
        *text += 3;
        *len -= 3;
    }
    return front_matter(*text, *len, &end);
}

void mls_front_matter_blank(char *text, size_t len)
{
    size_t end;
    if (!front_matter(text, len, &end))
        return;
    for (size_t k = 0; k < end; k++)
        if (text[k] != '\n' && text[k] != '\r')
            text[k] = ' ';
}

/* Adds the `n` bytes at `s`, trimmed of spaces, YAML quotes and a
 * trailing `# comment`, to `tags` when anything is left. */
static mls_status add_tag(mls_strings *tags, const char *s, size_t n)
{
    for (size_t i = 1; i < n; i++)
        if (s[i] == '#' && (s[i - 1] == ' ' || s[i - 1] == '\t'))
            n = i;
    while (n && (*s == ' ' || *s == '\t' || *s == '"' || *s == '\''))
        s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '"' || s[n - 1] == '\'' ||
                 s[n - 1] == '\r'))
        n--;
    if (!n)
        return MLS_OK;
    char *tag = strndup(s, n);
    mls_status st = tag ? mls_strings_add(tags, tag) : MLS_ERR_NOMEM;
    free(tag);
    return st;
}

/* Adds each tag of the comma-separated `n` bytes at `s`, brackets gone. */
static mls_status add_tag_list(mls_strings *tags, const char *s, size_t n)
{
    mls_status st = MLS_OK;
    for (size_t i = 1; i < n; i++) /* a trailing `# comment` */
        if (s[i] == '#' && (s[i - 1] == ' ' || s[i - 1] == '\t'))
            n = i;
    while (n && (*s == ' ' || *s == '['))
        s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == ']' || s[n - 1] == '\r'))
        n--;
    while (n && !st) {
        const char *comma = memchr(s, ',', n);
        size_t k = comma ? (size_t)(comma - s) : n;
        st = add_tag(tags, s, k);
        s += k + (comma != NULL);
        n -= k + (comma != NULL);
    }
    return st;
}

mls_status mls_front_matter_tags(const char *text, size_t len, mls_strings *tags)
{
    size_t close = front_matter_block(&text, &len), line = 0;
    mls_status st = MLS_OK;
    int in_list = 0;
    if (!close)
        return MLS_OK;
    while (line < close && !st) {
        const char *eol = memchr(text + line, '\n', close - line);
        size_t n = eol ? (size_t)(eol - text) - line : close - line;
        const char *s = text + line;
        if (in_list && n > 0 && (s[0] == ' ' || s[0] == '\t' || s[0] == '-')) {
            size_t k = strspn(s, " \t");
            if (k < n && s[k] == '-')
                st = add_tag(tags, s + k + 1, n - k - 1);
        } else {
            in_list = 0;
            if (n >= 5 && !strncmp(s, "tags:", 5)) {
                st = add_tag_list(tags, s + 5, n - 5);
                in_list = 1; /* a YAML list may follow on the next lines */
            }
        }
        line += n + 1;
    }
    return st;
}

int mls_front_matter_date(const char *text, size_t len, char out[MLS_DATE_SIZE],
                          const char **written, size_t *written_len)
{
    size_t close = front_matter_block(&text, &len);
    out[0] = '\0';
    for (size_t line = 0; line < close;) {
        const char *s = text + line, *eol = memchr(s, '\n', close - line);
        size_t n = eol ? (size_t)(eol - s) : close - line;
        line += n + 1;
        if (n < 5 || strncmp(s, "date:", 5) != 0)
            continue;
        for (s += 5, n -= 5; n && (*s == ' ' || *s == '\t' || *s == '"' || *s == '\''); s++, n--)
            ;
        while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '"' ||
                     s[n - 1] == '\''))
            n--;
        if (!n)
            return 0; /* `date:` left empty */
        *written = s;
        *written_len = n;
        return mls_date_read(s, n, out) ? 1 : -1;
    }
    return 0;
}
