/* Fuzz the option value parsers: a value they accept is in range and is
 * what the text says. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/opt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char text[64], back[64];
	unsigned long u;
	double d;

	if (size >= sizeof text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (ry_parse_ulong(text, 3, 100000, &u) == 0) {
		const char *t = text;
		while (*t == '0' && t[1])
			t++;
		snprintf(back, sizeof back, "%lu", u);
		if (u < 3 || u > 100000 || strcmp(back, t) != 0)
			abort();
	}
	if (ry_parse_seconds(text, 0.001, 3600, &d) == 0 && (!isfinite(d) || d < 0.001 || d > 3600))
		abort();
	if (ry_parse_size(text, 2, 16 << 20, &u) == 0 && (u < 2 || u > (16 << 20)))
		abort();
	return 0;
}
