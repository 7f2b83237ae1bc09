/*
 * linesrc: the items of a list a user gives, as they are needed: the
 * command's operands in order, and standard input in place of '-' (or
 * alone, when there are no operands), read only when the caller asks
 * for more, so that a list of millions streams through in bounded memory
 * and a pipe that trickles is answered line by line.  Lines are trimmed
 * and comments skipped as ry_list_line does; a line may hold NUL bytes
 * (the caller checks n against strlen).
 *
 * Ownership: the source owns its buffer; an item's text stays valid
 * until the next call on the source.  Thread safety: one thread.
 */
#ifndef RY_UTIL_LINESRC_H
#define RY_UTIL_LINESRC_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

struct ry_linesrc {
	char **argv;
	int argc, next;
	int fd;				/* standard input, or a test's pipe */
	bool in_stdin, stdin_done;
	char *buf;
	size_t off, len, cap;
	bool eof;
	int err;			/* for the caller: a read error */
	size_t items;			/* handed out so far */
	size_t lines;			/* lines of stdin read so far */
	size_t item_line;		/* the last item's line of stdin, or 0
					 * for an operand (for messages) */
};

/* Operands argv[first..argc); none means fd alone. */
void ry_linesrc_init(struct ry_linesrc *s, char **argv, int argc, int first, int fd);

/* The next item in *text (NUL-terminated after *n bytes): 1; 0 when
 * input must be read first (ry_linesrc_fill, once fd is readable); -1
 * when there are no more. */
int ry_linesrc_next(struct ry_linesrc *s, char **text, size_t *n);

/* One read of fd: 0 (end of input included), or a negative errno. */
int ry_linesrc_fill(struct ry_linesrc *s);

/* The next item, waiting for fd as needed: for a caller that takes the
 * whole list before it starts.  1; 0 at the end; -EINTR once *stop is
 * set (stop may be NULL; a signal ends the wait); or a negative errno
 * from the read, also kept in s->err. */
int ry_linesrc_next_wait(struct ry_linesrc *s, char **text, size_t *n, const atomic_bool *stop);

void ry_linesrc_free(struct ry_linesrc *s);

#endif
