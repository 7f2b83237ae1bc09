/*
 * The tcp sweep method: a connect to each of tcp_ports, `jobs` in flight
 * on one event loop; an accepted or a refused connection both mean the
 * host is up (nmap's idea), and one port is enough; a host is down when
 * every port timed out (after its retries) or was unreachable.  Probes
 * are (target, port) pairs; the ports of a host that is already up are
 * not tried.
 */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "net/poller.h"
#include "net/sweep_impl.h"
#include "net/tcp.h"
#include "util/time.h"

struct probe {
	int fd;
	size_t pair;		/* target * nports + port index */
	int64_t started;
};

struct tcp_run {
	const struct ry_ipaddr *t;
	const struct ry_sweep_config *cfg;
	bool *up;
	struct probe *fl;		/* jobs slots; fd -1 when free */
	unsigned *tries;		/* per pair */
	unsigned *left;			/* per target: ports not yet given up */
	unsigned nports;
	size_t *queue, qhead, qtail, settled;
	struct ry_poller *poller;
	unsigned busy;
};

static void answered(struct tcp_run *r, size_t pair, int64_t rtt)
{
	size_t i = pair / r->nports;

	if (r->up[i])
		return;		/* another port answered first */
	r->settled++;
	r->up[i] = true;
	if (r->cfg->on_up)
		r->cfg->on_up(r->cfg->ctx, i, rtt);
}

/* One port of a target gave up; the target is down once all have. */
static void gave_up(struct tcp_run *r, size_t pair)
{
	size_t i = pair / r->nports;

	if (--r->left[i] == 0 && !r->up[i]) {
		r->settled++;
		if (r->cfg->on_down)
			r->cfg->on_down(r->cfg->ctx, i);
	}
}

/* Starts a probe of queue's next target in slot k.  0 or a negative
 * errno that ends the sweep (out of descriptors). */
static int start(struct tcp_run *r, unsigned k, int64_t now)
{
	size_t pair = r->queue[r->qhead++], i = pair / r->nports;
	struct sockaddr_storage ss;
	socklen_t len = ry_ipaddr_to_sockaddr(&r->t[i], &ss);
	int fd, rc;

	if (r->up[i]) {		/* up by another port: no need */
		r->left[i]--;
		return 0;
	}
	ry_sockaddr_set_port(&ss, r->cfg->tcp_ports[pair % r->nports]);
	r->tries[pair]++;
	rc = ry_tcp_connect_start((struct sockaddr *)&ss, len, 0, &fd);
	if (rc == 0 || rc == -ECONNREFUSED) {
		if (rc == 0)
			close(fd);	/* answered at once (loopback) */
		answered(r, pair, ry_now_ns() - now);
		r->left[i]--;
		return 0;
	}
	if (rc == -EMFILE || rc == -ENFILE || rc == -ENOBUFS || rc == -ENOMEM)
		return rc;
	if (rc != -EINPROGRESS) {
		gave_up(r, pair);	/* unreachable: down */
		return 0;
	}
	r->fl[k] = (struct probe){ fd, pair, now };
	(void)ry_poller_add(r->poller, fd, RY_POLL_OUT, &r->fl[k]);
	r->busy++;
	return 0;
}

static void finish(struct tcp_run *r, struct probe *pr, bool timed_out, int64_t now)
{
	size_t i = pr->pair / r->nports;

	if (!timed_out) {
		int err = ry_tcp_connect_finish(pr->fd);
		if (err == 0 || err == -ECONNREFUSED) {
			answered(r, pr->pair, now - pr->started);
			r->left[i]--;
		} else {
			gave_up(r, pr->pair);
		}
	} else if (r->tries[pr->pair] <= r->cfg->retries && !r->up[i]) {
		r->queue[r->qtail++] = pr->pair;
	} else {
		gave_up(r, pr->pair);
	}
	(void)ry_poller_del(r->poller, pr->fd);
	close(pr->fd);
	pr->fd = -1;
	r->busy--;
}

static int tcp_sweep(const struct ry_ipaddr *t, size_t n, const struct ry_sweep_config *cfg, bool *up)
{
	unsigned jobs = cfg->jobs ? cfg->jobs : 64;
	struct tcp_run r = { .t = t, .cfg = cfg, .up = up };
	int64_t interval = cfg->rate ? 1000000000LL / cfg->rate : 0, next_start = ry_now_ns();
	int rc = 0;

	if (cfg->count)
		return -EINVAL;		/* count mode is icmp's */
	if ((rc = ry_sweep_sockets_ready(cfg)) != 0)
		return rc;
	r.nports = cfg->ntcp_ports ? cfg->ntcp_ports : 1;
	size_t pairs = n * r.nports;
	r.fl = calloc(jobs, sizeof *r.fl);
	r.tries = calloc(pairs ? pairs : 1, sizeof *r.tries);
	r.left = calloc(n ? n : 1, sizeof *r.left);
	r.queue = calloc(pairs * (cfg->retries + 1) + 1, sizeof *r.queue);
	r.poller = ry_poller_new();
	if (!r.fl || !r.tries || !r.left || !r.queue || !r.poller) {
		rc = -ENOMEM;
		goto out;
	}
	for (unsigned k = 0; k < jobs; k++)
		r.fl[k].fd = -1;
	/* Port by port across all targets: the first port of every host
	 * before the second of any. */
	for (unsigned p = 0; p < r.nports; p++)
		for (size_t i = 0; i < n; i++)
			r.queue[r.qtail++] = i * r.nports + p;
	for (size_t i = 0; i < n; i++)
		r.left[i] = r.nports;
	while ((r.qhead < r.qtail || r.busy > 0) && !ry_sweep_stopped(cfg)) {
		int64_t now = ry_now_ns();
		/* Start probes into free slots, at the rate. */
		for (unsigned k = 0; k < jobs && r.qhead < r.qtail && (!interval || now >= next_start); k++) {
			if (r.fl[k].fd >= 0)
				continue;
			if ((rc = start(&r, k, now)) != 0)
				goto out;
			if (interval && r.fl[k].fd >= 0)
				next_start += interval;
		}
		struct ry_poll_event ev[64];
		int m = ry_poller_wait(r.poller, ev, 64, 10);
		now = ry_now_ns();
		for (int e = 0; e < m; e++)
			if (ev[e].ptr)
				finish(&r, ev[e].ptr, false, now);
		for (unsigned k = 0; k < jobs; k++)
			if (r.fl[k].fd >= 0 && now - r.fl[k].started >= cfg->timeout_ns)
				finish(&r, &r.fl[k], true, now);
		if (cfg->on_progress)
			cfg->on_progress(cfg->ctx, r.settled);
	}
out:
	for (size_t i = 0; cfg->sent && r.tries && i < n; i++) {
		cfg->sent[i] = 0;
		for (unsigned p = 0; p < r.nports; p++)
			cfg->sent[i] += r.tries[i * r.nports + p];
	}
	if (r.fl)
		for (unsigned k = 0; k < jobs; k++)
			if (r.fl[k].fd >= 0)
				close(r.fl[k].fd);
	ry_poller_free(r.poller);
	free(r.fl);
	free(r.tries);
	free(r.left);
	free(r.queue);
	return rc;
}

const struct ry_sweep_method ry_sweep_tcp = {
	.name = "tcp", .help = "connect to each port; refused = up",
	.takes_port = true, .has_rtt = true, .run = tcp_sweep,
};
