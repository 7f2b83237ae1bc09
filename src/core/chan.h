/*
 * chan: typed multi-producer, single-consumer channels, Rust's
 * std::sync::mpsc.
 *
 * ry_chan_new() makes a channel of fixed-size elements and returns its two
 * ends: a sender (clone it for each producer) and the one receiver.
 * Values are copied in by send and out by recv; the channel owns no
 * pointers inside them.
 *
 * Capacity picks the kind:
 *   RY_CHAN_UNBOUNDED  send never blocks (Rust's channel());
 *   n >= 1             send blocks while n values wait (sync_channel(n));
 *   0                  rendezvous: send blocks until the receiver has taken
 *                      that very value (sync_channel(0)).
 *
 * Guarantees, under any interleaving: no value is lost, duplicated or
 * reordered within one sender; values from different senders interleave.
 * send fails with -EPIPE once the receiver is gone, leaving the caller's
 * value untouched (Rust's SendError hands it back; here it never left).
 * recv blocks while the channel is empty and some sender lives; once every
 * sender is gone and the channel is drained it returns -EPIPE.  The channel
 * is freed when the receiver and every sender have been dropped.
 *
 * Implementation: unbounded channels are a linked list of 31-slot blocks
 * that producers claim with one compare-and-swap (crossbeam's list
 * flavour, as in Rust's std since 1.67); bounded ones are a ring of
 * stamped slots (crossbeam's array flavour).  Blocking uses core/wait.h:
 * a short spin, a few yields, then a futex.  No lock anywhere.
 *
 * Thread safety: send, try_send, sender_clone and sender_drop from any
 * thread, each on a handle the caller owns; recv, try_recv, recv_timeout
 * and receiver_drop only from one thread at a time (single consumer).
 */
#ifndef RY_CORE_CHAN_H
#define RY_CORE_CHAN_H

#include <stddef.h>
#include <stdint.h>

#include "util/error.h"

#define RY_CHAN_UNBOUNDED (-1L)

struct ry_sender;
struct ry_receiver;

/* Makes a channel of elem_size-byte values (elem_size >= 1) with the given
 * capacity (RY_CHAN_UNBOUNDED, 0, or n).  Returns 0 and both ends, or
 * -EINVAL (bad size or capacity) or -ENOMEM. */
int ry_chan_new(size_t elem_size, long capacity,
		struct ry_sender **tx, struct ry_receiver **rx);

/* A new sender handle for the same channel (Rust's tx.clone()).  Never
 * fails.  Each handle is dropped once. */
struct ry_sender *ry_sender_clone(struct ry_sender *tx);
/* Drops one sender; the last one disconnects the receiver. */
void ry_sender_drop(struct ry_sender *tx);
/* Drops the receiver: blocked and later sends fail with -EPIPE; values
 * still queued are discarded. */
void ry_receiver_drop(struct ry_receiver *rx);

/* Copies *val into the channel.  Blocks as the capacity says.  Returns 0,
 * -EPIPE (receiver gone; for a rendezvous also while blocked, if the value
 * was not taken), or -ENOMEM (unbounded: no memory for a block). */
int ry_chan_send(struct ry_sender *tx, const void *val);
/* Never blocks: -EAGAIN when a bounded channel is full or, for a
 * rendezvous, no receiver is waiting.  Otherwise as send. */
int ry_chan_try_send(struct ry_sender *tx, const void *val);

/* Blocks until a value arrives and copies it to *out.  Returns 0, or
 * -EPIPE once empty with every sender gone. */
int ry_chan_recv(struct ry_receiver *rx, void *out);
/* As recv, for at most timeout_ns: -ETIMEDOUT when nothing came. */
int ry_chan_recv_timeout(struct ry_receiver *rx, void *out, int64_t timeout_ns);
/* Never blocks: -EAGAIN when empty with senders alive, -EPIPE when empty
 * with none. */
int ry_chan_try_recv(struct ry_receiver *rx, void *out);

#endif
