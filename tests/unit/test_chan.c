/* chan: every sentence of core/chan.h, and stress under any interleaving. */
#include <errno.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/chan.h"
#include "util/time.h"
#include "core/thread.h"
#include "tap.h"

#define MS 1000000LL

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

/* ---- basics ---- */

static void test_new_rejects_nonsense(void)
{
	struct ry_sender *tx;
	struct ry_receiver *rx;

	is_int(ry_chan_new(0, 1, &tx, &rx), -EINVAL, "element size 0 is -EINVAL");
	is_int(ry_chan_new(8, -2, &tx, &rx), -EINVAL, "capacity -2 is -EINVAL");
}

static void test_fifo_and_copy(long cap)
{
	struct ry_sender *tx;
	struct ry_receiver *rx;
	char in[3] = { 'a', 'b', 'c' }, out[3];
	int fails = 0;

	is_int(ry_chan_new(3, cap, &tx, &rx), 0, "cap %ld: new", cap);
	/* 100 values through a small odd-sized element: order and bytes. */
	long n = cap == 0 ? 0 : 100;
	for (long i = 0; i < n; i++) {
		in[0] = (char)i;
		if (cap > 0 && i >= cap) {
			if (ry_chan_recv(rx, out) != 0 || out[0] != (char)(i - cap) || out[2] != 'c')
				fails++;
		}
		if (ry_chan_send(tx, in) != 0)
			fails++;
	}
	for (long i = cap > 0 ? (n > cap ? n - cap : 0) : 0; i < n; i++) {
		if (ry_chan_recv(rx, out) != 0 || out[0] != (char)i || out[1] != 'b')
			fails++;
	}
	if (cap != 0)
		is_int(fails, 0, "cap %ld: 100 values come out in order, bytes intact", cap);
	is_int(ry_chan_try_recv(rx, out), -EAGAIN, "cap %ld: try_recv on empty is -EAGAIN", cap);
	ry_sender_drop(tx);
	is_int(ry_chan_try_recv(rx, out), -EPIPE, "cap %ld: try_recv with no sender is -EPIPE", cap);
	is_int(ry_chan_recv(rx, out), -EPIPE, "cap %ld: recv after last sender drop is -EPIPE", cap);
	ry_receiver_drop(rx);
}

static void test_queued_values_survive_disconnect(void)
{
	struct ry_sender *tx, *tx2;
	struct ry_receiver *rx;
	int v, got = 0;

	ry_chan_new(sizeof v, RY_CHAN_UNBOUNDED, &tx, &rx);
	tx2 = ry_sender_clone(tx);
	for (v = 0; v < 40; v++)	/* more than one block */
		ry_chan_send(v % 2 ? tx : tx2, &v);
	ry_sender_drop(tx);
	is_int(ry_chan_try_recv(rx, &v), 0, "a clone keeps the channel connected");
	ry_sender_drop(tx2);
	while (ry_chan_recv(rx, &v) == 0)
		got++;
	is_int(got, 39, "values sent before the last drop are all received");
	is_int(ry_chan_recv(rx, &v), -EPIPE, "then recv is -EPIPE");
	ry_receiver_drop(rx);
}

static void test_send_after_receiver_drop(long cap)
{
	struct ry_sender *tx;
	struct ry_receiver *rx;
	int v = 7;

	ry_chan_new(sizeof v, cap, &tx, &rx);
	ry_receiver_drop(rx);
	is_int(ry_chan_send(tx, &v), -EPIPE, "cap %ld: send after receiver drop is -EPIPE", cap);
	is_int(v, 7, "cap %ld: the value is handed back untouched", cap);
	is_int(ry_chan_try_send(tx, &v), -EPIPE, "cap %ld: try_send too", cap);
	ry_sender_drop(tx);
}

