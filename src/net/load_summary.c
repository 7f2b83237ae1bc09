#define _GNU_SOURCE
#include "net/load_summary.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/out.h"
#include "util/resume.h"	/* ry_json_field */

/* The counts of a summary, in the order written; the same table reads
 * them back. */
static const char *const count_key[] = { "requests", "errors", "mismatches", "failed_connections" };
#define NCOUNTS (sizeof count_key / sizeof count_key[0])

/* The count of key i, where it lives in a result. */
static uint64_t *count_of(struct ry_load_result *r, size_t i)
{
	uint64_t *const v[NCOUNTS] = { &r->requests, &r->errors, &r->mismatches, &r->failed_conns };

	return v[i];
}

static uint64_t count_in(const struct ry_load_result *r, size_t i)
{
	const uint64_t v[NCOUNTS] = { r->requests, r->errors, r->mismatches, r->failed_conns };

	return v[i];
}

void ry_load_summary_json(struct ry_rec *rec, const struct ry_load_result *r, double rate,
			  const struct ry_load_shape *shape, unsigned long runs, bool interrupted)
{
	const struct ry_hist *h = &r->lat_ns;

	ry_rec_begin(rec);
	ry_rec_int(rec, count_key[0], (long long)count_in(r, 0), 0);
	ry_rec_num(rec, "seconds", r->secs, 3, NULL, 0);
	ry_rec_num(rec, "req_per_s", rate, 0, NULL, 0);
	ry_rec_num(rec, "p50_us", ry_hist_quantile(h, 0.50) / 1e3, 1, NULL, 0);
	ry_rec_num(rec, "p90_us", ry_hist_quantile(h, 0.90) / 1e3, 1, NULL, 0);
	ry_rec_num(rec, "p99_us", ry_hist_quantile(h, 0.99) / 1e3, 1, NULL, 0);
	ry_rec_num(rec, "p999_us", ry_hist_quantile(h, 0.999) / 1e3, 1, NULL, 0);
	ry_rec_num(rec, "max_us", h->max / 1e3, 1, NULL, 0);
	for (size_t i = 1; i < NCOUNTS; i++)
		ry_rec_int(rec, count_key[i], (long long)count_in(r, i), 0);
	if (!shape) {
		ry_rec_int(rec, "runs", (long long)runs, 0);
	} else {
		ry_rec_int(rec, "connections", (long long)shape->conns, 0);
		ry_rec_int(rec, "size", (long long)shape->size, 0);
		ry_rec_int(rec, "depth", (long long)shape->depth, 0);
		if (shape->rate)
			ry_rec_int(rec, "rate", (long long)shape->rate, 0);
		else
			ry_rec_null(rec, "rate");
	}
	ry_rec_bool(rec, "interrupted", interrupted, 0);
	/* The whole histogram, in ns: runs merge exactly. */
	struct ry_buf hb;
	ry_buf_init(&hb);
	ry_hist_json(h, &hb);
	if (!hb.oom)
		ry_rec_raw(rec, "histogram", hb.p, hb.len);
	ry_buf_destroy(&hb);
	ry_rec_put(rec);
}

/* A non-negative finite number field, written as the summary writes it
 * (digits and a point): "nan", "inf", "-1" and 1e999 are refused, so the
 * merged summary stays valid JSON. */
static bool json_seconds(const char *line, size_t len, const char *key, double *v)
{
	size_t n;
	const char *f = ry_json_field(line, len, key, &n);
	char *end;

	if (!f || n == 0 || n > 30 || f[0] < '0' || f[0] > '9')
		return false;
	*v = strtod(f, &end);
	return end == f + n && isfinite(*v) && *v < 1e15;
}

int ry_load_merge_add(struct ry_load_merge *m, const char *line, size_t len, const char **why)
{
	uint64_t v[NCOUNTS];
	double secs, rps;
	size_t n;
	const char *f;

	*why = "not an echo-client --json load summary with its histogram";
	for (size_t i = 0; i < NCOUNTS; i++) {
		char *end;
		/* Digits only: strtoull would take "-1" as a huge count. */
		f = ry_json_field(line, len, count_key[i], &n);
		if (!f || n == 0 || n > 20 || f[0] < '0' || f[0] > '9')
			return -EINVAL;
		v[i] = strtoull(f, &end, 10);
		if (end != f + n)
			return -EINVAL;
		if (v[i] > UINT64_MAX - *count_of(&m->r, i)) {
			*why = "counts too large to add up";
			return -EINVAL;
		}
	}
	const char *h = ry_json_field(line, len, "histogram", &n);
	if (!json_seconds(line, len, "seconds", &secs) || !json_seconds(line, len, "req_per_s", &rps) || !h)
		return -EINVAL;
	if (ry_hist_parse_add(&m->r.lat_ns, h, len - (size_t)(h - line), why) != 0)
		return -EINVAL;
	for (size_t i = 0; i < NCOUNTS; i++)
		*count_of(&m->r, i) += v[i];
	if (secs > m->r.secs)
		m->r.secs = secs;
	m->rate += rps;
	f = ry_json_field(line, len, "interrupted", &n);
	m->interrupted |= f && n == 4 && memcmp(f, "true", 4) == 0;
	m->runs++;
	return 0;
}
