/* net/sweep: the method table parses -m values, and the tcp method
 * settles every target once: a listening port and a refused one are up,
 * and progress never counts past the number of targets.  Loopback only
 * (127.0.0.0/8). */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net/sweep.h"
#include "net/sweep_impl.h"
#include "net/tcp.h"
#include "tap.h"

struct seen {
	size_t ups, max_settled;
	size_t up_index[8];
};

static void on_up(void *ctx, size_t i, int64_t rtt)
{
	struct seen *s = ctx;

	if (s->ups < 8)
		s->up_index[s->ups] = i;
	s->ups++;
}

static void on_progress(void *ctx, size_t settled)
{
	struct seen *s = ctx;

	if (settled > s->max_settled)
		s->max_settled = settled;
}

int main(void)
{
	struct ry_sweep_config cfg = { 0 };
	const char *why = "";

	is_int(ry_sweep_method_parse("icmp", &cfg, &why), 0, "-m icmp");
	is_str(cfg.method->name, "icmp", "is the icmp row");
	ok(cfg.method->privileged && cfg.method->has_rtt, "which needs privileges and has an RTT");
	is_int(ry_sweep_method_parse("exec", &cfg, &why), 0, "-m exec");
	ok(cfg.method->has_rtt, "exec has an RTT (from ping's summary)");
	is_int((int)ry_sweep_exec_rtt("--- 127.0.0.1 ping statistics ---\n1 packets transmitted, 1 received, 0% packet loss, time 0ms\n"
				      "rtt min/avg/max/mdev = 0.045/0.045/0.045/0.000 ms\n"), 45, "iputils' summary: 45 us");
	is_int((int)ry_sweep_exec_rtt("round-trip min/avg/max = 1.250/1.250/1.250 ms\n"), 1250, "busybox's: 1250 us");
	is_int((int)ry_sweep_exec_rtt("1 packets transmitted, 0 received\n"), -1, "no summary: unknown");
	is_int((int)ry_sweep_exec_rtt("rtt min/avg/max/mdev = nan/x ms"), -1, "garbage: unknown");
	is_int(ry_sweep_method_parse("tcp:443", &cfg, &why), 0, "-m tcp:443");
	ok(!strcmp(cfg.method->name, "tcp") && cfg.ntcp_ports == 1 && cfg.tcp_ports[0] == 443, "tcp, port 443");
	is_int(ry_sweep_method_parse("tcp:22,8080,https", &cfg, &why), 0, "-m tcp:22,8080,https");
	ok(cfg.ntcp_ports == 3 && cfg.tcp_ports[0] == 22 && cfg.tcp_ports[1] == 8080 && cfg.tcp_ports[2] == 443,
	   "a list of ports, service names looked up");
	is_int(ry_sweep_method_parse("tcp:22,,80", &cfg, &why), -ERANGE, "an empty item is refused");
	is_int(ry_sweep_method_parse("tcp:nosuchservice", &cfg, &why), -ERANGE, "an unknown service is refused");
	is_int(ry_sweep_method_parse("tcp:1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17", &cfg, &why), -ERANGE,
	       "more than 16 ports are refused");
	is_int(ry_sweep_method_parse("tcp", &cfg, &why), RY_EBADADDR, "tcp without a port is refused");
	is_int(ry_sweep_method_parse("tcp:0", &cfg, &why), -ERANGE, "tcp:0 is out of range");
	is_int(ry_sweep_method_parse("tcp:65536", &cfg, &why), -ERANGE, "tcp:65536 is out of range");
	is_int(ry_sweep_method_parse("icmp:1", &cfg, &why), RY_EBADADDR, "icmp takes no port");
	why = "x";
	is_int(ry_sweep_method_parse("udp", &cfg, &why), RY_EBADADDR, "an unknown method is refused");
	ok(why == NULL, "with no reason, so the caller lists the methods");
	is_str(ry_sweep_method_list(), "auto, icmp, arp, exec or tcp:PORT", "the list comes from the table");
	is_int(ry_sweep_method_parse("arp", &cfg, &why), 0, "-m arp");
	ok(cfg.method->privileged && cfg.method->has_rtt, "arp needs privileges (packet sockets) and has an RTT");
	struct ry_ipaddr lo4 = { AF_INET, { 127, 0, 0, 1 } };
	bool on = true;
	ok(ry_sweep_arp_onlink(&lo4, 1, &on) == 0 && !on, "loopback is not a network ARP reaches");
	ok(ry_sweep_method_find("exec") != NULL && ry_sweep_method_find("nope") == NULL, "find by name");

	/* Which method may run: tcp always; icmp here as root, no fallback. */
	struct ry_ipaddr lo = { AF_INET, { 127, 0, 0, 1 } };
	bool fell_back = true;
	ry_sweep_method_parse("tcp:1", &cfg, &why);
	ok(ry_sweep_usable(&cfg, &lo, 1, &fell_back) == 0 && !fell_back && !strcmp(cfg.method->name, "tcp"),
	   "usable: tcp needs nothing");
	ry_sweep_method_parse("icmp", &cfg, &why);
	if (geteuid() == 0)
		ok(ry_sweep_usable(&cfg, &lo, 1, &fell_back) == 0 && !fell_back && !strcmp(cfg.method->name, "icmp"),
		   "usable: icmp as root, no fallback");
	else
		skip("not root: icmp may fall back");

	/* A listener on 127.0.0.1 and nothing on 127.0.0.2, same port. */
	struct sockaddr_storage ss, bound;
	struct sockaddr_in *in = (struct sockaddr_in *)&ss;
	int lfd;
	memset(&ss, 0, sizeof ss);
	in->sin_family = AF_INET;
	in->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (ry_tcp_listen((struct sockaddr *)&ss, sizeof *in, 16, false, &lfd, &bound) != 0) {
		skip("cannot listen on loopback");
		return done_testing();
	}
	struct ry_ipaddr t[3] = { { AF_INET, { 127, 0, 0, 1 } }, { AF_INET, { 127, 0, 0, 2 } },
				  { AF_INET, { 127, 0, 0, 3 } } };
	bool up[3] = { false };
	struct seen s = { 0 };
	ry_sweep_method_parse("tcp:1", &cfg, &why);
	cfg.tcp_ports[0] = ntohs(((struct sockaddr_in *)&bound)->sin_port);
	cfg.timeout_ns = 1000000000;
	cfg.jobs = 2;
	cfg.retries = 2;
	cfg.on_up = on_up;
	cfg.on_progress = on_progress;
	cfg.ctx = &s;
	is_int(ry_sweep_run(t, 3, &cfg, up), 0, "tcp sweep of three loopback addresses");
	ok(up[0] && up[1] && up[2], "accepted and refused connections all mean up");
	is_int(s.ups, 3, "on_up once per target");
	ok(s.max_settled <= 3, "progress never passes the target count (%zu)", s.max_settled);

	/* Three ports each: still one on_up per target, settled once. */
	memset(up, 0, sizeof up);
	memset(&s, 0, sizeof s);
	cfg.tcp_ports[1] = 1;
	cfg.tcp_ports[2] = 2;
	cfg.ntcp_ports = 3;
	is_int(ry_sweep_run(t, 3, &cfg, up), 0, "tcp sweep of three ports on three addresses");
	ok(up[0] && up[1] && up[2], "every target up");
	is_int(s.ups, 3, "on_up once per target, not once per port");
	ok(s.max_settled <= 3, "settled once per target (%zu)", s.max_settled);

	/* The engine keeps what it learned; the caller's callbacks still
	 * see each event, after the results hold it. */
	struct ry_sweep_results res;
	memset(&s, 0, sizeof s);
	cfg.ntcp_ports = 1;
	is_int(ry_sweep_results_init(&res, 3, 0, false), 0, "results for three targets");
	ok(res.rtt[0] == -1 && !res.up[0] && !res.sent[0], "start unknown, down, unprobed");
	is_int(ry_sweep_run_into(t, 3, &cfg, &res), 0, "a sweep into the results");
	ok(res.up[0] && res.up[1] && res.up[2] && res.settled[0] && res.settled[1] && res.settled[2],
	   "each target up and settled");
	ok(res.sent[0] >= 1 && res.rtt[0] >= 0 && res.by[0] && !strcmp(res.by[0]->name, "tcp"),
	   "probes counted, a round trip, the method that probed it");
	is_int(s.ups, 3, "and the caller's on_up saw each one");
	ry_sweep_results_free(&res);
	ok(ry_sweep_results_init(&res, 2, 3, true) == 0 && res.recv && res.each && res.each[5] == -1,
	   "count mode with every RTT: statistics, each probe unanswered until it is");
	ry_sweep_results_free(&res);
	close(lfd);
	return done_testing();
}
