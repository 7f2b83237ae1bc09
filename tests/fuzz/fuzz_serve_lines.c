/* Fuzz serve's line framing: the input's first bytes choose max and how
 * the rest is cut into reads.  Whatever the cuts, the lines handed over
 * are exactly what a one-pass reference split gives, none holds a '\n',
 * and a line over max stops everything at that line and no earlier. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "net/serve_lines.h"

struct got {
	uint8_t *text;		/* lines, each followed by '\n' */
	size_t len;
};

static void collect(void *ctx, const char *line, size_t len)
{
	struct got *g = ctx;

	if (memchr(line, '\n', len))
		abort();
	memcpy(g->text + g->len, line, len);
	g->len += len;
	g->text[g->len++] = '\n';
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 3)
		return 0;
	size_t max = (size_t)data[0] % 64 + 1;
	uint32_t seed = data[1] | (uint32_t)data[2] << 8;
	const uint8_t *in = data + 3;
	size_t n = size - 3;

	/* Reference: every complete line until the first one over max. */
	size_t want = 0, start = 0;
	int too_long = 0;
	for (size_t i = 0; i < n && !too_long; i++) {
		if (in[i] == '\n') {
			want = i + 1;
			start = i + 1;
		} else if (i - start + 1 > max) {
			too_long = 1;	/* byte max + 1 of a line */
		}
	}

	struct ry_lines l = { 0 };
	struct got g = { malloc(n + 1), 0 };
	long rc = 0, lines = 0;
	for (size_t off = 0; off < n && rc >= 0;) {
		seed = seed * 1103515245 + 12345;
		size_t cut = 1 + (seed >> 16) % 17;
		if (cut > n - off)
			cut = n - off;
		rc = ry_lines_feed(&l, max, (const char *)in + off, cut, collect, &g);
		if (rc > 0)
			lines += rc;
		off += cut;
	}
	if (g.len != want || memcmp(g.text, in, want) != 0)
		abort();		/* exactly the complete lines, in order */
	if ((rc == -EMSGSIZE) != too_long || (rc < 0 && rc != -EMSGSIZE))
		abort();
	long nl = 0;
	for (size_t i = 0; i < want; i++)
		nl += in[i] == '\n';
	if (rc >= 0 && nl != lines)
		abort();		/* the counts returned add up */
	if (rc >= 0 && l.len != n - want)
		abort();		/* the rest is held */
	ry_lines_free(&l);
	free(g.text);
	return 0;
}
