/*
 * dns: c-ares on rustyc's poller, with per-name deadlines, a congestion
 * window and a wide probe when no server answers (see dns.h).
 */
#include "net/dns.h"

#include <arpa/inet.h>
#include <ares.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "core/list.h"
#include "net/addr.h"
#include "net/hosts.h"
#include "net/idn.h"
#include "net/poller.h"
#include "util/time.h"

#define INITIAL_WINDOW 64
/* The window's floor after cuts: room for new names beside the tries of
 * names that were lost, and still under the few dozen datagrams that the
 * smallest server queue measured (dnsmasq's) takes. */
#define MIN_WINDOW 16
/* Of the window, kept for names not yet asked (see pump). */
#define RESERVE 4
#define MAX_RTO_NS 2000000000LL
#define MIN_RTO_NS 20000000LL
#define FIRST_RTO_NS 250000000LL
#define HYSTART_NS 4000000LL
#define BURST 64
/* Backoff: a name's tries wait 1, 2, 4, 8, then 16 x the RTO, so that a
 * name nobody answers costs a server about ten queries a deadline
 * (dnsmasq refuses everything past 150 forwards waiting). */
#define LEVELS 5

/* One name, from submit to its answer. */
struct job {
	struct ry_link fly;		/* the flight list, by deadline */
	struct ry_link q;		/* the new or a retry queue, or the graveyard */
	struct ry_dns *d;
	char *qname;			/* what is asked (the arpa name for PTR) */
	void *user;
	int64_t deadline;		/* 0 until the first query */
	uint16_t types[RY_DNS_MAXTYPES];
	int status[RY_DNS_MAXTYPES];	/* ARES_* of each type's last attempt */
	unsigned ntypes;
	unsigned unsettled;		/* bit i: type i has no final outcome */
	unsigned unsent;		/* bit i: type i waits to be sent (again) */
	unsigned out;			/* attempts in c-ares */
	uint8_t tries[RY_DNS_MAXTYPES];	/* attempts sent per type */
	unsigned lost;			/* bit i: a try of type i timed out */
	int64_t lost_sent;		/* when the last try that timed out left */
	bool reverse, started, done, in_retry, buried;
	struct ry_dns_rrset rrs;
};

/* A queue of jobs through their q links. */
static struct job *jobq_pop(struct ry_list *q)
{
	struct ry_link *l = ry_list_pop_head(q);

	return l ? ry_list_entry(l, struct job, q) : NULL;
}

/* One query in c-ares: the job may be done (orphaned) when it returns.
 * Until it is answered or its retransmission timer fires, it is on the
 * engine's timer list and counts against the window. */
struct attempt {
	struct ry_link link;		/* the timer list, by expiry */
	struct job *job;
	unsigned type_index;
	int64_t sent, expire;
	bool timing;			/* on the timer list */
	uint8_t level;			/* which one: the backoff */
	bool ghost;			/* a wait before a retry, not a query */
	bool fired;			/* its timer fired: counted as lost */
};

struct ry_dns {
	ares_channel ch;
	unsigned recv_left;		/* datagrams c-ares may still read now */
	struct ry_poller *poller;
	struct ry_hosts *hosts;
	ry_dns_done_fn *done;
	void *ctx;
	int64_t timeout_ns, max_rto;
	unsigned jobs;

	struct ry_list fly;			/* started, not done */
	size_t flying;
	struct ry_list fresh;			/* submitted, not started */
	size_t queued;
	/* Started, types to resend: [0] names that lost one try (most
	 * likely a queue overflowing: they go first), [1] names that lost
	 * two or more (most likely names nobody answers: after new ones). */
	struct ry_list retry[2];
	struct ry_list graveyard;		/* done, to free (reap) */

	size_t out;			/* attempts in c-ares, orphans too */
	/* Timer lists, one per backoff level: within a level every try
	 * waits the same multiple of the RTO, so each list is in expiry
	 * order (one list would not be, with tries of several levels). */
	struct ry_list timers[LEVELS];
	size_t live;			/* attempts on the timer list */
	int64_t srtt, rttvar, rto;	/* RFC 6298, per engine */
	int64_t min_rtt;
	double window, ssthresh, cap;
	int64_t last_cut;		/* when the window was last halved */
	int64_t idle_since;		/* when names last began to wait */
	bool busy;			/* names in flight or queued */
	bool heard_any;			/* some server answered something */
	bool refused_any;		/* some try was refused (no server there) */
	bool silent;			/* nothing heard for a deadline: see pump */
	bool more;			/* pump stopped at a burst's end */
	int err;			/* the poller's error, if any */
	uint64_t finished;		/* names handed to the callback */
	struct ry_dns_stats st;
};

/* ---- results ---- */

/* The name in flight whose deadline comes first, or NULL. */
static struct job *fly_first(const struct ry_dns *d)
{
	return ry_list_first(&d->fly, struct job, fly);
}

static void fly_unlink(struct ry_dns *d, struct job *j)
{
	ry_list_remove(&d->fly, &j->fly);
	d->flying--;
	if (d->flying == 0 && d->queued == 0)
		d->busy = false;
}

