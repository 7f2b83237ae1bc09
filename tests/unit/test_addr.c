/* net/addr: every accepted form, every rejection with its reason, and
 * the text of socket addresses. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include "net/addr.h"
#include "tap.h"

static void accepts(const char *s, const char *host, const char *port, int v6)
{
	struct ry_hostport hp;
	const char *why = NULL;
	int rc = ry_hostport_parse(s, &hp, &why);

	ok(rc == 0 && strcmp(hp.host, host) == 0 && strcmp(hp.port, port) == 0 &&
	   hp.ipv6_literal == v6, "'%s' -> host '%s' port '%s'%s", s, host, port, v6 ? " (IPv6)" : "");
	if (rc != 0)
		printf("#   rejected: %s\n", why);
}

static void rejects(const char *s, const char *want)
{
	struct ry_hostport hp;
	const char *why = "";
	int rc = ry_hostport_parse(s, &hp, &why);

	ok(rc == RY_EBADADDR && strcmp(why, want) == 0, "'%.40s' rejected: %s", s, want);
	if (rc != RY_EBADADDR || strcmp(why, want) != 0)
		printf("#   got rc %d, why '%s'\n", rc, why);
}

int main(void)
{
	char longname[300], label64[80];

	accepts("example.org", "example.org", "", 0);
	accepts("example.org:443", "example.org", "443", 0);
	accepts("example.org:https", "example.org", "https", 0);
	accepts("example.org.", "example.org.", "", 0);
	accepts("_sip._tcp.example.org", "_sip._tcp.example.org", "", 0);
	accepts("1.2.3.4", "1.2.3.4", "", 0);
	accepts("1.2.3.4:80", "1.2.3.4", "80", 0);
	accepts("::1", "::1", "", 1);
	accepts("[::1]", "::1", "", 1);
	accepts("[::1]:80", "::1", "80", 1);
	accepts("[fe80::1%lo]:80", "fe80::1%lo", "80", 1);
	accepts("fe80::1%eth0", "fe80::1%eth0", "", 1);
	accepts("host:0", "host", "0", 0);
	accepts("host:65535", "host", "65535", 0);

	rejects("", "empty host");
	rejects(":80", "empty host");
	rejects("[]:80", "empty host");
	rejects("host:", "empty port");
	rejects("host:65536", "port over 65535");
	rejects("host:999999999999999999999", "port over 65535");
	rejects("host:-1", "port is neither a number nor a service name");
	rejects("host:1a", "port is neither a number nor a service name");
	rejects("[::1", "unbalanced brackets");
	rejects("::1]", "unbalanced brackets");
	rejects("[::1]]", "unbalanced brackets");
	rejects("[::1]x", "junk after ']'");
	rejects("[example.org]:80", "not an IPv6 address");
	rejects("[::1%]:80", "bad IPv6 scope");
	rejects("1::2::3", "not an IPv6 address (write [addr]:port to give a port)");
	rejects("a..b", "empty label in name");
	rejects(".a", "empty label in name");
	rejects("bad name", "character not allowed in a host name");
	rejects("semi;colon", "character not allowed in a host name");
	memset(label64, 'a', 64);
	strcpy(label64 + 64, ".org");
	rejects(label64, "label longer than 63 characters");
	for (int i = 0; i < 255; i++)
		longname[i] = i % 2 ? '.' : 'a';
	longname[255] = '\0';
	rejects(longname, "name longer than 253 characters");

	struct sockaddr_in in = { .sin_family = AF_INET, .sin_port = htons(80) };
	struct sockaddr_in6 in6 = { .sin6_family = AF_INET6, .sin6_port = htons(443) };
	char buf[RY_ADDRSTR_MAX];
	inet_pton(AF_INET, "127.0.0.1", &in.sin_addr);
	inet_pton(AF_INET6, "::1", &in6.sin6_addr);
	ry_sockaddr_str((struct sockaddr *)&in, false, buf, sizeof buf);
	is_str(buf, "127.0.0.1", "IPv4 address text");
	ry_sockaddr_str((struct sockaddr *)&in, true, buf, sizeof buf);
	is_str(buf, "127.0.0.1:80", "IPv4 with port");
	ry_sockaddr_str((struct sockaddr *)&in6, true, buf, sizeof buf);
	is_str(buf, "[::1]:443", "IPv6 with port in brackets");
	is_int(ry_sockaddr_port((struct sockaddr *)&in6), 443, "port of an IPv6 address");

	/* [HOST:]PORT, as serve and echo-client take it. */
	struct ry_hostport ep;
	unsigned port = 99;
	const char *why = "";
	is_int(ry_endpoint_parse("8000", 1, &ep, &port, &why), 0, "endpoint: a bare port");
	ok(port == 8000 && ep.host[0] == '\0', "port 8000, no host");
	is_int(ry_endpoint_parse("0", 1, &ep, &port, &why), -ERANGE, "endpoint: 0 under the minimum 1");
	is_int(ry_endpoint_parse("65536", 0, &ep, &port, &why), -ERANGE, "endpoint: 65536 out of range");
	is_int(ry_endpoint_parse("localhost:22", 1, &ep, &port, &why), 0, "endpoint: a name and a port");
	ok(port == 22 && !strcmp(ep.host, "localhost"), "localhost, 22");
	is_int(ry_endpoint_parse("[::1]:0", 0, &ep, &port, &why), 0, "endpoint: bracketed IPv6");
	ok(port == 0 && !strcmp(ep.host, "::1") && ep.numeric_port, "::1, port 0");
	is_int(ry_endpoint_parse("localhost:ssh", 1, &ep, &port, &why), 0, "endpoint: a service name");
	ok(port == 0 && !ep.numeric_port, "left to the resolver");
	is_int(ry_endpoint_parse("localhost", 1, &ep, &port, &why), RY_EBADADDR, "endpoint: no port");
	is_int(ry_endpoint_parse("999.1.1.1:80", 1, &ep, &port, &why), RY_EBADADDR,
	       "endpoint: digits that are not an IPv4 address are no name either");
	is_str(why, "not an IPv4 address (four numbers 0-255 with dots)", "and say why");
	is_int(ry_hostname_check("host.123", &why), RY_EBADADDR, "a name whose last label is all digits");
	is_int(ry_hostname_check("198.51.100.3", &why), 0, "but an IPv4 address is fine");
	/* The one IPv6 text parser: n bytes, cut by the caller. */
	{
		struct in6_addr a6, want;
		inet_pton(AF_INET6, "2001:db8::1", &want);
		ok(ry_ipv6_parse_n("2001:db8::1%eth0", 11, &a6) == 0 && memcmp(&a6, &want, sizeof a6) == 0,
		   "ry_ipv6_parse_n: the address before a scope");
		ok(ry_ipv6_parse_n("2001:db8::1/64", 11, &a6) == 0 && memcmp(&a6, &want, sizeof a6) == 0,
		   "ry_ipv6_parse_n: the address before a prefix");
		ok(ry_ipv6_parse_n("::ffff:255.255.255.255", 22, &a6) == 0, "ry_ipv6_parse_n: the longest form");
		is_int(ry_ipv6_parse_n("2001:db8::1", 9, &a6), RY_EBADADDR, "ry_ipv6_parse_n: a cut address is refused");
		is_int(ry_ipv6_parse_n("1.2.3.4", 7, &a6), RY_EBADADDR, "ry_ipv6_parse_n: IPv4 is not IPv6");
		is_int(ry_ipv6_parse_n("::1\0::2", 7, &a6), RY_EBADADDR, "ry_ipv6_parse_n: a NUL inside is refused");
		char longer[80];
		memset(longer, '1', sizeof longer);
		is_int(ry_ipv6_parse_n(longer, sizeof longer, &a6), RY_EBADADDR, "ry_ipv6_parse_n: too long");
	}
	return done_testing();
}
