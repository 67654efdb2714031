/* serve_command.c - `mlsearch serve`: a notebook's index for other
 * machines, through Xapian's own server (cli.h). */
#include "mlsearch/cli.h"
#include "mlsearch/location.h"

#include <errno.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define DEFAULT_SERVE_PORT 33333

/* Whether xapian-tcpsrv can listen on host:port, found out as it does it:
 * the address resolved, a socket bound with SO_REUSEADDR.  Its own way of
 * saying no is its words and statuses (69 for a port in use, 1 for an
 * address it cannot resolve: our "no hits"); said here, a port in use or
 * a bad --bind is an error like any other, exit 2.  (Another process may
 * still take the port in between: then xapian-tcpsrv says so itself.) */
static int can_listen(const char *host, const char *port)
{
    struct addrinfo hints = {.ai_flags = AI_PASSIVE | AI_NUMERICSERV, .ai_socktype = SOCK_STREAM},
                    *list, *ai;
    char why[512];
    int error = 0, rc = getaddrinfo(host, port, &hints, &list);
    if (rc) {
        snprintf(why, sizeof why, "--bind %s: %s", host,
                 rc == EAI_SYSTEM ? strerror(errno) : gai_strerror(rc));
        cli_fail("serve", why);
        return 0;
    }
    for (ai = list; ai; ai = ai->ai_next) {
        int on = 1, fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
        if (fd < 0) {
            error = errno;
            continue;
        }
        int bound = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) == 0 &&
                    bind(fd, ai->ai_addr, ai->ai_addrlen) == 0;
        error = errno;
        close(fd);
        if (bound)
            break;
    }
    freeaddrinfo(list);
    if (!ai) {
        snprintf(why, sizeof why, "cannot listen on %s:%s: %s", host, port, strerror(error));
        cli_fail("serve", why);
    }
    return ai != NULL;
}

/* Serves a local notebook's index to other machines' `remote` notebooks:
 * Xapian's own server, xapian-tcpsrv, read-only, on 127.0.0.1 unless told
 * otherwise.  It opens the index anew for each connection, so the
 * nightly `mlsearch index` on this machine is seen by the next search. */
int cli_run_serve(const cli_args *a)
{
    const char *name = a->rest_count        ? a->rest[0]
                       : a->notebooks.count ? a->notebooks.items[0]
                                            : MLS_DEFAULT_NOTEBOOK;
    mls_config cfg = {0};
    mls_places places = {0};
    char *dir = NULL, *error = NULL, stub[4200], port[16];
    int code = CLI_EXIT_ERROR;

    if (a->rest_count + a->notebooks.count > 1) {
        cli_fail("serve", "serves one notebook (usage: mlsearch serve [OPTIONS] [NOTEBOOK])");
        return CLI_EXIT_ERROR;
    }
    if (!cli_locate(a, "serve", &cfg, &dir)) {
        /* said */
    } else if (mls_places_select(&cfg, dir, &name, 1, &places, &error) != MLS_OK) {
        cli_fail("notebook", error ? error : "out of memory");
    } else if (!places.items[0].dir) {
        cli_fail(name, "a remote notebook: serve it where it is indexed");
    } else {
        snprintf(stub, sizeof stub, "%s/index", places.items[0].dir);
        snprintf(port, sizeof port, "%ld", a->port ? a->port : DEFAULT_SERVE_PORT);
        mls_status st = mls_index_private(places.items[0].dir, &error);
        if (st) {
            cli_db_failure(places.items[0].dir, st, error);
        } else if (access(stub, R_OK) != 0) {
            cli_fail(places.items[0].dir, "no index here; run 'mlsearch index' first");
        } else if (can_listen(a->bind ? a->bind : "127.0.0.1", port)) {
            char bind[1024]; /* execvp() takes its arguments as writable */
            snprintf(bind, sizeof bind, "%s", a->bind ? a->bind : "127.0.0.1");
            char *const argv[] = {"xapian-tcpsrv", "--port", port, "--interface", bind, stub, NULL};
            cli_say("mlsearch: serving notebook %s (%s), read-only, on %s:%s", name,
                    places.items[0].dir, argv[4], port);
            fflush(stderr);
            execvp(argv[0], argv);
            char why[256];
            snprintf(why, sizeof why, "cannot run xapian-tcpsrv (Debian's xapian-tools): %s",
                     strerror(errno));
            cli_fail("serve", why);
        }
    }
    mls_places_free(&places);
    mls_config_free(&cfg);
    free(error);
    free(dir);
    return code;
}