static void job_free(struct job *j)
{
	ry_dns_rrset_free(&j->rrs);
	free(j->qname);
	free(j);
}

/* The outcome of a name from the outcomes of its types. */
static void job_status(const struct job *j, struct ry_dns_answer *ans)
{
	bool nxdomain = false, timeout = false, nodata = false, servfail = false, refused = false,
	     unreachable = false, bad = false;

	if (j->rrs.n > 0) {
		ans->status = 0;
		ans->why = NULL;
		return;
	}
	for (unsigned i = 0; i < j->ntypes; i++) {
		switch (j->status[i]) {
		case ARES_ENOTFOUND: nxdomain = true; break;
		case ARES_ETIMEOUT: timeout = true; break;
		case ARES_ENODATA: nodata = true; break;
		case ARES_ESERVFAIL: servfail = true; break;
		case ARES_EREFUSED: refused = true; break;
		case ARES_ECONNREFUSED: unreachable = true; break;
		default: bad = true; break;
		}
	}
	if (nxdomain) {
		ans->status = RY_ENONAME;
		ans->why = "name not found";
	} else if (nodata && !timeout) {
		ans->status = RY_ENONAME;
		ans->why = j->reverse ? "no name for this address"
			 : j->types[0] == RY_DNS_A || j->types[0] == RY_DNS_AAAA ? "no address"
			 : "no record of that type";
	} else if ((unreachable || timeout) && !j->d->heard_any && j->d->refused_any) {
		/* One cause, one reason: a closed port refuses some tries and
		 * lets others go unanswered (a connected UDP socket reports an
		 * ICMP error to the next send, not to the query it was for).
		 * Once a server has answered, a refusal is only a connection
		 * that closed (c-ares ends every query on it), and the name
		 * timed out. */
		ans->status = -ECONNREFUSED;
		ans->why = "no name server reachable (connection refused)";
	} else if (timeout || unreachable) {
		ans->status = -ETIMEDOUT;
		ans->why = !j->d->heard_any ? "timed out: no answer from the name server" : "timed out";
	} else if (servfail) {
		ans->status = -EAGAIN;
		ans->why = "server failure (SERVFAIL)";
	} else if (refused) {
		ans->status = -ECONNREFUSED;
		ans->why = "refused by the name server";
	} else {
		ans->status = -EIO;
		ans->why = bad ? "malformed answer" : "lookup failed";
	}
}

/* The name is answered: out to the caller.  The caller then drops its
 * hold with job_put. */
static void job_finish(struct ry_dns *d, struct job *j)
{
	struct ry_dns_answer ans;

	if (j->done)
		return;
	j->done = true;
	if (j->started)
		fly_unlink(d, j);
	job_status(j, &ans);
	ans.rrs = j->rrs;
	memset(&j->rrs, 0, sizeof j->rrs);
	d->finished++;
	d->done(d->ctx, j->user, &ans);
	ry_dns_rrset_free(&ans.rrs);
}

/* Frees a finished job once nothing refers to it: no attempt in c-ares
 * or on the timer list, no place in the retry queue. */
static void job_put(struct job *j)
{
	struct ry_dns *d = j->d;

	/* Freed later (reap), at the end of the call that came in from the
	 * caller: callbacks from c-ares may run inside any step of this
	 * file, and none of them then finds a job gone under its feet. */
	if (j->done && j->out == 0 && !j->in_retry && !j->buried) {
		j->buried = true;
		ry_list_push_tail(&d->graveyard, &j->q);
	}
}

static void reap(struct ry_dns *d)
{
	struct job *j;

	while ((j = jobq_pop(&d->graveyard)))
		job_free(j);
}

/* ---- sending ---- */

static void on_answer(void *arg, int status, int timeouts, unsigned char *abuf, int alen);

static void timer_unlink(struct ry_dns *d, struct attempt *a)
{
	if (!a->timing)
		return;
	ry_list_remove(&d->timers[a->level], &a->link);
	a->timing = false;
	d->live--;
}

static void timer_add(struct ry_dns *d, struct attempt *a, unsigned level)
{
	a->level = (uint8_t)level;
	ry_list_push_tail(&d->timers[level], &a->link);
}

/* The timer that fires first, or NULL. */
static struct attempt *timer_first(const struct ry_dns *d)
{
	struct attempt *first = NULL;

	for (int l = 0; l < LEVELS; l++) {
		struct attempt *a = ry_list_first(&d->timers[l], struct attempt, link);
		if (a && (!first || a->expire < first->expire))
			first = a;
	}
	return first;
}

