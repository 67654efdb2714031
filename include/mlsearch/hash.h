/* hash.h - one 64-bit hash for the project. */
#ifndef MLSEARCH_HASH_H
#define MLSEARCH_HASH_H

#include <stddef.h>
#include <stdint.h>

/* 64-bit FNV-1a of `n` bytes: tiny, stable across runs and machines.  Not
 * cryptographic: it names long terms and recognizes a moved note's
 * content (together with its size), where a collision needs bad luck
 * among one person's notes, not an attacker's effort. */
uint64_t mls_hash64(const void *data, size_t n);

#endif
