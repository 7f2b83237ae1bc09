/*
 * internal: hooks between thread.c and mutex.c, for src/core only.
 * A mutex tells the thread module when the calling thread takes or
 * releases it, so that a panic can poison and release what the panicking
 * code held.  Both calls act on the calling thread's own list: no lock.
 */
#ifndef RY_CORE_INTERNAL_H
#define RY_CORE_INTERNAL_H

struct ry_mutex;

void ry__thread_note_locked(struct ry_mutex *m);
void ry__thread_note_unlocked(struct ry_mutex *m);

/* Called by a panic on each mutex locked inside the catch it unwinds to. */
void ry__mutex_poison_unlock(struct ry_mutex *m);

#endif
