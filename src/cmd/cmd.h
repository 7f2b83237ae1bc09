/*
 * cmd: one function per subcommand, cmd_NAME(argc, argv), with argv[0]
 * the subcommand's name.  Each returns the exit status (0 success, 1 a
 * negative result, 2 usage or system error; see DESIGN.md) and prints its
 * usage to stdout for -h/--help.
 *
 * Adding a subcommand, in one commit:
 *   1. src/cmd/NAME.c with the usage text on top and cmd_NAME();
 *   2. its declaration here and its row in the table in src/main.c;
 *   3. tests/cli/tNNNN-NAME.sh running it as a user would;
 *   4. its section in man/rustyc.1 and its line in README.md.
 */
#ifndef RY_CMD_CMD_H
#define RY_CMD_CMD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/addr.h"
#include "util/diag.h"

int cmd_thread_demo(int argc, char **argv);
int cmd_share_demo(int argc, char **argv);
int cmd_channel_demo(int argc, char **argv);
int cmd_barrier_demo(int argc, char **argv);
int cmd_ping_sweep(int argc, char **argv);
int cmd_resolve(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_echo_client(int argc, char **argv);
int cmd_map_demo(int argc, char **argv);
int cmd_completion(int argc, char **argv);

/* The subcommand table (src/main.c), for dispatch and for completion. */
struct cmd_entry {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
	bool line_buffered;		/* the lessons: see main.c */
};

extern const struct cmd_entry cmd_table[];
extern const size_t cmd_count;

/* An [HOST:]PORT operand: what may be in it, and its defaults. */
struct cmd_endpoint_spec {
	const char *arg;		/* as the user wrote it */
	const char *host;		/* from an option (-b), or NULL */
	const char *host_opt;		/* that option's name, for a conflict */
	const char *default_host;	/* when neither names one */
	unsigned min_port;
	bool numeric_port;		/* refuse service names */
	bool passive;			/* an address to listen on */
	int64_t timeout_ns;		/* for a name lookup */
};

struct cmd_endpoint {
	struct sockaddr_storage ss;
	socklen_t len;
	char shown[RY_QUOTE_MAX + 48];	/* "host:port", quoted */
};

/* Parses, checks and resolves spec->arg; on error prints one message
 * naming the input and returns 2.  (cmd/common.c) */
int cmd_endpoint(const struct cmd_endpoint_spec *spec, struct cmd_endpoint *ep);

/* Operands that are a list: each argument, and each line of stdin for
 * "-" (read once; blank lines and #comments skipped).  fn gets the text
 * (NUL-terminated, it may change it in place) and its stdin line number,
 * 0 for an argument; it returns 0, an exit status after printing why,
 * or a negative errno.  With stdin_if_none, no operands and a stdin
 * that is not a terminal mean stdin.  No item at all is a usage error. */
struct cmd_operand_spec {
	const char *what;		/* "names", "targets" */
	bool stdin_if_none;
	int (*fn)(void *ctx, char *s, size_t n, size_t lineno);
	void *ctx;
};

/* 0, or 2 after printing why.  (cmd/common.c) */
int cmd_operands(const struct cmd_operand_spec *spec, int argc, char **argv, int args);

#endif
