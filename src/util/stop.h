/*
 * stop: the one model of "asked to stop early" for every subcommand.
 *
 * A subcommand with results to report calls ry_stop_catch() before its
 * long part: SIGINT and SIGTERM then only record the request (with
 * SA_RESTART, so reads and writes in progress carry on).  Engines poll
 * ry_stop_flag (they take it as an atomic_bool * in their config) or
 * block in ry_stop_wait(), which returns once a stop was asked.  Code
 * that decides to stop for a reason of its own (stdout went away) calls
 * ry_stop_request(0): the same wake-up, no signal.  At the end
 * ry_stop_status() is 0 if no signal came, else 128 + the first signal,
 * which main turns into ending by that signal once the results are out.
 *
 * Thread safety: any thread; ry_stop_request is async-signal-safe.
 */
#ifndef RY_UTIL_STOP_H
#define RY_UTIL_STOP_H

#include <stdatomic.h>
#include <stdint.h>

extern atomic_bool ry_stop_flag;
/* Set by a second SIGINT or SIGTERM: stop now, skip any draining. */
extern atomic_bool ry_stop_now;

/* Installs the SIGINT and SIGTERM handlers.  0 or a negative errno. */
int ry_stop_catch(void);

/* Ignores SIGPIPE, so that a reader of stdout (or a peer) going away
 * is an EPIPE the subcommand handles by stopping quietly.  0 or a
 * negative errno. */
int ry_stop_ignore_pipe(void);

/* SIGPIPE (the reader of stdout left) ends the process at once with
 * status 0: nobody reads what would follow, and nothing failed.  main
 * sets it for every subcommand; ry_stop_ignore_pipe overrides it. */
void ry_stop_quit_on_pipe(void);

/* Asks to stop: sig is the signal that asked, or 0 for none.  Sets
 * ry_stop_flag and wakes ry_stop_wait. */
void ry_stop_request(int sig);

/* Blocks until a stop was asked or the absolute CLOCK_MONOTONIC
 * deadline (ns; 0: none) passes.  0 once asked, -ETIMEDOUT.  Call after
 * ry_stop_catch. */
int ry_stop_wait(int64_t deadline_ns);

/* 0 if no signal asked, else 128 + the first signal that did. */
int ry_stop_status(void);

#endif