static void send_type(struct ry_dns *d, struct job *j, unsigned i)
{
	struct attempt *a = malloc(sizeof *a);
	int64_t now = ry_now_ns();
	unsigned backoff = j->tries[i] < LEVELS - 1 ? j->tries[i] : LEVELS - 1;

	if (!a) {
		j->status[i] = ARES_ENOMEM;
		j->unsettled &= ~(1u << i);
		return;
	}
	/* Each try of a name waits twice as long as the one before. */
	*a = (struct attempt){ .job = j, .type_index = i, .sent = now,
			       .expire = now + (d->rto << backoff), .timing = true };
	timer_add(d, a, backoff);
	d->live++;
	j->tries[i]++;
	j->status[i] = ARES_SUCCESS;	/* this try has not said anything yet */
	j->unsent &= ~(1u << i);
	j->out++;
	d->out++;
	d->st.queries++;
	if (j->reverse)
		ares_query(d->ch, j->qname, 1 /* IN */, j->types[i], on_answer, a);
	else
		ares_search(d->ch, j->qname, 1 /* IN */, j->types[i], on_answer, a);
}

/* c-ares may answer at once (a bad name): the job is pinned by one
 * extra count of `out` until the loop is over. */
static void send_job(struct ry_dns *d, struct job *j)
{
	j->out++;
	for (unsigned i = 0; i < j->ntypes && !j->done; i++)
		if (j->unsent & (1u << i))
			send_type(d, j, i);
	if (!j->done && j->unsettled == 0)
		job_finish(d, j);
	j->out--;
	job_put(j);
}

static void start_job(struct ry_dns *d, struct job *j)
{
	int64_t now = ry_now_ns();

	j->started = true;
	j->deadline = now + d->timeout_ns;
	if (!d->busy) {
		d->busy = true;
		d->idle_since = now;
	}
	ry_list_push_tail(&d->fly, &j->fly);
	d->flying++;
	send_job(d, j);
}

/* Out of time: each type left unsettled ends as timed out (job_status
 * tells a server that refused from one that is silent). */
static void expire(struct ry_dns *d, struct job *j)
{
	for (unsigned i = 0; i < j->ntypes; i++)
		if ((j->unsettled & (1u << i)) && (j->status[i] == ARES_SUCCESS || j->status[i] == ARES_ETIMEOUT))
			j->status[i] = ARES_ETIMEOUT;
	j->unsettled = 0;
	job_finish(d, j);
	job_put(j);
}

/* Names in flight at most while no server answers (see dns.h): every
 * name still gets its one query, and memory stays bounded. */
#define SILENT_MAX 65536

/* Sends retries and new names as the window allows, at most BURST
 * queries at a time: a server's socket buffer holds a few hundred
 * datagrams, and a window's worth sent back to back would overflow it
 * however fast the server drains it between bursts.
 *
 * Retries of names that lost one try go first, as their deadlines run,
 * but RESERVE queries of the window are kept for names not yet asked;
 * names that lost two tries or more (most likely names a server never
 * answers) are sent again only after the new names, so they cannot hold
 * the window while answerable names wait behind them: each name's fate
 * depends on its own queries.
 *
 * While no server has answered anything for a whole deadline (silent),
 * each new name is sent once, without the window or --jobs: a black
 * hole then costs two deadlines however long the list, and a list whose
 * first names all go unanswered still has every later name asked. */
/* Retries of queue q, oldest first, while fewer than limit queries are
 * in flight. */
static void send_retries(struct ry_dns *d, struct ry_list *q, double limit, uint64_t stop_at)
{
	while (!ry_list_empty(q) && (double)d->live < limit) {
		if (d->st.queries >= stop_at) {
			d->more = true;
			return;
		}
		struct job *j = jobq_pop(q);
		j->in_retry = false;
		if (j->done) {
			job_put(j);
			continue;
		}
		d->st.retries++;
		send_job(d, j);
	}
}

static void pump(struct ry_dns *d)
{
	uint64_t stop_at = d->st.queries + BURST;
	bool can_start = !ry_list_empty(&d->fresh) && d->flying < (d->silent ? SILENT_MAX : d->jobs);

	d->more = false;
	/* Retries first (their names' deadlines run), but never into the
	 * few queries of the window kept for names not yet asked.  A fixed
	 * few, not a share: a share held back the retries that end a clean
	 * run (10% slower against dnsmasq).  Until some server has answered,
	 * new names go first: each is a probe, and a retry of a name that
	 * has not been answered tells less than a name not yet asked. */
	send_retries(d, &d->retry[0], !can_start ? d->window : d->heard_any ? d->window - RESERVE : 0,
		     stop_at);
	struct job *j;

	while ((j = ry_list_first(&d->fresh, struct job, q)) && !d->more) {
		if (d->silent ? d->flying >= SILENT_MAX
			      : d->flying >= d->jobs || (d->live > 0 && (double)(d->live + j->ntypes) > d->window))
			break;
		if (d->st.queries >= stop_at) {
			d->more = true;
			break;
		}
		(void)jobq_pop(&d->fresh);
		d->queued--;
		start_job(d, j);
	}
	if (!d->more)
		send_retries(d, &d->retry[0], d->window, stop_at);
	if (!d->more)
		send_retries(d, &d->retry[1], d->window, stop_at);
}

static void retry_later(struct ry_dns *d, struct job *j, unsigned i)
{
	j->unsent |= 1u << i;
	if (j->in_retry)
		return;
	j->in_retry = true;
	ry_list_push_tail(&d->retry[j->tries[i] >= 2], &j->q);
}

