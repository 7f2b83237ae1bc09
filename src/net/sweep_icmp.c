/*
 * The icmp sweep method: one ICMP socket per family (net/icmp_sock),
 * sending at `rate` probes a second while replies are read between
 * sends, both in batches of up to 64 packets a system call (sendmmsg,
 * recvmmsg; a batch holds only probes that are due, so the rate holds).
 * Replies are matched by our payload's magic, index and token (net/icmp:
 * a keyed hash of index and try, so a host cannot forge another
 * target's reply) and by the source address, and timed from our own
 * send time.  A probe with no reply `timeout` after it was sent is
 * retried, up to `retries` times, so a sweep of silent hosts takes about
 * timeout x (retries + 1) plus the sending time.
 *
 * Count mode (cfg->count): rounds of one probe per target, a period
 * apart (or as soon as the last round is sent, when sending takes
 * longer); every reply within its timeout is reported; the run ends when
 * each probe of the last round is answered or timed out.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net/icmp.h"
#include "net/icmp_sock.h"
#include "net/sweep_impl.h"
#include "util/time.h"

/* Probes and replies go through the kernel BATCH at a time (sendmmsg,
 * recvmmsg): one system call for many packets. */
#define BATCH 64
#define RX_LEN 512		/* an echo reply, or an error quoting a probe */

/* Probes built, on their way into one sendmmsg. */
struct txbatch {
	struct mmsghdr m[BATCH];
	struct iovec iov[BATCH];
	struct sockaddr_storage to[BATCH];
	uint8_t pkt[BATCH][RY_ICMP_LEN];
	uint32_t idx[BATCH];
	unsigned n;
};

struct rxbatch {
	struct mmsghdr m[BATCH];
	struct iovec iov[BATCH];
	struct sockaddr_storage from[BATCH];
	uint8_t buf[BATCH][RX_LEN];
};

struct icmp_sock {
	int fd;
	bool raw;
	bool v6;
	struct txbatch *tx;
};

struct sent {
	uint32_t index;
	int64_t at;
};

enum { PENDING, UP, GAVE_UP };

struct icmp_run {
	const struct ry_ipaddr *t;
	size_t n;
	const struct ry_sweep_config *cfg;
	bool *up;
	uint8_t *state;			/* per target: PENDING, UP or GAVE_UP */
	size_t nup;
	struct icmp_sock s4, s6;
	uint16_t id;
	uint32_t magic;
	uint64_t key[2];		/* for the probes' tokens; random per run */
	uint16_t *tries;
	int64_t *sent;			/* send time of target i's try k at
					 * i * (retries + 1) + k */
	uint32_t *queue;		/* targets to send, FIFO */
	size_t qhead, qtail;
	struct sent *log;		/* sends in order; deadlines follow it */
	size_t logn, exp;
	size_t gave_up;			/* silent after their last try */
	size_t per;			/* tries per target: retries + 1, or count */
	/* Count mode. */
	bool counting;
	uint8_t *probe;			/* per try slot: 0 open, 1 answered, 2 timed out */
	size_t closed;			/* tries answered or timed out */
	unsigned round;			/* rounds enqueued */
	int64_t round_at;		/* when the last round was enqueued */
	struct rxbatch *rx;		/* replies, both sockets in turn */
};

static int64_t last_sent(const struct icmp_run *r, uint32_t i)
{
	return r->sent[i * r->per + r->tries[i] - 1];
}

/* A probe of target i failed for a reason: reported, and the target
 * given up now if it has no retry left (nothing will answer it). */
static void failed(struct icmp_run *r, uint32_t i, const char *why, const struct ry_ipaddr *from)
{
	if (r->counting || r->state[i] != PENDING)
		return;
	if (r->cfg->on_fail)
		r->cfg->on_fail(r->cfg->ctx, i, why, from);
	if (r->tries[i] > r->cfg->retries) {
		r->state[i] = GAVE_UP;
		r->gave_up++;
		if (r->cfg->on_down)
			r->cfg->on_down(r->cfg->ctx, i);
	}
}

/* One packet from socket s: a reply to a probe in flight, an error
 * quoting one, or something to ignore. */
