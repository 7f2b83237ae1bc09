#include "net/poller.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

struct ry_poller {
	int epfd;
	int evfd;	/* eventfd for ry_poller_wake, registered with ptr NULL */
};

struct ry_poller *ry_poller_new(void)
{
	struct ry_poller *p = malloc(sizeof *p);

	if (!p)
		return NULL;
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = NULL };
	p->epfd = epoll_create1(EPOLL_CLOEXEC);
	p->evfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (p->epfd < 0 || p->evfd < 0 || epoll_ctl(p->epfd, EPOLL_CTL_ADD, p->evfd, &ev) != 0) {
		int saved = errno;
		if (p->epfd >= 0)
			close(p->epfd);
		if (p->evfd >= 0)
			close(p->evfd);
		free(p);
		errno = saved;
		return NULL;
	}
	return p;
}

void ry_poller_free(struct ry_poller *p)
{
	if (!p)
		return;
	close(p->epfd);
	close(p->evfd);
	free(p);
}

static uint32_t to_epoll(unsigned events)
{
	return (events & RY_POLL_IN ? EPOLLIN | EPOLLRDHUP : 0) |
	       (events & RY_POLL_OUT ? EPOLLOUT : 0);
}

static int ctl(struct ry_poller *p, int op, int fd, unsigned events, void *ptr)
{
	struct epoll_event ev = { .events = to_epoll(events), .data.ptr = ptr };

	return epoll_ctl(p->epfd, op, fd, &ev) == 0 ? 0 : -errno;
}

int ry_poller_add(struct ry_poller *p, int fd, unsigned events, void *ptr)
{
	return ctl(p, EPOLL_CTL_ADD, fd, events, ptr);
}

int ry_poller_mod(struct ry_poller *p, int fd, unsigned events, void *ptr)
{
	return ctl(p, EPOLL_CTL_MOD, fd, events, ptr);
}

int ry_poller_del(struct ry_poller *p, int fd)
{
	return ctl(p, EPOLL_CTL_DEL, fd, 0, NULL);
}

void ry_poller_wake(struct ry_poller *p)
{
	uint64_t one = 1;

	/* Fails only when the counter is full, which wakes the poller too. */
	if (write(p->evfd, &one, sizeof one) < 0)
		return;
}

static int wait_events(struct ry_poller *p, struct ry_poll_event *out, int max, int timeout_ms,
		       const struct timespec *ts)
{
	struct epoll_event ev[256];
	int n;

	if (max > 256)
		max = 256;
#ifdef SYS_epoll_pwait2
	if (ts) {
		/* glibc 2.35 has a wrapper; the system call is older (5.11). */
		n = (int)syscall(SYS_epoll_pwait2, p->epfd, ev, max, ts, NULL, 0);
		if (n < 0 && errno == ENOSYS)
			n = epoll_wait(p->epfd, ev, max, timeout_ms);
	} else
#endif
		n = epoll_wait(p->epfd, ev, max, timeout_ms);
	if (n < 0)
		return errno == EINTR ? 0 : -errno;
	for (int i = 0; i < n; i++) {
		out[i].ptr = ev[i].data.ptr;
		if (!out[i].ptr) {
			uint64_t count;
			if (read(p->evfd, &count, sizeof count) < 0)
				count = 0;	/* already drained: still a wake-up */
		}
		out[i].events = (ev[i].events & (EPOLLIN | EPOLLRDHUP) ? RY_POLL_IN : 0) |
				(ev[i].events & EPOLLOUT ? RY_POLL_OUT : 0) |
				(ev[i].events & (EPOLLERR | EPOLLHUP) ? RY_POLL_ERR : 0);
	}
	return n;
}

int ry_poller_wait(struct ry_poller *p, struct ry_poll_event *out, int max, int timeout_ms)
{
	return wait_events(p, out, max, timeout_ms, NULL);
}

int ry_poller_wait_ns(struct ry_poller *p, struct ry_poll_event *out, int max, int64_t timeout_ns)
{
	struct timespec ts = { (time_t)(timeout_ns / 1000000000), (long)(timeout_ns % 1000000000) };
	int64_t ms = (timeout_ns + 999999) / 1000000;

	return wait_events(p, out, max, ms > 1000000 ? 1000000 : (int)ms, &ts);
}
