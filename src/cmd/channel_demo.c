/*
 * rustyc channel-demo: the tutorial's channel lessons.  Producer threads
 * send over an mpsc channel (or a sync_channel) and main prints every
 * receive as Rust's {:?} would show the Result.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "core/chan.h"
#include "core/thread.h"
#include "util/diag.h"
#include "util/opt.h"

static const char usage[] =
"usage: rustyc channel-demo [options]\n"
"\n"
"Producer threads send over a channel; main receives and prints each\n"
"result as it arrives: got Ok(\"hello 3\"), got Err(Timeout), ...\n"
"\n"
"  -p, --producers N   producer threads (default 5)\n"
"  -n, --messages N    messages per producer (default 1)\n"
"  -b, --bound N       use sync_channel(N): send blocks while N wait;\n"
"                      0 is a rendezvous (send waits for the receiver)\n"
"      --numbers       send the numbers 0..N-1 and print them bare; the\n"
"                      sync_channel lesson is: --numbers -p 1 -n 5 -b 0\n"
"  -r, --recvs N       receive N times (default: every message sent)\n"
"  -t, --timeout SECS  receive with recv_timeout(SECS)\n"
"      --drop-sender   main drops its own sender, so receiving after the\n"
"                      producers are done gives Err(RecvError)\n"
"  -h, --help          show this help\n";

#define MSG_MAX 32

struct opts {
	unsigned long producers, messages, recvs;
	long bound;
	bool numbers, drop_sender, have_recvs;
	double timeout;		/* < 0: plain recv */
};

struct producer {
	struct ry_sender *tx;
	unsigned long id;
	const struct opts *o;
};

static void *produce(void *arg)
{
	struct producer *p = arg;
	char msg[MSG_MAX];

	for (unsigned long j = 0; j < p->o->messages; j++) {
		int rc;
		if (p->o->numbers) {
			int64_t v = (int64_t)j;
			rc = ry_chan_send(p->tx, &v);
		} else {
			memset(msg, 0, sizeof msg);
			if (p->o->messages == 1)
				snprintf(msg, sizeof msg, "hello %lu", p->id);
			else
				snprintf(msg, sizeof msg, "hello %lu.%lu", p->id, j);
			rc = ry_chan_send(p->tx, msg);
		}
		/* The receiver is gone once main stops receiving: Rust's
		 * SendError.  The lesson goes on without this producer. */
		if (rc == -EPIPE)
			break;
	}
	ry_sender_drop(p->tx);
	return NULL;
}

static int parse(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{ "producers", required_argument, NULL, 'p' },
		{ "messages", required_argument, NULL, 'n' },
		{ "bound", required_argument, NULL, 'b' },
		{ "numbers", no_argument, NULL, 'N' },
		{ "recvs", required_argument, NULL, 'r' },
		{ "timeout", required_argument, NULL, 't' },
		{ "drop-sender", no_argument, NULL, 'D' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	unsigned long v;
	int c;

	*o = (struct opts){ .producers = 5, .messages = 1, .bound = RY_CHAN_UNBOUNDED,
			    .timeout = -1 };
	while ((c = ry_getopt(argc, argv, "p:n:b:r:t:h", longopts)) != -1) {
		switch (c) {
		case 'p':
			if (ry_opt_ulong("-p/--producers", optarg, 1, 1000, &o->producers))
				return 2;
			break;
		case 'n':
			if (ry_opt_ulong("-n/--messages", optarg, 0, 100000000, &o->messages))
				return 2;
			break;
		case 'b':
			if (ry_opt_ulong("-b/--bound", optarg, 0, 1000000, &v))
				return 2;
			o->bound = (long)v;
			break;
		case 'N':
			o->numbers = true;
			break;
		case 'r':
			if (ry_opt_ulong("-r/--recvs", optarg, 0, 1000000000, &o->recvs))
				return 2;
			o->have_recvs = true;
			break;
		case 't':
			if (ry_opt_seconds("-t/--timeout", optarg, 0, 86400, &o->timeout))
				return 2;
			break;
		case 'D':
			o->drop_sender = true;
			break;
		case 'h':
			fputs(usage, stdout);
			return 0;
		default:
			return 2;
		}
	}
	if (optind < argc) {
		ry_err("unexpected argument '%s' (see 'rustyc channel-demo --help')", argv[optind]);
		return 2;
	}
	unsigned long sent = o->producers * o->messages;
	if (!o->have_recvs)
		o->recvs = sent;
	if (o->recvs > sent && o->timeout < 0 && !o->drop_sender) {
		ry_err("--recvs %lu is more than the %lu messages sent, and main still holds a sender, "
		       "so receive %lu would block forever; add -t SECS or --drop-sender",
		       o->recvs, sent, sent + 1);
		return 2;
	}
	return -1;
}

static void print_result(const struct opts *o, int rc, const void *val)
{
	if (rc == 0 && o->numbers)
		printf("%lld\n", (long long)*(const int64_t *)val);
	else if (rc == 0)
		printf("got Ok(\"%s\")\n", (const char *)val);
	else if (rc == -ETIMEDOUT)
		printf("got Err(Timeout)\n");
	else if (o->timeout >= 0)
		printf("got Err(Disconnected)\n");
	else
		printf("got Err(RecvError)\n");
	/* Line by line, so a reader sees each receive as it happens. */
	fflush(stdout);
}

int cmd_channel_demo(int argc, char **argv)
{
	struct opts o;
	struct ry_sender *tx;
	struct ry_receiver *rx;
	struct ry_thread **threads;
	struct producer *prods;
	int rc = parse(argc, argv, &o);

	if (rc >= 0)
		return rc;
	rc = ry_chan_new(o.numbers ? sizeof(int64_t) : MSG_MAX, o.bound, &tx, &rx);
	if (rc != 0) {
		ry_err("cannot create a channel: %s", ry_strerror(rc));
		return 2;
	}
	threads = calloc(o.producers, sizeof(struct ry_thread *));
	prods = calloc(o.producers, sizeof *prods);
	if (!threads || !prods) {
		ry_err("out of memory");
		ry_sender_drop(tx);
		ry_receiver_drop(rx);
		free(threads);
		free(prods);
		return 2;
	}
	for (unsigned long i = 0; i < o.producers; i++) {
		prods[i] = (struct producer){ ry_sender_clone(tx), i, &o };
		threads[i] = ry_thread_spawn(produce, &prods[i], "producer");
		if (!threads[i]) {
			/* The ones started may block on a full channel that
			 * nobody will read: only exiting ends them. */
			ry_err("cannot start producer %lu: %s", i, strerror(errno));
			exit(2);
		}
	}
	/* Rust's thread9 keeps tx alive in main; --drop-sender lets it go. */
	if (o.drop_sender) {
		ry_sender_drop(tx);
		tx = NULL;
	}
	for (unsigned long i = 0; i < o.recvs; i++) {
		union { char msg[MSG_MAX]; int64_t num; } val;
		if (o.timeout >= 0)
			rc = ry_chan_recv_timeout(rx, &val, (int64_t)(o.timeout * 1e9));
		else
			rc = ry_chan_recv(rx, &val);
		print_result(&o, rc, &val);
	}
	/* Dropping the receiver releases producers blocked on a full
	 * bounded channel when fewer receives were asked for. */
	ry_receiver_drop(rx);
	for (unsigned long i = 0; i < o.producers; i++)
		ry_thread_join(threads[i], NULL);
	ry_sender_drop(tx);
	free(threads);
	free(prods);
	return 0;
}
