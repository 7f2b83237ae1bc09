/* net/name_plan: a copy's share of a name list, the same for any order
 * and case, and --resume keyed by input or name. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "net/name_plan.h"
#include "tap.h"

static char *slurp(const char *path)
{
	static char buf[4096];
	FILE *f = fopen(path, "r");
	size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;

	if (f)
		fclose(f);
	buf[n] = '\0';
	return buf;
}

/* ry_name_plan_open with a file, stdout given back after it: the plan
 * points stdout at the file, and TAP lines must not land there. */
static int open_at(struct ry_name_plan *r, const char *path, int out)
{
	fflush(stdout);
	int rc = ry_name_plan_open(r, NULL, path);
	fflush(stdout);
	dup2(out, STDOUT_FILENO);
	return rc;
}

int main(void)
{
	struct ry_name_plan p[3];
	struct ry_shard sh[3] = { { 0, 3 }, { 1, 3 }, { 2, 3 } };
	char name[32];
	size_t taken = 0, twice = 0;

	for (int k = 0; k < 3; k++)
		is_int(ry_name_plan_open(&p[k], &sh[k], NULL), 0, "shard %d/3 opens without a file", k);
	for (int i = 0; i < 300; i++) {
		int n = snprintf(name, sizeof name, "gen-%d.test", i), in = 0;
		for (int k = 0; k < 3; k++)
			in += ry_name_plan_take(&p[k], name, (size_t)n);
		taken += in == 1;
		twice += in > 1;
	}
	is_int((int)taken, 300, "three shards take every name exactly once");
	is_int((int)twice, 0, "and none twice");
	ok(p[0].share + p[1].share + p[2].share == 300 && p[0].seen == 300, "each counts what it saw and kept");
	ok(p[0].share > 50 && p[1].share > 50 && p[2].share > 50, "the shares are of a size");
	ok(ry_name_hash("GEN-5.Test", 10) == ry_name_hash("gen-5.test", 10), "a name's case does not move it");
	ok(p[0].list_hash == p[1].list_hash, "every copy hashes the whole list alike");
	for (int k = 0; k < 3; k++)
		ry_name_plan_free(&p[k]);

	/* --resume: records keyed by input where they have one. */
	char dir[] = "/tmp/rustyc-nplan.XXXXXX", path[128];
	if (!mkdtemp(dir))
		return 1;
	snprintf(path, sizeof path, "%s/r.jsonl", dir);
	FILE *f = fopen(path, "w");
	fputs("{\"input\":\"a.test:80\",\"name\":\"a.test\",\"port\":80,\"addresses\":[],\"error\":null}\n"
	      "{\"name\":\"b.test\",\"port\":null,\"addresses\":[],\"error\":\"name not found\"}\n"
	      "{\"summary\":true,\"shard\":0,\"list_hash\":\"00ff\"}\n"
	      "{\"name\":\"c.te", f);
	fclose(f);
	int out = dup(STDOUT_FILENO);
	struct ry_name_plan r;
	int rc = open_at(&r, path, out);
	ok(rc == 0 && r.prev_ok == 1 && r.prev_failed == 1, "resumed: one resolved, one failed, summary and torn line dropped");
	ok(!ry_name_plan_take(&r, "a.test:80", 9), "a name with a port is settled by its input");
	ok(ry_name_plan_take(&r, "a.test:443", 10), "the same name with another port is not");
	ok(ry_name_plan_take(&r, "a.test", 6), "nor the name alone");
	ok(!ry_name_plan_take(&r, "b.test", 6), "a failed name is settled too");
	ry_name_plan_free(&r);
	f = fopen(path, "w");
	fputs("{\"address\":\"127.0.0.1\",\"state\":\"up\"}\n", f);
	fclose(f);
	rc = open_at(&r, path, out);
	is_int(rc, -EINVAL, "a ping-sweep record is refused");
	ok(r.done.err.line == 1, "naming its line, for the caller to say");
	ry_name_plan_free(&r);

	/* A line with a summary key that is not one of ours is refused,
	 * not dropped: a foreign log is never silently replaced. */
	f = fopen(path, "w");
	fputs("{\"summary\":\"nightly backup\",\"status\":\"ok\"}\n", f);
	fclose(f);
	is_int(open_at(&r, path, out), -EINVAL, "a foreign summary line is refused");
	ok(strstr(slurp(path), "nightly backup") != NULL, "and the file is left as it was");
	ry_name_plan_free(&r);

	/* The rewrite keeps FILE's mode; a link or a FIFO is refused. */
	f = fopen(path, "w");
	fputs("{\"name\":\"b.test\",\"port\":null,\"addresses\":[],\"error\":null}\n", f);
	fclose(f);
	chmod(path, 0640);
	is_int(open_at(&r, path, out), 0, "a file of 0640 is resumed");
	struct stat st;
	ok(stat(path, &st) == 0 && (st.st_mode & 07777) == 0640, "and keeps its mode");
	ry_name_plan_free(&r);
	char link[160], fifo[160], victim[160];
	snprintf(link, sizeof link, "%s/link.jsonl", dir);
	snprintf(victim, sizeof victim, "%s/victim", dir);
	f = fopen(victim, "w");
	fputs("secret\n", f);
	fclose(f);
	ok(symlink(victim, link) == 0, "a link to another file");
	is_int(open_at(&r, link, out), -ELOOP, "--resume through a symbolic link is refused");
	char msg[256];
	ry_resume_message(&r.done.err, link, msg, sizeof msg);
	ok(strstr(msg, "is a symbolic link: give the file it points to") != NULL, "and the message says so (%s)", msg);
	is_str(slurp(victim), "secret\n", "and the file it points to is untouched");
	ry_name_plan_free(&r);
	snprintf(fifo, sizeof fifo, "%s/fifo", dir);
	ok(mkfifo(fifo, 0600) == 0, "a FIFO");
	is_int(open_at(&r, fifo, out), -EINVAL, "is refused at once (not a regular file), not waited on");
	ry_name_plan_free(&r);
	unlink(link);
	unlink(victim);
	unlink(fifo);
	close(out);
	unlink(path);
	rmdir(dir);
	return done_testing();
}
