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
	   q.index == 4242 && q.try == 3 && q.sent_ns == p.sent_ns, "our reply parses back: index, try, send time");
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

	ry_icmp_build(true, 9, 9, &p, pkt);
	is_int(pkt[0], 128, "IPv6 request: type 128");
	pkt[0] = 129;
	ok(ry_icmp_parse(true, false, true, 9, 0xfeedbeef, pkt, sizeof pkt, &q) && q.index == 4242,
	   "an ICMPv6 echo reply parses");
	return done_testing();
}
