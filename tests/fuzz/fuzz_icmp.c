/* Fuzz the ICMP reply parser with raw packet bytes: never crash or read
 * past the buffer; an accepted reply really carries our magic. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "net/icmp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ry_icmp_probe p;

	if (size < 1)
		return 0;
	/* The first byte picks the socket kind; the rest is the packet,
	 * copied so that ASan sees its exact end. */
	uint8_t mode = data[0];
	size_t len = size - 1;
	uint8_t *pkt = malloc(len ? len : 1);
	memcpy(pkt, data + 1, len);
	if (ry_icmp_parse(mode & 1, mode & 2, mode & 4, 0x1234, 0xfeedbeef, pkt, len, &p)) {
		size_t off = (mode & 2) ? (size_t)(pkt[0] & 15) * 4 : 0;
		if (p.magic != 0xfeedbeef || off + RY_ICMP_LEN > len ||
		    memcmp(pkt + off + 8, "\xfe\xed\xbe\xef", 4) != 0)
			abort();
	}
	/* Errors that quote a probe: bounded reads whatever the bytes. */
	const char *why = NULL;
	if (ry_icmp_parse_error(mode & 1, mode & 2, mode & 4, 0x1234, 0xfeedbeef, pkt, len, &p, &why) &&
	    (!why || p.magic != 0xfeedbeef))
		abort();
	free(pkt);
	return 0;
}
