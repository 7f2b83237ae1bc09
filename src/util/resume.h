/*
 * resume: continuing an interrupted run from the JSON Lines it wrote.
 *
 * A run given --resume FILE writes its records to FILE, which must be a
 * regular file of its own (not a symbolic link, a FIFO or a device).  When FILE
 * already holds records of an earlier run of the same command line,
 * ry_resume_open keeps the finished ones (the caller's `finished` says
 * which: a host that settled, a name that resolved or failed), drops the
 * rest (a torn last line from a killed run, an interrupted run's summary
 * and its unprobed targets), rewrites FILE with what it kept (a new file
 * made with mkstemp beside it, with FILE's mode and owner, renamed over
 * the old, so a crash here loses nothing and no planted link is
 * followed) and points stdout at FILE's end through the descriptor it
 * holds, so the new records follow the kept ones.  FILE is read line by
 * line: only the keys stay in memory.  The key of
 * each kept record (a field's JSON string, as written: escapes
 * untouched) is looked up with ry_resume_has.
 *
 * ry_json_field reads one top-level field of one of rustyc's own
 * records (flat objects whose strings escape every quote); it is not a
 * general JSON parser.
 *
 * Thread safety: a ry_resume belongs to one thread; ry_resume_open
 * changes stdout, so call it before any output.
 */
#ifndef RY_UTIL_RESUME_H
#define RY_UTIL_RESUME_H

#include <stdbool.h>
#include <stddef.h>

/* Why ry_resume_open failed: nothing is printed here, the caller words
 * it (ry_resume_message). */
struct ry_resume_error {
	int code;		/* negative errno */
	size_t line;		/* 0, or the line of FILE that does not belong */
	const char *why;	/* static: that line's reason, or what FILE is */
	bool writing;		/* code came from writing FILE, not reading it */
};

struct ry_resume {
	char **keys;		/* sorted */
	size_t n;
	size_t dropped;		/* lines not kept */
	struct ry_resume_error err;	/* after a failed ry_resume_open */
};

/* Finds "key": in line[0..len): its value's text (a string's contents
 * without the quotes, escapes untouched; or a number, true, false, null)
 * and its length.  NULL when absent. */
const char *ry_json_field(const char *line, size_t len, const char *key, size_t *vlen);

/* Whether a line is one of rustyc's own summary records ("summary":true
 * and a list_hash), which a resumed run drops: a new one follows. */
bool ry_resume_is_summary(const char *line, size_t len);

/* A share's one summary record (JSON; what ry_resume_is_summary finds):
 * begin writes summary, shard and shards; the caller adds its counts;
 * end writes resumed, interrupted, list_KIND (the whole list's size),
 * list_hash (16 hex digits), seed when given, and puts the record. */
struct ry_rec;
struct ry_shard;
void ry_resume_summary_begin(struct ry_rec *rec, const struct ry_shard *s);
void ry_resume_summary_end(struct ry_rec *rec, size_t resumed, bool stopped, const char *list_key,
			   unsigned long long list_n, unsigned long long list_hash, const unsigned long long *seed);

/* Whether a record belongs to shard s: its "shard" field is s->k, or it
 * has none when s->n is 0 (not sharded). */
struct ry_shard;
bool ry_resume_shard_is(const char *line, size_t len, const struct ry_shard *s);

/* What the caller says of one line: 1 a finished record (kept; key is
 * its key field), 0 a record to drop, -1 a line that does not belong
 * (ry_resume_open fails naming it, with *why from the callback). */
typedef int (*ry_resume_check)(void *ctx, const char *line, size_t len, const char **why);

/* key names the field that keys a record, or several ("input,name"):
 * the first one a record holds.  0; or -errno / -EINVAL with r->err
 * saying why (r holds nothing else then). */
int ry_resume_open(struct ry_resume *r, const char *path, const char *key, ry_resume_check check,
		   void *ctx);

/* A message for a failed open, naming FILE and the line, into buf. */
void ry_resume_message(const struct ry_resume_error *e, const char *path, char *buf, size_t len);

/* Whether a kept record has key k[0..n). */
bool ry_resume_has(const struct ry_resume *r, const char *k, size_t n);

void ry_resume_free(struct ry_resume *r);

#endif
