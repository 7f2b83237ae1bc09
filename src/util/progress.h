/*
 * progress: a one-line progress bar on stderr for long runs.
 *
 * Drawn only when stderr is a terminal (never into a file or a pipe that a
 * script reads) and the run is long enough to need it; redrawn at most ten
 * times a second.  No colour.  Before printing a result to a terminal
 * stdout, call ry_progress_clear so the bar and the results do not mix.
 *
 * Thread safety: one thread.
 */
#ifndef RY_UTIL_PROGRESS_H
#define RY_UTIL_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ry_progress {
	bool on, drawn;
	size_t total;
	int64_t last_ns;
	const char *what;	/* "names", "hosts" */
};

/* Turns the bar on if stderr is a terminal and total >= min_total. */
void ry_progress_init(struct ry_progress *p, size_t total, size_t min_total, const char *what);
void ry_progress_update(struct ry_progress *p, size_t done);
/* The bar's text for done of total into line (len > 0, NUL-terminated,
 * cut to fit): "\r[####....] 12/30 hosts  40%".  done past total shows as
 * total.  Returns the length written.  (Pure: for tests and the bar.) */
size_t ry_progress_format(char *line, size_t len, size_t done, size_t total, const char *what);
/* Erases the bar if it is on screen (it comes back on the next update). */
void ry_progress_clear(struct ry_progress *p);

#endif