static void take_packet(struct icmp_run *r, const struct icmp_sock *s, const uint8_t *buf, size_t len,
			const struct sockaddr_storage *from)
{
	struct ry_icmp_probe p;
	struct ry_ipaddr src;
	const char *why;

	if (!ry_icmp_parse(s->v6, s->raw && !s->v6, s->raw, r->id, r->magic, buf, len, &p)) {
		/* An error quoting one of our probes, from a router (or the
		 * host): matched as strictly as a reply is. */
		if (ry_icmp_parse_error(s->v6, s->raw && !s->v6, s->raw, r->id, r->magic, buf, len, &p, &why) &&
		    p.index < r->n && p.try < r->tries[p.index] &&
		    p.token == ry_icmp_token(r->key, p.index, p.try) &&
		    ry_ipaddr_from_sockaddr((const struct sockaddr *)from, &src) == 0)
			failed(r, p.index, why, &src);
		return;
	}
	/* Not ours, not a try we sent, forged (the token does not match),
	 * from the wrong host, or settled already (a duplicate, or a reply
	 * after the last timeout). */
	if (p.index >= r->n || p.try >= r->tries[p.index] || p.token != ry_icmp_token(r->key, p.index, p.try) ||
	    ry_ipaddr_from_sockaddr((const struct sockaddr *)from, &src) != 0 ||
	    ry_ipaddr_cmp(&src, &r->t[p.index]) != 0)
		return;
	if (r->counting) {
		size_t slot = p.index * r->per + p.try;
		if (r->probe[slot] != 0)
			return;	/* a duplicate, or after its timeout */
		r->probe[slot] = 1;
		r->closed++;
		int64_t rtt = ry_now_ns() - r->sent[slot];
		if (r->cfg->on_reply)
			r->cfg->on_reply(r->cfg->ctx, p.index, p.try, rtt);
		if (r->state[p.index] == PENDING) {
			r->state[p.index] = UP;
			r->up[p.index] = true;
			r->nup++;
			if (r->cfg->on_up)
				r->cfg->on_up(r->cfg->ctx, p.index, rtt);
		}
		return;
	}
	if (r->state[p.index] != PENDING)
		return;
	r->state[p.index] = UP;
	r->up[p.index] = true;
	r->nup++;
	if (r->cfg->on_up)
		r->cfg->on_up(r->cfg->ctx, p.index, ry_now_ns() - r->sent[p.index * r->per + p.try]);
}

/* What socket s holds, BATCH packets a call.  A bounded number: under a
 * flood of replies the loop must come back to its clock, or no timeout
 * fires while packets keep coming. */
static void take_replies(struct icmp_run *r, struct icmp_sock *s)
{
	struct rxbatch *rx = r->rx;

	if (s->fd < 0)
		return;
	for (int budget = RY_SWEEP_RECV_BUDGET; budget > 0;) {
		unsigned want = budget < BATCH ? (unsigned)budget : BATCH;
		for (unsigned k = 0; k < want; k++) {
			rx->iov[k] = (struct iovec){ rx->buf[k], RX_LEN };
			rx->m[k].msg_hdr = (struct msghdr){ .msg_name = &rx->from[k], .msg_namelen = sizeof rx->from[k],
							    .msg_iov = &rx->iov[k], .msg_iovlen = 1 };
		}
		int got = recvmmsg(s->fd, rx->m, want, MSG_DONTWAIT, NULL);
		if (got <= 0)
			return;		/* EAGAIN, or an error to ignore */
		for (int k = 0; k < got; k++)
			take_packet(r, s, rx->buf[k], rx->m[k].msg_len, &rx->from[k]);
		if ((unsigned)got < want)
			return;		/* drained */
		budget -= got;
	}
}

/* Adds target i's next try to its family's batch. */
static void batch_probe(struct icmp_run *r, uint32_t i)
{
	struct icmp_sock *s = r->t[i].family == AF_INET ? &r->s4 : &r->s6;
	struct txbatch *tx = s->tx;
	unsigned k = tx->n++;
	struct ry_icmp_probe p = { r->magic, i, r->tries[i], ry_icmp_token(r->key, i, r->tries[i]) };
	socklen_t len = ry_ipaddr_to_sockaddr(&r->t[i], &tx->to[k]);

	ry_icmp_build(s->v6, r->id, (uint16_t)i, &p, tx->pkt[k]);
	tx->iov[k] = (struct iovec){ tx->pkt[k], RY_ICMP_LEN };
	tx->m[k].msg_hdr = (struct msghdr){ .msg_name = &tx->to[k], .msg_namelen = len, .msg_iov = &tx->iov[k],
					    .msg_iovlen = 1 };
	tx->idx[k] = i;
}

