/*
 * shard: how identical command lines on many machines split one job
 * without talking to each other.
 *
 * A shard is "K/N": copy K (0 to N-1, as Kubernetes Indexed Jobs, Slurm
 * arrays and GNU parallel's {%}-1 number them) of N.  Position p of the
 * job belongs to shard p mod N, so the shares differ by at most one.
 *
 * A ry_perm is a seeded pseudo-random permutation of [0, n): a
 * four-round Feistel network over the smallest even power of two >= n,
 * walked again while it lands outside [0, n) ("cycle walking"), so any
 * position maps to its index in O(1) time and memory, and shard K
 * computes only its own n/N positions.  Pure 64-bit integer arithmetic:
 * the same (n, seed) gives the same order on every machine and build.
 *
 * ry_shard_hash is FNV-1a, 64-bit: stable across machines, for a seed
 * derived from a normalized target list and for resolve's name split.
 *
 * Thread safety: plain values; reentrant.
 */
#ifndef RY_UTIL_SHARD_H
#define RY_UTIL_SHARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ry_shard {
	uint64_t k, n;		/* copy k of n; n == 0: not sharded */
};

/* Parses "K/N" (N from 1 to 1000000, K below N): 0, or -EINVAL with
 * *why. */
int ry_shard_parse(const char *text, struct ry_shard *s, const char **why);

struct ry_perm {
	uint64_t n;		/* the domain: [0, n) */
	unsigned half;		/* bits per Feistel half */
	uint64_t key[4];	/* round keys, from the seed */
};

void ry_perm_init(struct ry_perm *p, uint64_t n, uint64_t seed);
/* The index at position pos (< n); a bijection of [0, n). */
uint64_t ry_perm_at(const struct ry_perm *p, uint64_t pos);

/* The share of shard s of a job of n items, in the order it runs them:
 * out[j] = the item at position s->k + j * s->n of the order (a seeded
 * permutation when shuffle, else 0..n-1), for every such position
 * below n.  Returns how many: n / N, or one more.  out holds at least
 * n / N + 1 items (s->n == 0: all n). */
size_t ry_shard_select(uint64_t n, const struct ry_shard *s, bool shuffle, uint64_t seed, size_t *out);

/* The size of shard s's share of n items. */
uint64_t ry_shard_share(uint64_t n, const struct ry_shard *s);

#define RY_SHARD_HASH_INIT 0xcbf29ce484222325ull
/* Hashes n bytes into h (start from RY_SHARD_HASH_INIT). */
uint64_t ry_shard_hash(uint64_t h, const void *p, size_t n);

/* splitmix64's finalizer: mixes all bits of x into all bits. */
uint64_t ry_shard_mix(uint64_t x);

#endif