static void test_recv_timeout(void)
{
	struct ry_sender *tx;
	struct ry_receiver *rx;
	int v = 1;

	ry_chan_new(sizeof v, RY_CHAN_UNBOUNDED, &tx, &rx);
	int64_t t0 = ry_now_ns();
	is_int(ry_chan_recv_timeout(rx, &v, 200 * MS), -ETIMEDOUT, "recv_timeout on empty is -ETIMEDOUT");
	int64_t took = ry_now_ns() - t0;
	/* Generous: behaviour, not speed.  Never early; not absurdly late. */
	ok(took >= 200 * MS && took < 5000 * MS, "recv_timeout returns at its deadline (%lld ms)",
	   (long long)(took / MS));
	v = 5;
	ry_chan_send(tx, &v);
	v = 0;
	is_int(ry_chan_recv_timeout(rx, &v, 200 * MS), 0, "recv_timeout with a value is 0");
	is_int(v, 5, "and copies the value out");
	ry_sender_drop(tx);
	is_int(ry_chan_recv_timeout(rx, &v, 200 * MS), -EPIPE, "recv_timeout with no sender is -EPIPE");
	ry_receiver_drop(rx);
}

/* ---- bounded and rendezvous blocking ---- */

struct sender_job {
	struct ry_sender *tx;
	long count;
	long first;
	atomic_long done;	/* sends completed */
	int last_rc;
};

static void *send_count(void *arg)
{
	struct sender_job *j = arg;

	for (long i = 0; i < j->count; i++) {
		long v = j->first + i;
		j->last_rc = ry_chan_send(j->tx, &v);
		if (j->last_rc != 0)
			break;
		atomic_fetch_add(&j->done, 1);
	}
	ry_sender_drop(j->tx);
	return NULL;
}

static void test_bounded_blocks_when_full(void)
{
	struct ry_sender *tx;
	struct ry_receiver *rx;
	struct sender_job j = { .count = 4 };
	long v;

	ry_chan_new(sizeof v, 3, &tx, &rx);
	v = 0;
	j.tx = ry_sender_clone(tx);
	struct ry_thread *t = ry_thread_spawn(send_count, &j, "sender");
	/* The sender fits 3 and must then block on the 4th. */
	while (atomic_load(&j.done) < 3)
		sleep_ms(1);
	sleep_ms(100);
	is_int(atomic_load(&j.done), 3, "bounded(3): the 4th send blocks while full");
	is_int(ry_chan_try_send(tx, &v), -EAGAIN, "bounded(3): try_send when full is -EAGAIN");
	is_int(ry_chan_recv(rx, &v), 0, "recv makes room");
	ry_thread_join(t, NULL);
	is_int(atomic_load(&j.done), 4, "and the blocked send completes");
	for (long want = 1; want < 4; want++) {
		ry_chan_recv(rx, &v);
		if (v != want)
			break;
	}
	is_int(v, 3, "values arrive in send order");
	ry_sender_drop(tx);
	ry_receiver_drop(rx);
}

static void test_rendezvous_blocks_until_received(void)
{
	struct ry_sender *tx;
	struct ry_receiver *rx;
	struct sender_job j = { .count = 1, .first = 42 };
	long v;

	ry_chan_new(sizeof v, 0, &tx, &rx);
	is_int(ry_chan_try_send(tx, &v), -EAGAIN, "rendezvous: try_send with no receiver waiting is -EAGAIN");
	j.tx = ry_sender_clone(tx);
	struct ry_thread *t = ry_thread_spawn(send_count, &j, "sender");
	sleep_ms(100);
	is_int(atomic_load(&j.done), 0, "rendezvous: send waits for the receiver");
	is_int(ry_chan_recv(rx, &v), 0, "recv takes it");
	is_int(v, 42, "the value");
	ry_thread_join(t, NULL);
	is_int(atomic_load(&j.done), 1, "and the send returns after the take");
	ry_sender_drop(tx);
	ry_receiver_drop(rx);
}

static void test_rendezvous_order(void)
{
	struct ry_sender *tx;
	struct ry_receiver *rx;
	struct sender_job j = { .count = 2000 };
	long v, bad = 0;

	ry_chan_new(sizeof v, 0, &tx, &rx);
	j.tx = tx;
	struct ry_thread *t = ry_thread_spawn(send_count, &j, "sender");
	for (long i = 0; i < 2000; i++)
		if (ry_chan_recv(rx, &v) != 0 || v != i)
			bad++;
	is_int(bad, 0, "rendezvous: 2000 values in order");
	is_int(ry_chan_recv(rx, &v), -EPIPE, "then disconnected");
	ry_thread_join(t, NULL);
	ry_receiver_drop(rx);
}

