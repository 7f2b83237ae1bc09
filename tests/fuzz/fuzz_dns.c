/* Fuzz the code that turns a DNS answer into output: c-ares' parsers,
 * the TTL walk, and the plain and JSON forms of every record.  Never
 * crash, never read past the message; every record parsed is printable,
 * and its JSON line holds no raw control byte. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "net/dns_rr.h"
#include "util/out.h"

static const int types[] = { RY_DNS_A, RY_DNS_AAAA, RY_DNS_CNAME, RY_DNS_MX, RY_DNS_NS, RY_DNS_PTR,
			     RY_DNS_SRV, RY_DNS_TXT, RY_DNS_SOA, RY_DNS_CAA };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ry_dns_rrset set = { 0 };
	struct ry_rec plain, json;

	if (size < 1 || size > 65536)
		return 0;
	/* The first byte picks the type; the rest is the message, copied so
	 * that ASan sees its exact end. */
	int type = types[data[0] % (sizeof types / sizeof types[0])];
	size_t len = size - 1;
	unsigned char *msg = malloc(len ? len : 1);
	memcpy(msg, data + 1, len);
	int rc = ry_dns_rr_parse(type, msg, (int)len, &set);
	if (rc == 0 && set.n == 0)
		abort();	/* success means records */
	ry_rec_init(&plain, false);
	ry_rec_init(&json, true);
	for (size_t i = 0; i < set.n; i++) {
		if (set.v[i].type != type)
			abort();
		ry_rec_begin(&plain);
		ry_rec_cstr(&plain, "name", "x", 0);
		ry_dns_rr_fields(&plain, &set.v[i]);
		ry_rec_end(&plain);
		ry_rec_begin(&json);
		ry_rec_cstr(&json, "name", "x", 0);
		ry_dns_rr_fields(&json, &set.v[i]);
		ry_rec_end(&json);
		for (size_t k = 0; k < json.b.len; k++)
			if ((unsigned char)json.b.p[k] < 0x20)
				abort();
		for (size_t k = 0; k < plain.b.len; k++)
			if ((unsigned char)plain.b.p[k] < 0x20 || (unsigned char)plain.b.p[k] == 0x7f)
				abort();
	}
	ry_rec_destroy(&plain);
	ry_rec_destroy(&json);
	ry_dns_rrset_free(&set);
	free(msg);
	return 0;
}
