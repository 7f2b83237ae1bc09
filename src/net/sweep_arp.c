/*
 * The arp sweep method, as nmap -sn does on a local network: an ARP
 * request for each IPv4 target that is on-link (inside the prefix of an
 * interface's address), from an AF_PACKET socket bound to that
 * interface; a reply whose sender is the target means up, whatever its
 * firewall does to ICMP.  Replies are matched by sender address (one of
 * ours, asked on that interface and not yet settled), must be addressed
 * to us (our address and hardware address as their target) and come
 * from the hardware address they claim (the frame's source); they are
 * timed from our own send time, and their sender hardware address kept
 * (cfg->mac).  Rate, timeout and
 * retries work as for icmp.  A target that is not on-link is not probed
 * (down); `auto` (cmd) sends only on-link targets here.
 *
 * Linux only (AF_PACKET); needs CAP_NET_RAW.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net/sweep_impl.h"
#include "util/time.h"
#include "util/search.h"

#define MAX_IFS 16
/* How long an all-settled sweep still listens for a second claimant. */
#define CONFLICT_LINGER_NS 20000000

struct arp_if {
	int index;			/* ifindex */
	int fd;
	uint8_t mac[6];
	uint8_t ip[4], mask[4];
};

struct arp_pkt {
	uint16_t htype, ptype;
	uint8_t hlen, plen;
	uint16_t op;
	uint8_t sha[6], spa[4], tha[6], tpa[4];
} __attribute__((packed));

static bool in_prefix(const uint8_t *a, const uint8_t *net, const uint8_t *mask)
{
	for (int k = 0; k < 4; k++)
		if ((a[k] & mask[k]) != (net[k] & mask[k]))
			return false;
	return true;
}

/* The up, non-loopback interfaces with an IPv4 address and a hardware
 * address.  Returns the count. */
static int list_ifs(struct arp_if *ifs)
{
	struct ifaddrs *all, *a, *b;
	int n = 0;

	if (getifaddrs(&all) != 0)
		return 0;
	for (a = all; a && n < MAX_IFS; a = a->ifa_next) {
		if (!a->ifa_addr || a->ifa_addr->sa_family != AF_INET || !a->ifa_netmask ||
		    !(a->ifa_flags & IFF_UP) || (a->ifa_flags & IFF_LOOPBACK) || (a->ifa_flags & IFF_NOARP))
			continue;
		struct arp_if *f = &ifs[n];
		memset(f, 0, sizeof *f);
		f->fd = -1;
		f->index = (int)if_nametoindex(a->ifa_name);
		memcpy(f->ip, &((struct sockaddr_in *)a->ifa_addr)->sin_addr, 4);
		memcpy(f->mask, &((struct sockaddr_in *)a->ifa_netmask)->sin_addr, 4);
		bool have_mac = false;
		for (b = all; b; b = b->ifa_next) {
			if (b->ifa_addr && b->ifa_addr->sa_family == AF_PACKET &&
			    strcmp(b->ifa_name, a->ifa_name) == 0) {
				const struct sockaddr_ll *ll = (const struct sockaddr_ll *)b->ifa_addr;
				if (ll->sll_halen == 6) {
					memcpy(f->mac, ll->sll_addr, 6);
					have_mac = true;
				}
			}
		}
		if (f->index > 0 && have_mac)
			n++;
	}
	freeifaddrs(all);
	return n;
}

/* The interface a target is on-link through, or -1. */
static int iface_of(const struct arp_if *ifs, int nifs, const struct ry_ipaddr *t)
{
	if (t->family != AF_INET)
		return -1;
	for (int k = 0; k < nifs; k++)
		if (in_prefix(t->a, ifs[k].ip, ifs[k].mask))
			return k;
	return -1;
}

size_t ry_sweep_arp_onlink(const struct ry_ipaddr *t, size_t n, bool *onlink)
{
	struct arp_if ifs[MAX_IFS];
	int nifs = list_ifs(ifs);	/* once: getifaddrs is a netlink dump */
	size_t count = 0;

	for (size_t i = 0; i < n; i++) {
		bool on = iface_of(ifs, nifs, &t[i]) >= 0;
		if (onlink)
			onlink[i] = on;
		count += on;
	}
	return count;
}

