/*
 * barrier: N threads wait for each other, Rust's std::sync::Barrier.
 *
 * ry_barrier_wait() blocks until n threads have called it, then releases
 * them all.  Exactly one of each round, the last to arrive, is told it is
 * the leader.  The barrier resets itself, so the same threads can use it
 * for any number of rounds.  Waiting spins briefly, then sleeps on a futex
 * (see core/wait.h).
 *
 * Thread safety: wait from any thread; free by one thread once no thread
 * is inside wait.  A thread that never arrives leaves the others blocked,
 * as in Rust.
 */
#ifndef RY_CORE_BARRIER_H
#define RY_CORE_BARRIER_H

#include <stdbool.h>

struct ry_barrier;

/* A barrier for n >= 1 threads; NULL with errno EINVAL or ENOMEM. */
struct ry_barrier *ry_barrier_new(unsigned n);
void ry_barrier_free(struct ry_barrier *b);

/* Blocks until n threads are waiting.  Returns true for this round's one
 * leader, false for the others. */
bool ry_barrier_wait(struct ry_barrier *b);

#endif
