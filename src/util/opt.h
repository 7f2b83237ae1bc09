/*
 * opt: options declared once, in a table per subcommand.
 *
 * A subcommand describes each option in one row (struct ry_opt): its
 * short and long name, the kind of value it takes, where the value goes
 * and its help line.  ry_opt_parse() turns the table into getopt_long's
 * short string and long array, checks every value (whole numbers in a
 * range, durations with units, sizes with K/M/G, enumerations), and on
 * --help prints the usage built from the same table; so the three
 * descriptions of an option (parser, checker, help) cannot drift apart,
 * and tests/cli/t0002-options.sh checks that the manual names each one.
 * Options without a short letter get getopt values from 256 up, so a
 * future short flag never clashes with them.
 *
 * Errors are printed through util/diag, naming the option and the value:
 *     rustyc CMD: invalid value 'abc' for -n/--messages: not a whole number
 *
 * The ry_parse_* functions underneath take the whole text or nothing: no
 * leading space, no sign where none is allowed, no trailing garbage, no
 * NaN or infinity.  They return 0, RY_ENOTNUM (not of the form) or
 * -ERANGE (outside [min, max]), and never print: fuzzers and unit tests
 * call them.
 *
 * Thread safety: the ry_parse_* functions are reentrant; ry_opt_parse
 * uses getopt's global state and runs on the main thread before any
 * other starts.
 */
#ifndef RY_UTIL_OPT_H
#define RY_UTIL_OPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "util/error.h"

/* A whole number in decimal. */
int ry_parse_ulong(const char *s, unsigned long min, unsigned long max,
		   unsigned long *out);
/* A duration in seconds: decimal with an optional fraction ("1", "0.5",
 * ".25") and an optional unit: us, ms, s, m or h ("500ms", "2s", "1.5m").
 * The result, in seconds, must lie in [min, max]. */
int ry_parse_seconds(const char *s, double min, double max, double *out);
/* A size in bytes with an optional K, M or G suffix (1024-based). */
int ry_parse_size(const char *s, unsigned long min, unsigned long max,
		  unsigned long *out);

enum ry_opt_kind {
	RY_OPT_FLAG,		/* bool *: true when given */
	RY_OPT_COUNT,		/* unsigned long *: +1 each time given */
	RY_OPT_ULONG,		/* unsigned long *, in [min, max] */
	RY_OPT_SECONDS,		/* double *, in [fmin, fmax] seconds */
	RY_OPT_SIZE,		/* unsigned long * bytes, in [min, max] */
	RY_OPT_STRING,		/* const char **: the argument itself */
	RY_OPT_ENUM,		/* int *: index of the value in choices */
	RY_OPT_LIST,		/* struct ry_optlist *: each value, in order;
				 * also one value split at commas */
};

/* The values of a repeatable option (--server A --server B,C). */
#define RY_OPTLIST_MAX 16
struct ry_optlist {
	char *v[RY_OPTLIST_MAX];	/* owned: ry_optlist_free */
	size_t n;
};
void ry_optlist_free(struct ry_optlist *l);

/* One option.  Use the RY_OPT_* macros below to fill it. */
struct ry_opt {
	char short_name;		/* 0: long only */
	const char *long_name;
	enum ry_opt_kind kind;
	void *dest;
	const char *arg;		/* the value's name in --help ("N") */
	const char *help;		/* may hold '\n' for more lines */
	unsigned long min, max;		/* ULONG, SIZE */
	double fmin, fmax;		/* SECONDS */
	const char *const *choices;	/* ENUM: NULL-terminated; STRING: values
					 * for completion only (may be NULL) */
	bool *given;			/* may be NULL: set when given */
};

#define RY_OPT_F(s, l, d, h) \
	{ .short_name = (s), .long_name = (l), .kind = RY_OPT_FLAG, .dest = (d), .help = (h) }
#define RY_OPT_N(s, l, d, a, lo, hi, h) \
	{ .short_name = (s), .long_name = (l), .kind = RY_OPT_ULONG, .dest = (d), .arg = (a), \
	  .min = (lo), .max = (hi), .help = (h) }
#define RY_OPT_SECS(s, l, d, lo, hi, h) \
	{ .short_name = (s), .long_name = (l), .kind = RY_OPT_SECONDS, .dest = (d), .arg = "SECS", \
	  .fmin = (lo), .fmax = (hi), .help = (h) }
#define RY_OPT_SZ(s, l, d, lo, hi, h) \
	{ .short_name = (s), .long_name = (l), .kind = RY_OPT_SIZE, .dest = (d), .arg = "SIZE", \
	  .min = (lo), .max = (hi), .help = (h) }
#define RY_OPT_S(s, l, d, a, h) \
	{ .short_name = (s), .long_name = (l), .kind = RY_OPT_STRING, .dest = (d), .arg = (a), \
	  .help = (h) }
#define RY_OPT_L(s, l, d, a, h) \
	{ .short_name = (s), .long_name = (l), .kind = RY_OPT_LIST, .dest = (d), .arg = (a), \
	  .help = (h) }
#define RY_OPT_E(s, l, d, a, ch, h) \
	{ .short_name = (s), .long_name = (l), .kind = RY_OPT_ENUM, .dest = (d), .arg = (a), \
	  .choices = (ch), .help = (h) }

/* A subcommand's command line: its options and the text around them. */
struct ry_cmdline {
	const char *synopsis;		/* after "usage: rustyc CMD [options] "; one
					 * line per form, "\n" between them */
	const char *about;		/* paragraph(s) before the options */
	const struct ry_opt *opts;
	size_t nopts;
	const char *footer;		/* after the options (exit status) */
	int min_args, max_args;		/* operands; max -1: any number */
	const char *missing;		/* fewer than min_args: "no port given" */
};

/* Prints the --help text of cl (usage, about, options, footer) to f. */
void ry_opt_usage(const struct ry_cmdline *cl, FILE *f);

/*
 * Parses argv[1..argc) against cl (argv[0] is the subcommand's name).
 * A lone "--bash-completion" prints the subcommand's part of the bash
 * completion script instead (cmd/completion.c) and returns 0.
 * Each option's value is checked and stored as its row says; -h/--help
 * prints the usage to stdout.  On return *args is the index of the first
 * operand.  Returns -1 to go on, 0 after --help, 2 after printing an
 * error: an unknown option, a missing or bad value, or an operand count
 * outside [min_args, max_args].  The caller returns any value >= 0 as
 * its exit status.
 */
int ry_opt_parse(const struct ry_cmdline *cl, int argc, char **argv, int *args);

/*
 * A line of a list that users write (names, targets): trims blanks and a
 * CR/LF at both ends.  Returns the start and sets *n, or NULL for a line
 * to skip (blank, or a #comment).  The text may hold NUL bytes; callers
 * that cannot take them check *n against strlen.
 */
char *ry_list_line(char *line, size_t len, size_t *n);

#endif
