/*
 * rustyc share-demo: the tutorial's sharing lessons.  Cell and RefCell
 * change through a const handle; Rc counts its owners; an Arc'd Mutex
 * gathers increments from many threads; a panicking holder poisons it.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "core/arc.h"
#include "core/cell.h"
#include "core/mutex.h"
#include "core/thread.h"
#include "util/diag.h"
#include "util/opt.h"
#include "util/out.h"


static int lesson_cell(void)
{
	int answer = 42, v;
	const struct ry_cell *cell = ry_cell_new(sizeof answer, &answer);

	if (!cell) {
		ry_err("out of memory");
		return 2;
	}
	ry_cell_get(cell, &v);
	ry_out_printf("cell get %d\n", v);
	answer = 77;
	ry_cell_set(cell, &answer);	/* through a const handle */
	ry_cell_get(cell, &v);
	ry_out_printf("cell set 77, get %d\n", v);
	ry_cell_free((struct ry_cell *)cell);
	return 0;
}

static int lesson_refcell(int blow_up)
{
	char init[16] = "hello";
	const struct ry_refcell *greeting = ry_refcell_new(sizeof init, init);
	const void *shared;
	void *excl;

	if (!greeting) {
		ry_err("out of memory");
		return 2;
	}
	const char *s = ry_refcell_borrow(greeting);
	ry_out_printf("refcell borrow \"%s\" len %zu\n", s, strlen(s));
	ry_refcell_release(greeting);

	char *gr = ry_refcell_borrow_mut(greeting);	/* gr is a mutable borrow */
	memcpy(gr, "hola", sizeof "hola");	/* init has room for 16 */
	int rc = ry_refcell_try_borrow(greeting, &shared);
	ry_out_printf("borrow while mutably borrowed: %s\n", rc == RY_EBORROW ? "Err(BorrowError)" : "Ok");
	if (blow_up) {
		fflush(stdout);
		(void)ry_refcell_borrow(greeting);	/* <== we blow up here */
	}
	ry_refcell_release_mut(greeting);

	s = ry_refcell_borrow(greeting);
	rc = ry_refcell_try_borrow_mut(greeting, &excl);
	ry_out_printf("borrow_mut while borrowed: %s\n", rc == RY_EBORROWMUT ? "Err(BorrowMutError)" : "Ok");
	ry_out_printf("refcell borrow \"%s\"\n", s);
	ry_refcell_release(greeting);
	ry_refcell_free((struct ry_refcell *)greeting);
	return 0;
}

static void say_dropped(void *p)
{
	ry_out_printf("dropped \"%s\"\n", (char *)p);
}

static int lesson_rc(void)
{
	const char text[] = "hello dolly";
	char *rs1 = ry_rc_new(sizeof text, say_dropped);

	if (!rs1) {
		ry_err("out of memory");
		return 2;
	}
	memcpy(rs1, text, sizeof text);
	ry_out_printf("rc count %zu\n", ry_rc_count(rs1));
	char *rs2 = ry_rc_clone(rs1);
	ry_out_printf("rc count %zu after clone\n", ry_rc_count(rs1));
	ry_out_printf("len %zu, %zu\n", strlen(rs1), strlen(rs2));
	ry_rc_drop(rs2);
	ry_out_printf("rc count %zu after drop\n", ry_rc_count(rs1));
	ry_rc_drop(rs1);
	return 0;
}

struct counter_job {
	struct ry_mutex **m;	/* Arc'd: each job owns one clone */
	unsigned long increments;
};

static void drop_mutex(void *p)
{
	ry_mutex_free(*(struct ry_mutex **)p);
}

static void *add(void *arg)
{
	struct counter_job *job = arg;
	int64_t *count;

	for (unsigned long i = 0; i < job->increments; i++) {
		ry_mutex_lock(*job->m, (void **)&count);
		(*count)++;
		ry_mutex_unlock(*job->m);
	}
	ry_arc_drop(job->m);
	return NULL;
}