static int open_if(struct arp_if *f)
{
	struct sockaddr_ll ll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ARP),
				  .sll_ifindex = f->index };
	int buf = 1 << 20;

	f->fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, htons(ETH_P_ARP));
	if (f->fd < 0)
		return -errno;
	(void)setsockopt(f->fd, SOL_SOCKET, SO_RCVBUF, &buf, sizeof buf);
	if (bind(f->fd, (struct sockaddr *)&ll, sizeof ll) != 0)
		return -errno;
	return 0;
}

int ry_sweep_arp_access(void)
{
	/* Asked once per process: closing a packet socket waits for the
	 * network stack to quiesce (synchronize_net), about 10 ms, which
	 * every sweep paid twice.  Privileges do not grow during a run. */
	static atomic_int known = 1;	/* 1: not asked yet */
	int rc = atomic_load(&known);

	if (rc != 1)
		return rc;
	int fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC, htons(ETH_P_ARP));
	if (fd < 0) {
		rc = errno == EPERM || errno == EACCES ? -EPERM : -errno;
	} else {
		close(fd);
		rc = 0;
	}
	atomic_store(&known, rc);
	return rc;
}

struct arp_run {
	const struct ry_ipaddr *t;
	size_t n;
	uint32_t *byaddr;		/* target indexes in address order */
	const struct ry_sweep_config *cfg;
	bool *up;
	int8_t *ifk;			/* per target: its interface, or -1 */
	uint16_t *tries;
	int64_t *last;			/* per target: its last send */
	uint8_t *gave_up;
	uint8_t (*mac)[6];		/* per target: who answered first */
	uint8_t *conflict;		/* per target: a second claimant seen */
	size_t nup, ngave;
	uint32_t *queue;
	size_t qhead, qtail;
	struct { uint32_t index; int64_t at; } *log;
	size_t logn, exp;
	struct arp_if ifs[MAX_IFS];
	int nifs;
};

static void send_req(struct arp_run *r, uint32_t i)
{
	struct arp_if *f = &r->ifs[r->ifk[i]];
	struct arp_pkt p = { htons(1), htons(ETH_P_IP), 6, 4, htons(1), { 0 }, { 0 }, { 0 }, { 0 } };
	struct sockaddr_ll to = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ARP),
				  .sll_ifindex = f->index, .sll_halen = 6 };

	memcpy(p.sha, f->mac, 6);
	memcpy(p.spa, f->ip, 4);
	memcpy(p.tpa, r->t[i].a, 4);
	memset(to.sll_addr, 0xff, 6);
	(void)sendto(f->fd, &p, sizeof p, 0, (struct sockaddr *)&to, sizeof to);
}

/* The target whose address is a, or n: a binary search of byaddr
 * (targets come in probe order, shuffled or not). */
struct addr_search {
	const struct arp_run *r;
	struct ry_ipaddr key;
};

static bool addr_before(const void *ctx, size_t i)
{
	const struct addr_search *q = ctx;

	return ry_ipaddr_cmp(&q->r->t[q->r->byaddr[i]], &q->key) < 0;
}

static size_t find(const struct arp_run *r, const uint8_t *a)
{
	struct addr_search q = { r, { .family = AF_INET } };

	memcpy(q.key.a, a, 4);
	size_t lo = ry_partition_point(r->n, addr_before, &q);
	if (lo < r->n && ry_ipaddr_cmp(&r->t[r->byaddr[lo]], &q.key) == 0)
		return r->byaddr[lo];
	return r->n;
}

/* qsort has no context argument: the targets being sorted. */
static _Thread_local const struct ry_ipaddr *sort_t;

static int cmp_index(const void *a, const void *b)
{
	return ry_ipaddr_cmp(&sort_t[*(const uint32_t *)a], &sort_t[*(const uint32_t *)b]);
}

