/*
 * progress: a one-line progress bar on stderr for long runs.
 *
 * Drawn only when stderr is a terminal that can take it and the run is
 * long enough to need it: never into a file or a pipe that a script
 * reads, never with -q, and not when TERM is unset or "dumb" or NO_COLOR
 * is set (the bar is the one piece of terminal decoration rustyc draws,
 * and those settings ask for none).  Redrawn at most ten times a second,
 * and at once when the caller is about to wait (ry_progress_idle), so the
 * count shown is never stale for long.
 *
 * Any line rustyc writes to stderr through util/diag erases the bar first
 * (in the same write): a message never sticks to it.  Before printing a
 * result to a terminal stdout, call ry_progress_clear.
 *
 * Thread safety: one bar at a time, drawn from one thread; ry_err may
 * erase it from any thread (ry_progress_take_line).
 */
#ifndef RY_UTIL_PROGRESS_H
#define RY_UTIL_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ry_progress {
	bool on;
	size_t total, shown;	/* shown: the count last drawn */
	int64_t last_ns;
	const char *what;	/* "names", "hosts" */
};

/* Turns the bar on if total >= min_total, !quiet, and stderr is a
 * terminal that wants it (see above). */
void ry_progress_init(struct ry_progress *p, size_t total, size_t min_total, const char *what,
		      bool quiet);
void ry_progress_update(struct ry_progress *p, size_t done);
/* As update, but draws now if the count changed, whatever the time: for
 * the moment before a wait. */
void ry_progress_idle(struct ry_progress *p, size_t done);
/* Erases the bar if it is on screen (it comes back on the next update). */
void ry_progress_clear(struct ry_progress *p);

/* The bar's text for done of total into line (len > 0, NUL-terminated,
 * cut to fit): "\r[####....] 12/30 hosts  40%".  done past total shows as
 * total.  Returns the length written.  (Pure: for tests and the bar.) */
size_t ry_progress_format(char *line, size_t len, size_t done, size_t total, const char *what);

/* Whether a bar is on screen, marking it gone: a caller about to write a
 * line to stderr erases it first ("\r\033[K").  Any thread. */
bool ry_progress_take_line(void);

#endif
