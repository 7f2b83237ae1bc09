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
	return done_testing();
}
