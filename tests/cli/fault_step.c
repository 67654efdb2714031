/* fault_step.c - an LD_PRELOAD library for the crash tests: it numbers the
 * steps by which a process changes files, and stops the process at the
 * step a test names, so that a test can kill the indexer at every step in
 * turn, exactly, instead of at a moment a sleep guesses.
 *
 * A step is a call that changes a file or a folder: write() to a regular
 * file, pwrite(), ftruncate(), fsync(), fdatasync(), rename(), unlink(),
 * unlinkat(), remove(), rmdir(), mkdir().  The action comes just before
 * the step is carried out:
 *
 *   MLS_STEP_AT=N          the step to act at (1 is the first)
 *   MLS_STEP_ACTION=kill   SIGKILL (the default)
 *                   term   SIGTERM, then the step goes on
 *                   hang   tell MLS_STEP_READY, then never return, as a
 *                          library call that spins: only a signal ends it
 *   MLS_STEP_COUNT=FILE    at a normal exit, write the number of steps
 *                          taken to FILE (how many a run has)
 *   MLS_LOCK=hold          once the process has its flock(2) lock and has
 *                          named itself in it (its first pwrite() after),
 *                          tell MLS_STEP_READY, then wait until the test
 *                          writes a line to the FIFO MLS_LOCK_GO
 *   MLS_LOCK=busy          the first time flock(2) finds the lock taken,
 *                          tell MLS_STEP_READY
 *   MLS_STEP_READY=FIFO    "tell": write a line to this FIFO, which
 *                          blocks until the test reads it
 *
 * Steps from several threads are numbered in the order they come. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

static atomic_long steps;

/* real_NAME: the C library's NAME, which ours wraps. */
#define REAL(name) \
    static __typeof__(name) *real_##name; \
    if (!real_##name) \
    real_##name = (__typeof__(name) *)dlsym(RTLD_NEXT, #name)

static int env_is(const char *name, const char *value)
{
    const char *v = getenv(name);
    return v && !strcmp(v, value);
}

/* Writes a line to the FIFO MLS_STEP_READY, if set. */
static void tell_ready(void)
{
    REAL(write);
    const char *fifo = getenv("MLS_STEP_READY");
    int fd = fifo ? open(fifo, O_WRONLY | O_CLOEXEC) : -1;
    if (fd >= 0) {
        (void)!real_write(fd, "ready\n", 6);
        close(fd);
    }
}

static void step(void)
{
    long n = atomic_fetch_add(&steps, 1) + 1;
    const char *at = getenv("MLS_STEP_AT");
    if (!at || atol(at) != n)
        return;
    if (env_is("MLS_STEP_ACTION", "term")) {
        kill(getpid(), SIGTERM);
    } else if (env_is("MLS_STEP_ACTION", "hang")) {
        tell_ready();
        for (;;)
            pause();
    } else {
        kill(getpid(), SIGKILL);
    }
}

__attribute__((destructor)) static void write_count(void)
{
    const char *path = getenv("MLS_STEP_COUNT");
    FILE *f = path ? fopen(path, "w") : NULL;
    if (f) {
        fprintf(f, "%ld\n", atomic_load(&steps));
        fclose(f);
    }
}

ssize_t write(int fd, const void *buf, size_t count)
{
    REAL(write);
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
        step();
    return real_write(fd, buf, count);
}

/* Set once flock(2) has given the process its lock. */
static atomic_int locked;

static void hold_lock(void)
{
    tell_ready();
    const char *go = getenv("MLS_LOCK_GO");
    int in = go ? open(go, O_RDONLY | O_CLOEXEC) : -1;
    char line[16];
    if (in >= 0) {
        (void)!read(in, line, sizeof line);
        close(in);
    }
}

ssize_t pwrite(int fd, const void *buf, size_t count, off_t offset)
{
    REAL(pwrite);
    step();
    ssize_t rc = real_pwrite(fd, buf, count, offset);
    int saved = errno;
    if (atomic_exchange(&locked, 0) && env_is("MLS_LOCK", "hold"))
        hold_lock();
    errno = saved;
    return rc;
}

int ftruncate(int fd, off_t length)
{
    REAL(ftruncate);
    step();
    return real_ftruncate(fd, length);
}

int fsync(int fd)
{
    REAL(fsync);
    step();
    return real_fsync(fd);
}

int fdatasync(int fd)
{
    REAL(fdatasync);
    step();
    return real_fdatasync(fd);
}

int rename(const char *from, const char *to)
{
    REAL(rename);
    step();
    return real_rename(from, to);
}

int unlink(const char *path)
{
    REAL(unlink);
    step();
    return real_unlink(path);
}

int unlinkat(int dirfd, const char *path, int flags)
{
    REAL(unlinkat);
    step();
    return real_unlinkat(dirfd, path, flags);
}

int remove(const char *path)
{
    REAL(remove);
    step();
    return real_remove(path);
}

int rmdir(const char *path)
{
    REAL(rmdir);
    step();
    return real_rmdir(path);
}

int mkdir(const char *path, mode_t mode)
{
    REAL(mkdir);
    step();
    return real_mkdir(path, mode);
}

int flock(int fd, int operation)
{
    REAL(flock);
    static int told_busy;
    int rc = real_flock(fd, operation);
    int saved = errno;
    if (rc == 0 && (operation & LOCK_EX)) {
        atomic_store(&locked, 1);
    } else if (rc != 0 && saved == EWOULDBLOCK && env_is("MLS_LOCK", "busy") && !told_busy) {
        told_busy = 1;
        tell_ready();
    }
    errno = saved;
    return rc;
}
