/*
 * opt: parsing of option values, whole and strict.
 *
 * The ry_parse_* functions take the whole text or nothing: no leading
 * space, no sign where none is allowed, no trailing garbage, no NaN or
 * infinity.  They return 0, RY_ENOTNUM (not of the form) or -ERANGE
 * (outside [min, max]), and never print: fuzzers and unit tests call them.
 *
 * The ry_opt_* wrappers parse the value of a named option and, on error,
 * print one diagnostic naming the option, the value and the allowed range,
 *     rustyc CMD: invalid value 'abc' for -n/--messages: not a whole number
 * and return -1; the caller then exits with status 2.
 *
 * Thread safety: all functions are reentrant.
 */
#ifndef RY_UTIL_OPT_H
#define RY_UTIL_OPT_H

#include "util/error.h"

/* A whole number in decimal. */
int ry_parse_ulong(const char *s, unsigned long min, unsigned long max,
		   unsigned long *out);
/* Seconds with an optional fraction ("1", "0.5", ".25"), in [min, max]. */
int ry_parse_seconds(const char *s, double min, double max, double *out);
/* A size in bytes with an optional K or M suffix (1024-based). */
int ry_parse_size(const char *s, unsigned long min, unsigned long max,
		  unsigned long *out);

int ry_opt_ulong(const char *opt, const char *s, unsigned long min,
		 unsigned long max, unsigned long *out);
int ry_opt_seconds(const char *opt, const char *s, double min, double max,
		   double *out);
int ry_opt_size(const char *opt, const char *s, unsigned long min,
		unsigned long max, unsigned long *out);



#include <getopt.h>
#include <stddef.h>

/*
 * A line of a list that users write (names, targets): trims blanks and a
 * CR/LF at both ends.  Returns the start and sets *n, or NULL for a line
 * to skip (blank, or a #comment).  The text may hold NUL bytes; callers
 * that cannot take them check *n against strlen.
 */
char *ry_list_line(char *line, size_t len, size_t *n);

/*
 * getopt_long with rustyc's messages: returns as getopt_long does, except
 * that an unknown option or a missing value prints
 *     rustyc CMD: unknown option '--foo'  (see 'rustyc CMD --help')
 * and returns '?'.  Call with optind = 0 before the first use in a
 * subcommand (main does).  One thread only: getopt keeps global state.
 */
int ry_getopt(int argc, char **argv, const char *shortopts,
	      const struct option *longopts);
#endif
