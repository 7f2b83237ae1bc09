#include "core/chan.h"

#include <errno.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/wait.h"
#include "util/time.h"

/* Unbounded: blocks of BLOCK_CAP slots.  Positions count up forever; the
 * position whose offset in its LAP is BLOCK_CAP is never a slot: a tail
 * resting there means "a sender is installing the next block". */
#define LAP 32
#define BLOCK_CAP 31

struct block {
	_Atomic(struct block *) next;		/* set by the installer */
	_Atomic uint32_t ready[BLOCK_CAP];	/* slot written */
	alignas(16) unsigned char data[];	/* BLOCK_CAP * stride */
};

/* The padding is the point: fields that different threads write sit on
 * their own cache lines (alignas(64)), so no two of them share one. */
/* NOLINTNEXTLINE(clang-analyzer-optin.performance.Padding) */
struct ry_chan {
	/* Read-only after creation. */
	size_t elem;
	size_t stride;		/* elem rounded up; list blocks and ring slots */
	long cap;		/* RY_CHAN_UNBOUNDED, 0 or n */
	uint64_t ring_cap;	/* ring slots: cap, or 1 for a rendezvous */
	uint64_t one_lap;	/* power of two > ring_cap */
	unsigned char *ring;	/* ring_cap slots: stamp then value */

	atomic_size_t handles;	/* senders + receiver alive; 0 frees */
	atomic_size_t senders;
	atomic_bool tx_gone;	/* every sender dropped */
	atomic_bool rx_gone;	/* receiver dropped */

	alignas(64) struct ry_event rx_ev;	/* the receiver sleeps here */
	struct ry_event tx_ev;			/* blocked senders sleep here */

	/* Producers' side: the next position to claim. */
	alignas(64) _Atomic uint64_t tail;
	_Atomic(struct block *) tail_block;

	/* Consumer's side.  head is atomic because bounded senders read it
	 * to tell "full" from "in progress"; only the receiver writes it. */
	alignas(64) _Atomic uint64_t head;
	struct block *head_block;	/* receiver only */
	_Atomic uint64_t received;	/* rendezvous: values taken so far */
};

static struct ry_chan *CH(const void *end)
{
	return (struct ry_chan *)end;
}

static struct block *block_new(const struct ry_chan *ch)
{
	return calloc(1, sizeof(struct block) + BLOCK_CAP * ch->stride);
}

static _Atomic uint64_t *ring_stamp(const struct ry_chan *ch, uint64_t index)
{
	return (_Atomic uint64_t *)(ch->ring + index * (ch->stride + 16));
}

static void *ring_value(const struct ry_chan *ch, uint64_t index)
{
	return ch->ring + index * (ch->stride + 16) + 16;
}

int ry_chan_new(size_t elem, long cap, struct ry_sender **tx, struct ry_receiver **rx)
{
	struct ry_chan *ch;

	if (elem == 0 || elem > (1u << 20) || cap < RY_CHAN_UNBOUNDED ||
	    cap > (1L << 30))
		return -EINVAL;
	ch = aligned_alloc(64, (sizeof *ch + 63) & ~(size_t)63);
	if (!ch)
		return -ENOMEM;
	memset(ch, 0, sizeof *ch);
	ch->elem = elem;
	ch->stride = (elem + 7) & ~(size_t)7;
	ch->cap = cap;
	atomic_init(&ch->handles, 2);
	atomic_init(&ch->senders, 1);
	if (cap == RY_CHAN_UNBOUNDED) {
		ch->head_block = block_new(ch);
		if (!ch->head_block)
			goto out_free_chan;
		atomic_init(&ch->tail_block, ch->head_block);
	} else {
		ch->ring_cap = cap ? (uint64_t)cap : 1;
		ch->one_lap = 1;
		while (ch->one_lap <= ch->ring_cap)
			ch->one_lap <<= 1;
		ch->ring = calloc(ch->ring_cap, ch->stride + 16);
		if (!ch->ring)
			goto out_free_chan;
		for (uint64_t i = 0; i < ch->ring_cap; i++)
			atomic_init(ring_stamp(ch, i), i);
	}
	*tx = (struct ry_sender *)ch;
	*rx = (struct ry_receiver *)ch;
	return 0;

out_free_chan:
	free(ch);
	return -ENOMEM;
}

