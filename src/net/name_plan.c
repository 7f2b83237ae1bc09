/*
 * name_plan: a copy's share of a name list, and what a resumed run
 * settled (see name_plan.h).
 */
#include "net/name_plan.h"

#include <stdio.h>
#include <string.h>

uint64_t ry_name_hash(const char *s, size_t n)
{
	uint64_t h = RY_SHARD_HASH_INIT;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c + 32);
		h = ry_shard_hash(h, &c, 1);
	}
	return ry_shard_mix(h);
}

static int resume_check(void *ctx, const char *line, size_t len, const char **why)
{
	struct ry_name_plan *p = ctx;
	const struct ry_shard *sh = &p->shard;
	size_t n, sn;
	const char *v;

	if (ry_resume_is_summary(line, len))
		return 0;	/* an interrupted run's summary: a new one follows */
	if (!(v = ry_json_field(line, len, "input", &n)) && !(v = ry_json_field(line, len, "name", &n))) {
		*why = "not a resolve --json record";
		return -1;
	}
	if (!ry_resume_shard_is(line, len, sh)) {
		*why = "a record of another --shard";
		return -1;
	}
	/* A name with no escapes is its own text: it must be in the share. */
	if (sh->n && !memchr(v, '\\', n) && ry_name_hash(v, n) % sh->n != sh->k) {
		*why = "a name that is not in this share";
		return -1;
	}
	const char *err = ry_json_field(line, len, "error", &sn);
	if (err && !(sn == 4 && memcmp(err, "null", 4) == 0))
		p->prev_failed++;
	else
		p->prev_ok++;
	return 1;
}

int ry_name_plan_open(struct ry_name_plan *p, const struct ry_shard *shard, const char *resume)
{
	memset(p, 0, sizeof *p);
	if (shard)
		p->shard = *shard;
	p->resume = resume;
	return resume ? ry_resume_open(&p->done, resume, RY_NAME_PLAN_KEY, resume_check, p) : 0;
}

bool ry_name_plan_take(struct ry_name_plan *p, const char *s, size_t n)
{
	const struct ry_shard *sh = &p->shard;
	uint64_t h = ry_name_hash(s, n);

	p->seen++;
	p->list_hash += h;	/* a sum: the same for any order */
	if (sh->n && h % sh->n != sh->k)
		return false;
	p->share++;
	if (p->done.n == 0)
		return true;
	/* Records keep names as JSON strings: compare in that form. */
	struct ry_buf b;
	bool seen = false;
	ry_buf_init(&b);
	ry_json_begin(&b);
	ry_json_str(&b, "n", s, n);
	if (!b.oom && b.len >= 7)	/* {"n":"...", the value from 6 */
		seen = ry_resume_has(&p->done, b.p + 6, b.len - 7);
	ry_buf_destroy(&b);
	return !seen;
}

void ry_name_plan_summary(const struct ry_name_plan *p, struct ry_rec *rec, size_t ok, size_t failed,
			  bool stopped)
{
	size_t prev = p->prev_ok + p->prev_failed, all_ok = ok + p->prev_ok;
	size_t all_failed = failed + p->prev_failed, done = all_ok + all_failed;

	ry_resume_summary_begin(rec, &p->shard);
	ry_rec_int(rec, "names", (long long)p->share, RY_REC_JSON);
	ry_rec_int(rec, "done", (long long)done, RY_REC_JSON);
	ry_rec_int(rec, "resolved", (long long)all_ok, RY_REC_JSON);
	ry_rec_int(rec, "failed", (long long)all_failed, RY_REC_JSON);
	ry_resume_summary_end(rec, prev, stopped, "list_names", p->seen, p->list_hash, NULL);
}

void ry_name_plan_free(struct ry_name_plan *p)
{
	ry_resume_free(&p->done);
}
