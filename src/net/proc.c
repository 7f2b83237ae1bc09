#define _GNU_SOURCE
#include "net/proc.h"

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

int ry_proc_run(const char *const argv[])
{
	posix_spawn_file_actions_t fa;
	char file[4096];
	pid_t pid;
	int rc, status;

	if ((rc = find(argv[0], file, sizeof file)) != 0)
		return rc;
	if (posix_spawn_file_actions_init(&fa) != 0)
		return -ENOMEM;
	for (int fd = 0; fd < 3; fd++)
		posix_spawn_file_actions_addopen(&fa, fd, "/dev/null", fd ? O_WRONLY : O_RDONLY, 0);
	/* posix_spawn's argv is not const for historical reasons; it does
	 * not write to it. */
	rc = posix_spawn(&pid, file, &fa, NULL, (char *const *)(uintptr_t)argv, child_env);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0)
		return -rc;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + WTERMSIG(status);
}

int ry_proc_exists(const char *prog)
{
	char file[4096];

	return find(prog, file, sizeof file) == 0;
}
