/*
 * target_in: a sweep's target list, read (see target_in.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "net/target_in.h"
#include "util/grow.h"

void ry_target_in_init(struct ry_target_in *in, uint64_t max_hosts)
{
	*in = (struct ry_target_in){ .max_hosts = max_hosts };
}

void ry_target_in_free(struct ry_target_in *in)
{
	for (size_t i = 0; i < in->nnames; i++)
		free(in->names[i].text);
	free(in->names);
	ry_target_set_free(&in->all);
	memset(in, 0, sizeof *in);
}

static int keep_name(struct ry_target_in *in, const char *text, size_t line)
{
	struct ry_target_name *v = ry_grow(in->names, &in->cap, in->nnames + 1, sizeof *v, 16);

	if (!v)
		return -ENOMEM;
	in->names = v;
	char *copy = strdup(text);
	if (!copy)
		return -ENOMEM;
	in->names[in->nnames++] = (struct ry_target_name){ .text = copy, .line = line };
	return 0;
}

int ry_target_in_add(struct ry_target_in *in, const char *text, size_t len, size_t line, const char **why)
{
	if (memchr(text, '\0', len)) {
		*why = "it holds a NUL byte";
		return RY_EBADADDR;
	}
	int rc = ry_target_expand(text, in->max_hosts, &in->all, why);
	if (rc == RY_ENONAME)
		rc = keep_name(in, text, line);
	return rc == 0 || rc == -E2BIG || rc == -ENOMEM ? rc : RY_EBADADDR;
}

int ry_target_in_finish(struct ry_target_in *in, int family, int64_t timeout_ns, size_t *at,
			const char **why)
{
	/* A name whose server never answers costs at least a second. */
	int rc = ry_target_resolve_names(in->names, in->nnames, family,
					 timeout_ns > 1000000000 ? timeout_ns : 1000000000, why);

	if (rc != 0)
		return rc;
	for (size_t i = 0; i < in->nnames; i++) {
		const struct ry_target_name *nt = &in->names[i];
		if (!nt->found) {
			in->failed++;
		} else if (in->all.n >= in->max_hosts) {
			*at = i;
			return -E2BIG;
		} else if (ry_target_set_add(&in->all, &nt->addr) != 0) {
			return -ENOMEM;
		}
	}
	return ry_target_set_unique(&in->all);
}
