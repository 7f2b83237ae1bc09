#include "util/hist.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/out.h"

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

/* The last bucket a value can fall in: UINT64_MAX's.  Those above it
 * stay empty. */
#define LAST_BUCKET ((63u - 4u) * RY_HIST_SUB + RY_HIST_SUB - 1u)

static uint64_t upper_edge(unsigned i)
{
	if (i < RY_HIST_SUB)
		return i;
	if (i >= LAST_BUCKET)
		return UINT64_MAX;	/* and no shift by 64 or more */
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

void ry_hist_json(const struct ry_hist *h, struct ry_buf *b)
{
	bool first = true;

	ry_buf_addf(b, "{\"sub\":%d,\"count\":%llu,\"sum\":%llu,\"max\":%llu,\"buckets\":[",
		    RY_HIST_SUB, (unsigned long long)h->count, (unsigned long long)h->sum,
		    (unsigned long long)h->max);
	for (unsigned i = 0; i < RY_HIST_BUCKETS; i++) {
		if (!h->b[i])
			continue;
		ry_buf_addf(b, "%s[%u,%llu]", first ? "" : ",", i, (unsigned long long)h->b[i]);
		first = false;
	}
	ry_buf_add(b, "]}", 2);
}

/* A cursor over the text, and the number readers it needs. */
struct cur {
	const char *p, *end;
};

static bool lit(struct cur *c, const char *s)
{
	size_t n = strlen(s);

	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t'))
		c->p++;
	if ((size_t)(c->end - c->p) < n || memcmp(c->p, s, n) != 0)
		return false;
	c->p += n;
	return true;
}

static bool num(struct cur *c, uint64_t *v)
{
	uint64_t x = 0;
	const char *s;

	while (c->p < c->end && *c->p == ' ')
		c->p++;
	s = c->p;
	while (c->p < c->end && *c->p >= '0' && *c->p <= '9') {
		unsigned d = (unsigned)(*c->p - '0');
		if (x > (UINT64_MAX - d) / 10)
			return false;
		x = x * 10 + d;
		c->p++;
	}
	*v = x;
	return c->p > s;
}

int ry_hist_parse_add(struct ry_hist *h, const char *p, size_t n, const char **why)
{
	struct cur c = { p, p + n };
	uint64_t sub, count, sum, max, total = 0;
	struct ry_hist add;

	memset(&add, 0, sizeof add);
	*why = "not a histogram as echo-client --json writes it";
	if (!lit(&c, "{\"sub\":") || !num(&c, &sub) || !lit(&c, ",\"count\":") || !num(&c, &count) ||
	    !lit(&c, ",\"sum\":") || !num(&c, &sum) || !lit(&c, ",\"max\":") || !num(&c, &max) ||
	    !lit(&c, ",\"buckets\":["))
		return -EINVAL;
	if (sub != RY_HIST_SUB) {
		*why = "a histogram of another resolution";
		return -EINVAL;
	}
	bool first = true;
	while (!lit(&c, "]")) {
		uint64_t i, k;
		if ((!first && !lit(&c, ",")) || !lit(&c, "[") || !num(&c, &i) || !lit(&c, ",") ||
		    !num(&c, &k) || !lit(&c, "]"))
			return -EINVAL;
		first = false;
		if (i > LAST_BUCKET || k > UINT64_MAX - total) {
			*why = "a bucket out of range";
			return -EINVAL;
		}
		add.b[i] += k;
		total += k;
	}
	if (!lit(&c, "}"))
		return -EINVAL;
	if (total != count) {
		*why = "bucket counts that do not add up to its count";
		return -EINVAL;
	}
	/* Counts and sums that would wrap when added: no run measures that
	 * much; the text was not written by echo-client. */
	if (count > UINT64_MAX - h->count || sum > UINT64_MAX - h->sum) {
		*why = "counts too large to add up";
		return -EINVAL;
	}
	add.count = count;
	add.sum = sum;
	add.max = max;
	ry_hist_merge(h, &add);
	return 0;
}