/* Target i's try left now: its send time, its deadline in the log. */
static void probe_out(struct icmp_run *r, uint32_t i, int64_t now)
{
	r->sent[i * r->per + r->tries[i]] = now;
	r->tries[i]++;
	r->log[r->logn++] = (struct sent){ i, now };
}

/* Hands socket s's batch to the kernel.  A probe the kernel refuses (no
 * route, ...) is counted as sent and reported; one it has no room for
 * (EAGAIN, ENOBUFS) goes back to the front of the queue, and the rest
 * with it.  Returns the probes handed over; *full when some went back. */
static unsigned flush_batch(struct icmp_run *r, struct icmp_sock *s, int64_t now, bool *full)
{
	struct txbatch *tx = s->tx;
	unsigned done = 0;

	while (done < tx->n) {
		int m = sendmmsg(s->fd, tx->m + done, tx->n - done, 0);
		if (m > 0) {
			for (unsigned k = done; k < done + (unsigned)m; k++)
				probe_out(r, tx->idx[k], now);
			done += (unsigned)m;
			continue;
		}
		int err = errno;
		if (err == EAGAIN || err == ENOBUFS || err == EINTR) {
			*full = true;
			break;
		}
		uint32_t i = tx->idx[done++];
		probe_out(r, i, now);
		failed(r, i, ry_strerror(-err), NULL);
	}
	/* What the kernel had no room for: first in line again, in order
	 * (the queue slots before qhead were theirs or skipped ones). */
	for (unsigned k = tx->n; k > done; k--)
		r->queue[--r->qhead] = tx->idx[k - 1];
	tx->n = 0;
	return done;
}

/* Sends what the rate allows now (at no limit, up to 256 probes, so
 * that replies are read between bursts), BATCH at a time per family. */
static void send_due(struct icmp_run *r, int64_t *next_send, int64_t interval)
{
	int64_t now = ry_now_ns();
	unsigned burst = 0;
	bool full = false;

	while (!full && r->qhead < r->qtail && burst < 256 && (!interval || now >= *next_send)) {
		int64_t due = *next_send;
		unsigned taken = 0;
		while (r->qhead < r->qtail && taken < BATCH && burst + taken < 256 && (!interval || now >= due)) {
			uint32_t i = r->queue[r->qhead++];
			if (!r->counting && r->state[i] != PENDING)
				continue;
			batch_probe(r, i);
			taken++;
			due += interval;
		}
		unsigned handed = 0;
		if (r->s4.tx->n)
			handed += flush_batch(r, &r->s4, now, &full);
		if (r->s6.tx->n)
			handed += flush_batch(r, &r->s6, now, &full);
		burst += handed;
		if (interval) {
			*next_send += (int64_t)handed * interval;
			if (*next_send < now - 16 * interval)
				*next_send = now;	/* no catch-up burst after a stall */
		}
		now = ry_now_ns();
		if (taken == 0)
			break;
	}
}

static int open_sock(int family, struct icmp_sock *s)
{
	s->v6 = family == AF_INET6;
	return ry_icmp_open(family, &s->fd, &s->raw);
}

/* Deadlines pass in send order: retry or give up. */
static void expire(struct icmp_run *r, int64_t now)
{
	const struct ry_sweep_config *cfg = r->cfg;

	while (r->exp < r->logn && r->log[r->exp].at + cfg->timeout_ns <= now) {
		uint32_t i = r->log[r->exp].index;
		if (r->counting) {
			/* The try sent at this time: the first open one. */
			for (size_t k = 0; k < r->tries[i]; k++) {
				size_t slot = i * r->per + k;
				if (r->probe[slot] == 0 && r->sent[slot] == r->log[r->exp].at) {
					r->probe[slot] = 2;
					r->closed++;
					break;
				}
			}
			r->exp++;
			continue;
		}
		if (r->state[i] == PENDING && last_sent(r, i) == r->log[r->exp].at) {
			if (r->tries[i] <= cfg->retries) {
				r->queue[r->qtail++] = i;
			} else {
				r->state[i] = GAVE_UP;
				r->gave_up++;
				if (cfg->on_down)
					cfg->on_down(cfg->ctx, i);
			}
		}
		r->exp++;
	}
}

