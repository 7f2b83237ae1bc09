#define _GNU_SOURCE
#include "net/gai.h"
#include "net/idn.h"

#include <errno.h>
#include <netdb.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/arc.h"
#include "core/chan.h"
#include "util/time.h"
#include "core/thread.h"

#define IDLE SIZE_MAX

static const char *gai_why(int rc, int *status);

/* One per thread ever started; main reads, its thread writes. */
struct slot {
	atomic_size_t index;		/* query in progress, or IDLE */
	_Atomic int64_t started;	/* when it began (ns) */
	atomic_bool abandoned;		/* main gave up on it */
	struct ry_thread *thread;	/* main only */
	bool detached;			/* main only */
};

/*
 * State shared with the threads, in an arc: abandoned threads may outlive
 * ry_resolver_free, and drop their reference when they end.
 */
struct shared {
	struct ry_lookup *q;		/* copies; strings in one arena */
	char *arena;
	size_t n;
	atomic_size_t next;		/* next query to claim */
	atomic_bool stop;
	atomic_uint alive;		/* threads not yet ended */
	struct slot *slots;		/* max_threads */
};

struct ry_resolver {
	struct shared *sh;		/* main's arc reference */
	struct ry_receiver *rx;		/* struct ry_lookup_result *, or NULL */
	struct ry_sender *tx;		/* cloned for each thread */
	unsigned jobs, max_threads, nthreads, active;
	int64_t timeout;
	bool *done;			/* delivered or timed out */
	bool napped;			/* see ry_resolver_next */
	const atomic_bool *stop;		/* may be NULL */
	size_t delivered;
	void (*idle)(void *ctx);	/* may be NULL */
	void *idle_ctx;
};

struct worker {
	struct shared *sh;		/* this thread's arc reference */
	struct ry_sender *tx;
	struct slot *slot;
};

static void shared_dtor(void *p)
{
	struct shared *sh = p;

	free(sh->q);
	free(sh->arena);
	free(sh->slots);
}

int ry_gai_status(int eai, const char **why)
{
	int status;

	*why = gai_why(eai, &status);
	return status;
}

static const char *gai_why(int rc, int *status)
{
	switch (rc) {
	case EAI_NONAME:
		*status = RY_ENONAME;
		return "name not found";
	case EAI_NODATA:
		*status = RY_ENONAME;
		return "no address for this name";
	case EAI_ADDRFAMILY:
	case EAI_FAMILY:
		*status = RY_ENONAME;
		return "no address of the requested family";
	case EAI_AGAIN:
		*status = -EAGAIN;
		return "no answer from the name server (temporary failure)";
	case EAI_FAIL:
		*status = -EIO;
		return "the name server failed";
	case EAI_SERVICE:
		*status = RY_EBADADDR;
		return "unknown service";
	case EAI_MEMORY:
		*status = -ENOMEM;
		return "out of memory";
	default:
		*status = -EIO;
		return gai_strerror(rc);	/* constant strings in glibc */
	}
}

static bool same_addr(const struct sockaddr_storage *a, const struct addrinfo *ai)
{
	return a->ss_family == ai->ai_family &&
	       memcmp(a, ai->ai_addr, ai->ai_addrlen) == 0;
}

/* Reverse: the address (a literal, a scope allowed) to its name, as
 * getent hosts ADDR does through NSS; NI_NAMEREQD, so an address without
 * a name is an error, not its own text. */
static void lookup_name(const struct ry_lookup *q, struct ry_lookup_result *res)
{
	struct addrinfo hints = { .ai_flags = AI_NUMERICHOST, .ai_socktype = SOCK_STREAM }, *ai;
	char host[NI_MAXHOST];
	int rc = getaddrinfo(q->host, NULL, &hints, &ai);

	if (rc != 0) {
		res->status = RY_EBADADDR;
		res->why = "not an address";
		return;
	}
	rc = getnameinfo(ai->ai_addr, ai->ai_addrlen, host, sizeof host, NULL, 0, NI_NAMEREQD);
	freeaddrinfo(ai);
	if (rc == EAI_NONAME) {
		res->status = RY_ENONAME;
		res->why = "no name for this address";
	} else if (rc == EAI_SYSTEM) {
		res->status = errno ? -errno : -EIO;
		res->why = "system error";
	} else if (rc != 0) {
		res->why = gai_why(rc, &res->status);
	} else if (!(res->name = strdup(host))) {
		res->status = -ENOMEM;
		res->why = "out of memory";
	}
}

