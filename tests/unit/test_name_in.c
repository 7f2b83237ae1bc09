/* net/name_in: what each form of a resolve name asks for, and an
 * answer's addresses with the name's port.  Parsing only: nothing here
 * sends a packet (documentation addresses). */
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "net/name_in.h"
#include "tap.h"

static enum ry_name_kind kind_of(const char *text, bool only_reverse, bool with_types, const char **bad)
{
	struct ry_name_in nm;
	enum ry_name_kind k;

	if (ry_name_in_init(&nm, text, strlen(text), only_reverse, with_types) != 0)
		return (enum ry_name_kind)-1;
	k = nm.kind;
	if (bad)
		*bad = nm.bad;
	ry_name_in_free(&nm);
	return k;
}

int main(void)
{
	const char *bad = NULL;

	is_int(kind_of("example.test", false, false, NULL), RY_NAME_FORWARD, "a host name: forward");
	is_int(kind_of("example.test:443", false, false, NULL), RY_NAME_FORWARD, "a host name with a port: forward");
	is_int(kind_of("192.0.2.7", false, false, NULL), RY_NAME_REVERSE, "an address alone: reverse");
	is_int(kind_of("2001:db8::7", false, false, NULL), RY_NAME_REVERSE, "an IPv6 address alone: reverse");
	is_int(kind_of("192.0.2.7:80", false, false, NULL), RY_NAME_ENDPOINT, "an address with a port: an endpoint");
	is_int(kind_of("[2001:db8::7]:80", false, false, NULL), RY_NAME_ENDPOINT, "an IPv6 address with a port too");
	is_int(kind_of("fe80::1%lo", false, false, NULL), RY_NAME_ENDPOINT, "a scoped address: an endpoint");
	is_int(kind_of("192.0.2.7", false, true, NULL), RY_NAME_FORWARD, "--type: an address is asked as written");
	is_int(kind_of("example.test", true, false, &bad), RY_NAME_BAD, "-x: a name that is no address is bad");
	is_str(bad, "not an address (-x looks up addresses)", "and says why");
	is_int(kind_of("192.0.2.7", true, false, NULL), RY_NAME_REVERSE, "-x: an address is reversed");
	is_int(kind_of("bad name!", false, false, &bad), RY_NAME_BAD, "a name that does not parse is bad");
	ok(bad != NULL, "with a reason (%s)", bad ? bad : "none");
	struct ry_name_in nm;
	ok(ry_name_in_init(&nm, "a\0b", 3, false, false) == 0 && nm.kind == RY_NAME_BAD && nm.len == 3,
	   "a NUL inside a line is bad, and the text keeps its length");
	ry_name_in_free(&nm);

	/* Addresses: the records' addresses with the name's port. */
	struct ry_dns_rr rr[3] = { { .type = 1, .text = (char[]){ "192.0.2.1" } },
				   { .type = 28, .text = (char[]){ "2001:db8::1" } },
				   { .type = 1, .text = (char[]){ "not an address" } } };
	struct ry_dns_answer ans = { .status = 0, .rrs = { rr, 3, 3 } };
	struct ry_lookup_result res;
	ry_name_in_init(&nm, "example.test:8080", 17, false, false);
	ry_name_in_addresses(&nm, &ans, &res);
	ok(res.status == 0 && res.naddrs == 2 && res.addrs[0].ss_family == AF_INET &&
	   ntohs(((struct sockaddr_in *)&res.addrs[0])->sin_port) == 8080 &&
	   ntohs(((struct sockaddr_in6 *)&res.addrs[1])->sin6_port) == 8080,
	   "both families, each with the port; a record that is no address is skipped");
	ry_lookup_result_free(&res);
	ry_name_in_free(&nm);
	ry_name_in_init(&nm, "example.test:no-such-service-here", 33, false, false);
	ry_name_in_addresses(&nm, &ans, &res);
	ok(res.status == RY_EBADADDR && !strcmp(res.why, "unknown service") && res.naddrs == 0,
	   "an unknown service name fails the name");
	ry_lookup_result_free(&res);
	ry_name_in_free(&nm);
	ans.status = RY_ENONAME;
	ans.why = "name not found";
	ry_name_in_init(&nm, "example.test", 12, false, false);
	ry_name_in_addresses(&nm, &ans, &res);
	ok(res.status == RY_ENONAME && !strcmp(res.why, "name not found") && !res.addrs,
	   "a failed answer stays failed, with its reason");
	ry_lookup_result_free(&res);
	ry_name_in_free(&nm);
	return done_testing();
}
