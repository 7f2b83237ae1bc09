/*
 * thread: named threads that can fail alone, as Rust's std::thread does.
 *
 * ry_thread_spawn() starts fn(arg) on a new thread; ry_thread_join() waits
 * for it and hands back what fn returned, or, if the thread panicked, the
 * panic message.  ry_panic() prints
 *     thread 'NAME' panicked at 'MSG', FILE:LINE
 * to stderr and unwinds to the innermost ry_catch() of the calling thread
 * (every spawned thread runs inside one), so only that thread's work ends.
 * Mutexes the panicking code locked inside that catch become poisoned and
 * are unlocked.  A panic with no catch around it (the main thread, or a
 * thread not started here) ends the process with status 101, as Rust does.
 *
 * "Unwinding" is a longjmp: code between the catch and the panic gets no
 * chance to clean up, exactly like C code under a Rust panic.  Panics are
 * for broken invariants and deliberate lessons, never for bad input.
 *
 * Thread safety: every function may be called from any thread; a handle
 * is joined exactly once, by one thread.
 */
#ifndef RY_CORE_THREAD_H
#define RY_CORE_THREAD_H

#include <stdnoreturn.h>

#include "util/error.h"

#define RY_PANIC_MAX 256	/* a longer panic message is truncated */
#define RY_THREAD_NAME_MAX 32

/*
 * The outcome of running code that may panic.  A public value type so the
 * caller can keep it on its stack or send it through a channel by copy.
 * status is 0 (value holds the result) or RY_EPANICKED (value is NULL and
 * panic_msg holds the message).
 */
struct ry_outcome {
	void *value;
	int status;
	char panic_msg[RY_PANIC_MAX];
};

struct ry_thread;

/* Starts fn(arg) on a new thread named name (copied; NULL means
 * "<unnamed>", as Rust prints).  Returns the handle to join, or NULL with
 * errno set (EAGAIN: no resources for a thread). */
struct ry_thread *ry_thread_spawn(void *(*fn)(void *), void *arg, const char *name);

/* Blocks until t ends, fills *out (may be NULL) and frees t.  Returns 0 if
 * fn returned, RY_EPANICKED if it panicked. */
int ry_thread_join(struct ry_thread *t, struct ry_outcome *out);

/* Lets t run on unjoined: its handle is freed when it ends (at once if it
 * already has).  For work that may outlive its caller's interest, such as
 * a lookup stuck inside getaddrinfo.  t is not used again. */
void ry_thread_detach(struct ry_thread *t);

/* Runs fn(arg) on the calling thread; a panic inside ends fn only.
 * Fills *out and returns out->status.  Catches nest. */
int ry_catch(void *(*fn)(void *), void *arg, struct ry_outcome *out);

/* The calling thread's name: its spawn name, "main", or "<unnamed>". */
const char *ry_thread_name(void);

_Noreturn void ry_panic_at(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
#define ry_panic(...) ry_panic_at(__FILE__, __LINE__, __VA_ARGS__)

#endif