void ry_lookup_one(const struct ry_lookup *q, struct ry_lookup_result *res)
{
	struct addrinfo hints = { 0 }, *list, *ai;
	size_t count = 0;
	int rc;

	memset(res, 0, sizeof *res);
	if (q->reverse) {
		lookup_name(q, res);
		return;
	}
	if (q->host && ry_idn_needed(q->host)) {
		/* getaddrinfo's AI_IDN would do it too, through a libidn2 it
		 * loads itself; one conversion for both engines instead. */
		struct ry_lookup ascii = *q;
		char *name;
		if ((res->status = ry_idn_to_ascii(q->host, &name, &res->why)) != 0)
			return;
		ascii.host = name;
		ry_lookup_one(&ascii, res);
		free(name);
		return;
	}
	hints.ai_family = q->family;
	/* One socket type, so each address comes once.  No AI_ADDRCONFIG:
	 * it hides ::1 and 127.0.0.1 on a host with only loopback. */
	hints.ai_socktype = SOCK_STREAM;
	if (q->port && q->port[0] >= '0' && q->port[0] <= '9')
		hints.ai_flags |= AI_NUMERICSERV;
	if (q->passive)
		hints.ai_flags |= AI_PASSIVE;
	rc = getaddrinfo(q->host && *q->host ? q->host : NULL, q->port && *q->port ? q->port : NULL,
			 &hints, &list);
	if (rc == EAI_SYSTEM) {
		res->status = errno ? -errno : -EIO;
		res->why = "system error";
		return;
	}
	if (rc != 0) {
		res->why = gai_why(rc, &res->status);
		return;
	}
	for (ai = list; ai; ai = ai->ai_next)
		count++;
	res->addrs = calloc(count ? count : 1, sizeof *res->addrs);
	if (!res->addrs) {
		freeaddrinfo(list);
		res->status = -ENOMEM;
		res->why = "out of memory";
		return;
	}
	for (ai = list; ai; ai = ai->ai_next) {
		bool dup = false;
		if (ai->ai_addrlen > sizeof res->addrs[0])
			continue;
		for (size_t i = 0; i < res->naddrs && !dup; i++)
			dup = same_addr(&res->addrs[i], ai);
		if (!dup)
			memcpy(&res->addrs[res->naddrs++], ai->ai_addr, ai->ai_addrlen);
	}
	freeaddrinfo(list);
}

void ry_lookup_result_free(struct ry_lookup_result *res)
{
	free(res->addrs);
	free(res->name);
	res->addrs = NULL;
	res->name = NULL;
	res->naddrs = 0;
}

static void *work(void *arg)
{
	struct worker *w = arg;
	struct shared *sh = w->sh;

	while (!atomic_load(&sh->stop) && !atomic_load(&w->slot->abandoned)) {
		size_t i = atomic_fetch_add(&sh->next, 1);
		if (i >= sh->n)
			break;
		atomic_store(&w->slot->started, ry_now_ns());
		atomic_store(&w->slot->index, i);

		struct ry_lookup_result *res = malloc(sizeof *res);
		if (!res)
			break;	/* slot keeps i: main reports it timed out */
		ry_lookup_one(&sh->q[i], res);
		res->index = i;
		atomic_store(&w->slot->index, IDLE);
		/* A send fails only once main has gone; then nobody needs
		 * the result. */
		if (ry_chan_send(w->tx, &res) != 0) {
			ry_lookup_result_free(res);
			free(res);
		}
	}
	/* Tell main a thread ended, so it may start another in its place. */
	atomic_fetch_sub(&sh->alive, 1);
	struct ry_lookup_result *bye = NULL;
	(void)ry_chan_send(w->tx, &bye);
	ry_sender_drop(w->tx);
	ry_arc_drop(sh);
	free(w);
	return NULL;
}

static int spawn_worker(struct ry_resolver *r)
{
	struct shared *sh = r->sh;
	struct slot *slot = &sh->slots[r->nthreads];
	struct worker *w = malloc(sizeof *w);

	if (!w)
		return -ENOMEM;
	atomic_init(&slot->index, IDLE);
	atomic_init(&slot->started, 0);
	atomic_init(&slot->abandoned, false);
	w->sh = ry_arc_clone(sh);
	w->tx = ry_sender_clone(r->tx);
	w->slot = slot;
	atomic_fetch_add(&sh->alive, 1);
	slot->thread = ry_thread_spawn(work, w, "resolver");
	if (!slot->thread) {
		int saved = errno;
		atomic_fetch_sub(&sh->alive, 1);
		ry_sender_drop(w->tx);
		ry_arc_drop(sh);
		free(w);
		return -saved;
	}
	r->nthreads++;
	r->active++;
	return 0;
}

/* Start threads while fewer than jobs are working, work is left, and the
 * total alive (abandoned ones included) stays under the cap. */
