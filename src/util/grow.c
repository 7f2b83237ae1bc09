#include "util/grow.h"

#include <stdint.h>
#include <stdlib.h>

void *ry_grow(void *v, size_t *cap, size_t need, size_t size, size_t first)
{
	size_t c = *cap ? *cap : (first ? first : 1);

	if (need <= *cap && v)
		return v;
	while (c < need) {
		if (c > SIZE_MAX / 2)
			return NULL;
		c *= 2;
	}
	if (size == 0 || c > SIZE_MAX / size)
		return NULL;	/* elements of no size are a caller's mistake */
	void *p = realloc(v, c * size);
	if (p)
		*cap = c;
	return p;
}
