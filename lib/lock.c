/* lock.c - the index's update lock (see lock.h). */
#include "mlsearch/internal/lock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#define POLL_NANOSECONDS 50000000L /* how often a waiting indexer tries again */

struct mls_lock {
    int fd;
    int abandoned; /* the last holder died holding it (see lock.h) */
};

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The holder's line, without its newline; NULL if there is none. */
static char *read_holder(int fd)
{
    char buf[128];
    ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
    if (n <= 0)
        return NULL;
    buf[n] = '\0';
    buf[strcspn(buf, "\n")] = '\0';
    return buf[0] ? strdup(buf) : NULL;
}

/* Names this process as the holder, for whoever finds the lock taken. */
static void write_holder(int fd)
{
    char line[128], when[32];
    time_t t = time(NULL);
    struct tm tm;
    if (!localtime_r(&t, &tm) || !strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm))
        when[0] = '\0';
    int n = snprintf(line, sizeof line, "pid %ld since %s\n", (long)getpid(), when);
    if (ftruncate(fd, 0) == 0 && n > 0)
        (void)!pwrite(fd, line, (size_t)n, 0);
}

mls_status mls_lock_take(const char *dir, double wait_seconds, const atomic_int *stop,
                         mls_lock **out, char **holder)
{
    size_t len = strlen(dir) + sizeof "/lock";
    char *path = malloc(len);
    double deadline = now_seconds() + wait_seconds;
    int fd;

    *out = NULL;
    if (holder)
        *holder = NULL;
    if (!path)
        return MLS_ERR_NOMEM;
    snprintf(path, len, "%s/lock", dir);
    fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    free(path);
    if (fd < 0)
        return MLS_ERR_IO;
    while (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        if (errno == EINTR)
            continue;
        if (errno != EWOULDBLOCK) {
            int saved = errno;
            close(fd);
            errno = saved;
            return MLS_ERR_IO;
        }
        if (stop && atomic_load(stop)) {
            close(fd);
            return MLS_ERR_INTERRUPTED;
        }
        if (wait_seconds >= 0 && now_seconds() >= deadline) {
            if (holder)
                *holder = read_holder(fd);
            close(fd);
            return MLS_ERR_DB_LOCKED;
        }
        nanosleep(&(struct timespec){0, POLL_NANOSECONDS}, NULL);
    }
    *out = malloc(sizeof **out);
    if (!*out) {
        close(fd);
        return MLS_ERR_NOMEM;
    }
    (*out)->fd = fd;
    /* A holder that ends well empties the file; one still named there
     * died holding the lock. */
    char *last = read_holder(fd);
    (*out)->abandoned = last != NULL;
    free(last);
    write_holder(fd);
    return MLS_OK;
}

int mls_lock_abandoned(const mls_lock *lock)
{
    return lock->abandoned;
}

void mls_lock_release(mls_lock *lock, int suspect)
{
    if (!lock)
        return;
    /* Emptied first, so that nobody is named once we are gone. */
    if (!suspect)
        (void)!ftruncate(lock->fd, 0);
    close(lock->fd);
    free(lock);
}