static void top_up(struct ry_resolver *r)
{
	struct shared *sh = r->sh;

	while (r->active < r->jobs && r->nthreads < r->max_threads &&
	       atomic_load(&sh->next) < sh->n &&
	       atomic_load(&sh->alive) < 4 * r->jobs) {
		if (spawn_worker(r) != 0)
			break;
	}
}

/* glibc's resolver retries for 5 s x 2 per server unless told otherwise;
 * bound it by our own timeout so that abandoned lookups end too.  A
 * RES_OPTIONS the user set wins. */
static void bound_resolver_retries(int64_t timeout_ns)
{
	char opt[64];
	/* glibc counts whole seconds.  One more than the deadline rounded
	 * up: our deadline always fires first, so a server that does not
	 * answer is always reported the same way ("timed out"), never as
	 * glibc's own EAI_AGAIN when its timer happens to win the race. */
	int64_t secs = (timeout_ns + 999999999) / 1000000000 + 1;

	if (getenv("RES_OPTIONS"))
		return;
	snprintf(opt, sizeof opt, "timeout:%lld attempts:1", (long long)secs);
	setenv("RES_OPTIONS", opt, 1);
}

struct ry_resolver *ry_resolver_start(const struct ry_lookup *q, size_t n,
				      unsigned jobs, int64_t timeout_ns)
{
	struct ry_resolver *r = calloc(1, sizeof *r);
	struct shared *sh = ry_arc_new(sizeof *sh, shared_dtor);
	size_t bytes = 0;

	if (!r || !sh)
		goto out_free;
	if (jobs > n)
		jobs = n ? (unsigned)n : 1;
	r->sh = sh;
	r->jobs = jobs;
	r->timeout = timeout_ns;
	/* Every timeout may abandon a thread and start one more. */
	r->max_threads = (unsigned)(n + jobs < 1u << 20 ? n + jobs : 1u << 20);
	sh->n = n;
	for (size_t i = 0; i < n; i++)
		bytes += strlen(q[i].host) + 1 + (q[i].port ? strlen(q[i].port) + 1 : 0);
	sh->q = calloc(n ? n : 1, sizeof *sh->q);
	sh->arena = malloc(bytes ? bytes : 1);
	sh->slots = calloc(r->max_threads, sizeof *sh->slots);
	r->done = calloc(n ? n : 1, sizeof *r->done);
	if (!sh->q || !sh->arena || !sh->slots || !r->done)
		goto out_free;
	char *p = sh->arena;
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(q[i].host) + 1;
		sh->q[i].host = memcpy(p, q[i].host, len);
		p += len;
		if (q[i].port) {
			len = strlen(q[i].port) + 1;
			sh->q[i].port = memcpy(p, q[i].port, len);
			p += len;
		}
		sh->q[i].family = q[i].family;
		sh->q[i].passive = q[i].passive;
		sh->q[i].reverse = q[i].reverse;
	}
	if (ry_chan_new(sizeof(struct ry_lookup_result *), RY_CHAN_UNBOUNDED, &r->tx, &r->rx) != 0)
		goto out_free;
	bound_resolver_retries(timeout_ns);
	top_up(r);
	if (n > 0 && r->nthreads == 0) {
		ry_resolver_free(r);
		errno = EAGAIN;
		return NULL;
	}
	return r;

out_free:
	if (r)
		free(r->done);
	free(r);
	ry_arc_drop(sh);
	errno = ENOMEM;
	return NULL;
}

/*
 * The earliest deadline among lookups in progress, or 0 for none.
 * Abandoned threads count too: one may have claimed a new query just
 * before main gave up on it, and that query keeps its deadline.
 */
static int64_t next_deadline(struct ry_resolver *r)
{
	int64_t best = 0;

	for (unsigned t = 0; t < r->nthreads; t++) {
		struct slot *s = &r->sh->slots[t];
		size_t i = atomic_load(&s->index);
		if (i == IDLE || r->done[i])
			continue;
		int64_t d = atomic_load(&s->started) + r->timeout;
		if (best == 0 || d < best)
			best = d;
	}
	return best;
}

/* Reports one overdue lookup, if any, and abandons its thread. */
static bool take_overdue(struct ry_resolver *r, struct ry_lookup_result *res)
{
	int64_t now = ry_now_ns();

	for (unsigned t = 0; t < r->nthreads; t++) {
		struct slot *s = &r->sh->slots[t];
		size_t i = atomic_load(&s->index);
		if (i == IDLE || r->done[i] || atomic_load(&s->started) + r->timeout > now)
			continue;
		if (!s->detached) {
			atomic_store(&s->abandoned, true);
			ry_thread_detach(s->thread);
			s->detached = true;
			r->active--;
		}
		r->done[i] = true;
		r->delivered++;
		memset(res, 0, sizeof *res);
		res->index = i;
		res->status = -ETIMEDOUT;
		res->why = "timed out";
		return true;
	}
	return false;
}

