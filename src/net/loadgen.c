#define _GNU_SOURCE
#include "net/loadgen.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "util/time.h"
#include "core/thread.h"
#include "net/poller.h"
#include "net/tcp.h"
#include "util/out.h"

#define CHUNK ((size_t)64 * 1024)
/* Rate mode: how long before a due send the loop stops sleeping. */
#define SPIN_NS 150000
/* A timed run: how long a lost connection waits before it dials again. */
#define REDIAL_NS 100000000

struct lconn {
	int fd;
	bool connecting, done;
	uint64_t quota;		/* requests still to send; UINT64_MAX: until time */
	uint64_t sent, recvd;	/* sequence numbers */
	size_t roff;		/* bytes of request recvd already matched */
	char *expect;		/* request recvd, built when its echo starts */
	char *out;		/* unsent bytes */
	size_t out_len, out_off, out_cap;
	int64_t *sent_at;	/* ring of depth send times (rate: due times) */
	int64_t last_progress;
	unsigned index;		/* in its thread */
	unsigned mask;		/* the poll events asked for now */
	bool ever;		/* connected once: a later connect is a reconnect */
	int64_t redial_at;	/* timed run, connection lost: dial again then */
};

struct lthread {
	const struct ry_load_config *cfg;
	struct lconn *c;
	unsigned n, live;
	struct ry_poller *poller;
	struct ry_thread *thread;
	char *scratch;
	int64_t end;		/* duration mode deadline */
	/* Constant rate: slot j of the thread is due at t0 + j * step and
	 * belongs to connection j mod n (its request j / n). */
	int64_t t0;
	double step;
	uint64_t next_slot;
	struct ry_load_result res;
};

/* Rate mode: when request seq of connection c is due. */
static int64_t due(const struct lthread *t, const struct lconn *c, uint64_t seq)
{
	return t->t0 + (int64_t)((double)(seq * t->n + c->index) * t->step);
}

/* "%0*llx" of the low hex digits of seq, then filler, then '\n'.  The
 * filler depends on seq too, so a shifted stream cannot match by luck. */
void ry_load_request(uint64_t seq, size_t size, char *buf)
{
	static const char hex[] = "0123456789abcdef";
	size_t digits = size - 1 < 16 ? size - 1 : 16;

	for (size_t i = 0; i < digits; i++)
		buf[digits - 1 - i] = hex[(seq >> (4 * i)) & 15];
	for (size_t i = digits; i < size - 1; i++)
		buf[i] = (char)('a' + (seq + i) % 26);
	buf[size - 1] = '\n';
}

static void finish(struct lthread *t, struct lconn *c)
{
	if (c->fd >= 0) {
		(void)ry_poller_del(t->poller, c->fd);
		close(c->fd);
		c->fd = -1;
	}
	if (!c->done)
		t->live--;
	c->done = true;
}

/* A timed run that is not over: a lost connection dials again (as wrk
 * does), so that a server restarting for a moment does not end it. */
static bool redials(const struct lthread *t, int64_t now)
{
	return t->end && now < t->end && !(t->cfg->stop && atomic_load(t->cfg->stop));
}

/* Drops the connection and waits to dial again: what was in flight is
 * lost (counted by the caller) and sent again on the new connection. */
static void hang_up(struct lthread *t, struct lconn *c, int64_t now)
{
	if (c->fd >= 0) {
		(void)ry_poller_del(t->poller, c->fd);
		close(c->fd);
		c->fd = -1;
	}
	c->connecting = false;
	c->sent = c->recvd;
	c->roff = 0;
	c->out_off = c->out_len = 0;
	c->redial_at = now + REDIAL_NS;
}

/* A connection lost (counter: errors) or a connect that failed
 * (failed_conns): counted, and a timed run dials again. */
static void lost(struct lthread *t, struct lconn *c, uint64_t *counter, int err)
{
	int64_t now = ry_now_ns();

	++*counter;
	if (!t->res.first_error)
		t->res.first_error = err;
	if (redials(t, now))
		hang_up(t, c, now);
	else
		finish(t, c);
}

static void fail(struct lthread *t, struct lconn *c, int err)
{
	lost(t, c, &t->res.errors, err);
}

