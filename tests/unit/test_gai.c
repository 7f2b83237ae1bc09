/* net/resolve: address literals and /etc/hosts names only, so nothing
 * here asks a name server.  Each query gives one result, -EPIPE after
 * the last; the first address comes back with its port; getaddrinfo's
 * errors map to one table.  (The deadline against a silent server is
 * tested with dnsmasq in a namespace, tests/cli/t0010-resolve.sh.) */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <string.h>

#include "net/addr.h"
#include "net/gai.h"
#include "tap.h"

int main(void)
{
	struct ry_lookup q[3] = {
		{ .host = "127.0.0.1", .port = "80", .family = AF_UNSPEC },
		{ .host = "::1", .family = AF_UNSPEC },
		{ .host = "localhost", .port = "7", .family = AF_INET },
	};
	struct ry_resolver *r = ry_resolver_start(q, 3, 2, 5000000000LL);
	struct ry_lookup_result res;
	int seen[3] = { 0 }, bad = 0;
	char text[RY_ADDRSTR_MAX];

	ok(r != NULL, "a resolver starts with 2 jobs");
	for (int i = 0; i < 3; i++) {
		if (ry_resolver_next(r, &res) != 0 || res.index >= 3) {
			bad++;
			continue;
		}
		seen[res.index]++;
		if (res.status != 0 || res.naddrs == 0) {
			bad++;
		} else if (res.index == 0) {
			ry_sockaddr_str((struct sockaddr *)&res.addrs[0], true, text, sizeof text);
			is_str(text, "127.0.0.1:80", "127.0.0.1 with port 80");
		} else if (res.index == 2) {
			ry_sockaddr_str((struct sockaddr *)&res.addrs[0], false, text, sizeof text);
			is_str(text, "127.0.0.1", "localhost, IPv4 only, is 127.0.0.1");
		}
		ry_lookup_result_free(&res);
	}
	ok(bad == 0 && seen[0] == 1 && seen[1] == 1 && seen[2] == 1, "each query answered once");
	is_int(ry_resolver_next(r, &res), -EPIPE, "then -EPIPE");
	ry_resolver_free(r);

	struct sockaddr_storage ss;
	socklen_t len = 0;
	const char *why = NULL;
	struct ry_lookup one = { .host = "::1", .port = "8000", .family = AF_UNSPEC, .passive = true };
	is_int(ry_lookup_first(&one, 1000000000, &ss, &len, &why), 0, "lookup_first of [::1]:8000");
	ok(ss.ss_family == AF_INET6 && len == sizeof(struct sockaddr_in6) && ry_sockaddr_port((struct sockaddr *)&ss) == 8000,
	   "an IPv6 address with port 8000");
	struct ry_lookup svc = { .host = "127.0.0.1", .port = "no-such-service-x", .family = AF_UNSPEC };
	is_int(ry_lookup_first(&svc, 1000000000, &ss, &len, &why), RY_EBADADDR, "an unknown service is RY_EBADADDR");
	is_str(why, "unknown service", "and says so");

	/* Reverse of text that is no address: refused before any lookup. */
	struct ry_lookup rev = { .host = "no.such.address", .family = AF_UNSPEC, .reverse = true };
	ry_lookup_one(&rev, &res);
	is_int(res.status, RY_EBADADDR, "a reverse lookup of a name is RY_EBADADDR");
	ok(res.name == NULL && res.naddrs == 0, "with no name and no address");
	ry_lookup_result_free(&res);

	is_int(ry_gai_status(EAI_NONAME, &why), RY_ENONAME, "EAI_NONAME is RY_ENONAME");
	is_str(why, "name not found", "'name not found'");
	is_int(ry_gai_status(EAI_AGAIN, &why), -EAGAIN, "EAI_AGAIN is -EAGAIN");
	is_int(ry_gai_status(EAI_SERVICE, &why), RY_EBADADDR, "EAI_SERVICE is RY_EBADADDR");
	return done_testing();
}
