/* status_command.c - `mlsearch status` and `mlsearch dump`: each
 * notebook's index in turn (cli.h). */
#include "mlsearch/cli.h"
#include "mlsearch/db.h"
#include "mlsearch/escape.h"
#include "mlsearch/index_info.h"
#include "mlsearch/search.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* What the index holds: where, roots, notes, passages, the last run. */
static int show_status(mls_db *db, const char *dir)
{
    char *where = NULL, count[32], when[32] = "?", line[256];
    size_t where_len;
    unsigned long long bytes;
    mls_index_info info = {0};
    mls_status st = mls_escape_text(dir, strlen(dir), &where, &where_len);
    if (!st)
        st = mls_index_info_read(db, &info);
    if (!st)
        st = mls_db_disk_size(db, &bytes);
    if (!st) {
        if (bytes)
            printf("index:     %s (%.1f MB)\n", where, (double)bytes / 1e6);
        else /* a remote notebook's: its files are the server's */
            printf("index:     %s\n", where);
        for (size_t i = 0; i < info.roots.count; i++) {
            char *safe;
            size_t safe_len;
            const char *root = info.roots.items[i];
            if (mls_escape_text(root, strlen(root), &safe, &safe_len) == MLS_OK) {
                printf("%s %s\n", i ? "          " : "roots:    ", safe);
                free(safe);
            }
        }
        printf("notes:     %s\n", cli_grouped(info.notes, count));
        printf("passages:  %s\n", cli_grouped(info.passages, count));
        if (info.has_last_run) {
            struct tm tm;
            if (localtime_r(&info.last_run_started, &tm))
                strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm);
            cli_run_summary(line, sizeof line, &info.last_run);
            printf("last run:  %s: %s\n", when, line);
        } else {
            printf("last run:  unknown\n");
        }
    }
    mls_index_info_free(&info);
    free(where);
    return st ? cli_db_failure(dir, st, mls_db_message(db)) : 0;
}

/* Runs `show` on each notebook -N names, or on every notebook: the status
 * or the dump of each, in turn (a status says the notebook's name first
 * when there are several).  The exit status is the worst. */
static int with_index(const cli_args *a, const char *name, int (*show)(mls_db *, const char *))
{
    char *dir = NULL, *message = NULL;
    mls_config cfg = {0};
    mls_places places = {0};
    int code = CLI_EXIT_ERROR;

    if (a->rest_count) {
        cli_fail(name, "takes no arguments");
        return CLI_EXIT_ERROR;
    }
    if (cli_locate(a, name, &cfg, &dir) && cli_select(a, &cfg, dir, &places))
        code = 0;
    for (size_t i = 0; i < places.count && !ferror(stdout); i++) {
        const mls_place *p = &places.items[i];
        char where[300];
        mls_db *db = NULL;
        mls_place_where(p, where, sizeof where);
        if (places.count > 1 && show == show_status) /* a dump's lines are JSON */
            printf("%snotebook:  %s\n", i ? "\n" : "", p->name);
        free(message);
        message = NULL;
        mls_status st = mls_place_open(p, CLI_REMOTE_TIMEOUT_MS, &db, &message);
        int one = st ? cli_db_failure(where, st, message) : show(db, where);
        if (one && (code == 0 || one == CLI_EXIT_ERROR))
            code = one;
        mls_db_close(db);
    }
    if ((fflush(stdout) != 0 || ferror(stdout)) && cli_output_failed())
        code = CLI_EXIT_ERROR;
    mls_places_free(&places);
    mls_config_free(&cfg);
    free(message);
    free(dir);
    return code;
}

static int dump(mls_db *db, const char *dir)
{
    mls_status st = mls_dump_passages(db, stdout);
    if (st == MLS_ERR_IO)
        return 0; /* a write that failed: with_index() says it, once */
    return st ? cli_db_failure(dir, st, mls_db_message(db)) : 0;
}

int cli_run_status(const cli_args *a)
{
    return with_index(a, "status", show_status);
}

int cli_run_dump(const cli_args *a)
{
    return with_index(a, "dump", dump);
}
