#include "net/addr.h"
#include "net/idn.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <ctype.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int ry_hostname_check(const char *name, const char **why)
{
	size_t len = strlen(name), label = 0;

	/* An international name is checked in the form DNS carries. */
	if (ry_idn_needed(name)) {
		char *ascii;
		int rc = ry_idn_to_ascii(name, &ascii, why);
		if (rc != 0)
			return rc;
		rc = ry_hostname_check(ascii, why);
		free(ascii);
		return rc;
	}

	if (len == 0) {
		*why = "empty host";
		return RY_EBADADDR;
	}
	/* A trailing dot (fully qualified) does not count. */
	if (len > 253 + (name[len - 1] == '.')) {
		*why = "name longer than 253 characters";
		return RY_EBADADDR;
	}
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)name[i];
		if (c == '.') {
			if (label == 0 && !(i == len - 1 && i > 0)) {
				*why = "empty label in name";
				return RY_EBADADDR;
			}
			label = 0;
			continue;
		}
		/* Letters, digits, hyphen; underscore for service labels
		 * such as _sip._tcp, which resolvers accept. */
		if (!isalnum(c) && c != '-' && c != '_') {
			*why = "character not allowed in a host name";
			return RY_EBADADDR;
		}
		if (++label > 63) {
			*why = "label longer than 63 characters";
			return RY_EBADADDR;
		}
	}
	/* A name's last label is never all digits (RFC 3696): such text
	 * was meant as an IPv4 address, and a resolver must not be asked
	 * about it. */
	const char *last = name + len - (name[len - 1] == '.' ? 1 : 0), *start = last;
	while (start > name && start[-1] != '.')
		start--;
	struct in_addr a4;
	if (start < last && strspn(start, "0123456789.") >= (size_t)(last - start) &&
	    inet_pton(AF_INET, name, &a4) != 1) {
		*why = "not an IPv4 address (four numbers 0-255 with dots)";
		return RY_EBADADDR;
	}
	return 0;
}

static int parse_port(const char *p, struct ry_hostport *hp, const char **why)
{
	size_t n = strlen(p);

	if (n == 0) {
		*why = "empty port";
		return RY_EBADADDR;
	}
	if (n >= sizeof hp->port) {
		*why = "port or service name too long";
		return RY_EBADADDR;
	}
	bool digits = true, service = true;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		digits &= isdigit(c) != 0;
		service &= isalnum(c) || c == '-' || c == '_';
	}
	if (digits) {
		/* Up to 5 digits and at most 65535; leading zeros are fine. */
		unsigned long v = 0;
		for (size_t i = 0; i < n && v <= 65535; i++)
			v = v * 10 + (unsigned long)(p[i] - '0');
		if (v > 65535) {
			*why = "port over 65535";
			return RY_EBADADDR;
		}
		hp->numeric_port = true;
	} else if (!service || !isalpha((unsigned char)p[0])) {
		*why = "port is neither a number nor a service name";
		return RY_EBADADDR;
	}
	memcpy(hp->port, p, n + 1);
	return 0;
}

int ry_ipv6_parse_n(const char *s, size_t n, struct in6_addr *a)
{
	char tmp[INET6_ADDRSTRLEN];

	if (n >= sizeof tmp || memchr(s, '\0', n))
		return RY_EBADADDR;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	return inet_pton(AF_INET6, tmp, a) == 1 ? 0 : RY_EBADADDR;
}

static int check_ipv6(const char *h, const char **why)
{
	struct in6_addr a;
	const char *pct = strchr(h, '%');

	if (ry_ipv6_parse_n(h, pct ? (size_t)(pct - h) : strlen(h), &a) != 0) {
		*why = "not an IPv6 address";
		return RY_EBADADDR;
	}
	if (pct && (pct[1] == '\0' || strlen(pct + 1) >= IF_NAMESIZE)) {
		*why = "bad IPv6 scope";
		return RY_EBADADDR;
	}
	return 0;
}

