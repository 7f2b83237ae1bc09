#include "util/shard.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int ry_shard_parse(const char *text, struct ry_shard *s, const char **why)
{
	char *end;
	unsigned long long k, n;

	*why = "give K/N, copy K (0 to N-1) of N, as in 0/4";
	if (!text[0] || strspn(text, "0123456789") == 0)
		return -EINVAL;
	errno = 0;
	k = strtoull(text, &end, 10);
	if (errno || *end != '/' || !end[1] || strspn(end + 1, "0123456789") != strlen(end + 1))
		return -EINVAL;
	n = strtoull(end + 1, &end, 10);
	if (errno || n < 1 || n > 1000000) {
		*why = "N must be from 1 to 1000000";
		return -EINVAL;
	}
	if (k >= n) {
		*why = "K must be below N (copies count from 0)";
		return -EINVAL;
	}
	s->k = k;
	s->n = n;
	return 0;
}

uint64_t ry_shard_mix(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ull;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebull;
	x ^= x >> 31;
	return x;
}

uint64_t ry_shard_hash(uint64_t h, const void *p, size_t n)
{
	const unsigned char *c = p;

	for (size_t i = 0; i < n; i++) {
		h ^= c[i];
		h *= 0x100000001b3ull;
	}
	return h;
}

void ry_perm_init(struct ry_perm *p, uint64_t n, uint64_t seed)
{
	unsigned bits = 2;

	/* The smallest even width 2h with 2^(2h) >= n: at most four
	 * walks per position on average (the domain is under 4n). */
	while (bits < 64 && (n - 1) >> bits)
		bits += 2;
	p->n = n;
	p->half = bits / 2;
	for (int r = 0; r < 4; r++)
		p->key[r] = ry_shard_mix(seed + 0x9e3779b97f4a7c15ull * (uint64_t)(r + 1));
}

static uint64_t feistel(const struct ry_perm *p, uint64_t x)
{
	uint64_t mask = (1ull << p->half) - 1;
	uint64_t l = x >> p->half, r = x & mask;

	for (int i = 0; i < 4; i++) {
		uint64_t f = ry_shard_mix(r ^ p->key[i]) & mask;
		uint64_t t = r;
		r = l ^ f;
		l = t;
	}
	return (l << p->half) | r;
}

uint64_t ry_perm_at(const struct ry_perm *p, uint64_t pos)
{
	uint64_t x = pos;

	if (p->n <= 1)
		return 0;
	/* A bijection of the power-of-two domain; walking it from a
	 * position inside [0, n) until it lands inside again is a
	 * bijection of [0, n) (each cycle of the big one visits the small
	 * domain's members in turn). */
	do
		x = feistel(p, x);
	while (x >= p->n);
	return x;
}

uint64_t ry_shard_share(uint64_t n, const struct ry_shard *s)
{
	if (s->n == 0)
		return n;
	return n > s->k ? (n - s->k + s->n - 1) / s->n : 0;
}

size_t ry_shard_select(uint64_t n, const struct ry_shard *s, bool shuffle, uint64_t seed, size_t *out)
{
	struct ry_perm p;
	uint64_t first = s->n ? s->k : 0, step = s->n ? s->n : 1;
	size_t m = 0;

	ry_perm_init(&p, n, seed);
	for (uint64_t pos = first; pos < n; pos += step)
		out[m++] = (size_t)(shuffle ? ry_perm_at(&p, pos) : pos);
	return m;
}