static int lesson_mutex(unsigned long n, unsigned long increments)
{
	struct ry_mutex **m = ry_arc_new(sizeof(struct ry_mutex *), drop_mutex);
	struct ry_thread **t = calloc(n, sizeof(struct ry_thread *));
	struct counter_job *jobs = calloc(n, sizeof *jobs);
	unsigned long started;
	int64_t *count;

	if (!m || !t || !jobs || !(*m = ry_mutex_new(sizeof(int64_t), NULL))) {
		ry_err("out of memory");
		if (m)
			ry_arc_drop(m);	/* calloc'd: frees a NULL mutex */
		free(t);
		free(jobs);
		return 2;
	}
	for (started = 0; started < n; started++) {
		jobs[started] = (struct counter_job){ ry_arc_clone(m), increments };
		t[started] = ry_thread_spawn(add, &jobs[started], "adder");
		if (!t[started]) {
			ry_arc_drop(m);
			ry_err("cannot start thread %lu: %s", started, ry_strerror(-errno));
			break;
		}
	}
	for (unsigned long i = 0; i < started; i++)
		ry_thread_join(t[i], NULL);
	ry_mutex_lock(*m, (void **)&count);
	ry_out_printf("mutex counter %lld (%lu threads x %lu)\n", (long long)*count, n, increments);
	ry_mutex_unlock(*m);
	ry_arc_drop(m);
	free(t);
	free(jobs);
	return started == n ? 0 : 2;
}

static void *hold_and_panic(void *arg)
{
	int64_t *v;

	ry_mutex_lock(arg, (void **)&v);
	*v += 1;
	ry_panic("poisoning the mutex while holding it");
}

static int lesson_poison(bool unwrap)
{
	int64_t init = 42, *v;
	struct ry_mutex *m = ry_mutex_new(sizeof init, &init);
	struct ry_outcome out;
	struct ry_thread *t;

	if (!m) {
		ry_err("out of memory");
		return 2;
	}
	t = ry_thread_spawn(hold_and_panic, m, NULL);
	if (!t) {
		ry_err("cannot start a thread: %s", ry_strerror(-errno));
		ry_mutex_free(m);
		return 2;
	}
	fflush(stdout);
	if (ry_thread_join(t, &out) == RY_EPANICKED) {
		struct ry_buf b;
		ry_buf_init(&b);
		ry_buf_debug_str(&b, out.panic_msg);
		ry_out_printf("wait Err(%s)\n", b.p);
		ry_buf_destroy(&b);
	}
	int rc = ry_mutex_lock(m, (void **)&v);
	/* lock().unwrap(), as the tutorial writes it: on a poisoned mutex
	 * the main thread panics and the process ends with 101. */
	if (unwrap && rc == RY_EPOISONED) {
		fflush(stdout);
		ry_panic("called `Result::unwrap()` on an `Err` value: PoisonError { .. }");
	}
	ry_out_printf("lock after panic: %s, value %lld\n",
	       rc == RY_EPOISONED ? "Err(PoisonError)" : "Ok", (long long)*v);
	ry_mutex_unlock(m);
	ry_mutex_free(m);
	return 0;
}

/* The tutorial's Mutex program: an Arc'd Mutex holding 42; a thread
 * locks it and writes 55; after join, main finds 55. */
static void *set_55(void *arg)
{
	int64_t *v;

	if (ry_mutex_lock(arg, (void **)&v) == 0) {
		*v = 55;
		ry_mutex_unlock(arg);
	}
	return NULL;
}

static int lesson_answer(void)
{
	int64_t init = 42, *v;
	struct ry_mutex *m = ry_mutex_new(sizeof init, &init);
	struct ry_thread *t;

	if (!m) {
		ry_err("out of memory");
		return 2;
	}
	ry_mutex_lock(m, (void **)&v);
	ry_out_printf("answer %lld\n", (long long)*v);
	ry_mutex_unlock(m);
	if (!(t = ry_thread_spawn(set_55, m, NULL))) {
		ry_err("cannot start a thread: %s", ry_strerror(-errno));
		ry_mutex_free(m);
		return 2;
	}
	ry_thread_join(t, NULL);
	ry_mutex_lock(m, (void **)&v);
	ry_out_printf("answer %lld after the thread\n", (long long)*v);
	ry_mutex_unlock(m);
	ry_mutex_free(m);
	return 0;
}

/* Rc and RefCell together: a team of players, each an Rc'd RefCell
 * owned by the roster and by the team.  Making the team stronger goes
 * through the team's handles (borrow_mut); the roster sees the change. */
struct player {
	char name[16];
	int strength;
};

static void drop_player(void *p)
{
	ry_refcell_free(*(struct ry_refcell **)p);
}

static void print_players(const char *what, struct ry_refcell **const *roster, size_t n)
{
	ry_out_printf("%s:", what);
	for (size_t i = 0; i < n; i++) {
		const struct player *p = ry_refcell_borrow(*roster[i]);
		ry_out_printf("%s %s %d", i ? "," : "", p->name, p->strength);
		ry_refcell_release(*roster[i]);
	}
	ry_out_printf(" (%zu owners each)\n", n ? ry_rc_count(roster[0]) : 0);
}

