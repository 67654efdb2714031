/* test_support.h - helpers shared by the unit tests (include after
 * cmocka.h).  Functions are static inline so each test takes what it uses. */
#ifndef MLSEARCH_TEST_SUPPORT_H
#define MLSEARCH_TEST_SUPPORT_H

#include <stdlib.h>
#include <string.h>

/* A heap copy of exactly `len` bytes, no NUL added: reading past the end
 * of the input is then a bug that ASan and valgrind report. */
static inline char *exact_copy(const char *text, size_t len)
{
    char *buf = malloc(len ? len : 1);
    assert_non_null(buf);
    if (len)
        memcpy(buf, text, len);
    return buf;
}

/* Memory a test holds, freed by teardown() if the test fails half-way
 * (cmocka leaves a failing test by longjmp), so that a failure does not
 * also show up as a leak under ASan or valgrind. */
typedef void (*free_fn)(void *);
static struct {
    void *p;
    free_fn fn;
} g_owned[16];

static inline void *own(void *p, free_fn fn)
{
    if (!p)
        return p;
    for (size_t i = 0; i < sizeof g_owned / sizeof g_owned[0]; i++) {
        if (!g_owned[i].p) {
            g_owned[i].p = p;
            g_owned[i].fn = fn;
            return p;
        }
    }
    fail_msg("too many allocations held at once");
    return p;
}

/* Forgets `p` without freeing it (its owner frees it). */
static inline void disown(void *p)
{
    for (size_t i = 0; p && i < sizeof g_owned / sizeof g_owned[0]; i++)
        if (g_owned[i].p == p)
            g_owned[i].p = NULL;
}

/* Frees `p` (held with own()); NULL is fine. */
static inline void release(void *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < sizeof g_owned / sizeof g_owned[0]; i++) {
        if (g_owned[i].p == p) {
            g_owned[i].p = NULL;
            g_owned[i].fn(p);
            return;
        }
    }
    fail_msg("release of memory not held");
}

/* A cmocka teardown that frees whatever the test still holds. */
static inline int teardown(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof g_owned / sizeof g_owned[0]; i++) {
        if (g_owned[i].p) {
            g_owned[i].fn(g_owned[i].p);
            g_owned[i].p = NULL;
        }
    }
    return 0;
}

#endif
