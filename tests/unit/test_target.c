/* net/target: every target form expands to exactly the addresses its text
 * names; every bad form is refused with its reason.  Parsing only: nothing
 * here sends a packet, and the addresses are documentation and benchmark
 * ranges (198.51.100.0/24, 203.0.113.0/24, 198.18.0.0/15). */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "net/target.h"
#include "tap.h"

static struct ry_target_set l;

/* Expands text and checks count, first and last address. */
static void expands(const char *text, size_t count, const char *first, const char *last)
{
	const char *why = "";
	char f[64] = "", z[64] = "";
	struct ry_ipaddr a;

	ry_target_set_free(&l);
	int rc = ry_target_expand(text, 1 << 20, &l, &why);
	if (rc == 0)
		rc = ry_target_set_unique(&l);
	if (l.n) {
		ry_target_set_at(&l, 0, &a);
		ry_ipaddr_str(&a, f, sizeof f);
		ry_target_set_at(&l, l.n - 1, &a);
		ry_ipaddr_str(&a, z, sizeof z);
	}
	ok(rc == 0 && l.n == count && !strcmp(f, first) && !strcmp(z, last),
	   "'%s' -> %zu addresses, %s .. %s", text, count, first, last);
	if (!(rc == 0 && l.n == count && !strcmp(f, first) && !strcmp(z, last)))
		printf("#   rc %d (%s), %llu addresses, %s .. %s\n", rc, why, (unsigned long long)l.n, f, z);
}

static void refuses(const char *text, int want_rc, const char *want_why)
{
	const char *why = "";

	ry_target_set_free(&l);
	int rc = ry_target_expand(text, 65536, &l, &why);
	ok(rc == want_rc && (!want_why || !strcmp(why, want_why)) && l.n == 0,
	   "'%s' refused: %s", text, want_why ? want_why : "a name");
	if (rc != want_rc || (want_why && strcmp(why, want_why)))
		printf("#   rc %d why '%s'\n", rc, why);
}