int ry_resolver_next(struct ry_resolver *r, struct ry_lookup_result *res)
{
	for (;;) {
		struct ry_lookup_result *got;
		int rc;

		if (r->delivered == r->sh->n)
			return -EPIPE;
		if (r->stop && atomic_load(r->stop))
			return -EINTR;
		if (take_overdue(r, res)) {
			top_up(r);
			return 0;
		}
		/*
		 * Coalesce wake-ups: when the channel is empty, nap 200 us once
		 * before blocking.  Results arrive every few tens of
		 * microseconds in a fast run, and a blocked receiver costs its
		 * sender a futex wake and itself a context switch per result:
		 * measured, 10% of a 10,000-name run on 2 cores.  An idle wait
		 * still blocks after the one nap; output lags by at most 200 us.
		 */
		rc = ry_chan_try_recv(r->rx, &got);
		if (rc == -EAGAIN && !r->napped) {
			struct timespec nap = { 0, 200000 };
			nanosleep(&nap, NULL);
			r->napped = true;
			continue;
		}
		if (rc == -EAGAIN) {
			if (r->idle)
				r->idle(r->idle_ctx);
			/* With no lookup visibly in progress, a thread may have
			 * claimed one and not yet published its start: look
			 * again soon rather than sleep without a deadline. */
			int64_t deadline = next_deadline(r), soon = ry_now_ns() + 50000000;
			if (!deadline || deadline > soon)
				deadline = soon;
			rc = ry_chan_recv_timeout(r->rx, &got, deadline - ry_now_ns());
		}
		r->napped = false;
		if (rc == -ETIMEDOUT)
			continue;
		if (rc != 0)
			return rc;	/* cannot happen: main holds a sender */
		if (!got) {
			top_up(r);	/* a thread ended */
			continue;
		}
		if (r->done[got->index]) {
			/* Timed out earlier: the late answer is dropped. */
			ry_lookup_result_free(got);
			free(got);
			continue;
		}
		r->done[got->index] = true;
		r->delivered++;
		*res = *got;
		free(got);
		return 0;
	}
}

void ry_resolver_set_idle(struct ry_resolver *r, void (*fn)(void *ctx), void *ctx)
{
	r->idle = fn;
	r->idle_ctx = ctx;
}

void ry_resolver_set_stop(struct ry_resolver *r, const atomic_bool *stop)
{
	r->stop = stop;
}

void ry_resolver_free(struct ry_resolver *r)
{
	struct ry_lookup_result *got;

	if (!r)
		return;
	atomic_store(&r->sh->stop, true);
	for (unsigned t = 0; t < r->nthreads; t++) {
		struct slot *s = &r->sh->slots[t];
		if (s->detached)
			continue;
		/* Threads still inside a lookup that was neither delivered
		 * nor timed out exist only when the caller stops early; let
		 * them finish alone rather than wait. */
		size_t i = atomic_load(&s->index);
		if (i != IDLE && !r->done[i])
			ry_thread_detach(s->thread);
		else
			ry_thread_join(s->thread, NULL);
	}
	ry_sender_drop(r->tx);
	/* Free results nobody will read; late ones are freed by senders. */
	while (ry_chan_try_recv(r->rx, &got) == 0) {
		if (got) {
			ry_lookup_result_free(got);
			free(got);
		}
	}
	ry_receiver_drop(r->rx);
	free(r->done);
	ry_arc_drop(r->sh);
	free(r);
}

int ry_lookup_first(const struct ry_lookup *q, int64_t timeout_ns, struct sockaddr_storage *ss,
		    socklen_t *len, const char **why)
{
	struct ry_resolver *r = ry_resolver_start(q, 1, 1, timeout_ns);
	struct ry_lookup_result res;
	int rc;

	if (!r) {
		rc = -errno;
		*why = ry_strerror(rc);
		return rc;
	}
	rc = ry_resolver_next(r, &res);
	ry_resolver_free(r);
	if (rc != 0) {
		*why = ry_strerror(rc);
		return rc;
	}
	rc = res.status;
	*why = res.why;
	if (rc == 0 && res.naddrs == 0) {
		rc = RY_ENONAME;
		*why = "no address for this name";
	}
	if (rc == 0) {
		const struct sockaddr *sa = (const struct sockaddr *)&res.addrs[0];
		*len = sa->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
		memcpy(ss, sa, *len);
	}
	ry_lookup_result_free(&res);
	return rc;
}
