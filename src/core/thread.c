#define _GNU_SOURCE
#include "core/thread.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "core/internal.h"
#include "util/out.h"

/* Who frees the handle: the joiner, or for a detached thread whichever of
 * thread end and detach comes second. */
enum { RUNNING, ENDED, DETACHED };

struct ry_thread {
	pthread_t tid;
	atomic_int state;
	void *(*fn)(void *);
	void *arg;
	char name[RY_THREAD_NAME_MAX];
	struct ry_outcome out;		/* written by the thread, read after join */
};

struct catch_frame {
	jmp_buf env;
	struct catch_frame *prev;
	struct ry_outcome *out;
};

/* All per-thread state; no other thread ever touches it. */
_Thread_local struct ry__self ry__self;

const char *ry_thread_name(void)
{
	if (ry__self.name)
		return ry__self.name;
	return syscall(SYS_gettid) == getpid() ? "main" : "<unnamed>";
}

void ry__thread_too_many_held(void)
{
	ry_panic("more than %d mutexes held at once", RY__MAX_HELD);
}

void ry__thread_forget_held(struct ry_mutex *m)
{
	for (unsigned i = ry__self.nheld; i-- > 0;) {
		if (ry__self.held[i].m == m) {
			memmove(&ry__self.held[i], &ry__self.held[i + 1],
				(ry__self.nheld - i - 1) * sizeof ry__self.held[0]);
			ry__self.nheld--;
			return;
		}
	}
}

noreturn void ry_panic_at(const char *file, int line, const char *fmt, ...)
{
	char msg[RY_PANIC_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	/* One fprintf: stderr is unbuffered, but a single call keeps the
	 * line whole when several threads panic at once.  The message may
	 * hold outside text (a lesson's --message): escaped, so it cannot
	 * forge a line or steer the terminal; join still gets it as is. */
	char shown[4 * RY_PANIC_MAX];
	size_t k = 0;
	for (const char *p = msg; *p && k + 5 < sizeof shown; p++)
		k += ry_escape_byte((unsigned char)*p, shown + k);
	shown[k] = '\0';
	fprintf(stderr, "thread '%s' panicked at '%s', %s:%d\n",
		ry_thread_name(), shown, file, line);

	struct catch_frame *f = ry__self.frames;
	if (!f)
		exit(101);

	/* Poison and release what was locked inside this catch, innermost
	 * first, as Rust's unwinding drops the guards. */
	for (unsigned i = ry__self.nheld; i-- > 0;) {
		if (ry__self.held[i].depth >= ry__self.depth) {
			struct ry_mutex *m = ry__self.held[i].m;
			ry__thread_note_unlocked(m);
			ry__mutex_poison_unlock(m);
		}
	}
	memcpy(f->out->panic_msg, msg, sizeof msg);
	longjmp(f->env, 1);
}

int ry_catch(void *(*fn)(void *), void *arg, struct ry_outcome *out)
{
	struct catch_frame f;

	f.prev = ry__self.frames;
	f.out = out;
	if (setjmp(f.env) == 0) {
		ry__self.frames = &f;
		ry__self.depth++;
		out->value = fn(arg);
		out->status = 0;
		out->panic_msg[0] = '\0';
	} else {
		out->value = NULL;
		out->status = RY_EPANICKED;
	}
	ry__self.frames = f.prev;
	ry__self.depth--;
	return out->status;
}

static void *trampoline(void *p)
{
	struct ry_thread *t = p;

	ry__self.name = t->name;
	if (strcmp(t->name, "<unnamed>") != 0) {
		/* For ps and gdb; the kernel keeps 15 bytes.  On the thread
		 * itself this is one prctl, not a write to /proc. */
		char comm[16];
		memcpy(comm, t->name, sizeof comm - 1);
		comm[sizeof comm - 1] = '\0';
		(void)pthread_setname_np(pthread_self(), comm);
	}
	ry_catch(t->fn, t->arg, &t->out);
	ry__self.name = NULL;
	if (atomic_exchange(&t->state, ENDED) == DETACHED)
		free(t);
	return NULL;
}

struct ry_thread *ry_thread_spawn(void *(*fn)(void *), void *arg, const char *name)
{
	struct ry_thread *t = malloc(sizeof *t);
	int rc;

	if (!t)
		return NULL;
	t->fn = fn;
	t->arg = arg;
	atomic_init(&t->state, RUNNING);
	snprintf(t->name, sizeof t->name, "%s", name ? name : "<unnamed>");
	rc = pthread_create(&t->tid, NULL, trampoline, t);
	if (rc != 0) {
		free(t);
		errno = rc;
		return NULL;
	}
	return t;
}

void ry_thread_detach(struct ry_thread *t)
{
	int rc = pthread_detach(t->tid);

	if (rc != 0)
		ry_panic("pthread_detach: %s", ry_strerror(-rc));
	if (atomic_exchange(&t->state, DETACHED) == ENDED)
		free(t);
}

int ry_thread_join(struct ry_thread *t, struct ry_outcome *out)
{
	int rc = pthread_join(t->tid, NULL);

	if (rc != 0)
		ry_panic("pthread_join: %s", ry_strerror(-rc));
	rc = t->out.status;
	if (out)
		*out = t->out;
	free(t);
	return rc;
}
