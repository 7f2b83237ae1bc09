/* Fuzz the sweep target grammar: never crash, never add more than
 * max_hosts, leave the list untouched on error, and every address a
 * single-address form yields is the address the text names. */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "net/target.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char text[128];
	struct ry_target_list l = { 0 };
	const char *why = NULL;

	if (size >= sizeof text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	struct ry_ipaddr first = { .family = AF_INET, .a = { 1, 2, 3, 4 } };
	ry_target_add(&l, &first);
	int rc = ry_target_expand(text, 4096, &l, &why);
	if (rc != 0 && l.n != 1)
		abort();			/* an error changed the list */
	if (rc != 0 && !why)
		abort();			/* an error without a reason */
	if (l.n > 4096)
		abort();
	if (rc == 0 && !strpbrk(text, "/-:") && l.v[1].family == AF_INET && l.n == 2) {
		/* One IPv4 address: it must read back as the text. */
		char back[64];
		struct in_addr in;
		ry_ipaddr_str(&l.v[1], back, sizeof back);
		if (inet_pton(AF_INET, back, &in) != 1 || memcmp(&in, l.v[1].a, 4) != 0)
			abort();
	}
	ry_target_free(&l);
	return 0;
}
