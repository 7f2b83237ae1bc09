/* thread: spawn/join results, panics that end one thread, catch nesting,
 * and a panic in the main thread ending the process with 101. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <errno.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/chan.h"
#include "core/thread.h"
#include "tap.h"

static void *twice(void *arg)
{
	return (void *)((intptr_t)arg * 2);
}

static void *give_up(void *arg)
{
	ry_panic("I give up! %d", (int)(intptr_t)arg);
}

static void *name_of_self(void *arg)
{
	/* A copy: the name lives in the handle, which join frees. */
	return strdup(ry_thread_name());
}

static void *inner_catch(void *arg)
{
	struct ry_outcome out;

	/* The inner panic is caught here; this function then returns. */
	ry_catch(give_up, (void *)(intptr_t)1, &out);
	return out.status == RY_EPANICKED ? (void *)1 : NULL;
}

static void *wait_then_report(void *arg)
{
	struct ry_receiver **rx = arg;
	int v;

	/* Waits for main's go, then answers on the same channel's peer. */
	ry_chan_recv(rx[0], &v);
	v++;
	ry_chan_send((struct ry_sender *)rx[1], &v);
	ry_sender_drop((struct ry_sender *)rx[1]);
	return NULL;
}

static void test_detach(void)
{
	struct ry_sender *go_tx, *back_tx;
	struct ry_receiver *go_rx, *back_rx;
	void *args[2];
	int v = 41;

	ry_chan_new(sizeof v, RY_CHAN_UNBOUNDED, &go_tx, &go_rx);
	ry_chan_new(sizeof v, RY_CHAN_UNBOUNDED, &back_tx, &back_rx);
	args[0] = go_rx;
	args[1] = back_tx;
	struct ry_thread *t = ry_thread_spawn(wait_then_report, args, "detached");
	ry_thread_detach(t);	/* still running: it frees itself at the end */
	ry_chan_send(go_tx, &v);
	is_int(ry_chan_recv(back_rx, &v), 0, "a detached thread runs on");
	is_int(v, 42, "and does its work");
	is_int(ry_chan_recv(back_rx, &v), -EPIPE, "and ends (its sender dropped)");

	t = ry_thread_spawn(twice, (void *)(intptr_t)1, "quick");
	struct timespec ts = { 0, 50000000 };
	nanosleep(&ts, NULL);	/* likely ended: detach then frees at once */
	ry_thread_detach(t);
	ok(1, "detaching an ended thread frees it (LeakSanitizer checks)");
	ry_sender_drop(go_tx);
	ry_receiver_drop(go_rx);
	ry_receiver_drop(back_rx);
}

int main(void)
{
	struct ry_outcome out;
	struct ry_thread *t;

	t = ry_thread_spawn(twice, (void *)(intptr_t)21, "doubler");
	ok(t != NULL, "spawn returns a handle");
	is_int(ry_thread_join(t, &out), 0, "join of a thread that returned is 0");
	is_int((intptr_t)out.value, 42, "join hands back the thread's result");

	t = ry_thread_spawn(give_up, (void *)(intptr_t)7, "quitter");
	is_int(ry_thread_join(t, &out), RY_EPANICKED, "join of a panicked thread is RY_EPANICKED");
	is_str(out.panic_msg, "I give up! 7", "join reports the panic message");
	ok(out.value == NULL, "a panicked thread has no result");

	t = ry_thread_spawn(twice, (void *)(intptr_t)5, NULL);
	is_int(ry_thread_join(t, &out), 0, "the process goes on after a thread panicked");

	t = ry_thread_spawn(name_of_self, NULL, "worker-3");
	ry_thread_join(t, &out);
	is_str(out.value, "worker-3", "a thread knows its spawn name");
	free(out.value);
	t = ry_thread_spawn(name_of_self, NULL, NULL);
	ry_thread_join(t, &out);
	is_str(out.value, "<unnamed>", "an unnamed thread is '<unnamed>'");
	free(out.value);
	is_str(ry_thread_name(), "main", "the main thread is 'main'");

	is_int(ry_catch(give_up, (void *)(intptr_t)3, &out), RY_EPANICKED, "catch on the main thread stops a panic");
	is_str(out.panic_msg, "I give up! 3", "catch reports its message");
	is_int(ry_catch(inner_catch, NULL, &out), 0, "nested catch: the inner one takes the panic");
	is_int((intptr_t)out.value, 1, "and the outer code carries on");

	test_detach();

	/* Panic outside any catch: the process ends with 101 and the Rust
	 * message on stderr.  Run it in a child with stderr in a pipe. */
	int fds[2];
	if (pipe(fds) != 0)
		return 1;
	pid_t pid = fork();
	if (pid == 0) {
		dup2(fds[1], 2);
		ry_panic("main gives up");
	}
	close(fds[1]);
	char buf[256] = "";
	ssize_t n = read(fds[0], buf, sizeof buf - 1);
	buf[n > 0 ? n : 0] = '\0';
	int status;
	waitpid(pid, &status, 0);
	is_int(WIFEXITED(status) ? WEXITSTATUS(status) : -1, 101, "a panic in the main thread exits 101");
	ok(strncmp(buf, "thread 'main' panicked at 'main gives up', tests/unit/test_thread.c:", 68) == 0,
	   "and prints thread 'main' panicked at 'MSG', FILE:LINE");
	return done_testing();
}