int main(void)
{
	expands("198.51.100", 254, "198.51.100.1", "198.51.100.254");
	expands("203.0.113.0/24", 254, "203.0.113.1", "203.0.113.254");
	expands("203.0.113.77/24", 254, "203.0.113.1", "203.0.113.254");
	expands("203.0.113.0/30", 2, "203.0.113.1", "203.0.113.2");
	expands("203.0.113.0/31", 2, "203.0.113.0", "203.0.113.1");
	expands("203.0.113.9/32", 1, "203.0.113.9", "203.0.113.9");
	expands("198.18.0.0/16", 65534, "198.18.0.1", "198.18.255.254");
	expands("203.0.113.10-20", 11, "203.0.113.10", "203.0.113.20");
	expands("203.0.113.250-203.0.114.5", 12, "203.0.113.250", "203.0.114.5");
	expands("203.0.113.3", 1, "203.0.113.3", "203.0.113.3");
	expands("::1", 1, "::1", "::1");
	expands("::1/128", 1, "::1", "::1");
	expands("fd00::77/120", 256, "fd00::", "fd00::ff");
	expands("fd00::/112", 65536, "fd00::", "fd00::ffff");

	refuses("300.1.2.3", RY_EBADADDR, "not an IPv4 address (four numbers 0-255 with dots)");
	refuses("1.2.3.4/33", RY_EBADADDR, "prefix length over 32");
	refuses("1.2.3.4/", RY_EBADADDR, "bad prefix length");
	refuses("1.2.3.20-10", RY_EBADADDR, "range runs backwards");
	refuses("1.2.4.0-1.2.3.255", RY_EBADADDR, "range runs backwards");
	refuses("1.2.3.4-", RY_EBADADDR, "bad range end");
	refuses("1.2.3.4-256", RY_EBADADDR, "bad range end");
	refuses("1.2", RY_EBADADDR, "not an IPv4 address (four numbers 0-255 with dots)");
	refuses("1.2.3.4.5", RY_EBADADDR, "not an IPv4 address (four numbers 0-255 with dots)");
	refuses("", RY_EBADADDR, "empty target");
	refuses("!!", RY_EBADADDR, "neither an address, a range nor a host name");
	refuses("::1/64", RY_EBADADDR, "IPv6 prefixes shorter than /112 are too large to sweep");
	refuses("::1/129", RY_EBADADDR, "prefix length over 128");
	refuses("::g", RY_EBADADDR, "not an IPv6 address");
	refuses("198.0.0.0/8", -E2BIG, "more addresses than --max-hosts allows");
	refuses("127.0.0.1:80", RY_EBADADDR, "a port is not part of a sweep target (to probe a TCP port, use -m tcp:PORT)");
	refuses("host.test:22", RY_EBADADDR, "a port is not part of a sweep target (to probe a TCP port, use -m tcp:PORT)");
	refuses("example.org", RY_ENONAME, "a host name: resolve it to an address first");

	/* The list is left as it was by a refused target. */
	const char *why;
	ry_target_set_free(&l);
	ry_target_expand("198.18.0.1", 65536, &l, &why);
	ry_target_expand("198.0.0.0/8", 65536, &l, &why);
	is_int(l.n, 1, "a refused target adds nothing");

	ry_target_set_free(&l);
	ry_target_expand("198.18.0.3", 100, &l, &why);
	ry_target_expand("198.18.0.0/29", 100, &l, &why);
	ry_target_expand("::1", 100, &l, &why);
	ry_target_expand("198.18.0.3", 100, &l, &why);
	ry_target_set_unique(&l);
	char a[64], z[64];
	struct ry_ipaddr k;
	ry_target_set_at(&l, 0, &k);
	ry_ipaddr_str(&k, a, sizeof a);
	ry_target_set_at(&l, l.n - 1, &k);
	ry_ipaddr_str(&k, z, sizeof z);
	ok(l.n == 7 && l.nspan == 2 && !strcmp(a, "198.18.0.1") && !strcmp(z, "::1"),
	   "unique: sorted, IPv4 first, duplicates gone, one span per run");
	ry_ipaddr_parse("198.18.0.6", &k);
	is_int(ry_target_set_find(&l, &k), 5, "find: an address's position in the sorted list");
	ry_ipaddr_parse("::1", &k);
	is_int(ry_target_set_find(&l, &k), 6, "find: the last one");
	ry_ipaddr_parse("198.18.0.7", &k);
	is_int(ry_target_set_find(&l, &k), 7, "find: an address not in the list gives n");
	ry_ipaddr_parse("::2", &k);
	is_int(ry_target_set_find(&l, &k), 7, "find: nor an IPv6 one past a span");

	/* Spans that overlap, touch, nest and stand apart merge into the
	 * fewest runs; positions and finds agree across them; a /8 costs
	 * one span. */
	ry_target_set_free(&l);
	const char *parts[] = { "198.18.0.10-20", "198.18.0.15-30", "198.18.0.31", "198.18.0.12-13",
				"198.18.0.40-41", "fd00::5", "fd00::/120", "fd00:0:0:1::7", "198.18.0.9" };
	for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
		ry_target_expand(parts[i], 1000, &l, &why);
	ry_target_set_unique(&l);
	ok(l.nspan == 4 && l.n == 23 + 2 + 256 + 1, "merged: 4 spans of 282 addresses (%zu, %llu)", l.nspan,
	   (unsigned long long)l.n);
	int agree = 1;
	for (uint64_t p = 0; p < l.n; p++) {
		ry_target_set_at(&l, p, &k);
		agree &= ry_target_set_find(&l, &k) == p;
		if (p > 0) {
			struct ry_ipaddr prev;
			ry_target_set_at(&l, p - 1, &prev);
			agree &= ry_ipaddr_cmp(&prev, &k) < 0;
		}
	}
	ok(agree, "every position maps to an address that finds it again, in address order");
	ry_target_set_at(&l, 25, &k);
	ry_ipaddr_str(&k, a, sizeof a);
	is_str(a, "fd00::", "the first IPv6 address follows the last IPv4 one");
	ry_target_set_free(&l);
	ok(ry_target_expand("198.0.0.0/8", 1 << 24, &l, &why) == 0 && ry_target_set_unique(&l) == 0 &&
	   l.nspan == 1 && l.n == 16777214, "a /8 is one span, never expanded");
	ry_target_set_at(&l, 16777213, &k);
	ry_ipaddr_str(&k, z, sizeof z);
	is_str(z, "198.255.255.254", "and its last position is its last host");
	ry_target_set_free(&l);
	return done_testing();
}
