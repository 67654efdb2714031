/* fault_open.c - an LD_PRELOAD library for the hostile-notes tests: it
 * changes a note under the indexer at the worst moment, every time, which
 * no sleep-based race in a shell test can promise.
 *
 *   MLS_FAULT_PATH=suffix  the note (a path ending so) to change
 *   MLS_FAULT=unlink       delete it just before the indexer opens it
 *   MLS_FAULT=truncate     cut it to 10 bytes after the first read from it
 *   MLS_FAULT=socket-read  once the program has written to a socket (sent a
 *                          query: Xapian's remote client writes nothing
 *                          before), fail every read from one (a server
 *                          gone after the handshake)
 *
 * Only open(), read() and write() are wrapped; everything else goes straight to
 * the C library. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

static int watched_fd = -1;
static char watched_path[4096];

static int is_target(const char *path)
{
    const char *suffix = getenv("MLS_FAULT_PATH");
    size_t n = suffix ? strlen(suffix) : 0, len = strlen(path);
    return n && len >= n && !strcmp(path + len - n, suffix);
}

static int fault_is(const char *name)
{
    const char *fault = getenv("MLS_FAULT");
    return fault && !strcmp(fault, name);
}

static int socket_written;

static int is_socket(int fd)
{
    struct stat st;
    return fault_is("socket-read") && fstat(fd, &st) == 0 && S_ISSOCK(st.st_mode);
}

ssize_t write(int fd, const void *buf, size_t count)
{
    static ssize_t (*real_write)(int, const void *, size_t);
    if (!real_write)
        real_write = (ssize_t(*)(int, const void *, size_t))dlsym(RTLD_NEXT, "write");
    if (is_socket(fd))
        socket_written = 1;
    return real_write(fd, buf, count);
}

int open(const char *path, int flags, ...)
{
    static int (*real_open)(const char *, int, ...);
    mode_t mode = 0;
    if (!real_open)
        real_open = (int (*)(const char *, int, ...))dlsym(RTLD_NEXT, "open");
    if (flags & O_CREAT) {
        va_list ap;
        va_start(ap, flags);
        mode = (mode_t)va_arg(ap, int);
        va_end(ap);
    }
    int target = is_target(path);
    if (target && fault_is("unlink"))
        unlink(path);
    int fd = real_open(path, flags, mode);
    if (target && fault_is("truncate") && fd >= 0 && strlen(path) < sizeof watched_path) {
        watched_fd = fd;
        strcpy(watched_path, path);
    }
    return fd;
}

ssize_t read(int fd, void *buf, size_t count)
{
    static ssize_t (*real_read)(int, void *, size_t);
    if (!real_read)
        real_read = (ssize_t(*)(int, void *, size_t))dlsym(RTLD_NEXT, "read");
    if (socket_written && is_socket(fd)) {
        errno = ECONNRESET;
        return -1;
    }
    ssize_t got = real_read(fd, buf, count);
    if (fd == watched_fd) {
        watched_fd = -1;
        int cut = truncate(watched_path, 10);
        (void)cut; /* the test sees whether it was */
    }
    return got;
}
