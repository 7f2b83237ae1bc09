/*
 * gai_pool: the ceiling of getaddrinfo on this machine, for the resolve
 * benchmark.  16 threads (or argv[1]) take names from stdin's list and
 * call getaddrinfo, counting answers; no output work.  Prints
 * "names=N resolved=R secs=S".
 */
#define _GNU_SOURCE
#include <netdb.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

static char **names;
static size_t n;
static atomic_size_t next, resolved;

static void *run(void *arg)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *res;
	size_t i;

	while ((i = atomic_fetch_add(&next, 1)) < n) {
		if (getaddrinfo(names[i], NULL, &hints, &res) == 0) {
			atomic_fetch_add(&resolved, 1);
			freeaddrinfo(res);
		}
	}
	return arg;
}

int main(int argc, char **argv)
{
	int threads = argc > 1 ? atoi(argv[1]) : 16;
	size_t cap = 1024;
	char *line = NULL;
	size_t lcap = 0;
	ssize_t len;
	pthread_t t[256];
	struct timespec a, b;

	if (threads < 1 || threads > 256)
		threads = 16;
	names = malloc(cap * sizeof *names);
	while ((len = getline(&line, &lcap, stdin)) > 0) {
		if (line[len - 1] == '\n')
			line[len - 1] = '\0';
		if (n == cap)
			names = realloc(names, (cap *= 2) * sizeof *names);
		names[n++] = strdup(line);
	}
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (int i = 0; i < threads; i++)
		pthread_create(&t[i], NULL, run, NULL);
	for (int i = 0; i < threads; i++)
		pthread_join(t[i], NULL);
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("names=%zu resolved=%zu secs=%.4f\n", n, (size_t)atomic_load(&resolved),
	       (double)(b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9);
	return 0;
}
