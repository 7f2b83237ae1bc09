/* net/dns_rr, net/hosts and the reverse names of net/dns: records from a
 * hand-made answer, the hosts table, arpa names.  No packet is sent. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "net/dns.h"
#include "net/hosts.h"
#include "tap.h"

static unsigned char msg[512];
static size_t mlen;

static void put(const void *p, size_t n)
{
	memcpy(msg + mlen, p, n);
	mlen += n;
}

static int addrs;
static void count_addr(void *ctx, const struct ry_ipaddr *a)
{
	addrs++;
}

static char names[256];
static void cat_name(void *ctx, const char *n)
{
	strcat(names, n);
	strcat(names, " ");
}

int main(void)
{
	struct ry_dns_rrset set = { 0 };
	struct ry_buf b;

	/* id, flags, 1 question, 2 answers: MX 20 b.test (TTL 7), MX 10 a.test (TTL 9). */
	put("\x12\x34\x81\x80\x00\x01\x00\x02\x00\x00\x00\x00", 12);
	put("\x01x\x04test\x00\x00\x0f\x00\x01", 12);
	put("\xc0\x0c\x00\x0f\x00\x01\x00\x00\x00\x07\x00\x06\x00\x14\x01" "b\xc0\x0e", 18);
	put("\xc0\x0c\x00\x0f\x00\x01\x00\x00\x00\x09\x00\x06\x00\x0a\x01" "a\xc0\x0e", 18);
	is_int(ry_dns_rr_parse(RY_DNS_MX, msg, (int)mlen, &set), 0, "MX answer parses");
	is_int((int)set.n, 2, "two records");
	ok(set.n == 2 && !strcmp(set.v[0].text, "b.test") && set.v[0].num[0] == 20 && set.v[0].ttl == 7 &&
	   !strcmp(set.v[1].text, "a.test") && set.v[1].num[0] == 10 && set.v[1].ttl == 9,
	   "in answer order, each with its own preference and TTL");
	ry_buf_init(&b);
	if (set.n)
		ry_dns_rr_value(&b, &set.v[0]);
	is_str(b.p ? b.p : "", "20 b.test", "the value as dig shows it");
	ry_buf_destroy(&b);
	ry_dns_rrset_free(&set);
	is_int(ry_dns_rr_parse(RY_DNS_TXT, msg, (int)mlen, &set), 1 /* ARES_ENODATA */, "no TXT in it");
	is_int(ry_dns_rr_parse(RY_DNS_MX, msg, 30, &set), 10 /* ARES_EBADRESP */, "cut short: malformed");
	ok(set.n == 0, "and no record from it");
	ry_dns_rrset_free(&set);

	is_int(ry_dns_type_parse("mx"), RY_DNS_MX, "type names in any case");
	is_int(ry_dns_type_parse("AXFR"), 0, "an unsupported type is 0");
	{
		/* The list (help, messages) is the table: every name in it
		 * parses and names itself back. */
		char list[128], *save = NULL;
		size_t k = 0, good = 0;
		snprintf(list, sizeof list, "%s", ry_dns_type_list());
		for (char *t = strtok_r(list, " ", &save); t; t = strtok_r(NULL, " ", &save), k++) {
			const char *back = ry_dns_type_name(ry_dns_type_parse(t));
			good += back && strcmp(back, t) == 0;
		}
		ok(k == 10 && good == k, "the type list holds the table's 10 types, each parsing to itself");
		ok(strncmp(ry_dns_type_list(), "A AAAA CNAME ", 13) == 0, "in the table's order");
	}

	char arpa[80];
	struct ry_ipaddr a;
	ry_ipaddr_parse("198.51.100.7", &a);
	ry_dns_arpa_name(&a, arpa, sizeof arpa);
	is_str(arpa, "7.100.51.198.in-addr.arpa", "IPv4 reverse name");
	ry_ipaddr_parse("2001:db8::1", &a);
	ry_dns_arpa_name(&a, arpa, sizeof arpa);
	is_str(arpa, "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa", "IPv6 reverse name");

	char path[] = "/tmp/rustyc-hosts.XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");
	fputs("# comment\n192.0.2.1 One.Test one-alias # trailing\n2001:db8::1 one.test\nbad line\n"
	      "192.0.2.2\tTwo.test.\n", f);
	fclose(f);
	struct ry_hosts *h = ry_hosts_load(path);
	unlink(path);
	ok(h != NULL, "hosts file loads");
	is_int(ry_hosts_addrs(h, "ONE.test.", AF_UNSPEC, count_addr, NULL), 1, "a name is found in any case, dot or not");
	is_int(addrs, 2, "with its IPv4 and IPv6 addresses");
	addrs = 0;
	is_int(ry_hosts_addrs(h, "one.test", AF_INET6, count_addr, NULL), 1, "known, family filtered");
	is_int(addrs, 1, "one IPv6 address");
	is_int(ry_hosts_addrs(h, "nope.test", AF_UNSPEC, count_addr, NULL), 0, "an unknown name is not known");
	ry_ipaddr_parse("192.0.2.1", &a);
	is_int(ry_hosts_names(h, &a, cat_name, NULL), 1, "an address has names");
	is_str(names, "one.test one-alias ", "canonical name first, then aliases");
	ry_hosts_free(h);
	h = ry_hosts_load("/nonexistent/hosts");
	ok(h && !ry_hosts_addrs(h, "localhost", AF_UNSPEC, count_addr, NULL), "a missing file is an empty table");
	ry_hosts_free(h);
	return done_testing();
}
