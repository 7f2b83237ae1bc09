/* util/linesrc: operands and stdin in order, stdin read only on demand,
 * lines split across reads, trimmed, comments skipped. */
#include <errno.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

#include "util/linesrc.h"
#include "tap.h"

static const char *next(struct ry_linesrc *s, int *rc)
{
	char *text = NULL;
	size_t n = 0;

	*rc = ry_linesrc_next(s, &text, &n);
	return *rc == 1 ? text : "";
}

int main(void)
{
	struct ry_linesrc s;
	int p[2], rc;
	char *argv[] = { (char *)"cmd", (char *)"one", (char *)"-", (char *)"two", (char *)"-", NULL };

	if (pipe(p) != 0)
		return 1;
	ry_linesrc_init(&s, argv, 5, 1, p[0]);
	is_str(next(&s, &rc), "one", "the first operand");
	next(&s, &rc);
	is_int(rc, 0, "then '-': stdin must be read first (nothing read before it is asked for)");
	ok(write(p[1], "a\nb", 3) == 3, "a line and a half are written");
	is_int(ry_linesrc_fill(&s), 0, "one read");
	is_str(next(&s, &rc), "a", "the whole line");
	next(&s, &rc);
	is_int(rc, 0, "the half line waits for the rest");
	ok(write(p[1], "c\n# a comment\n\n  d \r\n", 21) == 21, "the rest, a comment, a blank and a CRLF line");
	is_int(ry_linesrc_fill(&s), 0, "another read");
	is_str(next(&s, &rc), "bc", "a line split across two reads is one item");
	is_str(next(&s, &rc), "d", "blanks and CR trimmed, comment and blank line skipped");
	ok(write(p[1], "e", 1) == 1 && close(p[1]) == 0, "a last line without a newline, then the end");
	next(&s, &rc);
	is_int(rc, 0, "nothing until read");
	is_int(ry_linesrc_fill(&s), 0, "read");
	next(&s, &rc);
	if (rc == 0) {
		is_int(ry_linesrc_fill(&s), 0, "read the end");
		is_str(next(&s, &rc), "e", "the last line without its newline");
	} else {
		ok(1, "read the end");
		is_int(rc, 1, "the last line without its newline");
	}
	is_str(next(&s, &rc), "two", "then the operands go on");
	next(&s, &rc);
	is_int(rc, -1, "a second '-' reads nothing more: the end");
	is_int((int)s.items, 6, "six items in all");
	ry_linesrc_free(&s);
	close(p[0]);

	char *none[] = { (char *)"cmd", NULL };
	if (pipe(p) != 0)
		return 1;
	ry_linesrc_init(&s, none, 1, 1, p[0]);
	ok(write(p[1], "x\n", 2) == 2 && close(p[1]) == 0, "no operands: stdin alone");
	next(&s, &rc);
	is_int(rc, 0, "to be read");
	ry_linesrc_fill(&s);
	is_str(next(&s, &rc), "x", "its line");
	ry_linesrc_fill(&s);
	next(&s, &rc);
	is_int(rc, -1, "and the end");
	ry_linesrc_free(&s);
	close(p[0]);

	/* Waiting as needed, with each item's line of stdin (blank lines and
	 * comments counted), 0 for an operand. */
	char *some[] = { (char *)"cmd", (char *)"op", (char *)"-", NULL };
	if (pipe(p) != 0)
		return 1;
	ry_linesrc_init(&s, some, 3, 1, p[0]);
	ok(write(p[1], "first\n\n# c\nfourth\n", 18) == 18 && close(p[1]) == 0, "four lines, two of them skipped");
	char *text;
	size_t n;
	ok(ry_linesrc_next_wait(&s, &text, &n, NULL) == 1 && strcmp(text, "op") == 0 && s.item_line == 0,
	   "next_wait: an operand, line 0");
	ok(ry_linesrc_next_wait(&s, &text, &n, NULL) == 1 && strcmp(text, "first") == 0 && s.item_line == 1,
	   "next_wait reads stdin itself: line 1");
	ok(ry_linesrc_next_wait(&s, &text, &n, NULL) == 1 && strcmp(text, "fourth") == 0 && s.item_line == 4,
	   "line 4: the blank line and the comment count");
	is_int(ry_linesrc_next_wait(&s, &text, &n, NULL), 0, "then 0 at the end");
	ry_linesrc_free(&s);
	close(p[0]);

	atomic_bool stop = true;
	if (pipe(p) != 0)
		return 1;
	ry_linesrc_init(&s, none, 1, 1, p[0]);
	is_int(ry_linesrc_next_wait(&s, &text, &n, &stop), -EINTR, "a stop set: -EINTR instead of waiting");
	ry_linesrc_free(&s);
	close(p[0]);
	close(p[1]);
	return done_testing();
}
