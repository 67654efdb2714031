/* tags_command.c - `mlsearch tags`: every tag of the notes, with how many
 * notes have it, for an editor to complete `tag:` from (cli.h, tags.h). */
#include "mlsearch/cli.h"
#include "mlsearch/db.h"
#include "mlsearch/escape.h"
#include "mlsearch/tags.h"

#include <errno.h>
#include <stdlib.h>

static int print_tag(const char *tag, size_t len, size_t notes, void *ctx)
{
    (void)ctx;
    char *safe = NULL;
    size_t safe_len;
    if (mls_escape_text(tag, len, &safe, &safe_len) != MLS_OK)
        return 1;
    printf("%.*s\t%zu\n", (int)safe_len, safe, notes);
    free(safe);
    return ferror(stdout) != 0;
}

int cli_run_tags(const cli_args *a)
{
    mls_config cfg = {0};
    mls_places places = {0};
    mls_db *db = NULL;
    const char **parts = NULL;
    size_t part_count = 0;
    char *dir = NULL, *message = NULL;
    int code = CLI_EXIT_ERROR;
    if (a->rest_count) {
        cli_fail("tags", "takes no arguments");
    } else if (cli_locate(a, "tags", &cfg, &dir) && cli_select(a, &cfg, dir, &places)) {
        mls_status st = mls_places_open(&places, CLI_REMOTE_TIMEOUT_MS, 0, NULL, NULL, &db, &parts,
                                        &part_count, &message);
        if (!st)
            st = mls_tags_list(db, print_tag, NULL);
        if (st)
            code =
                cli_db_failure(places.count == 1 && places.items[0].dir ? places.items[0].dir : dir,
                               st,
                               message ? message
                               : db    ? mls_db_message(db)
                                       : NULL);
        else if ((fflush(stdout) != 0 || ferror(stdout)) && cli_output_failed())
            code = CLI_EXIT_ERROR;
        else
            code = 0;
    }
    mls_db_close(db);
    mls_places_free(&places);
    mls_config_free(&cfg);
    free(parts);
    free(message);
    free(dir);
    return code;
}
