/*
 * internal: state shared between thread.c and mutex.c, for src/core only.
 *
 * Each thread keeps a list of the ry_mutexes it holds, each with the catch
 * depth at which it was locked, so that a panic can poison and release
 * what the panicking code held.  The list is thread-local: no lock.  The
 * push and the common pop are inline because they sit on every lock and
 * unlock (bench mutex_*).
 */
#ifndef RY_CORE_INTERNAL_H
#define RY_CORE_INTERNAL_H

struct ry_mutex;
struct catch_frame;

/* Sixty-four mutexes held at once is far past any real use. */
#define RY__MAX_HELD 64

struct ry__self {
	const char *name;		/* spawn name, or NULL */
	struct catch_frame *frames;	/* innermost catch */
	unsigned depth;			/* catches active */
	unsigned nheld;
	struct {
		struct ry_mutex *m;
		unsigned depth;
	} held[RY__MAX_HELD];
};

extern _Thread_local struct ry__self ry__self;

void ry__thread_too_many_held(void) __attribute__((__noreturn__));
void ry__thread_forget_held(struct ry_mutex *m);

static inline void ry__thread_note_locked(struct ry_mutex *m)
{
	struct ry__self *s = &ry__self;

	if (s->nheld == RY__MAX_HELD)
		ry__thread_too_many_held();
	s->held[s->nheld].m = m;
	s->held[s->nheld].depth = s->depth;
	s->nheld++;
}

static inline void ry__thread_note_unlocked(struct ry_mutex *m)
{
	struct ry__self *s = &ry__self;

	if (s->nheld > 0 && s->held[s->nheld - 1].m == m)
		s->nheld--;
	else
		ry__thread_forget_held(m);	/* unlocked out of order */
}

/* Called by a panic on each mutex locked inside the catch it unwinds to. */
void ry__mutex_poison_unlock(struct ry_mutex *m);

#endif
