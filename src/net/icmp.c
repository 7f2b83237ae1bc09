#include "net/icmp.h"

#include <string.h>

uint16_t ry_inet_checksum(const void *data, size_t len)
{
	const uint8_t *p = data;
	uint32_t sum = 0;

	for (; len > 1; p += 2, len -= 2)
		sum += (uint32_t)(p[0] << 8 | p[1]);
	if (len)
		sum += (uint32_t)(p[0] << 8);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)get16(p) << 16 | get16(p + 2);
}

void ry_icmp_build(bool v6, uint16_t id, uint16_t seq, const struct ry_icmp_probe *p,
		   uint8_t *buf)
{
	memset(buf, 0, RY_ICMP_LEN);
	buf[0] = v6 ? 128 : 8;		/* echo request */
	put16(buf + 4, id);
	put16(buf + 6, seq);
	put32(buf + 8, p->magic);
	put32(buf + 12, p->index);
	put16(buf + 16, p->try);
	put32(buf + 20, (uint32_t)(p->token >> 32));
	put32(buf + 24, (uint32_t)p->token);
	if (!v6)
		put16(buf + 2, ry_inet_checksum(buf, RY_ICMP_LEN));
}

/* The identifier and our payload of an echo message (RY_ICMP_LEN bytes
 * at buf): true and *p filled when they are ours. */
static bool read_probe(const uint8_t *buf, bool check_id, uint16_t id, uint32_t magic,
		       struct ry_icmp_probe *p)
{
	if (check_id && get16(buf + 4) != id)
		return false;
	if (get32(buf + 8) != magic)
		return false;
	p->magic = magic;
	p->index = get32(buf + 12);
	p->try = get16(buf + 16);
	p->token = (uint64_t)get32(buf + 20) << 32 | get32(buf + 24);
	return true;
}

/* Steps over an IPv4 header carrying ICMP; false if there is none. */
static bool skip_ipv4(const uint8_t **buf, size_t *len)
{
	const uint8_t *b = *buf;

	if (*len < 20 || (b[0] >> 4) != 4)
		return false;
	size_t ihl = (size_t)(b[0] & 15) * 4;
	if (ihl < 20 || ihl > *len || b[9] != 1)
		return false;
	*buf += ihl;
	*len -= ihl;
	return true;
}

bool ry_icmp_parse(bool v6, bool ip_header, bool check_id, uint16_t id, uint32_t magic,
		   const uint8_t *buf, size_t len, struct ry_icmp_probe *p)
{
	if (ip_header && !skip_ipv4(&buf, &len))
		return false;
	if (len < RY_ICMP_LEN)
		return false;
	if (buf[0] != (v6 ? 129 : 0) || buf[1] != 0)
		return false;
	if (!v6 && ry_inet_checksum(buf, len) != 0)
		return false;
	return read_probe(buf, check_id, id, magic, p);
}

static const char *error_text(bool v6, unsigned type, unsigned code)
{
	static const char *const v4_unreach[] = {
		"net unreachable", "host unreachable", "protocol unreachable", "port unreachable",
		"fragmentation needed", "source route failed", "net unknown", "host unknown",
		"source host isolated", "net prohibited", "host prohibited", "net unreachable for TOS",
		"host unreachable for TOS", "communication prohibited", "host precedence violation",
		"precedence cutoff",
	};
	static const char *const v6_unreach[] = {
		"no route", "administratively prohibited", "beyond scope", "address unreachable",
		"port unreachable", "source address failed policy", "reject route",
	};

	if (!v6 && type == 3)
		return code < 16 ? v4_unreach[code] : "unreachable";
	if (v6 && type == 1)
		return code < 7 ? v6_unreach[code] : "unreachable";
	if (!v6 && type == 11)
		return code == 0 ? "TTL exceeded in transit" : "fragment reassembly time exceeded";
	return code == 0 ? "hop limit exceeded in transit" : "fragment reassembly time exceeded";
}

bool ry_icmp_parse_error(bool v6, bool ip_header, bool check_id, uint16_t id, uint32_t magic,
			 const uint8_t *buf, size_t len, struct ry_icmp_probe *p, const char **why)
{
	if (ip_header && !skip_ipv4(&buf, &len))
		return false;
	if (len < 8)
		return false;
	unsigned type = buf[0], code = buf[1];
	if (v6 ? type != 1 && type != 3 : type != 3 && type != 11)
		return false;
	buf += 8;	/* the error's header; then the packet it quotes */
	len -= 8;
	if (v6) {
		if (len < 40 || (buf[0] >> 4) != 6 || buf[6] != 58)
			return false;
		buf += 40;
		len -= 40;
	} else if (!skip_ipv4(&buf, &len)) {
		return false;
	}
	/* Our echo request, whole (Linux quotes up to 576 bytes). */
	if (len < RY_ICMP_LEN || buf[0] != (v6 ? 128 : 8) || buf[1] != 0 ||
	    !read_probe(buf, check_id, id, magic, p))
		return false;
	*why = error_text(v6, type, code);
	return true;
}

#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))
#define SIPROUND                                                        \
	do {                                                            \
		v0 += v1; v1 = ROTL(v1, 13); v1 ^= v0; v0 = ROTL(v0, 32); \
		v2 += v3; v3 = ROTL(v3, 16); v3 ^= v2;                  \
		v0 += v3; v3 = ROTL(v3, 21); v3 ^= v0;                  \
		v2 += v1; v1 = ROTL(v1, 17); v1 ^= v2; v2 = ROTL(v2, 32); \
	} while (0)

uint64_t ry_icmp_token(const uint64_t key[2], uint32_t index, uint16_t try)
{
	/* SipHash-2-4 (Aumasson and Bernstein) of one 8-byte block:
	 * index, try, then the length byte of the final block. */
	uint64_t v0 = 0x736f6d6570736575ULL ^ key[0], v1 = 0x646f72616e646f6dULL ^ key[1];
	uint64_t v2 = 0x6c7967656e657261ULL ^ key[0], v3 = 0x7465646279746573ULL ^ key[1];
	uint64_t m = (uint64_t)index | (uint64_t)try << 32, last = (uint64_t)8 << 56;

	v3 ^= m;
	SIPROUND;
	SIPROUND;
	v0 ^= m;
	v3 ^= last;
	SIPROUND;
	SIPROUND;
	v0 ^= last;
	v2 ^= 0xff;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	return v0 ^ v1 ^ v2 ^ v3;
}
