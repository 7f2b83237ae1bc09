#define _GNU_SOURCE
#include "util/proc.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/priv.h"

/* The PATH programs get, and the one they are found on when rustyc
 * started privileged: never the caller's. */
#define SAFE_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

/* The whole environment of a spawned program: nothing of the caller's
 * (no LD_*, no locale or resolver settings to steer it). */
static char *const child_env[] = { (char *)"PATH=" SAFE_PATH, (char *)"LC_ALL=C", NULL };

/* The file prog names: as given when it holds a '/', else the first
 * executable on the search path.  0, or -ENOENT. */
static int find(const char *prog, char *buf, size_t len)
{
	const char *path = ry_priv_started_privileged() ? NULL : getenv("PATH");

	if (strchr(prog, '/')) {
		snprintf(buf, len, "%s", prog);
		return access(buf, X_OK) == 0 ? 0 : -ENOENT;
	}
	if (!path)
		path = SAFE_PATH;
	while (*path) {
		const char *colon = strchr(path, ':');
		size_t n = colon ? (size_t)(colon - path) : strlen(path);
		int w = snprintf(buf, len, "%.*s/%s", (int)n, n ? path : ".", prog);
		if (w > 0 && (size_t)w < len && access(buf, X_OK) == 0)
			return 0;
		path += n + (colon != NULL);
	}
	return -ENOENT;
}

static int run(const char *const argv[], char *out, size_t len)
{
	posix_spawn_file_actions_t fa;
	char file[4096];
	pid_t pid;
	int rc, status, pipefd[2] = { -1, -1 };

	if ((rc = find(argv[0], file, sizeof file)) != 0)
		return rc;
	if (out && pipe2(pipefd, O_CLOEXEC) != 0)
		return -errno;
	if (posix_spawn_file_actions_init(&fa) != 0) {
		rc = -ENOMEM;
		goto out;
	}
	for (int fd = 0; fd < 3; fd++) {
		if (fd == 1 && out)
			posix_spawn_file_actions_adddup2(&fa, pipefd[1], 1);
		else
			posix_spawn_file_actions_addopen(&fa, fd, "/dev/null", fd ? O_WRONLY : O_RDONLY, 0);
	}
	/* posix_spawn's argv is not const for historical reasons; it does
	 * not write to it. */
	rc = posix_spawn(&pid, file, &fa, NULL, (char *const *)(uintptr_t)argv, child_env);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0) {
		rc = -rc;
		goto out;
	}
	if (out) {
		size_t used = 0;
		char sink[512];
		close(pipefd[1]);
		pipefd[1] = -1;
		for (;;) {
			ssize_t got = used + 1 < len ? read(pipefd[0], out + used, len - 1 - used)
						     : read(pipefd[0], sink, sizeof sink);
			if (got < 0 && errno == EINTR)
				continue;
			if (got <= 0)
				break;
			if (used + 1 < len)
				used += (size_t)got;
		}
		out[len ? used : 0] = '\0';
	}
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			rc = -errno;
			goto out;
		}
	}
	rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
out:
	if (pipefd[0] >= 0)
		close(pipefd[0]);
	if (pipefd[1] >= 0)
		close(pipefd[1]);
	return rc;
}

int ry_proc_run(const char *const argv[])
{
	return run(argv, NULL, 0);
}

int ry_proc_run_capture(const char *const argv[], char *out, size_t len)
{
	if (len == 0)
		return -EINVAL;
	return run(argv, out, len);
}

int ry_proc_exists(const char *prog)
{
	char file[4096];

	return find(prog, file, sizeof file) == 0;
}
