/* grow.c - growing arrays (see grow.h). */
#include "mlsearch/internal/grow.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MIN_CAPACITY 16

int mls_grow(void *items_ptr, size_t *capacity, size_t needed, size_t elem_size)
{
    void *items;
    size_t cap = *capacity;

    if (needed <= cap)
        return 1;
    cap = cap > SIZE_MAX / 2 ? SIZE_MAX : cap * 2;
    if (cap < needed)
        cap = needed;
    if (cap < MIN_CAPACITY)
        cap = MIN_CAPACITY;
    if (elem_size && cap > SIZE_MAX / elem_size)
        return 0;
    /* The pointer is copied in and out with memcpy: a `T **` may not be
     * read through a `void **` in standard C. */
    memcpy(&items, items_ptr, sizeof items);
    void *grown = realloc(items, cap * elem_size);
    if (!grown)
        return 0;
    memcpy(items_ptr, &grown, sizeof grown);
    *capacity = cap;
    return 1;
}
