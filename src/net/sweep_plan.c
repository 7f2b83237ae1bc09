#include "net/sweep_plan.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "util/out.h"
#include "util/resume.h"
#include "util/search.h"

/* --resume: which records of the file are this share's settled ones. */
struct resume_ctx {
	const struct ry_sweep_plan_config *c;
	const struct ry_target_set *all;	/* the whole list */
	const uint64_t *mine;			/* the share's positions, sorted */
	size_t m;
	bool *done;				/* per mine[] entry: settled before */
	size_t prev_done, prev_up;
};

struct u64_search {
	const uint64_t *v;
	uint64_t key;
};

static bool u64_before(const void *ctx, size_t i)
{
	const struct u64_search *q = ctx;

	return q->v[i] < q->key;
}

/* Where position pos is in the sorted share, or m. */
static size_t share_index(const uint64_t *mine, size_t m, uint64_t pos)
{
	struct u64_search q = { mine, pos };
	size_t lo = ry_partition_point(m, u64_before, &q);

	return lo < m && mine[lo] == pos ? lo : m;
}

static int resume_check(void *ctx, const char *line, size_t len, const char **why)
{
	struct resume_ctx *c = ctx;
	const struct ry_sweep_plan_config *cfg = c->c;
	size_t n;
	const char *v;
	char text[RY_ADDRSTR_MAX];
	struct ry_ipaddr a;

	if (ry_resume_is_summary(line, len))
		return 0;	/* an interrupted run's summary: a new one follows */
	if (!(v = ry_json_field(line, len, RY_SWEEP_KEY_ADDRESS, &n)) || n >= sizeof text) {
		*why = "not a ping-sweep --json record";
		return -1;
	}
	memcpy(text, v, n);
	text[n] = '\0';
	if (!ry_resume_shard_is(line, len, &cfg->shard)) {
		*why = "a record of another --shard";
		return -1;
	}
	uint64_t pos = ry_ipaddr_parse(text, &a) == 0 ? ry_target_set_find(c->all, &a) : c->all->n;
	size_t j = pos < c->all->n ? share_index(c->mine, c->m, pos) : c->m;
	if (j == c->m) {
		*why = "an address that is not in this share of these targets";
		return -1;
	}
	/* Settled: up or down (fping-style count records: all of them). */
	bool up = (v = ry_json_field(line, len, RY_SWEEP_KEY_STATE, &n)) && n == 2 && memcmp(v, "up", 2) == 0;
	bool down = v && n == 4 && memcmp(v, "down", 4) == 0;
	size_t rn;
	const char *rv = ry_json_field(line, len, RY_SWEEP_KEY_RECEIVED, &rn);
	bool counted = !v && rv;
	if (counted)
		up = !(rn == 1 && rv[0] == '0');
	if (!(up || down || counted) || c->done[j])
		return 0;
	c->done[j] = true;
	c->prev_done++;
	c->prev_up += up;
	return 1;
}

/* The whole list's fingerprint: copies of one command line must agree
 * on it (the summary record shows it, so a merge can check).  Taken
 * over the merged spans, which are the list's one normal form. */
static uint64_t list_hash(const struct ry_target_set *all)
{
	uint64_t h = RY_SHARD_HASH_INIT;

	for (size_t i = 0; i < all->nspan; i++) {
		const struct ry_target_span *sp = &all->span[i];
		uint8_t count[8];
		for (int b = 0; b < 8; b++)
			count[b] = (uint8_t)(sp->count >> (8 * b));
		h = ry_shard_hash(h, &sp->first.family, 1);
		h = ry_shard_hash(h, sp->first.a, sp->first.family == AF_INET ? 4 : 16);
		h = ry_shard_hash(h, count, sizeof count);
	}
	return h;
}

static int cmp_u64(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;

	return a < b ? -1 : a > b;
}

/* Run indexes sorted by their position in the whole list, which is
 * address order. */
static _Thread_local const uint64_t *sort_pos;

static int cmp_by_pos(const void *x, const void *y)
{
	return cmp_u64(&sort_pos[*(const size_t *)x], &sort_pos[*(const size_t *)y]);
}

/* The name a position was given as, from names sorted by position. */
struct named {
	uint64_t pos;
	size_t order;		/* among the names given: the first wins */
	const char *text;
};

static int cmp_named(const void *x, const void *y)
{
	const struct named *a = x, *b = y;
	int c = cmp_u64(&a->pos, &b->pos);

	return c ? c : a->order < b->order ? -1 : a->order > b->order;
}

struct named_search {
	const struct named *nm;
	uint64_t pos;
};

static bool named_before(const void *ctx, size_t i)
{
	const struct named_search *q = ctx;

	return q->nm[i].pos < q->pos;
}

