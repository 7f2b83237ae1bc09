/*
 * rustyc: the subcommand table and dispatch, --help, --version, and the
 * check that stdout really received what the subcommand wrote.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cmd/cmd.h"
#include "util/diag.h"
#include "util/out.h"
#include "util/priv.h"
#include "util/stop.h"

/* The lessons keep SIGINT's default action and are line buffered: each
 * line goes out as it is printed, so an interrupted lesson has shown
 * what it did. */
const struct cmd_entry cmd_table[] = {
	{ "ping-sweep",   cmd_ping_sweep,   "which hosts of a range answer (ARP on the LAN, ICMP, ping, TCP)", false },
	{ "resolve",      cmd_resolve,      "resolve names to addresses in parallel, with a timeout per name", false },
	{ "serve",        cmd_serve,        "a TCP server that prints the lines clients send, or echoes them", false },
	{ "echo-client",  cmd_echo_client,  "check an echo server, or load it and verify every byte", false },
	{ "thread-demo",  cmd_thread_demo,  "spawn and join threads, a panic that ends one thread, Arc", true },
	{ "share-demo",   cmd_share_demo,   "Cell, RefCell, Rc, and a Mutex shared and poisoned", true },
	{ "channel-demo", cmd_channel_demo, "producers and one consumer over mpsc and sync channels", true },
	{ "barrier-demo", cmd_barrier_demo, "threads that wait for each other at a barrier", true },
	{ "map-demo",     cmd_map_demo,     "a function mapped over a sequence on N threads (pipeliner)", true },
	{ "completion",   cmd_completion,   "print the bash completion script, made from the option tables", false },
};

const size_t cmd_count = sizeof cmd_table / sizeof cmd_table[0];

static void usage(FILE *f)
{
	fprintf(f, "usage: rustyc [--help] [--version] COMMAND [ARGS]\n\n"
		   "Commands:\n");
	for (size_t i = 0; i < cmd_count; i++)
		fprintf(f, "  %-14s %s\n", cmd_table[i].name, cmd_table[i].summary);
	fprintf(f, "\n'rustyc help COMMAND' or 'rustyc COMMAND --help' shows a command's options.\n");
}

static const struct cmd_entry *find(const char *name)
{
	for (size_t i = 0; i < cmd_count; i++)
		if (strcmp(cmd_table[i].name, name) == 0)
			return &cmd_table[i];
	return NULL;
}

/* Edit distance, to suggest the command a typo meant. */
static size_t distance(const char *a, const char *b)
{
	size_t lb = strlen(b), row[64], i, j;

	if (lb >= sizeof row / sizeof row[0])
		return (size_t)-1;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; a[i - 1]; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

static const char *closest(const char *name)
{
	const char *best = NULL;
	size_t best_d = 4;	/* suggest nothing further than 3 edits away */

	for (size_t i = 0; i < cmd_count; i++) {
		size_t d = distance(name, cmd_table[i].name);
		if (strncmp(cmd_table[i].name, name, strlen(name)) == 0 && name[0])
			d = 1;	/* a prefix: "chan" means channel-demo */
		if (d < best_d) {
			best_d = d;
			best = cmd_table[i].name;
		}
	}
	return best;
}

static int unknown_command(const char *name)
{
	const char *hint = closest(name);

	if (hint)
		ry_err("'%s' is not a command; did you mean '%s'? (see 'rustyc --help')", ry_quote(name), hint);
	else
		ry_err("'%s' is not a command (see 'rustyc --help')", ry_quote(name));
	return 2;
}

/* stdout is where results go: losing them silently is a failure, except
 * when the reader left on purpose (`rustyc ... | head`). */
static int check_stdout(int status)
{
	int rc = ry_out_flush();

	if (rc == 0 || rc == -EPIPE)
		return status;
	ry_err("cannot write results to stdout: %s", ry_strerror(rc));
	return 2;
}

/* A subcommand stopped by SIGINT or SIGTERM returns 128 + the signal once
 * it has printed what was done.  The process then ends by that signal
 * rather than exiting with the number: the shell shows the same status,
 * and a shell running a script stops the script too instead of taking the
 * signal as handled (www.cons.org/cracauer/sigint.html). */
static int end_by_signal(int status)
{
	int sig = status - 128;
	sigset_t set;

	if (sig != SIGINT && sig != SIGTERM)
		return status;
	signal(sig, SIG_DFL);
	sigemptyset(&set);
	sigaddset(&set, sig);
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);
	raise(sig);
	return status;		/* not reached */
}

static int run(const struct cmd_entry *c, int argc, char **argv)
{
	ry_diag_set_cmd(c->name);
	if (c->line_buffered)
		setvbuf(stdout, NULL, _IOLBF, 0);
	return end_by_signal(check_stdout(c->fn(argc, argv)));
}

int main(int argc, char **argv)
{
	const struct cmd_entry *c;
	int rc;

	/* Installed setuid or setgid: become the real user before reading
	 * anything (util/priv).  Refuse to run rather than go on with
	 * privileges that could not be given up. */
	if ((rc = ry_priv_drop_setid()) != 0) {
		ry_err("cannot give up setuid or setgid privileges: %s", ry_strerror(rc));
		return 2;
	}

	/* `rustyc ... | head`: once the reader has left, end at once and
	 * quietly, with status 0, whichever subcommand it is (util/stop).
	 * Code that writes to sockets uses MSG_NOSIGNAL and sees EPIPE
	 * instead; serve takes stdout's EPIPE itself. */
	ry_stop_quit_on_pipe();

	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		if (argc < 3) {
			usage(stdout);
			return check_stdout(0);
		}
		argv[1] = (char *)"help";	/* rustyc --help CMD: as help CMD */
	}
	if (!strcmp(argv[1], "-V") || !strcmp(argv[1], "--version")) {
		printf("rustyc %s\n", RY_VERSION);
		return check_stdout(0);
	}
	if (!strcmp(argv[1], "help")) {
		char help[] = "--help";
		if (argc < 3) {
			usage(stdout);
			return check_stdout(0);
		}
		c = find(argv[2]);
		if (!c)
			return unknown_command(argv[2]);
		char *hargv[] = { argv[2], help, NULL };
		return run(c, 2, hargv);
	}
	if (argv[1][0] == '-') {
		ry_err("unknown option '%s' (see 'rustyc --help')", ry_quote(argv[1]));
		return 2;
	}
	c = find(argv[1]);
	if (!c)
		return unknown_command(argv[1]);
	return run(c, argc - 1, argv + 1);
}