static void chan_unref(struct ry_chan *ch)
{
	if (atomic_fetch_sub(&ch->handles, 1) != 1)
		return;
	struct block *b = ch->head_block;
	while (b) {
		struct block *next = atomic_load_explicit(&b->next, memory_order_relaxed);
		free(b);
		b = next;
	}
	free(ch->ring);
	free(ch);
}

struct ry_sender *ry_sender_clone(struct ry_sender *tx)
{
	struct ry_chan *ch = CH(tx);

	atomic_fetch_add_explicit(&ch->handles, 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&ch->senders, 1, memory_order_relaxed);
	return tx;
}

void ry_sender_drop(struct ry_sender *tx)
{
	struct ry_chan *ch = CH(tx);

	if (!tx)
		return;
	/* acq_rel: the last sender's flag carries every sender's values. */
	if (atomic_fetch_sub_explicit(&ch->senders, 1, memory_order_acq_rel) == 1) {
		atomic_store(&ch->tx_gone, true);
		ry_event_notify(&ch->rx_ev);
	}
	chan_unref(ch);
}

void ry_receiver_drop(struct ry_receiver *rx)
{
	struct ry_chan *ch = CH(rx);

	if (!rx)
		return;
	atomic_store(&ch->rx_gone, true);
	ry_event_notify(&ch->tx_ev);
	chan_unref(ch);
}

/* ---- unbounded: the block list ---- */

static int list_send(struct ry_chan *ch, const void *val)
{
	uint64_t tail = atomic_load_explicit(&ch->tail, memory_order_acquire);
	struct block *b = atomic_load_explicit(&ch->tail_block, memory_order_acquire);
	struct block *next = NULL;
	unsigned step = 0, cas_fails = 0;

	for (;;) {
		unsigned off = tail % LAP;

		if (off == BLOCK_CAP) {
			/* Another sender is installing the next block. */
			if (ry_backoff(&step))
				sched_yield();
			tail = atomic_load_explicit(&ch->tail, memory_order_acquire);
			b = atomic_load_explicit(&ch->tail_block, memory_order_acquire);
			continue;
		}
		/* Whoever claims the last slot installs the next block;
		 * allocate it before claiming so the install is quick. */
		if (off + 1 == BLOCK_CAP && !next) {
			next = block_new(ch);
			if (!next)
				return -ENOMEM;
		}
		if (atomic_compare_exchange_weak_explicit(&ch->tail, &tail, tail + 1,
				memory_order_seq_cst, memory_order_acquire)) {
			if (off + 1 == BLOCK_CAP) {
				atomic_store_explicit(&ch->tail_block, next, memory_order_release);
				atomic_fetch_add_explicit(&ch->tail, 1, memory_order_release);
				atomic_store_explicit(&b->next, next, memory_order_release);
				next = NULL;
			}
			memcpy(b->data + off * ch->stride, val, ch->elem);
			/* Release is enough: the seq_cst CAS above is what a
			 * sleeping receiver's re-check sees (see claimed()). */
			atomic_store_explicit(&b->ready[off], 1, memory_order_release);
			free(next);
			ry_event_notify(&ch->rx_ev);
			return 0;
		}
		/* tail moved: the block we hold may be stale.  tail was read
		 * first, so a block read now is at least as new.  Back off
		 * before retrying: producers that retry at once only take the
		 * line from each other. */
		b = atomic_load_explicit(&ch->tail_block, memory_order_acquire);
		for (unsigned i = 0; i < (1u << (cas_fails < 6 ? cas_fails : 6)); i++)
			ry_cpu_relax();
		cas_fails++;
	}
}

static int list_try_pop(struct ry_chan *ch, void *out)
{
	uint64_t head = atomic_load_explicit(&ch->head, memory_order_relaxed);
	struct block *b = ch->head_block;
	unsigned off = head % LAP;

	if (!atomic_load_explicit(&b->ready[off], memory_order_acquire))
		return -EAGAIN;
	memcpy(out, b->data + off * ch->stride, ch->elem);
	head++;
	if (off + 1 == BLOCK_CAP) {
		/* The installer links the next block before it marks the
		 * last slot ready, and no sender touches a block after marking
		 * its slot, so b is ours to free. */
		ch->head_block = atomic_load(&b->next);
		free(b);
		head++;
	}
	atomic_store_explicit(&ch->head, head, memory_order_relaxed);
	return 0;
}

/* ---- bounded and rendezvous: the stamped ring ---- */

