/* grow.h - the one way mlsearch grows an array.
 *
 * A growable array is a pointer, a count in use and a capacity.  Before
 * appending, ask for room:
 *
 *     if (!mls_grow(&list->items, &list->capacity, list->count + 1,
 *                   sizeof *list->items))
 *         return MLS_ERR_NOMEM;
 *     list->items[list->count++] = item;
 */
#ifndef MLSEARCH_GROW_H
#define MLSEARCH_GROW_H

#include <stddef.h>

/* Makes the array whose pointer is at `items_ptr` (a `T **`, passed as
 * void *) hold at least `needed` elements of `elem_size` bytes, at least
 * doubling *capacity when it grows so appends stay amortized O(1).
 * Returns 1, or 0 when memory runs out (or the size would overflow); then
 * the array and *capacity are untouched and still the caller's. */
int mls_grow(void *items_ptr, size_t *capacity, size_t needed, size_t elem_size);

#endif
