#define _GNU_SOURCE
#include "util/resume.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/diag.h"	/* ry_quote: no printing here */
#include "util/error.h"
#include "util/out.h"
#include "util/shard.h"
#include "util/grow.h"
#include "util/search.h"

const char *ry_json_field(const char *line, size_t len, const char *key, size_t *vlen)
{
	size_t klen = strlen(key);
	const char *end = line + len, *p = line;

	while ((p = memmem(p, (size_t)(end - p), key, klen)) != NULL) {
		const char *v = p + klen;
		/* "key": with the quotes its own (not inside a string,
		 * where every quote is escaped). */
		if (p > line && p[-1] == '"' && (p - 1 == line || p[-2] != '\\') && v + 1 < end &&
		    v[0] == '"' && v[1] == ':') {
			v += 2;
			if (v < end && *v == '"') {
				const char *s = ++v;
				while (v < end && *v != '"')
					v += *v == '\\' && v + 1 < end ? 2 : 1;
				if (v >= end)
					return NULL;
				*vlen = (size_t)(v - s);
				return s;
			}
			const char *s = v;
			while (v < end && *v != ',' && *v != '}')
				v++;
			*vlen = (size_t)(v - s);
			return s;
		}
		p++;
	}
	return NULL;
}

bool ry_resume_shard_is(const char *line, size_t len, const struct ry_shard *s)
{
	size_t n;
	const char *v = ry_json_field(line, len, "shard", &n);
	char want[24];

	if (!s->n)
		return v == NULL;
	snprintf(want, sizeof want, "%llu", (unsigned long long)s->k);
	return v && n == strlen(want) && memcmp(v, want, n) == 0;
}

static int cmp_key(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* keys[i] against k[0..n), as strcmp would order them. */
static int cmp_text(const char *key, const char *k, size_t n)
{
	int c = strncmp(key, k, n);

	return c == 0 && key[n] ? 1 : c;
}

struct key_search {
	const struct ry_resume *r;
	const char *k;
	size_t n;
};

static bool key_before(const void *ctx, size_t i)
{
	const struct key_search *q = ctx;

	return cmp_text(q->r->keys[i], q->k, q->n) < 0;
}

bool ry_resume_has(const struct ry_resume *r, const char *k, size_t n)
{
	struct key_search q = { r, k, n };
	size_t i = ry_partition_point(r->n, key_before, &q);

	return i < r->n && cmp_text(r->keys[i], k, n) == 0;
}

void ry_resume_free(struct ry_resume *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->keys[i]);
	free(r->keys);
	*r = (struct ry_resume){ 0 };
}

static int keep_key(struct ry_resume *r, size_t *cap, const char *k, size_t n)
{
	char **v = ry_grow(r->keys, cap, r->n + 1, sizeof *v, 256);

	if (!v)
		return -ENOMEM;
	r->keys = v;
	if (!(r->keys[r->n] = strndup(k, n)))
		return -ENOMEM;
	r->n++;
	return 0;
}

/* The key of a record: the first of the fields named in key
 * ("input,name") that it holds. */
static const char *record_key(const char *line, size_t n, const char *key, size_t *klen)
{
	char one[32];

	for (const char *k = key; *k;) {
		size_t l = strcspn(k, ",");
		if (l < sizeof one) {
			memcpy(one, k, l);
			one[l] = '\0';
			const char *v = ry_json_field(line, n, one, klen);
			if (v)
				return v;
		}
		k += l + (k[l] == ',');
	}
	return NULL;
}

bool ry_resume_is_summary(const char *line, size_t len)
{
	size_t n;
	const char *v = ry_json_field(line, len, "summary", &n);

	/* Ours: "summary":true beside the list's hash.  Any other line with
	 * a summary key is no record of ours, and is refused, not dropped. */
	return v && n == 4 && memcmp(v, "true", 4) == 0 && ry_json_field(line, len, "list_hash", &n);
}

/* The lines of from that check keeps, into to; keys into r.  A last line
 * without its newline is torn (a run killed while writing it): dropped. */
static int filter(struct ry_resume *r, const char *key, ry_resume_check check, void *ctx, FILE *from,
		  FILE *to)
{
	size_t cap = 0, lineno = 0, size = 0;
	char *p = NULL;
	ssize_t got;
	int rc = 0;

	while (rc == 0 && (got = getline(&p, &size, from)) > 0) {
		size_t n = (size_t)got - 1;
		const char *why = "not a record of this command";
		lineno++;
		if (p[n] != '\n') {
			r->dropped++;
			break;
		}
		int c = check(ctx, p, n, &why);
		size_t klen;
		const char *k = c == 1 ? record_key(p, n, key, &klen) : NULL;
		if (c < 0 || (c == 1 && !k)) {
			r->err.line = lineno;
			r->err.why = why;
			rc = -EINVAL;
		} else if (c != 1) {
			r->dropped++;
		} else if (keep_key(r, &cap, k, klen) != 0) {
			rc = -ENOMEM;
		} else if (fwrite(p, 1, n + 1, to) != n + 1) {
			rc = errno ? -errno : -EIO;	/* a full disk says so */
		}
	}
	if (rc == 0 && ferror(from))
		r->err.code = rc = errno ? -errno : -EIO;	/* reading, not writing */
	free(p);
	if (r->n > 1)
		qsort(r->keys, r->n, sizeof *r->keys, cmp_key);
	return rc;
}

/* Opens FILE to read, refusing what is not a regular file of its own: a
 * symbolic link (another user's, in a shared directory, could point at
 * any file the caller may write), a FIFO or a device.  Sets *st; -ENOENT
 * when there is no FILE yet. */
