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
#include "util/out.h"

#define MSG_MAX 32

struct opts {
	unsigned long producers, messages, recvs, bound;
	bool numbers, as_enum, unreceived, drop_sender, have_recvs, bounded, with_timeout;
	double timeout;		/* recv_timeout, with_timeout */
};

/* --enum: one channel, two kinds of message, as Rust would send
 * enum Msg { Text(String), Number(i64) }. */
enum { TEXT, NUMBER };
struct msg {
	int kind;
	int64_t number;
	char text[MSG_MAX];
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
		} else if (p->o->as_enum) {
			struct msg m = { .kind = TEXT };
			snprintf(m.text, sizeof m.text, "hello %lu", p->id);
			rc = ry_chan_send(p->tx, &m);
			if (rc == 0) {
				m = (struct msg){ .kind = NUMBER, .number = (int64_t)p->id };
				rc = ry_chan_send(p->tx, &m);
			}
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
	const struct ry_opt opts[] = {
		RY_OPT_N('p', "producers", &o->producers, "N", 1, 1000, "producer threads (default 5)"),
		RY_OPT_N('n', "messages", &o->messages, "N", 0, 100000000,
			 "messages per producer (default 1)"),
		{ .short_name = 'b', .long_name = "bound", .kind = RY_OPT_ULONG, .dest = &o->bound,
		  .arg = "N", .min = 0, .max = 1000000, .given = &o->bounded,
		  .help = "use sync_channel(N): send blocks while N wait;\n"
			  "0 is a rendezvous (send waits for the receiver)" },
		RY_OPT_F(0, "numbers", &o->numbers,
			 "send the numbers 0..N-1 and print them bare; the\n"
			 "sync_channel lesson is: --numbers -p 1 -n 5 -b 0"),
		{ .short_name = 'r', .long_name = "recvs", .kind = RY_OPT_ULONG, .dest = &o->recvs,
		  .arg = "N", .min = 0, .max = 1000000000, .given = &o->have_recvs,
		  .help = "receive N times (default: every message sent)" },
		{ .short_name = 't', .long_name = "timeout", .kind = RY_OPT_SECONDS, .dest = &o->timeout,
		  .arg = "SECS", .fmin = 0, .fmax = 86400, .given = &o->with_timeout,
		  .help = "receive with recv_timeout(SECS)" },
		RY_OPT_F(0, "enum", &o->as_enum,
			 "send an enum: each message goes as Text(\"hello I\")\n"
			 "and Number(I), one channel for both kinds"),
		RY_OPT_F(0, "unreceived", &o->unreceived,
			 "the lesson that send Ok is not 'received': main\n"
			 "sends, drops the receiver unread, sends again"),
		RY_OPT_F(0, "drop-sender", &o->drop_sender,
			 "main drops its own sender, so receiving after the\n"
			 "producers are done gives Err(RecvError)"),
	};
	const struct ry_cmdline cl = {
		.synopsis = "",
		.about =
"Producer threads send over a channel; main receives and prints each\n"
"result as it arrives: got Ok(\"hello 3\"), got Err(Timeout), ...\n",
		.opts = opts, .nopts = sizeof opts / sizeof opts[0], .max_args = 0,
	};
	int args, rc;

	*o = (struct opts){ .producers = 5, .messages = 1 };
	if ((rc = ry_opt_parse(&cl, argc, argv, &args)) >= 0)
		return rc;
	if (o->numbers + o->as_enum + o->unreceived > 1) {
		ry_err("--numbers, --enum and --unreceived are separate lessons: one at a time");
		return 2;
	}
	unsigned long sent = o->producers * o->messages * (o->as_enum ? 2 : 1);
	if (!o->have_recvs)
		o->recvs = sent;
	if (o->recvs > sent && !o->with_timeout && !o->drop_sender) {
		ry_err("--recvs %lu is more than the %lu messages sent, and main still holds a sender, "
		       "so receive %lu would block forever; add -t SECS or --drop-sender",
		       o->recvs, sent, sent + 1);
		return 2;
	}
	return -1;
}

static void print_result(const struct opts *o, int rc, const void *val)
{
	const struct msg *m = val;

	if (rc == 0 && o->numbers)
		ry_out_printf("%lld\n", (long long)*(const int64_t *)val);
	else if (rc == 0 && o->as_enum && m->kind == TEXT)
		ry_out_printf("got Ok(Text(\"%s\"))\n", m->text);
	else if (rc == 0 && o->as_enum)
		ry_out_printf("got Ok(Number(%lld))\n", (long long)m->number);
	else if (rc == 0)
		ry_out_printf("got Ok(\"%s\")\n", (const char *)val);
	else if (rc == -ETIMEDOUT)
		ry_out_printf("got Err(Timeout)\n");
	else if (o->with_timeout)
		ry_out_printf("got Err(Disconnected)\n");
	else
		ry_out_printf("got Err(RecvError)\n");
	/* Line by line, so a reader sees each receive as it happens. */
	fflush(stdout);
}

/* A successful send means queued, not received: the receiver may go
 * before it looks (the tutorial's note on send never blocking). */
static int lesson_unreceived(void)
{
	struct ry_sender *tx;
	struct ry_receiver *rx;
	char msg[MSG_MAX] = "hello";
	int rc = ry_chan_new(MSG_MAX, RY_CHAN_UNBOUNDED, &tx, &rx);

	if (rc != 0) {
		ry_err("cannot create a channel: %s", ry_strerror(rc));
		return 2;
	}
	rc = ry_chan_send(tx, msg);
	ry_out_printf("send %s\n", rc == 0 ? "Ok(())" : "Err(SendError { .. })");
	ry_receiver_drop(rx);
	ry_out_printf("receiver dropped: 1 message sent, 0 received\n");
	rc = ry_chan_send(tx, msg);
	ry_out_printf("send %s\n", rc == 0 ? "Ok(())" : "Err(SendError { .. })");
	ry_sender_drop(tx);
	return 0;
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
	if (o.unreceived)
		return lesson_unreceived();
	rc = ry_chan_new(o.numbers ? sizeof(int64_t) : o.as_enum ? sizeof(struct msg) : MSG_MAX,
			 o.bounded ? (long)o.bound : RY_CHAN_UNBOUNDED, &tx, &rx);
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
			/* The ones started may block on a full channel:
			 * dropping the receiver releases them (SendError). */
			ry_err("cannot start producer %lu: %s", i, ry_strerror(-errno));
			ry_sender_drop(prods[i].tx);
			ry_receiver_drop(rx);
			for (unsigned long k = 0; k < i; k++)
				ry_thread_join(threads[k], NULL);
			ry_sender_drop(tx);
			free(threads);
			free(prods);
			return 2;
		}
	}
	/* Rust's thread9 keeps tx alive in main; --drop-sender lets it go. */
	if (o.drop_sender) {
		ry_sender_drop(tx);
		tx = NULL;
	}
	for (unsigned long i = 0; i < o.recvs; i++) {
		union { char msg[MSG_MAX]; int64_t num; struct msg m; } val;
		if (o.with_timeout)
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
