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
	ry_rec_int(rec, "reconnects", (long long)r->reconnects, 0);
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

/* An unsigned count field, digits only; false when absent or not one. */
static bool json_count(const char *line, size_t len, const char *key, uint64_t *v)
{
	size_t n;
	const char *f = ry_json_field(line, len, key, &n);
	char *end;

	if (!f || n == 0 || n > 20 || f[0] < '0' || f[0] > '9')
		return false;
	*v = strtoull(f, &end, 10);
	return end == f + n;
}

/* The shape a single run's summary states: 1, 0 for a merged one (no
 * shape), -1 for a field that is not a count. */
static int read_shape(const char *line, size_t len, struct ry_load_shape *sh)
{
	uint64_t c, s, d, r = 0;
	size_t n;
	const char *rate;

	if (!ry_json_field(line, len, "connections", &n))
		return 0;
	if (!json_count(line, len, "connections", &c) || !json_count(line, len, "size", &s) ||
	    !json_count(line, len, "depth", &d) || !(rate = ry_json_field(line, len, "rate", &n)))
		return -1;
	if (!(n == 4 && memcmp(rate, "null", 4) == 0) && !json_count(line, len, "rate", &r))
		return -1;
	*sh = (struct ry_load_shape){ c, s, d, r };
	return 1;
}

/* Why two shapes differ, in static text, or NULL when they agree. */
static const char *shape_differs(const struct ry_load_shape *a, const struct ry_load_shape *b)
{
	if (a->conns != b->conns)
		return "a run with another number of connections (-c): give --force to merge it anyway";
	if (a->size != b->size)
		return "a run with another request size (-s): give --force to merge it anyway";
	if (a->depth != b->depth)
		return "a run with another depth (-P): give --force to merge it anyway";
	if (a->rate != b->rate)
		return "a run at another rate (-R): give --force to merge it anyway";
	return NULL;
}

int ry_load_merge_add(struct ry_load_merge *m, const char *line, size_t len, const char **why)
{
	struct ry_load_shape sh;
	int shaped = read_shape(line, len, &sh);

	uint64_t v[NCOUNTS];
	double secs, rps;
	size_t n;
	const char *f;

	*why = "not an echo-client --json load summary with its histogram";
	for (size_t i = 0; i < NCOUNTS; i++) {
		/* Digits only: strtoull would take "-1" as a huge count. */
		if (!json_count(line, len, count_key[i], &v[i]))
			return -EINVAL;
		if (v[i] > UINT64_MAX - *count_of(&m->r, i)) {
			*why = "counts too large to add up";
			return -EINVAL;
		}
	}
	const char *h = ry_json_field(line, len, "histogram", &n);
	if (!json_seconds(line, len, "seconds", &secs) || !json_seconds(line, len, "req_per_s", &rps) || !h ||
	    shaped < 0)
		return -EINVAL;
	if (shaped && m->shaped && !m->force && (*why = shape_differs(&m->shape, &sh)) != NULL)
		return -EINVAL;
	*why = "not an echo-client --json load summary with its histogram";
	if (ry_hist_parse_add(&m->r.lat_ns, h, len - (size_t)(h - line), why) != 0)
		return -EINVAL;
	for (size_t i = 0; i < NCOUNTS; i++)
		*count_of(&m->r, i) += v[i];
	/* Written since reconnecting came; an older summary has none. */
	uint64_t rec_n = 0;
	if (json_count(line, len, "reconnects", &rec_n) && rec_n <= UINT64_MAX - m->r.reconnects)
		m->r.reconnects += rec_n;
	if (secs > m->r.secs)
		m->r.secs = secs;
	m->rate += rps;
	f = ry_json_field(line, len, "interrupted", &n);
	m->interrupted |= f && n == 4 && memcmp(f, "true", 4) == 0;
	if (shaped && !m->shaped) {
		m->shape = sh;
		m->shaped = true;
	}
	m->runs++;
	return 0;
}

int ry_load_merge_read(struct ry_load_merge *m, FILE *f, size_t *lineno, const char **why)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int rc = 0;

	*lineno = 0;
	errno = 0;
	while (rc == 0 && (len = getline(&line, &cap, f)) > 0) {
		++*lineno;
		if (strspn(line, " \t\r\n") != (size_t)len)
			rc = ry_load_merge_add(m, line, (size_t)len, why);
	}
	if (rc == 0 && ferror(f))
		rc = errno ? -errno : -EIO;
	free(line);
	return rc;
}
