/*
 * rustyc thread-demo: the tutorial's thread lessons.  Spawn and join,
 * a panic that ends only its own thread, and a value shared through Arc.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "core/arc.h"
#include "core/thread.h"
#include "util/diag.h"
#include "util/opt.h"

static const char usage[] =
"usage: rustyc thread-demo [options]\n"
"\n"
"Three lessons, in order:\n"
"  spawn  N threads print 'hello I'; main joins each (any order)\n"
"  panic  a thread prints 'hello' and panics; the panic message goes to\n"
"         stderr, join returns it and main prints 'wait Err(\"MSG\")'\n"
"         and goes on\n"
"  arc    one Arc'd string shared by N threads: 'hello NAME count I',\n"
"         then the count of owners left once they are joined\n"
"\n"
"  -j, --threads N      threads for spawn and arc (default 5)\n"
"  -m, --message MSG    the panic message (default 'I give up!')\n"
"      --name NAME      the Arc'd string (default 'dolly')\n"
"  -s, --section NAME   run one lesson only: spawn, panic or arc\n"
"  -h, --help           show this help\n";

struct hello {
	unsigned long id;
	const char *name;	/* arc lesson: an Arc'd string, one owner each */
};

static void *say_hello(void *arg)
{
	struct hello *h = arg;

	printf("hello %lu\n", h->id);
	return NULL;
}

static void *give_up(void *arg)
{
	const char *msg = arg;

	printf("hello\n");
	fflush(stdout);
	ry_panic("%s", msg);
}

static void *greet_shared(void *arg)
{
	struct hello *h = arg;

	printf("hello %s count %lu\n", h->name, h->id);
	/* This thread owned one clone; dropping it is this thread's job. */
	ry_arc_drop((void *)h->name);
	return NULL;
}

static int spawn_all(unsigned long n, void *(*fn)(void *), struct hello *args)
{
	struct ry_thread **t = calloc(n, sizeof(struct ry_thread *));
	unsigned long started;

	if (!t) {
		ry_err("out of memory");
		return 2;
	}
	for (started = 0; started < n; started++) {
		t[started] = ry_thread_spawn(fn, &args[started], NULL);
		if (!t[started]) {
			ry_err("cannot start thread %lu: %s", started, strerror(errno));
			break;
		}
	}
	for (unsigned long i = 0; i < started; i++)
		if (ry_thread_join(t[i], NULL) != 0)
			ry_err("thread %lu failed", i);
	free(t);
	return started == n ? 0 : 2;
}

static int lesson_spawn(unsigned long n)
{
	struct hello *args = calloc(n, sizeof *args);
	int rc;

	if (!args) {
		ry_err("out of memory");
		return 2;
	}
	for (unsigned long i = 0; i < n; i++)
		args[i].id = i;
	rc = spawn_all(n, say_hello, args);
	free(args);
	return rc;
}

static int lesson_panic(const char *msg)
{
	struct ry_outcome out;
	struct ry_thread *t = ry_thread_spawn(give_up, (void *)msg, NULL);

	if (!t) {
		ry_err("cannot start a thread: %s", strerror(errno));
		return 2;
	}
	if (ry_thread_join(t, &out) == RY_EPANICKED)
		printf("wait Err(\"%s\")\n", out.panic_msg);
	else
		printf("wait Ok(())\n");
	return 0;
}

static int lesson_arc(unsigned long n, const char *name)
{
	size_t len = strlen(name) + 1;
	char *shared = ry_arc_new(len, NULL);
	struct hello *args = calloc(n, sizeof *args);
	int rc;

	if (!shared || !args) {
		ry_arc_drop(shared);
		free(args);
		ry_err("out of memory");
		return 2;
	}
	memcpy(shared, name, len);
	for (unsigned long i = 0; i < n; i++) {
		args[i].id = i;
		args[i].name = ry_arc_clone(shared);	/* moved into thread i */
	}
	rc = spawn_all(n, greet_shared, args);
	printf("arc count %zu\n", ry_arc_count(shared));
	ry_arc_drop(shared);
	free(args);
	return rc;
}

int cmd_thread_demo(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "threads", required_argument, NULL, 'j' },
		{ "message", required_argument, NULL, 'm' },
		{ "name", required_argument, NULL, 'N' },
		{ "section", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	unsigned long n = 5;
	const char *msg = "I give up!", *name = "dolly", *section = NULL;
	int c, rc = 0;

	while ((c = ry_getopt(argc, argv, "j:m:s:h", longopts)) != -1) {
		switch (c) {
		case 'j':
			if (ry_opt_ulong("-j/--threads", optarg, 1, 1000, &n))
				return 2;
			break;
		case 'm':
			msg = optarg;
			break;
		case 'N':
			name = optarg;
			break;
		case 's':
			section = optarg;
			if (strcmp(section, "spawn") != 0 && strcmp(section, "panic") != 0 &&
			    strcmp(section, "arc") != 0) {
				ry_err("invalid value '%s' for -s/--section: must be spawn, panic or arc",
				       ry_quote(section));
				return 2;
			}
			break;
		case 'h':
			fputs(usage, stdout);
			return 0;
		default:
			return 2;
		}
	}
	if (optind < argc) {
		ry_err("unexpected argument '%s' (see 'rustyc thread-demo --help')", argv[optind]);
		return 2;
	}
	/* Lines from threads go through stdio's lock; flush between lessons
	 * so each lesson's lines come out together. */
	if (!section || !strcmp(section, "spawn"))
		rc |= lesson_spawn(n);
	fflush(stdout);
	if (!section || !strcmp(section, "panic"))
		rc |= lesson_panic(msg);
	fflush(stdout);
	if (!section || !strcmp(section, "arc"))
		rc |= lesson_arc(n, name);
	return rc ? 2 : 0;
}