int ry_hostport_parse(const char *s, struct ry_hostport *hp, const char **why)
{
	const char *host, *port = NULL, *colon;
	size_t hlen;

	memset(hp, 0, sizeof *hp);
	if (s[0] == '[') {
		const char *close = strchr(s, ']');
		if (!close) {
			*why = "unbalanced brackets";
			return RY_EBADADDR;
		}
		host = s + 1;
		hlen = (size_t)(close - host);
		if (close[1] == ':')
			port = close + 2;
		else if (close[1] != '\0') {
			*why = strchr(close + 1, ']') ? "unbalanced brackets" : "junk after ']'";
			return RY_EBADADDR;
		}
		if (hlen == 0) {
			*why = "empty host";
			return RY_EBADADDR;
		}
		if (hlen >= sizeof hp->host) {
			*why = "not an IPv6 address";
			return RY_EBADADDR;
		}
		memcpy(hp->host, host, hlen);
		if (check_ipv6(hp->host, why))
			return RY_EBADADDR;
		hp->ipv6_literal = true;
		return port ? parse_port(port, hp, why) : 0;
	}
	if (strchr(s, ']')) {
		*why = "unbalanced brackets";
		return RY_EBADADDR;
	}
	colon = strchr(s, ':');
	if (colon && strchr(colon + 1, ':')) {
		/* Two or more colons: a bare IPv6 address, no port. */
		size_t len = strlen(s);
		if (len >= sizeof hp->host || check_ipv6(s, why)) {
			*why = "not an IPv6 address (write [addr]:port to give a port)";
			return RY_EBADADDR;
		}
		memcpy(hp->host, s, len + 1);
		hp->ipv6_literal = true;
		return 0;
	}
	hlen = colon ? (size_t)(colon - s) : strlen(s);
	if (hlen == 0) {
		*why = "empty host";
		return RY_EBADADDR;
	}
	if (hlen > 254) {
		*why = "name longer than 253 characters";
		return RY_EBADADDR;
	}
	memcpy(hp->host, s, hlen);
	hp->host[hlen] = '\0';
	if (ry_hostname_check(hp->host, why))
		return RY_EBADADDR;
	return colon ? parse_port(colon + 1, hp, why) : 0;
}

int ry_endpoint_parse(const char *s, unsigned min_port, struct ry_hostport *hp,
		      unsigned *port, const char **why)
{
	size_t n = strlen(s);

	if (n > 0 && strspn(s, "0123456789") == n) {
		unsigned long v = 0;
		for (size_t i = 0; i < n && v <= 65535; i++)
			v = v * 10 + (unsigned long)(s[i] - '0');
		if (v < min_port || v > 65535) {
			*why = "port out of range";
			return -ERANGE;
		}
		memset(hp, 0, sizeof *hp);
		snprintf(hp->port, sizeof hp->port, "%lu", v);
		hp->numeric_port = true;
		*port = (unsigned)v;
		return 0;
	}
	if (ry_hostport_parse(s, hp, why) != 0)
		return RY_EBADADDR;
	if (!hp->port[0]) {
		*why = "no port (give HOST:PORT, as in 127.0.0.1:8000)";
		return RY_EBADADDR;
	}
	if (!hp->numeric_port) {
		*port = 0;	/* a service name: the caller resolves it */
		return 0;
	}
	*port = (unsigned)strtoul(hp->port, NULL, 10);
	if (*port < min_port) {
		*why = "port out of range";
		return RY_EBADADDR;
	}
	return 0;
}

