/* weight.c - what a match weighs in a passage (see weight.h). */
#include "mlsearch/internal/weight.h"

#include <math.h>

double mls_weight_saturation(double tf, double len)
{
    double norm = MLS_BM25_K1 * (1 - MLS_BM25_B + MLS_BM25_B * len / MLS_TYPICAL_PASSAGE_LENGTH);
    return tf * (MLS_BM25_K1 + 1) / (tf + norm);
}

unsigned mls_weight_hint(double s)
{
    /* A wdf is a count: the hint keeps the order of saturations apart by
     * an eighth, which is finer than BM25's own estimate deserves. */
    return 1 + (unsigned)lround(s > 0 ? s * 8 : 0);
}