static int open_old(struct ry_resume *r, const char *path, struct stat *st, FILE **from)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0) {
		int rc = -errno;
		if (rc == -ELOOP)
			r->err.why = "is a symbolic link: give the file it points to";
		return rc;
	}
	if (fstat(fd, st) != 0 || !S_ISREG(st->st_mode)) {
		r->err.why = "is not a regular file";
		close(fd);
		return -EINVAL;
	}
	if (fcntl(fd, F_SETFL, 0) != 0 || !(*from = fdopen(fd, "r"))) {
		int rc = -errno;
		close(fd);
		return rc;
	}
	return 0;
}

/* A new file beside FILE, made with O_EXCL under a name nobody can
 * guess (mkstemp), so no link planted in a shared directory is
 * followed; with FILE's mode and owner, or the mode a new file gets. */
static int open_new(const char *path, const struct stat *old, char **tmp)
{
	const char *slash = strrchr(path, '/');
	int dirlen = slash ? (int)(slash - path + 1) : 0;

	if (asprintf(tmp, "%.*s.%s.XXXXXX", dirlen, path, slash ? slash + 1 : path) < 0) {
		*tmp = NULL;
		return -ENOMEM;
	}
	int fd = mkostemp(*tmp, O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (old) {
		/* As root, the file stays its owner's; otherwise chown to
		 * oneself is a no-op and a foreign owner cannot be kept. */
		if (fchown(fd, old->st_uid, old->st_gid) != 0 && errno != EPERM) {
			int rc = -errno;
			close(fd);
			return rc;
		}
		(void)fchmod(fd, old->st_mode & 07777);
	} else {
		mode_t mask = umask(0);
		umask(mask);
		(void)fchmod(fd, 0666 & ~mask);
	}
	return fd;
}

int ry_resume_open(struct ry_resume *r, const char *path, const char *key, ry_resume_check check,
		   void *ctx)
{
	struct stat st = { 0 };
	FILE *from = NULL, *to = NULL;
	char *tmp = NULL;
	int rc, fd = -1;

	*r = (struct ry_resume){ 0 };
	rc = open_old(r, path, &st, &from);
	if (rc != 0 && rc != -ENOENT)
		return r->err.code = rc;
	bool fresh = rc == -ENOENT;
	/* The kept lines go to a new file beside it, renamed over it once
	 * complete: FILE is either the old or the new, never half.  The
	 * records that follow are written through the same descriptor, so
	 * no second open can be redirected either. */
	fd = open_new(path, fresh ? NULL : &st, &tmp);
	if (fd < 0) {
		rc = fd;
		fd = -1;
	} else if (!(to = fdopen(dup(fd), "w"))) {
		rc = -errno;
	} else {
		rc = fresh ? 0 : filter(r, key, check, ctx, from, to);
		if (fflush(to) != 0 && rc == 0)
			rc = -errno;
		if (rc == 0 && fsync(fd) != 0)
			rc = -errno;
	}
	if (to && fclose(to) != 0 && rc == 0)
		rc = -errno;
	if (from)
		fclose(from);
	if (rc == 0 && rename(tmp, path) != 0)
		rc = -errno;
	if (rc == 0 && (fcntl(fd, F_SETFL, O_APPEND) != 0 || lseek(fd, 0, SEEK_END) < 0 ||
			dup2(fd, STDOUT_FILENO) < 0))
		rc = -errno;
	if (rc != 0 && tmp)
		(void)unlink(tmp);
	if (fd >= 0)
		close(fd);
	free(tmp);
	if (rc != 0) {
		struct ry_resume_error e = r->err;
		e.writing = !e.why && !e.code;
		e.code = rc;
		ry_resume_free(r);
		r->err = e;
	}
	return rc;
}

void ry_resume_message(const struct ry_resume_error *e, const char *path, char *buf, size_t len)
{
	if (e->line)
		snprintf(buf, len, "--resume '%s' line %zu: %s; it was not written by this command line "
			 "(give a new file, or the right one)", ry_quote(path), e->line, e->why);
	else if (e->why)
		snprintf(buf, len, "--resume '%s' %s", ry_quote(path), e->why);
	else
		snprintf(buf, len, "cannot %s --resume '%s': %s", e->writing ? "write" : "read",
			 ry_quote(path), ry_strerror(e->code));
}

void ry_resume_summary_begin(struct ry_rec *rec, const struct ry_shard *s)
{
	ry_rec_begin(rec);
	ry_rec_bool(rec, "summary", true, RY_REC_JSON);
	ry_rec_int(rec, "shard", (long long)s->k, RY_REC_JSON);
	ry_rec_int(rec, "shards", (long long)(s->n ? s->n : 1), RY_REC_JSON);
}

void ry_resume_summary_end(struct ry_rec *rec, size_t resumed, bool stopped, const char *list_key,
			   unsigned long long list_n, unsigned long long list_hash, const unsigned long long *seed)
{
	char hash[24], text[24];

	ry_rec_int(rec, "resumed", (long long)resumed, RY_REC_JSON);
	ry_rec_bool(rec, "interrupted", stopped, RY_REC_JSON);
	ry_rec_int(rec, list_key, (long long)list_n, RY_REC_JSON);
	snprintf(hash, sizeof hash, "%016llx", list_hash);
	ry_rec_cstr(rec, "list_hash", hash, RY_REC_JSON);
	if (seed) {
		snprintf(text, sizeof text, "%llu", *seed);
		ry_rec_cstr(rec, "seed", text, RY_REC_JSON);
	}
	ry_rec_put(rec);
}
