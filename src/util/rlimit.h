/*
 * rlimit: the process limits that servers and load generators raise.
 *
 * Thread safety: any thread; call before starting the threads that need
 * the descriptors.
 */
#ifndef RY_UTIL_RLIMIT_H
#define RY_UTIL_RLIMIT_H

/* Raises the open-file soft limit to the hard limit; returns the new
 * soft limit, or a negative errno if it cannot be read. */
long ry_rlimit_raise_nofile(void);

#endif
