/* note_reader.c - one note's bytes, read safely (see note_reader.h). */
#include "mlsearch/internal/note_reader.h"
#include "mlsearch/internal/grow.h"
#include "mlsearch/internal/hash.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Like git and notmuch, only the first bytes decide whether a file is
 * binary: a NUL among them. */
#define BINARY_SNIFF_BYTES 8000

/* Reads the whole file open on `fd` (at most `max` + 1 bytes, to notice a
 * file that grew past the cap).  0 and errno set on failure. */
static int read_all(int fd, size_t max, char **out, size_t *out_len)
{
    size_t len = 0, cap = 64 * 1024;
    char *buf = malloc(cap);
    if (!buf)
        return 0;
    for (;;) {
        if (len == cap) {
            if (len > max)
                break;
            if (!mls_grow(&buf, &cap, cap + 1, 1)) {
                free(buf);
                errno = ENOMEM;
                return 0;
            }
        }
        ssize_t got = read(fd, buf + len, cap - len);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            int saved = errno;
            free(buf);
            errno = saved;
            return 0;
        }
        if (got == 0)
            break;
        len += (size_t)got;
    }
    *out = buf;
    *out_len = len;
    return 1;
}

int mls_note_read(mls_manifest_entry *e, size_t max, mls_index_report_fn report, void *ctx,
                  char **bytes, size_t *len)
{
    char reason[160], why[96];
    /* Non-blocking: a path that became a FIFO since the crawl must not
     * hang the run; fstat() then says it is no longer a regular file. */
    int fd = open(e->path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    struct stat sb;
    int regular = fd >= 0 && fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode);
    /* Too big already?  Then it is not read at all (read_all() still
     * catches a note that grows past the cap while it is read). */
    int too_big = regular && (unsigned long long)sb.st_size > max;

    *bytes = NULL;
    *len = 0;
    e->hash = 0;
    if (fd >= 0 && !regular) {
        close(fd);
        report(e->path, MLS_NOTE_WARNING, "not a regular file, skipped", ctx);
        return 1;
    }
    if (fd < 0 || (!too_big && !read_all(fd, max, bytes, len))) {
        int gone = errno == ENOENT;
        if (strerror_r(errno, why, sizeof why) != 0)
            snprintf(why, sizeof why, "error %d", errno);
        snprintf(reason, sizeof reason, gone ? "vanished while indexing" : "cannot read: %s", why);
        report(e->path, gone ? MLS_NOTE_INFO : MLS_NOTE_ERROR, reason, ctx);
        if (fd >= 0)
            close(fd);
        return 0;
    }
    /* Written to while it was read: what was read is indexed, and the
     * note, whose times no longer match the crawl's, is read next run. */
    struct stat after;
    if (!too_big && fstat(fd, &after) == 0 &&
        (after.st_size != (off_t)*len || after.st_mtim.tv_sec != sb.st_mtim.tv_sec ||
         after.st_mtim.tv_nsec != sb.st_mtim.tv_nsec))
        report(e->path, MLS_NOTE_INFO, "changed while it was read; read again next run", ctx);
    close(fd);
    if (too_big || *len > max) {
        snprintf(reason, sizeof reason, "larger than %zu bytes, skipped", max);
        report(e->path, MLS_NOTE_WARNING, reason, ctx);
        free(*bytes);
        *bytes = NULL;
        *len = 0;
        return 1;
    }
    /* Read, so hashed, even when it is then skipped: a hash of 0 means a
     * note never read (see mls_changes_unchanged()). */
    e->hash = mls_hash64(*bytes, *len);
    if (*len == 0) {
        report(e->path, MLS_NOTE_INFO, "empty file, nothing to index", ctx);
    } else if (memchr(*bytes, '\0', *len < BINARY_SNIFF_BYTES ? *len : BINARY_SNIFF_BYTES)) {
        report(e->path, MLS_NOTE_WARNING, "binary file, skipped", ctx);
    } else {
        return 1;
    }
    free(*bytes);
    *bytes = NULL;
    *len = 0;
    return 1;
}