static void connect_failed(struct lthread *t, struct lconn *c, int err)
{
	lost(t, c, &t->res.failed_conns, err);
}

/* Queues requests up to the depth, then sends what it can. */
static void pump(struct lthread *t, struct lconn *c, int64_t now)
{
	const struct ry_load_config *cfg = t->cfg;
	bool stopping = (cfg->stop && atomic_load(cfg->stop)) || (t->end && now >= t->end);

	if (c->out_off == c->out_len) {
		c->out_off = c->out_len = 0;
		while (!stopping && c->quota > 0 && c->sent - c->recvd < cfg->depth &&
		       c->out_len + cfg->size <= c->out_cap) {
			int64_t at = now;
			if (cfg->rate > 0 && (at = due(t, c, c->sent)) > now)
				break;	/* not due yet */
			ry_load_request(c->sent, cfg->size, c->out + c->out_len);
			c->sent_at[c->sent % cfg->depth] = at;
			c->out_len += cfg->size;
			c->sent++;
			if (c->quota != UINT64_MAX)
				c->quota--;
		}
	}
	if (c->out_off < c->out_len) {
		ssize_t k = ry_tcp_send_some(c->fd, c->out + c->out_off, c->out_len - c->out_off);
		if (k < 0) {
			fail(t, c, (int)k);
			return;
		}
		c->out_off += (size_t)k;
	}
	if (c->sent == c->recvd && (c->quota == 0 || stopping)) {
		finish(t, c);
		return;
	}
	/* A system call only when the interest changes: in the steady
	 * state (everything sent, waiting for the echo) it does not. */
	unsigned want = RY_POLL_IN | (c->out_off < c->out_len ? RY_POLL_OUT : 0);
	if (want != c->mask && ry_poller_mod(t->poller, c->fd, want, c) == 0)
		c->mask = want;
}

/* Checks echoed bytes against the requests in flight. */
static void take(struct lthread *t, struct lconn *c, const char *p, size_t n, int64_t now)
{
	const struct ry_load_config *cfg = t->cfg;

	while (n > 0) {
		if (c->recvd == c->sent) {
			/* Bytes nobody asked for. */
			t->res.mismatches++;
			finish(t, c);
			return;
		}
		if (c->roff == 0)
			ry_load_request(c->recvd, cfg->size, c->expect);
		size_t want = cfg->size - c->roff, k = n < want ? n : want;
		if (memcmp(p, c->expect + c->roff, k) != 0) {
			t->res.mismatches++;
			finish(t, c);
			return;
		}
		c->roff += k;
		p += k;
		n -= k;
		if (c->roff == cfg->size) {
			ry_hist_record(&t->res.lat_ns, (uint64_t)(now - c->sent_at[c->recvd % cfg->depth]));
			t->res.requests++;
			c->recvd++;
			c->roff = 0;
		}
	}
	c->last_progress = now;
	pump(t, c, now);
}

static void on_event(struct lthread *t, struct lconn *c, unsigned ev)
{
	int64_t now = ry_now_ns();

	if (c->connecting) {
		int err = ry_tcp_connect_finish(c->fd);
		if (err) {
			connect_failed(t, c, err);
			return;
		}
		c->connecting = false;
		t->res.connected++;
		t->res.reconnects += c->ever;
		c->ever = true;
		c->last_progress = now;
		pump(t, c, now);
		return;
	}
	if (ev & RY_POLL_OUT) {
		pump(t, c, now);
		if (c->done || c->fd < 0)
			return;
	}
	if (ev & (RY_POLL_IN | RY_POLL_ERR)) {
		ssize_t k = recv(c->fd, t->scratch, CHUNK, 0);
		if (k > 0)
			take(t, c, t->scratch, (size_t)k, now);
		else if (k == 0)
			fail(t, c, -EPIPE);	/* closed with echoes owed */
		else if (errno != EAGAIN && errno != EINTR)
			fail(t, c, -errno);
	}
}

