/*
 * stop: SIGINT and SIGTERM as a request to stop early and report.
 *
 * A subcommand with results to print calls ry_stop_catch() before its
 * long part (the handlers only store), or, if it takes signals with
 * sigwait on a thread of its own, ry_stop_request(sig) from there.  Long
 * operations poll ry_stop_flag.  At the end ry_stop_status() is 0 if no
 * signal came, else 128 + the signal, which main turns into ending by
 * that signal once the results are out.
 *
 * Thread safety: any thread; ry_stop_request is async-signal-safe.
 */
#ifndef RY_UTIL_STOP_H
#define RY_UTIL_STOP_H

#include <stdatomic.h>

extern atomic_bool ry_stop_flag;

void ry_stop_catch(void);
void ry_stop_request(int sig);
int ry_stop_status(void);

#endif
