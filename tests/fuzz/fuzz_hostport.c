/* Fuzz host[:port] parsing: never crash; what is accepted is sound. */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "net/addr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char text[600];
	struct ry_hostport hp;
	const char *why = NULL;

	if (size >= sizeof text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (ry_hostport_parse(text, &hp, &why) != 0) {
		if (!why || !*why)
			abort();
		return 0;
	}
	if (!hp.host[0])
		abort();
	if (hp.numeric_port) {
		long v = strtol(hp.port, NULL, 10);
		if (v < 0 || v > 65535)
			abort();
	}
	for (const char *p = hp.port; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_')
			abort();
	if (hp.ipv6_literal) {
		char addr[RY_HOST_MAX + 64];
		struct in6_addr in6;
		strcpy(addr, hp.host);
		char *pct = strchr(addr, '%');
		if (pct)
			*pct = '\0';
		if (inet_pton(AF_INET6, addr, &in6) != 1)
			abort();
	} else if (ry_hostname_check(hp.host, &why) != 0) {
		abort();
	}
	return 0;
}