static int open_conn(struct lthread *t, struct lconn *c)
{
	const struct ry_load_config *cfg = t->cfg;
	int rc = ry_tcp_connect_start((const struct sockaddr *)&cfg->addr, cfg->addrlen,
				      RY_TCP_NODELAY, &c->fd);

	if (rc != 0 && rc != -EINPROGRESS) {
		c->fd = -1;
		return rc;
	}
	/* Connected at once or not, the first writable event settles it. */
	c->connecting = true;
	c->mask = RY_POLL_OUT;
	c->last_progress = ry_now_ns();
	return ry_poller_add(t->poller, c->fd, RY_POLL_OUT, c);
}

static void *run(void *arg)
{
	struct lthread *t = arg;
	const struct ry_load_config *cfg = t->cfg;
	struct ry_poll_event ev[256];
	int64_t last_scan = 0;

	t->live = 0;
	for (unsigned i = 0; i < t->n; i++) {
		struct lconn *c = &t->c[i];
		if (c->done)
			continue;
		t->live++;
		int rc = open_conn(t, c);
		if (rc != 0)
			connect_failed(t, c, rc);
	}
	while (t->live > 0) {
		int64_t wait_ns = 20000000;
		if (cfg->rate > 0) {
			/* Release the slots that are due: each connection sends
			 * what is due as far as its depth allows (the rest goes
			 * as echoes free room, still timed from when it was
			 * due).  Then sleep until just before the next slot,
			 * and poll without sleeping for the last stretch: a
			 * timed wake-up comes tens of microseconds late, and a
			 * late send would count as the server's latency. */
			int64_t now = ry_now_ns(), next;
			/* Far behind (a rate past what the connections do):
			 * one pass over every connection releases all that is
			 * due, as each sends what is due up to its depth.  Slot
			 * by slot, -R 100000000 spun for minutes here. */
			double ahead = (double)(now - t->t0) / t->step;
			if (ahead > (double)t->next_slot + t->n)
				t->next_slot = (uint64_t)ahead - t->n;
			while ((next = t->t0 + (int64_t)((double)t->next_slot * t->step)) <= now) {
				struct lconn *c = &t->c[t->next_slot % t->n];
				if (!c->done && !c->connecting && c->fd >= 0)
					pump(t, c, now);
				t->next_slot++;
			}
			wait_ns = next - now - SPIN_NS;
			if (wait_ns < 0)
				wait_ns = 0;
			if (wait_ns > 20000000)
				wait_ns = 20000000;
		}
		int n = ry_poller_wait_ns(t->poller, ev, 256, wait_ns);
		for (int i = 0; i < n; i++) {
			struct lconn *c = ev[i].ptr;
			if (c && !c->done && c->fd >= 0)	/* not lost earlier in this batch */
				on_event(t, c, ev[i].events);
		}
		/* Every 20 ms: time-outs, the end of a timed run, a stop
		 * request.  Not per wake-up: a thousand connections would
		 * make that the hot loop. */
		int64_t now = ry_now_ns();
		if (now - last_scan < 20000000)
			continue;
		last_scan = now;
		for (unsigned i = 0; i < t->n; i++) {
			struct lconn *c = &t->c[i];
			if (c->done)
				continue;
			if (c->fd < 0) {	/* lost: dial again, or the run is over */
				if (!redials(t, now)) {
					finish(t, c);
				} else if (now >= c->redial_at) {
					int rc = open_conn(t, c);
					if (rc != 0)
						connect_failed(t, c, rc);
				}
				continue;
			}
			if (now - c->last_progress > cfg->io_timeout_ns) {
				if (c->connecting)
					connect_failed(t, c, -ETIMEDOUT);
				else
					fail(t, c, -ETIMEDOUT);
				continue;
			}
			if (!c->connecting && c->sent == c->recvd)
				pump(t, c, now);	/* may finish it */
		}
	}
	return NULL;
}

