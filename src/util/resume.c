#define _GNU_SOURCE
#include "util/resume.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/diag.h"
#include "util/error.h"
#include "util/shard.h"

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

bool ry_resume_has(const struct ry_resume *r, const char *k, size_t n)
{
	size_t lo = 0, hi = r->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strncmp(r->keys[mid], k, n);
		if (c == 0 && r->keys[mid][n])
			c = 1;
		if (c < 0)
			lo = mid + 1;
		else if (c > 0)
			hi = mid;
		else
			return true;
	}
	return false;
}

void ry_resume_free(struct ry_resume *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->keys[i]);
	free(r->keys);
	*r = (struct ry_resume){ 0 };
}

static char *slurp(int fd, size_t *len)
{
	size_t cap = 65536, n = 0;
	char *buf = malloc(cap);

	for (;;) {
		if (!buf)
			return NULL;
		if (n == cap) {
			char *b = realloc(buf, cap * 2);
			if (!b) {
				free(buf);
				return NULL;
			}
			buf = b;
			cap *= 2;
		}
		ssize_t got = read(fd, buf + n, cap - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			int e = errno;
			free(buf);
			errno = e;
			return NULL;
		}
		if (got == 0)
			break;
		n += (size_t)got;
	}
	*len = n;
	return buf;
}

static int keep_key(struct ry_resume *r, size_t *cap, const char *k, size_t n)
{
	if (r->n == *cap) {
		size_t c = *cap ? *cap * 2 : 256;
		char **v = realloc(r->keys, c * sizeof *v);
		if (!v)
			return -ENOMEM;
		r->keys = v;
		*cap = c;
	}
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

/* Lines of buf[0..len) that check keeps, into fd; keys into r. */
static int filter(struct ry_resume *r, const char *path, const char *key, ry_resume_check check,
		  void *ctx, const char *buf, size_t len, FILE *to)
{
	size_t cap = 0, lineno = 0;
	const char *p = buf, *end = buf + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		const char *why = "not a record of this command";
		lineno++;
		if (!nl) {	/* torn: the run was killed while writing it */
			r->dropped++;
			break;
		}
		int c = check(ctx, p, n, &why);
		size_t klen;
		const char *k = c == 1 ? record_key(p, n, key, &klen) : NULL;
		if (c < 0 || (c == 1 && !k)) {
			ry_err("--resume '%s' line %zu: %s; it was not written by this command line "
			       "(give a new file, or the right one)", ry_quote(path), lineno, why);
			return -EINVAL;
		}
		if (c == 1) {
			if (keep_key(r, &cap, k, klen) != 0 || fwrite(p, 1, n + 1, to) != n + 1)
				return -ENOMEM;
		} else {
			r->dropped++;
		}
		p = nl + 1;
	}
	qsort(r->keys, r->n, sizeof *r->keys, cmp_key);
	return 0;
}

int ry_resume_open(struct ry_resume *r, const char *path, const char *key, ry_resume_check check,
		   void *ctx)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc = 0;
	size_t len = 0;
	char *buf = NULL, *tmp = NULL;
	FILE *to = NULL;

	*r = (struct ry_resume){ 0 };
	if (fd < 0 && errno != ENOENT) {
		rc = -errno;
		ry_err("cannot read --resume '%s': %s", ry_quote(path), ry_strerror(rc));
		return rc;
	}
	if (fd >= 0) {
		buf = slurp(fd, &len);
		rc = buf ? 0 : -errno;
		close(fd);
		if (rc) {
			ry_err("cannot read --resume '%s': %s", ry_quote(path), ry_strerror(rc));
			return rc;
		}
	}
	/* The kept lines go to a new file beside it, renamed over it once
	 * complete: FILE is either the old or the new, never half. */
	if (asprintf(&tmp, "%s.%ld.tmp", path, (long)getpid()) < 0) {
		tmp = NULL;
		rc = -ENOMEM;
	} else if (!(to = fopen(tmp, "we"))) {
		rc = -errno;
	} else {
		rc = filter(r, path, key, check, ctx, buf ? buf : "", len, to);
		if (rc == 0 && (fflush(to) != 0 || fsync(fileno(to)) != 0))
			rc = -errno;
	}
	if (to && fclose(to) != 0 && rc == 0)
		rc = -errno;
	if (rc == 0 && rename(tmp, path) != 0)
		rc = -errno;
	if (rc != 0 && tmp)
		(void)unlink(tmp);
	free(tmp);
	free(buf);
	if (rc == 0) {
		int out = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
		if (out < 0 || dup2(out, STDOUT_FILENO) < 0)
			rc = -errno;
		if (out >= 0)
			close(out);
	}
	if (rc != 0 && rc != -EINVAL)
		ry_err("cannot write --resume '%s': %s", ry_quote(path), ry_strerror(rc));
	if (rc != 0)
		ry_resume_free(r);
	return rc;
}
