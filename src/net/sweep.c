#define _GNU_SOURCE
#include "net/sweep.h"

#include <errno.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "util/time.h"
#include "core/pool.h"
#include "net/icmp.h"
#include "net/poller.h"
#include "net/proc.h"

/* ---- ICMP ---- */

struct icmp_sock {
	int fd;
	bool raw;
	bool v6;
};

static int open_icmp(int family, struct icmp_sock *s)
{
	int proto = family == AF_INET ? IPPROTO_ICMP : IPPROTO_ICMPV6;
	int big = 4 << 20;

	s->v6 = family == AF_INET6;
	s->raw = true;
	s->fd = socket(family, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, proto);
	if (s->fd < 0 && (errno == EPERM || errno == EACCES)) {
		s->raw = false;
		s->fd = socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, proto);
	}
	if (s->fd < 0)
		return errno == EACCES ? -EPERM : -errno;
	/* A fast sweep's replies arrive in a burst: a large receive buffer
	 * keeps them (FORCE works for root, the plain one up to rmem_max). */
	if (setsockopt(s->fd, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof big) != 0)
		(void)setsockopt(s->fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof big);
	if (s->v6 && s->raw) {
		struct icmp6_filter f;
		ICMP6_FILTER_SETBLOCKALL(&f);
		ICMP6_FILTER_SETPASS(ICMP6_ECHO_REPLY, &f);
		(void)setsockopt(s->fd, IPPROTO_ICMPV6, ICMP6_FILTER, &f, sizeof f);
	}
	return 0;
}

int ry_icmp_access(int family)
{
	struct icmp_sock s;
	int rc = open_icmp(family, &s);

	if (rc != 0)
		return rc;
	close(s.fd);
	return s.raw ? 1 : 2;
}

struct sent {
	uint32_t index;
	int64_t at;
};

struct icmp_run {
	const struct ry_ipaddr *t;
	size_t n;
	const struct ry_sweep_config *cfg;
	bool *up;
	size_t nup;
	struct icmp_sock s4, s6;
	uint16_t id;
	uint32_t magic;
	uint16_t *tries;
	int64_t *last;			/* last send time per target */
	uint32_t *queue;		/* targets to send, FIFO */
	size_t qhead, qtail;
	struct sent *log;		/* sends in order; deadlines follow it */
	size_t logn, exp;
	size_t gave_up;			/* silent after their last try */
};

static void take_replies(struct icmp_run *r, struct icmp_sock *s)
{
	uint8_t buf[2048];
	struct sockaddr_storage from;

	if (s->fd < 0)
		return;
	for (;;) {
		socklen_t flen = sizeof from;
		ssize_t len = recvfrom(s->fd, buf, sizeof buf, 0, (struct sockaddr *)&from, &flen);
		if (len < 0)
			return;		/* EAGAIN, or an error to ignore */
		struct ry_icmp_probe p;
		struct ry_ipaddr src;
		if (!ry_icmp_parse(s->v6, s->raw && !s->v6, s->raw, r->id, r->magic, buf, (size_t)len, &p))
			continue;
		if (p.index >= r->n || ry_ipaddr_from_sockaddr((struct sockaddr *)&from, &src) != 0 ||
		    ry_ipaddr_cmp(&src, &r->t[p.index]) != 0 || r->up[p.index])
			continue;	/* not ours, from the wrong host, or late */
		r->up[p.index] = true;
		r->nup++;
		if (r->cfg->on_up)
			r->cfg->on_up(r->cfg->ctx, p.index, ry_now_ns() - p.sent_ns);
	}
}

/* 0 sent, -EAGAIN try later, another error: counted as sent (no reply). */
static int send_probe(struct icmp_run *r, uint32_t i, int64_t now)
{
	struct icmp_sock *s = r->t[i].family == AF_INET ? &r->s4 : &r->s6;
	struct ry_icmp_probe p = { r->magic, i, r->tries[i], now };
	struct sockaddr_storage ss;
	uint8_t pkt[RY_ICMP_LEN];
	socklen_t len = ry_ipaddr_to_sockaddr(&r->t[i], &ss);

	ry_icmp_build(s->v6, r->id, (uint16_t)i, &p, pkt);
	if (sendto(s->fd, pkt, sizeof pkt, 0, (struct sockaddr *)&ss, len) < 0 &&
	    (errno == EAGAIN || errno == ENOBUFS || errno == EINTR))
		return -EAGAIN;
	return 0;
}

