/*
 * hist: a latency histogram with about 3% resolution over any range
 * (HdrHistogram's log-linear idea): 32 linear buckets per power of two.
 * Recording is two shifts and an increment; percentiles walk 2,048
 * counters.  A histogram is a plain value: zero it to start, record from
 * one thread, merge per-thread histograms afterwards.
 */
#ifndef RY_UTIL_HIST_H
#define RY_UTIL_HIST_H

#include <stddef.h>
#include <stdint.h>

#define RY_HIST_SUB 32
#define RY_HIST_BUCKETS (64 * RY_HIST_SUB)

struct ry_hist {
	uint64_t count, max, sum;
	uint64_t b[RY_HIST_BUCKETS];
};

void ry_hist_record(struct ry_hist *h, uint64_t v);
void ry_hist_merge(struct ry_hist *into, const struct ry_hist *from);
/* The value below which a fraction q (0..1) of records fall, rounded up
 * to its bucket's upper edge and never above max; 0 when empty. */
uint64_t ry_hist_quantile(const struct ry_hist *h, double q);

/* The histogram as JSON, appended to b: {"sub":32,"count":N,"sum":S,
 * "max":M,"buckets":[[i,c],...]} with only the buckets that hold
 * something (i: the bucket's index, c: its count).  Values in the
 * recorder's unit. */
struct ry_buf;
void ry_hist_json(const struct ry_hist *h, struct ry_buf *b);

/* Adds the histogram JSON text p[0..n) (as ry_hist_json writes it) into
 * h.  0, or -EINVAL with *why (the text is cut, a bucket is out of
 * range, the counts do not add up, another resolution). */
int ry_hist_parse_add(struct ry_hist *h, const char *p, size_t n, const char **why);

#endif