int ry_load_run(const struct ry_load_config *cfg, struct ry_load_result *res)
{
	unsigned nt = cfg->threads;
	struct lthread *t = calloc(nt, sizeof *t);
	struct lconn *conns = calloc(cfg->conns, sizeof *conns);
	int rc = 0;

	memset(res, 0, sizeof *res);
	if (!t || !conns) {
		free(t);
		free(conns);
		return -ENOMEM;
	}
	for (unsigned i = 0; i < cfg->conns; i++) {
		struct lconn *c = &conns[i];
		c->fd = -1;
		c->quota = cfg->requests ? cfg->requests / cfg->conns + (i < cfg->requests % cfg->conns)
					 : UINT64_MAX;
		/* Room for a full window of requests, at most 64 KiB unless
		 * one request is larger. */
		c->out_cap = (size_t)cfg->depth * cfg->size;
		if (c->out_cap > CHUNK)
			c->out_cap = cfg->size > CHUNK ? cfg->size : CHUNK - CHUNK % cfg->size;
		c->out = malloc(c->out_cap);
		c->expect = malloc(cfg->size);
		c->sent_at = calloc(cfg->depth, sizeof *c->sent_at);
		if (!c->out || !c->expect || !c->sent_at) {
			rc = -ENOMEM;
			goto out_free;
		}
		if (c->quota == 0)
			c->done = true;
	}
	int64_t t0 = ry_now_ns();
	unsigned started = 0;
	for (unsigned i = 0, first = 0; i < nt; i++) {
		unsigned n = cfg->conns / nt + (i < cfg->conns % nt);
		t[i].cfg = cfg;
		t[i].c = conns + first;
		t[i].n = n;
		t[i].end = cfg->requests ? 0 : t0 + cfg->duration_ns;
		t[i].t0 = t0;
		/* The thread's share of the rate, over its connections. */
		t[i].step = cfg->rate > 0 && n ? 1e9 * cfg->conns / (cfg->rate * n) : 0;
		for (unsigned k = 0; k < n; k++)
			conns[first + k].index = k;
		first += n;
		t[i].poller = ry_poller_new();
		t[i].scratch = malloc(CHUNK);
		if (!t[i].poller || !t[i].scratch) {
			rc = -ENOMEM;
			break;
		}
		t[i].thread = ry_thread_spawn(run, &t[i], "load");
		if (!t[i].thread) {
			rc = -errno;
			break;
		}
		started++;
	}
	for (unsigned i = 0; i < started; i++) {
		ry_thread_join(t[i].thread, NULL);
		res->requests += t[i].res.requests;
		res->mismatches += t[i].res.mismatches;
		res->errors += t[i].res.errors;
		res->failed_conns += t[i].res.failed_conns;
		res->connected += t[i].res.connected;
		res->reconnects += t[i].res.reconnects;
		if (!res->first_error)
			res->first_error = t[i].res.first_error;
		ry_hist_merge(&res->lat_ns, &t[i].res.lat_ns);
	}
	res->secs = (ry_now_ns() - t0) / 1e9;
	for (unsigned i = 0; i < nt; i++) {
		ry_poller_free(t[i].poller);
		free(t[i].scratch);
	}
	if (started > 0)
		rc = 0;
out_free:
	for (unsigned i = 0; i < cfg->conns; i++) {
		if (conns[i].fd >= 0)
			close(conns[i].fd);
		free(conns[i].out);
		free(conns[i].expect);
		free(conns[i].sent_at);
	}
	free(conns);
	free(t);
	return rc;
}

int ry_load_check(const struct sockaddr *addr, socklen_t len, const char *message, int64_t timeout_ns,
		  bool trim, struct ry_buf *echo, bool *match, bool *connected)
{
	struct ry_buf msg;
	int fd, rc = ry_tcp_connect(addr, len, timeout_ns, &fd);

	*match = false;
	*connected = rc == 0;
	if (rc != 0)
		return rc;
	ry_buf_init(&msg);
	ry_buf_addf(&msg, "%s\n", message);
	int64_t deadline = ry_now_ns() + timeout_ns;
	rc = msg.oom ? -ENOMEM : ry_tcp_write_all(fd, msg.p, msg.len, deadline);
	if (rc == 0)
		rc = ry_tcp_read_line(fd, deadline, (size_t)1024 * 1024 + 1, echo);
	close(fd);
	if (rc == 0) {
		size_t n = echo->len;
		while (trim && n > 0 && echo->p[n - 1] && strchr(" \t\r\v\f", echo->p[n - 1]))
			n--;
		*match = n == msg.len - 1 && memcmp(echo->p ? echo->p : "", msg.p, n) == 0;
	}
	ry_buf_destroy(&msg);
	return rc;
}