static int icmp_sweep(const struct ry_ipaddr *t, size_t n, const struct ry_sweep_config *cfg, bool *up)
{
	struct icmp_run r = { .t = t, .n = n, .cfg = cfg, .up = up, .s4.fd = -1, .s6.fd = -1 };
	/* Every probe that may be sent, retries included; at least one. */
	size_t slots = n ? n * (cfg->retries + 1) : 1;
	int64_t interval = cfg->rate ? 1000000000LL / cfg->rate : 0;
	bool want4 = false, want6 = false;
	int rc = 0;

	for (size_t i = 0; i < n; i++)
		*(t[i].family == AF_INET ? &want4 : &want6) = true;
	if ((want4 && (rc = open_icmp(AF_INET, &r.s4)) != 0) ||
	    (want6 && (rc = open_icmp(AF_INET6, &r.s6)) != 0))
		goto out;
	int64_t t0 = ry_now_ns();
	r.id = (uint16_t)(getpid() ^ (t0 >> 10));
	r.magic = (uint32_t)(t0 ^ (t0 >> 32) ^ ((uint64_t)getpid() << 16)) | 1;
	r.tries = calloc(n ? n : 1, sizeof *r.tries);
	r.last = calloc(n ? n : 1, sizeof *r.last);
	/* calloc: it checks the multiplication. */
	r.queue = calloc(slots, sizeof *r.queue);
	r.log = calloc(slots, sizeof *r.log);
	if (!r.tries || !r.last || !r.queue || !r.log) {
		rc = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		r.queue[r.qtail++] = (uint32_t)i;

	int64_t next_send = t0;
	while (r.nup < n && !(cfg->stop && atomic_load(cfg->stop))) {
		int64_t now = ry_now_ns();
		unsigned burst = 0;

		/* Send what the rate allows now; at no limit, 256 at a time
		 * so replies are read between bursts. */
		while (r.qhead < r.qtail && (!interval || now >= next_send) && burst < 256) {
			uint32_t i = r.queue[r.qhead];
			if (up[i]) {
				r.qhead++;
				continue;
			}
			if (send_probe(&r, i, now) == -EAGAIN)
				break;
			r.qhead++;
			r.tries[i]++;
			r.last[i] = now;
			r.log[r.logn++] = (struct sent){ i, now };
			burst++;
			if (interval) {
				next_send += interval;
				if (next_send < now - 16 * interval)
					next_send = now;	/* no catch-up burst after a stall */
				now = ry_now_ns();
			}
		}
		take_replies(&r, &r.s4);
		take_replies(&r, &r.s6);

		/* Deadlines pass in send order: retry or give up. */
		now = ry_now_ns();
		while (r.exp < r.logn && r.log[r.exp].at + cfg->timeout_ns <= now) {
			uint32_t i = r.log[r.exp].index;
			if (!up[i] && r.last[i] == r.log[r.exp].at) {
				if (r.tries[i] <= cfg->retries)
					r.queue[r.qtail++] = i;
				else
					r.gave_up++;
			}
			r.exp++;
		}
		if (cfg->on_progress)
			cfg->on_progress(cfg->ctx, r.nup + r.gave_up);
		if (r.qhead == r.qtail && r.exp == r.logn)
			break;

		/* Sleep until the next send or deadline, or a reply. */
		int64_t wake = r.exp < r.logn ? r.log[r.exp].at + cfg->timeout_ns : now + 50000000;
		if (r.qhead < r.qtail && (interval ? next_send : now) < wake)
			wake = interval ? next_send : now;
		if (wake - now > 50000000)
			wake = now + 50000000;	/* notice a stop request */
		if (wake > now) {
			struct pollfd pfd[2] = { { r.s4.fd, POLLIN, 0 }, { r.s6.fd, POLLIN, 0 } };
			struct timespec ts = { (wake - now) / 1000000000, (wake - now) % 1000000000 };
			(void)ppoll(pfd, 2, &ts, NULL);
		}
	}
out:
	if (r.s4.fd >= 0)
		close(r.s4.fd);
	if (r.s6.fd >= 0)
		close(r.s6.fd);
	free(r.tries);
	free(r.last);
	free(r.queue);
	free(r.log);
	return rc;
}

/* ---- EXEC ---- */

struct exec_ctx {
	const struct ry_ipaddr *t;
	const struct ry_sweep_config *cfg;
	atomic_int missing;		/* ping could not be started */
};

static void *exec_one(size_t i, void *arg)
{
	struct exec_ctx *x = arg;
	const struct ry_sweep_config *cfg = x->cfg;
	char addr[64], wait[32];

	ry_ipaddr_str(&x->t[i], addr, sizeof addr);
	snprintf(wait, sizeof wait, "%.3f", cfg->timeout_ns / 1e9);
	const char *argv[] = { cfg->ping ? cfg->ping : "ping", "-n", "-q", "-c", "1", "-W", wait,
			       x->t[i].family == AF_INET6 ? "-6" : "-4", addr, NULL };
	for (unsigned k = 0; k <= cfg->retries; k++) {
		if (cfg->stop && atomic_load(cfg->stop))
			break;
		int rc = ry_proc_run(argv);
		if (rc == 0)
			return (void *)1;
		if (rc < 0) {
			atomic_store(&x->missing, rc);
			break;
		}
	}
	return NULL;
}

static int exec_sweep(const struct ry_ipaddr *t, size_t n, const struct ry_sweep_config *cfg, bool *up)
{
	struct exec_ctx x = { t, cfg, 0 };
	struct ry_pool_result res;
	struct ry_pool *p;

	if (!ry_proc_exists(cfg->ping ? cfg->ping : "ping"))
		return -ENOENT;
	p = ry_pool_map(cfg->jobs ? cfg->jobs : 1, n, exec_one, &x, 0);
	if (!p)
		return -errno;
	size_t settled = 0;
	while (ry_pool_next(p, &res) == 0) {
		if (cfg->on_progress)
			cfg->on_progress(cfg->ctx, ++settled);
		if (res.out.status == 0 && res.out.value) {
			up[res.index] = true;
			if (cfg->on_up)
				cfg->on_up(cfg->ctx, res.index, -1);
		}
	}
	ry_pool_free(p);
	return atomic_load(&x.missing);
}

/* ---- TCP ---- */

struct probe {
	int fd;
	size_t index;
	int64_t started;
};

static int tcp_sweep(const struct ry_ipaddr *t, size_t n, const struct ry_sweep_config *cfg, bool *up)
{
	unsigned jobs = cfg->jobs ? cfg->jobs : 64;
	struct probe *fl = calloc(jobs, sizeof *fl);
	unsigned *tries = calloc(n ? n : 1, sizeof *tries);
	size_t *queue = malloc((n * (cfg->retries + 1) + 1) * sizeof *queue);
	struct ry_poller *poller = ry_poller_new();
	size_t qhead = 0, qtail = 0, settled = 0;
	unsigned busy = 0;
	int64_t interval = cfg->rate ? 1000000000LL / cfg->rate : 0, next_start = ry_now_ns();
	int rc = 0;

	if (!fl || !tries || !queue || !poller) {
		rc = -ENOMEM;
		goto out;
	}
	for (unsigned k = 0; k < jobs; k++)
		fl[k].fd = -1;
	for (size_t i = 0; i < n; i++)
		queue[qtail++] = i;
	while ((qhead < qtail || busy > 0) && !(cfg->stop && atomic_load(cfg->stop))) {
		int64_t now = ry_now_ns();
		/* Start probes into free slots, at the rate. */
		for (unsigned k = 0; k < jobs && qhead < qtail && (!interval || now >= next_start); k++) {
			if (fl[k].fd >= 0)
				continue;
			size_t i = queue[qhead++];
			struct sockaddr_storage ss;
			socklen_t len = ry_ipaddr_to_sockaddr(&t[i], &ss);
			((struct sockaddr_in *)&ss)->sin_port = htons((uint16_t)cfg->tcp_port);
			tries[i]++;
			int fd = socket(t[i].family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
			if (fd < 0) {
				rc = -errno;
				goto out;
			}
			if (connect(fd, (struct sockaddr *)&ss, len) == 0 || errno == ECONNREFUSED) {
				close(fd);	/* answered at once (loopback) */
				settled++;
				up[i] = true;
				if (cfg->on_up)
					cfg->on_up(cfg->ctx, i, ry_now_ns() - now);
				continue;
			}
			if (errno != EINPROGRESS) {
				close(fd);	/* unreachable: down */
				settled++;
				continue;
			}
			fl[k] = (struct probe){ fd, i, now };
			(void)ry_poller_add(poller, fd, RY_POLL_OUT, &fl[k]);
			busy++;
			if (interval)
				next_start += interval;
		}
		struct ry_poll_event ev[64];
		int m = ry_poller_wait(poller, ev, 64, 10);
		now = ry_now_ns();
		for (int e = 0; e < m; e++) {
			struct probe *pr = ev[e].ptr;
			int err = 0;
			socklen_t elen = sizeof err;
			if (!pr)
				continue;
			getsockopt(pr->fd, SOL_SOCKET, SO_ERROR, &err, &elen);
			if (err == 0 || err == ECONNREFUSED) {
				up[pr->index] = true;
				if (cfg->on_up)
					cfg->on_up(cfg->ctx, pr->index, now - pr->started);
			}
			(void)ry_poller_del(poller, pr->fd);
			close(pr->fd);
			pr->fd = -1;
			busy--;
			settled++;
		}
		for (unsigned k = 0; k < jobs; k++) {
			if (fl[k].fd < 0 || now - fl[k].started < cfg->timeout_ns)
				continue;
			(void)ry_poller_del(poller, fl[k].fd);
			close(fl[k].fd);
			fl[k].fd = -1;
			busy--;
			if (tries[fl[k].index] <= cfg->retries)
				queue[qtail++] = fl[k].index;
			else
				settled++;
		}
		if (cfg->on_progress)
			cfg->on_progress(cfg->ctx, settled);
	}
out:
	if (fl)
		for (unsigned k = 0; k < jobs; k++)
			if (fl[k].fd >= 0)
				close(fl[k].fd);
	ry_poller_free(poller);
	free(fl);
	free(tries);
	free(queue);
	return rc;
}

int ry_sweep_run(const struct ry_ipaddr *t, size_t n, const struct ry_sweep_config *cfg, bool *up)
{
	switch (cfg->method) {
	case RY_SWEEP_ICMP:
		return icmp_sweep(t, n, cfg, up);
	case RY_SWEEP_EXEC:
		return exec_sweep(t, n, cfg, up);
	case RY_SWEEP_TCP:
		return tcp_sweep(t, n, cfg, up);
	}
	return -EINVAL;
}