/* ---- disconnection while blocked ---- */

struct recv_job {
	struct ry_receiver *rx;
	int rc;
};

static void *recv_one(void *arg)
{
	struct recv_job *j = arg;
	long v;

	j->rc = ry_chan_recv(j->rx, &v);
	return NULL;
}

static void test_blocked_recv_sees_disconnect(void)
{
	struct ry_sender *tx;
	struct recv_job j;

	ry_chan_new(sizeof(long), RY_CHAN_UNBOUNDED, &tx, &j.rx);
	struct ry_thread *t = ry_thread_spawn(recv_one, &j, "receiver");
	sleep_ms(50);		/* let it block (a sleep cannot break the test) */
	ry_sender_drop(tx);
	ry_thread_join(t, NULL);
	is_int(j.rc, -EPIPE, "a blocked recv returns -EPIPE when the last sender drops");
	ry_receiver_drop(j.rx);
}

static void test_blocked_send_sees_disconnect(long cap)
{
	struct ry_sender *tx;
	struct ry_receiver *rx;
	struct sender_job j = { .count = cap + 1 };
	long v;

	ry_chan_new(sizeof v, cap, &tx, &rx);
	j.tx = tx;
	struct ry_thread *t = ry_thread_spawn(send_count, &j, "sender");
	while (atomic_load(&j.done) < cap)
		sleep_ms(1);
	sleep_ms(50);
	ry_receiver_drop(rx);
	ry_thread_join(t, NULL);
	is_int(j.last_rc, -EPIPE, "cap %ld: a blocked send returns -EPIPE when the receiver drops", cap);
	is_int(atomic_load(&j.done), cap, "cap %ld: after %ld sends", cap, cap);
}

/* ---- stress: many producers, exact per-sender order and totals ---- */

#define PRODUCERS 8

static void stress(long cap, long per_sender)
{
	struct ry_sender *tx;
	struct ry_receiver *rx;
	struct sender_job jobs[PRODUCERS];
	struct ry_thread *t[PRODUCERS];
	long next[PRODUCERS] = { 0 }, v, total = 0, disorder = 0, strangers = 0;

	ry_chan_new(sizeof v, cap, &tx, &rx);
	for (int i = 0; i < PRODUCERS; i++) {
		/* Sender i sends i*2^32 + 0, 1, 2, ... */
		jobs[i] = (struct sender_job){ .tx = ry_sender_clone(tx), .count = per_sender,
					       .first = (long)i << 32 };
		t[i] = ry_thread_spawn(send_count, &jobs[i], "producer");
	}
	ry_sender_drop(tx);
	while (ry_chan_recv(rx, &v) == 0) {
		long who = v >> 32, seq = v & 0xffffffffL;
		if (who < 0 || who >= PRODUCERS) {
			strangers++;
			continue;
		}
		if (seq != next[who])
			disorder++;
		next[who] = seq + 1;
		total++;
	}
	for (int i = 0; i < PRODUCERS; i++)
		ry_thread_join(t[i], NULL);
	is_int(total, PRODUCERS * per_sender, "cap %ld: %d x %ld messages, exact total", cap,
	       PRODUCERS, per_sender);
	is_int(disorder + strangers, 0, "cap %ld: no loss, duplication or reordering per sender", cap);
	ry_receiver_drop(rx);
}

int main(void)
{
	test_new_rejects_nonsense();
	test_fifo_and_copy(RY_CHAN_UNBOUNDED);
	test_fifo_and_copy(1);
	test_fifo_and_copy(7);
	test_fifo_and_copy(0);
	test_queued_values_survive_disconnect();
	test_send_after_receiver_drop(RY_CHAN_UNBOUNDED);
	test_send_after_receiver_drop(4);
	test_send_after_receiver_drop(0);
	test_recv_timeout();
	test_bounded_blocks_when_full();
	test_rendezvous_blocks_until_received();
	test_rendezvous_order();
	test_blocked_recv_sees_disconnect();
	test_blocked_send_sees_disconnect(2);
	test_blocked_send_sees_disconnect(0);
	stress(RY_CHAN_UNBOUNDED, 100000);
	stress(1024, 100000);
	stress(1, 20000);
	stress(0, 5000);
	return done_testing();
}
