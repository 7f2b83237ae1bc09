/*
 * search: the one binary search, as Rust's slice::partition_point.
 *
 * ry_partition_point(n, before, ctx) is the first index i in [0, n) for
 * which before(ctx, i) is false, or n, given that before is true for a
 * prefix of the indexes and false for the rest (the array is sorted by
 * what it asks).  The callback reads the caller's array however it is
 * laid out (directly, through an index array, by a prefix sum), so one
 * search serves every sorted table in rustyc:
 *
 *     first entry not below key:   before = entry[i] <  key
 *     last entry at or below key:  partition_point(entry[i] <= key) - 1
 *
 * Thread safety: plain values; reentrant.
 */
#ifndef RY_UTIL_SEARCH_H
#define RY_UTIL_SEARCH_H

#include <stdbool.h>
#include <stddef.h>

size_t ry_partition_point(size_t n, bool (*before)(const void *ctx, size_t i), const void *ctx);

#endif
