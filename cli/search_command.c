/* search_command.c - `mlsearch QUERY...`: parses the query, opens the
 * notebooks as one index, prints the hits (cli.h). */
#include "mlsearch/cli.h"
#include "mlsearch/dates.h"
#include "mlsearch/db.h"
#include "mlsearch/query.h"
#include "mlsearch/search.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define DEFAULT_MAX_COUNT 10
#define SNIPPET_WIDTH 100
/* A total of matching passages is counted over this many notes at most
 * (past them it is a lower bound): a common word on a terminal or in JSON
 * costs milliseconds, not a hundred. */
#define COUNT_NOTES_MAX 200

static int use_color(const char *when)
{
    const char *no_color = getenv("NO_COLOR"), *term = getenv("TERM");
    if (!strcmp(when, "always"))
        return 1;
    if (!strcmp(when, "never") || (no_color && *no_color))
        return 0;
    return isatty(STDOUT_FILENO) && !(term && !strcmp(term, "dumb"));
}

/* Joins the query arguments with spaces: `mlsearch 推論 サーバー` and
 * `mlsearch '推論 サーバー'` mean the same. */
static char *join_query(const cli_args *a)
{
    size_t n = 1;
    for (int i = 0; i < a->rest_count; i++)
        n += strlen(a->rest[i]) + 1;
    char *q = malloc(n);
    if (!q)
        return NULL;
    q[0] = '\0';
    for (int i = 0; i < a->rest_count; i++) {
        if (i)
            strcat(q, " ");
        strcat(q, a->rest[i]);
    }
    return q;
}

/* An index of an older vocabulary answers, but may miss (stems, headings):
 * the next `mlsearch index` reads it again whole. */
static void warn_if_old(mls_db *db)
{
    if (mls_index_is_older(db))
        cli_fail("index", "made by an older mlsearch, so searches may miss; "
                          "'mlsearch index' brings it up to date");
}

/* A notebook left out of a search: said, and the others searched. */
static void warn_skipped(const mls_place *p, mls_status st, const char *why, void *ctx)
{
    (void)ctx;
    char where[300];
    /* A missing index needs no detail; one not private, only its own. */
    const char *what = st == MLS_ERR_DB_NOT_FOUND         ? "no index yet"
                       : st == MLS_ERR_NOT_PRIVATE && why ? why
                                                          : mls_status_str(st);
    int detail = why && *why && st != MLS_ERR_DB_NOT_FOUND && st != MLS_ERR_NOT_PRIVATE;
    cli_say("mlsearch: notebook %s (%s): %s%s%s; searching the others", p->name,
            mls_place_where(p, where, sizeof where), what, detail ? ": " : "", detail ? why : "");
}

/* Why the query `text` was refused, as mls_query_parse() said `st`. */
static void query_failure(const char *text, mls_status st)
{
    char why[256], fields[64];
    size_t len = strlen(text), field_len;
    const char *field;
    if (st == MLS_ERR_QUERY_UNKNOWN_FIELD && (field = mls_query_unknown_field(text, &field_len)))
        snprintf(why, sizeof why,
                 "unknown field '%.*s'; fields are %s (quoted, \"%.*s\" is searched as text)",
                 (int)(field_len > 40 ? 40 : field_len), field,
                 mls_query_fields(fields, sizeof fields), (int)(field_len > 40 ? 40 : field_len),
                 field);
    else if (st == MLS_ERR_QUERY_BAD_DATE && (field = mls_query_bad_date(text, &field_len)))
        snprintf(why, sizeof why,
                 "date:%.*s is no %s; write date:2024-06-12, date:2024-06, date:2024, "
                 "date:-30d (d, w, m, y), today or yesterday, or a range date:A..B "
                 "(B not before A), A.. or ..B",
                 (int)(field_len > 40 ? 40 : field_len), field,
                 mls_date_range_dots(field, field_len) ? "range of dates" : "date");
    else if (st == MLS_ERR_QUERY_EMPTY)
        snprintf(why, sizeof why, "nothing to search for (only spaces or punctuation)");
    else if (st == MLS_ERR_QUERY_ONLY_EXCLUDES)
        snprintf(why, sizeof why, "nothing to search for (-word and NOT only exclude)");
    else if (st == MLS_ERR_QUERY_TOO_LARGE && len > MLS_QUERY_MAX_BYTES)
        snprintf(why, sizeof why, "too long (%zu bytes; at most %d)", len, MLS_QUERY_MAX_BYTES);
    else if (st == MLS_ERR_QUERY_TOO_LARGE)
        snprintf(why, sizeof why, "too many pieces (%zu; at most %d)", mls_query_pieces(text),
                 MLS_QUERY_MAX_PIECES);
    else
        snprintf(why, sizeof why, "%s", mls_status_str(st));
    cli_fail("query", why);
}

/* A search without hits: the first piece that finds passages as a prefix
 * (`deploym` as `deploym*`), said on stderr. */
