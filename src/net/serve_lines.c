#include "net/serve_lines.h"
#include "util/grow.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define KEEP_MAX 4096	/* a held buffer up to this size is reused */

int ry_lines_reserve(struct ry_lines *l, size_t need)
{
	if (l->cap >= need)
		return 0;
	char *p = ry_grow(l->buf, &l->cap, need, 1, 256);
	if (!p)
		return -ENOMEM;
	l->buf = p;
	return 0;
}

void ry_lines_free(struct ry_lines *l)
{
	free(l->buf);
	l->buf = NULL;
	l->len = l->cap = 0;
}

long ry_lines_feed(struct ry_lines *l, size_t max, const char *data, size_t n,
		   ry_line_fn *on_line, void *ctx)
{
	long done = 0;

	while (n > 0) {
		const char *nl = memchr(data, '\n', n);
		size_t seg = nl ? (size_t)(nl - data) : n;

		if (l->len + seg > max)
			return -EMSGSIZE;
		if (!nl || l->len > 0) {
			if (ry_lines_reserve(l, l->len + seg) != 0)
				return -ENOMEM;
			memcpy(l->buf + l->len, data, seg);
			l->len += seg;
		}
		if (!nl)
			break;
		if (l->len == 0) {
			on_line(ctx, data, seg);	/* whole line in this read */
		} else {
			on_line(ctx, l->buf, l->len);
			l->len = 0;
			if (l->cap > KEEP_MAX)
				ry_lines_free(l);
		}
		done++;
		data += seg + 1;
		n -= seg + 1;
	}
	return done;
}