int ry_sockaddr_str(const struct sockaddr *sa, bool with_port, char *buf, size_t len)
{
	char ip[INET6_ADDRSTRLEN + IF_NAMESIZE + 1];
	unsigned port;

	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
		inet_ntop(AF_INET, &in->sin_addr, ip, sizeof ip);
		port = ntohs(in->sin_port);
		if (with_port)
			snprintf(buf, len, "%s:%u", ip, port);
		else
			snprintf(buf, len, "%s", ip);
		return 0;
	}
	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
		inet_ntop(AF_INET6, &in6->sin6_addr, ip, sizeof ip);
		if (in6->sin6_scope_id) {
			char ifname[IF_NAMESIZE];
			size_t n = strlen(ip);
			if (if_indextoname(in6->sin6_scope_id, ifname))
				snprintf(ip + n, sizeof ip - n, "%%%s", ifname);
			else
				snprintf(ip + n, sizeof ip - n, "%%%u", (unsigned)in6->sin6_scope_id);
		}
		port = ntohs(in6->sin6_port);
		if (with_port)
			snprintf(buf, len, "[%s]:%u", ip, port);
		else
			snprintf(buf, len, "%s", ip);
		return 0;
	}
	return -EAFNOSUPPORT;
}

unsigned ry_sockaddr_port(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET)
		return ntohs(((const struct sockaddr_in *)sa)->sin_port);
	if (sa->sa_family == AF_INET6)
		return ntohs(((const struct sockaddr_in6 *)sa)->sin6_port);
	return 0;
}

int ry_ipaddr_cmp(const struct ry_ipaddr *x, const struct ry_ipaddr *y)
{
	if (x->family != y->family)
		return x->family == AF_INET ? -1 : 1;
	return memcmp(x->a, y->a, x->family == AF_INET ? 4 : 16);
}

int ry_service_port(const char *service, unsigned *port)
{
	struct servent sbuf, *se = NULL;
	char tmp[1024];

	if (getservbyname_r(service, "tcp", &sbuf, tmp, sizeof tmp, &se) != 0 || !se)
		return RY_EBADADDR;
	*port = ntohs((uint16_t)se->s_port);
	return 0;
}

int ry_ipaddr_parse(const char *s, struct ry_ipaddr *a)
{
	memset(a, 0, sizeof *a);
	if (inet_pton(AF_INET, s, a->a) == 1) {
		a->family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, s, a->a) == 1) {
		a->family = AF_INET6;
		return 0;
	}
	return RY_EBADADDR;
}

void ry_ipaddr_str(const struct ry_ipaddr *a, char *buf, size_t len)
{
	if (!inet_ntop(a->family, a->a, buf, (socklen_t)len))
		snprintf(buf, len, "?");
}

socklen_t ry_ipaddr_to_sockaddr(const struct ry_ipaddr *a, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof *ss);
	if (a->family == AF_INET) {
		struct sockaddr_in *in = (struct sockaddr_in *)ss;
		in->sin_family = AF_INET;
		memcpy(&in->sin_addr, a->a, 4);
		return sizeof *in;
	}
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
	in6->sin6_family = AF_INET6;
	memcpy(&in6->sin6_addr, a->a, 16);
	return sizeof *in6;
}

int ry_ipaddr_from_sockaddr(const struct sockaddr *sa, struct ry_ipaddr *a)
{
	memset(a, 0, sizeof *a);
	if (sa->sa_family == AF_INET) {
		a->family = AF_INET;
		memcpy(a->a, &((const struct sockaddr_in *)sa)->sin_addr, 4);
		return 0;
	}
	if (sa->sa_family == AF_INET6) {
		a->family = AF_INET6;
		memcpy(a->a, &((const struct sockaddr_in6 *)sa)->sin6_addr, 16);
		return 0;
	}
	return -EAFNOSUPPORT;
}

void ry_sockaddr_set_port(struct sockaddr_storage *ss, unsigned port)
{
	if (ss->ss_family == AF_INET)
		((struct sockaddr_in *)ss)->sin_port = htons((uint16_t)port);
	else if (ss->ss_family == AF_INET6)
		((struct sockaddr_in6 *)ss)->sin6_port = htons((uint16_t)port);
}

void ry_mac_str(const uint8_t mac[6], char buf[RY_MAC_STR])
{
	snprintf(buf, RY_MAC_STR, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3], mac[4],
		 mac[5]);
}
