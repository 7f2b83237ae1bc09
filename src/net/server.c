#define _GNU_SOURCE
#include "net/server.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/chan.h"
#include "core/list.h"
#include "util/time.h"
#include "core/thread.h"
#include "net/addr.h"
#include "net/serve_lines.h"
#include "net/poller.h"
#include "net/tcp.h"

#define READ_CHUNK ((size_t)64 * 1024)
#define MAX_EVENTS 256
/* Connections per address are counted in this many buckets, chosen by a
 * keyed hash of the address (IPv4, or an IPv6 address's /64): 256 KiB
 * of counters, of which only the pages peers land on are ever touched.
 * Two addresses share a count only when their buckets collide, about
 * one chance in 65,536 per pair, and the key is random per run, so a
 * peer cannot pick an address that shares a victim's count. */
#define ADDR_BUCKETS 65536u

/* What the acceptor hands a worker. */
struct handoff {
	int fd;
	uint32_t bucket;	/* in per_addr, when counted */
};

struct conn {
	int fd;
	uint32_t bucket;	/* its address's count, in srv->per_addr */
	uint64_t id;
	char peer[RY_ADDRSTR_MAX];
	struct ry_lines b;	/* print/once: partial line; echo: unsent echo */
	size_t off;		/* echo bytes already sent from b */
	int64_t last_active;
	struct ry_link link;	/* the worker's list, least recent first */
	/* With a line timeout: on the worker's list of partial lines, oldest
	 * first, while part of a line is buffered. */
	int64_t line_start;
	struct ry_link line;
	bool rd_closed;		/* the client half-closed */
	bool closing;		/* once: close when buf has gone out */
	bool paused;		/* not read while memory is over budget */
	unsigned events;	/* what the poller watches */
	size_t charged;		/* of b's capacity, counted in *srv->used */
};

struct worker {
	struct ry_server *srv;
	struct ry_poller *poller;
	struct ry_sender *tx;		/* new fds, from the acceptor */
	struct ry_receiver *rx;
	struct ry_thread *thread;
	struct ry_list conns;		/* every open connection */
	struct ry_list lines;		/* partial lines, oldest first */
	int64_t now;			/* read once per wake-up, not per event */
	char *scratch;			/* READ_CHUNK bytes */
	size_t npaused;			/* connections paused by the budget */
};

struct ry_server {
	struct ry_server_config cfg;
	int lfd;
	int reserve_fd;			/* spent on EMFILE to shed a client */
	struct ry_poller *poller;	/* the acceptor's */
	struct ry_thread *acceptor;
	struct worker *workers;
	atomic_bool stop;
	atomic_ulong open;		/* connections open now */
	atomic_uint_fast64_t next_id;
	atomic_uint_fast64_t conns, refused, lines, bytes;
	uint64_t over_addr, held_back;	/* of refused; the acceptor's */
	/* Open connections per address bucket, when a per-address limit or
	 * a reserve is set: the acceptor adds, workers subtract. */
	atomic_uint *per_addr;
	uint64_t hash_key[2];
	atomic_size_t own_used;		/* when the config brings no counter */
	atomic_size_t *used;		/* bytes held: cfg.mem_used or own_used */
	atomic_uint_fast64_t pauses;
};

