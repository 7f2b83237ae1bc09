/*
 * rustyc thread-demo: the tutorial's thread lessons.  Spawn and join,
 * a panic that ends only its own thread, and a value shared through Arc.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd/cmd.h"
#include "core/arc.h"
#include "core/thread.h"
#include "util/diag.h"
#include "util/opt.h"
#include "util/out.h"

struct hello {
	unsigned long id;
	const char *name;	/* arc lesson: an Arc'd string, one owner each */
};

static void *say_hello(void *arg)
{
	struct hello *h = arg;

	ry_out_printf("hello %lu\n", h->id);
	return NULL;
}

static void *give_up(void *arg)
{
	const char *msg = arg;

	ry_out_printf("hello\n");
	fflush(stdout);
	ry_panic("%s", msg);
}

static void *greet_shared(void *arg)
{
	struct hello *h = arg;

	ry_out_printf("hello %s count %lu\n", h->name, h->id);
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
			ry_err("cannot start thread %lu: %s", started, ry_strerror(-errno));
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

/* "wait Ok(())" or "wait Err(MSG)", MSG as Rust's {:?} shows a string:
 * a message holding a newline or a quote stays on its one line. */
static void print_wait(int rc, const struct ry_outcome *out)
{
	struct ry_buf b;

	if (rc != RY_EPANICKED) {
		ry_out_printf("wait Ok(())\n");
		return;
	}
	ry_buf_init(&b);
	ry_buf_debug_str(&b, out->panic_msg);
	ry_out_printf("wait Err(%s)\n", b.p ? b.p : "\"\"");
	ry_buf_destroy(&b);
}

static int lesson_panic(const char *msg)
{
	struct ry_outcome out;
	struct ry_thread *t = ry_thread_spawn(give_up, (void *)msg, NULL);

	if (!t) {
		ry_err("cannot start a thread: %s", ry_strerror(-errno));
		return 2;
	}
	print_wait(ry_thread_join(t, &out), &out);
	return 0;
}

/* The tutorial's thread1: threads nobody joins.  main says "so fine"
 * and, as the tutorial does, waits a little (100 ms) so they can print
 * before the process ends; without that wait they may never run. */
static void *say_word(void *arg)
{
	ry_out_printf("%s\n", (const char *)arg);
	return NULL;
}

static int lesson_detach(void)
{
	static const char *const words[] = { "hello", "dolly" };

	for (size_t i = 0; i < 2; i++) {
		struct ry_thread *t = ry_thread_spawn(say_word, (void *)words[i], NULL);
		if (!t) {
			ry_err("cannot start a thread: %s", ry_strerror(-errno));
			return 2;
		}
		ry_thread_detach(t);
	}
	ry_out_printf("so fine\n");
	struct timespec wait = { 0, 100000000 };
	nanosleep(&wait, NULL);
	return 0;
}

/* The tutorial's thread2: join returns Ok(()) for a thread that ended
 * normally. */
static void *just_hello(void *arg)
{
	ry_out_printf("hello\n");
	return NULL;
}

static int lesson_join(void)
{
	struct ry_outcome out;
	struct ry_thread *t = ry_thread_spawn(just_hello, NULL, NULL);

	if (!t) {
		ry_err("cannot start a thread: %s", ry_strerror(-errno));
		return 2;
	}
	print_wait(ry_thread_join(t, &out), &out);
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
	ry_out_printf("arc count %zu\n", ry_arc_count(shared));
	ry_arc_drop(shared);
	free(args);
	return rc;
}

static const char *const sections[] = { "all", "spawn", "panic", "arc", "detach", "join", NULL };

int cmd_thread_demo(int argc, char **argv)
{
	unsigned long n = 5;
	const char *msg = "I give up!", *name = "dolly";
	int section = 0, args, rc = 0;
	const struct ry_opt opts[] = {
		RY_OPT_N('j', "threads", &n, "N", 1, 1000, "threads for spawn and arc (default 5)"),
		RY_OPT_S('m', "message", &msg, "MSG", "the panic message (default 'I give up!')"),
		RY_OPT_S(0, "name", &name, "NAME", "the Arc'd string (default 'dolly')"),
		RY_OPT_E('s', "section", &section, "NAME", sections,
			 "run one lesson only: detach, join, spawn,\npanic or arc"),
	};
	const struct ry_cmdline cl = {
		.synopsis = "",
		.about =
"Five lessons, in order:\n"
"  detach two threads nobody joins print 'hello' and 'dolly' while main\n"
"         says 'so fine' and waits 100 ms for them (the tutorial's thread1)\n"
"  join   a thread prints 'hello'; join gives 'wait Ok(())'\n"
"  spawn  N threads print 'hello I'; main joins each (any order)\n"
"  panic  a thread prints 'hello' and panics; the panic message goes to\n"
"         stderr, join returns it and main prints 'wait Err(\"MSG\")'\n"
"         and goes on\n"
"  arc    one Arc'd string shared by N threads: 'hello NAME count I',\n"
"         then the count of owners left once they are joined\n",
		.opts = opts, .nopts = sizeof opts / sizeof opts[0], .max_args = 0,
	};

	if ((rc = ry_opt_parse(&cl, argc, argv, &args)) >= 0)
		return rc;
	rc = 0;
	/* Lines from threads go through stdio's lock; flush between lessons
	 * so each lesson's lines come out together. */
	if (section == 0 || section == 4)
		rc |= lesson_detach();
	fflush(stdout);
	if (section == 0 || section == 5)
		rc |= lesson_join();
	fflush(stdout);
	if (section == 0 || section == 1)
		rc |= lesson_spawn(n);
	fflush(stdout);
	if (section == 0 || section == 2)
		rc |= lesson_panic(msg);
	fflush(stdout);
	if (section == 0 || section == 3)
		rc |= lesson_arc(n, name);
	return rc ? 2 : 0;
}