static const char *name_at(const struct named *nm, size_t k, uint64_t pos)
{
	struct named_search q = { nm, pos };
	size_t lo = ry_partition_point(k, named_before, &q);

	return lo < k && nm[lo].pos == pos ? nm[lo].text : NULL;
}

int ry_sweep_plan_make(const struct ry_sweep_plan_config *cfg, const struct ry_target_set *all,
		       const struct ry_target_name *names, size_t nnames, struct ry_target_list *share,
		       const char ***given, struct ry_sweep_plan *pl)
{
	uint64_t n = all->n;
	size_t cap = (size_t)ry_shard_share(n, &cfg->shard) + 1;
	size_t *sel = malloc(cap * sizeof *sel);
	uint64_t *pos = malloc(cap * sizeof *pos), *mine = malloc(cap * sizeof *mine);
	bool *done = calloc(cap, sizeof *done);
	struct named *nm = nnames ? malloc(nnames * sizeof *nm) : NULL;
	const char **g = NULL;
	int rc = -ENOMEM;

	*share = (struct ry_target_list){ 0 };
	*given = NULL;
	pl->err = (struct ry_resume_error){ 0 };
	pl->list_hash = list_hash(all);
	pl->seed = cfg->seed_given ? cfg->seed : ry_shard_mix(pl->list_hash);
	pl->total = n;
	if (!sel || !pos || !mine || !done || (nnames && !nm))
		goto out;
	size_t m = ry_shard_select(n, &cfg->shard, cfg->shuffle, pl->seed, sel);
	pl->share = m;
	for (size_t j = 0; j < m; j++)
		mine[j] = sel[j];
	qsort(mine, m, sizeof *mine, cmp_u64);
	if (cfg->resume) {
		struct resume_ctx c = { cfg, all, mine, m, done, 0, 0 };
		struct ry_resume rs;
		if ((rc = ry_resume_open(&rs, cfg->resume, RY_SWEEP_KEY_ADDRESS, resume_check, &c)) != 0) {
			pl->err = rs.err;
			goto out;
		}
		ry_resume_free(&rs);	/* done[] holds what it found */
		pl->prev_done = c.prev_done;
		pl->prev_up = c.prev_up;
		rc = -ENOMEM;
	}
	/* Names, by position: the first name given for an address wins. */
	size_t k = 0;
	for (size_t i = 0; i < nnames; i++) {
		uint64_t p = names[i].found ? ry_target_set_find(all, &names[i].addr) : n;
		if (p < n)
			nm[k++] = (struct named){ p, i, names[i].text };
	}
	if (k > 1)
		qsort(nm, k, sizeof *nm, cmp_named);
	size_t w = k ? 1 : 0;
	for (size_t i = 1; i < k; i++)
		if (nm[i].pos != nm[w - 1].pos)
			nm[w++] = nm[i];
	k = w;
	share->v = malloc((m ? m : 1) * sizeof *share->v);
	g = k ? calloc(m ? m : 1, sizeof *g) : NULL;
	pl->byaddr = malloc((m ? m : 1) * sizeof *pl->byaddr);
	if (!share->v || !pl->byaddr || (k && !g))
		goto out;
	size_t q = 0;
	for (size_t j = 0; j < m; j++) {
		if (done[share_index(mine, m, sel[j])])
			continue;
		ry_target_set_at(all, sel[j], &share->v[q]);
		if (g)
			g[q] = name_at(nm, k, sel[j]);
		pos[q++] = sel[j];
	}
	share->n = share->cap = q;
	/* Address order of the run's targets: by their place in the
	 * sorted whole list. */
	for (size_t j = 0; j < q; j++)
		pl->byaddr[j] = j;
	sort_pos = pos;
	qsort(pl->byaddr, q, sizeof *pl->byaddr, cmp_by_pos);
	*given = g;
	g = NULL;
	rc = 0;
out:
	if (rc != 0)
		ry_target_free(share);
	free((void *)g);
	free(sel);
	free(pos);
	free(mine);
	free(done);
	free(nm);
	return rc;
}

void ry_sweep_plan_free(struct ry_sweep_plan *pl)
{
	free(pl->byaddr);
	pl->byaddr = NULL;
}

void ry_sweep_plan_summary(const struct ry_sweep_plan *pl, const struct ry_shard *shard, struct ry_rec *rec,
			   size_t settled, size_t up, bool stopped)
{
	unsigned long long seed = pl->seed;
	size_t done = pl->prev_done + settled, all_up = pl->prev_up + up;

	ry_resume_summary_begin(rec, shard);
	ry_rec_int(rec, "targets", (long long)pl->share, RY_REC_JSON);
	ry_rec_int(rec, "done", (long long)done, RY_REC_JSON);
	ry_rec_int(rec, "up", (long long)all_up, RY_REC_JSON);
	ry_resume_summary_end(rec, pl->prev_done, stopped, "list_targets", pl->total, pl->list_hash, &seed);
}
