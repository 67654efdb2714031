/* hash.h - one 64-bit hash for the project, and strings shortened by it. */
#ifndef MLSEARCH_HASH_H
#define MLSEARCH_HASH_H

#include <stddef.h>
#include <stdint.h>

/* A 64-bit hash of `n` bytes, eight at a time (a search hashes the texts
 * of the chunks it reads, note_record.h): stable across runs and
 * machines (the bytes are read little-endian).  Not cryptographic: it
 * names long terms, tells equal passage texts and recognizes a moved
 * note's content (together with its size), where a collision needs bad
 * luck among one person's notes, not an attacker's effort. */
uint64_t mls_hash64(const void *data, size_t n);

/* Bytes that mls_hash_shorten() adds after the head: '#' and 16 hex digits. */
#define MLS_HASH_SHORTEN_BYTES 17

/* Shortens the `len`-byte string `s`, when longer than `max` bytes (max >
 * MLS_HASH_SHORTEN_BYTES), to at most `max` bytes: its head, cut on a UTF-8
 * character boundary, then '#' and a 64-bit hash of all of `s` in hex.
 * Writes into `out` (room for `max` + 1 bytes; it may be `s` itself) and
 * returns the new length; a string that fits is copied as it is.  '#' is
 * in no word and no path component, so a shortened term never equals a
 * real one, and two long strings share a term only by hash collision. */
size_t mls_hash_shorten(const char *s, size_t len, size_t max, char *out);

#endif
