#include "util/hist.h"

/* Values below RY_HIST_SUB get one bucket each; above, bucket (e, m) holds
 * the values whose highest bit is e and whose next 5 bits are m. */
static unsigned index_of(uint64_t v)
{
	if (v < RY_HIST_SUB)
		return (unsigned)v;
	unsigned e = 63 - (unsigned)__builtin_clzll(v);	/* >= 5 */
	unsigned m = (unsigned)(v >> (e - 5)) & (RY_HIST_SUB - 1);
	return (e - 4) * RY_HIST_SUB + m;
}

static uint64_t upper_edge(unsigned i)
{
	if (i < RY_HIST_SUB)
		return i;
	unsigned e = i / RY_HIST_SUB + 4, m = i % RY_HIST_SUB;
	uint64_t base = (uint64_t)1 << e;
	uint64_t step = (uint64_t)1 << (e - 5);
	return base + (m + 1) * step - 1;
}

void ry_hist_record(struct ry_hist *h, uint64_t v)
{
	h->b[index_of(v)]++;
	h->count++;
	h->sum += v;
	if (v > h->max)
		h->max = v;
}

void ry_hist_merge(struct ry_hist *into, const struct ry_hist *from)
{
	for (unsigned i = 0; i < RY_HIST_BUCKETS; i++)
		into->b[i] += from->b[i];
	into->count += from->count;
	into->sum += from->sum;
	if (from->max > into->max)
		into->max = from->max;
}

uint64_t ry_hist_quantile(const struct ry_hist *h, double q)
{
	if (h->count == 0)
		return 0;
	uint64_t rank = (uint64_t)(q * (double)h->count + 0.5);
	if (rank < 1)
		rank = 1;
	uint64_t seen = 0;
	for (unsigned i = 0; i < RY_HIST_BUCKETS; i++) {
		seen += h->b[i];
		if (seen >= rank) {
			uint64_t v = upper_edge(i);
			return v < h->max ? v : h->max;
		}
	}
	return h->max;
}