static int icmp_sweep(const struct ry_ipaddr *t, size_t n, const struct ry_sweep_config *cfg, bool *up)
{
	struct icmp_run r = { .t = t, .n = n, .cfg = cfg, .up = up, .s4.fd = -1, .s6.fd = -1 };
	/* Every probe that may be sent, retries included; at least one. */
	size_t slots = n ? n * (cfg->count ? cfg->count : cfg->retries + 1) : 1;
	int64_t interval = cfg->rate ? 1000000000LL / cfg->rate : 0;
	bool want4 = false, want6 = false;
	int rc = 0;

	for (size_t i = 0; i < n; i++)
		*(t[i].family == AF_INET ? &want4 : &want6) = true;
	if ((want4 && (rc = open_sock(AF_INET, &r.s4)) != 0) ||
	    (want6 && (rc = open_sock(AF_INET6, &r.s6)) != 0) || (rc = ry_sweep_sockets_ready(cfg)) != 0)
		goto out;
	int64_t t0 = ry_now_ns();
	r.id = (uint16_t)(getpid() ^ (t0 >> 10));
	r.magic = (uint32_t)(t0 ^ (t0 >> 32) ^ ((uint64_t)getpid() << 16)) | 1;
	if (getrandom(r.key, sizeof r.key, 0) != (ssize_t)sizeof r.key) {
		rc = -errno;
		goto out;
	}
	r.counting = cfg->count > 0;
	r.per = r.counting ? cfg->count : cfg->retries + 1;
	r.tries = calloc(n ? n : 1, sizeof *r.tries);
	r.sent = calloc(slots, sizeof *r.sent);
	r.state = calloc(n ? n : 1, sizeof *r.state);
	/* calloc: it checks the multiplication. */
	r.queue = calloc(slots, sizeof *r.queue);
	r.log = calloc(slots, sizeof *r.log);
	if (r.counting)
		r.probe = calloc(slots, sizeof *r.probe);
	r.rx = malloc(sizeof *r.rx);
	r.s4.tx = calloc(1, sizeof *r.s4.tx);
	r.s6.tx = calloc(1, sizeof *r.s6.tx);
	if (!r.tries || !r.sent || !r.state || !r.queue || !r.log || (r.counting && !r.probe) || !r.rx ||
	    !r.s4.tx || !r.s6.tx) {
		rc = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		r.queue[r.qtail++] = (uint32_t)i;
	r.round = 1;
	r.round_at = t0;

	int64_t next_send = t0;
	while ((r.counting || r.nup < n) && !ry_sweep_stopped(cfg)) {
		int64_t now = ry_now_ns();

		/* Count mode: the next round, a period after the last began
		 * and once it is all sent. */
		if (r.counting && r.round < cfg->count && r.qhead == r.qtail &&
		    now >= r.round_at + cfg->period_ns) {
			for (size_t i = 0; i < n; i++)
				r.queue[r.qtail++] = (uint32_t)i;
			r.round++;
			r.round_at = now;
		}

		send_due(&r, &next_send, interval);
		take_replies(&r, &r.s4);
		take_replies(&r, &r.s6);
		now = ry_now_ns();
		expire(&r, now);
		if (cfg->on_progress)
			cfg->on_progress(cfg->ctx, r.counting ? r.closed / r.per : r.nup + r.gave_up);
		if (r.counting) {
			if (r.round == cfg->count && r.qhead == r.qtail && r.closed == r.logn)
				break;
		} else if ((r.qhead == r.qtail && r.exp == r.logn) || r.nup + r.gave_up == n) {
			break;	/* every target settled: no deadline left to wait for */
		}

		/* Sleep until the next send, round or deadline, or a reply. */
		int64_t wake = r.exp < r.logn ? r.log[r.exp].at + cfg->timeout_ns : now + 50000000;
		if (r.counting && r.round < cfg->count && r.qhead == r.qtail && r.round_at + cfg->period_ns < wake)
			wake = r.round_at + cfg->period_ns;
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
	for (size_t i = 0; cfg->sent && i < n; i++)
		cfg->sent[i] = r.tries ? r.tries[i] : 0;
	if (r.s4.fd >= 0)
		close(r.s4.fd);
	if (r.s6.fd >= 0)
		close(r.s6.fd);
	free(r.s4.tx);
	free(r.s6.tx);
	free(r.rx);
	free(r.tries);
	free(r.sent);
	free(r.state);
	free(r.queue);
	free(r.log);
	free(r.probe);
	return rc;
}

const struct ry_sweep_method ry_sweep_icmp = {
	.name = "icmp", .help = "ICMP echo requests",
	.privileged = true, .has_rtt = true, .counts = true, .run = icmp_sweep,
};