/* Claims a slot and writes val; *pos gets the claimed position. */
static int ring_try_push(struct ry_chan *ch, const void *val, uint64_t *pos)
{
	uint64_t tail = atomic_load_explicit(&ch->tail, memory_order_relaxed);
	unsigned step = 0;

	for (;;) {
		uint64_t index = tail & (ch->one_lap - 1);
		uint64_t lap = tail & ~(ch->one_lap - 1);
		_Atomic uint64_t *stamp = ring_stamp(ch, index);
		uint64_t s = atomic_load(stamp);

		if (s == tail) {
			uint64_t new_tail = index + 1 < ch->ring_cap ? tail + 1 : lap + ch->one_lap;
			if (atomic_compare_exchange_weak_explicit(&ch->tail, &tail, new_tail,
					memory_order_seq_cst, memory_order_relaxed)) {
				memcpy(ring_value(ch, index), val, ch->elem);
				/* Release: the CAS is what claimed() sees. */
				atomic_store_explicit(stamp, tail + 1, memory_order_release);
				*pos = tail;
				return 0;
			}
			ry_cpu_relax();
		} else if (s + ch->one_lap == tail + 1) {
			/* The slot still holds last lap's value: full, unless the
			 * receiver is just taking it. */
			uint64_t head = atomic_load(&ch->head);
			if (head + ch->one_lap == tail)
				return -EAGAIN;
			if (ry_backoff(&step))
				sched_yield();
			tail = atomic_load_explicit(&ch->tail, memory_order_relaxed);
		} else {
			/* Another sender moved past us; catch up. */
			if (ry_backoff(&step))
				sched_yield();
			tail = atomic_load_explicit(&ch->tail, memory_order_relaxed);
		}
	}
}

static int ring_try_pop(struct ry_chan *ch, void *out)
{
	uint64_t head = atomic_load_explicit(&ch->head, memory_order_relaxed);
	uint64_t index = head & (ch->one_lap - 1);
	uint64_t lap = head & ~(ch->one_lap - 1);
	_Atomic uint64_t *stamp = ring_stamp(ch, index);

	/* Only the slot's stamp is read: a sender that has claimed the slot
	 * but not yet written it has not sent yet, so "empty" is the truth,
	 * and not touching tail leaves its cache line to the senders (reading
	 * it here cost the bounded channels half their speed). */
	if (atomic_load_explicit(stamp, memory_order_acquire) != head + 1)
		return -EAGAIN;
	uint64_t new_head = index + 1 < ch->ring_cap ? head + 1 : lap + ch->one_lap;
	/* seq_cst: a sender about to sleep on a full ring re-reads head, and
	 * our notify below must then see it armed (core/wait.h). */
	atomic_store(&ch->head, new_head);
	memcpy(out, ring_value(ch, index), ch->elem);
	atomic_store_explicit(stamp, head + ch->one_lap, memory_order_release);
	/* A freed slot needs one sender, not all of them: waking every
	 * blocked sender per receive made four producers on a full ring
	 * trample each other (bench sync1024_4p).  A rendezvous sender waits
	 * for its own value to be taken, so there everyone must look. */
	if (ch->cap == 0) {
		atomic_fetch_add(&ch->received, 1);
		ry_event_notify(&ch->tx_ev);
	} else {
		ry_event_notify_one(&ch->tx_ev);
	}
	return 0;
}

/* A rendezvous sender waits until the receiver has taken its value. */
static int rendezvous_wait(struct ry_chan *ch, uint64_t pos)
{
	uint64_t seq = pos / ch->one_lap;	/* ring of one: pos = lap */
	unsigned step = 0;

	for (;;) {
		if (atomic_load(&ch->received) > seq)
			return 0;
		if (atomic_load(&ch->rx_gone))
			return atomic_load(&ch->received) > seq ? 0 : -EPIPE;
		if (!ry_backoff(&step))
			continue;
		uint32_t key = ry_event_arm(&ch->tx_ev);
		if (atomic_load(&ch->received) <= seq && !atomic_load(&ch->rx_gone))
			ry_event_sleep(&ch->tx_ev, key, 0);
		ry_event_disarm(&ch->tx_ev);
	}
}

