/*
 * icmp: echo requests and replies as bytes, ICMP and ICMPv6.  Pure
 * functions over buffers, no sockets: the sweep engine sends and receives,
 * this module builds and checks.
 *
 * A request carries a payload of our own: a per-run magic number, the
 * target's index and try, and a token, SipHash-2-4 of index and try under
 * a per-run random key.  A reply counts only if it is an echo reply of
 * the right family, its checksum is right (IPv4; the kernel checks
 * ICMPv6), the identifier matches (raw sockets; a datagram "ping"
 * socket's kernel filters by it) and the magic matches; the engine then
 * checks the token, so a host that saw one probe cannot forge replies
 * for other targets by changing the index, and takes the round-trip
 * time from its own send time, never from the packet.
 *
 * Thread safety: reentrant.
 */
#ifndef RY_NET_ICMP_H
#define RY_NET_ICMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RY_ICMP_LEN 28	/* 8 header + 20 payload bytes */

struct ry_icmp_probe {
	uint32_t magic;
	uint32_t index;
	uint16_t try;
	uint64_t token;
};

/* The token of (index, try) under key: SipHash-2-4 of their 8 bytes. */
uint64_t ry_icmp_token(const uint64_t key[2], uint32_t index, uint16_t try);

/* Writes an echo request into buf (RY_ICMP_LEN bytes).  v6: type 128 and
 * no checksum (the kernel fills it in). */
void ry_icmp_build(bool v6, uint16_t id, uint16_t seq, const struct ry_icmp_probe *p,
		   uint8_t *buf);

/* Checks a received packet.  ip_header: the buffer starts with an IPv4
 * header (raw IPv4 sockets).  check_id: compare the identifier with id.
 * Returns true and fills *p for our echo reply. */
bool ry_icmp_parse(bool v6, bool ip_header, bool check_id, uint16_t id, uint32_t magic,
		   const uint8_t *buf, size_t len, struct ry_icmp_probe *p);

/* Checks a received ICMP error (IPv4 Destination Unreachable or Time
 * Exceeded; ICMPv6 Destination Unreachable or Time Exceeded) that quotes
 * one of our echo requests whole: the identifier (check_id) and magic
 * must match; the caller checks the token as for a reply.  Returns true,
 * fills *p with the quoted probe and *why with the reason ("host
 * unreachable", "TTL exceeded in transit", ...). */
bool ry_icmp_parse_error(bool v6, bool ip_header, bool check_id, uint16_t id, uint32_t magic,
			 const uint8_t *buf, size_t len, struct ry_icmp_probe *p, const char **why);

/* The Internet checksum of len bytes. */
uint16_t ry_inet_checksum(const void *data, size_t len);

#endif
