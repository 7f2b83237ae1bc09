/*
 * serve_lines: a byte stream cut into lines, for serve's print and once modes.
 *
 * A ry_lines holds the part of a line that has arrived without its '\n'
 * yet.  ry_lines_feed() takes each read as it comes and hands every
 * complete line (without its '\n') to a callback: straight from the read
 * when the whole line is in it (no copy, the common case), else from the
 * held part.  Bytes are bytes: NUL, '\r' and invalid UTF-8 are kept, and
 * escaping is the printer's job.
 *
 * Ownership: the caller owns the struct (zeroed to start, ry_lines_free
 * at the end); line pointers are valid only during the callback.  Thread
 * safety: none; one connection's lines belong to one thread.
 */
#ifndef RY_NET_SERVE_LINES_H
#define RY_NET_SERVE_LINES_H

#include <stddef.h>

struct ry_lines {
	char *buf;		/* the held part of a line (or, for echo, bytes) */
	size_t len, cap;
};

typedef void ry_line_fn(void *ctx, const char *line, size_t len);

/* Feeds n bytes.  Returns the number of lines completed (0 or more), or
 * -EMSGSIZE when a line grew past max bytes (the lines before it were
 * handed over, nothing of it was) or -ENOMEM; after an error, feed no
 * more.  A held part over 4 KiB is freed once its line completes, so a
 * connection that once sent a long line does not keep its memory. */
long ry_lines_feed(struct ry_lines *l, size_t max, const char *data, size_t n,
		   ry_line_fn *on_line, void *ctx);

/* Makes room for need bytes in all: 0 or -ENOMEM. */
int ry_lines_reserve(struct ry_lines *l, size_t need);
/* Frees the buffer and empties l. */
void ry_lines_free(struct ry_lines *l);

#endif