static int ring_send(struct ry_chan *ch, const void *val, bool block)
{
	uint64_t pos;
	unsigned step = 0;

	for (;;) {
		if (ring_try_push(ch, val, &pos) == 0)
			break;
		if (atomic_load(&ch->rx_gone))
			return -EPIPE;
		if (!block)
			return -EAGAIN;
		if (!ry_backoff(&step))
			continue;
		uint32_t key = ry_event_arm(&ch->tx_ev);
		int rc = ring_try_push(ch, val, &pos);
		if (rc == 0) {
			ry_event_disarm(&ch->tx_ev);
			break;
		}
		if (!atomic_load(&ch->rx_gone))
			ry_event_sleep(&ch->tx_ev, key, 0);
		ry_event_disarm(&ch->tx_ev);
	}
	ry_event_notify(&ch->rx_ev);
	return ch->cap == 0 ? rendezvous_wait(ch, pos) : 0;
}

/* ---- the public calls ---- */

int ry_chan_send(struct ry_sender *tx, const void *val)
{
	struct ry_chan *ch = CH(tx);

	if (atomic_load_explicit(&ch->rx_gone, memory_order_relaxed))
		return -EPIPE;
	if (ch->cap == RY_CHAN_UNBOUNDED)
		return list_send(ch, val);
	return ring_send(ch, val, true);
}

int ry_chan_try_send(struct ry_sender *tx, const void *val)
{
	struct ry_chan *ch = CH(tx);

	if (atomic_load(&ch->rx_gone))
		return -EPIPE;
	if (ch->cap == RY_CHAN_UNBOUNDED)
		return list_send(ch, val);
	if (ch->cap == 0) {
		/* Rust's try_send on sync_channel(0) succeeds only when a
		 * receiver is already waiting; then the hand-off is short. */
		if (atomic_load(&ch->rx_ev.waiters) == 0)
			return -EAGAIN;
		return ring_send(ch, val, true);
	}
	return ring_send(ch, val, false);
}

static int try_pop(struct ry_chan *ch, void *out)
{
	return ch->cap == RY_CHAN_UNBOUNDED ? list_try_pop(ch, out) : ring_try_pop(ch, out);
}

/*
 * Has some sender claimed a position the receiver has not taken?  Senders
 * claim with a seq_cst CAS on tail before they write, so a receiver that
 * armed its event and then finds nothing claimed may sleep: any later
 * claim's sender will see it armed.  A claimed but unwritten slot means
 * the value is moments away; the receiver waits for it awake.
 */
static bool claimed(struct ry_chan *ch)
{
	uint64_t tail = atomic_load(&ch->tail);
	uint64_t head = atomic_load_explicit(&ch->head, memory_order_relaxed);

	return ch->cap == RY_CHAN_UNBOUNDED ? tail > head : tail != head;
}

/* deadline_ns: 0 blocks without limit, -1 never blocks. */
static int recv_until(struct ry_chan *ch, void *out, int64_t deadline_ns)
{
	unsigned step = 0;

	for (;;) {
		if (try_pop(ch, out) == 0)
			return 0;
		if (atomic_load(&ch->tx_gone))
			/* Every value sent happened before the flag: one more
			 * look drains what raced with it. */
			return try_pop(ch, out) == 0 ? 0 : -EPIPE;
		if (deadline_ns < 0)
			return -EAGAIN;
		if (!ry_backoff(&step))
			continue;
		if (deadline_ns > 0 && ry_now_ns() >= deadline_ns)
			return -ETIMEDOUT;
		uint32_t key = ry_event_arm(&ch->rx_ev);
		if (try_pop(ch, out) == 0) {
			ry_event_disarm(&ch->rx_ev);
			return 0;
		}
		int rc = 0;
		if (claimed(ch))
			sched_yield();	/* a sender is mid-write: let it finish */
		else if (!atomic_load(&ch->tx_gone))
			rc = ry_event_sleep(&ch->rx_ev, key, deadline_ns);
		ry_event_disarm(&ch->rx_ev);
		if (rc == -ETIMEDOUT)
			return try_pop(ch, out) == 0 ? 0 : -ETIMEDOUT;
	}
}

int ry_chan_recv(struct ry_receiver *rx, void *out)
{
	return recv_until(CH(rx), out, 0);
}

int ry_chan_recv_timeout(struct ry_receiver *rx, void *out, int64_t timeout_ns)
{
	if (timeout_ns <= 0)
		timeout_ns = 1;
	return recv_until(CH(rx), out, ry_now_ns() + timeout_ns);
}

int ry_chan_try_recv(struct ry_receiver *rx, void *out)
{
	return recv_until(CH(rx), out, -1);
}