/* A loss confirmed: a try of a name timed out and a later try of the
 * same name was answered, so the server answers that name and the lost
 * try was dropped on the way (a queue overflowing), not ignored.  Halves
 * the window, once per round: a loss of a query sent before the last
 * cut does not cut again.
 *
 * A timer firing alone is no signal: a name the server never answers
 * (a black-holed zone, a dead upstream) loses every try, however few
 * queries are in flight, and cutting for it would starve every other
 * name.  A try answered after its own timer fired was only slow: its
 * round trip raises the timers instead. */
static void congestion(struct ry_dns *d, int64_t sent, int64_t now)
{
	if (sent <= d->last_cut)
		return;
	d->ssthresh = d->window / 2 > MIN_WINDOW ? d->window / 2 : MIN_WINDOW;
	if (d->ssthresh > d->cap)
		d->ssthresh = d->cap;
	d->window = d->ssthresh;
	d->last_cut = now;
	d->st.cuts++;
}

/* Before any answer, a round of tries gone unanswered doubles the window,
 * once per round: the server has not said that it is overloaded, it has
 * said nothing, and a list whose first names all go to a zone nobody
 * answers must still have its later names asked within a deadline or
 * two. */
static void probe_wider(struct ry_dns *d, int64_t sent, int64_t now)
{
	if (sent <= d->last_cut)
		return;
	d->window = d->window * 2 < d->cap ? d->window * 2 : d->cap;
	d->last_cut = now;
}

static void rtt_sample(struct ry_dns *d, int64_t rtt)
{
	/* Slow start ends when answers come back much later than the
	 * fastest one did: a queue is building at the server (HyStart's
	 * delay signal), before it overflows. */
	if (!d->min_rtt || rtt < d->min_rtt)
		d->min_rtt = rtt;
	if (d->window < d->ssthresh && rtt > 2 * d->min_rtt + HYSTART_NS)
		d->ssthresh = d->window;
	if (!d->srtt) {
		d->srtt = rtt;
		d->rttvar = rtt / 2;
	} else {
		int64_t err = rtt > d->srtt ? rtt - d->srtt : d->srtt - rtt;
		d->rttvar += (err - d->rttvar) / 4;
		d->srtt += (rtt - d->srtt) / 8;
	}
	d->rto = d->srtt + 4 * d->rttvar;
	if (d->rto < MIN_RTO_NS)
		d->rto = MIN_RTO_NS;
	if (d->rto > d->max_rto)
		d->rto = d->max_rto;
}

/* A timer without a query: when it fires, type i of j is sent again. */
static bool wait_then_retry(struct ry_dns *d, struct job *j, unsigned i, int64_t now)
{
	struct attempt *a = malloc(sizeof *a);
	unsigned backoff = j->tries[i] < LEVELS - 1 ? j->tries[i] : LEVELS - 1;

	if (!a)
		return false;
	*a = (struct attempt){ .job = j, .type_index = i, .sent = now,
			       .expire = now + (d->rto << backoff), .timing = true, .ghost = true };
	timer_add(d, a, backoff);
	d->live++;
	j->out++;	/* pins the job as a query would */
	return true;
}

/* One query left the window without a sign of congestion: slow start
 * below the threshold, then one per window, as TCP grows. */
static void grow(struct ry_dns *d)
{
	if (d->window < d->cap)
		d->window += d->window < d->ssthresh ? 1.0 : 1.0 / d->window;
	if (d->window > d->cap)
		d->window = d->cap;
}

static void on_answer(void *arg, int status, int timeouts, unsigned char *abuf, int alen)
{
	struct attempt *a = arg;
	struct job *j = a->job;
	struct ry_dns *d = j->d;
	unsigned i = a->type_index;
	int64_t now = ry_now_ns();

	timer_unlink(d, a);
	j->out--;
	d->out--;
	if (status == ARES_EDESTRUCTION || status == ARES_ECANCELLED) {
		free(a);
		job_put(j);
		return;
	}
	bool heard = status != ARES_ETIMEOUT && status != ARES_ECONNREFUSED;
	bool first = !j->done && (j->unsettled & (1u << i));
	if (heard) {
		rtt_sample(d, now - a->sent);
		d->heard_any = true;
		d->silent = false;
		if (first && !a->fired && (j->lost & (1u << i))) {
			/* An earlier try of this name was lost, this one was
			 * answered: a loss confirmed (see congestion). */
			congestion(d, j->lost_sent, now);
		} else {
			grow(d);
		}
	}
	if (status == ARES_ECONNREFUSED)
		d->refused_any = true;
	free(a);
	if (j->done || !(j->unsettled & (1u << i))) {
		/* A late answer to a try already settled by another. */
		job_put(j);
		return;
	}
	if (status == ARES_ECONNREFUSED && j->out == 0 && !(j->unsent & (1u << i)) &&
	    now + (d->rto << 1) < j->deadline && wait_then_retry(d, j, i, now)) {
		/* c-ares ends every query to a server whose connection failed
		 * or closed (a TCP answer, then a close): try again later. */
		j->status[i] = status;
		return;
	}
	if (status == ARES_ETIMEOUT && (j->unsent & (1u << i)))
		return;		/* a retry of it is queued */
	if (status == ARES_ETIMEOUT && j->out > 0)
		return;		/* a retry of it is in flight */
	if (status == ARES_SUCCESS)
		status = ry_dns_rr_parse(j->types[i], abuf, alen, &j->rrs);
	j->status[i] = status;
	j->unsettled &= ~(1u << i);
	j->unsent &= ~(1u << i);
	if (j->unsettled == 0) {
		job_finish(d, j);
		job_put(j);
	}
}

