/*
 * linesrc: list items from operands and standard input, read on demand.
 */
#include "util/linesrc.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/opt.h"
#include "util/grow.h"

void ry_linesrc_init(struct ry_linesrc *s, char **argv, int argc, int first, int fd)
{
	memset(s, 0, sizeof *s);
	s->argv = argv;
	s->argc = argc;
	s->next = first;
	s->fd = fd;
	s->in_stdin = first >= argc;
}

void ry_linesrc_free(struct ry_linesrc *s)
{
	free(s->buf);
	s->buf = NULL;
}

int ry_linesrc_next(struct ry_linesrc *s, char **text, size_t *n)
{
	for (;;) {
		if (s->in_stdin) {
			char *start = s->buf ? s->buf + s->off : NULL;
			char *nl = start ? memchr(start, '\n', s->len - s->off) : NULL;
			size_t len;
			if (nl) {
				len = (size_t)(nl - start);
				s->off += len + 1;
			} else if (s->eof) {
				len = start ? s->len - s->off : 0;
				s->off = s->len;
				if (len == 0) {
					s->in_stdin = false;
					s->stdin_done = true;
					continue;
				}
			} else {
				return 0;
			}
			s->lines++;
			char *line = ry_list_line(start, len, n);
			if (!line)
				continue;
			line[*n] = '\0';	/* the byte after: '\n', or room kept */
			*text = line;
			s->items++;
			s->item_line = s->lines;
			return 1;
		}
		if (s->next >= s->argc)
			return -1;
		char *arg = s->argv[s->next++];
		if (strcmp(arg, "-") == 0) {
			s->in_stdin = !s->stdin_done;
			continue;
		}
		*text = arg;
		*n = strlen(arg);
		s->items++;
		s->item_line = 0;
		return 1;
	}
}

int ry_linesrc_fill(struct ry_linesrc *s)
{
	if (s->off > 0) {	/* what was taken goes */
		memmove(s->buf, s->buf + s->off, s->len - s->off);
		s->len -= s->off;
		s->off = 0;
	}
	char *b = ry_grow(s->buf, &s->cap, s->len + 4096 + 1, 1, 65536);
	if (!b)
		return -ENOMEM;
	s->buf = b;
	ssize_t got;
	do
		got = read(s->fd, s->buf + s->len, s->cap - s->len - 1);
	while (got < 0 && errno == EINTR);
	if (got < 0)
		return -errno;
	if (got == 0)
		s->eof = true;
	s->len += (size_t)got;
	s->buf[s->len] = '\0';
	return 0;
}

int ry_linesrc_next_wait(struct ry_linesrc *s, char **text, size_t *n, const atomic_bool *stop)
{
	for (;;) {
		int got = ry_linesrc_next(s, text, n);
		if (got != 0)
			return got > 0 ? 1 : 0;
		struct pollfd p = { .fd = s->fd, .events = POLLIN };
		if (stop && atomic_load(stop))
			return -EINTR;
		if (poll(&p, 1, -1) < 0 && errno == EINTR)
			continue;	/* the stop flag is looked at again */
		if ((s->err = ry_linesrc_fill(s)) != 0)
			return s->err;
	}
}
