/* util/shard: K/N parsing, a permutation that is one, the same on every
 * call, different per seed, and shares that cover everything once. */
#include <stdlib.h>
#include <string.h>

#include "util/shard.h"
#include "tap.h"

static int check_perm(uint64_t n, uint64_t seed)
{
	struct ry_perm p;
	unsigned char *seen = calloc(n ? n : 1, 1);
	int good = seen != NULL;

	ry_perm_init(&p, n, seed);
	for (uint64_t i = 0; good && i < n; i++) {
		uint64_t x = ry_perm_at(&p, i);
		if (x >= n || seen[x])
			good = 0;
		else
			seen[x] = 1;
	}
	free(seen);
	return good;
}

int main(void)
{
	struct ry_shard s;
	const char *why;
	struct ry_perm a, b;

	ok(ry_shard_parse("0/4", &s, &why) == 0 && s.k == 0 && s.n == 4, "0/4");
	ok(ry_shard_parse("3/4", &s, &why) == 0 && s.k == 3, "3/4");
	ok(ry_shard_parse("4/4", &s, &why) != 0 && strstr(why, "below N"), "4/4 is refused: K counts from 0");
	ok(ry_shard_parse("0/0", &s, &why) != 0 && strstr(why, "from 1"), "0/0 is refused");
	ok(ry_shard_parse("1", &s, &why) != 0 && strstr(why, "K/N"), "a bare number is refused");
	ok(ry_shard_parse("-1/4", &s, &why) != 0, "a sign is refused");
	ok(ry_shard_parse("1/4x", &s, &why) != 0, "trailing junk is refused");
	ok(ry_shard_parse("1/", &s, &why) != 0, "no N is refused");

	int all = 1;
	for (uint64_t n = 1; n <= 300; n++)
		all &= check_perm(n, n * 7);
	ok(all, "every n from 1 to 300: a permutation of [0, n)");
	ok(check_perm(65536, 1) && check_perm(65534, 2) && check_perm(100003, 3),
	   "a /16, a /16 less two, and a prime-sized list");

	ry_perm_init(&a, 65534, 42);
	ry_perm_init(&b, 65534, 42);
	int same = 1, differ = 0, moved = 0;
	struct ry_perm c;
	ry_perm_init(&c, 65534, 43);
	for (uint64_t i = 0; i < 65534; i++) {
		same &= ry_perm_at(&a, i) == ry_perm_at(&b, i);
		differ += ry_perm_at(&a, i) != ry_perm_at(&c, i);
		moved += ry_perm_at(&a, i) != i;
	}
	ok(same, "one seed, one order, every time");
	ok(differ > 60000, "another seed, another order (%d of 65534 differ)", differ);
	ok(moved > 60000, "not the identity (%d of 65534 moved)", moved);
	/* Known values: the order must be the same on every machine and
	 * build, or copies of one command line would not agree. */
	ry_perm_init(&a, 1000, 7);
	ok(ry_perm_at(&a, 0) == 541 && ry_perm_at(&a, 1) == 800 && ry_perm_at(&a, 2) == 849,
	   "perm(1000, seed 7) starts 541 800 849, as when the order was fixed");

	/* Neighbours spread: consecutive positions of a /16 land far apart,
	 * so no shard (and no stretch of time) hammers one /24. */
	ry_perm_init(&a, 65536, 5);
	unsigned same24 = 0;
	for (uint64_t i = 0; i + 1 < 65536; i++)
		same24 += (ry_perm_at(&a, i) >> 8) == (ry_perm_at(&a, i + 1) >> 8);
	ok(same24 < 2000, "consecutive probes rarely share a /24 (%u of 65535)", same24);

	ok(ry_shard_hash(RY_SHARD_HASH_INIT, "a", 1) == 0xaf63dc4c8601ec8cull, "FNV-1a 64 of \"a\"");
	/* Shares: N copies cover every item exactly once, within one. */
	for (uint64_t N = 1; N <= 7; N++) {
		const uint64_t n = 1000;
		unsigned char hit[1000] = { 0 };
		size_t buf[1001], lo = n, hi = 0;
		int once = 1;
		for (uint64_t k = 0; k < N; k++) {
			struct ry_shard sh = { k, N };
			size_t m = ry_shard_select(n, &sh, N & 1, 99, buf);
			if (m != ry_shard_share(n, &sh))
				once = 0;
			lo = m < lo ? m : lo;
			hi = m > hi ? m : hi;
			for (size_t j = 0; j < m; j++)
				once &= hit[buf[j]]++ == 0;
		}
		for (size_t i = 0; i < n; i++)
			once &= hit[i] == 1;
		ok(once && hi - lo <= 1, "%llu shards of 1000: each item once, shares %zu-%zu",
		   (unsigned long long)N, lo, hi);
	}
	struct ry_shard none = { 0, 0 }, s2 = { 1, 2 };
	size_t o1[10], o2[10];
	ok(ry_shard_select(5, &none, false, 0, o1) == 5 && o1[0] == 0 && o1[4] == 4,
	   "not sharded, not shuffled: address order");
	ok(ry_shard_select(5, &s2, false, 0, o2) == 2 && o2[0] == 1 && o2[1] == 3,
	   "1/2 unshuffled: every other item, not a block");
	ok(ry_shard_share(3, &(struct ry_shard){ 5, 8 }) == 0, "more shards than items: some get none");
	return done_testing();
}