/* ---- timers ---- */

/* Names past their deadline, and a silent server. */
static void check_time(struct ry_dns *d)
{
	int64_t now = ry_now_ns();

	/* Tries whose timer fired: out of the window, and sent again while
	 * the name's deadline leaves room (the first answer of either
	 * counts). */
	struct attempt *a;
	while ((a = timer_first(d)) && a->expire <= now) {
		struct job *j = a->job;
		timer_unlink(d, a);
		if (!a->ghost) {
			/* Lost for now; still in c-ares, where a late answer
			 * to it counts (it was only slow). */
			a->fired = true;
			if (!d->heard_any)
				probe_wider(d, a->sent, now);
			else if (d->srtt <= 2 * d->min_rtt + HYSTART_NS)
				/* Unanswered while answers come back as fast
				 * as ever: no queue is building at the server,
				 * the name is one it ignores.  The query still
				 * left the window, as an answered one does;
				 * without this, names nobody answers would
				 * hold the window at its size for good. */
				grow(d);
			j->lost |= 1u << a->type_index;
			j->lost_sent = a->sent;
		}
		if (!j->done && (j->unsettled & (1u << a->type_index)) && !d->silent &&
		    now + d->rto / 2 < j->deadline)
			retry_later(d, j, a->type_index);
		if (a->ghost) {
			free(a);
			j->out--;
			job_put(j);
		}
	}

	/* No server has answered anything for a whole deadline while names
	 * were asked: a black hole, or a list whose first names all go to a
	 * zone nobody answers.  Names asked so far end at their deadlines;
	 * every other name is asked once, at once (pump).  A server that
	 * answers anything is alive, and the names it ignores simply time
	 * out, each at its own deadline. */
	if (!d->heard_any && !d->silent && d->flying > 0 && now - d->idle_since >= d->timeout_ns)
		d->silent = true;
	struct job *j;

	while ((j = fly_first(d)) && j->deadline <= now)
		expire(d, j);
}

static int next_wait_ms(struct ry_dns *d, int timeout_ms)
{
	struct timeval tv, *t = ares_timeout(d->ch, NULL, &tv);
	int64_t now = ry_now_ns(), wait = timeout_ms < 0 ? INT64_MAX : (int64_t)timeout_ms * 1000000;

	if (t) {
		int64_t ns = (int64_t)t->tv_sec * 1000000000 + (int64_t)t->tv_usec * 1000;
		if (ns < wait)
			wait = ns;
	}
	struct attempt *first = timer_first(d);
	if (first && first->expire - now < wait)
		wait = first->expire - now;
	const struct job *soonest = fly_first(d);
	if (soonest) {
		int64_t until = soonest->deadline - now;
		if (!d->heard_any && d->idle_since + d->timeout_ns - now < until)
			until = d->idle_since + d->timeout_ns - now;
		if (until < wait)
			wait = until;
	}
	if (wait <= 0 || d->more)
		return 0;
	if (wait == INT64_MAX)
		return -1;
	return (int)((wait + 999999) / 1000000);
}

/* ---- c-ares sockets on the poller ---- */

static void *fd_ptr(int fd)
{
	return (void *)(uintptr_t)((unsigned)fd + 1u);
}

static void sock_state(void *data, ares_socket_t fd, int readable, int writable)
{
	struct ry_dns *d = data;
	unsigned ev = (readable ? RY_POLL_IN : 0) | (writable ? RY_POLL_OUT : 0);
	int rc;

	if (!ev) {
		(void)ry_poller_del(d->poller, fd);
		return;
	}
	rc = ry_poller_mod(d->poller, fd, ev, fd_ptr(fd));
	if (rc == -ENOENT)
		rc = ry_poller_add(d->poller, fd, ev, fd_ptr(fd));
	if (rc < 0)
		d->err = rc;
}

static void process(struct ry_dns *d, ares_socket_t rfd, ares_socket_t wfd);

