#include <errno.h>
/* net/sweep_plan and util/resume: a shard's share in probe order, the
 * address order back, names kept with their targets, and --resume
 * keeping settled records, dropping the rest, refusing foreign ones. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "net/sweep_plan.h"
#include "tap.h"

/* The whole list: 127.0.0.1 to 127.0.0.n, one address at a time (so
 * the set merges them), and the share list emptied. */
static void fill(struct ry_target_set *all, struct ry_target_list *tl, int n)
{
	ry_target_set_free(all);
	ry_target_free(tl);
	for (int i = n; i >= 1; i--) {
		char a[32];
		snprintf(a, sizeof a, "127.0.0.%d", i);
		struct ry_ipaddr ip;
		ry_ipaddr_parse(a, &ip);
		ry_target_set_add(all, &ip);
	}
	ry_target_set_unique(all);
}

static char *slurp(const char *path)
{
	static char buf[4096];
	int fd = open(path, O_RDONLY);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof buf - 1) : -1;

	if (fd >= 0)
		close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

int main(void)
{
	struct ry_target_set all = { 0 };
	struct ry_target_list tl = { 0 };
	struct ry_sweep_plan pl = { 0 };
	char a[64], text[256];
	const char **given = NULL;

	fill(&all, &tl, 10);
	char five[] = "five.test", again[] = "five-again.test", lost[] = "lost.test";
	struct ry_target_name names[3] = { { .text = five, .found = true }, { .text = again, .found = true },
					   { .text = lost, .found = false } };
	ry_ipaddr_parse("127.0.0.5", &names[0].addr);
	names[1].addr = names[0].addr;
	struct ry_sweep_plan_config c = { .shard = { 1, 3 }, .shuffle = false };
	ok(ry_sweep_plan_make(&c, &all, names, 3, &tl, &given, &pl) == 0 && tl.n == 3 && pl.share == 3 &&
	   pl.total == 10, "shard 1/3 of 10: a share of 3");
	text[0] = '\0';
	for (size_t i = 0; i < tl.n; i++) {
		ry_ipaddr_str(&tl.v[i], a, sizeof a);
		strcat(text, a);
		strcat(text, given[i] ? "=named " : " ");
	}
	is_str(text, "127.0.0.2 127.0.0.5=named 127.0.0.8 ", "unshuffled: positions 1, 4, 7; the name moved with its target");
	is_str(given[1], "five.test", "two names for one address: the first given is shown");
	ry_sweep_plan_free(&pl);
	free(given);

	fill(&all, &tl, 200);
	c = (struct ry_sweep_plan_config){ .shuffle = true };
	ok(ry_sweep_plan_make(&c, &all, NULL, 0, &tl, &given, &pl) == 0 && tl.n == 200 && !given,
	   "unsharded, shuffled: every target (no names: no name list)");
	int sorted = 1, back = 1;
	for (size_t i = 1; i < tl.n; i++)
		sorted &= ry_ipaddr_cmp(&tl.v[i - 1], &tl.v[i]) < 0;
	for (size_t j = 1; j < tl.n; j++)
		back &= ry_ipaddr_cmp(&tl.v[pl.byaddr[j - 1]], &tl.v[pl.byaddr[j]]) < 0;
	ok(!sorted, "the probe order is not address order");
	ok(back, "byaddr gives address order back");
	uint64_t seed = pl.seed;
	ry_sweep_plan_free(&pl);
	fill(&all, &tl, 200);
	ok(ry_sweep_plan_make(&c, &all, NULL, 0, &tl, &given, &pl) == 0 && pl.seed == seed,
	   "the same list, the same derived seed");
	ry_sweep_plan_free(&pl);

	/* --resume */
	char dir[] = "/tmp/rustyc-plan.XXXXXX", path[128];
	if (!mkdtemp(dir))
		return 1;
	snprintf(path, sizeof path, "%s/r.jsonl", dir);
	FILE *f = fopen(path, "w");
	fputs("{\"address\":\"127.0.0.2\",\"state\":\"up\",\"shard\":1}\n"
	      "{\"address\":\"127.0.0.5\",\"state\":\"unprobed\",\"shard\":1}\n"
	      "{\"address\":\"127.0.0.8\",\"state\":\"down\",\"shard\":1}\n"
	      "{\"summary\":true,\"shard\":1,\"list_hash\":\"00ff\"}\n"
	      "{\"address\":\"127.0.0.1", f);
	fclose(f);
	int out = dup(STDOUT_FILENO);
	fill(&all, &tl, 10);
	c = (struct ry_sweep_plan_config){ .shard = { 1, 3 }, .resume = path };
	int rc = ry_sweep_plan_make(&c, &all, NULL, 0, &tl, &given, &pl);
	fflush(stdout);
	dup2(out, STDOUT_FILENO);	/* the plan pointed stdout at the file */
	ry_ipaddr_str(&tl.v[0], a, sizeof a);
	ok(rc == 0 && tl.n == 1 && strcmp(a, "127.0.0.5") == 0 && pl.prev_done == 2 && pl.prev_up == 1,
	   "resumed: up and down kept (one up), the unprobed one probed again");
	is_str(slurp(path), "{\"address\":\"127.0.0.2\",\"state\":\"up\",\"shard\":1}\n"
	       "{\"address\":\"127.0.0.8\",\"state\":\"down\",\"shard\":1}\n",
	       "the file holds the kept records only: no summary, no torn line");
	ry_sweep_plan_free(&pl);

	f = fopen(path, "w");
	fputs("{\"address\":\"127.0.0.3\",\"state\":\"up\",\"shard\":1}\n", f);
	fclose(f);
	fill(&all, &tl, 10);
	rc = ry_sweep_plan_make(&c, &all, NULL, 0, &tl, &given, &pl);
	dup2(out, STDOUT_FILENO);
	ok(rc == -EINVAL && strstr(slurp(path), "127.0.0.3"), "a target outside the share is refused, the file untouched");
	char msg[512];
	ry_resume_message(&pl.err, path, msg, sizeof msg);
	ok(pl.err.line == 1 && strstr(msg, "line 1: ") && strstr(msg, "not written by this command line"),
	   "nothing printed: the plan says why and where, the caller words it (%s)", msg);
	ry_sweep_plan_free(&pl);
	f = fopen(path, "w");
	fputs("{\"address\":\"127.0.0.2\",\"state\":\"up\",\"shard\":0}\n", f);
	fclose(f);
	fill(&all, &tl, 10);
	rc = ry_sweep_plan_make(&c, &all, NULL, 0, &tl, &given, &pl);
	dup2(out, STDOUT_FILENO);
	ok(rc == -EINVAL && pl.err.line == 1, "a record of another shard is refused");
	ry_sweep_plan_free(&pl);
	close(out);
	unlink(path);
	rmdir(dir);
	ry_target_free(&tl);
	ry_target_set_free(&all);
	return done_testing();
}