static int lesson_team(void)
{
	static const struct player init[] = { { "alice", 10 }, { "bob", 20 }, { "carol", 30 } };
	struct ry_refcell **roster[3] = { NULL }, **team[3] = { NULL };
	int rc = 0;

	for (size_t i = 0; i < 3; i++) {
		roster[i] = ry_rc_new(sizeof(struct ry_refcell *), drop_player);
		if (!roster[i] || !(*roster[i] = ry_refcell_new(sizeof init[i], &init[i]))) {
			ry_err("out of memory");
			rc = 2;
			goto out;
		}
		team[i] = ry_rc_clone(roster[i]);	/* a second owner */
	}
	print_players("team", roster, 3);
	for (size_t i = 0; i < 3; i++) {		/* p.borrow_mut().make_stronger() */
		struct player *p = ry_refcell_borrow_mut(*team[i]);
		p->strength += 1;
		ry_refcell_release_mut(*team[i]);
	}
	print_players("after make_stronger through the team", roster, 3);
out:
	for (size_t i = 0; i < 3; i++) {
		if (team[i])
			ry_rc_drop(team[i]);
		if (roster[i])
			ry_rc_drop(roster[i]);
	}
	return rc;
}

static const char *const sections[] = { "all", "cell", "refcell", "rc", "team", "mutex", "answer",
					"poison", NULL };

static int want(int section, const char *name)
{
	return section == 0 || !strcmp(sections[section], name);
}

int cmd_share_demo(int argc, char **argv)
{
	unsigned long n = 4, increments = 10000;
	int section = 0, args, rc;
	bool blow_up = false, unwrap = false;
	const struct ry_opt opts[] = {
		RY_OPT_N('j', "threads", &n, "N", 1, 1000, "threads for the mutex lesson (default 4)"),
		RY_OPT_N('n', "increments", &increments, "M", 0, 100000000,
			 "increments per thread (default 10000)"),
		RY_OPT_E('s', "section", &section, "NAME", sections, "run one lesson only"),
		RY_OPT_F(0, "blow-up", &blow_up,
			 "in the refcell lesson, borrow while mutably\n"
			 "borrowed without try_: the main thread panics\n"
			 "and rustyc exits with status 101, as Rust does"),
		RY_OPT_F(0, "unwrap", &unwrap,
			 "in the poison lesson, lock().unwrap() as the\n"
			 "tutorial writes it: the main thread panics on\n"
			 "the poisoned mutex and rustyc exits with 101"),
	};
	const struct ry_cmdline cl = {
		.synopsis = "",
		.about =
"Lessons, in order:\n"
"  cell     a Cell read and changed through a const handle\n"
"  refcell  a RefCell borrowed and mutably borrowed; the conflicting\n"
"           borrows are caught and shown as Err(BorrowError) and\n"
"           Err(BorrowMutError)\n"
"  rc       an Rc's count as clones come and go; the last drop frees it\n"
"  team     players that are Rc<RefCell<..>>, owned by a roster and a team;\n"
"           made stronger through the team, seen through the roster\n"
"  mutex    N threads add to one Arc'd Mutex counter M times each; the\n"
"           total is exact\n"
"  answer   the tutorial's Mutex: 42, a thread writes 55, main reads 55\n"
"  poison   a thread panics while holding the Mutex; the next lock\n"
"           reports the poison and still reaches the value\n"
,
		.opts = opts, .nopts = sizeof opts / sizeof opts[0], .max_args = 0,
	};

	if ((rc = ry_opt_parse(&cl, argc, argv, &args)) >= 0)
		return rc;
	if (unwrap && !want(section, "poison")) {
		ry_err("--unwrap belongs to the poison lesson: not with -s %s", sections[section]);
		return 2;
	}
	if (blow_up && !want(section, "refcell")) {
		ry_err("--blow-up belongs to the refcell lesson: not with -s %s", sections[section]);
		return 2;
	}
	rc = 0;
	if (want(section, "cell"))
		rc |= lesson_cell();
	if (want(section, "refcell"))
		rc |= lesson_refcell(blow_up);
	if (want(section, "rc"))
		rc |= lesson_rc();
	if (want(section, "team"))
		rc |= lesson_team();
	if (want(section, "mutex"))
		rc |= lesson_mutex(n, increments);
	if (want(section, "answer"))
		rc |= lesson_answer();
	if (want(section, "poison"))
		rc |= lesson_poison(unwrap);
	return rc ? 2 : 0;
}