static void logf_(struct ry_server *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void logf_(struct ry_server *s, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	if (!s->cfg.log)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	s->cfg.log(s->cfg.ctx, msg);
}

/* ---- per-connection buffers ---- */

static void drop_buf(struct conn *c)
{
	ry_lines_free(&c->b);
	c->off = 0;
}

/* Brings the budget's count of c's buffer up to date. */
static void account(struct ry_server *s, struct conn *c)
{
	size_t now = c->b.cap;

	if (now > c->charged)
		atomic_fetch_add_explicit(s->used, now - c->charged, memory_order_relaxed);
	else if (now < c->charged)
		atomic_fetch_sub_explicit(s->used, c->charged - now, memory_order_relaxed);
	c->charged = now;
}

static bool over_budget(const struct ry_server *s)
{
	return s->cfg.mem_budget && atomic_load_explicit(s->used, memory_order_relaxed) >= s->cfg.mem_budget;
}

/* ---- connection list (least recently active first) ---- */

static struct conn *first_conn(const struct worker *w)
{
	return ry_list_first(&w->conns, struct conn, link);
}

static struct conn *oldest_line(const struct worker *w)
{
	return ry_list_first(&w->lines, struct conn, line);
}

static void touch(struct worker *w, struct conn *c)
{
	c->last_active = w->now;
	if (w->conns.tail != &c->link) {
		ry_list_remove(&w->conns, &c->link);
		ry_list_push_tail(&w->conns, &c->link);
	}
}

/* A partial line begins: it joins the line list at the tail, which keeps
 * the list in order of line_start.  Only with a line timeout. */
static void line_begins(struct worker *w, struct conn *c)
{
	if (!w->srv->cfg.line_timeout_ns || ry_list_has(&w->lines, &c->line))
		return;
	c->line_start = w->now;
	ry_list_push_tail(&w->lines, &c->line);
}

/* The partial line is complete (or the connection goes): off the list,
 * if it is on it. */
static void line_ends(struct worker *w, struct conn *c)
{
	if (ry_list_has(&w->lines, &c->line))
		ry_list_remove(&w->lines, &c->line);
}

static void close_conn(struct worker *w, struct conn *c, const char *why)
{
	struct ry_server *s = w->srv;

	if (why)
		logf_(s, "connection %llu from %s closed: %s", (unsigned long long)c->id, c->peer, why);
	else if (s->cfg.verbose)
		logf_(s, "connection %llu from %s closed", (unsigned long long)c->id, c->peer);
	(void)ry_poller_del(w->poller, c->fd);
	close(c->fd);
	if (s->per_addr)
		atomic_fetch_sub_explicit(&s->per_addr[c->bucket], 1, memory_order_relaxed);
	ry_list_remove(&w->conns, &c->link);
	line_ends(w, c);
	drop_buf(c);
	account(s, c);
	if (c->paused)
		w->npaused--;
	free(c);
	atomic_fetch_sub(&s->open, 1);
}

static void watch(struct worker *w, struct conn *c, unsigned events)
{
	if (c->events != events && ry_poller_mod(w->poller, c->fd, events, c) == 0)
		c->events = events;
}

/* ---- print and once modes: line framing ---- */

static void emit(struct ry_server *s, struct conn *c, const char *line, size_t len)
{
	atomic_fetch_add_explicit(&s->lines, 1, memory_order_relaxed);
	if (s->cfg.on_line)
		s->cfg.on_line(s->cfg.ctx, c->peer, line, len);
}

struct line_ctx {
	struct ry_server *s;
	struct conn *c;
};

static void on_line(void *arg, const char *line, size_t len)
{
	struct line_ctx *lc = arg;

	emit(lc->s, lc->c, line, len);
}

/* Print mode: splits data into lines.  false: the connection was closed. */
static bool frame_lines(struct worker *w, struct conn *c, const char *data, size_t n)
{
	struct line_ctx lc = { w->srv, c };
	long done = ry_lines_feed(&c->b, w->srv->cfg.max_line, data, n, on_line, &lc);

	if (done < 0) {
		char why[64];
		if (done == -EMSGSIZE)
			snprintf(why, sizeof why, "line longer than %zu bytes", w->srv->cfg.max_line);
		close_conn(w, c, done == -EMSGSIZE ? why : "out of memory");
		return false;
	}
	/* The line clock restarts with each line. */
	if (done > 0)
		line_ends(w, c);
	if (c->b.len > 0)
		line_begins(w, c);
	return true;
}

/* ---- writing back (echo and once modes) ---- */

/* Sends what is pending.  false: the connection was closed. */
static bool flush_out(struct worker *w, struct conn *c)
{
	if (c->off < c->b.len) {
		ssize_t n = ry_tcp_send_some(c->fd, c->b.buf + c->off, c->b.len - c->off);
		if (n < 0) {
			close_conn(w, c, ry_strerror((int)n));
			return false;
		}
		c->off += (size_t)n;
		if (c->off < c->b.len) {
			/* The client is not reading: stop reading from it
			 * until it has taken its echoes. */
			watch(w, c, RY_POLL_OUT);
			return true;
		}
	}
	drop_buf(c);
	account(w->srv, c);
	if (c->closing || c->rd_closed) {
		close_conn(w, c, NULL);
		return false;
	}
	watch(w, c, RY_POLL_IN);
	return true;
}

static bool echo_back(struct worker *w, struct conn *c, const char *data, size_t n)
{
	/* Try straight from the read buffer; keep only what did not fit. */
	ssize_t k = ry_tcp_send_some(c->fd, data, n);
	if (k < 0) {
		close_conn(w, c, ry_strerror((int)k));
		return false;
	}
	data += k;
	n -= (size_t)k;
	if (n == 0)
		return true;
	if (ry_lines_reserve(&c->b, n) != 0) {
		close_conn(w, c, "out of memory");
		return false;
	}
	memcpy(c->b.buf, data, n);
	c->b.len = n;
	c->off = 0;
	watch(w, c, RY_POLL_OUT);
	return true;
}

/* Once mode: gather the first line, then send it back and close. */
static bool first_line(struct worker *w, struct conn *c, const char *data, size_t n)
{
	struct ry_server *s = w->srv;
	const char *nl = memchr(data, '\n', n);
	size_t take = nl ? (size_t)(nl - data) + 1 : n;

	if (c->b.len + take > s->cfg.max_line + 1) {
		close_conn(w, c, "line too long");
		return false;
	}
	if (ry_lines_reserve(&c->b, c->b.len + take) != 0) {
		close_conn(w, c, "out of memory");
		return false;
	}
	memcpy(c->b.buf + c->b.len, data, take);
	c->b.len += take;
	if (!nl) {
		if (c->b.len > 0)
			line_begins(w, c);
		return true;
	}
	line_ends(w, c);
	emit(s, c, c->b.buf, c->b.len - 1);
	c->closing = true;
	c->off = 0;
	return flush_out(w, c);
}

/* ---- reading ---- */

/* Handles readable data or end of stream.  false: closed. */
static bool on_readable(struct worker *w, struct conn *c)
{
	struct ry_server *s = w->srv;
	ssize_t n = recv(c->fd, w->scratch, READ_CHUNK, 0);

	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
		return true;
	if (n < 0) {
		close_conn(w, c, ry_strerror(-errno));
		return false;
	}
	if (n == 0) {
		c->rd_closed = true;
		if (s->cfg.mode == RY_SERVE_PRINT && c->b.len > 0) {
			/* A last line without its newline still counts. */
			emit(s, c, c->b.buf, c->b.len);
			c->b.len = 0;
		}
		if (c->b.len > c->off && s->cfg.mode == RY_SERVE_ECHO) {
			watch(w, c, RY_POLL_OUT);	/* half-close: finish echoing */
			return true;
		}
		close_conn(w, c, NULL);
		return false;
	}
	atomic_fetch_add_explicit(&s->bytes, (uint64_t)n, memory_order_relaxed);
	touch(w, c);
	bool open = true;
	switch (s->cfg.mode) {
	case RY_SERVE_PRINT:
		open = frame_lines(w, c, w->scratch, (size_t)n);
		break;
	case RY_SERVE_ECHO:
		open = echo_back(w, c, w->scratch, (size_t)n);
		break;
	case RY_SERVE_ONCE:
		open = c->closing ? true : first_line(w, c, w->scratch, (size_t)n);
		break;
	}
	if (open)
		account(s, c);
	return open;
}

/* Over the memory budget: stop reading from c (its client's TCP window
 * fills and pushes back) until the printer has caught up. */
static void pause_reading(struct worker *w, struct conn *c)
{
	watch(w, c, c->events & ~RY_POLL_IN);
	c->paused = true;
	w->npaused++;
	atomic_fetch_add_explicit(&w->srv->pauses, 1, memory_order_relaxed);
}

static void resume_reading(struct worker *w)
{
	for (struct ry_link *l = w->conns.head; l && w->npaused; l = l->next) {
		struct conn *c = ry_list_entry(l, struct conn, link);
		if (!c->paused)
			continue;
		c->paused = false;
		w->npaused--;
		watch(w, c, c->events | RY_POLL_IN);
	}
}

/* ---- the worker's event loop ---- */

/* A connection handed over that will not be served after all. */
static void abandon(struct ry_server *s, const struct handoff *h)
{
	close(h->fd);
	if (s->per_addr)
		atomic_fetch_sub_explicit(&s->per_addr[h->bucket], 1, memory_order_relaxed);
	atomic_fetch_sub(&s->open, 1);
}

static void adopt(struct worker *w, const struct handoff *h)
{
	struct ry_server *s = w->srv;
	struct conn *c = calloc(1, sizeof *c);
	int fd = h->fd, one = 1;

	if (!c) {
		abandon(s, h);
		return;
	}
	c->fd = fd;
	c->bucket = h->bucket;
	c->id = atomic_fetch_add(&s->next_id, 1) + 1;
	ry_tcp_peer_str(fd, c->peer, sizeof c->peer);
	c->last_active = w->now = ry_now_ns();
	c->events = RY_POLL_IN;
	/* Echoes go out at once, not after Nagle's delay. */
	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	if (ry_poller_add(w->poller, fd, RY_POLL_IN, c) != 0) {
		free(c);
		abandon(s, h);
		return;
	}
	ry_list_push_tail(&w->conns, &c->link);
	atomic_fetch_add_explicit(&s->conns, 1, memory_order_relaxed);
	if (s->cfg.verbose)
		logf_(s, "connection %llu from %s opened", (unsigned long long)c->id, c->peer);
}

static void adopt_new(struct worker *w)
{
	struct handoff h;

	while (ry_chan_try_recv(w->rx, &h) == 0)
		adopt(w, &h);
}

static void close_idle(struct worker *w, int64_t now)
{
	int64_t idle = w->srv->cfg.idle_timeout_ns;

	struct conn *c;

	while ((c = first_conn(w)) && now - c->last_active >= idle) {
		char why[64];
		snprintf(why, sizeof why, "idle for %.3g s", idle / 1e9);
		close_conn(w, c, why);
	}
}

static void close_slow_lines(struct worker *w, int64_t now)
{
	int64_t limit = w->srv->cfg.line_timeout_ns;

	struct conn *c;

	while ((c = oldest_line(w)) && now - c->line_start >= limit) {
		char why[64];
		snprintf(why, sizeof why, "line not complete after %.3g s", limit / 1e9);
		close_conn(w, c, why);
	}
}

/* Milliseconds until the next deadline (idle or line), or -1 for none.
 * Capped at an hour: a year's --idle-timeout would overflow an int. */
static int next_deadline_ms(const struct worker *w)
{
	const struct ry_server_config *cfg = &w->srv->cfg;
	bool any = false;
	int64_t at = 0;

	const struct conn *c = first_conn(w), *oldest = oldest_line(w);

	if (cfg->idle_timeout_ns > 0 && c) {
		at = c->last_active + cfg->idle_timeout_ns;
		any = true;
	}
	if (cfg->line_timeout_ns > 0 && oldest) {
		int64_t l = oldest->line_start + cfg->line_timeout_ns;
		if (!any || l < at)
			at = l;
		any = true;
	}
	if (!any)
		return -1;
	int64_t left = at - w->now;
	if (left <= 0)
		return 0;
	return left >= (int64_t)3600 * 1000000000 ? 3600 * 1000 : (int)(left / 1000000) + 1;
}

/* On stop: take what clients already sent, hand over complete lines,
 * close everything. */
static void drain(struct worker *w)
{
	struct ry_server *s = w->srv;
	struct conn *c;

	adopt_new(w);
	while ((c = first_conn(w))) {
		bool open = true;
		if (s->cfg.mode == RY_SERVE_PRINT) {
			/* Only what had arrived when the stop came: a client
			 * that keeps sending must not keep us draining. */
			int pending = 0;
			if (ioctl(c->fd, FIONREAD, &pending) != 0)
				pending = 0;
			while (open && pending > 0) {
				size_t want = (size_t)pending < READ_CHUNK ? (size_t)pending : READ_CHUNK;
				ssize_t n = recv(c->fd, w->scratch, want, MSG_DONTWAIT);
				if (n <= 0)
					break;
				pending -= (int)n;
				atomic_fetch_add_explicit(&s->bytes, (uint64_t)n, memory_order_relaxed);
				open = frame_lines(w, c, w->scratch, (size_t)n);
			}
		}
		if (open)
			close_conn(w, c, NULL);
	}
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct ry_server *s = w->srv;
	struct ry_poll_event ev[MAX_EVENTS];
	int64_t idle = s->cfg.idle_timeout_ns;

	for (;;) {
		int timeout = next_deadline_ms(w);
		/* Paused by the budget: look again every 10 ms whether the
		 * printer has freed enough. */
		if (w->npaused && (timeout < 0 || timeout > 10))
			timeout = 10;
		int n = ry_poller_wait(w->poller, ev, MAX_EVENTS, timeout);
		w->now = ry_now_ns();
		if (atomic_load(&s->stop))
			break;
		if (w->npaused && !over_budget(s))
			resume_reading(w);
		for (int i = 0; i < n; i++) {
			struct conn *c = ev[i].ptr;
			if (!c) {
				adopt_new(w);
				continue;
			}
			/* A connection closed earlier in this batch cannot show
			 * up again: close_conn removes it from the poller, and
			 * epoll reports each fd once per wait. */
			if (ev[i].events & RY_POLL_OUT) {
				if (!flush_out(w, c))
					continue;
			}
			/* Read when reading is wanted, or to report an error
			 * (and close) that no write above has seen. */
			bool err = ev[i].events & RY_POLL_ERR;
			if ((c->events & RY_POLL_IN) && !err && over_budget(s)) {
				pause_reading(w, c);
				continue;
			}
			if ((c->events & RY_POLL_IN) ? (ev[i].events & RY_POLL_IN) || err
						     : err && !(ev[i].events & RY_POLL_OUT))
				on_readable(w, c);
		}
		if (idle > 0)
			close_idle(w, w->now);
		if (s->cfg.line_timeout_ns > 0)
			close_slow_lines(w, w->now);
		if (s->cfg.on_round)
			s->cfg.on_round(s->cfg.ctx);
	}
	drain(w);
	if (s->cfg.on_round)
		s->cfg.on_round(s->cfg.ctx);
	return NULL;
}

/* ---- the acceptor ---- */

/* Out of descriptors: spend the reserve one to accept and shed the
 * client (so it hears a close, not silence), then take it back.  If even
 * that fails, pause accepting briefly rather than spin. */
static bool shed_one(struct ry_server *s)
{
	if (s->reserve_fd >= 0) {
		close(s->reserve_fd);
		int fd = accept4(s->lfd, NULL, NULL, SOCK_CLOEXEC);
		if (fd >= 0) {
			close(fd);
			atomic_fetch_add(&s->refused, 1);
		}
		s->reserve_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
		return fd >= 0;
	}
	return false;
}

static uint64_t mix64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/* The count bucket of a peer: its IPv4 address (also when mapped into
 * IPv6), or the /64 of its IPv6 address, which one user usually holds
 * whole. */
static uint32_t addr_bucket(const struct ry_server *s, const struct sockaddr_storage *ss)
{
	uint64_t k = 0, fam = 4;

	if (ss->ss_family == AF_INET) {
		k = ((const struct sockaddr_in *)ss)->sin_addr.s_addr;
	} else if (ss->ss_family == AF_INET6) {
		const struct in6_addr *a = &((const struct sockaddr_in6 *)ss)->sin6_addr;
		if (IN6_IS_ADDR_V4MAPPED(a)) {
			memcpy(&k, a->s6_addr + 12, 4);
		} else {
			memcpy(&k, a->s6_addr, 8);
			fam = 6;
		}
	}
	return (uint32_t)(mix64(mix64(k ^ s->hash_key[0]) ^ fam ^ s->hash_key[1]) % ADDR_BUCKETS);
}

/* Whether a new connection from bucket b may be served, with `open`
 * connections open: max_conns in all, per_addr_max from one address,
 * and the last `reserve` slots only for addresses holding none. */
static bool admit(struct ry_server *s, unsigned long open, uint32_t b)
{
	const struct ry_server_config *cfg = &s->cfg;
	unsigned mine = s->per_addr ? atomic_load_explicit(&s->per_addr[b], memory_order_relaxed) : 0;
	const char *why = NULL;

	if (open >= cfg->max_conns) {
		why = "--max-conns";
	} else if (cfg->per_addr_max && mine >= cfg->per_addr_max) {
		s->over_addr++;
		why = "the per-address limit";
	} else if (mine > 0 && open + cfg->reserve >= cfg->max_conns) {
		s->held_back++;
		why = "the rest is kept for new addresses";
	}
	if (!why)
		return true;
	atomic_fetch_add(&s->refused, 1);
	if (cfg->verbose)
		logf_(s, "connection refused: %lu open (%s)", open, why);
	return false;
}

static void *acceptor_main(void *arg)
{
	struct ry_server *s = arg;
	struct ry_poll_event ev[8];
	unsigned next = 0;
	bool paused = false, warned = false;

	while (!atomic_load(&s->stop)) {
		int n = ry_poller_wait(s->poller, ev, 8, paused ? 100 : -1);
		if (atomic_load(&s->stop))
			break;
		if (paused) {
			paused = false;
			(void)ry_poller_add(s->poller, s->lfd, RY_POLL_IN, s);
		}
		if (n <= 0)
			continue;
		/* Take every pending connection: with a backlog of thousands,
		 * one accept per wake-up would fall behind a burst. */
		for (int k = 0; k < 1024; k++) {
			struct sockaddr_storage peer = { .ss_family = AF_UNSPEC };
			socklen_t plen = sizeof peer;
			int fd = accept4(s->lfd, (struct sockaddr *)&peer, &plen, SOCK_NONBLOCK | SOCK_CLOEXEC);
			if (fd < 0) {
				if (errno == EINTR || errno == ECONNABORTED)
					continue;
				if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
					if (!warned)
						logf_(s, "out of file descriptors (%s): shedding new connections",
						      ry_strerror(-errno));
					warned = true;
					if (!shed_one(s)) {
						(void)ry_poller_del(s->poller, s->lfd);
						paused = true;
					}
				}
				break;
			}
			warned = false;
			struct handoff h = { fd, s->per_addr ? addr_bucket(s, &peer) : 0 };
			if (!admit(s, atomic_load(&s->open), h.bucket)) {
				close(fd);
				continue;
			}
			atomic_fetch_add(&s->open, 1);
			if (s->per_addr)
				atomic_fetch_add_explicit(&s->per_addr[h.bucket], 1, memory_order_relaxed);
			struct worker *w = &s->workers[next++ % s->cfg.workers];
			if (ry_chan_send(w->tx, &h) != 0) {
				abandon(s, &h);
				continue;
			}
			ry_poller_wake(w->poller);
		}
	}
	return NULL;
}

