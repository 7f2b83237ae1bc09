/* net/lines: cutting a byte stream into lines, however the reads fall. */
#include <errno.h>
#include <string.h>

#include "net/serve_lines.h"
#include "tap.h"

struct got {
	char text[8192];	/* lines joined by '|' */
	size_t len;
	int from_read;		/* lines handed straight from the read */
	const char *read_lo, *read_hi;
};

static void collect(void *ctx, const char *line, size_t len)
{
	struct got *g = ctx;

	if (line >= g->read_lo && line < g->read_hi)
		g->from_read++;
	memcpy(g->text + g->len, line, len);
	g->len += len;
	g->text[g->len++] = '|';
	g->text[g->len] = '\0';
}

static long feed(struct ry_lines *l, size_t max, const char *s, size_t n, struct got *g)
{
	g->read_lo = s;
	g->read_hi = s + n;
	return ry_lines_feed(l, max, s, n, collect, g);
}

int main(void)
{
	struct ry_lines l = { 0 };
	struct got g = { 0 };

	is_int(feed(&l, 100, "one\ntwo\n", 8, &g), 2, "two whole lines in one read");
	is_str(g.text, "one|two|", "handed over without their newlines");
	is_int(g.from_read, 2, "straight from the read, no copy");
	ok(l.len == 0 && l.buf == NULL, "nothing held, nothing allocated");

	memset(&g, 0, sizeof g);
	is_int(feed(&l, 100, "par", 3, &g), 0, "a partial line completes nothing");
	is_int(feed(&l, 100, "tial\nnext", 9, &g), 1, "its end completes it");
	is_int(feed(&l, 100, "\n", 1, &g), 1, "a lone newline completes the next");
	is_str(g.text, "partial|next|", "split lines are joined");
	is_int(g.from_read, 0, "and come from the held part");

	memset(&g, 0, sizeof g);
	is_int(feed(&l, 100, "\n\na\0b\r\n", 7, &g), 3, "empty lines, NUL and CR");
	ok(g.len == 7 && memcmp(g.text, "||a\0b\r|", 7) == 0, "are kept as bytes");

	memset(&g, 0, sizeof g);
	is_int(feed(&l, 4, "abcd\nab", 7, &g), 1, "a line of exactly max bytes passes");
	is_int(feed(&l, 4, "cde\nz\n", 6, &g), -EMSGSIZE, "one past max across reads is refused");
	is_str(g.text, "abcd|", "and nothing of it was handed over");
	ry_lines_free(&l);

	memset(&g, 0, sizeof g);
	char big[6000];
	memset(big, 'x', sizeof big);
	feed(&l, 10000, big, sizeof big, &g);
	is_int(feed(&l, 10000, "\n", 1, &g), 1, "a 6,000-byte line split over reads");
	ok(l.buf == NULL && l.cap == 0, "its buffer is freed once it completes");
	feed(&l, 10000, "ab", 2, &g);
	feed(&l, 10000, "\n", 1, &g);
	ok(l.buf != NULL && l.cap <= 4096, "a short line's buffer is kept for the next");
	ry_lines_free(&l);
	return done_testing();
}
