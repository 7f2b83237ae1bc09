#include "util/progress.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/time.h"

/* A bar is on screen: the line stderr is on holds it. */
static atomic_bool drawn;

static bool wanted(void)
{
	const char *term = getenv("TERM");

	return isatty(STDERR_FILENO) && term && *term && strcmp(term, "dumb") != 0 &&
	       !getenv("NO_COLOR");
}

void ry_progress_init(struct ry_progress *p, size_t total, size_t min_total, const char *what,
		      bool quiet)
{
	memset(p, 0, sizeof *p);
	p->total = total;
	p->what = what;
	p->shown = (size_t)-1;
	p->on = total >= min_total && !quiet && wanted();
}

bool ry_progress_take_line(void)
{
	return atomic_exchange(&drawn, false);
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

static void draw(struct ry_progress *p, size_t done, int64_t now)
{
	char line[128];
	size_t n = ry_progress_format(line, sizeof line, done, p->total, p->what);

	p->last_ns = now;
	p->shown = done;
	/* stderr is unbuffered: one write per redraw. */
	if (n > 0 && write(STDERR_FILENO, line, n) == (ssize_t)n)
		atomic_store(&drawn, true);
}

void ry_progress_update(struct ry_progress *p, size_t done)
{
	int64_t now;

	if (!p->on)
		return;
	now = ry_now_ns();
	if (atomic_load(&drawn) && now - p->last_ns < 100000000 && done < p->total)
		return;
	draw(p, done, now);
}

void ry_progress_idle(struct ry_progress *p, size_t done)
{
	if (p->on && (done != p->shown || !atomic_load(&drawn)))
		draw(p, done, ry_now_ns());
}

void ry_progress_clear(struct ry_progress *p)
{
	static const char erase[] = "\r\033[K";

	if (p->on && atomic_exchange(&drawn, false))
		(void)!write(STDERR_FILENO, erase, sizeof erase - 1);
}
