/* util/hist: exact counts, quantiles within a bucket of the true value
 * on known input, and merging equal to recording everything in one. */
#include "util/hist.h"
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
	return done_testing();
}