typedef struct prefix_hint {
    mls_db *db;
    const char *text;
    int own_text_only; /* --no-context */
} prefix_hint;

static int try_prefix(size_t start, size_t len, void *ctx)
{
    prefix_hint *h = ctx;
    size_t n = strlen(h->text), end = start + len;
    char *with_star = malloc(n + 2), count[32];
    mls_query *q = NULL;
    mls_hits *hits = NULL;
    int found = 0;
    if (!with_star)
        return 1;
    memcpy(with_star, h->text, end);
    with_star[end] = '*';
    memcpy(with_star + end + 1, h->text + end, n - end + 1);
    if (mls_query_parse(with_star, &q) == MLS_OK && (q->own_text_only = h->own_text_only, 1) &&
        mls_search_paths(h->db, q, SIZE_MAX, &hits) == MLS_OK && hits->count) {
        found = 1;
        if (mls_query_pieces(h->text) == 1)
            cli_say("mlsearch: no hits; %.*s* matches %s passage%s", (int)len, h->text + start,
                    cli_grouped(hits->count, count), hits->count == 1 ? "" : "s");
        else
            cli_say("mlsearch: no hits; with %.*s*, the query matches %s passage%s", (int)len,
                    h->text + start, cli_grouped(hits->count, count), hits->count == 1 ? "" : "s");
    }
    mls_hits_free(hits);
    mls_query_free(q);
    free(with_star);
    return found;
}

/* The search the output format asks for. */
static mls_status find(mls_db *db, const mls_query *q, size_t max, const cli_args *a,
                       mls_hits **hits)
{
    mls_hits_free(*hits);
    *hits = NULL;
    if (a->format == MLS_OUTPUT_FILES)
        return mls_search_files(db, q, max, hits);
    if (a->format == MLS_OUTPUT_COUNT)
        return mls_search_paths(db, q, max, hits);
    return a->no_collapse ? mls_search_all(db, q, max, hits) : mls_search(db, q, max, hits);
}

/* The width of the terminal on stdout: $COLUMNS, as a shell sets it, else
 * the terminal's own, else 80. */
static size_t terminal_columns(void)
{
    const char *env = getenv("COLUMNS");
    char *end;
    long n = env && *env ? strtol(env, &end, 10) : 0;
    struct winsize ws;
    if (n > 0 && !*end)
        return (size_t)n;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col;
    return 80;
}

/* Under a terminal's hits, when they are not all: "10 of 7,821 passages",
 * or "10 of at least 7,821 passages" past COUNT_NOTES_MAX notes. */
static void say_shown(const mls_hits *hits, size_t total, int exact)
{
    size_t shown = 0;
    char a[32], b[32];
    for (size_t i = 0; i < hits->count; i++)
        shown += 1 + hits->items[i].duplicates;
    fflush(stdout);
    if (total > shown)
        cli_say("%s of %s%s passages (-n to see more)", cli_grouped(hits->count, a),
                exact ? "" : "at least ", cli_grouped(total, b));
}

/* -v: where the search looked, what it found, how long it took. */
static void say_searched(const mls_places *places, size_t hits, const struct timespec *started)
{
    char list[2048] = "", where[300];
    size_t used = 0;
    struct timespec now;
    fflush(stdout); /* after the hits, on a terminal too */
    for (size_t i = 0; i < places->count && used < sizeof list; i++) {
        int n = snprintf(list + used, sizeof list - used, "%s%s (%s)", i ? ", " : "",
                         places->items[i].name,
                         mls_place_where(&places->items[i], where, sizeof where));
        used += n > 0 ? (size_t)n : 0;
    }
    clock_gettime(CLOCK_MONOTONIC, &now);
    double ms = (double)(now.tv_sec - started->tv_sec) * 1e3 +
                (double)(now.tv_nsec - started->tv_nsec) / 1e6;
    cli_say("mlsearch: searched %s %s: %zu hit%s in %.1f ms",
            places->count == 1 ? "notebook" : "notebooks", list, hits, hits == 1 ? "" : "s", ms);
}