static void take_replies(struct arp_run *r, int k)
{
	struct arp_if *f = &r->ifs[k];
	struct arp_pkt p;

	/* A bounded batch: under a flood of replies the loop must come back
	 * to its clock, or no timeout fires while packets keep coming. */
	for (int budget = RY_SWEEP_RECV_BUDGET; budget > 0; budget--) {
		struct sockaddr_ll from = { 0 };
		socklen_t flen = sizeof from;
		ssize_t len = recvfrom(f->fd, &p, sizeof p, 0, (struct sockaddr *)&from, &flen);
		if (len < 0)
			return;
		if (len < (ssize_t)sizeof p || p.htype != htons(1) || p.ptype != htons(ETH_P_IP) ||
		    p.hlen != 6 || p.plen != 4 || p.op != htons(2))
			continue;
		/* A reply to our request is addressed to us (our address and
		 * hardware address as its target), and its sender hardware
		 * address is the frame's own source: unsolicited replies sent
		 * to everyone, or claiming a hardware address the frame did
		 * not come from, do not make a host up. */
		if (memcmp(p.tpa, f->ip, 4) != 0 || memcmp(p.tha, f->mac, 6) != 0 ||
		    from.sll_halen != 6 || memcmp(from.sll_addr, p.sha, 6) != 0)
			continue;
		size_t i = find(r, p.spa);
		/* A reply from a target asked on this interface, still open;
		 * or a second hardware address claiming one that answered. */
		if (i == r->n || r->ifk[i] != k || !r->tries[i] || r->gave_up[i])
			continue;
		if (r->up[i]) {
			if (memcmp(r->mac[i], p.sha, 6) != 0 && !r->conflict[i]) {
				r->conflict[i] = 1;
				if (r->cfg->on_conflict)
					r->cfg->on_conflict(r->cfg->ctx, i, r->mac[i], p.sha);
			}
			continue;
		}
		r->up[i] = true;
		r->nup++;
		memcpy(r->mac[i], p.sha, 6);
		if (r->cfg->mac)
			memcpy(r->cfg->mac[i], p.sha, 6);
		if (r->cfg->on_up)
			r->cfg->on_up(r->cfg->ctx, i, ry_now_ns() - r->last[i]);
	}
}

/* Reads replies until `until`, for conflicts only: every target has
 * settled. */
static void linger(struct arp_run *r, int64_t until)
{
	struct pollfd pfd[MAX_IFS];
	int64_t now;

	for (int k = 0; k < r->nifs; k++)
		pfd[k] = (struct pollfd){ r->ifs[k].fd, POLLIN, 0 };
	while ((now = ry_now_ns()) < until) {
		struct timespec ts = { 0, until - now };
		if (ppoll(pfd, (nfds_t)r->nifs, &ts, NULL) <= 0)
			break;
		for (int k = 0; k < r->nifs; k++)
			if (r->ifs[k].fd >= 0)
				take_replies(r, k);
	}
}

static void expire(struct arp_run *r, int64_t now)
{
	while (r->exp < r->logn && r->log[r->exp].at + r->cfg->timeout_ns <= now) {
		uint32_t i = r->log[r->exp].index;
		if (!r->up[i] && !r->gave_up[i] && r->last[i] == r->log[r->exp].at) {
			if (r->tries[i] <= r->cfg->retries) {
				r->queue[r->qtail++] = i;
			} else {
				r->gave_up[i] = 1;
				r->ngave++;
				if (r->cfg->on_down)
					r->cfg->on_down(r->cfg->ctx, i);
			}
		}
		r->exp++;
	}
}

