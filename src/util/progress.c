#include "util/progress.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "util/time.h"

void ry_progress_init(struct ry_progress *p, size_t total, size_t min_total, const char *what)
{
	memset(p, 0, sizeof *p);
	p->total = total;
	p->what = what;
	p->on = total >= min_total && isatty(STDERR_FILENO);
}

size_t ry_progress_format(char *line, size_t len, size_t done, size_t total, const char *what)
{
	char bar[31];
	/* A count past the total (a caller's bug, or a late reply counted
	 * twice) shows as full: the fill is bounded, whatever it is given. */
	size_t shown = total && done > total ? total : done;
	size_t fill = total ? shown * 30 / total : 30;
	int n;

	memset(bar, '#', fill);
	memset(bar + fill, '.', 30 - fill);
	bar[30] = '\0';
	n = snprintf(line, len, "\r[%s] %zu/%zu %s %3zu%%", bar, shown, total, what,
		     total ? shown * 100 / total : 100);
	if (n < 0)
		return 0;
	return (size_t)n < len ? (size_t)n : len - 1;
}

void ry_progress_update(struct ry_progress *p, size_t done)
{
	char line[128];
	int64_t now;

	if (!p->on)
		return;
	now = ry_now_ns();
	if (p->drawn && now - p->last_ns < 100000000 && done < p->total)
		return;
	p->last_ns = now;
	size_t n = ry_progress_format(line, sizeof line, done, p->total, p->what);
	/* stderr is unbuffered: one write per redraw. */
	if (n > 0 && write(STDERR_FILENO, line, n) == (ssize_t)n)
		p->drawn = true;
}

void ry_progress_clear(struct ry_progress *p)
{
	static const char erase[] = "\r\033[K";

	if (p->on && p->drawn && write(STDERR_FILENO, erase, sizeof erase - 1) > 0)
		p->drawn = false;
}