/* ---- start and stop ---- */

static void free_workers(struct ry_server *s, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		struct worker *w = &s->workers[i];
		struct handoff h;
		/* Connections handed over but never adopted. */
		while (w->rx && ry_chan_try_recv(w->rx, &h) == 0)
			close(h.fd);
		ry_sender_drop(w->tx);
		ry_receiver_drop(w->rx);
		ry_poller_free(w->poller);
		free(w->scratch);
	}
	free(s->workers);
}

struct ry_server *ry_server_start(int lfd, const struct ry_server_config *cfg)
{
	struct ry_server *s = calloc(1, sizeof *s);
	unsigned started = 0;
	int saved = ENOMEM;

	if (!s)
		return NULL;
	s->cfg = *cfg;
	s->used = cfg->mem_used ? cfg->mem_used : &s->own_used;
	s->lfd = lfd;
	s->reserve_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	s->workers = calloc(cfg->workers, sizeof *s->workers);
	s->poller = ry_poller_new();
	if (!s->workers || !s->poller)
		goto out_free;
	if (cfg->per_addr_max || cfg->reserve) {
		s->per_addr = calloc(ADDR_BUCKETS, sizeof *s->per_addr);
		if (!s->per_addr ||
		    getrandom(s->hash_key, sizeof s->hash_key, 0) != (ssize_t)sizeof s->hash_key)
			goto out_free;
	}
	for (unsigned i = 0; i < cfg->workers; i++) {
		struct worker *w = &s->workers[i];
		w->srv = s;
		w->poller = ry_poller_new();
		w->scratch = malloc(READ_CHUNK);
		if (!w->poller || !w->scratch ||
		    ry_chan_new(sizeof(struct handoff), RY_CHAN_UNBOUNDED, &w->tx, &w->rx) != 0)
			goto out_stop;
	}
	for (; started < cfg->workers; started++) {
		struct worker *w = &s->workers[started];
		w->thread = ry_thread_spawn(worker_main, w, "serve-worker");
		if (!w->thread) {
			saved = errno;
			goto out_stop;
		}
	}
	if (ry_poller_add(s->poller, lfd, RY_POLL_IN, s) != 0)
		goto out_stop;
	s->acceptor = ry_thread_spawn(acceptor_main, s, "serve-accept");
	if (!s->acceptor) {
		saved = errno;
		goto out_stop;
	}
	return s;

out_stop:
	atomic_store(&s->stop, true);
	for (unsigned i = 0; i < started; i++) {
		ry_poller_wake(s->workers[i].poller);
		ry_thread_join(s->workers[i].thread, NULL);
	}
	free_workers(s, cfg->workers);
	s->workers = NULL;
out_free:
	ry_poller_free(s->poller);
	free(s->workers);
	free(s->per_addr);
	if (s->reserve_fd >= 0)
		close(s->reserve_fd);
	free(s);
	errno = saved;
	return NULL;
}

void ry_server_stop(struct ry_server *s)
{
	atomic_store(&s->stop, true);
	ry_poller_wake(s->poller);
	ry_thread_join(s->acceptor, NULL);
	close(s->lfd);
	for (unsigned i = 0; i < s->cfg.workers; i++)
		ry_poller_wake(s->workers[i].poller);
	for (unsigned i = 0; i < s->cfg.workers; i++)
		ry_thread_join(s->workers[i].thread, NULL);
}

void ry_server_get_stats(struct ry_server *s, struct ry_server_stats *st)
{
	st->conns = atomic_load(&s->conns);
	st->refused = atomic_load(&s->refused);
	st->lines = atomic_load(&s->lines);
	st->bytes = atomic_load(&s->bytes);
	st->pauses = atomic_load(&s->pauses);
	/* Written by the acceptor alone, which a stop has joined. */
	st->over_addr = s->over_addr;
	st->held_back = s->held_back;
}

void ry_server_free(struct ry_server *s)
{
	if (!s)
		return;
	free_workers(s, s->cfg.workers);
	ry_poller_free(s->poller);
	if (s->reserve_fd >= 0)
		close(s->reserve_fd);
	free(s->per_addr);
	free(s);
}