static int arp_sweep(const struct ry_ipaddr *t, size_t n, const struct ry_sweep_config *cfg, bool *up)
{
	struct arp_run r = { .t = t, .n = n, .cfg = cfg, .up = up };
	size_t slots = n ? n * (cfg->retries + 1) : 1;
	int64_t interval = cfg->rate ? 1000000000LL / cfg->rate : 0;
	int rc = 0;

	if (cfg->count)
		return -EINVAL;
	r.nifs = list_ifs(r.ifs);
	r.ifk = malloc(n ? n : 1);
	r.tries = calloc(n ? n : 1, sizeof *r.tries);
	r.last = calloc(n ? n : 1, sizeof *r.last);
	r.gave_up = calloc(n ? n : 1, 1);
	r.queue = calloc(slots, sizeof *r.queue);
	r.log = calloc(slots, sizeof *r.log);
	r.byaddr = malloc((n ? n : 1) * sizeof *r.byaddr);
	r.mac = malloc((n ? n : 1) * sizeof *r.mac);
	r.conflict = calloc(n ? n : 1, 1);
	if (!r.ifk || !r.tries || !r.last || !r.gave_up || !r.queue || !r.log || !r.byaddr || !r.mac ||
	    !r.conflict) {
		rc = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		r.byaddr[i] = (uint32_t)i;
	sort_t = t;
	qsort(r.byaddr, n, sizeof *r.byaddr, cmp_index);
	for (size_t i = 0; i < n; i++) {
		int k = iface_of(r.ifs, r.nifs, &t[i]);
		r.ifk[i] = (int8_t)k;
		if (k < 0) {
			r.gave_up[i] = 1;	/* not on a local network: no ARP */
			r.ngave++;
			continue;
		}
		if (r.ifs[k].fd < 0 && (rc = open_if(&r.ifs[k])) != 0)
			goto out;
		r.queue[r.qtail++] = (uint32_t)i;
	}
	if ((rc = ry_sweep_sockets_ready(cfg)) != 0)
		goto out;
	int64_t next_send = ry_now_ns();
	while (r.nup + r.ngave < n && !ry_sweep_stopped(cfg)) {
		int64_t now = ry_now_ns();
		unsigned burst = 0;
		while (r.qhead < r.qtail && (!interval || now >= next_send) && burst < 256) {
			uint32_t i = r.queue[r.qhead++];
			if (up[i] || r.gave_up[i])
				continue;
			send_req(&r, i);
			r.tries[i]++;
			r.last[i] = now;
			r.log[r.logn].index = i;
			r.log[r.logn++].at = now;
			burst++;
			if (interval) {
				next_send += interval;
				if (next_send < now - 16 * interval)
					next_send = now;
				now = ry_now_ns();
			}
		}
		for (int k = 0; k < r.nifs; k++)
			if (r.ifs[k].fd >= 0)
				take_replies(&r, k);
		now = ry_now_ns();
		expire(&r, now);
		if (cfg->on_progress)
			cfg->on_progress(cfg->ctx, r.nup + r.ngave);
		if (r.qhead == r.qtail && r.exp == r.logn)
			break;
		int64_t wake = r.exp < r.logn ? r.log[r.exp].at + cfg->timeout_ns : now + 50000000;
		if (r.qhead < r.qtail && (interval ? next_send : now) < wake)
			wake = interval ? next_send : now;
		if (wake - now > 50000000)
			wake = now + 50000000;
		if (wake > now) {
			struct pollfd pfd[MAX_IFS];
			for (int k = 0; k < r.nifs; k++)
				pfd[k] = (struct pollfd){ r.ifs[k].fd, POLLIN, 0 };
			struct timespec ts = { (wake - now) / 1000000000, (wake - now) % 1000000000 };
			(void)ppoll(pfd, (nfds_t)r.nifs, &ts, NULL);
		}
	}
	/* Two machines claiming one address answer the same request within
	 * a millisecond or so: when the last target settled by a reply,
	 * listen a moment longer so that the second claimant is heard. */
	if (r.nup > 0 && !ry_sweep_stopped(cfg))
		linger(&r, ry_now_ns() + CONFLICT_LINGER_NS);
out:
	for (size_t i = 0; cfg->sent && r.tries && i < n; i++)
		cfg->sent[i] = r.tries[i];
	for (int k = 0; k < r.nifs; k++)
		if (r.ifs[k].fd >= 0)
			close(r.ifs[k].fd);
	free(r.ifk);
	free(r.tries);
	free(r.last);
	free(r.gave_up);
	free(r.queue);
	free(r.log);
	free(r.byaddr);
	free(r.mac);
	free(r.conflict);
	return rc == -EACCES ? -EPERM : rc;
}

const struct ry_sweep_method ry_sweep_arp = {
	.name = "arp", .help = "ARP requests (IPv4 on the local network)",
	.privileged = true, .has_rtt = true, .has_mac = true, .run = arp_sweep,
};
