#define _GNU_SOURCE
#include "util/stop.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "util/time.h"

atomic_bool ry_stop_flag;
atomic_bool ry_stop_now;
static atomic_int stop_sig;	/* the first signal that asked */
static atomic_uint signals;	/* how many came */
/* A pipe that a stop request writes a byte to, so that ry_stop_wait can
 * sleep in poll: write(2) is async-signal-safe.  Created once, by
 * ry_stop_catch, before any thread reads it. */
static int wake[2] = { -1, -1 };

void ry_stop_request(int sig)
{
	int none = 0, saved = errno;

	if (sig) {
		atomic_compare_exchange_strong(&stop_sig, &none, sig);
		if (atomic_fetch_add(&signals, 1) >= 1)
			atomic_store(&ry_stop_now, true);
	}
	atomic_store(&ry_stop_flag, true);
	if (wake[1] >= 0)
		(void)!write(wake[1], "", 1);	/* a full pipe is awake already */
	errno = saved;
}

static void on_signal(int sig)
{
	ry_stop_request(sig);
}

int ry_stop_catch(void)
{
	struct sigaction sa = { .sa_handler = on_signal, .sa_flags = SA_RESTART };

	if (wake[0] < 0 && pipe2(wake, O_CLOEXEC | O_NONBLOCK) != 0)
		return -errno;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGINT, &sa, NULL) != 0 || sigaction(SIGTERM, &sa, NULL) != 0)
		return -errno;
	return 0;
}

static void on_pipe(int sig)
{
	/* The whole process ends here, at once, as death by SIGPIPE would
	 * end it, but with status 0.  exit_group directly rather than
	 * _exit: a sanitizer's _exit hook would run its at-exit checks and
	 * report the lesson threads that are still running as leaked,
	 * which they are not any more than under a fatal signal. */
	syscall(SYS_exit_group, 0);
}

void ry_stop_quit_on_pipe(void)
{
	struct sigaction sa = { .sa_handler = on_pipe };

	sigemptyset(&sa.sa_mask);
	(void)sigaction(SIGPIPE, &sa, NULL);
}

int ry_stop_ignore_pipe(void)
{
	struct sigaction sa = { .sa_handler = SIG_IGN };

	sigemptyset(&sa.sa_mask);
	return sigaction(SIGPIPE, &sa, NULL) == 0 ? 0 : -errno;
}

int ry_stop_wait(int64_t deadline_ns)
{
	while (!atomic_load(&ry_stop_flag)) {
		struct pollfd pfd = { .fd = wake[0], .events = POLLIN };
		int ms = -1;

		if (deadline_ns) {
			int64_t left = deadline_ns - ry_now_ns();
			if (left <= 0)
				return -ETIMEDOUT;
			ms = (int)((left + 999999) / 1000000);
		}
		/* Without ry_stop_catch there is no pipe: poll on nothing
		 * still sleeps until the deadline. */
		(void)poll(&pfd, wake[0] >= 0, ms);
	}
	return 0;
}

int ry_stop_status(void)
{
	int sig = atomic_load(&stop_sig);

	return sig ? 128 + sig : 0;
}
