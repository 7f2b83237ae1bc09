/* net/icmp: requests parse back as replies; anything not ours is refused. */
#include <string.h>

#include "net/icmp.h"
#include "tap.h"

int main(void)
{
	struct ry_icmp_probe p = { 0xfeedbeef, 4242, 3, 0x1122334455667788LL }, q;
	uint8_t pkt[RY_ICMP_LEN], ip[20 + RY_ICMP_LEN];

	ry_icmp_build(false, 0x1234, 7, &p, pkt);
	is_int(pkt[0], 8, "IPv4 request: type 8");
	is_int(ry_inet_checksum(pkt, sizeof pkt), 0, "and a valid checksum");
	/* Turn it into the reply the host would send: type 0, checksum
	 * adjusted. */
	pkt[0] = 0;
	pkt[2] = pkt[3] = 0;
	uint16_t c = ry_inet_checksum(pkt, sizeof pkt);
	pkt[2] = (uint8_t)(c >> 8);
	pkt[3] = (uint8_t)c;
	ok(ry_icmp_parse(false, false, true, 0x1234, 0xfeedbeef, pkt, sizeof pkt, &q) &&
	   q.index == 4242 && q.try == 3 && q.token == p.token, "our reply parses back: index, try, token");
	memset(ip, 0, 20);
	ip[0] = 0x45;
	ip[9] = 1;
	memcpy(ip + 20, pkt, sizeof pkt);
	ok(ry_icmp_parse(false, true, true, 0x1234, 0xfeedbeef, ip, sizeof ip, &q), "behind an IPv4 header too");
	ok(!ry_icmp_parse(false, false, true, 0x1235, 0xfeedbeef, pkt, sizeof pkt, &q), "wrong identifier refused");
	ok(ry_icmp_parse(false, false, false, 0x1235, 0xfeedbeef, pkt, sizeof pkt, &q), "identifier unchecked on ping sockets");
	ok(!ry_icmp_parse(false, false, true, 0x1234, 0xfeedbeee, pkt, sizeof pkt, &q), "wrong magic refused");
	pkt[12] ^= 1;
	ok(!ry_icmp_parse(false, false, true, 0x1234, 0xfeedbeef, pkt, sizeof pkt, &q), "bad checksum refused");
	pkt[12] ^= 1;
	ok(!ry_icmp_parse(false, false, true, 0x1234, 0xfeedbeef, pkt, 20, &q), "a short packet refused");
	pkt[0] = 8;
	ok(!ry_icmp_parse(false, false, true, 0x1234, 0xfeedbeef, pkt, sizeof pkt, &q), "a request is not a reply");
	ip[9] = 6;
	ok(!ry_icmp_parse(false, true, true, 0x1234, 0xfeedbeef, ip, sizeof ip, &q), "not ICMP in the IP header: refused");
	ip[0] = 0x4f;
	ip[9] = 1;
	ok(!ry_icmp_parse(false, true, true, 0x1234, 0xfeedbeef, ip, sizeof ip, &q), "an IP header longer than the packet: refused");

	/* The token binds index and try to the run's key. */
	uint64_t key[2] = { 0x0706050403020100ULL, 0x0f0e0d0c0b0a0908ULL }, other[2] = { 1, 2 };
	uint64_t t = ry_icmp_token(key, 4242, 3);
	ok(t == ry_icmp_token(key, 4242, 3), "token: the same inputs give the same token");
	ok(t != ry_icmp_token(key, 4243, 3), "token: another index gives another");
	ok(t != ry_icmp_token(key, 4242, 4), "token: another try gives another");
	ok(t != ry_icmp_token(other, 4242, 3), "token: another key gives another");
	/* Known answer, from a reference SipHash-2-4 (which gives the
	 * paper's a129ca6149be45e5 for bytes 00..0e): key 00..0f, message
	 * 4242 and 3 as little-endian 4 and 2 bytes, two zero bytes. */
	ok(t == 0x09e85185997c86dcULL, "token: SipHash-2-4's value for index 4242, try 3");

	ry_icmp_build(true, 9, 9, &p, pkt);
	is_int(pkt[0], 128, "IPv6 request: type 128");
	pkt[0] = 129;
	ok(ry_icmp_parse(true, false, true, 9, 0xfeedbeef, pkt, sizeof pkt, &q) && q.index == 4242,
	   "an ICMPv6 echo reply parses");
	/* An ICMP error quoting our probe: IPv4 header, type 3 code 1, the
	 * quoted IPv4 header, then our echo request whole. */
	{
		uint8_t err[20 + 8 + 20 + RY_ICMP_LEN] = { 0 }, req[RY_ICMP_LEN];
		struct ry_icmp_probe e = { 0xfeedbeef, 42, 1, 0x0102030405060708ULL }, got;
		const char *why = NULL;
		ry_icmp_build(false, 0x1234, 42, &e, req);
		err[0] = 0x45;
		err[9] = 1;
		err[20] = 3;
		err[21] = 1;
		err[28] = 0x45;
		err[28 + 9] = 1;
		memcpy(err + 48, req, sizeof req);
		ok(ry_icmp_parse_error(false, true, true, 0x1234, 0xfeedbeef, err, sizeof err, &got, &why) &&
		   got.index == 42 && got.try == 1 && got.token == e.token && why && !strcmp(why, "host unreachable"),
		   "an ICMP host unreachable quoting our probe: matched, with its reason");
		ok(!ry_icmp_parse(false, true, true, 0x1234, 0xfeedbeef, err, sizeof err, &got),
		   "and it is no echo reply");
		ok(!ry_icmp_parse_error(false, true, true, 0x1234, 0xfeedbeef, err, sizeof err - 1, &got, &why),
		   "a quote cut short is not matched");
		ok(!ry_icmp_parse_error(false, true, true, 0x9999, 0xfeedbeef, err, sizeof err, &got, &why),
		   "another identifier is not ours");
		err[20] = 11;
		err[21] = 0;
		ok(ry_icmp_parse_error(false, true, true, 0x1234, 0xfeedbeef, err, sizeof err, &got, &why) &&
		   !strcmp(why, "TTL exceeded in transit"), "time exceeded, with its reason");
	}
	return done_testing();
}
