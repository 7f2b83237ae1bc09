/*
 * time: the one clock rustyc measures with.
 *
 * CLOCK_MONOTONIC in nanoseconds: deadlines, round-trip times, rates and
 * the progress bar's redraw interval all read it, so they agree.
 *
 * Thread safety: any thread; async-signal-safe (clock_gettime is).
 */
#ifndef RY_UTIL_TIME_H
#define RY_UTIL_TIME_H

#include <stdint.h>

/* CLOCK_MONOTONIC now, in ns. */
int64_t ry_now_ns(void);

#endif
