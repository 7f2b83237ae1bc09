/*
 * error: the one error convention of rustyc's library code.
 *
 * Library functions (core, net, util) return 0 or a negative code: either a
 * negative errno (-ETIMEDOUT, -EPIPE, -EAGAIN, ...) or one of the named codes
 * below for outcomes that have no errno.  Constructors return NULL and set
 * errno.  ry_strerror() turns any of them into text; it is thread-safe and
 * returns a string with static storage duration.
 */
#ifndef RY_UTIL_ERROR_H
#define RY_UTIL_ERROR_H

/* Named codes sit far below any errno value. */
enum {
	RY_EPANICKED  = -1001,	/* the thread or item panicked */
	RY_EPOISONED  = -1002,	/* mutex holder panicked; lock still taken */
	RY_EBORROW    = -1003,	/* shared borrow while mutably borrowed */
	RY_EBORROWMUT = -1004,	/* mutable borrow while borrowed */
	RY_ENOTNUM    = -1005,	/* text is not a number of the wanted form */
	RY_ENONAME    = -1006,	/* name does not resolve */
	RY_EBADADDR   = -1007,	/* text is not a valid address or target */
};

/* Text for any code above or negative errno; "unknown error N" otherwise.
 * Any thread. */
const char *ry_strerror(int code);

#endif
