/* util/grow: the one growing array, its doubling, and its refusals. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/grow.h"
#include "tap.h"

int main(void)
{
	int *v = NULL;
	size_t cap = 0;
	int *p = ry_grow(v, &cap, 1, sizeof *v, 16);

	ok(p && cap == 16, "empty: the first capacity (%zu)", cap);
	v = p;
	for (int i = 0; i < 16; i++)
		v[i] = i;
	ok(ry_grow(v, &cap, 16, sizeof *v, 16) == v && cap == 16, "room enough: the same block, untouched");
	p = ry_grow(v, &cap, 17, sizeof *v, 16);
	ok(p && cap == 32 && p[15] == 15, "one more: doubled, contents kept");
	v = p;
	p = ry_grow(v, &cap, 1000, sizeof *v, 16);
	ok(p && cap == 1024, "far more: doubled until it holds them (%zu)", cap);
	v = p;
	size_t before = cap;
	ok(ry_grow(v, &cap, SIZE_MAX / 2 + 2, sizeof *v, 16) == NULL && cap == before,
	   "a count that would overflow: NULL, the array and its capacity unchanged");
	ok(ry_grow(v, &cap, SIZE_MAX / sizeof *v, sizeof *v, 16) == NULL && cap == before,
	   "a size that would overflow: NULL too");
	v[1023] = 7;
	ok(v[1023] == 7, "and the old block is still the caller's");
	free(v);
	size_t c0 = 0;
	char *b = ry_grow(NULL, &c0, 100, 1, 0);
	ok(b && c0 == 128, "first 0 means 1, doubled to 128 for 100 bytes");
	free(b);
	return done_testing();
}
