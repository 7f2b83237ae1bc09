/* Fuzz the sweep target grammar: never crash, never add more than
 * max_hosts, leave the set untouched on error, every address a
 * single-address form yields is the address the text names, and every
 * position of the merged set maps to an address that finds it again. */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "net/target.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char text[128];
	struct ry_target_set s = { 0 };
	const char *why = NULL;

	if (size >= sizeof text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	struct ry_ipaddr first = { .family = AF_INET, .a = { 1, 2, 3, 4 } };
	ry_target_set_add(&s, &first);
	int rc = ry_target_expand(text, 4096, &s, &why);
	if (rc != 0 && (s.n != 1 || s.nspan != 1))
		abort();			/* an error changed the set */
	if (rc != 0 && !why)
		abort();			/* an error without a reason */
	if (s.n > 4096)
		abort();
	if (rc == 0 && !strpbrk(text, "/-:") && s.span[1].first.family == AF_INET && s.n == 2) {
		/* One IPv4 address: it must read back as the text. */
		char back[64];
		struct in_addr in;
		ry_ipaddr_str(&s.span[1].first, back, sizeof back);
		if (inet_pton(AF_INET, back, &in) != 1 || memcmp(&in, s.span[1].first.a, 4) != 0)
			abort();
	}
	if (ry_target_set_unique(&s) != 0)
		abort();
	for (uint64_t p = 0; p < s.n; p++) {
		struct ry_ipaddr a;
		ry_target_set_at(&s, p, &a);
		if (ry_target_set_find(&s, &a) != p)
			abort();		/* position and address disagree */
	}
	ry_target_set_free(&s);
	return 0;
}
