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

void ry_progress_update(struct ry_progress *p, size_t done)
{
	char bar[31], line[128];
	int64_t now;

	if (!p->on)
		return;
	now = ry_now_ns();
	if (p->drawn && now - p->last_ns < 100000000 && done < p->total)
		return;
	p->last_ns = now;
	size_t fill = p->total ? done * 30 / p->total : 30;
	memset(bar, '#', fill);
	memset(bar + fill, '.', 30 - fill);
	bar[30] = '\0';
	int n = snprintf(line, sizeof line, "\r[%s] %zu/%zu %s %3zu%%", bar, done, p->total,
			 p->what, p->total ? done * 100 / p->total : 100);
	/* stderr is unbuffered: one write per redraw. */
	if (n > 0 && write(STDERR_FILENO, line, (size_t)n) == n)
		p->drawn = true;
}

void ry_progress_clear(struct ry_progress *p)
{
	static const char erase[] = "\r\033[K";

	if (p->on && p->drawn && write(STDERR_FILENO, erase, sizeof erase - 1) > 0)
		p->drawn = false;
}
