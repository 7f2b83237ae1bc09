/*
 * proc: running a program without a shell, the tutorial's shell(cmd)
 * made safe: the arguments go to the program as a vector, so no argument
 * (a sweep target, say) can ever become shell code.
 *
 * A program gets a fixed environment: PATH=/usr/local/sbin:...:/bin and
 * LC_ALL=C, nothing of the caller's.  It is looked up on the caller's
 * PATH, except when rustyc started privileged (util/priv): then on that
 * fixed PATH only, so a setuid or root run never runs a program the
 * caller planted.
 *
 * Thread safety: reentrant (posix_spawn and waitpid on our own child).
 */
#ifndef RY_UTIL_PROC_H
#define RY_UTIL_PROC_H

#include <stddef.h>

#include "util/error.h"

/* Runs argv[0] (searched as above) with argv, stdin, stdout and stderr on
 * /dev/null, and waits for it.  Returns its exit status (0-255), 128+N if
 * killed by signal N, or a negative errno if it could not start (-ENOENT:
 * no such program). */
int ry_proc_run(const char *const argv[]);

/* As ry_proc_run, with the program's standard output read into
 * out[0..len-1) (NUL-terminated, cut at len - 1; the rest is read and
 * dropped, so the program never blocks on a full pipe). */
int ry_proc_run_capture(const char *const argv[], char *out, size_t len);

/* Whether prog is an executable file, searched as above. */
int ry_proc_exists(const char *prog);

#endif
