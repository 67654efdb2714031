/* strings.c - a growable list of owned strings (see strings.h). */
#include "mlsearch/strings.h"
#include "mlsearch/internal/grow.h"

#include <stdlib.h>
#include <string.h>

mls_status mls_strings_add(mls_strings *list, const char *s)
{
    char *copy = strdup(s);
    if (!copy || !mls_grow(&list->items, &list->capacity, list->count + 1, sizeof *list->items)) {
        free(copy);
        return MLS_ERR_NOMEM;
    }
    list->items[list->count++] = copy;
    return MLS_OK;
}

void mls_strings_free(mls_strings *list)
{
    for (size_t i = 0; i < list->count; i++)
        free(list->items[i]);
    free(list->items);
    *list = (mls_strings){0};
}
