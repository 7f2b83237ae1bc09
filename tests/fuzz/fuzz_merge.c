/* Fuzz what --merge and --resume read from files: a whole summary line
 * through ry_load_merge_add, and ry_hist_parse_add on
 * any text either refuses it and leaves the histogram as it was, or adds
 * a histogram whose bucket counts add up to its count; written back with
 * ry_hist_json and parsed again, it is the same, and its quantiles are
 * in order within its max.  ry_json_field never
 * reads outside the line and returns a value inside it. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "net/load_summary.h"
#include "util/hist.h"
#include "util/out.h"
#include "util/resume.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ry_hist h, again;
	const char *why, *text = (const char *)data;
	size_t n;

	memset(&h, 0, sizeof h);
	if (ry_hist_parse_add(&h, text, size, &why) == 0) {
		uint64_t total = 0;
		for (unsigned i = 0; i < RY_HIST_BUCKETS; i++)
			total += h.b[i];
		if (total != h.count)
			abort();
		struct ry_buf b;
		ry_buf_init(&b);
		ry_hist_json(&h, &b);
		memset(&again, 0, sizeof again);
		if (b.oom || ry_hist_parse_add(&again, b.p, b.len, &why) != 0 || memcmp(&h, &again, sizeof h) != 0)
			abort();
		ry_buf_destroy(&b);
		/* The quantiles of whatever was accepted: within the max,
		 * and in order (UBSan watches the bucket edges). */
		uint64_t p50 = ry_hist_quantile(&h, 0.5), p99 = ry_hist_quantile(&h, 0.99);
		uint64_t p100 = ry_hist_quantile(&h, 1.0);
		if (p50 > p99 || p99 > p100 || (h.count && p100 > h.max))
			abort();
	} else if (h.count != 0) {
		abort();
	}
	/* A whole summary line, as --merge reads it: a line it takes is
	 * counted once, and whatever it added prints as valid numbers. */
	static struct ry_load_merge m;
	memset(&m, 0, sizeof m);
	if (ry_load_merge_add(&m, text, size, &why) == 0) {
		if (m.runs != 1 || !(m.rate >= 0) || !(m.r.secs >= 0) || m.r.secs >= 1e15)
			abort();
	} else if (m.runs != 0) {
		abort();
	}
	static const char *const keys[] = { "histogram", "address", "name", "shard", "summary" };
	for (int k = 0; k < 5; k++) {
		const char *v = ry_json_field(text, size, keys[k], &n);
		if (v && (v < text || v + n > text + size))
			abort();
	}
	return 0;
}