int cli_run_search(const cli_args *a)
{
    char *text = NULL, *dir = NULL, *message = NULL, *cwd = NULL;
    mls_query *q = NULL;
    mls_db *db = NULL;
    mls_hits *hits = NULL;
    int code = CLI_EXIT_ERROR;
    struct timespec started;
    mls_status st;
    mls_config cfg = {0};
    mls_places places = {0};
    const char **parts = NULL;
    size_t part_count = 0;

    clock_gettime(CLOCK_MONOTONIC, &started);
    if (a->rest_count == 0) {
        cli_print_help(stderr, CLI_HELP);
        return CLI_EXIT_ERROR;
    }
    text = join_query(a);
    cwd = getcwd(NULL, 0);
    if (!text) {
        cli_fail("search", "out of memory");
        goto done;
    }
    st = mls_query_parse(text, &q);
    if (st) {
        query_failure(text, st);
        goto done;
    }
    q->own_text_only = a->no_context;
    q->newest_first = a->newest_first;
    q->with_dates = a->format == MLS_OUTPUT_JSON;
    if (!cli_locate(a, "search", &cfg, &dir) || !cli_select(a, &cfg, dir, &places))
        goto done;
    st = mls_places_open(&places, CLI_REMOTE_TIMEOUT_MS, 0, warn_skipped, NULL, &db, &parts,
                         &part_count, &message);
    if (st) {
        const mls_place *p = &places.items[0];
        char where[300], what[400];
        snprintf(what, sizeof what, "notebook %s (%s)", p->name,
                 mls_place_where(p, where, sizeof where));
        code = cli_db_failure(places.count == 1 ? (p->dir ? p->dir : what) : dir, st, message);
        goto done;
    }
    warn_if_old(db);
    /* -l and -c answer for every hit; the other formats show the best. */
    size_t max = a->max_count ? (size_t)a->max_count
                 : a->format == MLS_OUTPUT_FILES || a->format == MLS_OUTPUT_COUNT
                     ? SIZE_MAX
                     : DEFAULT_MAX_COUNT;
    st = find(db, q, max, a, &hits);
    if (st == MLS_ERR_NETWORK && places.count > 1) {
        /* A server that went away after it answered: the local ones. */
        cli_say("mlsearch: a remote notebook stopped answering (%s); searching the local ones",
                mls_db_message(db));
        mls_db_close(db);
        free(parts);
        st = mls_places_open(&places, CLI_REMOTE_TIMEOUT_MS, 1, NULL, NULL, &db, &parts,
                             &part_count, &message);
        if (!st)
            st = find(db, q, max, a, &hits);
    }
    if (st) {
        if (st == MLS_ERR_QUERY_TOO_LARGE) /* a prefix of too many words */
            cli_say("mlsearch: query: a prefix stands for more than %d words; make it longer",
                    MLS_PREFIX_MAX_TERMS);
        else
            code = cli_db_failure(dir, st, mls_db_message(db));
        goto done;
    }
    /* Every passage that matches: for the JSON summary, and for a line
     * under a terminal's hits when there are more than it shows. */
    int on_terminal = a->format == MLS_OUTPUT_TEXT && isatty(STDOUT_FILENO);
    size_t total = hits->passages;
    int total_exact = hits->all_read;
    /* The count reads the best notes alone, where the search may have
     * read further: never fewer than the search found.  A count that
     * fails (a commit meanwhile, a remote notebook gone) leaves that
     * lower bound: the hits are there to show. */
    if ((a->format == MLS_OUTPUT_JSON || on_terminal) && !hits->all_read) {
        size_t counted = 0;
        int exact = 0;
        if (mls_search_count(db, q, COUNT_NOTES_MAX, &counted, &exact) != MLS_OK)
            counted = exact = 0;
        total_exact = counted >= total && exact;
        if (counted > total)
            total = counted;
    }
    mls_output_options opt = {.format = a->format,
                              .max_columns = a->format != MLS_OUTPUT_TEXT ? 0
                                             : a->max_columns >= 0        ? (size_t)a->max_columns
                                             : on_terminal                ? terminal_columns()
                                                                          : 0,
                              .column_unit = a->column_unit,
                              .color = a->format != MLS_OUTPUT_JSON &&
                                       a->format != MLS_OUTPUT_VIMGREP && use_color(a->color),
                              .cwd = a->absolute ? NULL : cwd,
                              .snippet_width = SNIPPET_WIDTH,
                              .started = started,
                              .notebooks = parts,
                              .notebook_count = part_count,
                              .total = total,
                              .total_exact = total_exact};
    st = mls_output_hits(stdout, q, hits, &opt);
    if (st == MLS_ERR_IO)
        code = cli_output_failed() ? CLI_EXIT_ERROR
               : hits->count       ? CLI_EXIT_HITS
                                   : CLI_EXIT_NO_HITS;
    else if (st)
        cli_fail("output", mls_status_str(st));
    else
        code = hits->count ? CLI_EXIT_HITS : CLI_EXIT_NO_HITS;
    if (on_terminal && code == CLI_EXIT_HITS)
        say_shown(hits, total, total_exact);
    if (code == CLI_EXIT_NO_HITS) {
        prefix_hint hint = {db, text, a->no_context};
        mls_query_prefix_candidates(text, try_prefix, &hint);
    }
    if (a->verbose && code != CLI_EXIT_ERROR)
        say_searched(&places, hits->count, &started);
done:
    mls_hits_free(hits);
    mls_db_close(db);
    mls_places_free(&places);
    mls_config_free(&cfg);
    free(parts);
    mls_query_free(q);
    free(message);
    free(dir);
    free(cwd);
    free(text);
    return code;
}