int ry_dns_run(struct ry_dns *d, int timeout_ms, int wait_fd)
{
	struct ry_poll_event ev[64];
	int input = 0, n;
	uint64_t finished_before = d->finished;

	pump(d);
	if (wait_fd >= 0) {
		int rc = ry_poller_add(d->poller, wait_fd, RY_POLL_IN, d);
		if (rc == -EPERM || rc < 0) {
			reap(d);
			return rc == -EPERM ? 1 : rc;	/* a regular file: always readable */
		}
	}
	/* Every wait is bounded while names are pending (their deadlines);
	 * with none pending, or with names just finished in pump (a refused
	 * query ends inside c-ares' send), the caller gets control back at
	 * once, to print them or to feed more, unless it waits for input. */
	int wait_ms = next_wait_ms(d, timeout_ms);
	if (d->finished != finished_before || (ry_dns_pending(d) == 0 && wait_fd < 0))
		wait_ms = 0;
	n = ry_poller_wait(d->poller, ev, 64, wait_ms);
	if (wait_fd >= 0)
		(void)ry_poller_del(d->poller, wait_fd);
	if (n < 0) {
		reap(d);
		return n;
	}
	for (int i = 0; i < n; i++) {
		if (ev[i].ptr == d) {
			input = 1;
			continue;
		}
		if (!ev[i].ptr)
			continue;
		ares_socket_t fd = (ares_socket_t)((uintptr_t)ev[i].ptr - 1u);
		process(d, ev[i].events & (RY_POLL_IN | RY_POLL_ERR) ? fd : ARES_SOCKET_BAD,
			ev[i].events & RY_POLL_OUT ? fd : ARES_SOCKET_BAD);
	}
	if (n == 0)	/* c-ares' own timers */
		process(d, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
	check_time(d);
	pump(d);
	reap(d);
	if (d->err)
		return d->err;
	return input;
}

int ry_dns_drive(struct ry_dns *d, const struct ry_dns_feed *f)
{
	int feed = RY_DNS_FEED_MORE;
	bool readable = false;

	while (!(f->stop && atomic_load(f->stop))) {
		/* More names when the engine has room and the feed has them
		 * (or its input became readable). */
		bool ask = feed == RY_DNS_FEED_MORE || (feed == RY_DNS_FEED_WAIT && readable);
		if (ask && ry_dns_room(d) > 0)
			feed = f->fill(f->ctx, d, readable);
		if (feed == RY_DNS_FEED_END && ry_dns_pending(d) == 0) {
			if (f->idle)
				f->idle(f->ctx);	/* the last answers */
			break;
		}
		/* What was answered, and names settled as they were fed (the
		 * hosts file), reach the caller's output before the engine
		 * waits. */
		if (f->idle)
			f->idle(f->ctx);
		int ready = ry_dns_run(d, -1, feed == RY_DNS_FEED_WAIT ? f->fd : -1);
		if (ready < 0)
			return ready;
		readable = ready == 1;
	}
	return 0;
}

/* ---- names in ---- */

struct collect {
	struct job *j;
	int err;
};

static void take_addr(void *ctx, const struct ry_ipaddr *a)
{
	struct collect *c = ctx;
	char text[INET6_ADDRSTRLEN];

	ry_ipaddr_str(a, text, sizeof text);
	if (ry_dns_rr_add(&c->j->rrs, a->family == AF_INET ? RY_DNS_A : RY_DNS_AAAA, RY_DNS_NO_TTL, text,
			  strlen(text)))
		c->err = -ENOMEM;
}

static void take_name(void *ctx, const char *name)
{
	struct collect *c = ctx;

	if (ry_dns_rr_add(&c->j->rrs, RY_DNS_PTR, RY_DNS_NO_TTL, name, strlen(name)))
		c->err = -ENOMEM;
}

void ry_dns_arpa_name(const struct ry_ipaddr *a, char *buf, size_t len)
{
	size_t k = 0;

	buf[0] = '\0';
	if (a->family == AF_INET) {
		snprintf(buf, len, "%u.%u.%u.%u.in-addr.arpa", a->a[3], a->a[2], a->a[1], a->a[0]);
		return;
	}
	static const char hex[] = "0123456789abcdef";
	for (int i = 15; i >= 0 && k + 4 < len; i--) {
		buf[k++] = hex[a->a[i] & 15];
		buf[k++] = '.';
		buf[k++] = hex[a->a[i] >> 4];
		buf[k++] = '.';
	}
	snprintf(buf + k, len - k, "ip6.arpa");
}

static int submit(struct ry_dns *d, const struct ry_dns_query *q)
{
	struct job *j = calloc(1, sizeof *j);
	struct ry_ipaddr ip;
	char arpa[80];
	int known;

	if (!j)
		return -ENOMEM;
	j->d = d;
	j->user = q->user;
	j->reverse = q->reverse;
	if (q->reverse) {
		if (ry_ipaddr_parse(q->name, &ip) != 0) {
			free(j);
			return RY_EBADADDR;
		}
		ry_dns_arpa_name(&ip, arpa, sizeof arpa);
		j->types[j->ntypes++] = RY_DNS_PTR;
	} else if (q->types) {
		if (q->ntypes == 0 || q->ntypes > RY_DNS_MAXTYPES) {
			free(j);
			return RY_EBADADDR;
		}
		for (size_t i = 0; i < q->ntypes; i++)
			j->types[j->ntypes++] = (uint16_t)q->types[i];
	} else {
		if (q->family != AF_INET6)
			j->types[j->ntypes++] = RY_DNS_A;
		if (q->family != AF_INET)
			j->types[j->ntypes++] = RY_DNS_AAAA;
	}
	if (q->reverse) {
		j->qname = strdup(arpa);
	} else if (ry_idn_needed(q->name)) {
		/* An international name is asked in its ASCII form. */
		const char *why;
		int rc = ry_idn_to_ascii(q->name, &j->qname, &why);
		if (rc != 0) {
			free(j);
			return rc;
		}
	} else {
		j->qname = strdup(q->name);
	}
	if (!j->qname) {
		free(j);
		return -ENOMEM;
	}
	j->unsettled = j->unsent = (1u << j->ntypes) - 1;

	/* The hosts file first, for addresses and reverse lookups. */
	struct collect c = { j, 0 };
	if (q->reverse)
		known = ry_hosts_names(d->hosts, &ip, take_name, &c);
	else if (!q->types)
		known = ry_hosts_addrs(d->hosts, j->qname, q->family, take_addr, &c);
	else
		known = 0;
	if (c.err) {
		job_free(j);
		return c.err;
	}
	if (known) {
		for (unsigned i = 0; i < j->ntypes; i++)
			j->status[i] = ARES_ENODATA;
		j->unsettled = 0;
		d->st.from_hosts++;
		job_finish(d, j);
		job_put(j);
		return 0;
	}
	ry_list_push_tail(&d->fresh, &j->q);
	d->queued++;
	return 0;
}

int ry_dns_submit(struct ry_dns *d, const struct ry_dns_query *q)
{
	int rc = submit(d, q);

	reap(d);
	return rc;
}

size_t ry_dns_room(const struct ry_dns *d)
{
	size_t busy = d->flying + d->queued, most = d->silent ? SILENT_MAX : d->jobs;

	return busy < most ? most - busy : 0;
}

size_t ry_dns_pending(const struct ry_dns *d)
{
	return d->flying + d->queued;
}

void ry_dns_stats(const struct ry_dns *d, struct ry_dns_stats *st)
{
	*st = d->st;
	st->window = (unsigned)d->window;
}

/* ---- c-ares' sockets: reads in bounded batches ----
 *
 * c-ares reads a readable socket until it would block.  A flood of
 * datagrams that the socket accepts (the server's address and port,
 * spoofed by anyone off the path) would keep it reading while no
 * deadline is checked.  Its reads go through here instead: after
 * RECV_BUDGET datagrams in one ares_process_fd, the next read says
 * "would block", c-ares returns, the deadlines are checked, and the
 * level-triggered poller reports the socket again at once. */

#define RECV_BUDGET 64
#define DNS_RCVBUF (4 << 20)

/* With its socket functions replaced, c-ares 1.18 leaves the socket as
 * it comes: non-blocking, close-on-exec and the options it would set
 * (the receive buffer, no Nagle delay) are this function's to give. */
static ares_socket_t sock_open(int af, int type, int proto, void *ud)
{
	int fd = socket(af, type | SOCK_NONBLOCK | SOCK_CLOEXEC, proto), one = 1;
	int rcvbuf = DNS_RCVBUF;

	(void)ud;
	if (fd >= 0 && type == SOCK_DGRAM)
		(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
	if (fd >= 0 && type == SOCK_STREAM)
		(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	return fd < 0 ? ARES_SOCKET_BAD : fd;
}

static int sock_close(ares_socket_t fd, void *ud)
{
	(void)ud;
	return close(fd);
}

static int sock_connect(ares_socket_t fd, const struct sockaddr *to, ares_socklen_t len, void *ud)
{
	(void)ud;
	return connect(fd, to, len);
}

static ares_ssize_t sock_recvfrom(ares_socket_t fd, void *buf, size_t len, int flags, struct sockaddr *from,
				  ares_socklen_t *fromlen, void *ud)
{
	struct ry_dns *d = ud;

	if (d->recv_left == 0) {
		errno = EAGAIN;
		return -1;
	}
	d->recv_left--;
	return recvfrom(fd, buf, len, flags, from, fromlen);
}

static ares_ssize_t sock_sendv(ares_socket_t fd, const struct iovec *iov, int n, void *ud)
{
	(void)ud;
	return writev(fd, iov, n);
}

static const struct ares_socket_functions sock_funcs = {
	sock_open, sock_close, sock_connect, sock_recvfrom, sock_sendv,
};

/* ares_process_fd with a fresh read budget; counts the largest batch. */
static void process(struct ry_dns *d, ares_socket_t rfd, ares_socket_t wfd)
{
	d->recv_left = RECV_BUDGET;
	ares_process_fd(d->ch, rfd, wfd);
	unsigned batch = RECV_BUDGET - d->recv_left;
	if (batch > d->st.max_batch)
		d->st.max_batch = batch;
	/* Any read outside a process call (none in c-ares 1.18-1.34) is
	 * not held back. */
	d->recv_left = UINT_MAX;
}

/* ---- life ---- */

static int lib_init(void)
{
	static int rc = -1;

	if (rc < 0)
		rc = ares_library_init(ARES_LIB_INIT_ALL);
	return rc;
}

struct ry_dns *ry_dns_new(const struct ry_dns_config *cfg, ry_dns_done_fn *done, void *ctx,
			  const char **why)
{
	struct ry_dns *d = calloc(1, sizeof *d);
	struct ares_options o;
	char lookups[] = "b";
	int rc;

	*why = "out of memory";
	if (!d)
		return NULL;
	d->done = done;
	d->ctx = ctx;
	d->jobs = cfg->jobs ? cfg->jobs : 1;
	d->timeout_ns = cfg->timeout_ns;
	d->max_rto = cfg->timeout_ns / 3 < MAX_RTO_NS ? cfg->timeout_ns / 3 : MAX_RTO_NS;
	if (d->max_rto < 1000000)
		d->max_rto = 1000000;
	/* Until the first answer is timed: short enough that a window of
	 * names nobody answers gives way to the next (probe_wider) several
	 * times per deadline; a slower server's late answer still counts,
	 * and raises the timers. */
	d->rto = d->max_rto < FIRST_RTO_NS ? d->max_rto : FIRST_RTO_NS;
	d->cap = (double)d->jobs * 2;
	d->window = d->cap < INITIAL_WINDOW ? d->cap : INITIAL_WINDOW;
	d->ssthresh = d->cap;
	d->idle_since = ry_now_ns();
	d->poller = ry_poller_new();
	d->hosts = ry_hosts_load(cfg->hosts);
	if (!d->poller || !d->hosts)
		goto fail;
	if (lib_init() != ARES_SUCCESS) {
		*why = "cannot start c-ares";
		goto fail;
	}
	memset(&o, 0, sizeof o);
	/* c-ares gives up on a query at the name's deadline; the engine's
	 * own timers send it again sooner (retry_later). */
	o.timeout = (int)(d->timeout_ns / 1000000) + 1;
	o.tries = 1;
	o.sock_state_cb = sock_state;
	o.sock_state_cb_data = d;
	o.lookups = lookups;
	/* SERVFAIL and REFUSED come back as answers (ARES_ESERVFAIL,
	 * ARES_EREFUSED), final for the name; ARES_ECONNREFUSED then only
	 * means a failed or closed connection, which is worth a retry. */
	o.flags = ARES_FLAG_NOCHECKRESP;
	/* Room for a burst of answers while the loop is busy printing (set
	 * by sock_open too: c-ares leaves a socket it did not open alone). */
	o.socket_receive_buffer_size = DNS_RCVBUF;
	int mask = ARES_OPT_FLAGS | ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES | ARES_OPT_SOCK_STATE_CB |
		   ARES_OPT_LOOKUPS | ARES_OPT_SOCK_RCVBUF;
#ifdef ARES_OPT_UDP_MAX_QUERIES
	/* c-ares 1.20 and later: a new UDP socket, so a new source port,
	 * every 200 queries, so that an off-path spoofer must guess the
	 * port as well as the 16-bit query id.  c-ares 1.18 (Debian 12)
	 * keeps one socket per server for the whole run (the man page
	 * says so). */
	o.udp_max_queries = 200;
	mask |= ARES_OPT_UDP_MAX_QUERIES;
#endif
	rc = ares_init_options(&d->ch, &o, mask);
	if (rc != ARES_SUCCESS) {
		d->ch = NULL;
		*why = ares_strerror(rc);
		goto fail;
	}
	ares_set_socket_functions(d->ch, &sock_funcs, d);
	d->recv_left = UINT_MAX;
	if (cfg->servers && (rc = ares_set_servers_ports_csv(d->ch, cfg->servers)) != ARES_SUCCESS) {
		*why = rc == ARES_ENOMEM ? "out of memory" : "not a list of name server addresses";
		goto fail;
	}
	*why = NULL;
	return d;
fail:
	ry_dns_free(d);
	return NULL;
}

static void drop_queue(struct ry_list *q, bool started)
{
	struct job *j;

	while ((j = jobq_pop(q))) {
		if (!started || (j->done && j->out == 0))
			job_free(j);
		else
			j->in_retry = false;
	}
}

void ry_dns_free(struct ry_dns *d)
{
	if (!d)
		return;
	drop_queue(&d->fresh, false);
	drop_queue(&d->retry[0], true);
	drop_queue(&d->retry[1], true);
	/* Names in flight: orphaned, freed as c-ares cancels their attempts. */
	for (struct ry_link *l = d->fly.head; l; l = l->next)
		ry_list_entry(l, struct job, fly)->done = true;
	for (struct ry_link *l = d->fly.head, *next; l; l = next) {
		struct job *j = ry_list_entry(l, struct job, fly);
		next = l->next;
		if (j->out == 0)
			job_free(j);
	}
	if (d->ch)
		ares_destroy(d->ch);
	/* Waits before a retry hold the last pins of their jobs. */
	for (int l = 0; l < LEVELS; l++) {
		for (struct ry_link *k = d->timers[l].head, *next; k; k = next) {
			struct attempt *a = ry_list_entry(k, struct attempt, link);
			next = k->next;
			if (a->ghost) {
				a->job->out--;
				job_put(a->job);
				free(a);
			}
		}
		d->timers[l] = (struct ry_list){ NULL, NULL };
	}
	reap(d);
	ry_hosts_free(d->hosts);
	ry_poller_free(d->poller);
	free(d);
}
