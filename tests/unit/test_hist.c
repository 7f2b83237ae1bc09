/* util/hist: exact counts, quantiles within a bucket of the true value
 * on known input, and merging equal to recording everything in one. */
#include <string.h>

#include "util/hist.h"
#include "util/out.h"
#include "tap.h"

static struct ry_hist a, b, all;

int main(void)
{
	is_int(ry_hist_quantile(&a, 0.5), 0, "empty: every quantile is 0");
	for (uint64_t v = 1; v <= 1000; v++) {
		ry_hist_record(v % 2 ? &a : &b, v * 1000);
		ry_hist_record(&all, v * 1000);
	}
	is_int(all.count, 1000, "1000 values counted");
	is_int(all.max, 1000000, "max exact");
	uint64_t p50 = ry_hist_quantile(&all, 0.5), p99 = ry_hist_quantile(&all, 0.99);
	ok(p50 >= 500000 && p50 <= 500000 * 1.04, "p50 of 1..1000 ms is 500 ms within a bucket (%llu)",
	   (unsigned long long)p50);
	ok(p99 >= 990000 && p99 <= 990000 * 1.04, "p99 is 990 ms within a bucket (%llu)",
	   (unsigned long long)p99);
	is_int(ry_hist_quantile(&all, 1.0), 1000000, "p100 is the max, not its bucket's edge");
	ry_hist_merge(&a, &b);
	int same = a.count == all.count && a.max == all.max && a.sum == all.sum;
	for (int i = 0; i < RY_HIST_BUCKETS; i++)
		same &= a.b[i] == all.b[i];
	ok(same, "two halves merged equal the whole");
	is_int(ry_hist_quantile(&a, 0.9), ry_hist_quantile(&all, 0.9), "and give the same p90");

	/* JSON out and back: the histograms of two runs, written as
	 * echo-client --json writes them and added up, are the histogram
	 * of both runs' samples together. */
	static struct ry_hist r1, r2, both, merged;
	uint64_t x = 88172645463325252ull;
	for (int i = 0; i < 200000; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;	/* xorshift */
		uint64_t v = (x % 1000000) * (i % 7 + 1) + (i % 3 ? 0 : x % 50000000);
		ry_hist_record(i % 3 ? &r1 : &r2, v);
		ry_hist_record(&both, v);
	}
	struct ry_buf j1, j2;
	const char *why = NULL;
	ry_buf_init(&j1);
	ry_buf_init(&j2);
	ry_hist_json(&r1, &j1);
	ry_hist_json(&r2, &j2);
	ok(ry_hist_parse_add(&merged, j1.p, j1.len, &why) == 0 && ry_hist_parse_add(&merged, j2.p, j2.len, &why) == 0,
	   "both JSON histograms parse");
	same = merged.count == both.count && merged.max == both.max && merged.sum == both.sum;
	for (int i = 0; i < RY_HIST_BUCKETS; i++)
		same &= merged.b[i] == both.b[i];
	ok(same, "merged from JSON: bucket for bucket the histogram of the combined samples");
	int pct = 1;
	const double qs[] = { 0.5, 0.9, 0.99, 0.999, 1.0 };
	for (int i = 0; i < 5; i++)
		pct &= ry_hist_quantile(&merged, qs[i]) == ry_hist_quantile(&both, qs[i]);
	ok(pct, "so every percentile is the combined samples' (not an average of the runs')");
	ok(ry_hist_quantile(&merged, 0.99) != (ry_hist_quantile(&r1, 0.99) + ry_hist_quantile(&r2, 0.99)) / 2,
	   "(averaging the two runs' p99 would give another number)");
	static struct ry_hist bad;
	ok(ry_hist_parse_add(&bad, j1.p, j1.len - 3, &why) != 0, "a cut histogram is refused");
	const char *wrong = "{\"sub\":32,\"count\":5,\"sum\":0,\"max\":0,\"buckets\":[[1,2]]}";
	ok(ry_hist_parse_add(&bad, wrong, strlen(wrong), &why) != 0 && strstr(why, "add up"),
	   "counts that do not add up are refused");
	const char *far = "{\"sub\":32,\"count\":1,\"sum\":0,\"max\":0,\"buckets\":[[99999,1]]}";
	ok(ry_hist_parse_add(&bad, far, strlen(far), &why) != 0 && strstr(why, "range"),
	   "a bucket out of range is refused");
	const char *other = "{\"sub\":16,\"count\":0,\"sum\":0,\"max\":0,\"buckets\":[]}";
	ok(ry_hist_parse_add(&bad, other, strlen(other), &why) != 0 && strstr(why, "resolution"),
	   "another resolution is refused");
	ok(bad.count == 0, "and nothing of a refused one is added");
	const char *above = "{\"sub\":32,\"count\":1,\"sum\":0,\"max\":0,\"buckets\":[[1920,1]]}";
	ok(ry_hist_parse_add(&bad, above, strlen(above), &why) != 0 && strstr(why, "range"),
	   "a bucket above the one UINT64_MAX falls in (1919) is refused");
	static struct ry_hist top;
	ry_hist_record(&top, UINT64_MAX);
	is_int(ry_hist_quantile(&top, 0.5) == UINT64_MAX, 1, "the largest value is its own quantile (no shift past 63 bits)");
	const char *last = "{\"sub\":32,\"count\":1,\"sum\":5,\"max\":18446744073709551615,\"buckets\":[[1919,1]]}";
	static struct ry_hist edge;
	ok(ry_hist_parse_add(&edge, last, strlen(last), &why) == 0 && ry_hist_quantile(&edge, 1.0) == UINT64_MAX,
	   "bucket 1919 is taken, and its edge is UINT64_MAX");
	const char *wrap = "{\"sub\":32,\"count\":0,\"sum\":18446744073709551615,\"max\":0,\"buckets\":[]}";
	ok(ry_hist_parse_add(&edge, wrap, strlen(wrap), &why) != 0 && strstr(why, "too large"),
	   "a sum that would wrap when added is refused");
	ry_buf_destroy(&j1);
	ry_buf_destroy(&j2);
	return done_testing();
}
